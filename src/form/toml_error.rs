//! TOML syntax and shape errors, explained in Chinese in terms of the form's layout.
//!
//! Input: the error the `toml` crate gave for a form's text. Output: the message, help
//! and label of a [`FormError::Toml`]. A syntax error (the text is not TOML) is said in
//! Chinese from a table of the parser's messages, the original kept in parentheses where
//! a part is not in the table; a shape error (TOML, but not the form's layout: an unknown,
//! missing or mistyped key) is explained with what each key of the layout means.

use std::fmt::Write as _;

use super::error::FormError;
use crate::source::{Source, Span};
use crate::suggest::did_you_mean;
use crate::syntax::vocabulary::form_key;
use crate::text::{char_shown, invisible_name, quoted};

/// What each key of the layout means, for help lines.
const KEY_DOCS: &[(&str, &str)] = &[
    (
        "form",
        "[form] 是表单信息（title、department、year、filled_on、reported_total、rules），整个表可以省略",
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
        "rules",
        "rules 是本表单适用的计分规则，写成规则集的名称（规则文件 rules 行的名称），如 rules = \"hubei-2021\"",
    ),
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
    if let Some(key) = form_key(here) {
        let mut help = format!("键名要用英文：{}应写作 {key}", quoted(here));
        if let Some(doc) = key_doc(key) {
            let _ = write!(help, "（{doc}）");
        }
        return (
            format!("TOML 语法错误：键名{}不能直接用中文", quoted(here)),
            help,
            "这里".to_owned(),
        );
    }
    // Another Chinese key: a fact for the rules (`"单位类型" = "行政单位"`), unquoted.
    let at_line_start = span.is_some_and(|s| {
        let before = source.text().get(..s.start).unwrap_or("");
        before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .trim()
            .is_empty()
    });
    if at_line_start && !here.is_ascii() && here.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return (
            format!("TOML 语法错误：键名{}含中文，要加英文双引号", quoted(here)),
            format!(
                "写成 \"{here}\" = …；[form] 中的表单信息按规则中 fact（表单信息）声明的名称写，如 \"单位类型\" = \"行政单位\""
            ),
            "这里".to_owned(),
        );
    }
    let numeric = here.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
    if numeric && (message.contains("overflow") || message.contains("i128")) {
        return (
            format!("数字{}超出 TOML 数字的范围", quoted(here)),
            format!("加上引号写成字符串，如 \"{here}\"，或改用「万」「亿」等单位"),
            "数字过大".to_owned(),
        );
    }
    let said = syntax_in_chinese(message);
    let colon = if said.starts_with('（') { "" } else { "：" };
    let mut text = format!("TOML 语法错误{colon}{said}");
    // A character that cannot be seen where the parser stopped is named.
    let at = span.map(|s| {
        let covered = source.slice(s);
        let next = source.text().get(s.start..).unwrap_or("");
        if covered.is_empty() {
            next.chars().take(1).collect::<String>()
        } else {
            covered.to_owned()
        }
    });
    let hidden = at
        .unwrap_or_default()
        .chars()
        .find(|&c| invisible_name(c).is_some() && !matches!(c, '\n' | '\r' | '\t' | ' '));
    if let Some(c) = hidden {
        let _ = write!(text, "（这里有看不见的字符：{}）", char_shown(c));
    }
    let help = if here.contains(['“', '”', '‘', '’']) {
        format!(
            "字符串要用英文双引号 \" 括起来，不能用中文引号“ ”或‘ ’：把{}改成 \"{}\"",
            quoted(here),
            here.trim_matches(['“', '”', '‘', '’'])
        )
    } else if message.starts_with("string values must be quoted") {
        format!(
            "文字要用英文双引号括起来，如 \"{}\"；数字不加引号时只能是普通的数，如 4000 或 12174.8",
            here
        )
    } else {
        SYNTAX_HELP.to_owned()
    };
    (text, help, "这里".to_owned())
}

