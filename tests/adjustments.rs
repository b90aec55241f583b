//! Bonus and deduction items (加分项, 扣分项, #19 §2): scored by the rule item a form's
//! `[[bonus]]` or `[[deduction]]` names, outside the indicator table; a bonus never above
//! its `weight`, a total never below 0 by deductions, `cap total at` over both, and 满分
//! saying what bonuses may add. Every expected number is worked out by hand beside it.

use jixiao::syntax::format::{Keywords, format};
use jixiao::{Source, compile};

use crate::support::{d, jixiao, score_text};

/// Budget 20 points (scored 20 × B / A), one class, a bonus of at most 5 (the points the
/// form claims) and a deduction of 2 a finding (at most 10), with `extra` lines after.
fn rules(extra: &str) -> jixiao::Rules {
    let text = format!(
        "rules \"adj\"\nround 2 half_up at indicator\n\
         budget:\n    weight 20\n    score weight * B / A\n    cap weight\n\
         class positive for numbers:\n    score weight * B / A\n    cap weight\n\
         bonus innovation \"创新加分\":\n    weight 5\n    score B\n\
         deduction audit \"审计发现问题\":\n    weight 10\n    score 2 * B\n\
         grade 优 >= 90, 良 >= 80, 中 >= 60, 差\n{extra}"
    );
    compile(&Source::new("adj.rules", text)).expect("the rules check")
}

/// Budget 95 of 100 (19); one goal of 80 points at 3 of 4 (60): 79 before any item.
fn form(items: &str) -> String {
    format!(
        "[budget]\nplanned = \"100万元\"\nexecuted = \"95万元\"\n\n\
         [[goals]]\nname = \"目标\"\nweight = 80\n\n\
         [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"甲\"\n\
         target = \"4个\"\nactual = \"3个\"\nweight = 80\n{items}"
    )
}

const BONUS_3: &str = "\n[[bonus]]\nname = \"创新加分\"\nvalue = 3\nnote = \"省级案例\"\n";
const FINDINGS_2: &str = "\n[[deduction]]\nname = \"审计发现问题\"\nvalue = \"2项\"\n";

#[test]
fn a_bonus_adds_and_a_deduction_takes_from_the_total() {
    let o = score_text(&rules(""), &form(&format!("{BONUS_3}{FINDINGS_2}"))).expect("scores");
    // 19 + 60 = 79; + 3 (bonus) − 2 × 2 (two findings) = 78
    assert_eq!(o.total, d("78.00"));
    let items: Vec<_> = o
        .adjustments
        .iter()
        .map(|a| (a.name.to_string(), a.score, a.signed()))
        .collect();
    assert_eq!(
        items,
        [
            ("创新加分".to_owned(), d("3.00"), d("3.00")),
            ("审计发现问题".to_owned(), d("4.00"), d("-4.00")),
        ]
    );
    // 满分: 20 + 80, and the bonus's 5 beyond it
    assert_eq!((o.max_total, o.max_bonus), (d("100"), d("5")));
    assert_eq!(o.adjustments[0].note.as_deref(), Some("省级案例"));
}

#[test]
fn a_bonus_is_never_above_its_weight_and_the_step_cites_it() {
    let bonus_9 = "\n[[bonus]]\nname = \"innovation\"\nvalue = 9\n";
    let o = score_text(&rules(""), &form(bonus_9)).expect("scores");
    // claimed 9, at most 5: 79 + 5 = 84 (named by the rule item's name, not its title)
    assert_eq!(o.adjustments[0].score, d("5"));
    assert_eq!(o.total, d("84.00"));
    let cap = o.adjustments[0].trace.last().expect("a step");
    assert_eq!(
        jixiao::report::trace::text(cap),
        "不得超过 weight = 5：9 → 5"
    );
    // line 11: `weight 5` under `bonus innovation` (line 10)
    assert_eq!(cap.rule.as_ref().map(|r| r.line), Some(11));
}

