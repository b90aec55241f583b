//! Profiling aid: what the workbench (`jixiao serve`) does with N generated forms, as
//! benches/scoring.rs's `workbench` group measures it, R times, with each run's time and
//! the CPU time it took on all threads together (on Linux; on a busy machine the wall
//! time grows with the load, the CPU time much less).
//! `cargo run --release --example profile_workbench -- N R [score|impact|first-page]`;
//! under `valgrind --tool=callgrind` with `RAYON_NUM_THREADS=1`, the difference of two
//! values of R gives the instructions of one run, independent of what else runs.

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
mod generator;

use jixiao::import::Weights;
use jixiao::report::diff::RulesRef;
use jixiao::service::{self, scoring, split};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5);
    let mode = args.get(3).map_or("score", String::as_str);
    let source = jixiao::bundled("hubei-2021").expect("bundled");
    let limits = jixiao::Limits::default();
    let texts: Vec<(String, String)> = (0..n)
        .map(|i| (format!("forms/{i}.toml"), generator::form(1, i)))
        .collect();
    let load = |texts: &[(String, String)]| {
        split::each(texts, |(path, text)| {
            scoring::load(path, text.as_bytes(), Weights::Given, &limits)
        })
    };
    let compile = |set: &[String]| {
        let set: Vec<jixiao::Setting> = set.iter().map(|s| s.parse().expect("a setting")).collect();
        service::compile(&source, &jixiao::Bundled, &set, &limits).expect("compiles")
    };
    let forms = if mode == "first-page" {
        Vec::new()
    } else {
        load(&texts)
    };
    let baseline = if mode == "impact" {
        service::impact::baseline(&compile(&[]), &forms)
    } else {
        Vec::new()
    };
    for run in 0..runs {
        let set = [format!(
            "budget_weight={}",
            if run % 2 == 0 { 10 } else { 30 }
        )];
        let start = std::time::Instant::now();
        let cpu = cpu_ms();
        let bytes = match mode {
            "impact" => {
                let old = compile(&[]);
                let rules = compile(&set);
                let value = service::impact::compare(
                    RulesRef::new(&old, &[]),
                    RulesRef::new(&rules, &set),
                    &rules,
                    &forms,
                    &baseline,
                );
                serde_json::to_vec(&value).expect("JSON").len()
            }
            "first-page" => {
                let forms = load(&texts);
                let rows = scoring::score_rows(&compile(&[]), &forms);
                serde_json::to_vec(&rows).expect("JSON").len()
            }
            _ => {
                let rows = scoring::score_rows(&compile(&set), &forms);
                serde_json::to_vec(&rows).expect("JSON").len()
            }
        };
        println!(
            "{mode} {n}: {:.1} ms, CPU {:.0} ms, {bytes} bytes",
            start.elapsed().as_secs_f64() * 1e3,
            cpu_ms() - cpu
        );
    }
}

/// The process's CPU time so far (user and system, all threads), in milliseconds, from
/// /proc/self/stat (in clock ticks, 100 a second); 0 where there is none.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (in parentheses, which may hold spaces).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    ticks * 10.0
}
