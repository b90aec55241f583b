//! `jixiao diff`: the scores of forms under two rule versions (a what-if), or of two
//! versions of one form under one rule set (a corrected resubmission).
//!
//! This module reads the files, scores each form twice with the library, hands the two
//! [`Outcome`]s to [`jixiao::report::diff`], and renders the result as a table, JSON,
//! Markdown or CSV. A form that cannot be read or scored is reported on stderr and
//! skipped; the others are still compared, and the exit code is 1 at the end.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::table::{header, new_table, right_align};
use clap::ValueEnum;
use clap::error::ErrorKind;
use comfy_table::{Attribute, Cell, Color, ColumnConstraint, Width};
use miette::Diagnostic;
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use jixiao::report::diff::{
    FormDiff, GradeDiff, Presence, Row, RowKind, Summary, TotalDiff, diff_outcomes, summarize,
};
use jixiao::report::export::csv::{self, Field};
use jixiao::text::escaped;
use jixiao::{Outcome, Rules};

use super::input::Weights;
use super::{Failure, RulesArgs};

const USAGE: &str = "jixiao diff [OPTIONS] <OLD> <NEW> <FORM>...
       jixiao diff --forms [OPTIONS] <OLD_FORM> <NEW_FORM>";

const AFTER_HELP: &str = "\
两种对比：
  jixiao diff OLD NEW FORM...        同一批表单在两套规则下的得分（OLD、NEW 为规则文件或内置规则名）；
                                     --set 只作用于 NEW，例如：
                                     jixiao diff hubei-2021 hubei-2021 --set budget_weight=10 表单目录/
  jixiao diff --forms 原表 更正表    同一规则（--rules，默认 hubei-2021）下一份表单的两个版本

默认只列出有变化的行（总分、等级总会列出）；--all 列出全部。";

/// The widest the indicator column may grow before it wraps.
const NAME_COLUMN: u16 = 40;

// Help text for `jixiao diff --help` comes from the `Diff` variant in cli/mod.rs and the
// fields below (a doc comment here would replace the variant's).
#[derive(Debug, clap::Args)]
#[command(override_usage = USAGE, after_help = AFTER_HELP)]
pub(crate) struct DiffArgs {
    /// OLD NEW FORM...: two rule files or bundled names, then forms or folders of forms.
    /// With --forms: the old and the new version of a form.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Compare two versions of one form (e.g. a corrected resubmission) under one rule set.
    #[arg(long)]
    forms: bool,
    /// Also show rows whose score did not change.
    #[arg(long)]
    all: bool,
    /// Output: a table, JSON, Markdown (to paste into a report) or CSV.
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Table)]
    format: DiffFormat,
    #[command(flatten)]
    converted: super::input::Converted,
    // --rules: the rule set for --forms. --set: parameters of NEW (or, with --forms, of
    // the one rule set).
    #[command(flatten)]
    rules: RulesArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// Tables in the form's Chinese terms.
    Table,
    /// One JSON object on stdout; decimals as strings.
    Json,
    /// GitHub-flavoured Markdown tables.
    Md,
    /// One row per changed item (RFC 4180).
    Csv,
}

/// A folder named on the command line holds no forms.
#[derive(Debug, Error, Diagnostic)]
#[error("没有找到要对比的表单：{paths} 中没有 .toml 文件")]
#[diagnostic(
    code(jixiao::diff::no_forms),
    help("FORM 可以是表单文件（.toml），也可以是存放表单的文件夹")
)]
struct NoForms {
    paths: String,
}

/// What is being compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One batch of forms under two rule sets.
    Rules,
    /// Two versions of one form under one rule set.
    Forms,
}

impl Mode {
    fn key(self) -> &'static str {
        match self {
            Mode::Rules => "rules",
            Mode::Forms => "forms",
        }
    }

    /// Column headers for the old and the new side.
    fn sides(self) -> (&'static str, &'static str) {
        match self {
            Mode::Rules => ("原规则", "新规则"),
            Mode::Forms => ("原表单", "新表单"),
        }
    }
}

/// A rule set as the output names it.
#[derive(Debug, Clone, Serialize)]
struct RulesRef {
    id: String,
    title: Option<String>,
    file: String,
    /// The `--set NAME=VALUE` parameters applied to it.
    set: Vec<String>,
}

