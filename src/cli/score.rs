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
//! the end: a run that fails leaves FILE as it was (a device or a pipe is written into
//! directly; see `atomic`). FILE's extension names the format unless `--format` does; an
//! extension jixiao does not write (`-o 报告.pdf`) is refused rather than filled with a
//! text table, and so is an output that is one of the inputs (the form, a form in a
//! folder, the rule file or a file it extends).

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::ErrorKind;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table, presets};
use miette::Diagnostic;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use jixiao::Outcome;
use jixiao::report::export::{self, Failed, Format, NOT_SCORED, Problem, RANKING_COLUMNS, Ranked};

use super::atomic::{Step, Temporary};
use super::{Failure, RulesArgs, write_error};
use jixiao::import::Weights;

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

-o FILE 写入文件；未给 --format 时按扩展名推断：
  .csv → csv  .md .markdown → md  .xlsx → xlsx  .html .htm → html  .json → json
  .txt 或无扩展名 → table；其他扩展名（如 .pdf）不会猜测，须用 --format 指定格式。
输出文件不能是输入文件（表单、文件夹中的表单、规则文件）。
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
    #[command(flatten)]
    pub(crate) converted: super::input::Converted,
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

/// `-o FILE` whose extension names no format jixiao writes, without `--format`.
#[derive(Debug, Error, Diagnostic)]
#[error("无法从输出文件 {path} 的扩展名判断报告格式")]
#[diagnostic(
    code(jixiao::usage::unknown_extension),
    help(
        "可用的扩展名：.csv .md .xlsx .html .json（.txt 或无扩展名为表格）；要用其他文件名，请用 --format 指定格式：table、json、csv、md、xlsx、html"
    )
)]
struct UnknownExtension {
    path: String,
}

/// A rendered report.
enum Rendered {
    Text(String),
    Bytes(Vec<u8>),
}

pub(crate) fn run(args: &ScoreArgs) -> Result<ExitCode, Failure> {
    let rules = super::load_rules(&args.rules)?;
    let mut paths = super::expand_forms(&args.forms)?;
    // A form named twice (itself and in its folder) is scored once.
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    if let Some(output) = &args.output {
        // The rule files were read; the forms are yet to be. (Before the extension is
        // looked at: `-o 表单.toml` is better told it is the form.)
        super::refuse_input_as_output(output, &paths)?;
    }
    let format = match (args.format, args.output.as_deref()) {
        (Some(f), _) => f,
        (None, None) => Format::Table,
        (None, Some(path)) => Format::from_path(path).ok_or_else(|| {
            Box::new(UnknownExtension {
                path: path.display().to_string(),
            }) as Failure
        })?,
    };
    if format == Format::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        return Ok(usage_error(
            ErrorKind::ArgumentConflict,
            "xlsx 是二进制文件，不能输出到终端；请用 -o 报告.xlsx 写入文件，或重定向：> 报告.xlsx",
        ));
    }
    let batch = args.forms.len() > 1 || args.forms.iter().any(|p| p.is_dir());

    if !batch {
        // One form: any failure is the run's error, and nothing is written.
        let Some(path) = paths.first() else {
            return Err(no_forms(&args.forms));
        };
        let form = super::input::load_form_file(path, args.converted.weights)?;
        // How each score was reached shows only in JSON and after the table with
        // --explain; without it, evaluation allocates much less.
        let options = jixiao::eval::Options {
            trace: format == Format::Json || (format == Format::Table && args.explain),
        };
        let mut outcome =
            jixiao::evaluate_with(&rules, &form, options).map_err(|e| Box::new(e) as Failure)?;
        form.warn(&mut outcome);
        let rendered = render_one(&outcome, format, args)?;
        emit(rendered, args.output.as_deref())?;
        return Ok(ExitCode::SUCCESS);
    }

    if paths.is_empty() {
        return Err(no_forms(&args.forms));
    }
    let report = score_batch(&rules, &paths, format, args)?;
    if report.failed_files.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<std::borrow::Cow<'_, str>> = report
        .failed_files
        .iter()
        .map(|f| jixiao::text::escaped(f, false))
        .collect();
    super::write_stderr(&format!(
        "{} 份表单未能计分（报告中只有其余 {} 份）：{}\n",
        report.failed_files.len(),
        report.scored,
        names.join("、")
    ));
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

/// How many forms a batch scores in parallel before writing their sections, per thread.
/// The batch holds at most this many forms' sections at once (and no `Outcome` beyond
/// the one each thread is scoring).
const CHUNK_PER_THREAD: usize = 64;

/// What a batch keeps of a form once it is scored: its ranking row, and its section of
/// the report (for the formats that show every form).
struct Scored {
    row: Ranked,
    section: Section,
}

