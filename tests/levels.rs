//! The language for every province (#19): rounding at each level. Every expected
//! number is worked out by hand in the comment beside it.

use jixiao::{Source, compile};

use crate::support::{d, score_text};

/// Rules that round at the levels given by `rounding` (one `round` line each).
fn rules(rounding: &str) -> jixiao::Rules {
    let text = format!(
        "rules \"levels\"\n{rounding}\n\
         budget:\n    weight 20\n    score weight * B / A\n    cap weight\n    if A == 0: weight\n\
         class positive for numbers:\n    score weight * B / A\n    cap weight\n    if A == 0: weight\n\
         class q for text:\n    score weight\n\
         grade 优 >= 90, 良 >= 80, 中 >= 60, 差\n"
    );
    compile(&Source::new("levels.rules", text)).expect("the rules check")
}

/// Budget 95 of 100; one goal of 80 points: 40 points at 2 of 3, 40 points at 7 of 9.
const FORM: &str = "[budget]\nplanned = \"100万元\"\nexecuted = \"95万元\"\n\n\
    [[goals]]\nname = \"目标\"\nweight = 80\n\n\
    [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"甲\"\n\
    target = \"3个\"\nactual = \"2个\"\nweight = 40\n\n\
    [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"乙\"\n\
    target = \"9个\"\nactual = \"7个\"\nweight = 40\n";

#[test]
fn each_level_rounds_what_it_computes_from_the_rounded_level_below() {
    let r =
        rules("round 2 half_up at indicator\nround 1 half_up at goal\nround 0 half_up at total");
    let o = score_text(&r, FORM).expect("scores");
    // budget: 20 × 95 / 100 = 19 → 19.00 (rounded as an indicator is)
    assert_eq!(o.budget.score, d("19.00"));
    // 40 × 2 / 3 = 26.666… → 26.67; 40 × 7 / 9 = 31.111… → 31.11
    let scores: Vec<_> = o.goals[0].indicators.iter().map(|i| i.score).collect();
    assert_eq!(scores, [Some(d("26.67")), Some(d("31.11"))]);
    // goal: 26.67 + 31.11 = 57.78 → 57.8
    assert_eq!(o.goals[0].score, d("57.8"));
    // total: 19.00 + 57.8 = 76.8 → 77
    assert_eq!(o.total, d("77"));
    // 77: at least 60, below 80
    assert_eq!(o.grade.as_deref(), Some("中"));
}

#[test]
fn without_a_goal_line_a_goal_is_the_sum_of_its_rounded_indicators() {
    let r = rules("round 2 half_up at indicator\nround 0 down at total");
    let o = score_text(&r, FORM).expect("scores");
    // 26.67 + 31.11 = 57.78, kept; total 19.00 + 57.78 = 76.78 → 76 (down)
    assert_eq!(o.goals[0].score, d("57.78"));
    assert_eq!(o.total, d("76"));
}

#[test]
fn a_goal_line_alone_rounds_the_exact_sum_and_the_budget_line() {
    let r = rules("round 1 half_up at goal");
    let o = score_text(&r, FORM).expect("scores");
    // budget 19 → 19.0; goal: 80/3 + 280/9 = 520/9 = 57.777… → 57.8; total 76.8
    assert_eq!(o.budget.score, d("19.0"));
    assert_eq!(o.goals[0].score, d("57.8"));
    assert_eq!(o.total, d("76.8"));
}

#[test]
fn two_lines_for_one_level_are_a_duplicate() {
    let text = "rules \"t\"\nround 2 half_up at goal\nround 1 half_up at goal\n\
                budget:\n    weight 20\n    score weight\n";
    let err = compile(&Source::new("t.rules", text)).expect_err("a duplicate");
    let shown = crate::support::render(&err);
    assert!(shown.contains("jixiao::check::duplicate"), "{shown}");
    assert!(shown.contains("目标的舍入规则"), "{shown}");
}

#[test]
fn an_overlays_round_lines_replace_the_bases_as_a_whole() {
    // The base rounds each indicator; the overlay rounds only the total: indicators are
    // then unrounded (40 × 2 / 3 = 26.666…), and the total is 19 + 520/9 = 76.777… → 76.78.
    let base = "rules \"base\"\nround 2 half_up at indicator\n\
         budget:\n    weight 20\n    score weight * B / A\n    cap weight\n    if A == 0: weight\n\
         class positive for numbers:\n    score weight * B / A\n    cap weight\n    if A == 0: weight\n\
         grade 优 >= 90, 差\n";
    let overlay = "rules \"over\" extends \"base.rules\"\nround 2 half_up at total\n";
    struct Files<'a>(&'a str);
    impl jixiao::check::Resolve for Files<'_> {
        fn resolve(&self, name: &str, _from: &Source) -> Result<Source, jixiao::check::Unresolved> {
            assert_eq!(name, "base.rules");
            Ok(Source::new("base.rules", self.0))
        }
    }
    let r = jixiao::compile_with(&Source::new("over.rules", overlay), &Files(base), &[])
        .expect("the overlay checks");
    let o = score_text(&r, FORM).expect("scores");
    assert_eq!(
        o.goals[0].indicators[0].score,
        Some(d("26.666666666666666666666666667"))
    );
    assert_eq!(o.total, d("76.78"));
}
