//! The native baseline: hubei-2021 scoring hand-coded in Rust over a loaded `Form`, with
//! the same decimals and the same rounding as the interpreter. Benchmarks compare the
//! interpreter's time per form to this; a test checks that both agree on every generated
//! form. Benchmark code only: it assumes valid generated input.

use std::borrow::Cow;

use jixiao::Code;
use jixiao::eval::{
    BudgetOutcome, FormInfo, GoalOutcome, IndicatorOutcome, Outcome, RulesInfo, Scale, Status,
    Warning,
};
use jixiao::form::{Cmp, Direction, Form, Indicator, Parsed, Value};
use jixiao::syntax::ast::RoundMode;
use rust_decimal::{Decimal, RoundingStrategy};

/// Every indicator's score (`None` when left out), then the budget score and the total.
/// (The benchmarks only compute it; the agreement test reads it.)
#[allow(dead_code)]
pub struct Scores {
    pub indicators: Vec<Option<Decimal>>,
    pub budget: Decimal,
    pub total: Decimal,
}

fn round(x: Decimal) -> Decimal {
    let mut r = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if r.scale() < 2 {
        r.rescale(2);
    }
    r
}

/// The sum of decimals: as integers when they share one scale (weights, rounded scores),
/// as the interpreter adds a goal's weights and scores (BENCHMARKS.md, round 4), else one by
/// one.
fn sum<I: Iterator<Item = Decimal> + Clone>(items: I) -> Decimal {
    let mut rest = items.clone();
    if let Some(first) = rest.next() {
        let scale = first.scale();
        let mut total = first.mantissa();
        if rest.all(|x| {
            total += x.mantissa();
            x.scale() == scale && total.abs() < 1 << 96
        }) && total != 0
        {
            return Decimal::from_i128_with_scale(total, scale);
        }
    }
    items.sum()
}

/// The budget line's A and B, and its score: `20 * B / A`, at most 20, rounded.
fn budget(form: &Form) -> (Decimal, Decimal, Decimal) {
    let twenty = Decimal::from(20);
    let a = form
        .budget
        .planned
        .quantity()
        .map_or(Decimal::ONE, |q| q.number);
    let b = form
        .budget
        .executed
        .quantity()
        .map_or(Decimal::ZERO, |q| q.number);
    (a, b, round((twenty * b / a).min(twenty)))
}

pub fn score(form: &Form) -> Scores {
    let (_, _, budget) = budget(form);
    let mut total = budget;
    let mut indicators = Vec::new();
    for goal in &form.goals {
        let mut raw = Vec::with_capacity(goal.indicators.len());
        let all = sum(goal.indicators.iter().map(|i| i.weight.value));
        let mut omitted = Decimal::ZERO;
        for ind in &goal.indicators {
            match indicator(ind) {
                Some(s) => raw.push(Some(s)),
                None if &*ind.level1.text == "满意度指标" => {
                    omitted += ind.weight.value;
                    raw.push(None);
                }
                None => raw.push(Some(Decimal::ZERO)),
            }
        }
        let rest = all - omitted;
        let start = indicators.len();
        for s in raw {
            indicators.push(s.map(|v| {
                if omitted.is_zero() {
                    round(v)
                } else {
                    round(v * all / rest)
                }
            }));
        }
        total += sum(indicators[start..].iter().filter_map(|s| *s));
    }
    Scores {
        indicators,
        budget,
        total,
    }
}

/// The raw (unrounded, unscaled) score, or `None` when not evaluated.
fn indicator(ind: &Indicator) -> Option<Decimal> {
    let w = ind.weight.value;
    if ind.entries.is_empty() {
        let (t, a) = (ind.target.as_ref()?, ind.actual.as_ref()?);
        return Some(match (&t.parsed, &a.parsed) {
            (Parsed::Quantity(qt), Parsed::Quantity(qa)) => {
                let negative = matches!(qt.cmp, Cmp::Le | Cmp::Lt)
                    || ind.direction == Some(Direction::Negative);
                quantity(w, qt.number, qa.number, negative)
            }
            (Parsed::Text(tt), Parsed::Text(at)) => mul(
                w,
                rate(
                    ind.tier.as_ref().map(|t| &*t.text),
                    ind.rate.map(|r| r.value),
                    tt == at,
                ),
            ),
            _ => Decimal::ZERO,
        });
    }
    if ind.entries.iter().any(|e| e.actual.is_none()) {
        return None;
    }
    let funds: Vec<Decimal> = ind
        .entries
        .iter()
        .map(|e| e.fund.quantity().map_or(Decimal::ZERO, |q| q.number))
        .collect();
    let fund_total: Decimal = funds.iter().copied().sum();
    let first = ind.entries[0].target.as_ref()?;
    match &first.parsed {
        Parsed::Quantity(q0) => {
            let (mut a, mut b) = (Decimal::ZERO, Decimal::ZERO);
            for (e, f) in ind.entries.iter().zip(&funds) {
                let qt = e.target.as_ref()?.quantity()?.number;
                let qa = e.actual.as_ref()?.quantity()?.number;
                if q0.percent {
                    a += qt * f;
                    b += qa * f;
                } else {
                    a += qt;
                    b += qa;
                }
            }
            if q0.percent {
                a /= fund_total;
                b /= fund_total;
            }
            Some(quantity(w, a, b, matches!(q0.cmp, Cmp::Le | Cmp::Lt)))
        }
        Parsed::Text(_) => {
            let mut acc = Decimal::ZERO;
            for (e, f) in ind.entries.iter().zip(&funds) {
                let same = match (&e.target.as_ref()?.parsed, &e.actual.as_ref()?.parsed) {
                    (Parsed::Text(x), Parsed::Text(y)) => x == y,
                    _ => false,
                };
                acc += f * rate(
                    e.tier.as_ref().map(|t| &*t.text),
                    e.rate.map(|r| r.value),
                    same,
                );
            }
            Some(w * (acc / fund_total))
        }
    }
}

