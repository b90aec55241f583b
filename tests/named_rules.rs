//! A form that names its rules (`[form] rules = "national-project-2020"`): scored under
//! another set it warns (`jixiao::eval::other_rules`), under that set or a variant of it
//! it does not, and the score is the same either way.

use jixiao::{Source, compile, load_form};

use crate::support::{d, hubei, render, repo_file, score_text};

fn bundled(name: &str) -> jixiao::Rules {
    compile(&jixiao::bundled(name).expect("bundled")).unwrap_or_else(|e| panic!("{}", render(&e)))
}

/// The codes of the outcome's warnings.
fn warned(rules: &jixiao::Rules, text: &str) -> Vec<(String, String)> {
    let o = score_text(rules, text).unwrap_or_else(|e| panic!("{e}"));
    o.warnings
        .iter()
        .map(|w| (w.code.as_str().to_owned(), w.message.clone()))
        .collect()
}

fn other_rules(rules: &jixiao::Rules, text: &str) -> Vec<String> {
    warned(rules, text)
        .into_iter()
        .filter(|(code, _)| code == "jixiao::eval::other_rules")
        .map(|(_, message)| message)
        .collect()
}

#[test]
fn a_project_form_scored_under_the_department_rules_says_which_rules_it_names() {
    let form = repo_file("examples/project/project-2022.toml");
    assert!(form.contains("rules = \"national-project-2020\"\n"));
    assert_eq!(
        other_rules(&hubei(), &form),
        [
            "表单注明按规则「national-project-2020」计分，本次用的是「hubei-2021」（湖北省部门整体绩效自评 2021）：得分可能与规定不符；请换用表单注明的规则，或改正表单 [form] 的 rules"
        ]
    );
    // Under the set it names, and under central-project (an overlay of it), no warning
    // at all, and the same 96.11 (tests/bundled.rs works it out).
    for name in ["national-project-2020", "central-project"] {
        let r = bundled(name);
        assert_eq!(warned(&r, &form), [], "{name}");
        let o = score_text(&r, &form).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.total, d("96.11"), "{name}");
    }
}

#[test]
fn a_variant_of_the_named_rules_fits_and_the_warning_never_moves_a_score() {
    let form = repo_file("examples/tongcheng-2021.toml").replacen(
        "[form]\n",
        "[form]\nrules = \"hubei-2021\"\n",
        1,
    );
    let named = score_text(&hubei(), &form).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(named.total, d("96.53"));
    assert!(other_rules(&hubei(), &form).is_empty());
    // A what-if that extends hubei-2021 is the named scheme with a change: no warning.
    let variant = compile(&Source::new(
        "v.rules",
        "rules \"v\" \"预算 20 分不变的变体\"\nextends \"hubei-2021\"\n",
    ))
    .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert!(other_rules(&variant, &form).is_empty());
    // Another name: the warning, and the same total as without any name.
    let other = form.replacen("rules = \"hubei-2021\"", "rules = \"hubei-2022\"", 1);
    assert_eq!(other_rules(&hubei(), &other).len(), 1);
    let o = score_text(&hubei(), &other).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.total, named.total);
}

#[test]
fn the_rules_key_is_a_name_and_its_chinese_heading_is_refused() {
    let with = |line: &str| {
        repo_file("examples/tongcheng-2021.toml").replacen(
            "[form]\n",
            &format!("[form]\n{line}\n"),
            1,
        )
    };
    let load = |text: String| load_form(&Source::new("f.toml", text)).map_err(|e| render(&e));
    // A number is no rule set's name.
    let err = load(with("rules = 2021")).expect_err("a number");
    assert!(err.contains("rules"), "{err}");
    // Empty or blank: as if absent, no warning.
    let form = load(with("rules = \"  \"")).expect("blank is absent");
    assert!(form.rules.is_none());
    // Trimmed, with its span on the value.
    let text = with("rules = \" national-project-2020 \"");
    let form = load(text.clone()).expect("loads");
    let named = form.rules.expect("named");
    assert_eq!(&*named.text, "national-project-2020");
    assert_eq!(
        &text[named.span.start..named.span.end],
        "\" national-project-2020 \""
    );
    // 计分规则 is the key's heading, not a fact: refused, pointing at `rules`.
    let err = load(with("\"计分规则\" = \"hubei-2021\"")).expect_err("a heading");
    let unwrapped: String = err.split_whitespace().collect();
    assert!(
        unwrapped.contains("未知的键「计分规则」") && unwrapped.contains("您是否想写rules？"),
        "{err}"
    );
}
