//! Workbooks: a worksheet's cells as a [`Grid`].
//!
//! Input: the bytes of an `.xlsx`, `.xlsm`, `.xls`, `.xlsb` or `.ods` file (calamine
//! detects which), the sheet asked for, if any, and the [`Limits`]. Output: the grid of
//! that sheet (hidden or not), or of the first visible worksheet in a layout
//! [`detect`](super::detect) recognises.
//! Invariants: a zip package is measured before calamine inflates any of it
//! ([`Limits::unzipped_bytes`]); a sheet costs what its cells cost, not what its used
//! range spans: cells are read one by one (`.xlsx`, `.xlsb`), only non-empty ones are
//! kept, rows and columns empty throughout are left out of the grid, and a sheet over
//! [`Limits::sheet_cells`] is refused. No binary floating point survives: a number cell
//! is read through its shortest round-trip decimal text into an exact decimal (a number
//! no decimal can hold exactly becomes an unreadable cell); a date cell becomes
//! `YYYY-MM-DD`; an Excel error value (`#DIV/0!`) becomes an unreadable cell, an error
//! only if the value is used. A formula saved without its value is an error (it would
//! read as empty). A merged range's value is copied down its first column into the rows
//! that hold anything, marked as merged and named by the range's top-left cell.

use std::io::Cursor;
use std::str::FromStr;

use calamine::{
    Data, DataRef, Dimensions, Reader, SheetType, SheetVisible, Sheets, open_workbook_auto_from_rs,
};
use rust_decimal::Decimal;

use super::error::ImportError;
use super::grid::{Cell, Grid, Kind, Place};
use super::package;
use super::reason::{reason, reason_of};
use crate::limits::{LimitError, Limits};
use crate::suggest::did_you_mean;

type Book<'b> = Sheets<Cursor<&'b [u8]>>;

/// How many formula cells without values one diagnostic names.
const FORMULAS_SHOWN: usize = 10;

