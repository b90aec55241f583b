//! Limits on the size of input, so that no rule file, form or spreadsheet exhausts the
//! machine.
//!
//! Input: the text or bytes about to be parsed, and the counts of a parsed form. Output:
//! `Ok`, or a [`LimitError`] that names the limit, the actual size, and how to raise it.
//! Invariants: each phase checks its limit before its expensive step: a rule file's size
//! before parsing, a form's size before TOML parsing and its counts (goals, indicators,
//! entries) before any value is read, an imported file's size before it is decoded and its
//! counts before the TOML is written. The command line also reads no file past its byte
//! limit: it stops one byte past it, so a pipe or a device cannot make it read for ever. Expression nesting has its own fixed limits
//! ([`crate::syntax::MAX_DEPTH`], [`crate::syntax::MAX_TREE_DEPTH`]); numbers longer than
//! 28 significant digits are refused where they are read.
//!
//! The defaults are generous for real forms: the largest provincial forms have a few
//! hundred indicators and a few funds per indicator. The command line reads other values
//! from the environment variable `JIXIAO_LIMITS`, in the syntax `Limits` implements
//! `FromStr` for: `form_bytes=50MB,indicators=200000`.

use std::fmt;
use std::str::FromStr;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Named;

/// How large an input may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The size of one rule file, in bytes (each file of an `extends` chain on its own).
    pub rule_bytes: usize,
    /// The size of one form file, in bytes: a TOML form, or a spreadsheet, CSV or text
    /// file to import.
    pub form_bytes: usize,
    /// Goals (`[[goals]]`) in one form.
    pub goals: usize,
    /// Indicators in one form, all goals together.
    pub indicators: usize,
    /// Entries (funds) of one indicator.
    pub entries: usize,
    /// Cells of one worksheet read for import: its non-empty cells and the blanks between
    /// them in a row, once columns and rows that are empty throughout are left out. What a
    /// sheet costs to read is bounded by this, not by its used range (one cell at
    /// `XFD1048576` makes a range of 17 billion cells).
    pub sheet_cells: usize,
    /// The decompressed size of a workbook's parts, in bytes, all parts together (an
    /// `.xlsx`, `.xlsb` or `.ods` file is a zip of XML files, which compress a
    /// thousandfold): checked against the sizes the zip declares, then while inflating.
    pub unzipped_bytes: usize,
    /// Pages of one PDF read for import.
    pub pages: usize,
    /// Diagnostics listed for one file: the first this many, then one line counting the
    /// rest ([`LimitError::Unlisted`]), so that a file with thousands of errors prints
    /// a screenful, not thousands.
    pub diagnostics: usize,
}

/// 1 MB, as the limits count it (1024 × 1024 bytes).
pub const MB: usize = 1024 * 1024;

/// Diagnostics reported for one file, at most: the first ones, then one line with the count of the rest.
pub const MAX_DIAGNOSTICS: usize = 50;

/// The environment variable the command line reads limits from.
pub const ENV: &str = "JIXIAO_LIMITS";

impl Default for Limits {
    fn default() -> Self {
        Self {
            rule_bytes: 10 * MB,
            form_bytes: 20 * MB,
            goals: 10_000,
            indicators: 100_000,
            entries: 1_000,
            sheet_cells: 1_000_000,
            unzipped_bytes: 100 * MB,
            pages: 500,
            diagnostics: MAX_DIAGNOSTICS,
        }
    }
}

/// What a limit guards, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    RuleBytes,
    FormBytes,
    Goals,
    Indicators,
    Entries,
    SheetCells,
    UnzippedBytes,
    Pages,
    Diagnostics,
}

const KEYS: [(&str, Key); 9] = [
    ("rule_bytes", Key::RuleBytes),
    ("form_bytes", Key::FormBytes),
    ("goals", Key::Goals),
    ("indicators", Key::Indicators),
    ("entries", Key::Entries),
    ("sheet_cells", Key::SheetCells),
    ("unzipped_bytes", Key::UnzippedBytes),
    ("pages", Key::Pages),
    ("diagnostics", Key::Diagnostics),
];

