//! The trace in words and as data: each typed [`Step`] that eval records, written in
//! Chinese for people ([`text`]) and serialised for programs (the workbench, the language
//! server).
//!
//! Input: a [`Step`]. Output: its text, and its JSON. Invariants: this is the only place
//! a step is worded, so `explain`, `jixiao test`'s failures and every JSON carry the same
//! text; values are shown exact, a long one cut after 8 decimals with `…` ([`show_long`]).
//!
//! Serialisation lives here too, as `impl Serialize for Step`: eval cannot call report,
//! but an outcome's JSON (derived in eval) must carry each step's text so that existing
//! readers keep working. Rust lets a crate implement a trait for its own type in any of
//! its modules, so eval's types name no report function, and the wording stays in one
//! place. A step's JSON is an object: `text` and `rule` (`rules/x.rules:14`, or null) as
//! always, then `kind` (the variant's snake-case name) and the variant's fields, decimals
//! as strings (as rust_decimal writes them everywhere in the outcome's JSON), an exact
//! value as its decimal (its nearest 28-place decimal when it is not one).

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use crate::check::{Var, interval};
use crate::eval::{Band, Condition, Operand, Step, StepKind};
use crate::num::shown::{PLACES, percent_exact};
use crate::num::{self, Exact};
use crate::syntax::ast::{AdjustmentKind, AggMethod, OptionalAction, RoundMode};

/// A step in words: `weight * B / A = 2 × 3916 / 4000 = 1.958`.
#[must_use]
pub fn text(step: &Step<'_>) -> String {
    let mut out = String::new();
    // (Writing to a String cannot fail.)
    let _ = write_kind(&mut out, &step.kind);
    out
}

/// A step's text followed by the rounding of its result: `… = 1.958 → 1.96（保留 2 位
/// 小数）`, as `explain` merges a rounding into the step it rounds.
pub(crate) fn with_rounding(text: &str, places: u32, to: Decimal) -> String {
    format!("{text} → {to}（保留 {places} 位小数）")
}

