//! Forms as departments fill them in Word: a `.docx` of the seed form imported and
//! compared value by value with examples/tongcheng-2021.toml; old, encrypted and damaged
//! Word files and a table missing a column, each with its diagnostic.
//!
//! The `.docx` is written here as Word writes one (the OOXML parts in a zip: body
//! paragraphs, tables with `w:tblGrid`, `w:vMerge` and `w:gridSpan`, `w:br` and several
//! paragraphs in a cell, the table split in two across a page) and checked in under
//! tests/fixtures/import/ (`regenerate_docx_fixture` writes it, and
//! `docx_fixture_is_what_the_helper_writes` keeps it in step).

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use jixiao::import::{Format, Options, Weights, import};

use crate::import_cmd::{example, is_the_example, scores_as_the_example};
use crate::support::{codes, render, repo_bytes, repo_path as path};

pub(crate) const SEED_DOCX: &str = "tests/fixtures/import/tongcheng-2021.docx";

pub(crate) fn given() -> Options {
    Options {
        weights: Weights::Given,
        sheet: None,
    }
}

// ---------------------------------------------------------------------------------------
// Writing a .docx.

/// XML text escaped.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A run of text, each `\n` a line break (`w:br`), as Word writes Shift+Enter.
fn runs(text: &str) -> String {
    let mut out = String::from("<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(line));
    }
    out.push_str("</w:r>");
    out
}

/// A paragraph.
fn para(text: &str) -> String {
    if text.is_empty() {
        return "<w:p/>".to_owned();
    }
    format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{}</w:p>",
        runs(text)
    )
}

/// How a cell merges.
#[derive(Clone, Copy, PartialEq)]
enum Merge {
    No,
    /// Starts a vertical merge.
    Down,
    /// Continues the vertical merge above (its own text is empty).
    Below,
}

