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

mod batch;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::ErrorKind;
use miette::Diagnostic;
use thiserror::Error;

use jixiao::Outcome;
use jixiao::report::export::{self, Format};

use super::{Failure, RulesArgs, write_error};
use batch::score_batch;

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
    /// 表单：TOML、.xlsx/.xls、.csv 或表单文字 .txt；多个文件或文件夹时批量计分，按总分排名
    #[arg(required = true, value_name = "FORM")]
    pub(crate) forms: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// 输出格式；默认 table，或按 -o 文件的扩展名
    #[arg(long, short, value_enum)]
    pub(crate) format: Option<Format>,
    /// 把报告写入文件（原子写入），而不是输出到终端
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// 在表格后说明每个得分：类别、公式、上限、舍入、规则行（一份表单、表格格式时；JSON 总带有每个得分的 trace）
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
pub(crate) struct UnknownExtension {
    pub(crate) path: String,
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
        return Ok(super::usage::reject(
            ErrorKind::ArgumentConflict,
            "xlsx 是二进制文件，不能输出到终端；请用 -o 报告.xlsx 写入文件，或重定向：> 报告.xlsx",
            "score",
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
        if let Some(path) = &args.output {
            wrote(path, &outcome.warnings);
        }
        return Ok(ExitCode::SUCCESS);
    }

    if paths.is_empty() {
        return Err(no_forms(&args.forms));
    }
    let report = score_batch(&rules, &paths, format, args)?;
    if let Some(path) = &args.output {
        wrote(path, &[]);
    }
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
        Format::Json => jixiao::report::json::pretty(o),
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

/// After writing to `-o FILE`: where it went, and the form's warnings, which the report
/// in the file carries but the terminal would otherwise not show.
fn wrote(path: &Path, warnings: &[jixiao::eval::Warning]) {
    let mut note = String::new();
    for w in warnings {
        note.push_str(&format!(
            "警告（{}）：{}\n",
            w.code,
            jixiao::text::escaped(&w.message, false)
        ));
    }
    note.push_str(&format!(
        "已写入 {}\n",
        jixiao::text::escaped(&path.display().to_string(), false)
    ));
    super::write_stderr(&note);
}
