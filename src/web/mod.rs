//! The web site: server-rendered HTML that works without JavaScript, a JSON twin of every
//! page, CSV, Atom feeds and the small files crawlers and browsers ask for.
//!
//! [`router`] is the only way the app is built: `serve` calls it, and so does every test.
//! Every route is in the table at the top of [`router`]. Handlers (in [`handlers`], [`data`]
//! and [`feeds`]) take [`AppState`], call the index, build a view model ([`views`]) and
//! return it; errors are [`AppError`]s, which render the site's own error pages.
//!
//! Around every response: a cache of whole responses for the generation in service
//! ([`cache`]), compression, security headers (a Content-Security-Policy without
//! `unsafe-inline`, `nosniff`, a referrer policy, `frame-ancestors 'none'`), an ETag keyed to
//! the index generation (so an unchanged archive answers `304`), bounded concurrency and a
//! request body limit. [`server`] serves it: connections, their timeouts and their cap, and the
//! request timeout.

pub mod assets;
pub mod cache;
pub mod data;
pub mod error;
pub mod feeds;
pub mod handlers;
pub mod params;
pub mod server;
pub mod views;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceBuilder;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use error::AppError;

use crate::extract::Gazetteer;
use crate::index::Archive;

/// Requests served at once; more wait their turn.
const MAX_CONCURRENT_REQUESTS: usize = 256;
/// The largest request body accepted (the site takes no uploads).
const MAX_BODY_BYTES: usize = 16 * 1024;
/// How often the server looks for a new index generation.
const RELOAD_INTERVAL: Duration = Duration::from_secs(1);

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The index.
    pub archive: Archive,
    /// The local areas.
    pub gazetteer: &'static Gazetteer,
    /// Whole responses of the generation in service.
    pub cache: Arc<cache::PageCache>,
}

/// The response cache's budget unless `serve --cache-mb` says otherwise.
pub const DEFAULT_CACHE_BYTES: usize = 8 * 1024 * 1024;

impl AppState {
    /// State over an opened archive, with the default response cache.
    pub fn new(archive: Archive) -> AppState {
        AppState::with_cache(archive, DEFAULT_CACHE_BYTES)
    }

    /// State over an opened archive with a response cache of `cache_bytes` (0 for none).
    pub fn with_cache(archive: Archive, cache_bytes: usize) -> AppState {
        AppState {
            archive,
            gazetteer: Gazetteer::builtin(),
            cache: Arc::new(cache::PageCache::new(cache_bytes)),
        }
    }
}

/// Builds the application: every route, and the layers around them.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        // Pages, each with a JSON twin under /api.
        .route("/", get(handlers::home))
        .route("/search", get(handlers::search))
        .route("/search/help", get(handlers::help))
        .route("/areas", get(handlers::areas))
        .route("/areas/uninspected", get(handlers::uninspected))
        .route("/areas/{slug}", get(handlers::area))
        .route("/articles/{slug}", get(handlers::article))
        .route("/themes", get(handlers::themes))
        .route("/themes/{id}", get(handlers::theme))
        .route("/quotes", get(handlers::quotes))
        .route("/data", get(handlers::data_page))
        .route("/api", get(data::api_index))
        .route("/api/search", get(data::search_json))
        .route("/api/areas", get(data::areas_json))
        .route("/api/areas/{slug}", get(data::area_json))
        .route("/api/articles/{slug}", get(data::article_json))
        .route("/api/themes", get(data::themes_json))
        .route("/api/themes/{id}", get(data::theme_json))
        .route("/api/quotes", get(data::quotes_json))
        .route("/api/inspections", get(data::inspections_json))
        // Open data and feeds.
        .route("/data/inspections.csv", get(data::inspections_csv))
        .route("/api/register", get(data::register_json))
        .route("/data/register.csv", get(data::register_csv))
        .route("/data/articles.csv", get(data::articles_csv))
        .route("/feed.xml", get(feeds::feed))
        .route("/areas/{slug}/feed.xml", get(feeds::area_feed))
        .route("/themes/{id}/feed.xml", get(feeds::theme_feed))
        .route("/search/feed.xml", get(feeds::search_feed))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/opensearch.xml", get(feeds::opensearch))
        .route("/healthz", get(handlers::healthz))
        .route("/static/{file}", get(handlers::static_file))
        .fallback(handlers::not_found)
        .with_state(state.clone());

    routes.layer(
        ServiceBuilder::new()
            .layer(CatchPanicLayer::new())
            .layer(middleware::from_fn_with_state(state.clone(), cache::layer))
            .layer(ConcurrencyLimitLayer::new(MAX_CONCURRENT_REQUESTS))
            .layer(CompressionLayer::new())
            .layer(middleware::from_fn(security_headers))
            .layer(middleware::from_fn_with_state(state, etag))
            .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES)),
    )
}

