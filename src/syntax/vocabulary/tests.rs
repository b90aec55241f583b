//! The table against the grammar (`grammar/rules.pest`, read as text and by parsing a small
//! rule file per entry), against itself, and against `docs/vocabulary.md`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Role, WORDS, Word, markdown};
use crate::source::Source;
use crate::syntax::parse;
use crate::syntax::parser::{Rule, is_keyword};

const GRAMMAR: &str = include_str!("../../../grammar/rules.pest");

/// Each rule of the grammar and the double-quoted literals in its definition (comments
/// left out). In `lower_start`, where a keyword is spelled as its first letter then the
/// rest (`'p'..'p' ~ !("aram" …)`), the literals are the whole words.
fn grammar_literals() -> BTreeMap<String, Vec<String>> {
    let mut rules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for line in GRAMMAR.lines() {
        let code = line.split("//").next().unwrap_or_default();
        if let Some((name, _)) = code.split_once('=') {
            let name = name.trim();
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                current = name.to_owned();
            }
        }
        // `'p'..'p' ~ !(…)` in lower_start: the letter that the fragments follow.
        let letter = code
            .trim_start()
            .strip_prefix("| ")
            .unwrap_or(code.trim_start())
            .strip_prefix('\'')
            .and_then(|r| r.chars().next())
            .filter(|_| current == "lower_start");
        let literals = rules.entry(current.clone()).or_default();
        let mut rest = code;
        while let Some(open) = rest.find('"') {
            let body = &rest[open + 1..];
            // The closing quote: the first not escaped by `\`.
            let mut escaped = false;
            let Some(close) = body.find(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            }) else {
                break;
            };
            let literal = &body[..close];
            literals.push(match letter {
                Some(c) => format!("{c}{literal}"),
                None => literal.to_owned(),
            });
            rest = &body[close + 1..];
        }
    }
    rules
}

/// A literal that is a word (not an operator, punctuation or an escape).
fn is_word(literal: &str) -> bool {
    !literal.contains('\\') && literal.chars().any(char::is_alphabetic)
}

fn entries(role: impl Fn(Role) -> bool) -> impl Iterator<Item = &'static Word> {
    WORDS.iter().filter(move |w| role(w.role))
}

/// The spellings of `words` that the rule language reads: all of a keyword's; a form
/// key's English and first Chinese.
fn read_spellings(w: &Word) -> Vec<&'static str> {
    let zh = if w.role.is_form_key() {
        &w.zh[..w.zh.len().min(1)]
    } else {
        w.zh
    };
    std::iter::once(w.en).chain(zh.iter().copied()).collect()
}

