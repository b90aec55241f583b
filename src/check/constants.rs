//! The constants of a rule set, computed once the parameters' values are known (the
//! file's own, or `--set`'s), and what depends on their values checked: band ranges and
//! their layout (no overlap, no gap), grade order, weights that are not negative.
//!
//! Input: [`Rules`] as the checker drafted them, and settings (and, for a file with
//! errors already, the expressions in error, whose dependants are not checked). Output:
//! the same rules with `param_values`, band ends and defaults and grade thresholds filled
//! in, or every error found. Constants are evaluated by [`crate::eval`]'s interpreter, with no
//! built-in bound (a constant reads none).

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::ir::{CKind, subexpressions};
use super::{BandRule, CExpr, CheckError, CheckErrors, ParamValue, ParamValues, Rules, Setting};
use crate::eval::{ExprFault, Val};
use crate::num::shown::percent_exact;
use crate::num::{self, ArithError, Exact};
use crate::source::Span;

/// Computes every constant of `rules` (parameters first, `settings` taking precedence)
/// and checks what depends on their values: band ranges and layout, grade order.
pub(super) fn finalize(rules: &mut Rules, settings: &[Setting]) -> Result<(), CheckErrors> {
    let errors = finalize_with(rules, settings, &HashSet::new());
    if errors.is_empty() {
        return Ok(());
    }
    Err(CheckErrors::new(rules.source().name(), errors))
}

/// As [`finalize`], for rules whose file has errors already: `broken` holds the spans of
/// the compiled expressions that stand for ones in error, and what reads one (a band, a
/// grade, a weight, a parameter) is not checked; every error found is returned.
// Over 80 lines: the order of the checks is the order of their dependencies (parameters,
// then weights, bands and grades), each a few lines.
pub(super) fn finalize_with(
    rules: &mut Rules,
    settings: &[Setting],
    broken: &HashSet<Span>,
) -> Vec<CheckError> {
    let mut errors = Vec::new();
    let mut values = ParamValues::default();
    // Which parameters read an expression in error (theirs, or an earlier parameter's).
    let mut unsound: Vec<bool> = Vec::with_capacity(rules.params.len());
    for p in &rules.params {
        let set = settings.iter().rev().find(|s| s.name == p.name);
        let bad = set.is_none() && reads_broken(&p.expr, broken, &unsound);
        let v = match set {
            Some(s) if p.text => ParamValue::Text(s.text.as_str().into()),
            Some(s) => ParamValue::Num(s.number.unwrap_or_default()),
            None if bad && p.text => ParamValue::Text("".into()),
            None if bad => ParamValue::Num(Decimal::ZERO),
            None if p.text => match p.expr.eval(&|_| None, &values) {
                Ok(Val::Text(t)) => ParamValue::Text(t.into()),
                _ => ParamValue::Text("".into()),
            },
            None => ParamValue::Num(constant(rules, &p.expr, &values, &mut errors)),
        };
        values.push(v);
        unsound.push(bad);
    }
    rules.param_values = values;
    let sound = |e: &CExpr| !reads_broken(e, broken, &unsound);
    negative_weights(rules, settings, &sound, &mut errors);
    let mut classes = std::mem::take(&mut rules.classes);
    for class in &mut classes {
        let mut laid_out = Vec::with_capacity(class.bands.len());
        for band in &mut class.bands {
            let ends = [
                Some(&band.lo_expr),
                Some(&band.hi_expr),
                band.default_expr.as_ref(),
            ];
            if !ends.into_iter().flatten().all(sound) {
                continue;
            }
            band.lo = constant(rules, &band.lo_expr, &rules.param_values, &mut errors);
            band.hi = constant(rules, &band.hi_expr, &rules.param_values, &mut errors);
            band.default = band
                .default_expr
                .as_ref()
                .map(|d| constant(rules, d, &rules.param_values, &mut errors));
            check_band(rules, band, &mut errors);
            laid_out.push(&*band);
        }
        band_layout(rules, laid_out, &mut errors);
    }
    rules.classes = classes;
    let mut grades = std::mem::take(&mut rules.grades);
    let mut previous: Option<Decimal> = None;
    for g in &mut grades {
        if g.threshold.as_ref().is_some_and(|(e, _)| !sound(e)) {
            continue;
        }
        g.min = g.threshold.as_ref().map(|(e, inclusive)| {
            (
                constant(rules, e, &rules.param_values, &mut errors),
                *inclusive,
            )
        });
        if let (Some((t, _)), Some(p)) = (g.min, previous) {
            if t >= p {
                let (source, span) = rules.locate(g.span);
                errors.push(CheckError::GradeOrder {
                    src: source.named(),
                    span: span.into(),
                    message: format!(
                        "「{}」的分数线 {} 不低于上一级的 {}",
                        g.name,
                        num::show(t),
                        num::show(p)
                    ),
                });
            }
        }
        if let Some((t, _)) = g.min {
            previous = Some(t);
        }
    }
    rules.grades = grades;
    errors
}

