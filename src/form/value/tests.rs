//! Tests of reading values.

use std::str::FromStr;

use super::*;
use crate::form::Parsed;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn q(raw: &str) -> Quantity {
    match parse_value(raw) {
        Ok(Parsed::Quantity(q)) => q,
        other => panic!("{raw:?} gave {other:?}"),
    }
}

/// Asserts a quantity: comparison, number (as a decimal string), percent, unit.
fn check(raw: &str, cmp: Cmp, number: &str, percent: bool, unit: &str) {
    let got = q(raw);
    assert_eq!(
        (got.cmp, got.number, got.percent, got.unit.as_str()),
        (cmp, dec(number), percent, unit),
        "parsing {raw:?}"
    );
}

fn text(raw: &str) -> String {
    match parse_value(raw) {
        Ok(Parsed::Text(t)) => t,
        other => panic!("{raw:?} gave {other:?}"),
    }
}

/// The error and the text of `raw` it points at.
fn err(raw: &str) -> (ParseValueError, &str) {
    match parse_value(raw) {
        Err(e) => {
            let bad = &raw[e.offset.clone()];
            (e, bad)
        }
        Ok(p) => panic!("{raw:?} parsed as {p:?}"),
    }
}

#[test]
fn examples_from_forms() {
    check("4000人次", Cmp::None, "4000", false, "人次");
    // 1,234.5 × 10^4 = 12,345,000
    check("1,234.5万元", Cmp::None, "12345000", false, "元");
    // 48.8 × 10^4 = 488,000
    check("48.8万张", Cmp::None, "488000", false, "张");
    // 1.5 × 10^8 = 150,000,000
    check("1.5亿元", Cmp::None, "150000000", false, "元");
    check("95%", Cmp::None, "0.95", true, "");
    check("≥95%", Cmp::Ge, "0.95", true, "");
    // 120 × 10^4 = 1,200,000
    check("≤120万元", Cmp::Le, "1200000", false, "元");
    check("<=3天", Cmp::Le, "3", false, "天");
    check("=100%", Cmp::Eq, "1", true, "");
    // 146.2 × 10^4 = 1,462,000
    check("146.2万", Cmp::None, "1462000", false, "");
    check("12174.8", Cmp::None, "12174.8", false, "");
    for t in ["明显提高", "长期", "满意", "显著提高"] {
        assert_eq!(text(t), t);
    }
}

#[test]
fn exact_arithmetic() {
    assert_eq!(q("1.5亿").number, Decimal::new(150_000_000, 0));
    assert_eq!(q("48.8万").number, Decimal::new(488_000, 0));
    // 1466.4408 × 10^4 = 14,664,408
    assert_eq!(q("1466.4408万").number, Decimal::new(14_664_408, 0));
    // 0.5 / 100 = 0.005
    assert_eq!(q("0.5%").number, Decimal::new(5, 3));
    // 0.1 + 0.2 is exactly 0.3 here, unlike in binary floating point.
    assert_eq!(q("0.1").number + q("0.2").number, Decimal::new(3, 1));
    // 1.2 × 10^4 = 12,000; 9600 stays 9600; both in 人次.
    assert_eq!(
        q("1.2万人次"),
        Quantity {
            cmp: Cmp::None,
            number: dec("12000"),
            percent: false,
            multiplier: Some("万"),
            unit: "人次".into()
        }
    );
    // Normalized: trailing zeros go, so 12000.00 prints as 12000.
    assert_eq!(q("12000.00").number.to_string(), "12000");
    assert_eq!(q("1.50万").number.to_string(), "15000");
    // The multipliers: 千 10^3, 百万 10^6, 千万 10^7, 亿 10^8, 万亿 10^12.
    assert_eq!(q("2千").number, dec("2000"));
    assert_eq!(q("2百万").number, dec("2000000"));
    assert_eq!(q("2千万元").number, dec("20000000"));
    assert_eq!(q("2千万元").unit, "元");
    assert_eq!(q("2亿").number, dec("200000000"));
    assert_eq!(q("2万亿元").number, dec("2000000000000"));
    // 28 significant digits still fit.
    assert_eq!(
        q("1234567890123456789012345678").number,
        dec("1234567890123456789012345678")
    );
    // -0 normalizes to 0.
    assert_eq!(q("-0").number, Decimal::ZERO);
    assert!(!q("-0").number.is_sign_negative());
}

