//! Text from forms, rule files and file names is shown on a terminal written out, never
//! as it is: an escape sequence (`ESC[4A` moves the cursor up four lines, so that a name
//! could overwrite the printed total), a C1 control (U+009B is a one-character `ESC[`) or
//! a bidirectional override (U+202E reverses what follows) in any human output, table,
//! explanation, diff, audit, check, test or diagnostic, becomes `\u{1B}`, `\u{9B}`,
//! `\u{202E}`. Program and file outputs (JSON, CSV, xlsx, HTML) keep the text as it is.

use crate::support::{Scratch, jixiao, text};

/// A form whose title and department hold unsafe characters (shown, never compared, so the
/// loader keeps them; in a goal's or indicator's name, which rules can compare, they are an
/// error, `form::invisible_character`). TOML writes ESC as `\u001B`; U+009B and U+202E are
/// allowed as they are. Scores, worked out by hand: the indicator 80 × 90 / 100 = 72, the
/// budget 100万元 of 100万元 = 20, total 92 (优); reported 70, so the audit finds a
/// difference of +2.
fn form(actual: &str) -> String {
    format!(
        "[form]\ntitle = \"自评表\u{202E}反转\u{9B}\"\ndepartment = \"通城\\u001B[4A县\"\n\n\
         [budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
         [[goals]]\nname = \"目标一\"\nweight = 80\n\n\
         [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\n\
         name = \"培训人次\"\ntarget = \"100人\"\nactual = \"{actual}\"\n\
         weight = 80\nreported = 70\n"
    )
}

/// Where a raw unsafe character is in `bytes`: ESC, U+009B (C2 9B), U+202E (E2 80 AE).
fn raw_unsafe(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find(|&i| {
        bytes[i] == 0x1B
            || bytes[i..].starts_with(&[0xC2, 0x9B])
            || bytes[i..].starts_with(&[0xE2, 0x80, 0xAE])
    })
}

/// Runs `args`, asserts the exit status, that neither stream holds a raw unsafe character
/// and that together they show each of `shown`; returns stdout and stderr.
fn safe(args: &[&str], status: i32, shown: &[&str]) -> (String, String) {
    let out = jixiao(args);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(status), "{args:?}: {stderr}");
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if let Some(at) = raw_unsafe(bytes) {
            let from = at.saturating_sub(40);
            panic!(
                "{args:?}: a raw control character in {name} at byte {at}: {:?}",
                String::from_utf8_lossy(&bytes[from..(at + 8).min(bytes.len())])
            );
        }
    }
    let both = format!("{stdout}{stderr}");
    for s in shown {
        assert!(both.contains(s), "{args:?}: no {s} in\n{both}");
    }
    (stdout, stderr)
}

const DEPARTMENT: &str = "通城\\u{1B}[4A县";
const TITLE: &str = "自评表\\u{202E}反转\\u{9B}";

