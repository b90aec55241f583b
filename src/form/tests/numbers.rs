//! Tests of numbers: malformed, huge, tiny and odd numbers, weights, negative values, budget amounts, rates.

use super::*;

#[test]
fn malformed_number_points_into_the_string() {
    let text = with_indicator("target = \"3天2小时\"");
    let e = only(&text, "malformed_number");
    assert_eq!(labels(&text, &e), [("无法读取".to_owned(), "天2小时")]);
    let text = with_indicator("target = \"  1,23 人\"");
    let e = only(&text, "malformed_number");
    assert_eq!(labels(&text, &e)[0].1, "1,23");
    // Too large for TOML itself: the parser rejects it, and the help says to quote it.
    let text = with_indicator("target = 1e400");
    let e = only(&text, "toml");
    assert_eq!(labels(&text, &e)[0].1, "1e400");
    assert!(e.help().unwrap().to_string().contains("加上引号"), "{e:?}");
    let text = with_indicator("target = 99999999999999999999");
    let e = only(&text, "toml");
    assert_eq!(
        e.to_string(),
        "数字「99999999999999999999」超出 TOML 数字的范围"
    );
    let text = with_indicator("target = inf");
    only(&text, "malformed_number");
}

/// `weight = 1e30` said 「不是数字」: it is a number, too large.
#[test]
fn huge_tiny_and_odd_numbers_say_what_is_wrong() {
    let goal = |weight: &str| format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = {weight}\n");
    for (weight, message) in [
        (
            "1e30",
            "分值（weight）「1e30」太大：超出可精确计算的范围（绝对值须小于 7.9×10²⁸，即 28 位整数）",
        ),
        (
            "-1e30",
            "分值（weight）「-1e30」太大：超出可精确计算的范围（绝对值须小于 7.9×10²⁸，即 28 位整数）",
        ),
        (
            "1e-30",
            "分值（weight）「1e-30」的小数位数过多：超出可精确计算的范围（最多 28 位小数）",
        ),
        ("inf", "分值（weight）「inf」不是一个有限的数"),
        ("-inf", "分值（weight）「-inf」不是一个有限的数"),
        ("nan", "分值（weight）「nan」不是一个有限的数"),
        (
            "1.23456789012345678901234567890",
            "分值（weight）「1.23456789012345678901234567890」的有效数字过多：最多 28 位有效数字",
        ),
        ("\"1e30\"", "不支持科学计数法：「1e30」"),
        (
            "\"99999999999999999999999999999\"",
            "数字「99999999999999999999999999999」超出可精确表示的范围（最多 28 位有效数字）",
        ),
    ] {
        let text = goal(weight);
        let e = only(&text, "malformed_number");
        assert_eq!(e.to_string(), message, "{weight}");
        // The label is on the literal, or inside a string on the part at fault.
        let at = match weight {
            "\"1e30\"" => "e30",
            w => w.trim_matches('"'),
        };
        assert_eq!(labels(&text, &e)[0].1, at, "{weight}");
    }
    // -0 is 0, not negative.
    let form = load(&goal("-0.0")).unwrap();
    assert_eq!(form.goals[0].weight.value, Decimal::ZERO);
    load(&goal("-0")).unwrap();
    // More digits than an integer holds: the TOML parser refuses it.
    let e = only(&goal("99999999999999999999"), "toml");
    assert_eq!(
        e.to_string(),
        "数字「99999999999999999999」超出 TOML 数字的范围"
    );
    // Targets and rates say the same.
    let e = only(&with_indicator("target = 1e30"), "malformed_number");
    assert!(e.to_string().starts_with("数字「1e30」太大"), "{e}");
    let e = only(&with_indicator("rate = 1e-30"), "malformed_number");
    assert!(
        e.to_string()
            .starts_with("完成率（rate）「1e-30」的小数位数过多"),
        "{e}"
    );
}

