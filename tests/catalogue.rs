//! The catalogue of every diagnostic: `tests/bad/` holds one small case per code, run
//! through the built binary and snapshotted as the user sees it (no colour, 100 columns).
//!
//! A case is a file named after its code, `::` written `__` (`form__unit_mismatch.toml`
//! is `jixiao::form::unit_mismatch`):
//! - `NAME.rules`: runs `jixiao check NAME.rules`;
//! - `NAME.toml`: runs `jixiao score NAME.toml`;
//! - either may instead name its command on its first line, `# jixiao: ARGS`, where `{}`
//!   stands for the file;
//! - `NAME.args`: the first line that is not a `#` comment holds the arguments, perhaps
//!   after environment variables (`JIXIAO_LIMITS=goals=3 score ../../examples/x.toml`);
//! - a code met in several kinds of input has a case for each after the first, named
//!   `NAME.KIND.args` (or `.rules`, `.toml`): `limit__sheet_cells.docx.args` is a Word
//!   document's table over the limit, `limit__sheet_cells.args` a worksheet's.
//!
//! Commands run in `tests/bad/`; inputs that are not cases live in `tests/bad/inputs/`,
//! and cases may point at the older fixtures under `tests/fixtures/`. Each case must
//! show its code, and every code of the catalogue (`jixiao::Code::ALL`, src/code.rs) must
//! have a case, unless [`NO_CASE`] says why it cannot. `docs/diagnostics.md` must list
//! every code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::Test;

