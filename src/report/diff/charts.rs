//! A diff's charts as inline SVG, for the HTML report and the workbench alike: the
//! totals before and after in bins ([`histogram`]), and the grade transition matrix as a
//! grid of counts ([`matrix`]).
//!
//! Input: a [`Report`]. Output: SVG text with no script and no link, every text escaped;
//! `None` when there is nothing to draw (no forms; no grade changed).

use std::fmt::Write as _;

use super::view::Report;
use crate::report::export::html::esc;
use crate::report::export::svg::paired_histogram;

/// The distribution of totals before and after; `None` without forms.
#[must_use]
pub fn histogram(r: &Report) -> Option<String> {
    let dist = r.summary.distribution.as_ref()?;
    let bins: Vec<(String, usize, usize)> = dist
        .bins
        .iter()
        .map(|bin| (format!("{}–{}", bin.from, bin.to), bin.old, bin.new))
        .collect();
    Some(paired_histogram(&bins, r.mode.sides()))
}

/// The grade transition matrix: rows the grade before, columns the grade after, each
/// cell the number of forms, shaded off the diagonal (the forms that changed grade);
/// `None` when no form changed grade.
#[must_use]
pub fn matrix(r: &Report) -> Option<String> {
    const CELL: u32 = 56;
    const HEAD: u32 = 72;
    if r.summary.grade_changed == 0 {
        return None;
    }
    let (header, rows) = r.matrix_table();
    let columns = u32::try_from(header.len().saturating_sub(1)).unwrap_or(0);
    let width = HEAD + columns * CELL + 8;
    let height = 40 + u32::try_from(rows.len()).unwrap_or(0) * 28 + 8;
    let (before, after) = r.mode.sides();
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" aria-label=\"等级变化：行为{0}，列为{1}\"><title>等级变化：行为{0}，列为{1}</title>",
        esc(before),
        esc(after)
    );
    for (j, h) in header.iter().enumerate().skip(1) {
        let x = HEAD + u32::try_from(j - 1).unwrap_or(0) * CELL + CELL / 2;
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"28\" text-anchor=\"middle\" class=\"legend\">{}</text>",
            esc(h)
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y = 40 + u32::try_from(i).unwrap_or(0) * 28;
        for (j, cell) in row.iter().enumerate() {
            if j == 0 {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"legend\">{}</text>",
                    HEAD - 8,
                    y + 18,
                    esc(cell)
                );
                continue;
            }
            let x = HEAD + u32::try_from(j - 1).unwrap_or(0) * CELL;
            let fill = match (j == i + 1, cell.is_empty()) {
                (true, _) => "#e7e9ee",
                (false, false) => "#fbeccb",
                (false, true) => "#ffffff",
            };
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"26\" fill=\"{fill}\" stroke=\"#c9ccd3\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"value\">{}</text>",
                CELL - 2,
                x + CELL / 2,
                y + 18,
                esc(cell)
            );
        }
    }
    s.push_str("</svg>");
    Some(s)
}
