//! Comparison words: `≥`, `不少于`, `以上` and the others a value may state, and [`Cmp`],
//! what they mean.
//!
//! Input: the cursor at the start of a value ([`PREFIXES`]), or the text after a number
//! and its unit ([`SUFFIXES`]). Output: the comparison read, if any.
//! Invariants: a longer spelling comes before its prefixes, so `大于等于` is never read
//! as `大于`; `以上`, `以下` and `以内` include the number, as in official usage.

use super::cursor::Cursor;

/// The comparison a value states: `≥95%` is [`Cmp::Ge`], a bare `95%` is [`Cmp::None`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Cmp {
    /// No comparison written.
    None,
    /// `≥`, `>=`, `不低于`, `不少于`, `至少`, `最少`, `大于等于`, `…以上`, `…及以上`.
    /// In Chinese official usage `以上` includes the number: `100人以上` is ≥ 100.
    Ge,
    /// `≤`, `<=`, `不高于`, `不超过`, `不多于`, `至多`, `最多`, `小于等于`, `…以下`,
    /// `…及以下`, `…以内` (`以下` and `以内` include the number).
    Le,
    /// `>`, `大于`, `高于`, `超过`, `多于`.
    Gt,
    /// `<`, `小于`, `低于`, `少于`, `不足`.
    Lt,
    /// `=`, `==`.
    Eq,
}

impl Cmp {
    /// The symbol a report prints: `""`, `"≥"`, `"≤"`, `">"`, `"<"`, `"="`.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::None => "",
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
        }
    }

    /// The ASCII spelling: `""`, `">="`, `"<="`, `">"`, `"<"`, `"="`.
    #[must_use]
    pub fn ascii(self) -> &'static str {
        match self {
            Cmp::None => "",
            Cmp::Ge => ">=",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
        }
    }
}

/// Prefix comparisons, written with ASCII where a full-width form exists (the cursor narrows
/// full-width characters before matching). A longer spelling comes before its prefixes.
/// The flag says whether the comparison is a symbol (a symbol must be followed by a number;
/// a word may begin ordinary text such as `不低于上年水平`).
pub(super) const PREFIXES: &[(&str, Cmp, bool)] = &[
    (">=", Cmp::Ge, true),
    ("<=", Cmp::Le, true),
    ("==", Cmp::Eq, true),
    ("≥", Cmp::Ge, true),
    ("≧", Cmp::Ge, true),
    ("≤", Cmp::Le, true),
    ("≦", Cmp::Le, true),
    (">", Cmp::Gt, true),
    ("<", Cmp::Lt, true),
    ("=", Cmp::Eq, true),
    ("大于或等于", Cmp::Ge, false),
    ("小于或等于", Cmp::Le, false),
    ("大于等于", Cmp::Ge, false),
    ("小于等于", Cmp::Le, false),
    ("不低于", Cmp::Ge, false),
    ("不少于", Cmp::Ge, false),
    ("不小于", Cmp::Ge, false),
    ("至少", Cmp::Ge, false),
    ("最少", Cmp::Ge, false),
    ("不高于", Cmp::Le, false),
    ("不超过", Cmp::Le, false),
    ("不多于", Cmp::Le, false),
    ("不大于", Cmp::Le, false),
    ("至多", Cmp::Le, false),
    ("最多", Cmp::Le, false),
    ("大于", Cmp::Gt, false),
    ("高于", Cmp::Gt, false),
    ("超过", Cmp::Gt, false),
    ("多于", Cmp::Gt, false),
    ("小于", Cmp::Lt, false),
    ("低于", Cmp::Lt, false),
    ("少于", Cmp::Lt, false),
    ("不足", Cmp::Lt, false),
];

/// Comparisons written after the number and unit: `95%以上`, `3天以内`. Longer spellings
/// first. `以上`, `以下` and `以内` include the number, as in official usage.
pub(super) const SUFFIXES: &[(&str, Cmp)] = &[
    ("及以上", Cmp::Ge),
    ("及以下", Cmp::Le),
    ("以上", Cmp::Ge),
    ("以下", Cmp::Le),
    ("以内", Cmp::Le),
];

impl Cursor<'_> {
    /// A prefix comparison and whether it is a symbol.
    pub(super) fn comparison(&mut self) -> Option<(Cmp, bool)> {
        PREFIXES
            .iter()
            .find(|(word, _, _)| self.eat(word))
            .map(|&(_, cmp, symbol)| (cmp, symbol))
    }
}
