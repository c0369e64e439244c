//! Atom feeds, the sitemap, `robots.txt` and the OpenSearch description.
//!
//! All XML is built by [`XmlWriter`], which escapes every text and attribute value and drops
//! characters XML 1.0 does not allow, so article text can never break a document; element
//! and attribute names are `&'static str`, never input.
//!
//! Feeds are deterministic: an entry's `<updated>` is the article's date (publication, else
//! the visit) at midnight UTC, with a missing month or day read as the first; an undated
//! article uses the Unix epoch rather than the time of the request, and a feed's `<updated>`
//! is its newest entry's. Ids are `tag:` URIs built from permanent slugs. Links in feeds are
//! absolute paths; the sitemap, `robots.txt` and OpenSearch description, whose formats
//! require full URLs, use the request's `Host` (checked to be a plain host name and port)
//! and fall back to absolute paths without one.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::params::{Params, SearchParams};
use super::{AppError, AppState};
use crate::extract::{PartialDate, Record, Theme};
use crate::index::{SearchError, Sort};

/// Entries in a feed.
pub const FEED_ENTRIES: usize = 50;
/// The longest entry summary, in characters.
const SUMMARY_CHARS: usize = 600;
/// The date of an undated entry (and of an empty feed).
const EPOCH: &str = "1970-01-01T00:00:00Z";
/// The tagging entity of every feed and entry id (RFC 4151): the archive's name and the year
/// it began. It never changes, whatever host serves the archive.
const TAG: &str = "tag:send-archive,2025:";
/// The Atom namespace.
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

// ---------------------------------------------------------------- the XML writer

/// Writes an XML document, escaping every value.
pub struct XmlWriter {
    out: String,
    open: Vec<&'static str>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        XmlWriter::new()
    }
}

impl XmlWriter {
    /// A document with its XML declaration.
    pub fn new() -> XmlWriter {
        XmlWriter {
            out: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_string(),
            open: Vec::new(),
        }
    }

    fn tag(&mut self, name: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push_str(&"  ".repeat(self.open.len()));
        self.out.push('<');
        self.out.push_str(name);
        for (attr, value) in attrs {
            self.out.push(' ');
            self.out.push_str(attr);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
    }

    /// Opens an element; [`XmlWriter::end`] closes it.
    pub fn start(&mut self, name: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push_str(">\n");
        self.open.push(name);
        self
    }

    /// Closes the innermost open element.
    pub fn end(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.out.push_str(&"  ".repeat(self.open.len()));
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
        }
        self
    }

