//! Numbers as people read them: the one place that decides how a score, a difference and
//! a rate are written, for every output (the terminal table, CSV, Markdown, HTML, xlsx
//! labels, explain, audit, diff) and for diagnostics that quote a percentage.
//!
//! Input: exact decimals. Output: text. Invariants, one rule per function:
//! - [`show`]: the decimal exactly as computed, its places kept (`2.00`), except an
//!   unrounded quotient (rules that round only the total), cut after 6 places and marked
//!   `…` (`1.546666…`). JSON and CSV keep every digit; they do not call this.
//! - [`signed`]: a difference in a table cell: `+0.96`, `-1.10`, and a zero difference
//!   blank, so that only rows that differ catch the eye.
//! - [`signed_or_zero`]: a difference in running text, where a blank would read as a gap:
//!   as [`signed`], but zero written without a sign (`0.00`).
//! - [`percent`]: a rate (执行率) as a percentage rounded half away from zero to exactly 2
//!   places (`95.12%`); one too large for percent (beyond 10^26, only from a form built
//!   to overflow) as a multiple, `… 倍`.
//! - [`percent_exact`]: a percentage the rules write (a band's bounds, `80%`), exact and
//!   without trailing zeros; too large, as a multiple likewise.
//!
//! The crate's `num::show` (trailing zeros dropped, `1.50` → `1.5`) is how traces and
//! diagnostics quote a value of the rules or the form; it is not a score in a report.

use rust_decimal::{Decimal, RoundingStrategy};

/// How many decimal places [`show`] (and the trace, for an exact value) keeps of an
/// unrounded quotient.
pub const PLACES: u32 = 6;

/// A score as people read it: exact, but an unrounded quotient is cut after 6 decimals
/// and marked `…`.
#[must_use]
pub fn show(d: Decimal) -> String {
    if d.scale() > PLACES {
        let cut = d.round_dp_with_strategy(PLACES, RoundingStrategy::ToZero);
        if cut != d {
            return format!("{}…", cut.normalize());
        }
    }
    d.to_string()
}

/// `+2.53`, `-1.10`; a zero difference (either sign) is blank.
#[must_use]
pub fn signed(d: Decimal) -> String {
    if d.is_zero() {
        String::new()
    } else {
        signed_or_zero(d)
    }
}

/// `+2.53`, `-1.10`, and a zero difference without a sign: `0.00` (`-0.00` would read as
/// a change).
#[must_use]
pub fn signed_or_zero(d: Decimal) -> String {
    if d.is_zero() {
        show(d.abs())
    } else if d.is_sign_positive() {
        format!("+{}", show(d))
    } else {
        show(d)
    }
}

/// `0.9512` → `95.12%`, `1` → `100.00%`, rounded half away from zero; beyond percent,
/// `… 倍`.
#[must_use]
pub fn percent(rate: Decimal) -> String {
    match rate.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!(
            "{:.2}%",
            p.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        ),
        None => multiple(rate),
    }
}

/// `0.8` → `80%`, `0.125` → `12.5%`, exact; beyond percent, `… 倍`.
#[must_use]
pub fn percent_exact(x: Decimal) -> String {
    match super::mul(x, Decimal::ONE_HUNDRED) {
        Ok(p) => format!("{}%", super::show(p)),
        Err(_) => multiple(x),
    }
}

/// A rate too large for percent, as a multiple: `79228162514264337593543950.335 倍`.
fn multiple(rate: Decimal) -> String {
    format!("{} 倍", super::show(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    #[test]
    fn scores_keep_their_places_and_cut_quotients() {
        assert_eq!(show(d("96.53")), "96.53");
        assert_eq!(show(d("2.00")), "2.00");
        // 4.64 / 3 = 1.546666…: cut, not rounded, after 6 places
        assert_eq!(show(d("1.5466666666666")), "1.546666…");
        // 7 places that end in zero lose nothing when cut: shown as they are
        assert_eq!(show(d("1.5000000")), "1.5000000");
    }

    #[test]
    fn differences_are_signed_and_zero_is_blank_or_unsigned() {
        assert_eq!(signed(d("0.96")), "+0.96");
        assert_eq!(signed(d("-1.10")), "-1.10");
        assert_eq!(signed(d("0.00")), "");
        assert_eq!(signed(d("-0.00")), "");
        assert_eq!(signed(d("0.3333333333")), "+0.333333…");
        assert_eq!(signed_or_zero(d("2.53")), "+2.53");
        assert_eq!(signed_or_zero(d("-0.00")), "0.00");
        assert_eq!(signed_or_zero(d("0")), "0");
    }

    #[test]
    fn rates_are_percentages_to_two_places() {
        // 2 / 3 = 66.666…% → 66.67%; 0.95125 → 95.125% → 95.13% (half away from zero)
        assert_eq!(percent(d("0.6666666")), "66.67%");
        assert_eq!(percent(d("0.95125")), "95.13%");
        assert_eq!(percent(Decimal::ONE), "100.00%");
        assert_eq!(percent(Decimal::MAX), format!("{} 倍", Decimal::MAX));
        assert_eq!(percent_exact(d("0.8")), "80%");
        assert_eq!(percent_exact(d("0.125")), "12.5%");
        assert_eq!(percent_exact(Decimal::MAX), format!("{} 倍", Decimal::MAX));
    }
}
