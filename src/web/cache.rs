//! A cache of whole responses, valid for one index generation.
//!
//! An index generation never changes once it is in service, and every page and data file is
//! a function of the generation, the URL and the representation asked for (HTML or JSON, and
//! the content coding). So a response can be kept and served again, byte for byte, until
//! ingest puts a new generation in service; then the cache empties itself.
//!
//! The cache sits outside compression (it keeps the encoded bytes, so a popular page is
//! neither rendered nor compressed twice) and inside the panic guard. It keeps only `200 OK`
//! answers to plain `GET`s, each at most [`MAX_ENTRY_BYTES`], within a byte budget set by
//! `serve --cache-mb`; past the budget the least recently used entries go. Requests that ask
//! for revalidation (`If-None-Match`, answered by the ETag layer with a `304`) and byte
//! ranges pass it by, as do static assets (already in memory) and `/healthz`, and so does an
//! answer that varies by a header outside the key (the sitemap and robots.txt use `Host`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

/// The largest response kept.
pub const MAX_ENTRY_BYTES: usize = 1024 * 1024;
/// The longest URL kept (longer ones are rare and would only crowd the cache).
const MAX_KEY_BYTES: usize = 2048;

/// Responses by request, for one generation.
pub struct PageCache {
    budget: usize,
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Default)]
struct Inner {
    generation: String,
    entries: HashMap<String, Entry>,
    bytes: usize,
    clock: u64,
}

struct Entry {
    headers: HeaderMap,
    body: Bytes,
    last_used: u64,
}

