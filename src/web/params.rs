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
    pub fn url(&self, path: &str, changes: &[(&str, Option<&str>)]) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let change = |name: &str| changes.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let mut push = |name: &str, current: Option<String>| {
            let value = match change(name) {
                Some(new) => new.map(str::to_string),
                None => current,
            };
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                pairs.push((name.to_string(), value));
            }
        };
        push("q", Some(self.query().to_string()));
        let filters = self.filters();
        for name in FILTERS {
            push(name, filters.get(*name).cloned());
        }
        push("sort", (self.sort() == Sort::Newest).then(|| "newest".to_string()));
        // Changing anything else starts again at page 1; the URL of the page itself keeps it.
        let page = Some(self.page()).filter(|&p| p > 1 && changes.is_empty());
        push("page", page.map(|p| p.to_string()));
        // Which facet is expanded is how the page looks, not what it finds: kept only when a
        // change asks for it, so filter links and the canonical URL go without it.
        push("more", None);
        build_url(path, &pairs)
    }
}

/// `path?name=value&...`, percent-encoded; just `path` without pairs.
pub fn build_url(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> =
        pairs.iter().map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect();
    format!("{path}?{}", query.join("&"))
}

/// Percent-encodes a query component (space as `+`).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
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
