//! Scores out of range, found by trying each formula on sample indicators.
//!
//! - `jixiao::lint::score_above_weight`: a class (or the budget) whose score can exceed
//!   its weight: no `cap`, a cap above the weight, or a guard's value above it.
//! - `jixiao::lint::negative_score`: a class (or the budget) whose score can be below 0.
//!
//! The method: each formula is evaluated, as the evaluator does (the first guard that
//! holds gives the score; else the formula, limited by the cap), on a fixed grid of sample values of the built-ins it reads,
//! and the first sample out of range is shown as the example ("例如 A = 100、B = 200 时得分
//! 40，超过分值 20"). The grid:
//! - `weight`: 20, 5 and 1 for a class; the budget's own weight for the budget;
//! - `A` and `B` of numbers: every pair of 100, 200, 50, 0 and 10000 (equal, double, half,
//!   zero, far larger; form values are never negative); of texts: 达成 and 未达成 and
//!   every text the class compares with;
//! - `rate` with `tier`: each band with rates inside it (its ends where included, its
//!   middle, its default), and no tier with every such rate; without bands, 0%, 30%, 50%,
//!   80% and 100%;
//! - `op`, `direction`, `kind`: each value they can have; the names (`level1`, `level2`,
//!   `name`, `goal`) and `department`: the empty text, another, and every text the class
//!   compares with;
//! - `year`: 2021, and each year the formula compares with and the one before it;
//! - a declared fact (`fact 单位类型: text in [...]`): its listed values, else as the
//!   names; a number fact: 0, 1, 2, 5 and every number the formula compares with.
//!
//! A sample the class's `when` refuses is skipped (another class scores it), and so is
//! one that ends in an error (a guard's `error`, a division by zero): those are not
//! scores. A found example is a real case, so there is no false alarm; a formula out of
//! range only between the samples goes unseen. Samples are bounded per class and per rule
//! set, so that a hostile rule file costs time in proportion to its size.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::check::ir::CKind;
use crate::check::{BandRule, CExpr, Formula, GuardOutcome, Rules, Var, subexpressions};
use crate::eval::{Env, Val};
use crate::num::shown::percent_exact;
use crate::num::{self, Exact};
use crate::source::Span;
use crate::syntax::ast::{ClassKind, FactType};
use crate::text::quoted;

use super::{Lint, Severity, at_rule};
use crate::code::Code;

/// Samples tried for one formula, at most.
const PER_FORMULA: usize = 20_000;
/// Samples tried for a whole rule set, at most: the formulas after are not tried.
const PER_RULE_SET: usize = 100_000;

/// The warnings for formulas whose score can exceed the weight or be negative.
pub(super) fn score_range(rules: &Rules, out: &mut Vec<Lint>) {
    let mut budget = PER_RULE_SET;
    // The budget's weight is a checked constant, a decimal (0 where it cannot be one).
    let weight = match rules.budget.weight.eval(&|_| None, &rules.param_values) {
        Ok(Val::Num(n)) => n.to_decimal().unwrap_or_default(),
        _ => Decimal::ZERO,
    };
    let subject = Subject {
        place: "预算执行".to_owned(),
        kind: None,
        when: None,
        formula: &rules.budget.formula,
        bands: &[],
        weights: vec![weight],
    };
    check(rules, &subject, &mut budget, out);
    for class in &rules.classes {
        let subject = Subject {
            place: format!("类别{}", quoted(&class.name)),
            kind: Some(class.kind),
            when: class.when.as_deref(),
            formula: &class.formula,
            bands: &class.bands,
            weights: vec![Decimal::from(20), Decimal::from(5), Decimal::ONE],
        };
        check(rules, &subject, &mut budget, out);
    }
}

/// A formula and what it scores.
struct Subject<'r> {
    /// 预算执行 or 类别「…」, for messages.
    place: String,
    /// The class's kind; `None` for the budget.
    kind: Option<ClassKind>,
    when: Option<&'r CExpr>,
    formula: &'r Formula,
    bands: &'r [BandRule],
    weights: Vec<Decimal>,
}

