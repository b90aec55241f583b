//! A diagnostic made safe to render, whatever the text it shows.
//!
//! Input: any diagnostic. Output: [`Printable`], the same diagnostic as miette should draw
//! it. Two dangers, one wrapper, so that every diagnostic the command line prints passes
//! through it:
//! - a line too long to draw (miette 7 panics drawing a label past column 65,535): its
//!   labels are not drawn and their place is given in words ([`LONG_LINE`]);
//! - text unsafe on a terminal, in the message, a label, the help, a cause, the file name
//!   or the source lines shown (an escape sequence in a form that would move the cursor
//!   over what was printed, a bidirectional override): written out as `\u{1B}`
//!   ([`crate::text::escaped`]). The source lines are copied, escaped, only around the
//!   labels, and the labels moved to match, so the cost is that of the lines shown.

use std::fmt;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::text::{escape, escaped};

/// Lines longer than this many characters are not drawn in a diagnostic.
pub const LONG_LINE: usize = 1000;

/// The lines of context shown before and after a label: the renderer must be set to
/// this (miette's default), since [`Printable`] copies exactly those lines.
pub const CONTEXT_LINES: usize = 1;

/// A diagnostic made safe to render. A label on a line longer than [`LONG_LINE`]
/// characters is not drawn: miette 7 panics drawing a label past column 65,535 (a
/// one-line TOML array nested 100,000 deep, a minified file), and a line that long is no
/// help on a screen anyway. The file, line and column of such a diagnostic's first label
/// are added to its help instead. Every text is escaped for a terminal (see the module's
/// comment). Related diagnostics are wrapped the same way.
pub struct Printable<'a> {
    inner: &'a dyn Diagnostic,
    /// Where the hidden labels were, when they are hidden.
    hidden: Option<String>,
    /// The message, escaped.
    message: String,
    /// Its source, or its parent's when it has none.
    source: Option<&'a dyn SourceCode>,
    /// The source lines shown, escaped, when they (or the file name) needed it.
    shown: Option<Shown>,
    /// The labels, their texts escaped and, with `shown`, their spans moved to match.
    labels: Vec<LabeledSpan>,
    /// The causes miette prints under the message, escaped.
    cause: Option<Box<Cause>>,
    related: Vec<Printable<'a>>,
}

impl<'a> Printable<'a> {
    /// Wraps `inner` and everything related to it.
    #[must_use]
    pub fn new(inner: &'a dyn Diagnostic) -> Self {
        Self::within(inner, None)
    }

    /// Wraps `inner`, whose labels point into `parent` when it has no source of its own
    /// (as miette reads a related diagnostic).
    fn within(inner: &'a dyn Diagnostic, parent: Option<&'a dyn SourceCode>) -> Self {
        let source = inner.source_code().or(parent);
        let related = inner
            .related()
            .map(|r| r.map(|d| Printable::within(d, source)).collect())
            .unwrap_or_default();
        let hidden = source.and_then(|s| long_label(inner, s));
        let mut labels: Vec<LabeledSpan> =
            inner.labels().map(Iterator::collect).unwrap_or_default();
        let shown = match (&hidden, source) {
            (None, Some(source)) => Shown::of(source, &labels),
            _ => None,
        };
        for label in &mut labels {
            let text = label.label().map(|l| escaped(l, true).into_owned());
            let span = match &shown {
                Some(s) => s.moved(*label.inner()),
                None => *label.inner(),
            };
            *label = if label.primary() {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            };
        }
        Self {
            inner,
            hidden,
            message: escaped(&inner.to_string(), true).into_owned(),
            source,
            shown,
            labels,
            cause: Cause::chain(inner),
            related,
        }
    }
}

/// `位置：file 第 L 行第 C 列（…）` when a label of `diag` lies on a line too long to draw.
fn long_label(diag: &dyn Diagnostic, source: &dyn SourceCode) -> Option<String> {
    let mut labels = diag.labels()?;
    let mut first = None;
    let mut longest = 0;
    for label in labels.by_ref() {
        // The lines miette would print: the label's, and its context either side.
        if let Ok(context) = source.read_span(label.inner(), CONTEXT_LINES, CONTEXT_LINES) {
            let text = String::from_utf8_lossy(context.data());
            let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            longest = longest.max(widest);
        }
        if first.is_none() {
            if let Ok(at) = source.read_span(label.inner(), 0, 0) {
                first = Some((at.name().map(str::to_owned), at.line() + 1, at.column() + 1));
            }
        }
    }
    if longest <= LONG_LINE {
        return None;
    }
    let (name, line, column) = first?;
    let name = name
        .map(|n| format!("{} ", escaped(&n, false)))
        .unwrap_or_default();
    Some(format!(
        "位置：{name}第 {line} 行第 {column} 列（这一行有 {longest} 个字符，过长，不显示原文）"
    ))
}

