//! One form, every output: a goal that reports its own score (70) while its indicators'
//! reported scores add up to another (60 + 20 = 80). Every output shows the goal's own
//! figure and the same difference (`GoalOutcome::reported()`/`difference()`): the table,
//! JSON, CSV, Markdown, xlsx, HTML, explain and audit; diff, which compares computed
//! scores, shows the same computed goal score.
//!
//! tests/forms/goal_reported_disagrees.toml under hubei-2021, by hand:
//! - budget 20 × 95 / 100 = 19 → 19.00; reported 19; no difference.
//! - 培训人数 60 × 90 / 100 = 54 → 54.00; reported 60; 差异 54.00 − 60 = −6.00.
//! - 服务次数 20 × 50 / 50 = 20 → 20.00; reported 20; no difference.
//! - 年度目标1: 54.00 + 20.00 = 74.00 of 80; reported 70 (its own figure, not 80);
//!   差异 74.00 − 70 = +4.00 (the indicators' sum would give 74.00 − 80 = −6.00).
//! - total 19.00 + 74.00 = 93.00 of 100 (优); reported 90 (优); 差异 +3.00.
//!
//! Under examples/whatif/budget-10.rules (budget 10, goals scaled by 90 / 80 = 1.125
//! before each indicator is rounded): budget 10 × 0.95 = 9.50; 培训人数 67.5 × 0.9 =
//! 60.75; 服务次数 22.5 × 1 = 22.50; goal 60.75 + 22.50 = 83.25 (+9.25 from 74.00).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

use crate::support::{jixiao, text};

const FORM: &str = "tests/forms/goal_reported_disagrees.toml";
const GOAL: &str = "年度目标1（80分）：完成培训与服务";

/// Runs the binary, expects `code` and nothing on stderr; returns stdout.
fn run(args: &[&str], code: i32) -> Vec<u8> {
    let out = jixiao(args);
    assert_eq!(out.status.code(), Some(code), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "stderr of {args:?}");
    out.stdout
}

fn json(args: &[&str], code: i32) -> Value {
    serde_json::from_slice(&run(args, code)).expect("JSON")
}

/// The words of the first line that starts (after a table's `|`) with `first`.
fn row_words(out: &str, first: &str) -> Vec<String> {
    out.lines()
        .map(|l| l.trim_matches(|c| c == '|' || c == ' '))
        .find(|l| l.starts_with(first))
        .unwrap_or_else(|| panic!("no row {first} in\n{out}"))
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The goal's row among the first form's rows of an audit's or a diff's JSON.
fn goal_row(v: &Value) -> &Value {
    v["forms"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["kind"] == "goal")
        .expect("the goal's row")
}

#[test]
fn the_table_s_subtotal_is_the_goal_s_own_figure() {
    let out = text(&run(&["score", FORM], 0));
    // 小计: 权重 80, 得分 74.00, 自评得分 70, 差异 +4.00
    assert_eq!(
        row_words(&out, "小计"),
        ["小计", "80", "74.00", "70", "+4.00"]
    );
    assert_eq!(
        row_words(&out, "产出指标   数量指标   培训人数")[6..],
        ["60", "54.00", "60", "-6.00"]
    );
    assert_eq!(row_words(&out, "差异"), ["差异", "+3.00"]);
}

#[test]
fn json_gives_the_goal_s_own_figure_and_its_difference() {
    let v = json(&["score", FORM, "-f", "json"], 0);
    let g = &v["goals"][0];
    assert_eq!(g["score"], "74.00");
    assert_eq!(g["reported"], "70");
    assert_eq!(g["difference"], "4.00");
    assert_eq!(g["indicators"][0]["difference"], "-6.00");
    assert_eq!(v["difference"], "3.00");
}

#[test]
fn csv_gives_the_goal_s_own_figure_and_its_difference() {
    let out = text(&run(&["score", FORM, "-f", "csv"], 0));
    let row: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with(GOAL))
        .expect("the goal's row")
        .split(',')
        .collect();
    // 权重, 得分, 自评得分, 差异 (plain numbers for a spreadsheet)
    assert_eq!(row[7..], ["80", "74.00", "70", "4.00"]);
}