impl RulesRef {
    fn new(rules: &Rules, set: &[String]) -> Self {
        Self {
            id: rules.id().to_owned(),
            title: rules.title().map(str::to_owned),
            file: rules.source().name().to_owned(),
            set: set.to_vec(),
        }
    }

    /// `hubei-2021 湖北省…（rules/hubei-2021.rules；--set budget_weight=10）`, safe for a
    /// terminal.
    fn describe(&self) -> String {
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

/// Everything a renderer needs.
struct Report {
    mode: Mode,
    all: bool,
    old_rules: RulesRef,
    new_rules: RulesRef,
    diffs: Vec<FormDiff>,
    summary: Summary,
    /// Forms that could not be read or scored (their diagnostics went to stderr).
    failed: Vec<String>,
}

pub(crate) fn run(args: &DiffArgs) -> Result<ExitCode, Failure> {
    let batch = if args.forms {
        compare_forms(args)?
    } else {
        compare_rules(args)?
    };
    let batch = match batch {
        Ok(b) => b,
        Err(usage) => return Ok(usage),
    };
    let code = if batch.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    if !batch.diffs.is_empty() {
        let report = Report {
            mode: if args.forms { Mode::Forms } else { Mode::Rules },
            all: args.all,
            summary: summarize(&batch.diffs),
            old_rules: batch.old_rules,
            new_rules: batch.new_rules,
            diffs: batch.diffs,
            failed: batch.failed,
        };
        let out = match args.format {
            DiffFormat::Table => render_table(&report, super::color_stdout()),
            DiffFormat::Json => render_json(&report),
            DiffFormat::Md => render_markdown(&report),
            DiffFormat::Csv => render_csv(&report),
        };
        super::write_stdout(&out)?;
    }
    Ok(code)
}

/// The forms compared, and those that failed; or, as `Err`, the exit code of a usage
/// error already printed.
type Prepared = Result<Batch, ExitCode>;

struct Batch {
    old_rules: RulesRef,
    new_rules: RulesRef,
    diffs: Vec<FormDiff>,
    failed: Vec<String>,
}

/// `jixiao diff --forms OLD_FORM NEW_FORM`: two versions of a form under one rule set.
fn compare_forms(args: &DiffArgs) -> Result<Prepared, Failure> {
    let [old_form, new_form] = args.paths.as_slice() else {
        return Ok(Err(usage_error(
            ErrorKind::WrongNumberOfValues,
            &format!(
                "--forms 需要恰好两个表单：原表单和新表单（收到 {} 个）",
                args.paths.len()
            ),
        )));
    };
    let rules = super::load_rules(&args.rules)?;
    let r = RulesRef::new(&rules, &args.rules.set);
    let (diffs, failed) = match (
        scored(&rules, old_form, args.converted.weights),
        scored(&rules, new_form, args.converted.weights),
    ) {
        (Some(old), Some(new)) => (vec![compared(&old, &new, args.format)], Vec::new()),
        (old, new) => {
            let failed = [(old, old_form), (new, new_form)]
                .into_iter()
                .filter(|(o, _)| o.is_none())
                .map(|(_, p)| p.display().to_string())
                .collect();
            (Vec::new(), failed)
        }
    };
    Ok(Ok(Batch {
        old_rules: r.clone(),
        new_rules: r,
        diffs,
        failed,
    }))
}

/// `jixiao diff OLD NEW FORM...`: forms under two rule sets; `--set` changes NEW only.
fn compare_rules(args: &DiffArgs) -> Result<Prepared, Failure> {
    if args.rules.rules.is_some() {
        return Ok(Err(usage_error(
            ErrorKind::ArgumentConflict,
            "--rules 只用于 --forms；对比两套规则时，规则由 OLD 和 NEW 给出",
        )));
    }
    let [old, new, forms @ ..] = args.paths.as_slice() else {
        return Ok(Err(missing_forms(args.paths.len())));
    };
    if forms.is_empty() {
        return Ok(Err(missing_forms(args.paths.len())));
    }
    let (Some(old_spec), Some(new_spec)) = (old.to_str(), new.to_str()) else {
        return Ok(Err(usage_error(
            ErrorKind::InvalidUtf8,
            "OLD 和 NEW 须为 UTF-8 编码的规则文件路径或内置规则名",
        )));
    };
    let old_rules = super::load_rules_spec(Some(old_spec), &[])?;
    let new_rules = super::load_rules_spec(Some(new_spec), &args.rules.set)?;
    let mut files = super::expand_forms(forms)?;
    // A form named twice (itself and in its folder) is compared once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    if files.is_empty() {
        let paths = forms
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("、");
        return Err(Box::new(NoForms { paths }));
    }
    let mut diffs = Vec::new();
    let mut failed = Vec::new();
    for file in &files {
        match scored_twice(&old_rules, &new_rules, file, args.converted.weights) {
            Some((o, n)) => diffs.push(compared(&o, &n, args.format)),
            None => failed.push(file.display().to_string()),
        }
    }
    Ok(Ok(Batch {
        old_rules: RulesRef::new(&old_rules, &[]),
        new_rules: RulesRef::new(&new_rules, &args.rules.set),
        diffs,
        failed,
    }))
}

/// The differences of two outcomes; for a table, compared with their texts made safe for a
/// terminal (the escape is one-to-one, so the same rows match).
fn compared(old: &Outcome, new: &Outcome, format: DiffFormat) -> FormDiff {
    if format == DiffFormat::Table {
        diff_outcomes(&super::for_terminal(old), &super::for_terminal(new))
    } else {
        diff_outcomes(old, new)
    }
}

fn missing_forms(given: usize) -> ExitCode {
    usage_error(
        ErrorKind::MissingRequiredArgument,
        &format!(
            "需要原规则 OLD、新规则 NEW 和至少一个表单 FORM（收到 {given} 个参数）；\
             对比一份表单的两个版本请用 --forms OLD_FORM NEW_FORM"
        ),
    )
}

/// Prints a usage error the way clap does (with the usage lines) and returns exit code 2.
fn usage_error(kind: ErrorKind, message: &str) -> ExitCode {
    let mut cmd =
        <DiffArgs as clap::Args>::augment_args(clap::Command::new("diff").bin_name("jixiao diff"));
    let _ = cmd.error(kind, message).print();
    ExitCode::from(2)
}

/// Scores one form; on failure prints the diagnostic to stderr and returns `None`.
fn scored(rules: &Rules, path: &Path, weights: Weights) -> Option<Outcome<'static>> {
    let form = load(path, weights)?;
    evaluated(rules, &form, path, None).map(Outcome::into_owned)
}

