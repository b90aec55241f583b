//! Diff: what changes between two [`Outcome`]s of one form, under two rule versions (a
//! what-if) or for two versions of the form (a corrected resubmission) under one rule set.
//!
//! Input: pairs of `Outcome`s, already scored. Output: plain serialisable data, a
//! [`FormDiff`] per form and a [`Summary`] across forms; [`view`] gathers them into the
//! [`Report`] of a run and its displayed lines, which [`markdown`], [`csv`], [`json`],
//! [`html`] and (with the `xlsx` feature) `xlsx` render (the CLI draws the terminal table
//! from the same lines). Nothing here re-runs the evaluator.
//!
//! Invariants:
//! - Every score the two outcomes hold appears in exactly one row, changed or not
//!   ([`diff_outcomes`]; [`diff_changes`] keeps the changed ones only); rows come in form
//!   order: the budget line, then each goal's indicators followed by the goal itself.
//!   Renderers hide unchanged rows, the data keeps them.
//! - Goals are matched by number. Indicators are matched within their goal by name, the
//!   k-th indicator of a name in the old outcome with the k-th of that name in the new
//!   one; so two outcomes of one form (a rule diff) pair up position by position, and a
//!   resubmission that reorders, adds or removes indicators reports them as such.
//! - Every delta is `new − old` in exact decimals; it is `None` when either side has no
//!   score (an indicator added, removed or left out) or the subtraction overflows.
//!   Nothing here panics on any input.

pub mod charts;
pub mod csv;
pub mod html;
pub mod impact;
pub mod json;
pub mod markdown;
pub mod view;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use impact::{Bin, Distribution, GradeMatrix};
pub use view::{Line, Mode, Report, RulesRef};

use std::cmp::Reverse;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::Outcome;
use crate::eval::{GoalOutcome, IndicatorOutcome};

/// The largest movers a [`Summary`] lists.
pub const LARGEST_MOVERS: usize = 5;

/// What changed in one form.
#[derive(Debug, Clone, Serialize)]
pub struct FormDiff {
    /// The form file (the new one, when two versions of a form are compared).
    pub file: String,
    /// The old form file, when it is not `file` (two versions of a form).
    pub old_file: Option<String>,
    /// 单位名称, from the new form, else the old.
    pub department: Option<String>,
    /// Every score, in form order: budget, then each goal's indicators and the goal.
    pub rows: Vec<Row>,
    /// 总分.
    pub total: TotalDiff,
    /// 等级.
    pub grade: GradeDiff,
}

impl FormDiff {
    /// Whether anything changed: a row, the total or the grade.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.total.changed || self.grade.changed || self.rows.iter().any(|r| r.changed)
    }
}

/// Which score a row compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// 预算执行情况.
    Budget,
    /// A 年度目标's score (the sum of its indicators).
    Goal,
    /// One indicator (三级指标).
    Indicator,
    /// A bonus or deduction item (`indicator` holds `加分项/创新加分`); its score signed,
    /// as it counts in the total.
    Adjustment,
}

/// Whether a row's item exists on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// In both outcomes.
    Both,
    /// Only in the new outcome (新增).
    Added,
    /// Only in the old outcome (删除).
    Removed,
}

/// One compared score.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Budget, goal or indicator.
    pub kind: RowKind,
    /// The goal's number (年度目标N), for goal and indicator rows.
    pub goal: Option<usize>,
    /// The goal's text (the new one when both have it).
    pub goal_name: Option<String>,
    /// The indicator's name (三级指标), for indicator rows.
    pub indicator: Option<String>,
    /// Whether the item is in both outcomes, or only one.
    pub presence: Presence,
    /// The old score; `None` when absent or left out (不计).
    pub old: Option<Decimal>,
    /// The new score; `None` when absent or left out (不计).
    pub new: Option<Decimal>,
    /// `new − old`; `None` unless both scores exist.
    pub delta: Option<Decimal>,
    /// Whether the score (or the item's presence) differs.
    pub changed: bool,
}

