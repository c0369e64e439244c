//! The archive as data: JSON twins of the pages under `/api`, and CSV downloads under
//! `/data`. Everything here is derived from the index and its catalogue; nothing is written by
//! hand. Feeds and crawler files are in `feeds.rs`.
//!
//! # JSON shapes
//!
//! Every endpoint answers `application/json`. The shapes below are a contract with the data's
//! users: fields may be added, never renamed or removed. Codes (`outcome`, `framework`,
//! `kind`, theme ids, `polarity`) are those of domain.md; dates are ISO 8601 truncated forms
//! as the articles give them (`2023-03-06`, `2023-03`, `2023`, `--01-20`); a fact an article
//! does not state is `null`, never guessed. URLs are absolute paths.
//!
//! - `GET /api`: `{name, description, generation, articles, inspections, endpoints:
//!   [{path, description, params}]}`.
//! - `GET /api/search` (the parameters of `/search`: `q`, `area`, `region`, `outcome`,
//!   `framework`, `kind`, `theme`, `year`, `source`, `sort`, `page`): `{query, filters,
//!   sort, total, page, pages, page_size, results: [{slug, url, title, area: {slug, name,
//!   code, region, url} | null, areas: [area ref], roundup, published, source, outcome,
//!   framework, snippet_html, snippet_text}], facets: {name: [{value, label, count}]},
//!   links: {html, feed, prev, next}}`. A filtered dimension's facet counts are over the
//!   matches without its own filter, as on the page. `areas` lists every area of a result
//!   (one, or a round-up's several, in article order); for a round-up (`roundup: true`)
//!   `area` and `outcome` are `null`, since its areas' outcomes differ, and `framework` is
//!   set only when all its inspections share it. A round-up matches a filter by any of its
//!   areas, regions, outcomes, frameworks, kinds, years or themes, and filters combine per
//!   article: `area=A&outcome=X` matches a round-up where X is another area's outcome.
//! - `GET /api/areas`: `{count, current, former, areas: [area]}` where an *area* is `{code,
//!   name, slug, region, kind, council, former, successors: [{code, slug, name, url}],
//!   predecessors: [...], latest_outcome: outcome | null, latest_inspection, articles,
//!   inspections, url, api_url, feed_url}` and an *outcome* is `{code, label, wording,
//!   gloss}`.
//! - `GET /api/areas/{slug}`: `{area, inspections: [inspection], articles: [article],
//!   themes: [finding], quotes: [quote]}`.
//! - `GET /api/articles/{slug}`: the stored record (as `send-archive extract --json` prints
//!   it) plus `url`, `api_url`, `area_url`, `inspection_id`, `area_urls` and
//!   `inspection_ids` (one per inspection reported, in order; an id is `null` for an
//!   inspection too vague to group). A *round-up* (an article reporting several areas'
//!   inspections) has `area: null`, no `inspection`, `area_url` and `inspection_id` `null`,
//!   and `inspections: [{area, framework, kind, visit_start, visit_end, visit_text,
//!   report_published, outcome, outcome_evidence, outcome_paragraph, themes, quotes}]`, one
//!   per area in article order, each with its findings and quotes (numbered through the
//!   article, as in the top-level `quotes`, which hold all of them). A former slug redirects
//!   (308) to the current one, as the HTML page does.
//! - `GET /api/themes`: `{count, themes: [{id, label, covers, url, api_url, feed_url,
//!   areas_praised, areas_criticised, articles}]}`.
//! - `GET /api/themes/{id}`: `{theme, praised: [{area, count, evidence: [finding]}],
//!   criticised: [...]}`.
//! - `GET /api/quotes` (the parameters of `/quotes`: `speaker`, `role`, `area`, `page`):
//!   `{filters, total, page, pages, page_size, quotes: [quote]}`.
//! - `GET /api/inspections`: `{count, inspections: [inspection]}`, newest first.
//!
//! An *inspection* is `{id, url, area, framework, framework_label, kind, kind_label,
//! visit_start, visit_end, visit, report_published, outcome: outcome | null, year, articles:
//! [{slug, title, url, source, published}]}` (a round-up is among the articles of each of
//! its areas' inspections); an *article* (summary, as an area lists it) is `{slug, url,
//! api_url, title, published, source, source_url, roundup, areas: [area ref], framework,
//! kind, outcome, inspection_id, year, themes: [{id, polarity}], quotes}`, whose facts,
//! themes and quote count are those of its report about that area (a round-up's part); a
//! *finding* is `{theme, label, polarity, evidence, article,
//! article_title, url}` (`url` links the paragraph); a *quote* is `{n, speaker, role,
//! organisation, kind, text, permalink, article: {slug, title, url}, area}` (for a
//! round-up, the area the quote is about). An area's page and data, and `/api/quotes?area=`,
//! show of a round-up only its part about that area; a theme counts a round-up's finding
//! under the area it is about.
//!
//! Errors are JSON too: an unknown slug or id is `404 {error}`, a search the parser rejects
//! is `400 {error, hint}`, unreadable parameters are `400 {error}`, and anything else is
//! `500 {error}` with the detail logged, not shown.
//!
//! # CSV
//!
//! `/data/inspections.csv` has one row per inspection (a round-up's areas each have theirs)
//! and `/data/articles.csv` one per article, newest first (a round-up's per-inspection
//! columns hold one value per area joined by `;`: see [`articles_csv`]): UTF-8 without a byte-order mark, a header row, CRLF line ends and
//! RFC 4180 quoting (a field with a comma, quote, CR or LF is quoted; quotes are doubled).
//!
//! **Formula injection.** Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (and
//! some a leading tab or CR) as a formula, so article text such as a headline could run code
//! on a reader's machine. Every free-text cell (headlines, names, publishers, addresses) that
//! starts with one of those gets a leading apostrophe, which spreadsheets hide and treat as
//! "this is text". Cells the archive writes itself from a fixed grammar (codes, counts, our
//! own paths and ISO dates) are written exactly, so that a year-less date such as `--01-20`
//! stays the ISO form machine readers expect.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Redirect, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::AppState;
use super::handlers::{
    facet_label, framework_label, kind_label, narrowed, quote_area, theme_area_counts, visit_text,
};
use super::params::{PAGE_SIZE, QuoteParams, SearchParams};
use super::views::theme_covers;
use crate::extract::{
    AreaRef, Framework, Kind, LocalArea, Outcome, PartialDate, Polarity, QuoteKind, QuoteRecord,
    Record, Theme, ThemeRecord,
};
use crate::index::search::FACETS;
use crate::index::{
    AreaSummary, ArticleSummary, Catalogue, InspectionSummary, QueryError, ReportSummary,
    SearchError, Sort,
};

