//! `jixiao lsp` driven as an editor drives it: real JSON-RPC messages over the child's
//! stdin and stdout. Every range below is counted by hand in UTF-16 units (a Chinese
//! character is one unit), in comments beside it.

use std::collections::VecDeque;
use std::io::{BufReader, Read, Write};
use std::process::{Child, ChildStdin};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Scratch, Test, repo_file, wait_or_kill};

/// A running `jixiao lsp` and what it has sent that no one has asked for yet.
struct Lsp {
    child: Child,
    stdin: ChildStdin,
    received: Receiver<Value>,
    /// Notifications (and stray responses) read while waiting for something else.
    stash: VecDeque<Value>,
    next_id: i64,
}

#[path = "../benches/common/frames.rs"]
mod frames;

/// Reads framed messages from `out` until it ends.
fn reader(out: impl Read + Send + 'static) -> Receiver<Value> {
    let (send, received) = channel();
    std::thread::spawn(move || {
        let mut out = BufReader::new(out);
        while let Some(value) = frames::read(&mut out) {
            if send.send(value).is_err() {
                return;
            }
        }
    });
    received
}

impl Lsp {
    fn start(dir: &Scratch) -> Self {
        Self::spawn(dir.test())
    }

    /// Starts `jixiao lsp` as `test` runs the binary.
    fn spawn(test: Test) -> Self {
        let mut child = test.arg("lsp").spawn_piped();
        let stdin = child.stdin.take().expect("stdin");
        let received = reader(child.stdout.take().expect("stdout"));
        Self {
            child,
            stdin,
            received,
            stash: VecDeque::new(),
            next_id: 0,
        }
    }

    /// Starts it and initializes it with `dir` as the workspace folder.
    fn initialized(dir: &Scratch) -> Self {
        let mut lsp = Self::start(dir);
        let root = uri(&dir.path(""));
        let result = lsp.request(
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [{"uri": root, "name": "ws"}]}),
        );
        assert_eq!(result["result"]["serverInfo"]["name"], "jixiao");
        lsp.notify("initialized", json!({}));
        lsp
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("the server reads");
        self.stdin.flush().expect("flushed");
    }

    fn send(&mut self, message: &Value) {
        frames::write(&mut self.stdin, message).expect("the server reads");
    }

    fn next(&mut self) -> Value {
        self.received
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    /// Sends a request and waits for its response (the whole message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(&json!(id))
    }

    /// Waits for the response whose id is `id`.
    fn response(&mut self, id: &Value) -> Value {
        loop {
            let m = self.next();
            if m.get("id") == Some(id) && m.get("method").is_none() {
                return m;
            }
            self.stash.push_back(m);
        }
    }

    /// A request's result, which must not be an error.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.stash.clear();
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "jixiao", "version": 1, "text": text}}),
        );
    }

    /// The next diagnostics published for `uri` (stashed ones first).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.stash.iter().position(published) {
            let m = self.stash.remove(i).expect("there");
            return m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            let m = self.next();
            if published(&m) {
                return m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.stash.push_back(m);
        }
    }

    /// `shutdown`, `exit`, and the exit status.
    fn stop(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null);
        self.notify("exit", Value::Null);
        self.status()
    }

    fn status(mut self) -> i32 {
        drop(self.stdin);
        let status = wait_or_kill(&mut self.child, Duration::from_secs(60)).expect("it ends");
        status.code().expect("an exit code")
    }
}

