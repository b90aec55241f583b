//! Check: AST → compiled [`Rules`].
//!
//! Input: a parsed [`crate::syntax::ast::File`], its [`Source`], a [`Resolve`]r for the rule sets it
//! `extends`, and `--set` [`Setting`]s. Output: [`Rules`], immutable and ready to evaluate
//! any number of forms, or [`CheckErrors`] holding every problem of a file (not just the
//! first). Invariants of a `Rules`: every name is resolved, every expression has the type
//! its place needs, constants (parameters, band ranges and defaults, grade thresholds)
//! are computed, bands of a class neither overlap nor leave a gap, grades descend, a
//! budget rule and a score for every class exist.
//!
//! A rule set may span several files (a base and the files that extend it). Compiled
//! spans then live in one global space: file k's bytes are offset by the lengths of the
//! files before it, and `Rules::locate` maps a span back to its file.

mod error;
pub(crate) mod expr;
mod items;
mod types;

use rust_decimal::Decimal;
use std::fmt;
use std::sync::Arc;

pub use error::{CheckError, CheckErrors, RulesError, SetError};
pub(crate) use expr::{CExpr, Calc, Cond, ExprFault, Val, Var};

use crate::limits::Limits;
use crate::num::{self, ArithError, Exact};
use crate::source::{Source, Span};
use crate::syntax::ast::{AggMethod, AggTarget, ClassKind, OptionalAction, RoundLevel, RoundMode};
use items::Draft;
pub use items::TestCase;

/// A compiled rule set.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Every file of the rule set with its offset in the global span space, base first.
    pub(crate) sources: Vec<(usize, Source)>,
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) params: Vec<ParamDef>,
    /// The parameters' values, indexed like `params` (what `CKind::Param` reads).
    pub(crate) param_values: Vec<Decimal>,
    pub(crate) rounding: Option<RoundingRule>,
    pub(crate) budget: BudgetRule,
    pub(crate) aggregates: Vec<AggregateRule>,
    pub(crate) classes: Vec<ClassRule>,
    pub(crate) optionals: Vec<OptionalRule>,
    pub(crate) grades: Vec<GradeRule>,
    /// `scale goals to EXPR`.
    pub(crate) scale: Option<CExpr>,
    /// The `test` blocks of every file of the chain, base first.
    pub(crate) tests: Vec<TestCase>,
}

impl Rules {
    /// The rule set's short name (`hubei-2021`).
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The rule set's title, if it has one.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The declared parameters with their values, in definition order.
    pub fn params(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.params
            .iter()
            .map(|p| p.name.as_str())
            .zip(self.param_values.iter().copied())
    }

    /// Everything the rules mean, as text without spans, file names, comments, keyword
    /// language or class names (classes appear by title): two files that mean the same
    /// print the same. Used to test that formatting and keyword translation preserve
    /// meaning.
    #[must_use]
    pub fn canonical(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let f = |o: Option<&CExpr>| o.map_or("-".to_owned(), CExpr::canonical);
        let _ = writeln!(out, "rules {:?} {:?}", self.id, self.title);
        for (p, v) in self.params.iter().zip(&self.param_values) {
            let _ = writeln!(out, "param {} = {} = {v}", p.name, p.expr.canonical());
        }
        if let Some(r) = &self.rounding {
            let _ = writeln!(out, "round {} {:?} {:?}", r.places, r.mode, r.level);
        }
        let formula = |out: &mut String, fm: &Formula| {
            for g in &fm.guards {
                let result = match &g.result {
                    GuardOutcome::Value(v) => v.canonical(),
                    GuardOutcome::Fail(m) => format!("error {m:?}"),
                };
                let _ = writeln!(out, "  if {}: {result}", g.cond.canonical());
            }
            let _ = writeln!(
                out,
                "  score {}\n  cap {}",
                fm.score.canonical(),
                f(fm.cap.as_deref())
            );
        };
        let _ = writeln!(out, "budget weight {}", self.budget.weight.canonical());
        formula(&mut out, &self.budget.formula);
        for a in &self.aggregates {
            let _ = writeln!(out, "aggregate {:?} {:?}", a.target, a.method);
        }
        for c in &self.classes {
            let _ = writeln!(
                out,
                "class {:?} {:?} when {}",
                c.title,
                c.kind,
                f(c.when.as_deref())
            );
            formula(&mut out, &c.formula);
            for b in &c.bands {
                let _ = writeln!(
                    out,
                    "  band {} {} default {:?} when {}",
                    b.name,
                    b.range_text(),
                    b.default,
                    f(b.when.as_deref())
                );
            }
        }
        for o in &self.optionals {
            let _ = writeln!(out, "optional when {}: {:?}", o.when.canonical(), o.action);
        }
        for g in &self.grades {
            let _ = writeln!(out, "grade {} {:?}", g.name, g.min);
        }
        let _ = writeln!(out, "scale {}", f(self.scale.as_ref()));
        for t in &self.tests {
            let _ = writeln!(
                out,
                "test {:?}: {} clauses",
                t.block.name.value,
                t.block.clauses.len()
            );
        }
        out
    }

