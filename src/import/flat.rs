//! The flat layout: one row per indicator under a header row, in a CSV file or a sheet.
//!
//! Input: a [`Grid`]. Output: a [`Draft`], with errors and warnings in [`Diags`]; `None`
//! when required columns are missing (each one an error).
//!
//! Columns, by header (spaces and a parenthesised part such as `(A)` ignored; the pinned
//! English keys also accepted): 目标, 一级指标, 二级指标, 三级指标, 目标值 and 实际值 are
//! required; 权重 (分值), 自评得分 (得分), 资金, 目标分值, 方向, 档次 and 得分率 are
//! optional. Rows above the header may give `单位名称`, `填报日期`, `标题`, `年度`,
//! `预算数`, `执行数`, `基本支出总额`, `项目支出总额`, `预算执行得分` and `总分` as a
//! name and a value; any other name and value (`单位类型 | 行政单位`) is a fact of
//! `[form]`, for rules that declare it (a plain number as a number). Below it:
//! - an empty 目标, 一级指标 or 二级指标 cell repeats the one above (merged cells);
//! - a row whose 目标 is `预算执行情况` is the budget line: 目标值 is 预算数, 实际值 is
//!   执行数, 自评得分 the budget's reported score; a row whose 目标 is `总分` gives the
//!   reported total in 自评得分;
//! - a row whose 目标 is `加分项` or `扣分项` is a bonus or deduction item: 三级指标 is
//!   its name, 实际值 the number the form gives for it, 自评得分 its reported score;
//! - rows of one 目标 and 三级指标 with a 资金 amount are one indicator's `entries`, one
//!   per fund; its 权重 and 自评得分 are written on any of them (once, or the same each
//!   time);
//! - a 目标 written `年度目标1: (10分) …` gives the goal's number and points; otherwise
//!   goals are numbered in order, and their points are 目标分值 or the sum of their
//!   indicators' weights.

use rust_decimal::Decimal;

use super::cells::{amount, date, goal_label, header_key, squash, year_of};
use super::draft::{
    AMOUNT, Diags, Draft, DraftAdjustment, DraftBudget, DraftEntry, DraftGoal, DraftIndicator,
    Field, REPORTED, Val, WEIGHT, percent_of_number, tail_cell,
};
use super::error::ImportError;
use super::grid::{Cell, Grid, Loc};
use crate::syntax::ast::AdjustmentKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Goal,
    Level1,
    Level2,
    Name,
    Target,
    Actual,
    Weight,
    Reported,
    Fund,
    GoalWeight,
    Direction,
    Tier,
    Rate,
}

/// Each column: its name in messages, the header names accepted, whether required.
const COLUMNS: &[(Col, &str, &[&str], bool)] = &[
    (
        Col::Goal,
        "目标",
        &["目标", "年度目标", "绩效目标", "goal"],
        true,
    ),
    (Col::Level1, "一级指标", &["一级指标", "level1"], true),
    (Col::Level2, "二级指标", &["二级指标", "level2"], true),
    (
        Col::Name,
        "三级指标",
        &["三级指标", "指标名称", "name"],
        true,
    ),
    (
        Col::Target,
        "目标值",
        &["目标值", "年初目标值", "target"],
        true,
    ),
    (
        Col::Actual,
        "实际值",
        &["实际值", "实际完成值", "完成值", "actual"],
        true,
    ),
    (
        Col::Weight,
        "权重",
        &["权重", "分值", "指标分值", "指标权重", "weight"],
        false,
    ),
    (
        Col::Reported,
        "自评得分",
        &["自评得分", "得分", "reported"],
        false,
    ),
    (
        Col::Fund,
        "资金",
        &["资金", "资金金额", "资金额度", "资金来源金额", "fund"],
        false,
    ),
    (
        Col::GoalWeight,
        "目标分值",
        &["目标分值", "目标权重", "goal_weight"],
        false,
    ),
    (
        Col::Direction,
        "方向",
        &["方向", "指标方向", "direction"],
        false,
    ),
    (
        Col::Tier,
        "档次",
        &["档次", "完成档次", "达成情况", "tier"],
        false,
    ),
    (Col::Rate, "得分率", &["得分率", "rate"], false),
];

fn column_of(text: &str) -> Option<Col> {
    let key = header_key(text).to_lowercase();
    COLUMNS
        .iter()
        .find(|(_, _, names, _)| names.contains(&key.as_str()))
        .map(|&(col, ..)| col)
}

