//! Evaluation: compiled [`Rules`] + loaded [`Form`] → [`Outcome`].
//!
//! Input: rules and a form, both already valid on their own. Output: every score with the
//! trace of how it was reached, or the first [`EvalError`] (a value the rules cannot
//! score, pointing at the form and the rule). Invariants: all arithmetic is checked
//! decimal arithmetic; nothing here reads files or the rule source text beyond citing
//! line numbers; evaluation never loops (the language has no loops or recursion).

mod error;
pub(crate) mod expr;
mod fast;
mod outcome;
mod render;

use std::borrow::Cow;

use rust_decimal::Decimal;

pub use error::EvalError;
pub use outcome::{
    BudgetOutcome, FormInfo, GoalOutcome, IndicatorOutcome, MapText, Outcome, RulesInfo, Status,
    Step, Warning,
};

pub(crate) use expr::{Env, ExprFault, Val};

use crate::check::{
    BandRule, Calc, ClassRule, Cond, Formula, GuardOutcome, Rules, Var, did_you_mean, percent,
};
use crate::form::{Cmp, Entry, Form, Goal, Indicator, Num, Parsed, Text, Value};
use crate::num::{self, ArithError, Exact, Frac};
use crate::source::{Source, Span};
use crate::syntax::ast::{AggMethod, AggTarget, ClassKind, OptionalAction, RoundLevel};

/// Scores `form` under `rules`.
///
/// # Errors
/// An [`EvalError`] for the first value the rules cannot score.
pub fn evaluate<'a>(rules: &'a Rules, form: &'a Form) -> Result<Outcome<'a>, EvalError> {
    evaluate_with(rules, form, Options::default())
}

/// How to evaluate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Record how each score was reached (`trace`), as `explain` shows it. Off, scoring a
    /// large batch allocates much less; the scores are the same.
    pub trace: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { trace: true }
    }
}

/// Scores `form` under `rules`, with `options`.
///
/// # Errors
/// An [`EvalError`] for the first value the rules cannot score.
pub fn evaluate_with<'a>(
    rules: &'a Rules,
    form: &'a Form,
    options: Options,
) -> Result<Outcome<'a>, EvalError> {
    Evaluator {
        rules,
        form: &form.source,
        params: &rules.param_values,
        trace: options.trace,
    }
    .run(form)
}

struct Evaluator<'r> {
    rules: &'r Rules,
    form: &'r Source,
    params: &'r [Decimal],
    trace: bool,
}

/// What one indicator offers the rules' built-in names, by [`Var`] index: the numbers
/// (A and B when numbers, weight, rate) and the texts (A and B when texts, tier, op, …).
/// Arrays, so that looking a name up is an index rather than a branch on the name, which
/// a processor predicts badly when one formula reads several names.
#[derive(Clone)]
struct Subject<'a> {
    nums: [Option<Exact>; Var::NUMBERS],
    texts: [Option<&'a str>; Var::COUNT],
}

impl<'a> Env<'a> for Subject<'a> {
    #[inline]
    fn get(&self, var: Var) -> Option<Val<'a>> {
        Subject::get(self, var)
    }

    #[inline]
    fn num(&self, var: Var) -> Option<Exact> {
        self.nums.get(var as usize).and_then(Clone::clone)
    }

    #[inline]
    fn frac(&self, var: Var) -> Option<Frac> {
        self.nums
            .get(var as usize)
            .and_then(|n| n.as_ref())
            .and_then(Exact::frac)
    }

    #[inline]
    fn text(&self, var: Var) -> Option<&'a str> {
        self.texts[var as usize]
    }
}

impl<'a> Subject<'a> {
    /// An indicator of `weight` points with these names; every other text built-in is
    /// "" and A, B and rate have no value yet.
    fn new(weight: Exact, level1: &'a str, level2: &'a str, name: &'a str, goal: &'a str) -> Self {
        let mut s = Subject {
            nums: [const { None }; Var::NUMBERS],
            texts: [Some(""); Var::COUNT],
        };
        s.nums[Var::Weight as usize] = Some(weight);
        for v in [Var::A, Var::B, Var::Weight, Var::Rate] {
            s.texts[v as usize] = None;
        }
        s.set_text(Var::Level1, level1);
        s.set_text(Var::Level2, level2);
        s.set_text(Var::Name, name);
        s.set_text(Var::Goal, goal);
        s
    }

    #[inline]
    fn get(&self, var: Var) -> Option<Val<'a>> {
        match self.nums.get(var as usize) {
            Some(Some(n)) => Some(Val::Num(n.clone())),
            _ => self.texts[var as usize].map(Val::Text),
        }
    }

    /// Gives `var` (A, B or rate) a value, a number or a text, or none.
    fn set(&mut self, var: Var, value: Option<Val<'a>>) {
        let (num, text) = match value {
            Some(Val::Num(n)) => (Some(n), None),
            Some(Val::Text(t)) => (None, Some(t)),
            Some(Val::Bool(_)) | None => (None, None),
        };
        if let Some(slot) = self.nums.get_mut(var as usize) {
            *slot = num;
        }
        self.texts[var as usize] = text;
    }

    /// Gives the numeric built-in `var` (A, B or rate) the number `n`.
    #[inline]
    fn set_num(&mut self, var: Var, n: Exact) {
        if let Some(slot) = self.nums.get_mut(var as usize) {
            *slot = Some(n);
            self.texts[var as usize] = None;
        }
    }

    fn set_text(&mut self, var: Var, text: &'a str) {
        self.texts[var as usize] = Some(text);
    }
}

/// What an indicator's values aggregate to before classification.
enum Values<'f> {
    Numbers { a: Exact, b: Exact, cmp: Cmp },
    Text { a: &'f str, b: &'f str },
}

/// One indicator's result before its goal rescales and rounds it.
struct Scored {
    status: Status,
    /// The exact score before rescaling and rounding; 0 when not scored.
    raw: Exact,
    class: Option<usize>,
    trace: Vec<Step>,
    omit: Option<OptionalAction>,
}

impl<'r> Evaluator<'r> {
    /// Records a step of the explanation, built only when tracing.
    fn note(&self, trace: &mut Vec<Step>, step: impl FnOnce() -> Step) {
        if self.trace {
            trace.push(step());
        }
    }

