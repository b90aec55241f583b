//! `jixiao serve [DIR]`: the workbench, a local web page where policy staff edit rules
//! and see every form's score move. This module starts it: it binds 127.0.0.1 (never
//! another address), prints the URL with a random token on stdout, and serves until
//! stopped. What the page asks is answered by the library's language service
//! ([`jixiao::service`]); here are only transport (axum on tokio), the folder on disk
//! ([`files`]), security ([`guard`]) and the embedded page ([`web`]).
//!
//! Security, in the order a request meets it: the Host header must name this server
//! (`127.0.0.1:PORT` or `localhost:PORT`: no DNS rebinding); an Origin header, if sent,
//! must be this server's (no cross-site requests); `/api/` needs the token in
//! `X-Jixiao-Token` (a cookie alone is refused, so no cross-site form can use it); the
//! page and its assets need the token's cookie, which `/?token=T` sets. docs/workbench.md
//! lists every refusal.

mod api;
mod error;
pub(crate) mod files;
mod guard;
mod web;
mod writes;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use miette::Diagnostic;
use thiserror::Error;

use super::Failure;

/// Start the workbench.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// 工作文件夹：其中（含子文件夹）的规则文件和表单；默认为当前文件夹
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// 端口；0 表示任选一个空闲端口
    #[arg(long, default_value_t = 8421)]
    port: u16,
    /// 启动后用浏览器打开工作台
    #[arg(long)]
    open: bool,
    /// 先打开的规则文件（相对于工作文件夹）或内置规则名；默认为文件夹中第一个 .rules 文件，没有则为 hubei-2021
    #[arg(long, short, value_name = "FILE|NAME")]
    rules: Option<String>,
    #[command(flatten)]
    converted: super::input::Converted,
}

/// The workbench could not start.
#[derive(Debug, Error, Diagnostic)]
enum StartError {
    #[error("无法打开工作文件夹 {dir}：{reason}")]
    #[diagnostic(code(jixiao::io::read), help("检查文件夹是否存在、是否可读"))]
    Folder { dir: String, reason: String },
    #[error("找不到 --rules 指定的规则 {name}")]
    #[diagnostic(
        code(jixiao::io::unknown_rules),
        help(
            "--rules 接受工作文件夹中的 .rules 文件（相对于工作文件夹或当前文件夹），或内置规则名：{names}"
        )
    )]
    FirstRules { name: String, names: String },
    #[error("无法在 127.0.0.1:{port} 上启动工作台：{reason}")]
    #[diagnostic(
        code(jixiao::serve::bind),
        help(
            "这个端口可能已被占用（另一个 jixiao serve？）；用 --port 换一个端口，或 --port 0 任选空闲端口"
        )
    )]
    Bind { port: u16, reason: String },
}

/// The environment variable of the test hook that holds reads ([`files::Folder::hold_after`]).
const HOLD: &str = "JIXIAO_SERVE_TEST_HOLD";

/// What every request can read.
pub(crate) struct App {
    pub(crate) folder: files::Folder,
    pub(crate) token: String,
    pub(crate) port: u16,
    /// The rule file the page opens first.
    pub(crate) first: String,
    /// The folder as the page names it ([`label`]).
    pub(crate) label: String,
    pub(crate) limits: jixiao::Limits,
    pub(crate) state: api::State,
}

