//! The command line: reads files, calls the library's phases, renders results and
//! diagnostics, and chooses the exit code (0 ok, 1 bad input, 2 bad usage).
//!
//! Nothing here prints with `print!` or `eprint!`, which panic when the pipe they write
//! to is closed (`jixiao score bad.toml 2>&1 | head -1`): stdout goes through
//! [`write_stdout`], stderr through [`write_stderr`] and [`print_report`].

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod atomic;
mod audit;
mod check;
mod diff;
mod explain;
mod fmt;
mod import;
mod input;
mod lsp;
mod os_error;
mod score;
mod serve;
mod table;
mod test;
mod usage;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Parser, Subcommand};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use thiserror::Error;

use jixiao::Code;
use jixiao::{Limits, Outcome, Rules, Source, Unresolved};

pub(crate) use atomic::{WriteFailure, write_atomic};
pub(crate) use os_error::io_reason;

/// 绩效自评表计分：用规则文件为部门整体绩效自评表计分。
#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    version,
    about = "绩效自评表计分：按规则文件为部门整体绩效自评表计分、说明、核查和对比",
    long_about = None,
    after_help = LIMITS_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 计分：每项指标、每个年度目标、预算执行情况、总分和等级
    Score(score::ScoreArgs),
    /// 说明：表单每个得分（或某一项指标的得分）是怎样算出的
    Explain(explain::ExplainArgs),
    /// 对比：同一批表单在两套规则下的得分（假设分析），或一份表单的两个版本
    Diff(diff::DiffArgs),
    /// 核查：找出自评得分与计算得分不符之处；有不符时退出码为 3
    Audit(audit::AuditArgs),
    /// 检查：列出规则文件（及按规则检查表单）的全部错误和警告，不计分
    Check(check::CheckArgs),
    /// 列出内置规则：名称和标题
    Rules,
    /// 测试：运行规则文件（及其 extends 的规则）中的 test；有失败时退出码为 1
    Test(test::TestArgs),
    /// 格式化：把规则文件整理成统一的版式（--check 只检查不改写）
    Fmt(fmt::FmtArgs),
    #[command(about = format!(
        "导入：把表单文件（{}）转换为 TOML 表单",
        jixiao::import::Format::labels()
    ))]
    Import(import::ImportArgs),
    /// 工作台：在浏览器中编辑规则、查看每份表单的得分如何变化（只在本机可用）
    Serve(serve::ServeArgs),
    /// 语言服务器：在编辑器（VS Code、Neovim、Helix、Emacs 等）中检查、补全、格式化规则文件；由编辑器启动，通过标准输入输出通信
    Lsp,
    /// 输出命令行补全脚本，例如 `jixiao completions bash > ~/.local/share/bash-completion/completions/jixiao`
    Completions {
        /// 终端（shell）的种类
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Which rules to use: shared by every command that evaluates.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct RulesArgs {
    /// 规则文件，或内置规则名；默认 hubei-2021
    #[arg(long, short, value_name = "FILE|NAME")]
    pub(crate) rules: Option<String>,
    /// 本次运行中改变规则的一个参数，例如 --set budget_weight=10（可重复）
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub(crate) set: Vec<String>,
}

/// A file that could not be read.
#[derive(Debug, Error, Diagnostic)]
enum IoError {
    #[error("无法读取文件 {path}：{reason}")]
    #[diagnostic(code(jixiao::io::read), help("检查路径是否正确、文件是否存在且可读"))]
    Read { path: String, reason: String },
    #[error("无法读取文件 {path} 的文字：{found}")]
    #[diagnostic(code(jixiao::io::encoding))]
    Encoding {
        path: String,
        found: String,
        #[help]
        help: &'static str,
    },
    #[error("文件 {path} 不是 UTF-8 编码，已按 GBK（GB18030）读取")]
    #[diagnostic(
        code(jixiao::io::decoded_gbk),
        severity(Warning),
        help("结果与按 GBK 打开一致；为免歧义，建议把文件另存为 UTF-8 编码")
    )]
    DecodedGbk { path: String },
    #[error("文件夹 {folder} 中有 {count} 个文件不是表单，已跳过：{names}")]
    #[diagnostic(code(jixiao::io::skipped), severity(Warning))]
    Skipped {
        folder: String,
        count: usize,
        names: String,
        /// The extensions a folder contributes (see [`folder_help`]).
        #[help]
        help: String,
    },
    #[error("找不到规则 {name}")]
    #[diagnostic(code(jixiao::io::unknown_rules))]
    UnknownRules {
        name: String,
        #[help]
        help: String,
    },
}

