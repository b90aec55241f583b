//! `fact NAME: TYPE [in [...]]`: the form's facts the rules read (`单位类型`, `级次`),
//! declared before anything else of the file is compiled, so that a formula anywhere in
//! it may read one.
//!
//! Input: a file's `fact` items. Output: [`FactDef`]s in the draft (an overlay's
//! declaration of a base's fact replaces it), or errors: a name a built-in or a parameter
//! has, a fact declared twice in one file, values listed for a number. Invariant: a fact's
//! name is the form's key under `[form]`, and no parameter has it.

use std::sync::Arc;

use super::FactDef;
use super::items::Checker;
use crate::syntax::ast::{self, FactType};

impl Checker<'_> {
    pub(super) fn fact(&mut self, f: &ast::Fact) {
        let name = &f.name.name;
        self.not_reserved(&f.name, "表单信息");
        if let Some(&i) = self.param_index.get(name) {
            let first = self.local(self.draft.params[i].span);
            self.duplicate(&format!("名称「{name}」（已是参数）"), f.name.span, first);
            return;
        }
        if f.ty == FactType::Number && !f.values.is_empty() {
            self.misplaced(
                f.values[0].span,
                "数值型的表单信息不能列出取值",
                "取值列表只用于文字型的表单信息，如 `fact 单位类型: text in [\"行政单位\", \"事业单位\"]`；数值型的写 `fact 级次: number`，取值范围在公式中判断",
            );
        }
        let def = FactDef {
            name: Arc::from(name.as_str()),
            ty: f.ty,
            values: f.values.iter().map(|v| v.value.clone()).collect(),
            span: self.g(f.span),
        };
        match self.draft.facts.iter().position(|d| *d.name == **name) {
            Some(i) if self.local(self.draft.facts[i].span).is_some() => {
                let first = self.local(self.draft.facts[i].span);
                self.duplicate(&format!("表单信息「{name}」"), f.name.span, first);
            }
            // An overlay's declaration replaces its base's.
            Some(i) => self.draft.facts[i] = def,
            None => self.draft.facts.push(def),
        }
    }
}
