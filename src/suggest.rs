//! "Did you mean": the names nearest to one that matched none, for help lines.
//!
//! Input: the name as written and the names it could have been (keys of a form, sheets of
//! a workbook, parameters, functions, tiers, classes, indicators). Output: the likely one
//! ([`did_you_mean`], [`likely`]), or the nearest few ([`nearest`], [`ranked`]).
//!
//! One rule everywhere, so that every message suggests alike:
//! - distance is the edit distance in characters (a Chinese character is one character),
//!   an insertion, a deletion, a substitution or two neighbours swapped each counting one
//!   edit (optimal string alignment), letter case ignored;
//! - a name is likely when its distance from the name as written is at most a third of
//!   the written name's length, and at least one: one edit in names of up to 5
//!   characters, two up to 8, three up to 11. So `executd` and `nmae` suggest `executed`
//!   and `name`, but `成本指标` does not suggest `数量指标`: two of four Chinese characters
//!   make another word;
//! - the nearest likely name is suggested, the first given among equals;
//! - a list shows the nearest first, the first given among equals, however far, at most
//!   [`LISTED`] names on one line (or as many as a caller lists one per line).
//!
//! The check phase also reads a new class near a base class as a misspelt override
//! (`check::items`), so this rule decides what a rule file may name, not only what a help
//! line says: it is deliberately strict for short names.
//!
//! Invariants: pure; the candidates' order decides ties, so a suggestion depends on
//! nothing but the input.

/// How many names a one-line help list ([`nearest`]) shows, at most.
pub(crate) const LISTED: usize = 5;

/// The edit distance between `a` and `b` in characters, two neighbours swapped counting
/// one edit, letter case ignored.
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(&a.to_lowercase(), &b.to_lowercase())
}

/// How many edits a name written as `typed` may be from the name meant.
fn allowed(typed: &str) -> usize {
    (typed.chars().count() / 3).max(1)
}

/// The candidate whose name is the likely one meant by `typed`: the nearest of those
/// close enough (see the module docs), the first among equals; `None` when none is.
pub(crate) fn likely<'a, T>(
    typed: &str,
    candidates: impl IntoIterator<Item = (T, &'a str)>,
) -> Option<T> {
    let allowed = allowed(typed);
    let mut best: Option<(usize, T)> = None;
    for (value, name) in candidates {
        let d = distance(typed, name);
        if d <= allowed && best.as_ref().is_none_or(|(b, _)| d < *b) {
            best = Some((d, value));
        }
    }
    best.map(|(_, value)| value)
}

/// The name likely meant by `typed`, if one is close enough: `positve` gives `positive`.
pub fn did_you_mean<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    likely(typed, names.into_iter().map(|n| (n, n)))
}

/// The `n` candidates nearest to `typed`, nearest first (the first given among equals),
/// however far, and how many candidates there were.
pub(crate) fn ranked<'a, T>(
    typed: &str,
    candidates: impl IntoIterator<Item = (T, &'a str)>,
    n: usize,
) -> (Vec<T>, usize) {
    let mut best: Vec<(usize, T)> = Vec::with_capacity(n.saturating_add(1).min(64));
    let mut total = 0usize;
    for (value, name) in candidates {
        total += 1;
        if n == 0 {
            continue;
        }
        let d = distance(typed, name);
        if best.len() == n && best.last().is_some_and(|(worst, _)| d >= *worst) {
            continue;
        }
        let at = best.partition_point(|(e, _)| *e <= d);
        best.insert(at, (d, value));
        best.truncate(n);
    }
    (best.into_iter().map(|(_, value)| value).collect(), total)
}

/// The [`LISTED`] names nearest to `typed` as a help line lists them: `a、b、c`, then
/// `等 N 个` when there are more; `None` when there are none.
pub fn nearest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let (list, total) = ranked(typed, names.into_iter().map(|n| (n, n)), LISTED);
    if list.is_empty() {
        return None;
    }
    let mut out = list.join("、");
    if total > list.len() {
        out.push_str(&format!(" 等 {total} 个"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_of_the_written_name() {
        // One edit up to 5 characters, two up to 8, three up to 11.
        assert_eq!(did_you_mean("fnd", ["fund"]), Some("fund"));
        assert_eq!(
            did_you_mean("executd", ["planned", "executed"]),
            Some("executed")
        );
        assert_eq!(did_you_mean("positve", ["positive"]), Some("positive"));
        assert_eq!(did_you_mean("Sheet2", ["Sheet1"]), Some("Sheet1"));
        assert_eq!(did_you_mean("wegt", ["weight"]), None); // 2 edits, 4 characters
        assert_eq!(
            did_you_mean("reportd_totl", ["reported_total"]),
            Some("reported_total")
        );
        assert_eq!(did_you_mean("budget", ["reported_total"]), None);
        // Two of four Chinese characters make another word.
        assert_eq!(did_you_mean("成本指标", ["数量指标"]), None);
        assert_eq!(did_you_mean("数量指", ["数量指标"]), Some("数量指标"));
        assert_eq!(
            did_you_mean("部分完成", ["达成", "部分达成", "未达成"]),
            Some("部分达成")
        );
        // A one-character name may be any other: one edit is always allowed.
        assert_eq!(did_you_mean("x", ["y"]), Some("y"));
        assert_eq!(did_you_mean("a", []), None);
    }

    #[test]
    fn two_neighbours_swapped_are_one_edit() {
        assert_eq!(did_you_mean("nmae", ["name"]), Some("name"));
        assert_eq!(did_you_mean("tagret", ["target"]), Some("target"));
        assert_eq!(did_you_mean("正反", ["反正"]), Some("反正"));
    }

    #[test]
    fn case_is_ignored() {
        assert_eq!(did_you_mean("Sheet 1", ["Sheet1"]), Some("Sheet1"));
        assert_eq!(did_you_mean("POSITIVE", ["positive"]), Some("positive"));
    }

    #[test]
    fn the_nearest_wins_then_the_first() {
        assert_eq!(did_you_mean("weigth", ["height", "weight"]), Some("weight"));
        assert_eq!(did_you_mean("ab", ["ax", "ay"]), Some("ax"));
        assert_eq!(likely("tire", [(1, "tier"), (2, "tire")]), Some(2));
    }

    #[test]
    fn ranked_lists_the_nearest_first_and_counts_all() {
        let names = ["alpha", "beta", "gamma", "delta", "bet", "zeta"];
        let (list, total) = ranked("beta", names.iter().map(|n| (*n, *n)), 3);
        // beta 0; bet 1; zeta 1 (z for b), delta 2: ties keep their order.
        assert_eq!(list, ["beta", "bet", "zeta"]);
        assert_eq!(total, 6);
        assert_eq!(ranked("x", names.iter().map(|n| (*n, *n)), 0), (vec![], 6));
    }

    #[test]
    fn nearest_is_a_help_line() {
        assert_eq!(nearest("a", ["b", "a"]), Some("a、b".to_owned()));
        let many = ["a1", "a2", "a3", "a4", "a5", "a6", "a7"];
        assert_eq!(
            nearest("a7", many),
            Some("a7、a1、a2、a3、a4 等 7 个".to_owned())
        );
        assert_eq!(nearest("a", []), None);
    }
}
