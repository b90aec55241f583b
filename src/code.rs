//! The catalogue of diagnostic codes: every code jixiao shows (`jixiao::form::unit_mismatch`),
//! one variant each, with whether it means bad input (exit 1) or bad usage (exit 2).
//!
//! Input: nothing. Output: [`Code`], its text ([`Code::as_str`]), its exit status
//! ([`Code::exit_status`]) and the whole list ([`Code::ALL`]), which the catalogue test,
//! docs/diagnostics.md's test and (later) the language server read.
//!
//! Invariants: every code shown anywhere is here. Errors built at run time (evaluation
//! errors, warnings, lints) carry a [`Code`]; errors derived with miette name their code
//! in a `#[diagnostic(code(…))]` attribute, which must be a literal there (miette's
//! derive takes no expression), and [`Code::of`] maps it back to its variant: a code
//! missing from this table fails the catalogue test and, in a debug build, the run that
//! shows it.

use std::fmt;

use serde::{Serialize, Serializer};

/// What a code says about the run: the input was wrong, or the command line was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A rule file, form or file that cannot be read as it is: exit status 1.
    Input,
    /// An argument, `--set` or `JIXIAO_LIMITS` that is malformed: exit status 2.
    Usage,
}

macro_rules! catalogue {
    ($( $variant:ident = $code:literal, $class:ident; )*) => {
        /// A diagnostic's stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, grouped by phase.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// `jixiao::phase::name`.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// Bad input or bad usage.
            #[must_use]
            pub const fn class(self) -> Class {
                match self {
                    $(Code::$variant => Class::$class,)*
                }
            }
        }
    };
}

