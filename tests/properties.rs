//! Properties of scoring and formatting, checked on generated forms and rule files with
//! exact decimals (proptest):
//! - a score lies in [0, weight]; a goal's in [0, its indicators' weights]; the total in
//!   [0, the most the form could score];
//! - a positive indicator's score never falls as B rises, a negative one's never rises;
//! - one entry scores as the plain indicator with the same values;
//! - an absolute entry split in two with the same sums scores the same;
//! - permuting entries, indicators or goals changes no score;
//! - `fmt` output (in either keyword language) compiles to the same rules, and is
//!   formatted already.
//!
//! Forms are TOML text built from generated values and scored under hubei-2021; rule
//! files are generated with random layout, keyword language, operator spelling and
//! comments. 64 cases a property in a developer's `cargo test`, 128 under CI
//! ([`crate::support::cases`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use proptest::prelude::*;
use rust_decimal::Decimal;

use jixiao::syntax::format::{Keywords, format};
use jixiao::{Outcome, Rules, Source};

static HUBEI: LazyLock<Rules> = LazyLock::new(crate::support::hubei);

fn scored(text: &str) -> Outcome<'static> {
    crate::support::score_text(&HUBEI, text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

// ---------------------------------------------------------------------------------------
// Generated forms

/// A decimal with up to two places, from 0 to `max_hundredths` / 100.
fn amount(max_hundredths: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_hundredths).prop_map(|n| Decimal::new(n, 2).normalize())
}

fn positive_amount(max_hundredths: i64) -> impl Strategy<Value = Decimal> {
    (1..=max_hundredths).prop_map(|n| Decimal::new(n, 2).normalize())
}

/// The qualitative tiers of hubei-2021 and their rate ranges in hundredths of a percent:
/// 达成 [80%, 100%], 部分达成 [50%, 80%), 未达成 [0%, 50%).
const TIERS: [(&str, i64, i64); 3] = [
    ("达成", 8000, 10000),
    ("部分达成", 5000, 7999),
    ("未达成", 0, 4999),
];

/// A tier and a rate (as `85.5%`) inside it.
fn tier_and_rate() -> impl Strategy<Value = (String, String)> {
    (0..TIERS.len()).prop_flat_map(|t| {
        let (name, lo, hi) = TIERS[t];
        (lo..=hi).prop_map(move |r| {
            (
                name.to_owned(),
                format!("{}%", Decimal::new(r, 2).normalize()),
            )
        })
    })
}

/// One fund's (or a plain indicator's) values.
#[derive(Debug, Clone)]
enum Values {
    /// `≥A人次` against `B人次`.
    Positive(Decimal, Decimal),
    /// `≤A天` against `B天`.
    Negative(Decimal, Decimal),
    /// `≥A%` against `B%`.
    Percent(Decimal, Decimal),
    /// A text target and a different text actual, assessed with a tier and a rate.
    Text(String, String),
}

impl Values {
    /// The TOML keys, one a line.
    fn fields(&self) -> String {
        match self {
            Values::Positive(a, b) => format!("target = \"≥{a}人次\"\nactual = \"{b}人次\"\n"),
            Values::Negative(a, b) => format!("target = \"≤{a}天\"\nactual = \"{b}天\"\n"),
            Values::Percent(a, b) => format!("target = \"≥{a}%\"\nactual = \"{b}%\"\n"),
            Values::Text(tier, rate) => format!(
                "target = \"明显提高\"\nactual = \"有所提高\"\ntier = \"{tier}\"\nrate = \"{rate}\"\n"
            ),
        }
    }

    /// The same keys as an inline table's items.
    fn inline(&self) -> String {
        self.fields().trim_end().replace('\n', ", ")
    }
}