#[test]
fn every_comparison() {
    let cases = [
        ("≥", Cmp::Ge),
        ("≧", Cmp::Ge),
        (">=", Cmp::Ge),
        ("＞＝", Cmp::Ge),
        ("不低于", Cmp::Ge),
        ("不少于", Cmp::Ge),
        ("不小于", Cmp::Ge),
        ("至少", Cmp::Ge),
        ("最少", Cmp::Ge),
        ("大于等于", Cmp::Ge),
        ("大于或等于", Cmp::Ge),
        ("≤", Cmp::Le),
        ("≦", Cmp::Le),
        ("<=", Cmp::Le),
        ("＜＝", Cmp::Le),
        ("不高于", Cmp::Le),
        ("不超过", Cmp::Le),
        ("不多于", Cmp::Le),
        ("不大于", Cmp::Le),
        ("至多", Cmp::Le),
        ("最多", Cmp::Le),
        ("小于等于", Cmp::Le),
        ("小于或等于", Cmp::Le),
        (">", Cmp::Gt),
        ("＞", Cmp::Gt),
        ("大于", Cmp::Gt),
        ("高于", Cmp::Gt),
        ("超过", Cmp::Gt),
        ("多于", Cmp::Gt),
        ("<", Cmp::Lt),
        ("＜", Cmp::Lt),
        ("小于", Cmp::Lt),
        ("低于", Cmp::Lt),
        ("少于", Cmp::Lt),
        ("不足", Cmp::Lt),
        ("=", Cmp::Eq),
        ("＝", Cmp::Eq),
        ("==", Cmp::Eq),
    ];
    for (prefix, cmp) in cases {
        check(&format!("{prefix}90%"), cmp, "0.9", true, "");
        check(&format!("  {prefix} 12 人 "), cmp, "12", false, "人");
    }
    check("95%以上", Cmp::Ge, "0.95", true, "");
    check("95 % 以上", Cmp::Ge, "0.95", true, "");
    check("3天以内", Cmp::Le, "3", false, "天");
    check("3 天 以下", Cmp::Le, "3", false, "天");
    check("100万元以上", Cmp::Ge, "1000000", false, "元");
    check("60以下", Cmp::Le, "60", false, "");
    check("5万以上", Cmp::Ge, "50000", false, "");
    check("95%及以上", Cmp::Ge, "0.95", true, "");
    check("3天及以下", Cmp::Le, "3", false, "天");
}

/// The words of issue #15, as departments write them: `以上` and `以下` include the
/// number (≥, ≤), `少于` excludes it (<), `不超过` includes it (≤).
#[test]
fn chinese_comparison_words() {
    check("至少95%", Cmp::Ge, "0.95", true, "");
    check("不少于95%", Cmp::Ge, "0.95", true, "");
    check("不低于95%", Cmp::Ge, "0.95", true, "");
    check("少于5起", Cmp::Lt, "5", false, "起");
    check("不超过3天", Cmp::Le, "3", false, "天");
    check("100人以上", Cmp::Ge, "100", false, "人");
    check("3天以下", Cmp::Le, "3", false, "天");
    // Followed by text, a comparison word is the start of a sentence, not a number.
    assert_eq!(text("至少一次"), "至少一次");
    assert_eq!(text("少于上年"), "少于上年");
    // Written both before and after: which one was meant is not for us to guess.
    let (e, bad) = err("至少95%以上");
    assert_eq!(bad, "以上");
    assert_eq!(e.message, "比较写了两次：前面的「至少」和后面的「以上」");
    let (_, bad) = err("少于5起以下");
    assert_eq!(bad, "以下");
}