/// One arm per variant; the doc of each variant in [`StepKind`] shows its text. (Over 80
/// lines: one match, exhaustive, so that a new variant cannot go unworded.)
fn write_kind(out: &mut String, kind: &StepKind<'_>) -> fmt::Result {
    use StepKind as K;
    match kind {
        K::Values {
            a,
            a_written,
            b,
            b_written,
        } => write!(
            out,
            "A = {}（{a_written}），B = {}（{b_written}）",
            num::show(*a),
            num::show(*b)
        ),
        K::Aggregate {
            method,
            targets,
            actuals,
            funds,
            a,
            b,
        } => write!(
            out,
            "汇总 {} 笔资金（{}）：A = {} = {}；B = {} = {}",
            targets.len(),
            method_text(*method),
            combination_text(*method, targets, funds),
            show_long(a),
            combination_text(*method, actuals, funds),
            show_long(b)
        ),
        K::AggregateRate {
            method,
            rates,
            funds,
            rate,
        } => write!(
            out,
            "汇总 {} 笔资金的得分率（{}）：{} = {}",
            rates.len(),
            method_text(*method),
            combination_text(*method, rates, funds),
            show_long(rate)
        ),
        K::Class {
            name,
            condition,
            values,
            facts,
        } => write_class(out, name, condition.as_deref(), values, facts),
        K::TierRate { band, rate } => write!(
            out,
            "档位「{}」{}，得分率 {}",
            band.name,
            band_interval(band),
            percent_exact(*rate)
        ),
        K::TierDefault { band, rate } => {
            write!(
                out,
                "档位「{band}」，未给得分率，按默认 {}",
                percent_exact(*rate)
            )
        }
        K::RateInBand { rate, band } => write!(
            out,
            "得分率 {}，属档位「{}」{}",
            percent_exact(*rate),
            band.name,
            band_interval(band)
        ),
        K::Rate { rate } => write!(out, "得分率 {}", percent_exact(*rate)),
        K::BandByCondition {
            condition,
            band,
            rate,
        } => write!(
            out,
            "{}，视为档位「{band}」，按 {}",
            when_text(condition),
            percent_exact(*rate)
        ),
        K::Omitted { action } => out.write_str(match action {
            OptionalAction::RescaleGoal => "未评价；可选指标，不计分，目标内其余指标按比例折算",
            OptionalAction::RescaleTotal => "未评价；可选指标，不计分，总分按已评价部分的满分折算",
            OptionalAction::Drop => "未评价；可选指标，不计分",
        }),
        K::NotEvaluated => out.write_str("未填写实际完成值，且不是可选指标：按 0 分计"),
        K::Budget {
            planned,
            executed,
            weight,
        } => write!(
            out,
            "预算数 A = {planned}，执行数 B = {executed}，分值 {weight}"
        ),
        K::Adjustment {
            kind,
            name,
            value,
            written,
            weight,
        } => {
            write!(out, "{}「{name}」：B = {}", kind.title(), num::show(*value))?;
            if **written != num::show(*value) {
                write!(out, "（{written}）")?;
            }
            match (kind, weight) {
                (_, None) => Ok(()),
                (AdjustmentKind::Bonus, Some(w)) => write!(out, "，最多加 {} 分", show_long(w)),
                (AdjustmentKind::Deduction, Some(w)) => {
                    write!(out, "，最多扣 {} 分", show_long(w))
                }
            }
        }
        K::Guard {
            condition,
            source,
            value,
        } => write!(
            out,
            "{}：{source} = {}",
            when_text(condition),
            show_long(value)
        ),
        K::Formula {
            source,
            substituted,
            value,
        } => write!(out, "{source} = {substituted} = {}", show_long(value)),
        K::Cap { source, cap, from } => write!(
            out,
            "不得超过 {source} = {cap}：{} → {cap}",
            show_long(from)
        ),
        K::Rescale {
            all,
            rest,
            from,
            to,
        } => {
            let (all, rest) = (num::show(*all), num::show(*rest));
            write!(
                out,
                "目标中有未评的可选指标，按 {all} / {rest} 折算：{} × {all} / {rest} = {}",
                show_long(from),
                show_long(to)
            )
        }
        K::ScaleGoals {
            sum,
            target,
            from,
            to,
        } => write!(
            out,
            "各目标分值合计 {sum} 折算为 {target}：{} × {target} / {sum} = {}",
            show_long(from),
            show_long(to)
        ),
        K::Rounding {
            places, from, to, ..
        } => write!(out, "保留 {places} 位小数：{} → {to}", show_long(from)),
    }
}

/// `类别：正向指标（op in [">="]；比较符 op = ">="）`: the condition as written, then the
/// values it read, in the form's terms; `（其余情况）` for a class without one.
fn write_class(
    out: &mut String,
    name: &str,
    condition: Option<&str>,
    values: &[(Var, Operand<'_>)],
    facts: &[(Cow<'_, str>, Operand<'_>)],
) -> fmt::Result {
    write!(out, "类别：{name}")?;
    let Some(condition) = condition else {
        return out.write_str("（其余情况）");
    };
    write!(out, "（{condition}；")?;
    let named = values
        .iter()
        .map(|(var, value)| (Cow::Borrowed(var_label(*var)), value))
        .chain(
            facts
                .iter()
                .map(|(n, value)| (Cow::Owned(format!("表单信息 {n}")), value)),
        );
    for (i, (label, value)) in named.enumerate() {
        if i > 0 {
            out.push('，');
        }
        write!(out, "{label} = ")?;
        match value {
            Operand::Number(n) => write!(out, "{n}")?,
            Operand::Text(t) => write!(out, "\"{t}\"")?,
            Operand::Bool(b) => write!(out, "{b}")?,
        }
    }
    out.write_str("）")
}

/// A built-in name with the form's term for it: `比较符 op`.
fn var_label(v: Var) -> &'static str {
    match v {
        Var::A => "目标值 A",
        Var::B => "实际值 B",
        Var::Weight => "权重 weight",
        Var::Rate => "得分率 rate",
        Var::Tier => "档位 tier",
        Var::Op => "比较符 op",
        Var::Direction => "方向 direction",
        Var::Kind => "类型 kind",
        Var::Level1 => "一级指标 level1",
        Var::Level2 => "二级指标 level2",
        Var::Name => "三级指标 name",
        Var::Goal => "目标 goal",
        Var::Year => "年度 year",
        Var::Department => "单位名称 department",
    }
}

/// A computed value for an explanation: exact, but cut after [`PLACES`] decimals with `…`,
/// as every report cuts a score.
#[must_use]
pub fn show_long(x: &Exact) -> String {
    match x.round(PLACES, RoundMode::Down) {
        Ok(cut) if Exact::from(cut) != *x => format!("{}…", num::show(cut)),
        _ => x.to_string(),
    }
}

/// `因 B >= A（3916 >= 4000）`; the values left out when they read as written.
fn when_text(c: &Condition<'_>) -> String {
    if c.source == c.substituted {
        format!("因 {}", c.source)
    } else {
        format!("因 {}（{}）", c.source, c.substituted)
    }
}

fn band_interval(b: &Band<'_>) -> String {
    interval(b.lo, b.lo_inclusive, b.hi, b.hi_inclusive)
}

fn method_text(m: AggMethod) -> &'static str {
    match m {
        AggMethod::Sum => "直接累加",
        AggMethod::Mean => "算术平均",
        AggMethod::MeanByFund => "按资金额度加权平均",
    }
}

