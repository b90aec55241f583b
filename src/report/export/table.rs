//! The text report's tables, what `jixiao score` prints: a form's [`lines`] grouped as
//! the paper form groups them (the budget; each goal, its indicators and a 小计 row; the
//! totals), as cells of text. The CLI only draws them (column widths, colour).
//!
//! Input: one [`Outcome`]. Output: the heading text, the [`Section`]s and the warnings
//! text. Invariants: every number and cell comes from [`lines`], written by
//! [`crate::report::shown`], so the table shows what CSV, Markdown, HTML and xlsx show;
//! texts are as the outcome holds them (the CLI passes one made safe for a terminal).

use rust_decimal::Decimal;

use super::{
    ADJUSTMENT_COLUMNS, BUDGET_COLUMNS, Failed, GOAL_COLUMNS, Line, LineKind, NOT_SCORED,
    RANKING_COLUMNS, Ranked, SCALED_GOAL_COLUMNS, TOTAL_COLUMNS, Value, lines, rules_line, scaled,
    show_value, signed_value, title,
};
use crate::Outcome;
use crate::num::shown::{percent, show, signed};

/// The widest a text column ([`Section::wrapped`]) may grow before it wraps, in
/// terminal columns.
pub const TEXT_WIDTH: u16 = 26;

/// One table: a heading line above it, its columns and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The line above the table (`预算执行情况（20分）`, a goal's heading); none for the
    /// totals.
    pub heading: Option<String>,
    /// The column names.
    pub columns: &'static [&'static str],
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// The columns that hold numbers (aligned right).
    pub numbers: &'static [usize],
    /// The text columns that wrap beyond [`TEXT_WIDTH`].
    pub wrapped: &'static [usize],
}

/// One cell's text and how it stands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// What it says.
    pub text: String,
    /// How it stands out.
    pub emphasis: Emphasis,
}

/// How a cell stands out (on a terminal: bold, or highlighted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// Not at all.
    None,
    /// A computed score or its label (bold).
    Strong,
    /// A difference; blank when there is none, so only a cell with text stands out.
    Difference,
    /// A form that could not be scored (red on a terminal).
    Failure,
}

/// The form's title, department and rules, and a blank line.
#[must_use]
pub fn heading(o: &Outcome) -> String {
    let mut out = format!("{}\n", title(o));
    if let Some(d) = &o.form.department {
        out.push_str(&format!("单位名称：{d}\n"));
    }
    if let Some(f) = o.form.facts_line() {
        out.push_str(&format!("表单信息：{f}\n"));
    }
    out.push_str(&format!("计分规则：{}\n\n", rules_line(&o.rules)));
    out
}

/// The tables, in form order: the budget, each goal, the totals.
#[must_use]
pub fn sections(o: &Outcome) -> Vec<Section> {
    let lines = lines(o);
    let scaled = scaled(o);
    let mut out = Vec::new();
    let mut rest = lines.as_slice();
    while let Some((first, tail)) = rest.split_first() {
        rest = tail;
        match first.kind {
            LineKind::Budget => out.push(budget(first)),
            LineKind::Goal => {
                let n = tail
                    .iter()
                    .take_while(|l| l.kind == LineKind::Indicator)
                    .count();
                out.push(goal(first, &tail[..n], scaled));
                rest = &tail[n..];
            }
            LineKind::Adjustment => {
                let n = tail
                    .iter()
                    .take_while(|l| l.kind == LineKind::Adjustment)
                    .count();
                // `first` and the `n` items after it.
                let at = lines.len() - tail.len() - 1;
                out.push(adjustments(&lines[at..=at + n]));
                rest = &tail[n..];
            }
            LineKind::Total => out.push(totals(first, tail.first())),
            // Indicators come with their goal; the grade with the total.
            LineKind::Indicator | LineKind::Grade => {}
        }
    }
    out
}

