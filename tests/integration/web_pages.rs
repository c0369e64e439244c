//! The web pages, rendered through `web::router` over the shipped seed corpus: each page
//! type's status and content, selected by CSS selector, and the frame every page shares
//! (one `h1`, a skip link, `lang`, a labelled search box, no inline styles or handlers).

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use scraper::{ElementRef, Html, Selector};
use send_archive::index::Archive;
use send_archive::web::{AppState, router};
use tower::ServiceExt;

use crate::support::{TempCorpus, shipped_archive};

/// One index of the shipped corpus for the whole module: ingesting it per test is slow.
fn archive() -> &'static Archive {
    static ARCHIVE: OnceLock<(TempCorpus, Archive)> = OnceLock::new();
    &ARCHIVE.get_or_init(shipped_archive).1
}

/// A rendered page: its status and parsed HTML.
struct Page {
    status: StatusCode,
    html: Html,
    body: String,
}

impl Page {
    fn select(&self, selector: &str) -> Vec<ElementRef<'_>> {
        let selector = Selector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e:?}"));
        self.html.select(&selector).collect()
    }

    fn one(&self, selector: &str) -> ElementRef<'_> {
        let found = self.select(selector);
        assert_eq!(found.len(), 1, "expected one {selector}, found {}", found.len());
        found[0]
    }

    fn count(&self, selector: &str) -> usize {
        self.select(selector).len()
    }

    fn text(&self, selector: &str) -> String {
        self.select(selector).iter().map(|e| text(*e)).collect::<Vec<_>>().join(" | ")
    }
}

/// An element's text, whitespace collapsed.
fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e:?}"))
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn get(uri: &str) -> Page {
    get_from(archive(), uri)
}

/// A page of `archive`.
fn get_from(archive: &Archive, uri: &str) -> Page {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let app = router(AppState::new(archive.clone()));
        let response = app
            .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
            .await
            .expect("response");
        let status = response.status();
        if status.is_success() || status.is_client_error() {
            let content_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(content_type.starts_with("text/html"), "{uri}: {content_type}");
        }
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        let body = String::from_utf8(bytes.to_vec()).expect("utf-8");
        Page { status, html: Html::parse_document(&body), body }
    })
}

fn ok(uri: &str) -> Page {
    let page = get(uri);
    assert_eq!(page.status, StatusCode::OK, "{uri}");
    page
}

const DUDLEY_ARTICLE: &str = "/articles/improvements-made-but-further-work-required";

/// Every page type, with a status it should answer.
const PAGES: &[(&str, u16)] = &[
    ("/", 200),
    ("/search", 200),
    ("/search?q=EHCP", 200),
    ("/search?q=zzzzqqq", 200),
    ("/search/help", 200),
    ("/areas", 200),
    ("/areas/dudley", 200),
    ("/areas/northamptonshire", 200),
    (DUDLEY_ARTICLE, 200),
    ("/themes", 200),
    ("/themes/waiting_times", 200),
    ("/quotes", 200),
    ("/data", 200),
    ("/search?q=%22unclosed", 400),
    ("/areas/atlantis", 404),
];

// ---------------------------------------------------------------- every page

#[test]
fn every_page_has_the_frame() {
    for &(uri, status) in PAGES {
        let page = get(uri);
        assert_eq!(page.status.as_u16(), status, "{uri}");
        assert_frame(uri, &page);
    }
}

/// What every page shares: the frame, accessibility and the CSP's demands, unique ids.
fn assert_frame(uri: &str, page: &Page) {
    {
        let html = page.one("html");
        assert_eq!(html.value().attr("lang"), Some("en-GB"), "{uri}");
        assert_eq!(page.count("h1"), 1, "{uri}: one h1");
        assert!(!page.text("h1").is_empty(), "{uri}: h1 has words");
        assert!(!page.text("title").is_empty(), "{uri}: title");
        assert_eq!(page.count("meta[name=viewport]"), 1, "{uri}");
        assert_eq!(page.count("meta[name=description]"), 1, "{uri}");
        assert_eq!(page.count("a.skip-link[href='#main']"), 1, "{uri}: skip link");
        assert_eq!(page.count("main#main"), 1, "{uri}: main landmark");
        assert_eq!(page.count("header"), 1, "{uri}");
        assert_eq!(page.count("footer"), 1, "{uri}");
        assert_eq!(page.count("nav[aria-label=Main] a"), 6, "{uri}: main navigation");
        assert_eq!(page.count("link[rel=stylesheet]"), 1, "{uri}");
        assert_eq!(page.count("script[src][defer]"), 1, "{uri}");
        assert_eq!(page.count("link[rel=search][href='/opensearch.xml']"), 1, "{uri}");
        assert_eq!(page.count("meta[property='og:title']"), 1, "{uri}");
        assert_eq!(page.count("meta[name='twitter:card']"), 1, "{uri}");

        // A search box, labelled.
        let inputs = page.select("input[name=q]");
        assert!(!inputs.is_empty(), "{uri}: a search box");
        for input in inputs {
            let id = input.value().id().unwrap_or_else(|| panic!("{uri}: search box has an id"));
            assert_eq!(page.count(&format!("label[for='{id}']")), 1, "{uri}: label for #{id}");
        }

        // The CSP forbids inline style and script; nothing may rely on them.
        for element in page.select("*") {
            for (name, _) in element.value().attrs() {
                assert!(name != "style", "{uri}: inline style on <{}>", element.value().name());
                assert!(!name.starts_with("on"), "{uri}: inline handler {name}");
            }
        }
        for script in page.select("script") {
            assert!(script.value().attr("src").is_some(), "{uri}: inline script");
        }

        // Ids are unique, and every reference points at one.
        let mut ids = std::collections::HashSet::new();
        for element in page.select("[id]") {
            let id = element.value().id().unwrap();
            assert!(ids.insert(id.to_string()), "{uri}: duplicate id {id}");
        }
        for element in page.select("[aria-labelledby], [aria-describedby], label[for]") {
            for attr in ["aria-labelledby", "aria-describedby", "for"] {
                for id in element.value().attr(attr).unwrap_or("").split_whitespace() {
                    assert!(ids.contains(id), "{uri}: {attr} points at missing #{id}");
                }
            }
        }
        for link in page.select("a[href^='#']") {
            let target = &link.value().attr("href").unwrap()[1..];
            assert!(ids.contains(target), "{uri}: link to missing #{target}");
        }
    }
}