const LIMITS_HELP: &str = "输入大小有上限（规则文件 10MB，表单文件 20MB，每份表单 10000 个年度目标、100000 项指标，每项指标 1000 项资金来源）；\
超过时报错并说明如何放宽：设置环境变量 JIXIAO_LIMITS，如 JIXIAO_LIMITS=form_bytes=50MB,indicators=200000。";

pub fn main() -> ExitCode {
    let cli = match usage::parse(std::env::args_os()) {
        usage::Parsed::Run(cli) => cli,
        usage::Parsed::Show(text) => {
            return match write_stdout(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    print_report(e.as_ref());
                    exit_code(e.as_ref())
                }
            };
        }
        usage::Parsed::Error(e) => {
            print_report(&e);
            return exit_code(&e);
        }
    };
    let limits = match std::env::var(jixiao::limits::ENV) {
        Ok(text) => text.parse::<Limits>(),
        Err(_) => Ok(Limits::default()),
    };
    match limits {
        Ok(l) => {
            let _ = LIMITS.set(l);
        }
        Err(e) => {
            print_report(&e);
            return exit_code(&e);
        }
    }
    atomic::clean_up_on_signals();
    match run(cli) {
        Ok(code) => code,
        Err(report) => {
            print_report(report.as_ref());
            exit_code(report.as_ref())
        }
    }
}

pub(crate) type Failure = Box<dyn Diagnostic + Send + Sync>;

/// The limits of this run: `JIXIAO_LIMITS`, read once at the start.
static LIMITS: OnceLock<Limits> = OnceLock::new();

/// The input limits of this run (the defaults until `main` has read `JIXIAO_LIMITS`).
pub(crate) fn limits() -> &'static Limits {
    LIMITS.get_or_init(Limits::default)
}

/// The exit status a diagnostic's code calls for ([`Code::exit_status`]): 2 for bad usage
/// (a malformed or unknown `--set`, a malformed `JIXIAO_LIMITS`, an output that would
/// replace an input…), 1 for bad input.
pub(crate) fn exit_code(diag: &dyn Diagnostic) -> ExitCode {
    ExitCode::from(catalogued(diag).map_or(1, Code::exit_status))
}

/// The diagnostic's code as its catalogue variant. A code shown but missing from
/// [`Code::ALL`] is a bug: it stops a debug build (so every test that shows it fails) and
/// counts as bad input in a release build.
fn catalogued(diag: &dyn Diagnostic) -> Option<Code> {
    let code = diag.code()?.to_string();
    let known = Code::of(&code);
    debug_assert!(known.is_some(), "{code} is not in jixiao::Code::ALL");
    known
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Lsp => lsp::run(),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut usage::command(), "jixiao", &mut script);
            write_stdout_bytes(&script)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules => {
            let mut out = String::new();
            for name in jixiao::bundled_names() {
                let rules = jixiao::bundled(name).and_then(|s| jixiao::compile(&s).ok());
                let title = rules.as_ref().and_then(|r| r.title()).unwrap_or_default();
                let (basis, year) = match rules.as_ref().and_then(|r| r.basis()) {
                    Some((d, y)) => (d, y.map(|y| format!("{y}年起")).unwrap_or_default()),
                    None => ("", String::new()),
                };
                let fields = [name, title, basis, &year].map(|f| jixiao::text::escaped(f, false));
                out.push_str(fields.join("\t").trim_end());
                out.push('\n');
            }
            write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads, loads and scores one form file.
pub(crate) fn score_file(
    rules: &Rules,
    path: &Path,
    weights: jixiao::import::Weights,
) -> Result<Outcome<'static>, Failure> {
    let form = input::load_form_file(path, weights)?;
    let mut outcome = jixiao::evaluate(rules, &form).map_err(|e| Box::new(e) as Failure)?;
    form.warn(&mut outcome);
    Ok(outcome.into_owned())
}