#[test]
fn deductions_never_make_the_total_negative() {
    // 5 findings at 2 points, no weight: a deduction without a limit
    let r = compile(&Source::new(
        "d.rules",
        "rules \"d\"\nbudget:\n    weight 20\n    score weight * B / A\n\
         class positive for numbers:\n    score weight * B / A\n\
         deduction audit \"审计发现问题\":\n    score 30 * B\n",
    ))
    .expect("checks");
    let o = score_text(
        &r,
        &form("\n[[deduction]]\nname = \"审计发现问题\"\nvalue = 5\n"),
    )
    .expect("scores");
    // 19 + 60 − 150 = −71 → 0, with a warning
    assert_eq!(o.total, d("0"));
    assert!(
        o.warnings
            .iter()
            .any(|w| w.code.as_str() == "jixiao::eval::total_floored")
    );
    // a deduction without a weight adds nothing to 满分
    assert_eq!(o.max_bonus, d("0"));
}

#[test]
fn a_total_cap_holds_bonuses_too_and_full_marks_say_so() {
    // a perfect form: 20 + 80 = 100; + 3 = 103 → capped at 100
    let perfect = form(BONUS_3)
        .replace("\"95万元\"", "\"100万元\"")
        .replace("actual = \"3个\"", "actual = \"4个\"");
    let o = score_text(&rules("cap total at 100"), &perfect).expect("scores");
    assert_eq!(o.total, d("100"));
    // nothing is left for the bonus beyond 100
    assert_eq!((o.max_total, o.max_bonus), (d("100"), d("0")));
    // a cap at 102 leaves 2 of the 5
    let o = score_text(&rules("cap total at 102"), &perfect).expect("scores");
    assert_eq!(o.total, d("102"));
    assert_eq!((o.max_total, o.max_bonus), (d("100"), d("2")));
}

#[test]
fn property_bonuses_stay_within_their_weight_and_totals_within_zero_and_the_cap() {
    let r = rules("cap total at 100");
    for bonus in 0..=12u32 {
        for findings in 0..=60u32 {
            let items = format!(
                "\n[[bonus]]\nname = \"创新加分\"\nvalue = {bonus}\n\
                 \n[[deduction]]\nname = \"审计发现问题\"\nvalue = {findings}\n"
            );
            let o = score_text(&r, &form(&items)).expect("scores");
            let added = d(&bonus.min(5).to_string());
            let taken = d(&(2 * findings).min(10).to_string());
            // 79 + min(bonus, 5) − min(2 × findings, 10), never below 0 nor above 100
            let want = (d("79") + added - taken).max(d("0")).min(d("100"));
            assert_eq!(o.total, want, "bonus {bonus}, findings {findings}");
            assert!(o.adjustments[0].score <= d("5"));
            assert!(o.adjustments[1].score <= d("10"));
        }
    }
}

#[test]
fn an_item_the_rules_do_not_know_is_an_error_with_the_nearest_name() {
    let e = score_text(
        &rules(""),
        &form("\n[[bonus]]\nname = \"创新加份\"\nvalue = 1\n"),
    )
    .expect_err("refused");
    assert!(e.contains("jixiao::eval::unknown_adjustment"), "{e}");
    assert!(e.contains("是否想写「创新加分」"), "{e}");
    // a deduction listed as a bonus says where it belongs
    let e = score_text(
        &rules(""),
        &form("\n[[bonus]]\nname = \"审计发现问题\"\nvalue = 1\n"),
    )
    .expect_err("refused");
    assert!(e.contains("规则中「审计发现问题」是扣分项"), "{e}");
}

#[test]
fn rules_without_items_of_a_kind_leave_the_forms_items_out_with_a_warning() {
    let r = compile(&Source::new(
        "plain.rules",
        "rules \"plain\"\nbudget:\n    weight 20\n    score weight * B / A\n\
         class positive for numbers:\n    score weight * B / A\n",
    ))
    .expect("checks");
    let o = score_text(&r, &form(BONUS_3)).expect("scores");
    // 19 + 60, the bonus not counted
    assert_eq!(o.total, d("79"));
    assert!(o.adjustments.is_empty());
    assert!(
        o.warnings
            .iter()
            .any(|w| w.code.as_str() == "jixiao::eval::adjustment_ignored")
    );
    // Many items: one warning naming the first five and the count, not one per item.
    let many: String = (1..=12)
        .map(|i| format!("\n[[bonus]]\nname = \"项{i}\"\nvalue = 1\n"))
        .collect();
    let o = score_text(&r, &form(&many)).expect("scores");
    let ignored: Vec<&str> = o
        .warnings
        .iter()
        .filter(|w| w.code.as_str() == "jixiao::eval::adjustment_ignored")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        ignored,
        [
            "规则「plain」没有加分项，表单中的加分项「项1」「项2」「项3」「项4」「项5」等 12 项不计分"
        ]
    );
}

