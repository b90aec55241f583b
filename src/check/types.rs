//! Expressions: names resolved in their scope, types checked, literals of enumerated
//! built-ins validated. Compiled expressions carry global spans (see `Checker::g`);
//! diagnostics use the current file's own spans.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::error::CheckError;
use super::ir::{CExpr, CKind, Func, Ty, Var};
use super::items::Checker;
use super::{did_you_mean, nearest};
use crate::num;
use crate::source::Span;
use crate::syntax::ast::{self, BinOp, ExprKind, FactType, UnOp};
use crate::syntax::vocabulary;

/// The names a context offers, with their types.
/// The function that tests whether a value of the form is missing: `missing(B)`.
pub(crate) const MISSING: &str = "missing";

#[derive(Clone, Copy)]
pub(super) struct Scope {
    vars: &'static [(&'static str, Var, Ty)],
    /// Where this is, for messages: 「在预算执行规则中」.
    place: &'static str,
}

const INDICATOR_INFO: [(&str, Var, Ty); 10] = [
    ("weight", Var::Weight, Ty::Num),
    ("op", Var::Op, Ty::Text),
    ("direction", Var::Direction, Ty::Text),
    ("kind", Var::Kind, Ty::Text),
    ("level1", Var::Level1, Ty::Text),
    ("level2", Var::Level2, Ty::Text),
    ("name", Var::Name, Ty::Text),
    ("goal", Var::Goal, Ty::Text),
    ("year", Var::Year, Ty::Num),
    ("department", Var::Department, Ty::Text),
];

macro_rules! scope_vars {
    ($($extra:expr),* $(;)?) => {{
        const V: &[(&str, Var, Ty)] = &[
            $($extra,)*
            INDICATOR_INFO[0], INDICATOR_INFO[1], INDICATOR_INFO[2], INDICATOR_INFO[3],
            INDICATOR_INFO[4], INDICATOR_INFO[5], INDICATOR_INFO[6], INDICATOR_INFO[7],
            INDICATOR_INFO[8], INDICATOR_INFO[9],
        ];
        V
    }};
}

pub(super) const CONST: Scope = Scope {
    vars: &[],
    place: "常量（参数、档位区间与默认得分率、等级分数线）中",
};
pub(super) const BUDGET: Scope = Scope {
    vars: &[
        ("A", Var::A, Ty::Num),
        ("B", Var::B, Ty::Num),
        ("weight", Var::Weight, Ty::Num),
        ("year", Var::Year, Ty::Num),
        ("department", Var::Department, Ty::Text),
    ],
    place: "预算执行规则中",
};
pub(super) const NUMBERS: Scope = Scope {
    vars: scope_vars!(("A", Var::A, Ty::Num), ("B", Var::B, Ty::Num)),
    place: "定量指标类别中",
};
pub(super) const TEXT_WHEN: Scope = Scope {
    vars: scope_vars!(
        ("A", Var::A, Ty::Text),
        ("B", Var::B, Ty::Text),
        ("tier", Var::Tier, Ty::Text)
    ),
    place: "定性指标类别的条件中",
};
pub(super) const TEXT_SCORE: Scope = Scope {
    vars: scope_vars!(
        ("A", Var::A, Ty::Text),
        ("B", Var::B, Ty::Text),
        ("tier", Var::Tier, Ty::Text),
        ("rate", Var::Rate, Ty::Num)
    ),
    place: "定性指标类别中",
};
pub(super) const CAP: Scope = Scope {
    vars: &[
        ("weight", Var::Weight, Ty::Num),
        ("year", Var::Year, Ty::Num),
        ("department", Var::Department, Ty::Text),
    ],
    place: "目标或总分的封顶规则中",
};
pub(super) const ADJUSTMENT: Scope = Scope {
    vars: &[
        ("B", Var::B, Ty::Num),
        ("weight", Var::Weight, Ty::Num),
        ("year", Var::Year, Ty::Num),
        ("department", Var::Department, Ty::Text),
    ],
    place: "加分项、扣分项中",
};
pub(super) const OPTIONAL: Scope = Scope {
    vars: scope_vars!(),
    place: "可选指标的条件中",
};

