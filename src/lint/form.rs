//! Checks of a loaded form against compiled rules.
//!
//! Scoring ([`crate::evaluate`]) stops at the first error, so besides scoring the whole
//! form once, each indicator is scored alone: on a copy of the form whose goals keep their
//! numbers and weights but hold only that indicator, with a neutral budget (A = B = 1) so
//! that a budget error does not hide the indicators' errors. An error of such a run counts
//! when it points into that indicator's table. So every indicator that no class takes
//! (`jixiao::eval::no_class`), lacks an assessment, and so on, is reported, not just the
//! first. [`lint_form_without_rules`] runs only the checks that need no rules, for a form
//! whose rules do not compile.
//!
//! Codes:
//! - errors of scoring keep their codes (`jixiao::eval::*`);
//! - `jixiao::lint::text_for_numbers` (error), instead of `no_class`: an indicator written
//!   as text (qualitative) that no `for text` class takes, while the rules expect a
//!   number for it: they have no `for text` class at all, or a `for numbers` class whose
//!   `when` reads only the indicator's description (`level1`, `level2`, `name`, `goal`,
//!   `direction`) holds for it;
//! - `jixiao::eval::weight_sum` (warning): a goal whose indicator weights do not sum to its
//!   weight; `jixiao::eval::total_weight` (warning): the budget's weight plus the goals'
//!   (after `scale goals`) is not 100. The evaluator's codes and messages, computed here
//!   so they appear even when scoring fails;
//! - the evaluator's other warnings (`not_evaluated`, `omitted`, `nothing_evaluated`),
//!   pointing at the indicator or goal; a goal-level warning is missing when scoring fails;
//! - `jixiao::lint::duplicate_indicator` (warning): one indicator name twice in a goal;
//! - `jixiao::lint::missing_output_or_effect` (warning): a goal without an indicator whose
//!   一级指标 contains 产出, or without one whose 一级指标 contains 效益.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::check::{CExpr, ClassRule, Rules, Var};
use crate::eval::{EvalError, Val, Warning};
use crate::form::{Direction, Form, Goal, Indicator, Parsed, Value};
use crate::num::{self, Exact};
use crate::syntax::ast::ClassKind;

use super::{Lint, Severity, primary_label};
use crate::code::Code;

/// Every error and warning of `form` under `rules`, in form order: the first
/// [`crate::limits::MAX_DIAGNOSTICS`], then a count of the rest.
#[must_use]
pub fn lint_form(rules: &Rules, form: &Form) -> Vec<Lint> {
    let mut out = Vec::new();
    scoring(rules, form, &mut out);
    total_weight(rules, form, &mut out);
    without_rules(form, &mut out);
    out.sort_by_key(|l| l.order);
    super::capped(out, form.source.name())
}

/// The checks of [`lint_form`] that need no rules (`weight_sum`, `duplicate_indicator`,
/// `missing_output_or_effect`), for a form whose rules do not compile.
#[must_use]
pub fn lint_form_without_rules(form: &Form) -> Vec<Lint> {
    let mut out = Vec::new();
    without_rules(form, &mut out);
    out.sort_by_key(|l| l.order);
    super::capped(out, form.source.name())
}

fn without_rules(form: &Form, out: &mut Vec<Lint>) {
    for (number, goal) in (1..).zip(&form.goals) {
        weight_sum(form, number, goal, out);
        duplicates(form, number, goal, out);
        levels(form, number, goal, out);
    }
}

/// What identifies an error: a second run that fails the same way is not reported again.
fn key(e: &EvalError) -> (String, String, usize) {
    (
        e.kind().as_str().to_owned(),
        e.to_string(),
        primary_label(e).map_or(0, |l| l.offset()),
    )
}