/// Values of one kind: 0 positive, 1 negative, 2 percent, 3 text (entries of one
/// indicator must agree in kind and unit).
fn values_of(kind: u8) -> BoxedStrategy<Values> {
    let big = 100_000_000; // up to 1,000,000.00
    match kind {
        0 => (positive_amount(big), amount(big))
            .prop_map(|(a, b)| Values::Positive(a, b))
            .boxed(),
        1 => (amount(big), amount(big))
            .prop_map(|(a, b)| Values::Negative(a, b))
            .boxed(),
        2 => (positive_amount(10_000), amount(12_000))
            .prop_map(|(a, b)| Values::Percent(a, b))
            .boxed(),
        _ => tier_and_rate()
            .prop_map(|(t, r)| Values::Text(t, r))
            .boxed(),
    }
}

fn any_values() -> impl Strategy<Value = Values> {
    (0u8..4).prop_flat_map(values_of)
}

/// An indicator: its weight and either plain values or entries (fund, values) of one
/// kind; or a satisfaction indicator left unevaluated (optional: its goal rescales).
#[derive(Debug, Clone)]
enum Ind {
    Plain(Decimal, Values),
    Entries(Decimal, Vec<(Decimal, Values)>),
    Unevaluated(Decimal),
}

impl Ind {
    fn weight(&self) -> Decimal {
        match self {
            Ind::Plain(w, _) | Ind::Entries(w, _) | Ind::Unevaluated(w) => *w,
        }
    }

    fn toml(&self, name: &str) -> String {
        let level1 = if matches!(self, Ind::Unevaluated(_)) {
            "满意度指标"
        } else {
            "产出指标"
        };
        let mut out = format!(
            "[[goals.indicators]]\nlevel1 = \"{level1}\"\nlevel2 = \"数量指标\"\nname = \"{name}\"\nweight = {}\n",
            self.weight()
        );
        match self {
            Ind::Plain(_, v) => out.push_str(&v.fields()),
            Ind::Entries(_, entries) => {
                out.push_str("entries = [\n");
                for (fund, v) in entries {
                    let _ = writeln!(out, "  {{ fund = \"{fund}万元\", {} }},", v.inline());
                }
                out.push_str("]\n");
            }
            Ind::Unevaluated(_) => out.push_str("target = \"≥90%\"\n"),
        }
        out.push('\n');
        out
    }
}

fn weight() -> impl Strategy<Value = Decimal> {
    amount(2_000) // 0 to 20.00
}