#[test]
fn navigation_marks_the_current_section() {
    for (uri, current) in [
        ("/", "Home"),
        ("/search?q=autism", "Search"),
        ("/areas/dudley", "Areas"),
        ("/themes", "Themes"),
        ("/quotes", "Quotes"),
        ("/data", "Open data"),
    ] {
        let page = ok(uri);
        assert_eq!(page.text("nav[aria-label=Main] a[aria-current=page]"), current, "{uri}");
    }
    assert_eq!(get("/nowhere").count("nav[aria-label=Main] a[aria-current]"), 0);
}

#[test]
fn pages_link_their_feeds_and_json() {
    let page = ok("/areas/dudley");
    assert_eq!(page.count("link[rel=canonical][href='/areas/dudley']"), 1);
    assert_eq!(page.count("meta[property='og:url'][content='/areas/dudley']"), 1);
    assert_eq!(
        page.count(
            "link[rel=alternate][type='application/atom+xml'][href='/areas/dudley/feed.xml']"
        ),
        1
    );
    assert_eq!(
        page.count("link[rel=alternate][type='application/json'][href='/api/areas/dudley']"),
        1
    );
    let home = ok("/");
    assert_eq!(home.count("link[rel=alternate][href='/feed.xml']"), 1);
    assert_eq!(home.count("meta[property='og:type'][content=website]"), 1);
    let article = ok(DUDLEY_ARTICLE);
    assert_eq!(article.count("meta[property='og:type'][content=article]"), 1);
}

#[test]
fn assets_are_served() {
    let page = ok("/");
    let css = page.one("link[rel=stylesheet]").value().attr("href").unwrap().to_string();
    let js = page.one("script[src]").value().attr("src").unwrap().to_string();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for (path, kind) in [(css, "text/css"), (js, "text/javascript")] {
        let response = runtime.block_on(async {
            router(AppState::new(archive().clone()))
                .oneshot(Request::builder().uri(&path).body(Body::empty()).unwrap())
                .await
                .unwrap()
        });
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let content_type = response.headers()[header::CONTENT_TYPE].to_str().unwrap();
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
        let bytes = runtime.block_on(response.into_body().collect()).unwrap().to_bytes();
        let source = String::from_utf8(bytes.to_vec()).unwrap();
        if kind == "text/css" {
            for feature in [
                ":focus-visible",
                ".skip-link:focus",
                ":target",
                "prefers-color-scheme: dark",
                "prefers-reduced-motion",
                "@media print",
                "overflow-wrap: anywhere",
                ".badge--systemic_failings",
                ".js .js-only",
            ] {
                assert!(source.contains(feature), "the stylesheet lacks {feature}");
            }
        } else {
            // Progressive enhancement only: no markup injection, no eval.
            for banned in ["innerHTML", "eval(", "document.write"] {
                assert!(!source.contains(banned), "app.js uses {banned}");
            }
            assert!(source.contains("navigator.clipboard"));
        }
    }
}

// ---------------------------------------------------------------- home

#[test]
fn home_shows_the_national_picture_as_charts_and_tables() {
    let page = ok("/");
    let charts = page.select("figure.chart");
    assert_eq!(charts.len(), 2, "one chart per framework");
    let bars = |chart: ElementRef<'_>| -> Vec<(String, String)> {
        let row = Selector::parse("tbody tr").unwrap();
        let cell = Selector::parse("th, td").unwrap();
        chart
            .select(&row)
            .map(|tr| {
                let cells: Vec<String> = tr.select(&cell).map(text).collect();
                (cells[0].clone(), cells[1].clone())
            })
            .collect()
    };
    let svg_counts = |chart: ElementRef<'_>| -> Vec<String> {
        chart.select(&Selector::parse("svg text.chart__count").unwrap()).map(text).collect()
    };
    // The official record's counts, framework by framework (data/register/README.md).
    let f2023 = charts[0];
    assert!(text(f2023).contains("2023 framework"), "{}", text(f2023));
    let rows = bars(f2023);
    for (label, count) in [
        ("Positive experiences (outcome 1)", "19"),
        ("Inconsistent experiences (outcome 2)", "53"),
        ("Systemic failings (outcome 3)", "25"),
        ("Sufficient progress", "3"),
    ] {
        assert!(rows.contains(&(label.into(), count.into())), "{label} {count}: {rows:?}");
    }
    assert_eq!(svg_counts(f2023), rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>());
    let f2016 = charts[1];
    assert!(text(f2016).contains("2016 framework"));
    let rows = bars(f2016);
    for (label, count) in [
        ("Written statement of action required", "83"),
        ("No written statement of action", "68"),
        ("Sufficient progress", "25"),
        ("Insufficient progress", "34"),
    ] {
        assert!(rows.contains(&(label.into(), count.into())), "{label} {count}: {rows:?}");
    }
    assert_eq!(svg_counts(f2016), rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>());
    assert!(page.text("#picture-heading ~ p").contains("official record"));

    for chart in charts {
        let svg = chart.select(&Selector::parse("svg").unwrap()).next().expect("an svg");
        assert_eq!(svg.value().attr("role"), Some("img"));
        let title_id = svg.value().attr("aria-labelledby").expect("labelled");
        let title = chart
            .select(&Selector::parse(&format!("svg title#{title_id}")).unwrap())
            .next()
            .expect("the svg's title");
        assert!(text(title).contains("framework"));
        let rects = chart.select(&Selector::parse("svg rect").unwrap()).count();
        assert_eq!(rects, bars(chart).len(), "a bar per outcome");
        assert!(chart.select(&Selector::parse("table caption").unwrap()).next().is_some());
    }
}

