//! Exact rational numbers, the values formulas compute with.
//!
//! A score must be the exact value rounded once, by the rule's mode. rust_decimal cuts a
//! quotient to 28 digits (`3 × 485 / 600` would become 2.4249999…, rounding to 2.42 instead
//! of 2.43), so a formula's values are fractions instead: `n / d` in two `i128`s while they
//! fit, which is the usual case and costs a multiplication where a decimal division would
//! cost a loop, and a reduced big rational when they do not (a sum of many fractions, or
//! inputs with 28 digits). Nothing is ever rounded but by [`Exact::round`].
//!
//! Invariants: a small value's denominator is positive (not necessarily in lowest terms);
//! a big value is in lowest terms and does not fit the small form; neither part of a big
//! value exceeds [`MAX_BITS`] bits, past which an operation is an overflow (a formula
//! has at most 256 operators and a form's values at most 28 digits, so only a hostile input
//! gets near it).

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;

use super::ArithError;
use crate::syntax::ast::RoundMode;

/// The most bits a big value's numerator or denominator may have (about 1,200 digits).
pub const MAX_BITS: u64 = 4096;

/// 10^0 ..= 10^38, every power of ten an `i128` holds.
const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// The largest mantissa a [`Decimal`] holds (2^96 − 1).
const DECIMAL_MAX: i128 = (1 << 96) - 1;

/// An exact rational number.
#[derive(Clone)]
pub struct Exact(Repr);

#[derive(Clone)]
enum Repr {
    /// `n / d`, `d > 0`.
    Small(i128, i128),
    /// In lowest terms, positive denominator, too large for `Small`.
    Big(Box<BigRational>),
}

use Repr::{Big, Small};

impl Exact {
    /// 0.
    pub const ZERO: Exact = Exact(Small(0, 1));

    /// `n / d` for a positive `d`.
    const fn small(n: i128, d: i128) -> Exact {
        Exact(Small(n, d))
    }

    /// A whole number.
    #[must_use]
    pub fn int(n: i64) -> Exact {
        Exact::small(i128::from(n), 1)
    }

    /// `a + b`.
    ///
    /// # Errors
    /// [`ArithError::Overflow`] past [`MAX_BITS`].
    #[inline]
    pub fn add(&self, o: &Exact) -> Result<Exact, ArithError> {
        self.op(o, Op::Add)
    }

    /// `a - b`.
    ///
    /// # Errors
    /// [`ArithError::Overflow`] past [`MAX_BITS`].
    #[inline]
    pub fn sub(&self, o: &Exact) -> Result<Exact, ArithError> {
        self.op(o, Op::Sub)
    }

    /// `a × b`.
    ///
    /// # Errors
    /// [`ArithError::Overflow`] past [`MAX_BITS`].
    #[inline]
    pub fn mul(&self, o: &Exact) -> Result<Exact, ArithError> {
        self.op(o, Op::Mul)
    }

    /// `a / b`.
    ///
    /// # Errors
    /// [`ArithError::DivisionByZero`] when `b` is 0; [`ArithError::Overflow`] past
    /// [`MAX_BITS`].
    #[inline]
    pub fn div(&self, o: &Exact) -> Result<Exact, ArithError> {
        if o.is_zero() {
            return Err(ArithError::DivisionByZero);
        }
        self.op(o, Op::Div)
    }

    /// `self OP o`: in the small form where it fits, else in big rationals.
    #[inline(always)]
    fn op(&self, o: &Exact, op: Op) -> Result<Exact, ArithError> {
        if let (Some(a), Some(b)) = (self.frac(), o.frac()) {
            if let Some(Frac(n, d)) = a.op(op, b) {
                return Ok(Exact::small(n, d));
            }
        }
        big_op(self, o, op)
    }

    /// The value as a fraction of two `i128`s, if it is held that way.
    #[inline(always)]
    #[must_use]
    pub fn frac(&self) -> Option<Frac> {
        match self.0 {
            Small(n, d) => Some(Frac(n, d)),
            Big(_) => None,
        }
    }

