//! 折算后权重: when a goal is rescaled, every output shows the weight applied beside the
//! form's, so a score above its weight says why; an unrescaled form looks as it always
//! did.
//!
//! The rules round each indicator to 2 places, give the budget 90 points and scale the
//! goals to 10. The form has one goal of 8 points (indicators 2 + 3 + 3), so the factor is
//! 10 / 8 = 1.25, worked by hand:
//! - 培训人次 (weight 2): applied 2 × 1.25 = 2.5 → 2.50; score 2 × 90 / 100 = 1.8,
//!   × 1.25 = 2.25.
//! - 招聘场次 (weight 3): applied 3.75; score 3 × 100 / 100 = 3 × 1.25 = 3.75.
//! - 培训时长 (weight 3): applied 3.75; score 3 × 50 / 100 = 1.5 × 1.25 = 1.875 → 1.88.
//! - the goal: weights 8, applied 8 × 1.25 = 10.00; score 2.25 + 3.75 + 1.88 = 7.88.
//! - the budget 90 × 100 / 100 = 90.00, the total 97.88.

use crate::support::{Scratch, text};

const RULES: &str = r#"rules "t" "目标折算"
round 2 half_up at indicator

budget:
    weight 90
    score weight * B / A

class positive "正向指标" for numbers:
    score weight * B / A
    cap weight

scale goals to 10
"#;

const FORM: &str = r#"[budget]
planned = "100万元"
executed = "100万元"

[[goals]]
name = "培训"
weight = 8

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训人次"
target = "100人次"
actual = "90人次"
weight = 2

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "招聘场次"
target = "10场"
actual = "10场"
weight = 3

[[goals.indicators]]
level1 = "产出指标"
level2 = "时效指标"
name = "培训时长"
target = "100小时"
actual = "50小时"
weight = 3
"#;

fn scratch(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("t.rules", RULES);
    s.write("f.toml", FORM);
    s
}

fn score(s: &Scratch, args: &[&str]) -> String {
    let ran = s
        .test()
        .args(["score", "f.toml", "-r", "t.rules"])
        .args(args)
        .run();
    ran.ok();
    ran.out()
}

#[test]
fn the_library_computes_the_weight_applied_from_the_goal_s_factor() {
    let rules = jixiao::compile(&jixiao::Source::new("t.rules", RULES)).expect("compiles");
    let o = crate::support::score_text(&rules, FORM).expect("scores");
    let g = &o.goals[0];
    let applied: Vec<Option<String>> = g
        .indicators
        .iter()
        .map(|i| g.applied_weight(i).map(|w| w.to_string()))
        .collect();
    assert_eq!(
        applied,
        [
            Some("2.50".into()),
            Some("3.75".into()),
            Some("3.75".into())
        ]
    );
    let scores: Vec<Option<String>> = g
        .indicators
        .iter()
        .map(|i| i.score.map(|w| w.to_string()))
        .collect();
    assert_eq!(
        scores,
        [
            Some("2.25".into()),
            Some("3.75".into()),
            Some("1.88".into())
        ]
    );
    assert_eq!(
        g.applied_indicator_weight().map(|w| w.to_string()),
        Some("10.00".into())
    );
    assert_eq!(o.total.to_string(), "97.88");
    // An unrescaled goal (hubei-2021 on the seed form) has no factor.
    let seed = crate::support::score(&crate::support::repo_file("examples/tongcheng-2021.toml"));
    assert!(seed.goals.iter().all(|g| g.scale.is_none()));
    assert_eq!(
        seed.goals[0].applied_weight(&seed.goals[0].indicators[0]),
        None
    );
}

#[test]
fn the_table_and_explain_show_it_beside_the_weight() {
    let s = scratch("table");
    let table = score(&s, &[]);
    let squashed: Vec<String> = table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for line in [
        "| 一级指标 二级指标 三级指标 年初目标值(A) 实际完成值(B) 类别 权重 折算后权重 得分 自评得分 差异 |",
        "| 产出指标 数量指标 培训人次 100人次 90人次 正向指标 2 2.50 2.25 |",
        "| 产出指标 时效指标 培训时长 100小时 50小时 正向指标 3 3.75 1.88 |",
        "| 小计 8 10.00 7.88 |",
    ] {
        assert!(
            squashed.iter().any(|l| l == line),
            "no {line:?} in\n{table}"
        );
    }
    let explained = s.test().args(["explain", "f.toml", "-r", "t.rules"]).run();
    explained.ok();
    let out = explained.out();
    assert!(
        out.contains("产出指标 / 数量指标；权重 2（折算后 2.50）；年初目标值 100人次"),
        "{out}"
    );
    assert!(
        out.contains("（目标分值 10；指标权重合计 8；折算后权重合计 10.00）"),
        "{out}"
    );
}

