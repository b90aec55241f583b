//! The language service: what an editor of rule files asks of jixiao, answered the same
//! way for the workbench (`jixiao serve`) and, later, the language server (`jixiao lsp`),
//! so that the two never disagree.
//!
//! Input: a rule file's text (perhaps unsaved) with its workspace name, a [`Resolve`]r for
//! what it `extends` ([`workspace::Workspace`] reads a workspace), [`Limits`], and for
//! scoring the loaded forms. Output: serialisable values: [`Diagnostic`]s with UTF-16
//! ranges ([`analyze`]), formatted text ([`format`]), test results ([`run_tests`]), the
//! scores of many forms ([`scoring::score_rows`]), one form in full ([`detail`]), the
//! impact of a rule change ([`impact`]) and the reports to download ([`report`]); work on
//! many forms is split across threads ([`split`]).
//! Invariants: no I/O (files come through the resolver); every number is the library's
//! own (`Outcome`'s decimals, [`crate::report`]'s wording), nothing re-derived.

pub mod complete;
pub mod detail;
mod diagnostic;
pub mod hover;
pub mod impact;
pub mod position;
pub mod report;
pub mod scoring;
pub mod split;
pub mod symbols;
pub mod tokens;
mod words;
pub mod workspace;

use serde::Serialize;

use crate::check::{Resolve, Rules, RulesError};
use crate::limits::Limits;
use crate::rule_tests::Verdict;
use crate::source::Source;

pub use diagnostic::{Diagnostic, Label, Severity, Texts, convert, from_lints};
use position::LineIndex;
use workspace::Recording;

/// A parameter of the rules, with its value after settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its value, without trailing zeros (`0.5`), or its text (`省级`).
    pub value: String,
    /// Whether it is a text parameter (`param 本级 = "省级"`), set as it is written.
    pub text: bool,
    /// The file it is declared in.
    pub file: String,
    /// 0-based line of its declaration in that file.
    pub line: u32,
}

/// A `test` block of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestRef {
    /// Its name.
    pub name: String,
    /// The file it is written in.
    pub file: String,
    /// 0-based line of its name.
    pub line: u32,
    /// Its name's range (with the quotes) in that file.
    pub range: position::Range,
}

/// What [`analyze`] finds in a rule file.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Whether the rules compile (warnings allowed).
    pub ok: bool,
    /// Syntax, check and lint diagnostics, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The parameters (empty when the rules do not compile).
    pub params: Vec<Param>,
    /// The tests (empty when the rules do not compile).
    pub tests: Vec<TestRef>,
}

/// Compiles `source` (its name the workspace path, `extends` found by `resolver`) with
/// `settings`: the rules, or every diagnostic of why they do not compile.
///
/// # Errors
/// The diagnostics of the syntax error, the check errors, a bad setting or a limit.
pub fn compile(
    source: &Source,
    resolver: &dyn Resolve,
    settings: &[crate::Setting],
    limits: &Limits,
) -> Result<Rules, Vec<Diagnostic>> {
    let recording = Recording::new(resolver);
    crate::compile_with_limits(source, &recording, settings, limits)
        .map_err(|e| rules_diagnostics(e, source, &recording))
}

fn texts_of(source: &Source, recording: &Recording<'_>) -> Texts {
    let mut texts = Texts::new();
    for s in recording.seen.borrow().iter() {
        texts.insert(s.name(), s.text());
    }
    texts.insert(source.name(), source.text());
    texts
}

fn rules_diagnostics(e: RulesError, source: &Source, recording: &Recording<'_>) -> Vec<Diagnostic> {
    let texts = texts_of(source, recording);
    let lints = crate::lint::rules_error(e, source.name());
    from_lints(&lints, &texts, source.name())
}

/// Parses, checks and lints a rule file: its diagnostics, and when it compiles, its
/// parameters and tests (with the compiled rules).
#[must_use]
pub fn analyze(
    source: &Source,
    resolver: &dyn Resolve,
    limits: &Limits,
) -> (Analysis, Option<Rules>) {
    let recording = Recording::new(resolver);
    match crate::compile_with_limits(source, &recording, &[], limits) {
        Err(e) => {
            let diagnostics = rules_diagnostics(e, source, &recording);
            let analysis = Analysis {
                ok: false,
                diagnostics,
                params: Vec::new(),
                tests: Vec::new(),
            };
            (analysis, None)
        }
        Ok(rules) => {
            let texts = texts_of(source, &recording);
            let lints = crate::lint::lint_rules(&rules);
            let diagnostics = from_lints(&lints, &texts, source.name());
            let analysis = Analysis {
                ok: !diagnostics.iter().any(Diagnostic::is_error),
                diagnostics,
                params: params(&rules),
                tests: tests(&rules),
            };
            (analysis, Some(rules))
        }
    }
}