/// The form files named on the command line: files as given, folders expanded to the
/// forms directly inside them (`.toml`, and the workbooks, Word documents, PDFs and CSV
/// files that departments keep their forms in: [`is_form_file`]), in name order.
/// Office's lock files (`~$…`) are skipped, and so is anything that is not a file (a
/// folder, a named pipe, which would block reading). A broken link or a loop of links is kept, so that it is reported when
/// it is read rather than silently left out. Only one level is read, so a loop of
/// folders cannot make this run forever.
pub(crate) fn expand_forms(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| {
                Box::new(IoError::Read {
                    path: p.display().to_string(),
                    reason: io_reason(&e),
                }) as Failure
            })?;
            let (mut found, mut skipped): (Vec<PathBuf>, Vec<PathBuf>) = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| f.is_file() || is_dangling_link(f))
                .filter(|f| !is_hidden(f))
                .partition(|f| is_form_file(f));
            found.sort();
            out.extend(found);
            if !skipped.is_empty() {
                skipped.sort();
                print_report(&IoError::Skipped {
                    folder: p.display().to_string(),
                    count: skipped.len(),
                    names: skipped
                        .iter()
                        .take(5)
                        .map(|f| {
                            f.file_name()
                                .unwrap_or_default()
                                .to_string_lossy()
                                .into_owned()
                        })
                        .collect::<Vec<_>>()
                        .join("、")
                        + if skipped.len() > 5 { " 等" } else { "" },
                    help: folder_help(),
                });
            }
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A symbolic link that leads nowhere: missing target, or a loop.
fn is_dangling_link(path: &Path) -> bool {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    link && std::fs::metadata(path).is_err()
}

/// A dot file (`.DS_Store`), which no one means as a form.
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// A form a folder contributes: a `.toml` file, or one in a format
/// [`jixiao::import::Format::in_folders`] says a folder holds forms in; not Office's lock
/// files (`~$…`).
fn is_form_file(path: &Path) -> bool {
    let lock = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("~$"));
    let ext = path.extension().map(|x| x.to_string_lossy().to_lowercase());
    !lock
        && ext.is_some_and(|ext| {
            ext == "toml"
                || jixiao::import::Format::from_extension(&ext).is_some_and(|f| f.in_folders())
        })
}

/// What `jixiao::io::skipped` says a folder contributes, from the import formats' table.
fn folder_help() -> String {
    use jixiao::import::Format;
    let named: Vec<String> = Format::ALL
        .into_iter()
        .filter(|f| !f.in_folders())
        .map(|f| format!("{}（.{}）", f.label(), f.extensions().join("、.")))
        .collect();
    format!(
        "文件夹中只读取 .toml、{} 表单（~$ 开头的是 Excel 的临时文件）；{}请直接写出文件名，其他格式请先另存为以上格式",
        Format::in_folder_extensions().join("、"),
        named.join("、")
    )
}

/// Compiles the rules `args` name, with their `--set` parameters applied.
pub(crate) fn load_rules(args: &RulesArgs) -> Result<Rules, Failure> {
    load_rules_spec(args.rules.as_deref(), &args.set)
}

/// Compiles the rules named by `spec` (a file, a bundled name, or the default when
/// `None`), with `set` parameters (`NAME=VALUE`) applied.
pub(crate) fn load_rules_spec(spec: Option<&str>, set: &[String]) -> Result<Rules, Failure> {
    let settings = set
        .iter()
        .map(|s| s.parse::<jixiao::Setting>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Box::new(e) as Failure)?;
    let source = rules_source(spec)?;
    jixiao::compile_with_limits(&source, &FileResolver, &settings, limits())
        .map_err(|e| Box::new(e) as Failure)
}

