//! The import module on small inputs: each layout rule, each diagnostic, and hostile bytes.

use miette::Diagnostic;

use super::grid::{Cell, Grid, Kind, Place};
use super::{Format, ImportErrors, Imported, Options, Weights, convert, import};
use crate::form::Form;

fn opts(weights: Weights) -> Options {
    Options {
        weights,
        sheet: None,
    }
}

fn ok(name: &str, text: &str, format: Format, weights: Weights) -> (Form, Imported) {
    let imported = match import(name, text.as_bytes(), format, &opts(weights)) {
        Ok(i) => i,
        Err(e) => panic!("{e}: {:#?}", e.errors),
    };
    let form = crate::load_form(&crate::Source::new(name, imported.toml.as_str()))
        .unwrap_or_else(|e| panic!("{e:?}\n{}", imported.toml));
    (form, imported)
}

fn err(name: &str, text: &str, format: Format, weights: Weights) -> ImportErrors {
    match import(name, text.as_bytes(), format, &opts(weights)) {
        Ok(i) => panic!("imported:\n{}", i.toml),
        Err(e) => e,
    }
}

fn codes(e: &ImportErrors) -> Vec<String> {
    e.errors
        .iter()
        .filter_map(|e| e.code().map(|c| c.to_string()))
        .collect()
}

fn messages(e: &ImportErrors) -> Vec<String> {
    e.errors.iter().map(ToString::to_string).collect()
}

/// A printed form as tab-separated text: `|` separates cells.
fn printed(rows: &[&str]) -> String {
    rows.iter()
        .map(|r| r.replace('|', "\t"))
        .collect::<Vec<_>>()
        .join("\n")
}

const BUDGET_ROWS: [&str; 2] = [
    "预算执行情况（万元）||预算数(A)||执行数(B)|执行率(B/A)|得分",
    "(20分)||部门整体支出总额|100|95|95%|19",
];

fn with_budget(rows: &[&str]) -> String {
    let mut all = BUDGET_ROWS.to_vec();
    all.extend_from_slice(rows);
    printed(&all)
}

const HEADER: &str =
    "年度绩效指标|一级指标|二级指标|三级指标|年初目标值(A)|实际完成值(B)|分值|得分";

#[test]
fn printed_text_with_a_weight_column() {
    let text = with_budget(&[
        "年度目标1：（30分）培训|",
        HEADER,
        "|产出指标|数量指标|培训人次|4000人次|3916人次|20|19.58",
        "|||培训合格率|≥95%|96%|10|10",
        "总分|48.58",
    ]);
    let (form, imported) = ok("t.txt", &text, Format::Text, Weights::Given);
    assert!(imported.warnings.is_empty());
    assert_eq!(form.goals[0].name.text.as_ref(), "培训");
    assert_eq!(form.goals[0].weight.value.to_string(), "30");
    let second = &form.goals[0].indicators[1];
    // Both levels filled down.
    assert_eq!(
        (&*second.level1.text, &*second.level2.text),
        ("产出指标", "数量指标")
    );
    assert_eq!(second.weight.value.to_string(), "10");
    assert_eq!(&*form.budget.planned.raw, "100万元");
    assert_eq!(
        form.budget.reported.map(|n| n.value.to_string()),
        Some("19".into())
    );
    assert_eq!(
        form.reported_total.map(|n| n.value.to_string()),
        Some("48.58".into())
    );
    assert!(
        imported
            .toml
            .contains("# 第 5 行第 3 列（向下填充）\nlevel2 = \"数量指标\"")
    );
}

#[test]
fn budget_numbers_under_their_headers_are_read_by_column() {
    // The rate column is empty: by column, 得分 is still 19 (in order it would be wrong).
    let text = printed(&[
        "预算执行情况|预算数|执行数|执行率|得分",
        "(20分)|100|95||19",
        "年度目标1: (10分)|目标",
        HEADER,
        "|产出指标|数量指标|培训人次|10人|10人|10|10",
    ]);
    let (form, _) = ok("t.txt", &text, Format::Text, Weights::Given);
    assert_eq!(&*form.budget.executed.raw, "95");
    assert_eq!(
        form.budget.reported.map(|n| n.value.to_string()),
        Some("19".into())
    );
}