impl Limits {
    fn slot(&mut self, key: Key) -> &mut usize {
        match key {
            Key::RuleBytes => &mut self.rule_bytes,
            Key::FormBytes => &mut self.form_bytes,
            Key::Goals => &mut self.goals,
            Key::Indicators => &mut self.indicators,
            Key::Entries => &mut self.entries,
            Key::SheetCells => &mut self.sheet_cells,
            Key::UnzippedBytes => &mut self.unzipped_bytes,
            Key::Pages => &mut self.pages,
            Key::Diagnostics => &mut self.diagnostics,
        }
    }

    /// Refuses a rule file of `len` bytes when it is larger than [`Limits::rule_bytes`].
    ///
    /// # Errors
    /// [`LimitError::RuleBytes`].
    pub fn check_rule_bytes(&self, name: &str, len: u64) -> Result<(), LimitError> {
        if exceeds(len, self.rule_bytes) {
            return Err(LimitError::RuleBytes {
                name: name.to_owned(),
                size: format!("有 {}", show_bytes(len)),
                limit: show_bytes(as_u64(self.rule_bytes)),
                raise: raise("rule_bytes", &suggest_bytes(len)),
            });
        }
        Ok(())
    }

    /// The error for a rule file found, while it was read, to be larger than
    /// [`Limits::rule_bytes`] when its whole size is not known: a pipe, a device, a file
    /// under `/proc`, a file that grew while it was read. Reading stops one byte past the
    /// limit, so the size shown is the limit and the larger setting suggested is double.
    #[must_use]
    pub fn rule_bytes_unfinished(&self, name: &str) -> LimitError {
        LimitError::RuleBytes {
            name: name.to_owned(),
            size: unfinished(self.rule_bytes),
            limit: show_bytes(as_u64(self.rule_bytes)),
            raise: raise(
                "rule_bytes",
                &suggest_bytes(as_u64(self.rule_bytes.saturating_mul(2))),
            ),
        }
    }

    /// Refuses a form file of `len` bytes when it is larger than [`Limits::form_bytes`].
    ///
    /// # Errors
    /// [`LimitError::FormBytes`].
    pub fn check_form_bytes(&self, name: &str, len: u64) -> Result<(), LimitError> {
        if exceeds(len, self.form_bytes) {
            return Err(LimitError::FormBytes {
                name: name.to_owned(),
                size: format!("有 {}", show_bytes(len)),
                limit: show_bytes(as_u64(self.form_bytes)),
                raise: raise("form_bytes", &suggest_bytes(len)),
            });
        }
        Ok(())
    }

    /// As [`Limits::rule_bytes_unfinished`], for a form file and [`Limits::form_bytes`].
    #[must_use]
    pub fn form_bytes_unfinished(&self, name: &str) -> LimitError {
        LimitError::FormBytes {
            name: name.to_owned(),
            size: unfinished(self.form_bytes),
            limit: show_bytes(as_u64(self.form_bytes)),
            raise: raise(
                "form_bytes",
                &suggest_bytes(as_u64(self.form_bytes.saturating_mul(2))),
            ),
        }
    }
}

/// `读到 1.0 KB 仍未读完`: the size of input read up to its limit and not to its end.
fn unfinished(limit: usize) -> String {
    format!("读到 {} 仍未读完", show_bytes(as_u64(limit)))
}

impl Limits {
    /// Refuses a worksheet whose cells (see [`Limits::sheet_cells`]) number more than the
    /// limit; `count` may stop counting just past it.
    ///
    /// # Errors
    /// [`LimitError::SheetCells`].
    pub fn check_sheet_cells(
        &self,
        name: &str,
        sheet: &str,
        count: usize,
    ) -> Result<(), LimitError> {
        if count <= self.sheet_cells {
            return Ok(());
        }
        Err(LimitError::SheetCells {
            name: name.to_owned(),
            sheet: sheet.to_owned(),
            limit: self.sheet_cells,
            raise: self.raise_sheet_cells(),
        })
    }

    /// How to raise [`Limits::sheet_cells`]: to twice what it is.
    fn raise_sheet_cells(&self) -> String {
        raise(
            "sheet_cells",
            &self.sheet_cells.saturating_mul(2).to_string(),
        )
    }

    /// Refuses the tables of a Word document, or the rows rebuilt from a PDF, whose cells
    /// (see [`Limits::sheet_cells`], which bounds them too) number more than the limit.
    ///
    /// # Errors
    /// [`LimitError::TableCells`].
    pub fn check_table_cells(&self, name: &str, count: usize) -> Result<(), LimitError> {
        if count <= self.sheet_cells {
            return Ok(());
        }
        Err(LimitError::TableCells {
            name: name.to_owned(),
            limit: self.sheet_cells,
            raise: self.raise_sheet_cells(),
        })
    }

