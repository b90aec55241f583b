//! Which request gets what: each is answered by one function of the language service
//! ([`jixiao::service`]) on the document's text as the editor has it, converted by
//! [`super::convert`]. A request about a document that is not open gets an empty answer;
//! one with bad parameters `InvalidParams`; an unknown one `MethodNotFound`.

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use jixiao::Source;
use jixiao::service::complete::FormWords;
use jixiao::service::position::{LineIndex, Position, Range};
use jixiao::service::{self, TestStatus};

use super::docs::{Place, SCHEME, bundled_name};
use super::{Server, State, convert, limits};

/// The command a 运行测试 code lens runs, with the document's URI.
pub(crate) const RUN_TESTS: &str = "jixiao.runTests";
/// The request that gives a bundled rule set's text (for editors without
/// `workspace/textDocumentContent`).
const BUNDLED_TEXT: &str = "jixiao/bundledText";
/// The protocol's request for a virtual document's text (LSP 3.18).
const TEXT_DOCUMENT_CONTENT: &str = "workspace/textDocumentContent";

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

fn capabilities() -> Value {
    let caps = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["\"".to_owned()]),
            ..lsp::CompletionOptions::default()
        }),
        semantic_tokens_provider: Some(
            lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp::SemanticTokensOptions {
                    legend: convert::legend(),
                    full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
                },
            ),
        ),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        code_lens_provider: Some(lsp::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![RUN_TESTS.to_owned()],
            work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
        }),
        ..lsp::ServerCapabilities::default()
    };
    let mut caps = serde_json::to_value(caps).unwrap_or_default();
    // LSP 3.18's virtual documents, which lsp-types does not know yet.
    caps["workspace"] = json!({ "textDocumentContent": { "schemes": [SCHEME] } });
    caps
}

/// The workspace folder of `initialize`: the first workspace folder, else the root URI.
fn root_of(params: &lsp::InitializeParams) -> Option<std::path::PathBuf> {
    #[allow(deprecated)] // `root_uri`: older clients send only it.
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first().map(|f| f.uri.clone()))
        .or_else(|| params.root_uri.clone())?;
    super::docs::file_path(uri.as_str())?.canonicalize().ok()
}

/// Whether `a` and `b` overlap (touching counts).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

impl Server {
    /// The answer to `req` (the server is initialized, or `req` is `initialize`).
    pub(super) fn request(&mut self, req: &Request) -> Response {
        match self.answer(req) {
            Ok(r) | Err(r) => r,
        }
    }

    /// The document and position of a positional request, when the document is open.
    fn at(&self, p: &lsp::TextDocumentPositionParams) -> Option<(Source, Place, Position)> {
        let (source, place) = self.source(p.text_document.uri.as_str())?;
        Some((source, place, convert::from_lsp(p.position)))
    }

