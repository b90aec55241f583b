//! What each token of a rule file is, for highlighting: the language server's semantic
//! tokens and the workbench editor's colours, so that both colour a file alike.
//!
//! Input: a rule file's [`Source`] (perhaps unsaved, often not parsing while it is typed)
//! and a [`Resolve`]r for what it extends. Output: [`Token`]s, in order, each on one line,
//! with UTF-16 columns. What a word is: a reserved word is a keyword; a keyword that may
//! also be a name (`weight`, `indicator`) is one where it begins a line; then a built-in
//! name; then a word that follows a keyword (`half_up`, `at`); then a function (before
//! `(`); on a test's clause lines (`indicator`, `entry`, `expect`, `budget`, `form`) the
//! form's keys are fields; any other word is a name, a parameter's or a class's when the
//! file or a base declares it ([`super::complete::declared`]). Invariants: spellings come
//! from [`syntax::vocabulary`](crate::syntax::vocabulary); a token never spans lines; a
//! string ends at its closing quote or its line's end, as the parser reads it.

use serde::Serialize;

use super::complete::{ItemKind, declared};
use super::position::LineIndex;
use super::words::{FUNCTIONS, is_word};
use crate::check::Resolve;
use crate::source::Source;
use crate::syntax::vocabulary::{Role, WORDS, keyword, reserved};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// `# …` to the line's end.
    Comment,
    /// `"…"`.
    String,
    /// `90`, `1.5`, `80%`.
    Number,
    /// `>=`, `*`, `:`, `(`, …
    Operator,
    /// A keyword of the language.
    Keyword,
    /// A word that follows a keyword: `half_up`, `at`, `numbers`.
    Follower,
    /// A built-in name: `A`, `weight`, `权重`.
    Builtin,
    /// A built-in function before its `(`.
    Function,
    /// A key of the form on a test's clause line: `target`, `expect total`.
    Field,
    /// A declared parameter.
    Param,
    /// A declared class.
    Class,
    /// Any other name.
    Name,
}

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Token {
    /// 0-based line.
    pub line: u32,
    /// UTF-16 column of its start.
    pub start: u32,
    /// Its length in UTF-16 units.
    pub length: u32,
    /// What it is.
    pub kind: TokenKind,
}

/// A raw token of one line: byte range in the line, and what the lexer saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lexeme {
    Comment,
    String,
    Number,
    Operator,
    Word,
}

/// The lexemes of one line (without its line break), as byte ranges.
pub(crate) fn lex_line(line: &str) -> Vec<(usize, usize, Lexeme)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end_of = |j: usize, d: char| j + d.len_utf8();
        match c {
            c if c.is_whitespace() || c == '\u{FEFF}' => {}
            '#' => {
                out.push((i, line.len(), Lexeme::Comment));
                break;
            }
            '"' => {
                let mut end = line.len();
                while let Some((j, d)) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            end = end_of(j, d);
                            break;
                        }
                        _ => {}
                    }
                }
                out.push((i, end, Lexeme::String));
            }
            c if c.is_ascii_digit() => {
                let mut end = end_of(i, c);
                let mut dot = false;
                while let Some(&(j, d)) = chars.peek() {
                    let more = d.is_ascii_digit()
                        || (d == '.'
                            && !dot
                            && line[j + 1..].starts_with(|e: char| e.is_ascii_digit()));
                    if !more {
                        break;
                    }
                    dot |= d == '.';
                    end = end_of(j, d);
                    chars.next();
                }
                if let Some(&(j, d @ ('%' | '％'))) = chars.peek() {
                    end = end_of(j, d);
                    chars.next();
                }
                out.push((i, end, Lexeme::Number));
            }
            c if is_word(c) => {
                let mut end = end_of(i, c);
                while let Some(&(j, d)) = chars.peek() {
                    if !is_word(d) {
                        break;
                    }
                    end = end_of(j, d);
                    chars.next();
                }
                out.push((i, end, Lexeme::Word));
            }
            c => {
                let mut end = end_of(i, c);
                if matches!(c, '>' | '<' | '=' | '!') {
                    if let Some(&(j, '=')) = chars.peek() {
                        end = j + 1;
                        chars.next();
                    }
                }
                out.push((i, end, Lexeme::Operator));
            }
        }
    }
    out
}

/// Whether `word` is spelled by a vocabulary entry whose role `pick` accepts.
fn spelled(word: &str, pick: impl Fn(Role) -> bool) -> bool {
    WORDS.iter().any(|w| pick(w.role) && w.is_spelled(word))
}

/// Whether `word` begins a test's clause line: its fields follow.
fn test_clause(word: &str) -> bool {
    ["indicator", "entry", "expect", "budget", "form"]
        .iter()
        .any(|en| keyword(en).is_some_and(|w| w.is_spelled(word)))
}

