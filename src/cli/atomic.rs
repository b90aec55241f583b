//! Writing output files without damaging anything: `fmt` rewriting rule files,
//! `import -o`, `score -o`.
//!
//! Where the output goes is decided first ([`plan`]), following symbolic links:
//! - a regular file, or a name that does not exist yet, is replaced atomically. The new
//!   content goes to a temporary file created (exclusively, `O_EXCL`) beside the target,
//!   so that the rename stays on one file system; it is flushed to disk, takes the old
//!   file's permissions, and is renamed over the target, after checking once more, just
//!   before the rename, that the target is still a regular file or absent. Readers see
//!   the old file or the whole new one; a run that fails or is interrupted leaves the old
//!   file as it was. A target that is a symbolic link is written through: the file it
//!   points to is replaced, the link kept;
//! - anything else that exists (a device such as `/dev/null` or `/dev/full`, a named
//!   pipe, the terminal, `/dev/stdout`: anything reached through `/proc/…/fd`) is written
//!   into directly, never renamed over, and a write error there (`/dev/full` is full, the
//!   pipe's reader has gone) is an error like any other;
//! - a folder, and the kernel's own files under `/proc` and `/sys` (which look like
//!   regular files but cannot be replaced), are refused before anything is written.
//!
//! Temporary files are the `tempfile` crate's (a random name created exclusively, retried
//! when taken, removed when dropped, renamed by `persist`); what jixiao adds is above and
//! below. Their names have a fixed length (`.jixiao-`, 16 random letters and digits,
//! `.tmp`), so they fit wherever the target's name fits. Every temporary file is
//! registered while it has a name: on SIGINT, SIGTERM or SIGHUP ([`clean_up_on_signals`]),
//! and when stdout is closed under us ([`end_as_if_signalled`]), the registered files are
//! removed before the process ends as the signal would have ended it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tempfile::TempPath;

/// A temporary name: `.jixiao-`, this many random letters and digits, `.tmp`.
const RANDOM_CHARS: usize = 16;

/// How many symbolic links to follow before calling it a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// Why an output could not be written.
#[derive(Debug)]
pub(crate) enum WriteFailure {
    /// The target is a folder.
    Folder,
    /// The folder the target would be created in does not exist.
    NoFolder(PathBuf),
    /// Under `/proc` or `/sys`: the kernel's files, which look like regular files but
    /// are not ones a report can be written into.
    System,
    /// Symbolic links that lead back to themselves, or more than [`MAX_LINKS`] of them.
    LinkLoop,
    /// While the new content was written, the target was replaced by something that is
    /// not a regular file (a folder, a link, a device); it was not renamed over.
    Changed,
    /// A system call failed: what was being done, and the system's error.
    Os(Step, io::Error),
}

/// What was being done when a system call failed.
#[derive(Debug)]
pub(crate) enum Step {
    /// Finding out what the target is.
    Inspect,
    /// Creating the temporary file in this folder.
    CreateTemp(PathBuf),
    /// Opening a device or pipe for writing.
    Open,
    /// Writing (or flushing) the content.
    Write,
    /// Renaming the temporary file over the target.
    Replace,
}

impl WriteFailure {
    /// Why, in Chinese, with the system's own words in parentheses where there are some.
    pub(crate) fn reason(&self) -> String {
        match self {
            WriteFailure::Folder => "这是文件夹，不是文件".to_owned(),
            WriteFailure::NoFolder(dir) => format!("文件夹 {} 不存在", dir.display()),
            WriteFailure::System => {
                "这是系统的虚拟文件（/proc、/sys 下），不是普通文件，不能写入".to_owned()
            }
            WriteFailure::LinkLoop => "符号链接形成循环，找不到真正的文件".to_owned(),
            WriteFailure::Changed => {
                "写入期间它被换成了文件夹、设备或符号链接，没有覆盖它".to_owned()
            }
            WriteFailure::Os(step, e) => {
                let what = match step {
                    Step::Inspect => "无法查看它".to_owned(),
                    Step::CreateTemp(dir) => {
                        format!("无法在文件夹 {} 中新建临时文件", dir.display())
                    }
                    Step::Open => "无法打开它写入".to_owned(),
                    Step::Write => "写入失败".to_owned(),
                    Step::Replace => "无法用新内容替换它".to_owned(),
                };
                format!("{what}：{}", super::io_reason(e))
            }
        }
    }
}

