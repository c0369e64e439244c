//! The reliability suite (issue 16): what happens when things go wrong around the archive
//! rather than in it. A broken generation in service, ingest killed part-way, new
//! generations switched in under load, a systematic sweep of hostile requests against
//! every route, and one corpus holding every kind of hostile file. Each test is
//! deterministic (kills land wherever they land, and every outcome is checked) and takes a
//! few seconds; the long-run soak is `bench/long-run.sh` (see RELIABILITY.md).

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use send_archive::index::store::IndexDir;
use send_archive::index::{Archive, SearchRequest};

use crate::support::{self, TempCorpus, seeds_dir};

fn send_archive() -> Command {
    Command::new(env!("CARGO_BIN_EXE_send-archive"))
}

/// An article none of the seeds is a copy of, naming `word` so a search can find it.
fn new_article(word: &str) -> String {
    format!(
        "Inspectors praise {word} services in Wigan\n\nInspectors visited Wigan in March 2023 \
         and found positive outcomes for children with SEND. The {word} team was praised.\n"
    )
}

// --- A broken generation in service -------------------------------------------------------

/// Ways the generation in service can be broken on disk.
#[derive(Debug, Clone, Copy)]
enum Damage {
    /// One of a segment's files deleted.
    DeleteSegmentFile,
    /// tantivy's `meta.json` cut short.
    TruncateMeta,
    /// Every file of the generation gone, the folder left.
    EmptyFolder,
}

const DAMAGES: [Damage; 3] = [Damage::DeleteSegmentFile, Damage::TruncateMeta, Damage::EmptyFolder];

/// Breaks a generation. Files are replaced or removed, never written through: the
/// generations share unchanged segment files as hard links.
fn damage(generation: &Path, how: Damage) {
    let files: Vec<_> = fs::read_dir(generation)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    match how {
        Damage::DeleteSegmentFile => {
            let segment = files
                .iter()
                .find(|p| p.extension().is_some_and(|e| e == "fast"))
                .expect("a segment's fast-field file");
            fs::remove_file(segment).unwrap();
        }
        Damage::TruncateMeta => {
            let meta = generation.join("meta.json");
            let text = fs::read(&meta).unwrap();
            fs::remove_file(&meta).unwrap();
            fs::write(&meta, &text[..text.len() / 2]).unwrap();
        }
        Damage::EmptyFolder => {
            for file in files {
                fs::remove_file(file).unwrap();
            }
        }
    }
}

/// The seeds (5 articles) ingested, then one more article: two good generations, the second
/// (6 articles) in service. Returns both generations' names.
fn two_generations() -> (TempCorpus, String, String) {
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let first = corpus.ingest();
    fs::write(corpus.articles().join("added.txt"), new_article("zephyrine")).unwrap();
    let second = corpus.ingest();
    assert_eq!((first.articles, second.articles), (5, 6));
    assert_ne!(first.generation, second.generation);
    (corpus, first.generation, second.generation)
}

#[test]
fn a_broken_current_generation_falls_back_to_the_previous_one_and_says_so() {
    for how in DAMAGES {
        let (corpus, first, second) = two_generations();
        damage(&IndexDir::new(corpus.index()).generation_path(&second), how);
        let archive = Archive::open(&corpus.index())
            .unwrap_or_else(|e| panic!("{how:?}: no fallback: {e:#}"));
        assert_eq!(archive.generation(), first, "{how:?}");
        assert_eq!(archive.len(), 5, "{how:?}");
        assert_eq!(archive.search(&SearchRequest::default()).unwrap().total, 5, "{how:?}");
        let fallback = archive.fallback().expect("the fallback is told");
        assert_eq!((fallback.broken.as_str(), fallback.serving.as_str()), (&*second, &*first));
        let message = fallback.to_string();
        assert!(message.contains(&second) && message.contains(&first), "{how:?}: {message}");
        assert!(!fallback.error.is_empty(), "{how:?}");
        // The broken generation is evidence: left where it was, and CURRENT with it.
        let store = IndexDir::new(corpus.index());
        assert!(store.generation_path(&second).is_dir(), "{how:?}");
        assert_eq!(store.current_pointer().unwrap().as_deref(), Some(second.as_str()));
    }
}

