//! Warnings on compiled rules: what the checker accepts but is almost certainly a mistake.
//!
//! - `jixiao::lint::unused_param`: a parameter no expression reads (parameters, budget,
//!   classes with their bands, optional rules, grades, `scale goals`, `cap goal|total`).
//! - `jixiao::lint::shadowed_class`: a class that can never be chosen, because an earlier
//!   class of the same kind has no `when` (or `when true`), or the same `when`, compared
//!   as rule text with whitespace normalised.
//! - `jixiao::lint::unguarded_division`: in a formula (`budget:` or a class), a division
//!   whose divisor reads `A` or `B` with no guard for a zero divisor. A divisor `X` is
//!   guarded by an earlier `if` guard (or an `if … then … else`, `and`, `or` around it)
//!   whose condition tests `X == 0`, `0 == X` or `X <= 0` (alone or in an `or`); `X` is
//!   compared as rule text. Form values are never negative, so `max(X, …)` is guarded when
//!   one argument is, and `min(X, Y)` or `X * Y` when all are. A `cap` guards nothing.
//! - `jixiao::lint::no_grades`: no `grade` item, so no result gets a grade.
//! - `jixiao::lint::no_class_for`: no class `for numbers`, or none `for text`, so such
//!   indicators can never be scored.
//! - `jixiao::lint::band_coverage`: a class's bands leave 0% or 100% uncovered (the lowest
//!   band starts above 0% or excludes it, the highest ends below 100% or excludes it), so
//!   an indicator rated there is in no band and cannot be scored. The checker has already
//!   made the bands meet without gap or overlap, so only the two ends can be open.
//! - `jixiao::lint::rounding_no_effect`: a `round` line at the goal or the total that
//!   keeps at least as many places as the rounded level below it: sums of values with
//!   that many places already have them, so the line changes nothing.
//! - `jixiao::lint::score_above_weight` and `jixiao::lint::negative_score`: see
//!   [`super::score_range`].
//!
//! All are warnings.

use crate::check::ir::{CKind, Func};
use crate::check::{
    CExpr, ClassRule, Formula, GuardOutcome, Rules, Var, subexpressions as children,
};
use crate::num::shown::percent_exact;
use crate::source::Span;
use crate::syntax::ast::{BinOp, ClassKind, RoundLevel, UnOp};
use crate::text::quoted;

use super::{Lint, Severity, at_rule};
use crate::code::Code;

/// Every warning on a compiled rule set, in rule-file order (base files first): the
/// first [`crate::limits::MAX_DIAGNOSTICS`], then a count of the rest.
#[must_use]
pub fn lint_rules(rules: &Rules) -> Vec<Lint> {
    let mut out = Vec::new();
    unused_params(rules, &mut out);
    shadowed_classes(rules, &mut out);
    unguarded_divisions(rules, &mut out);
    coverage(rules, &mut out);
    band_coverage(rules, &mut out);
    rounding(rules, &mut out);
    super::score_range::score_range(rules, &mut out);
    out.sort_by_key(|l| l.order);
    super::capped(out, rules.source().name())
}

/// Every top-level expression of the rules.
fn each_expr<'r>(rules: &'r Rules, f: &mut dyn FnMut(&'r CExpr)) {
    fn formula<'r>(fm: &'r Formula, f: &mut dyn FnMut(&'r CExpr)) {
        for g in &fm.guards {
            f(&g.cond);
            if let GuardOutcome::Value(v) = &g.result {
                f(v);
            }
        }
        f(&fm.score);
        if let Some(c) = &fm.cap {
            f(c);
        }
    }
    for p in &rules.params {
        f(&p.expr);
    }
    f(&rules.budget.weight);
    formula(&rules.budget.formula, f);
    for c in &rules.classes {
        if let Some(w) = &c.when {
            f(w);
        }
        formula(&c.formula, f);
        for b in &c.bands {
            f(&b.lo_expr);
            f(&b.hi_expr);
            if let Some(d) = &b.default_expr {
                f(d);
            }
            if let Some(w) = &b.when {
                f(w);
            }
        }
    }
    for o in &rules.optionals {
        f(&o.when);
    }
    for g in &rules.grades {
        if let Some((t, _)) = &g.threshold {
            f(t);
        }
    }
    if let Some(s) = &rules.scale {
        f(s);
    }
    for c in [&rules.goal_cap, &rules.total_cap].into_iter().flatten() {
        f(&c.value);
    }
}

