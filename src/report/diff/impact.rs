//! The impact of a rule change on a folder of forms, beyond the per-form rows: the grade
//! transition matrix, the distribution of totals before and after, and the median change.
//!
//! Input: the [`FormDiff`]s of a run. Output: a [`GradeMatrix`], a [`Distribution`] and
//! the median Δ总分, which [`super::summarize`] puts on the [`super::Summary`].
//!
//! Invariants: every form counts once in the matrix and once on each side of the
//! distribution; the bins ([`crate::report::histogram`]) cover every total, old and new,
//! zoomed to where they are (85 to 97, not 0 to 100). Exact decimals throughout.

use rust_decimal::Decimal;
use serde::Serialize;

use super::FormDiff;
use crate::report::histogram::Bins;

/// How many forms went from each grade to each grade: `counts[i][j]` forms had
/// `grades[i]` before and `grades[j]` after. The diagonal is the forms that kept their
/// grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradeMatrix {
    /// The grades, best first (by the highest total seen with each); `None`, no grade
    /// (rules without grades), last.
    pub grades: Vec<Option<String>>,
    /// Rows: the grade before; columns: the grade after.
    pub counts: Vec<Vec<usize>>,
}

/// The totals before and after, counted in bins of one width.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distribution {
    /// The width of every bin.
    pub width: Decimal,
    /// The bins, lowest first; each holds the totals `from ≤ total < to` (the last one
    /// also its `to`).
    pub bins: Vec<Bin>,
}

/// One bin of a [`Distribution`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bin {
    /// The lowest total in the bin.
    pub from: Decimal,
    /// The first total above the bin (the last bin includes it).
    pub to: Decimal,
    /// How many forms had a total here before.
    pub old: usize,
    /// How many have one here after.
    pub new: usize,
}

/// The grade transition matrix of `diffs`.
#[must_use]
pub fn grade_matrix(diffs: &[FormDiff]) -> GradeMatrix {
    // Each grade with the highest total seen with it, in order of first appearance.
    let mut seen: Vec<(Option<String>, Option<Decimal>)> = Vec::new();
    let mut note = |grade: &Option<String>, total: Decimal| {
        let best = grade.as_ref().map(|_| total);
        match seen.iter_mut().find(|(g, _)| g == grade) {
            Some((_, b)) => *b = (*b).max(best),
            None => seen.push((grade.clone(), best)),
        }
    };
    for d in diffs {
        note(&d.grade.old, d.total.old);
        note(&d.grade.new, d.total.new);
    }
    // Best first; no grade (a `None` total) last. Stable for equals.
    seen.sort_by_key(|s| std::cmp::Reverse(s.1));
    let grades: Vec<Option<String>> = seen.into_iter().map(|(g, _)| g).collect();
    let index = |g: &Option<String>| grades.iter().position(|x| x == g).unwrap_or_default();
    let mut counts = vec![vec![0usize; grades.len()]; grades.len()];
    for d in diffs {
        let (i, j) = (index(&d.grade.old), index(&d.grade.new));
        if let Some(cell) = counts.get_mut(i).and_then(|row| row.get_mut(j)) {
            *cell = cell.saturating_add(1);
        }
    }
    GradeMatrix { grades, counts }
}

/// The distribution of the totals before and after, in [`Bins`] zoomed to them; `None`
/// without forms.
#[must_use]
pub fn distribution(diffs: &[FormDiff]) -> Option<Distribution> {
    let totals = diffs.iter().flat_map(|d| [d.total.old, d.total.new]);
    let bins = Bins::covering(totals)?;
    let old = bins.counts(diffs.iter().map(|d| d.total.old));
    let new = bins.counts(diffs.iter().map(|d| d.total.new));
    Some(Distribution {
        width: bins.width,
        bins: (0..bins.count)
            .map(|k| {
                let (from, to) = bins.edges(k);
                Bin {
                    from,
                    to,
                    old: old[k],
                    new: new[k],
                }
            })
            .collect(),
    })
}

