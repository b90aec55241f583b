//! The printed-form layout: the form as printed (and as extracted from its PDF as
//! tab-separated text, or laid out the same way in a worksheet).
//!
//! Input: a [`Grid`]. Output: a [`Draft`], with errors and warnings in [`Diags`].
//!
//! What is read, top to bottom:
//! - the title (a lone cell containing 绩效 and 表; its `YYYY年` gives the year),
//!   `单位名称`, `填报日期`, `基本支出总额`, `项目支出总额` (in the same cell after `：`,
//!   or in the next non-empty cell);
//! - the budget block: the header row with 预算数 and 执行数 (its `(万元)` is the amounts'
//!   unit), then the first row below with at least two numbers: 预算数, 执行数, 执行率 and
//!   得分, by column when the numbers sit under their headers, else in order;
//! - `年度目标N: (P分)` rows (the goal's text in the same cell or the next non-empty one);
//! - an indicator header row (一级指标, 二级指标, 三级指标, 年初目标值, 实际完成值, and
//!   optionally 得分 and 分值 or 权重) and the indicator rows under it;
//! - `总分`, after which nothing is read (偏差分析, 改进措施, 备注).
//!
//! Indicator rows are repaired where the PDF extraction breaks them, each repair a rule:
//! - a level name written in the block-label column (`满意度 指标` in 年度绩效指标's
//!   column) moves the row one column right;
//! - an empty cell between 三级指标 and 目标值 that the header does not have is dropped;
//! - level names lose their spaces (`可持续性影响 指标`);
//! - empty level cells are filled down within a goal (merged cells on the form);
//! - a level cell holding only the tail of the level above (`标` under `效益指标`, a cell
//!   split by a page break) is read as that level, with a warning;
//! - levels missing from a goal's first rows are taken from the first row below that has
//!   one, with a warning.

use rust_decimal::Decimal;

use super::cells::{amount, date, goal_label, header_key, points_of, squash, year_of};
use super::draft::{
    Diags, Draft, DraftBudget, DraftGoal, DraftIndicator, Field, REPORTED, Val, WEIGHT,
    percent_of_number, tail_cell,
};
use super::grid::{Cell, Grid, Loc};
use crate::form::{Parsed, parse_value};

/// Whether the grid has a `年度目标N` row.
pub(crate) fn has_goal_rows(grid: &Grid) -> bool {
    grid.rows
        .iter()
        .any(|row| row.iter().any(|c| goal_label(&c.text).is_some()))
}

/// Whether the grid has a printed form's budget block or 年度总体目标 row.
pub(crate) fn has_printed_blocks(grid: &Grid) -> bool {
    grid.rows.iter().any(|row| {
        BudgetHeader::find(row).is_some()
            || row.iter().any(|c| {
                let key = squash(&c.text);
                key.starts_with("年度总体目标") || key.starts_with("总体目标")
            })
    })
}

/// Whether the grid has a printed-form indicator header or a `年度目标N` row.
pub(crate) fn looks_printed(grid: &Grid) -> bool {
    grid.rows
        .iter()
        .any(|row| Header::find(row).is_some() || row.iter().any(|c| goal_label(&c.text).is_some()))
}

/// The columns of an indicator table (0-based indices into a row).
#[derive(Debug, Clone, Copy)]
struct Header {
    level1: usize,
    level2: usize,
    name: usize,
    target: usize,
    actual: usize,
    score: Option<usize>,
    weight: Option<usize>,
}

impl Header {
    fn find(row: &[Cell]) -> Option<Header> {
        let keys: Vec<String> = row.iter().map(|c| header_key(&c.text)).collect();
        let pos = |f: &dyn Fn(&str) -> bool| keys.iter().position(|k| f(k));
        Some(Header {
            level1: pos(&|k| k == "一级指标")?,
            level2: pos(&|k| k == "二级指标")?,
            name: pos(&|k| k == "三级指标")?,
            target: pos(&|k| k.contains("目标值") || k.contains("指标值"))?,
            actual: pos(&|k| k.contains("实际完成值") || k == "实际值" || k == "完成值")?,
            score: pos(&|k| k == "得分" || k == "自评得分" || k.starts_with("得分")),
            weight: pos(&|k| k == "分值" || k == "权重" || k == "指标分值" || k == "指标权重"),
        })
    }

