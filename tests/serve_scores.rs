//! `jixiao serve` over HTTP, continued from [`crate::serve_api`] (which starts the
//! server and holds the security tests): scores of the folder's forms and how they move
//! with a parameter, the table's rows while the forms are still being read, the impact of
//! a change, one form explained, import and reports.
//! Every total is worked out by hand from the seed forms.

use serde_json::{Value, json};

use crate::serve_api::{Server, bundled, workspace};
use crate::support::{BUDGET_10_SUMMARY, repo_bytes, repo_file, xlsx_cell, xlsx_rows};

// ---------------------------------------------------------------------------------------
// Scores, impact, one form

/// The row of `path` in a /api/score answer.
fn row<'v>(v: &'v Value, path: &str) -> &'v Value {
    v["forms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == path)
        .unwrap_or_else(|| panic!("{path} in {v}"))
}

#[test]
fn scores_are_the_command_lines_and_move_with_a_parameter() {
    let dir = workspace("scores_are_the_command_lines_and_move_with_a_parameter");
    let s = Server::start(&dir);
    let v = s.post("/api/score", &json!({"rules": bundled()})).json();
    assert_eq!(v["max_total"], "100");
    // `jixiao score examples/tongcheng-2021.toml`: 96.53, 优; reported 94, so +2.53.
    let seed = row(&v, "forms/tongcheng-2021.toml");
    assert_eq!(seed["total"], "96.53");
    assert_eq!(seed["grade"], "优");
    assert_eq!(seed["reported"], "94");
    assert_eq!(seed["difference"], "2.53");
    assert_eq!(seed["department"], "通城县人力资源和社会保障局");
    assert_eq!(seed["year"], 2021);
    assert_eq!(seed["error"], Value::Null);
    assert_eq!(row(&v, "forms/2022/county.toml")["total"], "91.26");
    // budget_weight 20 → 10: the budget was executed in full (B = A = 12174.8万元), so its
    // score falls from 20 × 1 to 10 × 1, and the total by 10: 86.53, 良 (80 to 90).
    let mut rules = bundled();
    rules["set"] = json!({"budget_weight": "10"});
    let v = s.post("/api/score", &json!({"rules": rules})).json();
    let seed = row(&v, "forms/tongcheng-2021.toml");
    assert_eq!(seed["total"], "86.53");
    assert_eq!(seed["grade"], "良");
    assert_eq!(seed["difference"], "-7.47");
    assert_eq!(v["max_total"], "90");
    // A parameter the rules lack: its diagnostic.
    rules["set"] = json!({"no_such": 1});
    let a = s.post("/api/score", &json!({"rules": rules}));
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["diagnostics"][0]["code"],
        "jixiao::set::unknown_param"
    );
    // The editor's unsaved text is scored, not the file.
    let text = repo_file("rules/hubei-2021.rules")
        .replace("param budget_weight = 20", "param budget_weight = 10");
    let v = s
        .post(
            "/api/score",
            &json!({"rules": {"path": "rules/base.rules", "text": text}}),
        )
        .json();
    assert_eq!(row(&v, "forms/tongcheng-2021.toml")["total"], "86.53");
}

#[test]
fn a_changed_form_is_read_again_and_a_broken_one_shows_its_diagnostic() {
    let dir = workspace("a_changed_form_is_read_again_and_a_broken_one_shows_its_diagnostic");
    let s = Server::start(&dir);
    let score = || s.post("/api/score", &json!({"rules": bundled()})).json();
    assert_eq!(row(&score(), "forms/tongcheng-2021.toml")["total"], "96.53");
    // executed 12174.8 → 6087.4万元: half the budget, 20 × 0.5 = 10 points, 86.53.
    let seed = repo_file("examples/tongcheng-2021.toml")
        .replace("executed = \"12174.8万元\"", "executed = \"6087.4万元\"");
    dir.write("forms/tongcheng-2021.toml", &seed);
    assert_eq!(row(&score(), "forms/tongcheng-2021.toml")["total"], "86.53");
    dir.write("forms/broken.toml", "[budget\nplanned = 1");
    dir.write("forms/corrupt.xlsx", b"PK\x03\x04 not a workbook");
    let v = score();
    let broken = row(&v, "forms/broken.toml");
    assert_eq!(broken["total"], Value::Null);
    assert_eq!(broken["error"]["code"], "jixiao::form::toml");
    assert_eq!(broken["error"]["range"]["start"]["line"], 0);
    assert_eq!(
        row(&v, "forms/corrupt.xlsx")["error"]["code"],
        "jixiao::import::workbook"
    );
    // The others still scored.
    assert_eq!(row(&v, "forms/2022/county.toml")["total"], "91.26");
}

