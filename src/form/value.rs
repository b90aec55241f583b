//! Form values: the strings departments write in the 目标值 and 实际完成值 cells.
//!
//! Input: one cell as written, e.g. `≥1,234.5万元`, `95%以上`, `3天以内`, `明显提高`.
//! Output: [`Parsed::Quantity`] (comparison, exact number, percentage flag, unit) or
//! [`Parsed::Text`], or a [`ParseValueError`] pointing at the bad part of the cell.
//! Grammar: `[comparison] [-]digits[.digits] [multiplier] (% | unit) [suffix]`,
//! whitespace allowed between parts; thousands separators `,` in groups of three;
//! multipliers 千 万 百万 千万 亿 万亿; comparisons as in [`Cmp`], before the number
//! (`≥`, `不少于`, `至少`, `少于`, …) or after it (`以上`, `以下`, `以内`, `及以上`,
//! `及以下`); full-width digits and `，．％＞＜＝－` read as their ASCII forms. Anything
//! not starting with a number is text. [`parse_scale`] reads what may follow a number on
//! its own (`万元`, `%`), for a unit a form declares for its bare numbers.
//! Invariants: numbers are exact decimals (never binary floating point): the multiplier is
//! applied and a percentage divided by 100 without rounding, and the result is normalized
//! (`1.50万` is `15000`); a unit never holds a multiplier, a digit or `%`. Nothing here
//! panics, whatever the input.

use std::ops::Range;

use rust_decimal::Decimal;

use super::Parsed;
use crate::text::quoted;

/// The comparison a value states: `≥95%` is [`Cmp::Ge`], a bare `95%` is [`Cmp::None`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Cmp {
    /// No comparison written.
    None,
    /// `≥`, `>=`, `不低于`, `不少于`, `至少`, `最少`, `大于等于`, `…以上`, `…及以上`.
    /// In Chinese official usage `以上` includes the number: `100人以上` is ≥ 100.
    Ge,
    /// `≤`, `<=`, `不高于`, `不超过`, `不多于`, `至多`, `最多`, `小于等于`, `…以下`,
    /// `…及以下`, `…以内` (`以下` and `以内` include the number).
    Le,
    /// `>`, `大于`, `高于`, `超过`, `多于`.
    Gt,
    /// `<`, `小于`, `低于`, `少于`, `不足`.
    Lt,
    /// `=`, `==`.
    Eq,
}

impl Cmp {
    /// The symbol a report prints: `""`, `"≥"`, `"≤"`, `">"`, `"<"`, `"="`.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::None => "",
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
        }
    }

    /// The ASCII spelling: `""`, `">="`, `"<="`, `">"`, `"<"`, `"="`.
    #[must_use]
    pub fn ascii(self) -> &'static str {
        match self {
            Cmp::None => "",
            Cmp::Ge => ">=",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
        }
    }
}

/// A number as a form states it: `≥1,234.5万元` is `Ge`, 12345000, not a percentage, `元`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The comparison, from a prefix (`≥`) or a suffix (`以上`).
    pub cmp: Cmp,
    /// The exact number, scaled by the multiplier (`1.5亿` is 150000000); a percentage as a
    /// fraction (`95%` is 0.95). Normalized: no trailing zeros.
    pub number: Decimal,
    /// Whether it was written as a percentage.
    pub percent: bool,
    /// The multiplier as written (`万` of `1.5万元`), if any; already applied to `number`.
    pub multiplier: Option<&'static str>,
    /// The unit after removing the multiplier (`万元` gives `元`); `""` if none. Never
    /// contains `%` or a digit.
    pub unit: String,
}

impl Quantity {
    /// Whether it is a bare number: no unit, no multiplier, not a percentage (`100`,
    /// `≥3`). Whether `100` beside `90万元` means 100 or 100 万 the form does not say.
    #[must_use]
    pub fn is_bare(&self) -> bool {
        !self.percent && self.multiplier.is_none() && self.unit.is_empty()
    }

