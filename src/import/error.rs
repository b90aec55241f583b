//! Import diagnostics: errors that stop a conversion, and warnings about what it assumed.
//!
//! Every message about a cell starts with the cell's name (`Sheet1!F12`, or
//! `第 12 行第 6 列` in a text or CSV file); text and CSV diagnostics also label the cell
//! in the decoded file.

use miette::SourceSpan;

use crate::code::Code;
use crate::source::Named;

/// What a scanned document holds instead of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// A PDF's pages, none with text.
    Pages(usize),
    /// A Word document's pictures, with no text beside them.
    Pictures(u32),
}

impl std::fmt::Display for Scan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scan::Pages(n) => write!(f, " 的 {n} 页中都没有文字层（扫描件，或只有图像）"),
            Scan::Pictures(n) => {
                write!(f, " 中只有 {n} 张图片，没有文字（扫描件或照片插入了文档）")
            }
        }
    }
}

/// One problem that stops a conversion.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportError {
    /// The bytes are neither UTF-8 nor GBK (GB18030).
    #[error("无法读取 {name} 的文字：{found}")]
    #[diagnostic(code(jixiao::import::encoding))]
    Encoding {
        /// The file's name.
        name: String,
        /// What the bytes look like, and where decoding failed.
        found: String,
        /// How to convert the file.
        #[help]
        help: String,
    },

    /// The file is larger, or holds more goals, indicators or entries, than the
    /// [`Limits`](crate::Limits) allow.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Limit(#[from] crate::limits::LimitError),

    /// The workbook cannot be opened or a sheet cannot be read.
    #[error("无法打开工作簿 {name}：{reason}")]
    #[diagnostic(
        code(jixiao::import::workbook),
        help(
            "确认文件是 Excel（.xlsx、.xls）或 WPS/LibreOffice 另存的工作簿，且没有加密；也可另存为 CSV UTF-8 后导入"
        )
    )]
    Workbook {
        /// The file's name.
        name: String,
        /// What the workbook reader said.
        reason: String,
    },

    /// A Word document or PDF that cannot be opened: not the format its name says, or
    /// damaged.
    #[error("无法打开文档 {name}：{reason}")]
    #[diagnostic(code(jixiao::import::document))]
    Document {
        /// The file's name.
        name: String,
        /// What is wrong.
        reason: String,
        /// How to save it again.
        #[help]
        help: String,
    },

    /// An old binary Word file (`.doc`, Word 97–2003), however it is named.
    #[error("{name} 是旧版 Word 文档（.doc，Word 97–2003 格式），无法直接读取")]
    #[diagnostic(
        code(jixiao::import::old_word),
        help(
            "用 Word 或 WPS 打开，「文件 → 另存为」，保存类型选「Word 文档（*.docx）」，再导入另存的 .docx 文件"
        )
    )]
    OldWord {
        /// The file's name.
        name: String,
    },

    /// A document protected by a password (a Word document or a PDF).
    #[error("{name} 已加密（设有打开密码或权限密码），无法读取其中的文字")]
    #[diagnostic(code(jixiao::import::encrypted))]
    Encrypted {
        /// The file's name.
        name: String,
        /// How to remove the password.
        #[help]
        help: String,
    },

    /// A PDF whose pages hold no text, or a Word document that holds only pictures: a
    /// scan.
    #[error("{name}{found}")]
    #[diagnostic(
        code(jixiao::import::scanned),
        help(
            "jixiao 不做文字识别（OCR）。请向填报单位索取 Word、Excel 原文件，或用 OCR 软件转成 Word/Excel 并核对后再导入"
        )
    )]
    Scanned {
        /// The file's name.
        name: String,
        /// What it holds instead of text.
        found: Scan,
    },

    /// A formula cell saved without its value (by a program that writes workbooks without
    /// calculating them): read, it would be empty.
    #[error("{at}：{message}")]
    #[diagnostic(
        code(jixiao::import::uncached_formula),
        help(
            "用 Excel 或 WPS 打开 {file}，确认公式算出了结果后保存一次（保存时会存入计算结果），再重新导入；也可把这些单元格复制后「选择性粘贴 → 数值」"
        )
    )]
    UncachedFormula {
        /// The first such cell.
        at: String,
        /// The formula, and the other cells.
        message: String,
        /// The file's name.
        file: String,
    },

    /// `--sheet` names a sheet the workbook does not have.
    #[error("工作簿 {name} 中没有名为「{sheet}」的工作表")]
    #[diagnostic(code(jixiao::import::no_sheet))]
    NoSheet {
        /// The file's name.
        name: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are, and the nearest name.
        #[help]
        help: String,
    },

    /// Neither the printed-form layout nor the flat table was found.
    #[error("{message}")]
    #[diagnostic(code(jixiao::import::layout))]
    Layout {
        /// What was looked for.
        message: String,
        /// The two layouts.
        #[help]
        help: String,
    },

    /// A flat table's header lacks a required column.
    #[error("{at}：表头缺少「{column}」列")]
    #[diagnostic(code(jixiao::import::missing_column))]
    MissingColumn {
        /// The header row.
        at: String,
        /// The missing column's Chinese name.
        column: &'static str,
        /// The accepted names, and the columns found.
        #[help]
        help: String,
        /// The header row in a text or CSV file.
        #[label("表头")]
        span: Option<SourceSpan>,
        /// The decoded file.
        #[source_code]
        src: Option<Named>,
    },

    /// A cell that cannot be read: a number that is not one, a value that starts like a
    /// number but cannot be read, an Excel error value.
    #[error("{at}：{message}")]
    #[diagnostic(code(jixiao::import::bad_cell))]
    BadCell {
        /// The cell.
        at: String,
        /// What is wrong.
        message: String,
        /// How to write it.
        #[help]
        help: String,
        /// The label's text.
        label: String,
        /// The cell (or its bad part) in a text or CSV file.
        #[label("{label}")]
        span: Option<SourceSpan>,
        /// The decoded file.
        #[source_code]
        src: Option<Named>,
    },

    /// A required cell (a name, a level) is empty.
    #[error("{at}：{message}")]
    #[diagnostic(code(jixiao::import::empty_cell))]
    EmptyCell {
        /// The cell.
        at: String,
        /// What is missing.
        message: String,
        /// What to write there.
        #[help]
        help: String,
        /// The cell in a text or CSV file.
        #[label("空的")]
        span: Option<SourceSpan>,
        /// The decoded file.
        #[source_code]
        src: Option<Named>,
    },

    /// An indicator has no weight (and `--weights reported` was not given, or it has no
    /// reported score either).
    #[error("{at}：{message}")]
    #[diagnostic(code(jixiao::import::missing_weight))]
    MissingWeight {
        /// The empty 分值 cell, or the indicator's name when there is no weight column.
        at: String,
        /// Which indicator.
        message: String,
        /// Add a column, or `--weights reported`.
        #[help]
        help: String,
        /// The cell in a text or CSV file.
        #[label("缺少分值")]
        span: Option<SourceSpan>,
        /// The decoded file.
        #[source_code]
        src: Option<Named>,
    },

    /// Rows of one indicator split by fund disagree on a value they share.
    #[error("{at}：{message}")]
    #[diagnostic(code(jixiao::import::conflicting_rows))]
    ConflictingRows {
        /// The later cell.
        at: String,
        /// Which value, and both versions.
        message: String,
        /// How to fix it.
        #[help]
        help: String,
        /// The later cell in a text or CSV file.
        #[label("与前面不一致")]
        span: Option<SourceSpan>,
        /// The decoded file.
        #[source_code]
        src: Option<Named>,
    },

    /// Two rows give the same thing once given: two budget lines, two 总分 rows.
    #[error("{at}：{message}")]
    #[diagnostic(code(jixiao::import::duplicate_row))]
    DuplicateRow {
        /// The later row.
        at: String,
        /// What is given twice, and where first.
        message: String,
        /// Which to keep.
        #[help]
        help: String,
        /// The first row in a text or CSV file.
        #[label("第一处")]
        first: Option<SourceSpan>,
        /// The later row in a text or CSV file.
        #[label("又一处")]
        span: Option<SourceSpan>,
        /// The decoded file.
        #[source_code]
        src: Option<Named>,
    },

    /// The input has no budget line.
    #[error("{name} 中找不到预算执行情况（预算数、执行数）")]
    #[diagnostic(code(jixiao::import::missing_budget))]
    MissingBudget {
        /// The file's name.
        name: String,
        /// Where to write it.
        #[help]
        help: String,
    },
}

