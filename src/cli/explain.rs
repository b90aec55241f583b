//! `jixiao explain FORM [INDICATOR]` (说明), and the explanations `score --explain`
//! prints after its table: for each score, the steps that produced it with the rule
//! line of each. Choosing what to explain, merging steps and laying out the text are the
//! library's ([`jixiao::report::explain`]); this module reads the form and writes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use jixiao::Outcome;
use jixiao::report::explain;
use jixiao::report::explain::text::{header, render};

use super::Failure;

/// Explain how each score was reached (说明): class, formula with values, cap, rounding
/// and the rule line of each step.
#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {
    #[arg(value_name = "FORM", help = format!("表单文件：{}", super::input::readable()))]
    form: PathBuf,
    /// 说明哪个得分：指标名称（或其中一段）、路径如 2/城乡居民参保人数 或 目标2/城乡居民参保人数、年度目标（目标2）或 预算；默认全部
    #[arg(value_name = "INDICATOR")]
    indicator: Option<String>,
    #[command(flatten)]
    rules: super::RulesArgs,
    /// 输出：供人阅读的文字，或供程序读取的 JSON
    #[arg(long, short, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    #[command(flatten)]
    converted: super::input::Converted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    /// 编号的步骤，各带规则行
    Text,
    /// 一个 JSON 对象：所选得分及其计算过程，小数为字符串
    Json,
}

pub(crate) fn run(args: &ExplainArgs) -> Result<ExitCode, Failure> {
    let rules = super::load_rules(&args.rules)?;
    let outcome = super::score_file(&rules, &args.form, args.converted.weights)?;
    let selected = match &args.indicator {
        None => explain::all(&outcome),
        Some(q) => explain::find(&outcome, q).map_err(|e| Box::new(e) as Failure)?,
    };
    let out = match args.format {
        ExplainFormat::Json => jixiao::report::json::pretty(&explain::explain(&outcome, &selected)),
        ExplainFormat::Text => {
            // The same scores, selected before, in the outcome made safe for a terminal.
            let outcome = super::for_terminal(&outcome);
            let explanation = explain::explain(&outcome, &selected);
            let mut out = if args.indicator.is_none() {
                header(&outcome)
            } else {
                String::new()
            };
            out.push_str(&render(&outcome, &explanation, super::color_stdout()));
            out
        }
    };
    super::write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Every score's explanation, as `score --explain` prints it after the table.
pub(crate) fn render_all(outcome: &Outcome) -> String {
    let outcome = &super::for_terminal(outcome);
    let explanation = explain::explain(outcome, &explain::all(outcome));
    render(outcome, &explanation, super::color_stdout())
}
