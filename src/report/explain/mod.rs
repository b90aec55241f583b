//! Explanations: which scores a query names, and how each was reached.
//!
//! Input: an [`Outcome`] and, optionally, a query as a person types it (an indicator's
//! name, part of a name, a path such as `2/城乡居民参保人数` or `目标2/城乡居民参保人数`, a
//! goal such as `目标2`, or `预算`). Output: the [`Selected`] scores, and an
//! [`Explanation`] of them (serialisable, for programs) whose traces [`text`] renders
//! for people, with [`lines`] merging a rounding step into the step it rounds.
//!
//! Invariants: reads the `Outcome` only, never re-evaluates; a query that names several
//! indicators is an error listing them as paths that can be pasted back, never a guess.

pub mod text;

use std::fmt::Write as _;

use miette::Diagnostic;
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use super::trace;
use crate::eval::{BudgetOutcome, FormInfo, IndicatorOutcome, Outcome, RulesInfo, Step, StepKind};
use crate::suggest;

/// One score of a form: the budget line or one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    /// 预算执行情况.
    Budget,
    /// An indicator, by position: `outcome.goals[goal].indicators[indicator]` (0-based).
    Indicator {
        /// Position in [`Outcome::goals`].
        goal: usize,
        /// Position in that goal's indicators.
        indicator: usize,
    },
}

/// A query that does not name exactly one score (or one goal).
#[derive(Debug, Error, Diagnostic)]
pub enum Lookup {
    /// The query fits several indicators.
    #[error("「{query}」对应 {} 个指标，不知道要说明哪一个", candidates.len())]
    #[diagnostic(code(jixiao::explain::ambiguous))]
    Ambiguous {
        /// What was asked for.
        query: String,
        /// Paths of every indicator it fits, each usable as a query.
        candidates: Vec<String>,
        /// The candidates, for people.
        #[help]
        help: String,
    },
    /// Nothing fits the query.
    #[error("表中没有指标「{query}」")]
    #[diagnostic(code(jixiao::explain::unknown_indicator))]
    UnknownIndicator {
        /// What was asked for.
        query: String,
        /// The closest path by edit distance, if any is close.
        suggestion: Option<String>,
        /// Did-you-mean and what there is.
        #[help]
        help: String,
    },
    /// The query names a goal the form does not have.
    #[error("表中没有年度目标{number}（共 {count} 个年度目标）")]
    #[diagnostic(code(jixiao::explain::unknown_goal))]
    UnknownGoal {
        /// The goal number asked for.
        number: usize,
        /// How many goals the form has.
        count: usize,
        /// What to write instead.
        #[help]
        help: String,
    },
}

/// Every score of the form, in form order: the budget line, then each goal's indicators.
#[must_use]
pub fn all(outcome: &Outcome) -> Vec<Selected> {
    let mut out = vec![Selected::Budget];
    for (g, goal) in outcome.goals.iter().enumerate() {
        out.extend((0..goal.indicators.len()).map(|i| Selected::Indicator {
            goal: g,
            indicator: i,
        }));
    }
    out
}

/// The path of a score, as [`find`] reads it back: `预算`, `2/城乡居民参保人数`, or
/// `2/4` (goal 2, 4th indicator) when the name occurs twice in its goal.
#[must_use]
pub fn path(outcome: &Outcome, selected: Selected) -> String {
    match selected {
        Selected::Budget => "预算".to_owned(),
        Selected::Indicator { goal, indicator } => {
            let Some(g) = outcome.goals.get(goal) else {
                return String::new();
            };
            let Some(ind) = g.indicators.get(indicator) else {
                return String::new();
            };
            let key = normal(&ind.name);
            let twins = g
                .indicators
                .iter()
                .filter(|i| normal(&i.name) == key)
                .count();
            if twins > 1 {
                format!("{}/{}", g.number, indicator + 1)
            } else {
                format!("{}/{}", g.number, ind.name)
            }
        }
    }
}

