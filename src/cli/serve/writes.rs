//! The endpoints that write into the served folder: saving a rule file (`PUT
//! /api/rules`), creating a variant (`POST /api/variant`) and importing an uploaded form
//! (`POST /api/import`). Each writes atomically (`cli/atomic.rs`), one at a time (so two
//! tabs cannot both pass a version check), and never over a file it was not told about:
//! a save must name the version it read (409 `jixiao::serve::stale` otherwise), a new
//! variant or import must not exist (409 `jixiao::serve::exists`); the content a save
//! replaces is kept as `P.bak`.

// The refusals carry their Chinese texts; returned once per request, not in a loop.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::extract::{Request, State as AppState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use jixiao::import::Weights;
use jixiao::service::workspace::BUNDLED;
use jixiao::service::{self, Diagnostic};

use super::App;
use super::api::{
    Ruleset, Shared, answer, blocking, body, check_text, compile, json_limit, raw_body, version,
};
use super::error::{ApiError, ApiResult};

// ---------------------------------------------------------------------------------------
// PUT /api/rules, POST /api/variant

/// Writes `bytes` to `path` atomically (`cli/atomic.rs`): readers see the old file or
/// the new one, never half of one.
fn write(path: &std::path::Path, rel: &str, bytes: &[u8]) -> ApiResult<()> {
    crate::cli::write_atomic(path, bytes).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            jixiao::Code::IoWrite,
            format!(
                "无法写入 {}：{}",
                jixiao::text::escaped(rel, false),
                e.reason()
            ),
            "检查文件夹是否可写、磁盘是否已满；原有文件未被改动",
        )
    })
}

fn stale(rel: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        jixiao::Code::ServeStale,
        format!(
            "文件已在别处修改：{} 在你打开之后被改动过（另一个标签页或编辑器），未保存",
            jixiao::text::escaped(rel, false)
        ),
        "复制你的修改，重新打开文件后再合并保存；或另存为变体",
    )
}

fn exists(rel: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        jixiao::Code::ServeExists,
        format!("{} 已存在，未覆盖", jixiao::text::escaped(rel, false)),
        "换一个文件名",
    )
}

/// A path a rule file may be written to: `.rules`, inside the folder, not bundled.
fn writable_rules(app: &App, rel: &str) -> ApiResult<std::path::PathBuf> {
    if rel.starts_with(BUNDLED) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            jixiao::Code::ServeReadOnly,
            format!("内置规则 {} 是只读的", jixiao::text::escaped(rel, false)),
            "用「另存为变体」在工作文件夹中新建一个继承它的规则文件，在那里修改",
        ));
    }
    if !rel.ends_with(".rules") {
        return Err(ApiError::bad_request("规则文件名须以 .rules 结尾"));
    }
    app.folder.confine(rel)
}

#[derive(Deserialize)]
struct SaveRequest {
    path: String,
    text: String,
    version: Option<String>,
}

pub(super) async fn put_rules(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: SaveRequest = body(req, limit, "规则文字").await?;
            blocking(move || {
                check_text(&app, &r.path, &r.text)?;
                let path = writable_rules(&app, &r.path)?;
                let _one = app
                    .state
                    .saving
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let current = match std::fs::read(&path) {
                    Ok(bytes) => Some(bytes),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => {
                        return Err(ApiError::not_found(format!(
                            "无法读取 {}：{}",
                            jixiao::text::escaped(&r.path, false),
                            crate::cli::io_reason(&e)
                        )));
                    }
                };
                if current.as_deref().map(version) != r.version {
                    return Err(stale(&r.path));
                }
                if let Some(old) = &current {
                    let mut bak = path.clone().into_os_string();
                    bak.push(".bak");
                    write(std::path::Path::new(&bak), &format!("{}.bak", r.path), old)?;
                }
                write(&path, &r.path, r.text.as_bytes())?;
                Ok(json!({ "version": version(r.text.as_bytes()) }))
            })
            .await
        }
        .await,
    )
}

#[derive(Deserialize)]
struct VariantRequest {
    base: String,
    path: String,
}

/// `base` as `extends` names it from `path`: a bundled name as it is, a file relative to
/// `path`'s folder.
fn extends_name(base: &str, path: &str) -> String {
    if let Some(name) = base.strip_prefix(BUNDLED) {
        return name.to_owned();
    }
    let from: Vec<&str> = path.split('/').collect();
    let to: Vec<&str> = base.split('/').collect();
    let from_dir = &from[..from.len() - 1];
    let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// A string literal of the rule language: `"` and `\` escaped.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub(super) async fn variant(AppState(app): Shared, req: Request) -> Response {
    let limit = json_limit(&app);
    answer(
        async move {
            let r: VariantRequest = body(req, limit, "请求").await?;
            blocking(move || {
                let path = writable_rules(&app, &r.path)?;
                if !r.base.starts_with(BUNDLED) {
                    app.folder.confine(&r.base)?;
                }
                let id = r
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap_or(&r.path)
                    .trim_end_matches(".rules");
                let text = format!(
                    "# 变体：继承 {base} 的全部规则，只写与它不同的部分（参数、类别、等级……）\nrules {id} {title}\nextends {ext}\n",
                    base = r.base,
                    id = quoted(id),
                    title = quoted(&format!("{id}（{} 的变体）", r.base)),
                    ext = quoted(&extends_name(&r.base, &r.path)),
                );
                let _one = app
                    .state
                    .saving
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if std::fs::symlink_metadata(&path).is_ok() {
                    return Err(exists(&r.path));
                }
                write(&path, &r.path, text.as_bytes())?;
                Ok(json!({"path": r.path, "text": text, "version": version(text.as_bytes())}))
            })
            .await
        }
        .await,
    )
}