/// The index of the flat header row: the first row with a 目标 and a 三级指标 column.
pub(crate) fn header_row(grid: &Grid) -> Option<usize> {
    grid.rows.iter().position(|row| {
        let cols: Vec<Col> = row.iter().filter_map(|c| column_of(&c.text)).collect();
        cols.contains(&Col::Goal) && cols.contains(&Col::Name)
    })
}

/// A row that looks like a flat header missing its 目标 column: a 三级指标 column and at
/// least two more flat columns, none of them a printed-form header's 年度绩效指标.
pub(crate) fn loose_header_row(grid: &Grid) -> Option<usize> {
    grid.rows.iter().position(|row| {
        let cols: Vec<Col> = row.iter().filter_map(|c| column_of(&c.text)).collect();
        cols.contains(&Col::Name)
            && cols.len() >= 3
            && !row.iter().any(|c| squash(&c.text) == "年度绩效指标")
    })
}

/// Column indices of the header.
struct Columns(Vec<(Col, usize)>);

impl Columns {
    fn get(&self, col: Col) -> Option<usize> {
        self.0.iter().find(|(c, _)| *c == col).map(|&(_, i)| i)
    }
}

/// One goal as the rows give it.
struct Goal {
    key: String,
    goal: DraftGoal,
    /// The 目标分值 cell's value, checked against later rows.
    goal_weight: Option<Field>,
}

pub(crate) fn read(grid: &Grid, diags: &mut Diags<'_>) -> Option<Draft> {
    let header_index = header_row(grid).or_else(|| loose_header_row(grid))?;
    let columns = columns(diags, &grid.rows[header_index])?;

    let mut draft = Draft::default();
    let mut budget = PreBudget::default();
    let mut total_from: Option<Loc> = None;
    for row in &grid.rows[..header_index] {
        preamble(diags, row, &mut draft, &mut budget, &mut total_from);
    }

    let mut goals: Vec<Goal> = Vec::new();
    let mut above: [Option<Field>; 3] = [None, None, None];
    for row in &grid.rows[header_index + 1..] {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let cell = |col: Col| -> Cell {
            let first = row.first();
            let row_no = first.map_or(0, |c| c.row);
            match columns.get(col) {
                Some(i) => row.get(i).cloned().unwrap_or_else(|| grid.blank(row_no, i)),
                None => Cell::blank(row_no, 0),
            }
        };
        let goal_cell = cell(Col::Goal);
        let keys = row_keys(diags, &cell, &above);
        let goal_key = keys[0]
            .as_ref()
            .map(|f| squash(f.text()))
            .unwrap_or_default();
        let summary = Summary {
            draft: &mut draft,
            budget: &mut budget,
            total_from: &mut total_from,
        };
        if summary.row(diags, &goal_key, &goal_cell, &cell) {
            continue;
        }
        let Some(goal_field) = keys[0].clone() else {
            let loc = diags.loc(&goal_cell);
            diags.empty_cell(
                &loc,
                "目标为空".to_owned(),
                "在第一行指标的「目标」列写上年度目标的内容",
            );
            continue;
        };
        above.clone_from(&keys);
        let goal = goal_index(&mut goals, &goal_field);
        goal_weight(diags, &mut goals[goal], &cell(Col::GoalWeight));
        indicator(diags, &mut goals[goal].goal, &keys, &cell);
    }
    finish(&mut draft, goals, budget);
    Some(draft)
}

/// The columns the header names; `None` when a required one is missing (each one an
/// error).
fn columns(diags: &mut Diags<'_>, header: &[Cell]) -> Option<Columns> {
    let mut found = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        if let Some(col) = column_of(&cell.text) {
            if !found.iter().any(|&(c, _)| c == col) {
                found.push((col, i));
            }
        }
    }
    let columns = Columns(found);
    let mut missing = false;
    for &(col, name, names, required) in COLUMNS {
        if required && columns.get(col).is_none() {
            missing = true;
            missing_column(diags, header, name, names);
        }
    }
    (!missing).then_some(columns)
}