    /// What follows the number as written, without a comparison: `万元`, `%`, `人次`,
    /// or `""` for a bare number.
    #[must_use]
    pub fn suffix(&self) -> String {
        let percent = if self.percent { "%" } else { "" };
        format!("{}{percent}{}", self.multiplier.unwrap_or(""), self.unit)
    }
}

/// Why a value that starts like a number could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseValueError {
    /// What is wrong, in Chinese, quoting the bad part.
    pub message: String,
    /// How to write it instead.
    pub help: String,
    /// The byte range of the bad part within the string given to [`parse_value`].
    pub offset: Range<usize>,
}

impl ParseValueError {
    fn new(message: String, help: &str, offset: Range<usize>) -> Self {
        Self {
            message,
            help: help.to_owned(),
            offset,
        }
    }
}

/// Prefix comparisons, written with ASCII where a full-width form exists (the cursor narrows
/// full-width characters before matching). A longer spelling comes before its prefixes.
/// The flag says whether the comparison is a symbol (a symbol must be followed by a number;
/// a word may begin ordinary text such as `不低于上年水平`).
const PREFIXES: &[(&str, Cmp, bool)] = &[
    (">=", Cmp::Ge, true),
    ("<=", Cmp::Le, true),
    ("==", Cmp::Eq, true),
    ("≥", Cmp::Ge, true),
    ("≧", Cmp::Ge, true),
    ("≤", Cmp::Le, true),
    ("≦", Cmp::Le, true),
    (">", Cmp::Gt, true),
    ("<", Cmp::Lt, true),
    ("=", Cmp::Eq, true),
    ("大于或等于", Cmp::Ge, false),
    ("小于或等于", Cmp::Le, false),
    ("大于等于", Cmp::Ge, false),
    ("小于等于", Cmp::Le, false),
    ("不低于", Cmp::Ge, false),
    ("不少于", Cmp::Ge, false),
    ("不小于", Cmp::Ge, false),
    ("至少", Cmp::Ge, false),
    ("最少", Cmp::Ge, false),
    ("不高于", Cmp::Le, false),
    ("不超过", Cmp::Le, false),
    ("不多于", Cmp::Le, false),
    ("不大于", Cmp::Le, false),
    ("至多", Cmp::Le, false),
    ("最多", Cmp::Le, false),
    ("大于", Cmp::Gt, false),
    ("高于", Cmp::Gt, false),
    ("超过", Cmp::Gt, false),
    ("多于", Cmp::Gt, false),
    ("小于", Cmp::Lt, false),
    ("低于", Cmp::Lt, false),
    ("少于", Cmp::Lt, false),
    ("不足", Cmp::Lt, false),
];

/// Comparisons written after the number and unit: `95%以上`, `3天以内`. Longer spellings
/// first. `以上`, `以下` and `以内` include the number, as in official usage.
const SUFFIXES: &[(&str, Cmp)] = &[
    ("及以上", Cmp::Ge),
    ("及以下", Cmp::Le),
    ("以上", Cmp::Ge),
    ("以下", Cmp::Le),
    ("以内", Cmp::Le),
];

/// Multipliers and their powers of ten, longer spellings first.
const MULTIPLIERS: &[(&str, u32)] = &[
    ("百万", 6),
    ("千万", 7),
    ("万亿", 12),
    ("千", 3),
    ("万", 4),
    ("亿", 8),
];

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

/// A unit a form declares for the bare numbers of a table (`unit = "万元"`): what may
/// follow a number, on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// The multiplier as written and its power of ten (`万`, 4).
    pub multiplier: Option<(&'static str, u32)>,
    /// `%`: bare numbers are percentages.
    pub percent: bool,
    /// The unit without the multiplier (`元` of `万元`); `""` for `%` or a multiplier
    /// alone.
    pub unit: String,
}

impl Scale {
    /// `number` read in this unit: `11000` in `万元` is 110,000,000 元, `90` in `%` is
    /// 0.9. `None` if the result does not fit a decimal.
    #[must_use]
    pub fn apply(&self, number: Decimal) -> Option<Decimal> {
        let mut n = match self.multiplier {
            Some((_, power)) => scale_up(number, power)?,
            None => number,
        };
        if self.percent {
            n.set_scale(n.scale().checked_add(2)?).ok()?;
        }
        Some(n.normalize())
    }

