//! What a person reads of a diff: the [`Report`] of a run (what was compared, under which
//! rules, every form's [`FormDiff`] and their [`Summary`]) and its displayed [`Line`]s,
//! shared by the terminal table (drawn by the CLI), Markdown and CSV.
//!
//! Input: the `FormDiff`s of a run and the rule sets compared. Output: lines of text, one
//! per shown row, in form order, then the total and the grade; summary pairs; the largest
//! movers' cells. Texts are as the outcomes hold them: a renderer escapes them for its
//! format (the CLI diffs outcomes made safe for a terminal before drawing its table).

use rust_decimal::Decimal;
use serde::Serialize;

use super::{FormDiff, GradeDiff, Mover, Presence, Row, RowKind, Summary, TotalDiff, summarize};
use crate::Rules;
use crate::num::shown::{show, signed, signed_or_zero};
use crate::report::export::Value;
use crate::text::escaped;

/// What is being compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One batch of forms under two rule sets.
    Rules,
    /// Two versions of one form under one rule set.
    Forms,
}

impl Mode {
    /// The JSON output's `mode`: `rules` or `forms`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Mode::Rules => "rules",
            Mode::Forms => "forms",
        }
    }

    /// Column headers for the old and the new side.
    #[must_use]
    pub fn sides(self) -> (&'static str, &'static str) {
        match self {
            Mode::Rules => ("原规则", "新规则"),
            Mode::Forms => ("原表单", "新表单"),
        }
    }

    /// The report's title: `评分对比：两套规则`.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Mode::Rules => "评分对比：两套规则",
            Mode::Forms => "评分对比：表单的两个版本",
        }
    }
}

/// A rule set as the output names it.
#[derive(Debug, Clone, Serialize)]
pub struct RulesRef {
    /// The rule set's id.
    pub id: String,
    /// Its title, if it has one.
    pub title: Option<String>,
    /// Its file (or bundled name).
    pub file: String,
    /// The `--set NAME=VALUE` parameters applied to it.
    pub set: Vec<String>,
    /// The decimal places it rounds scores to; `None` when it does not round.
    #[serde(skip)]
    pub places: Option<u32>,
}

impl RulesRef {
    /// `rules` with the parameters `set` applied to it.
    #[must_use]
    pub fn new(rules: &Rules, set: &[String]) -> Self {
        Self {
            id: rules.id().to_owned(),
            title: rules.title().map(str::to_owned),
            file: rules.source().name().to_owned(),
            set: set.to_vec(),
            places: rules.places(),
        }
    }

    /// `hubei-2021 湖北省…（rules/hubei-2021.rules；--set budget_weight=10）`, safe for a
    /// terminal.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut s = self.id.clone();
        if let Some(t) = &self.title {
            s.push(' ');
            s.push_str(t);
        }
        let mut note = self.file.clone();
        for p in &self.set {
            note.push_str("；--set ");
            note.push_str(p);
        }
        escaped(&format!("{s}（{note}）"), false).into_owned()
    }
}

/// The longest bar of a distribution, in characters.
pub const BAR: usize = 20;

/// Up to this many forms, a report shows each form's rows without being asked.
pub const DETAIL_AUTO: usize = 5;

/// Everything a renderer needs.
#[derive(Debug, Clone)]
pub struct Report {
    /// What is compared.
    pub mode: Mode,
    /// Whether unchanged rows are shown too (`--all`).
    pub all: bool,
    /// Whether each form's rows are shown, after the impact; by default only for a
    /// handful of forms ([`DETAIL_AUTO`]) or two versions of one form.
    pub detail: bool,
    /// The old rule set (with `--forms`, the one rule set).
    pub old_rules: RulesRef,
    /// The new rule set (with `--forms`, the one rule set).
    pub new_rules: RulesRef,
    /// Each form compared.
    pub diffs: Vec<FormDiff>,
    /// Across the forms.
    pub summary: Summary,
    /// Forms that could not be read or scored (their diagnostics went to stderr).
    pub failed: Vec<String>,
}