fn uri(path: &std::path::Path) -> String {
    let real = path
        .canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    let mut out = String::from("file://");
    for b in real.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

/// A base in English with a parameter and a class, and a variant in Chinese that
/// overrides both.
const BASE: &str = "rules \"base\" \"基础规则\"\nextends \"hubei-2021\"\nparam full = 10\n# 注1 正向指标按完成率计分\nclass positive \"正向指标\" for numbers:\n    score min(weight * B / A, full)\n";
const VARIANT: &str = "规则 \"v\" \"变体\"\n继承 \"base.rules\"\n参数 full = 8\n类别 positive \"正向指标\" 适用 数值:\n    得分 权重 * B / A\n";

fn workspace(name: &str) -> Scratch {
    let dir = Scratch::new(name);
    dir.write("base.rules", BASE);
    dir.write("v.rules", VARIANT);
    dir
}

#[test]
fn diagnostics_have_codes_utf16_ranges_help_and_a_fix() {
    let dir = workspace("diagnostics");
    let mut lsp = Lsp::initialized(&dir);
    let bad = uri(&dir.path("")) + "/bad.rules";
    // Line 3: four spaces, 得分 (4–5), space, 权重 (7–8), ` * `, 完成率 (12–14), ` / `,
    // mn (18–19).
    lsp.open(
        &bad,
        "规则 \"bad\" \"有错\"\n继承 \"hubei-2021\"\n类别 positive \"正向指标\" 适用 数值:\n    得分 权重 * 完成率 / mn(A, B)\n",
    );
    let d = lsp.diagnostics(&bad);
    let shown: Vec<(Value, Value, Value)> = d
        .iter()
        .map(|d| (d["code"].clone(), d["range"].clone(), d["severity"].clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                json!("jixiao::check::unknown_name"),
                range(3, 12, 3, 15),
                json!(1)
            ),
            (
                json!("jixiao::check::unknown_function"),
                range(3, 18, 3, 20),
                json!(1)
            ),
        ]
    );
    let message = d[1]["message"].as_str().unwrap();
    assert!(message.starts_with("未知函数「mn」\n帮助："), "{message}");
    assert!(
        d[1]["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/docs/diagnostics.md")
    );
    assert_eq!(d[1]["source"], "jixiao");
    // The did-you-mean as a quick fix: `mn` → `min`, and nothing for 完成率 (three
    // characters, no name within one edit).
    let actions = lsp.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": bad}, "range": range(3, 0, 3, 30), "context": {"diagnostics": []}}),
    );
    assert_eq!(actions.as_array().unwrap().len(), 1, "{actions}");
    assert_eq!(actions[0]["title"], "改为「min」");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(
        actions[0]["edit"]["changes"][&bad],
        json!([{"range": range(3, 18, 3, 20), "newText": "min"}])
    );
    // Two overlapping bands: the error at the lower band's interval, the other band as a
    // related place. Line 8, `    band 部分达成 [50%, 80%]`: the interval is characters
    // 14–23 (after 4 spaces, band, a space, 4 characters and a space); line 7,
    // `    band 达成     [80%, 100%]`, 16–26.
    let bands = uri(&dir.path("")) + "/bands.rules";
    lsp.open(
        &bands,
        &repo_file("tests/fixtures/bad-rules/band_overlap_both_ends_inclusive.rules"),
    );
    let d = lsp.diagnostics(&bands);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "jixiao::check::band_overlap");
    assert_eq!(d[0]["range"], range(8, 14, 8, 24));
    assert_eq!(
        d[0]["relatedInformation"],
        json!([{"location": {"uri": bands, "range": range(7, 16, 7, 27)}, "message": "「达成」"}])
    );
    // A syntax error on a Chinese line: 参数, space, 满分, space, =, space: the full-width
    // ？ is character 8.
    let syntax = uri(&dir.path("")) + "/syntax.rules";
    lsp.open(&syntax, "规则 \"s\"\n参数 满分 = ？\n");
    let d = lsp.diagnostics(&syntax);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "jixiao::syntax::unexpected");
    assert_eq!(d[0]["range"]["start"], json!({"line": 1, "character": 8}));
    assert_eq!(lsp.stop(), 0);
}