    fn run(&self, form: &'r Form) -> Result<Outcome<'r>, EvalError> {
        let rules = self.rules;
        let mut warnings = Vec::new();
        let (budget, budget_weight, budget_score) = self
            .budget(form)
            .map_err(|e| e.within("预算执行情况".to_owned()))?;

        let goal_scale = self.goal_scale(form)?;
        let mut goals = Vec::with_capacity(form.goals.len());
        // The total and the full marks, exactly: sums of the budget's and goals' exact
        // scores (already rounded where the rules round them).
        let mut total = budget_score;
        let mut max_total = budget_weight;
        for (i, goal) in form.goals.iter().enumerate() {
            let g = self.goal(i + 1, goal, goal_scale.as_ref(), &mut warnings)?;
            total = total
                .add(&g.score)
                .map_err(|e| self.arith(e, form.budget.span, "总分"))?;
            max_total = max_total
                .add(&g.weight)
                .map_err(|e| self.arith(e, form.budget.span, "满分"))?;
            goals.push(g.outcome);
        }
        if let Some(r) = rules.rounding.filter(|r| r.level == RoundLevel::Total) {
            total = self.rounded(&total, r, form.budget.span, "总分")?.1;
        }
        if max_total != Exact::int(100) {
            warnings.push(Warning {
                code: "jixiao::eval::total_weight",
                message: format!("预算执行分值与各目标分值合计 {max_total}，不是 100"),
                goal: None,
                indicator: None,
            });
        }
        let reported_total = form.reported_total.map(|n| n.value);
        Ok(Outcome {
            rules: RulesInfo::of(rules),
            form: FormInfo::of(form),
            budget,
            goals,
            grade: rules.grade_of(&total).map(Cow::Borrowed),
            reported_grade: reported_total
                .and_then(|t| rules.grade(t))
                .map(Cow::Borrowed),
            total: self.shown(&total, form.budget.span, "总分")?,
            max_total: self.shown(&max_total, form.budget.span, "满分")?,
            reported_total,
            warnings,
        })
    }

    /// `x` rounded by `r`: as shown, and as the exact value sums go on with. (Inlined: a
    /// decimal returned through memory is written a field at a time and read back whole,
    /// which stalls the processor; BENCHMARKS.md, round 6.)
    #[inline(always)]
    fn rounded(
        &self,
        x: &Exact,
        r: crate::check::RoundingRule,
        span: Span,
        what: &str,
    ) -> Result<(Decimal, Exact), EvalError> {
        x.rounded(r.places, r.mode)
            .map_err(|e| self.arith(e, span, what))
    }

    /// An exact value as a report shows it: itself when it is a decimal, else its nearest
    /// 28-place decimal (the exact value goes on into the sums).
    #[inline(always)]
    fn shown(&self, x: &Exact, span: Span, what: &str) -> Result<Decimal, EvalError> {
        x.approx()
            .ok_or_else(|| self.arith(ArithError::Overflow, span, what))
    }

    #[cold]
    #[inline(never)]
    fn arith(&self, e: ArithError, span: Span, what: &str) -> EvalError {
        EvalError::new(
            code_of(e),
            self.form,
            format!("计算{what}时{}", e.describe()),
        )
        .label(span, "由此处的数值算出")
        .help("检查表单中的数值是否填写正确")
    }

    /// The budget line's outcome, with its weight and score exactly.
    fn budget(&self, form: &'r Form) -> Result<(BudgetOutcome<'r>, Exact, Exact), EvalError> {
        let rule = &self.rules.budget;
        let b = &form.budget;
        let (Some(qa), Some(qb)) = (b.planned.quantity(), b.executed.quantity()) else {
            // The loader guarantees numbers; keep a diagnostic rather than a panic.
            return Err(EvalError::new(
                "jixiao::eval::budget_not_number",
                self.form,
                "预算数与执行数须为数值",
            )
            .label(b.span, "预算执行情况")
            .help("在 [budget] 中把 planned 与 executed 写成数值，例如 \"12174.8万元\""));
        };
        let weight = match rule.weight.eval(&|_| None, self.params) {
            Ok(Val::Num(n)) => n,
            _ => Exact::ZERO,
        };
        let (a, b_exact) = (Exact::from(qa.number), Exact::from(qb.number));
        let mut subject = Subject::new(weight.clone(), "预算执行情况", "", "预算执行率", "");
        subject.set_num(Var::A, a.clone());
        subject.set_num(Var::B, b_exact.clone());
        subject.set_text(Var::Kind, "number");
        let mut trace = Vec::new();
        self.note(&mut trace, || Step {
            text: format!(
                "预算数 A = {}，执行数 B = {}，分值 {weight}",
                b.planned.raw, b.executed.raw,
            ),
            rule: Some(self.rules.cite(rule.weight.span)),
        });
        let ctx = Ctx {
            span: b.planned.span,
            what: "预算执行得分",
            values: Written {
                a: Some(b.planned.span),
                b: Some(b.executed.span),
                weight: None,
            },
        };
        let raw = self.formula(&rule.formula, &subject, &ctx, &mut trace)?;
        let (score, exact) = match self.rules.rounding {
            Some(r) if r.level != RoundLevel::Total => {
                let (s, exact) = self.rounded(&raw, r, b.planned.span, "预算执行得分")?;
                if self.trace && exact != raw {
                    self.note(&mut trace, || Step {
                        text: format!("保留 {} 位小数：{} → {}", r.places, show_long(&raw), s),
                        rule: Some(self.rules.cite(r.span)),
                    });
                }
                (s, exact)
            }
            _ => (self.shown(&raw, b.planned.span, "预算执行得分")?, raw),
        };
        let outcome = BudgetOutcome {
            planned: Cow::Borrowed(&b.planned.raw),
            executed: Cow::Borrowed(&b.executed.raw),
            rate: b_exact
                .div(&a)
                .ok()
                .and_then(|r| r.approx())
                .map(|r| r.normalize()),
            weight: self.shown(&weight, b.span, "预算执行分值")?,
            score,
            reported: b.reported.map(|n| n.value),
            trace,
        };
        Ok((outcome, weight, exact))
    }

    /// `scale goals to T`: the factor T / (sum of goal weights), as (T, sum).
    fn goal_scale(&self, form: &Form) -> Result<Option<(Exact, Exact)>, EvalError> {
        let Some(total) = &self.rules.scale else {
            return Ok(None);
        };
        let target = match total.eval(&|_| None, self.params) {
            Ok(Val::Num(n)) => n,
            Ok(_) => return Ok(None),
            Err(e) => {
                return Err(self.expr_error(*e, form.budget.span, "目标分值合计", Written::NONE));
            }
        };
        let weights: Vec<Exact> = form
            .goals
            .iter()
            .map(|g| Exact::from(g.weight.value))
            .collect();
        let sum =
            Exact::sum(&weights).map_err(|e| self.arith(e, form.budget.span, "目标分值合计"))?;
        if sum.is_zero() || sum == target {
            return Ok(None);
        }
        Ok(Some((target, sum)))
    }

    fn goal(
        &self,
        number: usize,
        goal: &'r Goal,
        goal_scale: Option<&(Exact, Exact)>,
        warnings: &mut Vec<Warning>,
    ) -> Result<GoalScore<'r>, EvalError> {
        // Each indicator's outcome is built as it is scored, and finished below once the
        // goal's totals are known (rescaling, rounding); its exact score waits beside it.
        let mut indicators = Vec::with_capacity(goal.indicators.len());
        let mut raws = Vec::with_capacity(goal.indicators.len());
        // The indicators left out with `rescale goal`, by index (few or none).
        let mut rescaled: Vec<usize> = Vec::new();
        let within = |e: EvalError, ind: &Indicator| {
            e.within(format!("年度目标{number}「{}」", ind.name.text))
        };
        for (i, ind) in goal.indicators.iter().enumerate() {
            let s = self.indicator(goal, ind).map_err(|e| within(e, ind))?;
            if s.omit == Some(OptionalAction::RescaleGoal) {
                rescaled.push(i);
            }
            let class = s.class.and_then(|c| self.rules.classes.get(c));
            indicators.push(IndicatorOutcome {
                level1: Cow::Borrowed(&ind.level1.text),
                level2: Cow::Borrowed(&ind.level2.text),
                name: Cow::Borrowed(&ind.name.text),
                target: written(ind, |e| e.target.as_ref(), ind.target.as_ref()),
                actual: written(ind, |e| e.actual.as_ref(), ind.actual.as_ref()),
                class: class.map(|c| Cow::Borrowed(&*c.name)),
                class_title: class.and_then(|c| c.title.as_deref().map(Cow::Borrowed)),
                status: s.status,
                weight: ind.weight.value,
                score: None,
                reported: ind.reported.map(|n| n.value),
                trace: s.trace,
            });
            raws.push(s.raw);
        }
        let sum_span = goal.name.span;
        let indicator_weight = num::sum(goal.indicators.iter().map(|i| i.weight.value))
            .map_err(|e| self.arith(e, sum_span, "指标权重合计"))?;
        if indicator_weight != goal.weight.value {
            warnings.push(Warning {
                code: "jixiao::eval::weight_sum",
                message: format!(
                    "年度目标{number}的指标权重合计 {}，与目标分值 {} 不符；按各指标权重照常计分",
                    num::show(indicator_weight),
                    num::show(goal.weight.value)
                ),
                goal: Some(number),
                indicator: None,
            });
        }
        // Optional indicators left unevaluated with `rescale goal`: the others are scaled
        // so the goal keeps what its indicators would have been worth in full.
        let omitted_weight = num::sum(rescaled.iter().map(|&i| goal.indicators[i].weight.value))
            .map_err(|e| self.arith(e, sum_span, "折算"))?;
        let remaining = num::sub(indicator_weight, omitted_weight)
            .map_err(|e| self.arith(e, sum_span, "折算"))?;
        let factor = if omitted_weight.is_zero() {
            None
        } else if remaining.is_zero() || remaining.is_sign_negative() {
            warnings.push(Warning {
                code: "jixiao::eval::nothing_evaluated",
                message: format!("年度目标{number}没有任何已评价的指标，得 0 分"),
                goal: Some(number),
                indicator: None,
            });
            None
        } else {
            Some((indicator_weight, remaining))
        };

        let rounding = self.rules.rounding;
        let by_indicator = rounding.is_some_and(|r| r.level == RoundLevel::Indicator);
        let mut score = Exact::ZERO;
        for (i, ((ind, s), raw)) in goal
            .indicators
            .iter()
            .zip(&mut indicators)
            .zip(raws)
            .enumerate()
        {
            let mut value = raw;
            if let (Some((all, rest)), Status::Scored) = (factor, s.status) {
                let scaled = value
                    .mul(&Exact::from(all))
                    .and_then(|x| x.div(&Exact::from(rest)))
                    .map_err(|e| within(self.arith(e, ind.name.span, "折算"), ind))?;
                self.note(&mut s.trace, || Step {
                    text: format!(
                        "目标中有未评的可选指标，按 {} / {} 折算：{} × {} / {} = {}",
                        num::show(all),
                        num::show(rest),
                        show_long(&value),
                        num::show(all),
                        num::show(rest),
                        show_long(&scaled)
                    ),
                    rule: self
                        .rules
                        .optionals
                        .iter()
                        .find(|o| o.action == OptionalAction::RescaleGoal)
                        .map(|o| self.rules.cite(o.span)),
                });
                value = scaled;
            }
            if let (Some((to, from)), Status::Scored) = (goal_scale, s.status) {
                let scaled = value
                    .mul(to)
                    .and_then(|x| x.div(from))
                    .map_err(|e| within(self.arith(e, ind.name.span, "目标分值折算"), ind))?;
                self.note(&mut s.trace, || Step {
                    text: format!(
                        "各目标分值合计 {from} 折算为 {to}：{} × {to} / {from} = {}",
                        show_long(&value),
                        show_long(&scaled)
                    ),
                    rule: self.rules.scale.as_ref().map(|e| self.rules.cite(e.span)),
                });
                value = scaled;
            }
            let mut shown = None;
            if let Some(r) = rounding.filter(|r| r.level == RoundLevel::Indicator) {
                if s.status != Status::Omitted {
                    // (The rounded value is kept as a decimal only: rounded at the
                    // indicator, the goal adds decimals. Making an exact value of it
                    // too would cost more than the rounding.)
                    let v = value
                        .round(r.places, r.mode)
                        .map_err(|e| within(self.arith(e, ind.name.span, "得分"), ind))?;
                    // (Whether to note it is asked only when tracing: comparing a
                    // rounded value with an unrounded one costs a multiplication.)
                    if self.trace && (s.status == Status::Scored || Exact::from(v) != value) {
                        self.note(&mut s.trace, || Step {
                            text: format!(
                                "保留 {} 位小数：{} → {}",
                                r.places,
                                show_long(&value),
                                v
                            ),
                            rule: Some(self.rules.cite(r.span)),
                        });
                    }
                    shown = Some(v);
                }
            }
            if s.status == Status::NotEvaluated {
                warnings.push(Warning {
                    code: "jixiao::eval::not_evaluated",
                    message: format!(
                        "年度目标{number}「{}」未填写实际完成值，且不是可选指标，按 0 分计",
                        ind.name.text
                    ),
                    goal: Some(number),
                    indicator: Some(ind.name.text.to_string()),
                });
            }
            if s.status == Status::Omitted {
                warnings.push(Warning {
                    code: "jixiao::eval::omitted",
                    message: format!(
                        "年度目标{number}「{}」未评价，按可选指标不计分{}",
                        ind.name.text,
                        if rescaled.contains(&i) {
                            "，其余指标按比例折算"
                        } else {
                            ""
                        }
                    ),
                    goal: Some(number),
                    indicator: Some(ind.name.text.to_string()),
                });
                continue;
            }
            s.score = Some(match shown {
                Some(v) => v,
                None => self
                    .shown(&value, ind.name.span, "得分")
                    .map_err(|e| within(e, ind))?,
            });
            // The goal's score: the indicators' exact scores added exactly (rounded ones
            // are added below, as decimals); an overflow names the indicator.
            if !by_indicator {
                score = score
                    .add(&value)
                    .map_err(|e| self.arith(e, ind.name.span, "目标得分"))?;
            }
        }
        if by_indicator {
            // Scores rounded to one scale, added as integers (BENCHMARKS.md, round 4);
            // otherwise one by one, so that an overflow names the indicator.
            score = match num::sum_of_one_scale(indicators.iter().filter_map(|s| s.score)) {
                Some(total) => Exact::from(total),
                None => {
                    for (ind, s) in goal.indicators.iter().zip(&indicators) {
                        if let Some(v) = s.score {
                            score = score
                                .add(&Exact::from(v))
                                .map_err(|e| self.arith(e, ind.name.span, "目标得分"))?;
                        }
                    }
                    score
                }
            };
        }
        let shown = match rounding.filter(|r| r.level == RoundLevel::Goal) {
            Some(r) => {
                let (v, exact) = self.rounded(&score, r, sum_span, "目标得分")?;
                score = exact;
                v
            }
            None => self.shown(&score, sum_span, "目标得分")?,
        };
        let weight = match goal_scale {
            Some((to, from)) => Exact::from(goal.weight.value)
                .mul(to)
                .and_then(|x| x.div(from))
                .map_err(|e| self.arith(e, goal.weight.span, "目标分值折算"))?,
            None => Exact::from(goal.weight.value),
        };
        Ok(GoalScore {
            outcome: GoalOutcome {
                number,
                name: Cow::Borrowed(&goal.name.text),
                weight: self.shown(&weight, goal.weight.span, "目标分值折算")?,
                indicator_weight,
                score: shown,
                reported: goal.reported.map(|n| n.value),
                indicators,
            },
            score,
            weight,
        })
    }

