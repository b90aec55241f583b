//! The command line: reads files, calls the library's phases, renders results and
//! diagnostics, and chooses the exit code (0 ok, 1 bad input, 2 bad usage).

mod table;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use thiserror::Error;

use jixiao::{Outcome, Rules, Source};

/// 绩效自评表计分：用规则文件为部门整体绩效自评表计分。
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score a form (计分): every indicator, goal, the budget line, total and grade.
    Score {
        /// The form, a TOML file.
        form: PathBuf,
        /// A rule file, or the name of a bundled rule set. Default: hubei-2021.
        #[arg(long, short, value_name = "FILE|NAME")]
        rules: Option<String>,
        /// Output: a table for people, or JSON for programs.
        #[arg(long, short, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A table in the form's Chinese terms.
    Table,
    /// One JSON object on stdout; decimals as strings.
    Json,
}

/// A file that could not be read.
#[derive(Debug, Error, Diagnostic)]
enum IoError {
    #[error("无法读取文件 {path}：{reason}")]
    #[diagnostic(code(jixiao::io::read), help("检查路径是否正确、文件是否存在且可读"))]
    Read { path: String, reason: String },
    #[error("文件 {path} 不是 UTF-8 编码的文本")]
    #[diagnostic(
        code(jixiao::io::encoding),
        help("用文本编辑器把文件另存为 UTF-8 编码（Windows 记事本：另存为 → 编码 UTF-8）")
    )]
    Encoding { path: String },
    #[error("找不到规则 {name}")]
    #[diagnostic(code(jixiao::io::unknown_rules))]
    UnknownRules {
        name: String,
        #[help]
        help: String,
    },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(report) => {
            eprint!("{}", render_report(report.as_ref()));
            ExitCode::from(1)
        }
    }
}

type Failure = Box<dyn Diagnostic + Send + Sync>;

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Score {
            form,
            rules,
            format,
        } => {
            let rules = load_rules(rules.as_deref())?;
            let outcome = score(&rules, &form)?;
            let out = match format {
                Format::Json => json(&outcome),
                Format::Table => table::render(&outcome, color_stdout()),
            };
            write_stdout(&out);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn score(rules: &Rules, path: &Path) -> Result<Outcome, Failure> {
    let source = read_source(path)?;
    let form = jixiao::load_form(&source).map_err(|e| Box::new(e) as Failure)?;
    jixiao::evaluate(rules, &form).map_err(|e| Box::new(e) as Failure)
}

/// Compiles the rules named on the command line: a file if one exists at that path,
/// else a bundled rule set of that name; the default set when none is named.
fn load_rules(arg: Option<&str>) -> Result<Rules, Failure> {
    let source = match arg {
        None => bundled_or_err(jixiao::DEFAULT_RULES)?,
        Some(a) if Path::new(a).exists() => read_source(Path::new(a))?,
        Some(a) => match jixiao::bundled(a) {
            Some(s) => s,
            None if a.ends_with(".rules") || a.contains('/') => read_source(Path::new(a))?,
            None => bundled_or_err(a)?,
        },
    };
    jixiao::compile(&source).map_err(|e| Box::new(e) as Failure)
}

fn bundled_or_err(name: &str) -> Result<Source, Failure> {
    jixiao::bundled(name).ok_or_else(|| {
        let names = jixiao::bundled_names();
        Box::new(IoError::UnknownRules {
            name: name.to_owned(),
            help: format!(
                "--rules 接受规则文件路径或内置规则名；内置规则：{}",
                names.join("、")
            ),
        }) as Failure
    })
}

fn read_source(path: &Path) -> Result<Source, Failure> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(IoError::Read {
            path: display.clone(),
            reason: e.to_string(),
        }) as Failure
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Box::new(IoError::Encoding {
            path: display.clone(),
        }) as Failure
    })?;
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(Source::new(display, text))
}

fn json(outcome: &Outcome) -> String {
    match serde_json::to_string_pretty(outcome) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Outcome holds only strings, decimals and plain containers.
        Err(e) => unreachable!("Outcome serialises: {e}"),
    }
}

fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`jixiao score f | head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn color_stdout() -> bool {
    !no_color() && std::io::stdout().is_terminal()
}

/// Renders a diagnostic for stderr: colour only on a terminal without NO_COLOR.
pub(crate) fn render_report(diag: &dyn Diagnostic) -> String {
    let color = !no_color() && std::io::stderr().is_terminal();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let width = if color {
        terminal_width().unwrap_or(100)
    } else {
        100
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    if handler.render_report(&mut out, diag).is_err() {
        out = format!("错误：{diag}\n");
    }
    out
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}
