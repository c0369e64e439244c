//! Page handlers: each extracts its inputs, asks the index (or its catalogue), builds a view
//! model and returns it. The JSON twins and CSV are in `data.rs`, feeds and crawler files in
//! `feeds.rs`.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Redirect, Response};

use super::params::{PAGE_SIZE, PageParams, Params, QuoteParams, SearchParams, build_url};
use super::views::*;
use super::{AppError, AppState, asset_response, assets};
use crate::extract::{
    AreaRef, Framework, Kind, LocalArea, Outcome, PartialDate, Polarity, QuoteKind, Record, Report,
    Theme, ThemeRecord,
};
use crate::index::query::SYNONYMS;
use crate::index::{ArticleSummary, InspectionSummary, SearchError};

/// The newest inspections shown on the home page.
const LATEST_ON_HOME: usize = 8;
/// Inspections per page of an area's timeline (real areas have a handful; the rest page).
pub const AREA_TIMELINE: usize = 10;
/// Quotes shown on an area page; the rest are a link to `/quotes?area=`.
const AREA_QUOTES: usize = 10;
/// The most records an area page reads for its evidence and quotes. Themes reported only
/// in older articles are listed with a link to those articles instead.
const AREA_RECORDS: usize = 12;
/// Records read for a theme page.
const THEME_RECORDS: usize = 500;
/// Evidence sentences shown per area on a theme page.
const THEME_EVIDENCE_PER_AREA: usize = 3;
/// Values shown per facet before "Show all".
const FACET_SHOWN: usize = 8;
/// A facet with at most this many more values than [`FACET_SHOWN`] shows them all: a link
/// to see one or two more is more trouble than the values.
const FACET_SLACK: usize = 3;

// ---------------------------------------------------------------- wording

/// "16 May 2018", "March 2023", "20 January".
pub fn human(date: Option<PartialDate>) -> Option<String> {
    date.map(|d| d.human())
}

/// "20 to 24 January 2025", "6 March to 2 April 2023", "March 2018".
pub fn visit_text(start: Option<PartialDate>, end: Option<PartialDate>) -> Option<String> {
    let start = start?;
    let Some(end) = end.filter(|e| *e != start) else { return Some(start.human()) };
    if start.year == end.year && start.month == end.month && start.day.is_some() {
        let mut tail = end.human();
        if let Some(day) = end.day {
            tail = tail.trim_start_matches(&day.to_string()).trim_start().to_string();
            return Some(format!("{} to {} {tail}", start.day.unwrap_or(1), day));
        }
    }
    if start.year == end.year && start.year.is_some() {
        let start_text = start.human();
        let year = start.year.map(|y| y.to_string()).unwrap_or_default();
        let start_text = start_text.trim_end_matches(&year).trim_end().to_string();
        return Some(format!("{start_text} to {}", end.human()));
    }
    Some(format!("{} to {}", start.human(), end.human()))
}

/// "2023 framework (area SEND inspection)".
pub fn framework_label(framework: Framework) -> &'static str {
    match framework {
        Framework::F2016 => "2016 framework (local area SEND inspection)",
        Framework::F2023 => "2023 framework (area SEND inspection)",
    }
}

/// "Full inspection", "Revisit", "Monitoring inspection".
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Full => "Full inspection",
        Kind::Revisit => "Revisit",
        Kind::Monitoring => "Monitoring inspection",
    }
}

