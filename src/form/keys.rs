//! Key names and their Chinese: how messages name a key, a TOML type, and how each plain
//! number (a weight, a reported score, an amount) may be written.

/// How a plain number (not a target or actual) may be written.
pub(super) struct NumSpec {
    /// Its name in messages.
    pub(super) what: &'static str,
    /// How to write it.
    pub(super) help: &'static str,
    /// Points: a string may carry the unit 分 only. Otherwise any unit (an amount).
    pub(super) score: bool,
}

pub(super) const WEIGHT: NumSpec = NumSpec {
    what: "分值（weight）",
    help: "分值写成数字，如 weight = 10 或 weight = \"10分\"",
    score: true,
};
pub(super) const REPORTED: NumSpec = NumSpec {
    what: "自评得分（reported）",
    help: "自评得分写成数字，如 reported = 9.5；没有可省略",
    score: true,
};
pub(super) const REPORTED_TOTAL: NumSpec = NumSpec {
    what: "自评总分（reported_total）",
    help: "自评总分写成数字，如 reported_total = 95.5；没有可省略",
    score: true,
};
pub(super) const REPORTED_SCORE: NumSpec = NumSpec {
    what: "预算执行得分（reported_score）",
    help: "预算执行得分写成数字，如 reported_score = 9.2；没有可省略",
    score: true,
};
pub(super) const ADJUSTMENT_VALUE: NumSpec = NumSpec {
    what: "加分项或扣分项的数值（value）",
    help: "写成数字或数字加单位：加分项写申报的分数，如 value = 2；扣分项写发现的问题数，如 value = \"3项\"",
    score: false,
};
pub(super) const BASIC: NumSpec = NumSpec {
    what: "基本支出（basic）",
    help: "金额写成数字或数字加单位，如 basic = 1234.5 或 basic = \"1,234.5万元\"",
    score: false,
};
pub(super) const PROJECT: NumSpec = NumSpec {
    what: "项目支出（project）",
    help: "金额写成数字或数字加单位，如 project = 1234.5 或 project = \"1,234.5万元\"",
    score: false,
};
pub(super) const FLOAT_HELP: &str =
    "写成普通的小数，如 12174.8；不支持 inf、nan 和超出 28 位有效数字的数";
pub(super) const FUND_HELP: &str =
    "资金金额写成数字或数字加单位，如 fund = \"100万元\"；不要写百分比、比较符号或文字";

/// A value's key as messages name it: `target` is 目标值.
pub(super) fn key_name(key: &str) -> &str {
    match key {
        "target" => "目标值",
        "actual" => "实际完成值",
        "fund" => "资金金额（fund）",
        "planned" => "预算数（planned）",
        "executed" => "执行数（executed）",
        other => other,
    }
}

/// A Chinese name for a TOML value's type, for messages.
pub(super) fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "字符串",
        toml::Value::Integer(_) => "整数",
        toml::Value::Float(_) => "小数",
        toml::Value::Boolean(_) => "布尔值",
        toml::Value::Datetime(_) => "日期时间",
        toml::Value::Array(_) => "数组",
        toml::Value::Table(_) => "表",
    }
}
