//! A diff as an Excel workbook: a 汇总 sheet with the impact (what the folder diff leads
//! with: the summary, the grade transition matrix, the totals before and after, the forms
//! that moved most), then a 变化明细 sheet of the changed items, a row each.
//!
//! Input: a [`Report`]. Output: the workbook's bytes, for the CLI to write. Built from
//! the same data as the other formats ([`Report::summary_stats`], the summary's matrix
//! and distribution, [`records`]) with the score workbook's sheet helpers
//! ([`crate::report::export::xlsx`]). Counts, scores and changes are numbers, shown at
//! the rules' places ([`Report::places`]; the summary's mean and median at two, as they
//! are computed); texts are the forms' own, made safe by those helpers.

use std::collections::HashSet;

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, Worksheet, XlsxError};

use super::view::{RECORD_COLUMNS, Report, Stat, grade_cell, records};
use crate::report::export::xlsx::{Formats, Sheet, WIDEST, XlsxFailure, failure, sheet_name};

/// How wide each column of the 汇总 sheet may grow: a label or a unit, a file, then
/// numbers (the grade matrix may have several columns).
const SUMMARY_CAPS: [usize; 10] = [20, WIDEST, 14, 14, 14, 14, 14, 14, 14, 14];
/// How wide each column of the 变化明细 sheet may grow, under [`RECORD_COLUMNS`].
const RECORD_CAPS: [usize; 7] = [WIDEST, 12, WIDEST, 12, 12, 12, 12];

/// The report as a workbook: 汇总, then 变化明细.
///
/// # Errors
/// The workbook could not be built (rust_xlsxwriter refused it).
pub fn render(r: &Report) -> Result<Vec<u8>, XlsxFailure> {
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    let f = Formats::new();
    let n = Numbers::new(&f, r.places());
    let summary = sheet_name("汇总", &mut taken);
    book.push_worksheet(summary_sheet(r, &f, &n, &summary).map_err(failure)?);
    let changes = sheet_name("变化明细", &mut taken);
    book.push_worksheet(records_sheet(r, &f, &n, &changes).map_err(failure)?);
    book.save_to_buffer().map_err(failure)
}

/// The number formats: scores and changes at the rules' places (Excel's General when
/// they do not round), statistics at two places.
struct Numbers {
    score: Format,
    change: Format,
    stat: Format,
    count: Format,
}

impl Numbers {
    fn new(f: &Formats, places: Option<u32>) -> Self {
        let fixed = |p: u32| {
            if p == 0 {
                "0".to_owned()
            } else {
                format!("0.{}", "0".repeat(p as usize))
            }
        };
        let (score, change) = match places {
            Some(p) => {
                let s = fixed(p);
                (s.clone(), format!("+{s};-{s};{s}"))
            }
            None => ("General".to_owned(), "+General;-General;0".to_owned()),
        };
        Self {
            score: f.num.clone().set_num_format(score),
            change: f.num.clone().set_num_format(change),
            stat: f.num.clone().set_num_format("+0.00;-0.00;0.00"),
            count: f.num.clone().set_num_format("0"),
        }
    }
}

/// A column number that fits (the sheets have few columns).
fn col(i: usize) -> ColNum {
    ColNum::try_from(i).unwrap_or(ColNum::MAX)
}

/// The impact: title and rules, the summary, the grade matrix, the distribution, the
/// largest movers, one block under the other.
fn summary_sheet(r: &Report, f: &Formats, n: &Numbers, name: &str) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new(name, &SUMMARY_CAPS)?;
    let last = col(SUMMARY_CAPS.len() - 1).min(5);
    s.ws.merge_range(0, 0, 0, last, r.mode.title(), &f.title)?;
    s.ws.set_row_height(0, 24)?;
    let mut row: RowNum = 1;
    for l in r.headline() {
        s.merged(row, 0, last, &l, &f.note)?;
        row += 1;
    }
    row += 1;
    for (c, h) in ["项目", "值", "说明"].into_iter().enumerate() {
        s.text(row, col(c), h, &f.header)?;
    }
    for (label, stat) in r.summary_stats() {
        row += 1;
        s.text(row, 0, label, &f.label)?;
        match &stat {
            Stat::Forms(count, note) => {
                s.num(row, 1, (*count).into(), &n.count)?;
                s.text(row, 2, note.as_deref().unwrap_or("份"), &f.text)?;
            }
            Stat::Change(d) => {
                s.opt(row, 1, *d, &n.stat)?;
                s.text(row, 2, "", &f.text)?;
            }
            Stat::Text(t) => {
                s.text(row, 1, t, &f.text)?;
                s.text(row, 2, "", &f.text)?;
            }
        }
    }
    row = matrix(&mut s, r, f, n, row + 2)?;
    row = distribution(&mut s, r, f, n, row + 2)?;
    if r.has_movers() {
        movers(&mut s, r, f, n, row + 2)?;
    }
    s.ws.set_paper_size(9);
    s.ws.set_print_fit_to_pages(1, 0);
    s.finish()
}

