//! Bins for a histogram of totals that zoom to where the values are: the batch report's
//! distribution chart and a diff's distribution before and after use the same ones.
//!
//! Input: the values (totals). Output: [`Bins`], at most [`MAX_BINS`] of one round width
//! (0.1, 0.2, 0.5, 1, 2, 5, 10, 20 or 50 points, the smallest that fits), starting at a
//! multiple of it at or below the lowest value. Every value falls in exactly one bin:
//! `from ≤ value < to`, the last bin also holding its upper edge. Exact decimals.

use rust_decimal::Decimal;

/// The most bins.
pub const MAX_BINS: usize = 12;

/// The widths tried, smallest first.
const WIDTHS: [Decimal; 9] = [
    Decimal::from_parts(1, 0, 0, false, 1),  // 0.1
    Decimal::from_parts(2, 0, 0, false, 1),  // 0.2
    Decimal::from_parts(5, 0, 0, false, 1),  // 0.5
    Decimal::from_parts(1, 0, 0, false, 0),  // 1
    Decimal::from_parts(2, 0, 0, false, 0),  // 2
    Decimal::from_parts(5, 0, 0, false, 0),  // 5
    Decimal::from_parts(10, 0, 0, false, 0), // 10
    Decimal::from_parts(20, 0, 0, false, 0), // 20
    Decimal::from_parts(50, 0, 0, false, 0), // 50
];

/// Bins of one width covering a set of values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bins {
    /// The first bin's lower edge.
    pub start: Decimal,
    /// Every bin's width.
    pub width: Decimal,
    /// How many bins.
    pub count: usize,
}

impl Bins {
    /// The bins covering `values`; `None` when there are none, or they are too far apart
    /// for [`MAX_BINS`] bins of 50 points.
    #[must_use]
    pub fn covering(values: impl Iterator<Item = Decimal> + Clone) -> Option<Bins> {
        let low = values.clone().min()?;
        let high = values.max()?;
        WIDTHS.iter().find_map(|&width| {
            let start = low.checked_div(width)?.floor().checked_mul(width)?;
            let span = high.checked_sub(start)?.checked_div(width)?;
            // The highest value falls in bin ⌊span⌋, or closes the last bin.
            let mut last = span.floor();
            if last == span && last > Decimal::ZERO {
                last -= Decimal::ONE;
            }
            let count = usize::try_from(last.checked_add(Decimal::ONE)?).ok()?;
            (count <= MAX_BINS).then_some(Bins {
                start,
                width,
                count,
            })
        })
    }

    /// The bin `value` falls in (clamped to the bins).
    #[must_use]
    pub fn of(&self, value: Decimal) -> usize {
        let k = value
            .checked_sub(self.start)
            .and_then(|x| x.checked_div(self.width))
            .map(|x| x.floor())
            .and_then(|x| usize::try_from(x).ok())
            .unwrap_or_default();
        k.min(self.count.saturating_sub(1))
    }

    /// Bin `k`'s edges, `(from, to)`, without trailing zeros.
    #[must_use]
    pub fn edges(&self, k: usize) -> (Decimal, Decimal) {
        let from = self.start + self.width * Decimal::from(k);
        (from.normalize(), (from + self.width).normalize())
    }

    /// The upper edge of the last bin.
    #[must_use]
    pub fn end(&self) -> Decimal {
        self.edges(self.count.saturating_sub(1)).1
    }

    /// How many of `values` fall in each bin.
    #[must_use]
    pub fn counts(&self, values: impl Iterator<Item = Decimal>) -> Vec<usize> {
        let mut out = vec![0usize; self.count];
        for v in values {
            if let Some(n) = out.get_mut(self.of(v)) {
                *n = n.saturating_add(1);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    fn covering(values: &[&str]) -> Option<Bins> {
        let v: Vec<Decimal> = values.iter().map(|s| d(s)).collect();
        Bins::covering(v.iter().copied())
    }

    #[test]
    fn the_smallest_round_width_that_fits() {
        // 81.86 to 96.53: width 1 would need 16 bins, width 2 needs 9 (80–82 … 96–98)
        let b = covering(&["96.53", "81.86", "91.26"]).expect("bins");
        assert_eq!((b.start, b.width, b.count), (d("80"), d("2"), 9));
        assert_eq!(b.edges(0), (d("80"), d("82")));
        assert_eq!(b.end(), d("98"));
        assert_eq!(b.of(d("81.86")), 0);
        assert_eq!(b.of(d("96.53")), 8);
        // a batch of totals from 78 to 96 in 2-point bins, not 0–100 in 5-point ones
        let b = covering(&["78.2", "95.9"]).expect("bins");
        assert_eq!((b.start, b.width, b.count), (d("78"), d("2"), 9));
    }

    #[test]
    fn a_value_on_the_last_edge_closes_the_last_bin() {
        let b = covering(&["90", "100"]).expect("bins");
        assert_eq!((b.start, b.width, b.count), (d("90"), d("1"), 10));
        assert_eq!(b.of(d("100")), 9);
        assert_eq!(
            b.counts([d("90"), d("100"), d("95.5")].into_iter()),
            [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
        );
    }

    #[test]
    fn one_value_one_bin_and_none_without_values() {
        let b = covering(&["96.53"]).expect("bins");
        assert_eq!((b.start, b.width, b.count), (d("96.5"), d("0.1"), 1));
        assert_eq!(covering(&[]), None);
        // 0 to 100: ten bins of 10 points
        let b = covering(&["0", "100"]).expect("bins");
        assert_eq!((b.start, b.width, b.count), (d("0"), d("10"), 10));
        // below zero too
        let b = covering(&["-3", "59.99"]).expect("bins");
        assert_eq!((b.start, b.width, b.count), (d("-10"), d("10"), 7));
    }
}
