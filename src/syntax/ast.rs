//! The abstract syntax tree of a rule file: what was written, with spans, before any
//! name is resolved or type checked.

use compact_str::CompactString;
use rust_decimal::Decimal;

use crate::source::Span;

/// A whole rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// `rules "id" "title"`.
    pub header: Header,
    /// Everything after the header, in file order.
    pub items: Vec<Item>,
}

/// `rules "id" "title"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The rule set's short name, e.g. `hubei-2021`.
    pub id: Str,
    /// Its title for reports.
    pub title: Option<Str>,
    /// `extends "base"`: the rule set this one overrides.
    pub extends: Option<Str>,
    /// The whole header.
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    /// The text without quotes or escapes.
    pub value: String,
    /// The literal including its quotes.
    pub span: Span,
}

/// A name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// One top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `param NAME = EXPR`
    Param(Param),
    /// `round 2 half_up at indicator`
    Rounding(Rounding),
    /// `budget: ...`
    Budget(Budget),
    /// `aggregate number: sum`
    Aggregate(Aggregate),
    /// `class NAME ... : ...`
    Class(Class),
    /// `optional when COND: ACTION`
    Optional(Optional),
    /// `grade 优 >= 90, ...`
    Grades(Grades),
    /// `scale goals to EXPR`
    Scale(Scale),
    /// `cap goal at EXPR`, `cap total at EXPR`
    Cap(CapItem),
    /// `bonus NAME "title": ...`, `deduction NAME "title": ...`
    Adjustment(Adjustment),
    /// `require goals: 80`, `require level1: "产出指标" 50, ...`
    Require(Require),
    /// `source "财预〔2020〕10号" 2020`
    Basis(Basis),
    /// `fact 单位类型: text in ["行政单位", "事业单位"]`
    Fact(Fact),
    /// `test "name": ...`
    Test(TestBlock),
}

/// `test "name": CLAUSES`.
#[derive(Debug, Clone, PartialEq)]
pub struct TestBlock {
    /// The test's name.
    pub name: Str,
    /// Its clauses in file order.
    pub clauses: Vec<TestClause>,
    /// The whole item.
    pub span: Span,
}

/// A literal in a test: a string or a number, as a form would write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestValue {
    /// The text (a number's digits as written).
    pub text: String,
    /// Whether it was a bare number rather than a string.
    pub number: bool,
    /// Where.
    pub span: Span,
}

/// One clause of a test.
#[derive(Debug, Clone, PartialEq)]
pub enum TestClause {
    /// `indicator FIELD VALUE ... [expect SCORE]`: the field names normalised to the
    /// form's English keys (`目标值` → `target`).
    Indicator {
        /// (key, value) pairs.
        fields: Vec<(String, TestValue)>,
        /// Its entries (one fund each), each (key, value) pairs.
        entries: Vec<Vec<(String, TestValue)>>,
        /// The score it must get.
        expect: Option<TestValue>,
        /// The whole clause.
        span: Span,
    },
    /// `budget planned V executed V`.
    Budget {
        /// (key, value) pairs, keys normalised to `planned`/`executed`.
        fields: Vec<(String, TestValue)>,
        /// The whole clause.
        span: Span,
    },
    /// `bonus "title" V`, `deduction "title" V`.
    Adjustment {
        /// Bonus or deduction.
        kind: AdjustmentKind,
        /// The item's name or title, as the form would write it.
        name: Str,
        /// The number the form gives for it.
        value: TestValue,
        /// The whole clause.
        span: Span,
    },
    /// `fact NAME VALUE`: a fact of the test form (`year`, `department` or a declared one).
    Fact {
        /// The fact: `year` and `department` in English (`年度` too), a declared fact's
        /// name as written.
        name: Ident,
        /// Its value.
        value: TestValue,
        /// The whole clause.
        span: Span,
    },
    /// `form "path"`.
    Form(Str),
    /// `expect WHAT VALUE`.
    Expect {
        /// `total`, `grade`, `budget`, `goal` or `error` (normalised to English).
        what: String,
        /// The value.
        value: TestValue,
        /// The whole clause.
        span: Span,
    },
}

/// `scale goals to EXPR`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// What the goals' weights must sum to.
    pub total: Expr,
    /// The whole item.
    pub span: Span,
}

/// `cap goal at EXPR` or `cap total at EXPR`.
#[derive(Debug, Clone, PartialEq)]
pub struct CapItem {
    /// Which score is capped: each goal's, or the total (`indicator` is refused by the
    /// checker: an indicator's cap is a clause of its class).
    pub level: RoundLevel,
    /// The most it may be.
    pub value: Expr,
    /// The whole item.
    pub span: Span,
}