/// The 0-based line of byte `offset` of `source`.
fn line_of(source: &Source, offset: usize) -> u32 {
    LineIndex::new(source.text()).position(offset).line
}

fn params(rules: &Rules) -> Vec<Param> {
    rules
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (source, local) = rules.locate(p.span);
            Param {
                name: p.name.clone(),
                value: rules.param_values.shown(i),
                text: p.text,
                file: source.name().to_owned(),
                line: line_of(source, local.start),
            }
        })
        .collect()
}

fn tests(rules: &Rules) -> Vec<TestRef> {
    rules
        .tests()
        .iter()
        .map(|t| {
            let span = t.block.name.span;
            let range = LineIndex::new(t.source.text()).range(span.start, span.end);
            TestRef {
                name: t.block.name.value.clone(),
                file: t.source.name().to_owned(),
                line: range.start.line,
                range,
            }
        })
        .collect()
}

/// Formats a rule file in the canonical layout, keeping its keyword language.
///
/// # Errors
/// The syntax error's diagnostic: nothing is formatted then.
pub fn format(source: &Source) -> Result<String, Vec<Diagnostic>> {
    crate::syntax::format::format(source, crate::syntax::format::Keywords::Keep).map_err(|e| {
        let mut texts = Texts::new();
        texts.insert(source.name(), source.text());
        convert(&e, &texts, source.name())
    })
}

/// How one test came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    /// Every expectation held.
    Passed,
    /// An expectation did not hold.
    Failed,
    /// A base's test whose result the variant changes.
    Changed,
}

/// One test's result.
#[derive(Debug, Clone, Serialize)]
pub struct TestOutcome {
    /// Its name.
    pub name: String,
    /// The file it is written in.
    pub file: String,
    /// 0-based line of its name.
    pub line: u32,
    /// Its name's range (with the quotes) in that file.
    pub range: position::Range,
    /// Passed, failed or changed.
    pub status: TestStatus,
    /// One line in Chinese: `通过`, or what was expected and what came out.
    pub message: String,
}

/// The results of a rule set's tests.
#[derive(Debug, Clone, Serialize)]
pub struct TestReport {
    /// How many passed.
    pub passed: usize,
    /// How many failed.
    pub failed: usize,
    /// How many base tests the variant changes.
    pub changed: usize,
    /// Each test, in file order (the bases' first).
    pub results: Vec<TestOutcome>,
}

/// Runs the tests of `rules` ([`crate::rule_tests::run_tests`]).
#[must_use]
pub fn run_tests(rules: &Rules, resolver: &dyn Resolve) -> TestReport {
    let results = crate::rule_tests::run_tests(rules, resolver);
    let mut report = TestReport {
        passed: 0,
        failed: 0,
        changed: 0,
        results: Vec::with_capacity(results.len()),
    };
    for (r, place) in results.iter().zip(tests(rules)) {
        let (status, message) = match r.verdict {
            Verdict::Passed => {
                report.passed += 1;
                (TestStatus::Passed, "通过".to_owned())
            }
            Verdict::Failed => {
                report.failed += 1;
                let what: Vec<String> = r
                    .failures
                    .iter()
                    .map(|m| format!("{}：期望 {}，实际 {}", m.what, m.expected, m.actual))
                    .collect();
                (TestStatus::Failed, what.join("；"))
            }
            Verdict::Changed => {
                report.changed += 1;
                let what: Vec<String> = r
                    .failures
                    .iter()
                    .map(|m| format!("{}：基础规则 {} → 本变体 {}", m.what, m.expected, m.actual))
                    .collect();
                (TestStatus::Changed, what.join("；"))
            }
        };
        report.results.push(TestOutcome {
            name: place.name,
            file: place.file,
            line: place.line,
            range: place.range,
            status,
            message: crate::text::escaped(&message, false).into_owned(),
        });
    }
    report
}
