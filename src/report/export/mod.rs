//! Exports: scored forms rendered as documents a reviewer files, pastes or prints: CSV,
//! Markdown, a self-contained HTML page, (with the `xlsx` feature) an Excel workbook, and
//! the cells of the text table `jixiao score` prints ([`table`]). Pure: `Outcome`s in,
//! `String`s (the workbook: bytes; the table: cells) out; the CLI writes them.
//!
//! Input: one [`Outcome`] (a form) or several (a batch, with the forms that [`Failed`]).
//! Output: strings in the target format, or the workbook's bytes.
//!
//! Invariants:
//! - Every number is the `Outcome`'s exact decimal, written by [`crate::report::shown`]
//!   (an unrounded quotient is cut after 6 places and marked `…`; CSV and xlsx keep every
//!   digit so a spreadsheet reads the number); a goal's reported score is
//!   [`GoalOutcome::reported`], the same in every format.
//! - Every text that comes from a form or a rule file is escaped for the target format:
//!   CSV quoting and formula protection, Markdown table syntax, HTML markup.
//! - Every format (the terminal table too) reads a form from [`lines`], and a batch from
//!   the ranking of [`ranking`]; nothing here re-runs the evaluator.

pub mod csv;
mod format;
pub mod html;
pub mod markdown;
pub(crate) mod svg;
pub mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::Outcome;
use crate::eval::{AdjustmentOutcome, GoalOutcome, IndicatorOutcome, RulesInfo, Status};
use crate::num::shown::{percent, show};

pub use format::Format;

/// The columns of a goal's table of indicators (the terminal table, Markdown, xlsx), in
/// the form's own terms.
pub const GOAL_COLUMNS: [&str; 10] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年初目标值(A)",
    "实际完成值(B)",
    "类别",
    "权重",
    "得分",
    "自评得分",
    "差异",
];

/// The header of the weight applied (折算后权重), beside 权重 when some goal was rescaled
/// ([`scaled`]).
pub const APPLIED_WEIGHT: &str = "折算后权重";

/// [`GOAL_COLUMNS`] with [`APPLIED_WEIGHT`] after 权重: a goal's table when some goal was
/// rescaled.
pub const SCALED_GOAL_COLUMNS: [&str; 11] = with_applied(GOAL_COLUMNS);

/// [`COLUMNS`] with [`APPLIED_WEIGHT`] after 权重.
pub const SCALED_COLUMNS: [&str; 12] = with_applied(COLUMNS);

