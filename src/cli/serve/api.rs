//! The workbench's JSON endpoints that read (those that write are in [`super::writes`];
//! docs/workbench.md lists them all): each reads its request, calls the library's language service
//! ([`jixiao::service`]) on the blocking pool, and answers JSON. Work on many forms is
//! split across cores by the service ([`jixiao::service::split`]), so one slow re-scoring
//! neither blocks the next request nor the server; a panic in a handler becomes 500 `jixiao::serve::internal` and the
//! server keeps serving. Also the helpers both share: request bodies within their limits,
//! rule sets in requests, the blocking pool.

// The refusals carry their Chinese texts; returned once per request, not in a loop.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State as AppState};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use jixiao::report::diff::RulesRef;
use jixiao::service::workspace::{BUNDLED, Workspace};
use jixiao::service::{self, Diagnostic};
use jixiao::{Rules, Source};

use super::App;
use super::error::{ApiError, ApiResult};

/// What the server keeps between requests (beyond the forms, kept by the folder).
#[derive(Default)]
pub(crate) struct State {
    /// The last baseline scored: its key (the rules' canonical text, which holds the
    /// parameters' values, and the forms' generation) and every form's outcome.
    baseline: std::sync::Mutex<Option<(String, Outcomes)>>,
    /// One save at a time, so that two tabs saving one file cannot both pass the version
    /// check.
    pub(crate) saving: std::sync::Mutex<()>,
}

pub(super) type Shared = AppState<Arc<App>>;

type Outcomes = Arc<Vec<Result<jixiao::Outcome<'static>, Diagnostic>>>;

/// Runs `work` on the blocking pool; a panic there is a 500, not a dead server.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(ApiError::internal(if e.is_panic() {
            "处理请求时出现内部错误（程序缺陷），本次请求未完成".to_owned()
        } else {
            "处理请求时被中止".to_owned()
        })),
    }
}

pub(super) fn answer<T: serde::Serialize>(result: ApiResult<T>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The body of `req` as JSON of type `T`, refused past `limit` bytes (413).
pub(super) async fn body<T: DeserializeOwned>(
    req: Request,
    limit: usize,
    what: &str,
) -> ApiResult<T> {
    let bytes = raw_body(req, limit, what).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("请求的内容无法读取：{e}")))
}

/// The body's bytes, refused past `limit` (by its declared length first, then as read).
pub(super) async fn raw_body(
    req: Request,
    limit: usize,
    what: &str,
) -> ApiResult<axum::body::Bytes> {
    let too_large = |len: u64| {
        let limits = jixiao::Limits {
            form_bytes: limit,
            ..jixiao::Limits::default()
        };
        limits
            .check_form_bytes(what, len)
            .err()
            .map(|e| ApiError::too_large(&e))
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(e) = declared.and_then(too_large) {
        return Err(e);
    }
    axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| too_large(u64::MAX).unwrap_or_else(|| ApiError::bad_request("请求未完整送达")))
}

/// The largest JSON body carrying rule text: twice the rule file limit (escapes) and a
/// little more for the other fields.
pub(super) fn json_limit(app: &App) -> usize {
    app.limits
        .rule_bytes
        .saturating_mul(2)
        .saturating_add(1 << 20)
}

/// Refuses a rule text over the limit (413).
pub(super) fn check_text(app: &App, path: &str, text: &str) -> ApiResult<()> {
    app.limits
        .check_rule_bytes(path, text.len() as u64)
        .map_err(|e| ApiError::too_large(&e))
}

/// Where a rule file's text comes from: the page's (unsaved) text, else the file.
fn rules_source(app: &App, path: &str, text: Option<String>) -> ApiResult<Source> {
    let text = match text {
        Some(t) => {
            check_text(app, path, &t)?;
            t
        }
        None => match path.strip_prefix(BUNDLED) {
            Some(name) => jixiao::bundled(name)
                .ok_or_else(|| ApiError::not_found(format!("没有内置规则 {name}")))?
                .text()
                .to_owned(),
            None => app.folder.read_rules(path)?,
        },
    };
    if path.strip_prefix(BUNDLED).is_none() {
        app.folder.confine(path)?;
    }
    Ok(Source::new(path, text))
}

