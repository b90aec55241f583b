//! A form file from raw bytes: decoding, the TOML loader, then scoring with every bundled
//! rule set and every report of the result. Nothing may panic, and a scored form keeps
//! the bounds in `score`.
//! The checks are in checks.rs.

#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::form(data));