#[test]
fn multipliers_are_remembered() {
    let big = q("1.5万元");
    assert_eq!((big.multiplier, big.unit.as_str()), (Some("万"), "元"));
    assert_eq!(big.suffix(), "万元");
    assert!(!big.is_bare());
    assert!(q("≥100").is_bare());
    assert!(!q("100人").is_bare());
    assert!(!q("5%").is_bare());
    assert!(!q("3千").is_bare());
    assert_eq!(q("≥95%").suffix(), "%");
    assert_eq!(q("100").suffix(), "");
}

#[test]
fn declared_units() {
    let s = parse_scale("万元").unwrap();
    assert_eq!(
        (s.multiplier, s.percent, s.unit.as_str()),
        (Some(("万", 4)), false, "元")
    );
    // 11000 万元 = 110,000,000 元.
    assert_eq!(s.apply(dec("11000")), Some(dec("110000000")));
    assert_eq!(s.written(), "万元");
    let p = parse_scale(" % ").unwrap();
    // 90 % = 0.9.
    assert_eq!(p.apply(dec("90")), Some(dec("0.9")));
    assert_eq!(p.written(), "%");
    assert_eq!(parse_scale("人次").unwrap().apply(dec("5")), Some(dec("5")));
    assert_eq!(parse_scale("亿").unwrap().unit, "");
    // 10^21 × 10^8 does not fit.
    assert_eq!(
        parse_scale("亿元")
            .unwrap()
            .apply(dec("1000000000000000000000")),
        None
    );
    for (bad, part) in [
        ("", ""),
        ("以上", "以上"),
        ("万%", "万%"),
        ("2人", "2人"),
        ("%元", "元"),
    ] {
        let e = parse_scale(bad).expect_err(bad);
        assert_eq!(&bad[e.offset.clone()], part, "{bad}: {}", e.message);
    }
}

#[test]
fn symbols_and_ascii() {
    let all = [Cmp::None, Cmp::Ge, Cmp::Le, Cmp::Gt, Cmp::Lt, Cmp::Eq];
    let symbols: Vec<_> = all.iter().map(|c| c.symbol()).collect();
    let ascii: Vec<_> = all.iter().map(|c| c.ascii()).collect();
    assert_eq!(symbols, ["", "≥", "≤", ">", "<", "="]);
    assert_eq!(ascii, ["", ">=", "<=", ">", "<", "="]);
}

#[test]
fn full_width() {
    // １，２３４．５万元 is 1,234.5 万元 = 12,345,000 元.
    check("１，２３４．５万元", Cmp::None, "12345000", false, "元");
    check("≥９５％", Cmp::Ge, "0.95", true, "");
    check("＜＝　３天", Cmp::Le, "3", false, "天");
    check("９５％以上", Cmp::Ge, "0.95", true, "");
}

#[test]
fn whitespace_between_parts() {
    check(" ≥ 1,234.5 万 元 ", Cmp::Ge, "12345000", false, "元");
    check("\t95 %\n", Cmp::None, "0.95", true, "");
    check("4000 人 次", Cmp::None, "4000", false, "人 次");
}

#[test]
fn negative_numbers_parse() {
    check("-5%", Cmp::None, "-0.05", true, "");
    check("－3天", Cmp::None, "-3", false, "天");
    check("≥-1.5万", Cmp::Ge, "-15000", false, "");
}