fn params_read(e: &CExpr, used: &mut [bool]) {
    if let CKind::Param(i) = e.kind {
        if let Some(u) = used.get_mut(i) {
            *u = true;
        }
    }
    for c in children(e) {
        params_read(c, used);
    }
}

fn unused_params(rules: &Rules, out: &mut Vec<Lint>) {
    let mut used = vec![false; rules.params.len()];
    each_expr(rules, &mut |e| params_read(e, &mut used));
    for (p, _) in rules.params.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push(
            at_rule(
                rules,
                Code::LintUnusedParam,
                Severity::Warning,
                p.span,
                "没有任何公式或条件用到它",
                format!("参数「{}」从未使用", p.name),
            )
            .with_help(format!(
                "删除这个参数，或在公式、条件中用到它；修改它（包括 --set {}=…）不会改变任何得分",
                p.name
            )),
        );
    }
}

/// Rule text with runs of whitespace removed, except one space between two word
/// characters, and balanced outer parentheses stripped: `( A  ==0 )` → `A==0`.
fn normalized(text: &str) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && word(c) && out.chars().last().is_some_and(word) {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    while let Some(inner) = outer_parens(&out) {
        out = inner.to_owned();
    }
    out
}

fn word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '%' || c == '.'
}

/// `(x)` → `x`, but not `(a) + (b)`.
fn outer_parens(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0usize;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    (depth == 0).then_some(inner)
}

fn text_of(rules: &Rules, e: &CExpr) -> String {
    normalized(rules.slice(e.span))
}

/// `when` absent or literally `true`: the class takes every indicator of its kind.
fn catch_all(class: &ClassRule) -> bool {
    match &class.when {
        None => true,
        Some(w) => matches!(w.kind, CKind::Bool(true)),
    }
}

fn kind_text(kind: ClassKind) -> &'static str {
    match kind {
        ClassKind::Numbers => "定量指标（for numbers）",
        ClassKind::Text => "定性指标（for text）",
    }
}

/// For each class, the first earlier class of its kind that takes every indicator (no
/// `when`) or has the same `when`: found in one pass, by kind, with the first class of
/// each `when` text in a map, so that many classes cost no more than their number.
fn shadowed_classes(rules: &Rules, out: &mut Vec<Lint>) {
    use std::collections::HashMap;
    let mut catch_alls: HashMap<ClassKind, usize> = HashMap::new();
    let mut whens: HashMap<(ClassKind, String), usize> = HashMap::new();
    for (i, class) in rules.classes.iter().enumerate() {
        let text = class.when.as_ref().map(|w| text_of(rules, w));
        let all = catch_alls.get(&class.kind).copied();
        let same = text
            .as_ref()
            .and_then(|t| whens.get(&(class.kind, t.clone())).copied());
        let earlier = match (all, same) {
            (Some(a), Some(s)) if s < a => Some((s, false)),
            (Some(a), _) => Some((a, true)),
            (None, Some(s)) => Some((s, false)),
            (None, None) => None,
        };
        if let Some((j, all)) = earlier {
            out.push(shadowed(rules, class, &rules.classes[j], all));
        }
        if catch_all(class) {
            catch_alls.entry(class.kind).or_insert(i);
        }
        if let Some(t) = text {
            whens.entry((class.kind, t)).or_insert(i);
        }
    }
}

