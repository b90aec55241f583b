//! A rule file from raw bytes: decoding, parsing, checking, `fmt`, the file's own tests
//! and the lints of `jixiao check`. Nothing may panic; a file that parses must format to
//! a file that parses to the same rules, and formatting twice changes nothing.
//! The checks are in checks.rs.

#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::rules(data));
