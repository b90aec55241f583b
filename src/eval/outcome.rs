//! The result of scoring one form: plain, serialisable data. Explain, diff and audit
//! read it; none of them re-runs the evaluator.

pub use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::Arc;

/// Every score of one form under one rule set, with how each was reached.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Which rules scored it.
    pub rules: RulesInfo,
    /// Which form.
    pub form: FormInfo,
    /// 预算执行情况.
    pub budget: BudgetOutcome,
    /// 年度目标, in form order.
    pub goals: Vec<GoalOutcome>,
    /// 总分: the budget score plus the goal scores.
    pub total: Decimal,
    /// The most the form could score: the budget weight plus the goal weights.
    pub max_total: Decimal,
    /// 等级 of the computed total; `None` when the rules set no grades.
    pub grade: Option<String>,
    /// The total the department reported.
    pub reported_total: Option<Decimal>,
    /// 等级 of the reported total, by the same grades.
    pub reported_grade: Option<String>,
    /// Computed minus reported total.
    pub difference: Option<Decimal>,
    /// Things worth a reviewer's attention that did not stop scoring.
    pub warnings: Vec<Warning>,
}

/// The rule set.
#[derive(Debug, Clone, Serialize)]
pub struct RulesInfo {
    /// `hubei-2021`.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// The rule file's name.
    pub file: String,
}

/// The form's header.
#[derive(Debug, Clone, Serialize)]
pub struct FormInfo {
    /// The form file's name.
    pub file: String,
    /// Its title.
    pub title: Option<String>,
    /// 单位名称.
    pub department: Option<String>,
    /// The year.
    pub year: Option<i64>,
    /// 填报日期.
    pub filled_on: Option<String>,
}

impl FormInfo {
    /// The header of `form`.
    #[must_use]
    pub fn of(form: &crate::Form) -> FormInfo {
        FormInfo {
            file: form.source.name().to_owned(),
            title: form.title.clone(),
            department: form.department.clone(),
            year: form.year,
            filled_on: form.filled_on.clone(),
        }
    }
}

/// 预算执行情况.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetOutcome {
    /// 预算数 (A) as written.
    pub planned: CompactString,
    /// 执行数 (B) as written.
    pub executed: CompactString,
    /// 执行率 B/A, as a fraction; `None` when A is 0.
    pub rate: Option<Decimal>,
    /// 分值.
    pub weight: Decimal,
    /// 得分.
    pub score: Decimal,
    /// The score the department reported.
    pub reported: Option<Decimal>,
    /// Computed minus reported.
    pub difference: Option<Decimal>,
    /// How the score was reached.
    pub trace: Vec<Step>,
}

/// One 年度目标.
#[derive(Debug, Clone, Serialize)]
pub struct GoalOutcome {
    /// 1-based, as the form numbers goals (年度目标1).
    pub number: usize,
    /// The goal's text (shared with the form).
    pub name: Arc<str>,
    /// Its points.
    pub weight: Decimal,
    /// The sum of its indicators' weights (may differ from `weight`: a warning says so).
    pub indicator_weight: Decimal,
    /// 得分: the sum of its indicator scores.
    pub score: Decimal,
    /// The goal score the department reported, if given.
    pub reported: Option<Decimal>,
    /// Its indicators, in form order.
    pub indicators: Vec<IndicatorOutcome>,
}

/// Whether and how an indicator was scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Scored by a class.
    Scored,
    /// Optional and not evaluated: left out (the goal may be rescaled).
    Omitted,
    /// Not evaluated although required: scores 0, with a warning.
    NotEvaluated,
}

/// One indicator (三级指标).
///
/// Its short texts are [`CompactString`]s, stored inline up to 24 bytes (8 Chinese
/// characters): copying one costs less than counting a reference to a shared string,
/// which is an atomic operation on building and again on dropping. The name, usually
/// longer, is shared with the form. They read as `&str` (`Deref`) and serialise as plain
/// strings.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorOutcome {
    /// 一级指标.
    pub level1: CompactString,
    /// 二级指标.
    pub level2: CompactString,
    /// 三级指标 (shared with the form: most names are longer than fits inline).
    pub name: Arc<str>,
    /// 年初目标值 (A) as written (entries: joined with ` + `).
    pub target: Option<CompactString>,
    /// 实际完成值 (B) as written.
    pub actual: Option<CompactString>,
    /// The class that scored it (`positive`), if any.
    pub class: Option<CompactString>,
    /// The class's title (`正向指标`).
    pub class_title: Option<CompactString>,
    /// Scored, omitted or not evaluated.
    pub status: Status,
    /// 权重 (points) as the form gives it.
    pub weight: Decimal,
    /// 得分; `None` when omitted.
    pub score: Option<Decimal>,
    /// The score the department reported.
    pub reported: Option<Decimal>,
    /// Computed minus reported.
    pub difference: Option<Decimal>,
    /// How the score was reached.
    pub trace: Vec<Step>,
}

/// One step of an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What happened, in the form's terms, values substituted.
    pub text: String,
    /// The rule line it comes from (`rules/hubei-2021.rules:14`), if any.
    pub rule: Option<String>,
}

/// Something a reviewer should see that did not stop scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A stable code, `jixiao::eval::weight_sum`.
    pub code: &'static str,
    /// What, in Chinese.
    pub message: String,
    /// The goal's number, if it concerns one.
    pub goal: Option<usize>,
    /// The indicator's name, if it concerns one.
    pub indicator: Option<String>,
}