pub(crate) fn grid(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Grid, Vec<ImportError>> {
    package::check_size(name, bytes, limits).map_err(|e| vec![e.into()])?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| vec![workbook_error(name, reason(&e))])?;
    let sheets = book.sheets_metadata().to_vec();
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    if let Some(wanted) = sheet {
        if !names.iter().any(|n| n == wanted) {
            return Err(vec![no_sheet(name, wanted, &names)]);
        }
        let grid = read_sheet(&mut book, name, wanted, limits)?;
        formulas(name, bytes, &grid, wanted)?;
        return Ok(grid);
    }
    let visible =
        |s: &calamine::Sheet| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet;
    let mut tried = Vec::new();
    let mut uncached = Vec::new();
    for s in sheets.iter().filter(|s| visible(s)) {
        let grid = read_sheet(&mut book, name, &s.name, limits)?;
        if super::detect(&grid).is_some() {
            formulas(name, bytes, &grid, &s.name)?;
            return Ok(grid);
        }
        if let Err(mut e) = formulas(name, bytes, &grid, &s.name) {
            uncached.append(&mut e);
        }
        tried.push(grid.describe());
    }
    let hidden: Vec<&str> = sheets
        .iter()
        .filter(|s| !visible(s))
        .map(|s| s.name.as_str())
        .collect();
    let mut help = format!(
        "{}。若表格在某个工作表中，可用 --sheet 指定",
        super::LAYOUT_HELP
    );
    if !hidden.is_empty() {
        help.push_str(&format!(
            "；隐藏的工作表和图表页不会自动读取：{}",
            hidden
                .iter()
                .map(|h| crate::text::quoted(h))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    let mut errors = vec![ImportError::Layout {
        message: if tried.is_empty() {
            format!("工作簿 {name} 中没有可见的工作表")
        } else {
            format!("无法识别 {name} 中任何工作表的版式：{}", tried.join("；"))
        },
        help,
    }];
    errors.append(&mut uncached);
    Err(errors)
}

fn workbook_error(name: &str, reason: String) -> ImportError {
    ImportError::Workbook {
        name: name.to_owned(),
        reason,
    }
}

fn no_sheet(name: &str, wanted: &str, names: &[String]) -> ImportError {
    let mut help = format!("本工作簿的工作表：{}", names.join("、"));
    if let Some(near) = did_you_mean(wanted, names.iter().map(String::as_str)) {
        help.push_str(&format!("。您是否想写 --sheet {near}？"));
    }
    ImportError::NoSheet {
        name: name.to_owned(),
        sheet: wanted.to_owned(),
        help,
    }
}

/// An error naming the formula cells of `sheet` saved without their values, if any.
fn formulas(name: &str, bytes: &[u8], grid: &Grid, sheet: &str) -> Result<(), Vec<ImportError>> {
    let (found, count) = package::uncached_formulas(bytes, sheet, FORMULAS_SHOWN);
    let Some(first) = found.first() else {
        return Ok(());
    };
    let at = |u: &package::Uncached| grid.name(u.row.saturating_add(1), u.col.saturating_add(1));
    let mut message = if first.formula.is_empty() {
        "公式没有保存计算结果，读出来会是空的".to_owned()
    } else {
        format!(
            "公式{}没有保存计算结果，读出来会是空的",
            crate::text::quoted(&format!("={}", first.formula))
        )
    };
    if count > 1 {
        let others: Vec<String> = found.iter().skip(1).map(at).collect();
        let more = if count > found.len() { "等" } else { "" };
        message.push_str(&format!(
            "；本表共 {count} 个这样的单元格，另有 {}{more}",
            others.join("、")
        ));
    }
    Err(vec![ImportError::UncachedFormula {
        at: at(first),
        message,
        file: name.to_owned(),
    }])
}

/// The grid of one sheet, its cells read one by one where the format allows.
fn read_sheet(
    book: &mut Book<'_>,
    name: &str,
    sheet: &str,
    limits: &Limits,
) -> Result<Grid, Vec<ImportError>> {
    let sheet_error =
        |reason: String| vec![workbook_error(name, format!("工作表「{sheet}」：{reason}"))];
    let mut cells = Cells::new(name, sheet, limits);
    match book {
        Sheets::Xlsx(x) => {
            let mut reader = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| sheet_error(reason_of(e)))?;
            while let Some(c) = reader.next_cell().map_err(|e| sheet_error(reason_of(e)))? {
                cells
                    .push(c.get_position(), c.get_value())
                    .map_err(|e| vec![e.into()])?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| sheet_error(reason_of(e)))?;
            while let Some(c) = reader.next_cell().map_err(|e| sheet_error(reason_of(e)))? {
                cells
                    .push(c.get_position(), c.get_value())
                    .map_err(|e| vec![e.into()])?;
            }
        }
        Sheets::Xls(_) | Sheets::Ods(_) => {
            // Both formats are read whole when the workbook is opened: the range exists.
            let range = book
                .worksheet_range(sheet)
                .map_err(|e| sheet_error(reason(&e)))?;
            for (r, c, data) in range.used_cells() {
                let (row0, col0) = range.start().unwrap_or((0, 0));
                let pos = (
                    row0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                    col0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
                );
                cells.push_data(pos, data).map_err(|e| vec![e.into()])?;
            }
        }
    }
    let merges = merged(book, sheet);
    cells.into_grid(&merges).map_err(|e| vec![e.into()])
}

/// The merged ranges of a sheet, where the format records them.
fn merged(book: &mut Book<'_>, sheet: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.worksheet_merge_cells(sheet).and_then(Result::ok),
        Sheets::Xls(x) => x.worksheet_merge_cells(sheet),
        Sheets::Xlsb(_) | Sheets::Ods(_) => None,
    }
    .unwrap_or_default()
}

/// A non-empty cell as read: 0-based position, text and kind, and for a merged range's
/// value copied down, the 0-based position of the range's top-left cell that names it.
struct Read {
    row: u32,
    col: u32,
    text: String,
    kind: Kind,
    merged_from: Option<(u32, u32)>,
}

/// The non-empty cells of a sheet as they are read, within [`Limits::sheet_cells`].
struct Cells<'a> {
    name: &'a str,
    sheet: &'a str,
    limits: &'a Limits,
    cells: Vec<Read>,
}

impl<'a> Cells<'a> {
    fn new(name: &'a str, sheet: &'a str, limits: &'a Limits) -> Self {
        Cells {
            name,
            sheet,
            limits,
            cells: Vec::new(),
        }
    }

