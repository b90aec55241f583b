//! An indicator's entries: its values per fund (资金来源), each with the fund's amount.
//!
//! Input: the raw entry tables. Output: [`Entry`]s, every problem recorded.
//! Invariants: a fund is a number, not a percentage, with no comparison and not negative.

use std::sync::Arc;

use toml::Spanned;

use super::error::FormError;
use super::keys::FUND_HELP;
use super::load::{Loader, Reported};
use super::raw::{RawEntry, RawIndicator, RawValue, extent, span_of};
use super::units::{Declared, UnitKey};
use super::value::Cmp;
use super::{Entry, Parsed, Text, Value};
use crate::text::quoted;

impl Loader<'_> {
    /// An indicator's entries (`list`, not empty): each read with [`Loader::entry`], the
    /// indicator's own values refused beside them, their targets and actuals checked to
    /// agree in kind and unit, and so their funds.
    pub(super) fn entries(
        &mut self,
        i: &RawIndicator,
        name: &Text,
        list: &Spanned<Vec<Spanned<RawEntry>>>,
        unit: Option<&Declared>,
        fund_unit: Option<&Declared>,
    ) -> Vec<Entry> {
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
            .map(|(n, e)| self.entry(name, n + 1, e, unit, fund_unit))
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
        entries
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
