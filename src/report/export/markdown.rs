//! Markdown (GitHub-flavoured tables), to paste into a report or a ticket: the form's
//! budget line, each goal's indicator table with its subtotal, the totals and the
//! warnings; for a batch, the ranking first and then every form.
//!
//! Differences are bold, so they stand out where the Markdown is rendered. Text from
//! forms is escaped: table pipes, emphasis, HTML and link brackets, line breaks.

use std::fmt::Write as _;

use super::{
    ADJUSTMENT_COLUMNS, BUDGET_COLUMNS, Failed, GOAL_COLUMNS, Line, LineKind, NOT_SCORED,
    RANKING_COLUMNS, Ranked, SCALED_GOAL_COLUMNS, TOTAL_COLUMNS, Value, differs, lines, rules_line,
    scaled, show_value, signed_value, title,
};
use crate::Outcome;
use crate::eval::RulesInfo;
use crate::num::shown::{percent, show, signed};

/// One form.
#[must_use]
pub fn form(o: &Outcome) -> String {
    let mut out = String::new();
    push_form(&mut out, o, 1);
    out
}

/// A batch: the ranking, the forms that could not be scored, then each form.
///
/// The same text as [`batch_head`] followed by [`batch_form`] of each form, which is how
/// `jixiao score` writes a large batch without holding every form.
#[must_use]
pub fn batch(outcomes: &[Outcome], ranked: &[Ranked], failed: &[Failed]) -> String {
    let mut out = batch_head(outcomes.first().map(|o| &o.rules), ranked, failed);
    for o in outcomes {
        out.push_str(&batch_form(o));
    }
    out
}

/// A form's section of a batch.
#[must_use]
pub fn batch_form(o: &Outcome) -> String {
    let mut out = String::from("\n---\n\n");
    push_form(&mut out, o, 2);
    out
}

/// A batch's heading, ranking and failed forms: everything before the first form. One
/// form per ranked row is counted; `rules` is the rule set that scored them.
#[must_use]
pub fn batch_head(rules: Option<&RulesInfo>, ranked: &[Ranked], failed: &[Failed]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# 绩效自评汇总（{} 份表单）\n",
        ranked.len() + failed.len()
    );
    if let Some(rules) = rules {
        let _ = writeln!(out, "计分规则：{}\n", md(&rules_line(rules)));
    }
    row(&mut out, &RANKING_COLUMNS);
    out.push_str("| ---: | --- | --- | ---: | --- | ---: | --- | ---: |\n");
    for r in ranked {
        let rank = r.rank.to_string();
        let total = show(r.total);
        let reported = r.reported_total.map(show).unwrap_or_default();
        raw_row(
            &mut out,
            &[
                rank,
                md(r.department.as_deref().unwrap_or("")),
                md(&r.file),
                md(&total),
                md(r.grade.as_deref().unwrap_or("")),
                md(&reported),
                md(r.reported_grade.as_deref().unwrap_or("")),
                diff(r.difference),
            ],
        );
    }
    for f in failed {
        row(&mut out, &["", "", &f.file, "", NOT_SCORED, "", "", ""]);
    }
    if !failed.is_empty() {
        let _ = writeln!(out, "\n未能计分的表单（{} 份）：\n", failed.len());
        for f in failed {
            let code = f
                .code
                .as_deref()
                .map(|c| format!("（{}）", md(c)))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}：{}{code}", md(&f.file), md(&f.message));
        }
    }
    out
}

