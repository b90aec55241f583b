//! Unit agreement and declared units: a target and its actual (or all of an indicator's
//! entries, or planned and executed) must agree in kind and unit, and a table's `unit` or
//! `fund_unit` gives its bare numbers their unit.
//!
//! Input: values already read. Output: the values in their declared unit, and a
//! diagnostic for every disagreement. Invariants: a bare number never silently takes a
//! unit the form did not declare; a multiplier alone (`1.2万`) agrees with any unit.

use std::fmt::Write as _;

use toml::Spanned;

use super::error::FormError;
use super::load::{Loader, Reported};
use super::raw::span_of;
use super::value::{Quantity, Scale, parse_scale};
use super::{Parsed, Value};
use crate::source::Span;
use crate::text::quoted;

/// 数值, 百分比 or 文字: the kinds a target and its actual must share.
pub(super) fn kind(v: &Value) -> &'static str {
    match &v.parsed {
        Parsed::Quantity(q) if q.percent => "百分比",
        Parsed::Quantity(_) => "数值",
        Parsed::Text(_) => "文字",
    }
}

/// A unit a table declares for its bare numbers (`unit = "万元"`).
pub(super) struct Declared {
    scale: Scale,
    /// `unit` or `fund_unit`.
    key: &'static str,
    /// The declaration's value.
    span: Span,
}

/// Where a unit for a column of bare numbers is declared, for help lines.
#[derive(Debug, Clone, Copy)]
pub(super) enum UnitKey {
    /// `[budget] unit`: planned and executed.
    Budget,
    /// An indicator's `unit`: its targets and actuals, its entries' too.
    Indicator,
    /// An indicator's `fund_unit`: its entries' funds.
    Funds,
}

impl UnitKey {
    /// How to declare `unit`.
    pub(super) fn how(self, unit: &str) -> String {
        match self {
            UnitKey::Budget => format!("可在 [budget] 中写 unit = \"{unit}\""),
            UnitKey::Indicator => format!("可在该指标中写 unit = \"{unit}\""),
            UnitKey::Funds => format!("可在该指标中写 fund_unit = \"{unit}\""),
        }
    }
}

/// `单位「万元」`, `倍数「万」` (a multiplier without a unit) or `百分比`, for labels.
pub(super) fn unit_words(q: &Quantity) -> String {
    if q.percent {
        "百分比".to_owned()
    } else if q.unit.is_empty() && q.multiplier.is_some() {
        format!("倍数{}", quoted(&q.suffix()))
    } else if q.is_bare() {
        "不带单位".to_owned()
    } else {
        format!("单位{}", quoted(&q.suffix()))
    }
}