// ---------------------------------------------------------------------------------------
// POST /api/import?name=a.xlsx[&save=1][&weights=reported], /api/report

#[derive(Deserialize)]
pub(super) struct ImportQuery {
    name: String,
    #[serde(default)]
    save: Option<String>,
    /// A rule file or `bundled:NAME` to score the converted form with (not saved yet).
    #[serde(default)]
    rules: Option<String>,
    /// `reported`: indicators without a weight take their reported score as it, as
    /// `jixiao import --weights reported` does; `given`: every weight must be in the file.
    /// Without it, as the folder's forms are read (`jixiao serve --weights`).
    #[serde(default)]
    weights: Option<String>,
}

impl ImportQuery {
    /// Where the weights come from; a word other than `given` or `reported` is refused.
    fn weights(&self, folder: Weights) -> ApiResult<Weights> {
        let Some(key) = self.weights.as_deref() else {
            return Ok(folder);
        };
        Weights::from_key(key).ok_or_else(|| {
            let keys: Vec<&str> = Weights::ALL.iter().map(|w| w.key()).collect();
            ApiError::bad_request(format!(
                "weights 只能是 {}，实际是「{}」",
                keys.join(" 或 "),
                jixiao::text::escaped(key, false)
            ))
        })
    }
}

/// The TOML path an imported file is saved as: its name with `.toml`.
fn toml_path(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() && !stem.ends_with('/') => format!("{stem}.toml"),
        _ => format!("{name}.toml"),
    }
}

pub(super) async fn import(
    AppState(app): Shared,
    query: Result<axum::extract::Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    req: Request,
) -> Response {
    let Ok(axum::extract::Query(q)) = query else {
        return ApiError::bad_request("请求缺少文件名 name").into_response();
    };
    let limit = app.limits.form_bytes;
    answer(
        async move {
            let weights = q.weights(app.folder.weights)?;
            let bytes = raw_body(req, limit, &q.name).await?;
            blocking(move || {
                let save = q.save.as_deref().is_some_and(|s| s == "1" || s == "true");
                // The name is checked as a path even when nothing is saved: it is shown.
                let target = toml_path(&q.name);
                let path = app.folder.confine(&target)?;
                let imported = service::scoring::import(&q.name, &bytes, weights, &app.limits)
                    .map_err(ApiError::Diagnostics)?;
                let warnings: Vec<Diagnostic> = imported
                    .warnings
                    .iter()
                    .flat_map(|w| service::convert(w, &service::Texts::new(), &q.name))
                    .collect();
                let row = match &q.rules {
                    None => None,
                    Some(path) => {
                        let rules = compile(
                            &app,
                            &Ruleset {
                                path: path.clone(),
                                text: None,
                                set: BTreeMap::new(),
                            },
                        )?;
                        let mut form = service::scoring::load(
                            &target,
                            imported.toml.as_bytes(),
                            weights,
                            &app.limits,
                        );
                        form.warnings = imported
                            .warnings
                            .iter()
                            .map(jixiao::import::ImportWarning::to_outcome_warning)
                            .collect();
                        let scored = service::scoring::score(&rules, &form, false);
                        Some(service::scoring::FormRow::of(&target, &scored))
                    }
                };
                let saved = if save {
                    let _one = app
                        .state
                        .saving
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if std::fs::symlink_metadata(&path).is_ok() {
                        return Err(exists(&target));
                    }
                    write(&path, &target, imported.toml.as_bytes())?;
                    Some(target)
                } else {
                    None
                };
                Ok(json!({"toml": imported.toml, "warnings": warnings, "path": saved, "row": row}))
            })
            .await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_names_its_base_relative_to_itself() {
        assert_eq!(
            extends_name("rules/base.rules", "v.rules"),
            "rules/base.rules"
        );
        assert_eq!(
            extends_name("rules/base.rules", "rules/v.rules"),
            "base.rules"
        );
        assert_eq!(
            extends_name("a/b/base.rules", "a/c/d/v.rules"),
            "../../b/base.rules"
        );
        assert_eq!(
            extends_name("bundled:hubei-2021", "x/v.rules"),
            "hubei-2021"
        );
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }

    #[test]
    fn versions_tell_contents_apart() {
        assert_eq!(version(b""), "cbf29ce484222325-0");
        assert_ne!(version(b"ab"), version(b"ba"));
    }
}
