//! A form as tab-separated text, CSV, a workbook, a Word document or a PDF, as
//! `jixiao import` reads it (the first byte picks the format: `X` a workbook, `W` a
//! `.docx`, `F` a PDF, else even text, odd CSV). Nothing may panic, and every form the importer writes is valid TOML in the
//! form's layout: it may still fail to load, but only for what its cells say (a unit that
//! differs between target and actual, say), which the loader reports against the comments
//! naming each cell, as `jixiao import` does.
//! The checks are in checks.rs.

#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::import_text(data));