    fn over(&self, count: usize) -> Result<(), LimitError> {
        self.limits.check_sheet_cells(self.name, self.sheet, count)
    }

    fn push(&mut self, pos: (u32, u32), value: &DataRef<'_>) -> Result<(), LimitError> {
        if matches!(value, DataRef::Empty) {
            return Ok(());
        }
        self.push_data(pos, &Data::from(value.clone()))
    }

    fn push_data(&mut self, (row, col): (u32, u32), data: &Data) -> Result<(), LimitError> {
        let (text, kind) = cell_text(data);
        if text.is_empty() {
            return Ok(());
        }
        self.over(self.cells.len() + 1)?;
        self.cells.push(Read {
            row,
            col,
            text,
            kind,
            merged_from: None,
        });
        Ok(())
    }

    /// The grid: merged values copied down, then rows and columns that hold nothing left
    /// out, each row up to its last non-empty cell.
    fn into_grid(mut self, merges: &[Dimensions]) -> Result<Grid, LimitError> {
        // Cells in reading order; where a position is written twice, the last one counts.
        self.cells.sort_by_key(|c| (c.row, c.col));
        let mut cells: Vec<Read> = Vec::with_capacity(self.cells.len());
        for c in std::mem::take(&mut self.cells) {
            match cells.last_mut() {
                Some(last) if (last.row, last.col) == (c.row, c.col) => *last = c,
                _ => cells.push(c),
            }
        }
        self.cells = cells;
        self.fill_merges(merges)?;

        let mut columns: Vec<u32> = self.cells.iter().map(|c| c.col).collect();
        columns.sort_unstable();
        columns.dedup();
        let index = |col: u32| columns.binary_search(&col).unwrap_or(0);
        // What the grid will hold, counted before it is allocated.
        let mut size = 0usize;
        for (i, c) in self.cells.iter().enumerate() {
            let last_of_row = self.cells.get(i + 1).is_none_or(|n| n.row != c.row);
            if last_of_row {
                size = size.saturating_add(index(c.col) + 1);
            }
        }
        self.over(size)?;

        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut current: Option<u32> = None;
        for c in self.cells {
            let row_no = c.row.saturating_add(1);
            if current != Some(c.row) {
                current = Some(c.row);
                rows.push(Vec::new());
            }
            let Some(row) = rows.last_mut() else { continue };
            let i = index(c.col);
            while row.len() < i {
                let col_no = columns[row.len()].saturating_add(1);
                row.push(Cell::blank(row_no, col_no));
            }
            let (from_row, from_col) = c.merged_from.unwrap_or((c.row, c.col));
            row.push(Cell {
                text: c.text,
                row: from_row.saturating_add(1),
                col: from_col.saturating_add(1),
                span: None,
                kind: c.kind,
                merged: c.merged_from.is_some(),
            });
        }
        Ok(Grid {
            place: Place::Sheet(self.sheet.to_owned()),
            source: None,
            encoding: None,
            rows,
            columns: columns.iter().map(|c| c.saturating_add(1)).collect(),
        })
    }

    /// Copies each merged range's value down its first column, into the rows below its
    /// top that hold a non-empty cell and nothing in that column. The rows visited, all
    /// ranges together, count against the limit too, so that overlapping ranges cannot
    /// make this quadratic.
    fn fill_merges(&mut self, merges: &[Dimensions]) -> Result<(), LimitError> {
        let mut added: Vec<Read> = Vec::new();
        let mut visited = 0usize;
        for m in merges {
            let ((top, left), (bottom, _)) = (m.start, m.end);
            let Ok(at) = self
                .cells
                .binary_search_by_key(&(top, left), |c| (c.row, c.col))
            else {
                continue;
            };
            let source = &self.cells[at];
            let start = self.cells.partition_point(|c| c.row <= top);
            let mut i = start;
            while let Some(c) = self.cells.get(i).filter(|c| c.row <= bottom) {
                let row = c.row;
                let end = self.cells[i..].partition_point(|c| c.row == row) + i;
                visited += 1;
                self.over(visited)?;
                if !self.cells[i..end].iter().any(|c| c.col == left) {
                    self.over(self.cells.len() + added.len() + 1)?;
                    added.push(Read {
                        row,
                        col: left,
                        text: source.text.clone(),
                        kind: source.kind,
                        merged_from: Some((top, left)),
                    });
                }
                i = end;
            }
        }
        self.cells.extend(added);
        self.cells.sort_by_key(|c| (c.row, c.col));
        Ok(())
    }
}