// An indicator's formula uses rust_decimal's checked operations rather than its operators:
// inlined, a checked operation's result stays in registers, where an operator's came back
// through memory and the next step waited on it. Measured (BENCHMARKS.md, round 6): this
// baseline 8 % faster on the seed form, 4 % on a generated one; the same change to the
// sums, rescaling and fund aggregation measured 2–3 % slower, so they keep the operators.
// The baseline is meant to be the fastest plain Rust. Generated input never overflows; an
// overflow panics, as the operators would.

#[inline]
fn mul(x: Decimal, y: Decimal) -> Decimal {
    x.checked_mul(y).expect("the product fits")
}

/// `x * y / z`
#[inline]
fn mul_div(x: Decimal, y: Decimal, z: Decimal) -> Decimal {
    x.checked_mul(y)
        .and_then(|p| p.checked_div(z))
        .expect("the divisor is not 0 and the result fits")
}

fn quantity(w: Decimal, a: Decimal, b: Decimal, negative: bool) -> Decimal {
    if negative {
        if b.is_zero() {
            w
        } else {
            mul_div(w, a, b).min(w)
        }
    } else if a.is_zero() {
        w
    } else {
        mul_div(w, b, a).min(w)
    }
}

/// hubei-2021's rate: the form's rate, or 100% for 达成 or equal texts.
fn rate(tier: Option<&str>, rate: Option<Decimal>, same: bool) -> Decimal {
    match (tier, rate) {
        (_, Some(r)) => r,
        (Some("达成"), None) => Decimal::ONE,
        (None, None) if same => Decimal::ONE,
        _ => Decimal::ZERO,
    }
}

/// The texts a hand-coded program would hold as constants: hubei-2021's header and class
/// names, made once (as a compiled rule set holds them) and shared by every outcome.
pub struct Names {
    rules_file: String,
    negative: (&'static str, &'static str),
    positive: (&'static str, &'static str),
    qualitative: (&'static str, &'static str),
}

impl Names {
    pub fn new(rules_file: &str) -> Names {
        Names {
            rules_file: rules_file.to_owned(),
            negative: ("negative", "反向指标"),
            positive: ("positive", "正向指标"),
            qualitative: ("qualitative", "定性指标"),
        }
    }
}

fn show(x: Decimal) -> String {
    x.normalize().to_string()
}

fn warning(code: Code, message: String, goal: usize, ind: Option<&str>) -> Warning {
    Warning {
        code,
        message,
        goal: Some(goal),
        indicator: ind.map(str::to_owned),
    }
}

fn written(ind: &Indicator, actual: bool) -> Option<Cow<'_, str>> {
    fn pick<'f>(
        target: &'f Option<Value>,
        act: &'f Option<Value>,
        actual: bool,
    ) -> Option<Cow<'f, str>> {
        let v = if actual {
            act.as_ref()
        } else {
            target.as_ref()
        };
        v.map(|v| Cow::Borrowed(&*v.raw))
    }
    if ind.entries.is_empty() {
        return pick(&ind.target, &ind.actual, actual);
    }
    let mut joined: Option<Cow<'_, str>> = None;
    for raw in ind
        .entries
        .iter()
        .filter_map(|e| pick(&e.target, &e.actual, actual))
    {
        match &mut joined {
            None => joined = Some(raw),
            Some(s) => {
                let s = s.to_mut();
                s.push_str(" + ");
                s.push_str(&raw);
            }
        }
    }
    joined
}

/// The class hubei-2021 puts an evaluated indicator in.
fn class_of(ind: &Indicator, names: &Names) -> (&'static str, &'static str) {
    let first = ind
        .target
        .as_ref()
        .or_else(|| ind.entries.first().and_then(|e| e.target.as_ref()));
    match first.map(|v| &v.parsed) {
        Some(Parsed::Quantity(q))
            if matches!(q.cmp, Cmp::Le | Cmp::Lt) || ind.direction == Some(Direction::Negative) =>
        {
            names.negative
        }
        Some(Parsed::Quantity(_)) => names.positive,
        _ => names.qualitative,
    }
}

