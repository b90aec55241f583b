//! Test blocks: `test "name":` and its clauses, with the form's fields as written.

use pest::iterators::Pair;

use super::{Builder, Rule, children, span_of};
use crate::syntax::ast::{TestBlock, TestClause, TestValue};
use crate::syntax::error::ParseError;

impl Builder<'_> {
    pub(super) fn test_block(&self, pair: Pair<'_, Rule>) -> Result<TestBlock, ParseError> {
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
    pub(super) fn test_field(
        &self,
        pair: Pair<'_, Rule>,
    ) -> Result<(String, TestValue), ParseError> {
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