    /// The `test` blocks of the rule set, those of its bases first.
    #[must_use]
    pub fn tests(&self) -> &[TestCase] {
        &self.tests
    }

    /// The rule file (the last of the chain when it extends others).
    #[must_use]
    pub fn source(&self) -> &Source {
        match self.sources.last() {
            Some((_, s)) => s,
            None => unreachable!("a compiled rule set has at least one file"),
        }
    }

    /// The file a compiled span lies in, and the span within that file.
    pub(crate) fn locate(&self, span: Span) -> (&Source, Span) {
        let i = self
            .sources
            .partition_point(|(base, _)| *base <= span.start)
            .saturating_sub(1);
        let (base, source) = &self.sources[i.min(self.sources.len() - 1)];
        (
            source,
            Span::new(span.start - base, span.end.saturating_sub(*base)),
        )
    }

    /// `file:line` of a compiled span.
    pub(crate) fn cite(&self, span: Span) -> String {
        let (source, local) = self.locate(span);
        source.cite(local)
    }

    /// The rule text under a compiled span.
    pub(crate) fn slice(&self, span: Span) -> &str {
        let (source, local) = self.locate(span);
        source.slice(local)
    }

    /// The grade for a total, by the `grade` bands; `None` when the rules set none.
    #[must_use]
    pub fn grade(&self, total: Decimal) -> Option<&str> {
        self.grade_of(&Exact::from(total))
    }

    /// The grade of an exact total (one not rounded, under rules that do not round it).
    pub(crate) fn grade_of(&self, total: &Exact) -> Option<&str> {
        self.grades
            .iter()
            .find(|g| match g.min {
                None => true,
                Some((t, true)) => *total >= Exact::from(t),
                Some((t, false)) => *total > Exact::from(t),
            })
            .map(|g| g.name.as_str())
    }

    /// Each text class's bands as `name: band [lo, hi], ...`, for tests.
    #[doc(hidden)]
    #[must_use]
    pub fn classes_for_test(&self) -> Vec<String> {
        self.classes
            .iter()
            .filter(|c| !c.bands.is_empty())
            .map(|c| {
                let bands: Vec<String> = c
                    .bands
                    .iter()
                    .map(|b| format!("{} {}", b.name, b.range_text()))
                    .collect();
                format!("{}: {}", c.name, bands.join(", "))
            })
            .collect()
    }

    pub(crate) fn aggregate(&self, target: AggTarget) -> Option<&AggregateRule> {
        self.aggregates.iter().find(|a| a.target == target)
    }

    /// The same rules with some parameters set to other values (`--set`); everything
    /// computed from them is computed again.
    ///
    /// # Errors
    /// A [`SetError`] for a parameter the rules lack; [`CheckErrors`] when the new values
    /// make a band or grade invalid.
    pub fn with_settings(&self, settings: &[Setting]) -> Result<Rules, RulesError> {
        for s in settings {
            if !self.params.iter().any(|p| p.name == s.name) {
                let names: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                let mut help = match nearest(&s.name, names.iter().copied()) {
                    None => "这套规则没有声明任何参数".to_owned(),
                    Some(list) => format!("可设置的参数：{list}"),
                };
                if let Some(near) = did_you_mean(&s.name, names.iter().copied()) {
                    help = format!("是否想写「{near}」？{help}");
                }
                return Err(SetError::UnknownParam {
                    rules: self.id.clone(),
                    name: s.name.clone(),
                    help,
                }
                .into());
            }
        }
        let mut rules = self.clone();
        finalize(&mut rules, settings)?;
        Ok(rules)
    }
}