/// Records read for an area's themes and quotes, and for a theme's evidence.
const MAX_RECORDS: usize = 10_000;

// ---------------------------------------------------------------- errors and extractors

/// An error of the JSON API, answered as JSON rather than as an HTML page.
#[derive(Debug)]
pub enum ApiError {
    /// No such area, article, theme or endpoint; the message says what was not found.
    NotFound(String),
    /// The request cannot be served as asked.
    BadRequest {
        /// What is wrong.
        error: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// Anything else; logged, never shown.
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError::Internal(error.into())
    }
}

impl ApiError {
    fn from_search(error: SearchError) -> ApiError {
        match error {
            SearchError::Query(error) => ApiError::bad_query(error),
            SearchError::Internal(error) => ApiError::Internal(error),
        }
    }

    fn bad_query(error: QueryError) -> ApiError {
        match error {
            QueryError::TooLong { .. } => ApiError::BadRequest {
                error: error.to_string(),
                hint: Some("Search for a few distinctive words.".to_string()),
            },
            QueryError::Syntax { message, hint } => ApiError::BadRequest {
                error: format!("The search could not be run: {message}."),
                hint: Some(hint),
            },
        }
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::NotFound(error) => (StatusCode::NOT_FOUND, ErrorBody { error, hint: None }),
            ApiError::BadRequest { error, hint } => {
                (StatusCode::BAD_REQUEST, ErrorBody { error, hint })
            }
            ApiError::Internal(error) => {
                tracing::error!("internal error: {error:#}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorBody {
                        error: "The archive could not answer this request.".into(),
                        hint: None,
                    },
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// The result of every API handler.
pub type ApiResult = Result<Response, ApiError>;

/// Query parameters for the API: like [`super::params::Params`], but a malformed query string
/// is a JSON 400.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(ApiError::BadRequest {
                error: format!(
                    "The address has parameters the archive cannot read ({}).",
                    rejection.body_text()
                ),
                hint: None,
            }),
        }
    }
}

fn json<T: Serialize>(value: &T) -> Response {
    Json(value).into_response()
}

// ---------------------------------------------------------------- shapes

/// An outcome: its code, short label, official wording and plain-English gloss.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeJson {
    code: &'static str,
    label: &'static str,
    wording: &'static str,
    gloss: &'static str,
}

impl From<Outcome> for OutcomeJson {
    fn from(outcome: Outcome) -> OutcomeJson {
        OutcomeJson {
            code: outcome.code(),
            label: outcome.label(),
            wording: outcome.official_wording(),
            gloss: outcome.gloss(),
        }
    }
}

/// An area as results and inspections name it.
#[derive(Debug, Clone, Serialize)]
struct AreaRefJson {
    slug: String,
    name: String,
    code: String,
    region: String,
    url: String,
}

impl AreaRefJson {
    fn new(slug: &str, name: &str, code: &str, region: &str) -> AreaRefJson {
        AreaRefJson {
            slug: slug.to_string(),
            name: name.to_string(),
            code: code.to_string(),
            region: region.to_string(),
            url: format!("/areas/{slug}"),
        }
    }

    fn from_summary(area: &AreaSummary) -> AreaRefJson {
        AreaRefJson::new(&area.slug, &area.name, &area.code, &area.region)
    }

    fn from_record(area: &AreaRef) -> AreaRefJson {
        AreaRefJson::new(&area.slug, &area.name, &area.code, &area.region)
    }
}

/// A neighbouring area in a reorganisation.
#[derive(Debug, Serialize)]
struct AreaLinkJson {
    code: String,
    slug: String,
    name: String,
    url: String,
}

/// An area with its coverage.
#[derive(Debug, Serialize)]
struct AreaJson {
    code: String,
    name: String,
    slug: String,
    region: String,
    kind: String,
    council: String,
    former: bool,
    successors: Vec<AreaLinkJson>,
    predecessors: Vec<AreaLinkJson>,
    /// The latest outcome the articles report.
    latest_outcome: Option<OutcomeJson>,
    latest_inspection: Option<String>,
    /// The latest outcome in the official record (the area's own inspections or those of
    /// the areas it replaced).
    official_outcome: Option<OutcomeJson>,
    /// How many inspections the official record lists for it (and the areas it replaced).
    official_inspections: usize,
    articles: usize,
    inspections: usize,
    url: String,
    api_url: String,
    feed_url: String,
}

/// An article as an inspection lists it.
#[derive(Debug, Serialize)]
struct ArticleLinkJson {
    slug: String,
    title: String,
    url: String,
    source: Option<String>,
    published: Option<PartialDate>,
}

/// One inspection.
#[derive(Debug, Serialize)]
struct InspectionJson {
    id: String,
    url: String,
    area: AreaRefJson,
    framework: Option<Framework>,
    framework_label: Option<&'static str>,
    kind: Option<Kind>,
    kind_label: Option<&'static str>,
    visit_start: Option<PartialDate>,
    visit_end: Option<PartialDate>,
    visit: Option<String>,
    report_published: Option<PartialDate>,
    outcome: Option<OutcomeJson>,
    year: Option<i32>,
    articles: Vec<ArticleLinkJson>,
}

