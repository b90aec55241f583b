//! Classes (`class NAME for numbers|text when COND:`): compiled from one file's items,
//! new or overriding the base's class of that name, with their bands (档位).
//!
//! Input: the class as parsed. Output: a [`ClassRule`] in the draft, or the errors that
//! refused it. Invariant: an override keeps its base's kind; what it leaves out (title,
//! `when`, formula parts, bands) is the base's.

use std::collections::HashMap;
use std::sync::Arc;

use super::error::CheckError;
use super::ir::{Cond, Ty, Var};
use super::items::Checker;
use super::types::{CONST, NUMBERS, TEXT_SCORE, TEXT_WHEN};
use super::{BandRule, ClassRule, Formula, GuardOutcome, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{self, ClassKind, Clause};

/// Where a class of the rule set being compiled is.
#[derive(Clone, Copy)]
enum ClassAt {
    /// In `draft.classes`: the base's, or this file's when it extends none.
    Draft(usize),
    /// In `new_classes`.
    New(usize),
}

impl Checker<'_> {
    fn class_at(&self, at: ClassAt) -> &ClassRule {
        match at {
            ClassAt::Draft(i) => &self.draft.classes[i],
            ClassAt::New(i) => &self.new_classes[i],
        }
    }

    /// A class: new, or overriding the base's class of that name (what it leaves out is
    /// the base's).
    // A little over 80 lines: the checks of a class header and its clauses, in the order
    // a reader meets them in the file.
    pub(super) fn class(&mut self, cl: &ast::Class) {
        let Some((existing, base)) = self.class_base(cl) else {
            return;
        };
        let Some(kind) = self.class_kind(cl, base.as_ref()) else {
            return;
        };
        let (when_scope, score_scope) = match kind {
            ClassKind::Numbers => (NUMBERS, NUMBERS),
            ClassKind::Text => (TEXT_WHEN, TEXT_SCORE),
        };
        let when = cl
            .when
            .as_ref()
            .map(|w| Cond::new(self.typed(w, when_scope, Ty::Bool, "类别条件")));
        let mut bands: Vec<BandRule> = base.as_ref().map(|b| b.bands.clone()).unwrap_or_default();
        let mut band_index: HashMap<String, usize> = bands
            .iter()
            .enumerate()
            .map(|(i, b)| (b.name.clone(), i))
            .collect();
        let mut named_here: HashMap<String, Span> = HashMap::new();
        let parts = self.formula_parts(&cl.clauses, score_scope, |c, clause| match clause {
            Clause::Weight(_, span) => c.misplaced(
                *span,
                "指标类别中不能写 weight",
                "指标的分值来自表单中每个指标的 weight；在公式中直接用 `weight`",
            ),
            Clause::Band(b) => {
                if kind == ClassKind::Numbers {
                    c.misplaced(
                        b.span,
                        "定量指标类别中不能有档位 band",
                        "档位只用于定性指标类别：把类别写成 `class 名称 for text:`",
                    );
                } else if let Some(first) = named_here.get(&b.name.value) {
                    let first = *first;
                    c.duplicate(
                        &format!("档位「{}」", b.name.value),
                        b.name.span,
                        Some(first),
                    );
                } else {
                    named_here.insert(b.name.value.clone(), b.name.span);
                    let rule = c.band(b);
                    match band_index.get(&rule.name) {
                        Some(&i) => bands[i] = rule,
                        None => {
                            band_index.insert(rule.name.clone(), bands.len());
                            bands.push(rule);
                        }
                    }
                }
            }
            _ => {}
        });
        let what = format!("类别「{}」", cl.name.name);
        let Some(formula) = self.merge_formula(
            base.as_ref().map(|b| b.formula.clone()),
            parts,
            &what,
            cl.head,
        ) else {
            return;
        };
        let uses_rate = reads_rate(&formula);
        let rule = ClassRule {
            name: Arc::from(cl.name.name.as_str()),
            title: cl
                .title
                .as_ref()
                .map(|t| Arc::from(t.value.as_str()))
                .or_else(|| base.as_ref().and_then(|b| b.title.clone())),
            kind,
            when: when.or_else(|| base.as_ref().and_then(|b| b.when.clone())),
            formula,
            bands,
            uses_rate,
            head: self.g(cl.head),
        };
        self.store_class(existing, rule);
    }

    /// Where the class's name is already defined, and the base's class it overrides;
    /// `None` when it may not be defined here (twice in one file, or a near miss of a
    /// base's class in a file that extends it).
    fn class_base(&mut self, cl: &ast::Class) -> Option<(Option<ClassAt>, Option<ClassRule>)> {
        let name = cl.name.name.as_str();
        let existing = match self.new_class_index.get(name) {
            Some(&i) => Some(ClassAt::New(i)),
            None => self.class_index.get(name).map(|&i| ClassAt::Draft(i)),
        };
        if let Some(at) = existing {
            if let Some(first) = self.local(self.class_at(at).head) {
                self.duplicate(
                    &format!("类别「{}」", cl.name.name),
                    cl.name.span,
                    Some(first),
                );
                return None;
            }
        }
        let base = existing.map(|at| self.class_at(at).clone());
        if base.is_none() && self.overlay {
            let names = self.draft.classes.iter().map(|c| &*c.name);
            if let Some(near) = did_you_mean(&cl.name.name, names) {
                self.errors.push(CheckError::UnknownOverride {
                    src: self.source.named(),
                    span: cl.name.span.into(),
                    what: format!("类别「{}」", cl.name.name),
                    help: format!(
                        "是否想覆盖「{near}」？新类别须与基础规则的类别名称明显不同（新类别排在基础规则的类别之前）"
                    ),
                    fix: Some(near.to_owned()),
                });
                return None;
            }
        }
        Some((existing, base))
    }

    /// The kind of value the class scores: as written, else its base's; an override may
    /// not change it.
    fn class_kind(&mut self, cl: &ast::Class, base: Option<&ClassRule>) -> Option<ClassKind> {
        let kind = match (cl.kind, base) {
            (Some(k), Some(b)) if k != b.kind => {
                self.misplaced(
                    cl.head,
                    "覆盖类别时不能改变它所计分的值的种类（numbers / text）",
                    "另起一个新名称的类别，或去掉 for 部分",
                );
                return None;
            }
            (Some(k), _) => k,
            (None, Some(b)) => b.kind,
            (None, None) => {
                self.errors.push(CheckError::Missing {
                    src: self.source.named(),
                    span: cl.head.into(),
                    what: format!("类别「{}」的值种类", cl.name.name),
                    label: "缺少 for numbers 或 for text".into(),
                    help: format!(
                        "写成 `class {} for numbers:` 或 `class {} for text:`",
                        cl.name.name, cl.name.name
                    ),
                });
                return None;
            }
        };
        Some(kind)
    }

    /// A class compiled, put in its place: over the class of its name, else last of the
    /// classes so far (in a file that extends another, of its new classes, which go
    /// before the base's).
    fn store_class(&mut self, existing: Option<ClassAt>, rule: ClassRule) {
        match existing {
            Some(ClassAt::Draft(i)) => self.draft.classes[i] = rule,
            Some(ClassAt::New(i)) => self.new_classes[i] = rule,
            None if self.overlay => {
                self.new_class_index
                    .insert(Arc::clone(&rule.name), self.new_classes.len());
                self.new_classes.push(rule);
            }
            None => {
                self.class_index
                    .insert(Arc::clone(&rule.name), self.draft.classes.len());
                self.draft.classes.push(rule);
            }
        }
    }

    fn band(&mut self, b: &ast::Band) -> BandRule {
        let lo = self.typed(&b.lo.value, CONST, Ty::Num, "档位下限");
        let hi = self.typed(&b.hi.value, CONST, Ty::Num, "档位上限");
        let default = b
            .default
            .as_ref()
            .map(|d| self.typed(d, CONST, Ty::Num, "默认得分率"));
        let when = b
            .when
            .as_ref()
            .map(|w| Cond::new(self.typed(w, TEXT_WHEN, Ty::Bool, "档位条件")));
        if when.is_some() && default.is_none() {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: b.span.into(),
                what: format!("档位「{}」的默认得分率 default", b.name.value),
                label: "有 when 条件的档位须给出 default".into(),
                help: "条件成立时表单不必给出得分率，所以须写明按多少计，例如 `default 100%`"
                    .into(),
            });
        }
        BandRule {
            name: b.name.value.clone(),
            lo_expr: lo,
            hi_expr: hi,
            default_expr: default,
            lo: rust_decimal::Decimal::ZERO,
            lo_inclusive: b.lo.inclusive,
            hi: rust_decimal::Decimal::ZERO,
            hi_inclusive: b.hi.inclusive,
            default: None,
            when,
            span: self.g(b.range),
        }
    }
}

/// Whether a formula reads `rate`, so that a rate must be established first.
fn reads_rate(formula: &Formula) -> bool {
    formula.score.uses(Var::Rate)
        || formula.cap.as_ref().is_some_and(|c| c.uses(Var::Rate))
        || formula.guards.iter().any(|g| {
            g.cond.uses(Var::Rate)
                || matches!(&g.result, GuardOutcome::Value(v) if v.uses(Var::Rate))
        })
}
