//! One form cell through the value parser (`4000人次`, `≤1,234.5万元`, `不低于95%`).
//! Nothing may panic; an error's offset lies on character boundaries of the cell; a
//! quantity is normalized, its unit holds no digit or `%`, and writing it back out in
//! plain form reads back as the same quantity.
//! The checks are in checks.rs.

#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::value(data));
