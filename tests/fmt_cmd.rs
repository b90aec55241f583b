//! `jixiao fmt`: the formatter on every rule file of the repository and on generated
//! ones (idempotent, meaning kept, comments kept, keywords translated both ways), and the
//! command's files, diffs and exit codes.

use std::path::{Path, PathBuf};

use jixiao::syntax::format::{Keywords, format};
use jixiao::{Resolve, Source, Unresolved};

use crate::support::{Scratch, jixiao, render, repo_file as read, repo_path, text};

// ---------------------------------------------------------------------------
// Helpers

/// Resolves `extends` as the CLI does: a file relative to the extending one, else a
/// bundled rule set.
struct Files;

impl Resolve for Files {
    fn resolve(&self, name: &str, from: &Source) -> Result<Source, Unresolved> {
        let path = Path::new(from.name())
            .parent()
            .unwrap_or(Path::new(""))
            .join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Source::new(path.display().to_string(), text)),
            Err(_) => jixiao::bundled(name).ok_or_else(|| format!("no base {name}").into()),
        }
    }
}

fn fmt(name: &str, text: &str, keywords: Keywords) -> String {
    format(&Source::new(name, text), keywords)
        .unwrap_or_else(|e| panic!("{name}: {}\n{text}", render(&e)))
}

/// The compiled rules' span-free dump, or the rendered errors.
fn canonical(name: &str, text: &str) -> Result<String, String> {
    jixiao::compile_with(&Source::new(name, text), &Files, &[])
        .map(|r| r.canonical())
        .map_err(|e| render(&e))
}

/// The parsed file without spans: equal for two texts that say the same, however laid
/// out.
fn ast(text: &str) -> String {
    let file = jixiao::syntax::parse(&Source::new("t.rules", text))
        .unwrap_or_else(|e| panic!("{}\n{text}", render(&e)));
    strip_spans(&format!("{file:?}"))
}

/// The test blocks without spans (the compiled rules count their clauses only).
fn test_blocks(text: &str) -> String {
    let file = jixiao::syntax::parse(&Source::new("t.rules", text))
        .unwrap_or_else(|e| panic!("{}\n{text}", render(&e)));
    let tests: Vec<_> = file
        .items
        .iter()
        .filter(|i| matches!(i, jixiao::syntax::ast::Item::Test(_)))
        .collect();
    strip_spans(&format!("{tests:?}"))
}

fn strip_spans(debug: &str) -> String {
    let mut out = String::new();
    let mut rest = debug;
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = &rest[rest.find('}').map_or(rest.len(), |j| j + 1)..];
    }
    out.push_str(rest);
    out
}

/// Every comment of a rule text, sorted: found line by line, a `#` outside a string.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
            } else if c == '"' {
                in_string = true;
            } else if c == '#' {
                out.push(line[i..].trim_end().to_owned());
                break;
            }
        }
    }
    out.sort();
    out
}

/// Every word of a rule text outside strings and comments.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            let len = match c {
                '#' => break,
                '"' => {
                    // To the closing quote, past escaped ones.
                    let mut escaped = false;
                    rest[1..]
                        .find(|c| {
                            let end = c == '"' && !escaped;
                            escaped = c == '\\' && !escaped;
                            end
                        })
                        .map_or(rest.len(), |i| i + 2)
                }
                c if c.is_alphanumeric() || c == '_' => {
                    let len = rest
                        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    out.push(&rest[..len]);
                    len
                }
                c => c.len_utf8(),
            };
            rest = &rest[len..];
        }
    }
    out
}

/// The names a rule text gives or uses (parameters, classes, bands and grades written
/// bare, names in formulas, `expect` values written bare): what a translation keeps.
fn names(text: &str) -> Vec<String> {
    let debug = ast(text);
    let mut out = Vec::new();
    for marker in ["name: \"", "Name(\"", "value: \"", "text: \""] {
        for (i, _) in debug.match_indices(marker) {
            let rest = &debug[i + marker.len()..];
            out.push(rest[..rest.find('"').unwrap_or(0)].to_owned());
        }
    }
    out
}

