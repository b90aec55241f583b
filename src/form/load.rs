//! Loading a form: TOML text to a typed [`Form`], checking everything a rule relies on.
//!
//! Input: a [`Source`] holding a form in the TOML layout pinned in README.md.
//! Output: a [`Form`], or a [`FormErrors`] report listing every problem found. A TOML
//! syntax or shape error (bad syntax, unknown key, missing key, wrong type) is reported
//! alone, since nothing after it can be trusted; all other checks run to the end.
//! Invariants: numbers are read exactly, never through binary floating point: a bare TOML
//! float is re-read from its literal text in the file. Every span points into the source.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::error::{FormError, FormErrors, Src};
use super::scan;
use super::toml_error::toml_error;
use super::value::{Cmp, ParseValueError, Quantity, Scale, parse_scale, parse_value};
use super::{Budget, Direction, Entry, Form, Goal, Indicator, Num, Parsed, Text, Value};
use crate::limits::{LimitError, Limits, Over};
use crate::source::{Source, Span};
use crate::text::{char_shown, invisible_name, quoted};

/// Reads a form.
///
/// Empty or whitespace-only `target`, `actual`, `tier` and `direction` strings count as
/// absent. Bare TOML numbers are kept as their literal text in [`Value::raw`].
///
/// # Errors
/// [`FormErrors`] with every problem in the file; see [`FormError`] for the codes.
pub fn load_form(source: &Source) -> Result<Form, FormErrors> {
    load_form_with_limits(source, &Limits::default())
}

/// Reads a form as [`load_form`] does, within `limits`: a text larger than
/// [`Limits::form_bytes`], or holding more TOML tokens than its size warrants (see
/// [`FormError::TooDense`]), is refused before TOML parsing, and too many goals,
/// indicators or entries (see [`Limits`]) before any of their values is read. At most
/// [`Limits::diagnostics`] errors are listed.
///
/// # Errors
/// As [`load_form`]; a limit passed is reported alone, as [`FormError::Limit`].
pub fn load_form_with_limits(source: &Source, limits: &Limits) -> Result<Form, FormErrors> {
    let fail = |e: FormError| FormErrors {
        name: source.name().to_owned(),
        errors: vec![e],
        total: 1,
    };
    let len = u64::try_from(source.text().len()).unwrap_or(u64::MAX);
    limits
        .check_form_bytes(source.name(), len)
        .map_err(|e| fail(e.into()))?;
    let bytes = source.text().len();
    let (tokens, limit) = (scan::tokens(source.text()), scan::max_tokens(bytes));
    if tokens > limit {
        return Err(fail(FormError::TooDense {
            name: source.name().to_owned(),
            bytes,
            tokens,
            limit,
        }));
    }
    let raw: RawFile = match toml::from_str(source.text()) {
        Ok(raw) => raw,
        Err(e) => return Err(fail(toml_error(source, &e))),
    };
    check_counts(source, &raw, limits).map_err(|e| fail(e.into()))?;
    let mut loader = Loader {
        source,
        errors: Vec::new(),
        total: 0,
        listed: limits.diagnostics,
    };
    let form = loader.form(raw);
    if loader.total == 0 {
        return Ok(form);
    }
    let mut errors = loader.errors;
    errors.extend(limits.unlisted(loader.total).map(FormError::from));
    Err(FormErrors {
        name: source.name().to_owned(),
        errors,
        total: loader.total,
    })
}

/// Goals, indicators (all goals together) and each indicator's entries against `limits`,
/// pointing at the first one past its limit.
fn check_counts(source: &Source, raw: &RawFile, limits: &Limits) -> Result<(), LimitError> {
    let at = |span: Span| Some((source.named(), span.into()));
    limits.check_goals(Over {
        name: source.name(),
        count: raw.goals.len(),
        at: raw.goals.get(limits.goals).and_then(|g| at(span_of(g))),
    })?;
    let indicators = raw.goals.iter().flat_map(|g| &g.get_ref().indicators);
    let count = raw.goals.iter().map(|g| g.get_ref().indicators.len()).sum();
    limits.check_indicators(Over {
        name: source.name(),
        count,
        at: indicators
            .clone()
            .nth(limits.indicators)
            .and_then(|i| at(span_of(i))),
    })?;
    for i in indicators {
        let Some(entries) = &i.get_ref().entries else {
            continue;
        };
        let entries = entries.get_ref();
        limits.check_entries(Over {
            name: i.get_ref().name.get_ref().trim(),
            count: entries.len(),
            at: entries.get(limits.entries).and_then(|e| at(span_of(e))),
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The layout, as serde reads it.

type RawValue = Spanned<toml::Value>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    form: Option<RawMeta>,
    budget: Option<Spanned<RawBudget>>,
    #[serde(default)]
    goals: Vec<Spanned<RawGoal>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: Option<String>,
    department: Option<String>,
    year: Option<i64>,
    filled_on: Option<RawValue>,
    reported_total: Option<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    planned: RawValue,
    executed: RawValue,
    unit: Option<Spanned<String>>,
    basic: Option<RawValue>,
    project: Option<RawValue>,
    reported_score: Option<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    name: Spanned<String>,
    weight: Option<RawValue>,
    reported: Option<RawValue>,
    #[serde(default)]
    indicators: Vec<Spanned<RawIndicator>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    level1: Spanned<String>,
    level2: Spanned<String>,
    name: Spanned<String>,
    target: Option<RawValue>,
    actual: Option<RawValue>,
    weight: Option<RawValue>,
    reported: Option<RawValue>,
    direction: Option<Spanned<String>>,
    tier: Option<Spanned<String>>,
    rate: Option<RawValue>,
    unit: Option<Spanned<String>>,
    fund_unit: Option<Spanned<String>>,
    entries: Option<Spanned<Vec<Spanned<RawEntry>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    fund: RawValue,
    target: Option<RawValue>,
    actual: Option<RawValue>,
    tier: Option<Spanned<String>>,
    rate: Option<RawValue>,
}

fn span_of<T>(v: &Spanned<T>) -> Span {
    v.span().into()
}

/// `base` widened to cover every given span: a `[[goals.indicators]]` header's span
/// through the table's last key.
fn extent<'a>(base: Span, parts: impl IntoIterator<Item = Option<&'a RawValue>>) -> Span {
    parts
        .into_iter()
        .flatten()
        .fold(base, |acc, v| acc.to(span_of(v)))
}

// ---------------------------------------------------------------------------------------
// Reading numbers and values.

/// How a plain number (not a target or actual) may be written.
struct NumSpec {
    /// Its name in messages.
    what: &'static str,
    /// How to write it.
    help: &'static str,
    /// Points: a string may carry the unit 分 only. Otherwise any unit (an amount).
    score: bool,
}

const WEIGHT: NumSpec = NumSpec {
    what: "分值（weight）",
    help: "分值写成数字，如 weight = 10 或 weight = \"10分\"",
    score: true,
};
const REPORTED: NumSpec = NumSpec {
    what: "自评得分（reported）",
    help: "自评得分写成数字，如 reported = 9.5；没有可省略",
    score: true,
};
const REPORTED_TOTAL: NumSpec = NumSpec {
    what: "自评总分（reported_total）",
    help: "自评总分写成数字，如 reported_total = 95.5；没有可省略",
    score: true,
};
const REPORTED_SCORE: NumSpec = NumSpec {
    what: "预算执行得分（reported_score）",
    help: "预算执行得分写成数字，如 reported_score = 9.2；没有可省略",
    score: true,
};
const BASIC: NumSpec = NumSpec {
    what: "基本支出（basic）",
    help: "金额写成数字或数字加单位，如 basic = 1234.5 或 basic = \"1,234.5万元\"",
    score: false,
};
const PROJECT: NumSpec = NumSpec {
    what: "项目支出（project）",
    help: "金额写成数字或数字加单位，如 project = 1234.5 或 project = \"1,234.5万元\"",
    score: false,
};
const FLOAT_HELP: &str = "写成普通的小数，如 12174.8；不支持 inf、nan 和超出 28 位有效数字的数";
const FUND_HELP: &str =
    "资金金额写成数字或数字加单位，如 fund = \"100万元\"；不要写百分比、比较符号或文字";

/// Why a TOML float literal has no exact decimal value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FloatProblem {
    /// `inf`, `-inf`, `nan`.
    NotFinite,
    /// More than 28 significant digits.
    TooManyDigits,
    /// Larger than the largest decimal, about 7.9 × 10^28 (`1e30`).
    TooLarge,
    /// More than 28 decimal places (`1e-30`).
    TooSmall,
}

impl FloatProblem {
    /// What is wrong with `raw`, a `what` (e.g. 分值（weight）), in a sentence.
    fn message(self, what: &str, raw: &str) -> String {
        let raw = quoted(raw);
        match self {
            FloatProblem::NotFinite => format!("{what}{raw}不是一个有限的数"),
            FloatProblem::TooManyDigits => {
                format!("{what}{raw}的有效数字过多：最多 28 位有效数字")
            }
            FloatProblem::TooLarge => format!(
                "{what}{raw}太大：超出可精确计算的范围（绝对值须小于 7.9×10²⁸，即 28 位整数）"
            ),
            FloatProblem::TooSmall => {
                format!("{what}{raw}的小数位数过多：超出可精确计算的范围（最多 28 位小数）")
            }
        }
    }
}

/// The exact value of a TOML float literal: `12174.8`, `1_000.5`, `+1.5e3`, or why it
/// has none: `inf` and `nan`, or too large, too small or too precise for a 96-bit
/// decimal. `-0.0` is 0.
fn float_literal(text: &str) -> Result<Decimal, FloatProblem> {
    let text: String = text.chars().filter(|&c| c != '_').collect();
    let text = text.strip_prefix('+').unwrap_or(&text);
    if text.trim_start_matches('-').starts_with(['i', 'n']) {
        return Err(FloatProblem::NotFinite);
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (
            text.get(..i).unwrap_or(""),
            text.get(i + 1..).and_then(|e| e.parse::<i64>().ok()),
        ),
        None => (text, Some(0)),
    };
    let mut number = Decimal::from_str_exact(mantissa)
        .map_err(|_| {
            // More than 28 digits before the point is too large; after it, too precise.
            let whole = mantissa
                .trim_start_matches('-')
                .split('.')
                .next()
                .unwrap_or("");
            if whole.trim_start_matches('0').len() > 28 {
                FloatProblem::TooLarge
            } else {
                FloatProblem::TooManyDigits
            }
        })?
        .normalize();
    if number.is_zero() {
        return Ok(Decimal::ZERO);
    }
    // An exponent that does not fit an i64 is far out of range either way.
    let exponent = exponent.ok_or(if text.contains("e-") || text.contains("E-") {
        FloatProblem::TooSmall
    } else {
        FloatProblem::TooLarge
    })?;
    if exponent >= 0 {
        for _ in 0..exponent.min(40) {
            number = number
                .checked_mul(Decimal::TEN)
                .ok_or(FloatProblem::TooLarge)?;
        }
        if exponent > 40 {
            return Err(FloatProblem::TooLarge);
        }
    } else {
        let scale = u32::try_from(exponent.unsigned_abs())
            .ok()
            .and_then(|e| number.scale().checked_add(e))
            .ok_or(FloatProblem::TooSmall)?;
        number
            .set_scale(scale)
            .map_err(|_| FloatProblem::TooSmall)?;
    }
    Ok(number.normalize())
}

/// A value's key as messages name it: `target` is 目标值.
fn key_name(key: &str) -> &str {
    match key {
        "target" => "目标值",
        "actual" => "实际完成值",
        "fund" => "资金金额（fund）",
        "planned" => "预算数（planned）",
        "executed" => "执行数（executed）",
        other => other,
    }
}

/// A Chinese name for a TOML value's type, for messages.
fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "字符串",
        toml::Value::Integer(_) => "整数",
        toml::Value::Float(_) => "小数",
        toml::Value::Boolean(_) => "布尔值",
        toml::Value::Datetime(_) => "日期时间",
        toml::Value::Array(_) => "数组",
        toml::Value::Table(_) => "表",
    }
}