/// Entries' values combined, as arithmetic: `(90 + 80) / 2`, `(100 × 90 + …) / (100 + …)`.
fn combination_text(m: AggMethod, values: &[Decimal], funds: &[Decimal]) -> String {
    let vs: Vec<String> = values.iter().map(|v| num::show(*v)).collect();
    match m {
        AggMethod::Sum => vs.join(" + "),
        AggMethod::Mean => format!("({}) / {}", vs.join(" + "), values.len()),
        AggMethod::MeanByFund => {
            let terms: Vec<String> = vs
                .iter()
                .zip(funds)
                .map(|(v, f)| format!("{} × {}", num::show(*f), v))
                .collect();
            let fs: Vec<String> = funds.iter().map(|f| num::show(*f)).collect();
            format!("({}) / ({})", terms.join(" + "), fs.join(" + "))
        }
    }
}

/// An exact value in JSON: its decimal, as a string.
struct Num<'e>(&'e Exact);

impl Serialize for Num<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

impl Serialize for Step<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("text", &text(self))?;
        m.serialize_entry("rule", &self.rule.as_ref().map(ToString::to_string))?;
        m.serialize_entry("kind", self.kind.name())?;
        fields(&mut m, &self.kind)?;
        m.end()
    }
}

/// A variant's fields, after its `kind`. (Over 80 lines: one exhaustive match, as
/// [`write_kind`].)
fn fields<M: SerializeMap>(m: &mut M, kind: &StepKind<'_>) -> Result<(), M::Error> {
    use StepKind as K;
    match kind {
        K::Values {
            a,
            a_written,
            b,
            b_written,
        } => {
            m.serialize_entry("a", a)?;
            m.serialize_entry("a_written", a_written)?;
            m.serialize_entry("b", b)?;
            m.serialize_entry("b_written", b_written)
        }
        K::Aggregate {
            method,
            targets,
            actuals,
            funds,
            a,
            b,
        } => {
            m.serialize_entry("method", method)?;
            m.serialize_entry("targets", targets)?;
            m.serialize_entry("actuals", actuals)?;
            m.serialize_entry("funds", funds)?;
            m.serialize_entry("a", &Num(a))?;
            m.serialize_entry("b", &Num(b))
        }
        K::AggregateRate {
            method,
            rates,
            funds,
            rate,
        } => {
            m.serialize_entry("method", method)?;
            m.serialize_entry("rates", rates)?;
            m.serialize_entry("funds", funds)?;
            m.serialize_entry("rate", &Num(rate))
        }
        K::Class {
            name,
            condition,
            values,
            facts,
        } => {
            m.serialize_entry("name", name)?;
            m.serialize_entry("condition", condition)?;
            let values: Vec<Reading<'_>> =
                values.iter().map(|(v, x)| Reading(v.name(), x)).collect();
            m.serialize_entry("values", &values)?;
            if facts.is_empty() {
                return Ok(());
            }
            let facts: Vec<Reading<'_>> = facts.iter().map(|(n, x)| Reading(n, x)).collect();
            m.serialize_entry("facts", &facts)
        }
        K::TierRate { band, rate } | K::RateInBand { rate, band } => {
            m.serialize_entry("band", &BandJson(band))?;
            m.serialize_entry("rate", rate)
        }
        K::TierDefault { band, rate } => {
            m.serialize_entry("band", band)?;
            m.serialize_entry("rate", rate)
        }
        K::Rate { rate } => m.serialize_entry("rate", rate),
        K::BandByCondition {
            condition,
            band,
            rate,
        } => {
            m.serialize_entry("condition", &ConditionJson(condition))?;
            m.serialize_entry("band", band)?;
            m.serialize_entry("rate", rate)
        }
        K::Omitted { action } => m.serialize_entry("action", action),
        K::NotEvaluated => Ok(()),
        K::Budget {
            planned,
            executed,
            weight,
        } => {
            m.serialize_entry("planned", planned)?;
            m.serialize_entry("executed", executed)?;
            m.serialize_entry("weight", &Num(weight))
        }
        K::Adjustment {
            kind,
            name,
            value,
            written,
            weight,
        } => {
            m.serialize_entry("adjustment", kind)?;
            m.serialize_entry("name", name)?;
            m.serialize_entry("value", value)?;
            m.serialize_entry("written", written)?;
            m.serialize_entry("weight", &weight.as_ref().map(Num))
        }
        K::Guard {
            condition,
            source,
            value,
        } => {
            m.serialize_entry("condition", &ConditionJson(condition))?;
            m.serialize_entry("source", source)?;
            m.serialize_entry("value", &Num(value))
        }
        K::Formula {
            source,
            substituted,
            value,
        } => {
            m.serialize_entry("source", source)?;
            m.serialize_entry("substituted", substituted)?;
            m.serialize_entry("value", &Num(value))
        }
        K::Cap { source, cap, from } => {
            m.serialize_entry("source", source)?;
            m.serialize_entry("cap", &Num(cap))?;
            m.serialize_entry("from", &Num(from))
        }
        K::Rescale {
            all,
            rest,
            from,
            to,
        } => {
            m.serialize_entry("all", all)?;
            m.serialize_entry("rest", rest)?;
            m.serialize_entry("from", &Num(from))?;
            m.serialize_entry("to", &Num(to))
        }
        K::ScaleGoals {
            sum,
            target,
            from,
            to,
        } => {
            m.serialize_entry("sum", &Num(sum))?;
            m.serialize_entry("target", &Num(target))?;
            m.serialize_entry("from", &Num(from))?;
            m.serialize_entry("to", &Num(to))
        }
        K::Rounding {
            places,
            mode,
            from,
            to,
        } => {
            m.serialize_entry("places", places)?;
            m.serialize_entry("mode", mode)?;
            m.serialize_entry("from", &Num(from))?;
            m.serialize_entry("to", to)
        }
    }
}

