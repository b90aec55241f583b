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
    AggMethod, AggTarget, Band, Budget, Class, ClassKind, Clause, Expr, File, Grades, GuardResult,
    Item, Optional, OptionalAction, RoundLevel, RoundMode, Rounding, Str, TestBlock, TestClause,
    TestValue,
};
use crate::syntax::keywords::{KEYWORDS, WORDS};
use crate::syntax::print::{Style, Styled, write_string};

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
