//! The language service's values as the protocol's types: positions (both count UTF-16
//! units, so they are copied), diagnostics, symbols, completion items, locations,
//! semantic tokens, test results.
//!
//! Invariants: nothing is computed here that the service has not: a range is the
//! service's, a message its words; a diagnostic about a base file (an overlay's) is shown
//! at the document's `extends` and says which base, with the base's place as related
//! information.

use std::path::Path;
use std::str::FromStr;

use lsp_types as lsp;

use jixiao::service::complete::{CompletionItem, ItemKind};
use jixiao::service::position::{Position, Range};
use jixiao::service::symbols::{Location, Symbol, SymbolKind};
use jixiao::service::tokens::{Token, TokenKind};
use jixiao::service::{Diagnostic, Severity, TestOutcome, TestStatus};

use super::docs::uri_of;

/// docs/diagnostics.md in the source tree this binary was built from: the page that
/// explains every code.
const DIAGNOSTICS_PAGE: &str = concat!(
    "file://",
    env!("CARGO_MANIFEST_DIR"),
    "/docs/diagnostics.md"
);

/// Where a diagnostic comes from, as editors show it.
const SOURCE: &str = "jixiao";

pub(crate) fn position(p: Position) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

pub(crate) fn from_lsp(p: lsp::Position) -> Position {
    Position {
        line: p.line,
        character: p.character,
    }
}

pub(crate) fn range(r: Range) -> lsp::Range {
    lsp::Range::new(position(r.start), position(r.end))
}

pub(crate) fn uri(text: &str) -> Option<lsp::Uri> {
    lsp::Uri::from_str(text).ok()
}

pub(crate) fn location(root: Option<&Path>, l: &Location) -> Option<lsp::Location> {
    Some(lsp::Location::new(
        uri(&uri_of(root, &l.file))?,
        range(l.range),
    ))
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
    }
}

fn code(code: &str) -> (Option<lsp::NumberOrString>, Option<lsp::CodeDescription>) {
    (
        (!code.is_empty()).then(|| lsp::NumberOrString::String(code.to_owned())),
        uri(DIAGNOSTICS_PAGE).map(|href| lsp::CodeDescription { href }),
    )
}

