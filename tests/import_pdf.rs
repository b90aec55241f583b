//! Forms as departments publish them: the seed form printed to PDF by a browser, imported
//! and compared value by value with examples/tongcheng-2021.toml; PDFs written by hand
//! for a table without rules, a table missing a column, a scan, an encrypted file; a
//! folder of every format ranked.

use std::fmt::Write as _;

use jixiao::import::{Format, import};

use crate::import_cmd::{example, is_the_example, scores_as_the_example};
use crate::import_word::{SEED_DOCX, esc, given};
use crate::support::{codes, jixiao, render, repo_bytes, repo_path as path};

const SEED_PDF: &str = "tests/fixtures/import/tongcheng-2021.pdf";
const SEED_HTML: &str = "tests/fixtures/import/tongcheng-2021.html";

/// HTML text escaped.
fn html_esc(s: &str) -> String {
    esc(s).replace('"', "&quot;")
}

/// The seed form as a department's web page or a form designed in a browser: a bordered
/// table (collapsed borders) with the budget block, each goal's row and indicator table
/// with a 分值 column (the example's weights), 一级指标 merged down each block
/// (`rowspan`, centred vertically as browsers centre cells), the 年度绩效指标 label down
/// each goal, and 总分. Long texts wrap inside their cells. Not jixiao's own report: a
/// printed form, read back as a PDF reader would.
fn tongcheng_html() -> String {
    let form = example();
    let num = |d: rust_decimal::Decimal| d.normalize().to_string();
    let mut h = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>绩效自评表</title>\n<style>\n@page { size: A4 landscape; margin: 15mm; }\nbody { font-family: \"Noto Serif CJK SC\", serif; font-size: 10.5pt; }\nh1 { font-size: 16pt; text-align: center; }\ntable { border-collapse: collapse; width: 100%; }\ntd { border: 1px solid #000; padding: 2pt 4pt; }\n.n { text-align: center; }\n</style></head><body>\n",
    );
    let _ = writeln!(
        h,
        "<p>附件2</p>\n<h1>{}</h1>",
        html_esc(form.title.as_deref().expect("title"))
    );
    let _ = writeln!(
        h,
        "<p>单位名称：{}</p>\n<p>填报日期：2022年4月7日</p>\n<table>",
        html_esc(form.department.as_deref().expect("department"))
    );
    let amount = |v: &jixiao::form::Value| {
        num(v.quantity().expect("an amount").number / rust_decimal::Decimal::from(10_000))
    };
    let _ = writeln!(
        h,
        "<tr><td colspan=\"2\">基本支出总额</td><td colspan=\"2\">{}</td><td colspan=\"2\">项目支出总额</td><td colspan=\"2\">{}</td></tr>",
        num(form.budget.basic.expect("basic").value),
        num(form.budget.project.expect("project").value)
    );
    let _ = writeln!(
        h,
        "<tr><td colspan=\"2\" rowspan=\"2\">预算执行情况(万元)<br>(20分)</td><td></td><td>预算数(A)</td><td>执行数(B)</td><td>执行率(B/A)</td><td colspan=\"2\">得分(20分*执行率)</td></tr>\n<tr><td>部门整体支出总额</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">100.00</td><td colspan=\"2\" class=\"n\">{}</td></tr>",
        amount(&form.budget.planned),
        amount(&form.budget.executed),
        num(form.budget.reported.expect("reported").value)
    );
    for (g, goal) in form.goals.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"2\">年度目标{}: ({}分)</td><td colspan=\"6\">{}</td></tr>",
            g + 1,
            goal.weight.value,
            html_esc(&goal.name.text)
        );
        let _ = writeln!(
            h,
            "<tr><td rowspan=\"{}\">年度绩效指标</td><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年初目标值(A)</td><td>实际完成值(B)</td><td>分值</td><td>得分</td></tr>",
            goal.indicators.len() + 1
        );
        for (i, ind) in goal.indicators.iter().enumerate() {
            h.push_str("<tr>");
            let starts = i == 0 || goal.indicators[i - 1].level1.text != ind.level1.text;
            if starts {
                let span = goal.indicators[i..]
                    .iter()
                    .take_while(|n| n.level1.text == ind.level1.text)
                    .count();
                let _ = write!(
                    h,
                    "<td rowspan=\"{span}\">{}</td>",
                    html_esc(&ind.level1.text)
                );
            }
            let value = |v: &Option<jixiao::form::Value>| html_esc(&v.as_ref().expect("value").raw);
            let _ = writeln!(
                h,
                "<td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                html_esc(&ind.level2.text),
                html_esc(&ind.name.text),
                value(&ind.target),
                value(&ind.actual),
                num(ind.weight.value),
                num(ind.reported.expect("reported").value)
            );
        }
    }
    let _ = writeln!(
        h,
        "<tr><td colspan=\"2\">总分</td><td colspan=\"6\">{}</td></tr>\n<tr><td colspan=\"2\">偏差大或目标未完成原因分析</td><td colspan=\"6\">年初绩效目标设定过高,导致实际完成值与年初设定目标存在差异</td></tr>\n</table>\n<p>备注:</p>\n</body></html>",
        num(form.reported_total.expect("total").value)
    );
    h
}

