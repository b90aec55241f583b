// PLACEHOLDER — a helper is writing these tests.