/// A form's sections, its title at heading `level`.
fn push_form(out: &mut String, o: &Outcome, level: usize) {
    let h = "#".repeat(level);
    let sub = "#".repeat(level + 1);
    let _ = writeln!(out, "{h} {}\n", md(title(o)));
    if let Some(d) = &o.form.department {
        let _ = writeln!(out, "- 单位名称：{}", md(d));
    }
    if let Some(f) = o.form.facts_line() {
        let _ = writeln!(out, "- 表单信息：{}", md(&f));
    }
    let _ = writeln!(out, "- 表单文件：{}", md(&o.form.file));
    let _ = writeln!(out, "- 计分规则：{}", md(&rules_line(&o.rules)));

    let all = lines(o);
    let scaled = scaled(o);
    for (n, l) in all.iter().enumerate() {
        match l.kind {
            LineKind::Budget => push_budget(out, l, &sub),
            LineKind::Goal => push_goal(out, l, &all, &sub, scaled),
            LineKind::Adjustment if n > 0 && all[n - 1].kind == LineKind::Adjustment => {}
            LineKind::Adjustment => push_adjustments(out, &all[n..], &sub),
            LineKind::Indicator | LineKind::Grade => {}
            LineKind::Total => push_total(out, l, all.get(n + 1), &sub),
        }
    }
    if !o.warnings.is_empty() {
        let _ = writeln!(out, "\n{sub} 警告（{} 条）\n", o.warnings.len());
        for w in &o.warnings {
            let _ = writeln!(out, "- {}（`{}`）", md(&w.message), w.code);
        }
    }
}

