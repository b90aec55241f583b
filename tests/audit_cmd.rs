//! `jixiao audit`: reported scores against computed ones, on the built binary and through
//! the library. Every expected number is worked out by hand in a comment.

use jixiao::report::audit::{Finding, RowKind, Verdict, audit};
use serde_json::Value;

use crate::support::{Scratch, d, form_with, indicator, jixiao, score, text};

/// A form whose every reported score is right.
/// Budget 100 of 100: 20 × 100 / 100 = 20 → 20.00, reported 20.
/// Indicator: 2 × 3916 / 4000 = 1.958 → 1.96, reported 1.96.
/// Total 20.00 + 1.96 = 21.96, reported 21.96.
const AGREEING: &str = r#"
[form]
title = "核查测试"
reported_total = 21.96

[budget]
planned = "100万元"
executed = "100万元"
reported_score = 20

[[goals]]
name = "培训"
weight = 2

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "职业技能培训人次"
target = "4000人次"
actual = "3916人次"
weight = 2
reported = 1.96
"#;

/// (path, computed, reported, difference, finding) of each row.
fn rows(form: &Value) -> Vec<(String, String, String, String, String)> {
    form["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let s = |k: &str| match &r[k] {
                Value::String(s) => s.clone(),
                Value::Null => "null".to_owned(),
                v => v.to_string(),
            };
            (
                s("path"),
                s("computed"),
                s("reported"),
                s("difference"),
                s("finding"),
            )
        })
        .collect()
}

fn row(
    path: &str,
    computed: &str,
    reported: &str,
    diff: &str,
    finding: &str,
) -> (String, String, String, String, String) {
    (
        path.to_owned(),
        computed.to_owned(),
        reported.to_owned(),
        diff.to_owned(),
        finding.to_owned(),
    )
}

