//! PDF files: the text layer's characters, placed where the page draws them, rebuilt into
//! the rows and columns of the form's table and read as the form's extracted text is.
//!
//! Input: the bytes of a `.pdf` file and the [`Limits`]. Output: a [`Grid`] of the
//! rebuilt rows (tab-separated text, as `grid::lines` reads the seed text, kept as the
//! grid's source so that diagnostics label it), cells named by page, row and column
//! (`第 2 页第 5 行第 3 列`), and a warning for each page whose columns had to be
//! guessed (a table drawn without rules).
//!
//! Refused, each with its own diagnostic: bytes that are not a PDF or a PDF lopdf cannot
//! parse (`document`), a PDF encrypted with a password (`encrypted`), one whose pages
//! draw no text (a scan, `scanned`), and more pages than [`Limits::pages`].
//! Invariants: every `FlateDecode` stream is measured against
//! [`Limits::unzipped_bytes`] before lopdf inflates any (`stream::check_size`); the rows
//! count against [`Limits::sheet_cells`]; no text is lost silently: a character without a
//! Unicode mapping reads as U+FFFD.

mod content;
mod font;
mod layout;
mod stream;

use lopdf::Document;

use super::error::{ImportError, ImportWarning, Scan};
use super::grid::{self, Grid, Place};
use crate::limits::Limits;

const HELP: &str = "用 PDF 阅读器打开文件确认能正常显示；若能显示，可「打印」为新的 PDF 后再导入，或向填报单位索取 Word、Excel 原文件";

/// The grid of a PDF's rebuilt table rows, and the warnings about guessed layouts.
pub(crate) fn grid(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Grid, Vec<ImportWarning>), Vec<ImportError>> {
    let one = |e: ImportError| vec![e];
    let Some(start) = bytes.windows(5).take(1024).position(|w| w == b"%PDF-") else {
        return Err(one(not_pdf(
            name,
            "文件开头没有 %PDF-，不是 PDF 文件".to_owned(),
        )));
    };
    let bytes = &bytes[start..];
    stream::check_size(name, bytes, limits).map_err(|e| one(e.into()))?;
    let encrypted = bytes.windows(8).any(|w| w == b"/Encrypt");
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if encrypted => return Err(one(encrypted_error(name))),
        Err(e) => return Err(one(not_pdf(name, format!("PDF 文件已损坏（{e}）")))),
    };
    // lopdf removes /Encrypt once the empty user password has decrypted the file.
    if doc.is_encrypted() {
        return Err(one(encrypted_error(name)));
    }
    let pages = doc.get_pages();
    limits
        .check_pages(name, pages.len())
        .map_err(|e| one(e.into()))?;

    let mut drawn = Vec::with_capacity(pages.len());
    for &id in pages.values() {
        let mut reader = content::Reader::new(&doc, id, limits);
        for stream_id in doc.get_page_contents(id) {
            let Some(data) = doc
                .get_object(stream_id)
                .ok()
                .and_then(|o| o.as_stream().ok())
                .and_then(|s| stream::content(s, limits))
            else {
                continue;
            };
            if let Ok(ops) = lopdf::content::Content::decode(&data) {
                reader.run(&ops.operations);
            }
        }
        if reader.page.overflow {
            // More characters than a sheet may have cells: the same bound, the same error.
            let over = limits.sheet_cells.saturating_add(1);
            limits
                .check_table_cells(name, over)
                .map_err(|e| one(e.into()))?;
        }
        drawn.push(reader.page);
    }
    let glyphs: usize = drawn.iter().map(|p| p.glyphs.len()).sum();

    let mut text = String::new();
    let mut places = Vec::new();
    let mut warnings = Vec::new();
    let mut cells = 0usize;
    for (number, laid) in (1u32..).zip(layout::pages(&drawn)) {
        if laid.guessed {
            warnings.push(ImportWarning::GuessedLayout {
                page: number,
                name: name.to_owned(),
            });
        }
        for (r, row) in laid.rows.iter().enumerate() {
            let width = row.cells.last().map_or(0, |c| c.0 + 1);
            cells = cells.saturating_add(width);
            limits
                .check_table_cells(name, cells)
                .map_err(|e| one(e.into()))?;
            let mut line = vec![String::new(); width];
            for (c, t) in &row.cells {
                line[*c] = t.replace(['\t', '\n', '\r'], " ");
            }
            text.push_str(&line.join("\t"));
            text.push('\n');
            places.push((number, u32::try_from(r + 1).unwrap_or(u32::MAX)));
        }
    }
    if glyphs == 0 {
        return Err(one(ImportError::Scanned {
            name: name.to_owned(),
            found: Scan::Pages(pages.len()),
        }));
    }
    let source_name = format!("{name}（提取的文字）");
    let mut grid = grid::lines(&source_name, text.as_bytes(), b'\t').map_err(one)?;
    grid.place = Place::Pages(places);
    Ok((grid, warnings))
}

fn not_pdf(name: &str, reason: String) -> ImportError {
    ImportError::Document {
        name: name.to_owned(),
        reason,
        help: HELP.to_owned(),
    }
}

fn encrypted_error(name: &str) -> ImportError {
    ImportError::Encrypted {
        name: name.to_owned(),
        help: "在 PDF 阅读器中输入密码打开，「打印」为新的 PDF（不设密码）后再导入；或向填报单位索取未加密的文件".to_owned(),
    }
}
