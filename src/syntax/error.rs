//! Syntax errors: a pest error turned into a diagnostic of our own, with readable token
//! names and a byte span (pest's `miette-error` feature shows one line and mixes
//! character columns with byte offsets).

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use super::parser::Rule;
use crate::source::{Source, Span};

/// A rule file that is not valid syntax.
#[derive(Debug, Error, Diagnostic)]
pub enum ParseError {
    /// pest could not parse the file.
    #[error("规则文件语法错误：{found}")]
    #[diagnostic(code(jixiao::syntax::unexpected))]
    Syntax {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// Where parsing stopped.
        #[label("此处应为 {expected}")]
        span: SourceSpan,
        /// What was found there, described.
        found: String,
        /// What would have been accepted there.
        expected: String,
        /// How to fix it.
        #[help]
        help: String,
    },
    /// Brackets, calls, conditionals or prefix operators nested too deeply.
    #[error("公式嵌套超过 {limit} 层")]
    #[diagnostic(
        code(jixiao::syntax::too_deep),
        help(
            "括号、函数调用、列表、step、if … then … else 与前置的 - 和 not 各算一层；把公式拆成几个参数（param），或用 step 代替连串的 else if；上限 {limit} 层是为防止资源耗尽"
        )
    )]
    TooDeep {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// Where the level past the limit opens.
        #[label("超过第 {limit} 层")]
        span: SourceSpan,
        /// Where the outermost level opens.
        #[label("从这里开始")]
        outer: SourceSpan,
        /// The limit.
        limit: usize,
    },
    /// One expression with too many operators.
    #[error("表达式过于复杂：运算层数超过 {limit}")]
    #[diagnostic(
        code(jixiao::syntax::too_complex),
        help("把公式拆开，先用 param 定义中间量；上限 {limit} 层是为防止资源耗尽")
    )]
    TooComplex {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// Where the limit was passed.
        #[label("超过上限")]
        span: SourceSpan,
        /// The limit.
        limit: usize,
    },
    /// A number literal rust_decimal cannot hold exactly.
    #[error("数字无法精确表示")]
    #[diagnostic(
        code(jixiao::syntax::bad_number),
        help("数字最多 28 位有效数字；请缩短它")
    )]
    BadNumber {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The literal.
        #[label("这个数字")]
        span: SourceSpan,
    },
    /// `round N` with an unreasonable N.
    #[error("保留小数位数须为 0 到 10")]
    #[diagnostic(
        code(jixiao::syntax::bad_places),
        help("例如 `round 2 half_up at indicator`")
    )]
    BadPlaces {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The number.
        #[label("位数")]
        span: SourceSpan,
    },
    /// An unknown escape in a string.
    #[error("字符串中的转义无效")]
    #[diagnostic(
        code(jixiao::syntax::bad_escape),
        help("字符串中可用的转义只有 \\\" \\\\ \\n \\t")
    )]
    BadEscape {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The escape.
        #[label("无法识别的转义")]
        span: SourceSpan,
    },
}

impl ParseError {
    pub(crate) fn from_pest(source: &Source, err: &pest::error::Error<Rule>) -> Self {
        let text = source.text();
        let start = match err.location {
            pest::error::InputLocation::Pos(p) | pest::error::InputLocation::Span((p, _)) => p,
        }
        .min(text.len());
        let (found, end) = describe_found(text, start);
        let (expected, mut help) = match &err.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                let mut names: Vec<&str> = positives.iter().filter_map(|r| rule_name(*r)).collect();
                names.sort_unstable();
                names.dedup();
                let expected = if names.is_empty() {
                    "规则的下一项".to_owned()
                } else {
                    names.join("、")
                };
                (expected, help_for(positives))
            }
            pest::error::ErrorVariant::CustomError { message } => (
                message.clone(),
                "请对照 README 中的规则语言说明修改".to_owned(),
            ),
        };
        if let Some(quotes) = quote_help(text, start) {
            help = quotes;
        }
        ParseError::Syntax {
            src: source.named(),
            span: Span::new(start, end).into(),
            found,
            expected,
            help,
        }
    }
}

