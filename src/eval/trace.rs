//! The trace: how a score was reached, step by step, as typed values (what eval did,
//! with the numbers it used and the rule line it followed), never as text.
//!
//! Input: what the evaluator did. Output: [`Step`]s, one per thing done, in order.
//! Invariants: a step holds values (exact, as computed) and names (borrowed from the form
//! and the rules, as the outcome's texts are), never wording: `report::trace` writes each
//! in Chinese, and serialises it (its text, its kind and its values) for programs. So
//! rewording a step is a change in `report` alone, and `explain` reads the variants (a
//! rounding merged into the step it rounds) rather than parsing a text.
//!
//! Building a step copies no text but a formula or condition with its values substituted
//! (`2 × 3916 / 4000`, rendered from the compiled expression, which only eval has) and an
//! aggregate's entries; nothing is formatted while scoring.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;

use super::outcome::MapText;
use crate::check::Var;
use crate::num::Exact;
use crate::syntax::ast::{AdjustmentKind, AggMethod, OptionalAction, RoundMode};

/// One step of an explanation: what happened, and the rule line it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<'a> {
    /// What happened, with the values it used.
    pub kind: StepKind<'a>,
    /// The rule line it comes from (`rules/hubei-2021.rules:14`), if any.
    pub rule: Option<RuleLine<'a>>,
}

/// A line of a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLine<'a> {
    /// The rule file's name, as the rule set names its sources.
    pub file: Cow<'a, str>,
    /// 1-based.
    pub line: usize,
}

impl fmt::Display for RuleLine<'_> {
    /// `rules/hubei-2021.rules:14`, as a diagnostic cites a rule.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What a step did. Each variant's doc shows how `report` words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind<'a> {
    /// An indicator's own values: `A = 4000（4000人次），B = 3916（3916人次）`.
    Values {
        /// A's number.
        a: Decimal,
        /// A as written.
        a_written: Cow<'a, str>,
        /// B's number.
        b: Decimal,
        /// B as written.
        b_written: Cow<'a, str>,
    },
    /// Entries' values combined by the rules' `aggregate` line: `汇总 2 笔资金（算术平均）：
    /// A = (90 + 80) / 2 = 85；B = …`.
    Aggregate {
        /// How they were combined.
        method: AggMethod,
        /// Each entry's target, in form order.
        targets: Vec<Decimal>,
        /// Each entry's actual value.
        actuals: Vec<Decimal>,
        /// Each entry's fund (0 when it gives none).
        funds: Vec<Decimal>,
        /// A, combined exactly.
        a: Exact,
        /// B, combined exactly.
        b: Exact,
    },
    /// Entries' rates combined: `汇总 2 笔资金的得分率（…）：(…) = 0.85`.
    AggregateRate {
        /// How they were combined.
        method: AggMethod,
        /// Each entry's rate.
        rates: Vec<Decimal>,
        /// Each entry's fund.
        funds: Vec<Decimal>,
        /// The rate, combined exactly.
        rate: Exact,
    },
    /// The class chosen: `类别：正向指标（op in [">="]；比较符 op = ">="）`, or
    /// `（其余情况）` for a class without `when`.
    Class {
        /// The class's title, else its name.
        name: Cow<'a, str>,
        /// Its `when` as written; `None` for a class that takes the rest.
        condition: Option<Cow<'a, str>>,
        /// The built-ins the condition read, with their values, in the order it reads them.
        values: Vec<(Var, Operand<'a>)>,
        /// The form's facts it read (`fact …`), by name, with their values.
        facts: Vec<(Cow<'a, str>, Operand<'a>)>,
    },
    /// The form named a tier and gave a rate inside it: `档位「良」[80%, 90%)，得分率 85%`.
    TierRate {
        /// The tier.
        band: Band<'a>,
        /// The form's rate.
        rate: Decimal,
    },
    /// The form named a tier without a rate: `档位「良」，未给得分率，按默认 85%`.
    TierDefault {
        /// The tier's name.
        band: Cow<'a, str>,
        /// Its default rate.
        rate: Decimal,
    },
    /// The form gave a rate without a tier, inside a band: `得分率 85%，属档位「良」[80%, 90%)`.
    RateInBand {
        /// The form's rate.
        rate: Decimal,
        /// The band it lies in.
        band: Band<'a>,
    },
    /// The form gave a rate, and the class has no bands: `得分率 85%`.
    Rate {
        /// The form's rate.
        rate: Decimal,
    },
    /// A band's `when` held: `因 A == B，视为档位「优」，按 100%`.
    BandByCondition {
        /// The band's `when`.
        condition: Condition<'a>,
        /// The band's name.
        band: Cow<'a, str>,
        /// Its default rate.
        rate: Decimal,
    },
    /// An optional indicator left out: `未评价；可选指标，不计分`.
    Omitted {
        /// Whether its goal's other indicators are rescaled.
        action: OptionalAction,
    },
    /// A required indicator without an actual value: `…按 0 分计`.
    NotEvaluated,
    /// The budget line's values: `预算数 A = 100万元，执行数 B = 95万元，分值 20`.
    Budget {
        /// 预算数 as written.
        planned: Cow<'a, str>,
        /// 执行数 as written.
        executed: Cow<'a, str>,
        /// The budget line's points.
        weight: Exact,
    },
    /// A bonus or deduction item's values: `加分项「创新加分」：B = 2（2分），最多 5 分`.
    Adjustment {
        /// Bonus or deduction.
        kind: AdjustmentKind,
        /// The item's title (or name).
        name: Cow<'a, str>,
        /// B: the number the form gives.
        value: Decimal,
        /// B as written.
        written: Cow<'a, str>,
        /// The most it adds or takes; `None` for a deduction without one.
        weight: Option<Exact>,
    },
    /// A guard held and gave the score: `因 B >= A（3916 >= 4000）：weight = 2`.
    Guard {
        /// The guard's condition.
        condition: Condition<'a>,
        /// The value's expression as written.
        source: Cow<'a, str>,
        /// The score it gave.
        value: Exact,
    },
    /// The formula: `weight * B / A = 2 × 3916 / 4000 = 1.958`.
    Formula {
        /// As written.
        source: Cow<'a, str>,
        /// With every name replaced by its value.
        substituted: String,
        /// Its exact result.
        value: Exact,
    },
    /// The cap took over: `不得超过 weight = 2：2.1 → 2`.
    Cap {
        /// The cap as written.
        source: Cow<'a, str>,
        /// Its value, the score.
        cap: Exact,
        /// The formula's result, above it.
        from: Exact,
    },
    /// A goal with optional indicators left out, rescaled: `…按 10 / 8 折算：1.6 × 10 / 8 = 2`.
    Rescale {
        /// The goal's indicators' weight.
        all: Decimal,
        /// What remains of it without the ones left out.
        rest: Decimal,
        /// The score before.
        from: Exact,
        /// The score after.
        to: Exact,
    },
    /// `scale goals to`: `各目标分值合计 90 折算为 80：1.8 × 80 / 90 = 1.6`.
    ScaleGoals {
        /// The goals' weights' sum.
        sum: Exact,
        /// What the rules scale it to.
        target: Exact,
        /// The score before.
        from: Exact,
        /// The score after.
        to: Exact,
    },
    /// Rounding: `保留 2 位小数：1.958 → 1.96`.
    Rounding {
        /// Decimal places.
        places: u32,
        /// How.
        mode: RoundMode,
        /// The exact value.
        from: Exact,
        /// As rounded.
        to: Decimal,
    },
}