/// The whole [`Outcome`] the interpreter gives without a trace, hand-coded for hubei-2021:
/// the same scores, the same texts, the same warnings.
pub fn outcome<'a>(form: &'a Form, names: &'a Names) -> Outcome<'a> {
    let twenty = Decimal::from(20);
    let (a, b, budget_score) = budget(form);
    let budget = BudgetOutcome {
        planned: Cow::Borrowed(&form.budget.planned.raw),
        executed: Cow::Borrowed(&form.budget.executed.raw),
        rate: b.checked_div(a).map(|r| r.normalize()),
        weight: twenty,
        score: budget_score,
        reported: form.budget.reported.map(|n| n.value),
        trace: Vec::new(),
    };
    let mut warnings = Vec::new();
    let mut total = budget_score;
    let mut max_total = twenty;
    let mut goals = Vec::with_capacity(form.goals.len());
    for (gi, goal) in form.goals.iter().enumerate() {
        let number = gi + 1;
        let mut indicators = Vec::with_capacity(goal.indicators.len());
        let all = sum(goal.indicators.iter().map(|i| i.weight.value));
        let mut omitted = Decimal::ZERO;
        for ind in &goal.indicators {
            let (status, raw, class) = match indicator(ind) {
                Some(s) => (Status::Scored, s, Some(class_of(ind, names))),
                None if &*ind.level1.text == "满意度指标" => {
                    omitted += ind.weight.value;
                    (Status::Omitted, Decimal::ZERO, None)
                }
                None => (Status::NotEvaluated, Decimal::ZERO, None),
            };
            indicators.push(IndicatorOutcome {
                level1: Cow::Borrowed(&ind.level1.text),
                level2: Cow::Borrowed(&ind.level2.text),
                name: Cow::Borrowed(&ind.name.text),
                target: written(ind, false),
                actual: written(ind, true),
                class: class.map(|c| Cow::Borrowed(c.0)),
                class_title: class.map(|c| Cow::Borrowed(c.1)),
                status,
                weight: ind.weight.value,
                score: Some(raw),
                reported: ind.reported.map(|n| n.value),
                trace: Vec::new(),
            });
        }
        if all != goal.weight.value {
            warnings.push(warning(
                Code::EvalWeightSum,
                format!(
                    "年度目标{number}的指标权重合计 {}，与目标分值 {} 不符；按各指标权重照常计分",
                    show(all),
                    show(goal.weight.value)
                ),
                number,
                None,
            ));
        }
        let rest = all - omitted;
        let rescale = !omitted.is_zero() && rest > Decimal::ZERO;
        if !omitted.is_zero() && !rescale {
            warnings.push(warning(
                Code::EvalNothingEvaluated,
                format!("年度目标{number}没有任何已评价的指标，得 0 分"),
                number,
                None,
            ));
        }
        for out in &mut indicators {
            match out.status {
                Status::Omitted => {
                    out.score = None;
                    warnings.push(warning(
                        Code::EvalOmitted,
                        format!(
                            "年度目标{number}「{}」未评价，按可选指标不计分，其余指标按比例折算",
                            out.name
                        ),
                        number,
                        Some(&out.name),
                    ));
                }
                status => {
                    let raw = out.score.unwrap_or_default();
                    let v = if rescale && status == Status::Scored {
                        round(raw * all / rest)
                    } else {
                        round(raw)
                    };
                    if status == Status::NotEvaluated {
                        warnings.push(warning(
                            Code::EvalNotEvaluated,
                            format!(
                                "年度目标{number}「{}」未填写实际完成值，且不是可选指标，按 0 分计",
                                out.name
                            ),
                            number,
                            Some(&out.name),
                        ));
                    }
                    out.score = Some(v);
                }
            }
        }
        let score = sum(indicators.iter().filter_map(|o| o.score));
        total += score;
        max_total += goal.weight.value;
        goals.push(GoalOutcome {
            number,
            name: Cow::Borrowed(&goal.name.text),
            weight: goal.weight.value,
            indicator_weight: all,
            scale: rescale
                .then(|| Scale::new(all, rest, Some((2, RoundMode::HalfUp))))
                .flatten(),
            score,
            reported: goal.reported.map(|n| n.value),
            indicators,
        });
    }
    if max_total != Decimal::ONE_HUNDRED {
        warnings.push(Warning {
            code: Code::EvalTotalWeight,
            message: format!("预算执行分值与各目标分值合计 {}，不是 100", show(max_total)),
            goal: None,
            indicator: None,
        });
    }
    let grade = |t: Decimal| -> Option<Cow<'a, str>> {
        Some(
            if t >= Decimal::from(90) {
                "优"
            } else if t >= Decimal::from(80) {
                "良"
            } else if t >= Decimal::from(60) {
                "中"
            } else {
                "差"
            }
            .into(),
        )
    };
    let reported_total = form.reported_total.map(|n| n.value);
    Outcome {
        rules: RulesInfo {
            id: Cow::Borrowed("hubei-2021"),
            title: Some(Cow::Borrowed("湖北省部门整体绩效自评 2021")),
            file: Cow::Borrowed(&names.rules_file),
        },
        form: FormInfo::of(form),
        budget,
        goals,
        grade: grade(total),
        reported_grade: reported_total.and_then(grade),
        total,
        max_total,
        reported_total,
        warnings,
    }
}