/// Writes the checked-in HTML and prints it to the checked-in PDF with Chromium.
#[test]
#[ignore = "writes tests/fixtures/import/tongcheng-2021.{html,pdf} with chromium; run with --ignored to regenerate them"]
fn regenerate_pdf_fixture() {
    std::fs::write(path(SEED_HTML), tongcheng_html()).expect("written");
    let out = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", path(SEED_PDF).display()))
        .arg(format!("file://{}", path(SEED_HTML).display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pdf_fixture_is_printed_from_the_helper_s_html() {
    assert!(
        crate::support::repo_file(SEED_HTML) == tongcheng_html(),
        "run `cargo test --test main regenerate_pdf_fixture -- --ignored` and review the change"
    );
}

#[test]
fn pdf_imports_to_exactly_the_example() {
    let imported = import(
        "tongcheng-2021.pdf",
        &repo_bytes(SEED_PDF),
        Format::Pdf,
        &given(),
    )
    .unwrap_or_else(|e| panic!("{}", render(&e)));
    // Comments name the page, the row rebuilt on it and the column. Page 1: 附件2, the
    // title, 单位名称, 填报日期 (rows 1–4), 基本支出总额 (5), the budget (6–7), goal 1's
    // row (8), its header (9), its first indicator (10).
    is_the_example(
        "tongcheng-2021.pdf",
        &imported,
        &[
            "# 第 1 页第 10 行第 5 列\ntarget = \"4000人次\"\n",
            "# 第 1 页第 10 行第 7 列\nweight = 2\n",
            "# 第 1 页第 4 行第 1 列\nfilled_on = 2022-04-07\n",
            "# 第 1 页第 5 行第 3 列\nbasic = 1025.68\n",
        ],
    );
}

#[test]
fn score_pdf_as_the_example_scores() {
    scores_as_the_example(SEED_PDF);
}

// ---------------------------------------------------------------------------------------
// PDFs written by hand: positioned text in a font that maps each code to itself.

/// A page of a hand-written PDF: texts at (x, y) points from the top left (10 pt), and
/// whether it draws an image instead.
struct HandPage<'a> {
    texts: Vec<(f64, f64, &'a str)>,
    image: bool,
    /// The page's `/Rotate`; its content drawn turned back, so that it shows upright.
    rotate: u32,
    /// The content kept in a form XObject that the page draws.
    form: bool,
}

/// A PDF of `pages` (A4), its text in a Type 0 font (`SimSun`, not embedded: a viewer
/// substitutes one) whose codes are UTF-16 units, mapped to themselves by its ToUnicode
/// CMap; with an `/Encrypt` dictionary whose passwords the empty one does not open, when
/// `encrypted`.
fn handmade_pdf(pages: &[HandPage<'_>], encrypted: bool) -> Vec<u8> {
    let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Identity-UCS def 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end";
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        String::new(), // the page tree, written last
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{cmap}\nendstream", cmap.len()),
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\u{7f}\nendstream".to_owned(),
    ];
    let mut kids = Vec::new();
    for page in pages {
        let mut content = String::new();
        // The inverse of what /Rotate does to the page (content.rs `rotation`), W = 595,
        // H = 842.
        match page.rotate {
            90 => content.push_str("0 1 -1 0 595 0 cm\n"),
            180 => content.push_str("-1 0 0 -1 595 842 cm\n"),
            _ => {}
        }
        if page.image {
            content.push_str("q 495 0 0 742 50 50 cm /Im1 Do Q\n");
        }
        for (x, y, text) in &page.texts {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(
                content,
                "BT /F1 10 Tf 1 0 0 1 {x} {} Tm <{hex}> Tj ET",
                842.0 - y
            );
        }
        let mut form_xobject = String::new();
        if page.form {
            objects.push(format!(
                "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Length {} >>\nstream\n{content}endstream",
                content.len()
            ));
            form_xobject = format!(" /Fm1 {} 0 R", objects.len());
            content = "q /Fm1 Do Q\n".to_owned();
        }
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
        let content_id = objects.len();
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate {} /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 6 0 R{form_xobject} >> >> /Contents {content_id} 0 R >>",
            page.rotate
        ));
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        kids.len()
    );
    if encrypted {
        let o = "A".repeat(64);
        objects.push(format!(
            "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <{o}> /U <{o}> >>"
        ));
    }
    let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(table, "{o:010} 00000 n ");
    }
    let encrypt = if encrypted {
        format!(
            " /Encrypt {} 0 R /ID [<{id}> <{id}>]",
            objects.len(),
            id = "0".repeat(32)
        )
    } else {
        String::new()
    };
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.extend(table.as_bytes());
    pdf
}

