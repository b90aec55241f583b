//! An explanation as text for people: each item's heading and numbered steps with their
//! rule lines in one aligned column, a subtotal after each goal's items, and the total
//! when the whole form is explained (`jixiao explain`, `score --explain`).
//!
//! Input: an [`Outcome`] and its [`Explanation`]. Output: the text, with ANSI colour
//! (bold headings, dim rule lines, yellow differences) only when asked for. Texts are as
//! the outcome holds them: the CLI passes an outcome made safe for a terminal.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

use super::{Explanation, GoalSubtotal, Item, ItemOutcome, Line, Total};
use crate::Outcome;
use crate::eval::Status;
use crate::num::shown::{show, signed};
use crate::report::paint::Paint;

/// The form's title, department and rules, as `jixiao explain` prints them before the
/// whole form's explanation.
#[must_use]
pub fn header(o: &Outcome) -> String {
    let mut out = String::new();
    out.push_str(o.form.title.as_deref().unwrap_or("部门整体绩效自评表"));
    out.push('\n');
    if let Some(d) = &o.form.department {
        let _ = writeln!(out, "单位名称：{d}");
    }
    if let Some(f) = o.form.facts_line() {
        let _ = writeln!(out, "表单信息：{f}");
    }
    let _ = writeln!(
        out,
        "计分规则：{}{}（{}）\n",
        o.rules.id,
        o.rules
            .title
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default(),
        o.rules.file
    );
    out
}

/// Step text wider than this (display columns) does not push the rule column right.
const CITE_COLUMN: usize = 72;

/// The explanation as text: each item's heading and numbered steps with their rule
/// lines in one aligned column, a subtotal after each goal's items, and the total when
/// the whole form is explained; coloured when `color`.
#[must_use]
pub fn render(o: &Outcome, e: &Explanation<'_>, color: bool) -> String {
    let paint = Paint { on: color };
    let blocks: Vec<Vec<(String, Vec<String>)>> = e
        .items
        .iter()
        .map(|item| {
            super::lines(item.outcome.trace())
                .into_iter()
                .enumerate()
                .map(|(n, Line { text, rules })| (format!("  {}. {text}", n + 1), rules))
                .collect()
        })
        .collect();
    let column = blocks
        .iter()
        .flatten()
        .filter(|(_, rules)| !rules.is_empty())
        .map(|(text, _)| text.width())
        .filter(|w| *w <= CITE_COLUMN)
        .max()
        .unwrap_or(0);

    let mut out = String::new();
    let mut current_goal = None;
    for (item, block) in e.items.iter().zip(&blocks) {
        if item.goal != current_goal {
            if let Some(sub) = current_goal.and_then(|n| e.goals.iter().find(|g| g.number == n)) {
                out.push_str(&subtotal(sub, paint));
                out.push('\n');
            }
            current_goal = item.goal;
            if let Some(g) = item
                .goal
                .and_then(|n| o.goals.iter().find(|g| g.number == n))
            {
                let _ = writeln!(
                    out,
                    "{}\n",
                    paint.bold(&format!(
                        "年度目标{}（{}分）：{}",
                        g.number, g.weight, g.name
                    ))
                );
            }
        }
        out.push_str(&heading(item, paint));
        for (text, rules) in block {
            out.push_str(text);
            if !rules.is_empty() {
                let pad = column.saturating_sub(text.width()) + 2;
                out.push_str(&" ".repeat(pad));
                out.push_str(&paint.dim(&format!("← {}", cite(rules))));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if let Some(sub) = current_goal.and_then(|n| e.goals.iter().find(|g| g.number == n)) {
        out.push_str(&subtotal(sub, paint));
        out.push('\n');
    }
    if let Some(t) = &e.total {
        out.push_str(&total(t, paint));
    }
    out
}

/// `总分 = 预算 20.00 + … = 96.53（满分 100，等级 优）` and the reported total.
fn total(t: &Total<'_>, paint: Paint) -> String {
    let parts: Vec<String> = std::iter::once(format!("预算 {}", show(t.budget)))
        .chain(t.goals.iter().copied().map(show))
        .collect();
    let mut sum = parts.join(" + ");
    for a in &t.adjustments {
        if a.is_sign_negative() {
            let _ = write!(sum, " − 扣分 {}", show(-*a));
        } else {
            let _ = write!(sum, " + 加分 {}", show(*a));
        }
    }
    let grade = t.grade.map(|g| format!("，等级 {g}")).unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "总分 = {sum} = {}（满分 {}{grade}）",
            show(t.score),
            t.full_marks
        ))
    );
    if let Some(r) = t.reported {
        let grade = t
            .reported_grade
            .map(|g| format!("（{g}）"))
            .unwrap_or_default();
        let diff = t
            .difference
            .map(|d| difference(d, paint))
            .unwrap_or_default();
        let _ = writeln!(out, "自评总分 {r}{grade}{diff}");
    }
    out
}