fn set_of<'a>(words: impl Iterator<Item = &'a Word>) -> BTreeSet<String> {
    words
        .flat_map(read_spellings)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn literal_set(rules: &BTreeMap<String, Vec<String>>, rule: &str) -> BTreeSet<String> {
    rules
        .get(rule)
        .unwrap_or_else(|| panic!("no rule {rule} in the grammar"))
        .iter()
        .filter(|l| is_word(l))
        .cloned()
        .collect()
}

#[test]
fn every_word_of_the_grammar_is_in_the_table() {
    let rules = grammar_literals();
    let known: BTreeSet<&str> = WORDS
        .iter()
        .flat_map(|w| std::iter::once(w.en).chain(w.zh.iter().copied()))
        .flat_map(str::split_whitespace)
        .collect();
    for (rule, literals) in &rules {
        for l in literals.iter().filter(|l| is_word(l)) {
            assert!(
                known.contains(l.as_str()),
                "{rule}: `{l}` is not in the table"
            );
        }
    }
}

#[test]
fn the_grammar_rules_that_list_words_list_the_table_s() {
    let rules = grammar_literals();
    let by_role = |rule: &str, role: fn(Role) -> bool| {
        assert_eq!(literal_set(&rules, rule), set_of(entries(role)), "{rule}");
    };
    by_role("field_name", |r| r == Role::TestField);
    by_role("budget_key", |r| r == Role::BudgetField);
    by_role("expect_what", |r| r == Role::Expect);
    by_role("round_mode", |r| matches!(r, Role::RoundMode(_)));
    by_role("round_level", |r| matches!(r, Role::RoundLevel(_)));
    by_role("agg_target", |r| matches!(r, Role::AggTarget(_)));
    by_role("class_kind", |r| matches!(r, Role::ClassKind(_)));
    // The reserved words: the `keyword` rule, and the English ones again in `lower_start`.
    let reserved = set_of(WORDS.iter().filter(|w| w.reserved));
    assert_eq!(literal_set(&rules, "keyword"), reserved);
    let english: BTreeSet<String> = WORDS
        .iter()
        .filter(|w| w.reserved)
        .map(|w| w.en.to_owned())
        .collect();
    assert_eq!(literal_set(&rules, "lower_start"), english);
}

#[test]
fn each_keyword_rule_spells_one_entry_and_each_keyword_has_a_rule() {
    let rules = grammar_literals();
    let single = |w: &Word| -> BTreeSet<String> {
        std::iter::once(w.en)
            .chain(w.zh.iter().copied())
            .filter(|s| !s.is_empty() && !s.contains(' '))
            .map(str::to_owned)
            .collect()
    };
    let mut spelled = BTreeSet::new();
    for (rule, _) in rules.iter().filter(|(r, _)| r.starts_with("kw_")) {
        let literals = literal_set(&rules, rule);
        let Some(w) = WORDS.iter().find(|w| single(w) == literals) else {
            panic!("{rule}: {literals:?} are no entry's spellings");
        };
        spelled.insert(w.en);
    }
    for w in entries(Role::is_keyword).filter(|w| !w.en.is_empty()) {
        assert!(spelled.contains(w.en), "no kw_ rule spells `{}`", w.en);
    }
    assert_eq!(
        literal_set(&rules, "places"),
        set_of(entries(|r| r == Role::Joiner).filter(|w| w.en.is_empty()))
    );
}

#[test]
fn the_parser_skips_exactly_the_keyword_tokens() {
    for &rule in Rule::all_rules() {
        assert_eq!(
            is_keyword(rule),
            format!("{rule:?}").starts_with("kw_"),
            "{rule:?}"
        );
    }
}

/// A rule file in which `{}` stands where a word of `w`'s role goes; `None` for the
/// form's keys that tests do not write.
fn sample(w: &Word) -> Option<&'static str> {
    Some(match w.role {
        Role::Item => match w.en {
            "rules" => "{} \"t\"",
            "extends" => "rules \"t\" {} \"b\"",
            "param" => "rules \"t\"\n{} x = 1",
            "round" => "rules \"t\"\n{} 2 half_up at total",
            "budget" => "rules \"t\"\n{}: weight 1 score 1",
            "aggregate" => "rules \"t\"\n{} number: sum",
            "class" => "rules \"t\"\n{} c for numbers: score 1",
            "optional" => "rules \"t\"\n{} none",
            "grade" => "rules \"t\"\n{} 优 >= 90, 差",
            "scale" => "rules \"t\"\n{} goals to 100",
            "test" => "rules \"t\"\n{} \"x\": expect total 1",
            "bonus" => "rules \"t\"\n{} b \"创新\": weight 1 score B",
            "deduction" => "rules \"t\"\n{} d: score 2 * B",
            "require" => "rules \"t\"\n{} goals: 80",
            "source" => "rules \"t\"\n{} \"财预〔2020〕10号\" 2020",
            "fact" => "rules \"t\"\n{} 级次: number",
            other => panic!("no sample for the item `{other}`"),
        },
        Role::Clause => match w.en {
            "weight" => "rules \"t\"\nbudget: {} 1 score 1",
            "score" => "rules \"t\"\nbudget: weight 1 {} 1",
            "cap" => "rules \"t\"\nbudget: weight 1 score 1 {} 1",
            "error" => "rules \"t\"\nbudget: weight 1 score 1 if A == 0: {} \"x\"",
            "for" => "rules \"t\"\nclass c {} numbers: score 1",
            "when" => "rules \"t\"\nclass c for numbers {} A > 0: score 1",
            "band" => "rules \"t\"\nclass c for text: {} a [0, 1] score 1",
            "default" => "rules \"t\"\nclass c for text: band a [0, 1] {} 1 score 1",
            "none" => "rules \"t\"\noptional {}",
            "expect" => "rules \"t\"\ntest \"x\": {} total 1",
            "indicator" => "rules \"t\"\ntest \"x\": {} target \"1\"",
            "entry" => "rules \"t\"\ntest \"x\": indicator {} fund \"1\"",
            "form" => "rules \"t\"\ntest \"x\": {} \"f.toml\"",
            other => panic!("no sample for the clause `{other}`"),
        },
        Role::Joiner => match w.en {
            "at" => "rules \"t\"\nround 2 half_up {} total",
            "" => "rules \"t\"\nround 2 {} half_up at total",
            "by" => "rules \"t\"\naggregate number: mean {} fund",
            "fund" => "rules \"t\"\naggregate number: mean by {}",
            "rescale" => "rules \"t\"\noptional when A > 0: {} goal",
            "goal" => "rules \"t\"\noptional when A > 0: rescale {}",
            "goals" => "rules \"t\"\nscale {} to 100",
            "to" => "rules \"t\"\nscale goals {} 100",
            "level1" => "rules \"t\"\nrequire {}: \"产出指标\" 50",
            other => panic!("no sample for `{other}`"),
        },
        Role::Expression => match w.en {
            "if" => "rules \"t\"\nparam x = {} A > 0 then 1 else 2",
            "then" => "rules \"t\"\nparam x = if A > 0 {} 1 else 2",
            "else" => "rules \"t\"\nparam x = if A > 0 then 1 {} 2",
            "step" => "rules \"t\"\nparam x = {}(A, >= 1: 1, else: 0)",
            other => panic!("no sample for `{other}`"),
        },
        Role::Binary(_) => "rules \"t\"\nparam x = A {} B",
        Role::Prefix(_) => "rules \"t\"\nparam x = {} A",
        Role::RoundMode(_) => "rules \"t\"\nround 2 {} at total",
        Role::RoundLevel(_) => "rules \"t\"\nround 2 half_up at {}",
        Role::AggTarget(_) => "rules \"t\"\naggregate {}: sum",
        Role::AggMethod(_) => "rules \"t\"\naggregate number: {}",
        Role::ClassKind(_) => "rules \"t\"\nclass c for {}: score 1",
        Role::FactType(_) => "rules \"t\"\nfact f: {}",
        Role::OptionalAction(_) => "rules \"t\"\noptional when A > 0: {}",
        Role::Builtin => "rules \"t\"\nparam x = {}",
        Role::Expect => "rules \"t\"\ntest \"x\": expect {} 1",
        Role::TestField => "rules \"t\"\ntest \"x\": indicator {} \"1\"",
        Role::BudgetField => "rules \"t\"\ntest \"x\": budget {} \"1\"",
        Role::FormKey => return None,
    })
}

