//! The one shape of a diagnostic that the workbench (`jixiao serve`) and the language
//! server show: [`Diagnostic`], serialisable, built from any `miette::Diagnostic` the
//! library produces (syntax, check, lint, form, import, limit errors and warnings).
//!
//! Input: a miette diagnostic, the texts of the files it may point into ([`Texts`]), and
//! the file it concerns when it points at no text. Output: code, severity, message, help,
//! the file, the primary label's range and every label's range in 0-based lines and
//! UTF-16 characters ([`super::position`]). Invariants: nothing is parsed back out of
//! rendered text; a diagnostic that only groups others (no label of its own, `related`
//! ones) becomes those others; a span in a file whose text is unknown points at the file's
//! start rather than at a guessed place. The texts come from [`Texts`], else from the
//! diagnostic's own source.

use miette::{LabeledSpan, SourceSpan};
use serde::Serialize;

use super::position::{LineIndex, Range};
use crate::lint::Lint;

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as it is.
    Error,
    /// Usable, but probably not what was meant.
    Warning,
}

/// A labelled range of a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub range: Range,
    /// What the label says there (may be empty).
    pub message: String,
}

/// A diagnostic as editors and the workbench show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code, `jixiao::check::unknown_name` ([`crate::Code`]).
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to fix it, if there is advice.
    pub help: Option<String>,
    /// The file the range is in.
    pub file: String,
    /// The primary label's range; the start of the file when there is no label.
    pub range: Range,
    /// Every label, the primary one first.
    pub labels: Vec<Label>,
    /// The base file the diagnostic points into, when it is not the file analysed (an
    /// overlay's diagnostic about what it `extends`); else `None`.
    pub from_base: Option<String>,
    /// The text that fixes it, replacing [`Diagnostic::range`]: the name a did-you-mean
    /// suggests, offered by editors as a quick fix.
    pub fix: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (it cannot be read, or has no known format): placed
    /// at the file's start.
    #[must_use]
    pub fn about_file(
        code: crate::Code,
        message: String,
        help: Option<String>,
        file: &str,
    ) -> Self {
        Diagnostic {
            code: code.as_str().to_owned(),
            severity: Severity::Error,
            message,
            help,
            file: file.to_owned(),
            range: LineIndex::new("").range(0, 0),
            labels: Vec::new(),
            from_base: None,
            fix: None,
        }
    }

    /// Whether it is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The texts of the files diagnostics may point into, by the name their sources carry.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    files: Vec<(String, String)>,
}

impl Texts {
    /// No files.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the text of `name`.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) {
        let name = name.into();
        let text = text.into();
        match self.files.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = text,
            None => self.files.push((name, text)),
        }
    }

    /// The text of `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }
}

/// `diag` as one or more [`Diagnostic`]s. `file` is the file analysed: named when `diag`
/// points at no text, and the file against which [`Diagnostic::from_base`] is decided.
#[must_use]
pub fn convert(diag: &dyn miette::Diagnostic, texts: &Texts, file: &str) -> Vec<Diagnostic> {
    let labels: Vec<LabeledSpan> = diag.labels().map(Iterator::collect).unwrap_or_default();
    if labels.is_empty() {
        if let Some(related) = diag.related() {
            let inner: Vec<Diagnostic> = related.flat_map(|d| convert(d, texts, file)).collect();
            if !inner.is_empty() {
                return inner;
            }
        }
    }
    vec![one(diag, labels, texts, file)]
}

/// Every lint as diagnostics, in order ([`convert`]).
#[must_use]
pub fn from_lints(lints: &[Lint], texts: &Texts, file: &str) -> Vec<Diagnostic> {
    lints
        .iter()
        .flat_map(|l| {
            let mut out = convert(l, texts, file);
            if let [one] = out.as_mut_slice() {
                one.fix = l.fix().map(str::to_owned);
            }
            out
        })
        .collect()
}