    /// An element holding only text.
    pub fn text(
        &mut self,
        name: &'static str,
        attrs: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Self {
        self.tag(name, attrs);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        self
    }

    /// An empty element.
    pub fn empty(&mut self, name: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push_str("/>\n");
        self
    }

    /// The document, with any elements still open closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

/// Escapes text for XML content or a double-quoted attribute, dropping characters XML 1.0
/// forbids (control characters other than tab, LF and CR; U+FFFE and U+FFFF).
fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn xml_response(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response()
}

// ---------------------------------------------------------------- Atom

/// An RFC 3339 timestamp for a partial date: midnight UTC on its first possible day; the
/// epoch without a year.
pub fn atom_date(date: Option<PartialDate>) -> String {
    match date {
        Some(PartialDate { year: Some(year), month, day }) if (0..=9999).contains(&year) => {
            format!(
                "{year:04}-{:02}-{:02}T00:00:00Z",
                month.unwrap_or(1),
                if month.is_some() { day.unwrap_or(1) } else { 1 }
            )
        }
        _ => EPOCH.to_string(),
    }
}

/// What a feed is about.
struct FeedMeta {
    /// The feed's title.
    title: String,
    /// A line about it.
    subtitle: String,
    /// The feed's own path.
    self_path: String,
    /// The page it follows.
    html_path: String,
}

/// The summary of an entry: area and outcome (a round-up's areas, each with its outcome),
/// and the opening paragraph.
fn summary(record: &Record) -> String {
    let mut head: Vec<String> = Vec::new();
    if record.is_roundup() {
        let areas: Vec<String> = record
            .inspections
            .iter()
            .map(|i| match i.inspection.outcome {
                Some(outcome) => format!("{} ({})", i.area.name, outcome.label()),
                None => i.area.name.clone(),
            })
            .collect();
        head.push(super::handlers::and_join(areas.iter().map(String::as_str)));
    }
    if let Some(area) = &record.area {
        head.push(area.name.clone());
    }
    if let Some(outcome) = record.inspection.outcome {
        head.push(outcome.label().to_string());
    }
    let first = record.paragraphs.first().map(String::as_str).unwrap_or("");
    let first = if first.chars().count() > SUMMARY_CHARS {
        let cut: String = first.chars().take(SUMMARY_CHARS).collect();
        format!("{}\u{2026}", cut.rsplit_once(' ').map_or(cut.as_str(), |(h, _)| h))
    } else {
        first.to_string()
    };
    match (head.is_empty(), first.is_empty()) {
        (true, _) => first,
        (false, true) => head.join(" \u{b7} "),
        (false, false) => format!("{}. {first}", head.join(" \u{b7} ")),
    }
}

/// An Atom feed of records, newest first.
fn atom(meta: &FeedMeta, records: &[Record]) -> Response {
    let updated: Vec<String> = records.iter().map(|r| atom_date(r.sort_date())).collect();
    let feed_updated = updated.iter().max().cloned().unwrap_or_else(|| EPOCH.to_string());
    let mut xml = XmlWriter::new();
    xml.start("feed", &[("xmlns", ATOM_NS)])
        .text("title", &[], &meta.title)
        .text("subtitle", &[], &meta.subtitle)
        .empty(
            "link",
            &[("rel", "self"), ("type", "application/atom+xml"), ("href", &meta.self_path)],
        )
        .empty("link", &[("rel", "alternate"), ("type", "text/html"), ("href", &meta.html_path)])
        .text("id", &[], &format!("{TAG}{}", meta.self_path))
        .text("updated", &[], &feed_updated)
        .start("author", &[])
        .text("name", &[], "The SEND Inspection Archive")
        .end()
        .text("generator", &[], "send-archive");
    for (record, updated) in records.iter().zip(&updated) {
        let url = format!("/articles/{}", record.slug);
        xml.start("entry", &[])
            .text("title", &[("type", "text")], &record.title)
            .empty("link", &[("rel", "alternate"), ("type", "text/html"), ("href", &url)])
            .text("id", &[], &format!("{TAG}{url}"))
            .text("updated", &[], updated);
        if let Some(published) = record.published.filter(|d| d.year.is_some()) {
            xml.text("published", &[], &atom_date(Some(published)));
        }
        // A category per area (a round-up has several) and per outcome reported.
        let reports = record.reports();
        for area in reports.iter().filter_map(|r| r.area) {
            let scheme = format!("/areas/{}", area.slug);
            xml.empty(
                "category",
                &[("term", &area.slug), ("scheme", &scheme), ("label", &area.name)],
            );
        }
        let mut outcomes: Vec<_> = reports.iter().filter_map(|r| r.inspection.outcome).collect();
        outcomes.dedup();
        for outcome in outcomes {
            xml.empty("category", &[("term", outcome.code()), ("label", outcome.label())]);
        }
        xml.text("summary", &[("type", "text")], &summary(record)).end();
    }
    xml_response("application/atom+xml; charset=utf-8", xml.finish())
}

/// `/feed.xml`: the newest articles.
pub async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let records = state.archive.records(&BTreeMap::new(), FEED_ENTRIES)?;
    let meta = FeedMeta {
        title: "The SEND Inspection Archive".to_string(),
        subtitle: "The newest articles about local-area SEND inspections in England.".to_string(),
        self_path: "/feed.xml".to_string(),
        html_path: "/".to_string(),
    };
    Ok(atom(&meta, &records))
}

/// `/areas/{slug}/feed.xml`: one area's newest articles.
pub async fn area_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let area = state.gazetteer.by_slug(&slug).ok_or(AppError::NotFound)?;
    let filters = BTreeMap::from([("area".to_string(), area.slug.clone())]);
    let records = state.archive.records(&filters, FEED_ENTRIES)?;
    let meta = FeedMeta {
        title: format!("{}: SEND inspections", area.name),
        subtitle: format!("Articles about SEND inspections in {}.", area.name),
        self_path: format!("/areas/{}/feed.xml", area.slug),
        html_path: format!("/areas/{}", area.slug),
    };
    Ok(atom(&meta, &records))
}