#[test]
fn a_level_missing_from_every_row_of_a_goal_is_an_error() {
    let text = with_budget(&[
        "年度目标1: (10分)||目标",
        HEADER,
        "|||培训人次|10人|10人|10|10",
    ]);
    let e = err("t.txt", &text, Format::Text, Weights::Given);
    assert_eq!(
        codes(&e),
        ["jixiao::import::empty_cell", "jixiao::import::empty_cell"]
    );
    assert_eq!(
        messages(&e)[0],
        "第 5 行第 2 列：一级指标为空，且本目标中没有可沿用的一级指标"
    );
}

#[test]
fn levels_do_not_carry_into_the_next_goal_but_fill_up_with_a_warning() {
    let text = with_budget(&[
        "年度目标1: (10分)||一",
        HEADER,
        "|效益指标|社会效益指标|甲|提高|提高|10|10",
        "年度目标2: (10分)||二",
        HEADER,
        "||数量指标|乙|5人|5人|5|5",
        "|产出指标|数量指标|丙|5人|5人|5|5",
    ]);
    let (form, imported) = ok("t.txt", &text, Format::Text, Weights::Given);
    assert_eq!(form.goals[1].indicators[0].level1.text.as_ref(), "产出指标");
    assert_eq!(imported.warnings.len(), 1);
    assert_eq!(
        imported.warnings[0]
            .code()
            .map(|c| c.to_string())
            .as_deref(),
        Some("jixiao::import::repaired")
    );
}

#[test]
fn bad_cells_are_collected_and_labelled() {
    let text = with_budget(&[
        "年度目标1: (10分)||目标",
        HEADER,
        "|产出指标|数量指标|甲|1.2.3人|5人|十分|5",
        "|||乙|5人|5人|5|≥5",
        "|||||5人|5人|5",
    ]);
    let e = err("t.txt", &text, Format::Text, Weights::Given);
    assert_eq!(
        messages(&e),
        [
            "第 5 行第 5 列：年初目标值「1.2.3人」无法读取：数字中有多个小数点：「1.2.3」",
            "第 5 行第 7 列：分值应为数字，实际是「十分」",
            "第 6 行第 8 列：自评得分应为数字，实际是「≥5」",
            "第 7 行第 4 列：三级指标为空",
        ]
    );
    // The label is on the bad part of the cell.
    let labels: Vec<_> = e.errors[0].labels().expect("labels").collect();
    let source = text.as_str();
    let span = labels[0].inner();
    assert_eq!(&source[span.offset()..span.offset() + span.len()], "1.2.3");
}

#[test]
fn missing_weights_cells_and_reported_fallback() {
    let text = with_budget(&[
        "年度目标1: (10分)||目标",
        HEADER,
        "|产出指标|数量指标|甲|5人|5人||4",
        "|||乙|5人|5人|6|6",
        "|||丙|5人|5人||",
    ]);
    let e = err("t.txt", &text, Format::Text, Weights::Given);
    assert_eq!(
        messages(&e),
        [
            "第 5 行第 7 列：指标「甲」的分值为空",
            "第 7 行第 7 列：指标「丙」的分值为空"
        ]
    );
    let e = err("t.txt", &text, Format::Text, Weights::Reported);
    assert_eq!(
        messages(&e),
        ["第 7 行第 7 列：指标「丙」既没有分值，也没有自评得分，无法确定权重"]
    );
    let text = text.replace("丙\t5人\t5人\t\t", "丙\t5人\t5人\t\t0");
    let (form, imported) = ok("t.txt", &text, Format::Text, Weights::Reported);
    assert_eq!(form.goals[0].indicators[0].weight.value.to_string(), "4");
    let w: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(w, ["年度目标1有 2 项指标没有分值，按自评得分作为权重"]);
    let help = imported.warnings[0]
        .help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    assert!(help.contains("有 2 项指标"), "{help}");
}

const FLAT_HEAD: &str = "目标,一级指标,二级指标,三级指标,权重,目标值,实际值,自评得分,资金";

fn flat(rows: &[&str]) -> String {
    let mut all = vec![FLAT_HEAD, "预算执行情况,,,,,100万元,100万元,20,"];
    all.extend_from_slice(rows);
    all.join("\n")
}

