//! The archive as data, over the web: the JSON API, CSV downloads, Atom feeds, the sitemap,
//! robots.txt and OpenSearch, served by the real router over the shipped seed corpus.
//!
//! CSV and XML are checked with small independent parsers written here (RFC 4180 records;
//! XML well-formedness: balanced tags, quoted attributes, valid entities, one root), so that
//! a writer bug cannot hide behind the same code reading it back.

use std::collections::{BTreeMap, HashSet};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use send_archive::index::Archive;
use send_archive::web::{AppState, router};

use crate::support::{TempCorpus, shipped_archive, shipped_corpus};

/// The Dudley seed's permalink slug.
const DUDLEY_ARTICLE: &str = "improvements-made-but-further-work-required";

struct Reply {
    status: StatusCode,
    content_type: String,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        assert!(
            self.content_type.starts_with("application/json"),
            "content type {:?}: {}",
            self.content_type,
            self.body
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn app(archive: &Archive) -> Router {
    router(AppState::new(archive.clone()))
}

async fn send(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8(bytes.to_vec()).expect("UTF-8 body");
    Reply { status, content_type, headers, body }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, uri, &[]).await
}

async fn get_json(app: &Router, uri: &str) -> Value {
    let reply = get(app, uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    reply.json()
}

// ---------------------------------------------------------------- tiny parsers

/// Parses RFC 4180 CSV strictly: CRLF record ends, quotes only around whole fields, doubled
/// quotes inside them, every record the header's width.
fn parse_csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
            '"' => panic!("a quote inside an unquoted field: {field:?}"),
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                was_quoted = false;
            }
            '\n' => panic!("a bare LF ends a record"),
            _ if was_quoted => panic!("text after a closing quote"),
            c => field.push(c),
        }
    }
    assert!(!quoted, "an unclosed quote");
    assert!(field.is_empty() && record.is_empty(), "the last record has no CRLF");
    let header = records.remove(0);
    records
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "a record of the wrong width: {r:?}");
            header.iter().cloned().zip(r).collect()
        })
        .collect()
}

fn check_entities(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let after = &rest[at + 1..];
        let end = after.find(';').ok_or_else(|| format!("an unterminated entity in {text:?}"))?;
        let name = &after[..end];
        let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
            || name
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || name
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(format!("an unknown entity &{name}; in {text:?}"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.'))
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
}

/// Checks that `xml` is well-formed (for the subset of XML the site writes) and returns the
/// root element's name.
fn check_xml(xml: &str) -> Result<String, String> {
    let mut rest = xml;
    if let Some(after) = rest.strip_prefix("<?xml") {
        let end = after.find("?>").ok_or("an unclosed declaration")?;
        rest = &after[end + 2..];
    }
    let mut stack: Vec<String> = Vec::new();
    let mut root: Option<String> = None;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').ok_or("an unclosed end tag")?;
            let name = after[..end].trim();
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let name_end = after
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .ok_or("an unclosed start tag")?;
            let name = &after[..name_end];
            if !is_name(name) {
                return Err(format!("a bad element name {name:?}"));
            }
            if stack.is_empty() {
                if root.is_some() {
                    return Err("more than one root element".into());
                }
                root = Some(name.to_string());
            }
            let mut tail = &after[name_end..];
            let mut seen = HashSet::new();
            let self_closing = loop {
                tail = tail.trim_start();
                if let Some(t) = tail.strip_prefix("/>") {
                    tail = t;
                    break true;
                }
                if let Some(t) = tail.strip_prefix('>') {
                    tail = t;
                    break false;
                }
                let eq = tail.find('=').ok_or("an attribute without a value")?;
                let attr = tail[..eq].trim();
                if !is_name(attr) || !seen.insert(attr.to_string()) {
                    return Err(format!("a bad or repeated attribute {attr:?}"));
                }
                let value_part = tail[eq + 1..].trim_start();
                let quote = value_part.chars().next().filter(|c| *c == '"' || *c == '\'');
                let quote = quote.ok_or_else(|| format!("an unquoted attribute {attr}"))?;
                let close = value_part[1..].find(quote).ok_or("an unclosed attribute value")?;
                let value = &value_part[1..1 + close];
                if value.contains('<') {
                    return Err(format!("a raw < in attribute {attr}"));
                }
                check_entities(value)?;
                tail = &value_part[close + 2..];
            };
            if !self_closing {
                stack.push(name.to_string());
            }
            rest = tail;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("text outside the root: {text:?}"));
            }
            check_entities(text)?;
            rest = &rest[end..];
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements: {stack:?}"));
    }
    root.ok_or_else(|| "no root element".to_string())
}

/// The text of every `<name>` element, with or without attributes (simple, unnested elements
/// only).
fn elements<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    xml.split(&open)
        .skip(1)
        .filter(|part| part.starts_with(['>', ' ']))
        .filter_map(|part| {
            let (_, content) = part.split_once('>')?;
            content.split_once(&close).map(|(text, _)| text)
        })
        .collect()
}

#[test]
fn the_test_parsers_reject_what_they_should() {
    assert!(check_xml("<a><b>x &amp; y</b></a>").is_ok());
    assert!(check_xml("<a><b>x & y</b></a>").is_err());
    assert!(check_xml("<a><b>x</a></b>").is_err());
    assert!(check_xml("<a href=\"<\"/>").is_err());
    assert!(check_xml("<a/><b/>").is_err());
    assert!(check_xml("<a>").is_err());
    let rows = parse_csv("a,b\r\n\"x, \"\"y\"\"\",\r\n");
    assert_eq!(rows[0]["a"], "x, \"y\"");
    assert_eq!(rows[0]["b"], "");
    assert!(std::panic::catch_unwind(|| parse_csv("a,b\r\nx\r\n")).is_err());
    assert!(std::panic::catch_unwind(|| parse_csv("a\r\nx\"y\r\n")).is_err());
}

// ---------------------------------------------------------------- routes and types

