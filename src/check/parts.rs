//! The parts of a compiled rule set ([`super::Rules`]): parameters, rounding, the
//! budget rule, aggregation, classes with their formulas and bands, optional indicators,
//! grades.
//!
//! Invariants (established by the checker): every expression is typed for its place;
//! the computed values (`lo`, `hi`, `default`, `min`) are those of their expressions,
//! filled in once the parameters' values are known.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::{CExpr, Calc, Cond};
use crate::num::shown::percent_exact;
use crate::source::Span;
use crate::syntax::ast::{
    AdjustmentKind, AggMethod, AggTarget, ClassKind, FactType, OptionalAction, RoundLevel,
    RoundMode,
};

#[derive(Debug, Clone)]
pub(crate) struct ParamDef {
    pub(crate) name: String,
    pub(crate) span: Span,
    pub(crate) expr: CExpr,
    /// A text parameter (`param 本级 = "省级"`), rather than a number.
    pub(crate) text: bool,
}

/// `fact NAME: TYPE [in [...]]`: a fact the form states under `[form]`, by this name.
#[derive(Debug, Clone)]
pub(crate) struct FactDef {
    pub(crate) name: Arc<str>,
    pub(crate) ty: FactType,
    /// The values a text fact may take; empty: any.
    pub(crate) values: Vec<String>,
    /// The item, in the global span space.
    pub(crate) span: Span,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RoundingRule {
    pub(crate) places: u32,
    pub(crate) mode: RoundMode,
    pub(crate) level: RoundLevel,
    pub(crate) span: Span,
}

/// The rules' `round` lines: at most one per level, each rounding what its level
/// computes (an indicator's score and the budget line's; a goal's; the total). A level
/// above a rounded one adds the rounded scores, then rounds by its own line, if any.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Rounding {
    pub(crate) indicator: Option<RoundingRule>,
    pub(crate) goal: Option<RoundingRule>,
    pub(crate) total: Option<RoundingRule>,
}

impl Rounding {
    /// The slot of `level`'s line.
    pub(crate) fn slot(&mut self, level: RoundLevel) -> &mut Option<RoundingRule> {
        match level {
            RoundLevel::Indicator => &mut self.indicator,
            RoundLevel::Goal => &mut self.goal,
            RoundLevel::Total => &mut self.total,
        }
    }

    /// The lines, from the indicator up.
    pub(crate) fn lines(&self) -> impl Iterator<Item = RoundingRule> {
        [self.indicator, self.goal, self.total]
            .into_iter()
            .flatten()
    }

    /// The line of the lowest level that rounds: the places scores are shown at.
    pub(crate) fn lowest(&self) -> Option<RoundingRule> {
        self.indicator.or(self.goal).or(self.total)
    }

    /// The budget line's: it is rounded as an indicator is, or else as a goal is (it
    /// stands beside the goals in the total).
    pub(crate) fn budget(&self) -> Option<RoundingRule> {
        self.indicator.or(self.goal)
    }
}

/// `cap goal at EXPR` or `cap total at EXPR`: the most a goal (each one, `weight` its
/// points) or the total (`weight` the full marks) may score.
#[derive(Debug, Clone)]
pub(crate) struct CapRule {
    pub(crate) value: CExpr,
    pub(crate) span: Span,
}

/// A score formula: guards first, then the formula, then the cap.
#[derive(Debug, Clone)]
pub(crate) struct Formula {
    pub(crate) guards: Vec<GuardRule>,
    pub(crate) score: Calc,
    pub(crate) cap: Option<Calc>,
}

#[derive(Debug, Clone)]
pub(crate) struct GuardRule {
    pub(crate) cond: Cond,
    /// The condition in canonical form (English keywords and built-in names, numbers
    /// normalised): an overlay's guard with the same key replaces the base's.
    pub(crate) key: String,
    pub(crate) result: GuardOutcome,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) enum GuardOutcome {
    Value(Calc),
    Fail(String),
}

#[derive(Debug, Clone)]
pub(crate) struct BudgetRule {
    pub(crate) weight: CExpr,
    pub(crate) formula: Formula,
}

