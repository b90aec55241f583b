//! `jixiao lsp`: the rule language in any editor, over the Language Server Protocol on
//! stdin/stdout. A thin layer: every answer is the library's language service's
//! ([`jixiao::service`]), the same the workbench shows; here are only the transport
//! (rust-analyzer's `lsp-server`), the open documents and the disk ([`docs`]), and the
//! protocol's types ([`convert`]).
//!
//! Full-document sync. On every open and change, each open rule document is analysed
//! again (parse, check, lint) and its diagnostics published: a change to a base file
//! shows in the overlays that extend it. One thread, requests answered in order; a
//! request with bad parameters gets `InvalidParams`, an unknown one `MethodNotFound`.

mod convert;
mod docs;

use std::process::ExitCode;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use miette::Diagnostic;
use serde::de::DeserializeOwned;
use thiserror::Error;

use jixiao::Source;
use jixiao::service::workspace::Workspace;

use super::{Failure, limits};
use docs::{Docs, Place, Seen};

/// The custom request that gives a bundled rule set's text (`jixiao-bundled:` documents).
const BUNDLED_TEXT: &str = "jixiao/bundledText";

/// The connection with the editor failed.
#[derive(Debug, Error, Diagnostic)]
#[error("语言服务器与编辑器的连接中断：{reason}")]
#[diagnostic(
    code(jixiao::lsp::protocol),
    help(
        "jixiao lsp 由编辑器启动，通过标准输入输出按 Language Server Protocol 通信；请在编辑器中配置，而不是在终端中直接运行"
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

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions::default()),
        ..lsp::ServerCapabilities::default()
    }
}

/// Runs the server until the editor says `exit`.
pub(crate) fn run() -> Result<ExitCode, Failure> {
    let (connection, threads) = Connection::stdio();
    let caps = serde_json::to_value(capabilities()).map_err(protocol)?;
    let params = connection.initialize(caps).map_err(protocol)?;
    let mut server = Server {
        docs: Docs {
            root: root_of(&params),
            ..Docs::default()
        },
        connection: &connection,
    };
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).map_err(protocol)? {
                    break;
                }
                let response = server.request(req);
                server.send(response.into());
            }
            Message::Notification(n) => server.notify(n),
            Message::Response(_) => {}
        }
    }
    drop(connection);
    threads.join().map_err(protocol)?;
    Ok(ExitCode::SUCCESS)
}

/// The workspace folder of `initialize`: the first workspace folder, else the root URI.
fn root_of(params: &serde_json::Value) -> Option<std::path::PathBuf> {
    let p: lsp::InitializeParams = serde_json::from_value(params.clone()).ok()?;
    #[allow(deprecated)] // `root_uri`: older clients send only it.
    let uri = p
        .workspace_folders
        .and_then(|f| f.into_iter().next().map(|f| f.uri))
        .or(p.root_uri)?;
    docs::file_path(uri.as_str())?.canonicalize().ok()
}

struct Server<'c> {
    docs: Docs,
    connection: &'c Connection,
}

fn params<P: DeserializeOwned>(req: &Request) -> Result<P, Response> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        Response::new_err(
            req.id.clone(),
            ErrorCode::InvalidParams as i32,
            format!("参数不正确：{e}"),
        )
    })
}

fn ok(id: RequestId, result: impl serde::Serialize) -> Response {
    Response::new_ok(id, result)
}

