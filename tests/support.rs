//! Shared helpers: compiling the bundled rules, scoring small forms, rendering
//! diagnostics the same way every run (no colour, fixed width).

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use rust_decimal::Decimal;

use jixiao::{Outcome, Rules, Source};

pub fn hubei() -> Rules {
    let source = jixiao::bundled("hubei-2021").expect("hubei-2021 is bundled");
    jixiao::compile(&source).unwrap_or_else(|e| panic!("{}", render(&e)))
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

/// Runs the built binary in the crate's folder, without colour and with no terminal
/// width, so output is the same on every machine.
pub fn jixiao(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