    fn answer(&mut self, req: &Request) -> Result<Response, Response> {
        use lsp::request as r;
        let id = req.id.clone();
        Ok(match req.method.as_str() {
            r::Initialize::METHOD => {
                let p: lsp::InitializeParams = params(req)?;
                self.docs.root = root_of(&p);
                self.watch = p
                    .capabilities
                    .workspace
                    .as_ref()
                    .and_then(|w| w.did_change_watched_files)
                    .and_then(|d| d.dynamic_registration)
                    .unwrap_or(false);
                self.state = State::Running;
                ok(
                    id,
                    json!({
                        "capabilities": capabilities(),
                        "serverInfo": { "name": "jixiao", "version": env!("CARGO_PKG_VERSION") },
                    }),
                )
            }
            r::Shutdown::METHOD => {
                self.state = State::ShutDown;
                ok(id, Value::Null)
            }
            r::HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(req)?;
                let hover =
                    self.at(&p.text_document_position_params)
                        .and_then(|(s, place, pos)| {
                            self.with_workspace(&place, |ws| {
                                service::hover::hover(&s, ws, limits(), pos)
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
                let found = self
                    .at(&p.text_document_position_params)
                    .map(|(s, place, pos)| {
                        let found = self
                            .with_workspace(&place, |ws| service::symbols::definition(&s, ws, pos));
                        locations(&place, &found)
                    })
                    .unwrap_or_default();
                ok(id, lsp::GotoDefinitionResponse::Array(found))
            }
            r::References::METHOD => {
                let p: lsp::ReferenceParams = params(req)?;
                let found = self
                    .at(&p.text_document_position)
                    .map(|(s, place, pos)| {
                        let found = self.with_workspace(&place, |ws| {
                            service::symbols::references(&s, ws, pos, p.context.include_declaration)
                        });
                        locations(&place, &found)
                    })
                    .unwrap_or_default();
                ok(id, found)
            }
            r::Completion::METHOD => {
                let p: lsp::CompletionParams = params(req)?;
                // Typing `"` asks for the forms' values; a closing quote gets nothing.
                let quote = p.context.as_ref().is_some_and(|c| {
                    c.trigger_kind == lsp::CompletionTriggerKind::TRIGGER_CHARACTER
                });
                let items = self.completion(&p.text_document_position, quote);
                ok(id, lsp::CompletionResponse::Array(items))
            }
            r::DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(req)?;
                let symbols: Vec<lsp::DocumentSymbol> = self
                    .source(p.text_document.uri.as_str())
                    .map(|(s, _)| service::symbols::document_symbols(&s))
                    .unwrap_or_default()
                    .iter()
                    .map(convert::symbol)
                    .collect();
                ok(id, lsp::DocumentSymbolResponse::Nested(symbols))
            }
            r::Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = params(req)?;
                let edits = self
                    .source(p.text_document.uri.as_str())
                    .and_then(|(s, _)| formatting(&s));
                ok(id, edits)
            }
            r::SemanticTokensFullRequest::METHOD => {
                let p: lsp::SemanticTokensParams = params(req)?;
                let tokens = self.source(p.text_document.uri.as_str()).map(|(s, place)| {
                    let tokens = self.with_workspace(&place, |ws| service::tokens::tokens(&s, ws));
                    convert::semantic_tokens(&tokens)
                });
                ok(id, tokens.map(lsp::SemanticTokensResult::Tokens))
            }
            r::CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = params(req)?;
                ok(id, self.code_actions(&p))
            }
            r::CodeLensRequest::METHOD => {
                let p: lsp::CodeLensParams = params(req)?;
                ok(id, self.code_lenses(&p.text_document.uri))
            }
            r::ExecuteCommand::METHOD => {
                let p: lsp::ExecuteCommandParams = params(req)?;
                let uri = p.arguments.first().and_then(Value::as_str);
                match (p.command.as_str(), uri) {
                    (RUN_TESTS, Some(uri)) => ok(id, self.run_tests(uri)),
                    _ => Response::new_err(
                        id,
                        ErrorCode::InvalidParams as i32,
                        format!("jixiao lsp 不认识命令 {}（或缺少文件参数）", p.command),
                    ),
                }
            }
            BUNDLED_TEXT => {
                let p: lsp::TextDocumentIdentifier = params(req)?;
                ok(id, bundled_text(p.uri.as_str()))
            }
            TEXT_DOCUMENT_CONTENT => {
                let p: lsp::TextDocumentIdentifier = params(req)?;
                match bundled_text(p.uri.as_str()) {
                    Some(text) => ok(id, json!({ "text": text })),
                    None => Response::new_err(
                        id,
                        ErrorCode::InvalidParams as i32,
                        format!("没有这个内置规则：{}", p.uri.as_str()),
                    ),
                }
            }
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("jixiao lsp 不支持请求 {}", req.method),
            ),
        })
    }

    /// What may be typed at `p`; with `values_only`, only when that is a string's values.
    fn completion(
        &mut self,
        p: &lsp::TextDocumentPositionParams,
        values_only: bool,
    ) -> Vec<lsp::CompletionItem> {
        let Some((source, place, pos)) = self.at(p) else {
            return Vec::new();
        };
        let folder = self.docs.forms_folder(&place).map(|f| f.root.clone());
        let docs = &self.docs;
        let forms = || {
            folder
                .and_then(|root| docs.folder(&root))
                .map(|f| FormWords::of_loaded(&f.forms().0))
                .unwrap_or_default()
        };
        let items = self.with_workspace(&place, |ws| {
            service::complete::complete(&source, ws, pos, forms)
        });
        if values_only && !items.iter().all(|i| i.replace.is_some()) {
            return Vec::new();
        }
        items.into_iter().map(convert::completion).collect()
    }

    /// A quick fix for each did-you-mean of the document within the requested range.
    fn code_actions(&self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let Some((source, place)) = self.source(p.text_document.uri.as_str()) else {
            return Vec::new();
        };
        let (analysis, _) =
            self.with_workspace(&place, |ws| service::analyze(&source, ws, limits()));
        let wanted = Range {
            start: convert::from_lsp(p.range.start),
            end: convert::from_lsp(p.range.end),
        };
        let extends = service::symbols::extends_range(&source);
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.file == place.name && overlaps(d.range, wanted))
            .filter_map(|d| {
                let fix = d.fix.as_ref()?;
                let edit = lsp::TextEdit {
                    range: convert::range(d.range),
                    new_text: fix.clone(),
                };
                let diagnostic =
                    convert::diagnostic(d, &place.name, place.root.as_deref(), extends);
                Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: format!("改为「{fix}」"),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(lsp::WorkspaceEdit {
                        changes: Some(
                            [(p.text_document.uri.clone(), vec![edit])]
                                .into_iter()
                                .collect(),
                        ),
                        ..lsp::WorkspaceEdit::default()
                    }),
                    is_preferred: Some(true),
                    ..lsp::CodeAction::default()
                }))
            })
            .collect()
    }

    /// 运行测试 above each `test` block.
    fn code_lenses(&self, uri: &lsp::Uri) -> Vec<lsp::CodeLens> {
        let Some((source, _)) = self.source(uri.as_str()) else {
            return Vec::new();
        };
        service::symbols::document_symbols(&source)
            .iter()
            .filter(|s| s.kind == service::symbols::SymbolKind::Test)
            .map(|s| lsp::CodeLens {
                range: convert::range(s.selection),
                command: Some(lsp::Command {
                    title: "运行测试".to_owned(),
                    command: RUN_TESTS.to_owned(),
                    arguments: Some(vec![json!(uri.as_str())]),
                }),
                data: None,
            })
            .collect()
    }

    /// Runs the tests of the document at `uri`: their results become its diagnostics
    /// (until it changes) and a message; the answer is the service's report.
    fn run_tests(&mut self, uri: &str) -> Value {
        let Some((source, place)) = self.source(uri) else {
            return Value::Null;
        };
        let (analysis, rules) =
            self.with_workspace(&place, |ws| service::analyze(&source, ws, limits()));
        let Some(rules) = rules.filter(|_| analysis.ok) else {
            self.show(
                lsp::MessageType::WARNING,
                "规则有错误，无法运行测试；请先改正错误",
            );
            return Value::Null;
        };
        let report = self.with_workspace(&place, |ws| service::run_tests(&rules, ws));
        let extends = service::symbols::extends_range(&source);
        // A base's tests that pass under this file too are not news.
        let results = report
            .results
            .iter()
            .filter(|t| t.file == place.name || t.status != TestStatus::Passed)
            .map(|t| {
                let mine = t.file == place.name;
                let at = if mine {
                    t.range
                } else {
                    extends.unwrap_or(Range {
                        start: Position::default(),
                        end: Position::default(),
                    })
                };
                convert::test_result(t, at, !mine)
            })
            .collect();
        self.tests.insert(uri.to_owned(), results);
        let kind = if report.failed > 0 {
            lsp::MessageType::ERROR
        } else {
            lsp::MessageType::INFO
        };
        self.show(
            kind,
            &format!(
                "测试：{} 个通过，{} 个未通过，{} 个与基础规则不同",
                report.passed, report.failed, report.changed
            ),
        );
        self.publish_all();
        serde_json::to_value(&report).unwrap_or_default()
    }

    fn show(&mut self, typ: lsp::MessageType, message: &str) {
        let params = lsp::ShowMessageParams {
            typ,
            message: message.to_owned(),
        };
        self.send(Message::Notification(Notification::new(
            lsp::notification::ShowMessage::METHOD.to_owned(),
            params,
        )));
    }
}

fn bundled_text(uri: &str) -> Option<String> {
    let name = bundled_name(uri)?;
    service::workspace::bundled(&name).map(|s| s.text().to_owned())
}

fn locations(place: &Place, found: &[service::symbols::Location]) -> Vec<lsp::Location> {
    found
        .iter()
        .filter_map(|l| convert::location(place.root.as_deref(), l))
        .collect()
}

/// `fmt`'s output as one edit of the whole document; none when it is formatted already,
/// `None` (no answer) when it does not parse.
fn formatting(source: &Source) -> Option<Vec<lsp::TextEdit>> {
    let formatted = service::format(source).ok()?;
    if formatted == source.text() {
        return Some(Vec::new());
    }
    let end = LineIndex::new(source.text()).position(source.text().len());
    Some(vec![lsp::TextEdit {
        range: lsp::Range::new(lsp::Position::new(0, 0), convert::position(end)),
        new_text: formatted,
    }])
}
