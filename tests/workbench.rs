//! The workbench (`jixiao serve`) used as a person uses it: the real page, served by the
//! built binary over a copy of examples/, driven in headless Chromium through WebDriver
//! (Debian's chromedriver, by fantoccini). Each test types, clicks and drops files, then
//! reads what the page shows: both keyword sets highlighted, the file's tests run at their
//! line, a typed error underlined at its line; hover and completion from the language
//! service; `budget_weight` moving every total and the grade matrix (and an error keeping
//! the last results, marked stale), the comparison exported as a workbook, then saved as a
//! variant; the checked-in workbook dropped, saved and scored; the forms table filled as the
//! server reads the folder; a score followed to its rule line; a stale save refused; a slow
//! answer about older text dropped.
//!
//! The folder the tests serve is examples/ (its rule files, its forms). Under its first rule
//! file, examples/hubei-2021-zh.rules (湖北 2021 in Chinese keywords, `参数 budget_weight =
//! 20`), the two TOML forms score (tests/report_cmd.rs works them out indicator by
//! indicator):
//! - 通城县人力资源和社会保障局 (tongcheng-2021.toml): budget 20 × 12174.8 / 12174.8 = 20.00,
//!   goals 9.96 + 9.60 + 14.00 + 13.28 + 9.69 + 10.00 + 10.00 = 76.53; total 96.53, 优.
//! - 某县教育局 (county-education-2022.toml): budget 20 × 2303.5 / 2450.6 = 18.7995… →
//!   18.80, goals 27.21 + 25.30 + 19.95 = 72.46; total 91.26, 优.
//!
//! With `budget_weight = 10` only the budget line moves (the goals keep their points):
//! 通城 10 × 1 = 10.00, total 76.53 + 10.00 = 86.53; 教育局 10 × 0.93997… = 9.3997… → 9.40,
//! total 72.46 + 9.40 = 81.86. Both fall below 90 and stay at or above 80: 优 → 良 twice.
//!
//! Screenshots: with `JIXIAO_WORKBENCH_SHOTS=1` each test also writes what it shows at
//! 1280 × 800 into docs/workbench-*.png (the README's pictures of the workbench).
//!
//! Like the HTML report's rendering test, these need Chromium, chromedriver and a font with
//! Chinese glyphs: missing, they are skipped with a note, or fail under CI (`CI` set).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::serve_api::Server;
use crate::support::{Scratch, Test, repo_path};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long the page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------
// The browser and the server