/// Asks `ask` until it gives something (at most a minute: the machine may be slow).
#[track_caller]
fn until<T>(what: &str, mut ask: impl FnMut() -> Option<T>) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(found) = ask() {
            return found;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "never: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The paths of the rows of a /api/score answer, in its order.
fn paths(v: &Value) -> Vec<&str> {
    v["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect()
}

/// The forms table while the folder is read: `wait: false` answers at once with the forms
/// read so far, labeled partial, and later only the rows after those the page has. The
/// test hook `JIXIAO_SERVE_TEST_HOLD=2` stops the server's first read after two forms
/// until the file `.jixiao-test-resume` appears, so the partial state holds as long as the
/// test needs, on any machine.
#[test]
fn while_the_forms_are_read_scores_come_as_far_as_read_labeled_partial() {
    let dir = workspace("while_the_forms_are_read_scores_come_as_far_as_read_labeled_partial");
    dir.write("forms/2022/a-broken.toml", "[budget\nplanned = 1");
    let s = Server::start_with(&dir, &[], &[("JIXIAO_SERVE_TEST_HOLD", "2")]);
    let so_far = |from: usize, generation: &Value| {
        s.post(
            "/api/score",
            &json!({"rules": bundled(), "wait": false, "from": from, "generation": generation}),
        )
        .json()
    };
    // Listed by path: forms/2022/a-broken.toml, forms/2022/county.toml,
    // forms/tongcheng-2021.toml; read in that order, held after the first two.
    let v = until("two forms read", || {
        let v = so_far(0, &Value::Null);
        (v["read"] == 2).then_some(v)
    });
    assert_eq!(v["partial"], true, "{v}");
    assert_eq!(v["total"], 3);
    assert_eq!(v["from"], 0);
    assert_eq!(
        paths(&v),
        ["forms/2022/a-broken.toml", "forms/2022/county.toml"]
    );
    // A broken form shows its diagnostic while the rest are read, as after.
    assert_eq!(
        row(&v, "forms/2022/a-broken.toml")["error"]["code"],
        "jixiao::form::toml"
    );
    assert_eq!(row(&v, "forms/2022/county.toml")["total"], "91.26");
    assert_eq!(v["max_total"], "100");
    // At most one row, as the page asks for its first page: the first form's.
    let limited = |limit: usize| {
        s.post(
            "/api/score",
            &json!({"rules": bundled(), "wait": false, "limit": limit}),
        )
        .json()
    };
    let v = limited(1);
    assert_eq!(paths(&v), ["forms/2022/a-broken.toml"]);
    assert_eq!((&v["read"], &v["partial"]), (&json!(2), &json!(true)));
    // Asked for the rows after those two: none yet, still partial.
    let generation = v["generation"].clone();
    let v = so_far(2, &generation);
    assert_eq!(
        (&v["from"], &v["read"], &v["partial"]),
        (&json!(2), &json!(2), &json!(true))
    );
    assert!(paths(&v).is_empty(), "{v}");
    // A form already read opens at once.
    let county = s.post(
        "/api/form",
        &json!({"path": "forms/2022/county.toml", "rules": bundled()}),
    );
    assert_eq!(county.json()["outcome"]["total"], "91.26");
    std::thread::scope(|threads| {
        // What needs every form (the what-if) waits for the read instead: asked now, it
        // compares all three, never the first two. Both seed forms fall by the budget's
        // 10 points (worked out in the impact test); the broken one is listed as failed.
        let impact = threads.spawn(|| {
            let mut variant = bundled();
            variant["set"] = json!({"budget_weight": "10"});
            s.post(
                "/api/impact",
                &json!({"baseline": bundled(), "variant": variant}),
            )
            .json()
        });
        dir.write(".jixiao-test-resume", "");
        let v = impact.join().expect("the impact");
        assert_eq!(v["summary"]["forms"], 2, "{v}");
        assert_eq!(v["summary"]["total_changed"], 2);
        assert_eq!(v["failed"].as_array().map(Vec::len), Some(1), "{v}");
    });
    // Read to the end: the third row alone, after the two the page has.
    let v = until("every form read", || {
        let v = so_far(2, &generation);
        (v["partial"] == false).then_some(v)
    });
    assert_eq!(
        (&v["from"], &v["read"], &v["total"]),
        (&json!(2), &json!(3), &json!(3))
    );
    assert_eq!(v["generation"], generation);
    assert_eq!(paths(&v), ["forms/tongcheng-2021.toml"]);
    assert_eq!(row(&v, "forms/tongcheng-2021.toml")["total"], "96.53");
    // Once every form is read, a limit is no longer heeded: the whole table at once.
    assert_eq!(paths(&limited(1)).len(), 3);
    // Rows of another state of the forms are not continued: every row again.
    let other = json!(generation.as_u64().unwrap() + 7);
    assert_eq!(paths(&so_far(2, &other)).len(), 3);
    // A form changed since: read again (half the budget executed, 86.53: the test above),
    // a new generation, every row again.
    let seed = repo_file("examples/tongcheng-2021.toml")
        .replace("executed = \"12174.8万元\"", "executed = \"6087.4万元\"");
    dir.write("forms/tongcheng-2021.toml", &seed);
    let v = so_far(3, &generation);
    assert_eq!((&v["from"], &v["partial"]), (&json!(0), &json!(false)));
    assert_ne!(v["generation"], generation);
    assert_eq!(row(&v, "forms/tongcheng-2021.toml")["total"], "86.53");
    // Without `wait: false`, as before: every form, complete.
    let v = s.post("/api/score", &json!({"rules": bundled()})).json();
    assert_eq!(
        (&v["partial"], &v["read"], &v["total"]),
        (&json!(false), &json!(3), &json!(3))
    );
}

#[test]
fn impact_compares_the_folder_as_diff_does_with_its_charts() {
    let dir = workspace("impact_compares_the_folder_as_diff_does_with_its_charts");
    let s = Server::start(&dir);
    let mut variant = bundled();
    variant["set"] = json!({"budget_weight": "10"});
    let v = s
        .post(
            "/api/impact",
            &json!({"baseline": bundled(), "variant": variant}),
        )
        .json();
    // The seed form executed its budget in full: 20 → 10 points, 96.53 → 86.53 (优 → 良).
    // The county form executed 2303.5 of 2450.6万元: 20 × 0.93997… = 18.80 → 10 × 0.93997…
    // = 9.40, so 91.26 → 81.86 (优 → 良). Mean change (−10 − 9.40) / 2 = −9.70.
    let summary = &v["summary"];
    assert_eq!(summary["forms"], 2, "{v}");
    assert_eq!(summary["total_changed"], 2);
    assert_eq!(summary["grade_changed"], 2);
    assert_eq!(summary["mean_delta"], "-9.70");
    assert_eq!(summary["max_delta"], "-10.00");
    assert_eq!(
        summary["transitions"],
        json!([{"from": "优", "to": "良", "count": 2}])
    );
    assert_eq!(v["new_rules"]["set"], json!(["budget_weight=10"]));
    assert!(
        v["charts"]["histogram"]
            .as_str()
            .unwrap()
            .starts_with("<svg")
    );
    let matrix = v["charts"]["matrix"].as_str().unwrap();
    assert!(
        matrix.starts_with("<svg") && matrix.contains(">2</text>"),
        "{matrix}"
    );
    // The same rules on both sides: nothing changed, no matrix.
    let v = s
        .post(
            "/api/impact",
            &json!({"baseline": bundled(), "variant": bundled()}),
        )
        .json();
    assert_eq!(v["summary"]["changed"], 0);
    assert_eq!(v["charts"]["matrix"], Value::Null);
}

#[test]
fn one_form_is_explained_step_by_step_with_rule_lines() {
    let dir = workspace("one_form_is_explained_step_by_step_with_rule_lines");
    let s = Server::start(&dir);
    let v = s
        .post(
            "/api/form",
            &json!({"path": "forms/tongcheng-2021.toml", "rules": bundled()}),
        )
        .json();
    assert_eq!(v["outcome"]["total"], "96.53");
    let budget = &v["explain"][0];
    assert_eq!(budget["item"], "预算", "{budget}");
    let rules = repo_file("rules/hubei-2021.rules");
    let lines: Vec<&str> = rules.lines().collect();
    let steps = budget["steps"].as_array().unwrap();
    // The budget's score, 20 × B / A, cites `score weight * B / A` in the rule file.
    let formula = steps
        .iter()
        .find(|s| s["text"].as_str().unwrap().starts_with("weight * B / A"))
        .unwrap_or_else(|| panic!("{budget}"));
    assert_eq!(formula["file"], "bundled:hubei-2021");
    let line = formula["line"].as_u64().unwrap() as usize;
    assert_eq!(lines[line].trim(), "score weight * B / A");
    assert_eq!(
        s.post(
            "/api/form",
            &json!({"path": "forms/none.toml", "rules": bundled()})
        )
        .refused(404),
        "jixiao::serve::not_found"
    );
}

#[test]
fn with_weights_reported_a_printed_form_in_the_folder_takes_its_reported_scores() {
    let name = "with_weights_reported_a_printed_form_in_the_folder_takes_its_reported_scores";
    let dir = workspace(name);
    let txt = repo_bytes("examples/tongcheng-2021-form.txt");
    dir.write("forms/printed.txt", &txt);
    // By default the printed form (得分 only, no 分值) is listed with its diagnostic.
    let s = Server::start(&dir);
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    let printed = row(&scores, "forms/printed.txt");
    assert_eq!(printed["error"]["code"], "jixiao::import::missing_weight");
    assert_eq!(
        s.api("GET", "/api/workspace", b"").json()["weights"],
        "given"
    );
    drop(s);
    // `--weights reported`, as `jixiao score --weights reported` gives it: 92.21, with the
    // two repairs, seven weights_from_reported warnings and five weight_sum ones
    // (`jixiao score` prints the same fourteen).
    let s = Server::start_with(&dir, &["--weights", "reported"], &[]);
    assert_eq!(
        s.api("GET", "/api/workspace", b"").json()["weights"],
        "reported"
    );
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    let printed = row(&scores, "forms/printed.txt");
    assert_eq!(printed["total"], "92.21", "{printed}");
    assert_eq!(printed["warnings"], 14, "{printed}");
    // An upload without `weights` is converted the same way; `weights=given` asks for
    // every weight in the file.
    let v = s.api("POST", "/api/import?name=form.txt", &txt).json();
    assert!(
        v["toml"]
            .as_str()
            .unwrap()
            .contains("按 --weights reported 作为权重")
    );
    let a = s.api("POST", "/api/import?name=form.txt&weights=given", &txt);
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["diagnostics"][0]["code"],
        "jixiao::import::missing_weight"
    );
}

#[test]
fn a_form_that_names_other_rules_is_marked_in_its_row() {
    let dir = workspace("a_form_that_names_other_rules_is_marked_in_its_row");
    dir.write(
        "forms/project.toml",
        repo_file("examples/project/project-2022.toml"),
    );
    let s = Server::start(&dir);
    // Under hubei-2021 the project form (national-project-2020's) is scored, marked; the
    // department-wide forms name no rules and are not.
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    assert_eq!(
        row(&scores, "forms/project.toml")["other_rules"],
        "national-project-2020"
    );
    assert_eq!(row(&scores, "forms/project.toml")["total"], "105.63");
    assert_eq!(
        row(&scores, "forms/tongcheng-2021.toml")["other_rules"],
        Value::Null
    );
    // Under its own rules, or central-project (which extends them): unmarked, 96.11.
    for name in ["national-project-2020", "central-project"] {
        let rules = json!({"path": format!("bundled:{name}"), "text": null, "set": {}});
        let scores = s.post("/api/score", &json!({"rules": rules})).json();
        let project = row(&scores, "forms/project.toml");
        assert_eq!(project["other_rules"], Value::Null, "{name}");
        assert_eq!(project["total"], "96.11", "{name}");
    }
}

// ---------------------------------------------------------------------------------------
// Import and reports

#[test]
fn an_uploaded_workbook_is_converted_and_saved_on_request() {
    let dir = workspace("an_uploaded_workbook_is_converted_and_saved_on_request");
    let s = Server::start(&dir);
    let xlsx = repo_bytes("tests/fixtures/import/tongcheng-2021.xlsx");
    let v = s
        .api("POST", "/api/import?name=tongcheng.xlsx", &xlsx)
        .json();
    assert!(v["toml"].as_str().unwrap().contains("[budget]"));
    assert_eq!(v["path"], Value::Null);
    assert!(!dir.path("tongcheng.toml").exists());
    let v = s
        .api("POST", "/api/import?name=tongcheng.xlsx&save=1", &xlsx)
        .json();
    assert_eq!(v["path"], "tongcheng.toml");
    assert_eq!(
        std::fs::read_to_string(dir.path("tongcheng.toml")).unwrap(),
        v["toml"]
    );
    // Scored like the checked-in TOML: 96.53.
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    assert_eq!(row(&scores, "tongcheng.toml")["total"], "96.53");
    let again = s.api("POST", "/api/import?name=tongcheng.xlsx&save=1", &xlsx);
    assert_eq!(again.refused(409), "jixiao::serve::exists");
    // A corrupt workbook: its diagnostic.
    let a = s.api("POST", "/api/import?name=bad.xlsx", b"PK\x03\x04 broken");
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["diagnostics"][0]["code"],
        "jixiao::import::workbook"
    );
    // The form's text has no weights: the error points at the indicator's cell, line 17
    // (0-based 16) after `\t产出指标\t数量指标\t` (1 + 4 + 1 + 4 + 1 = 11 characters),
    // 职业技能培训人次 being 8 long.
    let txt = repo_bytes("tests/fixtures/import/tongcheng-2021-form.txt");
    let a = s.api("POST", "/api/import?name=form.txt", &txt);
    assert_eq!(a.status, 400);
    let d = &a.json()["diagnostics"][0];
    assert_eq!(d["code"], "jixiao::import::missing_weight");
    assert_eq!(
        d["range"],
        json!({"start": {"line": 16, "character": 11}, "end": {"line": 16, "character": 19}})
    );
    // With weights=reported, as `jixiao import --weights reported`: converted, with the
    // two repairs of the extracted text (a level split by a page break, a level missing
    // from a goal's first row) and one warning a goal, and scored (under hubei-2021) 92.21, as the command line scores it.
    let v = s
        .api(
            "POST",
            "/api/import?name=form.txt&weights=reported&rules=bundled:hubei-2021",
            &txt,
        )
        .json();
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    let mut expected = vec!["jixiao::import::repaired"; 2];
    expected.extend(["jixiao::import::weights_from_reported"; 7]);
    assert_eq!(codes, expected);
    assert_eq!(v["row"]["total"], "92.21");
    assert_eq!(v["path"], Value::Null);
    let a = s.api("POST", "/api/import?name=form.txt&weights=some", &txt);
    assert_eq!(a.refused(400), "jixiao::serve::bad_request");
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("weights 只能是 given 或 reported"),
        "{}",
        a.json()
    );
    let a = s.api("POST", "/api/import?name=../x.xlsx&save=1", &xlsx);
    assert_eq!(a.refused(403), "jixiao::serve::outside");
}