// ---------------------------------------------------------------------------------------
// GET /api/workspace

pub(super) async fn workspace(AppState(app): Shared) -> Response {
    answer(
        blocking(move || {
            let (rules, forms) = app.folder.list();
            let mut listed: Vec<Value> = rules
                .into_iter()
                .map(|p| json!({"path": p, "bundled": false}))
                .collect();
            listed.extend(
                jixiao::bundled_names()
                    .into_iter()
                    .map(|n| json!({"path": format!("{BUNDLED}{n}"), "bundled": true})),
            );
            let forms: Vec<Value> = forms
                .into_iter()
                .map(|f| json!({"path": f.path, "kind": f.kind}))
                .collect();
            // Where converted forms' weights come from (`--weights`): the import panel's
            // box starts so.
            let weights = app.folder.weights.key();
            Ok(json!({
                "dir": app.label,
                "rules": listed,
                "forms": forms,
                "first": app.first,
                "weights": weights,
            }))
        })
        .await,
    )
}

// ---------------------------------------------------------------------------------------
// GET /api/rules?path=P

#[derive(Deserialize)]
pub(super) struct PathQuery {
    path: String,
}

/// A file's version: its content's FNV-1a hash and length, in hex. It only has to tell
/// one content from another between two requests.
pub(super) fn version(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}-{:x}", bytes.len())
}

pub(super) async fn get_rules(
    AppState(app): Shared,
    query: Result<axum::extract::Query<PathQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(axum::extract::Query(q)) = query else {
        return ApiError::bad_request("请求缺少 path").into_response();
    };
    answer(
        blocking(move || {
            if let Some(name) = q.path.strip_prefix(BUNDLED) {
                let source = jixiao::bundled(name)
                    .ok_or_else(|| ApiError::not_found(format!("没有内置规则 {name}")))?;
                return Ok(json!({"path": q.path, "text": source.text(), "version": null, "read_only": true}));
            }
            app.folder.confine(&q.path)?;
            if !q.path.ends_with(".rules") {
                return Err(ApiError::bad_request("只能打开 .rules 规则文件"));
            }
            let bytes = app.folder.read(&q.path, super::files::Input::Rules)?;
            let text = app.folder.read_rules(&q.path)?;
            Ok(json!({"path": q.path, "text": text, "version": version(&bytes), "read_only": false}))
        })
        .await,
    )
}

// ---------------------------------------------------------------------------------------
// POST /api/analyze (with the editor's tokens), /api/format, /api/test

#[derive(Deserialize)]
struct TextRequest {
    path: String,
    text: String,
}

pub(super) async fn analyze(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: TextRequest = body(req, limit, "规则文字").await?;
            blocking(move || {
                let source = rules_source(&app, &r.path, Some(r.text))?;
                let resolver = Workspace::new(&app.folder);
                let (analysis, _) = service::analyze(&source, &resolver, &app.limits);
                // The editor's colours: the same tokens the language server gives.
                let tokens = service::tokens::tokens(&source, &resolver);
                let mut value = serde_json::to_value(analysis)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                value["tokens"] = json!(tokens);
                Ok(value)
            })
            .await
        }
        .await,
    )
}

pub(super) async fn format(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: TextRequest = body(req, limit, "规则文字").await?;
            blocking(move || {
                let source = rules_source(&app, &r.path, Some(r.text))?;
                let text = service::format(&source).map_err(ApiError::Diagnostics)?;
                Ok(json!({ "text": text }))
            })
            .await
        }
        .await,
    )
}

