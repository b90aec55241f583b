//! Benchmarks: parsing and checking rules, loading a form, evaluating it (against the
//! hand-coded native baseline), and scoring batches of generated forms end to end.
//! `cargo bench`; figures and how to read them are in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jixiao::import::Weights;

#[path = "common/gen.rs"]
#[allow(dead_code)]
mod generator;
#[path = "common/native.rs"]
mod native;

fn rules() -> jixiao::Rules {
    jixiao::compile(&jixiao::bundled("hubei-2021").expect("bundled")).expect("compiles")
}

fn parse_and_check(c: &mut Criterion) {
    let mut g = c.benchmark_group("rules");
    for name in jixiao::bundled_names() {
        let source = jixiao::bundled(name).expect("bundled");
        g.throughput(Throughput::Bytes(source.text().len() as u64));
        g.bench_with_input(BenchmarkId::new("compile", name), &source, |b, s| {
            b.iter(|| jixiao::compile(black_box(s)).expect("compiles"))
        });
        g.bench_with_input(BenchmarkId::new("parse", name), &source, |b, s| {
            b.iter(|| jixiao::syntax::parse(black_box(s)).expect("parses"))
        });
    }
    let big = jixiao::Source::new("big.rules", generator::big_rules(1 << 20));
    g.throughput(Throughput::Bytes(big.text().len() as u64));
    g.sample_size(20);
    g.bench_function("compile/generated-1MB", |b| {
        b.iter(|| jixiao::compile(black_box(&big)).expect("compiles"))
    });
    g.bench_function("parse/generated-1MB", |b| {
        b.iter(|| jixiao::syntax::parse(black_box(&big)).expect("parses"))
    });
    g.finish();
}

