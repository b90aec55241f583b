//! The `test` blocks that rule files carry (a product feature: policy staff state in the
//! rule file what its clauses must give), and running them.
//!
//! Input: compiled [`Rules`] (their tests, those of the bases first) and a [`Resolve`]r
//! for `form "path"` clauses. Output: one [`TestResult`] per test. A test's inline
//! indicators become a small form in the pinned TOML layout, so a test reads values
//! exactly as a form would; the form is then loaded and evaluated like any other.
//!
//! A file that `extends` another runs the base's tests too, under its own rules. Those
//! state what the base gives, which a variant often changes on purpose: a base test that
//! does not hold under the variant is what the variant changes
//! ([`Verdict::Changed`]), not a failure of the variant's own tests, provided it holds
//! under the base's own rules (else it fails: the base is wrong).

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::check::{Resolve, Rules, TestCase};
use crate::eval::{Outcome, Status, Step};
use crate::source::Source;
use crate::syntax::ast::{TestClause, TestValue};
use crate::syntax::vocabulary::{self, Role};

/// The result of one test.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// `file:line` of the test.
    pub location: String,
    /// The base file the test is written in, when it is not the file under test (a
    /// variant runs its bases' tests too).
    pub inherited_from: Option<String>,
    /// Passed, failed, or changed by the variant.
    pub verdict: Verdict,
    /// What did not match (under the rules tested); empty when the test passed.
    pub failures: Vec<Mismatch>,
}

/// How a test came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every expectation held.
    Passed,
    /// An expectation did not hold: a test of the file itself, or a base's test that
    /// does not hold under the base either.
    Failed,
    /// A base's test that holds under the base but not under the variant: what the
    /// variant changes. [`Mismatch::expected`] is the base's value, [`Mismatch::actual`]
    /// the variant's.
    Changed,
}

impl TestResult {
    /// Whether every expectation held.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Passed
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// What was compared: `总分`, `第 1 个指标「指标1」的得分`.
    pub what: String,
    /// The expected value as written.
    pub expected: String,
    /// What the rules gave.
    pub actual: String,
    /// How the actual value was reached, when it is one score.
    pub trace: Vec<Step<'static>>,
}

/// Runs every test of `rules`; a base's test that does not hold is run again under the
/// base's own rules (compiled with `resolver`, once per base file) to tell a change made
/// by the variant from a failure.
#[must_use]
pub fn run_tests(rules: &Rules, resolver: &dyn Resolve) -> Vec<TestResult> {
    let mut bases: HashMap<String, Option<Rules>> = HashMap::new();
    rules
        .tests()
        .iter()
        .map(|t| {
            let mut result = run_one(rules, t, resolver);
            if result.failures.is_empty() {
                result.verdict = Verdict::Passed;
            } else if result.inherited_from.is_some() {
                let base = bases
                    .entry(t.source.name().to_owned())
                    .or_insert_with(|| crate::check::compile_with(&t.source, resolver, &[]).ok());
                let holds = base
                    .as_ref()
                    .is_some_and(|b| run_one(b, t, resolver).failures.is_empty());
                if holds {
                    result.verdict = Verdict::Changed;
                }
            }
            result
        })
        .collect()
}

