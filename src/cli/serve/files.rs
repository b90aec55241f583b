//! The served folder on disk: listing its rule files and forms (subfolders too), reading
//! a file a request names only when it lies inside the folder, and keeping each form
//! loaded until its file changes.
//!
//! Paths in requests are relative to the folder, with `/`. Refused ([`ApiError`] 403
//! `jixiao::serve::outside`): an absolute path, a drive or scheme (`C:`, `bundled:` where a
//! file is meant), a `..`, and a path whose real location (links followed) is outside the
//! folder. Forms are cached by path with their modification time and size, and read again
//! when either changes.
//!
//! Reading 10,000 forms takes seconds, so a read shows what it has as it goes: it loads
//! the forms in listing order, a batch at a time, and after each batch the forms up to the
//! first still unread are there for [`Folder::so_far`], which answers at once (the forms
//! table fills while the folder is read). [`Folder::forms`] waits for every form.
//!
//! A hook for tests only, so that they can see a read under way whatever the machine's
//! speed: with [`Folder::hold_after`] (`JIXIAO_SERVE_TEST_HOLD=N` in the environment of
//! `jixiao serve`) a read stops after loading N forms until a file [`RESUME`] exists in the
//! folder. Without it, nothing waits.

// The refusals carry their Chinese texts; returned once per request, not in a loop.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::http::StatusCode;

use jixiao::check::Unresolved;
use jixiao::import::Weights;
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
/// How many forms a read loads before showing them: few at first, so that the table's first
/// rows come at once and its first page (300 rows, `ROWS_SHOWN` in web/common.js) after two
/// batches, then twice as many each time up to [`LARGEST_BATCH`] (each batch split across
/// cores).
const FIRST_BATCH: usize = 150;
const LARGEST_BATCH: usize = 1024;
/// The file that lets a read held by [`Folder::hold_after`] go on (tests only).
pub(crate) const RESUME: &str = ".jixiao-test-resume";

/// A file found in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    pub(crate) path: String,
    pub(crate) kind: &'static str,
}

/// A file's modification time (when the system gives one) and size.
type Stat = (Option<SystemTime>, u64);

struct Cached {
    modified: Option<SystemTime>,
    len: u64,
    form: Arc<LoadedForm>,
}

impl Cached {
    /// Whether it is the file as it is now (a file without a modification time never is).
    fn fresh(&self, (modified, len): Stat) -> bool {
        modified.is_some() && self.modified == modified && self.len == len
    }
}

/// The served folder.
pub(crate) struct Folder {
    /// Its real path (links followed).
    pub(crate) root: PathBuf,
    limits: Limits,
    /// Where a converted form's weights come from (`jixiao serve --weights`), for the
    /// folder's forms and, by default, for an upload.
    pub(crate) weights: Weights,
    /// One read of the forms at a time: a second waits for the first, then finds the
    /// forms fresh.
    one_read: Mutex<()>,
    forms: Mutex<HashMap<String, Cached>>,
    progress: Mutex<Progress>,
    /// Tests only: after how many forms a read waits for [`RESUME`].
    hold: Option<usize>,
}

/// The forms as far as the reads have got.
#[derive(Default)]
struct Progress {
    /// The forms in listing order: every one after a read; during one, those up to the
    /// first still to be read (a read loads them in listing order).
    forms: Vec<Arc<LoadedForm>>,
    /// How many forms the folder lists, as the read under way or the last one found.
    total: usize,
    /// A read is under way (or about to start: [`Folder::will_read`]), `forms` its first.
    reading: bool,
    /// Counts every change seen in the forms (one read again, added or gone), so that a
    /// scoring cached for one state of the forms is not used for another. A read that
    /// changes anything takes the next number as it starts, so that the first forms of a
    /// read under way are the first of the forms it ends with.
    generation: u64,
    /// The forms' paths at the last read.
    paths: Vec<String>,
}

/// What [`Folder::so_far`] found: the forms in listing order, all of them or the first.
pub(crate) struct SoFar {
    pub(crate) forms: Vec<Arc<LoadedForm>>,
    /// How many forms the folder lists (more than `forms` while a read is under way).
    pub(crate) total: usize,
    /// A read is under way: `forms` are only the first of them.
    pub(crate) partial: bool,
    pub(crate) generation: u64,
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
    pub(crate) fn new(root: PathBuf, limits: Limits, weights: Weights) -> Self {
        Self {
            root,
            limits,
            weights,
            one_read: Mutex::new(()),
            forms: Mutex::new(HashMap::new()),
            progress: Mutex::new(Progress::default()),
            hold: None,
        }
    }

    /// For tests only: every read stops after loading `n` forms (those then shown by
    /// [`Folder::so_far`]) until a file named [`RESUME`] exists in the folder.
    pub(crate) fn hold_after(mut self, n: usize) -> Self {
        self.hold = Some(n);
        self
    }

