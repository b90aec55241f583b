//! The built binary on real files: stdout, stderr and exit codes.

use crate::support::{Scratch, Test, jixiao, repo_file, says, text};

#[test]
fn score_prints_the_seed_table() {
    let out = jixiao(&["score", "examples/tongcheng-2021.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn score_json_has_decimals_as_strings() {
    let out = jixiao(&["score", "examples/tongcheng-2021.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["total"], "96.53");
    assert_eq!(v["grade"], "优");
    assert_eq!(v["reported_total"], "94");
    assert_eq!(v["budget"]["score"], "20.00");
    assert_eq!(
        v["goals"][0]["name"],
        "拟订人办资源市场发展规划,组织年初人才招聘,组织人才流动和培训工作"
    );
    assert_eq!(v["goals"][0]["weight"], "10");
    assert_eq!(v["goals"][0]["score"], "9.96");
    let first = &v["goals"][0]["indicators"][0];
    assert_eq!(first["name"], "职业技能培训人次");
    assert_eq!(first["score"], "1.96");
    assert_eq!(first["reported"], "1");
    assert_eq!(first["weight"], "2");
    assert_eq!(v["warnings"][0]["code"], "jixiao::eval::weight_sum");
}

#[test]
fn explicit_rules_by_path_and_by_name_agree() {
    let by_path = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--rules",
        "rules/hubei-2021.rules",
        "-f",
        "json",
    ]);
    let by_name = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--rules",
        "hubei-2021",
        "-f",
        "json",
    ]);
    assert_eq!(by_path.status.code(), Some(0), "{}", text(&by_path.stderr));
    let a: serde_json::Value = serde_json::from_slice(&by_path.stdout).expect("json");
    let b: serde_json::Value = serde_json::from_slice(&by_name.stdout).expect("json");
    assert_eq!(a["total"], b["total"]);
    assert_eq!(a["total"], "96.53");
}

#[test]
fn bad_input_exits_1_with_a_diagnostic_and_nothing_on_stdout() {
    let out = jixiao(&[
        "score",
        "tests/fixtures/bad-forms/unit_mismatch_people_vs_cases.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::form::unit_mismatch"), "{err}");
    assert!(err.contains("unit_mismatch_people_vs_cases.toml"), "{err}");
}

#[test]
fn a_bad_rule_file_exits_1() {
    let out = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--rules",
        "tests/fixtures/bad-rules/band_gap_between_tiers.rules",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(text(&out.stderr).contains("jixiao::check::band_gap"));
}

#[test]
fn missing_files_and_unknown_rule_sets_exit_1() {
    let out = jixiao(&["score", "no/such/form.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::io::read"));
    let out = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--rules",
        "hubei-2012",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("jixiao::io::unknown_rules") && err.contains("hubei-2021"),
        "{err}"
    );
}

