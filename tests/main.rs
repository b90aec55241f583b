//! Integration tests, one binary so linking stays fast: a module per area.

mod cli;
mod diagnostics;
mod examples;
mod scoring;
mod support;