/// Whether `e` reads an expression in error: a node at one of the `broken` spans, or a
/// parameter marked `unsound`.
fn reads_broken(e: &CExpr, broken: &HashSet<Span>, unsound: &[bool]) -> bool {
    if broken.is_empty() {
        return false;
    }
    broken.contains(&e.span)
        || matches!(e.kind, CKind::Param(i) if unsound.get(i) == Some(&true))
        || subexpressions(e)
            .into_iter()
            .any(|x| reads_broken(x, broken, unsound))
}

/// The budget's points and the goals' total (`scale goals to`) must not be negative: a
/// negative weight would score a budget executed in full below zero and push the total
/// past its maximum. When the rule file's own values give no negative weight, `settings`
/// did, and the message says which.
fn negative_weights(
    rules: &Rules,
    settings: &[Setting],
    sound: &dyn Fn(&CExpr) -> bool,
    errors: &mut Vec<CheckError>,
) {
    let value = |e: &CExpr, params: &ParamValues| match e.eval(&|_| None, params) {
        Ok(Val::Num(n)) => Some(n),
        _ => None,
    };
    // The file's own values, computed only when settings changed some.
    let mut own: Option<ParamValues> = None;
    let weights = [
        (Some(&rules.budget.weight), "预算执行分值"),
        (rules.scale.as_ref(), "目标分值合计"),
    ];
    for (expr, what) in weights {
        let Some(expr) = expr.filter(|e| sound(e)) else {
            continue;
        };
        let Some(v) = value(expr, &rules.param_values).filter(Exact::is_negative) else {
            continue;
        };
        let read = params_read(rules, expr);
        let set: Vec<&Setting> = settings
            .iter()
            .filter(|s| {
                rules
                    .params
                    .iter()
                    .position(|p| p.name == s.name)
                    .is_some_and(|i| read[i])
            })
            .collect();
        // The file's own value, when settings changed what it reads.
        let without = if set.is_empty() {
            None
        } else {
            let own = own.get_or_insert_with(|| {
                let mut ignored = Vec::new();
                let mut values = ParamValues::default();
                for p in &rules.params {
                    let v = if p.text {
                        match p.expr.eval(&|_| None, &values) {
                            Ok(Val::Text(t)) => ParamValue::Text(t.into()),
                            _ => ParamValue::Text("".into()),
                        }
                    } else {
                        ParamValue::Num(constant(rules, &p.expr, &values, &mut ignored))
                    };
                    values.push(v);
                }
                values
            });
            value(expr, own).filter(|v| !v.is_negative())
        };
        let (cause, help) = match without {
            Some(own) => {
                let shown: Vec<String> = set
                    .iter()
                    .map(|s| format!("--set {}={}", s.name, s.text))
                    .collect();
                (
                    format!("（由 {} 得出）", shown.join("、")),
                    format!("改用使{what}不小于 0 的值；不加 --set 时{what}为 {own}"),
                )
            }
            None => (
                String::new(),
                format!(
                    "{what}须不小于 0：检查这一行的公式及它用到的参数，例如 `scale goals to 100 - budget_weight` 要求 budget_weight 不超过 100"
                ),
            ),
        };
        let (source, span) = rules.locate(expr.span);
        errors.push(CheckError::NegativeWeight {
            src: source.named(),
            span: span.into(),
            what: what.to_owned(),
            value: v.to_string(),
            cause,
            help,
        });
    }
}