/// A row's 目标, 一级指标 and 二级指标: an empty cell repeats the one above, but levels
/// do not carry over into another goal.
fn row_keys(
    diags: &Diags<'_>,
    cell: &dyn Fn(Col) -> Cell,
    above: &[Option<Field>; 3],
) -> [Option<Field>; 3] {
    let goal_cell = cell(Col::Goal);
    let new_goal = !goal_cell.is_empty()
        && above[0]
            .as_ref()
            .is_none_or(|f| squash(f.text()) != squash(&goal_cell.text));
    let mut keys: [Option<Field>; 3] = [None, None, None];
    for (k, col) in [Col::Goal, Col::Level1, Col::Level2]
        .into_iter()
        .enumerate()
    {
        let c = cell(col);
        let text = if k == 0 {
            c.text.clone()
        } else {
            squash(&c.text)
        };
        keys[k] = if !text.is_empty() {
            let f = Field::new(Val::Str(text), diags.loc(&c));
            Some(if c.merged {
                f.with_note("合并单元格")
            } else {
                f
            })
        } else if k > 0 && new_goal {
            None
        } else {
            above[k].as_ref().map(|f| {
                let note = if c.merged {
                    "合并单元格"
                } else {
                    "向下填充"
                };
                Field::new(f.val.clone(), f.from.clone()).with_note(note)
            })
        };
    }
    keys
}

/// What a 预算执行情况 or 总分 row fills in.
struct Summary<'a> {
    draft: &'a mut Draft,
    budget: &'a mut PreBudget,
    total_from: &'a mut Option<Loc>,
}

impl Summary<'_> {
    /// Reads the row if its 目标 (`goal_key`, squashed) says it is the budget line or
    /// the total, and says whether it was.
    fn row(
        self,
        diags: &mut Diags<'_>,
        goal_key: &str,
        goal_cell: &Cell,
        cell: &dyn Fn(Col) -> Cell,
    ) -> bool {
        match goal_key {
            "预算执行情况" | "预算执行" | "预算" | "budget" => {
                let here = diags.row_loc(goal_cell);
                match &self.budget.from {
                    Some(first) => {
                        let first = first.clone();
                        diags.duplicate_row(&first, &here, "预算执行情况", BUDGET_TWICE);
                    }
                    None => {
                        self.budget.from = Some(here);
                        budget_row(diags, cell, self.budget);
                    }
                }
                true
            }
            "加分项" | "扣分项" | "bonus" | "deduction" => {
                adjustment_row(diags, goal_key, cell, self.draft);
                true
            }
            "总分" | "合计" | "total" => {
                let here = diags.row_loc(goal_cell);
                if let Some(first) = self.total_from.clone() {
                    diags.duplicate_row(&first, &here, "总分", TOTAL_TWICE);
                    return true;
                }
                *self.total_from = Some(here);
                let mut kind = REPORTED;
                kind.what = "自评总分";
                if let Some(Some(f)) = diags.number(&cell(Col::Reported), kind) {
                    self.draft.reported_total = Some(f);
                }
                true
            }
            _ => false,
        }
    }
}

/// The goals into the draft, each weighed by its 目标分值 unless a row gave its points,
/// and the budget from the preamble or a 预算执行情况 row.
fn finish(draft: &mut Draft, goals: Vec<Goal>, budget: PreBudget) {
    draft.goals = goals
        .into_iter()
        .map(|mut g| {
            if g.goal.weight.is_none() {
                g.goal.weight = g.goal_weight.take();
            }
            g.goal
        })
        .collect();
    if draft.budget.is_none() {
        if let (Some(planned), Some(executed)) = (budget.planned, budget.executed) {
            draft.budget = Some(DraftBudget {
                planned,
                executed,
                basic: budget.basic,
                project: budget.project,
                reported: budget.reported,
            });
        }
    }
}

