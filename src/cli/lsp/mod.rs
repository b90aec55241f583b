//! `jixiao lsp`: the rule language in any editor, over the Language Server Protocol on
//! stdin/stdout. A thin layer: every answer is the library's language service's
//! ([`jixiao::service`]), the same the workbench shows; here are only the transport
//! ([`transport`], with lsp-server's message types), the open documents and the disk
//! ([`docs`]), the protocol's types ([`convert`]) and which request gets what
//! ([`requests`]).
//!
//! Full-document sync. On every open and change, each open rule document is analysed
//! again (parse, check, lint) and its diagnostics published, with the results of its
//! tests when 运行测试 ran them since its last change: a change to a base file shows in
//! the overlays that extend it. One thread answers in order. The lifecycle is the
//! protocol's: requests before `initialize` get `ServerNotInitialized`, after `shutdown`
//! `InvalidRequest`; `exit` ends with 0 after `shutdown`, else 1. Bad input (a malformed
//! message, unknown method, bad parameters) gets its protocol error and the server goes
//! on; a request whose handling panicked gets `InternalError` and the server goes on.

mod convert;
mod docs;
mod requests;
mod transport;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use lsp_server::{ErrorCode, Message, Notification, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use miette::Diagnostic;
use thiserror::Error;

use jixiao::Source;
use jixiao::service::workspace::Workspace;

use super::{Failure, limits};
use docs::{Docs, Place};
use transport::Incoming;

/// The connection with the editor failed.
#[derive(Debug, Error, Diagnostic)]
#[error("语言服务器与编辑器的连接中断：{reason}")]
#[diagnostic(
    code(jixiao::lsp::protocol),
    help(
        "jixiao lsp 由编辑器启动，通过标准输入输出按 Language Server Protocol 通信；请在编辑器中配置（见 README「在编辑器中编写规则」），而不是在终端中直接运行"
    )
)]
struct ProtocolError {
    reason: String,
}

fn protocol(e: impl std::fmt::Display) -> Failure {
    Box::new(ProtocolError {
        reason: e.to_string(),
    })
}

/// Where the server is in the protocol's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    /// Before `initialize`.
    #[default]
    Waiting,
    /// Answering.
    Running,
    /// After `shutdown`: only `exit` is expected.
    ShutDown,
}

/// The longest message read: a rule file at its size limit, every character escaped.
fn max_message() -> usize {
    limits()
        .rule_bytes
        .saturating_mul(6)
        .saturating_add(1 << 20)
}

/// Runs the server until the editor says `exit`.
pub(crate) fn run() -> Result<ExitCode, Failure> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    serve(&mut stdin.lock(), &mut stdout.lock())
}

fn serve(input: &mut impl BufRead, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let mut server = Server::default();
    loop {
        let incoming = transport::read(input, max_message()).map_err(protocol)?;
        match incoming {
            Incoming::End => {
                return Err(protocol(match server.state {
                    State::Waiting => "输入在 initialize 之前结束",
                    _ => "输入在 exit 之前结束",
                }));
            }
            Incoming::Bad {
                id: None,
                code,
                message,
            } => transport::write_error_without_id(out, code, &message).map_err(protocol)?,
            Incoming::Bad {
                id: Some(id),
                code,
                message,
            } => server.send(Response::new_err(id, code as i32, message).into()),
            Incoming::Message(Message::Notification(n))
                if n.method == lsp::notification::Exit::METHOD =>
            {
                return Ok(ExitCode::from(u8::from(server.state != State::ShutDown)));
            }
            Incoming::Message(message) => {
                let handled = catch_unwind(AssertUnwindSafe(|| server.handle(message.clone())));
                if handled.is_err() {
                    if let Message::Request(req) = message {
                        server.send(
                            Response::new_err(
                                req.id,
                                ErrorCode::InternalError as i32,
                                "jixiao lsp 处理此请求时出错（程序缺陷），请报告给维护者"
                                    .to_owned(),
                            )
                            .into(),
                        );
                    }
                }
            }
        }
        for message in server.outbox.drain(..) {
            transport::write(out, &message).map_err(protocol)?;
        }
    }
}

#[derive(Default)]
struct Server {
    state: State,
    docs: Docs,
    /// Messages to write once the current one is handled.
    outbox: Vec<Message>,
    /// The diagnostics of each document's tests since they last ran, until it changes.
    tests: HashMap<String, Vec<lsp::Diagnostic>>,
    /// Whether the editor lets the server ask to watch files (`client/registerCapability`
    /// of `workspace/didChangeWatchedFiles`), as `initialize` said.
    watch: bool,
}

