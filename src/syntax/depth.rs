//! The nesting pre-scan: refuses text whose nesting would make pest recurse deeper than
//! [`MAX_DEPTH`] levels, before pest sees it. pest recurses once per level of brackets,
//! conditionals and prefix operators, and jixiao builds pest without the stack probe, so
//! this scan is what keeps a hostile file from overflowing the stack.
//!
//! It follows pest's recursion, not the tree's: a prefix operator is open until the
//! operand right after it is complete (`- a * b`: until `a`), a conditional until its
//! expression ends (its `else` branch is inside it, so `else if` chains nest), a bracket
//! until it closes. A guard's `if` (`if A == 0: weight`) begins a clause and nests
//! nothing. The tree built from the tokens can nest where pest did not (`not a == not b`:
//! the second `not` is inside the first), so the parser counts the tree's nesting again,
//! exactly, as it builds it ([`super::parser`]); this scan never counts more than the
//! tree has, so the limit the user meets is the tree's. Where a word could begin either
//! an operand or a clause, it may count one level fewer than pest recurses (a `-` right
//! after the budget's `weight`, which is also a name, or right after a `:`; a conditional
//! right after a guard's `:`), so pest recurses at most one level past the limit.
//!
//! The text is scanned as bytes: every delimiter is ASCII, and the bytes of a multi-byte
//! character are never ASCII, so only characters outside ASCII are decoded (to tell
//! letters, white space, `：` and `，` from the rest).

use super::error::ParseError;
use super::parser::{MAX_DEPTH, first_char};
use super::vocabulary::{self, Role};
use crate::source::Source;

/// What is open at a point of the scan, innermost last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `(`, `[`, a call's or a step table's bracket.
    Bracket,
    /// A conditional, by the part being read.
    If(Part),
    /// `-` or `not`, until its operand is complete.
    Prefix,
}

/// The part of a conditional being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Cond,
    Then,
    Else,
}

/// The scan's state: what is open (with where it opened), and whether the last token
/// completed an operand (so that a `-` after it is a subtraction and an `if` after it
/// begins a guard).
struct Scan {
    open: Vec<(usize, Open)>,
    after_operand: bool,
}

impl Scan {
    /// Closes the prefix operators whose operand just completed.
    fn operand_done(&mut self) {
        while self.open.last().is_some_and(|(_, o)| *o == Open::Prefix) {
            self.open.pop();
        }
        self.after_operand = true;
    }

    /// Ends the expression being read inside the innermost bracket (at `,`, `:`): its
    /// conditionals and prefix operators close.
    fn end_expression(&mut self) {
        while self.open.last().is_some_and(|(_, o)| *o != Open::Bracket) {
            self.open.pop();
        }
        self.after_operand = false;
    }

    /// `then` or `else`: the innermost conditional in part `from` (inside the innermost
    /// bracket) moves to part `to`; conditionals nested in its previous part are complete.
    fn next_part(&mut self, from: Part, to: Part) {
        let found = self
            .open
            .iter()
            .rposition(|(_, o)| *o == Open::If(from) || *o == Open::Bracket)
            .filter(|&i| self.open[i].1 == Open::If(from));
        if let Some(i) = found {
            self.open.truncate(i + 1);
            self.open[i].1 = Open::If(to);
        }
        self.after_operand = false;
    }

    /// A word at `start`: a reserved word moves the scan; any other is an operand, or a
    /// call's name (`call()`: a `(` follows). Whether it opened a level.
    fn word(&mut self, word: &str, start: usize, call: impl FnOnce() -> bool) -> bool {
        match vocabulary::reserved(word).map(|w| (w.en, w.role)) {
            Some(("if", _)) if self.after_operand => {
                // A guard: a new clause, nested in nothing.
                self.open.clear();
                self.after_operand = false;
            }
            Some(("if", _)) => {
                self.open.push((start, Open::If(Part::Cond)));
                return true;
            }
            Some(("then", _)) => self.next_part(Part::Cond, Part::Then),
            Some(("else", _)) => self.next_part(Part::Then, Part::Else),
            Some((_, Role::Prefix(_))) => {
                self.open.push((start, Open::Prefix));
                self.after_operand = false;
                return true;
            }
            Some((_, Role::Binary(_))) => self.after_operand = false,
            Some((_, Role::Item | Role::Clause)) => {
                // A word that begins an item or a clause is never part of an expression:
                // the clause before it ended, and what follows begins a new one.
                self.open.clear();
                self.after_operand = false;
            }
            // A call's name (or `step`): its operand completes at its `)`.
            _ if call() => self.after_operand = false,
            _ => self.operand_done(),
        }
        false
    }
}

