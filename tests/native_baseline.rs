//! The native baseline of the benchmarks agrees with the interpreter, score by score,
//! on the generated forms the benchmarks use: all of them (the first 1,000 of seed 1)
//! under CI, the first 200 in a developer's `cargo test` ([`crate::support::cases`]).

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
pub(crate) mod generator;
#[path = "../benches/common/native.rs"]
mod native;

#[test]
fn the_native_baseline_agrees_with_the_interpreter_on_generated_forms() {
    let rules = crate::support::hubei();
    for i in 0..crate::support::cases(200, 1000) as usize {
        let text = generator::form(1, i);
        let form = jixiao::load_form(&jixiao::Source::new(format!("gen-{i}.toml"), text))
            .unwrap_or_else(|e| panic!("form {i}: {}", crate::support::render(&e)));
        let outcome = jixiao::evaluate(&rules, &form)
            .unwrap_or_else(|e| panic!("form {i}: {}", crate::support::render(&e)));
        let native = native::score(&form);
        let interpreted: Vec<_> = outcome
            .goals
            .iter()
            .flat_map(|g| g.indicators.iter().map(|i| i.score))
            .collect();
        assert_eq!(interpreted, native.indicators, "form {i}");
        assert_eq!(outcome.budget.score, native.budget, "form {i}");
        assert_eq!(outcome.total, native.total, "form {i}");
    }
}

#[test]
fn generated_forms_are_deterministic_and_realistic() {
    assert_eq!(generator::form(1, 7), generator::form(1, 7));
    assert_ne!(generator::form(1, 7), generator::form(2, 7));
    for i in 0..50 {
        let form = jixiao::load_form(&jixiao::Source::new("g.toml", generator::form(1, i)))
            .expect("loads");
        let n: usize = form.goals.iter().map(|g| g.indicators.len()).sum();
        assert!(
            (3..=7).contains(&form.goals.len()),
            "form {i}: {} goals",
            form.goals.len()
        );
        assert!((30..=80).contains(&n), "form {i}: {n} indicators");
    }
}

#[test]
fn generated_rule_files_compile() {
    // The parser benchmark's input: the bundled rules grown with parameters and classes.
    let text = generator::big_rules(64 * 1024);
    assert!(text.len() >= 64 * 1024);
    let rules = jixiao::compile(&jixiao::Source::new("big.rules", text))
        .unwrap_or_else(|e| panic!("{}", crate::support::render(&e)));
    assert_eq!(rules.id(), "big");
}

/// The second baseline, which builds the whole outcome by hand, gives the very outcome
/// the interpreter gives without a trace: every text, status, score, difference and
/// warning (compared as the JSON `score --json` writes). The generated forms and the seed
/// form, and seed variants that raise the other warnings: an indicator left unevaluated
/// that is not optional, weights that no longer add up to the goal's or to 100.
#[test]
fn the_native_outcome_is_the_interpreters_outcome() {
    let rules = crate::support::hubei();
    let quiet = jixiao::eval::Options { trace: false };
    let seed = std::fs::read_to_string("examples/tongcheng-2021.toml").expect("seed form");
    let unevaluated = seed.replacen("actual = \"3916人次\"\n", "", 1);
    let reweighted = seed.replacen("weight = 10\n", "weight = 12\n", 1);
    assert!(
        unevaluated != seed && reweighted != seed,
        "the seed form changed"
    );
    let texts = (0..crate::support::cases(200, 1000) as usize)
        .map(|i| (format!("gen-{i}.toml"), generator::form(1, i)))
        .chain([
            ("tongcheng-2021.toml".to_owned(), seed),
            ("unevaluated.toml".to_owned(), unevaluated),
            ("reweighted.toml".to_owned(), reweighted),
        ]);
    let mut names = None;
    let mut codes = std::collections::BTreeSet::new();
    for (name, text) in texts {
        let form = jixiao::load_form(&jixiao::Source::new(name.clone(), text))
            .unwrap_or_else(|e| panic!("{name}: {}", crate::support::render(&e)));
        let interpreted = jixiao::evaluate_with(&rules, &form, quiet)
            .unwrap_or_else(|e| panic!("{name}: {}", crate::support::render(&e)));
        let names = names.get_or_insert_with(|| native::Names::new(&interpreted.rules.file));
        let native = native::outcome(&form, names);
        codes.extend(native.warnings.iter().map(|w| w.code));
        assert_eq!(
            serde_json::to_value(&interpreted).expect("json"),
            serde_json::to_value(&native).expect("json"),
            "{name}"
        );
    }
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        [
            "jixiao::eval::not_evaluated",
            "jixiao::eval::omitted",
            "jixiao::eval::total_weight",
            "jixiao::eval::weight_sum",
        ]
    );
}