impl PageCache {
    /// A cache holding at most `budget` bytes of responses; 0 turns it off.
    pub fn new(budget: usize) -> PageCache {
        PageCache {
            budget,
            inner: Mutex::new(Inner::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Whether it keeps anything at all.
    pub fn enabled(&self) -> bool {
        self.budget > 0
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.inner.lock().map_or(0, |inner| inner.bytes)
    }

    fn get(&self, generation: &str, key: &str) -> Option<(HeaderMap, Bytes)> {
        let mut inner = self.inner.lock().ok()?;
        if inner.generation != generation {
            inner.entries.clear();
            inner.bytes = 0;
            inner.generation = generation.to_string();
            return None;
        }
        inner.clock += 1;
        let clock = inner.clock;
        let entry = inner.entries.get_mut(key)?;
        entry.last_used = clock;
        Some((entry.headers.clone(), entry.body.clone()))
    }

    fn put(&self, generation: &str, key: String, headers: HeaderMap, body: Bytes) {
        let size = key.len() + body.len() + 512;
        if size > MAX_ENTRY_BYTES || size > self.budget / 4 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else { return };
        if inner.generation != generation {
            // Rendered on a generation that is no longer (or not yet) the cache's.
            return;
        }
        if inner.bytes + size > self.budget {
            inner.evict(self.budget * 3 / 4 - size.min(self.budget * 3 / 4));
        }
        inner.clock += 1;
        let last_used = inner.clock;
        if let Some(old) = inner.entries.insert(key.clone(), Entry { headers, body, last_used }) {
            inner.bytes -= key.len() + old.body.len() + 512;
        }
        inner.bytes += size;
    }
}

impl Inner {
    /// Drops the least recently used entries until at most `target` bytes are held.
    fn evict(&mut self, target: usize) {
        let mut ages: Vec<(u64, String)> =
            self.entries.iter().map(|(k, e)| (e.last_used, k.clone())).collect();
        ages.sort_unstable();
        for (_, key) in ages {
            if self.bytes <= target {
                break;
            }
            if let Some(entry) = self.entries.remove(&key) {
                self.bytes -= key.len() + entry.body.len() + 512;
            }
        }
    }
}

/// The cache key of a request, or `None` when it must not be cached.
fn key(request: &Request) -> Option<String> {
    if request.method() != Method::GET {
        return None;
    }
    let path = request.uri().path();
    if path.starts_with("/static/") || path == "/healthz" {
        return None;
    }
    let headers = request.headers();
    if headers.contains_key(header::IF_NONE_MATCH) || headers.contains_key(header::RANGE) {
        return None;
    }
    let encoding = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok());
    let json = super::handlers::wants_json(headers);
    let uri = request.uri().path_and_query().map_or(path, |p| p.as_str());
    let key = format!("{}|{}|{uri}", u8::from(json), encoding.unwrap_or(""));
    (key.len() <= MAX_KEY_BYTES).then_some(key)
}

/// Whether the response depends on no request header beyond those in the key (`Accept`,
/// `Accept-Encoding`): a page built from `Host` (the sitemap, robots.txt) says so in `Vary`
/// and is not kept.
fn varies_only_by_key(headers: &HeaderMap) -> bool {
    headers.get_all(header::VARY).iter().all(|value| {
        value.to_str().is_ok_and(|names| {
            names.split(',').map(str::trim).all(|name| {
                name.eq_ignore_ascii_case("accept-encoding") || name.eq_ignore_ascii_case("accept")
            })
        })
    })
}

/// The middleware: answers from the cache, or renders and keeps the answer.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = &state.cache;
    let key = if cache.enabled() { key(&request) } else { None };
    let Some(key) = key else { return next.run(request).await };
    let generation = state.archive.generation();
    if let Some((headers, body)) = cache.get(&generation, &key) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        return response;
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || !varies_only_by_key(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!("could not read a response body: {error}");
            parts.status = StatusCode::INTERNAL_SERVER_ERROR;
            return Response::from_parts(parts, Body::empty());
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::TRANSFER_ENCODING);
    cache.put(&generation, key, parts.headers.clone(), bytes.clone());
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "text/html".parse().unwrap());
        headers
    }

    #[test]
    fn keeps_and_serves_entries_of_the_current_generation() {
        let cache = PageCache::new(1 << 20);
        assert!(cache.get("gen-1", "k").is_none());
        cache.put("gen-1", "k".into(), headers(), Bytes::from_static(b"page"));
        let (h, body) = cache.get("gen-1", "k").expect("kept");
        assert_eq!(&body[..], b"page");
        assert_eq!(h[header::CONTENT_TYPE], "text/html");
    }

    #[test]
    fn a_new_generation_empties_it() {
        let cache = PageCache::new(1 << 20);
        cache.get("gen-1", "k");
        cache.put("gen-1", "k".into(), headers(), Bytes::from_static(b"page"));
        assert!(cache.get("gen-2", "k").is_none());
        assert_eq!(cache.bytes(), 0);
        // An answer rendered on the old generation is not kept under the new one.
        cache.put("gen-1", "k".into(), headers(), Bytes::from_static(b"page"));
        assert!(cache.get("gen-2", "k").is_none());
    }

    #[test]
    fn stays_within_its_budget_dropping_the_least_recently_used() {
        let cache = PageCache::new(64 * 1024);
        cache.get("g", "");
        let page = Bytes::from(vec![b'x'; 4000]);
        for i in 0..40 {
            cache.put("g", format!("k{i}"), headers(), page.clone());
            // k0 stays in use, so it is never the least recently used.
            assert!(cache.get("g", "k0").is_some(), "k0 evicted at {i}");
            assert!(cache.bytes() <= 64 * 1024);
        }
        assert!(cache.get("g", "k1").is_none(), "an old entry was evicted");
        assert!(cache.get("g", "k39").is_some(), "the newest is kept");
    }

    #[test]
    fn responses_that_vary_by_other_headers_are_not_kept() {
        let mut headers = headers();
        assert!(varies_only_by_key(&headers));
        headers.insert(header::VARY, "accept-encoding".parse().unwrap());
        headers.append(header::VARY, "Accept".parse().unwrap());
        assert!(varies_only_by_key(&headers));
        headers.append(header::VARY, "host, x-forwarded-proto".parse().unwrap());
        assert!(!varies_only_by_key(&headers));
    }

    #[test]
    fn a_zero_budget_keeps_nothing() {
        let cache = PageCache::new(0);
        assert!(!cache.enabled());
        cache.get("g", "k");
        cache.put("g", "k".into(), headers(), Bytes::from_static(b"page"));
        assert!(cache.get("g", "k").is_none());
    }
}