impl InspectionJson {
    fn new(catalogue: &Catalogue, inspection: &InspectionSummary) -> InspectionJson {
        InspectionJson {
            id: inspection.id.clone(),
            url: format!("/areas/{}#{}", inspection.area.slug, inspection.id),
            area: AreaRefJson::from_summary(&inspection.area),
            framework: inspection.framework,
            framework_label: inspection.framework.map(framework_label),
            kind: inspection.kind,
            kind_label: inspection.kind.map(kind_label),
            visit_start: inspection.visit_start,
            visit_end: inspection.visit_end,
            visit: visit_text(inspection.visit_start, inspection.visit_end),
            report_published: inspection.report_published,
            outcome: inspection.outcome.map(OutcomeJson::from),
            year: inspection.year,
            articles: inspection
                .articles
                .iter()
                .map(|&i| {
                    let article = &catalogue.articles[i];
                    ArticleLinkJson {
                        slug: article.slug.clone(),
                        title: article.title.clone(),
                        url: format!("/articles/{}", article.slug),
                        source: article.source.clone(),
                        published: article.published,
                    }
                })
                .collect(),
        }
    }
}

/// A theme on an article.
#[derive(Debug, Serialize)]
struct ThemeTagJson {
    id: Theme,
    polarity: Polarity,
}

/// An article, summarised, as one area's page lists it: the facts are those of its report
/// about that area (a round-up's part).
#[derive(Debug, Serialize)]
struct ArticleSummaryJson {
    slug: String,
    url: String,
    api_url: String,
    title: String,
    published: Option<PartialDate>,
    source: Option<String>,
    source_url: Option<String>,
    roundup: bool,
    areas: Vec<AreaRefJson>,
    framework: Option<Framework>,
    kind: Option<Kind>,
    outcome: Option<Outcome>,
    inspection_id: Option<String>,
    year: Option<i32>,
    themes: Vec<ThemeTagJson>,
    quotes: usize,
}

impl ArticleSummaryJson {
    fn new(
        catalogue: &Catalogue,
        article: &ArticleSummary,
        report: &ReportSummary,
    ) -> ArticleSummaryJson {
        ArticleSummaryJson {
            slug: article.slug.clone(),
            url: format!("/articles/{}", article.slug),
            api_url: format!("/api/articles/{}", article.slug),
            title: article.title.clone(),
            published: article.published,
            source: article.source.clone(),
            source_url: article.source_url.clone(),
            roundup: article.roundup,
            areas: article.areas().map(AreaRefJson::from_summary).collect(),
            framework: report.framework,
            kind: report.kind,
            outcome: report.outcome,
            inspection_id: report.inspection.map(|i| catalogue.inspections[i].id.clone()),
            year: report.year,
            themes: report
                .themes
                .iter()
                .map(|&(id, polarity)| ThemeTagJson { id, polarity })
                .collect(),
            quotes: report.quotes,
        }
    }
}

/// A theme praised or criticised, with the sentence that says so.
#[derive(Debug, Serialize)]
struct FindingJson {
    theme: Theme,
    label: &'static str,
    polarity: Polarity,
    evidence: String,
    article: String,
    article_title: String,
    url: String,
}

fn findings(record: &Record) -> impl Iterator<Item = FindingJson> + '_ {
    findings_of(record, &record.themes)
}

/// Some of a record's findings (a round-up's part about one area) as JSON.
fn findings_of<'r>(
    record: &'r Record,
    themes: &'r [ThemeRecord],
) -> impl Iterator<Item = FindingJson> + 'r {
    themes.iter().map(|finding| FindingJson {
        theme: finding.id,
        label: finding.id.label(),
        polarity: finding.polarity,
        evidence: finding.evidence.clone(),
        article: record.slug.clone(),
        article_title: record.title.clone(),
        url: format!("/articles/{}#p-{}", record.slug, finding.paragraph + 1),
    })
}

/// The article a quote is from.
#[derive(Debug, Serialize)]
struct QuoteSourceJson {
    slug: String,
    title: String,
    url: String,
}

/// A quote and who said it.
#[derive(Debug, Serialize)]
struct QuoteJson {
    n: usize,
    speaker: Option<String>,
    role: Option<String>,
    organisation: Option<String>,
    kind: QuoteKind,
    text: String,
    permalink: String,
    article: QuoteSourceJson,
    area: Option<AreaRefJson>,
}

impl QuoteJson {
    fn new(record: &Record, quote: &QuoteRecord) -> QuoteJson {
        QuoteJson {
            n: quote.n,
            speaker: quote.speaker.clone(),
            role: quote.role.clone(),
            organisation: quote.organisation.clone(),
            kind: quote.kind,
            text: quote.text.clone(),
            permalink: format!("/articles/{}#quote-{}", record.slug, quote.n),
            article: QuoteSourceJson {
                slug: record.slug.clone(),
                title: record.title.clone(),
                url: format!("/articles/{}", record.slug),
            },
            area: quote_area(record, quote.n).map(AreaRefJson::from_record),
        }
    }
}

/// A theme in the list of themes.
#[derive(Debug, Serialize)]
struct ThemeJson {
    id: Theme,
    label: &'static str,
    covers: &'static str,
    url: String,
    api_url: String,
    feed_url: String,
    areas_praised: usize,
    areas_criticised: usize,
    articles: usize,
}

fn theme_json_row(
    theme: Theme,
    counts: &HashMap<Theme, (usize, usize)>,
    articles: usize,
) -> ThemeJson {
    let (praised, criticised) = counts.get(&theme).copied().unwrap_or((0, 0));
    ThemeJson {
        id: theme,
        label: theme.label(),
        covers: theme_covers(theme),
        url: format!("/themes/{theme}"),
        api_url: format!("/api/themes/{theme}"),
        feed_url: format!("/themes/{theme}/feed.xml"),
        areas_praised: praised,
        areas_criticised: criticised,
        articles,
    }
}

// ---------------------------------------------------------------- endpoints

/// One endpoint in the `/api` index.
#[derive(Debug, Serialize)]
struct EndpointJson {
    path: &'static str,
    description: &'static str,
    params: &'static [&'static str],
}

const SEARCH_PARAMS: &[&str] = &[
    "q",
    "area",
    "region",
    "outcome",
    "framework",
    "kind",
    "theme",
    "year",
    "source",
    "sort",
    "page",
];

