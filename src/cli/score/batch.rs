//! A batch of `jixiao score`: several forms, or a folder, scored in parallel (results
//! kept in input order) and reported as one document ranking them by computed total,
//! streamed so that only the ranking rows stay in memory (see [`score_batch`]).
//!
//! Input: the form files and the rules. Output: the report, written to `-o FILE` or
//! stdout; each form that fails has its diagnostic printed on stderr and is listed in
//! the report, and the others are still reported.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use rayon::prelude::*;

use jixiao::import::Weights;
use jixiao::report::export::{self, Failed, Format, Problem, Ranked, table};
use jixiao::report::json;

use super::{AllFailed, Rendered, ScoreArgs, emit};
use crate::cli::atomic::{Step, Temporary};
use crate::cli::table::draw;
use crate::cli::{Failure, write_error};

/// Batches longer than this show a progress bar (on a terminal).
const PROGRESS_FROM: usize = 20;

/// How many forms a batch scores in parallel before writing their sections, per thread.
/// The batch holds at most this many forms' sections at once (and no `Outcome` beyond
/// the one each thread is scoring).
const CHUNK_PER_THREAD: usize = 64;

/// What a batch keeps of a form once it is scored: its ranking row, and its section of
/// the report (for the formats that show every form).
struct Scored {
    row: Ranked,
    section: Section,
}

enum Section {
    None,
    /// Text to append, in input order.
    Text(String),
    /// The form's JSON object, rendered as an item of the batch's `forms`.
    Json(Vec<u8>),
    /// The form's xlsx sheet.
    Sheet(Box<export::xlsx::BatchSheet>),
}

/// How a batch ended: the report is written, with this many forms; these could not be
/// scored.
pub(super) struct BatchReport {
    pub(super) scored: usize,
    pub(super) failed_files: Vec<String>,
}

