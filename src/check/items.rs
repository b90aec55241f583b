//! Items: one rule file's items compiled into a [`Draft`], on top of its base's draft
//! when the file `extends` another. Values of constants are not computed here (that is
//! `finalize`, which runs once all files and `--set` settings are known). Classes and
//! their bands are compiled in `classes.rs`, expressions in `types.rs`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::error::CheckError;
use super::ir::{CExpr, Calc, Cond, Ty};
use super::types::{BUDGET, CAP, CONST, OPTIONAL, Scope};
use super::{
    AggregateRule, BudgetRule, CapRule, ClassRule, Formula, GradeRule, GuardOutcome, GuardRule,
    OptionalRule, ParamDef, Rounding, RoundingRule, did_you_mean, nearest,
};
use crate::source::{Source, Span};
use crate::syntax::ast::{self, Clause, GuardResult, Item, RoundLevel};
use crate::text::quoted;

/// A rule set compiled but not finalised: constants are expressions still.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub(crate) sources: Vec<(usize, Source)>,
    pub(crate) id: String,
    /// The `rules "ID"` of the files it extends, directly or not, nearest last.
    pub(crate) bases: Vec<String>,
    pub(crate) title: Option<String>,
    pub(crate) params: Vec<ParamDef>,
    pub(crate) rounding: Rounding,
    pub(crate) budget: Option<BudgetRule>,
    pub(crate) aggregates: Vec<AggregateRule>,
    pub(crate) classes: Vec<ClassRule>,
    pub(crate) optionals: Vec<OptionalRule>,
    pub(crate) grades: Vec<GradeRule>,
    pub(crate) scale: Option<CExpr>,
    pub(crate) goal_cap: Option<CapRule>,
    pub(crate) total_cap: Option<CapRule>,
    pub(crate) adjustments: Vec<super::AdjustmentRule>,
    pub(crate) requires: Vec<super::RequireRule>,
    pub(crate) basis: Option<(String, Option<u32>)>,
    pub(crate) facts: Vec<super::FactDef>,
    pub(crate) tests: Vec<TestCase>,
    /// The compiled expressions that stand for ones in error, by global span
    /// ([`Checker::broken`]); empty for a file without errors.
    pub(crate) broken: Vec<Span>,
}

/// A `test` block, kept as written: `jixiao test` builds a form from it and scores it.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The file it is written in (spans in `block` are this file's).
    pub source: Source,
    /// The block.
    pub block: ast::TestBlock,
}

pub(crate) struct Checker<'s> {
    pub(super) source: &'s Source,
    /// Where this file's byte 0 lies in the rule set's global span space.
    base: usize,
    pub(super) errors: Vec<CheckError>,
    pub(super) param_index: HashMap<String, usize>,
    /// Parameters this file's expressions read.
    pub(super) used_params: HashSet<usize>,
    /// While compiling an override of parameter `i`: only parameters before it may be read.
    pub(super) param_limit: Option<usize>,
    pub(super) draft: Draft,
    /// Whether this file extends a base.
    pub(super) overlay: bool,
    /// Where each class of `draft.classes` is, by name.
    pub(super) class_index: HashMap<Arc<str>, usize>,
    /// The classes new in this file when it extends a base: they come before the base's,
    /// in file order, once the whole file is read.
    pub(super) new_classes: Vec<ClassRule>,
    /// Where each class of `new_classes` is, by name.
    pub(super) new_class_index: HashMap<Arc<str>, usize>,
    /// The tests of this file, by name, with the span of the name.
    tests_here: HashMap<String, Span>,
}

/// Compiles `file` on top of `base` (empty for a file that extends nothing): the draft,
/// as complete as the errors allow, and the errors (none when the file is right).
pub(crate) fn check_file(
    file: &ast::File,
    source: &Source,
    base: Option<Draft>,
) -> (Draft, Vec<CheckError>) {
    let overlay = base.is_some();
    let mut draft = base.unwrap_or_default();
    let offset = draft
        .sources
        .last()
        .map_or(0, |(b, s)| b + s.text().len() + 1);
    draft.sources.push((offset, source.clone()));
    let param_index = draft
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.clone(), i))
        .collect();
    let class_index = draft
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| (Arc::clone(&c.name), i))
        .collect();
    let mut c = Checker {
        source,
        base: offset,
        errors: Vec::new(),
        param_index,
        used_params: HashSet::new(),
        param_limit: None,
        draft,
        overlay,
        class_index,
        new_classes: Vec::new(),
        new_class_index: HashMap::new(),
        tests_here: HashMap::new(),
    };
    c.file(file);
    if !c.new_classes.is_empty() {
        // New classes of an overlay come first: they are its special cases.
        let mut classes = std::mem::take(&mut c.new_classes);
        classes.append(&mut c.draft.classes);
        c.draft.classes = classes;
    }
    (c.draft, c.errors)
}

