//! Tests of the diff of two outcomes and of its summary.

use super::*;
use crate::eval::{BudgetOutcome, FormInfo, RulesInfo};

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn indicator<'a>(name: &'a str, score: Option<&str>) -> IndicatorOutcome<'a> {
    crate::eval::fixtures::indicator(name, score, None)
}

fn goal<'a>(number: usize, score: &str, indicators: Vec<IndicatorOutcome<'a>>) -> GoalOutcome<'a> {
    GoalOutcome {
        number,
        name: format!("目标{number}").into(),
        weight: d("10"),
        indicator_weight: d("10"),
        scale: None,
        score: d(score),
        reported: None,
        indicators,
    }
}

fn outcome<'a>(
    file: &'a str,
    budget: &str,
    goals: Vec<GoalOutcome<'a>>,
    total: &str,
    grade: &str,
) -> Outcome<'a> {
    Outcome {
        rules: RulesInfo {
            id: "r".into(),
            title: None,
            file: "r.rules".into(),
        },
        form: FormInfo {
            file: file.into(),
            title: None,
            department: Some(format!("单位{file}").into()),
            year: None,
            filled_on: None,
            facts: Vec::new(),
            rules: None,
        },
        budget: BudgetOutcome {
            planned: "100万元".into(),
            executed: "100万元".into(),
            rate: Some(Decimal::ONE),
            weight: d("20"),
            score: d(budget),
            reported: None,
            trace: Vec::new(),
        },
        goals,
        total: d(total),
        max_total: d("100"),
        max_bonus: Decimal::ZERO,
        adjustments: Vec::new(),
        grade: Some(grade.to_owned().into()),
        reported_total: None,
        reported_grade: None,
        warnings: Vec::new(),
    }
}

/// A one-goal form: budget 20, goal 1 of two indicators.
fn simple<'a>(
    file: &'a str,
    budget: &str,
    a: &str,
    b: &str,
    total: &str,
    grade: &str,
) -> Outcome<'a> {
    // goal score = a + b, filled in by the caller's arithmetic
    let g = d(a) + d(b);
    outcome(
        file,
        budget,
        vec![goal(
            1,
            &g.to_string(),
            vec![indicator("甲", Some(a)), indicator("乙", Some(b))],
        )],
        total,
        grade,
    )
}

fn changed(diff: &FormDiff) -> Vec<(RowKind, Option<&str>, Option<Decimal>)> {
    diff.rows
        .iter()
        .filter(|r| r.changed)
        .map(|r| (r.kind, r.indicator.as_deref(), r.delta))
        .collect()
}

#[test]
fn identical_outcomes_change_nothing() {
    let o = simple("f", "20", "1.5", "2", "23.5", "差");
    let diff = diff_outcomes(&o, &o);
    // budget, 甲, 乙, goal 1
    assert_eq!(diff.rows.len(), 4);
    assert!(!diff.changed());
    assert_eq!(diff.total.delta, Some(d("0")));
    assert!(
        diff.rows
            .iter()
            .all(|r| r.delta.is_some_and(|x| x.is_zero()))
    );
    assert!(diff.old_file.is_none());
}

#[test]
fn changed_scores_have_signed_deltas_and_grade_moves() {
    // budget 20 → 10: −10; 甲 1.5 → 1.75: +0.25; goal 3.5 → 3.75: +0.25;
    // total 23.5 → 13.75: −9.75
    let old = simple("f", "20", "1.5", "2", "23.5", "良");
    let new = simple("f", "10", "1.75", "2", "13.75", "差");
    let diff = diff_outcomes(&old, &new);
    assert_eq!(
        changed(&diff),
        [
            (RowKind::Budget, None, Some(d("-10"))),
            (RowKind::Indicator, Some("甲"), Some(d("0.25"))),
            (RowKind::Goal, None, Some(d("0.25"))),
        ]
    );
    assert_eq!(diff.total.delta, Some(d("-9.75")));
    assert_eq!(
        diff.grade,
        GradeDiff {
            old: Some("良".into()),
            new: Some("差".into()),
            changed: true
        }
    );
}