/// `class` can never match because `by`, tried before it, takes every indicator of its
/// kind (`all`) or the same ones. Labelled in one file: both classes when they share it;
/// else the one in the later file of an `extends` chain (the file being written), citing
/// the other.
fn shadowed(rules: &Rules, class: &ClassRule, by: &ClassRule, all: bool) -> Lint {
    let code = Code::LintShadowedClass;
    let (source, _) = rules.locate(class.head);
    let (by_source, by_local) = rules.locate(by.head);
    let why = if all {
        format!(
            "「{}」没有 when 条件，所有{}都先由它计分",
            by.name,
            kind_text(by.kind)
        )
    } else {
        format!("「{}」的条件与它相同，且排在前面", by.name)
    };
    if by_source.name() == source.name() {
        let help = if all {
            format!(
                "类别按文件顺序尝试，第一个符合的类别计分：把「{}」移到「{}」之前，或给「{}」加上 when 条件",
                class.name, by.name, by.name
            )
        } else {
            format!(
                "两个类别的 when 条件相同，后一个永远轮不到：修改「{}」的条件，或把两个类别合并",
                class.name
            )
        };
        return at_rule(
            rules,
            code,
            Severity::Warning,
            class.head,
            "永远不会被选中",
            format!("类别「{}」永远不会被选中", class.name),
        )
        .label(by_local, why)
        .with_help(help);
    }
    if by.head.start > class.head.start {
        // A new class of the extending file: it is tried before the base's classes.
        return at_rule(
            rules,
            code,
            Severity::Warning,
            by.head,
            why,
            format!(
                "类别「{}」使基础规则的类别「{}」（{}）永远不会被选中",
                by.name,
                class.name,
                rules.cite(class.head)
            ),
        )
        .with_help(format!(
            "新加的类别排在基础规则的类别之前：给「{}」加上 when 条件，只让它适用于需要特别计分的指标；若要改变「{}」的计分，用同名类别覆盖它（`class {}:` 加上要改的部分）",
            by.name, class.name, class.name
        ));
    }
    at_rule(
        rules,
        code,
        Severity::Warning,
        class.head,
        "永远不会被选中",
        format!(
            "类别「{}」永远不会被选中：基础规则的类别「{}」（{}）排在它前面，{}",
            class.name,
            by.name,
            rules.cite(by.head),
            if all {
                "且适用于所有同类指标"
            } else {
                "且条件与它相同"
            }
        ),
    )
    .with_help(format!(
        "修改「{}」的条件，使它不被「{}」涵盖",
        class.name, by.name
    ))
}

fn is_zero(e: &CExpr) -> bool {
    matches!(e.kind, CKind::Num(n) if n.is_zero())
}

/// The expressions X such that `X == 0` implies `cond`: a failed guard `cond` leaves
/// them non-zero.
fn zero_tested(rules: &Rules, cond: &CExpr, out: &mut Vec<String>) {
    match &cond.kind {
        CKind::Binary(BinOp::Or, a, b) => {
            zero_tested(rules, a, out);
            zero_tested(rules, b, out);
        }
        CKind::Binary(BinOp::Eq, a, b) if is_zero(b) => out.push(text_of(rules, a)),
        CKind::Binary(BinOp::Eq | BinOp::Ge, a, b) if is_zero(a) => out.push(text_of(rules, b)),
        CKind::Binary(BinOp::Le, a, b) if is_zero(b) => out.push(text_of(rules, a)),
        CKind::Unary(UnOp::Not, x) => nonzero_tested(rules, x, out),
        _ => {}
    }
}

/// The expressions X such that `cond` implies `X != 0`.
fn nonzero_tested(rules: &Rules, cond: &CExpr, out: &mut Vec<String>) {
    match &cond.kind {
        CKind::Binary(BinOp::And, a, b) => {
            nonzero_tested(rules, a, out);
            nonzero_tested(rules, b, out);
        }
        CKind::Binary(BinOp::Ne | BinOp::Gt, a, b) if is_zero(b) => out.push(text_of(rules, a)),
        CKind::Binary(BinOp::Ne | BinOp::Lt, a, b) if is_zero(a) => out.push(text_of(rules, b)),
        CKind::Unary(UnOp::Not, x) => zero_tested(rules, x, out),
        _ => {}
    }
}

