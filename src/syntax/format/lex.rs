//! The lexical scan of a rule file for the formatter: its comments (with the blank lines
//! around them), where the code is, and which keyword set most of its keywords are in.
//!
//! Input: the text (lone CRs already made line feeds). Output: a [`Lexed`]. Invariants:
//! a `#` inside a string is not a comment; the code runs are maximal, in order, and
//! never overlap a comment.

use crate::source::Span;
use crate::syntax::vocabulary;

/// A `#` comment of the source.
#[derive(Debug, Clone)]
pub(super) struct Comment {
    /// Byte offset of its `#`.
    pub(super) start: usize,
    /// From `#` to the end of the line, trailing whitespace removed.
    pub(super) text: String,
    /// Alone on its line (only whitespace before it).
    pub(super) own_line: bool,
    /// The line before it is blank.
    pub(super) blank_before: bool,
    /// The line after it is blank.
    pub(super) blank_after: bool,
}

/// What a lexical scan of the source finds.
pub(super) struct Lexed {
    pub(super) comments: Vec<Comment>,
    /// Maximal runs of code (neither whitespace nor comment), in order: byte ranges.
    code: Vec<(usize, usize)>,
    /// Whether the file's keywords are mostly Chinese.
    pub(super) mostly_zh: bool,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Lexed {
    pub(super) fn scan(text: &str) -> Lexed {
        let mut comments = Vec::new();
        let mut code: Vec<(usize, usize)> = Vec::new();
        let mut mark = |from: usize, to: usize| match code.last_mut() {
            Some(last) if last.1 == from => last.1 = to,
            _ => code.push((from, to)),
        };
        let (mut en, mut zh) = (0usize, 0usize);
        let mut first_zh: Option<bool> = None;
        let mut line_has_code = false;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\n' => line_has_code = false,
                c if is_space(c) => {}
                '#' => {
                    let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                    while chars.peek().is_some_and(|&(j, _)| j < end) {
                        chars.next();
                    }
                    comments.push(Comment {
                        start: i,
                        text: text[i..end].trim_end().to_owned(),
                        own_line: !line_has_code,
                        blank_before: line_before_is_blank(text, i),
                        blank_after: line_after_is_blank(text, end),
                    });
                }
                '"' => {
                    let mut end = i + 1;
                    while let Some((j, d)) = chars.next() {
                        end = j + d.len_utf8();
                        match d {
                            '\\' => {
                                if let Some((k, e)) = chars.next() {
                                    end = k + e.len_utf8();
                                }
                            }
                            '"' | '\n' => break,
                            _ => {}
                        }
                    }
                    mark(i, end);
                    line_has_code = true;
                }
                c if is_word(c) => {
                    let mut end = i + c.len_utf8();
                    while let Some(&(j, d)) = chars.peek() {
                        if !is_word(d) {
                            break;
                        }
                        end = j + d.len_utf8();
                        chars.next();
                    }
                    let word = &text[i..end];
                    // A reserved word tells the language: a name never is one.
                    if let Some(w) = vocabulary::reserved(word) {
                        let chinese = w.en != word;
                        *(if chinese { &mut zh } else { &mut en }) += 1;
                        first_zh.get_or_insert(chinese);
                    }
                    mark(i, end);
                    line_has_code = true;
                }
                c => {
                    mark(i, i + c.len_utf8());
                    line_has_code = true;
                }
            }
        }
        Lexed {
            comments,
            code,
            mostly_zh: zh > en || (zh == en && first_zh == Some(true)),
        }
    }

    /// The end of the last code within `span`: a span without the whitespace and
    /// comments the parser lets trail it.
    pub(super) fn code_end(&self, span: Span) -> usize {
        let i = self.code.partition_point(|&(s, _)| s < span.end);
        match i.checked_sub(1).map(|i| self.code[i]) {
            Some((_, e)) => e.min(span.end).max(span.start),
            None => span.start,
        }
    }

    /// The start of the first code at or after `pos`.
    pub(super) fn next_code(&self, pos: usize) -> usize {
        let i = self.code.partition_point(|&(_, e)| e <= pos);
        self.code.get(i).map_or(pos, |&(s, _)| s.max(pos))
    }

    /// The end of the first `:` or `：` in the code at or after `pos`; `pos` if none.
    pub(super) fn colon_after(&self, text: &str, pos: usize) -> usize {
        let i = self.code.partition_point(|&(_, e)| e <= pos);
        for &(s, e) in &self.code[i..] {
            let from = s.max(pos);
            if let Some((j, c)) = text[from..e]
                .char_indices()
                .find(|&(_, c)| c == ':' || c == '：')
            {
                return from + j + c.len_utf8();
            }
        }
        pos
    }
}

fn line_before_is_blank(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    if line_start == 0 {
        return false;
    }
    let before = &text[..line_start - 1];
    let prev_start = before.rfind('\n').map_or(0, |n| n + 1);
    before[prev_start..].chars().all(is_space)
}

fn line_after_is_blank(text: &str, line_end: usize) -> bool {
    let Some(rest) = text.get(line_end + 1..) else {
        return false;
    };
    match rest.find('\n') {
        Some(n) => rest[..n].chars().all(is_space),
        None => false,
    }
}
