//! `jixiao serve` over HTTP: the built binary started on a free port (`--port 0`) in a
//! scratch folder, driven with plain HTTP/1.1 requests the way the page sends them. Here:
//! the harness ([`Server`], the one way the tests start the server, the browser tests'
//! too), every refusal docs/workbench.md lists (the token: none, wrong, cookie only on
//! /api/; Host, none or foreign, and Origin; paths: `..`, absolute, a link out to a file
//! or a folder, a linked form; body limits, declared or chunked, and files over them;
//! stale saves, one after the other or racing; overwrites; a broken rule file and a
//! corrupt workbook answered with their diagnostics while the server goes on), the rule
//! editor's endpoints, and starting.
//! Scores, impact, import and reports are in `serve_scores.rs`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;

use serde_json::{Value, json};

use crate::support::{Scratch, Test, repo_bytes, repo_file};

/// A running `jixiao serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    port: u16,
    token: String,
}

/// An HTTP answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[track_caller]
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    /// The refusal's code, after checking the status.
    #[track_caller]
    pub(crate) fn refused(&self, status: u16) -> String {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        let v = self.json();
        let message = v["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{v}");
        assert!(v["error"]["help"].as_str().is_some(), "{v}");
        v["error"]["code"].as_str().unwrap_or_default().to_owned()
    }
}

impl Server {
    /// `jixiao serve DIR --port 0` on the scratch folder.
    pub(crate) fn start(dir: &Scratch) -> Self {
        Self::start_with(dir, &[], &[])
    }

    /// The same with more arguments and environment variables.
    pub(crate) fn start_with(dir: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Self {
        let test = Test::new()
            .args(["serve", &dir.folder(), "--port", "0"])
            .args(args);
        Self::spawn(
            env.iter()
                .fold(test, |test, (key, value)| test.env(key, value)),
        )
    }

    /// `test`, a run of `jixiao serve … --port 0`, started, and the address it prints
    /// first read: the one way every test starts the server.
    pub(crate) fn spawn(test: Test) -> Self {
        let mut child = test.spawn_reading_stdout();
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the URL line");
        let rest = line
            .strip_prefix("http://127.0.0.1:")
            .unwrap_or_else(|| panic!("first line: {line:?}"));
        let (port, token) = rest
            .trim_end()
            .split_once("/?token=")
            .unwrap_or_else(|| panic!("first line: {line:?}"));
        assert_eq!(token.len(), 32, "{line}");
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        Server {
            child,
            port: port.parse().expect("a port"),
            token: token.to_owned(),
        }
    }

    /// The address it printed, with its token.
    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }

    pub(crate) fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// One request, with `headers` (a Host header of the server's unless given).
    pub(crate) fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.host()));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.raw(&request)
    }

    /// `request` sent as it is (no Host header, a chunked body) and the answer.
    pub(crate) fn raw(&self, request: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        // The server may answer (413) and close before reading all of a large body.
        let _ = stream.write_all(request);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        parse(&raw)
    }

    /// A request to `/api/…` with the token, as the page sends it.
    pub(crate) fn api(&self, method: &str, path: &str, body: &[u8]) -> Answer {
        let token = self.token.clone();
        self.send(method, path, &[("X-Jixiao-Token", &token)], body)
    }

    pub(crate) fn post(&self, path: &str, body: &Value) -> Answer {
        self.api("POST", path, body.to_string().as_bytes())
    }

    /// `PUT /api/rules`: a save of `text` as `path`, over the version `version` read.
    pub(crate) fn save(&self, path: &str, text: &str, version: &Value) -> Answer {
        let body = json!({"path": path, "text": text, "version": version});
        self.api("PUT", "/api/rules", body.to_string().as_bytes())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head: {}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16)
                .unwrap_or(0);
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        body = out;
    }
    Answer {
        status,
        headers,
        body,
    }
}

/// A folder with the seed form, a second form in a subfolder and a rule file; `name`
/// keeps the folders of tests running at once apart.
#[track_caller]
pub(crate) fn workspace(name: &str) -> Scratch {
    let dir = Scratch::new(name);
    dir.write(
        "forms/tongcheng-2021.toml",
        repo_file("examples/tongcheng-2021.toml"),
    );
    dir.write(
        "forms/2022/county.toml",
        repo_file("examples/county-education-2022.toml"),
    );
    dir.write("rules/base.rules", repo_file("rules/hubei-2021.rules"));
    dir.write(".hidden.toml", "");
    dir.write("notes.md", "# 不是表单");
    dir
}

pub(crate) fn bundled() -> Value {
    json!({"path": "bundled:hubei-2021", "text": null, "set": {}})
}

// ---------------------------------------------------------------------------------------
// Security

