//! The language for every province (#19 §4, §5): facts the form states under `[form]`
//! that rules declare and read (`fact 单位类型: text in [...]`, `fact 级次: number`), text
//! parameters (`param 本级 = "满意度指标"`), and `missing(x)`, with classes that score
//! indicators left without an actual value. Every
//! expected number is worked out by hand in the comment beside it.

use jixiao::{Source, compile};

use crate::support::{d, render, repo_file, score_text};

/// Rules that score 事业单位 at nine tenths, and cap a goal at its weight less the form's
/// 级次.
const RULES: &str = "rules \"facts\"\nround 2 half_up at indicator\n\
    fact 单位类型: text in [\"行政单位\", \"事业单位\"]\n\
    fact 级次: number\n\
    budget:\n    weight 20\n    score weight * B / A\n    cap weight\n\
    class 事业 \"事业单位\" for numbers when 单位类型 == \"事业单位\":\n    score weight * B / A * 0.9\n    cap weight\n\
    class positive for numbers:\n    score weight * B / A\n    cap weight\n\
    class q for text:\n    score weight\n\
    cap goal at weight - 级次\n";

/// Whether `text` (items after the header, before a plain budget line) checks; the
/// errors as shown.
fn check(text: &str) -> Result<(), String> {
    compile(&Source::new(
        "t.rules",
        format!("rules \"t\"\n{text}\nbudget:\n    weight 20\n    score weight\n"),
    ))
    .map(|_| ())
    .map_err(|e| render(&e))
}

fn rules() -> jixiao::Rules {
    compile(&Source::new("facts.rules", RULES)).expect("the rules check")
}

/// goal-over.toml (budget 95 of 100; goal 80: 甲 50 points at 3 of 3, 乙 40 at 7 of 8)
/// with these lines added under `[form]`.
fn form(facts: &str) -> String {
    repo_file("tests/bad/inputs/goal-over.toml").replace("[form]\n", &format!("[form]\n{facts}"))
}

#[test]
fn rules_read_the_facts_a_form_states() {
    let r = rules();
    // 行政单位: positive, 50 × 3 / 3 = 50.00 and 40 × 7 / 8 = 35.00; 85.00 above the cap
    // 80 − 2 = 78 → 78.00; budget 20 × 95 / 100 = 19.00; total 97.00
    let o = score_text(&r, &form("\"单位类型\" = \"行政单位\"\n\"级次\" = 2\n")).expect("scores");
    assert_eq!(o.goals[0].indicators[0].class.as_deref(), Some("positive"));
    assert_eq!(o.goals[0].score, d("78.00"));
    assert_eq!(o.total, d("97.00"));
    // 事业单位: 50 × 0.9 = 45.00, 35 × 0.9 = 31.50; 76.50 under the cap 80 − 3 = 77
    let o = score_text(&r, &form("\"单位类型\" = \"事业单位\"\n\"级次\" = 3\n")).expect("scores");
    assert_eq!(o.goals[0].indicators[0].class.as_deref(), Some("事业"));
    assert_eq!(o.goals[0].score, d("76.50"));
    assert_eq!(o.total, d("95.50"));
    // A fraction, read exactly: cap 80 − 3.75 = 76.25, below 76.50 → 76.25
    let o =
        score_text(&r, &form("\"单位类型\" = \"事业单位\"\n\"级次\" = 3.75\n")).expect("scores");
    assert_eq!(o.goals[0].score, d("76.25"));
    // Facts the rules do not declare are the form's own business.
    let o = score_text(
        &r,
        &form("\"单位类型\" = \"行政单位\"\n\"级次\" = 2\n\"主管部门\" = \"某局\"\n"),
    )
    .expect("scores");
    assert_eq!(o.total, d("97.00"));
}

