//! TOML syntax and shape errors, explained in Chinese in terms of the form's layout.
//!
//! Input: the error the `toml` crate gave for a form's text. Output: the message, help
//! and label of a [`FormError::Toml`]. A syntax error (the text is not TOML) is said in
//! Chinese from a table of the parser's messages, the original kept in parentheses where
//! a part is not in the table; a shape error (TOML, but not the form's layout: an unknown,
//! missing or mistyped key) is explained with what each key of the layout means.

use std::fmt::Write as _;

use super::load::{FormError, nearest};
use crate::source::{Source, Span};

/// What each key of the layout means, for help lines.
const KEY_DOCS: &[(&str, &str)] = &[
    (
        "form",
        "[form] 是表单信息（title、department、year、filled_on、reported_total），整个表可以省略",
    ),
    (
        "budget",
        "[budget] 是预算执行情况，必须有 planned（预算数）和 executed（执行数）",
    ),
    (
        "goals",
        "[[goals]] 是年度目标，每个目标一个 [[goals]] 表，含 name、weight、reported",
    ),
    (
        "indicators",
        "[[goals.indicators]] 是年度绩效指标，每个指标一个表，含 level1、level2、name、target、actual、weight 等",
    ),
    (
        "entries",
        "entries 是按资金来源分项的数组，如 entries = [{ fund = \"100万元\", target = \"…\", actual = \"…\" }]",
    ),
    ("title", "title 是表单标题，写成字符串"),
    ("department", "department 是单位名称，写成字符串"),
    ("year", "year 是年度，写成不加引号的整数，如 year = 2024"),
    (
        "filled_on",
        "filled_on 是填报日期，如 filled_on = 2025-03-01 或 filled_on = \"2025年3月1日\"",
    ),
    ("reported_total", "reported_total 是自评总分，写成数字"),
    (
        "planned",
        "planned 是预算数（A），如 planned = 1234.5 或 planned = \"1,234.5万元\"",
    ),
    (
        "executed",
        "executed 是执行数（B），如 executed = \"1,100万元\"",
    ),
    ("basic", "basic 是基本支出总额，写成数字"),
    ("project", "project 是项目支出总额，写成数字"),
    (
        "reported_score",
        "reported_score 是预算执行情况的自评得分，写成数字",
    ),
    (
        "name",
        "name 是年度目标或三级指标的名称，写成字符串，如 name = \"职业技能培训人次\"",
    ),
    ("weight", "weight 是分值，写成数字，如 weight = 10"),
    ("reported", "reported 是单位自评得分，写成数字"),
    ("level1", "level1 是一级指标，如 level1 = \"产出指标\""),
    ("level2", "level2 是二级指标，如 level2 = \"数量指标\""),
    (
        "target",
        "target 是年初目标值，如 target = \"4000人次\" 或 target = \"≥95%\"",
    ),
    (
        "actual",
        "actual 是实际完成值，如 actual = \"3916人次\"；未评价的留空",
    ),
    (
        "direction",
        "direction 是指标方向：\"positive\"（正向）或 \"negative\"（反向）",
    ),
    (
        "tier",
        "tier 是定性指标的评价档次，写成字符串，如 tier = \"达成\"",
    ),
    (
        "rate",
        "rate 是定性指标的完成率，如 rate = \"85%\" 或 rate = 0.85",
    ),
    ("fund", "fund 是该资金来源的金额，如 fund = \"100万元\""),
    (
        "unit",
        "unit 说明不带单位的数以什么单位计，写在 [budget] 或指标中，如 unit = \"万元\"、unit = \"人次\"、unit = \"%\"",
    ),
    (
        "fund_unit",
        "fund_unit 说明指标各资金来源中不带单位的金额以什么单位计，如 fund_unit = \"万元\"",
    ),
];

/// Chinese column headings people may type as keys, and the key each stands for.
const ALIASES: &[(&str, &str)] = &[
    ("表单", "form"),
    ("标题", "title"),
    ("单位", "department"),
    ("单位名称", "department"),
    ("年度", "year"),
    ("填报日期", "filled_on"),
    ("总分", "reported_total"),
    ("预算", "budget"),
    ("预算执行情况", "budget"),
    ("预算数", "planned"),
    ("年初预算数", "planned"),
    ("执行数", "executed"),
    ("全年执行数", "executed"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("年度目标", "goals"),
    ("目标", "goals"),
    ("指标", "indicators"),
    ("绩效指标", "indicators"),
    ("名称", "name"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "reported"),
    ("自评得分", "reported"),
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("目标值", "target"),
    ("年度指标值", "target"),
    ("年初目标值", "target"),
    ("实际值", "actual"),
    ("实际完成值", "actual"),
    ("全年实际值", "actual"),
    ("方向", "direction"),
    ("档次", "tier"),
    ("完成率", "rate"),
    ("资金来源", "entries"),
    ("资金", "fund"),
    ("金额", "fund"),
    ("计量单位", "unit"),
];

const SYNTAX_HELP: &str = "检查这一处的 TOML 写法：字符串用英文双引号括起来（如 target = \"4000人次\"），键与值之间用 =，表头写成 [budget]、[[goals]]、[[goals.indicators]]";
const LAYOUT_HELP: &str =
    "表单由 [form]（可省略）、[budget]、[[goals]] 和 [[goals.indicators]] 组成，键名见 README";

fn key_doc(key: &str) -> Option<&'static str> {
    KEY_DOCS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|&(_, doc)| doc)
}