/// "Norfolk", "Norfolk and Suffolk", "Norfolk, Suffolk and Kent".
pub fn and_join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A record as one area's page shows it: for a round-up, that area's part (its area,
/// inspection, findings and quotes, with their numbers in the article); any other record
/// as it is.
pub(crate) fn narrowed(mut record: Record, area_slug: &str) -> Record {
    let Some(i) = record.inspections.iter().position(|i| i.area.slug == area_slug) else {
        return record;
    };
    let part = record.inspections.swap_remove(i);
    record.area = Some(part.area);
    record.inspection = part.inspection;
    record.themes = part.themes;
    record.quotes = part.quotes;
    record.inspections.clear();
    record
}

/// The area a quote is about: a round-up's area whose part holds quote `n`, else the
/// record's area.
pub(crate) fn quote_area(record: &Record, n: usize) -> Option<&AreaRef> {
    if record.is_roundup() {
        return record
            .inspections
            .iter()
            .find(|i| i.quotes.iter().any(|q| q.n == n))
            .map(|i| &i.area);
    }
    record.area.as_ref()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The heading of an inspection entry: "Area SEND inspection, January 2025".
fn inspection_heading(inspection: &InspectionSummary) -> String {
    let what = match (inspection.framework, inspection.kind) {
        (_, Some(Kind::Revisit)) => "Revisit",
        (_, Some(Kind::Monitoring)) => "Monitoring inspection",
        (Some(Framework::F2016), _) => "Local area SEND inspection",
        (Some(Framework::F2023), _) => "Area SEND inspection",
        (None, _) => "SEND inspection",
    };
    let when = inspection
        .visit_start
        .map(|d| PartialDate { day: None, ..d })
        .or(inspection.year.and_then(|y| PartialDate::new(Some(y), None, None)))
        .map(|d| d.human());
    match when {
        Some(when) if !when.is_empty() => format!("{what}, {when}"),
        _ => what.to_string(),
    }
}

/// "Area SEND inspection (2023 framework), January 2025": an official inspection's heading.
fn official_heading(inspection: &crate::register::Inspection) -> String {
    let what = match (inspection.framework, inspection.kind) {
        (_, Kind::Revisit) => "Revisit (2016 framework)",
        (_, Kind::Monitoring) => "Monitoring inspection (2023 framework)",
        (Framework::F2016, Kind::Full) => "Local area SEND inspection (2016 framework)",
        (Framework::F2023, Kind::Full) => "Area SEND inspection (2023 framework)",
    };
    let when = inspection.visit_start.map(|d| PartialDate { day: None, ..d }).map(|d| d.human());
    match when {
        Some(when) if !when.is_empty() => format!("{what}, {when}"),
        _ => what.to_string(),
    }
}

/// The official record of an area (and of the areas it replaced), newest first, each
/// inspection with the articles that report it and where they differ from it.
fn official_views(
    state: &AppState,
    catalogue: &crate::index::Catalogue,
    area: &crate::extract::LocalArea,
) -> Vec<OfficialView> {
    let codes: Vec<&str> = area.codes_with_predecessors();
    let inspections = catalogue.register.inspections();
    let mut rows: Vec<usize> = (0..inspections.len())
        .filter(|&i| codes.contains(&inspections[i].area_code.as_str()))
        .collect();
    rows.sort_by_key(|&i| std::cmp::Reverse(inspections[i].date().and_then(|d| d.sort_key())));
    rows.into_iter().map(|index| official_view(state, catalogue, &area.code, index)).collect()
}

/// One inspection of the official record (the register's `index`), with the archive's
/// articles that report it and where they differ from it; `home_code` is the area of the page
/// it is shown on, so an inspection of an area it replaced is labelled.
fn official_view(
    state: &AppState,
    catalogue: &crate::index::Catalogue,
    home_code: &str,
    index: usize,
) -> OfficialView {
    let official = &catalogue.register.inspections()[index];
    let reporting = catalogue.reporting(index);
    let mut articles: Vec<Link> = Vec::new();
    let mut differences: Vec<String> = Vec::new();
    for inspection in &reporting {
        for &a in &inspection.articles {
            let article = &catalogue.articles[a];
            let url = format!("/articles/{}", article.slug);
            if !articles.iter().any(|l| l.url == url) {
                articles.push(Link { label: article.title.clone(), url });
            }
        }
        for d in crate::register::disagreements(&catalogue.reported(inspection), official) {
            let (article_says, register_says) = match d.fact {
                "outcome" => (
                    d.article
                        .parse::<Outcome>()
                        .map_or(d.article.clone(), |o| o.label().to_string()),
                    d.register
                        .parse::<Outcome>()
                        .map_or(d.register.clone(), |o| o.label().to_string()),
                ),
                _ => (d.article.clone(), d.register.clone()),
            };
            differences.push(format!(
                "The articles report {} {article_says}; the official record says {register_says}.",
                if d.fact == "outcome" { "the outcome as" } else { "a visit on" },
            ));
        }
    }
    let former = (official.area_code != home_code)
        .then(|| state.gazetteer.by_code(&official.area_code))
        .flatten()
        .map(|a| format!("Inspected as {}", a.council));
    OfficialView {
        heading: official_heading(official),
        former,
        outcome: official.outcome.map(Badge::from),
        visit: visit_text(official.visit_start, official.visit_end),
        published: human(official.report_published),
        report_url: official.report_url.clone(),
        source_url: official.from.first().cloned().unwrap_or_default(),
        articles,
        differences,
    }
}

fn area_link(slug: &str, name: &str) -> Link {
    Link { label: name.to_string(), url: format!("/areas/{slug}") }
}

fn inspection_view(state: &AppState, inspection: &InspectionSummary) -> InspectionView {
    let catalogue = state.archive.catalogue();
    let sources = inspection
        .articles
        .iter()
        .map(|&i| source_view(&catalogue.articles[i], &inspection.area.slug))
        .collect();
    InspectionView {
        id: inspection.id.clone(),
        heading: inspection_heading(inspection),
        area: area_link(&inspection.area.slug, &inspection.area.name),
        framework: inspection.framework.map(|f| framework_label(f).to_string()),
        kind: inspection.kind.map(|k| kind_label(k).to_string()),
        visit: visit_text(inspection.visit_start, inspection.visit_end),
        report_published: human(inspection.report_published),
        badge: inspection.outcome.map(Badge::from),
        sources,
    }
}

/// An article reporting an inspection of the area `area_slug`; a round-up says which other
/// areas it reports too.
fn source_view(article: &ArticleSummary, area_slug: &str) -> SourceView {
    let others: Vec<&str> =
        article.areas().filter(|a| a.slug != area_slug).map(|a| a.name.as_str()).collect();
    SourceView {
        title: article.title.clone(),
        url: format!("/articles/{}", article.slug),
        source: article.source.clone(),
        published: human(article.published),
        roundup_note: (article.roundup && !others.is_empty())
            .then(|| format!("a round-up, also reporting {}", and_join(others))),
    }
}

/// The areas of each region, with their latest outcome and coverage.
fn regions(state: &AppState) -> Vec<RegionView> {
    let catalogue = state.archive.catalogue();
    let latest = catalogue.latest_outcomes();
    let counts = catalogue.article_counts();
    let mut by_region: BTreeMap<&str, Vec<AreaRow>> = BTreeMap::new();
    for area in state.gazetteer.areas().iter().filter(|a| !a.is_former()) {
        by_region
            .entry(area.region.as_str())
            .or_default()
            .push(area_row(area, &catalogue, &latest, &counts));
    }
    by_region
        .into_iter()
        .map(|(region, mut areas)| {
            areas.sort_by(|a, b| a.name.cmp(&b.name));
            RegionView {
                name: region.to_string(),
                id: crate::extract::slug::slugify(region),
                areas,
            }
        })
        .collect()
}

/// An area's row in a list: its latest outcome from the official record (its own inspections
/// or those of the areas it replaced), else as its articles report it, and its coverage.
fn area_row(
    area: &LocalArea,
    catalogue: &crate::index::Catalogue,
    latest: &HashMap<&str, &InspectionSummary>,
    counts: &HashMap<&str, usize>,
) -> AreaRow {
    let n = counts.get(area.slug.as_str()).copied().unwrap_or(0);
    let codes: Vec<&str> = area.codes_with_predecessors();
    let official = catalogue.register.latest_outcome(&codes).and_then(|i| i.outcome);
    let reported = latest.get(area.slug.as_str()).and_then(|i| i.outcome);
    AreaRow {
        name: area.name.clone(),
        url: format!("/areas/{}", area.slug),
        kind: area.kind.clone(),
        badge: official.or(reported).map(Badge::from),
        articles: if n == 0 {
            "no articles yet".to_string()
        } else {
            plural(n, "article", "articles")
        },
        covered: n > 0,
    }
}

// ---------------------------------------------------------------- pages

/// `/`: the search box, the national picture, the latest inspections, every area.
pub async fn home(State(state): State<AppState>) -> Result<HomePage, AppError> {
    let catalogue = state.archive.catalogue();
    // The official record when there is one; else what the articles report.
    let official = !catalogue.register.is_empty();
    let counts =
        if official { catalogue.register.outcome_counts() } else { catalogue.outcome_counts() };
    let mut charts = Vec::new();
    for framework in [Framework::F2023, Framework::F2016] {
        let outcomes: &[Outcome] = match framework {
            Framework::F2023 => &[
                Outcome::Positive,
                Outcome::Inconsistent,
                Outcome::SystemicFailings,
                Outcome::SufficientProgress,
                Outcome::InsufficientProgress,
            ],
            Framework::F2016 => &[
                Outcome::NoWsoa,
                Outcome::WsoaRequired,
                Outcome::SufficientProgress,
                Outcome::InsufficientProgress,
            ],
        };
        let by_outcome = counts.get(&framework).cloned().unwrap_or_default();
        let total: usize = by_outcome.values().sum();
        let max = by_outcome.values().copied().max().unwrap_or(0).max(1);
        const BAR: usize = 28;
        const GAP: usize = 10;
        const MAX_WIDTH: usize = 260;
        let bars: Vec<ChartBar> = outcomes
            .iter()
            .enumerate()
            .map(|(i, &outcome)| {
                let count = by_outcome.get(&outcome).copied().unwrap_or(0);
                let width = if count == 0 { 2 } else { (count * MAX_WIDTH).div_ceil(max) };
                ChartBar {
                    label: outcome.label(),
                    code: outcome.code(),
                    count,
                    y: i * (BAR + GAP),
                    width,
                    label_x: width + 6,
                }
            })
            .collect();
        charts.push(FrameworkChart {
            heading: format!(
                "{}: {}",
                framework_label(framework),
                plural(total, "inspection", "inspections")
            ),
            height: outcomes.len() * (BAR + GAP),
            bars,
            total,
            search_url: build_url("/search", &[("framework".into(), framework.code().into())]),
        });
    }
    let latest = catalogue
        .inspections
        .iter()
        .take(LATEST_ON_HOME)
        .map(|i| inspection_view(&state, i))
        .collect();
    let covered = catalogue
        .inspections
        .iter()
        .map(|i| &i.area.slug)
        .collect::<std::collections::HashSet<_>>()
        .len();
    let totals = format!(
        "{} about {} in {}",
        plural(catalogue.articles.len(), "article", "articles"),
        plural(catalogue.inspections.len(), "inspection", "inspections"),
        plural(covered, "local area", "local areas"),
    );
    let mut layout = Layout::new(
        "The SEND Inspection Archive",
        "What Ofsted and the CQC said about each local area's services for children and young people with special educational needs and disabilities (SEND) in England.",
        "/",
    );
    layout.nav = "home";
    layout.feed_url = Some("/feed.xml".into());
    layout.json_url = Some("/api".into());
    Ok(HomePage { layout, totals, official, charts, latest, regions: regions(&state) })
}

/// The label of a facet value.
pub(crate) fn facet_label(
    state: &AppState,
    field: &str,
    value: &str,
    sources: &HashMap<String, String>,
) -> String {
    match field {
        "area" => state.gazetteer.by_slug(value).map_or(value.to_string(), |a| {
            match a.valid_to.as_ref().and_then(|d| d.year) {
                Some(year) if a.is_former() => format!("{} (until {year})", a.name),
                _ => a.name.clone(),
            }
        }),
        "region" => state.gazetteer.region_by_slug(value).unwrap_or(value).to_string(),
        "outcome" => value.parse::<Outcome>().map_or(value.to_string(), |o| o.label().to_string()),
        "framework" => value
            .parse::<Framework>()
            .map_or(value.to_string(), |f| format!("{} framework", f.code())),
        "kind" => value.parse::<Kind>().map_or(value.to_string(), |k| kind_label(k).to_string()),
        "theme" => value.parse::<Theme>().map_or(value.to_string(), |t| t.label().to_string()),
        "source" => sources.get(value).cloned().unwrap_or_else(|| value.to_string()),
        _ => value.to_string(),
    }
}

const FACET_LABELS: &[(&str, &str)] = &[
    ("outcome", "Outcome"),
    ("framework", "Framework"),
    ("kind", "Kind of inspection"),
    ("theme", "Theme"),
    ("region", "Region"),
    ("area", "Local area"),
    ("year", "Year"),
    ("source", "Source"),
];

/// `/search`: ranked results with snippets, facets, sorting and pages.
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(params): Params<SearchParams>,
) -> Result<Response, AppError> {
    if wants_json(&headers) {
        return Ok(super::data::search_json(State(state), super::data::ApiQuery(params))
            .await
            .into_response());
    }
    let request = params.request();
    let results = match state.archive.search(&request) {
        Ok(results) => results,
        Err(SearchError::Query(error)) => {
            return Err(AppError::Query { query: params.query().to_string(), error });
        }
        Err(SearchError::Internal(error)) => return Err(AppError::Internal(error)),
    };
    let query = params.query().to_string();
    let filters = params.filters();
    let catalogue = state.archive.catalogue();
    let sources = &catalogue.sources;

    // Only the values shown get labels and links: an area facet has 150-odd values.
    let expanded = params.expanded_facet();
    let mut facets = Vec::new();
    for &(name, label) in FACET_LABELS {
        let Some(values) = results.facets.get(name) else { continue };
        if values.is_empty() {
            continue;
        }
        let mut order: Vec<&(String, u64)> = values.iter().collect();
        if name == "year" {
            order.sort_by(|a, b| b.0.cmp(&a.0));
        }
        let short = order.len() <= FACET_SHOWN + FACET_SLACK;
        let all = short || expanded == Some(name);
        let chosen = filters.get(name);
        let views: Vec<FacetValue> = order
            .iter()
            .enumerate()
            .filter(|&(i, (value, _))| all || i < FACET_SHOWN || Some(value) == chosen)
            .map(|(_, (value, count))| {
                let selected = chosen == Some(value);
                FacetValue {
                    label: facet_label(&state, name, value, sources),
                    count: *count,
                    url: params
                        .url("/search", &[(name, if selected { None } else { Some(value) })]),
                    selected,
                }
            })
            .collect();
        let more_url = (views.len() < order.len())
            .then(|| params.url("/search", &[("more", Some(name))]) + "#facet-" + name);
        let fewer_url =
            (all && !short).then(|| params.url("/search", &[("more", None)]) + "#facet-" + name);
        facets.push(FacetGroup {
            name,
            label,
            values: views,
            total: order.len(),
            more_url,
            fewer_url,
        });
    }
    let active_filters = filters
        .iter()
        .map(|(name, value)| {
            let dimension =
                FACET_LABELS.iter().find(|(n, _)| n == name).map_or(name.as_str(), |(_, l)| *l);
            ActiveFilter {
                label: format!("{dimension}: {}", facet_label(&state, name, value, sources)),
                remove_url: params.url("/search", &[(name.as_str(), None)]),
            }
        })
        .collect();

    let page = params.page();
    let pages = results.total.div_ceil(PAGE_SIZE).max(1);
    let prev_url =
        (page > 1).then(|| params.url("/search", &[("page", Some(&(page - 1).to_string()))]));
    let next_url =
        (page < pages).then(|| params.url("/search", &[("page", Some(&(page + 1).to_string()))]));
    let hits: Vec<ResultView> = results
        .hits
        .into_iter()
        .map(|hit| {
            // A round-up lists its areas ("Norfolk, Suffolk and Kent") and, for want of one
            // outcome, says how many inspections it reports; its page badges each.
            let mut areas = hit.areas().map(|a| area_link(&a.slug, &a.name));
            let area = areas.next();
            let more_areas: Vec<Link> = areas.collect();
            let roundup = (!hit.roundup_areas.is_empty())
                .then(|| format!("Round-up of {} inspections", hit.roundup_areas.len()));
            ResultView {
                url: format!("/articles/{}", hit.slug),
                title: hit.title,
                area,
                more_areas,
                roundup,
                published: human(hit.published),
                source: hit.source,
                badge: hit.outcome.map(Badge::from),
                framework: hit.framework.map(|f| format!("{} framework", f.code())),
                snippet_html: hit.snippet_html,
            }
        })
        .collect();
    let summary = match (results.total, query.is_empty()) {
        (0, false) => format!("No articles match \u{201c}{query}\u{201d}"),
        (0, true) => "No articles match these filters".to_string(),
        (1, false) => format!("1 article matches \u{201c}{query}\u{201d}"),
        (n, false) => format!("{n} articles match \u{201c}{query}\u{201d}"),
        (n, true) => plural(n, "article", "articles"),
    };
    // Area pages for what was typed: near misses when nothing matched ("Dudly"), or the
    // area itself when the query names one. (Fuzzy matching every query cost a tenth of a
    // search's time.)
    let suggestions = if query.is_empty() || query.chars().count() > 60 {
        Vec::new()
    } else if results.total == 0 {
        state.gazetteer.suggest(&query, 3)
    } else {
        state.gazetteer.lookup(&query, None).into_iter().collect()
    }
    .into_iter()
    .filter(|a| filters.get("area") != Some(&a.slug))
    .map(|a| area_link(&a.slug, &a.name))
    .collect();
    let title = if query.is_empty() {
        "Search the archive".to_string()
    } else {
        format!("{query} – search")
    };
    let mut layout = Layout::new(title, summary.clone(), params.url("/search", &[("page", None)]));
    layout.nav = "search";
    layout.query = query.clone();
    layout.json_url = Some(params.url("/api/search", &[]));
    layout.feed_url = Some(params.url("/search/feed.xml", &[("page", None), ("sort", None)]));
    let hidden_filters = filters.into_iter().collect();
    Ok(SearchPage {
        layout,
        query,
        summary,
        has_results: !hits.is_empty(),
        results: hits,
        facets,
        active_filters,
        sort_relevance_url: params.url("/search", &[("sort", None)]),
        sort_newest_url: params.url("/search", &[("sort", Some("newest"))]),
        sort_newest: params.sort() == crate::index::Sort::Newest,
        prev_url,
        next_url,
        page_text: (pages > 1).then(|| format!("Page {page} of {pages}")),
        suggestions,
        hidden_filters,
    }
    .into_response())
}

/// Whether the client asked for JSON rather than HTML.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.starts_with("application/json"))
}