#[test]
fn the_score_table_and_explanations_write_control_characters_out() {
    let dir = Scratch::new("term-score");
    let f = dir.write("f.toml", form("90人"));
    let (stdout, _) = safe(&["score", &f], 0, &[TITLE, DEPARTMENT]);
    // The total is still there, worked out above.
    assert!(stdout.contains("92.00"), "{stdout}");
    safe(&["score", &f, "--explain"], 0, &[DEPARTMENT]);
    safe(&["explain", &f], 0, &[DEPARTMENT]);
    // JSON is for programs: the text as it is, in JSON's own escapes.
    let out = jixiao(&["score", &f, "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["form"]["department"], "通城\u{1B}[4A县");
    assert_eq!(v["total"], "92.00");
}

#[cfg(unix)]
#[test]
fn a_batch_writes_out_control_characters_in_names_and_file_names() {
    let dir = Scratch::new("term-batch");
    dir.write("f.toml", form("90人"));
    // A file name is text from the user too; this form does not load.
    dir.write("坏\u{1B}[2J.toml", "[form\n");
    let batch = dir.folder();
    let (_, stderr) = safe(&["score", &batch], 1, &[DEPARTMENT, "坏\\u{1B}[2J.toml"]);
    assert!(stderr.contains("jixiao::form::toml"), "{stderr}");
}

#[test]
fn diff_and_audit_write_control_characters_out() {
    let dir = Scratch::new("term-diff");
    let old = dir.write("old.toml", form("90人"));
    let new = dir.write("new.toml", form("95人"));
    // 80 × 95 / 100 = 76: +4.
    let (stdout, _) = safe(&["diff", "--forms", &old, &new], 0, &[DEPARTMENT]);
    assert!(stdout.contains("+4"), "{stdout}");
    safe(
        &[
            "diff",
            "hubei-2021",
            "hubei-2021",
            &old,
            "--set",
            "budget_weight=10",
            "--all",
        ],
        0,
        &[DEPARTMENT],
    );
    // Reported 70, computed 72: exit 3, a difference.
    let (stdout, _) = safe(&["audit", &old], 3, &[TITLE]);
    assert!(stdout.contains("+2"), "{stdout}");
}

#[test]
fn diagnostics_write_control_characters_out_in_messages_labels_and_source_lines() {
    let dir = Scratch::new("term-diag");
    // A value holding U+202E and U+009B as they are: the message, the label and the
    // source line quote them.
    let bad = dir.write("bad.toml", form("90\u{202E}\u{9B}公里"));
    let (_, stderr) = safe(&["score", &bad], 1, &["90\\u{202E}\\u{9B}公里"]);
    assert!(
        stderr.contains("jixiao::form::invisible_character"),
        "{stderr}"
    );
    // The source line, escaped, and its label still under the value.
    assert!(
        stderr.contains("actual = \"90\\u{202E}\\u{9B}公里\""),
        "{stderr}"
    );
    // A raw ESC is not TOML: the syntax error shows the line it is on.
    let toml = dir.write("esc.toml", "# 注释\u{1B}[2J\n[form\n");
    let (_, stderr) = safe(&["score", &toml], 1, &["# 注释\\u{1B}[2J"]);
    assert!(stderr.contains("jixiao::form::toml"), "{stderr}");
    // `check` on a form whose indicator's name holds U+202E and ESC: refused, quoted.
    let named = form("90人").replace(
        "name = \"培训人次\"",
        "name = \"培训\u{202E}人次\\u001B[4A\"",
    );
    let named = dir.write("named.toml", named);
    let (_, stderr) = safe(
        &["check", "hubei-2021", &named],
        1,
        &["培训\\u{202E}人次\\u{1B}[4A"],
    );
    assert!(
        stderr.contains("jixiao::form::invisible_character"),
        "{stderr}"
    );
    // A rule file: a syntax error on a line with ESC.
    let rules = dir.write("bad.rules", "rules \"x\"\nparam a = 1 \u{1B}[2J +\n");
    let (_, stderr) = safe(&["check", &rules], 1, &["param a = 1 \\u{1B}[2J +"]);
    assert!(stderr.contains("jixiao::syntax::unexpected"), "{stderr}");
}

#[test]
fn rule_tests_and_fmt_write_control_characters_out() {
    let dir = Scratch::new("term-test");
    // A test that fails (2 × 90 / 100 = 1.8, not 1), named with ESC, its indicator with
    // U+202E.
    let rules = dir.write(
        "t.rules",
        "rules \"注入\"\nextends \"hubei-2021\"\n\
         test \"名称\u{1B}[4A假\":\n    indicator name \"培训\u{202E}\" target \"100人\" actual \"90人\" weight 2 expect 1\n",
    );
    let (stdout, _) = safe(&["test", &rules], 1, &["名称\\u{1B}[4A假"]);
    assert!(stdout.contains("失败"), "{stdout}");
    // `fmt --check` shows the rule file's own lines.
    let messy = dir.write(
        "messy.rules",
        "rules   \"注入\u{1B}[4A\"\nextends \"hubei-2021\"\n",
    );
    safe(&["fmt", "--check", &messy], 1, &["注入\\u{1B}[4A"]);
}

#[test]
fn a_label_stays_under_its_text_when_the_line_is_escaped() {
    // A raw ESC in a TOML string is a syntax error pointing at it; U+202E follows on the
    // same line. The ESC is shown as `\u{1B}`, 6 columns for 1, and the label is drawn
    // under those 6 columns, not under the 1 it had.
    let text = "[form]\ntitle = \"t\"\nactual = \"\u{1B}9\u{202E}0公里\"\nweight = 80\n";
    let err = jixiao::load_form(&jixiao::Source::new("f.toml", text)).expect_err("not TOML");
    let shown = crate::support::render(&jixiao::source::Printable::new(&err));
    assert!(
        shown.contains(" 3 │ actual = \"\\u{1B}9\\u{202E}0公里\"\n   ·           ───┬──\n"),
        "{shown}"
    );
    // The header gives the column an editor shows: the ESC is the 11th character.
    assert!(shown.contains("[f.toml:3:11]"), "{shown}");
    assert_eq!(raw_unsafe(shown.as_bytes()), None, "{shown}");
}

/// On an 80-column terminal a table too wide for it becomes one block per row: lines fit,
/// and no word or number-with-unit is broken (`一级指/标`, `360人/次`).
#[test]
fn a_narrow_terminal_gets_blocks_not_broken_words() {
    let out = crate::support::Test::new()
        .args(["score", "examples/tongcheng-2021.toml"])
        .env("COLUMNS", "80")
        .run();
    out.ok();
    let shown = out.out();
    // (A goal's heading and the warnings are prose, which the terminal wraps as it likes.)
    for line in shown
        .lines()
        .filter(|l| !l.starts_with("年度目标") && !l.starts_with("  - "))
    {
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(width <= 80, "{width} columns: {line}");
    }
    assert!(
        shown.contains(
            "- 一级指标 产出指标   二级指标 数量指标   三级指标 职业技能培训人次\n  年初目标值(A) 4000人次   实际完成值(B) 3916人次   类别 正向指标   权重 2\n  得分 1.96   自评得分 1   差异 +0.96\n"
        ),
        "{shown}"
    );
    assert!(shown.contains("实际完成值(B) 360人次"), "{shown}");
    // the budget table fits, so it stays a table
    assert!(shown.contains("| 预算数(A)     执行数(B)"), "{shown}");
    // wide enough, the goals are tables again
    let wide = crate::support::Test::new()
        .args(["score", "examples/tongcheng-2021.toml"])
        .env("COLUMNS", "200")
        .run();
    assert!(
        wide.out().contains("| 一级指标     二级指标"),
        "{}",
        wide.out()
    );
}
