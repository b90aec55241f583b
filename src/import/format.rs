//! The kinds of file a form is imported from, and the extensions that name them: the one
//! table every list of formats is built from (the help of `import` and of the commands
//! that read forms, the files a folder contributes, the workbench's listing, its import
//! button and drop zone, and the diagnostics that say what can be read).
//!
//! Input: a file's extension. Output: its [`Format`], and the texts that list the formats.
//! Invariant: [`Format::from_extension`] knows exactly the extensions the lists show, plus
//! `.doc`, read as Word only to be refused with its own diagnostic.

/// The kinds of file that can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Excel or OpenDocument workbook (`.xlsx`, `.xls`, `.xlsm`, `.xlsb`, `.ods`).
    Workbook,
    /// A Word document (`.docx`, `.docm`); an old binary one (`.doc`) gets an error saying
    /// to save it as `.docx`.
    Word,
    /// A PDF with a text layer (`.pdf`): its table rebuilt from where the text sits.
    Pdf,
    /// Comma-separated values (`.csv`), UTF-8 or GBK.
    Csv,
    /// Tab-separated text, such as the text extracted from a printed form (`.txt`).
    Text,
}

/// The old binary Word format's extension: recognised, so that such a file is told to be
/// saved as `.docx` rather than that its type is unknown; never listed as convertible.
const OLD_WORD: &str = "doc";

impl Format {
    /// Every format, in the order the lists show them.
    pub const ALL: [Format; 5] = [
        Format::Workbook,
        Format::Word,
        Format::Pdf,
        Format::Csv,
        Format::Text,
    ];

    /// The extensions of files in this format (lower case, without the dot), the usual
    /// one first.
    #[must_use]
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Workbook => &["xlsx", "xls", "xlsm", "xlsb", "ods"],
            Format::Word => &["docx", "docm"],
            Format::Pdf => &["pdf"],
            Format::Csv => &["csv"],
            Format::Text => &["txt", "tsv"],
        }
    }

    /// The format's short name, its usual extension (`xlsx`, `docx`, `pdf`, `csv`,
    /// `txt`), as the workbench's listing names a form's kind.
    #[must_use]
    pub fn kind(self) -> &'static str {
        self.extensions()[0]
    }

    /// What people call such a file, in Chinese.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Format::Workbook => "Excel 工作簿",
            Format::Word => "Word 文档",
            Format::Pdf => "PDF",
            Format::Csv => "CSV 文件",
            Format::Text => "表单文字",
        }
    }

    /// What a file must be to be read, where that is more than its extension.
    fn note(self) -> Option<&'static str> {
        match self {
            Format::Workbook => None,
            Format::Word => Some("旧版 .doc 须先另存为 .docx"),
            Format::Pdf => Some("须有文字层，扫描件无法读取"),
            Format::Csv => Some("UTF-8 或 GBK 编码"),
            Format::Text => Some("以制表符分隔"),
        }
    }

    /// Whether a folder named on the command line contributes files in this format. Not
    /// text (`.txt`), which a folder of forms holds as notes as often as as forms.
    #[must_use]
    pub fn in_folders(self) -> bool {
        self != Format::Text
    }

    /// The format a file extension (without the dot, any case) names, if any.
    #[must_use]
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        if ext == OLD_WORD {
            return Some(Format::Word);
        }
        Format::ALL
            .into_iter()
            .find(|f| f.extensions().contains(&ext.as_str()))
    }

    /// Every extension [`Format::from_extension`] knows (`.doc` too), with its dot, in
    /// the order of [`Format::ALL`]: for a file chooser's `accept` list.
    #[must_use]
    pub fn recognised() -> Vec<String> {
        Self::recognised_where(|_| true)
    }

    /// The extensions, with their dots, of the files a folder contributes (see
    /// [`Format::in_folders`]), `.doc` too: TOML forms are not imported and not listed.
    #[must_use]
    pub fn in_folder_extensions() -> Vec<String> {
        Self::recognised_where(Format::in_folders)
    }

    fn recognised_where(keep: impl Fn(Format) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        for f in Format::ALL.into_iter().filter(|f| keep(*f)) {
            out.extend(f.extensions().iter().map(|e| format!(".{e}")));
            if f == Format::Word {
                out.push(format!(".{OLD_WORD}"));
            }
        }
        out
    }

    /// Every format's name, in Chinese: `Excel 工作簿、Word 文档、PDF、CSV 文件、表单文字`.
    #[must_use]
    pub fn labels() -> String {
        Format::ALL.map(Format::label).join("、")
    }

    /// Every format with its extensions, in Chinese, for help texts and diagnostics:
    /// `Excel 工作簿（.xlsx、.xls、…）、Word 文档（.docx、.docm；旧版 .doc 须先另存为
    /// .docx）、…`.
    #[must_use]
    pub fn described() -> String {
        Format::ALL
            .iter()
            .map(|f| {
                let exts: Vec<String> = f.extensions().iter().map(|e| format!(".{e}")).collect();
                match f.note() {
                    Some(note) => format!("{}（{}；{note}）", f.label(), exts.join("、")),
                    None => format!("{}（{}）", f.label(), exts.join("、")),
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_extension("XLSX"), Some(Format::Workbook));
        assert_eq!(Format::from_extension("xls"), Some(Format::Workbook));
        assert_eq!(Format::from_extension("ods"), Some(Format::Workbook));
        assert_eq!(Format::from_extension("csv"), Some(Format::Csv));
        assert_eq!(Format::from_extension("txt"), Some(Format::Text));
        assert_eq!(Format::from_extension("Docx"), Some(Format::Word));
        assert_eq!(Format::from_extension("doc"), Some(Format::Word));
        assert_eq!(Format::from_extension("PDF"), Some(Format::Pdf));
        assert_eq!(Format::from_extension("toml"), None);
        assert_eq!(Format::from_extension("wps"), None);
    }

    #[test]
    fn every_listed_extension_is_recognised_and_only_those() {
        for ext in Format::recognised() {
            let ext = ext.strip_prefix('.').unwrap_or_default();
            assert!(Format::from_extension(ext).is_some(), "{ext}");
        }
        assert_eq!(
            Format::in_folder_extensions().join(" "),
            ".xlsx .xls .xlsm .xlsb .ods .docx .docm .doc .pdf .csv"
        );
        assert_eq!(Format::recognised().len(), 12);
    }

    #[test]
    fn the_formats_described_in_chinese() {
        assert_eq!(
            Format::labels(),
            "Excel 工作簿、Word 文档、PDF、CSV 文件、表单文字"
        );
        assert_eq!(
            Format::described(),
            "Excel 工作簿（.xlsx、.xls、.xlsm、.xlsb、.ods）、\
             Word 文档（.docx、.docm；旧版 .doc 须先另存为 .docx）、\
             PDF（.pdf；须有文字层，扫描件无法读取）、CSV 文件（.csv；UTF-8 或 GBK 编码）、\
             表单文字（.txt、.tsv；以制表符分隔）"
        );
    }
}