fn run_one(rules: &Rules, test: &TestCase, resolver: &dyn Resolve) -> TestResult {
    let block = &test.block;
    let mut result = TestResult {
        name: block.name.value.clone(),
        location: test.source.cite(block.name.span),
        inherited_from: (test.source.name() != rules.source().name())
            .then(|| test.source.name().to_owned()),
        verdict: Verdict::Failed,
        failures: Vec::new(),
    };
    let form_source = match block.clauses.iter().find_map(|c| match c {
        TestClause::Form(path) => Some(path),
        _ => None,
    }) {
        Some(path) => match resolver.resolve(&path.value, &test.source) {
            // The test's bonus and deduction items added to the file's.
            Ok(s) => match adjustment_tables(&block.clauses) {
                extra if extra.is_empty() => s,
                extra => Source::new(s.name(), format!("{}\n{extra}", s.text())),
            },
            Err(reason) => {
                result.failures.push(Mismatch {
                    what: format!("表单文件 {}", path.value),
                    expected: "可读取".into(),
                    actual: reason.to_string(),
                    trace: Vec::new(),
                });
                return result;
            }
        },
        None => Source::new(
            format!("测试「{}」", block.name.value),
            inline_form(&block.clauses),
        ),
    };
    let from_file = block
        .clauses
        .iter()
        .any(|c| matches!(c, TestClause::Form(_)));
    let mut form = crate::form::load_form(&form_source);
    if let (Ok(f), true) = (&mut form, from_file) {
        // A form file's facts replaced by the test's (an inline form has them already).
        if let Err(m) = with_facts(f, &block.clauses) {
            result.failures.push(m);
            return result;
        }
    }
    let scored = match &form {
        Ok(form) => crate::eval::evaluate(rules, form).map_err(|e| codes_and_message(&e)),
        Err(e) => Err(codes_and_message(e)),
    };
    let expected_error = block.clauses.iter().find_map(|c| match c {
        TestClause::Expect { what, value, .. } if what == "error" => Some(value),
        _ => None,
    });
    match (scored, expected_error) {
        (Err((codes, message)), Some(want)) => {
            if !codes.contains(&want.text) {
                result.failures.push(Mismatch {
                    what: "错误".into(),
                    expected: want.text.clone(),
                    actual: format!("{}：{message}", codes.join(" / ")),
                    trace: Vec::new(),
                });
            }
        }
        (Err((codes, message)), None) => result.failures.push(Mismatch {
            what: "计分".into(),
            expected: "成功".into(),
            actual: format!("{}：{message}", codes.join(" / ")),
            trace: Vec::new(),
        }),
        (Ok(outcome), Some(want)) => result.failures.push(Mismatch {
            what: "错误".into(),
            expected: want.text.clone(),
            actual: format!("没有错误，总分 {}", outcome.total),
            trace: Vec::new(),
        }),
        (Ok(outcome), None) => compare(&outcome, &block.clauses, &mut result.failures),
    }
    result
}

/// The codes of a diagnostic and of everything related to it, and its message.
fn codes_and_message(diag: &dyn miette::Diagnostic) -> (Vec<String>, String) {
    fn collect(d: &dyn miette::Diagnostic, out: &mut Vec<String>, message: &mut String) {
        if let Some(c) = d.code() {
            out.push(c.to_string());
        }
        if message.is_empty() || out.len() == 2 {
            // the innermost first error says most: 「表单有 1 处错误」 is less useful
            *message = d.to_string();
        }
        if let Some(related) = d.related() {
            for r in related {
                collect(r, out, message);
            }
        }
    }
    let mut codes = Vec::new();
    let mut message = String::new();
    collect(diag, &mut codes, &mut message);
    (codes, message)
}

