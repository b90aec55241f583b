//! Importing forms: a spreadsheet, a Word document, a CSV file or the form's extracted
//! text, converted to the TOML layout pinned in README.md.
//!
//! Input: the bytes of one file, the [`Format`] its name says, and [`Options`] (where
//! weights come from, which sheet). Output: [`Imported`], the form as TOML text in the
//! pinned layout plus the [`ImportWarning`]s to show, or [`ImportErrors`] listing every
//! cell that could not be read, each named like a spreadsheet names it (`Sheet1!F12`, or
//! `第 12 行第 6 列` in a text or CSV file, with a labelled span into the text, or
//! `表 2 第 12 行第 6 列` in a Word document).
//!
//! Every input is first turned into a grid of cells: tab-separated lines or CSV records
//! (`grid`), a worksheet (`xlsx`), or a Word document's tables and paragraphs (`docx`).
//! The grid's headers say which layout it is in:
//! - the **printed form** (`printed`): header rows, the budget block, `年度目标N: (P分)`
//!   rows, and an indicator table under a 一级指标/二级指标/三级指标 header, with level
//!   names written once per block;
//! - the **flat table** (`flat`): one row per indicator under a header with 目标 and
//!   三级指标 columns.
//!
//! Both give a draft form that `emit` writes as TOML, with a comment above every value
//! naming the cell it came from, so that a later diagnostic pointing into the TOML still
//! leads to the cell.
//!
//! Invariants: no file I/O, no floating point kept (a spreadsheet's number is read through
//! its shortest round-trip text as an exact decimal), nothing panics whatever the input;
//! every target, actual and fund written to the TOML parsed with
//! [`parse_value`](crate::form::parse_value), and every weight, score and amount is a
//! number; a weight taken from a reported score is always announced by a warning.

mod cells;
mod docx;
mod draft;
mod emit;
mod error;
mod flat;
mod format;
mod grid;
mod package;
mod pdf;
mod printed;
mod reason;
mod xlsx;

pub use error::{ImportError, ImportErrors, ImportWarning, Scan};
pub use format::Format;

use draft::Draft;
use grid::Grid;

use crate::limits::{LimitError, Limits, Over};

/// Where indicator weights come from when the input has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Weights {
    /// The input must give every weight (a 分值 or 权重 column).
    #[default]
    #[cfg_attr(feature = "cli", value(help = "输入须给出每项指标的分值"))]
    Given,
    /// An indicator without a weight takes its reported score (自评得分) as its weight,
    /// with a warning for each goal where that happened.
    #[cfg_attr(
        feature = "cli",
        value(help = "没有分值的指标以自评得分作为分值（每个这样的目标给出一条警告）")
    )]
    Reported,
}

impl Weights {
    /// Every way, in the order `--weights` lists them.
    pub const ALL: [Weights; 2] = [Weights::Given, Weights::Reported];

    /// Its word, as `--weights` and the workbench's `weights=` take it: `given`, `reported`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Weights::Given => "given",
            Weights::Reported => "reported",
        }
    }

    /// The way [`Weights::key`] names.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Weights> {
        Weights::ALL.into_iter().find(|w| w.key() == key)
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where indicator weights come from when the input has none.
    pub weights: Weights,
    /// The worksheet to read (workbooks only); by default the first one in a layout this
    /// module recognises.
    pub sheet: Option<String>,
}

/// A converted form.
#[derive(Debug)]
pub struct Imported {
    /// The form in the pinned TOML layout, with a comment above each value naming the
    /// cell it came from.
    pub toml: String,
    /// Everything the conversion assumed: weights taken from reported scores, repaired
    /// level names, percentages read from number cells.
    pub warnings: Vec<ImportWarning>,
}

/// Converts the file `name` (used in messages and in the TOML's header comment), whose
/// content is `bytes`, from `format` to the TOML layout.
///
/// # Errors
/// [`ImportErrors`] listing every problem: an encoding that is neither UTF-8 nor GBK, a
/// workbook that cannot be opened, a layout that is not recognised, a missing column, a
/// cell that cannot be read, a missing weight (see [`Weights`]).
pub fn import(
    name: &str,
    bytes: &[u8],
    format: Format,
    options: &Options,
) -> Result<Imported, ImportErrors> {
    import_with_limits(name, bytes, format, options, &Limits::default())
}

