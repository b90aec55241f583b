//! Bonus and deduction items (加分项, 扣分项): each of the form's `[[bonus]]` and
//! `[[deduction]]` scored by the rule item of its name, outside the indicator table.
//!
//! Input: the form's items and the rules' `bonus`/`deduction` items. Output: each item's
//! [`AdjustmentOutcome`] with its trace, and the exact sums the total adds and takes.
//! Invariants: an item's score is never negative and never above its `weight` (the most
//! it adds or takes; a bonus always has one); every item of the form is scored by exactly
//! one rule item, or the form is refused: an item the rules do not know is an error, not
//! a silent zero.

use std::borrow::Cow;

use super::formula::{Ctx, Written};
use super::outcome::AdjustmentOutcome;
use super::subject::Subject;
use super::{EvalError, Evaluator, StepKind, Val, Warning};
use crate::check::{AdjustmentRule, Var};
use crate::code::Code;
use crate::form::{Adjustment, Form};
use crate::num::Exact;

use super::cap::show;
use crate::suggest::did_you_mean;
use crate::syntax::ast::AdjustmentKind;

/// The form's items scored: their outcomes, and what they add and take, exactly.
pub(super) struct Adjusted<'r> {
    pub(super) items: Vec<AdjustmentOutcome<'r>>,
    pub(super) added: Exact,
    pub(super) taken: Exact,
}

impl Adjusted<'_> {
    /// No items: what a form without `[[bonus]]` or `[[deduction]]` tables adds and takes.
    pub(super) fn none() -> Self {
        Adjusted {
            items: Vec::new(),
            added: Exact::ZERO,
            taken: Exact::ZERO,
        }
    }
}