/// `require goals: …` or `require level1: …`: how the form's points must split.
#[derive(Debug, Clone)]
pub(crate) struct RequireRule {
    pub(crate) what: RequiredSum,
    pub(crate) span: Span,
}

/// What a [`RequireRule`] fixes (the expressions are constants).
#[derive(Debug, Clone)]
pub(crate) enum RequiredSum {
    /// The goals' points.
    Goals(CExpr),
    /// The indicators' points under each named 一级指标.
    Level1(Vec<(Arc<str>, CExpr)>),
}

impl RequiredSum {
    /// Whether two rules fix the same thing (an overlay's replaces its base's).
    pub(crate) fn same_target(&self, other: &RequiredSum) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// A bonus or deduction item (加分项, 扣分项): what a form's `[[bonus]]` or `[[deduction]]`
/// of its name or title scores.
#[derive(Debug, Clone)]
pub(crate) struct AdjustmentRule {
    pub(crate) kind: AdjustmentKind,
    pub(crate) name: Arc<str>,
    pub(crate) title: Option<Arc<str>>,
    /// The most it adds or takes (a constant); required for a bonus.
    pub(crate) weight: Option<CExpr>,
    pub(crate) formula: Formula,
    pub(crate) head: Span,
}

impl AdjustmentRule {
    /// What reports call it: its title, else its name.
    pub(crate) fn label(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// Whether a form's item named `name` is this one (by title or name).
    pub(crate) fn is_named(&self, name: &str) -> bool {
        &*self.name == name || self.title.as_deref() == Some(name)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct AggregateRule {
    pub(crate) target: AggTarget,
    pub(crate) method: AggMethod,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct ClassRule {
    pub(crate) name: Arc<str>,
    pub(crate) title: Option<Arc<str>>,
    pub(crate) kind: ClassKind,
    pub(crate) when: Option<Cond>,
    pub(crate) formula: Formula,
    pub(crate) bands: Vec<BandRule>,
    /// Whether the formula reads `rate`, so a rate must be established first.
    pub(crate) uses_rate: bool,
    pub(crate) head: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct BandRule {
    pub(crate) name: String,
    pub(crate) lo_expr: CExpr,
    pub(crate) hi_expr: CExpr,
    pub(crate) default_expr: Option<CExpr>,
    pub(crate) lo: Decimal,
    pub(crate) lo_inclusive: bool,
    pub(crate) hi: Decimal,
    pub(crate) hi_inclusive: bool,
    pub(crate) default: Option<Decimal>,
    pub(crate) when: Option<Cond>,
    pub(crate) span: Span,
}

impl BandRule {
    pub(crate) fn contains(&self, rate: Decimal) -> bool {
        let above = if self.lo_inclusive {
            rate >= self.lo
        } else {
            rate > self.lo
        };
        let below = if self.hi_inclusive {
            rate <= self.hi
        } else {
            rate < self.hi
        };
        above && below
    }

    /// `[80%, 100%]` as written.
    pub(crate) fn range_text(&self) -> String {
        interval(self.lo, self.lo_inclusive, self.hi, self.hi_inclusive)
    }
}

/// A band's interval in percent: `[80%, 90%)`.
pub(crate) fn interval(lo: Decimal, lo_inclusive: bool, hi: Decimal, hi_inclusive: bool) -> String {
    format!(
        "{}{}, {}{}",
        if lo_inclusive { "[" } else { "(" },
        percent_exact(lo),
        percent_exact(hi),
        if hi_inclusive { "]" } else { ")" }
    )
}

#[derive(Debug, Clone)]
pub(crate) struct OptionalRule {
    pub(crate) when: Cond,
    pub(crate) action: OptionalAction,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct GradeRule {
    pub(crate) name: String,
    /// The threshold's expression and whether it is inclusive (`>=`).
    pub(crate) threshold: Option<(CExpr, bool)>,
    /// Computed: the threshold and whether it is inclusive.
    pub(crate) min: Option<(Decimal, bool)>,
    pub(crate) span: Span,
}