/// Where an output goes.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// Replace (or create) the regular file `target` in `dir` through a temporary file.
    Replace { target: PathBuf, dir: PathBuf },
    /// Write into `path` as it is: a device, a pipe, an open file under `/proc/…/fd`.
    Direct(PathBuf),
}

/// Decides where `path`'s content goes, following symbolic links one at a time (so that
/// a link into `/proc/self/fd`, as `/dev/stdout` is, is seen for what it is).
fn plan(path: &Path) -> Result<Plan, WriteFailure> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let Some(name) = current.file_name().map(std::ffi::OsStr::to_os_string) else {
            // `/`, `.`, `..`, `a/..`: a folder.
            return Err(WriteFailure::Folder);
        };
        let dir = folder_of(&current);
        let real_dir = match fs::canonicalize(&dir) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(WriteFailure::NoFolder(dir));
            }
            Err(e) if is_loop(&e) => return Err(WriteFailure::LinkLoop),
            Err(e) => return Err(WriteFailure::Os(Step::Inspect, e)),
        };
        let here = real_dir.join(&name);
        match fs::symlink_metadata(&here) {
            Ok(m) if m.file_type().is_symlink() => {
                if is_system(&real_dir) {
                    // `/proc/self/fd/1` and the like: a link to a file this process has
                    // open, perhaps a pipe with no name. The kernel follows it.
                    return Ok(Plan::Direct(here));
                }
                let to = fs::read_link(&here).map_err(|e| WriteFailure::Os(Step::Inspect, e))?;
                current = real_dir.join(to);
            }
            Ok(m) if m.is_dir() => return Err(WriteFailure::Folder),
            Ok(_) | Err(_) if is_system(&real_dir) => return Err(WriteFailure::System),
            Ok(m) if m.is_file() => {
                return Ok(Plan::Replace {
                    target: here,
                    dir: real_dir,
                });
            }
            Ok(_) => return Ok(Plan::Direct(here)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Plan::Replace {
                    target: here,
                    dir: real_dir,
                });
            }
            Err(e) => return Err(WriteFailure::Os(Step::Inspect, e)),
        }
    }
    Err(WriteFailure::LinkLoop)
}

/// The folder a regular-file output `path` is written in, for other temporary files that
/// belong beside it; `None` when `path` is not (to be) a regular file.
pub(crate) fn folder_for_temporaries(path: &Path) -> Option<PathBuf> {
    match plan(path) {
        Ok(Plan::Replace { dir, .. }) => Some(dir),
        _ => None,
    }
}

/// What makes a file itself, whatever its name: two paths with the same id are one file
/// (through symbolic and hard links).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

/// The file `path` names (its device and inode on Unix, its canonical path elsewhere);
/// `None` when there is none.
pub(crate) fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        fs::metadata(path).ok().map(|m| FileId((m.dev(), m.ino())))
    }
    #[cfg(not(unix))]
    {
        fs::canonicalize(path).ok().map(FileId)
    }
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// ELOOP: too many symbolic links.
fn is_loop(e: &io::Error) -> bool {
    cfg!(target_os = "linux") && e.raw_os_error() == Some(40)
}

/// A folder of the kernel's virtual file systems, whose files cannot be replaced.
fn is_system(dir: &Path) -> bool {
    cfg!(target_os = "linux") && (dir.starts_with("/proc") || dir.starts_with("/sys"))
}

/// Replaces `path`'s content with `bytes`, or creates it (see the module's comment).
///
/// # Errors
/// Why it could not be written; a regular file is then unchanged and no temporary file
/// is left.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteFailure> {
    let mut out = AtomicFile::create(path)?;
    out.write_all(bytes)
        .map_err(|e| WriteFailure::Os(Step::Write, e))?;
    out.commit()
}

/// A file written piece by piece and put in place at the end, as [`write_atomic`] puts
/// its bytes, for output too large to hold in memory (`score` of a large batch). Until
/// [`AtomicFile::commit`] a regular target is untouched; dropped without a commit (an
/// error on the way), the temporary file is removed.
pub(crate) struct AtomicFile {
    // Declared first, so dropped first: a file is closed before its name is removed.
    file: Option<io::BufWriter<File>>,
    kind: Kind,
}

