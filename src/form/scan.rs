//! A cheap look at a form's TOML before the TOML parser builds anything from it.
//!
//! Input: the text of a form. Output: how many TOML tokens it holds, counted in one pass
//! without allocating. Invariant: the count is close to what the `toml` crate's lexer
//! produces (never far below it), so that it bounds what parsing will cost.
//!
//! Why: the `toml` crate lexes a whole document into a vector of tokens, then one of
//! events, then a tree of values, about 60 bytes for every token. A real form has about
//! one token per 5 or 6 bytes (its Chinese names and values are long tokens), so parsing
//! it takes some 14 times its size; but `goals = [{}, {}, …]` has one token per byte, and
//! an 18 MB file of it took 1.2 GB. Counting first lets the loader refuse such a file
//! (see [`max_tokens`]) with memory proportional to the text.

/// The most tokens a form of `bytes` bytes may hold: one per 4 bytes, plus 256 Ki for
/// small files written tersely. Real forms have one per 5 or 6 bytes (the seed form
/// 17,544 bytes and 3,023 tokens); a hand-written form with one-character names can
/// approach one per 3, and the allowance covers such a form up to about 3 MB. Parsing
/// then costs at most about 16 times the file's size, plus 16 MB.
pub(crate) fn max_tokens(bytes: usize) -> usize {
    bytes / 4 + 256 * 1024
}

/// How many tokens the TOML lexer finds in `text`: each string, comment, run of blanks,
/// line break, punctuation mark (`[ ] { } , = .`) and run of other characters (a bare
/// key, number, date or boolean) is one, and so is the end of the text. On the forms
/// under `examples/` and `tests/` this is exactly the `toml` crate's count.
pub(crate) fn tokens(text: &str) -> usize {
    let bytes = text.as_bytes();
    // The lexer ends with an end-of-input token.
    let mut count = 1;
    let mut i = 0;
    while i < bytes.len() {
        count += 1;
        i = match bytes[i] {
            b' ' | b'\t' => skip_while(bytes, i, |b| b == b' ' || b == b'\t'),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'#' => skip_while(bytes, i, |b| b != b'\n'),
            b'"' | b'\'' => string_end(bytes, i),
            b'\n' | b'\r' | b'[' | b']' | b'{' | b'}' | b',' | b'=' | b'.' => i + 1,
            _ => skip_while(bytes, i, |b| {
                !matches!(
                    b,
                    b' ' | b'\t'
                        | b'\n'
                        | b'\r'
                        | b'#'
                        | b'"'
                        | b'\''
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b','
                        | b'='
                        | b'.'
                )
            }),
        };
    }
    count
}

/// The index after the run of bytes, from `start + 1`, that `keep` accepts.
fn skip_while(bytes: &[u8], start: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() && keep(bytes[i]) {
        i += 1;
    }
    i
}

/// The index after the string starting at `start` (`"…"`, `'…'`, `"""…"""` or `'''…'''`);
/// an unterminated string ends at its line's end (or, multi-line, at the text's end).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = bytes.get(start..start + 3) == Some(&[quote, quote, quote][..]);
    let escapes = quote == b'"';
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        let b = bytes[i];
        if escapes && b == b'\\' {
            i += 2;
        } else if b == quote {
            if !triple {
                return i + 1;
            }
            if bytes.get(i..i + 3) == Some(&[quote, quote, quote][..]) {
                // Up to two more quotes may belong to the string: `""""x"""""`.
                let mut end = i + 3;
                while end < bytes.len() && end < i + 5 && bytes[end] == quote {
                    end += 1;
                }
                return end;
            }
            i += 1;
        } else if !triple && b == b'\n' {
            return i;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_kind_of_token() {
        // a, blank, =, blank, 1, line break, end
        assert_eq!(tokens("a = 1\n"), 7);
        // [, budget, ], line break, planned, =, string, comment
        assert_eq!(tokens("[budget]\nplanned=\"1 万\"# 预算\n"), 10);
        // One string each, whatever it holds.
        assert_eq!(tokens(r#""a \" [ { # b""#), 2);
        assert_eq!(tokens("'C:\\x'"), 2);
        assert_eq!(tokens("\"\"\"\n[x]\n\"\"\""), 2);
        assert_eq!(tokens("'''a\n'b'\n'''"), 2);
        assert_eq!(tokens("\"\"\"a\"\"\"\"\""), 2);
        // CRLF is one line break; a lone CR counts as one too.
        assert_eq!(tokens("\r\n\r\n\r"), 4);
        // {, }, comma, blank, four times over; then [ and ].
        assert_eq!(tokens(&format!("[{}]", "{}, ".repeat(4))), 19);
        // An unterminated string ends with its line.
        assert_eq!(tokens("a = \"x\nb = 1"), 12);
        assert_eq!(tokens(""), 1);
    }

    #[test]
    fn a_real_form_is_far_below_the_limit() {
        let seed = include_str!("../../examples/tongcheng-2021.toml");
        let n = tokens(seed);
        // The toml crate's lexer finds 3,023 tokens in the seed form's 17,544 bytes.
        assert_eq!(n, 3023);
        assert!(n < seed.len() / 4);
    }
}
