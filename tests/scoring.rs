//! hubei-2021 semantics, rule by rule (issue §3). Every expected number is worked out by
//! hand in the comment beside it.

use crate::support::{d, failure, form_with, indicator, only_score, score};

// --- 注1 budget ---------------------------------------------------------------------

fn budget(planned: &str, executed: &str) -> String {
    format!(
        "[budget]\nplanned = \"{planned}\"\nexecuted = \"{executed}\"\n\n[[goals]]\nname = \"目标\"\nweight = 80\n\n{}",
        indicator("target = \"1人\"\nactual = \"1人\"\nweight = 80")
    )
}

#[test]
fn budget_scores_twenty_times_execution_rate() {
    // 20 × 2303.5 / 2450.6 = 18.7994776… → 18.80
    assert_eq!(
        score(&budget("2,450.6万元", "2,303.5万元")).budget.score,
        d("18.80")
    );
    // 20 × 95 / 100 = 19 → 19.00
    assert_eq!(score(&budget("100万元", "95万元")).budget.score, d("19.00"));
}

#[test]
fn budget_never_exceeds_its_weight() {
    // 20 × 120 / 100 = 24, capped at 20
    let o = score(&budget("100万元", "120万元"));
    assert_eq!(o.budget.score, d("20.00"));
    assert_eq!(o.budget.rate, Some(d("1.2")));
}

#[test]
fn budget_with_zero_planned_is_an_error() {
    let err = failure(&budget("0万元", "100万元"));
    assert!(err.contains("jixiao::eval::rule_error"), "{err}");
    assert!(err.contains("预算数（A）为 0"), "{err}");
}

// --- 注2 quantitative -----------------------------------------------------------------

fn one(fields: &str) -> String {
    form_with(80, &indicator(&format!("{fields}\nweight = 2")))
}

#[test]
fn positive_scores_weight_times_b_over_a() {
    // 2 × 3916 / 4000 = 1.958 → 1.96
    assert_eq!(
        only_score(&one("target = \"4000人次\"\nactual = \"3916人次\"")),
        d("1.96")
    );
    // ≥ is positive too: 2 × 91.3% / 92% = 1.98478… → 1.98
    assert_eq!(
        only_score(&one("target = \"≥92%\"\nactual = \"91.3%\"")),
        d("1.98")
    );
}

#[test]
fn positive_is_capped_at_the_weight() {
    // 2 × 49.1 / 48.8 > 2 → 2
    assert_eq!(
        only_score(&one("target = \"48.8万张\"\nactual = \"49.1万张\"")),
        d("2.00")
    );
}

#[test]
fn multipliers_scale_before_comparing() {
    // 1.2万人次 = 12000; 2 × 9600 / 12000 = 1.6
    assert_eq!(
        only_score(&one("target = \"1.2万人次\"\nactual = \"9600人次\"")),
        d("1.60")
    );
}

#[test]
fn positive_with_zero_target_scores_full_marks() {
    assert_eq!(
        only_score(&one("target = \"0件\"\nactual = \"3件\"")),
        d("2.00")
    );
}

#[test]
fn negative_by_le_target_scores_weight_times_a_over_b() {
    // ≤3天, 4天: 2 × 3 / 4 = 1.5
    assert_eq!(
        only_score(&one("target = \"≤3天\"\nactual = \"4天\"")),
        d("1.50")
    );
    // ASCII <= as well: ≤120万元, 150万元: 2 × 120 / 150 = 1.6
    assert_eq!(
        only_score(&one("target = \"<=120万元\"\nactual = \"150万元\"")),
        d("1.60")
    );
}

