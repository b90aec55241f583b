//! `jixiao diff`: the built binary on what-if rule files and a corrected resubmission,
//! made in a scratch folder at test time from the bundled rules and the example forms.
//!
//! Hand computations (hubei-2021, examples/tongcheng-2021.toml; see the example's notes):
//! - `budget_weight = 10`: budget 10 × 12174.8/12174.8 = 10.00 (was 20.00), so the total
//!   96.53 − 20 + 10 = 86.53 and the grade 优 → 良 (80 ≤ 86.53 < 90). Nothing else moves.
//!   For county-education-2022: 10 × 2303.5/2450.6 = 9.3997… → 9.40 (was 18.80), total
//!   91.26 − 18.80 + 9.40 = 81.86, 优 → 良.
//! - `half_even` rounding: the only indicator on a midpoint is goal 5's
//!   2 × 337/400 = 1.685 → 1.68 (half-up 1.69); the others are 1.958 → 1.96,
//!   1.596105… → 1.60, 1.832 → 1.83, 1.546666… → 1.55, 0.9 and whole scores, the same
//!   either way. So goal 5 9.69 → 9.68 and the total 96.53 → 96.52, still 优.
//!   For county-education-2022 the only midpoint is indicator 1.4,
//!   6 × 0.7575 = 4.545 → 4.54 (half-up 4.55): goal 1 27.21 → 27.20, total 91.26 → 91.25.
//! - The resubmission: 职业技能培训人次 3916 → 4000 of 4000: 2 × 4000/4000 = 2.00 (was
//!   2 × 3916/4000 = 1.958 → 1.96), goal 1 9.96 → 10.00, total 96.53 → 96.57, still 优.

use serde_json::{Value, json};

use crate::support::{
    BUDGET_10_SUMMARY, Ran, Scratch, Test, repo_file, text, xlsx_cell, xlsx_rows,
};

/// The bundled rules with `from` replaced by `to` (which must occur once), written to
/// `name` in `s`.
fn rules(s: &Scratch, name: &str, from: &str, to: &str) {
    let text = repo_file("rules/hubei-2021.rules");
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from} occurs once in hubei-2021"
    );
    s.write(name, text.replace(from, to));
}

/// `jixiao diff ARGS` inside the scratch folder, with relative paths, so that output is
/// the same on every machine.
fn diff(s: &Scratch, args: &[&str]) -> Ran {
    s.test().arg("diff").args(args).run()
}

fn tongcheng() -> String {
    repo_file("examples/tongcheng-2021.toml")
}

fn county() -> String {
    repo_file("examples/county-education-2022.toml")
}

/// The scratch folder most tests use: the two what-if rule files and the seed form.
fn what_ifs(name: &str) -> Scratch {
    let s = Scratch::new(name);
    rules(
        &s,
        "bw10.rules",
        "param budget_weight = 20",
        "param budget_weight = 10",
    );
    rules(
        &s,
        "even.rules",
        "round 2 half_up at indicator",
        "round 2 half_even at indicator",
    );
    s.write("tongcheng.toml", tongcheng());
    s
}

/// Runs, expects exit 0 and a quiet stderr, and returns stdout.
fn ok(s: &Scratch, args: &[&str]) -> String {
    diff(s, args).ok().out()
}

fn json_of(s: &Scratch, args: &[&str]) -> Value {
    serde_json::from_str(&ok(s, args)).expect("valid JSON")
}

/// (kind, goal, indicator, old, new, delta) of each row, for compact comparisons.
fn rows(form: &Value) -> Vec<Value> {
    form["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            json!([
                r["kind"],
                r["goal"],
                r["indicator"],
                r["old"],
                r["new"],
                r["delta"]
            ])
        })
        .collect()
}

#[test]
fn budget_weight_what_if_as_a_table() {
    let s = what_ifs("table");
    let out = ok(&s, &["hubei-2021", "bw10.rules", "tongcheng.toml"]);
    insta::assert_snapshot!(out);
    // The snapshot's figures, worked out in the module notes.
    for needle in ["20.00", "10.00", "-10.00", "96.53", "86.53", "优→良"] {
        assert!(out.contains(needle), "{needle} in\n{out}");
    }
}

