//! The served folder on disk: listing its rule files and forms (subfolders too), reading
//! a file a request names only when it lies inside the folder, and keeping each form
//! loaded until its file changes.
//!
//! Paths in requests are relative to the folder, with `/`. Refused ([`ApiError`] 403
//! `jixiao::serve::outside`): an absolute path, a drive or scheme (`C:`, `bundled:` where a
//! file is meant), a `..`, and a path whose real location (links followed) is outside the
//! folder. Forms are cached by path with their modification time and size, and read again
//! when either changes.

// The refusals carry their Chinese texts; returned once per request, not in a loop.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::http::StatusCode;

use jixiao::check::Unresolved;
use jixiao::service::scoring::{LoadedForm, form_kind, load};
use jixiao::service::workspace::{BUNDLED, Files};
use jixiao::{Code, Limits};

use super::error::{ApiError, ApiResult};

/// Folders not listed: version control, build output, dependencies.
const SKIPPED_FOLDERS: &[&str] = &["target", "node_modules"];
/// How deep subfolders are listed.
const MAX_DEPTH: usize = 8;
/// How many files a listing looks at, at most (a served home folder must not hang).
const MAX_FILES: usize = 200_000;

/// A file found in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    pub(crate) path: String,
    pub(crate) kind: &'static str,
}

struct Cached {
    modified: Option<SystemTime>,
    len: u64,
    form: Arc<LoadedForm>,
}

/// The served folder.
pub(crate) struct Folder {
    /// Its real path (links followed).
    pub(crate) root: PathBuf,
    limits: Limits,
    forms: Mutex<HashMap<String, Cached>>,
    /// Counts every change seen in the forms (one read again, added or gone), so that a
    /// scoring cached for one state of the forms is not used for another.
    generation: Mutex<(u64, Vec<String>)>,
}

pub(crate) fn outside(path: &str, why: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        Code::ServeOutside,
        format!("拒绝访问 {}：{why}", jixiao::text::escaped(path, false)),
        "工作台只读写启动时指定的文件夹（及其子文件夹）中的文件；路径写成相对于该文件夹的形式，如 rules/a.rules",
    )
}

impl Folder {
    pub(crate) fn new(root: PathBuf, limits: Limits) -> Self {
        Self {
            root,
            limits,
            forms: Mutex::new(HashMap::new()),
            generation: Mutex::new((0, Vec::new())),
        }
    }

    /// `rel` as a path inside the folder, refused when it is not one. The file need not
    /// exist; its folder must (and lie inside).
    pub(crate) fn confine(&self, rel: &str) -> ApiResult<PathBuf> {
        if rel.is_empty() {
            return Err(ApiError::bad_request("请求中的路径为空"));
        }
        if rel.starts_with('/') || rel.starts_with('\\') || rel.contains(':') {
            return Err(outside(rel, "这是绝对路径"));
        }
        if rel.contains('\0') || rel.contains('\\') {
            return Err(outside(rel, "路径中有不允许的字符"));
        }
        let relative = Path::new(rel);
        for part in relative.components() {
            match part {
                Component::Normal(_) => {}
                Component::CurDir => {}
                Component::ParentDir => return Err(outside(rel, "路径中有「..」")),
                Component::RootDir | Component::Prefix(_) => {
                    return Err(outside(rel, "这是绝对路径"));
                }
            }
        }
        let path = self.root.join(relative);
        let real = match path.canonicalize() {
            Ok(real) => real,
            // Not there (yet): its folder must be, inside; the name itself is plain.
            Err(_) => {
                let parent = path.parent().unwrap_or(&self.root);
                let name = path.file_name().ok_or_else(|| outside(rel, "不是文件"))?;
                match parent.canonicalize() {
                    Ok(p) => p.join(name),
                    Err(_) => {
                        return Err(ApiError::not_found(format!(
                            "找不到文件夹 {}",
                            jixiao::text::escaped(rel, false)
                        )));
                    }
                }
            }
        };
        if !real.starts_with(&self.root) {
            return Err(outside(rel, "经符号链接指向工作文件夹之外"));
        }
        Ok(real)
    }

