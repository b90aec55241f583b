//! The draft form both layouts read into, the checks on single cells, and where weights
//! come from.
//!
//! Input: cells of a [`Grid`]. Output: a [`Draft`] whose every value is already valid
//! for the form loader (values parse, numbers are numbers) and knows the cell it came
//! from, with the errors and warnings collected in [`Diags`].
//! Invariant: after [`resolve_weights`] without errors, every goal and indicator has a
//! weight.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::Weights;
use super::error::{ImportError, ImportWarning};
use super::grid::{Cell, Grid, Kind, Loc};
use crate::form::{Cmp, Parsed, parse_value};
use crate::source::Named;

/// A value for the TOML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    /// A string, written quoted.
    Str(String),
    /// A number, written bare.
    Num(Decimal),
    /// A date `YYYY-MM-DD`, written bare (a TOML local date).
    Date(String),
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub val: Val,
    pub from: Loc,
    /// How the value was derived from its cell, for the TOML comment.
    pub note: Option<String>,
}

impl Field {
    pub(crate) fn new(val: Val, from: Loc) -> Field {
        Field {
            val,
            from,
            note: None,
        }
    }

    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Field {
        self.note = Some(note.into());
        self
    }

    pub(crate) fn text(&self) -> &str {
        match &self.val {
            Val::Str(s) | Val::Date(s) => s,
            Val::Num(_) => "",
        }
    }

    pub(crate) fn number(&self) -> Option<Decimal> {
        match self.val {
            Val::Num(n) => Some(n),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub title: Option<Field>,
    pub department: Option<Field>,
    pub year: Option<Field>,
    pub filled_on: Option<Field>,
    pub reported_total: Option<Field>,
    /// A `计分规则` row: the rule set the form names (`[form] rules`).
    pub rules: Option<Field>,
    pub budget: Option<DraftBudget>,
    pub goals: Vec<DraftGoal>,
    /// Other `name, value` rows above the header (`单位类型 | 行政单位`): `[form]` facts
    /// for rules that declare them, in input order.
    pub facts: Vec<(String, Field)>,
    /// Rows whose 目标 is 加分项 or 扣分项: the form's bonus and deduction items.
    pub adjustments: Vec<DraftAdjustment>,
}

/// A 加分项 or 扣分项 row: the item's name (三级指标), the number the form gives for it
/// (实际值), and the department's own score for it (自评得分).
#[derive(Debug)]
pub(crate) struct DraftAdjustment {
    pub kind: crate::syntax::ast::AdjustmentKind,
    pub name: Field,
    pub value: Field,
    pub reported: Option<Field>,
}

#[derive(Debug)]
pub(crate) struct DraftBudget {
    pub planned: Field,
    pub executed: Field,
    pub basic: Option<Field>,
    pub project: Option<Field>,
    pub reported: Option<Field>,
}

#[derive(Debug)]
pub(crate) struct DraftGoal {
    /// N of 年度目标N.
    pub number: usize,
    pub name: Field,
    pub weight: Option<Field>,
    pub indicators: Vec<DraftIndicator>,
}

#[derive(Debug)]
pub(crate) struct DraftIndicator {
    pub level1: Field,
    pub level2: Field,
    pub name: Field,
    pub target: Option<Field>,
    pub actual: Option<Field>,
    pub weight: Option<Field>,
    pub reported: Option<Field>,
    pub direction: Option<Field>,
    pub tier: Option<Field>,
    pub rate: Option<Field>,
    pub entries: Vec<DraftEntry>,
    /// The 分值 cell; `None` when the input has no weight column.
    pub weight_at: Option<Loc>,
    /// The 分值 cell holds something that is not a number (already an error).
    pub weight_unreadable: bool,
}

#[derive(Debug)]
pub(crate) struct DraftEntry {
    pub fund: Field,
    pub target: Option<Field>,
    pub actual: Option<Field>,
    pub tier: Option<Field>,
    pub rate: Option<Field>,
}

/// The errors and warnings of one import, and the grid they point into.
pub(crate) struct Diags<'g> {
    pub grid: &'g Grid,
    pub errors: Vec<ImportError>,
    pub warnings: Vec<ImportWarning>,
}

/// What a plain-number cell holds, for messages and help.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NumKind {
    pub what: &'static str,
    /// A score or weight may carry the unit 分 only; an amount any unit but no `%`.
    pub score: bool,
    pub help: &'static str,
}

