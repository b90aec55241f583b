//! What a rule file declares and where: its outline (document symbols), the chain of files
//! it `extends` parsed, and for a name, where it is declared (definition) and used
//! (references), across that chain.
//!
//! Input: a rule file's [`Source`] (perhaps unsaved), a [`Resolve`]r for what it extends, a
//! [`Position`]. Output: [`Symbol`]s and [`Location`]s in UTF-16 ranges. Invariants:
//! every range comes from a span of the parser's AST, converted by [`super::position`];
//! nothing is compiled (a file that parses but does not check still has an outline); a
//! file that does not parse has no outline and no declarations; the chain stops at the
//! first base that cannot be found or parsed, and at a cycle.

use serde::Serialize;

use super::position::{LineIndex, Position, Range};
use crate::check::Resolve;
use crate::source::{Source, Span};
use crate::syntax::ast::{Clause, Expr, ExprKind, File, GuardResult, Item, StepArm};

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SymbolKind {
    /// `param NAME = …`
    Param,
    /// `fact NAME: …`
    Fact,
    /// `budget:`
    Budget,
    /// `class NAME …`
    Class,
    /// A class's `band NAME …`
    Band,
    /// `test "NAME": …`
    Test,
}

/// One entry of a file's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Symbol {
    /// Its name (`预算` for the budget).
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// A class's title, a param's value expression, a band's interval.
    pub detail: Option<String>,
    /// The whole item.
    pub range: Range,
    /// Its name.
    pub selection: Range,
    /// A class's bands.
    pub children: Vec<Symbol>,
}

/// A range in a named file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file's workspace name (`bundled:NAME` for a bundled set).
    pub file: String,
    /// Where.
    pub range: Range,
}

/// A parsed file of an `extends` chain.
pub(crate) struct Parsed {
    pub(crate) source: Source,
    pub(crate) file: File,
}

impl Parsed {
    pub(crate) fn range(&self, span: Span) -> Range {
        LineIndex::new(self.source.text()).range(span.start, span.end)
    }

    pub(crate) fn location(&self, span: Span) -> Location {
        Location {
            file: self.source.name().to_owned(),
            range: self.range(span),
        }
    }
}

/// How many files a chain follows at most (a cycle stops earlier).
const MAX_CHAIN: usize = 32;

/// `source` parsed, then each file it extends, in order; empty when `source` does not
/// parse.
pub(crate) fn chain(source: &Source, resolver: &dyn Resolve) -> Vec<Parsed> {
    let mut out: Vec<Parsed> = Vec::new();
    let mut next = Some(source.clone());
    while let Some(source) = next.take() {
        if out.len() >= MAX_CHAIN || out.iter().any(|p| p.source.name() == source.name()) {
            break;
        }
        let Ok(file) = crate::syntax::parse(&source) else {
            break;
        };
        next = file
            .header
            .extends
            .as_ref()
            .and_then(|e| resolver.resolve(&e.value, &source).ok());
        out.push(Parsed { source, file });
    }
    out
}

