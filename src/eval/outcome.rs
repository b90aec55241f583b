//! The result of scoring one form: plain, serialisable data. Explain, diff and audit
//! read it; none of them re-runs the evaluator.
//!
//! Its texts (names, values as written, class names) are borrowed from the form and the
//! rules that produced it (`'a`): building an outcome copies no text but a value joined
//! from several funds' entries, and dropping one frees none. An outcome that must outlive
//! its form is made owned with [`Outcome::into_owned`].

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::code::Code;
use serde::ser::{SerializeStruct, Serializer};

use super::trace::Step;

/// Every score of one form under one rule set, with how each was reached.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// Which rules scored it.
    pub rules: RulesInfo<'a>,
    /// Which form.
    pub form: FormInfo<'a>,
    /// 预算执行情况.
    pub budget: BudgetOutcome<'a>,
    /// 年度目标, in form order.
    pub goals: Vec<GoalOutcome<'a>>,
    /// 加分项 then 扣分项, in form order.
    pub adjustments: Vec<AdjustmentOutcome<'a>>,
    /// 总分: the budget score plus the goal scores, plus bonuses, less deductions (not
    /// below 0), within `cap total at`.
    pub total: Decimal,
    /// The most the form could score: the budget weight plus the goal weights (within
    /// `cap total at`).
    pub max_total: Decimal,
    /// The most the rules' bonus items add beyond it (满分 `100 + 5 加分`); 0 without any.
    pub max_bonus: Decimal,
    /// 等级 of the computed total; `None` when the rules set no grades.
    pub grade: Option<Cow<'a, str>>,
    /// The total the department reported.
    pub reported_total: Option<Decimal>,
    /// 等级 of the reported total, by the same grades.
    pub reported_grade: Option<Cow<'a, str>>,
    /// Things worth a reviewer's attention that did not stop scoring.
    pub warnings: Vec<Warning>,
}

/// The rule set.
#[derive(Debug, Clone, Serialize)]
pub struct RulesInfo<'a> {
    /// `hubei-2021`.
    pub id: Cow<'a, str>,
    /// Its title.
    pub title: Option<Cow<'a, str>>,
    /// The rule file's name.
    pub file: Cow<'a, str>,
}

impl<'a> RulesInfo<'a> {
    /// The rule set of `rules`.
    #[must_use]
    pub fn of(rules: &'a crate::Rules) -> RulesInfo<'a> {
        RulesInfo {
            id: Cow::Borrowed(rules.id()),
            title: rules.title().map(Cow::Borrowed),
            file: Cow::Borrowed(rules.source().name()),
        }
    }

    /// As [`Outcome::into_owned`].
    #[must_use]
    pub fn into_owned(self) -> RulesInfo<'static> {
        self.map_texts(&owned)
    }
}

/// The form's header.
#[derive(Debug, Clone, Serialize)]
pub struct FormInfo<'a> {
    /// The form file's name.
    pub file: Cow<'a, str>,
    /// Its title.
    pub title: Option<Cow<'a, str>>,
    /// 单位名称.
    pub department: Option<Cow<'a, str>>,
    /// The year.
    pub year: Option<i64>,
    /// 填报日期.
    pub filled_on: Option<Cow<'a, str>>,
    /// The form's facts the rules declare (`fact 单位类型: text`), in their order, each
    /// with its value as written: what the scores read beyond the indicator table.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "facts_map")]
    pub facts: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The rule set the form names (`[form] rules`), if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Cow<'a, str>>,
}