/// A table cell spanning `span` grid columns; each `\r` in `text` starts a new paragraph,
/// each `\n` a line break.
fn cell(text: &str, span: u32, merge: Merge) -> String {
    let mut props = String::from("<w:tcW w:w=\"0\" w:type=\"auto\"/>");
    if span > 1 {
        let _ = write!(props, "<w:gridSpan w:val=\"{span}\"/>");
    }
    match merge {
        Merge::No => {}
        Merge::Down => props.push_str("<w:vMerge w:val=\"restart\"/>"),
        Merge::Below => props.push_str("<w:vMerge/>"),
    }
    let paragraphs: String = if merge == Merge::Below || text.is_empty() {
        "<w:p/>".to_owned()
    } else {
        text.split('\r')
            .map(|p| format!("<w:p>{}</w:p>", runs(p)))
            .collect()
    };
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>")
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// A table of the form's eight grid columns.
fn table(rows: &[String]) -> String {
    let widths = [1200, 1000, 1300, 2600, 1100, 1100, 700, 700];
    let grid: String = widths
        .iter()
        .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
        .collect();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders><w:insideH w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

/// A `.docx` package of a document body: deflated, dated 1980-01-01, so the bytes are
/// the same on every run.
fn docx_of(body: &str) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in [
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ] {
        zip.start_file(name, opts).expect("part");
        zip.write_all(bytes).expect("written");
    }
    zip.finish().expect("zip").into_inner()
}

/// The indicator table's header row, its first cell starting the block label's merge.
fn indicator_header(label: Merge) -> String {
    row(&[
        cell("年度绩效指标", 1, label),
        cell("一级指标", 1, Merge::No),
        cell("二级指标", 1, Merge::No),
        cell("三级指标", 1, Merge::No),
        cell("年初目标值\n(A)", 1, Merge::No),
        cell("实际完成值\n(B)", 1, Merge::No),
        cell("分值", 1, Merge::No),
        cell("得分", 1, Merge::No),
    ])
}

/// The seed form (examples/tongcheng-2021.toml) as a department types it in Word: the
/// title and header lines as paragraphs; one table holding the budget block, each goal's
/// `年度目标N: (P分)` row and indicator table (with a 分值 column, the example's weights),
/// and 总分; 一级指标 merged down each block, the 年度绩效指标 label down each goal,
/// level names broken over two lines (`可持续性影响` / `指标`), the budget label over two
/// paragraphs. The table breaks across a page in goal 4, inside its 产出指标 block: the
/// second table has the same columns and continues the merges.
fn tongcheng_docx() -> Vec<u8> {
    let form = example();
    let mut body = String::new();
    body.push_str(&para("附件2"));
    body.push_str(&para(form.title.as_deref().expect("title")));
    let dept = form.department.as_deref().expect("department");
    body.push_str(&para(&format!("单位名称：{dept}")));
    body.push_str(&para("填报日期：2022年4月7日"));
    body.push_str(&para(""));

    let num = |d: rust_decimal::Decimal| d.normalize().to_string();
    let basic = num(form.budget.basic.expect("basic").value);
    let project = num(form.budget.project.expect("project").value);
    let amount = |v: &jixiao::form::Value| {
        num(v.quantity().expect("an amount").number / rust_decimal::Decimal::from(10_000))
    };
    let mut rows = vec![
        row(&[
            cell("基本支出总额", 2, Merge::No),
            cell(&basic, 2, Merge::No),
            cell("项目支出总额", 2, Merge::No),
            cell(&project, 2, Merge::No),
        ]),
        row(&[
            cell("预算执行情况\r(万元)", 2, Merge::Down),
            cell("", 1, Merge::No),
            cell("预算数(A)", 1, Merge::No),
            cell("执行数(B)", 1, Merge::No),
            cell("执行率\n(B/A)", 1, Merge::No),
            cell("得分(20分*执行率)", 2, Merge::No),
        ]),
        row(&[
            cell("", 2, Merge::Below),
            cell("部门整体支出总额", 1, Merge::No),
            cell(&amount(&form.budget.planned), 1, Merge::No),
            cell(&amount(&form.budget.executed), 1, Merge::No),
            cell("100.00", 1, Merge::No),
            cell(
                &num(form.budget.reported.expect("reported").value),
                2,
                Merge::No,
            ),
        ]),
    ];
    let mut tables = Vec::new();
    for (g, goal) in form.goals.iter().enumerate() {
        rows.push(row(&[
            cell(
                &format!("年度目标{}: ({}分)", g + 1, goal.weight.value),
                2,
                Merge::No,
            ),
            cell(&goal.name.text, 6, Merge::No),
        ]));
        rows.push(indicator_header(Merge::Down));
        for (i, ind) in goal.indicators.iter().enumerate() {
            // Goal 4's table breaks before its third indicator (a page break).
            if g == 3 && i == 2 {
                tables.push(table(&std::mem::take(&mut rows)));
            }
            let first_of_block = i == 0 || goal.indicators[i - 1].level1.text != ind.level1.text;
            let level1 = if first_of_block {
                cell(&ind.level1.text, 1, Merge::Down)
            } else {
                cell("", 1, Merge::Below)
            };
            let level2 = ind
                .level2
                .text
                .replace("可持续性影响指标", "可持续性影响\n指标");
            let value =
                |v: &Option<jixiao::form::Value>| v.as_ref().expect("value").raw.to_string();
            rows.push(row(&[
                cell("", 1, Merge::Below),
                level1,
                cell(&level2, 1, Merge::No),
                cell(&ind.name.text, 1, Merge::No),
                cell(&value(&ind.target), 1, Merge::No),
                cell(&value(&ind.actual), 1, Merge::No),
                cell(&num(ind.weight.value), 1, Merge::No),
                cell(&num(ind.reported.expect("reported").value), 1, Merge::No),
            ]));
        }
    }
    rows.push(row(&[
        cell("总分", 2, Merge::No),
        cell(
            &num(form.reported_total.expect("total").value),
            6,
            Merge::No,
        ),
    ]));
    rows.push(row(&[
        cell("偏差大或目标未完成原因分析", 2, Merge::No),
        cell(
            "年初绩效目标设定过高,导致实际完成值与年初设定目标存在差异",
            6,
            Merge::No,
        ),
    ]));
    tables.push(table(&rows));
    // Word keeps an empty paragraph between two tables.
    body.push_str(&tables.join(&para("")));
    body.push_str(&para("备注:"));
    docx_of(&body)
}

/// Writes the checked-in document from the helper above.
#[test]
#[ignore = "writes tests/fixtures/import/tongcheng-2021.docx; run with --ignored to regenerate it"]
fn regenerate_docx_fixture() {
    std::fs::write(path(SEED_DOCX), tongcheng_docx()).expect("written");
}

#[test]
fn docx_fixture_is_what_the_helper_writes() {
    assert!(
        repo_bytes(SEED_DOCX) == tongcheng_docx(),
        "run `cargo test --test main regenerate_docx_fixture -- --ignored` and review the change"
    );
}

#[test]
fn docx_imports_to_exactly_the_example() {
    let imported = import(
        "tongcheng-2021.docx",
        &repo_bytes(SEED_DOCX),
        Format::Word,
        &given(),
    )
    .unwrap_or_else(|e| panic!("{}", render(&e)));
    // Comments name the table, its row and the grid column; a merged cell by the cell
    // that starts the merge. Table 1: row 1 基本支出总额, 2–3 the budget, 4 goal 1's
    // label, 5 its header, 6 its first indicator.
    is_the_example(
        "tongcheng-2021.docx",
        &imported,
        &[
            "# 表 1 第 6 行第 5 列\ntarget = \"4000人次\"\n",
            "# 表 1 第 6 行第 7 列\nweight = 2\n",
            "# 表 1 第 6 行第 2 列\nlevel1 = \"产出指标\"\n",
            "# 表 1 第 6 行第 2 列（合并单元格）\nlevel1 = \"产出指标\"\n",
            "# 第 4 段\nfilled_on = 2022-04-07\n",
            "# 表 1 第 1 行第 3 列\nbasic = 1025.68\n",
            // Goal 4's third indicator is the first row of the second table; its 产出指标
            // continues the merge that started in table 1.
            "# 表 2 第 1 行第 4 列\nname = \"2021年劳动仲裁受理立案件数\"\n",
        ],
    );
}

#[test]
fn score_docx_as_the_example_scores() {
    scores_as_the_example(SEED_DOCX);
}

#[test]
fn old_and_damaged_word_files() {
    let word = |bytes: &[u8]| {
        let err = import("x.docx", bytes, Format::Word, &given()).expect_err("refused");
        codes(&err)
    };
    // An OLE compound file, as Word 97–2003 saves a .doc, named .docx.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(std::iter::repeat_n(0u8, 504));
    ole.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(word(&ole)[1], "jixiao::import::old_word");
    // An encrypted .docx: Office stores it in an OLE file as `EncryptedPackage`.
    let mut enc = ole[..512].to_vec();
    enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(word(&enc)[1], "jixiao::import::encrypted");
    // Cut short: the zip's directory is gone.
    let whole = repo_bytes(SEED_DOCX);
    assert_eq!(
        word(&whole[..whole.len() / 2])[1],
        "jixiao::import::document"
    );
    // A PDF named .docx, and a zip without a document.
    let err = import("x.docx", b"%PDF-1.7\n", Format::Word, &given()).expect_err("refused");
    assert!(render(&err).contains("这是 PDF 文件"), "{}", render(&err));
    assert_eq!(
        word(&docx_of("")[..])[..],
        ["jixiao::import::invalid", "jixiao::import::layout"]
    );
}

#[test]
fn limits_apply_to_word_documents() {
    use crate::support::Test;
    // The document's tables: row 1 (4 cells spanning 8 columns) already counts 8, the
    // whole form far more than 40.
    Test::new()
        .args(["import", SEED_DOCX])
        .env("JIXIAO_LIMITS", "sheet_cells=40")
        .run()
        .status(1)
        .stderr_has("jixiao::limit::sheet_cells")
        .stderr_has("文档 tests/fixtures/import/tongcheng-2021.docx 的表格超过 40 个单元格");
    // document.xml alone inflates to more than 1 KB.
    Test::new()
        .args(["score", SEED_DOCX])
        .env("JIXIAO_LIMITS", "unzipped_bytes=1KB")
        .run()
        .status(1)
        .stderr_has("jixiao::limit::unzipped_bytes");
    Test::new()
        .args(["import", SEED_DOCX])
        .env("JIXIAO_LIMITS", "form_bytes=1KB")
        .run()
        .status(1)
        .stderr_has("jixiao::limit::form_bytes");
}

/// The flat form as a Word table whose header has no 实际值 column.
fn missing_column_docx() -> Vec<u8> {
    let header = ["目标", "一级指标", "二级指标", "三级指标", "权重", "目标值"];
    let rows = [
        row(&header.map(|h| cell(h, 1, Merge::No))),
        row(
            &["开展培训", "产出指标", "数量指标", "培训人次", "80", "100"]
                .map(|t| cell(t, 1, Merge::No)),
        ),
    ];
    docx_of(&table(&rows))
}

/// A paragraph holding a picture (a DrawingML inline image, as Word inserts one), with
/// the VML copy older readers fall back to, which is not a second picture.
fn picture() -> String {
    "<w:p><w:r><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><mc:Choice Requires=\"wps\"><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:extent cx=\"5400000\" cy=\"7600000\"/><wp:docPr id=\"1\" name=\"扫描件\"/></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict/></mc:Fallback></mc:AlternateContent></w:r></w:p>".to_owned()
}

/// A scanned form pasted into Word: two pages' pictures, an empty paragraph between.
fn scanned_docx() -> Vec<u8> {
    docx_of(&[picture(), para(""), picture()].concat())
}

/// Writes the Word documents the diagnostics catalogue runs on.
#[test]
#[ignore = "writes tests/bad/inputs/import/{missing-column,scanned}.docx; run with --ignored to regenerate them"]
fn regenerate_catalogue_docx() {
    let dir = path("tests/bad/inputs/import");
    std::fs::write(dir.join("missing-column.docx"), missing_column_docx()).expect("written");
    std::fs::write(dir.join("scanned.docx"), scanned_docx()).expect("written");
}

#[test]
fn catalogue_docx_are_what_the_helpers_write() {
    let dir = "tests/bad/inputs/import";
    assert!(repo_bytes(format!("{dir}/missing-column.docx")) == missing_column_docx());
    assert!(repo_bytes(format!("{dir}/scanned.docx")) == scanned_docx());
}

#[test]
fn a_word_document_of_pictures_only_is_a_scan() {
    let err = import("scan.docx", &scanned_docx(), Format::Word, &given()).expect_err("a scan");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::scanned"]
    );
    let shown = render(&err);
    assert!(
        shown.contains("scan.docx 中只有 2 张图片，没有文字"),
        "{shown}"
    );
    // A picture beside text (a logo above the form) is not a scan: the text is read.
    let body = [picture(), para("2021年度县人社部门整体绩效自评表")].concat();
    let err = import("logo.docx", &docx_of(&body), Format::Word, &given()).expect_err("no table");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::layout"]
    );
}

#[test]
fn a_word_table_missing_a_column() {
    let err =
        import("flat.docx", &missing_column_docx(), Format::Word, &given()).expect_err("no 实际值");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::missing_column"]
    );
    let shown = render(&err);
    assert!(
        shown.contains("表 1 第 1 行：表头缺少「实际值」列"),
        "{shown}"
    );
}