    /// Says that a read is about to start on another thread (the server's first), so that
    /// [`Folder::so_far`] answers with what it has read rather than reading itself.
    pub(crate) fn will_read(&self) {
        self.progress().reading = true;
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
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
    /// and size are unchanged, else read and loaded again (those in parallel, in listing
    /// order, a batch at a time: the first request of a large folder loads them all). With
    /// the generation of the forms (it changes when any form does).
    pub(crate) fn forms(&self) -> (Vec<Arc<LoadedForm>>, u64) {
        use jixiao::service::split;
        let _one = self.one_read.lock().unwrap_or_else(PoisonError::into_inner);
        // However the read ends (a panic too), none is under way after it.
        let _ended = Ended(self);
        let (_, listed) = self.list();
        // The listing holds regular files inside the folder only (links are not
        // followed), so they are looked at directly.
        let stats: Vec<Stat> = split::each(&listed, |l| {
            std::fs::metadata(self.root.join(&l.path))
                .map_or((None, 0), |m| (m.modified().ok(), m.len()))
        });
        let paths: Vec<String> = listed.into_iter().map(|l| l.path).collect();
        let stale: Vec<usize> = {
            let cache = self.cache();
            (0..paths.len())
                .filter(|&i| !cache.get(&paths[i]).is_some_and(|c| c.fresh(stats[i])))
                .collect()
        };
        {
            let first = stale
                .first()
                .map_or(Vec::new(), |&i| self.cached(&paths[..i]));
            let mut progress = self.progress();
            if !stale.is_empty() || progress.paths != paths {
                progress.generation += 1;
            }
            if !stale.is_empty() {
                progress.reading = true;
                progress.total = paths.len();
                progress.forms = first;
            }
        }
        let mut done = 0;
        while done < stale.len() {
            let mut size = done.clamp(FIRST_BATCH, LARGEST_BATCH);
            if let Some(hold) = self.hold.filter(|&h| h > done) {
                size = size.min(hold - done);
            }
            let batch = &stale[done..(done + size).min(stale.len())];
            match reads() {
                Some(pool) => pool.install(|| self.load_batch(batch, &paths, &stats)),
                None => self.load_batch(batch, &paths, &stats),
            }
            done += batch.len();
            // Every form up to the next one to read is now there, in listing order.
            let upto = stale.get(done).copied().unwrap_or(paths.len());
            let shown = self.progress().forms.len().min(upto);
            let more = self.cached(&paths[shown..upto]);
            self.progress().forms.extend(more);
            if self.hold == Some(done) {
                self.wait_for_resume();
            }
        }
        self.cache().retain(|k, _| paths.binary_search(k).is_ok());
        let out = self.cached(&paths);
        let mut progress = self.progress();
        progress.forms.clone_from(&out);
        progress.total = out.len();
        progress.reading = false;
        progress.paths = paths;
        (out, progress.generation)
    }

    /// Reads and loads the forms `batch` (indices into `paths` and `stats`) in parallel
    /// into the cache.
    fn load_batch(&self, batch: &[usize], paths: &[String], stats: &[Stat]) {
        let loaded: Vec<(usize, Arc<LoadedForm>)> = jixiao::service::split::each(batch, |&i| {
            let path = &paths[i];
            let form = match self.read(path, Input::Form) {
                Ok(bytes) => load(path, &bytes, self.weights, &self.limits),
                Err(e) => unreadable(path, e),
            };
            (i, Arc::new(form))
        });
        let mut cache = self.cache();
        for (i, form) in loaded {
            let (modified, len) = stats[i];
            cache.insert(
                paths[i].clone(),
                Cached {
                    modified,
                    len,
                    form,
                },
            );
        }
    }

    /// The forms as far as the read under way has got, at once; with `wait`, or when no
    /// read is under way, every form ([`Folder::forms`]: quick when none changed).
    pub(crate) fn so_far(&self, wait: bool) -> SoFar {
        if !wait {
            let progress = self.progress();
            if progress.reading {
                return SoFar {
                    forms: progress.forms.clone(),
                    total: progress.total,
                    partial: true,
                    generation: progress.generation,
                };
            }
        }
        let (forms, generation) = self.forms();
        SoFar {
            total: forms.len(),
            forms,
            partial: false,
            generation,
        }
    }

    /// One form of the folder, loaded (through the cache): while a read is under way, as
    /// it read it if it has, else after it.
    pub(crate) fn form(&self, rel: &str) -> ApiResult<Arc<LoadedForm>> {
        self.confine(rel)?;
        let read = {
            let progress = self.progress();
            progress
                .reading
                .then(|| progress.forms.iter().find(|f| f.path == rel).cloned())
                .flatten()
        };
        read.or_else(|| self.forms().0.into_iter().find(|f| f.path == rel))
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "工作文件夹中没有表单 {}",
                    jixiao::text::escaped(rel, false)
                ))
            })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        self.forms.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached forms of `paths`, in their order.
    fn cached(&self, paths: &[String]) -> Vec<Arc<LoadedForm>> {
        let cache = self.cache();
        paths
            .iter()
            .filter_map(|p| cache.get(p).map(|c| Arc::clone(&c.form)))
            .collect()
    }

    /// Tests only ([`Folder::hold_after`]): waits until the file [`RESUME`] exists.
    fn wait_for_resume(&self) {
        while !self.root.join(RESUME).exists() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// The threads reads load forms on, apart from those that score for requests, so that
/// scoring the first rows while the folder is read takes a share of the cores at once
/// rather than waiting behind the read's batch. `None` when they cannot be started (the
/// read then runs on the shared threads).
fn reads() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("jixiao-read-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Ends a read: whatever happened in it, none is under way after it.
struct Ended<'a>(&'a Folder);

impl Drop for Ended<'_> {
    fn drop(&mut self) {
        self.0.progress().reading = false;
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