    /// `-a`.
    #[must_use]
    pub fn neg(&self) -> Exact {
        match &self.0 {
            Small(n, d) => match n.checked_neg() {
                Some(n) => Exact::small(n, *d),
                None => Exact::from_big(-self.big()),
            },
            Big(r) => Exact::from_big(-(**r).clone()),
        }
    }

    /// `|a|`.
    #[must_use]
    pub fn abs(&self) -> Exact {
        if self.is_negative() {
            self.neg()
        } else {
            self.clone()
        }
    }

    /// The greatest whole number not above `a`.
    #[must_use]
    pub fn floor(&self) -> Exact {
        match &self.0 {
            Small(n, d) => Exact::small(n.div_euclid(*d), 1),
            Big(r) => Exact::from_big(r.floor()),
        }
    }

    /// The least whole number not below `a`.
    #[must_use]
    pub fn ceil(&self) -> Exact {
        match &self.0 {
            Small(n, d) => {
                let q = n.div_euclid(*d);
                if n.rem_euclid(*d) == 0 {
                    Exact::small(q, 1)
                } else {
                    // q + 1 fits: q < n / d ≤ i128::MAX.
                    Exact::small(q + 1, 1)
                }
            }
            Big(r) => Exact::from_big(r.ceil()),
        }
    }

