//! A PDF font as text extraction needs it: how many bytes a character code takes, the
//! text each code stands for (the font's `ToUnicode` map), and each code's advance width.
//!
//! Input: a font dictionary of a page's resources. Output: [`Font`].
//! Invariants: maps and width tables are bounded ([`MAX_ENTRIES`] entries each, a range
//! of codes kept as a range, never expanded); a code without a mapping reads as itself
//! when it is printable ASCII in a one-byte font, else as U+FFFD; a width that is not a
//! finite number reads as the font's default.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::stream;
use crate::limits::Limits;

/// Entries kept of one font's `ToUnicode` map or width table.
const MAX_ENTRIES: usize = 100_000;

/// A `ToUnicode` range: codes `lo..=hi` map to `start + (code - lo)` (the last UTF-16
/// unit counting up), or to the texts listed.
enum Range {
    Offset { lo: u32, hi: u32, start: Vec<u16> },
    Listed { lo: u32, texts: Vec<String> },
}

/// What text extraction knows of a font.
pub(super) struct Font {
    /// Character codes take two bytes (a composite, Type 0, font).
    pub two_byte: bool,
    singles: HashMap<u32, String>,
    ranges: Vec<Range>,
    has_map: bool,
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Glyph-space units to text space: 1/1000, or a Type 3 font's FontMatrix.
    pub scale: f64,
}

impl Font {
    /// A font that maps nothing: one-byte codes, ASCII as itself, widths of half an em.
    pub(super) fn unknown() -> Font {
        Font {
            two_byte: false,
            singles: HashMap::new(),
            ranges: Vec::new(),
            has_map: false,
            widths: HashMap::new(),
            default_width: 500.0,
            scale: 0.001,
        }
    }

    pub(super) fn read(doc: &Document, dict: &Dictionary, limits: &Limits) -> Font {
        let mut font = Font::unknown();
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        font.two_byte = subtype == b"Type0";
        if subtype == b"Type3" {
            let fm = deref(doc, dict.get(b"FontMatrix").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(number);
            if let Some(s) = fm.filter(|s| *s != 0.0) {
                font.scale = s.abs();
            }
        }
        if let Some(bytes) = deref(doc, dict.get(b"ToUnicode").ok())
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| stream::content(s, limits))
        {
            font.parse_cmap(&bytes);
        }
        if font.two_byte {
            font.default_width = 1000.0;
            let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|a| deref(doc, a.first()))
                .and_then(|o| o.as_dict().ok());
            if let Some(d) = descendant {
                if let Some(dw) = deref(doc, d.get(b"DW").ok()).and_then(number) {
                    font.default_width = dw;
                }
                if let Some(w) = deref(doc, d.get(b"W").ok()).and_then(|o| o.as_array().ok()) {
                    font.cid_widths(doc, w);
                }
            }
        } else {
            let first = deref(doc, dict.get(b"FirstChar").ok())
                .and_then(number)
                .unwrap_or(0.0);
            let widths = deref(doc, dict.get(b"Widths").ok()).and_then(|o| o.as_array().ok());
            if let (Some(widths), true) = (widths, (0.0..=255.0).contains(&first)) {
                // `first` is a whole number from 0 to 255 here.
                let first = first as u32;
                for (i, w) in widths.iter().take(256).enumerate() {
                    if let Some(w) = deref(doc, Some(w)).and_then(number) {
                        font.widths.insert(first + i as u32, w);
                    }
                }
            }
        }
        font
    }

    /// A composite font's `/W` array: `c [w1 w2 …]` or `c_first c_last w`.
    fn cid_widths(&mut self, doc: &Document, w: &[Object]) {
        let mut i = 0;
        // Entries written, overwritten ones too: ranges may repeat the same codes.
        let mut written = 0usize;
        while i < w.len() && written < MAX_ENTRIES {
            let Some(first) = deref(doc, w.get(i)).and_then(code) else {
                break;
            };
            match deref(doc, w.get(i + 1)) {
                Some(Object::Array(list)) => {
                    for (k, v) in list.iter().enumerate().take(MAX_ENTRIES) {
                        written += 1;
                        if let Some(v) = deref(doc, Some(v)).and_then(number) {
                            let c = first.saturating_add(u32::try_from(k).unwrap_or(u32::MAX));
                            self.widths.insert(c, v);
                        }
                    }
                    i += 2;
                }
                Some(o) => {
                    let last = code(o).unwrap_or(first);
                    let v = deref(doc, w.get(i + 2)).and_then(number);
                    if let Some(v) = v {
                        let left = MAX_ENTRIES.saturating_sub(written) as u32;
                        let n = last.saturating_sub(first).min(left);
                        written += n as usize + 1;
                        for c in first..=first.saturating_add(n) {
                            self.widths.insert(c, v);
                        }
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }

    /// The advance width of `code`, in glyph-space units.
    pub(super) fn width(&self, code: u32) -> f64 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
    }

    /// The text `code` stands for.
    pub(super) fn text(&self, code: u32) -> String {
        if let Some(t) = self.singles.get(&code) {
            return t.clone();
        }
        for r in &self.ranges {
            match r {
                Range::Offset { lo, hi, start } if (*lo..=*hi).contains(&code) => {
                    let mut units = start.clone();
                    if let Some(last) = units.last_mut() {
                        // The offset is at most MAX_ENTRIES (ranges are cut to it).
                        let offset = u16::try_from(code - lo).unwrap_or(0);
                        *last = last.wrapping_add(offset);
                    }
                    return utf16(&units);
                }
                Range::Listed { lo, texts } if code >= *lo => {
                    if let Some(t) = texts.get((code - lo) as usize) {
                        return t.clone();
                    }
                }
                _ => {}
            }
        }
        if !self.has_map && !self.two_byte && (0x20..0x7f).contains(&code) {
            return char::from_u32(code).map(String::from).unwrap_or_default();
        }
        "\u{fffd}".to_owned()
    }

    /// Reads `bfchar` and `bfrange` sections of a `ToUnicode` CMap.
    fn parse_cmap(&mut self, bytes: &[u8]) {
        let tokens = tokens(bytes);
        let mut i = 0;
        let mut entries = 0usize;
        while i < tokens.len() && entries < MAX_ENTRIES {
            match &tokens[i] {
                Token::Word(w) if w == b"beginbfchar" => {
                    i += 1;
                    while let (Some(Token::Hex(src)), Some(Token::Hex(dst))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        self.singles.insert(be(src), utf16(&units(dst)));
                        self.has_map = true;
                        entries += 1;
                        i += 2;
                    }
                }
                Token::Word(w) if w == b"beginbfrange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (lo, hi) = (be(lo), be(hi));
                        let hi = hi.min(lo.saturating_add(MAX_ENTRIES as u32));
                        match tokens.get(i + 2) {
                            Some(Token::Hex(dst)) => {
                                self.ranges.push(Range::Offset {
                                    lo,
                                    hi,
                                    start: units(dst),
                                });
                                i += 3;
                            }
                            Some(Token::Open) => {
                                let mut texts = Vec::new();
                                i += 3;
                                while let Some(Token::Hex(d)) = tokens.get(i) {
                                    if texts.len() < MAX_ENTRIES {
                                        texts.push(utf16(&units(d)));
                                    }
                                    i += 1;
                                }
                                i += 1;
                                self.ranges.push(Range::Listed { lo, texts });
                            }
                            _ => break,
                        }
                        self.has_map = true;
                        entries += 1;
                    }
                }
                _ => i += 1,
            }
        }
    }
}