/// The median of `values`: the middle one, or the mean of the two middle ones, rounded
/// half away from zero to 2 places; `None` when empty.
#[must_use]
pub fn median(values: &[Decimal]) -> Option<Decimal> {
    let mut sorted = values.to_vec();
    sorted.sort();
    let n = sorted.len();
    let middle = match n {
        0 => return None,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => sorted[n / 2 - 1]
            .checked_add(sorted[n / 2])?
            .checked_div(Decimal::TWO)?,
    };
    Some(super::cents(middle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::diff::{GradeDiff, TotalDiff};

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    fn form(old: &str, new: &str, old_grade: &str, new_grade: &str) -> FormDiff {
        let (old, new) = (d(old), d(new));
        FormDiff {
            file: String::new(),
            old_file: None,
            department: None,
            rows: Vec::new(),
            total: TotalDiff {
                old,
                new,
                delta: new.checked_sub(old),
                changed: old != new,
            },
            grade: GradeDiff {
                old: Some(old_grade.to_owned()),
                new: Some(new_grade.to_owned()),
                changed: old_grade != new_grade,
            },
        }
    }

    #[test]
    fn the_matrix_counts_each_form_once_best_grade_first() {
        let diffs = [
            form("96.53", "86.53", "优", "良"),
            form("91.26", "81.86", "优", "良"),
            form("85.00", "75.00", "良", "中"),
            form("70.00", "70.00", "中", "中"),
        ];
        let m = grade_matrix(&diffs);
        assert_eq!(
            m.grades,
            [Some("优".into()), Some("良".into()), Some("中".into())]
        );
        assert_eq!(m.counts, [[0, 2, 0], [0, 0, 1], [0, 0, 1]]);
    }

    #[test]
    fn the_distribution_zooms_to_the_totals() {
        // totals from 81.86 to 96.53: width 1 would need 16 bins; width 2 gives nine, 80–82 … 96–98
        let diffs = [
            form("96.53", "86.53", "优", "良"),
            form("91.26", "81.86", "优", "良"),
        ];
        let dist = distribution(&diffs).expect("forms");
        assert_eq!(dist.width, d("2"));
        let edges: Vec<(String, String, usize, usize)> = dist
            .bins
            .iter()
            .map(|b| (b.from.to_string(), b.to.to_string(), b.old, b.new))
            .collect();
        assert_eq!(
            edges,
            [
                ("80".into(), "82".into(), 0, 1),
                ("82".into(), "84".into(), 0, 0),
                ("84".into(), "86".into(), 0, 0),
                ("86".into(), "88".into(), 0, 1),
                ("88".into(), "90".into(), 0, 0),
                ("90".into(), "92".into(), 1, 0),
                ("92".into(), "94".into(), 0, 0),
                ("94".into(), "96".into(), 0, 0),
                ("96".into(), "98".into(), 1, 0),
            ]
        );
    }

    #[test]
    fn a_total_on_the_last_edge_falls_in_the_last_bin() {
        // 90 and 100: width 1 would need 11 bins (90–91 … 100–101): width 1 gives 10 bins
        // when 100 closes the last one
        let diffs = [form("90", "100", "优", "优")];
        let dist = distribution(&diffs).expect("forms");
        assert_eq!(dist.width, d("1"));
        assert_eq!(dist.bins.len(), 10);
        let last = dist.bins.last().expect("bins");
        assert_eq!(
            (last.from, last.to, last.old, last.new),
            (d("99"), d("100"), 0, 1)
        );
        assert_eq!((dist.bins[0].old, dist.bins[0].new), (1, 0));
    }

    #[test]
    fn equal_totals_make_one_bin() {
        let diffs = [form("96.53", "96.53", "优", "优")];
        let dist = distribution(&diffs).expect("forms");
        assert_eq!(dist.width, d("0.1"));
        assert_eq!(dist.bins.len(), 1);
        assert_eq!(
            (
                dist.bins[0].from,
                dist.bins[0].to,
                dist.bins[0].old,
                dist.bins[0].new
            ),
            (d("96.5"), d("96.6"), 1, 1)
        );
        assert_eq!(distribution(&[]), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[d("-10"), d("-9.40"), d("0")]), Some(d("-9.40")));
        // (-9.40 + -10.00) / 2 = -9.70
        assert_eq!(median(&[d("-10.00"), d("-9.40")]), Some(d("-9.70")));
        // (0.01 + 0.02) / 2 = 0.015 → 0.02 (half away from zero)
        assert_eq!(median(&[d("0.02"), d("0.01")]), Some(d("0.02")));
        assert_eq!(median(&[]), None);
    }
}
