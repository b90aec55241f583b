//! The compiled expression, the checker's output and the evaluator's input: names
//! resolved to built-ins ([`Var`]) and parameters, types checked ([`Ty`]), percentages
//! scaled, constants left for [`crate::eval`] to compute.
//!
//! Invariants: every `CExpr` the checker gives out is well typed for its place (a formula
//! is numeric, a condition boolean); a [`Cond`] or [`Calc`] holds the fast shape
//! ([`Test`], [`Chain`]) of its expression when it has one, found once here. Nothing here
//! evaluates: `src/eval/expr.rs` runs expressions, `src/eval/fast.rs` the fast shapes.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};

/// A built-in name: what a formula can ask of the indicator being scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Var {
    /// 年初目标值 (A), aggregated over entries; a number or a text.
    A,
    /// 实际完成值 (B), aggregated over entries.
    B,
    /// The indicator's (or the budget line's) points.
    Weight,
    /// A qualitative indicator's rate (得分率), from its tier or the form.
    Rate,
    /// The form's year (年度), when it gives one.
    Year,
    /// A qualitative indicator's tier as the form names it, or "".
    Tier,
    /// The comparison written in the target: "", ">=", "<=", ">", "<", "=".
    Op,
    /// The form's stated direction: "", "positive", "negative".
    Direction,
    /// "number", "percent" or "text".
    Kind,
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Name,
    /// The goal's text.
    Goal,
    /// The form's department (单位名称), or "".
    Department,
}

impl Var {
    /// The name a rule file reads it by in English: `A`, `weight`, `level1`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Var::A => "A",
            Var::B => "B",
            Var::Weight => "weight",
            Var::Rate => "rate",
            Var::Tier => "tier",
            Var::Op => "op",
            Var::Direction => "direction",
            Var::Kind => "kind",
            Var::Level1 => "level1",
            Var::Level2 => "level2",
            Var::Name => "name",
            Var::Goal => "goal",
            Var::Year => "year",
            Var::Department => "department",
        }
    }

    /// How many built-ins there are.
    pub(crate) const COUNT: usize = 14;
    /// The numeric ones (A, B, weight, rate, year) come first.
    pub(crate) const NUMBERS: usize = 5;
}

const _: () = assert!(
    Var::A as usize == 0
        && Var::B as usize == 1
        && Var::Weight as usize == 2
        && Var::Year as usize == Var::NUMBERS - 1
        && Var::Department as usize == Var::COUNT - 1
);

/// The static type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Num,
    Text,
    Bool,
    NumList,
    TextList,
    /// `[]`: a list of either kind (only `x in []`, never true, can use it).
    EmptyList,
    /// Already reported as an error; accepted anywhere so one mistake gives one message.
    Unknown,
}

impl Ty {
    pub(crate) fn is_list(self) -> bool {
        matches!(self, Ty::NumList | Ty::TextList | Ty::EmptyList)
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Ty::Num => "数值",
            Ty::Text => "文字",
            Ty::Bool => "真假值（条件）",
            Ty::NumList => "数值列表",
            Ty::TextList => "文字列表",
            Ty::EmptyList => "空列表",
            Ty::Unknown => "未知",
        }
    }
}

/// A compiled expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CExpr {
    pub(crate) kind: CKind,
    pub(crate) span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CKind {
    Num(Decimal),
    Bool(bool),
    Text(String),
    Var(Var),
    Param(usize),
    /// The form's fact of this name, declared `fact …` (in `Rules::facts`).
    Fact(Arc<str>),
    /// `missing(x)`: whether `x`, a built-in or a fact (never anything else), has no value.
    Missing(Box<CExpr>),
    Unary(UnOp, Box<CExpr>),
    Binary(BinOp, Box<CExpr>, Box<CExpr>),
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    Call(Func, Vec<CExpr>),
    List(Vec<CExpr>),
    /// A step table: the subject, then (comparison, threshold, value) arms and the
    /// `else` value.
    Step(Box<CExpr>, Vec<(BinOp, CExpr, CExpr)>, Box<CExpr>),
}

/// The built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    /// The least of its arguments.
    Min,
    /// The greatest.
    Max,
    /// Rounded down to a whole number.
    Floor,
    /// Rounded up to a whole number.
    Ceil,
    /// Without its sign.
    Abs,
}

impl Func {
    pub(crate) const ALL: [(&'static str, Func); 5] = [
        ("min", Func::Min),
        ("max", Func::Max),
        ("floor", Func::Floor),
        ("ceil", Func::Ceil),
        ("abs", Func::Abs),
    ];

    pub(crate) fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(n, _)| n)
    }

    /// Whether it takes any number of arguments (at least one) rather than exactly one.
    pub(crate) fn variadic(self) -> bool {
        matches!(self, Func::Min | Func::Max)
    }
}

/// A set of built-ins: those the sub-expression an arithmetic error happened in reads,
/// so the error can point at their values in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct VarSet(u16);