/// A built-in's value as a condition read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand<'a> {
    /// A number.
    Number(Exact),
    /// A text.
    Text(Cow<'a, str>),
    /// A truth value.
    Bool(bool),
}

/// A condition as written and with its values substituted (the same text when it reads
/// none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition<'a> {
    /// As written: `B >= A`.
    pub source: Cow<'a, str>,
    /// With its values: `3916 >= 4000`.
    pub substituted: String,
}

/// A band (档位) of a qualitative class: its name and interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band<'a> {
    /// 档位 name.
    pub name: Cow<'a, str>,
    /// The lower end.
    pub lo: Decimal,
    /// Whether the lower end is in the band.
    pub lo_inclusive: bool,
    /// The upper end.
    pub hi: Decimal,
    /// Whether the upper end is in the band.
    pub hi_inclusive: bool,
}

impl StepKind<'_> {
    /// The variant's name in snake case, as programs read it (`formula`).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            StepKind::Values { .. } => "values",
            StepKind::Aggregate { .. } => "aggregate",
            StepKind::AggregateRate { .. } => "aggregate_rate",
            StepKind::Class { .. } => "class",
            StepKind::TierRate { .. } => "tier_rate",
            StepKind::TierDefault { .. } => "tier_default",
            StepKind::RateInBand { .. } => "rate_in_band",
            StepKind::Rate { .. } => "rate",
            StepKind::BandByCondition { .. } => "band_by_condition",
            StepKind::Omitted { .. } => "omitted",
            StepKind::NotEvaluated => "not_evaluated",
            StepKind::Budget { .. } => "budget",
            StepKind::Adjustment { .. } => "adjustment",
            StepKind::Guard { .. } => "guard",
            StepKind::Formula { .. } => "formula",
            StepKind::Cap { .. } => "cap",
            StepKind::Rescale { .. } => "rescale",
            StepKind::ScaleGoals { .. } => "scale_goals",
            StepKind::Rounding { .. } => "rounding",
        }
    }

    /// The score (or value) the step ends with, when it computes one: what a rounding
    /// right after it rounds, if it rounds that.
    #[must_use]
    pub fn result(&self) -> Option<Exact> {
        match self {
            StepKind::Aggregate { b: x, .. }
            | StepKind::AggregateRate { rate: x, .. }
            | StepKind::Guard { value: x, .. }
            | StepKind::Formula { value: x, .. }
            | StepKind::Cap { cap: x, .. }
            | StepKind::Rescale { to: x, .. }
            | StepKind::ScaleGoals { to: x, .. } => Some(x.clone()),
            StepKind::Rounding { to, .. } => Some(Exact::from(*to)),
            _ => None,
        }
    }
}

