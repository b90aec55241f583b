//! Hover: what the word under the cursor is, in Markdown, in Chinese (and English for the
//! language's own words).
//!
//! Input: a rule file's [`Source`], a [`Resolve`]r for what it extends, a [`Position`].
//! Output: a [`Hover`] or nothing. What it says, first match wins: a parameter's value
//! (as compiled, when the rules compile) and the file and line it is set in, with the
//! bases' declarations it overrides; a class's title, the comment above it (the 表注 it
//! encodes) and the base class it overrides; a band's interval; a built-in name's or
//! function's meaning; a keyword's meaning. Invariants: declarations come from the
//! parser's AST ([`super::symbols`]), meanings from [`super::words`], values from the
//! compiled rules; nothing is compiled that [`super::analyze`] would not compile.

use std::fmt::Write as _;

use serde::Serialize;

use super::position::{LineIndex, Position, Range};
use super::symbols::{Declared, Parsed, chain, declarations};
use super::words::{FUNCTIONS, Meaning, word_at, words_spelled};
use crate::check::Resolve;
use crate::limits::Limits;
use crate::source::{Source, Span};
use crate::syntax::ast::{Clause, Item};
use crate::syntax::vocabulary::Role;

/// What hovering shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hover {
    /// Markdown.
    pub markdown: String,
    /// The word it is about.
    pub range: Range,
}

fn meaning_line(out: &mut String, m: Meaning) {
    let _ = write!(out, "{}\n\n*{}*", m.zh, m.en);
}

/// `file` line `line` (1-based), as hover text cites it.
fn cite(parsed: &Parsed, span: Span) -> String {
    let line = LineIndex::new(parsed.source.text())
        .position(span.start)
        .line
        + 1;
    format!("{} 第 {line} 行", parsed.source.name())
}

/// The `#` comment lines directly above byte `at`, without their `#`.
fn comment_above(text: &str, at: usize) -> Vec<String> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut lines: Vec<String> = text[..line_start]
        .lines()
        .rev()
        .map_while(|l| {
            l.trim_start()
                .strip_prefix('#')
                .map(|c| c.trim().to_owned())
        })
        .collect();
    lines.reverse();
    lines
}

/// What hovering over `position` shows.
#[must_use]
pub fn hover(
    source: &Source,
    resolver: &dyn Resolve,
    limits: &Limits,
    position: Position,
) -> Option<Hover> {
    let index = LineIndex::new(source.text());
    let offset = index.offset(position);
    let (start, end) = word_at(source.text(), offset)?;
    let word = &source.text()[start..end];
    let range = index.range(start, end);
    let markdown = declared(source, resolver, limits, word)
        .or_else(|| band(source, resolver, word))
        .or_else(|| vocabulary(word))
        .or_else(|| unparsed(source, word))?;
    Some(Hover { markdown, range })
}

/// A param or class of the chain named `word`.
fn declared(
    source: &Source,
    resolver: &dyn Resolve,
    limits: &Limits,
    word: &str,
) -> Option<String> {
    let chain = chain(source, resolver);
    let mut found = chain
        .iter()
        .flat_map(|p| declarations(p, word).into_iter().map(move |d| (p, d)));
    let (parsed, first) = found.next()?;
    let overridden: Vec<String> = found.map(|(p, d)| cite(p, d.name_span())).collect();
    let mut out = String::new();
    match first {
        Declared::Param(p) => {
            let written = parsed.source.slice(p.value.span);
            let value = crate::compile_with_limits(source, resolver, &[], limits)
                .ok()
                .and_then(|rules| {
                    super::params(&rules)
                        .into_iter()
                        .find(|q| q.name == word)
                        .map(|q| q.value)
                });
            let _ = write!(out, "**参数** `{word}` = {written}");
            if let Some(v) = value.filter(|v| v != written) {
                let _ = write!(out, "（= {v}）");
            }
            let _ = write!(out, "\n\n在 {}设置", cite(parsed, p.name.span));
        }
        Declared::Class(c) => {
            let _ = write!(out, "**类别** `{word}`");
            if let Some(t) = &c.title {
                let _ = write!(out, "「{}」", t.value);
            }
            let comment = comment_above(parsed.source.text(), c.span.start);
            if !comment.is_empty() {
                let _ = write!(out, "\n\n{}", comment.join("\n"));
            }
            let _ = write!(out, "\n\n在 {}定义", cite(parsed, c.name.span));
        }
        Declared::Fact(f) => {
            let ty = match f.ty {
                crate::syntax::ast::FactType::Number => "数值",
                crate::syntax::ast::FactType::Text => "文字",
            };
            let _ = write!(
                out,
                "**表单信息** `{word}`：{ty}，表单在 [form] 中填写 `\"{word}\" = …`"
            );
            if !f.values.is_empty() {
                let values: Vec<&str> = f.values.iter().map(|v| v.value.as_str()).collect();
                let _ = write!(out, "\n\n可填的值：{}", values.join("、"));
            }
            let _ = write!(out, "\n\n在 {}声明", cite(parsed, f.name.span));
        }
    }
    for o in overridden {
        let _ = write!(out, "\n\n覆盖 {o}的同名定义");
    }
    Some(out)
}

