//! HTML: one self-contained page to read on screen or print on A4. Styles are inline,
//! charts are inline SVG, and there is no script and no link to anything outside the file
//! (not even a font), so the page opens the same offline, in a mail attachment or an
//! archive.
//!
//! A form's page has the form's table (budget line, each goal and its indicators,
//! totals), differences between computed and reported scores highlighted, the warnings,
//! and a chart of each goal's computed against reported score. A batch's page starts
//! with the ranking and a chart of the computed totals over the grade bands, then has a
//! section per form, each starting on a new printed page.
//!
//! Every text from a form or a rule file goes through [`esc`]: an indicator named
//! `<script>` is shown as that text.

use std::fmt::Write as _;

use super::svg::{self, BANDS, COMPUTED, REPORTED};
use super::{
    APPLIED_WEIGHT, Failed, Line, LineKind, NOT_SCORED, RANKING_COLUMNS, Ranked, Value, differs,
    lines, rules_line, scaled, show_value, signed_value, title,
};
use crate::Outcome;
use crate::eval::RulesInfo;
use crate::num::shown::{percent, show, signed};

/// Text safe in HTML content and in quoted attribute values.
#[must_use]
pub fn esc(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            _ => s.push(c),
        }
    }
    s
}

/// One form's page.
#[must_use]
pub fn form(o: &Outcome) -> String {
    let mut body = String::new();
    push_form(&mut body, o, false);
    page(&format!("{} · {}", title(o), department(o)), &body)
}

/// A batch's page: ranking, distribution of totals, failed forms, then every form.
///
/// The same text as [`batch_head`], then [`batch_form`] of each form, then
/// [`batch_tail`], which is how `jixiao score` writes a large batch without holding
/// every form.
#[must_use]
pub fn batch(outcomes: &[Outcome], ranked: &[Ranked], failed: &[Failed]) -> String {
    let mut b = batch_head(outcomes.first().map(|o| &o.rules), ranked, failed);
    for o in outcomes {
        b.push_str(&batch_form(o));
    }
    b.push_str(batch_tail());
    b
}

/// A form's section of a batch's page.
#[must_use]
pub fn batch_form(o: &Outcome) -> String {
    let mut b = String::new();
    push_form(&mut b, o, true);
    b
}

/// The end of a batch's page, after the last form.
#[must_use]
pub fn batch_tail() -> &'static str {
    PAGE_TAIL
}

/// The start of a batch's page: the document head, the ranking, the distribution of
/// totals and the failed forms. One form per ranked row is counted; `rules` is the rule
/// set that scored them.
// Over 80 lines: one page's markup, written top to bottom, reads best in one place.
#[must_use]
pub fn batch_head(rules: Option<&RulesInfo>, ranked: &[Ranked], failed: &[Failed]) -> String {
    let count = ranked.len() + failed.len();
    let mut b = page_head(&format!("绩效自评汇总（{count} 份表单）"));
    let _ = write!(
        b,
        "<section class=\"summary\"><h1>绩效自评汇总（{count} 份表单）</h1>"
    );
    if let Some(rules) = rules {
        let _ = write!(
            b,
            "<p class=\"meta\">计分规则：{}</p>",
            esc(&rules_line(rules))
        );
    }
    b.push_str("<h2>排名</h2><table class=\"ranking\"><thead><tr>");
    for c in RANKING_COLUMNS {
        let _ = write!(b, "<th>{c}</th>");
    }
    b.push_str("</tr></thead><tbody>");
    for r in ranked {
        let _ = write!(
            b,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"file\">{}</td>\
             <td class=\"num strong\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td>{}</tr>",
            r.rank,
            esc(r.department.as_deref().unwrap_or("")),
            esc(&r.file),
            esc(&show(r.total)),
            esc(r.grade.as_deref().unwrap_or("")),
            esc(&r.reported_total.map(show).unwrap_or_default()),
            esc(r.reported_grade.as_deref().unwrap_or("")),
            diff_cell(r.difference),
        );
    }
    for f in failed {
        let _ = write!(
            b,
            "<tr class=\"failed\"><td></td><td></td><td class=\"file\">{}</td><td></td>\
             <td>{NOT_SCORED}</td><td></td><td></td><td></td></tr>",
            esc(&f.file)
        );
    }
    b.push_str("</tbody></table>");
    if !failed.is_empty() {
        let _ = write!(
            b,
            "<h2>未能计分的表单（{} 份）</h2><ul class=\"failed\">",
            failed.len()
        );
        for f in failed {
            let code = f
                .code
                .as_deref()
                .map(|c| format!(" <code>{}</code>", esc(c)))
                .unwrap_or_default();
            let _ = write!(
                b,
                "<li><span class=\"file\">{}</span>：{}{code}</li>",
                esc(&f.file),
                esc(&f.message)
            );
        }
        b.push_str("</ul>");
    }
    if !ranked.is_empty() {
        let totals: Vec<_> = ranked.iter().map(|r| r.total).collect();
        let counts = svg::band_counts(&totals);
        b.push_str("<h2>计算总分分布</h2><figure>");
        b.push_str(&svg::distribution_chart(&totals));
        b.push_str("<figcaption>");
        for ((name, low, high, fill), n) in BANDS.iter().rev().zip(counts.iter().rev()) {
            let range = match (*low, *high) {
                (0, h) => format!("{h} 分以下"),
                (l, 100) => format!("{l} 分及以上"),
                (l, h) => format!("{l}–{h} 分"),
            };
            let _ = write!(
                b,
                "<span class=\"key\"><i style=\"background:{fill}\"></i>{name}（{range}）：{n} 份</span>"
            );
        }
        b.push_str(
            "<br>等级分段按财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）的通行标准；\
             表中「等级」一列按所用计分规则评定。</figcaption></figure>",
        );
    }
    b.push_str("</section>");
    b
}

