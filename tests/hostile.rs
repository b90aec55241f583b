//! Hostile input: limits on size and count, numbers too long or too large, deep nesting,
//! lines too long to draw, encodings and line endings, files that cannot be read, and
//! output files that must survive a failed run. Every case ends in a diagnostic with a
//! stable code, never a panic, a stack overflow or a hang. Outcomes are asserted, never
//! durations.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use miette::Diagnostic;

use jixiao::{LimitError, Limits, RulesError, Source};

use crate::support::{d, form_with, hubei, indicator, render, score};

const SEED: &str = "examples/tongcheng-2021.toml";

/// The code of a diagnostic and of everything related to it, outermost first.
fn codes(diag: &dyn Diagnostic) -> Vec<String> {
    let mut out: Vec<String> = diag.code().map(|c| c.to_string()).into_iter().collect();
    if let Some(related) = diag.related() {
        for r in related {
            out.extend(codes(r));
        }
    }
    out
}

/// Renders as the CLI does, through [`jixiao::source::Printable`].
fn shown(diag: &dyn Diagnostic) -> String {
    render(&jixiao::source::Printable::new(diag))
}

/// The built binary in the crate's folder, with extra environment variables.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove(jixiao::limits::ENV)
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

/// As [`run`], but a run still going after a minute is killed and fails the test: a
/// safety net for cases whose bug would be a hang, not a measure of speed.
fn run_or_kill(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove(jixiao::limits::ENV)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Drain both pipes while waiting, so a full pipe cannot stall the child.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    for _ in 0..600 {
        if let Ok(Some(status)) = child.try_wait() {
            return Output {
                status,
                stdout: stdout.join().unwrap_or_default(),
                stderr: stderr.join().unwrap_or_default(),
            };
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("jixiao {args:?} did not finish");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("jixiao-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        std::fs::write(self.path(name), bytes).expect("write");
        self.arg(name)
    }

    /// Every name in the folder, sorted (a leftover temporary file would show here).
    fn listing(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("listable")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn seed_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).expect("seed")
}

// ---------------------------------------------------------------------------------------
// Limits

#[test]
fn a_50_mb_rule_file_is_refused_by_its_size_before_parsing() {
    // A valid header, then 50 MB of comment lines: 52,428,800 + 10 bytes.
    let mut text = String::from("rules \"t\"\n");
    let line = format!("#{}\n", "x".repeat(1022));
    text.push_str(&line.repeat(50 * 1024));
    assert_eq!(text.len(), 52_428_810);
    let err = match jixiao::compile(&Source::new("big.rules", text)) {
        Err(RulesError::Limit(e)) => e,
        Err(e) => panic!("another error: {}", render(&e)),
        Ok(_) => panic!("a 50 MB rule file compiled"),
    };
    assert!(matches!(err, LimitError::RuleBytes { .. }));
    let out = shown(&err);
    // 52,428,810 bytes = 50.0000095 MB: shown as 50.0 MB, 51 whole MB hold it.
    assert!(out.contains("jixiao::limit::rule_bytes"), "{out}");
    assert!(
        out.contains("规则文件 big.rules 有 50.0 MB，超过上限 10.0 MB"),
        "{out}"
    );
    assert!(out.contains("JIXIAO_LIMITS=rule_bytes=51MB"), "{out}");
}

#[test]
fn a_form_with_a_million_indicators_is_refused_by_its_size() {
    // 33 bytes an indicator: about 33 MB, over the 20 MB default.
    let one = "{level1=\"a\",level2=\"b\",name=\"c\"},";
    assert_eq!(one.len(), 33);
    let text = format!(
        "[budget]\nplanned=1\nexecuted=1\n[[goals]]\nname=\"g\"\nweight=1\nindicators=[{}]\n",
        one.repeat(1_000_000)
    );
    let err = jixiao::load_form(&Source::new("million.toml", text)).expect_err("refused");
    assert_eq!(
        codes(&err),
        ["jixiao::form::invalid", "jixiao::limit::form_bytes"]
    );
    let out = shown(&err);
    // 72 + 33,000,000 = 33,000,072 bytes / 1,048,576 = 31.47…: 31.4 MB shown, 32 MB
    // suggested.
    assert!(out.contains("有 31.4 MB，超过上限 20.0 MB"), "{out}");
    assert!(out.contains("JIXIAO_LIMITS=form_bytes=32MB"), "{out}");
}

/// As [`run`], with the child's address space bounded to `kb` kilobytes (`ulimit -v`):
/// an allocation past it fails and the child aborts, which the caller sees as a status
/// other than the expected one.
fn run_bounded(kb: u32, args: &[&str]) -> Output {
    let mut all = vec![
        "-c".to_owned(),
        format!("ulimit -v {kb}; exec \"$0\" \"$@\""),
        env!("CARGO_BIN_EXE_jixiao").to_owned(),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    Command::new("sh")
        .args(&all)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove(jixiao::limits::ENV)
        .stdin(Stdio::null())
        .output()
        .expect("sh runs")
}

/// 200 MB of address space. Measured with the debug build: the seed form scores in about
/// 20 MB (so the bound leaves room for the binary's baseline), an 18 MB form of empty
/// tables is refused in about 75 MB (the file read, decoded and held once more), and
/// before the TOML tokens were counted first, it took 1.2 GB.
const BOUND_KB: u32 = 200_000;

#[test]
fn an_18_mb_array_of_empty_tables_is_refused_in_memory_proportional_to_it() {
    // The bound does not stop a normal run.
    let out = run_bounded(BOUND_KB, &["score", SEED]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let dir = Scratch::new("dense");
    // 4 bytes and 4 tokens (`{`, `}`, `,`, a blank) an element; about 18 MB either way.
    let n = 18 * 1024 * 1024 / 4;
    let inline = dir.write("inline.toml", format!("goals = [{}]\n", "{}, ".repeat(n)));
    // `[[goals]]` and a line break: 10 bytes, 6 tokens.
    let tables = dir.write("tables.toml", "[[goals]]\n".repeat(18 * 1024 * 1024 / 10));
    // Entries within every count limit (1,000 an indicator), `{fund=1},`: 9 bytes, 6 tokens.
    let entries = dir.write(
        "entries.toml",
        format!(
            "[budget]\nplanned=1\nexecuted=1\n[[goals]]\nname=\"g\"\nweight=1\n{}",
            format!(
                "[[goals.indicators]]\nlevel1=\"产出指标\"\nlevel2=\"数量指标\"\nname=\"x\"\nweight=1\nentries=[{}]\n",
                "{fund=1},".repeat(1000)
            )
            .repeat(2000)
        ),
    );
    for form in [&inline, &tables, &entries] {
        let out = run_bounded(BOUND_KB, &["score", form]);
        assert_eq!(out.status.code(), Some(1), "{form}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains("jixiao::form::too_dense"), "{form}: {err}");
    }

    // The message, on 1 MB of them: 262,144 elements of 4 bytes and 4 tokens, and
    // `goals = [` (9 bytes; goals, blank, =, blank, [) and `]` and a line break (2 bytes;
    // 3 tokens with the end): 1,048,587 bytes, 1,048,584 tokens. The limit is a token per
    // 4 bytes plus 262,144: 262,146 + 262,144 = 524,290.
    let text = format!("goals = [{}]\n", "{}, ".repeat(262_144));
    let err = jixiao::load_form(&Source::new("dense.toml", text)).expect_err("dense");
    assert_eq!(
        err.errors[0].to_string(),
        "表单 dense.toml 的 TOML 过于零碎：1048587 字节中有 1048584 个记号，超过上限 524290 个"
    );
}

/// `n` indicators, one a line, in one goal. Named as real forms name them: a form of
/// one-letter names has more TOML tokens for its size than the loader accepts in a file
/// this large (`jixiao::form::too_dense`).
fn many_indicators(n: usize) -> String {
    format!(
        "[budget]\nplanned=1\nexecuted=1\n[[goals]]\nname=\"g\"\nweight=1\nindicators=[\n{}]\n",
        "{level1=\"产出指标\",level2=\"数量指标\",name=\"职业技能培训人次\"},\n".repeat(n)
    )
}

#[test]
fn a_form_with_more_indicators_than_the_limit_is_refused_by_count() {
    // 100,001 indicators (7.9 MB, within the size limit): refused after TOML parsing,
    // before any indicator's values are read, pointing at the 100,001st: the first is on
    // line 8, so the 100,001st on line 8 + 100,000 = 100,008.
    let err = jixiao::load_form(&Source::new("many.toml", many_indicators(100_001)))
        .expect_err("refused");
    assert_eq!(
        codes(&err),
        ["jixiao::form::invalid", "jixiao::limit::indicators"]
    );
    let out = shown(&err);
    assert!(
        out.contains("表单 many.toml 有 100001 项指标，超过上限 100000 项"),
        "{out}"
    );
    assert!(out.contains("[many.toml:100008:1]"), "{out}");
    assert!(out.contains("JIXIAO_LIMITS=indicators=100001"), "{out}");
    // Exactly at the limit is fine (as far as limits go).
    let limits = Limits {
        indicators: 3,
        ..Limits::default()
    };
    let at_limit =
        jixiao::load_form_with_limits(&Source::new("t.toml", many_indicators(3)), &limits);
    let at_limit_codes = at_limit.err().map(|e| codes(&e)).unwrap_or_default();
    assert!(
        !at_limit_codes
            .iter()
            .any(|c| c.starts_with("jixiao::limit::")),
        "{at_limit_codes:?}"
    );
}

#[test]
fn goals_and_entries_over_their_limits_are_refused() {
    let limits = Limits {
        goals: 2,
        entries: 2,
        ..Limits::default()
    };
    let goals = format!(
        "[budget]\nplanned=1\nexecuted=1\n{}",
        "[[goals]]\nname=\"g\"\nweight=1\n".repeat(3)
    );
    let err = jixiao::load_form_with_limits(&Source::new("g.toml", goals), &limits)
        .expect_err("three goals");
    assert_eq!(
        codes(&err),
        ["jixiao::form::invalid", "jixiao::limit::goals"]
    );
    // The third [[goals]] header is on line 10.
    assert!(shown(&err).contains("[g.toml:10:1]"), "{}", shown(&err));

    let entries = form_with(
        10,
        &indicator(
            "weight = 10\nentries = [\n{ fund = 1, target = \"1人\", actual = \"1人\" },\n\
             { fund = 1, target = \"1人\", actual = \"1人\" },\n\
             { fund = 1, target = \"1人\", actual = \"1人\" },\n]",
        ),
    );
    let err = jixiao::load_form_with_limits(&Source::new("e.toml", entries), &limits)
        .expect_err("three entries");
    assert_eq!(
        codes(&err),
        ["jixiao::form::invalid", "jixiao::limit::entries"]
    );
    assert!(shown(&err).contains("指标「指标」有 3 项资金来源（entries），超过上限 2 项"));
}

#[test]
fn an_import_over_the_limits_is_refused_before_its_toml_is_written() {
    use jixiao::import::{Format, Options, import_with_limits};
    let csv = "目标,一级指标,二级指标,三级指标,目标值,实际值,权重\n\
               预算执行情况,,,,100,100,\n\
               目标1,产出指标,数量指标,甲,1人,1人,5\n\
               目标1,产出指标,数量指标,乙,1人,1人,5\n";
    let limits = Limits {
        indicators: 1,
        ..Limits::default()
    };
    let err = import_with_limits(
        "t.csv",
        csv.as_bytes(),
        Format::Csv,
        &Options::default(),
        &limits,
    )
    .expect_err("two indicators");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::limit::indicators"]
    );
    let limits = Limits {
        form_bytes: 100,
        ..Limits::default()
    };
    let err = import_with_limits(
        "t.csv",
        csv.as_bytes(),
        Format::Csv,
        &Options::default(),
        &limits,
    )
    .expect_err("too big");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::limit::form_bytes"]
    );
}

#[test]
fn limits_are_raised_and_lowered_through_jixiao_limits() {
    // The seed form has 52 indicators (52 `[[goals.indicators]]` tables): over 10.
    let out = run(&["score", SEED], &[("JIXIAO_LIMITS", "indicators=10")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::limit::indicators"), "{err}");
    assert!(err.contains("JIXIAO_LIMITS=indicators="), "{err}");

    // A file over its size limit is refused before it is read (by its length on disk).
    let out = run(&["score", SEED], &[("JIXIAO_LIMITS", "form_bytes=1KB")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::limit::form_bytes"));
    let out = run(
        &["check", "rules/hubei-2021.rules"],
        &[("JIXIAO_LIMITS", "rule_bytes=1KB")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::limit::rule_bytes"));

    // Raised, the same run scores.
    let out = run(
        &["score", SEED, "-f", "json"],
        &[("JIXIAO_LIMITS", "indicators=60")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // A malformed value is bad usage.
    let out = run(&["score", SEED], &[("JIXIAO_LIMITS", "indicators=many")]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::limit::malformed"), "{err}");
    assert!(err.contains("「many」不是正整数"), "{err}");
}

/// A form whose indicators each have a malformed target: `n` errors, one per indicator.
fn malformed_values(n: usize) -> String {
    let mut text = String::from(
        "[budget]\nplanned = 100\nexecuted = 100\n\n[[goals]]\nname = \"目标\"\nweight = 80\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"指标{i}\"\ntarget = \"1,23人\"\nweight = 1\n"
        ));
    }
    text
}

#[test]
fn five_thousand_malformed_values_list_the_first_fifty_and_count_the_rest() {
    // Rendering each diagnostic scanned the file from its start: 26 s for these 5,000.
    // The safety net kills a run that hangs; the outcome is what is asserted.
    let dir = Scratch::new("malformed");
    let form = dir.write("many.toml", malformed_values(5000));
    for args in [
        vec!["score", form.as_str()],
        vec!["check", "hubei-2021", form.as_str()],
    ] {
        let out = run_or_kill(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(
            err.matches("jixiao::form::malformed_number").count(),
            50,
            "{args:?}"
        );
        assert_eq!(err.matches("jixiao::limit::diagnostics").count(), 1);
        // 5,000 errors, 50 listed: 4,950 counted in one line, after the last listed.
        assert!(
            err.contains("另有 4950 处错误未列出（每个文件最多列出 50 处）"),
            "{err}"
        );
        assert!(
            err.rfind("malformed_number") < err.find("另有 4950 处"),
            "{args:?}"
        );
        // The last one listed is the 50th indicator's, 指标49.
        assert!(err.contains("name = \"指标49\""), "{err}");
        assert!(!err.contains("name = \"指标50\""), "{err}");
    }
    let out = run_or_kill(&["score", &form]);
    assert!(text(&out.stderr).contains("有 5000 处错误"));

    // The library returns the same list.
    let err =
        jixiao::load_form(&Source::new("many.toml", malformed_values(60))).expect_err("malformed");
    assert_eq!(err.total, 60);
    assert_eq!(err.errors.len(), 51);
    assert_eq!(
        codes(&err).last().map(String::as_str),
        Some("jixiao::limit::diagnostics")
    );
}

// ---------------------------------------------------------------------------------------
// Numbers

#[test]
fn a_300_digit_number_in_a_rule_file_is_a_syntax_error() {
    let number = "9".repeat(300);
    let text = format!(
        "rules \"t\"\nbudget:\n    weight 20\n    score weight * {number}\nclass c for numbers:\n    score 1\n"
    );
    let err = match jixiao::compile(&Source::new("t.rules", text)) {
        Ok(_) => panic!("compiled"),
        Err(e) => e,
    };
    assert_eq!(codes(&err), ["jixiao::syntax::bad_number"]);
    // The label is on line 4 after 「    score weight * 」, 19 characters.
    assert!(shown(&err).contains("[t.rules:4:20]"), "{}", shown(&err));
}

#[test]
fn a_300_digit_number_in_a_form_is_an_error_at_the_value() {
    let rules = hubei();
    let digits = "9".repeat(300);
    for (fields, code) in [
        // As a string: the value parser refuses more than 28 significant digits.
        (
            format!("target = \"{digits}人次\"\nactual = \"1人次\"\nweight = 10"),
            "jixiao::form::malformed_number",
        ),
        // As a bare TOML integer: over i64, a TOML error.
        (
            format!("target = {digits}\nactual = 1\nweight = 10"),
            "jixiao::form::toml",
        ),
        // As a bare float: a number, too large to be exact.
        (
            format!("target = 1\nactual = 1\nweight = {digits}.5"),
            "jixiao::form::malformed_number",
        ),
        (
            format!("target = 1\nactual = 1\nweight = 1e{digits}"),
            "jixiao::form::toml",
        ),
    ] {
        let text = form_with(10, &indicator(&fields));
        let err = match jixiao::load_form(&Source::new("f.toml", text)) {
            Ok(form) => match jixiao::evaluate(&rules, &form) {
                Ok(o) => panic!("{fields}: scored {}", o.total),
                Err(e) => codes(&e),
            },
            Err(e) => codes(&e),
        };
        assert_eq!(
            err.last().map(String::as_str),
            Some(code),
            "{fields}: {err:?}"
        );
    }
}

#[test]
fn overflow_in_a_formula_is_an_error_pointing_at_the_value() {
    // 10 × B / A with B = 10^27 and A = 10^-27: the quotient 10^54 does not fit.
    let text = form_with(
        10,
        &indicator(&format!(
            "target = \"0.{}1人\"\nactual = \"1{}人\"\nweight = 10",
            "0".repeat(26),
            "0".repeat(27)
        )),
    );
    let err = crate::support::failure(&text);
    assert!(err.contains("jixiao::eval::overflow"), "{err}");
    assert!(err.contains("[form.toml:"), "{err}");
}

#[test]
fn a_rate_too_large_for_percent_is_shown_as_a_multiple() {
    // 执行率 B / A = 10^27: 20 × 10^27 fits (under 7.9 × 10^28) and is capped at 20, but
    // the rate in percent, 10^29, does not fit; the table shows it as a multiple.
    let dir = Scratch::new("rate");
    let form = format!(
        "[budget]\nplanned = 1\nexecuted = \"1{}\"\n",
        "0".repeat(27)
    );
    let path = dir.write("f.toml", form);
    let out = run(&["score", &path], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("1{} 倍", "0".repeat(27))));
    let o = score(&std::fs::read_to_string(&path).expect("form"));
    assert_eq!(o.budget.score, d("20.00"));
}

#[test]
fn a_band_default_too_large_for_percent_is_a_check_error() {
    let text = "rules \"t\"\nbudget:\n    weight 20\n    score weight\n\
                class q for text:\n    band 达成 [0%, 100%] default 79228162514264337593543950335\n    score weight * rate\n";
    let err = match jixiao::compile(&Source::new("t.rules", text)) {
        Ok(_) => panic!("compiled"),
        Err(e) => e,
    };
    let out = shown(&err);
    assert!(out.contains("jixiao::check::bad_band"), "{out}");
    assert!(out.contains("79228162514264337593543950335 倍"), "{out}");
}

// ---------------------------------------------------------------------------------------
// Nesting and long lines

#[test]
fn toml_nested_100000_deep_is_an_error_not_a_crash() {
    for (name, text) in [
        (
            "arrays",
            format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        (
            "tables",
            // Long keys: `{b=` nested 100,000 deep has more TOML tokens than its size
            // warrants, and is refused before parsing (jixiao::form::too_dense).
            format!(
                "a = {}1{}\n",
                "{abcdefgh=".repeat(100_000),
                "}".repeat(100_000)
            ),
        ),
        ("keys", format!("a{} = 1\n", ".a".repeat(100_000))),
        (
            "goals",
            format!("goals = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
    ] {
        let err = jixiao::load_form(&Source::new("deep.toml", text)).expect_err(name);
        assert_eq!(
            codes(&err),
            ["jixiao::form::invalid", "jixiao::form::toml"],
            "{name}"
        );
        // Drawn as the CLI draws it: the line is too long to show, its place is named.
        let out = shown(&err);
        assert!(out.contains("deep.toml"), "{name}: {out}");
    }
}

#[test]
fn a_label_on_a_very_long_line_is_named_not_drawn() {
    // miette panics drawing a label past column 65,535; the CLI names the place instead.
    let dir = Scratch::new("long");
    let long = dir.write("long.toml", format!("a = \"{}\n", "x".repeat(100_000)));
    let out = run(&["score", &long], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::form::toml"), "{err}");
    assert!(err.contains("第 1 行第 100006 列"), "{err}");
    assert!(err.contains("过长，不显示原文"), "{err}");

    // A rule file with an unknown name after 100,000 spaces on its line.
    let rules = dir.write(
        "long.rules",
        format!(
            "rules \"t\"\nbudget:\n    weight 20\n    score weight *{}未知\n",
            " ".repeat(100_000)
        ),
    );
    for command in ["check", "test"] {
        let out = run(&[command, &rules], &[]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = text(&out.stderr);
        assert!(
            err.contains("jixiao::check::unknown_name"),
            "{command}: {err}"
        );
        // 「    score weight *」 is 18 characters, then 100,000 spaces.
        assert!(err.contains("第 4 行第 100019 列"), "{command}: {err}");
    }

    let deep = dir.write(
        "deep.toml",
        format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let out = run(&["check", "hubei-2021", &deep], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("jixiao::form::toml"));
}

// ---------------------------------------------------------------------------------------
// Encodings and line endings

#[test]
fn crlf_rule_files_and_forms_mean_the_same() {
    let source = jixiao::bundled("hubei-2021").expect("bundled");
    let crlf = source.text().replace('\n', "\r\n");
    let rules = jixiao::compile(&Source::new("hubei-crlf.rules", crlf))
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert_eq!(rules.canonical(), hubei().canonical());

    let form = seed_text().replace('\n', "\r\n");
    // The seed form's total, worked out in README.md: 96.53.
    assert_eq!(score(&form).total, d("96.53"));
}

#[test]
fn utf8_with_a_byte_order_mark_and_crlf_reads_as_plain_utf8() {
    let dir = Scratch::new("bom");
    let bom_crlf = format!("\u{FEFF}{}", seed_text().replace('\n', "\r\n"));
    let form = dir.write("bom.toml", bom_crlf);
    let out = run(&["score", &form, "-f", "json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["total"], "96.53");
    // No decoding warning: UTF-8 with a BOM is UTF-8.
    assert_eq!(text(&out.stderr), "");

    let source = jixiao::bundled("hubei-2021").expect("bundled");
    let rules = dir.write(
        "bom.rules",
        format!("\u{FEFF}{}", source.text().replace('\n', "\r\n")),
    );
    let out = run(&["check", &rules], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&["score", SEED, "--rules", &rules, "-f", "json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_gbk_base_rule_file_is_decoded_with_a_warning() {
    // `extends` reads its base as the command line reads a rule file: GBK is decoded.
    let dir = Scratch::new("gbk-base");
    let base = jixiao::bundled("hubei-2021").expect("bundled");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(base.text());
    assert!(!unmappable);
    dir.write("base.rules", &*gbk);
    let child = dir.write(
        "child.rules",
        "rules \"child\"\nextends \"base.rules\"\nparam budget_weight = 10\n",
    );
    let out = run(&["check", &child], &[]);
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::io::decoded_gbk"), "{err}");
    assert!(!err.contains("jixiao::check::unknown_base"), "{err}");
}

#[test]
fn utf16_and_other_encodings_are_refused_saying_what_they_are() {
    let dir = Scratch::new("utf16");
    let seed = seed_text();
    let le: Vec<u8> = seed.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let with_bom = [&[0xFF, 0xFE][..], &le].concat();
    let (big5, _, _) = encoding_rs::BIG5.encode("rules \"台灣\"\n");
    for (name, bytes, found) in [
        // Without its byte order mark, UTF-16 of ASCII is valid UTF-8 and of Chinese
        // mostly valid GBK: the NUL bytes give it away.
        ("le.toml", le.clone(), "UTF-16"),
        ("bom.toml", with_bom, "UTF-16"),
        ("le.rules", le, "UTF-16"),
        (
            "book.toml",
            b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
            "工作簿",
        ),
    ] {
        let path = dir.write(name, &bytes);
        let args = if name.ends_with(".rules") {
            vec!["check", &path]
        } else {
            vec!["score", &path]
        };
        let out = run(&args, &[]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = text(&out.stderr);
        assert!(err.contains("jixiao::io::encoding"), "{name}: {err}");
        assert!(err.contains(found), "{name}: {err}");
        assert!(!err.contains("decoded_gbk"), "{name}: {err}");
    }
    // Big5 bytes that are also valid GBK cannot be told apart; they are read as GBK, but
    // never silently: the warning says so.
    let path = dir.write("big5.rules", &*big5);
    let out = run(&["check", &path], &[]);
    let err = text(&out.stderr);
    assert!(
        err.contains("jixiao::io::decoded_gbk") || err.contains("jixiao::io::encoding"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Files that cannot be read

#[cfg(unix)]
#[test]
fn a_loop_of_symbolic_links_is_a_read_error_not_a_hang() {
    let dir = Scratch::new("loop");
    std::os::unix::fs::symlink(dir.path("a.toml"), dir.path("b.toml")).expect("link");
    std::os::unix::fs::symlink(dir.path("b.toml"), dir.path("a.toml")).expect("link");
    std::os::unix::fs::symlink(dir.path("d.csv"), dir.path("d.csv")).expect("link");
    let (a, d) = (dir.arg("a.toml"), dir.arg("d.csv"));
    for args in [
        vec!["score", &a],
        vec!["check", "hubei-2021", &a],
        vec!["fmt", &a],
        vec!["import", &d],
        vec!["score", &d],
    ] {
        let out = run(&args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("jixiao::io::read"), "{args:?}: {err}");
    }
    // A rule file that is a loop.
    std::os::unix::fs::symlink(dir.path("r.rules"), dir.path("r.rules")).expect("link");
    let out = run(&["score", SEED, "--rules", &dir.arg("r.rules")], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::io::read"));

    // A folder holding the loop: it is listed as a form that could not be read, not
    // silently left out (and the folder is read one level deep, so no loop can recurse).
    // A named pipe there is skipped: reading it would wait for a writer forever.
    dir.write("c.toml", seed_text());
    let fifo = Command::new("mkfifo").arg(dir.path("pipe.toml")).status();
    let out = run_or_kill(&["score", &dir.0.display().to_string()]);
    if fifo.is_ok_and(|s| s.success()) {
        assert!(
            !text(&out.stderr).contains("pipe.toml"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::io::read"), "{err}");
    assert!(
        text(&out.stdout).contains("c.toml"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_folder_or_an_unreadable_file_where_a_file_belongs_is_a_read_error() {
    let dir = Scratch::new("unreadable");
    std::fs::create_dir_all(dir.path("folder.rules")).expect("folder");
    let out = run(&["check", &dir.arg("folder.rules")], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("jixiao::io::read"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["fmt", &dir.arg("folder.rules")], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::io::read"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let path = dir.write("locked.toml", seed_text());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        // Permissions are not enforced for root (tests often run as root in containers):
        // only assert when this process really cannot read the file.
        if std::fs::read(&path).is_err() {
            let out = run(&["score", &path], &[]);
            assert_eq!(out.status.code(), Some(1));
            assert!(text(&out.stderr).contains("jixiao::io::read"));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Output files

#[test]
fn a_write_that_fails_leaves_the_target_and_no_temporary_file() {
    // The output path is a folder that is not empty: the rename at the end fails.
    let dir = Scratch::new("write");
    std::fs::create_dir_all(dir.path("out.toml/inside")).expect("folder");
    let out = run(
        &[
            "import",
            "tests/fixtures/import/wenlv-2023-flat.csv",
            "-o",
            &dir.arg("out.toml"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("jixiao::io::write"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(dir.listing(), ["out.toml"]);
    assert!(dir.path("out.toml/inside").is_dir());

    // A failed conversion leaves an existing output as it was.
    let old = dir.write("old.toml", "旧的表单");
    let bad = dir.write("bad.csv", "不是表格\n");
    let out = run(&["import", &bad, "-o", &old], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&old).ok().as_deref(),
        Some("旧的表单")
    );
    assert_eq!(dir.listing(), ["bad.csv", "old.toml", "out.toml"]);
}

#[cfg(unix)]
#[test]
fn fmt_writes_through_a_symbolic_link() {
    let dir = Scratch::new("fmt-link");
    let real = dir.write(
        "real.rules",
        "rules \"t\"\nbudget:\n  weight 20\n  score weight\n",
    );
    std::os::unix::fs::symlink(&real, dir.path("link.rules")).expect("link");
    let out = run(&["fmt", &dir.arg("link.rules")], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        std::fs::symlink_metadata(dir.path("link.rules")).is_ok_and(|m| m.file_type().is_symlink())
    );
    assert_eq!(
        std::fs::read_to_string(&real).ok().as_deref(),
        Some("rules \"t\"\n\nbudget:\n    weight 20\n    score weight\n")
    );
    assert_eq!(dir.listing(), ["link.rules", "real.rules"]);
}

/// `score -o` writes through a symbolic link as `fmt` and `import -o` do (it had its own,
/// simpler writer that replaced the link with a file).
#[cfg(unix)]
#[test]
fn score_output_writes_through_a_symbolic_link() {
    let dir = Scratch::new("score-link");
    let real = dir.write("real.csv", "旧的报告");
    std::os::unix::fs::symlink(&real, dir.path("link.csv")).expect("link");
    let out = run(
        &[
            "score",
            "examples/tongcheng-2021.toml",
            "-f",
            "csv",
            "-o",
            &dir.arg("link.csv"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        std::fs::symlink_metadata(dir.path("link.csv")).is_ok_and(|m| m.file_type().is_symlink())
    );
    let written = std::fs::read_to_string(&real).expect("the report");
    assert!(written.contains("96.53"), "{written}");
    assert_eq!(dir.listing(), ["link.csv", "real.csv"]);
}