#[test]
fn home_lists_the_latest_inspections_and_every_area() {
    let page = ok("/");
    assert!(page.count(".inspection") >= 5, "{}", page.count(".inspection"));
    let latest = page.text(".inspection__heading");
    for area in ["Dudley", "Dorset", "Southend-on-Sea", "Worcestershire", "South Gloucestershire"] {
        assert!(latest.contains(area), "{area} in {latest}");
    }
    assert!(page.count(".inspection .badge--inconsistent") >= 1);
    // A way into every current area.
    assert_eq!(page.count(".region-compact li a[href^='/areas/']"), 153);
    assert_eq!(page.count(".region-compact a.covered"), 5);
    // The search box posts to /search.
    assert_eq!(page.count("form[action='/search'] input#q[name=q]"), 1);
}

// ---------------------------------------------------------------- areas

#[test]
fn areas_lists_every_area_by_region_with_its_latest_outcome() {
    let page = ok("/areas");
    let current = page.count("section.region:not(#former) li.area-row");
    assert_eq!(current, 153, "current local areas");
    assert!(page.count("#former li.area-row") >= 5, "former areas");
    assert!(page.text("#former").contains("Northamptonshire"));
    // The jump list reaches every region.
    let regions = page.count("section.region:not(#former)");
    assert_eq!(page.count(".jump-list a"), regions + 1);
    assert_eq!(regions, 9, "England's nine regions");

    let dudley = page
        .select("li.area-row")
        .into_iter()
        .find(|row| text(*row).starts_with("Dudley "))
        .expect("Dudley's row");
    let dudley_html = dudley.html();
    assert!(dudley_html.contains("href=\"/areas/dudley\""), "{dudley_html}");
    assert!(dudley_html.contains("badge badge--inconsistent"), "{dudley_html}");
    assert!(text(dudley).contains("Inconsistent experiences (outcome 2)"));
    let uncovered = page
        .select("li.area-row")
        .into_iter()
        .find(|row| text(*row).starts_with("Rutland "))
        .expect("Rutland's row");
    assert!(text(uncovered).contains("no articles yet"), "{}", text(uncovered));
    // An area no article reports still shows its official outcome.
    assert!(uncovered.html().contains("class=\"badge badge--"), "{}", uncovered.html());
}

#[test]
fn area_page_tells_the_story_of_an_area() {
    let page = ok("/areas/dudley");
    assert_eq!(page.text("h1"), "Dudley");
    assert!(page.text(".lead").contains("Dudley Metropolitan Borough Council"));
    // The outcome in words: label, official wording and gloss.
    assert!(page.text(".latest .badge--inconsistent").contains("outcome 2"));
    let wording = page.text(".latest .outcome__wording");
    assert!(wording.contains("inconsistent experiences and outcomes"), "{wording}");
    assert!(page.text(".latest .outcome__gloss").contains("middle outcome"));
    // The timeline.
    let timeline = page.select("ol.timeline > li");
    assert_eq!(timeline.len(), 1);
    let entry = text(timeline[0]);
    for expected in ["January 2025", "2023 framework", "Full inspection", "20 to 24 January 2025"] {
        assert!(entry.contains(expected), "{expected} in {entry}");
    }
    assert!(entry.contains("11 March 2025"), "{entry}");
    assert_eq!(page.count(&format!("ol.timeline a[href='{DUDLEY_ARTICLE}']")), 1);
    // Strengths and improvements, each with its evidence and paragraph.
    assert!(page.count("#strengths-heading ~ ul .evidence") >= 3);
    let improvements = page.text("#improvements-heading ~ ul");
    assert!(improvements.contains("Waiting times"), "{improvements}");
    assert!(page.count("a[href^='/articles/improvements-made-but-further-work-required#p-']") >= 3);
    // Quotes, attributed and linked.
    let quotes = page.text("figure.quote figcaption");
    assert!(quotes.contains("David Stanley"), "{quotes}");
    assert!(quotes.contains("cabinet Member for children"), "{quotes}");
    assert!(page.count(&format!("figure.quote a[href='{DUDLEY_ARTICLE}#quote-1']")) == 1);
    assert!(page.count(&format!("figure.quote blockquote[cite='{DUDLEY_ARTICLE}#quote-1']")) == 1);
    assert_eq!(page.count("figure.quote a[href='/areas/dudley']"), 0, "not a link to itself");
    // Ways on: search within, feed and JSON.
    assert_eq!(page.count("a[href='/search?area=dudley']"), 1);
    assert_eq!(page.count("main a[href='/areas/dudley/feed.xml']"), 1);
    assert_eq!(page.count("main a[href='/api/areas/dudley']"), 1);
}

#[test]
fn area_pages_link_former_and_successor_areas() {
    let former = ok("/areas/northamptonshire");
    assert!(former.text(".notice").contains("no longer exists"));
    assert!(
        former.count(".notice a[href='/areas/north-northamptonshire']") == 1,
        "{}",
        former.text(".notice")
    );
    let successor = ok("/areas/north-northamptonshire");
    assert!(successor.count("main a[href='/areas/northamptonshire']") >= 1);
    // An area named like the one it replaced names the other by its council and dates.
    let dorset = ok("/areas/dorset");
    assert_eq!(
        dorset.text("main a[href='/areas/dorset-until-2019']"),
        "Dorset County Council (until 31 March 2019)"
    );
    let county = ok("/areas/dorset-until-2019");
    assert!(
        county.text(".notice a[href='/areas/dorset']").starts_with("Dorset Council (from"),
        "{}",
        county.text(".notice")
    );
    // An area with no articles says so, rather than showing an empty page.
    let quiet = ok("/areas/rutland");
    assert!(quiet.text(".latest").contains("no articles"), "{}", quiet.text(".latest"));
}

// ---------------------------------------------------------------- article