fn load(path: &Path, weights: Weights) -> Option<super::input::FormFile> {
    match super::input::load_form_file(path, weights) {
        Ok(form) => Some(form),
        Err(e) => {
            super::print_report(e.as_ref());
            None
        }
    }
}

/// Scores a loaded form; on failure prints the diagnostic to stderr, after a line naming
/// the rules (`side`) when two rule sets are compared.
fn evaluated<'a>(
    rules: &'a Rules,
    form: &'a super::input::FormFile,
    path: &Path,
    side: Option<&str>,
) -> Option<Outcome<'a>> {
    match jixiao::evaluate(rules, form) {
        Ok(mut o) => {
            form.warn(&mut o);
            Some(o)
        }
        Err(e) => {
            if let Some(side) = side {
                super::write_stderr(&format!(
                    "表单 {} 在{side} {} 下无法计分：\n",
                    escaped(&path.display().to_string(), false),
                    escaped(rules.id(), false)
                ));
            }
            super::print_report(&e);
            None
        }
    }
}

/// Loads a form once and scores it under both rule sets; every failure goes to stderr.
fn scored_twice(
    old: &Rules,
    new: &Rules,
    path: &Path,
    weights: Weights,
) -> Option<(Outcome<'static>, Outcome<'static>)> {
    let form = load(path, weights)?;
    let o = evaluated(old, &form, path, Some("原规则"));
    let n = evaluated(new, &form, path, Some("新规则"));
    Some((o?.into_owned(), n?.into_owned()))
}

// ---------------------------------------------------------------------------------------
// What a human reads: lines shared by the table, Markdown and CSV renderers.

/// One displayed row.
struct Line {
    /// 预算执行情况 / 指标得分 / 目标得分 / 总分 / 等级.
    kind: &'static str,
    /// `年度目标N`, or empty.
    goal: String,
    /// The indicator's name, or empty.
    indicator: String,
    old: String,
    new: String,
    change: String,
    changed: bool,
}

impl Line {
    /// The table's 项目 column: the goal for goal and indicator rows, else the kind.
    fn item(&self) -> &str {
        if self.goal.is_empty() {
            self.kind
        } else {
            &self.goal
        }
    }

    /// The table's 指标 column: the indicator, or 小计 for a goal's own score.
    fn name(&self) -> &str {
        if self.kind == KIND_GOAL {
            "小计"
        } else {
            &self.indicator
        }
    }
}