/// `警告（2 条）：` and a line each, after a blank line; nothing without warnings. A
/// message quotes the form (a name, a rule set's), so its control characters are
/// escaped: a line break in a name must not start a line that looks like another warning.
#[must_use]
pub fn warnings(o: &Outcome) -> String {
    if o.warnings.is_empty() {
        return String::new();
    }
    let mut out = format!("\n警告（{} 条）：\n", o.warnings.len());
    for w in &o.warnings {
        let message = crate::text::escaped(&w.message, false);
        out.push_str(&format!("  - {message}  [{}]\n", w.code));
    }
    out
}

/// A batch's ranking: a row per form scored, by rank, then one per form that failed.
#[must_use]
pub fn ranking(ranked: &[Ranked], failed: &[Failed]) -> Section {
    let mut rows: Vec<Vec<Cell>> = ranked
        .iter()
        .map(|r| {
            vec![
                plain(&r.rank.to_string()),
                plain(r.department.as_deref().unwrap_or("")),
                plain(&r.file),
                strong(&show(r.total)),
                plain(r.grade.as_deref().unwrap_or("")),
                plain(&r.reported_total.map(show).unwrap_or_default()),
                plain(r.reported_grade.as_deref().unwrap_or("")),
                difference(r.difference),
            ]
        })
        .collect();
    rows.extend(failed.iter().map(|f| {
        let mut row = vec![plain(""), plain(""), plain(&f.file), plain("")];
        row.push(Cell {
            text: NOT_SCORED.to_owned(),
            emphasis: Emphasis::Failure,
        });
        row.extend((0..3).map(|_| plain("")));
        row
    }));
    Section {
        heading: None,
        columns: &RANKING_COLUMNS,
        rows,
        numbers: &[0, 3, 5, 7],
        wrapped: &[],
    }
}

/// 预算执行情况 and its one row.
fn budget(l: &Line) -> Section {
    Section {
        heading: Some(l.item.clone()),
        columns: &BUDGET_COLUMNS,
        rows: vec![vec![
            plain(&l.target),
            plain(&l.actual),
            plain(&l.rate.map(percent).unwrap_or_default()),
            weight(l),
            strong(&show_value(&l.score)),
            plain(&show_value(&l.reported)),
            difference(l.difference),
        ]],
        numbers: &[3, 4, 5, 6],
        wrapped: &[],
    }
}

/// A goal's indicators and its 小计 row; with 折算后权重 after 权重 when some goal of the
/// form was rescaled (`scaled`).
fn goal(g: &Line, indicators: &[Line], scaled: bool) -> Section {
    let weights = |l: &Line| {
        let mut cells = vec![weight(l)];
        if scaled {
            cells.push(plain(&l.applied_weight.map(show).unwrap_or_default()));
        }
        cells
    };
    let mut rows: Vec<Vec<Cell>> = indicators
        .iter()
        .map(|i| {
            let mut row = vec![
                plain(&i.level1),
                plain(&i.level2),
                plain(&i.name),
                plain(&i.target),
                plain(&i.actual),
                plain(&i.class),
            ];
            row.extend(weights(i));
            row.extend([
                plain(&show_value(&i.score)),
                plain(&show_value(&i.reported)),
                difference(i.difference),
            ]);
            row
        })
        .collect();
    let mut subtotal = vec![strong("小计")];
    subtotal.extend((0..5).map(|_| plain("")));
    subtotal.extend(weights(g));
    subtotal.extend([
        strong(&show_value(&g.score)),
        plain(&show_value(&g.reported)),
        difference(g.difference),
    ]);
    rows.push(subtotal);
    Section {
        heading: Some(g.item.clone()),
        columns: if scaled {
            &SCALED_GOAL_COLUMNS
        } else {
            &GOAL_COLUMNS
        },
        rows,
        numbers: if scaled {
            &[6, 7, 8, 9, 10]
        } else {
            &[6, 7, 8, 9]
        },
        wrapped: &[0, 1, 2, 3, 4],
    }
}

