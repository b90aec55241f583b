//! Inline SVG charts for the HTML report: per form, each goal's computed score against
//! the reported one; for a batch, how the computed totals fall in the grade bands.
//!
//! Coordinates are computed in exact decimals and printed to one decimal place; the
//! charts hold no script and link nothing. Every text is escaped by the caller's `esc`.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::html::esc;
use crate::Outcome;
use crate::num::shown::show;
use crate::report::histogram::Bins;

/// Colours shared with the HTML legend.
pub(super) const COMPUTED: &str = "#2f6db5";
pub(super) const REPORTED: &str = "#e0892b";
const FULL: &str = "#e7e9ee";

/// The grade bands of the distribution chart: the national standard of 财政部
/// 《项目支出绩效评价管理办法》（财预〔2020〕10号）: 90 (含) 以上优, 80 (含)–90 良,
/// 60 (含)–80 中, 60 以下差. Name, lower bound, upper bound, fill.
pub(super) const BANDS: [(&str, u32, u32, &str); 4] = [
    ("差", 0, 60, "#f7d9d5"),
    ("中", 60, 80, "#fbeccb"),
    ("良", 80, 90, "#d9e8f6"),
    ("优", 90, 100, "#d5eed8"),
];

/// Width of every chart, in SVG user units.
const WIDTH: u32 = 720;

/// One group of bars.
struct Group {
    label: String,
    weight: Decimal,
    score: Decimal,
    reported: Option<Decimal>,
}

