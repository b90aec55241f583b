//! The trace's texts: how each step of a score is written for `explain` (values cut for
//! reading, conditions with the values they read, how entries were combined).
//!
//! Input: values and rule text. Output: Chinese text. (Steps are text for now; a later
//! phase gives them types that `report` renders.)

use rust_decimal::Decimal;

use crate::check::Var;
use crate::num::{self, Exact};
use crate::syntax::ast::AggMethod;

/// A built-in name with the form's term for it: `比较符 op`.
pub(super) fn var_label(v: Var) -> &'static str {
    match v {
        Var::A => "目标值 A",
        Var::B => "实际值 B",
        Var::Weight => "权重 weight",
        Var::Rate => "得分率 rate",
        Var::Tier => "档位 tier",
        Var::Op => "比较符 op",
        Var::Direction => "方向 direction",
        Var::Kind => "类型 kind",
        Var::Level1 => "一级指标 level1",
        Var::Level2 => "二级指标 level2",
        Var::Name => "三级指标 name",
        Var::Goal => "目标 goal",
    }
}

/// A computed value for an explanation: exact, but cut after 8 decimals with `…`.
pub(super) fn show_long(x: &Exact) -> String {
    match x.round(8, crate::syntax::ast::RoundMode::Down) {
        Ok(cut) if Exact::from(cut) != *x => format!("{}…", num::show(cut)),
        _ => x.to_string(),
    }
}

pub(super) fn when_text(source: &str, substituted: &str) -> String {
    if source == substituted {
        format!("因 {source}")
    } else {
        format!("因 {source}（{substituted}）")
    }
}

pub(super) fn method_text(m: AggMethod) -> &'static str {
    match m {
        AggMethod::Sum => "直接累加",
        AggMethod::Mean => "算术平均",
        AggMethod::MeanByFund => "按资金额度加权平均",
    }
}

pub(super) fn combination_text(m: AggMethod, values: &[Decimal], funds: &[Decimal]) -> String {
    let vs: Vec<String> = values.iter().map(|v| num::show(*v)).collect();
    match m {
        AggMethod::Sum => vs.join(" + "),
        AggMethod::Mean => format!("({}) / {}", vs.join(" + "), values.len()),
        AggMethod::MeanByFund => {
            let terms: Vec<String> = vs
                .iter()
                .zip(funds)
                .map(|(v, f)| format!("{} × {}", num::show(*f), v))
                .collect();
            let fs: Vec<String> = funds.iter().map(|f| num::show(*f)).collect();
            format!("({}) / ({})", terms.join(" + "), fs.join(" + "))
        }
    }
}