fn entries(n: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<(Decimal, Values)>> {
    (0u8..4).prop_flat_map(move |kind| {
        proptest::collection::vec((positive_amount(100_000), values_of(kind)), n.clone())
    })
}

fn indicator() -> impl Strategy<Value = Ind> {
    prop_oneof![
        4 => (weight(), any_values()).prop_map(|(w, v)| Ind::Plain(w, v)),
        2 => (weight(), entries(1..=3)).prop_map(|(w, e)| Ind::Entries(w, e)),
        1 => weight().prop_map(Ind::Unevaluated),
    ]
}

/// A form: a budget line of 100 of 100, then goals of named indicators. A goal's weight
/// is its indicators' weights summed.
fn form_text(goals: &[(String, Vec<(String, Ind)>)]) -> String {
    let mut out = String::from(
        "[form]\ntitle = \"性质测试\"\n\n[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n",
    );
    for (name, indicators) in goals {
        let weight: Decimal = indicators.iter().map(|(_, i)| i.weight()).sum();
        let _ = write!(out, "[[goals]]\nname = \"{name}\"\nweight = {weight}\n\n");
        for (n, i) in indicators {
            out.push_str(&i.toml(n));
        }
    }
    out
}

type Goals = Vec<(String, Vec<(String, Ind)>)>;

/// 1–4 goals of 1–4 indicators, every name unique.
fn goals() -> impl Strategy<Value = Goals> {
    proptest::collection::vec(proptest::collection::vec(indicator(), 1..=4), 1..=4).prop_map(
        |goals| {
            goals
                .into_iter()
                .enumerate()
                .map(|(g, inds)| {
                    let inds = inds
                        .into_iter()
                        .enumerate()
                        .map(|(i, ind)| (format!("指标{}-{}", g + 1, i + 1), ind))
                        .collect();
                    (format!("目标{}", g + 1), inds)
                })
                .collect()
        },
    )
}

/// The only indicator's score in a form of one goal.
fn only(fields: &str, w: Decimal) -> Decimal {
    let text = format!(
        "[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n[[goals]]\nname = \"目标\"\nweight = {w}\n\n\
         [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"指标\"\nweight = {w}\n{fields}"
    );
    scored(&text).goals[0].indicators[0]
        .score
        .unwrap_or_else(|| panic!("not scored:\n{text}"))
}

fn entries_field(entries: &[(Decimal, Values)]) -> String {
    let mut out = String::from("entries = [\n");
    for (fund, v) in entries {
        let _ = writeln!(out, "  {{ fund = \"{fund}万元\", {} }},", v.inline());
    }
    out.push_str("]\n");
    out
}

/// Every indicator's score by name, and every goal's score by name.
fn scores_by_name(o: &Outcome) -> (BTreeMap<String, Option<Decimal>>, BTreeMap<String, Decimal>) {
    let mut indicators = BTreeMap::new();
    let mut goals = BTreeMap::new();
    for g in &o.goals {
        goals.insert(g.name.to_string(), g.score);
        for i in &g.indicators {
            indicators.insert(i.name.to_string(), i.score);
        }
    }
    (indicators, goals)
}

/// `items` reordered by a permutation drawn from `seed` (xorshift, Fisher–Yates).
fn shuffled<T: Clone>(items: &[T], seed: &mut u64) -> Vec<T> {
    let mut out = items.to_vec();
    for i in (1..out.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let j = usize::try_from(*seed % (i as u64 + 1)).unwrap_or(0);
        out.swap(i, j);
    }
    out
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64, 128))]

    #[test]
    fn scores_lie_between_zero_and_the_weight(goals in goals()) {
        // A goal that rescales (an optional indicator left unevaluated) scales its other
        // indicators up on purpose: their bound is not their own weight.
        let goals: Goals = goals
            .into_iter()
            .map(|(name, inds)| (name, inds.into_iter().filter(|(_, i)| !matches!(i, Ind::Unevaluated(_))).collect()))
            .filter(|(_, inds): &(String, Vec<(String, Ind)>)| !inds.is_empty())
            .collect();
        prop_assume!(!goals.is_empty());
        let o = scored(&form_text(&goals));
        let zero = Decimal::ZERO;
        for (g, (_, inds)) in o.goals.iter().zip(&goals) {
            let mut weights = zero;
            for (i, (_, ind)) in g.indicators.iter().zip(inds) {
                weights += ind.weight();
                if let Some(s) = i.score {
                    prop_assert!(s >= zero && s <= ind.weight(), "{} scored {s} of {}", i.name, ind.weight());
                }
            }
            prop_assert!(g.score >= zero && g.score <= weights, "{} scored {} of {weights}", g.name, g.score);
        }
        prop_assert!(o.total >= zero && o.total <= o.max_total, "total {} of {}", o.total, o.max_total);
    }

    #[test]
    fn a_positive_score_never_falls_as_b_rises(
        a in positive_amount(100_000_000),
        b1 in amount(200_000_000),
        b2 in amount(200_000_000),
        w in weight(),
    ) {
        let (lo, hi) = (b1.min(b2), b1.max(b2));
        let at = |b: Decimal| only(&Values::Positive(a, b).fields(), w);
        prop_assert!(at(lo) <= at(hi), "A = {a}: B = {lo} scores {}, B = {hi} scores {}", at(lo), at(hi));
    }

    #[test]
    fn a_negative_score_never_rises_as_b_rises(
        a in amount(100_000_000),
        b1 in amount(200_000_000),
        b2 in amount(200_000_000),
        w in weight(),
    ) {
        let (lo, hi) = (b1.min(b2), b1.max(b2));
        let at = |b: Decimal| only(&Values::Negative(a, b).fields(), w);
        prop_assert!(at(lo) >= at(hi), "A = {a}: B = {lo} scores {}, B = {hi} scores {}", at(lo), at(hi));
    }

    #[test]
    fn one_entry_scores_as_the_plain_indicator(
        fund in positive_amount(100_000),
        v in any_values(),
        w in weight(),
    ) {
        let plain = only(&v.fields(), w);
        let entry = only(&entries_field(&[(fund, v.clone())]), w);
        prop_assert_eq!(plain, entry, "{:?}", v);
    }

    #[test]
    fn an_absolute_entry_split_in_two_scores_the_same(
        negative in any::<bool>(),
        a1 in amount(50_000_000),
        a2 in amount(50_000_000),
        b1 in amount(50_000_000),
        b2 in amount(50_000_000),
        f1 in positive_amount(100_000),
        f2 in positive_amount(100_000),
        w in weight(),
    ) {
        // Positive indicators need A > 0 (else the guard gives the weight either way).
        prop_assume!(negative || a1 + a2 > Decimal::ZERO);
        let make = |a, b| if negative { Values::Negative(a, b) } else { Values::Positive(a, b) };
        let whole = only(&entries_field(&[(f1 + f2, make(a1 + a2, b1 + b2))]), w);
        let split = only(&entries_field(&[(f1, make(a1, b1)), (f2, make(a2, b2))]), w);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn permuting_entries_indicators_or_goals_changes_nothing(goals in goals(), seed in any::<u64>()) {
        let before = scored(&form_text(&goals));
        let mut seed = seed | 1;
        let permuted: Goals = shuffled(&goals, &mut seed)
            .into_iter()
            .map(|(name, inds)| {
                let inds = shuffled(&inds, &mut seed)
                    .into_iter()
                    .map(|(n, ind)| match ind {
                        Ind::Entries(w, e) => (n, Ind::Entries(w, shuffled(&e, &mut seed))),
                        other => (n, other),
                    })
                    .collect();
                (name, inds)
            })
            .collect();
        let after = scored(&form_text(&permuted));
        prop_assert_eq!(before.total, after.total);
        prop_assert_eq!(before.max_total, after.max_total);
        prop_assert_eq!(scores_by_name(&before), scores_by_name(&after));
    }
}

