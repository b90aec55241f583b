//! Names, strings (escapes resolved) and numbers.

use compact_str::CompactString;
use rust_decimal::Decimal;

use pest::iterators::Pair;

use super::{Builder, Rule, children, span_of};
use crate::source::Span;
use crate::syntax::ast::{ExprKind, Ident, Str};
use crate::syntax::error::ParseError;

impl Builder<'_> {
    pub(super) fn name(&self, pair: Pair<'_, Rule>) -> Result<Str, ParseError> {
        let inner = children(pair).one();
        match inner.as_rule() {
            Rule::string => self.string(inner),
            _ => Ok(Str {
                value: inner.as_str().to_owned(),
                span: span_of(&inner),
            }),
        }
    }

    pub(super) fn ident(pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_owned(),
            span: span_of(pair),
        }
    }

    pub(super) fn string(&self, pair: Pair<'_, Rule>) -> Result<Str, ParseError> {
        let span = span_of(&pair);
        let value = self.unescaped(&pair)?.into_string();
        Ok(Str { value, span })
    }

    /// A string literal's text, escapes resolved; inline (no allocation) when short, as
    /// most strings in formulas are.
    pub(super) fn unescaped(&self, pair: &Pair<'_, Rule>) -> Result<CompactString, ParseError> {
        let raw = pair.as_str();
        let body = &raw[1..raw.len() - 1];
        if !body.contains('\\') {
            return Ok(CompactString::from(body));
        }
        let mut value = CompactString::with_capacity(body.len());
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                other => {
                    let end = other.map_or(body.len(), |(j, c)| j + c.len_utf8());
                    let at = span_of(pair).start + 1;
                    return Err(ParseError::BadEscape {
                        src: self.source.named(),
                        span: Span::new(at + i, at + end).into(),
                    });
                }
            }
        }
        Ok(value)
    }

    pub(super) fn number(&self, pair: &Pair<'_, Rule>) -> Result<ExprKind, ParseError> {
        let text = pair.as_str();
        let (digits, percent) = match text.strip_suffix('%') {
            Some(d) => (d, true),
            None => (text, false),
        };
        let value = Decimal::from_str_exact(digits).map_err(|_| ParseError::BadNumber {
            src: self.source.named(),
            span: span_of(pair).into(),
        })?;
        Ok(ExprKind::Number { value, percent })
    }
}
