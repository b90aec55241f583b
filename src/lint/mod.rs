//! Lint: every static check of a rule set and of forms against it, as a flat list of
//! [`Lint`]s (errors and warnings) rather than a stop at the first problem.
//!
//! Input: compiled [`Rules`] ([`lint_rules`]), or rules and a loaded [`crate::Form`]
//! ([`lint_form`], or [`lint_form_without_rules`] when the rules do not compile); the
//! errors of phases that could not finish ([`rules_error`], [`form_errors`]). Output: [`Lint`]s, each a miette diagnostic with a stable code, a
//! severity, a location (file, 1-based line, column in characters) and a help line, and
//! serialisable as `{code, severity, file, line, column, message, help}`.
//!
//! Codes and severities:
//! - the phases' own errors keep their codes (`jixiao::check::*`, `jixiao::syntax::*`,
//!   `jixiao::form::*`, `jixiao::eval::*`), as errors;
//! - the evaluator's warnings keep theirs (`jixiao::eval::weight_sum`,
//!   `jixiao::eval::total_weight`, `jixiao::eval::not_evaluated`, ...), as warnings, so a
//!   finding has one code whether `score` or `check` reports it. `weight_sum` and
//!   `total_weight` are computed here from the form, so they are reported even when
//!   scoring stops at an error;
//! - the checks of this module, `jixiao::lint::*`: see [`lint_rules`] and [`lint_form`].
//!
//! Invariants: nothing here changes a score; checks read the compiled rules and the form
//! and call [`crate::evaluate`] on copies of the form, never the other way round.

mod form;
mod rules;
mod score_range;

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceCode};
use serde::{Serialize, Serializer};

pub use form::{lint_form, lint_form_without_rules};
pub use rules::lint_rules;

use crate::check::{Rules, RulesError};
use crate::code::Code;
use crate::form::FormErrors;
use crate::source::{Named, Source, Span};

/// How serious a [`Lint`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rules or the form cannot be used as they are.
    Error,
    /// Usable, but probably not what was meant.
    Warning,
}

/// One finding of a check: an error or a warning, with where it is and how to fix it.
#[derive(Debug)]
pub struct Lint {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    file: String,
    /// The variant under check, when the lint points into one of its bases: the line is
    /// the base's, the finding the variant's.
    via: Option<String>,
    /// The text that fixes it, replacing the primary label's span (a did-you-mean).
    fix: Option<String>,
    /// 1-based line and column (characters) of the primary label.
    location: Option<(usize, usize)>,
    /// The primary label's byte offset in the rule set's global span space (rule lints)
    /// or in the file (others): lints are listed in this order.
    order: usize,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// A finding of this module, labelled in one file.
    Own {
        source: Source,
        named: Named,
        /// The primary label first.
        labels: Vec<(Span, String)>,
    },
    /// Another phase's diagnostic, kept whole for rendering (labels, related notes).
    Wrapped(Box<dyn Diagnostic + Send + Sync>),
    /// The count of the findings of a file not listed ([`capped`]): (errors, warnings).
    Omitted(usize, usize),
}

impl Lint {
    /// A finding of this module in `source`; labels are added with [`Lint::label`].
    fn new(code: Code, severity: Severity, source: &Source, message: impl Into<String>) -> Self {
        Self {
            code: code.as_str().to_owned(),
            severity,
            message: message.into(),
            help: None,
            file: source.name().to_owned(),
            via: None,
            fix: None,
            location: None,
            order: 0,
            body: Body::Own {
                source: source.clone(),
                named: source.named(),
                labels: Vec::new(),
            },
        }
    }

