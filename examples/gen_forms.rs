//! Writes N generated forms (the benchmarks' deterministic generator) into a folder, for
//! timing the command line on a batch:
//! `cargo run --release --example gen_forms -- DIR N SEED`
//! (files `DIR/form-00000.toml` …; the same N and SEED always give the same files).

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
mod generator;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n), Some(seed)) = (
        args.first().map(PathBuf::from),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2).and_then(|s| s.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: gen_forms DIR N SEED");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::from(1);
    }
    let mut bytes = 0usize;
    for i in 0..n {
        let text = generator::form(seed, i);
        bytes += text.len();
        let path = dir.join(format!("form-{i:05}.toml"));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    println!("{n} forms, {bytes} bytes, in {}", dir.display());
    ExitCode::SUCCESS
}