/// `columns` with [`APPLIED_WEIGHT`] after `权重` (`M` = `N` + 1).
const fn with_applied<const N: usize, const M: usize>(
    columns: [&'static str; N],
) -> [&'static str; M] {
    const fn is_weight(name: &str) -> bool {
        let (a, b) = (name.as_bytes(), "权重".as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
    let mut out = [APPLIED_WEIGHT; M];
    let (mut i, mut j) = (0, 0);
    while i < N {
        out[j] = columns[i];
        j += if is_weight(columns[i]) { 2 } else { 1 };
        i += 1;
    }
    out
}

/// Whether some goal of `o` was rescaled (`rescale goal`, `scale goals to`): then every
/// report shows the weight applied (折算后权重) beside the form's, so a score above its
/// weight says why; otherwise reports look as they always did.
#[must_use]
pub fn scaled(o: &Outcome) -> bool {
    o.goals.iter().any(|g| g.scale.is_some())
}

/// The columns of the budget's table.
pub const BUDGET_COLUMNS: [&str; 7] = [
    "预算数(A)",
    "执行数(B)",
    "执行率(B/A)",
    "权重",
    "得分",
    "自评得分",
    "差异",
];

/// The columns of the totals' table: the row's name, then these.
pub const TOTAL_COLUMNS: [&str; 4] = ["", "得分", "满分", "等级"];

/// The columns of a form's table in one piece (CSV): 项目, then a goal's columns.
pub const COLUMNS: [&str; 11] = {
    let mut columns = ["项目"; 11];
    let mut i = 0;
    while i < GOAL_COLUMNS.len() {
        columns[i + 1] = GOAL_COLUMNS[i];
        i += 1;
    }
    columns
};

/// The columns of a batch's ranking.
pub const RANKING_COLUMNS: [&str; 8] = [
    "名次",
    "单位",
    "文件",
    "计算总分",
    "等级",
    "自评总分",
    "自评等级",
    "差异",
];

/// What a ranking row says in its 等级 column when the form could not be scored.
pub const NOT_SCORED: &str = "未能计分";

/// Which part of the form a [`Line`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// 预算执行情况.
    Budget,
    /// A 年度目标: its header, carrying the goal's score (the sum of its indicators).
    Goal,
    /// One indicator (三级指标).
    Indicator,
    /// A bonus or deduction item (加分项, 扣分项), after the goals.
    Adjustment,
    /// 总分.
    Total,
    /// 等级.
    Grade,
}

/// A cell that holds a score: a number, a text (`不计`, a grade) or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Nothing to show.
    Empty,
    /// A score.
    Number(Decimal),
    /// `不计` for an indicator left out, or a grade.
    Text(String),
}

/// One row of a form's table, in form order: the budget, then each goal followed by its
/// indicators, then the total and the grade. Fields are the [`COLUMNS`].
#[derive(Debug, Clone)]
pub struct Line {
    /// Which part of the form.
    pub kind: LineKind,
    /// The goal's number, on goal and indicator rows.
    pub goal: Option<usize>,
    /// 项目: `预算执行情况（20分）`, `年度目标1（10分）：…`, `年度目标1`, `总分`, `等级`.
    pub item: String,
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标 (for the budget, `部门整体支出总额`).
    pub name: String,
    /// 年初目标值 (A), as written (for the budget, 预算数).
    pub target: String,
    /// 实际完成值 (B), as written (for the budget, 执行数).
    pub actual: String,
    /// 类别: the class that scored the indicator, `未评（可选）`; for the budget, its
    /// 执行率 (`执行率 95.12%`).
    pub class: String,
    /// The budget's 执行率 B/A as a fraction (the terminal table has a column for it);
    /// `None` on other lines, or when A is 0.
    pub rate: Option<Decimal>,
    /// 权重: an indicator's points, a goal's indicator weights summed, the budget's
    /// points, the most the form can score.
    pub weight: Option<Decimal>,
    /// 折算后权重: the weight applied, on the lines of a rescaled goal (its indicators not
    /// left out, and the goal); `None` elsewhere.
    pub applied_weight: Option<Decimal>,
    /// 得分.
    pub score: Value,
    /// 自评得分.
    pub reported: Value,
    /// 差异: computed minus reported.
    pub difference: Option<Decimal>,
    /// On a bonus or deduction line, the form's note (说明); on the total line, what the
    /// bonus items may add beyond 满分 (`+ 5 加分`, see [`full_marks`]).
    pub note: String,
}

/// The columns of the bonus and deduction items' table.
pub const ADJUSTMENT_COLUMNS: [&str; 8] = [
    "项目",
    "名称",
    "填报数值(B)",
    "最多",
    "得分",
    "自评得分",
    "差异",
    "说明",
];

/// The rows of one form's table.
#[must_use]
pub fn lines(o: &Outcome) -> Vec<Line> {
    let mut out = vec![budget_line(o)];
    for g in &o.goals {
        out.push(goal_line(g));
        out.extend(g.indicators.iter().map(|i| indicator_line(g, i)));
    }
    out.extend(o.adjustments.iter().map(adjustment_line));
    out.push(total_line(o));
    out.push(grade_line(o));
    out
}

/// A line with only its kind and item; the caller fills in the rest.
fn blank(kind: LineKind, item: String) -> Line {
    Line {
        kind,
        goal: None,
        item,
        level1: String::new(),
        level2: String::new(),
        name: String::new(),
        target: String::new(),
        actual: String::new(),
        class: String::new(),
        rate: None,
        weight: None,
        applied_weight: None,
        score: Value::Empty,
        reported: Value::Empty,
        difference: None,
        note: String::new(),
    }
}

/// A bonus item adds its score, a deduction takes it: the 得分 column shows it signed
/// (`+2`, `-4`), so that the column sums to the total.
fn adjustment_line(a: &AdjustmentOutcome) -> Line {
    let deduction = a.signed() < Decimal::ZERO;
    let sign = |x: Option<Decimal>| x.map(|x| if deduction && !x.is_zero() { -x } else { x });
    Line {
        name: a.name.to_string(),
        actual: a.value.to_string(),
        weight: a.weight,
        score: Value::Number(a.signed()),
        reported: number(sign(a.reported)),
        difference: sign(a.difference()),
        note: a.note.as_deref().unwrap_or_default().to_owned(),
        ..blank(LineKind::Adjustment, a.kind.title().to_owned())
    }
}

/// 满分 as the totals show it: `100`, or `100 + 5 加分` when bonus items may add beyond
/// it.
#[must_use]
pub fn full_marks(o: &Outcome) -> String {
    if o.max_bonus.is_zero() {
        show(o.max_total)
    } else {
        format!("{} + {} 加分", show(o.max_total), show(o.max_bonus))
    }
}

fn budget_line(o: &Outcome) -> Line {
    let b = &o.budget;
    Line {
        name: "部门整体支出总额".to_owned(),
        target: b.planned.to_string(),
        actual: b.executed.to_string(),
        class: b
            .rate
            .map(|r| format!("执行率 {}", percent(r)))
            .unwrap_or_default(),
        rate: b.rate,
        weight: Some(b.weight),
        score: Value::Number(b.score),
        reported: number(b.reported),
        difference: b.difference(),
        ..blank(
            LineKind::Budget,
            format!("预算执行情况（{}分）", show(b.weight)),
        )
    }
}

fn goal_line(g: &GoalOutcome) -> Line {
    Line {
        goal: Some(g.number),
        weight: Some(g.indicator_weight),
        applied_weight: g.applied_indicator_weight(),
        score: Value::Number(g.score),
        reported: number(g.reported()),
        difference: g.difference(),
        ..blank(LineKind::Goal, goal_heading(g))
    }
}

fn indicator_line(g: &GoalOutcome, i: &IndicatorOutcome) -> Line {
    let (class, score) = match i.status {
        Status::Scored => (
            i.class_title
                .as_deref()
                .or(i.class.as_deref())
                .unwrap_or_default()
                .to_owned(),
            number(i.score),
        ),
        Status::Omitted => ("未评（可选）".to_owned(), Value::Text("不计".to_owned())),
        Status::NotEvaluated => ("未评".to_owned(), number(i.score)),
    };
    Line {
        goal: Some(g.number),
        level1: i.level1.to_string(),
        level2: i.level2.to_string(),
        name: i.name.to_string(),
        target: i.target.as_deref().unwrap_or_default().to_owned(),
        actual: i.actual.as_deref().unwrap_or_default().to_owned(),
        class,
        weight: Some(i.weight),
        applied_weight: g.applied_weight(i),
        score,
        reported: number(i.reported),
        difference: i.difference(),
        ..blank(LineKind::Indicator, format!("年度目标{}", g.number))
    }
}

fn total_line(o: &Outcome) -> Line {
    Line {
        note: full_marks(o),
        weight: Some(o.max_total),
        score: Value::Number(o.total),
        reported: number(o.reported_total),
        difference: o.difference(),
        ..blank(LineKind::Total, "总分".to_owned())
    }
}

fn grade_line(o: &Outcome) -> Line {
    Line {
        score: text(o.grade.as_deref()),
        reported: text(o.reported_grade.as_deref()),
        ..blank(LineKind::Grade, "等级".to_owned())
    }
}

/// `年度目标1（10分）：拟订…`.
#[must_use]
pub fn goal_heading(g: &GoalOutcome) -> String {
    format!("年度目标{}（{}分）：{}", g.number, show(g.weight), g.name)
}

/// One form's place in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// 名次: 1 for the highest computed total; equal totals share a rank (1, 2, 2, 4).
    pub rank: usize,
    /// 单位名称.
    pub department: Option<String>,
    /// The form file.
    pub file: String,
    /// 计算总分.
    pub total: Decimal,
    /// 等级 of the computed total.
    pub grade: Option<String>,
    /// 自评总分.
    pub reported_total: Option<Decimal>,
    /// 等级 of the reported total.
    pub reported_grade: Option<String>,
    /// 差异: computed minus reported.
    pub difference: Option<Decimal>,
}

