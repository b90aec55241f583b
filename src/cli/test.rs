//! `jixiao test RULES...`: runs the `test` blocks of rule files (and of what they
//! extend), prints each test with 通过/失败, and for a failure the expected and actual
//! values and how the actual one was reached.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::rule_tests::{TestResult, Verdict, run_tests};

use super::Failure;

#[derive(Debug, clap::Args)]
pub(crate) struct TestArgs {
    /// 规则文件，或内置规则名
    #[arg(required = true, value_name = "RULES")]
    rules: Vec<String>,
    /// 为每个测试改变规则的一个参数，例如 --set budget_weight=10（可重复）
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// 把变体改变了结果的继承测试算作失败，而不是「变化」
    #[arg(long)]
    strict: bool,
}

/// How many tests came out each way.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    changed: usize,
    broken: usize,
}

pub(crate) fn run(args: &TestArgs) -> Result<ExitCode, Failure> {
    let mut out = String::new();
    let mut tally = Tally::default();
    for spec in &args.rules {
        let rules = match super::load_rules_spec(Some(spec), &args.set) {
            Ok(r) => r,
            Err(e) => {
                // A rule file that does not compile fails all its tests; the others still run.
                super::print_report(e.as_ref());
                tally.broken += 1;
                continue;
            }
        };
        let results = run_tests(&rules, &super::FileResolver);
        let inherited = results
            .iter()
            .filter(|r| r.inherited_from.is_some())
            .count();
        let _ = writeln!(
            out,
            "{}（{} 个测试{}）",
            line(&PathBuf::from(spec).display().to_string()),
            results.len(),
            if inherited > 0 {
                format!("，其中 {inherited} 个继承自基础规则")
            } else {
                String::new()
            }
        );
        for r in &results {
            match (r.verdict, args.strict) {
                (Verdict::Passed, _) => {
                    tally.passed += 1;
                    let _ = writeln!(out, "  通过  {}", line(&r.name));
                }
                (Verdict::Changed, false) => {
                    tally.changed += 1;
                    render_change(&mut out, r);
                }
                (Verdict::Failed | Verdict::Changed, _) => {
                    tally.failed += 1;
                    render_failure(&mut out, r);
                }
            }
        }
    }
    let _ = writeln!(out, "\n{}", summary(&tally));
    super::write_stdout(&out)?;
    Ok(if tally.failed > 0 || tally.broken > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `通过 38 个，失败 0 个`, and what the variants changed.
fn summary(t: &Tally) -> String {
    let mut s = format!("通过 {} 个，失败 {} 个", t.passed, t.failed);
    if t.changed > 0 {
        let _ = write!(
            s,
            "；变体改变了 {} 个继承自基础规则的测试的结果（不算失败；加 --strict 则算作失败）",
            t.changed
        );
    }
    if t.broken > 0 {
        let _ = write!(s, "；{} 个规则文件无法编译", t.broken);
    }
    s
}

/// A base's test that the variant changes: what the base gives, what the variant gives.
fn render_change(out: &mut String, r: &TestResult) {
    let _ = writeln!(out, "  变化  {}  ({})", line(&r.name), line(&r.location));
    for m in &r.failures {
        let _ = writeln!(
            out,
            "        {}：基础规则 {} → 本变体 {}",
            line(&m.what),
            line(&m.expected),
            line(&m.actual)
        );
    }
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