fn missing_column(diags: &mut Diags<'_>, header: &[Cell], name: &'static str, names: &[&str]) {
    let row = header.first().map_or(0, |c| c.row);
    let found: Vec<&str> = header
        .iter()
        .map(|c| c.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    let mut help = format!(
        "在表头加一列「{name}」（也可写作：{}）。本表的表头是：{}",
        names.join("、"),
        found.join("、")
    );
    if let Some(enc) = diags.grid.encoding.filter(|e| !e.starts_with("UTF")) {
        help.push_str(&format!(
            "。文件按 {enc} 编码读取；若上面的表头是乱码，请把文件另存为 UTF-8"
        ));
    }
    let span = match (
        header.iter().find_map(|c| c.span),
        header.iter().rev().find_map(|c| c.span),
    ) {
        (Some(a), Some(b)) => Some(a.to(b)),
        _ => None,
    };
    let src = diags.src();
    diags.errors.push(ImportError::MissingColumn {
        at: diags.grid.row_name(row),
        column: name,
        help,
        span: span.map(Into::into),
        src: span.and(src),
    });
}

const BUDGET_TWICE: &str =
    "只保留一行预算执行情况（或表头上方的一组「预算数」「执行数」），删去另一处";
const TOTAL_TWICE: &str = "只保留一行总分（或表头上方的一个「总分」），删去另一处";

/// Budget values gathered from the preamble or a 预算执行情况 row.
#[derive(Default)]
struct PreBudget {
    /// The row that gave the budget: a 预算执行情况 row, or the preamble's 预算数.
    from: Option<Loc>,
    planned: Option<Field>,
    executed: Option<Field>,
    basic: Option<Field>,
    project: Option<Field>,
    reported: Option<Field>,
}

/// A `name, value` row above the header.
// One arm per key a preamble row may give: a table more than a procedure.
fn preamble(
    diags: &mut Diags<'_>,
    row: &[Cell],
    draft: &mut Draft,
    budget: &mut PreBudget,
    total_from: &mut Option<Loc>,
) {
    let mut cells = row.iter().filter(|c| !c.is_empty());
    let Some(key_cell) = cells.next() else { return };
    let (key, value) = match key_cell.text.split_once(['：', ':']) {
        Some((k, v)) if !v.trim().is_empty() => {
            (squash(k), tail_cell(diags.grid, key_cell, v.trim()))
        }
        _ => match cells.next() {
            Some(v) => (squash(&key_cell.text), v.clone()),
            None => return,
        },
    };
    let loc = diags.loc(&value);
    let text = |c: &Cell| Field::new(Val::Str(c.text.clone()), loc.clone());
    match key.to_lowercase().as_str() {
        "单位名称" | "单位" | "department" => draft.department = Some(text(&value)),
        "计分规则" | "rules" => draft.rules = Some(text(&value)),
        "标题" | "表名" | "title" => {
            if draft.year.is_none() {
                draft.year = year_of(&value.text).map(|y| {
                    Field::new(Val::Num(Decimal::from(y)), loc.clone()).with_note("标题中的年份")
                });
            }
            draft.title = Some(text(&value));
        }
        "年度" | "year" => {
            let digits = squash(&value.text);
            let digits = digits.trim_end_matches(['年', '度']);
            match digits.parse::<i64>() {
                Ok(y) => draft.year = Some(Field::new(Val::Num(Decimal::from(y)), loc)),
                Err(_) => diags.bad_cell(
                    &loc,
                    format!("年度应为四位数的年份，实际是「{}」", value.text),
                    "写成 2024 或 2024年",
                    "不是年份",
                ),
            }
        }
        "填报日期" | "filled_on" => {
            let val = match date(&value.text) {
                Some(d) => Val::Date(d),
                None => Val::Str(value.text.clone()),
            };
            draft.filled_on = Some(Field::new(val, loc));
        }
        "总分" | "自评总分" | "reported_total" => {
            let here = diags.row_loc(key_cell);
            if let Some(first) = total_from.clone() {
                diags.duplicate_row(&first, &here, "总分", TOTAL_TWICE);
                return;
            }
            *total_from = Some(here);
            let mut kind = REPORTED;
            kind.what = "自评总分";
            draft.reported_total = diags.number(&value, kind).flatten();
        }
        "预算数" | "planned" => {
            let here = diags.row_loc(key_cell);
            if let Some(first) = budget.from.clone() {
                diags.duplicate_row(&first, &here, "预算数", BUDGET_TWICE);
                return;
            }
            budget.from = Some(here);
            budget.planned = amount(diags, &value, None);
        }
        "执行数" | "executed" => budget.executed = amount(diags, &value, None),
        "基本支出总额" | "basic" => budget.basic = amount(diags, &value, None),
        "项目支出总额" | "project" => budget.project = amount(diags, &value, None),
        "预算执行得分" | "reported_score" => {
            let mut kind = REPORTED;
            kind.what = "预算执行得分";
            budget.reported = diags.number(&value, kind).flatten();
        }
        // Any other name a fact may have: a fact of `[form]` (a plain number as a
        // number); a heading or key of the form elsewhere is left alone.
        _ if crate::form::may_be_fact(&key) => {
            let val = match Decimal::from_str_exact(&squash(&value.text)) {
                Ok(n) => Val::Num(n),
                Err(_) => Val::Str(value.text.clone()),
            };
            if !draft.facts.iter().any(|(k, _)| *k == key) {
                draft.facts.push((key, Field::new(val, loc)));
            }
        }
        _ => {}
    }
}

/// A 加分项 or 扣分项 row: its name from 三级指标, its value from 实际值 (both required),
/// its reported score from 自评得分.
fn adjustment_row(diags: &mut Diags<'_>, key: &str, cell: &dyn Fn(Col) -> Cell, draft: &mut Draft) {
    let kind = if matches!(key, "加分项" | "bonus") {
        AdjustmentKind::Bonus
    } else {
        AdjustmentKind::Deduction
    };
    let what = if kind == AdjustmentKind::Bonus {
        "加分项"
    } else {
        "扣分项"
    };
    let (name, value) = (cell(Col::Name), cell(Col::Actual));
    let mut missing = false;
    for (c, column, help) in [
        (
            &name,
            "三级指标",
            "写加分项或扣分项的名称，与规则中的名称或标题一致，如「创新加分」",
        ),
        (
            &value,
            "实际值",
            "加分项写申报的分数，扣分项写发现的问题数，如 2 或 2项",
        ),
    ] {
        if c.is_empty() {
            let loc = diags.loc(c);
            diags.empty_cell(&loc, format!("{what}一行的「{column}」为空"), help);
            missing = true;
        }
    }
    if missing {
        return;
    }
    let reported = diags.number(&cell(Col::Reported), REPORTED).flatten();
    draft.adjustments.push(DraftAdjustment {
        kind,
        name: Field::new(Val::Str(name.text.clone()), diags.loc(&name)),
        value: Field::new(Val::Str(value.text.clone()), diags.loc(&value)),
        reported,
    });
}

fn budget_row(diags: &mut Diags<'_>, cell: &dyn Fn(Col) -> Cell, budget: &mut PreBudget) {
    let planned = cell(Col::Target);
    let executed = cell(Col::Actual);
    for (c, slot, what) in [
        (&planned, &mut budget.planned, "预算数"),
        (&executed, &mut budget.executed, "执行数"),
    ] {
        if c.is_empty() {
            let loc = diags.loc(c);
            diags.empty_cell(
                &loc,
                format!("预算执行情况的{what}为空"),
                "预算执行情况一行：「目标值」写预算数，「实际值」写执行数",
            );
        } else {
            *slot = amount(diags, c, None);
        }
    }
    let mut kind = REPORTED;
    kind.what = "预算执行得分";
    if let Some(Some(f)) = diags.number(&cell(Col::Reported), kind) {
        budget.reported = Some(f);
    }
}

/// The goal a row belongs to, added when first seen.
fn goal_index(goals: &mut Vec<Goal>, field: &Field) -> usize {
    let key = squash(field.text());
    if let Some(i) = goals.iter().position(|g| g.key == key) {
        return i;
    }
    let (number, weight, name) = match goal_label(field.text()) {
        Some((n, points, rest)) if !rest.is_empty() => (
            n,
            points.map(|p| Field::new(Val::Num(p), field.from.clone())),
            Field::new(Val::Str(rest), field.from.clone()),
        ),
        _ => (goals.len() + 1, None, field.clone()),
    };
    goals.push(Goal {
        key,
        goal: DraftGoal {
            number,
            name,
            weight,
            indicators: Vec::new(),
        },
        goal_weight: None,
    });
    goals.len() - 1
}

fn goal_weight(diags: &mut Diags<'_>, goal: &mut Goal, cell: &Cell) {
    let mut kind = WEIGHT;
    kind.what = "目标分值";
    let Some(Some(f)) = diags.number(cell, kind) else {
        return;
    };
    match &goal.goal_weight {
        None => goal.goal_weight = Some(f),
        Some(prev) if prev.number() == f.number() => {}
        Some(prev) => conflict(diags, &f.from, "目标分值", &prev.from.at, prev, &f),
    }
}

fn conflict(
    diags: &mut Diags<'_>,
    loc: &Loc,
    what: &str,
    first_at: &str,
    first: &Field,
    now: &Field,
) {
    let shown = |f: &Field| {
        f.number()
            .map_or_else(|| f.text().to_owned(), |n| n.to_string())
    };
    let src = diags.src();
    diags.errors.push(ImportError::ConflictingRows {
        at: loc.at.clone(),
        message: format!(
            "{what}「{}」与 {first_at} 的「{}」不一致",
            shown(now),
            shown(first)
        ),
        help: format!("同一目标（或同一指标的各资金来源行）的{what}只需写一次，或每行写成相同的值"),
        span: loc.span.map(Into::into),
        src: loc.span.and(src),
    });
}

fn indicator(
    diags: &mut Diags<'_>,
    goal: &mut DraftGoal,
    keys: &[Option<Field>; 3],
    cell: &dyn Fn(Col) -> Cell,
) {
    let name_cell = cell(Col::Name);
    let Some(name) = diags.required(&name_cell, "三级指标", "填写该行指标的名称（三级指标）")
    else {
        return;
    };
    let mut levels = [None, None];
    for (k, what) in [(1, "一级指标"), (2, "二级指标")] {
        levels[k - 1] = keys[k].clone();
        if keys[k].is_none() {
            let c = cell(if k == 1 { Col::Level1 } else { Col::Level2 });
            let loc = diags.loc(&c);
            diags.empty_cell(
                &loc,
                format!("{what}为空"),
                "在该目标的第一行填写一级指标和二级指标（下面的行留空表示相同）",
            );
        }
    }
    let [Some(level1), Some(level2)] = levels else {
        return;
    };
    let (target_cell, actual_cell) = (cell(Col::Target), cell(Col::Actual));
    let mut target = diags.value(&target_cell, "目标值").flatten();
    let mut actual = diags.value(&actual_cell, "实际值").flatten();
    let other = actual.clone();
    percent_of_number(diags, &mut target, &target_cell, other.as_ref());
    let other = target.clone();
    percent_of_number(diags, &mut actual, &actual_cell, other.as_ref());
    let weight_cell = cell(Col::Weight);
    let weight = diags.number(&weight_cell, WEIGHT).flatten();
    let reported = diags.number(&cell(Col::Reported), REPORTED).flatten();
    let text = |c: Cell, d: &Diags<'_>| {
        (!c.is_empty()).then(|| Field::new(Val::Str(c.text.clone()), d.loc(&c)))
    };
    let direction = text(cell(Col::Direction), diags);
    let tier = text(cell(Col::Tier), diags);
    let rate = text(cell(Col::Rate), diags);
    let weight_at = (weight_cell.col > 0).then(|| diags.loc(&weight_cell));
    let weight_unreadable = weight.is_none() && !weight_cell.is_empty();
    let row = DraftIndicator {
        level1,
        level2,
        name,
        target,
        actual,
        weight,
        reported,
        direction,
        tier,
        rate,
        entries: Vec::new(),
        weight_at,
        weight_unreadable,
    };
    let fund_cell = cell(Col::Fund);
    if fund_cell.is_empty() {
        goal.indicators.push(row);
    } else {
        fund_row(diags, goal, row, &fund_cell);
    }
}