/// Finds `extends` targets (and the forms of rule tests): a file relative to the
/// extending file, in its folder or below, else a bundled name. A path that leads out of
/// that folder is refused before it is read (see [`confined`]); the file named on the
/// command line may be anywhere.
pub(crate) struct FileResolver;

impl jixiao::Resolve for FileResolver {
    fn resolve(&self, name: &str, from: &Source) -> Result<Source, Unresolved> {
        let dir = Path::new(from.name()).parent().unwrap_or(Path::new(""));
        let path = confined(dir, name)?;
        // Anything there but a folder is read as a rule file named on the command line is
        // (a pipe too): within the size limit, UTF-8 or GBK; the reason shows in the
        // `unknown_base` diagnostic.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_dir()) {
            return read_source(&path, Input::Rules)
                .map_err(|e| Unresolved::Missing(e.to_string()));
        }
        jixiao::bundled(name).ok_or_else(|| {
            Unresolved::Missing(format!("既不是内置规则，也没有文件 {}", path.display()))
        })
    }
}

/// `dir/name`, when it lies in `dir` or below: `name` must be a relative path whose `..`
/// never climbs above `dir`, and, where the file exists, its real path (all symbolic links
/// followed) must lie in `dir`'s. Otherwise [`Unresolved::Outside`], before anything is
/// read: `extends "/etc/shadow"` would otherwise show the first lines of the file in the
/// syntax error it makes.
fn confined(dir: &Path, name: &str) -> Result<PathBuf, Unresolved> {
    use std::path::Component;
    let outside = |why: &str| Err(Unresolved::Outside(why.to_owned()));
    let rel = Path::new(name);
    if rel.is_absolute() || rel.has_root() {
        return outside("这是绝对路径，不在本文件所在的文件夹中");
    }
    let mut depth = 0_usize;
    for part in rel.components() {
        match part {
            Component::Normal(_) => depth += 1,
            Component::ParentDir if depth == 0 => {
                return outside("「..」跳出了本文件所在的文件夹");
            }
            Component::ParentDir => depth -= 1,
            Component::CurDir => {}
            Component::Prefix(_) | Component::RootDir => {
                return outside("这是绝对路径，不在本文件所在的文件夹中");
            }
        }
    }
    let path = normalize(&dir.join(rel));
    let root = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let (Ok(real), Ok(root)) = (path.canonicalize(), root.canonicalize()) {
        if !real.starts_with(&root) {
            return outside("经符号链接指向本文件所在文件夹之外");
        }
    }
    Ok(path)
}

/// `a/./b/../c` → `a/c`, lexically, so one file has one name in an `extends` chain.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The rule file named on the command line: a file if one exists at that path, else a
/// bundled rule set of that name; the default set when none is named.
fn rules_source(arg: Option<&str>) -> Result<Source, Failure> {
    Ok(match arg {
        None => bundled_or_err(jixiao::DEFAULT_RULES)?,
        Some(a) if Path::new(a).exists() => read_source(Path::new(a), Input::Rules)?,
        Some(a) => match jixiao::bundled(a) {
            Some(s) => s,
            None if a.ends_with(".rules") || a.contains('/') => {
                read_source(Path::new(a), Input::Rules)?
            }
            None => bundled_or_err(a)?,
        },
    })
}

fn bundled_or_err(name: &str) -> Result<Source, Failure> {
    jixiao::bundled(name).ok_or_else(|| {
        let names = jixiao::bundled_names();
        let list = format!(
            "--rules 接受规则文件路径或内置规则名；内置规则：{}",
            names.join("、")
        );
        let help = match jixiao::suggest::did_you_mean(name, names.iter().copied()) {
            Some(likely) => format!("是不是 {likely}？{list}"),
            None => list,
        };
        Box::new(IoError::UnknownRules {
            name: name.to_owned(),
            help,
        }) as Failure
    })
}

/// What a file read is, for its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// A rule file: [`Limits::rule_bytes`].
    Rules,
    /// A form, in any layout: [`Limits::form_bytes`].
    Form,
}