/// `/themes/{id}/feed.xml`: the newest articles with a theme.
pub async fn theme_feed(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let theme: Theme = id.parse().map_err(|_| AppError::NotFound)?;
    let filters = BTreeMap::from([("theme".to_string(), theme.code().to_string())]);
    let records = state.archive.records(&filters, FEED_ENTRIES)?;
    let meta = FeedMeta {
        title: format!("{}: what inspectors said", theme.label()),
        subtitle: format!("Articles where inspectors praised or criticised: {}.", theme.label()),
        self_path: format!("/themes/{theme}/feed.xml"),
        html_path: format!("/themes/{theme}"),
    };
    Ok(atom(&meta, &records))
}

/// `/search/feed.xml`: a search's newest matches (the parameters of `/search`; `sort` and
/// `page` are ignored). A query the parser rejects is a 400.
pub async fn search_feed(
    State(state): State<AppState>,
    Params(params): Params<SearchParams>,
) -> Result<Response, AppError> {
    let mut request = params.request();
    request.sort = Sort::Newest;
    request.offset = 0;
    request.limit = FEED_ENTRIES;
    let results = match state.archive.search(&request) {
        Ok(results) => results,
        Err(SearchError::Query(error)) => {
            return Err(AppError::Query { query: params.query().to_string(), error });
        }
        Err(SearchError::Internal(error)) => return Err(AppError::Internal(error)),
    };
    let mut records = Vec::with_capacity(results.hits.len());
    for hit in &results.hits {
        if let Some(record) = state.archive.article(&hit.slug)? {
            records.push(record);
        }
    }
    let query = params.query();
    let meta = FeedMeta {
        title: if query.is_empty() {
            "The SEND Inspection Archive: search".to_string()
        } else {
            format!("The SEND Inspection Archive: \u{201c}{query}\u{201d}")
        },
        subtitle: "The newest articles matching a search.".to_string(),
        self_path: params.url("/search/feed.xml", &[("page", None), ("sort", None)]),
        html_path: params.url("/search", &[("page", None), ("sort", Some("newest"))]),
    };
    Ok(atom(&meta, &records))
}

// ---------------------------------------------------------------- crawler files

