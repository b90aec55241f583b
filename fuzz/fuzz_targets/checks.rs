//! The checks every fuzz target makes, in one file shared by the targets (fuzz/) and the
//! regression tests (tests/fuzz_regressions.rs, which replays every input the fuzzers
//! found under tests/fuzz-cases/ through the same functions). Each renders diagnostics
//! the way the CLI does, so a label miette cannot draw is found here, not by a user.

#![allow(dead_code)]

use jixiao::check::Bundled;
use jixiao::form::{Parsed, parse_value};
use jixiao::import::{Format, Options, Weights, import};
use jixiao::syntax::format::{Keywords, format};
use jixiao::{Source, compile_with, load_form};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use rust_decimal::Decimal;

/// A rule file from raw bytes: decoding, parsing, checking, `fmt`, the file's own tests
/// and the lints of `jixiao check`. Nothing may panic; a file that parses must format to
/// a file that parses to the same rules, and formatting twice changes nothing.
pub fn rules(data: &[u8]) {
    let Ok((text, _)) = jixiao::source::decode(data) else {
        return;
    };
    let source = Source::new("fuzz.rules", text);
    let compiled = compile_with(&source, &Bundled, &[]);
    match &compiled {
        Ok(rules) => {
            let _ = jixiao::rule_tests::run_tests(rules, &Bundled);
            let _ = jixiao::lint::lint_rules(rules);
            let _ = rules.canonical();
        }
        Err(err) => {
            render(err);
        }
    }
    for keywords in [Keywords::Keep, Keywords::Zh] {
        let Ok(formatted) = format(&source, keywords) else {
            continue;
        };
        let again = Source::new("formatted.rules", formatted.clone());
        match format(&again, keywords) {
            Ok(twice) => assert_eq!(formatted, twice, "formatting twice changes nothing"),
            Err(err) => panic!("fmt output does not parse: {}\n{formatted}", render(&err)),
        }
        if let Ok(rules) = &compiled {
            match compile_with(&again, &Bundled, &[]) {
                Ok(reformatted) => assert_eq!(
                    rules.canonical(),
                    reformatted.canonical(),
                    "fmt changed the meaning"
                ),
                Err(err) => panic!("fmt output does not check: {}", render(&err)),
            }
        }
    }
}

/// Characters a unit may begin with that would be read as part of the number if the
/// quantity were written back out (multipliers, comparison suffixes).
const AMBIGUOUS: &[char] = &['千', '万', '百', '亿', '以', ' ', '\t', '\u{3000}'];

/// One form cell through the value parser (`4000人次`, `≤1,234.5万元`, `不低于95%`).
/// Nothing may panic; an error's offset lies on character boundaries of the cell; a
/// quantity is normalized, its unit holds no digit or `%`, and writing it back out in
/// plain form reads back as the same quantity.
pub fn value(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    match parse_value(raw) {
        Err(err) => {
            assert!(err.offset.start <= err.offset.end, "{err:?}");
            assert!(
                raw.get(err.offset.clone()).is_some(),
                "offset inside a character: {err:?}"
            );
            assert!(!err.message.is_empty() && !err.help.is_empty());
        }
        Ok(Parsed::Text(text)) => assert_eq!(text, text.trim(), "text is trimmed"),
        Ok(Parsed::Quantity(q)) => {
            assert_eq!(q.number, q.number.normalize(), "not normalized: {raw:?}");
            assert_eq!(
                q.number.scale(),
                q.number.normalize().scale(),
                "not normalized: {raw:?}"
            );
            assert!(
                !q.unit
                    .contains(|c: char| c.is_ascii_digit() || c == '%' || c == '％'),
                "unit {:?} from {raw:?}",
                q.unit
            );
            if q.unit.starts_with(AMBIGUOUS)
                || q.unit.ends_with(AMBIGUOUS)
                || q.unit.contains(char::is_whitespace)
                || ["以上", "以下", "以内"].iter().any(|w| q.unit.contains(w))
            {
                return;
            }
            // `1.5亿` can denote more significant digits than a number may be written with.
            if q.number.mantissa().unsigned_abs() >= 10u128.pow(28) {
                return;
            }
            let written = if q.percent {
                match q.number.checked_mul(100.into()) {
                    Some(n) => format!("{}{}%", q.cmp.ascii(), n.normalize()),
                    None => return,
                }
            } else {
                // A space before the unit, as a unit may begin with `,` or `.`.
                format!("{}{} {}", q.cmp.ascii(), q.number, q.unit)
            };
            match parse_value(&written) {
                Ok(Parsed::Quantity(mut again)) => {
                    // Written back plainly, `1.5万元` is `15000 元`: the same quantity, its
                    // multiplier already applied.
                    again.multiplier = q.multiplier;
                    assert_eq!(again, q, "{raw:?} written back as {written:?}")
                }
                other => panic!("{raw:?} written back as {written:?} reads as {other:?}"),
            }
        }
    }
}