fn department<'a>(o: &'a Outcome<'_>) -> &'a str {
    o.form.department.as_deref().unwrap_or(&o.form.file)
}

/// One form's section.
fn push_form(b: &mut String, o: &Outcome, in_batch: bool) {
    let class = if in_batch { "form batch" } else { "form" };
    let _ = write!(b, "<section class=\"{class}\"><h1>{}</h1>", esc(title(o)));
    push_meta(b, o);
    let all = lines(o);
    push_overview(b, o, &all);
    push_detail(b, &all, scaled(o));
}

/// The form's department, date, file and rules.
fn push_meta(b: &mut String, o: &Outcome) {
    b.push_str("<p class=\"meta\">");
    if let Some(d) = &o.form.department {
        let _ = write!(b, "<span>单位名称：<b>{}</b></span>", esc(d));
    }
    if let Some(f) = o.form.facts_line() {
        let _ = write!(b, "<span>表单信息：{}</span>", esc(&f));
    }
    if let Some(date) = &o.form.filled_on {
        let _ = write!(b, "<span>填报日期：{}</span>", esc(date));
    }
    let _ = write!(
        b,
        "<span>表单文件：{}</span><span>计分规则：{}</span></p>",
        esc(&o.form.file),
        esc(&rules_line(&o.rules))
    );
}

/// The totals, the warnings and the goals' chart.
fn push_overview(b: &mut String, o: &Outcome, all: &[Line]) {
    b.push_str("<div class=\"overview\"><div class=\"scores\"><h2>总分</h2>");
    if let Some(n) = all.iter().position(|l| l.kind == LineKind::Total) {
        push_totals(b, &all[n], all.get(n + 1));
    }

    if !o.warnings.is_empty() {
        let _ = write!(
            b,
            "<div class=\"warnings\"><h2>警告（{} 条）</h2><ul>",
            o.warnings.len()
        );
        for w in &o.warnings {
            let _ = write!(
                b,
                "<li>{} <code>{}</code></li>",
                esc(&w.message),
                esc(w.code.as_str())
            );
        }
        b.push_str("</ul></div>");
    }
    b.push_str("</div>");

    let _ = write!(
        b,
        "<figure class=\"goals\"><h2>各目标得分：计算与自评</h2>{}<figcaption>\
         <span class=\"key\"><i style=\"background:{COMPUTED}\"></i>计算得分：按计分规则算得</span>\
         <span class=\"key\"><i style=\"background:{REPORTED}\"></i>自评得分：单位在表上填报</span>\
         灰色底条为该项分值。</figcaption></figure></div>",
        svg::goal_chart(o)
    );
}