    /// How it was written, normalized: `万元`, `%`, `人次`.
    #[must_use]
    pub fn written(&self) -> String {
        let percent = if self.percent { "%" } else { "" };
        format!(
            "{}{percent}{}",
            self.multiplier.map_or("", |(w, _)| w),
            self.unit
        )
    }
}

/// Reads a unit declared for bare numbers: `[multiplier] (% | unit)`, such as `万元`,
/// `%`, `人次`, `万`. No number, comparison or suffix.
///
/// # Errors
/// A [`ParseValueError`] for an empty unit, a digit or comparison in it, or a multiplier
/// with `%`.
pub fn parse_scale(raw: &str) -> Result<Scale, ParseValueError> {
    let mut cur = Cursor { raw, pos: 0 };
    cur.skip_ws();
    let mult_start = cur.pos;
    let multiplier = cur.multiplier();
    let mult_range = mult_start..cur.pos;
    cur.skip_ws();
    let percent = cur.peek() == Some('%');
    let (unit, suffix) = if percent {
        cur.bump();
        after_percent(&mut cur, multiplier.map(|_| mult_range))?
    } else {
        unit_and_suffix(raw, cur.pos)?
    };
    if let Some((_, range)) = suffix {
        return Err(ParseValueError::new(
            format!("单位中不能有比较：{}", quoted(slice(raw, range.clone()))),
            "unit 只写单位，如 unit = \"万元\"；比较写在各个值中，如「≥95%」",
            range,
        ));
    }
    if !percent && multiplier.is_none() && unit.is_empty() {
        return Err(ParseValueError::new(
            "单位是空的".to_owned(),
            "写上单位，如 unit = \"万元\"、unit = \"人次\" 或 unit = \"%\"；不需要时删去 unit",
            0..raw.len(),
        ));
    }
    Ok(Scale {
        multiplier,
        percent,
        unit,
    })
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
fn after_percent(
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
fn slice(raw: &str, range: Range<usize>) -> &str {
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
    let mut group = 0usize;
    let mut separators = 0usize;
    let mut bad_grouping = false;
    while let Some(c) = cur.peek() {
        if c.is_ascii_digit() {
            digits.push(c);
            count += 1;
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
        if count > MAX_DIGITS {
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
    if cur.peek() == Some('.') {
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
            count += 1;
            cur.bump();
            if count > MAX_DIGITS {
                break;
            }
        }
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

/// Multiplies by `10^power` exactly, or `None` on overflow.
fn scale_up(number: Decimal, power: u32) -> Option<Decimal> {
    (0..power).try_fold(number, |n, _| n.checked_mul(Decimal::TEN))
}

/// The unit (the rest of the string from `start`, trimmed) and a trailing `以上`/`以下`/`以内`.
type UnitAndSuffix = (String, Option<(Cmp, Range<usize>)>);

fn unit_and_suffix(raw: &str, start: usize) -> Result<UnitAndSuffix, ParseValueError> {
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

/// Full-width digits and punctuation as their ASCII counterparts; everything else as is.
fn narrow(c: char) -> char {
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
struct Cursor<'a> {
    raw: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        self.raw.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next().map(narrow)
    }

    /// The byte length of the next character as written.
    fn peek_len(&self) -> usize {
        self.rest().chars().next().map_or(0, char::len_utf8)
    }

    fn bump(&mut self) {
        self.pos += self.peek_len();
    }

    fn skip_ws(&mut self) {
        while self.rest().chars().next().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// Skips the rest of a malformed number so an error can cover all of it.
    fn skip_numberish(&mut self) {
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
        {
            self.bump();
        }
    }

    /// Consumes `word` (compared after narrowing) if the input continues with it.
    fn eat(&mut self, word: &str) -> bool {
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

    /// A multiplier, as written and as a power of ten.
    fn multiplier(&mut self) -> Option<(&'static str, u32)> {
        MULTIPLIERS.iter().find(|(word, _)| self.eat(word)).copied()
    }

    /// A prefix comparison and whether it is a symbol.
    fn comparison(&mut self) -> Option<(Cmp, bool)> {
        PREFIXES
            .iter()
            .find(|(word, _, _)| self.eat(word))
            .map(|&(_, cmp, symbol)| (cmp, symbol))
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn q(raw: &str) -> Quantity {
        match parse_value(raw) {
            Ok(Parsed::Quantity(q)) => q,
            other => panic!("{raw:?} gave {other:?}"),
        }
    }

    /// Asserts a quantity: comparison, number (as a decimal string), percent, unit.
    fn check(raw: &str, cmp: Cmp, number: &str, percent: bool, unit: &str) {
        let got = q(raw);
        assert_eq!(
            (got.cmp, got.number, got.percent, got.unit.as_str()),
            (cmp, dec(number), percent, unit),
            "parsing {raw:?}"
        );
    }

    fn text(raw: &str) -> String {
        match parse_value(raw) {
            Ok(Parsed::Text(t)) => t,
            other => panic!("{raw:?} gave {other:?}"),
        }
    }

    /// The error and the text of `raw` it points at.
    fn err(raw: &str) -> (ParseValueError, &str) {
        match parse_value(raw) {
            Err(e) => {
                let bad = &raw[e.offset.clone()];
                (e, bad)
            }
            Ok(p) => panic!("{raw:?} parsed as {p:?}"),
        }
    }

    #[test]
    fn examples_from_forms() {
        check("4000人次", Cmp::None, "4000", false, "人次");
        // 1,234.5 × 10^4 = 12,345,000
        check("1,234.5万元", Cmp::None, "12345000", false, "元");
        // 48.8 × 10^4 = 488,000
        check("48.8万张", Cmp::None, "488000", false, "张");
        // 1.5 × 10^8 = 150,000,000
        check("1.5亿元", Cmp::None, "150000000", false, "元");
        check("95%", Cmp::None, "0.95", true, "");
        check("≥95%", Cmp::Ge, "0.95", true, "");
        // 120 × 10^4 = 1,200,000
        check("≤120万元", Cmp::Le, "1200000", false, "元");
        check("<=3天", Cmp::Le, "3", false, "天");
        check("=100%", Cmp::Eq, "1", true, "");
        // 146.2 × 10^4 = 1,462,000
        check("146.2万", Cmp::None, "1462000", false, "");
        check("12174.8", Cmp::None, "12174.8", false, "");
        for t in ["明显提高", "长期", "满意", "显著提高"] {
            assert_eq!(text(t), t);
        }
    }

    #[test]
    fn exact_arithmetic() {
        assert_eq!(q("1.5亿").number, Decimal::new(150_000_000, 0));
        assert_eq!(q("48.8万").number, Decimal::new(488_000, 0));
        // 1466.4408 × 10^4 = 14,664,408
        assert_eq!(q("1466.4408万").number, Decimal::new(14_664_408, 0));
        // 0.5 / 100 = 0.005
        assert_eq!(q("0.5%").number, Decimal::new(5, 3));
        // 0.1 + 0.2 is exactly 0.3 here, unlike in binary floating point.
        assert_eq!(q("0.1").number + q("0.2").number, Decimal::new(3, 1));
        // 1.2 × 10^4 = 12,000; 9600 stays 9600; both in 人次.
        assert_eq!(
            q("1.2万人次"),
            Quantity {
                cmp: Cmp::None,
                number: dec("12000"),
                percent: false,
                multiplier: Some("万"),
                unit: "人次".into()
            }
        );
        // Normalized: trailing zeros go, so 12000.00 prints as 12000.
        assert_eq!(q("12000.00").number.to_string(), "12000");
        assert_eq!(q("1.50万").number.to_string(), "15000");
        // The multipliers: 千 10^3, 百万 10^6, 千万 10^7, 亿 10^8, 万亿 10^12.
        assert_eq!(q("2千").number, dec("2000"));
        assert_eq!(q("2百万").number, dec("2000000"));
        assert_eq!(q("2千万元").number, dec("20000000"));
        assert_eq!(q("2千万元").unit, "元");
        assert_eq!(q("2亿").number, dec("200000000"));
        assert_eq!(q("2万亿元").number, dec("2000000000000"));
        // 28 significant digits still fit.
        assert_eq!(
            q("1234567890123456789012345678").number,
            dec("1234567890123456789012345678")
        );
        // -0 normalizes to 0.
        assert_eq!(q("-0").number, Decimal::ZERO);
        assert!(!q("-0").number.is_sign_negative());
    }

    #[test]
    fn every_comparison() {
        let cases = [
            ("≥", Cmp::Ge),
            ("≧", Cmp::Ge),
            (">=", Cmp::Ge),
            ("＞＝", Cmp::Ge),
            ("不低于", Cmp::Ge),
            ("不少于", Cmp::Ge),
            ("不小于", Cmp::Ge),
            ("至少", Cmp::Ge),
            ("最少", Cmp::Ge),
            ("大于等于", Cmp::Ge),
            ("大于或等于", Cmp::Ge),
            ("≤", Cmp::Le),
            ("≦", Cmp::Le),
            ("<=", Cmp::Le),
            ("＜＝", Cmp::Le),
            ("不高于", Cmp::Le),
            ("不超过", Cmp::Le),
            ("不多于", Cmp::Le),
            ("不大于", Cmp::Le),
            ("至多", Cmp::Le),
            ("最多", Cmp::Le),
            ("小于等于", Cmp::Le),
            ("小于或等于", Cmp::Le),
            (">", Cmp::Gt),
            ("＞", Cmp::Gt),
            ("大于", Cmp::Gt),
            ("高于", Cmp::Gt),
            ("超过", Cmp::Gt),
            ("多于", Cmp::Gt),
            ("<", Cmp::Lt),
            ("＜", Cmp::Lt),
            ("小于", Cmp::Lt),
            ("低于", Cmp::Lt),
            ("少于", Cmp::Lt),
            ("不足", Cmp::Lt),
            ("=", Cmp::Eq),
            ("＝", Cmp::Eq),
            ("==", Cmp::Eq),
        ];
        for (prefix, cmp) in cases {
            check(&format!("{prefix}90%"), cmp, "0.9", true, "");
            check(&format!("  {prefix} 12 人 "), cmp, "12", false, "人");
        }
        check("95%以上", Cmp::Ge, "0.95", true, "");
        check("95 % 以上", Cmp::Ge, "0.95", true, "");
        check("3天以内", Cmp::Le, "3", false, "天");
        check("3 天 以下", Cmp::Le, "3", false, "天");
        check("100万元以上", Cmp::Ge, "1000000", false, "元");
        check("60以下", Cmp::Le, "60", false, "");
        check("5万以上", Cmp::Ge, "50000", false, "");
        check("95%及以上", Cmp::Ge, "0.95", true, "");
        check("3天及以下", Cmp::Le, "3", false, "天");
    }

    /// The words of issue #15, as departments write them: `以上` and `以下` include the
    /// number (≥, ≤), `少于` excludes it (<), `不超过` includes it (≤).
    #[test]
    fn chinese_comparison_words() {
        check("至少95%", Cmp::Ge, "0.95", true, "");
        check("不少于95%", Cmp::Ge, "0.95", true, "");
        check("不低于95%", Cmp::Ge, "0.95", true, "");
        check("少于5起", Cmp::Lt, "5", false, "起");
        check("不超过3天", Cmp::Le, "3", false, "天");
        check("100人以上", Cmp::Ge, "100", false, "人");
        check("3天以下", Cmp::Le, "3", false, "天");
        // Followed by text, a comparison word is the start of a sentence, not a number.
        assert_eq!(text("至少一次"), "至少一次");
        assert_eq!(text("少于上年"), "少于上年");
        // Written both before and after: which one was meant is not for us to guess.
        let (e, bad) = err("至少95%以上");
        assert_eq!(bad, "以上");
        assert_eq!(e.message, "比较写了两次：前面的「至少」和后面的「以上」");
        let (_, bad) = err("少于5起以下");
        assert_eq!(bad, "以下");
    }

    #[test]
    fn multipliers_are_remembered() {
        let big = q("1.5万元");
        assert_eq!((big.multiplier, big.unit.as_str()), (Some("万"), "元"));
        assert_eq!(big.suffix(), "万元");
        assert!(!big.is_bare());
        assert!(q("≥100").is_bare());
        assert!(!q("100人").is_bare());
        assert!(!q("5%").is_bare());
        assert!(!q("3千").is_bare());
        assert_eq!(q("≥95%").suffix(), "%");
        assert_eq!(q("100").suffix(), "");
    }

    #[test]
    fn declared_units() {
        let s = parse_scale("万元").unwrap();
        assert_eq!(
            (s.multiplier, s.percent, s.unit.as_str()),
            (Some(("万", 4)), false, "元")
        );
        // 11000 万元 = 110,000,000 元.
        assert_eq!(s.apply(dec("11000")), Some(dec("110000000")));
        assert_eq!(s.written(), "万元");
        let p = parse_scale(" % ").unwrap();
        // 90 % = 0.9.
        assert_eq!(p.apply(dec("90")), Some(dec("0.9")));
        assert_eq!(p.written(), "%");
        assert_eq!(parse_scale("人次").unwrap().apply(dec("5")), Some(dec("5")));
        assert_eq!(parse_scale("亿").unwrap().unit, "");
        // 10^21 × 10^8 does not fit.
        assert_eq!(
            parse_scale("亿元")
                .unwrap()
                .apply(dec("1000000000000000000000")),
            None
        );
        for (bad, part) in [
            ("", ""),
            ("以上", "以上"),
            ("万%", "万%"),
            ("2人", "2人"),
            ("%元", "元"),
        ] {
            let e = parse_scale(bad).expect_err(bad);
            assert_eq!(&bad[e.offset.clone()], part, "{bad}: {}", e.message);
        }
    }

    #[test]
    fn symbols_and_ascii() {
        let all = [Cmp::None, Cmp::Ge, Cmp::Le, Cmp::Gt, Cmp::Lt, Cmp::Eq];
        let symbols: Vec<_> = all.iter().map(|c| c.symbol()).collect();
        let ascii: Vec<_> = all.iter().map(|c| c.ascii()).collect();
        assert_eq!(symbols, ["", "≥", "≤", ">", "<", "="]);
        assert_eq!(ascii, ["", ">=", "<=", ">", "<", "="]);
    }

    #[test]
    fn full_width() {
        // １，２３４．５万元 is 1,234.5 万元 = 12,345,000 元.
        check("１，２３４．５万元", Cmp::None, "12345000", false, "元");
        check("≥９５％", Cmp::Ge, "0.95", true, "");
        check("＜＝　３天", Cmp::Le, "3", false, "天");
        check("９５％以上", Cmp::Ge, "0.95", true, "");
    }

    #[test]
    fn whitespace_between_parts() {
        check(" ≥ 1,234.5 万 元 ", Cmp::Ge, "12345000", false, "元");
        check("\t95 %\n", Cmp::None, "0.95", true, "");
        check("4000 人 次", Cmp::None, "4000", false, "人 次");
    }

    #[test]
    fn negative_numbers_parse() {
        check("-5%", Cmp::None, "-0.05", true, "");
        check("－3天", Cmp::None, "-3", false, "天");
        check("≥-1.5万", Cmp::Ge, "-15000", false, "");
    }

    #[test]
    fn text_values() {
        assert_eq!(text("  明显提高 "), "明显提高");
        assert_eq!(text(""), "");
        assert_eq!(text("   "), "");
        assert_eq!(text("-"), "-");
        assert_eq!(text("约100人"), "约100人");
        assert_eq!(text("%"), "%");
        // A comparison word before text is text: 不低于上年水平 is a common target.
        assert_eq!(text("不低于上年水平"), "不低于上年水平");
        assert_eq!(text("高于全国平均"), "高于全国平均");
        assert_eq!(text("以上"), "以上");
        for garbage in [
            "@#$%^&*",
            "🙂🙂",
            "\u{0}\u{1}",
            "ab12",
            "一二三",
            "按期完成",
            "\u{feff}x",
            "N/A",
        ] {
            assert_eq!(text(garbage), garbage.trim());
        }
    }

    #[test]
    fn comparison_without_number() {
        let (e, bad) = err("≥很多");
        assert_eq!(bad, "很多");
        assert!(e.message.contains('≥'), "{}", e.message);
        let (_, bad) = err("≥");
        assert_eq!(bad, "≥");
        let (_, bad) = err(" >= 大量 ");
        assert_eq!(bad, "大量");
        let (_, bad) = err("=-");
        assert_eq!(bad, "-");
    }

    #[test]
    fn malformed_numbers() {
        let cases = [
            ("1,23", "1,23"),
            ("1,2345", "1,2345"),
            ("1234,567", "1234,567"),
            ("1,234,56万元", "1,234,56"),
            ("1,", "1,"),
            ("12.3.4", "12.3.4"),
            ("12.", "12."),
            ("1.234,5", "1.234,5"),
            (".5", ".5"),
            ("3天2小时", "天2小时"),
            ("3天２小时", "天２小时"),
            ("2024年12月", "年12月"),
            ("95%完成", "完成"),
            ("95% 左右", "左右"),
            ("5万%", "万%"),
            ("5 元%", "元%"),
            ("1e30", "e30"),
            ("1.5E-3元", "E-3"),
            ("≥95%以上", "以上"),
            ("不少于3天以内", "以内"),
        ];
        for (raw, bad_part) in cases {
            let (e, bad) = err(raw);
            assert_eq!(bad, bad_part, "{raw:?}: {}", e.message);
            assert!(!e.message.is_empty() && !e.help.is_empty());
        }
    }

    #[test]
    fn too_large_numbers_are_errors() {
        // 29 significant digits do not fit a 96-bit mantissa exactly.
        let (_, bad) = err("12345678901234567890123456789");
        assert_eq!(bad, "12345678901234567890123456789");
        let huge = "9".repeat(300);
        let (e, bad) = err(&huge);
        assert_eq!(bad, huge);
        assert!(e.message.contains("28"));
        let tiny = format!("0.{}1%", "0".repeat(300));
        let (_, bad) = err(&tiny);
        assert!(bad.starts_with("0.000"));
        // 7.9 × 10^28 is the largest decimal; 10^21 × 10^8 overflows.
        let (_, bad) = err("1000000000000000000000亿");
        assert_eq!(bad, "1000000000000000000000亿");
        // 27 decimal places, then / 100 would need 29.
        let precise = format!("0.{}1%", "0".repeat(26));
        let (_, bad) = err(&precise);
        assert_eq!(bad, format!("0.{}1", "0".repeat(26)));
    }

    #[test]
    fn no_panics_on_odd_input() {
        let samples = [
            "≥",
            "≥ ",
            "1",
            "1%",
            "1万",
            "1 万 %",
            ",",
            "1,,000",
            "1,000,",
            "１．",
            "－",
            "--1",
            "-.5",
            "0x10",
            "1e3",
            "以上以上",
            "1以上以上",
            "🙂1",
            "1🙂",
            "1\u{0}",
            "\u{3000}１\u{3000}",
        ];
        for s in samples {
            let _ = parse_value(s);
        }
        // Every byte offset of an error lies on a char boundary of the input.
        for s in ["1,23🙂", "１，２３", "≥🙂", "5万％", "3天２小时以内"] {
            if let Err(e) = parse_value(s) {
                assert!(s.get(e.offset.clone()).is_some(), "{s:?} {:?}", e.offset);
            }
        }
    }
}