/// The parsed file without its spans.
fn ast(text: &str) -> Result<String, String> {
    let file = parse(&Source::new("t.rules", text)).map_err(|e| format!("{e:?}"))?;
    let debug = format!("{file:?}");
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = &rest[rest.find('}').map_or(rest.len(), |j| j + 1)..];
    }
    out.push_str(rest);
    Ok(out)
}

#[test]
fn every_entry_parses_where_its_role_says_in_every_spelling_with_one_meaning() {
    for w in WORDS {
        let Some(template) = sample(w) else { continue };
        let spellings = read_spellings(w);
        let mut meanings = Vec::new();
        for s in &spellings {
            let text = template.replace("{}", s);
            let parsed =
                ast(&text).unwrap_or_else(|e| panic!("`{s}` ({:?}):\n{text}\n{e}", w.role));
            // A built-in is a name: its spellings differ in the tree; the checker reads
            // them as one (`builtins_mean_the_same_in_either_language`).
            meanings.push(if w.role == Role::Builtin {
                parsed.replace(&format!("{s:?}"), "NAME")
            } else {
                parsed
            });
        }
        assert!(
            meanings.windows(2).all(|m| m[0] == m[1]),
            "the spellings of `{}` ({:?}) mean different things: {meanings:#?}",
            w.en,
            w.role
        );
    }
}