/// The `toml` crate's syntax messages (the part before `, expected …`) in Chinese.
const SYNTAX_MESSAGES: &[(&str, &str)] = &[
    ("key with no value", "键后面缺少值"),
    ("missing value for key", "键后面缺少值"),
    ("missing value", "缺少值"),
    ("string values must be quoted", "文字要用英文双引号括起来"),
    ("invalid basic string", "双引号字符串没有正确结束"),
    ("invalid literal string", "单引号字符串没有正确结束"),
    (
        "invalid multi-line basic string",
        "多行字符串（\"\"\"）没有正确结束",
    ),
    (
        "invalid multi-line literal string",
        "多行字符串（'''）没有正确结束",
    ),
    ("invalid string", "字符串无效"),
    ("missing opening quote", "缺少左引号"),
    ("missing escaped value", "反斜杠「\\」后缺少转义字符"),
    (
        "too few unicode value digits",
        "Unicode 转义的十六进制位数不够",
    ),
    ("unclosed table", "表头缺少右方括号"),
    ("unclosed array table", "表头缺少右方括号"),
    ("missing table open", "表头缺少左方括号"),
    ("invalid table", "表头无效"),
    ("unclosed array", "数组缺少右方括号"),
    ("unclosed inline table", "内联表缺少右花括号"),
    ("missing array opening", "数组缺少左方括号"),
    ("missing inline table opening", "内联表缺少左花括号"),
    (
        "missing comma between array elements",
        "数组的元素之间缺少逗号",
    ),
    (
        "missing comma between key-value pairs",
        "键值对之间缺少逗号",
    ),
    ("extra comma in array", "数组中多了一个逗号"),
    ("extra comma in inline table", "内联表中多了一个逗号"),
    ("unexpected `=` in array", "数组中不应有「=」"),
    ("missing key for inline table element", "内联表的元素缺少键"),
    ("invalid inline table element", "内联表的元素无效"),
    (
        "missing assignment between key-value pairs",
        "键与值之间缺少「=」",
    ),
    (
        "extra assignment between key-value pairs",
        "键值对之间多了一个「=」",
    ),
    ("extra `=`", "多了一个「=」"),
    ("invalid key-value pair", "键值对无效"),
    ("duplicate key", "键重复定义"),
    ("unquoted keys cannot be empty", "键名不能为空"),
    ("invalid unquoted key", "键名无效"),
    ("invalid key", "键名无效"),
    (
        "keys cannot be multi-line basic strings",
        "键名不能是多行字符串",
    ),
    (
        "keys cannot be multi-line literal strings",
        "键名不能是多行字符串",
    ),
    (
        "cannot extend value of type inline table with a dotted key",
        "内联表写完后，不能再用带点的键给它添加内容",
    ),
    (
        "cannot extend value of type array with a dotted key",
        "不能用带点的键给数组添加内容",
    ),
    ("unexpected key or value", "这里不应再有键或值"),
    ("unexpected content", "这里不应有内容"),
    (
        "unexpected content between comment and newline",
        "注释与换行之间有多余的内容",
    ),
    ("invalid comment character", "注释中有不允许的字符"),
    ("missing comment start", "缺少注释符号「#」"),
    (
        "carriage return must be followed by newline",
        "回车符（CR）后面必须是换行符（LF）",
    ),
    ("invalid value", "值无效"),
    ("invalid boolean", "布尔值无效"),
    ("invalid integer number", "整数无效"),
    ("invalid binary number", "二进制数无效"),
    ("invalid octal number", "八进制数无效"),
    ("invalid hexadecimal number", "十六进制数无效"),
    ("invalid mantissa", "数字无效"),
    ("invalid fraction", "小数部分无效"),
    ("invalid exponent", "指数部分无效"),
    ("unexpected leading zero", "数字不能以 0 开头"),
    (
        "`_` may only go between digits",
        "「_」只能写在两个数字之间",
    ),
    ("unexpected sign", "这里不应有正负号"),
    ("redundant numeric sign", "多余的正负号"),
    ("redundant integer number prefix", "多余的进制前缀"),
    ("radix must be lowercase", "进制前缀须小写"),
    (
        "integers with a radix cannot be signed",
        "带进制前缀的整数不能有正负号",
    ),
    ("invalid date", "日期无效"),
    ("invalid time", "时间无效"),
    ("invalid datetime", "日期时间无效"),
    (
        "unsupported datetime combination",
        "不支持这样的日期时间组合",
    ),
    ("nanoseconds overflowed", "秒的小数位数过多"),
    (
        "cannot recurse further; max recursion depth met",
        "嵌套层数过多",
    ),
];

