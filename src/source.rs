//! Source files and spans.
//!
//! Input: a file's name and text, as the CLI read them. Output: a cheaply clonable
//! [`Source`] that diagnostics carry, the byte-offset [`Span`] every AST node and form
//! value holds, [`Printable`], a diagnostic made safe to render whatever the length of its
//! lines and the characters of its text, and [`decode`], the text of a file's bytes.
//! Invariant: a `Span` always lies on `char` boundaries of its source.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents};

mod printable;

pub use printable::{CONTEXT_LINES, LONG_LINE, Printable};

/// A half-open byte range `start..end` into one source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.start.into(), span.end.saturating_sub(span.start))
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A named text (a rule file or a form) shared by everything that points into it.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    /// The text diagnostics show: `text`, with any lone `\r` written as `\n` (miette would
    /// draw a CR inside a line); the same length, so spans fit both.
    shown: Arc<str>,
    /// Byte offsets of line starts, computed on first use and shared by clones, so citing
    /// a rule line is a binary search rather than a scan of the file.
    lines: Arc<std::sync::OnceLock<Vec<usize>>>,
    /// Where lines start as miette counts them (see [`SourceText`]), shared the same way.
    breaks: Arc<std::sync::OnceLock<Vec<usize>>>,
}

impl Source {
    /// A source called `name` (usually its path) holding `text`.
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let name: String = name.into();
        let text: Arc<str> = text.into().into();
        let shown = match lone_cr_as_lf(&text) {
            std::borrow::Cow::Borrowed(_) => Arc::clone(&text),
            std::borrow::Cow::Owned(fixed) => fixed.into(),
        };
        Self {
            name: name.into(),
            text,
            shown,
            lines: Arc::default(),
            breaks: Arc::default(),
        }
    }

    /// The name diagnostics show, usually the path as the user typed it.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text covered by `span`, or `""` if the span does not fit.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The source as miette wants it for a diagnostic.
    #[must_use]
    pub fn named(&self) -> Named {
        NamedSource::new(
            &*self.name,
            SourceText {
                text: Arc::clone(&self.shown),
                breaks: Arc::clone(&self.breaks),
            },
        )
    }

    /// 1-based line and column of a byte offset, the column counted in characters (not
    /// bytes, so a Chinese line reports the column an editor shows).
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(line_breaks(&self.text).map(|i| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let col = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, col)
    }

    /// `name:line` for a span, as explanations cite rule lines.
    #[must_use]
    pub fn cite(&self, span: Span) -> String {
        format!("{}:{}", self.name, self.line_col(span.start).0)
    }
}

/// The byte offsets of the line breaks of `text`: every `\n`, and every `\r` not followed
/// by `\n` (a file saved with the old Mac line ends, CR alone). The reader normalises
/// those, but a text given to the library directly may still have them; miette counts
/// them as line ends too.
fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        (b == b'\n' || lone_cr).then_some(i)
    })
}

/// `text` with every lone `\r` (see [`line_breaks`]) written as `\n`: the same length, so
/// that every span into `text` fits it too.
pub(crate) fn lone_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let fixed: Vec<u8> = (0..bytes.len())
        .map(|i| if lone(i) { b'\n' } else { bytes[i] })
        .collect();
    // Only an ASCII byte was replaced by another: still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(fixed).unwrap_or_else(|_| text.to_owned()))
}

/// A source as diagnostics carry it.
pub type Named = NamedSource<SourceText>;

/// A source's text for miette, reporting columns in characters, in time proportional to
/// the lines it returns rather than to the file.
///
/// miette counts the column of its `[file:line:col]` header in bytes, so on a Chinese
/// line it would be up to three times too large; editors count characters. And miette
/// reads a span by scanning the text from its start, so rendering one diagnostic per
/// line of a long file took time quadratic in its length (5,000 malformed values: 26 s).
/// Here miette's own reader runs on the text from a few lines before the span, found by
/// a binary search of the line starts, and its line numbers are moved back into place:
/// the result is exactly what miette computes on the whole text.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<str>,
    /// Offsets just past each line break as miette counts them (`\r\n`, `\r` or `\n`),
    /// computed on first use.
    breaks: Arc<std::sync::OnceLock<Vec<usize>>>,
}

