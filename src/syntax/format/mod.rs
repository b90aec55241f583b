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
//! Keywords ([`Keywords`]): `En` and `Zh` write every keyword, fixed word and built-in
//! name (`weight` ↔ `权重`) in one language; parameter, class, band and grade names are
//! never translated. `Keep` writes the keywords in the language most of the file's
//! keywords are in (the header's on a tie) and leaves built-in names as written. Chinese
//! output uses the full-width `：` and, between grades, `，` (the grammar reads both), and
//! `位` after the number of places: `保留 2 位 四舍五入 于 指标`.

use std::collections::HashSet;
use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use super::ast::{
    AggMethod, AggTarget, Band, Budget, Class, ClassKind, Clause, Expr, File, Grades, GuardResult,
    Item, Optional, OptionalAction, RoundLevel, RoundMode, Rounding, Str, TestBlock, TestClause,
    TestValue,
};
use super::keywords::{BUILTIN_NAMES, KEYWORDS, WORDS};
use super::print::{Rename, Style, Styled, write_string};
use super::{ParseError, parse};
use crate::source::{Source, Span};

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
        BUILTIN_NAMES
            .iter()
            .find(|(en, cn)| *en == name || *cn == name)
            .map(|(en, cn)| if zh { *cn } else { *en })
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

// ---------------------------------------------------------------------------
// The lexical scan: comments, where the code is, and which keyword set dominates.

/// A `#` comment of the source.
#[derive(Debug, Clone)]
struct Comment {
    /// Byte offset of its `#`.
    start: usize,
    /// From `#` to the end of the line, trailing whitespace removed.
    text: String,
    /// Alone on its line (only whitespace before it).
    own_line: bool,
    /// The line before it is blank.
    blank_before: bool,
    /// The line after it is blank.
    blank_after: bool,
}

/// What a lexical scan of the source finds.
struct Lexed {
    comments: Vec<Comment>,
    /// Maximal runs of code (neither whitespace nor comment), in order: byte ranges.
    code: Vec<(usize, usize)>,
    /// Whether the file's keywords are mostly Chinese.
    mostly_zh: bool,
}

