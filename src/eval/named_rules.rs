//! The rule set a form names (`[form] rules = "national-project-2020"`) against the one
//! scoring it.
//!
//! Input: the form and the compiled rules. Output: a `jixiao::eval::other_rules` warning
//! when the form names a set that the rules neither are nor extend, so that a project
//! form scored under a department-wide scheme (whose weights and classes it does not
//! follow) is never a quiet result. Invariant: it never changes a score; a variant of
//! the named set (`extends "hubei-2021"`, a what-if) fits it.

use crate::code::Code;
use crate::form::Form;

use super::{Evaluator, Warning};

impl Evaluator<'_> {
    /// A warning when the form names rules these are not, nor extend.
    pub(super) fn named_rules(&self, form: &Form, warnings: &mut Vec<Warning>) {
        let Some(named) = &form.rules else {
            return;
        };
        if self.rules.is_or_extends(&named.text) {
            return;
        }
        let used = match self.rules.title() {
            Some(title) => format!("「{}」（{title}）", self.rules.id()),
            None => format!("「{}」", self.rules.id()),
        };
        warnings.push(Warning {
            code: Code::EvalOtherRules,
            message: format!(
                "表单注明按规则「{}」计分，本次用的是{used}：得分可能与规定不符；请换用表单注明的规则，或改正表单 [form] 的 rules",
                named.text
            ),
            goal: None,
            indicator: None,
        });
    }
}
