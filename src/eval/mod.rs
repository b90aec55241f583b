//! Evaluation: compiled [`Rules`] + loaded [`Form`] → [`Outcome`].
//!
//! Input: rules and a form, both already valid on their own. Output: every score with the
//! trace of how it was reached, or the first [`EvalError`] (a value the rules cannot
//! score, pointing at the form and the rule). Invariants: all arithmetic is checked
//! decimal arithmetic; nothing here reads files or the rule source text beyond citing
//! line numbers; evaluation never loops (the language has no loops or recursion).

//!
//! The run, top down: [`evaluate`] (here) scores the budget line (`budget.rs`), then
//! each goal (`goal.rs`), whose indicators (`indicator.rs`) take their values, combined
//! over entries (`aggregate.rs`), a class, a rate when qualitative (`qualitative.rs`),
//! and a score by their class's formula (`formula.rs`) on the built-ins' values
//! (`subject.rs`). Expressions run in `expr.rs`, with the fast shapes the checker found
//! in `fast.rs`; `trace.rs` holds the explanation's typed steps (`render.rs` writes a
//! formula with its values, for one). A rescaled goal keeps its factor (`scale.rs`), from
//! which reports show the weights applied.

mod adjustment;
mod aggregate;
mod budget;
mod cap;
mod error;
mod expr;
mod facts;
mod fast;
mod formula;
mod goal;
mod indicator;
mod named_rules;
mod outcome;
mod qualitative;
mod render;
mod scale;
mod structure;
mod subject;
mod trace;

use std::borrow::Cow;

use rust_decimal::Decimal;

pub use error::EvalError;
pub use outcome::{
    AdjustmentOutcome, BudgetOutcome, FormInfo, GoalOutcome, IndicatorOutcome, MapText, Outcome,
    RulesInfo, Status, Warning,
};
pub use scale::Scale;
pub use trace::{Band, Condition, Operand, RuleLine, Step, StepKind};

pub(crate) use expr::{Env, ExprFault, Val};

use crate::check::{RoundingRule, Rules};
use crate::code::Code;
use crate::form::Form;
use crate::num::{ArithError, Exact};
use crate::source::{Source, Span};
use cap::Capped;

/// Scores `form` under `rules`.
///
/// # Errors
/// An [`EvalError`] for the first value the rules cannot score.
pub fn evaluate<'a>(rules: &'a Rules, form: &'a Form) -> Result<Outcome<'a>, EvalError> {
    evaluate_with(rules, form, Options::default())
}

/// How to evaluate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Record how each score was reached (`trace`), as `explain` shows it. Off, scoring a
    /// large batch allocates much less; the scores are the same.
    pub trace: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { trace: true }
    }
}

/// Scores `form` under `rules`, with `options`.
///
/// # Errors
/// An [`EvalError`] for the first value the rules cannot score.
pub fn evaluate_with<'a>(
    rules: &'a Rules,
    form: &'a Form,
    options: Options,
) -> Result<Outcome<'a>, EvalError> {
    Evaluator {
        rules,
        form: &form.source,
        facts: subject::Facts::of(form),
        params: &rules.param_values,
        trace: options.trace,
    }
    .run(form)
}

struct Evaluator<'r> {
    rules: &'r Rules,
    form: &'r Source,
    /// What the form says of itself (`year`, `department`), for the rules to read.
    facts: subject::Facts<'r>,
    params: &'r crate::check::ParamValues,
    trace: bool,
}

impl<'r> Evaluator<'r> {
    /// Records a step of the explanation, built only when tracing. (Always inlined: out
    /// of line, every call built its closure's captures for nothing when not tracing,
    /// 0.9 k instructions of the seed form's 93.7 k.)
    #[inline(always)]
    fn note(&self, trace: &mut Vec<Step<'r>>, step: impl FnOnce() -> Step<'r>) {
        if self.trace {
            trace.push(step());
        }
    }

    /// The rounding step `from` → `to` by the rules' `round` line `r`.
    fn note_rounding(&self, trace: &mut Vec<Step<'r>>, r: RoundingRule, from: &Exact, to: Decimal) {
        self.note(trace, || {
            let kind = StepKind::Rounding {
                places: r.places,
                mode: r.mode,
                from: from.clone(),
                to,
            };
            self.cited(kind, r.span)
        });
    }

    /// A step that follows the rule at `span`.
    fn cited(&self, kind: StepKind<'r>, span: Span) -> Step<'r> {
        Step {
            kind,
            rule: Some(self.rule_line(span)),
        }
    }

    /// The rule line at `span`.
    fn rule_line(&self, span: Span) -> RuleLine<'r> {
        let (source, local) = self.rules.locate(span);
        RuleLine {
            file: Cow::Borrowed(source.name()),
            line: source.line_col(local.start).0,
        }
    }

    /// A rule a warning cites: its line and text, `rules/x.rules:4 \`cap total at 100\``.
    fn cite(&self, span: Span) -> String {
        format!("{} `{}`", self.rule_line(span), self.rule_text(span))
    }

