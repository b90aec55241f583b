//! The command line as users meet it: clap's command built from [`super::Cli`] with help in
//! Chinese (headings, the help and version flags, defaults and possible values), and
//! clap's parse errors turned into diagnostics with a `jixiao::usage::*` code and a help
//! line in Chinese, shown like every other diagnostic and ending the run with status 2.
//!
//! Input: the process's arguments. Output: the parsed [`super::Cli`], or the text to
//! print for `--help`/`--version` (status 0), or a [`UsageError`] (status 2).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use miette::Diagnostic;
use thiserror::Error;

use super::Cli;

/// What parsing the command line gave.
pub(crate) enum Parsed {
    /// Arguments to run.
    Run(Cli),
    /// `--help` or `--version`: the text for stdout.
    Show(String),
    /// Bad usage.
    Error(UsageError),
}

/// Parses `args` (the program name first).
///
/// A command line that parses is read with clap's own command: the Chinese one costs
/// more to build than the rest of a short run's start, and its words are only read when
/// something is shown. Help, version and every error are then parsed again with it, so
/// that they come out in Chinese; it accepts the same command lines, less clap's own
/// `help` subcommand and flags, which only ever end a run.
pub(crate) fn parse(args: impl IntoIterator<Item = OsString>) -> Parsed {
    let args: Vec<OsString> = args.into_iter().collect();
    if let Ok(matches) = Cli::command().try_get_matches_from(&args) {
        if let Ok(cli) = Cli::from_arg_matches(&matches) {
            return Parsed::Run(cli);
        }
    }
    let matches = match command().try_get_matches_from_mut(args) {
        Ok(m) => m,
        Err(e) => return from_clap(&e),
    };
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => Parsed::Run(cli),
        Err(e) => from_clap(&e),
    }
}

/// The `jixiao` command with its help in Chinese, as parsing and the shell completions
/// see it.
pub(crate) fn command() -> Command {
    chinese(Cli::command(), None)
}

/// `command` and its subcommands with Chinese headings, flags and value lists; `parent`
/// is the command line before it (`jixiao`), `None` for the top.
fn chinese(command: Command, parent: Option<&str>) -> Command {
    let top = parent.is_none();
    let path = match parent {
        Some(p) => format!("{p} {}", command.get_name()),
        None => command.get_name().to_owned(),
    };
    let mut command = command
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(arg_in_chinese)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    command = if top {
        command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        )
    } else {
        command
    };
    command = command.mut_subcommands(|s| chinese(s, Some(&path)));
    let usage = command.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ");
    // clap renders a subcommand's usage without its parent; an `override_usage` of ours
    // already starts with the whole command.
    let usage = if usage.starts_with(&path) {
        usage.to_owned()
    } else {
        match usage.split_once(' ') {
            Some((_, rest)) => format!("{path} {rest}"),
            None => path,
        }
    };
    command.override_usage(usage.replace("[OPTIONS]", "[选项]"))
}