    fn indicator(&self, goal: &Goal, ind: &Indicator) -> Result<Scored, EvalError> {
        let evaluated = self.evaluated(ind)?;
        let mut subject = Subject::new(
            Exact::from(ind.weight.value),
            &ind.level1.text,
            &ind.level2.text,
            &ind.name.text,
            &goal.name.text,
        );
        subject.set_text(Var::Tier, ind.tier.as_ref().map_or("", |t| &*t.text));
        subject.set_text(
            Var::Direction,
            match ind.direction {
                Some(crate::form::Direction::Positive) => "positive",
                Some(crate::form::Direction::Negative) => "negative",
                None => "",
            },
        );
        let first_target = ind
            .target
            .as_ref()
            .or_else(|| ind.entries.first().and_then(|e| e.target.as_ref()));
        if let Some(t) = first_target {
            subject.set_text(
                Var::Kind,
                match &t.parsed {
                    Parsed::Quantity(q) if q.percent => "percent",
                    Parsed::Quantity(_) => "number",
                    Parsed::Text(_) => "text",
                },
            );
            if let Parsed::Quantity(q) = &t.parsed {
                subject.set_text(Var::Op, q.cmp.ascii());
            }
        }
        let mut trace = Vec::new();
        if !evaluated {
            for o in &self.rules.optionals {
                if self.truth(&o.when, &subject, ind.name.span)? {
                    self.note(&mut trace, || Step {
                        text: match o.action {
                            OptionalAction::RescaleGoal => {
                                "未评价；可选指标，不计分，目标内其余指标按比例折算".to_owned()
                            }
                            OptionalAction::Drop => "未评价；可选指标，不计分".to_owned(),
                        },
                        rule: Some(self.rules.cite(o.span)),
                    });
                    return Ok(Scored {
                        status: Status::Omitted,
                        raw: Exact::ZERO,
                        class: None,
                        trace,
                        omit: Some(o.action),
                    });
                }
            }
            self.note(&mut trace, || Step {
                text: "未填写实际完成值，且不是可选指标：按 0 分计".to_owned(),
                rule: None,
            });
            return Ok(Scored {
                status: Status::NotEvaluated,
                raw: Exact::ZERO,
                class: None,
                trace,
                omit: None,
            });
        }

        let values = self.values(ind, &mut trace)?;
        let kind = match values {
            Values::Numbers { a, b, cmp } => {
                subject.set_num(Var::A, a);
                subject.set_num(Var::B, b);
                subject.set_text(Var::Op, cmp.ascii());
                ClassKind::Numbers
            }
            Values::Text { a, b } => {
                subject.set(Var::A, Some(Val::Text(a)));
                subject.set(Var::B, Some(Val::Text(b)));
                ClassKind::Text
            }
        };
        let mut chosen = None;
        for (i, class) in self.rules.classes.iter().enumerate() {
            if class.kind != kind {
                continue;
            }
            let matches = match &class.when {
                None => true,
                Some(w) => self.truth(w, &subject, ind.name.span)?,
            };
            if matches {
                chosen = Some(i);
                break;
            }
        }
        let Some(ci) = chosen else {
            return Err(EvalError::new(
                "jixiao::eval::no_class",
                self.form,
                "不属于规则中的任何一类指标",
            )
            .label(ind.name.span, "没有类别适用于这个指标")
            .help(format!(
                "在规则文件中为{}加一个不带 when 的类别作为兜底，或检查各类别的 when 条件",
                if kind == ClassKind::Numbers {
                    "定量指标（for numbers）"
                } else {
                    "定性指标（for text）"
                }
            )));
        };
        let class = &self.rules.classes[ci];
        self.note(&mut trace, || Step {
            text: format!(
                "类别：{}{}",
                class.title.as_deref().unwrap_or(&class.name),
                self.why(class, &subject)
            ),
            rule: Some(self.rules.cite(class.head)),
        });
        if class.uses_rate {
            let rate = self.rate(class, ind, &subject, &mut trace)?;
            subject.set_num(Var::Rate, rate);
        }
        let ctx = Ctx {
            span: ind.name.span,
            what: "得分",
            values: Written {
                a: ind.target.as_ref().map(|v| v.span),
                b: ind.actual.as_ref().map(|v| v.span),
                weight: Some(ind.weight.span),
            },
        };
        let raw = self.formula(&class.formula, &subject, &ctx, &mut trace)?;
        Ok(Scored {
            status: Status::Scored,
            raw,
            class: Some(ci),
            trace,
            omit: None,
        })
    }