const KIND_GOAL: &str = "目标得分";

/// The 项目 a row reports.
fn kind_name(kind: RowKind) -> &'static str {
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
        (Some(v), _) => v.to_string(),
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
fn goal_name(r: &Row) -> String {
    r.goal.map(|n| format!("年度目标{n}")).unwrap_or_default()
}

fn total_line(t: &TotalDiff) -> Line {
    Line {
        kind: "总分",
        goal: String::new(),
        indicator: String::new(),
        old: t.old.to_string(),
        new: t.new.to_string(),
        change: t.delta.map(signed).unwrap_or_default(),
        changed: t.changed,
    }
}

fn grade_line(g: &GradeDiff) -> Line {
    let show = |x: &Option<String>| x.clone().unwrap_or_else(|| "—".to_owned());
    Line {
        kind: "等级",
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

/// `+2.53`, `-1.10`; a zero change is blank.
fn signed(d: Decimal) -> String {
    if d.is_zero() {
        String::new()
    } else if d.is_sign_positive() {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// `良→优`; a missing grade reads as a dash.
fn transition(from: Option<&str>, to: Option<&str>) -> String {
    format!("{}→{}", from.unwrap_or("—"), to.unwrap_or("—"))
}

/// The lines a form section shows: changed rows (all with `--all`), then always the total
/// and the grade, the section's bottom line.
fn shown(diff: &FormDiff, all: bool) -> Vec<Line> {
    let mut ls = lines(diff);
    let bottom = ls.split_off(ls.len().saturating_sub(2));
    ls.retain(|l| all || l.changed);
    ls.extend(bottom);
    ls
}

/// `通城县人力资源和社会保障局（examples/tongcheng-2021.toml）`.
fn form_title(diff: &FormDiff) -> String {
    let files = match &diff.old_file {
        Some(old) => format!("{old} → {}", diff.file),
        None => diff.file.clone(),
    };
    match &diff.department {
        Some(d) => format!("{d}（{files}）"),
        None => files,
    }
}

/// Rows of the summary: (项目, 值).
fn summary_pairs(r: &Report) -> Vec<(&'static str, String)> {
    let s = &r.summary;
    let grades = if s.grade_changed == 0 {
        "无".to_owned()
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
        format!("{} 份（{each}）", s.grade_changed)
    };
    let human = |d: Option<Decimal>| match d {
        Some(d) if d.is_zero() => d.abs().to_string(),
        Some(d) => signed(d),
        None => "—".to_owned(),
    };
    let mut pairs = vec![
        ("对比表单", format!("{} 份", s.forms)),
        ("得分有变化", format!("{} 份", s.changed)),
        ("等级变化", grades),
        ("总分平均变化", human(s.mean_delta)),
        ("总分最大变化", human(s.max_delta)),
    ];
    if !r.failed.is_empty() {
        pairs.push((
            "未能计分",
            format!("{} 份（错误信息见标准错误输出）", r.failed.len()),
        ));
    }
    pairs
}

fn headline(r: &Report) -> Vec<String> {
    match r.mode {
        Mode::Rules => vec![
            format!("原规则：{}", r.old_rules.describe()),
            format!("新规则：{}", r.new_rules.describe()),
        ],
        Mode::Forms => vec![format!("计分规则：{}", r.new_rules.describe())],
    }
}

// ---------------------------------------------------------------------------------------
// Table

fn render_table(r: &Report, color: bool) -> String {
    let (old_side, new_side) = r.mode.sides();
    let mut out = String::from(match r.mode {
        Mode::Rules => "评分对比：两套规则\n",
        Mode::Forms => "评分对比：表单的两个版本\n",
    });
    for l in headline(r) {
        out.push_str(&l);
        out.push('\n');
    }
    for diff in &r.diffs {
        out.push('\n');
        out.push_str(&form_title(diff));
        out.push('\n');
        if !r.all && !diff.changed() {
            let grade = diff.grade.new.as_deref().unwrap_or("—");
            let _ = writeln!(out, "无变化（总分 {}，等级 {grade}）", diff.total.new);
            continue;
        }
        let mut t = new_table(color);
        t.set_header(header(&["项目", "指标", old_side, new_side, "变化"]));
        for l in shown(diff, r.all) {
            let bottom = l.kind == "总分" || l.kind == "等级";
            let mut item = Cell::new(l.item());
            if bottom {
                item = item.add_attribute(Attribute::Bold);
            }
            let mut change = Cell::new(&l.change);
            if color && l.changed {
                change = change.fg(Color::Yellow).add_attribute(Attribute::Bold);
            }
            t.add_row(vec![
                item,
                Cell::new(l.name()),
                Cell::new(&l.old),
                Cell::new(&l.new),
                change,
            ]);
        }
        if let Some(col) = t.column_mut(1) {
            col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(NAME_COLUMN)));
        }
        right_align(&mut t, 2..5);
        out.push_str(&t.to_string());
        out.push('\n');
    }

    if r.diffs.len() > 1 || !r.failed.is_empty() {
        out.push_str("\n汇总\n");
        let mut t = new_table(color);
        t.set_header(header(&["项目", "值"]));
        for (k, v) in summary_pairs(r) {
            t.add_row(vec![Cell::new(k), Cell::new(v)]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
        if r.diffs.len() > 1 && !r.summary.largest_movers.is_empty() {
            out.push_str("\n总分变动最大的表单\n");
            let mut t = new_table(color);
            t.set_header(header(&[
                "单位", "文件", old_side, new_side, "变化", "等级",
            ]));
            for m in &r.summary.largest_movers {
                t.add_row(vec![
                    Cell::new(m.department.as_deref().unwrap_or("")),
                    Cell::new(&m.file),
                    Cell::new(m.old.to_string()),
                    Cell::new(m.new.to_string()),
                    Cell::new(signed(m.delta)),
                    Cell::new(grade_cell(m.old_grade.as_deref(), m.new_grade.as_deref())),
                ]);
            }
            if let Some(col) = t.column_mut(0) {
                col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(NAME_COLUMN)));
            }
            right_align(&mut t, 2..5);
            out.push_str(&t.to_string());
            out.push('\n');
        }
    }
    out
}

/// `良→优` when the grade moved, else the grade.
fn grade_cell(old: Option<&str>, new: Option<&str>) -> String {
    if old == new {
        new.unwrap_or("").to_owned()
    } else {
        transition(old, new)
    }
}

// ---------------------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct JsonReport<'a> {
    /// `rules` (two rule sets) or `forms` (two versions of a form).
    mode: &'static str,
    old_rules: &'a RulesRef,
    new_rules: &'a RulesRef,
    forms: Vec<JsonForm<'a>>,
    summary: &'a Summary,
    /// Forms that could not be read or scored.
    failed: &'a [String],
}

#[derive(Serialize)]
struct JsonForm<'a> {
    file: &'a str,
    old_file: Option<&'a str>,
    department: Option<&'a str>,
    changed: bool,
    /// Changed rows only, unless `--all`.
    rows: Vec<&'a Row>,
    total: &'a TotalDiff,
    grade: &'a GradeDiff,
}

