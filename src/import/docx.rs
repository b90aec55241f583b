//! Word documents (`.docx`): the document's tables, and the paragraphs around them, as a
//! [`Grid`] the layout readers read as they read a worksheet.
//!
//! Input: the bytes of a `.docx` file (a zip of XML parts) and the [`Limits`]. Output: a
//! grid with one row per paragraph of the body (one cell: the title, `单位名称：…`) and
//! one row per table row, its cells at their grid columns (`w:gridSpan`, `w:gridBefore`
//! counted), each cell's paragraphs and line breaks (`w:br`) kept as `\n`.
//! A vertically merged cell (`w:vMerge`) takes the text of the cell that starts the merge,
//! marked as merged and named by that cell, in rows that hold anything else (as a
//! worksheet's merged range is filled, see `xlsx`); a horizontally merged one leaves the
//! columns it spans blank. A table that continues the one before it (a table split across
//! pages: the same columns, nothing but empty paragraphs between) continues its merges.
//! Cells are named `表 2 第 12 行第 6 列` (the table, the row within it, the grid column),
//! paragraphs `第 3 段`.
//!
//! Invariants: the package is measured before any part is inflated
//! ([`Limits::unzipped_bytes`], `package::check_size`); cells, blanks between them
//! included, count against [`Limits::sheet_cells`] before they are stored; a span or a
//! skip wider than Word allows (63 columns) is cut to it; nested tables' text goes into
//! the cell that holds them; text boxes and the fallback copies of `mc:AlternateContent`
//! are left out, as are deleted revisions (`w:delText`) and field codes. An old binary
//! Word file (`.doc`, an OLE compound file, however it is named) and an encrypted
//! document (which Office also stores as an OLE file) each get their own error, and so
//! does a document of pictures without a word of text (a scan pasted into Word).

use std::collections::HashMap;
use std::io::{BufReader, Cursor};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::error::{ImportError, Scan};
use super::grid::{Cell, Grid, Origin, Place};
use super::package;
use crate::limits::{LimitError, Limits};

/// The most columns a Word table has.
const MAX_COLUMNS: u32 = 63;

/// The grid of a Word document's tables and body paragraphs.
pub(crate) fn grid(name: &str, bytes: &[u8], limits: &Limits) -> Result<Grid, Vec<ImportError>> {
    let one = |e: ImportError| vec![e];
    if let Some(e) = office_binary(name, bytes) {
        return Err(one(e));
    }
    if !bytes.starts_with(b"PK") {
        return Err(one(not_word(name, looks_like(bytes))));
    }
    package::check_size(name, bytes, limits).map_err(|e| one(e.into()))?;
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| one(not_word(name, format!("压缩包已损坏（{e}）"))))?;
    let Some(part) = main_part(&mut zip) else {
        let reason = if zip.file_names().any(|n| n.starts_with("xl/")) {
            "这是 Excel 工作簿，不是 Word 文档；请把扩展名改为 .xlsx".to_owned()
        } else {
            "压缩包中没有 word/document.xml，不是 Word 文档".to_owned()
        };
        return Err(one(not_word(name, reason)));
    };
    let file = zip
        .by_name(&part)
        .map_err(|e| one(not_word(name, format!("无法解压 {part}（{e}）"))))?;
    let mut doc = Doc::new(name, limits);
    let mut xml = Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(event) => doc.event(&event).map_err(|e| one(e.into()))?,
            Err(e) => {
                let at = xml.buffer_position();
                return Err(one(not_word(
                    name,
                    format!("{part} 第 {at} 个字节处的 XML 无法读取（{e}）"),
                )));
            }
        }
        buf.clear();
    }
    if !doc.text && doc.pictures > 0 {
        return Err(one(ImportError::Scanned {
            name: name.to_owned(),
            found: Scan::Pictures(doc.pictures),
        }));
    }
    Ok(doc.into_grid())
}

fn not_word(name: &str, reason: String) -> ImportError {
    ImportError::Document {
        name: name.to_owned(),
        reason,
        help: "用 Word 或 WPS 打开文件，「另存为」Word 文档（*.docx）后重新导入".to_owned(),
    }
}