/// The flat form (see `import_workbooks::flat_rows`) as a table without rules, one text
/// per cell at its column's x; `without` leaves out one column. Scored by hubei-2021:
/// budget 20 × 90/100 = 18.00, the indicator 80 × 90/100 = 72.00, total 90.00.
fn borderless_flat(without: Option<&str>) -> Vec<u8> {
    borderless_flat_turned(without, 0)
}

/// As [`borderless_flat`], on a page with `/Rotate rotate`.
fn borderless_flat_turned(without: Option<&str>, rotate: u32) -> Vec<u8> {
    let columns = [40.0, 110.0, 180.0, 250.0, 330.0, 380.0, 450.0];
    let rows: [[&str; 7]; 3] = [
        crate::support::FLAT_HEADER,
        ["预算执行情况", "", "", "", "", "100万元", "90万元"],
        [
            "开展培训",
            "产出指标",
            "数量指标",
            "培训人次",
            "80",
            "100",
            "90",
        ],
    ];
    let skip = without.and_then(|w| crate::support::FLAT_HEADER.iter().position(|h| *h == w));
    let mut texts = vec![(40.0, 60.0, "2023年度项目支出绩效自评表")];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if Some(c) != skip && !text.is_empty() {
                texts.push((columns[c], 100.0 + 20.0 * r as f64, *text));
            }
        }
    }
    handmade_pdf(
        &[HandPage {
            texts,
            image: false,
            rotate,
            form: false,
        }],
        false,
    )
}

/// A scan: one page with an image and no text.
fn scanned_pdf() -> Vec<u8> {
    let scan = HandPage {
        texts: Vec::new(),
        image: true,
        rotate: 0,
        form: false,
    };
    handmade_pdf(&[scan], false)
}

/// A page of text, encrypted with a password the empty one does not open.
fn encrypted_pdf() -> Vec<u8> {
    let text = HandPage {
        texts: vec![(40.0, 40.0, "年度目标1")],
        image: false,
        rotate: 0,
        form: false,
    };
    handmade_pdf(&[text], true)
}

/// The borderless table cut off halfway, as a download that broke off leaves it.
fn damaged_pdf() -> Vec<u8> {
    let mut whole = borderless_flat(None);
    whole.truncate(whole.len() / 2);
    whole
}