    /// Adds a label; the first one is the primary label and gives the location.
    fn label(mut self, span: Span, text: impl Into<String>) -> Self {
        if let Body::Own { source, labels, .. } = &mut self.body {
            if labels.is_empty() {
                self.location = Some(source.line_col(span.start));
                self.order = span.start;
            }
            labels.push((span, text.into()));
        }
        self
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Lists lints in the given order rather than by their offset in one file.
    fn ordered(mut self, order: usize) -> Self {
        self.order = order;
        self
    }

    /// Wraps another phase's diagnostic (a rule or form error, an evaluation error) as an
    /// error-severity lint that keeps its code, message, help, labels and notes. `file` is
    /// named when the diagnostic points at no source text (a file that cannot be read).
    #[must_use]
    pub fn from_diagnostic(diag: Box<dyn Diagnostic + Send + Sync>, file: &str) -> Self {
        let code = diag.code().map(|c| c.to_string()).unwrap_or_default();
        let severity = match diag.severity() {
            Some(miette::Severity::Warning | miette::Severity::Advice) => Severity::Warning,
            _ => Severity::Error,
        };
        let message = diag.to_string();
        let help = diag.help().map(|h| h.to_string());
        let primary = primary_label(diag.as_ref());
        let mut file = file.to_owned();
        let mut location = None;
        if let (Some(label), Some(src)) = (primary.as_ref(), diag.source_code()) {
            if let Ok(contents) = src.read_span(label.inner(), 0, 0) {
                if let Some(name) = contents.name() {
                    name.clone_into(&mut file);
                }
                // miette counts from 0; the source's text reports columns in characters.
                location = Some((contents.line() + 1, contents.column() + 1));
            }
        }
        Self {
            code,
            severity,
            message,
            help,
            file,
            via: None,
            fix: None,
            location,
            order: primary.map_or(0, |l| l.offset()),
            body: Body::Wrapped(diag),
        }
    }

    /// The stable code, e.g. `jixiao::lint::unused_param`.
    #[must_use]
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The text that fixes it, replacing the primary label's span: the name a
    /// did-you-mean suggests ([`crate::check::CheckError::fix`]).
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        self.fix.as_deref()
    }

    /// Error or warning.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The file the lint points into (as named on the command line, or a bundled rule
    /// set's `rules/NAME.rules`).
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// 1-based line and column of the primary label, the column counted in characters as
    /// an editor counts them; `None` when the lint points at no text (an unreadable file).
    #[must_use]
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.location
    }

    /// What is wrong, in Chinese.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How to fix it, if there is advice.
    #[must_use]
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// Whether it is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// How many errors and warnings it stands for: one, or for the line that closes a
    /// long list (`jixiao::lint::omitted`), the findings it did not list.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        match self.body {
            Body::Omitted(errors, warnings) => (errors, warnings),
            _ if self.is_error() => (1, 0),
            _ => (0, 1),
        }
    }

    /// The line that closes a list cut short: `errors` and `warnings` of `file` not listed
    /// after the first `shown`.
    fn omitted(file: &str, shown: usize, errors: usize, warnings: usize) -> Self {
        let what = match (errors, warnings) {
            (0, w) => format!("{w} 个警告"),
            (e, 0) => format!("{e} 个错误"),
            (e, w) => format!("{e} 个错误、{w} 个警告"),
        };
        Self {
            code: Code::LintOmitted.as_str().to_owned(),
            severity: if errors > 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: format!(
                "另有 {} 处问题未列出（{what}）：每个文件只列出前 {shown} 处",
                errors + warnings
            ),
            help: Some("先修正上面列出的问题，再运行一次查看其余的".to_owned()),
            file: file.to_owned(),
            via: None,
            fix: None,
            location: None,
            order: usize::MAX,
            body: Body::Omitted(errors, warnings),
        }
    }
}

/// The first [`MAX_DIAGNOSTICS`](crate::limits::MAX_DIAGNOSTICS) lints of one file, and
/// one more saying how many were left out: printing (and pointing into the file for)
/// every one of thousands of findings costs the square of their number, and helps no one.
fn capped(mut lints: Vec<Lint>, file: &str) -> Vec<Lint> {
    let shown = crate::limits::MAX_DIAGNOSTICS;
    if lints.len() <= shown {
        return lints;
    }
    let rest = lints.split_off(shown);
    let errors = rest.iter().filter(|l| l.is_error()).count();
    lints.push(Lint::omitted(file, shown, errors, rest.len() - errors));
    lints
}

