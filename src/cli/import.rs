//! `jixiao import INPUT [-o FORM.toml] [--weights given|reported] [--sheet NAME]`:
//! converts a workbook, a Word document, a PDF, a CSV file or a form's extracted text
//! into the TOML layout.
//!
//! The converted form is loaded before anything is written, so a form that would not
//! load (a unit mismatch, say) is reported, pointing into the generated TOML whose
//! comments name the cells, and nothing is written. With `-o` the file is written through
//! a temporary file in the same folder renamed over it (a device or a pipe is written
//! into directly); without, the TOML goes to stdout. The output must be a `.toml` file
//! (or have no extension), and not the input itself.
//! Warnings (weights taken from reported scores, repaired cells) go to stderr. Exit
//! status: 0 when converted, 1 for input that cannot be converted, 2 for bad usage.

use std::path::PathBuf;
use std::process::ExitCode;

use miette::Diagnostic;
use thiserror::Error;

use super::Failure;
use super::input::{converted_name, import_file, import_format, print_warnings};
use jixiao::import::Format;

#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    #[arg(value_name = "INPUT", help = format!("输入：{}", Format::described()))]
    input: PathBuf,
    /// 把表单写入这个 TOML 文件；默认输出到终端
    #[arg(long, short, value_name = "FORM.toml")]
    output: Option<PathBuf>,
    #[command(flatten)]
    converted: super::input::Converted,
    /// 要读取的工作表；默认第一个版式像自评表的可见工作表
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
}

#[derive(Debug, Error, Diagnostic)]
enum ImportCliError {
    #[error("无法识别 {path} 的文件类型")]
    #[diagnostic(code(jixiao::import::unknown_format))]
    UnknownFormat {
        path: String,
        /// The formats that can be converted, from [`Format::described`].
        #[help]
        help: String,
    },
    #[error("import 输出的是 TOML 表单，不能写入 {path}")]
    #[diagnostic(
        code(jixiao::usage::unknown_extension),
        help(
            "用 .toml 作输出文件的扩展名，例如 -o 表单.toml；其他扩展名的文件会被当作表格或文本读取"
        )
    )]
    NotToml { path: String },
}

pub(crate) fn run(args: &ImportArgs) -> Result<ExitCode, Failure> {
    if let Some(path) = &args.output {
        super::refuse_input_as_output(path, std::slice::from_ref(&args.input))?;
        let toml = path
            .extension()
            .is_none_or(|x| x.eq_ignore_ascii_case("toml"));
        if !toml {
            return Err(Box::new(ImportCliError::NotToml {
                path: path.display().to_string(),
            }));
        }
    }
    let Some(format) = import_format(&args.input) else {
        return Err(Box::new(ImportCliError::UnknownFormat {
            path: args.input.display().to_string(),
            help: format!(
                "可转换的文件：{}；TOML 表单（.toml）无需转换",
                Format::described()
            ),
        }));
    };
    let imported = import_file(
        &args.input,
        format,
        args.converted.weights,
        args.sheet.clone(),
    )?;
    print_warnings(&imported);
    let source = jixiao::Source::new(converted_name(&args.input), imported.toml.as_str());
    let form = jixiao::load_form_with_limits(&source, super::limits())
        .map_err(|e| Box::new(e) as Failure)?;
    match &args.output {
        None => super::write_stdout(&imported.toml)?,
        Some(path) => {
            super::write_atomic(path, imported.toml.as_bytes())
                .map_err(|e| super::write_error(path, &e))?;
            let indicators: usize = form.goals.iter().map(|g| g.indicators.len()).sum();
            let mut what = format!("{} 个年度目标，{} 项指标", form.goals.len(), indicators);
            let bonuses = form
                .adjustments
                .iter()
                .filter(|a| a.kind == jixiao::syntax::ast::AdjustmentKind::Bonus)
                .count();
            for (n, unit) in [
                (bonuses, "项加分项"),
                (form.adjustments.len() - bonuses, "项扣分项"),
                (form.facts.len(), "项表单信息"),
            ] {
                if n > 0 {
                    what.push_str(&format!("，{n} {unit}"));
                }
            }
            super::write_stderr(&format!("已写入 {}：{what}\n", path.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}
