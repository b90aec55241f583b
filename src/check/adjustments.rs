//! Bonus and deduction items (`bonus NAME "title":`, `deduction NAME "title":`, 加分项 and
//! 扣分项): compiled from one file's items, new or overriding the base's item of that name.
//!
//! Input: the item as parsed. Output: an [`AdjustmentRule`] in the draft, or the errors
//! that refused it. Invariants: a bonus has a `weight` (the most it adds: a bonus without
//! a maximum is refused); an override keeps its base's kind; what it leaves out (title,
//! weight, formula parts) is the base's; no two items share a name or a title, since a
//! form names its items by either.

use std::sync::Arc;

use super::AdjustmentRule;
use super::error::CheckError;
use super::ir::Ty;
use super::items::Checker;
use super::types::{ADJUSTMENT, CONST};
use crate::syntax::ast::{self, AdjustmentKind, Clause};

impl Checker<'_> {
    /// A bonus or deduction item.
    pub(super) fn adjustment(&mut self, a: &ast::Adjustment) {
        let name = a.name.name.as_str();
        let what = format!("{}「{name}」", a.kind.title());
        let at = self.draft.adjustments.iter().position(|r| &*r.name == name);
        if let Some(first) = at.and_then(|i| self.local(self.draft.adjustments[i].head)) {
            self.duplicate(&what, a.name.span, Some(first));
            return;
        }
        let base = at.map(|i| self.draft.adjustments[i].clone());
        if let Some(b) = &base {
            if b.kind != a.kind {
                self.misplaced(
                    a.head,
                    "覆盖加分项或扣分项时不能改变它是加分还是扣分",
                    "另起一个新名称的项，或沿用基础规则中的关键词",
                );
                return;
            }
        }
        let mut weight = base.as_ref().and_then(|b| b.weight.clone());
        let mut weight_seen = None;
        let parts = self.formula_parts(&a.clauses, ADJUSTMENT, |c, clause| match clause {
            Clause::Weight(e, span) => {
                if let Some(first) = weight_seen {
                    c.duplicate("分值 weight", *span, Some(first));
                } else {
                    weight_seen = Some(*span);
                    weight = Some(c.typed(e, CONST, Ty::Num, "最高分值"));
                }
            }
            Clause::Band(band) => c.misplaced(
                band.span,
                "加分项、扣分项中不能有档位 band",
                "档位只用于定性指标类别（class ... for text）",
            ),
            _ => {}
        });
        let formula = self.merge_formula(
            base.as_ref().map(|b| b.formula.clone()),
            parts,
            &what,
            a.head,
        );
        if weight.is_none() && a.kind == AdjustmentKind::Bonus {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: a.head.into(),
                what: format!("{what}的最高分值 weight"),
                label: "加分项没有上限".into(),
                help: format!(
                    "在 `{} {name}:` 下加一行最高分值，例如 `weight 5`：加分不超过它，满分显示为「100 + 5 加分」",
                    a.kind.keyword()
                ),
            });
            return;
        }
        let title = a
            .title
            .as_ref()
            .map(|t| Arc::from(t.value.as_str()))
            .or_else(|| base.as_ref().and_then(|b| b.title.clone()));
        if let Some(t) = &title {
            let clash =
                self.draft.adjustments.iter().find(|r| {
                    &*r.name != name && (r.title.as_deref() == Some(t) || *r.name == **t)
                });
            if let Some(other) = clash {
                let first = self.local(other.head);
                let span = a.title.as_ref().map_or(a.head, |t| t.span);
                self.duplicate(&format!("加分项或扣分项的名称「{t}」"), span, first);
                return;
            }
        }
        let Some(formula) = formula else {
            return;
        };
        let rule = AdjustmentRule {
            kind: a.kind,
            name: Arc::from(name),
            title,
            weight,
            formula,
            head: self.g(a.head),
        };
        match at {
            Some(i) => self.draft.adjustments[i] = rule,
            None => self.draft.adjustments.push(rule),
        }
    }
}
