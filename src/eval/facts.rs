//! The form's facts that rules declare (`fact 单位类型: text in ["行政单位", "事业单位"]`):
//! checked once per form against their declarations, and the error when a formula reads
//! one the form does not state.
//!
//! Input: the rules' `fact` items and the form's `[form]` facts. Output: nothing, or the
//! first fact of the wrong kind or outside its listed values ([`Code::EvalFactValue`]);
//! a fact the rules declare but the form lacks is an error only where a formula reads it
//! ([`Code::EvalMissingFact`]), so a condition such as `year >= 2022 and 单位类型 == …`
//! never needs it for an older form.

use super::{EvalError, Evaluator};
use crate::check::FactDef;
use crate::code::Code;
use crate::form::{Fact, FactValue, Form};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::FactType;
use crate::text::quoted;

impl Evaluator<'_> {
    /// Every declared fact the form states, against its declaration.
    pub(super) fn check_facts(&self, form: &Form) -> Result<(), EvalError> {
        for def in &self.rules.facts {
            let Some(fact) = form.facts.iter().find(|f| *f.name.text == *def.name) else {
                continue;
            };
            let wrong = match (&fact.value, def.ty) {
                (FactValue::Number(_), FactType::Text) => Some("规则要求写成文字".to_owned()),
                (FactValue::Text(_), FactType::Number) => Some(format!(
                    "规则要求写成数字，不加引号，如 {} = 2",
                    key(&def.name)
                )),
                (FactValue::Text(t), FactType::Text)
                    if !def.values.is_empty() && !def.values.iter().any(|v| **v == **t) =>
                {
                    let mut help = format!("可填的值：{}", def.values.join("、"));
                    if let Some(near) = did_you_mean(t, def.values.iter().map(String::as_str)) {
                        help = format!("是否想写「{near}」？{help}");
                    }
                    Some(help)
                }
                _ => None,
            };
            if let Some(help) = wrong {
                return Err(self.fact_error(fact, def, help));
            }
        }
        Ok(())
    }

    fn fact_error(&self, fact: &Fact, def: &FactDef, help: String) -> EvalError {
        let shown = match &fact.value {
            FactValue::Number(n) => n.to_string(),
            FactValue::Text(t) => quoted(t),
        };
        EvalError::new(
            Code::EvalFactValue,
            self.form,
            format!("表单信息「{}」的值{shown}不符合规则的声明", def.name),
        )
        .label(fact.span, "这个值")
        .help(help)
        .rule(self.rules, def.span, "规则在这里声明它")
    }

    /// A formula (of `what`, at `span` in the form) read the fact at `rule_span` in the
    /// rules, and the form does not state it.
    #[cold]
    pub(super) fn missing_fact(&self, what: &str, span: Span, rule_span: Span) -> EvalError {
        let name = self.rules.slice(rule_span).trim();
        let def = self.rules.facts.iter().find(|d| *d.name == *name);
        let example = match def {
            Some(d) if d.ty == FactType::Number => "2".to_owned(),
            Some(d) => d
                .values
                .first()
                .map_or_else(|| "\"…\"".to_owned(), |v| format!("\"{v}\"")),
            None => "\"…\"".to_owned(),
        };
        let mut help =
            format!("在表单开头的 [form] 中填写 \"{name}\" = {example}（中文键名要加英文双引号）");
        if let Some(d) = def.filter(|d| !d.values.is_empty()) {
            help.push_str(&format!("；可填的值：{}", d.values.join("、")));
        }
        let stated = self.facts.list.iter().map(|f| &*f.name.text);
        if let Some(near) = did_you_mean(name, stated) {
            help = format!("表单中有「{near}」，是否写错了键名？\n{help}");
        }
        EvalError::new(
            Code::EvalMissingFact,
            self.form,
            format!("计算{what}时要用表单信息「{name}」，但表单没有填写"),
        )
        .label(span, "这一项")
        .help(help)
        .rule(self.rules, rule_span, "规则在这里读取它")
    }
}

/// `"单位类型"` as a TOML key: quoted unless it is a bare key.
fn key(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_owned()
    } else {
        format!("\"{name}\"")
    }
}
