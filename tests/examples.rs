//! The bundled examples, scored under hubei-2021, against figures worked out by hand
//! (the arithmetic is in each example's comments and county-education-2022.expected.md).

use crate::support::{d, score};

fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn tongcheng_2021_goal_scores_total_and_grade() {
    let o = score(&example("tongcheng-2021.toml"));
    let goals: Vec<_> = o.goals.iter().map(|g| g.score).collect();
    // Goal 1: 2×3916/4000 = 1.958 → 1.96, + 2 + 1 + 1 + 1 + 1 + 2 = 9.96
    // Goal 2: 2 + 2×211484/265000 = 1.5961… → 1.60, + 1 + 1 + 1 + 1 + 2 = 9.60
    // Goal 3: all met, weights sum to 14 = 14.00
    // Goal 4: 1.832 → 1.83, 1.54666… → 1.55, 2, 2, 2×18/40 = 0.90, 2, 1, 1, 1 = 13.28
    // Goal 5: 2×337/400 = 1.685 → 1.69, + 2 + 1 + 1 + 2 + 2 = 9.69
    // Goals 6 and 7: all met = 10.00 each
    assert_eq!(
        goals,
        ["9.96", "9.60", "14.00", "13.28", "9.69", "10.00", "10.00"]
            .map(d)
            .to_vec()
    );
    assert_eq!(o.budget.score, d("20.00"));
    // 20 + 9.96 + 9.60 + 14 + 13.28 + 9.69 + 10 + 10 = 96.53
    assert_eq!(o.total, d("96.53"));
    assert_eq!(o.grade.as_deref(), Some("优"));
    assert_eq!(o.reported_total, Some(d("94")));
    assert_eq!(o.difference(), Some(d("2.53")));
    let codes: Vec<(&str, Option<usize>)> = o
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.goal))
        .collect();
    assert_eq!(codes, [("jixiao::eval::weight_sum", Some(3))]);
}

#[test]
fn tongcheng_2021_flags_the_misreported_indicators() {
    let o = score(&example("tongcheng-2021.toml"));
    let find = |name: &str| {
        o.goals
            .iter()
            .flat_map(|g| &g.indicators)
            .find(|i| &*i.name == name)
            .unwrap_or_else(|| panic!("no indicator {name}"))
    };
    let arbitration = find("2021年劳动仲裁裁决结案案件数");
    assert_eq!(
        (arbitration.score, arbitration.reported),
        (Some(d("0.90")), Some(d("2")))
    );
    let training = find("职业技能培训人次");
    assert_eq!(
        (training.score, training.reported),
        (Some(d("1.96")), Some(d("1")))
    );
}

#[test]
fn county_education_2022_matches_the_hand_computation() {
    let o = score(&example("county-education-2022.toml"));
    let scores: Vec<Vec<Option<rust_decimal::Decimal>>> = o
        .goals
        .iter()
        .map(|g| g.indicators.iter().map(|i| i.score).collect())
        .collect();
    let s = |v: &str| Some(d(v));
    assert_eq!(
        scores[0],
        [s("7.85"), s("5.81"), s("3.00"), s("4.55"), s("6.00")]
    );
    assert_eq!(
        scores[1],
        [
            s("6.97"),
            s("4.80"),
            s("3.33"),
            s("3.25"),
            s("4.00"),
            s("2.95")
        ]
    );
    // goal 3: satisfaction (6) unevaluated, the rest rescaled by 20/14
    assert_eq!(scores[2], [s("8.57"), s("7.09"), s("4.29"), None]);
    let goals: Vec<_> = o.goals.iter().map(|g| g.score).collect();
    assert_eq!(goals, ["27.21", "25.30", "19.95"].map(d).to_vec());
    // 20 × 2303.5 / 2450.6 = 18.7994… → 18.80
    assert_eq!(o.budget.score, d("18.80"));
    // 18.80 + 27.21 + 25.30 + 19.95 = 91.26
    assert_eq!(o.total, d("91.26"));
    assert_eq!(o.grade.as_deref(), Some("优"));
    assert_eq!(o.difference(), Some(d("-3.50")));
}

/// The README's commands run on a clone: every file they name is in the repository.
#[test]
fn the_readme_names_no_file_outside_the_repository() {
    let readme = include_str!("../README.md");
    assert!(
        !readme.contains("../shared"),
        "README points outside the repository"
    );
    // The seed form's published text, which the import examples read.
    let seed = include_str!("../examples/tongcheng-2021-form.txt");
    assert!(seed.contains("通城县人力资源和社会保障局"));
}
