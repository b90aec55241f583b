//! The workbench's answers that are not a success, all JSON: `{"error": {code, message,
//! help}}` with a `jixiao::serve::*` code (403 token, Host, Origin, a path outside the
//! folder; 404; 405 another method; 409 stale or existing; 413 too large; 500 internal),
//! or, for rule text or a form that is wrong, `{"diagnostics": […]}` with 400.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use jixiao::Code;
use jixiao::service::Diagnostic;

/// The help of a request the page would not send.
const BAD_REQUEST_HELP: &str = "工作台页面发出的请求不完整；刷新页面后重试";

/// A refusal or a failure of one request.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// A refusal with its code.
    Refused {
        status: StatusCode,
        code: Code,
        message: String,
        help: String,
    },
    /// Rule text or a form that cannot be used: 400 with its diagnostics.
    Diagnostics(Vec<Diagnostic>),
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: Code,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        ApiError::Refused {
            status,
            code,
            message: message.into(),
            help: help.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            Code::ServeBadRequest,
            message,
            BAD_REQUEST_HELP,
        )
    }

    /// A known address asked with a method it does not take: 405, a bad request.
    pub(crate) fn not_allowed(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            Code::ServeBadRequest,
            message,
            BAD_REQUEST_HELP,
        )
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            Code::ServeNotFound,
            what,
            "检查文件是否已被移动或删除；刷新页面可重新列出工作文件夹中的文件",
        )
    }

    /// A body over its limit: 413, with the limit's own message and help (how to raise
    /// it with `JIXIAO_LIMITS`).
    pub(crate) fn too_large(e: &jixiao::LimitError) -> Self {
        use miette::Diagnostic as _;
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::ServeTooLarge,
            e.to_string(),
            e.help().map(|h| h.to_string()).unwrap_or_default(),
        )
    }

    pub(crate) fn internal(what: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Code::ServeInternal,
            what,
            "这是 jixiao 的缺陷，请把操作步骤报告给维护者；工作台仍在运行，其他操作不受影响",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Refused {
                status,
                code,
                message,
                help,
            } => (
                status,
                Json(json!({"error": {"code": code.as_str(), "message": message, "help": help}})),
            )
                .into_response(),
            ApiError::Diagnostics(diagnostics) => (
                StatusCode::BAD_REQUEST,
                Json(json!({ "diagnostics": diagnostics })),
            )
                .into_response(),
        }
    }
}