/// The budget's table.
fn push_budget(out: &mut String, l: &Line, sub: &str) {
    let _ = writeln!(out, "\n{sub} {}\n", md(&l.item));
    row(out, &BUDGET_COLUMNS);
    out.push_str("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    let rate = l.rate.map(percent).unwrap_or_default();
    let weight = l.weight.map(show).unwrap_or_default();
    raw_row(
        out,
        &[
            md(&l.target),
            md(&l.actual),
            md(&rate),
            md(&weight),
            md(&show_value(&l.score)),
            md(&show_value(&l.reported)),
            diff(l.difference),
        ],
    );
}

/// A goal's table: its indicators (among `all`), then its subtotal; with 折算后权重
/// after 权重 when a goal of the form was rescaled (`scaled`).
fn push_goal(out: &mut String, l: &Line, all: &[Line], sub: &str, scaled: bool) {
    let _ = writeln!(out, "\n{sub} {}\n", md(&l.item));
    if scaled {
        row(out, &SCALED_GOAL_COLUMNS);
        out.push_str("| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    } else {
        row(out, &GOAL_COLUMNS);
        out.push_str("| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    }
    let weights = |l: &Line| {
        let mut cells = vec![md(&l.weight.map(show).unwrap_or_default())];
        if scaled {
            cells.push(md(&l.applied_weight.map(show).unwrap_or_default()));
        }
        cells
    };
    // The goal's indicators follow; its subtotal closes the table.
    for i in all
        .iter()
        .filter(|i| i.kind == LineKind::Indicator && i.goal == l.goal)
    {
        let mut cells = vec![
            md(&i.level1),
            md(&i.level2),
            md(&i.name),
            md(&i.target),
            md(&i.actual),
            md(&i.class),
        ];
        cells.extend(weights(i));
        cells.extend([
            md(&show_value(&i.score)),
            md(&show_value(&i.reported)),
            diff(i.difference),
        ]);
        raw_row(out, &cells);
    }
    let mut cells = vec!["**小计**".to_owned()];
    cells.extend((0..5).map(|_| String::new()));
    cells.extend(weights(l));
    cells.extend([
        format!("**{}**", md(&show_value(&l.score))),
        md(&show_value(&l.reported)),
        diff(l.difference),
    ]);
    raw_row(out, &cells);
}

/// 加分项与扣分项: the items that begin `lines`, a row each, scores signed.
fn push_adjustments(out: &mut String, lines: &[Line], sub: &str) {
    let _ = writeln!(out, "\n{sub} 加分项与扣分项\n");
    row(out, &ADJUSTMENT_COLUMNS);
    out.push_str("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for l in lines.iter().take_while(|l| l.kind == LineKind::Adjustment) {
        raw_row(
            out,
            &[
                md(&l.item),
                md(&l.name),
                md(&l.actual),
                md(&l.weight.map(show).unwrap_or_default()),
                format!("**{}**", md(&signed_value(&l.score))),
                md(&signed_value(&l.reported)),
                diff(l.difference),
                md(&l.note),
            ],
        );
    }
}

/// The totals' table: the total's line, and the grade's after it.
fn push_total(out: &mut String, total: &Line, grade: Option<&Line>, sub: &str) {
    let _ = writeln!(out, "\n{sub} 总分\n");
    row(out, &TOTAL_COLUMNS);
    out.push_str("| --- | ---: | ---: | --- |\n");
    let grade_of = |pick: fn(&Line) -> &Value| grade.map(|g| md(&show_value(pick(g))));
    raw_row(
        out,
        &[
            "计算总分".to_owned(),
            format!("**{}**", md(&show_value(&total.score))),
            md(&total.note),
            grade_of(|g| &g.score).unwrap_or_default(),
        ],
    );
    if total.reported != Value::Empty {
        raw_row(
            out,
            &[
                "自评总分".to_owned(),
                md(&show_value(&total.reported)),
                String::new(),
                grade_of(|g| &g.reported).unwrap_or_default(),
            ],
        );
        raw_row(
            out,
            &[
                "差异".to_owned(),
                diff(total.difference),
                String::new(),
                String::new(),
            ],
        );
    }
}

/// A difference: `**+0.96**` when it is not zero (already escaped), else empty.
fn diff(d: Option<rust_decimal::Decimal>) -> String {
    match d {
        Some(d) if differs(Some(d)) => format!("**{}**", md(&signed(d))),
        _ => String::new(),
    }
}

/// A table row of plain texts, each escaped.
fn row(out: &mut String, cells: &[&str]) {
    let cells: Vec<String> = cells.iter().map(|c| md(c)).collect();
    raw_row(out, &cells);
}

/// A table row of cells already escaped.
fn raw_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        if c.is_empty() {
            out.push_str(" |");
        } else {
            out.push(' ');
            out.push_str(c);
            out.push_str(" |");
        }
    }
    out.push('\n');
}

/// Text safe in a Markdown table cell: characters Markdown reads as table structure,
/// emphasis, HTML or links are escaped; line breaks become spaces. The one Markdown
/// escaper: `diff --format md` uses it too.
pub(crate) fn md(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' | '~' | '&' => {
                s.push('\\');
                s.push(c);
            }
            '\r' | '\n' => s.push(' '),
            _ => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::tests::{indicator, outcome};
    use super::*;

    #[test]
    fn cells_escape_pipes_emphasis_and_html() {
        assert_eq!(md("a|b *c* <script>\nx"), "a\\|b \\*c\\* \\<script\\> x");
    }

    #[test]
    fn a_form_has_a_table_per_goal_with_bold_differences() {
        let o = outcome(
            "a.toml",
            "甲",
            vec![
                indicator("人次|合计", Some("1.96"), Some("1")),
                indicator("满意度", None, Some("2")),
            ],
            "21.96",
            "差",
        );
        let text = form(&o);
        assert!(text.starts_with("# 自评表\n\n- 单位名称：甲\n"), "{text}");
        assert!(
            text.contains(
                "| 产出指标 | 数量指标 | 人次\\|合计 | 100人 | 90人 | 正向指标 | 2 | 1.96 | 1 | **+0.96** |\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "| 产出指标 | 数量指标 | 满意度 | 100人 | 90人 | 未评（可选） | 2 | 不计 | 2 | |\n"
            ),
            "{text}"
        );
        // subtotal: 1.96 against 1 + 2 = 3 → −1.04
        assert!(
            text.contains("| **小计** | | | | | | 10 | **1.96** | 3 | **-1.04** |\n"),
            "{text}"
        );
        assert!(
            text.contains("| 计算总分 | **21.96** | 100 | 差 |\n"),
            "{text}"
        );
    }
}