fn render_json(r: &Report) -> String {
    let report = JsonReport {
        mode: r.mode.key(),
        old_rules: &r.old_rules,
        new_rules: &r.new_rules,
        forms: r
            .diffs
            .iter()
            .map(|d| JsonForm {
                file: &d.file,
                old_file: d.old_file.as_deref(),
                department: d.department.as_deref(),
                changed: d.changed(),
                rows: d.rows.iter().filter(|row| r.all || row.changed).collect(),
                total: &d.total,
                grade: &d.grade,
            })
            .collect(),
        summary: &r.summary,
        failed: &r.failed,
    };
    match serde_json::to_string_pretty(&report) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Only strings, decimals and plain containers.
        Err(e) => unreachable!("the diff report serialises: {e}"),
    }
}

// ---------------------------------------------------------------------------------------
// Markdown

fn render_markdown(r: &Report) -> String {
    let (old_side, new_side) = r.mode.sides();
    let mut out = String::from(match r.mode {
        Mode::Rules => "# 评分对比：两套规则\n\n",
        Mode::Forms => "# 评分对比：表单的两个版本\n\n",
    });
    for l in headline(r) {
        let _ = writeln!(out, "- {}", md(&l));
    }
    for diff in &r.diffs {
        let _ = write!(out, "\n## {}\n\n", md(&form_title(diff)));
        if !r.all && !diff.changed() {
            let grade = diff.grade.new.as_deref().unwrap_or("—");
            let _ = writeln!(
                out,
                "无变化（总分 {}，等级 {}）。",
                diff.total.new,
                md(grade)
            );
            continue;
        }
        md_row(&mut out, &["项目", "指标", old_side, new_side, "变化"]);
        out.push_str("| --- | --- | ---: | ---: | ---: |\n");
        for l in shown(diff, r.all) {
            md_row(&mut out, &[l.item(), l.name(), &l.old, &l.new, &l.change]);
        }
    }
    if r.diffs.len() > 1 || !r.failed.is_empty() {
        out.push_str("\n## 汇总\n\n| 项目 | 值 |\n| --- | --- |\n");
        for (k, v) in summary_pairs(r) {
            md_row(&mut out, &[k, &v]);
        }
        if r.diffs.len() > 1 && !r.summary.largest_movers.is_empty() {
            out.push_str("\n### 总分变动最大的表单\n\n");
            md_row(
                &mut out,
                &["单位", "文件", old_side, new_side, "变化", "等级"],
            );
            out.push_str("| --- | --- | ---: | ---: | ---: | --- |\n");
            for m in &r.summary.largest_movers {
                md_row(
                    &mut out,
                    &[
                        m.department.as_deref().unwrap_or(""),
                        &m.file,
                        &m.old.to_string(),
                        &m.new.to_string(),
                        &signed(m.delta),
                        &grade_cell(m.old_grade.as_deref(), m.new_grade.as_deref()),
                    ],
                );
            }
        }
    }
    out
}