#[test]
fn json_csv_and_markdown_carry_it() {
    let s = scratch("formats");
    let json: serde_json::Value = serde_json::from_str(&score(&s, &["-f", "json"])).expect("JSON");
    let goal = &json["goals"][0];
    assert_eq!(goal["weight"], "10");
    assert_eq!(goal["indicator_weight"], "8");
    assert_eq!(goal["applied_weight"], "10.00");
    assert_eq!(goal["indicators"][0]["weight"], "2");
    assert_eq!(goal["indicators"][0]["applied_weight"], "2.50");
    assert_eq!(goal["indicators"][0]["score"], "2.25");

    let csv = score(&s, &["-f", "csv"]);
    assert!(
        csv.contains("项目,一级指标,二级指标,三级指标,年初目标值(A),实际完成值(B),类别,权重,折算后权重,得分,自评得分,差异\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "年度目标1,产出指标,数量指标,培训人次,100人次,90人次,正向指标,2,2.50,2.25,,\r\n"
        ),
        "{csv}"
    );

    let md = score(&s, &["-f", "md"]);
    assert!(
        md.contains(
            "| 产出指标 | 数量指标 | 培训人次 | 100人次 | 90人次 | 正向指标 | 2 | 2.50 | 2.25 | | |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| **小计** | | | | | | 8 | 10.00 | **7.88** | | |"),
        "{md}"
    );

    let html = score(&s, &["-f", "html"]);
    assert!(html.contains("<th>权重</th><th>折算后权重</th>"), "{html}");
    assert!(
        html.contains(
            "<td class=\"num\">2</td><td class=\"num\">2.50</td><td class=\"num\">2.25</td>"
        ),
        "{html}"
    );
}

#[test]
fn the_workbook_has_the_column_too() {
    use calamine::{Data, Reader, Xlsx};
    let s = scratch("xlsx");
    s.test()
        .args(["score", "f.toml", "-r", "t.rules", "-o", "f.xlsx"])
        .run()
        .status(0);
    let bytes = std::fs::read(s.path("f.xlsx")).expect("written");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&name).expect("the sheet");
    let cell = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(x)) => format!("#{x}"),
        None | Some(Data::Empty) => String::new(),
        Some(other) => format!("{other:?}"),
    };
    let (height, _) = sheet.get_size();
    let row = |name: &str| {
        (0..u32::try_from(height).unwrap_or(0))
            .find(|r| cell(*r, 2) == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let h = row("三级指标");
    assert_eq!(
        (6..11).map(|c| cell(h, c)).collect::<Vec<_>>(),
        ["权重", "折算后权重", "得分", "自评得分", "差异"]
    );
    let r = row("培训人次");
    assert_eq!(
        (6..9).map(|c| cell(r, c)).collect::<Vec<_>>(),
        ["#2", "#2.5", "#2.25"]
    );
}

/// A form whose goals are not rescaled looks as it always did: no column, no field.
#[test]
fn an_unrescaled_form_shows_nothing_new() {
    let s = Scratch::new("plain");
    s.write(
        "f.toml",
        crate::support::repo_file("examples/tongcheng-2021.toml"),
    );
    for format in ["table", "json", "csv", "md", "html"] {
        let ran = s.test().args(["score", "f.toml", "-f", format]).run();
        ran.ok();
        let out = text(ran.out().as_bytes());
        assert!(!out.contains("折算后权重"), "{format}: {out}");
        assert!(!out.contains("applied_weight"), "{format}: {out}");
    }
}

/// `rescale goal` (hubei-2021's 注4): a goal of 10 points whose satisfaction indicator (4)
/// is not evaluated scales the others by 10 / 6. 服务人次 (weight 6, 90 of 100):
/// applied 6 × 10 / 6 = 10.00; score 6 × 90 / 100 = 5.4, × 10 / 6 = 9.00.
#[test]
fn a_goal_rescaled_for_an_indicator_left_out_shows_its_weight_applied() {
    let form = "[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
        [[goals]]\nname = \"服务\"\nweight = 10\n\n\
        [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"服务人次\"\n\
        target = \"100人次\"\nactual = \"90人次\"\nweight = 6\n\n\
        [[goals.indicators]]\nlevel1 = \"满意度指标\"\nlevel2 = \"服务对象满意度指标\"\n\
        name = \"群众满意度\"\ntarget = \"≥90%\"\nweight = 4\n";
    let o = crate::support::score(form);
    let g = &o.goals[0];
    assert_eq!(
        g.applied_weight(&g.indicators[0]).map(|w| w.to_string()),
        Some("10.00".into())
    );
    assert_eq!(
        g.indicators[0].score.map(|s| s.to_string()),
        Some("9.00".into())
    );
    // Left out: no score, and no weight applied.
    assert_eq!(g.indicators[1].score, None);
    assert_eq!(g.applied_weight(&g.indicators[1]), None);
}
