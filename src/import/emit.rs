//! Writing a draft form as TOML in the pinned layout.
//!
//! Input: a [`Draft`] whose goals and indicators all have weights. Output: TOML text with
//! a comment above every value naming its cell (and how it was derived), so that a form
//! diagnostic pointing at a value shows the cell it came from on the line above.
//! Invariant: the text is valid TOML: strings are escaped, comments hold no line breaks.

use std::fmt::Write as _;

use super::Weights;
use super::draft::{Draft, DraftEntry, DraftIndicator, Field, Val};

pub(crate) fn toml(name: &str, draft: &Draft, weights: Weights) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# 由 jixiao import 从「{}」转换生成。",
        comment_text(name)
    );
    out.push_str(
        "# 每个值上方的注释写明它取自原文件的哪个单元格，如 Sheet1!F12、第 12 行第 6 列、表 2 第 12 行第 6 列（Word）或第 1 页第 7 行第 4 列（PDF）。\n",
    );
    if weights == Weights::Reported {
        out.push_str("# 没有分值的指标按自评得分作为权重（--weights reported）。\n");
    }

    let meta = [
        ("title", &draft.title),
        ("department", &draft.department),
        ("year", &draft.year),
        ("filled_on", &draft.filled_on),
        ("reported_total", &draft.reported_total),
        ("rules", &draft.rules),
    ];
    if meta.iter().any(|(_, f)| f.is_some()) || !draft.facts.is_empty() {
        out.push_str("\n[form]\n");
        for (key, field) in meta {
            opt(&mut out, key, field.as_ref());
        }
        for (key, field) in &draft.facts {
            put(&mut out, &toml_key(key), field);
        }
    }

    if let Some(b) = &draft.budget {
        out.push_str("\n[budget]\n");
        put(&mut out, "planned", &b.planned);
        put(&mut out, "executed", &b.executed);
        opt(&mut out, "basic", b.basic.as_ref());
        opt(&mut out, "project", b.project.as_ref());
        opt(&mut out, "reported_score", b.reported.as_ref());
    }

    for goal in &draft.goals {
        let _ = write!(out, "\n# 年度目标{}\n[[goals]]\n", goal.number);
        put(&mut out, "name", &goal.name);
        opt(&mut out, "weight", goal.weight.as_ref());
        for ind in &goal.indicators {
            indicator(&mut out, ind);
        }
    }
    for a in &draft.adjustments {
        let _ = writeln!(out, "\n[[{}]]", a.kind.keyword());
        put(&mut out, "name", &a.name);
        put(&mut out, "value", &a.value);
        opt(&mut out, "reported", a.reported.as_ref());
    }
    out
}

/// A key as TOML writes it: bare when it may be (`级次` may not), else quoted.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_owned()
    } else {
        toml::Value::String(key.to_owned()).to_string()
    }
}

fn indicator(out: &mut String, ind: &DraftIndicator) {
    out.push_str("\n[[goals.indicators]]\n");
    put(out, "level1", &ind.level1);
    put(out, "level2", &ind.level2);
    put(out, "name", &ind.name);
    opt(out, "target", ind.target.as_ref());
    opt(out, "actual", ind.actual.as_ref());
    opt(out, "weight", ind.weight.as_ref());
    opt(out, "reported", ind.reported.as_ref());
    opt(out, "direction", ind.direction.as_ref());
    opt(out, "tier", ind.tier.as_ref());
    opt(out, "rate", ind.rate.as_ref());
    if !ind.entries.is_empty() {
        out.push_str("entries = [\n");
        for e in &ind.entries {
            entry(out, e);
        }
        out.push_str("]\n");
    }
}

fn entry(out: &mut String, e: &DraftEntry) {
    let parts = [
        ("fund", "资金", Some(&e.fund)),
        ("target", "目标值", e.target.as_ref()),
        ("actual", "实际值", e.actual.as_ref()),
        ("tier", "档次", e.tier.as_ref()),
        ("rate", "得分率", e.rate.as_ref()),
    ];
    let origins: Vec<String> = parts
        .iter()
        .filter_map(|(_, what, f)| f.map(|f| format!("{what} {}", origin(f))))
        .collect();
    let _ = writeln!(out, "  # {}", comment_text(&origins.join("；")));
    let values: Vec<String> = parts
        .iter()
        .filter_map(|(key, _, f)| f.map(|f| format!("{key} = {}", value(&f.val))))
        .collect();
    let _ = writeln!(out, "  {{ {} }},", values.join(", "));
}

fn opt(out: &mut String, key: &str, field: Option<&Field>) {
    if let Some(f) = field {
        put(out, key, f);
    }
}

fn put(out: &mut String, key: &str, field: &Field) {
    let _ = writeln!(out, "# {}", comment_text(&origin(field)));
    let _ = writeln!(out, "{key} = {}", value(&field.val));
}

/// `Sheet1!F12`, `Sheet1!F12（note）`, or the note alone for a derived value.
fn origin(field: &Field) -> String {
    match (&field.note, field.from.at.is_empty()) {
        (None, _) => field.from.at.clone(),
        (Some(note), true) => note.clone(),
        (Some(note), false) => format!("{}（{note}）", field.from.at),
    }
}

fn value(val: &Val) -> String {
    match val {
        Val::Str(s) => quote(s),
        Val::Num(n) => n.normalize().to_string(),
        Val::Date(d) => d.clone(),
    }
}

/// A TOML basic string.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text safe inside a `#` comment: control characters (line breaks) become spaces.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        let parsed: toml::Value =
            toml::from_str(&format!("k = {}", quote("\"引号\"\t\u{7f}"))).expect("valid TOML");
        assert_eq!(parsed["k"].as_str(), Some("\"引号\"\t\u{7f}"));
        assert_eq!(comment_text("a\nb\rc"), "a b c");
    }
}
