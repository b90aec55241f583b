//! A page's content stream read for what a table is made of: the characters drawn, each
//! where it starts, how wide and how large, and the thin filled rectangles and straight
//! strokes that draw the table's rules.
//!
//! Input: the operations of a page's content (lopdf decodes them) and its fonts. Output:
//! [`Page`]: [`Glyph`]s and [`Rule`]s in page space turned so that y grows downwards
//! (rows sort top to bottom), and how many images the page draws.
//! Form XObjects are drawn where the page draws them (producers keep a page's text in
//! one), bounded in depth and number. The page's `/Rotate` is applied first, so positions
//! are as the page is shown.
//! Invariants: positions are finite (an operation with a non-finite or missing operand
//! is skipped); the graphics-state stack is bounded ([`MAX_DEPTH`]); a marked-content
//! span with `/ActualText` yields its text once, at its first glyph, the glyphs it
//! covers only widening that glyph (browsers mark glyphs whose font maps them to another
//! character, 人 drawn with the radical ⼈, this way).

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Operation;
use lopdf::{Dictionary, Document, Object, Stream};

use super::font::{Font, deref, number, text_string};
use super::stream;
use crate::limits::Limits;

/// Nested `q` kept at most.
const MAX_DEPTH: usize = 64;

/// Form XObjects drawn inside one another at most.
const MAX_FORM_DEPTH: usize = 8;

/// Form XObjects drawn on one page at most.
const MAX_FORMS: usize = 1_000;

/// A character drawn.
#[derive(Debug, Clone)]
pub(super) struct Glyph {
    pub x: f64,
    /// The baseline, y growing downwards.
    pub y: f64,
    /// Its advance, in page units.
    pub w: f64,
    /// The font's size on the page.
    pub size: f64,
    pub text: String,
}

/// A horizontal or vertical rule: at `pos` (y, or x), from `from` to `to`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    pub pos: f64,
    pub from: f64,
    pub to: f64,
}

/// What a page draws.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub glyphs: Vec<Glyph>,
    pub horizontal: Vec<Rule>,
    pub vertical: Vec<Rule>,
    pub images: usize,
    /// Form XObjects drawn, and the bytes of content they held.
    pub forms: usize,
    pub form_bytes: usize,
    /// More glyphs were drawn than the reader keeps ([`Limits::sheet_cells`]).
    pub overflow: bool,
}

