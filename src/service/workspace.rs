//! How a workspace's rule files find what they `extends`: paths relative to the extending
//! file, inside the workspace, else a bundled rule set named `bundled:NAME`.
//!
//! Input: a [`Files`] implementation (the workbench reads a folder; the language server
//! will add the editor's unsaved texts), which does the I/O and refuses what lies outside.
//! Output: [`Workspace`], a [`Resolve`]r. Invariants: names are workspace-relative with
//! `/`, lexically normalised (`a/./b/../c` → `a/c`), never absolute and never climbing
//! above the workspace; a bundled source is named `bundled:NAME`, and a bundled file
//! extends only bundled names.

use crate::check::{Resolve, Unresolved};
use crate::source::Source;

/// The prefix of a bundled rule set's name in a workspace: `bundled:hubei-2021`.
pub const BUNDLED: &str = "bundled:";

/// Reading a workspace's files, by workspace-relative path.
pub trait Files {
    /// The text of `path`; `Ok(None)` when there is no such file.
    ///
    /// # Errors
    /// [`Unresolved`]: a file that may not be read (a link out of the workspace) or
    /// cannot be (its reason, in words).
    fn read(&self, path: &str) -> Result<Option<String>, Unresolved>;
}

/// The bundled rule set `name` as a workspace names it (`bundled:NAME`).
#[must_use]
pub fn bundled(name: &str) -> Option<Source> {
    let name = name.strip_prefix(BUNDLED).unwrap_or(name);
    crate::bundled(name).map(|s| Source::new(format!("{BUNDLED}{name}"), s.text()))
}

/// `name` as written after `extends` in the file `from`, as a workspace path; or why it
/// is not one.
///
/// # Errors
/// [`Unresolved::Outside`] for an absolute path or a `..` that climbs above the workspace.
pub fn join(from: &str, name: &str) -> Result<String, Unresolved> {
    let outside = |why: &str| Err(Unresolved::Outside(why.to_owned()));
    if name.starts_with('/') || name.starts_with('\\') || name.contains(':') {
        return outside("这是绝对路径，不在工作文件夹中");
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return outside("「..」跳出了工作文件夹");
                }
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// Resolves `extends` in a workspace through [`Files`].
pub struct Workspace<'f> {
    files: &'f dyn Files,
}

impl<'f> Workspace<'f> {
    /// The workspace whose files `files` reads.
    #[must_use]
    pub fn new(files: &'f dyn Files) -> Self {
        Self { files }
    }
}

impl Resolve for Workspace<'_> {
    fn resolve(&self, name: &str, from: &Source) -> Result<Source, Unresolved> {
        if from.name().starts_with(BUNDLED) || name.starts_with(BUNDLED) {
            return bundled(name).ok_or_else(|| Unresolved::Missing("没有这个内置规则".to_owned()));
        }
        let path = match join(from.name(), name) {
            Ok(p) => p,
            // An absolute-looking name may still be a bundled one (`hubei-2021` is not).
            Err(e) => return bundled(name).ok_or(e),
        };
        match self.files.read(&path)? {
            Some(text) => Ok(Source::new(path, text)),
            None => bundled(name)
                .ok_or_else(|| Unresolved::Missing(format!("既不是内置规则，也没有文件 {path}"))),
        }
    }
}

/// A resolver that keeps every source it gave, so that diagnostics pointing into a base
/// file can be placed in its text.
pub(crate) struct Recording<'r> {
    inner: &'r dyn Resolve,
    pub(crate) seen: std::cell::RefCell<Vec<Source>>,
}

impl<'r> Recording<'r> {
    pub(crate) fn new(inner: &'r dyn Resolve) -> Self {
        Self {
            inner,
            seen: std::cell::RefCell::new(Vec::new()),
        }
    }
}

impl Resolve for Recording<'_> {
    fn resolve(&self, name: &str, from: &Source) -> Result<Source, Unresolved> {
        let source = self.inner.resolve(name, from)?;
        self.seen.borrow_mut().push(source.clone());
        Ok(source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_to_the_extending_file() {
        assert_eq!(
            join("rules/a.rules", "base.rules").unwrap(),
            "rules/base.rules"
        );
        assert_eq!(join("rules/a.rules", "../b.rules").unwrap(), "b.rules");
        assert_eq!(join("a.rules", "./x/./y/../b.rules").unwrap(), "x/b.rules");
        assert!(matches!(
            join("a.rules", "../b.rules"),
            Err(Unresolved::Outside(_))
        ));
        assert!(matches!(
            join("a.rules", "/etc/passwd"),
            Err(Unresolved::Outside(_))
        ));
        assert!(matches!(
            join("a.rules", "C:\\x.rules"),
            Err(Unresolved::Outside(_))
        ));
    }

    struct None_;
    impl Files for None_ {
        fn read(&self, _: &str) -> Result<Option<String>, Unresolved> {
            Ok(None)
        }
    }

    #[test]
    fn a_missing_file_falls_back_to_a_bundled_name() {
        let ws = Workspace::new(&None_);
        let from = Source::new("v.rules", "");
        let s = ws.resolve("hubei-2021", &from).unwrap();
        assert_eq!(s.name(), "bundled:hubei-2021");
        assert!(ws.resolve("nope.rules", &from).is_err());
    }
}