#[test]
fn flat_goal_labels_english_headers_and_tabs() {
    let text = "goal\tlevel1\tlevel2\tname\tweight\ttarget\tactual\treported\n\
                budget\t\t\t\t\t100\t90\t18\n\
                年度目标2：（15分）扩大就业\t产出指标\t数量指标\t新增就业\t15\t≥500人\t520人\t15\n";
    let (form, _) = ok("t.csv", text, Format::Csv, Weights::Given);
    let g = &form.goals[0];
    assert_eq!(g.name.text.as_ref(), "扩大就业");
    assert_eq!(g.weight.value.to_string(), "15");
    assert_eq!(&*form.budget.executed.raw, "90");
}

#[test]
fn flat_fund_rows_that_disagree_on_the_weight() {
    let text = flat(&[
        "目标一,产出指标,数量指标,人次,10,5人,5人,10,1万元",
        "目标一,产出指标,数量指标,人次,8,5人,5人,,2万元",
    ]);
    let e = err("t.csv", &text, Format::Csv, Weights::Given);
    assert_eq!(codes(&e), ["jixiao::import::conflicting_rows"]);
    assert_eq!(
        messages(&e),
        ["第 4 行第 5 列：权重「8」与 第 3 行第 5 列 的「10」不一致"]
    );
}

#[test]
fn flat_preamble_budget_and_goal_points_column() {
    let text = "单位名称：某局\n预算数,200万元\n执行数,180万元\n预算执行得分,18\n总分,95\n\
                目标,目标分值,一级指标,二级指标,三级指标,分值,目标值,实际值\n\
                甲,30,产出指标,数量指标,人次,20,5人,5人\n\
                ,30,,质量指标,合格率,10,≥90%,95%\n";
    let (form, _) = ok("t.csv", text, Format::Csv, Weights::Given);
    assert_eq!(form.department.as_deref(), Some("某局"));
    assert_eq!(&*form.budget.planned.raw, "200万元");
    assert_eq!(form.goals[0].weight.value.to_string(), "30");
    assert_eq!(form.goals[0].indicators[1].level1.text.as_ref(), "产出指标");
    assert_eq!(
        form.reported_total.map(|n| n.value.to_string()),
        Some("95".into())
    );
}

#[test]
fn flat_without_budget_or_with_an_empty_goal() {
    let text = format!("{FLAT_HEAD}\n甲,产出指标,数量指标,人次,10,5人,5人,10,\n");
    let e = err("t.csv", &text, Format::Csv, Weights::Given);
    assert_eq!(codes(&e), ["jixiao::import::missing_budget"]);
    let text = flat(&[",产出指标,数量指标,人次,10,5人,5人,10,"]);
    let e = err("t.csv", &text, Format::Csv, Weights::Given);
    assert_eq!(messages(&e), ["第 3 行第 1 列：目标为空"]);
    // A new goal does not inherit the previous goal's levels.
    let text = flat(&[
        "甲,产出指标,数量指标,人次,10,5人,5人,10,",
        "乙,,,人数,10,5人,5人,10,",
    ]);
    let e = err("t.csv", &text, Format::Csv, Weights::Given);
    assert_eq!(
        messages(&e),
        [
            "第 4 行第 2 列：一级指标为空",
            "第 4 行第 3 列：二级指标为空"
        ]
    );
}

#[test]
fn flat_header_without_a_goal_column() {
    let text = "一级指标,二级指标,三级指标,目标值,实际值\n产出指标,数量指标,人次,5人,5人\n";
    let e = err("t.csv", text, Format::Csv, Weights::Given);
    assert_eq!(codes(&e), ["jixiao::import::missing_column"]);
    assert_eq!(messages(&e), ["第 1 行：表头缺少「目标」列"]);
}

/// A sheet grid with number cells, as a workbook gives them.
fn sheet(rows: &[&[(&str, Kind)]]) -> Grid {
    let rows = rows
        .iter()
        .enumerate()
        .map(|(r, cells)| {
            cells
                .iter()
                .enumerate()
                .map(|(c, &(text, kind))| Cell {
                    text: text.to_owned(),
                    row: u32::try_from(r + 1).unwrap_or(0),
                    col: u32::try_from(c + 1).unwrap_or(0),
                    span: None,
                    kind,
                    merged: false,
                })
                .collect()
        })
        .collect();
    Grid {
        place: Place::Sheet("自评表".to_owned()),
        source: None,
        encoding: None,
        rows,
        columns: Vec::new(),
    }
}