/// `source "DOCUMENT" YEAR`: what the rule set encodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    /// The document, as people cite it.
    pub document: Str,
    /// The year the rules apply from, if given.
    pub year: Option<u32>,
    /// The whole item.
    pub span: Span,
}

/// `fact NAME: TYPE [in ["VALUE", ...]]`: a fact the form states under `[form]`, read
/// by formulas and conditions by its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Its name, which is also the form's key.
    pub name: Ident,
    /// A number or a text.
    pub ty: FactType,
    /// The values a text fact may take; empty: any.
    pub values: Vec<Str>,
    /// The whole item.
    pub span: Span,
}

/// What a form's fact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactType {
    /// A number (`级次 = 2`).
    Number,
    /// A text (`单位类型 = "行政单位"`).
    Text,
}

/// `require goals: EXPR` or `require level1: "NAME" EXPR, ...`: how the form's points
/// must split.
#[derive(Debug, Clone, PartialEq)]
pub struct Require {
    /// What must sum to what.
    pub what: Required,
    /// The whole item.
    pub span: Span,
}

/// What a `require` item fixes.
#[derive(Debug, Clone, PartialEq)]
pub enum Required {
    /// The goals' points sum to this.
    Goals(Expr),
    /// The indicators under each named 一级指标 sum to its points.
    Level1(Vec<(Str, Expr)>),
}

/// Whether an item outside the indicator table adds to the total or takes from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// 加分项: adds up to its `weight`.
    Bonus,
    /// 扣分项: takes from the total.
    Deduction,
}

impl AdjustmentKind {
    /// `加分项` or `扣分项`.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            AdjustmentKind::Bonus => "加分项",
            AdjustmentKind::Deduction => "扣分项",
        }
    }

    /// The keyword, in English: `bonus` or `deduction` (also the form's table).
    #[must_use]
    pub fn keyword(self) -> &'static str {
        match self {
            AdjustmentKind::Bonus => "bonus",
            AdjustmentKind::Deduction => "deduction",
        }
    }
}

/// `bonus NAME "title": CLAUSES` or `deduction NAME "title": CLAUSES`.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjustment {
    /// Bonus or deduction.
    pub kind: AdjustmentKind,
    /// Its name, e.g. `innovation`.
    pub name: Ident,
    /// Its title in the form's terms, e.g. `创新加分`: what a form's `name` writes.
    pub title: Option<Str>,
    /// Its clauses (`weight`, `score`, `cap`, guards) in file order.
    pub clauses: Vec<Clause>,
    /// The header `bonus ... :`.
    pub head: Span,
    /// The whole item.
    pub span: Span,
}

/// `param NAME = EXPR`.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter's name.
    pub name: Ident,
    /// Its value, a constant expression.
    pub value: Expr,
    /// The whole item.
    pub span: Span,
}

/// How a score is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    /// 四舍五入: half away from zero.
    HalfUp,
    /// Half to even (banker's rounding).
    HalfEven,
    /// Toward zero (truncate).
    Down,
    /// Away from zero.
    Up,
}

/// Where rounding happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundLevel {
    /// Each indicator score and the budget score; goals and the total are sums.
    Indicator,
    /// Each goal score and the budget score; the total is their sum.
    Goal,
    /// Only the total.
    Total,
}

/// `round PLACES MODE at LEVEL`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rounding {
    /// Decimal places.
    pub places: u32,
    /// How.
    pub mode: RoundMode,
    /// Where.
    pub level: RoundLevel,
    /// The whole item.
    pub span: Span,
}

/// A clause of `budget:` or of a class.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// `weight EXPR` (budget only).
    Weight(Expr, Span),
    /// `score EXPR`.
    Score(Expr, Span),
    /// `cap EXPR`.
    Cap(Expr, Span),
    /// `if COND: RESULT`.
    Guard(Guard),
    /// `band ...` (text classes only).
    Band(Box<Band>),
}

/// `if COND: EXPR` or `if COND: error "message"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    /// When the case applies.
    pub cond: Expr,
    /// What the score is then.
    pub result: GuardResult,
    /// The whole clause.
    pub span: Span,
}

/// What a guard gives.
#[derive(Debug, Clone, PartialEq)]
pub enum GuardResult {
    /// A score.
    Value(Expr),
    /// An error with this message.
    Fail(Str),
}

/// `budget: CLAUSES`.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// The clauses in file order.
    pub clauses: Vec<Clause>,
    /// The whole item.
    pub span: Span,
    /// The `budget` keyword.
    pub keyword: Span,
}

/// What kind of values an aggregation applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AggTarget {
    /// Absolute quantities (绝对值).
    Number,
    /// Percentages (相对值).
    Percent,
    /// Qualitative rates (定性指标的得分率).
    Rate,
}