impl Subject<'_> {
    /// Every expression that decides the score, the `when` first.
    fn exprs(&self) -> Vec<&CExpr> {
        let mut out: Vec<&CExpr> = self.when.into_iter().collect();
        for g in &self.formula.guards {
            out.push(&g.cond);
            if let GuardOutcome::Value(v) = &g.result {
                out.push(v);
            }
        }
        out.push(&self.formula.score);
        if let Some(cap) = &self.formula.cap {
            out.push(cap);
        }
        out
    }
}

/// What a sample gives a value to: a built-in, or a declared fact of the form.
#[derive(Clone, Debug, PartialEq)]
enum Key {
    Var(Var),
    Fact(Arc<str>),
}

/// One axis of the grid: a built-in (or the `tier` and `rate` pair, or `A` with `B`), or
/// a fact, and its sample values.
struct Axis {
    keys: Vec<Key>,
    values: Vec<Vec<Sample>>,
}

/// The values of one sample, as the evaluator's subject offers them.
struct Sampled<'s>(Vec<(&'s Key, &'s Sample)>);

impl<'s> Env<'s> for Sampled<'s> {
    fn get(&self, var: Var) -> Option<Val<'s>> {
        self.0
            .iter()
            .find(|(k, _)| **k == Key::Var(var))
            .and_then(|(_, s)| value(s))
    }

    fn fact(&self, name: &str) -> Option<Val<'s>> {
        self.0
            .iter()
            .find(|(k, _)| matches!(k, Key::Fact(n) if **n == *name))
            .and_then(|(_, s)| value(s))
    }
}

fn value(s: &Sample) -> Option<Val<'_>> {
    match s {
        Sample::Num(n) => Some(Val::Num(Exact::from(*n))),
        Sample::Text(t) => Some(Val::Text(t)),
        Sample::Missing => None,
    }
}

#[derive(Clone, Debug)]
enum Sample {
    Num(Decimal),
    Text(String),
    /// No value: a form that leaves it out (a year, a fact).
    Missing,
}

/// A score out of range, with the sample that gave it and where it came from.
struct Found {
    score: Exact,
    weight: Exact,
    sample: String,
    /// The clause that gave the score: a guard's value, the score, the cap.
    span: Span,
    /// Whether the cap gave it.
    capped: bool,
    /// Whether a guard's value gave it (which no cap limits).
    by_guard: bool,
}

fn check(rules: &Rules, subject: &Subject<'_>, budget: &mut usize, out: &mut Vec<Lint>) {
    let exprs = subject.exprs();
    let mut read = Vec::new();
    let mut facts = Vec::new();
    for e in &exprs {
        e.vars_used(&mut read);
        e.facts_used(&mut facts);
    }
    let mut texts: Vec<String> = Vec::new();
    let mut numbers: Vec<Decimal> = Vec::new();
    for e in &exprs {
        literals(e, &mut texts, &mut numbers);
    }
    let mut axes = axes(subject, &read, &texts, &numbers);
    for name in facts {
        axes.push(fact_axis(rules, name, &texts, &numbers));
    }
    let mut above: Option<Found> = None;
    let mut below: Option<Found> = None;
    let mut index = vec![0usize; axes.len()];
    let mut tried = 0;
    'grid: loop {
        if tried >= PER_FORMULA || *budget == 0 || (above.is_some() && below.is_some()) {
            break;
        }
        tried += 1;
        *budget -= 1;
        let mut values = Vec::new();
        for (axis, &i) in axes.iter().zip(&index) {
            values.extend(axis.keys.iter().zip(&axis.values[i]));
        }
        if let Some(found) = score_of(rules, subject, Sampled(values), &read) {
            if found.score > found.weight && above.is_none() {
                above = Some(found);
            } else if found.score.is_negative() && below.is_none() {
                below = Some(found);
            }
        }
        // The next sample: the last axis turns fastest.
        for k in (0..axes.len()).rev() {
            index[k] += 1;
            if index[k] < axes[k].values.len() {
                continue 'grid;
            }
            index[k] = 0;
        }
        break;
    }
    if let Some(f) = above {
        out.push(above_weight(rules, subject, &f));
    }
    if let Some(f) = below {
        out.push(negative(rules, subject, &f));
    }
}