/// The words of `out`, written with `keywords`, that are in the other language: every
/// word that is not a name must be in the keywords' language (`fund` left in English in
/// a Chinese file is one).
fn untranslated(out: &str, keywords: Keywords) -> Vec<String> {
    let names = names(out);
    words(out)
        .into_iter()
        .filter(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
        .filter(|w| !names.iter().any(|n| n == w))
        .filter(|w| match keywords {
            Keywords::Zh => w.chars().any(|c| c.is_ascii_alphabetic()),
            _ => !w.is_ascii(),
        })
        .map(str::to_owned)
        .collect()
}

/// Checks (a) idempotence, (b) the same compiled rules (or, for a file that does not
/// compile, the same AST), (c) the same comments, (d) that translating the keywords
/// to Chinese and back keeps the rules, and (e) that a translation leaves no word of the
/// language it left, and going through Chinese gives the English that formatting in
/// English directly gives.
fn check_formatting(name: &str, text: &str) {
    let formatted = fmt(name, text, Keywords::Keep);
    assert_eq!(
        fmt(name, &formatted, Keywords::Keep),
        formatted,
        "{name}: formatting twice changes the text"
    );
    assert_eq!(
        ast(&formatted),
        ast(text),
        "{name}: the AST changed\n{formatted}"
    );
    assert_eq!(
        comments(&formatted),
        comments(text),
        "{name}: comments lost or duplicated\n{formatted}"
    );
    let zh = fmt(name, text, Keywords::Zh);
    let en = fmt(name, &zh, Keywords::En);
    for (k, out) in [(Keywords::Zh, &zh), (Keywords::En, &en)] {
        assert_eq!(&fmt(name, out, k), out, "{name}: {k:?} is not idempotent");
        assert_eq!(
            comments(out),
            comments(text),
            "{name}: {k:?} lost comments\n{out}"
        );
        assert_eq!(
            test_blocks(out),
            test_blocks(text),
            "{name}: {k:?} changed a test"
        );
        assert_eq!(
            untranslated(out, k),
            Vec::<String>::new(),
            "{name}: {k:?} left words untranslated\n{out}"
        );
    }
    assert_eq!(
        en,
        fmt(name, text, Keywords::En),
        "{name}: Chinese then English is not English"
    );
    if let Ok(before) = canonical(name, text) {
        for (what, out) in [("formatted", &formatted), ("zh", &zh), ("zh then en", &en)] {
            let after =
                canonical(name, out).unwrap_or_else(|e| panic!("{name} {what}: {e}\n{out}"));
            assert_eq!(
                after, before,
                "{name}: the {what} file means something else\n{out}"
            );
        }
    }
}

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rules") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    repo_path("")
}

// ---------------------------------------------------------------------------
// The repository's rule files

#[test]
fn every_rule_file_of_the_repository_formats_to_the_same_rules() {
    let mut files = Vec::new();
    for dir in ["rules", "examples", "tests/fixtures"] {
        rule_files(&root().join(dir), &mut files);
    }
    files.sort();
    let (mut compiled, mut parsed) = (0, 0);
    for path in &files {
        let name = path
            .strip_prefix(root())
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        if jixiao::syntax::parse(&Source::new(name.as_str(), text.as_str())).is_err() {
            assert!(format(&Source::new(name.as_str(), text.as_str()), Keywords::Keep).is_err());
            continue;
        }
        // Relative `extends` resolve from the file's real path.
        let full = path.display().to_string();
        check_formatting(&full, &text);
        parsed += 1;
        if canonical(&full, &text).is_ok() {
            compiled += 1;
        }
    }
    // rules/ (3), examples/ (4) and the fixtures that compile, at least.
    assert!(compiled >= 7, "only {compiled} files compiled");
    assert!(
        parsed > compiled,
        "no fixture that parses without compiling was tried"
    );
}

