//! `jixiao diff`: the scores of forms under two rule versions (a what-if), or of two
//! versions of one form under one rule set (a corrected resubmission).
//!
//! This module reads the files, scores each form twice with the library, hands the two
//! [`Outcome`]s to [`jixiao::report::diff`], and writes the result (on stdout, or into
//! `-o FILE` atomically, its extension naming the format as for `score`): JSON, Markdown,
//! CSV, HTML or xlsx as the library renders them, or a table drawn here from the
//! library's lines. A form that cannot be read or scored is reported on stderr and
//! skipped; the others are still compared, and the exit code is 1 at the end.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::io::IsTerminal;

use clap::ValueEnum;
use clap::error::ErrorKind;
use comfy_table::{Attribute, Cell, ColumnConstraint, Width};
use miette::Diagnostic;
use thiserror::Error;

use jixiao::report::diff::view::{form_title, mover_cells, shown, unchanged};
use jixiao::report::diff::{self, FormDiff, Mode, Report, RulesRef, diff_outcomes};
use jixiao::report::export::Format;
use jixiao::text::escaped;
use jixiao::{Outcome, Rules};

use super::table::{header, highlight, new_table, right_align};

use super::{Failure, RulesArgs};
use jixiao::import::Weights;

const USAGE: &str = "jixiao diff [选项] <OLD> <NEW> <FORM>...
       jixiao diff --forms [选项] <OLD_FORM> <NEW_FORM>";

const AFTER_HELP: &str = "\
两种对比：
  jixiao diff OLD NEW FORM...        同一批表单在两套规则下的得分（OLD、NEW 为规则文件或内置规则名）；
                                     --set 只作用于 NEW，例如：
                                     jixiao diff hubei-2021 hubei-2021 --set budget_weight=10 表单目录/
  jixiao diff --forms 原表 更正表    同一规则（--rules，默认 hubei-2021）下一份表单的两个版本

默认只列出有变化的行（总分、等级总会列出）；--all 列出全部。
-o FILE 写入文件，未给 --format 时按扩展名定格式（.xlsx .html .csv .md .json，.txt 为表格）；
xlsx 为「汇总」表加「变化明细」表，不写到终端。";

/// The widest the indicator column may grow before it wraps.
const NAME_COLUMN: u16 = 40;

// Help text for `jixiao diff --help` comes from the `Diff` variant in cli/mod.rs and the
// fields below (a doc comment here would replace the variant's).
#[derive(Debug, clap::Args)]
#[command(override_usage = USAGE, after_help = AFTER_HELP)]
pub(crate) struct DiffArgs {
    /// OLD NEW FORM...：两套规则（文件或内置名），然后是表单或表单文件夹；用 --forms 时为一份表单的原版和新版
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// 对比同一份表单的两个版本（如更正后重报的表），用同一套规则
    #[arg(long)]
    forms: bool,
    /// 也列出得分没有变化的行
    #[arg(long)]
    all: bool,
    /// 在汇总之后逐份列出每份表单的明细（不超过 5 份表单时总会列出）
    #[arg(long)]
    detail: bool,
    /// 输出格式；默认 table，或按 -o 文件的扩展名
    #[arg(long, short, value_enum)]
    format: Option<DiffFormat>,
    /// 把报告写入文件（原子写入），而不是输出到终端；未给 --format 时按扩展名定格式
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    converted: super::input::Converted,
    // --rules: the rule set for --forms. --set: parameters of NEW (or, with --forms, of
    // the one rule set).
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// 表格，用表单的中文术语
    Table,
    /// 一个 JSON 对象，小数为字符串
    Json,
    /// Markdown 表格
    Md,
    /// 每个变化的项目一行（RFC 4180）
    Csv,
    /// 单个 HTML 文件：先汇总（等级变化、总分分布图、变动最大的表单），可打印为 A4
    Html,
    /// Excel 工作簿：「汇总」表（等级变化、总分分布、变动最大的表单）加「变化明细」表
    Xlsx,
}

impl DiffFormat {
    /// The format an output file's name implies, as `score -o` reads it; `None` for an
    /// extension no diff format has.
    fn from_path(path: &Path) -> Option<DiffFormat> {
        Some(match Format::from_path(path)? {
            Format::Table => DiffFormat::Table,
            Format::Json => DiffFormat::Json,
            Format::Csv => DiffFormat::Csv,
            Format::Md => DiffFormat::Md,
            Format::Xlsx => DiffFormat::Xlsx,
            Format::Html => DiffFormat::Html,
        })
    }
}