/// Offsets just past each line break, counting `\r\n` once and a lone `\r` or `\n` once,
/// as miette's reader does.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                out.push(i + 2);
                i += 2;
            }
            b'\r' | b'\n' => {
                out.push(i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

impl SourceCode for SourceText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let breaks = self.breaks.get_or_init(|| line_starts(&self.text));
        // Lines broken before the span; the window starts a line before the first line
        // miette shows, so that the span never starts the window (miette treats an empty
        // span at offset 0 differently from one further on).
        let before = breaks.partition_point(|&b| b <= span.offset());
        let skipped = before.saturating_sub(context_lines_before + 1);
        let start = skipped
            .checked_sub(1)
            .and_then(|i| breaks.get(i))
            .copied()
            .unwrap_or(0);
        let window = self.text.get(start..).unwrap_or("");
        let shifted = SourceSpan::new(span.offset().saturating_sub(start).into(), span.len());
        let inner = window.read_span(&shifted, context_lines_before, context_lines_after)?;
        let whole = SourceSpan::new((inner.span().offset() + start).into(), inner.span().len());
        let column = if inner.column() == 0 {
            0
        } else {
            let offset = span.offset().min(self.text.len());
            let before = self.text.get(..offset).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            before[line_start..].chars().count()
        };
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            whole,
            inner.line() + skipped,
            column,
            inner.line_count() + skipped,
        )))
    }
}

/// The encoding a text file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// GB18030, which includes GBK and GB2312: text saved by Chinese Windows and Excel.
    Gb18030,
}

impl Encoding {
    /// Its name in messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GBK（GB18030）",
        }
    }
}

/// Bytes that are not text in an encoding jixiao reads, and what they look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    /// What the bytes look like, and where decoding failed: `这是 UTF-16 编码…`,
    /// `…（第 4 个字节起：E9 20 FF）`.
    pub found: String,
    /// Whether they look like a file jixiao imports rather than reads as text (a
    /// workbook, a Word document, a PDF), named as text.
    pub document: bool,
}

/// The text of a file: UTF-8 (a byte order mark removed), else GB18030. Anything else is
/// refused, never decoded wrongly: UTF-16 (with or without its byte order mark, which
/// GB18030 would otherwise read as garbage), a workbook, a Word document, a PDF, Big5, a Western code page, any
/// text with NUL bytes. A carriage return alone, as old Mac files end their lines, becomes
/// a line feed, so that every reader (rules, TOML, CSV, text) sees the lines.
///
/// # Errors
/// [`Undecodable`], saying what the bytes look like.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), Undecodable> {
    text_of(bytes).map(|(text, encoding)| (line_ends(text), encoding))
}

/// `text` with each carriage return that is not followed by a line feed made a line feed:
/// `a\rb\r\nc` → `a\nb\r\nc`. Both are one byte, so offsets into the text keep their
/// meaning.
fn line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