#[test]
fn a_zero_delta_has_no_sign() {
    let old = simple("f", "20", "1.5", "2", "23.5", "差");
    let new = simple("f", "20", "1.50", "2", "23.50", "差");
    let diff = diff_outcomes(&old, &new);
    assert!(!diff.changed());
    assert_eq!(diff.total.delta.map(|x| x.to_string()), Some("0.00".into()));
}

/// Old goal 1: 甲 1, 乙 2, 乙 1.5 (a second 乙), 丙 2; new goal 1: 乙 2, 丁 1, 甲 1.2,
/// 乙 1.5 — reordered, 丙 removed, 丁 added.
fn reordered() -> (Outcome<'static>, Outcome<'static>) {
    let old = outcome(
        "old.toml",
        "20",
        vec![goal(
            1,
            "6.5",
            vec![
                indicator("甲", Some("1")),
                indicator("乙", Some("2")),
                indicator("乙", Some("1.5")),
                indicator("丙", Some("2")),
            ],
        )],
        "26.5",
        "差",
    );
    let new = outcome(
        "new.toml",
        "20",
        vec![goal(
            1,
            "5.7",
            vec![
                indicator("乙", Some("2")),
                indicator("丁", Some("1")),
                indicator("甲", Some("1.2")),
                indicator("乙", Some("1.5")),
            ],
        )],
        "25.7",
        "差",
    );
    (old, new)
}

#[test]
fn indicators_match_by_name_and_report_added_and_removed_ones() {
    let (old, new) = reordered();
    let diff = diff_outcomes(&old, &new);
    let rows: Vec<_> = diff
        .rows
        .iter()
        .map(|r| (r.indicator.as_deref(), r.presence, r.old, r.new, r.changed))
        .collect();
    assert_eq!(
        rows,
        [
            (None, Presence::Both, Some(d("20")), Some(d("20")), false),
            (
                Some("乙"),
                Presence::Both,
                Some(d("2")),
                Some(d("2")),
                false
            ),
            (Some("丁"), Presence::Added, None, Some(d("1")), true),
            (
                Some("甲"),
                Presence::Both,
                Some(d("1")),
                Some(d("1.2")),
                true
            ),
            (
                Some("乙"),
                Presence::Both,
                Some(d("1.5")),
                Some(d("1.5")),
                false
            ),
            (Some("丙"), Presence::Removed, Some(d("2")), None, true),
            // goal 6.5 → 5.7
            (None, Presence::Both, Some(d("6.5")), Some(d("5.7")), true),
        ]
    );
    assert_eq!(diff.rows[2].delta, None);
    assert_eq!(diff.rows[3].delta, Some(d("0.2")));
    assert_eq!(diff.rows[6].delta, Some(d("-0.8")));
    assert_eq!(diff.file, "new.toml");
    assert_eq!(diff.old_file.as_deref(), Some("old.toml"));
}

#[test]
fn goals_match_by_number_and_missing_goals_report_all_their_rows() {
    let old = outcome(
        "f",
        "20",
        vec![
            goal(1, "2", vec![indicator("甲", Some("2"))]),
            goal(2, "3", vec![indicator("乙", Some("3"))]),
        ],
        "25",
        "差",
    );
    let new = outcome(
        "f",
        "20",
        vec![
            goal(1, "2", vec![indicator("甲", Some("2"))]),
            goal(3, "4", vec![indicator("丙", Some("4"))]),
        ],
        "26",
        "差",
    );
    let diff = diff_outcomes(&old, &new);
    let rows: Vec<_> = diff
        .rows
        .iter()
        .filter(|r| r.changed)
        .map(|r| (r.kind, r.goal, r.presence))
        .collect();
    assert_eq!(
        rows,
        [
            (RowKind::Indicator, Some(3), Presence::Added),
            (RowKind::Goal, Some(3), Presence::Added),
            (RowKind::Indicator, Some(2), Presence::Removed),
            (RowKind::Goal, Some(2), Presence::Removed),
        ]
    );
}

#[test]
fn an_indicator_left_out_has_no_delta() {
    let old = outcome(
        "f",
        "20",
        vec![goal(1, "2", vec![indicator("甲", Some("2"))])],
        "22",
        "差",
    );
    let new = outcome(
        "f",
        "20",
        vec![goal(1, "0", vec![indicator("甲", None)])],
        "20",
        "差",
    );
    let diff = diff_outcomes(&old, &new);
    let row = &diff.rows[1];
    assert_eq!(
        (row.presence, row.old, row.new, row.delta),
        (Presence::Both, Some(d("2")), None, None)
    );
    assert!(row.changed);
}

