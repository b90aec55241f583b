//! A page's table rebuilt from where its characters and rules are.
//!
//! Input: a [`Page`] (glyphs and rules, y growing downwards). Output: [`Row`]s top to
//! bottom, each cell at a column index, and whether the columns had to be guessed.
//!
//! Characters on one baseline make a line; a line splits into runs where a vertical rule
//! crosses it or a gap wider than a character opens. With rules (a bordered table, as
//! every printed form has), a run belongs to the cell whose nearest rules surround it:
//! the cell's top rule gives its row and its left rule its column, so a cell merged down
//! several rows (centred by the producer between them) lands in the first of them, as
//! the text extraction of the seed form has it; a cell's lines join into one text.
//! Runs outside any cell (the title, the lines under the table) are rows of their own;
//! when such a line has several runs (a table without rules), columns are clustered by
//! where runs start, and the layout is reported as guessed.
//! Invariants: no panic on any positions (all are finite, see `content`); the work is
//! bounded: with more than [`MAX_PAIRS`] glyph–rule pairs on a page, or four times that
//! in the document, a page's rules are left out.
//! A cell cut by a page break continues on the previous page (see [`pages`]).

use std::collections::BTreeMap;

use super::content::{Glyph, Page, Rule};

/// Runs × rules examined at most on one page.
const MAX_PAIRS: usize = 50_000_000;

/// A run of characters on one line, within one cell.
#[derive(Debug, Clone)]
struct Run {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

impl Run {
    fn mid_y(&self) -> f64 {
        self.y - 0.35 * self.size
    }
}

/// A rebuilt row: cells at 0-based column indices, in column order.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub cells: Vec<(usize, String)>,
}

/// A page's rows, and whether columns were guessed from positions alone.
#[derive(Debug, Default)]
pub(super) struct Laid {
    pub rows: Vec<Row>,
    pub guessed: bool,
}

/// Every page's rows. A cell that a page break cut (the fragment on the next page has
/// no top rule, and the producer drew its text there) belongs to the row of the previous
/// page where that column's last cell starts: a merged cell's text then still lands in
/// its first row, and a row broken across pages stays one row.
pub(super) fn pages(pages: &[Page]) -> Vec<Laid> {
    let mut budget = MAX_PAIRS.saturating_mul(4);
    let mut sorted: Vec<Sorted> = pages.iter().map(|p| sort(p, &mut budget)).collect();
    for p in 1..sorted.len() {
        let mut continued = std::mem::take(&mut sorted[p].continued);
        let cost = continued
            .len()
            .saturating_mul(pages[p - 1].horizontal.len());
        if cost > MAX_PAIRS {
            // Too many to look up: each stays on its own page, in its first row.
            for (_, left, run) in continued.drain(..) {
                let c = nearest(&sorted[p].xs, left);
                sorted[p]
                    .table
                    .entry(0)
                    .or_default()
                    .entry(c)
                    .or_default()
                    .push(run);
            }
        }
        let (before, after) = sorted.split_at_mut(p);
        let (prev, page) = (&mut before[p - 1], &mut after[0]);
        for (mx, left, run) in continued {
            let top = pages[p - 1]
                .horizontal
                .iter()
                .filter(|h| h.from - 1.0 <= mx && mx <= h.to + 1.0)
                .map(|h| h.pos)
                .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
            let target = match top {
                Some(_) if !prev.ys.is_empty() => &mut *prev,
                _ => &mut *page,
            };
            let r = top.map_or(0, |top| nearest(&target.ys, top));
            let c = nearest(&target.xs, left);
            target
                .table
                .entry(r)
                .or_default()
                .entry(c)
                .or_default()
                .push(run);
        }
    }
    if let Some(first) = sorted.first_mut() {
        for (_, left, run) in std::mem::take(&mut first.continued) {
            let c = nearest(&first.xs, left);
            first
                .table
                .entry(0)
                .or_default()
                .entry(c)
                .or_default()
                .push(run);
        }
    }
    sorted.into_iter().map(finish).collect()
}

/// A page's runs sorted into table cells (by row and column index), cut cells, and runs
/// outside the table.
#[derive(Default)]
struct Sorted {
    ys: Vec<f64>,
    xs: Vec<f64>,
    table: BTreeMap<usize, BTreeMap<usize, Vec<Run>>>,
    /// Runs in a cell without a top rule: (x of their middle, the cell's left rule, run).
    continued: Vec<(f64, f64, Run)>,
    loose: Vec<Run>,
}