pub(super) async fn test(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: TextRequest = body(req, limit, "规则文字").await?;
            blocking(move || {
                let source = rules_source(&app, &r.path, Some(r.text))?;
                let resolver = Workspace::new(&app.folder);
                let rules = service::compile(&source, &resolver, &[], &app.limits)
                    .map_err(ApiError::Diagnostics)?;
                Ok(service::run_tests(&rules, &resolver))
            })
            .await
        }
        .await,
    )
}

// ---------------------------------------------------------------------------------------
// POST /api/hover, /api/complete: what the language server answers, for the page's editor

/// A rule text and a place in it (0-based line, UTF-16 character).
#[derive(Deserialize)]
struct AtRequest {
    path: String,
    text: String,
    line: u32,
    character: u32,
}

impl AtRequest {
    fn position(&self) -> service::position::Position {
        service::position::Position {
            line: self.line,
            character: self.character,
        }
    }
}

/// Answers a request about a place in a rule text with what `f` makes of the text (its
/// `extends` found in the folder) and the place, on the blocking pool.
async fn at_place<T: serde::Serialize + Send + 'static>(
    app: Arc<App>,
    req: Request,
    f: impl FnOnce(&App, &Source, &Workspace<'_>, service::position::Position) -> T + Send + 'static,
) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: AtRequest = body(req, limit, "规则文字").await?;
            blocking(move || {
                let at = r.position();
                let source = rules_source(&app, &r.path, Some(r.text))?;
                Ok(f(&app, &source, &Workspace::new(&app.folder), at))
            })
            .await
        }
        .await,
    )
}

pub(super) async fn hover(AppState(app): Shared, req: Request) -> Response {
    at_place(app, req, |app, source, resolver, at| {
        service::hover::hover(source, resolver, &app.limits, at)
    })
    .await
}

pub(super) async fn complete(AppState(app): Shared, req: Request) -> Response {
    at_place(app, req, |app, source, resolver, at| {
        let forms = || service::complete::FormWords::of_loaded(&app.folder.forms().0);
        service::complete::complete(source, resolver, at, forms)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Rule sets in requests, and POST /api/score

/// `{"path": P, "text": T|null, "set": {"name": "value"}}`.
#[derive(Deserialize)]
pub(super) struct Ruleset {
    pub(super) path: String,
    #[serde(default)]
    pub(super) text: Option<String>,
    #[serde(default)]
    pub(super) set: BTreeMap<String, Value>,
}

/// A ruleset's `set` as `NAME=VALUE` texts (a number or a string, e.g. `"80%"`).
pub(super) fn settings(r: &Ruleset) -> Vec<String> {
    r.set
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}={s}"),
            other => format!("{k}={other}"),
        })
        .collect()
}

/// Compiles a ruleset, its settings applied: the rules, or 400 with the diagnostics.
pub(super) fn compile(app: &App, r: &Ruleset) -> ApiResult<Rules> {
    let source = rules_source(app, &r.path, r.text.clone())?;
    let mut parsed = Vec::new();
    for s in settings(r) {
        match s.parse::<jixiao::Setting>() {
            Ok(s) => parsed.push(s),
            Err(e) => {
                return Err(ApiError::Diagnostics(service::convert(
                    &e,
                    &service::Texts::new(),
                    &r.path,
                )));
            }
        }
    }
    service::compile(&source, &Workspace::new(&app.folder), &parsed, &app.limits)
        .map_err(ApiError::Diagnostics)
}

#[derive(Deserialize)]
struct ScoreRequest {
    rules: Ruleset,
    /// `false`: answer at once with the forms read so far while the folder is being read
    /// (the page's table, filled as the forms arrive); else after every form is read.
    #[serde(default = "yes")]
    wait: bool,
    /// The rows the asker has: the first `from` of the forms of `generation`, under the
    /// same rules; when those are still the first forms, only the later ones are scored.
    #[serde(default)]
    from: usize,
    #[serde(default)]
    generation: Option<u64>,
    /// While the forms are being read, at most this many rows (the page's first page, so
    /// that it comes at once); ignored once every form is read.
    #[serde(default)]
    limit: Option<usize>,
}

