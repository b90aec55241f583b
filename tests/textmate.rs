//! The VS Code extension's TextMate grammar (editors/vscode/syntaxes/jixiao.tmLanguage.json)
//! against the language service: every token of every bundled and example rule file, and
//! every spelling of the vocabulary in the places a word takes, must get a scope of the
//! kind `jixiao::service::tokens` gives it (a keyword a `keyword.control` scope, a built-in
//! `variable.language`, …). A word missing from the grammar's lists gets the plain name's
//! scope there, and the test fails naming it.
//!
//! The matcher here does what a TextMate engine does on one line: from the current place,
//! the pattern whose match begins first wins (the first listed among equals); a `match`
//! names its text and its captures; a `begin`/`end` region names everything up to its end
//! and matches its own patterns inside. The grammar's regions all end on their line (a
//! string at its quote or the line's end), so no state crosses lines. Its patterns use only
//! what Oniguruma and the regex crate read alike (no lookaround).

use regex::Regex;
use serde_json::Value;

use jixiao::Source;
use jixiao::service::tokens::{TokenKind, tokens};
use jixiao::syntax::vocabulary::{Role, WORDS};

use crate::support::repo_file;

/// A pattern of the grammar, compiled.
enum Pattern {
    Match {
        re: Regex,
        name: Option<String>,
        captures: Vec<(usize, String)>,
    },
    Region {
        begin: Regex,
        end: Regex,
        name: Option<String>,
        begin_captures: Vec<(usize, String)>,
        patterns: Vec<Pattern>,
    },
}

