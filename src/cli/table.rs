//! The table people read: the form's own Chinese terms, columns aligned by display width
//! (comfy-table measures with unicode-width, so 中文 counts two columns), colour only on a
//! terminal. What the tables say is [`jixiao::report::export::table`]'s (the exporters'
//! lines); this draws them.

use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
    presets,
};

use jixiao::Outcome;
use jixiao::report::export::table::{self, Emphasis, Section, TEXT_WIDTH};

pub(crate) fn render(o: &Outcome, color: bool) -> String {
    let o = &super::for_terminal(o);
    let mut out = table::heading(o);
    let drawn: Vec<String> = table::sections(o).iter().map(|s| draw(s, color)).collect();
    out.push_str(&drawn.join("\n\n"));
    out.push('\n');
    out.push_str(&table::warnings(o));
    out
}

/// A section: its heading line, then its table.
pub(crate) fn draw(s: &Section, color: bool) -> String {
    let mut t = new_table(color);
    t.set_header(header(s.columns));
    for row in &s.rows {
        t.add_row(row.iter().map(|c| cell(c, color)).collect::<Vec<_>>());
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