/// The Content-Security-Policy: everything from this site only, no inline script or style.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
                   form-action 'self'; frame-ancestors 'none'";

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    response
}

/// ETags on pages and data, keyed to the index generation, this build and the
/// representation: while none changes, every page is the same, so `If-None-Match` can be
/// answered without rendering. A URL that answers HTML or JSON by the `Accept` header has a
/// tag for each and says `Vary: Accept`, so that no cache hands one to a client asking for
/// the other.
async fn etag(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cacheable = request.method() == Method::GET
        && !request.uri().path().starts_with("/static/")
        && request.uri().path() != "/healthz";
    if !cacheable {
        return next.run(request).await;
    }
    let representation = if handlers::wants_json(request.headers()) { "json" } else { "html" };
    let tag = format!(
        "W/\"{}-{}-{representation}\"",
        state.archive.generation(),
        env!("CARGO_PKG_VERSION")
    );
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        if let Ok(value) = HeaderValue::from_str(&tag) {
            response.headers_mut().insert(header::ETAG, value);
        }
        response.headers_mut().append(header::VARY, HeaderValue::from_static("accept"));
        return response;
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK
        && let Ok(value) = HeaderValue::from_str(&tag)
    {
        response.headers_mut().insert(header::ETAG, value);
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("public, max-age=0, must-revalidate"));
        response.headers_mut().append(header::VARY, HeaderValue::from_static("accept"));
    }
    response
}

/// Runs the server until Ctrl-C or SIGTERM, within `limits` (see [`server`]), following new
/// index generations as ingest makes them.
pub async fn serve(
    archive: Archive,
    addr: SocketAddr,
    cache_bytes: usize,
    limits: server::Limits,
) -> Result<()> {
    let state = AppState::with_cache(archive.clone(), cache_bytes);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let local = listener.local_addr()?;
    println!(
        "The SEND Inspection Archive is at http://{local}/ ({} articles). Ctrl-C stops it.",
        archive.len()
    );
    tracing::info!(%local, generation = %archive.generation(), "serving");

    let reloader = tokio::spawn(follow_generations(archive));
    server::run(listener, router(state), limits, shutdown_signal()).await;
    reloader.abort();
    println!("Stopped.");
    Ok(())
}

/// Polls `CURRENT` and reopens the archive when ingest switches generations. Requests in
/// flight finish on the generation they started with.
async fn follow_generations(archive: Archive) {
    let archive = Arc::new(archive);
    loop {
        tokio::time::sleep(RELOAD_INTERVAL).await;
        let archive = Arc::clone(&archive);
        match tokio::task::spawn_blocking(move || archive.refresh()).await {
            Ok(Ok(true)) => tracing::info!("a new index generation is in service"),
            Ok(Ok(false)) => {}
            Ok(Err(error)) => tracing::warn!("could not open the new index yet: {error:#}"),
            Err(error) => tracing::warn!("index reload task failed: {error}"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// A response for a static asset.
pub(crate) fn asset_response(asset: &assets::Asset) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.bytes,
    )
        .into_response()
}