/// `年度目标1 / 职业技能培训人次  得分 1.96（自评 1，差异 +0.96）` and, for an
/// indicator, a line with its levels, weight and values.
fn heading(item: &Item<'_>, paint: Paint) -> String {
    match item.outcome {
        ItemOutcome::Budget(b) => format!(
            "{}  得分 {}{}\n",
            paint.bold("预算执行情况"),
            show(b.score),
            reported(b.reported, b.difference(), paint)
        ),
        ItemOutcome::Adjustment(a) => {
            let mut facts = vec![format!("填报数值 {}", a.value)];
            if let Some(w) = a.weight {
                facts.push(format!("最多 {}", show(w)));
            }
            if let Some(n) = &a.note {
                facts.push(format!("说明 {n}"));
            }
            format!(
                "{}  {} {}{}\n  {}\n",
                paint.bold(&format!("{}「{}」", a.kind.title(), a.name)),
                if a.signed().is_sign_negative() {
                    "扣分"
                } else {
                    "加分"
                },
                show(a.score),
                reported(a.reported, a.difference(), paint),
                facts.join("；")
            )
        }
        ItemOutcome::Indicator(i) => {
            let (score, reported) = match (i.status, i.score) {
                (Status::Omitted, _) | (_, None) => (
                    "不计分".to_owned(),
                    match i.reported {
                        Some(r) => format!("（可选指标，未评价；自评 {r}）"),
                        None => "（可选指标，未评价）".to_owned(),
                    },
                ),
                (_, Some(s)) => (
                    format!("得分 {}", show(s)),
                    reported(i.reported, i.difference(), paint),
                ),
            };
            let goal = item
                .goal
                .map(|n| format!("年度目标{n} / "))
                .unwrap_or_default();
            let weight = match item.applied_weight {
                Some(a) => format!("权重 {}（折算后 {}）", i.weight, show(a)),
                None => format!("权重 {}", i.weight),
            };
            let mut facts = vec![format!("{} / {}", i.level1, i.level2), weight];
            if let Some(t) = &i.target {
                facts.push(format!("年初目标值 {t}"));
            }
            if let Some(a) = &i.actual {
                facts.push(format!("实际完成值 {a}"));
            }
            format!(
                "{}  {score}{reported}\n  {}\n",
                paint.bold(&format!("{goal}{}", i.name)),
                facts.join("；")
            )
        }
    }
}

/// `（自评 1，差异 +0.96）`, `（自评 2，一致）`, or nothing when not reported.
fn reported(reported: Option<Decimal>, diff: Option<Decimal>, paint: Paint) -> String {
    match (reported, diff) {
        (Some(r), Some(d)) if d.is_zero() => format!("（自评 {r}，一致）"),
        (Some(r), Some(d)) => format!("（自评 {r}，差异 {}）", paint.diff(&signed(d))),
        (Some(r), None) => format!("（自评 {r}）"),
        (None, _) => String::new(),
    }
}

/// `，差异 +2.53`, or `，一致`.
fn difference(d: Decimal, paint: Paint) -> String {
    if d.is_zero() {
        "，一致".to_owned()
    } else {
        format!("，差异 {}", paint.diff(&signed(d)))
    }
}

/// `年度目标1 小计 = 1.96 + 2.00 + … = 9.96（目标分值 10；自评合计 9，差异 +0.96）`
fn subtotal(g: &GoalSubtotal, paint: Paint) -> String {
    let parts: Vec<String> = g
        .parts
        .iter()
        .map(|p| p.map_or_else(|| "不计".to_owned(), show))
        .collect();
    let mut notes = vec![format!("目标分值 {}", g.weight)];
    if g.indicator_weight != g.weight {
        notes.push(format!("指标权重合计 {}", g.indicator_weight));
    }
    if let Some(a) = g.applied_weight {
        notes.push(format!("折算后权重合计 {}", show(a)));
    }
    let reported = match (g.reported, g.reported_sum) {
        (Some(r), _) => Some(("自评", r)),
        (None, Some(r)) => Some(("自评合计", r)),
        (None, None) => None,
    };
    if let Some((what, r)) = reported {
        let mut s = format!("{what} {r}");
        if let Some(d) = g.score.checked_sub(r) {
            s.push_str(&difference(d, paint));
        }
        notes.push(s);
    }
    format!(
        "{}（{}）\n",
        paint.bold(&format!(
            "年度目标{} 小计 = {} = {}",
            g.number,
            parts.join(" + "),
            show(g.score)
        )),
        notes.join("；")
    )
}

/// `rules/hubei-2021.rules:35, 10` for lines of one file; full citations otherwise.
fn cite(rules: &[String]) -> String {
    let mut out = String::new();
    let mut last_file: Option<&str> = None;
    for r in rules {
        let (file, line) = r.rsplit_once(':').unwrap_or((r.as_str(), ""));
        if !out.is_empty() {
            out.push_str(", ");
        }
        if last_file == Some(file) && !line.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(r);
        }
        last_file = Some(file);
    }
    out
}