    /// Why a class matched, in words, for the explanation.
    fn why(&self, class: &ClassRule, s: &Subject<'_>) -> String {
        match &class.when {
            None => "（其余情况）".to_owned(),
            Some(w) => {
                // The condition as written, then the values it read, in the form's terms:
                // 「op in ["<=", "<"] or direction == "negative"；比较符 op = "<="」.
                let mut vars = Vec::new();
                w.vars_used(&mut vars);
                let values: Vec<String> = vars
                    .iter()
                    .filter_map(|v| {
                        let shown = match s.get(*v)? {
                            Val::Num(n) => n.to_string(),
                            Val::Text(t) => format!("\"{t}\""),
                            Val::Bool(b) => b.to_string(),
                        };
                        Some(format!("{} = {shown}", var_label(*v)))
                    })
                    .collect();
                format!(
                    "（{}；{}）",
                    self.rules.slice(w.span).trim(),
                    values.join("，")
                )
            }
        }
    }

    /// Whether the indicator was evaluated (has an actual value).
    fn evaluated(&self, ind: &Indicator) -> Result<bool, EvalError> {
        if ind.entries.is_empty() {
            return Ok(ind.actual.is_some());
        }
        if ind.entries.iter().all(|e| e.actual.is_none()) {
            return Ok(false);
        }
        if let Some(missing) = ind.entries.iter().find(|e| e.actual.is_none()) {
            return Err(EvalError::new(
                "jixiao::eval::partial_entries",
                self.form,
                "部分资金填写了实际完成值，部分没有",
            )
            .label(missing.span, "这一笔没有 actual")
            .help("为每一笔资金填写 actual；若整个指标未评价，则全部留空"));
        }
        Ok(true)
    }