/// The scores a query names.
///
/// In order of preference: `预算` / `budget` (the budget line); an indicator's exact
/// name; a goal (`2`, `目标2`, `年度目标2`, `goal 2`: all its indicators); a path
/// `GOAL/NAME` (`2/城乡居民参保人数`, `goal 2 / 城乡居民参保人数`), where NAME may also
/// be the indicator's position in the goal (`2/4`) or a unique part of its name; and a
/// part of one indicator's name. Whitespace and ASCII case are ignored throughout.
///
/// # Errors
/// [`Lookup::Ambiguous`] when the query fits several indicators,
/// [`Lookup::UnknownIndicator`] when it fits none, [`Lookup::UnknownGoal`] for a goal
/// number the form does not have.
pub fn find(outcome: &Outcome, query: &str) -> Result<Vec<Selected>, Lookup> {
    let q = normal(query);
    if ["预算", "预算执行情况", "预算执行", "预算执行率", "budget"].contains(&q.as_str())
    {
        return Ok(vec![Selected::Budget]);
    }
    let everything = indicators(outcome);
    if !q.is_empty() {
        let exact: Vec<Selected> = everything
            .iter()
            .filter(|(_, name)| *name == q)
            .map(|(s, _)| *s)
            .collect();
        if !exact.is_empty() {
            return one(outcome, query, exact);
        }
    }
    if let Some(n) = goal_number(&q) {
        let g = goal_index(outcome, n)?;
        return Ok(everything
            .iter()
            .filter(|(s, _)| matches!(s, Selected::Indicator { goal, .. } if *goal == g))
            .map(|(s, _)| *s)
            .collect());
    }
    if let Some((goal_part, name_part)) = q.split_once('/') {
        if let Some(n) = goal_number(goal_part) {
            let g = goal_index(outcome, n)?;
            let within: Vec<(Selected, String)> = everything
                .iter()
                .filter(|(s, _)| matches!(s, Selected::Indicator { goal, .. } if *goal == g))
                .cloned()
                .collect();
            return within_goal(outcome, query, name_part, &within, &everything);
        }
    }
    if !q.is_empty() {
        let part: Vec<Selected> = everything
            .iter()
            .filter(|(_, name)| name.contains(&q))
            .map(|(s, _)| *s)
            .collect();
        if !part.is_empty() {
            return one(outcome, query, part);
        }
    }
    Err(unknown(outcome, query, &q, &everything))
}

/// Every indicator with its name as [`find`] compares it.
fn indicators(outcome: &Outcome) -> Vec<(Selected, String)> {
    outcome
        .goals
        .iter()
        .enumerate()
        .flat_map(|(g, goal)| {
            goal.indicators.iter().enumerate().map(move |(i, ind)| {
                (
                    Selected::Indicator {
                        goal: g,
                        indicator: i,
                    },
                    normal(&ind.name),
                )
            })
        })
        .collect()
}

/// The NAME part of a `GOAL/NAME` path, among one goal's indicators.
fn within_goal(
    outcome: &Outcome,
    query: &str,
    name: &str,
    within: &[(Selected, String)],
    everything: &[(Selected, String)],
) -> Result<Vec<Selected>, Lookup> {
    let exact: Vec<Selected> = within
        .iter()
        .filter(|(_, n)| n == name)
        .map(|(s, _)| *s)
        .collect();
    if !exact.is_empty() {
        return one(outcome, query, exact);
    }
    if let Ok(position) = name.parse::<usize>() {
        if let Some((s, _)) = position.checked_sub(1).and_then(|p| within.get(p)) {
            return Ok(vec![*s]);
        }
    }
    if !name.is_empty() {
        let part: Vec<Selected> = within
            .iter()
            .filter(|(_, n)| n.contains(name))
            .map(|(s, _)| *s)
            .collect();
        if !part.is_empty() {
            return one(outcome, query, part);
        }
    }
    // Not in this goal: suggest from the goal first, then from the whole form.
    let mut err = unknown(outcome, query, name, within);
    if let Lookup::UnknownIndicator {
        suggestion: None, ..
    } = err
    {
        err = unknown(outcome, query, name, everything);
    }
    Err(err)
}

/// `found` if it holds one score; otherwise the query is ambiguous.
fn one(outcome: &Outcome, query: &str, found: Vec<Selected>) -> Result<Vec<Selected>, Lookup> {
    if found.len() == 1 {
        return Ok(found);
    }
    let candidates: Vec<String> = found.iter().map(|s| path(outcome, *s)).collect();
    let listed: Vec<String> = found.iter().map(|s| candidate_line(outcome, *s)).collect();
    let how = if candidates.iter().any(|c| {
        c.split_once('/')
            .is_some_and(|(_, n)| n.parse::<usize>().is_ok())
    }) {
        "年度目标序号/指标名称；同一目标中重名的，写年度目标序号/第几个指标"
    } else {
        "年度目标序号/指标名称"
    };
    Err(Lookup::Ambiguous {
        query: query.trim().to_owned(),
        help: format!("用路径（{how}）指明要说明哪一个：\n{}", listed.join("\n")),
        candidates,
    })
}