/// A folder named on the command line holds no forms.
#[derive(Debug, Error, Diagnostic)]
#[error("没有找到要对比的表单：{paths} 中没有 .toml 文件")]
#[diagnostic(
    code(jixiao::diff::no_forms),
    help("FORM 可以是表单文件（.toml），也可以是存放表单的文件夹")
)]
struct NoForms {
    paths: String,
}

pub(crate) fn run(args: &DiffArgs) -> Result<ExitCode, Failure> {
    if let Some(output) = &args.output {
        // Before the extension is looked at: `-o 表单.toml` is better told it is the form.
        // (A form inside a folder is looked for once the folder is read.)
        super::refuse_input_as_output(output, &args.paths)?;
    }
    let format = match output_format(args) {
        Ok(f) => f?,
        Err(usage) => return Ok(usage),
    };
    let batch = if args.forms {
        compare_forms(args, format)?
    } else {
        compare_rules(args, format)?
    };
    let batch = match batch {
        Ok(b) => b,
        Err(usage) => return Ok(usage),
    };
    let code = if batch.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    if !batch.diffs.is_empty() {
        let mut report = Report::new(
            if args.forms { Mode::Forms } else { Mode::Rules },
            args.all,
            batch.old_rules,
            batch.new_rules,
            batch.diffs,
            batch.failed,
        );
        report.detail |= args.detail;
        let color = args.output.is_none() && super::color_stdout();
        let out = match format {
            DiffFormat::Table => render_table(&report, color).into_bytes(),
            DiffFormat::Json => diff::json::render(&report).into_bytes(),
            DiffFormat::Md => diff::markdown::render(&report).into_bytes(),
            DiffFormat::Csv => diff::csv::render(&report).into_bytes(),
            DiffFormat::Html => diff::html::render(&report).into_bytes(),
            DiffFormat::Xlsx => diff::xlsx::render(&report).map_err(|e| Box::new(e) as Failure)?,
        };
        match &args.output {
            Some(path) => {
                super::write_atomic(path, &out).map_err(|e| super::write_error(path, &e))?;
                super::write_stderr(&format!(
                    "已写入 {}\n",
                    escaped(&path.display().to_string(), false)
                ));
            }
            None => super::write_stdout_bytes(&out)?,
        }
    }
    Ok(code)
}

/// The output's format: `--format`, else `-o FILE`'s extension, else a table; or, as
/// the outer `Err`, the exit code of a usage error already printed (xlsx to a terminal).
fn output_format(args: &DiffArgs) -> Result<Result<DiffFormat, Failure>, ExitCode> {
    let format = match (args.format, args.output.as_deref()) {
        (Some(f), _) => f,
        (None, None) => DiffFormat::Table,
        (None, Some(path)) => match DiffFormat::from_path(path) {
            Some(f) => f,
            None => {
                return Ok(Err(Box::new(super::score::UnknownExtension {
                    path: path.display().to_string(),
                })));
            }
        },
    };
    if format == DiffFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(super::usage::reject(
            ErrorKind::ArgumentConflict,
            "xlsx 是二进制文件，不能输出到终端；请用 -o 对比.xlsx 写入文件，或重定向：> 对比.xlsx",
            "diff",
        ));
    }
    Ok(Ok(format))
}

/// The forms compared, and those that failed; or, as `Err`, the exit code of a usage
/// error already printed.
type Prepared = Result<Batch, ExitCode>;

struct Batch {
    old_rules: RulesRef,
    new_rules: RulesRef,
    diffs: Vec<FormDiff>,
    failed: Vec<String>,
}