/// `/search/help`: the search syntax.
pub async fn help() -> HelpPage {
    let mut layout = Layout::new(
        "How to search",
        "Phrases, OR, excluding words, searching one field, and the words the archive treats as the same.",
        "/search/help",
    );
    layout.nav = "search";
    HelpPage {
        layout,
        synonyms: SYNONYMS.iter().map(|group| group.join(" \u{b7} ")).collect(),
        themes: Theme::ALL.iter().map(|t| (t.code().to_string(), t.label())).collect(),
        outcomes: Outcome::ALL.iter().map(|&o| Badge::from(o)).collect(),
    }
}

/// `/areas`: every area by region, with its latest outcome.
pub async fn areas(State(state): State<AppState>) -> AreasPage {
    let catalogue = state.archive.catalogue();
    let latest = catalogue.latest_outcomes();
    let counts = catalogue.article_counts();
    let mut former: Vec<AreaRow> = state
        .gazetteer
        .areas()
        .iter()
        .filter(|a| a.is_former())
        .map(|a| area_row(a, &catalogue, &latest, &counts))
        .collect();
    former.sort_by(|a, b| a.name.cmp(&b.name));
    let mut layout = Layout::new(
        "Local areas",
        "Every local area in England, by region, with its latest SEND inspection outcome.",
        "/areas",
    );
    layout.nav = "areas";
    layout.json_url = Some("/api/areas".into());
    AreasPage { layout, regions: regions(&state), former }
}

