//! The one JSON writer of every command: pretty-printed (two spaces), decimals as the
//! strings their types serialise to, a line break at the end.
//!
//! Input: any `Serialize` value; for a batch, its items one at a time. Output: the JSON,
//! streamed to an `io::Write` ([`write_pretty`], [`Object`]) or as text ([`pretty`]).
//!
//! Invariants: [`Object`] writes, a field or an array item at a time, exactly the bytes
//! that [`write_pretty`] writes of the whole object (serde_json's pretty printer), so a
//! batch of any size needs only one item in memory at once. JSON strings hold no raw line
//! breaks, so a value pretty-printed alone and indented after each line break is exactly
//! that value printed inside a larger document.

use std::io::{self, Write};

use serde::Serialize;

/// Writes `value` pretty-printed, then a line break.
///
/// # Errors
/// Those of `out`; a value that cannot be serialised (a map with non-string keys; none of
/// this crate's reports has one) as [`io::ErrorKind::InvalidData`].
pub fn write_pretty<W: Write, T: Serialize + ?Sized>(mut out: W, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")
}

/// `value` pretty-printed, then a line break: for a command that builds its output as
/// text.
#[must_use]
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    match write_pretty(&mut out, value) {
        // serde_json writes UTF-8.
        Ok(()) => String::from_utf8(out).unwrap_or_else(|e| unreachable!("JSON is UTF-8: {e}")),
        // Every report holds only strings, decimals, numbers and plain containers.
        Err(e) => unreachable!("the report serialises: {e}"),
    }
}

/// An array item as [`Object::item_rendered`] takes it: pretty-printed at the depth of an
/// item of a field's array, to render items in parallel and write them in order.
#[must_use]
pub fn item(value: &(impl Serialize + ?Sized)) -> Vec<u8> {
    let mut out = Indented::new(Vec::new(), ITEM);
    match serde_json::to_writer_pretty(&mut out, value) {
        Ok(()) => out.out,
        Err(e) => unreachable!("the report serialises: {e}"),
    }
}

/// The indentation of an object's fields, and of the items of a field's array.
const FIELD: &[u8] = b"  ";
const ITEM: &[u8] = b"    ";

/// A pretty-printed JSON object written a field at a time, and a field that is an array
/// an item at a time: `{ "forms": [ …each form… ], "summary": …, "failed": … }`.
#[derive(Debug)]
pub struct Object<W: Write> {
    out: W,
    /// Fields begun so far.
    fields: usize,
    /// Items of the open array, if one is open.
    items: Option<usize>,
}

impl<W: Write> Object<W> {
    /// An object to write to `out`; nothing is written until its first field.
    pub fn new(out: W) -> Self {
        Object {
            out,
            fields: 0,
            items: None,
        }
    }

    /// Writes the field `key`: `value`.
    ///
    /// # Errors
    /// As [`write_pretty`].
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> io::Result<()> {
        self.key(key)?;
        serde_json::to_writer_pretty(Indented::new(&mut self.out, FIELD), value)?;
        Ok(())
    }

    /// Opens the field `key` as an array, whose items follow.
    ///
    /// # Errors
    /// Those of the writer.
    pub fn begin_array(&mut self, key: &str) -> io::Result<()> {
        self.key(key)?;
        self.out.write_all(b"[")?;
        self.items = Some(0);
        Ok(())
    }

    /// Writes an item of the open array.
    ///
    /// # Errors
    /// As [`write_pretty`].
    pub fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        self.item_rendered(&item(value))
    }

    /// Writes an item of the open array rendered by [`item`].
    ///
    /// # Errors
    /// Those of the writer.
    pub fn item_rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        let items = self.items.get_or_insert(0);
        let before: &[u8] = if *items == 0 { b"\n" } else { b",\n" };
        *items += 1;
        self.out.write_all(before)?;
        self.out.write_all(ITEM)?;
        self.out.write_all(rendered)
    }

    /// Closes the open array: `]` on a line of its own, or `[]` when it is empty.
    ///
    /// # Errors
    /// Those of the writer.
    pub fn end_array(&mut self) -> io::Result<()> {
        if self.items.take().unwrap_or(0) > 0 {
            self.out.write_all(b"\n")?;
            self.out.write_all(FIELD)?;
        }
        self.out.write_all(b"]")
    }

    /// Closes the object, and a line break after it.
    ///
    /// # Errors
    /// Those of the writer.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.items.is_some() {
            self.end_array()?;
        }
        self.out
            .write_all(if self.fields == 0 { b"{}\n" } else { b"\n}\n" })
    }

    /// The writer, to report an error in its terms.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// The writer, once the object is finished.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// `{` or `,`, then the key on a line of its own.
    fn key(&mut self, key: &str) -> io::Result<()> {
        self.out
            .write_all(if self.fields == 0 { b"{\n" } else { b",\n" })?;
        self.fields += 1;
        self.out.write_all(FIELD)?;
        serde_json::to_writer(&mut self.out, key)?;
        self.out.write_all(b": ")
    }
}

/// A writer that indents every line after the first.
struct Indented<W: Write> {
    out: W,
    indent: &'static [u8],
}

impl<W: Write> Indented<W> {
    fn new(out: W, indent: &'static [u8]) -> Self {
        Indented { out, indent }
    }
}

impl<W: Write> Write for Indented<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for part in buf.split_inclusive(|&b| b == b'\n') {
            self.out.write_all(part)?;
            if part.ends_with(b"\n") {
                self.out.write_all(self.indent)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Whole<'a> {
        forms: &'a [serde_json::Value],
        summary: serde_json::Value,
        failed: &'a [String],
    }

    /// An object streamed a field and an item at a time is the whole object
    /// pretty-printed at once, with no items, one, or several.
    #[test]
    fn a_streamed_object_is_the_whole_object_pretty_printed() {
        let forms = [
            serde_json::json!({"a": [1, {"b": "第一行"}], "c": {}}),
            serde_json::json!({"d": []}),
            serde_json::json!("x"),
        ];
        let summary = serde_json::json!([{"rank": 1}, {"rank": 2}]);
        for n in 0..=forms.len() {
            let failed = vec!["c.toml".to_owned(); n % 2];
            let mut o = Object::new(Vec::new());
            o.begin_array("forms").expect("writes");
            for f in &forms[..n] {
                o.item(f).expect("writes");
            }
            o.end_array().expect("writes");
            o.field("summary", &summary).expect("writes");
            o.field("failed", &failed).expect("writes");
            o.finish().expect("writes");
            let streamed = o.into_inner();
            let whole = Whole {
                forms: &forms[..n],
                summary: summary.clone(),
                failed: &failed,
            };
            assert_eq!(String::from_utf8(streamed).expect("utf-8"), pretty(&whole));
        }
        let mut empty = Object::new(Vec::new());
        empty.finish().expect("writes");
        assert_eq!(empty.into_inner(), b"{}\n");
    }
}
