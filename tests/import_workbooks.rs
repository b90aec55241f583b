//! Workbooks as people and programs really make them: hidden sheets, formulas saved
//! without their values, a cell at the far corner of the sheet, zip bombs, damaged
//! packages. Each is a real `.xlsx`, written here by rust_xlsxwriter or, where it cannot
//! make the structure (a formula without a cached value, a cell at `XFD1048576`, a part
//! whose zip header lies), as raw XML in a zip; the small ones are checked in under
//! tests/fixtures/import/ (`regenerate_workbook_fixtures` writes them, and
//! `workbook_fixtures_are_what_the_helpers_write` keeps them in step).

use std::io::{Cursor, Write};

use jixiao::Limits;
use jixiao::import::{Format, Options, Weights, import_with_limits};

use crate::support::{
    Ran, Scratch, Test, codes, flat_head, jixiao, render, repo_path as path, text, write_texts,
};

const FIXTURES: &str = "tests/fixtures/import";

fn options(sheet: Option<&str>) -> Options {
    Options {
        weights: Weights::Given,
        sheet: sheet.map(str::to_owned),
    }
}

// ---------------------------------------------------------------------------------------
// Raw packages.

/// A sheet's XML around its `<sheetData>` rows.
fn sheet_xml(rows: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData></worksheet>"
    )
}

/// An inline-string cell.
fn s(at: &str, text: &str) -> String {
    format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

/// A number cell.
fn n(at: &str, value: &str) -> String {
    format!("<c r=\"{at}\"><v>{value}</v></c>")
}

/// The flat form every raw workbook here holds, with `actual` as the indicator's 实际值
/// cell (G3) and `extra` appended to the sheet's rows:
///
/// | 目标 | 一级指标 | 二级指标 | 三级指标 | 权重 | 目标值 | 实际值 |
/// | 预算执行情况 | | | | | 100万元 | 90万元 |
/// | 开展培训 | 产出指标 | 数量指标 | 培训人次 | 80 | 100 | (actual) |
///
/// Scored by hubei-2021: budget 20 × 90/100 = 18.00; the indicator 80 × 90/100 = 72.00
/// when the actual is 90; total 90.00.
fn flat_rows(actual: &str, extra: &str) -> String {
    let header = crate::support::FLAT_HEADER
        .iter()
        .zip(["A1", "B1", "C1", "D1", "E1", "F1", "G1"])
        .map(|(t, at)| s(at, t))
        .collect::<String>();
    format!(
        "<row r=\"1\">{header}</row><row r=\"2\">{}{}{}</row><row r=\"3\">{}{}{}{}{}{}{actual}</row>{extra}",
        s("A2", "预算执行情况"),
        s("F2", "100万元"),
        s("G2", "90万元"),
        s("A3", "开展培训"),
        s("B3", "产出指标"),
        s("C3", "数量指标"),
        s("D3", "培训人次"),
        n("E3", "80"),
        n("F3", "100"),
    )
}

/// A zip of `parts` as an `.xlsx`: deflated, dated 1980-01-01, so the bytes are the same
/// on every run.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in parts {
        zip.start_file(*name, opts).expect("part");
        zip.write_all(bytes).expect("written");
    }
    zip.finish().expect("zip").into_inner()
}

/// A one-sheet `.xlsx` (`Sheet1`) with the given sheet XML and, if any, shared strings.
fn raw_xlsx(sheet: &str, shared: Option<&[u8]>) -> Vec<u8> {
    let types = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types),
        ("_rels/.rels", rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", book_rels),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(shared) = shared {
        parts.push(("xl/sharedStrings.xml", shared));
    }
    zip_of(&parts)
}

/// The flat form whose 实际值 is a formula saved without its value (as a program that
/// writes workbooks without calculating them leaves it), and another at H5.
fn uncached_formula_workbook() -> Vec<u8> {
    let actual = "<c r=\"G3\"><f>SUM(A9:A10)</f><v></v></c>";
    let extra = "<row r=\"5\"><c r=\"H5\"><f>G3*2</f></c></row>";
    raw_xlsx(&sheet_xml(&flat_rows(actual, extra)), None)
}