/// The TOML error as a diagnostic: a syntax error, or a shape error explained in terms of
/// the layout.
pub(super) fn toml_error(source: &Source, e: &toml::de::Error) -> FormError {
    let span = e
        .span()
        .map(Span::from)
        .filter(|s| source.text().get(s.start..s.end).is_some());
    let syntax = toml::from_str::<toml::Table>(source.text()).is_err();
    let (message, help, label) = if syntax {
        explain_syntax(source, e.message(), span)
    } else {
        explain_shape(source, e.message(), span)
    };
    FormError::Toml {
        message,
        help,
        label,
        span: span.map(Into::into),
        src: source.named(),
    }
}

/// A syntax error, with a specific help for the two mistakes people make most: a
/// Chinese column heading as a key, and a number too large for TOML.
fn explain_syntax(source: &Source, message: &str, span: Option<Span>) -> (String, String, String) {
    let here = span.map_or("", |s| source.slice(s)).trim();
    if let Some(&(_, key)) = ALIASES.iter().find(|(alias, _)| *alias == here) {
        let mut help = format!("键名要用英文：「{here}」应写作 {key}");
        if let Some(doc) = key_doc(key) {
            let _ = write!(help, "（{doc}）");
        }
        return (
            format!("TOML 语法错误：键名「{here}」不能直接用中文"),
            help,
            "这里".to_owned(),
        );
    }
    let numeric = here.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
    if numeric && (message.contains("overflow") || message.contains("i128")) {
        return (
            format!("数字「{here}」超出 TOML 数字的范围"),
            format!("加上引号写成字符串，如 \"{here}\"，或改用「万」「亿」等单位"),
            "数字过大".to_owned(),
        );
    }
    (
        format!("TOML 语法错误：{message}"),
        SYNTAX_HELP.to_owned(),
        "这里".to_owned(),
    )
}

/// The names between backticks in a serde message, such as
/// ``unknown field `x`, expected `a` or `b` ``.
fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

fn explain_shape(source: &Source, message: &str, span: Option<Span>) -> (String, String, String) {
    if message.starts_with("unknown field") {
        let names = backticked(message);
        let (unknown, expected) = names
            .split_first()
            .map_or(("", &[][..]), |(u, rest)| (*u, rest));
        let mut help = if expected.is_empty() {
            "这里不应有键".to_owned()
        } else {
            format!("这里可用的键：{}", expected.join("、"))
        };
        let alias = ALIASES
            .iter()
            .find(|(a, k)| *a == unknown && expected.contains(k))
            .map(|&(_, k)| k);
        if let Some(near) = alias.or_else(|| nearest(unknown, expected)) {
            let _ = write!(help, "。您是否想写 {near}？");
            if let Some(doc) = key_doc(near) {
                let _ = write!(help, "（{doc}）");
            }
        }
        return (
            format!("未知的键「{unknown}」"),
            help,
            "未知的键".to_owned(),
        );
    }
    if message.starts_with("missing field") {
        let key = backticked(message).first().copied().unwrap_or("");
        let help =
            key_doc(key).map_or_else(|| LAYOUT_HELP.to_owned(), |doc| format!("请补上：{doc}"));
        return (
            format!("缺少必填的键「{key}」"),
            help,
            format!("这里缺少 {key}"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        let key = span.and_then(|s| key_at(source, s));
        let what = key.map_or_else(String::new, |k| format!("{k} "));
        let help = key
            .and_then(key_doc)
            .map_or_else(|| LAYOUT_HELP.to_owned(), ToOwned::to_owned);
        return (
            format!(
                "{what}的类型不对：应为{}，实际是{}",
                expected_cn(expected),
                found_cn(found)
            ),
            help,
            "类型不对".to_owned(),
        );
    }
    (
        format!("表单结构有误：{message}"),
        LAYOUT_HELP.to_owned(),
        "这里".to_owned(),
    )
}

/// The key a value or table at `span` belongs to: `key = value` on the same line, or the
/// last name of a `[table]` header.
fn key_at(source: &Source, span: Span) -> Option<&str> {
    let text = source.text();
    let here = source.slice(span);
    if let Some(header) = here.strip_prefix('[') {
        let name = header.trim_start_matches('[').trim_end_matches(']').trim();
        return name
            .rsplit('.')
            .next()
            .map(str::trim)
            .filter(|k| !k.is_empty());
    }
    let before = text.get(..span.start)?;
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let key = line.trim_end().strip_suffix('=')?.trim_end();
    let start = key
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    key.get(start..).filter(|k| !k.is_empty())
}

fn expected_cn(expected: &str) -> String {
    match expected {
        "a string" => "字符串（用英文双引号括起来）".to_owned(),
        "i64" | "an integer" => "不加引号的整数".to_owned(),
        "a sequence" => "数组".to_owned(),
        "a boolean" => "布尔值".to_owned(),
        e if e.starts_with("struct ") || e == "a map" => "表（如 [budget] 或 { … }）".to_owned(),
        e => e.to_owned(),
    }
}

fn found_cn(found: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("integer", "整数"),
        ("floating point", "小数"),
        ("string", "字符串"),
        ("boolean", "布尔值"),
        ("sequence", "数组"),
        ("map", "表"),
    ];
    for &(en, cn) in WORDS {
        if let Some(rest) = found.strip_prefix(en) {
            return format!("{cn}{rest}");
        }
    }
    found.to_owned()
}