#[test]
fn an_overlays_diagnostic_about_its_base_says_so_and_open_bases_are_read_unsaved() {
    let dir = Scratch::new("overlay");
    // Line 2 of the base: `param budget_weight = ` is 22 characters, `nope` 22–25.
    dir.write(
        "broken.rules",
        "rules \"b\"\nextends \"hubei-2021\"\nparam budget_weight = nope\n",
    );
    let mut lsp = Lsp::initialized(&dir);
    let root = uri(&dir.path(""));
    let over = format!("{root}/over.rules");
    // `extends "broken.rules"`: the string is characters 8–21 (14 with its quotes).
    lsp.open(&over, "rules \"o\"\nextends \"broken.rules\"\n");
    let d = lsp.diagnostics(&over);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "jixiao::check::unknown_name");
    assert_eq!(d[0]["range"], range(1, 8, 1, 22));
    let message = d[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("未知名称「nope」（在基础规则 broken.rules 中）"),
        "{message}"
    );
    assert_eq!(
        d[0]["relatedInformation"][0]["location"],
        json!({"uri": format!("{root}/broken.rules"), "range": range(2, 22, 2, 26)})
    );
    // The base opened and fixed in the editor, not saved: the overlay is clean.
    lsp.open(
        &format!("{root}/broken.rules"),
        "rules \"b\"\nextends \"hubei-2021\"\nparam budget_weight = 30\n",
    );
    assert_eq!(lsp.diagnostics(&over), Vec::<Value>::new());
    assert_eq!(lsp.stop(), 0);
}

#[test]
fn a_base_changed_on_disk_is_seen_when_the_editor_reports_it() {
    let dir = Scratch::new("watched");
    dir.write(
        "base.rules",
        "rules \"b\"\nextends \"hubei-2021\"\nparam budget_weight = nope\n",
    );
    let mut lsp = Lsp::start(&dir);
    let root = uri(&dir.path(""));
    // An editor that lets servers register watchers is asked to watch rules and forms.
    let init = json!({
        "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
        "workspaceFolders": [{"uri": root, "name": "ws"}],
    });
    lsp.result("initialize", init);
    lsp.notify("initialized", json!({}));
    let register = lsp.next();
    assert_eq!(
        register["method"], "client/registerCapability",
        "{register}"
    );
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"],
        json!([{"globPattern": "**/*.rules"}, {"globPattern": "**/*.toml"}])
    );
    lsp.send(&json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
    let over = format!("{root}/over.rules");
    lsp.open(&over, "rules \"o\"\nextends \"base.rules\"\n");
    assert_eq!(lsp.diagnostics(&over).len(), 1, "the base's error");
    // The base fixed on disk (not open): reported, the overlay is analysed again.
    dir.write(
        "base.rules",
        "rules \"b\"\nextends \"hubei-2021\"\nparam budget_weight = 30\n",
    );
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("{root}/base.rules"), "type": 2}]}),
    );
    assert_eq!(lsp.diagnostics(&over), Vec::<Value>::new());
    assert_eq!(lsp.stop(), 0);
}