#[test]
fn budget_weight_what_if_as_json() {
    let s = what_ifs("json");
    let v = json_of(
        &s,
        &[
            "hubei-2021",
            "bw10.rules",
            "tongcheng.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["mode"], "rules");
    assert_eq!(v["old_rules"]["id"], "hubei-2021");
    assert_eq!(v["old_rules"]["file"], "rules/hubei-2021.rules");
    assert_eq!(v["new_rules"]["file"], "bw10.rules");
    let form = &v["forms"][0];
    assert_eq!(form["file"], "tongcheng.toml");
    assert_eq!(form["old_file"], Value::Null);
    assert_eq!(form["department"], "通城县人力资源和社会保障局");
    // Only the budget line changes among the rows.
    assert_eq!(
        rows(form),
        [json!(["budget", null, null, "20.00", "10.00", "-10.00"])]
    );
    assert_eq!(form["rows"][0]["changed"], true);
    assert_eq!(
        form["total"],
        json!({"old": "96.53", "new": "86.53", "delta": "-10.00", "changed": true})
    );
    assert_eq!(
        form["grade"],
        json!({"old": "优", "new": "良", "changed": true})
    );
    let summary = &v["summary"];
    assert_eq!(summary["forms"], 1);
    assert_eq!(summary["grade_changed"], 1);
    assert_eq!(
        summary["transitions"],
        json!([{"from": "优", "to": "良", "count": 1}])
    );
    assert_eq!(summary["mean_delta"], "-10.00");
    assert_eq!(summary["max_delta"], "-10.00");
    assert_eq!(v["failed"], json!([]));
}

#[test]
fn half_even_rounding_moves_only_the_midpoint_indicator() {
    let s = what_ifs("even");
    let v = json_of(
        &s,
        &["hubei-2021", "even.rules", "tongcheng.toml", "-f", "json"],
    );
    let form = &v["forms"][0];
    assert_eq!(
        rows(form),
        [
            json!([
                "indicator",
                5,
                "2021年新增保存人事关系及档案份数",
                "1.69",
                "1.68",
                "-0.01"
            ]),
            json!(["goal", 5, null, "9.69", "9.68", "-0.01"]),
        ]
    );
    assert_eq!(
        form["rows"][1]["goal_name"],
        "安排好全县事业单位的人事档案关系、工资调整专项工作"
    );
    assert_eq!(
        form["total"],
        json!({"old": "96.53", "new": "96.52", "delta": "-0.01", "changed": true})
    );
    assert_eq!(
        form["grade"],
        json!({"old": "优", "new": "优", "changed": false})
    );
    assert_eq!(v["summary"]["grade_changed"], 0);
    assert_eq!(v["summary"]["transitions"], json!([]));
}

#[test]
fn all_shows_the_unchanged_rows_too() {
    let s = what_ifs("all");
    let args = ["hubei-2021", "even.rules", "tongcheng.toml", "--all"];
    let v = json_of(&s, &[&args[..], &["-f", "json"]].concat());
    let all = v["forms"][0]["rows"].as_array().expect("rows");
    // Indicators per goal: 7 + 7 + 9 + 9 + 6 + 4 + 10 = 52; plus 7 goals and the budget.
    assert_eq!(all.len(), 60);
    assert_eq!(all.iter().filter(|r| r["changed"] == true).count(), 2);
    assert_eq!(all.iter().filter(|r| r["kind"] == "indicator").count(), 52);
    // An unchanged row has a zero delta.
    assert_eq!(
        rows(&json!({"rows": [all[1].clone()]})),
        [json!([
            "indicator",
            1,
            "职业技能培训人次",
            "1.96",
            "1.96",
            "0.00"
        ])]
    );

    // The table shows each goal's 小计, and the budget, unchanged.
    let table = ok(&s, &args);
    assert_eq!(table.matches("小计").count(), 7, "{table}");
    assert!(table.contains("预算执行情况"), "{table}");
    assert!(table.contains("招工录用人次"), "{table}");
    // Without --all, neither.
    let table = ok(&s, &args[..3]);
    assert_eq!(table.matches("小计").count(), 1, "{table}");
    assert!(!table.contains("预算执行情况"), "{table}");

    // CSV: a header, the 60 rows, the total and the grade.
    let csv = ok(&s, &[&args[..], &["-f", "csv"]].concat());
    assert_eq!(csv.matches("\r\n").count(), 1 + 60 + 2);
    // A name with a comma is quoted; unchanged rows have a zero change. (A qualitative
    // indicator met in full: 1 × 100% = 1.00.)
    assert!(
        csv.contains(
            "tongcheng.toml,年度目标1,\"促进人才监督管理,统筹配置\",指标得分,1.00,1.00,0.00\r\n"
        ),
        "{csv}"
    );
}

#[test]
fn a_corrected_resubmission_under_one_rule_set() {
    let s = what_ifs("forms");
    s.write(
        "tongcheng-fixed.toml",
        tongcheng().replacen("actual = \"3916人次\"", "actual = \"4000人次\"", 1),
    );
    let args = ["--forms", "tongcheng.toml", "tongcheng-fixed.toml"];
    let v = json_of(&s, &[&args[..], &["-f", "json"]].concat());
    assert_eq!(v["mode"], "forms");
    assert_eq!(v["old_rules"]["id"], "hubei-2021");
    assert_eq!(v["new_rules"]["id"], "hubei-2021");
    let form = &v["forms"][0];
    assert_eq!(form["file"], "tongcheng-fixed.toml");
    assert_eq!(form["old_file"], "tongcheng.toml");
    assert_eq!(
        rows(form),
        [
            json!(["indicator", 1, "职业技能培训人次", "1.96", "2.00", "0.04"]),
            json!(["goal", 1, null, "9.96", "10.00", "0.04"]),
        ]
    );
    assert_eq!(
        form["total"],
        json!({"old": "96.53", "new": "96.57", "delta": "0.04", "changed": true})
    );

    // Markdown, to paste into a report: the whole text.
    let md = ok(&s, &[&args[..], &["--format", "md"]].concat());
    assert_eq!(
        md,
        "# 评分对比：表单的两个版本\n\
         \n\
         - 计分规则：hubei-2021 湖北省部门整体绩效自评 2021（rules/hubei-2021.rules）\n\
         \n\
         ## 通城县人力资源和社会保障局（tongcheng.toml → tongcheng-fixed.toml）\n\
         \n\
         | 项目 | 指标 | 原表单 | 新表单 | 变化 |\n\
         | --- | --- | ---: | ---: | ---: |\n\
         | 年度目标1 | 职业技能培训人次 | 1.96 | 2.00 | +0.04 |\n\
         | 年度目标1 | 小计 | 9.96 | 10.00 | +0.04 |\n\
         | 总分 |  | 96.53 | 96.57 | +0.04 |\n\
         | 等级 |  | 优 | 优 |  |\n"
    );

    // The rules come from --rules: under the half-even file the same correction moves the
    // same rows by the same amounts (1.958 and 2 are not midpoints), from goal 5's 9.68.
    let v = json_of(
        &s,
        &[&args[..], &["--rules", "even.rules", "-f", "json"]].concat(),
    );
    assert_eq!(v["new_rules"]["file"], "even.rules");
    // total under half-even 96.52, plus 0.04
    assert_eq!(
        v["forms"][0]["total"],
        json!({"old": "96.52", "new": "96.56", "delta": "0.04", "changed": true})
    );
}

#[test]
fn a_resubmission_that_adds_and_removes_indicators() {
    let s = what_ifs("structure");
    // Remove 招工录用人次 (goal 1, weight 2, scored 2) and add 新增就业岗位 (goal 1) with
    // 50 of 100: 2 × 50/100 = 1.00. Goal 1: 9.96 − 2 + 1 = 8.96; total 96.53 − 1 = 95.53.
    let removed = "[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\n\
                   name = \"招工录用人次\"\ntarget = \"360人次\"\nactual = \"360人次\"\n\
                   weight = 2\nreported = 2\n";
    let added = "[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\n\
                 name = \"新增就业岗位\"\ntarget = \"100个\"\nactual = \"50个\"\n\
                 weight = 2\n";
    let form = tongcheng();
    assert_eq!(form.matches(removed).count(), 1);
    s.write("changed.toml", form.replacen(removed, added, 1));
    let v = json_of(
        &s,
        &["--forms", "tongcheng.toml", "changed.toml", "-f", "json"],
    );
    let form = &v["forms"][0];
    assert_eq!(
        rows(form),
        [
            json!(["indicator", 1, "新增就业岗位", null, "1.00", null]),
            json!(["indicator", 1, "招工录用人次", "2.00", null, null]),
            json!(["goal", 1, null, "9.96", "8.96", "-1.00"]),
        ]
    );
    let presence: Vec<&Value> = form["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| &r["presence"])
        .collect();
    assert_eq!(
        presence,
        [&json!("added"), &json!("removed"), &json!("both")]
    );
    assert_eq!(form["total"]["new"], "95.53");

    let table = ok(&s, &["--forms", "tongcheng.toml", "changed.toml"]);
    insta::assert_snapshot!(table);
}

#[test]
fn a_folder_of_forms_with_a_summary() {
    let s = what_ifs("folder");
    s.write("forms/county.toml", county());
    s.write("forms/tongcheng.toml", tongcheng());
    s.write("forms/notes.txt", "not a form");
    let out = diff(&s, &["hubei-2021", "bw10.rules", "forms", "-f", "json"]);
    out.status(0);
    // the text file is skipped, and said to be
    let err = out.err();
    assert!(
        err.starts_with(
            "jixiao::io::skipped\n\n  ⚠ 文件夹 forms 中有 1 个文件不是表单，已跳过：notes.txt\n"
        ),
        "{err}"
    );
    let v = out.json();
    // (the rest of the test on the forms alone)
    std::fs::remove_file(s.path("forms/notes.txt")).expect("removed");
    let files: Vec<&Value> = v["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .map(|f| &f["file"])
        .collect();
    assert_eq!(
        files,
        [&json!("forms/county.toml"), &json!("forms/tongcheng.toml")]
    );
    assert_eq!(
        rows(&v["forms"][0]),
        [json!(["budget", null, null, "18.80", "9.40", "-9.40"])]
    );
    assert_eq!(
        v["forms"][0]["total"],
        json!({"old": "91.26", "new": "81.86", "delta": "-9.40", "changed": true})
    );
    let summary = &v["summary"];
    assert_eq!(summary["forms"], 2);
    assert_eq!(summary["changed"], 2);
    assert_eq!(summary["grade_changed"], 2);
    assert_eq!(
        summary["transitions"],
        json!([{"from": "优", "to": "良", "count": 2}])
    );
    // mean (−9.40 − 10.00) / 2 = −9.70; the largest change −10.00 (tongcheng)
    assert_eq!(summary["mean_delta"], "-9.70");
    assert_eq!(summary["max_delta"], "-10.00");
    let movers: Vec<Value> = summary["largest_movers"]
        .as_array()
        .expect("movers")
        .iter()
        .map(|m| json!([m["file"], m["delta"]]))
        .collect();
    assert_eq!(
        movers,
        [
            json!(["forms/tongcheng.toml", "-10.00"]),
            json!(["forms/county.toml", "-9.40"])
        ]
    );

    let table = ok(&s, &["hubei-2021", "bw10.rules", "forms"]);
    insta::assert_snapshot!(table);

    // A form named on its own and inside its folder is compared once.
    let v = json_of(
        &s,
        &[
            "hubei-2021",
            "bw10.rules",
            "forms/tongcheng.toml",
            "forms",
            "-f",
            "json",
        ],
    );
    assert_eq!(v["summary"]["forms"], 2);
}

#[test]
fn csv_has_one_row_per_changed_item() {
    let s = what_ifs("csv");
    s.write("forms/county.toml", county());
    s.write("forms/tongcheng.toml", tongcheng());
    let csv = ok(
        &s,
        &["hubei-2021", "bw10.rules", "forms", "--format", "csv"],
    );
    assert_eq!(
        csv,
        "\u{FEFF}表单,目标,指标,项目,原值,新值,变化\r\n\
         forms/county.toml,,,预算执行情况,18.80,9.40,-9.40\r\n\
         forms/county.toml,,,总分,91.26,81.86,-9.40\r\n\
         forms/county.toml,,,等级,优,良,优→良\r\n\
         forms/tongcheng.toml,,,预算执行情况,20.00,10.00,-10.00\r\n\
         forms/tongcheng.toml,,,总分,96.53,86.53,-10.00\r\n\
         forms/tongcheng.toml,,,等级,优,良,优→良\r\n"
    );
}

#[test]
fn county_education_diffs_under_half_even_rounding() {
    let s = what_ifs("county");
    s.write("county.toml", county());
    let csv = ok(
        &s,
        &["hubei-2021", "even.rules", "county.toml", "-f", "csv"],
    );
    assert_eq!(
        csv,
        "\u{FEFF}表单,目标,指标,项目,原值,新值,变化\r\n\
         county.toml,年度目标1,家庭经济困难学生就学保障水平,指标得分,4.55,4.54,-0.01\r\n\
         county.toml,年度目标1,,目标得分,27.21,27.20,-0.01\r\n\
         county.toml,,,总分,91.26,91.25,-0.01\r\n"
    );
    // Its omitted satisfaction indicator (goal 3) compares as 不计 on both sides.
    let table = ok(&s, &["hubei-2021", "even.rules", "county.toml", "--all"]);
    assert!(table.contains("幼儿家长满意度"), "{table}");
    assert!(table.contains("不计"), "{table}");
}

#[test]
fn the_same_rules_change_nothing() {
    let s = what_ifs("same");
    let table = ok(&s, &["hubei-2021", "hubei-2021", "tongcheng.toml"]);
    assert!(table.contains("无变化（总分 96.53，等级 优）"), "{table}");
    let v = json_of(
        &s,
        &["hubei-2021", "hubei-2021", "tongcheng.toml", "-f", "json"],
    );
    assert_eq!(v["forms"][0]["rows"], json!([]));
    assert_eq!(v["forms"][0]["changed"], false);
    assert_eq!(v["summary"]["changed"], 0);
    assert_eq!(v["summary"]["largest_movers"], json!([]));
    assert_eq!(v["summary"]["mean_delta"], "0.00");
    let csv = ok(
        &s,
        &["hubei-2021", "hubei-2021", "tongcheng.toml", "-f", "csv"],
    );
    assert_eq!(csv, "\u{FEFF}表单,目标,指标,项目,原值,新值,变化\r\n");
}

#[test]
fn a_failing_form_is_reported_and_the_others_still_compared() {
    let s = what_ifs("failing");
    s.write("forms/a-county.toml", county());
    s.write(
        "forms/b-zero-budget.toml",
        repo_file("tests/fixtures/bad-forms/budget_planned_zero.toml"),
    );
    s.write(
        "forms/c-broken.toml",
        repo_file("tests/fixtures/bad-forms/toml_syntax_error.toml"),
    );
    s.write("forms/d-tongcheng.toml", tongcheng());
    let out = diff(&s, &["hubei-2021", "bw10.rules", "forms", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    // The zero budget fails under both rule sets, each named; the broken file fails to load.
    assert!(
        err.contains("表单 forms/b-zero-budget.toml 在原规则 hubei-2021 下无法计分"),
        "{err}"
    );
    assert!(
        err.contains("表单 forms/b-zero-budget.toml 在新规则 hubei-2021 下无法计分"),
        "{err}"
    );
    assert!(err.contains("c-broken.toml"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let files: Vec<&Value> = v["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .map(|f| &f["file"])
        .collect();
    assert_eq!(
        files,
        [
            &json!("forms/a-county.toml"),
            &json!("forms/d-tongcheng.toml")
        ]
    );
    assert_eq!(
        v["failed"],
        json!(["forms/b-zero-budget.toml", "forms/c-broken.toml"])
    );
    assert_eq!(v["summary"]["forms"], 2);

    // The table says so in its summary.
    let out = diff(&s, &["hubei-2021", "bw10.rules", "forms"]);
    assert_eq!(out.status.code(), Some(1));
    let table = text(&out.stdout);
    assert!(table.contains("未能计分"), "{table}");
    assert!(table.contains("某县教育局"), "{table}");

    // A missing form file, with --forms: exit 1, nothing on stdout.
    let out = diff(&s, &["--forms", "tongcheng.toml", "no-such.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(text(&out.stderr).contains("jixiao::io::read"));
}

#[test]
fn bad_rules_or_an_empty_folder_exit_1() {
    let s = what_ifs("bad-rules");
    s.write("empty/notes.txt", "");
    let out = diff(&s, &["hubei-2021", "no-such.rules", "tongcheng.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    out.stderr_has("jixiao::io::read");

    let out = diff(&s, &["hubei-2021", "bw10.rules", "empty"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    out.stderr_has("jixiao::diff::no_forms");
}

#[test]
fn bad_usage_exits_2() {
    let s = what_ifs("usage");
    let cases: &[(&[&str], &str)] = &[
        (&[], "缺少参数"),
        (&["hubei-2021", "bw10.rules"], "至少一个表单"),
        (&["--forms", "tongcheng.toml"], "--forms 需要恰好两个表单"),
        (
            &[
                "--forms",
                "tongcheng.toml",
                "tongcheng.toml",
                "tongcheng.toml",
            ],
            "--forms 需要恰好两个表单",
        ),
        (
            &[
                "hubei-2021",
                "bw10.rules",
                "tongcheng.toml",
                "--rules",
                "even.rules",
            ],
            "--rules 只用于 --forms",
        ),
        (
            &[
                "hubei-2021",
                "bw10.rules",
                "tongcheng.toml",
                "--format",
                "xml",
            ],
            "xml",
        ),
    ];
    for (args, message) in cases {
        let out = diff(&s, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(err.contains("jixiao::usage::"), "{args:?}: {err}");
        // The usage lines, with both forms of the command, except after a complaint about
        // a value (which lists the valid ones instead).
        if !args.contains(&"xml") {
            assert!(err.contains("用法：jixiao diff"), "{args:?}: {err}");
            assert!(err.contains("jixiao diff --forms"), "{args:?}: {err}");
        }
    }
}

#[test]
fn set_changes_only_the_new_rules() {
    let s = what_ifs("set");
    // The same what-if as bw10.rules, by parameter: budget 20.00 → 10.00, 96.53 → 86.53.
    let v = json_of(
        &s,
        &[
            "hubei-2021",
            "hubei-2021",
            "tongcheng.toml",
            "--set",
            "budget_weight=10",
            "-f",
            "json",
        ],
    );
    assert_eq!(v["old_rules"]["set"], json!([]));
    assert_eq!(v["new_rules"]["set"], json!(["budget_weight=10"]));
    assert_eq!(
        rows(&v["forms"][0]),
        [json!(["budget", null, null, "20.00", "10.00", "-10.00"])]
    );
    assert_eq!(v["forms"][0]["total"]["new"], "86.53");

    // With --forms it sets the one rule set both versions are scored by: the budget is
    // 10.00 on both sides, and the resubmission's +0.04 moves 86.53 to 86.57.
    s.write(
        "tongcheng-fixed.toml",
        tongcheng().replacen("actual = \"3916人次\"", "actual = \"4000人次\"", 1),
    );
    let v = json_of(
        &s,
        &[
            "--forms",
            "tongcheng.toml",
            "tongcheng-fixed.toml",
            "--set",
            "budget_weight=10",
            "-f",
            "json",
        ],
    );
    assert_eq!(
        v["forms"][0]["total"],
        json!({"old": "86.53", "new": "86.57", "delta": "0.04", "changed": true})
    );
}

/// `diff --forms` and the what-if diff read workbooks and CSV as `score` does: the
/// workbook of the seed form scores exactly as its TOML transcription.
#[test]
fn diff_reads_workbooks_like_score() {
    let out = Test::new()
        .args([
            "diff",
            "--forms",
            "examples/tongcheng-2021.toml",
            "tests/fixtures/import/tongcheng-2021.xlsx",
            "--weights",
            "reported",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let s = v.to_string();
    assert!(s.contains("96.53"), "{s}");
    assert!(!s.contains("\"changed\":true"), "{s}");
}

/// `diff --format csv` is written by the one CSV writer `score --format csv` uses: a byte
/// order mark first (so Excel on Chinese Windows reads UTF-8), and text a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@` first) defused with `'`; it had neither.
/// Scores stay numbers: `-9.40` is not defused.
#[test]
fn csv_texts_that_look_like_formulas_are_defused_and_the_file_has_a_bom() {
    let s = Scratch::new("csv-formulas");
    let form = tongcheng()
        .replacen("\"职业技能培训人次\"", "\"=HYPERLINK(\\\"x\\\")\"", 1)
        .replacen("\"招工录用人次\"", "\"+1\"", 1)
        .replacen("\"提高专业人员技能\"", "\"-1\"", 1)
        .replacen("\"建立专业技术人员继续教育\"", "\"@x\"", 1);
    s.write("=1.toml", &form);
    let csv = ok(
        &s,
        &["hubei-2021", "hubei-2021", "--all", "-f", "csv", "=1.toml"],
    );
    assert!(
        csv.starts_with("\u{FEFF}表单,目标,指标,项目,原值,新值,变化\r\n"),
        "{csv}"
    );
    // Hand-computed (hubei-2021): 2 × 3916/4000 = 1.958 → 1.96; 2 × 360/360 = 2.00; the
    // two qualitative indicators met in full, 1 × 100% = 1.00. The same rules on both
    // sides: every change is 0.00.
    for line in [
        "'=1.toml,年度目标1,\"'=HYPERLINK(\"\"x\"\")\",指标得分,1.96,1.96,0.00\r\n",
        "'=1.toml,年度目标1,'+1,指标得分,2.00,2.00,0.00\r\n",
        "'=1.toml,年度目标1,'-1,指标得分,1.00,1.00,0.00\r\n",
        "'=1.toml,年度目标1,'@x,指标得分,1.00,1.00,0.00\r\n",
        "'=1.toml,,,总分,96.53,96.53,0.00\r\n",
        "'=1.toml,,,等级,优,优,\r\n",
    ] {
        assert!(csv.contains(line), "{line} not in:\n{csv}");
    }
}

/// A folder of more than a handful of forms: the impact first, per-form rows only with
/// `--detail`.
#[test]
fn a_larger_folder_leads_with_the_impact() {
    let s = what_ifs("impact");
    for n in 1..=3 {
        s.write(&format!("forms/a{n}.toml"), tongcheng());
        s.write(&format!("forms/b{n}.toml"), county());
    }
    let table = ok(&s, &["hubei-2021", "bw10.rules", "forms"]);
    // Compared with runs of spaces as one, as the table pads its columns.
    let squashed: Vec<String> = table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    // 3 × (96.53 → 86.53, -10.00) and 3 × (91.26 → 81.86, -9.40): mean and median
    // -9.70, largest -10.00; all six 优 → 良
    for line in [
        "| 对比表单 6 份 |",
        "| 总分有变化 6 份 |",
        "| 等级变化 6 份（优→良 6 份） |",
        "| 总分平均变化 -9.70 |",
        "| 总分变化中位数 -9.70 |",
        "| 总分最大变化 -10.00 |",
        "| 原规则＼新规则 优 良 |",
        "| 优 6 |",
        // totals 81.86 to 96.53 in bins of 2: 80–82 holds the three new 81.86
        "| [80, 82) 0 3 ████████████████████ |",
        "| [96, 98] 3 ████████████████████ 0 |",
    ] {
        assert!(
            squashed.iter().any(|l| l == line),
            "no {line:?} in\n{table}"
        );
    }
    let impact = table.find("汇总").expect("the impact");
    let note = table
        .find("逐份明细未列出（共 6 份，其中 6 份得分有变化）")
        .expect("the note");
    assert!(impact < note, "{table}");
    assert!(!table.contains("（forms/a1.toml）"), "{table}");
    // --detail adds each form's rows after the impact
    let detailed = ok(&s, &["hubei-2021", "bw10.rules", "forms", "--detail"]);
    let form = detailed.find("（forms/a1.toml）").expect("a form's rows");
    assert!(detailed.find("汇总").expect("the impact") < form);
    assert!(!detailed.contains("逐份明细未列出"));
    // JSON always has every form, and the impact
    let v = json_of(&s, &["hubei-2021", "bw10.rules", "forms", "-f", "json"]);
    assert_eq!(v["forms"].as_array().map(Vec::len), Some(6));
    let summary = &v["summary"];
    assert_eq!(summary["total_changed"], 6);
    assert_eq!(summary["median_delta"], "-9.70");
    assert_eq!(summary["grade_matrix"]["grades"], json!(["优", "良"]));
    assert_eq!(summary["grade_matrix"]["counts"], json!([[0, 6], [0, 0]]));
    assert_eq!(summary["distribution"]["width"], "2");
    assert_eq!(
        summary["distribution"]["bins"][0],
        json!({"from": "80", "to": "82", "old": 0, "new": 3})
    );
}

/// `--format html`: one page, the impact first, nothing external.
#[test]
fn html_leads_with_the_impact_and_charts_the_totals() {
    let s = what_ifs("html");
    for n in 1..=3 {
        s.write(&format!("forms/a{n}.toml"), tongcheng());
        s.write(&format!("forms/b{n}.toml"), county());
    }
    let html = ok(&s, &["hubei-2021", "bw10.rules", "forms", "-f", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<h1>评分对比：两套规则</h1>"));
    assert!(html.contains("<tr><th>总分有变化</th><td>6 份</td></tr>"));
    assert!(html.contains("<tr><th>总分变化中位数</th><td>-9.70</td></tr>"));
    // the matrix: all six 优 → 良, off the diagonal, highlighted
    assert!(
        html.contains("<tr><td>优</td><td class=\"num\"></td><td class=\"num diff\">6</td></tr>")
    );
    // the chart: 2-point bins from 80 to 98, both sides named
    assert!(html.contains(">80–82</text>") && html.contains(">96–98</text>"));
    assert!(html.contains("总分分布：原规则与新规则"));
    assert!(html.contains("每 2 分一组"));
    // more than five forms: the note instead of every form's rows
    assert!(html.contains("逐份明细未列出（共 6 份，其中 6 份得分有变化）"));
    for bad in ["http", "<script", "src=", "@import", "url("] {
        assert!(!html.contains(bad), "{bad} in the page");
    }
    // with --detail, each form's table follows
    let detailed = ok(
        &s,
        &[
            "hubei-2021",
            "bw10.rules",
            "forms",
            "-f",
            "html",
            "--detail",
        ],
    );
    assert!(detailed.contains("<h2>通城县人力资源和社会保障局（forms/a1.toml）</h2>"));
}

/// `--format xlsx` (or `-o x.xlsx`): the impact on a 汇总 sheet, every changed item on
/// 变化明细; counts, scores and changes as numbers. Figures as in the module notes:
/// county 91.26 → 81.86 (−9.40), tongcheng 96.53 → 86.53 (−10.00), both 优 → 良.
#[test]
fn xlsx_has_the_impact_and_the_changed_rows() {
    use calamine::{Reader, Xlsx};
    let s = what_ifs("xlsx");
    s.write("forms/county.toml", county());
    s.write("forms/tongcheng.toml", tongcheng());
    let ran = diff(
        &s,
        &["hubei-2021", "bw10.rules", "forms", "-o", "对比.xlsx"],
    );
    ran.status(0);
    assert_eq!(ran.err(), "已写入 对比.xlsx\n");
    let bytes = std::fs::read(s.path("对比.xlsx")).expect("the workbook");
    // --format xlsx to a pipe writes the same workbook
    let piped = s
        .test()
        .args(["diff", "hubei-2021", "bw10.rules", "forms", "-f", "xlsx"])
        .run();
    piped.status(0);
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("xlsx");
    assert_eq!(book.sheet_names(), ["汇总", "变化明细"]);

    let sum = book.worksheet_range("汇总").expect("汇总");
    let (start, _) = sum.start().expect("cells");
    assert_eq!(start, 0);
    assert_eq!(xlsx_cell(&sum, 0, 0), "评分对比：两套规则");
    assert!(
        xlsx_cell(&sum, 2, 0).starts_with("新规则：hubei-2021"),
        "{}",
        xlsx_cell(&sum, 2, 0)
    );
    assert_eq!(xlsx_rows(&sum, 4, 11), BUDGET_10_SUMMARY);
    // the matrix: both forms 优 → 良, none stayed
    assert_eq!(
        xlsx_rows(&sum, 13, 16),
        [
            vec!["等级变化（行：原等级，列：新等级，单元格：表单份数）"],
            vec!["原规则＼新规则", "优", "良"],
            vec!["优", "", "#2"],
            vec!["良"],
        ]
    );
    // totals 81.86 … 96.53 in bins of 2 from 80: county 91.26 → 81.86, tongcheng
    // 96.53 → 86.53
    let dist = xlsx_rows(&sum, 18, 28);
    assert_eq!(dist[0], ["总分分布（表单份数）"]);
    assert_eq!(dist[1], ["总分区间", "原规则", "新规则"]);
    assert_eq!(dist[2], ["[80, 82)", "#0", "#1"]);
    assert_eq!(dist[5], ["[86, 88)", "#0", "#1"]);
    assert_eq!(dist[7], ["[90, 92)", "#1", "#0"]);
    assert_eq!(dist[10], ["[96, 98]", "#1", "#0"]);
    assert_eq!(
        xlsx_rows(&sum, 30, 33),
        [
            vec!["总分变动最大的表单"],
            vec!["单位", "文件", "原规则", "新规则", "变化", "等级"],
            vec![
                "通城县人力资源和社会保障局",
                "forms/tongcheng.toml",
                "#96.53",
                "#86.53",
                "#-10",
                "优→良"
            ],
            vec![
                "某县教育局",
                "forms/county.toml",
                "#91.26",
                "#81.86",
                "#-9.4",
                "优→良"
            ],
        ]
    );

    let rows = book.worksheet_range("变化明细").expect("变化明细");
    assert_eq!(
        xlsx_rows(&rows, 0, 6),
        [
            vec!["表单", "目标", "指标", "项目", "原值", "新值", "变化"],
            vec![
                "forms/county.toml",
                "",
                "",
                "预算执行情况",
                "#18.8",
                "#9.4",
                "#-9.4"
            ],
            vec![
                "forms/county.toml",
                "",
                "",
                "总分",
                "#91.26",
                "#81.86",
                "#-9.4"
            ],
            vec!["forms/county.toml", "", "", "等级", "优", "良", "优→良"],
            vec![
                "forms/tongcheng.toml",
                "",
                "",
                "预算执行情况",
                "#20",
                "#10",
                "#-10"
            ],
            vec![
                "forms/tongcheng.toml",
                "",
                "",
                "总分",
                "#96.53",
                "#86.53",
                "#-10"
            ],
            vec!["forms/tongcheng.toml", "", "", "等级", "优", "良", "优→良"],
        ]
    );
    // Shown at the rules' two places (18.80, -9.40), the mean and median at two too.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut styles = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/styles.xml").expect("styles"),
        &mut styles,
    )
    .expect("UTF-8");
    for code in ["formatCode=\"0.00\"", "formatCode=\"+0.00;-0.00;0.00\""] {
        assert!(styles.contains(code), "{code} in {styles}");
    }
}

/// `-o` takes its format from the extension, as `score -o` does, and refuses what it
/// does not write, or an input.
#[test]
fn output_files_follow_their_extension() {
    let s = what_ifs("output");
    let ran = diff(
        &s,
        &["hubei-2021", "bw10.rules", "tongcheng.toml", "-o", "d.csv"],
    );
    ran.status(0);
    let csv = std::fs::read_to_string(s.path("d.csv")).expect("written");
    assert!(
        csv.contains("tongcheng.toml,,,总分,96.53,86.53,-10.00\r\n"),
        "{csv}"
    );
    let ran = diff(
        &s,
        &["hubei-2021", "bw10.rules", "tongcheng.toml", "-o", "d.pdf"],
    );
    ran.status(2);
    assert!(
        ran.err().contains("jixiao::usage::unknown_extension"),
        "{}",
        ran.err()
    );
    let ran = diff(
        &s,
        &[
            "hubei-2021",
            "bw10.rules",
            "tongcheng.toml",
            "-o",
            "tongcheng.toml",
        ],
    );
    ran.status(2);
    assert!(
        ran.err().contains("jixiao::usage::output_is_input"),
        "{}",
        ran.err()
    );
    assert_eq!(
        std::fs::read_to_string(s.path("tongcheng.toml")).expect("kept"),
        tongcheng()
    );
}
