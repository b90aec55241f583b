//! `jixiao score`: one form as a table or JSON; several forms (or a folder) as a batch.

use std::path::PathBuf;
use std::process::ExitCode;

use super::input::Weights;
use super::{Failure, RulesArgs};

#[derive(Debug, clap::Args)]
pub(crate) struct ScoreArgs {
    /// The form: a TOML file (several files or a folder: a batch).
    #[arg(required = true, value_name = "FORM")]
    pub(crate) forms: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// Output: a table for people, or JSON for programs.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// After the table, explain every score: class, formula, cap, rounding, rule line
    /// (JSON always carries each score's `trace`).
    #[arg(long)]
    pub(crate) explain: bool,
    /// Where indicator weights come from when the input has none.
    #[arg(long, value_enum, default_value_t = Weights::Given)]
    pub(crate) weights: Weights,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A table in the form's Chinese terms.
    Table,
    /// One JSON object on stdout; decimals as strings.
    Json,
}

pub(crate) fn run(args: &ScoreArgs) -> Result<ExitCode, Failure> {
    let rules = super::load_rules(&args.rules)?;
    let forms = super::expand_forms(&args.forms)?;
    let mut out = String::new();
    for path in &forms {
        let form = super::input::load_form_file(path, args.weights)?;
        let outcome = jixiao::evaluate(&rules, &form).map_err(|e| Box::new(e) as Failure)?;
        match args.format {
            Format::Json => out.push_str(&super::json(&outcome)),
            Format::Table => {
                out.push_str(&super::table::render(&outcome, super::color_stdout()));
                if args.explain {
                    out.push('\n');
                    out.push_str(&super::explain::render_all(&outcome));
                }
            }
        }
    }
    super::write_stdout(&out);
    Ok(ExitCode::SUCCESS)
}