/// As [`import`], within `limits`: a file larger than [`Limits::form_bytes`] is refused
/// before it is decoded, a workbook whose parts inflate past [`Limits::unzipped_bytes`]
/// before any is read, a sheet with more than [`Limits::sheet_cells`] cells as soon as it
/// has, and a form with too many goals, indicators or entries before its TOML is written.
///
/// # Errors
/// As [`import`]; a limit passed is reported alone.
pub fn import_with_limits(
    name: &str,
    bytes: &[u8],
    format: Format,
    options: &Options,
    limits: &Limits,
) -> Result<Imported, ImportErrors> {
    let fail = |errors: Vec<ImportError>| ImportErrors {
        name: name.to_owned(),
        errors,
    };
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    limits
        .check_form_bytes(name, len)
        .map_err(|e| fail(vec![e.into()]))?;
    let mut warnings = Vec::new();
    let grid = match format {
        Format::Text => grid::lines(name, bytes, b'\t').map_err(|e| fail(vec![e]))?,
        Format::Csv => grid::csv(name, bytes).map_err(|e| fail(vec![e]))?,
        Format::Workbook => {
            xlsx::grid(name, bytes, options.sheet.as_deref(), limits).map_err(fail)?
        }
        Format::Word => docx::grid(name, bytes, limits).map_err(fail)?,
        Format::Pdf => {
            let (grid, guessed) = pdf::grid(name, bytes, limits).map_err(fail)?;
            warnings = guessed;
            grid
        }
    };
    let mut imported = convert(name, &grid, options, limits).map_err(fail)?;
    imported.warnings.splice(0..0, warnings);
    Ok(imported)
}

/// Which of the two layouts a grid is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Printed,
    Flat,
}

/// The layout of a grid, by its headers: a flat header row (目标 and 三级指标 columns);
/// else `年度目标N` rows, a 预算执行情况 block or a 年度总体目标 row (printed); else a
/// header that looks flat but lacks a column (reported as missing); else a printed-form
/// indicator header.
pub(crate) fn detect(grid: &Grid) -> Option<Layout> {
    if flat::header_row(grid).is_some() {
        Some(Layout::Flat)
    } else if printed::has_goal_rows(grid) || printed::has_printed_blocks(grid) {
        Some(Layout::Printed)
    } else if flat::loose_header_row(grid).is_some() {
        Some(Layout::Flat)
    } else if printed::looks_printed(grid) {
        Some(Layout::Printed)
    } else {
        None
    }
}

fn convert(
    name: &str,
    grid: &Grid,
    options: &Options,
    limits: &Limits,
) -> Result<Imported, Vec<ImportError>> {
    let mut diags = draft::Diags::new(grid);
    let draft: Option<Draft> = match detect(grid) {
        Some(Layout::Printed) => Some(printed::read(grid, &mut diags)),
        Some(Layout::Flat) => flat::read(grid, &mut diags),
        None => {
            return Err(vec![ImportError::Layout {
                message: format!("无法识别 {name} 的版式：{}", grid.describe()),
                help: LAYOUT_HELP.to_owned(),
            }]);
        }
    };
    let Some(mut draft) = draft else {
        return Err(diags.errors);
    };
    check_counts(name, &draft, limits).map_err(|e| vec![e.into()])?;
    if draft.budget.is_none() && diags.errors.is_empty() {
        diags.errors.push(ImportError::MissingBudget {
            name: name.to_owned(),
            help: BUDGET_HELP.to_owned(),
        });
    }
    draft::resolve_weights(&mut draft, options.weights, &mut diags);
    if !diags.errors.is_empty() {
        return Err(diags.errors);
    }
    Ok(Imported {
        toml: emit::toml(name, &draft, options.weights),
        warnings: diags.warnings,
    })
}

/// The draft's goals, indicators and entries against `limits`, before its TOML is written
/// (the cells are named in no source the diagnostic could point into).
fn check_counts(name: &str, draft: &Draft, limits: &Limits) -> Result<(), LimitError> {
    let over = |name, count| Over {
        name,
        count,
        at: None,
    };
    limits.check_goals(over(name, draft.goals.len()))?;
    let indicators = draft.goals.iter().map(|g| g.indicators.len()).sum();
    limits.check_indicators(over(name, indicators))?;
    for i in draft.goals.iter().flat_map(|g| &g.indicators) {
        limits.check_entries(over(i.name.text(), i.entries.len()))?;
    }
    Ok(())
}

const LAYOUT_HELP: &str = "支持两种版式：一是按打印表格排版的自评表（有「年度目标1: (10分)」这样的行，和含「一级指标」「二级指标」「三级指标」「年初目标值」「实际完成值」「得分」的表头）；二是每行一个指标的平表，表头含「目标」「一级指标」「二级指标」「三级指标」「目标值」「实际值」，可选「权重」「自评得分」「资金」";

const BUDGET_HELP: &str = "打印版式：保留「预算执行情况」表头和其下「预算数」「执行数」所在的行；平表：加一行，「目标」写「预算执行情况」，「目标值」写预算数，「实际值」写执行数，「自评得分」写预算执行得分";

#[cfg(test)]
mod tests;