    fn last(&self) -> usize {
        [
            self.level1,
            self.level2,
            self.name,
            self.target,
            self.actual,
        ]
        .into_iter()
        .chain(self.score)
        .chain(self.weight)
        .max()
        .unwrap_or(0)
    }
}

/// A fragment of the block label 年度绩效指标 (the label column of the indicator table).
fn is_block_label(text: &str) -> bool {
    let s = squash(text);
    !s.is_empty() && "年度绩效指标".contains(s.as_str())
}

/// Labels of the header rows, each followed by its value.
const META_LABELS: [&str; 4] = ["单位名称", "填报日期", "基本支出总额", "项目支出总额"];

/// Rows after which the form has no more indicators.
const END_WORDS: &[&str] = &[
    "总分",
    "偏差大",
    "改进措施",
    "备注",
    "填表人",
    "审核人",
    "单位负责人",
    "联系电话",
];

/// Budget header columns, and the unit its label gives the amounts.
struct BudgetHeader {
    planned: usize,
    executed: usize,
    rate: Option<usize>,
    score: Option<usize>,
    unit: Option<(&'static str, String)>,
}

impl BudgetHeader {
    fn find(row: &[Cell]) -> Option<BudgetHeader> {
        let pos = |word: &str| row.iter().position(|c| squash(&c.text).contains(word));
        let planned = pos("预算数")?;
        let executed = pos("执行数")?;
        let unit = row.iter().find_map(|c| {
            let s = squash(&c.text);
            if s.contains("万元") {
                Some(("万元", c.text.clone()))
            } else if s.contains("(元)") || s.contains("（元）") {
                Some(("元", c.text.clone()))
            } else {
                None
            }
        });
        Some(BudgetHeader {
            planned,
            executed,
            rate: pos("执行率"),
            score: pos("得分"),
            unit,
        })
    }
}

/// One indicator row as read, before levels are filled.
struct Row {
    level1: Option<Field>,
    level2: Option<Field>,
    /// The level cells, for messages about them.
    level_cells: [Cell; 2],
    ind: DraftIndicator,
}

struct Reader<'d, 'g> {
    diags: &'d mut Diags<'g>,
    draft: Draft,
    header: Option<Header>,
    budget_header: Option<BudgetHeader>,
    /// The budget row read, and whether a budget header came again after it.
    budget_at: Option<Loc>,
    budget_header_again: bool,
    /// The 总分 row read.
    total_at: Option<Loc>,
    goal: Option<(DraftGoal, Vec<Row>)>,
    /// The first column any row uses: where 总分 and the notes start.
    left: usize,
    /// 年度总体目标's text, the name of a form's only goal when it has no goal rows.
    overall: Option<Field>,
    /// 基本支出总额 and 项目支出总额, which belong to the budget line.
    basic: Option<Field>,
    project: Option<Field>,
}

pub(crate) fn read(grid: &Grid, diags: &mut Diags<'_>) -> Draft {
    let mut r = Reader {
        diags,
        draft: Draft::default(),
        header: None,
        budget_header: None,
        budget_at: None,
        budget_header_again: false,
        total_at: None,
        goal: None,
        left: grid
            .rows
            .iter()
            .filter_map(|r| r.iter().position(|c| !c.is_empty()))
            .min()
            .unwrap_or(0),
        overall: None,
        basic: None,
        project: None,
    };
    let mut end = grid.rows.len();
    for (i, row) in grid.rows.iter().enumerate() {
        if !r.row(row) {
            end = i + 1;
            break;
        }
    }
    r.second_total(&grid.rows[end..]);
    r.finish_goal();
    if let Some(b) = &mut r.draft.budget {
        b.basic = r.basic.take();
        b.project = r.project.take();
    }
    r.draft
}

impl Reader<'_, '_> {
    /// Reads one row; `false` at the end of the indicator tables.
    fn row(&mut self, row: &[Cell]) -> bool {
        let Some(lead) = row.iter().position(|c| !c.is_empty()) else {
            return true;
        };
        let lead_key = squash(&row[lead].text);
        // 总分 and the notes below the table start in the first column; an indicator row's
        // first non-empty cell is a level or a name further right.
        let first_column = lead == self.left;
        if let Some(word) = END_WORDS
            .iter()
            .find(|w| first_column && lead_key.starts_with(**w))
        {
            if *word == "总分" {
                self.total(&row[lead + 1..]);
            }
            return false;
        }
        if goal_label(&row[lead].text).is_some() {
            self.start_goal(row, lead);
            return true;
        }
        if let Some(h) = Header::find(row) {
            self.header = Some(h);
            return true;
        }
        if self.goal.is_none() {
            match self.header {
                // A project form: one indicator table under 年度总体目标, no goal rows.
                Some(h) if !align(row, &h).get(h.name).is_none_or(Cell::is_empty) => {
                    self.implicit_goal(row);
                }
                _ => {
                    self.preamble(row);
                    return true;
                }
            }
        }
        if let Some(h) = self.header {
            self.indicator(row, &h);
        }
        true
    }