#[tokio::test]
async fn every_data_route_answers_with_its_content_type() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let routes: &[(&str, StatusCode, &str)] = &[
        ("/api", StatusCode::OK, "application/json"),
        ("/api/search?q=EHCP", StatusCode::OK, "application/json"),
        ("/api/areas", StatusCode::OK, "application/json"),
        ("/api/areas/dudley", StatusCode::OK, "application/json"),
        ("/api/areas/no-such-area", StatusCode::NOT_FOUND, "application/json"),
        (&format!("/api/articles/{DUDLEY_ARTICLE}"), StatusCode::OK, "application/json"),
        ("/api/articles/no-such-article", StatusCode::NOT_FOUND, "application/json"),
        ("/api/themes", StatusCode::OK, "application/json"),
        ("/api/themes/waiting_times", StatusCode::OK, "application/json"),
        ("/api/themes/no_such_theme", StatusCode::NOT_FOUND, "application/json"),
        ("/api/quotes", StatusCode::OK, "application/json"),
        ("/api/quotes?page=x&speaker=a&speaker=b", StatusCode::BAD_REQUEST, "application/json"),
        ("/api/inspections", StatusCode::OK, "application/json"),
        ("/data/inspections.csv", StatusCode::OK, "text/csv; charset=utf-8"),
        ("/data/articles.csv", StatusCode::OK, "text/csv; charset=utf-8"),
        ("/feed.xml", StatusCode::OK, "application/atom+xml"),
        ("/areas/dudley/feed.xml", StatusCode::OK, "application/atom+xml"),
        ("/areas/no-such-area/feed.xml", StatusCode::NOT_FOUND, "text/html"),
        ("/themes/waiting_times/feed.xml", StatusCode::OK, "application/atom+xml"),
        ("/themes/no_such_theme/feed.xml", StatusCode::NOT_FOUND, "text/html"),
        ("/search/feed.xml?q=EHCP", StatusCode::OK, "application/atom+xml"),
        ("/sitemap.xml", StatusCode::OK, "application/xml"),
        ("/robots.txt", StatusCode::OK, "text/plain; charset=utf-8"),
        ("/opensearch.xml", StatusCode::OK, "application/opensearchdescription+xml"),
    ];
    for (uri, status, content_type) in routes {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status, *status, "{uri}: {}", reply.body);
        assert!(
            reply.content_type.starts_with(content_type),
            "{uri}: {:?} is not {content_type}",
            reply.content_type
        );
        if content_type.starts_with("application/json") {
            let body = reply.json();
            if !status.is_success() {
                assert!(body["error"].is_string(), "{uri}: {body}");
            }
        }
    }
}

#[tokio::test]
async fn the_api_index_lists_endpoints_that_answer() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let index = get_json(&app, "/api").await;
    assert_eq!(index["articles"], 5);
    let endpoints = index["endpoints"].as_array().unwrap();
    let paths: Vec<&str> = endpoints.iter().map(|e| e["path"].as_str().unwrap()).collect();
    for path in [
        "/api/search",
        "/api/areas",
        "/api/areas/{slug}",
        "/api/articles/{slug}",
        "/api/themes",
        "/api/themes/{id}",
        "/api/quotes",
        "/api/inspections",
    ] {
        assert!(paths.contains(&path), "{path} missing from {paths:?}");
    }
    for endpoint in endpoints {
        assert!(!endpoint["description"].as_str().unwrap().is_empty());
        let path = endpoint["path"].as_str().unwrap();
        if !path.contains('{') {
            assert_eq!(get(&app, path).await.status, StatusCode::OK, "{path}");
        }
    }
}

// ---------------------------------------------------------------- JSON

#[tokio::test]
async fn search_json_finds_the_dudley_article_and_facets_add_up() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let search = get_json(&app, "/api/search?q=EHCP").await;
    assert_eq!(search["query"], "EHCP");
    let results = search["results"].as_array().unwrap();
    let dudley = results.iter().find(|r| r["slug"] == DUDLEY_ARTICLE).expect("Dudley found");
    assert_eq!(dudley["url"], format!("/articles/{DUDLEY_ARTICLE}"));
    assert_eq!(dudley["area"]["slug"], "dudley");
    assert_eq!(dudley["area"]["code"], "E08000027");
    assert_eq!(dudley["area"]["region"], "West Midlands");
    assert_eq!(dudley["outcome"], "inconsistent");
    assert_eq!(dudley["framework"], "2023");
    assert!(dudley["snippet_html"].as_str().unwrap().contains("<b>"), "{dudley}");
    assert!(!dudley["snippet_text"].as_str().unwrap().contains("<b>"));
    assert_eq!(search["total"].as_u64().unwrap() as usize, results.len());

    // Over everything: each article has one area, so the area counts add up to the total;
    // single-valued facets never count more than the total.
    let all = get_json(&app, "/api/search").await;
    assert_eq!(all["total"], 5);
    assert_eq!(all["pages"], 1);
    let facets = all["facets"].as_object().unwrap();
    let sum = |name: &str| -> u64 {
        facets[name].as_array().unwrap().iter().map(|v| v["count"].as_u64().unwrap()).sum()
    };
    assert_eq!(sum("area"), 5);
    assert_eq!(sum("region"), 5);
    for name in ["outcome", "framework", "kind", "year", "source"] {
        assert!(sum(name) <= 5, "{name}: {}", sum(name));
    }
    let dudley_facet = facets["area"].as_array().unwrap().iter().find(|v| v["value"] == "dudley");
    assert_eq!(dudley_facet.unwrap()["label"], "Dudley");

    // A filter's count is what the filtered search finds.
    let inconsistent = facets["outcome"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "inconsistent")
        .expect("an inconsistent outcome");
    let filtered = get_json(&app, "/api/search?outcome=inconsistent").await;
    assert_eq!(filtered["total"], inconsistent["count"]);
    assert_eq!(filtered["filters"]["outcome"], "inconsistent");
    assert!(filtered["results"].as_array().unwrap().iter().all(|r| r["outcome"] == "inconsistent"));
}