/// Every built-in, for "not available here" messages.
const ALL_BUILTINS: &[(&str, &str)] = &[
    ("A", "预算执行规则与指标类别"),
    ("B", "预算执行规则、指标类别与加分项、扣分项"),
    (
        "weight",
        "预算执行规则、指标类别、可选条件、加分项、扣分项与目标或总分的封顶规则",
    ),
    ("rate", "定性指标（for text）类别的公式"),
    ("tier", "定性指标（for text）类别"),
    ("op", "指标类别与可选条件"),
    ("direction", "指标类别与可选条件"),
    ("kind", "指标类别与可选条件"),
    ("level1", "指标类别与可选条件"),
    ("level2", "指标类别与可选条件"),
    ("name", "指标类别与可选条件"),
    ("goal", "指标类别与可选条件"),
    (
        "year",
        "预算执行规则、指标类别、可选条件、加分项、扣分项与封顶规则",
    ),
    (
        "department",
        "预算执行规则、指标类别、可选条件、加分项、扣分项与封顶规则",
    ),
];

/// What each built-in a formula can read is, for messages (the README's table).
const BUILTIN_MEANINGS: &[(&str, &str)] = &[
    ("A", "年初目标值（预算执行中为预算数）"),
    (
        "B",
        "实际完成值（预算执行中为执行数，加分项、扣分项中为表单所填的数值）",
    ),
    ("weight", "指标（或预算执行）的分值"),
    ("rate", "定性指标的得分率"),
    ("tier", "表单所填的档次"),
    ("op", "目标值中写的比较符"),
    ("direction", "表单所填的指标方向"),
    ("kind", "指标值的种类"),
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("goal", "年度目标"),
    (
        "year",
        "表单的年度（[form] 的 year），表单未填时用到它会报错",
    ),
    (
        "department",
        "表单的单位名称（[form] 的 department），未填为空文字",
    ),
    ("true", "真"),
    ("false", "假"),
];

/// What the built-in whose English name is `en` is, in Chinese: the one wording of it,
/// for messages and for the language service's hover and completion.
pub(crate) fn builtin_meaning(en: &str) -> Option<&'static str> {
    BUILTIN_MEANINGS
        .iter()
        .find(|(n, _)| *n == en)
        .map(|&(_, m)| m)
}

/// The built-in a parameter named `name` would collide with, by its English name and
/// what it is: every built-in name, in English or Chinese, and `true`, `false`, `真`,
/// `假`. A formula reading `name` reads the built-in where it exists, so such a
/// parameter is never read there.
pub(super) fn reserved(name: &str) -> Option<(&'static str, &'static str)> {
    let english = builtin_alias(name);
    BUILTIN_MEANINGS
        .iter()
        .copied()
        .find(|(n, _)| *n == english)
}