/// `jixiao diff --forms OLD_FORM NEW_FORM`: two versions of a form under one rule set.
fn compare_forms(args: &DiffArgs, format: DiffFormat) -> Result<Prepared, Failure> {
    let [old_form, new_form] = args.paths.as_slice() else {
        return Ok(Err(super::usage::reject(
            ErrorKind::WrongNumberOfValues,
            &format!(
                "--forms 需要恰好两个表单：原表单和新表单（收到 {} 个）",
                args.paths.len()
            ),
            "diff",
        )));
    };
    let rules = super::load_rules(&args.rules)?;
    let r = RulesRef::new(&rules, &args.rules.set);
    let (diffs, failed) = match (
        scored(&rules, old_form, args.converted.weights),
        scored(&rules, new_form, args.converted.weights),
    ) {
        (Some(old), Some(new)) => (vec![compared(&old, &new, format)], Vec::new()),
        (old, new) => {
            let failed = [(old, old_form), (new, new_form)]
                .into_iter()
                .filter(|(o, _)| o.is_none())
                .map(|(_, p)| p.display().to_string())
                .collect();
            (Vec::new(), failed)
        }
    };
    Ok(Ok(Batch {
        old_rules: r.clone(),
        new_rules: r,
        diffs,
        failed,
    }))
}

/// `jixiao diff OLD NEW FORM...`: forms under two rule sets; `--set` changes NEW only.
fn compare_rules(args: &DiffArgs, format: DiffFormat) -> Result<Prepared, Failure> {
    if args.rules.rules.is_some() {
        return Ok(Err(super::usage::reject(
            ErrorKind::ArgumentConflict,
            "--rules 只用于 --forms；对比两套规则时，规则由 OLD 和 NEW 给出",
            "diff",
        )));
    }
    let [old, new, forms @ ..] = args.paths.as_slice() else {
        return Ok(Err(missing_forms(args.paths.len())));
    };
    if forms.is_empty() {
        return Ok(Err(missing_forms(args.paths.len())));
    }
    let (Some(old_spec), Some(new_spec)) = (old.to_str(), new.to_str()) else {
        return Ok(Err(super::usage::reject(
            ErrorKind::InvalidUtf8,
            "OLD 和 NEW 须为 UTF-8 编码的规则文件路径或内置规则名",
            "diff",
        )));
    };
    let old_rules = super::load_rules_spec(Some(old_spec), &[])?;
    let new_rules = super::load_rules_spec(Some(new_spec), &args.rules.set)?;
    let mut files = super::expand_forms(forms)?;
    // A form named twice (itself and in its folder) is compared once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    if files.is_empty() {
        let paths = forms
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("、");
        return Err(Box::new(NoForms { paths }));
    }
    if let Some(output) = &args.output {
        super::refuse_input_as_output(output, &files)?;
    }
    let mut diffs = Vec::new();
    let mut failed = Vec::new();
    for file in &files {
        match scored_twice(&old_rules, &new_rules, file, args.converted.weights) {
            Some((o, n)) => diffs.push(compared(&o, &n, format)),
            None => failed.push(file.display().to_string()),
        }
    }
    Ok(Ok(Batch {
        old_rules: RulesRef::new(&old_rules, &[]),
        new_rules: RulesRef::new(&new_rules, &args.rules.set),
        diffs,
        failed,
    }))
}

/// The differences of two outcomes; for a table, compared with their texts made safe for a
/// terminal (the escape is one-to-one, so the same rows match).
fn compared(old: &Outcome, new: &Outcome, format: DiffFormat) -> FormDiff {
    if format == DiffFormat::Table {
        diff_outcomes(&super::for_terminal(old), &super::for_terminal(new))
    } else {
        diff_outcomes(old, new)
    }
}

fn missing_forms(given: usize) -> ExitCode {
    super::usage::reject(
        ErrorKind::MissingRequiredArgument,
        &format!(
            "需要原规则 OLD、新规则 NEW 和至少一个表单 FORM（收到 {given} 个参数）；\
             对比一份表单的两个版本请用 --forms OLD_FORM NEW_FORM"
        ),
        "diff",
    )
}

/// Scores one form; on failure prints the diagnostic to stderr and returns `None`.
fn scored(rules: &Rules, path: &Path, weights: Weights) -> Option<Outcome<'static>> {
    let form = load(path, weights)?;
    evaluated(rules, &form, path, None).map(Outcome::into_owned)
}

fn load(path: &Path, weights: Weights) -> Option<super::input::FormFile> {
    match super::input::load_form_file(path, weights) {
        Ok(form) => Some(form),
        Err(e) => {
            super::print_report(e.as_ref());
            None
        }
    }
}

