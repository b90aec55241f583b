//! The language for every province (#19): rounding at each level, caps on a goal and on
//! the total, the form's year and department in rules. Every expected number is worked
//! out by hand in the comment beside it.

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

// --- caps on a goal and on the total ------------------------------------------------

/// The rules of tests/bad/inputs/caps.rules: each goal capped at its points, the total
/// at 100, indicators rounded to 2 places.
fn caps() -> jixiao::Rules {
    compile(&crate::support::repo_source("tests/bad/inputs/caps.rules")).expect("checks")
}

#[test]
fn a_goal_never_scores_above_its_cap_and_says_so() {
    let text = crate::support::repo_file("tests/bad/inputs/goal-over.toml");
    let o = score_text(&caps(), &text).expect("scores");
    // indicators: 50 × 3 / 3 = 50.00 and 40 × 7 / 8 = 35.00; 85.00 > 80 → 80.00
    assert_eq!(o.goals[0].score, d("80.00"));
    // total: 19.00 + 80.00 = 99.00, below the total's cap
    assert_eq!(o.total, d("99.00"));
    let capped: Vec<_> = o
        .warnings
        .iter()
        .filter(|w| w.code == jixiao::Code::EvalGoalCapped)
        .map(|w| (w.goal, w.message.as_str()))
        .collect();
    assert_eq!(
        capped,
        [(
            Some(1),
            "年度目标1的得分 85 超过封顶 80，按 80 计（caps.rules:22 `cap goal at weight`）"
        )]
    );
}

#[test]
fn the_total_and_the_full_marks_never_exceed_the_total_cap() {
    let text = crate::support::repo_file("tests/bad/inputs/total-over.toml");
    let o = score_text(&caps(), &text).expect("scores");
    // 19.00 + 45.00 + 40.00 = 104.00 > 100 → 100.00; the full marks 20 + 85 = 105 → 100
    assert_eq!(o.total, d("100.00"));
    assert_eq!(o.max_total, d("100"));
    let codes: Vec<_> = o.warnings.iter().map(|w| w.code).collect();
    assert_eq!(
        codes,
        [jixiao::Code::EvalTotalWeight, jixiao::Code::EvalTotalCapped]
    );
}

#[test]
fn a_cap_at_or_above_the_score_changes_nothing() {
    // The goal of goal-over.toml with a cap of weight + 10 = 90: 85.00 stays.
    let text = crate::support::repo_file("tests/bad/inputs/caps.rules")
        .replace("cap goal at weight", "cap goal at weight + 10");
    let r = compile(&Source::new("caps.rules", text)).expect("checks");
    let form = crate::support::repo_file("tests/bad/inputs/goal-over.toml");
    let o = score_text(&r, &form).expect("scores");
    assert_eq!(o.goals[0].score, d("85.00"));
    assert!(
        o.warnings
            .iter()
            .all(|w| w.code != jixiao::Code::EvalGoalCapped)
    );
}

#[test]
fn a_cap_reads_only_weight_and_parameters() {
    let text = "rules \"t\"\nbudget:\n    weight 20\n    score weight\ncap goal at B\n";
    let err = compile(&Source::new("t.rules", text)).expect_err("B is not a goal's");
    let shown = crate::support::render(&err);
    assert!(shown.contains("目标或总分的封顶规则中"), "{shown}");
}

#[test]
fn an_indicator_cap_belongs_in_its_class() {
    let text = "rules \"t\"\nbudget:\n    weight 20\n    score weight\ncap indicator at weight\n";
    let err = compile(&Source::new("t.rules", text)).expect_err("misplaced");
    let shown = crate::support::render(&err);
    assert!(shown.contains("jixiao::check::misplaced"), "{shown}");
    assert!(shown.contains("指标的封顶不写作单独一项"), "{shown}");
}

