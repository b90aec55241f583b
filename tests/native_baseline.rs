//! The native baseline of the benchmarks agrees with the interpreter, score by score,
//! on every generated form the benchmarks use (the first 1,000 of seed 1).

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
mod generator;
#[path = "../benches/common/native.rs"]
mod native;

#[test]
fn the_native_baseline_agrees_with_the_interpreter_on_generated_forms() {
    let rules = crate::support::hubei();
    for i in 0..1000 {
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
