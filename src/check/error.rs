//! Errors found while checking a rule file. The check phase collects all of them and
//! reports them together in one [`CheckErrors`].

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// One problem in a rule file.
#[derive(Debug, Error, Diagnostic)]
pub enum CheckError {
    /// A name that is neither a parameter nor a built-in available here.
    #[error("未知名称「{name}」")]
    #[diagnostic(code(jixiao::check::unknown_name))]
    UnknownName {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The name.
        #[label("这里不认识这个名称")]
        span: SourceSpan,
        /// It.
        name: String,
        /// Did-you-mean and what is available.
        #[help]
        help: String,
        /// The did-you-mean as a replacement of the labelled text, for an editor's fix.
        fix: Option<String>,
    },
    /// A parameter named like a built-in: formulas read the built-in, never the parameter.
    #[error("参数名{name}与内置名称重名")]
    #[diagnostic(code(jixiao::check::reserved_name))]
    ReservedName {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The parameter's name.
        #[label("{label}")]
        span: SourceSpan,
        /// The name, quoted.
        name: String,
        /// What the built-in is.
        label: String,
        /// Another name, and the built-ins.
        #[help]
        help: String,
    },
    /// An unknown function.
    #[error("未知函数「{name}」")]
    #[diagnostic(
        code(jixiao::check::unknown_function),
        help("可用的函数：min(a, b, ...)、max(a, b, ...){suggestion}")
    )]
    UnknownFunction {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The call's name.
        #[label("未知函数")]
        span: SourceSpan,
        /// It.
        name: String,
        /// `；是否想写 min？`
        suggestion: String,
        /// The did-you-mean as a replacement of the labelled text, for an editor's fix.
        fix: Option<String>,
    },
    /// Operands or a result of the wrong type.
    #[error("类型不符：{message}")]
    #[diagnostic(code(jixiao::check::type_mismatch))]
    TypeMismatch {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The offending expression.
        #[label("{label}")]
        span: SourceSpan,
        /// What is wrong.
        message: String,
        /// The label text.
        label: String,
        /// How to fix it.
        #[help]
        help: String,
    },
    /// A text compared with a value a built-in never has.
    #[error("「{name}」不会等于 {value}")]
    #[diagnostic(code(jixiao::check::unknown_value))]
    UnknownValue {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The literal.
        #[label("不可能的取值")]
        span: SourceSpan,
        /// The built-in.
        name: String,
        /// The literal as written.
        value: String,
        /// The possible values and a did-you-mean.
        #[help]
        help: String,
        /// The did-you-mean as a replacement of the labelled text, for an editor's fix.
        fix: Option<String>,
    },
    /// Something defined twice.
    #[error("重复定义{what}")]
    #[diagnostic(code(jixiao::check::duplicate), help("删除或合并其中一处"))]
    Duplicate {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The second definition.
        #[label("再次定义")]
        span: SourceSpan,
        /// The first, when it is in the same file.
        #[label("首次定义在这里")]
        first: Option<SourceSpan>,
        /// What (「名称」 or the item).
        what: String,
    },
    /// A required item is absent.
    #[error("规则缺少{what}")]
    #[diagnostic(code(jixiao::check::missing))]
    Missing {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// Where it belongs.
        #[label("{label}")]
        span: SourceSpan,
        /// What is missing.
        what: String,
        /// The label text.
        label: String,
        /// An example of what to write.
        #[help]
        help: String,
    },
    /// A clause that does not belong where it is.
    #[error("{message}")]
    #[diagnostic(code(jixiao::check::misplaced))]
    Misplaced {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The clause.
        #[label("不应出现在这里")]
        span: SourceSpan,
        /// What is wrong.
        message: String,
        /// Where it belongs.
        #[help]
        help: String,
    },
    /// `extends` names a base that cannot be found.
    #[error("找不到基础规则「{name}」")]
    #[diagnostic(code(jixiao::check::unknown_base))]
    UnknownBase {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The name.
        #[label("{reason}")]
        span: SourceSpan,
        /// The name as written.
        name: String,
        /// Why it could not be found.
        reason: String,
        /// The bundled names, a did-you-mean.
        #[help]
        help: String,
        /// The did-you-mean as a replacement of the labelled text, for an editor's fix.
        fix: Option<String>,
    },
    /// `extends` naming a path outside the extending file's folder: refused unread.
    #[error("不能继承本文件所在文件夹之外的规则文件「{name}」")]
    #[diagnostic(code(jixiao::check::extends_outside))]
    ExtendsOutside {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The path.
        #[label("{reason}")]
        span: SourceSpan,
        /// The path as written.
        name: String,
        /// How it leads outside.
        reason: String,
        /// What `extends` accepts.
        #[help]
        help: String,
    },
    /// Rule files that extend each other in a circle.
    #[error("规则文件循环继承：{chain}")]
    #[diagnostic(
        code(jixiao::check::extends_cycle),
        help("去掉其中一个 extends，让继承关系只朝一个方向")
    )]
    ExtendsCycle {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The `extends` that closes the circle.
        #[label("又回到了已在继承链中的文件")]
        span: SourceSpan,
        /// `a.rules → b.rules → a.rules`.
        chain: String,
    },
    /// An override of something the base does not have.
    #[error("基础规则中没有{what}")]
    #[diagnostic(code(jixiao::check::unknown_override))]
    UnknownOverride {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The name.
        #[label("覆盖的对象不存在")]
        span: SourceSpan,
        /// What.
        what: String,
        /// Did you mean.
        #[help]
        help: String,
        /// The did-you-mean as a replacement of the labelled text, for an editor's fix.
        fix: Option<String>,
    },
    /// An overriding parameter that reads a parameter defined after it.
    #[error("{message}")]
    #[diagnostic(
        code(jixiao::check::param_order),
        help("参数按定义顺序计算；覆盖的参数只能引用在它之前定义的参数")
    )]
    ParamOrder {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The reference.
        #[label("在此引用")]
        span: SourceSpan,
        /// What.
        message: String,
    },
    /// Two bands of one class share rates.
    #[error("档位「{a}」与「{b}」的区间重叠")]
    #[diagnostic(
        code(jixiao::check::band_overlap),
        help("相邻两档在交界处只能有一档含端点，例如 `[80%, 100%]` 与 `[50%, 80%)`")
    )]
    BandOverlap {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// One band's range (when in the same file as the other).
        #[label("「{a}」")]
        first: Option<SourceSpan>,
        /// The other's.
        #[label("「{b}」")]
        second: SourceSpan,
        /// Names.
        a: String,
        /// Names.
        b: String,
    },
    /// Rates between two bands belong to neither.
    #[error("档位「{a}」与「{b}」之间有空档：{gap}")]
    #[diagnostic(
        code(jixiao::check::band_gap),
        help("让相邻两档首尾相接，交界处恰好一档含端点，例如 `[50%, 80%)` 与 `[80%, 100%]`")
    )]
    BandGap {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// One band's range (when in the same file as the other).
        #[label("「{a}」")]
        first: Option<SourceSpan>,
        /// The other's.
        #[label("「{b}」")]
        second: SourceSpan,
        /// Names.
        a: String,
        /// Names.
        b: String,
        /// The rates no band holds.
        gap: String,
    },
    /// A band whose range is empty or outside 0–100%.
    #[error("档位「{name}」的区间无效：{message}")]
    #[diagnostic(
        code(jixiao::check::bad_band),
        help("得分率区间应在 0% 到 100% 之间，下限不大于上限，例如 `[50%, 80%)`")
    )]
    BadBand {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The range or default.
        #[label("这里")]
        span: SourceSpan,
        /// The band.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// Grade thresholds not in descending order, or the last band has a threshold.
    #[error("等级划分有误：{message}")]
    #[diagnostic(
        code(jixiao::check::grade_order),
        help(
            "从高到低书写，分数线逐级降低，最后一级不写分数线：`grade 优 >= 90, 良 >= 80, 中 >= 60, 差`"
        )
    )]
    GradeOrder {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The band.
        #[label("这一级")]
        span: SourceSpan,
        /// What is wrong.
        message: String,
    },
    /// The budget's points or the goals' total (`scale goals to`) computed below zero.
    #[error("{what}为 {value}，不能为负数{cause}")]
    #[diagnostic(code(jixiao::check::negative_weight))]
    NegativeWeight {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The expression.
        #[label("算得 {value}")]
        span: SourceSpan,
        /// 预算执行分值 or 目标分值合计.
        what: String,
        /// The value computed.
        value: String,
        /// `（由 --set budget_weight=150 得出）` when the settings made it negative.
        cause: String,
        /// How to fix it.
        #[help]
        help: String,
    },
    /// A constant expression that could not be computed (division by zero, overflow).
    #[error("无法计算常量：{message}")]
    #[diagnostic(
        code(jixiao::check::constant),
        help("参数、档位区间与等级分数线须能在读入规则时算出")
    )]
    Constant {
        /// The file.
        #[source_code]
        src: crate::source::Named,
        /// The expression.
        #[label("这里")]
        span: SourceSpan,
        /// What went wrong.
        message: String,
    },
    /// An error on a line of a base file, found while checking a file that extends it:
    /// shown as the error itself, its help saying so ([`Inherited`]).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Inherited(Box<Inherited>),
}

