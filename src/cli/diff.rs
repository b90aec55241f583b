//! `jixiao diff`: PLACEHOLDER — a helper is writing this module.

use std::process::ExitCode;

use super::Failure;

#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {}

pub(crate) fn run(_args: &DiffArgs) -> Result<ExitCode, Failure> {
    Ok(ExitCode::SUCCESS)
}