fn yes() -> bool {
    true
}

/// The answer of `/api/score`: the rows of the forms from `from` on (all of them, or up
/// to the request's `limit` while they are being read), and how far the folder has been
/// read. `partial` answers are labeled as such: `read` of `total` forms.
#[derive(serde::Serialize)]
struct Scores {
    #[serde(flatten)]
    rows: service::scoring::Rows,
    /// The index of the first row sent: the request's `from` when its rows are still the
    /// first of these forms, else 0 (every row).
    from: usize,
    /// The forms are still being read: the rows are those of the first `read` forms only.
    partial: bool,
    read: usize,
    total: usize,
    /// The state of the forms these rows are of (give it back with `from`).
    generation: u64,
}

pub(super) async fn score(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: ScoreRequest = body(req, limit, "请求").await?;
            blocking(move || {
                let rules = compile(&app, &r.rules)?;
                let so_far = app.folder.so_far(r.wait);
                let from =
                    if r.generation == Some(so_far.generation) && r.from <= so_far.forms.len() {
                        r.from
                    } else {
                        0
                    };
                let to = match r.limit {
                    Some(limit) if so_far.partial => {
                        from.saturating_add(limit).min(so_far.forms.len())
                    }
                    _ => so_far.forms.len(),
                };
                Ok(Scores {
                    rows: service::scoring::score_rows(&rules, &so_far.forms[from..to]),
                    from,
                    partial: so_far.partial,
                    read: so_far.forms.len(),
                    total: so_far.total,
                    generation: so_far.generation,
                })
            })
            .await
        }
        .await,
    )
}

// ---------------------------------------------------------------------------------------
// POST /api/impact, /api/form

#[derive(Deserialize)]
struct ImpactRequest {
    baseline: Ruleset,
    variant: Ruleset,
}

pub(super) async fn impact(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app).saturating_mul(2);
    answer(
        async move {
            let r: ImpactRequest = body(req, limit, "请求").await?;
            blocking(move || {
                let old_rules = compile(&app, &r.baseline)?;
                let new_rules = compile(&app, &r.variant)?;
                let (forms, generation) = app.folder.forms();
                let key = format!("{generation}\n{}", old_rules.canonical());
                let cached = app
                    .state
                    .baseline
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .as_ref()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, o)| Arc::clone(o));
                let old = match cached {
                    Some(o) => o,
                    None => {
                        let o = Arc::new(service::impact::baseline(&old_rules, &forms));
                        *app.state
                            .baseline
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) =
                            Some((key, Arc::clone(&o)));
                        o
                    }
                };
                Ok(service::impact::compare(
                    RulesRef::new(&old_rules, &settings(&r.baseline)),
                    RulesRef::new(&new_rules, &settings(&r.variant)),
                    &new_rules,
                    &forms,
                    &old,
                ))
            })
            .await
        }
        .await,
    )
}

#[derive(Deserialize)]
struct FormRequest {
    path: String,
    rules: Ruleset,
}

pub(super) async fn form(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: FormRequest = body(req, limit, "请求").await?;
            blocking(move || {
                let rules = compile(&app, &r.rules)?;
                let form = app.folder.form(&r.path)?;
                let detail = service::detail::detail(&rules, &form)
                    .map_err(|d| ApiError::Diagnostics(vec![d]))?;
                serde_json::to_value(&detail)
                    .map_err(|e| ApiError::internal(format!("无法写出结果：{e}")))
            })
            .await
        }
        .await,
    )
}

// ---------------------------------------------------------------------------------------
// POST /api/report

#[derive(Deserialize)]
struct ReportRequest {
    kind: String,
    format: String,
    rules: Ruleset,
    #[serde(default)]
    baseline: Option<Ruleset>,
}

