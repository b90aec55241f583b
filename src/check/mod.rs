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
//!
//! Here: [`Rules`] and the compile functions, which parse each file of the chain
//! (`resolve.rs` finds the bases), check its items (`items.rs`, expressions in
//! `types.rs`, into the compiled expressions of `ir.rs` and the parts of `parts.rs`),
//! then compute the constants (`constants.rs`, with `settings.rs`'s values). A file with
//! errors still has its constants checked, except what reads an expression in error, so
//! that `check` reports an unknown name and a band overlap elsewhere at once, and each
//! mistake once.

mod adjustments;
mod classes;
mod constants;
mod error;
mod facts;
pub(crate) mod ir;
mod items;
mod params;
mod parts;
mod resolve;
mod settings;
mod types;
pub(crate) use params::{ParamValue, ParamValues};
pub(crate) use types::{MISSING, builtin_meaning};

use std::collections::HashSet;

use rust_decimal::Decimal;

pub use error::{CheckError, CheckErrors, Inherited, RulesError, SetError};
pub use ir::Var;
pub(crate) use ir::{CExpr, Calc, Cond, subexpressions};
pub(crate) use parts::{
    AdjustmentRule, AggregateRule, BandRule, BudgetRule, CapRule, ClassRule, FactDef, Formula,
    GradeRule, GuardOutcome, GuardRule, OptionalRule, ParamDef, RequireRule, RequiredSum, Rounding,
    RoundingRule, interval,
};
pub use resolve::{Bundled, MAX_EXTENDS, Resolve, Unresolved};
pub use settings::Setting;

use crate::limits::Limits;
use crate::num::Exact;
use crate::source::{Source, Span};
use crate::syntax::ast::AggTarget;
use constants::finalize;
use items::Draft;
pub use items::TestCase;

/// A compiled rule set.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Every file of the rule set with its offset in the global span space, base first.
    pub(crate) sources: Vec<(usize, Source)>,
    pub(crate) id: String,
    /// The `rules "ID"` of the files it extends, directly or not, nearest last.
    pub(crate) bases: Vec<String>,
    pub(crate) title: Option<String>,
    pub(crate) params: Vec<ParamDef>,
    /// The parameters' values, indexed like `params` (what `CKind::Param` reads).
    pub(crate) param_values: ParamValues,
    pub(crate) rounding: Rounding,
    pub(crate) budget: BudgetRule,
    pub(crate) aggregates: Vec<AggregateRule>,
    pub(crate) classes: Vec<ClassRule>,
    pub(crate) optionals: Vec<OptionalRule>,
    pub(crate) grades: Vec<GradeRule>,
    /// `scale goals to EXPR`.
    pub(crate) scale: Option<CExpr>,
    /// `cap goal at EXPR`.
    pub(crate) goal_cap: Option<CapRule>,
    /// `cap total at EXPR`.
    pub(crate) total_cap: Option<CapRule>,
    /// `bonus …:` and `deduction …:` items, in file order (a base's first).
    pub(crate) adjustments: Vec<AdjustmentRule>,
    /// `require goals: …` and `require level1: …`, at most one of each.
    pub(crate) requires: Vec<RequireRule>,
    /// `source "DOCUMENT" YEAR`: what the rules encode, from when.
    pub(crate) basis: Option<(String, Option<u32>)>,
    /// `fact …` items: the form's facts the rules read (what `CKind::Fact` indexes).
    pub(crate) facts: Vec<FactDef>,
    /// The `test` blocks of every file of the chain, base first.
    pub(crate) tests: Vec<TestCase>,
}

impl Rules {
    /// The decimal places the rules round scores to (`round 2 half_up at indicator`):
    /// the lowest rounded level's; `None` when they do not round.
    #[must_use]
    pub fn places(&self) -> Option<u32> {
        self.rounding.lowest().map(|r| r.places)
    }

    /// The rule set's short name (`hubei-2021`).
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the set is `id` or extends it, directly or through other files: what a
    /// form that names its rules (`[form] rules = "hubei-2021"`) may be scored under.
    #[must_use]
    pub fn is_or_extends(&self, id: &str) -> bool {
        self.id == id || self.bases.iter().any(|i| i == id)
    }