const ENDPOINTS: &[EndpointJson] = &[
    EndpointJson {
        path: "/api",
        description: "This index of the archive's data endpoints.",
        params: &[],
    },
    EndpointJson {
        path: "/api/search",
        description: "Search articles, with the parameters of /search: results with snippets, facet counts and pages.",
        params: SEARCH_PARAMS,
    },
    EndpointJson {
        path: "/api/areas",
        description: "Every local area, current and former, with its latest outcome and coverage.",
        params: &[],
    },
    EndpointJson {
        path: "/api/areas/{slug}",
        description: "One area: its inspections over time, articles, themes with evidence, and quotes.",
        params: &[],
    },
    EndpointJson {
        path: "/api/articles/{slug}",
        description: "One article's full record: extracted and curated facts, quotes, themes and text.",
        params: &[],
    },
    EndpointJson {
        path: "/api/themes",
        description: "Every theme, with how many areas inspectors praised and criticised for it.",
        params: &[],
    },
    EndpointJson {
        path: "/api/themes/{id}",
        description: "One theme across the country: the areas praised and criticised, with evidence.",
        params: &[],
    },
    EndpointJson {
        path: "/api/quotes",
        description: "Who said what, with the parameters of /quotes.",
        params: &["speaker", "role", "area", "page"],
    },
    EndpointJson {
        path: "/api/inspections",
        description: "Every inspection, newest first, with its outcome and the articles that report it.",
        params: &[],
    },
    EndpointJson {
        path: "/data/inspections.csv",
        description: "Every inspection as CSV, one row each.",
        params: &[],
    },
    EndpointJson {
        path: "/api/register",
        description: "The official record: every local-area SEND inspection, with its outcome, report and sources, and the articles that report it.",
        params: &[],
    },
    EndpointJson {
        path: "/data/register.csv",
        description: "The official record as CSV, one row per inspection.",
        params: &[],
    },
    EndpointJson {
        path: "/data/articles.csv",
        description: "Every article as CSV, one row each.",
        params: &[],
    },
    EndpointJson {
        path: "/feed.xml",
        description: "Atom feed of the newest articles.",
        params: &[],
    },
    EndpointJson {
        path: "/areas/{slug}/feed.xml",
        description: "Atom feed of one area's articles.",
        params: &[],
    },
    EndpointJson {
        path: "/themes/{id}/feed.xml",
        description: "Atom feed of one theme's articles.",
        params: &[],
    },
    EndpointJson {
        path: "/search/feed.xml",
        description: "Atom feed of a search, newest first, with the parameters of /search.",
        params: SEARCH_PARAMS,
    },
];

#[derive(Serialize)]
struct ApiIndexJson {
    name: &'static str,
    description: &'static str,
    generation: String,
    articles: usize,
    inspections: usize,
    endpoints: &'static [EndpointJson],
}

/// `/api`: what the API offers.
pub async fn api_index(State(state): State<AppState>) -> Response {
    let catalogue = state.archive.catalogue();
    json(&ApiIndexJson {
        name: "The SEND Inspection Archive",
        description: "What Ofsted and the CQC said about each English local area's SEND services.",
        generation: state.archive.generation(),
        articles: catalogue.articles.len(),
        inspections: catalogue.inspections.len(),
        endpoints: ENDPOINTS,
    })
}

#[derive(Serialize)]
struct SearchResultJson {
    slug: String,
    url: String,
    title: String,
    area: Option<AreaRefJson>,
    areas: Vec<AreaRefJson>,
    roundup: bool,
    published: Option<PartialDate>,
    source: Option<String>,
    outcome: Option<Outcome>,
    framework: Option<Framework>,
    snippet_html: String,
    snippet_text: String,
}

#[derive(Serialize)]
struct FacetValueJson {
    value: String,
    label: String,
    count: u64,
}

