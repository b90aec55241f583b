//! Reports: what people and programs read, computed from [`Outcome`](crate::Outcome)s
//! only. Nothing here re-runs the evaluator or reads the rule text.
//!
//! Input: one or more `Outcome`s. Output: plain data (serialisable), and every text a
//! person reads of it: [`export`] renders finished documents (CSV, Markdown, HTML, and
//! the xlsx workbook with the `xlsx` feature); [`diff`], [`explain`] and [`audit`] word
//! their results (text, Markdown, CSV, JSON); [`trace`] words each step of how a score
//! was reached, and serialises it. The CLI only draws terminal tables from these lines
//! and writes the results.

pub mod audit;
pub mod diff;
pub mod explain;
pub mod export;
pub mod histogram;
pub mod json;
pub mod paint;
pub mod trace;

/// How every report writes a score, a difference and a rate (defined beside the arithmetic,
/// where the rules' diagnostics also find it).
pub use crate::num::shown;