    /// Whether it is 0.
    #[inline]
    #[must_use]
    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Small(n, _) => *n == 0,
            Big(_) => false,
        }
    }

    /// Whether it is below 0.
    #[inline]
    #[must_use]
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Small(n, _) => *n < 0,
            Big(r) => r.is_negative(),
        }
    }

    /// The exact value rounded to `places` decimals by `mode`: the one rounding a score
    /// gets.
    ///
    /// # Errors
    /// [`ArithError::Overflow`] when the rounded value does not fit a decimal.
    // (Always inlined: returned through memory, a decimal is written a field at a time
    // and read back whole, which stalls the processor; BENCHMARKS.md, round 6.)
    #[inline(always)]
    pub fn round(&self, places: u32, mode: RoundMode) -> Result<Decimal, ArithError> {
        self.rounded(places, mode).map(|(d, _)| d)
    }

    /// The value rounded as [`Exact::round`] rounds it, both as a decimal and exactly: made
    /// from the one rounded integer, so that nothing reads back a decimal just written
    /// (which stalls the processor, as above).
    #[inline(always)]
    pub fn rounded(&self, places: u32, mode: RoundMode) -> Result<(Decimal, Exact), ArithError> {
        let p = places.min(28) as usize;
        if let Small(n, d) = self.0 {
            if let Some(m) = n.checked_mul(POW10[p]) {
                let q = rounded_quotient(m, d, mode);
                return Ok((decimal(q, p)?, Exact::small(q, POW10[p])));
            }
        }
        let d = self.round_big(p, mode)?;
        Ok((d, Exact::from(d)))
    }

    #[cold]
    #[inline(never)]
    fn round_big(&self, p: usize, mode: RoundMode) -> Result<Decimal, ArithError> {
        let r = self.big();
        let m = r.numer() * BigInt::from(POW10[p]);
        let d = r.denom();
        let (mut q, rem) = m.div_rem(d);
        if !rem.is_zero() && away(mode, rem.abs().cmp(&(d - rem.abs())), q.is_odd()) {
            q += m.signum();
        }
        q.to_i128()
            .ok_or(ArithError::Overflow)
            .and_then(|q| decimal(q, p))
    }

    /// Whether a decimal holds its whole part (below 2^96 in magnitude), so that it can be
    /// rounded to whole units at least.
    #[inline]
    #[must_use]
    pub fn fits_decimal(&self) -> bool {
        match &self.0 {
            // d ≥ 1, so a numerator that fits is enough (the usual case: no division).
            Small(n, _) if n.unsigned_abs() <= DECIMAL_MAX.unsigned_abs() => true,
            _ => self.whole_part_fits(),
        }
    }

    #[cold]
    #[inline(never)]
    fn whole_part_fits(&self) -> bool {
        match &self.0 {
            Small(n, d) => (n / d).unsigned_abs() < DECIMAL_MAX.unsigned_abs(),
            Big(r) => r.numer().abs() / r.denom() < BigInt::from(DECIMAL_MAX),
        }
    }

    /// The value as a decimal, when it is one exactly (a denominator of 2s and 5s, at most
    /// 28 places, 96 bits); `None` for `1/3` and for values too large.
    #[must_use]
    #[inline]
    pub fn to_decimal(&self) -> Option<Decimal> {
        if let Small(n, d) = self.0 {
            // The usual case, a decimal never divided: d is a power of ten.
            let s = d.ilog10() as usize;
            if s <= 28 && POW10[s] == d && n.unsigned_abs() <= DECIMAL_MAX.unsigned_abs() {
                return decimal(n, s).ok();
            }
        }
        self.to_decimal_reduced()
    }

    /// [`Exact::to_decimal`] of a fraction whose denominator is not a power of ten.
    #[inline(never)]
    fn to_decimal_reduced(&self) -> Option<Decimal> {
        if let Small(n, d) = self.0 {
            // In lowest terms, a decimal's denominator is 2^a·5^b (in 64 bits where they
            // fit, as usual: a 128-bit gcd is a long loop of calls).
            let (n, d) = match (i64::try_from(n), u64::try_from(d)) {
                (Ok(n64), Ok(d64)) => {
                    let g = n64.unsigned_abs().gcd(&d64);
                    (i128::from(n64) / i128::from(g), i128::from(d64 / g))
                }
                _ => {
                    let g = n.gcd(&d);
                    (n / g, d / g)
                }
            };
            let twos = d.trailing_zeros();
            let (mut rest, mut fives) = (d >> twos, 0);
            while rest % 5 == 0 {
                rest /= 5;
                fives += 1;
            }
            let places = twos.max(fives) as usize;
            if rest != 1 || places > 28 {
                return None;
            }
            return n
                .checked_mul(POW10[places] / d)
                .and_then(|m| decimal(m, places).ok());
        }
        let r = self.big();
        let d = r.denom();
        let (twos, fives) = (power_of(d, 2), power_of(d, 5));
        let places = twos.max(fives);
        if places > 28 {
            return None;
        }
        let scaled = r.numer() * (BigInt::from(POW10[places as usize]) / d);
        if BigRational::new(scaled.clone(), BigInt::from(POW10[places as usize])) != r {
            return None; // d had another prime factor
        }
        scaled
            .to_i128()
            .and_then(|m| decimal(m, places as usize).ok())
    }

    /// The nearest decimal with as many places as fit (up to 28), for showing a value
    /// that is not a decimal exactly (`1/3` → 0.3333333333333333333333333333); exactly
    /// the value when it is one. `None` when even its whole part does not fit.
    #[inline]
    #[must_use]
    pub fn approx(&self) -> Option<Decimal> {
        self.to_decimal().or_else(|| self.nearest())
    }

    /// The nearest decimal with as many places as fit, for a value that is not one.
    #[inline(never)]
    fn nearest(&self) -> Option<Decimal> {
        (0..=28u32)
            .rev()
            .find_map(|p| self.round(p, RoundMode::HalfEven).ok())
    }

    /// As a big rational.
    fn big(&self) -> BigRational {
        match &self.0 {
            Small(n, d) => BigRational::new(BigInt::from(*n), BigInt::from(*d)),
            Big(r) => (**r).clone(),
        }
    }

    /// A big rational, small again when it fits (without the size check: for results
    /// no larger than their operand).
    fn from_big(r: BigRational) -> Exact {
        match (r.numer().to_i128(), r.denom().to_i128()) {
            (Some(n), Some(d)) => Exact::small(n, d),
            _ => Exact(Big(Box::new(r))),
        }
    }

    /// The sum of many.
    ///
    /// # Errors
    /// [`ArithError::Overflow`] past [`MAX_BITS`].
    pub fn sum<'a>(items: impl IntoIterator<Item = &'a Exact>) -> Result<Exact, ArithError> {
        items.into_iter().try_fold(Exact::ZERO, |acc, x| acc.add(x))
    }
}

