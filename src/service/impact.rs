//! What a rule change does to a workspace's forms, as `jixiao diff` shows it for a
//! folder: each form scored under a baseline and a variant, compared by
//! [`crate::report::diff`], with its charts.
//!
//! Input: the two compiled rule sets with the settings applied to each, and each form's
//! outcome under both (the caller may keep the baseline's between requests: a baseline
//! rarely changes while the variant is edited; the variant's outcomes are compared as
//! they are made). Output: the diff [`Report`], and the [`Impact`] the page shows (the
//! report with its charts, serialised as `jixiao diff --format json` without each form's
//! rows). Invariants: a form that cannot be scored under either side is listed as
//! failed, never compared; work on the forms is split across threads.

use std::borrow::Cow;

use serde::Serialize;

use super::Diagnostic;
use super::scoring::{LoadedForm, score};
use crate::check::Rules;
use crate::eval::Outcome;
use crate::report::diff::view::{Mode, RulesRef};
use crate::report::diff::{FormDiff, Report, charts, diff_changes, diff_outcomes};

/// Every form's outcome under `rules` (no trace) as a baseline to compare others with,
/// kept between requests: owned, and holding only what a comparison reads (the file and
/// department, each score with its goal's number and its indicator's name, the total and
/// the grade); the texts it does not read (levels, values as written, class names,
/// warnings) are left empty. A kept outcome then holds one string an indicator, not
/// seven: for 10,000 generated forms 180 MB rather than 290 MB, and a comparison reads
/// fewer cold cache lines. Split across threads ([`super::split`]).
#[must_use]
pub fn baseline<F: AsRef<LoadedForm> + Sync>(
    rules: &Rules,
    forms: &[F],
) -> Vec<Result<Outcome<'static>, Diagnostic>> {
    super::split::each(forms, |f| score(rules, f.as_ref(), false).map(kept))
}