#[test]
fn chinese_comparison_words_choose_the_class() {
    // 少于5起 is < 5, a negative target: 8起 scores 2 × 5 / 8 = 1.25.
    assert_eq!(
        only_score(&one("target = \"少于5起\"\nactual = \"8起\"")),
        d("1.25")
    );
    // 至少95% is ≥ 95%, positive: 90% scores 2 × 90 / 95 = 1.8947… → 1.89.
    assert_eq!(
        only_score(&one("target = \"至少95%\"\nactual = \"90%\"")),
        d("1.89")
    );
    // 3天以下 is ≤ 3 days (以下 includes 3), negative: 4天 scores 2 × 3 / 4 = 1.5.
    assert_eq!(
        only_score(&one("target = \"3天以下\"\nactual = \"4天\"")),
        d("1.50")
    );
    // Scored by the class for negative targets.
    let o = score(&one("target = \"少于5起\"\nactual = \"8起\""));
    assert_eq!(o.goals[0].indicators[0].class.as_deref(), Some("negative"));
}

#[test]
fn negative_is_capped_at_the_weight() {
    // ≤3天, 2.5天: 2 × 3 / 2.5 = 2.4 → 2
    assert_eq!(
        only_score(&one("target = \"≤3天\"\nactual = \"2.5天\"")),
        d("2.00")
    );
}

#[test]
fn negative_by_stated_direction() {
    // 10件 → 12件, direction negative: 2 × 10 / 12 = 1.6666… → 1.67
    assert_eq!(
        only_score(&one(
            "target = \"10件\"\nactual = \"12件\"\ndirection = \"negative\""
        )),
        d("1.67")
    );
}

#[test]
fn negative_with_zero_actual_scores_full_marks() {
    assert_eq!(
        only_score(&one("target = \"≤3件\"\nactual = \"0件\"")),
        d("2.00")
    );
}

#[test]
fn negative_values_are_errors() {
    let err = failure(&one("target = \"100人\"\nactual = \"-5人\""));
    assert!(err.contains("jixiao::form::negative_value"), "{err}");
}

#[test]
fn rounding_is_half_away_from_zero() {
    // 2 × 337 / 400 = 1.685 exactly: half-up gives 1.69 (banker's would give 1.68)
    assert_eq!(
        only_score(&one("target = \"400份\"\nactual = \"337份\"")),
        d("1.69")
    );
}

// --- units: a bare number is never silently given (or denied) a unit --------------------

#[test]
fn a_bare_number_beside_a_unit_is_an_error_not_a_score() {
    // 100 beside 90万元 scored 80 of 80 (B/A = 900,000 / 100, capped).
    let err = failure(&form_with(
        80,
        &indicator("target = \"100\"\nactual = \"90万元\"\nweight = 80"),
    ));
    assert!(err.contains("jixiao::form::unit_mismatch"), "{err}");
    assert!(
        err.contains("「100」不带单位，「90万元」带单位「万元」"),
        "{err}"
    );
    // 12174.8万元 planned, 11000 executed scored the budget 0.00 (B/A = 0.00009).
    let err = failure(&budget_with("planned = \"12174.8万元\"\nexecuted = 11000"));
    assert!(err.contains("jixiao::form::unit_mismatch"), "{err}");
    // Entry funds: 100万元 beside 50.
    let err = failure(&form_with(
        2,
        &indicator(
            "entries = [{ fund = \"100万元\", target = \"100%\", actual = \"90%\" }, \
             { fund = 50, target = \"100%\", actual = \"60%\" }]\nweight = 2",
        ),
    ));
    assert!(err.contains("jixiao::form::unit_mismatch"), "{err}");
}

fn budget_with(lines: &str) -> String {
    format!(
        "[budget]\n{lines}\n\n[[goals]]\nname = \"目标\"\nweight = 80\n\n{}",
        indicator("target = \"1人\"\nactual = \"1人\"\nweight = 80")
    )
}