/// An arithmetic operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `×`
    Mul,
    /// `/`
    Div,
}

/// A fraction `n / d` (`d > 0`) of two `i128`s: [`Exact`]'s small form, as plain values,
/// so that a chain of operations (`weight * B / A`) can run in registers and make one
/// `Exact` at the end. Copying an `Exact` around through memory costs more than the
/// arithmetic: its parts are written 8 bytes at a time and read 16 at a time, which
/// stalls the processor (BENCHMARKS.md, round 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frac(pub i128, pub i128);

impl Frac {
    /// A decimal's exact value.
    #[inline(always)]
    #[must_use]
    pub fn of(x: Decimal) -> Frac {
        Frac(x.mantissa(), POW10[x.scale() as usize])
    }

    /// `self OP o`, or `None` where the result does not fit (or `o` is 0 for `/`).
    #[inline(always)]
    #[must_use]
    pub fn op(self, op: Op, o: Frac) -> Option<Frac> {
        let (Frac(a, b), Frac(c, d)) = (self, o);
        // Four parts of 64 bits: a product of two fits 128 bits, nothing to check.
        let narrow = narrow(a) && narrow(b) && narrow(c) && narrow(d);
        match op {
            Op::Add => add(a, b, c, d, narrow),
            Op::Sub => add(a, b, c.checked_neg()?, d, narrow),
            Op::Mul if narrow => Some(Frac(a * c, b * d)),
            Op::Mul => Some(Frac(a.checked_mul(c)?, b.checked_mul(d)?)),
            // (a / b) / (c / d) = a·d / b·c, the sign moved to the numerator.
            Op::Div if c == 0 => None,
            Op::Div if narrow => {
                let (n, den) = (a * d, b * c);
                Some(if den > 0 {
                    Frac(n, den)
                } else {
                    Frac(-n, -den)
                })
            }
            Op::Div => {
                let (n, den) = (a.checked_mul(d)?, b.checked_mul(c)?);
                if den > 0 {
                    Some(Frac(n, den))
                } else {
                    Some(Frac(n.checked_neg()?, den.checked_neg()?))
                }
            }
        }
    }
}

/// `a/b + c/d`, or `None` where it does not fit.
#[inline(always)]
fn add(a: i128, b: i128, c: i128, d: i128, narrow: bool) -> Option<Frac> {
    if b == d {
        return Some(Frac(a.checked_add(c)?, b));
    }
    if narrow {
        // Decimals of different scales: one denominator is a multiple of the other
        // (divided in 64 bits, which the processor does in one instruction).
        #[allow(clippy::cast_possible_truncation)] // narrow
        let (b64, d64) = (b as i64, d as i64);
        if b64 < d64 && d64 % b64 == 0 {
            return Some(Frac(a * i128::from(d64 / b64) + c, d));
        }
        if d64 < b64 && b64 % d64 == 0 {
            return Some(Frac(c * i128::from(b64 / d64) + a, b));
        }
        return Some(Frac(a * d + c * b, b * d));
    }
    let n = a.checked_mul(d)?.checked_add(c.checked_mul(b)?)?;
    Some(Frac(n, b.checked_mul(d)?))
}

/// `a OP b` in big rationals: out of line, so that the small paths stay small enough to
/// inline where formulas are evaluated.
#[cold]
#[inline(never)]
fn big_op(a: &Exact, b: &Exact, op: Op) -> Result<Exact, ArithError> {
    let (a, b) = (a.big(), b.big());
    big(match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
    })
}

