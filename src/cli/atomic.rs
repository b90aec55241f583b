//! Writing output files atomically: `fmt` rewriting rule files, `import -o`, `score -o`.
//!
//! The new content goes to a temporary file created beside the target (same folder, so
//! the rename stays on one file system), is flushed to disk, takes the old file's
//! permissions, and is renamed over the target. Readers see the old file or the whole new
//! one; a run that fails or is interrupted before the rename leaves the old file as it was
//! (and removes its temporary file when it fails rather than dies). A target that is a
//! symbolic link is written through: the file it points to is replaced, the link kept.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// How many temporary names to try before giving up (each taken one is skipped).
const ATTEMPTS: u32 = 100;

/// Replaces `path`'s content with `bytes`, or creates it.
///
/// # Errors
/// Any I/O error: the folder missing or not writable, the disk full, the target a
/// folder. The target is then unchanged and no temporary file is left.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve_link(path);
    let Some(name) = target.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "输出路径不是文件名",
        ));
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (tmp, mut file) = create_temp(&dir, &name.to_string_lossy())?;
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| keep_permissions(&target, &tmp))
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, &target)
        });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    // Make the rename itself durable where the platform allows it; a failure here cannot
    // undo the write, so it is not reported.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A file written piece by piece and put in place at the end, as [`write_atomic`] puts
/// its bytes (same temporary name, permissions and link handling), for output too large
/// to hold in memory (`score` of a large batch). Until [`AtomicFile::commit`] the target
/// is untouched; dropped without a commit (an error on the way), the temporary file is
/// removed.
pub(crate) struct AtomicFile {
    target: PathBuf,
    dir: PathBuf,
    tmp: PathBuf,
    file: Option<io::BufWriter<File>>,
}

impl AtomicFile {
    /// Starts replacing `path`.
    ///
    /// # Errors
    /// The temporary file cannot be created (the folder missing or not writable).
    pub(crate) fn create(path: &Path) -> io::Result<Self> {
        let target = resolve_link(path);
        let Some(name) = target.file_name() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "输出路径不是文件名",
            ));
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (tmp, file) = create_temp(&dir, &name.to_string_lossy())?;
        Ok(Self {
            target,
            dir,
            tmp,
            file: Some(io::BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// Flushes what was written to disk and renames it over the target.
    ///
    /// # Errors
    /// Any I/O error; the target is then unchanged and the temporary file removed.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        let Some(writer) = self.file.take() else {
            return Err(io::Error::other("已提交"));
        };
        let result = writer
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .and_then(|file| file.sync_all().map(|()| file))
            .and_then(|file| {
                keep_permissions(&self.target, &self.tmp)?;
                drop(file);
                fs::rename(&self.tmp, &self.target)
            });
        if result.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        result?;
        if let Ok(d) = File::open(&self.dir) {
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

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            drop(f);
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// The file a symbolic link points to (following a chain of links), so that writing
/// replaces that file rather than the link; `path` itself when it is not a link or its
/// target cannot be found.
fn resolve_link(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        if let Ok(real) = fs::canonicalize(path) {
            return real;
        }
    }
    path.to_path_buf()
}

/// A new, empty temporary file in `dir`: `.NAME.PID-N.jixiao.tmp`, the first N not taken.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..ATTEMPTS {
        let tmp = dir.join(format!(".{name}.{pid}-{n}.jixiao.tmp"));
        match File::create_new(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("无法创建临时文件")))
}

/// Gives `tmp` the permissions of the file it replaces, if there is one.
fn keep_permissions(target: &Path, tmp: &Path) -> io::Result<()> {
    match fs::metadata(target) {
        Ok(m) if m.is_file() => fs::set_permissions(tmp, m.permissions()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("jixiao-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .expect("listable")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".jixiao.tmp"))
            .collect()
    }

    #[test]
    fn replaces_the_content_and_leaves_no_temporary_file() {
        let dir = scratch("replace");
        let path = dir.join("报告.html");
        fs::write(&path, "旧").expect("old file");
        write_atomic(&path, "新".as_bytes()).expect("written");
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("新"));
        assert!(leftovers(&dir).is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_rename_leaves_the_target_and_no_temporary_file() {
        // The target is a non-empty folder: the rename fails after the temporary file
        // was written.
        let dir = scratch("fail");
        let target = dir.join("out.toml");
        fs::create_dir_all(target.join("inside")).expect("folder");
        assert!(write_atomic(&target, b"x").is_err());
        assert!(target.join("inside").is_dir());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_written_in_pieces_appears_only_when_committed() {
        let dir = scratch("pieces");
        let path = dir.join("报告.md");
        fs::write(&path, "旧").expect("old file");
        let mut f = AtomicFile::create(&path).expect("created");
        f.write_all("新".as_bytes()).expect("written");
        f.write_all(b"!").expect("written");
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("旧"));
        f.commit().expect("committed");
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("新!"));
        assert!(leftovers(&dir).is_empty());
        // Dropped without a commit: the old file stays, no temporary file is left.
        let mut f = AtomicFile::create(&path).expect("created");
        f.write_all(b"half").expect("written");
        drop(f);
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("新!"));
        assert!(leftovers(&dir).is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_written_through() {
        let dir = scratch("link");
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
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn the_old_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = scratch("mode");
        let path = dir.join("a.rules");
        fs::write(&path, "旧").expect("old file");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, b"new").expect("written");
        let mode = fs::metadata(&path)
            .map(|m| m.permissions().mode() & 0o777)
            .ok();
        assert_eq!(mode, Some(0o640));
        let _ = fs::remove_dir_all(&dir);
    }
}