#[test]
fn a_fact_the_form_lacks_is_an_error_where_a_formula_reads_it() {
    let r = rules();
    // No 级次: the goal's cap reads it.
    let err =
        score_text(&r, &form("\"单位类型\" = \"行政单位\"\n")).expect_err("the cap reads 级次");
    assert!(err.contains("jixiao::eval::missing_fact"), "{err}");
    assert!(err.contains("表单信息「级次」"), "{err}");
    assert!(err.contains("\"级次\" = 2"), "{err}");
    // A key spelt otherwise is named.
    let err = score_text(&r, &form("\"单位类形\" = \"行政单位\"\n\"级次\" = 2\n"))
        .expect_err("the class conditions read 单位类型");
    assert!(err.contains("表单中有「单位类形」"), "{err}");
    // Rules that declare no facts score the form without them.
    let plain = compile(&Source::new(
        "p.rules",
        RULES
            .replace("cap goal at weight - 级次\n", "")
            .replace("when 单位类型 == \"事业单位\"", "when level1 == \"无\""),
    ))
    .expect("checks");
    assert!(score_text(&plain, &form("")).is_ok());
}

#[test]
fn a_fact_must_be_what_the_rules_declare() {
    let r = rules();
    // A value outside the listed ones, with the nearest.
    let err = score_text(&r, &form("\"单位类型\" = \"事业单住\"\n\"级次\" = 2\n"))
        .expect_err("not listed");
    assert!(err.contains("jixiao::eval::fact_value"), "{err}");
    assert!(
        err.contains("是否想写「事业单位」？可填的值：行政单位、事业单位"),
        "{err}"
    );
    // A text where a number is declared.
    let err = score_text(
        &r,
        &form("\"单位类型\" = \"行政单位\"\n\"级次\" = \"二级\"\n"),
    )
    .expect_err("级次 is a number");
    assert!(
        err.contains("规则要求写成数字，不加引号，如 \"级次\" = 2"),
        "{err}"
    );
    // A number where a text is declared.
    let err =
        score_text(&r, &form("\"单位类型\" = 1\n\"级次\" = 2\n")).expect_err("单位类型 is a text");
    assert!(err.contains("规则要求写成文字"), "{err}");
}

#[test]
fn the_form_takes_facts_but_still_refuses_a_misspelt_key_of_its_own() {
    let r = rules();
    let load = |facts: &str| {
        jixiao::load_form(&Source::new("f.toml", form(facts))).map_err(|e| render(&e))
    };
    // `yaer` is `year` misspelt, `"年度"` its heading: both refused as before.
    let err = load("yaer = 2021\n").expect_err("a misspelt key");
    assert!(
        err.contains("未知的键「yaer」") && err.contains("您是否想写 year？"),
        "{err}"
    );
    let err = load("\"年度\" = 2021\n").expect_err("a heading");
    assert!(err.contains("您是否想写 year？"), "{err}");
    // A key of another table, or another table's heading: misplaced, not a fact.
    let err = load("reported_score = 19\n").expect_err("a [budget] key");
    assert!(err.contains("未知的键「reported_score」"), "{err}");
    let err = load("\"预算数\" = 100\n").expect_err("a heading");
    assert!(err.contains("未知的键「预算数」"), "{err}");
    // A date, a list or a table is no fact.
    let err = load("\"成立日期\" = 2020-01-01\n").expect_err("a date");
    assert!(
        err.contains("表单信息「成立日期」的类型不对：应为文字或数字"),
        "{err}"
    );
    // An empty text is no fact: the cap then lacks 级次.
    let f = load("\"单位类型\" = \"行政单位\"\n\"级次\" = \"  \"\n").expect("loads");
    assert_eq!(f.facts.len(), 1);
    assert!(jixiao::evaluate(&r, &f).is_err());
    // A Chinese key written bare is a TOML syntax error that says to quote it.
    let err = load("单位类型 = \"行政单位\"\n").expect_err("bare Chinese key");
    assert!(err.contains("\"单位类型\""), "{err}");
}

