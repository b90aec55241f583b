//! The documents the editor has open, and how a document's `extends` is found: in the
//! editor's open (perhaps unsaved) documents first, then on disk inside the workspace
//! folder (confined like the CLI's resolver: no absolute path, no `..` above it, no link
//! out of it), then among the bundled rule sets ([`Workspace`]'s fallback).
//!
//! URIs and names: a `file:` URI under the workspace folder is named by its path relative
//! to the folder, with `/` ([`Workspace`]'s names); one outside any folder by its file
//! name, in its own folder. A bundled rule set `bundled:NAME` is the read-only virtual
//! document `jixiao-bundled:/NAME.rules`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jixiao::check::Unresolved;
use jixiao::service::workspace::{BUNDLED, Files};

/// The scheme of the virtual documents that show bundled rule sets.
pub(crate) const BUNDLED_SCHEME: &str = "jixiao-bundled:";

/// Where a document lies: the folder its names are relative to, and its name there.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub(crate) root: Option<PathBuf>,
    pub(crate) name: String,
}

/// The open documents, by URI (as the editor wrote it).
#[derive(Debug, Default)]
pub(crate) struct Docs {
    /// The workspace folder, its real path.
    pub(crate) root: Option<PathBuf>,
    pub(crate) open: HashMap<String, String>,
}

/// The path of a `file:` URI, percent-decoded.
pub(crate) fn file_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///home/…`, or `file://localhost/…`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    // Windows: `/C:/…`.
    let path = match path.as_bytes() {
        [b'/', _, b':', ..] => path[1..].to_owned(),
        _ => path,
    };
    Some(PathBuf::from(path))
}

/// The `file:` URI of `path`, percent-encoded.
pub(crate) fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Docs {
    /// Where the document at `uri` lies.
    pub(crate) fn place(&self, uri: &str) -> Place {
        if let Some(name) = uri.strip_prefix(BUNDLED_SCHEME) {
            let name = name.trim_start_matches('/');
            let name = name.strip_suffix(".rules").unwrap_or(name);
            return Place {
                root: None,
                name: format!("{BUNDLED}{name}"),
            };
        }
        let Some(path) = file_path(uri) else {
            return Place {
                root: None,
                name: uri.rsplit('/').next().unwrap_or(uri).to_owned(),
            };
        };
        let real = path
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .zip(path.file_name())
            .map_or_else(|| path.clone(), |(dir, name)| dir.join(name));
        if let Some(root) = &self.root {
            if let Ok(rel) = real.strip_prefix(root) {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                return Place {
                    root: Some(root.clone()),
                    name: parts.join("/"),
                };
            }
        }
        Place {
            root: real.parent().map(Path::to_path_buf),
            name: real
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        }
    }

    /// The URI of the file named `name` in a document's `root`.
    pub(crate) fn uri_of(root: Option<&Path>, name: &str) -> String {
        if let Some(bundled) = name.strip_prefix(BUNDLED) {
            return format!("{BUNDLED_SCHEME}/{bundled}.rules");
        }
        match root {
            Some(root) => file_uri(&root.join(name)),
            None => name.to_owned(),
        }
    }
}

/// The files one document sees: the open documents first, then the disk under `root`.
pub(crate) struct Seen<'d> {
    pub(crate) docs: &'d Docs,
    pub(crate) root: Option<&'d Path>,
    pub(crate) max_bytes: usize,
}

impl Files for Seen<'_> {
    fn read(&self, path: &str) -> Result<Option<String>, Unresolved> {
        let Some(root) = self.root else {
            return Ok(None);
        };
        let full = root.join(path);
        if let Some(text) = self.docs.open.get(&file_uri(&full)) {
            return Ok(Some(text.clone()));
        }
        let Ok(real) = full.canonicalize() else {
            return Ok(None);
        };
        if !real.starts_with(root) {
            return Err(Unresolved::Outside(
                "经符号链接指向工作文件夹之外".to_owned(),
            ));
        }
        let meta = std::fs::metadata(&real).map_err(|e| Unresolved::Missing(e.to_string()))?;
        if meta.is_dir() {
            return Ok(None);
        }
        if meta.len() > self.max_bytes as u64 {
            return Err(Unresolved::Missing(format!(
                "文件过大（{} 字节，上限 {} 字节）",
                meta.len(),
                self.max_bytes
            )));
        }
        let bytes = std::fs::read(&real).map_err(|e| Unresolved::Missing(e.to_string()))?;
        jixiao::source::decode(&bytes)
            .map(|(text, _)| Some(text))
            .map_err(|e| Unresolved::Missing(e.found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_chinese_names() {
        let path = Path::new("/tmp/规则 a/湖北.rules");
        let uri = file_uri(path);
        assert_eq!(
            uri,
            "file:///tmp/%E8%A7%84%E5%88%99%20a/%E6%B9%96%E5%8C%97.rules"
        );
        assert_eq!(file_path(&uri).as_deref(), Some(path));
        assert_eq!(file_path("file:///a%2"), None);
    }
}
