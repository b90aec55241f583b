//! An audit as text for people: what `jixiao audit` prints of each form (its name, the
//! differing rows as table cells, the sums and the verdict) and of a batch. The CLI draws
//! the table from [`COLUMNS`] and [`cells`].
//!
//! Input: a [`FormAudit`]. Output: lines and cells of text, without line breaks. Texts are
//! as the audit holds them: the CLI audits an outcome made safe for a terminal.

use super::{AuditRow, Finding, FormAudit, RowKind};
use crate::num::shown::{show, signed};

/// The columns of the table of differing rows.
pub const COLUMNS: [&str; 7] = ["位置", "指标", "权重", "得分", "自评得分", "差异", "说明"];

/// The column of [`cells`] that holds the difference (highlighted on a terminal).
pub const DIFFERENCE: usize = 5;

/// The form's heading: its file, then its title.
#[must_use]
pub fn heading(a: &FormAudit) -> String {
    let title = a.form.title.as_deref().unwrap_or("");
    format!("{}  {title}", a.form.file)
}

/// What a form whose reported scores all agree shows instead of a table.
#[must_use]
pub fn agreement(a: &FormAudit) -> String {
    format!(
        "结论：一致（{} 项自评得分均与计算得分相符，容差 {}）",
        a.compared, a.tolerance
    )
}

/// A differing row's cells, under [`COLUMNS`].
#[must_use]
pub fn cells(r: &AuditRow) -> [String; 7] {
    let (place, name) = match r.kind {
        RowKind::Budget => ("预算".to_owned(), "预算执行情况".to_owned()),
        RowKind::Indicator => (
            r.goal.map(|n| format!("年度目标{n}")).unwrap_or_default(),
            r.name.clone(),
        ),
        RowKind::Goal => (
            r.goal.map(|n| format!("年度目标{n}")).unwrap_or_default(),
            "小计".to_owned(),
        ),
        RowKind::Total => ("总分".to_owned(), String::new()),
    };
    let note = match r.finding {
        Finding::Over => "自评偏高".to_owned(),
        Finding::Under => "自评偏低".to_owned(),
        Finding::Unscored => format!("未评但自评 {} 分", show(r.reported)),
    };
    let computed = match r.computed {
        Some(c) => show(c),
        None => "不计".to_owned(),
    };
    [
        place,
        name,
        show(r.weight),
        computed,
        show(r.reported),
        signed(r.difference),
        note,
    ]
}

/// The sums of over- and under-reporting, after the table.
#[must_use]
pub fn sums(a: &FormAudit) -> String {
    format!(
        "差异超过 {} 分的预算与指标：自评偏高合计 {} 分，自评偏低合计 {} 分",
        a.tolerance,
        show(a.over),
        show(a.under)
    )
}

/// The verdict line, after the sums.
#[must_use]
pub fn verdict(a: &FormAudit) -> String {
    format!("结论：{}", a.verdict_text)
}

/// The last line of a batch: how many forms agree, differ, or could not be scored.
#[must_use]
pub fn batch_line(forms: usize, differing: usize, failed: usize) -> String {
    let agreeing = forms - failed - differing;
    let mut out = format!("共核查 {forms} 份表单：一致 {agreeing} 份，不一致 {differing} 份");
    if failed > 0 {
        out.push_str(&format!("，无法计分 {failed} 份"));
    }
    out
}