#[test]
fn the_checker_keeps_facts_apart_from_parameters_and_built_ins() {
    // A fact is the form's: not a constant.
    let err = check("fact 级次: number\nparam p = 级次").expect_err("a constant");
    assert!(err.contains("「级次」是表单信息"), "{err}");
    // One name, one meaning.
    let err = check("param 级次 = 1\nfact 级次: number").expect_err("a parameter's name");
    assert!(err.contains("jixiao::check::duplicate"), "{err}");
    let err = check("fact 级次: number\nfact 级次: text").expect_err("twice");
    assert!(err.contains("重复定义表单信息「级次」"), "{err}");
    let err = check("fact 年度: number").expect_err("a built-in's name");
    assert!(err.contains("jixiao::check::reserved_name"), "{err}");
    // Listed values are for texts.
    let err = check("fact 级次: number in [\"1\"]").expect_err("a number's values");
    assert!(err.contains("数值型的表单信息不能列出取值"), "{err}");
    // A text fact is compared with texts.
    let err =
        check("fact 单位类型: text\nclass c for numbers when 单位类型 > 1:\n    score weight")
            .expect_err("a text compared as a number");
    assert!(err.contains("jixiao::check::type_mismatch"), "{err}");
    // Declared after the formulas that read it, in Chinese keywords.
    check("类别 c 适用 数值 当 单位类型 == \"行政单位\":\n    得分 权重\n表单信息 单位类型：文字 属于 [\"行政单位\"，\"事业单位\"]")
        .expect("facts may be declared anywhere");
}

#[test]
fn an_overlay_redeclares_a_bases_fact() {
    let overlay = Source::new(
        "o.rules",
        "rules \"o\"\nextends \"base.rules\"\nfact 单位类型: text in [\"行政单位\", \"事业单位\", \"企业\"]\n",
    );
    struct Base;
    impl jixiao::check::Resolve for Base {
        fn resolve(&self, name: &str, _from: &Source) -> Result<Source, jixiao::check::Unresolved> {
            assert_eq!(name, "base.rules");
            Ok(Source::new("base.rules", RULES))
        }
    }
    let r = jixiao::compile_with(&overlay, &Base, &[]).expect("checks");
    // 企业 is listed now: positive, as 行政单位 → 97.00
    let o = score_text(&r, &form("\"单位类型\" = \"企业\"\n\"级次\" = 2\n")).expect("scores");
    assert_eq!(o.total, d("97.00"));
}

// --- missing(x) ---------------------------------------------------------------------

/// Budget 95 of 100; one goal of 100: 甲 40 points at 2 of 3, 乙 40 at 7 of 9, 丙 (满意度)
/// 20 points, target ≥90%, without an actual value.
const UNFILLED: &str = "[budget]\nplanned = \"100万元\"\nexecuted = \"95万元\"\n\n\
    [[goals]]\nname = \"目标\"\nweight = 100\n\n\
    [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"甲\"\n\
    target = \"3个\"\nactual = \"2个\"\nweight = 40\n\n\
    [[goals.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"乙\"\n\
    target = \"9个\"\nactual = \"7个\"\nweight = 40\n\n\
    [[goals.indicators]]\nlevel1 = \"满意度指标\"\nlevel2 = \"满意度指标\"\nname = \"丙\"\n\
    target = \"≥90%\"\nweight = 20\n";

fn unfilled_rules(classes: &str) -> jixiao::Rules {
    let text = format!(
        "rules \"u\"\nround 2 half_up at indicator\n\
         budget:\n    weight 20\n    score weight * B / A\n    cap weight\n\
         {classes}\
         class positive for numbers:\n    score weight * B / A\n    cap weight\n"
    );
    compile(&Source::new("u.rules", text)).expect("the rules check")
}

#[test]
fn a_class_that_tests_missing_b_scores_an_unfilled_indicator() {
    let r = unfilled_rules(
        "class 未填 \"未填的满意度\" for numbers when missing(B) and level1 == \"满意度指标\":\n    score weight * A / 2\n",
    );
    let o = score_text(&r, UNFILLED).expect("scores");
    // 40 × 2 / 3 = 26.67, 40 × 7 / 9 = 31.11; 丙 by 未填: 20 × 0.9 / 2 = 9.00
    let c = &o.goals[0].indicators[2];
    assert_eq!(c.class.as_deref(), Some("未填"));
    assert_eq!(c.score, Some(d("9.00")));
    // 26.67 + 31.11 + 9.00 = 66.78; total 19.00 + 66.78 = 85.78
    assert_eq!(o.goals[0].score, d("66.78"));
    assert_eq!(o.total, d("85.78"));
    assert!(
        o.warnings
            .iter()
            .all(|w| w.code.as_str() != "jixiao::eval::not_evaluated")
    );
    // Filled in, 丙 is scored by its value as before: 20 × 0.95 / 0.9 = 21.11 → cap 20.00
    let o = score_text(
        &r,
        &UNFILLED.replace("weight = 20\n", "weight = 20\nactual = \"95%\"\n"),
    )
    .expect("scores");
    assert_eq!(o.goals[0].indicators[2].class.as_deref(), Some("positive"));
    assert_eq!(o.goals[0].indicators[2].score, Some(d("20.00")));
}