/// The hand-made PDFs the diagnostics catalogue runs on, by file name.
fn catalogue_pdfs() -> [(&'static str, Vec<u8>); 5] {
    [
        ("borderless.pdf", borderless_flat(None)),
        ("scanned.pdf", scanned_pdf()),
        ("encrypted.pdf", encrypted_pdf()),
        ("damaged.pdf", damaged_pdf()),
        ("missing-column.pdf", borderless_flat(Some("实际值"))),
    ]
}

/// Writes the hand-made PDFs the diagnostics catalogue runs on.
#[test]
#[ignore = "writes tests/bad/inputs/import/*.pdf; run with --ignored to regenerate them"]
fn regenerate_handmade_pdfs() {
    let dir = path("tests/bad/inputs/import");
    for (name, bytes) in catalogue_pdfs() {
        std::fs::write(dir.join(name), bytes).expect("written");
    }
}

#[test]
fn handmade_pdfs_are_what_the_helpers_write() {
    for (name, bytes) in catalogue_pdfs() {
        assert!(
            repo_bytes(format!("tests/bad/inputs/import/{name}")) == bytes,
            "{name}: run `cargo test --test main regenerate_handmade_pdfs -- --ignored`"
        );
    }
}

#[test]
fn a_table_without_rules_is_read_with_a_warning() {
    let imported = import("flat.pdf", &borderless_flat(None), Format::Pdf, &given())
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    let shown: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        ["flat.pdf 第 1 页的表格没有表格线，行和列按文字位置推测"]
    );
    // Row 1 is the title; the header is row 2, the budget row 3, the indicator row 4.
    assert!(
        imported
            .toml
            .contains("# 第 1 页第 4 行第 7 列\nactual = \"90\"\n"),
        "{}",
        imported.toml
    );
    let dir = crate::support::Scratch::new("borderless");
    let file = dir.write("flat.pdf", borderless_flat(None));
    let v = jixiao(&["score", &file, "--format", "json"])
        .status(0)
        .json();
    // 18.00 + 72.00.
    assert_eq!(v["total"], "90.00");
}

#[test]
fn a_pdf_table_missing_a_column() {
    let err = import(
        "flat.pdf",
        &borderless_flat(Some("实际值")),
        Format::Pdf,
        &given(),
    )
    .expect_err("no 实际值");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::missing_column"]
    );
    let shown = render(&err);
    assert!(
        shown.contains("第 1 页第 2 行：表头缺少「实际值」列"),
        "{shown}"
    );
    assert!(shown.contains("flat.pdf（提取的文字）"), "{shown}");
}

#[test]
fn scanned_encrypted_and_damaged_pdfs() {
    let pdf = |bytes: &[u8]| {
        let err = import("x.pdf", bytes, Format::Pdf, &given()).expect_err("refused");
        codes(&err)[1].clone()
    };
    let scan = || HandPage {
        texts: Vec::new(),
        image: true,
        rotate: 0,
        form: false,
    };
    assert_eq!(
        pdf(&handmade_pdf(&[scan(), scan()], false)),
        "jixiao::import::scanned"
    );
    assert_eq!(pdf(&encrypted_pdf()), "jixiao::import::encrypted");
    assert_eq!(pdf(&damaged_pdf()), "jixiao::import::document");
    let whole = repo_bytes(SEED_PDF);
    assert_eq!(pdf(&whole[..whole.len() / 3]), "jixiao::import::document");
    assert_eq!(pdf(b"PK\x03\x04 a zip"), "jixiao::import::document");
    assert_eq!(pdf(b""), "jixiao::import::document");
}

#[test]
fn limits_apply_to_pdfs() {
    use crate::support::Test;
    Test::new()
        .args(["import", SEED_PDF])
        .env("JIXIAO_LIMITS", "pages=2")
        .run()
        .status(1)
        .stderr_has("jixiao::limit::pages");
    Test::new()
        .args(["import", SEED_PDF])
        .env("JIXIAO_LIMITS", "sheet_cells=100")
        .run()
        .status(1)
        .stderr_has("jixiao::limit::sheet_cells");
    Test::new()
        .args(["import", SEED_PDF])
        .env("JIXIAO_LIMITS", "unzipped_bytes=100KB")
        .run()
        .status(1)
        .stderr_has("jixiao::limit::unzipped_bytes");
}

