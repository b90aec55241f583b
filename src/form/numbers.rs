//! Reading a table's values: targets, actuals and funds (`value`), plain numbers such as
//! weights, reported scores and amounts (`num`), and rates.
//!
//! Input: TOML values with their spans. Output: [`Value`]s and [`Num`]s, or a recorded
//! error. Invariants: numbers are exact (a bare TOML float is re-read from its literal
//! text); an empty string counts as absent; a string holding an invisible character is
//! refused.

use rust_decimal::Decimal;

use super::error::FormError;
use super::float::float_literal;
use super::keys::{FLOAT_HELP, NumSpec, WEIGHT, key_name, type_name};
use super::load::{Loader, Reported};
use super::raw::{RawValue, span_of};
use super::units::Declared;
use super::value::{Cmp, parse_value};
use super::{Num, Parsed, Text, Value};
use crate::text::quoted;
use std::sync::Arc;

impl Loader<'_> {
    /// A target, actual or fund. `Ok(None)` when absent or an empty string.
    pub(super) fn value(
        &mut self,
        v: &RawValue,
        key: &'static str,
    ) -> Result<Option<Value>, Reported> {
        let span = span_of(v);
        let raw = self.written(v);
        if matches!(v.get_ref(), toml::Value::String(_)) {
            self.visible(raw, span, key_name(key))?;
        }
        let parsed = match v.get_ref() {
            toml::Value::String(_) if raw.is_empty() => return Ok(None),
            toml::Value::String(_) => match parse_value(raw) {
                Ok(parsed) => parsed,
                Err(e) => {
                    self.malformed(v, raw, e);
                    return Err(Reported);
                }
            },
            &toml::Value::Integer(i) => plain(Decimal::from(i)),
            toml::Value::Float(_) => match float_literal(raw) {
                Ok(d) => plain(d),
                Err(problem) => {
                    self.float_problem(problem, "数字", raw, span, FLOAT_HELP);
                    return Err(Reported);
                }
            },
            other => {
                self.push_toml(
                    format!("{key} 应为字符串或数字，实际是{}", type_name(other)),
                    format!(
                        "写成字符串，如 {key} = \"4000人次\"，或不加引号的数字，如 {key} = 4000"
                    ),
                    "类型不对",
                    Some(span),
                );
                return Err(Reported);
            }
        };
        Ok(Some(Value {
            raw: Arc::from(raw),
            span,
            parsed,
        }))
    }

    /// A target or actual: a value that must not be negative.
    pub(super) fn measured(
        &mut self,
        v: Option<&RawValue>,
        key: &'static str,
        what: &'static str,
        unit: Option<&Declared>,
    ) -> Result<Option<Value>, Reported> {
        let Some(v) = v else { return Ok(None) };
        let value = match self.value(v, key)? {
            Some(value) => Some(self.in_unit(value, unit, what)?),
            None => None,
        };
        if let Some(value) = &value {
            self.not_negative(value, what);
        }
        Ok(value)
    }

    pub(super) fn not_negative(&mut self, value: &Value, what: &'static str) {
        if value
            .quantity()
            .is_some_and(|q| q.number.is_sign_negative())
        {
            let src = self.src();
            self.push(FormError::NegativeValue {
                what,
                raw: quoted(&value.raw),
                span: value.span.into(),
                src,
            });
        }
    }

    /// A plain number. `Ok(None)` for an empty string.
    pub(super) fn num_value(
        &mut self,
        v: &RawValue,
        spec: &NumSpec,
    ) -> Result<Option<Num>, Reported> {
        let span = span_of(v);
        let raw = self.written(v);
        if matches!(v.get_ref(), toml::Value::String(_)) {
            self.visible(raw, span, spec.what)?;
        }
        let value = match v.get_ref() {
            &toml::Value::Integer(i) => Some(Decimal::from(i)),
            toml::Value::Float(_) => match float_literal(raw) {
                Ok(d) => Some(d),
                Err(problem) => {
                    self.float_problem(problem, spec.what, raw, span, spec.help);
                    return Err(Reported);
                }
            },
            toml::Value::String(_) if raw.is_empty() => return Ok(None),
            toml::Value::String(_) => match parse_value(raw) {
                Ok(Parsed::Quantity(q))
                    if q.cmp == Cmp::None
                        && !q.percent
                        && (!spec.score || q.unit.is_empty() || q.unit == "分") =>
                {
                    Some(q.number)
                }
                Ok(_) => None,
                Err(e) => {
                    self.malformed(v, raw, e);
                    return Err(Reported);
                }
            },
            _ => None,
        };
        if let Some(value) = value {
            return Ok(Some(Num { value, span }));
        }
        let src = self.src();
        self.push(FormError::BadNumber {
            what: spec.what,
            raw: quoted(raw),
            help: spec.help,
            span: span.into(),
            src,
        });
        Err(Reported)
    }

    pub(super) fn num_opt(&mut self, v: Option<&RawValue>, spec: &NumSpec) -> Option<Num> {
        v.and_then(|v| self.num_value(v, spec).ok().flatten())
    }

    /// A required weight; a placeholder (never returned to the caller of `load_form`) if
    /// it is missing or bad.
    pub(super) fn weight(&mut self, v: Option<&RawValue>, what: &'static str, name: &Text) -> Num {
        let placeholder = Num {
            value: Decimal::ZERO,
            span: name.span,
        };
        match v.map(|v| self.num_value(v, &WEIGHT)) {
            Some(Ok(Some(num))) => {
                if num.value.is_sign_negative() {
                    let raw = quoted(v.map_or("", |v| self.written(v)));
                    let src = self.src();
                    self.push(FormError::NegativeValue {
                        what: "分值（weight）",
                        raw,
                        span: num.span.into(),
                        src,
                    });
                }
                num
            }
            Some(Err(Reported)) => placeholder,
            None | Some(Ok(None)) => {
                let src = self.src();
                self.push(FormError::MissingWeight {
                    what,
                    name: quoted(&name.text),
                    span: name.span.into(),
                    src,
                });
                placeholder
            }
        }
    }

    /// A rate as a fraction in [0, 1]: `"85%"`, `0.85`, `1`.
    pub(super) fn rate(&mut self, v: Option<&RawValue>) -> Option<Num> {
        let v = v?;
        let span = span_of(v);
        let raw = self.written(v);
        if matches!(v.get_ref(), toml::Value::String(_)) {
            self.visible(raw, span, "完成率（rate）").ok()?;
        }
        let value = match v.get_ref() {
            &toml::Value::Integer(i) => Ok(Decimal::from(i)),
            toml::Value::Float(_) => match float_literal(raw) {
                Ok(d) => Ok(d),
                Err(problem) => {
                    let help = "rate 写成 0% 到 100% 的百分比，如 rate = \"85%\"，或 0 到 1 之间的数，如 rate = 0.85";
                    self.float_problem(problem, "完成率（rate）", raw, span, help);
                    return None;
                }
            },
            toml::Value::String(_) if raw.is_empty() => return None,
            toml::Value::String(_) => match parse_value(raw) {
                Ok(Parsed::Quantity(q)) if q.cmp == Cmp::None && q.unit.is_empty() => Ok(q.number),
                Ok(Parsed::Quantity(_)) => Err("不能带比较符号或单位"),
                Ok(Parsed::Text(_)) => Err("是文字，不是百分比"),
                Err(e) => {
                    self.malformed(v, raw, e);
                    return None;
                }
            },
            _ => Err("应为百分比字符串或数字"),
        };
        let value = value.and_then(|d| {
            if d.is_sign_negative() || d > Decimal::ONE {
                Err("超出 0% 到 100% 的范围")
            } else {
                Ok(d)
            }
        });
        match value {
            Ok(value) => Some(Num { value, span }),
            Err(reason) => {
                let src = self.src();
                self.push(FormError::BadRate {
                    raw: quoted(raw),
                    reason,
                    span: span.into(),
                    src,
                });
                None
            }
        }
    }
}

/// A plain number as a value's meaning.
fn plain(number: Decimal) -> Parsed {
    Parsed::Quantity(super::Quantity {
        cmp: Cmp::None,
        number: number.normalize(),
        percent: false,
        multiplier: None,
        unit: String::new(),
    })
}