impl CheckError {
    /// The text that would fix the error, replacing its labelled span: the name (or the
    /// quoted value) that a did-you-mean suggests. An editor offers it as a quick fix.
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        match self {
            CheckError::UnknownName { fix, .. }
            | CheckError::UnknownFunction { fix, .. }
            | CheckError::UnknownValue { fix, .. }
            | CheckError::UnknownBase { fix, .. }
            | CheckError::UnknownOverride { fix, .. } => fix.as_deref(),
            CheckError::Inherited(i) => i.error.fix(),
            _ => None,
        }
    }
}

/// An error on a line of a base file (a band, a weight, a grade the constants' checks
/// found wrong), found while checking `overlay`, which extends it: the error as the base's
/// line shows it, with a help line that names the base and the overlay, and says whether
/// the overlay caused it (the base checked alone does not have it).
#[derive(Debug)]
pub struct Inherited {
    /// The error.
    pub error: CheckError,
    /// The base file the line is in.
    pub base: String,
    /// The file checked, which extends the base.
    pub overlay: String,
    /// `Some(true)`: the base alone does not have this error, the overlay caused it;
    /// `Some(false)`: the base has it too; `None`: not known (`--set` values applied).
    pub caused: Option<bool>,
}

impl Inherited {
    /// The help line about where the error comes from.
    fn note(&self) -> String {
        let (base, overlay) = (&self.base, &self.overlay);
        match self.caused {
            Some(true) => format!(
                "此行在基础规则 {base} 中，由覆盖文件 {overlay} 引起（单独检查 {base} 时没有这个错误）；请在 {overlay} 中修改"
            ),
            Some(false) => format!(
                "此行在基础规则 {base} 中，覆盖文件 {overlay} 继承了它（单独检查 {base} 时也有这个错误）"
            ),
            None => format!("此行在基础规则 {base} 中；检查的是覆盖文件 {overlay}"),
        }
    }
}

