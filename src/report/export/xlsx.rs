//! The xlsx report: a sheet laid out like the paper form (title, 单位名称, the budget
//! block, per goal a header row 年度目标N（P分） and its indicator rows), computed and
//! reported scores side by side, differences filled in colour; for a batch, a 汇总 sheet
//! ranking the forms and then one sheet per form.
//!
//! Scores are written as numbers, not text, so the sheet can sum and sort them. Column
//! widths come from unicode-width (a Chinese character counts two columns), because
//! rust_xlsxwriter's autofit counts every non-ASCII character as narrow.
//!
//! Every text from a form passes through `fit` (cells) or `sheet_name` (sheet
//! names): characters XML cannot hold (C0 controls but tab, line feed and carriage
//! return; U+FFFE, U+FFFF) would make the workbook corrupt, so Excel refuses to open it.
//! In cells they are written visibly as `\u{FFFF}`, as the terminal output writes control
//! characters; in sheet names, which have their own rules, they become `_`.
//!
//! Input: one [`Outcome`], or a batch's ranking and its forms' sheets ([`batch_sheet`]).
//! Output: the workbook's bytes, for the CLI to write. Built only with the `xlsx` feature
//! (which `cli` turns on): rust_xlsxwriter is an optional dependency.

use std::borrow::Cow;
use std::collections::HashSet;

use miette::Diagnostic;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ColNum, Color, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet, XlsxError,
};
use thiserror::Error;
use unicode_width::UnicodeWidthStr;

use super::{
    BUDGET_COLUMNS, Failed, GOAL_COLUMNS, Line, LineKind, NOT_SCORED, RANKING_COLUMNS, Ranked,
    SCALED_GOAL_COLUMNS, Value, lines, scaled,
};
use crate::Outcome;
use crate::eval::RulesInfo;

/// The workbook could not be built.
#[derive(Debug, Error, Diagnostic)]
#[error("无法生成 xlsx 文件：{reason}")]
#[diagnostic(
    code(jixiao::xlsx::write),
    help("这是 jixiao 的问题，请附上表单报告给维护者")
)]
pub struct XlsxFailure {
    reason: String,
}

pub(crate) fn failure(e: XlsxError) -> XlsxFailure {
    XlsxFailure {
        reason: e.to_string(),
    }
}

/// A form's sheet of a batch, built on its own ([`batch_sheet`]) and put in the workbook
/// by [`batch`].
pub struct BatchSheet {
    /// The name the sheet asks for (the department, else the file's stem).
    base: String,
    sheet: Worksheet,
}

/// Excel's limit on the text of one cell, in characters.
const CELL_CHARS: usize = 32_767;

/// `text` as a cell can hold it: characters XML cannot hold written as `\u{XXXX}`
/// ([`xml_safe`]), then cut to Excel's limit (with `…` at the end to show the cut): a
/// form's name or title can be longer than Excel allows, and the report is still wanted.
fn fit(text: &str) -> Cow<'_, str> {
    let text = xml_safe(text);
    match text.char_indices().nth(CELL_CHARS) {
        None => text,
        Some(_) => {
            let cut = text
                .char_indices()
                .nth(CELL_CHARS - 1)
                .map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..cut]))
        }
    }
}