/// An object, references followed (at most a few times).
pub(super) fn deref<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(o?).ok().map(|(_, o)| o)
}

/// A finite number.
pub(super) fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(f64::from(*r)),
        _ => None,
    }
}

fn code(o: &Object) -> Option<u32> {
    match o {
        Object::Integer(i) => u32::try_from(*i).ok(),
        _ => None,
    }
}

/// Big-endian bytes as a code (the last four bytes of a longer one).
fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b))
}

fn units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect()
}

fn utf16(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or('\u{fffd}'))
        .collect()
}

/// A PDF text string: UTF-16BE after its byte-order mark, else one byte a character.
pub(super) fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(b"\xFE\xFF") {
        Some(rest) => utf16(&units(rest)),
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

enum Token {
    Hex(Vec<u8>),
    Word(Vec<u8>),
    Open,
    Other,
}

/// The tokens of a CMap: hex strings, words, `[`; everything else as `Other`.
fn tokens(bytes: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'<' if bytes.get(i + 1) != Some(&b'<') => {
                let end = bytes[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(bytes.len(), |p| i + p);
                let digits: Vec<u8> = bytes[i + 1..end]
                    .iter()
                    .filter_map(|&c| char::from(c).to_digit(16))
                    .map(|d| d as u8)
                    .collect();
                let hex = digits
                    .chunks(2)
                    .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
                    .collect();
                out.push(Token::Hex(hex));
                i = end + 1;
            }
            b'[' => {
                out.push(Token::Open);
                i += 1;
            }
            b'%' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                out.push(Token::Word(bytes[start..i].to_vec()));
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                out.push(Token::Other);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_maps() {
        let mut f = Font::unknown();
        f.parse_cmap(
            b"/CIDInit /ProcSet findresource begin 2 beginbfchar <03> <4EBA> <04> <D83DDE00> endbfchar
              2 beginbfrange <10> <12> <0041> <20> <21> [<5E74> <5EA6>] endbfrange end",
        );
        assert_eq!(f.text(3), "人");
        assert_eq!(f.text(4), "😀");
        assert_eq!(f.text(0x11), "B");
        assert_eq!(f.text(0x21), "度");
        assert_eq!(f.text(0x40), "\u{fffd}");
        // A range that claims every code is cut, and a truncated map does not panic.
        f.parse_cmap(b"1 beginbfrange <0000> <FFFFFFFF> <0030> endbfrange 1 beginbfchar <01");
        assert_eq!(f.text(0x0100_0000), "\u{fffd}");
        assert_eq!(Font::unknown().text(u32::from(b'A')), "A");
    }
}