/// `/areas/uninspected`: the current areas of which the official record has no
/// 2023-framework inspection yet, by region, each with its 2016-framework outcome.
pub async fn uninspected(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let catalogue = state.archive.catalogue();
    let register = &catalogue.register;
    let inspected = |code: &str| {
        register
            .inspections()
            .iter()
            .any(|i| i.area_code == code && i.framework == Framework::F2023)
    };
    let last_2016 = |area: &crate::extract::LocalArea| {
        let codes: Vec<&str> = area.codes_with_predecessors();
        register
            .inspections()
            .iter()
            .filter(|i| codes.contains(&i.area_code.as_str()) && i.framework == Framework::F2016)
            .filter(|i| i.kind == Kind::Full)
            .filter_map(|i| i.outcome.map(|o| (i.date().and_then(|d| d.sort_key()), o)))
            .max_by_key(|(key, _)| *key)
            .map(|(_, o)| o.label().to_string())
    };
    let current: Vec<&crate::extract::LocalArea> =
        state.gazetteer.areas().iter().filter(|a| !a.is_former()).collect();
    let mut regions: Vec<UninspectedRegion> = Vec::new();
    let mut areas: Vec<&&crate::extract::LocalArea> =
        current.iter().filter(|a| !inspected(&a.code)).collect();
    areas.sort_by(|a, b| a.region.cmp(&b.region).then_with(|| a.name.cmp(&b.name)));
    for area in areas {
        let row = UninspectedArea {
            name: area.name.clone(),
            url: format!("/areas/{}", area.slug),
            code: area.code.clone(),
            last_2016: last_2016(area),
        };
        match regions.last_mut() {
            Some(region) if region.name == area.region => region.areas.push(row),
            _ => regions.push(UninspectedRegion { name: area.region.clone(), areas: vec![row] }),
        }
    }
    let checked = register.inspections().iter().map(|i| i.checked).max();
    if wants_json(&headers) {
        return Json(serde_json::json!({
            "checked": checked,
            "areas": current.len(),
            "uninspected": regions,
        }))
        .into_response();
    }
    let count: usize = regions.iter().map(|r| r.areas.len()).sum();
    let mut layout = Layout::new(
        "Areas not yet inspected under the 2023 framework",
        format!(
            "{} of England's {} local areas have no area SEND inspection under the 2023 framework in the official record yet.",
            count,
            current.len()
        ),
        "/areas/uninspected",
    );
    layout.nav = "areas";
    UninspectedPage { layout, checked: human(checked), total: current.len(), count, regions }
        .into_response()
}

/// Themes praised and criticised across some records' findings (each record's own, or a
/// part of them: one area's of a round-up), newest evidence first, one per (theme,
/// polarity). A sentence that is evidence for several themes is shown once, with all of
/// them.
fn theme_evidence<'r>(
    parts: impl IntoIterator<Item = (&'r Record, &'r [ThemeRecord])>,
    several_articles: bool,
) -> (Vec<ThemeEvidence>, Vec<ThemeEvidence>) {
    let mut seen = std::collections::HashSet::new();
    let (mut strengths, mut improvements) = (Vec::<ThemeEvidence>::new(), Vec::new());
    for (record, themes) in parts {
        let source_note = if several_articles {
            let parts: Vec<String> = [record.source.name.clone(), human(record.published)]
                .into_iter()
                .flatten()
                .collect();
            if parts.is_empty() { record.title.clone() } else { parts.join(", ") }
        } else {
            String::new()
        };
        for theme in themes {
            if !seen.insert((theme.id, theme.polarity)) {
                continue;
            }
            let list = match theme.polarity {
                Polarity::Strength => &mut strengths,
                Polarity::Improvement => &mut improvements,
            };
            let source_url = format!("/articles/{}#p-{}", record.slug, theme.paragraph + 1);
            if let Some(same) =
                list.iter_mut().find(|v| v.source_url == source_url && v.evidence == theme.evidence)
            {
                same.more_themes.push(Link {
                    label: theme.id.label().to_string(),
                    url: format!("/themes/{}", theme.id),
                });
                continue;
            }
            list.push(ThemeEvidence {
                label: theme.id.label(),
                url: format!("/themes/{}", theme.id),
                polarity: theme.polarity.code(),
                evidence: theme.evidence.clone(),
                source_url,
                source_title: String::new(),
                source_note: source_note.clone(),
                more_themes: Vec::new(),
            });
        }
    }
    (strengths, improvements)
}

