//! Query parameters: parsed leniently into typed structs, and written back into URLs.
//!
//! Search URLs are permalinks, so the same parameters always produce the same URL (fixed
//! order, empty values left out), and a facet link is the current URL with one parameter
//! changed. Unknown or malformed values never fail a request: a bad `page` is page 1, an
//! unknown `sort` is relevance.

use std::collections::BTreeMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Deserialize;

use super::AppError;
use crate::index::{SearchRequest, Sort};

/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// The highest page number accepted (deep pages cost more than they are worth).
pub const MAX_PAGE: usize = 500;

/// The filter parameters of a search, in URL order.
pub const FILTERS: &[&str] =
    &["area", "region", "outcome", "framework", "kind", "theme", "year", "source"];

/// Query parameters, extracted from the URL; a malformed query string is a 400 page, never
/// a bare rejection.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Params(value)),
            Err(rejection) => Err(AppError::BadRequest(format!(
                "The address has parameters the archive cannot read ({}).",
                rejection.body_text()
            ))),
        }
    }
}

/// The parameters of `/search` (and its feed and JSON twin).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParams {
    /// The query.
    pub q: Option<String>,
    /// Filters by name.
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

impl SearchParams {
    /// The query, trimmed.
    pub fn query(&self) -> &str {
        self.q.as_deref().unwrap_or("").trim()
    }

    /// The filters in force (known names, non-empty values).
    pub fn filters(&self) -> BTreeMap<String, String> {
        FILTERS
            .iter()
            .filter_map(|&name| {
                let value = self.rest.get(name)?.trim();
                (!value.is_empty()).then(|| (name.to_string(), value.to_string()))
            })
            .collect()
    }

    /// Newest first?
    pub fn sort(&self) -> Sort {
        match self.rest.get("sort").map(String::as_str) {
            Some("newest") => Sort::Newest,
            _ => Sort::Relevance,
        }
    }

    /// The page number, from 1.
    pub fn page(&self) -> usize {
        self.rest.get("page").and_then(|p| p.trim().parse().ok()).unwrap_or(1).clamp(1, MAX_PAGE)
    }

    /// The facet whose values are all shown (`more=area`), if it is one of the filters.
    pub fn expanded_facet(&self) -> Option<&'static str> {
        let wanted = self.rest.get("more")?.trim();
        FILTERS.iter().copied().find(|&name| name == wanted)
    }

    /// The index request for this page.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.query().to_string(),
            filters: self.filters(),
            sort: self.sort(),
            offset: (self.page() - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        }
    }

    /// The URL of this search at `path` with parameters changed: `Some(value)` sets one,
    /// `None` removes it. The page goes back to 1 unless it is among the changes; `more`
    /// (an expanded facet) is only there when a change sets it.
    ///
    /// A search page links to itself some seventy times (every facet value), so this
    /// writes straight into one string.
    pub fn url(&self, path: &str, changes: &[(&str, Option<&str>)]) -> String {
        let mut url = UrlWriter { out: String::with_capacity(path.len() + 96), pairs: 0 };
        url.out.push_str(path);
        let mut push = |name: &str, current: Option<&str>| {
            let value = match changes.iter().find(|(n, _)| *n == name) {
                Some((_, new)) => *new,
                None => current,
            };
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                url.pair(name, value);
            }
        };
        push("q", Some(self.query()));
        for name in FILTERS {
            push(name, self.rest.get(*name).map(|v| v.trim()));
        }
        push("sort", (self.sort() == Sort::Newest).then_some("newest"));
        // Changing anything else starts again at page 1; the URL of the page itself keeps it.
        let page = Some(self.page()).filter(|&p| p > 1 && changes.is_empty());
        push("page", page.map(|p| p.to_string()).as_deref());
        // Which facet is expanded is how the page looks, not what it finds: kept only when a
        // change asks for it, so filter links and the canonical URL go without it.
        push("more", None);
        url.out
    }
}

/// A URL being written: `path`, then `?` or `&` before each pair.
struct UrlWriter {
    out: String,
    pairs: usize,
}

