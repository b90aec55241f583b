//! Test blocks: `test "name":` and its clauses, with the form's fields as written.

use pest::iterators::Pair;

use super::{Builder, Rule, children, span_of};
use crate::syntax::ast::{TestBlock, TestClause, TestValue};
use crate::syntax::error::ParseError;
use crate::syntax::vocabulary::{self, Role};

impl Builder<'_> {
    pub(super) fn test_block(&self, pair: Pair<'_, Rule>) -> Result<TestBlock, ParseError> {
        let span = span_of(&pair);
        let mut c = children(pair);
        let name = self.string(c.one())?;
        let clauses = c.map(|p| self.test_clause(p)).collect::<Result<_, _>>()?;
        Ok(TestBlock {
            name,
            clauses,
            span,
        })
    }

    fn test_clause(&self, pair: Pair<'_, Rule>) -> Result<TestClause, ParseError> {
        let span = span_of(&pair);
        Ok(match pair.as_rule() {
            Rule::test_indicator => self.test_indicator(pair)?,
            Rule::test_budget => TestClause::Budget {
                fields: children(pair)
                    .map(|f| self.test_field(f))
                    .collect::<Result<_, _>>()?,
                span,
            },
            Rule::test_form => TestClause::Form(self.string(children(pair).one())?),
            Rule::test_adjustment => {
                let mut c = children(pair);
                let kind = Self::adjustment_kind(&c.one());
                let name = self.string(c.one())?;
                TestClause::Adjustment {
                    kind,
                    name,
                    value: self.test_value(c.one())?,
                    span,
                }
            }
            Rule::test_fact => {
                let mut c = children(pair);
                let mut name = Self::ident(&c.one());
                // `年度` and `单位名称` held in English, as the form's keys are.
                if let Some(en @ ("year" | "department")) =
                    vocabulary::english(&name.name, |r| r == Role::Builtin)
                {
                    en.clone_into(&mut name.name);
                }
                TestClause::Fact {
                    name,
                    value: self.test_value(c.one())?,
                    span,
                }
            }
            Rule::test_expect => {
                let mut e = children(pair);
                let what = e.one().as_str();
                let what = vocabulary::english(what, |r| r == Role::Expect).unwrap_or(what);
                TestClause::Expect {
                    what: what.to_owned(),
                    value: self.test_value(children(e.one()).one())?,
                    span,
                }
            }
            r => unreachable!("test clause {r:?}"),
        })
    }

    /// `indicator FIELDS`, its `entry FIELDS` and its `expect SCORE`.
    fn test_indicator(&self, pair: Pair<'_, Rule>) -> Result<TestClause, ParseError> {
        let span = span_of(&pair);
        let mut fields = Vec::new();
        let mut entries = Vec::new();
        let mut expect = None;
        for f in children(pair) {
            match f.as_rule() {
                Rule::test_field => fields.push(self.test_field(f)?),
                Rule::test_entry => entries.push(
                    children(f)
                        .map(|x| self.test_field(x))
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                Rule::expect_value => expect = Some(self.test_value(children(f).one())?),
                r => unreachable!("test_indicator part {r:?}"),
            }
        }
        Ok(TestClause::Indicator {
            fields,
            entries,
            expect,
            span,
        })
    }

    /// `target "4000人次"`: the key normalised to the form's English key.
    pub(super) fn test_field(
        &self,
        pair: Pair<'_, Rule>,
    ) -> Result<(String, TestValue), ParseError> {
        let mut c = children(pair);
        let key = c.one().as_str();
        let field = |r| matches!(r, Role::TestField | Role::BudgetField);
        let key = vocabulary::english(key, field).unwrap_or(key).to_owned();
        Ok((key, self.test_value(c.one())?))
    }

    pub(super) fn test_value(&self, pair: Pair<'_, Rule>) -> Result<TestValue, ParseError> {
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
}