fn quote_views(record: &Record, with_article: bool) -> Vec<QuoteView> {
    record
        .quotes
        .iter()
        .map(|quote| {
            let speaker = match (&quote.speaker, quote.kind) {
                (Some(name), _) => capitalise(name),
                (None, QuoteKind::Report) => "The inspectors' report".to_string(),
                (None, _) => "Unattributed".to_string(),
            };
            let role_line = [quote.role.clone(), quote.organisation.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            QuoteView {
                n: quote.n,
                anchor: format!("quote-{}", quote.n),
                speaker,
                role_line,
                kind_label: QuoteView::kind_label(quote.kind),
                kind: quote.kind.code(),
                paragraphs: quote.text.split("\n\n").map(str::to_string).collect(),
                permalink: format!("/articles/{}#quote-{}", record.slug, quote.n),
                article: with_article.then(|| Link {
                    label: record.title.clone(),
                    url: format!("/articles/{}", record.slug),
                }),
                area: if with_article {
                    quote_area(record, quote.n).map(|a| area_link(&a.slug, &a.name))
                } else {
                    None
                },
            }
        })
        .collect()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `/areas/{slug}`: an area's inspections over time, themes, quotes and sources.
pub async fn area(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Params(page): Params<PageParams>,
) -> Result<Response, AppError> {
    if wants_json(&headers) {
        return Ok(super::data::area_json(State(state), Path(slug)).await.into_response());
    }
    let area = state.gazetteer.by_slug(&slug).ok_or(AppError::NotFound)?;
    let catalogue = state.archive.catalogue();
    let inspections = catalogue.area_inspections(&slug);
    let pages = inspections.len().div_ceil(AREA_TIMELINE).max(1);
    let page = page.page().min(pages);
    let page_url = |n: usize| {
        if n == 1 { format!("/areas/{slug}") } else { format!("/areas/{slug}?page={n}") }
    };
    let timeline: Vec<InspectionView> = inspections
        .iter()
        .skip((page - 1) * AREA_TIMELINE)
        .take(AREA_TIMELINE)
        .map(|i| inspection_view(&state, i))
        .collect();
    let latest = inspections.iter().find_map(|i| i.outcome).map(Badge::from);
    let official = official_views(&state, &catalogue, area);
    let official_latest = official.iter().find_map(|o| o.outcome.clone());
    let (records, quotes_total, older_findings) = area_records(&state, &catalogue, &slug)?;
    let (strengths, improvements) =
        theme_evidence(records.iter().map(|r| (r, r.themes.as_slice())), true);
    // Quotes name their article but not the area: the page is the area's own.
    let quotes: Vec<QuoteView> = records
        .iter()
        .flat_map(|r| quote_views(r, true))
        .take(AREA_QUOTES)
        .map(|quote| QuoteView { area: None, ..quote })
        .collect();
    // An area that shares its name with the one it replaced (Dorset) names the other by its
    // council and years, so "Formed from Dorset" does not read as formed from itself.
    let links = |codes: &[String]| -> Vec<Link> {
        codes
            .iter()
            .filter_map(|c| state.gazetteer.by_code(c))
            .map(|other| {
                if other.name != area.name {
                    return area_link(&other.slug, &other.name);
                }
                let years = match (other.valid_from, other.valid_to) {
                    (_, Some(to)) => format!(" (until {})", human(Some(to)).unwrap_or_default()),
                    (Some(from), None) => {
                        format!(" (from {})", human(Some(from)).unwrap_or_default())
                    }
                    (None, None) => String::new(),
                };
                area_link(&other.slug, &format!("{}{years}", other.council))
            })
            .collect()
    };
    let description = if area.is_former() {
        format!("A former local area in {} (no longer exists)", region_phrase(&area.region))
    } else {
        format!("{} in {}", capitalise(&area.kind), region_phrase(&area.region))
    };
    let summary = match inspections.first() {
        Some(first) => format!(
            "{}: {} reported. Latest: {}{}.",
            area.name,
            plural(inspections.len(), "inspection", "inspections"),
            inspection_heading(first),
            first.outcome.map(|o| format!(", {}", Badge::from(o).label)).unwrap_or_default()
        ),
        None => format!("No articles about SEND inspections in {} yet.", area.name),
    };
    let title = if page > 1 {
        format!("{} – SEND inspections, page {page}", area.name)
    } else {
        format!("{} – SEND inspections", area.name)
    };
    let mut layout = Layout::new(title, summary, page_url(page));
    layout.nav = "areas";
    layout.og_type = "article";
    layout.json_url = Some(format!("/api/areas/{slug}"));
    layout.feed_url = Some(format!("/areas/{slug}/feed.xml"));
    Ok(AreaPage {
        layout,
        name: area.name.clone(),
        council: area.council.clone(),
        description,
        code: area.code.clone(),
        former: area.is_former(),
        successors: links(&area.successors),
        predecessors: links(&area.predecessors),
        latest,
        official_latest,
        official,
        timeline_count: inspections.len(),
        timeline_first: (page - 1) * AREA_TIMELINE + 1,
        timeline,
        prev_url: (page > 1).then(|| format!("{}#timeline-heading", page_url(page - 1))),
        next_url: (page < pages).then(|| format!("{}#timeline-heading", page_url(page + 1))),
        page_text: (pages > 1).then(|| format!("Page {page} of {pages}")),
        strengths,
        improvements,
        older_findings,
        quotes_more_url: (quotes_total > quotes.len())
            .then(|| build_url("/quotes", &[("area".into(), slug.clone())])),
        quotes_total,
        quotes,
        search_url: build_url("/search", &[("area".into(), slug.clone())]),
    }
    .into_response())
}

/// The records an area page needs, newest first, at most [`AREA_RECORDS`]: for each theme
/// and polarity the area's articles report, the newest article reporting it (its evidence is
/// shown), and the newest articles with quotes until [`AREA_QUOTES`] are found. Only those
/// are read from the index; the catalogue says which they are. Also returns the area's
/// number of quotes, and the themes found only in older articles (with how many articles
/// report each), for a list of links.
fn area_records(
    state: &AppState,
    catalogue: &crate::index::Catalogue,
    slug: &str,
) -> Result<(Vec<Record>, usize, Vec<OlderFinding>), AppError> {
    // A round-up's part about this area: its findings and quotes, not its other areas'.
    let reports: Vec<(&ArticleSummary, &crate::index::ReportSummary)> = catalogue
        .area_articles(slug)
        .into_iter()
        .filter_map(|a| a.report_for(slug).map(|r| (a, r)))
        .collect();
    let quotes_total = reports.iter().map(|(_, r)| r.quotes).sum();
    let mut covered = std::collections::HashSet::new();
    let mut quotes = 0;
    let mut records = Vec::new();
    for (article, report) in &reports {
        if records.len() == AREA_RECORDS {
            break;
        }
        let new_theme = report.themes.iter().any(|t| !covered.contains(t));
        let more_quotes = quotes < AREA_QUOTES && report.quotes > 0;
        if !new_theme && !more_quotes {
            continue;
        }
        if let Some(record) = state.archive.article(&article.slug)? {
            covered.extend(report.themes.iter().copied());
            quotes += report.quotes;
            records.push(narrowed(record, slug));
        }
    }
    let mut older: BTreeMap<(Polarity, Theme), usize> = BTreeMap::new();
    for (_, report) in &reports {
        for &(theme, polarity) in &report.themes {
            if !covered.contains(&(theme, polarity)) {
                *older.entry((polarity, theme)).or_default() += 1;
            }
        }
    }
    let older = older
        .into_iter()
        .map(|((polarity, theme), articles)| OlderFinding {
            label: theme.label(),
            polarity: match polarity {
                Polarity::Strength => "praised",
                Polarity::Improvement => "criticised",
            },
            articles,
            url: build_url(
                "/search",
                &[("area".into(), slug.to_string()), ("theme".into(), theme.to_string())],
            ),
        })
        .collect();
    Ok((records, quotes_total, older))
}

/// "the West Midlands", "London": a region as a sentence names it.
fn region_phrase(region: &str) -> String {
    if region == "London" { region.to_string() } else { format!("the {region}") }
}

/// Whether a paragraph reads as a heading: short, and a question or without a full stop.
fn reads_as_heading(text: &str) -> bool {
    let words = text.split_whitespace().count();
    !text.starts_with("- ")
        && words <= 12
        && (text.ends_with('?')
            || !text.ends_with(['.', '!', ':', ';', '"', '\u{201d}', '\u{2019}', ',']))
}

/// Words for a curated field name.
fn field_label(field: &str) -> String {
    match field {
        "title" => "Headline",
        "source.name" => "Publisher",
        "source.url" => "Original address",
        "published" => "Publication date",
        "area" => "Local area",
        "inspection.framework" => "Framework",
        "inspection.kind" => "Kind of inspection",
        "inspection.visit_start" => "First day of the visit",
        "inspection.visit_end" => "Last day of the visit",
        "inspection.report_published" => "Report published",
        "inspection.outcome" => "Outcome",
        other => other,
    }
    .to_string()
}

/// `/articles/{slug}`: the article's permalink page.
pub async fn article(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    if wants_json(&headers) {
        return Ok(super::data::article_json(State(state), Path(slug)).await.into_response());
    }
    let Some(record) = state.archive.article(&slug)? else {
        // A former slug redirects to the article's permalink.
        let catalogue = state.archive.catalogue();
        return match catalogue.article(&slug) {
            Some(current) if current.slug != slug => {
                Ok(Redirect::permanent(&format!("/articles/{}", current.slug)).into_response())
            }
            _ => Err(AppError::NotFound),
        };
    };
    // The official inspection this article reports, when the register has it.
    let official = (!record.is_roundup())
        .then(|| {
            let catalogue = state.archive.catalogue();
            let summary = catalogue.article(&record.slug)?;
            let inspection = summary.reports.first()?.inspection?;
            let index = *catalogue.official.get(inspection)?;
            let area_code = record.area.as_ref().map(|a| a.code.clone()).unwrap_or_default();
            index.map(|index| official_view(&state, &catalogue, &area_code, index))
        })
        .flatten();
    Ok(article_page(record, official).into_response())
}

/// The page of an article, with the official inspection it reports (from the register).
fn article_page(record: Record, official: Option<OfficialView>) -> ArticlePage {
    let inspection = &record.inspection;
    let reports = record.reports();
    // A round-up's findings are shown in each area's block; what none of them holds (if
    // anything) is shown after them, as an ordinary article's are.
    let unplaced: Vec<ThemeRecord> = if record.is_roundup() {
        let placed = |t: &ThemeRecord| reports.iter().any(|r| r.themes.contains(t));
        record.themes.iter().filter(|t| !placed(t)).cloned().collect()
    } else {
        Vec::new()
    };
    let (strengths, improvements) = if record.is_roundup() {
        theme_evidence([(&record, unplaced.as_slice())], false)
    } else {
        theme_evidence([(&record, record.themes.as_slice())], false)
    };
    let report_views: Vec<ReportView> = if record.is_roundup() {
        reports.iter().filter_map(|r| report_view(&record, r)).collect()
    } else {
        Vec::new()
    };
    let quotes = quote_views(&record, false);
    let is_list_item = |i: usize| record.paragraphs.get(i).is_some_and(|t| t.starts_with("- "));
    let paragraphs = record
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let list_item = is_list_item(i);
            ParagraphView {
                n: i + 1,
                anchor: format!("p-{}", i + 1),
                text: text.strip_prefix("- ").unwrap_or(text).to_string(),
                list_item,
                // The template groups a run of list items into one `<ul>`.
                list_start: list_item && (i == 0 || !is_list_item(i - 1)),
                list_end: list_item && !is_list_item(i + 1),
                heading: !list_item && reads_as_heading(text),
            }
        })
        .collect();
    let permalink = format!("/articles/{}", record.slug);
    let published = human(record.published);
    let source_name = record.source.name.clone();
    let citation = format!(
        "\u{201c}{}\u{201d}{}{}. The SEND Inspection Archive, {permalink}",
        record.title,
        source_name.as_deref().map(|s| format!(", {s}")).unwrap_or_default(),
        published.as_deref().map(|d| format!(", {d}")).unwrap_or_default(),
    );
    let area_names = and_join(reports.iter().filter_map(|r| r.area).map(|a| a.name.as_str()));
    let description = match (&record.area, inspection.outcome) {
        _ if record.is_roundup() => format!(
            "Inspections of {area_names}: {} reported together. {}",
            reports.len(),
            lead(&record)
        ),
        (Some(area), Some(outcome)) => {
            format!("{}: {}. {}", area.name, outcome.label(), lead(&record))
        }
        (Some(area), None) => format!("{}. {}", area.name, lead(&record)),
        _ => lead(&record),
    };
    let roundup_areas: Vec<Link> = if record.is_roundup() {
        reports.iter().filter_map(|r| r.area).map(|a| area_link(&a.slug, &a.name)).collect()
    } else {
        Vec::new()
    };
    let mut layout = Layout::new(record.title.clone(), description, permalink.clone());
    layout.og_type = "article";
    layout.json_url = Some(format!("/api/articles/{}", record.slug));
    ArticlePage {
        layout,
        title: record.title.clone(),
        source: match (&record.source.name, &record.source.url) {
            (Some(name), Some(url)) => Some(Link { label: name.clone(), url: url.clone() }),
            (None, Some(url)) => Some(Link { label: url.clone(), url: url.clone() }),
            _ => None,
        },
        source_name,
        source_curated: record.is_curated("source.name"),
        author: record.author.clone(),
        published,
        published_curated: record.is_curated("published"),
        area: record.area.as_ref().map(|a| area_link(&a.slug, &a.name)),
        roundup_summary: (!report_views.is_empty()).then(|| {
            format!(
                "This article reports {} local areas\u{2019} inspections: {area_names}. Each \
                 area\u{2019}s outcome and findings are below.",
                report_views.len()
            )
        }),
        roundup_areas,
        reports: report_views,
        official,
        badge: inspection.outcome.map(Badge::from),
        outcome_curated: record.is_curated("inspection.outcome"),
        outcome_evidence: evidence_link(inspection),
        framework: inspection.framework.map(|f| framework_label(f).to_string()),
        kind: inspection.kind.map(|k| kind_label(k).to_string()),
        visit: visit_text(inspection.visit_start, inspection.visit_end),
        report_published: human(inspection.report_published),
        strengths,
        improvements,
        quotes,
        paragraphs,
        curated: record
            .curated
            .iter()
            .map(|c| CuratedView {
                field: field_label(&c.field),
                value: c.value.clone(),
                from: c.from.clone(),
            })
            .collect(),
        corrections: record
            .corrections
            .iter()
            .map(|c| format!("{}: {}", c.date.human(), c.text))
            .collect(),
        permalink,
        citation,
    }
}