#[test]
fn hover_says_what_a_word_is() {
    let dir = workspace("hover");
    let mut lsp = Lsp::initialized(&dir);
    let root = uri(&dir.path(""));
    let v = format!("{root}/v.rules");
    lsp.open(&v, VARIANT);
    let hover = |lsp: &mut Lsp, uri: &str, line, character| {
        lsp.result("textDocument/hover", at(uri, line, character))["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // A keyword, in both languages.
    let keyword = hover(&mut lsp, &v, 2, 1);
    assert!(
        keyword.starts_with("**关键字** `param` / `参数`"),
        "{keyword}"
    );
    assert!(keyword.contains("*A parameter"), "{keyword}");
    // The param `full` (line 2, characters 3–6): its value here, where it is set, and the
    // base's declaration it overrides (base.rules line 3).
    let param = hover(&mut lsp, &v, 2, 4);
    assert!(param.starts_with("**参数** `full` = 8"), "{param}");
    assert!(param.contains("在 v.rules 第 3 行设置"), "{param}");
    assert!(
        param.contains("覆盖 base.rules 第 3 行的同名定义"),
        "{param}"
    );
    // The class `positive` (line 3, characters 3–10): its title, and in the base, the
    // comment above it.
    let class = hover(&mut lsp, &v, 3, 5);
    assert!(
        class.starts_with("**类别** `positive`「正向指标」"),
        "{class}"
    );
    assert!(
        class.contains("覆盖 base.rules 第 5 行的同名定义"),
        "{class}"
    );
    let b = format!("{root}/base.rules");
    lsp.open(&b, BASE);
    let base_class = hover(&mut lsp, &b, 4, 8);
    assert!(
        base_class.contains("注1 正向指标按完成率计分"),
        "{base_class}"
    );
    // A built-in (`权重`, line 4, characters 7–8), and `year` (年度).
    let builtin = hover(&mut lsp, &v, 4, 7);
    assert!(
        builtin.starts_with("**内置名称** `weight` / `权重`"),
        "{builtin}"
    );
    let y = format!("{root}/y.rules");
    // `class recent "近年" for numbers when ` is 35 characters: `year` is 35–38.
    lsp.open(
        &y,
        "rules \"y\"\nextends \"hubei-2021\"\nclass recent \"近年\" for numbers when year >= 2024:\n    score weight\n",
    );
    let year = hover(&mut lsp, &y, 2, 36);
    assert!(year.contains("`year` / `年度`"), "{year}");
    assert!(year.contains("表单的年度"), "{year}");
    // A band, in the bundled set opened as its virtual document: line 45 of
    // rules/hubei-2021.rules, `    band 达成 …`, 达成 at characters 9–10.
    let hubei = "jixiao:/bundled/hubei-2021.rules";
    lsp.open(hubei, &repo_file("rules/hubei-2021.rules"));
    let band = hover(&mut lsp, hubei, 44, 9);
    assert!(
        band.starts_with("**档位** `达成`（类别 `qualitative`）：得分率 [80%, 100%]"),
        "{band}"
    );
    assert_eq!(lsp.stop(), 0);
}

#[test]
fn definition_and_references_go_across_extends_into_bundled_sets() {
    let dir = workspace("definition");
    let mut lsp = Lsp::initialized(&dir);
    let root = uri(&dir.path(""));
    let (v, b) = (format!("{root}/v.rules"), format!("{root}/base.rules"));
    lsp.open(&v, VARIANT);
    // `full` declared on v's line 2 overrides base.rules line 2, `param full`: 6–9.
    let found = lsp.result("textDocument/definition", at(&v, 2, 4));
    assert_eq!(found, json!([{"uri": b, "range": range(2, 6, 2, 10)}]));
    // The `extends` string goes to the base's start.
    let found = lsp.result("textDocument/definition", at(&v, 1, 6));
    assert_eq!(found, json!([{"uri": b, "range": range(0, 0, 0, 0)}]));
    // The base's class `positive` (line 4, 6–13) overrides hubei-2021's, line 34 of the
    // file (33 from 0), `class positive`: 6–13.
    lsp.open(&b, BASE);
    let found = lsp.result("textDocument/definition", at(&b, 4, 7));
    let hubei = "jixiao:/bundled/hubei-2021.rules";
    assert_eq!(
        found,
        json!([{"uri": hubei, "range": range(33, 6, 33, 14)}])
    );
    // Its text, for the editor to show read-only: both ways of asking.
    let text = lsp.result("jixiao/bundledText", json!({"uri": hubei}));
    assert_eq!(text, json!(repo_file("rules/hubei-2021.rules")));
    let content = lsp.result("workspace/textDocumentContent", json!({"uri": hubei}));
    assert_eq!(content["text"], text);
    // References of `full` from v: its declaration there, the base's declaration, and
    // the base's use on line 5 (`    score min(weight * B / A, ` is 30 characters).
    let refs = lsp.result(
        "textDocument/references",
        json!({"textDocument": {"uri": v}, "position": {"line": 2, "character": 4}, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(
        refs,
        json!([
            {"uri": v, "range": range(2, 3, 2, 7)},
            {"uri": b, "range": range(2, 6, 2, 10)},
            {"uri": b, "range": range(5, 30, 5, 34)},
        ])
    );
    assert_eq!(lsp.stop(), 0);
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn completion_in_the_files_language_and_from_the_folders_forms() {
    let dir = workspace("completion");
    dir.write(
        "forms/a.toml",
        "[budget]\nplanned = \"100万元\"\nexecuted = \"95万元\"\n\n[[goals]]\nname = \"g\"\nweight = 90\n\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"培训人数\"\ntarget = \"100人\"\nactual = \"90人\"\nweight = 60\n\n[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"质量指标\"\nname = \"合格率\"\ntarget = \"≥95%\"\nactual = \"96%\"\nweight = 20\n\n[[goals.indicators]]\nlevel1 = \"效益指标\"\nlevel2 = \"社会效益指标\"\nname = \"覆盖\"\ntarget = \"10个\"\nactual = \"10个\"\nweight = 10\n",
    );
    let mut lsp = Lsp::initialized(&dir);
    let root = uri(&dir.path(""));
    let (v, b) = (format!("{root}/v.rules"), format!("{root}/base.rules"));
    lsp.open(&v, VARIANT);
    lsp.open(&b, BASE);
    let zh = lsp.result("textDocument/completion", at(&v, 4, 4));
    let zh_labels = labels(&zh);
    for word in [
        "参数", "类别", "档位", "权重", "年度", "min", "full", "positive",
    ] {
        assert!(
            zh_labels.iter().any(|l| l == word),
            "{word} in {zh_labels:?}"
        );
    }
    for word in ["param", "class", "weight"] {
        assert!(
            !zh_labels.iter().any(|l| l == word),
            "{word} in {zh_labels:?}"
        );
    }
    let min = zh
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "min")
        .unwrap();
    assert_eq!(min["detail"], "min(x, y, …)");
    assert_eq!(min["kind"], 3, "a function");
    let en = labels(&lsp.result("textDocument/completion", at(&b, 5, 4)));
    for word in [
        "param", "class", "band", "weight", "year", "full", "positive",
    ] {
        assert!(en.iter().any(|l| l == word), "{word} in {en:?}");
    }
    assert!(!en.iter().any(|l| l == "参数"), "{en:?}");
    // In a string after `level1 ==`: the forms' level1 names, the most written first
    // (产出指标 twice, 效益指标 once). `class output "产出" for numbers when level1 == `
    // is 45 characters: the quote is 45, 产 46, the cursor after it 47.
    let c = format!("{root}/c.rules");
    lsp.open(
        &c,
        "rules \"c\"\nextends \"hubei-2021\"\nclass output \"产出\" for numbers when level1 == \"产\n",
    );
    let values = lsp.result("textDocument/completion", at(&c, 2, 47));
    assert_eq!(labels(&values), ["产出指标", "效益指标"]);
    assert_eq!(values[0]["detail"], "一级指标（表单中 2 处）");
    assert_eq!(
        values[0]["textEdit"],
        json!({"range": range(2, 46, 2, 47), "newText": "产出指标"})
    );
    // After a number in a test's string: the units (万元 twice, 人 twice, % twice, 个
    // twice: equal counts by code point, % U+25, 万 U+4E07, 个 U+4E2A, 人 U+4EBA).
    let t = format!("{root}/t.rules");
    lsp.open(
        &t,
        "rules \"t\"\nextends \"hubei-2021\"\ntest \"x\":\n    indicator target \"100",
    );
    let units = lsp.result("textDocument/completion", at(&t, 3, 25));
    assert_eq!(labels(&units), ["%", "万元", "个", "人"]);
    // A quote typed to close a string (the trigger character, outside a string now)
    // offers nothing: `class c "标题"` with the cursor after the closing quote (12).
    let closed = format!("{root}/closed.rules");
    lsp.open(&closed, "rules \"c\"\nclass c \"标题\"");
    let after_quote = json!({"textDocument": {"uri": closed}, "position": {"line": 1, "character": 12},
        "context": {"triggerKind": 2, "triggerCharacter": "\""}});
    assert_eq!(
        lsp.result("textDocument/completion", after_quote),
        json!([])
    );
    assert_eq!(lsp.stop(), 0);
}

#[test]
fn formatting_gives_fmts_output_and_symbols_and_tokens_outline_the_file() {
    let dir = Scratch::new("formatting");
    let messy = "规则   \"m\"  \"乱\"\n继承 \"hubei-2021\"\n参数   budget_weight=  8\n类别 positive \"正向指标\" 适用 数值 :\n      得分 权重*B/A\n";
    dir.write("m.rules", messy);
    let mut lsp = Lsp::initialized(&dir);
    let m = uri(&dir.path("")) + "/m.rules";
    lsp.open(&m, messy);
    let edits = lsp.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": m}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    // One edit of the whole text: five lines, the last (line 5) empty.
    assert_eq!(edits.as_array().unwrap().len(), 1, "{edits}");
    assert_eq!(edits[0]["range"], range(0, 0, 5, 0));
    dir.test().args(["fmt", "m.rules"]).run().status(0);
    let formatted = std::fs::read_to_string(dir.path("m.rules")).unwrap();
    assert_ne!(formatted, messy);
    assert_eq!(edits[0]["newText"], formatted);
    // Formatted already: no edits.
    lsp.open(&m, &formatted);
    let none = lsp.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": m}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
    // The outline: the param (a constant, 14) and the class (5), by name.
    let symbols = lsp.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": m}}),
    );
    let outline: Vec<(Value, Value)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].clone(), s["kind"].clone()))
        .collect();
    assert_eq!(
        outline,
        [
            (json!("budget_weight"), json!(14)),
            (json!("positive"), json!(5))
        ]
    );
    // Semantic tokens of the first line, `规则 "m" "乱"`: 规则 a keyword (type 4) at 0,
    // 2 long; "m" a string (1) 3 further on, 3 long; "乱" a string 4 further, 3 long.
    let tokens = lsp.result(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": m}}),
    );
    let data = tokens["data"].as_array().unwrap();
    assert_eq!(
        data[..15],
        [0, 0, 2, 4, 0, 0, 3, 3, 1, 0, 0, 4, 3, 1, 0].map(|n| json!(n))
    );
    assert_eq!(lsp.stop(), 0);
}

#[test]
fn a_code_lens_runs_the_tests_and_their_results_are_diagnostics() {
    let dir = Scratch::new("tests");
    // hubei-2021's positive class: 10 × 90 / 100 = 9, so `expect 9` passes, `expect 8`
    // fails.
    let text = "rules \"t\"\nextends \"hubei-2021\"\ntest \"正向指标完成\":\n    indicator target \"100个\" actual \"90个\" weight 10 expect 9\ntest \"故意写错\":\n    indicator target \"100个\" actual \"90个\" weight 10 expect 8\n";
    let mut lsp = Lsp::initialized(&dir);
    let t = uri(&dir.path("")) + "/t.rules";
    lsp.open(&t, text);
    assert_eq!(lsp.diagnostics(&t), Vec::<Value>::new());
    let lenses = lsp.result("textDocument/codeLens", json!({"textDocument": {"uri": t}}));
    // Each test's name with its quotes: `"正向指标完成"` 5–12, `"故意写错"` 5–10.
    assert_eq!(
        lenses,
        json!([
            {"range": range(2, 5, 2, 13), "command": {"title": "运行测试", "command": "jixiao.runTests", "arguments": [t]}},
            {"range": range(4, 5, 4, 11), "command": {"title": "运行测试", "command": "jixiao.runTests", "arguments": [t]}},
        ])
    );
    let report = lsp.result(
        "workspace/executeCommand",
        json!({"command": "jixiao.runTests", "arguments": [t]}),
    );
    // hubei-2021's own 18 tests pass under a variant that changes nothing, and one of
    // ours: 19.
    assert_eq!(
        (&report["passed"], &report["failed"], &report["changed"]),
        (&json!(19), &json!(1), &json!(0))
    );
    let d = lsp.diagnostics(&t);
    let shown: Vec<(Value, Value)> = d
        .iter()
        .map(|d| (d["range"].clone(), d["severity"].clone()))
        .collect();
    // At each test's name with its quotes, where its lens is.
    assert_eq!(
        shown,
        [
            (range(2, 5, 2, 13), json!(4)),
            (range(4, 5, 4, 11), json!(1))
        ]
    );
    assert_eq!(d[0]["message"], "测试「正向指标完成」通过");
    let failed = d[1]["message"].as_str().unwrap();
    assert!(failed.starts_with("测试「故意写错」未通过："), "{failed}");
    // An edit clears the results.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": t, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(lsp.diagnostics(&t), Vec::<Value>::new());
    assert_eq!(lsp.stop(), 0);
}

#[test]
fn bad_input_gets_protocol_errors_and_the_server_goes_on() {
    let dir = workspace("bad-input");
    // Messages are read up to 6 × rule_bytes + 1 MiB: here 6 × 1000 + 1,048,576 =
    // 1,054,576 bytes.
    let mut lsp = Lsp::spawn(dir.test().env("JIXIAO_LIMITS", "rule_bytes=1000"));
    let root = uri(&dir.path(""));
    let v = format!("{root}/v.rules");
    // Before initialize: ServerNotInitialized.
    let early = lsp.request("textDocument/hover", at(&v, 0, 0));
    assert_eq!(early["error"]["code"], -32002);
    lsp.result("initialize", json!({"capabilities": {}, "rootUri": root}));
    lsp.notify("initialized", json!({}));
    lsp.open(&v, VARIANT);
    // Not JSON, and no Content-Length: ParseError, with a null id.
    lsp.raw(b"Content-Length: 9\r\n\r\n{\"bad\": 1");
    let parse = lsp.response(&Value::Null);
    assert_eq!(parse["error"]["code"], -32700);
    lsp.raw(b"X-Whatever: 1\r\n\r\n");
    assert_eq!(lsp.response(&Value::Null)["error"]["code"], -32700);
    // JSON, but not a message: InvalidRequest, with its id when it has one.
    lsp.send(&json!([1, 2, 3]));
    assert_eq!(lsp.response(&Value::Null)["error"]["code"], -32600);
    lsp.send(&json!({"jsonrpc": "2.0", "id": 99}));
    assert_eq!(lsp.response(&json!(99))["error"]["code"], -32600);
    // An unknown method, and bad parameters.
    let unknown = lsp.request("textDocument/nope", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = lsp.request("textDocument/hover", json!("not an object"));
    assert_eq!(bad["error"]["code"], -32602);
    let command = lsp.request("workspace/executeCommand", json!({"command": "rm -rf"}));
    assert_eq!(command["error"]["code"], -32602);
    // A message longer than that is read and dropped: ParseError.
    let long = format!(
        "{{\"jsonrpc\": \"2.0\", \"method\": \"x\", \"params\": \"{}\"}}",
        "x".repeat(1_100_000)
    );
    lsp.raw(format!("Content-Length: {}\r\n\r\n{long}", long.len()).as_bytes());
    let dropped = lsp.response(&Value::Null);
    assert_eq!(dropped["error"]["code"], -32700);
    assert!(
        dropped["error"]["message"]
            .as_str()
            .unwrap()
            .contains("上限 1054576 字节")
    );
    // Still answering.
    let hover = lsp.result("textDocument/hover", at(&v, 2, 1));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("param")
    );
    // After shutdown only exit is expected.
    let r = lsp.request("shutdown", Value::Null);
    assert_eq!(r["result"], Value::Null);
    let late = lsp.request("textDocument/hover", at(&v, 2, 1));
    assert_eq!(late["error"]["code"], -32600);
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.status(), 0);
}

#[test]
fn exit_without_shutdown_is_1_and_a_closed_stdin_a_diagnostic() {
    let dir = Scratch::new("lifecycle");
    let mut lsp = Lsp::initialized(&dir);
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.status(), 1);
    // Run by hand with nothing on stdin: the editor was never there.
    let ran = Test::new().arg("lsp").run();
    ran.status(1);
    ran.stderr_has("jixiao::lsp::protocol");
    ran.stderr_has("输入在 initialize 之前结束");
}
