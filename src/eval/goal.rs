//! A goal (年度目标): its indicators scored, then rescaled (`rescale goal` for optional
//! indicators left out, `scale goals to` for the goals' total), rounded where the rules
//! round, and summed.
//!
//! Input: the form's goal and the goals' scale factor. Output: the goal's
//! [`GoalOutcome`] with its score and (scaled) weight exactly, and its warnings.
//! Invariant: the goal's score is the sum of its indicators' scores as shown when the
//! rules round each indicator, else of their exact scores.

use std::borrow::Cow;

use super::formula::Written;
use super::indicator::written;
use super::trace::show_long;
use super::{EvalError, Evaluator, GoalOutcome, IndicatorOutcome, Status, Step, Val, Warning};
use crate::form::{Form, Goal, Indicator};
use crate::num::{self, Exact};
use crate::syntax::ast::{OptionalAction, RoundLevel};

/// A goal's outcome, with its score and (scaled) weight exactly, for the total.
pub(super) struct GoalScore<'r> {
    pub(super) outcome: GoalOutcome<'r>,
    pub(super) score: Exact,
    pub(super) weight: Exact,
}

impl<'r> Evaluator<'r> {
    /// `scale goals to T`: the factor T / (sum of goal weights), as (T, sum).
    pub(super) fn goal_scale(&self, form: &Form) -> Result<Option<(Exact, Exact)>, EvalError> {
        let Some(total) = &self.rules.scale else {
            return Ok(None);
        };
        let target = match total.eval(&|_| None, self.params) {
            Ok(Val::Num(n)) => n,
            Ok(_) => return Ok(None),
            Err(e) => {
                return Err(self.expr_error(*e, form.budget.span, "目标分值合计", Written::NONE));
            }
        };
        let weights: Vec<Exact> = form
            .goals
            .iter()
            .map(|g| Exact::from(g.weight.value))
            .collect();
        let sum =
            Exact::sum(&weights).map_err(|e| self.arith(e, form.budget.span, "目标分值合计"))?;
        if sum.is_zero() || sum == target {
            return Ok(None);
        }
        Ok(Some((target, sum)))
    }

    pub(super) fn goal(
        &self,
        number: usize,
        goal: &'r Goal,
        goal_scale: Option<&(Exact, Exact)>,
        warnings: &mut Vec<Warning>,
    ) -> Result<GoalScore<'r>, EvalError> {
        // Each indicator's outcome is built as it is scored, and finished below once the
        // goal's totals are known (rescaling, rounding); its exact score waits beside it.
        let mut indicators = Vec::with_capacity(goal.indicators.len());
        let mut raws = Vec::with_capacity(goal.indicators.len());
        // The indicators left out with `rescale goal`, by index (few or none).
        let mut rescaled: Vec<usize> = Vec::new();
        let within = |e: EvalError, ind: &Indicator| {
            e.within(format!("年度目标{number}「{}」", ind.name.text))
        };
        for (i, ind) in goal.indicators.iter().enumerate() {
            let s = self.indicator(goal, ind).map_err(|e| within(e, ind))?;
            if s.omit == Some(OptionalAction::RescaleGoal) {
                rescaled.push(i);
            }
            let class = s.class.and_then(|c| self.rules.classes.get(c));
            indicators.push(IndicatorOutcome {
                level1: Cow::Borrowed(&ind.level1.text),
                level2: Cow::Borrowed(&ind.level2.text),
                name: Cow::Borrowed(&ind.name.text),
                target: written(ind, |e| e.target.as_ref(), ind.target.as_ref()),
                actual: written(ind, |e| e.actual.as_ref(), ind.actual.as_ref()),
                class: class.map(|c| Cow::Borrowed(&*c.name)),
                class_title: class.and_then(|c| c.title.as_deref().map(Cow::Borrowed)),
                status: s.status,
                weight: ind.weight.value,
                score: None,
                reported: ind.reported.map(|n| n.value),
                trace: s.trace,
            });
            raws.push(s.raw);
        }
        let sum_span = goal.name.span;
        let indicator_weight = num::sum(goal.indicators.iter().map(|i| i.weight.value))
            .map_err(|e| self.arith(e, sum_span, "指标权重合计"))?;
        if indicator_weight != goal.weight.value {
            warnings.push(Warning {
                code: "jixiao::eval::weight_sum",
                message: format!(
                    "年度目标{number}的指标权重合计 {}，与目标分值 {} 不符；按各指标权重照常计分",
                    num::show(indicator_weight),
                    num::show(goal.weight.value)
                ),
                goal: Some(number),
                indicator: None,
            });
        }
        // Optional indicators left unevaluated with `rescale goal`: the others are scaled
        // so the goal keeps what its indicators would have been worth in full.
        let omitted_weight = num::sum(rescaled.iter().map(|&i| goal.indicators[i].weight.value))
            .map_err(|e| self.arith(e, sum_span, "折算"))?;
        let remaining = num::sub(indicator_weight, omitted_weight)
            .map_err(|e| self.arith(e, sum_span, "折算"))?;
        let factor = if omitted_weight.is_zero() {
            None
        } else if remaining.is_zero() || remaining.is_sign_negative() {
            warnings.push(Warning {
                code: "jixiao::eval::nothing_evaluated",
                message: format!("年度目标{number}没有任何已评价的指标，得 0 分"),
                goal: Some(number),
                indicator: None,
            });
            None
        } else {
            Some((indicator_weight, remaining))
        };