#[derive(Serialize)]
struct SearchLinksJson {
    html: String,
    feed: String,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct SearchJson {
    query: String,
    filters: BTreeMap<String, String>,
    sort: &'static str,
    total: usize,
    page: usize,
    pages: usize,
    page_size: usize,
    results: Vec<SearchResultJson>,
    facets: BTreeMap<String, Vec<FacetValueJson>>,
    links: SearchLinksJson,
}

/// `/api/search`: the JSON twin of `/search`.
pub async fn search_json(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult {
    let results = state.archive.search(&params.request()).map_err(ApiError::from_search)?;
    let catalogue = state.archive.catalogue();
    let sources = &catalogue.sources;
    let facets = FACETS
        .iter()
        .map(|&name| {
            let values = results
                .facets
                .get(name)
                .map(|values| {
                    values
                        .iter()
                        .map(|(value, count)| FacetValueJson {
                            value: value.clone(),
                            label: facet_label(&state, name, value, sources),
                            count: *count,
                        })
                        .collect()
                })
                .unwrap_or_default();
            (name.to_string(), values)
        })
        .collect();
    let page = params.page();
    let pages = results.total.div_ceil(PAGE_SIZE).max(1);
    let page_url = |page: usize| params.url("/api/search", &[("page", Some(&page.to_string()))]);
    let body = SearchJson {
        query: params.query().to_string(),
        filters: params.filters(),
        sort: match params.sort() {
            Sort::Newest => "newest",
            Sort::Relevance => "relevance",
        },
        total: results.total,
        page,
        pages,
        page_size: PAGE_SIZE,
        results: results
            .hits
            .into_iter()
            .map(|hit| SearchResultJson {
                areas: hit.areas().map(AreaRefJson::from_record).collect(),
                roundup: !hit.roundup_areas.is_empty(),
                url: format!("/articles/{}", hit.slug),
                slug: hit.slug,
                title: hit.title,
                area: hit.area.as_ref().map(AreaRefJson::from_record),
                published: hit.published,
                source: hit.source,
                outcome: hit.outcome,
                framework: hit.framework,
                snippet_html: hit.snippet_html,
                snippet_text: hit.snippet_text,
            })
            .collect(),
        facets,
        links: SearchLinksJson {
            html: params.url("/search", &[]),
            feed: params.url("/search/feed.xml", &[("page", None), ("sort", None)]),
            prev: (page > 1).then(|| page_url(page - 1)),
            next: (page < pages).then(|| page_url(page + 1)),
        },
    };
    Ok(json(&body))
}

fn area_json_row(
    state: &AppState,
    catalogue: &Catalogue,
    area: &LocalArea,
    latest: &HashMap<&str, &InspectionSummary>,
    counts: &HashMap<&str, usize>,
) -> AreaJson {
    let links = |codes: &[String]| -> Vec<AreaLinkJson> {
        codes
            .iter()
            .filter_map(|code| state.gazetteer.by_code(code))
            .map(|a| AreaLinkJson {
                code: a.code.clone(),
                slug: a.slug.clone(),
                name: a.name.clone(),
                url: format!("/areas/{}", a.slug),
            })
            .collect()
    };
    let latest = latest.get(area.slug.as_str());
    let codes = area.codes_with_predecessors();
    let register = &catalogue.register;
    AreaJson {
        code: area.code.clone(),
        name: area.name.clone(),
        slug: area.slug.clone(),
        region: area.region.clone(),
        kind: area.kind.clone(),
        council: area.council.clone(),
        former: area.is_former(),
        successors: links(&area.successors),
        predecessors: links(&area.predecessors),
        latest_outcome: latest.and_then(|i| i.outcome).map(OutcomeJson::from),
        latest_inspection: latest.map(|i| i.id.clone()),
        official_outcome: register
            .latest_outcome(&codes)
            .and_then(|i| i.outcome)
            .map(OutcomeJson::from),
        official_inspections: register
            .inspections()
            .iter()
            .filter(|i| codes.contains(&i.area_code.as_str()))
            .count(),
        articles: counts.get(area.slug.as_str()).copied().unwrap_or(0),
        inspections: catalogue.area_inspections(&area.slug).len(),
        url: format!("/areas/{}", area.slug),
        api_url: format!("/api/areas/{}", area.slug),
        feed_url: format!("/areas/{}/feed.xml", area.slug),
    }
}

#[derive(Serialize)]
struct AreasJson {
    count: usize,
    current: usize,
    former: usize,
    areas: Vec<AreaJson>,
}

/// `/api/areas`: every area in the gazetteer, current and former, by name.
pub async fn areas_json(State(state): State<AppState>) -> Response {
    let catalogue = state.archive.catalogue();
    let latest = catalogue.latest_outcomes();
    let counts = catalogue.article_counts();
    let mut areas: Vec<AreaJson> = state
        .gazetteer
        .areas()
        .iter()
        .map(|area| area_json_row(&state, &catalogue, area, &latest, &counts))
        .collect();
    areas.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.slug.cmp(&b.slug)));
    let former = areas.iter().filter(|a| a.former).count();
    json(&AreasJson { count: areas.len(), current: areas.len() - former, former, areas })
}

#[derive(Serialize)]
struct AreaDetailJson {
    area: AreaJson,
    /// The official record's inspections of the area (and of the areas it replaced), newest
    /// first, as `/api/register` gives them.
    official: Vec<RegisterRowJson>,
    inspections: Vec<InspectionJson>,
    articles: Vec<ArticleSummaryJson>,
    themes: Vec<FindingJson>,
    quotes: Vec<QuoteJson>,
}

