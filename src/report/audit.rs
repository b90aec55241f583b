//! PLACEHOLDER — a helper is writing this module.
