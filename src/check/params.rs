//! The parameters' values, once known (the file's own, or `--set`'s): a number for each,
//! and a text for a text parameter (`param 本级 = "省级"`).
//!
//! Input: filled by `constants::finalize`. Output: what `CKind::Param` reads, by index.
//! Invariants: `nums` and `texts` have one entry per parameter; a text parameter's number
//! is 0 and is never read (the checker types its every use as a text); it reads as the
//! numbers (`Deref`) wherever only numbers are read (the fast paths, the constants).

use std::ops::Deref;
use std::sync::Arc;

use rust_decimal::Decimal;

/// The parameters' values, indexed like `Rules::params`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ParamValues {
    nums: Vec<Decimal>,
    texts: Vec<Option<Arc<str>>>,
}

impl ParamValues {
    /// No parameters (for expressions that read none).
    pub(crate) const NONE: ParamValues = ParamValues {
        nums: Vec::new(),
        texts: Vec::new(),
    };

    /// Adds the next parameter's value.
    pub(crate) fn push(&mut self, value: ParamValue) {
        match value {
            ParamValue::Num(n) => {
                self.nums.push(n);
                self.texts.push(None);
            }
            ParamValue::Text(t) => {
                self.nums.push(Decimal::ZERO);
                self.texts.push(Some(t));
            }
        }
    }

    /// A text parameter's text.
    #[inline]
    pub(crate) fn text(&self, i: usize) -> Option<&str> {
        self.texts.get(i).and_then(|t| t.as_deref())
    }

    /// Parameter `i`'s value, as shown (`0.5`, `省级`).
    pub(crate) fn shown(&self, i: usize) -> String {
        match self.text(i) {
            Some(t) => t.to_owned(),
            None => self
                .nums
                .get(i)
                .map_or_else(String::new, |n| n.normalize().to_string()),
        }
    }
}

impl Deref for ParamValues {
    type Target = [Decimal];

    fn deref(&self) -> &[Decimal] {
        &self.nums
    }
}

/// One parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ParamValue {
    Num(Decimal),
    Text(Arc<str>),
}
