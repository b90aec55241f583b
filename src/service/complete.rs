//! Completion: what may be typed at the cursor of a rule file.
//!
//! Input: a rule file's [`Source`] (usually unsaved, often not parsing), a [`Resolve`]r for
//! what it extends, a [`Position`], and what the workspace's forms write ([`FormWords`]).
//! Output: [`CompletionItem`]s. Outside a string: the keywords in the file's own language
//! (Chinese when most of its keywords are, as `fmt` decides), the parameters and classes
//! of the file and its bases, the built-in names in that language and the built-in
//! functions with their signatures, each with its meaning. Inside a string: after
//! `level1`/`level2` (in a formula or a test), the values the forms give them; after a
//! number (a test's `target "100`), the units the forms write; elsewhere both levels'
//! values. Invariants: spellings come from [`syntax::vocabulary`](crate::syntax::vocabulary),
//! meanings from [`super::words`], strings as [`super::tokens`] lexes them; a file that
//! does not parse (being typed) still gets the keywords, built-ins and functions, and the
//! names declared on lines that begin with `param` or `class` (in either language).

use serde::Serialize;

use super::position::{LineIndex, Position, Range};
use super::symbols::chain;
use super::tokens::{Lexeme, lex_line};
use super::words::{FUNCTIONS, is_word, meaning};
use crate::check::Resolve;
use crate::form::Form;
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
    /// A fact of the form the rules declare (`fact 级次: number`).
    Fact,
    /// A built-in name (`A`, `权重`).
    Builtin,
    /// A built-in function.
    Function,
    /// A value the workspace's forms write (a `level1` name, a unit).
    Value,
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
    /// The text it replaces (a value's part of a string typed so far); `None`: the word
    /// at the cursor, as the editor decides.
    pub replace: Option<Range>,
}

/// The values the forms of a workspace write, for completing strings: each with how many
/// indicators write it, the most written first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormWords {
    /// 一级指标 names.
    pub level1: Vec<(String, usize)>,
    /// 二级指标 names.
    pub level2: Vec<(String, usize)>,
    /// What follows the numbers of targets, actuals and funds (`万元`, `%`, `人次`).
    pub units: Vec<(String, usize)>,
}

/// `counts` ordered: the most counted first, then by name.
fn ranked(counts: std::collections::HashMap<String, usize>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

impl FormWords {
    /// What the forms of a workspace that could be loaded write.
    #[must_use]
    pub fn of_loaded<F: AsRef<super::scoring::LoadedForm>>(forms: &[F]) -> Self {
        Self::of(forms.iter().filter_map(|l| l.as_ref().form.as_ref().ok()))
    }

    /// What `forms` write.
    #[must_use]
    pub fn of<'f>(forms: impl IntoIterator<Item = &'f Form>) -> Self {
        use std::collections::HashMap;
        let (mut level1, mut level2, mut units) = (HashMap::new(), HashMap::new(), HashMap::new());
        let mut unit = |v: Option<&crate::form::Value>| {
            if let Some(q) = v.and_then(crate::form::Value::quantity) {
                let suffix = q.suffix();
                if !suffix.is_empty() {
                    *units.entry(suffix).or_insert(0) += 1;
                }
            }
        };
        for form in forms {
            unit(Some(&form.budget.planned));
            unit(Some(&form.budget.executed));
            for i in form.goals.iter().flat_map(|g| &g.indicators) {
                for (map, text) in [(&mut level1, &i.level1), (&mut level2, &i.level2)] {
                    if !text.text.is_empty() {
                        *map.entry(text.text.to_string()).or_insert(0) += 1;
                    }
                }
                unit(i.target.as_ref());
                unit(i.actual.as_ref());
                for e in &i.entries {
                    unit(Some(&e.fund));
                    unit(e.target.as_ref());
                    unit(e.actual.as_ref());
                }
            }
        }
        FormWords {
            level1: ranked(level1),
            level2: ranked(level2),
            units: ranked(units),
        }
    }
}