/// A character XML 1.0 cannot hold, even escaped: the C0 controls but tab, line feed and
/// carriage return, and U+FFFE, U+FFFF. (Lone surrogates, the other excluded range,
/// cannot occur in a Rust string.)
fn xml_invalid(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `text` with each character XML cannot hold written as `\u{XXXX}`, the notation of
/// [`crate::text::escaped`]; borrowed when there is none.
fn xml_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(xml_invalid) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if xml_invalid(c) {
            out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Excel's limit on a sheet name, in characters.
const SHEET_NAME_MAX: usize = 31;
/// The widest a column grows (in Excel's units, about one Latin character) before its
/// text wraps.
pub(crate) const WIDEST: usize = 40;
/// The height of one line of text, in points.
const LINE_HEIGHT: u32 = 15;
/// The fill of a cell whose computed and reported scores differ.
const DIFFERS: u32 = 0x00FC_E4D6;
/// Header and goal rows.
const HEADER_FILL: u32 = 0x00DD_E5F0;
const GOAL_FILL: u32 = 0x00F2_F2F2;

/// A number as rust_xlsxwriter takes it. Decimals are exact everywhere else in jixiao;
/// this is the one conversion to binary floating point, at the output boundary, through
/// the decimal's text (every score has far fewer than 15 significant digits).
fn number(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or_default()
}

/// One form: a workbook of one sheet.
///
/// # Errors
/// The workbook could not be built (rust_xlsxwriter refused it).
pub fn form(o: &Outcome) -> Result<Vec<u8>, XlsxFailure> {
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    let name = sheet_name(&form_sheet_base(o, 1), &mut taken);
    book.push_worksheet(form_sheet(o, &name).map_err(failure)?);
    book.save_to_buffer().map_err(failure)
}

/// A form's sheet of a batch, built on its own (in parallel with the others), with the
/// name it asks for, which [`batch`] makes unique. The batch holds these sheets, not the
/// forms' outcomes, until the workbook is written.
///
/// # Errors
/// The sheet could not be built.
pub fn batch_sheet(o: &Outcome) -> Result<BatchSheet, XlsxFailure> {
    let sheet = form_sheet(o, "表单").map_err(failure)?;
    Ok(BatchSheet {
        base: sheet_base(o),
        sheet,
    })
}

/// A batch: the 汇总 sheet, then a sheet per form (in input order), each made by
/// [`batch_sheet`]; `rules` is the rule set that scored them.
///
/// # Errors
/// The workbook could not be built.
pub fn batch(
    rules: Option<&RulesInfo>,
    ranked: &[Ranked],
    failed: &[Failed],
    sheets: Vec<BatchSheet>,
) -> Result<Vec<u8>, XlsxFailure> {
    let mut book = Workbook::new();
    let mut taken = HashSet::new();
    let summary = sheet_name("汇总", &mut taken);
    book.push_worksheet(summary_sheet(rules, ranked, failed, &summary).map_err(failure)?);
    for (i, BatchSheet { base, mut sheet }) in sheets.into_iter().enumerate() {
        let name = sheet_name(&numbered(base, i + 1), &mut taken);
        sheet.set_name(&name).map_err(failure)?;
        book.push_worksheet(sheet);
    }
    book.save_to_buffer().map_err(failure)
}

/// What the `n`th form's sheet is named after: the department, else the file's stem,
/// else `表单n`.
fn form_sheet_base(o: &Outcome, n: usize) -> String {
    numbered(sheet_base(o), n)
}

/// The department, else the file's stem (perhaps empty).
fn sheet_base(o: &Outcome) -> String {
    o.form.department.as_deref().map_or_else(
        || {
            std::path::Path::new(&*o.form.file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        },
        str::to_owned,
    )
}

/// `base`, or `表单n` when it is blank.
fn numbered(base: String, n: usize) -> String {
    if base.trim().is_empty() {
        format!("表单{n}")
    } else {
        base
    }
}

/// A valid sheet name, unique in the workbook (Excel compares names ignoring case): at
/// most 31 characters, none of `[]:*?/\` nor a character XML cannot hold, no control
/// character, not starting or ending with `'`, and not `History` (reserved). A clash gets
/// ` (2)`, ` (3)`, … within the limit.
pub(crate) fn sheet_name(base: &str, taken: &mut HashSet<String>) -> String {
    let cleaned: String = base
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if xml_invalid(c) => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let cleaned = if cleaned.is_empty() {
        "表单"
    } else {
        cleaned
    };
    let cut = |s: &str, n: usize| -> String {
        let s: String = s.chars().take(n).collect();
        s.trim_end().trim_end_matches('\'').to_owned()
    };
    let mut name = cut(cleaned, SHEET_NAME_MAX);
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) || name.eq_ignore_ascii_case("history") {
        let suffix = format!(" ({n})");
        name = format!(
            "{}{suffix}",
            cut(cleaned, SHEET_NAME_MAX - suffix.chars().count())
        );
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// The formats of a sheet.
pub(crate) struct Formats {
    pub(crate) title: Format,
    pub(crate) label: Format,
    pub(crate) header: Format,
    pub(crate) text: Format,
    pub(crate) num: Format,
    pub(crate) percent: Format,
    pub(crate) goal_text: Format,
    pub(crate) goal_num: Format,
    pub(crate) diff: Format,
    pub(crate) diff_marked: Format,
    pub(crate) goal_diff: Format,
    pub(crate) goal_diff_marked: Format,
    pub(crate) total_label: Format,
    pub(crate) total_num: Format,
    pub(crate) note: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        let num = cell.clone().set_align(FormatAlign::Right);
        let goal = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top)
            .set_bold()
            .set_background_color(Color::RGB(GOAL_FILL));
        // Differences show their sign: +0.96, -1.1, 0.
        let signed = "+General;-General;0";
        Self {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(HEADER_FILL)),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(HEADER_FILL)),
            text: cell.clone().set_text_wrap(),
            num: num.clone(),
            percent: num.clone().set_num_format("0.00%"),
            goal_text: goal.clone().set_text_wrap(),
            goal_num: goal.clone().set_align(FormatAlign::Right),
            diff: num.clone().set_num_format(signed),
            diff_marked: num
                .clone()
                .set_num_format(signed)
                .set_bold()
                .set_background_color(Color::RGB(DIFFERS)),
            goal_diff: goal
                .clone()
                .set_align(FormatAlign::Right)
                .set_num_format(signed),
            goal_diff_marked: goal
                .set_align(FormatAlign::Right)
                .set_num_format(signed)
                .set_background_color(Color::RGB(DIFFERS)),
            total_label: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(HEADER_FILL)),
            total_num: num.set_bold(),
            note: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// A worksheet that remembers how wide its cells are, to size columns and rows at the
/// end: unmerged cells widen their column; wrapped text (merged or not) makes its row
/// taller.
pub(crate) struct Sheet {
    pub(crate) ws: Worksheet,
    widths: Vec<usize>,
    /// Most a column may grow to.
    caps: Vec<usize>,
    /// Wrapped texts: row, first and last column, display width.
    wrapped: Vec<(RowNum, ColNum, ColNum, usize)>,
}

impl Sheet {
    pub(crate) fn new(name: &str, caps: &[usize]) -> Result<Self, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(Self {
            ws,
            widths: vec![0; caps.len()],
            caps: caps.to_vec(),
            wrapped: Vec::new(),
        })
    }

    fn widen(&mut self, col: ColNum, width: usize) {
        if let Some(w) = self.widths.get_mut(usize::from(col)) {
            *w = (*w).max(width);
        }
    }

    pub(crate) fn text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        f: &Format,
    ) -> Result<(), XlsxError> {
        if text.is_empty() {
            self.ws.write_blank(row, col, f)?;
            return Ok(());
        }
        let text = fit(text);
        let width = text.width();
        self.widen(col, width);
        self.wrapped.push((row, col, col, width));
        self.ws.write_string_with_format(row, col, &*text, f)?;
        Ok(())
    }

    pub(crate) fn num(
        &mut self,
        row: RowNum,
        col: ColNum,
        d: Decimal,
        f: &Format,
    ) -> Result<(), XlsxError> {
        // The shown width: General shows the decimal's own digits (trailing zeros dropped).
        self.widen(col, d.normalize().to_string().width() + 1);
        self.ws.write_number_with_format(row, col, number(d), f)?;
        Ok(())
    }

    pub(crate) fn opt(
        &mut self,
        row: RowNum,
        col: ColNum,
        d: Option<Decimal>,
        f: &Format,
    ) -> Result<(), XlsxError> {
        match d {
            Some(d) => self.num(row, col, d, f),
            None => self.text(row, col, "", f),
        }
    }

    pub(crate) fn value(
        &mut self,
        row: RowNum,
        col: ColNum,
        v: &Value,
        f: &Format,
    ) -> Result<(), XlsxError> {
        match v {
            Value::Empty => self.text(row, col, "", f),
            Value::Number(d) => self.num(row, col, *d, f),
            Value::Text(t) => self.text(row, col, t, f),
        }
    }

    /// Text across columns `first..=last`; it does not widen them, it wraps in them.
    pub(crate) fn merged(
        &mut self,
        row: RowNum,
        first: ColNum,
        last: ColNum,
        text: &str,
        f: &Format,
    ) -> Result<(), XlsxError> {
        if first == last {
            return self.text(row, first, text, f);
        }
        let text = fit(text);
        self.wrapped.push((row, first, last, text.width()));
        self.ws.merge_range(row, first, row, last, &text, f)?;
        Ok(())
    }

    /// Sets the column widths and the heights of rows with wrapped text.
    pub(crate) fn finish(mut self) -> Result<Worksheet, XlsxError> {
        let widths: Vec<usize> = self
            .widths
            .iter()
            .zip(&self.caps)
            .map(|(w, cap)| (w + 2).clamp(6, *cap))
            .collect();
        for (col, w) in widths.iter().enumerate() {
            let col = ColNum::try_from(col).unwrap_or(ColNum::MAX);
            self.ws
                .set_column_width(col, u32::try_from(*w).unwrap_or(u32::MAX))?;
        }
        let mut lines = std::collections::BTreeMap::<RowNum, usize>::new();
        for (row, first, last, width) in &self.wrapped {
            let room: usize = widths
                .get(usize::from(*first)..=usize::from(*last))
                .map_or(WIDEST, |w| w.iter().sum::<usize>())
                .saturating_sub(1)
                .max(1);
            let n = width.div_ceil(room).max(1);
            let e = lines.entry(*row).or_insert(1);
            *e = (*e).max(n);
        }
        for (row, n) in lines {
            if n > 1 {
                let n = u32::try_from(n).unwrap_or(1);
                self.ws.set_row_height(row, n.saturating_mul(LINE_HEIGHT))?;
            }
        }
        Ok(self.ws)
    }
}