    /// The rule set's title, if it has one.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The declared parameters with their values as shown (`0.5`, `省级`), in
    /// definition order.
    pub fn params(&self) -> impl Iterator<Item = (&str, String)> {
        self.params
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), self.param_values.shown(i)))
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
        for (i, p) in self.params.iter().enumerate() {
            let v = self.param_values.shown(i);
            let _ = writeln!(out, "param {} = {} = {v}", p.name, p.expr.canonical());
        }
        for r in self.rounding.lines() {
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
        let _ = writeln!(
            out,
            "cap goal {} total {}",
            f(self.goal_cap.as_ref().map(|c| &c.value)),
            f(self.total_cap.as_ref().map(|c| &c.value))
        );
        for r in &self.requires {
            match &r.what {
                RequiredSum::Goals(e) => {
                    let _ = writeln!(out, "require goals {}", e.canonical());
                }
                RequiredSum::Level1(parts) => {
                    for (name, e) in parts {
                        let _ = writeln!(out, "require level1 {name} {}", e.canonical());
                    }
                }
            }
        }
        for a in &self.adjustments {
            let _ = writeln!(
                out,
                "{} {} {:?} weight {}",
                a.kind.keyword(),
                a.name,
                a.title,
                f(a.weight.as_ref())
            );
            formula(&mut out, &a.formula);
        }
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

    /// The document the rules encode and the year they apply from (`source "…" 2020`);
    /// an overlay's replaces its base's.
    #[must_use]
    pub fn basis(&self) -> Option<(&str, Option<u32>)> {
        self.basis.as_ref().map(|(d, y)| (d.as_str(), *y))
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
    /// A [`SetError`] for a parameter the rules lack, or a value that is not a number for
    /// a numeric one; [`CheckErrors`] when the new values
    /// make a band or grade invalid.
    pub fn with_settings(&self, settings: &[Setting]) -> Result<Rules, RulesError> {
        for s in settings {
            if let Some(p) = self.params.iter().find(|p| p.name == s.name) {
                // A numeric parameter takes a number only.
                if !p.text && s.number.is_none() {
                    return Err(SetError::Malformed {
                        text: format!("{}={}", s.name, s.text),
                    }
                    .into());
                }
                continue;
            }
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
        let mut rules = self.clone();
        finalize(&mut rules, settings)?;
        Ok(rules)
    }
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
    let Some(mut rules) = assemble(draft) else {
        unreachable!("check_file reports a missing budget as an error")
    };
    if settings.is_empty() {
        let errors = constants::finalize_with(&mut rules, &[], &HashSet::new());
        if errors.is_empty() {
            return Ok(rules);
        }
        let errors = from_bases(errors, &rules.sources, Some((resolver, limits)));
        Err(CheckErrors::new(source.name(), errors).into())
    } else {
        rules.with_settings(settings).map_err(|e| match e {
            RulesError::Check(c) => {
                let errors = from_bases(c.errors, &rules.sources, None);
                CheckErrors::new(c.name, errors).into()
            }
            other => other,
        })
    }
}

/// `errors` with each one on a line of a base file marked as such ([`Inherited`]): the
/// last of `sources` is the file checked, the one before it its base. With `compile`
/// (a resolver and the limits), the base is checked alone to tell whether the file
/// checked caused the error; without (`--set` values were applied), that is left unsaid.
fn from_bases(
    errors: Vec<CheckError>,
    sources: &[(usize, Source)],
    compile: Option<(&dyn Resolve, &Limits)>,
) -> Vec<CheckError> {
    let Some(((_, top), bases)) = sources.split_last() else {
        return errors;
    };
    let top = top.name();
    let in_base = |e: &CheckError| e.file().is_some_and(|f| f != top);
    let Some((_, base)) = bases.last() else {
        return errors;
    };
    if !errors.iter().any(in_base) {
        return errors;
    }
    // The base's own errors (only on this path: a file with errors in its bases' lines).
    let own: Option<Vec<_>> =
        compile.map(
            |(resolver, limits)| match compile_with_limits(base, resolver, &[], limits) {
                Err(RulesError::Check(e)) => e.errors.iter().map(CheckError::key).collect(),
                _ => Vec::new(),
            },
        );
    errors
        .into_iter()
        .map(|e| match e.file() {
            Some(file) if file != top => {
                let caused = own.as_ref().map(|own| !own.contains(&e.key()));
                CheckError::Inherited(Box::new(Inherited {
                    error: e,
                    base: file,
                    overlay: top.to_owned(),
                    caused,
                }))
            }
            _ => e,
        })
        .collect()
}

/// The rules of a draft, their constants not yet computed; `None` without a budget.
fn assemble(draft: Draft) -> Option<Rules> {
    Some(Rules {
        sources: draft.sources,
        id: draft.id,
        bases: draft.bases,
        title: draft.title,
        param_values: ParamValues::default(),
        params: draft.params,
        rounding: draft.rounding,
        budget: draft.budget?,
        aggregates: draft.aggregates,
        classes: draft.classes,
        optionals: draft.optionals,
        grades: draft.grades,
        scale: draft.scale,
        goal_cap: draft.goal_cap,
        total_cap: draft.total_cap,
        adjustments: draft.adjustments,
        requires: draft.requires,
        basis: draft.basis,
        facts: draft.facts,
        tests: draft.tests,
    })
}

/// The errors of a file that has some, with those the checks of constants find in what
/// the errors left sound (a band overlap beside an unknown name elsewhere): every error
/// is reported at once, and none twice (what reads an expression in error is skipped).
fn with_later_checks(
    source: &Source,
    draft: Draft,
    mut errors: Vec<CheckError>,
    resolver: &dyn Resolve,
    limits: &Limits,
) -> RulesError {
    let broken = draft.broken.iter().copied().collect();
    if let Some(mut rules) = assemble(draft) {
        let later = constants::finalize_with(&mut rules, &[], &broken);
        errors.extend(from_bases(later, &rules.sources, Some((resolver, limits))));
    }
    RulesError::Check(CheckErrors::new(source.name(), errors))
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
                        let near = did_you_mean(&ext.value, bundled.iter().copied());
                        if let Some(near) = near {
                            help = format!("是否想写「{near}」？{help}");
                        }
                        fail(CheckError::UnknownBase {
                            src: source.named(),
                            span: ext.span.into(),
                            name: ext.value.clone(),
                            reason,
                            help,
                            fix: near.map(|n| format!("\"{n}\"")),
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
    let (draft, errors) = items::check_file(&file, source, base);
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(with_later_checks(source, draft, errors, resolver, limits))
    }
}

// Did-you-mean lives in `crate::suggest`; named here too for the callers that import it
// from `check`.
pub(crate) use crate::suggest::{did_you_mean, nearest};