#[test]
fn text_values() {
    assert_eq!(text("  明显提高 "), "明显提高");
    assert_eq!(text(""), "");
    assert_eq!(text("   "), "");
    assert_eq!(text("-"), "-");
    assert_eq!(text("约100人"), "约100人");
    assert_eq!(text("%"), "%");
    // A comparison word before text is text: 不低于上年水平 is a common target.
    assert_eq!(text("不低于上年水平"), "不低于上年水平");
    assert_eq!(text("高于全国平均"), "高于全国平均");
    assert_eq!(text("以上"), "以上");
    for garbage in [
        "@#$%^&*",
        "🙂🙂",
        "\u{0}\u{1}",
        "ab12",
        "一二三",
        "按期完成",
        "\u{feff}x",
        "N/A",
    ] {
        assert_eq!(text(garbage), garbage.trim());
    }
}

#[test]
fn comparison_without_number() {
    let (e, bad) = err("≥很多");
    assert_eq!(bad, "很多");
    assert!(e.message.contains('≥'), "{}", e.message);
    let (_, bad) = err("≥");
    assert_eq!(bad, "≥");
    let (_, bad) = err(" >= 大量 ");
    assert_eq!(bad, "大量");
    let (_, bad) = err("=-");
    assert_eq!(bad, "-");
}

#[test]
fn malformed_numbers() {
    let cases = [
        ("1,23", "1,23"),
        ("1,2345", "1,2345"),
        ("1234,567", "1234,567"),
        ("1,234,56万元", "1,234,56"),
        ("1,", "1,"),
        ("12.3.4", "12.3.4"),
        ("12.", "12."),
        ("1.234,5", "1.234,5"),
        (".5", ".5"),
        ("3天2小时", "天2小时"),
        ("3天２小时", "天２小时"),
        ("2024年12月", "年12月"),
        ("95%完成", "完成"),
        ("95% 左右", "左右"),
        ("5万%", "万%"),
        ("5 元%", "元%"),
        ("1e30", "e30"),
        ("1.5E-3元", "E-3"),
        ("≥95%以上", "以上"),
        ("不少于3天以内", "以内"),
    ];
    for (raw, bad_part) in cases {
        let (e, bad) = err(raw);
        assert_eq!(bad, bad_part, "{raw:?}: {}", e.message);
        assert!(!e.message.is_empty() && !e.help.is_empty());
    }
}

#[test]
fn too_large_numbers_are_errors() {
    // 29 significant digits do not fit a 96-bit mantissa exactly.
    let (_, bad) = err("12345678901234567890123456789");
    assert_eq!(bad, "12345678901234567890123456789");
    let huge = "9".repeat(300);
    let (e, bad) = err(&huge);
    assert_eq!(bad, huge);
    assert!(e.message.contains("28"));
    let tiny = format!("0.{}1%", "0".repeat(300));
    let (_, bad) = err(&tiny);
    assert!(bad.starts_with("0.000"));
    // 7.9 × 10^28 is the largest decimal; 10^21 × 10^8 overflows.
    let (_, bad) = err("1000000000000000000000亿");
    assert_eq!(bad, "1000000000000000000000亿");
    // 27 decimal places, then / 100 would need 29.
    let precise = format!("0.{}1%", "0".repeat(26));
    let (_, bad) = err(&precise);
    assert_eq!(bad, format!("0.{}1", "0".repeat(26)));
}

#[test]
fn no_panics_on_odd_input() {
    let samples = [
        "≥",
        "≥ ",
        "1",
        "1%",
        "1万",
        "1 万 %",
        ",",
        "1,,000",
        "1,000,",
        "１．",
        "－",
        "--1",
        "-.5",
        "0x10",
        "1e3",
        "以上以上",
        "1以上以上",
        "🙂1",
        "1🙂",
        "1\u{0}",
        "\u{3000}１\u{3000}",
    ];
    for s in samples {
        let _ = parse_value(s);
    }
    // Every byte offset of an error lies on a char boundary of the input.
    for s in ["1,23🙂", "１，２３", "≥🙂", "5万％", "3天２小时以内"] {
        if let Err(e) = parse_value(s) {
            assert!(s.get(e.offset.clone()).is_some(), "{s:?} {:?}", e.offset);
        }
    }
}
