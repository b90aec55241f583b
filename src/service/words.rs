//! What each word of the rule language means, for hover and completion: a sentence in
//! Chinese and one in English for every keyword, every word that follows a keyword and
//! every built-in name of [`syntax::vocabulary`](crate::syntax::vocabulary), and the
//! built-in functions with their signatures; and the word under a cursor.
//!
//! Input: the vocabulary's entries, a text and a byte offset. Output: meanings and the
//! word's byte range. Invariants: every entry of the vocabulary whose role is a keyword, a
//! follower or a built-in has a meaning here (a unit test enforces it); the spellings come
//! from the vocabulary, never from this file.

use crate::syntax::vocabulary::{Role, WORDS, Word};

/// A meaning, in Chinese and English.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meaning {
    pub(crate) zh: &'static str,
    pub(crate) en: &'static str,
}

/// Which group of the vocabulary a meaning is for (the same English spelling, `goal`,
/// is a joiner, a round level, a built-in and an `expect` word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Keyword,
    Follower,
    /// What follows `fact NAME:` (`number`, `text`, spelled as a class's kinds are).
    FactType,
    Builtin,
}

fn group(role: Role) -> Option<Group> {
    match role {
        r if r.is_keyword() => Some(Group::Keyword),
        Role::RoundMode(_)
        | Role::RoundLevel(_)
        | Role::AggTarget(_)
        | Role::AggMethod(_)
        | Role::ClassKind(_)
        | Role::OptionalAction(_) => Some(Group::Follower),
        Role::FactType(_) => Some(Group::FactType),
        Role::Builtin => Some(Group::Builtin),
        _ => None,
    }
}

use Group::{Follower as F, Keyword as K};