#[tokio::test]
async fn hostile_queries_are_400_not_500() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let long = "a".repeat(2000);
    for q in [
        "%22unclosed",
        "title%3A(",
        "nosuchfield%3Ax",
        "((((((((",
        long.as_str(),
        "%3C%2Fscript%3E%22",
    ] {
        let reply = get(&app, &format!("/api/search?q={q}")).await;
        if reply.status == StatusCode::OK {
            // Some odd queries are readable; they must still be JSON.
            reply.json();
            continue;
        }
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{q}: {}", reply.body);
        let body = reply.json();
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
        assert!(body["hint"].as_str().is_some_and(|h| !h.is_empty()), "{body}");

        let feed = get(&app, &format!("/search/feed.xml?q={q}")).await;
        assert_eq!(feed.status, StatusCode::BAD_REQUEST, "feed {q}");
        let page = send(&app, &format!("/search?q={q}"), &[("accept", "application/json")]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "page {q}");
        page.json();
    }
    // These are certainly rejected.
    assert_eq!(get(&app, "/api/search?q=%22unclosed").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, &format!("/api/search?q={long}")).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        get(&app, &format!("/search/feed.xml?q={long}")).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn areas_json_lists_every_area_current_and_former() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let areas = get_json(&app, "/api/areas").await;
    let list = areas["areas"].as_array().unwrap();
    assert_eq!(list.len(), 161);
    assert_eq!(areas["count"], 161);
    assert_eq!(list.iter().filter(|a| a["former"] == false).count(), 153);
    assert_eq!(areas["current"], 153);
    let slugs: HashSet<&str> = list.iter().map(|a| a["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs.len(), 161);
    let dudley = list.iter().find(|a| a["slug"] == "dudley").unwrap();
    assert_eq!(dudley["code"], "E08000027");
    assert_eq!(dudley["latest_outcome"]["code"], "inconsistent");
    assert_eq!(dudley["articles"], 1);
    assert_eq!(dudley["inspections"], 1);
    assert_eq!(dudley["url"], "/areas/dudley");
    let covered: u64 = list.iter().map(|a| a["articles"].as_u64().unwrap()).sum();
    assert_eq!(covered, 5);
    // Reorganisations link both ways.
    let former = list
        .iter()
        .find(|a| a["former"] == true && !a["successors"].as_array().unwrap().is_empty());
    let former = former.expect("a former area with a successor");
    let successor = former["successors"][0]["slug"].as_str().unwrap();
    let successor = list.iter().find(|a| a["slug"] == successor).unwrap();
    assert!(
        successor["predecessors"].as_array().unwrap().iter().any(|p| p["slug"] == former["slug"]),
        "{successor}"
    );
}

#[tokio::test]
async fn area_json_has_the_timeline_themes_and_quotes() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let dudley = get_json(&app, "/api/areas/dudley").await;
    assert_eq!(dudley["area"]["name"], "Dudley");
    assert_eq!(dudley["area"]["latest_outcome"]["code"], "inconsistent");
    let inspection = &dudley["inspections"][0];
    assert_eq!(inspection["outcome"]["code"], "inconsistent");
    assert!(inspection["outcome"]["wording"].as_str().unwrap().contains("inconsistent"));
    assert!(!inspection["outcome"]["gloss"].as_str().unwrap().is_empty());
    assert_eq!(inspection["visit_start"], "2025-01-20");
    assert_eq!(inspection["articles"][0]["slug"], DUDLEY_ARTICLE);
    assert_eq!(dudley["articles"][0]["slug"], DUDLEY_ARTICLE);
    let themes = dudley["themes"].as_array().unwrap();
    assert!(!themes.is_empty());
    for theme in themes {
        let url = theme["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("/articles/{DUDLEY_ARTICLE}#p-")), "{url}");
        assert!(!theme["evidence"].as_str().unwrap().is_empty());
    }
    let quotes = dudley["quotes"].as_array().unwrap();
    assert!(
        quotes.iter().any(|q| q["speaker"] == "David Stanley"),
        "{}",
        serde_json::to_string_pretty(quotes).unwrap()
    );
    assert!(quotes.iter().all(|q| q["permalink"].as_str().unwrap().contains("#quote-")));

    // An area with no articles is still an area.
    let quiet = get_json(&app, "/api/areas/rutland").await;
    assert_eq!(quiet["inspections"].as_array().unwrap().len(), 0);
    assert!(quiet["area"]["latest_outcome"].is_null());
}

#[tokio::test]
async fn accept_json_on_pages_returns_their_json_twin() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let accept = [("accept", "application/json")];
    for (page, api) in [
        ("/areas/dudley", "/api/areas/dudley"),
        ("/themes/waiting_times", "/api/themes/waiting_times"),
        ("/quotes?speaker=stanley", "/api/quotes?speaker=stanley"),
        ("/search?q=EHCP", "/api/search?q=EHCP"),
    ] {
        let reply = send(&app, page, &accept).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert_eq!(reply.json(), get_json(&app, api).await, "{page}");
    }
    let missing = send(&app, "/areas/no-such-area", &accept).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    missing.json();
    // Without the header, the page is HTML.
    assert!(get(&app, "/areas/dudley").await.content_type.starts_with("text/html"));
}

#[tokio::test]
async fn article_json_is_the_full_record() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let article = get_json(&app, &format!("/api/articles/{DUDLEY_ARTICLE}")).await;
    assert_eq!(article["slug"], DUDLEY_ARTICLE);
    assert_eq!(article["url"], format!("/articles/{DUDLEY_ARTICLE}"));
    assert_eq!(article["area"]["slug"], "dudley");
    assert_eq!(article["inspection"]["outcome"], "inconsistent");
    assert_eq!(article["source"]["name"], "Black Country Radio");
    assert!(article["paragraphs"].as_array().unwrap().len() > 3);
    assert!(article["curated"].as_array().is_some());
    // The additions never shadow a record field: each key appears once.
    let dudley_inspection = &get_json(&app, "/api/areas/dudley").await["inspections"][0]["id"];
    assert_eq!(&article["inspection_id"], dudley_inspection);
    let raw = get(&app, &format!("/api/articles/{DUDLEY_ARTICLE}")).await.body;
    assert_eq!(raw.matches("\"inspection\":").count(), 1, "{raw}");
    // The article page's JSON twin is the same document.
    let page =
        send(&app, &format!("/articles/{DUDLEY_ARTICLE}"), &[("accept", "application/json")]).await;
    assert_eq!(page.json(), article);
}

#[tokio::test]
async fn themes_json_agrees_with_articles() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let themes = get_json(&app, "/api/themes").await;
    let list = themes["themes"].as_array().unwrap();
    assert_eq!(list.len(), 28);
    let busiest = list.iter().max_by_key(|t| t["articles"].as_u64().unwrap()).unwrap();
    let id = busiest["id"].as_str().unwrap();
    assert!(busiest["articles"].as_u64().unwrap() > 0);
    let theme = get_json(&app, &format!("/api/themes/{id}")).await;
    assert_eq!(theme["theme"]["id"], id);
    let praised = theme["praised"].as_array().unwrap();
    let criticised = theme["criticised"].as_array().unwrap();
    assert_eq!(praised.len() as u64, busiest["areas_praised"].as_u64().unwrap());
    assert_eq!(criticised.len() as u64, busiest["areas_criticised"].as_u64().unwrap());
    for row in praised.iter().chain(criticised) {
        let evidence = row["evidence"].as_array().unwrap();
        assert_eq!(row["count"].as_u64().unwrap() as usize, evidence.len());
        assert!(evidence.iter().all(|e| e["theme"] == id));
    }
    let search = get_json(&app, &format!("/api/search?theme={id}")).await;
    assert_eq!(search["total"], busiest["articles"]);
}

#[tokio::test]
async fn quotes_json_filters_by_speaker_and_area() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let all = get_json(&app, "/api/quotes").await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 1);
    let stanley = get_json(&app, "/api/quotes?speaker=Stanley").await;
    let quotes = stanley["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty());
    assert!(quotes.iter().all(|q| q["speaker"].as_str().unwrap().contains("Stanley")));
    assert!(stanley["total"].as_u64().unwrap() < total);
    let dudley = get_json(&app, "/api/quotes?area=dudley").await;
    let quotes = dudley["quotes"].as_array().unwrap();
    assert!(quotes.iter().all(|q| q["area"]["slug"] == "dudley"));
    let area_quotes = get_json(&app, "/api/areas/dudley").await["quotes"].as_array().unwrap().len();
    assert_eq!(dudley["total"].as_u64().unwrap() as usize, area_quotes);
}