/// The facts as a JSON object: `{"单位类型": "行政单位", "级次": "2"}`.
fn facts_map<S: Serializer>(
    facts: &[(Cow<'_, str>, Cow<'_, str>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(facts.iter().map(|(k, v)| (k, v)))
}

impl<'a> FormInfo<'a> {
    /// The header of `form`.
    #[must_use]
    pub fn of(form: &'a crate::Form) -> FormInfo<'a> {
        FormInfo {
            file: Cow::Borrowed(form.source.name()),
            title: form.title.as_deref().map(Cow::Borrowed),
            department: form.department.as_deref().map(Cow::Borrowed),
            year: form.year,
            filled_on: form.filled_on.as_deref().map(Cow::Borrowed),
            facts: Vec::new(),
            rules: form.rules.as_ref().map(|r| Cow::Borrowed(&*r.text)),
        }
    }

    /// The header of `form`, with the facts `rules` declare that it states.
    #[must_use]
    pub fn with_facts(form: &'a crate::Form, rules: &crate::Rules) -> FormInfo<'a> {
        let mut info = FormInfo::of(form);
        for def in &rules.facts {
            if let Some(f) = form.facts.iter().find(|f| *f.name.text == *def.name) {
                let value = match &f.value {
                    crate::form::FactValue::Number(n) => Cow::Owned(n.normalize().to_string()),
                    crate::form::FactValue::Text(t) => Cow::Borrowed(&**t),
                };
                info.facts.push((Cow::Borrowed(&*f.name.text), value));
            }
        }
        info
    }

    /// The facts as a line: `单位类型 行政单位，级次 2`; `None` when there are none.
    #[must_use]
    pub fn facts_line(&self) -> Option<String> {
        if self.facts.is_empty() {
            return None;
        }
        let parts: Vec<String> = self.facts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        Some(parts.join("，"))
    }

    /// As [`Outcome::into_owned`].
    #[must_use]
    pub fn into_owned(self) -> FormInfo<'static> {
        self.map_texts(&owned)
    }
}

/// 预算执行情况.
#[derive(Debug, Clone)]
pub struct BudgetOutcome<'a> {
    /// 预算数 (A) as written.
    pub planned: Cow<'a, str>,
    /// 执行数 (B) as written.
    pub executed: Cow<'a, str>,
    /// 执行率 B/A, as a fraction; `None` when A is 0.
    pub rate: Option<Decimal>,
    /// 分值.
    pub weight: Decimal,
    /// 得分.
    pub score: Decimal,
    /// The score the department reported.
    pub reported: Option<Decimal>,
    /// How the score was reached.
    pub trace: Vec<Step<'a>>,
}

/// One 年度目标.
#[derive(Debug, Clone)]
pub struct GoalOutcome<'a> {
    /// 1-based, as the form numbers goals (年度目标1).
    pub number: usize,
    /// The goal's text.
    pub name: Cow<'a, str>,
    /// Its points.
    pub weight: Decimal,
    /// The sum of its indicators' weights (may differ from `weight`: a warning says so).
    pub indicator_weight: Decimal,
    /// 得分: the sum of its indicator scores.
    pub score: Decimal,
    /// The factor its indicators' scores were multiplied by (`rescale goal`, `scale goals
    /// to`); `None` when they were not. Reports show the weights applied from it
    /// ([`GoalOutcome::applied_weight`]).
    pub scale: Option<super::Scale>,
    /// The goal score the department reported, if the form gives one; what every report
    /// shows is [`GoalOutcome::reported`], which falls back to the indicators' sum.
    pub reported: Option<Decimal>,
    /// Its indicators, in form order.
    pub indicators: Vec<IndicatorOutcome<'a>>,
}

/// A bonus or deduction item (加分项, 扣分项).
#[derive(Debug, Clone)]
pub struct AdjustmentOutcome<'a> {
    /// Bonus or deduction.
    pub kind: crate::syntax::ast::AdjustmentKind,
    /// The rule item's title (or name).
    pub name: Cow<'a, str>,
    /// The form's `value` as written.
    pub value: Cow<'a, str>,
    /// The most it adds or takes; `None` for a deduction without a limit.
    pub weight: Option<Decimal>,
    /// What it adds (a bonus) or takes (a deduction): never negative.
    pub score: Decimal,
    /// The score the department reported for it.
    pub reported: Option<Decimal>,
    /// The form's `note`: the evidence.
    pub note: Option<Cow<'a, str>>,
    /// How the score was reached.
    pub trace: Vec<Step<'a>>,
}

impl AdjustmentOutcome<'_> {
    /// What it does to the total: its score, negative for a deduction.
    #[must_use]
    pub fn signed(&self) -> Decimal {
        match self.kind {
            crate::syntax::ast::AdjustmentKind::Bonus => self.score,
            crate::syntax::ast::AdjustmentKind::Deduction => -self.score,
        }
    }

    /// Computed minus reported.
    #[must_use]
    pub fn difference(&self) -> Option<Decimal> {
        difference(Some(self.score), self.reported)
    }
}

