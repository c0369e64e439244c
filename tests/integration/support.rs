//! Shared helpers: fixture paths, temporary corpora and indexes.

use std::path::{Path, PathBuf};

use send_archive::index::{self, Archive, IngestOptions, IngestReport, NoProgress};

/// The folder of test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The seed articles, as text only (no sidecars): what extraction finds in the text.
pub fn seeds_dir() -> PathBuf {
    fixtures().join("seeds")
}

/// The shipped corpus, with its sidecars.
pub fn shipped_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A temporary folder holding a copy of `from`'s article files (and sidecars).
pub struct TempCorpus {
    pub dir: tempfile::TempDir,
}

impl TempCorpus {
    /// Copies every file of `from` (not recursively).
    pub fn copy_of(from: &Path) -> TempCorpus {
        let corpus = TempCorpus::empty();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), corpus.articles().join(entry.file_name())).unwrap();
            }
        }
        corpus
    }

    /// An empty corpus, for a test to write its articles into.
    pub fn empty() -> TempCorpus {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("data/articles")).unwrap();
        TempCorpus { dir }
    }

    /// The corpus folder (`data`).
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The articles folder.
    pub fn articles(&self) -> PathBuf {
        self.data().join("articles")
    }

    /// The index folder.
    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Runs an ingest.
    pub fn ingest(&self) -> IngestReport {
        index::ingest(&IngestOptions { data: self.data(), index: self.index() }, &NoProgress)
            .expect("ingest")
    }

    /// Opens the index.
    pub fn archive(&self) -> Archive {
        Archive::open(&self.index()).expect("open index")
    }
}

/// The shipped corpus, ingested into a temporary index.
pub fn shipped_archive() -> (TempCorpus, Archive) {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    corpus.ingest();
    let archive = corpus.archive();
    (corpus, archive)
}