/// What the word `word` is, as the `index`th word of its line whose first word is
/// `first`, followed by `next` (its next non-space character).
fn word_kind(
    word: &str,
    index: usize,
    first: &str,
    next: Option<char>,
    names: &[(String, ItemKind, String)],
) -> TokenKind {
    if next == Some('(') && FUNCTIONS.iter().any(|f| f.name == word) {
        return TokenKind::Function;
    }
    if index > 0
        && test_clause(first)
        && spelled(word, |r| {
            matches!(r, Role::TestField | Role::BudgetField | Role::Expect)
        })
    {
        return TokenKind::Field;
    }
    if reserved(word).is_some() || (index == 0 && spelled(word, Role::is_keyword)) {
        return TokenKind::Keyword;
    }
    if let Some((_, kind, _)) = names.iter().find(|(n, ..)| n == word) {
        return match kind {
            ItemKind::Class => TokenKind::Class,
            _ => TokenKind::Param,
        };
    }
    if spelled(word, |r| r == Role::Builtin) {
        return TokenKind::Builtin;
    }
    if spelled(word, |r| {
        matches!(
            r,
            Role::Joiner
                | Role::RoundMode(_)
                | Role::RoundLevel(_)
                | Role::AggTarget(_)
                | Role::AggMethod(_)
                | Role::ClassKind(_)
                | Role::OptionalAction(_)
                | Role::FactType(_)
        )
    }) || WORDS.iter().any(|w| {
        // The parts of a follower of several words: `mean by fund`, `折算 目标`.
        w.en.split(' ').count() > 1 && w.en.split(' ').any(|p| p == word)
    }) {
        return TokenKind::Follower;
    }
    TokenKind::Name
}

/// The tokens of `source`, in order.
#[must_use]
pub fn tokens(source: &Source, resolver: &dyn Resolve) -> Vec<Token> {
    let names = declared(source, resolver);
    let text = source.text();
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let lexemes = lex_line(line);
        let first = lexemes
            .iter()
            .find(|l| l.2 == Lexeme::Word)
            .map_or("", |&(s, e, _)| &line[s..e]);
        let mut words = 0;
        for &(s, e, lexeme) in &lexemes {
            let kind = match lexeme {
                Lexeme::Comment => TokenKind::Comment,
                Lexeme::String => TokenKind::String,
                Lexeme::Number => TokenKind::Number,
                Lexeme::Operator => TokenKind::Operator,
                Lexeme::Word => {
                    let next = line[e..].trim_start().chars().next();
                    words += 1;
                    word_kind(&line[s..e], words - 1, first, next, &names)
                }
            };
            let start = index.position(line_start + s);
            let end = index.position(line_start + e);
            out.push(Token {
                line: start.line,
                start: start.character,
                length: end.character - start.character,
                kind,
            });
        }
        line_start += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Bundled;

    fn kinds(text: &str) -> Vec<(String, TokenKind)> {
        let source = Source::new("t.rules", text);
        let lines: Vec<&str> = text.split('\n').collect();
        tokens(&source, &Bundled)
            .into_iter()
            .map(|t| {
                let line: Vec<u16> = lines[t.line as usize].encode_utf16().collect();
                let word = &line[t.start as usize..(t.start + t.length) as usize];
                (String::from_utf16_lossy(word), t.kind)
            })
            .collect()
    }

    #[test]
    fn each_word_by_its_place() {
        use TokenKind::*;
        let k = kinds(
            "参数 满分 = 10 # 注\n类别 甲 \"标题\" 适用 数值:\n    得分 min(权重, 满分 * 80%)\n    分值\n",
        );
        let expected: Vec<(&str, TokenKind)> = vec![
            ("参数", Keyword),
            ("满分", Param),
            ("=", Operator),
            ("10", Number),
            ("# 注", Comment),
            ("类别", Keyword),
            ("甲", Class),
            ("\"标题\"", String),
            ("适用", Keyword),
            ("数值", Follower),
            (":", Operator),
            ("得分", Keyword),
            ("min", Function),
            ("(", Operator),
            ("权重", Builtin),
            (",", Operator),
            ("满分", Param),
            ("*", Operator),
            ("80%", Number),
            (")", Operator),
            ("分值", Keyword),
        ];
        let expected: Vec<(std::string::String, TokenKind)> = expected
            .into_iter()
            .map(|(w, k)| (w.to_owned(), k))
            .collect();
        assert_eq!(k, expected);
    }

    #[test]
    fn test_lines_have_fields_and_strings_end_at_the_line() {
        use TokenKind::*;
        let k = kinds("test \"t\":\n    indicator target \"1个\" weight 2 expect 2\n\"open");
        let words: Vec<(&str, TokenKind)> = k.iter().map(|(w, k)| (w.as_str(), *k)).collect();
        assert_eq!(
            words,
            [
                ("test", Keyword),
                ("\"t\"", String),
                (":", Operator),
                ("indicator", Keyword),
                ("target", Field),
                ("\"1个\"", String),
                ("weight", Field),
                ("2", Number),
                ("expect", Keyword),
                ("2", Number),
                ("\"open", String),
            ]
        );
    }
}