/// The score of one sample, or `None` when the class would not score it (its `when`
/// fails) or it ends in an error.
fn score_of<'s>(
    rules: &'s Rules,
    subject: &Subject<'s>,
    env: Sampled<'s>,
    read: &[Var],
) -> Option<Found> {
    let params = &rules.param_values;
    let weight = match env.get(Var::Weight) {
        Some(Val::Num(n)) => n,
        _ => return None,
    };
    if let Some(when) = subject.when {
        if !when.truth(&env, params).ok()? {
            return None;
        }
    }
    // As the evaluator scores: the first guard that holds gives the score as it is (a cap
    // limits the formula only); else the formula, then the cap.
    let f = subject.formula;
    let mut guarded = None;
    for g in &f.guards {
        if g.cond.truth(&env, params).ok()? {
            match &g.result {
                GuardOutcome::Value(v) => guarded = Some((v.number(&env, params).ok()?, v.span)),
                GuardOutcome::Fail(_) => return None,
            }
            break;
        }
    }
    let mut capped = false;
    let (score, span, by_guard) = match guarded {
        Some((score, span)) => (score, span, true),
        None => {
            let mut score = f.score.number(&env, params).ok()?;
            let mut span = f.score.span;
            if let Some(cap) = &f.cap {
                let c = cap.number(&env, params).ok()?;
                if score > c {
                    score = c;
                    span = cap.span;
                    capped = true;
                }
            }
            (score, span, false)
        }
    };
    let sample = env
        .0
        .iter()
        .filter(|(k, _)| match k {
            Key::Var(v) => *v != Var::Weight && read.contains(v),
            Key::Fact(_) => true,
        })
        .map(|(k, s)| shown(k, s))
        .collect::<Vec<_>>()
        .join("、");
    Some(Found {
        score,
        weight,
        sample,
        span,
        capped,
        by_guard,
    })
}

/// `A = 100`, `op = "<="`, `rate = 80%`, `单位类型 = "事业单位"`, `year 未填`.
fn shown(key: &Key, s: &Sample) -> String {
    let name = match key {
        Key::Var(v) => v.name(),
        Key::Fact(n) => n,
    };
    match (key, s) {
        (Key::Var(Var::Rate), Sample::Num(n)) => format!("{name} = {}", percent_exact(*n)),
        (_, Sample::Num(n)) => format!("{name} = {}", num::show(*n)),
        (_, Sample::Text(t)) => format!("{name} = \"{}\"", crate::text::escaped(t, false)),
        (_, Sample::Missing) => format!("{name} 未填"),
    }
}

/// `例如 A = 100、B = 200 时` (or nothing, when the formula reads no form value).
fn example(f: &Found) -> String {
    if f.sample.is_empty() {
        "例如".to_owned()
    } else {
        format!("例如 {} 时", f.sample)
    }
}

fn above_weight(rules: &Rules, subject: &Subject<'_>, f: &Found) -> Lint {
    let help = if f.capped {
        "上限 cap 高于分值：写成 `cap weight`，使得分不超过分值"
    } else if f.by_guard {
        "if 给出的得分不经过 cap：把它改为不超过分值的值，例如 `weight` 或 `min(weight, …)`"
    } else {
        "加一行 `cap weight`，使得分不超过分值"
    };
    at_rule(
        rules,
        Code::LintScoreAboveWeight,
        Severity::Warning,
        f.span,
        "得分可能超过分值",
        format!(
            "{}的得分可能超过分值：{}得分 {}，超过分值 {}",
            subject.place,
            example(f),
            f.score,
            f.weight
        ),
    )
    .with_help(help)
}

