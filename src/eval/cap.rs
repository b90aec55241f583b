//! Caps above the indicators: `cap goal at EXPR` (each goal's score, `weight` its
//! points) and `cap total at EXPR` (the total, `weight` the full marks).
//!
//! Input: the exact score before the level's own rounding, and the level's weight.
//! Output: the score, lowered to the cap when above it, and a warning saying so with the
//! rule line, so that every report shows why the score is below its sum. Invariant: a
//! cap never raises a score.

use crate::check::CapRule;
use crate::code::Code;
use crate::num::{self, Exact};
use crate::source::Span;

use super::formula::Written;
use super::subject::Subject;
use super::{EvalError, Evaluator, Val, Warning};

/// Which score a cap is applied to.
#[derive(Clone, Copy)]
pub(super) enum Capped {
    /// Goal number N (from 1).
    Goal(usize),
    /// The total.
    Total,
}

impl<'r> Evaluator<'r> {
    /// `score` under the cap `rule` (its `weight` is `weight`): the cap when the score is
    /// above it, with a warning; else the score. `span` is where an error in the cap's
    /// value is placed in the form.
    pub(super) fn capped(
        &self,
        rule: &CapRule,
        score: Exact,
        weight: &Exact,
        which: Capped,
        span: Span,
        warnings: &mut Vec<Warning>,
    ) -> Result<Exact, EvalError> {
        let what = match which {
            Capped::Goal(_) => "目标封顶分值",
            Capped::Total => "总分封顶分值",
        };
        // What a cap reads: the weight, and the form's year, department and facts.
        let subject = Subject::new(weight.clone(), ["", "", "", ""], &self.facts);
        let cap = match rule.value.value(&subject, self.params) {
            Ok(Val::Num(n)) => n,
            Ok(_) => return Ok(score),
            Err(e) => return Err(self.expr_error(*e, span, what, Written::NONE)),
        };
        if score <= cap {
            return Ok(score);
        }
        let (code, whose, goal) = match which {
            Capped::Goal(n) => (Code::EvalGoalCapped, format!("年度目标{n}的得分"), Some(n)),
            Capped::Total => (Code::EvalTotalCapped, "总分".to_owned(), None),
        };
        warnings.push(Warning {
            code,
            message: format!(
                "{whose} {} 超过封顶 {}，按 {} 计（{}）",
                show(&score),
                show(&cap),
                show(&cap),
                self.cite(rule.span)
            ),
            goal,
            indicator: None,
        });
        Ok(with_places_of(cap, &score))
    }
}

/// The cap written with at least the places of the score it replaces, so that a capped
/// goal shows 80.00 beside indicators of 85.00 (the value is the same).
fn with_places_of(cap: Exact, score: &Exact) -> Exact {
    let places = score.approx().map_or(0, |d| d.scale());
    match cap.approx() {
        Some(mut d) if d.scale() < places && Exact::from(d) == cap => {
            d.rescale(places);
            Exact::from(d)
        }
        _ => cap,
    }
}

/// An exact value as a warning quotes it (as the weight-sum warning quotes weights).
pub(super) fn show(x: &Exact) -> String {
    x.approx().map_or_else(|| x.to_string(), num::show)
}
