//! Tests of units: mismatches, bare numbers beside units, declared units, kinds.

use super::*;

#[test]
fn unit_mismatch() {
    let text = with_indicator("target = \"100人\"\nactual = \"100件\"");
    let e = only(&text, "unit_mismatch");
    assert_eq!(
        e.to_string(),
        "目标值与实际完成值的单位不一致：「100人」与「100件」"
    );
    assert_eq!(
        labels(&text, &e),
        [
            ("单位「人」".to_owned(), "\"100人\""),
            ("单位「件」".to_owned(), "\"100件\"")
        ]
    );
    // Multipliers are not units; a multiplier without a unit agrees with any unit.
    load(&with_indicator(
        "target = \"1.2万人次\"\nactual = \"9600人次\"",
    ))
    .unwrap();
    load(&with_indicator("target = \"1.2万\"\nactual = \"9600人次\"")).unwrap();
    // Bare numbers agree with bare numbers.
    load(&with_indicator("target = \"≥100\"\nactual = 90")).unwrap();
    // Across entries: targets and actuals of all entries, and the funds.
    let text = with_indicator(
        "entries = [{ fund = \"1万元\", target = \"5人\" }, { fund = \"2万元\", target = \"3人\", actual = \"4件\" }]",
    );
    let e = only(&text, "unit_mismatch");
    assert_eq!(labels(&text, &e)[0].1, "\"5人\"");
    assert_eq!(labels(&text, &e)[1].1, "\"4件\"");
    let text = with_indicator("entries = [{ fund = \"1万元\" }, { fund = \"2万美元\" }]");
    let e = only(&text, "unit_mismatch");
    assert_eq!(
        e.to_string(),
        "同一指标各资金来源的金额的单位不一致：「1万元」与「2万美元」"
    );
    // Budget amounts.
    let text = "[budget]\nplanned = \"100万元\"\nexecuted = \"90万美元\"\n";
    only(text, "unit_mismatch");
    // An invisible character in a unit is named.
    let text = with_indicator("target = \"100人\u{3000}次\"\nactual = \"100人次\"");
    let e = only(&text, "unit_mismatch");
    assert_eq!(
        e.to_string(),
        "目标值与实际完成值的单位不一致：「100人\u{3000}次」（含全角空格 U+3000）与「100人次」"
    );
}

/// `100` beside `90万元` scored 80 of 80; `12174.8万元` beside `11000` scored the
/// budget 0: whether a bare number is 100 or 100 万 the form must say.
#[test]
fn a_bare_number_beside_a_unit_or_multiplier_is_a_mismatch() {
    let text = with_indicator("target = \"100\"\nactual = \"90万元\"");
    let e = only(&text, "unit_mismatch");
    assert_eq!(
        e.to_string(),
        "目标值与实际完成值的单位不一致：「100」不带单位，「90万元」带单位「万元」"
    );
    assert_eq!(
        labels(&text, &e),
        [
            ("不带单位".to_owned(), "\"100\""),
            ("单位「万元」".to_owned(), "\"90万元\"")
        ]
    );
    assert_eq!(
        e.help().unwrap().to_string(),
        "表单没有说明不带单位的数以什么单位计：「100」是 100，还是 100万元？请写上单位，如「100万元」；若这一栏不带单位的数都以同一单位计，可在该指标中写 unit = \"万元\""
    );

    let text = "[budget]\nplanned = \"12174.8万元\"\nexecuted = 11000\n";
    let e = only(text, "unit_mismatch");
    assert_eq!(
        e.to_string(),
        "预算数与执行数的单位不一致：「12174.8万元」带单位「万元」，「11000」不带单位"
    );
    assert_eq!(
        labels(text, &e),
        [
            ("单位「万元」".to_owned(), "\"12174.8万元\""),
            ("不带单位".to_owned(), "11000")
        ]
    );
    assert!(
        e.help()
            .unwrap()
            .to_string()
            .ends_with("可在 [budget] 中写 unit = \"万元\"")
    );

    // A multiplier alone is a scale too; a TOML number is bare.
    let text = with_indicator("target = 12000\nactual = \"1.2万\"");
    let e = only(&text, "unit_mismatch");
    assert_eq!(labels(&text, &e)[1].0, "倍数「万」");
    only(
        &with_indicator("target = 12000\nactual = \"9600人次\""),
        "unit_mismatch",
    );

    // Funds: 100万元 beside 50.
    let text = with_indicator("entries = [{ fund = \"100万元\" }, { fund = 50 }]");
    let e = only(&text, "unit_mismatch");
    assert!(
        e.help()
            .unwrap()
            .to_string()
            .ends_with("可在该指标中写 fund_unit = \"万元\"")
    );
    // Targets and actuals inside entries: every bare one is named.
    let text = with_indicator(
        "entries = [{ fund = 1, target = \"5\", actual = \"5\" }, { fund = 2, target = \"3人\", actual = \"4人\" }]",
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 2);
    assert_eq!(labels(&text, &errs[0])[0], ("不带单位".to_owned(), "\"5\""));
    assert_eq!(labels(&text, &errs[1])[0].1, "\"5\"");
}

