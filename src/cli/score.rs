//! `jixiao score`: one form, or a batch (several forms, or a folder), rendered as a
//! table, JSON, CSV, Markdown, xlsx or HTML, on stdout or into a file (`-o`).
//!
//! One form: its table (as it always was), or the form as a document. A form that cannot
//! be read or scored is an error (exit 1) and nothing is written.
//!
//! A batch: the forms are scored in parallel (results kept in input order); each form
//! that fails has its diagnostic printed on stderr, and the others are still reported.
//! The report ranks the departments by computed total. The exit status is 1 when any
//! form failed, and stderr names them; the report of those that scored is still written.
//! A progress bar shows on stderr for long runs (more than [`PROGRESS_FROM`] forms) when
//! stderr is a terminal.
//!
//! `-o FILE` writes through a temporary file in the same folder, renamed over FILE at
//! the end: a run that fails leaves FILE as it was.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use clap::error::ErrorKind;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table, presets};
use miette::Diagnostic;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use jixiao::Outcome;
use jixiao::report::export::{self, Failed, NOT_SCORED, Problem, RANKING_COLUMNS, Ranked};

use super::input::Weights;
use super::{Failure, RulesArgs};

/// Batches longer than this show a progress bar (on a terminal).
const PROGRESS_FROM: usize = 20;

const AFTER_HELP: &str = "\
输出格式（--format）：
  table  表格（默认）；多份表单时为按计算总分排名的汇总表
  json   一个 JSON 对象，小数以字符串表示；多份表单时为 {forms, summary, failed}
  csv    CSV（UTF-8 带 BOM，Excel 可直接打开）；多份表单时为汇总排名
  md     Markdown 表格；多份表单时为汇总排名加每份表单
  xlsx   Excel 工作簿，版式同纸质自评表；多份表单时为「汇总」表加每份表单一张表
  html   单个 HTML 文件（无外部资源，可打印为 A4），含表格与得分图表

-o FILE 写入文件；未给 --format 时按扩展名推断（.csv .md .xlsx .html .json）。
xlsx 不写到终端：请用 -o 或重定向到文件。

FORM 可以是多个文件或文件夹（批量计分）。某份表单出错时照常输出其余表单，
错误打印在 stderr，退出码为 1。";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct ScoreArgs {
    /// The form: TOML, .xlsx/.xls, .csv or extracted .txt (several files or a folder: a
    /// batch, ranked by total).
    #[arg(required = true, value_name = "FORM")]
    pub(crate) forms: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// Output format [default: table, or from -o's extension]
    #[arg(long, short, value_enum)]
    pub(crate) format: Option<Format>,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// After the table, explain every score: class, formula, cap, rounding, rule line
    /// (one form, table format; JSON always carries each score's `trace`).
    #[arg(long)]
    pub(crate) explain: bool,
    /// Where indicator weights come from when the input has none.
    #[arg(long, value_enum, default_value_t = Weights::Given)]
    pub(crate) weights: Weights,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A table in the form's Chinese terms.
    Table,
    /// One JSON object; decimals as strings.
    Json,
    /// CSV (RFC 4180, UTF-8 with a byte order mark for Excel).
    Csv,
    /// GitHub-flavoured Markdown tables.
    Md,
    /// An Excel workbook laid out like the paper form.
    Xlsx,
    /// One self-contained HTML page with charts, printable on A4.
    Html,
}

impl Format {
    /// The format a file name implies: `report.html` → HTML.
    fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "md" | "markdown" => Format::Md,
            "xlsx" => Format::Xlsx,
            "html" | "htm" => Format::Html,
            "json" => Format::Json,
            _ => return None,
        })
    }
}

/// A folder named on the command line holds no forms.
#[derive(Debug, Error, Diagnostic)]
#[error("没有找到要计分的表单：{paths} 中没有表单文件")]
#[diagnostic(
    code(jixiao::score::no_forms),
    help("FORM 可以是表单文件，也可以是存放表单的文件夹")
)]
struct NoForms {
    paths: String,
}

/// Every form of a batch failed.
#[derive(Debug, Error, Diagnostic)]
#[error("{count} 份表单都未能计分，没有生成报告")]
#[diagnostic(
    code(jixiao::score::all_failed),
    help("各表单的错误见上方；改正后重新运行")
)]
struct AllFailed {
    count: usize,
}

/// The report could not be written.
#[derive(Debug, Error, Diagnostic)]
#[error("无法写入 {path}：{reason}")]
#[diagnostic(
    code(jixiao::io::write),
    help("检查文件夹是否存在、是否有写权限；原有文件未被改动")
)]
struct WriteError {
    path: String,
    reason: String,
}

/// A rendered report.
enum Rendered {
    Text(String),
    Bytes(Vec<u8>),
}

