//! Profiling aid: evaluates the seed form many times without tracing.
//! `cargo build --release --example profile_eval && perf record ./target/release/examples/profile_eval`
fn main() {
    let rules =
        jixiao::compile(&jixiao::bundled("hubei-2021").expect("bundled")).expect("compiles");
    let text = std::fs::read_to_string("examples/tongcheng-2021.toml").expect("seed form");
    let form = jixiao::load_form(&jixiao::Source::new("seed.toml", text)).expect("loads");
    let options = jixiao::eval::Options { trace: false };
    let mut total = rust_decimal::Decimal::ZERO;
    for _ in 0..20_000 {
        total += jixiao::evaluate_with(&rules, &form, options)
            .expect("scores")
            .total;
    }
    println!("{total}");
}