/// The totals' table: the total's line, and the grade's after it.
fn push_totals(b: &mut String, total: &Line, grade: Option<&Line>) {
    let grade_of = |pick: fn(&Line) -> &Value| grade.map(|g| esc(&show_value(pick(g))));
    let _ = write!(
        b,
        "<table class=\"totals\"><thead><tr><th></th><th>得分</th><th>满分</th><th>等级</th></tr></thead>\
         <tbody><tr><th>计算总分</th><td class=\"num strong\">{}</td><td class=\"num\">{}</td>\
         <td class=\"strong\">{}</td></tr>",
        esc(&show_value(&total.score)),
        esc(&total.note),
        grade_of(|g| &g.score).unwrap_or_default(),
    );
    if total.reported != Value::Empty {
        let _ = write!(
            b,
            "<tr><th>自评总分</th><td class=\"num\">{}</td><td></td><td>{}</td></tr>\
             <tr><th>差异</th>{}<td></td><td></td></tr>",
            esc(&show_value(&total.reported)),
            grade_of(|g| &g.reported).unwrap_or_default(),
            diff_cell(total.difference),
        );
    }
    b.push_str("</tbody></table>");
}

/// The form's table: the budget, then each goal with its indicators; with 折算后权重
/// after 权重 when a goal of the form was rescaled (`scaled`).
fn push_detail(b: &mut String, all: &[Line], scaled: bool) {
    b.push_str("<h2>自评表明细</h2>");
    let _ = write!(
        b,
        "<table class=\"form-table{}\"><colgroup><col class=\"c-level1\"><col class=\"c-level2\">\
         <col class=\"c-name\"><col class=\"c-value\"><col class=\"c-value\"><col class=\"c-class\">\
         <col class=\"c-num\"><col class=\"c-num\"><col class=\"c-num\"><col class=\"c-num\">",
        if scaled { " scaled" } else { "" }
    );
    if scaled {
        b.push_str("<col class=\"c-num\">");
    }
    b.push_str("</colgroup>");
    for l in all {
        match l.kind {
            LineKind::Budget => push_budget(b, l, scaled),
            LineKind::Goal => push_goal(b, l, all, scaled),
            LineKind::Indicator | LineKind::Total | LineKind::Grade => {}
            LineKind::Adjustment => {}
        }
    }
    push_adjustments(b, all, scaled);
    b.push_str("</table></section>");
}

/// The bonus and deduction items' rows, under a header of their own, scores signed
/// (`+2`, `-4`); nothing when the form has none.
fn push_adjustments(b: &mut String, all: &[Line], scaled: bool) {
    let mut items = all
        .iter()
        .filter(|l| l.kind == LineKind::Adjustment)
        .peekable();
    if items.peek().is_none() {
        return;
    }
    let applied_th = if scaled { "<th></th>" } else { "" };
    let _ = write!(
        b,
        "<thead><tr><th colspan=\"3\">加分项与扣分项</th><th>说明</th><th>填报数值(B)</th><th></th>\
         <th>最多</th>{applied_th}<th>得分</th><th>自评得分</th><th>差异</th></tr></thead><tbody class=\"adjustments\">"
    );
    for l in items {
        let _ = write!(
            b,
            "<tr class=\"adjustment\"><td colspan=\"3\">{}：{}</td><td>{}</td><td>{}</td><td></td>\
             <td class=\"num\">{}</td>{}<td class=\"num strong\">{}</td><td class=\"num\">{}</td>{}</tr>",
            esc(&l.item),
            esc(&l.name),
            esc(&l.note),
            esc(&l.actual),
            esc(&l.weight.map(show).unwrap_or_default()),
            applied_cell(l, scaled),
            esc(&signed_value(&l.score)),
            esc(&signed_value(&l.reported)),
            diff_cell(l.difference),
        );
    }
    b.push_str("</tbody>");
}

/// The budget's row, and the indicators' header after it.
fn push_budget(b: &mut String, l: &Line, scaled: bool) {
    let (applied_th, applied_td) = if scaled {
        (
            format!("<th>{APPLIED_WEIGHT}</th>"),
            "<td class=\"num\"></td>",
        )
    } else {
        (String::new(), "")
    };
    let _ = write!(
        b,
        "<thead><tr><th colspan=\"3\">{}</th><th>预算数(A)</th><th>执行数(B)</th>\
         <th>执行率(B/A)</th><th>权重</th>{applied_th}<th>得分</th><th>自评得分</th><th>差异</th></tr></thead>\
         <tbody><tr class=\"budget\"><td colspan=\"3\">{}</td><td>{}</td><td>{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td>{applied_td}<td class=\"num strong\">{}</td>\
         <td class=\"num\">{}</td>{}</tr></tbody>",
        esc(&l.item),
        esc(&l.name),
        esc(&l.target),
        esc(&l.actual),
        esc(&l.rate.map(percent).unwrap_or_default()),
        esc(&l.weight.map(show).unwrap_or_default()),
        esc(&show_value(&l.score)),
        esc(&show_value(&l.reported)),
        diff_cell(l.difference),
    );
    let _ = write!(
        b,
        "<thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th>\
         <th>年初目标值(A)</th><th>实际完成值(B)</th><th>类别</th><th>权重</th>{applied_th}\
         <th>得分</th><th>自评得分</th><th>差异</th></tr></thead>",
    );
}