impl Report {
    /// The report of `diffs`, with their summary.
    #[must_use]
    pub fn new(
        mode: Mode,
        all: bool,
        old_rules: RulesRef,
        new_rules: RulesRef,
        diffs: Vec<FormDiff>,
        failed: Vec<String>,
    ) -> Self {
        Self {
            mode,
            all,
            detail: mode == Mode::Forms || diffs.len() <= DETAIL_AUTO,
            summary: summarize(&diffs),
            old_rules,
            new_rules,
            diffs,
            failed,
        }
    }

    /// The lines under the title that name the rules: both rule sets, or the one.
    #[must_use]
    pub fn headline(&self) -> Vec<String> {
        match self.mode {
            Mode::Rules => vec![
                format!("原规则：{}", self.old_rules.describe()),
                format!("新规则：{}", self.new_rules.describe()),
            ],
            Mode::Forms => vec![format!("计分规则：{}", self.new_rules.describe())],
        }
    }

    /// Whether a form is shown as its one [`unchanged`] line rather than its rows.
    #[must_use]
    pub fn folded(&self, diff: &FormDiff) -> bool {
        !self.all && !diff.changed()
    }

    /// Whether the summary is shown: more than one form, or a form that failed.
    #[must_use]
    pub fn has_summary(&self) -> bool {
        self.diffs.len() > 1 || !self.failed.is_empty()
    }

    /// Whether the largest movers are shown (after the summary).
    #[must_use]
    pub fn has_movers(&self) -> bool {
        self.diffs.len() > 1 && !self.summary.largest_movers.is_empty()
    }

    /// The summary, typed: (项目, 值), the value a count of forms, a change of the total
    /// or words. [`Report::summary_pairs`] writes it as text; the workbook keeps its
    /// numbers.
    #[must_use]
    pub fn summary_stats(&self) -> Vec<(&'static str, Stat)> {
        let s = &self.summary;
        let grades = if s.grade_changed == 0 {
            Stat::Text("无".to_owned())
        } else {
            let each = s
                .transitions
                .iter()
                .map(|t| {
                    format!(
                        "{} {} 份",
                        transition(t.from.as_deref(), t.to.as_deref()),
                        t.count
                    )
                })
                .collect::<Vec<_>>()
                .join("，");
            Stat::Forms(s.grade_changed, Some(each))
        };
        let mut stats = vec![
            ("对比表单", Stat::Forms(s.forms, None)),
            ("得分有变化", Stat::Forms(s.changed, None)),
            ("总分有变化", Stat::Forms(s.total_changed, None)),
            ("等级变化", grades),
            ("总分平均变化", Stat::Change(s.mean_delta)),
            ("总分变化中位数", Stat::Change(s.median_delta)),
            ("总分最大变化", Stat::Change(s.max_delta)),
        ];
        if !self.failed.is_empty() {
            stats.push((
                "未能计分",
                Stat::Forms(self.failed.len(), Some("错误信息见标准错误输出".to_owned())),
            ));
        }
        stats
    }

    /// Rows of the summary: (项目, 值), as text.
    #[must_use]
    pub fn summary_pairs(&self) -> Vec<(&'static str, String)> {
        self.summary_stats()
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect()
    }

    /// The rules' decimal places: the more of the two rule sets' (`round to N places`);
    /// `None` when neither rounds (scores are exact).
    #[must_use]
    pub fn places(&self) -> Option<u32> {
        self.old_rules.places.max(self.new_rules.places)
    }

    /// When each form's rows are not shown, the line that says how to see them.
    #[must_use]
    pub fn detail_note(&self) -> Option<String> {
        (!self.detail).then(|| {
            format!(
                "逐份明细未列出（共 {} 份，其中 {} 份得分有变化）：加 --detail 列出，或用 --format json / csv 取得全部",
                self.summary.forms, self.summary.changed
            )
        })
    }

