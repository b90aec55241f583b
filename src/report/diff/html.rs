//! A diff as one self-contained HTML page, printable on A4: the impact of a rule change
//! first (the summary, the grade transition matrix, the totals before and after as a
//! chart, the forms that moved most), then each form's rows when the report shows them.
//!
//! Input: a [`Report`]. Output: the page, with the score report's style sheet and its
//! escaping; no script, nothing linked.

use std::fmt::Write as _;

use super::view::{Report, form_title, mover_cells, shown, unchanged};
use crate::report::export::html::{esc, page_end, page_head};

/// The report as an HTML page.
#[must_use]
pub fn render(r: &Report) -> String {
    let mut b = page_head(r.mode.title());
    let _ = write!(
        b,
        "<section class=\"summary\"><h1>{}</h1>",
        esc(r.mode.title())
    );
    for l in r.headline() {
        let _ = write!(b, "<p class=\"meta\">{}</p>", esc(&l));
    }
    if r.has_summary() {
        impact(&mut b, r);
    }
    b.push_str("</section>");
    match r.detail_note() {
        Some(note) => {
            let _ = write!(b, "<p class=\"meta\">{}</p>", esc(&note));
        }
        None => forms(&mut b, r),
    }
    b.push_str(&page_end(
        "变化 = 新值 − 原值。由 jixiao 计算生成；每个得分的来历可用 <code>jixiao explain</code> 查看。",
    ));
    b
}

/// The summary, the grade matrix, the distribution chart and the largest movers.
fn impact(b: &mut String, r: &Report) {
    b.push_str("<h2>汇总</h2><table class=\"totals\"><tbody>");
    for (k, v) in r.summary_pairs() {
        let _ = write!(b, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    }
    b.push_str("</tbody></table>");
    if r.summary.grade_changed > 0 {
        b.push_str("<h2>等级变化</h2><table class=\"matrix\"><thead><tr>");
        let (header, rows) = r.matrix_table();
        for h in &header {
            let _ = write!(b, "<th>{}</th>", esc(h));
        }
        b.push_str("</tr></thead><tbody>");
        for (i, row) in rows.iter().enumerate() {
            b.push_str("<tr>");
            for (j, cell) in row.iter().enumerate() {
                // The diagonal kept its grade; off it, a form changed grade.
                let class = match j {
                    0 => "",
                    _ if j == i + 1 => " class=\"num\"",
                    _ if !cell.is_empty() => " class=\"num diff\"",
                    _ => " class=\"num\"",
                };
                let _ = write!(b, "<td{class}>{}</td>", esc(cell));
            }
            b.push_str("</tr>");
        }
        b.push_str(
            "</tbody></table><p class=\"meta\">行：原等级；列：新等级；单元格：表单份数。</p>",
        );
    }
    if let (Some(dist), Some(chart)) = (&r.summary.distribution, super::charts::histogram(r)) {
        b.push_str("<h2>总分分布</h2><figure>");
        b.push_str(&chart);
        let _ = write!(
            b,
            "<figcaption>每 {} 分一组；区间含下限、不含上限（最后一组含上限）。</figcaption></figure>",
            dist.width
        );
    }
    if r.has_movers() {
        b.push_str("<h2>总分变动最大的表单</h2><table class=\"ranking\"><thead><tr>");
        for c in r.mover_columns() {
            let _ = write!(b, "<th>{c}</th>");
        }
        b.push_str("</tr></thead><tbody>");
        for m in &r.summary.largest_movers {
            let [dept, file, old, new, change, grade] = mover_cells(m);
            let _ = write!(
                b,
                "<tr><td>{}</td><td class=\"file\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num diff\">{}</td><td>{}</td></tr>",
                esc(&dept),
                esc(&file),
                esc(&old),
                esc(&new),
                esc(&change),
                esc(&grade)
            );
        }
        b.push_str("</tbody></table>");
    }
}

/// Each form's rows, or its one line when nothing changed.
fn forms(b: &mut String, r: &Report) {
    for diff in &r.diffs {
        let _ = write!(
            b,
            "<section class=\"form\"><h2>{}</h2>",
            esc(&form_title(diff))
        );
        if r.folded(diff) {
            let _ = write!(
                b,
                "<p class=\"meta\">{}。</p></section>",
                esc(&unchanged(diff))
            );
            continue;
        }
        b.push_str("<table><thead><tr>");
        for c in r.columns() {
            let _ = write!(b, "<th>{c}</th>");
        }
        b.push_str("</tr></thead><tbody>");
        for l in shown(diff, r.all) {
            let class = if l.changed {
                " class=\"num diff\""
            } else {
                " class=\"num\""
            };
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td{class}>{}</td></tr>",
                esc(l.item()),
                esc(l.name()),
                esc(&l.old),
                esc(&l.new),
                esc(&l.change)
            );
        }
        b.push_str("</tbody></table></section>");
    }
}
