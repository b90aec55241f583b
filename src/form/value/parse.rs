//! Reading one value: `[comparison] number [multiplier] (% | unit) [suffix]`, or text.
//!
//! Input: a cell as written. Output: a [`Parsed`] value or a [`ParseValueError`] whose
//! offset is the bad part's byte range in the input. Invariants: as in [`super`]: exact
//! numbers, no panics.

use std::ops::Range;

use rust_decimal::Decimal;

use super::comparison::SUFFIXES;
use super::cursor::{Cursor, narrow};
use super::scale::scale_up;
use super::{Cmp, ParseValueError, Quantity};
use crate::form::Parsed;
use crate::text::quoted;

/// The most significant digits a value may have (a 96-bit decimal holds 28 in general).
const MAX_SIGNIFICANT: usize = 28;

/// More digits than this cannot be a valid decimal; checked before building the string so
/// a pathological cell costs nothing.
const MAX_DIGITS: usize = 60;

/// Reads one form value (the grammar is in the module docs):
/// `[comparison] number [multiplier] (% | unit) [以上|以下|以内]`, or free text.
///
/// A string that does not start with a digit (after whitespace and a comparison) is
/// [`Parsed::Text`], trimmed, except after a comparison symbol (`≥很多`), which is an
/// error. A comparison word followed by text (`不低于上年水平`) is text.
///
/// # Errors
/// A [`ParseValueError`] when the value starts with a number that cannot be read exactly:
/// bad thousands grouping, two decimal points, digits in the unit, text after `%`, a
/// percentage with a multiplier, a comparison both before and after, or a number too
/// large or too precise for a 96-bit decimal.
pub fn parse_value(raw: &str) -> Result<Parsed, ParseValueError> {
    let mut cur = Cursor { raw, pos: 0 };
    cur.skip_ws();
    let cmp_start = cur.pos;
    let prefix = cur.comparison();
    let cmp_range = cmp_start..cur.pos;
    cur.skip_ws();

    let num_start = cur.pos;
    if let Some(outcome) = not_a_number(&cur, prefix, cmp_range.clone()) {
        return outcome;
    }
    let negative = cur.peek() == Some('-');
    if negative {
        cur.bump();
    }
    let mut number = read_number(&mut cur, num_start, negative)?.normalize();
    let num_end = cur.pos;

    cur.skip_ws();
    let mult_start = cur.pos;
    let multiplier = cur.multiplier();
    let mult_range = mult_start..cur.pos;
    if let Some((_, power)) = multiplier {
        number = scale_up(number, power).ok_or_else(|| {
            ParseValueError::new(
                format!(
                    "数值{}超出可精确表示的范围",
                    quoted(slice(raw, num_start..mult_range.end))
                ),
                "检查是否多写了数字，或换用更合适的单位",
                num_start..mult_range.end,
            )
        })?;
    }
    cur.skip_ws();

    let percent = cur.peek() == Some('%');
    let (unit, suffix) = if percent {
        cur.bump();
        after_percent(&mut cur, multiplier.map(|_| mult_range))?
    } else {
        unit_and_suffix(raw, cur.pos)?
    };

    let cmp = match (prefix, suffix) {
        (Some(_), Some((_, range))) => {
            return Err(ParseValueError::new(
                format!(
                    "比较写了两次：前面的{}和后面的{}",
                    quoted(slice(raw, cmp_range)),
                    quoted(slice(raw, range.clone())),
                ),
                "只保留一处，如「≥95%」或「95%以上」",
                range,
            ));
        }
        (Some((cmp, _)), None) | (None, Some((cmp, _))) => cmp,
        (None, None) => Cmp::None,
    };

    if percent && number.set_scale(number.scale().saturating_add(2)).is_err() {
        return Err(ParseValueError::new(
            format!(
                "百分比{}的小数位数过多",
                quoted(slice(raw, num_start..num_end))
            ),
            "百分比最多保留 26 位小数",
            num_start..num_end,
        ));
    }
    Ok(Parsed::Quantity(Quantity {
        cmp,
        number: number.normalize(),
        percent,
        multiplier: multiplier.map(|(word, _)| word),
        unit,
    }))
}