pub(crate) fn run(args: &ScoreArgs) -> Result<ExitCode, Failure> {
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Table);
    if format == Format::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        return Ok(usage_error(
            ErrorKind::ArgumentConflict,
            "xlsx 是二进制文件，不能输出到终端；请用 -o 报告.xlsx 写入文件，或重定向：> 报告.xlsx",
        ));
    }
    let rules = super::load_rules(&args.rules)?;
    let mut paths = super::expand_forms(&args.forms)?;
    // A form named twice (itself and in its folder) is scored once.
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    let batch = args.forms.len() > 1 || args.forms.iter().any(|p| p.is_dir());

    if !batch {
        // One form: any failure is the run's error, and nothing is written.
        let Some(path) = paths.first() else {
            return Err(no_forms(&args.forms));
        };
        let form = super::input::load_form_file(path, args.weights)?;
        let outcome = jixiao::evaluate(&rules, &form).map_err(|e| Box::new(e) as Failure)?;
        let rendered = render_one(&outcome, format, args)?;
        emit(rendered, args.output.as_deref())?;
        return Ok(ExitCode::SUCCESS);
    }

    if paths.is_empty() {
        return Err(no_forms(&args.forms));
    }
    let results = score_all(&rules, &paths, args.weights);
    let mut outcomes = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for (path, result) in paths.iter().zip(results) {
        match result {
            Ok(o) => outcomes.push(o),
            Err(e) => {
                eprint!("{}", super::render_report(e.as_ref()));
                failed.push(failed_form(path, e.as_ref()));
            }
        }
    }
    if outcomes.is_empty() {
        return Err(Box::new(AllFailed {
            count: failed.len(),
        }));
    }
    let ranked = export::ranking(&outcomes);
    let rendered = render_batch(&outcomes, &ranked, &failed, format, args.output.is_some())?;
    emit(rendered, args.output.as_deref())?;
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<&str> = failed.iter().map(|f| f.file.as_str()).collect();
    eprintln!(
        "{} 份表单未能计分（报告中只有其余 {} 份）：{}",
        failed.len(),
        outcomes.len(),
        names.join("、")
    );
    Ok(ExitCode::from(1))
}

fn no_forms(paths: &[PathBuf]) -> Failure {
    let paths = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("、");
    Box::new(NoForms { paths })
}

