//! Scoring a workspace's forms for the workbench: forms loaded once (from TOML, or
//! converted from a workbook, a Word document, a PDF, CSV or text first), then scored under any rules as often
//! as the rules change.
//!
//! Input: form texts or bytes with their workspace paths, [`Limits`]; compiled [`Rules`].
//! Output: [`LoadedForm`]s to keep, and per scoring the [`Outcome`]s or a [`FormRow`] per
//! form (total, grade, reported total, difference: the outcome's own decimals, at the
//! rules' places). Invariants: a form that cannot be loaded or scored is a row with its
//! diagnostic, never a missing row; scoring for rows records no trace ([`score`] with
//! `trace: false`), the scores being the same.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Diagnostic, Texts, convert};
use crate::check::Rules;
use crate::code::Code;
use crate::eval::{Options, Outcome, Warning};
use crate::form::Form;
use crate::import::{Format, ImportErrors, Imported, Weights};
use crate::limits::Limits;
use crate::source::Source;

/// A form as read from the workspace: loaded, or the diagnostic of why not.
#[derive(Debug)]
pub struct LoadedForm {
    /// Its workspace path.
    pub path: String,
    /// The form, or the first diagnostic of why it cannot be loaded.
    pub form: Result<Form, Diagnostic>,
    /// A conversion's warnings (none for a TOML form), carried into its outcomes.
    pub warnings: Vec<Warning>,
}

impl AsRef<LoadedForm> for LoadedForm {
    fn as_ref(&self) -> &LoadedForm {
        self
    }
}

/// The file kinds a workspace holds forms in, by extension: `toml`, or the kind of a
/// format [`crate::import`] converts ([`Format::kind`]: `xlsx`, `docx`, `pdf`, `csv`,
/// `txt`).
#[must_use]
pub fn form_kind(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1;
    if ext.eq_ignore_ascii_case("toml") {
        return Some("toml");
    }
    Format::from_extension(ext).map(Format::kind)
}

/// The first of `diags`, or one saying nothing was said (never expected).
fn first(mut diags: Vec<Diagnostic>) -> Diagnostic {
    diags.swap_remove(0)
}

/// Converts an uploaded or workspace file (a workbook, a Word document, a PDF, CSV or
/// text: [`Format`]) to the TOML layout within `limits`.
///
/// # Errors
/// Every diagnostic of the conversion.
pub fn import(
    path: &str,
    bytes: &[u8],
    weights: crate::import::Weights,
    limits: &Limits,
) -> Result<Imported, Vec<Diagnostic>> {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    let Some(format) = Format::from_extension(ext) else {
        return Err(vec![Diagnostic::about_file(
            crate::Code::ImportUnknownFormat,
            format!("无法导入 {path}：不是可转换的表单文件"),
            Some(format!("可转换的文件：{}", Format::described())),
            path,
        )]);
    };
    let options = crate::import::Options {
        weights,
        sheet: None,
    };
    crate::import::import_with_limits(path, bytes, format, &options, limits)
        .map_err(|e: ImportErrors| convert(&e, &Texts::new(), path))
}

/// Loads a form from its file's bytes: a `.toml` form decoded (UTF-8 or GBK), any other
/// converted first, its weights from where `weights` says.
#[must_use]
pub fn load(path: &str, bytes: &[u8], weights: Weights, limits: &Limits) -> LoadedForm {
    let loaded = |form, warnings| LoadedForm {
        path: path.to_owned(),
        form,
        warnings,
    };
    let (source, warnings) = if form_kind(path) == Some("toml") {
        match crate::source::decode(bytes) {
            Ok((text, _)) => (Source::new(path, text), Vec::new()),
            Err(e) => {
                let d = Diagnostic::about_file(
                    crate::Code::IoEncoding,
                    format!("无法读取文件 {path} 的文字：{}", e.found),
                    Some("用文本编辑器把文件另存为 UTF-8 编码".to_owned()),
                    path,
                );
                return loaded(Err(d), Vec::new());
            }
        }
    } else {
        match import(path, bytes, weights, limits) {
            Ok(imported) => {
                let warnings = imported
                    .warnings
                    .iter()
                    .map(crate::import::ImportWarning::to_outcome_warning)
                    .collect();
                (Source::new(path, imported.toml), warnings)
            }
            Err(diags) => return loaded(Err(first(diags)), Vec::new()),
        }
    };
    match crate::load_form_with_limits(&source, limits) {
        Ok(form) => loaded(Ok(form), warnings),
        Err(e) => {
            let mut texts = Texts::new();
            texts.insert(source.name(), source.text());
            loaded(Err(first(convert(&e, &texts, path))), warnings)
        }
    }
}

