//! The expression interpreter: a compiled [`CExpr`] evaluated against the built-ins'
//! values ([`Env`]) and the parameters' values, with exact arithmetic.
//!
//! Input: an expression the checker typed. Output: its [`Val`], or an [`ExprFault`]
//! (arithmetic that failed, with the sub-expression's span and the built-ins it reads).
//! Invariants: evaluation is typed (numbers pass as [`Exact`], conditions as `bool`), an
//! operand of the wrong type, which only a bug could give, reads as a neutral value (0,
//! false) rather than a panic; nothing is rounded. The fast shapes the checker found
//! ([`crate::check::ir::Test`], [`crate::check::ir::Chain`]) are tried first, in
//! `fast.rs`; this is the general path they fall back on.

use rust_decimal::Decimal;

use crate::check::ParamValues;
use crate::check::ir::{CExpr, CKind, Func, Var, VarSet, arithmetic};
use crate::num::{ArithError, Exact, Frac};
use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};

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
    /// The form does not state the fact read at this span (`fact …`).
    MissingFact(Span),
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

    /// The form's fact `name` (declared `fact …`), or `None` when the form does not state
    /// it, or there is no form here (a constant, a lint's sample).
    #[inline]
    fn fact(&self, name: &str) -> Option<Val<'a>> {
        let _ = name;
        None
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
        params: &'a ParamValues,
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
        params: &'a ParamValues,
    ) -> Result<Val<'a>, ExprError> {
        Ok(match &self.kind {
            CKind::Text(t) => Val::Text(t),
            CKind::Bool(b) => Val::Bool(*b),
            CKind::Var(v) => env
                .get(*v)
                .ok_or_else(|| Box::new(ExprFault::Unbound(*v, self.span)))?,
            CKind::Fact(name) => self.fact(name, env)?,
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
            CKind::List(_) | CKind::Unary(UnOp::Not, _) | CKind::Missing(_) => {
                Val::Bool(self.truth(env, params)?)
            }
            CKind::Binary(op, ..) if !arithmetic(*op) => Val::Bool(self.truth(env, params)?),
            CKind::Param(i) => param_value(params, *i),
            CKind::Num(_) | CKind::Unary(UnOp::Neg, _) | CKind::Binary(..) | CKind::Call(..) => {
                Val::Num(self.number(env, params)?)
            }
        })
    }

    /// The value of a numeric expression.
    pub(crate) fn number<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &'a ParamValues,
    ) -> Result<Exact, ExprError> {
        let arith = |r: Result<Exact, ArithError>| {
            r.map_err(|e| Box::new(ExprFault::Arith(e, self.span, self.var_set())))
        };
        Ok(match &self.kind {
            CKind::Num(n) => Exact::from(*n),
            CKind::Param(i) => param(params, *i),
            CKind::Var(v) => self.var_number(*v, env)?,
            CKind::Fact(name) => match self.fact(name, env)? {
                Val::Num(n) => n,
                Val::Text(_) | Val::Bool(_) => Exact::ZERO,
            },
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
            | CKind::Missing(_)
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
        params: &'a ParamValues,
    ) -> Result<Val<'a>, ExprError> {
        match &self.kind {
            CKind::Text(t) => Ok(Val::Text(t)),
            CKind::Num(n) => Ok(Val::Num(Exact::from(*n))),
            CKind::Param(i) => Ok(param_value(params, *i)),
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
        params: &'a ParamValues,
    ) -> Result<Exact, ExprError> {
        match &self.kind {
            CKind::Num(n) => Ok(Exact::from(*n)),
            CKind::Param(i) => Ok(param(params, *i)),
            CKind::Var(v) => self.var_number(*v, env),
            _ => self.number(env, params),
        }
    }

    /// The form's fact `name` (this node), or the fault that the form lacks it.
    #[inline]
    fn fact<'a, E: Env<'a> + ?Sized>(&self, name: &str, env: &E) -> Result<Val<'a>, ExprError> {
        env.fact(name)
            .ok_or_else(|| Box::new(ExprFault::MissingFact(self.span)))
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
    pub(super) fn compare<'a, E: Env<'a> + ?Sized>(
        &'a self,
        op: BinOp,
        l: &'a CExpr,
        r: &'a CExpr,
        env: &E,
        params: &'a ParamValues,
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
        params: &'a ParamValues,
    ) -> Result<bool, ExprError> {
        Ok(match &self.kind {
            CKind::Bool(b) => *b,
            CKind::Var(v) => {
                env.get(*v)
                    .ok_or_else(|| Box::new(ExprFault::Unbound(*v, self.span)))?
                    == Val::Bool(true)
            }
            CKind::Unary(UnOp::Not, x) => !x.truth(env, params)?,
            CKind::Missing(x) => match &x.kind {
                CKind::Var(v) => env.get(*v).is_none(),
                CKind::Fact(name) => env.fact(name).is_none(),
                _ => false,
            },
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
            CKind::Num(_)
            | CKind::Param(_)
            | CKind::Fact(_)
            | CKind::Text(_)
            | CKind::Unary(UnOp::Neg, _) => {
                self.value(env, params)?;
                false
            }
            CKind::Call(..) => {
                self.number(env, params)?;
                false
            }
        })
    }
}

/// A parameter's value by index, a text for a text parameter.
#[inline]
fn param_value(params: &ParamValues, i: usize) -> Val<'_> {
    match params.text(i) {
        Some(t) => Val::Text(t),
        None => Val::Num(param(params, i)),
    }
}

/// A parameter's value by index (0 for an index the checker never gives out).
#[inline]
fn param(params: &[Decimal], i: usize) -> Exact {
    params.get(i).map_or(Exact::ZERO, |p| Exact::from(*p))
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
