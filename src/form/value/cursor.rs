//! Reading a value character by character, full-width forms narrowed to ASCII.
//!
//! Input: the value as written. Output: its characters as [`narrow`] reads them, and
//! byte positions in the text as written (so errors point at what the user wrote).
//! Invariants: `Cursor::pos` is always on a `char` boundary of `Cursor::raw`.

/// Full-width digits and punctuation as their ASCII counterparts; everything else as is.
pub(super) fn narrow(c: char) -> char {
    match c {
        '０'..='９' => char::from_digit(u32::from(c) - u32::from('０'), 10).unwrap_or(c),
        '，' => ',',
        '．' => '.',
        '％' => '%',
        '＞' => '>',
        '＜' => '<',
        '＝' => '=',
        '－' | '−' => '-',
        _ => c,
    }
}

/// A position in the value, reading characters narrowed by [`narrow`]. `pos` is always on
/// a `char` boundary of `raw`.
pub(super) struct Cursor<'a> {
    pub(super) raw: &'a str,
    pub(super) pos: usize,
}

impl Cursor<'_> {
    pub(super) fn rest(&self) -> &str {
        self.raw.get(self.pos..).unwrap_or("")
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.rest().chars().next().map(narrow)
    }

    /// The byte length of the next character as written.
    pub(super) fn peek_len(&self) -> usize {
        self.rest().chars().next().map_or(0, char::len_utf8)
    }

    pub(super) fn bump(&mut self) {
        self.pos += self.peek_len();
    }

    pub(super) fn skip_ws(&mut self) {
        while self.rest().chars().next().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// Skips the rest of a malformed number so an error can cover all of it.
    pub(super) fn skip_numberish(&mut self) {
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
        {
            self.bump();
        }
    }

    /// Consumes `word` (compared after narrowing) if the input continues with it.
    pub(super) fn eat(&mut self, word: &str) -> bool {
        let mut len = 0;
        let mut input = self.rest().chars();
        for expected in word.chars() {
            match input.next() {
                Some(c) if narrow(c) == expected => len += c.len_utf8(),
                _ => return false,
            }
        }
        self.pos += len;
        true
    }
}
