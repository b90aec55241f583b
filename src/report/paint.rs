//! Terminal emphasis for text that is not a table (explain's lines, a narrow terminal's
//! blocks): bold, dim, and the yellow of a difference, as ANSI escapes only when on.

/// Bold headings, dim rule lines, yellow differences; plain text when `on` is false.
#[derive(Clone, Copy)]
pub struct Paint {
    /// Whether to emphasise at all (a terminal, no `NO_COLOR`).
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// Bold.
    #[must_use]
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    /// Dim.
    #[must_use]
    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }

    /// A difference: bold yellow, as the tables highlight one.
    #[must_use]
    pub fn diff(self, s: &str) -> String {
        self.wrap("1;33", s)
    }
}
