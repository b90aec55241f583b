//! pest pairs → AST. One function per grammar rule; the shapes the grammar guarantees are
//! taken apart with [`Children`], and anything input can reach returns a [`ParseError`].

use std::cell::Cell;

use compact_str::CompactString;
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

use super::ast::{
    AggMethod, AggTarget, Aggregate, Band, BinOp, Bound, Budget, Class, ClassKind, Clause, Expr,
    ExprKind, File, GradeBand, Grades, Guard, GuardResult, Header, Ident, Item, Optional,
    OptionalAction, Param, RoundLevel, RoundMode, Rounding, Scale, StepArm, Str, TestBlock,
    TestClause, TestValue, UnOp,
};
use super::error::ParseError;
use crate::source::{Source, Span};

/// How deeply brackets, calls, lists, step tables, conditionals and prefix operators may
/// nest in one expression: this many levels are accepted, one more is refused. Deeper
/// input is refused before pest sees it ([`super::depth`]), so neither pest's recursion
/// nor ours can exhaust the stack; the tree is counted exactly as it is built.
pub const MAX_DEPTH: usize = 64;

/// How deep one expression's tree may grow (operators chained without brackets).
pub const MAX_TREE_DEPTH: usize = 256;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
pub(crate) struct RulesParser;

/// Binding powers: a binary operator's is its [`BinOp::precedence`] times ten; the prefix
/// operators' sit between them: `not` between `and` (20) and the comparisons (40), `-x`
/// above `*` (60). A higher power binds tighter. A prefix operator's operand is read at
/// one less than its own power; a binary operator's right operand at its own, so that
/// operators of one level group from the left.
const NOT: u8 = 30;
const NEG: u8 = 70;

/// A binary operator's binding power (see [`NOT`]).
fn power(op: BinOp) -> u8 {
    op.precedence() * 10
}

/// An `operator` token's meaning, from its text.
fn binary_op(text: &str) -> BinOp {
    match text {
        "*" | "×" => BinOp::Mul,
        "/" | "÷" => BinOp::Div,
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "==" => BinOp::Eq,
        "!=" | "≠" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" | "≤" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" | "≥" => BinOp::Ge,
        "and" | "且" => BinOp::And,
        "or" | "或" => BinOp::Or,
        "in" | "属于" => BinOp::In,
        t => unreachable!("not an operator: {t}"),
    }
}

/// Parses a rule file into its AST.
///
/// # Errors
/// A [`ParseError`] for the first syntax error, pointing into `source`.
pub fn parse(source: &Source) -> Result<File, ParseError> {
    let text = source.text();
    super::depth::check_depth(source)?;
    let mut pairs =
        RulesParser::parse(Rule::file, text).map_err(|e| ParseError::from_pest(source, &e))?;
    let Some(file_pair) = pairs.next() else {
        unreachable!("pest returns the `file` pair on success")
    };
    let b = Builder {
        source,
        nest: Cell::new(0),
        outer: Cell::new(0),
    };
    b.file(file_pair)
}

/// The significant children of a pair: keyword tokens are skipped.
struct Children<'i> {
    inner: pest::iterators::Pairs<'i, Rule>,
}

impl<'i> Iterator for Children<'i> {
    type Item = Pair<'i, Rule>;
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.by_ref().find(|p| !is_keyword(p.as_rule()))
    }
}

impl<'i> Children<'i> {
    /// The next child, which the grammar guarantees.
    fn one(&mut self) -> Pair<'i, Rule> {
        match self.next() {
            Some(p) => p,
            None => unreachable!("the grammar guarantees this child"),
        }
    }
}

