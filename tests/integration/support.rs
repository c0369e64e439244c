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

/// The shipped register of inspections.
pub fn shipped_register() -> String {
    std::fs::read_to_string(shipped_corpus().join(send_archive::register::FILE))
        .expect("the shipped register")
}

impl TempCorpus {
    /// Writes `text` as the corpus's register.
    pub fn write_register(&self, text: &str) {
        let path = self.data().join(send_archive::register::FILE);
        std::fs::create_dir_all(path.parent().expect("a folder")).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The shipped corpus and register, ingested into a temporary index.
pub fn shipped_archive() -> (TempCorpus, Archive) {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    corpus.write_register(&shipped_register());
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

/// The slug of [`roundup_record`].
pub const ROUNDUP_SLUG: &str = "three-councils-told-to-improve-send-services";

/// A round-up as extraction records one: an article reporting three areas' inspections
/// (Norfolk positive, Suffolk inconsistent, Kent systemic failings), each with its own
/// dates, findings and quotes, quotes numbered through the article. Written as the record's
/// JSON (`extract --json`), so the shape is the contract's.
pub fn roundup_record() -> send_archive::extract::Record {
    let paragraphs = [
        "Three councils have been told to improve their services for children with special educational needs and disabilities.",
        "Inspectors found Norfolk's leaders had a clear plan and the partnership works well together.",
        "\"We are proud of what families told inspectors,\" said Ann Norris, Norfolk's director of children's services.",
        "In Suffolk, families waited too long for autism assessments.",
        "\"We accept the findings in full,\" said Bob Suttle, Suffolk's cabinet member for education.",
        "Kent's education, health and care plans were too often late.",
        "\"We have a plan to put this right,\" said Cara Kemp, a Kent County Council spokesperson.",
    ];
    let finding = |id: &str, polarity: &str, p: usize| serde_json::json!({ "id": id, "polarity": polarity, "evidence": paragraphs[p], "paragraph": p });
    let quote = |n: usize, speaker: &str, p: usize| {
        let text = paragraphs[p].split('"').nth(1).unwrap_or_default().trim_end_matches(',');
        serde_json::json!({ "n": n, "speaker": speaker, "role": null, "organisation": null,
            "text": text, "kind": "person", "paragraph": p })
    };
    let part = |code: &str,
                name: &str,
                region: &str,
                slug: &str,
                visit: &str,
                outcome: &str,
                theme: serde_json::Value,
                quote: serde_json::Value| {
        serde_json::json!({
            "area": { "code": code, "name": name, "region": region, "slug": slug, "evidence": null },
            "framework": "2023", "kind": "full", "visit_start": visit, "visit_end": visit,
            "visit_text": null, "report_published": "2025-03", "outcome": outcome,
            "outcome_evidence": null, "outcome_paragraph": null,
            "themes": [theme], "quotes": [quote],
        })
    };
    let record = serde_json::json!({
        "file": "roundup-three-councils.txt",
        "slug": ROUNDUP_SLUG,
        "title": "Three councils told to improve SEND services",
        "source": { "name": "Children & Young People Now", "url": null },
        "author": null,
        "published": "2025-03-20",
        "area": null,
        "themes": [
            finding("leadership", "strength", 1),
            finding("waiting_times", "improvement", 3),
            finding("ehcp_timeliness", "improvement", 5),
        ],
        "quotes": [quote(1, "Ann Norris", 2), quote(2, "Bob Suttle", 4), quote(3, "Cara Kemp", 6)],
        "inspections": [
            part("E10000020", "Norfolk", "East of England", "norfolk", "2025-02-03", "positive",
                finding("leadership", "strength", 1), quote(1, "Ann Norris", 2)),
            part("E10000029", "Suffolk", "East of England", "suffolk", "2025-01-13", "inconsistent",
                finding("waiting_times", "improvement", 3), quote(2, "Bob Suttle", 4)),
            part("E10000016", "Kent", "South East", "kent", "2024-12-02", "systemic_failings",
                finding("ehcp_timeliness", "improvement", 5), quote(3, "Cara Kemp", 6)),
        ],
        "paragraphs": paragraphs,
        "warnings": [],
        "curated": [],
    });
    serde_json::from_value(record).expect("a round-up record")
}

/// An archive in memory of the shipped corpus (extracted with its sidecars, as ingest
/// would) and [`roundup_record`]: round-ups through the index, catalogue and pages,
/// whatever extraction makes of real round-up articles.
pub fn roundup_archive() -> Archive {
    use send_archive::corpus::sidecar::Sidecar;
    use send_archive::extract::{Gazetteer, extract};
    use send_archive::index::schema::{Fields, build_schema};
    let index = tantivy::Index::create_in_ram(build_schema());
    index::analyser::register(&index);
    let fields = Fields::from_schema(&index.schema()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let mut records = vec![roundup_record()];
    for entry in std::fs::read_dir(shipped_corpus().join("articles")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let article = send_archive::corpus::parse(&name, &std::fs::read(&path).unwrap())
                .expect("a shipped article parses");
            let sidecar = std::fs::read_to_string(Sidecar::path_for(&path))
                .ok()
                .map(|text| Sidecar::parse(&text).expect("a shipped sidecar parses"));
            records.push(extract(&article, sidecar.as_ref(), Gazetteer::builtin()));
        }
    }
    for record in &mut records {
        writer.add_document(index::writer::document(&fields, record)).unwrap();
    }
    writer.commit().unwrap();
    Archive::from_index(index).expect("an archive in memory")
}

/// The round-up fixture articles (names starting `roundup`), each with its expectations
/// (`NAME.expected.json`).
pub fn roundup_fixtures() -> Vec<(PathBuf, serde_json::Value)> {
    let dir = fixtures().join("articles");
    let mut found: Vec<(PathBuf, serde_json::Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with("roundup") && !name.ends_with(".expected.json")
        })
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let expected = std::fs::read_to_string(dir.join(format!("{stem}.expected.json")))
                .unwrap_or_else(|e| panic!("{stem}: {e}"));
            (path, serde_json::from_str(&expected).unwrap())
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!found.is_empty(), "the round-up fixtures are missing");
    found
}

/// The shipped corpus and the round-up fixture articles, ingested as any corpus is: the
/// whole path from article file to pages.
pub fn roundup_corpus() -> (TempCorpus, Archive) {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    for (path, _) in roundup_fixtures() {
        std::fs::copy(&path, corpus.articles().join(path.file_name().unwrap())).unwrap();
    }
    let report = corpus.ingest();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let archive = corpus.archive();
    (corpus, archive)
}

/// The slug of the article with this headline.
pub fn slug_of(archive: &Archive, title: &str) -> String {
    let catalogue = archive.catalogue();
    let article = catalogue.articles.iter().find(|a| a.title == title);
    article.unwrap_or_else(|| panic!("no article {title:?}")).slug.clone()
}

/// A round-up fixture's expected areas, by ONS code, in article order.
pub fn expected_area_codes(expected: &serde_json::Value) -> Vec<String> {
    expected["inspections"]
        .as_array()
        .expect("a round-up's expected inspections")
        .iter()
        .map(|i| i["area"]["code"].as_str().unwrap().to_string())
        .collect()
}