#[test]
fn the_chinese_hubei_rules_in_english_are_the_bundled_rules() {
    let en = fmt(
        "examples/hubei-2021-zh.rules",
        &read("examples/hubei-2021-zh.rules"),
        Keywords::En,
    );
    assert!(en.starts_with("# 湖北省"), "{en}");
    assert!(en.contains("\nrules \"hubei-2021\""), "{en}");
    assert!(
        en.contains("\nclass 反向 \"反向指标\" for numbers when op in"),
        "{en}"
    );
    // The Chinese file carries one test block of its own; otherwise the same rules.
    let strip = |s: String| {
        s.lines()
            .filter(|l| !l.starts_with("test "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let bundled = canonical("rules/hubei-2021.rules", &read("rules/hubei-2021.rules"));
    let translated = canonical("hubei-2021-zh-en.rules", &en);
    assert_eq!(
        strip(translated.unwrap_or_else(|e| panic!("{e}"))),
        strip(bundled.unwrap_or_else(|e| panic!("{e}")))
    );
}

#[test]
fn the_chinese_example_is_already_in_chinese_canonical_form() {
    let text = read("examples/hubei-2021-zh.rules");
    assert_eq!(fmt("zh.rules", &text, Keywords::Zh), text);
    assert_eq!(fmt("zh.rules", &text, Keywords::Keep), text);
}

// ---------------------------------------------------------------------------
// Generated rule files

/// A linear congruential generator (Knuth's MMIX constants): deterministic, no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Where an expression is: which names it may use.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Parameters, band ranges, grade thresholds: numbers and earlier parameters only.
    Const,
    /// `budget:`: A, B and weight.
    Budget,
    /// A `for numbers` class.
    Numbers,
    /// The condition of a `for text` class or of a band.
    TextWhen,
    /// The formulas of a `for text` class (`rate` too).
    TextScore,
    /// `optional when`.
    Optional,
}

/// Writes a random but valid rule file token by token, with random whitespace, line
/// breaks and comments between the tokens and a random mix of keyword languages.
struct Gen {
    rng: Rng,
    out: String,
    comments: usize,
    /// 0: English keywords, 1: Chinese, 2: each keyword either.
    language: usize,
    params: Vec<&'static str>,
}

const PARAM_NAMES: &[&str] = &["budget_weight", "p1", "阈值", "预算分值", "x_2", "类别一"];
const TEXT_VARS: &[(&str, &str)] = &[
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("goal", "年度目标"),
];

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut rng = Rng(seed);
        let language = rng.below(3);
        Gen {
            rng,
            out: String::new(),
            comments: 0,
            language,
            params: Vec::new(),
        }
    }

    /// Whitespace, a line break or a comment: whatever separates two tokens.
    fn sep(&mut self) {
        let r = self.rng.below(100);
        let s = match r {
            0..=54 => " ".to_owned(),
            55..=62 => "  ".to_owned(),
            63..=72 => "\n".to_owned(),
            73..=80 => "\n    ".to_owned(),
            81..=84 => "\n\n".to_owned(),
            85..=87 => "\t".to_owned(),
            88..=89 => "\u{3000}".to_owned(),
            90..=94 => {
                self.comments += 1;
                format!("  # c{} 行尾 \"引号 # 井号\n", self.comments)
            }
            _ => {
                self.comments += 1;
                let blank = if self.rng.chance(50) { "\n" } else { "" };
                format!("\n{blank}    # c{} own line\n{blank}", self.comments)
            }
        };
        self.out.push_str(&s);
    }

    fn tok(&mut self, t: &str) {
        self.sep();
        self.out.push_str(t);
    }

    fn kw(&mut self, en: &str, zh: &str) {
        let zh_now = match self.language {
            0 => false,
            1 => true,
            _ => self.rng.chance(50),
        };
        self.tok(if zh_now { zh } else { en });
    }

    fn comma(&mut self) {
        let c = if self.rng.chance(80) { "," } else { "，" };
        self.tok(c);
    }

    fn colon(&mut self) {
        let c = if self.rng.chance(80) { ":" } else { "：" };
        self.tok(c);
    }

    fn string(&mut self, s: &str) {
        self.tok(&format!("\"{s}\""));
    }

    /// A number literal, never 0: `37`, `2.5`, `80%`, `0.50`.
    fn number(&mut self) {
        let n = match self.rng.below(5) {
            0 => format!("{}", self.rng.below(200) + 1),
            1 => format!("{}.5", self.rng.below(20)),
            2 => format!("{}0%", self.rng.below(10) + 1),
            3 => "0.50".to_owned(),
            _ => format!("{}", self.rng.below(10) + 1),
        };
        self.tok(&n);
    }

    /// A number-valued expression.
    fn num(&mut self, scope: Scope, depth: usize) {
        if depth == 0 || self.rng.chance(30) {
            return self.num_leaf(scope);
        }
        match self.rng.below(9) {
            0 | 1 => {
                self.num(scope, depth - 1);
                let op = self.rng.pick(&["+", "-", "*", "×"]);
                self.tok(op);
                if scope == Scope::Const && op != "+" && op != "-" {
                    // Constants stay small: multiply only by a small literal.
                    let k = self.rng.pick(&["2", "3", "0.5", "10%"]);
                    self.tok(k);
                } else {
                    self.num(scope, depth - 1);
                }
            }
            2 => {
                self.num(scope, depth - 1);
                let op = self.rng.pick(&["/", "÷"]);
                self.tok(op);
                if scope == Scope::Const {
                    let d = self.rng.pick(&["2", "4", "5", "10"]);
                    self.tok(d);
                } else {
                    self.num(scope, depth - 1);
                }
            }
            3 => {
                self.tok("(");
                self.num(scope, depth - 1);
                self.tok(")");
            }
            4 => {
                self.tok("-");
                self.num(scope, depth - 1);
            }
            5 => {
                let f = self.rng.pick(&["min", "max", "floor", "ceil", "abs"]);
                self.tok(f);
                self.tok("(");
                let n = if f == "min" || f == "max" {
                    1 + self.rng.below(3)
                } else {
                    1
                };
                for i in 0..n {
                    if i > 0 {
                        self.comma();
                    }
                    self.num(scope, depth - 1);
                }
                self.tok(")");
            }
            6 => {
                // Brackets, so that the greedy `else` takes no more than it should.
                self.tok("(");
                self.kw("if", "如果");
                self.cond(scope, depth - 1);
                self.kw("then", "则");
                self.num(scope, depth - 1);
                self.kw("else", "否则");
                self.num(scope, depth - 1);
                self.tok(")");
            }
            7 => {
                self.kw("step", "分档");
                self.tok("(");
                self.num(scope, depth - 1);
                for _ in 0..1 + self.rng.below(3) {
                    self.comma();
                    let cmp = self.rng.pick(&[">=", "≥", ">", "<=", "≤", "<"]);
                    self.tok(cmp);
                    self.num(scope, depth - 1);
                    self.colon();
                    self.num(scope, depth - 1);
                }
                self.comma();
                self.kw("else", "否则");
                if self.rng.chance(70) {
                    self.colon();
                }
                self.num(scope, depth - 1);
                self.tok(")");
            }
            _ => self.num_leaf(scope),
        }
    }

    fn num_leaf(&mut self, scope: Scope) {
        let mut names: Vec<(&str, &str)> = match scope {
            Scope::Const => vec![],
            Scope::Budget | Scope::Numbers => vec![("A", "A"), ("B", "B"), ("weight", "权重")],
            Scope::TextWhen | Scope::Optional => vec![("weight", "权重")],
            Scope::TextScore => vec![("weight", "权重"), ("rate", "得分率")],
        };
        let params = self.params.clone();
        names.extend(params.iter().map(|p| (*p, *p)));
        if names.is_empty() || self.rng.chance(40) {
            self.number();
        } else {
            let (en, zh) = names[self.rng.below(names.len())];
            self.kw(en, zh);
        }
    }

    /// A condition.
    fn cond(&mut self, scope: Scope, depth: usize) {
        let texts = !matches!(scope, Scope::Const | Scope::Budget);
        let choice = if depth == 0 {
            self.rng.below(3)
        } else {
            self.rng.below(8)
        };
        match choice {
            0 => {
                self.num(scope, depth.saturating_sub(1));
                let op = self
                    .rng
                    .pick(&["==", "!=", "<", "<=", ">", ">=", "≥", "≤", "≠"]);
                self.tok(op);
                self.num(scope, depth.saturating_sub(1));
            }
            1 if texts => self.text_comparison(scope),
            1 | 2 => {
                let (en, zh) = if self.rng.chance(50) {
                    ("true", "真")
                } else {
                    ("false", "假")
                };
                self.kw(en, zh);
            }
            3 | 4 => {
                self.cond(scope, depth - 1);
                if self.rng.chance(50) {
                    self.kw("and", "且");
                } else {
                    self.kw("or", "或");
                }
                self.cond(scope, depth - 1);
            }
            5 => {
                self.kw("not", "非");
                self.cond(scope, depth - 1);
            }
            6 => {
                self.tok("(");
                self.cond(scope, depth - 1);
                self.tok(")");
            }
            _ => {
                self.tok("(");
                self.kw("if", "如果");
                self.cond(scope, depth - 1);
                self.kw("then", "则");
                self.cond(scope, depth - 1);
                self.kw("else", "否则");
                self.cond(scope, depth - 1);
                self.tok(")");
            }
        }
    }

    /// `op == "<="`, `direction in ["negative", "反向"]`, `level1 != "..."`, `A == B`.
    fn text_comparison(&mut self, scope: Scope) {
        let text_scope = matches!(scope, Scope::TextWhen | Scope::TextScore);
        match self.rng.below(if text_scope { 5 } else { 4 }) {
            0 => {
                self.kw("op", "比较符");
                if self.rng.chance(50) {
                    self.tok("==");
                    let v = self.rng.pick(&["\"<=\"", "\"=\"", "\"\"", "\"≥\""]);
                    self.tok(v);
                } else {
                    self.kw("in", "属于");
                    self.tok("[");
                    self.string("<=");
                    self.comma();
                    self.string("<");
                    self.tok("]");
                }
            }
            1 => {
                self.kw("direction", "方向");
                let op = self.rng.pick(&["==", "!="]);
                self.tok(op);
                let v = self.rng.pick(&["\"negative\"", "\"反向\"", "\"\""]);
                self.tok(v);
            }
            2 => {
                self.kw("kind", "类型");
                self.tok("==");
                let v = self.rng.pick(&["\"percent\"", "\"number\"", "\"text\""]);
                self.tok(v);
            }
            3 => {
                let (en, zh) = TEXT_VARS[self.rng.below(TEXT_VARS.len())];
                self.kw(en, zh);
                let op = self.rng.pick(&["==", "!="]);
                self.tok(op);
                let v = self.rng.pick(&[
                    "\"满意度指标\"",
                    "\"带 # 井号\"",
                    "\"引号 \\\" 与反斜杠 \\\\\"",
                ]);
                self.tok(v);
            }
            _ => {
                if self.rng.chance(50) {
                    self.tok("A");
                    self.tok("==");
                    self.tok("B");
                } else {
                    self.kw("tier", "档次");
                    self.tok("==");
                    self.string("达成");
                }
            }
        }
    }

    fn guard(&mut self, scope: Scope) {
        self.kw("if", "如果");
        self.cond(scope, 2);
        self.colon();
        if self.rng.chance(30) {
            self.kw("error", "报错");
            self.string("出错 # 不是注释");
        } else {
            self.num(scope, 2);
        }
    }

    /// A constant that is never negative, as a weight must be: `abs(…)`.
    fn non_negative(&mut self) {
        self.tok("abs");
        self.tok("(");
        self.num(Scope::Const, 1);
        self.tok(")");
    }

    fn param(&mut self) {
        let free: Vec<&'static str> = PARAM_NAMES
            .iter()
            .copied()
            .filter(|p| !self.params.contains(p))
            .collect();
        if free.is_empty() {
            return;
        }
        let name = free[self.rng.below(free.len())];
        self.kw("param", "参数");
        self.tok(name);
        self.tok("=");
        self.num(Scope::Const, 2);
        self.params.push(name);
    }

    fn budget(&mut self) {
        self.kw("budget", "预算");
        self.colon();
        let mut clauses = vec![0, 1];
        if self.rng.chance(50) {
            clauses.push(2);
        }
        let n = self.rng.below(3);
        clauses.extend(std::iter::repeat_n(3, n));
        self.shuffle(&mut clauses);
        for c in clauses {
            match c {
                0 => {
                    self.kw("weight", "分值");
                    self.non_negative();
                }
                1 => {
                    self.kw("score", "得分");
                    self.num(Scope::Budget, 3);
                }
                2 => {
                    self.kw("cap", "封顶");
                    self.num(Scope::Budget, 2);
                }
                _ => self.guard(Scope::Budget),
            }
        }
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.rng.below(i + 1);
            xs.swap(i, j);
        }
    }

    fn class(&mut self, name: &str, text: bool) {
        self.kw("class", "类别");
        self.tok(name);
        if self.rng.chance(60) {
            self.string("标题 \\\"引\\\" # 号");
        }
        self.kw("for", "适用");
        if text {
            self.kw("text", "文字");
        } else {
            self.kw("numbers", "数值");
        }
        let (when, score) = if text {
            (Scope::TextWhen, Scope::TextScore)
        } else {
            (Scope::Numbers, Scope::Numbers)
        };
        if self.rng.chance(60) {
            self.kw("when", "当");
            self.cond(when, 2);
        }
        self.colon();
        let mut clauses = vec![0];
        if self.rng.chance(50) {
            clauses.push(1);
        }
        let n = self.rng.below(3);
        clauses.extend(std::iter::repeat_n(2, n));
        if text {
            clauses.push(3);
        }
        self.shuffle(&mut clauses);
        for c in clauses {
            match c {
                0 => {
                    self.kw("score", "得分");
                    self.num(score, 3);
                }
                1 => {
                    self.kw("cap", "封顶");
                    self.num(score, 2);
                }
                2 => self.guard(score),
                _ => self.bands(),
            }
        }
    }

    /// Bands that split [0%, 100%] without gap or overlap.
    fn bands(&mut self) {
        let n = self.rng.below(4);
        let mut cuts: Vec<usize> = Vec::new();
        while cuts.len() + 1 < n {
            let c = 5 * (1 + self.rng.below(19));
            if !cuts.contains(&c) {
                cuts.push(c);
            }
        }
        cuts.sort_unstable();
        let mut bounds = vec![0];
        bounds.extend(&cuts);
        bounds.push(100);
        let names = ["达成", "部分达成", "\"未 达成\"", "差一点"];
        let mut lo_inclusive = self.rng.chance(50);
        for i in 0..n {
            let (lo, hi) = (bounds[i], bounds[i + 1]);
            let hi_inclusive = self.rng.chance(50);
            self.kw("band", "档位");
            self.tok(names[i]);
            self.tok(if lo_inclusive { "[" } else { "(" });
            self.tok(&percent(lo));
            self.comma();
            self.tok(&percent(hi));
            self.tok(if hi_inclusive { "]" } else { ")" });
            let with_when = self.rng.chance(30);
            if with_when || self.rng.chance(30) {
                self.kw("default", "默认");
                let d = if lo_inclusive {
                    percent(lo)
                } else if hi_inclusive {
                    percent(hi)
                } else {
                    format!("{}.5%", (lo + hi) / 2)
                };
                self.tok(&d);
            }
            if with_when {
                self.kw("when", "当");
                self.cond(Scope::TextWhen, 1);
            }
            lo_inclusive = !hi_inclusive;
        }
    }

    fn grades(&mut self) {
        self.kw("grade", "等级");
        let names = ["优", "\"良 好\"", "中", "差"];
        let n = 1 + self.rng.below(4);
        let mut threshold = 100;
        for (i, name) in names.iter().enumerate().take(n) {
            if i > 0 {
                self.comma();
            }
            self.tok(name);
            if i + 1 < n {
                threshold -= 5 + self.rng.below(10);
                let cmp = self.rng.pick(&[">=", "≥", ">"]);
                self.tok(cmp);
                self.tok(&threshold.to_string());
            }
        }
    }

    fn test_fields(&mut self, entry: bool) {
        const FIELDS: &[(&str, &str)] = &[
            ("target", "目标值"),
            ("actual", "实际值"),
            ("weight", "权重"),
            ("tier", "档次"),
            ("level1", "一级指标"),
        ];
        if entry {
            self.tok("fund");
            self.string("100万元");
        }
        for _ in 0..1 + self.rng.below(3) {
            let (en, zh) = FIELDS[self.rng.below(FIELDS.len())];
            self.kw(en, zh);
            if self.rng.chance(70) {
                self.string("4000人次");
            } else {
                self.tok("-2.5");
            }
        }
    }

    fn test(&mut self, name: usize) {
        self.kw("test", "测试");
        self.string(&format!("测试 {name} # 不是注释"));
        self.colon();
        if self.rng.chance(20) {
            self.kw("form", "表单");
            self.string("../examples/tongcheng-2021.toml");
        } else {
            if self.rng.chance(40) {
                self.kw("budget", "预算");
                self.kw("planned", "预算数");
                self.string("100万元");
                self.kw("executed", "执行数");
                self.tok("95");
            }
            for _ in 0..1 + self.rng.below(2) {
                self.kw("indicator", "指标");
                self.test_fields(false);
                for _ in 0..self.rng.below(3) {
                    self.kw("entry", "分项");
                    self.test_fields(true);
                }
                if self.rng.chance(50) {
                    self.kw("expect", "期望");
                    if self.rng.chance(50) {
                        self.tok("1.96");
                    } else {
                        self.string("不计");
                    }
                }
            }
        }
        for _ in 0..1 + self.rng.below(2) {
            self.kw("expect", "期望");
            match self.rng.below(3) {
                0 => {
                    self.kw("total", "总分");
                    self.tok("96.53");
                }
                1 => {
                    self.kw("grade", "等级");
                    let g = self.rng.pick(&["优", "\"良\""]);
                    self.tok(g);
                }
                _ => {
                    self.kw("error", "错误");
                    self.string("jixiao::eval::rule_error");
                }
            }
        }
    }

    fn file(mut self) -> String {
        self.kw("rules", "规则");
        self.string("gen # 1");
        if self.rng.chance(70) {
            self.string("生成的规则 \\\"引号\\\"");
        }
        // Items in a random order; parameters are defined as they come, so a later
        // item may read those before it.
        let mut items: Vec<u8> = vec![b'b'];
        let n = self.rng.below(5);
        items.extend(std::iter::repeat_n(b'p', n));
        for (code, percent) in [(b'r', 50), (b'g', 60), (b's', 30), (b'o', 50), (b'n', 15)] {
            if self.rng.chance(percent) {
                items.push(code);
            }
        }
        let n = self.rng.below(4);
        items.extend(std::iter::repeat_n(b'c', n));
        let n = self.rng.below(3);
        items.extend(std::iter::repeat_n(b'a', n));
        let n = self.rng.below(3);
        items.extend(std::iter::repeat_n(b't', n));
        self.shuffle(&mut items);
        let mut classes = ["negative", "positive", "定性", "类别一", "rules2"].into_iter();
        let mut aggregates = vec![
            ("number", "数值"),
            ("percent", "百分比"),
            ("rate", "得分率"),
        ];
        let mut tests = 0;
        for item in items {
            match item {
                b'b' => self.budget(),
                b'p' => self.param(),
                b'r' => {
                    self.kw("round", "保留");
                    let places = self.rng.below(5).to_string();
                    self.tok(&places);
                    if self.rng.chance(30) {
                        self.tok("位");
                    }
                    let modes = [
                        ("half_up", "四舍五入"),
                        ("half_even", "银行家舍入"),
                        ("down", "截尾"),
                        ("up", "进一"),
                    ];
                    let (en, zh) = modes[self.rng.below(modes.len())];
                    self.kw(en, zh);
                    self.kw("at", "于");
                    let levels = [("indicator", "指标"), ("goal", "目标"), ("total", "总分")];
                    let (en, zh) = levels[self.rng.below(levels.len())];
                    self.kw(en, zh);
                }
                b'g' => self.grades(),
                b's' => {
                    self.kw("scale", "缩放");
                    self.kw("goals", "目标");
                    self.kw("to", "至");
                    self.non_negative();
                }
                b'o' => {
                    self.kw("optional", "可选");
                    self.kw("when", "当");
                    self.cond(Scope::Optional, 2);
                    self.colon();
                    if self.rng.chance(50) {
                        self.kw("rescale", "折算");
                        self.kw("goal", "目标");
                    } else {
                        self.kw("drop", "舍去");
                    }
                }
                b'n' => {
                    self.kw("optional", "可选");
                    self.kw("none", "无");
                }
                b'c' => {
                    if let Some(name) = classes.next() {
                        let text = self.rng.chance(40);
                        self.class(name, text);
                    }
                }
                b'a' => {
                    if !aggregates.is_empty() {
                        let (en, zh) = aggregates.remove(self.rng.below(aggregates.len()));
                        self.kw("aggregate", "汇总");
                        self.kw(en, zh);
                        self.colon();
                        match self.rng.below(4) {
                            0 => self.kw("sum", "累加"),
                            1 => self.kw("mean", "平均"),
                            2 => {
                                self.kw("mean", "平均");
                                self.kw("by", "按");
                                self.kw("fund", "资金");
                            }
                            _ => self.tok("按资金加权"),
                        }
                    }
                }
                _ => {
                    tests += 1;
                    self.test(tests);
                }
            }
        }
        self.sep();
        self.out
    }
}

