//! Tests of the workbook's cell texts, sheet names and numbers.

use super::*;

#[test]
fn texts_longer_than_a_cell_are_cut_with_an_ellipsis() {
    let full = "绩".repeat(CELL_CHARS);
    assert!(matches!(fit(&full), Cow::Borrowed(_)));
    let over = format!("{full}效");
    let cut = fit(&over);
    assert_eq!(cut.chars().count(), CELL_CHARS);
    assert!(cut.ends_with("绩…"), "{}", &cut[cut.len() - 9..]);
    // A workbook with such a title and goal name is written, not refused.
    let rules = crate::compile(&crate::bundled("hubei-2021").expect("bundled")).expect("compiles");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/tongcheng-2021.toml");
    let text = std::fs::read_to_string(path).expect("the example form");
    let loaded = crate::load_form(&crate::Source::new("t.toml", text)).expect("loads");
    let mut outcome = crate::evaluate(&rules, &loaded).expect("scores");
    outcome.form.title = Some(over.clone().into());
    outcome.goals[0].name = over.as_str().into();
    assert!(form(&outcome).is_ok_and(|bytes| bytes.len() > 1000));
}

#[test]
fn sheet_names_are_valid_and_unique() {
    let mut taken = HashSet::new();
    assert_eq!(sheet_name("汇总", &mut taken), "汇总");
    assert_eq!(sheet_name("a[1]:b*?/\\c", &mut taken), "a_1__b____c");
    // 40 characters → 31
    let long = "通城县人力资源和社会保障局".repeat(3);
    let first = sheet_name(&long, &mut taken);
    assert_eq!(first.chars().count(), 31);
    let second = sheet_name(&long, &mut taken);
    assert_eq!(second.chars().count(), 31);
    assert!(second.ends_with(" (2)"), "{second}");
    assert_eq!(sheet_name("'引号'", &mut taken), "引号");
    assert_eq!(sheet_name("History", &mut taken), "History (2)");
    assert_eq!(sheet_name("  ", &mut taken), "表单");
    assert_eq!(sheet_name("SHEET", &mut taken), "SHEET");
    assert_eq!(sheet_name("sheet", &mut taken), "sheet (2)");
    // Characters XML cannot hold, and other control characters.
    assert_eq!(sheet_name("a\u{FFFF}b\u{1}c\u{FFFE}", &mut taken), "a_b_c_");
    assert_eq!(sheet_name("d\u{85}e", &mut taken), "d e");
    assert_eq!(xml_safe("x\u{1B}[4A\ty"), "x\\u{1B}[4A\ty");
}

#[test]
fn numbers_cross_to_the_sheet_through_their_text() {
    assert_eq!(
        number("96.53".parse().unwrap_or_default()).to_string(),
        "96.53"
    );
    assert_eq!(
        number("-1.10".parse().unwrap_or_default()).to_string(),
        "-1.1"
    );
}
