//! Where a search page's time goes, single-threaded, with no HTTP and no response cache:
//! `INDEX=target/bench/web-10000/index cargo bench --bench search`.
//!
//! For each query in `QUERIES` (default `../shared/bench/peers/queries.txt`, the peers'
//! list), it times the search alone (`Archive::search`: ranking, counts, facets, records and
//! snippets), the same without hits (counts and facets only), and the whole `/search` page
//! through the router with the response cache off. Prints mean microseconds per request.
//! `PER_QUERY=1` adds a line per query. Run `bench/web.sh` (or `bench/ingest.sh` and an
//! ingest) first to build the index.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use send_archive::index::{Archive, SearchRequest};
use send_archive::web::{AppState, router};
use tower::ServiceExt;

const ROUNDS: usize = 20;

// The server's allocator (see `src/main.rs`), so that allocation costs here what it costs
// there.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let index = PathBuf::from(
        std::env::var("INDEX").unwrap_or_else(|_| "target/bench/web-10000/index".into()),
    );
    let queries_file =
        std::env::var("QUERIES").unwrap_or_else(|_| "../shared/bench/peers/queries.txt".into());
    let archive = match Archive::open(&index) {
        Ok(archive) => archive,
        Err(e) => {
            eprintln!("search bench: {e:#} (run bench/web.sh first, or set INDEX)");
            return;
        }
    };
    let queries: Vec<String> = match std::fs::read_to_string(&queries_file) {
        Ok(text) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect(),
        Err(e) => {
            eprintln!("search bench: cannot read {queries_file}: {e} (set QUERIES)");
            return;
        }
    };
    let request = |q: &str, limit: usize| SearchRequest {
        query: q.to_string(),
        limit,
        ..SearchRequest::default()
    };
    let time = |limit: usize| {
        let started = Instant::now();
        for _ in 0..ROUNDS {
            for q in &queries {
                std::hint::black_box(archive.search(&request(q, limit)).unwrap());
            }
        }
        started.elapsed()
    };
    // Warm the page cache and the stem memo.
    time(20);
    let per = |d: Duration| d.as_secs_f64() * 1e6 / (ROUNDS * queries.len()) as f64;
    let search = per(time(20));
    let counts = per(time(1));

    if std::env::var_os("PER_QUERY").is_some() {
        for q in &queries {
            let started = Instant::now();
            for _ in 0..ROUNDS {
                std::hint::black_box(archive.search(&request(q, 1)).unwrap());
            }
            let counts = started.elapsed().as_secs_f64() * 1e6 / ROUNDS as f64;
            let started = Instant::now();
            for _ in 0..ROUNDS {
                std::hint::black_box(archive.search(&request(q, 20)).unwrap());
            }
            let full = started.elapsed().as_secs_f64() * 1e6 / ROUNDS as f64;
            let total = archive.search(&request(q, 1)).unwrap().total;
            println!("  {q:40} {total:6} matches  top 1 {counts:6.0} µs  top 20 {full:6.0} µs");
        }
    }

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let app = router(AppState::with_cache(archive.clone(), 0));
    let paths: Vec<String> = queries
        .iter()
        .map(|q| format!("/search?q={}", q.replace(' ', "+").replace('-', "%2D")))
        .collect();
    let mut bytes = 0usize;
    let page = runtime.block_on(async {
        let started = Instant::now();
        for _ in 0..ROUNDS {
            for path in &paths {
                let response = app
                    .clone()
                    .oneshot(Request::get(path.as_str()).body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{path}: {}", response.status());
                bytes += response.into_body().collect().await.unwrap().to_bytes().len();
            }
        }
        started.elapsed()
    });
    let page = per(page);
    let n = ROUNDS * queries.len();
    println!("{} queries × {ROUNDS} rounds, mean µs per request, one thread:", queries.len());
    println!("  search, top 1 (counts and facets)      {counts:8.0}");
    println!("  search, top 20 (+ records, snippets)   {search:8.0}");
    println!("  /search page (+ handler, HTML)         {page:8.0}   {} bytes mean", bytes / n);
}