#[test]
fn a_folder_of_every_format_is_ranked() {
    let dir = crate::support::Scratch::new("every-format");
    dir.copy("examples/tongcheng-2021.toml", "a-人社.toml");
    dir.copy("tests/fixtures/import/tongcheng-2021.xlsx", "b-人社.xlsx");
    dir.copy(SEED_DOCX, "c-人社.docx");
    dir.copy(SEED_PDF, "d-人社.pdf");
    dir.copy("tests/fixtures/import/wenlv-2023-flat.csv", "e-文旅.csv");
    dir.copy("examples/county-education-2022.toml", "f-教育.toml");
    let v = jixiao(&["score", &dir.folder(), "--format", "json"])
        .status(0)
        .json();
    let summary: Vec<(String, String, u64)> = v["summary"]
        .as_array()
        .expect("summary")
        .iter()
        .map(|s| {
            let file = s["file"].as_str().expect("file");
            let name = std::path::Path::new(file).file_name().expect("name");
            (
                name.to_string_lossy().into_owned(),
                s["total"].as_str().expect("total").to_owned(),
                s["rank"].as_u64().expect("rank"),
            )
        })
        .collect();
    // A converted form is named as its diagnostics name it. The seed form four ways,
    // 96.53 each (import_cmd.rs, examples.rs); the flat CSV 93.38 (import_cmd.rs); the
    // county form 91.26 (report_cmd.rs).
    let mut totals: Vec<(&str, &str)> = summary
        .iter()
        .map(|(f, t, _)| (f.as_str(), t.as_str()))
        .collect();
    totals.sort_unstable();
    assert_eq!(
        totals,
        [
            ("a-人社.toml", "96.53"),
            ("b-人社.xlsx（已转换）", "96.53"),
            ("c-人社.docx（已转换）", "96.53"),
            ("d-人社.pdf（已转换）", "96.53"),
            ("e-文旅.csv（已转换）", "93.38"),
            ("f-教育.toml", "91.26"),
        ]
    );
    // The four equal totals share rank 1; the next is 5th.
    let mut ranks: Vec<(&str, u64)> = summary.iter().map(|(f, _, r)| (&f[..1], *r)).collect();
    ranks.sort_unstable();
    assert_eq!(
        ranks,
        [("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 5), ("f", 6)],
        "{summary:?}"
    );
    assert_eq!(v["failed"], serde_json::json!([]));
}

#[test]
fn rotated_pages_are_read_as_shown() {
    // The same table on a page turned by /Rotate, its content drawn turned back (as a
    // producer prints a landscape table on a portrait page): the same TOML.
    let upright = import("flat.pdf", &borderless_flat(None), Format::Pdf, &given())
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    for rotate in [90, 180] {
        let turned = import(
            "flat.pdf",
            &borderless_flat_turned(None, rotate),
            Format::Pdf,
            &given(),
        )
        .unwrap_or_else(|e| panic!("/Rotate {rotate}: {}", render(&e)));
        assert_eq!(turned.toml, upright.toml, "/Rotate {rotate}");
    }
}

#[test]
fn text_in_a_form_xobject_is_read() {
    // The flat form's cells drawn by a form XObject the page draws (`/Fm1 Do`), as some
    // producers keep a page's content.
    let texts = vec![
        (40.0, 100.0, "目标"),
        (110.0, 100.0, "一级指标"),
        (180.0, 100.0, "二级指标"),
        (250.0, 100.0, "三级指标"),
        (330.0, 100.0, "权重"),
        (380.0, 100.0, "目标值"),
        (450.0, 100.0, "实际值"),
        (40.0, 120.0, "预算执行情况"),
        (380.0, 120.0, "100万元"),
        (450.0, 120.0, "90万元"),
        (40.0, 140.0, "开展培训"),
        (110.0, 140.0, "产出指标"),
        (180.0, 140.0, "数量指标"),
        (250.0, 140.0, "培训人次"),
        (330.0, 140.0, "80"),
        (380.0, 140.0, "100"),
        (450.0, 140.0, "90"),
    ];
    let page = |form| HandPage {
        texts: texts.clone(),
        image: false,
        rotate: 0,
        form,
    };
    let direct = import(
        "f.pdf",
        &handmade_pdf(&[page(false)], false),
        Format::Pdf,
        &given(),
    )
    .unwrap_or_else(|e| panic!("{}", render(&e)));
    let in_form = import(
        "f.pdf",
        &handmade_pdf(&[page(true)], false),
        Format::Pdf,
        &given(),
    )
    .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert_eq!(in_form.toml, direct.toml);
    assert!(direct.toml.contains("actual = \"90\""), "{}", direct.toml);
}
