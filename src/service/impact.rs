//! What a rule change does to a workspace's forms, as `jixiao diff` shows it for a
//! folder: each form scored under a baseline and a variant, compared by
//! [`crate::report::diff`], with its charts.
//!
//! Input: the two compiled rule sets with the settings applied to each, and each form's
//! outcome under both (the caller may keep the baseline's between requests: a baseline
//! rarely changes while the variant is edited). Output: the diff [`Report`], its JSON
//! value ([`crate::report::diff::json::value`]) with `charts` added. Invariants: a form
//! that cannot be scored under either side is listed as failed, never compared.

use serde_json::Value;

use super::Diagnostic;
use super::scoring::{LoadedForm, score};
use crate::check::Rules;
use crate::eval::Outcome;
use crate::report::diff::view::{Mode, RulesRef};
use crate::report::diff::{Report, charts, diff_outcomes};

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

/// The diff of the forms `paths` between `old` and `new` outcomes (in the same order).
#[must_use]
pub fn report(
    old_rules: RulesRef,
    new_rules: RulesRef,
    paths: &[&str],
    old: &[Result<Outcome<'static>, Diagnostic>],
    new: &[Result<Outcome<'static>, Diagnostic>],
) -> Report {
    let mut diffs = Vec::new();
    let mut failed = Vec::new();
    for ((path, o), n) in paths.iter().zip(old).zip(new) {
        match (o, n) {
            (Ok(o), Ok(n)) => diffs.push(diff_outcomes(o, n)),
            _ => failed.push((*path).to_owned()),
        }
    }
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