#[test]
fn with_no_readable_generation_the_error_says_to_run_ingest() {
    let (corpus, first, second) = two_generations();
    let store = IndexDir::new(corpus.index());
    damage(&store.generation_path(&second), Damage::TruncateMeta);
    damage(&store.generation_path(&first), Damage::DeleteSegmentFile);
    let error = format!("{:#}", Archive::open(&corpus.index()).err().expect("nothing opens"));
    assert!(error.contains(&first) && error.contains(&second), "{error}");
    // tantivy quotes a corrupt meta.json whole; the message stays short.
    assert!(error.len() < 1000, "{error}");
    assert!(error.contains("run `send-archive ingest`"), "{error}");
    // The command line says the same, and exits 1.
    let serve = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(corpus.dir.path().join("no-corpus-here"))
        .arg("--index")
        .arg(corpus.index())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(serve.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no index generation") && stderr.contains("ingest"), "{stderr}");
}

#[test]
fn ingest_rebuilds_a_broken_current_generation_though_no_article_changed() {
    for how in DAMAGES {
        let (corpus, _, second) = two_generations();
        damage(&IndexDir::new(corpus.index()).generation_path(&second), how);
        let report = corpus.ingest();
        assert!(report.rebuilt, "{how:?}: a broken generation counted as unchanged");
        assert_ne!(report.generation, second);
        let archive = corpus.archive();
        assert_eq!((archive.len(), archive.fallback()), (6, None), "{how:?}");
    }
}

#[test]
fn serve_and_search_on_a_broken_generation_warn_and_answer_from_the_previous_one() {
    let (corpus, first, second) = two_generations();
    damage(&IndexDir::new(corpus.index()).generation_path(&second), Damage::DeleteSegmentFile);
    let no_corpus = corpus.dir.path().join("no-corpus-here");

    let search = send_archive()
        .args(["search", "--no-ingest", "--json", "--index"])
        .arg(corpus.index())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&search.stderr);
    assert!(search.status.success(), "{stderr}");
    assert!(stderr.contains(&second) && stderr.contains(&first), "{stderr}");
    let results: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert_eq!(results["total"], 5);

    // Without a corpus folder `serve` cannot rebuild, so it serves the previous generation,
    // warns, and /healthz says so.
    let mut server = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(&no_corpus)
        .arg("--index")
        .arg(corpus.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let address = support::wait_for_listening_address(&mut server);
    let health = support::http_get(&address, "/healthz");
    let page = support::http_get(&address, "/search?q=inspection");
    let _ = server.kill();
    let output = server.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&second) && stderr.contains(&first), "{stderr}");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let body: serde_json::Value =
        serde_json::from_str(health.split("\r\n\r\n").nth(1).unwrap_or_default()).unwrap();
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["generation"], first.as_str());
    assert_eq!(body["fallback"]["broken"], second.as_str());
    assert_eq!(body["articles"], 5);
    assert!(page.starts_with("HTTP/1.1 200"), "{}", &page[..page.len().min(300)]);

    // With the corpus, `serve` rebuilds first and serves all six, healthy.
    let mut server = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(corpus.data())
        .arg("--index")
        .arg(corpus.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = support::wait_for_listening_address(&mut server);
    let health = support::http_get(&address, "/healthz");
    let _ = server.kill();
    let _ = server.wait();
    assert!(health.contains("\"status\":\"ok\"") && health.contains("\"articles\":6"), "{health}");
}

#[test]
fn a_running_server_keeps_its_generation_when_the_next_cannot_be_read() {
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let first = corpus.ingest().generation;
    let archive = corpus.archive();
    fs::write(corpus.articles().join("added.txt"), new_article("zephyrine")).unwrap();
    let second = corpus.ingest().generation;
    damage(&IndexDir::new(corpus.index()).generation_path(&second), Damage::TruncateMeta);
    // Told once, then quiet: the server polls every second.
    let error = format!("{:#}", archive.refresh().expect_err("the broken generation is told"));
    assert!(error.contains(&second) && error.contains(&first), "{error}");
    assert!(!archive.refresh().unwrap());
    assert_eq!((archive.generation(), archive.len()), (first.clone(), 5));
    assert_eq!(archive.fallback().map(|f| f.broken), Some(second));
    // The next ingest builds a fresh generation, and the server takes it.
    let third = corpus.ingest();
    assert!(third.rebuilt);
    assert!(archive.refresh().unwrap());
    assert_eq!(
        (archive.generation(), archive.len(), archive.fallback()),
        (third.generation, 6, None)
    );
}