/// Refuses nesting deeper than [`MAX_DEPTH`] before pest sees the text (see the module
/// comment).
pub(super) fn check_depth(source: &Source) -> Result<(), ParseError> {
    let text = source.text();
    let bytes = text.as_bytes();
    let mut scan = Scan {
        open: Vec::new(),
        after_operand: false,
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let (class, len) = class_at(text, i, b);
        i += len;
        let mut deeper = false;
        match class {
            Class::Space => continue,
            Class::Hash => {
                i = line_end(bytes, i);
                continue;
            }
            Class::Quote => {
                while let Some(&b) = bytes.get(i) {
                    i += 1;
                    match b {
                        // The escaped character is skipped; if it has several bytes, the
                        // rest are not ASCII and are skipped as the string's text.
                        b'\\' => i += 1,
                        b'"' | b'\n' | b'\r' => break,
                        _ => {}
                    }
                }
                i = i.min(bytes.len());
                scan.operand_done();
            }
            Class::Open => {
                scan.open.push((start, Open::Bracket));
                deeper = true;
                scan.after_operand = false;
            }
            Class::Close => {
                scan.end_expression();
                scan.open.pop();
                scan.operand_done();
            }
            Class::Separator => {
                scan.end_expression();
                // At the top level, `:` ends a clause's head or a guard's condition: an
                // `if` after it most often begins a guard, so it is counted as one
                // (where it begins a guard's conditional value, one level too few).
                scan.after_operand = scan.open.is_empty();
            }
            Class::Minus if !scan.after_operand => {
                scan.open.push((start, Open::Prefix));
                deeper = true;
            }
            Class::Word => {
                i = word_end(text, i);
                let word = text.get(start..i).unwrap_or_default();
                deeper = scan.word(word, start, || next_is_open_paren(text, i));
            }
            Class::Minus | Class::Other => scan.after_operand = false,
        }
        if deeper && scan.open.len() > MAX_DEPTH {
            let outer = scan.open.first().map_or(start, |(o, _)| *o);
            return Err(ParseError::TooDeep {
                src: source.named(),
                span: first_char(text, start).into(),
                outer: first_char(text, outer).into(),
                limit: MAX_DEPTH,
            });
        }
    }
    Ok(())
}

/// What a character is to the scan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// White space: skipped.
    Space,
    /// A letter, a digit or `_`: the start of a name, a number or a keyword.
    Word,
    /// `#`: a comment to the end of the line.
    Hash,
    /// `"`: a string.
    Quote,
    /// `(` or `[`.
    Open,
    /// `)` or `]`.
    Close,
    /// `:`, `：`, `,` or `，`: the end of an expression inside a bracket or a clause.
    Separator,
    /// `-`.
    Minus,
    /// Anything else.
    Other,
}

/// The class and length of the character at `i`, whose first byte is `b`: an ASCII byte
/// is looked up, anything else decoded. `i` is always a character boundary: every step
/// of the scan ends after a whole character or after an ASCII byte.
fn class_at(text: &str, i: usize, b: u8) -> (Class, usize) {
    if b.is_ascii() {
        return (CLASS[usize::from(b)], 1);
    }
    let c = text
        .get(i..)
        .and_then(|t| t.chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER);
    let class = match c {
        '：' | '，' => Class::Separator,
        c if c.is_whitespace() => Class::Space,
        c if c.is_alphanumeric() => Class::Word,
        _ => Class::Other,
    };
    (class, c.len_utf8())
}

/// The end of the line from `i`: a line feed or a carriage return (CR alone ends a line
/// in files saved with the old Mac line ends).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |n| i + n)
}

/// The end of the word that continues at `i`.
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&d) = bytes.get(i) {
        if d.is_ascii() {
            if !WORD_CONTINUES[usize::from(d)] {
                break;
            }
            i += 1;
        } else {
            match text.get(i..).and_then(|t| t.chars().next()) {
                Some(d) if d.is_alphanumeric() => i += d.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// Whether the next token after `i` (past white space and comments) is `(`: the word
/// before it is a call's name.
fn next_is_open_paren(text: &str, mut i: usize) -> bool {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        let (class, len) = class_at(text, i, b);
        match class {
            Class::Space => i += len,
            Class::Hash => i = line_end(bytes, i + 1),
            _ => return b == b'(',
        }
    }
    false
}

/// [`Class`] for every ASCII byte, so that the scan decides each with one lookup.
const CLASS: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b' ' | b'\t'..=b'\r' => Class::Space,
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'_' => Class::Word,
            b'#' => Class::Hash,
            b'"' => Class::Quote,
            b'(' | b'[' => Class::Open,
            b')' | b']' => Class::Close,
            b':' | b',' => Class::Separator,
            b'-' => Class::Minus,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

/// The ASCII bytes that continue a word once begun: letters, digits, `_`, and `.` and `%`
/// (a number such as `0.5` or `80%` is one operand).
const WORD_CONTINUES: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = matches!(b as u8, b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'_' | b'.' | b'%');
        b += 1;
    }
    table
};
