//! CSV (RFC 4180): CRLF line ends, fields quoted when they hold a comma, a quote or a
//! line break. A form's table is followed by its warnings, if any. The text starts with a UTF-8 byte order mark, so Excel on Chinese Windows
//! reads it as UTF-8 rather than GBK.
//!
//! Numbers are written as plain decimals (`0.96`, `-1.10`) so a spreadsheet reads them as
//! numbers. Text cells that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) are prefixed with `'`; number cells are never
//! touched.
//!
//! This is the one CSV writer: `score`'s reports below, and every other command's CSV
//! (`diff --format csv`) through [`Writer`].

use rust_decimal::Decimal;

use super::{COLUMNS, Failed, Line, NOT_SCORED, RANKING_COLUMNS, Ranked, SCALED_COLUMNS, Value};
use crate::Outcome;

/// The byte order mark every CSV starts with.
pub const BOM: &str = "\u{FEFF}";

/// One field.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    /// Text: quoted when it must be, defused when it looks like a formula.
    Text(&'a str),
    /// A number, written as its plain decimal.
    Number(Decimal),
    /// An empty cell.
    Empty,
}

/// A CSV document being written: the byte order mark, then one [`Writer::row`] at a
/// time.
#[derive(Debug)]
pub struct Writer {
    out: String,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

impl Writer {
    /// A document holding only the byte order mark.
    #[must_use]
    pub fn new() -> Self {
        Self {
            out: String::from(BOM),
        }
    }

    /// Appends one row, ended with CRLF.
    pub fn row(&mut self, fields: &[Field<'_>]) {
        row(&mut self.out, fields);
    }

    /// The document's text.
    #[must_use]
    pub fn finish(self) -> String {
        self.out
    }
}

/// One form's table: a row per [`Line`] under the [`COLUMNS`] (the [`SCALED_COLUMNS`],
/// with 折算后权重, when a goal was rescaled).
#[must_use]
pub fn form(o: &Outcome) -> String {
    let mut out = Writer::new();
    let scaled = super::scaled(o);
    if scaled {
        out.row(&SCALED_COLUMNS.map(Field::Text));
    } else {
        out.row(&COLUMNS.map(Field::Text));
    }
    for l in super::lines(o) {
        out.row(&line_fields(&l, scaled));
    }
    warnings(&mut out, o);
    out.finish()
}

/// The outcome's warnings (the conversion's and the evaluation's) below the table, after
/// an empty row: `警告`, the message, the code, one row each, so that a filter on the
/// first column finds them.
fn warnings(out: &mut Writer, o: &Outcome) {
    if o.warnings.is_empty() {
        return;
    }
    out.row(&[]);
    for w in &o.warnings {
        out.row(&[
            Field::Text("警告"),
            Field::Text(&w.message),
            Field::Text(w.code.as_str()),
        ]);
    }
}

fn line_fields(l: &Line, scaled: bool) -> Vec<Field<'_>> {
    let mut fields = vec![
        Field::Text(&l.item),
        Field::Text(&l.level1),
        Field::Text(&l.level2),
        Field::Text(&l.name),
        Field::Text(&l.target),
        Field::Text(&l.actual),
        Field::Text(&l.class),
        opt(l.weight),
    ];
    if scaled {
        fields.push(opt(l.applied_weight));
    }
    fields.extend([value(&l.score), value(&l.reported), opt(l.difference)]);
    fields
}

/// A batch: the ranking under the [`RANKING_COLUMNS`], then a row per form that could
/// not be scored (its 等级 reads `未能计分`).
#[must_use]
pub fn ranking(rows: &[Ranked], failed: &[Failed]) -> String {
    let mut out = Writer::new();
    out.row(&RANKING_COLUMNS.map(Field::Text));
    for r in rows {
        let rank = r.rank.to_string();
        out.row(&[
            Field::Text(&rank),
            Field::Text(r.department.as_deref().unwrap_or("")),
            Field::Text(&r.file),
            Field::Number(r.total),
            Field::Text(r.grade.as_deref().unwrap_or("")),
            opt(r.reported_total),
            Field::Text(r.reported_grade.as_deref().unwrap_or("")),
            opt(r.difference),
        ]);
    }
    for f in failed {
        out.row(&[
            Field::Empty,
            Field::Empty,
            Field::Text(&f.file),
            Field::Empty,
            Field::Text(NOT_SCORED),
            Field::Empty,
            Field::Empty,
            Field::Empty,
        ]);
    }
    out.finish()
}

fn opt<'a>(d: Option<Decimal>) -> Field<'a> {
    d.map_or(Field::Empty, Field::Number)
}

fn value(v: &Value) -> Field<'_> {
    match v {
        Value::Empty => Field::Empty,
        Value::Number(d) => Field::Number(*d),
        Value::Text(t) => Field::Text(t),
    }
}