/// The reserved keywords (the grammar's `keyword` rule), for telling which set a file
/// is written in.
const RESERVED: &[(&str, &str)] = &[
    ("rules", "规则"),
    ("extends", "继承"),
    ("param", "参数"),
    ("round", "保留"),
    ("budget", "预算"),
    ("score", "得分"),
    ("cap", "封顶"),
    ("if", "如果"),
    ("then", "则"),
    ("else", "否则"),
    ("error", "报错"),
    ("aggregate", "汇总"),
    ("class", "类别"),
    ("for", "适用"),
    ("when", "当"),
    ("band", "档位"),
    ("default", "默认"),
    ("optional", "可选"),
    ("none", "无"),
    ("grade", "等级"),
    ("scale", "缩放"),
    ("step", "分档"),
    ("and", "且"),
    ("or", "或"),
    ("not", "非"),
    ("in", "属于"),
    ("test", "测试"),
    ("expect", "期望"),
];

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Lexed {
    fn scan(text: &str) -> Lexed {
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
                    if RESERVED.iter().any(|(e, _)| *e == word) {
                        en += 1;
                        first_zh.get_or_insert(false);
                    } else if RESERVED.iter().any(|(_, z)| *z == word) {
                        zh += 1;
                        first_zh.get_or_insert(true);
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
    fn code_end(&self, span: Span) -> usize {
        let i = self.code.partition_point(|&(s, _)| s < span.end);
        match i.checked_sub(1).map(|i| self.code[i]) {
            Some((_, e)) => e.min(span.end).max(span.start),
            None => span.start,
        }
    }

    /// The start of the first code at or after `pos`.
    fn next_code(&self, pos: usize) -> usize {
        let i = self.code.partition_point(|&(_, e)| e <= pos);
        self.code.get(i).map_or(pos, |&(s, _)| s.max(pos))
    }

    /// The end of the first `:` or `：` in the code at or after `pos`; `pos` if none.
    fn colon_after(&self, text: &str, pos: usize) -> usize {
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

// ---------------------------------------------------------------------------
// Printing the AST as lines.

/// One printed line and the source it stands for.
#[derive(Debug)]
struct Line {
    indent: usize,
    text: String,
    /// The source code this line prints: from its first byte to the end of its code.
    start: usize,
    end: usize,
    /// A blank line goes before it (between items).
    blank_before: bool,
}

/// Test-block words that the keyword tables do not hold: (English, Chinese).
const TEST_WORDS: &[(&str, &str)] = &[
    // indicator fields
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("target", "目标值"),
    ("actual", "实际值"),
    ("weight", "权重"),
    ("reported", "自评得分"),
    ("direction", "方向"),
    ("tier", "档次"),
    ("rate", "得分率"),
    // budget fields
    ("planned", "预算数"),
    ("executed", "执行数"),
];

/// How wide (in display columns) a test's indicator line may grow before its `expect`
/// goes on a line of its own.
const WIDTH: usize = 100;

/// What `expect` checks: (English, Chinese).
const EXPECT_WORDS: &[(&str, &str)] = &[
    ("total", "总分"),
    ("grade", "等级"),
    ("budget", "预算"),
    ("goal", "目标"),
    ("error", "错误"),
];

struct Printer<'a> {
    text: &'a str,
    lexed: &'a Lexed,
    style: Style<'a>,
    lines: Vec<Line>,
}

impl Printer<'_> {
    fn zh(&self) -> bool {
        self.style.zh
    }

    /// A keyword or fixed word in the output's language.
    fn kw(&self, en: &'static str) -> &'static str {
        if !self.zh() {
            return en;
        }
        KEYWORDS
            .iter()
            .chain(WORDS)
            .find(|(e, _)| *e == en)
            .map_or(en, |(_, zh)| zh)
    }

    /// A word of a test clause in the output's language; unknown words as given.
    fn test_word<'w>(&self, table: &[(&'static str, &'static str)], en: &'w str) -> &'w str {
        if !self.zh() {
            return en;
        }
        table
            .iter()
            .find(|(e, _)| *e == en)
            .map_or(en, |(_, zh)| zh)
    }

    /// The end of the word starting at `pos`.
    fn word_end(&self, pos: usize) -> usize {
        let rest = &self.text[pos..];
        pos + rest.find(|c: char| !is_word(c)).unwrap_or(rest.len())
    }

    /// `:` then a space before what follows on the line (`：` alone in Chinese).
    fn colon_sep(&self) -> &'static str {
        if self.zh() { "：" } else { ": " }
    }

    /// `:` ending a line.
    fn colon_end(&self) -> &'static str {
        if self.zh() { "：" } else { ":" }
    }

    fn expr(&self, e: &Expr) -> String {
        Styled(e, self.style).to_string()
    }

    fn string(s: &str) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = write_string(&mut out, s);
        out
    }

    /// A band or grade name: as a string if it was written as one, else as the name.
    fn name(&self, s: &Str) -> String {
        if self.text[s.span.start..].starts_with('"') {
            Self::string(&s.value)
        } else {
            s.value.clone()
        }
    }

    fn test_value(&self, v: &TestValue) -> String {
        if !v.number && self.text[v.span.start..].starts_with('"') {
            Self::string(&v.text)
        } else {
            v.text.clone()
        }
    }

    fn push(&mut self, indent: usize, text: String, start: usize, end: usize, blank: bool) {
        self.lines.push(Line {
            indent,
            text,
            start,
            end: end.max(start),
            blank_before: blank,
        });
    }

    /// A one-line item or clause printing `span`.
    fn push_span(&mut self, indent: usize, text: String, span: Span, blank: bool) {
        let end = self.lexed.code_end(span);
        self.push(indent, text, span.start, end, blank);
    }

    fn file(mut self, file: &File) -> Vec<Line> {
        let h = &file.header;
        let mut first = format!("{} {}", self.kw("rules"), Self::string(&h.id.value));
        let mut end = h.id.span.end;
        if let Some(t) = &h.title {
            first.push(' ');
            first.push_str(&Self::string(&t.value));
            end = t.span.end;
        }
        self.push(0, first, h.span.start, end, false);
        if let Some(x) = &h.extends {
            let start = self.lexed.next_code(end);
            let text = format!("{} {}", self.kw("extends"), Self::string(&x.value));
            self.push(0, text, start, x.span.end, false);
        }
        let mut previous: Option<&Item> = None;
        for item in &file.items {
            let together = matches!(
                (previous, item),
                (Some(Item::Param(_)), Item::Param(_))
                    | (Some(Item::Aggregate(_)), Item::Aggregate(_))
            );
            self.item(item, !together);
            previous = Some(item);
        }
        self.lines
    }

    fn item(&mut self, item: &Item, blank: bool) {
        match item {
            Item::Param(p) => {
                let text = format!(
                    "{} {} = {}",
                    self.kw("param"),
                    p.name.name,
                    self.expr(&p.value)
                );
                self.push_span(0, text, p.span, blank);
            }
            Item::Rounding(r) => self.rounding(r, blank),
            Item::Budget(b) => self.budget(b, blank),
            Item::Aggregate(a) => {
                let target = match a.target {
                    AggTarget::Number => "number",
                    AggTarget::Percent => "percent",
                    AggTarget::Rate => "rate",
                };
                let method = match a.method {
                    AggMethod::Sum => "sum",
                    AggMethod::Mean => "mean",
                    AggMethod::MeanByFund => "mean by fund",
                };
                let text = format!(
                    "{} {}{}{}",
                    self.kw("aggregate"),
                    self.kw(target),
                    self.colon_sep(),
                    self.kw(method)
                );
                self.push_span(0, text, a.span, blank);
            }
            Item::Class(c) => self.class(c, blank),
            Item::Optional(o) => self.optional(o, blank),
            Item::Grades(g) => self.grades(g, blank),
            Item::Scale(s) => {
                let text = format!("{} {}", self.kw("scale goals to"), self.expr(&s.total));
                self.push_span(0, text, s.span, blank);
            }
            Item::Test(t) => self.test(t, blank),
        }
    }

    fn rounding(&mut self, r: &Rounding, blank: bool) {
        let mode = match r.mode {
            RoundMode::HalfUp => "half_up",
            RoundMode::HalfEven => "half_even",
            RoundMode::Down => "down",
            RoundMode::Up => "up",
        };
        let level = match r.level {
            RoundLevel::Indicator => "indicator",
            RoundLevel::Goal => "goal",
            RoundLevel::Total => "total",
        };
        let text = format!(
            "{} {}{} {} {} {}",
            self.kw("round"),
            r.places,
            if self.zh() { " 位" } else { "" },
            self.kw(mode),
            self.kw("at"),
            self.kw(level)
        );
        self.push_span(0, text, r.span, blank);
    }

    fn budget(&mut self, b: &Budget, blank: bool) {
        let text = format!("{}{}", self.kw("budget"), self.colon_end());
        let end = self.lexed.colon_after(self.text, b.keyword.end);
        self.push(0, text, b.span.start, end, blank);
        self.clauses(&b.clauses);
    }

    fn class(&mut self, c: &Class, blank: bool) {
        let mut text = format!("{} {}", self.kw("class"), c.name.name);
        let mut end = c.name.span.end.max(c.head.end);
        if let Some(t) = &c.title {
            text.push(' ');
            text.push_str(&Self::string(&t.value));
            end = end.max(t.span.end);
        }
        if let Some(k) = c.kind {
            let kind = match k {
                ClassKind::Numbers => "numbers",
                ClassKind::Text => "text",
            };
            let _ = write!(text, " {} {}", self.kw("for"), self.kw(kind));
        }
        if let Some(w) = &c.when {
            let _ = write!(text, " {} {}", self.kw("when"), self.expr(w));
        }
        text.push_str(self.colon_end());
        let end = self.lexed.colon_after(self.text, end);
        self.push(0, text, c.span.start, end, blank);
        self.clauses(&c.clauses);
    }

    fn clauses(&mut self, clauses: &[Clause]) {
        let bands: Vec<&Band> = clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Band(b) => Some(&**b),
                _ => None,
            })
            .collect();
        let table = self.band_table(&bands);
        let mut band_rows = table.into_iter();
        for clause in clauses {
            let (text, span) = match clause {
                Clause::Weight(e, span) => {
                    (format!("{} {}", self.kw("weight"), self.expr(e)), *span)
                }
                Clause::Score(e, span) => (format!("{} {}", self.kw("score"), self.expr(e)), *span),
                Clause::Cap(e, span) => (format!("{} {}", self.kw("cap"), self.expr(e)), *span),
                Clause::Guard(g) => {
                    let result = match &g.result {
                        GuardResult::Value(v) => self.expr(v),
                        GuardResult::Fail(m) => {
                            format!("{} {}", self.kw("error"), Self::string(&m.value))
                        }
                    };
                    let text = format!(
                        "{} {}{}{result}",
                        self.kw("if"),
                        self.expr(&g.cond),
                        self.colon_sep()
                    );
                    (text, g.span)
                }
                Clause::Band(b) => (band_rows.next().unwrap_or_default(), b.span),
            };
            self.push_span(4, text, span, false);
        }
    }

    /// The band lines of one class, aligned as a table.
    fn band_table(&self, bands: &[&Band]) -> Vec<String> {
        let rows: Vec<[String; 4]> = bands
            .iter()
            .map(|b| {
                let range = format!(
                    "{}{}, {}{}",
                    if b.lo.inclusive { "[" } else { "(" },
                    self.expr(&b.lo.value),
                    self.expr(&b.hi.value),
                    if b.hi.inclusive { "]" } else { ")" }
                );
                let default = b
                    .default
                    .as_ref()
                    .map(|d| format!("{} {}", self.kw("default"), self.expr(d)))
                    .unwrap_or_default();
                let when = b
                    .when
                    .as_ref()
                    .map(|w| format!("{} {}", self.kw("when"), self.expr(w)))
                    .unwrap_or_default();
                [self.name(&b.name), range, default, when]
            })
            .collect();
        let mut widths = [0usize; 4];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        rows.iter()
            .map(|row| {
                let last = row.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
                let mut line = self.kw("band").to_owned();
                for (k, cell) in row.iter().enumerate().take(last + 1) {
                    if widths[k] == 0 {
                        continue;
                    }
                    line.push_str(if k <= 1 { " " } else { "  " });
                    line.push_str(cell);
                    if k < last {
                        line.push_str(&" ".repeat(widths[k] - cell.width()));
                    }
                }
                line
            })
            .collect()
    }

    fn optional(&mut self, o: &Optional, blank: bool) {
        let text = match &o.rule {
            None => format!("{} {}", self.kw("optional"), self.kw("none")),
            Some((when, action)) => {
                let action = match action {
                    OptionalAction::RescaleGoal => self.kw("rescale goal"),
                    OptionalAction::Drop => self.kw("drop"),
                };
                format!(
                    "{} {} {}{}{action}",
                    self.kw("optional"),
                    self.kw("when"),
                    self.expr(when),
                    self.colon_sep()
                )
            }
        };
        self.push_span(0, text, o.span, blank);
    }

    fn grades(&mut self, g: &Grades, blank: bool) {
        let sep = if self.zh() { "，" } else { ", " };
        let bands: Vec<String> = g
            .bands
            .iter()
            .map(|b| match &b.threshold {
                Some((inclusive, e)) => format!(
                    "{} {} {}",
                    self.name(&b.name),
                    if *inclusive { ">=" } else { ">" },
                    self.expr(e)
                ),
                None => self.name(&b.name),
            })
            .collect();
        let text = format!("{} {}", self.kw("grade"), bands.join(sep));
        self.push_span(0, text, g.span, blank);
    }

    fn fields(&self, fields: &[(String, TestValue)]) -> String {
        fields
            .iter()
            .map(|(k, v)| format!(" {} {}", self.test_word(TEST_WORDS, k), self.test_value(v)))
            .collect()
    }

    fn test(&mut self, t: &TestBlock, blank: bool) {
        let text = format!(
            "{} {}{}",
            self.kw("test"),
            Self::string(&t.name.value),
            self.colon_end()
        );
        let end = self.lexed.colon_after(self.text, t.name.span.end);
        self.push(0, text, t.span.start, end, blank);
        for clause in &t.clauses {
            match clause {
                TestClause::Indicator {
                    fields,
                    entries,
                    expect,
                    span,
                } => self.test_indicator(fields, entries, expect.as_ref(), *span),
                TestClause::Budget { fields, span } => {
                    let text = format!("{}{}", self.kw("budget"), self.fields(fields));
                    self.push_span(4, text, *span, false);
                }
                TestClause::Form(path) => {
                    let text = format!("{} {}", self.kw("form"), Self::string(&path.value));
                    let start = self.next_start();
                    self.push(4, text, start, path.span.end, false);
                }
                TestClause::Expect { what, value, span } => {
                    let text = format!(
                        "{} {} {}",
                        self.kw("expect"),
                        self.test_word(EXPECT_WORDS, what),
                        self.test_value(value)
                    );
                    self.push_span(4, text, *span, false);
                }
            }
        }
    }

    /// Where the code after the last line starts.
    fn next_start(&self) -> usize {
        self.lexed.next_code(self.lines.last().map_or(0, |l| l.end))
    }

    /// `indicator FIELDS` then each `entry FIELDS` on a line of its own, indented
    /// further; `expect SCORE` at the end of the indicator's line when it has no entries
    /// and the line stays within [`WIDTH`], else on a line of its own too.
    fn test_indicator(
        &mut self,
        fields: &[(String, TestValue)],
        entries: &[Vec<(String, TestValue)>],
        expect: Option<&TestValue>,
        span: Span,
    ) {
        let end = self.lexed.code_end(span);
        let mut head = format!("{}{}", self.kw("indicator"), self.fields(fields));
        let expect = expect.map(|v| format!("{} {}", self.kw("expect"), self.test_value(v)));
        if let Some(e) = &expect {
            if entries.is_empty() && 4 + head.width() + 1 + e.width() <= WIDTH {
                head.push(' ');
                head.push_str(e);
                self.push(4, head, span.start, end, false);
                return;
            }
        }
        let head_end = fields
            .last()
            .map_or_else(|| self.word_end(span.start), |(_, v)| v.span.end);
        self.push(4, head, span.start, head_end, false);
        for entry in entries {
            let text = format!("{}{}", self.kw("entry"), self.fields(entry));
            let start = self.next_start();
            let entry_end = entry.last().map_or(start, |(_, v)| v.span.end);
            self.push(8, text, start, entry_end, false);
        }
        if let Some(e) = expect {
            let start = self.next_start();
            self.push(8, e, start, end, false);
        }
        if let Some(last) = self.lines.last_mut() {
            last.end = last.end.max(end);
        }
    }
}

