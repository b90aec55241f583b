//! Reading forms from files: the TOML layout as it is, and spreadsheets, Word documents,
//! PDFs, CSV files and the form's extracted text converted to it first (`jixiao::import`), each giving the
//! same typed `Form`.
//!
//! A conversion's warnings (a weight taken from a reported score, a repaired cell, a
//! number read as a percentage) travel with the form read ([`FormFile`]) into every
//! outcome scored from it, so that the JSON and every report show them beside the
//! evaluation's own; they are printed on stderr as well, as the conversion finds them.

use std::path::Path;

use jixiao::eval::Warning;
use jixiao::import::{Format, ImportWarning, Imported, Options, Weights};
use jixiao::{Form, Outcome};

use super::Failure;

/// The options for a form converted from a workbook, a document or text, the same in every command
/// that reads a form.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct Converted {
    #[arg(long, value_enum, default_value_t = Weights::Given, help = format!(
        "转换来的表单（{}）没有指标分值时，分值从哪里来",
        Format::labels()
    ))]
    pub(crate) weights: Weights,
}

/// The forms a command reads, for the help of its FORM argument: TOML, and every format
/// `jixiao import` converts (from its one table, [`Format`]).
pub(crate) fn readable() -> String {
    format!(
        "TOML 表单，或 {}（按 jixiao import 的方式转换后读取）",
        Format::labels()
    )
}

/// A form read from a file, and the warnings of its conversion (none for a `.toml` form).
pub(crate) struct FormFile {
    pub(crate) form: Form,
    /// The conversion's warnings, as an outcome carries them.
    pub(crate) warnings: Vec<Warning>,
}

impl std::ops::Deref for FormFile {
    type Target = Form;

    fn deref(&self) -> &Form {
        &self.form
    }
}

impl FormFile {
    /// Puts the conversion's warnings into an outcome scored from this form, before the
    /// evaluation's own (the conversion came first).
    pub(crate) fn warn(&self, outcome: &mut Outcome<'_>) {
        outcome.warnings.splice(0..0, self.warnings.iter().cloned());
    }
}

/// Loads the form in `path`, whatever its layout: a `.toml` form as it is; a file in a
/// format [`Format::from_extension`] names converted first, its warnings printed on
/// stderr and kept with the form, and loaded under the name `INPUT（已转换）` so that diagnostics say the
/// TOML was generated (each value's comment names its cell).
pub(crate) fn load_form_file(path: &Path, weights: Weights) -> Result<FormFile, Failure> {
    let (source, warnings) = converted_source(path, weights)?;
    let form = jixiao::load_form_with_limits(&source, super::limits())
        .map_err(|e| Box::new(e) as Failure)?;
    Ok(FormFile { form, warnings })
}

/// The TOML text of the form in `path`, as [`load_form_file`] reads it (converted first
/// from a workbook, a Word document, a PDF, CSV or text, with the conversion's warnings printed), for callers
/// that load it themselves and keep the form's errors apart.
pub(crate) fn form_source(path: &Path, weights: Weights) -> Result<jixiao::Source, Failure> {
    converted_source(path, weights).map(|(source, _)| source)
}

fn converted_source(
    path: &Path,
    weights: Weights,
) -> Result<(jixiao::Source, Vec<Warning>), Failure> {
    let Some(format) = import_format(path) else {
        return super::read_source(path, super::Input::Form).map(|s| (s, Vec::new()));
    };
    let imported = import_file(path, format, weights, None)?;
    print_warnings(&imported);
    let warnings = imported
        .warnings
        .iter()
        .map(ImportWarning::to_outcome_warning)
        .collect();
    Ok((
        jixiao::Source::new(converted_name(path), imported.toml),
        warnings,
    ))
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
    let options = Options { weights, sheet };
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