/// Scores a loaded form; on failure prints the diagnostic to stderr, after a line naming
/// the rules (`side`) when two rule sets are compared.
fn evaluated<'a>(
    rules: &'a Rules,
    form: &'a super::input::FormFile,
    path: &Path,
    side: Option<&str>,
) -> Option<Outcome<'a>> {
    match jixiao::evaluate(rules, form) {
        Ok(mut o) => {
            form.warn(&mut o);
            Some(o)
        }
        Err(e) => {
            if let Some(side) = side {
                super::write_stderr(&format!(
                    "表单 {} 在{side} {} 下无法计分：\n",
                    escaped(&path.display().to_string(), false),
                    escaped(rules.id(), false)
                ));
            }
            super::print_report(&e);
            None
        }
    }
}

/// Loads a form once and scores it under both rule sets; every failure goes to stderr.
fn scored_twice(
    old: &Rules,
    new: &Rules,
    path: &Path,
    weights: Weights,
) -> Option<(Outcome<'static>, Outcome<'static>)> {
    let form = load(path, weights)?;
    let o = evaluated(old, &form, path, Some("原规则"));
    let n = evaluated(new, &form, path, Some("新规则"));
    Some((o?.into_owned(), n?.into_owned()))
}

/// The report as tables for a terminal, drawn from the library's lines
/// ([`jixiao::report::diff::view`]).
fn render_table(r: &Report, color: bool) -> String {
    let mut out = format!("{}\n", r.mode.title());
    for l in r.headline() {
        out.push_str(&l);
        out.push('\n');
    }
    // The impact first: on a folder it is what the reader came for.
    if r.has_summary() {
        out.push_str(&summary_tables(r, color));
    }
    if let Some(note) = r.detail_note() {
        let _ = write!(out, "\n{note}\n");
        return out;
    }
    for diff in &r.diffs {
        out.push('\n');
        out.push_str(&form_title(diff));
        out.push('\n');
        if r.folded(diff) {
            let _ = writeln!(out, "{}", unchanged(diff));
            continue;
        }
        let mut t = new_table(color);
        t.set_header(header(&r.columns()));
        for l in shown(diff, r.all) {
            let mut item = Cell::new(l.item());
            if l.is_bottom() {
                item = item.add_attribute(Attribute::Bold);
            }
            let mut change = Cell::new(&l.change);
            if color && l.changed {
                change = highlight(change);
            }
            t.add_row(vec![
                item,
                Cell::new(l.name()),
                Cell::new(&l.old),
                Cell::new(&l.new),
                change,
            ]);
        }
        if let Some(col) = t.column_mut(1) {
            col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(NAME_COLUMN)));
        }
        right_align(&mut t, 2..5);
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out
}

/// The summary, and the forms whose total moved most.
fn summary_tables(r: &Report, color: bool) -> String {
    let mut out = String::from("\n汇总\n");
    let mut t = new_table(color);
    t.set_header(header(&["项目", "值"]));
    for (k, v) in r.summary_pairs() {
        t.add_row(vec![Cell::new(k), Cell::new(v)]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    let (header_cells, rows) = r.matrix_table();
    if r.summary.grade_changed > 0 {
        out.push_str("\n等级变化（行：原等级，列：新等级，单元格：表单份数）\n");
        let mut t = new_table(color);
        t.set_header(header(
            &header_cells.iter().map(String::as_str).collect::<Vec<_>>(),
        ));
        for row in rows {
            t.add_row(row.into_iter().map(Cell::new).collect::<Vec<_>>());
        }
        right_align(&mut t, 1..header_cells.len());
        out.push_str(&t.to_string());
        out.push('\n');
    }
    let dist = r.distribution_rows();
    if !dist.is_empty() {
        out.push_str("\n总分分布（表单份数）\n");
        let mut t = new_table(color);
        t.set_header(header(&r.distribution_columns()));
        for row in dist {
            t.add_row(row.map(Cell::new).to_vec());
        }
        right_align(&mut t, 1..2);
        right_align(&mut t, 3..4);
        out.push_str(&t.to_string());
        out.push('\n');
    }
    if r.has_movers() {
        out.push_str("\n总分变动最大的表单\n");
        let mut t = new_table(color);
        t.set_header(header(&r.mover_columns()));
        for m in &r.summary.largest_movers {
            t.add_row(mover_cells(m).map(Cell::new).to_vec());
        }
        if let Some(col) = t.column_mut(0) {
            col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(NAME_COLUMN)));
        }
        right_align(&mut t, 2..5);
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out
}