fn captures(v: &Value) -> Vec<(usize, String)> {
    v.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, c)| {
                    (
                        k.parse().expect("a capture number"),
                        c["name"].as_str().expect("a capture's name").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `list` compiled, its includes resolved from `repository`.
fn compile(list: &Value, repository: &Value) -> Vec<Pattern> {
    let mut out = Vec::new();
    for p in list.as_array().expect("a list of patterns") {
        if let Some(include) = p["include"].as_str() {
            let key = include.strip_prefix('#').expect("a repository include");
            let rule = &repository[key];
            assert!(!rule.is_null(), "no repository rule {key}");
            out.extend(compile(&Value::Array(vec![rule.clone()]), repository));
            continue;
        }
        let re = |key: &str| {
            let text = p[key].as_str().expect("a regular expression");
            Regex::new(text).unwrap_or_else(|e| panic!("{key} {text:?}: {e}"))
        };
        let name = p["name"].as_str().map(str::to_owned);
        if p.get("match").is_some() {
            out.push(Pattern::Match {
                re: re("match"),
                name,
                captures: captures(&p["captures"]),
            });
        } else if p.get("begin").is_some() {
            out.push(Pattern::Region {
                begin: re("begin"),
                end: re("end"),
                name,
                begin_captures: captures(&p["beginCaptures"]),
                patterns: compile(&p["patterns"], repository),
            });
        } else {
            // A group of patterns only.
            out.extend(compile(&p["patterns"], repository));
        }
    }
    out
}

fn grammar() -> Vec<Pattern> {
    let text = repo_file("editors/vscode/syntaxes/jixiao.tmLanguage.json");
    let g: Value = serde_json::from_str(&text).expect("the grammar is JSON");
    assert_eq!(g["scopeName"], "source.jixiao");
    compile(&g["patterns"], &g["repository"])
}

/// The innermost scope of each byte of `line` (`None`: no pattern named it).
fn scopes(patterns: &[Pattern], line: &str) -> Vec<Option<String>> {
    let mut out = vec![None; line.len()];
    scan(patterns, None, line, 0, &mut out);
    out
}

fn name(out: &mut [Option<String>], from: usize, to: usize, scope: &str) {
    for s in &mut out[from..to] {
        *s = Some(scope.to_owned());
    }
}

fn name_captures(out: &mut [Option<String>], c: &regex::Captures<'_>, names: &[(usize, String)]) {
    for (i, scope) in names {
        if let Some(m) = c.get(*i) {
            name(out, m.start(), m.end(), scope);
        }
    }
}

/// Matches `patterns` from `pos` until `end` matches (or the line ends); returns where
/// the region ends.
fn scan(
    patterns: &[Pattern],
    end: Option<&Regex>,
    line: &str,
    mut pos: usize,
    out: &mut [Option<String>],
) -> usize {
    while pos <= line.len() {
        let closing = end.and_then(|e| e.find_at(line, pos));
        let mut best: Option<(usize, usize)> = None;
        for (i, p) in patterns.iter().enumerate() {
            let re = match p {
                Pattern::Match { re, .. } => re,
                Pattern::Region { begin, .. } => begin,
            };
            if let Some(m) = re.find_at(line, pos) {
                if best.is_none_or(|(start, _)| m.start() < start) {
                    best = Some((m.start(), i));
                }
            }
        }
        if let Some(c) = closing {
            if best.is_none_or(|(start, _)| c.start() <= start) {
                return c.end();
            }
        }
        let Some((_, i)) = best else {
            return line.len();
        };
        match &patterns[i] {
            Pattern::Match {
                re,
                name: n,
                captures,
            } => {
                let c = re.captures_at(line, pos).expect("it matched");
                let whole = c.get(0).expect("the match");
                if let Some(n) = n {
                    name(out, whole.start(), whole.end(), n);
                }
                name_captures(out, &c, captures);
                // An empty match moves on by one character.
                pos = if whole.is_empty() {
                    whole.end() + line[whole.end()..].chars().next().map_or(1, char::len_utf8)
                } else {
                    whole.end()
                };
            }
            Pattern::Region {
                begin,
                end: region_end,
                name: n,
                begin_captures,
                patterns: inner,
            } => {
                let c = begin.captures_at(line, pos).expect("it matched");
                let whole = c.get(0).expect("the match");
                let mut region = vec![None; line.len()];
                name_captures(&mut region, &c, begin_captures);
                let stop = scan(inner, Some(region_end), line, whole.end(), &mut region);
                let stop = stop.max(whole.end()).min(line.len());
                if let Some(n) = n {
                    name(out, whole.start(), stop, n);
                }
                for (o, r) in out[whole.start()..stop]
                    .iter_mut()
                    .zip(&region[whole.start()..stop])
                {
                    if r.is_some() {
                        o.clone_from(r);
                    }
                }
                if stop == line.len() {
                    return line.len();
                }
                pos = stop;
            }
        }
        if pos == line.len() {
            return pos;
        }
    }
    line.len()
}

/// The scopes a token of `kind` may have.
fn fits(kind: TokenKind, scope: &str) -> bool {
    let prefixes: &[&str] = match kind {
        TokenKind::Comment => &["comment."],
        TokenKind::String => &["string."],
        TokenKind::Number => &["constant.numeric."],
        TokenKind::Operator => &["keyword.operator."],
        TokenKind::Keyword => &["keyword.control."],
        TokenKind::Follower => &["keyword.other."],
        TokenKind::Builtin => &["variable.language.", "constant.language."],
        TokenKind::Function => &["support.function."],
        TokenKind::Field => &["variable.other.property."],
        TokenKind::Param | TokenKind::Class | TokenKind::Name => {
            &["variable.other.jixiao", "entity.name."]
        }
    };
    prefixes.iter().any(|p| scope.starts_with(p))
}

/// Every token of `text` as the service sees it, with the grammar's scope at its start;
/// the tokens whose scope does not fit, as messages.
fn misfits(patterns: &[Pattern], name: &str, text: &str) -> Vec<String> {
    let source = Source::new(name, text);
    let lines: Vec<&str> = text.split('\n').collect();
    let per_line: Vec<Vec<Option<String>>> = lines.iter().map(|l| scopes(patterns, l)).collect();
    let mut out = Vec::new();
    for t in tokens(&source, &jixiao::check::Bundled) {
        let line = lines[t.line as usize];
        // UTF-16 columns to bytes.
        let mut units = 0;
        let mut start = line.len();
        for (i, c) in line.char_indices() {
            if units == t.start as usize {
                start = i;
                break;
            }
            units += c.len_utf16();
        }
        let units: Vec<u16> = line[start..]
            .encode_utf16()
            .take(t.length as usize)
            .collect();
        let token = String::from_utf16_lossy(&units);
        let scope = per_line[t.line as usize][start].clone();
        let covered = per_line[t.line as usize][start..start + token.len()]
            .iter()
            .all(Option::is_some);
        match scope {
            Some(s) if covered && fits(t.kind, &s) => {}
            other => out.push(format!(
                "{name}:{}: {token:?} is {:?} but the grammar gives {other:?}",
                t.line + 1,
                t.kind
            )),
        }
    }
    out
}

#[test]
fn every_token_of_every_bundled_and_example_rule_file_gets_its_scope() {
    let patterns = grammar();
    let mut files: Vec<String> = Vec::new();
    for dir in ["rules", "examples"] {
        for entry in walk(&crate::support::repo_path(dir)) {
            if entry.extension().is_some_and(|e| e == "rules") {
                files.push(
                    entry
                        .strip_prefix(crate::support::repo_path(""))
                        .expect("in the repository")
                        .display()
                        .to_string(),
                );
            }
        }
    }
    files.sort();
    assert!(
        files.contains(&"rules/hubei-2021.rules".to_owned())
            && files.contains(&"examples/hubei-2021-zh.rules".to_owned()),
        "{files:?}"
    );
    let wrong: Vec<String> = files
        .iter()
        .flat_map(|f| misfits(&patterns, f, &repo_file(f)))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn every_spelling_of_the_vocabulary_gets_its_scope_where_it_is_written() {
    let patterns = grammar();
    // Each word the language has (not the form's keys), alone on a line, after another
    // word, and on a test's clause line: the places whose kinds differ.
    let mut lines = Vec::new();
    for w in WORDS.iter().filter(|w| !w.role.is_form_key()) {
        for spelling in std::iter::once(w.en).chain(w.zh.iter().copied()) {
            for word in spelling.split(' ').filter(|s| !s.is_empty()) {
                lines.push(word.to_owned());
                lines.push(format!("x {word}"));
                lines.push(format!("    indicator {word}"));
                if w.role == Role::Builtin {
                    lines.push(format!("    score {word} * 2"));
                }
            }
        }
    }
    // The functions, as completion offers them (the checker's list, with signatures).
    let functions: Vec<String> = jixiao::service::complete::complete(
        &Source::new("f.rules", ""),
        &jixiao::check::Bundled,
        jixiao::service::position::Position::default(),
        Default::default,
    )
    .into_iter()
    .filter(|i| i.kind == jixiao::service::complete::ItemKind::Function)
    .map(|i| i.label)
    .collect();
    assert_eq!(functions.len(), 6, "{functions:?}");
    for f in functions {
        lines.push(format!("    score {f}(A, B)"));
    }
    let text = lines.join("\n");
    let wrong = misfits(&patterns, "vocabulary", &text);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_word_missing_from_the_grammar_is_found() {
    // The check above is only as good as its failing: take 缩放 out of the keywords and
    // it must be reported.
    let text = repo_file("editors/vscode/syntaxes/jixiao.tmLanguage.json");
    let mut g: Value = serde_json::from_str(&text).expect("JSON");
    let keywords = g["repository"]["keyword"]["match"]
        .as_str()
        .expect("the keywords")
        .replace("|缩放", "")
        .replace("缩放|", "");
    g["repository"]["keyword"]["match"] = Value::String(keywords);
    let patterns = compile(&g["patterns"], &g["repository"]);
    let wrong = misfits(&patterns, "t", "缩放 目标 至 100");
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(wrong[0].contains("\"缩放\" is Keyword"), "{wrong:?}");
}