// ---------------------------------------------------------------- CSV

#[tokio::test]
async fn inspections_csv_has_one_row_per_inspection_and_agrees_with_the_api() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let reply = get(&app, "/data/inspections.csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    let disposition = reply.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert_eq!(disposition, "inline; filename=\"inspections.csv\"");
    assert!(reply.body.starts_with("id,area_code,area_name,area_slug,region,framework,kind,"));
    let rows = parse_csv(&reply.body);
    assert_eq!(rows.len(), 5);

    let api = get_json(&app, "/api/inspections").await;
    let inspections = api["inspections"].as_array().unwrap();
    assert_eq!(inspections.len(), rows.len());
    let text = |v: &Value| v.as_str().map(str::to_string).unwrap_or_default();
    for (row, inspection) in rows.iter().zip(inspections) {
        assert_eq!(row["id"], text(&inspection["id"]));
        assert_eq!(row["area_slug"], text(&inspection["area"]["slug"]));
        assert_eq!(row["area_code"], text(&inspection["area"]["code"]));
        assert_eq!(row["framework"], text(&inspection["framework"]));
        assert_eq!(row["outcome"], text(&inspection["outcome"]["code"]));
        assert_eq!(row["outcome_wording"], text(&inspection["outcome"]["wording"]));
        assert_eq!(row["visit_start"], text(&inspection["visit_start"]));
        let urls: Vec<&str> = row["article_urls"].split(' ').collect();
        assert_eq!(row["articles"], urls.len().to_string());
        for url in urls {
            assert_eq!(get(&app, url).await.status, StatusCode::OK, "{url}");
        }
    }
    let dudley = rows.iter().find(|r| r["area_slug"] == "dudley").unwrap();
    assert_eq!(dudley["outcome"], "inconsistent");
    assert_eq!(dudley["year"], "2025");
    assert_eq!(dudley["report_published"], "2025-03-11");
}

#[tokio::test]
async fn articles_csv_has_one_row_per_article() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let reply = get(&app, "/data/articles.csv").await;
    assert!(reply.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("articles.csv"));
    let rows = parse_csv(&reply.body);
    let catalogue = archive.catalogue();
    assert_eq!(rows.len(), catalogue.articles.len());
    for (row, article) in rows.iter().zip(&catalogue.articles) {
        assert_eq!(row["slug"], article.slug);
        assert_eq!(row["title"], article.title);
        assert_eq!(row["url"], format!("/articles/{}", article.slug));
    }
}

// ---------------------------------------------------------------- feeds

/// Checks a feed is well-formed Atom with the required elements; returns the entries' ids.
fn check_feed(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.content_type.starts_with("application/atom+xml"));
    assert_eq!(check_xml(&reply.body), Ok("feed".to_string()), "{}", reply.body);
    assert!(reply.body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(reply.body.contains("<link rel=\"self\""));
    let updated = elements(&reply.body, "updated");
    let (feed_updated, entry_updated) = updated.split_first().unwrap();
    for stamp in &updated {
        assert_eq!(stamp.len(), 20, "{stamp}");
        assert!(stamp.ends_with("T00:00:00Z"), "{stamp}");
    }
    let newest = entry_updated.iter().max().copied().unwrap_or("1970-01-01T00:00:00Z");
    assert_eq!(*feed_updated, newest);
    let ids = elements(&reply.body, "id");
    assert!(ids.iter().all(|id| id.starts_with("tag:")), "{ids:?}");
    assert_eq!(entry_updated.len(), ids.len() - 1);
    assert_eq!(elements(&reply.body, "summary").len(), entry_updated.len());
    ids[1..].iter().map(|id| id.to_string()).collect()
}

#[tokio::test]
async fn feeds_are_well_formed_atom_and_deterministic() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let home = get(&app, "/feed.xml").await;
    let ids = check_feed(&home);
    assert_eq!(ids.len(), 5);
    assert_eq!(home.body, get(&app, "/feed.xml").await.body, "a feed changes between requests");
    assert!(home.body.contains(&format!("href=\"/articles/{DUDLEY_ARTICLE}\"")));
    assert!(home.body.contains("Dudley \u{b7} Inconsistent experiences (outcome 2). "));

    let dudley = get(&app, "/areas/dudley/feed.xml").await;
    assert_eq!(
        check_feed(&dudley),
        vec![format!("tag:send-archive,2025:/articles/{DUDLEY_ARTICLE}")]
    );
    assert!(dudley.body.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"/areas/dudley/feed.xml\"/>"
    ));

    let empty = get(&app, "/areas/rutland/feed.xml").await;
    assert!(check_feed(&empty).is_empty());
    assert!(empty.body.contains("<updated>1970-01-01T00:00:00Z</updated>"));

    let theme = get(&app, "/themes/waiting_times/feed.xml").await;
    let theme_ids = check_feed(&theme);
    let theme_total = get_json(&app, "/api/search?theme=waiting_times").await["total"].clone();
    assert_eq!(theme_ids.len() as u64, theme_total.as_u64().unwrap());

    let search = get(&app, "/search/feed.xml?q=EHCP&sort=newest&page=2").await;
    let search_ids = check_feed(&search);
    assert!(search_ids.iter().any(|id| id.ends_with(DUDLEY_ARTICLE)));
    let search_total = get_json(&app, "/api/search?q=EHCP").await["total"].as_u64().unwrap();
    assert_eq!(search_ids.len() as u64, search_total);
    // Newest first.
    let stamps = elements(&search.body, "updated");
    assert!(stamps[1..].windows(2).all(|w| w[0] >= w[1]), "{stamps:?}");
}

/// The shipped corpus plus one article whose headline and text are hostile to CSV and XML.
fn hostile_corpus() -> (TempCorpus, Archive) {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    std::fs::write(
        corpus.articles().join("900_hostile.txt"),
        "=HYPERLINK(\"http://x\") Dudley <script>alert(1)</script> & SEND inspection\n\n\
         Published 12 March 2025\n\n\
         Dudley's <b>local area partnership</b> & friends: arrangements lead to inconsistent \
         experiences and outcomes for children and young people with SEND, inspectors found \
         in a visit \u{1} between 3 and 7 February 2025.\n\n\
         Waiting times for speech and language therapy are too long, the report says.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.articles().join("900_hostile.toml"),
        "slug = \"hostile-test-article\"\nformer_slugs = [\"old-hostile-slug\"]\n",
    )
    .unwrap();
    corpus.ingest();
    let archive = corpus.archive();
    (corpus, archive)
}