impl VarSet {
    fn bit(v: Var) -> u16 {
        1 << (v as u16)
    }

    pub(crate) fn contains(self, v: Var) -> bool {
        self.0 & Self::bit(v) != 0
    }
}

impl CExpr {
    /// The built-ins the expression reads, as a set (for an error's labels).
    pub(crate) fn var_set(&self) -> VarSet {
        let mut used = Vec::new();
        self.vars_used(&mut used);
        VarSet(used.iter().fold(0, |bits, v| bits | VarSet::bit(*v)))
    }

    /// The built-ins the expression reads, each once, in order of first use.
    pub(crate) fn vars_used(&self, out: &mut Vec<Var>) {
        match &self.kind {
            CKind::Var(v) => {
                if !out.contains(v) {
                    out.push(*v);
                }
            }
            CKind::Num(_) | CKind::Bool(_) | CKind::Text(_) | CKind::Param(_) | CKind::Fact(_) => {}
            CKind::Unary(_, x) | CKind::Missing(x) => x.vars_used(out),
            CKind::Binary(_, a, b) => {
                a.vars_used(out);
                b.vars_used(out);
            }
            CKind::If(a, b, c) => {
                for x in [a, b, c] {
                    x.vars_used(out);
                }
            }
            CKind::Call(_, xs) | CKind::List(xs) => xs.iter().for_each(|x| x.vars_used(out)),
            CKind::Step(x, arms, e) => {
                x.vars_used(out);
                for (_, t, v) in arms {
                    t.vars_used(out);
                    v.vars_used(out);
                }
                e.vars_used(out);
            }
        }
    }

    /// The form's facts the expression reads, each once, in order of first use.
    pub(crate) fn facts_used<'e>(&'e self, out: &mut Vec<&'e Arc<str>>) {
        if let CKind::Fact(name) = &self.kind {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        for x in subexpressions(self) {
            x.facts_used(out);
        }
    }

    /// Whether the expression tests `missing(var)` anywhere: a class whose `when` does
    /// scores an indicator left without that value.
    pub(crate) fn tests_missing(&self, var: Var) -> bool {
        if let CKind::Missing(x) = &self.kind {
            return matches!(x.kind, CKind::Var(v) if v == var);
        }
        subexpressions(self)
            .into_iter()
            .any(|x| x.tests_missing(var))
    }

    /// Whether the expression reads `var` anywhere.
    pub(crate) fn uses(&self, var: Var) -> bool {
        match &self.kind {
            CKind::Var(v) => *v == var,
            CKind::Num(_) | CKind::Bool(_) | CKind::Text(_) | CKind::Param(_) | CKind::Fact(_) => {
                false
            }
            CKind::Unary(_, x) | CKind::Missing(x) => x.uses(var),
            CKind::Binary(_, a, b) => a.uses(var) || b.uses(var),
            CKind::If(a, b, c) => a.uses(var) || b.uses(var) || c.uses(var),
            CKind::Call(_, xs) | CKind::List(xs) => xs.iter().any(|x| x.uses(var)),
            CKind::Step(x, arms, e) => {
                x.uses(var)
                    || e.uses(var)
                    || arms.iter().any(|(_, t, v)| t.uses(var) || v.uses(var))
            }
        }
    }
}

/// A condition as the checker compiled it, with its [`Test`] where it has the commonest
/// shape. It reads as the expression (`Deref`); [`Cond::truth`] takes the test first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cond {
    expr: CExpr,
    test: Option<Test>,
}

impl Cond {
    pub(crate) fn new(expr: CExpr) -> Cond {
        Cond {
            test: Test::of(&expr),
            expr,
        }
    }

    /// The fast test found for the condition, if it has that shape.
    #[inline]
    pub(crate) fn test(&self) -> Option<&Test> {
        self.test.as_ref()
    }

    /// The condition as an expression, for the general path.
    #[inline]
    pub(crate) fn expr(&self) -> &CExpr {
        &self.expr
    }
}

impl std::ops::Deref for Cond {
    type Target = CExpr;

    fn deref(&self) -> &CExpr {
        &self.expr
    }
}

/// A condition of the commonest shape: text built-ins compared with texts or with each
/// other, numeric built-ins compared with 0, joined by `and`, `or` and `not`
/// (`op in ["<=", "<"] or direction == "negative"`, `B == A`, `level1 == "满意度指标"`,
/// `A == 0`). The checker finds it once; evaluation then decides it without walking the
/// expression. It cannot fail: where a built-in has no value of the kind it needs, it
/// gives way and the expression is evaluated the general way.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    /// `var == "a"` (one text), `var in ["a", "b"]`; negated for `!=`.
    Text(Var, Vec<String>, bool),
    /// `a == b` over two texts; negated for `!=`.
    Same(Var, Var, bool),
    /// `var OP 0`.
    Sign(Var, BinOp),
    Not(Box<Test>),
    And(Box<Test>, Box<Test>),
    Or(Box<Test>, Box<Test>),
}