fn one_form(c: &mut Criterion) {
    let rules = rules();
    let mut g = c.benchmark_group("form");
    let seed = jixiao::Source::new(
        "tongcheng-2021.toml",
        include_str!("../examples/tongcheng-2021.toml"),
    );
    g.bench_function("load/tongcheng-2021", |b| {
        b.iter(|| jixiao::load_form(black_box(&seed)).expect("loads"))
    });
    let generated = jixiao::Source::new("gen.toml", generator::form(1, 0));
    g.bench_function("load/generated", |b| {
        b.iter(|| jixiao::load_form(black_box(&generated)).expect("loads"))
    });
    // The same form as a department keeps it: an Excel workbook, converted to the TOML
    // layout and loaded, as `jixiao score tongcheng-2021.xlsx` does.
    let xlsx: &[u8] = include_bytes!("../tests/fixtures/import/tongcheng-2021.xlsx");
    let options = jixiao::import::Options {
        weights: jixiao::import::Weights::Given,
        sheet: None,
    };
    g.bench_function("load-xlsx/tongcheng-2021", |b| {
        b.iter(|| {
            let imported = jixiao::import::import(
                "tongcheng-2021.xlsx",
                black_box(xlsx),
                jixiao::import::Format::Workbook,
                &options,
            )
            .expect("imports");
            jixiao::load_form(&jixiao::Source::new("tongcheng-2021.xlsx", imported.toml))
                .expect("loads")
        })
    });
    for (name, source) in [("tongcheng-2021", &seed), ("generated", &generated)] {
        let form = jixiao::load_form(source).expect("loads");
        g.bench_function(BenchmarkId::new("evaluate", name), |b| {
            b.iter(|| jixiao::evaluate(black_box(&rules), black_box(&form)).expect("scores"))
        });
        let quiet = jixiao::eval::Options { trace: false };
        g.bench_function(BenchmarkId::new("evaluate-no-trace", name), |b| {
            b.iter(|| {
                jixiao::evaluate_with(black_box(&rules), black_box(&form), quiet).expect("scores")
            })
        });
        g.bench_function(BenchmarkId::new("native", name), |b| {
            b.iter(|| native::score(black_box(&form)))
        });
        // The same job done by hand: the whole outcome the interpreter builds (texts,
        // statuses, scores, warnings; differences are derived when read), not the scores
        // alone.
        let names = native::Names::new(rules.source().name());
        g.bench_function(BenchmarkId::new("native-outcome", name), |b| {
            b.iter(|| native::outcome(black_box(&form), &names))
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let rules = rules();
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let texts: Vec<String> = (0..n).map(|i| generator::form(1, i)).collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("load+evaluate", n), &texts, |b, texts| {
            b.iter(|| {
                let mut total = rust_decimal::Decimal::ZERO;
                for (i, t) in texts.iter().enumerate() {
                    let form =
                        jixiao::load_form(&jixiao::Source::new(format!("{i}.toml"), t.as_str()))
                            .expect("loads");
                    let quiet = jixiao::eval::Options { trace: false };
                    total += jixiao::evaluate_with(&rules, &form, quiet)
                        .expect("scores")
                        .total;
                }
                total
            })
        });
    }
    g.finish();
}

/// What the workbench (`jixiao serve`) does with 10,000 generated forms of the seed's
/// size, through the same service functions as its endpoints, which split the forms
/// across the machine's threads ([`jixiao::service::split`]):
/// - `edit-score`: a parameter edited, as `/api/score` answers it (the 表单 view): the
///   edited rules compiled, every loaded form scored ([`scoring::score_rows`]), the answer
///   as JSON bytes;
/// - `edit-impact`: the same edit as `/api/impact` answers it (模拟): both rule sets
///   compiled, every form compared with the kept baseline ([`service::impact::compare`]),
///   the JSON bytes;
/// - `first-page`: the first `/api/score`, which loads every form from its text
///   ([`scoring::load`], split as the server splits it), then scores them, the JSON bytes.
///
/// Reading the files from disk and HTTP are not in these: BENCHMARKS.md times the
/// endpoints over HTTP as well.
fn workbench(c: &mut Criterion) {
    use jixiao::report::diff::RulesRef;
    use jixiao::service::{self, scoring, split};
    const N: usize = 10_000;
    let source = jixiao::bundled("hubei-2021").expect("bundled");
    let limits = jixiao::Limits::default();
    let texts: Vec<(String, String)> = (0..N)
        .map(|i| (format!("forms/{i}.toml"), generator::form(1, i)))
        .collect();
    let load = |texts: &[(String, String)]| -> Vec<scoring::LoadedForm> {
        split::each(texts, |(path, text)| {
            scoring::load(path, text.as_bytes(), Weights::Given, &limits)
        })
    };
    let forms = load(&texts);
    assert!(forms.iter().all(|f| f.form.is_ok()));
    let compile = |set: &[String]| {
        let set: Vec<jixiao::Setting> = set.iter().map(|s| s.parse().expect("a setting")).collect();
        service::compile(&source, &jixiao::Bundled, &set, &limits).expect("compiles")
    };
    let weights = ["budget_weight=10".to_owned(), "budget_weight=30".to_owned()];
    let mut g = c.benchmark_group("workbench");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function(BenchmarkId::new("edit-score", N), |b| {
        let mut edit = weights.iter().cycle();
        b.iter(|| {
            let rules = compile(std::slice::from_ref(edit.next().expect("cycles")));
            let rows = scoring::score_rows(&rules, black_box(&forms));
            serde_json::to_vec(&rows).expect("JSON").len()
        })
    });
    let baseline = service::impact::baseline(&compile(&[]), &forms);
    g.bench_function(BenchmarkId::new("edit-impact", N), |b| {
        let mut edit = weights.iter().cycle();
        b.iter(|| {
            let old_rules = compile(&[]);
            let _key = black_box(old_rules.canonical());
            let set = [edit.next().expect("cycles").clone()];
            let rules = compile(&set);
            let value = service::impact::compare(
                RulesRef::new(&old_rules, &[]),
                RulesRef::new(&rules, &set),
                &rules,
                black_box(&forms),
                &baseline,
            );
            serde_json::to_vec(&value).expect("JSON").len()
        })
    });
    g.bench_function(BenchmarkId::new("first-page", N), |b| {
        b.iter(|| {
            let forms = load(black_box(&texts));
            let rows = scoring::score_rows(&compile(&[]), &forms);
            serde_json::to_vec(&rows).expect("JSON").len()
        })
    });
    g.finish();
}

criterion_group!(benches, parse_and_check, one_form, batch, workbench);
criterion_main!(benches);
