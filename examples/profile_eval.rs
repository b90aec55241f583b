//! Profiling aid: evaluates the seed form (or form 0 of the generator's seed 1) `N` times
//! without tracing, with the interpreter or with the native baseline of benches/.
//! `cargo run --release --example profile_eval -- N [seed|generated] [interp|native|native-outcome]`;
//! under `valgrind --tool=callgrind`, the two modes' instruction counts give the ratio
//! BENCHMARKS.md reports, independent of what else runs on the machine.

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
mod generator;
#[path = "../benches/common/native.rs"]
#[allow(dead_code)]
mod native;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let which = args.get(2).map_or("seed", String::as_str);
    let mode = args.get(3).map_or("interp", String::as_str);
    let rules =
        jixiao::compile(&jixiao::bundled("hubei-2021").expect("bundled")).expect("compiles");
    let source = if which == "generated" {
        jixiao::Source::new("generated.toml", generator::form(1, 0))
    } else {
        let text = std::fs::read_to_string("examples/tongcheng-2021.toml").expect("seed form");
        jixiao::Source::new("seed.toml", text)
    };
    let form = jixiao::load_form(&source).expect("loads");
    let options = jixiao::eval::Options { trace: false };
    let names = native::Names::new(rules.source().name());
    let mut total = rust_decimal::Decimal::ZERO;
    for _ in 0..n {
        total += if mode == "native" {
            native::score(&form).total
        } else if mode == "native-outcome" {
            native::outcome(&form, &names).total
        } else {
            jixiao::evaluate_with(&rules, &form, options)
                .expect("scores")
                .total
        };
    }
    println!("{total}");
}
