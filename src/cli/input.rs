//! Reading forms from files: the TOML layout, and (being written) spreadsheets, CSV and
//! the form's extracted text, each converted to the same typed `Form`.

use std::path::Path;

use jixiao::Form;

use super::Failure;

/// Where indicator weights come from when the input has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Weights {
    /// The input must give every weight.
    #[default]
    Given,
    /// Each indicator's reported score is taken as its weight (with a warning per goal).
    Reported,
}

/// Loads the form in `path`, whatever its layout.
pub(crate) fn load_form_file(path: &Path, weights: Weights) -> Result<Form, Failure> {
    let _ = weights;
    let source = super::read_source(path)?;
    jixiao::load_form(&source).map_err(|e| Box::new(e) as Failure)
}
