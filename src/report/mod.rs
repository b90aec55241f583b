//! Reports: what people and programs read, computed from [`Outcome`](crate::Outcome)s
//! only. Nothing here re-runs the evaluator or reads the rule text.
//!
//! Input: one or more `Outcome`s. Output: plain data (serialisable) for the CLI to render;
//! [`export`] renders finished documents (CSV, Markdown, HTML) as strings.

pub mod audit;
pub mod diff;
pub mod explain;
pub mod export;