/// The 折算后权重 cell of a line, when the form shows that column.
fn applied_cell(l: &Line, scaled: bool) -> String {
    if scaled {
        format!(
            "<td class=\"num\">{}</td>",
            esc(&l.applied_weight.map(show).unwrap_or_default())
        )
    } else {
        String::new()
    }
}

/// A goal's row and its indicators' rows (among `all`).
fn push_goal(b: &mut String, l: &Line, all: &[Line], scaled: bool) {
    let _ = write!(
        b,
        "<tbody class=\"goal\"><tr class=\"goal\"><td colspan=\"6\">{}</td>\
         <td class=\"num\">{}</td>{}<td class=\"num strong\">{}</td><td class=\"num\">{}</td>{}</tr>",
        esc(&l.item),
        esc(&l.weight.map(show).unwrap_or_default()),
        applied_cell(l, scaled),
        esc(&show_value(&l.score)),
        esc(&show_value(&l.reported)),
        diff_cell(l.difference),
    );
    for i in all
        .iter()
        .filter(|i| i.kind == LineKind::Indicator && i.goal == l.goal)
    {
        let omitted = matches!(i.score, Value::Text(_));
        let _ = write!(
            b,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td>{}<td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>",
            if omitted { " class=\"omitted\"" } else { "" },
            esc(&i.level1),
            esc(&i.level2),
            esc(&i.name),
            esc(&i.target),
            esc(&i.actual),
            esc(&i.class),
            esc(&i.weight.map(show).unwrap_or_default()),
            applied_cell(i, scaled),
            esc(&show_value(&i.score)),
            esc(&show_value(&i.reported)),
            diff_cell(i.difference),
        );
    }
    b.push_str("</tbody>");
}

/// A 差异 cell: signed, highlighted when not zero.
fn diff_cell(d: Option<rust_decimal::Decimal>) -> String {
    match d {
        Some(d) if differs(Some(d)) => {
            let class = if d.is_sign_positive() { "up" } else { "down" };
            format!("<td class=\"num diff {class}\">{}</td>", esc(&signed(d)))
        }
        _ => "<td class=\"num\"></td>".to_owned(),
    }
}

/// The document around a body.
fn page(title: &str, body: &str) -> String {
    let mut s = page_head(title);
    s.push_str(body);
    s.push_str(PAGE_TAIL);
    s
}

/// The document up to and including `<body>`: the style sheet every page shares.
pub(crate) fn page_head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"jixiao {}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(title)
    )
}

/// The document after the body.
/// The end of any page: a footer, then the document's close.
pub(crate) fn page_end(footer: &str) -> String {
    format!("\n<footer>{footer}</footer>\n</body>\n</html>\n")
}

/// Its legend says what the two highlight colours of 差异 mean.
const PAGE_TAIL: &str = "\n<footer><p class=\"colors\">差异 = 计算得分 − 自评得分：\
    <span class=\"swatch up\"></span>计算得分高于自评（自评偏低）\
    <span class=\"swatch down\"></span>计算得分低于自评（自评偏高）；一致的不标色。</p>\
    由 jixiao 计算生成。计算得分按所列计分规则逐项算出，\
    可用 <code>jixiao explain</code> 查看每一分的来历。</footer>\n</body>\n</html>\n";

