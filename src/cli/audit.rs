//! `jixiao audit FORM...` (核查): for each form, the reported scores that differ from the
//! computed ones by more than a tolerance, the sums of over- and under-reporting, and a
//! verdict line. Exit 0 when every form agrees, 3 when any differs, 1 when any form
//! could not be scored (its diagnostic goes to stderr and the others are still audited).
//! The audit itself is the library's ([`jixiao::report::audit`]).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
    presets,
};
use miette::Diagnostic;
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use jixiao::report::audit::{self, AuditRow, Finding, FormAudit, RowKind, signed};
use jixiao::report::export::Problem;

use super::Failure;

/// Exit status when some reported score differs from the computed one.
const DIFFERS: u8 = 3;

/// Find reported scores that differ from the computed ones (核查).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Exit status: 0 when every reported score agrees with the computed one (within the \
tolerance); 3 when any differs; 1 when a form could not be read or scored (its diagnostic \
is printed on stderr, and the other forms are still audited); 2 for bad usage.")]
pub(crate) struct AuditArgs {
    /// Forms (TOML files), or folders whose .toml files are all audited.
    #[arg(required = true, value_name = "FORM")]
    forms: Vec<PathBuf>,
    #[command(flatten)]
    rules: super::RulesArgs,
    /// Differences up to this many points count as agreement.
    #[arg(
        long,
        short,
        value_name = "POINTS",
        value_parser = parse_tolerance,
        default_value = "0.01",
        allow_negative_numbers = true
    )]
    tolerance: Decimal,
    /// Output: tables for people, or JSON for programs.
    #[arg(long, short, value_enum, default_value_t = AuditFormat::Table)]
    format: AuditFormat,
    #[command(flatten)]
    converted: super::input::Converted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    /// A table of the differing rows and a verdict line per form.
    Table,
    /// One JSON object; decimals as strings.
    Json,
}

/// `0.01` → 0.01; negative or non-numeric values are refused (a usage error).
fn parse_tolerance(s: &str) -> Result<Decimal, String> {
    // Exactly: `parse` would round a 30-digit tolerance without a word.
    let d = Decimal::from_str_exact(s.trim())
        .map_err(|_| format!("「{s}」不是数值；容差写作不小于 0 的小数，例如 0.01"))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("容差不能为负数（{s}）；例如 0.01"));
    }
    Ok(d.abs())
}

/// No form to audit: every folder named was empty.
#[derive(Debug, Error, Diagnostic)]
#[error("没有找到要核查的表单")]
#[diagnostic(
    code(jixiao::audit::no_forms),
    help("给出表单文件（.toml），或含有 .toml 表单的文件夹")
)]
struct NoForms;

/// A form that could not be scored, for the JSON output.
#[derive(Debug, Serialize)]
struct FailedForm {
    file: String,
    code: Option<String>,
    message: String,
    /// The problems a report groups (a form's several errors), outermost first.
    related: Vec<Problem>,
}

impl FailedForm {
    fn new(file: String, diag: &dyn Diagnostic) -> FailedForm {
        FailedForm {
            file,
            code: diag.code().map(|c| c.to_string()),
            message: diag.to_string(),
            related: Problem::all_in(diag),
        }
    }
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    tolerance: Decimal,
    agrees: bool,
    forms: &'a [FormAudit],
    failed: &'a [FailedForm],
}