#[test]
fn bad_usage_exits_2() {
    let out = jixiao(&["score"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let out = jixiao(&["score", "examples/tongcheng-2021.toml", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = jixiao(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn gbk_files_are_decoded_with_a_warning_and_garbage_is_refused() {
    let dir = Scratch::new("gbk");
    // the seed form re-encoded as GBK, as Excel on Chinese Windows saves it
    let seed = repo_file("examples/tongcheng-2021.toml");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&seed);
    assert!(!unmappable);
    let path = dir.write("gbk.toml", &*gbk);
    let out = jixiao(&["score", &path, "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["total"], "96.53");
    out.stderr_has("jixiao::io::decoded_gbk");
    // bytes that are neither UTF-8 nor GBK
    let path = dir.write("garbage.toml", b"[budget]\nplanned = \"\xff\xfe\xff\"\n");
    let out = jixiao(&["score", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(text(&out.stderr).contains("jixiao::io::encoding"));
}

#[test]
fn rules_lists_the_bundled_sets_name_first() {
    let out = jixiao(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "hubei-2021\t湖北省部门整体绩效自评 2021\t湖北省部门整体支出绩效自评表 表注1–4（2021年度）\t2021年起\n\
         national-project-2020\t项目支出绩效自评（财预〔2020〕10号）\t财政部 财预〔2020〕10号 附件2 项目支出绩效自评表\t2020年起\n\
         stepwise-example\t分档计分示例\t示例：分档计分口径（非正式文件）\n\
         deduction-example\t扣分制示例\t示例：扣分制计分口径（非正式文件）\n\
         central-project\t项目支出绩效自评（财预〔2020〕10号，旧名 central-project）\t财政部 财预〔2020〕10号 附件2 项目支出绩效自评表\t2020年起\n"
    );
}

#[test]
fn set_on_the_command_line() {
    let out = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--set",
        "budget_weight=10",
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // budget 10 × 1 = 10, goals unchanged: 96.53 - 10 = 86.53
    assert_eq!(v["total"], "86.53");
    assert_eq!(v["grade"], "良");
    let out = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--set",
        "budget_wieght=10",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    assert!(text(&out.stderr).contains("jixiao::set::unknown_param"));
    let out = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--set",
        "budget_weight",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("jixiao::set::malformed"));
}

#[test]
fn a_what_if_file_extends_the_bundled_rules() {
    let out = jixiao(&[
        "score",
        "examples/tongcheng-2021.toml",
        "--rules",
        "examples/whatif/budget-10.rules",
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["total"], "96.23");
    assert_eq!(v["rules"]["id"], "hubei-2021-budget-10");
}

#[test]
fn extends_finds_files_relative_to_the_extending_file_and_reports_cycles() {
    let dir = Scratch::new("extends");
    let base = repo_file("rules/hubei-2021.rules");
    // The base in a folder below the extending file (`..` may not climb out of it).
    dir.write(
        "whatif/base.rules",
        base.replace("rules \"hubei-2021\"", "rules \"base\""),
    );
    let rules = dir.write(
        "ten.rules",
        "rules \"ten\"\nextends \"whatif/base.rules\"\nparam budget_weight = 10\n",
    );
    let form = "examples/tongcheng-2021.toml";
    let out = jixiao(&["score", form, "--rules", &rules, "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // budget 10 × 1 = 10 with the goals as in hubei-2021: 96.53 - 10 = 86.53
    assert_eq!(v["total"], "86.53");
    // a cycle through files: a → b → a
    let a = dir.write("a.rules", "rules \"a\"\nextends \"b.rules\"\n");
    dir.write("b.rules", "rules \"b\"\nextends \"a.rules\"\n");
    let out = jixiao(&["score", form, "--rules", &a]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::check::extends_cycle"), "{err}");
    assert!(
        says(&err, "a.rules → ") && says(&err, "b.rules → "),
        "{err}"
    );
    // a missing file
    let c = dir.write("c.rules", "rules \"c\"\nextends \"missing.rules\"\n");
    let out = jixiao(&["score", form, "--rules", &c]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::check::unknown_base"));
}

/// Every command that reads a form takes `--weights` with one meaning, one default and one
/// help text (a single declaration, `cli::input::Converted`).
#[test]
fn every_form_reading_command_describes_weights_the_same_way() {
    let block = |command: &str| {
        let out = jixiao(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        let help = text(&out.stdout);
        let start = help
            .find("--weights <WEIGHTS>")
            .unwrap_or_else(|| panic!("{command} --help has no --weights:\n{help}"));
        let end = help[start..]
            .find("默认：given")
            .map(|n| start + n)
            .unwrap_or_else(|| panic!("{command}: no default for --weights:\n{help}"));
        help[start..end].to_owned()
    };
    let score = block("score");
    assert!(
        score.contains("reported = 没有分值的指标以自评得分作为分值"),
        "{score}"
    );
    for command in ["explain", "diff", "audit", "check", "import"] {
        assert_eq!(block(command), score, "{command}");
    }
}

/// Every command that reads forms says which formats it reads, Word and PDF among them,
/// from the one table of them (`jixiao::import::Format`); `import` lists their extensions.
#[test]
fn every_form_reading_command_names_the_formats() {
    for command in ["score", "explain", "audit", "check"] {
        let out = jixiao(&[command, "--help"]);
        let help = text(&out.stdout);
        assert!(
            help.contains(
                "TOML 表单，或 Excel 工作簿、Word 文档、PDF、CSV 文件、表单文字（按 jixiao import 的方式转换后读取）"
            ),
            "{command}:\n{help}"
        );
    }
    let help = text(&jixiao(&["import", "--help"]).stdout);
    for listed in [
        "Word 文档（.docx、.docm；旧版 .doc 须先另存为 .docx）",
        "PDF（.pdf；须有文字层，扫描件无法读取）",
    ] {
        assert!(help.contains(listed), "{listed} in\n{help}");
    }
}

/// `--help` is Chinese throughout: clap's own headings, flags and value lists too.
#[test]
fn help_is_in_chinese_for_every_command() {
    let top = jixiao(&["--help"]);
    assert_eq!(top.status.code(), Some(0));
    let help = text(&top.stdout);
    assert!(help.starts_with("绩效自评表计分"), "{help}");
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "命令：")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "score",
            "explain",
            "diff",
            "audit",
            "check",
            "rules",
            "test",
            "fmt",
            "import",
            "serve",
            "lsp",
            "completions"
        ]
    );
    for command in &commands {
        let out = jixiao(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        let help = text(&out.stdout);
        assert!(help.contains(&format!("用法：jixiao {command}")), "{help}");
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Print help",
            "Possible values",
            "[default:",
            "[OPTIONS]",
        ] {
            assert!(!help.contains(english), "{command}: {english} in\n{help}");
        }
        assert!(
            help.contains("  -h, --help") && help.contains("显示帮助"),
            "{help}"
        );
    }
}

/// `jixiao completions bash` is a script bash loads and completes commands and options from.
#[test]
fn bash_completion_completes_commands_and_options() {
    // bash loads the script the binary prints, then completes as it would on Tab.
    let complete = |words: &str, current: usize| {
        let shell = format!(
            "source <(\"$0\" completions bash) && COMP_WORDS=({words}); COMP_CWORD={current}; _jixiao jixiao \"${{COMP_WORDS[{current}]}}\" \"${{COMP_WORDS[{prev}]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            prev = current - 1
        );
        Test::new().script(shell).run().ok().out()
    };
    assert_eq!(complete("jixiao sc", 1), "score\n");
    let options = complete("jixiao score --f", 2);
    assert_eq!(options, "--format\n");
    let formats = complete("jixiao score --format ''", 3);
    assert_eq!(formats, "table\njson\ncsv\nmd\nxlsx\nhtml\n");
}
