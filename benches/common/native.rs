//! The native baseline: hubei-2021 scoring hand-coded in Rust over a loaded `Form`, with
//! the same decimals and the same rounding as the interpreter. Benchmarks compare the
//! interpreter's time per form to this; a test checks that both agree on every generated
//! form. Benchmark code only: it assumes valid generated input.

use jixiao::form::{Cmp, Direction, Form, Indicator, Parsed};
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
    r.rescale(2);
    r
}

pub fn score(form: &Form) -> Scores {
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
    let budget = round((twenty * b / a).min(twenty));
    let mut total = budget;
    let mut indicators = Vec::new();
    for goal in &form.goals {
        let mut raw = Vec::with_capacity(goal.indicators.len());
        let mut all = Decimal::ZERO;
        let mut omitted = Decimal::ZERO;
        for ind in &goal.indicators {
            all += ind.weight.value;
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
        for s in raw {
            let s = s.map(|v| {
                if omitted.is_zero() {
                    round(v)
                } else {
                    round(v * all / rest)
                }
            });
            if let Some(v) = s {
                total += v;
            }
            indicators.push(s);
        }
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
            (Parsed::Text(tt), Parsed::Text(at)) => {
                w * rate(
                    ind.tier.as_ref().map(|t| &*t.text),
                    ind.rate.map(|r| r.value),
                    tt == at,
                )
            }
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

fn quantity(w: Decimal, a: Decimal, b: Decimal, negative: bool) -> Decimal {
    if negative {
        if b.is_zero() { w } else { (w * a / b).min(w) }
    } else if a.is_zero() {
        w
    } else {
        (w * b / a).min(w)
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