// --- The hostile-request sweep ------------------------------------------------------------

/// Every route, with `{}` where a path segment goes and the good value for it.
const ROUTES: &[(&str, &str)] = &[
    ("/", ""),
    ("/search", ""),
    ("/search/help", ""),
    ("/areas", ""),
    ("/areas/{}", "dudley"),
    ("/articles/{}", "improvements-made-but-further-work-required"),
    ("/themes", ""),
    ("/themes/{}", "waiting_times"),
    ("/quotes", ""),
    ("/data", ""),
    ("/api", ""),
    ("/api/search", ""),
    ("/api/areas", ""),
    ("/api/areas/{}", "dudley"),
    ("/api/articles/{}", "improvements-made-but-further-work-required"),
    ("/api/themes", ""),
    ("/api/themes/{}", "waiting_times"),
    ("/api/quotes", ""),
    ("/api/inspections", ""),
    ("/data/inspections.csv", ""),
    ("/data/articles.csv", ""),
    ("/feed.xml", ""),
    ("/areas/{}/feed.xml", "dudley"),
    ("/themes/{}/feed.xml", "waiting_times"),
    ("/search/feed.xml", ""),
    ("/sitemap.xml", ""),
    ("/robots.txt", ""),
    ("/opensearch.xml", ""),
    ("/healthz", ""),
    ("/static/{}", "style.css"),
    ("/no/such/{}", "page"),
];

/// Every query parameter any route reads, and some none does.
const PARAMS: &[&str] = &[
    "q",
    "page",
    "sort",
    "more",
    "area",
    "region",
    "outcome",
    "framework",
    "kind",
    "theme",
    "year",
    "source",
    "speaker",
    "role",
    "format",
    "nosuch",
    "q%5B%5D",
    "%00",
];

/// A hostile value, as it goes into a URL, and the markup it decodes to when it has any:
/// that must never come back unescaped in HTML or XML.
struct Payload {
    raw: String,
    markup: Option<&'static str>,
    /// A formula a spreadsheet would run, which must never start a CSV field.
    formula: Option<&'static str>,
}

fn payloads() -> Vec<Payload> {
    let plain = |raw: &str| Payload { raw: raw.to_string(), markup: None, formula: None };
    let markup = |raw: &str, decoded: &'static str| Payload {
        raw: raw.to_string(),
        markup: Some(decoded),
        formula: None,
    };
    let formula = |raw: &str, decoded: &'static str| Payload {
        raw: raw.to_string(),
        markup: None,
        formula: Some(decoded),
    };
    vec![
        // Overlong.
        plain(&"a".repeat(10_000)),
        plain(&"%E2%80%AE".repeat(1_000)),
        markup(&"%3Cb%3E".repeat(1_000), "<b><b><b><b>"),
        // NUL and control characters, header injection.
        plain("%00"),
        plain("%00%01%02%1F%7F"),
        plain("a%0D%0ASet-Cookie:%20x%3D1"),
        plain("%1B%5B31m"),
        // Invalid UTF-8 and broken escapes.
        plain("%FF%FE%FD"),
        plain("%C0%AE%C0%AE"),
        plain("%ED%A0%80"),
        plain("%"),
        plain("%%"),
        plain("%2"),
        plain("%G0"),
        plain("100%25"),
        // Paths out of the site.
        plain("..%2F..%2F..%2Fetc%2Fpasswd"),
        plain("%2E%2E%2F%2E%2E%2FCargo.toml"),
        plain("....%2F%2F....%2F%2F"),
        plain("%5C..%5C..%5Cwin.ini"),
        // Markup and script.
        markup("%3Cscript%3Ealert(1)%3C%2Fscript%3E", "<script>alert(1)</script>"),
        markup("%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "\"><img src=x onerror=alert(1)>"),
        markup("%27%20onmouseover%3D%27alert(1)", "' onmouseover='alert(1)"),
        markup("%3C%2Ftitle%3E%3Csvg%20onload%3Dalert(1)%3E", "</title><svg onload=alert(1)>"),
        markup("%5D%5D%3E%3Cx%3E", "]]><x>"),
        plain("javascript%3Aalert(1)"),
        // Spreadsheet formulas.
        formula("%3D1%2B1", "=1+1"),
        formula("%3DHYPERLINK(%22http%3A%2F%2Fx%22)", "=HYPERLINK(\"http://x\")"),
        formula("%40SUM(A1)", "@SUM(A1)"),
        // Numbers out of range, negative and odd.
        plain("99999999999999999999999999"),
        plain("18446744073709551615"),
        plain("-1"),
        plain("-9223372036854775808"),
        plain("1e308"),
        plain("NaN"),
        plain("0x10"),
        plain("%203%20"),
        // Query syntax.
        plain("((((((((((((((((((((("),
        plain("%22unclosed"),
        plain("title%3A(%20OR%20AND"),
        plain("*%3F~%5E%5B%5D%7B%7D"),
        plain("a%2Bb%26c%3Dd%23e"),
        plain("%EF%BB%BF%F0%9F%92%A9%E2%80%8B"),
    ]
}