/// What the parser expected, in Chinese: `` `=` `` → 「=」, `newline` → 换行,
/// `month between 01 and 12` → 01 到 12 之间的月份; `None` if it is not known.
fn expected_in_chinese(item: &str) -> Option<String> {
    const WORDS: &[(&str, &str)] = &[
        ("newline", "换行"),
        ("letters", "字母"),
        ("numbers", "数字"),
        ("digits", "数字"),
        ("value", "值"),
        ("key", "键"),
        ("literal string", "带引号的字符串"),
        ("basic string", "双引号字符串"),
        ("multi-line basic string", "多行字符串"),
        ("printable characters", "可显示的字符"),
        ("characters", "字符"),
        ("unicode hexadecimal value", "十六进制数字"),
        ("etc", "等"),
    ];
    const UNITS: &[(&str, &str)] = &[
        ("year", "年份"),
        ("month", "月份"),
        ("day", "日"),
        ("hour", "小时"),
        ("hours", "小时"),
        ("minute", "分钟"),
        ("minutes", "分钟"),
        ("second", "秒"),
    ];
    let unit = |u: &str| UNITS.iter().find(|(en, _)| *en == u).map(|&(_, cn)| cn);
    if item == "'`'" {
        return Some("「`」".to_owned());
    }
    if let Some(literal) = item.strip_prefix('`').and_then(|i| i.strip_suffix('`')) {
        return Some(format!("「{literal}」"));
    }
    if let Some(&(_, cn)) = WORDS.iter().find(|(en, _)| *en == item) {
        return Some(cn.to_owned());
    }
    // `day between 01 and 31`
    let words: Vec<&str> = item.split(' ').collect();
    if let [what, "between", low, "and", high] = words[..] {
        return Some(format!("{low} 到 {high} 之间的{}", unit(what)?));
    }
    // `a two-digit month (MM)`, `a four-digit year (YYYY)`
    if let ["a", digits, what, format] = words[..] {
        let digits = match digits {
            "two-digit" => "两位数",
            "four-digit" => "四位数",
            _ => return None,
        };
        let format = format.replace('(', "（").replace(')', "）");
        return Some(format!("{digits}的{}{format}", unit(what)?));
    }
    None
}