#[test]
fn markdown_gives_the_goal_s_own_figure_and_its_difference() {
    let out = text(&run(&["score", FORM, "-f", "md"], 0));
    assert!(
        out.contains("| **小计** | | | | | | 80 | **74.00** | 70 | **+4.00** |\n"),
        "{out}"
    );
}

#[test]
fn xlsx_gives_the_goal_s_own_figure_and_its_difference() {
    let bytes = run(&["score", FORM, "-f", "xlsx"], 0);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let sheet = book
        .worksheet_range("某某县测试局")
        .expect("the form's sheet");
    let row = sheet
        .rows()
        .find(|r| r.first() == Some(&Data::String(GOAL.to_owned())))
        .expect("the goal's row");
    // the goal's text merged over the first 6 columns, then numbers as Excel holds them:
    // 权重 80, 得分 74, 自评得分 70, 差异 4
    assert_eq!(
        row[6..10],
        [
            Data::Float(80.0),
            Data::Float(74.0),
            Data::Float(70.0),
            Data::Float(4.0)
        ]
    );
}

#[test]
fn html_gives_the_goal_s_own_figure_and_its_difference() {
    let out = text(&run(&["score", FORM, "-f", "html"], 0));
    assert!(
        out.contains(&format!(
            "<tr class=\"goal\"><td colspan=\"6\">{GOAL}</td><td class=\"num\">80</td>\
             <td class=\"num strong\">74.00</td><td class=\"num\">70</td>\
             <td class=\"num diff up\">+4.00</td></tr>"
        )),
        "{out}"
    );
    // the chart's orange bar for the goal is labelled with the same figure
    let chart = &out[out.find("年度目标1</text>").expect("the goal's bars")..];
    let bars = &chart[..chart.find("</svg>").expect("the chart's end")];
    assert!(bars.contains("class=\"value\">70</text>"), "{bars}");
}

#[test]
fn explain_gives_the_goal_s_own_figure_and_its_difference() {
    let out = text(&run(&["explain", FORM], 0));
    assert!(
        out.contains("年度目标1 小计 = 54.00 + 20.00 = 74.00（目标分值 80；自评 70，差异 +4.00）"),
        "{out}"
    );
    let v = json(&["explain", FORM, "-f", "json"], 0);
    assert_eq!(v["goals"][0]["reported"], "70");
}

#[test]
fn audit_gives_the_goal_s_own_figure_and_its_difference() {
    // exit 3: reported scores differ
    let out = text(&run(&["audit", FORM], 3));
    assert_eq!(
        row_words(&out, "年度目标1   小计"),
        [
            "年度目标1",
            "小计",
            "80",
            "74.00",
            "70",
            "+4.00",
            "自评偏低"
        ]
    );
    let v = json(&["audit", FORM, "-f", "json"], 3);
    let goal = goal_row(&v);
    assert_eq!(goal["reported"], "70");
    assert_eq!(goal["difference"], "4.00");
}

#[test]
fn diff_shows_the_same_computed_goal_score() {
    let args = [
        "diff",
        "hubei-2021",
        "examples/whatif/budget-10.rules",
        FORM,
    ];
    let out = text(&run(&args, 0));
    assert_eq!(
        row_words(&out, "年度目标1      小计"),
        ["年度目标1", "小计", "74.00", "83.25", "+9.25"]
    );
    let v = json(&[&args[..], &["-f", "json"]].concat(), 0);
    let goal = goal_row(&v);
    assert_eq!(
        (&goal["old"], &goal["new"]),
        (&"74.00".into(), &"83.25".into())
    );
}