/// The flat form with one more cell, holding `x`, at XFD1048576.
fn far_value_workbook() -> Vec<u8> {
    let extra = format!("<row r=\"1048576\">{}</row>", s("XFD1048576", "x"));
    raw_xlsx(&sheet_xml(&flat_rows(&n("G3", "90"), &extra)), None)
}

/// The flat form with a cell holding a space at XFD3000 (it looks blank) and a blank
/// styled cell at the sheet's last cell, XFD1048576. Read as a range, as calamine reads a
/// sheet, A1:XFD3000 is 49 million cells (1.5 GB at 32 bytes each).
fn far_cell_workbook() -> Vec<u8> {
    let extra = "<row r=\"3000\"><c r=\"XFD3000\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> </t></is></c></row><row r=\"1048576\"><c r=\"XFD1048576\" s=\"0\"/></row>";
    raw_xlsx(&sheet_xml(&flat_rows(&n("G3", "90"), extra)), None)
}

/// Rewrites the uncompressed size the zip declares for part `name` (local header and
/// central directory) to `size`, as a hostile file would.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let (signature, size_at, name_len_at, name_at) = match zip[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => ("local", 22, 26, 30),
            [0x50, 0x4b, 0x01, 0x02] => ("central", 24, 28, 46),
            _ => continue,
        };
        let len = usize::from(u16::from_le_bytes([
            zip[i + name_len_at],
            zip[i + name_len_at + 1],
        ]));
        if zip.get(i + name_at..i + name_at + len) == Some(name) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
            let _ = signature;
        }
    }
    assert_eq!(patched, 2, "local header and central directory");
}

/// The flat form whose sharedStrings part is `mb` MB of one repeated string (a thousand
/// times smaller compressed): a zip bomb.
fn bomb(mb: usize) -> Vec<u8> {
    let one = "<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>";
    let count = mb * 1024 * 1024 / one.len();
    let mut shared = String::with_capacity(mb * 1024 * 1024 + 200);
    shared.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    );
    for _ in 0..count {
        shared.push_str(one);
    }
    shared.push_str("</sst>");
    raw_xlsx(
        &sheet_xml(&flat_rows(&n("G3", "90"), "")),
        Some(shared.as_bytes()),
    )
}

// ---------------------------------------------------------------------------------------
// Workbooks rust_xlsxwriter can make.

/// The flat form on two sheets: `隐藏` (first, hidden) whose 实际值 is 50, and `自评表`
/// (second, visible and active) whose 实际值 is 90.
fn hidden_first_sheet_workbook() -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    for (name, actual, hidden) in [("隐藏", 50, true), ("自评表", 90, false)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("name");
        flat_head(sheet, &[]);
        write_texts(sheet, 2, &["开展培训", "产出指标", "数量指标", "培训人次"]);
        sheet.write_number(2, 4, 80).expect("write");
        sheet.write_number(2, 5, 100).expect("write");
        sheet.write_number(2, 6, actual).expect("write");
        if hidden {
            sheet.set_hidden(true);
        } else {
            sheet.set_active(true);
        }
    }
    book.save_to_buffer().expect("saved")
}

/// The flat form with target `95%` (text) and the actual a number cell holding `actual`,
/// as Excel stores a cell formatted as a percentage (0.9 for 90%) or typed as a plain
/// number (90).
fn percent_workbook(actual: f64) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    flat_head(sheet, &[]);
    write_texts(
        sheet,
        2,
        &["开展培训", "产出指标", "质量指标", "培训合格率"],
    );
    sheet.write_number(2, 4, 80).expect("write");
    sheet.write_string(2, 5, "95%").expect("write");
    sheet.write_number(2, 6, actual).expect("write");
    book.save_to_buffer().expect("saved")
}

/// The small workbooks checked in, by file name.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("hidden-first-sheet.xlsx", hidden_first_sheet_workbook()),
        ("uncached-formula.xlsx", uncached_formula_workbook()),
        ("far-cell.xlsx", far_cell_workbook()),
        ("far-value.xlsx", far_value_workbook()),
        ("percent-90.xlsx", percent_workbook(90.0)),
    ]
}