fn percent(n: usize) -> String {
    format!("{n}%")
}

/// Formats generated files and checks each as a repository file is: the third `part` of
/// 300 under CI, of 60 in a developer's `cargo test` ([`crate::support::cases`]).
fn check_generated(part: u64) {
    let n = u64::from(crate::support::cases(20, 100));
    for seed in part * n..(part + 1) * n {
        let text = Gen::new(seed).file();
        let name = format!("generated-{seed}.rules");
        if let Err(e) = canonical(&name, &text) {
            panic!("generated file {seed} does not compile (a generator bug):\n{e}\n{text}");
        }
        check_formatting(&name, &text);
    }
}

// Generated files, in three tests so that they run in parallel.
#[test]
fn generated_rule_files_format_to_the_same_rules_1() {
    check_generated(0);
}

#[test]
fn generated_rule_files_format_to_the_same_rules_2() {
    check_generated(1);
}

#[test]
fn generated_rule_files_format_to_the_same_rules_3() {
    check_generated(2);
}

#[test]
fn the_generator_writes_what_it_should() {
    // The generator itself: every file different, comments and both languages present.
    let texts: Vec<String> = (0..50).map(|s| Gen::new(s).file()).collect();
    let distinct: std::collections::HashSet<&String> = texts.iter().collect();
    assert_eq!(distinct.len(), texts.len());
    assert!(texts.iter().all(|t| t.contains('#')));
    assert!(texts.iter().any(|t| t.contains("规则")) && texts.iter().any(|t| t.contains("rules")));
    assert!(texts.iter().any(|t| t.contains("分档")) && texts.iter().any(|t| t.contains("step")));
    assert!(texts.iter().any(|t| t.contains("档位")) && texts.iter().any(|t| t.contains("band")));
}