#[test]
fn summary_counts_transitions_movers_mean_and_max() {
    // Five forms, Δtotal: a −10, b +0.01, c 0, d −0.02, e +10 (a tie in magnitude with a).
    let pairs = [
        ("a", "96.53", "86.53", "优", "良"),
        ("b", "89.99", "90.00", "良", "优"),
        ("c", "70", "70", "中", "中"),
        ("d", "95.02", "95.00", "优", "优"),
        ("e", "80.00", "90.00", "良", "优"),
    ];
    let diffs: Vec<FormDiff> = pairs
        .iter()
        .map(|(f, o, n, og, ng)| {
            let old = outcome(f, "20", Vec::new(), o, og);
            let new = outcome(f, "20", Vec::new(), n, ng);
            diff_outcomes(&old, &new)
        })
        .collect();
    let s = summarize(&diffs);
    assert_eq!(s.forms, 5);
    assert_eq!(s.changed, 4);
    assert_eq!(s.grade_changed, 3);
    // 良→优 twice (b, e), 优→良 once (a), first seen before 良→优 but less frequent.
    let t: Vec<_> = s
        .transitions
        .iter()
        .map(|t| (t.from.as_deref(), t.to.as_deref(), t.count))
        .collect();
    assert_eq!(
        t,
        [(Some("良"), Some("优"), 2), (Some("优"), Some("良"), 1)]
    );
    // |Δ|: a 10, e 10 (tie: input order), d 0.02, b 0.01; c did not move.
    let movers: Vec<_> = s
        .largest_movers
        .iter()
        .map(|m| (m.file.as_str(), m.delta))
        .collect();
    assert_eq!(
        movers,
        [
            ("a", d("-10.00")),
            ("e", d("10.00")),
            ("d", d("-0.02")),
            ("b", d("0.01"))
        ]
    );
    // sum = −10 + 0.01 + 0 − 0.02 + 10 = −0.01; mean = −0.002 → −0.00 → 0.00
    assert_eq!(s.mean_delta.map(|m| m.to_string()), Some("0.00".into()));
    // largest magnitude: −10.00 (a, first of the tie)
    assert_eq!(s.max_delta, Some(d("-10.00")));
}

#[test]
fn summary_mean_rounds_half_away_from_zero() {
    // Δ +0.01, +0.02: sum 0.03, mean 0.015 → 0.02; Δ −0.01, −0.02: mean −0.015 → −0.02
    // (away from zero, not towards +∞); Δ 0.01, 0.02, 0.02: 0.05 / 3 = 0.01666… → 0.02.
    let mk = |deltas: &[&str]| {
        let diffs: Vec<FormDiff> = deltas
            .iter()
            .map(|x| {
                let old = outcome("f", "20", Vec::new(), "50", "差");
                let new_total = (d("50") + d(x)).to_string();
                let new = outcome("f", "20", Vec::new(), &new_total, "差");
                diff_outcomes(&old, &new)
            })
            .collect();
        summarize(&diffs).mean_delta
    };
    assert_eq!(mk(&["0.01", "0.02"]), Some(d("0.02")));
    assert_eq!(mk(&["-0.01", "-0.02"]), Some(d("-0.02")));
    assert_eq!(mk(&["0.01", "0.02", "0.02"]), Some(d("0.02")));
    // 0.005 = (0.00 + 0.01) / 2 → 0.01 (half-even would give 0.00)
    assert_eq!(mk(&["0.00", "0.01"]), Some(d("0.01")));
}

#[test]
fn an_empty_summary_has_no_mean() {
    let s = summarize(&[]);
    assert_eq!(
        (s.forms, s.changed, s.mean_delta, s.max_delta),
        (0, 0, None, None)
    );
    assert!(s.transitions.is_empty() && s.largest_movers.is_empty());
}