/// A syntax message in Chinese: `key with no value, expected `=`` is 键后面缺少值，应为「=」.
/// What the tables do not know is kept: the whole original follows in parentheses.
fn syntax_in_chinese(message: &str) -> String {
    let (description, expected) = match message.split_once(", expected ") {
        Some((d, e)) => (d, Some(e)),
        None => (message, None),
    };
    let Some(&(_, text)) = SYNTAX_MESSAGES.iter().find(|(en, _)| *en == description) else {
        return format!("（{message}）");
    };
    let mut out = text.to_owned();
    let mut complete = true;
    if let Some(expected) = expected.filter(|e| *e != "nothing") {
        let items: Vec<String> = expected
            .split(", ")
            .map(|item| {
                expected_in_chinese(item).unwrap_or_else(|| {
                    complete = false;
                    item.to_owned()
                })
            })
            .collect();
        let space = if items
            .first()
            .is_some_and(|i| i.starts_with(|c: char| c.is_ascii()))
        {
            " "
        } else {
            ""
        };
        let _ = write!(out, "，应为{space}{}", items.join("或"));
    }
    if !complete {
        let _ = write!(out, "（{message}）");
    }
    out
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
        let alias = form_key(unknown).filter(|k| expected.contains(k));
        if let Some(near) = alias.or_else(|| did_you_mean(unknown, expected.iter().copied())) {
            let _ = write!(help, "。您是否想写 {near}？");
            if let Some(doc) = key_doc(near) {
                let _ = write!(help, "（{doc}）");
            }
        }
        return (
            format!("未知的键{}", quoted(unknown)),
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
        format!("表单结构有误（{message}）"),
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
        e => format!("（{e}）"),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The message of the only error in a form's text.
    fn said(text: &str) -> String {
        match crate::form::load_form(&Source::new("form.toml", text)) {
            Ok(_) => panic!("{text:?} loaded"),
            Err(e) => {
                assert_eq!(e.errors.len(), 1, "{text:?}");
                e.errors[0].to_string()
            }
        }
    }

    #[test]
    fn the_parsers_messages_are_said_in_chinese() {
        for (text, message) in [
            ("target 4000\n", "TOML 语法错误：键后面缺少值，应为「=」"),
            (
                "filled_on = 2025-13-01\n",
                "TOML 语法错误：日期无效，应为 01 到 12 之间的月份",
            ),
            (
                "a = 2025-02-30\n",
                "TOML 语法错误：日期无效，应为 01 到 28 之间的日",
            ),
            (
                "a = 2025-1-1\n",
                "TOML 语法错误：日期无效，应为两位数的月份（MM）",
            ),
            (
                "a = 12:61:00\n",
                "TOML 语法错误：时间无效，应为 00 到 59 之间的分钟",
            ),
            (
                "target = 4000人次\n",
                "TOML 语法错误：文字要用英文双引号括起来，应为带引号的字符串",
            ),
            (
                "a = \"x\n",
                "TOML 语法错误：双引号字符串没有正确结束，应为「\"」",
            ),
            ("[budget\n", "TOML 语法错误：表头缺少右方括号，应为「]」"),
            ("a = 1\na = 2\n", "TOML 语法错误：键重复定义"),
            (
                "a = 1,\n",
                "TOML 语法错误：这里不应再有键或值，应为换行或「#」",
            ),
            ("a = 01\n", "TOML 语法错误：数字不能以 0 开头"),
            ("a = tru\n", "TOML 语法错误：布尔值无效，应为「true」"),
            ("a = [1,,2]\n", "TOML 语法错误：数组中多了一个逗号，应为值"),
            (
                "= 1\n",
                "TOML 语法错误：键名不能为空，应为字母或数字或「-」或「_」",
            ),
            (
                "a = \"\\q\"\n",
                "TOML 语法错误：反斜杠「\\」后缺少转义字符，应为「b」或「e」或「f」或「n」或「r」或「\\」或「\"」或「x」或「u」或「U」",
            ),
            (
                "a = 1979-05-27T07:32:00Z08\n",
                "TOML 语法错误：日期时间无效",
            ),
            (
                "a = {b=1}\na.c = 2\n",
                "TOML 语法错误：内联表写完后，不能再用带点的键给它添加内容",
            ),
        ] {
            assert_eq!(said(text), message, "{text:?}");
        }
    }

    #[test]
    fn what_the_table_lacks_is_kept_in_the_original() {
        assert_eq!(
            syntax_in_chinese("some new message"),
            "（some new message）"
        );
        assert_eq!(
            syntax_in_chinese("invalid date, expected a fortnight"),
            "日期无效，应为 a fortnight（invalid date, expected a fortnight）"
        );
        assert_eq!(syntax_in_chinese("duplicate key"), "键重复定义");
        assert_eq!(
            syntax_in_chinese("unexpected leading zero, expected nothing"),
            "数字不能以 0 开头"
        );
    }

    #[test]
    fn quotes_and_invisible_characters_get_their_own_words() {
        // Chinese quotation marks around a value.
        let text = "[budget]\nplanned = “100万元”\nexecuted = 1\n";
        let e = crate::form::load_form(&Source::new("f.toml", text)).unwrap_err();
        let help = miette::Diagnostic::help(&e.errors[0]).unwrap().to_string();
        assert!(help.contains("不能用中文引号“ ”"), "{help}");
        assert!(help.contains("\"100万元\""), "{help}");
        // A zero-width space after a value.
        let e = said("[budget]\nplanned = 1\u{200B}\nexecuted = 1\n");
        assert!(
            e.ends_with("（这里有看不见的字符：零宽空格 U+200B）"),
            "{e}"
        );
    }
}
