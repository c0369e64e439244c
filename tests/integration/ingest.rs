//! Ingest end to end: incremental updates, no-op re-ingests, removed files, skipped files,
//! duplicates, permalink stability and crash safety.

use std::collections::BTreeMap;
use std::fs;

use send_archive::index::schema::SCHEMA_VERSION;
use send_archive::index::store::{self, IndexDir};
use send_archive::index::{Archive, SearchRequest};

use crate::support::{TempCorpus, shipped_corpus};

fn slugs(corpus: &TempCorpus) -> BTreeMap<String, String> {
    let archive = corpus.archive();
    archive
        .records(&BTreeMap::new(), 1000)
        .unwrap()
        .into_iter()
        .map(|r| (r.file.clone(), r.slug))
        .collect()
}

#[test]
fn ingests_the_shipped_corpus_with_curated_slugs() {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    let report = corpus.ingest();
    assert_eq!(report.articles, 5);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(report.areas, 5);
    let slugs = slugs(&corpus);
    assert_eq!(slugs["000_0f0c24c848dd6290.txt"], "improvements-made-but-further-work-required");
    assert_eq!(
        slugs["003_cd67132bb1b11a94.txt"],
        "inspectors-criticise-send-support-in-south-gloucestershire"
    );
}

#[test]
fn a_generation_is_checked_by_reading_it_back_as_the_server_would() {
    use send_archive::index::search::check_generation;
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    let report = corpus.ingest();
    let generation = corpus.index().join(&report.generation);
    check_generation(&generation, &report.generation).expect("a good generation reads back");
    // A generation whose files are damaged is refused, with the reason.
    let meta = generation.join("meta.json");
    std::fs::write(&meta, "{ not json").unwrap();
    let err = check_generation(&generation, &report.generation).unwrap_err();
    assert!(format!("{err:#}").contains(&report.generation), "{err:#}");
}

#[test]
fn an_unchanged_corpus_rewrites_nothing() {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    let first = corpus.ingest();
    assert!(first.rebuilt);
    let second = corpus.ingest();
    assert!(!second.rebuilt);
    assert_eq!(second.generation, first.generation);
    assert_eq!(second.articles, 5);
    // Touching a file changes its time, not its bytes: still no new generation.
    let file = corpus.articles().join("000_0f0c24c848dd6290.txt");
    let bytes = fs::read(&file).unwrap();
    fs::write(&file, &bytes).unwrap();
    let third = corpus.ingest();
    assert_eq!(third.generation, first.generation);
}

#[test]
fn an_index_of_another_format_is_refused_then_rebuilt() {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    let first = corpus.ingest();
    // Make the generation in service look as if an older version built it.
    let store = IndexDir::new(corpus.index());
    let manifest = store.generation_path(&first.generation).join(store::MANIFEST_FILE);
    let text = fs::read_to_string(&manifest).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["schema_version"] = serde_json::json!(SCHEMA_VERSION - 1);
    fs::write(&manifest, json.to_string()).unwrap();
    let refused = Archive::open(&corpus.index()).err().expect("an old format is refused");
    assert!(format!("{refused:#}").contains("another version"), "{refused:#}");
    // Ingest rebuilds it, though no article changed, and the result opens.
    let second = corpus.ingest();
    assert!(second.rebuilt);
    assert_ne!(second.generation, first.generation);
    assert_eq!(corpus.archive().search(&SearchRequest::default()).unwrap().total, 5);
}

#[test]
fn slugs_survive_reingests_and_new_articles() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    corpus.ingest();
    let before = slugs(&corpus);
    // Re-ingest from scratch: the same slugs.
    fs::remove_dir_all(corpus.index()).unwrap();
    corpus.ingest();
    assert_eq!(slugs(&corpus), before);
    // Add another article, with a headline that another has too: existing slugs stay.
    let first = corpus.articles().join("000_0f0c24c848dd6290.txt");
    let text = fs::read_to_string(&first).unwrap().replace("Dudley", "Sandwell");
    fs::write(corpus.articles().join("zzz_new.txt"), text).unwrap();
    let report = corpus.ingest();
    assert_eq!(report.indexed_now, 1);
    let after = slugs(&corpus);
    for (file, slug) in &before {
        assert_eq!(&after[file], slug, "{file} changed its slug");
    }
    assert_ne!(after["zzz_new.txt"], after["000_0f0c24c848dd6290.txt"]);
}

#[test]
fn changed_and_removed_files_update_the_index() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    corpus.ingest();
    let archive = corpus.archive();
    let count = |q: &str| {
        corpus
            .archive()
            .search(&SearchRequest { query: q.into(), limit: 10, ..Default::default() })
            .unwrap()
            .total
    };
    assert_eq!(count("Bucktin"), 1);
    drop(archive);
    fs::remove_file(corpus.articles().join("000_0f0c24c848dd6290.txt")).unwrap();
    let path = corpus.articles().join("003_cd67132bb1b11a94.txt");
    let text = fs::read_to_string(&path).unwrap().replace(
        "blog comments powered by Disqus",
        "A zebracorn paragraph added later.\n\nblog comments powered by Disqus",
    );
    fs::write(&path, text).unwrap();
    let report = corpus.ingest();
    assert_eq!(report.articles, 4);
    assert_eq!(report.indexed_now, 1);
    assert_eq!(report.removed, 2);
    assert_eq!(count("Bucktin"), 0);
    assert_eq!(count("zebracorn"), 1);
    assert_eq!(corpus.archive().len(), 4);
}

