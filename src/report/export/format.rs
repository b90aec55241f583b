//! The formats a scored form is reported in, and the file extensions that name them.
//!
//! Input: a format chosen by name (`--format`), or an output file's name. Output: the
//! [`Format`]. Invariant: every extension names one format, and a name with an extension
//! no format has names none (`报告.pdf` is not filled with a text table).

use std::path::Path;

/// A report's format. With the `cli` feature it is also the `--format` of `jixiao score`
/// (each variant's first line is its help there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// A table in the form's Chinese terms.
    #[cfg_attr(feature = "cli", value(help = "表格，用表单的中文术语"))]
    Table,
    /// One JSON object; decimals as strings.
    #[cfg_attr(feature = "cli", value(help = "一个 JSON 对象，小数为字符串"))]
    Json,
    /// CSV (RFC 4180, UTF-8 with a byte order mark for Excel).
    #[cfg_attr(feature = "cli", value(help = "CSV（UTF-8 带 BOM，Excel 可直接打开）"))]
    Csv,
    /// GitHub-flavoured Markdown tables.
    #[cfg_attr(feature = "cli", value(help = "Markdown 表格"))]
    Md,
    /// An Excel workbook laid out like the paper form.
    #[cfg_attr(feature = "cli", value(help = "Excel 工作簿，版式同纸质自评表"))]
    Xlsx,
    /// One self-contained HTML page with charts, printable on A4.
    #[cfg_attr(feature = "cli", value(help = "单个 HTML 文件，含图表，可打印为 A4"))]
    Html,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Md,
        Format::Xlsx,
        Format::Html,
    ];

    /// The file extensions (lower case, without the dot) that name this format.
    #[must_use]
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Table => &["txt"],
            Format::Json => &["json"],
            Format::Csv => &["csv"],
            Format::Md => &["md", "markdown"],
            Format::Xlsx => &["xlsx"],
            Format::Html => &["html", "htm"],
        }
    }

    /// The format a file name implies: `report.html` → HTML, `report.txt` or a name
    /// without an extension (`报告`, `/dev/null`: what stdout would show) → a table;
    /// `None` for an extension no format has.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Format> {
        let Some(ext) = path.extension() else {
            return Some(Format::Table);
        };
        let ext = ext.to_str()?.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.extensions().contains(&ext.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_output_file_extension() {
        let f = |p: &str| Format::from_path(Path::new(p));
        assert_eq!(f("报告.html"), Some(Format::Html));
        assert_eq!(f("a/b.HTM"), Some(Format::Html));
        assert_eq!(f("x.csv"), Some(Format::Csv));
        assert_eq!(f("x.md"), Some(Format::Md));
        assert_eq!(f("x.markdown"), Some(Format::Md));
        assert_eq!(f("x.xlsx"), Some(Format::Xlsx));
        assert_eq!(f("x.json"), Some(Format::Json));
        assert_eq!(f("x.txt"), Some(Format::Table));
        assert_eq!(f("x"), Some(Format::Table));
        assert_eq!(f("/dev/null"), Some(Format::Table));
        assert_eq!(f("x.pdf"), None);
        assert_eq!(f("报告.docx"), None);
    }
}