#[test]
fn the_token_opens_the_page_through_a_cookie() {
    let dir = workspace("the_token_opens_the_page_through_a_cookie");
    let s = Server::start(&dir);
    let first = s.send("GET", &format!("/?token={}", s.token), &[], b"");
    assert_eq!(first.status, 303);
    assert_eq!(first.header("location"), Some("/"));
    assert_eq!(
        first.header("set-cookie"),
        Some(format!("jixiao={}; HttpOnly; SameSite=Strict; Path=/", s.token).as_str())
    );
    let cookie = format!("jixiao={}", s.token);
    let page = s.send("GET", "/", &[("Cookie", &cookie)], b"");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = String::from_utf8_lossy(&page.body);
    assert!(
        html.contains(&format!(
            "<meta name=\"jixiao-token\" content=\"{}\">",
            s.token
        )),
        "{html}"
    );
    assert!(!html.contains("{{TOKEN}}"));
    for (asset, kind) in [
        ("app.js", "text/javascript; charset=utf-8"),
        ("editor.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
    ] {
        let a = s.send(
            "GET",
            &format!("/assets/{asset}"),
            &[("Cookie", &cookie)],
            b"",
        );
        assert_eq!(a.status, 200, "{asset}");
        assert_eq!(a.header("content-type"), Some(kind));
        assert_eq!(a.header("cache-control"), Some("no-store"));
        assert_eq!(
            s.send("GET", &format!("/assets/{asset}"), &[], b"")
                .refused(403),
            "jixiao::serve::token"
        );
    }
    let missing = s.send("GET", "/assets/none.js", &[("Cookie", &cookie)], b"");
    assert_eq!(missing.refused(404), "jixiao::serve::not_found");
    // No cookie, a wrong token, a wrong cookie; a parameter that only ends in `token`.
    assert_eq!(
        s.send("GET", "/", &[], b"").refused(403),
        "jixiao::serve::token"
    );
    for query in ["/?xtoken=1", "/?a=token=1", "/?token", "/?tokens=1"] {
        let a = s.send("GET", query, &[], b"");
        assert_eq!(a.refused(403), "jixiao::serve::token", "{query}");
        assert!(
            !String::from_utf8_lossy(&a.body).contains(&s.token),
            "{query}"
        );
    }
    let wrong = "0".repeat(32);
    assert_eq!(
        s.send("GET", &format!("/?token={wrong}"), &[], b"")
            .refused(403),
        "jixiao::serve::token"
    );
    assert_eq!(
        s.send("GET", "/", &[("Cookie", &format!("jixiao={wrong}"))], b"")
            .refused(403),
        "jixiao::serve::token"
    );
}

#[test]
fn the_api_needs_the_token_header_the_host_and_no_foreign_origin() {
    let dir = workspace("the_api_needs_the_token_header_the_host_and_no_foreign_origin");
    let s = Server::start(&dir);
    assert_eq!(s.api("GET", "/api/workspace", b"").status, 200);
    // No token, a wrong one, and the cookie alone (a cross-site form would send it).
    assert_eq!(
        s.send("GET", "/api/workspace", &[], b"").refused(403),
        "jixiao::serve::token"
    );
    assert_eq!(
        s.send(
            "GET",
            "/api/workspace",
            &[("X-Jixiao-Token", &"f".repeat(32))],
            b""
        )
        .refused(403),
        "jixiao::serve::token"
    );
    let cookie = format!("jixiao={}", s.token);
    assert_eq!(
        s.send("GET", "/api/workspace", &[("Cookie", &cookie)], b"")
            .refused(403),
        "jixiao::serve::token"
    );
    // Other spellings of an API path get no further with the cookie alone.
    for path in [
        "/%61pi/workspace",
        "//api/workspace",
        "/API/workspace",
        "/nothing",
    ] {
        let a = s.send("GET", path, &[("Cookie", &cookie)], b"");
        assert_eq!(a.refused(403), "jixiao::serve::token", "{path}");
    }
    let token = s.token.clone();
    let with = |extra: (&str, &str)| {
        s.send(
            "GET",
            "/api/workspace",
            &[("X-Jixiao-Token", &token), extra],
            b"",
        )
    };
    // Host: the server's two names only (DNS rebinding sends the attacker's name).
    assert_eq!(
        with(("Host", "evil.example:80")).refused(403),
        "jixiao::serve::host"
    );
    assert_eq!(
        with(("Host", &format!("127.0.0.1:{}", s.port + 1))).refused(403),
        "jixiao::serve::host"
    );
    assert_eq!(with(("Host", &format!("localhost:{}", s.port))).status, 200);
    // No Host at all (HTTP/1.0 may leave it out): refused too.
    let no_host =
        s.raw(format!("GET /api/workspace HTTP/1.0\r\nX-Jixiao-Token: {token}\r\n\r\n").as_bytes());
    assert_eq!(no_host.refused(403), "jixiao::serve::host");
    // Origin: none, or the server's own.
    assert_eq!(
        with(("Origin", "http://evil.example")).refused(403),
        "jixiao::serve::origin"
    );
    assert_eq!(
        with(("Origin", "null")).refused(403),
        "jixiao::serve::origin"
    );
    assert_eq!(
        with(("Origin", &format!("http://localhost:{}", s.port))).status,
        200
    );
    assert_eq!(
        with(("Origin", &format!("http://127.0.0.1:{}", s.port))).status,
        200
    );
    // Unknown addresses, other methods and malformed requests are JSON too.
    assert_eq!(
        s.api("GET", "/api/nothing", b"").refused(404),
        "jixiao::serve::not_found"
    );
    assert_eq!(
        s.api("DELETE", "/api/rules?path=rules/base.rules", b"")
            .refused(405),
        "jixiao::serve::bad_request"
    );
    assert!(dir.path("rules/base.rules").exists());
    assert_eq!(
        s.api("POST", "/api/analyze", b"{not json").refused(400),
        "jixiao::serve::bad_request"
    );
    assert_eq!(
        s.api("POST", "/api/analyze", br#"{"path": "a.rules"}"#)
            .refused(400),
        "jixiao::serve::bad_request"
    );
}

#[test]
fn paths_stay_inside_the_folder() {
    let dir = workspace("paths_stay_inside_the_folder");
    let outside = Scratch::new("outside");
    outside.write("secret.rules", "# 机密内容\nrules \"s\"\n");
    outside.write("form.toml", repo_file("examples/tongcheng-2021.toml"));
    // A rule file, a folder and a form linked from inside the folder to outside it.
    for (target, link) in [
        (outside.arg("secret.rules"), "rules/link.rules"),
        (outside.folder(), "rules/out"),
        (outside.arg("form.toml"), "forms/link.toml"),
    ] {
        std::os::unix::fs::symlink(target, dir.path(link)).expect("a link");
    }
    let s = Server::start(&dir);
    for path in [
        "../secret.rules",
        "rules/../../secret.rules",
        "/etc/passwd",
        "C:/x.rules",
        "rules/link.rules",
        "rules/out/secret.rules",
        "rules/./../../secret.rules",
    ] {
        let a = s.api("GET", &format!("/api/rules?path={}", encode(path)), b"");
        assert_eq!(a.refused(403), "jixiao::serve::outside", "{path}");
        assert!(
            !String::from_utf8_lossy(&a.body).contains("机密内容"),
            "{path}"
        );
    }
    assert_eq!(
        s.api("GET", "/api/rules?path=rules/none.rules", b"")
            .refused(404),
        "jixiao::serve::not_found"
    );
    // An `extends` leading out is the checker's diagnostic, and nothing of the file shows.
    let a = s.post(
        "/api/analyze",
        &json!({"path": "rules/v.rules", "text": "rules \"v\"\nextends \"link.rules\"\n"}),
    );
    assert_eq!(a.status, 200);
    let v = a.json();
    assert_eq!(v["ok"], false);
    assert_eq!(
        v["diagnostics"][0]["code"], "jixiao::check::extends_outside",
        "{v}"
    );
    assert!(!v.to_string().contains("机密内容"));
    // Saving through a path leading out is refused before anything is written.
    let put = s.save("../escape.rules", "x", &Value::Null);
    assert_eq!(put.refused(403), "jixiao::serve::outside");
    assert!(!outside.path("../escape.rules").exists());
    // Nor through a linked folder: a save, a variant, an imported form.
    let put = s.save("rules/out/new.rules", "rules \"n\"\n", &Value::Null);
    assert_eq!(put.refused(403), "jixiao::serve::outside");
    let variant = s.post(
        "/api/variant",
        &json!({"base": "rules/base.rules", "path": "rules/out/v.rules"}),
    );
    assert_eq!(variant.refused(403), "jixiao::serve::outside");
    let xlsx = repo_bytes("tests/fixtures/import/tongcheng-2021.xlsx");
    let import = s.api("POST", "/api/import?name=rules/out/x.xlsx&save=1", &xlsx);
    assert_eq!(import.refused(403), "jixiao::serve::outside");
    assert_eq!(outside.listing(), ["form.toml", "secret.rules"]);
    // A linked form is neither listed nor scored nor opened.
    let listed = s.api("GET", "/api/workspace", b"").json();
    assert!(!listed.to_string().contains("link.toml"), "{listed}");
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    assert_eq!(
        scores["forms"].as_array().map(Vec::len),
        Some(2),
        "{scores}"
    );
    let form = s.post(
        "/api/form",
        &json!({"path": "forms/link.toml", "rules": bundled()}),
    );
    assert_eq!(form.refused(403), "jixiao::serve::outside");
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn bodies_over_their_limits_are_refused() {
    let dir = workspace("bodies_over_their_limits_are_refused");
    let s = Server::start_with(
        &dir,
        &[],
        &[("JIXIAO_LIMITS", "rule_bytes=1KB,form_bytes=2KB")],
    );
    // Rule text of 1,025 bytes: one over 1 KB.
    let text = format!("rules \"t\"\n#{}", "x".repeat(1025 - 11));
    assert_eq!(text.len(), 1025);
    let a = s.post("/api/analyze", &json!({"path": "t.rules", "text": text}));
    assert_eq!(a.refused(413), "jixiao::serve::too_large");
    // An upload of 4 KB against 2 KB, refused by its declared length.
    let a = s.api("POST", "/api/import?name=big.csv", &[b'a'; 4096]);
    assert_eq!(a.refused(413), "jixiao::serve::too_large");
    assert!(
        a.json()["error"]["help"]
            .as_str()
            .unwrap()
            .contains("JIXIAO_LIMITS")
    );
    // The same upload sent in chunks, with no length declared: refused while read.
    let mut chunked = format!(
        "POST /api/import?name=big.csv HTTP/1.1\r\nHost: {}\r\nX-Jixiao-Token: {}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        s.host(),
        s.token
    )
    .into_bytes();
    for _ in 0..4 {
        chunked.extend_from_slice(b"400\r\n");
        chunked.extend_from_slice(&[b'a'; 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(s.raw(&chunked).refused(413), "jixiao::serve::too_large");
    assert!(!dir.path("big.toml").exists());
    // A rule file in the folder over the limit is not read.
    dir.write("rules/big.rules", &text);
    assert_eq!(
        s.api("GET", "/api/rules?path=rules/big.rules", b"")
            .refused(413),
        "jixiao::serve::too_large"
    );
    // And the server goes on answering.
    assert_eq!(s.api("GET", "/api/workspace", b"").status, 200);
    drop(s);
    // A form in the folder over the limit (the seed form is 17.5 KB, over 2 KB) is listed
    // with the limit's diagnostic; the bundled rules (6.7 KB) need the rule limit as it is.
    let s = Server::start_with(&dir, &[], &[("JIXIAO_LIMITS", "form_bytes=2KB")]);
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    let seed = scores["forms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "forms/tongcheng-2021.toml")
        .unwrap_or_else(|| panic!("{scores}"));
    assert_eq!(seed["total"], Value::Null);
    assert_eq!(seed["error"]["code"], "jixiao::limit::form_bytes");
}

#[test]
fn bad_input_shows_its_diagnostic_and_the_server_keeps_serving() {
    let dir = workspace("bad_input_shows_its_diagnostic_and_the_server_keeps_serving");
    // Line 1 (0-based) holds the error: `)` where a value belongs, at character 10.
    dir.write("rules/broken.rules", "rules \"b\"\nparam x = )\n");
    // Neither UTF-8 nor GBK: 0xFF starts no GBK character.
    dir.write("rules/binary.rules", b"rules \xff\xff\xff\n");
    dir.write("forms/corrupt.xlsx", b"PK\x03\x04 not a workbook");
    let s = Server::start(&dir);
    // The broken file opens, to be fixed.
    let opened = s
        .api("GET", "/api/rules?path=rules/broken.rules", b"")
        .json();
    assert_eq!(opened["text"], "rules \"b\"\nparam x = )\n");
    let broken = json!({"path": "rules/broken.rules", "text": null, "set": {}});
    let with_broken = [
        ("/api/score", json!({"rules": broken})),
        (
            "/api/impact",
            json!({"baseline": bundled(), "variant": broken}),
        ),
        (
            "/api/impact",
            json!({"baseline": broken, "variant": bundled()}),
        ),
        (
            "/api/form",
            json!({"path": "forms/tongcheng-2021.toml", "rules": broken}),
        ),
        (
            "/api/report",
            json!({"kind": "score", "format": "html", "rules": broken}),
        ),
    ];
    for (path, body) in with_broken {
        let a = s.post(path, &body);
        assert_eq!(a.status, 400, "{path}");
        let d = &a.json()["diagnostics"][0];
        assert_eq!(d["code"], "jixiao::syntax::unexpected", "{path}: {d}");
        assert_eq!(d["file"], "rules/broken.rules");
        assert_eq!(d["range"]["start"], json!({"line": 1, "character": 10}));
    }
    let binary = s.api("GET", "/api/rules?path=rules/binary.rules", b"");
    assert_eq!(binary.refused(400), "jixiao::serve::bad_request");
    assert!(
        binary.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("无法读取 rules/binary.rules 的文字"),
        "{}",
        binary.json()
    );
    // A corrupt workbook uploaded, or in the folder: its diagnostic; the others score.
    let upload = s.api(
        "POST",
        "/api/import?name=bad.xlsx&save=1",
        b"PK\x03\x04 broken",
    );
    assert_eq!(upload.status, 400);
    assert_eq!(
        upload.json()["diagnostics"][0]["code"],
        "jixiao::import::workbook"
    );
    assert!(!dir.path("bad.toml").exists());
    let scores = s.post("/api/score", &json!({"rules": bundled()})).json();
    let forms = scores["forms"].as_array().unwrap();
    let corrupt = forms
        .iter()
        .find(|f| f["path"] == "forms/corrupt.xlsx")
        .unwrap_or_else(|| panic!("{scores}"));
    assert_eq!(corrupt["error"]["code"], "jixiao::import::workbook");
    let seed = forms
        .iter()
        .find(|f| f["path"] == "forms/tongcheng-2021.toml")
        .unwrap_or_else(|| panic!("{scores}"));
    // `jixiao score examples/tongcheng-2021.toml`: 96.53.
    assert_eq!(seed["total"], "96.53");
    assert_eq!(s.api("GET", "/api/workspace", b"").status, 200);
}

// ---------------------------------------------------------------------------------------
// The folder and the rule editor

#[test]
fn the_workspace_lists_rules_forms_subfolders_and_bundled_sets() {
    let dir = workspace("the_workspace_lists_rules_forms_subfolders_and_bundled_sets");
    let s = Server::start(&dir);
    let v = s.api("GET", "/api/workspace", b"").json();
    // The folder by its own name: the absolute path it was given (under /tmp) is more
    // than the page needs to show.
    assert_eq!(
        v["dir"],
        format!(
            "jixiao-serve_api-{}-the_workspace_lists_rules_forms_subfolders_and_bundled_sets",
            std::process::id()
        )
    );
    assert_eq!(v["first"], "rules/base.rules");
    assert_eq!(
        v["forms"],
        json!([
            {"path": "forms/2022/county.toml", "kind": "toml"},
            {"path": "forms/tongcheng-2021.toml", "kind": "toml"},
        ])
    );
    let rules: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "rules/base.rules",
            "bundled:hubei-2021",
            "bundled:national-project-2020",
            "bundled:stepwise-example",
            "bundled:deduction-example",
            "bundled:central-project"
        ]
    );
    assert_eq!(v["rules"][0]["bundled"], false);
    assert_eq!(v["rules"][1]["bundled"], true);

    let bundled = s
        .api("GET", "/api/rules?path=bundled:hubei-2021", b"")
        .json();
    assert_eq!(bundled["read_only"], true);
    assert_eq!(bundled["version"], Value::Null);
    assert_eq!(bundled["text"], repo_file("rules/hubei-2021.rules"));
    let file = s.api("GET", "/api/rules?path=rules/base.rules", b"").json();
    assert_eq!(file["read_only"], false);
    assert!(file["version"].as_str().is_some_and(|v| !v.is_empty()));
}

#[test]
fn the_page_names_the_folder_as_given_or_by_its_own_name() {
    let dir = workspace("the_page_names_the_folder_as_given_or_by_its_own_name");
    let dir_of = |folder: &str, from: &str| {
        let s = Server::spawn(
            Test::new()
                .dir(dir.path(from))
                .args(["serve", folder, "--port", "0"]),
        );
        s.api("GET", "/api/workspace", b"").json()["dir"].clone()
    };
    // A plain relative name, as typed.
    assert_eq!(dir_of("forms/2022", ""), "forms/2022");
    // `.`, `..` and `./…` say nothing: the folder's own name.
    assert_eq!(dir_of(".", "forms/2022"), "2022");
    assert_eq!(dir_of("..", "forms/2022"), "forms");
    assert_eq!(dir_of("./forms", ""), "forms");
}

#[test]
fn rules_open_first_as_asked() {
    let dir = Scratch::new("first");
    let s = Server::start(&dir);
    assert_eq!(
        s.api("GET", "/api/workspace", b"").json()["first"],
        "bundled:hubei-2021"
    );
    drop(s);
    let s = Server::start_with(&dir, &["--rules", "central-project"], &[]);
    assert_eq!(
        s.api("GET", "/api/workspace", b"").json()["first"],
        "bundled:central-project"
    );
    drop(s);
    dir.write("sub/a.rules", "rules \"a\"");
    // Relative to the folder, or to the current folder.
    let s = Server::start_with(&dir, &["--rules", "sub/a.rules"], &[]);
    assert_eq!(
        s.api("GET", "/api/workspace", b"").json()["first"],
        "sub/a.rules"
    );
    drop(s);
    let s = Server::start_with(&dir, &["--rules", &dir.arg("sub/a.rules")], &[]);
    assert_eq!(
        s.api("GET", "/api/workspace", b"").json()["first"],
        "sub/a.rules"
    );
    drop(s);
    // Not a rule file of the folder: refused before starting.
    dir.test()
        .args(["serve", ".", "--port", "0", "--rules", "none.rules"])
        .kill_after_a_minute()
        .run()
        .status(1)
        .stderr_has("jixiao::io::unknown_rules");
}

#[test]
fn broken_rule_text_gets_diagnostics_with_utf16_ranges() {
    let dir = workspace("broken_rule_text_gets_diagnostics_with_utf16_ranges");
    let s = Server::start(&dir);
    // Line 3: `param 分数 = 满意度𠀀 + 未定义量`. Before 未定义量: `param ` 6, 分数 2,
    // ` = ` 3, 满意度 3, 𠀀 2 (a surrogate pair in UTF-16), ` + ` 3 = 19 units; it is 4
    // characters long. 分数 is units 6 to 8.
    let text = "rules \"t\" \"测试\"\nextends \"hubei-2021\"\nparam 满意度𠀀 = 1\nparam 分数 = 满意度𠀀 + 未定义量\n";
    let v = s
        .post(
            "/api/analyze",
            &json!({"path": "rules/t.rules", "text": text}),
        )
        .json();
    assert_eq!(v["ok"], false);
    let diags = v["diagnostics"].as_array().unwrap();
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "jixiao::check::unknown_name")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["file"], "rules/t.rules");
    assert_eq!(unknown["from_base"], Value::Null);
    assert_eq!(
        unknown["range"],
        json!({"start": {"line": 3, "character": 19}, "end": {"line": 3, "character": 23}})
    );
    assert_eq!(unknown["labels"][0]["range"], unknown["range"]);
    assert!(unknown["message"].as_str().unwrap().contains("未定义量"));
    assert!(unknown["help"].as_str().is_some());
    let over = diags
        .iter()
        .find(|d| d["code"] == "jixiao::check::unknown_override")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(
        over["range"],
        json!({"start": {"line": 3, "character": 6}, "end": {"line": 3, "character": 8}})
    );
    assert_eq!(v["params"], json!([]));
}

#[test]
fn an_overlay_shows_its_bases_error_in_the_base() {
    let dir = workspace("an_overlay_shows_its_bases_error_in_the_base");
    // The base's line 1 (0-based) holds the error: `)` where a value belongs, at
    // character 10.
    dir.write("rules/broken.rules", "rules \"b\"\nparam x = )\n");
    let s = Server::start(&dir);
    let v = s
        .post(
            "/api/analyze",
            &json!({"path": "rules/v.rules", "text": "rules \"v\"\nextends \"broken.rules\"\n"}),
        )
        .json();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "jixiao::syntax::unexpected", "{v}");
    assert_eq!(d["file"], "rules/broken.rules");
    assert_eq!(d["from_base"], "rules/broken.rules");
    assert_eq!(
        d["range"]["start"],
        json!({"line": 1, "character": 10}),
        "{v}"
    );
}

#[test]
fn analysis_lists_params_and_tests_with_their_lines() {
    let dir = workspace("analysis_lists_params_and_tests_with_their_lines");
    let s = Server::start(&dir);
    let text = repo_file("rules/hubei-2021.rules");
    let v = s
        .post(
            "/api/analyze",
            &json!({"path": "rules/base.rules", "text": text}),
        )
        .json();
    assert_eq!(v["ok"], true, "{v}");
    // `param budget_weight = 20` is the file's line 6, 0-based 5.
    assert_eq!(
        v["params"],
        json!([{"name": "budget_weight", "value": "20", "text": false, "file": "rules/base.rules", "line": 5}])
    );
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(
        tests.len(),
        text.lines().filter(|l| l.starts_with("test ")).count()
    );
    // The first test is on line 63, 0-based 62.
    assert_eq!(tests[0]["line"], 62);
    assert_eq!(tests[0]["name"], "注1 执行率 95%：20 × 95 / 100 = 19 分");
}

#[test]
fn a_text_parameter_is_listed_as_text_and_set_from_the_page() {
    let dir = workspace("a_text_parameter_is_listed_as_text_and_set_from_the_page");
    let s = Server::start(&dir);
    // The seed form's total (96.53) capped at 90 for the department the parameter names.
    let text = format!(
        "{}\nparam 本单位 = \"某局\"\ncap total at if department == 本单位 then 90 else 100\n",
        repo_file("rules/hubei-2021.rules")
    );
    let v = s
        .post(
            "/api/analyze",
            &json!({"path": "rules/base.rules", "text": text}),
        )
        .json();
    assert_eq!(v["params"][1]["name"], "本单位");
    assert_eq!(v["params"][1]["value"], "某局");
    assert_eq!(v["params"][1]["text"], true);
    let total = |set: Value| {
        let rules = json!({"path": "rules/base.rules", "text": text, "set": set});
        let a = s.post("/api/score", &json!({"rules": rules}));
        (a.status, a.json())
    };
    let seed = |v: &Value| {
        v["forms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == "forms/tongcheng-2021.toml")
            .map(|r| r["total"].clone())
            .unwrap()
    };
    let (status, v) = total(json!({}));
    assert_eq!((status, seed(&v)), (200, json!("96.53")));
    let (status, v) = total(json!({"本单位": "通城县人力资源和社会保障局"}));
    assert_eq!((status, seed(&v)), (200, json!("90.00")));
    // A numeric parameter set to a text is refused with its diagnostic.
    let (status, v) = total(json!({"budget_weight": "十"}));
    assert_eq!(status, 400);
    assert_eq!(v["diagnostics"][0]["code"], "jixiao::set::malformed");
}

#[test]
fn the_editor_gets_the_language_servers_tokens_hover_and_completion() {
    let dir = workspace("the_editor_gets_the_language_servers_tokens_hover_and_completion");
    let s = Server::start(&dir);
    // Line 2: 参数 (0–1), 满分 (3–4), = (6), 10 (8–9).
    let text =
        "规则 \"t\"\n继承 \"hubei-2021\"\n参数 满分 = 10\n类别 c 适用 数值 当 一级指标 == \"";
    let v = s
        .post(
            "/api/analyze",
            &json!({"path": "rules/t.rules", "text": text}),
        )
        .json();
    let line2: Vec<&Value> = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["line"] == 2)
        .collect();
    assert_eq!(
        line2,
        [
            &json!({"line": 2, "start": 0, "length": 2, "kind": "keyword"}),
            &json!({"line": 2, "start": 3, "length": 2, "kind": "param"}),
            &json!({"line": 2, "start": 6, "length": 1, "kind": "operator"}),
            &json!({"line": 2, "start": 8, "length": 2, "kind": "number"}),
        ]
    );
    // Hover reads the file's declarations, so it wants text that parses: the first three
    // lines.
    let parsed: String = text.lines().take(3).collect::<Vec<_>>().join("\n");
    let hover = s
        .post(
            "/api/hover",
            &json!({"path": "rules/t.rules", "text": parsed, "line": 2, "character": 4}),
        )
        .json();
    assert!(
        hover["markdown"]
            .as_str()
            .unwrap_or_default()
            .starts_with("**参数** `满分` = 10"),
        "{hover}"
    );
    assert_eq!(
        hover["range"],
        json!({"start": {"line": 2, "character": 3}, "end": {"line": 2, "character": 5}})
    );
    // After `一级指标 == "` (line 3, 22 characters: 类别 c 适用 数值 当 一级指标 == "): the
    // folder's forms' 一级指标, the most written first (34 产出指标, 23 效益指标, 10
    // 满意度指标 in the two forms).
    let complete = |line: u32, character: u32| {
        let items = s
            .post(
                "/api/complete",
                &json!({"path": "rules/t.rules", "text": text, "line": line, "character": character}),
            )
            .json();
        let labels: Vec<String> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect();
        (labels, items)
    };
    let (labels, items) = complete(3, 22);
    assert_eq!(labels, ["产出指标", "效益指标", "满意度指标"]);
    assert_eq!(items[0]["detail"], "一级指标（表单中 34 处）");
    // At a line's start: the keywords in the file's language.
    let (words, _) = complete(2, 0);
    assert!(
        words.iter().any(|w| w == "类别") && !words.iter().any(|w| w == "class"),
        "{words:?}"
    );
}

#[test]
fn format_gives_fmts_layout_or_the_syntax_error() {
    let dir = workspace("format_gives_fmts_layout_or_the_syntax_error");
    let s = Server::start(&dir);
    let messy = "rules   \"t\"\nextends \"hubei-2021\"\nparam   budget_weight   =   10\n";
    let v = s
        .post("/api/format", &json!({"path": "t.rules", "text": messy}))
        .json();
    assert_eq!(
        v["text"],
        "rules \"t\"\nextends \"hubei-2021\"\n\nparam budget_weight = 10\n"
    );
    let a = s.post(
        "/api/format",
        &json!({"path": "t.rules", "text": "rules \"t\"\nparam = 1\n"}),
    );
    assert_eq!(a.status, 400);
    let v = a.json();
    assert_eq!(v["diagnostics"][0]["code"], "jixiao::syntax::unexpected");
    assert_eq!(v["diagnostics"][0]["range"]["start"]["line"], 1);
}

#[test]
fn tests_run_with_their_lines_and_one_line_messages() {
    let dir = workspace("tests_run_with_their_lines_and_one_line_messages");
    dir.write(
        "rules/wrong.rules",
        repo_file("tests/fixtures/rule-tests/wrong_expectation.rules"),
    );
    let s = Server::start(&dir);
    let text = repo_file("tests/fixtures/rule-tests/wrong_expectation.rules");
    let v = s
        .post(
            "/api/test",
            &json!({"path": "rules/wrong.rules", "text": text}),
        )
        .json();
    // The base's 18 tests pass under the overlay (it changes nothing); its own 3 fail.
    assert_eq!(
        (
            v["passed"].clone(),
            v["failed"].clone(),
            v["changed"].clone()
        ),
        (json!(18), json!(3), json!(0)),
        "{v}"
    );
    let own: Vec<&Value> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["file"] == "rules/wrong.rules")
        .collect();
    assert_eq!(own.len(), 3);
    assert_eq!(own[0]["line"], 4);
    assert_eq!(own[0]["status"], "failed");
    assert_eq!(
        own[0]["message"],
        "第 1 个指标「职业技能培训人次」的得分：期望 1.95，实际 1.96"
    );
    assert_eq!(own[1]["line"], 7);
    assert_eq!(own[1]["message"], "等级：期望 优，实际 良");
    // Rules that do not compile: their diagnostics.
    let a = s.post("/api/test", &json!({"path": "x.rules", "text": "rules"}));
    assert_eq!(a.status, 400);
    assert!(a.json()["diagnostics"][0]["code"].as_str().is_some());
}

#[test]
fn a_save_keeps_the_previous_version_and_refuses_a_stale_one() {
    let dir = workspace("a_save_keeps_the_previous_version_and_refuses_a_stale_one");
    let s = Server::start(&dir);
    let put = |text: &str, version: Value| s.save("rules/new.rules", text, &version);
    // A new file: version null.
    let v1 = put("rules \"n\"\n", Value::Null).json()["version"].clone();
    assert_eq!(
        std::fs::read_to_string(dir.path("rules/new.rules")).unwrap(),
        "rules \"n\"\n"
    );
    // Null again: the file exists now.
    assert_eq!(put("x", Value::Null).refused(409), "jixiao::serve::stale");
    // The version read: saved, the old text kept as .bak.
    let v2 = put("rules \"n2\"\n", v1.clone()).json()["version"].clone();
    assert_ne!(v1, v2);
    assert_eq!(
        std::fs::read_to_string(dir.path("rules/new.rules.bak")).unwrap(),
        "rules \"n\"\n"
    );
    assert_eq!(
        s.api("GET", "/api/rules?path=rules/new.rules", b"").json()["version"],
        v2
    );
    // Another tab saves with the version it read before: refused, nothing written.
    let refused = put("rules \"tab2\"\n", v1);
    assert_eq!(refused.refused(409), "jixiao::serve::stale");
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("文件已在别处修改")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path("rules/new.rules")).unwrap(),
        "rules \"n2\"\n"
    );
    // Changed by another editor: the version no longer matches.
    std::fs::write(dir.path("rules/new.rules"), "rules \"editor\"\n").unwrap();
    assert_eq!(
        put("rules \"n3\"\n", v2).refused(409),
        "jixiao::serve::stale"
    );
    // Bundled rules are read-only; only .rules files are saved.
    let bundled = s.save("bundled:hubei-2021", "x", &Value::Null);
    assert_eq!(bundled.refused(403), "jixiao::serve::read_only");
    let toml = s.save("forms/tongcheng-2021.toml", "x", &Value::Null);
    assert_eq!(toml.refused(400), "jixiao::serve::bad_request");
    assert_eq!(
        std::fs::read_to_string(dir.path("forms/tongcheng-2021.toml")).unwrap(),
        repo_file("examples/tongcheng-2021.toml")
    );
}