#[tokio::test]
async fn hostile_text_is_escaped_in_feeds_and_defused_in_csv() {
    let (_corpus, archive) = hostile_corpus();
    let app = app(&archive);
    assert!(archive.catalogue().article("hostile-test-article").is_some(), "not ingested");
    for uri in ["/feed.xml", "/areas/dudley/feed.xml", "/search/feed.xml?q=script"] {
        let reply = get(&app, uri).await;
        check_feed(&reply);
        assert!(reply.body.contains("&lt;script&gt;"), "{uri}: {}", reply.body);
        assert!(reply.body.contains("&amp; SEND"), "{uri}");
        assert!(!reply.body.contains("<script"), "{uri}");
        assert!(!reply.body.contains('\u{1}'), "{uri}");
    }
    // A hostile query is escaped in the search feed's title.
    let reply = get(&app, "/search/feed.xml?q=dudley%20%26%20%3Cb%3E").await;
    if reply.status == StatusCode::OK {
        check_feed(&reply);
        assert!(reply.body.contains("dudley &amp; &lt;b&gt;"), "{}", reply.body);
    } else {
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    }

    let rows = parse_csv(&get(&app, "/data/articles.csv").await.body);
    let row = rows.iter().find(|r| r["slug"] == "hostile-test-article").unwrap();
    assert!(row["title"].starts_with("'=HYPERLINK(\"http://x\")"), "{}", row["title"]);
    for row in &rows {
        for (column, cell) in row {
            assert!(!cell.starts_with(['=', '+', '@']), "{column}: {cell}");
        }
    }

    // A former slug redirects, as the HTML page does.
    let moved = get(&app, "/api/articles/old-hostile-slug").await;
    assert_eq!(moved.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(moved.headers[header::LOCATION], "/api/articles/hostile-test-article");
    let article = get_json(&app, "/api/articles/hostile-test-article").await;
    assert!(article["title"].as_str().unwrap().contains("<script>"));
}

// ---------------------------------------------------------------- crawler files

#[tokio::test]
async fn sitemap_lists_every_page() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let reply = get(&app, "/sitemap.xml").await;
    assert_eq!(check_xml(&reply.body), Ok("urlset".to_string()));
    let locs: HashSet<&str> = elements(&reply.body, "loc").into_iter().collect();
    for article in &archive.catalogue().articles {
        assert!(locs.contains(format!("/articles/{}", article.slug).as_str()), "{}", article.slug);
    }
    let areas = get_json(&app, "/api/areas").await;
    for area in areas["areas"].as_array().unwrap() {
        assert!(locs.contains(area["url"].as_str().unwrap()), "{area}");
    }
    for path in [
        "/",
        "/areas",
        "/areas/uninspected",
        "/themes",
        "/themes/waiting_times",
        "/quotes",
        "/data",
        "/search/help",
    ] {
        assert!(locs.contains(path), "{path}");
    }
    assert_eq!(locs.len(), 3 + 161 + 5 + 1 + 28 + 3);

    // With a Host, full URLs, as the sitemap protocol wants; a strange Host is ignored.
    let hosted = send(&app, "/sitemap.xml", &[("host", "send.example")]).await;
    assert!(hosted.body.contains("<loc>http://send.example/areas/dudley</loc>"));
    let strange = send(&app, "/sitemap.xml", &[("host", "x\"/><y")]).await;
    assert_eq!(strange.body, reply.body);
}

#[tokio::test]
async fn robots_and_opensearch_point_at_the_site() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let robots = send(&app, "/robots.txt", &[("host", "send.example")]).await;
    assert!(robots.body.contains("User-agent: *\nAllow: /\n"), "{}", robots.body);
    assert!(robots.body.contains("Sitemap: http://send.example/sitemap.xml\n"));

    let opensearch = get(&app, "/opensearch.xml").await;
    assert_eq!(check_xml(&opensearch.body), Ok("OpenSearchDescription".to_string()));
    assert!(opensearch.body.contains("xmlns=\"http://a9.com/-/spec/opensearch/1.1/\""));
    assert!(opensearch.body.contains("<ShortName>SEND archive</ShortName>"));
    assert!(
        opensearch.body.contains("<Url type=\"text/html\" template=\"/search?q={searchTerms}\"/>"),
        "{}",
        opensearch.body
    );
    assert!(
        opensearch
            .body
            .contains("type=\"application/json\" template=\"/api/search?q={searchTerms}\"")
    );
}

#[tokio::test]
async fn cached_answers_are_the_same_bytes_and_follow_the_generation() {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    corpus.ingest();
    let archive = corpus.archive();
    let state = AppState::new(archive.clone());
    let cache = state.cache.clone();
    let app = router(state);

    // The second request is answered from the cache, byte for byte, headers included.
    let first = get(&app, "/search?q=EHCP").await;
    let second = get(&app, "/search?q=EHCP").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body, second.body);
    for name in [header::ETAG, header::CONTENT_SECURITY_POLICY, header::CONTENT_TYPE] {
        assert_eq!(first.headers.get(&name), second.headers.get(&name), "{name}");
    }
    assert_eq!(cache.stats(), (1, 1));
    // JSON and compressed answers are kept apart from the HTML.
    let json = send(&app, "/search?q=EHCP", &[("accept", "application/json")]).await;
    assert!(json.content_type.starts_with("application/json"));
    let request = Request::builder().uri("/search?q=EHCP").header("accept-encoding", "gzip");
    let gzip = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
    let bytes = gzip.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "a gzip stream");
    assert_eq!(cache.stats(), (1, 3));

    // Revalidation still gets a 304 from the ETag.
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    let revalidated = send(&app, "/search?q=EHCP", &[("if-none-match", &etag)]).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    // The JSON of the same URL has its own tag, and both say they vary by `Accept`, so no
    // cache answers one with the other.
    let json_etag = json.headers[header::ETAG].to_str().unwrap().to_string();
    assert_ne!(json_etag, etag);
    for response in [&first, &json] {
        let vary: Vec<&str> =
            response.headers.get_all(header::VARY).iter().filter_map(|v| v.to_str().ok()).collect();
        let names = vary.iter().flat_map(|v| v.split(',')).map(str::trim);
        assert!(names.clone().any(|n| n.eq_ignore_ascii_case("accept")), "{vary:?}");
    }
    let cross =
        send(&app, "/search?q=EHCP", &[("if-none-match", &etag), ("accept", "application/json")])
            .await;
    assert_eq!(cross.status, StatusCode::OK);
    assert!(cross.content_type.starts_with("application/json"));

    // Answers built from the Host header are not shared between hosts.
    let a = send(&app, "/robots.txt", &[("host", "a.example")]).await;
    let b = send(&app, "/robots.txt", &[("host", "b.example")]).await;
    assert!(a.body.contains("a.example") && b.body.contains("b.example"));

    // Errors are not kept: a bad query stays a 400 with its own explanation.
    assert_eq!(get(&app, "/search?q=%22unclosed").await.status, StatusCode::BAD_REQUEST);

    // A new generation empties the cache: a new article is found at once.
    assert!(!get(&app, "/search?q=zebracorn").await.body.contains("Zebracorn"));
    std::fs::write(
        corpus.articles().join("901_new.txt"),
        "Zebracorn report on Dudley SEND services\n\nPublished 2 April 2025\n\n\
         Inspectors visited Dudley between 3 and 7 March 2025 and found zebracorn provision.\n",
    )
    .unwrap();
    corpus.ingest();
    assert!(archive.refresh().unwrap());
    let after = get(&app, "/search?q=zebracorn").await;
    assert!(after.body.contains("Zebracorn report"), "{}", after.body);
    assert_ne!(after.headers[header::ETAG], first.headers[header::ETAG]);
}

