//! Each variant's exact text (the same as eval wrote before steps were typed: the
//! explain snapshots hold them too), and each one's JSON.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::*;
use crate::eval::RuleLine;

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn x(s: &str) -> Exact {
    Exact::from(d(s))
}

/// `n / m` exactly.
fn frac(n: i64, m: i64) -> Exact {
    Exact::int(n).div(&Exact::int(m)).expect("a fraction")
}

fn words(kind: StepKind<'_>) -> String {
    text(&Step { kind, rule: None })
}

fn band() -> Band<'static> {
    Band {
        name: "良".into(),
        lo: d("0.8"),
        lo_inclusive: true,
        hi: d("0.9"),
        hi_inclusive: false,
    }
}

fn condition(source: &str, substituted: &str) -> Condition<'static> {
    Condition {
        source: Cow::Owned(source.to_owned()),
        substituted: substituted.to_owned(),
    }
}

#[test]
fn values_and_aggregates() {
    let values = StepKind::Values {
        a: d("4000"),
        a_written: "4000人次".into(),
        b: d("3916.0"),
        b_written: "3916人次".into(),
    };
    // 3916.0 shown without its trailing zero.
    assert_eq!(words(values), "A = 4000（4000人次），B = 3916（3916人次）");
    // (90 + 80) / 2 = 85; (95 + 70) / 2 = 82.5.
    let mean = StepKind::Aggregate {
        method: AggMethod::Mean,
        targets: vec![d("90"), d("80")],
        actuals: vec![d("95"), d("70")],
        funds: vec![d("100"), d("300")],
        a: x("85"),
        b: x("82.5"),
    };
    assert_eq!(
        words(mean),
        "汇总 2 笔资金（算术平均）：A = (90 + 80) / 2 = 85；B = (95 + 70) / 2 = 82.5"
    );
    // (100 × 90 + 300 × 80) / 400 = 33000 / 400 = 82.5; B: (9500 + 21000) / 400 = 76.25.
    let by_fund = StepKind::Aggregate {
        method: AggMethod::MeanByFund,
        targets: vec![d("90"), d("80")],
        actuals: vec![d("95"), d("70")],
        funds: vec![d("100"), d("300")],
        a: x("82.5"),
        b: x("76.25"),
    };
    assert_eq!(
        words(by_fund),
        "汇总 2 笔资金（按资金额度加权平均）：A = (100 × 90 + 300 × 80) / (100 + 300) = 82.5；\
         B = (100 × 95 + 300 × 70) / (100 + 300) = 76.25"
    );
    // 0.9 + 0.8 = 1.7.
    let sum = StepKind::AggregateRate {
        method: AggMethod::Sum,
        rates: vec![d("0.9"), d("0.8")],
        funds: vec![d("0"), d("0")],
        rate: x("1.7"),
    };
    assert_eq!(
        words(sum),
        "汇总 2 笔资金的得分率（直接累加）：0.9 + 0.8 = 1.7"
    );
}

#[test]
fn class_and_rates() {
    let class = StepKind::Class {
        name: "反向指标".into(),
        condition: Some("op in [\"<=\", \"<\"] or direction == \"negative\"".into()),
        values: vec![
            (Var::Op, Operand::Text("<=".into())),
            (Var::Direction, Operand::Text("".into())),
        ],
        facts: Vec::new(),
    };
    assert_eq!(
        words(class),
        "类别：反向指标（op in [\"<=\", \"<\"] or direction == \"negative\"；\
         比较符 op = \"<=\"，方向 direction = \"\"）"
    );
    let numbers = StepKind::Class {
        name: "正向指标".into(),
        condition: Some("B > A".into()),
        values: vec![
            (Var::A, Operand::Number(x("1.50"))),
            (Var::B, Operand::Bool(true)),
        ],
        facts: Vec::new(),
    };
    assert_eq!(
        words(numbers),
        "类别：正向指标（B > A；目标值 A = 1.5，实际值 B = true）"
    );
    let rest = StepKind::Class {
        name: "positive".into(),
        condition: None,
        values: Vec::new(),
        facts: Vec::new(),
    };
    assert_eq!(words(rest), "类别：positive（其余情况）");
    // 0.85 = 85%, in [80%, 90%).
    let tier = StepKind::TierRate {
        band: band(),
        rate: d("0.85"),
    };
    assert_eq!(words(tier), "档位「良」[80%, 90%)，得分率 85%");
    let default = StepKind::TierDefault {
        band: "良".into(),
        rate: d("0.85"),
    };
    assert_eq!(words(default), "档位「良」，未给得分率，按默认 85%");
    let in_band = StepKind::RateInBand {
        rate: d("0.85"),
        band: band(),
    };
    assert_eq!(words(in_band), "得分率 85%，属档位「良」[80%, 90%)");
    assert_eq!(words(StepKind::Rate { rate: d("0.6") }), "得分率 60%");
    let by_when = StepKind::BandByCondition {
        condition: condition("A == B", "「达标」 == 「达标」"),
        band: "优".into(),
        rate: d("1"),
    };
    assert_eq!(
        words(by_when),
        "因 A == B（「达标」 == 「达标」），视为档位「优」，按 100%"
    );
}