/// The source lines a diagnostic shows, escaped: one window of lines for each group of
/// labels miette draws together, found as miette finds them, so that every span miette
/// asks for lies in one window.
///
/// Offsets move: a span's start and end in the source become their places in the escaped
/// text, as if the whole source had been escaped (each escaped character before an offset
/// moves it by the bytes its escape adds).
#[derive(Debug)]
struct Shown {
    /// The file's name, escaped.
    name: Option<String>,
    windows: Vec<Window>,
    /// Every escaped character in the windows, in order.
    grown: Vec<Grown>,
}

/// Lines shown together.
#[derive(Debug)]
struct Window {
    /// Where the window starts, in the source and in the escaped offsets.
    start: usize,
    moved_start: usize,
    /// The 0-based line of its first line.
    line: usize,
    /// The lines as they are, to count columns the way an editor does.
    original: String,
    /// The lines escaped.
    text: String,
}

/// One escaped character: where it was, where its escape ends in the escaped offsets, and
/// the bytes added by it and every escape before it.
#[derive(Debug, Clone, Copy)]
struct Grown {
    at: usize,
    moved_end: usize,
    added: usize,
}

impl Shown {
    /// The escaped windows of `source` around `labels`, or `None` when nothing shown (nor
    /// the file's name) needs escaping, or a window cannot be read.
    fn of(source: &dyn SourceCode, labels: &[LabeledSpan]) -> Option<Shown> {
        let mut sorted: Vec<SourceSpan> = labels.iter().map(|l| *l.inner()).collect();
        sorted.sort_unstable_by_key(SourceSpan::offset);
        // As miette groups labels: a label whose context lines touch the previous group's
        // joins it, and the group's lines are read again from its first label to its end.
        let mut groups: Vec<(SourceSpan, Box<dyn SpanContents<'_> + '_>)> = Vec::new();
        for span in sorted {
            let context = source.read_span(&span, CONTEXT_LINES, CONTEXT_LINES).ok()?;
            if let Some((left, left_context)) = groups.last() {
                if left_context.line() + left_context.line_count() >= context.line() {
                    let end = (left.offset() + left.len()).max(span.offset() + span.len());
                    let joined = SourceSpan::new(left.offset().into(), end - left.offset());
                    if let Ok(joined_context) =
                        source.read_span(&joined, CONTEXT_LINES, CONTEXT_LINES)
                    {
                        groups.pop();
                        groups.push((joined, joined_context));
                        continue;
                    }
                }
            }
            groups.push((span, context));
        }
        let name = groups
            .first()
            .and_then(|(_, c)| c.name().map(str::to_owned));
        let unsafe_name = name.as_deref().is_some_and(|n| escaped(n, false) != n);
        let texts: Vec<(usize, usize, &str)> = groups
            .iter()
            .map(|(_, c)| {
                std::str::from_utf8(c.data())
                    .ok()
                    .map(|t| (c.span().offset(), c.line(), t))
            })
            .collect::<Option<_>>()?;
        let unsafe_text = texts.iter().any(|(_, _, t)| escaped(t, true) != *t);
        if !unsafe_name && !unsafe_text {
            return None;
        }
        let mut shown = Shown {
            name: name.map(|n| escaped(&n, false).into_owned()),
            windows: Vec::with_capacity(texts.len()),
            grown: Vec::new(),
        };
        for (start, line, original) in texts {
            // Windows of separate groups never overlap (their lines do not touch).
            if shown
                .windows
                .last()
                .is_some_and(|w| w.start + w.original.len() > start)
            {
                return None;
            }
            shown.push_window(start, line, original);
        }
        Some(shown)
    }