/// The first bytes of an OLE compound file: an old binary Office file, or an encrypted
/// new one (Office keeps the encrypted package in one).
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// An old binary Word file (`.doc`) or an encrypted document, whatever its name says.
pub(crate) fn office_binary(name: &str, bytes: &[u8]) -> Option<ImportError> {
    if !bytes.starts_with(OLE) {
        return None;
    }
    // Stream names are stored in UTF-16: `EncryptedPackage` holds an encrypted .docx.
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let has = |s: &str| {
        let needle = utf16(s);
        bytes.windows(needle.len()).any(|w| w == needle)
    };
    Some(if has("EncryptedPackage") {
        ImportError::Encrypted {
            name: name.to_owned(),
            help: "用 Word 或 WPS 打开（输入密码），在「文件 → 信息 → 保护文档」中删除密码后另存，再重新导入".to_owned(),
        }
    } else {
        ImportError::OldWord {
            name: name.to_owned(),
        }
    })
}

/// What bytes that are not a zip look like, for the message.
fn looks_like(bytes: &[u8]) -> String {
    if bytes.starts_with(b"%PDF") {
        "这是 PDF 文件，不是 Word 文档；请把扩展名改为 .pdf".to_owned()
    } else if bytes.starts_with(b"{\\rtf") {
        "这是 RTF 文件，不是 Word 文档（.docx）".to_owned()
    } else if bytes.is_empty() {
        "文件是空的".to_owned()
    } else {
        "文件开头不是 Word 文档（.docx）的格式".to_owned()
    }
}

/// The zip path of the main document part: the `officeDocument` relationship of
/// `_rels/.rels`, else `word/document.xml`.
fn main_part(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let mut target = None;
    package::each_element(zip, "_rels/.rels", |e| {
        let is_main = package::attr(e, b"Type").is_some_and(|t| t.ends_with("/officeDocument"));
        if e.local_name().as_ref() == b"Relationship" && is_main {
            target = package::attr(e, b"Target");
        }
    });
    let wanted = target
        .map(|t| package::normalize(&t))
        .unwrap_or_else(|| "word/document.xml".to_owned())
        .to_lowercase();
    zip.file_names()
        .find(|n| package::normalize(n).to_lowercase() == wanted)
        .map(str::to_owned)
}

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// A table cell as read.
struct WCell {
    /// 0-based grid column.
    col: u32,
    span: u32,
    vmerge: VMerge,
    /// Its paragraphs' texts, each trimmed, empty ones left out.
    paragraphs: Vec<String>,
}

/// A table being read.
struct Table {
    /// The widths of its grid columns (`w:gridCol`).
    columns: Vec<u32>,
    rows: Vec<Vec<WCell>>,
    row: Option<Vec<WCell>>,
    cell: Option<WCell>,
    /// The grid column the next cell of the row starts at.
    cursor: u32,
}

/// The cell that starts a vertical merge: its global row and 1-based column, its text.
type MergeStart = (u32, u32, String);

/// The document as it is read: the grid's rows so far, and where the reading is.
struct Doc<'a> {
    name: &'a str,
    limits: &'a Limits,
    rows: Vec<Vec<Cell>>,
    origins: Vec<Origin>,
    cells: usize,
    paragraphs: u32,
    tables: u32,
    /// Table nesting: 1 inside a table, 2 inside a table in a cell.
    depth: u32,
    table: Option<Table>,
    /// The text of the paragraph being read, if one is.
    para: Option<String>,
    in_text: bool,
    /// Depth inside a part left out (a text box, a fallback copy); 0 outside.
    skip: u32,
    /// Whether any paragraph, in a table or not, held text.
    text: bool,
    /// Pictures drawn (`w:drawing`, or VML's `w:pict` where it is not a fallback copy).
    pictures: u32,
    /// The grid columns of the last table, and its open merges, while nothing but empty
    /// paragraphs follows it: a table after it with the same columns continues it.
    last: Option<(Vec<u32>, HashMap<u32, MergeStart>)>,
}