#[test]
fn a_bonus_without_a_weight_is_a_check_error() {
    let e = compile(&Source::new(
        "b.rules",
        "rules \"b\"\nbudget:\n    weight 20\n    score weight * B / A\n\
         bonus innovation \"创新加分\":\n    score B\n",
    ))
    .expect_err("refused");
    let shown = format!("{:?}", miette::Report::new(e));
    assert!(
        shown.contains("加分项「innovation」的最高分值 weight"),
        "{shown}"
    );
}

#[test]
fn the_cli_shows_items_as_rows_signed_and_full_marks_with_the_bonus() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rules_path = dir.path().join("adj.rules");
    std::fs::write(
        &rules_path,
        "rules \"adj\"\nextends \"hubei-2021\"\n\n\
         bonus innovation \"创新加分\":\n    weight 5\n    score B\n\n\
         deduction audit \"审计发现问题\":\n    score 2 * B\n",
    )
    .expect("written");
    let form_path = dir.path().join("form.toml");
    std::fs::write(&form_path, form(&format!("{BONUS_3}{FINDINGS_2}"))).expect("written");
    let (r, f) = (
        rules_path.to_str().expect("utf-8"),
        form_path.to_str().expect("utf-8"),
    );
    // hubei: 20 × 95% = 19; 80 × 3 / 4 = 60; + 3 − 4 = 78
    jixiao(&["score", "--rules", r, f])
        .ok()
        .stdout_has("加分项与扣分项")
        .stdout_has("+3.00")
        .stdout_has("-4.00")
        .stdout_has("100 + 5 加分")
        .stdout_has("78.00");
    let json = jixiao(&["score", "--format", "json", "--rules", r, f])
        .ok()
        .out();
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["adjustments"][1]["kind"], "deduction");
    assert_eq!(v["adjustments"][1]["score"], "4.00");
    assert_eq!(v["max_bonus"], "5");
    // every report has the items as rows of their own
    jixiao(&["score", "--format", "csv", "--rules", r, f])
        .ok()
        .stdout_has("加分项,,,创新加分,,3,,5,3.00,,")
        .stdout_has("扣分项,,,审计发现问题,,2项,,,-4.00,,");
    jixiao(&["score", "--format", "md", "--rules", r, f])
        .ok()
        .stdout_has("| 扣分项 | 审计发现问题 | 2项 | | **-4.00** | | | |");
    jixiao(&["score", "--format", "html", "--rules", r, f])
        .ok()
        .stdout_has("<th colspan=\"3\">加分项与扣分项</th>")
        .stdout_has("<td colspan=\"3\">加分项：创新加分</td><td>省级案例</td>");
    jixiao(&["explain", "--rules", r, f, "扣分项"])
        .ok()
        .stdout_has("扣分项「审计发现问题」  扣分 4.00")
        .stdout_has("2 * B = 2 × 2 = 4");
    jixiao(&["diff", "hubei-2021", r, f])
        .ok()
        .stdout_has("加分项/创新加分")
        .stdout_has("-1.00");
}

#[test]
fn fmt_keeps_items_and_writes_them_in_either_keyword_set() {
    let text = "rules \"adj\"\n\nbudget:\n    weight 20\n    score weight * B / A\n\n\
                bonus innovation \"创新加分\":\n    weight 5\n    score B\n";
    let zh = format(&Source::new("a.rules", text), Keywords::Zh).expect("formats");
    assert!(
        zh.contains("加分项 innovation \"创新加分\"：\n    分值 5\n    得分 B\n"),
        "{zh}"
    );
    let back = format(&Source::new("a.rules", zh.as_str()), Keywords::En).expect("formats");
    assert_eq!(back, text);
}