#[test]
#[ignore = "writes the workbooks under tests/fixtures/import/; run with --ignored to regenerate them"]
fn regenerate_workbook_fixtures() {
    for (name, bytes) in fixtures() {
        std::fs::write(path(format!("{FIXTURES}/{name}")), bytes).expect("written");
    }
}

/// Every cell of every sheet of a workbook, with each sheet's visibility, as calamine
/// reads them (rust_xlsxwriter stamps a creation time into its packages, so bytes
/// differ between runs; raw packages are compared byte for byte as well).
fn cells_of(bytes: &[u8]) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let mut out = Vec::new();
    for sheet in book.sheets_metadata().to_vec() {
        out.push(format!("{} {:?}", sheet.name, sheet.visible));
        let mut cells = book.worksheet_cells_reader(&sheet.name).expect("a sheet");
        while let Some(c) = cells.next_cell().expect("a cell") {
            out.push(format!("{:?} = {:?}", c.get_position(), c.get_value()));
        }
    }
    out
}

#[test]
fn workbook_fixtures_are_what_the_helpers_write() {
    for (name, built) in fixtures() {
        let checked_in = std::fs::read(path(format!("{FIXTURES}/{name}"))).unwrap_or_else(|e| {
            panic!("{name}: {e}; cargo test regenerate_workbook_fixtures -- --ignored")
        });
        assert_eq!(cells_of(&checked_in), cells_of(&built), "{name}");
        if !name.starts_with("hidden") && !name.starts_with("percent") {
            assert!(checked_in == built, "{name}: regenerate_workbook_fixtures");
        }
    }
}

// ---------------------------------------------------------------------------------------
// 1. Which sheet is read.

