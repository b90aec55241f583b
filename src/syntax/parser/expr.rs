//! Expressions: the grammar's flat sequence of operands and operators grouped by
//! precedence climbing, with the nesting depth and the tree depth bounded as the tree is
//! built.

use pest::iterators::{Pair, Pairs};

use super::{Builder, MAX_DEPTH, MAX_TREE_DEPTH, Rule, children, first_char, span_of};
use crate::source::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind, StepArm, UnOp};
use crate::syntax::error::ParseError;
use crate::syntax::vocabulary::{self, Role};

/// Binding powers: a binary operator's is its [`BinOp::precedence`] times ten; the prefix
/// operators' sit between them: `not` between `and` (20) and the comparisons (40), `-x`
/// above `*` (60). A higher power binds tighter. A prefix operator's operand is read at
/// one less than its own power; a binary operator's right operand at its own, so that
/// operators of one level group from the left.
const NOT: u8 = 30;
const NEG: u8 = 70;

/// A binary operator's binding power (see [`NOT`]).
fn power(op: BinOp) -> u8 {
    op.precedence() * 10
}

/// An `operator` token's meaning, from its text: a symbol here, a word from the vocabulary.
fn binary_op(text: &str) -> BinOp {
    match text {
        "*" | "×" => BinOp::Mul,
        "/" | "÷" => BinOp::Div,
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "==" => BinOp::Eq,
        "!=" | "≠" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" | "≤" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" | "≥" => BinOp::Ge,
        // A word operator: `and`, `且`, …
        word => match vocabulary::reserved(word).map(|w| w.role) {
            Some(Role::Binary(op)) => op,
            _ => unreachable!("not an operator: {word}"),
        },
    }
}

impl Builder<'_> {
    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
        self.expr_depth(pair).map(|(e, _)| e)
    }

    /// An expression and its tree depth. Long operator chains (`1 + 1 + … + 1`) parse
    /// without recursion but make a deep tree that every later pass would recurse into,
    /// so the depth is bounded here, as the tree is built.
    pub(super) fn expr_depth(&self, pair: Pair<'_, Rule>) -> Result<(Expr, usize), ParseError> {
        let mut tokens = pair.into_inner();
        self.climb(&mut tokens, 0)
    }

    /// Precedence climbing over an expression's flat tokens (operands, prefix operators,
    /// binary operators): the operand at the front and every binary operator after it
    /// that binds tighter than `floor`, grouping from the left.
    pub(super) fn climb(
        &self,
        tokens: &mut Pairs<'_, Rule>,
        floor: u8,
    ) -> Result<(Expr, usize), ParseError> {
        let Some(first) = tokens.next() else {
            unreachable!("the grammar gives every expression an operand")
        };
        let (mut lhs, mut depth) = match first.as_rule() {
            Rule::neg | Rule::not => {
                let (un, power) = if first.as_rule() == Rule::neg {
                    (UnOp::Neg, NEG)
                } else {
                    (UnOp::Not, NOT)
                };
                let (rhs, depth) =
                    self.nested(span_of(&first), || self.climb(tokens, power - 1))?;
                let e = Expr {
                    span: span_of(&first).to(rhs.span),
                    kind: ExprKind::Unary(un, Box::new(rhs)),
                };
                if depth >= MAX_TREE_DEPTH {
                    return Err(self.too_complex(e.span));
                }
                (e, depth + 1)
            }
            Rule::expr => {
                let inner = span_of(&first);
                // The group's `(`, before the expression (perhaps after white space).
                let open = self.source.text()[..inner.start]
                    .rfind('(')
                    .unwrap_or(inner.start);
                self.nested(Span::new(open, open + 1), || self.expr_depth(first))?
            }
            _ => (self.primary(first)?, 1),
        };
        loop {
            let Some(op) = tokens.peek() else {
                return Ok((lhs, depth));
            };
            let bin = binary_op(op.as_str());
            let power = power(bin);
            if power <= floor {
                return Ok((lhs, depth));
            }
            tokens.next();
            let (rhs, dr) = self.climb(tokens, power)?;
            let d = depth.max(dr);
            if d >= MAX_TREE_DEPTH {
                return Err(self.too_complex(span_of(&op)));
            }
            lhs = Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary(bin, Box::new([lhs, rhs])),
            };
            depth = d + 1;
        }
    }

    /// Runs `build` one level deeper, refusing more than [`MAX_DEPTH`] levels; `at` is
    /// where the level opens (a bracket, `if`, `-`, `not`, a call's name).
    pub(super) fn nested<T>(
        &self,
        at: Span,
        build: impl FnOnce() -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        let depth = self.nest.get() + 1;
        if depth == 1 {
            self.outer.set(at.start);
        }
        if depth > MAX_DEPTH {
            let text = self.source.text();
            return Err(ParseError::TooDeep {
                src: self.source.named(),
                span: first_char(text, at.start).into(),
                outer: first_char(text, self.outer.get()).into(),
                limit: MAX_DEPTH,
            });
        }
        self.nest.set(depth);
        let built = build();
        self.nest.set(depth - 1);
        built
    }

    pub(super) fn too_complex(&self, span: Span) -> ParseError {
        ParseError::TooComplex {
            src: self.source.named(),
            span: span.into(),
            limit: MAX_TREE_DEPTH,
        }
    }

    pub(super) fn primary(&self, pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
        match pair.as_rule() {
            Rule::list | Rule::call | Rule::step | Rule::conditional => {
                self.nested(span_of(&pair), || self.primary_kind(pair))
            }
            _ => self.primary_kind(pair),
        }
    }

    pub(super) fn primary_kind(&self, pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
        let span = span_of(&pair);
        let kind = match pair.as_rule() {
            Rule::number => self.number(&pair)?,
            Rule::string => ExprKind::Text(self.unescaped(&pair)?),
            Rule::ident => ExprKind::Name(pair.as_str().into()),
            Rule::expr => return self.expr(pair),
            Rule::list => ExprKind::List(
                children(pair)
                    .map(|p| self.expr(p))
                    .collect::<Result<_, _>>()?,
            ),
            Rule::call => {
                let mut c = children(pair);
                let f = Self::ident(&c.one());
                ExprKind::Call(f, c.map(|p| self.expr(p)).collect::<Result<_, _>>()?)
            }
            Rule::step => {
                let mut c = children(pair);
                let subject = self.expr(c.one())?;
                let mut arms = Vec::new();
                for arm in c {
                    let mut a = children(arm);
                    let first = a.one();
                    let arm = if first.as_rule() == Rule::step_else {
                        StepArm {
                            test: None,
                            value: self.expr(children(first).one())?,
                        }
                    } else {
                        let op = match first.as_str() {
                            ">=" | "≥" => BinOp::Ge,
                            "<=" | "≤" => BinOp::Le,
                            ">" => BinOp::Gt,
                            _ => BinOp::Lt,
                        };
                        let threshold = self.expr(a.one())?;
                        StepArm {
                            test: Some((op, threshold)),
                            value: self.expr(a.one())?,
                        }
                    };
                    arms.push(arm);
                }
                ExprKind::Step(Box::new(subject), arms)
            }
            Rule::conditional => {
                let mut c = children(pair);
                let cond = self.expr(c.one())?;
                let then = self.expr(c.one())?;
                let els = self.expr(c.one())?;
                ExprKind::If(Box::new(cond), Box::new(then), Box::new(els))
            }
            r => unreachable!("not a primary: {r:?}"),
        };
        Ok(Expr { kind, span })
    }
}