#[test]
fn a_class_cap_is_not_taken_for_a_goal_cap_and_both_print_back() {
    // `cap weight` closes the class; `cap goal at weight` after it is an item of its own.
    let text = "rules \"t\"\nbudget:\n    weight 20\n    score weight\n\
                class p for numbers:\n    score weight\n    cap weight\n\
                cap goal at weight\n封顶 总分 于 100\n";
    let source = Source::new("t.rules", text);
    let r = compile(&source).expect("checks");
    let canonical = r.canonical();
    assert!(
        canonical.contains("  cap Weight\nscale -\ncap goal Weight total 100"),
        "{canonical}"
    );
    // Both keyword sets print each cap back as it was meant.
    let format = jixiao::syntax::format::format;
    use jixiao::syntax::format::Keywords;
    let en = format(&source, Keywords::En).expect("formats");
    assert!(
        en.ends_with("    cap weight\n\ncap goal at weight\ncap total at 100\n"),
        "{en}"
    );
    let zh = format(&source, Keywords::Zh).expect("formats");
    assert!(
        zh.ends_with("    封顶 权重\n\n封顶 目标 于 权重\n封顶 总分 于 100\n"),
        "{zh}"
    );
    let again = compile(&Source::new("zh.rules", zh)).expect("the Chinese checks");
    assert_eq!(again.canonical().replace("zh.rules", "t.rules"), canonical);
}

// --- the form's year and department -------------------------------------------------

/// Rules that score from 2022 on at half, and cap a goal of 测试单位 ten points below its
/// weight.
const FACTS: &str = "rules \"facts\"\nround 2 half_up at indicator\n\
    budget:\n    weight 20\n    score weight * B / A\n    cap weight\n    if A == 0: weight\n\
    class late \"2022年起\" for numbers when year >= 2022:\n    score weight * B / A * 0.5\n    cap weight\n    if A == 0: weight\n\
    class positive for numbers:\n    score weight * B / A\n    cap weight\n    if A == 0: weight\n\
    class q for text:\n    score weight\n\
    cap goal at if department == \"测试单位\" then weight - 10 else weight\n";

#[test]
fn rules_read_the_forms_year_and_department() {
    let r = compile(&Source::new("facts.rules", FACTS)).expect("checks");
    // goal-over.toml: 2021, 测试单位; 50 × 3 / 3 = 50.00 and 40 × 7 / 8 = 35.00 (positive);
    // 85.00 above the cap 80 - 10 = 70 → 70.00; total 19.00 + 70.00 = 89.00
    let form = crate::support::repo_file("tests/bad/inputs/goal-over.toml");
    let o = score_text(&r, &form).expect("scores");
    assert_eq!(o.goals[0].indicators[0].class.as_deref(), Some("positive"));
    assert_eq!(o.goals[0].score, d("70.00"));
    assert_eq!(o.total, d("89.00"));
    // The same form of 2022: class late, 50 × 0.5 = 25.00 and 35 × 0.5 = 17.50; 42.50
    // is under the cap; total 19.00 + 42.50 = 61.50
    let o = score_text(&r, &form.replace("year = 2021", "year = 2022")).expect("scores");
    assert_eq!(o.goals[0].indicators[0].class.as_deref(), Some("late"));
    assert_eq!(o.goals[0].score, d("42.50"));
    assert_eq!(o.total, d("61.50"));
    // Another department: capped at its weight, 80 → 80.00; total 99.00
    let o = score_text(&r, &form.replace("测试单位", "某局")).expect("scores");
    assert_eq!(o.goals[0].score, d("80.00"));
    assert_eq!(o.total, d("99.00"));
}

#[test]
fn a_form_without_a_year_is_an_error_only_where_the_rules_read_it() {
    let r = compile(&Source::new("facts.rules", FACTS)).expect("checks");
    let form = crate::support::repo_file("tests/bad/inputs/no-year.toml");
    let err = score_text(&r, &form).expect_err("the class conditions read year");
    assert!(err.contains("jixiao::eval::missing_year"), "{err}");
    assert!(err.contains("year = 2021"), "{err}");
    // Rules that never read it score the same form.
    assert!(score_text(&caps(), &form).is_ok());
}

#[test]
fn year_and_department_have_chinese_names_and_are_not_constants() {
    let zh = FACTS
        .replace("when year >= 2022", "when 年度 >= 2022")
        .replace("if department ==", "if 单位名称 ==");
    let a = compile(&Source::new("facts.rules", FACTS)).expect("checks");
    let b = compile(&Source::new("facts.rules", zh)).expect("the Chinese names check");
    assert_eq!(a.canonical(), b.canonical());
    // A parameter is a constant: it cannot read the form.
    let text = "rules \"t\"\nparam since = year\nbudget:\n    weight 20\n    score weight\n";
    let err = compile(&Source::new("t.rules", text)).expect_err("year is not a constant");
    let shown = crate::support::render(&err);
    assert!(shown.contains("year"), "{shown}");
}
