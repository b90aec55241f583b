//! Loading a form: TOML text to a typed [`Form`], checking everything a rule relies on.
//!
//! Input: a [`Source`] holding a form in the TOML layout pinned in README.md.
//! Output: a [`Form`], or a [`FormErrors`] report listing every problem found. A TOML
//! syntax or shape error (bad syntax, unknown key, missing key, wrong type) is reported
//! alone, since nothing after it can be trusted; all other checks run to the end.
//! Invariants: numbers are read exactly, never through binary floating point: a bare TOML
//! float is re-read from its literal text in the file. Every span points into the source.
//!
//! The walk starts here ([`Loader`] and the `[form]` table); the other tables are read in
//! `budget`, `goals` and `entries`, their values in `numbers`, units checked in `units`.
//! `raw` is the layout as serde reads it, `keys` names keys in Chinese, `float` reads
//! TOML float literals exactly.

use std::ops::Range;

use super::Form;
use super::error::{FormError, FormErrors, Src};
use super::float::FloatProblem;
use super::keys::{REPORTED_TOTAL, type_name};
use super::raw::{RawFile, RawValue, span_of};
use super::scan;
use super::toml_error::toml_error;
use super::value::ParseValueError;
use crate::limits::{LimitError, Limits, Over};
use crate::source::{Source, Span};
use crate::text::{char_shown, invisible_name, quoted};

/// Reads a form.
///
/// Empty or whitespace-only `target`, `actual`, `tier` and `direction` strings count as
/// absent. Bare TOML numbers are kept as their literal text in
/// [`Value::raw`](super::Value::raw).
///
/// # Errors
/// [`FormErrors`] with every problem in the file; see [`FormError`] for the codes.
pub fn load_form(source: &Source) -> Result<Form, FormErrors> {
    load_form_with_limits(source, &Limits::default())
}

/// Reads a form as [`load_form`] does, within `limits`: a text larger than
/// [`Limits::form_bytes`], or holding more TOML tokens than its size warrants (see
/// [`FormError::TooDense`]), is refused before TOML parsing, and too many goals,
/// indicators or entries (see [`Limits`]) before any of their values is read. At most
/// [`Limits::diagnostics`] errors are listed.
///
/// # Errors
/// As [`load_form`]; a limit passed is reported alone, as [`FormError::Limit`].
pub fn load_form_with_limits(source: &Source, limits: &Limits) -> Result<Form, FormErrors> {
    let fail = |e: FormError| FormErrors {
        name: source.name().to_owned(),
        errors: vec![e],
        total: 1,
    };
    let len = u64::try_from(source.text().len()).unwrap_or(u64::MAX);
    limits
        .check_form_bytes(source.name(), len)
        .map_err(|e| fail(e.into()))?;
    let bytes = source.text().len();
    let (tokens, limit) = (scan::tokens(source.text()), scan::max_tokens(bytes));
    if tokens > limit {
        return Err(fail(FormError::TooDense {
            name: source.name().to_owned(),
            bytes,
            tokens,
            limit,
        }));
    }
    let raw: RawFile = match toml::from_str(source.text()) {
        Ok(raw) => raw,
        Err(e) => return Err(fail(toml_error(source, &e))),
    };
    check_counts(source, &raw, limits).map_err(|e| fail(e.into()))?;
    let mut loader = Loader {
        source,
        errors: Vec::new(),
        total: 0,
        listed: limits.diagnostics,
    };
    let form = loader.form(raw);
    if loader.total == 0 {
        return Ok(form);
    }
    let mut errors = loader.errors;
    errors.extend(limits.unlisted(loader.total).map(FormError::from));
    Err(FormErrors {
        name: source.name().to_owned(),
        errors,
        total: loader.total,
    })
}

/// Goals, indicators (all goals together) and each indicator's entries against `limits`,
/// pointing at the first one past its limit.
fn check_counts(source: &Source, raw: &RawFile, limits: &Limits) -> Result<(), LimitError> {
    let at = |span: Span| Some((source.named(), span.into()));
    limits.check_goals(Over {
        name: source.name(),
        count: raw.goals.len(),
        at: raw.goals.get(limits.goals).and_then(|g| at(span_of(g))),
    })?;
    let indicators = raw.goals.iter().flat_map(|g| &g.get_ref().indicators);
    let count = raw.goals.iter().map(|g| g.get_ref().indicators.len()).sum();
    limits.check_indicators(Over {
        name: source.name(),
        count,
        at: indicators
            .clone()
            .nth(limits.indicators)
            .and_then(|i| at(span_of(i))),
    })?;
    for i in indicators {
        let Some(entries) = &i.get_ref().entries else {
            continue;
        };
        let entries = entries.get_ref();
        limits.check_entries(Over {
            name: i.get_ref().name.get_ref().trim(),
            count: entries.len(),
            at: entries.get(limits.entries).and_then(|e| at(span_of(e))),
        })?;
    }
    Ok(())
}