/// `/api/areas/{slug}`: the JSON twin of an area's page.
pub async fn area_json(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult {
    let area = state
        .gazetteer
        .by_slug(&slug)
        .ok_or_else(|| ApiError::NotFound(format!("There is no local area {slug:?}.")))?;
    let catalogue = state.archive.catalogue();
    let filters = BTreeMap::from([("area".to_string(), area.slug.clone())]);
    // Of a round-up, only its part about this area.
    let records: Vec<Record> = state
        .archive
        .records(&filters, MAX_RECORDS)?
        .into_iter()
        .map(|r| narrowed(r, &area.slug))
        .collect();
    let body = AreaDetailJson {
        area: area_json_row(
            &state,
            &catalogue,
            area,
            &catalogue.latest_outcomes(),
            &catalogue.article_counts(),
        ),
        official: {
            let codes = area.codes_with_predecessors();
            register_order(&catalogue)
                .into_iter()
                .filter(|&i| {
                    codes.contains(&catalogue.register.inspections()[i].area_code.as_str())
                })
                .map(|i| RegisterRowJson::new(&state, &catalogue, i))
                .collect()
        },
        inspections: catalogue
            .area_inspections(&area.slug)
            .into_iter()
            .map(|i| InspectionJson::new(&catalogue, i))
            .collect(),
        articles: catalogue
            .area_articles(&area.slug)
            .into_iter()
            .filter_map(|a| {
                a.report_for(&area.slug).map(|r| ArticleSummaryJson::new(&catalogue, a, r))
            })
            .collect(),
        themes: records.iter().flat_map(findings).collect(),
        quotes: records
            .iter()
            .flat_map(|r| r.quotes.iter().map(move |q| QuoteJson::new(r, q)))
            .collect(),
    };
    Ok(json(&body))
}

#[derive(Serialize)]
struct ArticleJson {
    url: String,
    api_url: String,
    area_url: Option<String>,
    inspection_id: Option<String>,
    area_urls: Vec<String>,
    inspection_ids: Vec<Option<String>>,
    #[serde(flatten)]
    record: Record,
}

/// `/api/articles/{slug}`: an article's full record. A former slug redirects.
pub async fn article_json(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult {
    let catalogue = state.archive.catalogue();
    let Some(record) = state.archive.article(&slug)? else {
        return match catalogue.article(&slug) {
            Some(current) if current.slug != slug => {
                Ok(Redirect::permanent(&format!("/api/articles/{}", current.slug)).into_response())
            }
            _ => Err(ApiError::NotFound(format!("There is no article {slug:?}."))),
        };
    };
    // One inspection id per report: a round-up's, in the order of its `inspections`.
    let inspection_ids: Vec<Option<String>> = catalogue
        .article(&record.slug)
        .map(|a| {
            a.reports
                .iter()
                .map(|r| r.inspection.map(|i| catalogue.inspections[i].id.clone()))
                .collect()
        })
        .unwrap_or_default();
    let area_urls = record
        .reports()
        .iter()
        .filter_map(|r| r.area)
        .map(|a| format!("/areas/{}", a.slug))
        .collect();
    Ok(json(&ArticleJson {
        url: format!("/articles/{}", record.slug),
        api_url: format!("/api/articles/{}", record.slug),
        area_url: record.area.as_ref().map(|a| format!("/areas/{}", a.slug)),
        inspection_id: if record.is_roundup() {
            None
        } else {
            inspection_ids.first().cloned().flatten()
        },
        area_urls,
        inspection_ids,
        record,
    }))
}

/// Articles per theme.
fn theme_article_counts(catalogue: &Catalogue) -> HashMap<Theme, usize> {
    let mut counts: HashMap<Theme, usize> = HashMap::new();
    for article in &catalogue.articles {
        let themes: HashSet<Theme> = article.themes().map(|(theme, _)| theme).collect();
        for theme in themes {
            *counts.entry(theme).or_default() += 1;
        }
    }
    counts
}

#[derive(Serialize)]
struct ThemesJson {
    count: usize,
    themes: Vec<ThemeJson>,
}

/// `/api/themes`: every theme.
pub async fn themes_json(State(state): State<AppState>) -> Response {
    let counts = theme_area_counts(&state);
    let articles = theme_article_counts(&state.archive.catalogue());
    let themes: Vec<ThemeJson> = Theme::ALL
        .iter()
        .map(|&t| theme_json_row(t, &counts, articles.get(&t).copied().unwrap_or(0)))
        .collect();
    json(&ThemesJson { count: themes.len(), themes })
}

#[derive(Serialize)]
struct ThemeAreaJson {
    area: AreaRefJson,
    count: usize,
    evidence: Vec<FindingJson>,
}

#[derive(Serialize)]
struct ThemeDetailJson {
    theme: ThemeJson,
    praised: Vec<ThemeAreaJson>,
    criticised: Vec<ThemeAreaJson>,
}

/// `/api/themes/{id}`: the JSON twin of a theme's page: every area praised or criticised for
/// it, with all the evidence, newest first.
pub async fn theme_json(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let theme: Theme =
        id.parse().map_err(|_| ApiError::NotFound(format!("There is no theme {id:?}.")))?;
    let filters = BTreeMap::from([("theme".to_string(), theme.code().to_string())]);
    let records = state.archive.records(&filters, MAX_RECORDS)?;
    let rows = |polarity: Polarity| -> Vec<ThemeAreaJson> {
        let mut by_area: BTreeMap<String, ThemeAreaJson> = BTreeMap::new();
        // A round-up's findings count under the area each is about.
        let parts = records.iter().flat_map(|r| r.reports().into_iter().map(move |p| (r, p)));
        for (record, part) in parts {
            let Some(area) = part.area else { continue };
            let found = findings_of(record, part.themes);
            for finding in found.filter(|f| f.theme == theme && f.polarity == polarity) {
                let row = by_area.entry(area.slug.clone()).or_insert_with(|| ThemeAreaJson {
                    area: AreaRefJson::from_record(area),
                    count: 0,
                    evidence: Vec::new(),
                });
                row.count += 1;
                row.evidence.push(finding);
            }
        }
        let mut rows: Vec<ThemeAreaJson> = by_area.into_values().collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.area.name.cmp(&b.area.name)));
        rows
    };
    let praised = rows(Polarity::Strength);
    let criticised = rows(Polarity::Improvement);
    let articles = theme_article_counts(&state.archive.catalogue());
    let body = ThemeDetailJson {
        theme: theme_json_row(
            theme,
            &theme_area_counts(&state),
            articles.get(&theme).copied().unwrap_or(0),
        ),
        praised,
        criticised,
    };
    Ok(json(&body))
}

#[derive(Serialize)]
struct QuotesJson {
    filters: BTreeMap<&'static str, String>,
    total: usize,
    page: usize,
    pages: usize,
    page_size: usize,
    quotes: Vec<QuoteJson>,
}

/// `/api/quotes`: the JSON twin of `/quotes`, with the same matching (a speaker containing
/// `speaker`; a role or organisation containing `role`; in `area`), newest first.
pub async fn quotes_json(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<QuoteParams>,
) -> ApiResult {
    let clean = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_string();
    let (speaker, role, area) = (clean(&params.speaker), clean(&params.role), clean(&params.area));
    let (speaker_lc, role_lc) = (speaker.to_lowercase(), role.to_lowercase());
    let mut records = state.archive.quote_records(&speaker_lc, &role_lc, &area)?;
    if !area.is_empty() {
        // Of a round-up, only the quotes about this area.
        records = records.into_iter().map(|r| narrowed(r, &area)).collect();
    }
    let contains = |field: &Option<String>, needle: &str| {
        needle.is_empty() || field.as_deref().is_some_and(|f| f.to_lowercase().contains(needle))
    };
    let mut quotes = Vec::new();
    for record in &records {
        for quote in &record.quotes {
            let role_ok = role_lc.is_empty()
                || contains(&quote.role, &role_lc)
                || contains(&quote.organisation, &role_lc);
            if contains(&quote.speaker, &speaker_lc) && role_ok {
                quotes.push(QuoteJson::new(record, quote));
            }
        }
    }
    let total = quotes.len();
    let page = params.page();
    let filters = [("speaker", speaker), ("role", role), ("area", area)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let quotes = quotes.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    Ok(json(&QuotesJson {
        filters,
        total,
        page,
        pages: total.div_ceil(PAGE_SIZE).max(1),
        page_size: PAGE_SIZE,
        quotes,
    }))
}

#[derive(Serialize)]
struct InspectionsJson {
    count: usize,
    inspections: Vec<InspectionJson>,
}

/// `/api/inspections`: every inspection, newest first.
pub async fn inspections_json(State(state): State<AppState>) -> Response {
    let catalogue = state.archive.catalogue();
    let inspections: Vec<InspectionJson> =
        catalogue.inspections.iter().map(|i| InspectionJson::new(&catalogue, i)).collect();
    json(&InspectionsJson { count: inspections.len(), inspections })
}

// ---------------------------------------------------------------- CSV

/// One CSV cell.
enum Cell {
    /// Free text from an article or the gazetteer: guarded against formula injection.
    Text(String),
    /// A value the archive writes from a fixed grammar (a code, count, path or ISO date):
    /// written exactly.
    Value(String),
}

fn text(value: Option<&str>) -> Cell {
    Cell::Text(value.unwrap_or("").to_string())
}

fn value(value: Option<impl ToString>) -> Cell {
    Cell::Value(value.map(|v| v.to_string()).unwrap_or_default())
}

/// Builds an RFC 4180 CSV document.
struct CsvWriter {
    out: String,
}

impl CsvWriter {
    fn new(header: &[&str]) -> CsvWriter {
        let mut writer = CsvWriter { out: String::new() };
        writer.row(header.iter().map(|h| Cell::Value(h.to_string())).collect());
        writer
    }

    fn row(&mut self, cells: Vec<Cell>) {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let field = match cell {
                Cell::Text(text) => defuse_formula(text),
                Cell::Value(value) => value,
            };
            push_field(&mut self.out, &field);
        }
        self.out.push_str("\r\n");
    }

    fn finish(self, filename: &str) -> Response {
        let disposition = format!("inline; filename=\"{filename}\"");
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&disposition)
                        .unwrap_or(HeaderValue::from_static("inline")),
                ),
            ],
            self.out,
        )
            .into_response()
    }
}

