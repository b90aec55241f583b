//! The fast paths of evaluation: a condition's [`Test`] and a formula's [`Chain`], the
//! shapes the checker found, run without walking the expression.
//!
//! Input: a [`Cond`] or [`Calc`] and the built-ins' values. Output: what the general
//! path ([`CExpr::truth`], [`CExpr::number`]) gives, always; where a fast path cannot
//! decide (a name with no value of its kind, a value held as a big rational, an
//! operation that fails) it gives way and the general path runs, finding the same
//! failure with its place in the formula. Values stay small fractions in registers
//! ([`Frac`]) and make one [`Exact`] at the end.

use rust_decimal::Decimal;

use super::expr::{Env, ExprError};
use crate::check::ParamValues;
use crate::check::ir::{Calc, Chain, Cond, Leaf, Test};
use crate::num::{Exact, Frac, Op};
use crate::syntax::ast::BinOp;

#[cfg(doc)]
use crate::check::ir::CExpr;

impl Cond {
    /// Whether the condition holds, as [`CExpr::truth`] decides it.
    #[inline]
    pub(crate) fn truth<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &'a ParamValues,
    ) -> Result<bool, ExprError> {
        match self.test().and_then(|t| t.holds(env)) {
            Some(holds) => Ok(holds),
            None => self.expr().truth(env, params),
        }
    }
}

impl Test {
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

impl Calc {
    /// The formula's value, as [`CExpr::number`] gives it.
    #[inline]
    pub(crate) fn number<'a, E: Env<'a> + ?Sized>(
        &'a self,
        env: &E,
        params: &'a ParamValues,
    ) -> Result<Exact, ExprError> {
        match self.chain().and_then(|c| c.number(env, params)) {
            Some(v) => Ok(v),
            None => self.expr().number(env, params),
        }
    }
}

impl Leaf {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::ir::{CExpr, CKind, Var};
    use crate::eval::Val;
    use crate::syntax::ast::UnOp;

    static NO_PARAMS: ParamValues = ParamValues::NONE;

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
        assert!(conditions.iter().all(|c| c.test().is_some()));
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
                            let tested = c.truth(&env, &NO_PARAMS).expect("evaluates");
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
        assert!(guards.iter().all(|g| g.test().is_some()));
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
                    let tested = g.truth(&env, &NO_PARAMS).expect("evaluates");
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
        let mut exprs: Vec<&Calc> = vec![&formula.score, &rules.classes[1].formula.score];
        for g in &formula.guards {
            if let crate::check::GuardOutcome::Value(v) = &g.result {
                exprs.push(v);
            }
        }
        let chains: Vec<Option<&Chain>> = exprs.iter().map(|e| e.chain()).collect();
        let shapes: Vec<bool> = chains.iter().map(Option::is_some).collect();
        assert_eq!(
            shapes,
            [true, true, true, true, true, true, false, false, false]
        );
        let values: Vec<Decimal> = ["0", "-2", "3", "1.50", "79228162514264337593543950335"]
            .iter()
            .map(|v| v.parse().expect("a decimal"))
            .collect();
        let mut params = ParamValues::default();
        params.push(crate::check::ParamValue::Num(Decimal::from(3)));
        // The environment's values are `'static`, so are the parameters'.
        let params: &'static ParamValues = Box::leak(Box::new(params));
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
                        let general = e.expr().number(&env, params).ok();
                        assert_eq!(chain.number(&env, params), general, "A = {a}, B = {b}");
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
            CKind::Binary(op, l, r) => e.compare(*op, l, r, env, &NO_PARAMS).expect("evaluates"),
            _ => panic!("unexpected shape"),
        }
    }
}
