//! Finding the rule sets a file `extends`: the [`Resolve`] trait the caller implements
//! (the CLI looks in bundled sets and on disk, tests in memory), [`Bundled`] for bundled
//! names only, and why a name gives no source ([`Unresolved`]). The library itself reads
//! no files.

use std::fmt;

use crate::source::Source;

/// Finds the rule sets that files `extends`: the CLI looks in bundled sets and on disk,
/// tests in memory. The library itself reads no files.
pub trait Resolve {
    /// The source that `name` (as written after `extends`) denotes, seen from `from`; or
    /// why there is none.
    ///
    /// # Errors
    /// [`Unresolved`]: no such rule set, or a path that leads where it may not.
    fn resolve(&self, name: &str, from: &Source) -> Result<Source, Unresolved>;
}

/// Why a name after `extends` (or after a test's `form`) gives no source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// Neither a bundled rule set nor a file that could be read: why, in words.
    Missing(String),
    /// A path that leads outside the folder of the file naming it (an absolute path, a
    /// `..` that climbs out, a symbolic link pointing out): refused before anything there
    /// is read, so that no diagnostic shows what it holds. Why, in words.
    Outside(String),
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unresolved::Missing(why) | Unresolved::Outside(why) => f.write_str(why),
        }
    }
}

impl From<String> for Unresolved {
    fn from(why: String) -> Self {
        Unresolved::Missing(why)
    }
}

/// Resolves bundled rule set names only.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bundled;

impl Resolve for Bundled {
    fn resolve(&self, name: &str, _from: &Source) -> Result<Source, Unresolved> {
        crate::bundled(name).ok_or_else(|| Unresolved::Missing("没有这个内置规则".to_owned()))
    }
}

/// How many files one rule set may chain through `extends`.
pub const MAX_EXTENDS: usize = 16;