/// The completions at `position` of `source`. Outside a string every candidate is given
/// (the editor filters by what is typed); inside one, the values of `forms` that fit
/// (asked for only then: reading a folder's forms may take a while the first time).
#[must_use]
pub fn complete(
    source: &Source,
    resolver: &dyn Resolve,
    position: Position,
    forms: impl FnOnce() -> FormWords,
) -> Vec<CompletionItem> {
    if let Some(items) = in_string(source.text(), position, forms) {
        return items;
    }
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
            replace: None,
        });
    }
    for f in FUNCTIONS {
        out.push(CompletionItem {
            label: f.name.to_owned(),
            kind: ItemKind::Function,
            detail: f.signature.to_owned(),
            documentation: format!("{}\n\n{}", f.meaning.zh, f.meaning.en),
            replace: None,
        });
    }
    for (name, kind, detail) in declared(source, resolver) {
        if !out.iter().any(|i| i.label == name && i.kind == kind) {
            out.push(CompletionItem {
                label: name,
                kind,
                detail,
                documentation: String::new(),
                replace: None,
            });
        }
    }
    out
}

/// Which forms' values a string at the cursor takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Level1,
    Level2,
    Levels,
    Units,
}

/// The completions inside the string at `position`, or `None` when it is not in one.
fn in_string(
    text: &str,
    position: Position,
    forms: impl FnOnce() -> FormWords,
) -> Option<Vec<CompletionItem>> {
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let at = offset - line_start;
    let lexemes = lex_line(line);
    let (i, &(start, _, _)) = lexemes.iter().enumerate().find(|&(_, &(s, e, l))| {
        let open = e == line.len() && (e - s == 1 || !line[s..e].ends_with('"'));
        l == Lexeme::String && s < at && (at < e || open)
    })?;
    let typed = &line[start + 1..at];
    let before = lexemes[..i]
        .iter()
        .rev()
        .find(|l| l.2 == Lexeme::Word)
        .map(|&(s, e, _)| &line[s..e]);
    let is = |en: &str| {
        before.is_some_and(|w| {
            WORDS.iter().any(|x| {
                x.en == en && matches!(x.role, Role::Builtin | Role::TestField) && x.is_spelled(w)
            })
        })
    };
    // The value's part typed so far: after the digits of a number, else after the quote.
    let digits = typed
        .rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        .map(|d| d + 1);
    let wanted = if is("level1") {
        Wanted::Level1
    } else if is("level2") {
        Wanted::Level2
    } else if digits.is_some() {
        Wanted::Units
    } else {
        Wanted::Levels
    };
    let from = if wanted == Wanted::Units {
        start + 1 + digits.unwrap_or(0)
    } else {
        start + 1
    };
    let replace = index.range(line_start + from, offset);
    let forms = forms();
    let mut out = Vec::new();
    let mut add = |values: &[(String, usize)], what: &str| {
        for (value, n) in values {
            out.push(CompletionItem {
                label: value.clone(),
                kind: ItemKind::Value,
                detail: format!("{what}（表单中 {n} 处）"),
                documentation: String::new(),
                replace: Some(replace),
            });
        }
    };
    match wanted {
        Wanted::Level1 => add(&forms.level1, "一级指标"),
        Wanted::Level2 => add(&forms.level2, "二级指标"),
        Wanted::Levels => {
            add(&forms.level1, "一级指标");
            add(&forms.level2, "二级指标");
        }
        Wanted::Units => add(&forms.units, "单位"),
    }
    Some(out)
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
                Item::Fact(f) => out.push((
                    f.name.name.clone(),
                    ItemKind::Fact,
                    format!("表单信息（{}）", parsed.source.name()),
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
pub(crate) fn scanned(text: &str) -> Vec<(String, ItemKind, String)> {
    let starts = [
        ("param", ItemKind::Param),
        ("class", ItemKind::Class),
        ("fact", ItemKind::Fact),
    ];
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
                    // What follows the name on its line: `= 20`, `"正向指标" for numbers:`.
                    let after = rest.trim_start()[name.len()..].trim();
                    let detail = after.split(" #").next().unwrap_or("").trim().to_owned();
                    out.push((name, kind, detail));
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
        complete(&source, &Bundled, at, FormWords::default)
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

    #[test]
    fn inside_a_string_the_forms_values() {
        let forms = FormWords {
            level1: vec![("产出指标".to_owned(), 3), ("效益指标".to_owned(), 1)],
            level2: vec![("数量指标".to_owned(), 2)],
            units: vec![("万元".to_owned(), 4), ("%".to_owned(), 1)],
        };
        let text = "rules \"t\"\nclass c for numbers when level1 == \"产\n    indicator target \"100万\n    indicator 二级指标 \"\n";
        let source = Source::new("t.rules", text);
        let at = |line, character| Position { line, character };
        let items = |p| -> Vec<(String, Option<Range>)> {
            complete(&source, &Bundled, p, || forms.clone())
                .into_iter()
                .map(|i| (i.label, i.replace))
                .collect()
        };
        // Line 1: `class`, `c`, `for`, `numbers`, `when`, `level1`, `==` and their spaces
        // take 35 characters: the quote is character 35, `产` 36; the cursor after it, 37.
        let level1 = items(at(1, 37));
        let replace = Some(Range {
            start: at(1, 36),
            end: at(1, 37),
        });
        assert_eq!(
            level1,
            [
                ("产出指标".to_owned(), replace),
                ("效益指标".to_owned(), replace)
            ]
        );
        // Line 2: `"100万` from character 21; the unit replaces `万` (25..26).
        let units = items(at(2, 26));
        assert_eq!(units.len(), 2);
        assert_eq!(
            units[0],
            (
                "万元".to_owned(),
                Some(Range {
                    start: at(2, 25),
                    end: at(2, 26)
                })
            )
        );
        // Line 3: after a test's Chinese level2 field.
        let level2 = items(at(3, 20));
        assert_eq!(level2.len(), 1);
        assert_eq!(level2[0].0, "数量指标");
        // Outside the string: the language's words again.
        assert!(items(at(1, 6)).iter().any(|(l, _)| l == "class"));
    }

    #[test]
    fn the_forms_values_counted() {
        let toml = "[budget]\nplanned = \"100万元\"\nexecuted = \"95万元\"\n\n[[goals]]\nname = \"g\"\nweight = 80\n\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"a\"\ntarget = \"100人\"\nactual = \"90人\"\nweight = 60\n\n[[goals.indicators]]\nlevel1 = \"效益指标\"\nlevel2 = \"数量指标\"\nname = \"b\"\ntarget = \"≥95%\"\nactual = \"96%\"\nweight = 20\n";
        let form = crate::form::load_form(&Source::new("f.toml", toml)).unwrap();
        let words = FormWords::of([&form]);
        let pairs = |v: &[(String, usize)]| -> Vec<(String, usize)> { v.to_vec() };
        // 产出指标 once and 效益指标 once: equal counts, then by name (产 U+4EA7 < 效 U+6548).
        assert_eq!(
            pairs(&words.level1),
            [("产出指标".to_owned(), 1), ("效益指标".to_owned(), 1)]
        );
        assert_eq!(pairs(&words.level2), [("数量指标".to_owned(), 2)]);
        // 万元 twice (budget), 人 twice, % twice: equal, by name ("%" < "万元" < "人"? by
        // code point: % U+25, 人 U+4EBA, 万 U+4E07: %, 万元, 人).
        assert_eq!(
            pairs(&words.units),
            [
                ("%".to_owned(), 2),
                ("万元".to_owned(), 2),
                ("人".to_owned(), 2)
            ]
        );
    }
}