enum Kind {
    Replace {
        target: PathBuf,
        dir: PathBuf,
        tmp: Temporary,
    },
    Direct,
}

impl AtomicFile {
    /// Starts writing `path`.
    ///
    /// # Errors
    /// The target cannot be written (see [`WriteFailure`]).
    pub(crate) fn create(path: &Path) -> Result<Self, WriteFailure> {
        let (kind, file) = match plan(path)? {
            Plan::Replace { target, dir } => {
                let (file, tmp) = Temporary::create(&dir)?;
                (Kind::Replace { target, dir, tmp }, file)
            }
            Plan::Direct(p) => {
                // Appending: the same as writing into a device or a pipe, and into a file
                // the shell opened for us (`-o /dev/stdout >> log`) it adds, never
                // overwrites.
                let file = OpenOptions::new()
                    .append(true)
                    .open(&p)
                    .map_err(|e| WriteFailure::Os(Step::Open, e))?;
                (Kind::Direct, file)
            }
        };
        Ok(Self {
            file: Some(io::BufWriter::with_capacity(1 << 16, file)),
            kind,
        })
    }

    /// Flushes what was written and, for a regular file, renames it over the target.
    ///
    /// # Errors
    /// Why it could not be written; a regular target is then unchanged and the temporary
    /// file removed.
    pub(crate) fn commit(self) -> Result<(), WriteFailure> {
        let AtomicFile { file, kind } = self;
        let Some(writer) = file else {
            return Ok(());
        };
        let file = writer
            .into_inner()
            .map_err(|e| WriteFailure::Os(Step::Write, e.into_error()));
        let Kind::Replace { target, dir, tmp } = kind else {
            return file.map(drop);
        };
        // On an error the temporary file is removed as `tmp` is dropped.
        let file = file?;
        file.sync_all()
            .map_err(|e| WriteFailure::Os(Step::Write, e))?;
        drop(file);
        keep_permissions(&target, tmp.path()).map_err(|e| WriteFailure::Os(Step::Write, e))?;
        tmp.persist(&target)?;
        // Make the rename itself durable where the platform allows it; a failure here
        // cannot undo the write, so it is not reported.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("已提交")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.write_all(buf),
            None => Err(io::Error::other("已提交")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// The name of a temporary file of this run, registered for removal on a signal while it
/// exists, and removed (and taken off the register) when dropped.
pub(crate) struct Temporary {
    path: Option<TempPath>,
}

impl Temporary {
    /// Creates `.jixiao-XXXXXXXXXXXXXXXX.tmp` in `dir`, exclusively (a name already taken,
    /// by anything, is skipped): the open file, and its name.
    ///
    /// The file is opened as `File::create_new` opens it, so that a new report gets the
    /// permissions any new file of the user gets (tempfile's own default is owner-only),
    /// and an error keeps the system's error number, which [`super::io_reason`] words in
    /// Chinese (tempfile's own wraps it with the temporary name).
    ///
    /// # Errors
    /// The folder is missing or not writable.
    pub(crate) fn create(dir: &Path) -> Result<(File, Self), WriteFailure> {
        // Created and registered under the register's lock, so that a signal arriving
        // now finds it registered or not yet created.
        let mut registered = registry();
        let made = tempfile::Builder::new()
            .prefix(".jixiao-")
            .suffix(".tmp")
            .rand_bytes(RANDOM_CHARS)
            .make_in(dir, |p| File::create_new(p));
        match made {
            Ok(named) => {
                let (file, path) = named.into_parts();
                registered.push(path.to_path_buf());
                Ok((file, Self { path: Some(path) }))
            }
            Err(e) => {
                drop(registered);
                let missing = e.kind() == io::ErrorKind::NotFound && fs::metadata(dir).is_err();
                Err(if missing {
                    WriteFailure::NoFolder(dir.to_path_buf())
                } else {
                    WriteFailure::Os(Step::CreateTemp(dir.to_path_buf()), e)
                })
            }
        }
    }

    /// A new temporary file in `dir` whose name is gone where the system allows it: on
    /// Unix the name is removed at once, and the system frees the file when it is closed,
    /// however the process ends. Elsewhere the name stays, registered, until the returned
    /// `Temporary` is dropped (after the file: it must be closed first).
    ///
    /// # Errors
    /// As [`Temporary::create`].
    pub(crate) fn anonymous(dir: &Path) -> Result<(File, Option<Self>), WriteFailure> {
        let (file, name) = Self::create(dir)?;
        if cfg!(unix) {
            drop(name);
            Ok((file, None))
        } else {
            Ok((file, Some(name)))
        }
    }

    fn path(&self) -> &Path {
        self.path
            .as_deref()
            .unwrap_or_else(|| unreachable!("a name until persisted or dropped"))
    }

    /// Renames the file over `target`, after checking, just before, that `target` is
    /// still a regular file or absent (anything else is not renamed over); the file is
    /// removed when it cannot be renamed.
    fn persist(mut self, target: &Path) -> Result<(), WriteFailure> {
        let Some(path) = self.path.take() else {
            unreachable!("persisted once")
        };
        let name = path.to_path_buf();
        // Under the register's lock: a signal now finds the file registered, or renamed.
        let mut registered = registry();
        let result = match fs::symlink_metadata(target) {
            Ok(m) if m.is_file() => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Ok(_) => Err(WriteFailure::Changed),
            Err(e) => Err(WriteFailure::Os(Step::Inspect, e)),
        }
        .and_then(|()| {
            // A failed rename hands the name back; dropping it removes the file.
            path.persist(target)
                .map_err(|e| WriteFailure::Os(Step::Replace, e.error))
        });
        registered.retain(|p| *p != name);
        result
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let name = path.to_path_buf();
            let mut registered = registry();
            drop(path);
            registered.retain(|p| *p != name);
        }
    }
}

/// Gives `tmp` the permissions of the file it replaces, if there is one.
fn keep_permissions(target: &Path, tmp: &Path) -> io::Result<()> {
    match fs::metadata(target) {
        Ok(m) if m.is_file() => fs::set_permissions(tmp, m.permissions()),
        _ => Ok(()),
    }
}

/// The temporary files that exist now.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes every temporary file, and returns holding the register, so that no other
/// thread creates or renames one before the process ends.
fn remove_all_temporaries() -> MutexGuard<'static, Vec<PathBuf>> {
    let mut registered = registry();
    for p in registered.drain(..) {
        let _ = fs::remove_file(p);
    }
    registered
}

/// From now on, SIGINT (Ctrl-C), SIGTERM and SIGHUP first remove this run's temporary
/// files, then end the process as the signal would have (status 128 + the signal's number
/// in a shell). Without this, an interrupted batch left its half-written report behind.
pub(crate) fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    end_by(signal);
                }
            });
    }
}

