//! pest pairs → AST. One function per grammar rule; the shapes the grammar guarantees are
//! taken apart with [`Children`], and anything input can reach returns a [`ParseError`].
//!
//! The [`Builder`]'s methods, a file each: [`items`] (the header and every item but
//! tests), [`test_block`] (tests), [`expr`] (expressions, by precedence climbing) and
//! [`literals`] (names, strings and numbers).

mod expr;
mod items;
mod literals;
mod test_block;

use std::cell::Cell;

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::File;
use super::error::ParseError;
use crate::source::{Source, Span};

/// How deeply brackets, calls, lists, step tables, conditionals and prefix operators may
/// nest in one expression: this many levels are accepted, one more is refused. Deeper
/// input is refused before pest sees it ([`super::depth`]), so neither pest's recursion
/// nor ours can exhaust the stack; the tree is counted exactly as it is built.
pub const MAX_DEPTH: usize = 64;

/// How deep one expression's tree may grow (operators chained without brackets).
pub const MAX_TREE_DEPTH: usize = 256;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
pub(crate) struct RulesParser;

/// Parses a rule file into its AST.
///
/// # Errors
/// A [`ParseError`] for the first syntax error, pointing into `source`.
pub fn parse(source: &Source) -> Result<File, ParseError> {
    let text = source.text();
    super::depth::check_depth(source)?;
    let mut pairs =
        RulesParser::parse(Rule::file, text).map_err(|e| ParseError::from_pest(source, &e))?;
    let Some(file_pair) = pairs.next() else {
        unreachable!("pest returns the `file` pair on success")
    };
    let b = Builder {
        source,
        nest: Cell::new(0),
        outer: Cell::new(0),
    };
    b.file(file_pair)
}

/// The significant children of a pair: keyword tokens are skipped.
struct Children<'i> {
    inner: pest::iterators::Pairs<'i, Rule>,
}

impl<'i> Iterator for Children<'i> {
    type Item = Pair<'i, Rule>;
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.by_ref().find(|p| !is_keyword(p.as_rule()))
    }
}

impl<'i> Children<'i> {
    /// The next child, which the grammar guarantees.
    fn one(&mut self) -> Pair<'i, Rule> {
        match self.next() {
            Some(p) => p,
            None => unreachable!("the grammar guarantees this child"),
        }
    }
}

fn children(pair: Pair<'_, Rule>) -> Children<'_> {
    Children {
        inner: pair.into_inner(),
    }
}

pub(super) fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_rules
            | Rule::kw_param
            | Rule::kw_round
            | Rule::kw_at
            | Rule::kw_budget
            | Rule::kw_weight
            | Rule::kw_score
            | Rule::kw_cap
            | Rule::kw_if
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_error
            | Rule::kw_aggregate
            | Rule::kw_sum
            | Rule::kw_mean
            | Rule::kw_by
            | Rule::kw_fund
            | Rule::kw_class
            | Rule::kw_for
            | Rule::kw_when
            | Rule::kw_band
            | Rule::kw_default
            | Rule::kw_optional
            | Rule::kw_rescale
            | Rule::kw_goal
            | Rule::kw_drop
            | Rule::kw_grade
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_not
            | Rule::kw_in
            | Rule::kw_extends
            | Rule::kw_none
            | Rule::kw_scale
            | Rule::kw_goals
            | Rule::kw_to
            | Rule::kw_step
            | Rule::kw_test
            | Rule::kw_expect
            | Rule::kw_indicator
            | Rule::kw_form
            | Rule::kw_fund_weighted
            | Rule::kw_entry
            | Rule::kw_bonus
            | Rule::kw_deduction
            | Rule::kw_require
            | Rule::kw_source
            | Rule::kw_fact
            | Rule::kw_total
            | Rule::kw_level1
    )
}

/// The span of the character at `at` (empty at the end of the text).
pub(super) fn first_char(text: &str, at: usize) -> Span {
    let len = text
        .get(at..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

struct Builder<'s> {
    source: &'s Source,
    /// How deeply the expression being built is nested here: brackets, calls, lists,
    /// step tables, conditionals and prefix operators, each one level.
    nest: Cell<usize>,
    /// Where the outermost of them begins.
    outer: Cell<usize>,
}