    /// A's and B's values, aggregated over entries where there are entries.
    fn values<'f>(
        &self,
        ind: &'f Indicator,
        trace: &mut Vec<Step>,
    ) -> Result<Values<'f>, EvalError> {
        if ind.entries.is_empty() {
            let (Some(t), Some(a)) = (&ind.target, &ind.actual) else {
                return Err(self.missing_target(ind.name.span));
            };
            return Ok(match (&t.parsed, &a.parsed) {
                (Parsed::Quantity(qt), Parsed::Quantity(qa)) => {
                    self.note(trace, || Step {
                        text: format!(
                            "A = {}（{}），B = {}（{}）",
                            num::show(qt.number),
                            t.raw,
                            num::show(qa.number),
                            a.raw
                        ),
                        rule: None,
                    });
                    Values::Numbers {
                        a: Exact::from(qt.number),
                        b: Exact::from(qa.number),
                        cmp: qt.cmp,
                    }
                }
                (Parsed::Text(tt), Parsed::Text(at)) => Values::Text { a: tt, b: at },
                _ => return Err(self.kind_mismatch(t, a)),
            });
        }
        let first = &ind.entries[0];
        let Some(t0) = &first.target else {
            return Err(self.missing_target(first.span));
        };
        match &t0.parsed {
            Parsed::Text(_) => {
                let a = common_text(ind.entries.iter().map(|e| e.target.as_ref()));
                let b = common_text(ind.entries.iter().map(|e| e.actual.as_ref()));
                Ok(Values::Text { a, b })
            }
            Parsed::Quantity(q0) => {
                let target = if q0.percent {
                    AggTarget::Percent
                } else {
                    AggTarget::Number
                };
                let rule = self.aggregation(target, ind)?;
                let mut cmp = Cmp::None;
                // Targets, actuals and funds in one allocation.
                let n = ind.entries.len();
                let mut columns = vec![Decimal::ZERO; 3 * n];
                for (i, e) in ind.entries.iter().enumerate() {
                    let (Some(t), Some(a)) = (&e.target, &e.actual) else {
                        return Err(self.missing_target(e.span));
                    };
                    let (Some(qt), Some(qa)) = (t.quantity(), a.quantity()) else {
                        return Err(self.kind_mismatch(t, a));
                    };
                    if qt.cmp != Cmp::None {
                        if cmp != Cmp::None && cmp != qt.cmp {
                            return Err(EvalError::new(
                                "jixiao::eval::mixed_comparisons",
                                self.form,
                                "各笔资金的目标值比较方向不一致",
                            )
                            .label(t.span, format!("这里是「{}」", qt.cmp.symbol()))
                            .help("同一指标的各笔资金应同为正向（≥）或同为反向（≤）"));
                        }
                        cmp = qt.cmp;
                    }
                    columns[i] = qt.number;
                    columns[n + i] = qa.number;
                    columns[2 * n + i] = e.fund.quantity().map_or(Decimal::ZERO, |q| q.number);
                }
                let (targets, rest) = columns.split_at(n);
                let (actuals, funds) = rest.split_at(n);
                let ctx_span = first.span;
                let a = self.combine(rule.method, targets, funds, ctx_span)?;
                let b = self.combine(rule.method, actuals, funds, ctx_span)?;
                self.note(trace, || Step {
                    text: format!(
                        "汇总 {} 笔资金（{}）：A = {} = {}；B = {} = {}",
                        ind.entries.len(),
                        method_text(rule.method),
                        combination_text(rule.method, targets, funds),
                        show_long(&a),
                        combination_text(rule.method, actuals, funds),
                        show_long(&b)
                    ),
                    rule: Some(self.rules.cite(rule.span)),
                });
                Ok(Values::Numbers { a, b, cmp })
            }
        }
    }

    fn aggregation(
        &self,
        target: AggTarget,
        ind: &Indicator,
    ) -> Result<&crate::check::AggregateRule, EvalError> {
        self.rules.aggregate(target).ok_or_else(|| {
            let (what, example) = match target {
                AggTarget::Number => ("绝对值", "aggregate number: sum"),
                AggTarget::Percent => ("百分比", "aggregate percent: mean by fund"),
                AggTarget::Rate => ("定性得分率", "aggregate rate: mean by fund"),
            };
            EvalError::new(
                "jixiao::eval::no_aggregation",
                self.form,
                format!("有多笔资金，但规则没有说明{what}如何汇总"),
            )
            .label(ind.name.span, "这个指标分资金填报")
            .help(format!("在规则文件中加一行 `{example}`"))
        })
    }

    /// Entries' values combined exactly: a mean is a fraction, never cut to 28 digits, so
    /// a fund-weighted B / A is Σf·B / Σf·A exactly.
    fn combine(
        &self,
        method: AggMethod,
        values: &[Decimal],
        funds: &[Decimal],
        span: Span,
    ) -> Result<Exact, EvalError> {
        let err = |e| self.arith(e, span, "汇总");
        let sum = |xs: &[Decimal]| {
            xs.iter()
                .try_fold(Exact::ZERO, |acc, x| acc.add(&Exact::from(*x)))
        };
        match method {
            AggMethod::Sum => sum(values).map_err(err),
            AggMethod::Mean => {
                let n = Exact::int(i64::try_from(values.len()).unwrap_or(i64::MAX));
                sum(values).and_then(|s| s.div(&n)).map_err(err)
            }
            AggMethod::MeanByFund => {
                let total = sum(funds).map_err(err)?;
                if total.is_zero() {
                    return Err(EvalError::new(
                        "jixiao::eval::zero_funds",
                        self.form,
                        "各笔资金合计为 0，无法按资金额度加权",
                    )
                    .label(span, "资金额度")
                    .help("填写每笔资金的金额（fund），例如 fund = \"100万元\""));
                }
                let mut acc = Exact::ZERO;
                for (v, f) in values.iter().zip(funds) {
                    acc = Exact::from(*v)
                        .mul(&Exact::from(*f))
                        .and_then(|x| acc.add(&x))
                        .map_err(err)?;
                }
                acc.div(&total).map_err(err)
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn missing_target(&self, span: Span) -> EvalError {
        EvalError::new("jixiao::eval::missing_target", self.form, "没有目标值")
            .label(span, "缺少 target")
            .help("填写年初目标值（target）")
    }

    #[cold]
    #[inline(never)]
    fn kind_mismatch(&self, t: &Value, a: &Value) -> EvalError {
        EvalError::new(
            "jixiao::eval::kind_mismatch",
            self.form,
            "目标值与实际完成值一个是数值、一个是文字",
        )
        .label(t.span, "目标值")
        .label(a.span, "实际完成值")
        .help("定量指标两边都写数值，定性指标两边都写文字")
    }

    /// A qualitative indicator's rate: from the form (checked against its tier), from the
    /// tier's default, or from a band that applies by itself; aggregated over entries.
    fn rate(
        &self,
        class: &ClassRule,
        ind: &Indicator,
        s: &Subject<'_>,
        trace: &mut Vec<Step>,
    ) -> Result<Exact, EvalError> {
        if ind.entries.is_empty() {
            let actual_span = ind.actual.as_ref().map_or(ind.name.span, |a| a.span);
            return self
                .rate_of(
                    class,
                    ind,
                    ind.tier.as_ref(),
                    ind.rate,
                    s,
                    actual_span,
                    trace,
                )
                .map(Exact::from);
        }
        let rule = self.aggregation(AggTarget::Rate, ind)?;
        let mut rates = Vec::with_capacity(ind.entries.len());
        let mut funds = Vec::with_capacity(ind.entries.len());
        for e in &ind.entries {
            let mut es = s.clone();
            es.set(Var::A, e.target.as_ref().and_then(text_of).map(Val::Text));
            es.set(Var::B, e.actual.as_ref().and_then(text_of).map(Val::Text));
            es.set_text(Var::Tier, e.tier.as_ref().map_or("", |t| &*t.text));
            let span = e.actual.as_ref().map_or(e.span, |a| a.span);
            rates.push(self.rate_of(class, ind, e.tier.as_ref(), e.rate, &es, span, trace)?);
            funds.push(e.fund.quantity().map_or(Decimal::ZERO, |q| q.number));
        }
        let rate = self.combine(rule.method, &rates, &funds, ind.entries[0].span)?;
        self.note(trace, || Step {
            text: format!(
                "汇总 {} 笔资金的得分率（{}）：{} = {}",
                rates.len(),
                method_text(rule.method),
                combination_text(rule.method, &rates, &funds),
                show_long(&rate)
            ),
            rule: Some(self.rules.cite(rule.span)),
        });
        Ok(rate)
    }

    #[allow(clippy::too_many_arguments)]
    fn rate_of(
        &self,
        class: &ClassRule,
        ind: &Indicator,
        tier: Option<&Text>,
        rate: Option<Num>,
        s: &Subject<'_>,
        actual_span: Span,
        trace: &mut Vec<Step>,
    ) -> Result<Decimal, EvalError> {
        let cite = |b: &BandRule| Some(self.rules.cite(b.span));
        if let Some(t) = tier {
            let Some(band) = class.bands.iter().find(|b| *b.name == *t.text) else {
                let names: Vec<&str> = class.bands.iter().map(|b| b.name.as_str()).collect();
                let mut help = format!("可用的档位：{}", names.join("、"));
                if let Some(m) = did_you_mean(&t.text, names.iter().copied()) {
                    help = format!("是否想写「{m}」？{help}");
                }
                return Err(EvalError::new(
                    "jixiao::eval::unknown_tier",
                    self.form,
                    format!("未知档位「{}」", t.text),
                )
                .label(t.span, "规则中没有这个档位")
                .help(help)
                .rule(self.rules, class.head, "这一类别的档位在此定义"));
            };
            return match rate {
                Some(r) if band.contains(r.value) => {
                    self.note(trace, || Step {
                        text: format!("档位「{}」{}，得分率 {}", band.name, band.range_text(), percent(r.value)),
                        rule: cite(band),
                    });
                    Ok(r.value)
                }
                Some(r) => Err(EvalError::new(
                    "jixiao::eval::rate_outside_tier",
                    self.form,
                    format!("得分率 {} 不在档位「{}」的区间 {} 内", percent(r.value), band.name, band.range_text()),
                )
                .label(r.span, "得分率")
                .label(t.span, format!("档位 {}", band.range_text()))
                .help(format!("把得分率改到 {} 之内，或改为与之相符的档位", band.range_text()))
                .rule(self.rules, band.span, "档位区间")),
                None => match band.default {
                    Some(d) => {
                        self.note(trace, || Step {
                            text: format!("档位「{}」，未给得分率，按默认 {}", band.name, percent(d)),
                            rule: cite(band),
                        });
                        Ok(d)
                    }
                    None => Err(self.needs_assessment(actual_span, &format!(
                        "档位「{}」没有默认得分率：请同时给出 rate，在 {} 之内，例如 rate = \"{}\"",
                        band.name,
                        band.range_text(),
                        percent(band.lo.max(Decimal::new(5, 1)).min(band.hi))
                    ))),
                },
            };
        }
        if let Some(r) = rate {
            return match class.bands.iter().find(|b| b.contains(r.value)) {
                Some(band) => {
                    self.note(trace, || Step {
                        text: format!(
                            "得分率 {}，属档位「{}」{}",
                            percent(r.value),
                            band.name,
                            band.range_text()
                        ),
                        rule: cite(band),
                    });
                    Ok(r.value)
                }
                None if class.bands.is_empty() => {
                    self.note(trace, || Step {
                        text: format!("得分率 {}", percent(r.value)),
                        rule: None,
                    });
                    Ok(r.value)
                }
                None => Err(EvalError::new(
                    "jixiao::eval::rate_outside_bands",
                    self.form,
                    format!("得分率 {} 不属于任何档位", percent(r.value)),
                )
                .label(r.span, "得分率")
                .help("把得分率改到某一档的区间之内")),
            };
        }
        let get = |v| s.get(v);
        for band in &class.bands {
            let Some(when) = &band.when else { continue };
            if self.truth(when, s, ind.name.span)? {
                if let Some(d) = band.default {
                    self.note(trace, || Step {
                        text: format!(
                            "{}，视为档位「{}」，按 {}",
                            when_text(
                                self.rules.slice(when.span).trim(),
                                &when.substituted(&get, self.params)
                            ),
                            band.name,
                            percent(d)
                        ),
                        rule: cite(band),
                    });
                    return Ok(d);
                }
            }
        }
        // The example names a tier that must be assessed (one without `when`), with a
        // rate in its middle.
        let example = class
            .bands
            .iter()
            .find(|b| b.when.is_none())
            .or(class.bands.first());
        let help = match example {
            Some(b) => format!(
                "实际完成值与目标值不同，须评定档位：在表单中给出 tier（{}）与 rate，例如 tier = \"{}\", rate = \"{}\"",
                class
                    .bands
                    .iter()
                    .map(|b| b.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                b.name,
                // The middle of the band; band ends are checked constants, but a sum of
                // two of them may still not fit.
                percent(
                    num::add(b.lo, b.hi)
                        .and_then(|sum| num::div(sum, Decimal::TWO))
                        .unwrap_or(b.lo)
                )
            ),
            None => "在表单中给出得分率 rate，例如 rate = \"80%\"".to_owned(),
        };
        Err(self.needs_assessment(actual_span, &help))
    }

    #[cold]
    #[inline(never)]
    fn needs_assessment(&self, span: Span, help: &str) -> EvalError {
        EvalError::new(
            "jixiao::eval::needs_assessment",
            self.form,
            "定性指标缺少评定，无法计分",
        )
        .label(span, "据此无法确定档位与得分率")
        .help(help.to_owned())
    }

    fn truth<'a>(&self, e: &'a Cond, s: &Subject<'a>, span: Span) -> Result<bool, EvalError> {
        e.truth(s, self.params)
            .map_err(|err| self.expr_error(*err, span, "判断条件", Written::NONE))
    }

    #[cold]
    #[inline(never)]
    fn expr_error(&self, err: ExprFault, span: Span, what: &str, values: Written) -> EvalError {
        match err {
            ExprFault::Arith(e, rule_span, used) => {
                let mut error = EvalError::new(
                    code_of(e),
                    self.form,
                    format!("计算{what}时{}", e.describe()),
                )
                .label(span, "这一项");
                // The form's values the failing part of the formula reads.
                for (var, at, label) in [
                    (Var::A, values.a, "A"),
                    (Var::B, values.b, "B"),
                    (Var::Weight, values.weight, "weight"),
                ] {
                    if let Some(at) = at.filter(|at| *at != span && used.contains(var)) {
                        let role = match e {
                            ArithError::DivisionByZero => "除数",
                            ArithError::Overflow => "公式",
                        };
                        error = error.label(at, format!("{role}中的 {label}"));
                    }
                }
                error
                    .help(match e {
                        ArithError::DivisionByZero => {
                            "检查表单中作除数的值是否为 0；或在规则中用 `if 除数 == 0: 分值` 处理这种情况"
                        }
                        ArithError::Overflow => "检查表单中的数值是否多写了位数或用错了单位",
                    })
                    .rule(self.rules, rule_span, "在这里")
            }
            ExprFault::Unbound(v, rule_span) => EvalError::new(
                "jixiao::eval::unbound",
                self.form,
                format!("计算{what}时 {v:?} 没有值"),
            )
            .label(span, "这一项")
            .help("这是 jixiao 的缺陷，请报告")
            .rule(self.rules, rule_span, "在这里"),
        }
    }

    /// Guards, then the formula, then the cap.
    fn formula<'a>(
        &self,
        f: &'a Formula,
        s: &Subject<'a>,
        ctx: &Ctx,
        trace: &mut Vec<Step>,
    ) -> Result<Exact, EvalError> {
        let get = |v| s.get(v);
        let rules = self.rules;
        for g in &f.guards {
            if !self.truth(&g.cond, s, ctx.span)? {
                continue;
            }
            let cond = when_text(
                rules.slice(g.cond.span).trim(),
                &g.cond.substituted(&get, self.params),
            );
            return match &g.result {
                GuardOutcome::Value(v) => {
                    let value = self.number(v, s, ctx)?;
                    self.note(trace, || Step {
                        text: format!(
                            "{cond}：{} = {}",
                            rules.slice(v.span).trim(),
                            show_long(&value)
                        ),
                        rule: Some(rules.cite(g.span)),
                    });
                    self.fits(&value, v, ctx)?;
                    Ok(value)
                }
                GuardOutcome::Fail(message) => {
                    Err(
                        EvalError::new("jixiao::eval::rule_error", self.form, message.clone())
                            .label(ctx.span, cond)
                            .help("按规则，此情况无法计分；请核对表单中的数值")
                            .rule(rules, g.span, "规则规定此情况为错误"),
                    )
                }
            };
        }
        let value = self.number(&f.score, s, ctx)?;
        self.note(trace, || Step {
            text: format!(
                "{} = {} = {}",
                rules.slice(f.score.span).trim(),
                f.score.substituted(&get, self.params),
                show_long(&value)
            ),
            rule: Some(rules.cite(f.score.span)),
        });
        if let Some(cap) = &f.cap {
            let c = self.number(cap, s, ctx)?;
            if value > c {
                self.note(trace, || Step {
                    text: format!(
                        "不得超过 {} = {c}：{} → {c}",
                        rules.slice(cap.span).trim(),
                        show_long(&value),
                    ),
                    rule: Some(rules.cite(cap.span)),
                });
                self.fits(&c, cap, ctx)?;
                return Ok(c);
            }
        }
        self.fits(&value, &f.score, ctx)?;
        Ok(value)
    }

    /// A formula's result, if a decimal can hold it: its intermediate values are exact
    /// fractions of any size, but a score is shown, rounded and added as a decimal. One
    /// that cannot be is an overflow pointing at the formula and the values it read.
    #[inline(always)]
    fn fits(&self, value: &Exact, e: &Calc, ctx: &Ctx) -> Result<(), EvalError> {
        if value.fits_decimal() {
            Ok(())
        } else {
            Err(self.too_large(e, ctx))
        }
    }

    #[cold]
    #[inline(never)]
    fn too_large(&self, e: &Calc, ctx: &Ctx) -> EvalError {
        let fault = ExprFault::Arith(ArithError::Overflow, e.span, e.var_set());
        self.expr_error(fault, ctx.span, ctx.what, ctx.values)
    }

    #[inline(always)]
    fn number<'a>(&self, e: &'a Calc, s: &Subject<'a>, ctx: &Ctx) -> Result<Exact, EvalError> {
        e.number(s, self.params)
            .map_err(|err| self.expr_error(*err, ctx.span, ctx.what, ctx.values))
    }
}

