//! A workbook's zip package, read before and beside calamine: what calamine would inflate
//! is measured first, and the few things it does not expose safely are read here.
//!
//! Input: the bytes of an `.xlsx`, `.xlsm`, `.xlsb` or `.ods` file (a zip of parts).
//! Output: `Ok` when every part inflates within [`Limits::unzipped_bytes`] (checked
//! against the sizes the zip declares, then while inflating, since a zip may declare
//! less than it holds); the zip path of a sheet (from `xl/workbook.xml` and its
//! relationships); the cells of a sheet whose formula was saved without its value.
//! Invariants: nothing is kept in memory but one buffer while measuring; a sheet's XML is
//! streamed, never read whole; bytes that are not a zip, or a zip calamine would refuse,
//! pass untouched so that calamine's own error reports them.

use std::io::{BufReader, Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use crate::limits::{Inflated, LimitError, Limits};

pub(crate) type Archive<'b> = ZipArchive<Cursor<&'b [u8]>>;

fn open(bytes: &[u8]) -> Option<Archive<'_>> {
    if !bytes.starts_with(b"PK") {
        return None;
    }
    ZipArchive::new(Cursor::new(bytes)).ok()
}

/// Refuses a package whose parts inflate to more than [`Limits::unzipped_bytes`], all
/// parts together: first by the sizes the zip declares, then by inflating each part into
/// nothing and counting. A part that cannot be inflated is left to calamine to report.
pub(crate) fn check_size(name: &str, bytes: &[u8], limits: &Limits) -> Result<(), LimitError> {
    let Some(mut zip) = open(bytes) else {
        return Ok(());
    };
    let mut declared = 0u64;
    for i in 0..zip.len() {
        if let Ok(part) = zip.by_index_raw(i) {
            declared = declared.saturating_add(part.size());
        }
    }
    limits.check_unzipped_bytes(name, declared, Inflated::Declared)?;
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        loop {
            match part.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total = total.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
                    limits.check_unzipped_bytes(name, total, Inflated::Zip)?;
                }
            }
        }
    }
    Ok(())
}

/// The zip path of the worksheet `sheet` of an `.xlsx` workbook: its `r:id` in
/// `xl/workbook.xml`, resolved through `xl/_rels/workbook.xml.rels`.
fn sheet_part(zip: &mut Archive<'_>, sheet: &str) -> Option<String> {
    let mut id = None;
    each_element(zip, "xl/workbook.xml", |e| {
        if e.local_name().as_ref() == b"sheet" && attr(e, b"name").as_deref() == Some(sheet) {
            id = attr(e, b"id");
        }
    });
    let id = id?;
    let mut target = None;
    each_element(zip, "xl/_rels/workbook.xml.rels", |e| {
        if e.local_name().as_ref() == b"Relationship" && attr(e, b"Id").as_deref() == Some(&id) {
            target = attr(e, b"Target");
        }
    });
    let target = target?;
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    };
    // The zip's own spelling of the path (part names are case-insensitive).
    let wanted = normalize(&path).to_lowercase();
    zip.file_names()
        .find(|n| normalize(n).to_lowercase() == wanted)
        .map(str::to_owned)
}

/// `xl/worksheets/../x.xml` → `xl/x.xml`; backslashes as slashes.
pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Calls `f` on every start or empty element of the part `path`, if it exists.
pub(crate) fn each_element(zip: &mut Archive<'_>, path: &str, mut f: impl FnMut(&BytesStart<'_>)) {
    let Some(name) = zip
        .file_names()
        .find(|n| n.eq_ignore_ascii_case(path))
        .map(str::to_owned)
    else {
        return;
    };
    let Ok(part) = zip.by_name(&name) else {
        return;
    };
    let mut xml = Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// The unescaped value of the attribute whose local name is `key` (`r:id` → `id`).
pub(crate) fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.decode_and_unescape_value(e.decoder())
                .ok()
                .map(std::borrow::Cow::into_owned)
        })
}

/// A formula cell saved without its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Uncached {
    /// 0-based row and column, as calamine counts them.
    pub row: u32,
    pub col: u32,
    /// The formula's text (`SUM(F2:F11)`); empty for a cell that shares another's.
    pub formula: String,
}

/// The formula cells of sheet `sheet` saved without their values (a file written by a
/// program rather than saved by Excel or WPS), the first `keep` of them and how many
/// there are in all. Empty for a workbook that is not an `.xlsx`.
///
/// A cell is one when it has an `<f>` and no `<v>`, or an empty `<v>` on a cell whose
/// type is not `str` (an empty `<v>` on a `str` cell is a formula whose value is the
/// empty text, as Excel saves `=""`).
pub(crate) fn uncached_formulas(bytes: &[u8], sheet: &str, keep: usize) -> (Vec<Uncached>, usize) {
    let mut found = Vec::new();
    let mut count = 0usize;
    let Some(mut zip) = open(bytes) else {
        return (found, count);
    };
    let Some(path) = sheet_part(&mut zip, sheet) else {
        return (found, count);
    };
    let Ok(part) = zip.by_name(&path) else {
        return (found, count);
    };
    let mut xml = Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut scan = Scan::default();
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        if let Some(cell) = scan.event(&event) {
            count += 1;
            if found.len() < keep {
                found.push(cell);
            }
        }
        buf.clear();
    }
    (found, count)
}