// ---------------------------------------------------------------------------------------
// Generated rule files

/// A piece of rule text: a token, or a keyword that may be written in either language.
#[derive(Debug, Clone)]
enum Tok {
    /// Written as it is.
    Lit(String),
    /// (English, Chinese), written in a language chosen per occurrence.
    Kw(&'static str, &'static str),
    /// A line break where a comment may go.
    Break,
}

fn lit(s: impl Into<String>) -> Tok {
    Tok::Lit(s.into())
}

/// A numeric expression over `names`, as tokens.
fn num_expr(names: Vec<&'static str>) -> impl Strategy<Value = Vec<Tok>> {
    let number = prop_oneof![
        (1u32..1000).prop_map(|n| vec![lit(n.to_string())]),
        (1u32..1000).prop_map(|n| vec![lit(format!("{}.{}", n / 10 + 1, n % 10))]),
        (1u32..100).prop_map(|n| vec![lit(format!("{n}%"))]),
    ];
    let name = proptest::sample::select(names).prop_map(|n| vec![lit(n)]);
    let leaf = prop_oneof![number, name];
    leaf.prop_recursive(3, 24, 3, |inner| {
        let op = proptest::sample::select(vec!["+", "-", "*", "×", "/", "÷"]);
        let cmp = proptest::sample::select(vec![">=", "≥", "<=", "≤", ">", "<", "==", "!=", "≠"]);
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(l, o, r)| [l, vec![lit(o)], r].concat()),
            inner
                .clone()
                .prop_map(|e| [vec![lit("(")], e, vec![lit(")")]].concat()),
            (
                proptest::sample::select(vec!["min", "max"]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, a, b)| [
                    vec![lit(f), lit("(")],
                    a,
                    vec![lit(",")],
                    b,
                    vec![lit(")")]
                ]
                .concat()),
            (
                proptest::sample::select(vec!["floor", "ceil", "abs"]),
                inner.clone()
            )
                .prop_map(|(f, a)| [vec![lit(f), lit("(")], a, vec![lit(")")]].concat()),
            inner.clone().prop_map(|e| [vec![lit("-")], e].concat()),
            // Bracketed: an `else` branch runs as far right as it can.
            (
                inner.clone(),
                cmp,
                inner.clone(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(l, c, r, t, e)| [
                    vec![lit("("), Tok::Kw("if", "如果"), lit("(")],
                    l,
                    vec![lit(")"), lit(c), lit("(")],
                    r,
                    vec![lit(")"), Tok::Kw("then", "则")],
                    t,
                    vec![Tok::Kw("else", "否则")],
                    e,
                    vec![lit(")")],
                ]
                .concat()),
            (inner.clone(), inner.clone(), inner).prop_map(|(s, v, e)| [
                vec![Tok::Kw("step", "分档"), lit("("),],
                s,
                vec![lit(","), lit(">="), lit("90%"), lit(":")],
                v,
                vec![lit(","), Tok::Kw("else", "否则"), lit(":")],
                e,
                vec![lit(")")],
            ]
            .concat()),
        ]
    })
}

