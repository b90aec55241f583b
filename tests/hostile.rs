//! Hostile input: limits on size and count, numbers too long or too large, deep nesting,
//! lines too long to draw, encodings and line endings, files that cannot be read, and
//! output files that must survive a failed run. Every case ends in a diagnostic with a
//! stable code, never a panic, a stack overflow or a hang. Outcomes are asserted, never
//! durations.

use std::path::Path;
use std::process::{Command, Stdio};

use miette::Diagnostic;

use jixiao::{LimitError, Limits, RulesError, Source};

use crate::support::{
    Scratch, Test, codes, d, form_with, hubei, indicator, jixiao, render, repo_file, says, score,
    text,
};

const SEED: &str = "examples/tongcheng-2021.toml";

/// Renders as the CLI does, through [`jixiao::source::Printable`].
fn shown(diag: &dyn Diagnostic) -> String {
    render(&jixiao::source::Printable::new(diag))
}

pub(crate) fn seed_text() -> String {
    repo_file(SEED)
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

/// 200 MB of address space. Measured with the debug build: the seed form scores in about
/// 20 MB (so the bound leaves room for the binary's baseline), an 18 MB form of empty
/// tables is refused in about 75 MB (the file read, decoded and held once more), and
/// before the TOML tokens were counted first, it took 1.2 GB.
const BOUND_KB: u64 = 200_000;

#[test]
fn an_18_mb_array_of_empty_tables_is_refused_in_memory_proportional_to_it() {
    // The bound does not stop a normal run.
    let out = Test::new()
        .args(&["score", SEED])
        .memory_kib(BOUND_KB)
        .kill_after_a_minute()
        .run();
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
        let out = Test::new()
            .args(&["score", form])
            .memory_kib(BOUND_KB)
            .kill_after_a_minute()
            .run();
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
    let out = Test::new()
        .args(&["score", SEED])
        .env("JIXIAO_LIMITS", "indicators=10")
        .run();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::limit::indicators"), "{err}");
    assert!(err.contains("JIXIAO_LIMITS=indicators="), "{err}");

    // A file over its size limit is refused before it is read (by its length on disk).
    let out = Test::new()
        .args(&["score", SEED])
        .env("JIXIAO_LIMITS", "form_bytes=1KB")
        .run();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::limit::form_bytes"));
    let out = Test::new()
        .args(&["check", "rules/hubei-2021.rules"])
        .env("JIXIAO_LIMITS", "rule_bytes=1KB")
        .run();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::limit::rule_bytes"));

    // Raised, the same run scores.
    let out = Test::new()
        .args(&["score", SEED, "-f", "json"])
        .env("JIXIAO_LIMITS", "indicators=60")
        .run();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // A malformed value is bad usage.
    let out = Test::new()
        .args(&["score", SEED])
        .env("JIXIAO_LIMITS", "indicators=many")
        .run();
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
        let out = Test::new().args(&args).kill_after_a_minute().run();
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
    let out = Test::new()
        .args(&["score", &form])
        .kill_after_a_minute()
        .run();
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
    // 10 × B / A with B = 10^27 and A = 10^-27: the quotient 10^55 is exact (a fraction),
    // and hubei-2021 caps it at the weight, 10.00; rust_decimal alone overflowed here.
    let text = form_with(
        10,
        &indicator(&format!(
            "target = \"0.{}1人\"\nactual = \"1{}人\"\nweight = 10",
            "0".repeat(26),
            "0".repeat(27)
        )),
    );
    assert_eq!(crate::support::only_score(&text), d("10.00"));
    // Without a cap the score, 10^55, cannot be written as a decimal: an overflow that
    // points at the indicator in the form.
    let rules = jixiao::compile(&Source::new(
        "uncapped.rules",
        "rules \"u\"\nround 2 half_up at indicator\nbudget:\n    weight 20\n    score weight\n\
         class c for numbers:\n    score weight * B / A\n",
    ))
    .expect("valid rules");
    let err = crate::support::score_text(&rules, &text).expect_err("overflows");
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
    let out = jixiao(&["score", &path]);
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
    let out = jixiao(&["score", &long]);
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
        let out = jixiao(&[command, &rules]);
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
    let out = jixiao(&["check", "hubei-2021", &deep]);
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
    let out = jixiao(&["score", &form, "-f", "json"]);
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
    let out = jixiao(&["check", &rules]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = jixiao(&["score", SEED, "--rules", &rules, "-f", "json"]);
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
    let out = jixiao(&["check", &child]);
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
        let out = jixiao(&args);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = text(&out.stderr);
        assert!(err.contains("jixiao::io::encoding"), "{name}: {err}");
        assert!(err.contains(found), "{name}: {err}");
        assert!(!err.contains("decoded_gbk"), "{name}: {err}");
    }
    // Big5 bytes that are also valid GBK cannot be told apart; they are read as GBK, but
    // never silently: the warning says so.
    let path = dir.write("big5.rules", &*big5);
    let out = jixiao(&["check", &path]);
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
        let out = jixiao(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("jixiao::io::read"), "{args:?}: {err}");
    }
    // A rule file that is a loop.
    std::os::unix::fs::symlink(dir.path("r.rules"), dir.path("r.rules")).expect("link");
    let out = jixiao(&["score", SEED, "--rules", &dir.arg("r.rules")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::io::read"));

    // A folder holding the loop: it is listed as a form that could not be read, not
    // silently left out (and the folder is read one level deep, so no loop can recurse).
    // A named pipe there is skipped: reading it would wait for a writer forever.
    dir.write("c.toml", seed_text());
    let fifo = Command::new("mkfifo").arg(dir.path("pipe.toml")).status();
    let out = Test::new()
        .args(["score", &dir.folder()])
        .kill_after_a_minute()
        .run();
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
    out.stdout_has("c.toml");
}

#[test]
fn a_folder_or_an_unreadable_file_where_a_file_belongs_is_a_read_error() {
    let dir = Scratch::new("unreadable");
    std::fs::create_dir_all(dir.path("folder.rules")).expect("folder");
    let out = jixiao(&["check", &dir.arg("folder.rules")]);
    assert_eq!(out.status.code(), Some(1));
    out.stderr_has("jixiao::io::read");
    let out = jixiao(&["fmt", &dir.arg("folder.rules")]);
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
            let out = jixiao(&["score", &path]);
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
    let out = jixiao(&[
        "import",
        "tests/fixtures/import/wenlv-2023-flat.csv",
        "-o",
        &dir.arg("out.toml"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    out.stderr_has("jixiao::io::write");
    assert_eq!(dir.listing(), ["out.toml"]);
    assert!(dir.path("out.toml/inside").is_dir());

    // A failed conversion leaves an existing output as it was.
    let old = dir.write("old.toml", "旧的表单");
    let bad = dir.write("bad.csv", "不是表格\n");
    let out = jixiao(&["import", &bad, "-o", &old]);
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
    let out = jixiao(&["fmt", &dir.arg("link.rules")]);
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
    let out = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "-f",
        "csv",
        "-o",
        &dir.arg("link.csv"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        std::fs::symlink_metadata(dir.path("link.csv")).is_ok_and(|m| m.file_type().is_symlink())
    );
    let written = std::fs::read_to_string(&real).expect("the report");
    assert!(written.contains("96.53"), "{written}");
    assert_eq!(dir.listing(), ["link.csv", "real.csv"]);
}

// ---------------------------------------------------------------------------------------
// Outputs that are not regular files, outputs that are inputs, names, signals, pipes

#[cfg(unix)]
fn file_type(path: &Path) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    match std::fs::symlink_metadata(path).map(|m| m.file_type()) {
        Ok(t) if t.is_symlink() => "link",
        Ok(t) if t.is_char_device() => "char device",
        Ok(t) if t.is_fifo() => "fifo",
        Ok(t) if t.is_file() => "file",
        Ok(_) => "other",
        Err(_) => "missing",
    }
}

/// A named pipe `name` in `dir`, and a thread that reads it to the end once a writer
/// opens it.
#[cfg(unix)]
fn fifo_with_reader(dir: &Scratch, name: &str) -> std::thread::JoinHandle<Vec<u8>> {
    let path = dir.fifo(name);
    std::thread::spawn(move || std::fs::read(path).unwrap_or_default())
}

/// `-o` naming a device, a named pipe, or a symbolic link to one replaced it with a
/// regular file (as root, the device node itself was destroyed), and `-o /dev/full`
/// exited 0. Such a target is now written into, never renamed over, and a full device is
/// `jixiao::io::write` with exit 1. The devices are made in the scratch folder (`mknod`,
/// as root; skipped elsewhere) rather than risking the machine's own `/dev/null`.
#[cfg(unix)]
#[test]
fn devices_pipes_and_links_to_them_are_written_into_never_replaced() {
    let dir = Scratch::new("devices");
    // A named pipe, and a link to it: the report arrives at the reader.
    let pipe = dir.path("pipe");
    std::os::unix::fs::symlink(&pipe, dir.path("to-pipe")).expect("link");
    for target in ["pipe", "to-pipe"] {
        let reader = fifo_with_reader(&dir, "pipe");
        let out = Test::new()
            .args(&["score", SEED, "-f", "csv", "-o", &dir.arg(target)])
            .kill_after_a_minute()
            .run();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(file_type(&pipe), "fifo", "-o {target}");
        let got = text(&reader.join().expect("the reader"));
        assert!(got.starts_with("\u{FEFF}项目,"), "{got}");
        assert!(got.contains("总分,,,,,,,100,96.53,94,2.53\r\n"), "{got}");
        std::fs::remove_file(&pipe).expect("removed");
    }
    assert_eq!(file_type(&dir.path("to-pipe")), "link");
    assert_eq!(dir.listing(), ["to-pipe"]);

    let mknod = |name: &str, minor: &str| {
        Command::new("mknod")
            .args([&dir.arg(name), "c", "1", minor])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !(mknod("null", "3") && mknod("full", "7")) {
        return;
    }
    std::os::unix::fs::symlink(dir.path("null"), dir.path("to-null")).expect("link");
    std::os::unix::fs::symlink(dir.path("full"), dir.path("to-full")).expect("link");
    let csv = "tests/fixtures/import/wenlv-2023-flat.csv";
    for target in ["null", "to-null", "full", "to-full"] {
        let o = dir.arg(target);
        for args in [
            vec!["score", SEED, "-f", "csv", "-o", &o],
            // A batch streams its JSON straight to the output.
            vec!["score", SEED, SEED, "-f", "json", "-o", &o],
            vec!["import", csv, "-o", &o],
        ] {
            let out = jixiao(&args);
            let err = text(&out.stderr);
            if target.ends_with("full") {
                assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
                assert!(err.contains("jixiao::io::write"), "{args:?}: {err}");
                assert!(
                    says(
                        &err,
                        &format!(
                            "无法写入 {o}：写入失败：磁盘空间已满（No space left on device (os error 28)）"
                        )
                    ),
                    "{args:?}: {err}"
                );
            } else {
                assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
            }
        }
    }
    assert_eq!(file_type(&dir.path("null")), "char device");
    assert_eq!(file_type(&dir.path("full")), "char device");
    assert_eq!(file_type(&dir.path("to-null")), "link");
    assert_eq!(
        dir.listing(),
        ["full", "null", "to-full", "to-null", "to-pipe"]
    );
}

/// `-o /dev/stdout` is whatever stdout is: a pipe, or a file the shell opened, which is
/// added to (as the shell's `>>` asked), not renamed over (the old file replaced, the
/// shell's text lost). When stdout was a pipe, `/dev/stdout` itself was replaced by a
/// regular file, for every process on the machine; so this test uses its own link to
/// `/proc/self/fd/1`, which is what `/dev/stdout` is, never the machine's. A full stdout
/// without `-o` is reported too: it exited 0.
#[cfg(target_os = "linux")]
#[test]
fn dev_stdout_is_written_into_and_a_full_stdout_is_an_error() {
    let dir = Scratch::new("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.path("stdout")).expect("link");
    let stdout = dir.arg("stdout");
    let out = jixiao(&["score", SEED, "-f", "csv", "-o", &stdout]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("总分,,,,,,,100,96.53,94,2.53\r\n"));

    use std::os::unix::fs::MetadataExt as _;
    let log = dir.write("log.csv", "前言\n");
    let inode = std::fs::metadata(&log).map(|m| m.ino()).expect("inode");
    let append = std::fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .expect("open");
    Test::new()
        .args(["score", SEED, "-f", "csv", "-o", &stdout])
        .stdout_to(append)
        .run()
        .status(0);
    let written = std::fs::read_to_string(&log).expect("log");
    assert!(written.starts_with("前言\n\u{FEFF}项目,"), "{written}");
    assert!(written.contains("等级,,,,,,,,优,优,\r\n"), "{written}");
    assert!(
        written.ends_with(",jixiao::eval::weight_sum\r\n"),
        "{written}"
    );
    assert_eq!(std::fs::metadata(&log).map(|m| m.ino()).ok(), Some(inode));
    assert_eq!(dir.listing(), ["log.csv", "stdout"]);
    assert_eq!(file_type(&dir.path("stdout")), "link");

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = Test::new().args(["score", SEED]).stdout_to(full).run();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        says(
            &text(&out.stderr),
            "无法写入 标准输出：写入失败：磁盘空间已满（No space left on device (os error 28)）"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// `-o /proc/version` said the file did not exist; it exists, and is the kernel's.
#[cfg(target_os = "linux")]
#[test]
fn a_file_of_the_kernel_is_named_for_what_it_is() {
    let out = jixiao(&["score", SEED, "-f", "csv", "-o", "/proc/version"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::io::write"), "{err}");
    assert!(
        says(
            &err,
            "无法写入 /proc/version：这是系统的虚拟文件（/proc、/sys 下），不是普通文件，不能写入"
        ),
        "{err}"
    );
    assert!(!err.contains("不存在"), "{err}");
}

/// `score t.toml -o t.toml` replaced the form with its report, `import w.csv -o w.csv`
/// the workbook with its TOML. An output that is one of the inputs (the same file, by
/// any name: a hard or symbolic link too), a form inside a folder named, a rule file or
/// a file it extends, is refused as bad usage (exit 2), and nothing is written.
#[cfg(unix)]
#[test]
fn an_output_that_is_an_input_is_refused_and_left_alone() {
    let dir = Scratch::new("output-is-input");
    let form = dir.write("t.toml", seed_text());
    std::fs::hard_link(&form, dir.path("hard.csv")).expect("hard link");
    std::os::unix::fs::symlink(&form, dir.path("soft.csv")).expect("link");
    std::fs::create_dir(dir.path("forms")).expect("folder");
    dir.write("forms/a.toml", seed_text());
    dir.write("base.rules", "rules \"base\"\nextends \"hubei-2021\"\n");
    let rules = dir.write("my.rules", "rules \"mine\"\nextends \"base.rules\"\n");
    let csv = dir.write(
        "w.csv",
        std::fs::read("tests/fixtures/import/wenlv-2023-flat.csv").expect("fixture"),
    );
    std::os::unix::fs::symlink(&csv, dir.path("w-link.toml")).expect("link");
    let before: Vec<(String, Vec<u8>)> =
        ["t.toml", "forms/a.toml", "base.rules", "my.rules", "w.csv"]
            .iter()
            .map(|n| ((*n).to_owned(), std::fs::read(dir.path(n)).expect("read")))
            .collect();
    let cases: [(Vec<String>, &str); 8] = [
        (
            vec!["score".into(), form.clone(), "-o".into(), form.clone()],
            "t.toml",
        ),
        (
            vec![
                "score".into(),
                form.clone(),
                "-o".into(),
                dir.arg("hard.csv"),
            ],
            "t.toml",
        ),
        (
            vec![
                "score".into(),
                form.clone(),
                "-o".into(),
                dir.arg("soft.csv"),
            ],
            "t.toml",
        ),
        (
            vec![
                "score".into(),
                dir.arg("forms"),
                "-f".into(),
                "csv".into(),
                "-o".into(),
                dir.arg("forms/a.toml"),
            ],
            "forms/a.toml",
        ),
        (
            vec![
                "score".into(),
                form.clone(),
                "--rules".into(),
                rules.clone(),
                "-f".into(),
                "csv".into(),
                "-o".into(),
                rules.clone(),
            ],
            "my.rules",
        ),
        (
            vec![
                "score".into(),
                form.clone(),
                "--rules".into(),
                rules.clone(),
                "-f".into(),
                "csv".into(),
                "-o".into(),
                dir.arg("base.rules"),
            ],
            "base.rules",
        ),
        (
            vec!["import".into(), csv.clone(), "-o".into(), csv.clone()],
            "w.csv",
        ),
        (
            vec![
                "import".into(),
                csv.clone(),
                "-o".into(),
                dir.arg("w-link.toml"),
            ],
            "w.csv",
        ),
    ];
    for (args, input) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = jixiao(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("jixiao::usage::output_is_input"),
            "{args:?}: {err}"
        );
        assert!(
            says(
                &err,
                &format!("就是输入文件 {}，写入会覆盖它", dir.arg(input))
            ),
            "{args:?}: {err}"
        );
    }
    for (name, bytes) in before {
        assert_eq!(std::fs::read(dir.path(&name)).ok(), Some(bytes), "{name}");
    }
    assert_eq!(
        dir.listing(),
        [
            "base.rules",
            "forms",
            "hard.csv",
            "my.rules",
            "soft.csv",
            "t.toml",
            "w-link.toml",
            "w.csv"
        ]
    );
}

/// 80 Chinese characters and `.csv`: 244 bytes, a valid name (the limit is 255), but the
/// temporary name was built from it (`.NAME.PID-N.jixiao.tmp`) and went over the limit.
#[test]
fn an_output_name_near_the_length_limit_is_written() {
    let dir = Scratch::new("long-name");
    let name = format!("{}.csv", "绩".repeat(80));
    assert_eq!(name.len(), 244);
    let out = jixiao(&["score", SEED, "-o", &dir.arg(&name)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(dir.path(&name)).expect("written");
    assert!(
        written.contains("总分,,,,,,,100,96.53,94,2.53\r\n"),
        "{written}"
    );
    assert_eq!(dir.listing(), [name]);
}

use crate::native_baseline::generator;

/// A batch interrupted by SIGTERM, SIGINT or SIGHUP (a closed terminal) left its
/// half-written report (`.NAME.PID-0.jixiao.tmp`, ~100 MB for a large batch) and the
/// sections an HTML or Markdown report keeps aside (`.jixiao-sections.*`, beside the
/// report or in the temporary folder) behind. Now the report's temporary file is removed
/// and the sections never had a name, and the process ends as the signal ends it.
///
/// The batch stops, deterministically, at its last form: a named pipe that the test
/// opens for writing only once jixiao is reading it, when the first 64 generated forms
/// (one thread: one chunk of 64) are scored and written. Then the signal comes.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_batch_leaves_no_temporary_file_and_the_old_report() {
    use std::os::unix::process::ExitStatusExt as _;
    use std::sync::mpsc;
    let dir = Scratch::new("signals");
    for sub in ["forms", "out", "tmp"] {
        std::fs::create_dir(dir.path(sub)).expect("folder");
    }
    for i in 0..64 {
        dir.write(&format!("forms/form-{i:05}.toml"), generator::form(1, i));
    }
    let reports = ["big.html", "big.json", "big.md"];
    for r in reports {
        dir.write(&format!("out/{r}"), "旧的报告");
    }
    let pipe = dir.path("zz-last.toml");
    // (signal number, its name for kill, the report, or `-` for HTML on stdout)
    for (number, name, report) in [
        (15, "TERM", "big.json"),
        (2, "INT", "big.html"),
        (1, "HUP", "big.md"),
        (15, "TERM", "-"),
    ] {
        dir.fifo("zz-last.toml");
        let mut args = vec![
            "score".to_owned(),
            dir.arg("forms"),
            pipe.display().to_string(),
        ];
        let aside = if report == "-" {
            args.extend(["-f".to_owned(), "html".to_owned()]);
            dir.path("tmp")
        } else {
            args.extend(["-o".to_owned(), dir.arg(&format!("out/{report}"))]);
            dir.path("out")
        };
        let mut child = Test::new()
            .args(&args)
            .env("RAYON_NUM_THREADS", "1")
            .env("TMPDIR", dir.path("tmp"))
            .spawn();
        // Opening the pipe for writing returns once jixiao opens it for reading.
        let (tx, rx) = mpsc::channel();
        let p = pipe.clone();
        std::thread::spawn(move || {
            let _ = tx.send(std::fs::OpenOptions::new().write(true).open(p));
        });
        let mut writer = None;
        for _ in 0..600 {
            match rx.recv_timeout(std::time::Duration::from_millis(100)) {
                Ok(w) => {
                    writer = Some(w.expect("the pipe opens"));
                    break;
                }
                Err(_) => {
                    if let Ok(Some(status)) = child.try_wait() {
                        panic!("jixiao ended ({status}) before reading its last form");
                    }
                }
            }
        }
        if writer.is_none() {
            let _ = child.kill();
            panic!("jixiao did not reach its last form");
        }
        // What is being written: the report's temporary file beside it (JSON goes
        // straight there), or the sections kept aside (HTML, Markdown), whose file has
        // no name left.
        let open: Vec<String> = std::fs::read_dir(format!("/proc/{}/fd", child.id()))
            .expect("the process's files")
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read_link(e.path()).ok())
            .map(|l| l.display().to_string())
            .collect();
        let prefix = format!("{}/.jixiao-", aside.display());
        assert!(
            open.iter().any(|l| l.starts_with(&prefix)),
            "{report}: {open:?}"
        );
        let kill = Command::new("kill")
            .args(["-s", name, &child.id().to_string()])
            .status();
        assert!(kill.is_ok_and(|s| s.success()), "kill -s {name}");
        let status = child.wait().expect("ended");
        drop(writer);
        assert_eq!(status.signal(), Some(number), "{report}: {status}");
        assert_eq!(dir.listing_of("out"), reports, "{report}");
        for r in reports {
            assert_eq!(
                std::fs::read_to_string(dir.path(&format!("out/{r}")))
                    .ok()
                    .as_deref(),
                Some("旧的报告")
            );
        }
        assert_eq!(dir.listing_of("tmp"), Vec::<String>::new(), "{report}");
        std::fs::remove_file(&pipe).expect("removed");
    }
}

/// `jixiao score bad.toml 2>&1 | head -1` panicked (exit 101) writing its diagnostics
/// into the closed pipe, in every command. A closed stderr is now no error of its own
/// (there is nowhere left to report it): the run's status stands, 1 for bad forms. A
/// closed stdout ends the run quietly, as SIGPIPE ends other Unix tools (bash reports
/// 141 = 128 + 13), nothing on stderr. Every output here is larger than a pipe holds
/// (64 KiB), so the reader (`head -c 1`) is gone before it ends.
#[cfg(unix)]
#[test]
fn a_pipe_closed_early_ends_the_run_without_a_panic() {
    let dir = Scratch::new("pipes");
    for sub in ["bad", "good"] {
        std::fs::create_dir(dir.path(sub)).expect("folder");
    }
    let mut bad = Vec::new();
    for i in 0..300 {
        bad.push(dir.write(&format!("bad/b{i:03}.toml"), "[form\ntitle = \"x\"\n"));
    }
    for i in 0..20 {
        dir.write(&format!("good/g{i:02}.toml"), seed_text());
    }
    let rules = std::fs::read_to_string("rules/hubei-2021.rules").expect("rules");
    let mut unformatted = Vec::new();
    for i in 0..20 {
        unformatted.push(dir.write(&format!("r{i:02}.rules"), rules.replace("\n    ", "\n  ")));
    }
    let (d, g) = (dir.arg("bad"), dir.arg("good"));
    let mut check = vec!["check", "hubei-2021"];
    check.extend(bad.iter().map(String::as_str));
    let mut fmt = vec!["fmt", "--check"];
    fmt.extend(unformatted.iter().map(String::as_str));
    // (what is piped, the arguments, jixiao's status as bash reports it)
    let cases: [(&str, Vec<&str>, i32); 8] = [
        ("2>&1", vec!["score", &d], 1),
        ("2>&1", vec!["diff", "hubei-2021", "hubei-2021", &d], 1),
        ("2>&1 >/dev/null", vec!["audit", &d], 1),
        ("2>&1 >/dev/null", check, 1),
        ("2>err.txt", vec!["score", &g, "-f", "json"], 141),
        ("2>err.txt", vec!["score", &g, "-f", "md"], 141),
        ("2>err.txt", vec!["score", &g, "-f", "html"], 141),
        ("2>err.txt", fmt, 141),
    ];
    for (redirect, args, status) in cases {
        let _ = std::fs::remove_file(dir.path("err.txt"));
        let out = dir
            .test()
            .script(format!(
                "\"$0\" \"$@\" {redirect} | head -c 1 >/dev/null; exit \"${{PIPESTATUS[0]}}\""
            ))
            .args(&args)
            .run();
        assert_eq!(
            out.status.code(),
            Some(status),
            "{args:?} {redirect}: {}",
            text(&out.stderr)
        );
        if status == 141 {
            let err = std::fs::read_to_string(dir.path("err.txt")).unwrap_or_default();
            assert_eq!(err, "", "{args:?}");
        }
    }
}