impl Loader<'_> {
    /// Checks that values agree in kind (all numbers, all percentages or all text) and
    /// in unit: a bare number (no unit, no multiplier) beside one with a unit or a
    /// multiplier is a mismatch, since the form does not say which unit it is in; units
    /// are compared with the first value that has one. A number with a multiplier and no
    /// unit (`1.2万`) agrees with any unit. `key` says where a unit for bare numbers can
    /// be declared, for the help line.
    pub(super) fn same_kind_and_unit(
        &mut self,
        what: &'static str,
        values: &[&Value],
        key: UnitKey,
    ) {
        let Some(&first) = values.first() else { return };
        let mut numbers: Vec<&Value> = Vec::with_capacity(values.len());
        for &v in values {
            if kind(v) != kind(first) {
                self.kind_mismatch(what, first, v, key);
            } else if v.quantity().is_some_and(|q| !q.percent) {
                numbers.push(v);
            }
        }
        let bare = |v: &&Value| v.quantity().is_some_and(Quantity::is_bare);
        if let Some(&scaled) = numbers.iter().find(|v| !bare(v)) {
            for &v in numbers.iter().filter(|v| bare(v)) {
                self.bare_beside_scaled(what, v, scaled, key);
            }
        }
        let mut reference: Option<(&Value, &str)> = None;
        for &v in &numbers {
            let unit = v.quantity().map_or("", |q| q.unit.as_str());
            if unit.is_empty() {
                continue;
            }
            match reference {
                None => reference = Some((v, unit)),
                Some((r, r_unit)) if r_unit != unit => {
                    let src = self.src();
                    self.push(FormError::UnitMismatch {
                        message: format!(
                            "{what}的单位不一致：{}与{}",
                            quoted(&r.raw),
                            quoted(&v.raw)
                        ),
                        help: "请把其中一个换算成另一个的单位后再填写；「万」「亿」等倍数会自动换算，如「1.2万人次」与「9600人次」可以比较".to_owned(),
                        first_label: format!("单位{}", quoted(r_unit)),
                        first_span: r.span.into(),
                        second_label: format!("单位{}", quoted(unit)),
                        second_span: v.span.into(),
                        src,
                    });
                }
                Some(_) => {}
            }
        }
    }

    /// `bare` (`100`) beside `scaled` (`90万元`): whether `bare` means 100 or 100 万元
    /// the form does not say.
    fn bare_beside_scaled(
        &mut self,
        what: &'static str,
        bare: &Value,
        scaled: &Value,
        key: UnitKey,
    ) {
        let suffix = scaled.quantity().map(Quantity::suffix).unwrap_or_default();
        let scaled_words = scaled.quantity().map(unit_words).unwrap_or_default();
        let bare_part = (
            format!("{}不带单位", quoted(&bare.raw)),
            "不带单位".to_owned(),
            bare.span,
        );
        let scaled_part = (
            format!("{}带{scaled_words}", quoted(&scaled.raw)),
            scaled_words.clone(),
            scaled.span,
        );
        let (first, second) = if bare.span.start <= scaled.span.start {
            (bare_part, scaled_part)
        } else {
            (scaled_part, bare_part)
        };
        let number = bare.raw.trim_start_matches(['≥', '≤', '>', '<', '=']);
        let src = self.src();
        self.push(FormError::UnitMismatch {
            message: format!("{what}的单位不一致：{}，{}", first.0, second.0),
            help: format!(
                "表单没有说明不带单位的数以什么单位计：{}是 {number}，还是 {number}{suffix}？请写上单位，如{}；若这一栏不带单位的数都以同一单位计，{}",
                quoted(&bare.raw),
                quoted(&format!("{}{suffix}", bare.raw)),
                key.how(&suffix)
            ),
            first_label: first.1,
            first_span: first.2.into(),
            second_label: second.1,
            second_span: second.2.into(),
            src,
        });
    }

    fn kind_mismatch(&mut self, what: &'static str, first: &Value, second: &Value, key: UnitKey) {
        let mut help = format!(
            "{what}应同为数值、同为百分比或同为文字，如目标「≥95%」对应实际「96.5%」，目标「明显提高」对应实际「显著提高」"
        );
        // A bare number beside a percentage is most likely a percentage without its %,
        // but the form has to say so.
        let bare = [first, second]
            .into_iter()
            .find(|v| v.quantity().is_some_and(Quantity::is_bare));
        let percent = [first, second]
            .into_iter()
            .any(|v| v.quantity().is_some_and(|q| q.percent));
        if let (Some(bare), true) = (bare, percent) {
            let _ = write!(
                help,
                "。若{}是百分数，写成{}；若这一栏不带单位的数都是百分数，{}",
                quoted(&bare.raw),
                quoted(&format!("{}%", bare.raw)),
                key.how("%")
            );
        }
        let src = self.src();
        self.push(FormError::KindMismatch {
            what,
            first: quoted(&first.raw),
            second: quoted(&second.raw),
            first_kind: kind(first),
            second_kind: kind(second),
            help,
            first_span: first.span.into(),
            second_span: second.span.into(),
            src,
        });
    }

    /// The unit a table declares for its bare numbers (`unit`, `fund_unit`); `None` when
    /// absent, empty or bad (the error is recorded). `amounts`: money, so not `%`.
    pub(super) fn declared(
        &mut self,
        v: Option<&Spanned<String>>,
        key: &'static str,
        amounts: bool,
    ) -> Option<Declared> {
        let v = v?;
        let raw = v.get_ref().trim();
        if raw.is_empty() {
            return None;
        }
        self.visible(raw, span_of(v), key).ok()?;
        let (reason, help) = match parse_scale(raw) {
            Ok(scale) if !(amounts && scale.percent) => {
                return Some(Declared {
                    scale,
                    key,
                    span: span_of(v),
                });
            }
            Ok(_) => (
                "金额不能以 % 计".to_owned(),
                format!("{key} 写金额的单位，如 {key} = \"万元\""),
            ),
            Err(e) => (e.message, e.help),
        };
        let src = self.src();
        self.push(FormError::BadUnit {
            key,
            raw: quoted(raw),
            reason,
            help,
            span: span_of(v).into(),
            src,
        });
        None
    }

    /// `value` in the unit its table declares: a bare number takes it (`11000` with
    /// `unit = "万元"` is 110,000,000 元); any other number must agree with it. Text is
    /// left as it is.
    pub(super) fn in_unit(
        &mut self,
        mut value: Value,
        declared: Option<&Declared>,
        what: &'static str,
    ) -> Result<Value, Reported> {
        let Some(d) = declared else { return Ok(value) };
        let Parsed::Quantity(q) = &mut value.parsed else {
            return Ok(value);
        };
        let written = d.scale.written();
        if q.is_bare() {
            match d.scale.apply(q.number) {
                Some(number) => {
                    q.number = number;
                    q.percent = d.scale.percent;
                    q.multiplier = d.scale.multiplier.map(|(word, _)| word);
                    q.unit.clone_from(&d.scale.unit);
                }
                None => {
                    let src = self.src();
                    self.push(FormError::MalformedNumber {
                        message: format!(
                            "{what}{}以 {} = {}计，超出可精确表示的范围",
                            quoted(&value.raw),
                            d.key,
                            quoted(&written)
                        ),
                        help: "检查是否多写了数字，或换用更合适的单位".to_owned(),
                        span: value.span.into(),
                        src,
                    });
                    return Err(Reported);
                }
            }
            return Ok(value);
        }
        let agrees = q.percent == d.scale.percent
            && (q.unit.is_empty() || d.scale.unit.is_empty() || q.unit == d.scale.unit);
        if !agrees {
            let label = unit_words(q);
            let src = self.src();
            self.push(FormError::UnitMismatch {
                message: format!(
                    "{what}{}与 {} 声明的单位{}不一致",
                    quoted(&value.raw),
                    d.key,
                    quoted(&written)
                ),
                help: format!(
                    "{} 说明这一栏不带单位的数以什么单位计，带单位的值须与它一致：把{}换算成以{}计后再填写，或删去 {}",
                    d.key,
                    quoted(&value.raw),
                    quoted(&written),
                    d.key
                ),
                first_label: format!("{} 声明的单位", d.key),
                first_span: d.span.into(),
                second_label: label,
                second_span: value.span.into(),
                src,
            });
            return Err(Reported);
        }
        Ok(value)
    }
}
