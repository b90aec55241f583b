//! Printing the AST as lines: each item, clause, band and test clause as one [`Line`]
//! of text in the output's keyword language, with the source range it stands for (so
//! that comments can be placed next to it).
//!
//! Input: the parsed file, its text and its [`Lexed`] scan. Output: the lines in order.
//! Invariants: every line's range starts at its code and ends at the end of its code.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use super::lex::{Lexed, is_word};
use crate::source::Span;
use crate::syntax::ast::{
    Adjustment, Band, Budget, Class, Clause, Expr, File, Grades, GuardResult, Item, Optional,
    Require, Required, Rounding, Str, TestBlock, TestClause, TestValue,
};
use crate::syntax::print::{Style, Styled, write_string};
use crate::syntax::vocabulary::{self, Role, WORDS};

/// One printed line and the source it stands for.
#[derive(Debug)]
pub(super) struct Line {
    pub(super) indent: usize,
    pub(super) text: String,
    /// The source code this line prints: from its first byte to the end of its code.
    pub(super) start: usize,
    pub(super) end: usize,
    /// A blank line goes before it (between items).
    pub(super) blank_before: bool,
}

/// How wide (in display columns) a test's indicator line may grow before its `expect`
/// goes on a line of its own.
const WIDTH: usize = 100;

pub(super) struct Printer<'a> {
    pub(super) text: &'a str,
    pub(super) lexed: &'a Lexed,
    pub(super) style: Style<'a>,
    pub(super) lines: Vec<Line>,
}