/// Sorts a page's runs; rules are used while `budget` (run–rule pairs left for the whole
/// document) allows, else the page is read as if it had none.
fn sort(page: &Page, budget: &mut usize) -> Sorted {
    let rules = page.horizontal.len() + page.vertical.len();
    let cost = page.glyphs.len().saturating_mul(rules).saturating_mul(2);
    let use_rules = cost <= MAX_PAIRS.min(*budget);
    if use_rules {
        *budget -= cost;
    }
    let lines = lines(&page.glyphs);
    let vertical: &[Rule] = if use_rules { &page.vertical } else { &[] };
    let runs: Vec<Run> = lines.iter().flat_map(|l| split(l, vertical)).collect();
    let mut s = Sorted::default();
    if use_rules {
        s.ys = cluster(page.horizontal.iter().map(|r| r.pos));
        s.xs = cluster(page.vertical.iter().map(|r| r.pos));
    }
    for run in runs {
        let place = if use_rules {
            cell_of(&run, page)
        } else {
            Place::Outside
        };
        match place {
            Place::Cell { left, top } => {
                let (r, c) = (nearest(&s.ys, top), nearest(&s.xs, left));
                s.table
                    .entry(r)
                    .or_default()
                    .entry(c)
                    .or_default()
                    .push(run);
            }
            Place::Continued { left } => {
                s.continued.push(((run.x0 + run.x1) / 2.0, left, run));
            }
            Place::Outside => s.loose.push(run),
        }
    }
    s
}

fn finish(s: Sorted) -> Laid {
    let mut out: Vec<(f64, Row)> = Vec::new();
    for (r, cells) in s.table {
        let y = s.ys.get(r).copied().unwrap_or(f64::NEG_INFINITY);
        let cells = cells.into_iter().map(|(c, runs)| (c, join(runs))).collect();
        out.push((y, Row { cells }));
    }
    let mut guessed = false;
    let starts = cluster_by(s.loose.iter().map(|r| (r.x0, r.size)));
    for line in group_lines(s.loose) {
        guessed |= line.len() > 1;
        let y = line.first().map_or(0.0, |r| r.y - r.size);
        let mut cells: Vec<(usize, String)> = Vec::new();
        for run in line {
            let c = nearest(&starts, run.x0);
            match cells.last_mut() {
                Some((last, text)) if *last >= c => {
                    text.push(' ');
                    text.push_str(&run.text);
                }
                _ => cells.push((c, run.text)),
            }
        }
        out.push((y, Row { cells }));
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    Laid {
        rows: out.into_iter().map(|(_, r)| r).collect(),
        guessed,
    }
}

/// Where a run is: in a cell (its left and top rules), in a cell cut by a page break (no
/// top rule), or outside the table.
enum Place {
    Cell { left: f64, top: f64 },
    Continued { left: f64 },
    Outside,
}

/// Glyphs grouped into lines (baselines within a third of the font size), each in x order.
fn lines(glyphs: &[Glyph]) -> Vec<Vec<Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.iter().collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<Vec<Glyph>> = Vec::new();
    for g in sorted {
        match out.last_mut() {
            Some(line) if (line[0].y - g.y).abs() <= 0.3 * line[0].size.max(g.size) => {
                line.push(g.clone());
            }
            _ => out.push(vec![g.clone()]),
        }
    }
    for line in &mut out {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    out
}

/// A line split into runs at vertical rules and wide gaps; a narrower gap is a space.
fn split(line: &[Glyph], vertical: &[Rule]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for g in line {
        let mid_y = g.y - 0.35 * g.size;
        let joined = out.last_mut().filter(|run| {
            let gap = g.x - run.x1;
            let ruled = vertical.iter().any(|v| {
                v.pos > run.x1 - 0.5 * g.w.min(run.size)
                    && v.pos < g.x + 0.5 * g.w
                    && v.from - 1.0 <= mid_y
                    && mid_y <= v.to + 1.0
            });
            !ruled && gap <= 1.0 * g.size
        });
        match joined {
            Some(run) => {
                if g.x - run.x1 > 0.25 * g.size {
                    run.text.push(' ');
                }
                run.text.push_str(&g.text);
                run.x1 = run.x1.max(g.x + g.w);
            }
            None => out.push(Run {
                x0: g.x,
                x1: g.x + g.w,
                y: g.y,
                size: g.size,
                text: g.text.clone(),
            }),
        }
    }
    for run in &mut out {
        run.text = run.text.trim().to_owned();
    }
    out.retain(|r| !r.text.is_empty());
    out
}

/// The cell around a run: rules left and right of it, and above it (else the cell was
/// cut by a page break above).
fn cell_of(run: &Run, page: &Page) -> Place {
    let (my, mx) = (run.mid_y(), (run.x0 + run.x1) / 2.0);
    let spans_y = |v: &&Rule| v.from - 1.0 <= my && my <= v.to + 1.0;
    let spans_x = |h: &&Rule| h.from - 1.0 <= mx && mx <= h.to + 1.0;
    let Some(left) = page
        .vertical
        .iter()
        .filter(spans_y)
        .filter(|v| v.pos <= run.x0 + 1.0)
        .map(|v| v.pos)
        .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))))
    else {
        return Place::Outside;
    };
    if !page
        .vertical
        .iter()
        .filter(spans_y)
        .any(|v| v.pos >= run.x1 - 1.0)
    {
        return Place::Outside;
    }
    let top = page
        .horizontal
        .iter()
        .filter(spans_x)
        .filter(|h| h.pos <= my)
        .map(|h| h.pos)
        .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
    match top {
        Some(top) => Place::Cell { left, top },
        None => Place::Continued { left },
    }
}