/// A form of a batch that could not be read or scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failed {
    /// The form file.
    pub file: String,
    /// The diagnostic's code (`jixiao::form::invalid`), if it has one.
    pub code: Option<String>,
    /// The diagnostic's message, followed by those of the problems it groups.
    pub message: String,
    /// The problems it groups (a form's several errors), outermost first.
    pub related: Vec<Problem>,
}

/// One problem of a form that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Its code (`jixiao::form::unit_mismatch`).
    pub code: Option<String>,
    /// Its message.
    pub message: String,
}

impl Problem {
    /// The problems `diag` groups (its related diagnostics, and theirs), outermost first.
    #[must_use]
    pub fn all_in(diag: &dyn miette::Diagnostic) -> Vec<Problem> {
        fn collect(diag: &dyn miette::Diagnostic, out: &mut Vec<Problem>) {
            for r in diag.related().into_iter().flatten() {
                out.push(Problem {
                    code: r.code().map(|c| c.to_string()),
                    message: r.to_string(),
                });
                collect(r, out);
            }
        }
        let mut out = Vec::new();
        collect(diag, &mut out);
        out
    }
}

impl Ranked {
    /// A form's row of the ranking, not yet ranked (`rank` is 0 until [`rank`] sorts the
    /// rows). All a batch keeps of a form once its section of the report is written.
    #[must_use]
    pub fn unranked(o: &Outcome) -> Ranked {
        Ranked {
            rank: 0,
            department: o.form.department.as_deref().map(str::to_owned),
            file: o.form.file.to_string(),
            total: o.total,
            grade: o.grade.as_deref().map(str::to_owned),
            reported_total: o.reported_total,
            reported_grade: o.reported_grade.as_deref().map(str::to_owned),
            difference: o.difference(),
        }
    }
}

