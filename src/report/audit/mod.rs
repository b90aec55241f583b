//! Audit (核查): the scores a department reported, checked against the computed ones.
//!
//! Input: one [`Outcome`] and a tolerance. Output: a [`FormAudit`] listing the rows
//! whose reported score differs from the computed one by more than the tolerance (the
//! budget line, indicators, goal scores where the form reports them, and the total), the
//! sums of over- and under-reporting, and a [`Verdict`]; [`text`] words it for people.
//!
//! Invariants: reads the `Outcome` only; a score that was not reported is never flagged;
//! the sums count the budget line and indicators only (goal scores and the total are sums
//! of those, and counting them again would count a difference twice); arithmetic
//! saturates rather than panics (no real score comes near the limits of a `Decimal`).

pub mod text;

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::eval::{FormInfo, Outcome, Status};
use crate::num::shown::{show, signed_or_zero};
use crate::report::explain::{Selected, path};

/// The audit of one form.
#[derive(Debug, Clone, Serialize)]
pub struct FormAudit {
    /// The form.
    /// The form (owned: an audit outlives the form it read).
    pub form: FormInfo<'static>,
    /// Differences up to this (inclusive) count as agreement.
    pub tolerance: Decimal,
    /// How many reported scores were compared.
    pub compared: usize,
    /// The rows that differ by more than the tolerance, in form order.
    pub rows: Vec<AuditRow>,
    /// 自评偏高合计: the sum of reported − computed over the flagged budget and indicator
    /// rows where the reported score is higher (an unscored one counts in full).
    pub over: Decimal,
    /// 自评偏低合计: the sum of computed − reported where the reported score is lower.
    pub under: Decimal,
    /// 计算总分.
    pub total: Decimal,
    /// 自评总分, if reported.
    pub reported_total: Option<Decimal>,
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict, in words: `一致`, `自评偏高 1.10 分`, …
    pub verdict_text: String,
}

impl FormAudit {
    /// Whether every reported score agrees with the computed one.
    #[must_use]
    pub fn agrees(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One reported score that differs from the computed one.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    /// What the row is.
    pub kind: RowKind,
    /// Where: `预算`, `1/职业技能培训人次` (usable with `jixiao explain`), `目标1`, `总分`.
    pub path: String,
    /// The goal's number (年度目标N), for an indicator or a goal.
    pub goal: Option<usize>,
    /// The indicator's name; the goal's text; `预算执行情况`; `总分`.
    pub name: String,
    /// Its points (for the total: 满分).
    pub weight: Decimal,
    /// 得分 as computed; `None` for an optional indicator left out.
    pub computed: Option<Decimal>,
    /// 自评得分.
    pub reported: Decimal,
    /// 差异: computed − reported (a left-out indicator counts as 0).
    pub difference: Decimal,
    /// Which way it differs.
    pub finding: Finding,
}

/// What a flagged row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// 预算执行情况.
    Budget,
    /// An indicator.
    Indicator,
    /// A goal's score, where the form reports one.
    Goal,
    /// 总分.
    Total,
}

/// Which way a reported score differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// 自评偏高: reported above computed.
    Over,
    /// 自评偏低: reported below computed.
    Under,
    /// 未评但自评: an optional indicator the rules leave out, yet given a score.
    Unscored,
}

/// The conclusion for one form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// 一致: nothing differs.
    Agrees,
    /// 自评偏高: only over-reporting among the budget line and indicators.
    Over {
        /// By how much in all.
        amount: Decimal,
    },
    /// 自评偏低: only under-reporting.
    Under {
        /// By how much in all.
        amount: Decimal,
    },
    /// Some over, some under.
    Mixed {
        /// 自评偏高合计.
        over: Decimal,
        /// 自评偏低合计.
        under: Decimal,
    },
    /// The budget line and indicators agree, but a reported goal score or total does
    /// not add up.
    SumsOnly,
}