/// The budget line and each goal: a grey bar for the points available, a blue bar for
/// the computed score, an orange one for the reported score, each labelled.
// Over 80 lines: one drawing, its layout arithmetic beside the marks it places.
pub(super) fn goal_chart(o: &Outcome) -> String {
    const LABEL: u32 = 92;
    const LEFT: u32 = 100;
    const PLOT: u32 = 540;
    const TOP: u32 = 34;
    const GROUP: u32 = 38;
    let mut groups = vec![Group {
        label: "预算执行".to_owned(),
        weight: o.budget.weight,
        score: o.budget.score,
        reported: o.budget.reported,
    }];
    groups.extend(o.goals.iter().map(|g| Group {
        label: format!("年度目标{}", g.number),
        weight: g.weight.max(g.indicator_weight),
        score: g.score,
        reported: g.reported(),
    }));
    let max = groups
        .iter()
        .flat_map(|g| [g.weight, g.score, g.reported.unwrap_or_default()])
        .max()
        .unwrap_or_default();

    let count = u32::try_from(groups.len()).unwrap_or(u32::MAX);
    let height = count.saturating_mul(GROUP).saturating_add(TOP + 6);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" \
         height=\"{height}\" role=\"img\" aria-label=\"各目标得分：计算与自评\">\
         <title>各目标得分：计算与自评</title>"
    );
    legend(
        &mut s,
        LEFT,
        &[
            (COMPUTED, "计算得分"),
            (REPORTED, "自评得分"),
            (FULL, "满分（分值）"),
        ],
    );
    for (i, g) in groups.iter().enumerate() {
        let y = u32::try_from(i)
            .unwrap_or(u32::MAX)
            .saturating_mul(GROUP)
            .saturating_add(TOP);
        let _ = write!(
            s,
            "<text x=\"{LABEL}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text>",
            y + 19,
            esc(&g.label)
        );
        let full = scale(g.weight, max, PLOT);
        let _ = write!(
            s,
            "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{}\" height=\"30\" fill=\"{FULL}\"/>",
            coord(full)
        );
        bar(
            &mut s,
            LEFT,
            y + 2,
            scale(g.score, max, PLOT),
            COMPUTED,
            &show(g.score),
        );
        match g.reported {
            Some(r) => bar(
                &mut s,
                LEFT,
                y + 16,
                scale(r, max, PLOT),
                REPORTED,
                &show(r),
            ),
            None => {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" class=\"value muted\">未填自评得分</text>",
                    LEFT + 4,
                    y + 26
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// A bar of `width` with its value after it.
fn bar(s: &mut String, left: u32, y: u32, width: Decimal, fill: &str, value: &str) {
    let _ = write!(
        s,
        "<rect x=\"{left}\" y=\"{y}\" width=\"{}\" height=\"12\" fill=\"{fill}\"/>\
         <text x=\"{}\" y=\"{}\" class=\"value\">{}</text>",
        coord(width),
        coord(
            width
                .checked_add(Decimal::from(left + 4))
                .unwrap_or_default()
        ),
        y + 10,
        esc(value)
    );
}

/// Coloured squares with their names, in a row at the top.
fn legend(s: &mut String, left: u32, items: &[(&str, &str)]) {
    let mut x = left;
    for (fill, name) in items {
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{fill}\" stroke=\"#999\" \
             stroke-width=\"0.5\"/><text x=\"{}\" y=\"16\" class=\"legend\">{}</text>",
            x + 17,
            esc(name)
        );
        // 12 units per Chinese character at the legend's size, and room between items.
        let chars = u32::try_from(name.chars().count()).unwrap_or(8);
        x += 17 + chars * 12 + 22;
    }
}

/// `value / max × span`, clamped to `0..=span`; 0 when `max` is not positive.
fn scale(value: Decimal, max: Decimal, span: u32) -> Decimal {
    if max <= Decimal::ZERO || value <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let span = Decimal::from(span);
    value
        .checked_mul(span)
        .and_then(|v| v.checked_div(max))
        .map_or(span, |v| v.min(span))
}

/// A coordinate as SVG reads it: one decimal place at most.
fn coord(d: Decimal) -> String {
    d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// How many totals fall in each of the [`BANDS`].
pub(super) fn band_counts(totals: &[Decimal]) -> [usize; 4] {
    let mut out = [0usize; 4];
    for t in totals {
        let band = BANDS
            .iter()
            .rposition(|(_, low, _, _)| *t >= Decimal::from(*low))
            .unwrap_or(0);
        out[band] += 1;
    }
    out
}

/// A histogram of computed totals in bins zoomed to where they are
/// ([`crate::report::histogram`]: 78–96 in 2-point bins, not 0–100 in 5-point ones), drawn
/// over the grade bands that range crosses, each band named at the top.
// Over 80 lines: one drawing, its layout arithmetic beside the marks it places.
pub(super) fn distribution_chart(totals: &[Decimal]) -> String {
    const LEFT: u32 = 48;
    const PLOT_WIDTH: u32 = 600;
    const TOP: u32 = 30;
    const PLOT_HEIGHT: u32 = 170;
    const BOTTOM: u32 = TOP + PLOT_HEIGHT;
    let height = BOTTOM + 44;
    let Some(bins) = Bins::covering(totals.iter().copied()) else {
        return String::new();
    };
    let counts = bins.counts(totals.iter().copied());
    let (start, end) = (bins.start, bins.end());
    // x of a total, clamped to the plot.
    let x_of = |v: Decimal| {
        let v = v.clamp(start, end);
        Decimal::from(LEFT)
            + scale(
                v.checked_sub(start).unwrap_or_default(),
                end.checked_sub(start).unwrap_or(Decimal::ONE),
                PLOT_WIDTH,
            )
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" \
         height=\"{height}\" role=\"img\" aria-label=\"计算总分分布与等级分段\">\
         <title>计算总分分布与等级分段</title>"
    );
    for (name, low, high, fill) in BANDS {
        let (low, high) = (Decimal::from(low), Decimal::from(high));
        if high <= start || low >= end {
            continue;
        }
        let (x0, x1) = (x_of(low), x_of(high));
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{TOP}\" width=\"{}\" height=\"{PLOT_HEIGHT}\" fill=\"{fill}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"band\">{}</text>",
            coord(x0),
            coord(x1 - x0),
            coord((x0 + x1) / Decimal::TWO),
            TOP - 8,
            esc(name)
        );
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let most_dec = Decimal::from(u32::try_from(most).unwrap_or(u32::MAX));
    for (k, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (from, to) = bins.edges(k);
        let (x0, x1) = (x_of(from), x_of(to));
        let n_dec = Decimal::from(u32::try_from(n).unwrap_or(u32::MAX));
        let h = scale(n_dec, most_dec, PLOT_HEIGHT - 16);
        let y = Decimal::from(BOTTOM).checked_sub(h).unwrap_or_default();
        let gap = Decimal::from(3);
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{COMPUTED}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"value\">{n}</text>",
            coord(x0 + gap),
            coord(y),
            coord((x1 - x0 - gap * Decimal::TWO).max(Decimal::ONE)),
            coord(h),
            coord((x0 + x1) / Decimal::TWO),
            coord(y.checked_sub(Decimal::from(4)).unwrap_or_default())
        );
    }
    // The axis, a tick at each bin edge, and its title.
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{BOTTOM}\" x2=\"{}\" y2=\"{BOTTOM}\" stroke=\"#555\"/>",
        LEFT + PLOT_WIDTH
    );
    for k in 0..=bins.count {
        let edge = if k == bins.count {
            end
        } else {
            bins.edges(k).0
        };
        let x = coord(x_of(edge));
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"{BOTTOM}\" x2=\"{x}\" y2=\"{}\" stroke=\"#555\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" class=\"value\">{edge}</text>",
            BOTTOM + 4,
            BOTTOM + 16
        );
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"legend\">计算总分（每 {} 分一组，柱上数字为表单份数）</text>",
        LEFT + PLOT_WIDTH / 2,
        BOTTOM + 36,
        bins.width
    );
    s.push_str("</svg>");
    s
}

