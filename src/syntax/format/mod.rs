//! Formatting: a rule file in its one canonical layout (`jixiao fmt`).
//!
//! Input: a rule file's [`Source`] and which keyword set to write. Output: the file's
//! text in the canonical layout, or the first [`ParseError`]. Invariants: the output
//! parses to the same AST up to spans (and, when keywords are translated, up to the
//! language of built-in names, which mean the same); every comment is kept exactly once,
//! in its place; formatting the output again changes nothing.
//!
//! The layout, that of `rules/hubei-2021.rules`:
//! - the header `rules "id" "title"`, then `extends "base"` on its own line;
//! - one blank line between items, except that consecutive `param`s and consecutive
//!   `aggregate`s stay together;
//! - the clauses of `budget:`, a class and a test indented by 4 spaces, one per line;
//! - a class's bands as a table: names padded to the widest by display width, then the
//!   range, `default` and `when` columns aligned too;
//! - expressions with minimal parentheses, single spaces around binary operators, `, `
//!   after commas, numbers as written (`80%`, `0.50`), strings re-escaped; the grades on
//!   one line;
//! - in a test, each clause on a line; an indicator's entries on lines of their own,
//!   indented by 8, and its `expect` too when it has entries or the line would pass 100
//!   columns.
//!
//! Comments are not in the AST: a lexical scan finds them (a `#` outside a string, to the
//! end of the line). A comment on a line of its own is written before the line (item,
//! clause, band) that follows it, at that line's indentation, keeping one blank line
//! before or after it where the original had one or more; one after code stays at the
//! end of that code's printed line. Should several end up after one printed line (a
//! clause written across lines with a comment on each), the last stays there and the
//! others go on their own lines just before it.
//!
//! Keywords ([`Keywords`]): `En` and `Zh` write every keyword, fixed word, built-in
//! name (`weight` ↔ `权重`), test field (`fund` ↔ `资金`) and `expect` word in one
//! language, as [`syntax::vocabulary`](super::vocabulary) spells them; parameter,
//! class, band and grade names are never translated. `Keep` writes the keywords in the
//! language most of the file's keywords are in (the header's on a tie) and leaves
//! built-in names as written. Chinese
//! output uses the full-width `：` and, between grades, `，` (the grammar reads both), and
//! `位` after the number of places: `保留 2 位 四舍五入 于 指标`.
//!
//! In three steps, a file each: `lex` scans the text for comments and code, `lines`
//! prints the AST as lines, `layout` puts the lines and comments together.

mod layout;
mod lex;
mod lines;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use super::ast::Item;
use super::print::{Rename, Style};
use super::vocabulary::{Role, WORDS};
use super::{ParseError, parse};
use crate::source::Source;
use layout::layout;
use lex::Lexed;
use lines::Printer;

/// Which keyword set the formatted file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keywords {
    /// The language most of the file's keywords are in (the header's on a tie); built-in
    /// names stay as written.
    #[default]
    Keep,
    /// English keywords and built-in names.
    En,
    /// Chinese keywords and built-in names, full-width `：` and `，`.
    Zh,
}

/// Whether most of the keywords of `text` are Chinese: the language [`Keywords::Keep`]
/// writes, in which the language service completes keywords.
pub(crate) fn mostly_zh(text: &str) -> bool {
    Lexed::scan(&crate::source::lone_cr_as_lf(text)).mostly_zh
}

/// Formats a rule file into the canonical layout.
///
/// # Errors
/// A [`ParseError`] when `source` does not parse; nothing is formatted then.
pub fn format(source: &Source, keywords: Keywords) -> Result<String, ParseError> {
    let file = parse(source)?;
    // The lexer below ends lines at `\n`; a lone `\r` (old Mac line ends) ends one too,
    // as the parser has it. Same length, so the parser's spans fit.
    let text = &*crate::source::lone_cr_as_lf(source.text());
    let lexed = Lexed::scan(text);
    let zh = match keywords {
        Keywords::Keep => lexed.mostly_zh,
        Keywords::En => false,
        Keywords::Zh => true,
    };
    let params: HashSet<&str> = file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Param(p) => Some(p.name.name.as_str()),
            _ => None,
        })
        .collect();
    // A built-in in the other language; never a name the file declares as a parameter.
    let rename = |name: &str| -> Option<&'static str> {
        if params.contains(name) {
            return None;
        }
        WORDS
            .iter()
            .find(|w| w.role == Role::Builtin && w.is_spelled(name))
            .map(|w| w.spelling(zh))
            .filter(|to| !params.contains(to))
    };
    let style = Style {
        zh,
        exact_numbers: true,
        rename: (keywords != Keywords::Keep).then_some(&rename as Rename<'_>),
    };
    let printer = Printer {
        text,
        lexed: &lexed,
        style,
        lines: Vec::new(),
    };
    let lines = printer.file(&file);
    Ok(layout(&lines, &lexed.comments))
}