/// How many candidates an unknown name's help lists.
const SHOWN: usize = 8;

fn unknown(outcome: &Outcome, query: &str, q: &str, among: &[(Selected, String)]) -> Lookup {
    // Closest first; ties in form order.
    let names = || among.iter().map(|(s, name)| (*s, name.as_str()));
    let suggestion = suggest::likely(q, names()).map(|s| path(outcome, s));
    let (ranked, total) = suggest::ranked(q, names(), SHOWN);
    let mut listed: Vec<String> = ranked.iter().map(|s| candidate_line(outcome, *s)).collect();
    if total > SHOWN {
        listed.push(format!(
            "  ……共 {total} 个指标；不带指标名运行 jixiao explain 可看全部"
        ));
    }
    let mut help = String::new();
    if let Some(s) = &suggestion {
        let _ = writeln!(help, "是否想找「{s}」？");
    }
    if listed.is_empty() {
        help.push_str("表中没有指标；可写「预算」说明预算执行得分");
    } else {
        let _ = write!(
            help,
            "写指标名称、名称的一部分，或路径（年度目标序号/指标名称），例如：\n{}",
            listed.join("\n")
        );
    }
    Lookup::UnknownIndicator {
        query: query.trim().to_owned(),
        suggestion,
        help,
    }
}

/// `  2/城乡居民参保人数（产出指标 / 数量指标）`
fn candidate_line(outcome: &Outcome, s: Selected) -> String {
    let p = path(outcome, s);
    match s {
        Selected::Budget => format!("  {p}"),
        Selected::Indicator { goal, indicator } => {
            match outcome
                .goals
                .get(goal)
                .and_then(|g| g.indicators.get(indicator))
            {
                Some(ind) if !p.ends_with(&*ind.name) => {
                    format!("  {p}（{}；{} / {}）", ind.name, ind.level1, ind.level2)
                }
                Some(ind) => format!("  {p}（{} / {}）", ind.level1, ind.level2),
                None => format!("  {p}"),
            }
        }
    }
}

fn goal_index(outcome: &Outcome, number: usize) -> Result<usize, Lookup> {
    outcome
        .goals
        .iter()
        .position(|g| g.number == number)
        .ok_or_else(|| Lookup::UnknownGoal {
            number,
            count: outcome.goals.len(),
            help: match outcome.goals.len() {
                0 => "这张表没有年度目标".to_owned(),
                1 => "写 1/指标名称".to_owned(),
                n => format!("年度目标序号为 1 到 {n}，例如 1/指标名称"),
            },
        })
}

/// `2`, `目标2`, `年度目标2`, `goal2` (already normalised) → 2.
fn goal_number(q: &str) -> Option<usize> {
    let digits = ["年度目标", "目标", "goal"]
        .iter()
        .find_map(|p| q.strip_prefix(p))
        .unwrap_or(q);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whitespace removed, ASCII lower-cased, the full-width slash made ASCII.
fn normal(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c == '／' {
                '/'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// What `jixiao explain` shows, and prints as JSON: the selected scores with their
/// traces, the goals they belong to, and the total when the whole form is explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation<'o> {
    /// The form.
    pub form: &'o FormInfo<'o>,
    /// The rules that scored it.
    pub rules: &'o RulesInfo<'o>,
    /// The selected scores, in form order.
    pub items: Vec<Item<'o>>,
    /// The goals of the selected indicators, in form order.
    pub goals: Vec<GoalSubtotal>,
    /// The total: only when every score is explained.
    pub total: Option<Total<'o>>,
}

/// One explained score.
#[derive(Debug, Clone, Serialize)]
pub struct Item<'o> {
    /// `budget` or `indicator`.
    pub kind: ItemKind,
    /// Its path, as [`path`] writes it.
    pub path: String,
    /// The goal's number (年度目标N), for an indicator.
    pub goal: Option<usize>,
    /// 折算后权重: the weight applied, when the indicator's goal was rescaled
    /// ([`crate::eval::GoalOutcome::applied_weight`]); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_weight: Option<Decimal>,
    /// The outcome itself: every field of [`BudgetOutcome`] or [`IndicatorOutcome`],
    /// `trace` included.
    #[serde(flatten)]
    pub outcome: ItemOutcome<'o>,
}

/// Which kind of score an [`Item`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 预算执行情况.
    Budget,
    /// An indicator.
    Indicator,
}

