//! TOML float literals read exactly: `12174.8`, `1_000.5`, `+1.5e3` as decimals.
//!
//! Input: a float literal's text as written in the file (never the `f64` TOML parsed).
//! Output: its exact decimal value, or a [`FloatProblem`] saying why it has none.
//! Invariants: no binary floating point; `-0.0` is 0.

use rust_decimal::Decimal;

use crate::text::quoted;

/// Why a TOML float literal has no exact decimal value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FloatProblem {
    /// `inf`, `-inf`, `nan`.
    NotFinite,
    /// More than 28 significant digits.
    TooManyDigits,
    /// Larger than the largest decimal, about 7.9 × 10^28 (`1e30`).
    TooLarge,
    /// More than 28 decimal places (`1e-30`).
    TooSmall,
}

impl FloatProblem {
    /// What is wrong with `raw`, a `what` (e.g. 分值（weight）), in a sentence.
    pub(super) fn message(self, what: &str, raw: &str) -> String {
        let raw = quoted(raw);
        match self {
            FloatProblem::NotFinite => format!("{what}{raw}不是一个有限的数"),
            FloatProblem::TooManyDigits => {
                format!("{what}{raw}的有效数字过多：最多 28 位有效数字")
            }
            FloatProblem::TooLarge => format!(
                "{what}{raw}太大：超出可精确计算的范围（绝对值须小于 7.9×10²⁸，即 28 位整数）"
            ),
            FloatProblem::TooSmall => {
                format!("{what}{raw}的小数位数过多：超出可精确计算的范围（最多 28 位小数）")
            }
        }
    }
}

/// The exact value of a TOML float literal: `12174.8`, `1_000.5`, `+1.5e3`, or why it
/// has none: `inf` and `nan`, or too large, too small or too precise for a 96-bit
/// decimal. `-0.0` is 0.
pub(super) fn float_literal(text: &str) -> Result<Decimal, FloatProblem> {
    let text: String = text.chars().filter(|&c| c != '_').collect();
    let text = text.strip_prefix('+').unwrap_or(&text);
    if text.trim_start_matches('-').starts_with(['i', 'n']) {
        return Err(FloatProblem::NotFinite);
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (
            text.get(..i).unwrap_or(""),
            text.get(i + 1..).and_then(|e| e.parse::<i64>().ok()),
        ),
        None => (text, Some(0)),
    };
    let mut number = Decimal::from_str_exact(mantissa)
        .map_err(|_| {
            // More than 28 digits before the point is too large; after it, too precise.
            let whole = mantissa
                .trim_start_matches('-')
                .split('.')
                .next()
                .unwrap_or("");
            if whole.trim_start_matches('0').len() > 28 {
                FloatProblem::TooLarge
            } else {
                FloatProblem::TooManyDigits
            }
        })?
        .normalize();
    if number.is_zero() {
        return Ok(Decimal::ZERO);
    }
    // An exponent that does not fit an i64 is far out of range either way.
    let exponent = exponent.ok_or(if text.contains("e-") || text.contains("E-") {
        FloatProblem::TooSmall
    } else {
        FloatProblem::TooLarge
    })?;
    if exponent >= 0 {
        for _ in 0..exponent.min(40) {
            number = number
                .checked_mul(Decimal::TEN)
                .ok_or(FloatProblem::TooLarge)?;
        }
        if exponent > 40 {
            return Err(FloatProblem::TooLarge);
        }
    } else {
        let scale = u32::try_from(exponent.unsigned_abs())
            .ok()
            .and_then(|e| number.scale().checked_add(e))
            .ok_or(FloatProblem::TooSmall)?;
        number
            .set_scale(scale)
            .map_err(|_| FloatProblem::TooSmall)?;
    }
    Ok(number.normalize())
}