/// `None` if a number starts at the cursor (after an optional `-`); otherwise the
/// outcome: text, or an error after a comparison symbol or before a bare `.5`.
fn not_a_number(
    cur: &Cursor<'_>,
    prefix: Option<(Cmp, bool)>,
    cmp_range: Range<usize>,
) -> Option<Result<Parsed, ParseValueError>> {
    let raw = cur.raw;
    let start = cur.pos;
    let mut digits = Cursor { raw, pos: start };
    if digits.peek() == Some('-') {
        digits.bump();
    }
    let first = digits.peek();
    let second = Cursor {
        raw,
        pos: digits.pos + digits.peek_len(),
    }
    .peek();
    match first {
        Some(c) if c.is_ascii_digit() => None,
        Some('.') if second.is_some_and(|c| c.is_ascii_digit()) => {
            digits.skip_numberish();
            Some(Err(ParseValueError::new(
                format!(
                    "小数点前缺少整数部分：{}",
                    quoted(slice(raw, start..digits.pos))
                ),
                "在小数点前补上 0，如 0.5",
                start..digits.pos,
            )))
        }
        _ => Some(match prefix {
            Some((cmp, true)) => {
                let rest = start..raw.trim_end().len().max(start);
                let offset = if rest.is_empty() { cmp_range } else { rest };
                Err(ParseValueError::new(
                    format!("比较符号「{}」后面缺少数字", cmp.symbol()),
                    "写成「≥95%」「≤3天」这样的形式；若是文字描述，请去掉比较符号",
                    offset,
                ))
            }
            _ => Ok(Parsed::Text(raw.trim().to_owned())),
        }),
    }
}

/// What may follow `%`: nothing, or `以上`/`以下`/`以内`. `multiplier` is the range of a
/// multiplier before the `%` (an error).
pub(super) fn after_percent(
    cur: &mut Cursor<'_>,
    multiplier: Option<Range<usize>>,
) -> Result<UnitAndSuffix, ParseValueError> {
    let raw = cur.raw;
    if let Some(range) = multiplier {
        let range = range.start..cur.pos;
        return Err(ParseValueError::new(
            format!("百分比不能带倍数：{}", quoted(slice(raw, range.clone()))),
            "百分比直接写数字加 %，如「5%」；若要写数量，去掉 %，如「5万人次」",
            range,
        ));
    }
    cur.skip_ws();
    let start = cur.pos;
    let rest = cur.rest().trim_end();
    let range = start..start + rest.len();
    match SUFFIXES.iter().find(|(word, _)| rest == *word) {
        Some(&(_, cmp)) => Ok((String::new(), Some((cmp, range)))),
        None if rest.is_empty() => Ok((String::new(), None)),
        None => Err(ParseValueError::new(
            format!("百分号后面还有文字：{}", quoted(rest)),
            "百分比后面只能跟「以上」「以下」「以内」「及以上」或「及以下」，如「95%以上」；其他说明请写在备注中",
            range,
        )),
    }
}

/// `raw[range]`, or `""` if the range does not fit (it always does here).
pub(super) fn slice(raw: &str, range: Range<usize>) -> &str {
    raw.get(range).unwrap_or("")
}

/// Reads the digits of a number (after its optional sign) up to the first character that
/// cannot continue it, checking thousands separators and decimal points.
fn read_number(
    cur: &mut Cursor<'_>,
    start: usize,
    negative: bool,
) -> Result<Decimal, ParseValueError> {
    let raw = cur.raw;
    let mut digits = String::new();
    if negative {
        digits.push('-');
    }
    let mut count = 0usize;
    integer_part(cur, start, &mut digits, &mut count)?;
    if cur.peek() == Some('.') {
        fraction_part(cur, start, &mut digits, &mut count)?;
    }
    if count > MAX_DIGITS {
        cur.skip_numberish();
        return Err(too_many_digits(raw, start..cur.pos));
    }
    match cur.peek() {
        Some('.') => {
            cur.skip_numberish();
            return Err(ParseValueError::new(
                format!("数字中有多个小数点：{}", quoted(slice(raw, start..cur.pos))),
                "一个数字只能有一个小数点，如 12.34",
                start..cur.pos,
            ));
        }
        Some(',') => {
            cur.skip_numberish();
            return Err(ParseValueError::new(
                format!(
                    "小数部分不应有千位分隔符：{}",
                    quoted(slice(raw, start..cur.pos))
                ),
                "千位分隔符只用在整数部分，如 1,234.567",
                start..cur.pos,
            ));
        }
        _ => {}
    }
    // Significant digits: all but the leading zeros (of `0.000123` too).
    let significant = digits
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|&c| c == '0')
        .count();
    if significant > MAX_SIGNIFICANT {
        return Err(too_many_digits(raw, start..cur.pos));
    }
    Decimal::from_str_exact(&digits).map_err(|_| too_many_digits(raw, start..cur.pos))
}