/// How wide each column of a form's sheet may grow: a goal's columns, 一级指标 … 差异,
/// and (when a goal was rescaled) one more number column for 折算后权重.
const FORM_CAPS: [usize; GOAL_COLUMNS.len() + 1] = [14, 16, WIDEST, 18, 18, 14, 10, 10, 10, 10, 10];
const WEIGHT: ColNum = 6;

/// Where a form sheet's number columns are: 权重, then 折算后权重 when a goal of the form
/// was rescaled, then 得分, 自评得分, 差异 (the last column).
struct Cols {
    applied: Option<ColNum>,
    score: ColNum,
    reported: ColNum,
    difference: ColNum,
}

impl Cols {
    fn new(scaled: bool) -> Self {
        let shift = ColNum::from(scaled);
        Self {
            applied: scaled.then_some(WEIGHT + 1),
            score: 7 + shift,
            reported: 8 + shift,
            difference: 9 + shift,
        }
    }

    /// The header of the goals' table.
    fn names(&self) -> &'static [&'static str] {
        if self.applied.is_some() {
            &SCALED_GOAL_COLUMNS
        } else {
            &GOAL_COLUMNS
        }
    }

    /// 权重, and 折算后权重 when the sheet has it, of `l`.
    fn weights(&self, s: &mut Sheet, row: RowNum, l: &Line, f: &Format) -> Result<(), XlsxError> {
        s.opt(row, WEIGHT, l.weight, f)?;
        match self.applied {
            Some(col) => s.opt(row, col, l.applied_weight, f),
            None => Ok(()),
        }
    }
}