/// Thirteen yearly inspections of Lambeth, each article with two quotes.
fn busy_area_corpus() -> (TempCorpus, Archive) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("data/articles")).unwrap();
    let corpus = TempCorpus { dir };
    for (i, year) in (2011..=2023).enumerate() {
        std::fs::write(
            corpus.articles().join(format!("lambeth-{year}.txt")),
            format!(
                "Lambeth SEND inspection {year}: partnership accepts findings\n\n\
                 Published 5 October {year}\n\n\
                 The local area partnership's arrangements in Lambeth lead to inconsistent \
                 experiences and outcomes for children and young people with special \
                 educational needs and disabilities (SEND), Ofsted and the Care Quality \
                 Commission (CQC) have found.\n\n\
                 Inspectors visited between 3 and 7 July {year}. They found that waits for \
                 speech and language therapy are too long.\n\n\
                 \u{201c}We know some families have waited far too long, number {i},\u{201d} said \
                 Marcus Adeyemi, director of children\u{2019}s services at Lambeth Council.\n\n\
                 \u{201c}The report is fair, and we accept it,\u{201d} said Hannah Lowe, chief \
                 nurse of NHS South East London Integrated Care Board.\n"
            ),
        )
        .unwrap();
    }
    corpus.ingest();
    let archive = corpus.archive();
    (corpus, archive)
}

#[tokio::test]
async fn a_busy_area_pages_its_timeline_and_links_the_rest_of_its_quotes() {
    let (_corpus, archive) = busy_area_corpus();
    let app = app(&archive);
    let api = get_json(&app, "/api/areas/lambeth").await;
    let inspections = api["inspections"].as_array().expect("inspections");
    assert_eq!(inspections.len(), 13, "{api}");

    let first = get(&app, "/areas/lambeth").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body.matches("class=\"timeline__item\"").count(), 10);
    assert!(first.body.contains("Page 1 of 2"));
    assert!(first.body.contains("href=\"/areas/lambeth?page=2#timeline-heading\""));
    assert!(first.body.contains("As the articles report them <span class=\"muted\">(13)</span>"));
    // Newest first: 2023 on page 1, 2011 not.
    assert!(first.body.contains("July 2023") && !first.body.contains("July 2011"));

    let second = get(&app, "/areas/lambeth?page=2").await;
    assert_eq!(second.body.matches("class=\"timeline__item\"").count(), 3);
    assert!(second.body.contains("July 2011"));
    assert!(second.body.contains("<ol class=\"timeline\" start=\"11\">"));
    assert!(second.body.contains("href=\"/areas/lambeth#timeline-heading\""), "a way back");
    assert!(second.body.contains("<link rel=\"canonical\""));
    // Past the end is the last page; nonsense is the first.
    assert_eq!(get(&app, "/areas/lambeth?page=99").await.body, second.body);
    assert_eq!(get(&app, "/areas/lambeth?page=abc").await.body, first.body);

    // Ten of the 26 quotes, newest first, and a link to all of them.
    assert_eq!(first.body.matches("<figure class=\"quote ").count(), 10);
    assert!(first.body.contains("number 12</p>"), "the newest quote is shown");
    assert!(!first.body.contains("number 0</p>"), "the oldest is not");
    assert!(first.body.contains("href=\"/quotes?area=lambeth\">All 26 quotes from Lambeth</a>"));
    // Every theme the area's articles report is on the page, as evidence or as a link.
    for theme in api["themes"].as_array().expect("themes") {
        let id = theme["theme"].as_str().expect("theme id");
        let shown = first.body.contains(&format!("/themes/{id}\""))
            || first.body.contains(&format!("theme={id}\""));
        assert!(shown, "{id}");
    }
}

// ---------------------------------------------------------------- round-ups

/// The shipped corpus and a round-up of Norfolk, Suffolk and Kent (see `support::roundup_record`).
fn roundup_app() -> Router {
    app(&crate::support::roundup_archive())
}

const ROUNDUP: &str = crate::support::ROUNDUP_SLUG;

#[tokio::test]
async fn a_roundups_json_twin_carries_each_areas_inspection() {
    let app = roundup_app();
    let article = get_json(&app, &format!("/api/articles/{ROUNDUP}")).await;
    assert!(article["area"].is_null() && article["area_url"].is_null());
    assert!(article["inspection_id"].is_null(), "no single inspection");
    assert!(article.get("outcome").is_none() && article.get("inspection").is_none());
    let inspections = article["inspections"].as_array().expect("inspections");
    let areas: Vec<&str> =
        inspections.iter().map(|i| i["area"]["slug"].as_str().unwrap()).collect();
    assert_eq!(areas, ["norfolk", "suffolk", "kent"]);
    let kent = &inspections[2];
    assert_eq!(kent["outcome"], "systemic_failings");
    assert_eq!(kent["framework"], "2023");
    assert_eq!(kent["visit_start"], "2024-12-02");
    assert_eq!(kent["themes"][0]["id"], "ehcp_timeliness");
    assert_eq!(kent["quotes"][0]["n"], 3, "numbered through the article");
    assert_eq!(article["quotes"].as_array().unwrap().len(), 3);
    assert_eq!(
        article["area_urls"],
        serde_json::json!(["/areas/norfolk", "/areas/suffolk", "/areas/kent"])
    );
    let ids = article["inspection_ids"].as_array().unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids[2].as_str().unwrap().starts_with("kent-2023-full-2024-12-02"), "{ids:?}");

    // An ordinary article's twin is as it was, with one area and one inspection.
    let dudley = get_json(&app, &format!("/api/articles/{DUDLEY_ARTICLE}")).await;
    assert_eq!(dudley["area_url"], "/areas/dudley");
    assert!(dudley.get("inspections").is_none());
    assert_eq!(dudley["area_urls"], serde_json::json!(["/areas/dudley"]));
    assert_eq!(dudley["inspection_ids"][0], dudley["inspection_id"]);
}

