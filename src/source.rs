//! Source files and spans.
//!
//! Input: a file's name and text, as the CLI read them. Output: a cheaply clonable
//! [`Source`] that diagnostics carry, and the byte-offset [`Span`] every AST node and
//! form value holds. Invariant: a `Span` always lies on `char` boundaries of its source.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents};

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
    /// Byte offsets of line starts, computed on first use and shared by clones, so citing
    /// a rule line is a binary search rather than a scan of the file.
    lines: Arc<std::sync::OnceLock<Vec<usize>>>,
}

impl Source {
    /// A source called `name` (usually its path) holding `text`.
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let name: String = name.into();
        let text: String = text.into();
        Self {
            name: name.into(),
            text: text.into(),
            lines: Arc::default(),
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
        NamedSource::new(&*self.name, SourceText(Arc::clone(&self.text)))
    }

    /// 1-based line and column of a byte offset, the column counted in characters (not
    /// bytes, so a Chinese line reports the column an editor shows).
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
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

/// A source as diagnostics carry it.
pub type Named = NamedSource<SourceText>;

/// A source's text for miette, reporting columns in characters.
///
/// miette counts the column of its `[file:line:col]` header in bytes, so on a Chinese
/// line it would be up to three times too large; editors count characters.
#[derive(Debug, Clone)]
pub struct SourceText(Arc<str>);

impl SourceCode for SourceText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .0
            .read_span(span, context_lines_before, context_lines_after)?;
        if inner.column() == 0 {
            return Ok(inner);
        }
        let offset = span.offset().min(self.0.len());
        let before = self.0.get(..offset).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count();
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}