fn children(pair: Pair<'_, Rule>) -> Children<'_> {
    Children {
        inner: pair.into_inner(),
    }
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_rules
            | Rule::kw_param
            | Rule::kw_round
            | Rule::kw_at
            | Rule::kw_budget
            | Rule::kw_weight
            | Rule::kw_score
            | Rule::kw_cap
            | Rule::kw_if
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_error
            | Rule::kw_aggregate
            | Rule::kw_sum
            | Rule::kw_mean
            | Rule::kw_by
            | Rule::kw_fund
            | Rule::kw_class
            | Rule::kw_for
            | Rule::kw_when
            | Rule::kw_band
            | Rule::kw_default
            | Rule::kw_optional
            | Rule::kw_rescale
            | Rule::kw_goal
            | Rule::kw_drop
            | Rule::kw_grade
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_not
            | Rule::kw_in
            | Rule::kw_extends
            | Rule::kw_none
            | Rule::kw_scale
            | Rule::kw_goals
            | Rule::kw_to
            | Rule::kw_step
            | Rule::kw_test
            | Rule::kw_expect
            | Rule::kw_indicator
            | Rule::kw_form
            | Rule::kw_fund_weighted
            | Rule::kw_entry
    )
}

/// The span of the character at `at` (empty at the end of the text).
pub(super) fn first_char(text: &str, at: usize) -> Span {
    let len = text
        .get(at..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

struct Builder<'s> {
    source: &'s Source,
    /// How deeply the expression being built is nested here: brackets, calls, lists,
    /// step tables, conditionals and prefix operators, each one level.
    nest: Cell<usize>,
    /// Where the outermost of them begins.
    outer: Cell<usize>,
}

impl Builder<'_> {
    fn file(&self, pair: Pair<'_, Rule>) -> Result<File, ParseError> {
        let mut header = None;
        let mut items = Vec::new();
        for p in children(pair) {
            match p.as_rule() {
                Rule::header => header = Some(self.header(p)?),
                Rule::EOI => {}
                _ => items.push(self.item(p)?),
            }
        }
        let Some(header) = header else {
            unreachable!("the grammar requires a header")
        };
        Ok(File { header, items })
    }

    fn header(&self, pair: Pair<'_, Rule>) -> Result<Header, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let id = self.string(c.one())?;
        let mut title = None;
        let mut extends = None;
        for p in c {
            match p.as_rule() {
                Rule::string => title = Some(self.string(p)?),
                Rule::extends => extends = Some(self.string(children(p).one())?),
                r => unreachable!("header part {r:?}"),
            }
        }
        Ok(Header {
            id,
            title,
            extends,
            span,
        })
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Result<Item, ParseError> {
        Ok(match pair.as_rule() {
            Rule::param => Item::Param(self.param(pair)?),
            Rule::rounding => Item::Rounding(self.rounding(pair)?),
            Rule::budget => Item::Budget(self.budget(pair)?),
            Rule::aggregate => Item::Aggregate(Self::aggregate(pair)),
            Rule::class => Item::Class(self.class(pair)?),
            Rule::optional => Item::Optional(self.optional(pair)?),
            Rule::grades => Item::Grades(self.grades(pair)?),
            Rule::test_block => Item::Test(self.test_block(pair)?),
            Rule::scale => {
                let span = span_of(&pair);
                Item::Scale(Scale {
                    total: self.expr(children(pair).one())?,
                    span,
                })
            }
            r => unreachable!("not an item: {r:?}"),
        })
    }

    fn param(&self, pair: Pair<'_, Rule>) -> Result<Param, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let name = Self::ident(&c.one());
        let value = self.expr(c.one())?;
        Ok(Param { name, value, span })
    }

    fn rounding(&self, pair: Pair<'_, Rule>) -> Result<Rounding, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let places_pair = c.one();
        let places = places_pair
            .as_str()
            .parse::<u32>()
            .ok()
            .filter(|&n| n <= 10)
            .ok_or_else(|| ParseError::BadPlaces {
                src: self.source.named(),
                span: span_of(&places_pair).into(),
            })?;
        let mode = match c.one().as_str() {
            "half_up" | "四舍五入" => RoundMode::HalfUp,
            "half_even" | "银行家舍入" => RoundMode::HalfEven,
            "down" | "截尾" => RoundMode::Down,
            "up" | "进一" => RoundMode::Up,
            m => unreachable!("round_mode {m}"),
        };
        let level = match c.one().as_str() {
            "indicator" | "指标" => RoundLevel::Indicator,
            "goal" | "目标" => RoundLevel::Goal,
            "total" | "总分" => RoundLevel::Total,
            l => unreachable!("round_level {l}"),
        };
        Ok(Rounding {
            places,
            mode,
            level,
            span,
        })
    }

    fn budget(&self, pair: Pair<'_, Rule>) -> Result<Budget, ParseError> {
        let span = span_of(&pair);
        let keyword = pair
            .clone()
            .into_inner()
            .next()
            .map_or(span, |k| span_of(&k));
        let clauses = children(pair)
            .map(|p| self.clause(p))
            .collect::<Result<_, _>>()?;
        Ok(Budget {
            clauses,
            span,
            keyword,
        })
    }

    fn clause(&self, pair: Pair<'_, Rule>) -> Result<Clause, ParseError> {
        let span = span_of(&pair);
        Ok(match pair.as_rule() {
            Rule::weight_clause => Clause::Weight(self.expr(children(pair).one())?, span),
            Rule::score_clause => Clause::Score(self.expr(children(pair).one())?, span),
            Rule::cap_clause => Clause::Cap(self.expr(children(pair).one())?, span),
            Rule::guard => Clause::Guard(self.guard(pair)?),
            Rule::band => Clause::Band(Box::new(self.band(pair)?)),
            r => unreachable!("not a clause: {r:?}"),
        })
    }

    fn guard(&self, pair: Pair<'_, Rule>) -> Result<Guard, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let cond = self.expr(c.one())?;
        let result = c.one();
        let result = match result.as_rule() {
            Rule::fail => GuardResult::Fail(self.string(children(result).one())?),
            _ => GuardResult::Value(self.expr(result)?),
        };
        Ok(Guard { cond, result, span })
    }

    fn aggregate(pair: Pair<'_, Rule>) -> Aggregate {
        let span = span_of(&pair);
        let mut c = children(pair);
        let target = match c.one().as_str() {
            "number" | "数值" => AggTarget::Number,
            "percent" | "百分比" => AggTarget::Percent,
            "rate" | "得分率" => AggTarget::Rate,
            t => unreachable!("agg_target {t}"),
        };
        let method_pair = c.one();
        let parts: Vec<Rule> = method_pair.into_inner().map(|p| p.as_rule()).collect();
        let method = if parts.contains(&Rule::by_fund) || parts.contains(&Rule::kw_fund_weighted) {
            AggMethod::MeanByFund
        } else if parts.contains(&Rule::kw_sum) {
            AggMethod::Sum
        } else {
            AggMethod::Mean
        };
        Aggregate {
            target,
            method,
            span,
        }
    }

    fn class(&self, pair: Pair<'_, Rule>) -> Result<Class, ParseError> {
        let span = span_of(&pair);
        let mut name = None;
        let mut title = None;
        let mut kind = None;
        let mut when = None;
        let mut clauses = Vec::new();
        let mut head_end = span.start;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(Self::ident(&p)),
                Rule::string => title = Some(self.string(p)?),
                Rule::class_kind => {
                    head_end = p.as_span().end();
                    kind = Some(if matches!(p.as_str(), "text" | "文字") {
                        ClassKind::Text
                    } else {
                        ClassKind::Numbers
                    });
                }
                Rule::expr => {
                    let e = self.expr(p)?;
                    head_end = e.span.end;
                    when = Some(e);
                }
                r if is_keyword(r) => {}
                _ => clauses.push(self.clause(p)?),
            }
        }
        let Some(name) = name else {
            unreachable!("a class has a name")
        };
        Ok(Class {
            name,
            title,
            kind,
            when,
            clauses,
            head: Span::new(span.start, head_end),
            span,
        })
    }

    fn band(&self, pair: Pair<'_, Rule>) -> Result<Band, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let name = self.name(c.one())?;
        let range_pair = c.one();
        let range = span_of(&range_pair);
        let mut r = children(range_pair);
        let lo_inclusive = r.one().as_str() == "[";
        let lo = self.expr(r.one())?;
        let hi = self.expr(r.one())?;
        let hi_inclusive = r.one().as_str() == "]";
        let mut default = None;
        let mut when = None;
        for p in c {
            match p.as_rule() {
                Rule::band_default => default = Some(self.expr(children(p).one())?),
                Rule::band_when => when = Some(self.expr(children(p).one())?),
                r => unreachable!("band part {r:?}"),
            }
        }
        Ok(Band {
            name,
            lo: Bound {
                value: lo,
                inclusive: lo_inclusive,
            },
            hi: Bound {
                value: hi,
                inclusive: hi_inclusive,
            },
            default,
            when,
            range,
            span,
        })
    }

    fn optional(&self, pair: Pair<'_, Rule>) -> Result<Optional, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let Some(first) = c.next() else {
            // `optional none`: only the keyword tokens, which `children` skips.
            return Ok(Optional { rule: None, span });
        };
        let when = self.expr(first)?;
        let action_pair = c.one();
        let action = if action_pair
            .into_inner()
            .any(|p| p.as_rule() == Rule::rescale_goal)
        {
            OptionalAction::RescaleGoal
        } else {
            OptionalAction::Drop
        };
        Ok(Optional {
            rule: Some((when, action)),
            span,
        })
    }

    fn test_block(&self, pair: Pair<'_, Rule>) -> Result<TestBlock, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let name = self.string(c.one())?;
        let mut clauses = Vec::new();
        for p in c {
            let cspan = span_of(&p);
            clauses.push(match p.as_rule() {
                Rule::test_indicator => {
                    let mut fields = Vec::new();
                    let mut entries = Vec::new();
                    let mut expect = None;
                    for f in children(p) {
                        match f.as_rule() {
                            Rule::test_field => fields.push(self.test_field(f)?),
                            Rule::test_entry => entries.push(
                                children(f)
                                    .map(|x| self.test_field(x))
                                    .collect::<Result<Vec<_>, _>>()?,
                            ),
                            Rule::expect_value => {
                                expect = Some(self.test_value(children(f).one())?)
                            }
                            r => unreachable!("test_indicator part {r:?}"),
                        }
                    }
                    TestClause::Indicator {
                        fields,
                        entries,
                        expect,
                        span: cspan,
                    }
                }
                Rule::test_budget => {
                    let fields = children(p)
                        .map(|f| self.test_field(f))
                        .collect::<Result<_, _>>()?;
                    TestClause::Budget {
                        fields,
                        span: cspan,
                    }
                }
                Rule::test_form => TestClause::Form(self.string(children(p).one())?),
                Rule::test_expect => {
                    let mut e = children(p);
                    let what = match e.one().as_str() {
                        "total" | "总分" => "total",
                        "grade" | "等级" => "grade",
                        "budget" | "预算" => "budget",
                        "goal" | "目标" => "goal",
                        _ => "error",
                    };
                    let value = self.test_value(children(e.one()).one())?;
                    TestClause::Expect {
                        what: what.to_owned(),
                        value,
                        span: cspan,
                    }
                }
                r => unreachable!("test clause {r:?}"),
            });
        }
        Ok(TestBlock {
            name,
            clauses,
            span,
        })
    }

    /// `target "4000人次"`: the key normalised to the form's English key.
    fn test_field(&self, pair: Pair<'_, Rule>) -> Result<(String, TestValue), ParseError> {
        let mut c = children(pair);
        let key = match c.one().as_str() {
            "一级指标" => "level1",
            "二级指标" => "level2",
            "三级指标" => "name",
            "目标值" => "target",
            "实际值" => "actual",
            "权重" => "weight",
            "自评得分" => "reported",
            "方向" => "direction",
            "档次" => "tier",
            "得分率" => "rate",
            "资金" => "fund",
            "预算数" => "planned",
            "执行数" => "executed",
            other => other,
        }
        .to_owned();
        Ok((key, self.test_value(c.one())?))
    }

    fn test_value(&self, pair: Pair<'_, Rule>) -> Result<TestValue, ParseError> {
        let span = span_of(&pair);
        Ok(match pair.as_rule() {
            Rule::string => TestValue {
                text: self.string(pair)?.value,
                number: false,
                span,
            },
            Rule::signed_number => TestValue {
                text: pair.as_str().to_owned(),
                number: true,
                span,
            },
            _ => TestValue {
                text: pair.as_str().to_owned(),
                number: false,
                span,
            },
        })
    }

    fn grades(&self, pair: Pair<'_, Rule>) -> Result<Grades, ParseError> {
        let span = span_of(&pair);
        let bands = children(pair)
            .map(|p| self.grade_band(p))
            .collect::<Result<_, _>>()?;
        Ok(Grades { bands, span })
    }

    fn grade_band(&self, pair: Pair<'_, Rule>) -> Result<GradeBand, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let name = self.name(c.one())?;
        let threshold = match c.next() {
            Some(cmp) => Some((cmp.as_str() != ">", self.expr(c.one())?)),
            None => None,
        };
        Ok(GradeBand {
            name,
            threshold,
            span,
        })
    }

    fn name(&self, pair: Pair<'_, Rule>) -> Result<Str, ParseError> {
        let inner = children(pair).one();
        match inner.as_rule() {
            Rule::string => self.string(inner),
            _ => Ok(Str {
                value: inner.as_str().to_owned(),
                span: span_of(&inner),
            }),
        }
    }

    fn ident(pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_owned(),
            span: span_of(pair),
        }
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Result<Str, ParseError> {
        let span = span_of(&pair);
        let value = self.unescaped(&pair)?.into_string();
        Ok(Str { value, span })
    }

    /// A string literal's text, escapes resolved; inline (no allocation) when short, as
    /// most strings in formulas are.
    fn unescaped(&self, pair: &Pair<'_, Rule>) -> Result<CompactString, ParseError> {
        let raw = pair.as_str();
        let body = &raw[1..raw.len() - 1];
        if !body.contains('\\') {
            return Ok(CompactString::from(body));
        }
        let mut value = CompactString::with_capacity(body.len());
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                other => {
                    let end = other.map_or(body.len(), |(j, c)| j + c.len_utf8());
                    let at = span_of(pair).start + 1;
                    return Err(ParseError::BadEscape {
                        src: self.source.named(),
                        span: Span::new(at + i, at + end).into(),
                    });
                }
            }
        }
        Ok(value)
    }

    fn number(&self, pair: &Pair<'_, Rule>) -> Result<ExprKind, ParseError> {
        let text = pair.as_str();
        let (digits, percent) = match text.strip_suffix('%') {
            Some(d) => (d, true),
            None => (text, false),
        };
        let value = Decimal::from_str_exact(digits).map_err(|_| ParseError::BadNumber {
            src: self.source.named(),
            span: span_of(pair).into(),
        })?;
        Ok(ExprKind::Number { value, percent })
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
        self.expr_depth(pair).map(|(e, _)| e)
    }

    /// An expression and its tree depth. Long operator chains (`1 + 1 + … + 1`) parse
    /// without recursion but make a deep tree that every later pass would recurse into,
    /// so the depth is bounded here, as the tree is built.
    fn expr_depth(&self, pair: Pair<'_, Rule>) -> Result<(Expr, usize), ParseError> {
        let mut tokens = pair.into_inner();
        self.climb(&mut tokens, 0)
    }

    /// Precedence climbing over an expression's flat tokens (operands, prefix operators,
    /// binary operators): the operand at the front and every binary operator after it
    /// that binds tighter than `floor`, grouping from the left.
    fn climb(&self, tokens: &mut Pairs<'_, Rule>, floor: u8) -> Result<(Expr, usize), ParseError> {
        let Some(first) = tokens.next() else {
            unreachable!("the grammar gives every expression an operand")
        };
        let (mut lhs, mut depth) = match first.as_rule() {
            Rule::neg | Rule::not => {
                let (un, power) = if first.as_rule() == Rule::neg {
                    (UnOp::Neg, NEG)
                } else {
                    (UnOp::Not, NOT)
                };
                let (rhs, depth) =
                    self.nested(span_of(&first), || self.climb(tokens, power - 1))?;
                let e = Expr {
                    span: span_of(&first).to(rhs.span),
                    kind: ExprKind::Unary(un, Box::new(rhs)),
                };
                if depth >= MAX_TREE_DEPTH {
                    return Err(self.too_complex(e.span));
                }
                (e, depth + 1)
            }
            Rule::expr => {
                let inner = span_of(&first);
                // The group's `(`, before the expression (perhaps after white space).
                let open = self.source.text()[..inner.start]
                    .rfind('(')
                    .unwrap_or(inner.start);
                self.nested(Span::new(open, open + 1), || self.expr_depth(first))?
            }
            _ => (self.primary(first)?, 1),
        };
        loop {
            let Some(op) = tokens.peek() else {
                return Ok((lhs, depth));
            };
            let bin = binary_op(op.as_str());
            let power = power(bin);
            if power <= floor {
                return Ok((lhs, depth));
            }
            tokens.next();
            let (rhs, dr) = self.climb(tokens, power)?;
            let d = depth.max(dr);
            if d >= MAX_TREE_DEPTH {
                return Err(self.too_complex(span_of(&op)));
            }
            lhs = Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary(bin, Box::new([lhs, rhs])),
            };
            depth = d + 1;
        }
    }

    /// Runs `build` one level deeper, refusing more than [`MAX_DEPTH`] levels; `at` is
    /// where the level opens (a bracket, `if`, `-`, `not`, a call's name).
    fn nested<T>(
        &self,
        at: Span,
        build: impl FnOnce() -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        let depth = self.nest.get() + 1;
        if depth == 1 {
            self.outer.set(at.start);
        }
        if depth > MAX_DEPTH {
            let text = self.source.text();
            return Err(ParseError::TooDeep {
                src: self.source.named(),
                span: first_char(text, at.start).into(),
                outer: first_char(text, self.outer.get()).into(),
                limit: MAX_DEPTH,
            });
        }
        self.nest.set(depth);
        let built = build();
        self.nest.set(depth - 1);
        built
    }

    fn too_complex(&self, span: Span) -> ParseError {
        ParseError::TooComplex {
            src: self.source.named(),
            span: span.into(),
            limit: MAX_TREE_DEPTH,
        }
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
        match pair.as_rule() {
            Rule::list | Rule::call | Rule::step | Rule::conditional => {
                self.nested(span_of(&pair), || self.primary_kind(pair))
            }
            _ => self.primary_kind(pair),
        }
    }

    fn primary_kind(&self, pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
        let span = span_of(&pair);
        let kind = match pair.as_rule() {
            Rule::number => self.number(&pair)?,
            Rule::string => ExprKind::Text(self.unescaped(&pair)?),
            Rule::ident => ExprKind::Name(pair.as_str().into()),
            Rule::expr => return self.expr(pair),
            Rule::list => ExprKind::List(
                children(pair)
                    .map(|p| self.expr(p))
                    .collect::<Result<_, _>>()?,
            ),
            Rule::call => {
                let mut c = children(pair);
                let f = Self::ident(&c.one());
                ExprKind::Call(f, c.map(|p| self.expr(p)).collect::<Result<_, _>>()?)
            }
            Rule::step => {
                let mut c = children(pair);
                let subject = self.expr(c.one())?;
                let mut arms = Vec::new();
                for arm in c {
                    let mut a = children(arm);
                    let first = a.one();
                    let arm = if first.as_rule() == Rule::step_else {
                        StepArm {
                            test: None,
                            value: self.expr(children(first).one())?,
                        }
                    } else {
                        let op = match first.as_str() {
                            ">=" | "≥" => BinOp::Ge,
                            "<=" | "≤" => BinOp::Le,
                            ">" => BinOp::Gt,
                            _ => BinOp::Lt,
                        };
                        let threshold = self.expr(a.one())?;
                        StepArm {
                            test: Some((op, threshold)),
                            value: self.expr(a.one())?,
                        }
                    };
                    arms.push(arm);
                }
                ExprKind::Step(Box::new(subject), arms)
            }
            Rule::conditional => {
                let mut c = children(pair);
                let cond = self.expr(c.one())?;
                let then = self.expr(c.one())?;
                let els = self.expr(c.one())?;
                ExprKind::If(Box::new(cond), Box::new(then), Box::new(els))
            }
            r => unreachable!("not a primary: {r:?}"),
        };
        Ok(Expr { kind, span })
    }
}
