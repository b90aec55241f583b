//! A diff as JSON, for programs: what was compared, each form's rows (changed only,
//! unless `--all`), total and grade, the summary, and the forms that failed. The
//! workbench sends the same fields without the rows ([`crate::service::impact`]).
//!
//! Input: a [`Report`]. Output: one pretty-printed JSON object; decimals as strings.

use serde::Serialize;

use super::view::{Report, RulesRef};
use super::{GradeDiff, Row, Summary, TotalDiff};

/// The report's JSON fields, borrowed from it.
#[derive(Serialize)]
pub(crate) struct JsonReport<'a> {
    /// `rules` (two rule sets) or `forms` (two versions of a form).
    mode: &'static str,
    old_rules: &'a RulesRef,
    new_rules: &'a RulesRef,
    forms: Vec<JsonForm<'a>>,
    summary: &'a Summary,
    /// Forms that could not be read or scored.
    failed: &'a [String],
}

#[derive(Serialize)]
struct JsonForm<'a> {
    file: &'a str,
    old_file: Option<&'a str>,
    department: Option<&'a str>,
    changed: bool,
    /// Changed rows only, unless `--all`; left out where only totals are wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<Vec<&'a Row>>,
    total: &'a TotalDiff,
    grade: &'a GradeDiff,
}

/// The report as JSON, ended with a line break.
#[must_use]
pub fn render(r: &Report) -> String {
    crate::report::json::pretty(&shape(r, true))
}

/// The report's fields as [`render`] writes them; each form's `rows` only with `rows`
/// (the workbench shows the impact, totals and grades, and leaves them out).
pub(crate) fn shape(r: &Report, rows: bool) -> JsonReport<'_> {
    JsonReport {
        mode: r.mode.key(),
        old_rules: &r.old_rules,
        new_rules: &r.new_rules,
        forms: r
            .diffs
            .iter()
            .map(|d| JsonForm {
                file: &d.file,
                old_file: d.old_file.as_deref(),
                department: d.department.as_deref(),
                changed: d.changed(),
                rows: rows.then(|| d.rows.iter().filter(|row| r.all || row.changed).collect()),
                total: &d.total,
                grade: &d.grade,
            })
            .collect(),
        summary: &r.summary,
        failed: &r.failed,
    }
}