impl<'a> Doc<'a> {
    fn new(name: &'a str, limits: &'a Limits) -> Self {
        Doc {
            name,
            limits,
            rows: Vec::new(),
            origins: Vec::new(),
            cells: 0,
            paragraphs: 0,
            tables: 0,
            depth: 0,
            table: None,
            para: None,
            in_text: false,
            skip: 0,
            text: false,
            pictures: 0,
            last: None,
        }
    }

    fn event(&mut self, event: &Event<'_>) -> Result<(), LimitError> {
        if self.skip > 0 {
            match event {
                Event::Start(_) => self.skip += 1,
                Event::End(_) => self.skip -= 1,
                _ => {}
            }
            return Ok(());
        }
        match event {
            Event::Start(e) => self.start(e, false),
            Event::Empty(e) => self.start(e, true),
            Event::End(e) => return self.end(e.local_name().as_ref()),
            Event::Text(t) if self.in_text => {
                let text = t.decode().unwrap_or_default();
                self.push_text(&text);
            }
            Event::GeneralRef(r) if self.in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.decode().unwrap_or_default().as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    self.push_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn push_text(&mut self, text: &str) {
        if let Some(p) = &mut self.para {
            p.push_str(text);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let local = e.local_name();
        let outer = self.depth == 1;
        match local.as_ref() {
            b"txbxContent" | b"Fallback" if !empty => self.skip = 1,
            b"tbl" if !empty => {
                self.depth += 1;
                if self.depth == 1 {
                    self.table = Some(Table {
                        columns: Vec::new(),
                        rows: Vec::new(),
                        row: None,
                        cell: None,
                        cursor: 0,
                    });
                }
            }
            b"gridCol" if outer => {
                if let Some(t) = &mut self.table {
                    let w = val(e, b"w").unwrap_or(0);
                    if t.columns.len() < MAX_COLUMNS as usize * 4 {
                        t.columns.push(w);
                    }
                }
            }
            b"tr" if outer && !empty => {
                if let Some(t) = &mut self.table {
                    t.row = Some(Vec::new());
                    t.cursor = 0;
                }
            }
            b"gridBefore" if outer => {
                if let Some(t) = &mut self.table {
                    let n = val(e, b"val").unwrap_or(0).min(MAX_COLUMNS);
                    t.cursor = t.cursor.saturating_add(n);
                }
            }
            b"tc" if outer && !empty => {
                if let Some(t) = &mut self.table {
                    t.cell = Some(WCell {
                        col: t.cursor,
                        span: 1,
                        vmerge: VMerge::None,
                        paragraphs: Vec::new(),
                    });
                }
            }
            b"gridSpan" if outer => {
                if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = val(e, b"val").unwrap_or(1).clamp(1, MAX_COLUMNS);
                }
            }
            b"vMerge" if outer => {
                if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    let restart = package::attr(e, b"val").as_deref() == Some("restart");
                    c.vmerge = if restart {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                }
            }
            b"p" if !empty => {
                self.para.get_or_insert_with(String::new);
            }
            b"t" if !empty => self.in_text = true,
            b"drawing" | b"pict" => self.pictures = self.pictures.saturating_add(1),
            b"tab" => self.push_text(" "),
            b"br" | b"cr" => self.push_text("\n"),
            _ => {}
        }
    }

    fn end(&mut self, local: &[u8]) -> Result<(), LimitError> {
        match local {
            b"t" => self.in_text = false,
            b"p" => self.end_paragraph()?,
            b"tc" if self.depth == 1 => {
                if let Some(t) = &mut self.table
                    && let Some(cell) = t.cell.take()
                {
                    t.cursor = t.cursor.saturating_add(cell.span);
                    if let Some(row) = &mut t.row {
                        row.push(cell);
                    }
                }
            }
            b"tr" if self.depth == 1 => {
                if let Some(t) = &mut self.table
                    && let Some(row) = t.row.take()
                {
                    t.rows.push(row);
                }
            }
            b"tbl" => {
                if self.depth == 1
                    && let Some(t) = self.table.take()
                {
                    self.end_table(t)?;
                }
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
        Ok(())
    }

    /// A paragraph read: into its cell (in a table, a nested one too), else a row of its
    /// own when it holds anything.
    fn end_paragraph(&mut self) -> Result<(), LimitError> {
        let Some(text) = self.para.take() else {
            return Ok(());
        };
        let text = text.trim();
        self.text |= !text.is_empty();
        if self.depth > 0 {
            let cell = self.table.as_mut().and_then(|t| t.cell.as_mut());
            if let Some(c) = cell
                && !text.is_empty()
            {
                c.paragraphs.push(text.to_owned());
            }
            return Ok(());
        }
        self.paragraphs = self.paragraphs.saturating_add(1);
        if text.is_empty() {
            return Ok(());
        }
        // Text between two tables: the second one does not continue the first.
        self.last = None;
        self.count(1)?;
        let row = self.global_row();
        let mut cell = Cell::blank(row, 1);
        cell.text = text.to_owned();
        self.rows.push(vec![cell]);
        self.origins.push(Origin::Paragraph(self.paragraphs));
        Ok(())
    }

    fn count(&mut self, more: usize) -> Result<(), LimitError> {
        self.cells = self.cells.saturating_add(more);
        self.limits.check_table_cells(self.name, self.cells)
    }

    /// The 1-based number of the next row of the grid.
    fn global_row(&self) -> u32 {
        u32::try_from(self.rows.len() + 1).unwrap_or(u32::MAX)
    }

    /// A table read: its rows into the grid, merges filled.
    fn end_table(&mut self, table: Table) -> Result<(), LimitError> {
        self.tables = self.tables.saturating_add(1);
        let mut open = match self.last.take() {
            Some((columns, open)) if same_columns(&columns, &table.columns) => open,
            _ => HashMap::new(),
        };
        for (r, wrow) in table.rows.into_iter().enumerate() {
            let row_no = self.global_row();
            let width = wrow.last().map_or(0, |c| c.col.saturating_add(c.span));
            self.count(usize::try_from(width).unwrap_or(usize::MAX))?;
            let mut row: Vec<Cell> = Vec::new();
            let mut copied = Vec::new();
            for w in wrow {
                while u32::try_from(row.len()).unwrap_or(u32::MAX) < w.col {
                    let col = u32::try_from(row.len()).unwrap_or(u32::MAX);
                    row.push(Cell::blank(row_no, col.saturating_add(1)));
                }
                let text = w.paragraphs.join("\n");
                let mut cell = Cell::blank(row_no, w.col.saturating_add(1));
                match w.vmerge {
                    VMerge::Continue => {
                        if let Some((from_row, from_col, from_text)) = open.get(&w.col) {
                            cell.text.clone_from(from_text);
                            cell.row = *from_row;
                            cell.col = *from_col;
                            cell.merged = true;
                            copied.push(row.len());
                        } else {
                            cell.text = text;
                        }
                    }
                    VMerge::Restart => {
                        open.insert(w.col, (row_no, w.col.saturating_add(1), text.clone()));
                        cell.text = text;
                    }
                    VMerge::None => {
                        open.remove(&w.col);
                        cell.text = text;
                    }
                }
                row.push(cell);
            }
            // As in a worksheet: a merged value fills only rows that hold something else.
            if !row.iter().any(|c| !c.merged && !c.is_empty()) {
                for i in copied {
                    let c = &mut row[i];
                    *c = Cell::blank(row_no, c.col);
                }
            }
            self.rows.push(row);
            self.origins.push(Origin::Table {
                table: self.tables,
                row: u32::try_from(r + 1).unwrap_or(u32::MAX),
            });
        }
        self.last = Some((table.columns, open));
        Ok(())
    }

    fn into_grid(self) -> Grid {
        Grid {
            place: Place::Document(self.origins),
            source: None,
            encoding: None,
            rows: self.rows,
            columns: Vec::new(),
        }
    }
}

/// Whether two tables have the same grid columns (widths within 2 %, as Word rounds them
/// when a table is split).
fn same_columns(a: &[u32], b: &[u32]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(&x, &y)| {
            let (x, y) = (u64::from(x), u64::from(y));
            x.abs_diff(y) * 50 <= x.max(y)
        })
}

/// The attribute whose local name is `key`, as a number.
fn val(e: &BytesStart<'_>, key: &[u8]) -> Option<u32> {
    package::attr(e, key)?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Grid {
        let xml = format!(
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
        );
        let limits = Limits::default();
        let mut doc = Doc::new("t.docx", &limits);
        let mut reader = Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => doc.event(&e).expect("within limits"),
            }
        }
        doc.into_grid()
    }

    fn texts(g: &Grid) -> Vec<Vec<&str>> {
        g.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    fn tc(props: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    #[test]
    fn merges_breaks_and_names() {
        let grid = "<w:tblGrid><w:gridCol w:w=\"100\"/><w:gridCol w:w=\"100\"/><w:gridCol w:w=\"100\"/></w:tblGrid>";
        let g = read(&format!(
            "<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:p/><w:tbl>{grid}\
             <w:tr>{}{}</w:tr>\
             <w:tr>{}{}{}</w:tr>\
             <w:tr>{}{}{}</w:tr></w:tbl><w:p/>\
             <w:tbl>{grid}<w:tr>{}{}{}</w:tr></w:tbl>",
            tc("<w:gridSpan w:val=\"2\"/>", "合并"),
            tc("", "a &amp; b"),
            tc("<w:vMerge w:val=\"restart\"/>", "效益<w:br/>指标"),
            tc("", "x"),
            "<w:tc><w:p><w:r><w:t>多</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>段</w:t></w:r></w:p></w:tc>",
            tc("<w:vMerge/>", ""),
            tc("", "y"),
            tc("", "z"),
            // The next table has the same columns: it continues the merge.
            tc("<w:vMerge/>", ""),
            tc("", "w"),
            tc("", ""),
        ));
        assert_eq!(
            texts(&g),
            [
                vec!["标题"],
                vec!["合并", "", "a & b"],
                vec!["效益\n指标", "x", "多\n段"],
                vec!["效益\n指标", "y", "z"],
                vec!["效益\n指标", "w", ""],
            ]
        );
        let merged = &g.rows[3][0];
        assert!(merged.merged);
        assert_eq!(g.name(merged.row, merged.col), "表 1 第 2 行第 1 列");
        assert_eq!(
            g.name(g.rows[4][1].row, g.rows[4][1].col),
            "表 2 第 1 行第 2 列"
        );
        assert_eq!(g.name(1, 1), "第 1 段");
        assert_eq!(g.row_name(3), "表 1 第 2 行");
    }

    #[test]
    fn text_between_tables_ends_a_merge_and_boxes_are_left_out() {
        let g = read(&format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl><w:p><w:r><w:t>说明</w:t></w:r></w:p>\
             <w:tbl><w:tr>{}{}</w:tr></w:tbl>\
             <w:p><w:r><mc:AlternateContent xmlns:mc=\"m\"><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:t>框</w:t></mc:Fallback></mc:AlternateContent><w:t>正文</w:t></w:r></w:p>",
            tc("<w:vMerge w:val=\"restart\"/>", "上"),
            tc("<w:vMerge/>", ""),
            tc("", "v"),
        ));
        assert_eq!(
            texts(&g),
            [vec!["上"], vec!["说明"], vec!["", "v"], vec!["正文"]]
        );
    }

    #[test]
    fn spans_are_cut_to_word_s_width() {
        let g = read(&format!(
            "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"4000000000\"/></w:trPr>{}</w:tr></w:tbl>",
            tc("<w:gridSpan w:val=\"4000000000\"/>", "a"),
        ));
        assert_eq!(g.rows[0].len(), 64);
        assert_eq!(g.rows[0][63].text, "a");
    }
}
