//! Compiled expressions: names resolved, types checked, percentages scaled. They
//! evaluate themselves against the values of the built-in names, with checked arithmetic.

use rust_decimal::Decimal;

use crate::num::{ArithError, Exact, Frac, Op};
use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};

/// A built-in name: what a formula can ask of the indicator being scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Var {
    /// 年初目标值 (A), aggregated over entries; a number or a text.
    A,
    /// 实际完成值 (B), aggregated over entries.
    B,
    /// The indicator's (or the budget line's) points.
    Weight,
    /// A qualitative indicator's rate (得分率), from its tier or the form.
    Rate,
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
}

impl Var {
    /// How many built-ins there are.
    pub(crate) const COUNT: usize = 12;
    /// The numeric ones (A, B, weight, rate) come first.
    pub(crate) const NUMBERS: usize = 4;
}

const _: () = assert!(
    Var::A as usize == 0
        && Var::B as usize == 1
        && Var::Weight as usize == 2
        && Var::Rate as usize == Var::NUMBERS - 1
        && Var::Goal as usize == Var::COUNT - 1
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

/// A runtime value. Numbers are exact fractions: nothing is rounded until a score is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val<'a> {
    Num(Exact),
    Text(&'a str),
    Bool(bool),
}

/// Why an expression could not be evaluated: boxed, so that every evaluation step returns
/// a result that fits in two registers (the error is rare, the step is not).
pub(crate) type ExprError = Box<ExprFault>;

/// What went wrong in an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExprFault {
    /// Arithmetic failed in the sub-expression at this span.
    Arith(ArithError, Span, VarSet),
    /// A built-in has no value in this context (the checker should have refused it).
    Unbound(Var, Span),
}

/// Where an expression finds the built-ins' values: the indicator being scored. The
/// evaluator's own subject implements it directly, so evaluation makes no dynamic call
/// per name; any `Fn(Var) -> Option<Val>` closure does too.
pub(crate) trait Env<'a> {
    /// The value of `var`, or `None` when it has none here.
    fn get(&self, var: Var) -> Option<Val<'a>>;

    /// The value of `var` when it is a text, read without building a [`Val`]: the fast
    /// path of the commonest conditions (`op in ["<=", "<"]`, `level1 == "满意度指标"`).
    /// `None` when it is not a text here; the caller then takes the general path.
    #[inline]
    fn text(&self, var: Var) -> Option<&'a str> {
        match self.get(var) {
            Some(Val::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The value of `var` when it is a number.
    #[inline]
    fn num(&self, var: Var) -> Option<Exact> {
        match self.get(var) {
            Some(Val::Num(n)) => Some(n),
            _ => None,
        }
    }

    /// The value of `var` when it is a number held as a small fraction, read without
    /// copying an [`Exact`]: the fast path of formulas (`weight * B / A`) and of guards
    /// such as `A == 0`. `None` sends the caller the general way.
    #[inline]
    fn frac(&self, var: Var) -> Option<Frac> {
        self.num(var).and_then(|x| x.frac())
    }
}

impl<'a, F: Fn(Var) -> Option<Val<'a>> + ?Sized> Env<'a> for F {
    fn get(&self, var: Var) -> Option<Val<'a>> {
        self(var)
    }
}