#[test]
fn a_declared_unit_gives_bare_numbers_their_unit() {
    // [budget] unit = "万元": 11000 is 110,000,000 元, beside 12174.8万元.
    let text = "[budget]\nunit = \"万元\"\nplanned = \"12174.8万元\"\nexecuted = 11000\n";
    let form = load(text).unwrap();
    assert_eq!(
        form.budget.executed.quantity().unwrap().number,
        dec("110000000")
    );
    assert_eq!(form.budget.executed.quantity().unwrap().unit, "元");
    assert_eq!(&*form.budget.executed.raw, "11000");
    // An indicator's unit covers its entries' targets and actuals; fund_unit the funds.
    let text = with_indicator(
        "unit = \"人次\"\nfund_unit = \"万元\"\nentries = [{ fund = \"100万元\", target = 5, actual = \"4人次\" }, { fund = 50, target = \"3人次\", actual = 3 }]",
    );
    let form = load(&text).unwrap();
    let e = &form.goals[0].indicators[0].entries;
    // 50 万元 = 500,000 元.
    assert_eq!(e[1].fund.quantity().unwrap().number, dec("500000"));
    assert_eq!(
        e[0].target.as_ref().unwrap().quantity().unwrap().unit,
        "人次"
    );
    // unit = "%": a bare 90 beside 95% is 90%.
    let form = load(&with_indicator(
        "unit = \"%\"\ntarget = \"≥95%\"\nactual = 90",
    ))
    .unwrap();
    let a = form.goals[0].indicators[0].actual.as_ref().unwrap();
    assert_eq!(a.quantity().unwrap().number, dec("0.9"));
    assert!(a.quantity().unwrap().percent);
    // A value with another unit disagrees with the declaration.
    let text = with_indicator("unit = \"万元\"\ntarget = \"100人\"\nactual = 90");
    let e = only(&text, "unit_mismatch");
    assert_eq!(
        e.to_string(),
        "目标值「100人」与 unit 声明的单位「万元」不一致"
    );
    assert_eq!(
        labels(&text, &e),
        [
            ("unit 声明的单位".to_owned(), "\"万元\""),
            ("单位「人」".to_owned(), "\"100人\"")
        ]
    );
    // Bad declarations.
    for (unit, reason) in [
        ("unit = \"5人\"", "单位「5人」中含有数字"),
        ("unit = \"以上\"", "单位中不能有比较：「以上」"),
        ("fund_unit = \"%\"", "金额不能以 % 计"),
    ] {
        let text = with_indicator(unit);
        let e = only(&text, "bad_unit");
        assert!(e.to_string().ends_with(&format!("（{reason}）")), "{e}");
    }
    // An empty declaration is none.
    load(&with_indicator("unit = \"\"\ntarget = 1\nactual = 1")).unwrap();
}

#[test]
fn kind_mismatch() {
    let text = with_indicator("target = \"≥95%\"\nactual = \"满意\"");
    let e = only(&text, "kind_mismatch");
    assert_eq!(
        e.to_string(),
        "目标值与实际完成值的类型不一致：「≥95%」是百分比，「满意」是文字"
    );
    assert_eq!(
        labels(&text, &e),
        [
            ("百分比".to_owned(), "\"≥95%\""),
            ("文字".to_owned(), "\"满意\"")
        ]
    );
    // 95% beside a plain 90: most likely 90%, but the form must say so.
    let text = with_indicator("target = \"95%\"\nactual = 90");
    let e = only(&text, "kind_mismatch");
    assert_eq!(labels(&text, &e)[1], ("数值".to_owned(), "90"));
    assert!(
            e.help()
                .unwrap()
                .to_string()
                .ends_with("若「90」是百分数，写成「90%」；若这一栏不带单位的数都是百分数，可在该指标中写 unit = \"%\""),
            "{e:?}"
        );
    let text = with_indicator(
        "entries = [{ fund = 1, target = \"5人\" }, { fund = 2, target = \"较好\" }]",
    );
    only(&text, "kind_mismatch");
}