/// Eight tabs save the file they all opened at the same moment: one save wins, the
/// seven others are refused as stale, and the text the winner replaced is kept in
/// `.bak`, so no edit is lost (the refused tabs keep theirs on the page).
#[test]
fn saves_racing_on_one_file_let_one_through_and_refuse_the_rest() {
    let dir = workspace("saves_racing_on_one_file_let_one_through_and_refuse_the_rest");
    dir.write("rules/c.rules", "rules \"c\"\n");
    let s = Server::start(&dir);
    let read = s.api("GET", "/api/rules?path=rules/c.rules", b"").json();
    let version = read["version"].clone();
    let answers: Vec<(usize, u16, String)> = std::thread::scope(|scope| {
        let tabs: Vec<_> = (0..8)
            .map(|tab| {
                let (s, version) = (&s, version.clone());
                scope.spawn(move || {
                    let a = s.save("rules/c.rules", &format!("rules \"tab{tab}\"\n"), &version);
                    let code = if a.status == 200 {
                        String::new()
                    } else {
                        a.refused(409)
                    };
                    (tab, a.status, code)
                })
            })
            .collect();
        tabs.into_iter().map(|t| t.join().expect("a tab")).collect()
    });
    let won: Vec<usize> = answers
        .iter()
        .filter(|(_, status, _)| *status == 200)
        .map(|(tab, _, _)| *tab)
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(_, status, code)| *status == 200 || code == "jixiao::serve::stale"),
        "{answers:?}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path("rules/c.rules")).unwrap(),
        format!("rules \"tab{}\"\n", won[0])
    );
    assert_eq!(
        std::fs::read_to_string(dir.path("rules/c.rules.bak")).unwrap(),
        "rules \"c\"\n"
    );
}

