//! Integration tests, one binary so linking stays fast: a module per area.

mod audit_cmd;
mod bundled;
mod catalogue;
mod check_cmd;
mod cli;
mod consistency;
mod diagnostics;
mod diff_cmd;
mod exact;
mod examples;
mod explain_cmd;
mod fmt_cmd;
mod fuzz_regressions;
mod hostile;
mod import_cmd;
mod import_documents;
mod import_workbooks;
mod native_baseline;
mod properties;
mod reading;
mod report_cmd;
mod rule_tests;
mod scoring;
mod support;
mod terminal;
mod whatif;