/// Names a number class may read, besides parameters.
const CLASS_NAMES: [&str; 5] = ["weight", "A", "B", "权重", "系数"];

/// A small valid rule file, as tokens.
fn rule_file() -> impl Strategy<Value = Vec<Tok>> {
    let round = proptest::option::of((
        0u32..5,
        proptest::sample::select(vec![
            "half_up",
            "half_even",
            "down",
            "up",
            "四舍五入",
            "截尾",
        ]),
        proptest::sample::select(vec!["indicator", "goal", "total", "指标", "总分"]),
    ));
    let budget = (
        num_expr(vec!["weight", "A", "B", "系数"]),
        proptest::option::of(num_expr(vec!["weight", "系数"])),
        any::<bool>(),
    );
    let class = (
        num_expr(CLASS_NAMES.to_vec()),
        proptest::option::of(num_expr(CLASS_NAMES.to_vec())),
        0usize..4,
        proptest::option::of("[A-Za-z一-龥]{1,6}"),
    );
    let classes = proptest::collection::vec(class, 1..=3);
    let aggregates = proptest::sample::subsequence(
        vec![
            ("number", "数值"),
            ("percent", "百分比"),
            ("rate", "得分率"),
        ],
        0..=3,
    );
    let grades = proptest::option::of(proptest::collection::btree_set(1u32..100, 1..4));
    (
        1u32..100,
        round,
        budget,
        classes,
        aggregates,
        any::<bool>(),
        grades,
        proptest::option::of(0u32..3),
        any::<bool>(),
    )
        .prop_map(
            |(
                coefficient,
                round,
                (budget_score, budget_cap, guard),
                classes,
                aggregates,
                text_class,
                grades,
                optional,
                scale,
            )| {
                let mut t = vec![
                    Tok::Kw("rules", "规则"),
                    lit("\"gen\""),
                    lit("\"生成的规则\""),
                    Tok::Break,
                ];
                t.extend([
                    Tok::Kw("param", "参数"),
                    lit("系数"),
                    lit("="),
                    lit(coefficient.to_string()),
                    Tok::Break,
                ]);
                t.extend([
                    Tok::Kw("param", "参数"),
                    lit("budget_weight"),
                    lit("="),
                    lit("20"),
                    Tok::Break,
                ]);
                if let Some((places, mode, level)) = round {
                    t.extend([
                        Tok::Kw("round", "保留"),
                        lit(places.to_string()),
                        lit(mode),
                        Tok::Kw("at", "于"),
                        lit(level),
                        Tok::Break,
                    ]);
                }
                t.extend([
                    Tok::Kw("budget", "预算"),
                    lit(":"),
                    Tok::Break,
                    Tok::Kw("weight", "分值"),
                    lit("budget_weight"),
                    Tok::Break,
                ]);
                t.push(Tok::Kw("score", "得分"));
                t.extend(budget_score);
                t.push(Tok::Break);
                if let Some(cap) = budget_cap {
                    t.push(Tok::Kw("cap", "封顶"));
                    t.extend(cap);
                    t.push(Tok::Break);
                }
                if guard {
                    t.extend([
                        Tok::Kw("if", "如果"),
                        lit("A"),
                        lit("=="),
                        lit("0"),
                        lit(":"),
                        Tok::Kw("error", "报错"),
                        lit("\"预算数为 0\""),
                        Tok::Break,
                    ]);
                }
                for (target, zh) in aggregates {
                    let method = match target {
                        "number" => Tok::Kw("sum", "累加"),
                        _ => Tok::Kw("mean by fund", "按资金加权"),
                    };
                    t.extend([
                        Tok::Kw("aggregate", "汇总"),
                        Tok::Kw(target, zh),
                        lit(":"),
                        method,
                        Tok::Break,
                    ]);
                }
                for (n, (score, cap, when, title)) in classes.into_iter().enumerate() {
                    t.extend([Tok::Kw("class", "类别"), lit(format!("c{n}"))]);
                    if let Some(title) = title {
                        t.push(lit(format!("\"{title}\"")));
                    }
                    t.extend([Tok::Kw("for", "适用"), Tok::Kw("numbers", "数值")]);
                    match when {
                        1 => t.extend([
                            Tok::Kw("when", "当"),
                            lit("op"),
                            Tok::Kw("in", "属于"),
                            lit("["),
                            lit("\"<=\""),
                            lit(","),
                            lit("\"<\""),
                            lit("]"),
                        ]),
                        2 => t.extend([
                            Tok::Kw("when", "当"),
                            lit("direction"),
                            lit("=="),
                            lit("\"negative\""),
                            Tok::Kw("or", "或"),
                            lit("B"),
                            lit(">"),
                            lit("A"),
                        ]),
                        3 => t.extend([
                            Tok::Kw("when", "当"),
                            Tok::Kw("not", "非"),
                            lit("("),
                            lit("kind"),
                            lit("=="),
                            lit("\"percent\""),
                            lit(")"),
                        ]),
                        _ => {}
                    }
                    t.extend([lit(":"), Tok::Break, Tok::Kw("score", "得分")]);
                    t.extend(score);
                    t.push(Tok::Break);
                    if let Some(cap) = cap {
                        t.push(Tok::Kw("cap", "封顶"));
                        t.extend(cap);
                        t.push(Tok::Break);
                    }
                    t.extend([
                        Tok::Kw("if", "如果"),
                        lit("A"),
                        lit("=="),
                        lit("0"),
                        lit(":"),
                        lit("weight"),
                        Tok::Break,
                    ]);
                }
                if text_class {
                    t.extend([
                        Tok::Kw("class", "类别"),
                        lit("q"),
                        lit("\"定性\""),
                        Tok::Kw("for", "适用"),
                        Tok::Kw("text", "文字"),
                        lit(":"),
                        Tok::Break,
                    ]);
                    for (name, open, lo, hi, close) in [
                        ("达成", "[", "80%", "100%", "]"),
                        ("部分达成", "[", "50%", "80%", ")"),
                        ("未达成", "[", "0", "50%", ")"),
                    ] {
                        t.extend([
                            Tok::Kw("band", "档位"),
                            lit(name),
                            lit(open),
                            lit(lo),
                            lit(","),
                            lit(hi),
                            lit(close),
                        ]);
                        if name == "达成" {
                            t.extend([
                                Tok::Kw("default", "默认"),
                                lit("100%"),
                                Tok::Kw("when", "当"),
                                lit("B"),
                                lit("=="),
                                lit("A"),
                            ]);
                        }
                        t.push(Tok::Break);
                    }
                    t.extend([
                        Tok::Kw("score", "得分"),
                        lit("weight"),
                        lit("*"),
                        lit("rate"),
                        Tok::Break,
                    ]);
                }
                match optional {
                    Some(0) => t.extend([
                        Tok::Kw("optional", "可选"),
                        Tok::Kw("none", "无"),
                        Tok::Break,
                    ]),
                    Some(1) => t.extend([
                        Tok::Kw("optional", "可选"),
                        Tok::Kw("when", "当"),
                        lit("level1"),
                        lit("=="),
                        lit("\"满意度指标\""),
                        lit(":"),
                        Tok::Kw("rescale goal", "折算 目标"),
                        Tok::Break,
                    ]),
                    Some(_) => t.extend([
                        Tok::Kw("optional", "可选"),
                        Tok::Kw("when", "当"),
                        lit("level1"),
                        lit("=="),
                        lit("\"满意度指标\""),
                        lit(":"),
                        Tok::Kw("drop", "舍去"),
                        Tok::Break,
                    ]),
                    None => {}
                }
                if let Some(thresholds) = grades {
                    t.push(Tok::Kw("grade", "等级"));
                    for (i, th) in thresholds.iter().rev().enumerate() {
                        if i > 0 {
                            t.push(lit(","));
                        }
                        t.extend([lit(format!("g{i}")), lit(">="), lit(th.to_string())]);
                    }
                    t.extend([lit(","), lit("末等"), Tok::Break]);
                }
                if scale {
                    t.extend([
                        Tok::Kw("scale goals to", "缩放 目标 至"),
                        lit("100"),
                        lit("-"),
                        lit("budget_weight"),
                        Tok::Break,
                    ]);
                }
                t
            },
        )
}

