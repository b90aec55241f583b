//! A diff as CSV: one row per changed item (every item with `--all`), written by the one
//! CSV writer ([`Writer`]: byte order mark, RFC 4180, text that a spreadsheet would run
//! as a formula defused).
//!
//! Input: a [`Report`]. Output: the CSV text. Scores and changes are numbers (a zero
//! change `0.00`, a rise `2.53` without a sign), an absent score an empty cell; form
//! texts are text.

use rust_decimal::Decimal;

use super::Presence;
use super::view::{Report, goal_name, kind_name, transition};
use crate::report::export::csv::{Field, Writer};

/// The report as CSV.
#[must_use]
pub fn render(r: &Report) -> String {
    let mut out = Writer::new();
    out.row(&["表单", "目标", "指标", "项目", "原值", "新值", "变化"].map(Field::Text));
    let number = |d: Option<Decimal>| d.map_or(Field::Empty, Field::Number);
    // A change of zero is `0.00`, not `-0.00`.
    let change = |d: Option<Decimal>| number(d.map(|d| if d.is_zero() { d.abs() } else { d }));
    for diff in &r.diffs {
        for row in diff.rows.iter().filter(|row| r.all || row.changed) {
            let goal = goal_name(row);
            out.row(&[
                Field::Text(&diff.file),
                Field::Text(&goal),
                Field::Text(row.indicator.as_deref().unwrap_or("")),
                Field::Text(kind_name(row.kind)),
                number(row.old),
                number(row.new),
                match row.presence {
                    Presence::Added => Field::Text("新增"),
                    Presence::Removed => Field::Text("删除"),
                    Presence::Both => change(row.delta),
                },
            ]);
        }
        let t = &diff.total;
        if r.all || t.changed {
            out.row(&[
                Field::Text(&diff.file),
                Field::Empty,
                Field::Empty,
                Field::Text("总分"),
                Field::Number(t.old),
                Field::Number(t.new),
                change(t.delta),
            ]);
        }
        let g = &diff.grade;
        if r.all || g.changed {
            let moved = transition(g.old.as_deref(), g.new.as_deref());
            out.row(&[
                Field::Text(&diff.file),
                Field::Empty,
                Field::Empty,
                Field::Text("等级"),
                g.old.as_deref().map_or(Field::Empty, Field::Text),
                g.new.as_deref().map_or(Field::Empty, Field::Text),
                if g.changed {
                    Field::Text(&moved)
                } else {
                    Field::Empty
                },
            ]);
        }
    }
    out.finish()
}