/// Two counts per bin side by side, before (`names.0`, blue) and after (`names.1`,
/// orange), each bin labelled below: a diff's distribution of totals.
pub(crate) fn paired_histogram(bins: &[(String, usize, usize)], names: (&str, &str)) -> String {
    const LEFT: u32 = 24;
    const TOP: u32 = 34;
    const PLOT_HEIGHT: u32 = 170;
    const BOTTOM: u32 = TOP + PLOT_HEIGHT;
    let height = BOTTOM + 40;
    let slots = u32::try_from(bins.len()).unwrap_or(1).max(1);
    let slot = (WIDTH - 2 * LEFT) / slots;
    let bar = (slot.saturating_sub(8) / 2).max(2);
    let most = bins
        .iter()
        .map(|(_, a, b)| (*a).max(*b))
        .max()
        .unwrap_or(0)
        .max(1);
    let most_dec = Decimal::from(u32::try_from(most).unwrap_or(u32::MAX));
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" \
         height=\"{height}\" role=\"img\" aria-label=\"总分分布：{0}与{1}\">\
         <title>总分分布：{0}与{1}</title>",
        esc(names.0),
        esc(names.1)
    );
    legend(&mut s, LEFT, &[(COMPUTED, names.0), (REPORTED, names.1)]);
    for (i, (label, before, after)) in bins.iter().enumerate() {
        let x = LEFT + u32::try_from(i).unwrap_or(0) * slot + 4;
        for (k, (n, fill)) in [(*before, COMPUTED), (*after, REPORTED)]
            .into_iter()
            .enumerate()
        {
            if n == 0 {
                continue;
            }
            let bx = x + u32::try_from(k).unwrap_or(0) * bar;
            let n_dec = Decimal::from(u32::try_from(n).unwrap_or(u32::MAX));
            let h = scale(n_dec, most_dec, PLOT_HEIGHT - 16);
            let y = Decimal::from(BOTTOM).checked_sub(h).unwrap_or_default();
            let _ = write!(
                s,
                "<rect x=\"{bx}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"value\">{n}</text>",
                coord(y),
                bar.saturating_sub(1),
                coord(h),
                bx + bar / 2,
                coord(y.checked_sub(Decimal::from(4)).unwrap_or_default())
            );
        }
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"value\">{}</text>",
            x + bar,
            BOTTOM + 16,
            esc(label)
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{BOTTOM}\" x2=\"{}\" y2=\"{BOTTOM}\" stroke=\"#555\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"legend\">总分区间（柱上数字为表单份数）</text></svg>",
        WIDTH - LEFT,
        WIDTH / 2,
        BOTTOM + 34
    );
    s
}

#[cfg(test)]
mod tests {
    use super::super::tests::d;
    use super::*;

    #[test]
    fn totals_fall_in_grade_bands() {
        let totals = [
            d("96.53"),
            d("91.26"),
            d("90"),
            d("89.99"),
            d("100"),
            d("-3"),
            d("59.99"),
            d("60"),
        ];
        // 差: −3, 59.99; 中: 60; 良: 89.99; 优: 96.53, 91.26, 90, 100
        assert_eq!(band_counts(&totals), [2, 1, 1, 4]);
    }

    #[test]
    fn the_histogram_zooms_to_the_totals() {
        // 81.86 to 96.53: 2-point bins from 80 to 98, over 良 (80–90) and 优 (90–100)
        let svg = distribution_chart(&[d("96.53"), d("81.86"), d("91.26")]);
        assert!(svg.contains("每 2 分一组"), "{svg}");
        // 80 → x 48, 98 → x 648; 90 at 48 + 600 × 10 / 18 = 381.3
        assert!(
            svg.contains(">80</text>") && svg.contains(">98</text>"),
            "{svg}"
        );
        assert!(
            !svg.contains(">差</text>") && !svg.contains(">中</text>"),
            "{svg}"
        );
        assert!(
            svg.contains("<rect x=\"48\" y=\"30\" width=\"333.3\""),
            "{svg}"
        );
        assert!(
            svg.contains(">良</text>") && svg.contains(">优</text>"),
            "{svg}"
        );
        // one form in each of 80–82, 90–92 and 96–98
        assert_eq!(svg.matches("class=\"value\">1</text>").count(), 3, "{svg}");
        assert_eq!(distribution_chart(&[]), "");
    }

    #[test]
    fn bars_scale_to_the_largest_value_and_clamp() {
        // 9.96 of 15 over 540 units = 358.56 → 358.6
        assert_eq!(coord(scale(d("9.96"), d("15"), 540)), "358.6");
        assert_eq!(coord(scale(d("-1"), d("15"), 540)), "0");
        assert_eq!(coord(scale(d("1"), d("0"), 540)), "0");
    }
}
