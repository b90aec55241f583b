//! The table people read: the form's own Chinese terms, columns aligned by display width
//! (comfy-table measures with unicode-width, so 中文 counts two columns), colour only on a
//! terminal. What the tables say is [`jixiao::report::export::table`]'s (the exporters'
//! lines); this draws them.

use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
    presets,
};

use unicode_width::UnicodeWidthStr;

use jixiao::Outcome;
use jixiao::report::export::table::{self, Emphasis, Section, TEXT_WIDTH};
use jixiao::report::paint::Paint;

pub(crate) fn render(o: &Outcome, color: bool) -> String {
    let o = &super::for_terminal(o);
    let mut out = table::heading(o);
    let drawn: Vec<String> = table::sections(o).iter().map(|s| draw(s, color)).collect();
    out.push_str(&drawn.join("\n\n"));
    out.push('\n');
    out.push_str(&table::warnings(o));
    out
}

/// A section: its heading line, then its table; on a terminal too narrow for the table
/// without breaking words (`一级指/标`, `360人/次`), one block per row instead.
pub(crate) fn draw(s: &Section, color: bool) -> String {
    let mut t = new_table(color);
    t.set_header(header(s.columns));
    for row in &s.rows {
        t.add_row(row.iter().map(|c| cell(c, color)).collect::<Vec<_>>());
    }
    if let Some(width) = t.width().map(usize::from) {
        if natural_width(&t, s) > width {
            return blocks(s, color, width);
        }
    }
    for &c in s.wrapped {
        if let Some(col) = t.column_mut(c) {
            col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(TEXT_WIDTH)));
        }
    }
    right_align(&mut t, s.numbers.iter().copied());
    match &s.heading {
        Some(h) => format!("{h}\n{t}"),
        None => t.to_string(),
    }
}

/// The table's width with every column as wide as its widest cell (text columns at most
/// [`TEXT_WIDTH`]): two columns of padding each, and the outer borders.
fn natural_width(t: &Table, s: &Section) -> usize {
    let columns: usize = t
        .column_max_content_widths()
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let w = usize::from(w);
            if s.wrapped.contains(&i) {
                w.min(usize::from(TEXT_WIDTH))
            } else {
                w
            }
        })
        .map(|w| w + 2)
        .sum();
    columns + 2
}

/// Each row as a block: `- 列名 值   列名 值 …`, as many pairs to a line as `width`
/// holds, never breaking inside one; empty cells left out.
fn blocks(s: &Section, color: bool, width: usize) -> String {
    let paint = Paint { on: color };
    let mut out = s.heading.clone().map(|h| h + "\n").unwrap_or_default();
    for row in &s.rows {
        let mut line = String::from("-");
        let mut used = 1usize;
        for (name, c) in s.columns.iter().zip(row) {
            if c.text.is_empty() {
                continue;
            }
            let plain = format!("{name} {}", c.text);
            let shown = match c.emphasis {
                Emphasis::Difference => format!("{name} {}", paint.diff(&c.text)),
                Emphasis::Strong => format!("{name} {}", paint.bold(&c.text)),
                _ => plain.clone(),
            };
            let w = UnicodeWidthStr::width(plain.as_str());
            if w + 2 > width {
                // Longer than a line (a long 三级指标): prose, cut between characters.
                if used > 1 {
                    out.push_str(&line);
                    out.push('\n');
                }
                let pieces = cut(&plain, width.saturating_sub(2).max(8));
                let lead = if used > 1 { " " } else { "-" };
                for (k, piece) in pieces.iter().enumerate() {
                    out.push_str(if k == 0 { lead } else { " " });
                    out.push(' ');
                    out.push_str(piece);
                    out.push('\n');
                }
                line = String::from(" ");
                used = 1;
                continue;
            }
            if used > 2 && used + 3 + w > width {
                out.push_str(&line);
                out.push('\n');
                line = String::from(" ");
                used = 1;
            }
            line.push_str(if used > 1 { "   " } else { " " });
            used += if used > 1 { 3 } else { 1 } + w;
            line.push_str(&shown);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// `text` in pieces of at most `width` display columns, cut between characters.
fn cut(text: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0usize;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        if let Some(last) = pieces.last_mut() {
            last.push(c);
        }
        used += w;
    }
    pieces
}

/// A cell, bold or highlighted as its emphasis says (a highlight only on a terminal, and
/// only on a cell with text).
fn cell(c: &table::Cell, color: bool) -> Cell {
    let cell = Cell::new(&c.text);
    match c.emphasis {
        Emphasis::None => cell,
        Emphasis::Strong => cell.add_attribute(Attribute::Bold),
        Emphasis::Difference if color && !c.text.is_empty() => highlight(cell),
        Emphasis::Difference => cell,
        Emphasis::Failure if color => cell.fg(Color::Red),
        Emphasis::Failure => cell,
    }
}

/// A difference as a terminal highlights it (in every command's tables).
pub(crate) fn highlight(cell: Cell) -> Cell {
    cell.fg(Color::Yellow).add_attribute(Attribute::Bold)
}

/// A table in the house style: ASCII rules, content-sized columns, styled only when
/// `color`.
pub(crate) fn new_table(color: bool) -> Table {
    let mut t = Table::new();
    // ASCII rules only: box-drawing characters are ambiguous-width in CJK terminals and
    // would break the alignment this table exists for.
    t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    // COLUMNS, when set, is the width to fit (a terminal's own width otherwise).
    if let Some(w) = super::terminal_width().and_then(|w| u16::try_from(w).ok()) {
        t.set_width(w);
    }
    t
}

/// A bold header row.
pub(crate) fn header(names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|n| Cell::new(*n).add_attribute(Attribute::Bold))
        .collect()
}

/// Right-aligns the number columns `cols`.
pub(crate) fn right_align(t: &mut Table, cols: impl IntoIterator<Item = usize>) {
    for c in cols {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}