impl Server {
    fn send(&mut self, message: Message) {
        self.outbox.push(message);
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(req) => {
                let response = match self.state {
                    State::Waiting
                        if req.method
                            != <lsp::request::Initialize as lsp::request::Request>::METHOD =>
                    {
                        Response::new_err(
                            req.id,
                            ErrorCode::ServerNotInitialized as i32,
                            "尚未 initialize".to_owned(),
                        )
                    }
                    State::ShutDown => Response::new_err(
                        req.id,
                        ErrorCode::InvalidRequest as i32,
                        "已 shutdown，只等待 exit".to_owned(),
                    ),
                    _ => self.request(&req),
                };
                self.send(response.into());
            }
            Message::Notification(n) if self.state == State::Running => self.notify(n),
            Message::Notification(_) | Message::Response(_) => {}
        }
    }

    /// The document at `uri` as a source, and where it lies.
    fn source(&self, uri: &str) -> Option<(Source, Place)> {
        let doc = self.docs.open.get(uri)?;
        Some((
            Source::new(doc.place.name.clone(), doc.text.clone()),
            doc.place.clone(),
        ))
    }

    /// Runs `f` with the workspace a document at `place` sees.
    fn with_workspace<T>(&self, place: &Place, f: impl FnOnce(&Workspace<'_>) -> T) -> T {
        let seen = self.docs.seen(place.root.as_deref());
        f(&Workspace::new(&seen))
    }

    fn notify(&mut self, n: Notification) {
        use lsp::notification as note;
        match n.method.as_str() {
            note::Initialized::METHOD if self.watch => self.register_watchers(),
            // A base file (or a test's form) changed on disk: what extends it is analysed
            // again, and tests run before the change are stale.
            note::DidChangeWatchedFiles::METHOD => {
                self.tests.clear();
                self.publish_all();
            }
            note::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    self.docs.open(d.uri.as_str(), d.text, Some(d.version));
                    self.tests.remove(d.uri.as_str());
                    self.publish_all();
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                {
                    // Full sync: the last change is the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        let uri = p.text_document.uri.as_str();
                        self.docs
                            .open(uri, change.text, Some(p.text_document.version));
                        self.tests.remove(uri);
                        self.publish_all();
                    }
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.docs.open.remove(uri.as_str());
                    self.tests.remove(uri.as_str());
                    self.publish(uri, Vec::new(), None);
                    self.publish_all();
                }
            }
            _ => {}
        }
    }

    /// Asks the editor to report changes to rule files and forms on disk: the bases that
    /// open documents extend, and the forms their tests read, are not open themselves.
    fn register_watchers(&mut self) {
        let watcher = |glob: &str| lsp::FileSystemWatcher {
            glob_pattern: lsp::GlobPattern::String(glob.to_owned()),
            kind: None,
        };
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![watcher("**/*.rules"), watcher("**/*.toml")],
        };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "jixiao-files".to_owned(),
                method: lsp::notification::DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Message::Request(lsp_server::Request::new(
            "jixiao/watch".to_owned().into(),
            <lsp::request::RegisterCapability as lsp::request::Request>::METHOD.to_owned(),
            params,
        )));
    }

    fn publish(&mut self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            lsp::notification::PublishDiagnostics::METHOD.to_owned(),
            params,
        )));
    }

    /// Analyses every open document and publishes its diagnostics.
    fn publish_all(&mut self) {
        let mut uris: Vec<String> = self.docs.open.keys().cloned().collect();
        uris.sort();
        for text_uri in uris {
            let Some(uri) = convert::uri(&text_uri) else {
                continue;
            };
            let Some((source, place)) = self.source(&text_uri) else {
                continue;
            };
            let mut diagnostics = self.diagnostics(&source, &place);
            diagnostics.extend(self.tests.get(&text_uri).into_iter().flatten().cloned());
            let version = self.docs.open.get(&text_uri).and_then(|d| d.version);
            self.publish(uri, diagnostics, version);
        }
    }

    fn diagnostics(&self, source: &Source, place: &Place) -> Vec<lsp::Diagnostic> {
        let (analysis, _) =
            self.with_workspace(place, |ws| jixiao::service::analyze(source, ws, limits()));
        let extends = jixiao::service::symbols::extends_range(source);
        analysis
            .diagnostics
            .iter()
            .map(|d| convert::diagnostic(d, &place.name, place.root.as_deref(), extends))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &serde_json::Value) -> String {
        let body = body.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn exit_without_shutdown_is_status_1_and_eof_a_protocol_error() {
        let init = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}});
        let exit = serde_json::json!({"jsonrpc": "2.0", "method": "exit"});
        let input = format!("{}{}", frame(&init), frame(&exit));
        let mut out = Vec::new();
        let status = serve(&mut input.as_bytes(), &mut out).unwrap();
        assert_eq!(status, ExitCode::from(1));
        let mut out = Vec::new();
        let err = serve(&mut frame(&init).as_bytes(), &mut out).unwrap_err();
        assert_eq!(
            err.code().map(|c| c.to_string()).as_deref(),
            Some("jixiao::lsp::protocol")
        );
    }
}
