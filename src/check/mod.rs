//! Check: AST → compiled [`Rules`].
//!
//! Input: a parsed [`ast::File`] and its [`Source`]. Output: [`Rules`], immutable and
//! ready to evaluate any number of forms, or [`CheckErrors`] holding every problem found
//! (not just the first). Invariants of a `Rules`: every name is resolved, every
//! expression has the type its place needs, constants (parameters, band ranges and
//! defaults, grade thresholds) are computed, bands of a class neither overlap nor leave a
//! gap, grades descend, a budget rule and a score for every class exist.

mod error;
pub(crate) mod expr;

use std::collections::HashMap;

use rust_decimal::Decimal;

pub use error::{CheckError, CheckErrors, RulesError};
pub(crate) use expr::{CExpr, CKind, ExprError, Val, Var};

use crate::num;
use crate::source::{Source, Span};
use crate::syntax::ast::{
    self, AggMethod, AggTarget, BinOp, ClassKind, Clause, ExprKind, GuardResult, Item,
    OptionalAction, RoundLevel, RoundMode, UnOp,
};
use expr::Ty;

/// A compiled rule set.
#[derive(Debug, Clone)]
pub struct Rules {
    pub(crate) source: Source,
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) params: Vec<ParamDef>,
    /// The parameters' values, indexed like `params` (what `CKind::Param` reads).
    pub(crate) param_values: Vec<Decimal>,
    pub(crate) rounding: Option<RoundingRule>,
    pub(crate) budget: BudgetRule,
    pub(crate) aggregates: Vec<AggregateRule>,
    pub(crate) classes: Vec<ClassRule>,
    pub(crate) optionals: Vec<OptionalRule>,
    pub(crate) grades: Vec<GradeRule>,
}

impl Rules {
    /// The rule set's short name (`hubei-2021`).
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The rule set's title, if it has one.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The declared parameters with their values, in file order.
    pub fn params(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.params
            .iter()
            .map(|p| p.name.as_str())
            .zip(self.param_values.iter().copied())
    }

    /// The rule file.
    #[must_use]
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The grade for a total, by the `grade` bands; `None` when the rules set none.
    #[must_use]
    pub fn grade(&self, total: Decimal) -> Option<&str> {
        self.grades
            .iter()
            .find(|g| match g.min {
                None => true,
                Some((t, true)) => total >= t,
                Some((t, false)) => total > t,
            })
            .map(|g| g.name.as_str())
    }