#[test]
fn extreme_totals_do_not_panic() {
    let old = outcome(
        "f",
        "20",
        Vec::new(),
        "-79228162514264337593543950335",
        "差",
    );
    let new = outcome("f", "20", Vec::new(), "79228162514264337593543950335", "优");
    let diff = diff_outcomes(&old, &new);
    assert_eq!(diff.total.delta, None);
    assert!(diff.total.changed);
    let twice = [diff_outcomes(&new, &new), {
        let zero = outcome("f", "20", Vec::new(), "0", "差");
        diff_outcomes(&zero, &new)
    }];
    // Δ: 0 and MAX: the sum fits; then MAX + MAX overflows → no mean.
    let s = summarize(&twice);
    assert!(s.mean_delta.is_some());
    let s = summarize(&[twice[1].clone(), twice[1].clone()]);
    assert_eq!(s.mean_delta, None);
    assert_eq!(s.max_delta, Some(Decimal::MAX));
}

#[test]
fn the_seed_form_under_half_even_rounding_moves_one_indicator() {
    // Through the library, as the CLI does. 2 × 337/400 = 1.685 → 1.69 half-up, 1.68
    // half-even; no other indicator of the seed form sits on a midpoint (1.958, 1.596…,
    // 1.832, 1.5466…, 0.9 and the whole scores), so goal 5 9.69 → 9.68 and the total
    // 96.53 → 96.52.
    let hubei = crate::bundled("hubei-2021").expect("bundled");
    let text = hubei.text().replace(
        "round 2 half_up at indicator",
        "round 2 half_even at indicator",
    );
    assert_ne!(text, hubei.text());
    let old_rules = crate::compile(&hubei).expect("rules");
    let new_rules = crate::compile(&crate::Source::new("even.rules", text)).expect("rules");
    let form_text = include_str!("../../../examples/tongcheng-2021.toml");
    let form =
        crate::load_form(&crate::Source::new("tongcheng-2021.toml", form_text)).expect("form");
    let old = crate::evaluate(&old_rules, &form).expect("scored");
    let new = crate::evaluate(&new_rules, &form).expect("scored");
    let diff = diff_outcomes(&old, &new);
    let rows: Vec<_> = diff
        .rows
        .iter()
        .filter(|r| r.changed)
        .map(|r| {
            (
                r.kind,
                r.goal,
                r.indicator.as_deref(),
                r.old,
                r.new,
                r.delta,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                RowKind::Indicator,
                Some(5),
                Some("2021年新增保存人事关系及档案份数"),
                Some(d("1.69")),
                Some(d("1.68")),
                Some(d("-0.01"))
            ),
            (
                RowKind::Goal,
                Some(5),
                None,
                Some(d("9.69")),
                Some(d("9.68")),
                Some(d("-0.01"))
            ),
        ]
    );
    assert_eq!((diff.total.old, diff.total.new), (d("96.53"), d("96.52")));
    assert_eq!(diff.total.delta, Some(d("-0.01")));
    assert!(!diff.grade.changed);
}

/// Keeping only the changed rows gives the diff with every row, less the rows that did
/// not change: the same total, grade and summary.
#[test]
fn diff_changes_is_diff_outcomes_without_the_unchanged_rows() {
    let pairs = [
        (
            simple("f", "20", "1.5", "2", "23.5", "差"),
            simple("f", "20", "1.5", "2", "23.5", "差"),
        ),
        (
            simple("f", "20", "1.5", "2", "23.5", "良"),
            simple("f", "10", "1.75", "2", "13.75", "差"),
        ),
        reordered(),
    ];
    for (old, new) in &pairs {
        let mut every = diff_outcomes(old, new);
        let changes = diff_changes(old, new);
        every.rows.retain(|r| r.changed);
        assert_eq!(
            serde_json::to_value(&changes).expect("JSON"),
            serde_json::to_value(&every).expect("JSON")
        );
        assert_eq!(
            serde_json::to_value(summarize(std::slice::from_ref(&changes))).expect("JSON"),
            serde_json::to_value(summarize(&[diff_outcomes(old, new)])).expect("JSON")
        );
    }
    // The reordered pair: 丙 removed, 丁 added, 甲 1 → 1.2, the goal 6.5 → 5.7, and
    // the budget, 乙 2 and 乙 1.5 unchanged; 4 rows of 7.
    assert_eq!(diff_changes(&pairs[2].0, &pairs[2].1).rows.len(), 4);
    assert_eq!(diff_outcomes(&pairs[2].0, &pairs[2].1).rows.len(), 7);
}