        let rounding = self.rules.rounding;
        let by_indicator = rounding.is_some_and(|r| r.level == RoundLevel::Indicator);
        let mut score = Exact::ZERO;
        for (i, ((ind, s), raw)) in goal
            .indicators
            .iter()
            .zip(&mut indicators)
            .zip(raws)
            .enumerate()
        {
            let mut value = raw;
            if let (Some((all, rest)), Status::Scored) = (factor, s.status) {
                let scaled = value
                    .mul(&Exact::from(all))
                    .and_then(|x| x.div(&Exact::from(rest)))
                    .map_err(|e| within(self.arith(e, ind.name.span, "折算"), ind))?;
                self.note(&mut s.trace, || Step {
                    text: format!(
                        "目标中有未评的可选指标，按 {} / {} 折算：{} × {} / {} = {}",
                        num::show(all),
                        num::show(rest),
                        show_long(&value),
                        num::show(all),
                        num::show(rest),
                        show_long(&scaled)
                    ),
                    rule: self
                        .rules
                        .optionals
                        .iter()
                        .find(|o| o.action == OptionalAction::RescaleGoal)
                        .map(|o| self.rules.cite(o.span)),
                });
                value = scaled;
            }
            if let (Some((to, from)), Status::Scored) = (goal_scale, s.status) {
                let scaled = value
                    .mul(to)
                    .and_then(|x| x.div(from))
                    .map_err(|e| within(self.arith(e, ind.name.span, "目标分值折算"), ind))?;
                self.note(&mut s.trace, || Step {
                    text: format!(
                        "各目标分值合计 {from} 折算为 {to}：{} × {to} / {from} = {}",
                        show_long(&value),
                        show_long(&scaled)
                    ),
                    rule: self.rules.scale.as_ref().map(|e| self.rules.cite(e.span)),
                });
                value = scaled;
            }
            let mut shown = None;
            if let Some(r) = rounding.filter(|r| r.level == RoundLevel::Indicator) {
                if s.status != Status::Omitted {
                    // (The rounded value is kept as a decimal only: rounded at the
                    // indicator, the goal adds decimals. Making an exact value of it
                    // too would cost more than the rounding.)
                    let v = value
                        .round(r.places, r.mode)
                        .map_err(|e| within(self.arith(e, ind.name.span, "得分"), ind))?;
                    // (Whether to note it is asked only when tracing: comparing a
                    // rounded value with an unrounded one costs a multiplication.)
                    if self.trace && (s.status == Status::Scored || Exact::from(v) != value) {
                        self.note(&mut s.trace, || Step {
                            text: format!(
                                "保留 {} 位小数：{} → {}",
                                r.places,
                                show_long(&value),
                                v
                            ),
                            rule: Some(self.rules.cite(r.span)),
                        });
                    }
                    shown = Some(v);
                }
            }
            if s.status == Status::NotEvaluated {
                warnings.push(Warning {
                    code: "jixiao::eval::not_evaluated",
                    message: format!(
                        "年度目标{number}「{}」未填写实际完成值，且不是可选指标，按 0 分计",
                        ind.name.text
                    ),
                    goal: Some(number),
                    indicator: Some(ind.name.text.to_string()),
                });
            }
            if s.status == Status::Omitted {
                warnings.push(Warning {
                    code: "jixiao::eval::omitted",
                    message: format!(
                        "年度目标{number}「{}」未评价，按可选指标不计分{}",
                        ind.name.text,
                        if rescaled.contains(&i) {
                            "，其余指标按比例折算"
                        } else {
                            ""
                        }
                    ),
                    goal: Some(number),
                    indicator: Some(ind.name.text.to_string()),
                });
                continue;
            }
            s.score = Some(match shown {
                Some(v) => v,
                None => self
                    .shown(&value, ind.name.span, "得分")
                    .map_err(|e| within(e, ind))?,
            });
            // The goal's score: the indicators' exact scores added exactly (rounded ones
            // are added below, as decimals); an overflow names the indicator.
            if !by_indicator {
                score = score
                    .add(&value)
                    .map_err(|e| self.arith(e, ind.name.span, "目标得分"))?;
            }
        }
        if by_indicator {
            // Scores rounded to one scale, added as integers (BENCHMARKS.md, round 4);
            // otherwise one by one, so that an overflow names the indicator.
            score = match num::sum_of_one_scale(indicators.iter().filter_map(|s| s.score)) {
                Some(total) => Exact::from(total),
                None => {
                    for (ind, s) in goal.indicators.iter().zip(&indicators) {
                        if let Some(v) = s.score {
                            score = score
                                .add(&Exact::from(v))
                                .map_err(|e| self.arith(e, ind.name.span, "目标得分"))?;
                        }
                    }
                    score
                }
            };
        }
        let shown = match rounding.filter(|r| r.level == RoundLevel::Goal) {
            Some(r) => {
                let (v, exact) = self.rounded(&score, r, sum_span, "目标得分")?;
                score = exact;
                v
            }
            None => self.shown(&score, sum_span, "目标得分")?,
        };
        let weight = match goal_scale {
            Some((to, from)) => Exact::from(goal.weight.value)
                .mul(to)
                .and_then(|x| x.div(from))
                .map_err(|e| self.arith(e, goal.weight.span, "目标分值折算"))?,
            None => Exact::from(goal.weight.value),
        };
        Ok(GoalScore {
            outcome: GoalOutcome {
                number,
                name: Cow::Borrowed(&goal.name.text),
                weight: self.shown(&weight, goal.weight.span, "目标分值折算")?,
                indicator_weight,
                score: shown,
                reported: goal.reported.map(|n| n.value),
                indicators,
            },
            score,
            weight,
        })
    }
}
