//! Tests of loading forms: the whole layout, TOML errors, and every error collected.
//! Numbers, units and indicators have their own files under `tests/`.

mod indicators;
mod numbers;
mod units;

use std::str::FromStr;

use miette::Diagnostic;
use rust_decimal::Decimal;

use super::float::{FloatProblem, float_literal};
use super::*;
use crate::source::{Source, Span};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn load(text: &str) -> Result<Form, FormErrors> {
    load_form(&Source::new("form.toml", text))
}

fn errors(text: &str) -> Vec<FormError> {
    match load(text) {
        Ok(_) => panic!("loaded without errors:\n{text}"),
        Err(e) => e.errors,
    }
}

fn code(e: &FormError) -> String {
    e.code().map(|c| c.to_string()).unwrap_or_default()
}

/// Each label's text and the source text it covers.
fn labels<'t>(text: &'t str, e: &FormError) -> Vec<(String, &'t str)> {
    e.labels()
        .into_iter()
        .flatten()
        .map(|l| {
            (
                l.label().unwrap_or("").to_owned(),
                &text[l.offset()..l.offset() + l.len()],
            )
        })
        .collect()
}

/// The only error, which must have `code`.
fn only(text: &str, expected: &str) -> FormError {
    let mut errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = errs.remove(0);
    assert_eq!(code(&e), format!("jixiao::form::{expected}"));
    assert!(e.help().is_some(), "no help: {e:?}");
    e
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

const BUDGET: &str = "[budget]\nplanned = 100\nexecuted = 90\n";

/// A budget, one goal and one indicator with the given extra lines.
fn with_indicator(lines: &str) -> String {
    format!(
        "{BUDGET}\n[[goals]]\nname = \"目标一\"\nweight = 10\n\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"培训人次\"\nweight = 2\n{lines}\n"
    )
}

const FULL: &str = r#"
[form]
title = "2024年度项目支出绩效自评表"
department = "某某市人力资源和社会保障局"
year = 2024
filled_on = 2025-03-01
reported_total = 92.5

[budget]
unit = "万元"
planned = 12174.8
executed = "1,100.5万元"
basic = 1_000
reported_score = 9

[[goals]]
name = "完成职业技能培训"
weight = "50分"
reported = 45

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "职业技能培训人次"
target = "≥4000人次"
actual = "0.3916万人次"
weight = 2
reported = 1.5
direction = "正向"

[[goals.indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "参训人员满意度"
target = "95%以上"
actual = "96.5%"
weight = 1e1

[[goals.indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "就业能力"
target = "明显提高"
actual = ""
tier = "达成"
rate = "85%"
weight = 3

[[goals.indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "合格率"
weight = 4
fund_unit = "元"
entries = [
  { fund = "100万元", target = "90%", actual = "92%", tier = "达成" },
  { fund = 50000, target = "≥ 88 %", actual = "85%", rate = 0.5 },
]
"#;

// Long by design: one assertion per field of a form that uses every key.
#[test]
fn loads_a_full_form() {
    let form = load(FULL).unwrap();
    let text = FULL;
    assert_eq!(form.title.as_deref(), Some("2024年度项目支出绩效自评表"));
    assert_eq!(
        form.department.as_deref(),
        Some("某某市人力资源和社会保障局")
    );
    assert_eq!(form.year, Some(2024));
    assert_eq!(form.filled_on.as_deref(), Some("2025-03-01"));
    assert_eq!(form.reported_total.map(|n| n.value), Some(dec("92.5")));

    // Budget: 12174.8 read from its literal, never through a float, in the declared
    // unit 万元: 12174.8 × 10^4 = 121,748,000 元.
    let b = &form.budget;
    assert_eq!(&*b.planned.raw, "12174.8");
    assert_eq!(slice(text, b.planned.span), "12174.8");
    assert_eq!(b.planned.quantity().unwrap().number, dec("121748000"));
    assert_eq!(b.planned.quantity().unwrap().unit, "元");
    // 1,100.5万元 = 1100.5 × 10^4 = 11,005,000 元.
    assert_eq!(&*b.executed.raw, "1,100.5万元");
    assert_eq!(slice(text, b.executed.span), "\"1,100.5万元\"");
    assert_eq!(b.executed.quantity().unwrap().number, dec("11005000"));
    assert_eq!(b.executed.quantity().unwrap().unit, "元");
    assert_eq!(b.basic.map(|n| n.value), Some(dec("1000")));
    assert_eq!(b.project, None);
    assert_eq!(b.reported.map(|n| n.value), Some(dec("9")));
    assert_eq!(slice(text, b.span), "[budget]");

    assert_eq!(form.goals.len(), 1);
    let g = &form.goals[0];
    assert_eq!(g.name.text.as_ref(), "完成职业技能培训");
    assert_eq!(slice(text, g.name.span), "\"完成职业技能培训\"");
    // "50分" is 50 points.
    assert_eq!(g.weight.value, dec("50"));
    assert_eq!(slice(text, g.weight.span), "\"50分\"");
    assert_eq!(g.reported.map(|n| n.value), Some(dec("45")));
    assert!(slice(text, g.span).starts_with("[[goals]]\nname"));
    assert!(slice(text, g.span).ends_with("reported = 45"));
    assert_eq!(g.indicators.len(), 4);

    let i = &g.indicators[0];
    assert_eq!((&*i.level1.text, &*i.level2.text), ("产出指标", "数量指标"));
    assert_eq!(i.name.text.as_ref(), "职业技能培训人次");
    let t = i.target.as_ref().unwrap();
    assert_eq!(&*t.raw, "≥4000人次");
    assert_eq!(slice(text, t.span), "\"≥4000人次\"");
    assert_eq!(
        t.parsed,
        Parsed::Quantity(Quantity {
            cmp: Cmp::Ge,
            number: dec("4000"),
            percent: false,
            multiplier: None,
            unit: "人次".into()
        })
    );
    // 0.3916万 = 0.3916 × 10^4 = 3916.
    let a = i.actual.as_ref().unwrap();
    assert_eq!(a.quantity().unwrap().number, dec("3916"));
    assert_eq!(a.quantity().unwrap().unit, "人次");
    assert_eq!(i.weight.value, dec("2"));
    assert_eq!(i.reported.map(|n| n.value), Some(dec("1.5")));
    assert_eq!(i.direction, Some(Direction::Positive));
    assert!(i.entries.is_empty());
    assert!(slice(text, i.span).starts_with("[[goals.indicators]]\nlevel1 = \"产出指标\""));
    assert!(slice(text, i.span).ends_with("direction = \"正向\""));

    let i = &g.indicators[1];
    let t = i.target.as_ref().unwrap().quantity().unwrap();
    assert_eq!((t.cmp, t.number, t.percent), (Cmp::Ge, dec("0.95"), true));
    // 96.5% = 0.965.
    assert_eq!(
        i.actual.as_ref().unwrap().quantity().unwrap().number,
        dec("0.965")
    );
    // 1e1 = 10, read from the literal.
    assert_eq!(i.weight.value, dec("10"));
    assert_eq!(slice(text, i.weight.span), "1e1");
    assert_eq!(i.direction, None);

    let i = &g.indicators[2];
    assert_eq!(
        i.target.as_ref().unwrap().parsed,
        Parsed::Text("明显提高".into())
    );
    assert!(i.actual.is_none(), "an empty actual is not evaluated");
    assert_eq!(i.tier.as_ref().map(|t| &*t.text), Some("达成"));
    assert_eq!(i.rate.map(|n| n.value), Some(dec("0.85")));
    assert_eq!(slice(text, i.rate.unwrap().span), "\"85%\"");

    let i = &g.indicators[3];
    assert!(i.target.is_none() && i.actual.is_none());
    assert_eq!(i.entries.len(), 2);
    let e = &i.entries[0];
    // 100万元 = 1,000,000 元.
    assert_eq!(e.fund.quantity().unwrap().number, dec("1000000"));
    assert_eq!(e.fund.quantity().unwrap().unit, "元");
    assert_eq!(
        e.target.as_ref().unwrap().quantity().unwrap().number,
        dec("0.9")
    );
    assert_eq!(
        e.actual.as_ref().unwrap().quantity().unwrap().number,
        dec("0.92")
    );
    assert_eq!(e.tier.as_ref().unwrap().text.as_ref(), "达成");
    assert_eq!(
        slice(text, e.span),
        "{ fund = \"100万元\", target = \"90%\", actual = \"92%\", tier = \"达成\" }"
    );
    let e = &i.entries[1];
    // fund_unit = "元": 50000 is 50,000 元.
    assert_eq!(&*e.fund.raw, "50000");
    assert_eq!(e.fund.quantity().unwrap().number, dec("50000"));
    assert_eq!(e.fund.quantity().unwrap().unit, "元");
    assert_eq!(e.target.as_ref().unwrap().quantity().unwrap().cmp, Cmp::Ge);
    assert_eq!(e.rate.map(|n| n.value), Some(dec("0.5")));
    assert!(slice(text, i.span).ends_with("rate = 0.5 },\n]"));
}

#[test]
fn minimal_form_and_number_literals() {
    let text = "[budget]\nplanned = 1_234.5e2\nexecuted = +0.5\n";
    let form = load(text).unwrap();
    // 1234.5 × 10^2 = 123450.
    assert_eq!(
        form.budget.planned.quantity().unwrap().number,
        dec("123450")
    );
    assert_eq!(&*form.budget.planned.raw, "1_234.5e2");
    assert_eq!(form.budget.executed.quantity().unwrap().number, dec("0.5"));
    assert!(form.goals.is_empty() && form.title.is_none() && form.year.is_none());
    assert_eq!(float_literal("1.5E-3"), Ok(dec("0.0015")));
    assert_eq!(float_literal("12174.8"), Ok(dec("12174.8")));
    assert_eq!(float_literal("-0.0"), Ok(Decimal::ZERO));
    assert!(!float_literal("-0.0").unwrap().is_sign_negative());
    assert_eq!(float_literal("0e99999"), Ok(Decimal::ZERO));
    assert_eq!(float_literal("0e99999999999999999999"), Ok(Decimal::ZERO));
    // 7.9 × 10^28 fits; 10^29 does not.
    assert_eq!(
        float_literal("7.9e28"),
        Ok(dec("79000000000000000000000000000"))
    );
    for (text, problem) in [
        ("inf", FloatProblem::NotFinite),
        ("-inf", FloatProblem::NotFinite),
        ("nan", FloatProblem::NotFinite),
        ("1e29", FloatProblem::TooLarge),
        ("1e30", FloatProblem::TooLarge),
        ("1e300", FloatProblem::TooLarge),
        ("1e99999999999999999999", FloatProblem::TooLarge),
        ("1e-30", FloatProblem::TooSmall),
        ("1e-300", FloatProblem::TooSmall),
        ("1e-99999999999999999999", FloatProblem::TooSmall),
        (
            "1.23456789012345678901234567890",
            FloatProblem::TooManyDigits,
        ),
        ("1000000000000000000000000000000.0", FloatProblem::TooLarge),
    ] {
        assert_eq!(float_literal(text), Err(problem), "{text}");
    }
    // 28 decimal places fit.
    assert_eq!(
        float_literal("1e-28"),
        Ok(dec("0.0000000000000000000000000001"))
    );
}

#[test]
fn toml_syntax_error() {
    let text = "[budget]\nplanned = \"100\nexecuted = 1\n";
    let e = only(text, "toml");
    assert!(e.to_string().starts_with("TOML 语法错误"), "{e}");
    assert_eq!(labels(text, &e).len(), 1);
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let text = "[budget]\nplanned = 100\nexecuted = 90\nexecutd = 3\n";
    let e = only(text, "toml");
    assert_eq!(e.to_string(), "未知的键「executd」");
    assert_eq!(labels(text, &e), [("未知的键".to_owned(), "executd")]);
    let help = e.help().unwrap().to_string();
    assert!(help.contains("您是否想写 executed？"), "{help}");
    assert!(help.contains("planned、executed"), "{help}");

    // A Chinese heading as a bare key is a syntax error; quoted, an unknown key.
    let text = with_indicator("目标值 = \"5人\"");
    let e = only(&text, "toml");
    assert!(
        e.help().unwrap().to_string().contains("应写作 target"),
        "{e:?}"
    );
    let text = with_indicator("\"实际完成值\" = \"5人\"");
    let e = only(&text, "toml");
    assert!(
        e.help()
            .unwrap()
            .to_string()
            .contains("您是否想写 actual？"),
        "{e:?}"
    );
    let text = "[goal]\nname = \"x\"\n";
    let e = only(text, "toml");
    assert!(e.help().unwrap().to_string().contains("goals"));
}

#[test]
fn missing_and_mistyped_keys() {
    let text = "[budget]\nplanned = 100\n";
    let e = only(text, "toml");
    assert_eq!(e.to_string(), "缺少必填的键「executed」");
    assert_eq!(
        labels(text, &e),
        [("这里缺少 executed".to_owned(), "[budget]")]
    );

    let text = "[form]\nyear = \"2024\"\n[budget]\nplanned = 1\nexecuted = 1\n";
    let e = only(text, "toml");
    assert_eq!(
        e.to_string(),
        "year 的类型不对：应为不加引号的整数，实际是字符串 \"2024\""
    );
    assert_eq!(labels(text, &e)[0].1, "\"2024\"");

    let text = "goals = 3\n[budget]\nplanned = 1\nexecuted = 1\n";
    let e = only(text, "toml");
    assert!(e.to_string().contains("应为数组"), "{e}");

    let text = "[budget]\nplanned = 100\nexecuted = 90\n[form]\nfilled_on = 3\n";
    let e = only(text, "toml");
    assert!(e.to_string().contains("filled_on"), "{e}");
    assert_eq!(labels(text, &e)[0].1, "3");

    let text = with_indicator("target = true");
    let e = only(&text, "toml");
    assert_eq!(e.to_string(), "target 应为字符串或数字，实际是布尔值");

    let e = only("[form]\ntitle = \"x\"\n", "toml");
    assert!(e.to_string().contains("[budget]"));
}

/// `单位不一致：「​人」与「人」` hid a zero-width space. A character that cannot be
/// seen is refused wherever the loader reads text, and named where it is.
#[test]
fn invisible_characters_are_named_where_they_are() {
    let text = with_indicator("target = \"\u{200B}100人\"\nactual = \"100人\"");
    let e = only(&text, "invisible_character");
    assert_eq!(
        e.to_string(),
        "目标值「\u{200B}100人」（含零宽空格 U+200B）中有看不见的字符"
    );
    assert_eq!(
        labels(&text, &e),
        [("零宽空格 U+200B".to_owned(), "\u{200B}")]
    );
    // Inside the unit, where it made 「​人」 and 「人」 differ.
    let text = with_indicator("target = \"100\u{200B}人\"\nactual = \"100人\"");
    only(&text, "invisible_character");
    // A value of nothing but an invisible character is not empty.
    let text = with_indicator("target = \"100人\"\nactual = \"\u{200B}\"");
    only(&text, "invisible_character");
    // Names, levels, tiers, directions, weights, units.
    for line in [
        "tier = \"达成\u{200F}\"",
        "direction = \"\u{FEFF}positive\"",
        "unit = \"人\u{200D}次\"",
        "rate = \"85%\u{2060}\"",
    ] {
        only(&with_indicator(line), "invisible_character");
    }
    let text = with_indicator("").replace("产出指标", "产出指标\u{200B}");
    only(&text, "invisible_character");
    let text = format!("{BUDGET}[[goals]]\nname = \"目标\"\nweight = \"10\u{200B}分\"\n");
    only(&text, "invisible_character");
    // A bidirectional mark is shown escaped, and named.
    let text = with_indicator("tier = \"达成\u{200F}\"");
    let e = only(&text, "invisible_character");
    assert_eq!(
        e.to_string(),
        "档次（tier）「达成\\u{200F}」（含从右至左标记 U+200F）中有看不见的字符"
    );
    // Written as a TOML escape, the character is visible in the file: the label covers
    // the value.
    let text = with_indicator("target = \"100\\u200B人\"\nactual = \"100人\"");
    let e = only(&text, "invisible_character");
    assert_eq!(labels(&text, &e)[0].1, "\"100\\u200B人\"");
    // Spaces are spaces, a full-width one too.
    let form = load(&with_indicator(
        "target = \"100\u{3000}人\"\nactual = \"100 人\"",
    ))
    .unwrap();
    let t = form.goals[0].indicators[0].target.as_ref().unwrap();
    assert_eq!(t.quantity().unwrap().unit, "人");
}

#[test]
fn collects_every_error() {
    let text = r#"
[budget]
planned = "95%"
executed = 90

[[goals]]
name = ""
weight = 10

[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训人次"
target = "100人"
actual = "90件"
direction = "up"

[[goals.indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "合格率"
weight = 1
target = "1,23"
rate = "200%"
"#;
    let err = load(text).unwrap_err();
    assert_eq!(err.to_string(), "表单 form.toml 有 7 处错误");
    assert_eq!(err.code().unwrap().to_string(), "jixiao::form::invalid");
    let codes: Vec<_> = err.errors.iter().map(code).collect();
    assert_eq!(
        codes,
        [
            "jixiao::form::budget_not_number",
            "jixiao::form::empty_name",
            "jixiao::form::missing_weight",
            "jixiao::form::bad_direction",
            "jixiao::form::unit_mismatch",
            "jixiao::form::malformed_number",
            "jixiao::form::bad_rate",
        ]
    );
    assert_eq!(err.related().unwrap().count(), 7);
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = format!(
        "[budget]\nplanned = {}1{}\nexecuted = 1\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    only(&deep, "toml");
    let deep = format!("x = {}1{}\n", "{a=".repeat(5000), "}".repeat(5000));
    only(&deep, "toml");
    // Just inside the TOML parser's nesting limit: a wrong type, not a crash.
    let nested = with_indicator(&format!("target = {}1{}", "[".repeat(70), "]".repeat(70)));
    let e = only(&nested, "toml");
    assert_eq!(e.to_string(), "target 应为字符串或数字，实际是数组");
    let huge = with_indicator(&format!("target = {}", "9".repeat(300)));
    only(&huge, "toml");
    let huge = with_indicator(&format!("target = \"{}人\"", "9".repeat(300)));
    only(&huge, "malformed_number");
    let huge = with_indicator(&format!("target = 1.{}", "9".repeat(300)));
    only(&huge, "malformed_number");
    for text in [
        "",
        "\u{feff}",
        "\0",
        "[[[",
        "=",
        "[budget]\nplanned = \"\\u0000\"\nexecuted = 1",
        "🙂 = 1",
    ] {
        let _ = load(text);
    }
    // Escapes in a string: the label falls back to the whole value.
    let text = with_indicator("target = \"3\\u5929 2\\u5c0f\\u65f6\"");
    let e = only(&text, "malformed_number");
    assert_eq!(labels(&text, &e)[0].1, "\"3\\u5929 2\\u5c0f\\u65f6\"");
}

#[test]
fn renders_on_a_chinese_line() {
    let text = with_indicator("target = \"100人\"\nactual = \"100件\"");
    let err = load(&text).unwrap_err();
    let mut out = String::new();
    miette::NarratableReportHandler::new()
        .render_report(&mut out, &err.errors[0])
        .unwrap();
    assert!(
        out.contains("目标值与实际完成值的单位不一致：「100人」与「100件」"),
        "{out}"
    );
    assert!(out.contains("单位「件」"), "{out}");
    assert!(out.contains("actual = \"100件\""), "{out}");
}
