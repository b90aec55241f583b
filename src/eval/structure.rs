//! The structure a scheme fixes (`require goals: 80`, `require level1: "产出指标" 50, …`):
//! the form's points checked against it before scoring goes on.
//!
//! Input: the form's goal and indicator points (as the form gives them, before any
//! scaling) and the rules' `require` items. Output: a warning per sum that differs, citing
//! the rule line, so that `score` shows it beside the result and `jixiao check RULES FORM`
//! reports it. Invariant: a requirement never changes a score.

use crate::check::RequiredSum;
use crate::code::Code;
use crate::form::Form;
use crate::num::{self, Exact};

use super::cap::show;
use super::{Evaluator, Val, Warning};

impl Evaluator<'_> {
    /// A warning for each `require` the form's points do not meet.
    pub(super) fn structure(&self, form: &Form, warnings: &mut Vec<Warning>) {
        for rule in &self.rules.requires {
            let cite = self.cite(rule.span);
            match &rule.what {
                RequiredSum::Goals(want) => {
                    let have = sum(form.goals.iter().map(|g| g.weight.value));
                    self.compare(
                        "各年度目标的分值合计".to_owned(),
                        have,
                        want,
                        &cite,
                        warnings,
                    );
                }
                RequiredSum::Level1(parts) => {
                    for (name, want) in parts {
                        let have = sum(form
                            .goals
                            .iter()
                            .flat_map(|g| &g.indicators)
                            .filter(|i| *i.level1.text == **name)
                            .map(|i| i.weight.value));
                        let what = format!("一级指标「{name}」的分值合计");
                        self.compare(what, have, want, &cite, warnings);
                    }
                }
            }
        }
    }

    fn compare(
        &self,
        what: String,
        have: Option<Exact>,
        want: &crate::check::CExpr,
        cite: &str,
        warnings: &mut Vec<Warning>,
    ) {
        let (Some(have), Ok(Val::Num(want))) = (have, want.eval(&|_| None, self.params)) else {
            return;
        };
        if have != want {
            warnings.push(Warning {
                code: Code::EvalStructure,
                message: format!("{what} {}，规则要求 {}（{cite}）", show(&have), show(&want)),
                goal: None,
                indicator: None,
            });
        }
    }
}

/// The exact sum of `weights`; `None` if it overflows.
fn sum(weights: impl Iterator<Item = rust_decimal::Decimal> + Clone) -> Option<Exact> {
    num::sum(weights).ok().map(Exact::from)
}