/// Prefixes an apostrophe to text a spreadsheet would run as a formula.
fn defuse_formula(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

/// Appends a field, quoted when it holds a comma, quote, CR or LF (RFC 4180).
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The columns of `/data/inspections.csv`.
pub const INSPECTION_COLUMNS: &[&str] = &[
    "id",
    "area_code",
    "area_name",
    "area_slug",
    "region",
    "framework",
    "kind",
    "visit_start",
    "visit_end",
    "report_published",
    "outcome",
    "outcome_wording",
    "articles",
    "article_urls",
    "year",
];

/// `/data/inspections.csv`: one row per inspection, newest first.
pub async fn inspections_csv(State(state): State<AppState>) -> Response {
    let catalogue = state.archive.catalogue();
    let mut csv = CsvWriter::new(INSPECTION_COLUMNS);
    for inspection in &catalogue.inspections {
        let urls: Vec<String> = inspection
            .articles
            .iter()
            .map(|&i| format!("/articles/{}", catalogue.articles[i].slug))
            .collect();
        csv.row(vec![
            Cell::Value(inspection.id.clone()),
            text(Some(&inspection.area.code)),
            text(Some(&inspection.area.name)),
            Cell::Value(inspection.area.slug.clone()),
            text(Some(&inspection.area.region)),
            value(inspection.framework),
            value(inspection.kind),
            value(inspection.visit_start),
            value(inspection.visit_end),
            value(inspection.report_published),
            value(inspection.outcome),
            value(inspection.outcome.map(Outcome::official_wording)),
            Cell::Value(inspection.articles.len().to_string()),
            Cell::Value(urls.join(" ")),
            value(inspection.year),
        ]);
    }
    csv.finish("inspections.csv")
}

/// The columns of `/data/register.csv` (and the fields of `/api/register`).
pub const REGISTER_COLUMNS: &[&str] = &[
    "area_code",
    "area",
    "area_slug",
    "region",
    "framework",
    "kind",
    "visit_start",
    "visit_end",
    "report_published",
    "outcome",
    "outcome_wording",
    "report_url",
    "source",
    "source_phrase",
    "checked",
    "articles",
    "article_urls",
];

/// One official inspection, as `/api/register` gives it.
#[derive(Serialize)]
struct RegisterRowJson {
    area_code: String,
    area: Option<String>,
    area_slug: Option<String>,
    region: Option<String>,
    framework: Framework,
    kind: Kind,
    visit_start: Option<PartialDate>,
    visit_end: Option<PartialDate>,
    report_published: Option<PartialDate>,
    outcome: Option<Outcome>,
    outcome_wording: Option<&'static str>,
    report_url: Option<String>,
    source: Vec<String>,
    source_phrase: Option<String>,
    checked: PartialDate,
    articles: usize,
    article_urls: Vec<String>,
}

impl RegisterRowJson {
    fn new(state: &AppState, catalogue: &Catalogue, index: usize) -> RegisterRowJson {
        let i = &catalogue.register.inspections()[index];
        let area = state.gazetteer.by_code(&i.area_code);
        let mut article_urls: Vec<String> = catalogue
            .reporting(index)
            .iter()
            .flat_map(|r| {
                r.articles.iter().map(|&a| format!("/articles/{}", catalogue.articles[a].slug))
            })
            .collect();
        article_urls.dedup();
        RegisterRowJson {
            area_code: i.area_code.clone(),
            area: area.map(|a| a.name.clone()),
            area_slug: area.map(|a| a.slug.clone()),
            region: area.map(|a| a.region.clone()),
            framework: i.framework,
            kind: i.kind,
            visit_start: i.visit_start,
            visit_end: i.visit_end,
            report_published: i.report_published,
            outcome: i.outcome,
            outcome_wording: i.outcome.map(Outcome::official_wording),
            report_url: i.report_url.clone(),
            source: i.from.clone(),
            source_phrase: i.phrase.clone(),
            checked: i.checked,
            articles: article_urls.len(),
            article_urls,
        }
    }
}

#[derive(Serialize)]
struct RegisterJson {
    count: usize,
    columns: &'static [&'static str],
    inspections: Vec<RegisterRowJson>,
}

/// The register's rows, newest first (by visit, else report), then by area.
fn register_order(catalogue: &Catalogue) -> Vec<usize> {
    let inspections = catalogue.register.inspections();
    let mut order: Vec<usize> = (0..inspections.len()).collect();
    order.sort_by_key(|&i| {
        let key = inspections[i].date().and_then(|d| d.sort_key()).unwrap_or(i64::MIN);
        (std::cmp::Reverse(key), inspections[i].area_code.clone())
    });
    order
}