/// The outcome an [`Item`] explains.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ItemOutcome<'o> {
    /// 预算执行情况.
    Budget(&'o BudgetOutcome<'o>),
    /// An indicator.
    Indicator(&'o IndicatorOutcome<'o>),
}

impl<'o> ItemOutcome<'o> {
    /// How the score was reached.
    #[must_use]
    pub fn trace(&self) -> &[Step<'o>] {
        match self {
            ItemOutcome::Budget(b) => &b.trace,
            ItemOutcome::Indicator(i) => &i.trace,
        }
    }
}

/// A goal's score as the sum of its indicators' scores.
#[derive(Debug, Clone, Serialize)]
pub struct GoalSubtotal {
    /// 年度目标N.
    pub number: usize,
    /// The goal's text.
    pub name: String,
    /// Its points.
    pub weight: Decimal,
    /// The sum of its indicators' weights.
    pub indicator_weight: Decimal,
    /// 折算后权重 of the goal, when it was rescaled
    /// ([`crate::eval::GoalOutcome::applied_indicator_weight`]); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_weight: Option<Decimal>,
    /// Each indicator's score in form order; `None` for one left out (不计).
    pub parts: Vec<Option<Decimal>>,
    /// 得分.
    pub score: Decimal,
    /// The goal score the department reported, if given.
    pub reported: Option<Decimal>,
    /// The sum of the indicators' reported scores, if any were reported.
    pub reported_sum: Option<Decimal>,
}

/// 总分 = the budget score + the goal scores.
#[derive(Debug, Clone, Serialize)]
pub struct Total<'o> {
    /// The budget score.
    pub budget: Decimal,
    /// Each goal's score, in form order.
    pub goals: Vec<Decimal>,
    /// 总分.
    pub score: Decimal,
    /// 满分.
    pub max_total: Decimal,
    /// 等级.
    pub grade: Option<&'o str>,
    /// 自评总分.
    pub reported: Option<Decimal>,
    /// 等级 of the reported total.
    pub reported_grade: Option<&'o str>,
    /// Computed minus reported.
    pub difference: Option<Decimal>,
}

/// The explanation of `selected` (positions that do not exist are skipped). The total
/// is included when `selected` is every score of the form.
#[must_use]
pub fn explain<'o>(outcome: &'o Outcome, selected: &[Selected]) -> Explanation<'o> {
    let mut items = Vec::with_capacity(selected.len());
    let mut goal_positions: Vec<usize> = Vec::new();
    for s in selected {
        match *s {
            Selected::Budget => items.push(Item {
                kind: ItemKind::Budget,
                path: path(outcome, *s),
                goal: None,
                applied_weight: None,
                outcome: ItemOutcome::Budget(&outcome.budget),
            }),
            Selected::Indicator { goal, indicator } => {
                let Some(g) = outcome.goals.get(goal) else {
                    continue;
                };
                let Some(ind) = g.indicators.get(indicator) else {
                    continue;
                };
                items.push(Item {
                    kind: ItemKind::Indicator,
                    path: path(outcome, *s),
                    goal: Some(g.number),
                    applied_weight: g.applied_weight(ind),
                    outcome: ItemOutcome::Indicator(ind),
                });
                if !goal_positions.contains(&goal) {
                    goal_positions.push(goal);
                }
            }
        }
    }
    goal_positions.sort_unstable();
    let goals = goal_positions
        .iter()
        .filter_map(|&g| outcome.goals.get(g))
        .map(|g| GoalSubtotal {
            number: g.number,
            name: g.name.to_string(),
            weight: g.weight,
            indicator_weight: g.indicator_weight,
            applied_weight: g.applied_indicator_weight(),
            parts: g.indicators.iter().map(|i| i.score).collect(),
            score: g.score,
            reported: g.reported,
            reported_sum: g.reported_sum(),
        })
        .collect();
    let whole =
        selected.len() == all(outcome).len() && all(outcome).iter().all(|s| selected.contains(s));
    let total = whole.then(|| Total {
        budget: outcome.budget.score,
        goals: outcome.goals.iter().map(|g| g.score).collect(),
        score: outcome.total,
        max_total: outcome.max_total,
        grade: outcome.grade.as_deref(),
        reported: outcome.reported_total,
        reported_grade: outcome.reported_grade.as_deref(),
        difference: outcome.difference(),
    });
    Explanation {
        form: &outcome.form,
        rules: &outcome.rules,
        items,
        goals,
        total,
    }
}

