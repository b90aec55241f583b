//! Completion: what may be typed at the cursor of a rule file.
//!
//! Input: a rule file's [`Source`] (usually unsaved, often not parsing), a [`Resolve`]r for
//! what it extends, a [`Position`]. Output: [`CompletionItem`]s: the keywords in the file's
//! own language (Chinese when most of its keywords are, as `fmt` decides), the
//! parameters and classes of the file and its bases, the built-in names in that language
//! and the built-in functions with their signatures, each with its meaning. Invariants:
//! spellings come from [`syntax::vocabulary`](crate::syntax::vocabulary), meanings from
//! [`super::words`]; a file that does not parse (being typed) still gets the keywords,
//! built-ins and functions, and the names declared on lines that begin with `param` or
//! `class` (in either language).

use serde::Serialize;

use super::position::Position;
use super::symbols::chain;
use super::words::{FUNCTIONS, is_word, meaning};
use crate::check::Resolve;
use crate::source::Source;
use crate::syntax::ast::Item;
use crate::syntax::vocabulary::{Role, WORDS, keyword};

/// What an item completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A keyword of the language.
    Keyword,
    /// A parameter.
    Param,
    /// A class.
    Class,
    /// A built-in name (`A`, `权重`).
    Builtin,
    /// A built-in function.
    Function,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompletionItem {
    /// What is inserted (and shown).
    pub label: String,
    /// What it is.
    pub kind: ItemKind,
    /// One line: a signature, a value, the other language's spelling.
    pub detail: String,
    /// Its meaning, in Chinese then English.
    pub documentation: String,
}

/// The completions at `position` of `source`; `_position` is where the editor filters by
/// what is typed, so every candidate is given.
#[must_use]
pub fn complete(
    source: &Source,
    resolver: &dyn Resolve,
    _position: Position,
) -> Vec<CompletionItem> {
    let zh = crate::syntax::format::mostly_zh(source.text());
    let mut out = Vec::new();
    for w in WORDS {
        let Some(m) = meaning(w) else { continue };
        let kind = match w.role {
            Role::Builtin => ItemKind::Builtin,
            r if r.is_keyword() => ItemKind::Keyword,
            _ => continue,
        };
        let label = w.spelling(zh);
        if label.is_empty()
            || out
                .iter()
                .any(|i: &CompletionItem| i.label == label && i.kind == kind)
        {
            continue;
        }
        let other = w.spelling(!zh);
        out.push(CompletionItem {
            label: label.to_owned(),
            kind,
            detail: if other.is_empty() || other == label {
                String::new()
            } else {
                other.to_owned()
            },
            documentation: format!("{}\n\n{}", m.zh, m.en),
        });
    }
    for f in FUNCTIONS {
        out.push(CompletionItem {
            label: f.name.to_owned(),
            kind: ItemKind::Function,
            detail: f.signature.to_owned(),
            documentation: format!("{}\n\n{}", f.meaning.zh, f.meaning.en),
        });
    }
    for (name, kind, detail) in declared(source, resolver) {
        if !out.iter().any(|i| i.label == name && i.kind == kind) {
            out.push(CompletionItem {
                label: name,
                kind,
                detail,
                documentation: String::new(),
            });
        }
    }
    out
}

/// The params and classes of `source` and its bases: (name, kind, detail).
pub(crate) fn declared(source: &Source, resolver: &dyn Resolve) -> Vec<(String, ItemKind, String)> {
    let chain = chain(source, resolver);
    if chain.is_empty() {
        return scanned(source.text());
    }
    let mut out = Vec::new();
    for parsed in &chain {
        for item in &parsed.file.items {
            match item {
                Item::Param(p) => out.push((
                    p.name.name.clone(),
                    ItemKind::Param,
                    format!(
                        "= {}（{}）",
                        parsed.source.slice(p.value.span),
                        parsed.source.name()
                    ),
                )),
                Item::Class(c) => out.push((
                    c.name.name.clone(),
                    ItemKind::Class,
                    c.title
                        .as_ref()
                        .map(|t| t.value.clone())
                        .unwrap_or_default(),
                )),
                _ => {}
            }
        }
    }
    out
}

/// The names after `param` and `class` at the start of lines, for a file that does not
/// parse.
fn scanned(text: &str) -> Vec<(String, ItemKind, String)> {
    let starts = [("param", ItemKind::Param), ("class", ItemKind::Class)];
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let Some((first, rest)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        for (en, kind) in starts {
            if keyword(en).is_some_and(|w| w.is_spelled(first)) {
                let name: String = rest
                    .trim_start()
                    .chars()
                    .take_while(|&c| is_word(c))
                    .collect();
                if !name.is_empty() {
                    out.push((name, kind, String::new()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Bundled;

    fn labels(text: &str) -> Vec<(String, ItemKind)> {
        let source = Source::new("t.rules", text);
        let at = Position {
            line: 0,
            character: 0,
        };
        complete(&source, &Bundled, at)
            .into_iter()
            .map(|i| (i.label, i.kind))
            .collect()
    }

    #[test]
    fn keywords_in_the_files_language_and_its_names() {
        let zh = labels("规则 \"t\"\n参数 满分 = 10\n类别 甲 适用 数值:\n    得分 ");
        assert!(zh.contains(&("参数".to_owned(), ItemKind::Keyword)));
        assert!(!zh.iter().any(|(l, _)| l == "param"));
        assert!(zh.contains(&("权重".to_owned(), ItemKind::Builtin)));
        assert!(
            zh.contains(&("满分".to_owned(), ItemKind::Param)),
            "scanned though it does not parse"
        );
        assert!(zh.contains(&("甲".to_owned(), ItemKind::Class)));
        assert!(zh.contains(&("min".to_owned(), ItemKind::Function)));
        let en = labels("rules \"t\"\nextends \"hubei-2021\"\n");
        assert!(en.contains(&("param".to_owned(), ItemKind::Keyword)));
        assert!(en.contains(&("weight".to_owned(), ItemKind::Builtin)));
        assert!(
            en.contains(&("budget_weight".to_owned(), ItemKind::Param)),
            "from the base"
        );
        assert!(!en.iter().any(|(l, _)| l == "参数"));
    }
}
