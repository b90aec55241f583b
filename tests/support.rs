//! The test harness, shared by every module: running the built binary ([`Test`], its
//! result [`Ran`]), a temporary folder ([`Scratch`]), the codes of a diagnostic
//! ([`codes`]), files of the repository, and scoring small forms through the library with
//! diagnostics rendered the same way every run (no colour, fixed width).
//!
//! Every run of the binary goes through [`Test::run`]: in the crate's folder unless told
//! otherwise, without colour, terminal width or limits from the environment (`NO_COLOR`
//! set; `COLUMNS` and `JIXIAO_LIMITS` removed), stdin empty, so output is the same on
//! every machine.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use rust_decimal::Decimal;

use jixiao::{Outcome, Rules, Source};

// ---------------------------------------------------------------------------------------
// Running the binary

/// One run of the built binary: `Test::new().args([...]).env(..).run()`.
#[must_use]
pub struct Test {
    args: Vec<OsString>,
    dir: PathBuf,
    env: Vec<(OsString, OsString)>,
    stdout: Option<Stdio>,
    script: Option<String>,
    memory_kib: Option<u64>,
    deadline: Option<Duration>,
}

impl Test {
    /// The binary in the crate's folder, with no arguments.
    pub fn new() -> Self {
        Self {
            args: Vec::new(),
            dir: repo_path(""),
            env: Vec::new(),
            stdout: None,
            script: None,
            memory_kib: None,
            deadline: None,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Runs in `dir` rather than the crate's folder.
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = dir.as_ref().to_owned();
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Sends stdout there (a file, `/dev/full`) rather than capturing it.
    pub fn stdout_to(mut self, to: impl Into<Stdio>) -> Self {
        self.stdout = Some(to.into());
        self
    }

    /// Runs `script` with bash rather than the binary directly: `$0` is the binary, `$1`…
    /// the arguments (`"$0" "$@" 2>&1 | head -c 1`).
    pub fn script(mut self, script: impl Into<String>) -> Self {
        self.script = Some(script.into());
        self
    }

    /// At most `kib` KiB of address space (`ulimit -v`): an allocation past it fails and
    /// the run aborts, rather than a read without bound stalling the machine.
    pub fn memory_kib(mut self, kib: u64) -> Self {
        self.memory_kib = Some(kib);
        self
    }

    /// A run still going after a minute is killed and fails the test: a safety net for
    /// cases whose bug would be a hang, not a measure of speed.
    pub fn kill_after_a_minute(mut self) -> Self {
        self.deadline = Some(Duration::from_secs(60));
        self
    }

    /// `jixiao ARGS`, for messages.
    fn shown(&self) -> String {
        let args: Vec<_> = self.args.iter().map(|a| a.to_string_lossy()).collect();
        format!("jixiao {}", args.join(" "))
    }

    fn command(&mut self) -> Command {
        let binary = env!("CARGO_BIN_EXE_jixiao");
        let script = match (self.memory_kib, self.script.take()) {
            (None, None) => None,
            (None, Some(script)) => Some(script),
            // One malloc arena: glibc reserves 64 MiB of address space for each thread
            // that allocates (the signal handler's, a worker's), so that under `ulimit -v`
            // whether a run fits depended on which thread allocated first, not on what it
            // used (one run in ten of `check` on a hostile file aborted in CI).
            (Some(kib), None) => Some(format!(
                "ulimit -v {kib} && MALLOC_ARENA_MAX=1 exec \"$0\" \"$@\""
            )),
            (Some(kib), Some(script)) => Some(format!(
                "ulimit -v {kib} && export MALLOC_ARENA_MAX=1 && {script}"
            )),
        };
        let mut command = match script {
            None => Command::new(binary),
            Some(script) => {
                let mut bash = Command::new("bash");
                bash.arg("-c").arg(script).arg(binary);
                bash
            }
        };
        command
            .args(&self.args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .env_remove(jixiao::limits::ENV)
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Starts the run and returns at once, for a test that signals it; what it prints is
    /// not read.
    pub fn spawn(mut self) -> Child {
        self.command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs")
    }

    /// Starts the run and returns at once with its stdout piped, for a test that reads
    /// what a long-running command (`jixiao serve`) prints; stderr is not read.
    pub fn spawn_reading_stdout(mut self) -> Child {
        self.command()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs")
    }

    /// Starts the run with stdin, stdout and stderr piped, for a test that talks with a
    /// long-running command (`jixiao lsp`).
    pub fn spawn_piped(mut self) -> Child {
        self.command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs")
    }

    /// Runs to the end (or, with [`Test::kill_after_a_minute`], fails the test at the
    /// deadline) and returns what it printed.
    #[track_caller]
    pub fn run(mut self) -> Ran {
        let shown = self.shown();
        let stdout_to = self.stdout.take();
        let capture = stdout_to.is_none();
        let mut child = self
            .command()
            .stdin(Stdio::null())
            .stdout(stdout_to.unwrap_or_else(Stdio::piped))
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // Both pipes drained while waiting, so that no full pipe stalls the child.
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let status = match self.deadline {
            None => child.wait().expect("the binary ends"),
            Some(deadline) => wait_or_kill(&mut child, deadline)
                .unwrap_or_else(|| panic!("{shown} did not finish")),
        };
        Ran {
            status,
            stdout: if capture {
                stdout.join().unwrap_or_default()
            } else {
                Vec::new()
            },
            stderr: stderr.join().unwrap_or_default(),
            shown,
        }
    }
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads a pipe to its end on a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// The child's status once it ends, or `None` once it has been killed at `deadline`.
pub fn wait_or_kill(child: &mut Child, deadline: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    while start.elapsed() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// `jixiao ARGS` in the crate's folder: `Test::new().args(args).run()`.
#[track_caller]
pub fn jixiao(args: &[&str]) -> Ran {
    Test::new().args(args).run()
}

/// What a run printed, and how it ended.
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// `jixiao ARGS`, for messages.
    shown: String,
}

impl Ran {
    /// Asserts the exit status; the message shows the command and its stderr.
    #[track_caller]
    pub fn status(&self, code: i32) -> &Self {
        assert_eq!(
            self.status.code(),
            Some(code),
            "{}: {}",
            self.shown,
            self.err()
        );
        self
    }

    /// Asserts exit 0 and nothing on stderr.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        self.status(0);
        assert_eq!(self.err(), "", "stderr of {}", self.shown);
        self
    }

    /// Asserts that stdout holds `part`.
    #[track_caller]
    pub fn stdout_has(&self, part: &str) -> &Self {
        self.has("stdout", &self.out(), part)
    }

    /// Asserts that stderr holds `part`.
    #[track_caller]
    pub fn stderr_has(&self, part: &str) -> &Self {
        self.has("stderr", &self.err(), part)
    }

    #[track_caller]
    fn has(&self, stream: &str, text: &str, part: &str) -> &Self {
        assert!(
            text.contains(part),
            "{}: no {part:?} in {stream}:\n{text}",
            self.shown
        );
        self
    }

    /// stdout as text.
    pub fn out(&self) -> String {
        text(&self.stdout)
    }

    /// stderr as text.
    pub fn err(&self) -> String {
        text(&self.stderr)
    }

    /// stdout read as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", self.shown, self.out()))
    }
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------------------
// Files

/// A path in the repository (an absolute `rel` stays as it is).
pub fn repo_path(rel: impl AsRef<Path>) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A file of the repository, as bytes.
#[track_caller]
pub fn repo_bytes(rel: impl AsRef<Path>) -> Vec<u8> {
    let path = repo_path(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A text file of the repository.
#[track_caller]
pub fn repo_file(rel: impl AsRef<Path>) -> String {
    let path = repo_path(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A text file of the repository as a [`Source`] named by its file name, as a
/// diagnostic shows it.
#[track_caller]
pub fn repo_source(rel: impl AsRef<Path>) -> Source {
    let rel = rel.as_ref();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Source::new(name, repo_file(rel))
}

/// A fresh empty folder under the system's temporary folder, named for the test file, the
/// process and `name`, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    #[track_caller]
    pub fn new(name: &str) -> Self {
        let file = Path::new(std::panic::Location::caller().file());
        let module = file
            .file_stem()
            .map_or("test".into(), OsStr::to_string_lossy);
        let dir =
            std::env::temp_dir().join(format!("jixiao-{module}-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Self(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The folder itself, as an argument.
    pub fn folder(&self) -> String {
        self.0.display().to_string()
    }

    /// The path of `name`, as an argument.
    pub fn arg(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// Writes `name` (making its folders); its path, as an argument.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(&path, bytes).expect("write");
        self.arg(name)
    }

    /// Copies a file of the repository in as `name`; its path, as an argument.
    pub fn copy(&self, rel: &str, name: &str) -> String {
        std::fs::copy(repo_path(rel), self.path(name)).expect("copy a fixture");
        self.arg(name)
    }

    /// A named pipe `name`.
    #[cfg(unix)]
    pub fn fifo(&self, name: &str) -> PathBuf {
        let path = self.path(name);
        let made = Command::new("mkfifo").arg(&path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
        path
    }

    /// Every name in the folder, sorted (a leftover temporary file would show here).
    pub fn listing(&self) -> Vec<String> {
        self.listing_of("")
    }

    /// Every name in the subfolder `sub`, sorted.
    pub fn listing_of(&self, sub: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(sub))
            .expect("listable")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A run of the binary inside this folder.
    pub fn test(&self) -> Test {
        Test::new().dir(&self.0)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------
// Generated cases

/// How many generated cases a test tries: `quick` in a developer's `cargo test` (a debug
/// build, so that the suite stays fast), `full` under CI (`CI` set, as .ci/run sets it),
/// or `PROPTEST_CASES` when that is set (a number, for either, to look harder).
pub fn cases(quick: u32, full: u32) -> u32 {
    let given = std::env::var("PROPTEST_CASES").ok();
    match given.and_then(|n| n.parse().ok()) {
        Some(n) => n,
        None if std::env::var_os("CI").is_some() => full,
        None => quick,
    }
}

/// proptest's settings: [`cases`]`(quick, full)` cases; failures shrunk and printed, no
/// regression files written into tests/.
pub fn proptest_config(quick: u32, full: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: cases(quick, full),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostics

/// The code of a diagnostic and of everything related to it, outermost first.
pub fn codes(diag: &dyn Diagnostic) -> Vec<String> {
    let mut out: Vec<String> = diag.code().map(|c| c.to_string()).into_iter().collect();
    for r in diag.related().into_iter().flatten() {
        out.extend(codes(r));
    }
    out
}

/// Whether the diagnostics in `err` say `message`, however they wrapped it at 100 columns
/// wherever a long temporary path put the break (white space and the wrapped lines' `│`
/// are left out of the comparison).
pub fn says(err: &str, message: &str) -> bool {
    let squeezed = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    squeezed(err).contains(&squeezed(message))
}

/// Renders a diagnostic as the CLI does on a pipe: no colour, 100 columns.
pub fn render(diag: &dyn Diagnostic) -> String {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    handler
        .render_report(&mut out, diag)
        .expect("rendering into a String cannot fail");
    out
}

// ---------------------------------------------------------------------------------------
// Scoring through the library

pub fn hubei() -> Rules {
    let source = jixiao::bundled("hubei-2021").expect("hubei-2021 is bundled");
    jixiao::compile(&source).unwrap_or_else(|e| panic!("{}", render(&e)))
}

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("not a decimal: {s}"))
}

/// A form with a budget line of 100 of 100 (20 points) and one goal of `goal_weight`
/// holding the given `[[goals.indicators]]` tables.
pub fn form_with(goal_weight: u32, indicators: &str) -> String {
    format!(
        "[form]\ntitle = \"测试\"\n\n[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
         [[goals]]\nname = \"目标\"\nweight = {goal_weight}\n\n{indicators}"
    )
}

/// One indicator table.
pub fn indicator(fields: &str) -> String {
    format!(
        "[[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"指标\"\n{fields}\n\n"
    )
}

/// Scores a form's text; the outcome is made owned, so that it outlives the form.
pub fn score_text(rules: &Rules, text: &str) -> Result<Outcome<'static>, String> {
    let source = Source::new("form.toml", text);
    let form = jixiao::load_form(&source).map_err(|e| render(&e))?;
    jixiao::evaluate(rules, &form)
        .map(Outcome::into_owned)
        .map_err(|e| render(&e))
}

pub fn score(text: &str) -> Outcome<'static> {
    score_text(&hubei(), text).unwrap_or_else(|e| panic!("{e}"))
}

/// The score of the only indicator of the only goal.
pub fn only_score(text: &str) -> Decimal {
    let o = score(text);
    o.goals[0].indicators[0].score.expect("scored")
}

/// The code of the diagnostic that scoring `text` under hubei-2021 fails with.
pub fn failure(text: &str) -> String {
    match score_text(&hubei(), text) {
        Ok(o) => panic!("expected an error, got total {}", o.total),
        Err(rendered) => rendered,
    }
}

// ---------------------------------------------------------------------------------------
// Workbooks written for the importer's tests

/// The flat layout's header, 目标 … 实际值.
pub const FLAT_HEADER: [&str; 7] = [
    "目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "权重",
    "目标值",
    "实际值",
];

/// The flat layout's first two rows on `sheet`: the header (目标 … 实际值, then `extra`
/// columns) and the budget line, 100万元 planned, 90万元 executed.
pub fn flat_head(sheet: &mut rust_xlsxwriter::Worksheet, extra: &[&str]) {
    for (col, h) in FLAT_HEADER.iter().chain(extra).enumerate() {
        let col = u16::try_from(col).expect("a column");
        sheet.write_string(0, col, *h).expect("write");
    }
    sheet.write_string(1, 0, "预算执行情况").expect("write");
    sheet.write_string(1, 5, "100万元").expect("write");
    sheet.write_string(1, 6, "90万元").expect("write");
}

/// `texts` as strings in `row` of `sheet`, from the first column.
pub fn write_texts(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, texts: &[&str]) {
    for (col, t) in texts.iter().enumerate() {
        let col = u16::try_from(col).expect("a column");
        sheet.write_string(row, col, *t).expect("write");
    }
}

// ---------------------------------------------------------------------------------------
// Workbooks read back

/// A cell of a workbook read back with calamine: numbers as Rust prints them (-9.7,
/// 96.53), text as it is, a number marked `#` so a count written as text would show.
pub fn xlsx_cell(range: &calamine::Range<calamine::Data>, row: u32, col: u32) -> String {
    use calamine::Data;
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(x)) => format!("#{x}"),
        Some(Data::Int(i)) => format!("#{i}"),
        Some(other) => format!("{other:?}"),
    }
}

/// Each row of a sheet from `from` (absolute) as its cells, trailing blanks dropped.
pub fn xlsx_rows(range: &calamine::Range<calamine::Data>, from: u32, to: u32) -> Vec<Vec<String>> {
    let (_, width) = range.get_size();
    (from..=to)
        .map(|r| {
            let mut cells: Vec<String> = (0..u32::try_from(width).unwrap_or(0))
                .map(|c| xlsx_cell(range, r, c))
                .collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            cells
        })
        .collect()
}

/// The 汇总 sheet's statistics (its rows 5 to 12) of a comparison of the two seed forms
/// with budget_weight 20 → 10, as `jixiao diff -o x.xlsx` and the workbench's export
/// write it: tongcheng 96.53 → 86.53 (−10.00) and the county 91.26 → 81.86 (−9.40), both
/// 优 → 良; mean and median (−10.00 − 9.40) / 2 = −9.70, largest −10.00.
pub const BUDGET_10_SUMMARY: [&[&str]; 8] = [
    &["项目", "值", "说明"],
    &["对比表单", "#2", "份"],
    &["得分有变化", "#2", "份"],
    &["总分有变化", "#2", "份"],
    &["等级变化", "#2", "优→良 2 份"],
    &["总分平均变化", "#-9.7"],
    &["总分变化中位数", "#-9.7"],
    &["总分最大变化", "#-10"],
];