fn form_sheet(o: &Outcome, name: &str) -> Result<Worksheet, XlsxError> {
    let f = Formats::new();
    let c = Cols::new(scaled(o));
    let caps = &FORM_CAPS[..c.names().len()];
    let mut s = Sheet::new(name, caps)?;
    form_heading(&mut s, o, &f, &c)?;
    let mut row: RowNum = 4;
    for l in lines(o) {
        match l.kind {
            LineKind::Budget => row = budget_rows(&mut s, &l, &f, &c, row)?,
            LineKind::Goal => {
                s.merged(row, 0, 5, &l.item, &f.goal_text)?;
                c.weights(&mut s, row, &l, &f.goal_num)?;
                s.value(row, c.score, &l.score, &f.goal_num)?;
                s.value(row, c.reported, &l.reported, &f.goal_num)?;
                diff(
                    &mut s,
                    &c,
                    row,
                    l.difference,
                    &f.goal_diff,
                    &f.goal_diff_marked,
                )?;
                row += 1;
            }
            LineKind::Indicator | LineKind::Adjustment => {
                let texts: [&str; 6] = if l.kind == LineKind::Indicator {
                    [
                        &l.level1, &l.level2, &l.name, &l.target, &l.actual, &l.class,
                    ]
                } else {
                    // 加分项 | 名称 | | 说明 | 填报数值(B) | ; then 最多 as the weight
                    [&l.item, &l.name, "", &l.note, &l.actual, ""]
                };
                for (col, t) in texts.into_iter().enumerate() {
                    s.text(row, ColNum::try_from(col).unwrap_or(0), t, &f.text)?;
                }
                c.weights(&mut s, row, &l, &f.num)?;
                s.value(row, c.score, &l.score, &f.num)?;
                s.value(row, c.reported, &l.reported, &f.num)?;
                diff(&mut s, &c, row, l.difference, &f.diff, &f.diff_marked)?;
                row += 1;
            }
            LineKind::Total => {
                row += 1;
                let label = if o.max_bonus.is_zero() {
                    "总分".to_owned()
                } else {
                    format!("总分（满分 {}）", l.note)
                };
                s.merged(row, 0, 5, &label, &f.total_label)?;
                c.weights(&mut s, row, &l, &f.num)?;
                s.value(row, c.score, &l.score, &f.total_num)?;
                s.value(row, c.reported, &l.reported, &f.num)?;
                diff(&mut s, &c, row, l.difference, &f.diff, &f.diff_marked)?;
                row += 1;
            }
            LineKind::Grade => {
                s.merged(row, 0, 5, "等级", &f.total_label)?;
                c.weights(&mut s, row, &l, &f.num)?;
                s.value(row, c.score, &l.score, &f.total_num)?;
                s.value(row, c.reported, &l.reported, &f.num)?;
                s.text(row, c.difference, "", &f.num)?;
                row += 1;
            }
        }
    }
    if !o.warnings.is_empty() {
        form_warnings(&mut s, o, &f, &c, row)?;
    }
    s.ws.set_paper_size(9); // A4
    s.ws.set_landscape();
    s.ws.set_print_fit_to_pages(1, 0);
    s.finish()
}