fn is_guarded(rules: &Rules, divisor: &CExpr, guarded: &[String]) -> bool {
    if guarded.contains(&text_of(rules, divisor)) {
        return true;
    }
    let each = |xs: &[&CExpr]| -> (bool, bool) {
        let g: Vec<bool> = xs.iter().map(|x| is_guarded(rules, x, guarded)).collect();
        (g.iter().any(|b| *b), !g.is_empty() && g.iter().all(|b| *b))
    };
    match &divisor.kind {
        CKind::Call(Func::Max, xs) => each(&xs.iter().collect::<Vec<_>>()).0,
        CKind::Call(Func::Min | Func::Abs, xs) => each(&xs.iter().collect::<Vec<_>>()).1,
        CKind::Binary(BinOp::Mul, a, b) => each(&[a, b]).1,
        CKind::Unary(UnOp::Neg, x) => is_guarded(rules, x, guarded),
        _ => false,
    }
}

/// Divisions in `e` whose divisor reads A or B and is not guarded.
fn divisions<'r>(rules: &Rules, e: &'r CExpr, guarded: &[String], out: &mut Vec<&'r CExpr>) {
    let with = |extra: fn(&Rules, &CExpr, &mut Vec<String>), cond: &CExpr| {
        let mut g = guarded.to_vec();
        extra(rules, cond, &mut g);
        g
    };
    match &e.kind {
        CKind::Binary(BinOp::Div, l, r) => {
            divisions(rules, l, guarded, out);
            divisions(rules, r, guarded, out);
            if (r.uses(Var::A) || r.uses(Var::B)) && !is_guarded(rules, r, guarded) {
                out.push(r);
            }
        }
        CKind::If(c, t, f) => {
            divisions(rules, c, guarded, out);
            divisions(rules, t, &with(nonzero_tested, c), out);
            divisions(rules, f, &with(zero_tested, c), out);
        }
        CKind::Binary(BinOp::And, a, b) => {
            divisions(rules, a, guarded, out);
            divisions(rules, b, &with(nonzero_tested, a), out);
        }
        CKind::Binary(BinOp::Or, a, b) => {
            divisions(rules, a, guarded, out);
            divisions(rules, b, &with(zero_tested, a), out);
        }
        _ => {
            for c in children(e) {
                divisions(rules, c, guarded, out);
            }
        }
    }
}

/// The unguarded divisors of a formula: guards are tried in order, then the score, then
/// the cap.
fn formula_divisors<'r>(rules: &Rules, f: &'r Formula) -> Vec<&'r CExpr> {
    let mut guarded = Vec::new();
    let mut out = Vec::new();
    for g in &f.guards {
        divisions(rules, &g.cond, &guarded, &mut out);
        if let GuardOutcome::Value(v) = &g.result {
            let mut when_true = guarded.clone();
            nonzero_tested(rules, &g.cond, &mut when_true);
            divisions(rules, v, &when_true, &mut out);
        }
        zero_tested(rules, &g.cond, &mut guarded);
    }
    divisions(rules, &f.score, &guarded, &mut out);
    if let Some(c) = &f.cap {
        divisions(rules, c, &guarded, &mut out);
    }
    out
}

fn unguarded_divisions(rules: &Rules, out: &mut Vec<Lint>) {
    let mut formulas = vec![("预算执行规则".to_owned(), &rules.budget.formula)];
    for c in &rules.classes {
        formulas.push((format!("类别「{}」", c.name), &c.formula));
    }
    for (place, formula) in formulas {
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for divisor in formula_divisors(rules, formula) {
            let text = text_of(rules, divisor);
            if seen.contains(&text) {
                continue;
            }
            let shown = rules.slice(divisor.span).trim().to_owned();
            out.push(
                at_rule(
                    rules,
                    Code::LintUnguardedDivision,
                    Severity::Warning,
                    divisor.span,
                    "除数可能为 0",
                    format!("{place}的公式除以「{shown}」，但没有处理它为 0 的情况"),
                )
                .with_help(format!(
                    "在公式前加一条判断，例如 `if {shown} == 0: weight` 或 `if {shown} == 0: error \"{shown} 为 0，无法计分\"`；cap 不能防止除以 0"
                )),
            );
            seen.insert(text);
        }
    }
}

/// The first line of the rule file that is neither blank nor a comment: its header.
fn header(rules: &Rules) -> Span {
    let text = rules.source().text();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            let lead = line.len() - line.trim_start().len();
            return Span::new(start + lead, start + lead + trimmed.len());
        }
        start += line.len();
    }
    Span::new(0, 0)
}

