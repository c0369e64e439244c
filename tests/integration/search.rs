//! Search on the shipped corpus: ranking, synonyms, filters, facets, snippets and hostile
//! queries.

use std::collections::BTreeMap;

use send_archive::index::{SearchError, SearchRequest, Sort};

use crate::support::shipped_archive;

fn request(query: &str) -> SearchRequest {
    SearchRequest { query: query.to_string(), limit: 20, ..Default::default() }
}

fn slugs_for(archive: &send_archive::index::Archive, query: &str) -> Vec<String> {
    archive.search(&request(query)).unwrap().hits.into_iter().map(|h| h.slug).collect()
}

#[test]
fn synonyms_join_acronyms_and_phrases() {
    let (_corpus, archive) = shipped_archive();
    // Dudley's article says "Education and Health Care Plans (EHCP)"; Dorset's says
    // "Education, health and care plans (EHCPs)".
    let ehcp = slugs_for(&archive, "EHCP");
    assert!(ehcp.contains(&"improvements-made-but-further-work-required".to_string()), "{ehcp:?}");
    let spelled = slugs_for(&archive, "education, health and care plan");
    assert!(
        spelled.contains(&"cqc-and-ofsted-praise-send-provision-in-dorset".to_string()),
        "{spelled:?}"
    );
    assert!(
        spelled.contains(&"improvements-made-but-further-work-required".to_string()),
        "{spelled:?}"
    );
    // "autistic spectrum disorder" is in the South Gloucestershire article only.
    assert_eq!(
        slugs_for(&archive, "ASD"),
        vec!["inspectors-criticise-send-support-in-south-gloucestershire"]
    );
}

#[test]
fn snippets_highlight_matches_and_escape_text() {
    let (_corpus, archive) = shipped_archive();
    let results = archive.search(&request("wheelchair")).unwrap();
    assert_eq!(results.total, 1);
    let hit = &results.hits[0];
    assert!(hit.snippet_html.contains("<b>wheelchair</b>"), "{}", hit.snippet_html);
    assert!(!hit.snippet_html.contains("<script"));
}

#[test]
fn stemming_finds_other_word_forms() {
    let (_corpus, archive) = shipped_archive();
    assert!(archive.search(&request("inspector")).unwrap().total >= 4);
}

#[test]
fn filters_and_facets_agree() {
    let (_corpus, archive) = shipped_archive();
    let all = archive.search(&request("")).unwrap();
    assert_eq!(all.total, 5);
    let outcomes = &all.facets["outcome"];
    let sum: u64 = outcomes.iter().map(|(_, n)| n).sum();
    assert_eq!(sum, 5, "every seed has an outcome, curated or extracted: {outcomes:?}");
    let inconsistent = outcomes.iter().find(|(v, _)| v == "inconsistent").map(|(_, n)| *n);
    assert_eq!(inconsistent, Some(2));

    let mut filtered = request("");
    filtered.filters = BTreeMap::from([("outcome".to_string(), "inconsistent".to_string())]);
    let results = archive.search(&filtered).unwrap();
    assert_eq!(results.total, 2);
    // The filtered dimension still offers its other values.
    assert!(results.facets["outcome"].iter().any(|(v, _)| v == "positive"));
    // Other dimensions count within the filter.
    let areas: u64 = results.facets["area"].iter().map(|(_, n)| n).sum();
    assert_eq!(areas, 2);

    filtered.filters.insert("area".into(), "dudley".into());
    assert_eq!(archive.search(&filtered).unwrap().total, 1);
    filtered.filters.insert("year".into(), "2018".into());
    assert_eq!(archive.search(&filtered).unwrap().total, 0);
}

#[test]
fn field_syntax_phrases_and_exclusion_work() {
    let (_corpus, archive) = shipped_archive();
    assert_eq!(archive.search(&request("area:dudley")).unwrap().total, 1);
    assert!(archive.search(&request("theme:waiting_times")).unwrap().total >= 3);
    let phrase = archive.search(&request("\"breath of fresh air\"")).unwrap();
    assert_eq!(phrase.total, 1);
    let without = archive.search(&request("inspectors -Dudley")).unwrap();
    assert!(without.hits.iter().all(|h| h.area.as_ref().is_none_or(|a| a.slug != "dudley")));
}

#[test]
fn newest_first_orders_by_date() {
    let (_corpus, archive) = shipped_archive();
    let mut newest = request("");
    newest.sort = Sort::Newest;
    let years: Vec<Option<i32>> = archive
        .search(&newest)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.published.and_then(|d| d.year))
        .collect();
    let known: Vec<i32> = years.iter().flatten().copied().collect();
    let mut sorted = known.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(known, sorted, "{years:?}");
}

#[test]
fn hostile_queries_get_errors_not_panics() {
    let (_corpus, archive) = shipped_archive();
    for query in
        ["\"unclosed", "AND OR", "(", "title:", "nosuchfield:x", ")))", "***", "-", "\u{0}"]
    {
        match archive.search(&request(query)) {
            Ok(_) | Err(SearchError::Query(_)) => {}
            Err(SearchError::Internal(e)) => panic!("{query:?} gave an internal error: {e}"),
        }
    }
    let long = "a".repeat(10_000);
    assert!(matches!(archive.search(&request(&long)), Err(SearchError::Query(_))));
    match archive.search(&request("\"unclosed")) {
        Err(SearchError::Query(e)) => assert!(e.to_string().contains("quotation mark")),
        other => panic!("expected a query error, got {:?}", other.map(|r| r.total)),
    }
    // An unknown field and a stored-only one get the same plain answer and the list.
    for query in ["nosuchfield:x", "body:autism"] {
        match archive.search(&request(query)) {
            Err(SearchError::Query(e)) => {
                assert!(e.to_string().contains("there is no field called"), "{query}: {e}")
            }
            other => panic!("{query}: expected a query error, got {:?}", other.map(|r| r.total)),
        }
    }
}