/// An output that is one of the run's inputs: writing it would destroy the input.
#[derive(Debug, Error, Diagnostic)]
#[error("输出文件 {output} 就是输入文件 {input}，写入会覆盖它")]
#[diagnostic(
    code(jixiao::usage::output_is_input),
    help(
        "用 -o 指定另一个文件名；输出不能是表单、文件夹中的表单、规则文件或它继承（extends）的文件"
    )
)]
struct OutputIsInput {
    output: String,
    input: String,
}

/// Every file read so far: rule files, the files they extend, forms.
static READ: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Refuses `output` when it is the same file (not just the same name: through links,
/// see [`atomic::file_id`]) as one of `inputs` or as a file already read.
pub(crate) fn refuse_input_as_output(output: &Path, inputs: &[PathBuf]) -> Result<(), Failure> {
    let Some(id) = atomic::file_id(output) else {
        return Ok(());
    };
    let read = READ
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    match inputs
        .iter()
        .chain(&read)
        .find(|p| atomic::file_id(p).is_some_and(|i| i == id))
    {
        Some(input) => Err(Box::new(OutputIsInput {
            output: output.display().to_string(),
            input: input.display().to_string(),
        })),
        None => Ok(()),
    }
}

/// Reads a file's bytes within its size limit. A regular file over the limit is refused
/// by its size before it is read; anything else is read at most one byte past the limit,
/// so a named pipe (`jixiao score <(cat form.toml)`), `/dev/stdin`, a device or a file
/// under `/proc` (whose size the system gives as 0), or a file that grows while it is
/// read, is refused once it passes the limit (by at most one block of 64 KB) rather than
/// read until memory runs out. A
/// path that cannot be read (missing, a folder, a loop of symbolic links, no permission)
/// is `jixiao::io::read`.
pub(crate) fn read_bytes(path: &Path, input: Input) -> Result<Vec<u8>, Failure> {
    use std::io::Read as _;
    READ.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(path.to_path_buf());
    let display = path.display().to_string();
    let read_error = |e: std::io::Error| {
        Box::new(IoError::Read {
            path: display.clone(),
            reason: io_reason(&e),
        }) as Failure
    };
    let limits = limits();
    let limit = match input {
        Input::Rules => limits.rule_bytes,
        Input::Form => limits.form_bytes,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    if meta.is_file() {
        match input {
            Input::Rules => limits.check_rule_bytes(&display, meta.len()),
            Input::Form => limits.check_form_bytes(&display, meta.len()),
        }
        .map_err(|e| Box::new(e) as Failure)?;
    }
    // Read in whole blocks (some files under /proc refuse reads of odd sizes), stopping
    // at the first block that passes the limit.
    let expected = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).min(limit));
    let mut block = vec![0_u8; 64 * 1024];
    loop {
        match file.read(&mut block) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&block[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(e)),
        }
        if bytes.len() > limit {
            let over = match input {
                Input::Rules => limits.rule_bytes_unfinished(&display),
                Input::Form => limits.form_bytes_unfinished(&display),
            };
            return Err(Box::new(over));
        }
    }
    Ok(bytes)
}

/// An output (a file, stdout, or the temporary folder a batch spools to) that could not
/// be written. A regular file is replaced atomically, so whatever it held before is left
/// as it was.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("无法写入 {path}：{reason}")]
#[diagnostic(
    code(jixiao::io::write),
    help("检查输出位置：文件所在的文件夹是否存在、是否可写、磁盘是否已满；原有文件未被改动")
)]
pub(crate) struct WriteError {
    path: String,
    reason: String,
}

/// The [`WriteError`] for `path`.
pub(crate) fn write_error(path: &Path, e: &WriteFailure) -> Failure {
    Box::new(WriteError {
        path: path.display().to_string(),
        reason: e.reason(),
    })
}

/// Reads a rule file or a TOML form as text (see [`decode`]).
pub(crate) fn read_source(path: &Path, input: Input) -> Result<Source, Failure> {
    let display = path.display().to_string();
    let bytes = read_bytes(path, input)?;
    let text = decode(&bytes, &display)?;
    Ok(Source::new(display, text))
}

