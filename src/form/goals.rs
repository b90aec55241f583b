//! Goals and indicators: each `[[goals]]` table and its `[[goals.indicators]]`, with their
//! names, tiers and directions.
//!
//! Input: the raw tables. Output: [`Goal`]s and [`Indicator`]s, every problem recorded.
//! Invariants: an indicator with entries has no target, actual, tier or rate of its own.

use std::fmt::Write as _;

use toml::Spanned;

use super::error::FormError;
use super::keys::REPORTED;
use super::load::Loader;
use super::raw::{RawGoal, RawIndicator, extent, span_of};
use super::units::UnitKey;
use super::{Direction, Goal, Indicator, Text, Value};
use crate::suggest::did_you_mean;
use crate::text::quoted;

impl Loader<'_> {
    /// A required name: level1, level2, an indicator's or a goal's name.
    pub(super) fn required_name(
        &mut self,
        v: &Spanned<String>,
        what: &'static str,
        example: &'static str,
    ) -> Text {
        let span = span_of(v);
        let text = v.get_ref().trim().to_owned();
        let _ = self.visible(&text, span, what);
        if text.is_empty() {
            let src = self.src();
            self.push(FormError::EmptyName {
                what,
                example,
                span: span.into(),
                src,
            });
        }
        Text {
            text: text.into(),
            span,
        }
    }

    /// A tier: an optional text; empty counts as absent.
    pub(super) fn tier(&mut self, v: Option<&Spanned<String>>) -> Option<Text> {
        self.optional_text(v, "档次（tier）")
    }

    /// An optional text (`what` names it in messages), trimmed; empty counts as absent.
    pub(super) fn optional_text(
        &mut self,
        v: Option<&Spanned<String>>,
        what: &'static str,
    ) -> Option<Text> {
        let v = v?;
        let text = v.get_ref().trim();
        self.visible(text, span_of(v), what).ok()?;
        (!text.is_empty()).then(|| Text {
            text: text.into(),
            span: span_of(v),
        })
    }

    fn direction(&mut self, v: &Spanned<String>) -> Option<Direction> {
        let raw = v.get_ref().trim();
        self.visible(raw, span_of(v), "指标方向（direction）")
            .ok()?;
        match raw.to_ascii_lowercase().as_str() {
            "" => None,
            "positive" | "正向" => Some(Direction::Positive),
            "negative" | "反向" => Some(Direction::Negative),
            lower => {
                let mut help = "direction 只能是 \"positive\"（正向，越大越好）或 \"negative\"（反向，越小越好），也可写「正向」「反向」".to_owned();
                if let Some(near) = did_you_mean(lower, ["positive", "negative", "正向", "反向"])
                {
                    let _ = write!(help, "。您是否想写 \"{near}\"？");
                }
                let src = self.src();
                self.push(FormError::BadDirection {
                    raw: quoted(raw),
                    help,
                    span: span_of(v).into(),
                    src,
                });
                None
            }
        }
    }

    pub(super) fn goal(&mut self, raw: &Spanned<RawGoal>) -> Goal {
        let g = raw.get_ref();
        let name = self.required_name(
            &g.name,
            "年度目标名称（name）",
            "name = \"完成职业技能培训任务\"",
        );
        let weight = self.weight(g.weight.as_ref(), "年度目标", &name);
        let reported = self.num_opt(g.reported.as_ref(), &REPORTED);
        let indicators = g.indicators.iter().map(|i| self.indicator(i)).collect();
        let span = extent(
            span_of(raw).to(name.span),
            [g.weight.as_ref(), g.reported.as_ref()],
        );
        Goal {
            name,
            weight,
            reported,
            indicators,
            span,
        }
    }

    fn indicator(&mut self, raw: &Spanned<RawIndicator>) -> Indicator {
        let i = raw.get_ref();
        let level1 = self.required_name(&i.level1, "一级指标（level1）", "level1 = \"产出指标\"");
        let level2 = self.required_name(&i.level2, "二级指标（level2）", "level2 = \"数量指标\"");
        let name = self.required_name(
            &i.name,
            "三级指标名称（name）",
            "name = \"职业技能培训人次\"",
        );
        let unit = self.declared(i.unit.as_ref(), "unit", false);
        let fund_unit = self.declared(i.fund_unit.as_ref(), "fund_unit", true);
        let target = self.measured(i.target.as_ref(), "target", "目标值", unit.as_ref());
        let actual = self.measured(i.actual.as_ref(), "actual", "实际完成值", unit.as_ref());
        let weight = self.weight(i.weight.as_ref(), "指标", &name);
        let reported = self.num_opt(i.reported.as_ref(), &REPORTED);
        let direction = i.direction.as_ref().and_then(|d| self.direction(d));
        let tier = self.tier(i.tier.as_ref());
        let rate = self.rate(i.rate.as_ref());

        let mut span = extent(
            span_of(raw).to(level1.span).to(level2.span).to(name.span),
            [
                i.target.as_ref(),
                i.actual.as_ref(),
                i.weight.as_ref(),
                i.reported.as_ref(),
                i.rate.as_ref(),
            ],
        );
        for s in [&i.direction, &i.tier].into_iter().flatten() {
            span = span.to(span_of(s));
        }
        let entries_raw = i.entries.as_ref().filter(|e| !e.get_ref().is_empty());
        let (target, actual, entries) = if let Some(list) = entries_raw {
            span = span.to(span_of(list));
            let entries = self.entries(i, &name, list, unit.as_ref(), fund_unit.as_ref());
            (None, None, entries)
        } else {
            if let (Ok(None), Ok(Some(actual))) = (&target, &actual) {
                self.missing_target(quoted(&name.text), actual, &name);
            }
            if let (Ok(Some(t)), Ok(Some(a))) = (&target, &actual) {
                self.same_kind_and_unit("目标值与实际完成值", &[t, a], UnitKey::Indicator);
            }
            (target.ok().flatten(), actual.ok().flatten(), Vec::new())
        };
        Indicator {
            level1,
            level2,
            name,
            target,
            actual,
            weight,
            reported,
            direction,
            tier,
            rate,
            entries,
            span,
        }
    }

    pub(super) fn missing_target(&mut self, name: String, actual: &Value, indicator: &Text) {
        let src = self.src();
        self.push(FormError::MissingTarget {
            name,
            actual_span: actual.span.into(),
            name_span: indicator.span.into(),
            src,
        });
    }
}
