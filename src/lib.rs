//! jixiao (绩效): scores Chinese budget-performance self-evaluation forms with rules
//! written in a small declarative language.
//!
//! The phases, one module each, run in one direction:
//! rule text → [`syntax`] (AST with spans) → [`check`] (compiled [`Rules`]) and
//! form text → [`form`] (typed [`Form`]); then [`eval`] turns `Rules` + `Form` into an
//! [`Outcome`], which reports read. The library does no I/O: it takes strings and returns
//! values or miette diagnostics.
#![warn(missing_docs)]
// Parse, check and form errors are returned once per file, not in a loop; each carries its
// source for rendering, which makes them large. The evaluator's error, on the hot path, is
// boxed instead.
#![allow(clippy::result_large_err)]

mod bundled;
pub mod check;
pub mod eval;
pub mod form;
mod num;
pub mod source;
pub mod syntax;

pub use bundled::{DEFAULT_RULES, bundled, bundled_names};
pub use check::{Rules, RulesError, compile};
pub use eval::{EvalError, Outcome, evaluate};
pub use form::{Form, FormErrors, load_form};
pub use source::{Source, Span};
