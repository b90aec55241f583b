//! Syntax: rule text → AST.
//!
//! Input: a rule file's [`Source`](crate::Source). Output: an [`ast::File`] whose every
//! node carries the [`Span`](crate::Span) it was written at, or the first [`ParseError`].
//! Invariants: no name is resolved and no type checked here (that is `check`); nothing
//! in the AST borrows the source text.

pub mod ast;
mod depth;
mod error;
pub mod format;
mod parser;
pub(crate) mod print;
pub mod vocabulary;

pub use error::ParseError;
pub use parser::{MAX_DEPTH, MAX_TREE_DEPTH, parse};

#[cfg(test)]
mod tests;