    /// Refuses a PDF of `count` pages when it has more than [`Limits::pages`].
    ///
    /// # Errors
    /// [`LimitError::Pages`].
    pub fn check_pages(&self, name: &str, count: usize) -> Result<(), LimitError> {
        if count <= self.pages {
            return Ok(());
        }
        Err(LimitError::Pages {
            name: name.to_owned(),
            count,
            limit: self.pages,
            raise: raise("pages", &count.to_string()),
        })
    }

    /// Refuses a file whose compressed content (a workbook's or a Word document's zip
    /// parts, a PDF's streams) inflates to more than [`Limits::unzipped_bytes`]: `size`
    /// bytes, measured as `how` says.
    ///
    /// # Errors
    /// [`LimitError::UnzippedBytes`].
    pub fn check_unzipped_bytes(
        &self,
        name: &str,
        size: u64,
        how: Inflated,
    ) -> Result<(), LimitError> {
        if !exceeds(size, self.unzipped_bytes) {
            return Ok(());
        }
        let shown = show_bytes(size);
        let (size, suggestion) = match how {
            Inflated::Declared => (format!("解压后共 {shown}"), suggest_bytes(size)),
            Inflated::Zip => (
                format!("解压到 {shown} 时仍未结束（压缩包中声明的大小不实）"),
                suggest_bytes(as_u64(self.unzipped_bytes).saturating_mul(2)),
            ),
            Inflated::Streams => (
                format!("中的压缩数据解压到 {shown} 时仍未结束"),
                suggest_bytes(as_u64(self.unzipped_bytes).saturating_mul(2)),
            ),
        };
        Err(LimitError::UnzippedBytes {
            name: name.to_owned(),
            size,
            limit: show_bytes(as_u64(self.unzipped_bytes)),
            raise: raise("unzipped_bytes", &suggestion),
        })
    }
}

/// How a file's inflated size was measured, for [`Limits::check_unzipped_bytes`]'s
/// message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inflated {
    /// The sizes a zip declares for its parts, added up.
    Declared,
    /// A zip's parts as far as inflating them went (more than they declared).
    Zip,
    /// A PDF's compressed streams as far as inflating them went.
    Streams,
}

impl Limits {
    /// The line that ends a list of `total` diagnostics cut to [`Limits::diagnostics`],
    /// when it is cut.
    #[must_use]
    pub fn unlisted(&self, total: usize) -> Option<LimitError> {
        (total > self.diagnostics).then(|| LimitError::Unlisted {
            count: total - self.diagnostics,
            limit: self.diagnostics,
            raise: format!(
                "先改正上面列出的错误，再次运行会列出其余的；要一次列出全部，设置环境变量 {ENV}=diagnostics={total}"
            ),
        })
    }
}

fn as_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn exceeds(len: u64, limit: usize) -> bool {
    len > as_u64(limit)
}

/// `999 字节`, `1.5 KB`, `52.4 MB`: one decimal, rounded down.
fn show_bytes(n: u64) -> String {
    const KB: u64 = 1024;
    let mb = as_u64(MB);
    let (unit, name) = if n >= mb {
        (mb, "MB")
    } else if n >= KB {
        (KB, "KB")
    } else {
        return format!("{n} 字节");
    };
    let tenths = u128::from(n) * 10 / u128::from(unit);
    format!("{}.{} {name}", tenths / 10, tenths % 10)
}

/// The smallest whole number of MB that holds `n` bytes: `52.4 MB` → `53MB`.
fn suggest_bytes(n: u64) -> String {
    let mb = as_u64(MB);
    format!("{}MB", n.div_ceil(mb).max(1))
}

fn raise(key: &str, value: &str) -> String {
    format!(
        "这个上限用来防止异常输入耗尽内存；若输入确实这么大，设置环境变量 {ENV}={key}={value} 后重新运行（多项用逗号分隔，如 {ENV}=form_bytes=50MB,indicators=200000）"
    )
}