/// The sentence an outcome was read from, linking its paragraph.
fn evidence_link(inspection: &crate::extract::InspectionRecord) -> Option<Link> {
    match (&inspection.outcome_evidence, inspection.outcome_paragraph) {
        (Some(sentence), Some(p)) => {
            Some(Link { label: sentence.clone(), url: format!("#p-{}", p + 1) })
        }
        _ => None,
    }
}

/// One area's block on a round-up's page; `None` for a part without an area (none is made
/// so).
fn report_view(record: &Record, report: &Report<'_>) -> Option<ReportView> {
    let area = report.area?;
    let inspection = report.inspection;
    let (strengths, improvements) = theme_evidence([(record, report.themes)], false);
    Some(ReportView {
        id: format!("inspection-{}", area.slug),
        area: area_link(&area.slug, &area.name),
        badge: inspection.outcome.map(Badge::from),
        outcome_evidence: evidence_link(inspection),
        framework: inspection.framework.map(|f| framework_label(f).to_string()),
        kind: inspection.kind.map(|k| kind_label(k).to_string()),
        visit: visit_text(inspection.visit_start, inspection.visit_end),
        report_published: human(inspection.report_published),
        strengths,
        improvements,
        quotes: report
            .quotes
            .iter()
            .map(|q| Link {
                label: q.speaker.as_deref().map_or_else(|| format!("Quote {}", q.n), capitalise),
                url: format!("#quote-{}", q.n),
            })
            .collect(),
    })
}