#[test]
fn a_word_is_refused_as_a_name_exactly_when_it_is_reserved() {
    for w in WORDS {
        for s in std::iter::once(w.en).chain(w.zh.iter().copied()) {
            if s.is_empty() || s.contains(' ') || !s.chars().next().is_some_and(char::is_alphabetic)
            {
                continue;
            }
            let reserved = WORDS.iter().any(|x| x.reserved && x.is_spelled(s));
            let parsed = ast(&format!("rules \"t\"\nparam {s} = 1"));
            assert_eq!(parsed.is_err(), reserved, "`{s}`");
        }
    }
}

#[test]
fn builtins_mean_the_same_in_either_language() {
    for w in entries(|r| r == Role::Builtin) {
        let canonical = |s: &str| {
            let text = format!(
                "rules \"t\"\nbudget: weight 1 score 1\n\
                 class c for text: band a [0, 1] score if {s} == {s} then 1 else 0\n"
            );
            crate::compile(&Source::new("t.rules", text))
                .map(|r| r.canonical())
                .unwrap_or_else(|e| panic!("`{s}`: {e:?}"))
        };
        for zh in w.zh {
            assert_eq!(canonical(zh), canonical(w.en), "`{zh}`");
        }
    }
}

#[test]
fn a_typed_role_names_one_word_and_a_keyword_s_english_is_unique() {
    let mut seen = BTreeSet::new();
    for w in WORDS {
        let typed = !matches!(
            w.role,
            Role::Item
                | Role::Clause
                | Role::Joiner
                | Role::Expression
                | Role::Builtin
                | Role::Expect
                | Role::TestField
                | Role::BudgetField
                | Role::FormKey
        );
        if typed {
            assert!(seen.insert(format!("{:?}", w.role)), "{:?} twice", w.role);
        }
        // `Display` and `sexp` print a word operator by its symbol, the English word.
        if let Role::Binary(op) = w.role {
            assert_eq!(op.symbol(), w.en);
        }
        if w.role.is_keyword() {
            let same = entries(Role::is_keyword).filter(|x| x.en == w.en).count();
            assert_eq!(same, 1, "keyword `{}`", w.en);
        }
        let within_role = WORDS.iter().filter(|x| x.role == w.role && x.en == w.en);
        assert_eq!(within_role.count(), 1, "`{}` twice as {:?}", w.en, w.role);
    }
}

#[test]
fn a_built_in_that_is_also_a_test_field_has_one_chinese_name() {
    for b in entries(|r| r == Role::Builtin) {
        if let Some(f) = entries(|r| r == Role::TestField).find(|f| f.en == b.en) {
            assert_eq!(b.zh.first(), f.zh.first(), "`{}`", b.en);
        }
    }
}

#[test]
fn a_chinese_heading_names_one_form_key() {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for w in entries(Role::is_form_key) {
        for zh in w.zh {
            if let Some(other) = seen.insert(zh, w.en) {
                panic!("`{zh}` is both {other} and {}", w.en);
            }
        }
    }
}

#[test]
fn every_chinese_heading_typed_as_a_key_is_told_its_english_key() {
    for w in entries(Role::is_form_key) {
        for zh in w.zh {
            let text = format!("{zh} = \"1\"\n");
            let Err(e) = crate::load_form(&Source::new("f.toml", text)) else {
                panic!("`{zh}` read as a key");
            };
            let said = format!("{e:?}");
            assert!(said.contains(&format!("应写作 {}", w.en)), "`{zh}`: {said}");
        }
    }
}

#[test]
fn the_vocabulary_page_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/vocabulary.md");
    let page = markdown();
    if std::env::var_os("JIXIAO_UPDATE_DOCS").is_some() {
        std::fs::write(path, &page).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == page,
        "docs/vocabulary.md differs from the table: run `JIXIAO_UPDATE_DOCS=1 cargo test \
         --lib vocabulary` and commit it"
    );
}