impl CExpr {
    /// Evaluates with `vars` giving the built-ins and `params` the parameters' values.
    pub(crate) fn eval<'a>(
        &'a self,
        vars: &dyn Fn(Var) -> Option<Val<'a>>,
        params: &[Decimal],
    ) -> Result<Val<'a>, ExprError> {
        self.value(vars, params)
    }

    /// The expression's value, of whatever type.
    ///
    /// Evaluation is typed: a numeric expression is evaluated by [`CExpr::number`] and a
    /// condition by [`CExpr::truth`], which pass plain decimals and booleans between
    /// nodes rather than [`Val`]s. The checker guarantees each operand's type; a
    /// mismatch could only come from a bug and gives a neutral value (0, false) rather
    /// than a panic.
    pub(crate) fn value<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &[Decimal],
    ) -> Result<Val<'a>, ExprError> {
        Ok(match &self.kind {
            CKind::Text(t) => Val::Text(t),
            CKind::Bool(b) => Val::Bool(*b),
            CKind::Var(v) => env
                .get(*v)
                .ok_or_else(|| Box::new(ExprFault::Unbound(*v, self.span)))?,
            CKind::If(c, a, b) => {
                if c.truth(env, params)? {
                    a.value(env, params)?
                } else {
                    b.value(env, params)?
                }
            }
            CKind::Step(x, arms, otherwise) => {
                let v = x.number(env, params)?;
                for (op, threshold, value) in arms {
                    if step_holds(*op, &v, &threshold.number(env, params)?) {
                        return value.value(env, params);
                    }
                }
                otherwise.value(env, params)?
            }
            CKind::List(_) | CKind::Unary(UnOp::Not, _) => Val::Bool(self.truth(env, params)?),
            CKind::Binary(op, ..) if !arithmetic(*op) => Val::Bool(self.truth(env, params)?),
            CKind::Num(_)
            | CKind::Param(_)
            | CKind::Unary(UnOp::Neg, _)
            | CKind::Binary(..)
            | CKind::Call(..) => Val::Num(self.number(env, params)?),
        })
    }

    /// The value of a numeric expression.
    pub(crate) fn number<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &[Decimal],
    ) -> Result<Exact, ExprError> {
        let arith = |r: Result<Exact, ArithError>| {
            r.map_err(|e| Box::new(ExprFault::Arith(e, self.span, self.var_set())))
        };
        Ok(match &self.kind {
            CKind::Num(n) => Exact::from(*n),
            CKind::Param(i) => param(params, *i),
            CKind::Var(v) => self.var_number(*v, env)?,
            CKind::Unary(UnOp::Neg, x) => x.num_operand(env, params)?.neg(),
            CKind::Binary(op, l, r) if arithmetic(*op) => {
                let a = l.num_operand(env, params)?;
                let b = r.num_operand(env, params)?;
                match op {
                    BinOp::Add => arith(a.add(&b))?,
                    BinOp::Sub => arith(a.sub(&b))?,
                    BinOp::Mul => arith(a.mul(&b))?,
                    // A zero divisor is the divisor's fault: name only what it reads.
                    _ => a.div(&b).map_err(|e| {
                        let used = match e {
                            ArithError::DivisionByZero => r.var_set(),
                            ArithError::Overflow => self.var_set(),
                        };
                        Box::new(ExprFault::Arith(e, self.span, used))
                    })?,
                }
            }
            CKind::If(c, a, b) => {
                if c.truth(env, params)? {
                    a.number(env, params)?
                } else {
                    b.number(env, params)?
                }
            }
            CKind::Call(f, xs) => {
                let mut best: Option<Exact> = None;
                for x in xs {
                    let v = x.number(env, params)?;
                    best = Some(match (f, best) {
                        (_, None) => v,
                        (Func::Min, Some(b)) => b.min(v),
                        (_, Some(b)) => b.max(v),
                    });
                }
                let v = best.unwrap_or(Exact::ZERO);
                match f {
                    Func::Min | Func::Max => v,
                    Func::Floor => v.floor(),
                    Func::Ceil => v.ceil(),
                    Func::Abs => v.abs(),
                }
            }
            CKind::Step(x, arms, otherwise) => {
                let v = x.number(env, params)?;
                for (op, threshold, value) in arms {
                    if step_holds(*op, &v, &threshold.number(env, params)?) {
                        return value.number(env, params);
                    }
                }
                otherwise.number(env, params)?
            }
            CKind::Text(_)
            | CKind::Bool(_)
            | CKind::List(_)
            | CKind::Unary(UnOp::Not, _)
            | CKind::Binary(..) => {
                self.value(env, params)?;
                Exact::ZERO
            }
        })
    }

    /// An operand's value: a literal, parameter or built-in read in place (most operands
    /// are one), anything else evaluated.
    #[inline(always)]
    fn operand<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &[Decimal],
    ) -> Result<Val<'a>, ExprError> {
        match &self.kind {
            CKind::Text(t) => Ok(Val::Text(t)),
            CKind::Num(n) => Ok(Val::Num(Exact::from(*n))),
            CKind::Param(i) => Ok(Val::Num(param(params, *i))),
            CKind::Var(v) => env
                .get(*v)
                .ok_or_else(|| Box::new(ExprFault::Unbound(*v, self.span))),
            _ => self.value(env, params),
        }
    }

    /// A numeric operand's value, read in place when it is a leaf (see [`CExpr::operand`]).
    #[inline(always)]
    fn num_operand<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &[Decimal],
    ) -> Result<Exact, ExprError> {
        match &self.kind {
            CKind::Num(n) => Ok(Exact::from(*n)),
            CKind::Param(i) => Ok(param(params, *i)),
            CKind::Var(v) => self.var_number(*v, env),
            _ => self.number(env, params),
        }
    }

    /// The built-in `v` (this node) as a number: a text reads as 0 (the checker never lets
    /// one reach arithmetic), no value at all is an error.
    #[inline(always)]
    fn var_number<'a, E: Env<'a> + ?Sized>(&self, v: Var, env: &E) -> Result<Exact, ExprError> {
        match env.num(v) {
            Some(n) => Ok(n),
            None => match env.get(v) {
                Some(Val::Num(n)) => Ok(n),
                Some(_) => Ok(Exact::ZERO),
                None => Err(Box::new(ExprFault::Unbound(v, self.span))),
            },
        }
    }

    /// A comparison or membership test (`==`, `!=`, `<`, `in`, …) by the general path.
    #[inline]
    fn compare<'a, E: Env<'a> + ?Sized>(
        &'a self,
        op: BinOp,
        l: &'a CExpr,
        r: &'a CExpr,
        env: &E,
        params: &[Decimal],
    ) -> Result<bool, ExprError> {
        Ok(match op {
            BinOp::In => {
                let x = l.operand(env, params)?;
                let CKind::List(items) = &r.kind else {
                    return Ok(false);
                };
                for item in items {
                    if item.operand(env, params)? == x {
                        return Ok(true);
                    }
                }
                false
            }
            BinOp::Eq => l.operand(env, params)? == r.operand(env, params)?,
            BinOp::Ne => l.operand(env, params)? != r.operand(env, params)?,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let a = l.num_operand(env, params)?;
                let b = r.num_operand(env, params)?;
                match op {
                    BinOp::Lt => a < b,
                    BinOp::Le => a <= b,
                    BinOp::Gt => a > b,
                    _ => a >= b,
                }
            }
            // Arithmetic evaluated for its errors, as a number is never true.
            _ => {
                self.number(env, params)?;
                false
            }
        })
    }

    /// Whether a condition holds.
    pub(crate) fn truth<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &[Decimal],
    ) -> Result<bool, ExprError> {
        Ok(match &self.kind {
            CKind::Bool(b) => *b,
            CKind::Var(v) => {
                env.get(*v)
                    .ok_or_else(|| Box::new(ExprFault::Unbound(*v, self.span)))?
                    == Val::Bool(true)
            }
            CKind::Unary(UnOp::Not, x) => !x.truth(env, params)?,
            CKind::If(c, a, b) => {
                if c.truth(env, params)? {
                    a.truth(env, params)?
                } else {
                    b.truth(env, params)?
                }
            }
            CKind::Step(..) => self.value(env, params)? == Val::Bool(true),
            CKind::Binary(op, l, r) => match op {
                BinOp::And => l.truth(env, params)? && r.truth(env, params)?,
                BinOp::Or => l.truth(env, params)? || r.truth(env, params)?,
                // The commonest comparisons are decided before this, by the condition's
                // compiled test (`Cond`).
                _ => self.compare(*op, l, r, env, params)?,
            },
            CKind::List(_) => false,
            CKind::Num(_) | CKind::Param(_) | CKind::Text(_) | CKind::Unary(UnOp::Neg, _) => {
                self.value(env, params)?;
                false
            }
            CKind::Call(..) => {
                self.number(env, params)?;
                false
            }
        })
    }

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
            CKind::Num(_) | CKind::Bool(_) | CKind::Text(_) | CKind::Param(_) => {}
            CKind::Unary(_, x) => x.vars_used(out),
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

    /// Whether the expression reads `var` anywhere.
    pub(crate) fn uses(&self, var: Var) -> bool {
        match &self.kind {
            CKind::Var(v) => *v == var,
            CKind::Num(_) | CKind::Bool(_) | CKind::Text(_) | CKind::Param(_) => false,
            CKind::Unary(_, x) => x.uses(var),
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

    /// Whether the condition holds, as [`CExpr::truth`] decides it.
    #[inline]
    pub(crate) fn truth<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &[Decimal],
    ) -> Result<bool, ExprError> {
        match self.test.as_ref().and_then(|t| t.holds(env)) {
            Some(holds) => Ok(holds),
            None => self.expr.truth(env, params),
        }
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
enum Test {
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

    /// Whether it holds; `None` when a built-in has no value of the kind it compares.
    fn holds<'a, E: Env<'a> + ?Sized>(&self, env: &E) -> Option<bool> {
        Some(match self {
            Test::Text(v, texts, negate) => {
                let x = env.text(*v)?;
                texts.iter().any(|t| t == x) != *negate
            }
            Test::Same(a, b, negate) => (env.text(*a)? == env.text(*b)?) != *negate,
            Test::Sign(v, op) => {
                let Frac(n, _) = env.frac(*v)?;
                let zero = n == 0;
                let negative = n < 0;
                match op {
                    BinOp::Eq => zero,
                    BinOp::Ne => !zero,
                    BinOp::Lt => negative,
                    BinOp::Le => zero || negative,
                    BinOp::Gt => !zero && !negative,
                    _ => !negative,
                }
            }
            Test::Not(t) => !t.holds(env)?,
            Test::And(l, r) => l.holds(env)? && r.holds(env)?,
            Test::Or(l, r) => l.holds(env)? || r.holds(env)?,
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

    /// The formula's value, as [`CExpr::number`] gives it.
    #[inline]
    pub(crate) fn number<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &[Decimal],
    ) -> Result<Exact, ExprError> {
        match self.chain.as_ref().and_then(|c| c.number(env, params)) {
            Some(v) => Ok(v),
            None => self.expr.number(env, params),
        }
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
struct Chain {
    first: Leaf,
    rest: Vec<(BinOp, Leaf)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Leaf {
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

    #[inline(always)]
    fn frac<'a, E: Env<'a> + ?Sized>(self, env: &E, params: &[Decimal]) -> Option<Frac> {
        match self {
            Leaf::Num(n) => Some(Frac::of(n)),
            Leaf::Param(i) => params.get(i).map(|p| Frac::of(*p)),
            Leaf::Var(v) => env.frac(v),
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

    /// The value, as [`CExpr::number`] gives it; `None` when a name has no number here
    /// or an operation fails. The caller then evaluates the expression the general way,
    /// which finds the same failure and reports it with its place in the formula.
    ///
    /// The values stay small fractions in registers ([`Frac`]) and make one [`Exact`] at
    /// the end; a value held as a big rational, or a result too large for the small form,
    /// sends the formula the general way.
    #[inline]
    fn number<'a, E: Env<'a> + ?Sized>(&self, env: &E, params: &[Decimal]) -> Option<Exact> {
        let mut acc = self.first.frac(env, params)?;
        for (op, leaf) in &self.rest {
            let x = leaf.frac(env, params)?;
            let op = match op {
                BinOp::Add => Op::Add,
                BinOp::Sub => Op::Sub,
                BinOp::Mul => Op::Mul,
                _ => Op::Div,
            };
            acc = acc.op(op, x)?;
        }
        Some(Exact::from(acc))
    }
}

/// A parameter's value by index (0 for an index the checker never gives out).
#[inline]
fn param(params: &[Decimal], i: usize) -> Exact {
    params.get(i).map_or(Exact::ZERO, |p| Exact::from(*p))
}

/// `+ - * /`, as opposed to comparisons and logic.
fn arithmetic(op: BinOp) -> bool {
    matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
}

/// Whether a step table's arm `op threshold` holds for `v`.
fn step_holds(op: BinOp, v: &Exact, threshold: &Exact) -> bool {
    match op {
        BinOp::Ge => v >= threshold,
        BinOp::Gt => v > threshold,
        BinOp::Le => v <= threshold,
        _ => v < threshold,
    }
}

impl CExpr {
    /// The expression with built-ins by their English names and parameters by index,
    /// no spans: two rule files that mean the same print the same.
    pub(crate) fn canonical(&self) -> String {
        let mut out = String::new();
        self.render(&mut out, &|_| None, &[], 0);
        out
    }

    /// The expression with every name replaced by its value: `2 × 3916 / 4000`.
    pub(crate) fn substituted<'a>(
        &'a self,
        vars: &dyn Fn(Var) -> Option<Val<'a>>,
        params: &[Decimal],
    ) -> String {
        let mut out = String::new();
        self.render(&mut out, vars, params, 0);
        out
    }

    fn render<'a>(
        &'a self,
        out: &mut String,
        vars: &dyn Fn(Var) -> Option<Val<'a>>,
        params: &[Decimal],
        min_prec: u8,
    ) {
        let value = |out: &mut String, v: Option<Val<'_>>| match v {
            Some(Val::Num(n)) => out.push_str(&n.to_string()),
            Some(Val::Text(t)) => {
                out.push('「');
                out.push_str(t);
                out.push('」');
            }
            Some(Val::Bool(b)) => out.push_str(if b { "是" } else { "否" }),
            None => {}
        };
        match &self.kind {
            CKind::Num(_) | CKind::Bool(_) | CKind::Text(_) | CKind::Var(_) | CKind::Param(_) => {
                let v = match &self.kind {
                    CKind::Num(n) => Some(Val::Num(Exact::from(*n))),
                    CKind::Bool(b) => Some(Val::Bool(*b)),
                    CKind::Text(t) => Some(Val::Text(t)),
                    CKind::Var(v) => vars(*v),
                    CKind::Param(i) => params.get(*i).map(|p| Val::Num(Exact::from(*p))),
                    _ => None,
                };
                if v.is_none() {
                    match &self.kind {
                        CKind::Var(var) => out.push_str(&format!("{var:?}")),
                        CKind::Param(i) => out.push_str(&format!("param#{i}")),
                        _ => out.push('?'),
                    }
                    return;
                }
                let negative = matches!(&v, Some(Val::Num(n)) if n.is_negative());
                if negative && min_prec > 0 {
                    out.push('(');
                    value(out, v);
                    out.push(')');
                } else {
                    value(out, v);
                }
            }
            CKind::Unary(UnOp::Neg, x) => {
                out.push('-');
                x.render(out, vars, params, 7);
            }
            CKind::Unary(UnOp::Not, x) => {
                out.push_str("not ");
                x.render(out, vars, params, 3);
            }
            CKind::If(c, a, b) => {
                out.push_str("(if ");
                c.render(out, vars, params, 0);
                out.push_str(" then ");
                a.render(out, vars, params, 0);
                out.push_str(" else ");
                b.render(out, vars, params, 0);
                out.push(')');
            }
            CKind::Step(x, arms, otherwise) => {
                out.push_str("step(");
                x.render(out, vars, params, 0);
                for (op, t, v) in arms {
                    out.push_str(", ");
                    out.push_str(op.symbol());
                    out.push(' ');
                    t.render(out, vars, params, 0);
                    out.push_str(": ");
                    v.render(out, vars, params, 0);
                }
                out.push_str(", else: ");
                otherwise.render(out, vars, params, 0);
                out.push(')');
            }
            CKind::Call(_, xs) | CKind::List(xs) => {
                let (open, close) = match &self.kind {
                    CKind::Call(f, _) => (f.name(), ")"),
                    _ => ("[", "]"),
                };
                out.push_str(open);
                if matches!(self.kind, CKind::Call(..)) {
                    out.push('(');
                }
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    x.render(out, vars, params, 0);
                }
                out.push_str(close);
            }
            CKind::Binary(op, l, r) => {
                let p = op.precedence();
                let paren = p < min_prec;
                if paren {
                    out.push('(');
                }
                l.render(out, vars, params, p);
                out.push(' ');
                out.push_str(match op {
                    BinOp::Mul => "×",
                    BinOp::Div => "/",
                    other => other.symbol(),
                });
                out.push(' ');
                r.render(out, vars, params, p + 1);
                if paren {
                    out.push(')');
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiled tests of text conditions (`Cond`) give what the general path gives, for
    /// every shape they take and for values inside and outside the lists.
    #[test]
    fn text_tests_agree_with_the_general_path() {
        let text = r#"rules "t"
budget:
    weight 20
    score weight
class c1 for numbers when op in ["<=", "<"] or direction == "negative":
    score weight
class c2 for numbers when level1 != "满意度指标" and not (kind in ["percent"]):
    score weight
class c3 for numbers when op in [] or name == "":
    score weight
class c4 for text when B == A or A != name:
    score weight
"#;
        let rules = crate::compile(&crate::Source::new("t.rules", text)).expect("compiles");
        // Evaluation borrows the expression for as long as the values it reads.
        let rules: &'static crate::Rules = Box::leak(Box::new(rules));
        let conditions: Vec<&Cond> = rules
            .classes
            .iter()
            .filter_map(|c| c.when.as_ref())
            .collect();
        assert_eq!(conditions.len(), 4);
        // Each has the shape of a compiled test, decided without the expression.
        assert!(conditions.iter().all(|c| c.test.is_some()));
        for (op, a, b) in [
            ("", "x", "x"),
            ("<=", "x", "y"),
            ("<", "达成", "达成"),
            (">=", "", "y"),
            ("=", "x", ""),
        ] {
            for direction in ["", "positive", "negative"] {
                for level1 in ["满意度指标", "产出指标"] {
                    for kind in ["number", "percent"] {
                        let env = |v: Var| -> Option<Val<'static>> {
                            Some(Val::Text(match v {
                                Var::Op => op,
                                Var::Direction => direction,
                                Var::Level1 => level1,
                                Var::Kind => kind,
                                Var::Name => "x",
                                Var::A => a,
                                Var::B => b,
                                _ => return None,
                            }))
                        };
                        for c in &conditions {
                            let tested = c.truth(&env, &[]).expect("evaluates");
                            let slow = general(c, &env);
                            assert_eq!(tested, slow, "{op} {direction} {level1} {kind}");
                        }
                    }
                }
            }
        }
    }

    /// Compiled tests of comparisons with 0, decided by sign, agree with the general
    /// path, for negative, zero (of any scale), and positive values.
    #[test]
    fn zero_tests_agree_with_the_general_path() {
        let text = r#"rules "t"
budget:
    weight 20
    score weight
class c for numbers:
    score weight
    if A == 0: 0
    if B != 0 and A < 0: 0
    if A <= 0 or B > 0 or A >= 0: 0
    if not (A > 0): 0
"#;
        let rules = crate::compile(&crate::Source::new("t.rules", text)).expect("compiles");
        let rules: &'static crate::Rules = Box::leak(Box::new(rules));
        let guards: Vec<&Cond> = rules.classes[0]
            .formula
            .guards
            .iter()
            .map(|g| &g.cond)
            .collect();
        assert_eq!(guards.len(), 4);
        assert!(guards.iter().all(|g| g.test.is_some()));
        let values: Vec<Decimal> = ["-1", "-0.5", "0", "0.00", "-0", "0.001", "7"]
            .iter()
            .map(|v| v.parse().expect("a decimal"))
            .collect();
        for a in &values {
            for b in &values {
                let env = |v: Var| -> Option<Val<'static>> {
                    match v {
                        Var::A => Some(Val::Num(Exact::from(*a))),
                        Var::B => Some(Val::Num(Exact::from(*b))),
                        _ => None,
                    }
                };
                for g in &guards {
                    let tested = g.truth(&env, &[]).expect("evaluates");
                    assert_eq!(tested, general(g, &env), "A = {a}, B = {b}");
                }
            }
        }
    }

    /// A chain gives what the general path gives wherever that succeeds, and gives way
    /// (None) wherever it fails or reads a name with no number; shapes that are not
    /// chains have none.
    #[test]
    fn chains_agree_with_the_general_path() {
        let text = r#"rules "t"
param p = 3
budget:
    weight 20
    score weight
class c for numbers:
    score weight * B / A
    if A == 0: weight
    if B == 0: A - B + p
    if B == 1: 2 * weight / 0
    if B == 2: B
    if B == 3: weight * (B / A)
    if B == 4: -A * B
    if B == 5: min(A, B) / 2
class q for text:
    score weight * rate
"#;
        let rules = crate::compile(&crate::Source::new("t.rules", text)).expect("compiles");
        let rules: &'static crate::Rules = Box::leak(Box::new(rules));
        let formula = &rules.classes[0].formula;
        let mut exprs: Vec<&CExpr> = vec![&formula.score, &rules.classes[1].formula.score];
        for g in &formula.guards {
            if let crate::check::GuardOutcome::Value(v) = &g.result {
                exprs.push(v);
            }
        }
        let chains: Vec<Option<Chain>> = exprs.iter().map(|e| Chain::of(e)).collect();
        let shapes: Vec<bool> = chains.iter().map(Option::is_some).collect();
        assert_eq!(
            shapes,
            [true, true, true, true, true, true, false, false, false]
        );
        let values: Vec<Decimal> = ["0", "-2", "3", "1.50", "79228162514264337593543950335"]
            .iter()
            .map(|v| v.parse().expect("a decimal"))
            .collect();
        let params = [Decimal::from(3)];
        for a in &values {
            for b in &values {
                for rate in [None, Some(Decimal::new(5, 1))] {
                    let env = |v: Var| -> Option<Val<'static>> {
                        match v {
                            Var::A => Some(Val::Num(Exact::from(*a))),
                            Var::B => Some(Val::Num(Exact::from(*b))),
                            Var::Weight => Some(Val::Num(Exact::from(Decimal::TEN))),
                            Var::Rate => rate.map(|r| Val::Num(Exact::from(r))),
                            _ => None,
                        }
                    };
                    for (e, chain) in exprs.iter().zip(&chains) {
                        let Some(chain) = chain else { continue };
                        let general = e.number(&env, &params).ok();
                        assert_eq!(chain.number(&env, &params), general, "A = {a}, B = {b}");
                    }
                }
            }
        }
    }

    /// A condition by the general path only: `not`, `and`, `or`, and comparisons through
    /// `compare`.
    fn general<'a>(e: &'a CExpr, env: &dyn Fn(Var) -> Option<Val<'a>>) -> bool {
        match &e.kind {
            CKind::Unary(UnOp::Not, x) => !general(x, env),
            CKind::Binary(BinOp::And, l, r) => general(l, env) && general(r, env),
            CKind::Binary(BinOp::Or, l, r) => general(l, env) || general(r, env),
            CKind::Binary(op, l, r) => e.compare(*op, l, r, env, &[]).expect("evaluates"),
            _ => panic!("unexpected shape"),
        }
    }
}