#[test]
fn missing_weight() {
    let text = format!(
        "{BUDGET}[[goals]]\nname = \"目标一\"\nweight = 10\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"培训人次\"\n"
    );
    let e = only(&text, "missing_weight");
    assert_eq!(e.to_string(), "指标「培训人次」没有填写分值（weight）");
    assert_eq!(
        labels(&text, &e),
        [("这个指标缺少 weight".to_owned(), "\"培训人次\"")]
    );
    let text = format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = \"\"\n");
    let e = only(&text, "missing_weight");
    assert_eq!(e.to_string(), "年度目标「目标一」没有填写分值（weight）");
}

#[test]
fn negative_value() {
    let text = with_indicator("target = \"-5人\"");
    let e = only(&text, "negative_value");
    assert_eq!(labels(&text, &e)[0].1, "\"-5人\"");
    let text = "[budget]\nplanned = -100\nexecuted = 1\n";
    let e = only(text, "negative_value");
    assert_eq!(labels(text, &e)[0].1, "-100");
    let text = format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = -1.5\n");
    let e = only(&text, "negative_value");
    assert_eq!(labels(&text, &e)[0].1, "-1.5");
    let text = with_indicator("entries = [{ fund = \"-1万元\" }]");
    only(&text, "negative_value");
}

#[test]
fn budget_not_number() {
    let text = "[budget]\nplanned = \"95%\"\nexecuted = \"很多\"\n";
    let errs = errors(text);
    assert_eq!(
        errs.iter().map(code).collect::<Vec<_>>(),
        ["jixiao::form::budget_not_number"; 2]
    );
    assert_eq!(labels(text, &errs[0])[0].1, "\"95%\"");
    assert_eq!(
        errs[1].to_string(),
        "执行数（executed）应为金额数字，实际是「很多」"
    );
    only(
        "[budget]\nplanned = \"\"\nexecuted = 1\n",
        "budget_not_number",
    );
    only(
        "[budget]\nplanned = \"≥100\"\nexecuted = 1\n",
        "budget_not_number",
    );
}

#[test]
fn bad_rate() {
    for (rate, labelled) in [
        ("rate = \"满意\"", "\"满意\""),
        ("rate = \"120%\"", "\"120%\""),
        ("rate = 1.5", "1.5"),
        ("rate = \"85元\"", "\"85元\""),
        ("rate = \"≥85%\"", "\"≥85%\""),
        ("rate = [1]", "[1]"),
        ("rate = -0.1", "-0.1"),
    ] {
        let text = with_indicator(&format!("tier = \"达成\"\n{rate}"));
        let e = only(&text, "bad_rate");
        assert_eq!(labels(&text, &e)[0].1, labelled);
    }
    for ok in [
        "rate = 1",
        "rate = 0",
        "rate = \"0.5\"",
        "rate = \"100%\"",
        "rate = \"\"",
    ] {
        load(&with_indicator(ok)).unwrap();
    }
}

#[test]
fn bad_number() {
    let text = format!("{BUDGET}[[goals]]\nname = \"目标一\"\nweight = \"十分\"\n");
    let e = only(&text, "bad_number");
    assert_eq!(e.to_string(), "分值（weight）应为数字，实际是「十分」");
    assert_eq!(labels(&text, &e)[0].1, "\"十分\"");
    only(
        &format!("{BUDGET}[[goals]]\nname = \"a\"\nweight = \"5%\"\n"),
        "bad_number",
    );
    only(
        &format!("{BUDGET}[[goals]]\nname = \"a\"\nweight = \"5人\"\n"),
        "bad_number",
    );
    only(
        &format!("{BUDGET}[[goals]]\nname = \"a\"\nweight = 1\nreported = true\n"),
        "bad_number",
    );
    only(
        &format!("[form]\nreported_total = \"满分\"\n{BUDGET}"),
        "bad_number",
    );
    let text = with_indicator("entries = [{ fund = \"较多\" }]");
    let e = only(&text, "bad_number");
    assert_eq!(labels(&text, &e)[0].1, "\"较多\"");
}
