//! Reading files safely: limits enforced while reading (pipes, devices, `/proc`), `extends`
//! kept inside the rule file's folder, the system's reasons in Chinese, old Mac line
//! endings. Outcomes are asserted, never durations.

use crate::hostile::{Scratch, run, text};

/// `haystack` holds `needle`, both read without whitespace and miette's margin, since a
/// diagnostic's lines wrap at 100 columns wherever a long temporary path puts them.
fn holds(haystack: &str, needle: &str) -> bool {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    squeeze(haystack).contains(&squeeze(needle))
}

// ---------------------------------------------------------------------------------------
// The system's reasons, in Chinese

#[cfg(target_os = "linux")]
#[test]
fn a_path_through_a_file_is_said_in_chinese_with_the_system_words_kept() {
    let dir = Scratch::new("enotdir");
    dir.write("a.toml", "");
    let out = run(&["score", &dir.arg("a.toml/b.toml")], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::io::read"), "{err}");
    assert!(
        holds(
            &err,
            "：路径中有一段是文件，不是文件夹（Not a directory (os error 20)）"
        ),
        "{err}"
    );

    let long = format!("{}.toml", "长".repeat(100));
    let out = run(&["score", &dir.arg(&long)], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        holds(&err, "：文件名过长（File name too long (os error 36)）"),
        "{err}"
    );
}