/// 总分, old and new.
#[derive(Debug, Clone, Serialize)]
pub struct TotalDiff {
    /// The old total.
    pub old: Decimal,
    /// The new total.
    pub new: Decimal,
    /// `new − old`; `None` only if the subtraction overflows.
    pub delta: Option<Decimal>,
    /// Whether the totals differ.
    pub changed: bool,
}

/// 等级, old and new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradeDiff {
    /// The old grade; `None` when those rules set no grades.
    pub old: Option<String>,
    /// The new grade.
    pub new: Option<String>,
    /// Whether the grades differ.
    pub changed: bool,
}

/// Compares two outcomes of one form: every budget, indicator and goal score, the total
/// and the grade.
#[must_use]
pub fn diff_outcomes(old: &Outcome, new: &Outcome) -> FormDiff {
    compare(old, new, Keep::All)
}

/// [`diff_outcomes`] keeping only the rows that changed, which is all a report without
/// `--all` shows of a form (its total, grade and summary are the same). Rows that did not
/// change are never built, so the cost follows what changed: the workbench compares
/// every form of a folder on every edit, and most edits move few scores.
#[must_use]
pub fn diff_changes(old: &Outcome, new: &Outcome) -> FormDiff {
    compare(old, new, Keep::Changed)
}

/// Which rows a [`FormDiff`] holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    All,
    Changed,
}

fn compare(old: &Outcome, new: &Outcome, keep: Keep) -> FormDiff {
    let indicators: usize = new.goals.iter().map(|g| g.indicators.len() + 1).sum();
    let mut rows = Rows {
        rows: Vec::with_capacity(if keep == Keep::All { indicators + 1 } else { 0 }),
        keep,
    };
    rows.score(
        RowKind::Budget,
        None,
        Presence::Both,
        Some(old.budget.score),
        Some(new.budget.score),
        None,
    );

    let mut matched_old = vec![false; old.goals.len()];
    for n in &new.goals {
        let found = old
            .goals
            .iter()
            .enumerate()
            .find(|(i, o)| !matched_old[*i] && o.number == n.number);
        match found {
            Some((i, o)) => {
                matched_old[i] = true;
                rows.goal(Some(o), Some(n));
            }
            None => rows.goal(None, Some(n)),
        }
    }
    for (o, _) in old.goals.iter().zip(&matched_old).filter(|(_, m)| !**m) {
        rows.goal(Some(o), None);
    }

    rows.adjustments(old, new);

    let total_delta = new.total.checked_sub(old.total).map(non_negative_zero);
    let file_changed = old.form.file != new.form.file;
    FormDiff {
        file: new.form.file.to_string(),
        old_file: file_changed.then(|| old.form.file.to_string()),
        department: new
            .form
            .department
            .as_deref()
            .or(old.form.department.as_deref())
            .map(str::to_owned),
        rows: rows.rows,
        total: TotalDiff {
            old: old.total,
            new: new.total,
            delta: total_delta,
            changed: old.total != new.total,
        },
        grade: GradeDiff {
            old: old.grade.as_deref().map(str::to_owned),
            new: new.grade.as_deref().map(str::to_owned),
            changed: old.grade != new.grade,
        },
    }
}

/// The rows of one form, as they are compared.
struct Rows {
    rows: Vec<Row>,
    keep: Keep,
}

struct Goal<'a> {
    number: usize,
    name: &'a str,
}

impl Rows {
    /// The bonus and deduction items of either outcome, matched by kind and name, the new
    /// outcome's order first; each score signed, as it counts in the total.
    fn adjustments(&mut self, old: &Outcome, new: &Outcome) {
        let key = |a: &crate::eval::AdjustmentOutcome| format!("{}/{}", a.kind.title(), a.name);
        let find = |o: &Outcome, k: &str| {
            o.adjustments
                .iter()
                .find(|a| key(a) == k)
                .map(|a| a.signed())
        };
        let mut keys: Vec<String> = new.adjustments.iter().map(key).collect();
        for a in &old.adjustments {
            let k = key(a);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            let (o, n) = (find(old, &k), find(new, &k));
            let presence = match (o, n) {
                (Some(_), Some(_)) => Presence::Both,
                (None, _) => Presence::Added,
                (_, None) => Presence::Removed,
            };
            self.score(RowKind::Adjustment, None, presence, o, n, Some(&k));
        }
    }