/// The forms of a batch ranked by computed total, highest first; equal totals in file
/// name order, sharing a rank.
#[must_use]
pub fn ranking(outcomes: &[Outcome]) -> Vec<Ranked> {
    rank(outcomes.iter().map(Ranked::unranked).collect())
}

/// Rows made by [`Ranked::unranked`], sorted and ranked as [`ranking`] ranks forms.
#[must_use]
pub fn rank(mut rows: Vec<Ranked>) -> Vec<Ranked> {
    rows.sort_by(|a, b| match b.total.cmp(&a.total) {
        Ordering::Equal => a.file.cmp(&b.file),
        other => other,
    });
    let mut previous: Option<(Decimal, usize)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = match previous {
            Some((total, rank)) if total == row.total => rank,
            _ => i + 1,
        };
        previous = Some((row.total, row.rank));
    }
    rows
}

/// The rule set of a batch, as a heading names it: `hubei-2021 湖北省…（rules/…）`.
fn rules_line(rules: &RulesInfo) -> String {
    let mut s = rules.id.to_string();
    if let Some(t) = &rules.title {
        s.push(' ');
        s.push_str(t);
    }
    format!("{s}（{}）", rules.file)
}

/// A form's title, or the form's generic name.
fn title<'a>(o: &'a Outcome<'_>) -> &'a str {
    o.form.title.as_deref().unwrap_or("部门整体绩效自评表")
}

fn number(d: Option<Decimal>) -> Value {
    d.map_or(Value::Empty, Value::Number)
}

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Empty, |s| Value::Text(s.to_owned()))
}

/// Whether a difference is worth highlighting: present and not zero.
fn differs(d: Option<Decimal>) -> bool {
    d.is_some_and(|d| !d.is_zero())
}

/// A score cell as people read it.
fn show_value(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Number(d) => show(*d),
        Value::Text(t) => t.clone(),
    }
}

