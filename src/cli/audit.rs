//! `jixiao audit FORM...` (核查): for each form, the reported scores that differ from the
//! computed ones by more than a tolerance, the sums of over- and under-reporting, and a
//! verdict line. Exit 0 when every form agrees, 3 when any differs, 1 when any form
//! could not be scored (its diagnostic goes to stderr and the others are still audited).
//! The audit and its words are the library's ([`jixiao::report::audit`]); this module
//! reads the forms, draws the tables and chooses the exit status.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use comfy_table::{Cell, ColumnConstraint, Width};
use miette::Diagnostic;
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use jixiao::report::audit::{self, FormAudit, text};
use jixiao::report::export::Problem;

use super::Failure;
use super::table::{header, highlight, new_table, right_align};

/// Exit status when some reported score differs from the computed one.
const DIFFERS: u8 = 3;

/// Find reported scores that differ from the computed ones (核查).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
退出码：0 表示每个自评得分都与计算得分相符（在容差内）；3 表示有不符；1 表示有表单无法读取或计分\
（诊断打印在 stderr，其余表单照常核查）；2 表示命令用法有误。")]
pub(crate) struct AuditArgs {
    #[arg(required = true, value_name = "FORM", help = format!(
        "表单：{}，或文件夹（核查其中的全部表单）",
        super::input::readable()
    ))]
    forms: Vec<PathBuf>,
    #[command(flatten)]
    rules: super::RulesArgs,
    /// 相差不超过这么多分视为相符
    #[arg(
        long,
        short,
        value_name = "POINTS",
        value_parser = parse_tolerance,
        default_value = "0.01",
        allow_negative_numbers = true
    )]
    tolerance: Decimal,
    /// 输出：供人阅读的表格，或供程序读取的 JSON
    #[arg(long, short, value_enum, default_value_t = AuditFormat::Table)]
    format: AuditFormat,
    #[command(flatten)]
    converted: super::input::Converted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    /// 不符的行组成的表格，每份表单一行结论
    Table,
    /// 一个 JSON 对象，小数为字符串
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
    help("给出表单文件，或存放表单的文件夹")
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
            out = jixiao::report::json::pretty(&report);
        }
        AuditFormat::Table if paths.len() > 1 => {
            let _ = writeln!(
                out,
                "\n{}",
                text::batch_line(paths.len(), differing, failed.len())
            );
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

/// One form: its name, the differing rows, the sums and the verdict line, from the
/// library's text ([`jixiao::report::audit::text`]).
fn render(a: &FormAudit, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", text::heading(a));
    if a.agrees() {
        let _ = writeln!(out, "{}", text::agreement(a));
        return out;
    }
    let mut t = new_table(color);
    t.set_header(header(&text::COLUMNS));
    for r in &a.rows {
        let mut row: Vec<Cell> = text::cells(r).into_iter().map(Cell::new).collect();
        if color {
            row[text::DIFFERENCE] = highlight(row[text::DIFFERENCE].clone());
        }
        t.add_row(row);
    }
    if let Some(col) = t.column_mut(1) {
        col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(40)));
    }
    right_align(&mut t, 2..6);
    out.push_str(&t.to_string());
    out.push('\n');
    let _ = writeln!(out, "{}", text::sums(a));
    let _ = writeln!(out, "{}", text::verdict(a));
    out
}
