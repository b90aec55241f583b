//! `jixiao check`: every static check of rules and forms, reported together.
//!
//! Fixtures under tests/fixtures/check/ are named for what they trigger: `rules/*.rules`
//! are linted on their own; `forms/*.toml` against the rule file of the same name beside
//! them, or hubei-2021 when there is none. Each lint is snapshotted as a user sees it (no
//! colour, 100 columns).

use crate::support::{Scratch, Test, jixiao, text};
use std::collections::BTreeSet;
use std::path::Path;

use jixiao::lint::{self, Lint, Severity};

use crate::support::{hubei, render, repo_source as read};

/// What `jixiao check` finds in a rule file.
fn check_rules(source: &jixiao::Source) -> (Option<jixiao::Rules>, Vec<Lint>) {
    match jixiao::compile(source) {
        Ok(rules) => {
            let lints = lint::lint_rules(&rules);
            (Some(rules), lints)
        }
        Err(e) => (None, lint::rules_error(e, source.name())),
    }
}

/// What `jixiao check` finds in a form under `rules`.
fn check_form(rules: &jixiao::Rules, source: &jixiao::Source) -> Vec<Lint> {
    match jixiao::load_form(source) {
        Ok(form) => lint::lint_form(rules, &form),
        Err(e) => lint::form_errors(e),
    }
}

fn shown(lints: &[Lint]) -> String {
    let codes: Vec<String> = lints
        .iter()
        .map(|l| format!("{} {}", severity(l), l.code()))
        .collect();
    let mut out = format!("{codes:#?}\n\n");
    for l in lints {
        out.push_str(&render(l));
        out.push('\n');
    }
    out
}

fn severity(l: &Lint) -> &'static str {
    match l.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The rules a form fixture is checked against.
fn rules_for(form: &Path) -> jixiao::Rules {
    let companion = form.with_extension("rules");
    if !companion.exists() {
        return hubei();
    }
    match check_rules(&read(&companion)) {
        (Some(rules), _) => rules,
        (None, lints) => panic!("{}", shown(&lints)),
    }
}

#[test]
fn rule_checks() {
    insta::glob!("fixtures/check/rules/*.rules", |path| {
        let (_, lints) = check_rules(&read(path));
        assert!(!lints.is_empty(), "{} found nothing", path.display());
        insta::assert_snapshot!(shown(&lints));
    });
}

#[test]
fn form_checks() {
    insta::glob!("fixtures/check/forms/*.toml", |path| {
        let lints = check_form(&rules_for(path), &read(path));
        assert!(!lints.is_empty(), "{} found nothing", path.display());
        insta::assert_snapshot!(shown(&lints));
    });
}

/// Every check the issue lists, with the code that reports it: each must be triggered by
/// some fixture.
#[test]
fn each_check_has_a_fixture() {
    let mut found = BTreeSet::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    for entry in std::fs::read_dir(dir.join("rules")).expect("rules fixtures") {
        let path = entry.expect("entry").path();
        found.extend(
            check_rules(&read(&path))
                .1
                .iter()
                .map(|l| l.code().to_owned()),
        );
    }
    for entry in std::fs::read_dir(dir.join("forms")).expect("form fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let lints = check_form(&rules_for(&path), &read(&path));
            found.extend(lints.iter().map(|l| l.code().to_owned()));
        }
    }
    for (check, code) in [
        ("syntax", "jixiao::syntax::unexpected"),
        ("unknown names", "jixiao::check::unknown_name"),
        ("type errors", "jixiao::check::type_mismatch"),
        ("bands that overlap", "jixiao::check::band_overlap"),
        ("bands that leave a gap", "jixiao::check::band_gap"),
        ("shadowed classes", "jixiao::lint::shadowed_class"),
        ("parameters never used", "jixiao::lint::unused_param"),
        ("grade bands out of order", "jixiao::check::grade_order"),
        (
            "division without a guard",
            "jixiao::lint::unguarded_division",
        ),
        ("no grades", "jixiao::lint::no_grades"),
        ("no class for a kind", "jixiao::lint::no_class_for"),
        (
            "goal weights plus budget not 100",
            "jixiao::eval::total_weight",
        ),
        (
            "indicator weights not the goal's",
            "jixiao::eval::weight_sum",
        ),
        ("indicators no class matches", "jixiao::eval::no_class"),
        (
            "duplicated indicator names",
            "jixiao::lint::duplicate_indicator",
        ),
        (
            "text where a number is expected",
            "jixiao::lint::text_for_numbers",
        ),
        ("units differ", "jixiao::form::unit_mismatch"),
        (
            "missing 产出/效益",
            "jixiao::lint::missing_output_or_effect",
        ),
        ("bands that leave 0% or 100%", "jixiao::lint::band_coverage"),
        (
            "a score above the weight",
            "jixiao::lint::score_above_weight",
        ),
        ("a score below 0", "jixiao::lint::negative_score"),
    ] {
        assert!(found.contains(code), "no fixture triggers {check} ({code})");
    }
}