/// Positions clustered (within 1.5 units), each cluster by its first position.
fn cluster(positions: impl Iterator<Item = f64>) -> Vec<f64> {
    cluster_by(positions.map(|p| (p, 1.5 / 0.8)))
}

/// Positions clustered, each within 0.8 × its size of the cluster's first.
fn cluster_by(positions: impl Iterator<Item = (f64, f64)>) -> Vec<f64> {
    let mut v: Vec<(f64, f64)> = positions.collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<f64> = Vec::new();
    for (p, size) in v {
        if out.last().is_none_or(|&last| p - last > 0.8 * size) {
            out.push(p);
        }
    }
    out
}

/// The index of the cluster a position falls in: the last that starts before it.
fn nearest(clusters: &[f64], p: f64) -> usize {
    clusters
        .partition_point(|&c| c <= p + 1.5)
        .saturating_sub(1)
}

/// Runs grouped by line, each line in x order.
fn group_lines(mut runs: Vec<Run>) -> Vec<Vec<Run>> {
    runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<Vec<Run>> = Vec::new();
    for r in runs {
        match out.last_mut() {
            Some(line) if (line[0].y - r.y).abs() <= 0.3 * line[0].size.max(r.size) => {
                line.push(r);
            }
            _ => out.push(vec![r]),
        }
    }
    for line in &mut out {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    out
}

/// A cell's runs as one text: runs on one line joined by a space, lines joined as the
/// text wrapped (see [`join_wrapped`]).
fn join(runs: Vec<Run>) -> String {
    let mut text = String::new();
    for line in group_lines(runs) {
        let line: Vec<String> = line.into_iter().map(|r| r.text).collect();
        let line = line.join(" ");
        join_wrapped(&mut text, &line);
    }
    text
}

/// Appends a wrapped line: with a space between two Latin letters or digits (a word
/// wrapped at its space), else directly (Chinese wraps anywhere, without a space).
fn join_wrapped(text: &mut String, line: &str) {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if latin(text.chars().last()) && latin(line.chars().next()) {
        text.push(' ');
    }
    text.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + 10.0 * i as f64,
                y,
                w: 10.0,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    fn rule(pos: f64, from: f64, to: f64) -> Rule {
        Rule { pos, from, to }
    }

    fn texts(laid: &Laid) -> Vec<Vec<(usize, &str)>> {
        laid.rows
            .iter()
            .map(|r| r.cells.iter().map(|(c, t)| (*c, t.as_str())).collect())
            .collect()
    }

    #[test]
    fn a_ruled_table_with_a_merged_cell_and_a_wrapped_one() {
        // Columns at x 0, 50, 150; rows at y 0, 20, 40, 60 (y grows downwards). The first
        // column's cell spans rows 2 and 3 (no rule at y 40 under it) and its text sits
        // centred between them; the second column's last cell wraps over two lines.
        let page = Page {
            horizontal: vec![
                rule(0.0, 0.0, 150.0),
                rule(20.0, 0.0, 150.0),
                rule(40.0, 50.0, 150.0),
                rule(80.0, 0.0, 150.0),
            ],
            vertical: vec![
                rule(0.0, 0.0, 80.0),
                rule(50.0, 0.0, 80.0),
                rule(150.0, 0.0, 80.0),
            ],
            glyphs: [
                glyphs("标题", 20.0, -10.0),
                glyphs("一级", 5.0, 14.0),
                glyphs("名称", 55.0, 14.0),
                glyphs("产出", 5.0, 44.0),
                glyphs("数量指标", 55.0, 34.0),
                glyphs("服务对象满意", 55.0, 54.0),
                glyphs("度", 55.0, 68.0),
            ]
            .concat(),
            ..Page::default()
        };
        let laid = pages(std::slice::from_ref(&page)).remove(0);
        assert_eq!(
            texts(&laid),
            [
                vec![(0, "标题")],
                vec![(0, "一级"), (1, "名称")],
                vec![(0, "产出"), (1, "数量指标")],
                vec![(1, "服务对象满意度")],
            ]
        );
        assert!(!laid.guessed);
    }

    #[test]
    fn without_rules_columns_are_guessed() {
        let page = Page {
            glyphs: [
                glyphs("目标", 0.0, 10.0),
                glyphs("实际值", 100.0, 10.0),
                glyphs("培训", 0.0, 30.0),
                glyphs("90", 100.0, 30.0),
                glyphs("说明", 0.0, 50.0),
            ]
            .concat(),
            ..Page::default()
        };
        let laid = pages(std::slice::from_ref(&page)).remove(0);
        assert_eq!(
            texts(&laid),
            [
                vec![(0, "目标"), (1, "实际值")],
                vec![(0, "培训"), (1, "90")],
                vec![(0, "说明")],
            ]
        );
        assert!(laid.guessed);
    }

    #[test]
    fn wrapped_words() {
        let mut t = "IC".to_owned();
        join_wrapped(&mut t, "card");
        join_wrapped(&mut t, "遗失");
        assert_eq!(t, "IC card遗失");
    }
}
