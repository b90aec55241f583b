//! The budget line (预算执行情况): its weight from the rules, A and B from the form's
//! planned and executed amounts, scored by the budget formula and rounded.
//!
//! Input: the form's `[budget]`. Output: its [`BudgetOutcome`] with the weight and score
//! exactly, for the total.

use std::borrow::Cow;

use super::formula::{Ctx, Written};
use super::subject::Subject;
use super::{BudgetOutcome, EvalError, Evaluator, StepKind, Val};
use crate::check::Var;
use crate::code::Code;
use crate::form::Form;
use crate::num::Exact;

impl<'r> Evaluator<'r> {
    /// The budget line's outcome, with its weight and score exactly.
    pub(super) fn budget(
        &self,
        form: &'r Form,
    ) -> Result<(BudgetOutcome<'r>, Exact, Exact), EvalError> {
        let rule = &self.rules.budget;
        let b = &form.budget;
        let (Some(qa), Some(qb)) = (b.planned.quantity(), b.executed.quantity()) else {
            // The loader guarantees numbers; keep a diagnostic rather than a panic.
            return Err(EvalError::new(
                Code::EvalBudgetNotNumber,
                self.form,
                "预算数与执行数须为数值",
            )
            .label(b.span, "预算执行情况")
            .help("在 [budget] 中把 planned 与 executed 写成数值，例如 \"12174.8万元\""));
        };
        let weight = match rule.weight.eval(&|_| None, self.params) {
            Ok(Val::Num(n)) => n,
            _ => Exact::ZERO,
        };
        let (a, b_exact) = (Exact::from(qa.number), Exact::from(qb.number));
        let mut subject = Subject::new(
            weight.clone(),
            ["预算执行情况", "", "预算执行率", ""],
            &self.facts,
        );
        subject.set_num(Var::A, a.clone());
        subject.set_num(Var::B, b_exact.clone());
        subject.set_text(Var::Kind, "number");
        let mut trace = Vec::new();
        self.note(&mut trace, || {
            let kind = StepKind::Budget {
                planned: Cow::Borrowed(&b.planned.raw),
                executed: Cow::Borrowed(&b.executed.raw),
                weight: weight.clone(),
            };
            self.cited(kind, rule.weight.span)
        });
        let ctx = Ctx {
            span: b.planned.span,
            what: "预算执行得分",
            values: Written {
                a: Some(b.planned.span),
                b: Some(b.executed.span),
                weight: None,
            },
        };
        let raw = self.formula(&rule.formula, &subject, &ctx, &mut trace)?;
        let (score, exact) = match self.rules.rounding.budget() {
            Some(r) => {
                let (s, exact) = self.rounded(&raw, r, b.planned.span, "预算执行得分")?;
                if self.trace && exact != raw {
                    self.note_rounding(&mut trace, r, &raw, s);
                }
                (s, exact)
            }
            None => (self.shown(&raw, b.planned.span, "预算执行得分")?, raw),
        };
        let outcome = BudgetOutcome {
            planned: Cow::Borrowed(&b.planned.raw),
            executed: Cow::Borrowed(&b.executed.raw),
            rate: b_exact
                .div(&a)
                .ok()
                .and_then(|r| r.approx())
                .map(|r| r.normalize()),
            weight: self.shown(&weight, b.span, "预算执行分值")?,
            score,
            reported: b.reported.map(|n| n.value),
            trace,
        };
        Ok((outcome, weight, exact))
    }
}
