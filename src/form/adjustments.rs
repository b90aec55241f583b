//! The `[[bonus]]` and `[[deduction]]` tables: 加分项 and 扣分项, items outside the
//! indicator table that the rules add to or take from the total.
//!
//! Input: the raw tables. Output: [`Adjustment`]s, every problem recorded.
//! Invariants: each has a name and a number (`value`: the points claimed, or how many
//! findings) that is not negative. Which rule item it is, is `eval`'s to decide.

use std::sync::Arc;

use toml::Spanned;

use super::error::FormError;
use super::keys::{ADJUSTMENT_VALUE, REPORTED};
use super::load::Loader;
use super::raw::{RawAdjustment, extent, span_of};
use super::{Adjustment, Num};
use crate::syntax::ast::AdjustmentKind;
use crate::text::quoted;

impl Loader<'_> {
    /// The form's bonus items, then its deduction items, each in form order.
    pub(super) fn adjustments(
        &mut self,
        bonus: &[Spanned<RawAdjustment>],
        deduction: &[Spanned<RawAdjustment>],
    ) -> Vec<Adjustment> {
        let bonus = bonus.iter().map(|a| (AdjustmentKind::Bonus, a));
        let deduction = deduction.iter().map(|a| (AdjustmentKind::Deduction, a));
        bonus
            .chain(deduction)
            .map(|(kind, raw)| self.adjustment(kind, raw))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default()
    }

    fn adjustment(
        &mut self,
        kind: AdjustmentKind,
        raw: &Spanned<RawAdjustment>,
    ) -> Option<Adjustment> {
        let a = raw.get_ref();
        let name = self.required_name(
            &a.name,
            "加分项或扣分项的名称（name）",
            "name = \"创新加分\"",
        );
        let value = self.adjustment_value(&a.value);
        let reported = self.num_opt(a.reported.as_ref(), &REPORTED);
        let note = a
            .note
            .as_ref()
            .map(|n| n.get_ref().trim().to_owned())
            .filter(|n| !n.is_empty());
        let span = extent(span_of(raw), [Some(&a.value), a.reported.as_ref()]);
        Some(Adjustment {
            kind,
            name,
            raw: Arc::from(self.written(&a.value)),
            value: value?,
            reported,
            note,
            span,
        })
    }

    /// The item's number: required, not negative.
    fn adjustment_value(&mut self, v: &super::raw::RawValue) -> Option<Num> {
        let raw = quoted(self.written(v));
        let num = match self.num_value(v, &ADJUSTMENT_VALUE) {
            Ok(Some(num)) => num,
            Ok(None) => {
                let src = self.src();
                self.push(FormError::BadNumber {
                    what: ADJUSTMENT_VALUE.what,
                    raw,
                    help: ADJUSTMENT_VALUE.help,
                    span: span_of(v).into(),
                    src,
                });
                return None;
            }
            Err(_) => return None,
        };
        if num.value.is_sign_negative() {
            let src = self.src();
            self.push(FormError::NegativeValue {
                what: ADJUSTMENT_VALUE.what,
                raw,
                span: num.span.into(),
                src,
            });
            return None;
        }
        Some(num)
    }
}