catalogue! {
    // syntax
    SyntaxBadEscape = "jixiao::syntax::bad_escape", Input;
    SyntaxBadNumber = "jixiao::syntax::bad_number", Input;
    SyntaxBadPlaces = "jixiao::syntax::bad_places", Input;
    SyntaxTooComplex = "jixiao::syntax::too_complex", Input;
    SyntaxTooDeep = "jixiao::syntax::too_deep", Input;
    SyntaxUnexpected = "jixiao::syntax::unexpected", Input;
    // check
    CheckBadBand = "jixiao::check::bad_band", Input;
    CheckBandGap = "jixiao::check::band_gap", Input;
    CheckBandOverlap = "jixiao::check::band_overlap", Input;
    CheckConstant = "jixiao::check::constant", Input;
    CheckDuplicate = "jixiao::check::duplicate", Input;
    CheckExtendsCycle = "jixiao::check::extends_cycle", Input;
    CheckExtendsOutside = "jixiao::check::extends_outside", Input;
    CheckGradeOrder = "jixiao::check::grade_order", Input;
    CheckInvalid = "jixiao::check::invalid", Input;
    CheckMisplaced = "jixiao::check::misplaced", Input;
    CheckMissing = "jixiao::check::missing", Input;
    CheckNegativeWeight = "jixiao::check::negative_weight", Input;
    CheckParamOrder = "jixiao::check::param_order", Input;
    CheckReservedName = "jixiao::check::reserved_name", Input;
    CheckTypeMismatch = "jixiao::check::type_mismatch", Input;
    CheckUnknownBase = "jixiao::check::unknown_base", Input;
    CheckUnknownFunction = "jixiao::check::unknown_function", Input;
    CheckUnknownName = "jixiao::check::unknown_name", Input;
    CheckUnknownOverride = "jixiao::check::unknown_override", Input;
    CheckUnknownValue = "jixiao::check::unknown_value", Input;
    // set
    SetMalformed = "jixiao::set::malformed", Usage;
    SetUnknownParam = "jixiao::set::unknown_param", Usage;
    // limit
    LimitDiagnostics = "jixiao::limit::diagnostics", Input;
    LimitEntries = "jixiao::limit::entries", Input;
    LimitFormBytes = "jixiao::limit::form_bytes", Input;
    LimitGoals = "jixiao::limit::goals", Input;
    LimitIndicators = "jixiao::limit::indicators", Input;
    LimitMalformed = "jixiao::limit::malformed", Usage;
    LimitPages = "jixiao::limit::pages", Input;
    LimitRuleBytes = "jixiao::limit::rule_bytes", Input;
    LimitSheetCells = "jixiao::limit::sheet_cells", Input;
    LimitUnzippedBytes = "jixiao::limit::unzipped_bytes", Input;
    // io
    IoDecodedGbk = "jixiao::io::decoded_gbk", Input;
    IoEncoding = "jixiao::io::encoding", Input;
    IoRead = "jixiao::io::read", Input;
    IoSkipped = "jixiao::io::skipped", Input;
    IoUnknownRules = "jixiao::io::unknown_rules", Input;
    IoWrite = "jixiao::io::write", Input;
    // usage
    UsageBadArguments = "jixiao::usage::bad_arguments", Usage;
    UsageInvalidValue = "jixiao::usage::invalid_value", Usage;
    UsageMissingArgument = "jixiao::usage::missing_argument", Usage;
    UsageMissingCommand = "jixiao::usage::missing_command", Usage;
    UsageOutputIsInput = "jixiao::usage::output_is_input", Usage;
    UsageUnknownCommand = "jixiao::usage::unknown_command", Usage;
    UsageUnknownExtension = "jixiao::usage::unknown_extension", Usage;
    UsageUnknownOption = "jixiao::usage::unknown_option", Usage;
    // form
    FormBadDirection = "jixiao::form::bad_direction", Input;
    FormBadNumber = "jixiao::form::bad_number", Input;
    FormBadRate = "jixiao::form::bad_rate", Input;
    FormBadUnit = "jixiao::form::bad_unit", Input;
    FormBudgetNotNumber = "jixiao::form::budget_not_number", Input;
    FormEmptyName = "jixiao::form::empty_name", Input;
    FormEntriesWithValues = "jixiao::form::entries_with_values", Input;
    FormInvalid = "jixiao::form::invalid", Input;
    FormInvisibleCharacter = "jixiao::form::invisible_character", Input;
    FormKindMismatch = "jixiao::form::kind_mismatch", Input;
    FormMalformedNumber = "jixiao::form::malformed_number", Input;
    FormMissingTarget = "jixiao::form::missing_target", Input;
    FormMissingWeight = "jixiao::form::missing_weight", Input;
    FormNegativeValue = "jixiao::form::negative_value", Input;
    FormToml = "jixiao::form::toml", Input;
    FormTooDense = "jixiao::form::too_dense", Input;
    FormUnitMismatch = "jixiao::form::unit_mismatch", Input;
    // import
    ImportBadCell = "jixiao::import::bad_cell", Input;
    ImportConflictingRows = "jixiao::import::conflicting_rows", Input;
    ImportDocument = "jixiao::import::document", Input;
    ImportDuplicateRow = "jixiao::import::duplicate_row", Input;
    ImportEmptyCell = "jixiao::import::empty_cell", Input;
    ImportEncoding = "jixiao::import::encoding", Input;
    ImportEncrypted = "jixiao::import::encrypted", Input;
    ImportGuessedLayout = "jixiao::import::guessed_layout", Input;
    ImportInvalid = "jixiao::import::invalid", Input;
    ImportLayout = "jixiao::import::layout", Input;
    ImportMissingBudget = "jixiao::import::missing_budget", Input;
    ImportMissingColumn = "jixiao::import::missing_column", Input;
    ImportMissingWeight = "jixiao::import::missing_weight", Input;
    ImportNoSheet = "jixiao::import::no_sheet", Input;
    ImportOldWord = "jixiao::import::old_word", Input;
    ImportPercentCell = "jixiao::import::percent_cell", Input;
    ImportRepaired = "jixiao::import::repaired", Input;
    ImportScanned = "jixiao::import::scanned", Input;
    ImportUncachedFormula = "jixiao::import::uncached_formula", Input;
    ImportUnknownFormat = "jixiao::import::unknown_format", Input;
    ImportWeightsFromReported = "jixiao::import::weights_from_reported", Input;
    ImportWorkbook = "jixiao::import::workbook", Input;
    // eval
    EvalAdjustmentIgnored = "jixiao::eval::adjustment_ignored", Input;
    EvalBudgetNotNumber = "jixiao::eval::budget_not_number", Input;
    EvalDivisionByZero = "jixiao::eval::division_by_zero", Input;
    EvalDuplicateAdjustment = "jixiao::eval::duplicate_adjustment", Input;
    EvalKindMismatch = "jixiao::eval::kind_mismatch", Input;
    EvalGoalCapped = "jixiao::eval::goal_capped", Input;
    EvalMissingTarget = "jixiao::eval::missing_target", Input;
    EvalMissingYear = "jixiao::eval::missing_year", Input;
    EvalMissingFact = "jixiao::eval::missing_fact", Input;
    EvalMissingValue = "jixiao::eval::missing_value", Input;
    EvalFactValue = "jixiao::eval::fact_value", Input;
    EvalNegativeAdjustment = "jixiao::eval::negative_adjustment", Input;
    EvalMixedComparisons = "jixiao::eval::mixed_comparisons", Input;
    EvalNeedsAssessment = "jixiao::eval::needs_assessment", Input;
    EvalNoAggregation = "jixiao::eval::no_aggregation", Input;
    EvalNoClass = "jixiao::eval::no_class", Input;
    EvalNotEvaluated = "jixiao::eval::not_evaluated", Input;
    EvalNothingEvaluated = "jixiao::eval::nothing_evaluated", Input;
    EvalOmitted = "jixiao::eval::omitted", Input;
    EvalOtherRules = "jixiao::eval::other_rules", Input;
    EvalOverflow = "jixiao::eval::overflow", Input;
    EvalPartialEntries = "jixiao::eval::partial_entries", Input;
    EvalRateOutsideBands = "jixiao::eval::rate_outside_bands", Input;
    EvalRateOutsideTier = "jixiao::eval::rate_outside_tier", Input;
    EvalRuleError = "jixiao::eval::rule_error", Input;
    EvalTotalCapped = "jixiao::eval::total_capped", Input;
    EvalStructure = "jixiao::eval::structure", Input;
    EvalTotalFloored = "jixiao::eval::total_floored", Input;
    EvalTotalRescaled = "jixiao::eval::total_rescaled", Input;
    EvalTotalWeight = "jixiao::eval::total_weight", Input;
    EvalUnbound = "jixiao::eval::unbound", Input;
    EvalUnknownAdjustment = "jixiao::eval::unknown_adjustment", Input;
    EvalUnknownTier = "jixiao::eval::unknown_tier", Input;
    EvalWeightSum = "jixiao::eval::weight_sum", Input;
    EvalZeroFunds = "jixiao::eval::zero_funds", Input;
    // lint
    LintBandCoverage = "jixiao::lint::band_coverage", Input;
    LintDuplicateIndicator = "jixiao::lint::duplicate_indicator", Input;
    LintMissingOutputOrEffect = "jixiao::lint::missing_output_or_effect", Input;
    LintNegativeScore = "jixiao::lint::negative_score", Input;
    LintNoClassFor = "jixiao::lint::no_class_for", Input;
    LintNoGrades = "jixiao::lint::no_grades", Input;
    LintOmitted = "jixiao::lint::omitted", Input;
    LintRoundingNoEffect = "jixiao::lint::rounding_no_effect", Input;
    LintScoreAboveWeight = "jixiao::lint::score_above_weight", Input;
    LintShadowedClass = "jixiao::lint::shadowed_class", Input;
    LintTextForNumbers = "jixiao::lint::text_for_numbers", Input;
    LintUnguardedDivision = "jixiao::lint::unguarded_division", Input;
    LintUnusedParam = "jixiao::lint::unused_param", Input;
    // score
    ScoreAllFailed = "jixiao::score::all_failed", Input;
    ScoreNoForms = "jixiao::score::no_forms", Input;
    // explain
    ExplainAmbiguous = "jixiao::explain::ambiguous", Input;
    ExplainUnknownGoal = "jixiao::explain::unknown_goal", Input;
    ExplainUnknownIndicator = "jixiao::explain::unknown_indicator", Input;
    // audit
    AuditNoForms = "jixiao::audit::no_forms", Input;
    // diff
    DiffNoForms = "jixiao::diff::no_forms", Input;
    // lsp (the language server's connection with the editor)
    LspProtocol = "jixiao::lsp::protocol", Input;
    // serve (the workbench's HTTP refusals, and its start)
    ServeBadRequest = "jixiao::serve::bad_request", Usage;
    ServeBind = "jixiao::serve::bind", Input;
    ServeExists = "jixiao::serve::exists", Input;
    ServeHost = "jixiao::serve::host", Usage;
    ServeInternal = "jixiao::serve::internal", Input;
    ServeNotFound = "jixiao::serve::not_found", Input;
    ServeOrigin = "jixiao::serve::origin", Usage;
    ServeOutside = "jixiao::serve::outside", Input;
    ServeReadOnly = "jixiao::serve::read_only", Input;
    ServeStale = "jixiao::serve::stale", Input;
    ServeToken = "jixiao::serve::token", Usage;
    ServeTooLarge = "jixiao::serve::too_large", Input;
    // xlsx
    XlsxWrite = "jixiao::xlsx::write", Input;
}