#[test]
fn bad_files_are_reported_and_skipped_and_the_rest_indexed() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    fs::write(corpus.articles().join("empty.txt"), b"").unwrap();
    fs::write(corpus.articles().join("binary.txt"), b"\x00\x01\x02PK\x03\x04").unwrap();
    fs::write(corpus.articles().join("huge.txt"), vec![b'a'; 3 * 1024 * 1024]).unwrap();
    let report = corpus.ingest();
    assert_eq!(report.articles, 5);
    let skipped: BTreeMap<_, _> = report.skipped.iter().cloned().collect();
    assert!(skipped["empty.txt"].contains("empty"), "{skipped:?}");
    assert!(skipped["binary.txt"].contains("binary"), "{skipped:?}");
    assert!(skipped["huge.txt"].contains("limit"), "{skipped:?}");
    // A no-op re-ingest still reports them.
    let again = corpus.ingest();
    assert!(!again.rebuilt);
    assert_eq!(again.skipped.len(), 3);
}

#[test]
fn the_same_article_under_two_names_is_indexed_once() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    fs::copy(
        corpus.articles().join("002_5269748774c00501.txt"),
        corpus.articles().join("002_copy.txt"),
    )
    .unwrap();
    let report = corpus.ingest();
    assert_eq!(report.articles, 5);
    assert_eq!(
        report.duplicates,
        vec![("002_copy.txt".to_string(), "002_5269748774c00501.txt".to_string())]
    );
    // Whichever thread read the copy first, the index holds the article once.
    assert_eq!(corpus.archive().len(), 5);
    let lesley =
        SearchRequest { query: "\"Lesley Mellor\"".into(), limit: 5, ..Default::default() };
    assert_eq!(corpus.archive().search(&lesley).unwrap().total, 1);
}

#[test]
fn a_failed_ingest_leaves_the_previous_index_serving() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    let first = corpus.ingest();
    // An ingest that dies half-way leaves a half-built generation behind: simulate one.
    let dir = IndexDir::new(corpus.index());
    let (abandoned, path) = dir.new_generation().unwrap();
    fs::write(path.join("meta.json"), b"{ half written").unwrap();
    assert_eq!(dir.current_name().unwrap().as_deref(), Some(first.generation.as_str()));
    assert_eq!(corpus.archive().len(), 5);
    // An ingest whose corpus folder has gone fails, and changes nothing.
    let gone = send_archive::index::ingest(
        &send_archive::index::IngestOptions {
            data: corpus.dir.path().join("no-such-folder"),
            index: corpus.index(),
        },
        &send_archive::index::NoProgress,
    );
    assert!(gone.is_err());
    assert_eq!(corpus.archive().len(), 5);
    // The next ingest clears the remains and carries on.
    fs::write(corpus.articles().join("new.txt"), "A headline\n\nDudley inspectors found things.\n")
        .unwrap();
    let next = corpus.ingest();
    let meta = fs::read_to_string(dir.generation_path(&next.generation).join("meta.json")).unwrap();
    assert!(!meta.contains("half written"), "{abandoned} was cleared before reuse");
    assert_eq!(corpus.archive().len(), 6);
}

#[test]
fn a_running_reader_sees_the_new_generation_after_refresh() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    corpus.ingest();
    let archive = corpus.archive();
    let before = archive.generation();
    fs::write(corpus.articles().join("new.txt"), "A headline\n\nA quagga story about Dudley.\n")
        .unwrap();
    corpus.ingest();
    assert_eq!(archive.len(), 5, "the old searcher keeps its view until refreshed");
    assert!(archive.refresh().unwrap());
    assert_ne!(archive.generation(), before);
    assert_eq!(archive.len(), 6);
    assert!(!archive.refresh().unwrap());
}

#[test]
fn removing_the_original_of_a_duplicate_keeps_the_article() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    fs::copy(
        corpus.articles().join("002_5269748774c00501.txt"),
        corpus.articles().join("002_copy.txt"),
    )
    .unwrap();
    corpus.ingest();
    fs::remove_file(corpus.articles().join("002_5269748774c00501.txt")).unwrap();
    let report = corpus.ingest();
    assert_eq!(report.articles, 5);
    assert!(report.duplicates.is_empty());
    let hits = corpus
        .archive()
        .search(&SearchRequest {
            query: "\"Lesley Mellor\"".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.total, 1);
}

#[test]
fn a_new_duplicate_that_sorts_first_takes_the_article_over_only_in_a_fresh_build() {
    let corpus = TempCorpus::copy_of(&crate::support::seeds_dir());
    corpus.ingest();
    // Added later under a name that sorts first: the indexed one keeps its permalink.
    fs::copy(
        corpus.articles().join("002_5269748774c00501.txt"),
        corpus.articles().join("000_aaa_copy.txt"),
    )
    .unwrap();
    let report = corpus.ingest();
    assert_eq!(
        report.duplicates,
        vec![("000_aaa_copy.txt".to_string(), "002_5269748774c00501.txt".to_string())]
    );
}
