//! `jixiao import` and scoring straight from a workbook, CSV file or extracted text: each
//! input layout converted and compared value by value with a form written by hand, scored
//! against figures worked out by hand, and its diagnostics snapshotted.

use jixiao::Form;
use jixiao::import::{Format, Imported, Options, Weights, import};

use crate::support::{
    Scratch, codes, jixiao, render, repo_bytes, repo_file, repo_path as path, text,
};

const FIXTURES: &str = "tests/fixtures/import";
const SEED_TEXT: &str = "tests/fixtures/import/tongcheng-2021-form.txt";
const SEED_XLSX: &str = "tests/fixtures/import/tongcheng-2021.xlsx";
const FLAT_CSV: &str = "tests/fixtures/import/wenlv-2023-flat.csv";

fn options(weights: Weights) -> Options {
    Options {
        weights,
        sheet: None,
    }
}

fn convert(name: &str, bytes: &[u8], format: Format, weights: Weights) -> Imported {
    import(name, bytes, format, &options(weights)).unwrap_or_else(|e| panic!("{}", render(&e)))
}

pub(crate) fn load(name: &str, toml: &str) -> Form {
    jixiao::load_form(&jixiao::Source::new(name, toml))
        .unwrap_or_else(|e| panic!("{}\n{toml}", render(&e)))
}

pub(crate) fn example() -> Form {
    load(
        "tongcheng-2021.toml",
        &repo_file("examples/tongcheng-2021.toml"),
    )
}

/// Every value of a form as `(where, value)`, in form order: header, budget, each goal's
/// name and weight, each indicator's levels, name, target, actual, weight and reported.
fn values(form: &Form) -> Vec<(String, String)> {
    let num = |n: &jixiao::form::Num| n.value.normalize().to_string();
    let mut out = vec![
        ("title".to_owned(), format!("{:?}", form.title)),
        ("department".to_owned(), format!("{:?}", form.department)),
        ("year".to_owned(), format!("{:?}", form.year)),
        ("filled_on".to_owned(), format!("{:?}", form.filled_on)),
        (
            "reported_total".to_owned(),
            format!("{:?}", form.reported_total.as_ref().map(num)),
        ),
        (
            "budget.planned".to_owned(),
            form.budget.planned.raw.to_string(),
        ),
        (
            "budget.executed".to_owned(),
            form.budget.executed.raw.to_string(),
        ),
        (
            "budget.basic".to_owned(),
            format!("{:?}", form.budget.basic.as_ref().map(num)),
        ),
        (
            "budget.project".to_owned(),
            format!("{:?}", form.budget.project.as_ref().map(num)),
        ),
        (
            "budget.reported".to_owned(),
            format!("{:?}", form.budget.reported.as_ref().map(num)),
        ),
    ];
    for (g, goal) in form.goals.iter().enumerate() {
        let g = g + 1;
        out.push((format!("{g}.name"), goal.name.text.to_string()));
        out.push((format!("{g}.weight"), num(&goal.weight)));
        out.push((format!("{g}.count"), goal.indicators.len().to_string()));
        for (i, ind) in goal.indicators.iter().enumerate() {
            let at = format!("{g}.{}.{}", i + 1, ind.name.text);
            let raw = |v: &Option<jixiao::form::Value>| format!("{:?}", v.as_ref().map(|v| &v.raw));
            out.push((format!("{at}.level1"), ind.level1.text.to_string()));
            out.push((format!("{at}.level2"), ind.level2.text.to_string()));
            out.push((format!("{at}.target"), raw(&ind.target)));
            out.push((format!("{at}.actual"), raw(&ind.actual)));
            out.push((format!("{at}.weight"), num(&ind.weight)));
            out.push((
                format!("{at}.reported"),
                format!("{:?}", ind.reported.as_ref().map(num)),
            ));
        }
    }
    out
}

/// The values that differ, as `where: expected → got`.
pub(crate) fn differences(expected: &Form, got: &Form) -> Vec<String> {
    let (a, b) = (values(expected), values(got));
    let mut out: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|((k, x), (_, y))| format!("{k}: {x} → {y}"))
        .collect();
    if a.len() != b.len() {
        out.push(format!("{} values → {}", a.len(), b.len()));
    }
    out
}

