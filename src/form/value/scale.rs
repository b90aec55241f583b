//! Multipliers and declared units: `万`, `亿` and the others a number may carry, and
//! [`Scale`], a unit a form declares for its bare numbers (`unit = "万元"`).
//!
//! Input: the cursor after a number (a multiplier), or a declared unit's text
//! ([`parse_scale`]). Output: the multiplier and its power of ten, or a [`Scale`].
//! Invariants: scaling is exact (multiplying by ten, never through floating point) and
//! fails rather than overflows.

use rust_decimal::Decimal;

use super::ParseValueError;
use super::cursor::Cursor;
use super::parse::{after_percent, slice, unit_and_suffix};
use crate::text::quoted;

/// Multipliers and their powers of ten, longer spellings first.
const MULTIPLIERS: &[(&str, u32)] = &[
    ("百万", 6),
    ("千万", 7),
    ("万亿", 12),
    ("千", 3),
    ("万", 4),
    ("亿", 8),
];

/// A unit a form declares for the bare numbers of a table (`unit = "万元"`): what may
/// follow a number, on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// The multiplier as written and its power of ten (`万`, 4).
    pub multiplier: Option<(&'static str, u32)>,
    /// `%`: bare numbers are percentages.
    pub percent: bool,
    /// The unit without the multiplier (`元` of `万元`); `""` for `%` or a multiplier
    /// alone.
    pub unit: String,
}

impl Scale {
    /// `number` read in this unit: `11000` in `万元` is 110,000,000 元, `90` in `%` is
    /// 0.9. `None` if the result does not fit a decimal.
    #[must_use]
    pub fn apply(&self, number: Decimal) -> Option<Decimal> {
        let mut n = match self.multiplier {
            Some((_, power)) => scale_up(number, power)?,
            None => number,
        };
        if self.percent {
            n.set_scale(n.scale().checked_add(2)?).ok()?;
        }
        Some(n.normalize())
    }

    /// How it was written, normalized: `万元`, `%`, `人次`.
    #[must_use]
    pub fn written(&self) -> String {
        let percent = if self.percent { "%" } else { "" };
        format!(
            "{}{percent}{}",
            self.multiplier.map_or("", |(w, _)| w),
            self.unit
        )
    }
}

/// Reads a unit declared for bare numbers: `[multiplier] (% | unit)`, such as `万元`,
/// `%`, `人次`, `万`. No number, comparison or suffix.
///
/// # Errors
/// A [`ParseValueError`] for an empty unit, a digit or comparison in it, or a multiplier
/// with `%`.
pub fn parse_scale(raw: &str) -> Result<Scale, ParseValueError> {
    let mut cur = Cursor { raw, pos: 0 };
    cur.skip_ws();
    let mult_start = cur.pos;
    let multiplier = cur.multiplier();
    let mult_range = mult_start..cur.pos;
    cur.skip_ws();
    let percent = cur.peek() == Some('%');
    let (unit, suffix) = if percent {
        cur.bump();
        after_percent(&mut cur, multiplier.map(|_| mult_range))?
    } else {
        unit_and_suffix(raw, cur.pos)?
    };
    if let Some((_, range)) = suffix {
        return Err(ParseValueError::new(
            format!("单位中不能有比较：{}", quoted(slice(raw, range.clone()))),
            "unit 只写单位，如 unit = \"万元\"；比较写在各个值中，如「≥95%」",
            range,
        ));
    }
    if !percent && multiplier.is_none() && unit.is_empty() {
        return Err(ParseValueError::new(
            "单位是空的".to_owned(),
            "写上单位，如 unit = \"万元\"、unit = \"人次\" 或 unit = \"%\"；不需要时删去 unit",
            0..raw.len(),
        ));
    }
    Ok(Scale {
        multiplier,
        percent,
        unit,
    })
}

/// Multiplies by `10^power` exactly, or `None` on overflow.
pub(super) fn scale_up(number: Decimal, power: u32) -> Option<Decimal> {
    (0..power).try_fold(number, |n, _| n.checked_mul(Decimal::TEN))
}

impl Cursor<'_> {
    /// A multiplier, as written and as a power of ten.
    pub(super) fn multiplier(&mut self) -> Option<(&'static str, u32)> {
        MULTIPLIERS.iter().find(|(word, _)| self.eat(word)).copied()
    }
}
