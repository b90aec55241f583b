//! The workbench page's files, embedded in the binary (no network, no CDN): the page
//! itself, its scripts and its style sheet, written by hand under `web/` and served as
//! they are, except that the page's `{{TOKEN}}` becomes the session's token, and
//! `{{ACCEPT}}`, `{{LABELS}}` and `{{FORMATS}}` the forms it imports (from
//! [`jixiao::import::Format`], the one list of them).

/// `index.html`, with `{{TOKEN}}` where the token goes, and the import formats'
/// placeholders.
const INDEX: &str = include_str!("web/index.html");
/// The page's scripts under `/assets/`, in the order `index.html` loads them (one global
/// scope: each uses what the ones before it declare).
const SCRIPTS: [(&str, &str); 7] = [
    ("common.js", include_str!("web/common.js")),
    ("editor.js", include_str!("web/editor.js")),
    ("assist.js", include_str!("web/assist.js")),
    ("rules.js", include_str!("web/rules.js")),
    ("forms.js", include_str!("web/forms.js")),
    ("whatif.js", include_str!("web/whatif.js")),
    ("app.js", include_str!("web/app.js")),
];
/// `/assets/style.css`.
const STYLE_CSS: &str = include_str!("web/style.css");

/// The page for the session whose token is `token` (32 hex digits: nothing to escape).
pub(super) fn index(token: &str) -> String {
    use jixiao::import::Format;
    INDEX
        .replace("{{TOKEN}}", token)
        .replace("{{ACCEPT}}", &Format::recognised().join(","))
        .replace("{{LABELS}}", &Format::labels())
        .replace("{{FORMATS}}", &format!("可导入：{}", Format::described()))
}

/// An asset's text and content type, by its name under `/assets/`.
pub(super) fn asset(name: &str) -> Option<(&'static str, &'static str)> {
    if name == "style.css" {
        return Some((STYLE_CSS, "text/css; charset=utf-8"));
    }
    SCRIPTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| (*text, "text/javascript; charset=utf-8"))
}

#[cfg(test)]
mod tests {
    /// index.html loads every script, in the order listed here.
    #[test]
    fn the_page_loads_each_script_once_in_order() {
        let tags: Vec<String> = super::SCRIPTS
            .iter()
            .map(|(name, _)| format!("<script src=\"/assets/{name}\"></script>"))
            .collect();
        let page = super::INDEX;
        let mut at = 0;
        for tag in &tags {
            let found = page[at..].find(tag.as_str()).map(|i| i + at);
            assert!(found.is_some(), "{tag} missing or out of order");
            at = found.unwrap_or(at) + tag.len();
        }
        assert_eq!(page.matches("<script").count(), tags.len());
    }

    /// The import button and the drop zone list the formats `jixiao import` reads,
    /// Word and PDF among them; no placeholder is left.
    #[test]
    fn the_page_imports_every_format() {
        let page = super::index("0123");
        assert!(
            page.contains(
                r#"accept=".xlsx,.xls,.xlsm,.xlsb,.ods,.docx,.docm,.doc,.pdf,.csv,.txt,.tsv""#
            ),
            "{page}"
        );
        assert!(
            page.contains("松开鼠标以导入表单（Excel 工作簿、Word 文档、PDF、CSV 文件、表单文字）")
        );
        assert!(page.contains(r#"title="可导入：Excel 工作簿（.xlsx"#));
        assert!(!page.contains("{{"), "a placeholder left");
    }
}