#[test]
fn a_variant_extends_its_base_and_never_overwrites() {
    let dir = workspace("a_variant_extends_its_base_and_never_overwrites");
    let s = Server::start(&dir);
    let v = s.post(
        "/api/variant",
        &json!({"base": "rules/base.rules", "path": "variants/budget-10.rules"}),
    );
    // The folder `variants` does not exist yet.
    assert_eq!(v.refused(404), "jixiao::serve::not_found");
    std::fs::create_dir(dir.path("variants")).unwrap();
    let v = s
        .post(
            "/api/variant",
            &json!({"base": "rules/base.rules", "path": "variants/budget-10.rules"}),
        )
        .json();
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("extends \"../rules/base.rules\"\n"), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.path("variants/budget-10.rules")).unwrap(),
        text
    );
    let analysis = s
        .post(
            "/api/analyze",
            &json!({"path": "variants/budget-10.rules", "text": text}),
        )
        .json();
    assert_eq!(analysis["ok"], true, "{analysis}");
    assert_eq!(analysis["params"][0]["file"], "rules/base.rules");
    let again = s.post(
        "/api/variant",
        &json!({"base": "bundled:hubei-2021", "path": "variants/budget-10.rules"}),
    );
    assert_eq!(again.refused(409), "jixiao::serve::exists");
    assert_eq!(
        std::fs::read_to_string(dir.path("variants/budget-10.rules")).unwrap(),
        text
    );
    let bundled = s
        .post(
            "/api/variant",
            &json!({"base": "bundled:hubei-2021", "path": "v2.rules"}),
        )
        .json();
    assert!(
        bundled["text"]
            .as_str()
            .unwrap()
            .contains("extends \"hubei-2021\"\n")
    );
}

// ---------------------------------------------------------------------------------------
// Starting

#[test]
fn a_taken_port_is_a_diagnostic() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = Scratch::new("port");
    let out = dir
        .test()
        .args(["serve", ".", "--port", &port])
        .kill_after_a_minute()
        .run();
    out.status(1).stderr_has("jixiao::serve::bind");
    let out = dir
        .test()
        .args(["serve", "no-such-folder"])
        .kill_after_a_minute()
        .run();
    out.status(1).stderr_has("jixiao::io::read");
}