pub(crate) fn run(args: &ServeArgs) -> Result<ExitCode, Failure> {
    let root = args.dir.canonicalize().map_err(|e| {
        Box::new(StartError::Folder {
            dir: args.dir.display().to_string(),
            reason: super::io_reason(&e),
        }) as Failure
    })?;
    if !root.is_dir() {
        return Err(Box::new(StartError::Folder {
            dir: args.dir.display().to_string(),
            reason: "这不是文件夹".to_owned(),
        }));
    }
    let limits = *super::limits();
    let mut folder = files::Folder::new(root, limits, args.converted.weights);
    // Tests only (files.rs): reads stop after N forms until the folder holds a file
    // `.jixiao-test-resume`, so that a test sees a read under way on any machine.
    if let Some(n) = std::env::var(HOLD).ok().and_then(|n| n.parse().ok()) {
        folder = folder.hold_after(n);
    }
    let label = label(&args.dir, &folder.root);
    let first = match &args.rules {
        Some(r) => first_rules(&folder, r)?,
        None => folder.list().0.into_iter().next().unwrap_or_else(|| {
            format!(
                "{}{}",
                jixiao::service::workspace::BUNDLED,
                jixiao::DEFAULT_RULES
            )
        }),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Box::new(StartError::Bind {
                port: args.port,
                reason: e.to_string(),
            }) as Failure
        })?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
            .await
            .map_err(|e| {
                Box::new(StartError::Bind {
                    port: args.port,
                    reason: super::io_reason(&e),
                }) as Failure
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| Box::new(StartError::Bind { port: args.port, reason: super::io_reason(&e) }) as Failure)?
            .port();
        let app = Arc::new(App {
            folder,
            token: guard::new_token(),
            port,
            first,
            label,
            limits,
            state: api::State::default(),
        });
        let url = format!("http://127.0.0.1:{port}/?token={}", app.token);
        super::write_stdout(&format!("{url}\n"))?;
        super::write_stderr(&format!(
            "绩效自评工作台已启动：工作文件夹 {}\n在浏览器中打开上面的地址（含一次性令牌，只在本机可用）；按 Ctrl-C 停止\n",
            jixiao::text::escaped(&args.dir.display().to_string(), false)
        ));
        // The folder's forms are read while the page opens (it opens on the rules, which
        // need none of them): the forms table shows them as they are read, and a request
        // that needs every form waits for this read rather than starting its own.
        app.folder.will_read();
        let warm = Arc::clone(&app);
        tokio::task::spawn_blocking(move || warm.folder.forms());
        if args.open {
            open_browser(&url);
        }
        axum::serve(listener, router(app))
            .await
            .map_err(|e| Box::new(StartError::Bind { port, reason: e.to_string() }) as Failure)?;
        Ok(ExitCode::SUCCESS)
    })
}

/// The folder as the page shows it: as the user named it when that is a plain relative
/// path (`examples`, `数据/2021`), else only the folder's own name: `.` and `..` say
/// nothing, and an absolute path (`/home/张三/…`) says more than the page needs (it shows
/// in screenshots and printouts).
fn label(dir: &std::path::Path, root: &std::path::Path) -> String {
    use std::path::Component;
    let mut parts = dir.components().peekable();
    let plain = parts.peek().is_some() && parts.all(|c| matches!(c, Component::Normal(_)));
    if plain {
        return dir.to_string_lossy().replace('\\', "/");
    }
    root.file_name().map_or_else(
        || root.to_string_lossy().into_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// `--rules R` as the page names it: a bundled name as `bundled:NAME`; a rule file inside
/// the folder, named relative to the folder or to the current folder, as its path in the
/// folder. Anything else is refused before the server starts.
fn first_rules(folder: &files::Folder, r: &str) -> Result<String, Failure> {
    let bundled = jixiao::service::workspace::BUNDLED;
    if let Some(name) = r.strip_prefix(bundled).or(Some(r)) {
        if jixiao::bundled(name).is_some() {
            return Ok(format!("{bundled}{name}"));
        }
    }
    let inside = |p: &std::path::Path| {
        p.canonicalize()
            .ok()
            .filter(|real| real.is_file())
            .and_then(|real| {
                real.strip_prefix(&folder.root)
                    .ok()
                    .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            })
    };
    inside(std::path::Path::new(r))
        .or_else(|| inside(&folder.root.join(r)))
        .filter(|rel| rel.ends_with(".rules"))
        .ok_or_else(|| {
            Box::new(StartError::FirstRules {
                name: r.to_owned(),
                names: jixiao::bundled_names().join("、"),
            }) as Failure
        })
}

/// Every route, behind the guard.
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(guard::index))
        .route("/assets/{name}", get(guard::asset))
        .route("/api/workspace", get(api::workspace))
        .route("/api/rules", get(api::get_rules).put(writes::put_rules))
        .route("/api/analyze", post(api::analyze))
        .route("/api/hover", post(api::hover))
        .route("/api/complete", post(api::complete))
        .route("/api/format", post(api::format))
        .route("/api/test", post(api::test))
        .route("/api/score", post(api::score))
        .route("/api/impact", post(api::impact))
        .route("/api/form", post(api::form))
        .route("/api/variant", post(writes::variant))
        .route("/api/import", post(writes::import))
        .route("/api/report", post(api::report))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            guard::check,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(app)
}

/// Opens `url` in the desktop's browser; a failure only says so (the URL is printed).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        super::write_stderr(&format!(
            "无法自动打开浏览器（{opener}）；请手动打开上面的地址\n"
        ));
    }
}