pub(crate) const WEIGHT: NumKind = NumKind {
    what: "分值",
    score: true,
    help: "分值写成数字，如 2 或 2分",
};
pub(crate) const REPORTED: NumKind = NumKind {
    what: "自评得分",
    score: true,
    help: "自评得分写成数字，如 1.5；没有可留空",
};
pub(crate) const AMOUNT: NumKind = NumKind {
    what: "金额",
    score: false,
    help: "金额写成数字或数字加单位，如 12174.8 或 12174.8万元",
};

impl<'g> Diags<'g> {
    pub(crate) fn new(grid: &'g Grid) -> Self {
        Diags {
            grid,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn src(&self) -> Option<Named> {
        self.grid.source.as_ref().map(crate::Source::named)
    }

    pub(crate) fn loc(&self, cell: &Cell) -> Loc {
        self.grid.loc(cell)
    }

    pub(crate) fn bad_cell(&mut self, loc: &Loc, message: String, help: &str, label: &str) {
        let src = self.src();
        self.errors.push(ImportError::BadCell {
            at: loc.at.clone(),
            message,
            help: help.to_owned(),
            label: label.to_owned(),
            span: loc.span.map(Into::into),
            src: loc.span.and(src),
        });
    }

    pub(crate) fn empty_cell(&mut self, loc: &Loc, message: String, help: &str) {
        let src = self.src();
        self.errors.push(ImportError::EmptyCell {
            at: loc.at.clone(),
            message,
            help: help.to_owned(),
            span: loc.span.map(Into::into),
            src: loc.span.and(src),
        });
    }

    /// The row of `cell`, for a message about the whole row, labelled at `cell`.
    pub(crate) fn row_loc(&self, cell: &Cell) -> Loc {
        Loc {
            at: self.grid.row_name(cell.row),
            span: cell.span,
        }
    }

    /// `what` given a second time, at `later`, after `first`: an error naming both.
    pub(crate) fn duplicate_row(&mut self, first: &Loc, later: &Loc, what: &str, help: &str) {
        let src = self.src();
        let labelled = first.span.is_some() || later.span.is_some();
        self.errors.push(ImportError::DuplicateRow {
            at: later.at.clone(),
            message: format!(
                "{what}出现了两次：{} 和 {}，不知该用哪一行",
                first.at, later.at
            ),
            help: help.to_owned(),
            first: first.span.map(Into::into),
            span: later.span.map(Into::into),
            src: src.filter(|_| labelled),
        });
    }

    pub(crate) fn repaired(&mut self, loc: &Loc, message: String) {
        let src = self.src();
        self.warnings.push(ImportWarning::Repaired {
            at: loc.at.clone(),
            message,
            span: loc.span.map(Into::into),
            src: loc.span.and(src),
        });
    }

    /// A plain number (a weight, a score, an amount): `None` (recorded) if it is not one;
    /// `Some(None)` if the cell is empty.
    pub(crate) fn number(&mut self, cell: &Cell, kind: NumKind) -> Option<Option<Field>> {
        if cell.is_empty() {
            return Some(None);
        }
        let loc = self.loc(cell);
        if cell.kind == Kind::Unreadable {
            self.unreadable(cell, kind.what);
            return None;
        }
        let n = match parse_value(&cell.text) {
            Ok(Parsed::Quantity(q))
                if q.cmp == Cmp::None
                    && !q.percent
                    && (!kind.score || q.unit.is_empty() || q.unit == "分") =>
            {
                q.number
            }
            Ok(_) => {
                self.bad_cell(
                    &loc,
                    format!("{}应为数字，实际是「{}」", kind.what, cell.text),
                    kind.help,
                    "不是数字",
                );
                return None;
            }
            Err(e) => {
                let loc = narrow(self.grid, cell, &e.offset);
                self.bad_cell(
                    &loc,
                    format!("{}无法读取：{}", kind.what, e.message),
                    &e.help,
                    "无法读取",
                );
                return None;
            }
        };
        Some(Some(Field::new(Val::Num(n), loc)))
    }

    /// A target, actual or fund as written: `None` (recorded) if it starts like a number
    /// but cannot be read; `Some(None)` if empty.
    pub(crate) fn value(&mut self, cell: &Cell, what: &str) -> Option<Option<Field>> {
        if cell.is_empty() {
            return Some(None);
        }
        if cell.kind == Kind::Unreadable {
            self.unreadable(cell, what);
            return None;
        }
        match parse_value(&cell.text) {
            Ok(_) => Some(Some(Field::new(
                Val::Str(cell.text.clone()),
                self.loc(cell),
            ))),
            Err(e) => {
                let loc = narrow(self.grid, cell, &e.offset);
                self.bad_cell(
                    &loc,
                    format!("{what}「{}」无法读取：{}", cell.text, e.message),
                    &e.help,
                    "无法读取",
                );
                None
            }
        }
    }

    fn unreadable(&mut self, cell: &Cell, what: &str) {
        let loc = self.loc(cell);
        self.bad_cell(
            &loc,
            format!("{what}无法读取：{}", cell.text),
            "改正该单元格：写成数字或文字，不要留公式错误；过大的数字请换用万、亿等单位",
            "无法读取",
        );
    }

    /// A text cell, required: `None` (recorded) if empty.
    pub(crate) fn required(&mut self, cell: &Cell, what: &str, help: &str) -> Option<Field> {
        if cell.is_empty() {
            let loc = self.loc(cell);
            self.empty_cell(&loc, format!("{what}为空"), help);
            return None;
        }
        Some(Field::new(Val::Str(cell.text.clone()), self.loc(cell)))
    }
}

/// The location of the part `offset` (bytes of the cell's text) of a cell, when the
/// cell's span holds its text verbatim.
fn narrow(grid: &Grid, cell: &Cell, offset: &std::ops::Range<usize>) -> Loc {
    let mut loc = grid.loc(cell);
    if let (Some(span), Some(source)) = (cell.span, &grid.source) {
        if source.slice(span) == cell.text && offset.end <= cell.text.len() && !offset.is_empty() {
            loc.span = Some(crate::Span::new(
                span.start + offset.start,
                span.start + offset.end,
            ));
        }
    }
    loc
}

/// The cell holding only `tail`, the end of `cell`'s text (`某局` of `单位名称：某局`),
/// its span narrowed when the cell's span holds its text verbatim.
pub(crate) fn tail_cell(grid: &Grid, cell: &Cell, tail: &str) -> Cell {
    let mut c = cell.clone();
    c.text = tail.to_owned();
    let verbatim = match (cell.span, &grid.source) {
        (Some(span), Some(source)) => source.slice(span) == cell.text,
        _ => false,
    };
    c.span = match cell.span {
        Some(span) if verbatim && cell.text.ends_with(tail) => {
            Some(crate::Span::new(span.end - tail.len(), span.end))
        }
        other => other,
    };
    c
}

/// The largest magnitude of a number cell read as a stored percentage: Excel stores
/// `150%` as 1.5. A form's percentages are rates of completion, satisfaction or
/// execution, nearly always at most 150%; a plain number beyond that beside a percentage
/// is far more likely a percentage typed without its sign (`90` for 90%) than a stored
/// 9000%, and is refused rather than guessed either way.
pub(crate) const STORED_PERCENT_MAX: Decimal = Decimal::from_parts(15, 0, 0, false, 1);

/// A spreadsheet number cell read as a percentage when the other value of its pair is a
/// percentage (Excel stores `96%` as 0.96): `field` becomes the percentage, with a
/// warning, when the number is at most [`STORED_PERCENT_MAX`] in magnitude; a larger one
/// is an error naming both cells (`90` beside `95%` is neither 9000% nor, silently, 90%).
pub(crate) fn percent_of_number(
    diags: &mut Diags<'_>,
    field: &mut Option<Field>,
    cell: &Cell,
    other: Option<&Field>,
) {
    let Some(other) =
        other.filter(|o| matches!(parse_value(o.text()), Ok(Parsed::Quantity(q)) if q.percent))
    else {
        return;
    };
    if cell.kind != Kind::Number || field.is_none() {
        return;
    }
    let Ok(n) = Decimal::from_str_exact(&cell.text) else {
        return;
    };
    let Some(hundred) = n.checked_mul(Decimal::ONE_HUNDRED) else {
        return;
    };
    if n.abs() > STORED_PERCENT_MAX {
        let loc = diags.loc(cell);
        diags.bad_cell(
            &loc,
            format!(
                "数字 {} 与同一指标 {} 的百分比{}写法不同：按百分比格式存储的数字不超过 1.5（即 150%），{} 不会是 {}%",
                cell.text,
                other.from.at,
                crate::text::quoted(other.text()),
                cell.text,
                hundred.normalize()
            ),
            &format!(
                "若是 {}%，请在单元格中写成「{}%」；若不是百分比，请把两个值写成同一种形式（都带单位或都不带）",
                cell.text, cell.text
            ),
            "不是百分比",
        );
        *field = None;
        return;
    }
    let Some(f) = field else { return };
    let text = format!("{}%", hundred.normalize());
    let loc = f.from.clone();
    diags.warnings.push(ImportWarning::PercentCell {
        at: loc.at.clone(),
        number: cell.text.clone(),
        percent: text.clone(),
    });
    *f = Field::new(Val::Str(text), loc).with_note(format!("数字 {} 按百分比读取", cell.text));
}

/// Gives every indicator and goal a weight: indicators without one take their reported
/// score under [`Weights::Reported`] (a warning per goal), and are errors otherwise (one
/// per empty 分值 cell, or one for the first indicator when the input has no weight
/// column); a goal without points gets the sum of its indicators' weights.
pub(crate) fn resolve_weights(draft: &mut Draft, weights: Weights, diags: &mut Diags<'_>) {
    let mut no_column_reported = false;
    for goal in &mut draft.goals {
        let mut from_reported = Vec::new();
        let total = goal.indicators.len();
        for ind in &mut goal.indicators {
            if ind.weight.is_some() || ind.weight_unreadable {
                continue;
            }
            let at = ind
                .weight_at
                .clone()
                .unwrap_or_else(|| ind.name.from.clone());
            let message = match (weights, &ind.reported) {
                (Weights::Reported, Some(reported)) => {
                    from_reported.push(reported.from.at.clone());
                    ind.weight = Some(
                        Field::new(reported.val.clone(), reported.from.clone())
                            .with_note("自评得分，按 --weights reported 作为权重"),
                    );
                    continue;
                }
                (Weights::Reported, None) => format!(
                    "指标「{}」既没有分值，也没有自评得分，无法确定权重",
                    ind.name.text()
                ),
                (Weights::Given, _) if ind.weight_at.is_some() => {
                    format!("指标「{}」的分值为空", ind.name.text())
                }
                (Weights::Given, _) if no_column_reported => continue,
                (Weights::Given, _) => {
                    no_column_reported = true;
                    format!(
                        "指标「{}」没有分值：表中没有「分值」或「权重」列",
                        ind.name.text()
                    )
                }
            };
            let src = diags.src();
            diags.errors.push(ImportError::MissingWeight {
                at: at.at,
                message,
                help: MISSING_WEIGHT_HELP.to_owned(),
                span: at.span.map(Into::into),
                src: at.span.and(src),
            });
        }
        if let Some(warning) = weights_from_reported(goal.number, &from_reported, total) {
            diags.warnings.push(warning);
        }
        if goal.weight.is_none() {
            goal.weight = sum_of_weights(goal);
        }
    }
}

/// The warning for goal `number` when the indicators at `cells`, of `total`, took their
/// reported scores as weights; `None` when none did.
fn weights_from_reported(number: usize, cells: &[String], total: usize) -> Option<ImportWarning> {
    let (first, last) = (cells.first()?, cells.last()?);
    let mut help = if cells.len() == total {
        "本目标各项指标的权重取自「得分」列（".to_owned()
    } else {
        format!("本目标有 {} 项指标的权重取自「得分」列（", cells.len())
    };
    help.push_str(first);
    if cells.len() > 1 {
        let _ = write!(help, " 至 {last}");
    }
    help.push_str(
        "）；自评得分低于分值的指标会因此权重偏小。若表上有各指标的分值，请加一列「分值」填写",
    );
    let which = if cells.len() == total {
        "的指标".to_owned()
    } else {
        format!("有 {} 项指标", cells.len())
    };
    Some(ImportWarning::WeightsFromReported {
        goal: number,
        which,
        help,
    })
}

/// A goal's points when the input gives none: the sum of its indicators' weights, if it
/// fits.
fn sum_of_weights(goal: &DraftGoal) -> Option<Field> {
    let sum = goal
        .indicators
        .iter()
        .filter_map(|i| i.weight.as_ref().and_then(Field::number))
        .try_fold(Decimal::ZERO, Decimal::checked_add)?;
    Some(
        Field::new(Val::Num(sum), goal.name.from.clone())
            .with_note("表中没有目标分值，取各指标权重之和"),
    )
}

pub(crate) const MISSING_WEIGHT_HELP: &str = "在表中加一列「分值」（或「权重」）填写每项指标的分值；若表上只有自评得分，可加 --weights reported，按自评得分作为权重（每个目标会给出一条警告）";