/// Ends the process as if stdout's reader closing the pipe had killed it with SIGPIPE, as
/// it does other Unix tools (status 141 in a shell, and no message: the reader, `head`
/// say, has all it wanted), after removing this run's temporary files.
pub(crate) fn end_as_if_signalled() -> ! {
    #[cfg(unix)]
    {
        end_by(signal_hook::consts::SIGPIPE)
    }
    #[cfg(not(unix))]
    {
        let _guard = remove_all_temporaries();
        std::process::exit(1)
    }
}

#[cfg(unix)]
fn end_by(signal: i32) -> ! {
    let guard = remove_all_temporaries();
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    drop(guard);
    std::process::exit(128 + signal)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh empty folder, removed when dropped.
    fn scratch() -> tempfile::TempDir {
        tempfile::tempdir().expect("scratch folder")
    }

    /// Every name in `dir`, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("listable")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_content_and_leaves_no_temporary_file() {
        let scratch = scratch();
        let dir = scratch.path();
        let path = dir.join("报告.html");
        fs::write(&path, "旧").expect("old file");
        write_atomic(&path, "新".as_bytes()).expect("written");
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("新"));
        assert_eq!(listing(dir), ["报告.html"]);
    }

    #[test]
    fn a_folder_is_refused_before_anything_is_written() {
        let scratch = scratch();
        let dir = scratch.path();
        let target = dir.join("out.toml");
        fs::create_dir_all(target.join("inside")).expect("folder");
        assert!(matches!(
            write_atomic(&target, b"x"),
            Err(WriteFailure::Folder)
        ));
        assert!(target.join("inside").is_dir());
        assert_eq!(listing(dir), ["out.toml"]);
    }

    #[test]
    fn a_file_written_in_pieces_appears_only_when_committed() {
        let scratch = scratch();
        let dir = scratch.path();
        let path = dir.join("报告.md");
        fs::write(&path, "旧").expect("old file");
        let mut f = AtomicFile::create(&path).expect("created");
        f.write_all("新".as_bytes()).expect("written");
        f.write_all(b"!").expect("written");
        f.flush().expect("flushed");
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("旧"));
        assert_eq!(listing(dir).len(), 2, "the temporary file, beside");
        f.commit().expect("committed");
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("新!"));
        assert_eq!(listing(dir), ["报告.md"]);
        // Dropped without a commit: the old file stays, no temporary file is left.
        let mut f = AtomicFile::create(&path).expect("created");
        f.write_all(b"half").expect("written");
        drop(f);
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("新!"));
        assert_eq!(listing(dir), ["报告.md"]);
    }

    #[test]
    fn temporary_names_are_short_and_different() {
        let scratch = scratch();
        let dir = scratch.path();
        let (_, a) = Temporary::create(dir).expect("created");
        let (_, b) = Temporary::create(dir).expect("created");
        let name = |t: &Temporary| {
            t.path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let (a_name, b_name) = (name(&a), name(&b));
        assert_ne!(a_name, b_name);
        assert_eq!(a_name.len(), ".jixiao-".len() + 16 + ".tmp".len());
        assert!(
            a_name.starts_with(".jixiao-") && a_name.ends_with(".tmp"),
            "{a_name}"
        );
        assert_eq!(registry().iter().filter(|p| p.starts_with(dir)).count(), 2);
        // Dropped: removed, and off the register.
        drop((a, b));
        assert_eq!(listing(dir), Vec::<String>::new());
        assert!(!registry().iter().any(|p| p.starts_with(dir)));
    }

    #[test]
    fn a_target_that_became_something_else_is_not_renamed_over() {
        // The race the check before the rename guards against: the target is replaced
        // by a folder while the new content is being written.
        let scratch = scratch();
        let dir = scratch.path();
        let path = dir.join("r.csv");
        fs::write(&path, "旧").expect("old file");
        let mut f = AtomicFile::create(&path).expect("created");
        f.write_all(b"new").expect("written");
        fs::remove_file(&path).expect("removed");
        fs::create_dir(&path).expect("a folder in its place");
        assert!(matches!(f.commit(), Err(WriteFailure::Changed)));
        assert!(path.is_dir());
        assert_eq!(listing(dir), ["r.csv"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_written_through() {
        let scratch = scratch();
        let dir = scratch.path();
        let real = dir.join("real.rules");
        let link = dir.join("link.rules");
        fs::write(&real, "旧").expect("old file");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        write_atomic(&link, "新".as_bytes()).expect("written");
        assert!(
            fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()),
            "the link is kept"
        );
        assert_eq!(fs::read_to_string(&real).ok().as_deref(), Some("新"));
        // A relative link to a file that does not exist yet creates that file.
        std::os::unix::fs::symlink("new.rules", dir.join("to-new.rules")).expect("link");
        write_atomic(&dir.join("to-new.rules"), b"x").expect("written");
        assert_eq!(
            fs::read_to_string(dir.join("new.rules")).ok().as_deref(),
            Some("x")
        );
        assert!(
            fs::symlink_metadata(dir.join("to-new.rules"))
                .is_ok_and(|m| m.file_type().is_symlink())
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn plans_follow_links_to_devices_and_open_files() {
        assert_eq!(
            plan(Path::new("/dev/null")).ok(),
            Some(Plan::Direct(PathBuf::from("/dev/null")))
        );
        // /dev/stdout → /proc/self/fd/1: written into, whatever it is.
        assert!(
            matches!(plan(Path::new("/dev/stdout")), Ok(Plan::Direct(p)) if p.starts_with("/proc"))
        );
        assert!(matches!(
            plan(Path::new("/proc/version")),
            Err(WriteFailure::System)
        ));
        assert!(matches!(plan(Path::new("/")), Err(WriteFailure::Folder)));
    }

    #[cfg(unix)]
    #[test]
    fn the_old_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt as _;
        let scratch = scratch();
        let dir = scratch.path();
        let path = dir.join("a.rules");
        fs::write(&path, "旧").expect("old file");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, b"new").expect("written");
        let mode = fs::metadata(&path)
            .map(|m| m.permissions().mode() & 0o777)
            .ok();
        assert_eq!(mode, Some(0o640));
    }
}
