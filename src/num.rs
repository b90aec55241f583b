//! Exact decimal arithmetic for scores. rust_decimal's operators panic on overflow and
//! on division by zero; every operation here is checked and returns a span-less
//! [`ArithError`] that the caller places (`.at(span)` in the phase that knows where).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::syntax::ast::RoundMode;

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

/// `a + b`
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    a.checked_add(b).ok_or(ArithError::Overflow)
}

/// `a - b`
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    a.checked_sub(b).ok_or(ArithError::Overflow)
}

/// `a * b`
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    a.checked_mul(b).ok_or(ArithError::Overflow)
}

/// `a / b`
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, ArithError> {
    if b.is_zero() {
        return Err(ArithError::DivisionByZero);
    }
    a.checked_div(b).ok_or(ArithError::Overflow)
}

/// The sum of many.
pub fn sum(items: impl IntoIterator<Item = Decimal>) -> Result<Decimal, ArithError> {
    items.into_iter().try_fold(Decimal::ZERO, add)
}

/// Rounds with an explicit strategy (`round_dp` alone would be banker's rounding).
#[must_use]
pub fn round(x: Decimal, places: u32, mode: RoundMode) -> Decimal {
    let strategy = match mode {
        RoundMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundMode::Down => RoundingStrategy::ToZero,
        RoundMode::Up => RoundingStrategy::AwayFromZero,
    };
    x.round_dp_with_strategy(places, strategy)
}

/// A decimal for people: no trailing zeros beyond what is needed (`1.50` → `1.5`).
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
    fn half_up_is_away_from_zero_at_the_midpoint() {
        // 1.685 → 1.69 (四舍五入); banker's rounding would give 1.68.
        assert_eq!(round(d("1.685"), 2, RoundMode::HalfUp), d("1.69"));
        assert_eq!(round(d("1.685"), 2, RoundMode::HalfEven), d("1.68"));
        assert_eq!(round(d("1.689"), 2, RoundMode::Down), d("1.68"));
        assert_eq!(round(d("1.681"), 2, RoundMode::Up), d("1.69"));
    }

    #[test]
    fn checked_operations_report_instead_of_panicking() {
        assert_eq!(div(d("1"), Decimal::ZERO), Err(ArithError::DivisionByZero));
        assert_eq!(mul(Decimal::MAX, d("2")), Err(ArithError::Overflow));
        assert_eq!(add(Decimal::MAX, d("1")), Err(ArithError::Overflow));
        assert_eq!(div(d("2"), d("4")), Ok(d("0.5")));
    }
}
