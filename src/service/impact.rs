//! What a rule change does to a workspace's forms, as `jixiao diff` shows it for a
//! folder: each form scored under a baseline and a variant, compared by
//! [`crate::report::diff`], with its charts.
//!
//! Input: the two compiled rule sets with the settings applied to each, and each form's
//! outcome under both (the caller may keep the baseline's between requests: a baseline
//! rarely changes while the variant is edited; the variant's outcomes are compared as
//! they are made). Output: the diff [`Report`], its JSON
//! value ([`crate::report::diff::json::value`]) with `charts` added. Invariants: a form
//! that cannot be scored under either side is listed as failed, never compared.

use serde_json::Value;

use super::Diagnostic;
use super::scoring::{LoadedForm, score};
use crate::check::Rules;
use crate::eval::Outcome;
use crate::report::diff::view::{Mode, RulesRef};
use crate::report::diff::{FormDiff, Report, charts, diff_outcomes};

/// Every form's outcome under `rules` (no trace), owned, so that it can be kept.
#[must_use]
pub fn outcomes<F: AsRef<LoadedForm>>(
    rules: &Rules,
    forms: &[F],
) -> Vec<Result<Outcome<'static>, Diagnostic>> {
    forms
        .iter()
        .map(|f| score(rules, f.as_ref(), false).map(Outcome::into_owned))
        .collect()
}

/// Each form's diff between its `baseline` outcome (in the same order as `forms`) and
/// its outcome under `rules`, and the paths of the forms that could not be scored on
/// either side. The new outcomes are compared as they are made and not kept.
#[must_use]
pub fn diffs<F: AsRef<LoadedForm>>(
    rules: &Rules,
    forms: &[F],
    baseline: &[Result<Outcome<'static>, Diagnostic>],
) -> (Vec<FormDiff>, Vec<String>) {
    let mut diffs = Vec::with_capacity(forms.len());
    let mut failed = Vec::new();
    for (f, old) in forms.iter().zip(baseline) {
        let f = f.as_ref();
        match (old, score(rules, f, false)) {
            (Ok(o), Ok(n)) => diffs.push(diff_outcomes(o, &n)),
            _ => failed.push(f.path.clone()),
        }
    }
    (diffs, failed)
}

/// The diff report of a rule change (`jixiao diff`'s for a folder) from [`diffs`].
#[must_use]
pub fn report(
    old_rules: RulesRef,
    new_rules: RulesRef,
    diffs: Vec<FormDiff>,
    failed: Vec<String>,
) -> Report {
    Report::new(Mode::Rules, false, old_rules, new_rules, diffs, failed)
}

/// The report's JSON value, with `charts`: `histogram` (the totals before and after) and
/// `matrix` (the grade transitions; `null` when no grade changed), as SVG.
#[must_use]
pub fn json(report: &Report) -> Value {
    let mut value = crate::report::diff::json::value(report);
    if let Value::Object(map) = &mut value {
        map.insert(
            "charts".to_owned(),
            serde_json::json!({
                "histogram": charts::histogram(report),
                "matrix": charts::matrix(report),
            }),
        );
    }
    value
}