    pub(crate) fn aggregate(&self, target: AggTarget) -> Option<&AggregateRule> {
        self.aggregates.iter().find(|a| a.target == target)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ParamDef {
    pub(crate) name: String,
    pub(crate) span: Span,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RoundingRule {
    pub(crate) places: u32,
    pub(crate) mode: RoundMode,
    pub(crate) level: RoundLevel,
    pub(crate) span: Span,
}

/// A score formula: guards first, then the formula, then the cap.
#[derive(Debug, Clone)]
pub(crate) struct Formula {
    pub(crate) guards: Vec<GuardRule>,
    pub(crate) score: CExpr,
    pub(crate) cap: Option<CExpr>,
}

#[derive(Debug, Clone)]
pub(crate) struct GuardRule {
    pub(crate) cond: CExpr,
    pub(crate) result: GuardOutcome,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) enum GuardOutcome {
    Value(CExpr),
    Fail(String),
}

#[derive(Debug, Clone)]
pub(crate) struct BudgetRule {
    pub(crate) weight: CExpr,
    pub(crate) formula: Formula,
}

#[derive(Debug, Clone)]
pub(crate) struct AggregateRule {
    pub(crate) target: AggTarget,
    pub(crate) method: AggMethod,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct ClassRule {
    pub(crate) name: String,
    pub(crate) title: Option<String>,
    pub(crate) kind: ClassKind,
    pub(crate) when: Option<CExpr>,
    pub(crate) formula: Formula,
    pub(crate) bands: Vec<BandRule>,
    /// Whether the formula reads `rate`, so a rate must be established first.
    pub(crate) uses_rate: bool,
    pub(crate) head: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct BandRule {
    pub(crate) name: String,
    pub(crate) lo: Decimal,
    pub(crate) lo_inclusive: bool,
    pub(crate) hi: Decimal,
    pub(crate) hi_inclusive: bool,
    pub(crate) default: Option<Decimal>,
    pub(crate) when: Option<CExpr>,
    pub(crate) span: Span,
}

impl BandRule {
    pub(crate) fn contains(&self, rate: Decimal) -> bool {
        let above = if self.lo_inclusive {
            rate >= self.lo
        } else {
            rate > self.lo
        };
        let below = if self.hi_inclusive {
            rate <= self.hi
        } else {
            rate < self.hi
        };
        above && below
    }

    /// `[80%, 100%]` as written.
    pub(crate) fn range_text(&self) -> String {
        format!(
            "{}{}, {}{}",
            if self.lo_inclusive { "[" } else { "(" },
            percent(self.lo),
            percent(self.hi),
            if self.hi_inclusive { "]" } else { ")" }
        )
    }
}

/// `0.8` → `80%`.
pub(crate) fn percent(x: Decimal) -> String {
    format!("{}%", num::show(x * Decimal::ONE_HUNDRED))
}

#[derive(Debug, Clone)]
pub(crate) struct OptionalRule {
    pub(crate) when: CExpr,
    pub(crate) action: OptionalAction,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct GradeRule {
    pub(crate) name: String,
    /// Threshold and whether it is inclusive (`>=`).
    pub(crate) min: Option<(Decimal, bool)>,
}

/// Parses and checks a rule file.
///
/// # Errors
/// A [`RulesError`]: the first syntax error, or every meaning error found.
pub fn compile(source: &Source) -> Result<Rules, RulesError> {
    let file = crate::syntax::parse(source)?;
    Ok(check(&file, source)?)
}

/// Checks a parsed rule file.
///
/// # Errors
/// [`CheckErrors`] with every problem found, in file order.
pub fn check(file: &ast::File, source: &Source) -> Result<Rules, CheckErrors> {
    let mut c = Checker {
        source,
        errors: Vec::new(),
        params: Vec::new(),
        param_values: Vec::new(),
        param_index: HashMap::new(),
    };
    let rules = c.file(file);
    if c.errors.is_empty() {
        if let Some(rules) = rules {
            return Ok(rules);
        }
    }
    let mut errors = c.errors;
    errors.sort_by_key(error_offset);
    Err(CheckErrors {
        name: source.name().to_owned(),
        errors,
    })
}

fn error_offset(e: &CheckError) -> usize {
    use miette::Diagnostic;
    e.labels()
        .and_then(|mut l| l.next())
        .map_or(0, |l| l.offset())
}

/// The names a context offers, with their types.
#[derive(Clone, Copy)]
struct Scope {
    vars: &'static [(&'static str, Var, Ty)],
    /// Where this is, for messages: 「在预算执行规则中」.
    place: &'static str,
}

const INDICATOR_INFO: [(&str, Var, Ty); 8] = [
    ("weight", Var::Weight, Ty::Num),
    ("op", Var::Op, Ty::Text),
    ("direction", Var::Direction, Ty::Text),
    ("kind", Var::Kind, Ty::Text),
    ("level1", Var::Level1, Ty::Text),
    ("level2", Var::Level2, Ty::Text),
    ("name", Var::Name, Ty::Text),
    ("goal", Var::Goal, Ty::Text),
];

macro_rules! scope_vars {
    ($($extra:expr),* $(;)?) => {{
        const V: &[(&str, Var, Ty)] = &[
            $($extra,)*
            INDICATOR_INFO[0], INDICATOR_INFO[1], INDICATOR_INFO[2], INDICATOR_INFO[3],
            INDICATOR_INFO[4], INDICATOR_INFO[5], INDICATOR_INFO[6], INDICATOR_INFO[7],
        ];
        V
    }};
}

const CONST: Scope = Scope {
    vars: &[],
    place: "常量（参数、档位区间与默认得分率、等级分数线）中",
};
const BUDGET: Scope = Scope {
    vars: &[
        ("A", Var::A, Ty::Num),
        ("B", Var::B, Ty::Num),
        ("weight", Var::Weight, Ty::Num),
    ],
    place: "预算执行规则中",
};
const NUMBERS: Scope = Scope {
    vars: scope_vars!(("A", Var::A, Ty::Num), ("B", Var::B, Ty::Num)),
    place: "定量指标类别中",
};
const TEXT_WHEN: Scope = Scope {
    vars: scope_vars!(
        ("A", Var::A, Ty::Text),
        ("B", Var::B, Ty::Text),
        ("tier", Var::Tier, Ty::Text)
    ),
    place: "定性指标类别的条件中",
};
const TEXT_SCORE: Scope = Scope {
    vars: scope_vars!(
        ("A", Var::A, Ty::Text),
        ("B", Var::B, Ty::Text),
        ("tier", Var::Tier, Ty::Text),
        ("rate", Var::Rate, Ty::Num)
    ),
    place: "定性指标类别中",
};
const OPTIONAL: Scope = Scope {
    vars: scope_vars!(),
    place: "可选指标的条件中",
};

/// Every built-in, for "not available here" messages.
const ALL_BUILTINS: &[(&str, &str)] = &[
    ("A", "预算执行规则与指标类别"),
    ("B", "预算执行规则与指标类别"),
    ("weight", "预算执行规则、指标类别与可选条件"),
    ("rate", "定性指标（for text）类别的公式"),
    ("tier", "定性指标（for text）类别"),
    ("op", "指标类别与可选条件"),
    ("direction", "指标类别与可选条件"),
    ("kind", "指标类别与可选条件"),
    ("level1", "指标类别与可选条件"),
    ("level2", "指标类别与可选条件"),
    ("name", "指标类别与可选条件"),
    ("goal", "指标类别与可选条件"),
];

/// The values an enumerated built-in can take, as a comparison must write them.
fn enum_values(var: Var) -> Option<&'static [&'static str]> {
    match var {
        Var::Op => Some(&["", ">=", "<=", ">", "<", "="]),
        Var::Direction => Some(&["", "positive", "negative"]),
        Var::Kind => Some(&["number", "percent", "text"]),
        _ => None,
    }
}

struct Checker<'s> {
    source: &'s Source,
    errors: Vec<CheckError>,
    params: Vec<ParamDef>,
    param_values: Vec<Decimal>,
    param_index: HashMap<String, usize>,
}

impl Checker<'_> {
    fn file(&mut self, file: &ast::File) -> Option<Rules> {
        let mut rounding: Option<RoundingRule> = None;
        let mut budget: Option<(BudgetRule, Span)> = None;
        let mut aggregates: Vec<AggregateRule> = Vec::new();
        let mut classes: Vec<ClassRule> = Vec::new();
        let mut optionals = Vec::new();
        let mut grades: Option<(Vec<GradeRule>, Span)> = None;

        for item in &file.items {
            match item {
                Item::Param(p) => self.param(p),
                Item::Rounding(r) => {
                    if let Some(first) = &rounding {
                        self.duplicate("舍入规则 round", r.span, first.span);
                    } else {
                        rounding = Some(RoundingRule {
                            places: r.places,
                            mode: r.mode,
                            level: r.level,
                            span: r.span,
                        });
                    }
                }
                Item::Budget(b) => {
                    let rule = self.budget(b);
                    if let Some((_, first)) = &budget {
                        self.duplicate("预算执行规则 budget", b.keyword, *first);
                    } else if let Some(rule) = rule {
                        budget = Some((rule, b.keyword));
                    }
                }
                Item::Aggregate(a) => {
                    if let Some(first) = aggregates.iter().find(|x| x.target == a.target) {
                        let span = first.span;
                        self.duplicate("汇总规则 aggregate", a.span, span);
                    } else {
                        aggregates.push(AggregateRule {
                            target: a.target,
                            method: a.method,
                            span: a.span,
                        });
                    }
                }
                Item::Class(cl) => {
                    if let Some(first) = classes.iter().find(|x| x.name == cl.name.name) {
                        let span = first.head;
                        self.duplicate(&format!("类别「{}」", cl.name.name), cl.name.span, span);
                    }
                    if let Some(rule) = self.class(cl) {
                        classes.push(rule);
                    }
                }
                Item::Optional(o) => {
                    let when = self.typed(&o.when, OPTIONAL, Ty::Bool, "可选条件");
                    optionals.push(OptionalRule {
                        when,
                        action: o.action,
                        span: o.span,
                    });
                }
                Item::Grades(g) => {
                    let rules = self.grades(g);
                    if let Some((_, first)) = &grades {
                        self.duplicate("等级划分 grade", g.span, *first);
                    } else {
                        grades = Some((rules, g.span));
                    }
                }
            }
        }

        let header_span = file.header.span;
        if budget.is_none() {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: header_span.into(),
                what: "预算执行规则 budget".into(),
                label: "这套规则没有 budget 项".into(),
                help:
                    "加上例如：\nbudget:\n    weight 20\n    score weight * B / A\n    cap weight"
                        .into(),
            });
        }
        let (budget, _) = budget?;
        Some(Rules {
            source: self.source.clone(),
            id: file.header.id.value.clone(),
            title: file.header.title.as_ref().map(|t| t.value.clone()),
            params: std::mem::take(&mut self.params),
            param_values: std::mem::take(&mut self.param_values),
            rounding,
            budget,
            aggregates,
            classes,
            optionals,
            grades: grades.map(|(g, _)| g).unwrap_or_default(),
        })
    }

    fn duplicate(&mut self, what: &str, span: Span, first: Span) {
        self.errors.push(CheckError::Duplicate {
            src: self.source.named(),
            span: span.into(),
            first: first.into(),
            what: what.to_owned(),
        });
    }

    fn param(&mut self, p: &ast::Param) {
        if let Some(&i) = self.param_index.get(&p.name.name) {
            let first = self.params[i].span;
            self.duplicate(&format!("参数「{}」", p.name.name), p.name.span, first);
            return;
        }
        let value = self.constant(&p.value).unwrap_or_default();
        self.param_index
            .insert(p.name.name.clone(), self.params.len());
        self.params.push(ParamDef {
            name: p.name.name.clone(),
            span: p.name.span,
        });
        self.param_values.push(value);
    }

    /// Checks a constant expression and computes it.
    fn constant(&mut self, e: &ast::Expr) -> Option<Decimal> {
        let c = self.typed(e, CONST, Ty::Num, "常量");
        match c.eval(&|_| None, &self.param_values) {
            Ok(Val::Num(n)) => Some(n),
            Ok(_) => None,
            Err(ExprError::Arith(err, span)) => {
                self.errors.push(CheckError::Constant {
                    src: self.source.named(),
                    span: span.into(),
                    message: err.describe().to_owned(),
                });
                None
            }
            // The checker refused every name a constant cannot read.
            Err(ExprError::Unbound(..)) => None,
        }
    }

    fn budget(&mut self, b: &ast::Budget) -> Option<BudgetRule> {
        let mut weight: Option<(CExpr, Span)> = None;
        let formula = self.formula(
            &b.clauses,
            BUDGET,
            "预算执行规则",
            b.keyword,
            |c, clause| match clause {
                Clause::Weight(e, span) => {
                    if let Some((_, first)) = &weight {
                        c.duplicate("分值 weight", *span, *first);
                    } else {
                        weight = Some((c.typed(e, CONST, Ty::Num, "分值"), *span));
                    }
                }
                Clause::Band(band) => c.misplaced(
                    band.span,
                    "预算执行规则中不能有档位 band",
                    "档位只用于定性指标类别（class ... for text）",
                ),
                _ => {}
            },
        );
        let Some((weight, _)) = weight else {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: b.keyword.into(),
                what: "预算执行分值 weight".into(),
                label: "budget 缺少 weight".into(),
                help: "在 budget: 下加一行，例如 `weight 20` 或 `weight budget_weight`".into(),
            });
            return None;
        };
        Some(BudgetRule {
            weight,
            formula: formula?,
        })
    }

    /// The formula clauses (score, cap, guards) of a budget or class; other clauses go
    /// to `other`.
    fn formula(
        &mut self,
        clauses: &[Clause],
        scope: Scope,
        what: &str,
        head: Span,
        mut other: impl FnMut(&mut Self, &Clause),
    ) -> Option<Formula> {
        let mut score: Option<(CExpr, Span)> = None;
        let mut cap: Option<(CExpr, Span)> = None;
        let mut guards = Vec::new();
        for clause in clauses {
            match clause {
                Clause::Score(e, span) => {
                    if let Some((_, first)) = &score {
                        self.duplicate("公式 score", *span, *first);
                    } else {
                        score = Some((self.typed(e, scope, Ty::Num, "得分公式"), *span));
                    }
                }
                Clause::Cap(e, span) => {
                    if let Some((_, first)) = &cap {
                        self.duplicate("上限 cap", *span, *first);
                    } else {
                        cap = Some((self.typed(e, scope, Ty::Num, "上限"), *span));
                    }
                }
                Clause::Guard(g) => {
                    let cond = self.typed(&g.cond, scope, Ty::Bool, "if 条件");
                    let result = match &g.result {
                        GuardResult::Value(e) => {
                            GuardOutcome::Value(self.typed(e, scope, Ty::Num, "if 的得分"))
                        }
                        GuardResult::Fail(s) => GuardOutcome::Fail(s.value.clone()),
                    };
                    guards.push(GuardRule {
                        cond,
                        result,
                        span: g.span,
                    });
                }
                Clause::Weight(..) | Clause::Band(_) => other(self, clause),
            }
        }
        let Some((score, _)) = score else {
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
            guards,
            score,
            cap: cap.map(|(c, _)| c),
        })
    }

    fn misplaced(&mut self, span: Span, message: &str, help: &str) {
        self.errors.push(CheckError::Misplaced {
            src: self.source.named(),
            span: span.into(),
            message: message.to_owned(),
            help: help.to_owned(),
        });
    }

    fn class(&mut self, cl: &ast::Class) -> Option<ClassRule> {
        let (when_scope, score_scope) = match cl.kind {
            ClassKind::Numbers => (NUMBERS, NUMBERS),
            ClassKind::Text => (TEXT_WHEN, TEXT_SCORE),
        };
        let when = cl
            .when
            .as_ref()
            .map(|w| self.typed(w, when_scope, Ty::Bool, "类别条件"));
        let mut bands = Vec::new();
        let what = format!("类别「{}」", cl.name.name);
        let formula =
            self.formula(
                &cl.clauses,
                score_scope,
                &what,
                cl.head,
                |c, clause| match clause {
                    Clause::Weight(_, span) => c.misplaced(
                        *span,
                        "指标类别中不能写 weight",
                        "指标的分值来自表单中每个指标的 weight；在公式中直接用 `weight`",
                    ),
                    Clause::Band(b) => {
                        if cl.kind == ClassKind::Numbers {
                            c.misplaced(
                                b.span,
                                "定量指标类别中不能有档位 band",
                                "档位只用于定性指标类别：把类别写成 `class 名称 for text:`",
                            );
                        } else if let Some(rule) = c.band(b, &bands) {
                            bands.push(rule);
                        }
                    }
                    _ => {}
                },
            );
        self.band_layout(&bands);
        let formula = formula?;
        let uses_rate = formula.score.uses(Var::Rate)
            || formula.cap.as_ref().is_some_and(|c| c.uses(Var::Rate))
            || formula.guards.iter().any(|g| {
                g.cond.uses(Var::Rate)
                    || matches!(&g.result, GuardOutcome::Value(v) if v.uses(Var::Rate))
            });
        Some(ClassRule {
            name: cl.name.name.clone(),
            title: cl.title.as_ref().map(|t| t.value.clone()),
            kind: cl.kind,
            when,
            formula,
            bands,
            uses_rate,
            head: cl.head,
        })
    }

    fn band(&mut self, b: &ast::Band, earlier: &[BandRule]) -> Option<BandRule> {
        if let Some(first) = earlier.iter().find(|x| x.name == b.name.value) {
            let span = first.span;
            self.duplicate(&format!("档位「{}」", b.name.value), b.name.span, span);
            return None;
        }
        let lo = self.constant(&b.lo.value);
        let hi = self.constant(&b.hi.value);
        let default = b.default.as_ref().map(|d| (self.constant(d), d.span));
        let when = b
            .when
            .as_ref()
            .map(|w| self.typed(w, TEXT_WHEN, Ty::Bool, "档位条件"));
        let (lo, hi) = (lo?, hi?);
        let bad = |c: &mut Self, span: Span, message: String| {
            c.errors.push(CheckError::BadBand {
                src: c.source.named(),
                span: span.into(),
                name: b.name.value.clone(),
                message,
            });
        };
        if lo < Decimal::ZERO || hi > Decimal::ONE {
            bad(self, b.range, "得分率须在 0% 到 100% 之间".into());
            return None;
        }
        if lo > hi || (lo == hi && !(b.lo.inclusive && b.hi.inclusive)) {
            bad(self, b.range, "区间为空".into());
            return None;
        }
        let mut rule = BandRule {
            name: b.name.value.clone(),
            lo,
            lo_inclusive: b.lo.inclusive,
            hi,
            hi_inclusive: b.hi.inclusive,
            default: None,
            when,
            span: b.range,
        };
        match default {
            Some((Some(d), span)) if !rule.contains(d) => {
                bad(
                    self,
                    span,
                    format!(
                        "默认得分率 {} 不在区间 {} 内",
                        percent(d),
                        rule.range_text()
                    ),
                );
            }
            Some((d, _)) => rule.default = d,
            None if rule.when.is_some() => {
                self.errors.push(CheckError::Missing {
                    src: self.source.named(),
                    span: b.span.into(),
                    what: format!("档位「{}」的默认得分率 default", b.name.value),
                    label: "有 when 条件的档位须给出 default".into(),
                    help: "条件成立时表单不必给出得分率，所以须写明按多少计，例如 `default 100%`"
                        .into(),
                });
            }
            None => {}
        }
        Some(rule)
    }

    /// Bands, in rate order, must meet exactly: no overlap, no gap.
    fn band_layout(&mut self, bands: &[BandRule]) {
        let mut sorted: Vec<&BandRule> = bands.iter().collect();
        sorted.sort_by(|a, b| a.lo.cmp(&b.lo).then(b.lo_inclusive.cmp(&a.lo_inclusive)));
        for pair in sorted.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let overlap = a.hi > b.lo || (a.hi == b.lo && a.hi_inclusive && b.lo_inclusive);
            let gap = a.hi < b.lo || (a.hi == b.lo && !a.hi_inclusive && !b.lo_inclusive);
            if overlap {
                self.errors.push(CheckError::BandOverlap {
                    src: self.source.named(),
                    first: a.span.into(),
                    second: b.span.into(),
                    a: a.name.clone(),
                    b: b.name.clone(),
                });
            } else if gap {
                let gap = if a.hi == b.lo {
                    format!("{} 恰好不属于任何一档", percent(a.hi))
                } else {
                    format!(
                        "{} 到 {} 之间的得分率不属于任何一档",
                        percent(a.hi),
                        percent(b.lo)
                    )
                };
                self.errors.push(CheckError::BandGap {
                    src: self.source.named(),
                    first: a.span.into(),
                    second: b.span.into(),
                    a: a.name.clone(),
                    b: b.name.clone(),
                    gap,
                });
            }
        }
    }

    fn grades(&mut self, g: &ast::Grades) -> Vec<GradeRule> {
        let mut out: Vec<GradeRule> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut previous: Option<Decimal> = None;
        let last = g.bands.len().saturating_sub(1);
        for (i, band) in g.bands.iter().enumerate() {
            if let Some(first) = seen.get(band.name.value.as_str()) {
                let first = *first;
                self.duplicate(
                    &format!("等级「{}」", band.name.value),
                    band.name.span,
                    first,
                );
            }
            seen.insert(&band.name.value, band.name.span);
            let min = match &band.threshold {
                Some((inclusive, e)) => self.constant(e).map(|t| (t, *inclusive)),
                None => None,
            };
            let order = |c: &mut Self, message: String| {
                c.errors.push(CheckError::GradeOrder {
                    src: c.source.named(),
                    span: band.span.into(),
                    message,
                });
            };
            match (&band.threshold, i == last) {
                (None, false) => order(
                    self,
                    format!("「{}」没有分数线，却不是最后一级", band.name.value),
                ),
                (Some(_), true) => order(
                    self,
                    format!(
                        "最后一级「{}」不应有分数线：低于它的总分将没有等级",
                        band.name.value
                    ),
                ),
                _ => {}
            }
            if let (Some((t, _)), Some(p)) = (min, previous) {
                if t >= p {
                    order(
                        self,
                        format!(
                            "「{}」的分数线 {} 不低于上一级的 {}",
                            band.name.value,
                            num::show(t),
                            num::show(p)
                        ),
                    );
                }
            }
            if let Some((t, _)) = min {
                previous = Some(t);
            }
            out.push(GradeRule {
                name: band.name.value.clone(),
                min,
            });
        }
        out
    }

    /// Checks `e` in `scope` and requires type `want`.
    fn typed(&mut self, e: &ast::Expr, scope: Scope, want: Ty, what: &str) -> CExpr {
        let (c, ty) = self.expr(e, scope);
        if ty != want && ty != Ty::Unknown {
            let help = match (want, ty) {
                (Ty::Bool, Ty::Num) => "条件须是比较或逻辑式，例如 `A == 0`、`op == \"<=\"`",
                (Ty::Num, Ty::Bool) => "这里需要一个数值；条件请写在 `if 条件: 数值` 中",
                (Ty::Num, Ty::Text) => "这里需要一个数值，例如 `weight * B / A`",
                _ => "按所需类型改写此表达式",
            };
            self.errors.push(CheckError::TypeMismatch {
                src: self.source.named(),
                span: e.span.into(),
                message: format!("{what}应为{}，这里是{}", want.describe(), ty.describe()),
                label: format!("这是{}", ty.describe()),
                help: help.to_owned(),
            });
        }
        c
    }

    fn mismatch(&mut self, span: Span, message: String, label: String, help: &str) {
        self.errors.push(CheckError::TypeMismatch {
            src: self.source.named(),
            span: span.into(),
            message,
            label,
            help: help.to_owned(),
        });
    }

    fn expr(&mut self, e: &ast::Expr, scope: Scope) -> (CExpr, Ty) {
        let span = e.span;
        let mk = |kind| CExpr { kind, span };
        match &e.kind {
            ExprKind::Number { value, percent } => {
                let v = if *percent {
                    num::div(*value, Decimal::ONE_HUNDRED).unwrap_or(*value)
                } else {
                    *value
                };
                (mk(CKind::Num(v)), Ty::Num)
            }
            ExprKind::Text(t) => (mk(CKind::Text(t.clone())), Ty::Text),
            ExprKind::Name(n) => self.name(n, span, scope),
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut elem = Ty::Unknown;
                for item in items {
                    let (c, ty) = self.expr(item, scope);
                    if elem == Ty::Unknown {
                        elem = ty;
                    } else if ty != elem && ty != Ty::Unknown {
                        self.mismatch(
                            item.span,
                            "列表中的值类型须一致".into(),
                            format!("这是{}", ty.describe()),
                            "列表中全写文字或全写数值",
                        );
                    }
                    out.push(c);
                }
                let ty = match elem {
                    Ty::Num => Ty::NumList,
                    Ty::Text => Ty::TextList,
                    _ => Ty::Unknown,
                };
                (mk(CKind::List(out)), ty)
            }
            ExprKind::Call(f, args) => {
                let compiled: Vec<CExpr> = args
                    .iter()
                    .map(|a| self.typed(a, scope, Ty::Num, "函数参数"))
                    .collect();
                match f.name.as_str() {
                    "min" | "max" if !compiled.is_empty() => {
                        let kind = if f.name == "min" {
                            CKind::Min(compiled)
                        } else {
                            CKind::Max(compiled)
                        };
                        (mk(kind), Ty::Num)
                    }
                    "min" | "max" => {
                        self.mismatch(
                            span,
                            format!("{} 至少需要一个参数", f.name),
                            "没有参数".into(),
                            "例如 `min(weight, weight * B / A)`",
                        );
                        (mk(CKind::Num(Decimal::ZERO)), Ty::Unknown)
                    }
                    other => {
                        let suggestion = did_you_mean(other, ["min", "max"].into_iter())
                            .map(|s| format!("；是否想写「{s}」？"))
                            .unwrap_or_default();
                        self.errors.push(CheckError::UnknownFunction {
                            src: self.source.named(),
                            span: f.span.into(),
                            name: other.to_owned(),
                            suggestion,
                        });
                        (mk(CKind::Num(Decimal::ZERO)), Ty::Unknown)
                    }
                }
            }
            ExprKind::If(c, a, b) => {
                let cc = self.typed(c, scope, Ty::Bool, "if 条件");
                let (ca, ta) = self.expr(a, scope);
                let (cb, tb) = self.expr(b, scope);
                let ty = if ta == Ty::Unknown { tb } else { ta };
                if ta != tb && ta != Ty::Unknown && tb != Ty::Unknown {
                    self.mismatch(
                        b.span,
                        format!(
                            "then 与 else 的类型不同：{} 与 {}",
                            ta.describe(),
                            tb.describe()
                        ),
                        format!("这是{}", tb.describe()),
                        "两个分支应给出同一类型的值",
                    );
                }
                (mk(CKind::If(Box::new(cc), Box::new(ca), Box::new(cb))), ty)
            }
            ExprKind::Unary(UnOp::Neg, x) => {
                let cx = self.typed(x, scope, Ty::Num, "负号后");
                (mk(CKind::Unary(UnOp::Neg, Box::new(cx))), Ty::Num)
            }
            ExprKind::Unary(UnOp::Not, x) => {
                let cx = self.typed(x, scope, Ty::Bool, "not 后");
                (mk(CKind::Unary(UnOp::Not, Box::new(cx))), Ty::Bool)
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, span, scope),
        }
    }

    fn name(&mut self, n: &str, span: Span, scope: Scope) -> (CExpr, Ty) {
        let mk = |kind| CExpr { kind, span };
        if let Some((_, var, ty)) = scope.vars.iter().find(|(name, ..)| *name == n) {
            return (mk(CKind::Var(*var)), *ty);
        }
        if let Some(&i) = self.param_index.get(n) {
            return (mk(CKind::Param(i)), Ty::Num);
        }
        let candidates = scope
            .vars
            .iter()
            .map(|(name, ..)| *name)
            .chain(self.params.iter().map(|p| p.name.as_str()));
        let suggestion = did_you_mean(n, candidates);
        let mut help = match suggestion {
            Some(s) => format!("是否想写「{s}」？"),
            None => String::new(),
        };
        if let Some((_, places)) = ALL_BUILTINS.iter().find(|(b, _)| *b == n) {
            help = format!("「{n}」只能用在{places}，不能用在{}", scope.place);
        } else {
            let available: Vec<&str> = scope.vars.iter().map(|(name, ..)| *name).collect();
            let params: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&format!(
                "{}可用：{}",
                scope.place,
                if available.is_empty() && params.is_empty() {
                    "数字与已定义的参数".to_owned()
                } else {
                    available
                        .iter()
                        .chain(params.iter())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("、")
                }
            ));
            if suggestion.is_none() {
                help.push_str(&format!("；参数须先定义再使用：`param {n} = 数值`"));
            }
        }
        self.errors.push(CheckError::UnknownName {
            src: self.source.named(),
            span: span.into(),
            name: n.to_owned(),
            help,
        });
        (mk(CKind::Num(Decimal::ZERO)), Ty::Unknown)
    }

    fn binary(
        &mut self,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
        scope: Scope,
    ) -> (CExpr, Ty) {
        let (cl, tl) = self.expr(l, scope);
        let (mut cr, tr) = self.expr(r, scope);
        let unknown = tl == Ty::Unknown || tr == Ty::Unknown;
        let result = match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                for (e, t) in [(l, tl), (r, tr)] {
                    if t != Ty::Num && t != Ty::Unknown {
                        self.mismatch(
                            e.span,
                            format!("「{}」只能用于数值，这里是{}", op.symbol(), t.describe()),
                            format!("这是{}", t.describe()),
                            "算术只对数值；定性指标的 A、B 是文字，请用 rate 计算",
                        );
                    }
                }
                Ty::Num
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                for (e, t) in [(l, tl), (r, tr)] {
                    if t != Ty::Num && t != Ty::Unknown {
                        self.mismatch(
                            e.span,
                            format!(
                                "大小比较「{}」只能用于数值，这里是{}",
                                op.symbol(),
                                t.describe()
                            ),
                            format!("这是{}", t.describe()),
                            "文字只能用 == 或 != 比较",
                        );
                    }
                }
                Ty::Bool
            }
            BinOp::Eq | BinOp::Ne => {
                if !unknown && tl != tr {
                    self.mismatch(
                        span,
                        format!("不能比较{}与{}", tl.describe(), tr.describe()),
                        format!("{}与{}", tl.describe(), tr.describe()),
                        "比较两边应同为数值或同为文字；百分数如 80% 是数值，\"80%\" 是文字",
                    );
                }
                self.enum_literal(&cl, &mut cr);
                Ty::Bool
            }
            BinOp::In => {
                let want = match tl {
                    Ty::Num => Ty::NumList,
                    Ty::Text => Ty::TextList,
                    _ => Ty::Unknown,
                };
                if !matches!(r.kind, ExprKind::List(_)) {
                    self.mismatch(
                        r.span,
                        "in 的右边应为列表".into(),
                        "不是列表".into(),
                        "例如 `op in [\"<=\", \"<\"]`",
                    );
                } else if !unknown && want != tr && want != Ty::Unknown {
                    self.mismatch(
                        span,
                        format!("不能在{}中查找{}", tr.describe(), tl.describe()),
                        format!("{}与{}", tl.describe(), tr.describe()),
                        "列表中的值应与左边同类型",
                    );
                }
                if let CKind::List(items) = &mut cr.kind {
                    for item in items {
                        self.enum_literal(&cl, item);
                    }
                }
                Ty::Bool
            }
            BinOp::And | BinOp::Or => {
                for (e, t) in [(l, tl), (r, tr)] {
                    if t != Ty::Bool && t != Ty::Unknown {
                        self.mismatch(
                            e.span,
                            format!("「{}」两边应为条件，这里是{}", op.symbol(), t.describe()),
                            format!("这是{}", t.describe()),
                            "例如 `op == \"<=\" or direction == \"negative\"`",
                        );
                    }
                }
                Ty::Bool
            }
        };
        let ty = if unknown && result != Ty::Bool {
            Ty::Unknown
        } else {
            result
        };
        (
            CExpr {
                kind: CKind::Binary(op, Box::new(cl), Box::new(cr)),
                span,
            },
            ty,
        )
    }

    /// A text literal compared with an enumerated built-in (`op`, `direction`, `kind`)
    /// must be one of its values; `≥`-style spellings are accepted and normalised.
    fn enum_literal(&mut self, var: &CExpr, lit: &mut CExpr) {
        let CKind::Var(v) = var.kind else { return };
        let Some(values) = enum_values(v) else { return };
        let CKind::Text(text) = &mut lit.kind else {
            return;
        };
        let normal = match text.as_str() {
            "≥" | "≧" => ">=",
            "≤" | "≦" => "<=",
            "＞" => ">",
            "＜" => "<",
            "＝" | "==" => "=",
            "正向" => "positive",
            "反向" => "negative",
            t => t,
        };
        if values.contains(&normal) {
            *text = normal.to_owned();
            return;
        }
        let name = ALL_BUILTINS
            .iter()
            .map(|(n, _)| *n)
            .find(|n| enum_values_of_name(n) == Some(values))
            .unwrap_or("");
        let mut help = format!(
            "「{name}」的取值只有：{}",
            values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join("、")
        );
        let reversed: String = text.chars().rev().collect();
        let suggestion = values
            .iter()
            .copied()
            .find(|v| !v.is_empty() && *v == reversed)
            .or_else(|| did_you_mean(text, values.iter().copied().filter(|v| !v.is_empty())));
        if let Some(s) = suggestion {
            help = format!("是否想写 \"{s}\"？{help}");
        }
        self.errors.push(CheckError::UnknownValue {
            src: self.source.named(),
            span: lit.span.into(),
            name: name.to_owned(),
            value: format!("\"{text}\""),
            help,
        });
    }
}

fn enum_values_of_name(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "op" => enum_values(Var::Op),
        "direction" => enum_values(Var::Direction),
        "kind" => enum_values(Var::Kind),
        _ => None,
    }
}

/// The closest candidate by edit distance, if it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