impl std::fmt::Display for Inherited {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Inherited {}

impl Diagnostic for Inherited {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.error.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.error.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(match self.error.help() {
            Some(h) => format!("{h}\n{}", self.note()),
            None => self.note(),
        }))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.error.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.error.labels()
    }
}

impl CheckError {
    /// The file the error's first label is in, if it has one.
    pub(crate) fn file(&self) -> Option<String> {
        let label = self.labels()?.next()?;
        let contents = self.source_code()?.read_span(label.inner(), 0, 0).ok()?;
        contents.name().map(str::to_owned)
    }

    /// What identifies the error in one file: its message and where its first label
    /// starts.
    pub(crate) fn key(&self) -> (String, Option<String>, usize) {
        (self.to_string(), self.file(), error_offset(self))
    }
}

/// Every problem found in one rule file, reported together: the first
/// [`MAX_DIAGNOSTICS`](crate::limits::MAX_DIAGNOSTICS) in file order, and how many more
/// there are.
#[derive(Debug, Error, Diagnostic)]
#[error("规则文件 {name} 有 {} 处错误", errors.len() + omitted)]
#[diagnostic(code(jixiao::check::invalid))]
pub struct CheckErrors {
    /// The rule file's name.
    pub name: String,
    /// The problems, in file order (the first ones, when there are many).
    #[related]
    pub errors: Vec<CheckError>,
    /// How many more problems the file has than `errors` holds.
    pub omitted: usize,
    /// What to do, and how many are not listed.
    #[help]
    help: String,
}

impl CheckErrors {
    /// The problems of the file `name`, in file order, the first
    /// [`MAX_DIAGNOSTICS`](crate::limits::MAX_DIAGNOSTICS) of them kept.
    #[must_use]
    pub fn new(name: impl Into<String>, mut errors: Vec<CheckError>) -> Self {
        errors.sort_by_cached_key(error_offset);
        let shown = crate::limits::MAX_DIAGNOSTICS;
        let omitted = errors.len().saturating_sub(shown);
        errors.truncate(shown);
        let help = if omitted == 0 {
            "逐条修正下列错误后再运行".to_owned()
        } else {
            format!("逐条修正下列错误后再运行；只列出了前 {shown} 处，另有 {omitted} 处未列出")
        };
        Self {
            name: name.into(),
            errors,
            omitted,
            help,
        }
    }
}

/// Where an error's first label begins: errors are listed in this order.
fn error_offset(e: &CheckError) -> usize {
    e.labels()
        .and_then(|mut l| l.next())
        .map_or(0, |l| l.offset())
}

/// A `--set NAME=VALUE` setting that cannot be applied.
#[derive(Debug, Error, Diagnostic)]
pub enum SetError {
    /// Not of the form `NAME=VALUE`, or not a number for a numeric parameter.
    #[error("无法理解设置「{text}」")]
    #[diagnostic(
        code(jixiao::set::malformed),
        help(
            "写成 名称=值：数值参数如 --set budget_weight=10 或 --set 满意度权重=80%，文字参数如 --set 本级=省级"
        )
    )]
    Malformed {
        /// The setting as given.
        text: String,
    },
    /// A parameter the rules do not declare.
    #[error("规则 {rules} 没有参数「{name}」")]
    #[diagnostic(code(jixiao::set::unknown_param))]
    UnknownParam {
        /// The rule set.
        rules: String,
        /// The name given.
        name: String,
        /// Did you mean, and the declared parameters.
        #[help]
        help: String,
    },
}

/// A rule file that cannot be used: either its syntax or its meaning is wrong.
#[derive(Debug, Error, Diagnostic)]
pub enum RulesError {
    /// Not valid syntax.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(#[from] crate::syntax::ParseError),
    /// Valid syntax, wrong meaning.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckErrors),
    /// A setting from the command line that does not fit the rules.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Set(#[from] SetError),
    /// A file of the rule set is larger than the limit.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Limit(#[from] crate::limits::LimitError),
}