/// `o` with only what [`diff_outcomes`] reads, owned.
fn kept(mut o: Outcome<'_>) -> Outcome<'static> {
    let blank = || Cow::Borrowed("");
    o.warnings = Vec::new();
    o.budget.planned = blank();
    o.budget.executed = blank();
    o.budget.trace = Vec::new();
    for g in &mut o.goals {
        for i in &mut g.indicators {
            i.level1 = blank();
            i.level2 = blank();
            i.target = None;
            i.actual = None;
            i.class = None;
            i.class_title = None;
            i.trace = Vec::new();
        }
    }
    o.into_owned()
}

/// Each form's diff between its `baseline` outcome (in the same order as `forms`) and
/// its outcome under `rules` (every row, as [`diff_outcomes`] makes it), and the paths of
/// the forms that could not be scored on either side; split across threads. The new
/// outcomes are compared as they are made and not kept.
#[must_use]
pub fn diffs<F: AsRef<LoadedForm> + Sync>(
    rules: &Rules,
    forms: &[F],
    baseline: &[Result<Outcome<'static>, Diagnostic>],
) -> (Vec<FormDiff>, Vec<String>) {
    compared(rules, forms, baseline, diff_outcomes)
}

/// [`diffs`], each made by `diff`.
fn compared<F: AsRef<LoadedForm> + Sync>(
    rules: &Rules,
    forms: &[F],
    baseline: &[Result<Outcome<'static>, Diagnostic>],
    diff: fn(&Outcome<'_>, &Outcome<'_>) -> FormDiff,
) -> (Vec<FormDiff>, Vec<String>) {
    let forms = &forms[..forms.len().min(baseline.len())];
    let pieces = super::split::pieces(forms, |start, piece| {
        let mut diffs = Vec::with_capacity(piece.len());
        let mut failed = Vec::new();
        for (f, old) in piece.iter().zip(&baseline[start..]) {
            let f = f.as_ref();
            match (old, score(rules, f, false)) {
                (Ok(o), Ok(n)) => diffs.push(diff(o, &n)),
                _ => failed.push(f.path.clone()),
            }
        }
        (diffs, failed)
    });
    let mut all = (Vec::with_capacity(forms.len()), Vec::new());
    for (diffs, failed) in pieces {
        all.0.extend(diffs);
        all.1.extend(failed);
    }
    all
}

/// What the workbench shows after an edit: every form scored under `rules` and compared
/// with its `baseline` outcome ([`diffs`], keeping only the rows that changed:
/// [`diff_changes`]), as [`report`] makes it, with its charts.
/// `old` and `new` name the two rule sets with their settings.
#[must_use]
pub fn compare<F: AsRef<LoadedForm> + Sync>(
    old: RulesRef,
    new: RulesRef,
    rules: &Rules,
    forms: &[F],
    baseline: &[Result<Outcome<'static>, Diagnostic>],
) -> Impact {
    // The page shows no rows, and the summary needs only the changed ones.
    let (diffs, failed) = compared(rules, forms, baseline, diff_changes);
    Impact::new(report(old, new, diffs, failed))
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

/// A diff report as the workbench shows it, with its charts. It serialises as
/// `jixiao diff --format json` for a folder does, except that each form has no `rows`
/// (the page shows totals and grades; with 10,000 forms and a change to every indicator
/// the rows would be a hundred megabytes), plus `charts`.
#[derive(Debug, Clone)]
pub struct Impact {
    /// The report.
    pub report: Report,
    /// Its charts, as SVG.
    pub charts: Charts,
}

/// The charts of an [`Impact`], as SVG.
#[derive(Debug, Clone, Serialize)]
pub struct Charts {
    /// The totals before and after; `None` without forms.
    pub histogram: Option<String>,
    /// The grade transitions; `None` when no grade changed.
    pub matrix: Option<String>,
}

impl Impact {
    /// `report` with its charts drawn.
    #[must_use]
    pub fn new(report: Report) -> Self {
        let charts = Charts {
            histogram: charts::histogram(&report),
            matrix: charts::matrix(&report),
        };
        Self { report, charts }
    }
}

impl Serialize for Impact {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            report: crate::report::diff::json::JsonReport<'a>,
            charts: &'a Charts,
        }
        Shown {
            report: crate::report::diff::json::shape(&self.report, false),
            charts: &self.charts,
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::scoring::load;

    /// A kept baseline, its unread texts left empty, compares exactly as the full
    /// outcomes do: the same impact, the same rows. The two example forms, budget_weight
    /// 20 → 10.
    #[test]
    fn a_kept_baseline_compares_as_the_full_outcomes_do() {
        let limits = crate::Limits::default();
        let forms = [
            load(
                "a.toml",
                include_bytes!("../../examples/tongcheng-2021.toml"),
                crate::import::Weights::Given,
                &limits,
            ),
            load(
                "b.toml",
                include_bytes!("../../examples/county-education-2022.toml"),
                crate::import::Weights::Given,
                &limits,
            ),
        ];
        let source = crate::bundled("hubei-2021").expect("bundled");
        let set = ["budget_weight=10".parse().expect("a setting")];
        let old = super::super::compile(&source, &crate::Bundled, &[], &limits).expect("rules");
        let new = super::super::compile(&source, &crate::Bundled, &set, &limits).expect("rules");
        let full: Vec<_> = forms
            .iter()
            .map(|f| score(&old, f, false).map(Outcome::into_owned))
            .collect();
        let kept = baseline(&old, &forms);
        let json = |b: &[Result<Outcome<'static>, Diagnostic>]| {
            let i = compare(
                RulesRef::new(&old, &[]),
                RulesRef::new(&new, &[]),
                &new,
                &forms,
                b,
            );
            let (rows, _) = diffs(&new, &forms, b);
            (
                serde_json::to_value(&i).expect("JSON"),
                serde_json::to_value(&rows).expect("JSON"),
            )
        };
        let (impact, rows) = json(&kept);
        assert_eq!((impact.clone(), rows.clone()), json(&full));
        // Both forms lose 10 × their execution rate: 96.53 → 86.53, 91.26 → 81.86.
        assert_eq!(impact["summary"]["mean_delta"], "-9.70");
        assert_eq!(rows[0]["rows"][0]["old"], "20.00");
    }
}