pub(crate) fn goal_scores(v: &serde_json::Value) -> Vec<String> {
    v["goals"]
        .as_array()
        .expect("goals")
        .iter()
        .map(|g| g["score"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The seed form converted from `name` (a workbook, a Word document, a PDF with its
/// weights): exactly the example's values, no warning, and each of `comments` (a value
/// with the comment naming its cell) in the TOML.
pub(crate) fn is_the_example(name: &str, imported: &jixiao::import::Imported, comments: &[&str]) {
    let form = load(&format!("{name}（已转换）"), &imported.toml);
    assert_eq!(differences(&example(), &form), Vec::<String>::new());
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    for expected in comments {
        assert!(
            imported.toml.contains(expected),
            "missing {expected:?} in\n{}",
            imported.toml
        );
    }
}

/// `jixiao score FILE --format json` of the seed form in another format: the example's
/// figures (examples.rs), 9.96, 9.60, 14.00, 13.28, 9.69, 10, 10 + 20 = 96.53.
pub(crate) fn scores_as_the_example(file: &str) -> serde_json::Value {
    let v = jixiao(&["score", file, "--format", "json"])
        .status(0)
        .json();
    assert_eq!(
        goal_scores(&v),
        ["9.96", "9.60", "14.00", "13.28", "9.69", "10.00", "10.00"]
    );
    assert_eq!(v["total"], "96.53");
    v
}

// ---------------------------------------------------------------------------------------
// 1. The seed form's extracted text.

/// The indicators whose weights differ from the example's. The example weights the six
/// indicators that fell short of their targets 2 (see its header comment); the form's 得分
/// column, taken as weights, says 1 for five of them. The sixth,
/// 2021年劳动仲裁裁决结案案件数 (18 of 40 cases), was reported 2: the same as its weight
/// in the example, so it does not differ.
const FELL_SHORT: [&str; 5] = [
    "1.1.职业技能培训人次.weight: 2 → 1",
    "2.2.城乡居民参保人数.weight: 2 → 1",
    "4.1.专业技术职称评审人数.weight: 2 → 1",
    "4.2.工伤病残等级鉴定例数.weight: 2 → 1",
    "5.1.2021年新增保存人事关系及档案份数.weight: 2 → 1",
];

#[test]
fn seed_text_reproduces_the_example_with_reported_weights() {
    let imported = convert(
        "tongcheng-2021-form.txt",
        &repo_bytes(SEED_TEXT),
        Format::Text,
        Weights::Reported,
    );
    let form = load("tongcheng-2021-form.txt（已转换）", &imported.toml);
    assert_eq!(differences(&example(), &form), FELL_SHORT);
    let arbitration = &form.goals[3].indicators[4];
    assert_eq!(
        arbitration.name.text.as_ref(),
        "2021年劳动仲裁裁决结案案件数"
    );
    assert_eq!(arbitration.weight.value.to_string(), "2");

    // Spot checks of real cells, independent of the comparison above.
    let g7 = &form.goals[6].indicators[0];
    assert_eq!(
        (&*g7.level1.text, &*g7.name.text),
        ("产出指标", "企业养老保险基金历年债务化解")
    );
    let ic = &form.goals[1].indicators[4];
    assert_eq!(
        (&*ic.level1.text, &*ic.level2.text),
        ("效益指标", "可持续性影响指标")
    );
    assert_eq!(&*form.budget.planned.raw, "12174.8万元");
    assert_eq!(form.filled_on.as_deref(), Some("2022-04-07"));

    // Warnings: one per goal for the weights, and the two repaired cells.
    let shown: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    let mut expected: Vec<String> = vec![
        "第 31 行第 2 列：一级指标「标」是上方「效益指标」跨页断开后的残片，按「效益指标」读取"
            .to_owned(),
        "第 73 行第 2 列：本目标开头的行没有一级指标，按下方 第 75 行第 2 列 的「产出指标」读取"
            .to_owned(),
    ];
    expected.extend((1..=7).map(|n| format!("年度目标{n}的指标没有分值，按自评得分作为权重")));
    assert_eq!(shown, expected);
}

#[test]
fn seed_text_comments_name_each_cell() {
    let imported = convert(
        "tongcheng-2021-form.txt",
        &repo_bytes(SEED_TEXT),
        Format::Text,
        Weights::Reported,
    );
    let toml = &imported.toml;
    for expected in [
        "# 第 17 行第 5 列\ntarget = \"4000人次\"\n",
        "# 第 17 行第 7 列（自评得分，按 --weights reported 作为权重）\nweight = 1\n",
        "# 第 14 行第 4 列（单位「万元」取自表头「预算执行情况 (万元)」）\nplanned = \"12174.8万元\"\n",
        "# 第 21 行第 3 列（原文「可持续性影响 指标」，去掉空格）\nlevel2 = \"可持续性影响指标\"\n",
        // Row 19 has an empty cell before its target: the values are in columns 6 to 8.
        "# 第 19 行第 6 列\ntarget = \"明显提高\"\n",
        "# 第 84 行第 2 列\nreported_total = 94\n",
    ] {
        assert!(toml.contains(expected), "missing {expected:?} in\n{toml}");
    }
}

#[test]
fn seed_text_scores_by_hand_with_reported_weights() {
    let out = jixiao(&[
        "score",
        SEED_TEXT,
        "--weights",
        "reported",
        "--format",
        "json",
    ]);
    let v = out.status(0).json();
    // With the reported scores as weights, the five indicators that fell short and were
    // reported 1 weigh 1 (the example gives them 2):
    // Goal 1: 1×3916/4000 = 0.979 → 0.98; + 2 + 1 + 1 + 1 + 1 + 2          =  8.98
    // Goal 2: 2 (49.1/48.8 capped) + 1×211484/265000 = 0.79805… → 0.80
    //         + 1 + 1 + 1 + 1 + 2                                            =  8.80
    // Goal 3: unchanged, every target met                                   = 14.00
    // Goal 4: 1×687/750 = 0.916 → 0.92; 1×232/300 = 0.7733… → 0.77; 2; 2;
    //         2×18/40 = 0.90 (reported 2, so weight 2); 2; 1; 1; 1
    //         0.92 + 0.77 + 2 + 2 + 0.90 + 2 + 1 + 1 + 1                    = 11.59
    // Goal 5: 1×337/400 = 0.8425 → 0.84; + 2 + 1 + 1 + 2 + 2                =  8.84
    // Goals 6 and 7: unchanged                                              = 10.00 each
    assert_eq!(
        goal_scores(&v),
        ["8.98", "8.80", "14.00", "11.59", "8.84", "10.00", "10.00"]
    );
    // 20 + 8.98 + 8.80 + 14 + 11.59 + 8.84 + 10 + 10 = 92.21
    assert_eq!(v["total"], "92.21");
    assert_eq!(v["grade"], "优");
    assert_eq!(v["goals"][0]["indicators"][0]["score"], "0.98");
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr
            .matches("jixiao::import::weights_from_reported")
            .count(),
        7,
        "{stderr}"
    );
    assert!(
        stderr.contains("⚠ 年度目标1的指标没有分值，按自评得分作为权重"),
        "{stderr}"
    );
}

#[test]
fn seed_text_without_weights_is_an_error_naming_the_first_indicator() {
    let err = import(
        "tongcheng-2021-form.txt",
        &repo_bytes(SEED_TEXT),
        Format::Text,
        &options(Weights::Given),
    )
    .expect_err("no weights");
    // One error, not one per indicator: the form has no weight column at all.
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::missing_weight"]
    );
    insta::assert_snapshot!(render(&err));

    let out = jixiao(&["score", SEED_TEXT]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("jixiao::import::missing_weight"),
        "{stderr}"
    );
    assert!(stderr.contains("可加 --weights"), "{stderr}");
}

// ---------------------------------------------------------------------------------------
// 2. The seed form as a workbook laid out like the printed form, with a 分值 column.

/// The example form written as a worksheet laid out like the printed form: header rows,
/// the budget block, each goal's `年度目标N: (P分)` row and indicator table with a 分值
/// column (the example's weights) before 得分, 一级指标 merged over each block, and 总分.
fn tongcheng_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format as Style, Workbook};

    let form = example();
    let n = |d: rust_decimal::Decimal| -> f64 { d.to_string().parse().expect("a number") };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1").expect("name");
    let plain = Style::new();
    let date = Style::new().set_num_format("yyyy-mm-dd");
    for (col, width) in [
        (0, 18.0),
        (1, 12.0),
        (2, 18.0),
        (3, 40.0),
        (4, 14.0),
        (5, 14.0),
    ] {
        sheet.set_column_width(col, width).expect("width");
    }
    let title = form.title.clone().expect("title");
    sheet
        .merge_range(0, 0, 0, 7, &title, &plain)
        .expect("merge");
    sheet.write_string(1, 0, "单位名称").expect("write");
    let dept = form.department.clone().expect("department");
    sheet.merge_range(1, 1, 1, 7, &dept, &plain).expect("merge");
    sheet.write_string(2, 0, "填报日期").expect("write");
    let day = ExcelDateTime::from_ymd(2022, 4, 7).expect("date");
    sheet
        .write_datetime_with_format(2, 1, &day, &date)
        .expect("write");
    sheet.write_string(3, 0, "基本支出总额").expect("write");
    let basic = form.budget.basic.expect("basic").value;
    sheet.write_number(3, 1, n(basic)).expect("write");
    sheet.write_string(3, 2, "项目支出总额").expect("write");
    let project = form.budget.project.expect("project").value;
    sheet.write_number(3, 3, n(project)).expect("write");
    for (col, head) in [
        (0, "预算执行情况（万元）"),
        (2, "预算数(A)"),
        (3, "执行数(B)"),
        (4, "执行率(B/A)"),
        (5, "得分(20分*执行率)"),
    ] {
        sheet.write_string(4, col, head).expect("write");
    }
    let amount = |v: &jixiao::form::Value| {
        let q = v.quantity().expect("an amount");
        n(q.number / rust_decimal::Decimal::from(10_000))
    };
    sheet.write_string(5, 0, "(20分)").expect("write");
    sheet.write_string(5, 1, "部门整体支出总额").expect("write");
    sheet
        .write_number(5, 2, amount(&form.budget.planned))
        .expect("write");
    sheet
        .write_number(5, 3, amount(&form.budget.executed))
        .expect("write");
    sheet.write_number(5, 4, 100).expect("write");
    let reported = form.budget.reported.expect("budget score").value;
    sheet.write_number(5, 5, n(reported)).expect("write");

    let mut row = 6u32;
    for (g, goal) in form.goals.iter().enumerate() {
        let label = format!("年度目标{}: ({}分)", g + 1, goal.weight.value);
        sheet.write_string(row, 0, &label).expect("write");
        sheet
            .merge_range(row, 2, row, 7, &goal.name.text, &plain)
            .expect("merge");
        row += 1;
        for (col, head) in [
            "年度绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年初目标值(A)",
            "实际完成值(B)",
            "分值",
            "得分",
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_string(row, col as u16, head).expect("write");
        }
        row += 1;
        let first = row;
        for ind in &goal.indicators {
            sheet
                .write_string(row, 2, &*ind.level2.text)
                .expect("write");
            sheet.write_string(row, 3, &*ind.name.text).expect("write");
            for (col, v) in [(4, &ind.target), (5, &ind.actual)] {
                let v = v.as_ref().expect("a value");
                sheet.write_string(row, col, &*v.raw).expect("write");
            }
            sheet
                .write_number(row, 6, n(ind.weight.value))
                .expect("write");
            let reported = ind.reported.expect("reported").value;
            sheet.write_number(row, 7, n(reported)).expect("write");
            row += 1;
        }
        // 一级指标 written once per block, merged over the block's rows.
        let mut start = first;
        for (i, ind) in goal.indicators.iter().enumerate() {
            let r = first + u32::try_from(i).expect("rows");
            let last = goal
                .indicators
                .get(i + 1)
                .is_none_or(|next| next.level1.text != ind.level1.text);
            if last {
                if r > start {
                    sheet
                        .merge_range(start, 1, r, 1, &ind.level1.text, &plain)
                        .expect("merge");
                } else {
                    sheet.write_string(r, 1, &*ind.level1.text).expect("write");
                }
                start = r + 1;
            }
        }
    }
    sheet.write_string(row, 0, "总分").expect("write");
    let total = form.reported_total.expect("total").value;
    sheet.write_number(row, 1, n(total)).expect("write");
    book.save_to_buffer().expect("saved")
}

