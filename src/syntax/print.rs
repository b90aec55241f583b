//! Printing expressions: the canonical infix form (minimal parentheses), used by
//! explanations and the formatter (which picks the keyword language with a [`Style`]);
//! and a compact prefix form for parser tests.

use std::fmt;

use super::ast::{BinOp, Expr, ExprKind, UnOp};
use super::vocabulary::{self, Role};

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, self, 0, &Style::default())
    }
}

/// How an expression is printed. The default is [`Display`](fmt::Display)'s: English
/// keywords, names as written, numbers normalised (`0.50` → `0.5`).
#[derive(Clone, Copy, Default)]
pub(crate) struct Style<'a> {
    /// The Chinese forms of the word operators and keywords (`且 或 非 属于`,
    /// `如果 … 则 … 否则 …`, `分档`).
    pub(crate) zh: bool,
    /// Numbers with the digits as written (`0.50`, `80%`), not normalised.
    pub(crate) exact_numbers: bool,
    /// A new spelling for a name (a built-in in the other language); `None` keeps it.
    pub(crate) rename: Option<Rename<'a>>,
}

/// Gives a name its new spelling, or `None` to keep it.
pub(crate) type Rename<'a> = &'a dyn Fn(&str) -> Option<&'static str>;

impl Style<'_> {
    /// The keyword `en` in this style's language.
    fn kw(&self, en: &'static str) -> &'static str {
        if !self.zh {
            return en;
        }
        vocabulary::keyword(en).map_or(en, |w| w.spelling(true))
    }

    /// A binary operator in this style's language: a word operator translated, a symbol
    /// as it is.
    fn op(&self, op: BinOp) -> &'static str {
        if !self.zh {
            return op.symbol();
        }
        vocabulary::of_role(Role::Binary(op)).map_or(op.symbol(), |w| w.spelling(true))
    }
}

/// An expression printed in a [`Style`].
pub(crate) struct Styled<'a, 'e>(pub(crate) &'e Expr, pub(crate) Style<'a>);

impl fmt::Display for Styled<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, self.0, 0, &self.1)
    }
}

/// Writes `e`, parenthesised if it binds looser than `min_prec`.
// One arm of a few lines per kind of expression; the arms share the bracketing rule.
fn write_expr<W: fmt::Write>(f: &mut W, e: &Expr, min_prec: u8, s: &Style<'_>) -> fmt::Result {
    match &e.kind {
        ExprKind::Number { value, percent } => {
            if s.exact_numbers {
                write!(f, "{value}")?;
            } else {
                write!(f, "{}", value.normalize())?;
            }
            f.write_str(if *percent { "%" } else { "" })
        }
        ExprKind::Text(t) => write_string(f, t),
        ExprKind::Name(n) => f.write_str(s.rename.and_then(|r| r(n)).unwrap_or(n)),
        ExprKind::List(items) => {
            f.write_str("[")?;
            write_list(f, items, s)?;
            f.write_str("]")
        }
        ExprKind::Call(name, args) => {
            write!(f, "{}(", name.name)?;
            write_list(f, args, s)?;
            f.write_str(")")
        }
        ExprKind::Step(x, arms) => {
            write!(f, "{}(", s.kw("step"))?;
            write_expr(f, x, 0, s)?;
            for arm in arms {
                f.write_str(", ")?;
                match &arm.test {
                    Some((op, t)) => {
                        write!(f, "{} ", op.symbol())?;
                        write_expr(f, t, 0, s)?;
                    }
                    None => f.write_str(s.kw("else"))?,
                }
                f.write_str(": ")?;
                write_expr(f, &arm.value, 0, s)?;
            }
            f.write_str(")")
        }
        ExprKind::If(c, a, b) => {
            let paren = min_prec > 0;
            if paren {
                f.write_str("(")?;
            }
            write!(f, "{} ", s.kw("if"))?;
            write_expr(f, c, 0, s)?;
            write!(f, " {} ", s.kw("then"))?;
            write_expr(f, a, 0, s)?;
            write!(f, " {} ", s.kw("else"))?;
            write_expr(f, b, 0, s)?;
            if paren {
                f.write_str(")")?;
            }
            Ok(())
        }
        ExprKind::Unary(UnOp::Neg, x) => {
            f.write_str("-")?;
            write_expr(f, x, 7, s)
        }
        ExprKind::Unary(UnOp::Not, x) => {
            let paren = min_prec > 3;
            if paren {
                f.write_str("(")?;
            }
            write!(f, "{} ", s.kw("not"))?;
            write_expr(f, x, 3, s)?;
            if paren {
                f.write_str(")")?;
            }
            Ok(())
        }
        ExprKind::Binary(op, operands) => {
            let [l, r] = &**operands;
            let p = op.precedence();
            let paren = p < min_prec;
            if paren {
                f.write_str("(")?;
            }
            write_expr(f, l, p, s)?;
            write!(f, " {} ", s.op(*op))?;
            // Left-associative: the right operand needs brackets at equal precedence.
            write_expr(f, r, p + 1, s)?;
            if paren {
                f.write_str(")")?;
            }
            Ok(())
        }
    }
}

fn write_list<W: fmt::Write>(f: &mut W, items: &[Expr], s: &Style<'_>) -> fmt::Result {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_expr(f, x, 0, s)?;
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
        ExprKind::Binary(op, operands) => {
            let [l, r] = &**operands;
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