fn negative(rules: &Rules, subject: &Subject<'_>, f: &Found) -> Lint {
    at_rule(
        rules,
        Code::LintNegativeScore,
        Severity::Warning,
        f.span,
        "得分可能为负数",
        format!(
            "{}的得分可能为负数：{}得分 {}（分值 {}）",
            subject.place,
            example(f),
            f.score,
            f.weight
        ),
    )
    .with_help("扣分扣完为止：用 `max(0, …)` 使得分不低于 0，例如 `score max(0, weight - floor((B - A) / 1%))`")
}

/// Every text and number literal in `e` (what conditions compare the built-ins and
/// facts with).
fn literals(e: &CExpr, texts: &mut Vec<String>, numbers: &mut Vec<Decimal>) {
    match &e.kind {
        CKind::Text(t) if !texts.contains(t) => texts.push(t.clone()),
        CKind::Num(n) if !numbers.contains(n) => numbers.push(*n),
        _ => {}
    }
    for x in subexpressions(e) {
        literals(x, texts, numbers);
    }
}

/// A declared fact's axis: a text fact's listed values (else the names' samples), a
/// number fact's 0, 1, 2, 5 and the numbers the formula compares with.
fn fact_axis(rules: &Rules, name: &Arc<str>, texts_read: &[String], numbers: &[Decimal]) -> Axis {
    let def = rules.facts.iter().find(|f| f.name == *name);
    let values = match def {
        Some(d) if d.ty == FactType::Number => {
            let mut out: Vec<Decimal> = [0, 1, 2, 5].into_iter().map(Decimal::from).collect();
            for n in numbers {
                if !out.contains(n) {
                    out.push(*n);
                }
            }
            out.into_iter().map(|n| vec![Sample::Num(n)]).collect()
        }
        Some(d) if !d.values.is_empty() => texts(&[], &d.values),
        _ => texts(&["", "其他"], texts_read),
    };
    // And none: a form that does not state it (which `missing(…)` tests).
    let values = values.into_iter().chain([vec![Sample::Missing]]).collect();
    Axis {
        keys: vec![Key::Fact(Arc::clone(name))],
        values,
    }
}

fn num(n: i64) -> Sample {
    Sample::Num(Decimal::from(n))
}

fn texts(first: &[&str], more: &[String]) -> Vec<Vec<Sample>> {
    let mut out: Vec<String> = first.iter().map(|s| (*s).to_owned()).collect();
    for t in more {
        if !out.contains(t) {
            out.push(t.clone());
        }
    }
    out.into_iter().map(|t| vec![Sample::Text(t)]).collect()
}

