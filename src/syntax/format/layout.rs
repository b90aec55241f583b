//! Laying out the printed lines and the source's comments into the output text.
//!
//! Input: the lines and the comments. Output: the file's text. Invariants: every comment
//! is written exactly once; own-line comments go before the line they preceded, at its
//! indentation; a trailing comment stays at the end of its line.

use super::lex::Comment;
use super::lines::Line;

pub(super) fn layout(lines: &[Line], comments: &[Comment]) -> String {
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