    /// The rule text under a compiled span, trimmed, for a step.
    fn rule_text(&self, span: Span) -> Cow<'r, str> {
        Cow::Borrowed(self.rules.slice(span).trim())
    }

    fn run(&self, form: &'r Form) -> Result<Outcome<'r>, EvalError> {
        let rules = self.rules;
        let mut warnings = Vec::new();
        self.named_rules(form, &mut warnings);
        if !rules.facts.is_empty() {
            self.check_facts(form)?;
        }
        if !rules.requires.is_empty() {
            self.structure(form, &mut warnings);
        }
        let (budget, budget_weight, budget_score) = self
            .budget(form)
            .map_err(|e| e.within("预算执行情况".to_owned()))?;

        let goal_scale = self.goal_scale(form)?;
        let mut goals = Vec::with_capacity(form.goals.len());
        // The total and the full marks, exactly: sums of the budget's and goals' exact
        // scores (already rounded where the rules round them).
        let mut total = budget_score;
        let mut max_total = budget_weight;
        let mut left_out = Exact::ZERO;
        for (i, goal) in form.goals.iter().enumerate() {
            let g = self.goal(i + 1, goal, goal_scale.as_ref(), &mut warnings)?;
            total = total
                .add(&g.score)
                .map_err(|e| self.arith(e, form.budget.span, "总分"))?;
            max_total = max_total
                .add(&g.weight)
                .map_err(|e| self.arith(e, form.budget.span, "满分"))?;
            if !g.left_out.is_zero() {
                left_out = left_out
                    .add(&g.left_out)
                    .map_err(|e| self.arith(e, form.budget.span, "满分"))?;
            }
            goals.push(g.outcome);
        }
        if !left_out.is_zero() {
            total = self.rescaled_total(total, &max_total, &left_out, form, &mut warnings)?;
        }
        let adjusted = if form.adjustments.is_empty() {
            adjustment::Adjusted::none()
        } else {
            self.adjustments(form, &mut warnings)?
        };
        if !adjusted.items.is_empty() {
            total = total
                .add(&adjusted.added)
                .and_then(|t| t.sub(&adjusted.taken))
                .map_err(|e| self.arith(e, form.budget.span, "总分"))?;
            total = self.floored(total, &mut warnings);
        }
        let mut max_bonus = if rules.adjustments.is_empty() {
            Exact::ZERO
        } else {
            self.bonus_max()
        };
        if max_total != Exact::int(100) {
            warnings.push(Warning {
                code: Code::EvalTotalWeight,
                message: format!("预算执行分值与各目标分值合计 {max_total}，不是 100"),
                goal: None,
                indicator: None,
            });
        }
        if let Some(cap) = &rules.total_cap {
            let weights = max_total.clone();
            let span = form.budget.span;
            total = self.capped(cap, total, &weights, Capped::Total, span, &mut warnings)?;
            // 满分 is what a perfect form scores: no more than the cap either, and the
            // bonuses only what the cap leaves them.
            let full = max_total
                .add(&max_bonus)
                .map_err(|e| self.arith(e, span, "满分"))?;
            let full = self.capped(cap, full, &weights, Capped::Total, span, &mut Vec::new())?;
            if full < max_total {
                max_total = full;
                max_bonus = Exact::ZERO;
            } else {
                max_bonus = full
                    .sub(&max_total)
                    .map_err(|e| self.arith(e, span, "满分"))?;
            }
        }
        if let Some(r) = rules.rounding.total {
            total = self.rounded(&total, r, form.budget.span, "总分")?.1;
        }
        let reported_total = form.reported_total.map(|n| n.value);
        Ok(Outcome {
            rules: RulesInfo::of(rules),
            form: FormInfo::with_facts(form, rules),
            budget,
            goals,
            adjustments: adjusted.items,
            grade: rules.grade_of(&total).map(Cow::Borrowed),
            reported_grade: reported_total
                .and_then(|t| rules.grade(t))
                .map(Cow::Borrowed),
            total: self.shown(&total, form.budget.span, "总分")?,
            // One way, whatever places the weights were written with: 100, not 100.00.
            max_total: self
                .shown(&max_total, form.budget.span, "满分")?
                .normalize(),
            max_bonus: self
                .shown(&max_bonus, form.budget.span, "加分")?
                .normalize(),
            reported_total,
            warnings,
        })
    }

    /// `x` rounded by `r`: as shown, and as the exact value sums go on with. (Inlined: a
    /// decimal returned through memory is written a field at a time and read back whole,
    /// which stalls the processor; BENCHMARKS.md, round 6.)
    #[inline(always)]
    fn rounded(
        &self,
        x: &Exact,
        r: RoundingRule,
        span: Span,
        what: &str,
    ) -> Result<(Decimal, Exact), EvalError> {
        x.rounded(r.places, r.mode)
            .map_err(|e| self.arith(e, span, what))
    }

    /// An exact value as a report shows it: itself when it is a decimal, else its nearest
    /// 28-place decimal (the exact value goes on into the sums).
    #[inline(always)]
    fn shown(&self, x: &Exact, span: Span, what: &str) -> Result<Decimal, EvalError> {
        x.approx()
            .ok_or_else(|| self.arith(ArithError::Overflow, span, what))
    }

    #[cold]
    #[inline(never)]
    fn arith(&self, e: ArithError, span: Span, what: &str) -> EvalError {
        EvalError::new(
            code_of(e),
            self.form,
            format!("计算{what}时{}", e.describe()),
        )
        .label(span, "由此处的数值算出")
        .help("检查表单中的数值是否填写正确")
    }
}

fn code_of(e: ArithError) -> Code {
    match e {
        ArithError::DivisionByZero => Code::EvalDivisionByZero,
        ArithError::Overflow => Code::EvalOverflow,
    }
}

/// Outcomes made by hand, for the reports' tests.
#[cfg(test)]
pub(crate) use outcome::tests as fixtures;