/// The title, and the rows naming the department, the rules, the file and the date.
fn form_heading(s: &mut Sheet, o: &Outcome, f: &Formats, c: &Cols) -> Result<(), XlsxError> {
    let last = c.difference;
    let title = o.form.title.as_deref().unwrap_or("部门整体绩效自评表");
    s.ws.merge_range(0, 0, 0, last, &fit(title), &f.title)?;
    s.ws.set_row_height(0, 24)?;

    s.merged(1, 0, 0, "单位名称", &f.label)?;
    s.merged(1, 1, 4, o.form.department.as_deref().unwrap_or(""), &f.text)?;
    s.merged(1, 5, 5, "计分规则", &f.label)?;
    let rules = match &o.rules.title {
        Some(t) => format!("{} {t}（{}）", o.rules.id, o.rules.file),
        None => format!("{}（{}）", o.rules.id, o.rules.file),
    };
    s.merged(1, 6, last, &rules, &f.text)?;
    s.merged(2, 0, 0, "表单文件", &f.label)?;
    s.merged(2, 1, 4, &o.form.file, &f.text)?;
    s.merged(2, 5, 5, "填报日期", &f.label)?;
    s.merged(
        2,
        6,
        last,
        o.form.filled_on.as_deref().unwrap_or(""),
        &f.text,
    )?;
    Ok(())
}

/// The budget's header and row, then the indicators' header (repeated on every printed
/// page); the row after them.
fn budget_rows(
    s: &mut Sheet,
    l: &Line,
    f: &Formats,
    c: &Cols,
    mut row: RowNum,
) -> Result<RowNum, XlsxError> {
    s.merged(row, 0, 2, &l.item, &f.header)?;
    // 预算数(A), 执行数(B), 执行率 from column 3; 权重 … 差异 under the goals' columns
    // (under 折算后权重, nothing: the budget is never rescaled).
    let [planned, executed, rate, weight, score, reported, difference] = BUDGET_COLUMNS;
    for (col, h) in [
        (3, planned),
        (4, executed),
        (5, rate),
        (WEIGHT, weight),
        (c.score, score),
        (c.reported, reported),
        (c.difference, difference),
    ] {
        s.text(row, col, h, &f.header)?;
    }
    if let Some(col) = c.applied {
        s.text(row, col, "", &f.header)?;
    }
    row += 1;
    s.merged(row, 0, 2, &l.name, &f.text)?;
    s.text(row, 3, &l.target, &f.text)?;
    s.text(row, 4, &l.actual, &f.text)?;
    s.opt(row, 5, l.rate, &f.percent)?;
    c.weights(s, row, l, &f.num)?;
    s.value(row, c.score, &l.score, &f.total_num)?;
    s.value(row, c.reported, &l.reported, &f.num)?;
    diff(s, c, row, l.difference, &f.diff, &f.diff_marked)?;
    row += 2;
    for (col, h) in c.names().iter().enumerate() {
        s.text(row, ColNum::try_from(col).unwrap_or(0), h, &f.header)?;
    }
    s.ws.set_repeat_rows(row, row)?;
    s.ws.set_freeze_panes(row + 1, 0)?;
    row += 1;
    Ok(row)
}