/// Which parameters `e` reads, directly or through other parameters.
fn params_read(rules: &Rules, e: &CExpr) -> Vec<bool> {
    fn walk(rules: &Rules, e: &CExpr, read: &mut [bool]) {
        if let CKind::Param(i) = e.kind {
            if read.get(i) == Some(&false) {
                read[i] = true;
                walk(rules, &rules.params[i].expr, read);
            }
        }
        for x in subexpressions(e) {
            walk(rules, x, read);
        }
    }
    let mut read = vec![false; rules.params.len()];
    walk(rules, e, &mut read);
    read
}

fn constant(
    rules: &Rules,
    e: &CExpr,
    params: &ParamValues,
    errors: &mut Vec<CheckError>,
) -> Decimal {
    let fail = |message: String, errors: &mut Vec<CheckError>| {
        let (source, local) = rules.locate(e.span);
        errors.push(CheckError::Constant {
            src: source.named(),
            span: local.into(),
            message,
        });
        Decimal::ZERO
    };
    match e.eval(&|_| None, params) {
        // Constants are compared and shown as decimals, so they must be decimals exactly:
        // `1 / 3` would otherwise be cut to 28 digits without anyone knowing.
        Ok(Val::Num(n)) => match n.to_decimal() {
            Some(d) => d,
            None if n.approx().is_some() => fail(
                format!("值约为 {n}，不是有限小数，无法精确表示；请直接写出所需的小数"),
                errors,
            ),
            None => fail(ArithError::Overflow.describe().to_owned(), errors),
        },
        Ok(_) => Decimal::ZERO,
        Err(fault) => match *fault {
            ExprFault::Unbound(..) | ExprFault::MissingFact(_) => Decimal::ZERO,
            ExprFault::Arith(err, span, _) => {
                let (source, local) = rules.locate(span);
                errors.push(CheckError::Constant {
                    src: source.named(),
                    span: local.into(),
                    message: err.describe().to_owned(),
                });
                Decimal::ZERO
            }
        },
    }
}

fn check_band(rules: &Rules, band: &BandRule, errors: &mut Vec<CheckError>) {
    let (source, span) = rules.locate(band.span);
    let bad = |message: String| CheckError::BadBand {
        src: source.named(),
        span: span.into(),
        name: band.name.clone(),
        message,
    };
    if band.lo < Decimal::ZERO || band.hi > Decimal::ONE {
        errors.push(bad("得分率须在 0% 到 100% 之间".into()));
    } else if band.lo > band.hi || (band.lo == band.hi && !(band.lo_inclusive && band.hi_inclusive))
    {
        errors.push(bad("区间为空".into()));
    } else if let Some(d) = band.default.filter(|d| !band.contains(*d)) {
        errors.push(bad(format!(
            "默认得分率 {} 不在区间 {} 内",
            percent_exact(d),
            band.range_text()
        )));
    }
}

/// Bands, in rate order, must meet exactly: no overlap, no gap.
fn band_layout(rules: &Rules, mut sorted: Vec<&BandRule>, errors: &mut Vec<CheckError>) {
    sorted.sort_by(|a, b| a.lo.cmp(&b.lo).then(b.lo_inclusive.cmp(&a.lo_inclusive)));
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let overlap = a.hi > b.lo || (a.hi == b.lo && a.hi_inclusive && b.lo_inclusive);
        let gap = a.hi < b.lo || (a.hi == b.lo && !a.hi_inclusive && !b.lo_inclusive);
        if !overlap && !gap {
            continue;
        }
        // Label both when they are in one file; else the later file's, naming the other.
        let (sa, la) = rules.locate(a.span);
        let (sb, lb) = rules.locate(b.span);
        let same = sa.name() == sb.name();
        let (src, first, second) = if same || a.span.start > b.span.start {
            (
                sa,
                same.then_some(la.into()),
                if same { lb.into() } else { la.into() },
            )
        } else {
            (sb, None, lb.into())
        };
        if overlap {
            errors.push(CheckError::BandOverlap {
                src: src.named(),
                first,
                second,
                a: a.name.clone(),
                b: b.name.clone(),
            });
        } else {
            let gap = if a.hi == b.lo {
                format!("{} 恰好不属于任何一档", percent_exact(a.hi))
            } else {
                format!(
                    "{} 到 {} 之间的得分率不属于任何一档",
                    percent_exact(a.hi),
                    percent_exact(b.lo)
                )
            };
            errors.push(CheckError::BandGap {
                src: src.named(),
                first,
                second,
                a: a.name.clone(),
                b: b.name.clone(),
                gap,
            });
        }
    }
}