/// Whether and how an indicator was scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Scored by a class.
    Scored,
    /// Optional and not evaluated: left out (the goal may be rescaled).
    Omitted,
    /// Not evaluated although required: scores 0, with a warning.
    NotEvaluated,
}

/// One indicator (三级指标).
///
/// Its texts are borrowed from the form and the rules (`Cow::Borrowed`), except a value
/// joined from several entries; they read as `&str` (`Deref`) and serialise as plain
/// strings.
#[derive(Debug, Clone)]
pub struct IndicatorOutcome<'a> {
    /// 一级指标.
    pub level1: Cow<'a, str>,
    /// 二级指标.
    pub level2: Cow<'a, str>,
    /// 三级指标.
    pub name: Cow<'a, str>,
    /// 年初目标值 (A) as written (entries: joined with ` + `).
    pub target: Option<Cow<'a, str>>,
    /// 实际完成值 (B) as written.
    pub actual: Option<Cow<'a, str>>,
    /// The class that scored it (`positive`), if any.
    pub class: Option<Cow<'a, str>>,
    /// The class's title (`正向指标`).
    pub class_title: Option<Cow<'a, str>>,
    /// Scored, omitted or not evaluated.
    pub status: Status,
    /// 权重 (points) as the form gives it.
    pub weight: Decimal,
    /// 得分; `None` when omitted.
    pub score: Option<Decimal>,
    /// The score the department reported.
    pub reported: Option<Decimal>,
    /// How the score was reached.
    pub trace: Vec<Step<'a>>,
}

/// Something a reviewer should see that did not stop scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A stable code, `jixiao::eval::weight_sum`.
    pub code: Code,
    /// What, in Chinese.
    pub message: String,
    /// The goal's number, if it concerns one.
    pub goal: Option<usize>,
    /// The indicator's name, if it concerns one.
    pub indicator: Option<String>,
}

/// Computed minus reported, when both are there (and the difference fits).
fn difference(computed: Option<Decimal>, reported: Option<Decimal>) -> Option<Decimal> {
    computed?.checked_sub(reported?)
}

impl Outcome<'_> {
    /// Computed minus reported total; `None` when the form reports no total.
    #[must_use]
    pub fn difference(&self) -> Option<Decimal> {
        difference(Some(self.total), self.reported_total)
    }
}

impl BudgetOutcome<'_> {
    /// Computed minus reported budget score.
    #[must_use]
    pub fn difference(&self) -> Option<Decimal> {
        difference(Some(self.score), self.reported)
    }
}

impl GoalOutcome<'_> {
    /// The goal score the department reported, as every report shows it: the form's own
    /// figure when it gives one, else the sum of its indicators' reported scores
    /// ([`GoalOutcome::reported_sum`]).
    #[must_use]
    pub fn reported(&self) -> Option<Decimal> {
        self.reported.or_else(|| self.reported_sum())
    }

    /// The sum of the indicators' reported scores; `None` when none was reported, or the
    /// sum overflows.
    #[must_use]
    pub fn reported_sum(&self) -> Option<Decimal> {
        let mut any = false;
        let mut total = Decimal::ZERO;
        for r in self.indicators.iter().filter_map(|i| i.reported) {
            any = true;
            total = total.checked_add(r)?;
        }
        any.then_some(total)
    }

    /// Computed minus reported goal score ([`GoalOutcome::reported`]).
    #[must_use]
    pub fn difference(&self) -> Option<Decimal> {
        difference(Some(self.score), self.reported())
    }
}

impl IndicatorOutcome<'_> {
    /// Computed minus reported score; `None` when either is missing (an omitted
    /// indicator has no score).
    #[must_use]
    pub fn difference(&self) -> Option<Decimal> {
        difference(self.score, self.reported)
    }
}

// The differences are derived, not stored (evaluation would compute one per indicator that
// most readers never look at: BENCHMARKS.md, round 6), but the JSON carries each as a field
// `difference` where it always was. Hence these impls rather than derives: the fields
// before it, then it, then the fields after it. The destructuring names every field, so a
// field added to the struct and not to its list here does not compile.
macro_rules! serialize_with_difference {
    ($ty:ident { $($before:ident),* ; $($after:ident),* }) => {
        impl Serialize for $ty<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let $ty { $($before,)* $($after,)* } = self;
                let fields = [$(stringify!($before),)* "difference", $(stringify!($after),)*];
                let mut s = serializer.serialize_struct(stringify!($ty), fields.len())?;
                $(s.serialize_field(stringify!($before), $before)?;)*
                s.serialize_field("difference", &self.difference())?;
                $(s.serialize_field(stringify!($after), $after)?;)*
                s.end()
            }
        }
    };
}