/// A param, fact or class named `word` on a line of a file that does not parse (while
/// it is being typed): what its line says, and where.
fn unparsed(source: &Source, word: &str) -> Option<String> {
    if crate::syntax::parse(source).is_ok() {
        return None;
    }
    let (_, kind, detail) = super::complete::scanned(source.text())
        .into_iter()
        .find(|(name, ..)| name == word)?;
    let what = match kind {
        super::complete::ItemKind::Param => "参数",
        super::complete::ItemKind::Fact => "表单信息",
        _ => "类别",
    };
    Some(format!(
        "**{what}** `{word}` {detail}\n\n（文件有语法错误，按它所在的行显示）"
    ))
}

/// A band named `word` of a class of this file or a base: its interval.
fn band(source: &Source, resolver: &dyn Resolve, word: &str) -> Option<String> {
    chain(source, resolver).iter().find_map(|parsed| {
        parsed.file.items.iter().find_map(|item| match item {
            Item::Class(c) => c.clauses.iter().find_map(|clause| match clause {
                Clause::Band(b) if b.name.value == word => Some(format!(
                    "**档位** `{word}`（类别 `{}`）：得分率 {}\n\n在 {}定义",
                    c.name.name,
                    parsed.source.slice(b.range),
                    cite(parsed, b.name.span)
                )),
                _ => None,
            }),
            _ => None,
        })
    })
}

/// A built-in name, function or keyword spelled `word`.
fn vocabulary(word: &str) -> Option<String> {
    let mut out = String::new();
    if let Some(f) = FUNCTIONS.iter().find(|f| f.name == word) {
        let _ = write!(out, "**函数** `{}`\n\n", f.signature);
        meaning_line(&mut out, f.meaning);
        return Some(out);
    }
    let mut words: Vec<_> = words_spelled(word).collect();
    // A built-in before a keyword spelled the same (`weight` in a formula), then keywords.
    words.sort_by_key(|(w, _)| match w.role {
        Role::Builtin => 0,
        r if r.is_keyword() => 1,
        _ => 2,
    });
    let (w, m) = words.first()?;
    let what = match w.role {
        Role::Builtin => "内置名称",
        r if r.is_keyword() => "关键字",
        _ => "关键字之后的词",
    };
    let spellings: Vec<String> = std::iter::once(w.en)
        .chain(w.zh.iter().copied())
        .filter(|s| !s.is_empty())
        .map(|s| format!("`{s}`"))
        .collect();
    let _ = write!(out, "**{what}** {}\n\n", spellings.join(" / "));
    meaning_line(&mut out, *m);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Bundled;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn a_file_that_does_not_parse_still_hovers_its_names_by_their_lines() {
        // The last line is being typed: the file does not parse.
        let text = "rules \"t\"\nparam 满分 = 20 # 注\nfact 级次: number\nbudget:\n    score 满分 * 级次 +\n";
        let source = Source::new("t.rules", text);
        let h = |l, c| {
            hover(&source, &Bundled, &Limits::default(), at(l, c))
                .map(|h| h.markdown)
                .unwrap_or_default()
        };
        assert_eq!(
            h(4, 11),
            "**参数** `满分` = 20\n\n（文件有语法错误，按它所在的行显示）"
        );
        assert_eq!(
            h(4, 16),
            "**表单信息** `级次` : number\n\n（文件有语法错误，按它所在的行显示）"
        );
    }

    #[test]
    fn a_param_a_class_a_builtin_and_a_keyword() {
        let text = "规则 \"t\"\n继承 \"hubei-2021\"\n参数 满分 = 10 * 2\n# 注1 正向指标\n类别 正向 \"正向指标\" 适用 数值:\n    得分 权重 * 满分\n";
        let source = Source::new("t.rules", text);
        let h = |l, c| {
            hover(&source, &Bundled, &Limits::default(), at(l, c))
                .map(|h| h.markdown)
                .unwrap_or_default()
        };
        let param = h(5, 12);
        assert!(param.contains("`满分` = 10 * 2（= 20）"), "{param}");
        assert!(param.contains("在 t.rules 第 3 行设置"), "{param}");
        let class = h(4, 4);
        assert!(class.contains("「正向指标」"), "{class}");
        assert!(class.contains("注1 正向指标"), "{class}");
        let builtin = h(5, 8);
        assert!(builtin.contains("`weight` / `权重`"), "{builtin}");
        assert!(builtin.contains("分值"), "{builtin}");
        let keyword = h(2, 0);
        assert!(keyword.contains("**关键字** `param` / `参数`"), "{keyword}");
        assert_eq!(
            hover(&source, &Bundled, &Limits::default(), at(5, 8))
                .unwrap()
                .range,
            Range {
                start: at(5, 7),
                end: at(5, 9)
            }
        );
        // A variant's param overrides the base's.
        let source = Source::new(
            "v.rules",
            "rules \"v\"\nextends \"hubei-2021\"\nparam budget_weight = 10\n",
        );
        let over = hover(&source, &Bundled, &Limits::default(), at(2, 8))
            .unwrap()
            .markdown;
        assert!(
            over.contains("覆盖 rules/hubei-2021.rules 第 6 行的同名定义"),
            "{over}"
        );
    }
}
