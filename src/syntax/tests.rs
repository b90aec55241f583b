//! Parser tests: the shape of what was parsed, printed compactly.

use super::ast::{Clause, Item};
use super::parse;
use crate::source::Source;

fn expr_of(src: &str) -> String {
    let text = format!("rules \"t\"\nparam x = {src}\n");
    let file = parse(&Source::new("t.rules", text)).unwrap_or_else(|e| panic!("{e:?}"));
    match &file.items[0] {
        Item::Param(p) => p.value.sexp(),
        other => panic!("not a param: {other:?}"),
    }
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(expr_of("weight * B / A"), "(/ (* weight B) A)");
    assert_eq!(expr_of("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(expr_of("(1 + 2) * 3"), "(* (+ 1 2) 3)");
    assert_eq!(expr_of("10 - 2 - 3"), "(- (- 10 2) 3)");
    assert_eq!(expr_of("-A * 2"), "(* (neg A) 2)");
    assert_eq!(
        expr_of("op == \"<=\" or direction == \"negative\" and not A > 1"),
        "(or (== op \"<=\") (and (== direction \"negative\") (not (> A 1))))"
    );
    assert_eq!(expr_of("op in [\"<=\", \"<\"]"), "(in op [\"<=\" \"<\"])");
    assert_eq!(
        expr_of("if A == 0 then weight else min(weight, B / A)"),
        "(if (== A 0) weight (min weight (/ B A)))"
    );
    assert_eq!(expr_of("80% × 权重 ÷ 2"), "(/ (* 80% 权重) 2)");
    assert_eq!(expr_of("A ≥ 1"), "(>= A 1)");
    // `not` between `and` and the comparisons, also on the right of a tighter operator
    assert_eq!(expr_of("not a == b"), "(not (== a b))");
    assert_eq!(expr_of("a * not b == c"), "(* a (not (== b c)))");
    assert_eq!(expr_of("- - 1 - 2"), "(- (neg (neg 1)) 2)");
    assert_eq!(expr_of("a ≤ b ≥ c ≠ d"), "(!= (>= (<= a b) c) d)");
    assert_eq!(expr_of("a 且 b 或 非 c"), "(or (and a b) (not c))");
    assert_eq!(expr_of("x 属于 [1] and y"), "(and (in x [1]) y)");
    assert_eq!(expr_of("a - b + c * d / e"), "(+ (- a b) (/ (* c d) e))");
}

#[test]
fn compound_spans_run_from_first_to_last_operand() {
    let text = "rules \"t\"\nparam x = weight * (B / A)\n";
    let file = parse(&Source::new("t.rules", text)).unwrap_or_else(|e| panic!("{e:?}"));
    let Item::Param(p) = &file.items[0] else {
        panic!()
    };
    assert_eq!(
        &text[p.value.span.start..p.value.span.end],
        "weight * (B / A"
    );
}

#[test]
fn display_reprints_with_minimal_parentheses() {
    let text = "rules \"t\"\nparam x = (weight * B) / (A - (1 - 2))\n";
    let file = parse(&Source::new("t.rules", text)).unwrap_or_else(|e| panic!("{e:?}"));
    let Item::Param(p) = &file.items[0] else {
        panic!()
    };
    assert_eq!(p.value.to_string(), "weight * B / (A - (1 - 2))");
}

#[test]
fn the_bundled_rules_parse_into_the_expected_items() {
    let text = include_str!("../../rules/hubei-2021.rules");
    let file = parse(&Source::new("hubei-2021.rules", text)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(file.header.id.value, "hubei-2021");
    let kinds: Vec<&str> = file
        .items
        .iter()
        .map(|i| match i {
            Item::Param(_) => "param",
            Item::Rounding(_) => "round",
            Item::Budget(_) => "budget",
            Item::Aggregate(_) => "aggregate",
            Item::Class(_) => "class",
            Item::Optional(_) => "optional",
            Item::Grades(_) => "grade",
            Item::Scale(_) => "scale",
            Item::Test(_) => "test",
        })
        .collect();
    let tests = kinds.iter().filter(|k| **k == "test").count();
    let items: Vec<&str> = kinds.iter().copied().filter(|k| *k != "test").collect();
    assert_eq!(
        items,
        [
            "param",
            "round",
            "budget",
            "aggregate",
            "aggregate",
            "class",
            "class",
            "class",
            "aggregate",
            "optional",
            "grade"
        ]
    );
    // one test per clause of notes 1–4 and the grades
    assert_eq!(tests, 18);
    let Some(Item::Class(q)) = file
        .items
        .iter()
        .find(|i| matches!(i, Item::Class(c) if c.name.name == "qualitative"))
    else {
        panic!("no qualitative class")
    };
    let bands: Vec<String> = q
        .clauses
        .iter()
        .filter_map(|c| match c {
            Clause::Band(b) => Some(format!(
                "{} {}{}, {}{} {:?}",
                b.name.value,
                if b.lo.inclusive { "[" } else { "(" },
                b.lo.value,
                b.hi.value,
                if b.hi.inclusive { "]" } else { ")" },
                b.default.as_ref().map(ToString::to_string)
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        bands,
        [
            "达成 [80%, 100%] Some(\"100%\")",
            "部分达成 [50%, 80%) None",
            "未达成 [0%, 50%) None"
        ]
    );
}

#[test]
fn keywords_are_not_names_but_longer_words_are() {
    assert_eq!(expr_of("scores + capital"), "(+ scores capital)");
    // every path of the name rule: upper case, `weight`, letters no keyword begins with,
    // `_`, letters some keyword begins with, Chinese
    assert_eq!(
        expr_of("Abc + weights + zz + _x + when1 + mean + 分档率 + 达成"),
        "(+ (+ (+ (+ (+ (+ (+ Abc weights) zz) _x) when1) mean) 分档率) 达成)"
    );
    for kw in ["when", "step", "且", "分档", "默认", "继承", "期望", "not"] {
        let text = format!("rules \"t\"\nparam {kw} = 1\n");
        assert!(
            parse(&Source::new("t.rules", text)).is_err(),
            "{kw} is a keyword"
        );
    }
    let err = parse(&Source::new("t.rules", "rules \"t\"\nparam score = 1\n")).unwrap_err();
    assert!(format!("{err}").contains("语法错误"), "{err}");
}

#[test]
fn deep_nesting_is_refused_before_pest_recurses() {
    let text = format!(
        "rules \"t\"\nparam x = {}1{}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let err = parse(&Source::new("t.rules", text)).unwrap_err();
    assert!(matches!(err, super::ParseError::TooDeep { .. }), "{err:?}");
}

fn refused(text: &str) -> super::ParseError {
    match parse(&Source::new("t.rules", text)) {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    }
}

#[test]
fn long_prefix_runs_and_nested_conditionals_are_refused() {
    let minus = format!("rules \"t\"\nparam x = {}1\n", "- ".repeat(100_000));
    assert!(matches!(refused(&minus), super::ParseError::TooDeep { .. }));
    let nots = format!("rules \"t\"\nparam x = {}1\n", "not ".repeat(1000));
    assert!(matches!(refused(&nots), super::ParseError::TooDeep { .. }));
    let ifs = format!(
        "rules \"t\"\nparam x = {}1{}\n",
        "if 1 == 1 then ".repeat(1000),
        " else 2".repeat(1000)
    );
    assert!(matches!(refused(&ifs), super::ParseError::TooDeep { .. }));
}

#[test]
fn long_operator_chains_are_refused_not_overflowed() {
    let chain = format!("rules \"t\"\nparam x = 1{}\n", " + 1".repeat(100_000));
    assert!(matches!(
        refused(&chain),
        super::ParseError::TooComplex { .. }
    ));
    // a realistic chain is fine, and guards with `:` do not accumulate depth
    let ok = format!("rules \"t\"\nparam x = 1{}\n", " + 1".repeat(100));
    assert!(parse(&Source::new("t.rules", ok)).is_ok());
}

#[test]
fn a_minus_after_an_operand_is_subtraction_not_nesting() {
    let text = format!("rules \"t\"\nparam x = 100{}\n", " - 1".repeat(300));
    assert!(matches!(
        refused(&text),
        super::ParseError::TooComplex { .. }
    ));
    let text = format!("rules \"t\"\nparam x = 100{}\n", " - 1".repeat(100));
    assert!(parse(&Source::new("t.rules", text)).is_ok());
}

#[test]
fn any_unicode_white_space_separates_tokens_as_the_formatter_assumes() {
    // A no-break space and an em space (pasted from a document), a vertical tab, a form
    // feed, the full-width space and a byte-order mark: `jixiao fmt` treats each as
    // space (`char::is_whitespace`), so the grammar must too.
    let text = "rules\u{A0}\"t\"\nparam\u{2003}x\u{B}=\u{C}1\u{3000}+\u{FEFF}2\u{2029}";
    let source = Source::new("t.rules", text);
    let file = parse(&source).unwrap_or_else(|e| panic!("{e:?}"));
    match &file.items[0] {
        Item::Param(p) => assert_eq!(p.value.sexp(), "(+ 1 2)"),
        other => panic!("not a param: {other:?}"),
    }
    let formatted = super::format::format(&source, super::format::Keywords::Keep)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(formatted, "rules \"t\"\n\nparam x = 1 + 2\n");
}

/// pest recurses once per level of nesting, and jixiao builds pest without `std`, so
/// without the stack probe pest 2.9 has with it: [`super::MAX_DEPTH`], checked before pest
/// runs, is the only guard. Nesting at the limit, of every kind that nests, parses and
/// compiles on a thread with the 2 MiB stack Rust gives a spawned thread, in a debug build,
/// whose frames are the largest (it needs about 1.5 MiB; a release build under 256 KiB).
#[test]
fn nesting_at_the_limit_fits_a_spawned_threads_stack() {
    let depth = super::MAX_DEPTH;
    let shapes = [
        format!("{}A{}", "(".repeat(depth), ")".repeat(depth)),
        format!("{}A{}", "min(weight, ".repeat(depth), ")".repeat(depth)),
        format!(
            "{}A{}",
            "if A > 1 then ".repeat(depth),
            " else B".repeat(depth)
        ),
        format!(
            "{}A{}",
            "step(".repeat(depth),
            ", >= 1: 1, else: 0)".repeat(depth)
        ),
        format!("{}A{}", "- (".repeat(depth / 2), ")".repeat(depth / 2)),
    ];
    for shape in shapes {
        let text = format!(
            "rules \"t\"\nclass c for numbers:\n    score {shape}\nbudget:\n    weight 20\n    score 20\n"
        );
        let outcome = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let source = Source::new("t.rules", text);
                crate::compile(&source)
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}"))
            })
            .expect("a thread")
            .join();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("refused at the limit: {e}"),
            Err(_) => panic!("panicked"),
        }
    }
}