#[test]
fn word_documents_and_pdfs_are_listed_scored_and_imported() {
    let dir = workspace("word_documents_and_pdfs_are_listed_scored_and_imported");
    dir.copy(
        "tests/fixtures/import/tongcheng-2021.docx",
        "forms/人社.docx",
    );
    dir.copy("tests/fixtures/import/tongcheng-2021.pdf", "forms/人社.pdf");
    let s = Server::start(&dir);
    let v = s.api("GET", "/api/workspace", b"").json();
    assert_eq!(
        v["forms"],
        json!([
            {"path": "forms/2022/county.toml", "kind": "toml"},
            {"path": "forms/tongcheng-2021.toml", "kind": "toml"},
            {"path": "forms/人社.docx", "kind": "docx"},
            {"path": "forms/人社.pdf", "kind": "pdf"},
        ])
    );
    // The seed form in Word and in PDF, each with the example's weights (import_word.rs,
    // import_pdf.rs): 96.53 as the TOML.
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    assert_eq!(row(&scores, "forms/人社.docx")["total"], "96.53");
    assert_eq!(row(&scores, "forms/人社.pdf")["total"], "96.53");
    // Dropped on the page: converted, and refused with the reader's own diagnostic.
    let docx = repo_bytes("tests/fixtures/import/tongcheng-2021.docx");
    let v = s.api("POST", "/api/import?name=人社.docx", &docx).json();
    // The budget's 预算数 in the first table's third row, fourth grid column.
    assert!(
        v["toml"]
            .as_str()
            .unwrap()
            .contains("# 表 1 第 3 行第 4 列（单位「万元」取自表头「预算执行情况 (万元)」）\nplanned = \"12174.8万元\""),
        "{v}"
    );
    let scan = repo_bytes("tests/bad/inputs/import/scanned.pdf");
    let a = s.api("POST", "/api/import?name=scan.pdf", &scan);
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["diagnostics"][0]["code"],
        "jixiao::import::scanned"
    );
    let a = s.api("POST", "/api/import?name=form.wps", b"x");
    assert_eq!(a.status, 400);
    let d = &a.json()["diagnostics"][0];
    assert_eq!(d["code"], "jixiao::import::unknown_format");
    assert!(
        d["help"].as_str().unwrap().contains("Word 文档（.docx"),
        "{d}"
    );
}