/// `round` lines above a rounded level that keep at least its places.
fn rounding(rules: &Rules, out: &mut Vec<Lint>) {
    let r = rules.rounding;
    let lower = [r.indicator, r.goal];
    for (upper, below) in [(r.goal, &lower[..1]), (r.total, &lower[..])] {
        let Some(upper) = upper else { continue };
        let Some(below) = below.iter().rev().flatten().next() else {
            continue;
        };
        if upper.places < below.places {
            continue;
        }
        let (what, under) = match upper.level {
            RoundLevel::Goal => ("目标得分", "指标得分"),
            _ if below.level == RoundLevel::Goal => ("总分", "目标得分"),
            _ => ("总分", "指标得分"),
        };
        out.push(
            at_rule(
                rules,
                Code::LintRoundingNoEffect,
                Severity::Warning,
                upper.span,
                format!(
                    "保留 {} 位，不少于{under}的 {} 位",
                    upper.places, below.places
                ),
                format!(
                    "{what}的舍入规则不起作用：{what}是已保留 {} 位小数的{under}之和",
                    below.places
                ),
            )
            .with_help(format!(
                "{what}若要少保留几位，写例如 `round {} half_up at {}`；否则删去这一行",
                below.places.saturating_sub(1),
                if upper.level == RoundLevel::Goal {
                    "goal"
                } else {
                    "total"
                }
            )),
        );
    }
}

fn coverage(rules: &Rules, out: &mut Vec<Lint>) {
    let local = header(rules);
    let base = rules.sources.last().map_or(0, |(b, _)| *b);
    let global = Span::new(local.start + base, local.end + base);
    if rules.grades.is_empty() {
        out.push(
            at_rule(
                rules,
                Code::LintNoGrades,
                Severity::Warning,
                global,
                "这套规则没有 grade 项",
                "规则没有等级划分（grade），计分结果不会给出等级",
            )
            .with_help("加一行等级划分，例如 `grade 优 >= 90, 良 >= 80, 中 >= 60, 差`"),
        );
    }
    for (kind, what, example) in [
        (
            ClassKind::Numbers,
            "定量指标类别（for numbers）：填写数值的指标",
            "class positive \"正向指标\" for numbers:` 及其 `score weight * B / A",
        ),
        (
            ClassKind::Text,
            "定性指标类别（for text）：填写文字的指标",
            "class qualitative \"定性指标\" for text:` 及其 band 与 `score weight * rate",
        ),
    ] {
        if rules.classes.iter().any(|c| c.kind == kind) {
            continue;
        }
        out.push(
            at_rule(
                rules,
                Code::LintNoClassFor,
                Severity::Warning,
                global,
                "这套规则缺少一类指标的类别",
                format!("规则没有{what}无法计分"),
            )
            .with_help(format!("加一个不带 when 的类别兜底，例如 `{example}`")),
        );
    }
}

