//! Reading files safely: limits enforced while reading (pipes, devices, `/proc`), `extends`
//! kept inside the rule file's folder, the system's reasons in Chinese, old Mac line
//! endings. Outcomes are asserted, never durations.

use jixiao::limits::ENV;

use crate::support::{Scratch, Test, jixiao, repo_file, says, text};

// ---------------------------------------------------------------------------------------
// The system's reasons, in Chinese

#[cfg(target_os = "linux")]
#[test]
fn a_path_through_a_file_is_said_in_chinese_with_the_system_words_kept() {
    let dir = Scratch::new("enotdir");
    dir.write("a.toml", "");
    let out = jixiao(&["score", &dir.arg("a.toml/b.toml")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("jixiao::io::read"), "{err}");
    assert!(
        says(
            &err,
            "：路径中有一段是文件，不是文件夹（Not a directory (os error 20)）"
        ),
        "{err}"
    );

    let long = format!("{}.toml", "长".repeat(100));
    let out = jixiao(&["score", &dir.arg(&long)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        says(&err, "：文件名过长（File name too long (os error 36)）"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Limits enforced while reading

/// `script` run by bash, `$0` being the built binary and `$1`… `args`, in the crate's
/// folder, under a 400 MB memory limit: a read without bound ends in an allocation failure
/// rather than stalling the machine. A run still going after a minute is killed and fails
/// the test: a safety net, not a measure of speed.
fn bounded(script: &str, args: &[&str]) -> Test {
    Test::new()
        .script(script)
        .args(args)
        .memory_kib(400_000)
        .kill_after_a_minute()
}

/// The limits these tests run under: 1 KB for a form, or for a rule file (with forms and
/// bundled rules within their default limits).
/// `JIXIAO_LIMITS`' value.
fn small(code: &str) -> String {
    let key = code.rsplit("::").next().unwrap_or(code);
    format!("{key}=1KB")
}

/// Starts a writer that fills the named pipe `$1` with comment lines for ever, runs
/// `jixiao ARGS` (`$2`…) and stops the writer (by its process id) when jixiao is done.
const ENDLESS_PIPE: &str = "yes '# 填充' > \"$1\" & writer=$!; shift; \"$0\" \"$@\"; s=$?; kill $writer 2>/dev/null; exit $s";

#[cfg(unix)]
#[test]
fn a_named_pipe_that_never_ends_is_refused_at_the_limit() {
    let dir = Scratch::new("endless-pipe");
    for (name, args, code, what) in [
        (
            "form.toml",
            vec!["score"],
            "jixiao::limit::form_bytes",
            "表单文件",
        ),
        (
            "form.csv",
            vec!["import"],
            "jixiao::limit::form_bytes",
            "表单文件",
        ),
        (
            "form.rules",
            vec!["check"],
            "jixiao::limit::rule_bytes",
            "规则文件",
        ),
        (
            "rules.rules",
            vec!["score", "examples/tongcheng-2021.toml", "--rules"],
            "jixiao::limit::rule_bytes",
            "规则文件",
        ),
    ] {
        let pipe = dir.arg(name);
        dir.fifo(name);
        let mut all = vec![pipe.as_str()];
        all.extend(&args);
        all.push(&pipe);
        let out = bounded(ENDLESS_PIPE, &all).env(ENV, small(code)).run();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(code), "{args:?}: {err}");
        // Read up to 1 KB and one byte, then refused; the size it has is not known.
        assert!(
            says(
                &err,
                &format!("{what} {pipe} 读到 1.0 KB 仍未读完，超过上限 1.0 KB")
            ),
            "{args:?}: {err}"
        );
        // 2 KB, rounded up to whole megabytes.
        assert!(
            says(&err, "JIXIAO_LIMITS=") && err.contains("=1MB"),
            "{err}"
        );
        std::fs::remove_file(dir.path(name)).expect("remove the pipe");
    }
}

#[cfg(unix)]
#[test]
fn extends_of_a_named_pipe_that_never_ends_stops_at_the_limit() {
    // A pipe in the rule file's own folder may be extended; it is read as a rule file
    // named on the command line is, up to the limit. The base's reason shows in the
    // `unknown_base` diagnostic.
    let dir = Scratch::new("extends-pipe");
    dir.fifo("base.rules");
    let child = dir.write("child.rules", "rules \"child\"\nextends \"base.rules\"\n");
    let pipe = dir.arg("base.rules");
    let out = bounded(ENDLESS_PIPE, &[&pipe, "check", &child])
        .env(ENV, small("jixiao::limit::rule_bytes"))
        .run();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("jixiao::check::unknown_base"), "{err}");
    assert!(
        says(
            &err,
            &format!("规则文件 {pipe} 读到 1.0 KB 仍未读完，超过上限 1.0 KB")
        ),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_holding_a_form_is_read() {
    // `jixiao score <(cat form.toml)`: the shell passes a pipe.
    let dir = Scratch::new("pipe-form");
    let pipe = dir.arg("form.toml");
    dir.fifo("form.toml");
    let out = bounded(
        "cat examples/tongcheng-2021.toml > \"$1\" & \"$0\" score \"$1\" -f json",
        &[&pipe],
    )
    .run();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The seed form's total, worked out in README.md.
    assert_eq!(v["total"], "96.53");
}

#[cfg(target_os = "linux")]
#[test]
fn devices_stdin_and_proc_files_are_read_only_up_to_the_limit() {
    let dir = Scratch::new("devices");
    // The system says a file under /proc has 0 bytes; this one is as long as the address
    // space (8 bytes a page).
    std::os::unix::fs::symlink("/proc/self/pagemap", dir.path("proc.rules")).expect("link");
    std::os::unix::fs::symlink("/proc/self/pagemap", dir.path("proc.toml")).expect("link");
    let (proc_rules, proc_form) = (dir.arg("proc.rules"), dir.arg("proc.toml"));
    for (script, args, code, what, name) in [
        (
            "\"$0\" score /dev/zero",
            vec![],
            "form_bytes",
            "表单文件",
            "/dev/zero",
        ),
        (
            "\"$0\" check /dev/zero",
            vec![],
            "rule_bytes",
            "规则文件",
            "/dev/zero",
        ),
        (
            "yes '# 填充' | \"$0\" score /dev/stdin",
            vec![],
            "form_bytes",
            "表单文件",
            "/dev/stdin",
        ),
        (
            "\"$0\" check \"$1\"",
            vec![proc_rules.as_str()],
            "rule_bytes",
            "规则文件",
            proc_rules.as_str(),
        ),
        (
            "\"$0\" score \"$1\"",
            vec![proc_form.as_str()],
            "form_bytes",
            "表单文件",
            proc_form.as_str(),
        ),
    ] {
        let out = bounded(script, &args).env(ENV, small(code)).run();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{script}: {err}");
        assert!(
            err.contains(&format!("jixiao::limit::{code}")),
            "{script}: {err}"
        );
        assert!(
            says(
                &err,
                &format!("{what} {name} 读到 1.0 KB 仍未读完，超过上限 1.0 KB")
            ),
            "{script}: {err}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// `extends` stays in the rule file's folder

#[cfg(unix)]
#[test]
fn extends_outside_the_rule_files_folder_is_refused_unread() {
    let dir = Scratch::new("extends-outside");
    std::fs::create_dir_all(dir.path("rules/sub")).expect("folders");
    // A file outside the rule folder, whose first line would show in a syntax error.
    dir.write("secret.rules", "机密第一行 SECRET-LINE\n");
    std::os::unix::fs::symlink(dir.path("secret.rules"), dir.path("rules/link.rules"))
        .expect("link");
    std::os::unix::fs::symlink(dir.path(""), dir.path("rules/up")).expect("link");
    for (target, why) in [
        (
            "../../../../../../../../etc/passwd",
            "「..」跳出了本文件所在的文件夹",
        ),
        ("/etc/passwd", "这是绝对路径，不在本文件所在的文件夹中"),
        ("/etc/shadow", "这是绝对路径，不在本文件所在的文件夹中"),
        ("../secret.rules", "「..」跳出了本文件所在的文件夹"),
        ("sub/../../secret.rules", "「..」跳出了本文件所在的文件夹"),
        ("link.rules", "经符号链接指向本文件所在文件夹之外"),
        ("up/secret.rules", "经符号链接指向本文件所在文件夹之外"),
    ] {
        let child = dir.write(
            "rules/child.rules",
            format!("rules \"child\"\nextends \"{target}\"\n"),
        );
        let out = jixiao(&["check", &child]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{target}: {err}");
        assert!(
            err.contains("jixiao::check::extends_outside"),
            "{target}: {err}"
        );
        assert!(
            says(
                &err,
                &format!("不能继承本文件所在文件夹之外的规则文件「{target}」")
            ),
            "{target}: {err}"
        );
        assert!(says(&err, why), "{target}: {err}");
        assert!(
            !err.contains("SECRET") && !err.contains("root:"),
            "{target}: {err}"
        );
        // Scoring with such rules is refused the same way.
        let out = jixiao(&["score", "examples/tongcheng-2021.toml", "--rules", &child]);
        assert_eq!(out.status.code(), Some(1), "{target}");
        assert!(text(&out.stderr).contains("jixiao::check::extends_outside"));
    }
}

#[test]
fn extends_within_the_folder_reads_the_base_and_shows_its_errors() {
    let dir = Scratch::new("extends-inside");
    std::fs::create_dir_all(dir.path("rules/sub")).expect("folders");
    let hubei = jixiao::bundled("hubei-2021").expect("bundled");
    dir.write("rules/sub/base.rules", hubei.text());
    // `sub/../sub/base.rules` climbs back down: still inside.
    for target in ["sub/base.rules", "./sub/../sub/base.rules", "hubei-2021"] {
        let child = dir.write(
            "rules/child.rules",
            format!("rules \"child\"\nextends \"{target}\"\nparam budget_weight = 10\n"),
        );
        let out = jixiao(&["check", &child]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{target}: {}",
            text(&out.stderr)
        );
    }
    // A base inside the folder that does not parse is shown, as any rule file is: it is
    // the user's own.
    dir.write("rules/sub/broken.rules", "rules \"b\"\n这一行不是规则\n");
    let child = dir.write(
        "rules/child.rules",
        "rules \"child\"\nextends \"sub/broken.rules\"\n",
    );
    let out = jixiao(&["check", &child]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("jixiao::syntax::unexpected"), "{err}");
    assert!(err.contains("这一行不是规则"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Old Mac line endings

#[test]
fn files_with_carriage_returns_alone_read_as_their_line_feed_versions() {
    let dir = Scratch::new("cr");
    let cr = |s: &str| s.replace('\n', "\r");
    let seed = repo_file("examples/tongcheng-2021.toml");
    let hubei = jixiao::bundled("hubei-2021").expect("bundled");
    let form = dir.write("form.toml", cr(&seed));
    let rules = dir.write("rules.rules", cr(hubei.text()));
    // Every line of both ends in a carriage return alone.
    assert!(!std::fs::read(&form).expect("form").contains(&b'\n'));
    assert!(!std::fs::read(&rules).expect("rules").contains(&b'\n'));

    let out = jixiao(&["check", &rules]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = jixiao(&["score", &form, "--rules", &rules, "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The seed form's total, worked out in README.md.
    assert_eq!(v["total"], "96.53");
    // Exactly as the line-feed versions: the same JSON but for the file names.
    let lf = jixiao(&["score", "examples/tongcheng-2021.toml", "-f", "json"]);
    let cr_json = text(&out.stdout)
        .replace(&rules, "rules/hubei-2021.rules")
        .replace(&form, "examples/tongcheng-2021.toml");
    assert!(cr_json == text(&lf.stdout), "the JSON differs");
    assert!(cr_json.contains("\"rule\": \"rules/hubei-2021.rules:35\""));

    // A CSV saved the same way converts to the same form.
    let csv_lf = "tests/fixtures/import/wenlv-2023-flat.csv";
    let csv = repo_file(csv_lf);
    let csv_cr = dir.write("wenlv.csv", cr(&csv));
    let a = jixiao(&["import", csv_lf]);
    let b = jixiao(&["import", &csv_cr]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    assert_eq!(text(&a.stdout), text(&b.stdout).replace(&csv_cr, csv_lf));
}