fn text_of(bytes: &[u8]) -> Result<(String, Encoding), Undecodable> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Undecodable {
            found: "这是 UTF-16 编码（Windows 称为「Unicode」），不是 UTF-8 或 GBK".to_owned(),
            document: false,
        });
    }
    // A PDF's header is text, and what follows may pass for GB18030.
    if bytes.starts_with(b"%PDF-") {
        return Err(Undecodable {
            found: "这是 PDF 文件，不是文本".to_owned(),
            document: true,
        });
    }
    // No text file jixiao reads holds a NUL byte; UTF-16 without its mark is full of them
    // (and would pass as UTF-8 or GB18030).
    let nul = body.iter().position(|&b| b == 0);
    if nul.is_none() {
        if let Ok(text) = std::str::from_utf8(body) {
            return Ok((text.to_owned(), Encoding::Utf8));
        }
        if let Some(text) =
            encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body)
        {
            // GB18030 has a byte order mark of its own (84 31 95 33).
            let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_owned();
            return Ok((text, Encoding::Gb18030));
        }
    }
    let zeros = body.iter().filter(|&&b| b == 0).count();
    let document = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0");
    let found = if bytes.starts_with(b"PK\x03\x04") {
        "这是 Excel 工作簿（.xlsx）、Word 文档（.docx）或其他压缩文件，不是文本"
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        "这是旧版 Excel 工作簿（.xls）或 Word 文档（.doc），不是文本"
    } else if zeros.saturating_mul(10) >= body.len() {
        "看起来是 UTF-16 编码（Windows 称为「Unicode」），既不是 UTF-8，也不是 GBK"
    } else if nul.is_some() {
        "含有空字节（00），不是文本文件"
    } else if encoding_rs::BIG5
        .decode_without_bom_handling_and_without_replacement(body)
        .is_some()
    {
        "看起来是繁体中文 Big5 编码，既不是 UTF-8，也不是 GBK"
    } else {
        "既不是 UTF-8，也不是 GBK（GB18030），可能是西文编码（如 Windows-1252）"
    };
    let skipped = bytes.len().saturating_sub(body.len());
    let offset = match nul {
        Some(at) => Some(at),
        None => std::str::from_utf8(body).err().map(|e| e.valid_up_to()),
    };
    let found = match offset.filter(|_| !document) {
        Some(at) => {
            let at = at.saturating_add(skipped);
            let shown: Vec<String> = bytes
                .iter()
                .skip(at)
                .take(4)
                .map(|b| format!("{b:02X}"))
                .collect();
            format!(
                "{found}（第 {} 个字节起：{}）",
                at.saturating_add(1),
                shown.join(" ")
            )
        }
        None => found.to_owned(),
    };
    Err(Undecodable { found, document })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carriage_return_alone_ends_a_line() {
        let (text, encoding) = decode(b"rules \"t\"\rparam a = 1\r\nparam b = 2\r").expect("text");
        assert_eq!(text, "rules \"t\"\nparam a = 1\r\nparam b = 2\n");
        assert_eq!(encoding, Encoding::Utf8);
        // GBK text too: 目标 in GBK is C4 BF B1 EA.
        let (text, encoding) = decode(b"\xC4\xBF\xB1\xEA\r1").expect("text");
        assert_eq!(text, "目标\n1");
        assert_eq!(encoding, Encoding::Gb18030);
    }

    /// Everything miette reads from a span, to compare two readers.
    fn read(
        code: &dyn SourceCode,
        span: SourceSpan,
        context: usize,
    ) -> Option<(Vec<u8>, SourceSpan, usize, usize)> {
        let c = code.read_span(&span, context, context).ok()?;
        Some((c.data().to_vec(), *c.span(), c.line(), c.line_count()))
    }

    #[test]
    fn reading_from_a_window_gives_what_miette_reads_from_the_whole_text() {
        let texts = [
            "a = 1\nb = 2\nc = 3\n",
            "一\r\n二\r\n三\r\n四",
            "x\ry\rz\n\n\r\nw",
            "",
            "\n\n\n",
            "标题 = \"培训\"\n[budget]\nplanned = 100\n\nexecuted = 90\n",
        ];
        for text in texts {
            let source = Source::new("t", text);
            let ours = source.named();
            // What diagnostics show: lone carriage returns as line feeds.
            let shown = lone_cr_as_lf(text);
            let theirs: &str = &shown;
            let past = SourceSpan::new((text.len() + 1).into(), 2);
            assert_eq!(read(&ours, past, 1), read(&theirs, past, 1));
            for start in 0..=text.len() {
                for len in 0..=(text.len() - start).min(7) {
                    if !text.is_char_boundary(start) || !text.is_char_boundary(start + len) {
                        continue;
                    }
                    let span = SourceSpan::new(start.into(), len);
                    for context in 0..4 {
                        assert_eq!(
                            read(&ours, span, context),
                            read(&theirs, span, context),
                            "{text:?} {start}+{len} context {context}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn columns_count_characters() {
        let source = Source::new("t", "名称 = \"培训人次\"\n");
        let named = source.named();
        let c = named
            .read_span(&SourceSpan::new(10.into(), 3), 0, 0)
            .unwrap();
        // 名称 = " is 6 characters (10 bytes) before the span.
        assert_eq!((c.line(), c.column()), (0, 6));
    }
}
