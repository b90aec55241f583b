//! A score formula run on a subject: the first guard that holds gives the score (or the
//! rules' error), else the formula, then the cap. Also conditions, and an expression's
//! fault turned into an [`EvalError`] that points at the form's values it read.
//!
//! Input: a compiled [`Formula`] and the [`Subject`]. Output: the exact score. Invariant:
//! a score returned fits a decimal (it is shown, rounded and added as one).

use super::subject::Subject;
use super::{Condition, EvalError, Evaluator, ExprFault, Step, StepKind, code_of};
use crate::check::{Calc, Cond, Formula, GuardOutcome, Var};
use crate::code::Code;
use crate::num::{ArithError, Exact};
use crate::source::Span;

impl<'r> Evaluator<'r> {
    pub(super) fn truth<'a>(
        &self,
        e: &'a Cond,
        s: &Subject<'a>,
        span: Span,
    ) -> Result<bool, EvalError> {
        e.truth(s, self.params)
            .map_err(|err| self.expr_error(*err, span, "判断条件", Written::NONE))
    }

    #[cold]
    #[inline(never)]
    pub(super) fn expr_error(
        &self,
        err: ExprFault,
        span: Span,
        what: &str,
        values: Written,
    ) -> EvalError {
        match err {
            ExprFault::Arith(e, rule_span, used) => {
                let mut error = EvalError::new(
                    code_of(e),
                    self.form,
                    format!("计算{what}时{}", e.describe()),
                )
                .label(span, "这一项");
                // The form's values the failing part of the formula reads.
                for (var, at, label) in [
                    (Var::A, values.a, "A"),
                    (Var::B, values.b, "B"),
                    (Var::Weight, values.weight, "weight"),
                ] {
                    if let Some(at) = at.filter(|at| *at != span && used.contains(var)) {
                        let role = match e {
                            ArithError::DivisionByZero => "除数",
                            ArithError::Overflow => "公式",
                        };
                        error = error.label(at, format!("{role}中的 {label}"));
                    }
                }
                error
                    .help(match e {
                        ArithError::DivisionByZero => {
                            "检查表单中作除数的值是否为 0；或在规则中用 `if 除数 == 0: 分值` 处理这种情况"
                        }
                        ArithError::Overflow => "检查表单中的数值是否多写了位数或用错了单位",
                    })
                    .rule(self.rules, rule_span, "在这里")
            }
            // The one built-in a form may leave without a value: its year.
            ExprFault::Unbound(Var::Year, rule_span) => EvalError::new(
                Code::EvalMissingYear,
                self.form,
                format!("计算{what}时要用表单的年度（year），但表单没有填写年度"),
            )
            .label(span, "这一项")
            .help("在表单开头的 [form] 中填写年度，例如 `year = 2021`")
            .rule(self.rules, rule_span, "规则在这里读取年度"),
            ExprFault::MissingFact(rule_span) => self.missing_fact(what, span, rule_span),
            // A class for unfilled indicators (`when missing(B)`) whose formula reads the
            // value the form left out.
            ExprFault::Unbound(v @ (Var::A | Var::B), rule_span) => {
                let (name, written) = if v == Var::B {
                    ("实际完成值（B）", "actual")
                } else {
                    ("年初目标值（A）", "target")
                };
                EvalError::new(
                    Code::EvalMissingValue,
                    self.form,
                    format!("计算{what}时要用{name}，但表单没有填写"),
                )
                .label(span, "这一项")
                .help(format!(
                    "填写这个指标的 {written}；或在规则中用 `if missing({}): 分值` 先处理未填的情况（when 含 missing(B) 的类别也为未填的指标计分）",
                    v.name()
                ))
                .rule(self.rules, rule_span, "规则在这里读取它")
            }
            ExprFault::Unbound(v, rule_span) => EvalError::new(
                Code::EvalUnbound,
                self.form,
                format!("计算{what}时 {v:?} 没有值"),
            )
            .label(span, "这一项")
            .help("这是 jixiao 的缺陷，请报告")
            .rule(self.rules, rule_span, "在这里"),
        }
    }

    /// Guards, then the formula, then the cap.
    pub(super) fn formula<'a>(
        &self,
        f: &'a Formula,
        s: &Subject<'a>,
        ctx: &Ctx,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Exact, EvalError> {
        let rules = self.rules;
        for g in &f.guards {
            if !self.truth(&g.cond, s, ctx.span)? {
                continue;
            }
            // (Substituted only when it is shown: in the trace, or in the rules' error.)
            let condition = || Condition {
                source: self.rule_text(g.cond.span),
                substituted: g.cond.substituted(s, self.params),
            };
            return match &g.result {
                GuardOutcome::Value(v) => {
                    let value = self.number(v, s, ctx)?;
                    self.note(trace, || {
                        let kind = StepKind::Guard {
                            condition: condition(),
                            source: self.rule_text(v.span),
                            value: value.clone(),
                        };
                        self.cited(kind, g.span)
                    });
                    self.fits(&value, v, ctx)?;
                    Ok(value)
                }
                GuardOutcome::Fail(message) => {
                    Err(
                        EvalError::new(Code::EvalRuleError, self.form, message.clone())
                            .label(ctx.span, because(&condition()))
                            .help("按规则，此情况无法计分；请核对表单中的数值")
                            .rule(rules, g.span, "规则规定此情况为错误"),
                    )
                }
            };
        }
        let value = self.number(&f.score, s, ctx)?;
        self.note(trace, || {
            let kind = StepKind::Formula {
                source: self.rule_text(f.score.span),
                substituted: f.score.substituted(s, self.params),
                value: value.clone(),
            };
            self.cited(kind, f.score.span)
        });
        if let Some(cap) = &f.cap {
            let c = self.number(cap, s, ctx)?;
            if value > c {
                self.note(trace, || {
                    let kind = StepKind::Cap {
                        source: self.rule_text(cap.span),
                        cap: c.clone(),
                        from: value.clone(),
                    };
                    self.cited(kind, cap.span)
                });
                self.fits(&c, cap, ctx)?;
                return Ok(c);
            }
        }
        self.fits(&value, &f.score, ctx)?;
        Ok(value)
    }

    /// A formula's result, if a decimal can hold it: its intermediate values are exact
    /// fractions of any size, but a score is shown, rounded and added as a decimal. One
    /// that cannot be is an overflow pointing at the formula and the values it read.
    #[inline(always)]
    pub(super) fn fits(&self, value: &Exact, e: &Calc, ctx: &Ctx) -> Result<(), EvalError> {
        if value.fits_decimal() {
            Ok(())
        } else {
            Err(self.too_large(e, ctx))
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn too_large(&self, e: &Calc, ctx: &Ctx) -> EvalError {
        let fault = ExprFault::Arith(ArithError::Overflow, e.span, e.var_set());
        self.expr_error(fault, ctx.span, ctx.what, ctx.values)
    }

    #[inline(always)]
    pub(super) fn number<'a>(
        &self,
        e: &'a Calc,
        s: &Subject<'a>,
        ctx: &Ctx,
    ) -> Result<Exact, EvalError> {
        e.number(s, self.params)
            .map_err(|err| self.expr_error(*err, ctx.span, ctx.what, ctx.values))
    }
}

/// A guard's condition in an error's label, as `report` words it in the trace: `因 B < 0
/// （-1 < 0）`. (The error is eval's own text; the trace's is `report::trace`.)
fn because(c: &Condition<'_>) -> String {
    if c.source == c.substituted {
        format!("因 {}", c.source)
    } else {
        format!("因 {}（{}）", c.source, c.substituted)
    }
}

pub(super) struct Ctx {
    pub(super) span: Span,
    pub(super) what: &'static str,
    pub(super) values: Written,
}

/// Where the form wrote the values a formula reads as A, B and weight (for an error's
/// labels); `None` where there is no one place (A and B aggregated from entries).
#[derive(Clone, Copy)]
pub(super) struct Written {
    pub(super) a: Option<Span>,
    pub(super) b: Option<Span>,
    pub(super) weight: Option<Span>,
}

impl Written {
    pub(super) const NONE: Written = Written {
        a: None,
        b: None,
        weight: None,
    };
}
