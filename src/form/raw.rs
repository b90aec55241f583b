//! The form's TOML layout as serde reads it: every table and key, with spans.
//!
//! Input: TOML text. Output: a [`RawFile`], every value still a TOML value with its span.
//! Invariants: unknown keys are refused (`deny_unknown_fields`), so a typo is reported
//! where it is rather than ignored; nothing is interpreted here.

use serde::Deserialize;
use toml::Spanned;

use crate::source::Span;

pub(super) type RawValue = Spanned<toml::Value>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) form: Option<RawMeta>,
    pub(super) budget: Option<Spanned<RawBudget>>,
    #[serde(default)]
    pub(super) goals: Vec<Spanned<RawGoal>>,
    #[serde(default)]
    pub(super) bonus: Vec<Spanned<RawAdjustment>>,
    #[serde(default)]
    pub(super) deduction: Vec<Spanned<RawAdjustment>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdjustment {
    pub(super) name: Spanned<String>,
    pub(super) value: RawValue,
    pub(super) reported: Option<RawValue>,
    pub(super) note: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) title: Option<String>,
    pub(super) department: Option<String>,
    pub(super) year: Option<i64>,
    pub(super) filled_on: Option<RawValue>,
    pub(super) reported_total: Option<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBudget {
    pub(super) planned: RawValue,
    pub(super) executed: RawValue,
    pub(super) unit: Option<Spanned<String>>,
    pub(super) basic: Option<RawValue>,
    pub(super) project: Option<RawValue>,
    pub(super) reported_score: Option<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGoal {
    pub(super) name: Spanned<String>,
    pub(super) weight: Option<RawValue>,
    pub(super) reported: Option<RawValue>,
    #[serde(default)]
    pub(super) indicators: Vec<Spanned<RawIndicator>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub(super) level1: Spanned<String>,
    pub(super) level2: Spanned<String>,
    pub(super) name: Spanned<String>,
    pub(super) target: Option<RawValue>,
    pub(super) actual: Option<RawValue>,
    pub(super) weight: Option<RawValue>,
    pub(super) reported: Option<RawValue>,
    pub(super) direction: Option<Spanned<String>>,
    pub(super) tier: Option<Spanned<String>>,
    pub(super) rate: Option<RawValue>,
    pub(super) unit: Option<Spanned<String>>,
    pub(super) fund_unit: Option<Spanned<String>>,
    pub(super) entries: Option<Spanned<Vec<Spanned<RawEntry>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    pub(super) fund: RawValue,
    pub(super) target: Option<RawValue>,
    pub(super) actual: Option<RawValue>,
    pub(super) tier: Option<Spanned<String>>,
    pub(super) rate: Option<RawValue>,
}

pub(super) fn span_of<T>(v: &Spanned<T>) -> Span {
    v.span().into()
}

/// `base` widened to cover every given span: a `[[goals.indicators]]` header's span
/// through the table's last key.
pub(super) fn extent<'a>(
    base: Span,
    parts: impl IntoIterator<Item = Option<&'a RawValue>>,
) -> Span {
    parts
        .into_iter()
        .flatten()
        .fold(base, |acc, v| acc.to(span_of(v)))
}