/// One line of an explanation for people: a step, or a step with the rounding of its
/// result merged in (`weight * B / A = 2 × 3916 / 4000 = 1.958 → 1.96（保留 2 位小数）`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// What happened.
    pub text: String,
    /// The rule lines it comes from, in order (`rules/hubei-2021.rules:35`).
    pub rules: Vec<String>,
}

/// The steps of a trace as lines to read: a rounding step (`保留 2 位小数：1.958 →
/// 1.96`) that rounds the result of the step before it is merged into that step, with
/// both rule lines cited. Every other step is a line of its own, as [`trace::text`]
/// words it.
#[must_use]
pub fn lines(trace: &[Step<'_>]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(trace.len());
    let mut previous: Option<&StepKind<'_>> = None;
    for step in trace {
        if let (
            StepKind::Rounding {
                places, from, to, ..
            },
            Some(prev),
            Some(line),
        ) = (&step.kind, previous, out.last_mut())
        {
            if prev.result().as_ref() == Some(from) {
                line.text = trace::with_rounding(&line.text, *places, *to);
                line.rules
                    .extend(step.rule.as_ref().map(ToString::to_string));
                previous = Some(&step.kind);
                continue;
            }
        }
        out.push(Line {
            text: trace::text(step),
            rules: step.rule.iter().map(ToString::to_string).collect(),
        });
        previous = Some(&step.kind);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::borrow::Cow;

    use crate::eval::RuleLine;
    use crate::num::Exact;
    use crate::syntax::ast::RoundMode;

    fn d(s: &str) -> rust_decimal::Decimal {
        s.parse().expect("a decimal")
    }

    fn x(s: &str) -> Exact {
        Exact::from(d(s))
    }

    fn at(line: usize) -> Option<RuleLine<'static>> {
        Some(RuleLine {
            file: Cow::Borrowed("r"),
            line,
        })
    }

    fn values() -> Step<'static> {
        Step {
            kind: StepKind::Values {
                a: d("4000"),
                a_written: "4000人次".into(),
                b: d("3916"),
                b_written: "3916人次".into(),
            },
            rule: None,
        }
    }

    /// `weight * B / A` with weight 2, A 4000, B 3916: 2 × 3916 / 4000 = 7832 / 4000 =
    /// 1.958.
    fn formula(value: &str) -> Step<'static> {
        Step {
            kind: StepKind::Formula {
                source: "weight * B / A".into(),
                substituted: "2 × 3916 / 4000".to_owned(),
                value: x(value),
            },
            rule: at(35),
        }
    }

    /// 1.958 to 2 places, half up: 1.96.
    fn rounding(from: &str, to: &str) -> Step<'static> {
        Step {
            kind: StepKind::Rounding {
                places: 2,
                mode: RoundMode::HalfUp,
                from: x(from),
                to: d(to),
            },
            rule: at(10),
        }
    }

    #[test]
    fn rounding_is_merged_into_the_step_it_rounds() {
        let got = lines(&[values(), formula("1.958"), rounding("1.958", "1.96")]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].text, "A = 4000（4000人次），B = 3916（3916人次）");
        assert_eq!(
            got[1].text,
            "weight * B / A = 2 × 3916 / 4000 = 1.958 → 1.96（保留 2 位小数）"
        );
        assert_eq!(got[1].rules, ["r:35", "r:10"]);
    }

    #[test]
    fn rounding_of_something_else_stays_a_step() {
        // The formula gave 1.958; a rounding of 1.9 is not of its result.
        let got = lines(&[formula("1.958"), rounding("1.9", "1.90")]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].text, "保留 2 位小数：1.9 → 1.90");
        // Nor of 11.958, whose text ends as 1.958's does.
        let got = lines(&[formula("11.958"), rounding("1.958", "1.96")]);
        assert_eq!(got.len(), 2);
        // A step that computes no value takes no rounding.
        let got = lines(&[values(), rounding("1.958", "1.96")]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn queries_normalise_whitespace_case_and_goal_prefixes() {
        assert_eq!(normal(" Goal 2 ／ IC卡 "), "goal2/ic卡");
        assert_eq!(goal_number("goal2"), Some(2));
        assert_eq!(goal_number("目标12"), Some(12));
        assert_eq!(goal_number("年度目标3"), Some(3));
        assert_eq!(goal_number("目标"), None);
        assert_eq!(goal_number("2a"), None);
    }
}