/// The warnings, from the row after `row`.
fn form_warnings(
    s: &mut Sheet,
    o: &Outcome,
    f: &Formats,
    c: &Cols,
    mut row: RowNum,
) -> Result<(), XlsxError> {
    let last = c.difference;
    row += 1;
    s.merged(
        row,
        0,
        last,
        &format!("警告（{} 条）", o.warnings.len()),
        &f.label,
    )?;
    for w in &o.warnings {
        row += 1;
        s.merged(
            row,
            0,
            last,
            &format!("{}  [{}]", w.message, w.code),
            &f.note,
        )?;
    }
    Ok(())
}

/// A 差异 cell, filled when computed and reported differ.
fn diff(
    s: &mut Sheet,
    c: &Cols,
    row: RowNum,
    d: Option<Decimal>,
    plain: &Format,
    marked: &Format,
) -> Result<(), XlsxError> {
    match d {
        Some(d) if !d.is_zero() => s.num(row, c.difference, d, marked),
        Some(d) => s.num(row, c.difference, d, plain),
        None => s.text(row, c.difference, "", plain),
    }
}

/// How wide each column of the 汇总 sheet may grow.
const SUMMARY_CAPS: [usize; RANKING_COLUMNS.len()] = [6, WIDEST, WIDEST, 10, 8, 10, 10, 10];

fn summary_sheet(
    rules: Option<&RulesInfo>,
    ranked: &[Ranked],
    failed: &[Failed],
    name: &str,
) -> Result<Worksheet, XlsxError> {
    let f = Formats::new();
    let mut s = Sheet::new(name, &SUMMARY_CAPS)?;
    let last = ColNum::try_from(RANKING_COLUMNS.len() - 1).unwrap_or(0);
    let title = format!("绩效自评汇总（{} 份表单）", ranked.len() + failed.len());
    s.ws.merge_range(0, 0, 0, last, &title, &f.title)?;
    s.ws.set_row_height(0, 24)?;
    if let Some(r) = rules {
        let rules = match &r.title {
            Some(t) => format!("计分规则：{} {t}（{}）", r.id, r.file),
            None => format!("计分规则：{}（{}）", r.id, r.file),
        };
        s.merged(1, 0, last, &rules, &f.note)?;
    }
    let mut row: RowNum = 3;
    for (col, h) in RANKING_COLUMNS.iter().enumerate() {
        s.text(row, ColNum::try_from(col).unwrap_or(0), h, &f.header)?;
    }
    s.ws.set_freeze_panes(row + 1, 0)?;
    for r in ranked {
        row += 1;
        s.num(row, 0, Decimal::from(r.rank), &f.num)?;
        s.text(row, 1, r.department.as_deref().unwrap_or(""), &f.text)?;
        s.text(row, 2, &r.file, &f.text)?;
        s.num(row, 3, r.total, &f.total_num)?;
        s.text(row, 4, r.grade.as_deref().unwrap_or(""), &f.text)?;
        s.opt(row, 5, r.reported_total, &f.num)?;
        s.text(row, 6, r.reported_grade.as_deref().unwrap_or(""), &f.text)?;
        match r.difference {
            Some(d) if !d.is_zero() => s.num(row, 7, d, &f.diff_marked)?,
            other => s.opt(row, 7, other, &f.diff)?,
        }
    }
    for x in failed {
        row += 1;
        for col in [0, 1, 3, 5, 6, 7] {
            s.text(row, col, "", &f.text)?;
        }
        s.text(row, 2, &x.file, &f.text)?;
        s.text(row, 4, NOT_SCORED, &f.diff_marked)?;
    }
    if !failed.is_empty() {
        row += 2;
        s.merged(
            row,
            0,
            last,
            &format!("未能计分的表单（{} 份）", failed.len()),
            &f.label,
        )?;
        for x in failed {
            row += 1;
            let code = x
                .code
                .as_deref()
                .map(|c| format!("  [{c}]"))
                .unwrap_or_default();
            s.merged(
                row,
                0,
                last,
                &format!("{}：{}{code}", x.file, x.message),
                &f.note,
            )?;
        }
    }
    s.ws.set_paper_size(9);
    s.ws.set_print_fit_to_pages(1, 0);
    s.finish()
}

#[cfg(test)]
mod tests;