#[test]
fn the_seed_form_flags_six_indicators_and_the_total() {
    let out = jixiao(&["audit", "examples/tongcheng-2021.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let v = out.json();
    assert_eq!(v["agrees"], false);
    assert_eq!(v["tolerance"], "0.01");
    let form = &v["forms"][0];
    // The six indicators that fell short are weighted 2 (see the form's header); every
    // other indicator's weight is its reported score and it met its target, so it agrees.
    // The budget (20 × 12174.8 / 12174.8 = 20.00, reported 20) is not flagged.
    assert_eq!(
        rows(form),
        vec![
            // 2 × 3916 / 4000 = 1.958 → 1.96; reported 1: under-reported by 0.96
            row("1/职业技能培训人次", "1.96", "1", "0.96", "under"),
            // 2 × 211484 / 265000 = 1.5961… → 1.60; reported 1
            row("2/城乡居民参保人数", "1.60", "1", "0.60", "under"),
            // 2 × 687 / 750 = 1.832 → 1.83; reported 1
            row("4/专业技术职称评审人数", "1.83", "1", "0.83", "under"),
            // 2 × 232 / 300 = 1.5466… → 1.55; reported 1
            row("4/工伤病残等级鉴定例数", "1.55", "1", "0.55", "under"),
            // 2 × 18 / 40 = 0.9 → 0.90; reported 2: over-reported by 1.10
            row(
                "4/2021年劳动仲裁裁决结案案件数",
                "0.90",
                "2",
                "-1.10",
                "over"
            ),
            // 2 × 337 / 400 = 1.685 → 1.69 (half up); reported 1
            row(
                "5/2021年新增保存人事关系及档案份数",
                "1.69",
                "1",
                "0.69",
                "under"
            ),
            // 20.00 + 9.96 + 9.60 + 14.00 + 13.28 + 9.69 + 10.00 + 10.00 = 96.53; reported 94
            row("总分", "96.53", "94", "2.53", "under"),
        ]
    );
    // under: 0.96 + 0.60 + 0.83 + 0.55 + 0.69 = 3.63; over: 2 − 0.90 = 1.10
    assert_eq!(form["under"], "3.63");
    assert_eq!(form["over"], "1.10");
    assert_eq!(form["verdict"]["kind"], "mixed");
    // 52 indicators, the budget and the total were reported: 54 comparisons.
    assert_eq!(form["compared"], 54);
}

#[test]
fn the_seed_form_as_a_table() {
    let out = jixiao(&["audit", "examples/tongcheng-2021.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("结论：自评有高有低：偏高 1.10 分，偏低 3.63 分"),
        "{stdout}"
    );
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_form_that_agrees_exits_0() {
    let dir = Scratch::new("agrees");
    let path = dir.write("agrees.toml", AGREEING);
    let out = jixiao(&["audit", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // budget, one indicator and the total: 3 reported scores
    assert!(
        stdout.contains("结论：一致（3 项自评得分均与计算得分相符，容差 0.01）"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("+---"),
        "no table when nothing differs: {stdout}"
    );
}

#[test]
fn a_tolerance_of_1_keeps_only_larger_differences() {
    let out = jixiao(&[
        "audit",
        "examples/tongcheng-2021.toml",
        "--tolerance",
        "1",
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let v = out.json();
    let form = &v["forms"][0];
    // |−1.10| > 1 and |+2.53| > 1; 0.96, 0.60, 0.83, 0.55 and 0.69 are within 1.
    assert_eq!(
        rows(form),
        vec![
            row(
                "4/2021年劳动仲裁裁决结案案件数",
                "0.90",
                "2",
                "-1.10",
                "over"
            ),
            row("总分", "96.53", "94", "2.53", "under"),
        ]
    );
    assert_eq!(form["over"], "1.10");
    assert_eq!(form["under"], "0");
    assert_eq!(form["verdict"]["kind"], "over");
    // A tolerance above every difference (the largest is the total's 2.53): all agree.
    let out = jixiao(&["audit", "examples/tongcheng-2021.toml", "-t", "2.53"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_bad_tolerance_is_a_usage_error() {
    for bad in ["abc", "-1", "0.01分", ""] {
        let out = jixiao(&["audit", "examples/tongcheng-2021.toml", "--tolerance", bad]);
        assert_eq!(out.status.code(), Some(2), "--tolerance {bad:?}");
        assert_eq!(text(&out.stdout), "");
        out.stderr_has("--tolerance");
    }
    let out = jixiao(&["audit", "examples/tongcheng-2021.toml", "-t", "-0.5"]);
    out.stderr_has("容差不能为负数");
    let out = jixiao(&["audit"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_folder_of_forms_is_audited_form_by_form() {
    let dir = Scratch::new("folder");
    dir.write("a-agrees.toml", AGREEING);
    dir.copy("examples/tongcheng-2021.toml", "b-seed.toml");
    dir.write("notes.txt", "not a form");
    let out = jixiao(&["audit", &dir.folder()]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let a = stdout.find("a-agrees.toml").expect("first form");
    let b = stdout.find("b-seed.toml").expect("second form");
    assert!(a < b, "in name order: {stdout}");
    assert!(
        stdout.contains("共核查 2 份表单：一致 1 份，不一致 1 份"),
        "{stdout}"
    );

    // A form that cannot be scored: its diagnostic on stderr, the others still audited,
    // and exit 1, which outranks 3.
    dir.copy(
        "tests/fixtures/bad-forms/unit_mismatch_people_vs_cases.toml",
        "c-bad.toml",
    );
    let out = jixiao(&["audit", &dir.folder(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    out.stderr_has("jixiao::form::unit_mismatch");
    let v = out.json();
    assert_eq!(v["forms"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        v["failed"][0]["related"][0]["code"],
        "jixiao::form::unit_mismatch"
    );
    assert!(
        v["failed"][0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("c-bad.toml"))
    );
}

#[test]
fn an_omitted_indicator_with_a_reported_score_is_flagged() {
    let out = jixiao(&[
        "audit",
        "examples/county-education-2022.toml",
        "-t",
        "5",
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let form = &out.json()["forms"][0];
    // 幼儿家长满意度 has no actual and is left out (不计), but 6 was reported: 0 − 6 = −6.
    // Nothing else differs by more than 5: the largest is 新增公办幼儿园学位数,
    // 6 × 20 / 14 = 8.5714… → 8.57 against 6, +2.57; the total 91.26 against 94.76, −3.50.
    assert_eq!(
        rows(form),
        vec![row("3/幼儿家长满意度", "null", "6", "-6", "unscored")]
    );
    assert_eq!(form["over"], "6");
    let out = jixiao(&["audit", "examples/county-education-2022.toml", "-t", "5"]);
    out.stdout_has("未评但自评 6 分");
}

#[test]
fn indicators_without_a_reported_score_are_not_flagged() {
    // 2 × 50 / 100 = 1 → 1.00, far from the weight, but nothing was reported.
    let o = score(&form_with(
        2,
        &indicator("target = \"100人次\"\nactual = \"50人次\"\nweight = 2"),
    ));
    let a = audit(&o, d("0.01"));
    assert!(a.agrees());
    assert_eq!(a.compared, 0);
    assert_eq!(a.verdict, Verdict::Agrees);
}

#[test]
fn a_reported_goal_score_that_does_not_add_up_is_a_row_of_its_own() {
    // The indicator: 2 × 50 / 100 = 1 → 1.00, reported 1: agrees.
    // The goal: computed 1.00, reported 1.5: differs by −0.50, but it is a sum, so it
    // counts in neither sum and the verdict is about the sums only.
    let o = score(&format!(
        "[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
         [[goals]]\nname = \"目标\"\nweight = 2\nreported = 1.5\n\n{}",
        indicator("target = \"100人次\"\nactual = \"50人次\"\nweight = 2\nreported = 1")
    ));
    let a = audit(&o, d("0.01"));
    assert_eq!(a.rows.len(), 1, "{:?}", a.rows);
    let r = &a.rows[0];
    assert_eq!(r.kind, RowKind::Goal);
    assert_eq!(r.path, "目标1");
    assert_eq!(r.difference, d("-0.50"));
    assert_eq!(r.finding, Finding::Over);
    assert_eq!(a.over, d("0"));
    assert_eq!(a.under, d("0"));
    assert_eq!(a.verdict, Verdict::SumsOnly);
}

#[test]
fn a_difference_equal_to_the_tolerance_agrees() {
    // 2 × 3916 / 4000 = 1.958 → 1.96, reported 1.95: |0.01| ≤ 0.01.
    let o = score(&form_with(
        2,
        &indicator("target = \"4000人次\"\nactual = \"3916人次\"\nweight = 2\nreported = 1.95"),
    ));
    assert!(audit(&o, d("0.01")).agrees());
    // With no tolerance it is flagged as under-reported by 0.01.
    let a = audit(&o, d("0"));
    assert_eq!(a.under, d("0.01"));
    assert_eq!(a.verdict, Verdict::Under { amount: d("0.01") });
    assert_eq!(a.verdict_text, "自评偏低 0.01 分");
}

/// `audit` and `explain` take `--weights` as `score` does: the printed form's text has no
/// 分值 column, so without `--weights reported` it cannot be converted.
#[test]
fn audit_and_explain_take_weights_like_score() {
    let form = "tests/fixtures/import/tongcheng-2021-form.txt";
    let out = jixiao(&["audit", form]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::import::missing_weight"), "{err}");

    let out = jixiao(&["audit", form, "--weights", "reported"]);
    // The department reported 94; a difference is exit 3, not a failure.
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("自评总分 94"));

    // Budget: 20 × 12174.8 / 12174.8 = 20.
    let out = jixiao(&["explain", form, "预算", "--weights", "reported"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("得分 20.00（自评 20，一致）"));
}