/// (group, English spelling or, for `位`, the Chinese, meaning in Chinese, in English).
const MEANINGS: &[(Group, &str, &str, &str)] = &[
    (
        K,
        "rules",
        "文件头：规则集的名称和标题",
        "The header: the rule set's id and title",
    ),
    (
        K,
        "extends",
        "继承另一套规则（文件或内置规则名），只写与它不同之处",
        "Extends another rule set (a file or a bundled name), writing only what differs",
    ),
    (
        K,
        "param",
        "参数：有名字的常数，可在变体中覆盖或用 --set 改变",
        "A parameter: a named constant, overridable in a variant or with --set",
    ),
    (
        K,
        "round",
        "舍入：保留几位小数、怎样舍入、在哪一级舍入",
        "Rounding: how many places, which mode, at which level",
    ),
    (
        K,
        "budget",
        "预算执行情况的计分",
        "How the budget execution is scored",
    ),
    (
        K,
        "aggregate",
        "多资金来源时，一项指标的各分项如何汇总",
        "How an indicator's entries (one per fund) are combined",
    ),
    (
        K,
        "class",
        "指标类别：哪些指标属于它（when）、如何计分",
        "An indicator class: which indicators it takes (when) and how they score",
    ),
    (
        K,
        "optional",
        "可选指标：未评价时如何处理",
        "Optional indicators: what happens when one is not evaluated",
    ),
    (
        K,
        "grade",
        "等级：总分达到多少为哪一等",
        "Grades: which total earns which grade",
    ),
    (
        K,
        "scale",
        "把各年度目标的得分折算到给定总分",
        "Scales the goals' scores to a given total",
    ),
    (
        K,
        "test",
        "测试：一份小表单及其应得的分数",
        "A test: a small form and the scores it must get",
    ),
    (
        K,
        "weight",
        "预算执行情况的分值",
        "The budget's weight (points)",
    ),
    (K, "score", "得分公式", "The score formula"),
    (K, "cap", "得分上限", "The most the score may be"),
    (
        K,
        "error",
        "报错：这种情形无法计分，说明原因",
        "An error: this case cannot be scored, with why",
    ),
    (
        K,
        "for",
        "这一类别计分的值：数值或文字",
        "What values the class scores: numbers or text",
    ),
    (
        K,
        "when",
        "条件：何时适用",
        "The condition under which it applies",
    ),
    (
        K,
        "band",
        "定性档位：名称、得分率区间、默认得分率和条件",
        "A qualitative band: name, rate interval, default rate, condition",
    ),
    (
        K,
        "default",
        "档位的默认得分率（表单未给得分率时）",
        "The band's rate when the form gives none",
    ),
    (
        K,
        "none",
        "没有（等级无下限）",
        "None (a grade without a threshold)",
    ),
    (K, "expect", "测试期望的结果", "What a test expects"),
    (K, "indicator", "测试中的一项指标", "An indicator in a test"),
    (
        K,
        "entry",
        "测试中一项指标的一个分项（一种资金来源）",
        "One entry (one fund) of an indicator in a test",
    ),
    (
        K,
        "form",
        "测试读取的表单文件",
        "The form file a test reads",
    ),
    (
        K,
        "bonus",
        "加分项：表单 [[bonus]] 中的一项，按公式加分，不超过 weight",
        "A bonus item: one of the form's [[bonus]], adding up to its weight",
    ),
    (
        K,
        "deduction",
        "扣分项：表单 [[deduction]] 中的一项，按公式扣分",
        "A deduction item: one of the form's [[deduction]], taking points",
    ),
    (
        K,
        "require",
        "要求：各年度目标或各一级指标的分值合计（分值结构）",
        "The scheme's split: what the goals, or each level-1 indicator, sum to",
    ),
    (
        K,
        "source",
        "依据：规则所依据的文件与起始年度",
        "The document the rules encode, and the year they apply from",
    ),
    (
        K,
        "fact",
        "表单信息：表单 [form] 中由规则读取的一项（如 \"单位类型\" = \"行政单位\"），按名称用在公式和条件中",
        "A fact the form states under [form] (\"单位类型\" = \"行政单位\"), read by formulas and conditions by its name",
    ),
    (
        Group::FactType,
        "number",
        "数值型的表单信息（如级次 = 2）",
        "A numeric fact (级次 = 2)",
    ),
    (
        Group::FactType,
        "text",
        "文字型的表单信息，可列出可填的值：属于 [\"行政单位\", \"事业单位\"]",
        "A text fact, optionally with its allowed values: in [\"行政单位\", \"事业单位\"]",
    ),
    (
        K,
        "level1",
        "一级指标：要求其下各指标的分值合计",
        "Level-1 indicators: what the indicators under each sum to",
    ),
    (K, "at", "舍入在哪一级", "Where rounding happens"),
    (
        K,
        "位",
        "保留的小数位数之后",
        "After the number of decimal places",
    ),
    (K, "by", "按……（按资金加权平均）", "By (mean by fund)"),
    (K, "fund", "资金额度", "Fund amount"),
    (K, "rescale", "折算", "Rescale"),
    (K, "goal", "年度目标", "Goal"),
    (K, "goals", "年度目标", "Goals"),
    (K, "to", "折算到", "To"),
    (
        K,
        "if",
        "如果……则……否则……；或计分子句中的特殊情形",
        "if … then … else …, or a special case of a score",
    ),
    (
        K,
        "then",
        "条件成立时的值",
        "The value when the condition holds",
    ),
    (K, "else", "条件不成立时的值", "The value otherwise"),
    (
        K,
        "step",
        "分档：按阈值从上到下取第一个成立的值",
        "A step table: the first arm whose threshold holds",
    ),
    (K, "and", "且：两边都成立", "Both hold"),
    (K, "or", "或：至少一边成立", "At least one holds"),
    (K, "in", "属于列表中的某一项", "Is one of the list"),
    (K, "not", "非：条件不成立", "The condition does not hold"),
    (F, "half_up", "四舍五入", "Round half away from zero"),
    (
        F,
        "half_even",
        "银行家舍入（四舍六入五成双）",
        "Round half to even",
    ),
    (F, "down", "截尾（舍去多余位数）", "Truncate"),
    (F, "up", "进一（有余数即进位）", "Round away from zero"),
    (
        F,
        "indicator",
        "在每项指标的得分上舍入",
        "Round each indicator's score",
    ),
    (
        F,
        "goal",
        "在每个年度目标的得分上舍入",
        "Round each goal's score",
    ),
    (F, "total", "只在总分上舍入", "Round the total only"),
    (
        F,
        "number",
        "绝对值（数值）指标",
        "Absolute (number) indicators",
    ),
    (
        F,
        "percent",
        "相对值（百分比）指标",
        "Relative (percent) indicators",
    ),
    (
        F,
        "rate",
        "定性指标的得分率",
        "Qualitative indicators' rates",
    ),
    (F, "sum", "各分项累加", "Sum of the entries"),
    (F, "mean", "各分项平均", "Mean of the entries"),
    (
        F,
        "mean by fund",
        "按资金额度加权平均",
        "Mean weighted by fund",
    ),
    (
        F,
        "numbers",
        "数值指标（目标值、实际值是数）",
        "Numeric indicators",
    ),
    (
        F,
        "text",
        "文字（定性）指标",
        "Text (qualitative) indicators",
    ),
    (
        F,
        "rescale goal",
        "按其余指标折算该年度目标的分值",
        "Rescale the goal over the other indicators",
    ),
    (
        F,
        "rescale total",
        "不计该指标，总分按已评价部分的满分折算",
        "Leave it out; scale the total to the full marks of what was evaluated",
    ),
    (
        F,
        "drop",
        "舍去该指标（不计分也不计分值）",
        "Drop the indicator",
    ),
];