/// The opening words of an article, for descriptions.
fn lead(record: &Record) -> String {
    let first = record.paragraphs.first().map(String::as_str).unwrap_or("");
    let cut: String = first.chars().take(180).collect();
    if cut.len() < first.len() {
        format!("{}\u{2026}", cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head))
    } else {
        cut
    }
}

/// `/themes`: every theme, with how many areas were praised or criticised for it.
pub async fn themes(State(state): State<AppState>) -> ThemesPage {
    let counts = theme_area_counts(&state);
    let themes = Theme::ALL
        .iter()
        .map(|&theme| {
            let (praised, criticised) = counts.get(&theme).copied().unwrap_or((0, 0));
            ThemeRow {
                label: theme.label(),
                id: theme.code(),
                url: format!("/themes/{theme}"),
                covers: theme_covers(theme),
                praised,
                criticised,
            }
        })
        .collect();
    let mut layout = Layout::new(
        "Themes",
        "What inspectors praise and criticise, theme by theme, across England's local areas.",
        "/themes",
    );
    layout.nav = "themes";
    layout.json_url = Some("/api/themes".into());
    ThemesPage { layout, themes }
}

/// For each theme: how many distinct areas were praised, and criticised, for it.
pub fn theme_area_counts(state: &AppState) -> HashMap<Theme, (usize, usize)> {
    let catalogue = state.archive.catalogue();
    let mut areas: HashMap<(Theme, Polarity), std::collections::HashSet<&str>> = HashMap::new();
    for report in catalogue.articles.iter().flat_map(|a| &a.reports) {
        let Some(area) = &report.area else { continue };
        for &(theme, polarity) in &report.themes {
            areas.entry((theme, polarity)).or_default().insert(area.slug.as_str());
        }
    }
    let mut counts: HashMap<Theme, (usize, usize)> = HashMap::new();
    for ((theme, polarity), set) in areas {
        let entry = counts.entry(theme).or_default();
        match polarity {
            Polarity::Strength => entry.0 = set.len(),
            Polarity::Improvement => entry.1 = set.len(),
        }
    }
    counts
}

/// `/themes/{id}`: one theme across the country.
pub async fn theme(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if wants_json(&headers) {
        return Ok(super::data::theme_json(State(state), Path(id)).await.into_response());
    }
    let theme: Theme = id.parse().map_err(|_| AppError::NotFound)?;
    let filters = BTreeMap::from([("theme".to_string(), theme.code().to_string())]);
    let records = state.archive.records(&filters, THEME_RECORDS)?;
    let rows = |polarity: Polarity| -> Vec<ThemeAreaRow> {
        let mut by_area: BTreeMap<String, (Link, usize, Vec<ThemeEvidence>)> = BTreeMap::new();
        // A round-up's findings count under the area each is about.
        let parts = records.iter().flat_map(|r| r.reports().into_iter().map(move |p| (r, p)));
        for (record, part) in parts {
            let Some(area) = part.area else { continue };
            for finding in part.themes.iter().filter(|t| t.id == theme && t.polarity == polarity) {
                let entry = by_area
                    .entry(area.name.clone())
                    .or_insert_with(|| (area_link(&area.slug, &area.name), 0, Vec::new()));
                entry.1 += 1;
                if entry.2.len() < THEME_EVIDENCE_PER_AREA {
                    entry.2.push(ThemeEvidence {
                        label: theme.label(),
                        url: format!("/themes/{theme}"),
                        polarity: polarity.code(),
                        evidence: finding.evidence.clone(),
                        source_url: format!(
                            "/articles/{}#p-{}",
                            record.slug,
                            finding.paragraph + 1
                        ),
                        source_title: record.title.clone(),
                        source_note: String::new(),
                        more_themes: Vec::new(),
                    });
                }
            }
        }
        let mut rows: Vec<ThemeAreaRow> = by_area
            .into_values()
            .map(|(area, count, evidence)| ThemeAreaRow { area, count, evidence })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.area.label.cmp(&b.area.label)));
        rows
    };
    let praised = rows(Polarity::Strength);
    let criticised = rows(Polarity::Improvement);
    let mut layout = Layout::new(
        format!("{} – theme", theme.label()),
        format!(
            "{}: {} praised and {} criticised by inspectors.",
            theme.label(),
            plural(praised.len(), "area", "areas"),
            plural(criticised.len(), "area", "areas")
        ),
        format!("/themes/{theme}"),
    );
    layout.nav = "themes";
    layout.json_url = Some(format!("/api/themes/{theme}"));
    layout.feed_url = Some(format!("/themes/{theme}/feed.xml"));
    Ok(ThemePage {
        layout,
        label: theme.label(),
        covers: theme_covers(theme),
        praised,
        criticised,
        search_url: build_url("/search", &[("theme".into(), theme.code().into())]),
    }
    .into_response())
}

/// The quotes matching `/quotes` parameters, newest first, and their total.
pub fn matching_quotes(
    state: &AppState,
    params: &QuoteParams,
) -> Result<(Vec<QuoteView>, usize), AppError> {
    let speaker = params.speaker.as_deref().unwrap_or("").trim().to_lowercase();
    let role = params.role.as_deref().unwrap_or("").trim().to_lowercase();
    let area = params.area.as_deref().unwrap_or("").trim();
    let mut records = state.archive.quote_records(&speaker, &role, area)?;
    if !area.is_empty() {
        // Of a round-up, only the quotes about this area.
        records = records.into_iter().map(|r| narrowed(r, area)).collect();
    }
    let matches = |field: &Option<String>, needle: &str| {
        needle.is_empty() || field.as_deref().is_some_and(|f| f.to_lowercase().contains(needle))
    };
    let mut quotes = Vec::new();
    for record in &records {
        let views = quote_views(record, true);
        for (quote, view) in record.quotes.iter().zip(views) {
            let role_ok = role.is_empty()
                || matches(&quote.role, &role)
                || matches(&quote.organisation, &role);
            if matches(&quote.speaker, &speaker) && role_ok {
                quotes.push(view);
            }
        }
    }
    let total = quotes.len();
    let start = (params.page() - 1) * PAGE_SIZE;
    Ok((quotes.into_iter().skip(start).take(PAGE_SIZE).collect(), total))
}

