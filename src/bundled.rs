//! The rule sets shipped inside the binary, so `jixiao score FORM` works anywhere.

use crate::source::Source;

/// Name, file text.
const BUNDLED: &[(&str, &str)] = &[
    ("hubei-2021", include_str!("../rules/hubei-2021.rules")),
    (
        "national-project-2020",
        include_str!("../rules/national-project-2020.rules"),
    ),
    (
        "stepwise-example",
        include_str!("../rules/stepwise-example.rules"),
    ),
    (
        "deduction-example",
        include_str!("../rules/deduction-example.rules"),
    ),
    // The old name of national-project-2020, an overlay that changes nothing.
    (
        "central-project",
        include_str!("../rules/central-project.rules"),
    ),
];

/// The name of the rule set used when none is given.
pub const DEFAULT_RULES: &str = "hubei-2021";

/// The bundled rule set called `name`, as a source named like its file in the repository.
#[must_use]
pub fn bundled(name: &str) -> Option<Source> {
    BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| Source::new(format!("rules/{n}.rules"), *text))
}

/// The names of every bundled rule set.
#[must_use]
pub fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}