    /// The grade transition matrix as a table: the header (`原等级＼新等级`, then each
    /// grade) and a row per old grade, counts as text, empty for none.
    #[must_use]
    pub fn matrix_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let m = &self.summary.grade_matrix;
        let (old, new) = self.mode.sides();
        let name = |g: &Option<String>| g.clone().unwrap_or_else(|| "无等级".to_owned());
        let mut header = vec![format!("{old}＼{new}")];
        header.extend(m.grades.iter().map(name));
        let rows = m
            .grades
            .iter()
            .zip(&m.counts)
            .map(|(g, counts)| {
                let mut row = vec![name(g)];
                row.extend(counts.iter().map(
                    |&c| {
                        if c == 0 { String::new() } else { c.to_string() }
                    },
                ));
                row
            })
            .collect();
        (header, rows)
    }

    /// The distribution of totals as rows: `区间`, how many before, how many after, and a
    /// bar for each (`█` per form, scaled to at most [`BAR`] characters).
    #[must_use]
    pub fn distribution_rows(&self) -> Vec<[String; 5]> {
        let Some(dist) = &self.summary.distribution else {
            return Vec::new();
        };
        let most = dist
            .bins
            .iter()
            .map(|b| b.old.max(b.new))
            .max()
            .unwrap_or(0)
            .max(1);
        let bar = |n: usize| "█".repeat((n * BAR).div_ceil(most).min(BAR));
        let last = dist.bins.len().saturating_sub(1);
        dist.bins
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let close = if i == last { "]" } else { ")" };
                [
                    format!("[{}, {}{close}", b.from, b.to),
                    b.old.to_string(),
                    bar(b.old),
                    b.new.to_string(),
                    bar(b.new),
                ]
            })
            .collect()
    }

    /// The columns of [`Report::distribution_rows`].
    #[must_use]
    pub fn distribution_columns(&self) -> [&'static str; 5] {
        let (old, new) = self.mode.sides();
        ["总分区间", old, "", new, ""]
    }

    /// The header of a form's table: 项目, 指标, the two sides, 变化.
    #[must_use]
    pub fn columns(&self) -> [&'static str; 5] {
        let (old, new) = self.mode.sides();
        ["项目", "指标", old, new, "变化"]
    }

    /// The header of the largest movers' table.
    #[must_use]
    pub fn mover_columns(&self) -> [&'static str; 6] {
        let (old, new) = self.mode.sides();
        ["单位", "文件", old, new, "变化", "等级"]
    }
}

/// One displayed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 预算执行情况 / 指标得分 / 目标得分 / 总分 / 等级.
    pub kind: &'static str,
    /// `年度目标N`, or empty.
    pub goal: String,
    /// The indicator's name, or empty.
    pub indicator: String,
    /// The old value: a score, `不计`, `—` when absent, a grade.
    pub old: String,
    /// The new value.
    pub new: String,
    /// `+2.53`, `新增`, `删除`, `良→优`, or empty.
    pub change: String,
    /// Whether it changed (and is shown without `--all`).
    pub changed: bool,
}

impl Line {
    /// The table's 项目 column: the goal for goal and indicator rows, else the kind.
    #[must_use]
    pub fn item(&self) -> &str {
        if self.goal.is_empty() {
            self.kind
        } else {
            &self.goal
        }
    }

    /// The table's 指标 column: the indicator, or 小计 for a goal's own score.
    #[must_use]
    pub fn name(&self) -> &str {
        if self.kind == KIND_GOAL {
            "小计"
        } else {
            &self.indicator
        }
    }

    /// Whether it is the section's bottom line: the total or the grade.
    #[must_use]
    pub fn is_bottom(&self) -> bool {
        self.kind == KIND_TOTAL || self.kind == KIND_GRADE
    }
}

/// A value of the summary ([`Report::summary_stats`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stat {
    /// How many forms, with a note (`良→优 2 份`).
    Forms(usize, Option<String>),
    /// A change of the total (`None`: no form to measure).
    Change(Option<Decimal>),
    /// Words (`无`).
    Text(String),
}

