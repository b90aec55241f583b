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
            Item::Cap(_) => "cap",
            Item::Adjustment(_) => "adjustment",
            Item::Require(_) => "require",
            Item::Basis(_) => "source",
            Item::Fact(_) => "fact",
            Item::Test(_) => "test",
        })
        .collect();
    let tests = kinds.iter().filter(|k| **k == "test").count();
    let items: Vec<&str> = kinds.iter().copied().filter(|k| *k != "test").collect();
    assert_eq!(
        items,
        [
            "source",
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

/// The source of a rule file whose budget scores `expr`.
fn budget_scoring(expr: &str) -> String {
    format!(
        "rules \"t\"\nbudget:\n    weight 20\n    score {expr}\nclass p for numbers:\n    score weight\n"
    )
}

/// Every kind of nesting, `n` levels deep, as the budget's score.
fn nested_shapes(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("brackets", format!("{}1{}", "(".repeat(n), ")".repeat(n))),
        ("lists", format!("1 in {}1{}", "[".repeat(n), "]".repeat(n))),
        ("calls", format!("{}1{}", "min(".repeat(n), ")".repeat(n))),
        (
            "steps",
            format!("{}1{}", "step(".repeat(n), ", else: 0)".repeat(n)),
        ),
        (
            "if in then",
            format!("{}1{}", "if A > 1 then ".repeat(n), " else 2".repeat(n)),
        ),
        ("else if", format!("{}2", "if A > 1 then 1 else ".repeat(n))),
        ("minus", format!("{}1", "-".repeat(n))),
        ("spaced minus", format!("{}1", "- ".repeat(n))),
        ("not", format!("{}true", "not ".repeat(n))),
        ("非", format!("{}真", "非 ".repeat(n))),
        (
            "minus and brackets",
            format!("{}1{}", "-(".repeat(n / 2), ")".repeat(n / 2)),
        ),
        // `not` binds looser than `==`: each `not` holds the rest of the chain.
        ("not in a chain", format!("{}a", "not a == ".repeat(n))),
    ]
}

#[test]
fn nesting_is_limited_exactly_for_every_kind() {
    let limit = super::MAX_DEPTH;
    assert_eq!(limit, 64, "the README and docs/diagnostics.md say 64");
    for (kind, shape) in nested_shapes(limit) {
        let text = budget_scoring(&shape);
        if let Err(e) = parse(&Source::new("t.rules", text)) {
            panic!("{kind}: {limit} levels refused: {e:?}");
        }
    }
    for (kind, shape) in nested_shapes(limit + 1) {
        if kind == "minus and brackets" {
            continue; // an odd number of levels is not of this shape
        }
        let err = refused(&budget_scoring(&shape));
        assert!(
            matches!(err, super::ParseError::TooDeep { limit: 64, .. }),
            "{kind}: {err:?}"
        );
    }
    // 65 levels after the budget's `weight`, which is also a name: the `-` right after it
    // could be a subtraction, but the tree has 65 negations.
    let text = format!(
        "rules \"t\"\nbudget:\n    weight {}20\n    score weight\nclass p for numbers:\n    score weight\n",
        "-".repeat(limit + 1)
    );
    assert!(matches!(refused(&text), super::ParseError::TooDeep { .. }));
}

#[test]
fn the_pre_scan_refuses_deep_nesting_of_every_kind_before_pest_recurses() {
    // 10,000 levels of each kind: pest would overflow the stack (an `else if` chain did,
    // when `else` closed its `if` in the scan).
    for (kind, shape) in nested_shapes(10_000) {
        let text = budget_scoring(&shape);
        let err = super::depth::check_depth(&Source::new("t.rules", text.clone()));
        if kind == "not in a chain" {
            // pest reads it flat; the tree nests, and is refused as it is built, before
            // the builder's recursion goes deeper.
            assert!(err.is_ok());
            let chain = budget_scoring(&format!("{}a", "not a == ".repeat(1000)));
            assert!(matches!(refused(&chain), super::ParseError::TooDeep { .. }));
            continue;
        }
        assert!(
            matches!(err, Err(super::ParseError::TooDeep { .. })),
            "{kind}: not refused by the scan"
        );
    }
    // Guards and clauses do not add up: six guards, each a conditional 64 deep.
    let guard = format!(
        "    if A > 1: {}1{}\n",
        "if A > 1 then ".repeat(64),
        " else 2".repeat(64)
    );
    let text = format!(
        "rules \"t\"\nbudget:\n    weight 20\n    score weight\n{}class p for numbers:\n{}    score weight\n",
        guard.repeat(50),
        guard.repeat(500)
    );
    if let Err(e) = parse(&Source::new("t.rules", text)) {
        panic!("{e:?}");
    }
}

#[test]
fn a_syntax_error_names_an_invisible_character() {
    let err = refused("rules \"t\"\nparam x = \u{200F}1\n");
    assert_eq!(
        err.to_string(),
        "规则文件语法错误：意外的从右至左标记 U+200F"
    );
    let err = refused("rules \"t\"\nparam x = \u{200B}1\n");
    assert_eq!(err.to_string(), "规则文件语法错误：意外的零宽空格 U+200B");
    let err = refused("rules \"t\"\nparam x = 1 $\n");
    assert_eq!(err.to_string(), "规则文件语法错误：意外的「$」");
}

fn help_of(err: &super::ParseError) -> String {
    use miette::Diagnostic as _;
    err.help().map(|h| h.to_string()).unwrap_or_default()
}

#[test]
fn full_width_quotes_get_a_help_line_about_quotes() {
    for (text, quote) in [
        ("rules \"t\" extends “hubei-2021”\n", "「“」"),
        ("rules \"t\" extends 「hubei-2021」\n", "「「」"),
        ("rules \"t\" extends ‘hubei-2021’\n", "「‘」"),
    ] {
        let err = refused(text);
        let super::ParseError::Syntax { span, .. } = &err else {
            panic!("{err:?}")
        };
        // The label points at the quote.
        assert_eq!(
            span.offset(),
            text.find(" extends ").unwrap_or(0) + 9,
            "{text}"
        );
        assert_eq!(
            help_of(&err),
            format!(
                "字符串要用英文半角双引号 `\"` 括起来，不能用{quote}：写成 `\"hubei-2021\"`（切换到英文输入法再输入引号）"
            )
        );
    }
    // A band name in quotes, and a string closed with the wrong quote.
    let err = refused("rules \"t\"\nclass q for text:\n    band “达成” [0%, 100%]\n");
    assert!(
        help_of(&err).contains("写成 `\"达成\"`"),
        "{}",
        help_of(&err)
    );
    let err = refused("rules \"t\" extends \"hubei-2021”\n");
    assert_eq!(
        help_of(&err),
        "这个字符串没有结束：结尾的「”」不是英文半角双引号 `\"`；两端都用 `\"`（切换到英文输入法再输入引号）"
    );
}

#[test]
fn a_lone_carriage_return_ends_a_line_and_a_comment() {
    // Old Mac line ends: CR alone. A comment ends at the CR, so the line after it is read.
    let lf = "rules \"t\" # 标题\nparam x = 1 # 一\nbudget:\n    weight x\n    score weight\n\
              class p for numbers:\n    score weight\nparam y = 1 > 0\n";
    let cr = lf.replace('\n', "\r");
    let compiled = |text: &str| match crate::compile(&Source::new("t.rules", text)) {
        Ok(_) => panic!("accepted"),
        Err(e) => {
            use miette::Diagnostic as _;
            let related: Vec<String> = e
                .related()
                .into_iter()
                .flatten()
                .map(|r| r.to_string())
                .collect();
            (e.to_string(), related)
        }
    };
    assert_eq!(compiled(&cr), compiled(lf));
    // The error is on line 8, column 11, as an editor shows it.
    let source = Source::new("t.rules", cr.clone());
    let at = cr.find("1 > 0").unwrap_or(0);
    assert_eq!(source.line_col(at), (8, 11));
    // A string does not run on past the end of its line.
    let err = refused("rules \"t\rparam x = 1\"\r");
    assert!(err.to_string().contains("意外的「\"」"), "{err}");
    // The formatter reads the lines as the parser does.
    let formatted = |text: &str| {
        super::format::format(&Source::new("t.rules", text), super::format::Keywords::Keep)
            .unwrap_or_else(|e| panic!("{e:?}"))
    };
    assert_eq!(formatted(&cr), formatted(lf));
}