    /// The rows of one goal: its indicators, matched by name, then the goal's own score.
    /// At least one of `old` and `new` is `Some`.
    fn goal(&mut self, old: Option<&GoalOutcome>, new: Option<&GoalOutcome>) {
        let Some(any) = new.or(old) else {
            return;
        };
        let goal = Goal {
            number: any.number,
            name: &any.name,
        };
        let old_inds: &[IndicatorOutcome] = old.map_or(&[], |g| &g.indicators);
        let new_inds: &[IndicatorOutcome] = new.map_or(&[], |g| &g.indicators);

        let mut matched_old = vec![false; old_inds.len()];
        for n in new_inds {
            // The k-th indicator of a name pairs with the k-th of that name: taking the
            // first unmatched one in order does exactly that.
            let found = old_inds
                .iter()
                .enumerate()
                .find(|(i, o)| !matched_old[*i] && o.name == n.name);
            let (presence, old_score) = match found {
                Some((i, o)) => {
                    matched_old[i] = true;
                    (Presence::Both, o.score)
                }
                None => (Presence::Added, None),
            };
            self.score(
                RowKind::Indicator,
                Some(&goal),
                presence,
                old_score,
                n.score,
                Some(&n.name),
            );
        }
        for (o, _) in old_inds.iter().zip(&matched_old).filter(|(_, m)| !**m) {
            self.score(
                RowKind::Indicator,
                Some(&goal),
                Presence::Removed,
                o.score,
                None,
                Some(&o.name),
            );
        }

        let presence = match (old, new) {
            (Some(_), Some(_)) => Presence::Both,
            (None, _) => Presence::Added,
            (_, None) => Presence::Removed,
        };
        self.score(
            RowKind::Goal,
            Some(&goal),
            presence,
            old.map(|g| g.score),
            new.map(|g| g.score),
            None,
        );
    }

    /// One compared score, kept unless it did not change and only changes are kept (its
    /// texts are not copied then).
    fn score(
        &mut self,
        kind: RowKind,
        goal: Option<&Goal<'_>>,
        presence: Presence,
        old: Option<Decimal>,
        new: Option<Decimal>,
        indicator: Option<&str>,
    ) {
        let changed = presence != Presence::Both || old != new;
        if !changed && self.keep == Keep::Changed {
            return;
        }
        let delta = match (old, new) {
            (Some(o), Some(n)) => n.checked_sub(o).map(non_negative_zero),
            _ => None,
        };
        self.rows.push(Row {
            kind,
            goal: goal.map(|g| g.number),
            goal_name: goal.map(|g| g.name.to_owned()),
            indicator: indicator.map(str::to_owned),
            presence,
            old,
            new,
            delta,
            changed,
        });
    }
}

/// A zero difference without a sign: `-0.00` reads as a change.
fn non_negative_zero(d: Decimal) -> Decimal {
    if d.is_zero() { d.abs() } else { d }
}