/// How entries combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AggMethod {
    /// 直接累加.
    Sum,
    /// The plain mean.
    Mean,
    /// 按资金额度加权平均.
    MeanByFund,
}

/// `aggregate TARGET: METHOD`.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// What it applies to.
    pub target: AggTarget,
    /// How.
    pub method: AggMethod,
    /// The whole item.
    pub span: Span,
}

/// What values a class scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassKind {
    /// Numbers and percentages (定量指标).
    Numbers,
    /// Text (定性指标).
    Text,
}

/// `class NAME "title" for KIND when COND: CLAUSES`.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// The class's name, e.g. `positive`.
    pub name: Ident,
    /// Its title in the form's terms, e.g. `正向指标`.
    pub title: Option<Str>,
    /// What it scores; may be left out only when overriding a base class.
    pub kind: Option<ClassKind>,
    /// When it applies; always when absent.
    pub when: Option<Expr>,
    /// Its clauses in file order.
    pub clauses: Vec<Clause>,
    /// The header `class ... :`.
    pub head: Span,
    /// The whole item.
    pub span: Span,
}

/// One end of a band's range.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The value.
    pub value: Expr,
    /// `[`/`]` include the end, `(`/`)` exclude it.
    pub inclusive: bool,
}

/// `band NAME [LO, HI] default RATE when COND`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The tier's name, as the form's `tier` writes it.
    pub name: Str,
    /// Lower end.
    pub lo: Bound,
    /// Upper end.
    pub hi: Bound,
    /// The rate used when the form gives a tier but no rate.
    pub default: Option<Expr>,
    /// When the tier applies without the form naming it.
    pub when: Option<Expr>,
    /// The range `[..]` itself.
    pub range: Span,
    /// The whole clause.
    pub span: Span,
}

/// What happens to an optional indicator left unevaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionalAction {
    /// The goal's other indicators are scaled up to keep the goal's full weight.
    RescaleGoal,
    /// Left out of its goal; the total is scaled to the full marks of what was evaluated.
    RescaleTotal,
    /// Left out; its points are lost.
    Drop,
}

/// `optional when COND: ACTION`, or `optional none`.
#[derive(Debug, Clone, PartialEq)]
pub struct Optional {
    /// Which indicators are optional, and what an unevaluated one does; `None` for
    /// `optional none`.
    pub rule: Option<(Expr, OptionalAction)>,
    /// The whole item.
    pub span: Span,
}

/// `grade BAND, BAND, ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grades {
    /// Highest first.
    pub bands: Vec<GradeBand>,
    /// The whole item.
    pub span: Span,
}

/// `优 >= 90` or the last, unconditional `差`.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeBand {
    /// The grade's name.
    pub name: Str,
    /// `>=`/`>` and the threshold; `None` for the last band.
    pub threshold: Option<(bool, Expr)>,
    /// The whole band.
    pub span: Span,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// From its first to its last token.
    pub span: Span,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `not x`
    Not,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and`
    And,
    /// `or`
    Or,
    /// `in`
    In,
}

impl BinOp {
    /// The operator as the language writes it.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::In => "in",
        }
    }

    /// Binding strength, higher binds tighter (the parser's binding powers, `syntax::parser`,
    /// are these times ten).
    #[must_use]
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In => 4,
            BinOp::Add | BinOp::Sub => 5,
            BinOp::Mul | BinOp::Div => 6,
        }
    }
}

/// The forms of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number as written; `percent` when it ended in `%` (the value is then the
    /// number before the `%`: `80%` is `80` with `percent`).
    Number {
        /// The digits' value.
        value: Decimal,
        /// Written with `%`.
        percent: bool,
    },
    /// A string literal.
    Text(CompactString),
    /// A name: a parameter or a built-in such as `A`, `B`, `weight`.
    Name(CompactString),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `f(a, b)`
    Call(Ident, Vec<Expr>),
    /// `if c then a else b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `-x`, `not x`
    Unary(UnOp, Box<Expr>),
    /// `a + b` ...: the operator, and its left and right operands (in one allocation).
    Binary(BinOp, Box<[Expr; 2]>),
    /// `step(x, >= 90%: 1, ..., else: 0)`
    Step(Box<Expr>, Vec<StepArm>),
}

/// One arm of a step table.
#[derive(Debug, Clone, PartialEq)]
pub struct StepArm {
    /// The comparison (`>=`, `>`, `<=`, `<`) and threshold; `None` for `else`.
    pub test: Option<(BinOp, Expr)>,
    /// The value when it holds.
    pub value: Expr,
}