/// Writes the checked-in workbook from the helper above.
#[test]
#[ignore = "writes tests/fixtures/import/tongcheng-2021.xlsx; run with --ignored to regenerate it"]
fn regenerate_xlsx_fixture() {
    std::fs::write(path(SEED_XLSX), tongcheng_workbook()).expect("written");
}

/// Every sheet's cells and merged ranges, as calamine reads them.
fn workbook_cells(bytes: Vec<u8>) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        for (row, col, data) in range.used_cells() {
            out.push(format!("{name}!{row},{col} = {data:?}"));
        }
        let mut merges: Vec<String> = book
            .worksheet_merge_cells(&name)
            .expect("merges")
            .expect("merges read")
            .iter()
            .map(|d| format!("{name} merged {:?}-{:?}", d.start, d.end))
            .collect();
        merges.sort();
        out.extend(merges);
    }
    out
}

#[test]
fn xlsx_fixture_is_what_the_helper_writes() {
    let checked_in = workbook_cells(repo_bytes(SEED_XLSX));
    let built = workbook_cells(tongcheng_workbook());
    assert_eq!(
        checked_in, built,
        "regenerate with: cargo test regenerate_xlsx_fixture -- --ignored"
    );
    // A few cells as a person would check them: the first 一级指标 merged over two rows.
    assert!(
        checked_in
            .iter()
            .any(|c| c == "Sheet1 merged (8, 1)-(9, 1)"),
        "{checked_in:?}"
    );
    assert!(
        checked_in
            .iter()
            .any(|c| c == "Sheet1!8,3 = String(\"职业技能培训人次\")")
    );
}

