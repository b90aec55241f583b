//! Settings: parameters given values from outside the rule file (`--set NAME=VALUE`).
//!
//! Input: the text of one setting. Output: a [`Setting`], the value a decimal (`80%` is
//! 0.8), or the [`SetError`] that says why the text is not one. Applying settings to
//! rules is [`super::Rules::with_settings`].

use rust_decimal::Decimal;

use super::SetError;
use crate::num;

/// A parameter set from outside the rule file: `--set budget_weight=10`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The parameter.
    pub name: String,
    /// Its value (`80%` is 0.8).
    pub value: Decimal,
}

impl std::str::FromStr for Setting {
    type Err = SetError;

    /// Reads `NAME=VALUE`, the value a number, perhaps with `%`.
    fn from_str(text: &str) -> Result<Self, SetError> {
        let malformed = || SetError::Malformed {
            text: text.to_owned(),
        };
        let (name, value) = text.split_once('=').ok_or_else(malformed)?;
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return Err(malformed());
        }
        let (digits, percent) = match value.strip_suffix('%') {
            Some(d) => (d.trim(), true),
            None => (value, false),
        };
        if digits.is_empty()
            || !digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(malformed());
        }
        let mut value = Decimal::from_str_exact(digits).map_err(|_| malformed())?;
        if percent {
            value = num::div(value, Decimal::ONE_HUNDRED).map_err(|_| malformed())?;
        }
        Ok(Setting {
            name: name.to_owned(),
            value,
        })
    }
}