/// `/quotes`: who said what, filtered by speaker, role and area.
pub async fn quotes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(params): Params<QuoteParams>,
) -> Result<Response, AppError> {
    if wants_json(&headers) {
        return Ok(super::data::quotes_json(State(state), super::data::ApiQuery(params))
            .await
            .into_response());
    }
    let (quotes, total) = matching_quotes(&state, &params)?;
    let page = params.page();
    let url_for = |page: usize| {
        let mut pairs = Vec::new();
        for (name, value) in
            [("speaker", &params.speaker), ("role", &params.role), ("area", &params.area)]
        {
            if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                pairs.push((name.to_string(), value.trim().to_string()));
            }
        }
        if page > 1 {
            pairs.push(("page".to_string(), page.to_string()));
        }
        build_url("/quotes", &pairs)
    };
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let mut areas: Vec<(String, String)> =
        state.gazetteer.areas().iter().map(|a| (a.slug.clone(), a.name.clone())).collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    let summary = plural(total, "quote", "quotes");
    let mut layout = Layout::new(
        "Who said what",
        format!(
            "{summary} from councillors, officers, NHS leaders, parent carer forums and inspectors."
        ),
        url_for(page),
    );
    layout.nav = "quotes";
    layout.json_url = Some(url_for(page).replacen("/quotes", "/api/quotes", 1));
    Ok(QuotesPage {
        layout,
        speaker: params.speaker.clone().unwrap_or_default(),
        role: params.role.clone().unwrap_or_default(),
        area: params.area.clone().unwrap_or_default(),
        areas,
        summary,
        quotes,
        prev_url: (page > 1).then(|| url_for(page - 1)),
        next_url: (page < pages).then(|| url_for(page + 1)),
    }
    .into_response())
}

/// `/data`: the downloads and the API.
pub async fn data_page(State(state): State<AppState>) -> DataPage {
    let catalogue = state.archive.catalogue();
    let mut layout = Layout::new(
        "Open data",
        "Download the archive's inspections and articles as CSV and JSON, or follow it by Atom feed.",
        "/data",
    );
    layout.nav = "data";
    layout.json_url = Some("/api".into());
    layout.feed_url = Some("/feed.xml".into());
    DataPage {
        layout,
        totals: format!(
            "{} and {}",
            plural(catalogue.inspections.len(), "inspection", "inspections"),
            plural(catalogue.articles.len(), "article", "articles")
        ),
    }
}

/// `/healthz`: whether the server is up, and what it serves. While the generation `CURRENT`
/// names cannot be read and an older one is served, the status is `degraded` (still 200:
/// the site works) and `fallback` says which and why.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let mut body = serde_json::json!({
        "status": "ok",
        "generation": state.archive.generation(),
        "articles": state.archive.len(),
    });
    if let Some(fallback) = state.archive.fallback() {
        body["status"] = "degraded".into();
        body["fallback"] = serde_json::json!({
            "broken": fallback.broken,
            "error": fallback.error,
            "serving": fallback.serving,
        });
    }
    (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// `/static/{file}`: an embedded asset.
pub async fn static_file(Path(file): Path<String>) -> Result<Response, AppError> {
    let asset = assets::get().find(&format!("/static/{file}")).ok_or(AppError::NotFound)?;
    Ok(asset_response(asset))
}

/// Anything else: the site's 404 page.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_join([]), "");
        assert_eq!(and_join(["Norfolk"]), "Norfolk");
        assert_eq!(and_join(["Norfolk", "Kent"]), "Norfolk and Kent");
        assert_eq!(and_join(["Norfolk", "Suffolk", "Kent"]), "Norfolk, Suffolk and Kent");
    }

    #[test]
    fn a_roundup_narrowed_to_one_area_is_that_areas_part() {
        let suffolk = narrowed(testing::roundup(), "suffolk");
        assert!(!suffolk.is_roundup());
        assert_eq!(suffolk.area.as_ref().map(|a| a.slug.as_str()), Some("suffolk"));
        assert_eq!(suffolk.inspection.outcome, Some(Outcome::Inconsistent));
        assert_eq!(suffolk.themes.iter().map(|t| t.id).collect::<Vec<_>>(), [Theme::WaitingTimes]);
        assert_eq!(suffolk.quotes.iter().map(|q| q.n).collect::<Vec<_>>(), [2], "its number");
        assert_eq!(suffolk.paragraphs, testing::roundup().paragraphs);
        // Other records, and areas a round-up does not report, are left as they are.
        assert_eq!(narrowed(testing::single(), "dudley"), testing::single());
        assert_eq!(narrowed(testing::roundup(), "dudley"), testing::roundup());
    }

    #[test]
    fn a_quote_is_about_the_area_whose_part_holds_it() {
        let roundup = testing::roundup();
        let area = |n| quote_area(&roundup, n).map(|a| a.slug.as_str());
        assert_eq!(
            (area(1), area(2), area(3), area(9)),
            (Some("norfolk"), Some("suffolk"), Some("kent"), None)
        );
        let single = testing::single();
        assert_eq!(quote_area(&single, 1).map(|a| a.slug.as_str()), Some("dudley"));
    }

    #[test]
    fn a_roundup_page_has_a_block_per_area() {
        let page = article_page(testing::roundup(), None);
        assert!(page.area.is_none() && page.badge.is_none());
        let labels: Vec<&str> = page.roundup_areas.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["Norfolk", "Suffolk", "Kent"]);
        assert!(page.roundup_summary.as_deref().unwrap().contains("Norfolk, Suffolk and Kent"));
        assert_eq!(page.reports.len(), 3);
        let kent = &page.reports[2];
        assert_eq!(kent.id, "inspection-kent");
        assert_eq!(kent.area.url, "/areas/kent");
        assert_eq!(kent.badge.as_ref().map(|b| b.code), Some("systemic_failings"));
        assert_eq!(kent.visit.as_deref(), Some("2 December 2024"));
        assert_eq!(kent.kind.as_deref(), Some("Full inspection"));
        assert!(kent.strengths.is_empty());
        assert_eq!(kent.improvements.len(), 1);
        assert_eq!(kent.improvements[0].evidence, "Kent's plans were late.");
        assert_eq!(kent.quotes.len(), 1);
        assert_eq!(
            (kent.quotes[0].label.as_str(), kent.quotes[0].url.as_str()),
            ("Cara Kemp", "#quote-3")
        );
        // The findings are in the blocks, not repeated after them; the quotes are as usual.
        assert!(page.strengths.is_empty() && page.improvements.is_empty());
        assert_eq!(page.quotes.len(), 3);
        assert!(page.layout.description.starts_with("Inspections of Norfolk, Suffolk and Kent"));
    }

    #[test]
    fn an_ordinary_article_page_has_no_blocks() {
        let page = article_page(testing::single(), None);
        assert!(page.reports.is_empty() && page.roundup_areas.is_empty());
        assert!(page.roundup_summary.is_none());
        assert_eq!(page.area.as_ref().map(|a| a.url.as_str()), Some("/areas/dudley"));
        assert_eq!(page.badge.as_ref().map(|b| b.code), Some("inconsistent"));
        assert_eq!(page.improvements.len(), 1);
        assert!(page.layout.description.starts_with("Dudley: Inconsistent experiences"));
    }
}