fn row(out: &mut String, fields: &[Field<'_>]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match f {
            Field::Empty => {}
            Field::Number(d) => out.push_str(&d.to_string()),
            Field::Text(t) => push_text(out, t),
        }
    }
    out.push_str("\r\n");
}

/// A text field: protected against formula injection, then quoted as RFC 4180 says.
fn push_text(out: &mut String, text: &str) {
    let protected;
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        protected = format!("'{text}");
        protected.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{d, indicator, outcome};
    use super::*;

    #[test]
    fn fields_are_quoted_per_rfc_4180_and_formulas_are_defused() {
        let mut out = String::new();
        row(
            &mut out,
            &[
                Field::Text("a"),
                Field::Text("b,c"),
                Field::Text("say \"hi\""),
                Field::Text("two\nlines"),
                Field::Empty,
                Field::Text("=1+1"),
                Field::Text("-2人"),
                Field::Text("@SUM(A1)"),
                Field::Text("+1,2"),
                Field::Number(d("-1.10")),
            ],
        );
        assert_eq!(
            out,
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",,'=1+1,'-2人,'@SUM(A1),\"'+1,2\",-1.10\r\n"
        );
    }

    #[test]
    fn a_form_starts_with_a_bom_and_the_chinese_header() {
        let o = outcome(
            "a.toml",
            "甲",
            vec![indicator("=HYPERLINK(\"x\")", Some("1.96"), Some("1"))],
            "21.96",
            "差",
        );
        let csv = form(&o);
        let mut rows = csv.split("\r\n");
        assert_eq!(
            rows.next(),
            Some(
                "\u{FEFF}项目,一级指标,二级指标,三级指标,年初目标值(A),实际完成值(B),类别,权重,得分,自评得分,差异"
            )
        );
        assert_eq!(
            rows.next(),
            Some(
                "预算执行情况（20分）,,,部门整体支出总额,100万元,100万元,执行率 100.00%,20,20.00,20,0.00"
            )
        );
        assert_eq!(
            rows.next(),
            Some("年度目标1（10分）：目标一,,,,,,,10,1.96,1,0.96")
        );
        assert_eq!(
            rows.next(),
            Some(
                "年度目标1,产出指标,数量指标,\"'=HYPERLINK(\"\"x\"\")\",100人,90人,正向指标,2,1.96,1,0.96"
            )
        );
        // 21.96 − 90 = −68.04: a number, not protected
        assert_eq!(rows.next(), Some("总分,,,,,,,100,21.96,90,-68.04"));
        assert_eq!(rows.next(), Some("等级,,,,,,,,差,优,"));
        assert_eq!(rows.next(), Some(""));
    }

    #[test]
    fn warnings_follow_the_table() {
        let mut o = outcome("a.toml", "甲", Vec::new(), "95", "优");
        assert!(!form(&o).contains("警告"));
        o.warnings.push(crate::eval::Warning {
            code: crate::Code::ImportPercentCell,
            message: "Sheet1!F5：数字 0.96 按百分比 96% 读取，同一指标的另一个值是百分比".into(),
            goal: None,
            indicator: None,
        });
        let csv = form(&o);
        assert!(
            csv.ends_with(
                "等级,,,,,,,,优,优,\r\n\r\n警告,Sheet1!F5：数字 0.96 按百分比 96% 读取，同一指标的另一个值是百分比,jixiao::import::percent_cell\r\n"
            ),
            "{csv}"
        );
    }

    #[test]
    fn a_ranking_lists_failed_forms_last() {
        let forms = [outcome("a.toml", "甲", Vec::new(), "95", "优")];
        let failed = [Failed {
            file: "bad.toml".into(),
            code: None,
            message: "坏".into(),
            related: Vec::new(),
        }];
        let csv = ranking(&super::super::ranking(&forms), &failed);
        assert_eq!(
            csv,
            "\u{FEFF}名次,单位,文件,计算总分,等级,自评总分,自评等级,差异\r\n\
             1,甲,a.toml,95,优,90,优,5\r\n\
             ,,bad.toml,,未能计分,,,\r\n"
        );
    }
}
