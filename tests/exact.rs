//! Exact means exact: every score is the exact value rounded once, by the rule's mode.
//!
//! Each test builds forms whose exact score lies exactly half way between two hundredths,
//! on a path where some quotient along the way is not a decimal (a fund-weighted mean, a
//! rescaled goal, `scale goals to`, a goal or total summed before rounding), and compares
//! jixiao's score with the value computed here, independently, in big rationals
//! (num-rational) and rounded by the mode's definition. Cut to 28 digits before rounding,
//! as rust_decimal cuts a quotient, such a value rounds the wrong way about one time in
//! ten under 四舍五入.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use proptest::prelude::*;
use rust_decimal::Decimal;

use jixiao::{Rules, Source};

use crate::support::{d, proptest_config, score_text};

const MODES: [&str; 4] = ["half_up", "half_even", "down", "up"];

/// Rules like hubei-2021's for numbers, rounding 2 places by `mode` at `level`, with the
/// budget weight and an optional `scale goals to` line.
fn rules(mode: &str, level: &str, budget_weight: u32, scale: bool) -> Rules {
    let scale = if scale {
        "scale goals to 100 - budget_weight\n"
    } else {
        ""
    };
    let text = format!(
        "rules \"exact\"\nparam budget_weight = {budget_weight}\nround 2 {mode} at {level}\n\
         budget:\n    weight budget_weight\n    score weight * B / A\n    cap weight\n\
         aggregate number: sum\naggregate percent: mean by fund\n\
         class positive \"正向指标\" for numbers:\n    score weight * B / A\n    cap weight\n\
         optional when level1 == \"满意度指标\": rescale goal\n{scale}\
         grade 优 >= 90, 良 >= 80, 中 >= 60, 差\n"
    );
    jixiao::compile(&Source::new("exact.rules", text)).expect("valid rules")
}

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(BigInt::from(n), BigInt::from(d))
}

/// A decimal's exact value.
fn exact(x: Decimal) -> BigRational {
    BigRational::new(BigInt::from(x.mantissa()), BigInt::from(10).pow(x.scale()))
}

/// `x` as a decimal with at most `places` places, when it is one.
fn as_decimal(x: &BigRational, places: u32) -> Option<Decimal> {
    let scaled = x * BigRational::from(BigInt::from(10).pow(places));
    if !scaled.is_integer() {
        return None;
    }
    let m = scaled.to_integer().to_i128()?;
    Decimal::try_from_i128_with_scale(m, places)
        .ok()
        .map(|x| x.normalize())
}

/// `x` rounded to 2 places by `mode`, by the definition of each mode.
fn round2(x: &BigRational, mode: &str) -> Decimal {
    let m = x * q(100, 1);
    let trunc = m.trunc().to_integer();
    let rem = (&m - BigRational::from(trunc.clone())).abs();
    let away = match mode {
        "down" => false,
        "up" => !rem.is_zero(),
        "half_up" => rem >= q(1, 2),
        _ => rem > q(1, 2) || (rem == q(1, 2) && trunc.clone() % 2 != BigInt::zero()),
    };
    let sign = if m.is_negative() { -1 } else { 1 };
    let r = if away { trunc + sign } else { trunc };
    Decimal::try_from_i128_with_scale(r.to_i128().expect("small"), 2).expect("fits")
}

/// (2k + 1) / 200: a value exactly half way between two hundredths.
fn half(k: i64) -> BigRational {
    q(2 * k + 1, 200)
}

fn show(x: &BigRational) -> String {
    as_decimal(x, 12).expect("a decimal").to_string()
}

#[test]
fn the_issues_fund_weighted_example_rounds_up() {
    // Funds 100万 and 500万, target 100% both, actual 90% and 79%, weight 3:
    // 3 × (100 × 90% + 500 × 79%) / (100 × 100% + 500 × 100%) = 3 × 485 / 600 = 2.425 → 2.43.
    let form = fund_form(3, ("100", "90"), ("500", "79"));
    let o = score_text(&rules("half_up", "indicator", 20, false), &form).expect("scores");
    assert_eq!(o.goals[0].indicators[0].score, Some(d("2.43")));
    let o = score_text(&rules("half_even", "indicator", 20, false), &form).expect("scores");
    assert_eq!(o.goals[0].indicators[0].score, Some(d("2.42")));
}

/// A form of one goal, one indicator of `weight` in two fund entries of (fund in 万元,
/// actual in percent), each with target 100%; the budget scores in full.
fn fund_form(weight: u32, e1: (&str, &str), e2: (&str, &str)) -> String {
    format!(
        "[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
         [[goals]]\nname = \"目标\"\nweight = {weight}\n\n\
         [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"质量指标\"\nname = \"完成率\"\nweight = {weight}\n\
         entries = [\n  {{ fund = \"{}万元\", target = \"100%\", actual = \"{}%\" }},\n  \
         {{ fund = \"{}万元\", target = \"100%\", actual = \"{}%\" }},\n]\n",
        e1.0, e1.1, e2.0, e2.1
    )
}

