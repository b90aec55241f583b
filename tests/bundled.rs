//! The bundled rule sets besides hubei-2021, each scored by hand on the example forms
//! and on small forms that reach the clauses the examples do not.

use crate::support::{d, form_with, indicator, render, score_text};

fn rules(name: &str) -> jixiao::Rules {
    jixiao::compile(&jixiao::bundled(name).expect("bundled"))
        .unwrap_or_else(|e| panic!("{}", render(&e)))
}

fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_bundled_set_compiles_and_has_a_title() {
    for name in jixiao::bundled_names() {
        let r = rules(name);
        assert_eq!(r.id(), name);
        assert!(r.title().is_some_and(|t| !t.is_empty()), "{name}");
    }
    assert_eq!(
        jixiao::bundled_names(),
        [
            "hubei-2021",
            "national-project-2020",
            "stepwise-example",
            "deduction-example",
            "central-project"
        ]
    );
    // each names its source, and the old name is the national set unchanged
    for name in jixiao::bundled_names() {
        assert!(rules(name).basis().is_some(), "{name}");
    }
    assert_eq!(
        rules("central-project").basis(),
        rules("national-project-2020").basis()
    );
}

#[test]
fn national_project_on_its_example() {
    let o = score_text(
        &rules("national-project-2020"),
        &example("project/project-2022.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // budget 10 × 476 / 500 = 9.52
    assert_eq!(o.budget.score, d("9.52"));
    // 20 × 11 / 12 = 18.33; 15; ≤10 against 11: 10 × 10 / 11 = 9.09; 5; 15 × 3.4 / 3.6 =
    // 14.17; 15; 93% ≥ 90%: 10 → 86.59; total 96.11 (优) against the reported 93
    assert_eq!(o.goals[0].score, d("86.59"));
    assert_eq!(o.total, d("96.11"));
    assert_eq!(o.grade.as_deref(), Some("优"));
    // the split is 50 / 30 / 10 of 90: no structure warning
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
}

#[test]
fn national_project_warns_of_a_form_off_its_split() {
    // 产出 5 points moved to 效益: 45 / 35 / 10
    let text = example("project/project-2022.toml")
        .replacen("weight = 5\n", "weight = 0\n", 1)
        .replacen(
            "name = \"受益人口\"\ntarget = \"≥3.6万人\"\nactual = \"3.4万人\"\nweight = 15",
            "name = \"受益人口\"\ntarget = \"≥3.6万人\"\nactual = \"3.4万人\"\nweight = 20",
            1,
        );
    let o = score_text(&rules("national-project-2020"), &text).unwrap_or_else(|e| panic!("{e}"));
    let structure: Vec<&str> = o
        .warnings
        .iter()
        .filter(|w| w.code.as_str() == "jixiao::eval::structure")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(structure.len(), 2, "{structure:?}");
    assert!(
        structure[0].starts_with(
            "一级指标「产出指标」的分值合计 45，规则要求 50（rules/national-project-2020.rules:"
        ),
        "{}",
        structure[0]
    );
    assert!(
        structure[1].starts_with("一级指标「效益指标」的分值合计 35，规则要求 30"),
        "{}",
        structure[1]
    );
}

#[test]
fn deduction_example_on_its_example() {
    let o = score_text(
        &rules("deduction-example"),
        &example("project/deduction-2022.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // budget: 476 / 500 is 4.8 points short → 4 whole points × 0.5: 10 − 2 = 8
    assert_eq!(o.budget.score, d("8.00"));
    // 11/12: 8 points short → 20 − 8 × 20 × 5% = 12; 15; 11 of ≤10: 10 over → 10 − 5 = 5; 5;
    // 3.4/3.6: 5 short → 15 − 3.75 = 11.25; 15; 10 → 73.25
    assert_eq!(o.goals[0].score, d("73.25"));
    // 8 + 73.25 + 2 (创新) − 3 × 2 (审计) = 77.25: 中
    assert_eq!(o.total, d("77.25"));
    assert_eq!(o.grade.as_deref(), Some("中"));
    // the total is capped at 100, so 满分 has no room for the bonus
    assert_eq!((o.max_total, o.max_bonus), (d("100"), d("0")));
}

#[test]
fn central_project_on_the_seed() {
    let o = score_text(&rules("central-project"), &example("tongcheng-2021.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    // the budget line is worth 10: 10 × 12174.8 / 12174.8 = 10; goals as under hubei-2021
    assert_eq!(o.budget.score, d("10.00"));
    assert_eq!(o.total, d("86.53"));
    assert_eq!(o.grade.as_deref(), Some("良"));
}

#[test]
fn central_project_budget_on_the_education_form() {
    let o = score_text(
        &rules("central-project"),
        &example("county-education-2022.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // 10 × 2303.5 / 2450.6 = 9.39974… → 9.40; goals 27.21 + 25.30 + 19.95 → 81.86
    assert_eq!(o.budget.score, d("9.40"));
    assert_eq!(o.total, d("81.86"));
}

#[test]
fn central_project_exact_targets() {
    let r = rules("central-project");
    let one = |fields: &str| {
        let o = score_text(
            &r,
            &form_with(80, &indicator(&format!("{fields}\nweight = 4"))),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        (
            o.goals[0].indicators[0].score,
            o.goals[0].indicators[0].class.clone(),
        )
    };
    // =100% met exactly: full
    assert_eq!(
        one("target = \"=100%\"\nactual = \"100%\""),
        (Some(d("4.00")), Some("exact".into()))
    );
    // =12次, 15次: 4 × 12 / 15 = 3.2 (over the mark loses as under it would)
    assert_eq!(
        one("target = \"=12次\"\nactual = \"15次\"").0,
        Some(d("3.20"))
    );
    // =12次, 9次: 4 × 9 / 12 = 3
    assert_eq!(
        one("target = \"=12次\"\nactual = \"9次\"").0,
        Some(d("3.00"))
    );
}

#[test]
fn central_project_drops_what_does_not_apply_and_rescales() {
    // weights 6 + 4 (not applicable): 6 × 90/100 = 5.4, rescaled by 10/6 = 9.00
    let text = form_with(
        10,
        &format!(
            "{}{}",
            indicator("target = \"100个\"\nactual = \"90个\"\nweight = 6"),
            indicator("target = \"10个\"\nweight = 4")
        ),
    );
    let o = score_text(&rules("central-project"), &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.goals[0].score, d("9.00"));
}

#[test]
fn stepwise_example_on_the_seed() {
    let o = score_text(&rules("stepwise-example"), &example("tongcheng-2021.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let goals: Vec<_> = o.goals.iter().map(|g| g.score).collect();
    // goal 1: 3916/4000 = 97.9% → the 90% step: 2 × 90% = 1.80; + 8 = 9.80
    // goal 2: 211484/265000 = 79.8% → the 60% step, 50%: 1.00; + 2 + 6 = 9.00
    // goal 3: 1466.4408万 > 1000万 × 130%: 0; the rest 12 → 12.00
    // goal 4: 687/750 = 91.6% → 1.80; 232/300 = 77.3% → 1.00; 90 and 72 > 40 × 130%: 0, 0;
    //         18/40 = 45% → 0; 结案率 2; + 3 → 7.80
    // goal 5: 337/400 = 84.25% → the 80% step, 70%: 1.40; 9137/7100 = 128.7% ≤ 130%: 2; + 6 → 9.40
    assert_eq!(
        goals,
        ["9.80", "9.00", "12.00", "7.80", "9.40", "10.00", "10.00"]
            .map(d)
            .to_vec()
    );
    // budget 100% → 10; total 78.00: 中
    assert_eq!(o.budget.score, d("10.00"));
    assert_eq!(o.total, d("78.00"));
    assert_eq!(o.grade.as_deref(), Some("中"));
}

#[test]
fn stepwise_example_budget_steps() {
    let r = rules("stepwise-example");
    let budget = |executed: &str| {
        let text = format!(
            "[budget]\nplanned = \"100万元\"\nexecuted = \"{executed}\"\n\n[[goals]]\nname = \"g\"\nweight = 90\n\n{}",
            indicator("target = \"1个\"\nactual = \"1个\"\nweight = 90")
        );
        score_text(&r, &text)
            .unwrap_or_else(|e| panic!("{e}"))
            .budget
            .score
    };
    // 90% is the top step's edge (included): 10; 89.99% falls to 80%: 8; 80% → 8;
    // 79% → 60%: 6; 65% → 40%: 4; 59.9% → 0
    assert_eq!(budget("90万元"), d("10.00"));
    assert_eq!(budget("89.99万元"), d("8.00"));
    assert_eq!(budget("80万元"), d("8.00"));
    assert_eq!(budget("79万元"), d("6.00"));
    assert_eq!(budget("65万元"), d("4.00"));
    assert_eq!(budget("59.9万元"), d("0.00"));
}

#[test]
fn stepwise_example_deducts_a_point_per_whole_percentage_point_until_zero() {
    let r = rules("stepwise-example");
    let one = |actual: &str| {
        let o = score_text(
            &r,
            &form_with(
                80,
                &indicator(&format!(
                    "target = \"≤5%\"\nactual = \"{actual}\"\nweight = 4"
                )),
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        o.goals[0].indicators[0].score
    };
    assert_eq!(one("4%"), Some(d("4.00"))); // within the target
    assert_eq!(one("8.5%"), Some(d("1.00"))); // 3.5 points over: 3 whole points, 4 - 3
    assert_eq!(one("12%"), Some(d("0.00"))); // 7 points over: 4 - 7, but not below 0
}

#[test]
fn stepwise_example_satisfaction_is_mandatory() {
    let o = score_text(
        &rules("stepwise-example"),
        &example("county-education-2022.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // goal 3: 960/900 ≥ 100% → 6; 91.3/92 = 99.2% → 90%: 4.50; ≤15天 12天 → 3; satisfaction 0
    assert_eq!(o.goals[2].score, d("13.50"));
    assert!(
        o.warnings
            .iter()
            .any(|w| w.code == "jixiao::eval::not_evaluated")
    );
    // 10 + 26.15 + 23.08 + 13.50 = 72.73
    assert_eq!(o.total, d("72.73"));
}
