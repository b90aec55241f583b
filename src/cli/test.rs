//! `jixiao test RULES...`: runs the `test` blocks of rule files (and of what they
//! extend), prints each test with 通过/失败, and for a failure the expected and actual
//! values and how the actual one was reached.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::rule_tests::{TestResult, run_tests};

use super::Failure;

#[derive(Debug, clap::Args)]
pub(crate) struct TestArgs {
    /// Rule files, or names of bundled rule sets.
    #[arg(required = true, value_name = "RULES")]
    rules: Vec<String>,
    /// Set a parameter for every test run, e.g. --set budget_weight=10 (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
}

pub(crate) fn run(args: &TestArgs) -> Result<ExitCode, Failure> {
    let mut out = String::new();
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    for spec in &args.rules {
        let rules = match super::load_rules_spec(Some(spec), &args.set) {
            Ok(r) => r,
            Err(e) => {
                // A rule file that does not compile fails all its tests; the others still run.
                super::print_report(e.as_ref());
                broken += 1;
                continue;
            }
        };
        let results = run_tests(&rules, &super::FileResolver);
        let _ = writeln!(
            out,
            "{}（{} 个测试）",
            line(&PathBuf::from(spec).display().to_string()),
            results.len()
        );
        for r in &results {
            if r.passed() {
                passed += 1;
                let _ = writeln!(out, "  通过  {}", line(&r.name));
            } else {
                failed += 1;
                render_failure(&mut out, r);
            }
        }
    }
    let _ = writeln!(out, "\n{passed} passed, {failed} failed");
    super::write_stdout(&out)?;
    Ok(if failed > 0 || broken > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A test's failure, every text from the rule file or a form made safe for a terminal.
fn render_failure(out: &mut String, r: &TestResult) {
    let _ = writeln!(out, "  失败  {}  ({})", line(&r.name), line(&r.location));
    for m in &r.failures {
        let _ = writeln!(
            out,
            "        {}：期望 {}，实际 {}",
            line(&m.what),
            line(&m.expected),
            line(&m.actual)
        );
        for (i, step) in m.trace.iter().enumerate() {
            let cite = step
                .rule
                .as_ref()
                .map(|c| format!("  ← {}", line(&c.to_string())))
                .unwrap_or_default();
            let text = jixiao::report::trace::text(step);
            let _ = writeln!(out, "          {}. {}{cite}", i + 1, line(&text));
        }
    }
}

/// A text on one line of the output, safe for a terminal.
fn line(s: &str) -> std::borrow::Cow<'_, str> {
    jixiao::text::escaped(s, false)
}