impl Checker<'_> {
    /// A span of this file in the rule set's global span space.
    pub(super) fn g(&self, span: Span) -> Span {
        Span::new(span.start + self.base, span.end + self.base)
    }

    /// This file's span of a global span (for "first defined here" labels).
    pub(super) fn local(&self, span: Span) -> Option<Span> {
        let end = self.base + self.source.text().len();
        (span.start >= self.base && span.end <= end)
            .then(|| Span::new(span.start - self.base, span.end - self.base))
    }

    fn file(&mut self, file: &ast::File) {
        let base = std::mem::replace(&mut self.draft.id, file.header.id.value.clone());
        if !base.is_empty() {
            self.draft.bases.push(base);
        }
        if let Some(t) = &file.header.title {
            self.draft.title = Some(t.value.clone());
        }
        let new_params_from = self.draft.params.len();
        // Facts first: formulas anywhere in the file may read them.
        for item in &file.items {
            if let Item::Fact(f) = item {
                self.fact(f);
            }
        }
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let mut optional_seen = false;
        let mut rounding_seen = false;
        for item in &file.items {
            let single = match item {
                Item::Rounding(r) => Some((rounding_item(r.level), r.span)),
                Item::Budget(b) => Some(("预算执行规则 budget", b.keyword)),
                Item::Grades(g) => Some(("等级划分 grade", g.span)),
                Item::Scale(s) => Some(("目标分值折算 scale goals", s.span)),
                Item::Cap(c) => Some((cap_item(c.level), c.span)),
                Item::Basis(b) => Some(("依据 source", b.span)),
                Item::Require(r) => Some((
                    match r.what {
                        ast::Required::Goals(_) => "目标分值的要求 require goals",
                        ast::Required::Level1(_) => "一级指标分值的要求 require level1",
                    },
                    r.span,
                )),
                _ => None,
            };
            if let Some((what, span)) = single {
                if let Some(first) = seen.get(what) {
                    let first = *first;
                    self.duplicate(what, span, Some(first));
                    continue;
                }
                seen.insert(what, span);
            }
            match item {
                Item::Param(p) => self.param(p),
                Item::Rounding(r) => {
                    // A file's `round` lines replace its base's as a whole: an overlay
                    // that rounds only the total does not keep the base's rounding of
                    // each indicator.
                    if !std::mem::replace(&mut rounding_seen, true) {
                        self.draft.rounding = Rounding::default();
                    }
                    *self.draft.rounding.slot(r.level) = Some(RoundingRule {
                        places: r.places,
                        mode: r.mode,
                        level: r.level,
                        span: self.g(r.span),
                    });
                }
                Item::Budget(b) => self.budget(b),
                Item::Aggregate(a) => self.aggregate(a),
                Item::Class(cl) => self.class(cl),
                Item::Optional(o) => self.optional(o, &mut optional_seen),
                Item::Grades(g) => self.draft.grades = self.grades(g),
                Item::Scale(s) => {
                    self.draft.scale = Some(self.typed(&s.total, CONST, Ty::Num, "目标分值合计"))
                }
                Item::Cap(c) => self.cap(c),
                Item::Adjustment(a) => self.adjustment(a),
                Item::Require(r) => self.require(r),
                Item::Basis(b) => self.draft.basis = Some((b.document.value.clone(), b.year)),
                Item::Test(t) => self.test(t),
                Item::Fact(_) => {}
            }
        }
        if self.draft.budget.is_none() {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: file.header.span.into(),
                what: "预算执行规则 budget".into(),
                label: "这套规则没有 budget 项".into(),
                help:
                    "加上例如：\nbudget:\n    weight 20\n    score weight * B / A\n    cap weight"
                        .into(),
            });
        }
        if self.overlay {
            self.unused_new_params(new_params_from);
        }
    }

    /// `aggregate TARGET: METHOD`: once per file; a base's line for the same target is
    /// replaced.
    fn aggregate(&mut self, a: &ast::Aggregate) {
        let span = self.g(a.span);
        let existing = self
            .draft
            .aggregates
            .iter()
            .position(|x| x.target == a.target);
        match existing {
            Some(i) if self.local(self.draft.aggregates[i].span).is_some() => {
                let first = self.local(self.draft.aggregates[i].span);
                self.duplicate("汇总规则 aggregate", a.span, first);
            }
            Some(i) => {
                self.draft.aggregates[i] = AggregateRule {
                    target: a.target,
                    method: a.method,
                    span,
                };
            }
            None => self.draft.aggregates.push(AggregateRule {
                target: a.target,
                method: a.method,
                span,
            }),
        }
    }

    /// `optional when COND: ACTION`: the file's first replaces its base's.
    fn optional(&mut self, o: &ast::Optional, optional_seen: &mut bool) {
        if !*optional_seen {
            // A file's optional rules replace its base's.
            self.draft.optionals.clear();
            *optional_seen = true;
        }
        if let Some((when, action)) = &o.rule {
            let when = Cond::new(self.typed(when, OPTIONAL, Ty::Bool, "可选条件"));
            self.draft.optionals.push(OptionalRule {
                when,
                action: *action,
                span: self.g(o.span),
            });
        }
    }

    /// In a file that extends another, a parameter the base lacks is an addition only if
    /// this file uses it; otherwise it is most likely a misspelt override.
    fn unused_new_params(&mut self, from: usize) {
        for i in from..self.draft.params.len() {
            if self.used_params.contains(&i) {
                continue;
            }
            let p = &self.draft.params[i];
            let Some(span) = self.local(p.span) else {
                continue;
            };
            let base_names = || self.draft.params[..from].iter().map(|q| q.name.as_str());
            let suggestion = if self.reporting() {
                did_you_mean(&p.name, base_names())
            } else {
                None
            };
            let help = match suggestion {
                Some(s) => format!(
                    "是否想覆盖「{s}」？基础规则中没有「{}」，本文件也没有用到它",
                    p.name
                ),
                None if !self.reporting() => {
                    format!("基础规则中没有「{}」，本文件也没有用到它", p.name)
                }
                None => format!(
                    "基础规则中没有「{}」，本文件也没有用到它；可覆盖的参数：{}",
                    p.name,
                    nearest(&p.name, base_names()).unwrap_or_default()
                ),
            };
            self.errors.push(CheckError::UnknownOverride {
                src: self.source.named(),
                span: span.into(),
                what: format!("参数「{}」", p.name),
                help,
                fix: suggestion.map(str::to_owned),
            });
        }
    }

    /// Whether errors found now are still among those the file reports
    /// ([`crate::limits::MAX_DIAGNOSTICS`]): past them, an error is only counted, so its
    /// help need not compare names (which, for every error, would cost the square).
    pub(super) fn reporting(&self) -> bool {
        self.errors.len() < crate::limits::MAX_DIAGNOSTICS
    }

    pub(super) fn duplicate(&mut self, what: &str, span: Span, first: Option<Span>) {
        self.errors.push(CheckError::Duplicate {
            src: self.source.named(),
            span: span.into(),
            first: first.map(Into::into),
            what: what.to_owned(),
        });
    }

    /// Refuses a parameter's or fact's name that a built-in has (`weight`, `年度`):
    /// formulas would read the built-in, never it.
    pub(super) fn not_reserved(&mut self, name: &ast::Ident, what: &str) {
        let Some((builtin, meaning)) = super::types::reserved(&name.name) else {
            return;
        };
        let name_text = &name.name;
        // Another name in the same script: `weight_value`, `权重参数`.
        let other = if name_text.is_ascii() {
            format!("{name_text}_value")
        } else {
            format!("{name_text}{what}")
        };
        self.errors.push(CheckError::ReservedName {
            src: self.source.named(),
            span: name.span.into(),
            name: quoted(name_text),
            label: if matches!(builtin, "true" | "false") {
                format!("公式中的「{name_text}」总是{meaning}，读不到这个{what}")
            } else {
                format!("公式中的「{name_text}」总是指{meaning}，读不到这个{what}")
            },
            help: format!(
                "给{what}换一个不与内置名称重名的名称，例如「{other}」，并一起修改用到它的公式；内置名称有：{}",
                super::types::builtin_list()
            ),
        });
    }

    /// `cap goal at EXPR` or `cap total at EXPR` (a base's for the same level is
    /// replaced); `cap indicator at …` belongs in a class.
    fn cap(&mut self, c: &ast::CapItem) {
        let value = self.typed(&c.value, CAP, Ty::Num, "封顶分值");
        let rule = CapRule {
            value,
            span: self.g(c.span),
        };
        match c.level {
            RoundLevel::Goal => self.draft.goal_cap = Some(rule),
            RoundLevel::Total => self.draft.total_cap = Some(rule),
            RoundLevel::Indicator => self.misplaced(
                c.span,
                "指标的封顶不写作单独一项",
                "指标得分的封顶写在它的类别中，例如 `class positive for numbers:` 下的 `cap weight`；单独一项只能封顶目标（cap goal at weight）或总分（cap total at 100）",
            ),
        }
    }

    /// `require …`: replaces a base's requirement of the same kind.
    fn require(&mut self, r: &ast::Require) {
        let what = match &r.what {
            ast::Required::Goals(e) => {
                super::RequiredSum::Goals(self.typed(e, CONST, Ty::Num, "目标分值合计"))
            }
            ast::Required::Level1(parts) => {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                let mut out = Vec::with_capacity(parts.len());
                for (name, e) in parts {
                    if let Some(&first) = seen.get(name.value.as_str()) {
                        self.duplicate(
                            &format!("一级指标「{}」", name.value),
                            name.span,
                            Some(first),
                        );
                        continue;
                    }
                    seen.insert(&name.value, name.span);
                    out.push((
                        Arc::from(name.value.as_str()),
                        self.typed(e, CONST, Ty::Num, "分值合计"),
                    ));
                }
                super::RequiredSum::Level1(out)
            }
        };
        let rule = super::RequireRule {
            what,
            span: self.g(r.span),
        };
        self.draft
            .requires
            .retain(|old| !old.what.same_target(&rule.what));
        self.draft.requires.push(rule);
    }

    pub(super) fn misplaced(&mut self, span: Span, message: &str, help: &str) {
        self.errors.push(CheckError::Misplaced {
            src: self.source.named(),
            span: span.into(),
            message: message.to_owned(),
            help: help.to_owned(),
        });
    }

    fn param(&mut self, p: &ast::Param) {
        let span = self.g(p.name.span);
        self.not_reserved(&p.name, "参数");
        if let Some(f) = self.draft.facts.iter().find(|f| *f.name == *p.name.name) {
            let first = self.local(f.span);
            let what = format!("名称「{}」（已是表单信息）", p.name.name);
            self.duplicate(&what, p.name.span, first);
            return;
        }
        match self.param_index.get(&p.name.name).copied() {
            Some(i) if self.local(self.draft.params[i].span).is_some() => {
                let first = self.local(self.draft.params[i].span);
                self.duplicate(&format!("参数「{}」", p.name.name), p.name.span, first);
            }
            Some(i) => {
                // An override: it keeps its place, so it may read only earlier parameters,
                // and its kind, so that every formula reading it stays typed.
                self.param_limit = Some(i);
                let want = if self.draft.params[i].text {
                    Ty::Text
                } else {
                    Ty::Num
                };
                let expr = self.typed(&p.value, CONST, want, "覆盖的参数值");
                self.param_limit = None;
                self.draft.params[i] = ParamDef {
                    name: p.name.name.clone(),
                    span,
                    expr,
                    text: want == Ty::Text,
                };
            }
            None => {
                let (expr, text) = self.param_value(&p.value);
                self.param_index
                    .insert(p.name.name.clone(), self.draft.params.len());
                self.draft.params.push(ParamDef {
                    name: p.name.name.clone(),
                    span,
                    expr,
                    text,
                });
            }
        }
    }

    /// A new parameter's value: a number, or a text (`param 本级 = "省级"`), and whether
    /// it is a text.
    fn param_value(&mut self, e: &ast::Expr) -> (CExpr, bool) {
        let (c, ty) = self.expr(e, CONST);
        match ty {
            Ty::Num | Ty::Unknown => (c, false),
            Ty::Text => (c, true),
            other => {
                self.broken(c.span);
                self.errors.push(CheckError::TypeMismatch {
                    src: self.source.named(),
                    span: e.span.into(),
                    message: format!("参数值应为数值或文字，这里是{}", other.describe()),
                    label: format!("这是{}", other.describe()),
                    help: "参数写成数值（`param 满分 = 100`）或文字（`param 本级 = \"省级\"`）"
                        .to_owned(),
                });
                (c, false)
            }
        }
    }

    fn budget(&mut self, b: &ast::Budget) {
        let base = self.draft.budget.take();
        let mut weight = base.as_ref().map(|r| r.weight.clone());
        let mut weight_seen: Option<Span> = None;
        let parts = self.formula_parts(&b.clauses, BUDGET, |c, clause| match clause {
            Clause::Weight(e, span) => {
                if let Some(first) = weight_seen {
                    c.duplicate("分值 weight", *span, Some(first));
                } else {
                    weight_seen = Some(*span);
                    weight = Some(c.typed(e, CONST, Ty::Num, "分值"));
                }
            }
            Clause::Band(band) => c.misplaced(
                band.span,
                "预算执行规则中不能有档位 band",
                "档位只用于定性指标类别（class ... for text）",
            ),
            _ => {}
        });
        let formula = self.merge_formula(base.map(|r| r.formula), parts, "预算执行规则", b.keyword);
        let Some(weight) = weight else {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: b.keyword.into(),
                what: "预算执行分值 weight".into(),
                label: "budget 缺少 weight".into(),
                help: "在 budget: 下加一行，例如 `weight 20` 或 `weight budget_weight`".into(),
            });
            return;
        };
        if let Some(formula) = formula {
            self.draft.budget = Some(BudgetRule { weight, formula });
        }
    }

    /// The formula clauses (score, cap, guards) as written; other clauses go to `other`.
    pub(super) fn formula_parts(
        &mut self,
        clauses: &[Clause],
        scope: Scope,
        mut other: impl FnMut(&mut Self, &Clause),
    ) -> FormulaParts {
        let mut parts = FormulaParts::default();
        let mut score_at: Option<Span> = None;
        let mut cap_at: Option<Span> = None;
        for clause in clauses {
            match clause {
                Clause::Score(e, span) => {
                    if let Some(first) = score_at {
                        self.duplicate("公式 score", *span, Some(first));
                    } else {
                        score_at = Some(*span);
                        parts.score = Some(Calc::new(self.typed(e, scope, Ty::Num, "得分公式")));
                    }
                }
                Clause::Cap(e, span) => {
                    if let Some(first) = cap_at {
                        self.duplicate("上限 cap", *span, Some(first));
                    } else {
                        cap_at = Some(*span);
                        parts.cap = Some(Calc::new(self.typed(e, scope, Ty::Num, "上限")));
                    }
                }
                Clause::Guard(g) => {
                    let cond = Cond::new(self.typed(&g.cond, scope, Ty::Bool, "if 条件"));
                    let result = match &g.result {
                        GuardResult::Value(e) => GuardOutcome::Value(Calc::new(self.typed(
                            e,
                            scope,
                            Ty::Num,
                            "if 的得分",
                        ))),
                        GuardResult::Fail(s) => GuardOutcome::Fail(s.value.clone()),
                    };
                    parts.guards.get_or_insert_with(Vec::new).push(GuardRule {
                        cond,
                        key: guard_key(&g.cond),
                        result,
                        span: self.g(g.span),
                    });
                }
                Clause::Weight(..) | Clause::Band(_) => other(self, clause),
            }
        }
        parts
    }

    /// This file's parts over the base's formula: a `score` or `cap` given replaces the
    /// base's; guards merge one by one ([`merge_guards`]).
    pub(super) fn merge_formula(
        &mut self,
        base: Option<Formula>,
        parts: FormulaParts,
        what: &str,
        head: Span,
    ) -> Option<Formula> {
        let (base_guards, base_score, base_cap) = match base {
            Some(f) => (f.guards, Some(f.score), f.cap),
            None => (Vec::new(), None, None),
        };
        let Some(score) = parts.score.or(base_score) else {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: head.into(),
                what: format!("{what}的得分公式 score"),
                label: "没有 score".into(),
                help: "加一行得分公式，例如 `score weight * B / A`".into(),
            });
            return None;
        };
        Some(Formula {
            guards: merge_guards(base_guards, parts.guards.unwrap_or_default()),
            score,
            cap: parts.cap.or(base_cap),
        })
    }

    fn test(&mut self, t: &ast::TestBlock) {
        if let Some(&first) = self.tests_here.get(&t.name.value) {
            self.duplicate(
                &format!("测试「{}」", t.name.value),
                t.name.span,
                Some(first),
            );
            return;
        }
        self.tests_here.insert(t.name.value.clone(), t.name.span);
        let has_expectation = t.clauses.iter().any(|c| {
            matches!(
                c,
                ast::TestClause::Expect { .. }
                    | ast::TestClause::Indicator {
                        expect: Some(_),
                        ..
                    }
            )
        });
        if !has_expectation {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: t.name.span.into(),
                what: format!("测试「{}」的期望结果", t.name.value),
                label: "这个测试没有 expect".into(),
                help: "在指标后写 `expect 1.96`，或加一行 `expect total 96.53`、`expect grade 优`"
                    .into(),
            });
        }
        let has_form = t
            .clauses
            .iter()
            .any(|c| matches!(c, ast::TestClause::Form(_)));
        let has_inline = t.clauses.iter().any(|c| {
            matches!(
                c,
                ast::TestClause::Indicator { .. } | ast::TestClause::Budget { .. }
            )
        });
        if has_form && has_inline {
            self.misplaced(
                t.name.span,
                "测试不能同时引用表单文件（form）又写指标（indicator、budget）",
                "二选一：引用一份表单文件，或逐项写出指标",
            );
        }
        self.draft.tests.push(TestCase {
            source: self.source.clone(),
            block: t.clone(),
        });
    }

    fn grades(&mut self, g: &ast::Grades) -> Vec<GradeRule> {
        let mut out: Vec<GradeRule> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let last = g.bands.len().saturating_sub(1);
        for (i, band) in g.bands.iter().enumerate() {
            if let Some(first) = seen.get(band.name.value.as_str()) {
                let first = *first;
                self.duplicate(
                    &format!("等级「{}」", band.name.value),
                    band.name.span,
                    Some(first),
                );
            }
            seen.insert(&band.name.value, band.name.span);
            let message = match (&band.threshold, i == last) {
                (None, false) => Some(format!("「{}」没有分数线，却不是最后一级", band.name.value)),
                (Some(_), true) => Some(format!(
                    "最后一级「{}」不应有分数线：低于它的总分将没有等级",
                    band.name.value
                )),
                _ => None,
            };
            if let Some(message) = message {
                self.errors.push(CheckError::GradeOrder {
                    src: self.source.named(),
                    span: band.span.into(),
                    message,
                });
            }
            let threshold = band
                .threshold
                .as_ref()
                .map(|(inclusive, e)| (self.typed(e, CONST, Ty::Num, "等级分数线"), *inclusive));
            out.push(GradeRule {
                name: band.name.value.clone(),
                threshold,
                min: None,
                span: self.g(band.span),
            });
        }
        out
    }
}