serialize_with_difference!(Outcome {
    rules, form, budget, goals, adjustments, total, max_total, max_bonus, grade, reported_total,
    reported_grade;
    warnings
});
serialize_with_difference!(AdjustmentOutcome {
    kind, name, value, weight, score, reported;
    note, trace
});
serialize_with_difference!(BudgetOutcome {
    planned, executed, rate, weight, score, reported;
    trace
});

// A goal and its indicators as the macro would write them, with the weights applied
// (`applied_weight`, after the goal's `indicator_weight` and each indicator's `weight`)
// when the goal was rescaled, and only then: other goals' JSON is as it always was.
impl Serialize for GoalOutcome<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let GoalOutcome {
            number,
            name,
            weight,
            indicator_weight,
            score,
            scale,
            reported,
            indicators,
        } = self;
        let mut s = serializer.serialize_struct("GoalOutcome", 9)?;
        s.serialize_field("number", number)?;
        s.serialize_field("name", name)?;
        s.serialize_field("weight", weight)?;
        s.serialize_field("indicator_weight", indicator_weight)?;
        if scale.is_some() {
            s.serialize_field("applied_weight", &self.applied_indicator_weight())?;
        }
        s.serialize_field("score", score)?;
        s.serialize_field("reported", reported)?;
        s.serialize_field("difference", &self.difference())?;
        let indicators: Vec<InGoal<'_, '_>> = indicators
            .iter()
            .map(|i| InGoal(i, scale.is_some().then(|| self.applied_weight(i))))
            .collect();
        s.serialize_field("indicators", &indicators)?;
        s.end()
    }
}

impl Serialize for IndicatorOutcome<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        InGoal(self, None).serialize(serializer)
    }
}

/// An indicator with its weight applied, when its goal was rescaled (`Some`, itself
/// `None` for an indicator left out).
struct InGoal<'i, 'a>(&'i IndicatorOutcome<'a>, Option<Option<Decimal>>);

impl Serialize for InGoal<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let IndicatorOutcome {
            level1,
            level2,
            name,
            target,
            actual,
            class,
            class_title,
            status,
            weight,
            score,
            reported,
            trace,
        } = self.0;
        let mut s = serializer.serialize_struct("IndicatorOutcome", 14)?;
        s.serialize_field("level1", level1)?;
        s.serialize_field("level2", level2)?;
        s.serialize_field("name", name)?;
        s.serialize_field("target", target)?;
        s.serialize_field("actual", actual)?;
        s.serialize_field("class", class)?;
        s.serialize_field("class_title", class_title)?;
        s.serialize_field("status", status)?;
        s.serialize_field("weight", weight)?;
        if let Some(applied) = &self.1 {
            s.serialize_field("applied_weight", applied)?;
        }
        s.serialize_field("score", score)?;
        s.serialize_field("reported", reported)?;
        s.serialize_field("difference", &self.0.difference())?;
        s.serialize_field("trace", trace)?;
        s.end()
    }
}

/// A text that no longer borrows.
fn owned(text: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(text.into_owned())
}

/// What [`Outcome::map_texts`] does to each text.
pub type MapText<'f, 'a> = &'f dyn Fn(Cow<'a, str>) -> Cow<'static, str>;

/// A text the outcome owns already (a trace step, a warning), passed through `f`.
fn map_string(f: MapText<'_, '_>, text: String) -> String {
    f(Cow::Owned(text)).into_owned()
}