/// One service diagnostic of the document named `name`, whose `extends` clause is at
/// `extends` (where an overlay's diagnostics about its base are shown).
pub(crate) fn diagnostic(
    d: &Diagnostic,
    name: &str,
    root: Option<&Path>,
    extends: Option<Range>,
) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    let in_base = d.file != name;
    let mut related = Vec::new();
    let here = if in_base {
        message = format!("{message}（在基础规则 {} 中）", d.file);
        if let Some(u) = uri(&uri_of(root, &d.file)) {
            related.push(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(u, range(d.range)),
                message: "基础规则中的位置".to_owned(),
            });
        }
        extends.map_or_else(lsp::Range::default, range)
    } else {
        range(d.range)
    };
    if let Some(help) = &d.help {
        message = format!("{message}\n帮助：{help}");
    }
    if let Some(u) = uri(&uri_of(root, &d.file)) {
        for label in d.labels.iter().skip(1) {
            related.push(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(u.clone(), range(label.range)),
                message: if label.message.is_empty() {
                    "相关位置".to_owned()
                } else {
                    label.message.clone()
                },
            });
        }
    }
    let (code, code_description) = code(&d.code);
    lsp::Diagnostic {
        range: here,
        severity: Some(severity(d.severity)),
        code,
        code_description,
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// A test's result as a diagnostic at `at`: its name's line in the document, or the
/// document's `extends` for a base's test.
pub(crate) fn test_result(t: &TestOutcome, at: Range, in_base: bool) -> lsp::Diagnostic {
    let (severity, verdict) = match t.status {
        TestStatus::Passed => (lsp::DiagnosticSeverity::HINT, "通过"),
        TestStatus::Failed => (lsp::DiagnosticSeverity::ERROR, "未通过"),
        TestStatus::Changed => (lsp::DiagnosticSeverity::WARNING, "结果与基础规则不同"),
    };
    let whose = if in_base {
        format!("基础规则 {} 的测试", t.file)
    } else {
        "测试".to_owned()
    };
    let mut message = format!("{whose}「{}」{verdict}", t.name);
    if t.status != TestStatus::Passed {
        message = format!("{message}：{}", t.message);
    }
    lsp::Diagnostic {
        range: range(at),
        severity: Some(severity),
        code: None,
        code_description: None,
        source: Some(format!("{SOURCE} test")),
        message,
        related_information: None,
        tags: None,
        data: None,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the protocol's struct.
pub(crate) fn symbol(s: &Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: match s.kind {
            SymbolKind::Param => lsp::SymbolKind::CONSTANT,
            SymbolKind::Fact => lsp::SymbolKind::FIELD,
            SymbolKind::Budget => lsp::SymbolKind::OBJECT,
            SymbolKind::Class => lsp::SymbolKind::CLASS,
            SymbolKind::Band => lsp::SymbolKind::ENUM_MEMBER,
            SymbolKind::Test => lsp::SymbolKind::METHOD,
        },
        tags: None,
        deprecated: None,
        range: range(s.range),
        selection_range: range(s.selection),
        children: (!s.children.is_empty()).then(|| s.children.iter().map(symbol).collect()),
    }
}

pub(crate) fn completion(c: CompletionItem) -> lsp::CompletionItem {
    let text_edit = c.replace.map(|r| {
        lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: range(r),
            new_text: c.label.clone(),
        })
    });
    lsp::CompletionItem {
        label: c.label,
        kind: Some(match c.kind {
            ItemKind::Keyword => lsp::CompletionItemKind::KEYWORD,
            ItemKind::Param => lsp::CompletionItemKind::CONSTANT,
            ItemKind::Fact => lsp::CompletionItemKind::FIELD,
            ItemKind::Class => lsp::CompletionItemKind::CLASS,
            ItemKind::Builtin => lsp::CompletionItemKind::VARIABLE,
            ItemKind::Function => lsp::CompletionItemKind::FUNCTION,
            ItemKind::Value => lsp::CompletionItemKind::VALUE,
        }),
        detail: (!c.detail.is_empty()).then_some(c.detail),
        documentation: (!c.documentation.is_empty()).then_some(lsp::Documentation::MarkupContent(
            lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: c.documentation,
            },
        )),
        text_edit,
        ..lsp::CompletionItem::default()
    }
}

/// The semantic token types, in the legend's order ([`token_type`] indexes it).
const TOKEN_TYPES: [lsp::SemanticTokenType; 11] = [
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::OPERATOR,
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::ENUM_MEMBER,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::PARAMETER,
    lsp::SemanticTokenType::CLASS,
];

/// The one modifier: a built-in name or function.
const DEFAULT_LIBRARY: u32 = 1;

pub(crate) fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![lsp::SemanticTokenModifier::DEFAULT_LIBRARY],
    }
}

/// The legend's index of a token kind, and its modifiers.
fn token_type(kind: TokenKind) -> (u32, u32) {
    match kind {
        TokenKind::Comment => (0, 0),
        TokenKind::String => (1, 0),
        TokenKind::Number => (2, 0),
        TokenKind::Operator => (3, 0),
        TokenKind::Keyword => (4, 0),
        TokenKind::Follower => (5, 0),
        TokenKind::Builtin => (6, DEFAULT_LIBRARY),
        TokenKind::Name => (6, 0),
        TokenKind::Function => (7, DEFAULT_LIBRARY),
        TokenKind::Field => (8, 0),
        TokenKind::Param => (9, 0),
        TokenKind::Class => (10, 0),
    }
}

/// The tokens in the protocol's relative encoding.
pub(crate) fn semantic_tokens(tokens: &[Token]) -> lsp::SemanticTokens {
    let mut data = Vec::with_capacity(tokens.len());
    let (mut line, mut start) = (0, 0);
    for t in tokens {
        let delta_line = t.line - line;
        let delta_start = if delta_line == 0 {
            t.start - start
        } else {
            t.start
        };
        let (token_type, token_modifiers_bitset) = token_type(t.kind);
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: t.length,
            token_type,
            token_modifiers_bitset,
        });
        line = t.line;
        start = t.start;
    }
    lsp::SemanticTokens {
        result_id: None,
        data,
    }
}