/// The outline of a rule file: params, the budget, classes (with their bands) and tests,
/// in file order. Empty when it does not parse.
#[must_use]
pub fn document_symbols(source: &Source) -> Vec<Symbol> {
    let Ok(file) = crate::syntax::parse(source) else {
        return Vec::new();
    };
    let parsed = Parsed {
        source: source.clone(),
        file,
    };
    let slice = |span: Span| parsed.source.slice(span).to_owned();
    let mut out = Vec::new();
    for item in &parsed.file.items {
        match item {
            Item::Param(p) => out.push(Symbol {
                name: p.name.name.clone(),
                kind: SymbolKind::Param,
                detail: Some(slice(p.value.span)),
                range: parsed.range(p.span),
                selection: parsed.range(p.name.span),
                children: Vec::new(),
            }),
            Item::Fact(f) => out.push(Symbol {
                name: f.name.name.clone(),
                kind: SymbolKind::Fact,
                detail: Some(
                    slice(Span::new(f.name.span.end, f.span.end))
                        .trim()
                        .trim_start_matches([':', '：'])
                        .trim()
                        .to_owned(),
                ),
                range: parsed.range(f.span),
                selection: parsed.range(f.name.span),
                children: Vec::new(),
            }),
            Item::Budget(b) => out.push(Symbol {
                name: slice(b.keyword),
                kind: SymbolKind::Budget,
                detail: None,
                range: parsed.range(b.span),
                selection: parsed.range(b.keyword),
                children: Vec::new(),
            }),
            Item::Class(c) => {
                let children = c
                    .clauses
                    .iter()
                    .filter_map(|clause| match clause {
                        Clause::Band(b) => Some(Symbol {
                            name: b.name.value.clone(),
                            kind: SymbolKind::Band,
                            detail: Some(slice(b.range)),
                            range: parsed.range(b.span),
                            selection: parsed.range(b.name.span),
                            children: Vec::new(),
                        }),
                        _ => None,
                    })
                    .collect();
                out.push(Symbol {
                    name: c.name.name.clone(),
                    kind: SymbolKind::Class,
                    detail: c.title.as_ref().map(|t| t.value.clone()),
                    range: parsed.range(c.span),
                    selection: parsed.range(c.name.span),
                    children,
                });
            }
            Item::Test(t) => out.push(Symbol {
                name: t.name.value.clone(),
                kind: SymbolKind::Test,
                detail: None,
                range: parsed.range(t.span),
                selection: parsed.range(t.name.span),
                children: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

/// The range of the name `source` extends (with its quotes), when it parses and extends
/// one: where an editor shows what concerns the base.
#[must_use]
pub fn extends_range(source: &Source) -> Option<Range> {
    let e = crate::syntax::parse(source).ok()?.header.extends?;
    Some(LineIndex::new(source.text()).range(e.span.start, e.span.end))
}

/// A declaration found in a chain: which file (index into the chain) and what.
pub(crate) enum Declared<'p> {
    Param(&'p crate::syntax::ast::Param),
    Class(&'p crate::syntax::ast::Class),
    Fact(&'p crate::syntax::ast::Fact),
}

impl Declared<'_> {
    pub(crate) fn name_span(&self) -> Span {
        match self {
            Declared::Param(p) => p.name.span,
            Declared::Class(c) => c.name.span,
            Declared::Fact(f) => f.name.span,
        }
    }
}

/// Every declaration of `name` in `parsed`.
pub(crate) fn declarations<'p>(parsed: &'p Parsed, name: &str) -> Vec<Declared<'p>> {
    parsed
        .file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Param(p) if p.name.name == name => Some(Declared::Param(p)),
            Item::Class(c) if c.name.name == name => Some(Declared::Class(c)),
            Item::Fact(f) if f.name.name == name => Some(Declared::Fact(f)),
            _ => None,
        })
        .collect()
}

/// The names read in `expr` (parameters and built-ins), with their spans.
fn names_in<'e>(expr: &'e Expr, out: &mut Vec<(Span, &'e str)>) {
    match &expr.kind {
        ExprKind::Name(n) => out.push((expr.span, n.as_str())),
        ExprKind::Number { .. } | ExprKind::Text(_) => {}
        ExprKind::List(items) | ExprKind::Call(_, items) => {
            items.iter().for_each(|e| names_in(e, out));
        }
        ExprKind::If(a, b, c) => {
            for e in [a, b, c] {
                names_in(e, out);
            }
        }
        ExprKind::Unary(_, e) => names_in(e, out),
        ExprKind::Binary(_, pair) => pair.iter().for_each(|e| names_in(e, out)),
        ExprKind::Step(subject, arms) => {
            names_in(subject, out);
            for StepArm { test, value } in arms {
                if let Some((_, t)) = test {
                    names_in(t, out);
                }
                names_in(value, out);
            }
        }
    }
}

fn clause_names<'e>(clause: &'e Clause, out: &mut Vec<(Span, &'e str)>) {
    match clause {
        Clause::Weight(e, _) | Clause::Score(e, _) | Clause::Cap(e, _) => names_in(e, out),
        Clause::Guard(g) => {
            names_in(&g.cond, out);
            if let GuardResult::Value(v) = &g.result {
                names_in(v, out);
            }
        }
        Clause::Band(b) => {
            for e in [&b.lo.value, &b.hi.value]
                .into_iter()
                .chain(b.default.as_ref())
                .chain(b.when.as_ref())
            {
                names_in(e, out);
            }
        }
    }
}

/// Every name read in a file's formulas, with its span, in file order.
pub(crate) fn names_read(file: &File) -> Vec<(Span, &str)> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            Item::Param(p) => names_in(&p.value, &mut out),
            Item::Budget(b) => b.clauses.iter().for_each(|c| clause_names(c, &mut out)),
            Item::Class(c) => {
                if let Some(w) = &c.when {
                    names_in(w, &mut out);
                }
                c.clauses.iter().for_each(|c| clause_names(c, &mut out));
            }
            Item::Optional(o) => {
                if let Some((e, _)) = &o.rule {
                    names_in(e, &mut out);
                }
            }
            Item::Grades(g) => {
                for b in &g.bands {
                    if let Some((_, e)) = &b.threshold {
                        names_in(e, &mut out);
                    }
                }
            }
            Item::Scale(s) => names_in(&s.total, &mut out),
            Item::Cap(c) => names_in(&c.value, &mut out),
            Item::Adjustment(a) => a.clauses.iter().for_each(|c| clause_names(c, &mut out)),
            Item::Require(r) => match &r.what {
                crate::syntax::ast::Required::Goals(e) => names_in(e, &mut out),
                crate::syntax::ast::Required::Level1(parts) => {
                    parts.iter().for_each(|(_, e)| names_in(e, &mut out));
                }
            },
            Item::Rounding(_)
            | Item::Aggregate(_)
            | Item::Test(_)
            | Item::Basis(_)
            | Item::Fact(_) => {}
        }
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

/// What the cursor at `position` of `source` points at: the word's span and text.
fn word_under(source: &Source, position: Position) -> Option<(Span, String)> {
    let offset = LineIndex::new(source.text()).offset(position);
    let (start, end) = super::words::word_at(source.text(), offset)?;
    Some((Span::new(start, end), source.text()[start..end].to_owned()))
}

/// Where what is under the cursor is declared: a param or class (in this file, else in
/// the nearest base that declares it; on a declaration that overrides a base's, the
/// base's), or the file an `extends` names.
#[must_use]
pub fn definition(source: &Source, resolver: &dyn Resolve, position: Position) -> Vec<Location> {
    let chain = chain(source, resolver);
    let Some(first) = chain.first() else {
        return Vec::new();
    };
    let offset = LineIndex::new(source.text()).offset(position);
    if let Some(e) = &first.file.header.extends {
        if e.span.start <= offset && offset <= e.span.end {
            return chain
                .get(1)
                .map_or_else(Vec::new, |base| vec![base.location(Span::new(0, 0))]);
        }
    }
    let Some((span, name)) = word_under(source, position) else {
        return Vec::new();
    };
    for (i, parsed) in chain.iter().enumerate() {
        let found = declarations(parsed, &name);
        // On the declaration itself: go to what it overrides.
        if i == 0 && found.iter().any(|d| d.name_span() == span) {
            continue;
        }
        if let Some(d) = found.first() {
            return vec![parsed.location(d.name_span())];
        }
    }
    Vec::new()
}

/// Every place the name under the cursor is declared or read, in this file and its bases
/// (with its declarations when `declarations_too`).
#[must_use]
pub fn references(
    source: &Source,
    resolver: &dyn Resolve,
    position: Position,
    declarations_too: bool,
) -> Vec<Location> {
    let chain = chain(source, resolver);
    let Some((_, name)) = word_under(source, position) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for parsed in &chain {
        if declarations_too {
            for d in declarations(parsed, &name) {
                out.push(parsed.location(d.name_span()));
            }
        }
        for (span, n) in names_read(&parsed.file) {
            if n == name {
                out.push(parsed.location(span));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::workspace::{Files, Workspace};

    struct Two;
    impl Files for Two {
        fn read(&self, path: &str) -> Result<Option<String>, crate::check::Unresolved> {
            Ok((path == "base.rules").then(|| {
                "rules \"b\"\nparam 权重值 = 20\nclass c \"甲\" for numbers:\n    score A\n"
                    .to_owned()
            }))
        }
    }

    #[test]
    fn definition_goes_to_the_base_across_extends() {
        let text =
            "rules \"v\"\nextends \"base.rules\"\nclass c for numbers:\n    score 权重值 * A\n";
        let source = Source::new("v.rules", text);
        let files = Two;
        let ws = Workspace::new(&files);
        // `权重值` on line 3, after 4 spaces and `score `: character 10.
        let at = |line, character| Position { line, character };
        let found = definition(&source, &ws, at(3, 11));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].file, "base.rules");
        assert_eq!(found[0].range.start, at(1, 6));
        assert_eq!(found[0].range.end, at(1, 9));
        // The overriding class `c` (line 2, character 6) goes to the base's.
        let found = definition(&source, &ws, at(2, 6));
        assert_eq!(found[0].file, "base.rules");
        assert_eq!(found[0].range.start, at(2, 6));
        // The extends string goes to the base file's start.
        let found = definition(&source, &ws, at(1, 10));
        assert_eq!(found[0].file, "base.rules");
        assert_eq!(found[0].range.start, at(0, 0));
        let refs = references(&source, &ws, at(3, 11), true);
        assert_eq!(refs.len(), 2, "{refs:?}");
    }

    #[test]
    fn a_fact_is_declared_read_hovered_completed_and_outlined() {
        let text =
            "rules \"f\"\nclass c for numbers when 级次 >= 2:\n    score 级次\nfact 级次: number\n";
        let source = Source::new("f.rules", text);
        let files = Two;
        let ws = Workspace::new(&files);
        let at = |line, character| Position { line, character };
        // `级次` in the `when` (line 1, after `class c for numbers when `: character 25)
        // goes to its declaration on line 3, character 5.
        let found = definition(&source, &ws, at(1, 25));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].range.start, found[0].range.end),
            (at(3, 5), at(3, 7))
        );
        // Read twice, declared once.
        assert_eq!(references(&source, &ws, at(3, 5), true).len(), 3);
        let hover = crate::service::hover::hover(&source, &ws, &crate::Limits::default(), at(3, 5))
            .expect("a hover");
        assert!(
            hover.markdown.starts_with("**表单信息** `级次`：数值"),
            "{}",
            hover.markdown
        );
        let items = crate::service::complete::complete(&source, &ws, at(2, 10), Default::default);
        assert!(
            items
                .iter()
                .any(|i| i.label == "级次" && i.kind == crate::service::complete::ItemKind::Fact),
            "{items:?}"
        );
        let outline = document_symbols(&source);
        assert!(
            outline.iter().any(|s| s.name == "级次"
                && s.kind == SymbolKind::Fact
                && s.detail.as_deref() == Some("number")),
            "{outline:?}"
        );
    }

    #[test]
    fn the_outline_of_a_bundled_set() {
        let source = crate::bundled("hubei-2021").unwrap();
        let symbols = document_symbols(&source);
        assert!(
            symbols
                .iter()
                .any(|s| s.kind == SymbolKind::Param && s.name == "budget_weight")
        );
        assert!(symbols.iter().any(|s| s.kind == SymbolKind::Budget));
        let q = symbols
            .iter()
            .find(|s| s.kind == SymbolKind::Class && !s.children.is_empty());
        assert!(q.is_some(), "a class with bands");
    }
}