// ---------------------------------------------------------------------------
// Laying out lines and comments.

fn layout(lines: &[Line], comments: &[Comment]) -> String {
    // Own-line comments (and trailing ones that must move) before each line; a trailing
    // comment after each; the rest at the end of the file.
    let mut before: Vec<Vec<&Comment>> = vec![Vec::new(); lines.len()];
    let mut after: Vec<Vec<&Comment>> = vec![Vec::new(); lines.len()];
    let mut tail: Vec<&Comment> = Vec::new();
    for c in comments {
        if c.own_line {
            match lines.iter().position(|l| l.end > c.start) {
                Some(i) => before[i].push(c),
                None => tail.push(c),
            }
        } else {
            let i = lines.iter().rposition(|l| l.start <= c.start).unwrap_or(0);
            after[i].push(c);
        }
    }
    let mut out: Vec<String> = Vec::new();
    let blank = |out: &mut Vec<String>| {
        if out.last().is_some_and(|l| !l.is_empty()) {
            out.push(String::new());
        }
    };
    for (i, line) in lines.iter().enumerate() {
        let trailing = after[i].pop();
        // Trailing comments beyond the last join the line's own-line ones, without the
        // blank lines that belong to lines of their own.
        let mut group: Vec<(&Comment, bool, bool)> = before[i]
            .iter()
            .map(|c| (*c, c.blank_before, c.blank_after))
            .chain(after[i].iter().map(|c| (*c, false, false)))
            .collect();
        group.sort_by_key(|(c, ..)| c.start);
        let pad = " ".repeat(line.indent);
        for (k, (c, blank_before, _)) in group.iter().enumerate() {
            if *blank_before || (k == 0 && line.blank_before) {
                blank(&mut out);
            }
            out.push(format!("{pad}{}", c.text));
        }
        match group.last() {
            Some((.., blank_after)) => {
                if *blank_after {
                    blank(&mut out);
                }
            }
            None => {
                if line.blank_before {
                    blank(&mut out);
                }
            }
        }
        let mut text = format!("{pad}{}", line.text);
        if let Some(c) = trailing {
            text.push_str("  ");
            text.push_str(&c.text);
        }
        out.push(text);
    }
    for c in tail {
        if c.blank_before {
            blank(&mut out);
        }
        out.push(c.text.clone());
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::{Keywords, format};
    use crate::source::Source;

    fn fmt_with(text: &str, keywords: Keywords) -> String {
        let out = format(&Source::new("t.rules", text), keywords)
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        // Every output is a fixed point and parses to what the input did.
        let again = format(&Source::new("t.rules", out.clone()), keywords)
            .unwrap_or_else(|e| panic!("the output does not parse: {e:?}\n{out}"));
        assert_eq!(again, out, "not idempotent");
        if keywords == Keywords::Keep {
            assert_eq!(ast(&out), ast(text), "the meaning changed:\n{out}");
        }
        out
    }

    fn fmt(text: &str) -> String {
        fmt_with(text, Keywords::Keep)
    }

    /// The AST without its spans.
    fn ast(text: &str) -> String {
        let file =
            crate::syntax::parse(&Source::new("t.rules", text)).unwrap_or_else(|e| panic!("{e:?}"));
        let debug = format!("{file:?}");
        let mut out = String::new();
        let mut rest = debug.as_str();
        while let Some(i) = rest.find("Span { start: ") {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            rest = &rest[rest.find('}').map_or(rest.len(), |j| j + 1)..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn the_bundled_rules_are_already_canonical() {
        for text in [
            include_str!("../../../rules/hubei-2021.rules"),
            include_str!("../../../rules/central-project.rules"),
            include_str!("../../../rules/stepwise-example.rules"),
        ] {
            assert_eq!(fmt(text), text);
        }
    }

    #[test]
    fn a_messy_file_gets_the_canonical_layout() {
        let messy = "rules   \"t\"\n  \"标题\"   extends \"hubei-2021\"\n\
            param a=1\nparam   b = a*(2+3)\nround 2 half_up   at indicator\n\
            budget :  weight 20 score weight*B/A\n  cap weight if A==0 : error \"零\\\"引号\\\"\"\n\
            aggregate number : sum aggregate percent: mean by fund\n\
            class q \"定性\" for text when B==A or tier==\"达成\" :\n\
            band 达成 [80%,100%] default 100% when B == A\n band \"部分 达成\" [50%, 80%)\n\
            \t band 未达成 [0%,50%)\nscore weight*rate\n\
            optional when level1==\"满意度指标\":rescale goal\n\
            grade 优>=90,良>80,差\n\n\n";
        // Band names padded to the widest, "部分 达成" in quotes: 11 columns (4 + 1 + 4 + 2).
        let expected = "\
rules \"t\" \"标题\"
extends \"hubei-2021\"

param a = 1
param b = a * (2 + 3)

round 2 half_up at indicator

budget:
    weight 20
    score weight * B / A
    cap weight
    if A == 0: error \"零\\\"引号\\\"\"

aggregate number: sum
aggregate percent: mean by fund

class q \"定性\" for text when B == A or tier == \"达成\":
    band 达成        [80%, 100%]  default 100%  when B == A
    band \"部分 达成\" [50%, 80%)
    band 未达成      [0%, 50%)
    score weight * rate

optional when level1 == \"满意度指标\": rescale goal

grade 优 >= 90, 良 > 80, 差
";
        assert_eq!(fmt(messy), expected);
    }

    #[test]
    fn the_default_and_when_columns_align_too() {
        let text = "rules \"t\"\nclass q for text:\n\
            band a [0, 0.5) default 0.25\nband bbb [0.5, 1] default 1 when B == A\n";
        let expected = "rules \"t\"\n\nclass q for text:\n\
            \x20   band a   [0, 0.5)  default 0.25\n\
            \x20   band bbb [0.5, 1]  default 1     when B == A\n";
        assert_eq!(fmt(text), expected);
    }

    #[test]
    fn numbers_stay_as_written_and_parentheses_are_minimal() {
        let text = "rules \"t\"\nparam x = ((0.50 + 80%)) * (1.0 - (2 - 3)) - -(4 + 5)\n\
            param y = (if 1 > 2 then 3 else 4) + min(1, if 1 > 2 then 3 else 4)\n\
            param z = step(x, >= 90%: 100%, else 0)\n\
            optional when not (level1 == \"a\" and (direction == \"\" or op in [\">=\", \">\"])): drop\n";
        let expected = "rules \"t\"\n\n\
            param x = (0.50 + 80%) * (1.0 - (2 - 3)) - -(4 + 5)\n\
            param y = (if 1 > 2 then 3 else 4) + min(1, if 1 > 2 then 3 else 4)\n\
            param z = step(x, >= 90%: 100%, else: 0)\n\n\
            optional when not (level1 == \"a\" and (direction == \"\" or op in [\">=\", \">\"])): drop\n";
        assert_eq!(fmt(text), expected);
    }

    #[test]
    fn own_line_comments_go_before_what_follows_them_with_their_blank_lines() {
        let text = "# file\n\n\nrules \"t\" # the header\n# before a\nparam a = 1\n\n\
            # before b, after a blank line\nparam b = 2\nbudget:\n  weight 1\n\n\
            \x20 # about the score\n\n\n  score B /\n  # inside the score\n  A\n\
            # the end\n\n# really\n";
        let expected = "# file\n\nrules \"t\"  # the header\n\n# before a\nparam a = 1\n\n\
            # before b, after a blank line\nparam b = 2\n\nbudget:\n    weight 1\n\n\
            \x20   # about the score\n    # inside the score\n    score B / A\n\
            # the end\n\n# really\n";
        assert_eq!(fmt(text), expected);
    }

    #[test]
    fn trailing_comments_stay_on_their_line_and_extra_ones_move_above_it() {
        let text =
            "rules \"t\"\ngrade 优 >= 90,   # top\n      良 >= 80,   # good\n      差   # rest\n";
        let expected = "rules \"t\"\n\n# top\n# good\ngrade 优 >= 90, 良 >= 80, 差  # rest\n";
        assert_eq!(fmt(text), expected);
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let text = "rules \"t # 1\" \"a \\\" # b\"  # c \"d\n";
        assert_eq!(fmt(text), "rules \"t # 1\" \"a \\\" # b\"  # c \"d\n");
    }

    #[test]
    fn keep_writes_the_keywords_most_of_the_file_uses() {
        // Two English keywords against one Chinese: English.
        assert_eq!(
            fmt("规则 \"t\"\nparam a = 1\nparam b = 2\n"),
            "rules \"t\"\n\nparam a = 1\nparam b = 2\n"
        );
        // One each: the header's language.
        assert_eq!(
            fmt("规则 \"t\"\nparam a = 1\n"),
            "规则 \"t\"\n\n参数 a = 1\n"
        );
        // Built-in names stay as written under Keep.
        assert_eq!(
            fmt("rules \"t\"\nbudget: weight 1 score 权重 * B / A cap weight\n"),
            "rules \"t\"\n\nbudget:\n    weight 1\n    score 权重 * B / A\n    cap weight\n"
        );
    }

    #[test]
    fn chinese_keywords_with_full_width_punctuation() {
        let text = "rules \"t\"\nround 2 half_even at goal\naggregate rate: mean by fund\n\
            budget: weight 1 score if true then weight else 0\n\
            class negative \"反向\" for numbers when op in [\"<=\"] and not direction == \"\":\n\
            score step(B / A, >= 1: weight, else: 0) if A == 0: error \"x\"\n\
            optional none\nscale goals to 100 - 1\ngrade 优 >= 90, 差\n";
        let expected = "规则 \"t\"\n\n保留 2 位 银行家舍入 于 目标\n\n汇总 得分率：按资金加权\n\n\
            预算：\n    分值 1\n    得分 如果 真 则 权重 否则 0\n\n\
            类别 negative \"反向\" 适用 数值 当 比较符 属于 [\"<=\"] 且 非 方向 == \"\"：\n\
            \x20   得分 分档(B / A, >= 1: 权重, 否则: 0)\n    如果 A == 0：报错 \"x\"\n\n\
            可选 无\n\n缩放 目标 至 100 - 1\n\n等级 优 >= 90，差\n";
        let zh = fmt_with(text, Keywords::Zh);
        assert_eq!(zh, expected);
        assert_eq!(fmt_with(&zh, Keywords::En), fmt(text));
    }

    #[test]
    fn parameter_names_are_never_translated() {
        // `权重` is declared as a parameter here, so `weight` is not renamed into it,
        // and the parameter keeps its name.
        let text = "rules \"t\"\nparam 权重 = 2\nbudget: weight 权重 score weight * B / A\n";
        assert_eq!(
            fmt_with(text, Keywords::Zh),
            "规则 \"t\"\n\n参数 权重 = 2\n\n预算：\n    分值 权重\n    得分 weight * B / A\n"
        );
        assert_eq!(
            fmt_with(text, Keywords::En),
            "rules \"t\"\n\nparam 权重 = 2\n\nbudget:\n    weight 权重\n    score weight * B / A\n"
        );
    }

    #[test]
    fn test_blocks_put_entries_and_a_long_expect_on_lines_of_their_own() {
        let text = "rules \"t\"\ntest \"a\": indicator weight 8 entry fund \"3\" target \"1\" \
            entry fund \"1\" target \"4\" expect 7.85 expect grade 优 expect total -1\n\
            test \"b\": budget planned \"1\" executed \"2\" indicator target \"4000人次\" actual \"3916人次\" weight 2 expect 1.96\n\
            test \"c\": form \"f.toml\" expect grade \"优\"\n";
        let expected = "rules \"t\"\n\ntest \"a\":\n    indicator weight 8\n\
            \x20       entry fund \"3\" target \"1\"\n        entry fund \"1\" target \"4\"\n        expect 7.85\n\
            \x20   expect grade 优\n    expect total -1\n\n\
            test \"b\":\n    budget planned \"1\" executed \"2\"\n\
            \x20   indicator target \"4000人次\" actual \"3916人次\" weight 2 expect 1.96\n\n\
            test \"c\":\n    form \"f.toml\"\n    expect grade \"优\"\n";
        assert_eq!(fmt(text), expected);
        let zh = fmt_with(text, Keywords::Zh);
        assert!(
            zh.contains("    指标 权重 8\n        分项 fund \"3\" 目标值 \"1\"\n"),
            "{zh}"
        );
        assert!(zh.contains("    预算 预算数 \"1\" 执行数 \"2\"\n"), "{zh}");
        assert!(zh.contains("    期望 等级 优\n"), "{zh}");
        assert_eq!(fmt_with(&zh, Keywords::En), expected);
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error() {
        let e = format(
            &Source::new("t.rules", "rules \"t\"\nclass x for numbers:\n score\n"),
            Keywords::Keep,
        );
        assert!(e.is_err());
    }
}
