//! Grids of cells: what every input becomes before its layout is read.
//!
//! Input: the bytes of a text or CSV file (decoded as UTF-8, else GB18030), a
//! worksheet's cells (built by `xlsx`), a Word document's (built by `docx`) or a PDF's
//! rebuilt rows (built by `pdf`). Output: a [`Grid`]: rows of trimmed cell texts, each
//! cell knowing its 1-based row and column and, for text inputs, the byte span of
//! its text in the decoded file, so that a diagnostic names `Sheet1!F12` or
//! `第 12 行第 6 列` and can label the cell.
//! Invariants: a cell's span, when present, lies on `char` boundaries of `Grid::source`;
//! in a text or CSV file, `rows[r][c]` is the cell at row `r + 1`, column `c + 1` unless
//! a repair moved it; a worksheet's grid leaves out the rows and columns that hold
//! nothing (`Grid::columns` names the column of each index). A cell's own `row`/`col`
//! always say where it came from.

use std::borrow::Cow;
use std::iter::Peekable;
use std::str::CharIndices;

use crate::source::{Source, Span};

use super::error::ImportError;

/// What kind of value a cell held in a workbook; text inputs hold only text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// A number cell: its text is the number's shortest exact decimal.
    Number,
    /// A date cell: its text is `YYYY-MM-DD`.
    Date,
    /// A cell that cannot be read (an Excel error value, a number too large to hold
    /// exactly): its text says why; an error if the value is used.
    Unreadable,
}

/// One cell.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// The text, trimmed.
    pub text: String,
    /// 1-based row of the cell the text came from.
    pub row: u32,
    /// 1-based column of the cell the text came from.
    pub col: u32,
    /// The trimmed text's span in the decoded text file.
    pub span: Option<Span>,
    pub kind: Kind,
    /// The text was copied from the top-left cell of a merged range (`row`/`col` name it).
    pub merged: bool,
}

impl Cell {
    pub(crate) fn blank(row: u32, col: u32) -> Cell {
        Cell {
            text: String::new(),
            row,
            col,
            span: None,
            kind: Kind::Text,
            merged: false,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// How cells are named in messages.
#[derive(Debug, Clone)]
pub(crate) enum Place {
    /// A worksheet: `Sheet1!F12`.
    Sheet(String),
    /// A text or CSV file: `第 12 行第 6 列`.
    Lines,
    /// A Word document: what each row of the grid is, `表 2 第 12 行第 6 列` or `第 3 段`.
    Document(Vec<Origin>),
    /// The rows rebuilt from a PDF: each row's page and its row on that page,
    /// `第 2 页第 5 行第 3 列`.
    Pages(Vec<(u32, u32)>),
}

/// Where a row of a Word document's grid came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A paragraph of the body, its 1-based number (empty ones counted).
    Paragraph(u32),
    /// A table row: the 1-based table, and the row within it.
    Table { table: u32, row: u32 },
}

/// Where a value came from: a cell's name and, for text inputs, its span.
#[derive(Debug, Clone, Default)]
pub(crate) struct Loc {
    pub at: String,
    pub span: Option<Span>,
}

/// A table of cells.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub place: Place,
    /// The decoded text of a text or CSV file, for labelled diagnostics.
    pub source: Option<Source>,
    /// How a text file was decoded: `UTF-8` or `GBK（GB18030）`.
    pub encoding: Option<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// A worksheet's 1-based column number at each index of a row, its empty columns left
    /// out; empty when index `c` is column `c + 1` (text and CSV files).
    pub columns: Vec<u32>,
}

impl Grid {
    /// An empty cell at index `index` of sheet row `row`, for a cell a row does not reach.
    pub(crate) fn blank(&self, row: u32, index: usize) -> Cell {
        let col = match self.columns.get(index) {
            Some(&c) => c,
            None if self.columns.is_empty() => count(index).saturating_add(1),
            // Past the last column that holds anything: no cell name fits; the next one.
            None => self.columns.last().map_or(1, |c| c.saturating_add(1)),
        };
        Cell::blank(row, col)
    }

    /// The name of a cell's position: `Sheet1!F12`, else its row's name and `第 6 列`
    /// (`表 2 第 12 行第 6 列`), or a paragraph's name alone (a paragraph is one cell).
    pub(crate) fn name(&self, row: u32, col: u32) -> String {
        if let Place::Sheet(sheet) = &self.place {
            return format!("{}!{}{row}", quote_sheet(sheet), column_letters(col));
        }
        match self.line_name(row) {
            (name, true) => format!("{name}第 {col} 列"),
            (name, false) => name,
        }
    }