#[test]
fn pages_do_not_overlap() {
    let (_corpus, archive) = shipped_archive();
    let mut first = request("");
    first.limit = 2;
    let mut second = first.clone();
    second.offset = 2;
    let a: Vec<String> = archive.search(&first).unwrap().hits.into_iter().map(|h| h.slug).collect();
    let b: Vec<String> =
        archive.search(&second).unwrap().hits.into_iter().map(|h| h.slug).collect();
    assert_eq!(a.len(), 2);
    assert_eq!(b.len(), 2);
    assert!(a.iter().all(|s| !b.contains(s)));
}

#[test]
fn the_headline_is_searched_and_weighs_more_but_a_phrase_stays_within_it_or_the_text() {
    let corpus = crate::support::TempCorpus::empty();
    let article = |file: &str, title: &str, body: &str| {
        std::fs::write(
            corpus.articles().join(file),
            format!("{title}\n\nPublished 3 May 2024\n\n{body}\n"),
        )
        .unwrap();
    };
    let body = "Services for children with special educational needs in Hartlepool were inspected \
                by Ofsted and the Care Quality Commission. Families said that therapy was hard \
                to reach and that waiting lists were long.";
    // "therapy" twice in each, of the same length: once in the headline and once in the text
    // of the first, twice in the text of the second. (Same text would be a duplicate.)
    let a = format!("{body} The council said staff were sorry.");
    let b = format!("{body} The council said therapy was ready.");
    article("a.txt", "Kestrel report: Hartlepool families wait for therapy", &a);
    article("b.txt", "Heron report: Hartlepool families wait for answers", &b);
    let report = corpus.ingest();
    assert!(report.duplicates.is_empty(), "{:?}", report.duplicates);
    let archive = corpus.archive();
    // A word only in the headline finds the article.
    assert_eq!(slugs_for(&archive, "kestrel").len(), 1);
    // The one with it in its headline comes first, by more than a tie.
    let ranked = archive.search(&request("therapy")).unwrap();
    assert_eq!(ranked.total, 2);
    assert!(ranked.hits[0].title.starts_with("Kestrel"), "{:?}", ranked.hits);
    assert!(ranked.hits[0].score > ranked.hits[1].score);
    // The headline's last word and the text's first are not a phrase.
    assert_eq!(archive.search(&request("\"therapy services\"")).unwrap().total, 0);
    assert_eq!(archive.search(&request("\"services for children\"")).unwrap().total, 2);
    // `title:` still searches the headline alone.
    assert_eq!(archive.search(&request("title:therapy")).unwrap().total, 1);
}

// ---------------------------------------------------------------- round-ups

#[test]
fn a_roundup_is_found_and_counted_under_each_of_its_areas() {
    use crate::support::{ROUNDUP_SLUG, roundup_archive};
    let archive = roundup_archive();
    let filtered = |pairs: &[(&str, &str)]| -> Vec<String> {
        let request = SearchRequest {
            filters: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            limit: 20,
            ..Default::default()
        };
        archive.search(&request).unwrap().hits.into_iter().map(|h| h.slug).collect()
    };
    for (field, value) in [
        ("area", "norfolk"),
        ("area", "suffolk"),
        ("area", "kent"),
        ("region", "east-of-england"),
        ("region", "south-east"),
        ("outcome", "systemic_failings"),
        ("year", "2024"),
        ("theme", "ehcp_timeliness"),
    ] {
        assert!(filtered(&[(field, value)]).contains(&ROUNDUP_SLUG.to_string()), "{field}={value}");
    }
    // A field query finds it by any area too.
    let by_query = slugs_for(&archive, "area:kent");
    assert_eq!(by_query, [ROUNDUP_SLUG]);

    let all = archive.search(&SearchRequest { limit: 20, ..Default::default() }).unwrap();
    assert_eq!(all.total, 6);
    let count = |field: &str, value: &str| {
        all.facets[field].iter().find(|(v, _)| v == value).map_or(0, |(_, n)| *n)
    };
    for area in ["norfolk", "suffolk", "kent", "dudley"] {
        assert_eq!(count("area", area), 1, "{area}");
    }
    let east =
        shipped(&archive, |r| r.area.as_ref().is_some_and(|a| a.region == "East of England"));
    assert_eq!(count("region", "east-of-england"), 1 + east, "Norfolk and Suffolk: one article");
    let positive = shipped(&archive, |r| r.outcome.is_some_and(|o| o.code() == "positive"));
    assert_eq!(count("outcome", "positive"), 1 + positive);
    let total_areas: u64 = all.facets["area"].iter().map(|(_, n)| n).sum();
    assert_eq!(total_areas, 5 + 3, "each shipped article once, the round-up three times");

    let hit = all.hits.iter().find(|h| h.slug == ROUNDUP_SLUG).unwrap();
    assert!(hit.area.is_none() && hit.outcome.is_none());
    let names: Vec<&str> = hit.areas().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Norfolk", "Suffolk", "Kent"]);
}

/// How many articles other than round-ups report what `test` accepts.
fn shipped(
    archive: &send_archive::index::Archive,
    test: impl Fn(&send_archive::index::ReportSummary) -> bool,
) -> u64 {
    archive.catalogue().articles.iter().filter(|a| !a.roundup && test(a.report())).count() as u64
}
