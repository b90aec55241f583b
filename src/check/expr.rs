//! Compiled expressions: names resolved, types checked, percentages scaled. They
//! evaluate themselves against the values of the built-in names, with checked arithmetic.

use rust_decimal::Decimal;

use crate::num::{self, ArithError};
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

/// The static type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Num,
    Text,
    Bool,
    NumList,
    TextList,
    /// Already reported as an error; accepted anywhere so one mistake gives one message.
    Unknown,
}

impl Ty {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Ty::Num => "数值",
            Ty::Text => "文字",
            Ty::Bool => "真假值（条件）",
            Ty::NumList => "数值列表",
            Ty::TextList => "文字列表",
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

/// A runtime value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Val<'a> {
    Num(Decimal),
    Text(&'a str),
    Bool(bool),
}

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExprError {
    /// Arithmetic failed in the sub-expression at this span.
    Arith(ArithError, Span),
    /// A built-in has no value in this context (the checker should have refused it).
    Unbound(Var, Span),
}

impl CExpr {
    /// Evaluates with `vars` giving the built-ins and `params` the parameters' values.
    pub(crate) fn eval<'a>(
        &'a self,
        vars: &dyn Fn(Var) -> Option<Val<'a>>,
        params: &[Decimal],
    ) -> Result<Val<'a>, ExprError> {
        let arith = |r: Result<Decimal, ArithError>| {
            r.map(Val::Num).map_err(|e| ExprError::Arith(e, self.span))
        };
        Ok(match &self.kind {
            CKind::Num(n) => Val::Num(*n),
            CKind::Bool(b) => Val::Bool(*b),
            CKind::Text(t) => Val::Text(t),
            CKind::Var(v) => vars(*v).ok_or(ExprError::Unbound(*v, self.span))?,
            CKind::Param(i) => Val::Num(params.get(*i).copied().unwrap_or_default()),
            CKind::Unary(UnOp::Neg, x) => Val::Num(-num(x.eval(vars, params)?)),
            CKind::Unary(UnOp::Not, x) => Val::Bool(!boolean(x.eval(vars, params)?)),
            CKind::If(c, a, b) => {
                if boolean(c.eval(vars, params)?) {
                    a.eval(vars, params)?
                } else {
                    b.eval(vars, params)?
                }
            }
            CKind::Call(f, xs) => {
                let mut best: Option<Decimal> = None;
                for x in xs {
                    let v = num(x.eval(vars, params)?);
                    best = Some(match (f, best) {
                        (_, None) => v,
                        (Func::Min, Some(b)) => b.min(v),
                        (_, Some(b)) => b.max(v),
                    });
                }
                let v = best.unwrap_or_default();
                Val::Num(match f {
                    Func::Min | Func::Max => v,
                    Func::Floor => v.floor(),
                    Func::Ceil => v.ceil(),
                    Func::Abs => v.abs(),
                })
            }
            CKind::Step(x, arms, otherwise) => {
                let v = num(x.eval(vars, params)?);
                for (op, threshold, value) in arms {
                    let t = num(threshold.eval(vars, params)?);
                    let holds = match op {
                        BinOp::Ge => v >= t,
                        BinOp::Gt => v > t,
                        BinOp::Le => v <= t,
                        _ => v < t,
                    };
                    if holds {
                        return value.eval(vars, params);
                    }
                }
                otherwise.eval(vars, params)?
            }
            CKind::List(_) => Val::Bool(false),
            CKind::Binary(op, l, r) => match op {
                BinOp::And => {
                    Val::Bool(boolean(l.eval(vars, params)?) && boolean(r.eval(vars, params)?))
                }
                BinOp::Or => {
                    Val::Bool(boolean(l.eval(vars, params)?) || boolean(r.eval(vars, params)?))
                }
                BinOp::In => {
                    let x = l.eval(vars, params)?;
                    let CKind::List(items) = &r.kind else {
                        return Ok(Val::Bool(false));
                    };
                    let mut found = false;
                    for item in items {
                        if item.eval(vars, params)? == x {
                            found = true;
                            break;
                        }
                    }
                    Val::Bool(found)
                }
                BinOp::Eq => Val::Bool(l.eval(vars, params)? == r.eval(vars, params)?),
                BinOp::Ne => Val::Bool(l.eval(vars, params)? != r.eval(vars, params)?),
                _ => {
                    let a = num(l.eval(vars, params)?);
                    let b = num(r.eval(vars, params)?);
                    match op {
                        BinOp::Add => arith(num::add(a, b))?,
                        BinOp::Sub => arith(num::sub(a, b))?,
                        BinOp::Mul => arith(num::mul(a, b))?,
                        BinOp::Div => arith(num::div(a, b))?,
                        BinOp::Lt => Val::Bool(a < b),
                        BinOp::Le => Val::Bool(a <= b),
                        BinOp::Gt => Val::Bool(a > b),
                        BinOp::Ge => Val::Bool(a >= b),
                        _ => unreachable!("logical and comparison operators handled above"),
                    }
                }
            },
        })
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

// The checker guarantees operand types; a mismatch here could only come from a bug, and
// is given a neutral value rather than a panic.
fn num(v: Val<'_>) -> Decimal {
    match v {
        Val::Num(n) => n,
        Val::Text(_) | Val::Bool(_) => Decimal::ZERO,
    }
}

fn boolean(v: Val<'_>) -> bool {
    matches!(v, Val::Bool(true))
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
            Some(Val::Num(n)) => out.push_str(&crate::num::show(n)),
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
                    CKind::Num(n) => Some(Val::Num(*n)),
                    CKind::Bool(b) => Some(Val::Bool(*b)),
                    CKind::Text(t) => Some(Val::Text(t)),
                    CKind::Var(v) => vars(*v),
                    CKind::Param(i) => params.get(*i).map(|p| Val::Num(*p)),
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
                let negative = matches!(v, Some(Val::Num(n)) if n.is_sign_negative());
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