/// 加分项与扣分项: a row per item, its score signed (`+2`, `-4`).
fn adjustments(items: &[Line]) -> Section {
    let rows = items
        .iter()
        .map(|l| {
            vec![
                plain(&l.item),
                plain(&l.name),
                plain(&l.actual),
                weight(l),
                strong(&signed_value(&l.score)),
                plain(&signed_value(&l.reported)),
                difference(l.difference),
                plain(&l.note),
            ]
        })
        .collect();
    Section {
        heading: Some("加分项与扣分项".to_owned()),
        columns: &ADJUSTMENT_COLUMNS,
        rows,
        numbers: &[3, 4, 5, 6],
        wrapped: &[1, 7],
    }
}

/// 计算总分 with the grade; the reported total, its grade and the difference when the
/// form reports a total.
fn totals(total: &Line, grade: Option<&Line>) -> Section {
    let grade_of = |pick: fn(&Line) -> &Value| grade.map(|g| show_value(pick(g)));
    let mut rows = vec![vec![
        strong("计算总分"),
        strong(&show_value(&total.score)),
        plain(&total.note),
        strong(&grade_of(|g| &g.score).unwrap_or_default()),
    ]];
    if total.reported != Value::Empty {
        rows.push(vec![
            plain("自评总分"),
            plain(&show_value(&total.reported)),
            plain(""),
            plain(&grade_of(|g| &g.reported).unwrap_or_default()),
        ]);
        rows.push(vec![
            plain("差异"),
            difference(total.difference),
            plain(""),
            plain(""),
        ]);
    }
    Section {
        heading: None,
        columns: &TOTAL_COLUMNS,
        rows,
        numbers: &[1, 2],
        wrapped: &[],
    }
}

fn plain(text: &str) -> Cell {
    Cell {
        text: text.to_owned(),
        emphasis: Emphasis::None,
    }
}

fn strong(text: &str) -> Cell {
    Cell {
        text: text.to_owned(),
        emphasis: Emphasis::Strong,
    }
}

fn weight(l: &Line) -> Cell {
    plain(&l.weight.map(show).unwrap_or_default())
}

fn difference(d: Option<Decimal>) -> Cell {
    Cell {
        text: d.map(signed).unwrap_or_default(),
        emphasis: Emphasis::Difference,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::export::tests::{d, one_goal_of_two};

    /// The goal's own reported 9 (its indicators' say 1 + 2 = 3) is the 小计's: computed
    /// 1.96 of the fixture's 10 indicator points, difference 1.96 − 9 = −7.04; the totals
    /// show 21.96 of 100 against 90: 21.96 − 90 = −68.04.
    #[test]
    fn sections_follow_the_form_and_the_subtotal_is_the_goals_own_figure() {
        let mut o = one_goal_of_two();
        o.goals[0].reported = Some(d("9"));
        let s = sections(&o);
        let texts = |row: &[Cell]| row.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].heading.as_deref(), Some("预算执行情况（20分）"));
        assert_eq!(
            texts(&s[0].rows[0]),
            ["100万元", "100万元", "100.00%", "20", "20.00", "20", ""]
        );
        assert_eq!(s[1].heading.as_deref(), Some("年度目标1（10分）：目标一"));
        assert_eq!(
            texts(&s[1].rows[2]),
            ["小计", "", "", "", "", "", "10", "1.96", "9", "-7.04"]
        );
        assert_eq!(texts(&s[1].rows[1])[7], "不计");
        assert_eq!(texts(&s[2].rows[0]), ["计算总分", "21.96", "100", "差"]);
        assert_eq!(texts(&s[2].rows[2]), ["差异", "-68.04", "", ""]);
    }

    #[test]
    fn a_warning_quoting_a_line_break_stays_on_its_line() {
        let mut o = one_goal_of_two();
        o.warnings = vec![crate::eval::Warning {
            code: crate::code::Code::EvalOtherRules,
            message: "表单注明按规则「x\n  - 伪造\tb」计分".to_owned(),
            goal: None,
            indicator: None,
        }];
        assert_eq!(
            warnings(&o),
            "\n警告（1 条）：\n  - 表单注明按规则「x\\u{A}  - 伪造\\u{9}b」计分  [jixiao::eval::other_rules]\n"
        );
    }
}