/// The primary label of a diagnostic, or its first label.
fn primary_label(diag: &dyn Diagnostic) -> Option<LabeledSpan> {
    let labels: Vec<LabeledSpan> = diag.labels()?.collect();
    labels
        .iter()
        .find(|l| l.primary())
        .or(labels.first())
        .cloned()
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Lint {}

impl Diagnostic for Lint {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // A wrapped diagnostic (a check error on a base line) says so in its own help.
        let own = matches!(self.body, Body::Wrapped(_));
        let via = self.via.as_ref().filter(|_| !own).map(|overlay| {
            format!(
                "这一行在基础规则 {} 中，{overlay} 继承了它；要在变体中改变它，在 {overlay} 中覆盖这一项",
                self.file
            )
        });
        match (&self.help, via) {
            (Some(h), Some(v)) => Some(Box::new(format!("{h}\n{v}"))),
            (Some(h), None) => Some(Box::new(h)),
            (None, Some(v)) => Some(Box::new(v)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.body {
            Body::Own { named, .. } => Some(named),
            Body::Wrapped(d) => d.source_code(),
            Body::Omitted(..) => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match &self.body {
            Body::Own { labels, .. } => Some(Box::new(labels.iter().enumerate().map(
                |(i, (span, text))| {
                    let s: miette::SourceSpan = (*span).into();
                    if i == 0 {
                        LabeledSpan::new_primary_with_span(Some(text.clone()), s)
                    } else {
                        LabeledSpan::new_with_span(Some(text.clone()), s)
                    }
                },
            ))),
            Body::Wrapped(d) => d.labels(),
            Body::Omitted(..) => None,
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        match &self.body {
            Body::Own { .. } | Body::Omitted(..) => None,
            Body::Wrapped(d) => d.related(),
        }
    }
}

/// The JSON shape of a lint.
#[derive(Serialize)]
struct Record<'a> {
    code: &'a str,
    severity: Severity,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    help: Option<&'a str>,
    /// The variant under check, when `file` is one of its bases.
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
}

impl Serialize for Lint {
    /// `{code, severity: "error"|"warning", file, line, column, message, help}`; `line`,
    /// `column` and `help` are `null` when absent.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Record {
            code: &self.code,
            severity: self.severity,
            file: &self.file,
            line: self.location.map(|(l, _)| l),
            column: self.location.map(|(_, c)| c),
            message: &self.message,
            help: self.help.as_deref(),
            via: self.via.as_deref(),
        }
        .serialize(serializer)
    }
}

/// A rule file that did not compile, as one error lint per problem: the syntax error, or
/// each error of the file's [`crate::check::CheckErrors`]. `file` names the rule file for
/// a problem that points at no text.
#[must_use]
pub fn rules_error(err: RulesError, file: &str) -> Vec<Lint> {
    match err {
        RulesError::Parse(e) => vec![Lint::from_diagnostic(Box::new(e), file)],
        RulesError::Check(errors) => {
            let name = errors.name;
            let shown = errors.errors.len();
            let mut lints: Vec<Lint> = errors
                .errors
                .into_iter()
                .map(|e| {
                    let via = match &e {
                        crate::check::CheckError::Inherited(i) => Some(i.overlay.clone()),
                        _ => None,
                    };
                    let fix = e.fix().map(str::to_owned);
                    let mut lint = Lint::from_diagnostic(Box::new(e), &name);
                    lint.via = via;
                    lint.fix = fix;
                    lint
                })
                .collect();
            if errors.omitted > 0 {
                lints.push(Lint::omitted(&name, shown, errors.omitted, 0));
            }
            lints
        }
        RulesError::Set(e) => vec![Lint::from_diagnostic(Box::new(e), file)],
        RulesError::Limit(e) => vec![Lint::from_diagnostic(Box::new(e), file)],
    }
}

/// A form that did not load, as one error lint per problem.
#[must_use]
pub fn form_errors(err: FormErrors) -> Vec<Lint> {
    let name = err.name;
    err.errors
        .into_iter()
        .map(|e| Lint::from_diagnostic(Box::new(e), &name))
        .collect()
}

/// `rules.locate`, as a lint labelled at a compiled (global) span.
fn at_rule(
    rules: &Rules,
    code: Code,
    severity: Severity,
    span: Span,
    label: impl Into<String>,
    message: impl Into<String>,
) -> Lint {
    let (source, local) = rules.locate(span);
    let mut lint = Lint::new(code, severity, source, message)
        .label(local, label)
        .ordered(span.start);
    let checked = rules.source().name();
    if source.name() != checked {
        lint.via = Some(checked.to_owned());
    }
    lint
}