/// Writes tokens with a layout chosen by `choices`: each keyword in English or Chinese,
/// one or more spaces between tokens, `:` `,` `*` `/` `>=` `<=` in either width,
/// and at a line break either a newline, a newline and a comment, or just a space.
fn render_rules(tokens: &[Tok], choices: &[u8]) -> String {
    let mut out = String::new();
    let mut pick = choices.iter().copied().cycle();
    for tok in tokens {
        let c = pick.next().unwrap_or(0);
        match tok {
            Tok::Break => match c % 4 {
                0 => out.push('\n'),
                1 => out.push_str("  # 注释：说明这一行\n"),
                2 => out.push_str("\n\n    "),
                _ => out.push(' '),
            },
            Tok::Kw(en, zh) => {
                out.push_str(if c % 2 == 0 { en } else { zh });
                out.push(' ');
            }
            Tok::Lit(s) => {
                let s = match (s.as_str(), c % 3) {
                    (":", 1) => "：",
                    (",", 1) => "，",
                    _ => s.as_str(),
                };
                out.push_str(s);
                out.push_str(if c % 5 == 0 { "  " } else { " " });
            }
        }
    }
    out.push('\n');
    out
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64, 128))]

    #[test]
    fn fmt_output_compiles_to_the_same_rules(tokens in rule_file(), choices in proptest::collection::vec(any::<u8>(), 1..64)) {
        let text = render_rules(&tokens, &choices);
        let source = Source::new("gen.rules", text.clone());
        let rules = jixiao::compile(&source)
            .unwrap_or_else(|e| panic!("{}\n{text}", crate::support::render(&e)));
        for keywords in [Keywords::Keep, Keywords::Zh, Keywords::En] {
            let formatted = format(&source, keywords)
                .unwrap_or_else(|e| panic!("{}\n{text}", crate::support::render(&e)));
            let again = Source::new("gen.rules", formatted.clone());
            let reparsed = jixiao::compile(&again)
                .unwrap_or_else(|e| panic!("{}\n{formatted}", crate::support::render(&e)));
            prop_assert_eq!(reparsed.canonical(), rules.canonical(), "{:?}:\n{}\n→\n{}", keywords, text, formatted);
            let twice = format(&again, keywords).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(twice, formatted, "formatting is not idempotent ({:?})", keywords);
        }
    }
}
