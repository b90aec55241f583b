//! The vocabulary as Markdown tables: `docs/vocabulary.md`, which a test keeps equal to
//! [`markdown`]'s output.
//!
//! Input: the table. Output: one Markdown page. Invariants: every entry appears, in
//! table order, in the section of its role; a spelling is in backticks.

use std::fmt::Write as _;

use super::{Role, WORDS, Word};

/// A section of the page: a heading, a sentence, and which roles it lists.
type Section = (&'static str, &'static str, fn(Role) -> bool);

/// The sections of the page.
const SECTIONS: &[Section] = &[
    (
        "Keywords",
        "Each begins an item or a clause, or joins its parts. A reserved word is never a\n\
         name; the others may also name a parameter, a class or a band.",
        Role::is_keyword,
    ),
    (
        "Words that follow a keyword",
        "Round modes and levels, aggregation targets and methods, class kinds, what an\n\
         optional indicator does, and what a form's fact is.",
        |r| {
            matches!(
                r,
                Role::RoundMode(_)
                    | Role::RoundLevel(_)
                    | Role::AggTarget(_)
                    | Role::AggMethod(_)
                    | Role::ClassKind(_)
                    | Role::OptionalAction(_)
                    | Role::FactType(_)
            )
        },
    ),
    (
        "Built-in names",
        "Names formulas read without declaring them. `jixiao fmt --keywords zh|en`\n\
         translates them too, unless the file declares a parameter of that name.",
        |r| r == Role::Builtin,
    ),
    (
        "Tests",
        "What `expect` checks, and the form's keys a test's `indicator`, `entry` and\n\
         `budget` clauses write (in their first Chinese spelling).",
        |r| matches!(r, Role::Expect | Role::TestField | Role::BudgetField),
    ),
    (
        "Form keys",
        "A form (TOML) takes the English keys only. The Chinese names are the column\n\
         headings people type; a form diagnostic that meets one says which key it is.",
        Role::is_form_key,
    ),
];

/// The role as the page names it.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Item => "item",
        Role::Clause => "clause",
        Role::Joiner => "after a keyword",
        Role::Expression => "expression",
        Role::Binary(_) | Role::Prefix(_) => "operator",
        Role::RoundMode(_) => "round mode",
        Role::RoundLevel(_) => "round level",
        Role::AggTarget(_) => "aggregation target",
        Role::AggMethod(_) => "aggregation method",
        Role::ClassKind(_) => "class kind",
        Role::FactType(_) => "fact type",
        Role::OptionalAction(_) => "optional action",
        Role::Builtin => "built-in name",
        Role::Expect => "expect",
        Role::TestField => "indicator field",
        Role::BudgetField => "budget field",
        Role::FormKey => "form key",
    }
}

fn spellings(words: &[&str]) -> String {
    if words.is_empty() {
        return "—".to_owned();
    }
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(out: &mut String, w: &Word, zh: &[&str], reserved_column: bool) {
    let en = if w.en.is_empty() {
        "—".to_owned()
    } else {
        format!("`{}`", w.en)
    };
    let _ = write!(out, "| {en} | {} | {} |", spellings(zh), role_name(w.role));
    if reserved_column {
        out.push_str(if w.reserved { " yes |" } else { " |" });
    }
    out.push('\n');
}

/// The vocabulary as a Markdown page, a table per group of roles.
#[must_use]
pub fn markdown() -> String {
    let mut out = String::from(
        "# Vocabulary\n\n\
         Every word of the rule language and every key of the form, in English and\n\
         Chinese. The two sets of words can be mixed in one file; `jixiao fmt --keywords\n\
         zh|en` writes the first Chinese spelling, or the English. Generated from\n\
         `src/syntax/vocabulary` by a test: edit the table there, not this page.\n",
    );
    for (title, about, wanted) in SECTIONS {
        let reserved = WORDS.iter().any(|w| wanted(w.role) && w.reserved);
        let _ = write!(out, "\n## {title}\n\n{about}\n\n| English | 中文 | role |");
        out.push_str(if reserved { " reserved |\n" } else { "\n" });
        out.push_str(if reserved {
            "|---|---|---|---|\n"
        } else {
            "|---|---|---|\n"
        });
        for w in WORDS.iter().filter(|w| wanted(w.role)) {
            // A test reads a field's first spelling only; the rest are form headings.
            let in_tests =
                matches!(w.role, Role::TestField | Role::BudgetField) && *title == "Tests";
            let zh = if in_tests {
                &w.zh[..w.zh.len().min(1)]
            } else {
                w.zh
            };
            row(&mut out, w, zh, reserved);
        }
    }
    out
}
