//! The reports the workbench offers for download, built from the same writers as the
//! command line's (`score -o`, `diff -f`): a score report of every form (ranking, then
//! each form) and a diff report of a rule change, each as HTML, xlsx, CSV or Markdown.
//!
//! Input: outcomes (or their diagnostics) under one rule set, or a diff [`Report`]; the
//! format. Output: the file's bytes, its file name and content type. Invariants: every
//! section is the export module's own ([`crate::report::export`],
//! [`crate::report::diff`]); only the whole-file assembly a batch needs is here (the
//! command line streams the same pieces to disk, for batches larger than memory).

use super::Diagnostic;
use crate::eval::{Outcome, RulesInfo};
use crate::report::diff::Report;
use crate::report::export::{self, Failed};

/// A report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A self-contained HTML page.
    Html,
    /// An Excel workbook.
    Xlsx,
    /// CSV (UTF-8 with BOM).
    Csv,
    /// Markdown.
    Md,
}

impl Format {
    /// The format named `name` (`html`, `xlsx`, `csv`, `md`).
    #[must_use]
    pub fn named(name: &str) -> Option<Format> {
        match name {
            "html" => Some(Format::Html),
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            "md" => Some(Format::Md),
            _ => None,
        }
    }

    /// The file extension.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Md => "md",
        }
    }

    /// The content type to serve it with.
    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Md => "text/markdown; charset=utf-8",
        }
    }
}

/// Why a report was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    /// This build has no workbook writer (the library without its `xlsx` feature).
    Unsupported,
    /// The workbook writer failed (its message).
    Xlsx(String),
}

/// A form that could not be scored, as the reports list it.
fn failed(path: &str, d: &Diagnostic) -> Failed {
    Failed {
        file: path.to_owned(),
        code: Some(d.code.clone()),
        message: d.message.clone(),
        related: Vec::new(),
    }
}

/// The score report of `scored` (each form's path and outcome, or why it has none),
/// under the rule set `rules`.
///
/// # Errors
/// [`ReportError::Xlsx`] when the workbook cannot be built.
pub fn score_report(
    format: Format,
    rules: &RulesInfo<'_>,
    scored: &[(&str, &Result<Outcome<'_>, Diagnostic>)],
) -> Result<Vec<u8>, ReportError> {
    let outcomes: Vec<&Outcome<'_>> = scored.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
    let fails: Vec<Failed> = scored
        .iter()
        .filter_map(|(p, r)| r.as_ref().err().map(|d| failed(p, d)))
        .collect();
    let ranked = export::rank(
        outcomes
            .iter()
            .map(|o| export::Ranked::unranked(o))
            .collect(),
    );
    let text = match format {
        Format::Csv => export::csv::ranking(&ranked, &fails),
        Format::Md => {
            let mut t = export::markdown::batch_head(Some(rules), &ranked, &fails);
            for o in &outcomes {
                t.push_str(&export::markdown::batch_form(o));
            }
            t
        }
        Format::Html => {
            let mut t = export::html::batch_head(Some(rules), &ranked, &fails);
            for o in &outcomes {
                t.push_str(&export::html::batch_form(o));
            }
            t.push_str(export::html::batch_tail());
            t
        }
        Format::Xlsx => return xlsx(rules, &ranked, &fails, &outcomes),
    };
    Ok(text.into_bytes())
}

#[cfg(feature = "xlsx")]
fn xlsx(
    rules: &RulesInfo<'_>,
    ranked: &[export::Ranked],
    fails: &[Failed],
    outcomes: &[&Outcome<'_>],
) -> Result<Vec<u8>, ReportError> {
    let fail = |e: export::xlsx::XlsxFailure| ReportError::Xlsx(e.to_string());
    let sheets = outcomes
        .iter()
        .map(|o| export::xlsx::batch_sheet(o))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    export::xlsx::batch(Some(rules), ranked, fails, sheets).map_err(fail)
}

#[cfg(not(feature = "xlsx"))]
fn xlsx(
    _: &RulesInfo<'_>,
    _: &[export::Ranked],
    _: &[Failed],
    _: &[&Outcome<'_>],
) -> Result<Vec<u8>, ReportError> {
    Err(ReportError::Unsupported)
}

/// The diff report of a rule change, as `jixiao diff -f html|xlsx|csv|md` writes it.
///
/// # Errors
/// [`ReportError::Xlsx`] when the workbook cannot be built; [`ReportError::Unsupported`]
/// for xlsx in a build without the `xlsx` feature.
pub fn diff_report(format: Format, report: &Report) -> Result<Vec<u8>, ReportError> {
    use crate::report::diff;
    Ok(match format {
        Format::Html => diff::html::render(report),
        Format::Csv => diff::csv::render(report),
        Format::Md => diff::markdown::render(report),
        Format::Xlsx => return diff_xlsx(report),
    }
    .into_bytes())
}

#[cfg(feature = "xlsx")]
fn diff_xlsx(report: &Report) -> Result<Vec<u8>, ReportError> {
    crate::report::diff::xlsx::render(report).map_err(|e| ReportError::Xlsx(e.to_string()))
}

#[cfg(not(feature = "xlsx"))]
fn diff_xlsx(_: &Report) -> Result<Vec<u8>, ReportError> {
    Err(ReportError::Unsupported)
}
