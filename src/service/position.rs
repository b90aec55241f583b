//! Positions in a text as editors count them: a 0-based line and a character offset in
//! UTF-16 code units (the Language Server Protocol's default, and what JavaScript string
//! offsets count), converted exactly to and from the byte offsets of spans.
//!
//! Input: a text. Output: a [`LineIndex`] that maps a byte offset to a [`Position`] and
//! back. Invariants: a byte offset inside a character or past the end is clamped to the
//! character's start or the end; a position past its line's end maps to the line's end
//! (before its `\n` or `\r\n`); a position inside a surrogate pair maps to the start of
//! the character; lines end at `\n` (a `\r` before it belongs to the line break).

use serde::Serialize;

/// A place in a text: 0-based line, and UTF-16 code units from the line's start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// 0-based line.
    pub line: u32,
    /// UTF-16 code units from the start of the line.
    pub character: u32,
}

/// A span of a text in [`Position`]s, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// Where it begins.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
}

/// The line starts of one text, for converting offsets.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of each line's first byte; the first is 0.
    starts: Vec<usize>,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'t> LineIndex<'t> {
    /// Indexes `text`.
    #[must_use]
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { text, starts }
    }

    /// The position of byte `offset` (clamped into the text and onto a character start).
    #[must_use]
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position {
            line: to_u32(line),
            character: to_u32(character),
        }
    }

    /// The range of bytes `start..end`.
    #[must_use]
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end.max(start)),
        }
    }

    /// The byte offset of `position`: past the last line, the end of the text; past the
    /// end of its line, the end of the line (before the line break).
    #[must_use]
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self.starts.get(line + 1).map_or(self.text.len(), |&next| {
            let mut end = next - 1;
            if self.text[..end].ends_with('\r') {
                end -= 1;
            }
            end
        });
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            let next = units + c.len_utf16();
            if next > position.character as usize {
                return start + i;
            }
            units = next;
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn chinese_text_counts_one_unit_per_character() {
        // 「参数」: 4 characters of 3 bytes each (1 UTF-16 unit each): "x" is byte 2 + 12.
        let text = "a\n「参数」x = 1\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(x, 2 + 12);
        assert_eq!(index.position(x), pos(1, 4));
        assert_eq!(index.offset(pos(1, 4)), x);
        assert_eq!(index.position(0), pos(0, 0));
        assert_eq!(index.position(2), pos(1, 0));
    }

    #[test]
    fn astral_characters_count_two_units() {
        // 𠀀 (U+20000) is 4 bytes in UTF-8 and a surrogate pair (2 units) in UTF-16.
        let text = "名𠀀字 = 1";
        let index = LineIndex::new(text);
        let after = "名𠀀".len();
        assert_eq!(after, 7);
        assert_eq!(index.position(after), pos(0, 3));
        assert_eq!(index.offset(pos(0, 3)), after);
        // Inside the pair: the start of the astral character.
        assert_eq!(index.offset(pos(0, 2)), 3);
        // Inside a character's bytes: its start.
        assert_eq!(index.position(4), pos(0, 1));
    }

    #[test]
    fn out_of_range_is_clamped() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(pos(0, 99)), 2, "before the \\r\\n");
        assert_eq!(index.offset(pos(9, 0)), text.len());
        assert_eq!(index.position(99), pos(1, 2));
        assert_eq!(index.range(4, 3).end, pos(1, 0), "end never before start");
    }
}