/// The built-in names' meanings in English; in Chinese they are the checker's
/// ([`crate::check::builtin_meaning`]), which its messages use too.
const BUILTINS_EN: &[(&str, &str)] = &[
    ("A", "The target; in the budget, the planned amount"),
    ("B", "The actual value; in the budget, the executed amount"),
    ("weight", "The indicator's (or budget's) weight in points"),
    ("rate", "A qualitative indicator's rate"),
    ("tier", "A qualitative indicator's tier, as the form says"),
    (
        "op",
        "The comparison written in the target: \"=\", \">=\", \"<=\", …",
    ),
    (
        "direction",
        "The indicator's direction as the form states it",
    ),
    (
        "kind",
        "The kind of the indicator's values: number, percent or text",
    ),
    ("level1", "The level-1 indicator name (一级指标)"),
    ("level2", "The level-2 indicator name (二级指标)"),
    ("name", "The indicator's own name (三级指标)"),
    ("goal", "The name of the indicator's goal (年度目标)"),
    (
        "year",
        "The form's year ([form] year); reading it when the form gives none is an error",
    ),
    (
        "department",
        "The form's department ([form] department), empty when not given",
    ),
    ("true", "True"),
    ("false", "False"),
];

/// The meaning of a vocabulary entry, if it has one.
pub(crate) fn meaning(word: &Word) -> Option<Meaning> {
    let g = group(word.role)?;
    if g == Group::Builtin {
        let zh = crate::check::builtin_meaning(word.en)?;
        let en = BUILTINS_EN.iter().find(|(n, _)| *n == word.en)?.1;
        return Some(Meaning { zh, en });
    }
    let key = if word.en.is_empty() {
        word.zh.first().copied().unwrap_or_default()
    } else {
        word.en
    };
    MEANINGS
        .iter()
        .find(|(mg, k, _, _)| *mg == g && *k == key)
        .map(|&(_, _, zh, en)| Meaning { zh, en })
}

/// A built-in function: name, signature, meaning.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Function {
    pub(crate) name: &'static str,
    pub(crate) signature: &'static str,
    pub(crate) meaning: Meaning,
}

/// The built-in functions (the checker's `Func::ALL` and `missing`, with their
/// signatures).
pub(crate) const FUNCTIONS: &[Function] = &[
    Function {
        name: "min",
        signature: "min(x, y, …)",
        meaning: Meaning {
            zh: "各参数中最小的",
            en: "The least of its arguments",
        },
    },
    Function {
        name: "max",
        signature: "max(x, y, …)",
        meaning: Meaning {
            zh: "各参数中最大的",
            en: "The greatest of its arguments",
        },
    },
    Function {
        name: "floor",
        signature: "floor(x)",
        meaning: Meaning {
            zh: "向下取整",
            en: "Rounded down to a whole number",
        },
    },
    Function {
        name: "ceil",
        signature: "ceil(x)",
        meaning: Meaning {
            zh: "向上取整",
            en: "Rounded up to a whole number",
        },
    },
    Function {
        name: "abs",
        signature: "abs(x)",
        meaning: Meaning {
            zh: "绝对值",
            en: "Without its sign",
        },
    },
    Function {
        name: crate::check::MISSING,
        signature: "missing(B)",
        meaning: Meaning {
            zh: "表单是否未填这个值（B、A、year 或表单信息）；类别的 when 含 missing(B) 时，也为未填实际完成值的指标计分",
            en: "Whether the form leaves this value empty (B, A, year or a fact); a class whose when tests missing(B) also scores indicators without an actual value",
        },
    },
];

/// The entries of the vocabulary spelled `text` that have a meaning (keywords first).
pub(crate) fn words_spelled(text: &str) -> impl Iterator<Item = (&'static Word, Meaning)> + '_ {
    WORDS
        .iter()
        .filter(move |w| w.is_spelled(text))
        .filter_map(|w| meaning(w).map(|m| (w, m)))
}

/// Whether `c` can be part of a name or keyword.
pub(crate) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The word (letters, digits, `_`, CJK) around byte `offset` of `text`, as a byte range.
pub(crate) fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_follower_and_builtin_has_a_meaning() {
        for w in WORDS.iter().filter(|w| group(w.role).is_some()) {
            assert!(meaning(w).is_some(), "no meaning for {w:?}");
        }
        let functions: Vec<&str> = crate::check::ir::Func::ALL
            .iter()
            .map(|(n, _)| *n)
            .chain([crate::check::MISSING])
            .collect();
        let ours: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        assert_eq!(functions, ours);
    }

    #[test]
    fn the_word_under_a_cursor_in_chinese_text() {
        let text = "参数 权重值 = 1";
        // The cursor after 权 (bytes 7..10).
        assert_eq!(word_at(text, 10), Some((7, 16)));
        assert_eq!(word_at(text, 7), Some((7, 16)));
        assert_eq!(word_at(text, 17), None, "between a space and =");
    }
}
