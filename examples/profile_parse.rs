//! Profiling aid: parses a rule file `N` times (default 1): the generated file of about
//! 1 MB that BENCHMARKS.md's parse figures use, or the file given as the second argument;
//! with `compile` as the third, compiles it (parse and check) instead.
//! `cargo build --release --example profile_parse &&
//!  valgrind --tool=callgrind ./target/release/examples/profile_parse`

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
mod generator;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let source = match std::env::args().nth(2) {
        Some(path) => jixiao::Source::new(&path, std::fs::read_to_string(&path).expect("a file")),
        None => jixiao::Source::new("big.rules", generator::big_rules(1 << 20)),
    };
    let compile = std::env::args().nth(3).is_some_and(|a| a == "compile");
    let mut items = 0;
    for _ in 0..n {
        items += if compile {
            jixiao::compile(&source).expect("compiles").id().len()
        } else {
            jixiao::syntax::parse(&source).expect("parses").items.len()
        };
    }
    println!("{items}");
}