#[tokio::test]
async fn a_roundup_is_in_each_areas_data_with_only_its_part() {
    let app = roundup_app();
    for (slug, outcome, speaker, theme) in [
        ("norfolk", "positive", "Ann Norris", "leadership"),
        ("suffolk", "inconsistent", "Bob Suttle", "waiting_times"),
        ("kent", "systemic_failings", "Cara Kemp", "ehcp_timeliness"),
    ] {
        let area = get_json(&app, &format!("/api/areas/{slug}")).await;
        let inspections = area["inspections"].as_array().unwrap();
        assert_eq!(inspections.len(), 1, "{slug}");
        assert_eq!(inspections[0]["outcome"]["code"], outcome);
        assert_eq!(inspections[0]["articles"][0]["slug"], ROUNDUP);
        let articles = area["articles"].as_array().unwrap();
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0]["roundup"], true);
        assert_eq!(articles[0]["outcome"], outcome, "{slug}: its own outcome");
        assert_eq!(articles[0]["areas"].as_array().unwrap().len(), 3);
        assert_eq!(articles[0]["inspection_id"], inspections[0]["id"]);
        let themes: Vec<&str> = area["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["theme"].as_str().unwrap())
            .collect();
        assert_eq!(themes, [theme], "{slug}: its own findings only");
        let quotes = area["quotes"].as_array().unwrap();
        assert_eq!(quotes.len(), 1);
        assert_eq!(quotes[0]["speaker"], speaker);
        assert_eq!(quotes[0]["area"]["slug"], slug);
        assert_eq!(area["area"]["articles"], 1);
        assert_eq!(area["area"]["latest_outcome"]["code"], outcome);

        let quoted = get_json(&app, &format!("/api/quotes?area={slug}")).await;
        assert_eq!(quoted["total"], 1, "{slug}");
        assert_eq!(quoted["quotes"][0]["speaker"], speaker);
    }
    let theme = get_json(&app, "/api/themes/waiting_times").await;
    let criticised: Vec<&str> = theme["criticised"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["area"]["slug"].as_str().unwrap())
        .collect();
    assert!(criticised.contains(&"suffolk"), "{criticised:?}");
    assert!(!criticised.contains(&"norfolk") && !criticised.contains(&"kent"));
}