#[test]
fn xlsx_imports_to_exactly_the_example() {
    let imported = convert(
        "tongcheng-2021.xlsx",
        &repo_bytes(SEED_XLSX),
        Format::Workbook,
        Weights::Given,
    );
    // Comments name the cells, merged ones by the range's top-left cell.
    is_the_example(
        "tongcheng-2021.xlsx",
        &imported,
        &[
            "# Sheet1!G9\nweight = 2\n",
            "# Sheet1!E9\ntarget = \"4000人次\"\n",
            "# Sheet1!B9（合并单元格）\nlevel1 = \"产出指标\"\n",
            "# Sheet1!B3\nfilled_on = 2022-04-07\n",
            "# Sheet1!C6（单位「万元」取自表头「预算执行情况（万元）」）\nplanned = \"12174.8万元\"\n",
            "# Sheet1!B4\nbasic = 1025.68\n",
        ],
    );
}

#[test]
fn score_xlsx_end_to_end() {
    let v = scores_as_the_example(SEED_XLSX);
    assert_eq!(v["grade"], "优");

    let out = jixiao(&["score", SEED_XLSX]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout_has("96.53");
}

// ---------------------------------------------------------------------------------------
// 3. A flat CSV, in UTF-8 and in GBK, with fund rows.

/// The flat CSV's figures, worked out by hand:
/// - 送戏下乡演出场次 10×108/120                                      = 9.00
/// - 文化惠民活动参与人次, two funds, numbers summed: A = 6000 + 4000 = 10000,
///   B = 5400 + 4300 = 9700; 10×9700/10000                            = 9.70
/// - 演出场馆设施完好率, two funds (300, 100万元), percentages averaged by fund:
///   A = 95%, B = (300×90% + 100×98%)/400 = 92%; 10×92/95 = 9.684… → 9.68
/// - 群众文化生活丰富程度 明显提高 = 明显提高: 达成, 100%              = 10.00
/// - 观众满意度 10×93/90, capped at 10                                = 10.00
///   goal 1 (points: the sum of its weights, 50)                      = 48.38
/// - 文物保护修缮项目数 15×4/5                                         = 12.00
/// - 修缮项目平均完工时间 ≤90天 against 100天: 10×90/100               = 9.00
/// - 文物保护长效机制 建立 = 建立                                      = 5.00
///   goal 2 (points 30)                                               = 26.00
/// - budget 20×760/800                                                = 19.00
///   total 48.38 + 26.00 + 19.00                                      = 93.38, 优
fn check_flat(form: &Form) {
    assert_eq!(form.department.as_deref(), Some("某县文化和旅游局"));
    assert_eq!(form.year, Some(2023));
    assert_eq!(form.filled_on.as_deref(), Some("2024-03-15"));
    assert_eq!(&*form.budget.planned.raw, "800万元");
    assert_eq!(form.goals.len(), 2);
    assert_eq!(form.goals[0].weight.value.to_string(), "50");
    assert_eq!(form.goals[1].weight.value.to_string(), "30");
    let people = &form.goals[0].indicators[1];
    assert_eq!(people.name.text.as_ref(), "文化惠民活动参与人次");
    let entries: Vec<(&str, &str, &str)> = people
        .entries
        .iter()
        .map(|e| {
            (
                &*e.fund.raw,
                e.target.as_ref().map_or("", |v| &*v.raw),
                e.actual.as_ref().map_or("", |v| &*v.raw),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("300万元", "6000人次", "5400人次"),
            ("100万元", "4000人次", "4300人次")
        ]
    );
    assert_eq!(people.weight.value.to_string(), "10");
    assert_eq!(people.level1.text.as_ref(), "产出指标");
    let rate = &form.goals[0].indicators[2];
    assert_eq!(rate.entries.len(), 2);
    assert_eq!(rate.level2.text.as_ref(), "质量指标");
    assert_eq!(
        form.goals[1].indicators[1].target.as_ref().map(|v| &*v.raw),
        Some("≤90天")
    );
    let rules = crate::support::hubei();
    let outcome = jixiao::evaluate(&rules, form).expect("scored");
    let scores: Vec<String> = outcome.goals.iter().map(|g| g.score.to_string()).collect();
    assert_eq!(scores, ["48.38", "26.00"]);
    assert_eq!(
        outcome.goals[0].indicators[2]
            .score
            .map(|s| s.to_string())
            .as_deref(),
        Some("9.68")
    );
    assert_eq!(outcome.budget.score.to_string(), "19.00");
    assert_eq!(outcome.total.to_string(), "93.38");
    assert_eq!(outcome.grade.as_deref(), Some("优"));
}

#[test]
fn flat_csv_in_utf8_with_fund_rows() {
    let bytes = repo_bytes(FLAT_CSV);
    let imported = convert("wenlv-2023-flat.csv", &bytes, Format::Csv, Weights::Given);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    check_flat(&load("flat.csv（已转换）", &imported.toml));
    // With a byte-order mark, as Excel's "CSV UTF-8" writes it: the same form.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&bytes);
    let with_bom = convert("bom.csv", &bom, Format::Csv, Weights::Given);
    assert_eq!(
        with_bom.toml.replace("bom.csv", "wenlv-2023-flat.csv"),
        imported.toml
    );
}

#[test]
fn flat_csv_in_gbk_with_fund_rows() {
    let utf8 = String::from_utf8(repo_bytes(FLAT_CSV)).expect("UTF-8");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&utf8);
    assert!(!unmappable, "every character of the fixture exists in GBK");
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let imported = convert("wenlv-gbk.csv", &gbk, Format::Csv, Weights::Given);
    check_flat(&load("wenlv-gbk.csv（已转换）", &imported.toml));

    // And through the command line, from a file.
    let dir = Scratch::new("gbk");
    let file = dir.write("文旅-gbk.csv", &*gbk);
    let v = jixiao(&["score", &file, "--format", "json"])
        .status(0)
        .json();
    assert_eq!(v["total"], "93.38");
}

#[test]
fn score_csv_end_to_end() {
    let out = jixiao(&["score", FLAT_CSV, "--format", "json"]);
    let v = out.status(0).json();
    assert_eq!(goal_scores(&v), ["48.38", "26.00"]);
    assert_eq!(v["total"], "93.38");
    assert_eq!(v["grade"], "优");
    assert_eq!(v["reported_total"], "94");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn import_writes_the_toml_file() {
    let dir = Scratch::new("out");
    let out_file = dir.arg("wenlv.toml");
    let out = jixiao(&["import", FLAT_CSV, "-o", &out_file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    out.stderr_has("2 个年度目标，8 项指标");
    let written = std::fs::read_to_string(&out_file).expect("written");
    check_flat(&load("wenlv.toml", &written));
    // No temporary file is left behind.
    assert_eq!(dir.listing(), ["wenlv.toml"]);

    // Without -o the TOML goes to stdout, and scores like the file.
    let out = jixiao(&["import", FLAT_CSV]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), written);
}

// ---------------------------------------------------------------------------------------
// 4. Diagnostics.

/// A flat sheet whose F12 holds `12.3.4人次` and whose E5 holds `两分`.
fn bad_workbook() -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    crate::support::flat_head(sheet, &["自评得分"]);
    for r in 2..12u32 {
        sheet.write_string(r, 0, "开展职业技能培训").expect("write");
        sheet.write_string(r, 1, "产出指标").expect("write");
        sheet.write_string(r, 2, "数量指标").expect("write");
        sheet
            .write_string(r, 3, format!("培训项目{}", r - 1))
            .expect("write");
        sheet.write_number(r, 4, 8).expect("write");
        sheet.write_string(r, 5, "100人次").expect("write");
        sheet.write_number(r, 6, 95).expect("write");
    }
    sheet.write_string(4, 4, "两分").expect("write");
    sheet.write_string(11, 5, "12.3.4人次").expect("write");
    book.save_to_buffer().expect("saved")
}

#[test]
fn unreadable_cells_in_a_workbook_are_named_like_excel_names_them() {
    let err = import(
        "bad.xlsx",
        &bad_workbook(),
        Format::Workbook,
        &options(Weights::Given),
    )
    .expect_err("bad cells");
    assert_eq!(
        codes(&err),
        [
            "jixiao::import::invalid",
            "jixiao::import::bad_cell",
            "jixiao::import::bad_cell"
        ]
    );
    let shown = render(&err);
    assert!(
        shown.contains("Sheet1!F12：目标值「12.3.4人次」无法读取"),
        "{shown}"
    );
    assert!(
        shown.contains("Sheet1!E5：分值应为数字，实际是「两分」"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn unreadable_cell_in_a_csv_is_labelled_in_the_file() {
    let csv = "目标,一级指标,二级指标,三级指标,权重,目标值,实际值\n\
               预算执行情况,,,,,100万元,90万元\n\
               开展职业技能培训,产出指标,数量指标,职业技能培训人次,10,4000人次,3.9.16千人次\n";
    let err = import(
        "培训.csv",
        csv.as_bytes(),
        Format::Csv,
        &options(Weights::Given),
    )
    .expect_err("bad cell");
    let shown = render(&err);
    assert!(
        shown.contains("第 3 行第 7 列：实际值「3.9.16千人次」无法读取"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn csv_missing_a_required_column() {
    let csv = "目标,一级指标,二级指标,三级指标,权重,目标值,自评得分\n\
               开展职业技能培训,产出指标,数量指标,职业技能培训人次,10,4000人次,9\n";
    let err = import(
        "缺列.csv",
        csv.as_bytes(),
        Format::Csv,
        &options(Weights::Given),
    )
    .expect_err("missing column");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::missing_column"]
    );
    insta::assert_snapshot!(render(&err));
}

#[test]
fn undecodable_encoding() {
    // Latin-1 text with a lone 0xFF: neither UTF-8 nor GB18030.
    let bytes = b"\xC9tat,caf\xE9\n\xFF\xFF\n";
    let err = import("export.csv", bytes, Format::Csv, &options(Weights::Given))
        .expect_err("undecodable");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::encoding"]
    );
    insta::assert_snapshot!(render(&err));

    let dir = Scratch::new("enc");
    let file = dir.write("export.csv", bytes);
    let out = jixiao(&["import", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    out.stderr_has("jixiao::import::encoding");
}

#[test]
fn a_form_error_in_the_converted_toml_shows_the_cell() {
    // 100人 against 100件: the form loader's unit mismatch points into the generated
    // TOML, whose comment above the value names the CSV cell.
    let csv = "目标,一级指标,二级指标,三级指标,权重,目标值,实际值\n\
               预算执行情况,,,,,100万元,90万元\n\
               开展职业技能培训,产出指标,数量指标,培训人数,10,100人,100件\n";
    let dir = Scratch::new("unit");
    let file = dir.write("units.csv", csv);
    let out = jixiao(&["score", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("jixiao::form::unit_mismatch"), "{stderr}");
    assert!(stderr.contains("units.csv（已转换）"), "{stderr}");
    assert!(stderr.contains("# 第 3 行第 7 列"), "{stderr}");
}

#[test]
fn unknown_sheet_and_unrecognised_layout() {
    let err = import(
        "tongcheng-2021.xlsx",
        &repo_bytes(SEED_XLSX),
        Format::Workbook,
        &Options {
            weights: Weights::Given,
            sheet: Some("Sheet2".to_owned()),
        },
    )
    .expect_err("no such sheet");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::no_sheet"]
    );
    assert!(
        render(&err).contains("您是否想写 --sheet Sheet1？"),
        "{}",
        render(&err)
    );

    let err = import(
        "notes.txt",
        "会议纪要\n第一条\t同意".as_bytes(),
        Format::Text,
        &options(Weights::Given),
    )
    .expect_err("not a form");
    assert_eq!(
        codes(&err),
        ["jixiao::import::invalid", "jixiao::import::layout"]
    );
}

#[test]
fn fixtures_are_present() {
    for f in [SEED_TEXT, SEED_XLSX, FLAT_CSV] {
        assert!(path(f).is_file(), "{f}");
    }
    assert!(path(FIXTURES).is_dir());
}

/// A flat CSV whose preamble states two facts and the rules it is scored under, with a
/// 加分项 and a 扣分项 row.
const FACTS_CSV: &str = "单位名称,测试单位\n年度,2022\n单位类型,事业单位\n级次,2\n计分规则,facts\n\
    目标,一级指标,二级指标,三级指标,权重,目标值,实际值,自评得分\n\
    预算执行情况,,,,,100万元,95万元,19\n\
    目标一,产出指标,数量指标,甲,50,3个,3个,50\n\
    目标一,产出指标,数量指标,乙,40,8个,7个,35\n\
    加分项,,,创新加分,,,3,3\n\
    扣分项,,,审计发现问题,,,2项,\n";

#[test]
fn a_flat_csv_gives_facts_and_bonus_and_deduction_items() {
    let imported = convert(
        "facts.csv",
        FACTS_CSV.as_bytes(),
        Format::Csv,
        Weights::Given,
    );
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    // Each value names its cell on the line above.
    assert!(
        imported.toml.contains(
            "# 第 3 行第 2 列\n\"单位类型\" = \"事业单位\"\n# 第 4 行第 2 列\n\"级次\" = 2\n"
        ),
        "{}",
        imported.toml
    );
    assert!(
        imported.toml.contains(
            "[[bonus]]\n# 第 10 行第 4 列\nname = \"创新加分\"\n# 第 10 行第 7 列\nvalue = \"3\"\n# 第 10 行第 8 列\nreported = 3\n"
        ),
        "{}",
        imported.toml
    );
    // 计分规则 is the form's `rules`, among `[form]`'s own keys, not a fact.
    assert!(
        imported
            .toml
            .contains("# 第 5 行第 2 列\nrules = \"facts\"\n# 第 3 行第 2 列\n\"单位类型\""),
        "{}",
        imported.toml
    );
    let form = load("facts.csv（已转换）", &imported.toml);
    assert_eq!(form.rules.as_ref().map(|r| &*r.text), Some("facts"));
    let facts: Vec<(&str, String)> = form
        .facts
        .iter()
        .map(|f| (&*f.name.text, format!("{:?}", f.value)))
        .collect();
    assert_eq!(
        facts,
        [
            ("单位类型", "Text(\"事业单位\")".to_owned()),
            ("级次", "Number(2)".to_owned())
        ]
    );
    assert_eq!(form.adjustments.len(), 2);
    assert_eq!(&*form.adjustments[1].name.text, "审计发现问题");
    // Scored by rules that read them (facts.rules has a bonus item, no deduction): 事业单位
    // of 2022 at nine tenths, 50 × 0.9 = 45.00 and 40 × 7 / 8 × 0.9 = 31.50; goal 76.50,
    // under the cap 90 − 2; budget 19.00; bonus 3: total 98.50.
    let rules = jixiao::compile_with(
        &crate::support::repo_source("tests/fixtures/rule-tests/facts.rules"),
        &jixiao::check::Bundled,
        &[],
    )
    .expect("checks");
    let o = jixiao::evaluate(&rules, &form).expect("scores");
    assert_eq!(o.goals[0].score, crate::support::d("76.50"));
    assert_eq!(o.total, crate::support::d("98.50"));
    assert!(
        o.warnings
            .iter()
            .any(|w| w.code.as_str() == "jixiao::eval::adjustment_ignored")
    );
    // Scored under the rules it names: no other_rules warning.
    assert!(
        !o.warnings
            .iter()
            .any(|w| w.code.as_str() == "jixiao::eval::other_rules")
    );
    // Through the command line, which counts what it wrote.
    let dir = Scratch::new("facts-csv");
    let input = dir.write("facts.csv", FACTS_CSV);
    let output = dir.path("facts.toml");
    let out = jixiao(&["import", &input, "-o", &output.to_string_lossy()]);
    out.status(0);
    assert!(
        text(&out.stderr)
            .ends_with("：1 个年度目标，2 项指标，1 项加分项，1 项扣分项，2 项表单信息\n"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_preamble_heading_of_the_form_is_not_taken_for_a_fact() {
    // `目标值` is a column heading, `reported_score`'s key belongs in [budget]: neither is a
    // fact (the form would refuse them); `填表人` is one.
    let csv = FACTS_CSV.replace("级次,2\n", "级次,2\n目标值,100\n填表人,张三\n");
    let imported = convert("f.csv", csv.as_bytes(), Format::Csv, Weights::Given);
    let form = load("f.csv（已转换）", &imported.toml);
    let keys: Vec<&str> = form.facts.iter().map(|f| &*f.name.text).collect();
    assert_eq!(keys, ["单位类型", "级次", "填表人"]);
}

#[test]
fn a_bonus_row_without_its_name_or_value_is_an_error_at_the_cell() {
    let csv = FACTS_CSV.replace("加分项,,,创新加分,,,3,3", "加分项,,,创新加分,,,,3");
    let err = import(
        "f.csv",
        csv.as_bytes(),
        Format::Csv,
        &options(Weights::Given),
    )
    .expect_err("no value");
    let shown = render(&err);
    assert!(shown.contains("加分项一行的「实际值」为空"), "{shown}");
}