/// A count over its limit, in a form or an import: the diagnostic, pointing at the first
/// item past the limit when there is a source to point into.
pub(crate) struct Over<'a> {
    /// The form's (or indicator's) name.
    pub(crate) name: &'a str,
    /// How many there are.
    pub(crate) count: usize,
    /// The form file and the first item past the limit, when known.
    pub(crate) at: Option<(Named, SourceSpan)>,
}

impl Limits {
    pub(crate) fn check_goals(&self, over: Over<'_>) -> Result<(), LimitError> {
        count_within(over, self.goals, "goals", |c| LimitError::Goals {
            name: c.name,
            count: c.count,
            limit: c.limit,
            raise: c.raise,
            src: c.src,
            span: c.span,
        })
    }

    pub(crate) fn check_indicators(&self, over: Over<'_>) -> Result<(), LimitError> {
        count_within(over, self.indicators, "indicators", |c| {
            LimitError::Indicators {
                name: c.name,
                count: c.count,
                limit: c.limit,
                raise: c.raise,
                src: c.src,
                span: c.span,
            }
        })
    }

    pub(crate) fn check_entries(&self, over: Over<'_>) -> Result<(), LimitError> {
        count_within(over, self.entries, "entries", |c| LimitError::Entries {
            name: c.name,
            count: c.count,
            limit: c.limit,
            raise: c.raise,
            src: c.src,
            span: c.span,
        })
    }
}

/// What a count over its limit reports, whichever count it is.
struct CountOver {
    name: String,
    count: usize,
    limit: usize,
    raise: String,
    src: Option<Named>,
    span: Option<SourceSpan>,
}

/// `Ok` when `over.count` is within `limit` (the setting `key`); otherwise the error
/// `variant` builds.
fn count_within(
    over: Over<'_>,
    limit: usize,
    key: &str,
    variant: impl FnOnce(CountOver) -> LimitError,
) -> Result<(), LimitError> {
    if over.count <= limit {
        return Ok(());
    }
    let (src, span) = split(over.at);
    Err(variant(CountOver {
        name: over.name.to_owned(),
        count: over.count,
        limit,
        raise: raise(key, &over.count.to_string()),
        src,
        span,
    }))
}

fn split(at: Option<(Named, SourceSpan)>) -> (Option<Named>, Option<SourceSpan>) {
    match at {
        Some((src, span)) => (Some(src), Some(span)),
        None => (None, None),
    }
}

impl FromStr for Limits {
    type Err = LimitError;

    /// Reads `KEY=VALUE[,KEY=VALUE…]` on top of the defaults, as `JIXIAO_LIMITS` holds it:
    /// `form_bytes=50MB,indicators=200000`. Keys: `rule_bytes`, `form_bytes`,
    /// `unzipped_bytes` (a number of bytes, or with `KB`, `MB` or `GB`), `goals`,
    /// `indicators`, `entries`, `sheet_cells`, `pages`, `diagnostics` (counts).
    /// An empty text gives the defaults.
    fn from_str(text: &str) -> Result<Self, LimitError> {
        let mut limits = Limits::default();
        for part in text.split([',', '，', ';']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let malformed = |reason: String| LimitError::Malformed {
                text: text.to_owned(),
                reason,
            };
            let Some((key, value)) = part.split_once('=') else {
                return Err(malformed(format!("「{part}」缺少「=」")));
            };
            let (key, value) = (key.trim(), value.trim());
            let Some(&(_, k)) = KEYS.iter().find(|(name, _)| *name == key) else {
                return Err(malformed(format!("没有名为「{key}」的上限")));
            };
            let bytes = matches!(k, Key::RuleBytes | Key::FormBytes | Key::UnzippedBytes);
            let n = parse_amount(value, bytes).ok_or_else(|| {
                malformed(if bytes {
                    format!("「{value}」不是字节数；写成如 50MB、512KB 或 1048576")
                } else {
                    format!("「{value}」不是正整数")
                })
            })?;
            *limits.slot(k) = n;
        }
        Ok(limits)
    }
}

