//! A qualitative indicator's rate (得分率): from the form, checked against its tier
//! (档位); from the tier's default; or from a band whose `when` holds by itself; over
//! entries, combined by `aggregate rate`.
//!
//! Input: the class's bands and the form's tier and rate. Output: the rate, exactly, or
//! the error that says what assessment is missing.

use rust_decimal::Decimal;

use super::aggregate::text_of;
use super::subject::Subject;
use std::borrow::Cow;

use super::{Band, Condition, EvalError, Evaluator, Step, StepKind, Val};
use crate::check::{BandRule, ClassRule, Var, did_you_mean};
use crate::code::Code;
use crate::form::{Indicator, Num, Text};
use crate::num::shown::percent_exact;
use crate::num::{self, Exact};
use crate::source::Span;
use crate::syntax::ast::AggTarget;

impl<'r> Evaluator<'r> {
    /// A qualitative indicator's rate: from the form (checked against its tier), from the
    /// tier's default, or from a band that applies by itself; aggregated over entries.
    pub(super) fn rate(
        &self,
        class: &'r ClassRule,
        ind: &Indicator,
        s: &Subject<'_>,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Exact, EvalError> {
        if ind.entries.is_empty() {
            let actual_span = ind.actual.as_ref().map_or(ind.name.span, |a| a.span);
            return self
                .rate_of(
                    class,
                    ind,
                    ind.tier.as_ref(),
                    ind.rate,
                    s,
                    actual_span,
                    trace,
                )
                .map(Exact::from);
        }
        let rule = self.aggregation(AggTarget::Rate, ind)?;
        let mut rates = Vec::with_capacity(ind.entries.len());
        let mut funds = Vec::with_capacity(ind.entries.len());
        for e in &ind.entries {
            let mut es = s.clone();
            es.set(Var::A, e.target.as_ref().and_then(text_of).map(Val::Text));
            es.set(Var::B, e.actual.as_ref().and_then(text_of).map(Val::Text));
            es.set_text(Var::Tier, e.tier.as_ref().map_or("", |t| &*t.text));
            let span = e.actual.as_ref().map_or(e.span, |a| a.span);
            rates.push(self.rate_of(class, ind, e.tier.as_ref(), e.rate, &es, span, trace)?);
            funds.push(e.fund.quantity().map_or(Decimal::ZERO, |q| q.number));
        }
        let rate = self.combine(rule.method, &rates, &funds, ind.entries[0].span)?;
        self.note(trace, || {
            let kind = StepKind::AggregateRate {
                method: rule.method,
                rates,
                funds,
                rate: rate.clone(),
            };
            self.cited(kind, rule.span)
        });
        Ok(rate)
    }

    /// One rate (an indicator's, or one entry's): by the tier the form names, else the
    /// rate it gives, else a band whose `when` holds.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn rate_of(
        &self,
        class: &'r ClassRule,
        ind: &Indicator,
        tier: Option<&Text>,
        rate: Option<Num>,
        s: &Subject<'_>,
        actual_span: Span,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Decimal, EvalError> {
        if let Some(t) = tier {
            return self.rate_of_tier(class, t, rate, actual_span, trace);
        }
        if let Some(r) = rate {
            return self.rate_in_bands(class, r, trace);
        }
        self.rate_by_when(class, ind, s, actual_span, trace)
    }