impl std::fmt::Display for Stat {
    /// `3 份`, `3 份（良→优 2 份）`, `-9.70`, `0.00`, `—`, `无`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stat::Forms(n, None) => write!(f, "{n} 份"),
            Stat::Forms(n, Some(note)) => write!(f, "{n} 份（{note}）"),
            Stat::Change(Some(d)) => f.write_str(&signed_or_zero(*d)),
            Stat::Change(None) => f.write_str("—"),
            Stat::Text(t) => f.write_str(t),
        }
    }
}

/// The columns of [`records`]: one changed item a row (CSV, the workbook's 变化明细).
pub const RECORD_COLUMNS: [&str; 7] = ["表单", "目标", "指标", "项目", "原值", "新值", "变化"];

/// One changed item as a spreadsheet row holds it, under [`RECORD_COLUMNS`]: scores and
/// changes as numbers (a zero change `0.00`, unsigned), an absent score empty, a grade
/// or `新增`/`删除` as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// The form file.
    pub file: &'a str,
    /// `年度目标N`, or empty.
    pub goal: String,
    /// The indicator's name, or empty.
    pub indicator: &'a str,
    /// 预算执行情况 / 指标得分 / 目标得分 / 总分 / 等级.
    pub item: &'static str,
    /// The old value.
    pub old: Value,
    /// The new value.
    pub new: Value,
    /// `new − old`, `新增`, `删除`, `良→优`, or empty.
    pub change: Value,
}

/// Every changed item of every form (every item with `--all`), in form order, each
/// form's total and grade last.
#[must_use]
pub fn records(r: &Report) -> Vec<Record<'_>> {
    let number = |d: Option<Decimal>| d.map_or(Value::Empty, Value::Number);
    // A change of zero is `0.00`, not `-0.00`.
    let change = |d: Option<Decimal>| number(d.map(|d| if d.is_zero() { d.abs() } else { d }));
    let text = |t: Option<&str>| t.map_or(Value::Empty, |t| Value::Text(t.to_owned()));
    let mut out = Vec::new();
    for diff in &r.diffs {
        for row in diff.rows.iter().filter(|row| r.all || row.changed) {
            out.push(Record {
                file: &diff.file,
                goal: goal_name(row),
                indicator: row.indicator.as_deref().unwrap_or(""),
                item: kind_name(row.kind),
                old: number(row.old),
                new: number(row.new),
                change: match row.presence {
                    Presence::Added => Value::Text("新增".to_owned()),
                    Presence::Removed => Value::Text("删除".to_owned()),
                    Presence::Both => change(row.delta),
                },
            });
        }
        let t = &diff.total;
        if r.all || t.changed {
            out.push(Record {
                file: &diff.file,
                goal: String::new(),
                indicator: "",
                item: KIND_TOTAL,
                old: Value::Number(t.old),
                new: Value::Number(t.new),
                change: change(t.delta),
            });
        }
        let g = &diff.grade;
        if r.all || g.changed {
            out.push(Record {
                file: &diff.file,
                goal: String::new(),
                indicator: "",
                item: KIND_GRADE,
                old: text(g.old.as_deref()),
                new: text(g.new.as_deref()),
                change: if g.changed {
                    Value::Text(transition(g.old.as_deref(), g.new.as_deref()))
                } else {
                    Value::Empty
                },
            });
        }
    }
    out
}

const KIND_GOAL: &str = "目标得分";
const KIND_TOTAL: &str = "总分";
const KIND_GRADE: &str = "等级";

/// The 项目 a row reports.
pub(super) fn kind_name(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Budget => "预算执行情况",
        RowKind::Goal => KIND_GOAL,
        RowKind::Indicator => "指标得分",
    }
}

fn lines(diff: &FormDiff) -> Vec<Line> {
    let mut out: Vec<Line> = diff.rows.iter().map(row_line).collect();
    out.push(total_line(&diff.total));
    out.push(grade_line(&diff.grade));
    out
}