    /// The one goal of a form whose indicator table has no `年度目标N` row above it: named
    /// by its 年度总体目标, with the sum of its indicators' weights as points.
    fn implicit_goal(&mut self, row: &[Cell]) {
        let name = self.overall.take().unwrap_or_else(|| {
            let loc = row.first().map(|c| self.diags.loc(c)).unwrap_or_default();
            self.diags.empty_cell(
                &loc,
                "指标表上方没有「年度目标N: (P分)」行，也没有「年度总体目标」".to_owned(),
                "在指标表上方加一行「年度目标1: (分值)」和该目标的内容",
            );
            Field::new(Val::Str(String::new()), loc)
        });
        self.goal = Some((
            DraftGoal {
                number: 1,
                name,
                weight: None,
                indicators: Vec::new(),
            },
            Vec::new(),
        ));
    }

    /// A second 总分 row with a number, below the first (where nothing else is read).
    fn second_total(&mut self, rows: &[Vec<Cell>]) {
        let Some(first) = self.total_at.clone() else {
            return;
        };
        for row in rows {
            let Some(lead) = row.iter().position(|c| !c.is_empty()) else {
                continue;
            };
            let numeric = |c: &Cell| matches!(parse_value(&c.text), Ok(Parsed::Quantity(_)));
            if lead == self.left
                && squash(&row[lead].text).starts_with("总分")
                && row[lead + 1..].iter().any(numeric)
            {
                let here = self.diags.row_loc(&row[lead]);
                self.diags
                    .duplicate_row(&first, &here, "总分", "只保留一行总分，删去另一处");
                return;
            }
        }
    }

    /// `总分`: the reported total in the next non-empty cell.
    fn total(&mut self, rest: &[Cell]) {
        if let Some(cell) = rest.iter().find(|c| !c.is_empty()) {
            let mut kind = REPORTED;
            kind.what = "自评总分";
            if let Some(Some(f)) = self.diags.number(cell, kind) {
                self.total_at = Some(Loc {
                    at: self.diags.grid.row_name(cell.row),
                    span: f.from.span,
                });
                self.draft.reported_total = Some(f);
            }
        }
    }

    /// Title, unit, date, spending totals and the budget block, before the first goal.
    fn preamble(&mut self, row: &[Cell]) {
        let nonempty: Vec<&Cell> = row.iter().filter(|c| !c.is_empty()).collect();
        if let [only] = nonempty.as_slice() {
            let text = only.text.trim_start_matches('#').trim();
            if self.draft.title.is_none()
                && text.contains("绩效")
                && text.contains('表')
                && !text.contains('：')
                && !text.contains(':')
            {
                let loc = self.diags.loc(only);
                if let Some(y) = year_of(text) {
                    self.draft.year = Some(
                        Field::new(Val::Num(Decimal::from(y)), loc.clone())
                            .with_note("标题中的年份"),
                    );
                }
                self.draft.title = Some(Field::new(Val::Str(text.to_owned()), loc));
                return;
            }
        }
        if let Some(h) = BudgetHeader::find(row) {
            self.budget_header = Some(h);
            self.budget_header_again = self.draft.budget.is_some();
            return;
        }
        if (self.draft.budget.is_none() || self.budget_header_again)
            && self.budget_header.is_some()
            && self.budget_row(row)
        {
            self.budget_header_again = false;
            return;
        }
        if let Some(i) = row.iter().position(|c| {
            let key = squash(&c.text);
            key.starts_with("年度总体目标") || key.starts_with("总体目标")
        }) {
            if let Some(c) = row[i + 1..].iter().find(|c| !c.is_empty()) {
                self.overall = Some(Field::new(Val::Str(c.text.clone()), self.diags.loc(c)));
            }
            return;
        }
        for (i, cell) in row.iter().enumerate() {
            let key = squash(&cell.text);
            let Some(label) = META_LABELS.into_iter().find(|l| key.starts_with(l)) else {
                continue;
            };
            // The value: after a colon in the same cell, else the next non-empty cell.
            let same = cell
                .text
                .split_once(['：', ':'])
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty());
            let value_cell = match same {
                Some(v) => tail_cell(self.diags.grid, cell, v),
                None => match row[i + 1..].iter().find(|c| !c.is_empty()) {
                    Some(c) => c.clone(),
                    None => continue,
                },
            };
            self.meta(label, &value_cell);
        }
    }