impl Printer<'_> {
    fn zh(&self) -> bool {
        self.style.zh
    }

    /// A keyword in the output's language.
    fn kw(&self, en: &'static str) -> &'static str {
        let word = vocabulary::keyword(en);
        debug_assert!(word.is_some(), "`{en}` is not a keyword of the vocabulary");
        word.map_or(en, |w| w.spelling(self.zh()))
    }

    /// The word of a typed role (a round mode, …) in the output's language.
    fn word(&self, role: Role) -> &'static str {
        vocabulary::of_role(role).map_or("", |w| w.spelling(self.zh()))
    }

    /// A word of a test clause (a field, what `expect` checks), held in English, in the
    /// output's language; one the table does not hold as given.
    fn test_word<'w>(&self, role: impl Fn(Role) -> bool, en: &'w str) -> &'w str {
        WORDS
            .iter()
            .find(|w| role(w.role) && w.en == en)
            .map_or(en, |w| w.spelling(self.zh()))
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

    pub(super) fn file(mut self, file: &File) -> Vec<Line> {
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
        for (n, item) in file.items.iter().enumerate() {
            // `source …` first of all belongs to the header, on the line after it.
            let together = (n == 0 && matches!(item, Item::Basis(_)))
                || matches!(
                    (previous, item),
                    (Some(Item::Param(_)), Item::Param(_))
                        | (Some(Item::Aggregate(_)), Item::Aggregate(_))
                        | (Some(Item::Rounding(_)), Item::Rounding(_))
                        | (Some(Item::Cap(_)), Item::Cap(_))
                        | (Some(Item::Require(_)), Item::Require(_))
                        | (Some(Item::Fact(_)), Item::Fact(_))
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
                let text = format!(
                    "{} {}{}{}",
                    self.kw("aggregate"),
                    self.word(Role::AggTarget(a.target)),
                    self.colon_sep(),
                    self.word(Role::AggMethod(a.method))
                );
                self.push_span(0, text, a.span, blank);
            }
            Item::Class(c) => self.class(c, blank),
            Item::Optional(o) => self.optional(o, blank),
            Item::Grades(g) => self.grades(g, blank),
            Item::Scale(s) => {
                let text = format!(
                    "{} {} {} {}",
                    self.kw("scale"),
                    self.kw("goals"),
                    self.kw("to"),
                    self.expr(&s.total)
                );
                self.push_span(0, text, s.span, blank);
            }
            Item::Cap(c) => {
                let text = format!(
                    "{} {} {} {}",
                    self.kw("cap"),
                    self.word(Role::RoundLevel(c.level)),
                    self.kw("at"),
                    self.expr(&c.value)
                );
                self.push_span(0, text, c.span, blank);
            }
            Item::Adjustment(a) => self.adjustment(a, blank),
            Item::Require(r) => self.require(r, blank),
            Item::Basis(b) => {
                let mut text = format!("{} {}", self.kw("source"), Self::string(&b.document.value));
                if let Some(y) = b.year {
                    text.push_str(&format!(" {y}"));
                }
                self.push_span(0, text, b.span, blank);
            }
            Item::Fact(f) => {
                let mut text = format!(
                    "{} {}{}{}",
                    self.kw("fact"),
                    f.name.name,
                    self.colon_sep(),
                    self.word(Role::FactType(f.ty))
                );
                if !f.values.is_empty() {
                    let sep = if self.zh() { "，" } else { ", " };
                    let values: Vec<String> =
                        f.values.iter().map(|v| Self::string(&v.value)).collect();
                    text.push_str(&format!(" {} [{}]", self.kw("in"), values.join(sep)));
                }
                self.push_span(0, text, f.span, blank);
            }
            Item::Test(t) => self.test(t, blank),
        }
    }

    fn adjustment(&mut self, a: &Adjustment, blank: bool) {
        let mut text = format!("{} {}", self.kw(a.kind.keyword()), a.name.name);
        let mut end = a.name.span.end.max(a.head.end);
        if let Some(t) = &a.title {
            text.push(' ');
            text.push_str(&Self::string(&t.value));
            end = end.max(t.span.end);
        }
        text.push_str(self.colon_end());
        let end = self.lexed.colon_after(self.text, end);
        self.push(0, text, a.span.start, end, blank);
        self.clauses(&a.clauses);
    }

    fn rounding(&mut self, r: &Rounding, blank: bool) {
        // `位` after the number of places: the keyword without an English spelling.
        let unit = match self.kw("") {
            "" => String::new(),
            word => format!(" {word}"),
        };
        let text = format!(
            "{} {}{unit} {} {} {}",
            self.kw("round"),
            r.places,
            self.word(Role::RoundMode(r.mode)),
            self.kw("at"),
            self.word(Role::RoundLevel(r.level))
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
            let _ = write!(
                text,
                " {} {}",
                self.kw("for"),
                self.word(Role::ClassKind(k))
            );
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
                let action = self.word(Role::OptionalAction(*action));
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

    fn require(&mut self, r: &Require, blank: bool) {
        let what = match &r.what {
            Required::Goals(e) => {
                format!("{}{}{}", self.kw("goals"), self.colon_sep(), self.expr(e))
            }
            Required::Level1(parts) => {
                let sep = if self.zh() { "，" } else { ", " };
                let parts: Vec<String> = parts
                    .iter()
                    .map(|(name, e)| format!("{} {}", Self::string(&name.value), self.expr(e)))
                    .collect();
                format!(
                    "{}{}{}",
                    self.kw("level1"),
                    self.colon_sep(),
                    parts.join(sep)
                )
            }
        };
        let text = format!("{} {what}", self.kw("require"));
        self.push_span(0, text, r.span, blank);
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
            .map(|(k, v)| {
                format!(
                    " {} {}",
                    self.test_word(|r| matches!(r, Role::TestField | Role::BudgetField), k),
                    self.test_value(v)
                )
            })
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
                TestClause::Adjustment {
                    kind,
                    name,
                    value,
                    span,
                } => {
                    let text = format!(
                        "{} {} {}",
                        self.kw(kind.keyword()),
                        Self::string(&name.value),
                        self.test_value(value)
                    );
                    self.push_span(4, text, *span, false);
                }
                TestClause::Fact { name, value, span } => {
                    let text = format!(
                        "{} {} {}",
                        self.kw("fact"),
                        self.test_word(|r| r == Role::Builtin, &name.name),
                        self.test_value(value)
                    );
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
                        self.test_word(|r| r == Role::Expect, what),
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