#[test]
fn article_page_has_permalinks_for_quotes_and_paragraphs() {
    let page = ok(DUDLEY_ARTICLE);
    assert_eq!(page.text("h1"), "Improvements made - but further work required");
    let quote = page.one("figure#quote-1");
    let quote_text = text(quote);
    assert!(quote_text.contains("David Stanley"), "{quote_text}");
    assert!(quote.html().contains("<blockquote"), "a blockquote");
    assert!(quote.html().contains("<figcaption"), "a figcaption");
    assert!(quote.html().contains(&format!("href=\"{DUDLEY_ARTICLE}#quote-1\"")));
    let first = page.one("#p-1");
    assert!(["p", "li", "h3"].contains(&first.value().name()));
    assert!(text(first).starts_with("A recent inspection by Ofsted"), "{}", text(first));
    // Every paragraph is numbered in order, with no gaps.
    let anchors: Vec<String> = page
        .select(".prose [id^='p-']")
        .iter()
        .map(|e| e.value().id().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (1..=anchors.len()).map(|n| format!("p-{n}")).collect();
    assert_eq!(anchors, expected);
    // List items sit in a list.
    for item in page.select(".prose li") {
        let parent = item.parent().and_then(ElementRef::wrap).unwrap();
        assert_eq!(parent.value().name(), "ul");
    }
    // Quotes and evidence link to paragraphs that exist.
    assert!(page.count(".outcome__evidence a[href='#p-1']") == 1);
}

#[test]
fn article_page_shows_the_inspection_and_where_facts_come_from() {
    let page = ok(DUDLEY_ARTICLE);
    // Source, marked as curated with an explanation.
    assert_eq!(page.count(".byline a.source-link[href^='https://blackcountryradio.co.uk/']"), 1);
    assert!(page.count(".byline a.curated[href='#curated']") >= 1);
    let curated = page.text("#curated");
    assert!(curated.contains("checked by hand"), "{curated}");
    assert!(curated.contains("First day of the visit"), "{curated}");
    assert!(curated.contains("2025-01-20"), "{curated}");
    assert!(curated.contains("dudleyhealthandwellbeing.org.uk"), "provenance: {curated}");
    // The publication date is unknown, and says so.
    assert!(page.text(".byline").contains("publication date not known"));
    // The inspection facts.
    let facts = page.text(".outcome-box dl.facts");
    for expected in [
        "2023 framework (area SEND inspection)",
        "Full inspection",
        "20 to 24 January 2025",
        "11 March 2025",
    ] {
        assert!(facts.contains(expected), "{expected} in {facts}");
    }
    assert!(page.text(".outcome-box .badge").contains("Inconsistent experiences (outcome 2)"));
    assert!(page.text(".outcome-box").contains("must work jointly to make improvements"));
    // Themes link to their pages.
    assert!(page.count(".evidence a[href='/themes/waiting_times']") == 1);
}

#[test]
fn article_page_offers_a_permalink_and_citation() {
    let page = ok(DUDLEY_ARTICLE);
    let input = page.one("input#permalink");
    assert_eq!(input.value().attr("value"), Some(DUDLEY_ARTICLE));
    assert!(input.value().attr("readonly").is_some());
    assert_eq!(page.count("label[for=permalink]"), 1);
    let button = page.one("button[data-copy=permalink]");
    assert_eq!(button.value().attr("type"), Some("button"));
    assert!(button.value().classes().any(|c| c == "js-only"), "hidden without JavaScript");
    assert_eq!(page.count("[data-copy-status][aria-live=polite]"), 1);
    let citation = page.text(".citation");
    assert!(citation.contains("Improvements made - but further work required"), "{citation}");
    assert!(citation.contains("Black Country Radio"), "{citation}");
    assert!(citation.contains(DUDLEY_ARTICLE), "{citation}");
}

#[test]
fn a_curated_outcome_is_marked_and_explained() {
    // South Gloucestershire's article does not state the outcome; its sidecar supplies it,
    // with the council's page as the source.
    let page = ok("/search?q=%22South+Gloucestershire%22");
    let url = page
        .select(".result__title a")
        .first()
        .and_then(|a| a.value().attr("href"))
        .expect("South Gloucestershire's article")
        .to_string();
    let article = ok(&url);
    assert_eq!(article.count(".outcome-box .outcome .badge--wsoa_required"), 1, "{url}");
    // The official record agrees, and says so beside it.
    assert_eq!(article.count(".outcome-box .official-note .badge--wsoa_required"), 1, "{url}");
    assert_eq!(article.count(".outcome-box a.curated[href='#curated']"), 1, "{url}");
    assert_eq!(article.count(".outcome-box .outcome__evidence"), 0, "no sentence to link");
    let curated = article.text("#curated");
    assert!(curated.contains("Outcome"), "{curated}");
    assert!(curated.contains("southglos.gov.uk"), "{curated}");
}

// ---------------------------------------------------------------- search

/// The total in a search summary ("2 articles match …").
fn total(page: &Page) -> u64 {
    let summary = page.text("[role=status]");
    summary.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn search_finds_synonyms_and_highlights_them() {
    let page = ok("/search?q=EHCP");
    assert_eq!(page.one("input#q").value().attr("value"), Some("EHCP"));
    let summary = page.one("p[role=status]");
    assert_eq!(summary.value().attr("aria-live"), Some("polite"));
    assert!(text(summary).contains("EHCP"));
    let result = page
        .select("li.result")
        .into_iter()
        .find(|r| r.html().contains(&format!("href=\"{DUDLEY_ARTICLE}\"")))
        .expect("Dudley's article, which says 'Education and Health Care Plans (EHCP)'");
    let snippet = result
        .select(&Selector::parse(".result__snippet b").unwrap())
        .next()
        .expect("a highlight in the snippet");
    assert!(!text(snippet).is_empty());
    assert!(text(result).contains("Dudley"));
    assert!(result.html().contains("badge--inconsistent"));
    // The outcome is named on each result and explained once, on the help page.
    assert_eq!(page.count("li.result .outcome__more"), 0);
    assert_eq!(page.count(".results-toolbar a[href='/search/help#outcomes']"), 1);
    // Results are in an ordered list, each headed by its link.
    assert_eq!(page.count("ol.results > li.result h3 a"), total(&page) as usize);
}

#[test]
fn facet_counts_add_up_to_the_total() {
    for uri in ["/search", "/search?q=EHCP", "/search?q=inspection"] {
        let page = ok(uri);
        let n = total(&page);
        assert!(n > 0, "{uri}");
        // Every article has exactly one area, region and framework.
        for facet in ["area", "region", "framework"] {
            let counts: u64 = page
                .select(&format!("nav[aria-labelledby=facet-{facet}] .facet__count"))
                .iter()
                .map(|c| text(*c).trim_matches(['(', ')']).parse::<u64>().unwrap())
                .sum();
            assert_eq!(counts, n, "{uri}: {facet} facet");
        }
    }
}

#[test]
fn a_sentence_that_is_evidence_for_several_themes_is_shown_once_with_all_of_them() {
    let page = ok("/areas/dudley");
    let items = page.select("#improvements-heading ~ ul .evidence");
    let sentences: Vec<String> =
        items.iter().map(|li| text(li.select(&sel("blockquote")).next().unwrap())).collect();
    let mut unique = sentences.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), sentences.len(), "each sentence once: {sentences:?}");
    // Dudley's waiting-times sentence also speaks for three other themes.
    let waiting = items
        .iter()
        .find(|li| li.select(&sel("a[href='/themes/waiting_times']")).next().is_some())
        .expect("waiting times is an area for improvement");
    let themes: Vec<&str> =
        waiting.select(&sel(".evidence__theme a")).filter_map(|a| a.value().attr("href")).collect();
    for theme in ["waiting_times", "mental_health", "neurodevelopmental", "equipment"] {
        assert!(themes.contains(&format!("/themes/{theme}").as_str()), "{theme} in {themes:?}");
    }
}