/// The grid's axes for a formula reading `read`: the weight first (turning slowest),
/// `A` and `B` last. Built-ins the formula does not read get their first value only.
fn axes(
    subject: &Subject<'_>,
    read: &[Var],
    literals: &[String],
    numbers: &[Decimal],
) -> Vec<Axis> {
    let reads = |v: Var| read.contains(&v);
    let mut axes = vec![Axis {
        keys: vec![Key::Var(Var::Weight)],
        values: subject
            .weights
            .iter()
            .map(|w| vec![Sample::Num(*w)])
            .collect(),
    }];
    let single = |var: Var, values: Vec<Vec<Sample>>| Axis {
        keys: vec![Key::Var(var)],
        values: if reads(var) {
            values
        } else {
            values.into_iter().take(1).collect()
        },
    };
    let text = subject.kind == Some(ClassKind::Text);
    let kinds: &[&str] = match subject.kind {
        Some(ClassKind::Text) => &["text"],
        Some(ClassKind::Numbers) => &["number", "percent"],
        None => &["number"],
    };
    axes.push(single(Var::Kind, texts(kinds, &[])));
    axes.push(single(
        Var::Op,
        texts(&["", ">=", "<=", ">", "<", "="], &[]),
    ));
    axes.push(single(
        Var::Direction,
        texts(&["", "positive", "negative"], &[]),
    ));
    for var in [
        Var::Level1,
        Var::Level2,
        Var::Name,
        Var::Goal,
        Var::Department,
    ] {
        axes.push(single(var, texts(&["", "其他"], literals)));
    }
    // 2021, and each year compared with (a literal from 1900 to 2200) and the one before.
    let mut years = vec![Decimal::from(2021)];
    let (first, last) = (Decimal::from(1900), Decimal::from(2200));
    for n in numbers
        .iter()
        .filter(|n| n.fract().is_zero() && first <= **n && **n <= last)
    {
        for y in [*n, n - Decimal::ONE] {
            if !years.contains(&y) {
                years.push(y);
            }
        }
    }
    // And none: a form without a year (which `missing(year)` tests).
    let years = years.into_iter().map(Sample::Num).chain([Sample::Missing]);
    axes.push(single(Var::Year, years.map(|y| vec![y]).collect()));
    if text {
        axes.push(Axis {
            keys: vec![Key::Var(Var::Tier), Key::Var(Var::Rate)],
            values: tier_rates(subject.bands)
                .into_iter()
                .filter(|(tier, _)| reads(Var::Tier) || tier.is_empty())
                .map(|(tier, rate)| vec![Sample::Text(tier), Sample::Num(rate)])
                .collect(),
        });
        let words = texts(&["达成", "未达成"], literals);
        axes.push(pairs(&words, reads(Var::A) || reads(Var::B)));
    } else {
        let numbers: Vec<Vec<Sample>> = [100, 200, 50, 0, 10_000]
            .into_iter()
            .map(|n| vec![num(n)])
            .collect();
        axes.push(pairs(&numbers, reads(Var::A) || reads(Var::B)));
    }
    axes
}

/// `A` and `B` as one axis: every pair of `values` (or the first with itself).
fn pairs(values: &[Vec<Sample>], read: bool) -> Axis {
    let mut out = Vec::new();
    for a in values {
        for b in values {
            out.push(a.iter().chain(b).cloned().collect());
            if !read {
                return Axis {
                    keys: vec![Key::Var(Var::A), Key::Var(Var::B)],
                    values: out,
                };
            }
        }
    }
    Axis {
        keys: vec![Key::Var(Var::A), Key::Var(Var::B)],
        values: out,
    }
}