// ---------------------------------------------------------------------------
// The command

/// A rule file laid out badly, with comments in every position a comment can take.
const MESSY: &str = "# 文件开头的注释\n\n\
rules \"messy\"   \"乱排的规则 # 标题里的井号不是注释\"  # 头部行尾\n\
# 参数前\n\
param budget_weight=20 param 阈值 = 130%   # 参数行尾\n\
\n\n\n\
round 2 half_up\n   at indicator\n\
budget :   # budget 行尾\n\
      weight budget_weight\n\
  # score 前\n\
  score weight*B/A   cap    weight\n\
  if A==0 : error \"预算数为 0 # 不是注释\"\n\
aggregate number:sum\n\
\n\
# 两个汇总之间\n\
aggregate percent :mean by fund\n\
class negative \"反向指标\" for numbers when op in [\"<=\",\"<\"]   # 条件后\n\
   or direction==\"negative\" :\n\
score weight*A/B\n\
  cap weight\n\
class qualitative \"定性指标\" for text:\n\
band 达成 [80%,100%] default 100% when B==A\n\
band 部分达成 [50%,80%)  # 部分达成\n\
      band 未达成 [0%, 50%)\n\
    score weight*rate\n\
optional when level1==\"满意度指标\":rescale goal\n\
grade 优>=90,良>=80,   # 良\n\
  中>=60,差\n\
test \"正向\": indicator target \"4000人次\" actual \"3916人次\" weight 2 expect 1.96\n\
# 文件末尾的注释\n";

