//! Every diagnostic under tests/fixtures/bad-*/ rendered as a user sees it (no colour,
//! 100 columns), snapshotted. A fixture's name says what it gets wrong.

use crate::support::{codes, hubei, render, repo_source as read};

#[test]
fn bad_rule_files() {
    insta::glob!("fixtures/bad-rules/*.rules", |path| {
        let source = read(path);
        let err = match jixiao::compile(&source) {
            Ok(_) => panic!("{} compiled but should not", path.display()),
            Err(e) => e,
        };
        let shown = format!("codes: {:?}\n\n{}", codes(&err), render(&err));
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn bad_forms_under_hubei_2021() {
    let rules = hubei();
    insta::glob!("fixtures/bad-forms/*.toml", |path| {
        let source = read(path);
        let shown = match jixiao::load_form(&source) {
            Err(e) => format!("codes: {:?}\n\n{}", codes(&e), render(&e)),
            Ok(form) => match jixiao::evaluate(&rules, &form) {
                Err(e) => format!("codes: {:?}\n\n{}", codes(&e), render(&e)),
                Ok(o) => panic!("{} scored {} but should fail", path.display(), o.total),
            },
        };
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn columns_on_a_chinese_line_count_characters() {
    // 「比例」 is unknown and follows Chinese text on its line: the header must give the
    // column an editor shows (characters), not the byte offset miette would compute.
    let text = "rules \"t\"\nparam 系数 = 1\nbudget:\n    weight 20\n    score 系数 * 比例\n";
    let source = jixiao::Source::new("t.rules", text);
    let err = match jixiao::compile(&source) {
        Ok(_) => panic!("unknown name accepted"),
        Err(e) => e,
    };
    let shown = render(&err);
    assert!(shown.contains("未知名称「比例」"), "{shown}");
    // 「    score 系数 * 」 is 15 characters (19 bytes): the name starts at column 16.
    assert_eq!(source.line_col(text.find("比例").unwrap_or(0)), (5, 16));
    assert!(shown.contains("[t.rules:5:16]"), "{shown}");
}
