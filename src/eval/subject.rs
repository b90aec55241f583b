//! The subject of a formula: what one indicator (or the budget line) offers the rules'
//! built-in names, read through [`Env`] without a dynamic call per name.
//!
//! Input: the indicator's names and weight, then its A, B and rate as they become known.
//! Output: each built-in's value, a number or a text, or none. Invariant: a built-in
//! holds at most one of a number and a text.

use super::{Env, Val};
use crate::check::Var;
use crate::num::{Exact, Frac};

/// What one indicator offers the rules' built-in names, by [`Var`] index: the numbers
/// (A and B when numbers, weight, rate) and the texts (A and B when texts, tier, op, …).
/// Arrays, so that looking a name up is an index rather than a branch on the name, which
/// a processor predicts badly when one formula reads several names.
#[derive(Clone)]
pub(super) struct Subject<'a> {
    nums: [Option<Exact>; Var::NUMBERS],
    texts: [Option<&'a str>; Var::COUNT],
}

/// What the form says of itself that rules may read: its year (`year`, none when the
/// form gives none) and department (`department`, "" when none).
#[derive(Clone)]
pub(super) struct Facts<'a> {
    pub(super) year: Option<Exact>,
    pub(super) department: &'a str,
}

impl<'a> Facts<'a> {
    pub(super) fn of(form: &'a crate::Form) -> Self {
        Facts {
            year: form.year.map(Exact::int),
            department: form.department.as_deref().unwrap_or(""),
        }
    }
}

impl<'a> Env<'a> for Subject<'a> {
    #[inline]
    fn get(&self, var: Var) -> Option<Val<'a>> {
        Subject::get(self, var)
    }

    #[inline]
    fn num(&self, var: Var) -> Option<Exact> {
        self.nums.get(var as usize).and_then(Clone::clone)
    }

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
            nums: [None, None, Some(weight), None, facts.year.clone()],
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
        }
    }

    #[inline]
    pub(super) fn get(&self, var: Var) -> Option<Val<'a>> {
        match self.nums.get(var as usize) {
            Some(Some(n)) => Some(Val::Num(n.clone())),
            _ => self.texts[var as usize].map(Val::Text),
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
