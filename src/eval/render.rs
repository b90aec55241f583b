//! An expression as text: as written, without spans ([`CExpr::canonical`], which tells
//! whether two rule files mean the same), or with every name replaced by its value
//! ([`CExpr::substituted`], a formula in the trace: `2 × 3916 / 4000`).
//!
//! Input: a compiled expression and, for the trace, the values it read. Output: text.
//! Parentheses are written where precedence needs them, and around negative values.

use super::expr::{Env, Val};
use crate::check::ParamValues;
use crate::check::ir::{CExpr, CKind, Var};
use crate::num::Exact;
use crate::syntax::ast::{BinOp, UnOp};

impl CExpr {
    /// The expression with built-ins by their English names and parameters by index,
    /// no spans: two rule files that mean the same print the same.
    pub(crate) fn canonical(&self) -> String {
        let mut out = String::new();
        self.render(
            &mut out,
            &|_: Var| -> Option<Val<'_>> { None },
            &ParamValues::NONE,
            0,
        );
        out
    }

    /// The expression with every name replaced by its value: `2 × 3916 / 4000`.
    pub(crate) fn substituted<'a>(&'a self, vars: &dyn Env<'a>, params: &ParamValues) -> String {
        let mut out = String::new();
        self.render(&mut out, vars, params, 0);
        out
    }

    /// Writes the expression to `out`, in parentheses when its precedence is below
    /// `min_prec`; one arm per kind of node.
    fn render<'a>(
        &'a self,
        out: &mut String,
        vars: &dyn Env<'a>,
        params: &ParamValues,
        min_prec: u8,
    ) {
        match &self.kind {
            CKind::Num(_)
            | CKind::Bool(_)
            | CKind::Text(_)
            | CKind::Var(_)
            | CKind::Param(_)
            | CKind::Fact(_) => {
                self.render_leaf(out, vars, params, min_prec);
            }
            CKind::Unary(UnOp::Neg, x) => {
                out.push('-');
                x.render(out, vars, params, 7);
            }
            CKind::Unary(UnOp::Not, x) => {
                out.push_str("not ");
                x.render(out, vars, params, 3);
            }
            // `missing(B)` with B's value when it has one: `missing(3916)`.
            CKind::Missing(x) => {
                out.push_str("missing(");
                x.render(out, vars, params, 0);
                out.push(')');
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

    /// A literal, built-in or parameter: its value, in parentheses when negative inside
    /// an operation; its name when it has no value.
    fn render_leaf<'a>(
        &'a self,
        out: &mut String,
        vars: &dyn Env<'a>,
        params: &ParamValues,
        min_prec: u8,
    ) {
        let v = match &self.kind {
            CKind::Num(n) => Some(Val::Num(Exact::from(*n))),
            CKind::Bool(b) => Some(Val::Bool(*b)),
            CKind::Text(t) => Some(Val::Text(t)),
            CKind::Var(v) => vars.get(*v),
            CKind::Param(i) => match params.text(*i) {
                Some(t) => Some(Val::Text(t)),
                None => params.get(*i).map(|p| Val::Num(Exact::from(*p))),
            },
            CKind::Fact(name) => vars.fact(name),
            _ => None,
        };
        if v.is_none() {
            match &self.kind {
                CKind::Var(var) => out.push_str(&format!("{var:?}")),
                CKind::Param(i) => out.push_str(&format!("param#{i}")),
                CKind::Fact(name) => out.push_str(name),
                _ => out.push('?'),
            }
            return;
        }
        let negative = matches!(&v, Some(Val::Num(n)) if n.is_negative());
        if negative && min_prec > 0 {
            out.push('(');
            push_value(out, v);
            out.push(')');
        } else {
            push_value(out, v);
        }
    }
}

/// A value as the trace shows it: a number, a text in 「」, 是 or 否.
fn push_value(out: &mut String, v: Option<Val<'_>>) {
    match v {
        Some(Val::Num(n)) => out.push_str(&n.to_string()),
        Some(Val::Text(t)) => {
            out.push('「');
            out.push_str(t);
            out.push('」');
        }
        Some(Val::Bool(b)) => out.push_str(if b { "是" } else { "否" }),
        None => {}
    }
}