#[test]
fn a_long_facet_shows_the_first_few_and_links_to_all_of_them() {
    let page = ok("/search");
    let themes = "nav[aria-labelledby=facet-theme]";
    let shown = page.count(&format!("{themes} a.facet__value"));
    assert_eq!(shown, 8, "the first few themes");
    let more = page.one(&format!("{themes} a.facet__more"));
    assert!(text(more).starts_with("Show all 26"), "{}", text(more));
    let href = more.value().attr("href").unwrap();
    assert_eq!(href, "/search?more=theme#facet-theme");
    // Expanded: every theme, counts as before, a way back, and the same canonical URL.
    let all = ok(href.split('#').next().unwrap());
    assert_eq!(all.count(&format!("{themes} a.facet__value")), 26);
    assert!(all.text(&format!("{themes} a.facet__more")).starts_with("Show fewer"));
    assert_eq!(all.one("link[rel=canonical]").value().attr("href"), Some("/search"));
    // Filter links from the expanded page do not carry `more` along.
    let link = all.select(&format!("{themes} a.facet__value"))[20]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(link.contains("theme=") && !link.contains("more="), "{link}");
    // A chosen value that ranks below the first few is still shown, marked.
    let chosen = ok(&link);
    let marked = chosen.one(&format!("{themes} a[aria-current=true]"));
    assert!(text(marked).contains("chosen"));
    // Short facets show everything, with no link.
    assert_eq!(page.count("nav[aria-labelledby=facet-outcome] a.facet__more"), 0);
}

#[test]
fn filter_links_keep_the_query_and_the_other_filters() {
    let page = ok("/search?q=EHCP&area=dudley");
    assert!(page.text("[role=status]").starts_with("1 article"), "{}", page.text("[role=status]"));
    assert_eq!(page.text("[role=status]"), "1 article matches \u{201c}EHCP\u{201d}");
    // The form carries the filter along with a new query.
    assert_eq!(page.count("form[role=search] input[type=hidden][name=area][value=dudley]"), 1);
    // A facet link adds its filter and keeps the rest.
    let outcome_link = page
        .select("nav[aria-labelledby=facet-outcome] a")
        .first()
        .and_then(|a| a.value().attr("href"))
        .expect("an outcome facet")
        .to_string();
    assert!(outcome_link.contains("q=EHCP"), "{outcome_link}");
    assert!(outcome_link.contains("area=dudley"), "{outcome_link}");
    assert!(outcome_link.contains("outcome="), "{outcome_link}");
    // The chosen value is marked, in words as well as style.
    let chosen = page.one("nav[aria-labelledby=facet-area] a[aria-current=true]");
    assert!(text(chosen).contains("Dudley"));
    assert!(text(chosen).contains("chosen"));
    assert!(!chosen.value().attr("href").unwrap().contains("area="), "selecting it removes it");
    // The active filter can be removed, keeping the query.
    let remove = page.one(".active-filters a");
    assert!(text(remove).contains("Local area: Dudley"), "{}", text(remove));
    assert_eq!(remove.value().attr("href"), Some("/search?q=EHCP"));
}

#[test]
fn sort_and_paging_links_are_there() {
    let page = ok("/search?q=inspection");
    assert_eq!(page.count("nav[aria-label='Sort results'] a"), 2);
    assert_eq!(page.count("nav[aria-label='Sort results'] a[aria-current]"), 1);
    assert!(page.text("nav[aria-label='Sort results'] a[aria-current]").contains("Most relevant"));
    let newest = ok("/search?q=inspection&sort=newest");
    assert!(newest.text("nav[aria-label='Sort results'] a[aria-current]").contains("Newest"));
    assert_eq!(newest.count("form[role=search] input[type=hidden][name=sort][value=newest]"), 1);
    // Five articles fit on one page: no pagination.
    assert_eq!(page.count("a[rel=next]"), 0);
    assert_eq!(page.count("a[rel=prev]"), 0);
    // A page past the end links back.
    let past = get("/search?q=inspection&page=2");
    assert!(past.status.is_success());
    assert!(past.count("a[rel=prev]") <= 1);
}

#[test]
fn search_suggests_areas_for_near_misses() {
    let page = ok("/search?q=Dudly");
    let suggestion = page.one(".suggestions a");
    assert_eq!(text(suggestion), "Dudley");
    assert_eq!(suggestion.value().attr("href"), Some("/areas/dudley"));
    assert!(page.text(".suggestions").starts_with("Did you mean"));
}

#[test]
fn zero_results_are_helpful() {
    let page = ok("/search?q=zzzzqqq");
    assert!(page.text("[role=status]").starts_with("No articles match"));
    assert_eq!(page.count("li.result"), 0);
    let help = page.one(".no-results");
    let html = help.html();
    assert!(html.contains("href=\"/search/help\""), "{html}");
    assert!(html.contains("href=\"/areas\""), "{html}");
    assert!(help.select(&Selector::parse("li").unwrap()).count() >= 3, "tips");
}