/// Across forms: how many changed, which grades moved, the largest movers, and the mean
/// and largest change of the total.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// How many forms were compared.
    pub forms: usize,
    /// How many of them changed at all (a score, the total or the grade).
    pub changed: usize,
    /// How many changed their total.
    pub total_changed: usize,
    /// How many changed grade.
    pub grade_changed: usize,
    /// Each grade change (`良→优`) with how many forms made it: most frequent first, then
    /// in order of first appearance.
    pub transitions: Vec<Transition>,
    /// The forms whose total moved most (by |Δ总分|, largest first; ties in input order),
    /// at most [`LARGEST_MOVERS`]; forms whose total did not move are not listed.
    pub largest_movers: Vec<Mover>,
    /// The mean Δ总分, signed, rounded half away from zero to exactly 2 places; `None`
    /// without forms.
    pub mean_delta: Option<Decimal>,
    /// The Δ总分 of largest magnitude, with its sign (the first such form's on a tie);
    /// `None` without forms.
    pub max_delta: Option<Decimal>,
    /// The median Δ总分, rounded half away from zero to 2 places; `None` without forms.
    pub median_delta: Option<Decimal>,
    /// How many forms went from each grade to each grade.
    pub grade_matrix: GradeMatrix,
    /// The totals before and after, in bins zoomed to where they are; `None` without
    /// forms.
    pub distribution: Option<Distribution>,
}

/// One grade change and how many forms made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// The old grade (`None`: the old rules set no grades).
    pub from: Option<String>,
    /// The new grade.
    pub to: Option<String>,
    /// How many forms.
    pub count: usize,
}

/// A form whose total moved.
#[derive(Debug, Clone, Serialize)]
pub struct Mover {
    /// The form file.
    pub file: String,
    /// 单位名称.
    pub department: Option<String>,
    /// The old total.
    pub old: Decimal,
    /// The new total.
    pub new: Decimal,
    /// `new − old`.
    pub delta: Decimal,
    /// The old grade.
    pub old_grade: Option<String>,
    /// The new grade.
    pub new_grade: Option<String>,
}

/// Summarises the diffs of several forms.
#[must_use]
pub fn summarize(diffs: &[FormDiff]) -> Summary {
    let mut transitions: Vec<Transition> = Vec::new();
    for d in diffs.iter().filter(|d| d.grade.changed) {
        match transitions
            .iter_mut()
            .find(|t| t.from == d.grade.old && t.to == d.grade.new)
        {
            Some(t) => t.count = t.count.saturating_add(1),
            None => transitions.push(Transition {
                from: d.grade.old.clone(),
                to: d.grade.new.clone(),
                count: 1,
            }),
        }
    }
    // Stable: equal counts keep their order of first appearance.
    transitions.sort_by_key(|t| Reverse(t.count));

    let deltas: Vec<Decimal> = diffs.iter().filter_map(|d| d.total.delta).collect();

    let mut movers: Vec<Mover> = diffs
        .iter()
        .filter_map(|d| {
            let delta = d.total.delta.filter(|x| !x.is_zero())?;
            Some(Mover {
                file: d.file.clone(),
                department: d.department.clone(),
                old: d.total.old,
                new: d.total.new,
                delta,
                old_grade: d.grade.old.clone(),
                new_grade: d.grade.new.clone(),
            })
        })
        .collect();
    movers.sort_by_key(|m| Reverse(m.delta.abs()));
    movers.truncate(LARGEST_MOVERS);

    Summary {
        forms: diffs.len(),
        changed: diffs.iter().filter(|d| d.changed()).count(),
        total_changed: diffs.iter().filter(|d| d.total.changed).count(),
        grade_changed: diffs.iter().filter(|d| d.grade.changed).count(),
        transitions,
        largest_movers: movers,
        mean_delta: mean(&deltas),
        max_delta: deltas
            .iter()
            .copied()
            .reduce(|best, x| if x.abs() > best.abs() { x } else { best }),
        median_delta: impact::median(&deltas),
        grade_matrix: impact::grade_matrix(diffs),
        distribution: impact::distribution(diffs),
    }
}

/// `sum / n`, rounded half away from zero to 2 places; `None` when empty or on overflow.
fn mean(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    let sum = values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v))?;
    let n = Decimal::from(values.len());
    sum.checked_div(n).map(cents)
}

/// A statistic of changes as the summary shows it: rounded half away from zero to
/// exactly two places (`-9.70`, `0.00`, like the scores it summarises), unsigned at zero.
fn cents(d: Decimal) -> Decimal {
    let mut m = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    m.rescale(2);
    non_negative_zero(m)
}

#[cfg(test)]
mod tests;