impl<'a> Outcome<'a> {
    /// The same outcome with every text copied, so that it outlives the form and rules it
    /// borrows from (a report kept after its form is dropped, a test's helper).
    #[must_use]
    pub fn into_owned(self) -> Outcome<'static> {
        self.map_texts(&owned)
    }

    /// The same outcome with every text (names, values as written, class names, trace
    /// steps, warnings) passed through `f`: [`Outcome::into_owned`] copies each; the
    /// command line makes each safe for a terminal ([`crate::text::escaped`]). Every
    /// field is named, so a text added to the outcome and not here does not compile.
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> Outcome<'static> {
        let Outcome {
            rules,
            form,
            budget,
            goals,
            adjustments,
            total,
            max_total,
            max_bonus,
            grade,
            reported_total,
            reported_grade,
            warnings,
        } = self;
        Outcome {
            rules: rules.map_texts(f),
            form: form.map_texts(f),
            budget: budget.map_texts(f),
            goals: goals.into_iter().map(|g| g.map_texts(f)).collect(),
            adjustments: adjustments.into_iter().map(|a| a.map_texts(f)).collect(),
            total,
            max_total,
            max_bonus,
            grade: grade.map(f),
            reported_total,
            reported_grade: reported_grade.map(f),
            warnings: warnings
                .into_iter()
                .map(|w| {
                    let Warning {
                        code,
                        message,
                        goal,
                        indicator,
                    } = w;
                    Warning {
                        code,
                        message: map_string(f, message),
                        goal,
                        indicator: indicator.map(|i| map_string(f, i)),
                    }
                })
                .collect(),
        }
    }
}

impl<'a> RulesInfo<'a> {
    /// As [`Outcome::map_texts`].
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> RulesInfo<'static> {
        let RulesInfo { id, title, file } = self;
        RulesInfo {
            id: f(id),
            title: title.map(f),
            file: f(file),
        }
    }
}

impl<'a> FormInfo<'a> {
    /// As [`Outcome::map_texts`].
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> FormInfo<'static> {
        let FormInfo {
            file,
            title,
            department,
            year,
            filled_on,
            facts,
            rules,
        } = self;
        FormInfo {
            file: f(file),
            title: title.map(f),
            department: department.map(f),
            year,
            filled_on: filled_on.map(f),
            facts: facts.into_iter().map(|(k, v)| (f(k), f(v))).collect(),
            rules: rules.map(f),
        }
    }
}

impl<'a> AdjustmentOutcome<'a> {
    /// As [`Outcome::map_texts`].
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> AdjustmentOutcome<'static> {
        let AdjustmentOutcome {
            kind,
            name,
            value,
            weight,
            score,
            reported,
            note,
            trace,
        } = self;
        AdjustmentOutcome {
            kind,
            name: f(name),
            value: f(value),
            weight,
            score,
            reported,
            note: note.map(f),
            trace: map_trace(f, trace),
        }
    }
}

/// Trace steps with their texts passed through `f`.
fn map_trace<'a>(f: MapText<'_, 'a>, trace: Vec<Step<'a>>) -> Vec<Step<'static>> {
    trace.into_iter().map(|s| s.map_texts(f)).collect()
}

impl<'a> BudgetOutcome<'a> {
    /// As [`Outcome::into_owned`].
    #[must_use]
    pub fn into_owned(self) -> BudgetOutcome<'static> {
        self.map_texts(&owned)
    }

    /// As [`Outcome::map_texts`].
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> BudgetOutcome<'static> {
        let BudgetOutcome {
            planned,
            executed,
            rate,
            weight,
            score,
            reported,
            trace,
        } = self;
        BudgetOutcome {
            planned: f(planned),
            executed: f(executed),
            rate,
            weight,
            score,
            reported,
            trace: map_trace(f, trace),
        }
    }
}

impl<'a> GoalOutcome<'a> {
    /// As [`Outcome::into_owned`].
    #[must_use]
    pub fn into_owned(self) -> GoalOutcome<'static> {
        self.map_texts(&owned)
    }

    /// As [`Outcome::map_texts`].
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> GoalOutcome<'static> {
        let GoalOutcome {
            number,
            name,
            weight,
            indicator_weight,
            score,
            scale,
            reported,
            indicators,
        } = self;
        GoalOutcome {
            number,
            name: f(name),
            weight,
            indicator_weight,
            score,
            scale,
            reported,
            indicators: indicators.into_iter().map(|i| i.map_texts(f)).collect(),
        }
    }
}

