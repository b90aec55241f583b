//! `jixiao fmt [--check] [--keywords zh|en] FILE...`: rewrites rule files into the one
//! canonical layout (see `jixiao::syntax::format`), or with `--check` only reports, as
//! a unified diff on stdout, the files that are not in it.
//!
//! A file is rewritten only when its text changes, through a temporary file in the same
//! folder renamed over it, so an interrupted run never leaves half a file. A file that
//! does not parse gets its diagnostic and is left as it is; the others are still
//! processed. Exit status: 0 when every file is (now) formatted; 1 when a file does not
//! parse or cannot be written, or with `--check` when a file is not formatted.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use jixiao::syntax::format::{Keywords, format};

use super::Failure;

#[derive(Debug, clap::Args)]
pub(crate) struct FmtArgs {
    /// 要格式化的规则文件
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// 不改写文件：列出每个未格式化文件的差异，有则退出码为 1
    #[arg(long)]
    check: bool,
    /// 把关键字和内置名称统一改写为一种语言；默认按文件中多数关键字的语言，内置名称保持原样
    #[arg(long, value_enum, value_name = "zh|en")]
    keywords: Option<KeywordSet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KeywordSet {
    /// 中文：规则、参数、类别、当、档位、权重 …
    Zh,
    /// 英文：rules、param、class、when、band、weight …
    En,
}

/// A formatted file that could not be written back.
pub(crate) fn run(args: &FmtArgs) -> Result<ExitCode, Failure> {
    let keywords = match args.keywords {
        None => Keywords::Keep,
        Some(KeywordSet::Zh) => Keywords::Zh,
        Some(KeywordSet::En) => Keywords::En,
    };
    let mut failed = false;
    let mut diffs = String::new();
    for path in &args.files {
        let result = super::read_source(path, super::Input::Rules).and_then(|source| {
            format(&source, keywords)
                .map(|formatted| (source, formatted))
                .map_err(|e| Box::new(e) as Failure)
        });
        let (source, formatted) = match result {
            Ok(r) => r,
            Err(e) => {
                super::print_report(e.as_ref());
                failed = true;
                continue;
            }
        };
        if formatted == source.text() {
            continue;
        }
        if args.check {
            diffs.push_str(&diff(
                &path.display().to_string(),
                source.text(),
                &formatted,
            ));
            failed = true;
        } else if let Err(e) = super::write_atomic(path, formatted.as_bytes()) {
            super::print_report(&*super::write_error(path, &e));
            failed = true;
        } else {
            super::write_stderr(&format!(
                "已格式化 {}\n",
                jixiao::text::escaped(&path.display().to_string(), false)
            ));
        }
    }
    // The diff shows the rule files' own text: safe for a terminal, line breaks kept.
    super::write_stdout(&jixiao::text::escaped(&diffs, true))?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A unified diff from the file as it is to the file formatted.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name}（格式化后）"))
        .to_string()
}