/// One argument's help in Chinese: under 参数 or 选项, with its default and possible
/// values written out in Chinese rather than by clap.
fn arg_in_chinese(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let takes_values = arg.get_action().takes_values();
    let values: Vec<String> = if takes_values {
        arg.get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| match v.get_help() {
                Some(h) => format!("{} = {h}", v.get_name()),
                None => v.get_name().to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };
    if !values.is_empty() {
        help.push_str(&format!("。可选：{}", values.join("；")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !help.contains("默认") {
        help.push_str(&format!("。默认：{}", defaults.join("、")));
    }
    arg.help_heading(heading)
        .help(help.clone())
        .long_help(help)
        .hide_possible_values(takes_values)
        .hide_default_value(takes_values)
}

/// A command line that clap could not parse, in Chinese.
#[derive(Debug, Error, Diagnostic)]
pub(crate) enum UsageError {
    #[error("没有这个命令：{name}")]
    #[diagnostic(code(jixiao::usage::unknown_command))]
    UnknownCommand {
        name: String,
        #[help]
        help: String,
    },
    #[error("缺少命令")]
    #[diagnostic(code(jixiao::usage::missing_command))]
    MissingCommand {
        #[help]
        help: String,
    },
    #[error("不认识的选项：{name}")]
    #[diagnostic(code(jixiao::usage::unknown_option))]
    UnknownOption {
        name: String,
        #[help]
        help: String,
    },
    #[error("{message}")]
    #[diagnostic(code(jixiao::usage::missing_argument))]
    MissingArgument {
        message: String,
        #[help]
        help: String,
    },
    #[error("{option} 的值 {value} 无效")]
    #[diagnostic(code(jixiao::usage::invalid_value))]
    InvalidValue {
        option: String,
        value: String,
        #[help]
        help: String,
    },
    #[error("{message}")]
    #[diagnostic(code(jixiao::usage::bad_arguments))]
    Other {
        message: String,
        #[help]
        help: String,
    },
}

/// The first string clap gives for `kind`.
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => v.first().map(ToString::to_string),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The option clap names for `kind`, without its value's name: `--format`, not
/// `--format <FORMAT>` (a positional argument keeps its `<FORM>...`).
fn option(e: &clap::Error, kind: ContextKind) -> String {
    let named = context(e, kind).unwrap_or_default();
    let name = if named.starts_with('-') {
        named.split(' ').next().unwrap_or_default().to_owned()
    } else {
        named
    };
    shown(&name)
}

/// Every string clap gives for `kind`.
fn contexts(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

/// `用法：jixiao score [选项] <FORM>...`, from clap's usage line.
fn usage_line(e: &clap::Error) -> String {
    context(e, ContextKind::Usage)
        .map(|u| format!("用法：{}", u.trim().trim_start_matches("Usage: ")))
        .unwrap_or_default()
}

/// `help` and the usage line, one per line.
fn with_usage(help: String, e: &clap::Error) -> String {
    let usage = usage_line(e);
    match (help.is_empty(), usage.is_empty()) {
        (_, true) => help,
        (true, false) => usage,
        (false, false) => format!("{help}\n{usage}"),
    }
}

/// clap's error as what the user is shown: help and version as text, everything else as
/// a [`UsageError`].
// Over 80 lines: one arm per kind of clap error, each with its Chinese message.
fn from_clap(e: &clap::Error) -> Parsed {
    let error = match e.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            missing_command()
        }
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // clap ends a heading with `:`; Chinese text takes `：`.
            let mut text = e.render().to_string();
            for heading in ["参数", "选项", "命令"] {
                text = text.replace(&format!("\n{heading}:\n"), &format!("\n{heading}：\n"));
            }
            return Parsed::Show(text);
        }
        ErrorKind::InvalidSubcommand => {
            let name = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            let help = match context(e, ContextKind::SuggestedSubcommand) {
                Some(s) => format!("是不是 `jixiao {s}`？`jixiao --help` 列出全部命令"),
                None => "`jixiao --help` 列出全部命令".to_owned(),
            };
            UsageError::UnknownCommand {
                name: shown(&name),
                help,
            }
        }
        ErrorKind::UnknownArgument => {
            let name = context(e, ContextKind::InvalidArg).unwrap_or_default();
            let help = match context(e, ContextKind::SuggestedArg) {
                Some(s) => format!("是不是 {s}？"),
                None if name.starts_with('-') => {
                    format!(
                        "若 {} 是文件名，写在 -- 之后：`-- {}`",
                        shown(&name),
                        shown(&name)
                    )
                }
                None => "多了一个参数；检查命令的写法".to_owned(),
            };
            UsageError::UnknownOption {
                name: shown(&name),
                help: with_usage(help, e),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let what = contexts(e, ContextKind::InvalidArg).join("、");
            UsageError::MissingArgument {
                message: format!("缺少参数：{}", shown(&what)),
                help: with_usage(String::new(), e),
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let option = option(e, ContextKind::InvalidArg);
            let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
            let valid = contexts(e, ContextKind::ValidValue);
            let help = if valid.is_empty() {
                String::new()
            } else {
                format!("可选的值：{}", valid.join("、"))
            };
            let help = match context(e, ContextKind::SuggestedValue) {
                Some(s) => format!("是不是 {s}？{help}"),
                None => help,
            };
            // A validator's own message (`容差不能为负数`) says most.
            let help = match std::error::Error::source(e) {
                Some(reason) if help.is_empty() => reason.to_string(),
                Some(reason) => format!("{reason}；{help}"),
                None => help,
            };
            UsageError::InvalidValue {
                option,
                value: if value.is_empty() {
                    "（空）".to_owned()
                } else {
                    shown(&value)
                },
                help: with_usage(help, e),
            }
        }
        kind => UsageError::Other {
            message: match kind {
                ErrorKind::ArgumentConflict => {
                    let arg = option(e, ContextKind::InvalidArg);
                    let prior = option(e, ContextKind::PriorArg);
                    if arg == prior {
                        format!("{arg} 只能给一次")
                    } else {
                        format!("{arg} 不能与 {prior} 同时使用")
                    }
                }
                ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => format!(
                    "{} 的值太多：{}",
                    option(e, ContextKind::InvalidArg),
                    shown(&context(e, ContextKind::InvalidValue).unwrap_or_default())
                ),
                ErrorKind::TooFewValues => {
                    format!("{} 的值太少", option(e, ContextKind::InvalidArg))
                }
                ErrorKind::NoEquals => {
                    format!("{} 的值须用 = 连接", option(e, ContextKind::InvalidArg))
                }
                ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8）".to_owned(),
                _ => "命令行无法解析".to_owned(),
            },
            help: with_usage("`jixiao --help` 说明全部命令和选项".to_owned(), e),
        },
    };
    Parsed::Error(error)
}

/// Reports a usage error found after parsing (a command's own rules about its
/// arguments), with the usage lines of `subcommand` as help; the exit status, 2.
pub(crate) fn reject(kind: ErrorKind, message: &str, subcommand: &str) -> std::process::ExitCode {
    let error = after_parsing(kind, message.to_owned(), subcommand);
    super::print_report(&error);
    super::exit_code(&error)
}

/// The usage error of [`reject`].
fn after_parsing(kind: ErrorKind, message: String, subcommand: &str) -> UsageError {
    let usage = command()
        .find_subcommand_mut(subcommand)
        .map(|c| c.render_usage().to_string())
        .unwrap_or_default();
    let help = format!("用法：{}", usage.trim().trim_start_matches("Usage: "));
    match kind {
        ErrorKind::MissingRequiredArgument => UsageError::MissingArgument { message, help },
        _ => UsageError::Other { message, help },
    }
}

/// No command: the commands there are.
fn missing_command() -> UsageError {
    let names: Vec<String> = command()
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    UsageError::MissingCommand {
        help: format!(
            "在 jixiao 后写一个命令，例如 `jixiao score 表单.toml`。命令有：{}；`jixiao --help` 说明每个命令",
            names.join("、")
        ),
    }
}

/// A text from the command line, safe for a terminal.
fn shown(s: &str) -> String {
    jixiao::text::escaped(s, false).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Parsed {
        parse(
            std::iter::once("jixiao")
                .chain(args.iter().copied())
                .map(OsString::from),
        )
    }

    fn error(args: &[&str]) -> UsageError {
        match parse_args(args) {
            Parsed::Error(e) => e,
            Parsed::Run(_) => panic!("{args:?} parsed"),
            Parsed::Show(s) => panic!("{args:?} showed {s}"),
        }
    }

    #[test]
    fn a_misspelt_command_gets_a_suggestion() {
        let e = error(&["scor", "x.toml"]);
        assert_eq!(e.to_string(), "没有这个命令：scor");
        assert_eq!(
            e.help().map(|h| h.to_string()).as_deref(),
            Some("是不是 `jixiao score`？`jixiao --help` 列出全部命令")
        );
        assert_eq!(
            e.code().map(|c| c.to_string()).as_deref(),
            Some("jixiao::usage::unknown_command")
        );
    }

    #[test]
    fn a_missing_argument_names_it_and_shows_the_usage() {
        let e = error(&["score"]);
        assert_eq!(e.to_string(), "缺少参数：<FORM>...");
        let help = e.help().map(|h| h.to_string()).unwrap_or_default();
        assert_eq!(help, "用法：jixiao score [选项] <FORM>...");
    }

    #[test]
    fn an_invalid_value_lists_the_valid_ones() {
        let e = error(&["score", "x.toml", "--format", "pdf"]);
        assert_eq!(e.to_string(), "--format 的值 pdf 无效");
        let help = e.help().map(|h| h.to_string()).unwrap_or_default();
        assert_eq!(help, "可选的值：table、json、csv、md、xlsx、html");
    }

    #[test]
    fn version_and_top_level_help() {
        let Parsed::Show(version) = parse_args(&["--version"]) else {
            panic!("no version");
        };
        assert_eq!(version, format!("jixiao {}\n", env!("CARGO_PKG_VERSION")));
        let Parsed::Show(help) = parse_args(&["--help"]) else {
            panic!("no help");
        };
        assert!(help.contains("命令：") && help.contains("score"), "{help}");
        assert!(!help.contains("Commands:"), "{help}");
    }
}