#[test]
fn search_escapes_what_was_typed() {
    let page = get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert!(page.status.is_success() || page.status == StatusCode::BAD_REQUEST, "{}", page.status);
    // The only script is the site's own, and the text is shown as text.
    assert_eq!(page.count("script"), 1);
    assert!(page.select("script")[0].value().attr("src").is_some());
    assert!(!page.body.contains("<script>alert"), "raw markup in the page");
    assert!(page.body.contains("alert(1)"), "the text is shown");
    let typed = page.one("input#q").value().attr("value").unwrap().to_string();
    assert_eq!(typed, "<script>alert(1)</script>");
    // Snippets are the only unescaped output, and they carry only <b>.
    let elements: std::collections::HashSet<&str> =
        page.select(".result__snippet *").iter().map(|e| e.value().name()).collect();
    assert!(elements.iter().all(|name| *name == "b"), "{elements:?}");
}

#[test]
fn bad_searches_get_a_400_page_with_help_never_a_500() {
    let long = "a".repeat(10_000);
    for (query, mentions) in [
        ("%22unclosed", "quotation mark"),
        ("AND%20OR", ""),
        (long.as_str(), ""),
        ("title%3A", ""),
        ("nosuchfield%3Aword", "no field"),
    ] {
        let uri = format!("/search?q={query}");
        let page = get(&uri);
        assert!(page.status.as_u16() < 500, "{}: {}", &uri[..uri.len().min(40)], page.status);
        if page.status != StatusCode::BAD_REQUEST {
            continue;
        }
        let short = &uri[..uri.len().min(40)];
        assert_eq!(page.count("h1"), 1, "{short}");
        assert!(page.text(".lead").contains(mentions), "{short}: {}", page.text(".lead"));
        // The key syntax and the way to the full guide.
        assert_eq!(page.count("table.syntax"), 1, "{short}");
        assert!(page.count("main a[href='/search/help']") >= 1, "{short}");
        // What was typed, shown as text (and cut short when it is very long).
        let shown = page.text(".rejected-query__text");
        assert!(!shown.is_empty(), "{short}");
        assert!(shown.chars().count() <= 310, "{short}: {} characters", shown.len());
        // A search box to try again.
        assert!(page.count("input[name=q]") >= 1);
    }
    // The unclosed quote is certainly a 400, with the hint.
    let page = get("/search?q=%22unclosed");
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text(".rejected-query__text").contains("\"unclosed"));
    assert!(page.text(".hint-box").contains("closing"), "{}", page.text(".hint-box"));
    let long_page = get(&format!("/search?q={long}"));
    assert_eq!(long_page.status, StatusCode::BAD_REQUEST);
}

// ---------------------------------------------------------------- help

#[test]
fn help_explains_the_syntax_fields_synonyms_themes_and_outcomes() {
    let page = ok("/search/help");
    let syntax = page.text("#syntax ~ *");
    for expected in ["\"parent carer forum\"", " OR ", "-Poole"] {
        assert!(page.text("main").contains(expected), "{expected}");
    }
    assert!(!syntax.is_empty());
    let fields = page.text("dl.fields dt");
    for field in [
        "title:",
        "area:",
        "region:",
        "outcome:",
        "framework:",
        "kind:",
        "theme:",
        "year:",
        "source:",
    ] {
        assert!(fields.contains(field), "{field} in {fields}");
    }
    assert!(page.text(".synonyms").contains("EHCP"));
    assert!(page.count(".synonyms li") >= 10);
    assert_eq!(page.count("section[aria-labelledby=themes] tbody tr"), 28);
    assert_eq!(page.count("section[aria-labelledby=outcomes] tbody tr"), 7);
    for code in [
        "positive",
        "inconsistent",
        "systemic_failings",
        "wsoa_required",
        "no_wsoa",
        "sufficient_progress",
        "insufficient_progress",
    ] {
        assert_eq!(page.count(&format!("section[aria-labelledby=outcomes] .badge--{code}")), 1);
        // Search results link here rather than repeat each outcome's wording.
        let row = page.text(&format!("tr#outcome-{code}"));
        let outcome = send_archive::extract::Outcome::ALL
            .iter()
            .find(|o| o.code() == code)
            .expect("a known outcome");
        assert!(row.contains(outcome.official_wording()), "{row}");
        assert!(row.contains(outcome.gloss()), "{row}");
    }
}

// ---------------------------------------------------------------- themes and quotes

#[test]
fn themes_list_every_theme_with_counts() {
    let page = ok("/themes");
    assert_eq!(page.count("table.themes-table tbody tr"), 28);
    let waiting = page
        .select("table.themes-table tbody tr")
        .into_iter()
        .find(|row| row.html().contains("href=\"/themes/waiting_times\""))
        .expect("waiting times");
    let cells: Vec<String> = waiting.select(&Selector::parse("td").unwrap()).map(text).collect();
    let criticised: usize = cells[1].parse().unwrap();
    assert!(criticised >= 1, "{cells:?}");
}

#[test]
fn theme_page_lists_areas_praised_and_criticised_with_evidence() {
    let page = ok("/themes/waiting_times");
    assert_eq!(page.text("h1"), "Waiting times");
    let criticised = page.text("section[aria-labelledby=criticised-heading]");
    assert!(criticised.contains("Dudley"), "{criticised}");
    assert!(page.count("section[aria-labelledby=criticised-heading] blockquote") >= 1);
    assert!(
        page.count(&format!(
            "section[aria-labelledby=criticised-heading] a[href^='{DUDLEY_ARTICLE}#p-']"
        )) >= 1
    );
    assert_eq!(page.count("main a[href='/search?theme=waiting_times']"), 1);
    assert_eq!(page.count("main a[href='/themes/waiting_times/feed.xml']"), 1);
}

