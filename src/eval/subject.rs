//! The subject of a formula: what one indicator (or the budget line) offers the rules'
//! built-in names, read through [`Env`] without a dynamic call per name.
//!
//! Input: the indicator's names and weight, then its A, B and rate as they become known.
//! Output: each built-in's value, a number or a text, or none. Invariant: a built-in
//! holds at most one of a number and a text.

use super::{Env, Val};
use crate::check::Var;
use crate::form::FactValue;
use crate::num::{Exact, Frac};

/// What one indicator offers the rules' built-in names, by [`Var`] index: the numbers
/// (A and B when numbers, weight, rate) and the texts (A and B when texts, tier, op, …).
/// Arrays, so that looking a name up is an index rather than a branch on the name, which
/// a processor predicts badly when one formula reads several names.
#[derive(Clone)]
pub(super) struct Subject<'a> {
    /// A, B, weight and rate: the indicator's own numbers.
    nums: [Option<Exact>; OWN],
    /// The form's year, kept as the integer it is (copied with each subject rather than
    /// an `Exact` of 48 bytes: a subject is built for every indicator; BENCHMARKS.md,
    /// round 10).
    year: Option<i64>,
    texts: [Option<&'a str>; Var::COUNT],
    /// The form's declared facts (`"单位类型" = "行政单位"`), read by name.
    facts: &'a [crate::form::Fact],
}

/// How many numbers a subject holds of its own: the numeric built-ins but `year`.
const OWN: usize = Var::NUMBERS - 1;

/// What the form says of itself that rules may read: its year (`year`, none when the
/// form gives none), department (`department`, "" when none) and the facts under `[form]`
/// that rules declare (`fact 单位类型: text`).
#[derive(Clone)]
pub(super) struct Facts<'a> {
    pub(super) year: Option<i64>,
    pub(super) department: &'a str,
    pub(super) list: &'a [crate::form::Fact],
}

impl<'a> Facts<'a> {
    pub(super) fn of(form: &'a crate::Form) -> Self {
        Facts {
            year: form.year,
            department: form.department.as_deref().unwrap_or(""),
            list: &form.facts,
        }
    }
}

/// The form's fact `name` as a value, if the form states it.
pub(super) fn fact<'a>(list: &'a [crate::form::Fact], name: &str) -> Option<Val<'a>> {
    let f = list.iter().find(|f| *f.name.text == *name)?;
    Some(match &f.value {
        FactValue::Number(n) => Val::Num(Exact::from(*n)),
        FactValue::Text(t) => Val::Text(t),
    })
}

impl<'a> Env<'a> for Subject<'a> {
    #[inline]
    fn get(&self, var: Var) -> Option<Val<'a>> {
        Subject::get(self, var)
    }

    #[inline]
    fn num(&self, var: Var) -> Option<Exact> {
        match self.nums.get(var as usize) {
            Some(n) => n.clone(),
            None => self.year(var),
        }
    }

    /// `None` for `year` too: the caller then reads it the general way ([`Env::num`]).
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

    fn fact(&self, name: &str) -> Option<Val<'a>> {
        fact(self.facts, name)
    }
}

// `Subject::new` lists the built-ins in this order.
const _: () = assert!(
    Var::Weight as usize == 2
        && Var::Year as usize == 4
        && Var::Tier as usize == 5
        && Var::Op as usize == 6
        && Var::Direction as usize == 7
        && Var::Kind as usize == 8
        && Var::Level1 as usize == 9
        && Var::Level2 as usize == 10
        && Var::Name as usize == 11
        && Var::Goal as usize == 12
        && Var::Department as usize == 13
        && Var::COUNT == 14
        && Var::NUMBERS == 5
);

impl<'a> Subject<'a> {
    /// An indicator of `weight` points with these names, of a form of `facts`; every
    /// other text built-in is "" and A, B and rate have no value yet.
    pub(super) fn new(
        weight: Exact,
        [level1, level2, name, goal]: [&'a str; 4],
        facts: &Facts<'a>,
    ) -> Self {
        // Built whole, in `Var` order (A, B, weight, rate, year, tier, op, direction,
        // kind, level1, level2, name, goal, department), rather than filled with "" and
        // overwritten: this runs for every indicator.
        Subject {
            nums: [None, None, Some(weight), None],
            year: facts.year,
            texts: [
                None,
                None,
                None,
                None,
                None,
                Some(""),
                Some(""),
                Some(""),
                Some(""),
                Some(level1),
                Some(level2),
                Some(name),
                Some(goal),
                Some(facts.department),
            ],
            facts: facts.list,
        }
    }

    #[inline]
    pub(super) fn get(&self, var: Var) -> Option<Val<'a>> {
        match self.nums.get(var as usize) {
            Some(Some(n)) => Some(Val::Num(n.clone())),
            Some(None) => self.texts[var as usize].map(Val::Text),
            None => match self.year(var) {
                Some(y) => Some(Val::Num(y)),
                None => self.texts[var as usize].map(Val::Text),
            },
        }
    }

    /// `year`, when `var` is it and the form gives one.
    #[inline]
    fn year(&self, var: Var) -> Option<Exact> {
        if var == Var::Year {
            self.year.map(Exact::int)
        } else {
            None
        }
    }

    /// Gives `var` (A, B or rate) a value, a number or a text, or none.
    pub(super) fn set(&mut self, var: Var, value: Option<Val<'a>>) {
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
    pub(super) fn set_num(&mut self, var: Var, n: Exact) {
        if let Some(slot) = self.nums.get_mut(var as usize) {
            *slot = Some(n);
            self.texts[var as usize] = None;
        }
    }

    pub(super) fn set_text(&mut self, var: Var, text: &'a str) {
        self.texts[var as usize] = Some(text);
    }
}