#[test]
fn percentage_cells_stored_as_numbers() {
    use Kind::{Number as N, Text as T};
    let head: &[(&str, Kind)] = &[
        ("目标", T),
        ("一级指标", T),
        ("二级指标", T),
        ("三级指标", T),
        ("权重", T),
        ("目标值", T),
        ("实际值", T),
    ];
    let grid = sheet(&[
        head,
        &[
            ("预算执行情况", T),
            ("", T),
            ("", T),
            ("", T),
            ("", T),
            ("100", N),
            ("100", N),
        ],
        &[
            ("甲", T),
            ("产出指标", T),
            ("质量指标", T),
            ("合格率", T),
            ("10", N),
            ("≥95%", T),
            ("0.96", N),
        ],
        &[
            ("甲", T),
            ("产出指标", T),
            ("质量指标", T),
            ("完好率", T),
            ("10", N),
            ("0.9", N),
            ("0.93", N),
        ],
    ]);
    let imported = convert(
        "t.xlsx",
        &grid,
        &opts(Weights::Given),
        &crate::Limits::default(),
    )
    .unwrap_or_else(|e| {
        panic!("{e:?}");
    });
    assert!(
        imported.toml.contains("actual = \"96%\""),
        "{}",
        imported.toml
    );
    // Both numbers: left as numbers (their ratio is the same).
    assert!(
        imported.toml.contains("target = \"0.9\""),
        "{}",
        imported.toml
    );
    let w: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        w,
        ["自评表!G3：数字 0.96 按百分比 96% 读取（同一指标的另一个值是百分比）"]
    );
}

#[test]
fn unreadable_sheet_cells_are_errors_only_when_used() {
    use Kind::{Text as T, Unreadable as U};
    let grid = sheet(&[
        &[
            ("年度目标1: (10分)", T),
            ("目标", T),
            ("单元格是 Excel 错误值 #REF!", U),
        ],
        &[
            ("一级指标", T),
            ("二级指标", T),
            ("三级指标", T),
            ("年初目标值", T),
            ("实际完成值", T),
            ("分值", T),
        ],
        &[
            ("产出指标", T),
            ("数量指标", T),
            ("人次", T),
            ("5人", T),
            ("单元格是 Excel 错误值 #DIV/0!", U),
            ("10", T),
        ],
    ]);
    let e = convert(
        "t.xlsx",
        &grid,
        &opts(Weights::Given),
        &crate::Limits::default(),
    )
    .expect_err("bad cell");
    let m: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert_eq!(
        m,
        ["自评表!E3：实际完成值无法读取：单元格是 Excel 错误值 #DIV/0!"]
    );
}

#[test]
fn hostile_input_does_not_panic() {
    let mut seed = 0x2545_f491_u32;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let pieces = [
        "年度目标1: (10分)",
        "年度目标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年初目标值",
        "实际完成值",
        "得分",
        "分值",
        "目标",
        "资金",
        "权重",
        "预算数",
        "执行数",
        "总分",
        "标",
        "满意度 指标",
        "1.2.3",
        "≥",
        "\t",
        "\t",
        ",",
        "\n",
        "\"",
        "5人",
        "",
        "指标",
        "（",
        "(",
    ];
    for _ in 0..400 {
        let mut text = String::new();
        for _ in 0..(next() % 60) {
            let i = usize::try_from(next()).unwrap_or(0) % pieces.len();
            text.push_str(pieces[i]);
        }
        for format in [Format::Text, Format::Csv] {
            for weights in [Weights::Given, Weights::Reported] {
                match import("x", text.as_bytes(), format, &opts(weights)) {
                    // Whatever was produced is TOML the loader can read (or diagnose).
                    Ok(imported) => {
                        let _ = crate::load_form(&crate::Source::new("x", imported.toml));
                    }
                    // Every label lies within the text.
                    Err(e) => {
                        let mut out = String::new();
                        miette::NarratableReportHandler::new()
                            .render_report(&mut out, &e)
                            .unwrap_or_else(|_| panic!("renders: {text:?}"));
                    }
                }
            }
        }
    }
    for bytes in [
        &b""[..],
        b"\xFF",
        b"\xEF\xBB\xBF",
        b"PK\x03\x04",
        b"\"\n\"",
        b"\0\0\0",
    ] {
        for format in [Format::Text, Format::Csv, Format::Workbook] {
            let _ = import("x", bytes, format, &opts(Weights::Given));
        }
    }
}