fn md_row(out: &mut String, cells: &[&str]) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(&md(c));
        out.push_str(" |");
    }
    out.push('\n');
}

/// Text safe inside a Markdown table cell: characters Markdown would read as table
/// structure or emphasis are escaped, line breaks become spaces.
fn md(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' => {
                s.push('\\');
                s.push(c);
            }
            '\r' | '\n' => s.push(' '),
            _ => s.push(c),
        }
    }
    s
}

// ---------------------------------------------------------------------------------------
// CSV

/// One row per changed item (every item with `--all`), written by the one CSV writer
/// ([`csv::Writer`]: byte order mark, RFC 4180, text that a spreadsheet would run as a
/// formula defused). Scores and changes are numbers (a zero change `0.00`, a rise `2.53`
/// without a sign), an absent score an empty cell; form texts are text.
fn render_csv(r: &Report) -> String {
    let mut out = csv::Writer::new();
    out.row(&["表单", "目标", "指标", "项目", "原值", "新值", "变化"].map(Field::Text));
    let number = |d: Option<Decimal>| d.map_or(Field::Empty, Field::Number);
    // A change of zero is `0.00`, not `-0.00`.
    let change = |d: Option<Decimal>| number(d.map(|d| if d.is_zero() { d.abs() } else { d }));
    for diff in &r.diffs {
        for row in diff.rows.iter().filter(|row| r.all || row.changed) {
            let goal = goal_name(row);
            out.row(&[
                Field::Text(&diff.file),
                Field::Text(&goal),
                Field::Text(row.indicator.as_deref().unwrap_or("")),
                Field::Text(kind_name(row.kind)),
                number(row.old),
                number(row.new),
                match row.presence {
                    Presence::Added => Field::Text("新增"),
                    Presence::Removed => Field::Text("删除"),
                    Presence::Both => change(row.delta),
                },
            ]);
        }
        let t = &diff.total;
        if r.all || t.changed {
            out.row(&[
                Field::Text(&diff.file),
                Field::Empty,
                Field::Empty,
                Field::Text("总分"),
                Field::Number(t.old),
                Field::Number(t.new),
                change(t.delta),
            ]);
        }
        let g = &diff.grade;
        if r.all || g.changed {
            let moved = transition(g.old.as_deref(), g.new.as_deref());
            out.row(&[
                Field::Text(&diff.file),
                Field::Empty,
                Field::Empty,
                Field::Text("等级"),
                g.old.as_deref().map_or(Field::Empty, Field::Text),
                g.new.as_deref().map_or(Field::Empty, Field::Text),
                if g.changed {
                    Field::Text(&moved)
                } else {
                    Field::Empty
                },
            ]);
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_escape_pipes_and_emphasis() {
        assert_eq!(md("a|b *c* d_e\nf"), "a\\|b \\*c\\* d\\_e f");
    }

    #[test]
    fn deltas_are_signed() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(signed(d("2.53")), "+2.53");
        assert_eq!(signed(d("-1.10")), "-1.10");
        assert_eq!(signed(d("0.00")), "");
    }
}