/// UTF-8 (with or without BOM) as it is; otherwise GBK/GB18030, as files from Chinese
/// Windows and Excel often are, decoded with a warning that says so. Anything else
/// (UTF-16, a workbook, Big5, a Western code page) is refused with what the bytes look
/// like, never decoded wrongly (see [`jixiao::source::decode`]).
fn decode(bytes: &[u8], path: &str) -> Result<String, Failure> {
    match jixiao::source::decode(bytes) {
        Ok((text, jixiao::source::Encoding::Utf8)) => Ok(text),
        Ok((text, jixiao::source::Encoding::Gb18030)) => {
            print_report(&IoError::DecodedGbk {
                path: path.to_owned(),
            });
            Ok(text)
        }
        Err(e) => Err(Box::new(IoError::Encoding {
            path: path.to_owned(),
            found: e.found,
            help: if e.document {
                "文件不必另存：把扩展名改回原来的（.xlsx、.docx、.pdf 等），jixiao score 可直接读取，jixiao import 可转换为 TOML"
            } else {
                "用文本编辑器把文件另存为 UTF-8 编码（Windows 记事本：另存为 → 编码 UTF-8）"
            },
        })),
    }
}

/// `o` with every text safe to print on a terminal (control characters and bidirectional
/// overrides written out, line breaks kept; [`jixiao::text::escaped`]): what each output
/// for people (table, explanation, audit, diff table) renders, so that a name in a form
/// cannot move the cursor over the printed total.
pub(crate) fn for_terminal(o: &Outcome) -> Outcome<'static> {
    o.clone()
        .map_texts(&|t| std::borrow::Cow::Owned(jixiao::text::escaped(&t, true).into_owned()))
}

/// Writes `bytes` to stdout. A closed pipe (`jixiao score f | head -1`) ends the run
/// quietly, as SIGPIPE ends other Unix tools (see [`atomic::end_as_if_signalled`]); any
/// other failure (`> /dev/full`) is `jixiao::io::write`.
pub(crate) fn write_stdout_bytes(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) => Err(stdout_error(e)),
    }
}

/// [`write_stdout_bytes`] for text.
pub(crate) fn write_stdout(text: &str) -> Result<(), Failure> {
    write_stdout_bytes(text.as_bytes())
}

/// A failed write to stdout: the end of the run when the reader has gone, else the
/// error to report.
pub(crate) fn stdout_error(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        atomic::end_as_if_signalled();
    }
    Box::new(WriteError {
        path: "标准输出".to_owned(),
        reason: WriteFailure::Os(atomic::Step::Write, e).reason(),
    })
}

/// Writes `text` to stderr. A failure is ignored: there is nowhere left to report it, and
/// the run's exit status still says how it went.
pub(crate) fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Prints a diagnostic on stderr ([`render_report`], [`write_stderr`]).
pub(crate) fn print_report(diag: &dyn Diagnostic) {
    write_stderr(&render_report(diag));
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

pub(crate) fn color_stdout() -> bool {
    !no_color() && std::io::stdout().is_terminal()
}

/// Renders a diagnostic for stderr: colour only on a terminal without NO_COLOR, and no
/// source line longer than [`jixiao::source::LONG_LINE`] characters (see
/// [`jixiao::source::Printable`]).
pub(crate) fn render_report(diag: &dyn Diagnostic) -> String {
    if cfg!(debug_assertions) {
        catalogued(diag);
        diag.related().into_iter().flatten().for_each(|d| {
            catalogued(d);
        });
    }
    let diag = jixiao::source::Printable::new(diag);
    let color = !no_color() && std::io::stderr().is_terminal();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let width = if color {
        terminal_width().unwrap_or(100)
    } else {
        100
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(jixiao::source::CONTEXT_LINES);
    let mut out = String::new();
    if handler.render_report(&mut out, &diag).is_err() {
        out = format!("错误：{diag}\n");
    }
    out
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}