/// Codes no input can produce, each with the reason. Keep this short and honest.
const NO_CASE: &[(&str, &str)] = &[
    (
        "jixiao::eval::unbound",
        "an internal invariant: the checker resolves every name a formula reads before any form is scored",
    ),
    (
        "jixiao::eval::budget_not_number",
        "the form loader refuses a budget that is not a number first (jixiao::form::budget_not_number); the evaluator keeps a diagnostic rather than a panic",
    ),
    (
        "jixiao::eval::missing_target",
        "the form loader refuses an actual value without a target first (jixiao::form::missing_target), for entries too",
    ),
    (
        "jixiao::eval::kind_mismatch",
        "the form loader refuses a target and actual of different kinds first (jixiao::form::kind_mismatch), across entries too",
    ),
    (
        "jixiao::xlsx::write",
        "the workbook writer failing: its one input-driven failure, a text longer than a cell holds, is now cut to fit (src/cli/xlsx.rs `fit`, tested there)",
    ),
    (
        "jixiao::lsp::protocol",
        "the language server's connection with the editor failing (stdin closed before `initialize`); asserted in tests/lsp.rs",
    ),
    (
        "jixiao::serve::bad_request",
        "a malformed request to the workbench's API (what only a hand-written request sends); asserted over HTTP in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::bind",
        "the workbench failing to listen (a port already taken): a case here would leave a server running when it does not fail; asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::exists",
        "an HTTP 409 of jixiao serve (variant or import over an existing file), asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::host",
        "an HTTP 403 of jixiao serve (a Host header that is not the server's), asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::internal",
        "a panic in a workbench handler, turned into HTTP 500: no input is known to cause one",
    ),
    (
        "jixiao::serve::not_found",
        "an HTTP 404 of jixiao serve, asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::origin",
        "an HTTP 403 of jixiao serve (a foreign Origin), asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::outside",
        "an HTTP 403 of jixiao serve (a path leading out of the folder), asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::read_only",
        "an HTTP 403 of jixiao serve (saving over a bundled rule set), asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::stale",
        "an HTTP 409 of jixiao serve (a save over a file changed since it was opened), asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::token",
        "an HTTP 403 of jixiao serve (no token, or a wrong one), asserted in tests/serve_api.rs",
    ),
    (
        "jixiao::serve::too_large",
        "an HTTP 413 of jixiao serve (a body over its limit), asserted in tests/serve_api.rs",
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every code: the catalogue, `jixiao::Code::ALL`.
fn catalogue() -> BTreeSet<String> {
    jixiao::Code::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// Every `.rs` file under `dir`, recursively, in name order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The codes named in miette's `#[diagnostic(code(jixiao::a::b))]` attributes in `text`:
/// the one place a code is written as text rather than as a [`jixiao::Code`], because
/// miette's derive takes only a literal there.
fn attribute_codes(text: &str) -> Vec<String> {
    text.match_indices("code(jixiao::")
        .filter_map(|(i, _)| {
            let rest = &text[i + "code(".len()..];
            let end = rest.find(')')?;
            Some(rest[..end].to_owned())
        })
        .collect()
}

fn bad_dir() -> PathBuf {
    root().join("tests/bad")
}

/// The cases: (file name, code).
fn cases() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(bad_dir())
        .expect("tests/bad")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| [".rules", ".toml", ".args"].iter().any(|x| n.ends_with(x)))
        .map(|n| {
            // The code is the name up to its first dot; a second part names the kind.
            let stem = n.split_once('.').map_or(n.as_str(), |(s, _)| s);
            let code = format!("jixiao::{}", stem.replace("__", "::"));
            (n.clone(), code)
        })
        .collect();
    out.sort();
    out
}

/// The environment variables and arguments a case runs with.
fn invocation(file: &str) -> (Vec<(String, String)>, Vec<String>) {
    let text = std::fs::read_to_string(bad_dir().join(file)).expect("case");
    let line = if file.ends_with(".args") {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or_else(|| panic!("{file}: no arguments"))
            .to_owned()
    } else {
        match text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# jixiao:"))
        {
            Some(args) => args.trim().replace("{}", file),
            None if file.ends_with(".rules") => format!("check {file}"),
            None => format!("score {file}"),
        }
    };
    let mut env = Vec::new();
    let mut args = Vec::new();
    for word in line.split_whitespace() {
        match word.split_once('=') {
            Some((k, v))
                if args.is_empty() && k.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
            {
                env.push((k.to_owned(), v.to_owned()));
            }
            _ => args.push(word.to_owned()),
        }
    }
    (env, args)
}

/// Runs a case; what the user sees, for the snapshot.
fn run(file: &str) -> String {
    let (env, args) = invocation(file);
    let mut test = Test::new().dir(bad_dir()).args(&args);
    for (k, v) in &env {
        test = test.env(k, v);
    }
    let out = test.run();
    let mut shown = String::from("$ ");
    for (k, v) in &env {
        shown.push_str(&format!("{k}={v} "));
    }
    shown.push_str(&format!(
        "jixiao {}\nexit: {}\n--- stderr\n{}",
        args.join(" "),
        out.status
            .code()
            .map_or("signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stderr)
    ));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = stdout.lines().count();
    if lines > 30 {
        let head: Vec<&str> = stdout.lines().take(10).collect();
        shown.push_str(&format!(
            "--- stdout (first 10 of {lines} lines)\n{}\n",
            head.join("\n")
        ));
    } else if lines > 0 {
        shown.push_str(&format!("--- stdout\n{stdout}"));
    }
    shown
}

#[test]
fn every_code_has_a_case_and_every_case_a_code() {
    let codes = catalogue();
    assert!(
        codes.len() > 90,
        "the scan found only {} codes",
        codes.len()
    );
    let cases: BTreeSet<String> = cases().into_iter().map(|(_, c)| c).collect();
    let allowed: BTreeSet<String> = NO_CASE.iter().map(|(c, _)| (*c).to_owned()).collect();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !cases.contains(*c) && !allowed.contains(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a case in tests/bad/ (add NAME.rules, NAME.toml or NAME.args, `::` as `__`): {missing:?}"
    );
    let stale: Vec<&String> = cases.iter().filter(|c| !codes.contains(*c)).collect();
    assert!(
        stale.is_empty(),
        "cases for codes that no longer exist: {stale:?}"
    );
    let allowed_stale: Vec<&String> = allowed
        .iter()
        .filter(|c| !codes.contains(*c) || cases.contains(*c))
        .collect();
    assert!(
        allowed_stale.is_empty(),
        "NO_CASE entries that are gone or have a case after all: {allowed_stale:?}"
    );
}

#[test]
fn every_derived_diagnostic_names_a_catalogued_code() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let catalogue = catalogue();
    let mut found = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source");
        for code in attribute_codes(&text) {
            found += 1;
            assert!(
                catalogue.contains(&code),
                "{}: {code} is not in jixiao::Code (src/code.rs)",
                path.display()
            );
        }
    }
    assert!(found > 80, "the scan found only {found} attributes");
    assert_eq!(
        attribute_codes(r#"#[diagnostic(code(jixiao::form::toml), help("x"))] code(jixiao::a::b)"#),
        ["jixiao::form::toml", "jixiao::a::b"]
    );
}

#[test]
fn every_case_shows_its_code() {
    insta::glob!("bad/*.{rules,toml,args}", |path| {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (_, code) = cases()
            .into_iter()
            .find(|(f, _)| *f == file)
            .unwrap_or_else(|| panic!("{file} is not a case"));
        let shown = run(&file);
        assert!(
            shown.contains(&code),
            "{file} does not show {code}:\n{shown}"
        );
        assert!(!shown.contains("panicked"), "{file}:\n{shown}");
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn docs_list_every_code() {
    let docs =
        std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    let codes = catalogue();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !docs.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/diagnostics.md does not list {missing:?}"
    );
    let listed: BTreeSet<String> = docs
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|q| q.starts_with("jixiao::") && q.split("::").count() == 3)
        .filter(|q| {
            q.bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b':')
        })
        .map(str::to_owned)
        .collect();
    let stale: Vec<&String> = listed.iter().filter(|c| !codes.contains(*c)).collect();
    assert!(
        stale.is_empty(),
        "docs/diagnostics.md lists codes that do not exist: {stale:?}"
    );
}