#[test]
fn not_scored() {
    let rescale = StepKind::Omitted {
        action: OptionalAction::RescaleGoal,
    };
    assert_eq!(
        words(rescale),
        "未评价；可选指标，不计分，目标内其余指标按比例折算"
    );
    let drop = StepKind::Omitted {
        action: OptionalAction::Drop,
    };
    assert_eq!(words(drop), "未评价；可选指标，不计分");
    assert_eq!(
        words(StepKind::NotEvaluated),
        "未填写实际完成值，且不是可选指标：按 0 分计"
    );
}

#[test]
fn scores() {
    let budget = StepKind::Budget {
        planned: "100万元".into(),
        executed: "95万元".into(),
        weight: x("20"),
    };
    assert_eq!(
        words(budget),
        "预算数 A = 100万元，执行数 B = 95万元，分值 20"
    );
    // A condition that reads no value is written once.
    let guard = StepKind::Guard {
        condition: condition("true", "true"),
        source: "weight".into(),
        value: x("2"),
    };
    assert_eq!(words(guard), "因 true：weight = 2");
    // 2 × 1 / 3 = 0.666…, cut after 6 decimals, as every report cuts a score.
    let formula = StepKind::Formula {
        source: "weight * B / A".into(),
        substituted: "2 × 1 / 3".to_owned(),
        value: frac(2, 3),
    };
    assert_eq!(words(formula), "weight * B / A = 2 × 1 / 3 = 0.666666…");
    let cap = StepKind::Cap {
        source: "weight".into(),
        cap: x("2"),
        from: x("2.1"),
    };
    assert_eq!(words(cap), "不得超过 weight = 2：2.1 → 2");
    // 1.6 × 10 / 8 = 2.
    let rescale = StepKind::Rescale {
        all: d("10.0"),
        rest: d("8"),
        from: x("1.6"),
        to: x("2"),
    };
    assert_eq!(
        words(rescale),
        "目标中有未评的可选指标，按 10 / 8 折算：1.6 × 10 / 8 = 2"
    );
    // 1.8 × 80 / 90 = 1.6.
    let scale = StepKind::ScaleGoals {
        sum: x("90"),
        target: x("80"),
        from: x("1.8"),
        to: x("1.6"),
    };
    assert_eq!(
        words(scale),
        "各目标分值合计 90 折算为 80：1.8 × 80 / 90 = 1.6"
    );
    // 1.958 half up at 2 places: 1.96; the rounded value keeps its scale (1.90).
    let rounding = StepKind::Rounding {
        places: 2,
        mode: RoundMode::HalfUp,
        from: x("1.9"),
        to: d("1.90"),
    };
    assert_eq!(words(rounding), "保留 2 位小数：1.9 → 1.90");
}

#[test]
fn json_carries_the_text_the_rule_the_kind_and_the_values() {
    let step = Step {
        kind: StepKind::Formula {
            source: "weight * B / A".into(),
            substituted: "2 × 3916 / 4000".to_owned(),
            value: x("1.958"),
        },
        rule: Some(RuleLine {
            file: "rules/hubei-2021.rules".into(),
            line: 35,
        }),
    };
    assert_eq!(
        serde_json::to_string(&step).expect("json"),
        r#"{"text":"weight * B / A = 2 × 3916 / 4000 = 1.958","rule":"rules/hubei-2021.rules:35","kind":"formula","source":"weight * B / A","substituted":"2 × 3916 / 4000","value":"1.958"}"#
    );
    let rounding = Step {
        kind: StepKind::Rounding {
            places: 2,
            mode: RoundMode::HalfUp,
            from: x("1.958"),
            to: d("1.96"),
        },
        rule: None,
    };
    assert_eq!(
        serde_json::to_string(&rounding).expect("json"),
        r#"{"text":"保留 2 位小数：1.958 → 1.96","rule":null,"kind":"rounding","places":2,"mode":"half_up","from":"1.958","to":"1.96"}"#
    );
    let class = Step {
        kind: StepKind::Class {
            name: "正向指标".into(),
            condition: Some("op == \">=\"".into()),
            values: vec![(Var::Op, Operand::Text(">=".into()))],
            facts: Vec::new(),
        },
        rule: None,
    };
    let json: serde_json::Value = serde_json::to_value(&class).expect("json");
    assert_eq!(json["kind"], "class");
    assert_eq!(json["values"][0]["name"], "op");
    assert_eq!(json["values"][0]["text"], ">=");
    let tier = Step {
        kind: StepKind::TierRate {
            band: band(),
            rate: d("0.85"),
        },
        rule: None,
    };
    let json: serde_json::Value = serde_json::to_value(&tier).expect("json");
    assert_eq!(json["band"]["lo"], "0.8");
    assert_eq!(json["band"]["hi_inclusive"], false);
    assert_eq!(json["rate"], "0.85");
}
