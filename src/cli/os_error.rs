//! The operating system's reasons, in Chinese: why a file could not be read or written.
//!
//! Input: an `io::Error`. Output: one line for a diagnostic, `不是文件夹：路径中有一段是文件
//! （Not a directory (os error 20)）` — the reason in Chinese, the system's own words kept
//! in parentheses (they are what a search engine or an administrator knows). Every
//! diagnostic about a file, read or written, words its reason here.

use std::io::{Error, ErrorKind};

/// Why a file could not be read or written: the reason in Chinese, then the system's
/// words in parentheses. An error jixiao made itself (already in Chinese, no OS error
/// number) is shown as it is.
pub(crate) fn io_reason(e: &Error) -> String {
    match chinese(e) {
        Some(zh) => format!("{zh}（{e}）"),
        None => e.to_string(),
    }
}

/// The Chinese for an OS error, by its number where the standard library has no kind for
/// it, else by its kind; `None` for an error jixiao made (it has no number and carries its
/// own words).
fn chinese(e: &Error) -> Option<&'static str> {
    if let Some(zh) = e.raw_os_error().and_then(by_errno) {
        return Some(zh);
    }
    if e.raw_os_error().is_none() && e.get_ref().is_some() {
        return None;
    }
    Some(match e.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在",
        ErrorKind::PermissionDenied => "没有访问权限",
        ErrorKind::IsADirectory => "这是文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一段是文件，不是文件夹",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::DirectoryNotEmpty => "文件夹不为空",
        ErrorKind::InvalidFilename => "文件名无效或过长",
        ErrorKind::StorageFull => "磁盘空间已满",
        ErrorKind::ReadOnlyFilesystem => "所在磁盘只读，不能写入",
        ErrorKind::FileTooLarge => "文件超过磁盘允许的大小",
        ErrorKind::ResourceBusy => "文件或设备正被占用",
        ErrorKind::ExecutableFileBusy => "文件正在运行，不能写入",
        ErrorKind::CrossesDevices => "不能跨磁盘移动文件",
        ErrorKind::TooManyLinks => "硬链接过多",
        ErrorKind::NotSeekable => "这不是普通文件，不能定位读写",
        ErrorKind::BrokenPipe => "管道另一端已关闭",
        ErrorKind::Interrupted => "操作被中断",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::UnexpectedEof => "文件意外结束",
        ErrorKind::WriteZero => "无法再写入",
        ErrorKind::InvalidData => "数据无效",
        ErrorKind::InvalidInput => "参数无效",
        ErrorKind::WouldBlock => "暂时无法读写，请稍后重试",
        ErrorKind::TimedOut => "操作超时",
        ErrorKind::Unsupported => "系统不支持这项操作",
        _ => "系统错误",
    })
}

/// Reasons the standard library gives no stable kind for (or one too broad to say what
/// happened), by their Linux and BSD/macOS numbers.
fn by_errno(errno: i32) -> Option<&'static str> {
    const EIO: i32 = 5;
    const ENXIO: i32 = 6;
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62;
    #[cfg(target_os = "linux")]
    const ENAMETOOLONG: i32 = 36;
    #[cfg(not(target_os = "linux"))]
    const ENAMETOOLONG: i32 = 63;
    #[cfg(target_os = "linux")]
    const EDQUOT: i32 = 122;
    #[cfg(not(target_os = "linux"))]
    const EDQUOT: i32 = 69;
    if !cfg!(unix) {
        return None;
    }
    Some(match errno {
        ELOOP => "符号链接过多或形成循环，找不到真正的文件",
        ENAMETOOLONG => "文件名过长",
        EDQUOT => "超出磁盘配额",
        EIO => "读写出错（磁盘或设备故障）",
        ENXIO => "设备不存在或未就绪",
        ENFILE | EMFILE => "同时打开的文件过多",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn os_errors_are_said_in_chinese_with_the_system_words_kept() {
        // The numbers are Linux's: ENOTDIR 20, ENOENT 2, EACCES 13, EISDIR 21,
        // ENAMETOOLONG 36, ELOOP 40, ENOSPC 28.
        let os = Error::from_raw_os_error;
        assert_eq!(
            io_reason(&os(20)),
            "路径中有一段是文件，不是文件夹（Not a directory (os error 20)）"
        );
        assert_eq!(
            io_reason(&os(2)),
            "文件或文件夹不存在（No such file or directory (os error 2)）"
        );
        assert_eq!(
            io_reason(&os(13)),
            "没有访问权限（Permission denied (os error 13)）"
        );
        assert_eq!(
            io_reason(&os(21)),
            "这是文件夹，不是文件（Is a directory (os error 21)）"
        );
        assert_eq!(
            io_reason(&os(36)),
            "文件名过长（File name too long (os error 36)）"
        );
        assert_eq!(
            io_reason(&os(40)),
            "符号链接过多或形成循环，找不到真正的文件（Too many levels of symbolic links (os error 40)）"
        );
        assert_eq!(
            io_reason(&os(28)),
            "磁盘空间已满（No space left on device (os error 28)）"
        );
    }

    #[test]
    fn errors_jixiao_made_keep_their_own_words() {
        assert_eq!(
            io_reason(&Error::other("无法创建临时文件")),
            "无法创建临时文件"
        );
        // A kind without words of its own is still said in Chinese.
        let eof = Error::from(ErrorKind::UnexpectedEof);
        assert!(
            io_reason(&eof).starts_with("文件意外结束（"),
            "{}",
            io_reason(&eof)
        );
    }
}