fn one(
    diag: &dyn miette::Diagnostic,
    mut labels: Vec<LabeledSpan>,
    texts: &Texts,
    file: &str,
) -> Diagnostic {
    if let Some(i) = labels.iter().position(LabeledSpan::primary) {
        let primary = labels.remove(i);
        labels.insert(0, primary);
    }
    let name = labels.first().and_then(|l| name_of(diag, l.inner()));
    let in_file = name.clone().unwrap_or_else(|| file.to_owned());
    let own;
    let text = match texts.get(&in_file) {
        Some(t) => t,
        None if labels.is_empty() => "",
        None => {
            own = whole_text(diag).unwrap_or_default();
            &own
        }
    };
    let index = LineIndex::new(text);
    let range_of = |span: &SourceSpan| index.range(span.offset(), span.offset() + span.len());
    let labels: Vec<Label> = labels
        .iter()
        .map(|l| Label {
            range: range_of(l.inner()),
            message: l.label().unwrap_or_default().to_owned(),
        })
        .collect();
    let range = labels
        .first()
        .map_or_else(|| index.range(0, 0), |l| l.range);
    let severity = match diag.severity() {
        Some(miette::Severity::Warning | miette::Severity::Advice) => Severity::Warning,
        Some(miette::Severity::Error) | None => Severity::Error,
    };
    Diagnostic {
        code: diag.code().map(|c| c.to_string()).unwrap_or_default(),
        severity,
        message: diag.to_string(),
        help: diag.help().map(|h| h.to_string()),
        from_base: (in_file != file).then(|| in_file.clone()),
        file: in_file,
        range,
        labels,
        fix: None,
    }
}

/// The whole text `diag` carries as its source, for a file [`Texts`] does not hold (an
/// imported CSV or text file): read from its start with every line after it.
fn whole_text(diag: &dyn miette::Diagnostic) -> Option<String> {
    let contents = diag
        .source_code()?
        .read_span(&SourceSpan::new(0.into(), 0), 0, 1 << 40)
        .ok()?;
    if contents.span().offset() != 0 {
        return None;
    }
    std::str::from_utf8(contents.data()).ok().map(str::to_owned)
}

/// The name of the source a span of `diag` lies in.
fn name_of(diag: &dyn miette::Diagnostic, span: &SourceSpan) -> Option<String> {
    let contents = diag.source_code()?.read_span(span, 0, 0).ok()?;
    contents.name().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;
    use crate::service::position::Position;

    #[test]
    fn a_syntax_error_on_a_chinese_line_has_its_utf16_range() {
        // Line 1 is `参数 权重 = ？`: the full-width ？ is character 8 (参数 2, space,
        // 权重 2, space, =, space), and a byte offset of 2·3 + 1 + 2·3 + 1 + 1 + 1 = 16.
        let text = "规则 \"t\"\n参数 权重 = ？\n";
        let source = Source::new("a.rules", text);
        let err = crate::syntax::parse(&source).expect_err("a syntax error");
        let mut texts = Texts::new();
        texts.insert("a.rules", text);
        let diags = convert(&err, &texts, "a.rules");
        assert_eq!(diags.len(), 1);
        let d = &diags[0];
        assert_eq!(d.code, "jixiao::syntax::unexpected");
        assert_eq!(d.file, "a.rules");
        assert_eq!(d.from_base, None);
        assert_eq!(
            d.range.start,
            Position {
                line: 1,
                character: 8
            }
        );
    }

    #[test]
    fn a_did_you_mean_is_a_fix_of_the_primary_range() {
        // Line 3: `wieght` (characters 7..13, after four spaces and `得分 `) is one swap
        // from the built-in `weight`; `mn` (character 7 + 6 + 3 = 16) one edit from `min`.
        let text = "规则 \"t\"\n继承 \"hubei-2021\"\n类别 positive 适用 数值:\n    得分 wieght * mn(A, B)\n";
        let source = Source::new("t.rules", text);
        let (analysis, _) = crate::service::analyze(
            &source,
            &crate::check::Bundled,
            &crate::limits::Limits::default(),
        );
        let fixes: Vec<(&str, Option<&str>, u32)> = analysis
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.fix.as_deref(), d.range.start.character))
            .collect();
        assert_eq!(
            fixes,
            [
                ("jixiao::check::unknown_name", Some("weight"), 7),
                ("jixiao::check::unknown_function", Some("min"), 16),
            ]
        );
    }
}
