//! Settings: parameters given values from outside the rule file (`--set NAME=VALUE`).
//!
//! Input: the text of one setting. Output: a [`Setting`], the value a decimal (`80%` is
//! 0.8), or the [`SetError`] that says why the text is not one. Applying settings to
//! rules is [`super::Rules::with_settings`].

use rust_decimal::Decimal;

use super::SetError;
use crate::num;

/// A parameter set from outside the rule file: `--set budget_weight=10`,
/// `--set 本级=省级`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The parameter.
    pub name: String,
    /// The value as written, trimmed: a text parameter takes it as it is.
    pub text: String,
    /// The value as a number (`80%` is 0.8), when it is one: what a numeric parameter
    /// takes; a setting of one that is not a number is refused when it is applied.
    pub number: Option<Decimal>,
}

impl std::str::FromStr for Setting {
    type Err = SetError;

    /// Reads `NAME=VALUE`, the value a number, perhaps with `%`, or a text.
    fn from_str(text: &str) -> Result<Self, SetError> {
        let malformed = || SetError::Malformed {
            text: text.to_owned(),
        };
        let (name, value) = text.split_once('=').ok_or_else(malformed)?;
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() || value.is_empty() {
            return Err(malformed());
        }
        Ok(Setting {
            name: name.to_owned(),
            text: value.to_owned(),
            number: number(value),
        })
    }
}

/// `10`, `-2.5`, `80%` (0.8) as a number; anything else is none.
fn number(value: &str) -> Option<Decimal> {
    let (digits, percent) = match value.strip_suffix('%') {
        Some(d) => (d.trim(), true),
        None => (value, false),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    let value = Decimal::from_str_exact(digits).ok()?;
    if percent {
        return num::div(value, Decimal::ONE_HUNDRED).ok();
    }
    Some(value)
}
