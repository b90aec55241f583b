//! A diff as Markdown, to paste into a report: the title and the rules compared, a table
//! per form (or its one unchanged line), then the summary and the largest movers.
//!
//! Input: a [`Report`]. Output: GitHub-flavoured Markdown; every text from a form or a
//! rule file is escaped for a table cell by the one Markdown escaper, `score`'s.

use std::fmt::Write as _;

use super::view::{Report, form_title, mover_cells, shown, unchanged};
use crate::report::export::markdown::md;

/// The report as Markdown.
#[must_use]
pub fn render(r: &Report) -> String {
    let mut out = format!("# {}\n\n", r.mode.title());
    for l in r.headline() {
        let _ = writeln!(out, "- {}", md(&l));
    }
    // The impact first: on a folder it is what the reader came for.
    if r.has_summary() {
        summary(&mut out, r);
    }
    if let Some(note) = r.detail_note() {
        let _ = write!(out, "\n{}\n", md(&note));
        return out;
    }
    for diff in &r.diffs {
        let _ = write!(out, "\n## {}\n\n", md(&form_title(diff)));
        if r.folded(diff) {
            let _ = writeln!(out, "{}。", md(&unchanged(diff)));
            continue;
        }
        md_row(&mut out, &r.columns());
        out.push_str("| --- | --- | ---: | ---: | ---: |\n");
        for l in shown(diff, r.all) {
            md_row(&mut out, &[l.item(), l.name(), &l.old, &l.new, &l.change]);
        }
    }
    out
}

/// The impact: the summary, the grade matrix, the distribution, the largest movers.
fn summary(out: &mut String, r: &Report) {
    out.push_str("\n## 汇总\n\n| 项目 | 值 |\n| --- | --- |\n");
    for (k, v) in r.summary_pairs() {
        md_row(out, &[k, &v]);
    }
    if r.summary.grade_changed > 0 {
        out.push_str("\n### 等级变化（行：原等级，列：新等级，单元格：表单份数）\n\n");
        let (header, rows) = r.matrix_table();
        md_row(out, &header.iter().map(String::as_str).collect::<Vec<_>>());
        out.push_str("| --- |");
        out.push_str(&" ---: |".repeat(header.len() - 1));
        out.push('\n');
        for row in &rows {
            md_row(out, &row.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
    let dist = r.distribution_rows();
    if !dist.is_empty() {
        out.push_str("\n### 总分分布（表单份数）\n\n");
        md_row(out, &r.distribution_columns());
        out.push_str("| --- | ---: | --- | ---: | --- |\n");
        for row in &dist {
            md_row(out, &row.each_ref().map(String::as_str));
        }
    }
    if r.has_movers() {
        out.push_str("\n### 总分变动最大的表单\n\n");
        md_row(out, &r.mover_columns());
        out.push_str("| --- | --- | ---: | ---: | ---: | --- |\n");
        for m in &r.summary.largest_movers {
            let cells = mover_cells(m);
            md_row(out, &cells.each_ref().map(String::as_str));
        }
    }
}

fn md_row(out: &mut String, cells: &[&str]) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(&md(c));
        out.push_str(" |");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_escape_pipes_and_emphasis() {
        assert_eq!(md("a|b *c* d_e\nf"), "a\\|b \\*c\\* d\\_e f");
    }
}
