//! `jixiao check RULES [FORM...]` (检查): every static check of a rule file, and of forms
//! against it, without scoring. The checks are the library's ([`jixiao::lint`]); this
//! module reads the files, prints the diagnostics and chooses the exit code.
//!
//! Text: each diagnostic rendered by miette on stderr (warnings as warnings), then one
//! summary line on stdout. JSON: one array on stdout, an object per diagnostic.
//! Exit: 1 if there is an error (or a warning, with `--deny-warnings`), else 0; 2 for bad
//! usage, including a `--set` the rules do not declare.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use jixiao::RulesError;
use jixiao::import::Weights;
use jixiao::lint::{self, Lint};

use super::Failure;

/// Check a rule file, and forms against it, without scoring.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// 规则文件，或内置规则名（如 hubei-2021）
    #[arg(value_name = "RULES")]
    rules: String,
    #[arg(value_name = "FORM", help = format!(
        "按规则检查的表单：{}，或其文件夹",
        super::input::readable()
    ))]
    forms: Vec<PathBuf>,
    /// 输出：供人阅读的诊断，或供编辑器和脚本读取的 JSON
    #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// 有警告时退出码也为 1
    #[arg(long)]
    deny_warnings: bool,
    /// 改变规则的一个参数，例如 --set budget_weight=10（可重复）
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    #[command(flatten)]
    converted: super::input::Converted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// 逐条诊断，最后一行汇总
    Text,
    /// JSON 数组：{code, severity, file, line, column, message, help}
    Json,
}

/// The diagnostics of one file.
struct Checked {
    what: &'static str,
    name: String,
    lints: Vec<Lint>,
    /// For a form: whether only the checks that need no rules ran (the rules have errors).
    unchecked: bool,
}

pub(crate) fn run(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let settings = args
        .set
        .iter()
        .map(|s| s.parse::<jixiao::Setting>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Box::new(e) as Failure)?;
    let (rules, rules_part) = check_rules(&args.rules, &settings)?;
    let mut parts = vec![rules_part];
    for path in super::expand_forms(&args.forms)? {
        parts.push(check_form(&path, rules.as_ref(), args.converted.weights));
    }

    let all = || parts.iter().flat_map(|p| &p.lints);
    match args.format {
        CheckFormat::Json => {
            let list: Vec<&Lint> = all().collect();
            super::write_stdout(&jixiao::report::json::pretty(&list))?;
        }
        CheckFormat::Text => {
            let mut err = String::new();
            for lint in all() {
                err.push_str(&super::render_report(lint));
            }
            super::write_stderr(&err);
            super::write_stdout(&summary(&parts))?;
        }
    }
    let failed = all().any(|l| l.is_error() || args.deny_warnings);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads and compiles the rules `spec` names, and lints them: the rules when they
/// compile, and their diagnostics either way. A setting the rules lack is bad usage, as
/// for every other command.
fn check_rules(
    spec: &str,
    settings: &[jixiao::Setting],
) -> Result<(Option<jixiao::Rules>, Checked), Failure> {
    let checked = |name: String, lints| Checked {
        what: "规则",
        name,
        lints,
        unchecked: false,
    };
    let source = match super::rules_source(Some(spec)) {
        Ok(source) => source,
        Err(e) => {
            let lints = vec![Lint::from_diagnostic(e, spec)];
            return Ok((None, checked(spec.to_owned(), lints)));
        }
    };
    let name = source.name().to_owned();
    match jixiao::compile_with_limits(&source, &super::FileResolver, settings, super::limits()) {
        Ok(rules) => {
            let lints = lint::lint_rules(&rules);
            Ok((Some(rules), checked(name, lints)))
        }
        Err(RulesError::Set(e)) => Err(Box::new(e)),
        Err(e) => {
            let lints = lint::rules_error(e, &name);
            Ok((None, checked(name, lints)))
        }
    }
}

/// Reads a form and lints it: against `rules` when they compiled, else only the checks
/// that need none.
fn check_form(path: &Path, rules: Option<&jixiao::Rules>, weights: Weights) -> Checked {
    let name = path.display().to_string();
    let (lints, unchecked) = match super::input::form_source(path, weights) {
        Err(e) => (vec![Lint::from_diagnostic(e, &name)], false),
        Ok(source) => match jixiao::load_form_with_limits(&source, super::limits()) {
            Err(e) => (lint::form_errors(e), false),
            Ok(form) => match rules {
                Some(r) => (lint::lint_form(r, &form), false),
                None => (lint::lint_form_without_rules(&form), true),
            },
        },
    };
    Checked {
        what: "表单",
        name,
        lints,
        unchecked,
    }
}

/// `规则 X：N 个错误，M 个警告；表单 Y：…`
fn summary(parts: &[Checked]) -> String {
    let mut pieces = Vec::with_capacity(parts.len());
    for p in parts {
        // A list cut short ends with a count of the rest: count those too.
        let (errors, warnings) = p
            .lints
            .iter()
            .map(Lint::counts)
            .fold((0, 0), |(e, w), (de, dw)| (e + de, w + dw));
        let mut piece = format!(
            "{} {}：{errors} 个错误，{warnings} 个警告",
            p.what,
            jixiao::text::escaped(&p.name, false)
        );
        if p.unchecked {
            piece.push_str("（规则有错误，只做了不依赖规则的检查）");
        }
        pieces.push(piece);
    }
    let mut out = pieces.join("；");
    out.push('\n');
    out
}