impl Server<'_> {
    fn send(&self, message: Message) {
        // The editor has gone: the receiving loop ends on its own.
        let _ = self.connection.sender.send(message);
    }

    /// The document at `uri` as a source, where it lies, and its text.
    fn source(&self, uri: &lsp::Uri) -> Option<(Source, Place)> {
        let text = self.docs.open.get(uri.as_str())?;
        let place = self.docs.place(uri.as_str());
        Some((Source::new(place.name.clone(), text.clone()), place))
    }

    fn with_workspace<T>(&self, place: &Place, f: impl FnOnce(&Workspace<'_>) -> T) -> T {
        let seen = Seen {
            docs: &self.docs,
            root: place.root.as_deref(),
            max_bytes: limits().rule_bytes,
        };
        f(&Workspace::new(&seen))
    }

    fn request(&self, req: Request) -> Response {
        match self.answer(&req) {
            Ok(r) | Err(r) => r,
        }
    }

    fn answer(&self, req: &Request) -> Result<Response, Response> {
        use lsp::request as r;
        let id = req.id.clone();
        let at = |p: &lsp::TextDocumentPositionParams| {
            self.source(&p.text_document.uri)
                .map(|(s, place)| (s, place, convert::from_lsp(p.position)))
        };
        Ok(match req.method.as_str() {
            r::HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(req)?;
                let hover = at(&p.text_document_position_params).and_then(|(s, place, pos)| {
                    self.with_workspace(&place, |ws| {
                        jixiao::service::hover::hover(&s, ws, limits(), pos)
                    })
                });
                ok(
                    id,
                    hover.map(|h| lsp::Hover {
                        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                            kind: lsp::MarkupKind::Markdown,
                            value: h.markdown,
                        }),
                        range: Some(convert::range(h.range)),
                    }),
                )
            }
            r::GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = params(req)?;
                let found = at(&p.text_document_position_params)
                    .map(|(s, place, pos)| {
                        let found = self.with_workspace(&place, |ws| {
                            jixiao::service::symbols::definition(&s, ws, pos)
                        });
                        locations(&place, &found)
                    })
                    .unwrap_or_default();
                ok(id, lsp::GotoDefinitionResponse::Array(found))
            }
            r::References::METHOD => {
                let p: lsp::ReferenceParams = params(req)?;
                let found = at(&p.text_document_position)
                    .map(|(s, place, pos)| {
                        let found = self.with_workspace(&place, |ws| {
                            jixiao::service::symbols::references(
                                &s,
                                ws,
                                pos,
                                p.context.include_declaration,
                            )
                        });
                        locations(&place, &found)
                    })
                    .unwrap_or_default();
                ok(id, found)
            }
            r::Completion::METHOD => {
                let p: lsp::CompletionParams = params(req)?;
                let items: Vec<lsp::CompletionItem> = at(&p.text_document_position)
                    .map(|(s, place, pos)| {
                        self.with_workspace(&place, |ws| {
                            jixiao::service::complete::complete(&s, ws, pos)
                        })
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .map(convert::completion)
                    .collect();
                ok(id, lsp::CompletionResponse::Array(items))
            }
            r::DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(req)?;
                let symbols: Vec<lsp::DocumentSymbol> = self
                    .source(&p.text_document.uri)
                    .map(|(s, _)| jixiao::service::symbols::document_symbols(&s))
                    .unwrap_or_default()
                    .iter()
                    .map(convert::symbol)
                    .collect();
                ok(id, lsp::DocumentSymbolResponse::Nested(symbols))
            }
            r::Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = params(req)?;
                let edits = self
                    .source(&p.text_document.uri)
                    .and_then(|(s, _)| formatting(&s));
                ok(id, edits)
            }
            BUNDLED_TEXT => {
                let p: lsp::TextDocumentIdentifier = params(req)?;
                let place = self.docs.place(p.uri.as_str());
                ok(
                    id,
                    jixiao::service::workspace::bundled(&place.name).map(|s| s.text().to_owned()),
                )
            }
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("jixiao lsp 不支持请求 {}", req.method),
            ),
        })
    }

    fn notify(&mut self, n: Notification) {
        use lsp::notification as n_;
        match n.method.as_str() {
            n_::DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp::DidOpenTextDocumentParams>(n_::DidOpenTextDocument::METHOD)
                {
                    self.docs.open.insert(
                        p.text_document.uri.as_str().to_owned(),
                        p.text_document.text,
                    );
                    self.publish_all();
                }
            }
            n_::DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp::DidChangeTextDocumentParams>(n_::DidChangeTextDocument::METHOD)
                {
                    // Full sync: the last change is the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.docs
                            .open
                            .insert(p.text_document.uri.as_str().to_owned(), change.text);
                        self.publish_all();
                    }
                }
            }
            n_::DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp::DidCloseTextDocumentParams>(n_::DidCloseTextDocument::METHOD)
                {
                    self.docs.open.remove(p.text_document.uri.as_str());
                    self.publish(p.text_document.uri, Vec::new());
                    self.publish_all();
                }
            }
            _ => {}
        }
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.send(Message::Notification(Notification::new(
            n_publish().to_owned(),
            params,
        )));
    }

    /// Analyses every open document and publishes its diagnostics.
    fn publish_all(&self) {
        let mut uris: Vec<&String> = self.docs.open.keys().collect();
        uris.sort();
        for text_uri in uris {
            let Some(uri) = convert::uri(text_uri) else {
                continue;
            };
            let Some((source, place)) = self.source(&uri) else {
                continue;
            };
            let diagnostics = self.diagnostics(&source, &place);
            self.publish(uri, diagnostics);
        }
    }

    fn diagnostics(&self, source: &Source, place: &Place) -> Vec<lsp::Diagnostic> {
        let (analysis, _) =
            self.with_workspace(place, |ws| jixiao::service::analyze(source, ws, limits()));
        let extends = jixiao::syntax::parse(source)
            .ok()
            .and_then(|f| f.header.extends)
            .map(|e| {
                jixiao::service::position::LineIndex::new(source.text())
                    .range(e.span.start, e.span.end)
            });
        analysis
            .diagnostics
            .iter()
            .map(|d| convert::diagnostic(d, &place.name, place.root.as_deref(), extends))
            .collect()
    }
}

fn n_publish() -> &'static str {
    <lsp::notification::PublishDiagnostics as lsp::notification::Notification>::METHOD
}

fn locations(place: &Place, found: &[jixiao::service::symbols::Location]) -> Vec<lsp::Location> {
    found
        .iter()
        .filter_map(|l| convert::location(place.root.as_deref(), l))
        .collect()
}

/// `fmt`'s output as one edit of the whole document; none when it is formatted already
/// or does not parse.
fn formatting(source: &Source) -> Option<Vec<lsp::TextEdit>> {
    let formatted = jixiao::service::format(source).ok()?;
    if formatted == source.text() {
        return Some(Vec::new());
    }
    let end =
        jixiao::service::position::LineIndex::new(source.text()).position(source.text().len());
    Some(vec![lsp::TextEdit {
        range: lsp::Range::new(lsp::Position::new(0, 0), convert::position(end)),
        new_text: formatted,
    }])
}
