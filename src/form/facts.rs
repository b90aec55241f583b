//! The facts a form states of itself under `[form]` beyond the keys every form has
//! (`"单位类型" = "行政单位"`, `"级次" = 2`), for rules that declare them (`fact …`).
//!
//! Input: `[form]`'s other keys as serde read them (`RawMeta::facts`). Output: a
//! [`Fact`] for each: a TOML number read exactly, or a string trimmed; an empty string is
//! no fact. Anything else (a date, a table, a list, true/false) is an error, as is a
//! character that cannot be seen. Whether the rules read a fact, and as what, is the
//! evaluator's to check: a form may carry facts for several rule sets.

use toml::Spanned;

use super::error::FormError;
use super::float::float_literal;
use super::keys::type_name;
use super::load::Loader;
use super::raw::{RawValue, span_of};
use super::{Fact, FactValue, Text};
use crate::source::Span;
use crate::text::quoted;

/// How a fact is written, for help lines.
const FACT_HELP: &str = "表单信息写成文字或数字，如 \"单位类型\" = \"行政单位\"、\"级次\" = 2（中文键名要加英文双引号）";

impl Loader<'_> {
    pub(super) fn facts(&mut self, raw: &[(Spanned<String>, RawValue)]) -> Vec<Fact> {
        raw.iter()
            .filter_map(|(key, v)| self.fact(key, v))
            .collect()
    }

    fn fact(&mut self, key: &Spanned<String>, v: &RawValue) -> Option<Fact> {
        let name_span = Span::from(key.span());
        let what = format!("表单信息{}", quoted(key.get_ref()));
        self.visible(key.get_ref(), name_span, "键名").ok()?;
        let span = span_of(v);
        let raw = self.written(v);
        let value = match v.get_ref() {
            toml::Value::String(_) if raw.is_empty() => return None,
            toml::Value::String(_) => {
                self.visible(raw, span, &what).ok()?;
                FactValue::Text(raw.into())
            }
            &toml::Value::Integer(i) => FactValue::Number(i.into()),
            toml::Value::Float(_) => match float_literal(raw) {
                Ok(d) => FactValue::Number(d),
                Err(problem) => {
                    self.float_problem(problem, &what, raw, span, FACT_HELP);
                    return None;
                }
            },
            other => {
                let src = self.src();
                self.push(FormError::Toml {
                    message: format!(
                        "{what}的类型不对：应为文字或数字，实际是{}",
                        type_name(other)
                    ),
                    help: FACT_HELP.to_owned(),
                    label: "类型不对".to_owned(),
                    span: Some(span.into()),
                    src,
                });
                return None;
            }
        };
        Some(Fact {
            name: Text {
                text: key.get_ref().trim().into(),
                span: name_span,
            },
            value,
            span,
        })
    }
}
