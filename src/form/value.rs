//! Form values: the strings departments write in the 目标值 and 实际完成值 cells.
//!
//! Input: one cell as written, e.g. `≥1,234.5万元`, `95%以上`, `3天以内`, `明显提高`.
//! Output: [`Parsed::Quantity`](super::Parsed::Quantity) (comparison, exact number,
//! percentage flag, unit) or [`Parsed::Text`](super::Parsed::Text), or a
//! [`ParseValueError`] pointing at the bad part of the cell.
//! Grammar: `[comparison] [-]digits[.digits] [multiplier] (% | unit) [suffix]`,
//! whitespace allowed between parts; thousands separators `,` in groups of three;
//! multipliers 千 万 百万 千万 亿 万亿; comparisons as in [`Cmp`], before the number
//! (`≥`, `不少于`, `至少`, `少于`, …) or after it (`以上`, `以下`, `以内`, `及以上`,
//! `及以下`); full-width digits and `，．％＞＜＝－` read as their ASCII forms. Anything
//! not starting with a number is text. [`parse_scale`] reads what may follow a number on
//! its own (`万元`, `%`), for a unit a form declares for its bare numbers.
//! Invariants: numbers are exact decimals (never binary floating point): the multiplier is
//! applied and a percentage divided by 100 without rounding, and the result is normalized
//! (`1.50万` is `15000`); a unit never holds a multiplier, a digit or `%`. Nothing here
//! panics, whatever the input.
//!
//! Files: `parse` reads a value, `comparison` holds the comparison words, `scale` the
//! multipliers and declared units, `cursor` reads characters with full-width forms
//! narrowed.

mod comparison;
mod cursor;
mod parse;
mod scale;

use std::ops::Range;

use rust_decimal::Decimal;

pub use comparison::Cmp;
pub use parse::parse_value;
pub use scale::{Scale, parse_scale};

/// A number as a form states it: `≥1,234.5万元` is `Ge`, 12345000, not a percentage, `元`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The comparison, from a prefix (`≥`) or a suffix (`以上`).
    pub cmp: Cmp,
    /// The exact number, scaled by the multiplier (`1.5亿` is 150000000); a percentage as a
    /// fraction (`95%` is 0.95). Normalized: no trailing zeros.
    pub number: Decimal,
    /// Whether it was written as a percentage.
    pub percent: bool,
    /// The multiplier as written (`万` of `1.5万元`), if any; already applied to `number`.
    pub multiplier: Option<&'static str>,
    /// The unit after removing the multiplier (`万元` gives `元`); `""` if none. Never
    /// contains `%` or a digit.
    pub unit: String,
}

impl Quantity {
    /// Whether it is a bare number: no unit, no multiplier, not a percentage (`100`,
    /// `≥3`). Whether `100` beside `90万元` means 100 or 100 万 the form does not say.
    #[must_use]
    pub fn is_bare(&self) -> bool {
        !self.percent && self.multiplier.is_none() && self.unit.is_empty()
    }

    /// What follows the number as written, without a comparison: `万元`, `%`, `人次`,
    /// or `""` for a bare number.
    #[must_use]
    pub fn suffix(&self) -> String {
        let percent = if self.percent { "%" } else { "" };
        format!("{}{percent}{}", self.multiplier.unwrap_or(""), self.unit)
    }
}

/// Why a value that starts like a number could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseValueError {
    /// What is wrong, in Chinese, quoting the bad part.
    pub message: String,
    /// How to write it instead.
    pub help: String,
    /// The byte range of the bad part within the string given to [`parse_value`].
    pub offset: Range<usize>,
}

impl ParseValueError {
    pub(super) fn new(message: String, help: &str, offset: Range<usize>) -> Self {
        Self {
            message,
            help: help.to_owned(),
            offset,
        }
    }
}

#[cfg(test)]
mod tests;