/// Describes the token at `start` and finds its end (at least one character).
fn describe_found(text: &str, start: usize) -> (String, usize) {
    let rest = &text[start..];
    let Some(first) = rest.chars().next() else {
        return ("文件意外结束".to_owned(), start);
    };
    if first == '\n' || first == '\r' {
        return ("行意外结束".to_owned(), start + first.len_utf8());
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .take(40)
        .collect();
    if word.is_empty() {
        (
            format!("意外的{}", crate::text::char_shown(first)),
            start + first.len_utf8(),
        )
    } else {
        (
            format!("意外的{}", crate::text::quoted(&word)),
            start + word.len(),
        )
    }
}

/// Quotation marks that are not the language's `"`, each with the mark that closes it:
/// what a Chinese input method or a word processor types.
const OTHER_QUOTES: &[(char, char)] = &[
    ('“', '”'),
    ('”', '”'),
    ('‘', '’'),
    ('’', '’'),
    ('「', '」'),
    ('『', '』'),
    ('＂', '＂'),
    ('〝', '〞'),
    ('«', '»'),
];

/// A help line for a string written with other quotation marks: at `start` (`extends
/// “hubei-2021”`), or closing a string opened with `"` on the same line
/// (`"hubei-2021”`, which then never ends).
fn quote_help(text: &str, start: usize) -> Option<String> {
    let rest = &text[start..];
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let first = line.chars().next()?;
    let shown = crate::text::char_shown;
    if let Some(&(open, close)) = OTHER_QUOTES.iter().find(|(o, _)| *o == first) {
        let body = &line[open.len_utf8()..];
        let example = match body.find(close) {
            Some(end) => format!("写成 `\"{}\"`", crate::text::escaped(&body[..end], false)),
            None => "例如 `\"hubei-2021\"`".to_owned(),
        };
        return Some(format!(
            "字符串要用英文半角双引号 `\"` 括起来，不能用{}：{example}（切换到英文输入法再输入引号）",
            shown(open)
        ));
    }
    if first == '"' && !line[1..].contains('"') {
        let other = line[1..]
            .chars()
            .find(|c| OTHER_QUOTES.iter().any(|(o, cl)| c == o || c == cl))?;
        return Some(format!(
            "这个字符串没有结束：结尾的{}不是英文半角双引号 `\"`；两端都用 `\"`（切换到英文输入法再输入引号）",
            shown(other)
        ));
    }
    None
}

/// A readable name for a token pest expected; `None` for rules not worth naming.
fn rule_name(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::header | Rule::kw_rules => "`rules \"名称\" \"标题\"`",
        Rule::extends | Rule::kw_extends => "`extends \"基础规则\"`",
        Rule::scale | Rule::kw_scale => "`scale goals to`",
        Rule::kw_goals => "`goals`",
        Rule::kw_to => "`to`",
        Rule::kw_none => "`none`",
        Rule::step | Rule::kw_step => "`step(...)`",
        Rule::test_block | Rule::kw_test => "`test`",
        Rule::test_clause | Rule::test_indicator | Rule::kw_indicator => "`indicator`",
        Rule::test_expect | Rule::kw_expect => "`expect`",
        Rule::test_field | Rule::field_name => "指标字段（target、actual、weight 等）",
        Rule::test_entry | Rule::kw_entry => "`entry`",
        Rule::step_arm | Rule::step_cmp | Rule::step_else => {
            "分档（如 `>= 90%: 100%` 或 `else: 0`）"
        }
        Rule::param | Rule::kw_param => "`param`",
        Rule::rounding | Rule::kw_round => "`round`",
        Rule::budget | Rule::kw_budget => "`budget:`",
        Rule::aggregate | Rule::kw_aggregate => "`aggregate`",
        Rule::class | Rule::kw_class => "`class`",
        Rule::optional | Rule::kw_optional => "`optional`",
        Rule::grades | Rule::kw_grade => "`grade`",
        Rule::weight_clause | Rule::kw_weight => "`weight`",
        Rule::score_clause | Rule::kw_score => "`score`",
        Rule::cap_clause | Rule::kw_cap => "`cap`",
        Rule::guard | Rule::kw_if | Rule::conditional => "`if`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::fail | Rule::kw_error => "`error \"说明\"`",
        Rule::band | Rule::kw_band => "`band`",
        Rule::band_default | Rule::kw_default => "`default`",
        Rule::band_when | Rule::kw_when => "`when`",
        Rule::kw_at => "`at`",
        Rule::kw_for => "`for`",
        Rule::by_fund | Rule::kw_by => "`by fund`",
        Rule::kw_fund => "`fund`",
        Rule::rescale_goal | Rule::kw_rescale => "`rescale goal`",
        Rule::rescale_total | Rule::kw_total => "`rescale total`",
        Rule::kw_goal => "`goal`",
        Rule::kw_drop => "`drop`",
        Rule::round_mode => "舍入方式（half_up、half_even、down、up）",
        Rule::round_level => "舍入层级（indicator、goal、total）",
        Rule::agg_target => "汇总对象（number、percent、rate）",
        Rule::agg_method | Rule::kw_sum | Rule::kw_mean => "汇总方式（sum、mean、mean by fund）",
        Rule::class_kind => "`numbers` 或 `text`",
        Rule::optional_action => "`rescale goal`、`rescale total` 或 `drop`",
        Rule::grade_cmp => "`>=`",
        Rule::range | Rule::open => "区间（如 `[80%, 100%]`）",
        Rule::close => "`]` 或 `)`",
        Rule::expr | Rule::primary | Rule::neg | Rule::not => "表达式",
        Rule::operator => "运算符",
        Rule::number | Rule::integer => "数字",
        Rule::string => "带引号的字符串",
        Rule::ident | Rule::name => "名称",
        Rule::call | Rule::list => "表达式",
        Rule::EOI => "文件结尾",
        _ => return None,
    })
}

fn help_for(positives: &[Rule]) -> String {
    let has = |r: Rule| positives.contains(&r);
    if has(Rule::header) || has(Rule::kw_rules) {
        "规则文件须以 `rules \"名称\" \"标题\"` 开头，例如 `rules \"hubei-2021\" \"湖北省部门整体绩效自评 2021\"`".to_owned()
    } else if has(Rule::close) {
        "区间写作 `[下限, 上限]`，方括号含端点、圆括号不含，例如 `[50%, 80%)`".to_owned()
    } else if has(Rule::expr) || has(Rule::primary) {
        "这里需要一个公式或数值，例如 `weight * B / A`、`20`、`80%`".to_owned()
    } else if has(Rule::operator) {
        "公式在此处不完整或多了内容；检查是否漏了运算符或关键字".to_owned()
    } else {
        "每一项以关键字开头：param、round、budget、aggregate、class、optional、grade、scale、test；名称若是关键字请换一个".to_owned()
    }
}