/// A fund row: an entry of the indicator with this 目标 and 三级指标, the row's target,
/// actual, tier and rate becoming the entry's. The first such row starts the indicator;
/// its weight, reported score and direction may be written on any of them, but alike.
fn fund_row(
    diags: &mut Diags<'_>,
    goal: &mut DraftGoal,
    mut row: DraftIndicator,
    fund_cell: &Cell,
) {
    let Some(fund) = diags.number(fund_cell, AMOUNT).flatten() else {
        return;
    };
    let fund = Field::new(Val::Str(fund_cell.text.clone()), fund.from);
    let entry = DraftEntry {
        fund,
        target: row.target.take(),
        actual: row.actual.take(),
        tier: row.tier.take(),
        rate: row.rate.take(),
    };
    let existing = goal
        .indicators
        .iter_mut()
        .find(|i| !i.entries.is_empty() && i.name.text() == row.name.text());
    let Some(ind) = existing else {
        row.entries.push(entry);
        goal.indicators.push(row);
        return;
    };
    ind.entries.push(entry);
    for (slot, new, what) in [
        (&mut ind.weight, row.weight, "权重"),
        (&mut ind.reported, row.reported, "自评得分"),
        (&mut ind.direction, row.direction, "方向"),
    ] {
        let Some(new) = new else { continue };
        match slot {
            None => *slot = Some(new),
            Some(prev) if prev.val == new.val => {}
            Some(prev) => {
                let prev = prev.clone();
                conflict(diags, &new.from, what, &prev.from.at, &prev, &new);
            }
        }
    }
}