/// Scores every form in parallel; results in the order of `paths`.
fn score_all(
    rules: &jixiao::Rules,
    paths: &[PathBuf],
    weights: Weights,
) -> Vec<Result<Outcome, Failure>> {
    let bar = (paths.len() > PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(u64::try_from(paths.len()).unwrap_or(u64::MAX));
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("计分 {bar:40} {pos}/{len} 份表单 {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    });
    let results = paths
        .par_iter()
        .map(|path| {
            let result = super::input::load_form_file(path, weights).and_then(|form| {
                jixiao::evaluate(rules, &form).map_err(|e| Box::new(e) as Failure)
            });
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            result
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    results
}

/// A failed form as the reports list it: its diagnostic's code and message, and the
/// problems it groups (their messages appended to its own, for people).
fn failed_form(path: &Path, diag: &dyn Diagnostic) -> Failed {
    fn collect(diag: &dyn Diagnostic, out: &mut Vec<Problem>) {
        if let Some(related) = diag.related() {
            for r in related {
                out.push(Problem {
                    code: r.code().map(|c| c.to_string()),
                    message: r.to_string(),
                });
                collect(r, out);
            }
        }
    }
    let mut related = Vec::new();
    collect(diag, &mut related);
    let mut message = diag.to_string();
    if !related.is_empty() {
        let inner: Vec<&str> = related.iter().map(|p| p.message.as_str()).collect();
        message.push('：');
        message.push_str(&inner.join("；"));
    }
    Failed {
        file: path.display().to_string(),
        code: diag.code().map(|c| c.to_string()),
        message,
        related,
    }
}

fn render_one(o: &Outcome, format: Format, args: &ScoreArgs) -> Result<Rendered, Failure> {
    Ok(Rendered::Text(match format {
        Format::Table => {
            let color = args.output.is_none() && super::color_stdout();
            let mut out = super::table::render(o, color);
            if args.explain {
                out.push('\n');
                out.push_str(&super::explain::render_all(o));
            }
            out
        }
        Format::Json => super::json(o),
        Format::Csv => export::csv::form(o),
        Format::Md => export::markdown::form(o),
        Format::Html => export::html::form(o),
        Format::Xlsx => return super::xlsx::form(o).map(Rendered::Bytes),
    }))
}

fn render_batch(
    outcomes: &[Outcome],
    ranked: &[Ranked],
    failed: &[Failed],
    format: Format,
    to_file: bool,
) -> Result<Rendered, Failure> {
    Ok(Rendered::Text(match format {
        Format::Table => summary_table(outcomes, ranked, failed, !to_file && super::color_stdout()),
        Format::Json => batch_json(outcomes, ranked, failed),
        Format::Csv => export::csv::ranking(ranked, failed),
        Format::Md => export::markdown::batch(outcomes, ranked, failed),
        Format::Html => export::html::batch(outcomes, ranked, failed),
        Format::Xlsx => return super::xlsx::batch(outcomes, ranked, failed).map(Rendered::Bytes),
    }))
}

/// Writes to `-o FILE` (atomically) or stdout.
fn emit(rendered: Rendered, output: Option<&Path>) -> Result<(), Failure> {
    let bytes: &[u8] = match &rendered {
        Rendered::Text(t) => t.as_bytes(),
        Rendered::Bytes(b) => b,
    };
    match output {
        Some(path) => write_atomically(path, bytes).map_err(|e| {
            Box::new(WriteError {
                path: path.display().to_string(),
                reason: e.to_string(),
            }) as Failure
        }),
        None => {
            match rendered {
                Rendered::Text(t) => super::write_stdout(&t),
                Rendered::Bytes(b) => {
                    let mut out = std::io::stdout().lock();
                    // A closed pipe is not worth a message, as for text.
                    let _ = out.write_all(&b).and_then(|()| out.flush());
                }
            }
            Ok(())
        }
    }
}

/// Writes `bytes` to a new temporary file next to `path`, then renames it over `path`:
/// readers see the old file or the whole new one, and a failure leaves the old one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "不是文件名"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::File::create_new(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Prints a usage error the way clap does and returns exit code 2.
fn usage_error(kind: ErrorKind, message: &str) -> ExitCode {
    let mut cmd = <ScoreArgs as clap::Args>::augment_args(
        clap::Command::new("score").bin_name("jixiao score"),
    );
    let _ = cmd.error(kind, message).print();
    ExitCode::from(2)
}

#[derive(Serialize)]
struct BatchJson<'a> {
    /// Every form that scored, in input order.
    forms: &'a [Outcome],
    /// The ranking.
    summary: &'a [Ranked],
    /// Forms that could not be read or scored.
    failed: &'a [Failed],
}

fn batch_json(outcomes: &[Outcome], ranked: &[Ranked], failed: &[Failed]) -> String {
    let report = BatchJson {
        forms: outcomes,
        summary: ranked,
        failed,
    };
    match serde_json::to_string_pretty(&report) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Only strings, decimals and plain containers.
        Err(e) => unreachable!("the batch report serialises: {e}"),
    }
}

/// The batch as a table: one row per form, ranked by computed total.
fn summary_table(
    outcomes: &[Outcome],
    ranked: &[Ranked],
    failed: &[Failed],
    color: bool,
) -> String {
    let mut out = format!("绩效自评汇总：{} 份表单", outcomes.len() + failed.len());
    if let Some(o) = outcomes.first() {
        let _ = write!(out, "（计分规则：{}）", o.rules.id);
    }
    out.push('\n');
    let mut t = Table::new();
    // ASCII rules only, as in the score table: box-drawing characters are ambiguous-width
    // in CJK terminals.
    t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(
        RANKING_COLUMNS
            .iter()
            .map(|h| Cell::new(*h).add_attribute(Attribute::Bold)),
    );
    for r in ranked {
        t.add_row(vec![
            Cell::new(r.rank),
            Cell::new(r.department.as_deref().unwrap_or("")),
            Cell::new(&r.file),
            Cell::new(r.total).add_attribute(Attribute::Bold),
            Cell::new(r.grade.as_deref().unwrap_or("")),
            Cell::new(r.reported_total.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new(r.reported_grade.as_deref().unwrap_or("")),
            diff_cell(r.difference, color),
        ]);
    }
    for f in failed {
        let grade = Cell::new(NOT_SCORED);
        t.add_row(vec![
            Cell::new(""),
            Cell::new(""),
            Cell::new(&f.file),
            Cell::new(""),
            if color { grade.fg(Color::Red) } else { grade },
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
        ]);
    }
    for c in [0usize, 3, 5, 7] {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}

fn diff_cell(d: Option<Decimal>, color: bool) -> Cell {
    match d {
        Some(d) if !d.is_zero() => {
            let text = if d.is_sign_positive() {
                format!("+{d}")
            } else {
                d.to_string()
            };
            let cell = Cell::new(text);
            if color {
                cell.fg(Color::Yellow).add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }
        _ => Cell::new(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_output_file_extension() {
        let f = |p: &str| Format::from_path(Path::new(p));
        assert_eq!(f("报告.html"), Some(Format::Html));
        assert_eq!(f("a/b.HTM"), Some(Format::Html));
        assert_eq!(f("x.csv"), Some(Format::Csv));
        assert_eq!(f("x.md"), Some(Format::Md));
        assert_eq!(f("x.xlsx"), Some(Format::Xlsx));
        assert_eq!(f("x.json"), Some(Format::Json));
        assert_eq!(f("x.txt"), None);
        assert_eq!(f("x"), None);
    }
}