    fn meta(&mut self, label: &str, cell: &Cell) {
        let loc = self.diags.loc(cell);
        match label {
            "单位名称" if self.draft.department.is_none() => {
                self.draft.department = Some(Field::new(Val::Str(cell.text.clone()), loc));
            }
            "填报日期" if self.draft.filled_on.is_none() => {
                let val = match date(&cell.text) {
                    Some(d) => Val::Date(d),
                    None => Val::Str(cell.text.clone()),
                };
                self.draft.filled_on = Some(Field::new(val, loc));
            }
            "基本支出总额" | "项目支出总额" => {
                let Some(f) = amount(self.diags, cell, None) else {
                    return;
                };
                let budget_total = if label == "基本支出总额" {
                    &mut self.basic
                } else {
                    &mut self.project
                };
                budget_total.get_or_insert(f);
            }
            _ => {}
        }
    }

    /// The budget numbers; `false` if the row has fewer than two numbers.
    fn budget_row(&mut self, row: &[Cell]) -> bool {
        let Some(h) = &self.budget_header else {
            return false;
        };
        let numeric = |c: &Cell| matches!(parse_value(&c.text), Ok(Parsed::Quantity(_)));
        let numbers: Vec<&Cell> = row.iter().filter(|c| numeric(c)).collect();
        let spending = row
            .iter()
            .any(|c| META_LABELS.iter().any(|l| squash(&c.text).starts_with(l)));
        if numbers.len() < 2 || spending {
            return false;
        }
        let under = |i: usize| row.get(i).filter(|c| numeric(c));
        let mut columns: Vec<(usize, u8)> = [
            (Some(h.planned), 0u8),
            (Some(h.executed), 1),
            (h.rate, 2),
            (h.score, 3),
        ]
        .into_iter()
        .filter_map(|(i, which)| i.map(|i| (i, which)))
        .collect();
        columns.sort_unstable();
        let mut cells: [Option<&Cell>; 4] = [None; 4];
        if under(h.planned).is_some() && under(h.executed).is_some() {
            for &(i, which) in &columns {
                cells[usize::from(which)] = under(i);
            }
        } else {
            for (&(_, which), cell) in columns.iter().zip(&numbers) {
                cells[usize::from(which)] = Some(cell);
            }
        }
        let unit = h.unit.clone();
        let [Some(planned), Some(executed), _, score] = cells else {
            return false;
        };
        let planned = amount(self.diags, planned, unit.as_ref());
        let executed = amount(self.diags, executed, unit.as_ref());
        let mut kind = REPORTED;
        kind.what = "预算执行得分";
        let reported = score.and_then(|c| self.diags.number(c, kind)).flatten();
        if let (Some(planned), Some(executed)) = (planned, executed) {
            let here = self
                .diags
                .row_loc(row.iter().find(|c| !c.is_empty()).unwrap_or(&row[0]));
            if let Some(first) = self.budget_at.clone() {
                self.diags.duplicate_row(
                    &first,
                    &here,
                    "预算执行情况",
                    "只保留一组预算执行情况（预算数、执行数），删去另一组",
                );
                return true;
            }
            self.budget_at = Some(here);
            self.draft.budget = Some(DraftBudget {
                planned,
                executed,
                basic: None,
                project: None,
                reported,
            });
        }
        true
    }