    /// The rule files and forms in the folder and its subfolders, in path order.
    pub(crate) fn list(&self) -> (Vec<String>, Vec<Listed>) {
        let mut rules = Vec::new();
        let mut forms = Vec::new();
        let mut seen = 0;
        self.walk(&self.root, "", 0, &mut seen, &mut |path| {
            if path.ends_with(".rules") {
                rules.push(path);
            } else if let Some(kind) = form_kind(&path) {
                forms.push(Listed { path, kind });
            }
        });
        rules.sort();
        forms.sort_by(|a, b| a.path.cmp(&b.path));
        (rules, forms)
    }

    fn walk(
        &self,
        dir: &Path,
        prefix: &str,
        depth: usize,
        seen: &mut usize,
        found: &mut dyn FnMut(String),
    ) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            *seen += 1;
            if *seen > MAX_FILES {
                return;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            let rel = format!("{prefix}{name}");
            // Links are not followed while listing (no loops, nothing outside); a link
            // named in a request is checked by `confine`.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < MAX_DEPTH && !SKIPPED_FOLDERS.contains(&name.as_str()) {
                    self.walk(&entry.path(), &format!("{rel}/"), depth + 1, seen, found);
                }
            } else if kind.is_file() {
                found(rel);
            }
        }
    }

    /// Reads a file inside the folder within `limit` bytes.
    pub(crate) fn read(&self, rel: &str, limit: Input) -> ApiResult<Vec<u8>> {
        use std::io::Read as _;
        let path = self.confine(rel)?;
        let shown = jixiao::text::escaped(rel, false).into_owned();
        let file = std::fs::File::open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ApiError::not_found(format!("找不到文件 {shown}"))
            } else {
                ApiError::not_found(format!(
                    "无法读取文件 {shown}：{}",
                    crate::cli::io_reason(&e)
                ))
            }
        })?;
        let meta = file
            .metadata()
            .map_err(|e| ApiError::internal(e.to_string()))?;
        if !meta.is_file() {
            return Err(ApiError::not_found(format!("{shown} 不是文件")));
        }
        let check = |len: u64| match limit {
            Input::Rules => self.limits.check_rule_bytes(&shown, len),
            Input::Form => self.limits.check_form_bytes(&shown, len),
        };
        check(meta.len()).map_err(|e| ApiError::too_large(&e))?;
        let mut bytes = Vec::new();
        let cap = match limit {
            Input::Rules => self.limits.rule_bytes,
            Input::Form => self.limits.form_bytes,
        };
        file.take(u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| {
                ApiError::not_found(format!(
                    "无法读取文件 {shown}：{}",
                    crate::cli::io_reason(&e)
                ))
            })?;
        check(bytes.len() as u64).map_err(|e| ApiError::too_large(&e))?;
        Ok(bytes)
    }

    /// A rule file's text (UTF-8, or GBK decoded).
    pub(crate) fn read_rules(&self, rel: &str) -> ApiResult<String> {
        let bytes = self.read(rel, Input::Rules)?;
        jixiao::source::decode(&bytes)
            .map(|(text, _)| text)
            .map_err(|e| {
                ApiError::bad_request(format!(
                    "无法读取 {} 的文字：{}",
                    jixiao::text::escaped(rel, false),
                    e.found
                ))
            })
    }

    /// Every form of the folder, loaded: from the cache when the file's modification time
    /// and size are unchanged, else read and loaded again (those in parallel: the first
    /// request of a large folder loads them all). With the generation of the forms (it
    /// changes when any form does).
    pub(crate) fn forms(&self) -> (Vec<Arc<LoadedForm>>, u64) {
        use jixiao::service::split;
        let (_, listed) = self.list();
        // The listing holds regular files inside the folder only (links are not
        // followed), so they are looked at directly.
        let stats: Vec<(Option<SystemTime>, u64)> = split::each(&listed, |l| {
            std::fs::metadata(self.root.join(&l.path))
                .map_or((None, 0), |m| (m.modified().ok(), m.len()))
        });
        let mut cache = self.forms.lock().unwrap_or_else(PoisonError::into_inner);
        let stale: Vec<usize> = (0..listed.len())
            .filter(|&i| {
                let (modified, len) = stats[i];
                !cache
                    .get(&listed[i].path)
                    .is_some_and(|c| modified.is_some() && c.modified == modified && c.len == len)
            })
            .collect();
        let loaded: Vec<(usize, Arc<LoadedForm>)> = split::each(&stale, |&i| {
            let path = &listed[i].path;
            let form = match self.read(path, Input::Form) {
                Ok(bytes) => load(path, &bytes, &self.limits),
                Err(e) => unreadable(path, e),
            };
            (i, Arc::new(form))
        });
        for (i, form) in loaded {
            let (modified, len) = stats[i];
            cache.insert(
                listed[i].path.clone(),
                Cached {
                    modified,
                    len,
                    form,
                },
            );
        }
        let paths: Vec<String> = listed.into_iter().map(|l| l.path).collect();
        cache.retain(|k, _| paths.binary_search(k).is_ok());
        let out = paths
            .iter()
            .filter_map(|p| cache.get(p).map(|c| Arc::clone(&c.form)))
            .collect();
        let mut generation = self
            .generation
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !stale.is_empty() || generation.1 != paths {
            generation.0 += 1;
            generation.1 = paths;
        }
        (out, generation.0)
    }

    /// One form of the folder, loaded (through the cache).
    pub(crate) fn form(&self, rel: &str) -> ApiResult<Arc<LoadedForm>> {
        self.confine(rel)?;
        let (forms, _) = self.forms();
        forms.into_iter().find(|f| f.path == rel).ok_or_else(|| {
            ApiError::not_found(format!(
                "工作文件夹中没有表单 {}",
                jixiao::text::escaped(rel, false)
            ))
        })
    }
}

