//! User text shown to people: what a form or rule file wrote, put into a table, a
//! diagnostic or an explanation. Input: any string. Output: a string that is safe on a
//! terminal and whose invisible characters can be seen.
//!
//! Two concerns, one place:
//! - [`escaped`]: control characters (C0 but tab and line ends where allowed, DEL, C1,
//!   hence every ESC sequence) and bidirectional overrides would move the cursor, recolour
//!   or reorder what follows, so that a department name could overwrite the printed total.
//!   They are written as `\u{1B}`, visibly and reversibly. The command line passes every
//!   text a person reads through it: diagnostics ([`crate::source::Printable`]), and the
//!   outcomes its tables and explanations show ([`crate::Outcome::map_texts`]).
//! - [`quoted`]: a value quoted in a diagnostic (`「​人」与「人」`) names any invisible
//!   character it holds (`零宽空格 U+200B`), so that two values that look alike can be told
//!   apart.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: C0 controls, DEL, C1 controls, and the
/// bidirectional formatting characters (embeddings, overrides, isolates, marks).
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character (see [`is_unsafe`]) written as `\u{XXXX}`; tabs and
/// line ends (`\n`, `\r\n`) are kept only when `multiline`. Borrowed when nothing needed
/// escaping.
#[must_use]
pub fn escaped(s: &str, multiline: bool) -> Cow<'_, str> {
    // Copied only from the first character that needs escaping.
    let mut out: Option<String> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        match (escape(c, next, multiline), &mut out) {
            (Some(e), Some(o)) => o.push_str(&e),
            (Some(e), None) => {
                let mut o = String::with_capacity(s.len() + 8);
                o.push_str(&s[..i]);
                o.push_str(&e);
                out = Some(o);
            }
            (None, Some(o)) => o.push(c),
            (None, None) => {}
        }
    }
    out.map_or(Cow::Borrowed(s), Cow::Owned)
}

/// How the character `c` (followed by `next`) is shown when it is unsafe on a terminal:
/// `\u{1B}`; `None` when it is shown as it is. With `multiline`, tabs and line ends
/// (`\n`, and `\r` right before `\n`) are kept.
#[must_use]
pub fn escape(c: char, next: Option<char>, multiline: bool) -> Option<String> {
    let keep = multiline && (c == '\n' || c == '\t' || (c == '\r' && next == Some('\n')));
    (is_unsafe(c) && !keep).then(|| format!("\\u{{{:X}}}", u32::from(c)))
}

/// The Chinese name of a character that shows as nothing or as a plain space, with its
/// code point (`零宽空格 U+200B`); `None` for a character that can be seen.
#[must_use]
pub fn invisible_name(c: char) -> Option<String> {
    let name = match c {
        '\u{0009}' => "制表符",
        '\u{000A}' => "换行符",
        '\u{000D}' => "回车符",
        '\u{00A0}' => "不换行空格",
        '\u{00AD}' => "软连字符",
        '\u{034F}' => "组合用字形连接符",
        '\u{061C}' => "阿拉伯字母标记",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "韩文填充符",
        '\u{180E}' => "蒙古文元音分隔符",
        '\u{2000}'..='\u{200A}' => "宽度不等的空格",
        '\u{200B}' => "零宽空格",
        '\u{200C}' => "零宽非连接符",
        '\u{200D}' => "零宽连接符",
        '\u{200E}' => "从左至右标记",
        '\u{200F}' => "从右至左标记",
        '\u{2028}' => "行分隔符",
        '\u{2029}' => "段分隔符",
        '\u{202A}'..='\u{202E}' => "双向文字控制符",
        '\u{202F}' => "窄不换行空格",
        '\u{205F}' => "数学空格",
        '\u{2060}' => "字连接符",
        '\u{2061}'..='\u{2064}' => "不可见运算符",
        '\u{2066}'..='\u{2069}' => "双向文字隔离符",
        '\u{3000}' => "全角空格",
        '\u{FEFF}' => "零宽不换行空格（字节顺序标记）",
        '\u{FFFC}' | '\u{FFFD}' => "替换字符",
        '\u{E0000}'..='\u{E007F}' => "标签字符",
        c if c.is_control() => "控制字符",
        ' ' => return None,
        c if c.is_whitespace() => "空白字符",
        _ => return None,
    };
    Some(format!("{name} U+{:04X}", u32::from(c)))
}

/// `s` in corner brackets for a diagnostic, safe for a terminal, followed by the names of
/// the invisible characters it holds: `「​人」（含零宽空格 U+200B）`. Visible text is just
/// `「人」`.
#[must_use]
pub fn quoted(s: &str) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in s.chars() {
        if let Some(n) = invisible_name(c) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let body = escaped(s, false);
    if names.is_empty() {
        format!("「{body}」")
    } else {
        format!("「{body}」（含{}）", names.join("、"))
    }
}

/// One character for a diagnostic: `「#」`, or its name where it cannot be seen
/// (`零宽空格 U+200B`, without brackets around nothing).
#[must_use]
pub fn char_shown(c: char) -> String {
    match invisible_name(c) {
        Some(name) => name,
        None => format!("「{c}」"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_overrides_are_written_out() {
        // ESC [ 4 A moves the cursor up four lines; U+202E reverses what follows.
        assert_eq!(escaped("培训\u{1b}[4A人次", false), "培训\\u{1B}[4A人次");
        assert_eq!(escaped("a\u{202E}b", false), "a\\u{202E}b");
        assert_eq!(escaped("a\u{9b}b\u{7f}", false), "a\\u{9B}b\\u{7F}");
        assert_eq!(escaped("一\n二\t三", false), "一\\u{A}二\\u{9}三");
        assert_eq!(escaped("一\n二\t三", true), "一\n二\t三");
        // A line end from Windows is kept; a carriage return alone would move the cursor
        // back over what the line showed.
        assert_eq!(escaped("一\r\n二\r三", true), "一\r\n二\\u{D}三");
        assert_eq!(escaped("一\r\n", false), "一\\u{D}\\u{A}");
        assert!(matches!(escaped("通城县人社局", false), Cow::Borrowed(_)));
    }

    #[test]
    fn quoted_values_name_their_invisible_characters() {
        assert_eq!(quoted("人"), "「人」");
        assert_eq!(quoted("\u{200B}人"), "「\u{200B}人」（含零宽空格 U+200B）");
        assert_eq!(
            quoted("\u{200F}人\u{3000}"),
            "「\\u{200F}人\u{3000}」（含从右至左标记 U+200F、全角空格 U+3000）"
        );
        assert_eq!(char_shown('\u{200F}'), "从右至左标记 U+200F");
        assert_eq!(char_shown('#'), "「#」");
        assert_eq!(char_shown(' '), "「 」");
    }
}