/// `scheme://host` for full URLs, from the `Host` header when it is a plain host name (or
/// address) and port; empty, so URLs stay absolute paths, otherwise. The scheme is `https`
/// when a proxy says so in `X-Forwarded-Proto`, else `http`.
fn site_base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let plain = !host.is_empty()
        && host.len() <= 255
        && !host.starts_with(['.', '-', ':'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !plain {
        return String::new();
    }
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// A response that depends on the `Host` it was asked of.
fn per_host(content_type: &'static str, body: String) -> Response {
    let mut response = xml_response(content_type, body);
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("host, x-forwarded-proto"));
    response
}

/// `/sitemap.xml`: every page worth crawling: home, areas and each area, every article,
/// themes and each theme, quotes, data and the search help.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = site_base(&headers);
    let catalogue = state.archive.catalogue();
    let mut paths: Vec<String> = vec!["/".into(), "/areas".into(), "/areas/uninspected".into()];
    paths.extend(state.gazetteer.areas().iter().map(|a| format!("/areas/{}", a.slug)));
    paths.extend(catalogue.articles.iter().map(|a| format!("/articles/{}", a.slug)));
    paths.push("/themes".into());
    paths.extend(Theme::ALL.iter().map(|t| format!("/themes/{t}")));
    paths.extend(["/quotes".into(), "/data".into(), "/search/help".into()]);
    let mut xml = XmlWriter::new();
    xml.start("urlset", &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")]);
    for path in paths {
        xml.start("url", &[]).text("loc", &[], &format!("{base}{path}")).end();
    }
    per_host("application/xml; charset=utf-8", xml.finish())
}

/// `/robots.txt`: everything may be crawled; where the sitemap is.
pub async fn robots(headers: HeaderMap) -> Response {
    let body = format!("User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n", site_base(&headers));
    per_host("text/plain; charset=utf-8", body)
}

/// `/opensearch.xml`: lets browsers add the archive as a search engine.
pub async fn opensearch(headers: HeaderMap) -> Response {
    let base = site_base(&headers);
    let mut xml = XmlWriter::new();
    xml.start("OpenSearchDescription", &[("xmlns", "http://a9.com/-/spec/opensearch/1.1/")])
        .text("ShortName", &[], "SEND archive")
        .text(
            "Description",
            &[],
            "Search what Ofsted and the CQC said about local areas' SEND services in England.",
        )
        .text("InputEncoding", &[], "UTF-8")
        .empty(
            "Url",
            &[("type", "text/html"), ("template", &format!("{base}/search?q={{searchTerms}}"))],
        )
        .empty(
            "Url",
            &[
                ("type", "application/json"),
                ("template", &format!("{base}/api/search?q={{searchTerms}}")),
            ],
        )
        .empty(
            "Url",
            &[
                ("type", "application/atom+xml"),
                ("template", &format!("{base}/search/feed.xml?q={{searchTerms}}")),
            ],
        )
        .empty(
            "Url",
            &[
                ("type", "application/opensearchdescription+xml"),
                ("rel", "self"),
                ("template", &format!("{base}/opensearch.xml")),
            ],
        );
    per_host("application/opensearchdescription+xml; charset=utf-8", xml.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes_and_drops_forbidden_characters() {
        let mut xml = XmlWriter::new();
        xml.start("a", &[("href", "/x?a=1&b=\"2\"")]).text("t", &[], "<b> & 'c'\u{1}\u{FFFF}");
        let out = xml.finish();
        assert!(out.contains(r#"<a href="/x?a=1&amp;b=&quot;2&quot;">"#), "{out}");
        assert!(out.contains("<t>&lt;b&gt; &amp; &apos;c&apos;</t>"), "{out}");
        assert!(out.trim_end().ends_with("</a>"), "{out}");
    }

    #[test]
    fn partial_dates_become_midnight_utc() {
        let check = |text: Option<&str>, expected: &str| {
            let date = text.map(|t| t.parse::<PartialDate>().unwrap());
            assert_eq!(atom_date(date), expected);
        };
        check(Some("2023-03-06"), "2023-03-06T00:00:00Z");
        check(Some("2023-03"), "2023-03-01T00:00:00Z");
        check(Some("2023"), "2023-01-01T00:00:00Z");
        check(Some("--01-20"), EPOCH);
        check(None, EPOCH);
    }

    #[test]
    fn full_urls_only_for_plain_hosts() {
        let mut headers = HeaderMap::new();
        assert_eq!(site_base(&headers), "");
        headers.insert(header::HOST, HeaderValue::from_static("send.example:8080"));
        assert_eq!(site_base(&headers), "http://send.example:8080");
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(site_base(&headers), "https://send.example:8080");
        headers.insert(header::HOST, HeaderValue::from_static("evil\"><x"));
        assert_eq!(site_base(&headers), "");
    }
}
