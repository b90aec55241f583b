//! The form's TOML layout as serde reads it: every table and key, with spans.
//!
//! Input: TOML text. Output: a [`RawFile`], every value still a TOML value with its span.
//! Invariants: unknown keys are refused (`deny_unknown_fields`), so a typo is reported
//! where it is rather than ignored; `[form]` alone takes other keys, as facts (`RawMeta`),
//! but not one that looks like a misspelt key of its own; nothing is interpreted here.

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

/// `[form]`: the keys every form may have, and the others (`"单位类型" = "行政单位"`),
/// facts for rules that declare them (`fact 单位类型: text`). A key that looks like a
/// misspelt key of its own (`yaer`), is a key of another table (`reported_score`) or a
/// column heading (`"年度"`, `"预算数"`) is refused as unknown, as in every other table,
/// rather than taken for a fact.
#[derive(Default)]
pub(super) struct RawMeta {
    pub(super) title: Option<String>,
    pub(super) department: Option<String>,
    pub(super) year: Option<i64>,
    pub(super) filled_on: Option<RawValue>,
    pub(super) reported_total: Option<RawValue>,
    /// The rule set the form is to be scored under (its `rules "ID"`).
    pub(super) rules: Option<Spanned<String>>,
    /// The other keys, in file order, each with its span.
    pub(super) facts: Vec<(Spanned<String>, RawValue)>,
}

/// The keys every form's `[form]` may have.
const META_KEYS: &[&str] = &[
    "title",
    "department",
    "year",
    "filled_on",
    "reported_total",
    "rules",
];

/// Whether `name` may be a fact's key under `[form]`: not a misspelt key of `[form]`'s own
/// (`yaer`), a key of another table (`reported_score` belongs in `[budget]`) or a column
/// heading (`"年度"`, `"预算数"`), which are mistakes, not facts. (The importers ask too,
/// so that what they write as facts loads.)
pub(crate) fn may_be_fact(name: &str) -> bool {
    let near = crate::suggest::did_you_mean(name, META_KEYS.iter().copied());
    let form_key = crate::syntax::vocabulary::WORDS
        .iter()
        .any(|w| w.role.is_form_key() && w.en == name);
    let heading = crate::syntax::vocabulary::form_key(name).is_some();
    !name.trim().is_empty() && near.is_none() && !form_key && !heading
}

/// A key of `[form]`: a known one, or a fact's (with its span).
enum MetaKey {
    Known(&'static str),
    Fact(Spanned<String>),
}

impl<'de> Deserialize<'de> for MetaKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = Spanned::<String>::deserialize(d)?;
        if let Some(known) = META_KEYS.iter().find(|k| **k == key.get_ref()) {
            return Ok(MetaKey::Known(known));
        }
        if !may_be_fact(key.get_ref()) {
            return Err(serde::de::Error::unknown_field(key.get_ref(), META_KEYS));
        }
        Ok(MetaKey::Fact(key))
    }
}

impl<'de> Deserialize<'de> for RawMeta {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawMeta;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<RawMeta, M::Error> {
                let mut meta = RawMeta::default();
                while let Some(key) = map.next_key::<MetaKey>()? {
                    match key {
                        MetaKey::Known("title") => meta.title = Some(map.next_value()?),
                        MetaKey::Known("department") => meta.department = Some(map.next_value()?),
                        MetaKey::Known("year") => meta.year = Some(map.next_value()?),
                        MetaKey::Known("filled_on") => meta.filled_on = Some(map.next_value()?),
                        MetaKey::Known("reported_total") => {
                            meta.reported_total = Some(map.next_value()?);
                        }
                        MetaKey::Known(_) => meta.rules = Some(map.next_value()?),
                        MetaKey::Fact(name) => meta.facts.push((name, map.next_value()?)),
                    }
                }
                meta.facts.sort_by_key(|(k, _)| k.span().start);
                Ok(meta)
            }
        }
        d.deserialize_map(Visitor)
    }
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
