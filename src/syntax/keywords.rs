//! The two keyword sets of the language, side by side. The grammar accepts either form
//! anywhere; `jixiao fmt --keywords zh|en` rewrites a file into one set; the README's
//! table is this one.

/// Keywords and fixed words: (English, Chinese).
pub const KEYWORDS: &[(&str, &str)] = &[
    ("rules", "规则"),
    ("extends", "继承"),
    ("param", "参数"),
    ("round", "保留"),
    ("at", "于"),
    ("budget", "预算"),
    ("weight", "分值"),
    ("score", "得分"),
    ("cap", "封顶"),
    ("if", "如果"),
    ("then", "则"),
    ("else", "否则"),
    ("error", "报错"),
    ("aggregate", "汇总"),
    ("sum", "累加"),
    ("mean", "平均"),
    ("mean by fund", "按资金加权"),
    ("class", "类别"),
    ("for", "适用"),
    ("when", "当"),
    ("band", "档位"),
    ("default", "默认"),
    ("optional", "可选"),
    ("none", "无"),
    ("rescale goal", "折算 目标"),
    ("drop", "舍去"),
    ("grade", "等级"),
    ("scale goals to", "缩放 目标 至"),
    ("step", "分档"),
    ("and", "且"),
    ("or", "或"),
    ("not", "非"),
    ("in", "属于"),
    ("test", "测试"),
    ("expect", "期望"),
    ("indicator", "指标"),
    ("form", "表单"),
    ("entry", "分项"),
];

/// Words that follow a keyword: (English, Chinese).
pub const WORDS: &[(&str, &str)] = &[
    // round MODE
    ("half_up", "四舍五入"),
    ("half_even", "银行家舍入"),
    ("down", "截尾"),
    ("up", "进一"),
    // round ... at LEVEL
    ("indicator", "指标"),
    ("goal", "目标"),
    ("total", "总分"),
    // aggregate TARGET
    ("number", "数值"),
    ("percent", "百分比"),
    ("rate", "得分率"),
    // class ... for KIND
    ("numbers", "数值"),
    ("text", "文字"),
];

/// Built-in names usable in formulas: (English, Chinese).
pub use crate::check::BUILTIN_ALIASES as BUILTIN_NAMES;