/// Scores one form: its outcome (with the conversion's warnings first), or the
/// diagnostic of why it cannot be scored.
///
/// # Errors
/// The form's load error, or the evaluation error.
pub fn score<'a>(
    rules: &'a Rules,
    form: &'a LoadedForm,
    trace: bool,
) -> Result<Outcome<'a>, Diagnostic> {
    let f = form.form.as_ref().map_err(Clone::clone)?;
    match crate::evaluate_with(rules, f, Options { trace }) {
        Ok(mut outcome) => {
            outcome.warnings.splice(0..0, form.warnings.iter().cloned());
            Ok(outcome)
        }
        Err(e) => {
            let mut texts = Texts::new();
            texts.insert(f.source.name(), f.source.text());
            for (_, s) in &rules.sources {
                texts.insert(s.name(), s.text());
            }
            Err(first(convert(&e, &texts, &form.path)))
        }
    }
}

/// One form's line in the workbench's table.
#[derive(Debug, Clone, Serialize)]
pub struct FormRow {
    /// Its workspace path.
    pub path: String,
    /// 单位名称.
    pub department: Option<String>,
    /// The year.
    pub year: Option<i64>,
    /// 总分, at the rules' places; `None` when the form could not be scored.
    pub total: Option<Decimal>,
    /// 等级.
    pub grade: Option<String>,
    /// The total the department reported.
    pub reported: Option<Decimal>,
    /// Computed minus reported.
    pub difference: Option<Decimal>,
    /// How many warnings the outcome has.
    pub warnings: usize,
    /// The rule set the form names when these rules are not it nor extend it
    /// (`jixiao::eval::other_rules`): the total is not the one its scheme gives.
    pub other_rules: Option<String>,
    /// Why it could not be loaded or scored.
    pub error: Option<Diagnostic>,
}

impl FormRow {
    /// The row of an outcome, or of the error scoring gave.
    #[must_use]
    pub fn of(path: &str, scored: &Result<Outcome<'_>, Diagnostic>) -> FormRow {
        match scored {
            Ok(o) => FormRow {
                path: path.to_owned(),
                department: o.form.department.as_deref().map(str::to_owned),
                year: o.form.year,
                total: Some(o.total),
                grade: o.grade.as_deref().map(str::to_owned),
                reported: o.reported_total,
                difference: o.difference(),
                warnings: o.warnings.len(),
                other_rules: o
                    .warnings
                    .iter()
                    .any(|w| w.code == Code::EvalOtherRules)
                    .then(|| o.form.rules.as_deref().map(str::to_owned))
                    .flatten(),
                error: None,
            },
            Err(e) => FormRow {
                path: path.to_owned(),
                department: None,
                year: None,
                total: None,
                grade: None,
                reported: None,
                difference: None,
                warnings: 0,
                other_rules: None,
                error: Some(e.clone()),
            },
        }
    }
}

/// Every form's row under `rules`, and the most a form could score.
#[derive(Debug, Clone, Serialize)]
pub struct Rows {
    /// One row per form, in the order given.
    pub forms: Vec<FormRow>,
    /// The first scored form's maximum (the budget weight plus its goals' weights);
    /// `None` when no form could be scored.
    pub max_total: Option<Decimal>,
}

/// Every form's row under `rules`, in the order given, split across threads
/// ([`super::split`]): what the workbench re-runs on each edit of the rules or a
/// parameter (without trace).
#[must_use]
pub fn score_rows<F: AsRef<LoadedForm> + Sync>(rules: &Rules, forms: &[F]) -> Rows {
    let pieces = super::split::pieces(forms, |_, piece| {
        let mut max_total = None;
        let rows: Vec<FormRow> = piece
            .iter()
            .map(|f| {
                let f = f.as_ref();
                let scored = score(rules, f, false);
                if let (None, Ok(o)) = (max_total, &scored) {
                    max_total = Some(o.max_total);
                }
                FormRow::of(&f.path, &scored)
            })
            .collect();
        (rows, max_total)
    });
    let mut all = Rows {
        forms: Vec::with_capacity(forms.len()),
        max_total: None,
    };
    for (rows, max_total) in pieces {
        all.max_total = all.max_total.or(max_total);
        all.forms.extend(rows);
    }
    all
}
