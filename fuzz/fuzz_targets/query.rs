//! Fuzz target: any query and filter values must get results or a query error from search,
//! never a panic or an internal error.
//!
//! The input, read as UTF-8 (invalid bytes replaced), is split at `\x01`: the first part is
//! the query, the next ones are values for the filters in the order of `FACETS`. The first
//! byte's low bit chooses the sort. The index is built once, from the fixture articles, in
//! a temporary folder.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use send_archive::index::search::FACETS;
use send_archive::index::{
    self, Archive, IngestOptions, NoProgress, SearchError, SearchRequest, Sort, query,
};

/// The fixture corpus's index, and the folder that holds it (removed at exit).
static ARCHIVE: LazyLock<(tempfile::TempDir, Archive)> = LazyLock::new(|| {
    let articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/articles");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let options = IngestOptions { data: articles, index: dir.path().join("index") };
    index::ingest(&options, &NoProgress).expect("the fixtures ingest");
    let archive = Archive::open(&options.index).expect("the index opens");
    (dir, archive)
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\x01');
    let query = parts.next().unwrap_or_default().to_string();
    let filters =
        FACETS.iter().zip(parts).map(|(name, value)| (name.to_string(), value.to_string()));
    query::expand_synonyms(&query);
    let request = SearchRequest {
        query,
        filters: filters.collect(),
        sort: if data.first().is_some_and(|b| b & 1 == 1) { Sort::Newest } else { Sort::Relevance },
        offset: data.len() % 7,
        limit: 10,
    };
    match ARCHIVE.1.search(&request) {
        Ok(_) | Err(SearchError::Query(_)) => {}
        Err(SearchError::Internal(e)) => panic!("internal error for {request:?}: {e:#}"),
    }
});