/// A parameter set from outside the rule file: `--set budget_weight=10`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The parameter.
    pub name: String,
    /// Its value (`80%` is 0.8).
    pub value: Decimal,
}

impl std::str::FromStr for Setting {
    type Err = SetError;

    /// Reads `NAME=VALUE`, the value a number, perhaps with `%`.
    fn from_str(text: &str) -> Result<Self, SetError> {
        let malformed = || SetError::Malformed {
            text: text.to_owned(),
        };
        let (name, value) = text.split_once('=').ok_or_else(malformed)?;
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return Err(malformed());
        }
        let (digits, percent) = match value.strip_suffix('%') {
            Some(d) => (d.trim(), true),
            None => (value, false),
        };
        if digits.is_empty()
            || !digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(malformed());
        }
        let mut value = Decimal::from_str_exact(digits).map_err(|_| malformed())?;
        if percent {
            value = num::div(value, Decimal::ONE_HUNDRED).map_err(|_| malformed())?;
        }
        Ok(Setting {
            name: name.to_owned(),
            value,
        })
    }
}

/// Finds the rule sets that files `extends`: the CLI looks in bundled sets and on disk,
/// tests in memory. The library itself reads no files.
pub trait Resolve {
    /// The source that `name` (as written after `extends`) denotes, seen from `from`; or
    /// why there is none.
    ///
    /// # Errors
    /// [`Unresolved`]: no such rule set, or a path that leads where it may not.
    fn resolve(&self, name: &str, from: &Source) -> Result<Source, Unresolved>;
}

/// Why a name after `extends` (or after a test's `form`) gives no source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// Neither a bundled rule set nor a file that could be read: why, in words.
    Missing(String),
    /// A path that leads outside the folder of the file naming it (an absolute path, a
    /// `..` that climbs out, a symbolic link pointing out): refused before anything there
    /// is read, so that no diagnostic shows what it holds. Why, in words.
    Outside(String),
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unresolved::Missing(why) | Unresolved::Outside(why) => f.write_str(why),
        }
    }
}

impl From<String> for Unresolved {
    fn from(why: String) -> Self {
        Unresolved::Missing(why)
    }
}

/// Resolves bundled rule set names only.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bundled;

impl Resolve for Bundled {
    fn resolve(&self, name: &str, _from: &Source) -> Result<Source, Unresolved> {
        crate::bundled(name).ok_or_else(|| Unresolved::Missing("没有这个内置规则".to_owned()))
    }
}

/// How many files one rule set may chain through `extends`.
pub const MAX_EXTENDS: usize = 16;

#[derive(Debug, Clone)]
pub(crate) struct ParamDef {
    pub(crate) name: String,
    pub(crate) span: Span,
    pub(crate) expr: CExpr,
}
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoundingRule {
    pub(crate) places: u32,
    pub(crate) mode: RoundMode,
    pub(crate) level: RoundLevel,
    pub(crate) span: Span,
}

/// A score formula: guards first, then the formula, then the cap.
#[derive(Debug, Clone)]
pub(crate) struct Formula {
    pub(crate) guards: Vec<GuardRule>,
    pub(crate) score: Calc,
    pub(crate) cap: Option<Calc>,
}

#[derive(Debug, Clone)]
pub(crate) struct GuardRule {
    pub(crate) cond: Cond,
    pub(crate) result: GuardOutcome,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) enum GuardOutcome {
    Value(Calc),
    Fail(String),
}

#[derive(Debug, Clone)]
pub(crate) struct BudgetRule {
    pub(crate) weight: CExpr,
    pub(crate) formula: Formula,
}