enum Section {
    None,
    /// Text to append, in input order (JSON: the form's object, indented).
    Text(String),
    /// The form's xlsx sheet.
    Sheet(Box<export::xlsx::BatchSheet>),
}

/// How a batch ended: the report is written, with this many forms; these could not be
/// scored.
struct BatchReport {
    scored: usize,
    failed_files: Vec<String>,
}

/// Scores a batch and writes its report, streaming: forms are scored in parallel, a
/// chunk at a time, and each form's section is written (in input order) as its chunk
/// completes; only the ranking rows stay in memory. Markdown and HTML put the ranking
/// first, so their sections wait in a temporary file until the ranking is known; JSON
/// puts the forms first and streams them straight to the output; xlsx holds every
/// form's sheet until the workbook is written (see BENCHMARKS.md for its memory).
fn score_batch(
    rules: &jixiao::Rules,
    paths: &[PathBuf],
    format: Format,
    args: &ScoreArgs,
) -> Result<BatchReport, Failure> {
    let rules_info = jixiao::eval::RulesInfo::of(rules);
    // Only JSON shows how each score was reached.
    let options = jixiao::eval::Options {
        trace: format == Format::Json,
    };
    let output = args.output.as_deref();
    // Beside the report when it is a file (the system's temporary folder may be too small
    // for a large batch), else in the system's temporary folder.
    let spool_dir = output
        .and_then(super::atomic::folder_for_temporaries)
        .unwrap_or_else(std::env::temp_dir);
    let mut spool = match format {
        Format::Md | Format::Html => Some(Spool::create(&spool_dir)?),
        _ => None,
    };
    // JSON's forms go straight to the output, opened at the first form that scores (so
    // that a batch where every form fails writes nothing).
    let mut json_out: Option<Output> = None;

    let bar = (paths.len() > PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(u64::try_from(paths.len()).unwrap_or(u64::MAX));
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("计分 {bar:40} {pos}/{len} 份表单 {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    });
    let chunk = CHUNK_PER_THREAD * rayon::current_num_threads().max(1);
    let mut rows: Vec<Ranked> = Vec::new();
    let mut failed: Vec<Failed> = Vec::new();
    let mut sheets = Vec::new();
    for part in paths.chunks(chunk) {
        let done: Vec<Result<Scored, Failure>> = part
            .par_iter()
            .map(|path| {
                let result = score_for_batch(rules, path, args.converted.weights, options, format);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                result
            })
            .collect();
        for (path, result) in part.iter().zip(done) {
            let scored = match result {
                Ok(s) => s,
                Err(e) => {
                    let report = super::render_report(e.as_ref());
                    match &bar {
                        Some(bar) => bar.suspend(|| super::write_stderr(&report)),
                        None => super::write_stderr(&report),
                    }
                    failed.push(failed_form(path, e.as_ref()));
                    continue;
                }
            };
            let first = rows.is_empty();
            rows.push(scored.row);
            match scored.section {
                Section::None => {}
                Section::Sheet(sheet) => sheets.push(*sheet),
                Section::Text(text) => {
                    if let Some(spool) = &mut spool {
                        spool.write_all(text.as_bytes())?;
                    } else {
                        if json_out.is_none() {
                            json_out = Some(Output::open(output)?);
                        }
                        if let Some(out) = &mut json_out {
                            out.write(json_separator(first).as_bytes())?;
                            out.write(text.as_bytes())?;
                        }
                    }
                }
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = BatchReport {
        scored: rows.len(),
        failed_files: failed.iter().map(|f| f.file.clone()).collect(),
    };
    if rows.is_empty() {
        return Err(Box::new(AllFailed {
            count: failed.len(),
        }));
    }
    let ranked = export::rank(rows);
    let to_file = output.is_some();
    match format {
        Format::Table => emit(
            Rendered::Text(summary_table(
                &rules_info,
                &ranked,
                &failed,
                !to_file && super::color_stdout(),
            )),
            output,
        )?,
        Format::Csv => emit(
            Rendered::Text(export::csv::ranking(&ranked, &failed)),
            output,
        )?,
        Format::Xlsx => emit(
            Rendered::Bytes(
                export::xlsx::batch(Some(&rules_info), &ranked, &failed, sheets)
                    .map_err(|e| Box::new(e) as Failure)?,
            ),
            output,
        )?,
        Format::Json => {
            let Some(mut out) = json_out else {
                unreachable!("a form scored, so the JSON output is open")
            };
            out.write(json_tail(&ranked, &failed).as_bytes())?;
            out.finish()?;
        }
        Format::Md | Format::Html => {
            let Some(spool) = spool else {
                unreachable!("Markdown and HTML sections are spooled")
            };
            let mut out = Output::open(output)?;
            let (head, tail) = if format == Format::Md {
                (
                    export::markdown::batch_head(Some(&rules_info), &ranked, &failed),
                    "",
                )
            } else {
                (
                    export::html::batch_head(Some(&rules_info), &ranked, &failed),
                    export::html::batch_tail(),
                )
            };
            out.write(head.as_bytes())?;
            spool.copy_to(&mut out)?;
            out.write(tail.as_bytes())?;
            out.finish()?;
        }
    }
    Ok(report)
}

/// Reads and scores one form of a batch, and renders its section of the report.
fn score_for_batch(
    rules: &jixiao::Rules,
    path: &Path,
    weights: Weights,
    options: jixiao::eval::Options,
    format: Format,
) -> Result<Scored, Failure> {
    let form = super::input::load_form_file(path, weights)?;
    let mut outcome =
        jixiao::evaluate_with(rules, &form, options).map_err(|e| Box::new(e) as Failure)?;
    form.warn(&mut outcome);
    let section = match format {
        Format::Table | Format::Csv => Section::None,
        Format::Json => Section::Text(indented(&pretty(&outcome), "    ")),
        Format::Md => Section::Text(export::markdown::batch_form(&outcome)),
        Format::Html => Section::Text(export::html::batch_form(&outcome)),
        Format::Xlsx => {
            let sheet = export::xlsx::batch_sheet(&outcome).map_err(|e| Box::new(e) as Failure)?;
            Section::Sheet(Box::new(sheet))
        }
    };
    Ok(Scored {
        row: Ranked::unranked(&outcome),
        section,
    })
}

/// What comes before a form's object in a batch's JSON: the document's start before
/// the first, a comma between the others. With [`json_tail`] after the last, the
/// streamed text is exactly `{forms, summary, failed}` pretty-printed at once.
fn json_separator(first: bool) -> &'static str {
    if first {
        "{\n  \"forms\": [\n    "
    } else {
        ",\n    "
    }
}

/// The end of a batch's JSON, after the last form: the ranking and the failed forms.
fn json_tail(ranked: &[Ranked], failed: &[Failed]) -> String {
    format!(
        "\n  ],\n  \"summary\": {},\n  \"failed\": {}\n}}\n",
        indented(&pretty(ranked), "  "),
        indented(&pretty(failed), "  ")
    )
}

/// `value` as `serde_json::to_string_pretty` writes it.
fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(s) => s,
        // Only strings, decimals and plain containers.
        Err(e) => unreachable!("the report serialises: {e}"),
    }
}

/// Pretty JSON nested `indent` deep: every line after the first indented. JSON strings
/// hold no raw line breaks, so this is exactly how the value prints inside a larger
/// pretty-printed document.
fn indented(json: &str, indent: &str) -> String {
    json.replace('\n', &format!("\n{indent}"))
}

/// Where a streamed report goes: `-o FILE` (atomically: the file appears whole when the
/// report is complete) or stdout (a closed pipe ends the run, as for a report written at
/// once: [`super::stdout_error`]).
enum Output {
    File(PathBuf, super::atomic::AtomicFile),
    Stdout(std::io::BufWriter<std::io::Stdout>),
}

impl Output {
    fn open(path: Option<&Path>) -> Result<Output, Failure> {
        Ok(match path {
            Some(p) => Output::File(
                p.to_path_buf(),
                super::atomic::AtomicFile::create(p).map_err(|e| write_error(p, &e))?,
            ),
            None => Output::Stdout(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout(),
            )),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        match self {
            Output::File(path, f) => f
                .write_all(bytes)
                .map_err(|e| write_error(path, &super::WriteFailure::Os(Step::Write, e))),
            Output::Stdout(w) => w.write_all(bytes).map_err(super::stdout_error),
        }
    }

    fn finish(self) -> Result<(), Failure> {
        match self {
            Output::File(path, f) => f.commit().map_err(|e| write_error(&path, &e)),
            Output::Stdout(mut w) => w.flush().map_err(super::stdout_error),
        }
    }
}

/// The sections of a Markdown or HTML batch, kept in a temporary file until the ranking
/// that comes before them is written. The file has no name where the system allows it
/// (see [`Temporary::anonymous`]), so that nothing is left behind however the run
/// ends.
struct Spool {
    dir: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    /// Where the file keeps its name until dropped (dropped after `file`).
    _name: Option<Temporary>,
}

impl Spool {
    fn create(dir: &Path) -> Result<Spool, Failure> {
        let (file, name) = Temporary::anonymous(dir).map_err(|e| write_error(dir, &e))?;
        Ok(Spool {
            dir: dir.to_path_buf(),
            file: std::io::BufWriter::with_capacity(1 << 16, file),
            _name: name,
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.file
            .write_all(bytes)
            .map_err(|e| write_error(&self.dir, &super::WriteFailure::Os(Step::Write, e)))
    }

    /// Copies everything written to `out`.
    fn copy_to(mut self, out: &mut Output) -> Result<(), Failure> {
        use std::io::{Read as _, Seek as _};
        let spool_error =
            |dir: &Path, e| write_error(dir, &super::WriteFailure::Os(Step::Write, e));
        self.file.flush().map_err(|e| spool_error(&self.dir, e))?;
        let file = self.file.get_mut();
        file.rewind().map_err(|e| spool_error(&self.dir, e))?;
        let mut buf = vec![0; 1 << 16];
        loop {
            let n = file.read(&mut buf).map_err(|e| spool_error(&self.dir, e))?;
            if n == 0 {
                return Ok(());
            }
            out.write(&buf[..n])?;
        }
    }
}

/// A failed form as the reports list it: its diagnostic's code and message, and the
/// problems it groups (their messages appended to its own, for people).
fn failed_form(path: &Path, diag: &dyn Diagnostic) -> Failed {
    let related = Problem::all_in(diag);
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
        Format::Xlsx => {
            return export::xlsx::form(o)
                .map(Rendered::Bytes)
                .map_err(|e| Box::new(e) as Failure);
        }
    }))
}

/// Writes to `-o FILE` (atomically) or stdout.
fn emit(rendered: Rendered, output: Option<&Path>) -> Result<(), Failure> {
    let bytes: &[u8] = match &rendered {
        Rendered::Text(t) => t.as_bytes(),
        Rendered::Bytes(b) => b,
    };
    match output {
        Some(path) => super::write_atomic(path, bytes).map_err(|e| write_error(path, &e)),
        None => super::write_stdout_bytes(bytes),
    }
}

/// Prints a usage error the way clap does and returns exit code 2.
fn usage_error(kind: ErrorKind, message: &str) -> ExitCode {
    let mut cmd = <ScoreArgs as clap::Args>::augment_args(
        clap::Command::new("score").bin_name("jixiao score"),
    );
    let _ = cmd.error(kind, message).print();
    ExitCode::from(2)
}

/// The batch as a table: one row per form, ranked by computed total.
fn summary_table(
    rules: &jixiao::eval::RulesInfo,
    ranked: &[Ranked],
    failed: &[Failed],
    color: bool,
) -> String {
    let mut out = format!("绩效自评汇总：{} 份表单", ranked.len() + failed.len());
    let shown = |s: &str| jixiao::text::escaped(s, true).into_owned();
    let _ = write!(out, "（计分规则：{}）", shown(&rules.id));
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
            Cell::new(shown(r.department.as_deref().unwrap_or(""))),
            Cell::new(shown(&r.file)),
            Cell::new(r.total).add_attribute(Attribute::Bold),
            Cell::new(shown(r.grade.as_deref().unwrap_or(""))),
            Cell::new(r.reported_total.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new(shown(r.reported_grade.as_deref().unwrap_or(""))),
            diff_cell(r.difference, color),
        ]);
    }
    for f in failed {
        let grade = Cell::new(NOT_SCORED);
        t.add_row(vec![
            Cell::new(""),
            Cell::new(""),
            Cell::new(shown(&f.file)),
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
    fn a_streamed_batch_json_is_the_whole_batch_pretty_printed() {
        #[derive(Serialize)]
        struct Whole<'a> {
            forms: &'a [Outcome<'a>],
            summary: &'a [Ranked],
            failed: &'a [Failed],
        }
        let rules =
            jixiao::compile(&jixiao::bundled("hubei-2021").expect("bundled")).expect("compiles");
        let text = include_str!("../../examples/tongcheng-2021.toml");
        let outcomes: Vec<Outcome> = ["a.toml", "b.toml"]
            .iter()
            .map(|name| {
                let form = jixiao::load_form(&jixiao::Source::new(*name, text)).expect("loads");
                jixiao::evaluate(&rules, &form)
                    .expect("scores")
                    .into_owned()
            })
            .collect();
        let ranked = export::ranking(&outcomes);
        let failed = vec![Failed {
            file: "c.toml".into(),
            code: Some("jixiao::form::invalid".into()),
            message: "表单 \"c.toml\" 有 1 处错误".into(),
            related: vec![Problem {
                code: None,
                message: "第一行\n第二行".into(),
            }],
        }];
        let mut streamed = String::new();
        for (i, o) in outcomes.iter().enumerate() {
            streamed.push_str(json_separator(i == 0));
            streamed.push_str(&indented(&pretty(o), "    "));
        }
        streamed.push_str(&json_tail(&ranked, &failed));
        let whole = Whole {
            forms: &outcomes,
            summary: &ranked,
            failed: &failed,
        };
        assert_eq!(streamed, format!("{}\n", pretty(&whole)));
    }
}