#[test]
fn a_declared_unit_is_how_a_form_gives_bare_numbers_a_unit() {
    // unit = "万元": 11000 is 11000万元. 20 × 11000 / 12174.8 = 18.0701… → 18.07.
    let o = score(&budget_with(
        "unit = \"万元\"\nplanned = \"12174.8万元\"\nexecuted = 11000",
    ));
    assert_eq!(o.budget.score, d("18.07"));
    // fund_unit = "万元": funds 100万 and 50万. B = (100 × 90% + 50 × 60%) / 150 = 80%,
    // 2 × 80 / 100 = 1.6. (50 read as 50 元 gave B = 89.998…%, 1.80.)
    let text = form_with(
        2,
        &indicator(
            "fund_unit = \"万元\"\nentries = [{ fund = \"100万元\", target = \"100%\", actual = \"90%\" }, \
             { fund = 50, target = \"100%\", actual = \"60%\" }]\nweight = 2",
        ),
    );
    assert_eq!(only_score(&text), d("1.60"));
    // unit = "%": a plain 90 beside ≥95% is 90%. 2 × 90 / 95 = 1.8947… → 1.89.
    assert_eq!(
        only_score(&one("unit = \"%\"\ntarget = \"≥95%\"\nactual = 90")),
        d("1.89")
    );
    // Without it, a plain 90 beside 95% is an error, never 9000%.
    let err = failure(&one("target = \"≥95%\"\nactual = 90"));
    assert!(err.contains("jixiao::form::kind_mismatch"), "{err}");
    assert!(err.contains("unit = \"%\""), "{err}");
}

// --- entries: aggregate first, then score ---------------------------------------------

#[test]
fn absolute_entries_are_summed_before_scoring() {
    // A = 1200 + 400 = 1600, B = 1150 + 420 = 1570; 8 × 1570 / 1600 = 7.85
    let text = form_with(
        8,
        &indicator(
            "entries = [\n  { fund = \"300万元\", target = \"1200人\", actual = \"1150人\" },\n  \
             { fund = \"100万元\", target = \"400人\", actual = \"420人\" },\n]\nweight = 8",
        ),
    );
    assert_eq!(only_score(&text), d("7.85"));
}

#[test]
fn percentage_entries_are_fund_weighted_means() {
    // A = (300 × 95% + 100 × 95%) / 400 = 95%; B = (300 × 90% + 100 × 98%) / 400 = 92%
    // 6 × 92 / 95 = 5.8105… → 5.81. (An unweighted mean of B, 94%, would give 5.94.)
    let text = form_with(
        6,
        &indicator(
            "entries = [\n  { fund = \"300万元\", target = \"95%\", actual = \"90%\" },\n  \
             { fund = \"100万元\", target = \"95%\", actual = \"98%\" },\n]\nweight = 6",
        ),
    );
    assert_eq!(only_score(&text), d("5.81"));
}

#[test]
fn qualitative_entries_are_fund_weighted_means_of_rates() {
    // (300 × 70% + 100 × 93%) / 400 = 75.75%; 6 × 0.7575 = 4.545 → 4.55
    let text = form_with(
        6,
        "[[goals.indicators]]\nlevel1 = \"效益指标\"\nlevel2 = \"社会效益指标\"\nname = \"保障水平\"\n\
         entries = [\n  { fund = \"300万元\", target = \"明显提高\", actual = \"有所提高\", tier = \"部分达成\", rate = \"70%\" },\n  \
         { fund = \"100万元\", target = \"明显提高\", actual = \"明显提高\", tier = \"达成\", rate = \"93%\" },\n]\nweight = 6\n",
    );
    assert_eq!(only_score(&text), d("4.55"));
}

// --- 注3 qualitative ------------------------------------------------------------------

fn quality(fields: &str) -> String {
    form_with(
        80,
        &format!(
            "[[goals.indicators]]\nlevel1 = \"效益指标\"\nlevel2 = \"社会效益指标\"\nname = \"群众满意程度\"\n{fields}\nweight = 5\n"
        ),
    )
}