/// `/api/register`: the official record, newest first.
pub async fn register_json(State(state): State<AppState>) -> Response {
    let catalogue = state.archive.catalogue();
    let inspections: Vec<RegisterRowJson> = register_order(&catalogue)
        .into_iter()
        .map(|i| RegisterRowJson::new(&state, &catalogue, i))
        .collect();
    json(&RegisterJson { count: inspections.len(), columns: REGISTER_COLUMNS, inspections })
}

/// `/data/register.csv`: the official record, one row per inspection, newest first; `source`
/// lists its addresses separated by ` ; `, `article_urls` the archive's articles that report
/// it, separated by spaces.
pub async fn register_csv(State(state): State<AppState>) -> Response {
    let catalogue = state.archive.catalogue();
    let mut csv = CsvWriter::new(REGISTER_COLUMNS);
    for index in register_order(&catalogue) {
        let row = RegisterRowJson::new(&state, &catalogue, index);
        csv.row(vec![
            Cell::Value(row.area_code),
            text(row.area.as_deref()),
            value(row.area_slug),
            text(row.region.as_deref()),
            Cell::Value(row.framework.to_string()),
            Cell::Value(row.kind.to_string()),
            value(row.visit_start),
            value(row.visit_end),
            value(row.report_published),
            value(row.outcome),
            value(row.outcome_wording),
            text(row.report_url.as_deref()),
            text(Some(&row.source.join(" ; "))),
            text(row.source_phrase.as_deref()),
            Cell::Value(row.checked.to_string()),
            Cell::Value(row.articles.to_string()),
            Cell::Value(row.article_urls.join(" ")),
        ]);
    }
    csv.finish("register.csv")
}

/// The columns of `/data/articles.csv`.
pub const ARTICLE_COLUMNS: &[&str] = &[
    "slug",
    "url",
    "title",
    "published",
    "source",
    "source_url",
    "area_code",
    "area_name",
    "area_slug",
    "region",
    "framework",
    "kind",
    "outcome",
    "outcome_wording",
    "visit_start",
    "visit_end",
    "report_published",
    "inspection_id",
    "themes",
    "quotes",
    "year",
];

/// `/data/articles.csv`: one row per article, newest first. `themes` is space-separated
/// `id:polarity` pairs (all of a round-up's). A round-up has one row too: each column of
/// its inspections' facts (area, region, framework, kind, outcome, dates, inspection id)
/// lists one value per area, joined by `;`, in the same order in every column (an unknown
/// value is an empty place: `2023;;2023`), so the n-th value of each belongs to the n-th
/// area. An article about one area has one value in each, as before.
pub async fn articles_csv(State(state): State<AppState>) -> Response {
    let catalogue = state.archive.catalogue();
    let mut csv = CsvWriter::new(ARTICLE_COLUMNS);
    for article in &catalogue.articles {
        // In article order (a round-up's area by area), each pair once.
        let mut themes: Vec<String> = Vec::new();
        for (theme, polarity) in article.themes() {
            let tag = format!("{theme}:{polarity}");
            if !themes.contains(&tag) {
                themes.push(tag);
            }
        }
        // One value per report, `;`-joined (a single value for an ordinary article).
        let each = |f: &dyn Fn(&ReportSummary) -> Option<String>| -> Option<String> {
            let values: Vec<Option<String>> = article.reports.iter().map(f).collect();
            if values.iter().all(Option::is_none) {
                return None;
            }
            Some(values.into_iter().map(Option::unwrap_or_default).collect::<Vec<_>>().join(";"))
        };
        let area =
            |f: &dyn Fn(&AreaSummary) -> &str| each(&|r| r.area.as_ref().map(|a| f(a).to_string()));
        csv.row(vec![
            Cell::Value(article.slug.clone()),
            Cell::Value(format!("/articles/{}", article.slug)),
            text(Some(&article.title)),
            value(article.published),
            text(article.source.as_deref()),
            text(article.source_url.as_deref()),
            text(area(&|a| &a.code).as_deref()),
            text(area(&|a| &a.name).as_deref()),
            value(area(&|a| &a.slug)),
            text(area(&|a| &a.region).as_deref()),
            value(each(&|r| r.framework.map(|v| v.to_string()))),
            value(each(&|r| r.kind.map(|v| v.to_string()))),
            value(each(&|r| r.outcome.map(|v| v.to_string()))),
            value(each(&|r| r.outcome.map(|o| o.official_wording().to_string()))),
            value(each(&|r| r.visit_start.map(|v| v.to_string()))),
            value(each(&|r| r.visit_end.map(|v| v.to_string()))),
            value(each(&|r| r.report_published.map(|v| v.to_string()))),
            value(each(&|r| r.inspection.map(|i| catalogue.inspections[i].id.clone()))),
            Cell::Value(themes.join(" ")),
            Cell::Value(article.quotes.to_string()),
            value(article.year),
        ]);
    }
    csv.finish("articles.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cells: Vec<Cell>, expected: &str) {
        let mut csv = CsvWriter { out: String::new() };
        csv.row(cells);
        assert_eq!(csv.out, expected);
    }

    #[test]
    fn quotes_fields_with_commas_quotes_and_line_breaks() {
        check(vec![Cell::Text("plain".into()), Cell::Text("a, b".into())], "plain,\"a, b\"\r\n");
        check(vec![Cell::Text("say \"hi\"".into())], "\"say \"\"hi\"\"\"\r\n");
        check(
            vec![Cell::Text("two\nlines".into()), Cell::Text(String::new())],
            "\"two\nlines\",\r\n",
        );
    }

    #[test]
    fn defuses_formulas_in_text_but_not_in_values() {
        check(vec![Cell::Text("=HYPERLINK(\"x\")".into())], "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
        check(
            vec![Cell::Text("+1".into()), Cell::Text("-2".into()), Cell::Text("@SUM".into())],
            "'+1,'-2,'@SUM\r\n",
        );
        check(vec![Cell::Value("--01-20".into())], "--01-20\r\n");
    }
}
