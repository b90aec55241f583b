//! Reading single cells the same way in both layouts: header keys, `年度目标N: (P分)`
//! labels, dates, years, full-width digits and amounts.
//!
//! Input: a cell's text (or the cell, for an amount). Output: what it says, or `None`
//! when it does not say it. Invariants: full-width digits and punctuation, as a Chinese
//! input method types them, read as their ASCII forms; nothing here panics.

use rust_decimal::Decimal;

use super::draft::{AMOUNT, Diags, Field, Val};
use super::grid::Cell;

/// The text without any whitespace: level names and header cells.
pub(crate) fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A header cell's key: no whitespace, no parenthesised part (`年初目标值 (A)` →
/// `年初目标值`).
pub(crate) fn header_key(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() => {}
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `年度目标3: (15分)…`: the goal's number, its points and the rest of the cell. Only a
/// label: `年度目标` and a number followed by a colon, by points, or by nothing (not
/// `年度目标1完成率`).
/// Digits and punctuation may be full-width (`年度目标１：（１０分）`), as a Chinese input
/// method types them.
pub(crate) fn goal_label(text: &str) -> Option<(usize, Option<Decimal>, String)> {
    let rest = text.trim_start().strip_prefix("年度目标")?;
    let digits: &str = rest.get(
        ..rest
            .find(|c: char| halfwidth_digit(c).is_none())
            .unwrap_or(rest.len()),
    )?;
    let number = halfwidth(digits).parse::<usize>().ok()?;
    let after_number = rest.get(digits.len()..)?.trim_start();
    let mut rest = after_number
        .strip_prefix([':', '：'])
        .unwrap_or(after_number)
        .trim_start();
    let colon = rest.len() < after_number.len();
    let points = points_of(rest);
    if let Some((_, after)) = points.as_ref() {
        rest = after;
    }
    let rest = rest.trim();
    (colon || points.is_some() || rest.is_empty())
        .then(|| (number, points.map(|(p, _)| p), rest.to_owned()))
}

/// `(10分)`, `（10分）` or `10分` at the start of `text`: the points and what follows.
pub(crate) fn points_of(text: &str) -> Option<(Decimal, &str)> {
    let t = text.trim_start();
    let (open, inner) = match t.strip_prefix(['(', '（']) {
        Some(inner) => (true, inner),
        None => (false, t),
    };
    let end = inner.find('分')?;
    let n = Decimal::from_str_exact(&halfwidth(&squash(inner.get(..end)?))).ok()?;
    let mut after = inner.get(end + '分'.len_utf8()..)?.trim_start();
    if open {
        after = after.strip_prefix([')', '）'])?;
    }
    Some((n, after))
}

/// `c` as an ASCII digit, full-width (`１`) or not.
fn halfwidth_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    }
}

/// `text` with full-width digits and decimal points (`１０．５`) written as ASCII ones.
pub(crate) fn halfwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '．' => '.',
            c => halfwidth_digit(c).unwrap_or(c),
        })
        .collect()
}

/// A `YYYY年M月D日`, `YYYY-M-D`, `YYYY/M/D` or `YYYY.M.D` date as `YYYY-MM-DD`, if valid.
pub(crate) fn date(text: &str) -> Option<String> {
    let s = halfwidth(&squash(text)).replace(['－', '／'], "-");
    let s = s.strip_suffix('日').unwrap_or(&s);
    let parts: Vec<&str> = s.split(['年', '月', '-', '/', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1000..=9999).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The first four digits followed by 年: the year of a title.
pub(crate) fn year_of(title: &str) -> Option<i64> {
    let chars: Vec<char> = halfwidth(title).chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// An amount: a number, perhaps with a unit (not a percentage or a comparison). A bare
/// number is written as a number, or with `unit` (from the header) appended.
pub(crate) fn amount(
    diags: &mut Diags<'_>,
    cell: &Cell,
    unit: Option<&(&'static str, String)>,
) -> Option<Field> {
    let f = diags.number(cell, AMOUNT)??;
    let plain = cell.text.replace(',', "").parse::<Decimal>().is_ok();
    match unit {
        Some((unit, header)) if plain => Some(
            Field::new(Val::Str(format!("{}{unit}", cell.text)), f.from)
                .with_note(format!("单位「{unit}」取自表头「{header}」")),
        ),
        _ if plain => Some(f),
        _ => Some(Field::new(Val::Str(cell.text.clone()), f.from)),
    }
}