/// A big result, checked against [`MAX_BITS`].
fn big(r: BigRational) -> Result<Exact, ArithError> {
    if r.numer().bits() > MAX_BITS || r.denom().bits() > MAX_BITS {
        return Err(ArithError::Overflow);
    }
    Ok(Exact::from_big(r))
}

/// Whether `x` fits 64 bits: the product of two such fits 128 bits.
#[inline(always)]
fn narrow(x: i128) -> bool {
    #[allow(clippy::cast_possible_truncation)] // the point: does it survive the cast?
    let cut = x as i64;
    i128::from(cut) == x
}

/// `m / d` (d > 0) rounded to a whole number by `mode`.
#[inline(always)]
fn rounded_quotient(m: i128, d: i128, mode: RoundMode) -> i128 {
    // In 64 bits where they fit (the usual case): one division instruction, where 128
    // bits take a call.
    let (q, r) = match (u64::try_from(m.unsigned_abs()), u64::try_from(d)) {
        (Ok(um), Ok(ud)) => {
            let (q, r) = (i128::from(um / ud), i128::from(um % ud));
            if m < 0 { (-q, -r) } else { (q, r) }
        }
        _ => (m / d, m % d),
    };
    if r == 0 {
        return q;
    }
    let r = r.unsigned_abs();
    let half = r.cmp(&(d.unsigned_abs() - r));
    if away(mode, half, q % 2 != 0) {
        q + m.signum()
    } else {
        q
    }
}

/// Whether a quotient with a remainder moves away from zero: `half` compares the remainder
/// with what is left to the next whole number (Equal: exactly half way).
fn away(mode: RoundMode, half: Ordering, odd: bool) -> bool {
    match mode {
        RoundMode::Down => false,
        RoundMode::Up => true,
        RoundMode::HalfUp => half != Ordering::Less,
        RoundMode::HalfEven => half == Ordering::Greater || (half == Ordering::Equal && odd),
    }
}

/// `m × 10^-places` as a decimal.
#[inline(always)]
fn decimal(m: i128, places: usize) -> Result<Decimal, ArithError> {
    #[allow(clippy::cast_possible_truncation)] // places ≤ 28
    Decimal::try_from_i128_with_scale(m, places as u32).map_err(|_| ArithError::Overflow)
}

/// How many times `p` divides `x`.
fn power_of(x: &BigInt, p: u32) -> u32 {
    let p = BigInt::from(p);
    let mut x = x.clone();
    let mut k = 0;
    while !x.is_zero() && (&x % &p).is_zero() {
        x /= &p;
        k += 1;
    }
    k
}

impl From<Decimal> for Exact {
    #[inline]
    fn from(x: Decimal) -> Exact {
        Exact::from(Frac::of(x))
    }
}

impl From<Frac> for Exact {
    #[inline(always)]
    fn from(Frac(n, d): Frac) -> Exact {
        Exact::small(n, d)
    }
}

impl PartialEq for Exact {
    fn eq(&self, o: &Exact) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, o: &Exact) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Exact {
    #[inline]
    fn cmp(&self, o: &Exact) -> Ordering {
        if let (Small(a, b), Small(c, d)) = (&self.0, &o.0) {
            let (a, b, c, d) = (*a, *b, *c, *d);
            if b == d {
                return a.cmp(&c);
            }
            if narrow(a) && narrow(b) && narrow(c) && narrow(d) {
                return (a * d).cmp(&(c * b));
            }
            if let (Some(x), Some(y)) = (a.checked_mul(d), c.checked_mul(b)) {
                return x.cmp(&y);
            }
        }
        big_cmp(self, o)
    }
}

/// Two values compared as big rationals (out of line, as [`big_op`]).
#[cold]
#[inline(never)]
fn big_cmp(a: &Exact, b: &Exact) -> Ordering {
    a.big().cmp(&b.big())
}

