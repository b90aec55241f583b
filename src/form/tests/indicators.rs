//! Tests of indicators: missing targets, entries beside values, directions, names.

use super::*;

#[test]
fn missing_target() {
    let text = with_indicator("actual = \"3916人次\"");
    let e = only(&text, "missing_target");
    assert_eq!(
        labels(&text, &e),
        [
            ("实际完成值".to_owned(), "\"3916人次\""),
            ("这个指标没有 target".to_owned(), "\"培训人次\"")
        ]
    );
    // An empty target is absent.
    let text = with_indicator("target = \" \"\nactual = \"3916人次\"");
    only(&text, "missing_target");
    let text = with_indicator(
        "entries = [{ fund = 1, target = \"5人\", actual = \"5人\" }, { fund = 2, actual = \"4人\" }]",
    );
    let e = only(&text, "missing_target");
    assert_eq!(
        e.to_string(),
        "指标「培训人次」（第 2 项资金来源）填写了实际完成值，但没有目标值"
    );
    assert_eq!(labels(&text, &e)[0].1, "\"4人\"");
}

#[test]
fn entries_with_values() {
    let text = with_indicator(
        "target = \"5人\"\nrate = \"50%\"\nentries = [{ fund = 1, target = \"5人\" }]",
    );
    let errs = errors(&text);
    assert_eq!(
        errs.iter().map(code).collect::<Vec<_>>(),
        ["jixiao::form::entries_with_values"; 2]
    );
    assert_eq!(labels(&text, &errs[0])[0].1, "\"5人\"");
    assert_eq!(
        labels(&text, &errs[0])[1].1,
        "[{ fund = 1, target = \"5人\" }]"
    );
    assert_eq!(labels(&text, &errs[1])[0].1, "\"50%\"");
    // An empty entries list is no entries.
    load(&with_indicator("target = \"5人\"\nentries = []")).unwrap();
}

#[test]
fn bad_direction() {
    let text = with_indicator("direction = \"postive\"");
    let e = only(&text, "bad_direction");
    assert_eq!(e.to_string(), "无法识别的指标方向「postive」");
    assert!(
        e.help()
            .unwrap()
            .to_string()
            .contains("您是否想写 \"positive\"")
    );
    assert_eq!(labels(&text, &e)[0].1, "\"postive\"");
    let form = load(&with_indicator("direction = \"反向\"")).unwrap();
    assert_eq!(
        form.goals[0].indicators[0].direction,
        Some(Direction::Negative)
    );
    let form = load(&with_indicator("direction = \"Negative\"")).unwrap();
    assert_eq!(
        form.goals[0].indicators[0].direction,
        Some(Direction::Negative)
    );
    let e = only(&with_indicator("direction = \"越大越好\""), "bad_direction");
    assert!(!e.help().unwrap().to_string().contains("您是否想写"));
}

#[test]
fn empty_name() {
    let text = with_indicator("").replace("level2 = \"数量指标\"", "level2 = \"  \"");
    let e = only(&text, "empty_name");
    assert_eq!(e.to_string(), "二级指标（level2）不能为空");
    assert_eq!(labels(&text, &e)[0].1, "\"  \"");
}
