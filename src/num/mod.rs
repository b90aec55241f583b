//! Exact arithmetic for scores. Formulas compute with [`Exact`] fractions, rounded once
//! (exact.rs); the decimals here are the form's values, weights and rounded scores, whose
//! sums and differences are exact as long as they fit. rust_decimal's operators panic on
//! overflow and on division by zero; every operation here is checked and returns a
//! span-less [`ArithError`] that the caller places (`.at(span)` in the phase that knows
//! where).

use rust_decimal::Decimal;

mod exact;
pub mod shown;

pub use exact::{Exact, Frac, Op};

/// What went wrong in one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    /// A divisor was zero.
    DivisionByZero,
    /// The result does not fit in 96 bits with its scale.
    Overflow,
}

impl ArithError {
    /// A short description in the form's language.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            ArithError::DivisionByZero => "除数为 0",
            ArithError::Overflow => "数值超出可精确计算的范围",
        }
    }
}

// The four operations are `#[inline]`: called out of line, each returned its
// `Result<Decimal, _>` through memory, written a field at a time and read back whole by
// the caller, which stalls on every formula step (BENCHMARKS.md, round 6). Inlined, the
// result stays in registers: the seed form's evaluation takes 15 % less time for the
// same instructions.

/// `a + b`
#[inline]
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    a.checked_add(b).ok_or(ArithError::Overflow)
}

/// `a - b`
#[inline]
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    a.checked_sub(b).ok_or(ArithError::Overflow)
}

/// `a * b`
#[inline]
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    a.checked_mul(b).ok_or(ArithError::Overflow)
}

/// `a / b`
#[inline]
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    if b.is_zero() {
        return Err(ArithError::DivisionByZero);
    }
    a.checked_div(b).ok_or(ArithError::Overflow)
}

/// The sum of many, exactly what adding them one by one from zero gives.
pub fn sum<I>(items: I) -> Result<Decimal, ArithError>
where
    I: IntoIterator<Item = Decimal>,
    I::IntoIter: Clone,
{
    let mut items = items.into_iter();
    match sum_of_one_scale(items.clone()) {
        Some(total) => Ok(total),
        None => items.try_fold(Decimal::ZERO, add),
    }
}

/// The sum of values that all have one scale (weights, scores rounded to their places: the
/// usual case), added as integers and made a decimal once; `None` for anything else, which
/// [`sum`] adds one by one. Each decimal addition returns its result through memory and
/// the next waits to read it (BENCHMARKS.md, round 4); integers stay in registers.
///
/// The same value as adding one by one: with every partial sum inside 96 bits, decimal
/// addition at one scale is exact. A partial sum outside (where decimal addition would
/// round), and a zero total (whose sign decimal addition decides), are left to [`sum`].
pub fn sum_of_one_scale(mut items: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    const LIMIT: i128 = 1 << 96;
    let Some(first) = items.next() else {
        return Some(Decimal::ZERO);
    };
    let scale = first.scale();
    let mut total = first.mantissa();
    for x in items {
        if x.scale() != scale {
            return None;
        }
        total += x.mantissa();
        if !(-LIMIT < total && total < LIMIT) {
            return None;
        }
    }
    if total == 0 {
        return None;
    }
    Decimal::try_from_i128_with_scale(total, scale).ok()
}

/// A decimal for people: no trailing zeros beyond what is needed (`1.50` → `1.5`): a
/// value of the rules or the form quoted in a trace or a diagnostic. Scores in reports:
/// [`shown`].
#[must_use]
pub fn show(x: Decimal) -> String {
    x.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::d;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap_or_default()
        }
    }

    #[test]
    fn checked_operations_report_instead_of_panicking() {
        assert_eq!(div(d("1"), Decimal::ZERO), Err(ArithError::DivisionByZero));
        assert_eq!(mul(Decimal::MAX, d("2")), Err(ArithError::Overflow));
        assert_eq!(add(Decimal::MAX, d("1")), Err(ArithError::Overflow));
        assert_eq!(div(d("2"), d("4")), Ok(d("0.5")));
    }

    /// Adding one by one from zero, the definition `sum` must match bit for bit.
    fn one_by_one(items: &[Decimal]) -> Result<Decimal, ArithError> {
        items.iter().copied().try_fold(Decimal::ZERO, add)
    }

    #[test]
    fn a_sum_at_one_scale_is_exactly_the_sum_one_by_one() {
        let cases: Vec<Vec<Decimal>> = vec![
            vec![],
            vec![d("2.00")],
            vec![d("1.96"), d("2.00"), d("0.50"), d("3.33")],
            vec![d("2"), d("4"), d("10")],
            vec![d("1.5"), d("-1.5")], // a zero total: one by one decides its sign
            vec![d("-0.00"), d("-0.00")], // negative zeros
            vec![d("0.00"), d("0.00")],
            vec![d("-1.25"), d("0.75")],
            vec![d("1.2"), d("3.45")],  // two scales: one by one
            vec![Decimal::MAX, d("1")], // overflow
            vec![Decimal::MAX, Decimal::MIN, d("5")], // partial sums at the edge
            vec![d("79228162514264337593543950.33"), d("0.01")], // rounds one by one
            vec![Decimal::MAX, Decimal::MAX, Decimal::MIN], // partial sum beyond 96 bits
        ];
        for items in cases {
            let expected = one_by_one(&items);
            let got = sum(items.iter().copied());
            assert_eq!(
                got.map(|x| x.serialize()),
                expected.map(|x| x.serialize()),
                "{items:?}"
            );
        }
        // many values at one scale, against the definition
        let mut state = 12345u64;
        for _ in 0..200 {
            let items: Vec<Decimal> = (0..50)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    let m = i64::try_from(state >> 34).unwrap_or(0) - (1 << 28);
                    Decimal::new(m, 2)
                })
                .collect();
            assert_eq!(
                sum(items.iter().copied()).map(|x| x.serialize()),
                one_by_one(&items).map(|x| x.serialize())
            );
        }
    }
}