/// A built-in a condition read: `{"name": "op", "text": ">="}` (or `number`, `bool`).
/// A name a condition read (a built-in's English name, or a fact's) and its value.
struct Reading<'e>(&'e str, &'e Operand<'e>);

impl Serialize for Reading<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Reading", 2)?;
        st.serialize_field("name", self.0)?;
        match self.1 {
            Operand::Number(n) => st.serialize_field("number", &Num(n))?,
            Operand::Text(t) => st.serialize_field("text", t)?,
            Operand::Bool(b) => st.serialize_field("bool", b)?,
        }
        st.end()
    }
}

struct ConditionJson<'e>(&'e Condition<'e>);

impl Serialize for ConditionJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Condition", 2)?;
        st.serialize_field("source", &self.0.source)?;
        st.serialize_field("substituted", &self.0.substituted)?;
        st.end()
    }
}

struct BandJson<'e>(&'e Band<'e>);

impl Serialize for BandJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = self.0;
        let mut st = s.serialize_struct("Band", 5)?;
        st.serialize_field("name", &b.name)?;
        st.serialize_field("lo", &b.lo)?;
        st.serialize_field("lo_inclusive", &b.lo_inclusive)?;
        st.serialize_field("hi", &b.hi)?;
        st.serialize_field("hi_inclusive", &b.hi_inclusive)?;
        st.end()
    }
}

#[cfg(test)]
mod tests;
