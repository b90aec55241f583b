//! One form in full, for the workbench's form view: its outcome as `score --format json`
//! gives it, and every score's trace as steps in Chinese, each with the rule line it
//! comes from, so that the page can link a step to the line in the editor.
//!
//! Input: compiled rules and a loaded form. Output: [`Detail`]. Invariants: the words are
//! the report's ([`crate::report::trace::text`]), the positions typed
//! ([`crate::eval::RuleLine`]), never read back out of text.

use serde::Serialize;

use super::Diagnostic;
use super::scoring::{LoadedForm, score};
use crate::check::Rules;
use crate::eval::Outcome;
use crate::report::explain::{self, Selected};

/// A step of a trace.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// What happened, in Chinese.
    pub text: String,
    /// The rule file of the step, if it comes from a rule.
    pub file: Option<String>,
    /// Its 0-based line there.
    pub line: Option<usize>,
}

/// One score's trace.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// Which score: `预算执行情况`, `年度目标1 / 职业技能培训人次`.
    pub item: String,
    /// How it was reached.
    pub steps: Vec<Step>,
}

/// A form's outcome and how each of its scores was reached.
#[derive(Debug, Serialize)]
pub struct Detail<'a> {
    /// The outcome, as `score --format json` writes it.
    pub outcome: Outcome<'a>,
    /// Every score's trace, in form order (the budget first).
    pub explain: Vec<Explained>,
}

/// Scores `form` under `rules` with its trace, and explains every score.
///
/// # Errors
/// The form's load or evaluation diagnostic.
pub fn detail<'a>(rules: &'a Rules, form: &'a LoadedForm) -> Result<Detail<'a>, Diagnostic> {
    let outcome = score(rules, form, true)?;
    let selected: Vec<Selected> = explain::all(&outcome);
    let explanation = explain::explain(&outcome, &selected);
    let explained = explanation
        .items
        .iter()
        .map(|item| Explained {
            item: item.path.clone(),
            steps: item
                .outcome
                .trace()
                .iter()
                .map(|s| Step {
                    text: crate::report::trace::text(s),
                    file: s.rule.as_ref().map(|r| r.file.to_string()),
                    line: s.rule.as_ref().map(|r| r.line.saturating_sub(1)),
                })
                .collect(),
        })
        .collect();
    drop(explanation);
    Ok(Detail {
        outcome,
        explain: explained,
    })
}