/// Where a sheet's XML stream is: the position calamine would give the next cell, and
/// what the current `<c>` holds.
#[derive(Default)]
struct Scan {
    row: u32,
    col: u32,
    cell: Option<CellScan>,
    /// Inside the current cell's `<f>` or `<v>`.
    in_f: bool,
    in_v: bool,
}

struct CellScan {
    row: u32,
    col: u32,
    string: bool,
    formula: Option<String>,
    /// `<v>` seen, and whether it held anything.
    value: Option<bool>,
}

impl Scan {
    /// Follows one event; a formula cell without its value when its `</c>` is reached.
    fn event(&mut self, event: &Event<'_>) -> Option<Uncached> {
        match event {
            Event::Start(e) => self.start(e, false),
            Event::Empty(e) => self.start(e, true),
            Event::Text(t) => {
                let text = t.decode().unwrap_or_default();
                self.text(&text);
                None
            }
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap_or_default();
                let c = match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                };
                self.text(c);
                None
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"f" => {
                    self.in_f = false;
                    None
                }
                b"v" => {
                    self.in_v = false;
                    None
                }
                b"c" => self.end_cell(),
                b"row" => {
                    self.row = self.row.saturating_add(1);
                    self.col = 0;
                    None
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Follows an opening (or empty, `<c/>`) tag.
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Option<Uncached> {
        match e.local_name().as_ref() {
            b"row" => {
                if let Some(r) = attr(e, b"r").and_then(|r| r.parse::<u32>().ok()) {
                    self.row = r.saturating_sub(1);
                }
                self.col = 0;
                if empty {
                    self.row = self.row.saturating_add(1);
                }
            }
            b"c" => {
                if let Some((row, col)) = attr(e, b"r").as_deref().and_then(cell_ref) {
                    self.row = row;
                    self.col = col;
                }
                self.cell = Some(CellScan {
                    row: self.row,
                    col: self.col,
                    string: attr(e, b"t").as_deref() == Some("str"),
                    formula: None,
                    value: None,
                });
                if empty {
                    return self.end_cell();
                }
            }
            b"f" => {
                if let Some(c) = &mut self.cell {
                    c.formula.get_or_insert_with(String::new);
                    self.in_f = !empty;
                }
            }
            b"v" => {
                if let Some(c) = &mut self.cell {
                    c.value.get_or_insert(false);
                    self.in_v = !empty;
                }
            }
            _ => {}
        }
        None
    }

    fn text(&mut self, text: &str) {
        let Some(c) = &mut self.cell else { return };
        if self.in_f {
            if let Some(f) = &mut c.formula {
                // A formula is shown in a message: its first 200 characters are enough.
                if f.chars().count() < 200 {
                    f.push_str(text);
                }
            }
        } else if self.in_v && !text.trim().is_empty() {
            c.value = Some(true);
        }
    }

    fn end_cell(&mut self) -> Option<Uncached> {
        self.in_f = false;
        self.in_v = false;
        self.col = self.col.saturating_add(1);
        let c = self.cell.take()?;
        let formula = c.formula?;
        let cached = match c.value {
            None => false,
            Some(held) => held || c.string,
        };
        (!cached).then(|| Uncached {
            row: c.row,
            col: c.col,
            formula: formula.trim().to_owned(),
        })
    }
}

/// `F12` → (11, 5), 0-based; `None` for anything else.
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut col = 0u32;
    for c in letters.chars() {
        let d = u32::from(c.to_ascii_uppercase()) - u32::from('A') + 1;
        col = col.checked_mul(26)?.checked_add(d)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str) -> Vec<Uncached> {
        let mut reader = Reader::from_str(xml);
        let mut s = Scan::default();
        let mut out = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => out.extend(s.event(&e)),
            }
        }
        out
    }

    #[test]
    fn formulas_without_values() {
        let found = scan(
            r#"<sheetData><row r="2"><c r="A2"><f>SUM(B1:B2)</f></c><c><f>1&amp;2</f><v/></c>
            <c r="D2" t="str"><f>""</f><v></v></c><c r="E2"><f>1</f><v>1</v></c>
            <c r="F2"><f t="shared" si="0"/></c></row><row><c><f>X</f></c></row></sheetData>"#,
        );
        let cells: Vec<(u32, u32, &str)> = found
            .iter()
            .map(|u| (u.row, u.col, u.formula.as_str()))
            .collect();
        // A2; B2 (no r: after A2); F2 (shared, no text); A3 (the row after row 2).
        assert_eq!(
            cells,
            [(1, 0, "SUM(B1:B2)"), (1, 1, "1&2"), (1, 5, ""), (2, 0, "X")]
        );
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("F12"), Some((11, 5)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref("12"), None);
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("AAAAAAAAAAAAAAAA1"), None);
        assert_eq!(normalize("xl/worksheets/../sheet.xml"), "xl/sheet.xml");
    }
}