/// The grade transition matrix from `row`: a heading, the grades across, a row per old
/// grade with its counts (blank for none); the last row written.
fn matrix(
    s: &mut Sheet,
    r: &Report,
    f: &Formats,
    n: &Numbers,
    mut row: RowNum,
) -> Result<RowNum, XlsxError> {
    let (header, _) = r.matrix_table();
    let m = &r.summary.grade_matrix;
    let last = col(header.len().saturating_sub(1)).max(1);
    s.merged(
        row,
        0,
        last,
        "等级变化（行：原等级，列：新等级，单元格：表单份数）",
        &f.label,
    )?;
    row += 1;
    for (c, h) in header.iter().enumerate() {
        s.text(row, col(c), h, &f.header)?;
    }
    for (name, counts) in header.iter().skip(1).zip(&m.counts) {
        row += 1;
        s.text(row, 0, name, &f.label)?;
        for (c, &count) in counts.iter().enumerate() {
            let cell = (count > 0).then(|| count.into());
            s.opt(row, col(c + 1), cell, &n.count)?;
        }
    }
    Ok(row)
}

/// The totals before and after, a row per bin, from `row`; the last row written.
fn distribution(
    s: &mut Sheet,
    r: &Report,
    f: &Formats,
    n: &Numbers,
    mut row: RowNum,
) -> Result<RowNum, XlsxError> {
    let Some(dist) = &r.summary.distribution else {
        return Ok(row);
    };
    let [range, old, _, new, _] = r.distribution_columns();
    s.merged(row, 0, 2, "总分分布（表单份数）", &f.label)?;
    row += 1;
    for (c, h) in [range, old, new].into_iter().enumerate() {
        s.text(row, col(c), h, &f.header)?;
    }
    // The bins' labels as the other formats write them.
    for (b, cells) in dist.bins.iter().zip(r.distribution_rows()) {
        row += 1;
        let [label, ..] = cells;
        s.text(row, 0, &label, &f.text)?;
        s.num(row, 1, b.old.into(), &n.count)?;
        s.num(row, 2, b.new.into(), &n.count)?;
    }
    Ok(row)
}

/// The forms whose total moved most, from `row`.
fn movers(
    s: &mut Sheet,
    r: &Report,
    f: &Formats,
    n: &Numbers,
    mut row: RowNum,
) -> Result<(), XlsxError> {
    let columns = r.mover_columns();
    s.merged(
        row,
        0,
        col(columns.len() - 1),
        "总分变动最大的表单",
        &f.label,
    )?;
    row += 1;
    for (c, h) in columns.iter().enumerate() {
        s.text(row, col(c), h, &f.header)?;
    }
    for m in &r.summary.largest_movers {
        row += 1;
        s.text(row, 0, m.department.as_deref().unwrap_or(""), &f.text)?;
        s.text(row, 1, &m.file, &f.text)?;
        s.num(row, 2, m.old, &n.score)?;
        s.num(row, 3, m.new, &n.score)?;
        s.num(row, 4, m.delta, &n.change)?;
        let grade = grade_cell(m.old_grade.as_deref(), m.new_grade.as_deref());
        s.text(row, 5, &grade, &f.text)?;
    }
    Ok(())
}

/// The changed items, a row each under [`RECORD_COLUMNS`], the header frozen.
fn records_sheet(r: &Report, f: &Formats, n: &Numbers, name: &str) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new(name, &RECORD_CAPS)?;
    for (c, h) in RECORD_COLUMNS.iter().enumerate() {
        s.text(0, col(c), h, &f.header)?;
    }
    s.ws.set_freeze_panes(1, 0)?;
    s.ws.set_repeat_rows(0, 0)?;
    let mut row: RowNum = 0;
    for rec in records(r) {
        row += 1;
        s.text(row, 0, rec.file, &f.text)?;
        s.text(row, 1, &rec.goal, &f.text)?;
        s.text(row, 2, rec.indicator, &f.text)?;
        s.text(row, 3, rec.item, &f.text)?;
        s.value(row, 4, &rec.old, &n.score)?;
        s.value(row, 5, &rec.new, &n.score)?;
        s.value(row, 6, &rec.change, &n.change)?;
    }
    s.ws.set_paper_size(9);
    s.ws.set_landscape();
    s.ws.set_print_fit_to_pages(1, 0);
    s.finish()
}