    /// The rate of a named tier: the form's, which must lie in the tier, else the tier's
    /// default.
    fn rate_of_tier(
        &self,
        class: &'r ClassRule,
        t: &Text,
        rate: Option<Num>,
        actual_span: Span,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Decimal, EvalError> {
        let Some(band) = class.bands.iter().find(|b| *b.name == *t.text) else {
            let names: Vec<&str> = class.bands.iter().map(|b| b.name.as_str()).collect();
            let mut help = format!("可用的档位：{}", names.join("、"));
            if let Some(m) = did_you_mean(&t.text, names.iter().copied()) {
                help = format!("是否想写「{m}」？{help}");
            }
            return Err(EvalError::new(
                Code::EvalUnknownTier,
                self.form,
                format!("未知档位「{}」", t.text),
            )
            .label(t.span, "规则中没有这个档位")
            .help(help)
            .rule(self.rules, class.head, "这一类别的档位在此定义"));
        };
        match rate {
            Some(r) if band.contains(r.value) => {
                self.note(trace, || {
                    let kind = StepKind::TierRate {
                        band: self.band(band),
                        rate: r.value,
                    };
                    self.cited(kind, band.span)
                });
                Ok(r.value)
            }
            Some(r) => Err(EvalError::new(
                Code::EvalRateOutsideTier,
                self.form,
                format!(
                    "得分率 {} 不在档位「{}」的区间 {} 内",
                    percent_exact(r.value),
                    band.name,
                    band.range_text()
                ),
            )
            .label(r.span, "得分率")
            .label(t.span, format!("档位 {}", band.range_text()))
            .help(format!(
                "把得分率改到 {} 之内，或改为与之相符的档位",
                band.range_text()
            ))
            .rule(self.rules, band.span, "档位区间")),
            None => match band.default {
                Some(d) => {
                    self.note(trace, || {
                        let kind = StepKind::TierDefault {
                            band: Cow::Borrowed(&band.name),
                            rate: d,
                        };
                        self.cited(kind, band.span)
                    });
                    Ok(d)
                }
                None => Err(self.needs_assessment(
                    actual_span,
                    &format!(
                        "档位「{}」没有默认得分率：请同时给出 rate，在 {} 之内，例如 rate = \"{}\"",
                        band.name,
                        band.range_text(),
                        percent_exact(band.lo.max(Decimal::new(5, 1)).min(band.hi))
                    ),
                )),
            },
        }
    }

    /// A rate the form gives without a tier: it must lie in one of the class's bands, if
    /// the class has any.
    fn rate_in_bands(
        &self,
        class: &'r ClassRule,
        r: Num,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Decimal, EvalError> {
        match class.bands.iter().find(|b| b.contains(r.value)) {
            Some(band) => {
                self.note(trace, || {
                    let kind = StepKind::RateInBand {
                        rate: r.value,
                        band: self.band(band),
                    };
                    self.cited(kind, band.span)
                });
                Ok(r.value)
            }
            None if class.bands.is_empty() => {
                self.note(trace, || Step {
                    kind: StepKind::Rate { rate: r.value },
                    rule: None,
                });
                Ok(r.value)
            }
            None => Err(EvalError::new(
                Code::EvalRateOutsideBands,
                self.form,
                format!("得分率 {} 不属于任何档位", percent_exact(r.value)),
            )
            .label(r.span, "得分率")
            .help("把得分率改到某一档的区间之内")),
        }
    }

    /// Neither tier nor rate: the default of the first band whose `when` holds (and that
    /// has a default), else an error that says what to assess.
    fn rate_by_when(
        &self,
        class: &'r ClassRule,
        ind: &Indicator,
        s: &Subject<'_>,
        actual_span: Span,
        trace: &mut Vec<Step<'r>>,
    ) -> Result<Decimal, EvalError> {
        for band in &class.bands {
            let Some(when) = &band.when else { continue };
            if self.truth(when, s, ind.name.span)? {
                if let Some(d) = band.default {
                    self.note(trace, || {
                        let kind = StepKind::BandByCondition {
                            condition: Condition {
                                source: self.rule_text(when.span),
                                substituted: when.substituted(s, self.params),
                            },
                            band: Cow::Borrowed(&band.name),
                            rate: d,
                        };
                        self.cited(kind, band.span)
                    });
                    return Ok(d);
                }
            }
        }
        Err(self.needs_assessment(actual_span, &assessment_help(class)))
    }

    /// A band as a step names it.
    fn band(&self, b: &'r BandRule) -> Band<'r> {
        Band {
            name: Cow::Borrowed(&b.name),
            lo: b.lo,
            lo_inclusive: b.lo_inclusive,
            hi: b.hi,
            hi_inclusive: b.hi_inclusive,
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn needs_assessment(&self, span: Span, help: &str) -> EvalError {
        EvalError::new(
            Code::EvalNeedsAssessment,
            self.form,
            "定性指标缺少评定，无法计分",
        )
        .label(span, "据此无法确定档位与得分率")
        .help(help.to_owned())
    }
}

/// How to give the assessment a qualitative indicator lacks: the example names a tier
/// that must be assessed (one without `when`), with a rate in its middle.
fn assessment_help(class: &ClassRule) -> String {
    let example = class
        .bands
        .iter()
        .find(|b| b.when.is_none())
        .or(class.bands.first());
    match example {
        Some(b) => format!(
            "实际完成值与目标值不同，须评定档位：在表单中给出 tier（{}）与 rate，例如 tier = \"{}\", rate = \"{}\"",
            class
                .bands
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            b.name,
            // The middle of the band; band ends are checked constants, but a sum of two
            // of them may still not fit.
            percent_exact(
                num::add(b.lo, b.hi)
                    .and_then(|sum| num::div(sum, Decimal::TWO))
                    .unwrap_or(b.lo)
            )
        ),
        None => "在表单中给出得分率 rate，例如 rate = \"80%\"".to_owned(),
    }
}