    fn push_window(&mut self, start: usize, line: usize, original: &str) {
        let moved_start = self.moved(SourceSpan::new(start.into(), 0)).offset();
        let mut text = String::with_capacity(original.len() + 8);
        let mut added = self.grown.last().map_or(0, |g| g.added);
        let mut chars = original.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            match escape(c, next, true) {
                Some(e) => {
                    text.push_str(&e);
                    added += e.len() - c.len_utf8();
                    self.grown.push(Grown {
                        at: start + i,
                        moved_end: start + i + c.len_utf8() + added,
                        added,
                    });
                }
                None => text.push(c),
            }
        }
        self.windows.push(Window {
            start,
            moved_start,
            line,
            original: original.to_owned(),
            text,
        });
    }

    /// Where `offset` of the source is in the escaped offsets.
    fn moved_offset(&self, offset: usize) -> usize {
        let before = self.grown.partition_point(|g| g.at < offset);
        offset + before.checked_sub(1).map_or(0, |k| self.grown[k].added)
    }

    /// `span` in the escaped offsets.
    fn moved(&self, span: SourceSpan) -> SourceSpan {
        let start = self.moved_offset(span.offset());
        let end = self.moved_offset(span.offset() + span.len());
        SourceSpan::new(start.into(), end - start)
    }

    /// Where an escaped offset (at a character of the source, not inside an escape) was
    /// in the source.
    fn original_offset(&self, moved: usize) -> usize {
        let before = self.grown.partition_point(|g| g.moved_end <= moved);
        moved - before.checked_sub(1).map_or(0, |k| self.grown[k].added)
    }
}

impl SourceCode for Shown {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let end = span.offset() + span.len();
        let window = self
            .windows
            .iter()
            .find(|w| w.moved_start <= span.offset() && end <= w.moved_start + w.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((span.offset() - window.moved_start).into(), span.len());
        let inner =
            window
                .text
                .as_str()
                .read_span(&local, context_lines_before, context_lines_after)?;
        // The column an editor shows: characters, counted in the source as it is.
        let column = if inner.column() == 0 {
            0
        } else {
            let at = self.original_offset(span.offset()) - window.start;
            let before = window.original.get(..at).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            before[line_start..].chars().count()
        };
        let moved = SourceSpan::new(
            (inner.span().offset() + window.moved_start).into(),
            inner.span().len(),
        );
        let contents = match &self.name {
            Some(name) => MietteSpanContents::new_named(
                name.clone(),
                inner.data(),
                moved,
                inner.line() + window.line,
                column,
                inner.line_count(),
            ),
            None => MietteSpanContents::new(
                inner.data(),
                moved,
                inner.line() + window.line,
                column,
                inner.line_count(),
            ),
        };
        Ok(Box::new(contents))
    }
}

/// The causes miette prints under a diagnostic's message (its `diagnostic_source` chain,
/// else its `source` chain), their texts escaped.
#[derive(Debug)]
struct Cause {
    text: String,
    next: Option<Box<Cause>>,
}

impl Cause {
    fn chain(diag: &dyn Diagnostic) -> Option<Box<Cause>> {
        let mut texts = Vec::new();
        match diag.diagnostic_source() {
            Some(mut d) => loop {
                texts.push(d.to_string());
                match (d.diagnostic_source(), d.source()) {
                    (Some(next), _) => d = next,
                    (None, Some(e)) => {
                        push_errors(&mut texts, e);
                        break;
                    }
                    (None, None) => break,
                }
            },
            None => {
                if let Some(e) = diag.source() {
                    push_errors(&mut texts, e);
                }
            }
        }
        texts.into_iter().rev().fold(None, |next, text| {
            Some(Box::new(Cause {
                text: escaped(&text, true).into_owned(),
                next,
            }))
        })
    }
}

fn push_errors(texts: &mut Vec<String>, first: &dyn std::error::Error) {
    let mut e = Some(first);
    while let Some(err) = e {
        texts.push(err.to_string());
        e = err.source();
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Debug for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Printable<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

impl Diagnostic for Printable<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self
            .inner
            .help()
            .map(|h| escaped(&h.to_string(), true).into_owned());
        let text = match (help, &self.hidden) {
            (Some(help), Some(at)) => format!("{help}\n{at}"),
            (Some(help), None) => help,
            (None, Some(at)) => at.clone(),
            (None, None) => return None,
        };
        Some(Box::new(text))
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.hidden.is_some() {
            return None;
        }
        match &self.shown {
            Some(shown) => Some(shown),
            None => self.source,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.hidden.is_some() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }

    // No `diagnostic_source`: its chain is in `source` ([`Cause`]), escaped, and miette
    // prints no more of it than its text.
}