#[test]
fn a_hidden_first_sheet_is_passed_over_for_the_visible_one() {
    let file = format!("{FIXTURES}/hidden-first-sheet.xlsx");
    // The visible sheet: 80 × 90/100 = 72.00, budget 20 × 90/100 = 18.00, total 90.00.
    let v = jixiao(&["score", &file, "--format", "json"])
        .status(0)
        .json();
    assert_eq!(v["goals"][0]["score"], "72.00");
    assert_eq!(v["total"], "90.00");
    // --sheet still reads the hidden one (actual 50).
    let out = jixiao(&["import", &file, "--sheet", "隐藏"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("# 隐藏!G3\nactual = \"50\""),
        "{}",
        text(&out.stdout)
    );
    // The TOML names the visible sheet's cells.
    let out = jixiao(&["import", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("# 自评表!G3\nactual = \"90\""),
        "{}",
        text(&out.stdout)
    );
}

// ---------------------------------------------------------------------------------------
// 2. Formulas saved without their values.

#[test]
fn a_formula_without_its_value_is_an_error_naming_the_cell() {
    let err = import_with_limits(
        "uncached.xlsx",
        &uncached_formula_workbook(),
        Format::Workbook,
        &options(None),
        &Limits::default(),
    )
    .expect_err("a formula without its value");
    assert_eq!(
        codes(&err),
        [
            "jixiao::import::invalid",
            "jixiao::import::uncached_formula"
        ]
    );
    assert_eq!(
        err.errors[0].to_string(),
        "Sheet1!G3：公式「=SUM(A9:A10)」没有保存计算结果，读出来会是空的；本表共 2 个这样的单元格，另有 Sheet1!H5"
    );
    let shown = render(&err);
    assert!(
        shown.contains("用 Excel 或 WPS 打开 uncached.xlsx"),
        "{shown}"
    );

    let out = jixiao(&["score", &format!("{FIXTURES}/uncached-formula.xlsx")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    out.stderr_has("jixiao::import::uncached_formula");

    // The same cell with its value saved (as Excel saves it) reads as 90.
    let saved = raw_xlsx(
        &sheet_xml(&flat_rows(
            "<c r=\"G3\"><f>SUM(A9:A10)</f><v>90</v></c>",
            "",
        )),
        None,
    );
    let dir = Scratch::new("saved-formula");
    let saved = dir.write("saved-formula.xlsx", &saved);
    let v = jixiao(&["score", &saved, "--format", "json"])
        .status(0)
        .json();
    assert_eq!(v["total"], "90.00");
}

// ---------------------------------------------------------------------------------------
// 7. A sheet costs what its cells cost.

/// Runs the binary with its address space limited to `kb` kilobytes (`ulimit -v`), and
/// killed should it hang.
fn run_limited(kb: u64, args: &[&str]) -> Ran {
    Test::new()
        .args(args)
        .memory_kib(kb)
        .kill_after_a_minute()
        .run()
}

/// The address space the tests below allow, 200 MB: the seed workbook scores within
/// 16 MB (measured: 12 MB is too little for the debug build), a batch of three workbooks
/// within 100 MB, and a dense range for a cell at XFD3000 (49 million cells, 1.5 GB) or
/// XFD1048576 (17 billion) cannot be allocated in it: before sheets were read cell by
/// cell, both aborted.
const ADDRESS_SPACE_KB: u64 = 200_000;

#[test]
fn the_seed_workbook_scores_within_the_bound() {
    let out = run_limited(
        ADDRESS_SPACE_KB,
        &[
            "score",
            "tests/fixtures/import/tongcheng-2021.xlsx",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status(0).json()["total"], "96.53");
}

#[test]
fn a_cell_at_the_far_corner_costs_one_cell() {
    // Blank cells at the corner: the form around them scores as it would without them.
    let out = run_limited(
        ADDRESS_SPACE_KB,
        &[
            "score",
            &format!("{FIXTURES}/far-cell.xlsx"),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status(0).json()["total"], "90.00");
    // A value at the corner is a row of the table like any other: a clean error naming it.
    let out = run_limited(
        ADDRESS_SPACE_KB,
        &["score", &format!("{FIXTURES}/far-value.xlsx")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    out.stderr_has("Sheet1!D1048576：三级指标为空");
    // In a batch folder, neither stops the others: the good forms are scored, the far
    // value is listed as not scored.
    let dir = Scratch::new("far-batch");
    dir.write("a-far.xlsx", far_cell_workbook());
    dir.write("c-value.xlsx", far_value_workbook());
    dir.copy("tests/fixtures/import/tongcheng-2021.xlsx", "b.xlsx");
    let out = run_limited(
        ADDRESS_SPACE_KB,
        &["score", &dir.folder(), "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(csv.contains("a-far.xlsx（已转换）,90.00"), "{csv}");
    assert!(csv.contains("b.xlsx（已转换）,96.53"), "{csv}");
    assert!(csv.contains("c-value.xlsx,,未能计分"), "{csv}");
}

#[test]
fn a_sheet_over_the_cell_limit_is_refused() {
    // The flat form has 7 + 3 + 7 = 17 non-empty cells.
    let limits = Limits {
        sheet_cells: 16,
        ..Limits::default()
    };
    let bytes = raw_xlsx(&sheet_xml(&flat_rows(&n("G3", "90"), "")), None);
    let err = import_with_limits(
        "big.xlsx",
        &bytes,
        Format::Workbook,
        &options(None),
        &limits,
    )
    .expect_err("over the limit");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::limit::sheet_cells"]
    );
    assert_eq!(
        err.errors[0].to_string(),
        "工作簿 big.xlsx 的工作表「Sheet1」超过 16 个单元格"
    );
    let limits = Limits {
        sheet_cells: 17 + 7,
        ..Limits::default()
    };
    // Within the limit, the same sheet reads: 17 cells, and no blank between them.
    assert!(
        import_with_limits("ok.xlsx", &bytes, Format::Workbook, &options(None), &limits).is_ok()
    );
    // Cells spread out: 20 cells on a diagonal below the form, each in its own row and
    // column (H10, I11, …, AA29), make rows of up to 27 cells once empty columns are left
    // out (A–G and H–AA): the form's rows are 7 cells each (row 2's blanks B–E
    // included), the diagonal's 8, 9, …, 27: 21 + (20 × 8 + 190) = 21 + 350 = 371.
    let diagonal: String = (0..20u32)
        .map(|i| {
            // Columns H (8) to AA (27).
            let col = match 8 + i {
                c @ 8..=26 => char::from(b'A' + u8::try_from(c - 1).expect("small")).to_string(),
                _ => "AA".to_owned(),
            };
            format!(
                "<row r=\"{}\">{}</row>",
                10 + i,
                s(&format!("{col}{}", 10 + i), "x")
            )
        })
        .collect();
    let spread = raw_xlsx(&sheet_xml(&flat_rows(&n("G3", "90"), &diagonal)), None);
    for (limit, ok) in [(370, false), (371, true)] {
        let limits = Limits {
            sheet_cells: limit,
            ..Limits::default()
        };
        let got = import_with_limits("d.xlsx", &spread, Format::Workbook, &options(None), &limits);
        // Within the limit the diagonal's cells are read, and are rows without names.
        let over =
            got.expect_err("not a form").errors.iter().any(|e| {
                codes(e).first().map(String::as_str) == Some("jixiao::limit::sheet_cells")
            });
        assert_eq!(over, !ok, "{limit}");
    }
}

// ---------------------------------------------------------------------------------------
// 8. Zip bombs.

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size() {
    // 4 MB of shared strings in about 10 KB, declared as 1.5 GB: refused under the default
    // limit (100 MB) before anything is inflated.
    let mut bytes = bomb(4);
    assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
    declare_size(&mut bytes, "xl/sharedStrings.xml", 1_610_612_736);
    let dir = Scratch::new("declared-bomb");
    let file = dir.write("declared-bomb.xlsx", &bytes);
    let out = run_limited(ADDRESS_SPACE_KB, &["score", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("jixiao::limit::unzipped_bytes"), "{stderr}");
    let err = import_with_limits(
        "bomb.xlsx",
        &bytes,
        Format::Workbook,
        &options(None),
        &Limits::default(),
    )
    .expect_err("a bomb");
    // 1,610,612,736 bytes = 1536 × 1,048,576; the limit 100 MB.
    assert_eq!(
        err.errors[0].to_string(),
        "文件 bomb.xlsx 解压后共 1536.0 MB，超过上限 100.0 MB"
    );
}

#[test]
fn a_zip_bomb_with_a_lying_header_is_refused_while_inflating() {
    // 4 MB of shared strings declared as 1 KB: the declared sizes pass a 2 MB limit, and
    // inflating stops just past it.
    let mut bytes = bomb(4);
    declare_size(&mut bytes, "xl/sharedStrings.xml", 1024);
    let limits = Limits {
        unzipped_bytes: 2 * 1024 * 1024,
        ..Limits::default()
    };
    let err = import_with_limits(
        "bomb.xlsx",
        &bytes,
        Format::Workbook,
        &options(None),
        &limits,
    )
    .expect_err("a bomb");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::limit::unzipped_bytes"]
    );
    let shown = err.errors[0].to_string();
    assert!(shown.contains("压缩包中声明的大小不实"), "{shown}");
    assert!(shown.contains("超过上限 2.0 MB"), "{shown}");
    // The same package with its true sizes, under the default limit, reads.
    let honest = bomb(4);
    let dir = Scratch::new("bomb");
    let honest = dir.write("honest-4mb.xlsx", &honest);
    let v = jixiao(&["score", &honest, "--format", "json"])
        .status(0)
        .json();
    assert_eq!(v["total"], "90.00");
    // And through the environment, like every limit.
    let file = dir.write("lying-bomb.xlsx", &bytes);
    let out = Test::new()
        .args(["score", &file])
        .env("JIXIAO_LIMITS", "unzipped_bytes=2MB")
        .run();
    assert_eq!(out.status.code(), Some(1));
    out.stderr_has("jixiao::limit::unzipped_bytes");
}

// ---------------------------------------------------------------------------------------
// 9. calamine's errors, in Chinese.

#[test]
fn a_missing_shared_string_is_said_in_chinese() {
    // G3 points at shared string 99 of a table that has none.
    let bytes = raw_xlsx(
        &sheet_xml(&flat_rows("<c r=\"G3\" t=\"s\"><v>99</v></c>", "")),
        None,
    );
    let err = import_with_limits(
        "s.xlsx",
        &bytes,
        Format::Workbook,
        &options(None),
        &Limits::default(),
    )
    .expect_err("damaged");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::workbook"]
    );
    assert_eq!(
        err.errors[0].to_string(),
        "无法打开工作簿 s.xlsx：工作表「Sheet1」：单元格引用的共享文字不存在，文件可能已损坏（Xlsx error: Cell string index not found in shared strings table）"
    );
}

// ---------------------------------------------------------------------------------------
// 3 and 6. A number beside a percentage, and where the warning goes.

#[test]
fn a_plain_number_beside_a_percentage_is_refused_above_150_percent() {
    let import_actual = |actual: f64| {
        import_with_limits(
            "p.xlsx",
            &percent_workbook(actual),
            Format::Workbook,
            &options(None),
            &Limits::default(),
        )
    };
    // 1.5 is a stored 150%: read so, with the warning.
    let ok = import_actual(1.5).expect("150%");
    assert!(
        ok.toml
            .contains("# Sheet1!G3（数字 1.5 按百分比读取）\nactual = \"150%\""),
        "{}",
        ok.toml
    );
    assert_eq!(
        ok.warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["Sheet1!G3：数字 1.5 按百分比 150% 读取（同一指标的另一个值是百分比）"]
    );
    // 1.6 and 90 are not: an error naming both cells, neither 160%/9000% nor 90% guessed.
    for (actual, shown) in [(1.6, "1.6 不会是 160%"), (90.0, "90 不会是 9000%")] {
        let err = import_actual(actual).expect_err("refused");
        assert_eq!(
            codes(&err),
            ["jixiao::import::invalid", "jixiao::import::bad_cell"]
        );
        let message = err.errors[0].to_string();
        assert!(message.starts_with("Sheet1!G3：数字 "), "{message}");
        assert!(message.contains("Sheet1!F3 的百分比「95%」"), "{message}");
        assert!(message.contains(shown), "{message}");
    }
    let out = jixiao(&["score", &format!("{FIXTURES}/percent-90.xlsx")]);
    assert_eq!(out.status.code(), Some(1));
    out.stderr_has("若是 90%，请在单元格中写成「90%」");
}

/// The workbook whose 实际值 0.9 is read as 90% (beside 95%), with its warning: what every
/// output must carry. Scored: 80 × 90/95 = 75.789… → 75.79; budget 18.00; total 93.79.
fn percent_file(dir: &Scratch) -> String {
    dir.write("percent-0.9.xlsx", percent_workbook(0.9))
}

const PERCENT_WARNING: &str = "Sheet1!G3：数字 0.9 按百分比 90% 读取（同一指标的另一个值是百分比）";

#[test]
fn import_warnings_reach_the_json_and_stay_on_stderr() {
    let dir = Scratch::new("percent-json");
    let file = percent_file(&dir);
    let out = jixiao(&["score", &file, "--format", "json"]);
    let v = out.status(0).json();
    assert_eq!(v["total"], "93.79");
    assert_eq!(v["warnings"][0]["code"], "jixiao::import::percent_cell");
    assert_eq!(v["warnings"][0]["message"], PERCENT_WARNING);
    out.stderr_has(PERCENT_WARNING);
}

#[test]
fn import_warnings_reach_every_report() {
    let dir = Scratch::new("warn-reports");
    let file = percent_file(&dir);
    for ext in ["html", "md", "csv"] {
        let out_file = dir.arg(&format!("report.{ext}"));
        let out = jixiao(&["score", &file, "-o", &out_file]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let written = std::fs::read_to_string(&out_file).expect("written");
        assert!(written.contains(PERCENT_WARNING), "{ext}: {written}");
        assert!(
            written.contains("jixiao::import::percent_cell"),
            "{ext}: {written}"
        );
    }
    let out_file = dir.arg("report.xlsx");
    let out = jixiao(&["score", &file, "-o", &out_file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cells = cells_of(&std::fs::read(&out_file).expect("written"));
    assert!(
        cells
            .iter()
            .any(|c| c.contains(PERCENT_WARNING) && c.contains("jixiao::import::percent_cell")),
        "{cells:?}"
    );
    // A batch's Markdown shows it in the form's section.
    dir.write("batch/p.xlsx", percent_workbook(0.9));
    let out = jixiao(&["score", &dir.arg("batch"), "--format", "md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout_has(PERCENT_WARNING);
}