/// An overlay's guards over its base's: a guard whose condition is the base's (the same
/// [`guard_key`], whatever the keyword language or spacing) takes its place; the others
/// follow the base's, in the overlay's order. So an overlay that adds
/// `if B > 2 * A: 0` keeps the base's `if A == 0: weight`, tried first as before; one that
/// writes `if A == 0: 0` changes what that case gives.
fn merge_guards(base: Vec<GuardRule>, mut overlay: Vec<GuardRule>) -> Vec<GuardRule> {
    let mut merged: Vec<GuardRule> = base
        .into_iter()
        .map(|b| match overlay.iter().position(|o| o.key == b.key) {
            Some(i) => overlay.remove(i),
            None => b,
        })
        .collect();
    merged.append(&mut overlay);
    merged
}

/// A guard's condition in canonical form: English keywords, built-ins by their English
/// name (`目标值` → `A`), numbers normalised (`0.50` → `0.5`), minimal parentheses.
fn guard_key(cond: &ast::Expr) -> String {
    let english = |name: &str| crate::syntax::vocabulary::builtin(name).map(|w| w.en);
    let style = crate::syntax::print::Style {
        rename: Some(&english),
        ..Default::default()
    };
    crate::syntax::print::Styled(cond, style).to_string()
}

/// What one file says of a formula; `None` parts are inherited.
#[derive(Default)]
pub(super) struct FormulaParts {
    score: Option<Calc>,
    cap: Option<Calc>,
    guards: Option<Vec<GuardRule>>,
}

/// What a `round` line at `level` is called in a duplicate's diagnostic: one line per
/// level is allowed.
fn rounding_item(level: RoundLevel) -> &'static str {
    match level {
        RoundLevel::Indicator => "指标的舍入规则 round … at indicator",
        RoundLevel::Goal => "目标的舍入规则 round … at goal",
        RoundLevel::Total => "总分的舍入规则 round … at total",
    }
}

/// What a `cap … at` item is called in a duplicate's diagnostic.
fn cap_item(level: RoundLevel) -> &'static str {
    match level {
        RoundLevel::Indicator => "指标的封顶 cap indicator",
        RoundLevel::Goal => "目标的封顶 cap goal",
        RoundLevel::Total => "总分的封顶 cap total",
    }
}