/// Audits one scored form: every reported score against the computed one.
#[must_use]
pub fn audit(outcome: &Outcome, tolerance: Decimal) -> FormAudit {
    let mut rows = Vec::new();
    let mut compared = 0;
    for c in candidates(outcome) {
        let Some(reported) = c.reported else {
            continue;
        };
        compared += 1;
        let computed = c.computed.unwrap_or(Decimal::ZERO);
        let difference = computed.saturating_sub(reported);
        if difference.abs() <= tolerance {
            continue;
        }
        let finding = if c.computed.is_none() {
            Finding::Unscored
        } else if difference.is_sign_negative() {
            Finding::Over
        } else {
            Finding::Under
        };
        rows.push(AuditRow {
            kind: c.kind,
            path: c.path,
            goal: c.goal,
            name: c.name,
            weight: c.weight,
            computed: c.computed,
            reported,
            difference,
            finding,
        });
    }

    let mut over = Decimal::ZERO;
    let mut under = Decimal::ZERO;
    for r in rows
        .iter()
        .filter(|r| matches!(r.kind, RowKind::Budget | RowKind::Indicator))
    {
        match r.finding {
            Finding::Over | Finding::Unscored => over = over.saturating_sub(r.difference),
            Finding::Under => under = under.saturating_add(r.difference),
        }
    }
    let verdict = if rows.is_empty() {
        Verdict::Agrees
    } else {
        match (over.is_zero(), under.is_zero()) {
            (true, true) => Verdict::SumsOnly,
            (false, true) => Verdict::Over { amount: over },
            (true, false) => Verdict::Under { amount: under },
            (false, false) => Verdict::Mixed { over, under },
        }
    };
    let total_row = rows.iter().find(|r| r.kind == RowKind::Total);
    let verdict_text = verdict_text(&verdict, total_row);
    FormAudit {
        form: outcome.form.clone().into_owned(),
        tolerance,
        compared,
        rows,
        over,
        under,
        total: outcome.total,
        reported_total: outcome.reported_total,
        verdict,
        verdict_text,
    }
}

/// Every score that could have been reported, in form order: the budget line, each
/// goal's indicators then the goal itself, and the total.
fn candidates(outcome: &Outcome) -> Vec<Candidate> {
    let b = &outcome.budget;
    let mut out = vec![Candidate {
        kind: RowKind::Budget,
        path: path(outcome, Selected::Budget),
        goal: None,
        name: "预算执行情况".to_owned(),
        weight: b.weight,
        computed: Some(b.score),
        reported: b.reported,
    }];
    for (gi, g) in outcome.goals.iter().enumerate() {
        for (ii, ind) in g.indicators.iter().enumerate() {
            let at = Selected::Indicator {
                goal: gi,
                indicator: ii,
            };
            out.push(Candidate {
                kind: RowKind::Indicator,
                path: path(outcome, at),
                goal: Some(g.number),
                name: ind.name.to_string(),
                weight: ind.weight,
                computed: match ind.status {
                    Status::Omitted => None,
                    Status::Scored | Status::NotEvaluated => {
                        Some(ind.score.unwrap_or(Decimal::ZERO))
                    }
                },
                reported: ind.reported,
            });
        }
        out.push(Candidate {
            kind: RowKind::Goal,
            path: format!("目标{}", g.number),
            goal: Some(g.number),
            name: g.name.to_string(),
            weight: g.weight,
            computed: Some(g.score),
            // The form's own figure only, not `GoalOutcome::reported()`'s fallback: the
            // indicators' sum is not a score the department wrote, and its difference is
            // already counted in the indicator rows.
            reported: g.reported,
        });
    }
    out.push(Candidate {
        kind: RowKind::Total,
        path: "总分".to_owned(),
        goal: None,
        name: "总分".to_owned(),
        weight: outcome.max_total,
        computed: Some(outcome.total),
        reported: outcome.reported_total,
    });
    out
}

/// A reported score to compare.
struct Candidate {
    kind: RowKind,
    path: String,
    goal: Option<usize>,
    name: String,
    weight: Decimal,
    computed: Option<Decimal>,
    reported: Option<Decimal>,
}

/// `自评有高有低：偏高 1.10 分，偏低 3.63 分；自评总分 94，计算总分 96.53（差异 +2.53）`
fn verdict_text(verdict: &Verdict, total: Option<&AuditRow>) -> String {
    let mut s = match verdict {
        Verdict::Agrees => "一致".to_owned(),
        Verdict::Over { amount } => format!("自评偏高 {} 分", show(*amount)),
        Verdict::Under { amount } => format!("自评偏低 {} 分", show(*amount)),
        Verdict::Mixed { over, under } => {
            format!(
                "自评有高有低：偏高 {} 分，偏低 {} 分",
                show(*over),
                show(*under)
            )
        }
        Verdict::SumsOnly => "各分项一致，但自评的合计与分项之和不符".to_owned(),
    };
    if let Some(t) = total {
        let _ = write!(
            s,
            "；自评总分 {}，计算总分 {}（差异 {}）",
            show(t.reported),
            show(t.computed.unwrap_or(Decimal::ZERO)),
            signed_or_zero(t.difference)
        );
    }
    s
}