impl<'r> Evaluator<'r> {
    /// Every bonus and deduction item of `form`, in form order.
    pub(super) fn adjustments(
        &self,
        form: &'r Form,
        warnings: &mut Vec<Warning>,
    ) -> Result<Adjusted<'r>, EvalError> {
        let mut out = Adjusted::none();
        out.items.reserve(form.adjustments.len());
        // Items of a kind the rules lack (a base the variant adds bonuses to, compared by
        // `diff`): shown as not counted, one warning per kind however many there are.
        let mut ignored: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
        for (i, item) in form.adjustments.iter().enumerate() {
            if !self.rules.adjustments.iter().any(|r| r.kind == item.kind) {
                ignored[usize::from(item.kind == AdjustmentKind::Deduction)].push(&item.name.text);
                continue;
            }
            let rule = self.adjustment_rule(item)?;
            if let Some(first) = form.adjustments[..i]
                .iter()
                .find(|other| other.kind == item.kind && rule.is_named(&other.name.text))
            {
                return Err(EvalError::new(
                    Code::EvalDuplicateAdjustment,
                    self.form,
                    format!("{}「{}」填写了两次", item.kind.title(), rule.label()),
                )
                .label(first.name.span, "第一次")
                .label(item.name.span, "第二次")
                .help("同一项只写一个 [[bonus]] 或 [[deduction]] 表；多个问题或多次加分合计填入 value"));
            }
            let (outcome, exact) = self.adjustment(item, rule)?;
            let sum = match item.kind {
                AdjustmentKind::Bonus => &mut out.added,
                AdjustmentKind::Deduction => &mut out.taken,
            };
            *sum = sum
                .add(&exact)
                .map_err(|e| self.arith(e, item.span, item.kind.title()))?;
            out.items.push(outcome);
        }
        for (kind, names) in [AdjustmentKind::Bonus, AdjustmentKind::Deduction]
            .into_iter()
            .zip(ignored)
            .filter(|(_, names)| !names.is_empty())
        {
            warnings.push(Warning {
                code: Code::EvalAdjustmentIgnored,
                message: format!(
                    "规则「{}」没有{}，表单中的{}{}不计分",
                    self.rules.id(),
                    kind.title(),
                    kind.title(),
                    listed(&names)
                ),
                goal: None,
                indicator: None,
            });
        }
        Ok(out)
    }

    /// The most the rules' bonus items can add together: what 满分 shows as `+ 5 加分`.
    pub(super) fn bonus_max(&self) -> Exact {
        let mut max = Exact::ZERO;
        for r in &self.rules.adjustments {
            if r.kind == AdjustmentKind::Bonus {
                if let Some(w) = self.adjustment_weight(r) {
                    max = max.add(&w).unwrap_or(max);
                }
            }
        }
        max
    }

    fn adjustment_weight(&self, rule: &AdjustmentRule) -> Option<Exact> {
        match rule.weight.as_ref()?.eval(&|_| None, self.params) {
            Ok(Val::Num(n)) => Some(n),
            _ => None,
        }
    }

    /// The rule item a form's item names, by title or name, in its own table.
    fn adjustment_rule(&self, item: &Adjustment) -> Result<&'r AdjustmentRule, EvalError> {
        let rules = &self.rules.adjustments;
        let name = &*item.name.text;
        if let Some(rule) = rules
            .iter()
            .find(|r| r.kind == item.kind && r.is_named(name))
        {
            return Ok(rule);
        }
        let (label, help) = if let Some(other) = rules.iter().find(|r| r.is_named(name)) {
            (
                format!("规则中「{name}」是{}", other.kind.title()),
                format!("把这一项移到 [[{}]] 表中", other.kind.keyword()),
            )
        } else {
            let same: Vec<&str> = rules
                .iter()
                .filter(|r| r.kind == item.kind)
                .map(AdjustmentRule::label)
                .collect();
            let help = match did_you_mean(name, same.iter().copied()) {
                Some(near) => format!(
                    "是否想写「{near}」？name 须是规则中{}的名称",
                    item.kind.title()
                ),
                None => format!("规则中的{}有：{}", item.kind.title(), same.join("、")),
            };
            ("规则中没有这一项".to_owned(), help)
        };
        Err(EvalError::new(
            Code::EvalUnknownAdjustment,
            self.form,
            format!("规则中没有{}「{name}」", item.kind.title()),
        )
        .label(item.name.span, label)
        .help(help))
    }

    /// One item: its rule's guards, formula and cap, never below 0 nor above its weight,
    /// rounded as indicators are.
    fn adjustment(
        &self,
        item: &'r Adjustment,
        rule: &'r AdjustmentRule,
    ) -> Result<(AdjustmentOutcome<'r>, Exact), EvalError> {
        let weight = self.adjustment_weight(rule);
        let label = rule.label();
        let mut subject = Subject::new(
            weight.clone().unwrap_or(Exact::ZERO),
            [item.kind.title(), "", label, ""],
            &self.facts,
        );
        subject.set_num(Var::B, Exact::from(item.value.value));
        subject.set_text(Var::Kind, "number");
        let mut trace = Vec::new();
        self.note(&mut trace, || {
            let kind = StepKind::Adjustment {
                kind: item.kind,
                name: Cow::Borrowed(label),
                value: item.value.value,
                written: Cow::Borrowed(&item.raw),
                weight: weight.clone(),
            };
            self.cited(kind, rule.head)
        });
        let what = match item.kind {
            AdjustmentKind::Bonus => "加分项得分",
            AdjustmentKind::Deduction => "扣分项扣分",
        };
        let ctx = Ctx {
            span: item.value.span,
            what,
            values: Written {
                a: None,
                b: Some(item.value.span),
                weight: None,
            },
        };
        let within = || format!("{}「{label}」", item.kind.title());
        let mut raw = self
            .formula(&rule.formula, &subject, &ctx, &mut trace)
            .map_err(|e| e.within(within()))?;
        if raw < Exact::ZERO {
            return Err(EvalError::new(
                Code::EvalNegativeAdjustment,
                self.form,
                format!(
                    "{}「{label}」算得 {}，小于 0",
                    item.kind.title(),
                    show(&raw)
                ),
            )
            .label(item.value.span, "由这个数值算出")
            .help(match item.kind {
                AdjustmentKind::Bonus => {
                    "加分项的得分不能为负：核对表单的 value，或在规则中用 max(…, 0) 写明"
                }
                AdjustmentKind::Deduction => {
                    "扣分项算的是扣多少分，不能为负：公式写成扣分数（如 2 * B），不要写成负数"
                }
            })
            .rule(self.rules, rule.formula.score.span, "按这个公式"));
        }
        if let (Some(w), Some(at)) = (&weight, &rule.weight) {
            if raw > *w {
                self.note(&mut trace, || {
                    let kind = StepKind::Cap {
                        source: Cow::Borrowed("weight"),
                        cap: w.clone(),
                        from: raw.clone(),
                    };
                    self.cited(kind, at.span)
                });
                raw = w.clone();
            }
        }
        let (score, exact) = match self.rules.rounding.indicator {
            Some(r) => {
                let (s, exact) = self.rounded(&raw, r, item.value.span, what)?;
                if self.trace && exact != raw {
                    self.note_rounding(&mut trace, r, &raw, s);
                }
                (s, exact)
            }
            None => (self.shown(&raw, item.value.span, what)?, raw),
        };
        let outcome = AdjustmentOutcome {
            kind: item.kind,
            name: Cow::Borrowed(label),
            value: Cow::Borrowed(&item.raw),
            weight: match &weight {
                Some(w) => Some(self.shown(w, item.span, what)?),
                None => None,
            },
            score,
            reported: item.reported.map(|n| n.value),
            note: item.note.as_deref().map(Cow::Borrowed),
            trace,
        };
        Ok((outcome, exact))
    }

    /// The total after deductions, floored at 0 with a warning: deductions never make a
    /// total negative.
    pub(super) fn floored(&self, total: Exact, warnings: &mut Vec<Warning>) -> Exact {
        if total >= Exact::ZERO {
            return total;
        }
        warnings.push(Warning {
            code: Code::EvalTotalFloored,
            message: format!("扣分后总分为 {}，按 0 分计", show(&total)),
            goal: None,
            indicator: None,
        });
        Exact::ZERO
    }
}

/// `「创新加分」`, or `「甲」「乙」等 12 项` past the first five.
fn listed(names: &[&str]) -> String {
    let shown: String = names.iter().take(5).map(|n| format!("「{n}」")).collect();
    if names.len() > 5 {
        format!("{shown}等 {} 项", names.len())
    } else {
        shown
    }
}