/// `200000`; for bytes also `50MB`, `512 KB`, `1GB` (any case). Zero is refused: no
/// input would pass.
fn parse_amount(value: &str, bytes: bool) -> Option<usize> {
    let upper = value.to_ascii_uppercase();
    let (digits, unit) = if bytes {
        [("GB", 1024 * MB), ("MB", MB), ("KB", 1024), ("B", 1)]
            .iter()
            .find_map(|(suffix, unit)| upper.strip_suffix(suffix).map(|d| (d.trim(), *unit)))
            .unwrap_or((upper.as_str(), 1))
    } else {
        (upper.as_str(), 1)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: usize = digits.parse().ok()?;
    n.checked_mul(unit).filter(|&n| n > 0)
}

impl fmt::Display for Limits {
    /// The limits as `JIXIAO_LIMITS` would hold them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rule_bytes={},form_bytes={},goals={},indicators={},entries={},sheet_cells={},unzipped_bytes={},pages={},diagnostics={}",
            self.rule_bytes,
            self.form_bytes,
            self.goals,
            self.indicators,
            self.entries,
            self.sheet_cells,
            self.unzipped_bytes,
            self.pages,
            self.diagnostics
        )
    }
}

/// An input over one of the [`Limits`], or a malformed `JIXIAO_LIMITS`.
#[derive(Debug, Error, Diagnostic)]
pub enum LimitError {
    /// A rule file larger than [`Limits::rule_bytes`].
    #[error("规则文件 {name} {size}，超过上限 {limit}")]
    #[diagnostic(code(jixiao::limit::rule_bytes))]
    RuleBytes {
        /// The file.
        name: String,
        /// Its size, for people: `有 52.4 MB`, or `读到 10.0 MB 仍未读完` for input whose
        /// whole size is not known (a pipe, a device) and that was read up to the limit.
        size: String,
        /// The limit, for people.
        limit: String,
        /// How to raise the limit.
        #[help]
        raise: String,
    },
    /// A form file larger than [`Limits::form_bytes`].
    #[error("表单文件 {name} {size}，超过上限 {limit}")]
    #[diagnostic(code(jixiao::limit::form_bytes))]
    FormBytes {
        /// The file.
        name: String,
        /// Its size, for people: `有 52.4 MB`, or `读到 10.0 MB 仍未读完` for input whose
        /// whole size is not known (a pipe, a device) and that was read up to the limit.
        size: String,
        /// The limit, for people.
        limit: String,
        /// How to raise the limit.
        #[help]
        raise: String,
    },
    /// A form with more goals than [`Limits::goals`].
    #[error("表单 {name} 有 {count} 个年度目标，超过上限 {limit} 个")]
    #[diagnostic(code(jixiao::limit::goals))]
    Goals {
        /// The form.
        name: String,
        /// How many it has.
        count: usize,
        /// The limit.
        limit: usize,
        /// How to raise the limit.
        #[help]
        raise: String,
        /// The form file, when there is one to point into.
        #[source_code]
        src: Option<Named>,
        /// The first goal past the limit.
        #[label("第 {limit} 个之后的第一个年度目标")]
        span: Option<SourceSpan>,
    },
    /// A form with more indicators than [`Limits::indicators`].
    #[error("表单 {name} 有 {count} 项指标，超过上限 {limit} 项")]
    #[diagnostic(code(jixiao::limit::indicators))]
    Indicators {
        /// The form.
        name: String,
        /// How many it has, all goals together.
        count: usize,
        /// The limit.
        limit: usize,
        /// How to raise the limit.
        #[help]
        raise: String,
        /// The form file, when there is one to point into.
        #[source_code]
        src: Option<Named>,
        /// The first indicator past the limit.
        #[label("第 {limit} 项之后的第一项指标")]
        span: Option<SourceSpan>,
    },
    /// An indicator with more entries than [`Limits::entries`].
    #[error("指标「{name}」有 {count} 项资金来源（entries），超过上限 {limit} 项")]
    #[diagnostic(code(jixiao::limit::entries))]
    Entries {
        /// The indicator.
        name: String,
        /// How many entries it has.
        count: usize,
        /// The limit.
        limit: usize,
        /// How to raise the limit.
        #[help]
        raise: String,
        /// The form file, when there is one to point into.
        #[source_code]
        src: Option<Named>,
        /// The first entry past the limit.
        #[label("第 {limit} 项之后的第一项")]
        span: Option<SourceSpan>,
    },
    /// A worksheet with more cells than [`Limits::sheet_cells`].
    #[error("工作簿 {name} 的工作表「{sheet}」超过 {limit} 个单元格")]
    #[diagnostic(code(jixiao::limit::sheet_cells))]
    SheetCells {
        /// The workbook.
        name: String,
        /// The sheet.
        sheet: String,
        /// The limit.
        limit: usize,
        /// How to raise the limit.
        #[help]
        raise: String,
    },
    /// A Word document's tables, or a PDF's rebuilt rows, with more cells than
    /// [`Limits::sheet_cells`].
    #[error("文档 {name} 的表格超过 {limit} 个单元格")]
    #[diagnostic(code(jixiao::limit::sheet_cells))]
    TableCells {
        /// The document.
        name: String,
        /// The limit.
        limit: usize,
        /// How to raise the limit.
        #[help]
        raise: String,
    },
    /// A PDF with more pages than [`Limits::pages`].
    #[error("PDF 文件 {name} 有 {count} 页，超过上限 {limit} 页")]
    #[diagnostic(code(jixiao::limit::pages))]
    Pages {
        /// The file.
        name: String,
        /// Its pages.
        count: usize,
        /// The limit.
        limit: usize,
        /// How to raise the limit.
        #[help]
        raise: String,
    },
    /// A workbook, a Word document or a PDF whose compressed content inflates to more
    /// than [`Limits::unzipped_bytes`].
    #[error("文件 {name} {size}，超过上限 {limit}")]
    #[diagnostic(code(jixiao::limit::unzipped_bytes))]
    UnzippedBytes {
        /// The file.
        name: String,
        /// How large its parts are, or how far inflating went, for people.
        size: String,
        /// The limit, for people.
        limit: String,
        /// How to raise the limit.
        #[help]
        raise: String,
    },
    /// The line after the first [`Limits::diagnostics`] diagnostics of a file: how many
    /// more there are.
    #[error("另有 {count} 处错误未列出（每个文件最多列出 {limit} 处）")]
    #[diagnostic(code(jixiao::limit::diagnostics))]
    Unlisted {
        /// The diagnostics not listed.
        count: usize,
        /// The limit.
        limit: usize,
        /// How to see them.
        #[help]
        raise: String,
    },
    /// `JIXIAO_LIMITS` that cannot be read.
    #[error("环境变量 JIXIAO_LIMITS 无法识别：{reason}")]
    #[diagnostic(
        code(jixiao::limit::malformed),
        help(
            "写成「名称=值」，多项用逗号分隔，如 JIXIAO_LIMITS=form_bytes=50MB,indicators=200000；名称：rule_bytes、form_bytes、unzipped_bytes（字节数，可带 KB、MB、GB）、goals、indicators、entries、sheet_cells、pages、diagnostics（个数）"
        )
    )]
    Malformed {
        /// The variable's value.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_from_text_on_top_of_the_defaults() {
        let l: Limits = "form_bytes=50MB, indicators=200000".parse().expect("valid");
        // 50 × 1024 × 1024 = 52,428,800
        assert_eq!(l.form_bytes, 52_428_800);
        assert_eq!(l.indicators, 200_000);
        assert_eq!(l.rule_bytes, Limits::default().rule_bytes);
        assert_eq!("".parse::<Limits>().expect("empty"), Limits::default());
        assert_eq!(
            "diagnostics=2"
                .parse::<Limits>()
                .map(|l| l.diagnostics)
                .ok(),
            Some(2)
        );
        assert_eq!(
            "rule_bytes=512kb"
                .parse::<Limits>()
                .map(|l| l.rule_bytes)
                .ok(),
            Some(524_288)
        );
        for bad in [
            "indicators",
            "indicator=5",
            "goals=0",
            "goals=-1",
            "entries=10MB",
            "form_bytes=1TB",
        ] {
            assert!(bad.parse::<Limits>().is_err(), "{bad} accepted");
        }
        let round = Limits::default()
            .to_string()
            .parse::<Limits>()
            .expect("round trip");
        assert_eq!(round, Limits::default());
    }

    #[test]
    fn sizes_show_rounded_down_and_suggest_whole_megabytes() {
        assert_eq!(show_bytes(999), "999 字节");
        assert_eq!(show_bytes(1536), "1.5 KB");
        // 10 MB and one byte: 10.0 MB to one decimal, and 11 whole MB hold it.
        assert_eq!(show_bytes(10 * 1_048_576 + 1), "10.0 MB");
        assert_eq!(suggest_bytes(10 * 1_048_576 + 1), "11MB");
        // 52,428,800 bytes = 50 MB exactly.
        assert_eq!(suggest_bytes(52_428_800), "50MB");
    }
}
