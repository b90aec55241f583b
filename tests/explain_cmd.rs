//! `jixiao explain` and `score --explain`: the chain behind each score, on the built
//! binary; and the library's lookup of what a query names. Expected numbers are worked
//! out by hand in comments.

use crate::support::{jixiao, text};

use jixiao::Outcome;
use jixiao::report::explain::{self, Lookup, Selected, find, lines};
use serde_json::Value;

use crate::support::score;

const SEED: &str = "examples/tongcheng-2021.toml";

fn seed() -> Outcome<'static> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/tongcheng-2021.toml");
    score(&std::fs::read_to_string(path).expect("the seed form"))
}

/// The paths a query selects, or the error's code.
fn paths(o: &Outcome, query: &str) -> Result<Vec<String>, String> {
    match find(o, query) {
        Ok(found) => Ok(found.iter().map(|s| explain::path(o, *s)).collect()),
        Err(e) => Err(miette::Diagnostic::code(&e)
            .map(|c| c.to_string())
            .unwrap_or_default()),
    }
}

#[test]
fn one_indicator_shows_its_formula_rounding_and_rule_lines() {
    let out = jixiao(&["explain", SEED, "职业技能培训人次"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let stdout = text(&out.stdout);
    // weight 2, A = 4000, B = 3916: 2 × 3916 / 4000 = 7832 / 4000 = 1.958, and 四舍五入
    // to two places gives 1.96; reported 1, so 差异 +0.96.
    assert!(
        stdout.contains("年度目标1 / 职业技能培训人次  得分 1.96（自评 1，差异 +0.96）"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 × 3916 / 4000 = 1.958 → 1.96（保留 2 位小数）"),
        "{stdout}"
    );
    assert!(stdout.contains("类别：正向指标"), "{stdout}");
    assert!(stdout.contains("← rules/hubei-2021.rules:"), "{stdout}");
    // The goal it belongs to: 1.96 + 2 + 1 + 1 + 1 + 1 + 2 = 9.96.
    assert!(stdout.contains("= 9.96（目标分值 10"), "{stdout}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_name_in_several_goals_is_ambiguous_and_lists_paths() {
    let out = jixiao(&["explain", SEED, "服务对象满意度"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::explain::ambiguous"), "{err}");
    // Goals 1, 2, 3, 4, 5 and 7 have one each; goal 6 has none.
    for goal in [1, 2, 3, 4, 5, 7] {
        assert!(err.contains(&format!("{goal}/服务对象满意度")), "{err}");
    }
    assert!(!err.contains("6/服务对象满意度"), "{err}");
    // A listed path, pasted back, selects one.
    let out = jixiao(&["explain", SEED, "4/服务对象满意度"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("年度目标4 / 服务对象满意度  得分 1.00"));
}

#[test]
fn paths_select_by_goal_and_name_in_every_spelling() {
    let plain = jixiao(&["explain", SEED, "2/城乡居民参保人数"]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
    let stdout = text(&plain.stdout);
    // 2 × 211484 / 265000 = 422968 / 265000 = 1.596105… → 1.60; reported 1.
    assert!(
        stdout.contains("年度目标2 / 城乡居民参保人数  得分 1.60（自评 1，差异 +0.60）"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 × 211484 / 265000 = 1.596105… → 1.60"),
        "{stdout}"
    );
    for spelling in [
        "goal 2 / 城乡居民参保人数",
        "目标2/城乡居民参保人数",
        "年度目标 2 ／ 城乡居民参保人数",
        "城乡居民参保",
    ] {
        let out = jixiao(&["explain", SEED, spelling]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{spelling}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), stdout, "{spelling}");
    }
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let out = jixiao(&["explain", SEED, "职业技能培训认次"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::explain::unknown_indicator"), "{err}");
    assert!(err.contains("是否想找「1/职业技能培训人次」"), "{err}");
    let out = jixiao(&["explain", SEED, "9/职业技能培训人次"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("jixiao::explain::unknown_goal"));
}

#[test]
fn the_budget_line_is_explained_by_name() {
    let out = jixiao(&["explain", SEED, "预算"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // 20 × 12174.8万 / 12174.8万 = 20, reported 20.
    assert!(
        stdout.starts_with("预算执行情况  得分 20.00（自评 20，一致）\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("20 × 121748000 / 121748000 = 20"),
        "{stdout}"
    );
    assert!(!stdout.contains("年度目标"), "{stdout}");
}

#[test]
fn json_has_the_selected_items_with_their_traces() {
    let out = jixiao(&["explain", SEED, "2/城乡居民参保人数", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["kind"], "indicator");
    assert_eq!(item["path"], "2/城乡居民参保人数");
    assert_eq!(item["goal"], 2);
    assert_eq!(item["score"], "1.60");
    assert_eq!(item["weight"], "2");
    let trace = item["trace"].as_array().expect("trace");
    assert!(
        trace.iter().any(|s| s["rule"]
            .as_str()
            .is_some_and(|r| r.starts_with("rules/hubei-2021.rules:"))),
        "{trace:?}"
    );
    // Each step says what it is, with its values typed: weight 2, A 265000, B 211484 give
    // 2 × 211484 / 265000 = 422968 / 265000 = 1.5961…, rounded to 1.60.
    assert!(trace.iter().all(|s| s["kind"].is_string()), "{trace:?}");
    let formula = trace
        .iter()
        .find(|s| s["kind"] == "formula")
        .expect("a formula step");
    assert_eq!(formula["source"], "weight * B / A");
    assert_eq!(formula["substituted"], "2 × 211484 / 265000");
    assert!(
        formula["value"]
            .as_str()
            .is_some_and(|v| v.starts_with("1.5961"))
    );
    let rounding = trace.last().expect("steps");
    assert_eq!(rounding["kind"], "rounding");
    assert_eq!(rounding["places"], 2);
    assert_eq!(rounding["to"], "1.60");
    // Its goal: 2.00 + 1.60 + 1 + 1 + 1 + 1 + 2 = 9.60. No total for a part of the form.
    assert_eq!(v["goals"][0]["number"], 2);
    assert_eq!(v["goals"][0]["score"], "9.60");
    assert_eq!(v["total"], Value::Null);

    let out = jixiao(&["explain", SEED, "-f", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // The budget line and the form's 52 indicators; the total 96.53 against 94.
    assert_eq!(v["items"].as_array().map(Vec::len), Some(53));
    assert_eq!(v["items"][0]["kind"], "budget");
    assert_eq!(v["total"]["score"], "96.53");
    assert_eq!(v["total"]["difference"], "2.53");
}

#[test]
fn score_explain_prints_the_table_then_every_explanation() {
    let table = jixiao(&["score", SEED]);
    let out = jixiao(&["score", SEED, "--explain"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let table = text(&table.stdout);
    assert!(stdout.starts_with(&table), "the table first");
    let rest = &stdout[table.len()..];
    assert!(rest.contains("预算执行情况  得分 20.00"), "{rest}");
    assert!(
        rest.contains("年度目标1 / 职业技能培训人次  得分 1.96（自评 1，差异 +0.96）"),
        "{rest}"
    );
    // 20.00 + 9.96 + 9.60 + 14.00 + 13.28 + 9.69 + 10.00 + 10.00 = 96.53
    assert!(
        rest.contains(
            "总分 = 预算 20.00 + 9.96 + 9.60 + 14.00 + 13.28 + 9.69 + 10.00 + 10.00 = 96.53"
        ),
        "{rest}"
    );
}

/// The whole of an explanation that exercises fund entries, a negative indicator, caps,
/// tiers and an optional indicator left out with its goal rescaled (hand computation in
/// examples/county-education-2022.expected.md).
#[test]
fn a_whole_form_explained() {
    let out = jixiao(&["explain", "examples/county-education-2022.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // Goal 3's 新增公办幼儿园学位数: 6 × 960 / 900 = 6.4, capped at 6, then × 20 / 14
    // (weight 6 of 20 is left out) = 8.5714… → 8.57.
    assert!(stdout.contains("不得超过 weight = 6：6.4 → 6"), "{stdout}");
    assert!(
        stdout.contains("6 × 20 / 14 = 8.571428… → 8.57（保留 2 位小数）"),
        "{stdout}"
    );
    assert!(
        stdout.contains("年度目标3 / 幼儿家长满意度  不计分（可选指标，未评价；自评 6）"),
        "{stdout}"
    );
    // 18.80 + 27.21 + 25.30 + 19.95 = 91.26; reported 94.76: −3.50.
    assert!(stdout.contains("= 91.26（满分 100，等级 优）"), "{stdout}");
    assert!(
        stdout.contains("自评总分 94.76（优），差异 -3.50"),
        "{stdout}"
    );
    insta::assert_snapshot!(stdout);
}

#[test]
fn lookup_in_the_library() {
    let o = seed();
    assert_eq!(paths(&o, "预算"), Ok(vec!["预算".to_owned()]));
    assert_eq!(paths(&o, " Budget "), Ok(vec!["预算".to_owned()]));
    // A unique part of a name.
    assert_eq!(
        paths(&o, "参保人数"),
        Ok(vec!["2/城乡居民参保人数".to_owned()])
    );
    // Spaces in the form's own names do not matter.
    assert_eq!(
        paths(&o, "为农民工讨薪,维护农民工合法权益"),
        Ok(vec!["3/为农民工讨薪, 维护农民工合法权益".to_owned()])
    );
    // A goal alone: goal 6 has four indicators.
    assert_eq!(paths(&o, "目标6").map(|p| p.len()), Ok(4));
    // Goal 2 has 提高城乡居民社会保障 twice (4th and 6th): positions tell them apart.
    assert_eq!(
        paths(&o, "2/提高城乡居民社会保障"),
        Err("jixiao::explain::ambiguous".to_owned())
    );
    match find(&o, "提高城乡居民社会保障") {
        Err(Lookup::Ambiguous { candidates, .. }) => assert_eq!(candidates, ["2/4", "2/6"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        find(&o, "2/6").ok(),
        Some(vec![Selected::Indicator {
            goal: 1,
            indicator: 5
        }])
    );
    // 参保 is in two names (城乡居民参保人数, 维护参保人员合法权益).
    assert_eq!(
        paths(&o, "参保"),
        Err("jixiao::explain::ambiguous".to_owned())
    );
    assert_eq!(
        paths(&o, "不存在的指标"),
        Err("jixiao::explain::unknown_indicator".to_owned())
    );
    assert_eq!(
        paths(&o, "目标8"),
        Err("jixiao::explain::unknown_goal".to_owned())
    );
}

#[test]
fn rounding_steps_merge_into_the_step_they_round() {
    let o = seed();
    let ind = &o.goals[0].indicators[0];
    assert_eq!(ind.name.as_ref(), "职业技能培训人次");
    let got = lines(&ind.trace);
    let formula = got
        .iter()
        .find(|l| l.text.contains("2 × 3916 / 4000"))
        .expect("the formula");
    assert!(
        formula.text.ends_with("= 1.958 → 1.96（保留 2 位小数）"),
        "{formula:?}"
    );
    // The formula's rule line, then the rounding's.
    assert_eq!(formula.rules.len(), 2, "{formula:?}");
    assert!(!got.iter().any(|l| l.text.starts_with("保留")), "{got:?}");
}
