//! The header and the items (all but tests): one method of [`Builder`] per grammar rule.

use pest::iterators::Pair;

use super::{Builder, Rule, children, is_keyword, span_of};
use crate::source::Span;
use crate::syntax::ast::{
    Adjustment, AdjustmentKind, AggMethod, Aggregate, Band, Basis, Bound, Budget, CapItem, Class,
    Clause, Fact, File, GradeBand, Grades, Guard, GuardResult, Header, Item, Optional,
    OptionalAction, Param, Require, Required, Rounding, Scale,
};
use crate::syntax::error::ParseError;
use crate::syntax::vocabulary::{self, Role};

impl Builder<'_> {
    pub(super) fn file(&self, pair: Pair<'_, Rule>) -> Result<File, ParseError> {
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

    pub(super) fn header(&self, pair: Pair<'_, Rule>) -> Result<Header, ParseError> {
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

    pub(super) fn item(&self, pair: Pair<'_, Rule>) -> Result<Item, ParseError> {
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
            Rule::cap_item => {
                let span = span_of(&pair);
                let mut c = children(pair);
                let level = meaning(&c.one(), |r| match r {
                    Role::RoundLevel(l) => Some(l),
                    _ => None,
                });
                Item::Cap(CapItem {
                    level,
                    value: self.expr(c.one())?,
                    span,
                })
            }
            Rule::adjustment => Item::Adjustment(self.adjustment(pair)?),
            Rule::basis => {
                let span = span_of(&pair);
                let mut c = children(pair);
                let document = self.string(c.one())?;
                let year = match c.next() {
                    Some(y) => Some(
                        y.as_str()
                            .parse::<u32>()
                            .ok()
                            .filter(|y| *y <= 9999)
                            .ok_or_else(|| ParseError::BadPlaces {
                                src: self.source.named(),
                                span: span_of(&y).into(),
                            })?,
                    ),
                    None => None,
                };
                Item::Basis(Basis {
                    document,
                    year,
                    span,
                })
            }
            Rule::require => {
                let span = span_of(&pair);
                let part = children(pair).one();
                let what = match part.as_rule() {
                    Rule::require_goals => Required::Goals(self.expr(children(part).one())?),
                    _ => Required::Level1(
                        children(part)
                            .map(|p| {
                                let mut c = children(p);
                                Ok((self.string(c.one())?, self.expr(c.one())?))
                            })
                            .collect::<Result<_, ParseError>>()?,
                    ),
                };
                Item::Require(Require { what, span })
            }
            Rule::fact => {
                let span = span_of(&pair);
                let mut c = children(pair);
                let name = Self::ident(&c.one());
                let ty = meaning(&c.one(), |r| match r {
                    Role::FactType(t) => Some(t),
                    _ => None,
                });
                let values = match c.next() {
                    Some(v) => children(v)
                        .map(|s| self.string(s))
                        .collect::<Result<_, ParseError>>()?,
                    None => Vec::new(),
                };
                Item::Fact(Fact {
                    name,
                    ty,
                    values,
                    span,
                })
            }
            r => unreachable!("not an item: {r:?}"),
        })
    }

    pub(super) fn param(&self, pair: Pair<'_, Rule>) -> Result<Param, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let name = Self::ident(&c.one());
        let value = self.expr(c.one())?;
        Ok(Param { name, value, span })
    }

    pub(super) fn rounding(&self, pair: Pair<'_, Rule>) -> Result<Rounding, ParseError> {
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
        let mode = meaning(&c.one(), |r| match r {
            Role::RoundMode(m) => Some(m),
            _ => None,
        });
        let level = meaning(&c.one(), |r| match r {
            Role::RoundLevel(l) => Some(l),
            _ => None,
        });
        Ok(Rounding {
            places,
            mode,
            level,
            span,
        })
    }

    pub(super) fn budget(&self, pair: Pair<'_, Rule>) -> Result<Budget, ParseError> {
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

    pub(super) fn clause(&self, pair: Pair<'_, Rule>) -> Result<Clause, ParseError> {
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

    pub(super) fn guard(&self, pair: Pair<'_, Rule>) -> Result<Guard, ParseError> {
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

    pub(super) fn aggregate(pair: Pair<'_, Rule>) -> Aggregate {
        let span = span_of(&pair);
        let mut c = children(pair);
        let target = meaning(&c.one(), |r| match r {
            Role::AggTarget(t) => Some(t),
            _ => None,
        });
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

    /// `bonus NAME "title": CLAUSES` or `deduction …`.
    fn adjustment(&self, pair: Pair<'_, Rule>) -> Result<Adjustment, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let kind = Self::adjustment_kind(&c.one());
        let name = Self::ident(&c.one());
        let mut head_end = name.span.end;
        let mut title = None;
        let mut clauses = Vec::new();
        for p in c {
            match p.as_rule() {
                Rule::string => {
                    let t = self.string(p)?;
                    head_end = t.span.end;
                    title = Some(t);
                }
                _ => clauses.push(self.clause(p)?),
            }
        }
        Ok(Adjustment {
            kind,
            name,
            title,
            clauses,
            head: Span::new(span.start, head_end),
            span,
        })
    }

    /// `bonus` (`加分项`) or `deduction` (`扣分项`).
    pub(super) fn adjustment_kind(pair: &Pair<'_, Rule>) -> AdjustmentKind {
        match pair.clone().into_inner().next().map(|k| k.as_rule()) {
            Some(Rule::kw_deduction) => AdjustmentKind::Deduction,
            _ => AdjustmentKind::Bonus,
        }
    }

    pub(super) fn class(&self, pair: Pair<'_, Rule>) -> Result<Class, ParseError> {
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
                    kind = Some(meaning(&p, |r| match r {
                        Role::ClassKind(k) => Some(k),
                        _ => None,
                    }));
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

    pub(super) fn band(&self, pair: Pair<'_, Rule>) -> Result<Band, ParseError> {
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

    pub(super) fn optional(&self, pair: Pair<'_, Rule>) -> Result<Optional, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let Some(first) = c.next() else {
            // `optional none`: only the keyword tokens, which `children` skips.
            return Ok(Optional { rule: None, span });
        };
        let when = self.expr(first)?;
        let action_pair = c.one();
        let action = match action_pair.into_inner().next().map(|p| p.as_rule()) {
            Some(Rule::rescale_goal) => OptionalAction::RescaleGoal,
            Some(Rule::rescale_total) => OptionalAction::RescaleTotal,
            _ => OptionalAction::Drop,
        };
        Ok(Optional {
            rule: Some((when, action)),
            span,
        })
    }

    pub(super) fn grades(&self, pair: Pair<'_, Rule>) -> Result<Grades, ParseError> {
        let span = span_of(&pair);
        let bands = children(pair)
            .map(|p| self.grade_band(p))
            .collect::<Result<_, _>>()?;
        Ok(Grades { bands, span })
    }

    pub(super) fn grade_band(&self, pair: Pair<'_, Rule>) -> Result<GradeBand, ParseError> {
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
}

/// What a word the grammar accepted in a role's place means: the grammar lists the
/// table's words there (a test in `syntax::vocabulary` holds them equal).
fn meaning<T>(pair: &Pair<'_, Rule>, pick: impl Fn(Role) -> Option<T>) -> T {
    match vocabulary::meaning(pair.as_str(), pick) {
        Some(m) => m,
        None => unreachable!(
            "{:?} `{}` is not in the vocabulary",
            pair.as_rule(),
            pair.as_str()
        ),
    }
}