    /// A `年度目标N` row: the points in the label or in the next cell, the goal's text
    /// after the label in the same cell or in the next non-empty one.
    fn start_goal(&mut self, row: &[Cell], i: usize) {
        self.finish_goal();
        let label = &row[i];
        let Some((number, mut points, rest)) = goal_label(&label.text) else {
            return;
        };
        let label_loc = self.diags.loc(label);
        let mut weight_loc = label_loc.clone();
        let mut after = row[i + 1..].iter().filter(|c| !c.is_empty()).peekable();
        if points.is_none() && rest.is_empty() {
            if let Some((p, cell)) = after.peek().and_then(|c| {
                points_of(&c.text)
                    .filter(|(_, r)| r.trim().is_empty())
                    .map(|(p, _)| (p, *c))
            }) {
                points = Some(p);
                weight_loc = self.diags.loc(cell);
                after.next();
            }
        }
        let name = if rest.is_empty() {
            after
                .next()
                .map(|c| Field::new(Val::Str(c.text.clone()), self.diags.loc(c)))
        } else {
            Some(Field::new(Val::Str(rest), label_loc.clone()))
        };
        let name = name.unwrap_or_else(|| {
            self.diags.empty_cell(
                &label_loc,
                format!("年度目标{number} 没有写目标内容"),
                "在「年度目标N: (P分)」后的单元格写上该目标的内容",
            );
            Field::new(Val::Str(String::new()), label_loc.clone())
        });
        let weight = points.map(|p| Field::new(Val::Num(p), weight_loc));
        self.goal = Some((
            DraftGoal {
                number,
                name,
                weight,
                indicators: Vec::new(),
            },
            Vec::new(),
        ));
    }

    /// One indicator row, after the repairs described in the module docs.
    fn indicator(&mut self, raw: &[Cell], h: &Header) {
        let cells = align(raw, h);
        let grid = self.diags.grid;
        let at = |i: usize| -> Cell {
            cells
                .get(i)
                .cloned()
                .unwrap_or_else(|| grid.blank(raw.first().map_or(0, |c| c.row), i))
        };
        let (c1, c2, cn, ca, cb) = (
            at(h.level1),
            at(h.level2),
            at(h.name),
            at(h.target),
            at(h.actual),
        );
        let cs = h.score.map(at);
        let cw = h.weight.map(at);
        if cn.is_empty() {
            if [&c1, &c2, &ca, &cb].iter().any(|c| !c.is_empty()) {
                let loc = self.diags.loc(&cn);
                self.diags.empty_cell(
                    &loc,
                    "三级指标为空".to_owned(),
                    "填写该行指标的名称（三级指标）",
                );
            }
            return;
        }
        let name = Field::new(Val::Str(cn.text.clone()), self.diags.loc(&cn));
        let (target, actual) = self.target_and_actual(&ca, &cb);
        let reported = cs
            .as_ref()
            .and_then(|c| self.diags.number(c, REPORTED))
            .flatten();
        let weight = cw
            .as_ref()
            .and_then(|c| self.diags.number(c, WEIGHT))
            .flatten();
        let weight_at = cw.as_ref().map(|c| self.diags.loc(c));
        let weight_unreadable = weight.is_none() && cw.as_ref().is_some_and(|c| !c.is_empty());
        let level = |c: &Cell| level_name(self.diags, c);
        let row = Row {
            level1: level(&c1),
            level2: level(&c2),
            ind: DraftIndicator {
                level1: Field::new(Val::Str(String::new()), Loc::default()),
                level2: Field::new(Val::Str(String::new()), Loc::default()),
                name,
                target,
                actual,
                weight,
                reported,
                direction: None,
                tier: None,
                rate: None,
                entries: Vec::new(),
                weight_unreadable,
                weight_at,
            },
            level_cells: [c1, c2],
        };
        if let Some((_, rows)) = &mut self.goal {
            rows.push(row);
        }
    }

    /// An indicator row's 年初目标值 and 实际完成值 (`ca`, `cb`), a bare number beside a
    /// percentage read as one where [`percent_of_number`] allows.
    fn target_and_actual(&mut self, ca: &Cell, cb: &Cell) -> (Option<Field>, Option<Field>) {
        let mut target = self.diags.value(ca, "年初目标值").flatten();
        let mut actual = self.diags.value(cb, "实际完成值").flatten();
        let t_cell = target.as_ref().map(|_| ca.clone());
        if let Some(t) = t_cell {
            let other = actual.clone();
            percent_of_number(self.diags, &mut target, &t, other.as_ref());
        }
        if actual.is_some() {
            let other = target.clone();
            percent_of_number(self.diags, &mut actual, cb, other.as_ref());
        }
        (target, actual)
    }