proptest! {
    #![proptest_config(proptest_config(128, 256))]

    /// `mean by fund`: B̄ / Ā = Σf·B / Σf·A, never a cut mean divided again.
    #[test]
    fn fund_weighted_means(
        t in 1i64..300, f2 in prop::sample::select(vec![1i64, 2, 4, 5, 8, 10, 16, 20, 25, 40, 50, 80, 100]),
        b1 in 500i64..=1000, guess in 500i64..=1000,
        w in prop::sample::select(vec![3u32, 6, 7, 9, 12, 14, 21]), mode in 0usize..4,
    ) {
        // As in the issue (3 × 485 / 600), the mean Σf·B / Σf is not a decimal (w's factor
        // 3 or 7 divides Σf), and the weight brings the score back to a half: f1 + f2 is a
        // multiple of w's part that is not 2s and 5s.
        let odd = i64::from(w) / (1 << i64::from(w).trailing_zeros());
        let f1 = odd * t * 10 - f2;
        prop_assume!(f1 > 0);
        // The half nearest below w × (f1·b1 + f2·guess) / (f1 + f2), in thousandths…
        let (b1, guess) = (q(b1, 1000), q(guess, 1000));
        let (fw, f1q, f2q) = (q(i64::from(w), 1), q(f1, 1), q(f2, 1));
        let near = fw.clone() * (f1q.clone() * &b1 + f2q.clone() * &guess) / q(f1 + f2, 1);
        let k = (near * q(100, 1)).floor().to_integer().to_i64().expect("small");
        let h = half(k);
        // …then the second actual that makes it exact: w × (f1·b1 + f2·b2) / (f1 + f2) = h.
        let b2 = (h.clone() * q(f1 + f2, 1) / fw - f1q * &b1) / f2q;
        prop_assume!(b2 >= q(0, 1) && b2 <= q(12, 10));
        let b2_percent = as_decimal(&(b2 * q(100, 1)), 10).expect("f2 divides into a decimal");
        let b1_percent = as_decimal(&(b1 * q(100, 1)), 1).expect("one place");
        let form = fund_form(w, (&f1.to_string(), &b1_percent.to_string()), (&f2.to_string(), &b2_percent.to_string()));
        let o = score_text(&rules(MODES[mode], "indicator", 20, false), &form).map_err(TestCaseError::fail)?;
        prop_assert_eq!(o.goals[0].indicators[0].score, Some(round2(&h, MODES[mode])), "exact {}\n{}", show(&h), form);
    }

    /// `rescale goal`: an indicator scored w1 × B / A (not a decimal) and scaled by
    /// W / w1 when the goal's satisfaction indicator is left out.
    #[test]
    fn rescaled_goals(
        total in prop::sample::select(vec![3u32, 6, 7, 9, 11, 12, 13, 21]),
        w1_part in 1u32..100, m in 1i64..500, k in 0i64..4000, mode in 0usize..4,
    ) {
        let w1 = 1 + w1_part % (total - 1);
        let h = half(k);
        prop_assume!(h <= q(i64::from(total), 1));
        // A = W·m, B = h·m: w1·B/A = w1·h/W, rescaled by W/w1 to h.
        let a = i64::from(total) * m;
        let b = as_decimal(&(h.clone() * q(m, 1)), 4).expect("h·m has 3 places");
        let form = format!(
            "[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
             [[goals]]\nname = \"目标\"\nweight = {total}\n\n\
             [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"人次\"\n\
             target = \"{a}人次\"\nactual = \"{b}人次\"\nweight = {w1}\n\n\
             [[goals.indicators]]\nlevel1 = \"满意度指标\"\nlevel2 = \"服务对象满意度指标\"\nname = \"满意度\"\n\
             target = \"≥90%\"\nweight = {}\n",
            total - w1
        );
        let o = score_text(&rules(MODES[mode], "indicator", 20, false), &form).map_err(TestCaseError::fail)?;
        prop_assert_eq!(o.goals[0].indicators[0].score, Some(round2(&h, MODES[mode])), "exact {}\n{}", show(&h), form);
    }

    /// `scale goals to 90` over goals of 80: an indicator's w × B / A (a ninth of
    /// something) scaled by 90 / 80.
    #[test]
    fn scaled_goals(
        w in prop::sample::select(vec![1u32, 2, 4, 5, 8, 10, 16, 20]),
        m in 1i64..300, k in 0i64..4000, mode in 0usize..4,
    ) {
        let h = half(k);
        // raw = 8h/9 must not reach the cap, w.
        prop_assume!(h.clone() * q(8, 9) <= q(i64::from(w), 1));
        // A = 9m, B = 8hm/w: raw = w·B/A = 8h/9, scaled by 90/80 to h.
        let a = 9 * m;
        let b = as_decimal(&(h.clone() * q(8 * m, i64::from(w))), 8).expect("a decimal");
        let form = format!(
            "[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
             [[goals]]\nname = \"目标一\"\nweight = {w}\n\n\
             [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"人次\"\n\
             target = \"{a}人次\"\nactual = \"{b}人次\"\nweight = {w}\n\n\
             [[goals]]\nname = \"目标二\"\nweight = {rest}\n\n\
             [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"件数\"\n\
             target = \"10件\"\nactual = \"10件\"\nweight = {rest}\n",
            rest = 80 - w
        );
        let o = score_text(&rules(MODES[mode], "indicator", 10, true), &form).map_err(TestCaseError::fail)?;
        prop_assert_eq!(o.goals[0].indicators[0].score, Some(round2(&h, MODES[mode])), "exact {}\n{}", show(&h), form);
        // The other goal: 80 − w points scaled by 90 / 80, rounded once.
        let rest = q(i64::from(80 - w) * 90, 80);
        prop_assert_eq!(o.goals[1].indicators[0].score, Some(round2(&rest, MODES[mode])));
    }

    /// Rounding at the goal or the total: two indicators of thirds whose sum, with the
    /// rest of the goal and the budget, lies half way; summed exactly, rounded once.
    #[test]
    fn sums_rounded_once(
        w1 in 1u32..20, w2 in prop::sample::select(vec![1u32, 2, 4, 5, 8, 10]),
        x1 in 1i64..=30, guess in 1i64..=30, at_total in any::<bool>(), mode in 0usize..4,
    ) {
        // raw1 = w1·x1/3 and raw2 = w2·x2/3 with x1, x2 in (0, 3] (no cap), summing to the
        // half h nearest below w1·x1/3 + w2·guess/3.
        let (x1, guess) = (q(x1, 10), q(guess, 10));
        let (fw1, fw2) = (q(i64::from(w1), 1), q(i64::from(w2), 1));
        prop_assume!(x1.clone() * &fw1 % q(3, 10) != q(0, 1));
        let near = (x1.clone() * &fw1 + guess * &fw2) / q(3, 1);
        let h = half((near * q(100, 1)).floor().to_integer().to_i64().expect("small"));
        let x2 = (h.clone() * q(3, 1) - x1.clone() * fw1) / fw2;
        prop_assume!(x2 > q(0, 1) && x2 <= q(3, 1));
        let x2 = as_decimal(&x2, 8).expect("w2 divides into a decimal");
        let x1 = as_decimal(&x1, 1).expect("one place");
        let filler = 80 - w1 - w2;
        let form = format!(
            "[budget]\nplanned = \"100万元\"\nexecuted = \"100万元\"\n\n\
             [[goals]]\nname = \"目标\"\nweight = 80\n\n\
             [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"一\"\n\
             target = \"3人次\"\nactual = \"{x1}人次\"\nweight = {w1}\n\n\
             [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"二\"\n\
             target = \"3人次\"\nactual = \"{x2}人次\"\nweight = {w2}\n\n\
             [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"三\"\n\
             target = \"5件\"\nactual = \"5件\"\nweight = {filler}\n",
        );
        let level = if at_total { "total" } else { "goal" };
        let o = score_text(&rules(MODES[mode], level, 20, false), &form).map_err(TestCaseError::fail)?;
        let goal = h.clone() + q(i64::from(filler), 1);
        if at_total {
            let total = goal + q(20, 1);
            prop_assert_eq!(o.total, round2(&total, MODES[mode]), "exact {}\n{}", show(&total), form);
        } else {
            prop_assert_eq!(o.goals[0].score, round2(&goal, MODES[mode]), "exact {}\n{}", show(&goal), form);
            // budget 20.00 (rounded at the goal level too) + the goal's rounded score
            prop_assert_eq!(o.total, round2(&goal, MODES[mode]) + d("20.00"));
        }
    }

    /// The budget line: 20 × B / A, half way, rounded once.
    #[test]
    fn budget_lines(a in 1i64..100_000, k in 0i64..2000, mode in 0usize..4) {
        let h = half(k);
        // B = h·A / 20, a decimal (20 = 2²·5).
        let b = as_decimal(&(h.clone() * q(a, 20)), 8).expect("a decimal");
        let form = format!("[budget]\nplanned = \"{a}万元\"\nexecuted = \"{b}万元\"\n");
        let o = score_text(&rules(MODES[mode], "indicator", 20, false), &form).map_err(TestCaseError::fail)?;
        prop_assert_eq!(o.budget.score, round2(&h, MODES[mode]), "exact {}\n{}", show(&h), form);
    }
}

#[test]
fn exact_is_the_same_value_as_the_decimal_it_came_from() {
    // The test's own helpers, checked on worked values.
    assert_eq!(round2(&q(2425, 1000), "half_up"), d("2.43"));
    assert_eq!(round2(&q(2425, 1000), "half_even"), d("2.42"));
    assert_eq!(round2(&q(2435, 1000), "half_even"), d("2.44"));
    assert_eq!(round2(&q(2421, 1000), "up"), d("2.43"));
    assert_eq!(round2(&q(2429, 1000), "down"), d("2.42"));
    assert_eq!(exact(d("2.425")), q(97, 40));
    assert_eq!(as_decimal(&q(1, 3), 28), None);
}