#[test]
fn qualitative_with_rate_in_its_tier_scores_weight_times_rate() {
    // 5 × 65% = 3.25
    assert_eq!(
        only_score(&quality(
            "target = \"明显改善\"\nactual = \"有所改善\"\ntier = \"部分达成\"\nrate = \"65%\""
        )),
        d("3.25")
    );
    // the tier's lower end is included: 5 × 50% = 2.5
    assert_eq!(
        only_score(&quality(
            "target = \"明显改善\"\nactual = \"有所改善\"\ntier = \"部分达成\"\nrate = \"50%\""
        )),
        d("2.50")
    );
}

#[test]
fn qualitative_actual_equal_to_target_scores_full() {
    assert_eq!(
        only_score(&quality("target = \"长期\"\nactual = \"长期\"")),
        d("5.00")
    );
}

#[test]
fn qualitative_tier_reached_without_rate_scores_full() {
    assert_eq!(
        only_score(&quality(
            "target = \"建立长效机制\"\nactual = \"已建立并常态化运行\"\ntier = \"达成\""
        )),
        d("5.00")
    );
}

#[test]
fn qualitative_rate_outside_its_tier_is_an_error() {
    // 部分达成 is [50%, 80%): 80% belongs to 达成
    let err = failure(&quality(
        "target = \"明显改善\"\nactual = \"有所改善\"\ntier = \"部分达成\"\nrate = \"80%\"",
    ));
    assert!(err.contains("jixiao::eval::rate_outside_tier"), "{err}");
}

#[test]
fn qualitative_without_assessment_is_an_error_not_a_guess() {
    let err = failure(&quality("target = \"明显改善\"\nactual = \"有所改善\""));
    assert!(err.contains("jixiao::eval::needs_assessment"), "{err}");
    // a tier without default needs a rate too
    let err = failure(&quality(
        "target = \"明显改善\"\nactual = \"有所改善\"\ntier = \"部分达成\"",
    ));
    assert!(err.contains("jixiao::eval::needs_assessment"), "{err}");
}

// --- 注4 satisfaction is optional ---------------------------------------------------------

#[test]
fn missing_satisfaction_is_left_out_and_the_goal_rescaled() {
    // weights 6 + 4 + 10(satisfaction) = 20, satisfaction unevaluated: factor 20 / 10 = 2.
    // 6 × 91.3 / 92 = 5.954347…, × 2 = 11.908695… → 11.91;  4 (met) × 2 = 8 → 8.00
    let text = form_with(
        20,
        &format!(
            "{}{}[[goals.indicators]]\nlevel1 = \"满意度指标\"\nlevel2 = \"满意度指标\"\nname = \"满意度\"\ntarget = \"≥90%\"\nweight = 10\n",
            indicator("target = \"≥92%\"\nactual = \"91.3%\"\nweight = 6"),
            indicator("target = \"10个\"\nactual = \"12个\"\nweight = 4"),
        ),
    );
    let o = score(&text);
    let g = &o.goals[0];
    assert_eq!(g.indicators[0].score, Some(d("11.91")));
    assert_eq!(g.indicators[1].score, Some(d("8.00")));
    assert_eq!(g.indicators[2].score, None);
    assert_eq!(g.indicators[2].status, jixiao::eval::Status::Omitted);
    assert_eq!(g.score, d("19.91"));
    assert!(o.warnings.iter().any(|w| w.code == "jixiao::eval::omitted"));
}

#[test]
fn a_missing_required_value_scores_zero_with_a_warning() {
    let o = score(&form_with(
        4,
        &format!(
            "{}{}",
            indicator("target = \"10个\"\nactual = \"10个\"\nweight = 2"),
            indicator("target = \"10个\"\nweight = 2")
        ),
    ));
    assert_eq!(o.goals[0].indicators[1].score, Some(d("0.00")));
    assert_eq!(o.goals[0].score, d("2.00"));
    assert!(
        o.warnings
            .iter()
            .any(|w| w.code == "jixiao::eval::not_evaluated")
    );
}

// --- sums, warnings, grades --------------------------------------------------------------