fn scoring(rules: &Rules, form: &Form, out: &mut Vec<Lint>) {
    let name = form.source.name();
    let full = crate::evaluate(rules, form);
    let mut seen = HashSet::new();
    if let Ok(outcome) = &full {
        for w in outcome.warnings.iter().filter(|w| w.indicator.is_none()) {
            if let Some(lint) = goal_warning(form, w) {
                out.push(lint);
            }
        }
    }

    // Each indicator alone, in a form whose goals are kept (numbered as before) but empty.
    let mut skeleton = form.clone();
    for g in &mut skeleton.goals {
        g.indicators.clear();
    }
    for v in [&mut skeleton.budget.planned, &mut skeleton.budget.executed] {
        if let Parsed::Quantity(q) = &mut v.parsed {
            q.number = Decimal::ONE;
        }
    }
    for (gi, goal) in form.goals.iter().enumerate() {
        for ind in &goal.indicators {
            let mut copy = skeleton.clone();
            let Some(g) = copy.goals.get_mut(gi) else {
                continue;
            };
            g.indicators.push(ind.clone());
            match crate::evaluate(rules, &copy) {
                Ok(o) => {
                    for w in o.warnings.iter().filter(|w| w.indicator.is_some()) {
                        out.push(indicator_warning(form, ind, w));
                    }
                }
                Err(e) => {
                    let inside = primary_label(&e)
                        .is_some_and(|l| l.offset() >= ind.span.start && l.offset() < ind.span.end);
                    if !inside || !seen.insert(key(&e)) {
                        continue;
                    }
                    match (e.kind(), text_for_numbers(rules, form, goal, ind)) {
                        (Code::EvalNoClass, Some(lint)) => out.push(lint),
                        _ => out.push(Lint::from_diagnostic(Box::new(e), name)),
                    }
                }
            }
        }
    }
    // The whole form's error, unless an indicator's run already reported it.
    if let Err(e) = full {
        if !seen.contains(&key(&e)) {
            out.push(Lint::from_diagnostic(Box::new(e), name));
        }
    }
}

fn help_for(code: Code) -> Option<&'static str> {
    Some(match code {
        Code::EvalNotEvaluated => {
            "填写实际完成值（actual）；若这类指标可以不评，在规则中用 `optional when …` 声明"
        }
        Code::EvalOmitted => "可选指标未评价时不计分；若已评价，请填写实际完成值（actual）",
        Code::EvalNothingEvaluated => "至少为这个目标的一个指标填写实际完成值（actual）",
        Code::EvalOtherRules => {
            "用表单注明的规则计分（命令行：--rules 加内置规则名或规则文件；工作台：在规则列表中打开它）；若是表单写错了规则名，改正 [form] 的 rules"
        }
        Code::EvalStructure => {
            "按规则要求的分值结构核对各年度目标与指标的分值（weight）；结构不对时得分照算，但与同一方案下的其他单位不可比"
        }
        _ => return None,
    })
}

fn indicator_warning(form: &Form, ind: &Indicator, w: &Warning) -> Lint {
    let label = match w.code {
        Code::EvalNotEvaluated => "未填写实际完成值，按 0 分计",
        Code::EvalOmitted => "未评价，不计分",
        _ => "这个指标",
    };
    let mut lint = Lint::new(w.code, Severity::Warning, &form.source, w.message.clone())
        .label(ind.name.span, label);
    if let Some(h) = help_for(w.code) {
        lint = lint.with_help(h);
    }
    lint
}

/// A warning about a goal (or the whole form); `weight_sum` and `total_weight` are
/// computed by [`weights`] instead.
fn goal_warning(form: &Form, w: &Warning) -> Option<Lint> {
    if matches!(w.code, Code::EvalWeightSum | Code::EvalTotalWeight) {
        return None;
    }
    let goal = w
        .goal
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| form.goals.get(i));
    let (span, label) = match (goal, &form.rules) {
        (Some(g), _) => (g.name.span, "这个目标"),
        (None, Some(named)) if w.code == Code::EvalOtherRules => (named.span, "表单注明的规则"),
        (None, _) => (form.budget.span, "这份表单"),
    };
    let mut lint =
        Lint::new(w.code, Severity::Warning, &form.source, w.message.clone()).label(span, label);
    if let Some(h) = help_for(w.code) {
        lint = lint.with_help(h);
    }
    Some(lint)
}