#[test]
fn without_such_a_class_an_unfilled_indicator_is_not_evaluated_as_before() {
    // The class's condition does not hold for 丙 (another 一级指标): not evaluated, 0.
    let r = unfilled_rules(
        "class 未填 for numbers when missing(B) and level1 == \"产出指标\":\n    score weight\n",
    );
    let o = score_text(&r, UNFILLED).expect("scores");
    assert_eq!(o.goals[0].indicators[2].score, Some(d("0")));
    assert!(
        o.warnings
            .iter()
            .any(|w| w.code.as_str() == "jixiao::eval::not_evaluated")
    );
    // 26.67 + 31.11 + 0 = 57.78
    assert_eq!(o.goals[0].score, d("57.78"));
    // A class of text values is not tried for a numeric target.
    let r = unfilled_rules("class 未填 for text when missing(B):\n    score weight\n");
    assert_eq!(
        score_text(&r, UNFILLED).expect("scores").goals[0].score,
        d("57.78")
    );
}

#[test]
fn a_formula_reading_the_missing_value_is_an_error_that_says_so() {
    let r = unfilled_rules("class 未填 for numbers when missing(B):\n    score weight * B / A\n");
    let err = score_text(&r, UNFILLED).expect_err("B is missing");
    assert!(err.contains("jixiao::eval::missing_value"), "{err}");
    assert!(err.contains("实际完成值（B），但表单没有填写"), "{err}");
    // A guard handles it first.
    let r = unfilled_rules(
        "class 未填 for numbers when missing(B):\n    score weight * B / A\n    if missing(B): 5\n",
    );
    // 丙 = 5.00; 26.67 + 31.11 + 5.00 = 62.78
    assert_eq!(
        score_text(&r, UNFILLED).expect("scores").goals[0].score,
        d("62.78")
    );
}

#[test]
fn missing_tests_the_year_and_facts_too() {
    let text = "rules \"y\"\nround 2 half_up at indicator\nfact 级次: number\n\
         budget:\n    weight 20\n    score if missing(year) or missing(级次) then weight else weight * B / A\n    cap weight\n\
         class positive for numbers:\n    score weight * B / A\n    cap weight\n";
    let r = compile(&Source::new("y.rules", text)).expect("checks");
    // No year: the budget line scores its weight, 20.00, where `year` alone would fail.
    let o = score_text(&r, UNFILLED).expect("scores");
    assert_eq!(o.budget.score, d("20.00"));
    // Year and 级次 given: 20 × 95 / 100 = 19.00
    let with = UNFILLED.replace("[budget]", "[form]\nyear = 2022\n\"级次\" = 1\n\n[budget]");
    assert_eq!(
        score_text(&r, &with).expect("scores").budget.score,
        d("19.00")
    );
    // Only names of the form's values: not a parameter, not a formula.
    for bad in ["missing(1)", "missing(weight * 2)", "missing(B, A)"] {
        let text =
            format!("rules \"t\"\nbudget:\n    weight 20\n    score if {bad} then 0 else weight\n");
        let err = compile(&Source::new("t.rules", text)).expect_err(bad);
        let shown = render(&err);
        assert!(
            shown.contains("missing 的参数须是表单中的一个值"),
            "{bad}: {shown}"
        );
    }
}

#[test]
fn the_trace_shows_facts_and_missing_with_their_values() {
    let r = compile(&Source::new(
        "t.rules",
        RULES.replace(
            "    score weight * B / A * 0.9\n",
            "    score weight * B / A * 级次 / 4\n",
        ),
    ))
    .expect("checks");
    let text = form("\"单位类型\" = \"事业单位\"\n\"级次\" = 3\n");
    let f = jixiao::load_form(&Source::new("f.toml", text)).expect("loads");
    let o = jixiao::evaluate(&r, &f).expect("scores");
    let steps = format!("{:?}", o.goals[0].indicators[0].trace);
    // 50 × 3 / 3 × 3 / 4 = 37.5
    assert!(steps.contains("50 × 3 / 3 × 3 / 4"), "{steps}");
}