/// Every built-in name, `A、B、weight（权重）、…`, for help lines.
pub(super) fn builtin_list() -> String {
    BUILTIN_MEANINGS
        .iter()
        .map(
            |(en, _)| match vocabulary::builtin(en).and_then(|w| w.zh.first()) {
                Some(zh) => format!("{en}（{zh}）"),
                None => (*en).to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("、")
}

/// The values an enumerated built-in can take, as a comparison must write them.
fn enum_values(var: Var) -> Option<&'static [&'static str]> {
    match var {
        Var::Op => Some(&["", ">=", "<=", ">", "<", "="]),
        Var::Direction => Some(&["", "positive", "negative"]),
        Var::Kind => Some(&["number", "percent", "text"]),
        _ => None,
    }
}

impl Checker<'_> {
    /// Checks `e` in `scope` and requires type `want`.
    pub(super) fn typed(&mut self, e: &ast::Expr, scope: Scope, want: Ty, what: &str) -> CExpr {
        let (c, ty) = self.expr(e, scope);
        if ty != want && ty != Ty::Unknown {
            self.broken(c.span);
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

    /// Marks the compiled expression at `global` as standing for one in error (an unknown
    /// name, a type mismatch): the checks of constants skip what reads it, so that one
    /// mistake is reported once, not again as a band or a grade it made wrong.
    pub(super) fn broken(&mut self, global: Span) {
        self.draft.broken.push(global);
    }

    fn mismatch(&mut self, span: Span, message: String, label: String, help: &str) {
        self.broken(self.g(span));
        self.errors.push(CheckError::TypeMismatch {
            src: self.source.named(),
            span: span.into(),
            message,
            label,
            help: help.to_owned(),
        });
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, scope: Scope) -> (CExpr, Ty) {
        let span = e.span;
        let global = self.g(span);
        let mk = |kind| CExpr { kind, span: global };
        match &e.kind {
            ExprKind::Number { value, percent } => {
                let v = if *percent {
                    num::div(*value, Decimal::ONE_HUNDRED).unwrap_or(*value)
                } else {
                    *value
                };
                (mk(CKind::Num(v)), Ty::Num)
            }
            ExprKind::Text(t) => (mk(CKind::Text(t.to_string())), Ty::Text),
            ExprKind::Name(n) => self.name(n, span, scope),
            ExprKind::List(items) => self.list(items, span, scope),
            ExprKind::Call(f, args) => self.call(f, args, span, scope),
            ExprKind::Step(x, arms) => self.step(x, arms, span, scope),
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
            ExprKind::Binary(op, operands) => {
                let [l, r] = &**operands;
                self.binary(*op, l, r, span, scope)
            }
        }
    }

    fn name(&mut self, n: &str, span: Span, scope: Scope) -> (CExpr, Ty) {
        let global = self.g(span);
        let mk = |kind| CExpr { kind, span: global };
        if matches!(n, "true" | "false" | "真" | "假") {
            return (mk(CKind::Bool(matches!(n, "true" | "真"))), Ty::Bool);
        }
        let english = builtin_alias(n);
        if let Some((_, var, ty)) = scope.vars.iter().find(|(name, ..)| *name == english) {
            return (mk(CKind::Var(*var)), *ty);
        }
        if let Some(&i) = self.param_index.get(n) {
            if let Some(limit) = self.param_limit {
                if i >= limit {
                    self.errors.push(CheckError::ParamOrder {
                        src: self.source.named(),
                        span: span.into(),
                        message: format!("参数「{n}」定义在被覆盖的参数之后，不能在这里引用"),
                    });
                }
            }
            self.used_params.insert(i);
            let ty = if self.draft.params[i].text {
                Ty::Text
            } else {
                Ty::Num
            };
            return (mk(CKind::Param(i)), ty);
        }
        if let Some(fact) = self.draft.facts.iter().find(|f| *f.name == *n) {
            // Facts are the form's: read where the form's `year` is.
            if scope.vars.iter().any(|(_, v, _)| *v == Var::Year) {
                let ty = match fact.ty {
                    FactType::Number => Ty::Num,
                    FactType::Text => Ty::Text,
                };
                return (mk(CKind::Fact(Arc::clone(&fact.name))), ty);
            }
            self.errors.push(CheckError::UnknownName {
                src: self.source.named(),
                span: span.into(),
                name: n.to_owned(),
                help: format!(
                    "「{n}」是表单信息，每张表单不同，只能用在计分公式、条件、封顶与加分扣分项中，不能用在{}",
                    scope.place
                ),
                fix: None,
            });
            self.broken(global);
            return (mk(CKind::Num(Decimal::ZERO)), Ty::Unknown);
        }
        let mut fix = None;
        let help = if let Some((_, places)) = ALL_BUILTINS.iter().find(|(b, _)| *b == n) {
            format!("「{n}」只能用在{places}，不能用在{}", scope.place)
        } else if !self.reporting() {
            // Past the errors a file reports: not shown, so not worth comparing with every
            // name (which would make many unknown names cost the square of their number).
            format!("参数须先定义再使用：`param {n} = 数值`")
        } else {
            let candidates = || {
                scope
                    .vars
                    .iter()
                    .map(|(name, ..)| *name)
                    .chain(self.draft.params.iter().map(|p| p.name.as_str()))
                    .chain(self.draft.facts.iter().map(|f| &*f.name))
            };
            let suggestion = did_you_mean(n, candidates());
            fix = suggestion.map(str::to_owned);
            let mut help = match suggestion {
                Some(s) => format!("是否想写「{s}」？\n"),
                None => String::new(),
            };
            help.push_str(&format!(
                "{}可用：{}",
                scope.place,
                nearest(n, candidates()).unwrap_or_else(|| "数字与已定义的参数".to_owned())
            ));
            if suggestion.is_none() {
                help.push_str(&format!("；参数须先定义再使用：`param {n} = 数值`"));
            }
            help
        };
        self.errors.push(CheckError::UnknownName {
            src: self.source.named(),
            span: span.into(),
            name: n.to_owned(),
            help,
            fix,
        });
        self.broken(global);
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
                self.equality(op, (l, tl), (r, tr), span, &cl, &mut cr);
                Ty::Bool
            }
            BinOp::In => {
                self.membership((l, tl), (r, tr), span, &cl, &mut cr);
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
                span: self.g(span),
            },
            ty,
        )
    }

    /// A list literal: numbers or texts, all of one kind.
    fn list(&mut self, items: &[ast::Expr], span: Span, scope: Scope) -> (CExpr, Ty) {
        let global = self.g(span);
        let mk = |kind| CExpr { kind, span: global };
        let mut out = Vec::with_capacity(items.len());
        let mut elem = Ty::Unknown;
        for item in items {
            let (c, ty) = self.expr(item, scope);
            if !matches!(ty, Ty::Num | Ty::Text | Ty::Unknown) {
                self.mismatch(
                    item.span,
                    format!("列表中只能写数值或文字，这里是{}", ty.describe()),
                    format!("这是{}", ty.describe()),
                    "例如 `op in [\"<=\", \"<\"]` 或 `weight in [2, 4]`",
                );
            } else if elem == Ty::Unknown {
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
            _ if items.is_empty() => Ty::EmptyList,
            _ => Ty::Unknown,
        };
        (mk(CKind::List(out)), ty)
    }

    /// A call of a built-in function, with its arguments' count checked.
    fn call(
        &mut self,
        f: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
        scope: Scope,
    ) -> (CExpr, Ty) {
        let global = self.g(span);
        let mk = |kind| CExpr { kind, span: global };
        if f.name == MISSING {
            return self.missing(args, span, scope);
        }
        let compiled: Vec<CExpr> = args
            .iter()
            .map(|a| self.typed(a, scope, Ty::Num, "函数参数"))
            .collect();
        match Func::ALL.iter().find(|(n, _)| *n == f.name) {
            Some((_, func)) => {
                let ok = if func.variadic() {
                    !compiled.is_empty()
                } else {
                    compiled.len() == 1
                };
                if !ok {
                    self.mismatch(
                        span,
                        format!(
                            "{} 需要{}个参数，这里有 {} 个",
                            f.name,
                            if func.variadic() { "至少一" } else { "一" },
                            compiled.len()
                        ),
                        "参数个数不对".into(),
                        "例如 `min(weight, weight * B / A)`、`floor((B - A) / 1%)`",
                    );
                    return (mk(CKind::Num(Decimal::ZERO)), Ty::Unknown);
                }
                (mk(CKind::Call(*func, compiled)), Ty::Num)
            }
            None => {
                let names = Func::ALL.iter().map(|(n, _)| *n).chain([MISSING]);
                let near = did_you_mean(&f.name, names);
                let suggestion = near
                    .map(|s| format!("；是否想写「{s}」？"))
                    .unwrap_or_default();
                self.errors.push(CheckError::UnknownFunction {
                    src: self.source.named(),
                    span: f.span.into(),
                    name: f.name.clone(),
                    suggestion,
                    fix: near.map(str::to_owned),
                });
                let node = mk(CKind::Num(Decimal::ZERO));
                self.broken(node.span);
                (node, Ty::Unknown)
            }
        }
    }

    /// `missing(x)`: whether the form left `x` without a value; `x` is one name, a value
    /// of the form (a built-in, or a fact), never a parameter or a formula.
    fn missing(&mut self, args: &[ast::Expr], span: Span, scope: Scope) -> (CExpr, Ty) {
        let global = self.g(span);
        let compiled: Vec<(CExpr, Ty)> = args.iter().map(|a| self.expr(a, scope)).collect();
        match &compiled[..] {
            [(x, _)] if matches!(x.kind, CKind::Var(_) | CKind::Fact(_)) => {
                let node = CKind::Missing(Box::new(x.clone()));
                (
                    CExpr {
                        kind: node,
                        span: global,
                    },
                    Ty::Bool,
                )
            }
            [(_, Ty::Unknown)] => (
                CExpr {
                    kind: CKind::Bool(false),
                    span: global,
                },
                Ty::Unknown,
            ),
            _ => {
                self.mismatch(
                    span,
                    "missing 的参数须是表单中的一个值".to_owned(),
                    "这里不是一个值的名称".into(),
                    "写成 `missing(B)`（实际完成值未填）、`missing(A)`、`missing(year)` 或 `missing(单位类型)`（表单信息未填）",
                );
                (
                    CExpr {
                        kind: CKind::Bool(false),
                        span: global,
                    },
                    Ty::Unknown,
                )
            }
        }
    }

    /// A step table: numeric thresholds, values of one type, `else` last and once.
    fn step(
        &mut self,
        x: &ast::Expr,
        arms: &[ast::StepArm],
        span: Span,
        scope: Scope,
    ) -> (CExpr, Ty) {
        let global = self.g(span);
        let mk = |kind| CExpr { kind, span: global };
        let cx = self.typed(x, scope, Ty::Num, "step 的分档对象");
        let mut compiled = Vec::new();
        let mut otherwise = None;
        let mut ty = Ty::Unknown;
        for (i, arm) in arms.iter().enumerate() {
            let (value, vt) = self.expr(&arm.value, scope);
            if ty == Ty::Unknown {
                ty = vt;
            } else if vt != ty && vt != Ty::Unknown {
                self.mismatch(
                    arm.value.span,
                    "step 各档的值类型须一致".into(),
                    format!("这是{}", vt.describe()),
                    "各档都写数值，例如 `>= 90%: 100%`",
                );
            }
            match &arm.test {
                Some((op, t)) if otherwise.is_none() => {
                    let ct = self.typed(t, scope, Ty::Num, "分档界限");
                    compiled.push((*op, ct, value));
                }
                None if otherwise.is_none() && i + 1 == arms.len() => otherwise = Some(value),
                _ => self.misplaced(
                    arm.value.span,
                    "step 的 else 须是最后一档，且只能有一个",
                    "把 `else: 值` 放在最后",
                ),
            }
        }
        let Some(otherwise) = otherwise else {
            self.errors.push(CheckError::Missing {
                src: self.source.named(),
                span: span.into(),
                what: "step 的 else 档".into(),
                label: "没有 else".into(),
                help: "最后加一档 `else: 0`，给出不满足任何一档时的值".into(),
            });
            return (mk(CKind::Num(Decimal::ZERO)), Ty::Unknown);
        };
        (
            mk(CKind::Step(Box::new(cx), compiled, Box::new(otherwise))),
            ty,
        )
    }

    /// `a == b`, `a != b`: two values of one kind, not lists; a text literal compared
    /// with an enumerated built-in checked.
    fn equality(
        &mut self,
        op: BinOp,
        (l, tl): (&ast::Expr, Ty),
        (r, tr): (&ast::Expr, Ty),
        span: Span,
        cl: &CExpr,
        cr: &mut CExpr,
    ) {
        let unknown = tl == Ty::Unknown || tr == Ty::Unknown;
        if let Some((e, t)) = [(l, tl), (r, tr)].into_iter().find(|(_, t)| t.is_list()) {
            self.mismatch(
                e.span,
                format!("「{}」不能比较列表", op.symbol()),
                format!("这是{}", t.describe()),
                "判断是否在列表中请用 in，例如 `op in [\"<=\", \"<\"]`",
            );
        } else if !unknown && tl != tr {
            self.mismatch(
                span,
                format!("不能比较{}与{}", tl.describe(), tr.describe()),
                format!("{}与{}", tl.describe(), tr.describe()),
                "比较两边应同为数值或同为文字；百分数如 80% 是数值，\"80%\" 是文字",
            );
        }
        self.enum_literal(cl, cr);
    }

    /// `x in [...]`: a number or text looked up in a list of its kind; text literals of
    /// an enumerated built-in checked.
    fn membership(
        &mut self,
        (l, tl): (&ast::Expr, Ty),
        (r, tr): (&ast::Expr, Ty),
        span: Span,
        cl: &CExpr,
        cr: &mut CExpr,
    ) {
        let unknown = tl == Ty::Unknown || tr == Ty::Unknown;
        let want = match tl {
            Ty::Num => Ty::NumList,
            Ty::Text => Ty::TextList,
            _ => Ty::Unknown,
        };
        if !matches!(tl, Ty::Num | Ty::Text | Ty::Unknown) {
            self.mismatch(
                l.span,
                format!("in 的左边应为数值或文字，这里是{}", tl.describe()),
                format!("这是{}", tl.describe()),
                "例如 `op in [\"<=\", \"<\"]`",
            );
        } else if !matches!(r.kind, ExprKind::List(_)) {
            self.mismatch(
                r.span,
                "in 的右边应为列表".into(),
                "不是列表".into(),
                "例如 `op in [\"<=\", \"<\"]`",
            );
        } else if !unknown && want != tr && want != Ty::Unknown && tr != Ty::EmptyList {
            self.mismatch(
                span,
                format!("不能在{}中查找{}", tr.describe(), tl.describe()),
                format!("{}与{}", tl.describe(), tr.describe()),
                "列表中的值应与左边同类型",
            );
        }
        if let CKind::List(items) = &mut cr.kind {
            for item in items {
                self.enum_literal(cl, item);
            }
        }
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
            fix: suggestion.map(|s| format!("\"{s}\"")),
        });
    }
}

/// The English name of a built-in written in Chinese (`权重` → `weight`); other names
/// unchanged.
pub(crate) fn builtin_alias(name: &str) -> &str {
    vocabulary::builtin(name).map_or(name, |w| w.en)
}

fn enum_values_of_name(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "op" => enum_values(Var::Op),
        "direction" => enum_values(Var::Direction),
        "kind" => enum_values(Var::Kind),
        _ => None,
    }
}
