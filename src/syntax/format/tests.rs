use super::{Keywords, format};
use crate::source::Source;

fn fmt_with(text: &str, keywords: Keywords) -> String {
    let out =
        format(&Source::new("t.rules", text), keywords).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    // Every output is a fixed point and parses to what the input did.
    let again = format(&Source::new("t.rules", out.clone()), keywords)
        .unwrap_or_else(|e| panic!("the output does not parse: {e:?}\n{out}"));
    assert_eq!(again, out, "not idempotent");
    if keywords == Keywords::Keep {
        assert_eq!(ast(&out), ast(text), "the meaning changed:\n{out}");
    }
    out
}

fn fmt(text: &str) -> String {
    fmt_with(text, Keywords::Keep)
}

/// The AST without its spans.
fn ast(text: &str) -> String {
    let file =
        crate::syntax::parse(&Source::new("t.rules", text)).unwrap_or_else(|e| panic!("{e:?}"));
    let debug = format!("{file:?}");
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = &rest[rest.find('}').map_or(rest.len(), |j| j + 1)..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_bundled_rules_are_already_canonical() {
    for text in [
        include_str!("../../../rules/hubei-2021.rules"),
        include_str!("../../../rules/central-project.rules"),
        include_str!("../../../rules/stepwise-example.rules"),
    ] {
        assert_eq!(fmt(text), text);
    }
}

#[test]
fn a_messy_file_gets_the_canonical_layout() {
    let messy = "rules   \"t\"\n  \"标题\"   extends \"hubei-2021\"\n\
            param a=1\nparam   b = a*(2+3)\nround 2 half_up   at indicator\n\
            budget :  weight 20 score weight*B/A\n  cap weight if A==0 : error \"零\\\"引号\\\"\"\n\
            aggregate number : sum aggregate percent: mean by fund\n\
            class q \"定性\" for text when B==A or tier==\"达成\" :\n\
            band 达成 [80%,100%] default 100% when B == A\n band \"部分 达成\" [50%, 80%)\n\
            \t band 未达成 [0%,50%)\nscore weight*rate\n\
            optional when level1==\"满意度指标\":rescale goal\n\
            grade 优>=90,良>80,差\n\n\n";
    // Band names padded to the widest, "部分 达成" in quotes: 11 columns (4 + 1 + 4 + 2).
    let expected = "\
rules \"t\" \"标题\"
extends \"hubei-2021\"

param a = 1
param b = a * (2 + 3)

round 2 half_up at indicator

budget:
    weight 20
    score weight * B / A
    cap weight
    if A == 0: error \"零\\\"引号\\\"\"

aggregate number: sum
aggregate percent: mean by fund

class q \"定性\" for text when B == A or tier == \"达成\":
    band 达成        [80%, 100%]  default 100%  when B == A
    band \"部分 达成\" [50%, 80%)
    band 未达成      [0%, 50%)
    score weight * rate

optional when level1 == \"满意度指标\": rescale goal

grade 优 >= 90, 良 > 80, 差
";
    assert_eq!(fmt(messy), expected);
}

#[test]
fn the_default_and_when_columns_align_too() {
    let text = "rules \"t\"\nclass q for text:\n\
            band a [0, 0.5) default 0.25\nband bbb [0.5, 1] default 1 when B == A\n";
    let expected = "rules \"t\"\n\nclass q for text:\n\
            \x20   band a   [0, 0.5)  default 0.25\n\
            \x20   band bbb [0.5, 1]  default 1     when B == A\n";
    assert_eq!(fmt(text), expected);
}

#[test]
fn numbers_stay_as_written_and_parentheses_are_minimal() {
    let text = "rules \"t\"\nparam x = ((0.50 + 80%)) * (1.0 - (2 - 3)) - -(4 + 5)\n\
            param y = (if 1 > 2 then 3 else 4) + min(1, if 1 > 2 then 3 else 4)\n\
            param z = step(x, >= 90%: 100%, else 0)\n\
            optional when not (level1 == \"a\" and (direction == \"\" or op in [\">=\", \">\"])): drop\n";
    let expected = "rules \"t\"\n\n\
            param x = (0.50 + 80%) * (1.0 - (2 - 3)) - -(4 + 5)\n\
            param y = (if 1 > 2 then 3 else 4) + min(1, if 1 > 2 then 3 else 4)\n\
            param z = step(x, >= 90%: 100%, else: 0)\n\n\
            optional when not (level1 == \"a\" and (direction == \"\" or op in [\">=\", \">\"])): drop\n";
    assert_eq!(fmt(text), expected);
}

#[test]
fn own_line_comments_go_before_what_follows_them_with_their_blank_lines() {
    let text = "# file\n\n\nrules \"t\" # the header\n# before a\nparam a = 1\n\n\
            # before b, after a blank line\nparam b = 2\nbudget:\n  weight 1\n\n\
            \x20 # about the score\n\n\n  score B /\n  # inside the score\n  A\n\
            # the end\n\n# really\n";
    let expected = "# file\n\nrules \"t\"  # the header\n\n# before a\nparam a = 1\n\n\
            # before b, after a blank line\nparam b = 2\n\nbudget:\n    weight 1\n\n\
            \x20   # about the score\n    # inside the score\n    score B / A\n\
            # the end\n\n# really\n";
    assert_eq!(fmt(text), expected);
}

#[test]
fn trailing_comments_stay_on_their_line_and_extra_ones_move_above_it() {
    let text =
        "rules \"t\"\ngrade 优 >= 90,   # top\n      良 >= 80,   # good\n      差   # rest\n";
    let expected = "rules \"t\"\n\n# top\n# good\ngrade 优 >= 90, 良 >= 80, 差  # rest\n";
    assert_eq!(fmt(text), expected);
}

#[test]
fn a_hash_inside_a_string_is_not_a_comment() {
    let text = "rules \"t # 1\" \"a \\\" # b\"  # c \"d\n";
    assert_eq!(fmt(text), "rules \"t # 1\" \"a \\\" # b\"  # c \"d\n");
}

#[test]
fn keep_writes_the_keywords_most_of_the_file_uses() {
    // Two English keywords against one Chinese: English.
    assert_eq!(
        fmt("规则 \"t\"\nparam a = 1\nparam b = 2\n"),
        "rules \"t\"\n\nparam a = 1\nparam b = 2\n"
    );
    // One each: the header's language.
    assert_eq!(
        fmt("规则 \"t\"\nparam a = 1\n"),
        "规则 \"t\"\n\n参数 a = 1\n"
    );
    // Built-in names stay as written under Keep.
    assert_eq!(
        fmt("rules \"t\"\nbudget: weight 1 score 权重 * B / A cap weight\n"),
        "rules \"t\"\n\nbudget:\n    weight 1\n    score 权重 * B / A\n    cap weight\n"
    );
}

#[test]
fn chinese_keywords_with_full_width_punctuation() {
    let text = "rules \"t\"\nround 2 half_even at goal\naggregate rate: mean by fund\n\
            budget: weight 1 score if true then weight else 0\n\
            class negative \"反向\" for numbers when op in [\"<=\"] and not direction == \"\":\n\
            score step(B / A, >= 1: weight, else: 0) if A == 0: error \"x\"\n\
            optional none\nscale goals to 100 - 1\ngrade 优 >= 90, 差\n";
    let expected = "规则 \"t\"\n\n保留 2 位 银行家舍入 于 目标\n\n汇总 得分率：按资金加权\n\n\
            预算：\n    分值 1\n    得分 如果 真 则 权重 否则 0\n\n\
            类别 negative \"反向\" 适用 数值 当 比较符 属于 [\"<=\"] 且 非 方向 == \"\"：\n\
            \x20   得分 分档(B / A, >= 1: 权重, 否则: 0)\n    如果 A == 0：报错 \"x\"\n\n\
            可选 无\n\n缩放 目标 至 100 - 1\n\n等级 优 >= 90，差\n";
    let zh = fmt_with(text, Keywords::Zh);
    assert_eq!(zh, expected);
    assert_eq!(fmt_with(&zh, Keywords::En), fmt(text));
}

#[test]
fn parameter_names_are_never_translated() {
    // `权重` is declared as a parameter here, so `weight` is not renamed into it,
    // and the parameter keeps its name.
    let text = "rules \"t\"\nparam 权重 = 2\nbudget: weight 权重 score weight * B / A\n";
    assert_eq!(
        fmt_with(text, Keywords::Zh),
        "规则 \"t\"\n\n参数 权重 = 2\n\n预算：\n    分值 权重\n    得分 weight * B / A\n"
    );
    assert_eq!(
        fmt_with(text, Keywords::En),
        "rules \"t\"\n\nparam 权重 = 2\n\nbudget:\n    weight 权重\n    score weight * B / A\n"
    );
}

#[test]
fn test_blocks_put_entries_and_a_long_expect_on_lines_of_their_own() {
    let text = "rules \"t\"\ntest \"a\": indicator weight 8 entry fund \"3\" target \"1\" \
            entry fund \"1\" target \"4\" expect 7.85 expect grade 优 expect total -1\n\
            test \"b\": budget planned \"1\" executed \"2\" indicator target \"4000人次\" actual \"3916人次\" weight 2 expect 1.96\n\
            test \"c\": form \"f.toml\" expect grade \"优\"\n";
    let expected = "rules \"t\"\n\ntest \"a\":\n    indicator weight 8\n\
            \x20       entry fund \"3\" target \"1\"\n        entry fund \"1\" target \"4\"\n        expect 7.85\n\
            \x20   expect grade 优\n    expect total -1\n\n\
            test \"b\":\n    budget planned \"1\" executed \"2\"\n\
            \x20   indicator target \"4000人次\" actual \"3916人次\" weight 2 expect 1.96\n\n\
            test \"c\":\n    form \"f.toml\"\n    expect grade \"优\"\n";
    assert_eq!(fmt(text), expected);
    let zh = fmt_with(text, Keywords::Zh);
    assert!(
        zh.contains("    指标 权重 8\n        分项 资金 \"3\" 目标值 \"1\"\n"),
        "{zh}"
    );
    assert!(zh.contains("    预算 预算数 \"1\" 执行数 \"2\"\n"), "{zh}");
    assert!(zh.contains("    期望 等级 优\n"), "{zh}");
    assert_eq!(fmt_with(&zh, Keywords::En), expected);
}

#[test]
fn a_file_that_does_not_parse_is_an_error() {
    let e = format(
        &Source::new("t.rules", "rules \"t\"\nclass x for numbers:\n score\n"),
        Keywords::Keep,
    );
    assert!(e.is_err());
}
