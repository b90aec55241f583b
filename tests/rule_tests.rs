//! `test` blocks in rule files and `jixiao test`.

/// `jixiao ARGS`: its exit status, stdout and stderr.
fn jixiao(args: &[&str]) -> (Option<i32>, String, String) {
    let out = crate::support::jixiao(args);
    (out.status.code(), out.out(), out.err())
}

#[test]
fn the_bundled_rule_sets_pass_their_own_tests() {
    let (code, stdout, stderr) = jixiao(&[
        "test",
        "rules/hubei-2021.rules",
        "rules/central-project.rules",
        "rules/stepwise-example.rules",
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // 18 + 10 + 10 tests, one per clause of what each set encodes
    assert!(stdout.ends_with("\n通过 38 个，失败 0 个\n"), "{stdout}");
    assert!(!stdout.contains("  失败  "), "{stdout}");
}

#[test]
fn bundled_names_work_too() {
    let (code, stdout, _) = jixiao(&["test", "hubei-2021"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("通过 18 个，失败 0 个"), "{stdout}");
}

#[test]
fn a_wrong_expectation_fails_readably() {
    let (code, stdout, stderr) =
        jixiao(&["test", "tests/fixtures/rule-tests/wrong_expectation.rules"]);
    assert_eq!(code, Some(1), "{stderr}");
    // the base's 18 tests run too and pass; the 3 of this file fail
    assert!(stdout.ends_with("\n通过 18 个，失败 3 个\n"), "{stdout}");
    let failures: String = stdout
        .lines()
        .skip_while(|l| !l.contains("失败"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(failures);
}

#[test]
fn tests_set_the_forms_facts_inline_and_over_a_form_file() {
    // Each test states its hand-worked values: facts, year, 级次 caps and bonus items,
    // inline and over facts-form.toml (its facts replaced, items added).
    let (code, stdout, stderr) = jixiao(&["test", "tests/fixtures/rule-tests/facts.rules"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.ends_with("\n通过 7 个，失败 0 个\n"), "{stdout}");
    // And it is formatted.
    let (code, out, _) = jixiao(&["fmt", "--check", "tests/fixtures/rule-tests/facts.rules"]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn the_chinese_keyword_rules_run_their_test() {
    let (code, stdout, _) = jixiao(&["test", "examples/hubei-2021-zh.rules"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("通过 1 个，失败 0 个"), "{stdout}");
}

#[test]
fn a_rule_file_that_does_not_compile_fails_the_run() {
    let (code, _, stderr) = jixiao(&[
        "test",
        "tests/fixtures/bad-rules/band_gap_between_tiers.rules",
        "hubei-2021",
    ]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("jixiao::check::band_gap"), "{stderr}");
}

#[test]
fn a_test_without_expectation_is_a_check_error() {
    let source = jixiao::Source::new(
        "t.rules",
        "rules \"t\"\nextends \"hubei-2021\"\ntest \"没有期望\":\n    indicator target \"1个\" actual \"1个\" weight 1\n",
    );
    let err = match jixiao::compile(&source) {
        Ok(_) => panic!("accepted"),
        Err(e) => crate::support::render(&e),
    };
    assert!(
        err.contains("jixiao::check::missing") && err.contains("没有期望"),
        "{err}"
    );
}

#[test]
fn every_rule_file_in_the_repository_passes_its_tests() {
    let mut files = Vec::new();
    for dir in ["rules", "examples", "examples/whatif"] {
        let mut here: Vec<String> = std::fs::read_dir(crate::support::repo_path(dir))
            .expect("a folder of the repository")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rules"))
            .map(|p| {
                format!(
                    "{dir}/{}",
                    p.file_name().unwrap_or_default().to_string_lossy()
                )
            })
            .collect();
        here.sort();
        files.extend(here);
    }
    assert!(files.len() >= 8, "{files:?}");
    let mut args = vec!["test"];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = jixiao(&args);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("，失败 0 个"), "{stdout}");
}

#[test]
fn a_variant_reports_the_base_tests_it_changes_not_as_failures() {
    let (code, stdout, stderr) = jixiao(&["test", "examples/whatif/budget-10.rules"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with(
            "examples/whatif/budget-10.rules（18 个测试，其中 18 个继承自基础规则）\n"
        ),
        "{stdout}"
    );
    // the grade test at 89.99 under hubei-2021: the budget's 20 points become 10 and the
    // goals' 80 are scaled to 90, so the same form totals 88.74 here
    assert!(
        stdout.contains(
            "  变化  等级：总分 89.99 为良  (rules/hubei-2021.rules:136)\n        总分：基础规则 89.99 → 本变体 88.74\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "\n通过 3 个，失败 0 个；变体改变了 15 个继承自基础规则的测试的结果（不算失败；加 --strict 则算作失败）\n"
        ),
        "{stdout}"
    );
    // --strict counts them as failures
    let (code, stdout, _) = jixiao(&["test", "--strict", "examples/whatif/budget-10.rules"]);
    assert_eq!(code, Some(1));
    assert!(stdout.ends_with("\n通过 3 个，失败 15 个\n"), "{stdout}");
}

#[test]
fn a_base_test_that_fails_under_the_base_too_is_a_failure() {
    // wrong_expectation.rules's own tests fail; a file extending it inherits them, and
    // they fail under wrong_expectation.rules itself, so they are failures, not changes
    let s = crate::support::Scratch::new("base-fails");
    s.copy(
        "tests/fixtures/rule-tests/wrong_expectation.rules",
        "base.rules",
    );
    let variant = s.write(
        "variant.rules",
        "rules \"v\"\nextends \"base.rules\"\nparam budget_weight = 10\nscale goals to 90\n",
    );
    let (code, stdout, _) = jixiao(&["test", &variant]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("  失败  四舍五入写错了：1.958 应为 1.96"),
        "{stdout}"
    );
    assert!(stdout.contains("  变化  等级：总分 89.99 为良"), "{stdout}");
    assert!(stdout.contains("失败 3 个；变体改变了"), "{stdout}");
}

#[test]
fn a_changed_value_is_shown_as_reports_show_scores() {
    let (code, stdout, _) = jixiao(&["test", "examples/whatif/round-at-total.rules"]);
    assert_eq!(code, Some(0), "{stdout}");
    // 4 × 10 / 12 = 3.333…: rounded to 3.33 by hubei, unrounded under the variant, cut
    // after 6 places as every report cuts a score, not printed to 28 digits
    assert!(
        stdout.contains("第 1 个指标「指标1」的得分：基础规则 3.33 → 本变体 3.333333…\n"),
        "{stdout}"
    );
}
