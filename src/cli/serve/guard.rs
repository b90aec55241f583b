//! Who may ask: the token, the Host and Origin checks every request passes before any
//! handler runs, and the page and assets that the token's cookie opens.
//!
//! - Host must be `127.0.0.1:PORT` or `localhost:PORT`: a page of another site whose name
//!   was made to point at 127.0.0.1 (DNS rebinding) sends its own name there. 403
//!   `jixiao::serve::host`.
//! - Origin, when sent, must be `http://127.0.0.1:PORT` or `http://localhost:PORT`. 403
//!   `jixiao::serve::origin`.
//! - `/api/…` (everything but the page and its assets) needs `X-Jixiao-Token: T`; the
//!   cookie is not accepted there, so a form on another site cannot act with the user's
//!   cookie. `/` and `/assets/…` need the cookie
//!   `jixiao=T`, which `/?token=T` sets (HttpOnly, SameSite=Strict) before redirecting to
//!   `/`. 403 `jixiao::serve::token`. Tokens are compared in constant time.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use jixiao::Code;

use super::App;
use super::error::ApiError;
use super::web;

/// 32 hex digits from the operating system's randomness.
pub(super) fn new_token() -> String {
    let mut bytes = [0_u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No randomness from the OS is not something to serve without: a fixed token
        // would let any local page in. std's hasher keys are random per process.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `given` is the token, comparing every byte whatever differs first.
fn same(given: &str, token: &str) -> bool {
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn refused(code: Code, message: &str, help: &str) -> Response {
    ApiError::new(StatusCode::FORBIDDEN, code, message, help).into_response()
}

/// The value of the cookie `jixiao`, if sent.
fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("jixiao="))
}

/// Host, Origin and token, before any handler.
pub(super) async fn check(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let port = app.port;
    let host_ok = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h == format!("127.0.0.1:{port}") || h == format!("localhost:{port}"));
    if !host_ok {
        return refused(
            Code::ServeHost,
            "拒绝请求：请求的主机名不是本工作台的地址",
            &format!(
                "用 jixiao serve 打印的地址访问，即 http://127.0.0.1:{port}/ 或 http://localhost:{port}/"
            ),
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin.to_str().is_ok_and(|o| {
            o == format!("http://127.0.0.1:{port}") || o == format!("http://localhost:{port}")
        });
        if !ok {
            return refused(
                Code::ServeOrigin,
                "拒绝请求：请求来自其他网站",
                "工作台只接受它自己页面发出的请求；从 jixiao serve 打印的地址打开工作台",
            );
        }
    }
    let path = req.uri().path();
    // Only the page and its assets are opened with the cookie; everything else (the API,
    // and any address that matches nothing) needs the header, so that no spelling of a
    // path reaches an endpoint with the cookie alone.
    let page = path == "/" || path.starts_with("/assets/");
    if !page {
        let given = headers.get("x-jixiao-token").and_then(|v| v.to_str().ok());
        if !given.is_some_and(|t| same(t, &app.token)) {
            return refused(
                Code::ServeToken,
                "拒绝请求：缺少或不符的令牌",
                "从 jixiao serve 打印的地址（含 ?token=…）打开工作台；重新启动后令牌会改变，需用新地址",
            );
        }
    } else if !(path == "/" && token_param(req.uri().query()).is_some()) {
        // `/?token=T` is checked by `index`; everything else needs the cookie.
        if !cookie(headers).is_some_and(|c| same(c, &app.token)) {
            return refused(
                Code::ServeToken,
                "拒绝访问：缺少令牌",
                "从 jixiao serve 打印的地址（含 ?token=…）打开工作台；重新启动后令牌会改变，需用新地址",
            );
        }
    }
    next.run(req).await
}

/// The value of the query's `token` parameter, if it has one.
fn token_param(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `/?token=T`: the cookie and a redirect to `/`; `/` with the cookie: the page.
pub(super) async fn index(State(app): State<Arc<App>>, uri: axum::http::Uri) -> Response {
    // `check` let this request through without the cookie only when it carries a token
    // parameter, which must then be the token.
    if let Some(t) = token_param(uri.query()) {
        if !same(t, &app.token) {
            return refused(
                Code::ServeToken,
                "拒绝访问：令牌不符",
                "从 jixiao serve 最近一次打印的地址打开工作台；重新启动后令牌会改变",
            );
        }
        let cookie = format!("jixiao={}; HttpOnly; SameSite=Strict; Path=/", app.token);
        let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        return no_store(r);
    }
    no_store(
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            web::index(&app.token),
        )
            .into_response(),
    )
}

/// `/assets/NAME`.
pub(super) async fn asset(Path(name): Path<String>) -> Response {
    match web::asset(&name) {
        Some((text, kind)) => no_store(([(header::CONTENT_TYPE, kind)], text).into_response()),
        None => ApiError::not_found(format!("没有资源 {}", jixiao::text::escaped(&name, false)))
            .into_response(),
    }
}