/// A goal's outcome, with its score and (scaled) weight exactly, for the total.
struct GoalScore<'r> {
    outcome: GoalOutcome<'r>,
    score: Exact,
    weight: Exact,
}

struct Ctx {
    span: Span,
    what: &'static str,
    values: Written,
}

/// Where the form wrote the values a formula reads as A, B and weight (for an error's
/// labels); `None` where there is no one place (A and B aggregated from entries).
#[derive(Clone, Copy)]
struct Written {
    a: Option<Span>,
    b: Option<Span>,
    weight: Option<Span>,
}

impl Written {
    const NONE: Written = Written {
        a: None,
        b: None,
        weight: None,
    };
}

/// A built-in name with the form's term for it: `比较符 op`.
fn var_label(v: Var) -> &'static str {
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

fn code_of(e: ArithError) -> &'static str {
    match e {
        ArithError::DivisionByZero => "jixiao::eval::division_by_zero",
        ArithError::Overflow => "jixiao::eval::overflow",
    }
}

/// A computed value for an explanation: exact, but cut after 8 decimals with `…`.
fn show_long(x: &Exact) -> String {
    match x.round(8, crate::syntax::ast::RoundMode::Down) {
        Ok(cut) if Exact::from(cut) != *x => format!("{}…", num::show(cut)),
        _ => x.to_string(),
    }
}

