//! The documents the editor has open, and how a document's `extends` is found: in the
//! editor's open (perhaps unsaved) documents first, then on disk inside the document's
//! folder, read through the workbench's [`Folder`] (confined the same way: no absolute
//! path, no `..` above it, no link out of it, the same size limits), then among the
//! bundled rule sets ([`Workspace`](jixiao::service::workspace::Workspace)'s fallback).
//!
//! URIs and names: a `file:` URI under the workspace folder is named by its path relative
//! to the folder, with `/` (the service's workspace names); one outside it by its file
//! name, in its own folder. A bundled rule set `bundled:NAME` is the read-only virtual
//! document `jixiao:/bundled/NAME.rules`, whose text the editor asks for with
//! `workspace/textDocumentContent` or `jixiao/bundledText`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jixiao::check::Unresolved;
use jixiao::import::Weights;
use jixiao::service::workspace::{BUNDLED, Files};

use crate::cli::serve::files::Folder;

/// The scheme of the virtual documents that show bundled rule sets.
pub(crate) const SCHEME: &str = "jixiao";
/// The start of a bundled set's URI, before its name.
const BUNDLED_URI: &str = "jixiao:/bundled/";

/// Where a document lies: the folder its names are relative to (its real path), and its
/// name there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) root: Option<PathBuf>,
    pub(crate) name: String,
}

/// An open document.
#[derive(Debug)]
pub(crate) struct Doc {
    pub(crate) text: String,
    pub(crate) version: Option<i32>,
    pub(crate) place: Place,
}

/// The open documents, by URI (as the editor wrote it), and the folders they lie in.
#[derive(Default)]
pub(crate) struct Docs {
    /// The workspace folder, its real path.
    pub(crate) root: Option<PathBuf>,
    pub(crate) open: HashMap<String, Doc>,
    /// Each folder documents lie in, by its real path; kept for its cache of forms.
    folders: HashMap<PathBuf, Folder>,
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
    use std::fmt::Write as _;
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The bundled set's name (`bundled:NAME`) of a `jixiao:` URI.
pub(crate) fn bundled_name(uri: &str) -> Option<String> {
    let name = uri.strip_prefix(BUNDLED_URI)?;
    let name = name.strip_suffix(".rules").unwrap_or(name);
    Some(format!("{BUNDLED}{name}"))
}

/// Where the document at `uri` lies, relative to the workspace folder `root`.
pub(crate) fn place(root: Option<&Path>, uri: &str) -> Place {
    if let Some(name) = bundled_name(uri) {
        return Place { root: None, name };
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
    if let Some(root) = root {
        if let Ok(rel) = real.strip_prefix(root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            return Place {
                root: Some(root.to_path_buf()),
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
        return format!("{BUNDLED_URI}{bundled}.rules");
    }
    match root {
        Some(root) => file_uri(&root.join(name)),
        None => name.to_owned(),
    }
}

impl Docs {
    /// Opens (or replaces) the document at `uri`.
    pub(crate) fn open(&mut self, uri: &str, text: String, version: Option<i32>) {
        let place = place(self.root.as_deref(), uri);
        if let Some(root) = &place.root {
            self.folder_at(root.clone());
        }
        self.open.insert(
            uri.to_owned(),
            Doc {
                text,
                version,
                place,
            },
        );
    }

    /// The folder `root`, kept from now on.
    fn folder_at(&mut self, root: PathBuf) -> &Folder {
        self.folders
            .entry(root.clone())
            .or_insert_with(|| Folder::new(root, *super::super::limits(), Weights::Given))
    }

    /// The folder `root` (the workspace folder, or an open document's own).
    pub(crate) fn folder(&self, root: &Path) -> Option<&Folder> {
        self.folders.get(root)
    }

    /// The workspace folder, or else the folder of the document at `place`: where the
    /// forms whose values complete strings lie.
    pub(crate) fn forms_folder(&mut self, place: &Place) -> Option<&Folder> {
        let root = self.root.clone().or_else(|| place.root.clone())?;
        Some(self.folder_at(root))
    }

    /// The files a document in `root` sees.
    pub(crate) fn seen<'d>(&'d self, root: Option<&'d Path>) -> Seen<'d> {
        Seen {
            docs: self,
            root,
            folder: root.and_then(|r| self.folder(r)),
        }
    }
}

/// The files one document sees: the open documents of its folder first, then the disk.
pub(crate) struct Seen<'d> {
    docs: &'d Docs,
    root: Option<&'d Path>,
    folder: Option<&'d Folder>,
}

impl Files for Seen<'_> {
    fn read(&self, path: &str) -> Result<Option<String>, Unresolved> {
        let open = self
            .docs
            .open
            .values()
            .find(|d| d.place.root.as_deref() == self.root && d.place.name == path);
        if let Some(doc) = open {
            return Ok(Some(doc.text.clone()));
        }
        match self.folder {
            Some(folder) => Files::read(folder, path),
            None => Ok(None),
        }
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
        // Lower-case escapes, as some editors write them, decode alike.
        assert_eq!(
            file_path("file:///tmp/%e6%b9%96.rules").as_deref(),
            Some(Path::new("/tmp/湖.rules"))
        );
    }

    #[test]
    fn bundled_sets_are_virtual_documents() {
        assert_eq!(
            uri_of(None, "bundled:hubei-2021"),
            "jixiao:/bundled/hubei-2021.rules"
        );
        assert_eq!(
            place(None, "jixiao:/bundled/hubei-2021.rules"),
            Place {
                root: None,
                name: "bundled:hubei-2021".to_owned()
            }
        );
    }
}