/// Every problem found converting one file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("无法转换 {name}：{n} 处错误", n = .errors.len())]
#[diagnostic(
    code(jixiao::import::invalid),
    help("逐条改正下面列出的问题后重新运行")
)]
pub struct ImportErrors {
    /// The file's name.
    pub name: String,
    /// The problems, in the order they were found.
    #[related]
    pub errors: Vec<ImportError>,
}

/// Something a conversion assumed: shown, never silent.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportWarning {
    /// Indicators of a goal took their reported scores as weights (`--weights reported`).
    #[error("年度目标{goal}{which}没有分值，按自评得分作为权重")]
    #[diagnostic(code(jixiao::import::weights_from_reported), severity(Warning))]
    WeightsFromReported {
        /// N of 年度目标N.
        goal: usize,
        /// Which of its indicators: `的指标` (all), `有 3 项指标`.
        which: String,
        /// Which cells, and the consequence.
        #[help]
        help: String,
    },

    /// A cell broken by the text extraction was read as the form evidently meant it: a
    /// level-name fragment, a level missing from a block's first row.
    #[error("{at}：{message}")]
    #[diagnostic(
        code(jixiao::import::repaired),
        severity(Warning),
        help("请核对原表；若不对，改正原文件后重新导入，或直接改生成的 TOML")
    )]
    Repaired {
        /// The cell.
        at: String,
        /// What was read, and why.
        message: String,
        /// The cell in a text file.
        #[label("已修补")]
        span: Option<SourceSpan>,
        /// The decoded file.
        #[source_code]
        src: Option<Named>,
    },

    /// A PDF page whose table has no rules: its rows and columns were rebuilt from where
    /// the text sits alone.
    #[error("{name} 第 {page} 页的表格没有表格线，行和列按文字位置推测")]
    #[diagnostic(
        code(jixiao::import::guessed_layout),
        severity(Warning),
        help(
            "请对照 PDF 核对生成的 TOML（每个值上方的注释写明页、行、列）；若有错位，请向填报单位索取 Word 或 Excel 原文件"
        )
    )]
    GuessedLayout {
        /// The file's name.
        name: String,
        /// The 1-based page.
        page: u32,
    },

    /// A spreadsheet number read as a percentage, because the other value of its indicator
    /// is one (Excel stores `96%` as 0.96).
    #[error("{at}：数字 {number} 按百分比 {percent} 读取（同一指标的另一个值是百分比）")]
    #[diagnostic(
        code(jixiao::import::percent_cell),
        severity(Warning),
        help(
            "Excel 把设为百分比格式的 {percent} 存为 {number}；若本意不是百分比，请把两个值写成同一种形式"
        )
    )]
    PercentCell {
        /// The cell.
        at: String,
        /// The number as stored.
        number: String,
        /// The percentage it was read as.
        percent: String,
    },
}