pub(crate) fn run(args: &AuditArgs) -> Result<ExitCode, Failure> {
    let rules = super::load_rules(&args.rules)?;
    let paths = super::expand_forms(&args.forms)?;
    if paths.is_empty() {
        return Err(Box::new(NoForms));
    }
    let mut audits = Vec::with_capacity(paths.len());
    let mut failed = Vec::new();
    let color = super::color_stdout();
    let mut out = String::new();
    for path in &paths {
        match super::score_file(&rules, path, args.converted.weights) {
            Ok(outcome) => {
                let a = audit::audit(&outcome, args.tolerance);
                if args.format == AuditFormat::Table {
                    if !audits.is_empty() || !failed.is_empty() {
                        out.push('\n');
                    }
                    let shown = audit::audit(&super::for_terminal(&outcome), args.tolerance);
                    out.push_str(&render(&shown, color));
                }
                audits.push(a);
            }
            Err(diag) => {
                super::print_report(diag.as_ref());
                failed.push(FailedForm::new(path.display().to_string(), diag.as_ref()));
            }
        }
    }
    let differing = audits.iter().filter(|a| !a.agrees()).count();
    match args.format {
        AuditFormat::Json => {
            let report = Report {
                tolerance: args.tolerance,
                agrees: differing == 0 && failed.is_empty(),
                forms: &audits,
                failed: &failed,
            };
            out = match serde_json::to_string_pretty(&report) {
                Ok(s) => s + "\n",
                Err(e) => unreachable!("the audit serialises: {e}"),
            };
        }
        AuditFormat::Table if paths.len() > 1 => {
            let _ = write!(
                out,
                "\n共核查 {} 份表单：一致 {} 份，不一致 {differing} 份",
                paths.len(),
                audits.len() - differing
            );
            if !failed.is_empty() {
                let _ = write!(out, "，无法计分 {} 份", failed.len());
            }
            out.push('\n');
        }
        AuditFormat::Table => {}
    }
    super::write_stdout(&out)?;
    Ok(if !failed.is_empty() {
        ExitCode::from(1)
    } else if differing > 0 {
        ExitCode::from(DIFFERS)
    } else {
        ExitCode::SUCCESS
    })
}

/// One form: its name, the differing rows, the sums and the verdict line.
fn render(a: &FormAudit, color: bool) -> String {
    let mut out = String::new();
    let title = a.form.title.as_deref().unwrap_or("");
    let _ = writeln!(out, "{}  {title}", a.form.file);
    if a.agrees() {
        let _ = writeln!(
            out,
            "结论：一致（{} 项自评得分均与计算得分相符，容差 {}）",
            a.compared, a.tolerance
        );
        return out;
    }
    let mut t = Table::new();
    // ASCII rules only, as in the score table: box-drawing characters are
    // ambiguous-width in CJK terminals.
    t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(
        ["位置", "指标", "权重", "得分", "自评得分", "差异", "说明"]
            .iter()
            .map(|h| Cell::new(*h).add_attribute(Attribute::Bold)),
    );
    for r in &a.rows {
        t.add_row(row(r, color));
    }
    if let Some(col) = t.column_mut(1) {
        col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(40)));
    }
    for c in 2..6 {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&t.to_string());
    out.push('\n');
    let _ = writeln!(
        out,
        "差异超过 {} 分的预算与指标：自评偏高合计 {} 分，自评偏低合计 {} 分",
        a.tolerance, a.over, a.under
    );
    let _ = writeln!(out, "结论：{}", a.verdict_text);
    out
}

fn row(r: &AuditRow, color: bool) -> Vec<Cell> {
    let (place, name) = match r.kind {
        RowKind::Budget => ("预算".to_owned(), "预算执行情况".to_owned()),
        RowKind::Indicator => (
            r.goal.map(|n| format!("年度目标{n}")).unwrap_or_default(),
            r.name.clone(),
        ),
        RowKind::Goal => (
            r.goal.map(|n| format!("年度目标{n}")).unwrap_or_default(),
            "小计".to_owned(),
        ),
        RowKind::Total => ("总分".to_owned(), String::new()),
    };
    let note = match r.finding {
        Finding::Over => "自评偏高".to_owned(),
        Finding::Under => "自评偏低".to_owned(),
        Finding::Unscored => format!("未评但自评 {} 分", r.reported),
    };
    let computed = match r.computed {
        Some(c) => c.to_string(),
        None => "不计".to_owned(),
    };
    let diff = Cell::new(signed(r.difference));
    let diff = if color {
        diff.fg(Color::Yellow).add_attribute(Attribute::Bold)
    } else {
        diff
    };
    vec![
        Cell::new(place),
        Cell::new(name),
        Cell::new(r.weight.to_string()),
        Cell::new(computed),
        Cell::new(r.reported.to_string()),
        diff,
        Cell::new(note),
    ]
}