impl Test {
    fn of(e: &CExpr) -> Option<Test> {
        Some(match &e.kind {
            CKind::Unary(UnOp::Not, x) => Test::Not(Box::new(Test::of(x)?)),
            CKind::Binary(BinOp::And, l, r) => {
                Test::And(Box::new(Test::of(l)?), Box::new(Test::of(r)?))
            }
            CKind::Binary(BinOp::Or, l, r) => {
                Test::Or(Box::new(Test::of(l)?), Box::new(Test::of(r)?))
            }
            CKind::Binary(op, l, r) => {
                let CKind::Var(v) = l.kind else {
                    return None;
                };
                let negate = *op == BinOp::Ne;
                match (op, &r.kind) {
                    (BinOp::Eq | BinOp::Ne, CKind::Text(t)) => {
                        Test::Text(v, vec![t.clone()], negate)
                    }
                    (BinOp::Eq | BinOp::Ne, CKind::Var(w)) => Test::Same(v, *w, negate),
                    (BinOp::In, CKind::List(items)) => Test::Text(
                        v,
                        items
                            .iter()
                            .map(|i| match &i.kind {
                                CKind::Text(t) => Some(t.clone()),
                                _ => None,
                            })
                            .collect::<Option<Vec<_>>>()?,
                        false,
                    ),
                    (
                        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge,
                        CKind::Num(n),
                    ) if n.is_zero() => Test::Sign(v, *op),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}

/// A numeric formula as the checker compiled it (a score, a cap, a guard's value), with
/// its [`Chain`] where it has that shape. It reads as the expression (`Deref`);
/// [`Calc::number`] runs the chain first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Calc {
    expr: CExpr,
    chain: Option<Chain>,
}

impl Calc {
    pub(crate) fn new(expr: CExpr) -> Calc {
        Calc {
            chain: Chain::of(&expr),
            expr,
        }
    }

    /// The fast chain found for the formula, if it has that shape.
    #[inline]
    pub(crate) fn chain(&self) -> Option<&Chain> {
        self.chain.as_ref()
    }

    /// The formula as an expression, for the general path.
    #[inline]
    pub(crate) fn expr(&self) -> &CExpr {
        &self.expr
    }
}

impl std::ops::Deref for Calc {
    type Target = CExpr;

    fn deref(&self) -> &CExpr {
        &self.expr
    }
}

/// A formula of the commonest shape, arithmetic on names and numbers read left to right:
/// `weight * B / A`, `weight * rate`, `A - B + 1`, or a single name (`cap weight`).
/// The checker finds it once; evaluation then runs one loop instead of a recursive call
/// per operator. An expression of any other shape has no chain.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chain {
    pub(crate) first: Leaf,
    pub(crate) rest: Vec<(BinOp, Leaf)>,
}

/// An operand of a [`Chain`]: a number, a parameter or a built-in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Leaf {
    Num(Decimal),
    Param(usize),
    Var(Var),
}

impl Leaf {
    fn of(e: &CExpr) -> Option<Leaf> {
        match e.kind {
            CKind::Num(n) => Some(Leaf::Num(n)),
            CKind::Param(i) => Some(Leaf::Param(i)),
            CKind::Var(v) => Some(Leaf::Var(v)),
            _ => None,
        }
    }
}

impl Chain {
    /// The chain `e` is, if it is one.
    fn of(e: &CExpr) -> Option<Chain> {
        let mut rest = Vec::new();
        let mut node = e;
        while let CKind::Binary(op, l, r) = &node.kind {
            if !arithmetic(*op) {
                return None;
            }
            rest.push((*op, Leaf::of(r)?));
            node = l;
        }
        let first = Leaf::of(node)?;
        rest.reverse();
        Some(Chain { first, rest })
    }
}

/// `+ - * /`, as opposed to comparisons and logic.
pub(crate) fn arithmetic(op: BinOp) -> bool {
    matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
}

/// The direct sub-expressions of `e`.
pub(crate) fn subexpressions(e: &CExpr) -> Vec<&CExpr> {
    match &e.kind {
        CKind::Num(_)
        | CKind::Bool(_)
        | CKind::Text(_)
        | CKind::Var(_)
        | CKind::Param(_)
        | CKind::Fact(_) => Vec::new(),
        CKind::Unary(_, x) | CKind::Missing(x) => vec![x],
        CKind::Binary(_, a, b) => vec![a, b],
        CKind::If(a, b, c) => vec![a, b, c],
        CKind::Call(_, xs) | CKind::List(xs) => xs.iter().collect(),
        CKind::Step(x, arms, e) => {
            let mut out = vec![x.as_ref()];
            for (_, t, v) in arms {
                out.push(t);
                out.push(v);
            }
            out.push(e);
            out
        }
    }
}