#[test]
fn a_form_reports_every_failing_indicator_not_just_the_first() {
    // Scoring stops at the budget (预算数 0); check goes on to both qualitative indicators
    // that lack an assessment.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check/forms/several_errors_in_one_form.toml");
    let lints = check_form(&hubei(), &read(&path));
    let codes: Vec<&str> = lints.iter().map(Lint::code).collect();
    assert_eq!(
        codes,
        [
            "jixiao::eval::rule_error",
            "jixiao::eval::needs_assessment",
            "jixiao::eval::needs_assessment"
        ]
    );
}

#[test]
fn the_bundled_rule_sets_have_no_errors() {
    for name in jixiao::bundled_names() {
        let source = jixiao::bundled(name).expect("bundled");
        let (rules, lints) = check_rules(&source);
        assert!(rules.is_some(), "{name}: {}", shown(&lints));
        let errors: Vec<&Lint> = lints.iter().filter(|l| l.is_error()).collect();
        assert!(errors.is_empty(), "{name}: {}", shown(&lints));
        // Warnings are allowed; print them so a run with --nocapture lists them.
        for l in &lints {
            println!("{name}: {} {}", l.code(), l.message());
        }
    }
}

#[test]
fn the_seed_form_has_warnings_only() {
    let out = jixiao(&[
        "check",
        "rules/hubei-2021.rules",
        "examples/tongcheng-2021.toml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Two warnings: goal 2 lists 提高城乡居民社会保障 twice (form lines 141 and 160), and
    // goal 3's indicator weights are 2+2+2+2+2+1+1+1+1 = 14 against its 15.
    assert_eq!(
        text(&out.stdout),
        "规则 rules/hubei-2021.rules：0 个错误，0 个警告；\
         表单 examples/tongcheng-2021.toml：0 个错误，2 个警告\n"
    );
    insta::assert_snapshot!(text(&out.stderr));
}

#[test]
fn deny_warnings_fails_on_the_seed_form() {
    let out = jixiao(&[
        "check",
        "hubei-2021",
        "examples/tongcheng-2021.toml",
        "--deny-warnings",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn errors_exit_1_and_forms_are_still_checked() {
    let out = jixiao(&[
        "check",
        "tests/fixtures/check/rules/band_overlap_and_gap.rules",
        "tests/fixtures/check/forms/unit_mismatch_target_vs_actual.toml",
        "tests/fixtures/check/forms/duplicate_indicator_in_goal.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    for code in [
        "jixiao::check::band_overlap",
        "jixiao::check::band_gap",
        "jixiao::form::unit_mismatch",
        "jixiao::lint::duplicate_indicator",
    ] {
        assert!(stderr.contains(code), "{code}: {stderr}");
    }
    // The first form does not load; the second loads, and without usable rules gets the
    // checks that need none (its indicator 职业技能培训人次 appears twice).
    assert_eq!(
        text(&out.stdout),
        "规则 tests/fixtures/check/rules/band_overlap_and_gap.rules：2 个错误，0 个警告；\
         表单 tests/fixtures/check/forms/unit_mismatch_target_vs_actual.toml：1 个错误，0 个警告；\
         表单 tests/fixtures/check/forms/duplicate_indicator_in_goal.toml：0 个错误，1 个警告\
         （规则有错误，只做了不依赖规则的检查）\n"
    );
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["check"][..],
        &["check", "hubei-2021", "--no-such-flag"],
        &["check", "hubei-2021", "--format", "xml"],
        &["check", "hubei-2021", "--set", "budget_weight"],
        &["check", "hubei-2021", "--set", "budget_weigt=10"],
    ] {
        let out = jixiao(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), "", "{args:?}");
    }
}

#[test]
fn every_bundled_rule_set_checks_clean_from_the_command_line() {
    for name in jixiao::bundled_names() {
        let out = jixiao(&["check", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
    }
}

#[test]
fn json_gives_character_columns_on_a_chinese_line() {
    let out = jixiao(&[
        "check",
        "tests/fixtures/check/rules/unguarded_division.rules",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 2);
    let first = &list[0];
    assert_eq!(first["code"], "jixiao::lint::unguarded_division");
    assert_eq!(first["severity"], "warning");
    assert_eq!(
        first["file"],
        "tests/fixtures/check/rules/unguarded_division.rules"
    );
    // Line 8 is `    score 系数 * weight * B / A`: 4 spaces, `score ` (6), 系数 (2),
    // ` * weight * B / ` (16) make 28 characters before A, so column 29 (the byte column
    // would be 33, as each of 系数 takes 3 bytes).
    assert_eq!(first["line"], 8);
    assert_eq!(first["column"], 29);
    assert_eq!(
        first["message"],
        "预算执行规则的公式除以「A」，但没有处理它为 0 的情况"
    );
    assert!(
        first["help"]
            .as_str()
            .is_some_and(|h| h.contains("if A == 0")),
        "{first}"
    );
    // The class negative divides by B but guards only A == 0: line 12, `    score weight
    // * A / ` is 23 characters, so column 24.
    assert_eq!(
        list[1]["message"],
        "类别「negative」的公式除以「B」，但没有处理它为 0 的情况"
    );
    assert_eq!(list[1]["line"], 12);
    assert_eq!(list[1]["column"], 24);
}

#[test]
fn json_lists_rule_errors_one_entry_each() {
    let out = jixiao(&[
        "check",
        "tests/fixtures/check/rules/grades_out_of_order.rules",
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let list = v.as_array().expect("an array");
    // `grade 中 >= 60, 良 >= 80, 优 >= 90, 差` on line 13: 良 rises above 中, then 优 above
    // 良. 良 is at column 16 (`grade 中 >= 60, ` is 15 characters), 优 at column 25.
    let places: Vec<(&str, u64, u64)> = list
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or(""),
                e["line"].as_u64().unwrap_or(0),
                e["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("jixiao::check::grade_order", 13, 16),
            ("jixiao::check::grade_order", 13, 25)
        ]
    );
    assert!(list.iter().all(|e| e["severity"] == "error"));
}

/// `check` reads the forms `score` reads: a workbook is converted first (with
/// `--weights` as for `score`), and a folder's spreadsheets are no longer read as TOML.
#[test]
fn check_reads_workbooks_and_csv_like_score() {
    let out = jixiao(&[
        "check",
        "hubei-2021",
        "tests/fixtures/import/tongcheng-2021.xlsx",
        "--weights",
        "reported",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lints: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let codes: BTreeSet<&str> = lints
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|l| l["code"].as_str())
        .collect();
    // Goal 3's weights sum to 14 of 15, as in the TOML transcription.
    assert!(codes.contains("jixiao::eval::weight_sum"), "{codes:?}");
    assert!(lints.as_array().expect("an array").iter().all(|l| {
        l["file"]
            .as_str()
            .is_some_and(|f| f.contains("tongcheng-2021.xlsx"))
    }));
    // A folder holding a workbook is read the same way (it was read as TOML text before).
    let dir = Scratch::new("dir");
    dir.copy("tests/fixtures/import/tongcheng-2021.xlsx", "a.xlsx");
    let out = jixiao(&["check", "hubei-2021", &dir.folder()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout_has("0 个错误，2 个警告");
}

/// A rule file saved with the old Mac line ends (CR alone) reads as lines: a comment ends
/// at its CR, and a diagnostic gives the line and column an editor shows.
#[test]
fn a_rule_file_with_carriage_returns_alone_is_read_line_by_line() {
    let dir = Scratch::new("cr-rules");
    let lines = [
        "rules \"cr\" \"旧式 Mac 换行\" # 注释在 CR 处结束",
        "param budget_weight = 20 # 下一行仍被读到",
        "budget:",
        "    weight budget_weight",
        "    score weight * B / A",
        "    cap weight",
        "    if A == 0: weight",
        "class p for numbers:",
        "    score 权重 * 系数",
    ];
    let path = dir.write("cr.rules", lines.join("\r") + "\r");
    let out = jixiao(&["check", &path, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let list = v.as_array().expect("an array");
    // Only 系数 is unknown: the `param` after the first comment was read. It is on line 9,
    // after `    score 权重 * `: 4 spaces, `score ` (6), 权重 (2), ` * ` (3) make 15
    // characters, so column 16.
    assert_eq!(list.len(), 1, "{v}");
    assert_eq!(list[0]["code"], "jixiao::check::unknown_name");
    assert_eq!(list[0]["message"], "未知名称「系数」");
    assert_eq!(
        (list[0]["line"].as_u64(), list[0]["column"].as_u64()),
        (Some(9), Some(16))
    );
    // As text, the line is drawn on its own.
    let out = jixiao(&["check", &path]);
    let err = text(&out.stderr);
    assert!(err.contains("cr.rules:9:16]"), "{err}");
    assert!(err.contains(" 9 │     score 权重 * 系数\n"), "{err}");
    assert!(!err.contains('\r'), "{err:?}");
}

/// The codes of every error of a rule file that does not compile, with the text each
/// primary label covers.
fn check_errors(text: &str) -> Vec<(String, String)> {
    let source = jixiao::Source::new("t.rules", text);
    let err = match jixiao::compile(&source) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    };
    lint::rules_error(err, "t.rules")
        .iter()
        .map(|l| {
            use miette::Diagnostic as _;
            let label = l
                .labels()
                .and_then(|mut ls| ls.next())
                .map(|s| text[s.offset()..s.offset() + s.len()].to_owned())
                .unwrap_or_default();
            (l.code().to_owned(), label)
        })
        .collect()
}

/// A parameter named like a built-in was never read where the built-in exists (the
/// built-in won): now an error at its name, in either language.
#[test]
fn a_parameter_named_like_a_built_in_is_an_error() {
    for name in [
        "A",
        "B",
        "weight",
        "权重",
        "rate",
        "得分率",
        "tier",
        "档次",
        "op",
        "比较符",
        "direction",
        "方向",
        "kind",
        "类型",
        "level1",
        "一级指标",
        "level2",
        "二级指标",
        "name",
        "三级指标",
        "goal",
        "年度目标",
        "true",
        "真",
        "false",
        "假",
    ] {
        let text = format!(
            "rules \"t\"\nparam {name} = 5\nbudget:\n    weight 20\n    score weight\n\
             class p for numbers:\n    score weight\n"
        );
        assert_eq!(
            check_errors(&text),
            [("jixiao::check::reserved_name".to_owned(), name.to_owned())],
            "{name}"
        );
    }
    // Words that only follow a keyword stay usable: `at`, `sum`, `total`, `number`.
    let text = "rules \"t\"\nparam at = 5\nparam sum = at\nparam total = sum\nparam number = total\n\
                budget:\n    weight number\n    score weight\nclass p for numbers:\n    score weight\n";
    assert!(jixiao::compile(&jixiao::Source::new("t.rules", text)).is_ok());
}

/// A `--set` or `scale goals to` that makes a weight negative was scored (the budget
/// −45 and a total of 105 of 100, graded 优): now refused before any form is read, at
/// the rule line, saying when a `--set` caused it. Exit 1, nothing on stdout.
#[test]
fn a_negative_budget_weight_or_goal_total_is_refused() {
    let refused = |args: &[&str], message: &str, line: &str| {
        let out = jixiao(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{err}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        assert!(err.contains("jixiao::check::negative_weight"), "{err}");
        assert!(err.contains(&format!("× {message}\n")), "{err}");
        assert!(err.contains(line), "{err}");
    };
    // hubei-2021's `weight budget_weight` (line 15) with budget_weight = -20.
    refused(
        &[
            "score",
            "--set",
            "budget_weight=-20",
            "examples/tongcheng-2021.toml",
        ],
        "预算执行分值为 -20，不能为负数（由 --set budget_weight=-20 得出）",
        " 15 │     weight budget_weight\n",
    );
    // budget-10's `scale goals to 100 - budget_weight` (line 7): 100 - 150 = -50.
    refused(
        &[
            "score",
            "--rules",
            "examples/whatif/budget-10.rules",
            "--set",
            "budget_weight=150",
            "examples/tongcheng-2021.toml",
        ],
        "目标分值合计为 -50，不能为负数（由 --set budget_weight=150 得出）",
        " 7 │ scale goals to 100 - budget_weight\n",
    );
    // The same from the rule file itself: no --set to blame. `check` refuses it too.
    refused(
        &[
            "score",
            "--rules",
            "tests/bad/check__negative_weight.rules",
            "examples/tongcheng-2021.toml",
        ],
        "目标分值合计为 -50，不能为负数",
        " 7 │ scale goals to 100 - budget_weight\n",
    );
    let out = jixiao(&["check", "tests/bad/check__negative_weight.rules"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::check::negative_weight"));
    // A --set that keeps the weights at 0 or more still scores: 0 + 100 goals.
    let out = jixiao(&[
        "score",
        "--rules",
        "examples/whatif/budget-10.rules",
        "--set",
        "budget_weight=100",
        "examples/tongcheng-2021.toml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// The address space `jixiao check` needs for the seed form under hubei-2021, to the next
/// 8 MiB (in KiB): the baseline the hostile inputs below are bounded relative to.
fn seed_baseline_kib() -> u64 {
    static BASELINE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *BASELINE.get_or_init(|| {
        let seed = ["check", "hubei-2021", "examples/tongcheng-2021.toml"];
        (8..=512)
            .step_by(8)
            .map(|mib| mib * 1024)
            .find(|&kib| {
                Test::new()
                    .args(seed)
                    .memory_kib(kib)
                    .kill_after_a_minute()
                    .run()
                    .status
                    .success()
            })
            .expect("the seed's check runs in 512 MiB")
    })
}

/// What a hostile rule file may need beyond the seed's baseline: a small multiple of its
/// own size (each input below is under 1 MiB), never the square of its findings.
const HEADROOM_KIB: u64 = 100 * 1024;

/// Checks a generated rule file under the memory bound, with the hang safety net; its
/// exit status, stdout and stderr.
fn check_hostile(name: &str, rules: &str, command: &[&str]) -> (Option<i32>, String, String) {
    let dir = Scratch::new(name);
    let path = dir.write(&format!("{name}.rules"), rules);
    let args: Vec<&str> = command
        .iter()
        .map(|a| if *a == "{}" { path.as_str() } else { a })
        .collect();
    let out = Test::new()
        .args(&args)
        .memory_kib(seed_baseline_kib() + HEADROOM_KIB)
        .kill_after_a_minute()
        .run();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

const HOSTILE_HEADER: &str = "rules \"t\"\nbudget:\n    weight 20\n    score weight\n";

/// 40,000 definitions of one parameter took 166 s to check (each diagnostic drawn from
/// the start of the file): now the first 50 errors are listed, then the count of the rest.
#[test]
fn forty_thousand_duplicate_parameters_are_counted_not_all_listed() {
    let text = format!("{HOSTILE_HEADER}{}", "param x = 1\n".repeat(40_000));
    let (code, stdout, stderr) = check_hostile("dup", &text, &["check", "{}"]);
    assert_eq!(code, Some(1), "{stderr}");
    // The first definition is fine; the other 39,999 are duplicates: 50 listed, 39,949 not.
    assert!(
        stdout.ends_with("dup.rules：39999 个错误，0 个警告\n"),
        "{stdout}"
    );
    assert_eq!(stderr.matches("jixiao::check::duplicate").count(), 50);
    assert!(
        stderr.contains("× 另有 39949 处问题未列出（39949 个错误）：每个文件只列出前 50 处\n"),
        "{stderr}"
    );
    // `score` shows the same report as one diagnostic.
    let (code, stdout, stderr) = check_hostile(
        "dup-score",
        &text,
        &["score", "--rules", "{}", "examples/tongcheng-2021.toml"],
    );
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert!(stderr.contains("有 39999 处错误"), "{stderr}");
    assert!(
        stderr.contains("逐条修正下列错误后再运行；只列出了前 50 处，另有 39949 处未列出"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("重复定义参数「x」").count(), 50);
}

/// 10,000 unknown names among 10,000 parameters took 52 s and 1.8 GB: each help line
/// listed every parameter. Now a help line lists the 5 nearest names.
#[test]
fn ten_thousand_unknown_names_get_short_help_lines() {
    let mut text = HOSTILE_HEADER.to_owned();
    for i in 0..10_000 {
        text.push_str(&format!("param p{i} = 1\n"));
    }
    for i in 0..10_000 {
        text.push_str(&format!("param q{i} = u{i}\n"));
    }
    let (code, stdout, stderr) = check_hostile("unknown", &text, &["check", "{}"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stdout.ends_with("unknown.rules：10000 个错误，0 个警告\n"),
        "{stdout}"
    );
    assert_eq!(stderr.matches("jixiao::check::unknown_name").count(), 50);
    assert!(
        stderr.contains("× 另有 9950 处问题未列出（9950 个错误）：每个文件只列出前 50 处\n"),
        "{stderr}"
    );
    // For u0: p0 is 1 edit away, p1 … p9 two (the first four of them, in file order),
    // among the 10,000 parameters defined before it.
    assert!(
        stderr.contains(
            "常量（参数、档位区间与默认得分率、等级分数线）中可用：p0、p1、p2、p3、p4 等 10000 个"
        ),
        "{}",
        &stderr[..stderr.len().min(3000)]
    );
    assert!(
        stderr.len() < 50_000,
        "{} bytes of diagnostics",
        stderr.len()
    );
}

/// 10,000 identical bands took 39 s: a duplicate name, or the same range under other
/// names (overlaps, found by sorting), each counted without a pairwise scan.
#[test]
fn ten_thousand_identical_bands_are_counted_not_all_listed() {
    let class = "class q for text:\n    score weight * rate\n";
    let same = format!(
        "{HOSTILE_HEADER}{class}{}",
        "    band b [0%, 100%]\n".repeat(10_000)
    );
    let (code, stdout, stderr) = check_hostile("bands", &same, &["check", "{}"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stdout.ends_with("bands.rules：9999 个错误，0 个警告\n"),
        "{stdout}"
    );
    assert_eq!(stderr.matches("jixiao::check::duplicate").count(), 50);
    assert!(
        stderr.contains("× 另有 9949 处问题未列出（9949 个错误）：每个文件只列出前 50 处\n"),
        "{stderr}"
    );

    let mut named = format!("{HOSTILE_HEADER}{class}");
    for i in 0..10_000 {
        named.push_str(&format!("    band b{i} [0%, 100%]\n"));
    }
    let (code, stdout, stderr) = check_hostile("named-bands", &named, &["check", "{}"]);
    assert_eq!(code, Some(1), "{stderr}");
    // Sorted by rate, each band overlaps the next: 9,999 overlaps.
    assert!(
        stdout.ends_with("named-bands.rules：9999 个错误，0 个警告\n"),
        "{stdout}"
    );
    assert_eq!(stderr.matches("jixiao::check::band_overlap").count(), 50);
}

/// 10,000 warnings (parameters never used) are capped the same way, as warnings.
#[test]
fn ten_thousand_warnings_are_counted_not_all_listed() {
    let mut text = HOSTILE_HEADER.to_owned();
    for i in 0..10_000 {
        text.push_str(&format!("param p{i} = 1\n"));
    }
    text.push_str("class p for numbers:\n    score weight\nclass q for text:\n    score weight * rate\ngrade 优 >= 90, 差\n");
    let (code, stdout, stderr) = check_hostile("unused", &text, &["check", "{}", "-f", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 51);
    assert!(
        list[..50]
            .iter()
            .all(|l| l["code"] == "jixiao::lint::unused_param")
    );
    assert_eq!(list[50]["code"], "jixiao::lint::omitted");
    assert_eq!(list[50]["severity"], "warning");
    assert_eq!(
        list[50]["message"],
        "另有 9950 处问题未列出（9950 个警告）：每个文件只列出前 50 处"
    );
}

#[test]
fn a_lint_on_a_base_line_names_the_variant_that_inherits_it() {
    let out = jixiao(&[
        "check",
        "tests/fixtures/check/rules/overlay_cap_above_weight.rules",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 1, "{v}");
    let lint = &list[0];
    assert_eq!(lint["code"], "jixiao::lint::score_above_weight");
    // the score line is hubei's (line 35); the variant's cap makes it exceed the weight
    assert_eq!(lint["file"], "rules/hubei-2021.rules");
    assert_eq!(lint["line"], 35);
    assert_eq!(
        lint["via"],
        "tests/fixtures/check/rules/overlay_cap_above_weight.rules"
    );
    let help = lint["help"].as_str().unwrap_or_default();
    let human = text(
        &jixiao(&[
            "check",
            "tests/fixtures/check/rules/overlay_cap_above_weight.rules",
        ])
        .stderr,
    );
    assert!(
        human.contains("这一行在基础规则 rules/hubei-2021.rules 中"),
        "{help}\n{human}"
    );
    // a lint on the variant's own lines has no `via`
    let own = jixiao(&[
        "check",
        "tests/fixtures/check/rules/unguarded_division.rules",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&own.stdout).expect("valid JSON");
    assert!(v[0].get("via").is_none(), "{v}");
}

/// A check error on a base line (the variant sets budget_weight = -5, which hubei's line
/// 15 reads) carries `via` in JSON like a lint, and its help says the variant caused it.
#[test]
fn a_check_error_on_a_base_line_names_the_variant_that_caused_it() {
    let file = "tests/fixtures/bad-rules/overlay_makes_a_base_line_wrong.rules";
    let out = jixiao(&["check", file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 1, "{v}");
    let error = &list[0];
    assert_eq!(error["code"], "jixiao::check::negative_weight");
    assert_eq!(error["file"], "rules/hubei-2021.rules");
    assert_eq!(error["line"], 15);
    assert_eq!(error["via"], file);
    let help = error["help"].as_str().unwrap_or_default();
    assert!(
        help.ends_with(&format!(
            "\n此行在基础规则 rules/hubei-2021.rules 中，由覆盖文件 {file} 引起（单独检查 rules/hubei-2021.rules 时没有这个错误）；请在 {file} 中修改"
        )),
        "{help}"
    );
    // said once, not again in the lint's own words
    assert!(!help.contains("继承了它"), "{help}");
}