struct Reply {
    status: axum::http::StatusCode,
    content_type: Option<String>,
    body: Vec<u8>,
}

async fn exchange(
    app: axum::Router,
    method: axum::http::Method,
    uri: &str,
    headers: &[(axum::http::HeaderName, axum::http::HeaderValue)],
) -> Reply {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = axum::http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let request = request.body(axum::body::Body::empty()).unwrap_or_else(|e| panic!("{uri}: {e}"));
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("(not text)").to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, content_type, body }
}

/// What a reply may never be, whatever was asked: a server error, a body without a type, a
/// body that is not what its type says, or hostile markup or formulas echoed as they came.
fn check_reply(what: &str, reply: &Reply, payload: Option<&Payload>, head: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let mut problem = |text: String| problems.push(format!("{what}: {text}"));
    if reply.status.is_server_error() {
        problem(format!("status {}", reply.status));
    }
    if head && !reply.body.is_empty() {
        problem("a body in answer to HEAD".into());
    }
    if reply.body.is_empty() {
        return problems;
    }
    let Some(content_type) = &reply.content_type else {
        problem(format!("status {}: a body without a content type", reply.status));
        return problems;
    };
    let Ok(body) = std::str::from_utf8(&reply.body) else {
        if !content_type.starts_with("image/") {
            problem(format!("{content_type}: a body that is not UTF-8"));
        }
        return problems;
    };
    let lower = body.to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        if serde_json::from_str::<serde_json::Value>(body).is_err() {
            problem(format!("{content_type}: not JSON: {}", &body[..body.len().min(200)]));
        }
    } else if content_type.starts_with("text/html") {
        if !lower.trim_start().starts_with("<!doctype html") {
            problem(format!("{content_type}: not an HTML page: {}", &body[..body.len().min(200)]));
        }
    } else if content_type.contains("xml") && !body.starts_with("<?xml") {
        problem(format!("{content_type}: not XML: {}", &body[..body.len().min(200)]));
    }
    let markup_type = content_type.starts_with("text/html") || content_type.contains("xml");
    if markup_type {
        if let Some(markup) = payload.and_then(|p| p.markup)
            && body.contains(markup)
        {
            problem(format!("{markup:?} echoed unescaped"));
        }
        if lower.contains("href=\"javascript:") || lower.contains("src=\"javascript:") {
            problem("a javascript: link".into());
        }
    }
    if content_type.starts_with("text/csv")
        && let Some(formula) = payload.and_then(|p| p.formula)
        && (body.contains(&format!(",{formula}"))
            || body.contains(&format!(",\"{formula}"))
            || body.lines().any(|line| line.starts_with(formula)))
    {
        problem(format!("{formula:?} starts a CSV field"));
    }
    problems
}