    /// The name of a row, for messages about a whole row.
    pub(crate) fn row_name(&self, row: u32) -> String {
        match &self.place {
            Place::Sheet(sheet) => format!("{} 第 {row} 行", quote_sheet(sheet)),
            _ => self.line_name(row).0,
        }
    }

    /// The name of the 1-based grid row `row` where it is not a worksheet's, and whether
    /// its cells are named by column.
    fn line_name(&self, row: u32) -> (String, bool) {
        let plain = (format!("第 {row} 行"), true);
        match &self.place {
            Place::Sheet(_) | Place::Lines => plain,
            Place::Document(origins) => match document_row(origins, row) {
                Some(Origin::Table { table, row }) => (format!("表 {table} 第 {row} 行"), true),
                Some(Origin::Paragraph(n)) => (format!("第 {n} 段"), false),
                None => plain,
            },
            Place::Pages(rows) => match page_row(rows, row) {
                Some((page, row)) => (format!("第 {page} 页第 {row} 行"), true),
                None => plain,
            },
        }
    }

    pub(crate) fn loc(&self, cell: &Cell) -> Loc {
        Loc {
            at: self.name(cell.row, cell.col),
            span: cell.span,
        }
    }

    /// A short description for a "layout not recognised" message.
    pub(crate) fn describe(&self) -> String {
        let what = match &self.place {
            Place::Sheet(sheet) => format!("工作表「{sheet}」"),
            Place::Lines => "文件".to_owned(),
            Place::Document(_) => "文档".to_owned(),
            Place::Pages(_) => "PDF 文件".to_owned(),
        };
        let rows = self
            .rows
            .iter()
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .count();
        format!("{what}有 {rows} 个非空行，但找不到指标表的表头")
    }
}

/// What the 1-based grid row `row` of a document is.
fn document_row(origins: &[Origin], row: u32) -> Option<Origin> {
    let index = usize::try_from(row.checked_sub(1)?).ok()?;
    origins.get(index).copied()
}

/// The page and row on it of the 1-based grid row `row` of a PDF.
fn page_row(rows: &[(u32, u32)], row: u32) -> Option<(u32, u32)> {
    let index = usize::try_from(row.checked_sub(1)?).ok()?;
    rows.get(index).copied()
}

/// `Sheet1`, or `'My Sheet'` when the name needs quoting as Excel quotes it.
fn quote_sheet(sheet: &str) -> Cow<'_, str> {
    if !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        Cow::Borrowed(sheet)
    } else {
        Cow::Owned(format!("'{}'", sheet.replace('\'', "''")))
    }
}

/// 1 → `A`, 26 → `Z`, 27 → `AA`.
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = col;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

// ---------------------------------------------------------------------------------------
// Decoding.

#[cfg(test)]
const UTF8: &str = "UTF-8";
#[cfg(test)]
const GBK: &str = "GBK（GB18030）";

/// The text of a file: UTF-8 (with or without a BOM), else GB18030 (which includes GBK
/// and GB2312); anything else is an error saying what the bytes look like (see
/// [`crate::source::decode`]).
pub(crate) fn decode(name: &str, bytes: &[u8]) -> Result<(String, &'static str), ImportError> {
    match crate::source::decode(bytes) {
        Ok((text, encoding)) => Ok((text, encoding.name())),
        Err(e) => Err(encoding_error(name, e)),
    }
}

