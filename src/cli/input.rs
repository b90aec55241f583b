//! Reading forms from files: the TOML layout as it is, and spreadsheets, CSV files and
//! the form's extracted text converted to it first (`jixiao::import`), each giving the
//! same typed `Form`.

use std::path::Path;

use jixiao::Form;
use jixiao::import::{Format, Imported, Options};

use super::Failure;

/// The options for a form converted from a spreadsheet or text, the same in every command
/// that reads a form.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct Converted {
    /// Where indicator weights come from when a converted form (Excel, CSV, text) has none.
    #[arg(long, value_enum, default_value_t = Weights::Given)]
    pub(crate) weights: Weights,
}

/// Where indicator weights come from when the input has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Weights {
    /// The input must give every weight.
    #[default]
    Given,
    /// Each indicator's reported score (自评得分) is taken as its weight (with a warning
    /// per goal).
    Reported,
}

impl From<Weights> for jixiao::import::Weights {
    fn from(w: Weights) -> Self {
        match w {
            Weights::Given => jixiao::import::Weights::Given,
            Weights::Reported => jixiao::import::Weights::Reported,
        }
    }
}

/// Loads the form in `path`, whatever its layout: a `.toml` form as it is; an `.xlsx`,
/// `.xls`, `.csv` or `.txt` file converted first, its warnings printed on stderr, and
/// loaded under the name `INPUT（已转换）` so that diagnostics say the TOML was generated
/// (each value's comment names its cell).
pub(crate) fn load_form_file(path: &Path, weights: Weights) -> Result<Form, Failure> {
    let source = form_source(path, weights)?;
    jixiao::load_form_with_limits(&source, super::limits()).map_err(|e| Box::new(e) as Failure)
}

/// The TOML text of the form in `path`, as [`load_form_file`] reads it (converted first
/// from a spreadsheet, CSV or text, with the conversion's warnings printed), for callers
/// that load it themselves and keep the form's errors apart.
pub(crate) fn form_source(path: &Path, weights: Weights) -> Result<jixiao::Source, Failure> {
    let Some(format) = import_format(path) else {
        return super::read_source(path, super::Input::Form);
    };
    let imported = import_file(path, format, weights, None)?;
    print_warnings(&imported);
    Ok(jixiao::Source::new(converted_name(path), imported.toml))
}

/// The import format a file's extension names; `None` for `.toml` and anything else.
pub(crate) fn import_format(path: &Path) -> Option<Format> {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(Format::from_extension)
}

/// Reads and converts one file.
pub(crate) fn import_file(
    path: &Path,
    format: Format,
    weights: Weights,
    sheet: Option<String>,
) -> Result<Imported, Failure> {
    let display = path.display().to_string();
    let bytes = super::read_bytes(path, super::Input::Form)?;
    let options = Options {
        weights: weights.into(),
        sheet,
    };
    jixiao::import::import_with_limits(&display, &bytes, format, &options, super::limits())
        .map_err(|e| Box::new(e) as Failure)
}

/// The name a converted form's diagnostics show: `INPUT.xlsx（已转换）`.
pub(crate) fn converted_name(path: &Path) -> String {
    format!("{}（已转换）", path.display())
}

/// Prints an import's warnings on stderr, as miette warnings.
pub(crate) fn print_warnings(imported: &Imported) {
    for w in &imported.warnings {
        super::print_report(w);
    }
}