/// A cell's text and kind. Numbers go through their shortest round-trip text, read as
/// an exact decimal.
fn cell_text(data: &Data) -> (String, Kind) {
    match data {
        Data::Empty => (String::new(), Kind::Text),
        Data::String(s) => (s.trim().to_owned(), Kind::Text),
        Data::Int(i) => (i.to_string(), Kind::Number),
        Data::Float(x) => number_text(&x.to_string()),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_owned(), Kind::Text),
        Data::DateTime(d) => {
            let serial = number_text(&d.to_string());
            let in_range = serial.1 == Kind::Number
                && Decimal::from_str(&serial.0)
                    .is_ok_and(|v| v >= Decimal::ZERO && v < Decimal::from(2_958_466));
            if d.is_datetime() && in_range {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                (format!("{y:04}-{m:02}-{day:02}"), Kind::Date)
            } else {
                (
                    format!("时间或日期 {}（Excel 序列值）无法读取", serial.0),
                    Kind::Unreadable,
                )
            }
        }
        Data::DateTimeIso(s) => {
            let date = s.get(..10).filter(|d| super::cells::date(d).is_some());
            match date {
                Some(d) => (d.to_owned(), Kind::Date),
                None => (s.clone(), Kind::Text),
            }
        }
        Data::DurationIso(s) => (s.clone(), Kind::Text),
        Data::Error(e) => (format!("单元格是 Excel 错误值 {e}"), Kind::Unreadable),
    }
}

/// The exact decimal of a number's shortest round-trip text (`0.1`, `12174.8`), or an
/// unreadable cell.
fn number_text(shortest: &str) -> (String, Kind) {
    match Decimal::from_str_exact(shortest) {
        Ok(d) => (d.normalize().to_string(), Kind::Number),
        Err(_) => (
            format!("数字 {shortest} 超出可精确表示的范围（最多 28 位有效数字）"),
            Kind::Unreadable,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_exact() {
        assert_eq!(
            number_text("12174.80"),
            ("12174.8".to_owned(), Kind::Number)
        );
        let (text, kind) = cell_text(&Data::Float(0.1 + 0.2));
        // The stored binary value's shortest text, exactly: not rounded to 0.3.
        assert_eq!((text.as_str(), kind), ("0.30000000000000004", Kind::Number));
        let (text, kind) = cell_text(&Data::Float(1025.68));
        assert_eq!((text.as_str(), kind), ("1025.68", Kind::Number));
        let (text, kind) = cell_text(&Data::Float(2.0));
        assert_eq!((text.as_str(), kind), ("2", Kind::Number));
        let (_, kind) = cell_text(&Data::Float(1e30));
        assert_eq!(kind, Kind::Unreadable);
        let (_, kind) = cell_text(&Data::Float(1e-30));
        assert_eq!(kind, Kind::Unreadable);
        let (text, kind) = cell_text(&Data::Float(-0.5));
        assert_eq!((text.as_str(), kind), ("-0.5", Kind::Number));
    }

    #[test]
    fn errors_and_dates() {
        let (text, kind) = cell_text(&Data::Error(calamine::CellErrorType::Div0));
        assert_eq!(kind, Kind::Unreadable);
        assert!(text.contains("#DIV/0!"), "{text}");
        let d = calamine::ExcelDateTime::new(44658.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell_text(&Data::DateTime(d)),
            ("2022-04-07".to_owned(), Kind::Date)
        );
        let d = calamine::ExcelDateTime::new(1e300, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(d)).1, Kind::Unreadable);
        assert_eq!(
            cell_text(&Data::DateTimeIso("2022-04-07T00:00:00".into())),
            ("2022-04-07".to_owned(), Kind::Date)
        );
    }

    #[test]
    fn not_a_workbook() {
        let err = grid("x.xlsx", b"not a workbook", None, &Limits::default()).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(matches!(err[0], ImportError::Workbook { .. }));
    }
}