#[test]
fn weight_sum_mismatch_is_scored_as_is_with_a_warning() {
    // goal of 15 whose indicators hold 14: scored 14, warned
    let o = score(&form_with(
        15,
        &indicator("target = \"1件\"\nactual = \"1件\"\nweight = 14"),
    ));
    assert_eq!(o.goals[0].score, d("14.00"));
    let w: Vec<&str> = o.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(w.contains(&"jixiao::eval::weight_sum"), "{w:?}");
}

#[test]
fn grades_follow_the_national_bands() {
    // budget 20 + goal: (weight w, fully met) → total 20 + w
    let total = |w: &str| {
        let o = score(&form_with(
            80,
            &indicator(&format!(
                "target = \"100件\"\nactual = \"{w}件\"\nweight = 80"
            )),
        ));
        (o.total, o.grade.unwrap_or_default().into_owned())
    };
    // 80 × 87.5 / 100 = 70 → total 90: 优 (inclusive)
    assert_eq!(total("87.5"), (d("90.00"), "优".to_owned()));
    // 80 × 87.49 / 100 = 69.992 → 69.99, total 89.99: 良
    assert_eq!(total("87.49"), (d("89.99"), "良".to_owned()));
    // 80 × 75 / 100 = 60 → total 80: 良
    assert_eq!(total("75"), (d("80.00"), "良".to_owned()));
    // 80 × 50 / 100 = 40 → total 60: 中
    assert_eq!(total("50"), (d("60.00"), "中".to_owned()));
    // 80 × 49.99 / 100 = 39.992 → 39.99 → 59.99: 差
    assert_eq!(total("49.99"), (d("59.99"), "差".to_owned()));
}

#[test]
fn reordering_goals_changes_no_score() {
    let a = indicator("target = \"4000人次\"\nactual = \"3916人次\"\nweight = 2");
    let b = indicator("target = \"≤3天\"\nactual = \"4天\"\nweight = 2");
    let one = score(&form_with(4, &format!("{a}{b}")));
    let two = score(&form_with(4, &format!("{b}{a}")));
    // 1.96 + 1.50 = 3.46 either way
    assert_eq!(one.goals[0].score, d("3.46"));
    assert_eq!(two.goals[0].score, d("3.46"));
}

#[test]
fn an_indicators_error_names_its_goal_and_indicator() {
    // In a batch of many forms the name is what people look for: the error about the
    // second goal's qualitative indicator says 年度目标2 and the indicator's name.
    let text = format!(
        "{}\n[[goals]]\nname = \"第二个目标\"\nweight = 10\n\n{}",
        form_with(
            70,
            &indicator("target = \"100人\"\nactual = \"100人\"\nweight = 70")
        ),
        indicator(
            "name = \"服务质量\"\ntarget = \"明显提高\"\nactual = \"有所提高\"\ntier = \"部分达成\"\nrate = \"85%\"\nweight = 10"
        )
        .replacen("name = \"指标\"\n", "", 1)
    );
    let err = failure(&text);
    assert!(
        err.contains("年度目标2「服务质量」：得分率 85% 不在档位「部分达成」的区间 [50%, 80%) 内"),
        "{err}"
    );
    // The budget line says so too.
    let err = failure(&budget("0万元", "10万元"));
    assert!(
        err.contains("预算执行情况：预算数（A）为 0，无法计算执行率"),
        "{err}"
    );
}

/// 满分 is written one way, whatever places the goal weights were written with.
#[test]
fn max_total_is_written_one_way() {
    let form = crate::support::form_with(
        80,
        &crate::support::indicator("target = \"10人\"\nactual = \"10人\"\nweight = 80"),
    )
    .replacen("weight = 80\n\n", "weight = 80.000\n\n", 1);
    assert!(form.contains("weight = 80.000"), "{form}");
    let o = crate::support::score(&form);
    // budget 20 + the goal's 80.000
    assert_eq!(o.max_total.to_string(), "100");
}
