//! One indicator (三级指标): the subject its formulas read, whether it was evaluated
//! (or is optional and left out), its class chosen by the classes' `when`, and its raw
//! score by that class's formula.
//!
//! Input: the form's indicator and its goal. Output: a [`Scored`], the score before
//! the goal rescales and rounds it, with the trace of how it was reached.

use std::borrow::Cow;

use super::aggregate::Values;
use super::formula::{Ctx, Written};
use super::subject::{Facts, Subject};
use super::{EvalError, Evaluator, Operand, Status, Step, StepKind, Val};
use crate::check::{ClassRule, Var};
use crate::code::Code;
use crate::form::{Entry, Goal, Indicator, Parsed, Value};
use crate::num::Exact;
use crate::syntax::ast::{ClassKind, OptionalAction};

/// One indicator's result before its goal rescales and rounds it.
pub(super) struct Scored<'r> {
    pub(super) status: Status,
    /// The exact score before rescaling and rounding; 0 when not scored.
    pub(super) raw: Exact,
    pub(super) class: Option<usize>,
    pub(super) trace: Vec<Step<'r>>,
    pub(super) omit: Option<OptionalAction>,
}

/// An indicator scored by its class `ci`, filled or not: the class noted, its rate
/// established when the class reads one, and its formula run; a `Result<Scored>`.
///
/// A macro, not a function, so that the path every filled indicator takes keeps its
/// subject a local of [`Evaluator::indicator`]: through a function, inlined or not, by
/// reference or by value, scoring the seed form took 0.8–5 k instructions more (92.1 k
/// to 92.9–97.1 k; BENCHMARKS.md round 12).
macro_rules! by_class {
    ($ev:expr, $ci:expr, $ind:expr, $subject:ident, $trace:ident) => {{
        let class = &$ev.rules.classes[$ci];
        $ev.note(&mut $trace, || $ev.chosen(class, &$subject));
        if class.uses_rate {
            let rate = $ev.rate(class, $ind, &$subject, &mut $trace)?;
            $subject.set_num(Var::Rate, rate);
        }
        let ctx = Ctx {
            span: $ind.name.span,
            what: "得分",
            values: Written {
                a: $ind.target.as_ref().map(|v| v.span),
                b: $ind.actual.as_ref().map(|v| v.span),
                weight: Some($ind.weight.span),
            },
        };
        let raw = $ev.formula(&class.formula, &$subject, &ctx, &mut $trace)?;
        Ok(Scored {
            status: Status::Scored,
            raw,
            class: Some($ci),
            trace: $trace,
            omit: None,
        })
    }};
}

impl<'r> Evaluator<'r> {
    /// An indicator scored: not evaluated (optional or not), or its values read, its
    /// class chosen, its rate established when the class reads one, and its formula run.
    pub(super) fn indicator(
        &self,
        goal: &'r Goal,
        ind: &'r Indicator,
    ) -> Result<Scored<'r>, EvalError> {
        let evaluated = self.evaluated(ind)?;
        let mut subject = subject(goal, ind, &self.facts);
        let mut trace = Vec::new();
        if !evaluated {
            return match self.unfilled_class(ind, &mut subject)? {
                Some(ci) => self.unfilled_by_class(ci, ind, &mut subject, trace),
                None => self.not_evaluated(ind, &subject, trace),
            };
        }
        let kind = match self.values(ind, &mut trace)? {
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
        let ci = self.class_of(kind, ind, &subject)?;
        by_class!(self, ci, ind, subject, trace)
    }