/// `attachment; filename*=UTF-8''…`: the name percent-encoded (RFC 5987), as every
/// browser reads it, with an ASCII fallback.
fn attachment(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    format!("attachment; filename=\"report.{ext}\"; filename*=UTF-8''{encoded}")
}

pub(super) async fn report(AppState(app): Shared, req: Request) -> Response {
    use service::report::{Format, ReportError, diff_report, score_report};
    let limit = json_limit(&app).saturating_mul(2);
    let result = async move {
        let r: ReportRequest = body(req, limit, "请求").await?;
        blocking(move || {
            let format = Format::named(&r.format)
                .ok_or_else(|| ApiError::bad_request("报告格式须为 html、xlsx、csv 或 md"))?;
            let rules = compile(&app, &r.rules)?;
            let (forms, _) = app.folder.forms();
            let (bytes, name) = match r.kind.as_str() {
                "score" => {
                    let scored =
                        service::split::each(&forms, |f| service::scoring::score(&rules, f, false));
                    let pairs: Vec<_> = forms
                        .iter()
                        .map(|f| f.path.as_str())
                        .zip(scored.iter())
                        .collect();
                    let info = jixiao::eval::RulesInfo::of(&rules);
                    (
                        score_report(format, &info, &pairs),
                        format!("计分报告-{}", rules.id()),
                    )
                }
                "diff" => {
                    let baseline = r
                        .baseline
                        .as_ref()
                        .ok_or_else(|| ApiError::bad_request("对比报告需要 baseline（原规则）"))?;
                    let old_rules = compile(&app, baseline)?;
                    let old = service::impact::baseline(&old_rules, &forms);
                    let (diffs, failed) = service::impact::diffs(&rules, &forms, &old);
                    let report = service::impact::report(
                        RulesRef::new(&old_rules, &settings(baseline)),
                        RulesRef::new(&rules, &settings(&r.rules)),
                        diffs,
                        failed,
                    );
                    (
                        diff_report(format, &report),
                        format!("对比报告-{}", rules.id()),
                    )
                }
                _ => return Err(ApiError::bad_request("报告种类须为 score 或 diff")),
            };
            let bytes = bytes.map_err(|e| match e {
                ReportError::Unsupported => ApiError::bad_request(
                    "这个版本的 jixiao 不能写 xlsx；请选 HTML、CSV 或 Markdown",
                ),
                ReportError::Xlsx(why) => ApiError::internal(format!("无法生成 xlsx 报告：{why}")),
            })?;
            Ok((bytes, format, format!("{name}.{}", format.extension())))
        })
        .await
    }
    .await;
    match result {
        Ok((bytes, format, name)) => (
            [
                (header::CONTENT_TYPE, format.content_type().to_owned()),
                (header::CONTENT_DISPOSITION, attachment(&name)),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// Anything else: 404 as JSON.
pub(super) async fn not_found(req: Request<Body>) -> Response {
    ApiError::not_found(format!(
        "没有这个地址：{}",
        jixiao::text::escaped(req.uri().path(), false)
    ))
    .into_response()
}

/// A known address asked with another method (`DELETE /api/rules`): 405 as JSON.
pub(super) async fn not_allowed(req: Request<Body>) -> Response {
    ApiError::not_allowed(format!(
        "地址 {} 不接受 {} 请求",
        jixiao::text::escaped(req.uri().path(), false),
        jixiao::text::escaped(req.method().as_str(), false)
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_answering_is_a_500_and_the_next_request_is_answered() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .expect("a runtime");
        let failed: ApiResult<()> = runtime.block_on(blocking(|| panic!("a defect")));
        match failed {
            Err(ApiError::Refused { status, code, .. }) => {
                assert_eq!(status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                assert_eq!(code, jixiao::Code::ServeInternal);
            }
            other => panic!("{other:?}"),
        }
        let next = runtime.block_on(blocking(|| Ok(2)));
        assert!(matches!(next, Ok(2)));
    }
}