/// Scores a batch and writes its report, streaming: forms are scored in parallel, a
/// chunk at a time, and each form's section is written (in input order) as its chunk
/// completes; only the ranking rows stay in memory. Markdown and HTML put the ranking
/// first, so their sections wait in a temporary file until the ranking is known; JSON
/// puts the forms first and streams them straight to the output; xlsx holds every
/// form's sheet until the workbook is written (see BENCHMARKS.md for its memory).
pub(super) fn score_batch(
    rules: &jixiao::Rules,
    paths: &[PathBuf],
    format: Format,
    args: &ScoreArgs,
) -> Result<BatchReport, Failure> {
    // Only JSON shows how each score was reached.
    let options = jixiao::eval::Options {
        trace: format == Format::Json,
    };
    let mut sink = Sink::new(format, args.output.as_deref())?;
    let bar = progress_bar(paths.len());
    let chunk = CHUNK_PER_THREAD * rayon::current_num_threads().max(1);
    for part in paths.chunks(chunk) {
        let done: Vec<Result<Scored, Failure>> = part
            .par_iter()
            .map(|path| {
                let result = score_for_batch(rules, path, args.converted.weights, options, format);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                result
            })
            .collect();
        for (path, result) in part.iter().zip(done) {
            match result {
                Ok(scored) => sink.add(scored)?,
                Err(e) => {
                    let report = crate::cli::render_report(e.as_ref());
                    match &bar {
                        Some(bar) => bar.suspend(|| crate::cli::write_stderr(&report)),
                        None => crate::cli::write_stderr(&report),
                    }
                    sink.failed.push(failed_form(path, e.as_ref()));
                }
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = BatchReport {
        scored: sink.rows.len(),
        failed_files: sink.failed.iter().map(|f| f.file.clone()).collect(),
    };
    if sink.rows.is_empty() {
        return Err(Box::new(AllFailed {
            count: sink.failed.len(),
        }));
    }
    sink.finish(&jixiao::eval::RulesInfo::of(rules))?;
    Ok(report)
}

/// A progress bar on stderr for a long batch, when stderr is a terminal.
fn progress_bar(forms: usize) -> Option<indicatif::ProgressBar> {
    (forms > PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(u64::try_from(forms).unwrap_or(u64::MAX));
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("计分 {bar:40} {pos}/{len} 份表单 {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    })
}

/// Where a batch's report goes while its forms are scored: the ranking rows and failed
/// forms kept, each form's section written (or held, for xlsx) as it comes.
struct Sink<'a> {
    format: Format,
    output: Option<&'a Path>,
    rows: Vec<Ranked>,
    failed: Vec<Failed>,
    sheets: Vec<export::xlsx::BatchSheet>,
    /// Markdown's and HTML's sections, until the ranking that comes before them is known.
    spool: Option<Spool>,
    /// JSON's forms go straight to the output, opened at the first form that scores (so
    /// that a batch where every form fails writes nothing).
    json_out: Option<json::Object<Output>>,
}

impl<'a> Sink<'a> {
    fn new(format: Format, output: Option<&'a Path>) -> Result<Self, Failure> {
        // Beside the report when it is a file (the system's temporary folder may be too
        // small for a large batch), else in the system's temporary folder.
        let spool_dir = output
            .and_then(crate::cli::atomic::folder_for_temporaries)
            .unwrap_or_else(std::env::temp_dir);
        let spool = match format {
            Format::Md | Format::Html => Some(Spool::create(&spool_dir)?),
            _ => None,
        };
        Ok(Sink {
            format,
            output,
            rows: Vec::new(),
            failed: Vec::new(),
            sheets: Vec::new(),
            spool,
            json_out: None,
        })
    }

    /// Keeps a scored form's row, and writes (or holds) its section, in input order.
    fn add(&mut self, scored: Scored) -> Result<(), Failure> {
        self.rows.push(scored.row);
        match scored.section {
            Section::None => {}
            Section::Sheet(sheet) => self.sheets.push(*sheet),
            Section::Text(text) => {
                if let Some(spool) = &mut self.spool {
                    spool.write_all(text.as_bytes())?;
                }
            }
            Section::Json(item) => {
                let out = match &mut self.json_out {
                    Some(out) => out,
                    None => {
                        let mut out = json::Object::new(Output::open(self.output)?);
                        out.begin_array("forms")
                            .map_err(|e| out.get_ref().error(e))?;
                        self.json_out.insert(out)
                    }
                };
                out.item_rendered(&item)
                    .map_err(|e| out.get_ref().error(e))?;
            }
        }
        Ok(())
    }

    /// Ranks the forms and writes the report: whole, or what comes around the sections
    /// already written or spooled.
    fn finish(self, rules: &jixiao::eval::RulesInfo) -> Result<(), Failure> {
        let Sink {
            format,
            output,
            rows,
            failed,
            sheets,
            spool,
            json_out,
        } = self;
        let ranked = export::rank(rows);
        let text = |t: String| emit(Rendered::Text(t), output);
        match format {
            Format::Table => {
                let color = output.is_none() && crate::cli::color_stdout();
                text(summary_table(rules, &ranked, &failed, color))
            }
            Format::Csv => text(export::csv::ranking(&ranked, &failed)),
            Format::Xlsx => emit(
                Rendered::Bytes(
                    export::xlsx::batch(Some(rules), &ranked, &failed, sheets)
                        .map_err(|e| Box::new(e) as Failure)?,
                ),
                output,
            ),
            Format::Json => {
                let Some(mut out) = json_out else {
                    unreachable!("a form scored, so the JSON output is open")
                };
                json_tail(&mut out, &ranked, &failed).map_err(|e| out.get_ref().error(e))?;
                out.into_inner().finish()
            }
            Format::Md | Format::Html => {
                let Some(spool) = spool else {
                    unreachable!("Markdown and HTML sections are spooled")
                };
                let (head, tail) = if format == Format::Md {
                    (
                        export::markdown::batch_head(Some(rules), &ranked, &failed),
                        "",
                    )
                } else {
                    (
                        export::html::batch_head(Some(rules), &ranked, &failed),
                        export::html::batch_tail(),
                    )
                };
                let mut out = Output::open(output)?;
                out.write_bytes(head.as_bytes())?;
                spool.copy_to(&mut out)?;
                out.write_bytes(tail.as_bytes())?;
                out.finish()
            }
        }
    }
}

/// Reads and scores one form of a batch, and renders its section of the report.
fn score_for_batch(
    rules: &jixiao::Rules,
    path: &Path,
    weights: Weights,
    options: jixiao::eval::Options,
    format: Format,
) -> Result<Scored, Failure> {
    let form = crate::cli::input::load_form_file(path, weights)?;
    let mut outcome =
        jixiao::evaluate_with(rules, &form, options).map_err(|e| Box::new(e) as Failure)?;
    form.warn(&mut outcome);
    let section = match format {
        Format::Table | Format::Csv => Section::None,
        Format::Json => Section::Json(json::item(&outcome)),
        Format::Md => Section::Text(export::markdown::batch_form(&outcome)),
        Format::Html => Section::Text(export::html::batch_form(&outcome)),
        Format::Xlsx => {
            let sheet = export::xlsx::batch_sheet(&outcome).map_err(|e| Box::new(e) as Failure)?;
            Section::Sheet(Box::new(sheet))
        }
    };
    Ok(Scored {
        row: Ranked::unranked(&outcome),
        section,
    })
}

/// The end of a batch's JSON, after its `forms`: the ranking and the failed forms.
fn json_tail(
    out: &mut json::Object<impl std::io::Write>,
    ranked: &[Ranked],
    failed: &[Failed],
) -> std::io::Result<()> {
    out.end_array()?;
    out.field("summary", ranked)?;
    out.field("failed", failed)?;
    out.finish()
}

/// Where a streamed report goes: `-o FILE` (atomically: the file appears whole when the
/// report is complete) or stdout (a closed pipe ends the run, as for a report written at
/// once: [`crate::cli::stdout_error`]).
enum Output {
    File(PathBuf, crate::cli::atomic::AtomicFile),
    Stdout(std::io::BufWriter<std::io::Stdout>),
}

impl Output {
    fn open(path: Option<&Path>) -> Result<Output, Failure> {
        Ok(match path {
            Some(p) => Output::File(
                p.to_path_buf(),
                crate::cli::atomic::AtomicFile::create(p).map_err(|e| write_error(p, &e))?,
            ),
            None => Output::Stdout(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout(),
            )),
        })
    }

    fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.write_all(bytes).map_err(|e| self.error(e))
    }

    /// A failure to write, in the output's terms.
    fn error(&self, e: std::io::Error) -> Failure {
        match self {
            Output::File(path, _) => {
                write_error(path, &crate::cli::WriteFailure::Os(Step::Write, e))
            }
            Output::Stdout(_) => crate::cli::stdout_error(e),
        }
    }

    fn finish(self) -> Result<(), Failure> {
        match self {
            Output::File(path, f) => f.commit().map_err(|e| write_error(&path, &e)),
            Output::Stdout(mut w) => w.flush().map_err(crate::cli::stdout_error),
        }
    }
}

impl std::io::Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::File(_, f) => f.write(buf),
            Output::Stdout(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Output::File(_, f) => f.write_all(buf),
            Output::Stdout(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::File(_, f) => f.flush(),
            Output::Stdout(w) => w.flush(),
        }
    }
}

/// The sections of a Markdown or HTML batch, kept in a temporary file until the ranking
/// that comes before them is written. The file has no name where the system allows it
/// (see [`Temporary::anonymous`]), so that nothing is left behind however the run
/// ends.
struct Spool {
    dir: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    /// Where the file keeps its name until dropped (dropped after `file`).
    _name: Option<Temporary>,
}

impl Spool {
    fn create(dir: &Path) -> Result<Spool, Failure> {
        let (file, name) = Temporary::anonymous(dir).map_err(|e| write_error(dir, &e))?;
        Ok(Spool {
            dir: dir.to_path_buf(),
            file: std::io::BufWriter::with_capacity(1 << 16, file),
            _name: name,
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.file
            .write_all(bytes)
            .map_err(|e| write_error(&self.dir, &crate::cli::WriteFailure::Os(Step::Write, e)))
    }

    /// Copies everything written to `out`.
    fn copy_to(mut self, out: &mut Output) -> Result<(), Failure> {
        use std::io::{Read as _, Seek as _};
        let spool_error =
            |dir: &Path, e| write_error(dir, &crate::cli::WriteFailure::Os(Step::Write, e));
        self.file.flush().map_err(|e| spool_error(&self.dir, e))?;
        let file = self.file.get_mut();
        file.rewind().map_err(|e| spool_error(&self.dir, e))?;
        let mut buf = vec![0; 1 << 16];
        loop {
            let n = file.read(&mut buf).map_err(|e| spool_error(&self.dir, e))?;
            if n == 0 {
                return Ok(());
            }
            out.write_bytes(&buf[..n])?;
        }
    }
}

/// A failed form as the reports list it: its diagnostic's code and message, and the
/// problems it groups (their messages appended to its own, for people).
fn failed_form(path: &Path, diag: &dyn Diagnostic) -> Failed {
    let related = Problem::all_in(diag);
    let mut message = diag.to_string();
    if !related.is_empty() {
        let inner: Vec<&str> = related.iter().map(|p| p.message.as_str()).collect();
        message.push('：');
        message.push_str(&inner.join("；"));
    }
    Failed {
        file: path.display().to_string(),
        code: diag.code().map(|c| c.to_string()),
        message,
        related,
    }
}

/// The batch as a table: one row per form, ranked by computed total.
fn summary_table(
    rules: &jixiao::eval::RulesInfo,
    ranked: &[Ranked],
    failed: &[Failed],
    color: bool,
) -> String {
    let mut out = format!("绩效自评汇总：{} 份表单", ranked.len() + failed.len());
    let shown = |s: &str| jixiao::text::escaped(s, true).into_owned();
    let _ = write!(out, "（计分规则：{}）", shown(&rules.id));
    out.push('\n');
    let mut ranking = table::ranking(ranked, failed);
    // Names and grades come from the forms and the rules: made safe for a terminal.
    for cell in ranking.rows.iter_mut().flatten() {
        cell.text = shown(&cell.text);
    }
    out.push_str(&draw(&ranking, color));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao::Outcome;
    use serde::Serialize;

    #[test]
    fn a_streamed_batch_json_is_the_whole_batch_pretty_printed() {
        #[derive(Serialize)]
        struct Whole<'a> {
            forms: &'a [Outcome<'a>],
            summary: &'a [Ranked],
            failed: &'a [Failed],
        }
        let rules =
            jixiao::compile(&jixiao::bundled("hubei-2021").expect("bundled")).expect("compiles");
        let text = include_str!("../../../examples/tongcheng-2021.toml");
        let outcomes: Vec<Outcome> = ["a.toml", "b.toml"]
            .iter()
            .map(|name| {
                let form = jixiao::load_form(&jixiao::Source::new(*name, text)).expect("loads");
                jixiao::evaluate(&rules, &form)
                    .expect("scores")
                    .into_owned()
            })
            .collect();
        let ranked = export::ranking(&outcomes);
        let failed = vec![Failed {
            file: "c.toml".into(),
            code: Some("jixiao::form::invalid".into()),
            message: "表单 \"c.toml\" 有 1 处错误".into(),
            related: vec![Problem {
                code: None,
                message: "第一行\n第二行".into(),
            }],
        }];
        // as the batch writes it: each form rendered alone (in parallel), then in order
        let mut streamed = json::Object::new(Vec::new());
        streamed.begin_array("forms").expect("writes");
        for o in &outcomes {
            streamed.item_rendered(&json::item(o)).expect("writes");
        }
        json_tail(&mut streamed, &ranked, &failed).expect("writes");
        let streamed = String::from_utf8(streamed.into_inner()).expect("UTF-8");
        let whole = Whole {
            forms: &outcomes,
            summary: &ranked,
            failed: &failed,
        };
        assert_eq!(streamed, json::pretty(&whole));
    }
}