type M = [f64; 6];
const IDENTITY: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b`.
fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &M, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

fn translate(x: f64, y: f64) -> M {
    [1.0, 0.0, 0.0, 1.0, x, y]
}

/// The text state.
struct Text {
    font: Option<Vec<u8>>,
    size: f64,
    char_space: f64,
    word_space: f64,
    scale: f64,
    leading: f64,
    rise: f64,
    tm: M,
    tlm: M,
}

impl Default for Text {
    fn default() -> Self {
        Text {
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            tm: IDENTITY,
            tlm: IDENTITY,
        }
    }
}

/// The fonts and the XObjects content may use, by name.
type Resources<'a> = (
    BTreeMap<Vec<u8>, &'a Dictionary>,
    BTreeMap<Vec<u8>, &'a Stream>,
);

/// Reads one page's operations.
pub(super) struct Reader<'a> {
    doc: &'a Document,
    fonts: HashMap<Vec<u8>, Font>,
    font_dicts: BTreeMap<Vec<u8>, &'a Dictionary>,
    /// The XObjects the content may draw by name (`/Fm1 Do`).
    xobjects: BTreeMap<Vec<u8>, &'a Stream>,
    /// Form XObjects this one is drawn inside.
    depth: usize,
    limits: &'a Limits,
    ctm: M,
    stack: Vec<M>,
    text: Text,
    /// Marked-content spans: `Some` for one with `/ActualText`, and whether it was shown.
    marks: Vec<Option<(String, bool)>>,
    /// The current path's rectangles and straight segments, in page space.
    rects: Vec<[(f64, f64); 4]>,
    segments: Vec<((f64, f64), (f64, f64))>,
    point: Option<(f64, f64)>,
    start: Option<(f64, f64)>,
    pub page: Page,
}

impl<'a> Reader<'a> {
    pub(super) fn new(doc: &'a Document, page_id: lopdf::ObjectId, limits: &'a Limits) -> Self {
        let fonts = doc.get_page_fonts(page_id).unwrap_or_default();
        let xobjects = page_xobjects(doc, page_id);
        let ctm = rotation(doc, page_id);
        Reader::with(doc, limits, (fonts, xobjects), 0, ctm, Page::default())
    }

    /// A reader of content drawn with these resources (fonts and XObjects), inside
    /// `depth` form XObjects, from `ctm`, adding to `page`.
    fn with(
        doc: &'a Document,
        limits: &'a Limits,
        (font_dicts, xobjects): Resources<'a>,
        depth: usize,
        ctm: M,
        page: Page,
    ) -> Self {
        Reader {
            doc,
            fonts: HashMap::new(),
            font_dicts,
            xobjects,
            depth,
            limits,
            ctm,
            stack: Vec::new(),
            text: Text::default(),
            marks: Vec::new(),
            rects: Vec::new(),
            segments: Vec::new(),
            point: None,
            start: None,
            page,
        }
    }

    pub(super) fn run(&mut self, ops: &[Operation]) {
        for op in ops {
            self.op(op);
        }
    }

    fn op(&mut self, op: &Operation) {
        let n = |i: usize| op.operands.get(i).and_then(number);
        let six = || -> Option<M> { Some([n(0)?, n(1)?, n(2)?, n(3)?, n(4)?, n(5)?]) };
        match op.operator.as_str() {
            "q" if self.stack.len() < MAX_DEPTH => self.stack.push(self.ctm),
            "Q" => {
                if let Some(m) = self.stack.pop() {
                    self.ctm = m;
                }
            }
            "cm" => {
                if let Some(m) = six().filter(|m| m.iter().all(|v| v.is_finite())) {
                    self.ctm = mul(&m, &self.ctm);
                }
            }
            "BT" => {
                self.text.tm = IDENTITY;
                self.text.tlm = IDENTITY;
            }
            "Tf" => {
                self.text.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec);
                self.text.size = n(1).unwrap_or(0.0);
            }
            "Tc" => self.text.char_space = n(0).unwrap_or(0.0),
            "Tw" => self.text.word_space = n(0).unwrap_or(0.0),
            "Tz" => self.text.scale = n(0).unwrap_or(100.0) / 100.0,
            "TL" => self.text.leading = n(0).unwrap_or(0.0),
            "Ts" => self.text.rise = n(0).unwrap_or(0.0),
            "Td" => {
                if let (Some(x), Some(y)) = (n(0), n(1)) {
                    self.next_line(x, y);
                }
            }
            "TD" => {
                if let (Some(x), Some(y)) = (n(0), n(1)) {
                    self.text.leading = -y;
                    self.next_line(x, y);
                }
            }
            "Tm" => {
                if let Some(m) = six() {
                    self.text.tm = m;
                    self.text.tlm = m;
                }
            }
            "T*" => self.next_line(0.0, -self.text.leading),
            "Tj" => self.show_operand(op.operands.first()),
            "'" => {
                self.next_line(0.0, -self.text.leading);
                self.show_operand(op.operands.first());
            }
            "\"" => {
                self.text.word_space = n(0).unwrap_or(0.0);
                self.text.char_space = n(1).unwrap_or(0.0);
                self.next_line(0.0, -self.text.leading);
                self.show_operand(op.operands.get(2));
            }
            "TJ" => {
                let Some(Object::Array(items)) = op.operands.first() else {
                    return;
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => self.show(bytes),
                        other => {
                            if let Some(adjust) = number(other) {
                                let tx = -adjust / 1000.0 * self.text.size * self.text.scale;
                                self.text.tm = mul(&translate(tx, 0.0), &self.text.tm);
                            }
                        }
                    }
                }
            }
            "BDC" => {
                let actual = match op.operands.get(1) {
                    Some(Object::Dictionary(d)) => d
                        .get(b"ActualText")
                        .ok()
                        .and_then(|o| o.as_str().ok())
                        .map(|t| (text_string(t), false)),
                    _ => None,
                };
                self.marks.push(actual);
            }
            "BMC" => self.marks.push(None),
            "EMC" => {
                self.marks.pop();
            }
            "re" => {
                if let (Some(x), Some(y), Some(w), Some(h)) = (n(0), n(1), n(2), n(3)) {
                    let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
                    self.rects
                        .push(corners.map(|(x, y)| apply(&self.ctm, x, y)));
                }
            }
            "m" => {
                if let (Some(x), Some(y)) = (n(0), n(1)) {
                    let p = apply(&self.ctm, x, y);
                    self.point = Some(p);
                    self.start = Some(p);
                }
            }
            "l" => {
                if let (Some(x), Some(y)) = (n(0), n(1)) {
                    let p = apply(&self.ctm, x, y);
                    if let Some(from) = self.point {
                        self.segments.push((from, p));
                    }
                    self.point = Some(p);
                }
            }
            "h" => {
                if let (Some(from), Some(to)) = (self.point, self.start) {
                    self.segments.push((from, to));
                    self.point = Some(to);
                }
            }
            "f" | "F" | "f*" => self.paint(true, false),
            "S" | "s" => self.paint(false, true),
            "B" | "B*" | "b" | "b*" => self.paint(true, true),
            "n" => self.paint(false, false),
            "Do" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok());
                match name.and_then(|n| self.xobjects.get(n)).copied() {
                    Some(s)
                        if s.dict.get(b"Subtype").and_then(Object::as_name).ok()
                            == Some(b"Form") =>
                    {
                        self.form(s);
                    }
                    _ => self.page.images += 1,
                }
            }
            "BI" => self.page.images += 1,
            _ => {}
        }
    }

    /// Draws a form XObject: its content with its own resources (else these), its matrix
    /// applied. Nested at most [`MAX_FORM_DEPTH`] deep, [`MAX_FORMS`] drawn on a page.
    fn form(&mut self, s: &'a Stream) {
        if self.depth >= MAX_FORM_DEPTH || self.page.forms >= MAX_FORMS {
            return;
        }
        self.page.forms += 1;
        let Some(data) = stream::content(s, self.limits) else {
            return;
        };
        // A form drawn many times is read each time: all together within the limit on
        // inflated bytes.
        self.page.form_bytes = self.page.form_bytes.saturating_add(data.len());
        if self.page.form_bytes > self.limits.unzipped_bytes {
            return;
        }
        let Ok(content) = lopdf::content::Content::decode(&data) else {
            return;
        };
        let matrix = s
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|m| {
                let n = |i: usize| m.get(i).and_then(number);
                Some([n(0)?, n(1)?, n(2)?, n(3)?, n(4)?, n(5)?])
            })
            .unwrap_or(IDENTITY);
        let resources =
            deref(self.doc, s.dict.get(b"Resources").ok()).and_then(|o| o.as_dict().ok());
        let resources = (
            resources.map_or_else(|| self.font_dicts.clone(), |r| fonts_of(self.doc, r)),
            resources.map_or_else(|| self.xobjects.clone(), |r| xobjects_of(self.doc, r)),
        );
        let mut inner = Reader::with(
            self.doc,
            self.limits,
            resources,
            self.depth + 1,
            mul(&matrix, &self.ctm),
            std::mem::take(&mut self.page),
        );
        inner.run(&content.operations);
        self.page = inner.page;
    }

    fn next_line(&mut self, x: f64, y: f64) {
        self.text.tlm = mul(&translate(x, y), &self.text.tlm);
        self.text.tm = self.text.tlm;
    }

    fn show_operand(&mut self, o: Option<&Object>) {
        if let Some(Object::String(bytes, _)) = o {
            self.show(bytes);
        }
    }

    fn font(&mut self) -> Option<&Font> {
        let name = self.text.font.clone()?;
        if !self.fonts.contains_key(&name) {
            let font = match self.font_dicts.get(&name) {
                Some(d) => Font::read(self.doc, d, self.limits),
                None => Font::unknown(),
            };
            self.fonts.insert(name.clone(), font);
        }
        self.fonts.get(&name)
    }

    /// Draws a string: each character code placed by the text matrix, which then moves
    /// by its advance.
    fn show(&mut self, bytes: &[u8]) {
        let size = self.text.size;
        let (scale, char_space, word_space, rise) = (
            self.text.scale,
            self.text.char_space,
            self.text.word_space,
            self.text.rise,
        );
        let Some(font) = self.font() else { return };
        let step = if font.two_byte { 2 } else { 1 };
        let codes: Vec<(u32, String, f64)> = bytes
            .chunks(step)
            .map(|c| {
                let code = c.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b));
                (code, font.text(code), font.width(code) * font.scale)
            })
            .collect();
        for (code, text, w0) in codes {
            let space = if step == 1 && code == 32 {
                word_space
            } else {
                0.0
            };
            let tx = (w0 * size + char_space + space) * scale;
            let trm = mul(&[size * scale, 0.0, 0.0, size, 0.0, rise], &self.text.tm);
            let trm = mul(&trm, &self.ctm);
            let (x, y) = (trm[4], trm[5]);
            let glyph_size = trm[2].hypot(trm[3]);
            let h = self.text.tm[0].hypot(self.text.tm[1]) * self.ctm[0].hypot(self.ctm[1]);
            let w = (tx * h).abs();
            self.text.tm = mul(&translate(tx, 0.0), &self.text.tm);
            if ![x, y, w, glyph_size].iter().all(|v| v.is_finite()) {
                continue;
            }
            self.place(Glyph {
                x,
                y: -y,
                w,
                size: glyph_size,
                text,
            });
        }
    }

    /// Adds a glyph, or, inside an `/ActualText` span, its text once and then only its
    /// width.
    fn place(&mut self, mut g: Glyph) {
        // Some(Some(text)): the span's first glyph; Some(None): a later one.
        let span = match self.marks.iter_mut().rev().find_map(Option::as_mut) {
            Some((actual, shown)) if !*shown => {
                *shown = true;
                Some(Some(actual.clone()))
            }
            Some(_) => Some(None),
            None => None,
        };
        match span {
            Some(None) => {
                if let Some(last) = self.page.glyphs.last_mut() {
                    last.w = (g.x + g.w - last.x).max(last.w);
                }
            }
            Some(Some(actual)) => {
                g.text = actual;
                self.push(g);
            }
            None => {
                if !g.text.trim().is_empty() {
                    self.push(g);
                }
            }
        }
    }

    /// Keeps a glyph, up to as many as a sheet may have cells.
    fn push(&mut self, g: Glyph) {
        if self.page.glyphs.len() < self.limits.sheet_cells {
            self.page.glyphs.push(g);
        } else {
            self.page.overflow = true;
        }
    }

    /// Ends the current path: thin filled rectangles and the edges of stroked ones, and
    /// straight stroked segments, become rules.
    fn paint(&mut self, fill: bool, stroke: bool) {
        let rects = std::mem::take(&mut self.rects);
        let segments = std::mem::take(&mut self.segments);
        self.point = None;
        self.start = None;
        for r in rects {
            let xs = r.map(|p| p.0);
            let ys = r.map(|p| -p.1);
            let (x0, x1) = (min(&xs), max(&xs));
            let (y0, y1) = (min(&ys), max(&ys));
            let (w, h) = (x1 - x0, y1 - y0);
            if fill && h <= 3.0 && w > h * 2.0 {
                self.rule(true, (y0 + y1) / 2.0, x0, x1);
            } else if fill && w <= 3.0 && h > w * 2.0 {
                self.rule(false, (x0 + x1) / 2.0, y0, y1);
            } else if stroke {
                self.rule(true, y0, x0, x1);
                self.rule(true, y1, x0, x1);
                self.rule(false, x0, y0, y1);
                self.rule(false, x1, y0, y1);
            }
        }
        if stroke {
            for ((ax, ay), (bx, by)) in segments {
                let (ay, by) = (-ay, -by);
                if (ay - by).abs() < 1.0 {
                    self.rule(true, (ay + by) / 2.0, ax.min(bx), ax.max(bx));
                } else if (ax - bx).abs() < 1.0 {
                    self.rule(false, (ax + bx) / 2.0, ay.min(by), ay.max(by));
                }
            }
        }
    }

    fn rule(&mut self, horizontal: bool, pos: f64, from: f64, to: f64) {
        if ![pos, from, to].iter().all(|v| v.is_finite()) || to - from < 2.0 {
            return;
        }
        let rules = if horizontal {
            &mut self.page.horizontal
        } else {
            &mut self.page.vertical
        };
        // Enough for any table; more are drawings, not rules.
        if rules.len() < 20_000 {
            rules.push(Rule { pos, from, to });
        }
    }
}

/// A resource dictionary's fonts by name.
fn fonts_of<'a>(doc: &'a Document, resources: &'a Dictionary) -> BTreeMap<Vec<u8>, &'a Dictionary> {
    named(doc, resources, b"Font", |o| o.as_dict().ok())
}

/// A resource dictionary's XObjects by name.
fn xobjects_of<'a>(doc: &'a Document, resources: &'a Dictionary) -> BTreeMap<Vec<u8>, &'a Stream> {
    named(doc, resources, b"XObject", |o| o.as_stream().ok())
}

fn named<'a, T>(
    doc: &'a Document,
    resources: &'a Dictionary,
    kind: &[u8],
    pick: impl Fn(&'a Object) -> Option<T>,
) -> BTreeMap<Vec<u8>, T> {
    let Some(dict) = deref(doc, resources.get(kind).ok()).and_then(|o| o.as_dict().ok()) else {
        return BTreeMap::new();
    };
    dict.iter()
        .filter_map(|(k, v)| Some((k.clone(), pick(deref(doc, Some(v))?)?)))
        .collect()
}

/// A page's XObjects, its own and those its page tree passes down.
fn page_xobjects(doc: &Document, page_id: lopdf::ObjectId) -> BTreeMap<Vec<u8>, &Stream> {
    let Ok((own, inherited)) = doc.get_page_resources(page_id) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for id in inherited.iter().rev() {
        if let Ok(r) = doc.get_dictionary(*id) {
            out.extend(xobjects_of(doc, r));
        }
    }
    if let Some(r) = own {
        out.extend(xobjects_of(doc, r));
    }
    out
}

/// The page as it is shown: its `/Rotate` (clockwise, inherited from the page tree)
/// applied, so that the lines of a landscape table printed on a portrait page run across.
fn rotation(doc: &Document, page_id: lopdf::ObjectId) -> M {
    let mut node = doc.get_dictionary(page_id).ok();
    let mut rotate = None;
    let mut media = None;
    for _ in 0..32 {
        let Some(dict) = node else { break };
        rotate = rotate.or_else(|| dict.get(b"Rotate").ok().and_then(number));
        media = media.or_else(|| dict.get(b"MediaBox").ok().and_then(|o| o.as_array().ok()));
        node = dict
            .get(b"Parent")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| doc.get_dictionary(id).ok());
    }
    let size = |i: usize| media.and_then(|m| m.get(i)).and_then(number).unwrap_or(0.0);
    let (w, h) = (size(2) - size(0), size(3) - size(1));
    match rotate.map(|r| (r as i64).rem_euclid(360)) {
        Some(90) => [0.0, -1.0, 1.0, 0.0, 0.0, w],
        Some(180) => [-1.0, 0.0, 0.0, -1.0, w, h],
        Some(270) => [0.0, 1.0, -1.0, 0.0, h, 0.0],
        _ => IDENTITY,
    }
}

fn min(v: &[f64; 4]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64; 4]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}
