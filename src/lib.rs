//! jixiao (绩效): scores Chinese budget-performance self-evaluation forms with rules
//! written in a small declarative language.
//!
//! The phases, one module each, run in one direction:
//! rule text → [`syntax`] (AST with spans) → [`check`] (compiled [`Rules`]) and
//! form text → [`form`] (typed [`Form`]); then [`eval`] turns `Rules` + `Form` into an
//! [`Outcome`], which reports read (it borrows its texts from the form and the rules;
//! [`Outcome::into_owned`] makes one that outlives them). The library does no I/O: it
//! takes strings and returns values or miette diagnostics. [`Limits`] bound the size of
//! every input (rule files, forms, imports), so that no input exhausts the machine.
//!
//! ```
//! use jixiao::{Source, bundled, compile, evaluate, load_form};
//!
//! let rules = compile(&bundled("hubei-2021").expect("bundled")).expect("valid rules");
//! let form = load_form(&Source::new("form.toml", r#"
//!     [budget]
//!     planned = "100万元"
//!     executed = "95万元"
//!
//!     [[goals]]
//!     name = "职业技能培训"
//!     weight = 80
//!
//!     [[goals.indicators]]
//!     level1 = "产出指标"
//!     level2 = "数量指标"
//!     name = "职业技能培训人次"
//!     target = "4000人次"
//!     actual = "3916人次"
//!     weight = 80
//! "#)).expect("valid form");
//! let outcome = evaluate(&rules, &form).expect("scored");
//! // budget 20 × 95 / 100 = 19; indicator 80 × 3916 / 4000 = 78.32
//! assert_eq!(outcome.total.to_string(), "97.32");
//! assert_eq!(outcome.grade.as_deref(), Some("优"));
//! ```
#![warn(missing_docs)]
// Parse, check and form errors are returned once per file, not in a loop; each carries its
// source for rendering, which makes them large. The evaluator's error, on the hot path, is
// boxed instead.
#![allow(clippy::result_large_err)]

// pest is built without its `std` feature (see Cargo.toml), and its generated parser then
// names `::alloc` directly.
extern crate alloc;

mod bundled;
pub mod check;
pub mod code;
pub mod eval;
pub mod form;
pub mod import;
pub mod limits;
pub mod lint;
mod num;
pub mod report;
pub mod rule_tests;
pub mod service;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod text;

pub use bundled::{DEFAULT_RULES, bundled, bundled_names};
pub use check::{
    Bundled, Resolve, Rules, RulesError, Setting, Unresolved, compile, compile_with,
    compile_with_limits,
};
pub use code::Code;
pub use eval::{EvalError, Outcome, evaluate, evaluate_with};
pub use form::{Form, FormErrors, load_form, load_form_with_limits};
pub use limits::{Inflated, LimitError, Limits};
pub use source::{Source, Span};
