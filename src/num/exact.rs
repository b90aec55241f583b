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
        if let (Small(a, b), Small(c, d)) = (&self.0, &o.0) {
            if let Some(r) = small_add(*a, *b, *c, *d) {
                return Ok(r);
            }
        }
        big(&self.big() + &o.big())
    }

    /// `a - b`.
    ///
    /// # Errors
    /// [`ArithError::Overflow`] past [`MAX_BITS`].
    #[inline]
    pub fn sub(&self, o: &Exact) -> Result<Exact, ArithError> {
        if let (Small(a, b), Small(c, d)) = (&self.0, &o.0) {
            if let Some(r) = c.checked_neg().and_then(|c| small_add(*a, *b, c, *d)) {
                return Ok(r);
            }
        }
        big(&self.big() - &o.big())
    }

    /// `a × b`.
    ///
    /// # Errors
    /// [`ArithError::Overflow`] past [`MAX_BITS`].
    #[inline]
    pub fn mul(&self, o: &Exact) -> Result<Exact, ArithError> {
        if let (Small(a, b), Small(c, d)) = (&self.0, &o.0) {
            if let (Some(n), Some(den)) = (a.checked_mul(*c), b.checked_mul(*d)) {
                return Ok(Exact::small(n, den));
            }
        }
        big(&self.big() * &o.big())
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
        if let (Small(a, b), Small(c, d)) = (&self.0, &o.0) {
            // (a / b) / (c / d) = a·d / b·c, the sign moved to the numerator.
            if let (Some(n), Some(den)) = (a.checked_mul(*d), b.checked_mul(*c)) {
                if den > 0 {
                    return Ok(Exact::small(n, den));
                }
                if let (Some(n), Some(den)) = (n.checked_neg(), den.checked_neg()) {
                    return Ok(Exact::small(n, den));
                }
            }
        }
        big(&self.big() / &o.big())
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
    pub fn round(&self, places: u32, mode: RoundMode) -> Result<Decimal, ArithError> {
        let p = places.min(28) as usize;
        if let Small(n, d) = self.0 {
            if let Some(m) = n.checked_mul(POW10[p]) {
                let q = rounded_quotient(m, d, mode);
                return decimal(q, p);
            }
        }
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
            Small(n, d) => (n / d).unsigned_abs() < DECIMAL_MAX.unsigned_abs(),
            Big(r) => r.numer().abs() / r.denom() < BigInt::from(DECIMAL_MAX),
        }
    }

    /// The value as a decimal, when it is one exactly (a denominator of 2s and 5s, at most
    /// 28 places, 96 bits); `None` for `1/3` and for values too large.
    #[must_use]
    pub fn to_decimal(&self) -> Option<Decimal> {
        if let Small(n, d) = self.0 {
            // The usual case, a decimal never divided: d is a power of ten.
            let s = d.ilog10() as usize;
            if s <= 28 && POW10[s] == d && n.unsigned_abs() <= DECIMAL_MAX.unsigned_abs() {
                return decimal(n, s).ok();
            }
            // In lowest terms, a decimal's denominator is 2^a·5^b.
            let g = n.gcd(&d);
            let (n, d) = (n / g, d / g);
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
    #[must_use]
    pub fn approx(&self) -> Option<Decimal> {
        if let Some(x) = self.to_decimal() {
            return Some(x);
        }
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

/// A big result, checked against [`MAX_BITS`].
fn big(r: BigRational) -> Result<Exact, ArithError> {
    if r.numer().bits() > MAX_BITS || r.denom().bits() > MAX_BITS {
        return Err(ArithError::Overflow);
    }
    Ok(Exact::from_big(r))
}

/// `a/b + c/d` in `i128`s, or `None` where it does not fit.
#[inline]
fn small_add(a: i128, b: i128, c: i128, d: i128) -> Option<Exact> {
    if b == d {
        return Some(Exact::small(a.checked_add(c)?, b));
    }
    // Decimals of different scales: one denominator is a multiple of the other.
    if b < d && d % b == 0 {
        return Some(Exact::small(a.checked_mul(d / b)?.checked_add(c)?, d));
    }
    if d < b && b % d == 0 {
        return Some(Exact::small(c.checked_mul(b / d)?.checked_add(a)?, b));
    }
    let n = a.checked_mul(d)?.checked_add(c.checked_mul(b)?)?;
    Some(Exact::small(n, b.checked_mul(d)?))
}

/// `m / d` (d > 0) rounded to a whole number by `mode`.
#[inline]
fn rounded_quotient(m: i128, d: i128, mode: RoundMode) -> i128 {
    let (q, r) = (m / d, m % d);
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
        Exact::small(x.mantissa(), POW10[x.scale() as usize])
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
            if b == d {
                return a.cmp(c);
            }
            if let (Some(x), Some(y)) = (a.checked_mul(*d), c.checked_mul(*b)) {
                return x.cmp(&y);
            }
        }
        self.big().cmp(&o.big())
    }
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
    /// nearest 28-place decimal (which [`super::show_long`] marks with `…`).
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