/// A problem already recorded in `Loader::errors`.
pub(super) struct Reported;

/// The walk over a form's tables, collecting every problem found.
pub(super) struct Loader<'s> {
    source: &'s Source,
    /// The first `listed` problems found.
    errors: Vec<FormError>,
    /// How many problems were found.
    total: usize,
    listed: usize,
}

impl<'s> Loader<'s> {
    pub(super) fn src(&self) -> Src {
        self.source.named()
    }

    /// Refuses `text` (written at `span`) if it holds a character that cannot be seen and
    /// is not a space ([`FormError::InvisibleCharacter`]).
    pub(super) fn visible(&mut self, text: &str, span: Span, what: &str) -> Result<(), Reported> {
        let Some(c) = text
            .chars()
            .find(|&c| invisible_name(c).is_some() && !c.is_whitespace())
        else {
            return Ok(());
        };
        let at = self.source.slice(span).find(c).map_or(span, |i| {
            Span::new(span.start + i, span.start + i + c.len_utf8())
        });
        let src = self.src();
        self.push(FormError::InvisibleCharacter {
            message: format!("{what}{}中有看不见的字符", quoted(text)),
            label: char_shown(c),
            span: at.into(),
            src,
        });
        Err(Reported)
    }

    /// Records a problem; past the first `listed`, only counts it.
    pub(super) fn push(&mut self, e: FormError) {
        self.total += 1;
        if self.errors.len() < self.listed {
            self.errors.push(e);
        }
    }

    /// The text of a value as written: a trimmed string, or a literal's source text.
    pub(super) fn written<'a>(&self, v: &'a RawValue) -> &'a str
    where
        's: 'a,
    {
        match v.get_ref() {
            toml::Value::String(s) => s.trim(),
            _ => self.source.slice(span_of(v)),
        }
    }

    /// Where in the file the bad part of a string value is: `offset` is relative to the
    /// trimmed string, found inside the quoted token (the whole token if escapes hide it).
    fn inner_span(&self, v: &RawValue, raw: &str, offset: &Range<usize>) -> Span {
        let span = span_of(v);
        match self.source.slice(span).find(raw) {
            Some(at) if !raw.is_empty() => {
                let start = span.start + at;
                Span::new(start + offset.start, start + offset.end)
            }
            _ => span,
        }
    }

    pub(super) fn malformed(&mut self, v: &RawValue, raw: &str, e: ParseValueError) {
        let span = self.inner_span(v, raw, &e.offset);
        let src = self.src();
        self.push(FormError::MalformedNumber {
            message: e.message,
            help: e.help,
            span: span.into(),
            src,
        });
    }

    /// A TOML float literal with no exact value (see [`FloatProblem`]).
    pub(super) fn float_problem(
        &mut self,
        problem: FloatProblem,
        what: &str,
        raw: &str,
        span: Span,
        help: &str,
    ) {
        let src = self.src();
        self.push(FormError::MalformedNumber {
            message: problem.message(what, raw),
            help: help.to_owned(),
            span: span.into(),
            src,
        });
    }

    pub(super) fn push_toml(
        &mut self,
        message: String,
        help: String,
        label: &str,
        span: Option<Span>,
    ) {
        let src = self.src();
        self.push(FormError::Toml {
            message,
            help,
            label: label.to_owned(),
            span: span.map(Into::into),
            src,
        });
    }

    fn form(&mut self, raw: RawFile) -> Form {
        let meta = raw.form.unwrap_or_default();
        let filled_on = meta.filled_on.as_ref().and_then(|v| self.filled_on(v));
        let reported_total = self.num_opt(meta.reported_total.as_ref(), &REPORTED_TOTAL);
        let budget = self.budget(raw.budget.as_ref());
        let goals = raw.goals.iter().map(|g| self.goal(g)).collect();
        let adjustments = self.adjustments(&raw.bonus, &raw.deduction);
        let facts = self.facts(&meta.facts);
        let rules = self.optional_text(meta.rules.as_ref(), "计分规则（rules）");
        let nonempty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        Form {
            source: self.source.clone(),
            title: nonempty(meta.title),
            department: nonempty(meta.department),
            year: meta.year,
            filled_on,
            reported_total,
            budget,
            goals,
            adjustments,
            facts,
            rules,
        }
    }

    fn filled_on(&mut self, v: &RawValue) -> Option<String> {
        match v.get_ref() {
            toml::Value::Datetime(_) | toml::Value::String(_) => {
                Some(self.written(v).to_owned()).filter(|s| !s.is_empty())
            }
            other => {
                self.push_toml(
                    format!("填报日期（filled_on）应为日期或字符串，实际是{}", type_name(other)),
                    "写成 TOML 日期，如 filled_on = 2025-03-01，或字符串，如 filled_on = \"2025年3月1日\"".to_owned(),
                    "类型不对",
                    Some(span_of(v)),
                );
                None
            }
        }
    }
}
