//! The `[budget]` table: 预算执行情况, planned and executed amounts in its declared unit.
//!
//! Input: the raw table, if any. Output: a [`Budget`], every problem recorded.
//! Invariants: planned and executed are numbers, not percentages, with no comparison and
//! not negative, agreeing in unit.

use std::sync::Arc;

use toml::Spanned;

use super::error::FormError;
use super::keys::{BASIC, PROJECT, REPORTED_SCORE};
use super::load::Loader;
use super::raw::{RawBudget, RawValue, span_of};
use super::units::{Declared, UnitKey};
use super::value::Cmp;
use super::{Budget, Parsed, Value};
use crate::source::Span;
use crate::text::quoted;

impl Loader<'_> {
    pub(super) fn budget(&mut self, raw: Option<&Spanned<RawBudget>>) -> Budget {
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
}
