//! `jixiao explain`: PLACEHOLDER — a helper is writing this module.

use std::process::ExitCode;

use super::Failure;

#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {}

pub(crate) fn run(_args: &ExplainArgs) -> Result<ExitCode, Failure> {
    Ok(ExitCode::SUCCESS)
}

/// PLACEHOLDER: every indicator's explanation.
pub(crate) fn render_all(_outcome: &jixiao::Outcome) -> String {
    String::new()
}
