//! The problems a form file can have, as diagnostics: [`FormError`], one problem with its
//! code, labels and help, and [`FormErrors`], every problem of one file.
//!
//! Input: what the loader (`load.rs` and the files that read each table) and the TOML
//! error explanations (`toml_error.rs`) found. Output: diagnostics for miette. Invariant: every text the user wrote that a
//! message quotes went through [`crate::text::quoted`], so an invisible or control
//! character in it is named, never shown raw.

use miette::SourceSpan;

use crate::limits::LimitError;

pub(super) type Src = crate::source::Named;

/// One problem in a form file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FormError {
    /// The file is not TOML, or not in the form layout (unknown, missing or mistyped key).
    #[error("{message}")]
    #[diagnostic(code(jixiao::form::toml))]
    Toml {
        /// What is wrong.
        message: String,
        /// How to fix it.
        #[help]
        help: String,
        /// The label's text.
        label: String,
        /// Where, if the TOML parser said.
        #[label("{label}")]
        span: Option<SourceSpan>,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// A value starts like a number but cannot be read (see [`super::parse_value`]).
    #[error("{message}")]
    #[diagnostic(code(jixiao::form::malformed_number))]
    MalformedNumber {
        /// The value parser's message.
        message: String,
        /// The value parser's help.
        #[help]
        help: String,
        /// The bad part of the value.
        #[label("无法读取")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// Two values that must be in the same unit are not: different units (`100人`,
    /// `100件`), a bare number beside one with a unit or multiplier (`100`, `90万元`), or
    /// a value against the unit its table declares (`unit = "万元"`, `100人`).
    #[error("{message}")]
    #[diagnostic(code(jixiao::form::unit_mismatch))]
    UnitMismatch {
        /// What differs, naming both values.
        message: String,
        /// How to make them agree.
        #[help]
        help: String,
        /// The first value's label.
        first_label: String,
        /// The first value (or declaration).
        #[label("{first_label}")]
        first_span: SourceSpan,
        /// The second value's label.
        second_label: String,
        /// The second value.
        #[label("{second_label}")]
        second_span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// Two values that must be of one kind (number, percentage, text) are not.
    #[error("{what}的类型不一致：{first}是{first_kind}，{second}是{second_kind}")]
    #[diagnostic(code(jixiao::form::kind_mismatch))]
    KindMismatch {
        /// Which values.
        what: &'static str,
        /// The first value, quoted.
        first: String,
        /// The second value, quoted.
        second: String,
        /// 数值, 百分比 or 文字.
        first_kind: &'static str,
        /// 数值, 百分比 or 文字.
        second_kind: &'static str,
        /// How to make them agree.
        #[help]
        help: String,
        /// The first value.
        #[label("{first_kind}")]
        first_span: SourceSpan,
        /// The second value.
        #[label("{second_kind}")]
        second_span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// An indicator or goal has no `weight`.
    #[error("{what}{name}没有填写分值（weight）")]
    #[diagnostic(
        code(jixiao::form::missing_weight),
        help("在该{what}的表中加一行分值，如 weight = 10")
    )]
    MissingWeight {
        /// 指标 or 年度目标.
        what: &'static str,
        /// Its name, quoted ([`crate::text::quoted`]).
        name: String,
        /// Its name's span.
        #[label("这个{what}缺少 weight")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// A value that cannot be negative is.
    #[error("{what}不能为负数：{raw}")]
    #[diagnostic(
        code(jixiao::form::negative_value),
        help(
            "填写数量本身；「减少」「下降」类指标请用正数，并用「≤」或 direction = \"negative\" 表示越小越好"
        )
    )]
    NegativeValue {
        /// Which value, e.g. 目标值.
        what: &'static str,
        /// As written, quoted ([`crate::text::quoted`]).
        raw: String,
        /// Where.
        #[label("负数")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// `[budget] planned` or `executed` is not an amount.
    #[error("{what}应为金额数字，实际是{raw}")]
    #[diagnostic(
        code(jixiao::form::budget_not_number),
        help(
            "写成数字或数字加单位，如 planned = 1234.5 或 planned = \"1,234.5万元\"；不要写百分比、比较符号或文字"
        )
    )]
    BudgetNotNumber {
        /// 预算数（planned） or 执行数（executed）.
        what: &'static str,
        /// As written, quoted ([`crate::text::quoted`]).
        raw: String,
        /// Where.
        #[label("不是金额")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// An actual value without a target.
    #[error("指标{name}填写了实际完成值，但没有目标值")]
    #[diagnostic(
        code(jixiao::form::missing_target),
        help("补上年初目标值 target；若该指标本年不评价，把 actual 删去或留空")
    )]
    MissingTarget {
        /// The indicator's name, quoted ([`crate::text::quoted`]), and which entry.
        name: String,
        /// The actual value.
        #[label("实际完成值")]
        actual_span: SourceSpan,
        /// The indicator's name.
        #[label("这个指标没有 target")]
        name_span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// An indicator split by fund (`entries`) also has its own value.
    #[error("指标{name}已按资金来源分项填写（entries），不应再填写自己的 {key}")]
    #[diagnostic(
        code(jixiao::form::entries_with_values),
        help("把 {key} 移到 entries 的各项中，或删去 entries 直接填写指标的值")
    )]
    EntriesWithValues {
        /// The indicator's name, quoted ([`crate::text::quoted`]).
        name: String,
        /// target, actual, tier or rate.
        key: &'static str,
        /// The indicator's own value.
        #[label("应移到 entries 各项中")]
        span: SourceSpan,
        /// The entries.
        #[label("已按资金来源分项")]
        entries_span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// A `rate` that is not a fraction in [0, 1].
    #[error("完成率{raw}无效：{reason}")]
    #[diagnostic(
        code(jixiao::form::bad_rate),
        help(
            "rate 写成 0% 到 100% 的百分比，如 rate = \"85%\"，或 0 到 1 之间的数，如 rate = 0.85"
        )
    )]
    BadRate {
        /// As written, quoted ([`crate::text::quoted`]).
        raw: String,
        /// Why it is wrong.
        reason: &'static str,
        /// Where.
        #[label("完成率")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// A `direction` other than positive/negative/正向/反向.
    #[error("无法识别的指标方向{raw}")]
    #[diagnostic(code(jixiao::form::bad_direction))]
    BadDirection {
        /// As written, quoted ([`crate::text::quoted`]).
        raw: String,
        /// The fix, with the nearest valid direction.
        #[help]
        help: String,
        /// Where.
        #[label("无法识别")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// A weight, reported score, total or fund that is not a number.
    #[error("{what}应为数字，实际是{raw}")]
    #[diagnostic(code(jixiao::form::bad_number))]
    BadNumber {
        /// Which value.
        what: &'static str,
        /// As written, quoted ([`crate::text::quoted`]).
        raw: String,
        /// How to write it.
        #[help]
        help: &'static str,
        /// Where.
        #[label("不是数字")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// The TOML holds far more tokens for its size than a form does (`goals = [{}, {}, …]`):
    /// parsing it would take memory out of proportion to the file (see `src/form/scan.rs`).
    #[error("表单 {name} 的 TOML 过于零碎：{bytes} 字节中有 {tokens} 个记号，超过上限 {limit} 个")]
    #[diagnostic(
        code(jixiao::form::too_dense),
        help(
            "键、值、括号、逗号、空白和换行各算一个记号；正常的表单平均每 5 个字节以上才有一个（中文名称和数值都较长），上限是每 4 个字节一个再加 262144 个。这样细碎的文件多半是程序生成或已损坏的（如成千上万个空的 {{}}），解析它会耗尽内存：请检查文件内容"
        )
    )]
    TooDense {
        /// The form file's name.
        name: String,
        /// Its size in bytes.
        bytes: usize,
        /// How many tokens it holds.
        tokens: usize,
        /// The most it may hold.
        limit: usize,
    },

    /// The form is larger than a [`crate::Limits`] allows (its size, or how many goals,
    /// indicators or entries it has).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Limit(#[from] LimitError),

    /// A value or name holding a character that cannot be seen and is not a space: a
    /// zero-width space, a bidirectional mark, a control character. Two values that look
    /// alike would differ (`「​人」` and `「人」`), a number would read as text.
    #[error("{message}")]
    #[diagnostic(
        code(jixiao::form::invisible_character),
        help(
            "删去这个字符：它在屏幕上看不见，多半是从网页、Word 或 Excel 复制时带进来的。在编辑器中把光标移到标出的位置，删去它（看起来什么也没删）即可"
        )
    )]
    InvisibleCharacter {
        /// Which value, quoted, naming the character.
        message: String,
        /// The character's name.
        label: String,
        /// The character (the whole value if an escape hides it).
        #[label("{label}")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// A `unit` or `fund_unit` that is not a unit.
    #[error("{key}{raw}无法识别（{reason}）")]
    #[diagnostic(code(jixiao::form::bad_unit))]
    BadUnit {
        /// `unit` or `fund_unit`.
        key: &'static str,
        /// As written, quoted.
        raw: String,
        /// What is wrong.
        reason: String,
        /// How to write it.
        #[help]
        help: String,
        /// Where.
        #[label("无法识别")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },

    /// A goal or indicator name (level1, level2, name) is empty.
    #[error("{what}不能为空")]
    #[diagnostic(code(jixiao::form::empty_name), help("填写{what}，如 {example}"))]
    EmptyName {
        /// Which name.
        what: &'static str,
        /// An example line.
        example: &'static str,
        /// Where.
        #[label("空的")]
        span: SourceSpan,
        /// The form file.
        #[source_code]
        src: Src,
    },
}

/// Every problem found in one form file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("表单 {name} 有 {total} 处错误")]
#[diagnostic(code(jixiao::form::invalid), help("逐条改正下面列出的错误后重新运行"))]
pub struct FormErrors {
    /// The form file's name.
    pub name: String,
    /// The problems, in file order (a TOML syntax or shape error is reported alone): the
    /// first [`crate::Limits::diagnostics`], then, if there are more, a [`LimitError::Unlisted`]
    /// counting the rest.
    #[related]
    pub errors: Vec<FormError>,
    /// How many problems were found, listed or not.
    pub total: usize,
}
