//! Forms: a department's self-evaluation form, from TOML text to typed values.
//!
//! Input: the text of a form file (the TOML layout pinned in README.md) and its name.
//! Output: a [`Form`] whose every value keeps the string as written and the span of that
//! string in the file, or a [`FormErrors`] report pointing into the file.
//! Invariants: every [`Value`] of a loaded form parsed; a target and actual (or all values
//! of one indicator's entries) agree in kind (number, percentage, text) and unit; weights
//! are present and not negative. Nothing here knows any rule: classification and scoring
//! belong to `eval`.

mod adjustments;
mod budget;
mod entries;
mod error;
mod facts;
mod float;
mod goals;
mod keys;
mod load;
mod numbers;
mod raw;
mod scan;
mod toml_error;
mod units;
mod value;

pub use error::{FormError, FormErrors};
pub use load::{load_form, load_form_with_limits};
pub(crate) use raw::may_be_fact;
pub use value::{Cmp, ParseValueError, Quantity, Scale, parse_scale, parse_value};

#[cfg(test)]
mod tests;

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::source::{Source, Span};

/// A number read from the form (a weight, a reported score), with where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num {
    /// The exact value.
    pub value: Decimal,
    /// The TOML value's span.
    pub span: Span,
}

/// What a form value says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A number, perhaps with a comparison, a multiplier and a unit: `≥1,234.5万元`.
    Quantity(Quantity),
    /// Anything else: a qualitative assessment such as `明显提高`, `长期`, `满意`.
    Text(String),
}

/// One value (target, actual or fund) as written on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The string as written (a bare TOML number is kept as its literal text).
    pub raw: Arc<str>,
    /// The span of the TOML value (including quotes) in the form file.
    pub span: Span,
    /// What it means.
    pub parsed: Parsed,
}

impl Value {
    /// The quantity, if this value is a number.
    #[must_use]
    pub fn quantity(&self) -> Option<&Quantity> {
        match &self.parsed {
            Parsed::Quantity(q) => Some(q),
            Parsed::Text(_) => None,
        }
    }
}

/// A short piece of text from the form with its span (a tier name, a goal name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The text, trimmed. An [`crate::Outcome`] borrows it rather than copying it.
    pub text: Arc<str>,
    /// Its span in the form file.
    pub span: Span,
}

/// `direction = "positive" | "negative"`: the department's statement of an indicator's
/// direction, for targets that carry no `≥`/`≤`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// More is better.
    Positive,
    /// Less is better.
    Negative,
}

/// A loaded form.
#[derive(Debug, Clone)]
pub struct Form {
    /// The file it came from; every span below points into it.
    pub source: Source,
    /// `[form] title`.
    pub title: Option<String>,
    /// `[form] department`, 单位名称.
    pub department: Option<String>,
    /// `[form] year`.
    pub year: Option<i64>,
    /// `[form] filled_on`, 填报日期, as written (a TOML date or a string).
    pub filled_on: Option<String>,
    /// `[form] reported_total`: the 总分 the department reported.
    pub reported_total: Option<Num>,
    /// `[budget]`: 预算执行情况.
    pub budget: Budget,
    /// `[[goals]]`: 年度目标, in form order.
    pub goals: Vec<Goal>,
    /// `[[bonus]]` then `[[deduction]]`: 加分项 and 扣分项, each in form order.
    pub adjustments: Vec<Adjustment>,
    /// `[form]`'s other keys (`单位类型 = "行政单位"`, `级次 = 2`), in form order: facts
    /// that rules declaring `fact …` read.
    pub facts: Vec<Fact>,
    /// `[form] rules`: the rule set the form says it is scored under, by its `rules "ID"`
    /// (`national-project-2020`); scoring under another set warns
    /// (`jixiao::eval::other_rules`).
    pub rules: Option<Text>,
}

/// A fact the form states of itself under `[form]`, beyond the keys every form has.
#[derive(Debug, Clone)]
pub struct Fact {
    /// The key, as written (its span is the key's).
    pub name: Text,
    /// The value.
    pub value: FactValue,
    /// The value's span.
    pub span: Span,
}

/// A fact's value: a TOML number, or a string (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    /// `级次 = 2`
    Number(Decimal),
    /// `单位类型 = "行政单位"`
    Text(Arc<str>),
}

/// A bonus or deduction item (加分项, 扣分项) as the form gives it.
#[derive(Debug, Clone)]
pub struct Adjustment {
    /// Bonus or deduction (the table it is in).
    pub kind: crate::syntax::ast::AdjustmentKind,
    /// The rule item's title or name.
    pub name: Text,
    /// `value`: the points claimed, or how many findings; not negative.
    pub value: Num,
    /// `value` as written.
    pub raw: Arc<str>,
    /// The score the department reported for it.
    pub reported: Option<Num>,
    /// `note`: the evidence, as written.
    pub note: Option<String>,
    /// The span of its table.
    pub span: Span,
}

/// 预算执行情况.
#[derive(Debug, Clone)]
pub struct Budget {
    /// 预算数 (A). Always a number (checked when loading).
    pub planned: Value,
    /// 执行数 (B). Always a number (checked when loading).
    pub executed: Value,
    /// 基本支出总额, informational.
    pub basic: Option<Num>,
    /// 项目支出总额, informational.
    pub project: Option<Num>,
    /// The budget score the department reported.
    pub reported: Option<Num>,
    /// The span of the `[budget]` header (or of the file start if it is missing).
    pub span: Span,
}

/// 年度目标.
#[derive(Debug, Clone)]
pub struct Goal {
    /// The goal's text.
    pub name: Text,
    /// Its points, e.g. 10 for `年度目标1: (10分)`.
    pub weight: Num,
    /// The goal score the department reported, if the form gives one.
    pub reported: Option<Num>,
    /// 年度绩效指标, in form order.
    pub indicators: Vec<Indicator>,
    /// The span of the goal's `[[goals]]` table.
    pub span: Span,
}

/// One indicator row (三级指标).
#[derive(Debug, Clone)]
pub struct Indicator {
    /// 一级指标, e.g. 产出指标.
    pub level1: Text,
    /// 二级指标, e.g. 数量指标.
    pub level2: Text,
    /// 三级指标: the indicator's own name.
    pub name: Text,
    /// 年初目标值 (A); `None` when the indicator has entries.
    pub target: Option<Value>,
    /// 实际完成值 (B); `None` when empty or absent (not evaluated) or when it has entries.
    pub actual: Option<Value>,
    /// Points.
    pub weight: Num,
    /// The score the department reported.
    pub reported: Option<Num>,
    /// The stated direction, if any.
    pub direction: Option<Direction>,
    /// The assessed tier of a qualitative indicator (`达成`, `部分达成`, `未达成`).
    pub tier: Option<Text>,
    /// The assessed rate of a qualitative indicator, as a fraction (`85%` is 0.85).
    pub rate: Option<Num>,
    /// Values per fund, to be aggregated before scoring; empty for a plain indicator.
    pub entries: Vec<Entry>,
    /// The span of the indicator's table.
    pub span: Span,
}

/// One fund's values of an indicator (资金来源).
#[derive(Debug, Clone)]
pub struct Entry {
    /// The fund's amount: the weight of this entry in fund-weighted means. A number.
    pub fund: Value,
    /// The entry's target.
    pub target: Option<Value>,
    /// The entry's actual; `None` when empty.
    pub actual: Option<Value>,
    /// The entry's assessed tier.
    pub tier: Option<Text>,
    /// The entry's assessed rate, as a fraction.
    pub rate: Option<Num>,
    /// The span of the entry's inline table.
    pub span: Span,
}
