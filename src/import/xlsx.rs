//! Workbooks: a worksheet's cells as a [`Grid`].
//!
//! Input: the bytes of an `.xlsx`, `.xlsm`, `.xls`, `.xlsb` or `.ods` file (calamine
//! detects which), and the sheet asked for, if any. Output: the grid of that sheet, or of
//! the first sheet in a layout [`detect`](super::detect) recognises.
//! Invariants: no binary floating point survives: a number cell is read through its
//! shortest round-trip decimal text into an exact decimal (a number no decimal can hold
//! exactly becomes an unreadable cell); a date cell becomes `YYYY-MM-DD`; an Excel error
//! value (`#DIV/0!`) becomes an unreadable cell, an error only if the value is used. A
//! merged range's value is copied down its first column, marked as merged and named
//! by the range's top-left cell.

use std::io::Cursor;
use std::str::FromStr;

use calamine::{Data, Dimensions, Range, Reader, Sheets, open_workbook_auto_from_rs};
use rust_decimal::Decimal;

use super::error::ImportError;
use super::grid::{Cell, Grid, Kind, Place};

pub(crate) fn grid(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Grid, Vec<ImportError>> {
    let workbook_error = |reason: String| {
        vec![ImportError::Workbook {
            name: name.to_owned(),
            reason,
        }]
    };
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| workbook_error(e.to_string()))?;
    let names = book.sheet_names();
    let chosen: Vec<String> = match sheet {
        Some(wanted) if names.iter().any(|n| n == wanted) => vec![wanted.to_owned()],
        Some(wanted) => {
            let mut help = format!("本工作簿的工作表：{}", names.join("、"));
            if let Some(near) = names
                .iter()
                .min_by_key(|n| strsim::levenshtein(n, wanted))
                .filter(|n| strsim::levenshtein(n, wanted) <= 2)
            {
                help.push_str(&format!("。您是否想写 --sheet {near}？"));
            }
            return Err(vec![ImportError::NoSheet {
                name: name.to_owned(),
                sheet: wanted.to_owned(),
                help,
            }]);
        }
        None => names.clone(),
    };
    let mut tried = Vec::new();
    for sheet_name in &chosen {
        let range = book
            .worksheet_range(sheet_name)
            .map_err(|e| workbook_error(format!("工作表「{sheet_name}」：{e}")))?;
        let merges = merged(&mut book, sheet_name);
        let grid = build(sheet_name, &range, &merges);
        if sheet.is_some() || super::detect(&grid).is_some() {
            return Ok(grid);
        }
        tried.push(grid.describe());
    }
    Err(vec![ImportError::Layout {
        message: if tried.is_empty() {
            format!("工作簿 {name} 中没有工作表")
        } else {
            format!("无法识别 {name} 中任何工作表的版式：{}", tried.join("；"))
        },
        help: format!(
            "{}。若表格在某个工作表中，可用 --sheet 指定",
            super::LAYOUT_HELP
        ),
    }])
}

/// The merged ranges of a sheet, where the format records them.
fn merged(book: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.worksheet_merge_cells(sheet).and_then(Result::ok),
        Sheets::Xls(x) => x.worksheet_merge_cells(sheet),
        Sheets::Xlsb(_) | Sheets::Ods(_) => None,
    }
    .unwrap_or_default()
}

fn build(sheet: &str, range: &Range<Data>, merges: &[Dimensions]) -> Grid {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (r, data_row) in range.rows().enumerate() {
        let row_no = row0
            .saturating_add(u32::try_from(r).unwrap_or(u32::MAX))
            .saturating_add(1);
        let mut cells: Vec<Cell> = (0..col0).map(|c| Cell::blank(row_no, c + 1)).collect();
        for (c, data) in data_row.iter().enumerate() {
            let col_no = col0
                .saturating_add(u32::try_from(c).unwrap_or(u32::MAX))
                .saturating_add(1);
            let (text, kind) = cell_text(data);
            cells.push(Cell {
                text,
                row: row_no,
                col: col_no,
                span: None,
                kind,
                merged: false,
            });
        }
        rows.push(cells);
    }
    // Grid row i holds sheet row row0 + i + 1.
    let index = |sheet_row: u32| usize::try_from(sheet_row.checked_sub(row0)?).ok();
    for m in merges {
        let (top, left) = m.start;
        let (Some(top_i), Ok(left_i)) = (index(top), usize::try_from(left)) else {
            continue;
        };
        let Some(source) = rows.get(top_i).and_then(|r| r.get(left_i)).cloned() else {
            continue;
        };
        if source.is_empty() {
            continue;
        }
        let last = index(m.end.0).map_or(0, |i| i.min(rows.len().saturating_sub(1)));
        for row in rows.iter_mut().take(last + 1).skip(top_i + 1) {
            if let Some(cell) = row.get_mut(left_i).filter(|c| c.is_empty()) {
                *cell = Cell {
                    merged: true,
                    ..source.clone()
                };
            }
        }
    }
    Grid {
        place: Place::Sheet(sheet.to_owned()),
        source: None,
        encoding: None,
        rows,
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
            let date = s.get(..10).filter(|d| super::text::date(d).is_some());
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
        let err = grid("x.xlsx", b"not a workbook", None).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(matches!(err[0], ImportError::Workbook { .. }));
    }
}