#[test]
fn goal_labels_and_the_end_of_the_table() {
    let text = with_budget(&[
        "年度目标1|（10分）|培训",
        HEADER,
        "|产出指标|数量指标|年度目标1完成率|100%|100%|5|5",
        "|||偏差率|≤5%|3%|5|5",
        "总分|30",
        "偏差大或目标未完成原因分析|无",
        "|产出指标|数量指标|不读|1人|1人|1|1",
    ]);
    let (form, imported) = ok("t.txt", &text, Format::Text, Weights::Given);
    assert_eq!(form.goals.len(), 1);
    let g = &form.goals[0];
    assert_eq!(
        (&*g.name.text, g.weight.value.to_string()),
        ("培训", "10".to_owned())
    );
    assert!(
        imported.toml.contains("# 第 3 行第 2 列\nweight = 10"),
        "{}",
        imported.toml
    );
    let names: Vec<&str> = g.indicators.iter().map(|i| &*i.name.text).collect();
    assert_eq!(names, ["年度目标1完成率", "偏差率"]);
    assert_eq!(
        form.reported_total.map(|n| n.value.to_string()),
        Some("30".into())
    );

    assert_eq!(
        super::cells::goal_label("年度目标12：（7.5分）完成"),
        Some((
            12,
            Some("7.5".parse().unwrap_or_default()),
            "完成".to_owned()
        ))
    );
    assert_eq!(super::cells::goal_label("年度目标1完成率"), None);
    assert_eq!(super::cells::goal_label("年度目标"), None);
    assert_eq!(
        super::cells::goal_label("年度目标3"),
        Some((3, None, String::new()))
    );
}

#[test]
fn a_project_form_with_one_table_under_its_overall_goal() {
    let text = printed(&[
        "项目支出绩效自评表（2023年度）",
        "预算执行情况（万元）|预算数|执行数|得分",
        "|50|50|10",
        "年度总体目标|完成 3 期培训",
        "一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分",
        "产出指标|数量指标|培训期数|3期|3期|50|50",
        "效益指标|社会效益指标|就业率|≥80%|85%|40|40",
    ]);
    let (form, _) = ok("t.txt", &text, Format::Text, Weights::Given);
    assert_eq!(
        form.title.as_deref(),
        Some("项目支出绩效自评表（2023年度）")
    );
    assert_eq!(form.year, Some(2023));
    assert_eq!(form.goals.len(), 1);
    let g = &form.goals[0];
    assert_eq!(g.name.text.as_ref(), "完成 3 期培训");
    // 50 + 40: the table's weights.
    assert_eq!(g.weight.value.to_string(), "90");
    assert_eq!(
        g.indicators[1].target.as_ref().map(|v| &*v.raw),
        Some("≥80%")
    );

    let e = err(
        "t.txt",
        &printed(&[
            BUDGET_ROWS[0],
            BUDGET_ROWS[1],
            HEADER,
            "|产出指标|数量指标|甲|1人|1人|1|1",
        ]),
        Format::Text,
        Weights::Given,
    );
    assert_eq!(codes(&e), ["jixiao::import::empty_cell"]);
}

