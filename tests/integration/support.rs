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

/// Reads a spawned `serve`'s standard output until it prints its address
/// ("... is at http://127.0.0.1:PORT/ ..."), and returns `127.0.0.1:PORT`.
pub fn wait_for_listening_address(server: &mut std::process::Child) -> String {
    use std::io::BufRead;
    let stdout = server.stdout.take().expect("serve's stdout is piped");
    let mut lines = std::io::BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("reading serve's output");
        if let Some(rest) = line.split("http://").nth(1) {
            let address = rest.split('/').next().unwrap_or_default().to_string();
            // Keep draining the pipe so the server never blocks on a full one.
            std::thread::spawn(move || for _ in lines {});
            return address;
        }
    }
    panic!("serve exited before printing its address");
}

/// A plain HTTP/1.1 GET over a new connection; the whole response, headers and body.
pub fn http_get(address: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connecting to serve");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("reading the response");
    String::from_utf8_lossy(&response).into_owned()
}