    fn finish_goal(&mut self) {
        let Some((mut goal, mut rows)) = self.goal.take() else {
            return;
        };
        for which in 0..2 {
            fill_levels(self.diags, &mut rows, which);
        }
        goal.indicators = rows.into_iter().map(|r| r.ind).collect();
        self.draft.goals.push(goal);
    }
}

/// The row with its cells moved where the header says they belong (see the module docs).
fn align(row: &[Cell], h: &Header) -> Vec<Cell> {
    let mut cells = row.to_vec();
    if h.level1 > 0 {
        if let Some(c) = cells.get(h.level1 - 1) {
            let s = squash(&c.text);
            if !s.is_empty() && !is_block_label(&s) && s.ends_with("指标") {
                let blank = Cell::blank(c.row, c.col);
                cells.insert(h.level1 - 1, blank);
            }
        }
    }
    let last = h.last();
    if cells.get(h.target).is_some_and(Cell::is_empty)
        && cells.get(last + 1).is_some_and(|c| !c.is_empty())
    {
        cells.remove(h.target);
    }
    cells
}

/// Fills level 1 (`which == 0`) or level 2 down within a goal, reads a tail fragment of
/// the level above as that level, and fills a goal's leading empty levels up.
fn fill_levels(diags: &mut Diags<'_>, rows: &mut [Row], which: usize) {
    let what = if which == 0 {
        "一级指标"
    } else {
        "二级指标"
    };
    let mut above: Option<Field> = None;
    let mut leading: Vec<usize> = Vec::new();
    for i in 0..rows.len() {
        let own = if which == 0 {
            rows[i].level1.take()
        } else {
            rows[i].level2.take()
        };
        let cell = rows[i].level_cells[which].clone();
        let field = match (own, &above) {
            (Some(f), Some(prev)) if is_fragment(f.text(), prev.text()) => {
                let loc = diags.loc(&cell);
                diags.repaired(
                    &loc,
                    format!(
                        "{what}「{}」是上方「{}」跨页断开后的残片，按「{}」读取",
                        cell.text,
                        prev.text(),
                        prev.text()
                    ),
                );
                Some(
                    Field::new(prev.val.clone(), prev.from.clone())
                        .with_note(format!("{} 的「{}」是跨页残片", loc.at, cell.text)),
                )
            }
            (Some(f), _) => Some(f),
            (None, Some(prev)) => {
                Some(Field::new(prev.val.clone(), prev.from.clone()).with_note("向下填充"))
            }
            (None, None) => None,
        };
        match field {
            Some(f) => {
                for &j in &leading {
                    let empty: &Cell = &rows[j].level_cells[which];
                    let loc = diags.loc(empty);
                    diags.repaired(
                        &loc,
                        format!(
                            "本目标开头的行没有{what}，按下方 {} 的「{}」读取",
                            f.from.at,
                            f.text()
                        ),
                    );
                    set(&mut rows[j], which, {
                        Field::new(f.val.clone(), f.from.clone())
                            .with_note(format!("{} 为空，向上填充", loc.at))
                    });
                }
                leading.clear();
                set(&mut rows[i], which, f.clone());
                above = Some(f);
            }
            None => leading.push(i),
        }
    }
    for &j in &leading {
        let loc = diags.loc(&rows[j].level_cells[which]);
        diags.empty_cell(
            &loc,
            format!("{what}为空，且本目标中没有可沿用的{what}"),
            "在该目标的第一行填写一级指标和二级指标（合并单元格只需写在第一行）",
        );
    }
}

/// A level cell as a level name, without its spaces; `None` when empty.
fn level_name(diags: &Diags<'_>, c: &Cell) -> Option<Field> {
    let s = squash(&c.text);
    (!s.is_empty()).then(|| {
        let f = Field::new(Val::Str(s.clone()), diags.loc(c));
        match (c.merged, s != c.text) {
            (true, _) => f.with_note("合并单元格"),
            (false, true) => f.with_note(format!("原文「{}」，去掉空格", c.text)),
            (false, false) => f,
        }
    })
}

fn set(row: &mut Row, which: usize, f: Field) {
    if which == 0 {
        row.ind.level1 = f;
    } else {
        row.ind.level2 = f;
    }
}

/// `标` under `效益指标`: a short tail of the level above, left by a page break.
fn is_fragment(text: &str, above: &str) -> bool {
    text != above && text.chars().count() <= 2 && above.ends_with(text)
}
