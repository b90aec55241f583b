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
    assert!(stdout.ends_with("\n38 passed, 0 failed\n"), "{stdout}");
    assert!(!stdout.contains("失败"), "{stdout}");
}

#[test]
fn bundled_names_work_too() {
    let (code, stdout, _) = jixiao(&["test", "hubei-2021"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("18 passed, 0 failed"), "{stdout}");
}

#[test]
fn a_wrong_expectation_fails_readably() {
    let (code, stdout, stderr) =
        jixiao(&["test", "tests/fixtures/rule-tests/wrong_expectation.rules"]);
    assert_eq!(code, Some(1), "{stderr}");
    // the base's 18 tests run too and pass; the 3 of this file fail
    assert!(stdout.ends_with("\n18 passed, 3 failed\n"), "{stdout}");
    let failures: String = stdout
        .lines()
        .skip_while(|l| !l.contains("失败"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(failures);
}

#[test]
fn the_chinese_keyword_rules_run_their_test() {
    let (code, stdout, _) = jixiao(&["test", "examples/hubei-2021-zh.rules"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
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
