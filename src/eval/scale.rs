//! 折算后权重: how a rescaled goal's indicator weights are applied. Under `rescale goal`
//! (optional indicators left out) and `scale goals to`, an indicator's score is its
//! class's score times the goal's factor, so it can pass the weight the form gives it
//! (权重 2, 得分 2.25). Every report shows the weight applied beside the form's, read
//! from here.
//!
//! Input: the goal's factors as the evaluator applied them. Output: one [`Scale`] per
//! rescaled goal, kept on its [`GoalOutcome`]: the factor, exact, and the places the rules
//! show scores at. The weights applied are computed from it when a report asks
//! ([`GoalOutcome::applied_weight`], [`GoalOutcome::applied_indicator_weight`]), not
//! during evaluation: most goals are not rescaled, and most outcomes are never shown.
//!
//! Invariant: a goal without a factor (the usual case) has no `Scale`, and every report
//! then looks as it does for rules that never rescale.
//!
//! `rescale total` (optional indicators left out of their goals, the total scaled to the
//! full marks of what was evaluated) is here too ([`Evaluator::rescaled_total`]): it is
//! applied once, to the total, and said in a warning rather than per indicator.

use rust_decimal::Decimal;

use super::cap::show;
use super::{EvalError, Evaluator, GoalOutcome, IndicatorOutcome, Status, Warning};
use crate::check::RoundingRule;
use crate::code::Code;
use crate::form::Form;
use crate::num::Exact;
use crate::syntax::ast::{OptionalAction, RoundMode};

/// A rescaled goal's factor: what each of its indicators' scores (and so weights) was
/// multiplied by.
#[derive(Debug, Clone)]
pub struct Scale {
    /// `all / rest × target / sum`, exactly.
    factor: Exact,
    /// The rules' rounding, to show a weight applied at their places; `None` when they do
    /// not round (shown exactly).
    places: Option<(u32, RoundMode)>,
}

impl Scale {
    /// The factor of a goal whose indicators were rescaled by `all / rest` (`rescale
    /// goal`) and the goals by `target / sum` (`scale goals to`); `None` when neither, or
    /// (only for values built to overflow) the factor does not fit.
    #[inline]
    pub(crate) fn of(
        rescale: Option<(Decimal, Decimal)>,
        goals: Option<&(Exact, Exact)>,
        rounding: Option<RoundingRule>,
    ) -> Option<Scale> {
        if rescale.is_none() && goals.is_none() {
            return None;
        }
        Scale::factor(rescale, goals).map(|factor| Scale {
            factor,
            places: rounding.map(|r| (r.places, r.mode)),
        })
    }

    /// The factor `numerator / denominator`, shown at `places` (by their rounding mode;
    /// exactly when `None`): for a program that scores forms itself and builds their
    /// outcomes (the benchmarks' native baseline). `None` for a zero denominator.
    #[must_use]
    pub fn new(
        numerator: Decimal,
        denominator: Decimal,
        places: Option<(u32, RoundMode)>,
    ) -> Option<Scale> {
        Scale::factor(Some((numerator, denominator)), None).map(|factor| Scale { factor, places })
    }

    #[cold]
    fn factor(
        rescale: Option<(Decimal, Decimal)>,
        goals: Option<&(Exact, Exact)>,
    ) -> Option<Exact> {
        let mut f = Exact::int(1);
        if let Some((all, rest)) = rescale {
            f = f
                .mul(&Exact::from(all))
                .ok()?
                .div(&Exact::from(rest))
                .ok()?;
        }
        if let Some((target, sum)) = goals {
            f = f.mul(target).ok()?.div(sum).ok()?;
        }
        Some(f)
    }

    /// `weight × factor`, at the rules' places (by their rounding mode), or exactly (to as
    /// many places as a decimal holds) when they do not round.
    fn applied(&self, weight: Decimal) -> Option<Decimal> {
        let w = Exact::from(weight).mul(&self.factor).ok()?;
        match self.places {
            Some((places, mode)) => w.round(places, mode).ok(),
            None => w.approx(),
        }
    }

    /// The factor as a decimal, to as many places as fit (`1.25`, `1.4285714…`), for
    /// the JSON.
    #[must_use]
    pub fn factor_decimal(&self) -> Option<Decimal> {
        self.factor.approx()
    }
}