/// `jixiao::eval::weight_sum`, as the evaluator computes it.
fn weight_sum(form: &Form, number: usize, goal: &Goal, out: &mut Vec<Lint>) {
    let Ok(sum) = num::sum(goal.indicators.iter().map(|i| i.weight.value)) else {
        return;
    };
    if sum == goal.weight.value {
        return;
    }
    out.push(
        Lint::new(
            Code::EvalWeightSum,
            Severity::Warning,
            &form.source,
            format!(
                "年度目标{number}的指标权重合计 {}，与目标分值 {} 不符；按各指标权重照常计分",
                num::show(sum),
                num::show(goal.weight.value)
            ),
        )
        .label(
            goal.weight.span,
            format!(
                "目标分值 {}，指标权重合计 {}",
                num::show(goal.weight.value),
                num::show(sum)
            ),
        )
        .with_help(format!(
            "把这个目标下各指标的 weight 调整到合计 {}，或更正目标的 weight",
            num::show(goal.weight.value)
        )),
    );
}

/// `jixiao::eval::total_weight`, as the evaluator computes it.
fn total_weight(rules: &Rules, form: &Form, out: &mut Vec<Lint>) {
    let budget = match rules.budget.weight.eval(&|_| None, &rules.param_values) {
        Ok(Val::Num(n)) => n,
        _ => Exact::ZERO,
    };
    let Ok(goals) = goal_total(rules, form) else {
        return;
    };
    let Ok(total) = budget.add(&goals) else {
        return;
    };
    let hundred = Exact::int(100);
    if total == hundred {
        return;
    }
    let Ok(rest) = hundred.sub(&budget) else {
        return;
    };
    out.push(
        Lint::new(
            Code::EvalTotalWeight,
            Severity::Warning,
            &form.source,
            format!("预算执行分值与各目标分值合计 {total}，不是 100"),
        )
        .label(
            form.budget.span,
            format!("预算执行 {budget} 分（按规则）+ 各年度目标 {goals} 分"),
        )
        .with_help(format!(
            "各年度目标的分值（weight）合计应为 {rest}；或在规则中用 `scale goals to {rest}` 把目标分值按比例折算"
        )),
    );
}

/// The goals' weights summed as scoring sums them: scaled by `scale goals to T` when the
/// form's goals do not already sum to T.
fn goal_total(rules: &Rules, form: &Form) -> Result<Exact, crate::num::ArithError> {
    let weights: Vec<Exact> = form
        .goals
        .iter()
        .map(|g| Exact::from(g.weight.value))
        .collect();
    let sum = Exact::sum(&weights)?;
    let scale = rules.scale.as_ref();
    let Some(Ok(Val::Num(target))) = scale.map(|s| s.eval(&|_| None, &rules.param_values)) else {
        return Ok(sum);
    };
    if sum.is_zero() || sum == target {
        return Ok(sum);
    }
    let mut total = Exact::ZERO;
    for w in &weights {
        total = total.add(&w.mul(&target)?.div(&sum)?)?;
    }
    Ok(total)
}

fn duplicates(form: &Form, number: usize, goal: &Goal, out: &mut Vec<Lint>) {
    for (i, ind) in goal.indicators.iter().enumerate() {
        let Some(first) = goal.indicators[..i]
            .iter()
            .find(|e| e.name.text == ind.name.text)
        else {
            continue;
        };
        let times = goal
            .indicators
            .iter()
            .filter(|e| e.name.text == ind.name.text)
            .count();
        out.push(
            Lint::new(
                Code::LintDuplicateIndicator,
                Severity::Warning,
                &form.source,
                format!(
                    "年度目标{number}中指标「{}」出现了 {times} 次",
                    ind.name.text
                ),
            )
            .label(ind.name.span, "又一次出现")
            .label(first.name.span, "第一次出现")
            .with_help("同一目标内的指标名称应唯一：若是重复填写，删除其中一行；若是两个指标，在名称中加以区分"),
        );
    }
}