/// The integer digits of a number, checking its thousands separators: appended to
/// `digits` and counted in `count` (reading stops past [`MAX_DIGITS`]).
fn integer_part(
    cur: &mut Cursor<'_>,
    start: usize,
    digits: &mut String,
    count: &mut usize,
) -> Result<(), ParseValueError> {
    let raw = cur.raw;
    let mut group = 0usize;
    let mut separators = 0usize;
    let mut bad_grouping = false;
    while let Some(c) = cur.peek() {
        if c.is_ascii_digit() {
            digits.push(c);
            *count += 1;
            group += 1;
        } else if c == ',' {
            // The first group has one to three digits, every later group exactly three.
            if (separators == 0 && !(1..=3).contains(&group)) || (separators > 0 && group != 3) {
                bad_grouping = true;
            }
            separators += 1;
            group = 0;
        } else {
            break;
        }
        cur.bump();
        if *count > MAX_DIGITS {
            break;
        }
    }
    if separators > 0 && group != 3 {
        bad_grouping = true;
    }
    if bad_grouping {
        cur.skip_numberish();
        return Err(ParseValueError::new(
            format!(
                "千位分隔符的位置不对：{}",
                quoted(slice(raw, start..cur.pos))
            ),
            "千位分隔符「,」应每三位一个，如 1,234,567；也可以不写分隔符，如 1234567",
            start..cur.pos,
        ));
    }
    Ok(())
}

/// The decimal point at the cursor and the digits after it, appended to `digits` and
/// counted in `count` (reading stops past [`MAX_DIGITS`]).
fn fraction_part(
    cur: &mut Cursor<'_>,
    start: usize,
    digits: &mut String,
    count: &mut usize,
) -> Result<(), ParseValueError> {
    let raw = cur.raw;
    cur.bump();
    if !cur.peek().is_some_and(|c| c.is_ascii_digit()) {
        return Err(ParseValueError::new(
            format!("小数点后缺少数字：{}", quoted(slice(raw, start..cur.pos))),
            "在小数点后写上数字，或去掉小数点",
            start..cur.pos,
        ));
    }
    digits.push('.');
    while let Some(c) = cur.peek().filter(char::is_ascii_digit) {
        digits.push(c);
        *count += 1;
        cur.bump();
        if *count > MAX_DIGITS {
            break;
        }
    }
    Ok(())
}

fn too_many_digits(raw: &str, range: Range<usize>) -> ParseValueError {
    ParseValueError::new(
        format!(
            "数字{}超出可精确表示的范围（最多 28 位有效数字）",
            quoted(slice(raw, range.clone()))
        ),
        "检查是否多写了数字；金额可以用「万元」「亿元」为单位写短一些",
        range,
    )
}

/// The unit (the rest of the string from `start`, trimmed) and a trailing `以上`/`以下`/`以内`.
pub(super) type UnitAndSuffix = (String, Option<(Cmp, Range<usize>)>);

pub(super) fn unit_and_suffix(raw: &str, start: usize) -> Result<UnitAndSuffix, ParseValueError> {
    let rest = raw.get(start..).unwrap_or("").trim_end();
    let mut unit_end = start + rest.len();
    let mut suffix = None;
    for &(word, cmp) in SUFFIXES {
        if let Some(before) = rest.strip_suffix(word) {
            unit_end = start + before.trim_end().len();
            suffix = Some((cmp, start + before.len()..start + rest.len()));
            break;
        }
    }
    let unit = slice(raw, start..unit_end);
    if unit.chars().map(narrow).any(|c| c == '%') {
        return Err(ParseValueError::new(
            format!("百分号的位置不对：{}", quoted(unit)),
            "百分号应紧跟在数字后面，如「95%」",
            start..unit_end,
        ));
    }
    if let Some(len) = exponent_len(unit) {
        return Err(ParseValueError::new(
            format!("不支持科学计数法：{}", quoted(raw.trim())),
            "写成普通的数字，如「1000000」；很大的数可以用「万」「亿」，如「1.5亿元」",
            start..start + len,
        ));
    }
    if unit.chars().map(narrow).any(|c| c.is_ascii_digit()) {
        return Err(ParseValueError::new(
            format!("单位{}中含有数字", quoted(unit)),
            "一个值只写一个数字加单位，如「50小时」；复合的量请换算成同一单位，说明文字请写在备注中",
            start..unit_end,
        ));
    }
    Ok((unit.to_owned(), suffix))
}

/// The byte length of the exponent of scientific notation that `unit` starts with
/// (`e30`, `E-3` of `E-3元`, `e+3`), if it starts with one.
fn exponent_len(unit: &str) -> Option<usize> {
    let mut cur = Cursor { raw: unit, pos: 0 };
    if !matches!(cur.peek(), Some('e' | 'E')) {
        return None;
    }
    cur.bump();
    if matches!(cur.peek(), Some('+' | '-')) {
        cur.bump();
    }
    let digits = cur.pos;
    while cur.peek().is_some_and(|c| c.is_ascii_digit()) {
        cur.bump();
    }
    (cur.pos > digits).then_some(cur.pos)
}