/// The ends of the rate scale (0% and 100%) a class's bands leave uncovered.
fn band_coverage(rules: &Rules, out: &mut Vec<Lint>) {
    use rust_decimal::Decimal;
    let code = Code::LintBandCoverage;
    for class in &rules.classes {
        let lowest = class
            .bands
            .iter()
            .min_by(|a, b| a.lo.cmp(&b.lo).then(b.lo_inclusive.cmp(&a.lo_inclusive)));
        let highest = class
            .bands
            .iter()
            .max_by(|a, b| a.hi.cmp(&b.hi).then(a.hi_inclusive.cmp(&b.hi_inclusive)));
        if let Some(b) = lowest.filter(|b| !(b.lo.is_zero() && b.lo_inclusive)) {
            let (label, rates) = if b.lo.is_zero() {
                ("不含 0%".to_owned(), "得分率为 0%".to_owned())
            } else {
                let lo = percent_exact(b.lo);
                let below = if b.lo_inclusive {
                    "低于"
                } else {
                    "不高于"
                };
                (format!("从 {lo} 开始"), format!("得分率{below} {lo}"))
            };
            out.push(
                at_rule(
                    rules,
                    code,
                    Severity::Warning,
                    b.span,
                    format!("最低一档{label}"),
                    format!(
                        "类别「{}」的档位没有覆盖 0%：最低一档{}是 {}",
                        class.name,
                        quoted(&b.name),
                        b.range_text()
                    ),
                )
                .with_help(format!(
                    "{rates} 的指标不属于任何一档，无法计分；让最低一档从 0% 开始并包含它，例如 `[0%, {})`",
                    percent_exact(b.hi)
                )),
            );
        }
        if let Some(b) = highest.filter(|b| !(b.hi == Decimal::ONE && b.hi_inclusive)) {
            let (label, rates) = if b.hi == Decimal::ONE {
                ("不含 100%".to_owned(), "得分率为 100%".to_owned())
            } else {
                let hi = percent_exact(b.hi);
                let above = if b.hi_inclusive {
                    "高于"
                } else {
                    "不低于"
                };
                (format!("只到 {hi}"), format!("得分率{above} {hi}"))
            };
            out.push(
                at_rule(
                    rules,
                    code,
                    Severity::Warning,
                    b.span,
                    format!("最高一档{label}"),
                    format!(
                        "类别「{}」的档位没有覆盖 100%：最高一档{}是 {}",
                        class.name,
                        quoted(&b.name),
                        b.range_text()
                    ),
                )
                .with_help(format!(
                    "{rates} 的指标不属于任何一档，无法计分；让最高一档到 100% 为止并包含它，例如 `[{}, 100%]`",
                    percent_exact(b.lo)
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{lint_rules, normalized, outer_parens};
    use crate::source::Source;

    /// The unguarded divisors reported for a budget formula written as `budget`.
    fn unguarded(budget: &str) -> Vec<String> {
        let text = format!(
            "rules \"t\"\nbudget:\n    weight 20\n{budget}\n\
             class p for numbers:\n    score weight\nclass q for text:\n    score weight\n\
             grade 优 >= 90, 差\n"
        );
        let rules = match crate::compile(&Source::new("t.rules", text)) {
            Ok(r) => r,
            Err(e) => panic!("{e:?}"),
        };
        lint_rules(&rules)
            .iter()
            .filter(|l| l.code() == "jixiao::lint::unguarded_division")
            .map(|l| l.message().to_owned())
            .collect()
    }

    #[test]
    fn a_parameter_read_anywhere_is_used() {
        // Each parameter is read in one place only: another parameter, a band default, a
        // band's `when`, an optional rule, a grade threshold, `scale goals`.
        let text = "rules \"t\"\n\
            param base = 10\nparam derived = base * 2\nparam full = 100%\nparam level = 0\n\
            param cut = 90\nparam total = 80\nparam gate = 0\n\
            budget:\n    weight derived\n    score weight\n\
            class p for numbers:\n    score weight\n\
            class q for text:\n    band 达成 [0%, 100%] default full when weight > level\n    score weight * rate\n\
            optional when weight > gate: drop\n\
            grade 优 >= cut, 差\nscale goals to total\n";
        let rules = match crate::compile(&Source::new("t.rules", text)) {
            Ok(r) => r,
            Err(e) => panic!("{e:?}"),
        };
        let unused: Vec<String> = lint_rules(&rules)
            .iter()
            .filter(|l| l.code() == "jixiao::lint::unused_param")
            .map(|l| l.message().to_owned())
            .collect();
        assert_eq!(unused, Vec::<String>::new());
    }

    #[test]
    fn guards_that_test_the_divisor_against_zero() {
        for guarded in [
            "    score weight * B / A\n    if A == 0: 0",
            "    score weight * B / A\n    if 0 == A: 0",
            "    score weight * B / A\n    if A <= 0: 0",
            "    score weight * B / A\n    if B > A: weight\n    if B == 0 or A == 0: 0",
            "    score weight * B / (A)\n    if A == 0: 0",
            "    score weight * B /  A\n    if ( A )==0: error \"预算数为 0\"",
            "    score if A == 0 then weight else weight * B / A",
            "    score if A != 0 then weight * B / A else 0",
            "    score weight * min(A, B) / max(A, B)\n    if A == 0: 0",
            "    score weight * B / (A * B)\n    if A == 0 or B == 0: 0",
        ] {
            assert_eq!(unguarded(guarded), Vec::<String>::new(), "{guarded}");
        }
    }

    #[test]
    fn guards_that_leave_the_divisor_unchecked() {
        let a = "预算执行规则的公式除以「A」，但没有处理它为 0 的情况";
        for unguarded_text in [
            "    score weight * B / A\n    cap weight",
            "    score weight * B / A\n    if B == 0: 0",
            "    score weight * B / A\n    if A == 0 and B == 0: 0",
            "    score weight * B / A\n    if A > 0: 0\n    cap weight",
        ] {
            assert_eq!(unguarded(unguarded_text), [a], "{unguarded_text}");
        }
        // min(A, B) is 0 when either is: guarding A alone is not enough.
        assert_eq!(
            unguarded("    score weight * B / min(A, B)\n    if A == 0: 0"),
            ["预算执行规则的公式除以「min(A, B)」，但没有处理它为 0 的情况"]
        );
    }

    /// The band-coverage warnings for a text class with these bands.
    fn coverage_of(bands: &str) -> Vec<String> {
        let text = format!(
            "rules \"t\"\nbudget:\n    weight 20\n    score weight\n\
             class q for text:\n{bands}    score weight * rate\n\
             class p for numbers:\n    score weight\ngrade 优 >= 90, 差\n"
        );
        let rules = match crate::compile(&Source::new("t.rules", text)) {
            Ok(r) => r,
            Err(e) => panic!("{e:?}"),
        };
        lint_rules(&rules)
            .iter()
            .map(|l| {
                assert_eq!(l.code(), "jixiao::lint::band_coverage");
                format!("{} | {}", l.message(), l.help().unwrap_or(""))
            })
            .collect()
    }

    #[test]
    fn bands_that_leave_an_end_of_the_rate_scale_uncovered() {
        assert_eq!(
            coverage_of("    band 达成 [80%, 100%]\n    band 未达成 [10%, 80%)\n"),
            [
                "类别「q」的档位没有覆盖 0%：最低一档「未达成」是 [10%, 80%) | 得分率低于 10% 的指标不属于任何一档，无法计分；让最低一档从 0% 开始并包含它，例如 `[0%, 80%)`"
            ]
        );
        assert_eq!(
            coverage_of("    band 达成 [80%, 100%)\n    band 未达成 [0%, 80%)\n"),
            [
                "类别「q」的档位没有覆盖 100%：最高一档「达成」是 [80%, 100%) | 得分率为 100% 的指标不属于任何一档，无法计分；让最高一档到 100% 为止并包含它，例如 `[80%, 100%]`"
            ]
        );
        assert_eq!(
            coverage_of("    band 未达成 (0%, 50%)\n    band 达成 [50%, 90%]\n"),
            [
                "类别「q」的档位没有覆盖 0%：最低一档「未达成」是 (0%, 50%) | 得分率为 0% 的指标不属于任何一档，无法计分；让最低一档从 0% 开始并包含它，例如 `[0%, 50%)`",
                "类别「q」的档位没有覆盖 100%：最高一档「达成」是 [50%, 90%] | 得分率高于 90% 的指标不属于任何一档，无法计分；让最高一档到 100% 为止并包含它，例如 `[50%, 100%]`"
            ]
        );
        // Covered at both ends, and a class without bands: nothing.
        assert_eq!(
            coverage_of("    band 达成 [80%, 100%]\n    band 未达成 [0%, 80%)\n"),
            Vec::<String>::new()
        );
        assert_eq!(coverage_of(""), Vec::<String>::new());
    }

    #[test]
    fn normalising_keeps_words_apart_and_drops_outer_parentheses() {
        assert_eq!(normalized("  A  ==0 "), "A==0");
        assert_eq!(normalized("( max( A , B ) )"), "max(A,B)");
        assert_eq!(
            normalized("op in [\"<=\"]  or  direction"),
            "op in[\"<=\"]or direction"
        );
        assert_eq!(outer_parens("(a) + (b)"), None);
    }
}