impl ImportWarning {
    /// The warning's stable code, as its diagnostic shows it.
    #[must_use]
    pub fn kind(&self) -> Code {
        match self {
            ImportWarning::WeightsFromReported { .. } => Code::ImportWeightsFromReported,
            ImportWarning::Repaired { .. } => Code::ImportRepaired,
            ImportWarning::PercentCell { .. } => Code::ImportPercentCell,
            ImportWarning::GuessedLayout { .. } => Code::ImportGuessedLayout,
        }
    }

    /// N of the 年度目标N the warning is about, if it is about one goal.
    #[must_use]
    pub fn goal(&self) -> Option<usize> {
        match self {
            ImportWarning::WeightsFromReported { goal, .. } => Some(*goal),
            ImportWarning::Repaired { .. }
            | ImportWarning::PercentCell { .. }
            | ImportWarning::GuessedLayout { .. } => None,
        }
    }

    /// The warning as an outcome scored from the converted form carries it: its code,
    /// its text (the cell first) and its goal.
    #[must_use]
    pub fn to_outcome_warning(&self) -> crate::eval::Warning {
        crate::eval::Warning {
            code: self.kind(),
            message: self.to_string(),
            goal: self.goal(),
            indicator: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::Diagnostic;

    #[test]
    fn codes_as_text_are_the_diagnostic_codes() {
        let warnings = [
            ImportWarning::WeightsFromReported {
                goal: 2,
                which: "的指标".into(),
                help: String::new(),
            },
            ImportWarning::Repaired {
                at: String::new(),
                message: String::new(),
                span: None,
                src: None,
            },
            ImportWarning::PercentCell {
                at: String::new(),
                number: String::new(),
                percent: String::new(),
            },
            ImportWarning::GuessedLayout {
                name: String::new(),
                page: 1,
            },
        ];
        for w in &warnings {
            assert_eq!(
                w.code().map(|c| c.to_string()).as_deref(),
                Some(w.kind().as_str())
            );
        }
        assert_eq!(warnings[0].goal(), Some(2));
    }
}