/// A bonus or deduction's score with its sign, what it does to the total: `+2`, `-4`.
fn signed_value(v: &Value) -> String {
    match v {
        Value::Number(n) => crate::num::shown::signed(*n),
        other => show_value(other),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    pub(crate) use crate::eval::fixtures::indicator;
    use crate::eval::{BudgetOutcome, FormInfo, GoalOutcome, IndicatorOutcome, RulesInfo};

    pub(crate) fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    /// A form: budget 20 of 20, one goal of the given indicators; totals as given.
    pub(crate) fn outcome<'a>(
        file: &'a str,
        department: &'a str,
        indicators: Vec<IndicatorOutcome<'a>>,
        total: &str,
        grade: &str,
    ) -> Outcome<'a> {
        let score = indicators.iter().filter_map(|i| i.score).sum();
        Outcome {
            rules: RulesInfo {
                id: "hubei-2021".into(),
                title: Some("湖北".into()),
                file: "rules/hubei-2021.rules".into(),
            },
            form: FormInfo {
                file: file.into(),
                title: Some("自评表".into()),
                department: Some(department.into()),
                year: None,
                filled_on: None,
                facts: Vec::new(),
                rules: None,
            },
            budget: BudgetOutcome {
                planned: "100万元".into(),
                executed: "100万元".into(),
                rate: Some(Decimal::ONE),
                weight: d("20"),
                score: d("20.00"),
                reported: Some(d("20")),
                trace: Vec::new(),
            },
            goals: vec![GoalOutcome {
                number: 1,
                name: "目标一".into(),
                weight: d("10"),
                indicator_weight: d("10"),
                scale: None,
                score,
                reported: None,
                indicators,
            }],
            total: d(total),
            max_total: d("100"),
            max_bonus: Decimal::ZERO,
            adjustments: Vec::new(),
            grade: Some(grade.to_owned().into()),
            reported_total: Some(d("90")),
            reported_grade: Some("优".into()),
            warnings: Vec::new(),
        }
    }

    /// A form of one goal of two indicators: 一 scored 1.96 and reported 1; 二 left out
    /// and reported 2. Total 21.96 (差) against a reported 90.
    pub(crate) fn one_goal_of_two() -> Outcome<'static> {
        outcome(
            "a.toml",
            "甲",
            vec![
                indicator("一", Some("1.96"), Some("1")),
                indicator("二", None, Some("2")),
            ],
            "21.96",
            "差",
        )
    }

    #[test]
    fn lines_follow_the_form_budget_goals_indicators_total_grade() {
        let o = one_goal_of_two();
        let l = lines(&o);
        let kinds: Vec<_> = l.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Budget,
                LineKind::Goal,
                LineKind::Indicator,
                LineKind::Indicator,
                LineKind::Total,
                LineKind::Grade
            ]
        );
        assert_eq!(l[0].item, "预算执行情况（20分）");
        assert_eq!(l[0].class, "执行率 100.00%");
        assert_eq!(l[1].item, "年度目标1（10分）：目标一");
        // goal: 1.96 computed; reported 1 + 2 = 3; difference −1.04
        assert_eq!(l[1].score, Value::Number(d("1.96")));
        assert_eq!(l[1].reported, Value::Number(d("3")));
        assert_eq!(l[1].difference, Some(d("-1.04")));
        assert_eq!(l[2].difference, Some(d("0.96")));
        assert_eq!(l[3].score, Value::Text("不计".into()));
        assert_eq!(l[3].class, "未评（可选）");
        assert_eq!(l[5].score, Value::Text("差".into()));
    }

    #[test]
    fn ranking_is_by_total_then_file_with_shared_ranks() {
        let forms = [
            outcome("c.toml", "丙", Vec::new(), "80", "良"),
            outcome("b.toml", "乙", Vec::new(), "91.26", "优"),
            outcome("a.toml", "甲", Vec::new(), "80.00", "良"),
            outcome("d.toml", "丁", Vec::new(), "96.53", "优"),
        ];
        let r: Vec<_> = ranking(&forms)
            .into_iter()
            .map(|r| (r.rank, r.file))
            .collect();
        // 96.53, 91.26, then 80.00 and 80 tie (a before c), rank 3 twice
        assert_eq!(
            r,
            [
                (1, "d.toml".to_owned()),
                (2, "b.toml".to_owned()),
                (3, "a.toml".to_owned()),
                (3, "c.toml".to_owned())
            ]
        );
    }
}
