//! The workbench page's files, embedded in the binary (no network, no CDN): the page
//! itself, its script and its style sheet, written by hand under `web/` and served as
//! they are, except that the page's `{{TOKEN}}` becomes the session's token.

/// `index.html`, with `{{TOKEN}}` where the token goes.
const INDEX: &str = include_str!("web/index.html");
/// `/assets/app.js`.
pub(super) const APP_JS: &str = include_str!("web/app.js");
/// `/assets/style.css`.
pub(super) const STYLE_CSS: &str = include_str!("web/style.css");

/// The page for the session whose token is `token` (32 hex digits: nothing to escape).
pub(super) fn index(token: &str) -> String {
    INDEX.replace("{{TOKEN}}", token)
}

/// An asset's text and content type, by its name under `/assets/`.
pub(super) fn asset(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "app.js" => Some((APP_JS, "text/javascript; charset=utf-8")),
        "style.css" => Some((STYLE_CSS, "text/css; charset=utf-8")),
        _ => None,
    }
}