// --- text parameters --------------------------------------------------------------

/// 丙 (满意度, unfilled in UNFILLED) filled in at 95%; the class 本级 scores indicators of
/// the 一级指标 named by a text parameter at half their weight.
fn text_param_rules(settings: &[jixiao::Setting]) -> Result<jixiao::Rules, String> {
    let text = "rules \"p\"\nround 2 half_up at indicator\nparam 本级 = \"满意度指标\"\n\
         budget:\n    weight 20\n    score weight * B / A\n    cap weight\n\
         class 本级 \"本级指标\" for numbers when level1 == 本级:\n    score weight / 2\n\
         class positive for numbers:\n    score weight * B / A\n    cap weight\n";
    jixiao::compile_with(
        &Source::new("p.rules", text),
        &jixiao::check::Bundled,
        settings,
    )
    .map_err(|e| render(&e))
}

#[test]
fn a_text_parameter_is_compared_with_texts_and_set_from_outside() {
    let form = UNFILLED.replace("weight = 20\n", "weight = 20\nactual = \"95%\"\n");
    // 丙 is a 满意度指标: 20 / 2 = 10.00; 26.67 + 31.11 + 10.00 = 67.78
    let o = score_text(&text_param_rules(&[]).expect("checks"), &form).expect("scores");
    assert_eq!(o.goals[0].indicators[2].class.as_deref(), Some("本级"));
    assert_eq!(o.goals[0].score, d("67.78"));
    // --set 本级=产出指标: 甲 and 乙 at half, 20.00 and 20.00; 丙 positive, 20 × 0.95 / 0.9
    // = 21.11 → capped 20.00; 60.00
    let set = "本级=产出指标"
        .parse::<jixiao::Setting>()
        .expect("a setting");
    let o = score_text(&text_param_rules(&[set]).expect("checks"), &form).expect("scores");
    assert_eq!(o.goals[0].score, d("60.00"));
    // The trace shows the parameter's text.
    let steps = format!("{:?}", o.goals[0].indicators[0].trace);
    assert!(steps.contains("level1 == 本级"), "{steps}");
    let r = text_param_rules(&[]).expect("checks");
    assert_eq!(
        r.params().collect::<Vec<_>>(),
        [("本级", "满意度指标".to_owned())]
    );
}

#[test]
fn a_text_parameter_keeps_its_kind() {
    // Not in arithmetic.
    let err = check("param 本级 = \"省级\"\nclass c for numbers:\n    score weight * 本级")
        .expect_err("a text in arithmetic");
    assert!(err.contains("jixiao::check::type_mismatch"), "{err}");
    // Not a condition.
    let err = check("param p = 1 > 0").expect_err("a condition");
    assert!(
        err.contains("参数值应为数值或文字，这里是真假值（条件）"),
        "{err}"
    );
}

#[test]
fn reports_show_the_facts_the_rules_read() {
    let args = [
        "score",
        "-r",
        "tests/fixtures/rule-tests/facts.rules",
        "tests/fixtures/rule-tests/facts-form.toml",
    ];
    let out = crate::support::jixiao(&args);
    out.ok();
    assert!(
        out.out()
            .starts_with("目标封顶\n单位名称：测试单位\n表单信息：单位类型 事业单位，级次 2\n"),
        "{}",
        out.out()
    );
    let json = crate::support::jixiao(&[&args[..], &["-f", "json"]].concat()).json();
    assert_eq!(
        json["form"]["facts"],
        serde_json::json!({"单位类型": "事业单位", "级次": "2"})
    );
    // Rules that declare none show none, whatever the form states.
    let plain = crate::support::jixiao(&[
        "score",
        "tests/fixtures/rule-tests/facts-form.toml",
        "-f",
        "json",
    ])
    .json();
    assert!(plain["form"].get("facts").is_none(), "{plain}");
}