impl fmt::Debug for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Small(n, d) => write!(f, "{n}/{d}"),
            Big(r) => write!(f, "{r}"),
        }
    }
}

impl fmt::Display for Exact {
    /// The value as a decimal without trailing zeros when it is one; otherwise its
    /// nearest 28-place decimal (which the trace's `show_long`, in `report/trace.rs`, marks
    /// with `…`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.approx() {
            Some(x) => write!(f, "{}", x.normalize()),
            None => write!(f, "{:?}", self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    fn x(s: &str) -> Exact {
        Exact::from(d(s))
    }

    #[test]
    fn the_issues_half_rounds_up() {
        // 3 × (100·90% + 500·79%) / (100 + 500) = 3 × 485 / 600 = 2.425 exactly → 2.43.
        let num = x("100")
            .mul(&x("0.90"))
            .unwrap()
            .add(&x("500").mul(&x("0.79")).unwrap());
        let mean = num.unwrap().div(&x("600")).unwrap();
        let score = x("3").mul(&mean).unwrap();
        assert_eq!(score.round(2, RoundMode::HalfUp), Ok(d("2.43")));
        assert_eq!(score.round(2, RoundMode::HalfEven), Ok(d("2.42")));
        assert_eq!(score.to_decimal(), Some(d("2.425")));
    }

    #[test]
    fn rounding_every_mode_at_and_around_the_midpoint() {
        let third = x("1").div(&x("3")).unwrap();
        for (value, mode, expected) in [
            (x("1.685"), RoundMode::HalfUp, "1.69"),
            (x("1.685"), RoundMode::HalfEven, "1.68"),
            (x("1.675"), RoundMode::HalfEven, "1.68"),
            (x("-1.685"), RoundMode::HalfUp, "-1.69"),
            (x("-1.685"), RoundMode::HalfEven, "-1.68"),
            (x("1.689"), RoundMode::Down, "1.68"),
            (x("-1.689"), RoundMode::Down, "-1.68"),
            (x("1.681"), RoundMode::Up, "1.69"),
            (x("-1.681"), RoundMode::Up, "-1.69"),
            (third.clone(), RoundMode::Up, "0.34"),
            (third.clone(), RoundMode::HalfUp, "0.33"),
            // 1/3 × 3 is 1 exactly, never 0.99…
            (third.mul(&x("3")).unwrap(), RoundMode::Down, "1.00"),
            (x("2"), RoundMode::HalfUp, "2.00"),
        ] {
            assert_eq!(value.round(2, mode), Ok(d(expected)), "{value:?} {mode:?}");
        }
    }

    #[test]
    fn comparisons_are_exact() {
        let third = x("1").div(&x("3")).unwrap();
        assert_eq!(third.mul(&x("3")).unwrap(), Exact::int(1));
        assert!(third < x("0.3333333333333333333333333334"));
        assert!(third > x("0.3333333333333333333333333333"));
        assert_eq!(x("2.50"), x("2.5"));
        assert_eq!(x("-0"), Exact::ZERO);
    }

    #[test]
    fn large_values_become_big_and_come_back() {
        let big = x("79228162514264337593543950335"); // the largest decimal
        let sq = big.mul(&big).unwrap();
        assert!(matches!(sq.0, Big(_)));
        let back = sq.div(&big).unwrap();
        assert!(matches!(back.0, Small(..)));
        assert_eq!(back.to_decimal(), Some(d("79228162514264337593543950335")));
        // Through the big form: (x² × 2.425) / x² is 2.425 exactly, rounded half up to 2.43.
        let x2 = x("1234567890123456789012345678")
            .mul(&x("1234567890123456789012345678"))
            .unwrap();
        let q = x2.mul(&x("2.425")).unwrap().div(&x2).unwrap();
        assert_eq!(q.round(2, RoundMode::HalfUp), Ok(d("2.43")));
        assert_eq!(q.round(2, RoundMode::HalfEven), Ok(d("2.42")));
    }

    /// The small fractions give what big rationals give, for every operation, at the
    /// edges of the 64-bit fast path and of `i128`, and say `None` rather than overflow.
    #[test]
    fn small_fractions_agree_with_big_rationals() {
        let parts: [i128; 9] = [
            0,
            1,
            -7,
            400,
            i128::from(i64::MAX),
            i128::from(i64::MIN),
            i128::from(i64::MAX) + 1,
            i128::MAX / 3,
            -(i128::MAX / 5),
        ];
        let denominators: [i128; 5] = [1, 3, 100, i128::from(i64::MAX), i128::MAX / 7];
        let ops = [Op::Add, Op::Sub, Op::Mul, Op::Div];
        for &a in &parts {
            for &b in &denominators {
                for &c in &parts {
                    for &d in &denominators {
                        let (x, y) = (Frac(a, b), Frac(c, d));
                        let (bx, by) = (Exact::from(x).big(), Exact::from(y).big());
                        for op in ops {
                            let expected = match op {
                                Op::Add => Some(&bx + &by),
                                Op::Sub => Some(&bx - &by),
                                Op::Mul => Some(&bx * &by),
                                Op::Div if c == 0 => None,
                                Op::Div => Some(&bx / &by),
                            };
                            match x.op(op, y) {
                                Some(f) => {
                                    assert!(f.1 > 0, "{x:?} {op:?} {y:?}");
                                    assert_eq!(
                                        Some(Exact::from(f).big()),
                                        expected,
                                        "{x:?} {op:?} {y:?}"
                                    );
                                }
                                // Too large for the small form (or a zero divisor): the
                                // general path takes it. Parts of 64 bits always fit.
                                None => assert!(
                                    (c == 0 && op == Op::Div)
                                        || ![a, b, c, d].into_iter().all(narrow),
                                    "{x:?} {op:?} {y:?}"
                                ),
                            }
                            // Whatever the path, `Exact`'s own operation is exact.
                            let (ex, ey) = (Exact::from(x), Exact::from(y));
                            let got = match op {
                                Op::Add => ex.add(&ey),
                                Op::Sub => ex.sub(&ey),
                                Op::Mul => ex.mul(&ey),
                                Op::Div => ex.div(&ey),
                            };
                            assert_eq!(got.ok().map(|g| g.big()), expected, "{x:?} {op:?} {y:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn growth_is_bounded() {
        // 2^2048 (2,049 bits) fits; its square, 2^4096, has 4,097 bits: one too many.
        let mut v = Exact::int(2);
        for _ in 0..11 {
            v = v.mul(&v).unwrap();
        }
        assert_eq!(v.mul(&v), Err(ArithError::Overflow));
        assert!(v.div(&Exact::int(3)).is_ok());
    }

    #[test]
    fn decimals_and_approximations() {
        assert_eq!(x("1").div(&x("8")).unwrap().to_decimal(), Some(d("0.125")));
        assert_eq!(x("1").div(&x("3")).unwrap().to_decimal(), None);
        assert_eq!(
            x("1").div(&x("3")).unwrap().to_string(),
            "0.3333333333333333333333333333"
        );
        assert_eq!(
            x("2").div(&x("3")).unwrap().to_string(),
            "0.6666666666666666666666666667"
        );
        assert_eq!(x("2.500").to_string(), "2.5");
        assert_eq!(x("7").div(&x("2")).unwrap().floor(), x("3"));
        assert_eq!(x("-7").div(&x("2")).unwrap().floor(), x("-4"));
        assert_eq!(x("7").div(&x("2")).unwrap().ceil(), x("4"));
        assert_eq!(x("-7").div(&x("2")).unwrap().ceil(), x("-3"));
        assert_eq!(x("6").div(&x("2")).unwrap().ceil(), x("3"));
        assert_eq!(x("1").div(&Exact::ZERO), Err(ArithError::DivisionByZero));
    }
}
