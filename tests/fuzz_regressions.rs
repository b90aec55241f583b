//! Every input the fuzzers found (tests/fuzz-cases/) replayed through the checks the fuzz
//! targets make (fuzz/fuzz_targets/checks.rs, shared with fuzz/), and what each must now
//! give. The fuzz targets themselves run with `fuzz/run.sh` (see fuzz/README.md).

use std::path::PathBuf;

use crate::support::{codes, repo_bytes as read, repo_file, repo_path};

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

fn cases(target: &str) -> Vec<PathBuf> {
    let dir = case(target, "");
    // A target with no kept case has no folder (git keeps no empty folders).
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    files
}

fn case(target: &str, name: &str) -> PathBuf {
    repo_path("tests/fuzz-cases").join(target).join(name)
}

#[test]
fn every_case_passes_its_targets_checks() {
    let mut replayed = 0;
    for (target, check) in [
        ("rules", checks::rules as fn(&[u8])),
        ("value", checks::value),
        ("form", checks::form),
        ("import", checks::import_text),
    ] {
        for path in cases(target) {
            check(&read(&path));
            replayed += 1;
        }
    }
    let example = repo_file("examples/tongcheng-2021.toml");
    for path in cases("evaluate") {
        if path.extension().is_some_and(|e| e == "rules") {
            let form_text = std::fs::read_to_string(path.with_extension("toml"))
                .unwrap_or_else(|_| example.clone());
            let form = jixiao::load_form(&jixiao::Source::new("case.toml", form_text))
                .expect("a kept evaluate case's form loads");
            let rules = std::fs::read_to_string(&path).expect("a rule file");
            checks::written(&rules, &form);
            replayed += 1;
        }
    }
    assert!(replayed >= 7, "only {replayed} cases found");
}

/// The import target's seeds (fuzz/seeds/import/: text, CSV, workbooks after an `X`, Word
/// documents after a `W`, PDFs after an `F`) pass its checks, so that each reader the
/// target covers is run by `cargo test` too, not only when someone fuzzes.
#[test]
fn the_import_seeds_pass_the_import_checks() {
    let dir = repo_path("fuzz/seeds/import");
    let mut firsts = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("fuzz/seeds/import") {
        let bytes = read(entry.expect("an entry").path());
        if let Some(&first) = bytes.first() {
            firsts.insert(first);
        }
        checks::import_text(&bytes);
    }
    for format in [b'X', b'W', b'F'] {
        assert!(firsts.contains(&format), "no seed for {}", format as char);
    }
}

/// `weight []` was accepted and scored as 0: an empty list had no type, and a value
/// without a type passed every check (it stands for "already reported").
#[test]
fn an_empty_list_is_not_a_number() {
    let text = String::from_utf8(read(case("rules", "empty-list-weight.rules"))).unwrap();
    let err = jixiao::compile(&jixiao::Source::new("empty-list-weight.rules", text))
        .expect_err("`weight []` must not compile");
    let codes = codes(&err);
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "jixiao::check::type_mismatch")
            .count(),
        2,
        "{codes:?}"
    );
    let shown = crate::support::render(&err);
    assert!(shown.contains("分值应为数值，这里是空列表"), "{shown}");
    assert!(shown.contains("上限应为数值，这里是空列表"), "{shown}");
}

/// A list of conditions, a list compared with `==`, and a condition looked up with `in`
/// all passed the checker the same way.
#[test]
fn lists_hold_numbers_or_text_and_are_only_searched() {
    let text = String::from_utf8(read(case("rules", "lists-compared.rules"))).unwrap();
    let err = jixiao::compile(&jixiao::Source::new("lists-compared.rules", text))
        .expect_err("must not compile");
    let shown = crate::support::render(&err);
    for message in [
        "列表中只能写数值或文字，这里是真假值（条件）",
        "「==」不能比较列表",
        "in 的左边应为数值或文字，这里是真假值（条件）",
    ] {
        assert!(shown.contains(message), "missing {message:?} in\n{shown}");
    }
    // `op in []` is still allowed: an empty list is a list of either kind.
    let ok = "rules \"t\"\nextends \"hubei-2021\"\nclass negative:\n    if op in []: weight\n";
    jixiao::compile(&jixiao::Source::new("ok.rules", ok)).expect("`op in []` compiles");
}

/// A cell `98$` in a CSV imports (the importer copies cells), but the form then does not
/// load: the loader names the mismatch against the cell comments, as `jixiao import` shows.
#[test]
fn a_mistyped_percent_sign_is_reported_by_the_loader_not_the_importer() {
    let bytes = read(case("import", "percent-sign-mistyped"));
    let imported = jixiao::import::import(
        "wenlv.csv",
        &bytes[1..],
        jixiao::import::Format::Csv,
        &jixiao::import::Options::default(),
    )
    .expect("the cells are copied");
    let err = jixiao::load_form(&jixiao::Source::new("wenlv.toml", imported.toml))
        .expect_err("a percentage against a number");
    assert_eq!(
        codes(&err),
        ["jixiao::form::invalid", "jixiao::form::kind_mismatch"]
    );
}

/// Values whose plain spelling differs from how they were written: the value parser keeps
/// their meaning (the fuzz check's round trip had to learn these, the parser did not).
#[test]
fn odd_values_keep_their_meaning() {
    use jixiao::form::{Cmp, Parsed, parse_value};
    let quantity = |raw: &[u8]| match parse_value(std::str::from_utf8(raw).unwrap()) {
        Ok(Parsed::Quantity(q)) => q,
        other => panic!("{raw:?}: {other:?}"),
    };
    let q = quantity(&read(case("value", "unit-after-form-feed")));
    assert_eq!(
        (q.number.to_string().as_str(), q.unit.as_str()),
        ("5", ",\0\0\0")
    );
    let q = quantity(&read(case("value", "more-digits-after-multiplier")));
    assert_eq!(q.number.to_string(), "42643370000593543950466404800");
    assert_eq!(q.unit, "元权重-");
    let q = quantity(&read(case("value", "comparison-word-twice")));
    assert_eq!((q.cmp, q.number.to_string().as_str()), (Cmp::Le, "0"));
    // Written back plainly as `>=15000 元`, without the multiplier it remembers.
    let q = quantity(&read(case("value", "multiplier-remembered")));
    assert_eq!(
        (
            q.cmp,
            q.number.to_string().as_str(),
            q.multiplier,
            q.unit.as_str()
        ),
        (Cmp::Ge, "15000", Some("万"), "元")
    );
}