/// A form file that could not be read, as a form with its error.
fn unreadable(path: &str, e: ApiError) -> LoadedForm {
    let (code, message) = match e {
        ApiError::Refused { code, message, .. } => (code, message),
        ApiError::Diagnostics(mut d) => {
            return LoadedForm {
                path: path.to_owned(),
                form: Err(d.swap_remove(0)),
                warnings: Vec::new(),
            };
        }
    };
    let code = if code == Code::ServeTooLarge {
        Code::LimitFormBytes
    } else {
        Code::IoRead
    };
    LoadedForm {
        path: path.to_owned(),
        form: Err(jixiao::service::Diagnostic::about_file(
            code, message, None, path,
        )),
        warnings: Vec::new(),
    }
}

/// Which limit a read is under.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Input {
    Rules,
    Form,
}

/// The folder's files as `extends` finds them ([`jixiao::service::workspace::Workspace`]).
impl Files for Folder {
    fn read(&self, path: &str) -> Result<Option<String>, Unresolved> {
        if path.starts_with(BUNDLED) {
            return Ok(None);
        }
        match self.confine(path) {
            Err(ApiError::Refused {
                code: Code::ServeOutside,
                message,
                ..
            }) => {
                return Err(Unresolved::Outside(message));
            }
            Err(_) => return Ok(None),
            Ok(real) if !real.exists() => return Ok(None),
            Ok(_) => {}
        }
        match self.read_rules(path) {
            Ok(text) => Ok(Some(text)),
            Err(ApiError::Refused { message, .. }) => Err(Unresolved::Missing(message)),
            Err(ApiError::Diagnostics(_)) => Err(Unresolved::Missing(String::new())),
        }
    }
}