/// 数值, 百分比 or 文字: the kinds a target and its actual must share.
fn kind(v: &Value) -> &'static str {
    match &v.parsed {
        Parsed::Quantity(q) if q.percent => "百分比",
        Parsed::Quantity(_) => "数值",
        Parsed::Text(_) => "文字",
    }
}

/// A problem already recorded in `Loader::errors`.
struct Reported;

/// A unit a table declares for its bare numbers (`unit = "万元"`).
struct Declared {
    scale: Scale,
    /// `unit` or `fund_unit`.
    key: &'static str,
    /// The declaration's value.
    span: Span,
}

/// Where a unit for a column of bare numbers is declared, for help lines.
#[derive(Debug, Clone, Copy)]
enum UnitKey {
    /// `[budget] unit`: planned and executed.
    Budget,
    /// An indicator's `unit`: its targets and actuals, its entries' too.
    Indicator,
    /// An indicator's `fund_unit`: its entries' funds.
    Funds,
}

impl UnitKey {
    /// How to declare `unit`.
    fn how(self, unit: &str) -> String {
        match self {
            UnitKey::Budget => format!("可在 [budget] 中写 unit = \"{unit}\""),
            UnitKey::Indicator => format!("可在该指标中写 unit = \"{unit}\""),
            UnitKey::Funds => format!("可在该指标中写 fund_unit = \"{unit}\""),
        }
    }
}

/// `单位「万元」`, `倍数「万」` (a multiplier without a unit) or `百分比`, for labels.
fn unit_words(q: &Quantity) -> String {
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

struct Loader<'s> {
    source: &'s Source,
    /// The first `listed` problems found.
    errors: Vec<FormError>,
    /// How many problems were found.
    total: usize,
    listed: usize,
}

impl<'s> Loader<'s> {
    fn src(&self) -> Src {
        self.source.named()
    }

    /// Refuses `text` (written at `span`) if it holds a character that cannot be seen and
    /// is not a space ([`FormError::InvisibleCharacter`]).
    fn visible(&mut self, text: &str, span: Span, what: &str) -> Result<(), Reported> {
        let Some(c) = text
            .chars()
            .find(|&c| invisible_name(c).is_some() && !c.is_whitespace())
        else {
            return Ok(());
        };
        let at = self.source.slice(span).find(c).map_or(span, |i| {
            Span::new(span.start + i, span.start + i + c.len_utf8())
        });
        let src = self.src();
        self.push(FormError::InvisibleCharacter {
            message: format!("{what}{}中有看不见的字符", quoted(text)),
            label: char_shown(c),
            span: at.into(),
            src,
        });
        Err(Reported)
    }

    /// Records a problem; past the first `listed`, only counts it.
    fn push(&mut self, e: FormError) {
        self.total += 1;
        if self.errors.len() < self.listed {
            self.errors.push(e);
        }
    }

