//! `govkg serve`: the built store over HTTP.
//!
//! - [`sparql`]: the SPARQL 1.1 Protocol at `/sparql`, with content negotiation.
//! - [`api`]: the stored queries as an API (`/queries`, `/queries/{name}`) and its OpenAPI 3
//!   document (`/openapi.json`).
//! - [`graph`]: `/export`, `/graph.dot`, `/graph.svg`.
//! - [`explore`]: the explorer's JSON routes (`/api/search`, `/api/entity`, `/api/graph`,
//!   `/api/map`).
//! - [`assets`]: the web explorer at `/`, embedded in the binary.
//!
//! Every evaluation runs on a blocking thread under a time limit: when it runs out the
//! request is answered with a JSON error and the query's `CancellationToken` is cancelled,
//! so Oxigraph stops evaluating. Errors are JSON: `{"error": "...", "parameter": "..."}`.
//!
//! The server follows the store: when a build makes a new generation live, requests that
//! start afterwards read it, those in flight finish on the one they started with, and the
//! old generation is removed once its last request is done.

mod api;
mod assets;
mod explore;
mod graph;
mod sparql;

use crate::output::dot::EntityGraph;
use crate::query::{self, StoredQuery};
use crate::store::{self, Generation, WriterLock};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError};
use oxigraph::store::Store;
use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Options of `govkg serve` (the store and queries folders come from the CLI's shared flags).
#[derive(clap::Args, Debug, Clone)]
pub struct Options {
    /// Address to listen on; loopback by default. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
    /// Time limit of one query or export, e.g. 10s, 500ms, 2m; evaluation is cancelled then.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Largest accepted request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Most rows returned for one SELECT; more are cut and the response has the header
    /// `Govkg-Truncated: true`.
    #[arg(long, default_value_t = 10_000)]
    pub max_rows: usize,
    /// Accept SPARQL Update at /sparql (opens the store for writing; off by default).
    #[arg(long)]
    pub allow_update: bool,
    /// Stored-query results kept in memory (the store is read-only, so they stay right;
    /// updates clear them). 0 turns the cache off.
    #[arg(long, default_value_t = 1024)]
    pub cache_entries: usize,
    /// Queries evaluated at once (0: one per CPU core); more wait their turn within --timeout.
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Library(#[from] crate::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Parses `10`, `10s`, `250ms`, `1.5s`, `2m` as a duration.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("expected a duration such as 10s or 500ms, got {s:?}"))?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        other => return Err(format!("unknown duration unit {other:?} (ms, s or m)")),
    };
    if !(secs.is_finite() && secs > 0.0) {
        return Err(format!("duration must be positive, got {s:?}"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// The store a server reads: a live generation it follows, or (with `--allow-update`) the
/// live generation opened for writing under the store's writer lock.
pub(crate) enum Backing {
    Generation(Generation),
    Updatable { store: Store, _lock: WriterLock },
}

/// One generation of the store and what was derived from it.
pub(crate) struct Live {
    backing: Backing,
    /// The generation's folder (to notice when `CURRENT` names another).
    pub path: std::path::PathBuf,
    /// The entity graph of `/graph.*`, read once (cleared by updates).
    pub graph: RwLock<Option<Arc<EntityGraph>>>,
    /// Exports already made, by format (cleared by updates).
    pub exports: RwLock<Vec<(crate::output::export::ExportFormat, axum::body::Bytes)>>,
    /// Stored-query results by query, bindings and format (cleared by updates).
    pub results: Mutex<HashMap<String, Arc<sparql::Serialized>>>,
}

impl Live {
    fn new(backing: Backing, path: std::path::PathBuf) -> Self {
        Self {
            backing,
            path,
            graph: RwLock::new(None),
            exports: RwLock::new(Vec::new()),
            results: Mutex::new(HashMap::new()),
        }
    }

    /// The Oxigraph store of this generation.
    pub fn store(&self) -> &Store {
        match &self.backing {
            Backing::Generation(g) => &g.store,
            Backing::Updatable { store, .. } => store,
        }
    }

    /// The entity graph, built on first use.
    pub fn entity_graph(&self) -> crate::Result<Arc<EntityGraph>> {
        if let Ok(guard) = self.graph.read() {
            if let Some(g) = guard.as_ref() {
                return Ok(g.clone());
            }
        }
        let g = Arc::new(crate::output::dot::entity_graph(self.store())?);
        if let Ok(mut guard) = self.graph.write() {
            *guard = Some(g.clone());
        }
        Ok(g)
    }

    /// Forgets what was derived from the store (after an update).
    pub fn forget_derived(&self) {
        if let Ok(mut guard) = self.graph.write() {
            *guard = None;
        }
        if let Ok(mut guard) = self.exports.write() {
            guard.clear();
        }
        if let Ok(mut guard) = self.results.lock() {
            guard.clear();
        }
    }

    /// A cached stored-query result.
    pub fn cached(&self, key: &str) -> Option<Arc<sparql::Serialized>> {
        self.results.lock().ok()?.get(key).cloned()
    }

    /// Keeps a stored-query result, at most `capacity` (the cache is emptied when full:
    /// simple and bounded).
    pub fn cache(&self, key: String, value: Arc<sparql::Serialized>, capacity: usize) {
        if capacity == 0 {
            return;
        }
        if let Ok(mut guard) = self.results.lock() {
            if guard.len() >= capacity {
                guard.clear();
            }
            guard.insert(key, value);
        }
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    /// The generation requests read now; swapped when a build makes another live.
    live: RwLock<Arc<Live>>,
    pub store_dir: std::path::PathBuf,
    pub catalogue: Vec<StoredQuery>,
    pub opts: Options,
    /// Evaluation slots: running many queries at once on few cores only slows them all.
    pub workers: Arc<Semaphore>,
}

pub(crate) type Shared = Arc<AppState>;

impl AppState {
    /// The stored query called `name`.
    pub fn stored(&self, name: &str) -> Option<&StoredQuery> {
        self.catalogue.iter().find(|q| q.name == name)
    }

    /// The generation a request that starts now reads.
    pub fn live(&self) -> Arc<Live> {
        match self.live.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Switches to the live generation if a build made another one live.
    fn follow(&self) -> crate::Result<bool> {
        if matches!(self.live().backing, Backing::Updatable { .. }) {
            return Ok(false);
        }
        let current = store::current_generation(&self.store_dir)?;
        if current.as_deref() == Some(self.live().path.as_path()) || current.is_none() {
            return Ok(false);
        }
        let generation = store::open(&self.store_dir)?;
        let path = generation.path.clone();
        let next = Arc::new(Live::new(Backing::Generation(generation), path));
        match self.live.write() {
            Ok(mut guard) => *guard = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        Ok(true)
    }
}

/// An HTTP error with a JSON body `{"error": ..., "parameter": ...}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub parameter: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            parameter: None,
        }
    }

    pub fn bad_parameter(parameter: &str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            parameter: Some(parameter.to_owned()),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Query(q) => q.into(),
            crate::Error::Output(o) => o.into(),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<query::QueryError> for ApiError {
    fn from(e: query::QueryError) -> Self {
        use query::QueryError as Q;
        let message = e.to_string();
        match e {
            Q::Parameter { name, .. } => Self::bad_parameter(&name, message),
            Q::UnknownQuery(_) => Self::new(StatusCode::NOT_FOUND, message),
            Q::Syntax { .. } | Q::TooComplex { .. } => Self::new(StatusCode::BAD_REQUEST, message),
            Q::Evaluation(q) => q.into(),
            Q::QueryFile { .. } => Self::internal(message),
        }
    }
}

impl From<crate::output::OutputError> for ApiError {
    fn from(e: crate::output::OutputError) -> Self {
        use crate::output::OutputError as O;
        match e {
            O::Query(q) => q.into(),
            O::UnknownEntity(_) => Self::new(StatusCode::NOT_FOUND, e.to_string()),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<QueryEvaluationError> for ApiError {
    fn from(e: QueryEvaluationError) -> Self {
        use QueryEvaluationError as Q;
        let message = format!("query evaluation failed: {e}");
        match e {
            Q::Cancelled => Self::new(StatusCode::SERVICE_UNAVAILABLE, "query was cancelled"),
            Q::UnsupportedService(_)
            | Q::UnboundService
            | Q::InvalidServiceName(_)
            | Q::NotExistingSubstitutedVariable(_) => Self::new(StatusCode::BAD_REQUEST, message),
            _ => Self::internal(message),
        }
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        Self::internal(format!("serialisation failed: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.message });
        if let Some(p) = self.parameter {
            body["parameter"] = serde_json::Value::String(p);
        }
        (self.status, Json(body)).into_response()
    }
}

/// Cancels its token when dropped: on time-out, and when the client goes away.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs `f` on a blocking thread within the time limit; past it, cancels `f`'s token.
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(CancellationToken) -> Result<T, ApiError> + Send + 'static,
{
    blocking_within(state, state.opts.timeout, f).await
}

/// Runs `f` on a blocking thread within `limit`; past it, cancels `f`'s token.
pub(crate) async fn blocking_within<T, F>(
    state: &AppState,
    limit: Duration,
    f: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(CancellationToken) -> Result<T, ApiError> + Send + 'static,
{
    let token = CancellationToken::new();
    let _guard = CancelOnDrop(token.clone());
    let workers = state.workers.clone();
    let run = async move {
        // The slot is held by the worker thread until it really stops.
        let slot = workers
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal("server is shutting down"))?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            f(token)
        })
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    };
    match tokio::time::timeout(limit, run).await {
        Ok(result) => result,
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("query timed out after {limit:?} and was cancelled (see --timeout)"),
        )),
    }
}

/// A response body with its media type.
pub(crate) fn bytes_response(media_type: &str, body: impl Into<axum::body::Body>) -> Response {
    let content_type = if media_type.starts_with("text/") && !media_type.contains("charset") {
        format!("{media_type}; charset=utf-8")
    } else {
        media_type.to_owned()
    };
    let mut response = body.into().into_response();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such route (see /openapi.json for the API)",
    )
}

/// The application's routes over `state`.
pub(crate) fn router(state: Shared) -> Router {
    let max_body = state.opts.max_body;
    Router::new()
        .route("/", get(assets::index))
        .route("/static/{file}", get(assets::file))
        .route("/sparql", get(sparql::get).post(sparql::post))
        .route("/queries", get(api::list))
        .route("/queries/{name}", get(api::run))
        .route("/openapi.json", get(api::openapi))
        .route("/export", get(graph::export))
        .route("/graph.dot", get(graph::dot))
        .route("/graph.svg", get(graph::svg))
        .route("/api/search", get(explore::search))
        .route("/api/entity", get(explore::entity))
        .route("/api/graph", get(explore::graph))
        .route("/api/map", get(explore::map))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Opens the live generation (for writing only with `--allow-update`).
fn open_live(dir: &Path, allow_update: bool) -> crate::Result<Live> {
    if !allow_update {
        let generation = store::open(dir)?;
        let path = generation.path.clone();
        return Ok(Live::new(Backing::Generation(generation), path));
    }
    let (store, lock) = store::open_for_update(dir)?;
    let path = store::current_generation(dir)?.unwrap_or_default();
    Ok(Live::new(Backing::Updatable { store, _lock: lock }, path))
}

/// How often the server looks for a new live generation.
const FOLLOW_EVERY: Duration = Duration::from_millis(500);

/// Serves the store until interrupted. Prints `listening on http://ADDR` once bound.
pub fn run(store_dir: &Path, queries_dir: Option<&Path>, opts: Options) -> Result<(), ServeError> {
    let live = open_live(store_dir, opts.allow_update)?;
    let catalogue = query::catalogue(queries_dir).map_err(crate::Error::from)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(query::guard::STACK_BYTES)
        .build()?;
    let result = runtime.block_on(async move {
        let addr = opts.bind;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let local = listener.local_addr()?;
        if !local.ip().is_loopback() {
            eprintln!("warning: listening on {local}, which other machines may reach");
        }
        if opts.allow_update {
            eprintln!("warning: SPARQL Update is enabled: requests can change the store");
        }
        let workers = match opts.workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let state = Arc::new(AppState {
            live: RwLock::new(Arc::new(live)),
            store_dir: store_dir.to_owned(),
            catalogue,
            opts,
            workers: Arc::new(Semaphore::new(workers)),
        });
        tokio::spawn(follow(state.clone()));
        let app = router(state);
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on http://{local}")?;
        stdout.flush()?;
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok(())
    });
    // A query that ignores its cancellation must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// Keeps the server on the live generation; a generation that cannot be opened is reported
/// and tried again at the next look.
async fn follow(state: Shared) {
    let mut tick = tokio::time::interval(FOLLOW_EVERY);
    loop {
        tick.tick().await;
        let st = state.clone();
        match tokio::task::spawn_blocking(move || st.follow()).await {
            Ok(Ok(true)) => eprintln!("serving the new generation {}", state.live().path.display()),
            Ok(Ok(false)) => {}
            Ok(Err(e)) => eprintln!("warning: cannot open the store's new generation: {e}"),
            Err(e) => eprintln!("warning: following the store failed: {e}"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5h").is_err());
    }
}