/// A trace kept after its outcome is dropped.
fn owned(trace: &[Step<'_>]) -> Vec<Step<'static>> {
    trace.iter().map(|s| s.clone().into_owned()).collect()
}

fn compare(outcome: &Outcome, clauses: &[TestClause], failures: &mut Vec<Mismatch>) {
    let mut index = 0usize;
    for clause in clauses {
        match clause {
            TestClause::Indicator { expect, fields, .. } => {
                if let Some(want) = expect {
                    let Some(ind) = outcome.goals.first().and_then(|g| g.indicators.get(index))
                    else {
                        continue;
                    };
                    let actual = match (ind.status, ind.score) {
                        (Status::Omitted, _) | (_, None) => Got::Omitted,
                        (_, Some(s)) => Got::Number(s),
                    };
                    if !actual.matches(want) {
                        let name = fields
                            .iter()
                            .find(|(k, _)| k == "name")
                            .map_or(&*ind.name, |(_, v)| v.text.as_str());
                        failures.push(Mismatch {
                            what: format!("第 {} 个指标「{name}」的得分", index + 1),
                            expected: want.text.clone(),
                            actual: actual.shown(),
                            trace: owned(&ind.trace),
                        });
                    }
                }
                index += 1;
            }
            TestClause::Expect { what, value, .. } => {
                let (label, actual, trace) = match what.as_str() {
                    "total" => ("总分", Got::Number(outcome.total), Vec::new()),
                    "grade" => (
                        "等级",
                        Got::Text(outcome.grade.as_deref().unwrap_or_default().to_owned()),
                        Vec::new(),
                    ),
                    "budget" => (
                        "预算执行得分",
                        Got::Number(outcome.budget.score),
                        owned(&outcome.budget.trace),
                    ),
                    _ => (
                        "目标得分",
                        outcome
                            .goals
                            .first()
                            .map_or(Got::Text(String::new()), |g| Got::Number(g.score)),
                        Vec::new(),
                    ),
                };
                if !actual.matches(value) {
                    failures.push(Mismatch {
                        what: label.into(),
                        expected: value.text.clone(),
                        actual: actual.shown(),
                        trace,
                    });
                }
            }
            TestClause::Budget { .. }
            | TestClause::Form(_)
            | TestClause::Adjustment { .. }
            | TestClause::Fact { .. } => {}
        }
    }
}

/// What the rules gave for one expectation.
enum Got {
    /// An indicator left out (or without a score).
    Omitted,
    /// A score.
    Number(Decimal),
    /// A grade.
    Text(String),
}

impl Got {
    /// Numbers compare by value (`2` equals `2.00`), exactly: `parse` rounds past 28
    /// digits, which could make two numbers equal. A grade compares as text; an omitted
    /// indicator matches `不计` or `omitted`.
    fn matches(&self, want: &TestValue) -> bool {
        match self {
            Got::Omitted => matches!(want.text.as_str(), "不计" | "omitted"),
            Got::Number(d) => Decimal::from_str_exact(&want.text).is_ok_and(|w| w == *d),
            Got::Text(t) => want.text == *t,
        }
    }

    /// As a person reads it: a score as every report shows one (an unrounded quotient
    /// cut after 6 places and marked `…`).
    fn shown(&self) -> String {
        match self {
            Got::Omitted => "不计".to_owned(),
            Got::Number(d) => crate::num::shown::show(*d),
            Got::Text(t) => t.clone(),
        }
    }
}

/// The TOML form an inline test describes: its budget line (100万元 of 100万元 unless
/// given) and one goal holding its indicators, weighted by their sum.
fn inline_form(clauses: &[TestClause]) -> String {
    let mut budget = vec![
        ("planned".to_owned(), "\"100万元\"".to_owned()),
        ("executed".to_owned(), "\"100万元\"".to_owned()),
    ];
    let mut indicators = String::new();
    let mut adjustments = String::new();
    // `[form]`'s lines, from `fact` clauses.
    let mut form = String::new();
    let mut goal_weight = Decimal::ZERO;
    let mut n = 0usize;
    for clause in clauses {
        match clause {
            TestClause::Budget { fields, .. } => {
                for (k, v) in fields {
                    if let Some(slot) = budget.iter_mut().find(|(key, _)| key == k) {
                        slot.1 = toml_value(v);
                    }
                }
            }
            TestClause::Indicator {
                fields, entries, ..
            } => {
                n += 1;
                indicators.push_str("\n[[goals.indicators]]\n");
                let has = |key: &str| fields.iter().any(|(k, _)| k == key);
                for (key, default) in [("level1", "产出指标"), ("level2", "数量指标")] {
                    if !has(key) {
                        indicators.push_str(&format!("{key} = \"{default}\"\n"));
                    }
                }
                if !has("name") {
                    indicators.push_str(&format!("name = \"指标{n}\"\n"));
                }
                for (k, v) in fields {
                    indicators.push_str(&format!("{k} = {}\n", toml_value(v)));
                    if k == "weight" {
                        goal_weight = goal_weight
                            .checked_add(Decimal::from_str_exact(&v.text).unwrap_or_default())
                            .unwrap_or(goal_weight);
                    }
                }
                if !entries.is_empty() {
                    indicators.push_str("entries = [\n");
                    for e in entries {
                        let parts: Vec<String> = e
                            .iter()
                            .map(|(k, v)| format!("{k} = {}", toml_value(v)))
                            .collect();
                        indicators.push_str(&format!("  {{ {} }},\n", parts.join(", ")));
                    }
                    indicators.push_str("]\n");
                }
            }
            TestClause::Adjustment { .. } => {
                adjustments.push_str(&adjustment_tables(std::slice::from_ref(clause)))
            }
            TestClause::Fact { name, value, .. } => {
                form.push_str(&format!(
                    "{} = {}\n",
                    form_key(&name.name),
                    toml_value(value)
                ));
            }
            TestClause::Expect { .. } | TestClause::Form(_) => {}
        }
    }
    let mut out = String::new();
    if !form.is_empty() {
        out.push_str(&format!("[form]\n{form}\n"));
    }
    out.push_str("[budget]\n");
    for (k, v) in &budget {
        out.push_str(&format!("{k} = {v}\n"));
    }
    out.push_str(&format!(
        "\n[[goals]]\nname = \"测试目标\"\nweight = {goal_weight}\n"
    ));
    out.push_str(&indicators);
    out.push_str(&adjustments);
    out
}

/// The `[[bonus]]` and `[[deduction]]` tables of a test's `bonus`/`deduction` clauses.
fn adjustment_tables(clauses: &[TestClause]) -> String {
    let mut out = String::new();
    for clause in clauses {
        if let TestClause::Adjustment {
            kind, name, value, ..
        } = clause
        {
            let name = toml::Value::String(name.value.clone());
            out.push_str(&format!(
                "\n[[{}]]\nname = {name}\nvalue = {}\n",
                kind.keyword(),
                toml_value(value)
            ));
        }
    }
    out
}

/// `form`'s year, department and facts as the test's `fact` clauses give them.
fn with_facts(form: &mut crate::Form, clauses: &[TestClause]) -> Result<(), Mismatch> {
    use crate::form::{Fact, FactValue, Text};
    use crate::source::Span;
    for clause in clauses {
        let TestClause::Fact { name, value, .. } = clause else {
            continue;
        };
        match vocabulary::english(&name.name, |r| r == Role::Builtin) {
            Some("year") => {
                form.year = Some(value.text.parse().map_err(|_| Mismatch {
                    what: format!("测试中的 {}", name.name),
                    expected: "整数年度，如 2022".into(),
                    actual: value.text.clone(),
                    trace: Vec::new(),
                })?);
            }
            Some("department") => form.department = Some(value.text.clone()),
            _ => {
                let v = match Decimal::from_str_exact(&value.text) {
                    Ok(n) if value.number => FactValue::Number(n),
                    _ => FactValue::Text(value.text.trim().into()),
                };
                form.facts.retain(|f| *f.name.text != *name.name);
                form.facts.push(Fact {
                    name: Text {
                        text: name.name.as_str().into(),
                        span: Span::new(0, 0),
                    },
                    value: v,
                    span: Span::new(0, 0),
                });
            }
        }
    }
    Ok(())
}

/// The `[form]` key a test's `fact NAME` sets: `year` and `department` (in either
/// language), else the fact's own name, quoted.
fn form_key(name: &str) -> String {
    match vocabulary::english(name, |r| r == Role::Builtin) {
        Some(key @ ("year" | "department")) => key.to_owned(),
        _ => toml::Value::String(name.to_owned()).to_string(),
    }
}

/// A test literal as a TOML value: numbers bare, text as an escaped string.
fn toml_value(v: &TestValue) -> String {
    if v.number {
        v.text.clone()
    } else {
        toml::Value::String(v.text.clone()).to_string()
    }
}