impl<'a> IndicatorOutcome<'a> {
    /// As [`Outcome::into_owned`].
    #[must_use]
    pub fn into_owned(self) -> IndicatorOutcome<'static> {
        self.map_texts(&owned)
    }

    /// As [`Outcome::map_texts`].
    #[must_use]
    pub fn map_texts(self, f: MapText<'_, 'a>) -> IndicatorOutcome<'static> {
        let IndicatorOutcome {
            level1,
            level2,
            name,
            target,
            actual,
            class,
            class_title,
            status,
            weight,
            score,
            reported,
            trace,
        } = self;
        IndicatorOutcome {
            level1: f(level1),
            level2: f(level2),
            name: f(name),
            target: target.map(f),
            actual: actual.map(f),
            class: class.map(f),
            class_title: class_title.map(f),
            status,
            weight,
            score,
            reported,
            trace: map_trace(f, trace),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    /// An indicator as a report shows it: 2 points, 100人 targeted, 90人 reached, scored
    /// by the positive class unless omitted (no score). Shared with the reports' tests.
    pub(crate) fn indicator<'a>(
        name: &'a str,
        score: Option<&str>,
        reported: Option<&str>,
    ) -> IndicatorOutcome<'a> {
        IndicatorOutcome {
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            name: name.into(),
            target: Some("100人".into()),
            actual: Some("90人".into()),
            class: Some("positive".into()),
            class_title: Some("正向指标".into()),
            status: if score.is_some() {
                Status::Scored
            } else {
                Status::Omitted
            },
            weight: d("2"),
            score: score.map(d),
            reported: reported.map(d),
            trace: Vec::new(),
        }
    }

    /// The JSON has every field, in the order it always had, with the derived difference
    /// after `reported`: 1.96 − 1 = 0.96; none where either side is missing.
    #[test]
    fn an_indicator_serialises_its_difference_after_the_reported_score() {
        let json =
            serde_json::to_string(&indicator("培训人次", Some("1.96"), Some("1"))).expect("json");
        assert_eq!(
            json,
            r#"{"level1":"产出指标","level2":"数量指标","name":"培训人次","target":"100人","actual":"90人","class":"positive","class_title":"正向指标","status":"scored","weight":"2","score":"1.96","reported":"1","difference":"0.96","trace":[]}"#
        );
        assert_eq!(indicator("x", None, Some("1")).difference(), None);
        assert_eq!(indicator("x", Some("1.96"), None).difference(), None);
    }

    /// The budget line likewise: 19.00 − 20 = −1.00.
    #[test]
    fn the_budget_serialises_its_difference_after_the_reported_score() {
        let budget = BudgetOutcome {
            planned: "100万元".into(),
            executed: "95万元".into(),
            rate: Some(d("0.95")),
            weight: d("20"),
            score: d("19.00"),
            reported: Some(d("20")),
            trace: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&budget).expect("json"),
            r#"{"planned":"100万元","executed":"95万元","rate":"0.95","weight":"20","score":"19.00","reported":"20","difference":"-1.00","trace":[]}"#
        );
    }

    /// A goal's reported score: its own figure when the form gives one (9, though its
    /// indicators' say 1 + 2 = 3), else the indicators' sum (3); none when neither is.
    /// Computed 1.96 + 0 = 1.96: differences 1.96 − 9 = −7.04 and 1.96 − 3 = −1.04.
    #[test]
    fn a_goal_reports_its_own_figure_else_its_indicators_sum() {
        let mut goal = GoalOutcome {
            number: 1,
            name: "目标一".into(),
            weight: d("10"),
            indicator_weight: d("4"),
            score: d("1.96"),
            scale: None,
            reported: Some(d("9")),
            indicators: vec![
                indicator("一", Some("1.96"), Some("1")),
                indicator("二", None, Some("2")),
            ],
        };
        assert_eq!(goal.reported(), Some(d("9")));
        assert_eq!(goal.difference(), Some(d("-7.04")));
        let json = serde_json::to_string(&goal).expect("json");
        assert!(
            json.contains(r#""score":"1.96","reported":"9","difference":"-7.04","indicators":["#),
            "{json}"
        );
        goal.reported = None;
        assert_eq!(goal.reported(), Some(d("3")));
        assert_eq!(goal.difference(), Some(d("-1.04")));
        for i in &mut goal.indicators {
            i.reported = None;
        }
        assert_eq!(goal.reported(), None);
        assert_eq!(goal.difference(), None);
    }
}