fn row_line(r: &Row) -> Line {
    let value = |v: Option<Decimal>, present: bool| match (v, present) {
        (Some(v), _) => show(v),
        (None, false) => "—".to_owned(),
        (None, true) => "不计".to_owned(),
    };
    let change = match (r.presence, r.delta) {
        (Presence::Added, _) => "新增".to_owned(),
        (Presence::Removed, _) => "删除".to_owned(),
        (Presence::Both, Some(d)) => signed(d),
        (Presence::Both, None) if r.changed => "有变化".to_owned(),
        (Presence::Both, None) => String::new(),
    };
    Line {
        kind: kind_name(r.kind),
        goal: goal_name(r),
        indicator: r.indicator.clone().unwrap_or_default(),
        old: value(r.old, r.presence != Presence::Added),
        new: value(r.new, r.presence != Presence::Removed),
        change,
        changed: r.changed,
    }
}

/// `年度目标N`, or empty.
pub(super) fn goal_name(r: &Row) -> String {
    r.goal.map(|n| format!("年度目标{n}")).unwrap_or_default()
}

fn total_line(t: &TotalDiff) -> Line {
    Line {
        kind: KIND_TOTAL,
        goal: String::new(),
        indicator: String::new(),
        old: show(t.old),
        new: show(t.new),
        change: t.delta.map(signed).unwrap_or_default(),
        changed: t.changed,
    }
}

fn grade_line(g: &GradeDiff) -> Line {
    let show = |x: &Option<String>| x.clone().unwrap_or_else(|| "—".to_owned());
    Line {
        kind: KIND_GRADE,
        goal: String::new(),
        indicator: String::new(),
        old: show(&g.old),
        new: show(&g.new),
        change: if g.changed {
            transition(g.old.as_deref(), g.new.as_deref())
        } else {
            String::new()
        },
        changed: g.changed,
    }
}

/// `良→优`; a missing grade reads as a dash.
pub(super) fn transition(from: Option<&str>, to: Option<&str>) -> String {
    format!("{}→{}", from.unwrap_or("—"), to.unwrap_or("—"))
}

/// The lines a form section shows: changed rows (all with `--all`), then always the total
/// and the grade, the section's bottom line.
#[must_use]
pub fn shown(diff: &FormDiff, all: bool) -> Vec<Line> {
    let mut ls = lines(diff);
    let bottom = ls.split_off(ls.len().saturating_sub(2));
    ls.retain(|l| all || l.changed);
    ls.extend(bottom);
    ls
}

/// What a form whose scores did not change shows instead of its rows:
/// `无变化（总分 96.53，等级 优）`.
#[must_use]
pub fn unchanged(diff: &FormDiff) -> String {
    let grade = diff.grade.new.as_deref().unwrap_or("—");
    format!("无变化（总分 {}，等级 {grade}）", show(diff.total.new))
}

/// `通城县人力资源和社会保障局（examples/tongcheng-2021.toml）`.
#[must_use]
pub fn form_title(diff: &FormDiff) -> String {
    let files = match &diff.old_file {
        Some(old) => format!("{old} → {}", diff.file),
        None => diff.file.clone(),
    };
    match &diff.department {
        Some(d) => format!("{d}（{files}）"),
        None => files,
    }
}

/// A largest mover's cells, under [`Report::mover_columns`].
#[must_use]
pub fn mover_cells(m: &Mover) -> [String; 6] {
    [
        m.department.clone().unwrap_or_default(),
        m.file.clone(),
        show(m.old),
        show(m.new),
        signed(m.delta),
        grade_cell(m.old_grade.as_deref(), m.new_grade.as_deref()),
    ]
}

/// `良→优` when the grade moved, else the grade.
pub(super) fn grade_cell(old: Option<&str>, new: Option<&str>) -> String {
    if old == new {
        new.unwrap_or("").to_owned()
    } else {
        transition(old, new)
    }
}
