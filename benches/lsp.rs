//! Keystroke to diagnostics on the bundled rules/hubei-2021.rules (target: under 20 ms).
//!
//! Two measures: the language service's own work for one keystroke (`service::analyze`:
//! parse, check, lint, diagnostics placed in UTF-16, what `jixiao lsp` does on each
//! `didChange`), and the whole round trip through the built binary, `jixiao lsp` over
//! pipes: a `didChange` with the file's text one character longer is written, and the
//! clock stops when its `publishDiagnostics` has been read. `cargo bench --bench lsp`;
//! figures in BENCHMARKS.md.

use std::hint::black_box;
use std::io::BufReader;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

#[path = "common/frames.rs"]
mod frames;

/// The text after the `n`th keystroke: one more character typed into the header's comment
/// (alternating, so that every change is a change).
fn typed(text: &str, n: u64) -> String {
    let mut out = text.to_owned();
    let at = out.find('\n').expect("a first line");
    out.insert(at, if n % 2 == 0 { '。' } else { '，' });
    out
}

fn service(c: &mut Criterion) {
    let text = jixiao::bundled("hubei-2021")
        .expect("bundled")
        .text()
        .to_owned();
    let limits = jixiao::Limits::default();
    let mut g = c.benchmark_group("lsp");
    let mut n = 0;
    g.bench_function("analyze/hubei-2021", |b| {
        b.iter(|| {
            n += 1;
            let source = jixiao::Source::new("hubei-2021.rules", typed(&text, n));
            let (analysis, _) =
                jixiao::service::analyze(black_box(&source), &jixiao::check::Bundled, &limits);
            assert!(analysis.ok);
            analysis
        })
    });
    g.finish();
}

/// `jixiao lsp`, spoken to over its stdin and stdout.
struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(root: &std::path::Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("jixiao lsp starts");
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut server = Self {
            child,
            stdin,
            stdout,
        };
        let root = format!("file://{}", root.display());
        server.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}, "rootUri": root}}));
        while server.read().get("id") != Some(&json!(1)) {}
        server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, message: &Value) {
        frames::write(&mut self.stdin, message).expect("written");
    }

    fn read(&mut self) -> Value {
        frames::read(&mut self.stdout).expect("a message")
    }

    /// Reads until the diagnostics of `version` are published; how many there are.
    fn diagnostics(&mut self, version: u64) -> usize {
        loop {
            let m = self.read();
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"] == json!(version)
            {
                return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn round_trip(c: &mut Criterion) {
    let text = jixiao::bundled("hubei-2021")
        .expect("bundled")
        .text()
        .to_owned();
    let root = std::env::temp_dir();
    let mut server = Server::start(&root);
    let uri = format!("file://{}/hubei-2021.rules", root.display());
    server.send(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params":
        {"textDocument": {"uri": uri, "languageId": "jixiao", "version": 0, "text": text}}}),
    );
    assert_eq!(server.diagnostics(0), 0, "hubei-2021 is clean");
    let mut g = c.benchmark_group("lsp");
    let mut version = 0;
    g.bench_function("keystroke-to-diagnostics/hubei-2021", |b| {
        b.iter(|| {
            version += 1;
            server.send(
                &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": typed(&text, version)}]}}),
            );
            server.diagnostics(version)
        })
    });
    g.finish();
}

criterion_group!(benches, service, round_trip);
criterion_main!(benches);