#[test]
fn quotes_page_filters_by_speaker_role_and_area() {
    let page = ok("/quotes");
    assert_eq!(page.count("form[action='/quotes'] input#speaker[name=speaker]"), 1);
    assert_eq!(page.count("form[action='/quotes'] input#role[name=role]"), 1);
    // "Any area", then every area, current and former.
    assert!(page.count("form[action='/quotes'] select#area[name=area] option") > 153);
    assert_eq!(page.count("select#area option[value=''][selected]"), 0);
    assert_eq!(page.text("select#area option:first-child"), "Any area");
    assert!(page.count("figure.quote") >= 3);
    assert!(page.text("figcaption").contains("David Stanley"));

    let stanley = ok("/quotes?speaker=stanley");
    assert_eq!(stanley.one("input#speaker").value().attr("value"), Some("stanley"));
    let speakers: Vec<String> =
        stanley.select("figure.quote .quote__speaker").into_iter().map(text).collect();
    assert!(!speakers.is_empty());
    assert!(speakers.iter().all(|s| s == "David Stanley"), "{speakers:?}");

    let dudley = ok("/quotes?area=dudley");
    assert_eq!(dudley.count("select#area option[value=dudley][selected]"), 1);
    let areas: Vec<String> = dudley
        .select("figure.quote .quote__links a[href^='/areas/']")
        .into_iter()
        .map(text)
        .collect();
    assert!(!areas.is_empty());
    assert!(areas.iter().all(|a| a == "Dudley"), "{areas:?}");
}

#[test]
fn data_page_describes_the_downloads_api_and_feeds() {
    let page = ok("/data");
    for href in [
        "/data/inspections.csv",
        "/data/articles.csv",
        "/api",
        "/api/inspections",
        "/feed.xml",
        "/areas/dudley/feed.xml",
        "/themes/waiting_times/feed.xml",
    ] {
        assert!(page.count(&format!("main a[href='{href}']")) >= 1, "{href}");
    }
    assert!(page.text("main").contains("/search/feed.xml"));
    assert!(page.text("main").contains("each links to its source"));
}

// ---------------------------------------------------------------- errors

#[test]
fn unknown_pages_are_404s_in_the_site_style() {
    for uri in
        ["/areas/atlantis", "/articles/no-such-article", "/themes/no_such_theme", "/no/such/page"]
    {
        let page = get(uri);
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(page.text("h1"), "Page not found", "{uri}");
        assert_eq!(page.count("nav[aria-label=Main]"), 1, "{uri}");
        assert_eq!(page.count("link[rel=stylesheet]"), 1, "{uri}");
        assert!(page.count("main a[href='/areas']") == 1, "{uri}: a way on");
        assert_eq!(page.count("table.syntax"), 0, "{uri}: no search help on a 404");
    }
}

// ---------------------------------------------------------------- round-ups

/// The shipped corpus and a round-up of Norfolk, Suffolk and Kent (see `support::roundup_record`).
fn roundup_archive() -> &'static Archive {
    static ARCHIVE: OnceLock<Archive> = OnceLock::new();
    ARCHIVE.get_or_init(crate::support::roundup_archive)
}

fn roundup_page(uri: &str) -> Page {
    let page = get_from(roundup_archive(), uri);
    assert_eq!(page.status, StatusCode::OK, "{uri}");
    assert_frame(uri, &page);
    page
}

const ROUNDUP: &str = "/articles/three-councils-told-to-improve-send-services";

#[test]
fn a_roundup_page_has_a_block_per_area_then_the_quotes() {
    let page = roundup_page(ROUNDUP);
    assert_eq!(page.text("h1"), "Three councils told to improve SEND services");
    assert_eq!(page.text("#inspections-heading"), "The inspections");
    assert!(
        page.text(".roundup > p")
            .contains("3 local areas\u{2019} inspections: Norfolk, Suffolk and Kent")
    );
    // The byline names every area, each a link.
    assert_eq!(page.text(".byline .area-list"), "Norfolk, Suffolk and Kent");
    assert_eq!(page.count(".byline .area-list a[href='/areas/suffolk']"), 1);
    // No single outcome box: one block per area, in article order.
    assert_eq!(page.count("#outcome-heading"), 0);
    let blocks = page.select("section.report");
    assert_eq!(blocks.len(), 3);
    let headings: Vec<String> = page.select("section.report h3").into_iter().map(text).collect();
    assert_eq!(headings, ["Norfolk", "Suffolk", "Kent"]);
    let kent = page.one("#inspection-kent");
    let kent_text = text(kent);
    assert!(kent_text.contains("Systemic failings (outcome 3)"), "{kent_text}");
    assert!(kent_text.contains("widespread and/or systemic failings"), "official wording");
    assert!(kent_text.contains("2 December 2024"), "the visit: {kent_text}");
    assert!(kent_text.contains("March 2025"), "the report date");
    assert!(kent_text.contains("Full inspection"));
    // Each block has its own area's findings, not the others'.
    assert!(kent_text.contains("plans were too often late"));
    assert!(!kent_text.contains("autism assessments"));
    let suffolk = text(page.one("#inspection-suffolk"));
    assert!(suffolk.contains("Inconsistent experiences (outcome 2)"));
    assert!(suffolk.contains("autism assessments") && !suffolk.contains("clear plan"));
    assert_eq!(page.count("#inspection-norfolk a[href='/areas/norfolk']"), 1);
    assert_eq!(page.count("#inspection-norfolk a[href='#quote-1']"), 1, "its quote, linked");
    // The quotes as usual, numbered through the article, after the blocks.
    assert_eq!(page.count("#quote-1, #quote-2, #quote-3"), 3);
    let description = page.one("meta[name=description]").value().attr("content").unwrap();
    assert!(description.starts_with("Inspections of Norfolk, Suffolk and Kent"), "{description}");
}

#[test]
fn an_ordinary_article_page_keeps_its_single_inspection() {
    let page = get_from(roundup_archive(), DUDLEY_ARTICLE);
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("#outcome-heading"), 1);
    assert_eq!(page.count("section.report, .roundup, .byline .area-list"), 0);
}