    /// An unfilled indicator scored by the class `ci` that takes it, as a filled one is
    /// (out of line: the path of every filled indicator holds the one copy it needs).
    #[inline(never)]
    fn unfilled_by_class(
        &self,
        ci: usize,
        ind: &'r Indicator,
        subject: &mut Subject<'r>,
        mut trace: Vec<Step<'r>>,
    ) -> Result<Scored<'r>, EvalError> {
        by_class!(self, ci, ind, subject, trace)
    }

    /// The class that scores an indicator without an actual value: the first whose
    /// `when` tests `missing(B)` and holds (`class 未填 for numbers when missing(B) and
    /// level1 == "满意度指标": score 0`), with A set from its own target; `None` when no
    /// such class takes it. A class of either kind is tried when there is no target.
    fn unfilled_class(
        &self,
        ind: &'r Indicator,
        subject: &mut Subject<'r>,
    ) -> Result<Option<usize>, EvalError> {
        let takes = |c: &ClassRule| c.when.as_ref().is_some_and(|w| w.tests_missing(Var::B));
        if !self.rules.classes.iter().any(takes) {
            return Ok(None);
        }
        let kind = match ind.target.as_ref().filter(|_| ind.entries.is_empty()) {
            Some(t) => match &t.parsed {
                Parsed::Quantity(q) => {
                    subject.set_num(Var::A, Exact::from(q.number));
                    Some(ClassKind::Numbers)
                }
                Parsed::Text(text) => {
                    subject.set(Var::A, Some(Val::Text(text)));
                    Some(ClassKind::Text)
                }
            },
            None => None,
        };
        for (ci, class) in self.rules.classes.iter().enumerate() {
            if !takes(class) || kind.is_some_and(|k| k != class.kind) {
                continue;
            }
            let Some(when) = &class.when else { continue };
            if self.truth(when, subject, ind.name.span)? {
                return Ok(Some(ci));
            }
        }
        Ok(None)
    }

    /// An indicator without an actual value: left out when an `optional` rule's `when`
    /// holds, else scored 0.
    fn not_evaluated(
        &self,
        ind: &Indicator,
        subject: &Subject<'_>,
        mut trace: Vec<Step<'r>>,
    ) -> Result<Scored<'r>, EvalError> {
        for o in &self.rules.optionals {
            if self.truth(&o.when, subject, ind.name.span)? {
                self.note(&mut trace, || {
                    self.cited(StepKind::Omitted { action: o.action }, o.span)
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
            kind: StepKind::NotEvaluated,
            rule: None,
        });
        Ok(Scored {
            status: Status::NotEvaluated,
            raw: Exact::ZERO,
            class: None,
            trace,
            omit: None,
        })
    }

    /// The first class of the indicator's kind whose `when` holds, by index. (Inlined:
    /// part of scoring every indicator, split out to be read.)
    #[inline(always)]
    fn class_of(
        &self,
        kind: ClassKind,
        ind: &Indicator,
        subject: &Subject<'_>,
    ) -> Result<usize, EvalError> {
        for (i, class) in self.rules.classes.iter().enumerate() {
            if class.kind != kind {
                continue;
            }
            let matches = match &class.when {
                None => true,
                Some(w) => self.truth(w, subject, ind.name.span)?,
            };
            if matches {
                return Ok(i);
            }
        }
        Err(
            EvalError::new(Code::EvalNoClass, self.form, "不属于规则中的任何一类指标")
                .label(ind.name.span, "没有类别适用于这个指标")
                .help(format!(
                    "在规则文件中为{}加一个不带 when 的类别作为兜底，或检查各类别的 when 条件",
                    if kind == ClassKind::Numbers {
                        "定量指标（for numbers）"
                    } else {
                        "定性指标（for text）"
                    }
                )),
        )
    }

    /// The class chosen, and why: its `when` as written with the values it read
    /// (`op in ["<=", "<"] or direction == "negative"` with op = "<=").
    fn chosen(&self, class: &'r ClassRule, s: &Subject<'r>) -> Step<'r> {
        let (condition, values, facts) = match &class.when {
            None => (None, Vec::new(), Vec::new()),
            Some(w) => {
                let mut vars = Vec::new();
                w.vars_used(&mut vars);
                let values = vars
                    .iter()
                    .filter_map(|v| {
                        let value = match s.get(*v)? {
                            Val::Num(n) => Operand::Number(n),
                            Val::Text(t) => Operand::Text(Cow::Borrowed(t)),
                            Val::Bool(b) => Operand::Bool(b),
                        };
                        Some((*v, value))
                    })
                    .collect();
                let mut names = Vec::new();
                w.facts_used(&mut names);
                let facts = names
                    .into_iter()
                    .filter_map(|n| {
                        let value = match super::Env::fact(s, n)? {
                            Val::Num(x) => Operand::Number(x),
                            Val::Text(t) => Operand::Text(Cow::Borrowed(t)),
                            Val::Bool(b) => Operand::Bool(b),
                        };
                        Some((Cow::Borrowed(&**n), value))
                    })
                    .collect();
                (Some(self.rule_text(w.span)), values, facts)
            }
        };
        let name = class.title.as_deref().unwrap_or(&class.name);
        let kind = StepKind::Class {
            name: Cow::Borrowed(name),
            condition,
            values,
            facts,
        };
        self.cited(kind, class.head)
    }

    /// Whether the indicator was evaluated (has an actual value).
    pub(super) fn evaluated(&self, ind: &Indicator) -> Result<bool, EvalError> {
        if ind.entries.is_empty() {
            return Ok(ind.actual.is_some());
        }
        if ind.entries.iter().all(|e| e.actual.is_none()) {
            return Ok(false);
        }
        if let Some(missing) = ind.entries.iter().find(|e| e.actual.is_none()) {
            return Err(EvalError::new(
                Code::EvalPartialEntries,
                self.form,
                "部分资金填写了实际完成值，部分没有",
            )
            .label(missing.span, "这一笔没有 actual")
            .help("为每一笔资金填写 actual；若整个指标未评价，则全部留空"));
        }
        Ok(true)
    }
}

/// What an indicator offers its formulas before its values are read: its weight, its
/// names and its goal's, its tier and direction, and the kind and comparison of its
/// (first) target. (Inlined: it was the start of scoring an indicator, split out to be
/// read.)
#[inline(always)]
fn subject<'a>(goal: &'a Goal, ind: &'a Indicator, facts: &Facts<'a>) -> Subject<'a> {
    let mut subject = Subject::new(
        Exact::from(ind.weight.value),
        [
            &ind.level1.text,
            &ind.level2.text,
            &ind.name.text,
            &goal.name.text,
        ],
        facts,
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
    subject
}

/// The values as written, entries joined. (Inlined: an indicator without entries,
/// the common case, borrows its own value.)
#[inline(always)]
pub(super) fn written<'f>(
    ind: &'f Indicator,
    of_entry: impl Fn(&'f Entry) -> Option<&'f Value>,
    own: Option<&'f Value>,
) -> Option<Cow<'f, str>> {
    if ind.entries.is_empty() {
        return own.map(|v| Cow::Borrowed(&*v.raw));
    }
    joined(ind.entries.iter().filter_map(of_entry))
}

/// The entries' values joined with ` + `; `None` when none has one.
fn joined<'f>(mut values: impl Iterator<Item = &'f Value>) -> Option<Cow<'f, str>> {
    let mut out = Cow::Borrowed(&*values.next()?.raw);
    for v in values {
        let s = out.to_mut();
        s.push_str(" + ");
        s.push_str(&v.raw);
    }
    Some(out)
}