/// A form file from raw bytes: decoding, the TOML loader, then scoring with every bundled
/// rule set and every report of the result. Nothing may panic, and a scored form keeps
/// the bounds in `score`.
pub fn form(data: &[u8]) {
    let Ok((text, _)) = jixiao::source::decode(data) else {
        return;
    };
    match load_form(&Source::new("fuzz.toml", text)) {
        Err(errs) => {
            render(&errs);
        }
        Ok(form) => {
            let _ = jixiao::lint::lint_form_without_rules(&form);
            for rules in bundled_rules() {
                score(rules, &form);
            }
        }
    }
}

/// Errors in the shape of the TOML rather than in a cell's value: the importer's fault.
const LAYOUT_ERRORS: &[&str] = &["jixiao::form::toml", "jixiao::form::entries_with_values"];

/// A form as tab-separated text, CSV or a workbook, as `jixiao import` reads it (the first
/// byte picks the format: `X` a workbook, else even text, odd CSV). Nothing may panic, and
/// every form the importer writes is valid TOML in the
/// form's layout: it may still fail to load, but only for what its cells say (a unit that
/// differs between target and actual, say), which the loader reports against the comments
/// naming each cell, as `jixiao import` does.
pub fn import_text(data: &[u8]) {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let format = if first == b'X' {
        Format::Workbook
    } else if first & 1 == 0 {
        Format::Text
    } else {
        Format::Csv
    };
    let weights = if first & 2 == 0 {
        Weights::Given
    } else {
        Weights::Reported
    };
    let options = Options {
        weights,
        ..Options::default()
    };
    match import("fuzz", bytes, format, &options) {
        Err(errs) => {
            render(&errs);
        }
        Ok(imported) => {
            if let Err(errs) = load_form(&Source::new("imported.toml", imported.toml.clone())) {
                let rendered = render(&errs);
                for err in &errs.errors {
                    let code = err.code().map(|c| c.to_string()).unwrap_or_default();
                    assert!(
                        !LAYOUT_ERRORS.contains(&code.as_str()),
                        "the importer wrote a malformed form:\n{rendered}\n{}",
                        imported.toml
                    );
                }
            }
        }
    }
}

/// Renders a diagnostic as the CLI does; every diagnostic has a code.
pub fn render(diag: &dyn Diagnostic) -> String {
    let diag = jixiao::source::Printable::new(diag);
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    // The CLI falls back to the message alone when rendering fails; that is not a crash.
    let _ = handler.render_report(&mut out, &diag);
    let code = diag.code().map(|c| c.to_string());
    assert!(
        code.as_deref().and_then(jixiao::Code::of).is_some(),
        "every diagnostic has a catalogued code (jixiao::Code): {code:?} {diag}"
    );
    out
}