impl GoalOutcome<'_> {
    /// 折算后权重 of `indicator`, one of this goal's: its weight times the goal's factor,
    /// at the rules' places; `None` when the goal is not rescaled, or the indicator was
    /// left out (no weight of it applies).
    #[must_use]
    pub fn applied_weight(&self, indicator: &IndicatorOutcome<'_>) -> Option<Decimal> {
        let scale = self.scale.as_ref()?;
        if indicator.status == Status::Omitted {
            return None;
        }
        scale.applied(indicator.weight)
    }

    /// 折算后权重 of the goal: the weights of its indicators not left out, summed, times
    /// its factor, at the rules' places; `None` when it is not rescaled.
    #[must_use]
    pub fn applied_indicator_weight(&self) -> Option<Decimal> {
        let scale = self.scale.as_ref()?;
        let applied = self
            .indicators
            .iter()
            .filter(|i| i.status != Status::Omitted)
            .try_fold(Decimal::ZERO, |sum, i| sum.checked_add(i.weight))?;
        scale.applied(applied)
    }
}

impl Evaluator<'_> {
    /// `rescale total`: the budget line's and goals' total scaled to the full marks of
    /// what was evaluated, `total × full / (full − left out)`, with a warning citing the
    /// rule line; the total as it was (and a warning) when nothing was evaluated.
    pub(super) fn rescaled_total(
        &self,
        total: Exact,
        full: &Exact,
        left_out: &Exact,
        form: &Form,
        warnings: &mut Vec<Warning>,
    ) -> Result<Exact, EvalError> {
        let span = form.budget.span;
        let rest = full
            .sub(left_out)
            .map_err(|e| self.arith(e, span, "总分折算"))?;
        if rest <= Exact::ZERO {
            warnings.push(Warning {
                code: Code::EvalNothingEvaluated,
                message: "没有任何已评价的指标，总分无法折算".to_owned(),
                goal: None,
                indicator: None,
            });
            return Ok(total);
        }
        let mut scaled = total
            .mul(full)
            .and_then(|x| x.div(&rest))
            .map_err(|e| self.arith(e, span, "总分折算"))?;
        // A total the rules do not round is a sum of rounded scores; scaled, it is rounded
        // as they round the lowest level, once (a total rounding comes later otherwise).
        if let (None, Some(r)) = (self.rules.rounding.total, self.rules.rounding.lowest()) {
            scaled = self.rounded(&scaled, r, span, "总分折算")?.1;
        }
        let rule = self
            .rules
            .optionals
            .iter()
            .find(|o| o.action == OptionalAction::RescaleTotal)
            .map(|o| format!("（{}）", self.rule_line(o.span)))
            .unwrap_or_default();
        warnings.push(Warning {
            code: Code::EvalTotalRescaled,
            message: format!(
                "有 {} 分的可选指标未评价，总分按已评价部分的满分折算：{} × {} / {} = {}{rule}",
                show(left_out),
                show(&total),
                show(full),
                show(&rest),
                show(&scaled)
            ),
            goal: None,
            indicator: None,
        });
        Ok(scaled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::RoundLevel;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    fn rounding(places: u32) -> Option<RoundingRule> {
        Some(RoundingRule {
            places,
            mode: RoundMode::HalfUp,
            level: RoundLevel::Indicator,
            span: crate::Span::new(0, 0),
        })
    }

    #[test]
    fn no_factor_no_scale() {
        assert!(Scale::of(None, None, rounding(2)).is_none());
    }

    #[test]
    fn a_goal_of_ten_points_whose_indicators_weigh_eight() {
        // scale goals to 10 over a goal of 8: factor 10 / 8 = 1.25; weight 2 → 2.5,
        // shown at 2 places 2.50; weight 3 → 3.75
        let goals = (Exact::int(10), Exact::int(8));
        let s = Scale::of(None, Some(&goals), rounding(2)).expect("a factor");
        assert_eq!(
            s.applied(d("2")).map(|w| w.to_string()),
            Some("2.50".into())
        );
        assert_eq!(s.applied(d("3")), Some(d("3.75")));
        assert_eq!(s.factor_decimal(), Some(d("1.25")));
    }

    #[test]
    fn rescaled_and_scaled_multiply_and_round_once() {
        // rescale goal 20 / 14, then scale goals to 90 over 80: 6 × 20/14 × 90/80 =
        // 10800 / 1120 = 9.642857… → 9.64 at 2 places; without rounding, exact to 28
        // places
        let goals = (Exact::int(90), Exact::int(80));
        let s = Scale::of(Some((d("20"), d("14"))), Some(&goals), rounding(2)).expect("factor");
        assert_eq!(s.applied(d("6")), Some(d("9.64")));
        let exact = Scale::of(Some((d("20"), d("14"))), Some(&goals), None).expect("factor");
        assert_eq!(
            exact.applied(d("6")),
            Some(d("9.642857142857142857142857143"))
        );
    }
}
