//! Printing expressions: the canonical infix form (minimal parentheses), used by
//! explanations and, later, the formatter; and a compact prefix form for parser tests.

use std::fmt;

use super::ast::{BinOp, Expr, ExprKind, UnOp};

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, self, 0)
    }
}

/// Writes `e`, parenthesised if it binds looser than `min_prec`.
fn write_expr(f: &mut fmt::Formatter<'_>, e: &Expr, min_prec: u8) -> fmt::Result {
    match &e.kind {
        ExprKind::Number { value, percent } => {
            write!(
                f,
                "{}{}",
                value.normalize(),
                if *percent { "%" } else { "" }
            )
        }
        ExprKind::Text(t) => write_string(f, t),
        ExprKind::Name(n) => f.write_str(n),
        ExprKind::List(items) => {
            f.write_str("[")?;
            write_list(f, items)?;
            f.write_str("]")
        }
        ExprKind::Call(name, args) => {
            write!(f, "{}(", name.name)?;
            write_list(f, args)?;
            f.write_str(")")
        }
        ExprKind::Step(x, arms) => {
            write!(f, "step({x}")?;
            for arm in arms {
                match &arm.test {
                    Some((op, t)) => write!(f, ", {} {t}: {}", op.symbol(), arm.value)?,
                    None => write!(f, ", else: {}", arm.value)?,
                }
            }
            f.write_str(")")
        }
        ExprKind::If(c, a, b) => {
            let paren = min_prec > 0;
            if paren {
                f.write_str("(")?;
            }
            write!(f, "if {c} then {a} else {b}")?;
            if paren {
                f.write_str(")")?;
            }
            Ok(())
        }
        ExprKind::Unary(UnOp::Neg, x) => {
            f.write_str("-")?;
            write_expr(f, x, 7)
        }
        ExprKind::Unary(UnOp::Not, x) => {
            let paren = min_prec > 3;
            if paren {
                f.write_str("(")?;
            }
            f.write_str("not ")?;
            write_expr(f, x, 3)?;
            if paren {
                f.write_str(")")?;
            }
            Ok(())
        }
        ExprKind::Binary(op, l, r) => {
            let p = op.precedence();
            let paren = p < min_prec;
            if paren {
                f.write_str("(")?;
            }
            write_expr(f, l, p)?;
            write!(f, " {} ", op.symbol())?;
            // Left-associative: the right operand needs brackets at equal precedence.
            write_expr(f, r, p + 1)?;
            if paren {
                f.write_str(")")?;
            }
            Ok(())
        }
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[Expr]) -> fmt::Result {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_expr(f, x, 0)?;
    }
    Ok(())
}

/// Writes a string literal with the escapes the grammar reads.
pub(crate) fn write_string(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl Expr {
    /// A compact prefix form showing the tree's shape: `(/ (* weight B) A)`.
    #[must_use]
    pub fn sexp(&self) -> String {
        let mut out = String::new();
        sexp(&mut out, self);
        out
    }
}

fn sexp(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Binary(op, l, r) => {
            out.push('(');
            out.push_str(op.symbol());
            out.push(' ');
            sexp(out, l);
            out.push(' ');
            sexp(out, r);
            out.push(')');
        }
        ExprKind::Unary(op, x) => {
            out.push_str(if *op == UnOp::Neg { "(neg " } else { "(not " });
            sexp(out, x);
            out.push(')');
        }
        ExprKind::If(c, a, b) => {
            out.push_str("(if ");
            for (i, x) in [c, a, b].into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                sexp(out, x);
            }
            out.push(')');
        }
        ExprKind::Call(name, args) => {
            out.push('(');
            out.push_str(&name.name);
            for a in args {
                out.push(' ');
                sexp(out, a);
            }
            out.push(')');
        }
        ExprKind::List(items) => {
            out.push('[');
            for (i, a) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                sexp(out, a);
            }
            out.push(']');
        }
        ExprKind::Step(x, arms) => {
            out.push_str("(step ");
            sexp(out, x);
            for arm in arms {
                out.push(' ');
                match &arm.test {
                    Some((op, t)) => {
                        out.push('(');
                        out.push_str(op.symbol());
                        out.push(' ');
                        sexp(out, t);
                        out.push(' ');
                    }
                    None => out.push_str("(else "),
                }
                sexp(out, &arm.value);
                out.push(')');
            }
            out.push(')');
        }
        _ => out.push_str(&e.to_string()),
    }
}

impl BinOp {
    /// Whether this operator compares (its result is a truth value).
    #[must_use]
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In
        )
    }
}