/// Everything the CLI does with a scored form: JSON, the reports, explain, audit and diff
/// (the xlsx workbook needs the xlsx feature, which the fuzz crate leaves off).
pub fn exercise(outcome: &jixiao::Outcome) {
    use jixiao::report::{audit, diff, explain, export};
    serde_json::to_string(outcome).expect("an outcome serializes");
    let _ = export::markdown::form(outcome);
    let _ = export::csv::form(outcome);
    let _ = export::html::form(outcome);
    let everything = explain::all(outcome);
    let explanation = explain::explain(outcome, &everything);
    serde_json::to_string(&explanation).expect("an explanation serializes");
    for s in &everything {
        let _ = explain::path(outcome, *s);
    }
    let _ = explain::text::header(outcome);
    let _ = explain::text::render(outcome, &explanation, true);
    let audited = audit::audit(outcome, Decimal::new(1, 2));
    for row in &audited.rows {
        let _ = audit::text::cells(row);
    }
    let _ = (audit::text::sums(&audited), audit::text::verdict(&audited));
    let compared = diff::diff_outcomes(outcome, outcome);
    let rules = diff::RulesRef {
        id: outcome.rules.id.to_string(),
        title: None,
        file: outcome.rules.file.to_string(),
        set: Vec::new(),
        places: Some(2),
    };
    let report = diff::Report::new(
        diff::Mode::Rules,
        true,
        rules.clone(),
        rules,
        vec![compared],
        Vec::new(),
    );
    let _ = (
        diff::markdown::render(&report),
        diff::csv::render(&report),
        diff::json::render(&report),
    );
    for d in &report.diffs {
        let _ = diff::view::shown(d, true);
    }
}

/// The bundled rule sets, compiled once per process.
pub fn bundled_rules() -> &'static [jixiao::Rules] {
    static RULES: std::sync::OnceLock<Vec<jixiao::Rules>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        jixiao::bundled_names()
            .into_iter()
            .map(|name| {
                let source = jixiao::bundled(name).expect("a bundled name");
                jixiao::compile(&source).expect("the bundled rules compile")
            })
            .collect()
    })
}

/// Scores `form` with `rules`; a scored form is exercised and checked against the bounds
/// every bundled rule set keeps: no score below 0, none above its weight by more than the
/// rounding, a total within the weights.
pub fn score(rules: &jixiao::Rules, form: &jixiao::Form) {
    match jixiao::evaluate(rules, form) {
        Err(err) => {
            render(&err);
        }
        Ok(outcome) => {
            exercise(&outcome);
            let _ = jixiao::lint::lint_form(rules, form);
            let cent = Decimal::new(1, 2);
            assert!(outcome.budget.score >= Decimal::ZERO);
            assert!(
                outcome.budget.score <= outcome.budget.weight,
                "budget {outcome:?}"
            );
            // A goal's indicators may carry more weight than the goal (the form's error,
            // warned about); scores are bounded by the larger, plus each rounding.
            let mut bound = outcome.budget.weight + cent;
            for goal in &outcome.goals {
                assert!(goal.score >= Decimal::ZERO, "goal {goal:?}");
                let most = goal.weight.max(goal.indicator_weight)
                    + cent * Decimal::from(goal.indicators.len() + 1);
                assert!(goal.score <= most, "goal {goal:?}");
                bound += most;
                for ind in &goal.indicators {
                    if let Some(score) = ind.score {
                        assert!(score >= Decimal::ZERO, "indicator {ind:?}");
                    }
                }
            }
            assert!(outcome.total >= Decimal::ZERO);
            assert!(outcome.total <= bound, "total {outcome:?}");
        }
    }
}

/// A rule file written by the `evaluate` target (or kept from it under
/// tests/fuzz-cases/evaluate/) applied to a loaded form: nothing may panic.
pub fn written(rules_text: &str, form: &jixiao::Form) {
    let source = Source::new("fuzz.rules", rules_text);
    let compiled = compile_with(&source, &Bundled, &[]);
    // `FUZZ_DEBUG=1 cargo fuzz run evaluate CORPUS -- -runs=0` shows what the corpus's
    // rule files are and whether they check.
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        let verdict = compiled.as_ref().map_or("error", |_| "ok");
        eprintln!("---\n{rules_text}=> {verdict}");
    }
    match compiled {
        Ok(rules) => match jixiao::evaluate(&rules, form) {
            Ok(outcome) => exercise(&outcome),
            Err(err) => {
                render(&err);
            }
        },
        Err(err) => {
            render(&err);
        }
    }
}