#[test]
fn each_area_page_lists_the_roundup_with_only_its_own_findings_and_quotes() {
    for (slug, own, others) in [
        ("norfolk", "clear plan", ["autism assessments", "too often late"]),
        ("suffolk", "autism assessments", ["clear plan", "too often late"]),
        ("kent", "too often late", ["clear plan", "autism assessments"]),
    ] {
        let uri = format!("/areas/{slug}");
        let page = roundup_page(&uri);
        let timeline = page.text(".timeline");
        assert!(
            timeline.contains("Three councils told to improve SEND services"),
            "{uri}: {timeline}"
        );
        let main = page.text("main");
        assert!(main.contains(own), "{uri}: its own finding");
        for other in others {
            assert!(!main.contains(other), "{uri}: another area's finding {other:?}");
        }
        assert_eq!(page.count(".quote"), 1, "{uri}: its one quote");
    }
    let kent = roundup_page("/areas/kent");
    assert!(kent.text("main").contains("Cara Kemp") && !kent.text("main").contains("Ann Norris"));
    assert!(kent.text(".timeline").contains("Systemic failings"), "Kent's own outcome");
}

#[test]
fn search_results_show_a_roundups_areas() {
    let page = roundup_page("/search?q=councils+told+to+improve");
    let result = page
        .select(".result")
        .into_iter()
        .find(|r| text(*r).contains("Three councils"))
        .expect("the round-up is found");
    let meta: Vec<String> = result.select(&sel(".result__meta a")).map(text).collect();
    assert_eq!(meta, ["Norfolk", "Suffolk", "Kent"]);
    assert!(text(result).contains("Norfolk, Suffolk and Kent"));
    assert_eq!(result.select(&sel(".badge")).count(), 0, "no single outcome badge");
    assert!(text(result).contains("Round-up of 3 inspections"));
    // Filtered by any of its areas, it is found; the facets count it under each.
    for area in ["norfolk", "suffolk", "kent"] {
        let page = roundup_page(&format!("/search?area={area}"));
        assert!(page.text(".results").contains("Three councils"), "area={area}");
    }
    let page = roundup_page("/search?region=east-of-england");
    assert!(page.text(".results").contains("Three councils"));
    let facets = page.text("nav[aria-labelledby=facet-area]");
    assert!(facets.contains("Norfolk") && facets.contains("Suffolk"), "{facets}");
}

#[test]
fn theme_and_quote_pages_count_a_roundup_under_each_area() {
    let page = roundup_page("/themes/waiting_times");
    let criticised = page.text("main");
    assert!(criticised.contains("Suffolk"), "Suffolk's finding");
    assert!(!criticised.contains("Norfolk") && !criticised.contains("Kent"), "{criticised}");
    let page = roundup_page("/themes/leadership");
    assert!(page.text("main").contains("Norfolk") && !page.text("main").contains("Suffolk"));

    let page = roundup_page("/quotes?area=suffolk");
    assert_eq!(page.count(".quote"), 1, "only Suffolk's quote");
    assert!(page.text(".quote").contains("Bob Suttle"));
    // Unfiltered, each quote names the area it is about.
    let page = roundup_page("/quotes?speaker=Cara+Kemp");
    assert!(page.text(".quote").contains("Kent"), "{}", page.text(".quote"));

    let page = roundup_page("/areas");
    let norfolk = page
        .select(".area-row, li")
        .into_iter()
        .map(text)
        .find(|t| t.starts_with("Norfolk"))
        .unwrap_or_default();
    assert!(norfolk.contains("1 article"), "{norfolk}");
    let home = roundup_page("/");
    assert!(home.text("main").contains("inspections"));
}

/// The shipped corpus and the round-up fixture articles, ingested.
fn fixture_archive() -> &'static Archive {
    static ARCHIVE: OnceLock<(TempCorpus, Archive)> = OnceLock::new();
    &ARCHIVE.get_or_init(crate::support::roundup_corpus).1
}

fn fixture_page(uri: &str) -> Page {
    let page = get_from(fixture_archive(), uri);
    assert_eq!(page.status, StatusCode::OK, "{uri}");
    assert_frame(uri, &page);
    page
}

#[test]
fn roundup_fixtures_are_served_area_by_area() {
    let archive = fixture_archive();
    for (path, expected) in crate::support::roundup_fixtures() {
        let title = expected["title"].as_str().unwrap();
        let slug = crate::support::slug_of(archive, title);
        let uri = format!("/articles/{slug}");
        let page = fixture_page(&uri);
        let inspections = expected["inspections"].as_array().unwrap();
        let names: Vec<&str> =
            inspections.iter().map(|i| i["area"]["name"].as_str().unwrap()).collect();
        let headings: Vec<String> =
            page.select("section.report h3").into_iter().map(text).collect();
        assert_eq!(headings, names, "{path:?}: a block per area, in article order");
        for (block, inspection) in page.select("section.report").into_iter().zip(inspections) {
            let badge = block.select(&sel(".badge")).next().expect("an outcome badge");
            let class = badge.value().attr("class").unwrap();
            let outcome = inspection["outcome"].as_str().unwrap();
            assert!(class.ends_with(&format!("badge--{outcome}")), "{path:?}: {class}");
        }
        // Each area's page lists the round-up among its inspections and its sources, with
        // only that area's quotes; a search filtered by the area finds it.
        for inspection in inspections {
            let name = inspection["area"]["name"].as_str().unwrap();
            let area = archive
                .catalogue()
                .articles
                .iter()
                .find(|a| a.slug == slug)
                .unwrap()
                .areas()
                .find(|a| a.name == name)
                .unwrap()
                .slug
                .clone();
            let area_page = fixture_page(&format!("/areas/{area}"));
            assert_eq!(
                area_page.count(&format!(".timeline a[href='{uri}']")),
                1,
                "{path:?}: {area}'s timeline"
            );
            let speakers = inspection["quote_speakers"].as_array().cloned().unwrap_or_default();
            let quotes = area_page.text(".quote-list");
            for other in inspections.iter().filter(|i| i["area"]["name"] != name) {
                for speaker in other["quote_speakers"].as_array().into_iter().flatten() {
                    let speaker = speaker.as_str().unwrap();
                    assert!(!quotes.contains(speaker), "{path:?}: {area} shows {speaker}");
                }
            }
            for speaker in speakers {
                assert!(quotes.contains(speaker.as_str().unwrap()), "{path:?}: {area}");
            }
            let search = fixture_page(&format!("/search?area={area}"));
            assert_eq!(search.count(&format!(".result__title a[href='{uri}']")), 1, "{area}");
        }
    }
}