/// Every route × every hostile payload, in its path segment and in its query string (one
/// parameter at a time, rotating through every name, and all of them at once, repeated);
/// every route × odd methods and odd headers. Never a 5xx, never a body without a type or
/// not of its type, never markup echoed unescaped, never a formula starting a CSV field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_request_sweep_gets_no_server_error_and_no_echo() {
    use axum::http::{HeaderName, HeaderValue, Method, header};
    let (_corpus, archive) = support::shipped_archive();
    let app = send_archive::web::router(send_archive::web::AppState::new(archive));
    let payloads = payloads();
    // Method, URI, headers, and the payload it carries (by index), if any.
    type Planned = (Method, String, Vec<(HeaderName, HeaderValue)>, Option<usize>);
    let mut requests: Vec<Planned> = Vec::new();
    for (route_idx, (route, good)) in ROUTES.iter().enumerate() {
        let at = |segment: &str| route.replace("{}", segment);
        for (payload_idx, payload) in payloads.iter().enumerate() {
            let p = &payload.raw;
            if route.contains("{}") {
                requests.push((Method::GET, at(p), vec![], Some(payload_idx)));
            }
            let name = PARAMS[(route_idx + payload_idx) % PARAMS.len()];
            requests.push((
                Method::GET,
                format!("{}?{name}={p}", at(good)),
                vec![],
                Some(payload_idx),
            ));
            // Every parameter at once, each twice, and the payload as a name too (an overlong
            // payload only alone, above: forty copies would pass any URL limit).
            if p.len() <= 1_000 {
                let every: Vec<String> = PARAMS.iter().map(|name| format!("{name}={p}")).collect();
                let every = every.join("&");
                let uri = format!("{}?{every}&{every}&page=2&{p}={p}&q", at(good));
                requests.push((Method::GET, uri, vec![], Some(payload_idx)));
            }
        }
        for method in ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW"] {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            requests.push((method, at(good), vec![], None));
        }
        let long_accept = "text/html;q=0.1, ".repeat(500);
        let odd_headers: Vec<(HeaderName, HeaderValue)> = vec![
            (header::ACCEPT, HeaderValue::from_static("application/json")),
            (header::ACCEPT, HeaderValue::from_static("text/csv")),
            (header::ACCEPT, HeaderValue::from_static("application/json;q=0, text/html")),
            (header::ACCEPT, HeaderValue::from_static(";;;,,,*/*;q=nan")),
            (header::ACCEPT, HeaderValue::from_bytes(b"\xff\xfe/\x80").unwrap()),
            (header::ACCEPT, HeaderValue::from_str(&long_accept).unwrap()),
            (header::ACCEPT_ENCODING, HeaderValue::from_static("identity;q=0, *;q=0")),
            (header::IF_NONE_MATCH, HeaderValue::from_static("*")),
            (header::IF_NONE_MATCH, HeaderValue::from_bytes(b"W/\"\xff\"").unwrap()),
            (header::RANGE, HeaderValue::from_static("bytes=99999999999-")),
        ];
        for header in odd_headers {
            requests.push((Method::GET, at(good), vec![header], None));
        }
    }
    let count = requests.len();
    let payloads = std::sync::Arc::new(payloads);
    let mut tasks = tokio::task::JoinSet::new();
    for (method, uri, headers, payload_idx) in requests {
        let (app, payloads) = (app.clone(), std::sync::Arc::clone(&payloads));
        tasks.spawn(async move {
            let head = method == Method::HEAD;
            let what = format!("{method} {} {headers:?}", &uri[..uri.len().min(160)]);
            let reply = exchange(app, method, &uri, &headers).await;
            check_reply(&what, &reply, payload_idx.map(|i| &payloads[i]), head)
        });
    }
    let mut problems = Vec::new();
    while let Some(result) = tasks.join_next().await {
        problems.extend(result.expect("no request panics the test"));
    }
    assert!(count > 2_000, "the sweep shrank to {count} requests");
    assert!(
        problems.is_empty(),
        "{} of {count} requests:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// --- Ingest killed part-way ---------------------------------------------------------------

/// Writes `n` distinct short articles into the corpus, each naming `roundmarker{round}`.
fn many_articles(corpus: &TempCorpus, n: usize, round: usize) {
    for i in 0..n {
        let text = format!(
            "Inspection report number {i} for Wigan\n\nInspectors visited Wigan in March 2023 \
             and found positive outcomes for children with SEND (report {i}, roundmarker{round}).\n"
        );
        fs::write(corpus.articles().join(format!("bulk-{i:04}.txt")), text).unwrap();
    }
}

/// SIGKILL lands on `ingest` at several points (from before it has read anything to about
/// when it switches), each time with every article rewritten, so there is a new generation
/// being written. Whatever the moment, the generation in service opens (without a
/// fallback), holds the articles of the ingest before or of the killed one, never a mix,
/// and the next ingest succeeds.
#[cfg(unix)]
#[test]
fn ingest_killed_at_any_point_leaves_a_readable_index_and_the_next_succeeds() {
    const ARTICLES: usize = 120;
    let corpus = TempCorpus::empty();
    many_articles(&corpus, ARTICLES, 0);
    let first = corpus.ingest();
    assert_eq!(first.articles, ARTICLES);
    let mut landed = std::collections::BTreeSet::new();
    for (round, delay_ms) in [0u64, 20, 80, 250, 600, 1500].into_iter().enumerate() {
        let round = round + 1;
        let before = corpus.archive().generation();
        many_articles(&corpus, ARTICLES, round);
        fs::write(
            corpus.articles().join(format!("extra-{round}.txt")),
            new_article(&format!("quokka{round}")),
        )
        .unwrap();
        let mut child = send_archive()
            .args(["ingest", "--quiet", "--data"])
            .arg(corpus.data())
            .arg("--index")
            .arg(corpus.index())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix; a no-op error when it has already exited.
        let status = child.wait().unwrap();
        landed.insert(status.success());

        let archive = Archive::open(&corpus.index()).unwrap_or_else(|e| {
            panic!("round {round} (killed after {delay_ms} ms): the index does not open: {e:#}")
        });
        assert_eq!(archive.fallback(), None, "round {round}: CURRENT names a broken generation");
        // Each round adds one article: before the kill, round + ARTICLES - 1; after, one more.
        let expected_before = ARTICLES as u64 + round as u64 - 1;
        let count = archive.len();
        if archive.generation() == before {
            assert_eq!(count, expected_before, "round {round}");
        } else {
            assert_eq!(count, expected_before + 1, "round {round}: a new generation, complete");
            let found = archive.search(&SearchRequest {
                query: format!("roundmarker{round}"),
                limit: 1,
                ..Default::default()
            });
            assert_eq!(found.unwrap().total, ARTICLES, "round {round}: every article rewritten");
        }
        let next = corpus.ingest();
        assert_eq!(next.articles as u64, expected_before + 1, "round {round}: the next ingest");
        assert_eq!(corpus.archive().len(), expected_before + 1);
    }
    // The kill landed mid-ingest at least once (a generation is then left half-built and
    // cleared by the next ingest); were every ingest finished first, this test would test
    // nothing.
    assert!(landed.contains(&false), "no kill landed before ingest finished");
}

// --- New generations under load -----------------------------------------------------------

/// A running `serve`, answering a stream of requests from four clients, while ingest
/// switches generations three times: not one request fails, and each new article becomes
/// searchable.
#[test]
fn generations_switch_under_load_without_a_failed_request() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let corpus = TempCorpus::copy_of(&seeds_dir());
    corpus.ingest();
    let hits = corpus.archive().search(&SearchRequest { limit: 1, ..Default::default() });
    let article = format!("/articles/{}", hits.unwrap().hits[0].slug);
    let mut server = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--cache-mb", "1", "--data"])
        .arg(corpus.data())
        .arg("--index")
        .arg(corpus.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = support::wait_for_listening_address(&mut server);
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let paths: Arc<[String]> = [
        "/search?q=inspection",
        "/healthz",
        "/areas/dudley",
        "/api/search?q=send&page=1",
        &article,
        "/data/inspections.csv",
        "/feed.xml",
    ]
    .map(String::from)
    .into();
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (stop, served, address) = (Arc::clone(&stop), Arc::clone(&served), address.clone());
            let paths = Arc::clone(&paths);
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                let mut i = client;
                while !stop.load(Ordering::Relaxed) {
                    let path = &paths[i % paths.len()];
                    let reply = support::http_get(&address, path);
                    if !reply.starts_with("HTTP/1.1 200") {
                        failures.push(format!("{path}: {}", &reply[..reply.len().min(200)]));
                    }
                    served.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
                failures
            })
        })
        .collect();

    let mut generations = Vec::new();
    for (round, word) in ["quokka", "axolotl", "pangolin"].into_iter().enumerate() {
        fs::write(corpus.articles().join(format!("{word}.txt")), new_article(word)).unwrap();
        let report = corpus.ingest();
        assert_eq!(report.articles, 6 + round);
        generations.push(report.generation);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let reply = support::http_get(&address, &format!("/api/search?q={word}"));
            if reply.contains("\"total\":1") {
                break;
            }
            assert!(Instant::now() < deadline, "{word} never became searchable: {reply}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    stop.store(true, Ordering::Relaxed);
    let failures: Vec<String> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    let health = support::http_get(&address, "/healthz");
    let _ = server.kill();
    let _ = server.wait();
    assert!(failures.is_empty(), "{} failed requests:\n{}", failures.len(), failures.join("\n"));
    assert!(served.load(Ordering::Relaxed) >= 20, "the clients hardly ran");
    assert!(health.contains(generations.last().unwrap().as_str()), "{health}");
}

// --- Every hostile file kind in one corpus ------------------------------------------------

/// One corpus holding every hostile file kind of issue 16 beside the seeds: ingest reports
/// each one it skips with its reason, indexes the rest (the deeply nested HTML among them,
/// flattened), exits 2; then `serve` serves and `/search` works.
#[cfg(unix)]
#[test]
fn a_corpus_of_every_hostile_file_kind_is_ingested_and_served() {
    use std::os::unix::fs::symlink;
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let articles = corpus.articles();
    let body = "Inspectors visited Wigan in March 2023 and found positive outcomes for children.";
    let write = |name: &str, text: &str| fs::write(articles.join(name), text).unwrap();
    let sidecar_value = |name: &str, key: &str, value: &str| {
        let marker = format!("{}marker", name.replace('-', ""));
        write(&format!("{name}.txt"), &format!("Sidecar {name}\n\n{body} {marker}\n"));
        write(
            &format!("{name}.toml"),
            &format!("[{key}]\nvalue = \"{value}\"\nfrom = \"the page\"\n"),
        );
    };
    let mut skipped: Vec<(&str, &str)> = Vec::new();
    // Values too long for the index.
    sidecar_value("long-title", "title", &"t".repeat(65_000));
    sidecar_value("long-source-name", "source.name", &"s".repeat(70_000));
    sidecar_value(
        "long-source-url",
        "source.url",
        &format!("https://example.org/{}", "u".repeat(70_000)),
    );
    let long_words = "word ".repeat(16_000);
    write(
        "long-html-title.html",
        &format!("<html><head><title>{long_words}</title></head><body><p>{body}</p></body></html>"),
    );
    write("long-md-heading.md", &format!("# {long_words}\n\n{body}\n"));
    // A 65,000-byte title alone fits under the index's limit: it is indexed and served.
    for name in [
        "long-source-name.txt",
        "long-source-url.txt",
        "long-html-title.html",
        "long-md-heading.md",
    ] {
        skipped.push((name, "limit"));
    }
    // Sidecars with an unknown key and with bad TOML.
    write("unknown-key.txt", &format!("Unknown key\n\n{body}\n"));
    write("unknown-key.toml", "[titel]\nvalue = \"x\"\nfrom = \"the page\"\n");
    write("bad-toml.txt", &format!("Bad TOML\n\n{body}\n"));
    write("bad-toml.toml", "[title\nvalue = \n");
    skipped.push(("unknown-key.txt", "titel"));
    skipped.push(("bad-toml.txt", "toml"));
    // Links out of the data folder: a file and a folder.
    let outside = corpus.dir.path().join("outside");
    fs::create_dir_all(outside.join("folder")).unwrap();
    fs::write(outside.join("secret.txt"), format!("Secret\n\n{body} zanzibarsecret\n")).unwrap();
    fs::write(outside.join("folder/inner.txt"), format!("Inner\n\n{body} zanzibarsecret\n"))
        .unwrap();
    symlink(outside.join("secret.txt"), articles.join("secret-link.txt")).unwrap();
    symlink(outside.join("folder"), articles.join("linked-folder")).unwrap();
    skipped.push(("secret-link.txt", "outside the data folder"));
    skipped.push(("linked-folder", "outside the data folder"));
    // A FIFO, a device file and a folder named like an article.
    let made = |program: &str, args: &[&str]| {
        Command::new(program).args(args).status().is_ok_and(|s| s.success())
    };
    let fifo = articles.join("pipe.txt");
    if made("mkfifo", &[fifo.to_str().unwrap()]) {
        skipped.push(("pipe.txt", "not a regular file"));
    }
    let device = articles.join("device.txt");
    if made("mknod", &[device.to_str().unwrap(), "c", "1", "3"]) {
        skipped.push(("device.txt", "not a regular file"));
    }
    fs::create_dir(articles.join("folder-article.txt")).unwrap();
    // Deep nesting, which is flattened and indexed.
    write(
        "nested.html",
        &format!(
            "<html><body>{}<p>{body} nestedmarker</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    );
    write(
        "unclosed.html",
        &format!("<html><body>{}<p>{body} unclosedmarker</p>", "<div>".repeat(300_000)),
    );
    // The kinds any folder of articles meets: an empty file, a binary one, NUL bytes in
    // text, bytes that are neither UTF-8 nor Windows-1252, a file over the size limit (all
    // skipped with the reason), and one line of 1.4 MB (read in linear time and indexed).
    write("empty.txt", "");
    skipped.push(("empty.txt", "empty"));
    fs::write(articles.join("binary.txt"), b"%PDF-1.4\n\x00\x01\x02 not text").unwrap();
    skipped.push(("binary.txt", "binary"));
    fs::write(articles.join("nul.txt"), format!("NUL bytes\n\n{body}\0\0 nulmarker\n")).unwrap();
    skipped.push(("nul.txt", "binary"));
    fs::write(
        articles.join("undecodable.txt"),
        b"Not text\n\nInspectors \x81\x8d\x8f\x90\x9d found.\n",
    )
    .unwrap();
    skipped.push(("undecodable.txt", "neither UTF-8 nor Windows-1252"));
    fs::write(articles.join("huge.txt"), vec![b'a'; 3 * 1024 * 1024]).unwrap();
    skipped.push(("huge.txt", "limit"));
    write(
        "long-line.txt",
        &format!("One long line\n\n{}\n", format!("{body} longlinemarker ").repeat(16_000)),
    );

    let ingest = send_archive()
        .args(["ingest", "--quiet", "--data"])
        .arg(corpus.data())
        .arg("--index")
        .arg(corpus.index())
        .output()
        .unwrap();
    let stderr = format!("\n{}", String::from_utf8_lossy(&ingest.stderr));
    assert_eq!(ingest.status.code(), Some(2), "{stderr}");
    for (file, reason) in &skipped {
        // The report and its reason (a TOML error's reason spans lines).
        let at = stderr
            .find(&format!("\nskipped: {file}: "))
            .unwrap_or_else(|| panic!("{file} not reported as skipped:\n{stderr}"));
        let report: String = stderr[at + 1..].chars().take(600).collect();
        let report = report.split("\nskipped: ").next().unwrap_or_default();
        assert!(report.to_lowercase().contains(&reason.to_lowercase()), "{file}: {report}");
    }
    assert!(stderr.contains(&format!("\n{} file(s) skipped", skipped.len())), "{stderr}");
    // The seeds, the two nested pages, the long title and the long line are indexed; nothing
    // else.
    let stdout = String::from_utf8_lossy(&ingest.stdout);
    assert!(stdout.starts_with("9 articles"), "{stdout}\n{stderr}");

    let mut server = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(corpus.data())
        .arg("--index")
        .arg(corpus.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = support::wait_for_listening_address(&mut server);
    let nested = support::http_get(&address, "/api/search?q=nestedmarker");
    let unclosed = support::http_get(&address, "/api/search?q=unclosedmarker");
    let secret = support::http_get(&address, "/api/search?q=zanzibarsecret");
    let long_line = support::http_get(&address, "/api/search?q=longlinemarker");
    let long_title = support::http_get(&address, "/search?q=longtitlemarker");
    let long_title_json = support::http_get(&address, "/api/search?q=longtitlemarker");
    let long_title_json: serde_json::Value =
        serde_json::from_str(long_title_json.split("\r\n\r\n").nth(1).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}: {long_title_json}"));
    let slug = long_title_json["results"][0]["slug"].as_str().unwrap_or_default().to_string();
    let long_title_page = support::http_get(&address, &format!("/articles/{slug}"));
    let page = support::http_get(&address, "/search?q=inspection");
    let _ = server.kill();
    let _ = server.wait();
    assert!(nested.contains("\"total\":1"), "{nested}");
    assert!(unclosed.contains("\"total\":1"), "{unclosed}");
    assert!(secret.contains("\"total\":0"), "{secret}");
    assert!(long_line.contains("\"total\":1"), "{}", &long_line[..long_line.len().min(300)]);
    assert!(long_title.starts_with("HTTP/1.1 200"), "{}", &long_title[..long_title.len().min(300)]);
    assert_eq!(long_title_json["total"], 1, "{long_title_json}");
    assert!(long_title_page.starts_with("HTTP/1.1 200"), "{}", &long_title_page[..300]);
    assert!(long_title_page.contains(&"t".repeat(65_000)), "the long title is shown");
    assert!(page.starts_with("HTTP/1.1 200"), "{}", &page[..page.len().min(300)]);
}