/// (tier, rate) pairs a form can give: no tier with a rate in some band, or a band's
/// name with a rate inside it; without bands, any rate.
fn tier_rates(bands: &[BandRule]) -> Vec<(String, Decimal)> {
    let mut rates: Vec<Decimal> = ["1", "0.8", "0.5", "0.3", "0"]
        .iter()
        .filter_map(|r| r.parse().ok())
        .collect();
    for b in bands {
        let middle = num::div(num::add(b.lo, b.hi).unwrap_or(b.lo), Decimal::TWO).unwrap_or(b.lo);
        for r in [Some(b.hi), Some(b.lo), Some(middle), b.default]
            .into_iter()
            .flatten()
        {
            if !rates.contains(&r) {
                rates.push(r);
            }
        }
    }
    if bands.is_empty() {
        return rates.into_iter().map(|r| (String::new(), r)).collect();
    }
    let mut out: Vec<(String, Decimal)> = rates
        .iter()
        .filter(|r| bands.iter().any(|b| b.contains(**r)))
        .map(|r| (String::new(), *r))
        .collect();
    for b in bands {
        for r in rates.iter().filter(|r| b.contains(**r)) {
            out.push((b.name.clone(), *r));
        }
        if let Some(d) = b.default.filter(|d| !rates.contains(d)) {
            out.push((b.name.clone(), d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    /// The score-range warnings (message and help) for a rule set with `budget` and
    /// `classes`.
    fn found(budget: &str, classes: &str) -> Vec<String> {
        let text = format!(
            "rules \"t\"\nbudget:\n    weight 20\n{budget}\n{classes}\ngrade 优 >= 90, 差\n"
        );
        let rules = match crate::compile(&Source::new("t.rules", text)) {
            Ok(r) => r,
            Err(e) => panic!("{e:?}"),
        };
        super::super::lint_rules(&rules)
            .iter()
            .filter(|l| {
                matches!(
                    l.code(),
                    "jixiao::lint::score_above_weight" | "jixiao::lint::negative_score"
                )
            })
            .map(|l| format!("{} | {}", l.message(), l.help().unwrap_or("")))
            .collect()
    }

    const CAPPED: &str = "    score weight * B / A\n    cap weight\n    if A == 0: weight";
    const TEXT: &str = "class q for text:\n    band 达成 [80%, 100%]\n    band 未达成 [0%, 80%)\n    score weight * rate\n";

    #[test]
    fn a_score_without_a_cap_can_exceed_the_weight() {
        // weight 20, A = 100, B = 200: 20 × 200 / 100 = 40.
        assert_eq!(
            found(
                CAPPED,
                &format!(
                    "class p for numbers:\n    score weight * B / A\n    if A == 0: weight\n{TEXT}"
                )
            ),
            [
                "类别「p」的得分可能超过分值：例如 A = 100、B = 200 时得分 40，超过分值 20 | 加一行 `cap weight`，使得分不超过分值"
            ]
        );
        // The budget's own weight, 20: the same.
        assert_eq!(
            found(
                "    score weight * B / A\n    if A == 0: 0",
                &format!("class p for numbers:\n{CAPPED}\n{TEXT}")
            ),
            [
                "预算执行的得分可能超过分值：例如 A = 100、B = 200 时得分 40，超过分值 20 | 加一行 `cap weight`，使得分不超过分值"
            ]
        );
        // A cap above the weight: 20 × 1.2 = 24.
        assert_eq!(
            found(
                CAPPED,
                &format!(
                    "class p for numbers:\n    score weight * B / A\n    cap weight * 1.2\n    if A == 0: weight\n{TEXT}"
                )
            ),
            [
                "类别「p」的得分可能超过分值：例如 A = 100、B = 200 时得分 24，超过分值 20 | 上限 cap 高于分值：写成 `cap weight`，使得分不超过分值"
            ]
        );
        // A guard's value is the score as it is: the cap limits the formula only. A = 100,
        // B = 200: 20 × 2 = 40.
        assert_eq!(
            found(
                CAPPED,
                &format!(
                    "class p for numbers:\n    score weight\n    cap weight\n    if B > A: weight * 2\n{TEXT}"
                )
            ),
            [
                "类别「p」的得分可能超过分值：例如 A = 100、B = 200 时得分 40，超过分值 20 | if 给出的得分不经过 cap：把它改为不超过分值的值，例如 `weight` 或 `min(weight, …)`"
            ]
        );
    }

    #[test]
    fn a_deduction_without_a_floor_can_go_negative() {
        // weight 20, A = 100, B = 200: 20 − floor(100 / 1%) = 20 − 10000 = −9980.
        assert_eq!(
            found(
                CAPPED,
                &format!(
                    "class d for numbers:\n    score weight - floor((B - A) / 1%)\n    if B <= A: weight\n{TEXT}"
                )
            ),
            [
                "类别「d」的得分可能为负数：例如 A = 100、B = 200 时得分 -9980（分值 20） | 扣分扣完为止：用 `max(0, …)` 使得分不低于 0，例如 `score max(0, weight - floor((B - A) / 1%))`"
            ]
        );
        // A text class without bands: weight × (rate − 50%) at rate 30% (the first
        // sample below 50%) is 20 × −0.2 = −4.
        assert_eq!(
            found(
                CAPPED,
                &format!(
                    "class p for numbers:\n{CAPPED}\nclass q for text:\n    score weight * (rate - 50%)\n"
                )
            ),
            [
                "类别「q」的得分可能为负数：例如 rate = 30% 时得分 -4（分值 20） | 扣分扣完为止：用 `max(0, …)` 使得分不低于 0，例如 `score max(0, weight - floor((B - A) / 1%))`"
            ]
        );
    }

    #[test]
    fn when_guards_and_errors_limit_the_samples() {
        // Only indicators with op "<=" reach this class; for them A / B ≤ 1 is not
        // guaranteed, but `when` and the guard make the score weight × A / B ≤ weight
        // only when B ≥ A: here B = 50 < A = 100 gives 40. The example names op.
        assert_eq!(
            found(
                CAPPED,
                &format!(
                    "class n for numbers when op == \"<=\":\n    score weight * A / B\n    if B == 0: weight\n{TEXT}"
                )
            ),
            [
                "类别「n」的得分可能超过分值：例如 op = \"<=\"、A = 100、B = 50 时得分 40，超过分值 20 | 加一行 `cap weight`，使得分不超过分值"
            ]
        );
        // A guard that is an error for every case over the weight: no warning.
        assert_eq!(
            found(
                CAPPED,
                &format!(
                    "class p for numbers:\n    score weight * B / A\n    if B > A: error \"超过目标\"\n    if A == 0: weight\n{TEXT}"
                )
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_forms_year_department_and_facts_are_sampled() {
        let over = |formula: &str, facts: &str| {
            let text = format!(
                "rules \"t\"\n{facts}\nbudget:\n    weight 20\n{CAPPED}\n\
                 class p for numbers:\n    score {formula}\n    if A == 0: weight\n{TEXT}grade 优 >= 90, 差\n"
            );
            let rules =
                crate::compile(&Source::new("t.rules", text)).unwrap_or_else(|e| panic!("{e:?}"));
            super::super::lint_rules(&rules)
                .iter()
                .filter(|l| l.code() == "jixiao::lint::score_above_weight")
                .map(|l| l.message().to_owned())
                .collect::<Vec<_>>()
        };
        // From 2030 on, twice the weight: 20 × 2 = 40 (the year compared with is sampled).
        assert_eq!(
            over(
                "if year >= 2030 then weight * 2 else min(weight, weight * B / A)",
                ""
            ),
            [
                "类别「p」的得分可能超过分值：例如 year = 2030、A = 100、B = 100 时得分 40，超过分值 20"
            ]
        );
        // A form without a year: 20 × 1.5 = 30.
        assert_eq!(
            over("if missing(year) then weight * 1.5 else weight", ""),
            ["类别「p」的得分可能超过分值：例如 year 未填、A = 100 时得分 30，超过分值 20"]
        );
        // A department compared with: 20 + 5 = 25.
        assert_eq!(
            over("if department == \"某局\" then weight + 5 else weight", ""),
            [
                "类别「p」的得分可能超过分值：例如 department = \"某局\"、A = 100 时得分 25，超过分值 20"
            ]
        );
        // A number fact: 0, 1, 2 give at most 20; 5 gives 20 × 5 / 2 = 50.
        assert_eq!(
            over("weight * 级次 / 2", "fact 级次: number"),
            ["类别「p」的得分可能超过分值：例如 A = 100、级次 = 5 时得分 50，超过分值 20"]
        );
        // A text fact's listed values: 事业单位 gives 20 × 1.5 = 30.
        assert_eq!(
            over(
                "if 单位类型 == \"事业单位\" then weight * 1.5 else weight",
                "fact 单位类型: text in [\"行政单位\", \"事业单位\"]"
            ),
            [
                "类别「p」的得分可能超过分值：例如 A = 100、单位类型 = \"事业单位\" 时得分 30，超过分值 20"
            ]
        );
        // Within the weight for every sample: no warning.
        assert_eq!(
            over("min(weight, weight * 级次)", "fact 级次: number"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_bundled_rule_sets_have_no_scores_out_of_range() {
        for name in crate::bundled_names() {
            let Some(source) = crate::bundled(name) else {
                panic!("{name}")
            };
            let rules = match crate::compile(&source) {
                Ok(r) => r,
                Err(e) => panic!("{e:?}"),
            };
            let codes: Vec<String> = super::super::lint_rules(&rules)
                .iter()
                .map(|l| l.code().to_owned())
                .collect();
            assert_eq!(codes, Vec::<String>::new(), "{name}");
        }
    }
}