fn encoding_error(name: &str, e: crate::source::Undecodable) -> ImportError {
    let help = if e.document {
        "把文件扩展名改回原来的（.xlsx、.docx、.pdf 等）再导入，或在 Excel 中「另存为」→「CSV UTF-8（逗号分隔）(*.csv)」"
    } else {
        "在 Excel 中「另存为」→「CSV UTF-8（逗号分隔）(*.csv)」；或用记事本打开，「另存为」时把编码选为 UTF-8"
    };
    ImportError::Encoding {
        name: name.to_owned(),
        found: e.found,
        help: help.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// Splitting text.

/// A cell from `text[start..end]`, trimmed, with its span.
fn text_cell(text: &str, start: usize, end: usize, row: u32, col: u32) -> Cell {
    let raw = text.get(start..end).unwrap_or("");
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    let s = start + lead;
    Cell {
        text: trimmed.to_owned(),
        row,
        col,
        span: Some(Span::new(s, s + trimmed.len())),
        kind: Kind::Text,
        merged: false,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A text file split into lines and the lines at `sep` (no quoting).
pub(crate) fn lines(name: &str, bytes: &[u8], sep: u8) -> Result<Grid, ImportError> {
    let (text, encoding) = decode(name, bytes)?;
    Ok(split_lines(name, text, encoding, char::from(sep)))
}

fn split_lines(name: &str, text: String, encoding: &'static str, sep: char) -> Grid {
    let mut rows = Vec::new();
    let mut line_start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let line_end = line_start + line.len();
        let content_end = line_start + line.trim_end_matches('\r').len();
        let row = count(index + 1);
        let mut cells = Vec::new();
        let mut cell_start = line_start;
        let content = text.get(line_start..content_end).unwrap_or("");
        for (i, part) in content.split(sep).enumerate() {
            let end = cell_start + part.len();
            cells.push(text_cell(&text, cell_start, end, row, count(i + 1)));
            cell_start = end + sep.len_utf8();
        }
        rows.push(cells);
        line_start = line_end + 1;
    }
    Grid {
        place: Place::Lines,
        source: Some(Source::new(name, text)),
        encoding: Some(encoding),
        rows,
        columns: Vec::new(),
    }
}

/// A CSV file: records separated by newlines, fields by `,` (or by tabs when the first
/// line has tabs and no commas), `"` quoting with `""` for a quote.
pub(crate) fn csv(name: &str, bytes: &[u8]) -> Result<Grid, ImportError> {
    let (text, encoding) = decode(name, bytes)?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let sep = if first.contains('\t') && !first.contains(',') {
        '\t'
    } else {
        ','
    };
    let rows = split_csv(&text, sep);
    Ok(Grid {
        place: Place::Lines,
        source: Some(Source::new(name, text)),
        encoding: Some(encoding),
        rows,
        columns: Vec::new(),
    })
}

fn split_csv(text: &str, sep: char) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut line = 1u32;
    let mut record_line = 1u32;
    let mut chars = text.char_indices().peekable();
    let mut col = 1u32;
    loop {
        // One field, starting at the current position.
        let start = chars.peek().map_or(text.len(), |&(i, _)| i);
        let quoted = chars.peek().is_some_and(|&(_, c)| c == '"');
        let cell = if quoted {
            let (value, span) = quoted_field(text, sep, &mut chars, start, &mut line);
            Cell {
                text: value.trim().to_owned(),
                row: record_line,
                col,
                span: Some(span),
                kind: Kind::Text,
                merged: false,
            }
        } else {
            let end = plain_field_end(text, sep, &mut chars);
            text_cell(text, start, end.max(start), record_line, col)
        };
        row.push(cell);
        match chars.next() {
            Some((_, c)) if c == sep => col += 1,
            Some((_, '\r')) => {
                if chars.peek().is_some_and(|&(_, c)| c == '\n') {
                    chars.next();
                }
                line += 1;
                rows.push(std::mem::take(&mut row));
                record_line = line;
                col = 1;
            }
            Some((_, '\n')) => {
                line += 1;
                rows.push(std::mem::take(&mut row));
                record_line = line;
                col = 1;
            }
            Some(_) => {}
            None => {
                rows.push(row);
                break;
            }
        }
    }
    rows
}

/// A quoted CSV field starting at `start` (the cursor on its opening quote): its value,
/// `""` read as `"`, with anything between the closing quote and the separator kept as
/// text, and its span: the text inside the quotes, or the whole field when the value is
/// not written there as it reads. Counts the line breaks it holds in `line`.
fn quoted_field(
    text: &str,
    sep: char,
    chars: &mut Peekable<CharIndices<'_>>,
    start: usize,
    line: &mut u32,
) -> (String, Span) {
    chars.next();
    let mut value = String::new();
    let mut end = text.len();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            if chars.peek().is_some_and(|&(_, c)| c == '"') {
                chars.next();
                value.push('"');
            } else {
                end = i + 1;
                break;
            }
        } else {
            if c == '\n' {
                *line += 1;
            }
            value.push(c);
        }
    }
    // Anything between the closing quote and the separator is kept as text.
    let mut tail_end = end;
    while let Some(&(i, c)) = chars.peek() {
        if c == sep || c == '\n' || c == '\r' {
            break;
        }
        value.push(c);
        tail_end = i + c.len_utf8();
        chars.next();
    }
    let inner = text.get(start + 1..end.saturating_sub(1)).unwrap_or("");
    let span = if inner.trim() == value.trim() && tail_end == end {
        let lead = inner.len() - inner.trim_start().len();
        let s = start + 1 + lead;
        Span::new(s, s + inner.trim().len())
    } else {
        Span::new(start, tail_end)
    };
    (value, span)
}

