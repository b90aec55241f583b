//! The language service's values as the protocol's types: positions (both count UTF-16
//! units, so they are copied), diagnostics, symbols, completion items, locations.
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
use jixiao::service::{Diagnostic, Severity};

use super::docs::Docs;

/// docs/diagnostics.md in the source tree this binary was built from: the page that
/// explains every code.
const DIAGNOSTICS_PAGE: &str = concat!(
    "file://",
    env!("CARGO_MANIFEST_DIR"),
    "/docs/diagnostics.md"
);

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
        uri(&Docs::uri_of(root, &l.file))?,
        range(l.range),
    ))
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
        if let Some(u) = uri(&Docs::uri_of(root, &d.file)) {
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
    if let Some(u) = uri(&Docs::uri_of(root, &d.file)) {
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
    lsp::Diagnostic {
        range: here,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: (!d.code.is_empty()).then(|| lsp::NumberOrString::String(d.code.clone())),
        code_description: uri(DIAGNOSTICS_PAGE).map(|href| lsp::CodeDescription { href }),
        source: Some("jixiao".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
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
    lsp::CompletionItem {
        label: c.label,
        kind: Some(match c.kind {
            ItemKind::Keyword => lsp::CompletionItemKind::KEYWORD,
            ItemKind::Param => lsp::CompletionItemKind::CONSTANT,
            ItemKind::Class => lsp::CompletionItemKind::CLASS,
            ItemKind::Builtin => lsp::CompletionItemKind::VARIABLE,
            ItemKind::Function => lsp::CompletionItemKind::FUNCTION,
        }),
        detail: (!c.detail.is_empty()).then_some(c.detail),
        documentation: (!c.documentation.is_empty()).then_some(lsp::Documentation::MarkupContent(
            lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: c.documentation,
            },
        )),
        ..lsp::CompletionItem::default()
    }
}