impl UrlWriter {
    fn pair(&mut self, name: &str, value: &str) {
        self.out.push(if self.pairs == 0 { '?' } else { '&' });
        self.pairs += 1;
        encode_into(&mut self.out, name);
        self.out.push('=');
        encode_into(&mut self.out, value);
    }
}

/// `path?name=value&...`, percent-encoded; just `path` without pairs.
pub fn build_url(path: &str, pairs: &[(String, String)]) -> String {
    let mut url = UrlWriter { out: path.to_string(), pairs: 0 };
    for (name, value) in pairs {
        url.pair(name, value);
    }
    url.out
}

/// Percent-encodes a query component (space as `+`).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(&mut out, text);
    out
}

/// Appends `text` to `out`, percent-encoded as a query component (space as `+`).
fn encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            other => {
                out.push('%');
                out.push(char::from(HEX[usize::from(other >> 4)]));
                out.push(char::from(HEX[usize::from(other & 15)]));
            }
        }
    }
}

/// The parameters of `/quotes`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuoteParams {
    /// Who said it (part of a name).
    pub speaker: Option<String>,
    /// Their role (part of it): "chair", "parent carer forum".
    pub role: Option<String>,
    /// The area's slug.
    pub area: Option<String>,
    /// The page, from 1.
    pub page: Option<String>,
}

impl QuoteParams {
    /// The page number, from 1.
    pub fn page(&self) -> usize {
        self.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1).clamp(1, MAX_PAGE)
    }
}

/// The parameters of an area page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageParams {
    /// The page of the timeline, from 1.
    pub page: Option<String>,
}

impl PageParams {
    /// The page number, from 1.
    pub fn page(&self) -> usize {
        self.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1).clamp(1, MAX_PAGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let mut params = SearchParams::default();
        for (name, value) in pairs {
            if *name == "q" {
                params.q = Some(value.to_string());
            } else {
                params.rest.insert(name.to_string(), value.to_string());
            }
        }
        params
    }

    #[test]
    fn urls_are_canonical_and_keep_other_filters() {
        let p = params(&[
            ("q", "waiting times"),
            ("outcome", "inconsistent"),
            ("page", "3"),
            ("bogus", "x"),
        ]);
        assert_eq!(p.url("/search", &[]), "/search?q=waiting+times&outcome=inconsistent&page=3");
        assert_eq!(
            p.url("/search", &[("area", Some("dudley"))]),
            "/search?q=waiting+times&area=dudley&outcome=inconsistent"
        );
        assert_eq!(p.url("/search", &[("outcome", None)]), "/search?q=waiting+times");
        assert_eq!(
            p.url("/search", &[("page", Some("4"))]),
            "/search?q=waiting+times&outcome=inconsistent&page=4"
        );
        // Blank and padded values, an empty query, the expanded facet and sorting.
        let p = params(&[("q", "  "), ("area", " dudley "), ("theme", " "), ("sort", "newest")]);
        assert_eq!(p.url("/search", &[]), "/search?area=dudley&sort=newest");
        assert_eq!(
            p.url("/search", &[("more", Some("area")), ("q", Some("a&b"))]),
            "/search?q=a%26b&area=dudley&sort=newest&more=area"
        );
        assert_eq!(params(&[]).url("/search", &[]), "/search");
        assert_eq!(build_url("/x", &[]), "/x");
        assert_eq!(build_url("/x", &[("a b".into(), "ü".into())]), "/x?a+b=%C3%BC");
    }

    #[test]
    fn bad_values_fall_back_quietly() {
        let p = params(&[("page", "-2"), ("sort", "sideways")]);
        assert_eq!(p.page(), 1);
        assert_eq!(p.sort(), Sort::Relevance);
        assert_eq!(params(&[("page", "999999")]).page(), MAX_PAGE);
    }

    #[test]
    fn encodes_reserved_and_non_ascii_characters() {
        assert_eq!(encode("a&b=c <script>"), "a%26b%3Dc+%3Cscript%3E");
        assert_eq!(encode("Cllr’s"), "Cllr%E2%80%99s");
    }
}
