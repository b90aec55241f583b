//! `jixiao audit`: PLACEHOLDER — a helper is writing this module.

use std::process::ExitCode;

use super::Failure;

#[derive(Debug, clap::Args)]
pub(crate) struct AuditArgs {}

pub(crate) fn run(_args: &AuditArgs) -> Result<ExitCode, Failure> {
    Ok(ExitCode::SUCCESS)
}