/// Where an unquoted field ends: before the separator or the line break (a `\r\n`'s
/// `\r` too), the cursor left on it.
fn plain_field_end(text: &str, sep: char, chars: &mut Peekable<CharIndices<'_>>) -> usize {
    let mut end = text.len();
    while let Some(&(i, c)) = chars.peek() {
        if c == sep || c == '\n' {
            end = i;
            break;
        }
        chars.next();
    }
    if text.get(..end).is_some_and(|t| t.ends_with('\r')) {
        end - 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn column_names() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(6), "F");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
        let g = Grid {
            place: Place::Sheet("Sheet1".into()),
            source: None,
            encoding: None,
            rows: vec![],
            columns: Vec::new(),
        };
        assert_eq!(g.name(12, 6), "Sheet1!F12");
        let g = Grid {
            place: Place::Sheet("自评 表".into()),
            ..g
        };
        assert_eq!(g.name(1, 1), "'自评 表'!A1");
    }

    #[test]
    fn csv_quoting_and_spans() {
        let text = "a,\"b,\"\"c\"\"\", d \r\n\"多\n行\",x\n";
        let rows = split_csv(text, ',');
        assert_eq!(
            texts(&rows),
            [vec!["a", "b,\"c\"", "d"], vec!["多\n行", "x"], vec![""]]
        );
        let d = &rows[0][2];
        assert_eq!(d.span.map(|s| &text[s.start..s.end]), Some("d"));
        assert_eq!((rows[1][1].row, rows[1][1].col), (2, 2));
        // A quoted field with an escaped quote keeps the whole token as its span.
        let b = &rows[0][1];
        assert_eq!(
            b.span.map(|s| &text[s.start..s.end]),
            Some("\"b,\"\"c\"\"\"")
        );
        let m = &rows[1][0];
        assert_eq!(m.span.map(|s| &text[s.start..s.end]), Some("多\n行"));
        // The record after a multi-line field starts on line 4.
        let rows = split_csv("\"a\nb\",1\nc,2", ',');
        assert_eq!(rows[1][0].row, 3);
        // Unterminated quote: no panic, the rest is the field.
        let rows = split_csv("\"abc", ',');
        assert_eq!(texts(&rows), [vec!["abc"]]);
    }

    #[test]
    fn decoding() {
        let (t, e) = decode("f", "\u{feff}目标".as_bytes()).unwrap();
        assert_eq!((t.as_str(), e), ("目标", UTF8));
        let (gbk, _, _) = encoding_rs::GBK.encode("一级指标,目标值");
        let (t, e) = decode("f", &gbk).unwrap();
        assert_eq!((t.as_str(), e), ("一级指标,目标值", GBK));
        let err = decode("f.csv", b"caf\xE9 \xFF").unwrap_err();
        assert!(err.to_string().contains("第 4 个字节起：E9 20 FF"), "{err}");
        let err = decode("f.csv", b"\xFF\xFEa\x00").unwrap_err();
        assert!(err.to_string().contains("UTF-16"), "{err}");
        let err = decode(
            "f.csv",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff",
        )
        .unwrap_err();
        assert!(err.to_string().contains(".xlsx"), "{err}");
        // A Word document or a PDF named .csv: said to be one, not decoded as GB18030.
        let err = decode("f.csv", b"PK\x03\x04\x14\x00").unwrap_err();
        assert!(err.to_string().contains("Word 文档（.docx）"), "{err}");
        let err = decode("f.csv", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n").unwrap_err();
        assert!(err.to_string().contains("这是 PDF 文件，不是文本"), "{err}");
    }

    #[test]
    fn lines_keep_spans_of_trimmed_cells() {
        let g = split_lines("t.txt", "a\t b \r\n\tc".to_owned(), UTF8, '\t');
        assert_eq!(texts(&g.rows), [vec!["a", "b"], vec!["", "c"]]);
        let src = g.source.as_ref().unwrap();
        assert_eq!(src.slice(g.rows[0][1].span.unwrap()), "b");
        assert_eq!(src.slice(g.rows[1][1].span.unwrap()), "c");
        assert_eq!((g.rows[1][1].row, g.rows[1][1].col), (2, 2));
    }
}