fn levels(form: &Form, number: usize, goal: &Goal, out: &mut Vec<Lint>) {
    let has = |word: &str| goal.indicators.iter().any(|i| i.level1.text.contains(word));
    let missing: Vec<&str> = [("产出", "产出指标"), ("效益", "效益指标")]
        .into_iter()
        .filter(|(word, _)| !has(word))
        .map(|(_, name)| name)
        .collect();
    if missing.is_empty() {
        return;
    }
    let what = missing.join("和");
    out.push(
        Lint::new(
            Code::LintMissingOutputOrEffect,
            Severity::Warning,
            &form.source,
            format!("年度目标{number}没有{what}"),
        )
        .label(goal.name.span, format!("这个目标缺少{what}"))
        .with_help(format!(
            "每个年度目标应至少有一个产出指标和一个效益指标；为这个目标补充 {} 的指标",
            missing
                .iter()
                .map(|m| format!("`level1 = \"{m}\"`"))
                .collect::<Vec<_>>()
                .join(" 与 ")
        )),
    );
}

/// The value shown for an indicator: its actual, else its target, else its first entry's.
fn shown_value(ind: &Indicator) -> Option<&Value> {
    ind.actual.as_ref().or(ind.target.as_ref()).or_else(|| {
        ind.entries
            .first()
            .and_then(|e| e.actual.as_ref().or(e.target.as_ref()))
    })
}

/// `jixiao::lint::text_for_numbers` for an indicator no class took, when its values are
/// text and the rules expect a number for it.
fn text_for_numbers(rules: &Rules, form: &Form, goal: &Goal, ind: &Indicator) -> Option<Lint> {
    let value = shown_value(ind)?;
    if !matches!(value.parsed, Parsed::Text(_)) {
        return None;
    }
    let by = if rules.classes.iter().any(|c| c.kind == ClassKind::Text) {
        Some(numbers_class_by_description(rules, goal, ind)?)
    } else {
        None
    };
    let example = "把目标值与实际完成值写成带单位的数值，如「≥95%」「4000人次」";
    let help = match by {
        None => format!(
            "规则 {} 没有定性指标类别（for text），只能为数值计分：{example}；或在规则中加一个 `class 名称 for text:` 类别",
            rules.id()
        ),
        Some((class, when)) => format!(
            "规则的类别「{}」（for numbers，{}）按条件 `{when}` 适用于这个指标，要求数值：{example}",
            class.name,
            rules.cite(class.head)
        ),
    };
    let mut lint = Lint::new(
        Code::LintTextForNumbers,
        Severity::Error,
        &form.source,
        format!("指标「{}」填的是文字，但规则要求数值", ind.name.text),
    )
    .label(value.span, "文字（定性）");
    if let Some(t) = ind.target.as_ref().filter(|t| t.span != value.span) {
        lint = lint.label(t.span, "文字（定性）");
    }
    Some(lint.with_help(help))
}

/// The first `for numbers` class whose `when` reads only the indicator's description and
/// holds for it, with that condition's text.
fn numbers_class_by_description<'r>(
    rules: &'r Rules,
    goal: &Goal,
    ind: &Indicator,
) -> Option<(&'r ClassRule, String)> {
    let direction = match ind.direction {
        Some(Direction::Positive) => "positive",
        Some(Direction::Negative) => "negative",
        None => "",
    };
    let describe = |v: Var| -> Option<Val<'_>> {
        Some(Val::Text(match v {
            Var::Level1 => &ind.level1.text,
            Var::Level2 => &ind.level2.text,
            Var::Name => &ind.name.text,
            Var::Goal => &goal.name.text,
            Var::Direction => direction,
            _ => return None,
        }))
    };
    rules
        .classes
        .iter()
        .filter(|c| c.kind == ClassKind::Numbers)
        .find_map(|c| {
            let when: &CExpr = c.when.as_ref()?;
            let mut vars = Vec::new();
            when.vars_used(&mut vars);
            let descriptive = vars.iter().all(|v| {
                matches!(
                    v,
                    Var::Level1 | Var::Level2 | Var::Name | Var::Goal | Var::Direction
                )
            });
            (descriptive && when.eval(&describe, &rules.param_values) == Ok(Val::Bool(true)))
                .then(|| (c, rules.slice(when.span).trim().to_owned()))
        })
}