#[derive(Debug, Clone)]
pub(crate) struct AggregateRule {
    pub(crate) target: AggTarget,
    pub(crate) method: AggMethod,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct ClassRule {
    pub(crate) name: Arc<str>,
    pub(crate) title: Option<Arc<str>>,
    pub(crate) kind: ClassKind,
    pub(crate) when: Option<Cond>,
    pub(crate) formula: Formula,
    pub(crate) bands: Vec<BandRule>,
    /// Whether the formula reads `rate`, so a rate must be established first.
    pub(crate) uses_rate: bool,
    pub(crate) head: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct BandRule {
    pub(crate) name: String,
    pub(crate) lo_expr: CExpr,
    pub(crate) hi_expr: CExpr,
    pub(crate) default_expr: Option<CExpr>,
    pub(crate) lo: Decimal,
    pub(crate) lo_inclusive: bool,
    pub(crate) hi: Decimal,
    pub(crate) hi_inclusive: bool,
    pub(crate) default: Option<Decimal>,
    pub(crate) when: Option<Cond>,
    pub(crate) span: Span,
}

impl BandRule {
    pub(crate) fn contains(&self, rate: Decimal) -> bool {
        let above = if self.lo_inclusive {
            rate >= self.lo
        } else {
            rate > self.lo
        };
        let below = if self.hi_inclusive {
            rate <= self.hi
        } else {
            rate < self.hi
        };
        above && below
    }

    /// `[80%, 100%]` as written.
    pub(crate) fn range_text(&self) -> String {
        format!(
            "{}{}, {}{}",
            if self.lo_inclusive { "[" } else { "(" },
            percent(self.lo),
            percent(self.hi),
            if self.hi_inclusive { "]" } else { ")" }
        )
    }
}

/// `0.8` → `80%`; a value too large to show in percent (beyond 10^26) as a multiple,
/// `… 倍`.
pub(crate) fn percent(x: Decimal) -> String {
    match num::mul(x, Decimal::ONE_HUNDRED) {
        Ok(p) => format!("{}%", num::show(p)),
        Err(_) => format!("{} 倍", num::show(x)),
    }
}

#[derive(Debug, Clone)]
pub(crate) struct OptionalRule {
    pub(crate) when: Cond,
    pub(crate) action: OptionalAction,
    pub(crate) span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct GradeRule {
    pub(crate) name: String,
    /// The threshold's expression and whether it is inclusive (`>=`).
    pub(crate) threshold: Option<(CExpr, bool)>,
    /// Computed: the threshold and whether it is inclusive.
    pub(crate) min: Option<(Decimal, bool)>,
    pub(crate) span: Span,
}

/// Parses and checks a rule file; `extends` may name bundled rule sets only.
///
/// # Errors
/// A [`RulesError`]: the first syntax error, or every meaning error of a file.
pub fn compile(source: &Source) -> Result<Rules, RulesError> {
    compile_with(source, &Bundled, &[])
}

/// Parses and checks a rule file, finding the bases it `extends` with `resolver`, and
/// applies `settings`.
///
/// # Errors
/// A [`RulesError`]: a syntax error, the meaning errors of one file, a missing base or
/// a cycle of `extends`, or a setting the rules lack.
pub fn compile_with(
    source: &Source,
    resolver: &dyn Resolve,
    settings: &[Setting],
) -> Result<Rules, RulesError> {
    compile_with_limits(source, resolver, settings, &Limits::default())
}

/// As [`compile_with`], refusing any file of the chain larger than
/// [`Limits::rule_bytes`] before parsing it.
///
/// # Errors
/// As [`compile_with`], and [`RulesError::Limit`] for a file over the limit.
pub fn compile_with_limits(
    source: &Source,
    resolver: &dyn Resolve,
    settings: &[Setting],
    limits: &Limits,
) -> Result<Rules, RulesError> {
    let draft = draft(source, resolver, limits, &mut Vec::new())?;
    let Some(budget) = draft.budget else {
        unreachable!("check_file reports a missing budget as an error")
    };
    let mut rules = Rules {
        sources: draft.sources,
        id: draft.id,
        title: draft.title,
        param_values: vec![Decimal::ZERO; draft.params.len()],
        params: draft.params,
        rounding: draft.rounding,
        budget,
        aggregates: draft.aggregates,
        classes: draft.classes,
        optionals: draft.optionals,
        grades: draft.grades,
        scale: draft.scale,
        tests: draft.tests,
    };
    if settings.is_empty() {
        finalize(&mut rules, &[])?;
        Ok(rules)
    } else {
        rules.with_settings(settings)
    }
}

/// Parses and checks one file on top of its base; `chain` holds the files being
/// compiled, outermost first, to catch cycles.
fn draft(
    source: &Source,
    resolver: &dyn Resolve,
    limits: &Limits,
    chain: &mut Vec<String>,
) -> Result<Draft, RulesError> {
    let len = u64::try_from(source.text().len()).unwrap_or(u64::MAX);
    limits.check_rule_bytes(source.name(), len)?;
    let file = crate::syntax::parse(source)?;
    let fail = |e: CheckError| CheckErrors::new(source.name(), vec![e]);
    chain.push(source.name().to_owned());
    let base = match &file.header.extends {
        None => None,
        Some(ext) => {
            let base_source = resolver.resolve(&ext.value, source).map_err(|unresolved| {
                let bundled = crate::bundled_names();
                match unresolved {
                    Unresolved::Outside(reason) => fail(CheckError::ExtendsOutside {
                        src: source.named(),
                        span: ext.span.into(),
                        name: ext.value.clone(),
                        reason,
                        help: format!(
                            "extends 只接受内置规则名（{}），或本文件所在文件夹及其子文件夹中的规则文件（相对路径）；需要的规则文件请复制到本文件旁边",
                            bundled.join("、")
                        ),
                    }),
                    Unresolved::Missing(reason) => {
                        let mut help = format!(
                            "extends 接受内置规则名（{}）或规则文件路径（相对于本文件）",
                            bundled.join("、")
                        );
                        if let Some(near) = did_you_mean(&ext.value, bundled.iter().copied()) {
                            help = format!("是否想写「{near}」？{help}");
                        }
                        fail(CheckError::UnknownBase {
                            src: source.named(),
                            span: ext.span.into(),
                            name: ext.value.clone(),
                            reason,
                            help,
                        })
                    }
                }
            })?;
            if chain.iter().any(|n| n == base_source.name()) || chain.len() >= MAX_EXTENDS {
                let mut names = chain.clone();
                names.push(base_source.name().to_owned());
                return Err(fail(CheckError::ExtendsCycle {
                    src: source.named(),
                    span: ext.span.into(),
                    chain: names.join(" → "),
                })
                .into());
            }
            Some(draft(&base_source, resolver, limits, chain)?)
        }
    };
    chain.pop();
    items::check_file(&file, source, base)
        .map_err(|errors| RulesError::Check(CheckErrors::new(source.name(), errors)))
}

/// Computes every constant of `rules` (parameters first, `settings` taking precedence)
/// and checks what depends on their values: band ranges and layout, grade order.
fn finalize(rules: &mut Rules, settings: &[Setting]) -> Result<(), CheckErrors> {
    let mut errors = Vec::new();
    let mut values: Vec<Decimal> = Vec::with_capacity(rules.params.len());
    for p in &rules.params {
        let v = match settings.iter().rev().find(|s| s.name == p.name) {
            Some(s) => s.value,
            None => constant(rules, &p.expr, &values, &mut errors),
        };
        values.push(v);
    }
    rules.param_values = values;
    negative_weights(rules, settings, &mut errors);
    let mut classes = std::mem::take(&mut rules.classes);
    for class in &mut classes {
        for band in &mut class.bands {
            band.lo = constant(rules, &band.lo_expr, &rules.param_values, &mut errors);
            band.hi = constant(rules, &band.hi_expr, &rules.param_values, &mut errors);
            band.default = band
                .default_expr
                .as_ref()
                .map(|d| constant(rules, d, &rules.param_values, &mut errors));
            check_band(rules, band, &mut errors);
        }
        band_layout(rules, &class.bands, &mut errors);
    }
    rules.classes = classes;
    let mut grades = std::mem::take(&mut rules.grades);
    let mut previous: Option<Decimal> = None;
    for g in &mut grades {
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
    if errors.is_empty() {
        return Ok(());
    }
    Err(CheckErrors::new(rules.source().name(), errors))
}

/// The budget's points and the goals' total (`scale goals to`) must not be negative: a
/// negative weight would score a budget executed in full below zero and push the total
/// past its maximum. When the rule file's own values give no negative weight, `settings`
/// did, and the message says which.
fn negative_weights(rules: &Rules, settings: &[Setting], errors: &mut Vec<CheckError>) {
    let value = |e: &CExpr, params: &[Decimal]| match e.eval(&|_| None, params) {
        Ok(Val::Num(n)) => Some(n),
        _ => None,
    };
    // The file's own values, computed only when settings changed some.
    let mut own: Option<Vec<Decimal>> = None;
    let weights = [
        (Some(&rules.budget.weight), "预算执行分值"),
        (rules.scale.as_ref(), "目标分值合计"),
    ];
    for (expr, what) in weights {
        let Some(expr) = expr else { continue };
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
                let mut values = Vec::with_capacity(rules.params.len());
                for p in &rules.params {
                    let v = constant(rules, &p.expr, &values, &mut ignored);
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
                    .map(|s| format!("--set {}={}", s.name, num::show(s.value)))
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
        if let expr::CKind::Param(i) = e.kind {
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

/// The direct sub-expressions of `e`.
pub(crate) fn subexpressions(e: &CExpr) -> Vec<&CExpr> {
    use expr::CKind;
    match &e.kind {
        CKind::Num(_) | CKind::Bool(_) | CKind::Text(_) | CKind::Var(_) | CKind::Param(_) => {
            Vec::new()
        }
        CKind::Unary(_, x) => vec![x],
        CKind::Binary(_, a, b) => vec![a, b],
        CKind::If(a, b, c) => vec![a, b, c],
        CKind::Call(_, xs) | CKind::List(xs) => xs.iter().collect(),
        CKind::Step(x, arms, e) => {
            let mut out = vec![x.as_ref()];
            for (_, t, v) in arms {
                out.push(t);
                out.push(v);
            }
            out.push(e);
            out
        }
    }
}

fn constant(rules: &Rules, e: &CExpr, params: &[Decimal], errors: &mut Vec<CheckError>) -> Decimal {
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
            ExprFault::Unbound(..) => Decimal::ZERO,
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
            percent(d),
            band.range_text()
        )));
    }
}

/// Bands, in rate order, must meet exactly: no overlap, no gap.
fn band_layout(rules: &Rules, bands: &[BandRule], errors: &mut Vec<CheckError>) {
    let mut sorted: Vec<&BandRule> = bands.iter().collect();
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
                format!("{} 恰好不属于任何一档", percent(a.hi))
            } else {
                format!(
                    "{} 到 {} 之间的得分率不属于任何一档",
                    percent(a.hi),
                    percent(b.lo)
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

/// How many names a help line lists, at most.
pub(crate) const CANDIDATES: usize = 5;

/// The [`CANDIDATES`] candidates nearest to `name` by edit distance, nearest first (in
/// candidate order among equals), as `a、b、c`, followed by `等 N 个` when there are more;
/// `None` when there are none.
pub(crate) fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Vec<(usize, &str)> = Vec::with_capacity(CANDIDATES + 1);
    let mut total = 0usize;
    for c in candidates {
        total += 1;
        let d = strsim::levenshtein(name, c);
        if best.len() == CANDIDATES && best.last().is_some_and(|(worst, _)| d >= *worst) {
            continue;
        }
        let at = best.partition_point(|(e, _)| *e <= d);
        best.insert(at, (d, c));
        best.truncate(CANDIDATES);
    }
    if best.is_empty() {
        return None;
    }
    let list: Vec<&str> = best.iter().map(|(_, c)| *c).collect();
    let mut out = list.join("、");
    if total > list.len() {
        out.push_str(&format!(" 等 {total} 个"));
    }
    Some(out)
}

/// The closest candidate by edit distance, if it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