impl Code {
    /// The variant whose text is `code`, if any.
    #[must_use]
    pub fn of(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// 1 for bad input, 2 for bad usage.
    #[must_use]
    pub const fn exit_status(self) -> u8 {
        match self.class() {
            Class::Input => 1,
            Class::Usage => 2,
        }
    }

    /// The phase, `form` in `jixiao::form::unit_mismatch`.
    #[must_use]
    pub fn phase(self) -> &'static str {
        self.as_str().split("::").nth(1).unwrap_or_default()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_found_by_text() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            let parts: Vec<&str> = text.split("::").collect();
            assert_eq!(parts.len(), 3, "{text}");
            assert_eq!(parts[0], "jixiao");
            assert!(
                parts[1..].iter().all(|p| !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')),
                "{text}"
            );
            assert_eq!(Code::of(text), Some(code));
        }
        assert_eq!(Code::of("jixiao::form::nonexistent"), None);
    }

    #[test]
    fn usage_codes_exit_with_2() {
        assert_eq!(Code::SetMalformed.exit_status(), 2);
        assert_eq!(Code::UsageUnknownExtension.exit_status(), 2);
        assert_eq!(Code::LimitMalformed.exit_status(), 2);
        assert_eq!(Code::LimitGoals.exit_status(), 1);
        assert_eq!(Code::FormUnitMismatch.exit_status(), 1);
        assert_eq!(Code::FormUnitMismatch.phase(), "form");
    }

    #[test]
    fn serialises_as_its_text() {
        assert_eq!(
            serde_json::to_string(&Code::EvalWeightSum).unwrap(),
            "\"jixiao::eval::weight_sum\""
        );
    }
}