#[test]
fn full_width_goal_labels_keep_their_points_and_names() {
    // 年度目标1: (１０分) and 年度目标２：（１０．５分）, as a Chinese input method types them.
    let text = with_budget(&[
        "年度目标1: (１０分)|培训",
        HEADER,
        "|产出指标|数量指标|人次|100人|100人|10|10",
        "年度目标２：（１０．５分）提高满意度",
        HEADER,
        "|满意度指标|服务对象满意度指标|满意度|90%|95%|10.5|10.5",
    ]);
    let (form, _) = ok("t.txt", &text, Format::Text, Weights::Given);
    let goals: Vec<(&str, String)> = form
        .goals
        .iter()
        .map(|g| (&*g.name.text, g.weight.value.to_string()))
        .collect();
    assert_eq!(
        goals,
        [("培训", "10".to_owned()), ("提高满意度", "10.5".to_owned())]
    );
    assert_eq!(
        super::cells::goal_label("年度目标１：（１０分）开展培训"),
        Some((
            1,
            Some(rust_decimal::Decimal::from(10)),
            "开展培训".to_owned()
        ))
    );
    // The flat layout reads its 目标 column through the same label.
    let csv = "目标,一级指标,二级指标,三级指标,权重,目标值,实际值\n\
               预算执行情况,,,,,100万元,90万元\n\
               年度目标1：（１０分）开展培训,产出指标,数量指标,人次,10,100人,90人\n";
    let imported = match import("f.csv", csv.as_bytes(), Format::Csv, &opts(Weights::Given)) {
        Ok(i) => i,
        Err(e) => panic!("{:?}", messages(&e)),
    };
    assert!(
        imported
            .toml
            .contains("name = \"开展培训\"\n# 第 3 行第 1 列\nweight = 10\n"),
        "{}",
        imported.toml
    );
    // Dates and years in full-width digits.
    assert_eq!(
        super::cells::date("２０２２年４月７日").as_deref(),
        Some("2022-04-07")
    );
    assert_eq!(
        super::cells::year_of("２０２１年度部门整体支出绩效自评表"),
        Some(2021)
    );
}

#[test]
fn two_budget_lines_or_two_totals_are_errors_naming_both_rows() {
    let flat = "目标,一级指标,二级指标,三级指标,权重,目标值,实际值,自评得分\n\
                预算执行情况,,,,,100万元,90万元,18\n\
                目标一,产出指标,数量指标,人次,80,5人,5人,80\n\
                预算执行情况,,,,,200万元,10万元,1\n\
                总分,,,,,,,98\n\
                总分,,,,,,,60\n";
    let e = err("f.csv", flat, Format::Csv, Weights::Given);
    assert_eq!(
        codes(&e),
        [
            "jixiao::import::duplicate_row",
            "jixiao::import::duplicate_row"
        ]
    );
    assert_eq!(
        messages(&e),
        [
            "第 4 行：预算执行情况出现了两次：第 2 行 和 第 4 行，不知该用哪一行",
            "第 6 行：总分出现了两次：第 5 行 和 第 6 行，不知该用哪一行",
        ]
    );
    // A budget above the header and a 预算执行情况 row: two budgets too.
    let preamble = "预算数,100万元\n执行数,90万元\n\
                    目标,一级指标,二级指标,三级指标,权重,目标值,实际值\n\
                    预算执行情况,,,,,100万元,90万元\n";
    let e = err("p.csv", preamble, Format::Csv, Weights::Given);
    assert_eq!(
        messages(&e),
        ["第 4 行：预算执行情况出现了两次：第 1 行 和 第 4 行，不知该用哪一行"]
    );

    // The printed form: a second budget block, and a second 总分 below the first.
    let mut rows = BUDGET_ROWS.to_vec();
    rows.extend_from_slice(&BUDGET_ROWS);
    rows.extend_from_slice(&[
        "年度目标1|（10分）|培训",
        HEADER,
        "|产出指标|数量指标|人次|100人|100人|10|10",
        "总分|30",
        "总分|95",
    ]);
    let e = err("t.txt", &printed(&rows), Format::Text, Weights::Given);
    assert_eq!(
        messages(&e),
        [
            "第 4 行：预算执行情况出现了两次：第 2 行 和 第 4 行，不知该用哪一行",
            "第 9 行：总分出现了两次：第 8 行 和 第 9 行，不知该用哪一行",
        ]
    );
}

#[test]
fn a_weights_key_is_the_word_the_command_line_takes() {
    for w in Weights::ALL {
        assert_eq!(Weights::from_key(w.key()), Some(w));
        #[cfg(feature = "cli")]
        {
            use clap::ValueEnum;
            let value = w.to_possible_value().expect("listed");
            assert_eq!(value.get_name(), w.key());
        }
    }
    assert_eq!(
        Weights::ALL.map(Weights::key),
        ["given", "reported"],
        "every way, in --weights' order"
    );
    #[cfg(feature = "cli")]
    {
        use clap::ValueEnum;
        assert_eq!(Weights::value_variants(), Weights::ALL);
    }
    assert_eq!(Weights::from_key("Reported"), None);
}
