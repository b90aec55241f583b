//! A goal (年度目标): its indicators scored, then rescaled (`rescale goal` for optional
//! indicators left out, `scale goals to` for the goals' total), rounded where the rules
//! round, and summed.
//!
//! Input: the form's goal and the goals' scale factor. Output: the goal's
//! [`GoalOutcome`] with its score and (scaled) weight exactly, and its warnings.
//! Invariant: the goal's score is the sum of its indicators' scores as shown when the
//! rules round each indicator, else of their exact scores.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::cap::Capped;
use super::formula::Written;
use super::indicator::{Scored, written};
use super::{
    EvalError, Evaluator, GoalOutcome, IndicatorOutcome, Scale, Status, Step, StepKind, Val,
    Warning,
};
use crate::code::Code;
use crate::form::{Form, Goal, Indicator};
use crate::num::{self, Exact};
use crate::syntax::ast::OptionalAction;

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

    /// A goal scored: each indicator scored and finished (rescaled, rounded, added), then
    /// the goal's own rounding and weight.
    ///
    /// An indicator is finished as soon as it is scored, in one pass, unless the goal may
    /// leave one out with `rescale goal`: the others' factor is then known only once all
    /// are scored, so they are finished in a second pass (from their raw scores, kept
    /// aside). One pass is the common case; it keeps each outcome in hand instead of
    /// storing and reloading it (BENCHMARKS.md, round 9).
    pub(super) fn goal(
        &self,
        number: usize,
        goal: &'r Goal,
        goal_scale: Option<&(Exact, Exact)>,
        warnings: &mut Vec<Warning>,
    ) -> Result<GoalScore<'r>, EvalError> {
        let sum_span = goal.name.span;
        let indicator_weight = self.indicator_weight(number, goal, warnings)?;
        let rounding = self.rules.rounding;
        let by_indicator = rounding.indicator.is_some();
        let deferred = self.may_rescale(goal);
        let now = Finish {
            number,
            rescale: None,
            scale: goal_scale,
            rescaled: &[],
        };
        let mut score = Exact::ZERO;
        let mut indicators = Vec::with_capacity(goal.indicators.len());
        let mut raws = Vec::new();
        let mut rescaled: Vec<usize> = Vec::new();
        let mut rescale = None;
        for (i, ind) in goal.indicators.iter().enumerate() {
            let s = self
                .indicator(goal, ind)
                .map_err(|e| in_goal(e, number, ind))?;
            let (mut outcome, raw) = self.outcome(ind, s, deferred.then_some((i, &mut rescaled)));
            if deferred {
                raws.push(raw);
            } else if let Some(value) = self.finish(&now, i, ind, &mut outcome, raw, warnings)? {
                self.add(&mut score, by_indicator, &value, ind)?;
            }
            indicators.push(outcome);
        }
        if deferred {
            rescale = self.rescale_factor(number, goal, &rescaled, indicator_weight, warnings)?;
            let later = Finish {
                number,
                rescale,
                scale: goal_scale,
                rescaled: &rescaled,
            };
            for (i, ((ind, s), raw)) in goal
                .indicators
                .iter()
                .zip(&mut indicators)
                .zip(raws)
                .enumerate()
            {
                if let Some(value) = self.finish(&later, i, ind, s, raw, warnings)? {
                    self.add(&mut score, by_indicator, &value, ind)?;
                }
            }
        }
        if by_indicator {
            score = self.sum_rounded(goal, &indicators)?;
        }
        let weight = match goal_scale {
            Some((to, from)) => Exact::from(goal.weight.value)
                .mul(to)
                .and_then(|x| x.div(from))
                .map_err(|e| self.arith(e, goal.weight.span, "目标分值折算"))?,
            None => Exact::from(goal.weight.value),
        };
        if let Some(cap) = &self.rules.goal_cap {
            score = self.capped(
                cap,
                score,
                &weight,
                Capped::Goal(number),
                goal.weight.span,
                warnings,
            )?;
        }
        let shown = match rounding.goal {
            Some(r) => {
                let (v, exact) = self.rounded(&score, r, sum_span, "目标得分")?;
                score = exact;
                v
            }
            None => self.shown(&score, sum_span, "目标得分")?,
        };
        Ok(GoalScore {
            outcome: GoalOutcome {
                number,
                name: Cow::Borrowed(&goal.name.text),
                weight: self.shown(&weight, goal.weight.span, "目标分值折算")?,
                indicator_weight,
                score: shown,
                scale: Scale::of(rescale, goal_scale, rounding.lowest()),
                reported: goal.reported.map(|n| n.value),
                indicators,
            },
            score,
            weight,
        })
    }

    /// Whether the goal may leave an indicator out with `rescale goal`: the rules say so
    /// for some indicators, and one of the goal's is not evaluated (no actual value, or an
    /// entry without one: as `evaluated` reads it, erring on the side of two passes).
    fn may_rescale(&self, goal: &Goal) -> bool {
        self.rules
            .optionals
            .iter()
            .any(|o| o.action == OptionalAction::RescaleGoal)
            && goal.indicators.iter().any(|i| {
                if i.entries.is_empty() {
                    i.actual.is_none()
                } else {
                    i.entries.iter().any(|e| e.actual.is_none())
                }
            })
    }

    /// An indicator's exact score added to its goal's, unless the rules round each
    /// indicator (the goal then adds the rounded scores); an overflow names the indicator.
    #[inline(always)]
    fn add(
        &self,
        score: &mut Exact,
        by_indicator: bool,
        value: &Exact,
        ind: &Indicator,
    ) -> Result<(), EvalError> {
        if !by_indicator {
            *score = score
                .add(value)
                .map_err(|e| self.arith(e, ind.name.span, "目标得分"))?;
        }
        Ok(())
    }

    /// A scored indicator's outcome, its score not yet set, and its raw score; when the
    /// goal is finished later, an indicator left out with `rescale goal` is noted in
    /// `rescaled` by its index.
    #[inline(always)]
    fn outcome(
        &self,
        ind: &'r Indicator,
        s: Scored<'r>,
        rescaled: Option<(usize, &mut Vec<usize>)>,
    ) -> (IndicatorOutcome<'r>, Exact) {
        if let Some((i, rescaled)) = rescaled
            && s.omit == Some(OptionalAction::RescaleGoal)
        {
            rescaled.push(i);
        }
        let class = s.class.and_then(|c| self.rules.classes.get(c));
        let outcome = IndicatorOutcome {
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
        };
        (outcome, s.raw)
    }

    /// The sum of the goal's indicator weights, with a warning when it is not the goal's
    /// weight.
    fn indicator_weight(
        &self,
        number: usize,
        goal: &Goal,
        warnings: &mut Vec<Warning>,
    ) -> Result<Decimal, EvalError> {
        let indicator_weight = num::sum(goal.indicators.iter().map(|i| i.weight.value))
            .map_err(|e| self.arith(e, goal.name.span, "指标权重合计"))?;
        if indicator_weight != goal.weight.value {
            warnings.push(Warning {
                code: Code::EvalWeightSum,
                message: format!(
                    "年度目标{number}的指标权重合计 {}，与目标分值 {} 不符；按各指标权重照常计分",
                    num::show(indicator_weight),
                    num::show(goal.weight.value)
                ),
                goal: Some(number),
                indicator: None,
            });
        }
        Ok(indicator_weight)
    }

    /// Optional indicators left unevaluated with `rescale goal`: the others are scaled so
    /// the goal keeps what its indicators would have been worth in full, by (all, rest):
    /// the indicators' weight and what remains of it. `None` when none was left out, or
    /// nothing remains (a warning: the goal scores 0).
    fn rescale_factor(
        &self,
        number: usize,
        goal: &Goal,
        rescaled: &[usize],
        indicator_weight: Decimal,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<(Decimal, Decimal)>, EvalError> {
        let sum_span = goal.name.span;
        let omitted_weight = num::sum(rescaled.iter().map(|&i| goal.indicators[i].weight.value))
            .map_err(|e| self.arith(e, sum_span, "折算"))?;
        let remaining = num::sub(indicator_weight, omitted_weight)
            .map_err(|e| self.arith(e, sum_span, "折算"))?;
        Ok(if omitted_weight.is_zero() {
            None
        } else if remaining.is_zero() || remaining.is_sign_negative() {
            warnings.push(Warning {
                code: Code::EvalNothingEvaluated,
                message: format!("年度目标{number}没有任何已评价的指标，得 0 分"),
                goal: Some(number),
                indicator: None,
            });
            None
        } else {
            Some((indicator_weight, remaining))
        })
    }

    /// One indicator finished once its goal's totals are known: rescaled, rounded when the
    /// rules round each indicator, its score set, its warning given. Its exact score for
    /// the goal's sum, or `None` when it was left out. (Inlined, as is what it calls: it
    /// is the body of the loop over a goal's indicators, split out to be read.)
    #[inline(always)]
    fn finish(
        &self,
        f: &Finish<'_>,
        i: usize,
        ind: &Indicator,
        s: &mut IndicatorOutcome<'r>,
        raw: Exact,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Exact>, EvalError> {
        let value = self.rescaled(f, ind, s, raw)?;
        let shown = self.rounded_indicator(f.number, ind, s, &value)?;
        if s.status != Status::Scored {
            left_out(f, i, ind, s.status, warnings);
        }
        if s.status == Status::Omitted {
            return Ok(None);
        }
        s.score = Some(match shown {
            Some(v) => v,
            None => self
                .shown(&value, ind.name.span, "得分")
                .map_err(|e| in_goal(e, f.number, ind))?,
        });
        Ok(Some(value))
    }

    /// A scored indicator's exact score rescaled: for the optional indicators its goal
    /// left out (`rescale goal`), then for the goals' total (`scale goals to`).
    #[inline(always)]
    fn rescaled(
        &self,
        f: &Finish<'_>,
        ind: &Indicator,
        s: &mut IndicatorOutcome<'r>,
        raw: Exact,
    ) -> Result<Exact, EvalError> {
        let mut value = raw;
        if let (Some((all, rest)), Status::Scored) = (f.rescale, s.status) {
            let scaled = value
                .mul(&Exact::from(all))
                .and_then(|x| x.div(&Exact::from(rest)))
                .map_err(|e| in_goal(self.arith(e, ind.name.span, "折算"), f.number, ind))?;
            self.note(&mut s.trace, || Step {
                kind: StepKind::Rescale {
                    all,
                    rest,
                    from: value.clone(),
                    to: scaled.clone(),
                },
                rule: self
                    .rules
                    .optionals
                    .iter()
                    .find(|o| o.action == OptionalAction::RescaleGoal)
                    .map(|o| self.rule_line(o.span)),
            });
            value = scaled;
        }
        if let (Some((to, from)), Status::Scored) = (f.scale, s.status) {
            let scaled = value.mul(to).and_then(|x| x.div(from)).map_err(|e| {
                in_goal(self.arith(e, ind.name.span, "目标分值折算"), f.number, ind)
            })?;
            self.note(&mut s.trace, || Step {
                kind: StepKind::ScaleGoals {
                    sum: from.clone(),
                    target: to.clone(),
                    from: value.clone(),
                    to: scaled.clone(),
                },
                rule: self.rules.scale.as_ref().map(|e| self.rule_line(e.span)),
            });
            value = scaled;
        }
        Ok(value)
    }

    /// An indicator's score as shown when the rules round each indicator (omitted ones
    /// excepted); `None` when they do not.
    #[inline(always)]
    fn rounded_indicator(
        &self,
        number: usize,
        ind: &Indicator,
        s: &mut IndicatorOutcome<'r>,
        value: &Exact,
    ) -> Result<Option<Decimal>, EvalError> {
        let Some(r) = self.rules.rounding.indicator else {
            return Ok(None);
        };
        if s.status == Status::Omitted {
            return Ok(None);
        }
        // (The rounded value is kept as a decimal only: rounded at the indicator, the
        // goal adds decimals. Making an exact value of it too would cost more than the
        // rounding.)
        let v = value
            .round(r.places, r.mode)
            .map_err(|e| in_goal(self.arith(e, ind.name.span, "得分"), number, ind))?;
        // (Whether to note it is asked only when tracing: comparing a rounded value with
        // an unrounded one costs a multiplication.)
        if self.trace && (s.status == Status::Scored || Exact::from(v) != *value) {
            self.note_rounding(&mut s.trace, r, value, v);
        }
        Ok(Some(v))
    }

    /// The goal's score when the rules round each indicator: the scores as shown, rounded
    /// to one scale and added as integers (BENCHMARKS.md, round 4); otherwise one by one,
    /// so that an overflow names the indicator.
    fn sum_rounded(
        &self,
        goal: &Goal,
        indicators: &[IndicatorOutcome<'_>],
    ) -> Result<Exact, EvalError> {
        Ok(
            match num::sum_of_one_scale(indicators.iter().filter_map(|s| s.score)) {
                Some(total) => Exact::from(total),
                None => {
                    let mut score = Exact::ZERO;
                    for (ind, s) in goal.indicators.iter().zip(indicators) {
                        if let Some(v) = s.score {
                            score = score
                                .add(&Exact::from(v))
                                .map_err(|e| self.arith(e, ind.name.span, "目标得分"))?;
                        }
                    }
                    score
                }
            },
        )
    }
}

/// What a goal's indicators are finished with, once the goal's totals are known.
struct Finish<'g> {
    /// The goal's number, from 1.
    number: usize,
    /// `rescale goal`: (the indicators' weight, what remains of it once the optional
    /// indicators left out are taken away), when some were left out.
    rescale: Option<(Decimal, Decimal)>,
    /// `scale goals to T`: (T, the goals' weights summed), when they differ.
    scale: Option<&'g (Exact, Exact)>,
    /// The indicators left out with `rescale goal`, by index.
    rescaled: &'g [usize],
}

/// The warning for an indicator not evaluated (scored 0) or left out (optional).
fn left_out(
    f: &Finish<'_>,
    i: usize,
    ind: &Indicator,
    status: Status,
    warnings: &mut Vec<Warning>,
) {
    if status == Status::NotEvaluated {
        warnings.push(Warning {
            code: Code::EvalNotEvaluated,
            message: format!(
                "年度目标{}「{}」未填写实际完成值，且不是可选指标，按 0 分计",
                f.number, ind.name.text
            ),
            goal: Some(f.number),
            indicator: Some(ind.name.text.to_string()),
        });
    }
    if status == Status::Omitted {
        warnings.push(Warning {
            code: Code::EvalOmitted,
            message: format!(
                "年度目标{}「{}」未评价，按可选指标不计分{}",
                f.number,
                ind.name.text,
                if f.rescaled.contains(&i) {
                    "，其余指标按比例折算"
                } else {
                    ""
                }
            ),
            goal: Some(f.number),
            indicator: Some(ind.name.text.to_string()),
        });
    }
}

/// An error of an indicator, placed in its goal: `年度目标1「…」`.
fn in_goal(e: EvalError, number: usize, ind: &Indicator) -> EvalError {
    e.within(format!("年度目标{number}「{}」", ind.name.text))
}
