//! A diff as CSV: one row per changed item (every item with `--all`), written by the one
//! CSV writer ([`Writer`]: byte order mark, RFC 4180, text that a spreadsheet would run
//! as a formula defused).
//!
//! Input: a [`Report`]. Output: the CSV text, one row per [`records`] item. Scores and
//! changes are numbers (a zero change `0.00`, a rise `2.53` without a sign), an absent
//! score an empty cell; form texts are text.

use super::view::{RECORD_COLUMNS, Report, records};
use crate::report::export::Value;
use crate::report::export::csv::{Field, Writer};

/// The report as CSV.
#[must_use]
pub fn render(r: &Report) -> String {
    let mut out = Writer::new();
    out.row(&RECORD_COLUMNS.map(Field::Text));
    for rec in records(r) {
        out.row(&[
            Field::Text(rec.file),
            Field::Text(&rec.goal),
            Field::Text(rec.indicator),
            Field::Text(rec.item),
            field(&rec.old),
            field(&rec.new),
            field(&rec.change),
        ]);
    }
    out.finish()
}

fn field(v: &Value) -> Field<'_> {
    match v {
        Value::Empty => Field::Empty,
        Value::Number(d) => Field::Number(*d),
        Value::Text(t) => Field::Text(t),
    }
}