    /// The text of a value as written: a trimmed string, or a literal's source text.
    fn written<'a>(&self, v: &'a RawValue) -> &'a str
    where
        's: 'a,
    {
        match v.get_ref() {
            toml::Value::String(s) => s.trim(),
            _ => self.source.slice(span_of(v)),
        }
    }

    /// Where in the file the bad part of a string value is: `offset` is relative to the
    /// trimmed string, found inside the quoted token (the whole token if escapes hide it).
    fn inner_span(&self, v: &RawValue, raw: &str, offset: &Range<usize>) -> Span {
        let span = span_of(v);
        match self.source.slice(span).find(raw) {
            Some(at) if !raw.is_empty() => {
                let start = span.start + at;
                Span::new(start + offset.start, start + offset.end)
            }
            _ => span,
        }
    }

    fn malformed(&mut self, v: &RawValue, raw: &str, e: ParseValueError) {
        let span = self.inner_span(v, raw, &e.offset);
        let src = self.src();
        self.push(FormError::MalformedNumber {
            message: e.message,
            help: e.help,
            span: span.into(),
            src,
        });
    }

    /// A TOML float literal with no exact value (see [`FloatProblem`]).
    fn float_problem(
        &mut self,
        problem: FloatProblem,
        what: &str,
        raw: &str,
        span: Span,
        help: &str,
    ) {
        let src = self.src();
        self.push(FormError::MalformedNumber {
            message: problem.message(what, raw),
            help: help.to_owned(),
            span: span.into(),
            src,
        });
    }

    fn push_toml(&mut self, message: String, help: String, label: &str, span: Option<Span>) {
        let src = self.src();
        self.push(FormError::Toml {
            message,
            help,
            label: label.to_owned(),
            span: span.map(Into::into),
            src,
        });
    }

    /// A target, actual or fund. `Ok(None)` when absent or an empty string.
    fn value(&mut self, v: &RawValue, key: &'static str) -> Result<Option<Value>, Reported> {
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
    fn measured(
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

    fn not_negative(&mut self, value: &Value, what: &'static str) {
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
    fn num(&mut self, v: &RawValue, spec: &NumSpec) -> Result<Option<Num>, Reported> {
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

    fn num_opt(&mut self, v: Option<&RawValue>, spec: &NumSpec) -> Option<Num> {
        v.and_then(|v| self.num(v, spec).ok().flatten())
    }

    /// A required weight; a placeholder (never returned to the caller of `load_form`) if
    /// it is missing or bad.
    fn weight(&mut self, v: Option<&RawValue>, what: &'static str, name: &Text) -> Num {
        let placeholder = Num {
            value: Decimal::ZERO,
            span: name.span,
        };
        match v.map(|v| self.num(v, &WEIGHT)) {
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

    /// A required name: level1, level2, an indicator's or a goal's name.
    fn name(&mut self, v: &Spanned<String>, what: &'static str, example: &'static str) -> Text {
        let span = span_of(v);
        let text = v.get_ref().trim().to_owned();
        let _ = self.visible(&text, span, what);
        if text.is_empty() {
            let src = self.src();
            self.push(FormError::EmptyName {
                what,
                example,
                span: span.into(),
                src,
            });
        }
        Text {
            text: text.into(),
            span,
        }
    }

    /// A tier: an optional text; empty counts as absent.
    fn tier(&mut self, v: Option<&Spanned<String>>) -> Option<Text> {
        let v = v?;
        let text = v.get_ref().trim();
        self.visible(text, span_of(v), "档次（tier）").ok()?;
        (!text.is_empty()).then(|| Text {
            text: text.into(),
            span: span_of(v),
        })
    }

    fn direction(&mut self, v: &Spanned<String>) -> Option<Direction> {
        let raw = v.get_ref().trim();
        self.visible(raw, span_of(v), "指标方向（direction）")
            .ok()?;
        match raw.to_ascii_lowercase().as_str() {
            "" => None,
            "positive" | "正向" => Some(Direction::Positive),
            "negative" | "反向" => Some(Direction::Negative),
            lower => {
                let mut help = "direction 只能是 \"positive\"（正向，越大越好）或 \"negative\"（反向，越小越好），也可写「正向」「反向」".to_owned();
                if let Some(near) = nearest(lower, &["positive", "negative", "正向", "反向"]) {
                    let _ = write!(help, "。您是否想写 \"{near}\"？");
                }
                let src = self.src();
                self.push(FormError::BadDirection {
                    raw: quoted(raw),
                    help,
                    span: span_of(v).into(),
                    src,
                });
                None
            }
        }
    }

    /// A rate as a fraction in [0, 1]: `"85%"`, `0.85`, `1`.
    fn rate(&mut self, v: Option<&RawValue>) -> Option<Num> {
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

    /// Checks that values agree in kind (all numbers, all percentages or all text) and
    /// in unit: a bare number (no unit, no multiplier) beside one with a unit or a
    /// multiplier is a mismatch, since the form does not say which unit it is in; units
    /// are compared with the first value that has one. A number with a multiplier and no
    /// unit (`1.2万`) agrees with any unit. `key` says where a unit for bare numbers can
    /// be declared, for the help line.
    fn same_kind_and_unit(&mut self, what: &'static str, values: &[&Value], key: UnitKey) {
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
    fn declared(
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
    fn in_unit(
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

    // -----------------------------------------------------------------------------------
    // The tables.

    fn form(&mut self, raw: RawFile) -> Form {
        let meta = raw.form.unwrap_or_default();
        let filled_on = meta.filled_on.as_ref().and_then(|v| self.filled_on(v));
        let reported_total = self.num_opt(meta.reported_total.as_ref(), &REPORTED_TOTAL);
        let budget = self.budget(raw.budget.as_ref());
        let goals = raw.goals.iter().map(|g| self.goal(g)).collect();
        let nonempty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        Form {
            source: self.source.clone(),
            title: nonempty(meta.title),
            department: nonempty(meta.department),
            year: meta.year,
            filled_on,
            reported_total,
            budget,
            goals,
        }
    }

    fn filled_on(&mut self, v: &RawValue) -> Option<String> {
        match v.get_ref() {
            toml::Value::Datetime(_) | toml::Value::String(_) => {
                Some(self.written(v).to_owned()).filter(|s| !s.is_empty())
            }
            other => {
                self.push_toml(
                    format!("填报日期（filled_on）应为日期或字符串，实际是{}", type_name(other)),
                    "写成 TOML 日期，如 filled_on = 2025-03-01，或字符串，如 filled_on = \"2025年3月1日\"".to_owned(),
                    "类型不对",
                    Some(span_of(v)),
                );
                None
            }
        }
    }

    fn budget(&mut self, raw: Option<&Spanned<RawBudget>>) -> Budget {
        let Some(raw) = raw else {
            self.push_toml(
                "缺少 [budget] 表（预算执行情况）".to_owned(),
                "在表单中加入：[budget] 一行，下面写 planned = 预算数、executed = 执行数，如 planned = \"1,234.5万元\"".to_owned(),
                "",
                None,
            );
            let blank = Value {
                raw: Arc::from(""),
                span: Span::default(),
                parsed: Parsed::Text(String::new()),
            };
            return Budget {
                planned: blank.clone(),
                executed: blank,
                basic: None,
                project: None,
                reported: None,
                span: Span::default(),
            };
        };
        let span = span_of(raw);
        let b = raw.get_ref();
        let unit = self.declared(b.unit.as_ref(), "unit", true);
        let unit = unit.as_ref();
        let planned = self.amount(&b.planned, "planned", "预算数（planned）", unit);
        let executed = self.amount(&b.executed, "executed", "执行数（executed）", unit);
        if let (Some(p), Some(e)) = (&planned, &executed) {
            self.same_kind_and_unit("预算数与执行数", &[p, e], UnitKey::Budget);
        }
        let placeholder = |v: &RawValue| Value {
            raw: Arc::from(""),
            span: span_of(v),
            parsed: Parsed::Text(String::new()),
        };
        Budget {
            planned: planned.unwrap_or_else(|| placeholder(&b.planned)),
            executed: executed.unwrap_or_else(|| placeholder(&b.executed)),
            basic: self.num_opt(b.basic.as_ref(), &BASIC),
            project: self.num_opt(b.project.as_ref(), &PROJECT),
            reported: self.num_opt(b.reported_score.as_ref(), &REPORTED_SCORE),
            span,
        }
    }

    /// A budget amount: a number, not a percentage, with no comparison, not negative, in
    /// the budget's declared `unit` if it is bare.
    fn amount(
        &mut self,
        v: &RawValue,
        key: &'static str,
        what: &'static str,
        unit: Option<&Declared>,
    ) -> Option<Value> {
        let value = match self.value(v, key).ok()? {
            Some(value) => Some(self.in_unit(value, unit, what).ok()?),
            None => None,
        };
        match value {
            Some(value)
                if value
                    .quantity()
                    .is_some_and(|q| q.cmp == Cmp::None && !q.percent) =>
            {
                self.not_negative(&value, what);
                Some(value)
            }
            other => {
                let raw = quoted(other.as_ref().map_or("", |v| &*v.raw));
                let src = self.src();
                self.push(FormError::BudgetNotNumber {
                    what,
                    raw,
                    span: span_of(v).into(),
                    src,
                });
                None
            }
        }
    }

    fn goal(&mut self, raw: &Spanned<RawGoal>) -> Goal {
        let g = raw.get_ref();
        let name = self.name(
            &g.name,
            "年度目标名称（name）",
            "name = \"完成职业技能培训任务\"",
        );
        let weight = self.weight(g.weight.as_ref(), "年度目标", &name);
        let reported = self.num_opt(g.reported.as_ref(), &REPORTED);
        let indicators = g.indicators.iter().map(|i| self.indicator(i)).collect();
        let span = extent(
            span_of(raw).to(name.span),
            [g.weight.as_ref(), g.reported.as_ref()],
        );
        Goal {
            name,
            weight,
            reported,
            indicators,
            span,
        }
    }

    fn indicator(&mut self, raw: &Spanned<RawIndicator>) -> Indicator {
        let i = raw.get_ref();
        let level1 = self.name(&i.level1, "一级指标（level1）", "level1 = \"产出指标\"");
        let level2 = self.name(&i.level2, "二级指标（level2）", "level2 = \"数量指标\"");
        let name = self.name(
            &i.name,
            "三级指标名称（name）",
            "name = \"职业技能培训人次\"",
        );
        let unit = self.declared(i.unit.as_ref(), "unit", false);
        let fund_unit = self.declared(i.fund_unit.as_ref(), "fund_unit", true);
        let target = self.measured(i.target.as_ref(), "target", "目标值", unit.as_ref());
        let actual = self.measured(i.actual.as_ref(), "actual", "实际完成值", unit.as_ref());
        let weight = self.weight(i.weight.as_ref(), "指标", &name);
        let reported = self.num_opt(i.reported.as_ref(), &REPORTED);
        let direction = i.direction.as_ref().and_then(|d| self.direction(d));
        let tier = self.tier(i.tier.as_ref());
        let rate = self.rate(i.rate.as_ref());

        let mut span = extent(
            span_of(raw).to(level1.span).to(level2.span).to(name.span),
            [
                i.target.as_ref(),
                i.actual.as_ref(),
                i.weight.as_ref(),
                i.reported.as_ref(),
                i.rate.as_ref(),
            ],
        );
        for s in [&i.direction, &i.tier].into_iter().flatten() {
            span = span.to(span_of(s));
        }
        let entries_raw = i.entries.as_ref().filter(|e| !e.get_ref().is_empty());
        let (target, actual, entries) = if let Some(list) = entries_raw {
            span = span.to(span_of(list));
            let own = [
                ("target", i.target.as_ref().map(span_of)),
                ("actual", i.actual.as_ref().map(span_of)),
                ("tier", i.tier.as_ref().map(span_of)),
                ("rate", i.rate.as_ref().map(span_of)),
            ];
            for (key, own_span) in own {
                if let Some(own_span) = own_span {
                    let src = self.src();
                    self.push(FormError::EntriesWithValues {
                        name: quoted(&name.text),
                        key,
                        span: own_span.into(),
                        entries_span: span_of(list).into(),
                        src,
                    });
                }
            }
            let entries: Vec<Entry> = list
                .get_ref()
                .iter()
                .enumerate()
                .map(|(n, e)| self.entry(&name, n + 1, e, unit.as_ref(), fund_unit.as_ref()))
                .collect();
            let values: Vec<&Value> = entries
                .iter()
                .flat_map(|e| [&e.target, &e.actual])
                .flatten()
                .collect();
            self.same_kind_and_unit(
                "同一指标各资金来源的目标值与实际完成值",
                &values,
                UnitKey::Indicator,
            );
            let funds: Vec<&Value> = entries
                .iter()
                .map(|e| &e.fund)
                .filter(|f| f.quantity().is_some())
                .collect();
            self.same_kind_and_unit("同一指标各资金来源的金额", &funds, UnitKey::Funds);
            (None, None, entries)
        } else {
            if let (Ok(None), Ok(Some(actual))) = (&target, &actual) {
                self.missing_target(quoted(&name.text), actual, &name);
            }
            if let (Ok(Some(t)), Ok(Some(a))) = (&target, &actual) {
                self.same_kind_and_unit("目标值与实际完成值", &[t, a], UnitKey::Indicator);
            }
            (target.ok().flatten(), actual.ok().flatten(), Vec::new())
        };
        Indicator {
            level1,
            level2,
            name,
            target,
            actual,
            weight,
            reported,
            direction,
            tier,
            rate,
            entries,
            span,
        }
    }

    fn missing_target(&mut self, name: String, actual: &Value, indicator: &Text) {
        let src = self.src();
        self.push(FormError::MissingTarget {
            name,
            actual_span: actual.span.into(),
            name_span: indicator.span.into(),
            src,
        });
    }

    fn entry(
        &mut self,
        indicator: &Text,
        n: usize,
        raw: &Spanned<RawEntry>,
        unit: Option<&Declared>,
        fund_unit: Option<&Declared>,
    ) -> Entry {
        let e = raw.get_ref();
        let fund = self.fund(&e.fund, fund_unit);
        let target = self.measured(e.target.as_ref(), "target", "目标值", unit);
        let actual = self.measured(e.actual.as_ref(), "actual", "实际完成值", unit);
        if let (Ok(None), Ok(Some(actual))) = (&target, &actual) {
            self.missing_target(
                format!("{}（第 {n} 项资金来源）", quoted(&indicator.text)),
                actual,
                indicator,
            );
        }
        let tier = self.tier(e.tier.as_ref());
        let rate = self.rate(e.rate.as_ref());
        let mut span = extent(
            span_of(raw),
            [
                Some(&e.fund),
                e.target.as_ref(),
                e.actual.as_ref(),
                e.rate.as_ref(),
            ],
        );
        if let Some(t) = &e.tier {
            span = span.to(span_of(t));
        }
        Entry {
            fund,
            target: target.ok().flatten(),
            actual: actual.ok().flatten(),
            tier,
            rate,
            span,
        }
    }

    /// A fund amount: a number, not a percentage, with no comparison, not negative. A
    /// placeholder text value if it is bad (the error is recorded).
    fn fund(&mut self, v: &RawValue, unit: Option<&Declared>) -> Value {
        let span = span_of(v);
        let placeholder = Value {
            raw: Arc::from(self.written(v)),
            span,
            parsed: Parsed::Text(String::new()),
        };
        let value = match self.value(v, "fund") {
            Ok(Some(value)) => self.in_unit(value, unit, "资金金额（fund）").map(Some),
            other => other,
        };
        match value {
            Ok(Some(value))
                if value
                    .quantity()
                    .is_some_and(|q| q.cmp == Cmp::None && !q.percent) =>
            {
                self.not_negative(&value, "资金金额（fund）");
                value
            }
            Ok(_) => {
                let src = self.src();
                self.push(FormError::BadNumber {
                    what: "资金金额（fund）",
                    raw: quoted(&placeholder.raw),
                    help: FUND_HELP,
                    span: span.into(),
                    src,
                });
                placeholder
            }
            Err(Reported) => placeholder,
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

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely
/// typo (at most two edits, or a third of the word).
pub(super) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    let len = word.chars().count();
    candidates
        .iter()
        .map(|&c| (strsim::levenshtein(&word, c), c))
        .min_by_key(|&(d, _)| d)
        .filter(|&(d, _)| d <= 2.max(len / 3) && d < len.max(1))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use miette::Diagnostic;

    use super::*;
    use crate::form::Quantity;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn load(text: &str) -> Result<Form, FormErrors> {
        load_form(&Source::new("form.toml", text))
    }

    fn errors(text: &str) -> Vec<FormError> {
        match load(text) {
            Ok(_) => panic!("loaded without errors:\n{text}"),
            Err(e) => e.errors,
        }
    }

    fn code(e: &FormError) -> String {
        e.code().map(|c| c.to_string()).unwrap_or_default()
    }

    /// Each label's text and the source text it covers.
    fn labels<'t>(text: &'t str, e: &FormError) -> Vec<(String, &'t str)> {
        e.labels()
            .into_iter()
            .flatten()
            .map(|l| {
                (
                    l.label().unwrap_or("").to_owned(),
                    &text[l.offset()..l.offset() + l.len()],
                )
            })
            .collect()
    }

    /// The only error, which must have `code`.
    fn only(text: &str, expected: &str) -> FormError {
        let mut errs = errors(text);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        let e = errs.remove(0);
        assert_eq!(code(&e), format!("jixiao::form::{expected}"));
        assert!(e.help().is_some(), "no help: {e:?}");
        e
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    const BUDGET: &str = "[budget]\nplanned = 100\nexecuted = 90\n";

    /// A budget, one goal and one indicator with the given extra lines.
    fn with_indicator(lines: &str) -> String {
        format!(
            "{BUDGET}\n[[goals]]\nname = \"目标一\"\nweight = 10\n\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"培训人次\"\nweight = 2\n{lines}\n"
        )
    }

    const FULL: &str = r#"
[form]
title = "2024年度项目支出绩效自评表"
department = "某某市人力资源和社会保障局"
year = 2024
filled_on = 2025-03-01
reported_total = 92.5

[budget]
unit = "万元"
planned = 12174.8
executed = "1,100.5万元"
basic = 1_000
reported_score = 9

[[goals]]
name = "完成职业技能培训"
weight = "50分"
reported = 45

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "职业技能培训人次"
target = "≥4000人次"
actual = "0.3916万人次"
weight = 2
reported = 1.5
direction = "正向"

[[goals.indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "参训人员满意度"
target = "95%以上"
actual = "96.5%"
weight = 1e1

[[goals.indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "就业能力"
target = "明显提高"
actual = ""
tier = "达成"
rate = "85%"
weight = 3

[[goals.indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "合格率"
weight = 4
fund_unit = "元"
entries = [
  { fund = "100万元", target = "90%", actual = "92%", tier = "达成" },
  { fund = 50000, target = "≥ 88 %", actual = "85%", rate = 0.5 },
]
"#;

    #[test]
    fn loads_a_full_form() {
        let form = load(FULL).unwrap();
        let text = FULL;
        assert_eq!(form.title.as_deref(), Some("2024年度项目支出绩效自评表"));
        assert_eq!(
            form.department.as_deref(),
            Some("某某市人力资源和社会保障局")
        );
        assert_eq!(form.year, Some(2024));
        assert_eq!(form.filled_on.as_deref(), Some("2025-03-01"));
        assert_eq!(form.reported_total.map(|n| n.value), Some(dec("92.5")));

        // Budget: 12174.8 read from its literal, never through a float, in the declared
        // unit 万元: 12174.8 × 10^4 = 121,748,000 元.
        let b = &form.budget;
        assert_eq!(&*b.planned.raw, "12174.8");
        assert_eq!(slice(text, b.planned.span), "12174.8");
        assert_eq!(b.planned.quantity().unwrap().number, dec("121748000"));
        assert_eq!(b.planned.quantity().unwrap().unit, "元");
        // 1,100.5万元 = 1100.5 × 10^4 = 11,005,000 元.
        assert_eq!(&*b.executed.raw, "1,100.5万元");
        assert_eq!(slice(text, b.executed.span), "\"1,100.5万元\"");
        assert_eq!(b.executed.quantity().unwrap().number, dec("11005000"));
        assert_eq!(b.executed.quantity().unwrap().unit, "元");
        assert_eq!(b.basic.map(|n| n.value), Some(dec("1000")));
        assert_eq!(b.project, None);
        assert_eq!(b.reported.map(|n| n.value), Some(dec("9")));
        assert_eq!(slice(text, b.span), "[budget]");

        assert_eq!(form.goals.len(), 1);
        let g = &form.goals[0];
        assert_eq!(g.name.text.as_ref(), "完成职业技能培训");
        assert_eq!(slice(text, g.name.span), "\"完成职业技能培训\"");
        // "50分" is 50 points.
        assert_eq!(g.weight.value, dec("50"));
        assert_eq!(slice(text, g.weight.span), "\"50分\"");
        assert_eq!(g.reported.map(|n| n.value), Some(dec("45")));
        assert!(slice(text, g.span).starts_with("[[goals]]\nname"));
        assert!(slice(text, g.span).ends_with("reported = 45"));
        assert_eq!(g.indicators.len(), 4);

        let i = &g.indicators[0];
        assert_eq!((&*i.level1.text, &*i.level2.text), ("产出指标", "数量指标"));
        assert_eq!(i.name.text.as_ref(), "职业技能培训人次");
        let t = i.target.as_ref().unwrap();
        assert_eq!(&*t.raw, "≥4000人次");
        assert_eq!(slice(text, t.span), "\"≥4000人次\"");
        assert_eq!(
            t.parsed,
            Parsed::Quantity(Quantity {
                cmp: Cmp::Ge,
                number: dec("4000"),
                percent: false,
                multiplier: None,
                unit: "人次".into()
            })
        );
        // 0.3916万 = 0.3916 × 10^4 = 3916.
        let a = i.actual.as_ref().unwrap();
        assert_eq!(a.quantity().unwrap().number, dec("3916"));
        assert_eq!(a.quantity().unwrap().unit, "人次");
        assert_eq!(i.weight.value, dec("2"));
        assert_eq!(i.reported.map(|n| n.value), Some(dec("1.5")));
        assert_eq!(i.direction, Some(Direction::Positive));
        assert!(i.entries.is_empty());
        assert!(slice(text, i.span).starts_with("[[goals.indicators]]\nlevel1 = \"产出指标\""));
        assert!(slice(text, i.span).ends_with("direction = \"正向\""));

        let i = &g.indicators[1];
        let t = i.target.as_ref().unwrap().quantity().unwrap();
        assert_eq!((t.cmp, t.number, t.percent), (Cmp::Ge, dec("0.95"), true));
        // 96.5% = 0.965.
        assert_eq!(
            i.actual.as_ref().unwrap().quantity().unwrap().number,
            dec("0.965")
        );
        // 1e1 = 10, read from the literal.
        assert_eq!(i.weight.value, dec("10"));
        assert_eq!(slice(text, i.weight.span), "1e1");
        assert_eq!(i.direction, None);

        let i = &g.indicators[2];
        assert_eq!(
            i.target.as_ref().unwrap().parsed,
            Parsed::Text("明显提高".into())
        );
        assert!(i.actual.is_none(), "an empty actual is not evaluated");
        assert_eq!(i.tier.as_ref().map(|t| &*t.text), Some("达成"));
        assert_eq!(i.rate.map(|n| n.value), Some(dec("0.85")));
        assert_eq!(slice(text, i.rate.unwrap().span), "\"85%\"");

        let i = &g.indicators[3];
        assert!(i.target.is_none() && i.actual.is_none());
        assert_eq!(i.entries.len(), 2);
        let e = &i.entries[0];
        // 100万元 = 1,000,000 元.
        assert_eq!(e.fund.quantity().unwrap().number, dec("1000000"));
        assert_eq!(e.fund.quantity().unwrap().unit, "元");
        assert_eq!(
            e.target.as_ref().unwrap().quantity().unwrap().number,
            dec("0.9")
        );
        assert_eq!(
            e.actual.as_ref().unwrap().quantity().unwrap().number,
            dec("0.92")
        );
        assert_eq!(e.tier.as_ref().unwrap().text.as_ref(), "达成");
        assert_eq!(
            slice(text, e.span),
            "{ fund = \"100万元\", target = \"90%\", actual = \"92%\", tier = \"达成\" }"
        );
        let e = &i.entries[1];
        // fund_unit = "元": 50000 is 50,000 元.
        assert_eq!(&*e.fund.raw, "50000");
        assert_eq!(e.fund.quantity().unwrap().number, dec("50000"));
        assert_eq!(e.fund.quantity().unwrap().unit, "元");
        assert_eq!(e.target.as_ref().unwrap().quantity().unwrap().cmp, Cmp::Ge);
        assert_eq!(e.rate.map(|n| n.value), Some(dec("0.5")));
        assert!(slice(text, i.span).ends_with("rate = 0.5 },\n]"));
    }

    #[test]
    fn minimal_form_and_number_literals() {
        let text = "[budget]\nplanned = 1_234.5e2\nexecuted = +0.5\n";
        let form = load(text).unwrap();
        // 1234.5 × 10^2 = 123450.
        assert_eq!(
            form.budget.planned.quantity().unwrap().number,
            dec("123450")
        );
        assert_eq!(&*form.budget.planned.raw, "1_234.5e2");
        assert_eq!(form.budget.executed.quantity().unwrap().number, dec("0.5"));
        assert!(form.goals.is_empty() && form.title.is_none() && form.year.is_none());
        assert_eq!(float_literal("1.5E-3"), Ok(dec("0.0015")));
        assert_eq!(float_literal("12174.8"), Ok(dec("12174.8")));
        assert_eq!(float_literal("-0.0"), Ok(Decimal::ZERO));
        assert!(!float_literal("-0.0").unwrap().is_sign_negative());
        assert_eq!(float_literal("0e99999"), Ok(Decimal::ZERO));
        assert_eq!(float_literal("0e99999999999999999999"), Ok(Decimal::ZERO));
        // 7.9 × 10^28 fits; 10^29 does not.
        assert_eq!(
            float_literal("7.9e28"),
            Ok(dec("79000000000000000000000000000"))
        );
        for (text, problem) in [
            ("inf", FloatProblem::NotFinite),
            ("-inf", FloatProblem::NotFinite),
            ("nan", FloatProblem::NotFinite),
            ("1e29", FloatProblem::TooLarge),
            ("1e30", FloatProblem::TooLarge),
            ("1e300", FloatProblem::TooLarge),
            ("1e99999999999999999999", FloatProblem::TooLarge),
            ("1e-30", FloatProblem::TooSmall),
            ("1e-300", FloatProblem::TooSmall),
            ("1e-99999999999999999999", FloatProblem::TooSmall),
            (
                "1.23456789012345678901234567890",
                FloatProblem::TooManyDigits,
            ),
            ("1000000000000000000000000000000.0", FloatProblem::TooLarge),
        ] {
            assert_eq!(float_literal(text), Err(problem), "{text}");
        }
        // 28 decimal places fit.
        assert_eq!(
            float_literal("1e-28"),
            Ok(dec("0.0000000000000000000000000001"))
        );
    }

    #[test]
    fn toml_syntax_error() {
        let text = "[budget]\nplanned = \"100\nexecuted = 1\n";
        let e = only(text, "toml");
        assert!(e.to_string().starts_with("TOML 语法错误"), "{e}");
        assert_eq!(labels(text, &e).len(), 1);
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let text = "[budget]\nplanned = 100\nexecuted = 90\nexecutd = 3\n";
        let e = only(text, "toml");
        assert_eq!(e.to_string(), "未知的键「executd」");
        assert_eq!(labels(text, &e), [("未知的键".to_owned(), "executd")]);
        let help = e.help().unwrap().to_string();
        assert!(help.contains("您是否想写 executed？"), "{help}");
        assert!(help.contains("planned、executed"), "{help}");

        // A Chinese heading as a bare key is a syntax error; quoted, an unknown key.
        let text = with_indicator("目标值 = \"5人\"");
        let e = only(&text, "toml");
        assert!(
            e.help().unwrap().to_string().contains("应写作 target"),
            "{e:?}"
        );
        let text = with_indicator("\"实际完成值\" = \"5人\"");
        let e = only(&text, "toml");
        assert!(
            e.help()
                .unwrap()
                .to_string()
                .contains("您是否想写 actual？"),
            "{e:?}"
        );
        let text = "[goal]\nname = \"x\"\n";
        let e = only(text, "toml");
        assert!(e.help().unwrap().to_string().contains("goals"));
    }

    #[test]
    fn missing_and_mistyped_keys() {
        let text = "[budget]\nplanned = 100\n";
        let e = only(text, "toml");
        assert_eq!(e.to_string(), "缺少必填的键「executed」");
        assert_eq!(
            labels(text, &e),
            [("这里缺少 executed".to_owned(), "[budget]")]
        );

        let text = "[form]\nyear = \"2024\"\n[budget]\nplanned = 1\nexecuted = 1\n";
        let e = only(text, "toml");
        assert_eq!(
            e.to_string(),
            "year 的类型不对：应为不加引号的整数，实际是字符串 \"2024\""
        );
        assert_eq!(labels(text, &e)[0].1, "\"2024\"");

        let text = "goals = 3\n[budget]\nplanned = 1\nexecuted = 1\n";
        let e = only(text, "toml");
        assert!(e.to_string().contains("应为数组"), "{e}");

        let text = "[budget]\nplanned = 100\nexecuted = 90\n[form]\nfilled_on = 3\n";
        let e = only(text, "toml");
        assert!(e.to_string().contains("filled_on"), "{e}");
        assert_eq!(labels(text, &e)[0].1, "3");

        let text = with_indicator("target = true");
        let e = only(&text, "toml");
        assert_eq!(e.to_string(), "target 应为字符串或数字，实际是布尔值");

        let e = only("[form]\ntitle = \"x\"\n", "toml");
        assert!(e.to_string().contains("[budget]"));
    }

    #[test]
    fn malformed_number_points_into_the_string() {
        let text = with_indicator("target = \"3天2小时\"");
        let e = only(&text, "malformed_number");
        assert_eq!(labels(&text, &e), [("无法读取".to_owned(), "天2小时")]);
        let text = with_indicator("target = \"  1,23 人\"");
        let e = only(&text, "malformed_number");
        assert_eq!(labels(&text, &e)[0].1, "1,23");
        // Too large for TOML itself: the parser rejects it, and the help says to quote it.
        let text = with_indicator("target = 1e400");
        let e = only(&text, "toml");
        assert_eq!(labels(&text, &e)[0].1, "1e400");
        assert!(e.help().unwrap().to_string().contains("加上引号"), "{e:?}");
        let text = with_indicator("target = 99999999999999999999");
        let e = only(&text, "toml");
        assert_eq!(
            e.to_string(),
            "数字「99999999999999999999」超出 TOML 数字的范围"
        );
        let text = with_indicator("target = inf");
        only(&text, "malformed_number");
    }

    /// `weight = 1e30` said 「不是数字」: it is a number, too large.
    #[test]
    fn huge_tiny_and_odd_numbers_say_what_is_wrong() {
        let goal =
            |weight: &str| format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = {weight}\n");
        for (weight, message) in [
            (
                "1e30",
                "分值（weight）「1e30」太大：超出可精确计算的范围（绝对值须小于 7.9×10²⁸，即 28 位整数）",
            ),
            (
                "-1e30",
                "分值（weight）「-1e30」太大：超出可精确计算的范围（绝对值须小于 7.9×10²⁸，即 28 位整数）",
            ),
            (
                "1e-30",
                "分值（weight）「1e-30」的小数位数过多：超出可精确计算的范围（最多 28 位小数）",
            ),
            ("inf", "分值（weight）「inf」不是一个有限的数"),
            ("-inf", "分值（weight）「-inf」不是一个有限的数"),
            ("nan", "分值（weight）「nan」不是一个有限的数"),
            (
                "1.23456789012345678901234567890",
                "分值（weight）「1.23456789012345678901234567890」的有效数字过多：最多 28 位有效数字",
            ),
            ("\"1e30\"", "不支持科学计数法：「1e30」"),
            (
                "\"99999999999999999999999999999\"",
                "数字「99999999999999999999999999999」超出可精确表示的范围（最多 28 位有效数字）",
            ),
        ] {
            let text = goal(weight);
            let e = only(&text, "malformed_number");
            assert_eq!(e.to_string(), message, "{weight}");
            // The label is on the literal, or inside a string on the part at fault.
            let at = match weight {
                "\"1e30\"" => "e30",
                w => w.trim_matches('"'),
            };
            assert_eq!(labels(&text, &e)[0].1, at, "{weight}");
        }
        // -0 is 0, not negative.
        let form = load(&goal("-0.0")).unwrap();
        assert_eq!(form.goals[0].weight.value, Decimal::ZERO);
        load(&goal("-0")).unwrap();
        // More digits than an integer holds: the TOML parser refuses it.
        let e = only(&goal("99999999999999999999"), "toml");
        assert_eq!(
            e.to_string(),
            "数字「99999999999999999999」超出 TOML 数字的范围"
        );
        // Targets and rates say the same.
        let e = only(&with_indicator("target = 1e30"), "malformed_number");
        assert!(e.to_string().starts_with("数字「1e30」太大"), "{e}");
        let e = only(&with_indicator("rate = 1e-30"), "malformed_number");
        assert!(
            e.to_string()
                .starts_with("完成率（rate）「1e-30」的小数位数过多"),
            "{e}"
        );
    }

    #[test]
    fn unit_mismatch() {
        let text = with_indicator("target = \"100人\"\nactual = \"100件\"");
        let e = only(&text, "unit_mismatch");
        assert_eq!(
            e.to_string(),
            "目标值与实际完成值的单位不一致：「100人」与「100件」"
        );
        assert_eq!(
            labels(&text, &e),
            [
                ("单位「人」".to_owned(), "\"100人\""),
                ("单位「件」".to_owned(), "\"100件\"")
            ]
        );
        // Multipliers are not units; a multiplier without a unit agrees with any unit.
        load(&with_indicator(
            "target = \"1.2万人次\"\nactual = \"9600人次\"",
        ))
        .unwrap();
        load(&with_indicator("target = \"1.2万\"\nactual = \"9600人次\"")).unwrap();
        // Bare numbers agree with bare numbers.
        load(&with_indicator("target = \"≥100\"\nactual = 90")).unwrap();
        // Across entries: targets and actuals of all entries, and the funds.
        let text = with_indicator(
            "entries = [{ fund = \"1万元\", target = \"5人\" }, { fund = \"2万元\", target = \"3人\", actual = \"4件\" }]",
        );
        let e = only(&text, "unit_mismatch");
        assert_eq!(labels(&text, &e)[0].1, "\"5人\"");
        assert_eq!(labels(&text, &e)[1].1, "\"4件\"");
        let text = with_indicator("entries = [{ fund = \"1万元\" }, { fund = \"2万美元\" }]");
        let e = only(&text, "unit_mismatch");
        assert_eq!(
            e.to_string(),
            "同一指标各资金来源的金额的单位不一致：「1万元」与「2万美元」"
        );
        // Budget amounts.
        let text = "[budget]\nplanned = \"100万元\"\nexecuted = \"90万美元\"\n";
        only(text, "unit_mismatch");
        // An invisible character in a unit is named.
        let text = with_indicator("target = \"100人\u{3000}次\"\nactual = \"100人次\"");
        let e = only(&text, "unit_mismatch");
        assert_eq!(
            e.to_string(),
            "目标值与实际完成值的单位不一致：「100人\u{3000}次」（含全角空格 U+3000）与「100人次」"
        );
    }

    /// `100` beside `90万元` scored 80 of 80; `12174.8万元` beside `11000` scored the
    /// budget 0: whether a bare number is 100 or 100 万 the form must say.
    #[test]
    fn a_bare_number_beside_a_unit_or_multiplier_is_a_mismatch() {
        let text = with_indicator("target = \"100\"\nactual = \"90万元\"");
        let e = only(&text, "unit_mismatch");
        assert_eq!(
            e.to_string(),
            "目标值与实际完成值的单位不一致：「100」不带单位，「90万元」带单位「万元」"
        );
        assert_eq!(
            labels(&text, &e),
            [
                ("不带单位".to_owned(), "\"100\""),
                ("单位「万元」".to_owned(), "\"90万元\"")
            ]
        );
        assert_eq!(
            e.help().unwrap().to_string(),
            "表单没有说明不带单位的数以什么单位计：「100」是 100，还是 100万元？请写上单位，如「100万元」；若这一栏不带单位的数都以同一单位计，可在该指标中写 unit = \"万元\""
        );

        let text = "[budget]\nplanned = \"12174.8万元\"\nexecuted = 11000\n";
        let e = only(text, "unit_mismatch");
        assert_eq!(
            e.to_string(),
            "预算数与执行数的单位不一致：「12174.8万元」带单位「万元」，「11000」不带单位"
        );
        assert_eq!(
            labels(text, &e),
            [
                ("单位「万元」".to_owned(), "\"12174.8万元\""),
                ("不带单位".to_owned(), "11000")
            ]
        );
        assert!(
            e.help()
                .unwrap()
                .to_string()
                .ends_with("可在 [budget] 中写 unit = \"万元\"")
        );

        // A multiplier alone is a scale too; a TOML number is bare.
        let text = with_indicator("target = 12000\nactual = \"1.2万\"");
        let e = only(&text, "unit_mismatch");
        assert_eq!(labels(&text, &e)[1].0, "倍数「万」");
        only(
            &with_indicator("target = 12000\nactual = \"9600人次\""),
            "unit_mismatch",
        );

        // Funds: 100万元 beside 50.
        let text = with_indicator("entries = [{ fund = \"100万元\" }, { fund = 50 }]");
        let e = only(&text, "unit_mismatch");
        assert!(
            e.help()
                .unwrap()
                .to_string()
                .ends_with("可在该指标中写 fund_unit = \"万元\"")
        );
        // Targets and actuals inside entries: every bare one is named.
        let text = with_indicator(
            "entries = [{ fund = 1, target = \"5\", actual = \"5\" }, { fund = 2, target = \"3人\", actual = \"4人\" }]",
        );
        let errs = errors(&text);
        assert_eq!(errs.len(), 2);
        assert_eq!(labels(&text, &errs[0])[0], ("不带单位".to_owned(), "\"5\""));
        assert_eq!(labels(&text, &errs[1])[0].1, "\"5\"");
    }

    #[test]
    fn a_declared_unit_gives_bare_numbers_their_unit() {
        // [budget] unit = "万元": 11000 is 110,000,000 元, beside 12174.8万元.
        let text = "[budget]\nunit = \"万元\"\nplanned = \"12174.8万元\"\nexecuted = 11000\n";
        let form = load(text).unwrap();
        assert_eq!(
            form.budget.executed.quantity().unwrap().number,
            dec("110000000")
        );
        assert_eq!(form.budget.executed.quantity().unwrap().unit, "元");
        assert_eq!(&*form.budget.executed.raw, "11000");
        // An indicator's unit covers its entries' targets and actuals; fund_unit the funds.
        let text = with_indicator(
            "unit = \"人次\"\nfund_unit = \"万元\"\nentries = [{ fund = \"100万元\", target = 5, actual = \"4人次\" }, { fund = 50, target = \"3人次\", actual = 3 }]",
        );
        let form = load(&text).unwrap();
        let e = &form.goals[0].indicators[0].entries;
        // 50 万元 = 500,000 元.
        assert_eq!(e[1].fund.quantity().unwrap().number, dec("500000"));
        assert_eq!(
            e[0].target.as_ref().unwrap().quantity().unwrap().unit,
            "人次"
        );
        // unit = "%": a bare 90 beside 95% is 90%.
        let form = load(&with_indicator(
            "unit = \"%\"\ntarget = \"≥95%\"\nactual = 90",
        ))
        .unwrap();
        let a = form.goals[0].indicators[0].actual.as_ref().unwrap();
        assert_eq!(a.quantity().unwrap().number, dec("0.9"));
        assert!(a.quantity().unwrap().percent);
        // A value with another unit disagrees with the declaration.
        let text = with_indicator("unit = \"万元\"\ntarget = \"100人\"\nactual = 90");
        let e = only(&text, "unit_mismatch");
        assert_eq!(
            e.to_string(),
            "目标值「100人」与 unit 声明的单位「万元」不一致"
        );
        assert_eq!(
            labels(&text, &e),
            [
                ("unit 声明的单位".to_owned(), "\"万元\""),
                ("单位「人」".to_owned(), "\"100人\"")
            ]
        );
        // Bad declarations.
        for (unit, reason) in [
            ("unit = \"5人\"", "单位「5人」中含有数字"),
            ("unit = \"以上\"", "单位中不能有比较：「以上」"),
            ("fund_unit = \"%\"", "金额不能以 % 计"),
        ] {
            let text = with_indicator(unit);
            let e = only(&text, "bad_unit");
            assert!(e.to_string().ends_with(&format!("（{reason}）")), "{e}");
        }
        // An empty declaration is none.
        load(&with_indicator("unit = \"\"\ntarget = 1\nactual = 1")).unwrap();
    }

    /// `单位不一致：「​人」与「人」` hid a zero-width space. A character that cannot be
    /// seen is refused wherever the loader reads text, and named where it is.
    #[test]
    fn invisible_characters_are_named_where_they_are() {
        let text = with_indicator("target = \"\u{200B}100人\"\nactual = \"100人\"");
        let e = only(&text, "invisible_character");
        assert_eq!(
            e.to_string(),
            "目标值「\u{200B}100人」（含零宽空格 U+200B）中有看不见的字符"
        );
        assert_eq!(
            labels(&text, &e),
            [("零宽空格 U+200B".to_owned(), "\u{200B}")]
        );
        // Inside the unit, where it made 「​人」 and 「人」 differ.
        let text = with_indicator("target = \"100\u{200B}人\"\nactual = \"100人\"");
        only(&text, "invisible_character");
        // A value of nothing but an invisible character is not empty.
        let text = with_indicator("target = \"100人\"\nactual = \"\u{200B}\"");
        only(&text, "invisible_character");
        // Names, levels, tiers, directions, weights, units.
        for line in [
            "tier = \"达成\u{200F}\"",
            "direction = \"\u{FEFF}positive\"",
            "unit = \"人\u{200D}次\"",
            "rate = \"85%\u{2060}\"",
        ] {
            only(&with_indicator(line), "invisible_character");
        }
        let text = with_indicator("").replace("产出指标", "产出指标\u{200B}");
        only(&text, "invisible_character");
        let text = format!("{BUDGET}[[goals]]\nname = \"目标\"\nweight = \"10\u{200B}分\"\n");
        only(&text, "invisible_character");
        // A bidirectional mark is shown escaped, and named.
        let text = with_indicator("tier = \"达成\u{200F}\"");
        let e = only(&text, "invisible_character");
        assert_eq!(
            e.to_string(),
            "档次（tier）「达成\\u{200F}」（含从右至左标记 U+200F）中有看不见的字符"
        );
        // Written as a TOML escape, the character is visible in the file: the label covers
        // the value.
        let text = with_indicator("target = \"100\\u200B人\"\nactual = \"100人\"");
        let e = only(&text, "invisible_character");
        assert_eq!(labels(&text, &e)[0].1, "\"100\\u200B人\"");
        // Spaces are spaces, a full-width one too.
        let form = load(&with_indicator(
            "target = \"100\u{3000}人\"\nactual = \"100 人\"",
        ))
        .unwrap();
        let t = form.goals[0].indicators[0].target.as_ref().unwrap();
        assert_eq!(t.quantity().unwrap().unit, "人");
    }

    #[test]
    fn kind_mismatch() {
        let text = with_indicator("target = \"≥95%\"\nactual = \"满意\"");
        let e = only(&text, "kind_mismatch");
        assert_eq!(
            e.to_string(),
            "目标值与实际完成值的类型不一致：「≥95%」是百分比，「满意」是文字"
        );
        assert_eq!(
            labels(&text, &e),
            [
                ("百分比".to_owned(), "\"≥95%\""),
                ("文字".to_owned(), "\"满意\"")
            ]
        );
        // 95% beside a plain 90: most likely 90%, but the form must say so.
        let text = with_indicator("target = \"95%\"\nactual = 90");
        let e = only(&text, "kind_mismatch");
        assert_eq!(labels(&text, &e)[1], ("数值".to_owned(), "90"));
        assert!(
            e.help()
                .unwrap()
                .to_string()
                .ends_with("若「90」是百分数，写成「90%」；若这一栏不带单位的数都是百分数，可在该指标中写 unit = \"%\""),
            "{e:?}"
        );
        let text = with_indicator(
            "entries = [{ fund = 1, target = \"5人\" }, { fund = 2, target = \"较好\" }]",
        );
        only(&text, "kind_mismatch");
    }

    #[test]
    fn missing_weight() {
        let text = format!(
            "{BUDGET}[[goals]]\nname = \"目标一\"\nweight = 10\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"培训人次\"\n"
        );
        let e = only(&text, "missing_weight");
        assert_eq!(e.to_string(), "指标「培训人次」没有填写分值（weight）");
        assert_eq!(
            labels(&text, &e),
            [("这个指标缺少 weight".to_owned(), "\"培训人次\"")]
        );
        let text = format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = \"\"\n");
        let e = only(&text, "missing_weight");
        assert_eq!(e.to_string(), "年度目标「目标一」没有填写分值（weight）");
    }

    #[test]
    fn negative_value() {
        let text = with_indicator("target = \"-5人\"");
        let e = only(&text, "negative_value");
        assert_eq!(labels(&text, &e)[0].1, "\"-5人\"");
        let text = "[budget]\nplanned = -100\nexecuted = 1\n";
        let e = only(text, "negative_value");
        assert_eq!(labels(text, &e)[0].1, "-100");
        let text = format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = -1.5\n");
        let e = only(&text, "negative_value");
        assert_eq!(labels(&text, &e)[0].1, "-1.5");
        let text = with_indicator("entries = [{ fund = \"-1万元\" }]");
        only(&text, "negative_value");
    }

    #[test]
    fn budget_not_number() {
        let text = "[budget]\nplanned = \"95%\"\nexecuted = \"很多\"\n";
        let errs = errors(text);
        assert_eq!(
            errs.iter().map(code).collect::<Vec<_>>(),
            ["jixiao::form::budget_not_number"; 2]
        );
        assert_eq!(labels(text, &errs[0])[0].1, "\"95%\"");
        assert_eq!(
            errs[1].to_string(),
            "执行数（executed）应为金额数字，实际是「很多」"
        );
        only(
            "[budget]\nplanned = \"\"\nexecuted = 1\n",
            "budget_not_number",
        );
        only(
            "[budget]\nplanned = \"≥100\"\nexecuted = 1\n",
            "budget_not_number",
        );
    }

    #[test]
    fn missing_target() {
        let text = with_indicator("actual = \"3916人次\"");
        let e = only(&text, "missing_target");
        assert_eq!(
            labels(&text, &e),
            [
                ("实际完成值".to_owned(), "\"3916人次\""),
                ("这个指标没有 target".to_owned(), "\"培训人次\"")
            ]
        );
        // An empty target is absent.
        let text = with_indicator("target = \" \"\nactual = \"3916人次\"");
        only(&text, "missing_target");
        let text = with_indicator(
            "entries = [{ fund = 1, target = \"5人\", actual = \"5人\" }, { fund = 2, actual = \"4人\" }]",
        );
        let e = only(&text, "missing_target");
        assert_eq!(
            e.to_string(),
            "指标「培训人次」（第 2 项资金来源）填写了实际完成值，但没有目标值"
        );
        assert_eq!(labels(&text, &e)[0].1, "\"4人\"");
    }

    #[test]
    fn entries_with_values() {
        let text = with_indicator(
            "target = \"5人\"\nrate = \"50%\"\nentries = [{ fund = 1, target = \"5人\" }]",
        );
        let errs = errors(&text);
        assert_eq!(
            errs.iter().map(code).collect::<Vec<_>>(),
            ["jixiao::form::entries_with_values"; 2]
        );
        assert_eq!(labels(&text, &errs[0])[0].1, "\"5人\"");
        assert_eq!(
            labels(&text, &errs[0])[1].1,
            "[{ fund = 1, target = \"5人\" }]"
        );
        assert_eq!(labels(&text, &errs[1])[0].1, "\"50%\"");
        // An empty entries list is no entries.
        load(&with_indicator("target = \"5人\"\nentries = []")).unwrap();
    }

    #[test]
    fn bad_rate() {
        for (rate, labelled) in [
            ("rate = \"满意\"", "\"满意\""),
            ("rate = \"120%\"", "\"120%\""),
            ("rate = 1.5", "1.5"),
            ("rate = \"85元\"", "\"85元\""),
            ("rate = \"≥85%\"", "\"≥85%\""),
            ("rate = [1]", "[1]"),
            ("rate = -0.1", "-0.1"),
        ] {
            let text = with_indicator(&format!("tier = \"达成\"\n{rate}"));
            let e = only(&text, "bad_rate");
            assert_eq!(labels(&text, &e)[0].1, labelled);
        }
        for ok in [
            "rate = 1",
            "rate = 0",
            "rate = \"0.5\"",
            "rate = \"100%\"",
            "rate = \"\"",
        ] {
            load(&with_indicator(ok)).unwrap();
        }
    }

    #[test]
    fn bad_direction() {
        let text = with_indicator("direction = \"postive\"");
        let e = only(&text, "bad_direction");
        assert_eq!(e.to_string(), "无法识别的指标方向「postive」");
        assert!(
            e.help()
                .unwrap()
                .to_string()
                .contains("您是否想写 \"positive\"")
        );
        assert_eq!(labels(&text, &e)[0].1, "\"postive\"");
        let form = load(&with_indicator("direction = \"反向\"")).unwrap();
        assert_eq!(
            form.goals[0].indicators[0].direction,
            Some(Direction::Negative)
        );
        let form = load(&with_indicator("direction = \"Negative\"")).unwrap();
        assert_eq!(
            form.goals[0].indicators[0].direction,
            Some(Direction::Negative)
        );
        let e = only(&with_indicator("direction = \"越大越好\""), "bad_direction");
        assert!(!e.help().unwrap().to_string().contains("您是否想写"));
    }

    #[test]
    fn bad_number() {
        let text = format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = \"十分\"\n");
        let e = only(&text, "bad_number");
        assert_eq!(e.to_string(), "分值（weight）应为数字，实际是「十分」");
        assert_eq!(labels(&text, &e)[0].1, "\"十分\"");
        only(
            &format!("{BUDGET}[[goals]]\nname = \"a\"\nweight = \"5%\"\n"),
            "bad_number",
        );
        only(
            &format!("{BUDGET}[[goals]]\nname = \"a\"\nweight = \"5人\"\n"),
            "bad_number",
        );
        only(
            &format!("{BUDGET}[[goals]]\nname = \"a\"\nweight = 1\nreported = true\n"),
            "bad_number",
        );
        only(
            &format!("[form]\nreported_total = \"满分\"\n{BUDGET}"),
            "bad_number",
        );
        let text = with_indicator("entries = [{ fund = \"较多\" }]");
        let e = only(&text, "bad_number");
        assert_eq!(labels(&text, &e)[0].1, "\"较多\"");
    }

    #[test]
    fn empty_name() {
        let text = with_indicator("").replace("level2 = \"数量指标\"", "level2 = \"  \"");
        let e = only(&text, "empty_name");
        assert_eq!(e.to_string(), "二级指标（level2）不能为空");
        assert_eq!(labels(&text, &e)[0].1, "\"  \"");
    }

    #[test]
    fn collects_every_error() {
        let text = r#"
[budget]
planned = "95%"
executed = 90

[[goals]]
name = ""
weight = 10

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训人次"
target = "100人"
actual = "90件"
direction = "up"

[[goals.indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "合格率"
weight = 1
target = "1,23"
rate = "200%"
"#;
        let err = load(text).unwrap_err();
        assert_eq!(err.to_string(), "表单 form.toml 有 7 处错误");
        assert_eq!(err.code().unwrap().to_string(), "jixiao::form::invalid");
        let codes: Vec<_> = err.errors.iter().map(code).collect();
        assert_eq!(
            codes,
            [
                "jixiao::form::budget_not_number",
                "jixiao::form::empty_name",
                "jixiao::form::missing_weight",
                "jixiao::form::bad_direction",
                "jixiao::form::unit_mismatch",
                "jixiao::form::malformed_number",
                "jixiao::form::bad_rate",
            ]
        );
        assert_eq!(err.related().unwrap().count(), 7);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let deep = format!(
            "[budget]\nplanned = {}1{}\nexecuted = 1\n",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        only(&deep, "toml");
        let deep = format!("x = {}1{}\n", "{a=".repeat(5000), "}".repeat(5000));
        only(&deep, "toml");
        // Just inside the TOML parser's nesting limit: a wrong type, not a crash.
        let nested = with_indicator(&format!("target = {}1{}", "[".repeat(70), "]".repeat(70)));
        let e = only(&nested, "toml");
        assert_eq!(e.to_string(), "target 应为字符串或数字，实际是数组");
        let huge = with_indicator(&format!("target = {}", "9".repeat(300)));
        only(&huge, "toml");
        let huge = with_indicator(&format!("target = \"{}人\"", "9".repeat(300)));
        only(&huge, "malformed_number");
        let huge = with_indicator(&format!("target = 1.{}", "9".repeat(300)));
        only(&huge, "malformed_number");
        for text in [
            "",
            "\u{feff}",
            "\0",
            "[[[",
            "=",
            "[budget]\nplanned = \"\\u0000\"\nexecuted = 1",
            "🙂 = 1",
        ] {
            let _ = load(text);
        }
        // Escapes in a string: the label falls back to the whole value.
        let text = with_indicator("target = \"3\\u5929 2\\u5c0f\\u65f6\"");
        let e = only(&text, "malformed_number");
        assert_eq!(labels(&text, &e)[0].1, "\"3\\u5929 2\\u5c0f\\u65f6\"");
    }

    #[test]
    fn renders_on_a_chinese_line() {
        let text = with_indicator("target = \"100人\"\nactual = \"100件\"");
        let err = load(&text).unwrap_err();
        let mut out = String::new();
        miette::NarratableReportHandler::new()
            .render_report(&mut out, &err.errors[0])
            .unwrap();
        assert!(
            out.contains("目标值与实际完成值的单位不一致：「100人」与「100件」"),
            "{out}"
        );
        assert!(out.contains("单位「件」"), "{out}");
        assert!(out.contains("actual = \"100件\""), "{out}");
    }
}