#[tokio::test]
async fn search_json_lists_a_roundups_areas() {
    let app = roundup_app();
    let search = get_json(&app, "/api/search?area=kent").await;
    assert_eq!(search["total"], 1);
    let hit = &search["results"][0];
    assert_eq!(hit["slug"], ROUNDUP);
    assert!(hit["area"].is_null() && hit["outcome"].is_null());
    assert_eq!(hit["roundup"], true);
    let areas: Vec<&str> =
        hit["areas"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(areas, ["Norfolk", "Suffolk", "Kent"]);
    let facets = &search["facets"]["area"];
    let counted: Vec<(&str, u64)> = facets
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["value"].as_str().unwrap(), f["count"].as_u64().unwrap()))
        .collect();
    // The area filter's own facet counts over the matches without it: every article.
    for area in ["norfolk", "suffolk", "kent", "dudley"] {
        assert!(counted.contains(&(area, 1)), "{area}: {counted:?}");
    }
    let dudley = get_json(&app, "/api/search?area=dudley").await;
    let hit = &dudley["results"][0];
    assert_eq!(hit["area"]["slug"], "dudley");
    assert_eq!(hit["roundup"], false);
    assert_eq!(hit["areas"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn csv_rows_for_a_roundup() {
    let app = roundup_app();
    let inspections = parse_csv(&get(&app, "/data/inspections.csv").await.body);
    let from_roundup: Vec<&str> = inspections
        .iter()
        .filter(|r| r["article_urls"].contains(ROUNDUP))
        .map(|r| r["area_slug"].as_str())
        .collect();
    assert_eq!(from_roundup, ["norfolk", "suffolk", "kent"], "a row per area, newest first");
    let kent = inspections.iter().find(|r| r["area_slug"] == "kent").unwrap();
    assert_eq!(kent["outcome"], "systemic_failings");
    assert_eq!(kent["visit_start"], "2024-12-02");

    let articles = parse_csv(&get(&app, "/data/articles.csv").await.body);
    assert_eq!(articles.len(), 6);
    let row = articles.iter().find(|r| r["slug"] == ROUNDUP).unwrap();
    assert_eq!(row["area_slug"], "norfolk;suffolk;kent");
    assert_eq!(row["area_code"], "E10000020;E10000029;E10000016");
    assert_eq!(row["region"], "East of England;East of England;South East");
    assert_eq!(row["outcome"], "positive;inconsistent;systemic_failings");
    assert_eq!(row["framework"], "2023;2023;2023");
    assert_eq!(row["visit_start"], "2025-02-03;2025-01-13;2024-12-02");
    assert_eq!(row["inspection_id"].split(';').count(), 3);
    assert_eq!(
        row["themes"],
        "leadership:strength waiting_times:improvement ehcp_timeliness:improvement"
    );
    assert_eq!(row["quotes"], "3");
    let dudley = articles.iter().find(|r| r["slug"] == DUDLEY_ARTICLE).unwrap();
    assert_eq!(dudley["area_slug"], "dudley", "one value, no separator");
    assert_eq!(dudley["outcome"], "inconsistent");
}

#[tokio::test]
async fn feeds_give_a_roundup_a_category_per_area() {
    let app = roundup_app();
    let home = get(&app, "/feed.xml").await;
    check_feed(&home);
    for (slug, name) in [("norfolk", "Norfolk"), ("suffolk", "Suffolk"), ("kent", "Kent")] {
        let category =
            format!("<category term=\"{slug}\" scheme=\"/areas/{slug}\" label=\"{name}\"/>");
        assert!(home.body.contains(&category), "{category}");
        let feed = get(&app, &format!("/areas/{slug}/feed.xml")).await;
        let ids = check_feed(&feed);
        assert_eq!(ids.len(), 1, "{slug}");
        assert!(ids[0].ends_with(ROUNDUP));
    }
    assert!(home.body.contains(
        "Norfolk (Positive experiences (outcome 1)), Suffolk (Inconsistent experiences (outcome 2)) and Kent (Systemic failings (outcome 3))."
    ));
}

#[tokio::test]
async fn roundup_fixtures_in_the_open_data() {
    let (_corpus, archive) = crate::support::roundup_corpus();
    let app = app(&archive);
    let inspections_csv = parse_csv(&get(&app, "/data/inspections.csv").await.body);
    let articles_csv = parse_csv(&get(&app, "/data/articles.csv").await.body);
    for (path, expected) in crate::support::roundup_fixtures() {
        let slug = crate::support::slug_of(&archive, expected["title"].as_str().unwrap());
        let codes = crate::support::expected_area_codes(&expected);
        let article = get_json(&app, &format!("/api/articles/{slug}")).await;
        let found: Vec<&str> = article["inspections"]
            .as_array()
            .unwrap_or_else(|| panic!("{path:?}: inspections"))
            .iter()
            .map(|i| i["area"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(found, codes, "{path:?}");
        assert!(article["area"].is_null());
        assert_eq!(article["inspection_ids"].as_array().unwrap().len(), codes.len());
        // A row per (area, inspection) in the inspections CSV, each naming the article.
        let rows: Vec<&str> = inspections_csv
            .iter()
            .filter(|r| r["article_urls"].split(' ').any(|u| u == format!("/articles/{slug}")))
            .map(|r| r["area_code"].as_str())
            .collect();
        let mut sorted_rows = rows.clone();
        sorted_rows.sort_unstable();
        let mut sorted_codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        sorted_codes.sort_unstable();
        assert_eq!(sorted_rows, sorted_codes, "{path:?}");
        // One articles CSV row, its area codes joined in article order.
        let row = articles_csv.iter().find(|r| r["slug"] == slug).unwrap();
        assert_eq!(row["area_code"], codes.join(";"), "{path:?}");
        assert_eq!(row["outcome"].split(';').count(), codes.len());
    }
}

// ---------------------------------------------------------------- the register

#[tokio::test]
async fn the_register_downloads_list_every_official_inspection_with_its_articles() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let reply = get(&app, "/data/register.csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type.starts_with("text/csv"), "{}", reply.content_type);
    let rows = parse_csv(&reply.body);
    assert_eq!(rows.len(), archive.catalogue().register.len());
    for column in [
        "area_code",
        "area",
        "framework",
        "kind",
        "visit_start",
        "visit_end",
        "report_published",
        "outcome",
        "report_url",
        "source",
    ] {
        assert!(rows[0].contains_key(column), "{column}");
    }
    let dudley = rows
        .iter()
        .find(|r| r["area_code"] == "E08000027" && r["framework"] == "2023")
        .expect("Dudley's 2023 inspection");
    assert_eq!(dudley["kind"], "full");
    assert_eq!(dudley["outcome"], "inconsistent");
    assert_eq!(dudley["articles"], "1");
    assert_eq!(dudley["article_urls"], format!("/articles/{DUDLEY_ARTICLE}"));
    assert!(rows.iter().all(|r| !r["source"].is_empty()), "a source on every row");
    // Dates as partial as the source gives them.
    assert!(rows.iter().any(|r| r["visit_start"].len() == 7), "a month-only visit");

    let json = get_json(&app, "/api/register").await;
    assert_eq!(json["count"].as_u64(), Some(rows.len() as u64));
    let first = &json["inspections"][0];
    assert_eq!(first["area_code"].as_str(), Some(rows[0]["area_code"].as_str()));
    assert_eq!(first["outcome"].as_str().unwrap_or(""), rows[0]["outcome"]);
}

#[tokio::test]
async fn an_area_page_shows_the_official_record_beside_the_articles() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let dudley = get(&app, "/areas/dudley").await.body;
    let official = dudley.split("id=\"official-heading\"").nth(1).expect("an official record");
    let official = official.split("id=\"timeline-heading\"").next().unwrap_or_default();
    assert!(official.contains("Area SEND inspection (2023 framework), January 2025"), "{official}");
    assert!(official.contains("Revisit (2016 framework), January 2022"), "{official}");
    assert!(official.contains(&format!("/articles/{DUDLEY_ARTICLE}")), "{official}");
    assert!(official.contains("https://files.ofsted.gov.uk/"), "the report's address");
    // An area no article reports still has its official history, and the latest official
    // outcome.
    let leeds = get(&app, "/areas/leeds").await.body;
    assert!(leeds.contains("From the official record of inspections."), "{leeds}");
    assert!(leeds.contains("badge--systemic_failings"));
    // A successor area shows the inspections of the area it replaced, labelled.
    let dorset = get(&app, "/areas/dorset").await.body;
    assert!(dorset.contains("Inspected as Dorset County Council"), "{dorset}");
    // The JSON twins carry the same official facts.
    let areas = get_json(&app, "/api/areas").await;
    let rutland = areas["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["slug"] == "rutland")
        .expect("Rutland");
    assert_eq!(rutland["official_outcome"]["code"], "positive", "{rutland}");
    assert_eq!(rutland["official_inspections"], 2, "{rutland}");
    assert!(rutland["latest_outcome"].is_null(), "no article reports Rutland");
    let dudley = get_json(&app, "/api/areas/dudley").await;
    let official = dudley["official"].as_array().expect("the official record");
    assert_eq!(official.len(), 3);
    assert_eq!(official[0]["outcome"], "inconsistent");
    assert_eq!(official[0]["article_urls"][0], format!("/articles/{DUDLEY_ARTICLE}"));
}

#[tokio::test]
async fn the_areas_not_yet_inspected_under_the_2023_framework_are_listed() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let page = get(&app, "/areas/uninspected").await;
    assert_eq!(page.status, StatusCode::OK);
    // Rochdale has no 2023-framework row in the register; Dudley has one.
    assert!(page.body.contains("href=\"/areas/rochdale\""), "{}", page.body);
    assert!(!page.body.contains("href=\"/areas/dudley\""));
    // Former areas are not listed, current ones with their 2016 outcome.
    assert!(!page.body.contains("dorset-until-2019"));
    let json = send(&app, "/areas/uninspected", &[("accept", "application/json")]).await.json();
    let listed: Vec<&str> = json["uninspected"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|region| region["areas"].as_array().unwrap())
        .map(|area| area["code"].as_str().unwrap())
        .collect();
    let register = &archive.catalogue().register;
    for code in &listed {
        assert!(
            !register
                .inspections()
                .iter()
                .any(|i| i.area_code == *code && i.framework.code() == "2023"),
            "{code} has a 2023 inspection"
        );
    }
    assert!(listed.contains(&"E08000005"));
    let areas = get(&app, "/areas").await.body;
    assert!(areas.contains("href=\"/areas/uninspected\""));
}

#[tokio::test]
async fn an_article_page_shows_the_official_inspection_it_reports() {
    let (_corpus, archive) = shipped_archive();
    let app = app(&archive);
    let page = get(&app, &format!("/articles/{DUDLEY_ARTICLE}")).await.body;
    let note = page.split("id=\"official\"").nth(1).expect("the official inspection");
    let note = note.split("</div>").next().unwrap_or_default();
    assert!(note.contains("Area SEND inspection (2023 framework), January 2025"), "{note}");
    assert!(note.contains("badge--inconsistent"), "{note}");
    assert!(note.contains("https://files.ofsted.gov.uk/"), "{note}");
    assert!(!note.contains("class=\"notice\""), "the seed agrees with the register: {note}");
}
