//! A's and B's values: an indicator's own, or its entries' (one per fund) combined by
//! the rules' `aggregate` line (sum, mean, mean by fund), exactly.
//!
//! Input: the form's indicator. Output: its [`Values`], numbers (with the target's
//! comparison) or texts. Invariant: a mean is an exact fraction, never cut to 28 digits,
//! so a fund-weighted B / A is Σf·B / Σf·A exactly.

use rust_decimal::Decimal;

use std::borrow::Cow;

use super::{EvalError, Evaluator, Step, StepKind};
use crate::code::Code;
use crate::form::{Cmp, Indicator, Parsed, Value};
use crate::num::Exact;
use crate::source::Span;
use crate::syntax::ast::{AggMethod, AggTarget};

/// What an indicator's values aggregate to before classification.
pub(super) enum Values<'f> {
    Numbers { a: Exact, b: Exact, cmp: Cmp },
    Text { a: &'f str, b: &'f str },
}

impl<'r> Evaluator<'r> {
    /// A's and B's values, aggregated over entries where there are entries.
    pub(super) fn values(
        &self,
        ind: &'r Indicator,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Values<'r>, EvalError> {
        if ind.entries.is_empty() {
            return self.own_values(ind, trace);
        }
        let first = &ind.entries[0];
        let Some(t0) = &first.target else {
            return Err(self.missing_target(first.span));
        };
        match &t0.parsed {
            Parsed::Text(_) => {
                let a = common_text(ind.entries.iter().map(|e| e.target.as_ref()));
                let b = common_text(ind.entries.iter().map(|e| e.actual.as_ref()));
                Ok(Values::Text { a, b })
            }
            Parsed::Quantity(q0) => self.combined_values(ind, q0.percent, trace),
        }
    }

    /// The values of an indicator without entries: its own target and actual. (Inlined:
    /// the commonest case, split out to be read.)
    #[inline(always)]
    fn own_values(
        &self,
        ind: &'r Indicator,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Values<'r>, EvalError> {
        let (Some(t), Some(a)) = (&ind.target, &ind.actual) else {
            return Err(self.missing_target(ind.name.span));
        };
        Ok(match (&t.parsed, &a.parsed) {
            (Parsed::Quantity(qt), Parsed::Quantity(qa)) => {
                if self.trace {
                    trace.push(Step {
                        kind: StepKind::Values {
                            a: qt.number,
                            a_written: Cow::Borrowed(&t.raw),
                            b: qa.number,
                            b_written: Cow::Borrowed(&a.raw),
                        },
                        rule: None,
                    });
                }
                Values::Numbers {
                    a: Exact::from(qt.number),
                    b: Exact::from(qa.number),
                    cmp: qt.cmp,
                }
            }
            (Parsed::Text(tt), Parsed::Text(at)) => Values::Text { a: tt, b: at },
            _ => return Err(self.kind_mismatch(t, a)),
        })
    }

    /// The numeric values of an indicator's entries, combined by the rules' `aggregate`
    /// line for percentages or for numbers; the entries' comparisons must agree.
    fn combined_values(
        &self,
        ind: &'r Indicator,
        percent: bool,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Values<'r>, EvalError> {
        let target = if percent {
            AggTarget::Percent
        } else {
            AggTarget::Number
        };
        let rule = self.aggregation(target, ind)?;
        let mut cmp = Cmp::None;
        // Targets, actuals and funds in one allocation.
        let n = ind.entries.len();
        let mut columns = vec![Decimal::ZERO; 3 * n];
        for (i, e) in ind.entries.iter().enumerate() {
            let (Some(t), Some(a)) = (&e.target, &e.actual) else {
                return Err(self.missing_target(e.span));
            };
            let (Some(qt), Some(qa)) = (t.quantity(), a.quantity()) else {
                return Err(self.kind_mismatch(t, a));
            };
            if qt.cmp != Cmp::None {
                if cmp != Cmp::None && cmp != qt.cmp {
                    return Err(EvalError::new(
                        Code::EvalMixedComparisons,
                        self.form,
                        "各笔资金的目标值比较方向不一致",
                    )
                    .label(t.span, format!("这里是「{}」", qt.cmp.symbol()))
                    .help("同一指标的各笔资金应同为正向（≥）或同为反向（≤）"));
                }
                cmp = qt.cmp;
            }
            columns[i] = qt.number;
            columns[n + i] = qa.number;
            columns[2 * n + i] = e.fund.quantity().map_or(Decimal::ZERO, |q| q.number);
        }
        let (targets, rest) = columns.split_at(n);
        let (actuals, funds) = rest.split_at(n);
        let ctx_span = ind.entries[0].span;
        let a = self.combine(rule.method, targets, funds, ctx_span)?;
        let b = self.combine(rule.method, actuals, funds, ctx_span)?;
        if self.trace {
            let kind = StepKind::Aggregate {
                method: rule.method,
                targets: targets.to_vec(),
                actuals: actuals.to_vec(),
                funds: funds.to_vec(),
                a: a.clone(),
                b: b.clone(),
            };
            trace.push(self.cited(kind, rule.span));
        }
        Ok(Values::Numbers { a, b, cmp })
    }

    pub(super) fn aggregation(
        &self,
        target: AggTarget,
        ind: &Indicator,
    ) -> Result<&crate::check::AggregateRule, EvalError> {
        self.rules.aggregate(target).ok_or_else(|| {
            let (what, example) = match target {
                AggTarget::Number => ("绝对值", "aggregate number: sum"),
                AggTarget::Percent => ("百分比", "aggregate percent: mean by fund"),
                AggTarget::Rate => ("定性得分率", "aggregate rate: mean by fund"),
            };
            EvalError::new(
                Code::EvalNoAggregation,
                self.form,
                format!("有多笔资金，但规则没有说明{what}如何汇总"),
            )
            .label(ind.name.span, "这个指标分资金填报")
            .help(format!("在规则文件中加一行 `{example}`"))
        })
    }

    /// Entries' values combined exactly: a mean is a fraction, never cut to 28 digits, so
    /// a fund-weighted B / A is Σf·B / Σf·A exactly.
    pub(super) fn combine(
        &self,
        method: AggMethod,
        values: &[Decimal],
        funds: &[Decimal],
        span: Span,
    ) -> Result<Exact, EvalError> {
        let err = |e| self.arith(e, span, "汇总");
        let sum = |xs: &[Decimal]| {
            xs.iter()
                .try_fold(Exact::ZERO, |acc, x| acc.add(&Exact::from(*x)))
        };
        match method {
            AggMethod::Sum => sum(values).map_err(err),
            AggMethod::Mean => {
                let n = Exact::int(i64::try_from(values.len()).unwrap_or(i64::MAX));
                sum(values).and_then(|s| s.div(&n)).map_err(err)
            }
            AggMethod::MeanByFund => {
                let total = sum(funds).map_err(err)?;
                if total.is_zero() {
                    return Err(EvalError::new(
                        Code::EvalZeroFunds,
                        self.form,
                        "各笔资金合计为 0，无法按资金额度加权",
                    )
                    .label(span, "资金额度")
                    .help("填写每笔资金的金额（fund），例如 fund = \"100万元\""));
                }
                let mut acc = Exact::ZERO;
                for (v, f) in values.iter().zip(funds) {
                    acc = Exact::from(*v)
                        .mul(&Exact::from(*f))
                        .and_then(|x| acc.add(&x))
                        .map_err(err)?;
                }
                acc.div(&total).map_err(err)
            }
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn missing_target(&self, span: Span) -> EvalError {
        EvalError::new(Code::EvalMissingTarget, self.form, "没有目标值")
            .label(span, "缺少 target")
            .help("填写年初目标值（target）")
    }

    #[cold]
    #[inline(never)]
    pub(super) fn kind_mismatch(&self, t: &Value, a: &Value) -> EvalError {
        EvalError::new(
            Code::EvalKindMismatch,
            self.form,
            "目标值与实际完成值一个是数值、一个是文字",
        )
        .label(t.span, "目标值")
        .label(a.span, "实际完成值")
        .help("定量指标两边都写数值，定性指标两边都写文字")
    }
}

pub(super) fn text_of(v: &Value) -> Option<&str> {
    match &v.parsed {
        Parsed::Text(t) => Some(t),
        Parsed::Quantity(_) => None,
    }
}

/// The text all entries share, or "" when they differ.
fn common_text<'f>(mut values: impl Iterator<Item = Option<&'f Value>>) -> &'f str {
    let first = values.next().flatten().and_then(text_of).unwrap_or("");
    if values.all(|v| v.and_then(text_of) == Some(first)) {
        first
    } else {
        ""
    }
}