/// Whether the browser tests can run (see the module's comment).
fn can_drive() -> bool {
    let chinese_font = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty());
    let missing: Vec<&str> = [
        (!Path::new(CHROMIUM).exists()).then_some("chromium"),
        (!Path::new(CHROMEDRIVER).exists()).then_some("chromium-driver"),
        (!chinese_font).then_some("fonts-noto-cjk"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() {
        return true;
    }
    let install = format!(
        "apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "Chromium, chromedriver or a Chinese font is missing: .ci/run must install them ({install})"
    );
    eprintln!("note: skipping the workbench's browser tests; to run them: {install}");
    false
}

/// A process this test started, ended when dropped, also when the test fails; with
/// `group`, the processes it started in turn too (chromedriver leads a process group of
/// its own, which holds the Chromium it starts).
struct Started {
    child: Child,
    group: bool,
}

impl Drop for Started {
    fn drop(&mut self) {
        if self.group {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill")
                .args(["-TERM", "--", &group])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// chromedriver on a free port, and a headless Chromium session through it, with a
/// viewport of 1280 × 800.
async fn browser() -> (Started, Client) {
    let port = free_port();
    let driver = {
        use std::os::unix::process::CommandExt;
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts")
    };
    let driver = Started {
        child: driver,
        group: true,
    };
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--lang=zh-CN", "--window-size=1280,800", "--hide-scrollbars=false"],
        },
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let start = Instant::now();
    let client = loop {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if start.elapsed() > PATIENCE => panic!("no WebDriver session: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    // The window's size includes what headless Chromium counts as its frame: grow it until
    // the page itself has 1280 × 800.
    client.set_window_size(1280, 800).await.expect("resize");
    let inner = js(&client, "return [innerWidth, innerHeight]").await;
    let (w, h) = (
        inner[0].as_u64().unwrap_or(1280),
        inner[1].as_u64().unwrap_or(800),
    );
    let (w, h) = (
        u32::try_from(2560 - w).unwrap_or(1280),
        u32::try_from(1600 - h).unwrap_or(800),
    );
    client.set_window_size(w, h).await.expect("resize");
    (driver, client)
}

/// The workbench over a fresh copy of examples/ (in the scratch folder's `examples/`,
/// started as the README starts it, `jixiao serve examples`, so the page's header says
/// `examples`), open in the browser, its first rule file loaded. Keep the returned guards
/// alive for the test's length. examples/project/ is left out: its forms name the
/// project rule sets (national-project-2020, deduction-example), not the hubei rules
/// the workbench opens with, and only one test is about them.
async fn open_workbench(name: &str) -> (Scratch, Server, Started, Client) {
    open_workbench_in(name, &[], false).await
}

/// The same with environment variables for the server.
async fn open_workbench_with(
    name: &str,
    env: &[(&str, &str)],
) -> (Scratch, Server, Started, Client) {
    open_workbench_in(name, env, false).await
}

/// The same, with examples/project/ too when `project`.
async fn open_workbench_in(
    name: &str,
    env: &[(&str, &str)],
    project: bool,
) -> (Scratch, Server, Started, Client) {
    let dir = Scratch::new(name);
    copy_dir(&repo_path("examples"), &dir.path("examples"), project);
    let server = Server::spawn(
        env.iter().fold(
            Test::new()
                .dir(dir.path(""))
                .args(["serve", "examples", "--port", "0"]),
            |test, (key, value)| test.env(key, value),
        ),
    );
    let (driver, client) = browser().await;
    client.goto(&server.url()).await.expect("the page opens");
    until(&client, "return document.body.dataset.ready === '1'").await;
    (dir, server, driver, client)
}

fn copy_dir(from: &Path, to: &Path, project: bool) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        if !project && entry.file_name() == "project" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target, project);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading and driving the page

async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("script failed ({e}): {script}"))
}

/// Waits until `script` returns something other than null, false or "" (at most
/// [`PATIENCE`]) and returns it; on timeout fails with the page's status line.
async fn until(client: &Client, script: &str) -> Value {
    let start = Instant::now();
    loop {
        let v = js(client, script).await;
        if !matches!(&v, Value::Null | Value::Bool(false)) && v != json!("") {
            return v;
        }
        if start.elapsed() > PATIENCE {
            let status = js(
                client,
                "return document.querySelector('#status').textContent",
            )
            .await;
            panic!("the page never showed it: {script}\nstatus line: {status}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the file in the editor has been analysed and has no problems.
async fn until_clean(client: &Client) {
    until(
        client,
        "return document.querySelector('#diag-count').textContent === '没有问题'",
    )
    .await;
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

async fn view(client: &Client, name: &str) {
    click(client, &format!("#tabs button[data-view={name}]")).await;
    until(
        client,
        &format!("return document.body.dataset.view === '{name}'"),
    )
    .await;
}

/// With `JIXIAO_WORKBENCH_SHOTS` set, writes what the page shows into docs/`name`.
async fn screenshot(client: &Client, name: &str) {
    if std::env::var_os("JIXIAO_WORKBENCH_SHOTS").is_none() {
        return;
    }
    // Let the caret stop blinking into the picture and the last paint land.
    js(
        client,
        "document.activeElement && document.activeElement.blur()",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(repo_path("docs").join(name), png).expect("docs/ is writable");
}

/// The texts of the cells of the rows `css` selects, row by row.
async fn rows(client: &Client, css: &str) -> Vec<Vec<String>> {
    let v = js(
        client,
        &format!(
            "return Array.from(document.querySelectorAll({css:?})).map(r => \
             Array.from(r.cells).map(c => c.textContent.trim()))"
        ),
    )
    .await;
    serde_json::from_value(v).expect("rows of texts")
}

// ---------------------------------------------------------------------------------------
// The tests

#[tokio::test(flavor = "current_thread")]
async fn an_error_typed_into_the_editor_is_underlined_at_its_line_with_the_checkers_message() {
    if !can_drive() {
        return;
    }
    let (_dir, _server, _driver, c) = open_workbench("editor").await;
    until_clean(&c).await;
    // Both keyword sets highlighted (the language service's tokens, the same `jixiao lsp`
    // gives): the Chinese file's keywords, then an English file's, with built-in names
    // (权重, weight, B, A) apart from the names a file declares.
    let kinds = "const words = c => Array.from(document.querySelectorAll('#hl .' + c)).map(s => s.textContent); \
                 return [words('kw').slice(0, 5), words('builtin').slice(0, 3), words('name').slice(0, 2)]";
    assert_eq!(
        js(&c, kinds).await,
        json!([
            ["规则", "依据", "参数", "保留", "预算"],
            ["权重", "B", "A"],
            ["budget_weight", "budget_weight"]
        ])
    );
    click(
        &c,
        "#rule-files li[data-path=\"whatif/overshoot.rules\"] button",
    )
    .await;
    until(
        &c,
        "return document.querySelector('#editor-title').textContent === 'whatif/overshoot.rules'",
    )
    .await;
    // The colours are the language service's tokens: they come with the file's analysis.
    until(&c, "return document.querySelectorAll('#hl .kw').length > 0").await;
    assert_eq!(
        js(&c, kinds).await,
        json!([
            ["rules", "extends", "param", "param", "class"],
            ["B", "A", "weight"],
            ["overshoot", "overshoot_share"]
        ])
    );
    click(
        &c,
        "#rule-files li[data-path=\"hubei-2021-zh.rules\"] button",
    )
    .await;
    until_clean(&c).await;

    // 运行测试: the file's one test (`测试 "注2 …"` on line 46: 2 × 3916 / 4000 = 1.958 →
    // 1.96, as it expects) passes, shown at its line and in the list.
    click(&c, "#btn-test").await;
    let passed = until(
        &c,
        "const ln = document.querySelector('#gutter .ln.test-passed'); \
         const badge = document.querySelector('#hl .inline-test.passed'); \
         return ln && badge && [ln.textContent, badge.textContent, document.querySelector('#test-summary').textContent]",
    )
    .await;
    assert_eq!(passed, json!(["46", "✓ 通过", "测试：通过 1，未通过 0"]));

    // 格式化: spaces typed into line 5 are taken out again.
    js(
        &c,
        "const t = document.querySelector('#source'); const at = t.value.indexOf(' = 20'); \
         t.focus(); t.setSelectionRange(at, at);",
    )
    .await;
    c.find(Locator::Css("#source"))
        .await
        .expect("the editor")
        .send_keys("   ")
        .await
        .expect("typing");
    click(&c, "#btn-format").await;
    until(
        &c,
        "return document.querySelector('#source').value.split('\\n')[4] === '参数 budget_weight = 20'",
    )
    .await;

    // The caret at the end of line 5, `参数 budget_weight = 20`, then typed as keys.
    js(
        &c,
        "const t = document.querySelector('#source'); \
         const at = t.value.indexOf('budget_weight = 20') + 'budget_weight = 20'.length; \
         t.focus(); t.setSelectionRange(at, at);",
    )
    .await;
    c.find(Locator::Css("#source"))
        .await
        .expect("the editor")
        .send_keys(" + 预算系数")
        .await
        .expect("typing");

    // The checker's diagnostic, in the list: line 5 (0-based 4), its code, its message.
    let item = until(
        &c,
        "const li = document.querySelector('#diagnostics li.diag.error'); \
         return li && [li.dataset.line, li.dataset.code, li.querySelector('.msg').textContent]",
    )
    .await;
    assert_eq!(item[0], "4", "{item}");
    assert!(
        item[1]
            .as_str()
            .unwrap_or("")
            .ends_with("check::unknown_name"),
        "{item}"
    );
    assert_eq!(item[2], "未知名称「预算系数」", "{item}");
    // Underlined exactly there: the wavy span holds the name, nothing more; the gutter
    // marks line 5 and no other.
    let under = js(
        &c,
        "return Array.from(document.querySelectorAll('#hl .squiggle-error')).map(s => s.textContent).join('')",
    )
    .await;
    assert_eq!(under, "预算系数");
    let marked = js(
        &c,
        "return Array.from(document.querySelectorAll('#gutter .ln.err')).map(l => l.textContent)",
    )
    .await;
    assert_eq!(marked, json!(["5"]));
    screenshot(&c, "workbench-rules.png").await;

    // Clicking the diagnostic puts the caret on its line, at the name.
    click(&c, "#diagnostics li.diag.error").await;
    let caret = js(
        &c,
        "const t = document.querySelector('#source'); \
         return t.value.slice(t.selectionStart, t.selectionStart + 4)",
    )
    .await;
    assert_eq!(caret, "预算系数");

    // Removing it (End, then a backspace per character typed) clears the list: the
    // answer to the newest text is the one shown.
    c.find(Locator::Css("#source"))
        .await
        .expect("the editor")
        .send_keys(&format!(
            "\u{E010}{}",
            "\u{E003}".repeat(" + 预算系数".chars().count())
        ))
        .await
        .expect("backspaces");
    until_clean(&c).await;
    c.close().await.expect("the session ends");
}

#[tokio::test(flavor = "current_thread")]
async fn budget_weight_changed_in_the_whatif_moves_every_total_and_the_grade_matrix() {
    if !can_drive() {
        return;
    }
    let (_dir, _server, _driver, c) = open_workbench("whatif").await;
    view(&c, "whatif").await;
    until(
        &c,
        "return document.querySelector('#params input[data-param=budget_weight]')",
    )
    .await;

    let input = c
        .find(Locator::Css("#params input[data-param=budget_weight]"))
        .await
        .expect("the parameter's input");
    input.clear().await.expect("cleared");
    input.send_keys("10").await.expect("typed");

    // Worked out in the module's comment: each form's total before and after, 优 → 良.
    // Waits for the first re-scored total to show (at 20, nothing moves).
    until(
        &c,
        "return Array.from(document.querySelectorAll('#impact-totals tbody tr')) \
           .some(r => r.cells[2].textContent !== r.cells[3].textContent) && \
         !document.querySelector('#impact').classList.contains('is-stale')",
    )
    .await;
    let mut totals: Vec<Vec<String>> = rows(&c, "#impact-totals tbody tr")
        .await
        .into_iter()
        .filter(|r| r[1].ends_with(".toml"))
        .map(|r| {
            vec![
                r[0].clone(),
                r[2].clone(),
                r[3].clone(),
                r[4].clone(),
                r[5].clone(),
                r[6].clone(),
            ]
        })
        .collect();
    totals.sort();
    assert_eq!(
        totals,
        [
            ["某县教育局", "91.26", "81.86", "-9.40", "优", "良"],
            [
                "通城县人力资源和社会保障局",
                "96.53",
                "86.53",
                "-10.00",
                "优",
                "良"
            ],
        ]
    );
    let moved = js(
        &c,
        "const td = document.querySelector('#grade-matrix td[data-from=\"优\"][data-to=\"良\"]'); \
         return td && td.textContent",
    )
    .await;
    assert_eq!(moved, "2");
    let stayed = js(
        &c,
        "const td = document.querySelector('#grade-matrix td[data-from=\"优\"][data-to=\"优\"]'); \
         return td ? td.textContent : ''",
    )
    .await;
    assert_eq!(stayed, "", "no form stays at 优");
    screenshot(&c, "workbench-whatif.png").await;

    // 导出对比 → Excel: the page asks for the comparison as a workbook and offers it as a
    // download named for the rules (`规则 "hubei-2021"`). The download itself is stopped
    // here (nothing is written into the browser's folder); the file it would save is
    // kept to be looked at: a zip, as an xlsx file is.
    js(
        &c,
        "window.probe = { names: [], blobs: [] };          const made = URL.createObjectURL;          URL.createObjectURL = b => { window.probe.blobs.push(b); return made(b); };          document.addEventListener('click', e => {            if (e.target.matches('a[download]')) { window.probe.names.push(e.target.download); e.preventDefault(); }          }, true);",
    )
    .await;
    click(&c, "#view-whatif button[data-export=\"xlsx\"]").await;
    let name = until(&c, "return window.probe.names[0]").await;
    assert_eq!(name, "对比报告-hubei-2021.xlsx");
    js(
        &c,
        "const b = window.probe.blobs[0];          b.arrayBuffer().then(a => { window.probe.head = [b.type, Array.from(new Uint8Array(a.slice(0, 4)))]; });",
    )
    .await;
    assert_eq!(
        until(&c, "return window.probe.head").await,
        json!([
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            [0x50, 0x4b, 3, 4]
        ])
    );
    assert_eq!(
        js(&c, "return document.querySelector('#status').textContent").await,
        "已下载对比报告：对比报告-hubei-2021.xlsx"
    );

    // Back to 20: nothing moves any more.
    input.clear().await.expect("cleared");
    input.send_keys("20").await.expect("typed");
    until(
        &c,
        "const td = document.querySelector('#grade-matrix td[data-from=\"优\"][data-to=\"良\"]'); \
         return !td || td.textContent === ''",
    )
    .await;

    // An error typed into the rules (the editor sits beside the parameters): nothing can be
    // scored, so the last results stay, marked 已过期.
    js(
        &c,
        "const t = document.querySelector('#source'); t.focus(); t.setSelectionRange(t.value.length, t.value.length);",
    )
    .await;
    c.find(Locator::Css("#source"))
        .await
        .expect("the editor")
        .send_keys("\u{E007}等级 优 >= 未知")
        .await
        .expect("typing");
    until(
        &c,
        "return !document.querySelector('#impact-stale').hidden && \
         document.querySelector('#impact').classList.contains('is-stale')",
    )
    .await;
    let kept = rows(&c, "#impact-totals tbody tr").await;
    assert!(
        kept.iter().any(|r| r[0] == "某县教育局" && r[2] == "91.26"),
        "{kept:?}"
    );

    view(&c, "reports").await;
    screenshot(&c, "workbench-reports.png").await;
    c.close().await.expect("the session ends");
}

#[tokio::test(flavor = "current_thread")]
async fn the_checked_in_workbook_dropped_on_the_page_is_imported_saved_and_scored() {
    if !can_drive() {
        return;
    }
    let (dir, _server, _driver, c) = open_workbench("import").await;
    view(&c, "forms").await;
    until(
        &c,
        "return document.querySelectorAll('#forms-table tbody tr').length >= 2",
    )
    .await;

    let outside = Scratch::new("import-source");
    let workbook = outside.copy(
        "tests/fixtures/import/tongcheng-2021.xlsx",
        "tongcheng-import.xlsx",
    );
    drop_file(&c, &workbook).await;

    // The TOML, with each value's cell above it.
    let toml = until(
        &c,
        "const t = document.querySelector('#import-toml').textContent; \
         return t.includes('planned') && t",
    )
    .await;
    let toml = toml.as_str().unwrap_or("");
    assert!(
        toml.contains("# Sheet1!C6") && toml.contains("planned = \"12174.8万元\""),
        "{toml}"
    );
    screenshot(&c, "workbench-import.png").await;

    click(&c, "#btn-import-save").await;
    // Scored in the table: the same form as tongcheng-2021.toml, so 96.53, 优.
    let row = row_when_shown(&c, "tongcheng-import.toml").await;
    assert_eq!(row[0], "通城县人力资源和社会保障局", "{row}");
    assert_eq!(row[3], "96.53", "{row}");
    assert_eq!(row[4], "优", "{row}");
    let saved = std::fs::read_to_string(dir.path("examples/tongcheng-import.toml"))
        .expect("saved in the folder");
    assert!(saved.contains("planned = \"12174.8万元\""), "{saved}");

    // The printed form's text in the folder shows only the reported scores: its row says
    // how to read it.
    let in_folder = row_when_shown(&c, "tongcheng-2021-form.txt").await;
    assert!(
        in_folder[3]
            .as_str()
            .unwrap_or("")
            .ends_with("勾选「没有分值时按自评得分作为分值」，或用 jixiao serve --weights reported 启动工作台）"),
        "{in_folder}"
    );
    // Dropped on the page: refused, with the box that takes them as weights pointed out;
    // ticked, the form converts, one warning a goal.
    let printed = outside.copy("examples/tongcheng-2021-form.txt", "printed.txt");
    drop_file(&c, &printed).await;
    let status = until(
        &c,
        "return document.querySelector('#import-weights-label').classList.contains('suggest') \
                && document.querySelector('#status').textContent",
    )
    .await;
    assert!(
        status
            .as_str()
            .unwrap_or("")
            .contains("表中没有分值（权重）列"),
        "{status}"
    );
    click(&c, "#import-weights").await;
    let warned = until(
        &c,
        "const t = document.querySelector('#import-toml').textContent; \
         return t.includes('planned') && \
           Array.from(document.querySelectorAll('#import-warnings code')).map(c => c.textContent)",
    )
    .await;
    // The two repairs of the extracted text, then one warning for each of the seven goals.
    let mut expected = vec!["jixiao::import::repaired"; 2];
    expected.extend(["jixiao::import::weights_from_reported"; 7]);
    assert_eq!(warned, json!(expected));
    click(&c, "#btn-import-save").await;
    // Scored with the reported scores as weights: 92.21 (`jixiao score --weights reported
    // examples/tongcheng-2021-form.txt` gives the same).
    let row = row_when_shown(&c, "printed.toml").await;
    assert_eq!(row[3], "92.21", "{row}");
    let saved =
        std::fs::read_to_string(dir.path("examples/printed.toml")).expect("saved in the folder");
    assert!(
        saved.contains("（自评得分，按 --weights reported 作为权重）"),
        "{saved}"
    );
    c.close().await.expect("the session ends");
}

/// The texts of the cells of the forms table's row whose path ends with `suffix`, once
/// it is there.
async fn row_when_shown(c: &Client, suffix: &str) -> Value {
    until(
        c,
        &format!(
            "const r = document.querySelector('#forms-table tr[data-path$={suffix:?}]'); \
             return r && Array.from(r.cells).map(c => c.textContent.trim())"
        ),
    )
    .await
}

/// Drops the file at `path` on the page as a drag from the desktop would. The browser
/// only reads a file a person picked: it is picked into a scratch input first.
async fn drop_file(c: &Client, path: &str) {
    js(
        c,
        "const i = document.createElement('input'); i.type = 'file'; i.id = 'probe'; \
         i.style.display = 'block'; document.body.append(i);",
    )
    .await;
    c.find(Locator::Css("#probe"))
        .await
        .expect("the probe")
        .send_keys(path)
        .await
        .expect("a file picked");
    js(
        c,
        "const dt = new DataTransfer(); dt.items.add(document.querySelector('#probe').files[0]); \
         for (const type of ['dragenter', 'dragover', 'drop']) \
           document.querySelector('main').dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true })); \
         document.querySelector('#probe').remove();",
    )
    .await;
}

/// The forms table while the server reads the folder: the rows read so far at once, in
/// reading order, with how far it has got, sorting held back; then the whole table. The
/// test hook `JIXIAO_SERVE_TEST_HOLD=1` stops the read after the first form (by path:
/// county-education-2022.toml, 91.26) until the file `.jixiao-test-resume` appears, so the
/// page is seen mid-read on any machine.
#[tokio::test(flavor = "current_thread")]
async fn the_forms_table_shows_the_forms_read_so_far_then_every_form() {
    if !can_drive() {
        return;
    }
    let (dir, _server, _driver, c) =
        open_workbench_with("reading", &[("JIXIAO_SERVE_TEST_HOLD", "1")]).await;
    view(&c, "forms").await;
    // The three forms of examples/ (two TOML, the text form that lacks weights), one read.
    let progress = until(
        &c,
        "const p = document.querySelector('#forms-progress'); \
         return !p.hidden && document.querySelector('#forms-read').textContent === '1 / 3' && p.textContent",
    )
    .await;
    assert!(
        progress
            .as_str()
            .unwrap_or("")
            .starts_with("正在读取表单 1 / 3"),
        "{progress}"
    );
    let read: Vec<Vec<String>> = rows(&c, "#forms-table tbody tr").await;
    assert_eq!(read.len(), 1, "{read:?}");
    assert_eq!(
        (
            read[0][0].as_str(),
            read[0][3].as_str(),
            read[0][4].as_str()
        ),
        ("某县教育局", "91.26", "优")
    );
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('#forms-table th.sorted').length"
        )
        .await,
        0
    );
    // A heading clicked meanwhile says why it does not sort; nothing claims to be empty.
    click(&c, "#forms-table th[data-key=total]").await;
    let status = js(&c, "return document.querySelector('#status').textContent").await;
    assert_eq!(status, "表单仍在读取（1 / 3），读取完后才能排序");
    assert_eq!(
        js(&c, "return document.querySelector('#forms-empty').hidden").await,
        true
    );

    dir.write("examples/.jixiao-test-resume", "");
    until(
        &c,
        "return document.querySelector('#forms-progress').hidden && \
         document.querySelectorAll('#forms-table tbody tr').length === 3",
    )
    .await;
    // Every form, sorted by 计算总分 as the table opens, the one not scored last.
    let all: Vec<(String, String)> = rows(&c, "#forms-table tbody tr")
        .await
        .into_iter()
        .map(|r| (r[1].clone(), r[3].clone()))
        .collect();
    assert_eq!(
        all[0],
        ("tongcheng-2021.toml".to_owned(), "96.53".to_owned())
    );
    assert_eq!(
        all[1],
        ("county-education-2022.toml".to_owned(), "91.26".to_owned())
    );
    assert_eq!(all[2].0, "tongcheng-2021-form.txt");
    assert!(all[2].1.starts_with("未能计分"), "{all:?}");
    assert_eq!(
        js(
            &c,
            "return document.querySelector('#forms-table th.sorted').dataset.key"
        )
        .await,
        "total"
    );
    c.close().await.expect("the session ends");
}

/// examples/project/'s forms name their rules (`[form] rules = "national-project-2020"`):
/// under the hubei rules the page opens with, their totals are marked; open the rules
/// they name and the mark goes, the total the one tests/bundled.rs works out.
#[tokio::test(flavor = "current_thread")]
async fn a_form_naming_other_rules_is_marked_until_its_rules_are_open() {
    if !can_drive() {
        return;
    }
    let (_dir, _server, _driver, c) = open_workbench_in("other-rules", &[], true).await;
    view(&c, "forms").await;
    let cell = "const r = document.querySelector('#forms-table tr[data-path=\"project/project-2022.toml\"]'); \
                const t = r && r.querySelector('td.total'); \
                return t && [t.classList.contains('other-rules'), t.textContent.trim()]";
    let marked = until(&c, cell).await;
    assert_eq!(marked, json!([true, "注明按 national-project-2020 105.63"]));
    // The department-wide seed form names no rules: unmarked.
    let seed = until(
        &c,
        "const t = document.querySelector('#forms-table tr[data-path=\"tongcheng-2021.toml\"] td.total'); \
         return t && [t.classList.contains('other-rules'), t.textContent.trim()]",
    )
    .await;
    assert_eq!(seed, json!([false, "96.53"]));
    view(&c, "rules").await;
    click(
        &c,
        "#rule-files li[data-path=\"bundled:national-project-2020\"] button",
    )
    .await;
    view(&c, "forms").await;
    let unmarked = until(
        &c,
        "const t = document.querySelector('#forms-table tr[data-path=\"project/project-2022.toml\"] td.total'); \
         return t && !t.classList.contains('other-rules') && t.textContent.trim()",
    )
    .await;
    assert_eq!(unmarked, json!("96.11"));
    c.close().await.expect("the session ends");
}

#[tokio::test(flavor = "current_thread")]
async fn a_score_clicked_on_the_paper_form_leads_to_its_rule_line() {
    if !can_drive() {
        return;
    }
    let (_dir, _server, _driver, c) = open_workbench("explain").await;
    view(&c, "forms").await;
    until(&c, "return document.querySelector('#forms-table tr[data-path$=\"tongcheng-2021.toml\"] .total') && \
               document.querySelector('#forms-progress').hidden").await;

    // Sortable: by 计算总分, highest first, then lowest first.
    let order = |rows: Vec<Vec<String>>| -> Vec<String> {
        rows.into_iter()
            .filter(|r| r[1].ends_with(".toml"))
            .map(|r| r[3].clone())
            .collect()
    };
    assert_eq!(
        order(rows(&c, "#forms-table tbody tr").await),
        ["96.53", "91.26"]
    );
    click(&c, "#forms-table th[data-key=total]").await;
    assert_eq!(
        order(rows(&c, "#forms-table tbody tr").await),
        ["91.26", "96.53"]
    );
    // Filterable: by a part of the department's name.
    let filter = c
        .find(Locator::Css("#form-filter"))
        .await
        .expect("the filter");
    filter.send_keys("教育").await.expect("typed");
    let left: Vec<String> = rows(&c, "#forms-table tbody tr")
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(left, ["某县教育局"]);
    filter.clear().await.expect("cleared");
    js(
        &c,
        "document.querySelector('#form-filter').dispatchEvent(new Event('input'))",
    )
    .await;

    click(&c, "#forms-table tr[data-path$=\"tongcheng-2021.toml\"]").await;
    until(
        &c,
        "return document.querySelector('#form-detail .paper-table')",
    )
    .await;
    // 职业技能培训人次: 2 × 3916 / 4000 = 1.958 → 1.96, the first indicator's score.
    let first = js(
        &c,
        "return document.querySelector('#form-detail tr.indicator button.score').textContent",
    )
    .await;
    assert_eq!(first, "1.96");
    click(&c, "#form-detail tr.indicator button.score").await;
    let steps = until(
        &c,
        "const e = document.querySelector('#explain'); return e && e.textContent",
    )
    .await;
    assert!(
        steps
            .as_str()
            .unwrap_or("")
            .contains("2 × 3916 / 4000 = 1.958"),
        "{steps}"
    );
    screenshot(&c, "workbench-forms.png").await;

    // The step that computed it names hubei-2021-zh.rules line 28, `得分 权重 * B / A` of
    // 类别 正向: the link opens it in the editor with the caret and the highlight there.
    let link = js(
        &c,
        "const a = Array.from(document.querySelectorAll('#explain a.rule-link')) \
           .find(a => a.parentElement.textContent.includes('3916 / 4000')); \
         a.id = 'the-link'; return [a.dataset.file, a.dataset.line]",
    )
    .await;
    assert!(
        link[0]
            .as_str()
            .unwrap_or("")
            .ends_with("hubei-2021-zh.rules"),
        "{link}"
    );
    assert_eq!(link[1], "28");
    click(&c, "#the-link").await;
    until(&c, "return document.body.dataset.view === 'rules'").await;
    let at = until(
        &c,
        "const t = document.querySelector('#source'); const f = document.querySelector('#line-flash'); \
         if (f.hidden) return null; \
         const line = t.value.slice(0, t.selectionStart).split('\\n').length; \
         return [line, t.value.split('\\n')[line - 1].trim(), document.querySelector('#editor-title').textContent]",
    )
    .await;
    assert_eq!(at, json!([28, "得分 权重 * B / A", "hubei-2021-zh.rules"]));
    c.close().await.expect("the session ends");
}

#[tokio::test(flavor = "current_thread")]
async fn a_save_over_a_file_changed_elsewhere_is_refused_and_loses_neither_edit() {
    if !can_drive() {
        return;
    }
    let (dir, _server, _driver, c) = open_workbench("stale").await;
    let path = dir.path("examples/hubei-2021-zh.rules");

    // An edit on the page, then the file changed on disk (another tab, another editor).
    js(
        &c,
        "const t = document.querySelector('#source'); t.focus(); t.setSelectionRange(t.value.length, t.value.length);",
    )
    .await;
    c.find(Locator::Css("#source"))
        .await
        .expect("the editor")
        .send_keys("\u{E007}# 页面上的修改")
        .await
        .expect("typing");
    let mut elsewhere = std::fs::read_to_string(&path).expect("the rule file");
    elsewhere.push_str("# 别处的修改\n");
    std::fs::write(&path, &elsewhere).expect("changed elsewhere");

    click(&c, "#btn-save").await;
    let asked = until(
        &c,
        "const d = document.querySelector('#dialog'); \
         return d.open && [d.querySelector('#dialog-title').textContent, d.querySelector('#dialog-text').textContent]",
    )
    .await;
    assert_eq!(asked[0], "文件已在别处修改", "{asked}");
    assert!(
        asked[1]
            .as_str()
            .unwrap_or("")
            .contains("hubei-2021-zh.rules"),
        "{asked}"
    );
    // Keeping the page's edit: the file still holds the other one, the editor this one.
    click(&c, "#dialog-cancel").await;
    assert_eq!(
        std::fs::read_to_string(&path).expect("the rule file"),
        elsewhere
    );
    let kept = js(
        &c,
        "return document.querySelector('#source').value.endsWith('# 页面上的修改')",
    )
    .await;
    assert_eq!(kept, true);
    c.close().await.expect("the session ends");
}

#[tokio::test(flavor = "current_thread")]
async fn a_slow_answer_about_older_text_never_replaces_the_newer_one() {
    if !can_drive() {
        return;
    }
    let (_dir, _server, _driver, c) = open_workbench("latest").await;
    until_clean(&c).await;
    // The network made slow for the check of any text with the error in it: its answer
    // comes two seconds late (and cannot be cancelled), after the error is gone.
    js(
        &c,
        "const fetch0 = window.fetch; window.slow = { sent: 0, answered: 0 }; \
         window.fetch = (url, opts) => { \
           if (!String(url).includes('/api/analyze') || !String(opts.body).includes('预算系数')) return fetch0(url, opts); \
           window.slow.sent++; \
           const late = new Promise(r => setTimeout(r, 2000)).then(() => fetch0(url, { ...opts, signal: undefined })); \
           late.finally(() => setTimeout(() => window.slow.answered++, 100)); \
           return late; \
         }; \
         const t = document.querySelector('#source'); \
         const at = t.value.indexOf('budget_weight = 20') + 'budget_weight = 20'.length; \
         t.focus(); t.setSelectionRange(at, at);",
    )
    .await;
    let editor = c.find(Locator::Css("#source")).await.expect("the editor");
    editor.send_keys(" + 预算系数").await.expect("typing");
    until(&c, "return window.slow.sent > 0").await;
    editor
        .send_keys(&"\u{E003}".repeat(" + 预算系数".chars().count()))
        .await
        .expect("backspaces");
    // The newer text's answer (no problem) shows first; the late one, about the error,
    // arrives and is dropped.
    until(&c, "return window.slow.answered > 0").await;
    let shown = js(
        &c,
        "return [document.querySelector('#diag-count').textContent, \
                 document.querySelectorAll('#diagnostics li, #hl .squiggle-error, #gutter .ln.err').length]",
    )
    .await;
    assert_eq!(shown, json!(["没有问题", 0]));
    c.close().await.expect("the session ends");
}

#[tokio::test(flavor = "current_thread")]
async fn a_whatif_saved_as_a_variant_extends_the_rules_with_the_parameter_set() {
    if !can_drive() {
        return;
    }
    let (dir, _server, _driver, c) = open_workbench("variant").await;
    view(&c, "whatif").await;
    until(
        &c,
        "return document.querySelector('#params input[data-param=budget_weight]')",
    )
    .await;
    let input = c
        .find(Locator::Css("#params input[data-param=budget_weight]"))
        .await
        .expect("the parameter's input");
    input.clear().await.expect("cleared");
    input.send_keys("10").await.expect("typed");

    click(&c, "#btn-save-variant").await;
    let name = until(
        &c,
        "const d = document.querySelector('#dialog'); return d.open && document.querySelector('#dialog-input').value",
    )
    .await;
    assert_eq!(name, "hubei-2021-zh-变体.rules");
    click(&c, "#dialog-ok").await;

    // The new file is open, compared with the one it extends: the same move as setting
    // the parameter, 优 → 良 for both forms.
    until(
        &c,
        "return document.querySelector('#editor-title').textContent === 'hubei-2021-zh-变体.rules' && \
         document.querySelector('#baseline').value === 'hubei-2021-zh.rules'",
    )
    .await;
    until(
        &c,
        "const td = document.querySelector('#grade-matrix td[data-from=\"优\"][data-to=\"良\"]'); \
         return td && td.textContent === '2'",
    )
    .await;
    let text =
        std::fs::read_to_string(dir.path("examples/hubei-2021-zh-变体.rules")).expect("written");
    assert!(text.contains("extends \"hubei-2021-zh.rules\""), "{text}");
    assert!(text.contains("param budget_weight = 10"), "{text}");
    c.close().await.expect("the session ends");
}

#[tokio::test(flavor = "current_thread")]
async fn hover_and_completion_in_the_editor_are_the_language_services() {
    if !can_drive() {
        return;
    }
    let (_dir, _server, _driver, c) = open_workbench("assist").await;
    until_clean(&c).await;
    // The mouse resting on `budget_weight` of line 5 (`参数 budget_weight = 20`, 0-based
    // line 4, the name from character 3): the param's value and where it is set, as
    // `jixiao lsp` says it.
    js(
        &c,
        "const p = pointOf(4, 4); const { lh } = metrics(); \
         ed.ta.dispatchEvent(new MouseEvent('mousemove', { clientX: p.left - scrollX, \
         clientY: p.top - scrollY - lh / 2, bubbles: true }));",
    )
    .await;
    let hover = until(
        &c,
        "const h = document.querySelector('#hover'); return h && h.textContent",
    )
    .await;
    let hover = hover.as_str().unwrap_or_default();
    assert!(hover.starts_with("参数 budget_weight = 20"), "{hover}");
    assert!(
        hover.contains("在 hubei-2021-zh.rules 第 5 行设置"),
        "{hover}"
    );
    // Ctrl+Space after `参` typed on a new last line: the Chinese keywords (the file
    // writes Chinese), not the English ones; Enter inserts the chosen one.
    js(
        &c,
        "const t = document.querySelector('#source'); t.focus(); \
         t.setSelectionRange(t.value.length, t.value.length);",
    )
    .await;
    c.find(Locator::Css("#source"))
        .await
        .expect("the editor")
        .send_keys("\n参")
        .await
        .expect("typing");
    js(
        &c,
        "ed.ta.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', ctrlKey: true, bubbles: true }))",
    )
    .await;
    let shown = until(
        &c,
        "const l = Array.from(document.querySelectorAll('#completions li .label')).map(e => e.textContent); \
         return l.length ? l : null",
    )
    .await;
    assert_eq!(shown, json!(["参数"]), "only what begins with 参");
    js(
        &c,
        "ed.ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))",
    )
    .await;
    let last = until(
        &c,
        "const lines = document.querySelector('#source').value.split('\\n'); \
         const last = lines[lines.length - 1]; return last !== '参' && last",
    )
    .await;
    assert_eq!(last, "参数");
    assert_eq!(
        js(&c, "return document.querySelector('#completions')").await,
        Value::Null
    );
    c.close().await.expect("the session ends");
}