impl<'a> Step<'a> {
    /// The same step with every text copied ([`super::Outcome::into_owned`]).
    #[must_use]
    pub fn into_owned(self) -> Step<'static> {
        self.map_texts(&|t| Cow::Owned(t.into_owned()))
    }

    /// The same step with every text (names, values as written, rule text, the rule
    /// file) passed through `f`, as [`super::Outcome::map_texts`]. Every field is named,
    /// so a text added to a variant and not here does not compile.
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> Step<'static> {
        let Step { kind, rule } = self;
        Step {
            kind: kind.map_texts(f),
            rule: rule.map(|RuleLine { file, line }| RuleLine {
                file: f(file),
                line,
            }),
        }
    }
}

/// An owned text passed through `f`.
fn string(f: MapText<'_, '_>, text: String) -> String {
    f(Cow::Owned(text)).into_owned()
}

impl<'a> Condition<'a> {
    fn map_texts(self, f: MapText<'_, 'a>) -> Condition<'static> {
        let Condition {
            source,
            substituted,
        } = self;
        Condition {
            source: f(source),
            substituted: string(f, substituted),
        }
    }
}

impl<'a> Band<'a> {
    fn map_texts(self, f: MapText<'_, 'a>) -> Band<'static> {
        let Band {
            name,
            lo,
            lo_inclusive,
            hi,
            hi_inclusive,
        } = self;
        Band {
            name: f(name),
            lo,
            lo_inclusive,
            hi,
            hi_inclusive,
        }
    }
}

impl<'a> StepKind<'a> {
    /// As [`Step::map_texts`]; one arm per variant, the texts mapped, the rest moved.
    fn map_texts(self, f: MapText<'_, 'a>) -> StepKind<'static> {
        use StepKind as K;
        match self {
            K::Values {
                a,
                a_written,
                b,
                b_written,
            } => K::Values {
                a,
                a_written: f(a_written),
                b,
                b_written: f(b_written),
            },
            K::Aggregate {
                method,
                targets,
                actuals,
                funds,
                a,
                b,
            } => K::Aggregate {
                method,
                targets,
                actuals,
                funds,
                a,
                b,
            },
            K::AggregateRate {
                method,
                rates,
                funds,
                rate,
            } => K::AggregateRate {
                method,
                rates,
                funds,
                rate,
            },
            K::Class {
                name,
                condition,
                values,
                facts,
            } => {
                let operand = |v| match v {
                    Operand::Number(n) => Operand::Number(n),
                    Operand::Text(t) => Operand::Text(f(t)),
                    Operand::Bool(b) => Operand::Bool(b),
                };
                K::Class {
                    name: f(name),
                    condition: condition.map(f),
                    values: values
                        .into_iter()
                        .map(|(var, v)| (var, operand(v)))
                        .collect(),
                    facts: facts
                        .into_iter()
                        .map(|(name, v)| (f(name), operand(v)))
                        .collect(),
                }
            }
            K::TierRate { band, rate } => K::TierRate {
                band: band.map_texts(f),
                rate,
            },
            K::TierDefault { band, rate } => K::TierDefault {
                band: f(band),
                rate,
            },
            K::RateInBand { rate, band } => K::RateInBand {
                rate,
                band: band.map_texts(f),
            },
            K::Rate { rate } => K::Rate { rate },
            K::BandByCondition {
                condition,
                band,
                rate,
            } => K::BandByCondition {
                condition: condition.map_texts(f),
                band: f(band),
                rate,
            },
            K::Omitted { action } => K::Omitted { action },
            K::NotEvaluated => K::NotEvaluated,
            K::Budget {
                planned,
                executed,
                weight,
            } => K::Budget {
                planned: f(planned),
                executed: f(executed),
                weight,
            },
            K::Adjustment {
                kind,
                name,
                value,
                written,
                weight,
            } => K::Adjustment {
                kind,
                name: f(name),
                value,
                written: f(written),
                weight,
            },
            K::Guard {
                condition,
                source,
                value,
            } => K::Guard {
                condition: condition.map_texts(f),
                source: f(source),
                value,
            },
            K::Formula {
                source,
                substituted,
                value,
            } => K::Formula {
                source: f(source),
                substituted: string(f, substituted),
                value,
            },
            K::Cap { source, cap, from } => K::Cap {
                source: f(source),
                cap,
                from,
            },
            K::Rescale {
                all,
                rest,
                from,
                to,
            } => K::Rescale {
                all,
                rest,
                from,
                to,
            },
            K::ScaleGoals {
                sum,
                target,
                from,
                to,
            } => K::ScaleGoals {
                sum,
                target,
                from,
                to,
            },
            K::Rounding {
                places,
                mode,
                from,
                to,
            } => K::Rounding {
                places,
                mode,
                from,
                to,
            },
        }
    }
}
