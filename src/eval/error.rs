//! Evaluation errors: a form the rules cannot score. Each points at the form value that
//! caused it and, where a rule is involved, carries a note pointing at the rule line.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceCode};

use crate::check::Rules;
use crate::code::Code;
use crate::source::{Source, Span};

/// A form that the rules cannot score.
///
/// Boxed: evaluation returns `Result<Decimal, EvalError>` on its hot path, where a
/// pointer-sized error keeps the happy path cheap.
#[derive(Debug)]
pub struct EvalError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    code: Code,
    /// Where in the form: `年度目标2「培训人次」`, `预算执行情况`; empty when the error is
    /// about the form as a whole.
    place: String,
    message: String,
    help: String,
    src: crate::source::Named,
    labels: Vec<(Span, String)>,
    rule: Vec<RuleNote>,
}

impl EvalError {
    /// (Cold: every call is on a path where scoring stops, which the optimiser lays out
    /// away from the path that scores.)
    #[cold]
    pub(crate) fn new(code: Code, form: &Source, message: impl Into<String>) -> Self {
        Self(Box::new(Inner {
            code,
            place: String::new(),
            message: message.into(),
            help: String::new(),
            src: form.named(),
            labels: Vec::new(),
            rule: Vec::new(),
        }))
    }

    pub(crate) fn label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.0.labels.push((span, text.into()));
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.0.help = help.into();
        self
    }

    /// Adds a note pointing at the rule that was being applied.
    pub(crate) fn rule(mut self, rules: &Rules, span: Span, text: impl Into<String>) -> Self {
        let (source, local) = rules.locate(span);
        self.0.rule.push(RuleNote {
            message: format!("规则：{}", source.cite(local)),
            src: source.named(),
            span: local,
            label: text.into(),
        });
        self
    }

    /// Names the goal and indicator (or the budget line) the error is about, so that in a
    /// batch of many forms the message says which row to look at, not only which line.
    pub(crate) fn within(mut self, place: String) -> Self {
        if self.0.place.is_empty() {
            self.0.place = place;
        }
        self
    }

    /// The goal and indicator (`年度目标2「培训人次」`) or `预算执行情况` the error is
    /// about; `None` for the form as a whole.
    #[must_use]
    pub fn place(&self) -> Option<&str> {
        (!self.0.place.is_empty()).then_some(self.0.place.as_str())
    }

    /// The stable code, `jixiao::eval::...`.
    #[must_use]
    pub fn kind(&self) -> Code {
        self.0.code
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.place.is_empty() {
            write!(f, "{}：", self.0.place)?;
        }
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for EvalError {}

impl Diagnostic for EvalError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.code.as_str()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.0.help.is_empty()).then(|| Box::new(&self.0.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.0.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.0.labels.iter().enumerate().map(
            |(i, (span, text))| {
                let s: miette::SourceSpan = (*span).into();
                if i == 0 {
                    LabeledSpan::new_primary_with_span(Some(text.clone()), s)
                } else {
                    LabeledSpan::new_with_span(Some(text.clone()), s)
                }
            },
        )))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.0.rule.is_empty() {
            return None;
        }
        Some(Box::new(self.0.rule.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// Where in the rule file the failing rule is.
#[derive(Debug)]
struct RuleNote {
    message: String,
    src: crate::source::Named,
    span: Span,
    label: String,
}

impl fmt::Display for RuleNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleNote {}

impl Diagnostic for RuleNote {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span),
        )))
    }
}