#[test]
fn check_reports_a_diff_and_changes_nothing() {
    let dir = Scratch::new("check");
    let path = dir.write("messy.rules", MESSY);
    let out = jixiao(&["fmt", "--check", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!("--- {path}\n+++ {path}（格式化后）\n@@ ")),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n-param budget_weight=20 param 阈值 = 130%   # 参数行尾\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n+param budget_weight = 20\n+param 阈值 = 130%  # 参数行尾\n"),
        "{stdout}"
    );
    assert_eq!(text(&out.stderr), "");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), MESSY);
}

#[test]
fn fmt_rewrites_then_check_passes() {
    let dir = Scratch::new("rewrite");
    let messy_path = dir.write("messy.rules", MESSY);
    let tidy_path = dir.write("tidy.rules", read("rules/hubei-2021.rules"));
    let out = jixiao(&["fmt", &messy_path, &tidy_path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    // Only the file that changed is reported (and rewritten).
    assert_eq!(text(&out.stderr), format!("已格式化 {messy_path}\n"));
    let formatted = std::fs::read_to_string(&messy_path).expect("read");
    assert_eq!(formatted, fmt("messy.rules", MESSY, Keywords::Keep));
    insta::assert_snapshot!("messy_file_formatted", formatted);
    let out = jixiao(&["fmt", "--check", &messy_path, &tidy_path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "");
    // No temporary file is left behind.
    assert_eq!(dir.listing(), ["messy.rules", "tidy.rules"]);
}

#[test]
fn a_file_with_a_syntax_error_is_left_alone_and_the_others_are_formatted() {
    let dir = Scratch::new("syntax");
    let broken_text = "rules \"t\"\nbudget:\n    score\n";
    let broken = dir.write("broken.rules", broken_text);
    let fine = dir.write("fine.rules", "rules \"t\" budget: weight 1 score 1\n");
    let out = jixiao(&["fmt", &broken, &fine]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("jixiao::syntax::unexpected"), "{stderr}");
    assert!(stderr.contains(&format!("已格式化 {fine}")), "{stderr}");
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), broken_text);
    assert_eq!(
        std::fs::read_to_string(&fine).expect("read"),
        "rules \"t\"\n\nbudget:\n    weight 1\n    score 1\n"
    );
    let out = jixiao(&["fmt", "--check", &broken]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn keywords_zh_rewrites_the_bundled_rules_in_chinese_and_en_brings_them_back() {
    let dir = Scratch::new("keywords");
    let original = read("rules/hubei-2021.rules");
    let path = dir.write("hubei-2021.rules", &original);
    let file = &path;
    let out = jixiao(&["fmt", "--keywords", "zh", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let zh = std::fs::read_to_string(file).expect("read");
    insta::assert_snapshot!("hubei_2021_in_chinese_keywords", zh);
    assert_eq!(
        canonical(&path, &zh).unwrap_or_else(|e| panic!("{e}")),
        canonical(&path, &original).unwrap_or_else(|e| panic!("{e}"))
    );
    let out = jixiao(&["fmt", "--keywords", "en", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(file).expect("read"), original);
}

#[test]
fn fmt_needs_a_file_and_a_known_keyword_set() {
    assert_eq!(jixiao(&["fmt"]).status.code(), Some(2));
    let out = jixiao(&["fmt", "--keywords", "fr", "rules/hubei-2021.rules"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_rule_file_in_the_repository_is_in_the_canonical_layout() {
    // Files that do not parse are deliberately malformed test inputs, and the fuzzers'
    // finds (tests/fuzz-cases/) are kept byte for byte; every other rule file, bundled,
    // example or fixture, must already be formatted.
    let mut files = Vec::new();
    for dir in ["rules", "examples", "tests"] {
        rule_files(&root().join(dir), &mut files);
    }
    let fuzz_cases = root().join("tests/fuzz-cases");
    files.retain(|f| !f.starts_with(&fuzz_cases));
    let mut checked = 0;
    let mut unformatted = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let source = jixiao::Source::new(path.display().to_string(), text.clone());
        let Ok(formatted) =
            jixiao::syntax::format::format(&source, jixiao::syntax::format::Keywords::Keep)
        else {
            continue;
        };
        checked += 1;
        if formatted != text {
            unformatted.push(path.display().to_string());
        }
    }
    assert!(checked >= 40, "only {checked} rule files parsed");
    assert!(
        unformatted.is_empty(),
        "not formatted (run `jixiao fmt` on them): {unformatted:#?}"
    );
}