fn when_text(source: &str, substituted: &str) -> String {
    if source == substituted {
        format!("因 {source}")
    } else {
        format!("因 {source}（{substituted}）")
    }
}

fn text_of(v: &Value) -> Option<&str> {
    match &v.parsed {
        Parsed::Text(t) => Some(t),
        Parsed::Quantity(_) => None,
    }
}

/// The text all entries share, or "" when they differ.
fn common_text<'f>(mut values: impl Iterator<Item = Option<&'f Value>>) -> &'f str {
    let first = values.next().flatten().and_then(text_of).unwrap_or("");
    if values.all(|v| v.and_then(text_of) == Some(first)) {
        first
    } else {
        ""
    }
}

/// The values as written, entries joined.
fn written<'f>(
    ind: &'f Indicator,
    of_entry: impl Fn(&'f Entry) -> Option<&'f Value>,
    own: Option<&'f Value>,
) -> Option<Cow<'f, str>> {
    if ind.entries.is_empty() {
        return own.map(|v| Cow::Borrowed(&*v.raw));
    }
    let mut out: Option<Cow<'f, str>> = None;
    for v in ind.entries.iter().filter_map(of_entry) {
        match &mut out {
            None => out = Some(Cow::Borrowed(&v.raw)),
            Some(s) => {
                let s = s.to_mut();
                s.push_str(" + ");
                s.push_str(&v.raw);
            }
        }
    }
    out
}

fn method_text(m: AggMethod) -> &'static str {
    match m {
        AggMethod::Sum => "直接累加",
        AggMethod::Mean => "算术平均",
        AggMethod::MeanByFund => "按资金额度加权平均",
    }
}

fn combination_text(m: AggMethod, values: &[Decimal], funds: &[Decimal]) -> String {
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

// (Last in the file: the code catalogue's scan stops at the first `#[cfg(test)]`.)
/// Outcomes made by hand, for the reports' tests.
#[cfg(test)]
pub(crate) use outcome::tests as fixtures;