/// The page's only style sheet: screen and A4 print.
const STYLE: &str = r#"
@page { size: A4; margin: 12mm 10mm; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html { background: #fff; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px; color: #1d1d1f; font-size: 14px; line-height: 1.45;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimSun", sans-serif; }
h1 { font-size: 22px; text-align: center; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 18px 0 8px; }
section.batch, section.summary + section.form { margin-top: 40px; border-top: 2px solid #ccc; padding-top: 16px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 22px; justify-content: center; color: #444; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 0 0 14px; }
th, td { border: 1px solid #9aa0a6; padding: 3px 6px; vertical-align: top; text-align: left; }
thead th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
tbody th { background: #f6f7f9; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.strong { font-weight: 700; }
tr.goal td { background: #f3f5f8; font-weight: 600; }
tr.budget td { background: #fbfbfc; }
tr.omitted td { color: #777; }
td.diff, tr.goal td.diff { background: #ffe3c2; font-weight: 700; }
td.diff.down, tr.goal td.diff.down { background: #ffd4d0; }
.swatch { display: inline-block; width: 1.4em; height: 0.9em; vertical-align: -1px; margin: 0 4px 0 10px; border: 1px solid #ccc; }
.swatch.up { background: #ffe3c2; }
.swatch.down { background: #ffd4d0; }
footer p.colors { margin: 0 0 4px; color: #444; }
tr.failed td { color: #a33; }
col.c-level1 { width: 8%; } col.c-level2 { width: 13%; } col.c-name { width: 24.5%; } col.c-value { width: 9.5%; } col.c-class { width: 8.5%; } col.c-num { width: 6.75%; }
table.scaled col.c-name { width: 17.75%; }
table.totals { width: 100%; }
.overview { display: flex; flex-wrap: wrap; gap: 0 32px; align-items: flex-start; margin-bottom: 6px; }
.overview .scores { flex: 1 1 280px; }
.overview figure { flex: 2 1 600px; margin: 0 0 12px; }
table.ranking td.file, .file { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.warnings { border-left: 4px solid #e0a800; background: #fff8e1; padding: 4px 12px; margin: 0 0 14px; }
.warnings h2 { margin: 6px 0; font-size: 14px; }
.warnings ul, ul.failed { margin: 4px 0 8px; padding-left: 20px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; color: #555; }
figure { margin: 8px 0 16px; break-inside: avoid; }
figure h2 { margin-top: 0; }
figcaption { color: #444; font-size: 12px; margin-top: 4px; }
.key { margin-right: 16px; white-space: nowrap; }
.key i { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; border: 1px solid #999; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg .label { font-size: 13px; fill: #222; }
svg .value { font-size: 11px; fill: #222; }
svg .muted { fill: #888; }
svg .legend { font-size: 12px; fill: #333; }
svg .band { font-size: 14px; font-weight: 700; fill: #555; }
footer { margin-top: 24px; color: #777; font-size: 12px; border-top: 1px solid #ddd; padding-top: 6px; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  h1 { font-size: 14pt; }
  h2 { font-size: 11pt; }
  th, td { padding: 1.5pt 3pt; }
  section.batch, section.summary + section.form { break-before: page; margin-top: 0; border-top: none; padding-top: 0; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .file, code { font-size: 8pt; }
  table.totals { width: auto; min-width: 60%; }
}
"#;

#[cfg(test)]
mod tests {
    use super::super::tests::{indicator, outcome};
    use super::*;

    #[test]
    fn text_from_forms_is_escaped() {
        let o = outcome(
            "a.toml",
            "甲&乙",
            vec![indicator(
                "<script>alert(1)</script>",
                Some("1.96"),
                Some("1"),
            )],
            "21.96",
            "差",
        );
        let html = form(&o);
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("甲&amp;乙"));
        assert!(html.contains("<svg class=\"chart\""));
        // the difference 1.96 − 1 is highlighted
        assert!(
            html.contains("<td class=\"num diff up\">+0.96</td>"),
            "{html}"
        );
    }

    #[test]
    fn the_page_links_nothing_outside_itself() {
        let forms = [
            outcome(
                "a.toml",
                "甲",
                vec![indicator("一", Some("2"), Some("2"))],
                "96",
                "优",
            ),
            outcome("b.toml", "乙", Vec::new(), "70", "中"),
        ];
        let failed = [Failed {
            file: "c.toml".into(),
            code: Some("jixiao::form::x".into()),
            message: "坏 <b>".into(),
            related: Vec::new(),
        }];
        let html = batch(&forms, &super::super::ranking(&forms), &failed);
        for bad in ["http", "//", "<script", "@import", "url("] {
            assert!(!html.contains(bad), "{bad} in the page");
        }
        assert!(html.contains("坏 &lt;b&gt;"));
        assert!(html.contains("计算总分分布"));
        assert_eq!(html.matches("<svg").count(), 3);
    }
}
