//! The table people read: the form's own Chinese terms, columns aligned by display width
//! (comfy-table measures with unicode-width, so 中文 counts two columns), colour only on a
//! terminal.

use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
    presets,
};
use rust_decimal::Decimal;

use jixiao::Outcome;
use jixiao::eval::{GoalOutcome, IndicatorOutcome, Status};
use jixiao::report::shown::{percent, show, signed};

/// The widest a text column may grow before it wraps.
const TEXT_COLUMN: u16 = 26;

pub(crate) fn render(o: &Outcome, color: bool) -> String {
    let o = &super::for_terminal(o);
    let mut out = heading(o);
    out.push_str(&budget_table(o, color));
    for g in &o.goals {
        out.push_str(&goal_table(g, color));
    }
    out.push_str(&totals_table(o, color));
    if !o.warnings.is_empty() {
        out.push_str(&format!("\n警告（{} 条）：\n", o.warnings.len()));
        for w in &o.warnings {
            out.push_str(&format!("  - {}  [{}]\n", w.message, w.code));
        }
    }
    out
}

/// The form's title, department and rules.
fn heading(o: &Outcome) -> String {
    let mut out = String::new();
    let title = o.form.title.as_deref().unwrap_or("部门整体绩效自评表");
    out.push_str(title);
    out.push('\n');
    if let Some(d) = &o.form.department {
        out.push_str(&format!("单位名称：{d}\n"));
    }
    out.push_str(&format!(
        "计分规则：{}{}（{}）\n\n",
        o.rules.id,
        o.rules
            .title
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default(),
        o.rules.file
    ));
    out
}

/// 预算执行情况 and its one row.
fn budget_table(o: &Outcome, color: bool) -> String {
    let b = &o.budget;
    let mut out = format!("预算执行情况（{}分）\n", show(b.weight));
    let mut t = new_table(color);
    t.set_header(header(&[
        "预算数(A)",
        "执行数(B)",
        "执行率(B/A)",
        "权重",
        "得分",
        "自评得分",
        "差异",
    ]));
    t.add_row(vec![
        Cell::new(&b.planned),
        Cell::new(&b.executed),
        Cell::new(b.rate.map(percent).unwrap_or_default()),
        num_cell(show(b.weight)),
        num_cell(show(b.score)).add_attribute(Attribute::Bold),
        num_cell(opt(b.reported)),
        diff_cell(b.difference(), color),
    ]);
    right_align(&mut t, 3..7);
    out.push_str(&t.to_string());
    out.push_str("\n\n");
    out
}

/// A goal's heading, and its indicators with their subtotal.
fn goal_table(g: &GoalOutcome, color: bool) -> String {
    let mut out = format!("年度目标{}（{}分）：{}\n", g.number, show(g.weight), g.name);
    let mut t = new_table(color);
    t.set_header(header(&[
        "一级指标",
        "二级指标",
        "三级指标",
        "年初目标值(A)",
        "实际完成值(B)",
        "类别",
        "权重",
        "得分",
        "自评得分",
        "差异",
    ]));
    for i in &g.indicators {
        t.add_row(indicator_row(i, color));
    }
    t.add_row(vec![
        Cell::new("小计").add_attribute(Attribute::Bold),
        Cell::new(""),
        Cell::new(""),
        Cell::new(""),
        Cell::new(""),
        Cell::new(""),
        num_cell(show(g.indicator_weight)),
        num_cell(show(g.score)).add_attribute(Attribute::Bold),
        num_cell(opt(g.reported())),
        diff_cell(g.difference(), color),
    ]);
    for c in [0usize, 1, 2, 3, 4] {
        if let Some(col) = t.column_mut(c) {
            col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(TEXT_COLUMN)));
        }
    }
    right_align(&mut t, 6..10);
    out.push_str(&t.to_string());
    out.push_str("\n\n");
    out
}

/// One indicator's row.
fn indicator_row(i: &IndicatorOutcome, color: bool) -> Vec<Cell> {
    let score = match (i.status, i.score) {
        (Status::Omitted, _) => Cell::new("不计"),
        (_, Some(s)) => num_cell(show(s)),
        (_, None) => Cell::new(""),
    };
    let class = match i.status {
        Status::Scored => i
            .class_title
            .as_deref()
            .or(i.class.as_deref())
            .unwrap_or_default()
            .to_owned(),
        Status::Omitted => "未评（可选）".to_owned(),
        Status::NotEvaluated => "未评".to_owned(),
    };
    vec![
        Cell::new(&i.level1),
        Cell::new(&i.level2),
        Cell::new(&i.name),
        Cell::new(i.target.as_deref().unwrap_or("")),
        Cell::new(i.actual.as_deref().unwrap_or("")),
        Cell::new(class),
        num_cell(show(i.weight)),
        score,
        num_cell(opt(i.reported)),
        diff_cell(i.difference(), color),
    ]
}

/// 计算总分, and the reported total with its difference.
fn totals_table(o: &Outcome, color: bool) -> String {
    let mut t = new_table(color);
    t.set_header(header(&["", "得分", "满分", "等级"]));
    t.add_row(vec![
        Cell::new("计算总分").add_attribute(Attribute::Bold),
        num_cell(show(o.total)).add_attribute(Attribute::Bold),
        num_cell(show(o.max_total)),
        Cell::new(o.grade.as_deref().unwrap_or("")).add_attribute(Attribute::Bold),
    ]);
    if let Some(r) = o.reported_total {
        t.add_row(vec![
            Cell::new("自评总分"),
            num_cell(show(r)),
            Cell::new(""),
            Cell::new(o.reported_grade.as_deref().unwrap_or("")),
        ]);
        t.add_row(vec![
            Cell::new("差异"),
            diff_cell(o.difference(), color),
            Cell::new(""),
            Cell::new(""),
        ]);
    }
    right_align(&mut t, 1..3);
    let mut out = t.to_string();
    out.push('\n');
    out
}

/// A table in the house style: ASCII rules, content-sized columns, styled only when
/// `color`.
pub(crate) fn new_table(color: bool) -> Table {
    let mut t = Table::new();
    // ASCII rules only: box-drawing characters are ambiguous-width in CJK terminals and
    // would break the alignment this table exists for.
    t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

/// A bold header row.
pub(crate) fn header(names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|n| Cell::new(*n).add_attribute(Attribute::Bold))
        .collect()
}

/// Right-aligns the number columns `cols`.
pub(crate) fn right_align(t: &mut Table, cols: std::ops::Range<usize>) {
    for c in cols {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn num_cell(s: String) -> Cell {
    Cell::new(s)
}

pub(crate) fn diff_cell(d: Option<Decimal>, color: bool) -> Cell {
    match d {
        Some(d) if !d.is_zero() => {
            let cell = Cell::new(signed(d));
            if color {
                cell.fg(Color::Yellow).add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }
        _ => Cell::new(""),
    }
}

fn opt(d: Option<Decimal>) -> String {
    d.map(show).unwrap_or_default()
}