#[test]
fn reports_download_in_every_format() {
    let dir = workspace("reports_download_in_every_format");
    let s = Server::start(&dir);
    let report = |kind: &str, format: &str| {
        let mut variant = bundled();
        variant["set"] = json!({"budget_weight": 10});
        s.post(
            "/api/report",
            &json!({"kind": kind, "format": format, "rules": variant, "baseline": bundled()}),
        )
    };
    let html = report("score", "html");
    assert_eq!(html.status, 200);
    assert_eq!(
        html.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        html.header("content-disposition")
            .unwrap()
            .starts_with("attachment;")
    );
    let page = String::from_utf8_lossy(&html.body);
    // The two totals worked out in the impact test: 86.53 and 81.86.
    assert!(page.contains("86.53") && page.contains("81.86"), "{page}");
    let xlsx = report("score", "xlsx");
    assert!(xlsx.body.starts_with(b"PK\x03\x04"));
    let csv = report("score", "csv");
    assert!(csv.body.starts_with("\u{feff}".as_bytes()));
    assert!(String::from_utf8_lossy(&csv.body).contains("86.53"));
    assert_eq!(
        report("score", "md").header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    assert_eq!(
        report("other", "md").refused(400),
        "jixiao::serve::bad_request"
    );
    assert_eq!(
        report("score", "pdf").refused(400),
        "jixiao::serve::bad_request"
    );
}

/// The what-if comparison as the page exports it (导出对比), in each format: the same
/// impact as `jixiao diff` writes. Both forms move 优 → 良: tongcheng 96.53 → 86.53
/// (−10.00), the county 91.26 → 81.86 (−9.40); mean and median (−10 − 9.4) / 2 = −9.7.
#[test]
fn the_comparison_exports_as_a_workbook_html_csv_and_markdown() {
    use calamine::{Reader, Xlsx};
    let dir = workspace("the_comparison_exports_as_a_workbook_html_csv_and_markdown");
    let s = Server::start(&dir);
    let export = |format: &str| {
        let mut variant = bundled();
        variant["set"] = json!({"budget_weight": 10});
        let a = s.post(
            "/api/report",
            &json!({"kind": "diff", "format": format, "rules": variant, "baseline": bundled()}),
        );
        assert_eq!(
            a.status,
            200,
            "{format}: {}",
            String::from_utf8_lossy(&a.body)
        );
        a
    };
    let xlsx = export("xlsx");
    assert_eq!(
        xlsx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    // 对比报告-hubei-2021.xlsx, percent-encoded.
    assert!(
        xlsx.header("content-disposition")
            .unwrap()
            .ends_with("filename*=UTF-8''%E5%AF%B9%E6%AF%94%E6%8A%A5%E5%91%8A-hubei-2021.xlsx"),
        "{:?}",
        xlsx.header("content-disposition")
    );
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.body)).expect("a workbook");
    assert_eq!(book.sheet_names(), ["汇总", "变化明细"]);
    let sum = book.worksheet_range("汇总").expect("汇总");
    assert_eq!(xlsx_cell(&sum, 0, 0), "评分对比：两套规则");
    assert_eq!(xlsx_rows(&sum, 4, 11), BUDGET_10_SUMMARY);
    // Each form's budget line and total changed, the county's first (path order):
    // 20 × 2303.5 / 2450.6 = 18.80 → 10 × 0.93997… = 9.40.
    let changes = book.worksheet_range("变化明细").expect("变化明细");
    assert_eq!(xlsx_cell(&changes, 1, 0), "forms/2022/county.toml");
    let county: Vec<Vec<String>> = xlsx_rows(&changes, 1, 2)
        .into_iter()
        .map(|r| r[3..].to_vec())
        .collect();
    assert_eq!(
        county,
        [
            ["预算执行情况", "#18.8", "#9.4", "#-9.4"],
            ["总分", "#91.26", "#81.86", "#-9.4"]
        ]
    );
    let html = String::from_utf8_lossy(&export("html").body).into_owned();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("86.53") && html.contains("81.86"));
    let csv = export("csv");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let csv = String::from_utf8_lossy(&csv.body).into_owned();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("96.53") && csv.contains("-10.00"), "{csv}");
    let md = String::from_utf8_lossy(&export("md").body).into_owned();
    assert!(md.contains("优→良 2 份"), "{md}");
}
