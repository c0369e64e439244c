//! The reliability suite (issue 16): what happens when things go wrong around the archive
//! rather than in it, starting with a broken generation in service.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use send_archive::index::store::IndexDir;
use send_archive::index::{Archive, SearchRequest};

use crate::support::{self, TempCorpus, seeds_dir};

fn send_archive() -> Command {
    Command::new(env!("CARGO_BIN_EXE_send-archive"))
}

/// An article none of the seeds is a copy of, naming `word` so a search can find it.
fn new_article(word: &str) -> String {
    format!(
        "Inspectors praise {word} services in Wigan\n\nInspectors visited Wigan in March 2023 \
         and found positive outcomes for children with SEND. The {word} team was praised.\n"
    )
}

// --- A broken generation in service -------------------------------------------------------

/// Ways the generation in service can be broken on disk.
#[derive(Debug, Clone, Copy)]
enum Damage {
    /// One of a segment's files deleted.
    DeleteSegmentFile,
    /// tantivy's `meta.json` cut short.
    TruncateMeta,
    /// Every file of the generation gone, the folder left.
    EmptyFolder,
}

const DAMAGES: [Damage; 3] = [Damage::DeleteSegmentFile, Damage::TruncateMeta, Damage::EmptyFolder];

/// Breaks a generation. Files are replaced or removed, never written through: the
/// generations share unchanged segment files as hard links.
fn damage(generation: &Path, how: Damage) {
    let files: Vec<_> = fs::read_dir(generation)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    match how {
        Damage::DeleteSegmentFile => {
            let segment = files
                .iter()
                .find(|p| p.extension().is_some_and(|e| e == "fast"))
                .expect("a segment's fast-field file");
            fs::remove_file(segment).unwrap();
        }
        Damage::TruncateMeta => {
            let meta = generation.join("meta.json");
            let text = fs::read(&meta).unwrap();
            fs::remove_file(&meta).unwrap();
            fs::write(&meta, &text[..text.len() / 2]).unwrap();
        }
        Damage::EmptyFolder => {
            for file in files {
                fs::remove_file(file).unwrap();
            }
        }
    }
}

/// The seeds (5 articles) ingested, then one more article: two good generations, the second
/// (6 articles) in service. Returns both generations' names.
fn two_generations() -> (TempCorpus, String, String) {
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let first = corpus.ingest();
    fs::write(corpus.articles().join("added.txt"), new_article("zephyrine")).unwrap();
    let second = corpus.ingest();
    assert_eq!((first.articles, second.articles), (5, 6));
    assert_ne!(first.generation, second.generation);
    (corpus, first.generation, second.generation)
}

#[test]
fn a_broken_current_generation_falls_back_to_the_previous_one_and_says_so() {
    for how in DAMAGES {
        let (corpus, first, second) = two_generations();
        damage(&IndexDir::new(corpus.index()).generation_path(&second), how);
        let archive = Archive::open(&corpus.index())
            .unwrap_or_else(|e| panic!("{how:?}: no fallback: {e:#}"));
        assert_eq!(archive.generation(), first, "{how:?}");
        assert_eq!(archive.len(), 5, "{how:?}");
        assert_eq!(archive.search(&SearchRequest::default()).unwrap().total, 5, "{how:?}");
        let fallback = archive.fallback().expect("the fallback is told");
        assert_eq!((fallback.broken.as_str(), fallback.serving.as_str()), (&*second, &*first));
        let message = fallback.to_string();
        assert!(message.contains(&second) && message.contains(&first), "{how:?}: {message}");
        assert!(!fallback.error.is_empty(), "{how:?}");
        // The broken generation is evidence: left where it was, and CURRENT with it.
        let store = IndexDir::new(corpus.index());
        assert!(store.generation_path(&second).is_dir(), "{how:?}");
        assert_eq!(store.current_pointer().unwrap().as_deref(), Some(second.as_str()));
    }
}

#[test]
fn with_no_readable_generation_the_error_says_to_run_ingest() {
    let (corpus, first, second) = two_generations();
    let store = IndexDir::new(corpus.index());
    damage(&store.generation_path(&second), Damage::TruncateMeta);
    damage(&store.generation_path(&first), Damage::DeleteSegmentFile);
    let error = format!("{:#}", Archive::open(&corpus.index()).err().expect("nothing opens"));
    assert!(error.contains(&first) && error.contains(&second), "{error}");
    // tantivy quotes a corrupt meta.json whole; the message stays short.
    assert!(error.len() < 1000, "{error}");
    assert!(error.contains("run `send-archive ingest`"), "{error}");
    // The command line says the same, and exits 1.
    let serve = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(corpus.dir.path().join("no-corpus-here"))
        .arg("--index")
        .arg(corpus.index())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(serve.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no index generation") && stderr.contains("ingest"), "{stderr}");
}

#[test]
fn ingest_rebuilds_a_broken_current_generation_though_no_article_changed() {
    for how in DAMAGES {
        let (corpus, _, second) = two_generations();
        damage(&IndexDir::new(corpus.index()).generation_path(&second), how);
        let report = corpus.ingest();
        assert!(report.rebuilt, "{how:?}: a broken generation counted as unchanged");
        assert_ne!(report.generation, second);
        let archive = corpus.archive();
        assert_eq!((archive.len(), archive.fallback()), (6, None), "{how:?}");
    }
}

#[test]
fn serve_and_search_on_a_broken_generation_warn_and_answer_from_the_previous_one() {
    let (corpus, first, second) = two_generations();
    damage(&IndexDir::new(corpus.index()).generation_path(&second), Damage::DeleteSegmentFile);
    let no_corpus = corpus.dir.path().join("no-corpus-here");

    let search = send_archive()
        .args(["search", "--no-ingest", "--json", "--index"])
        .arg(corpus.index())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&search.stderr);
    assert!(search.status.success(), "{stderr}");
    assert!(stderr.contains(&second) && stderr.contains(&first), "{stderr}");
    let results: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert_eq!(results["total"], 5);

    // Without a corpus folder `serve` cannot rebuild, so it serves the previous generation,
    // warns, and /healthz says so.
    let mut server = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(&no_corpus)
        .arg("--index")
        .arg(corpus.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let address = support::wait_for_listening_address(&mut server);
    let health = support::http_get(&address, "/healthz");
    let page = support::http_get(&address, "/search?q=inspection");
    let _ = server.kill();
    let output = server.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&second) && stderr.contains(&first), "{stderr}");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let body: serde_json::Value =
        serde_json::from_str(health.split("\r\n\r\n").nth(1).unwrap_or_default()).unwrap();
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["generation"], first.as_str());
    assert_eq!(body["fallback"]["broken"], second.as_str());
    assert_eq!(body["articles"], 5);
    assert!(page.starts_with("HTTP/1.1 200"), "{}", &page[..page.len().min(300)]);

    // With the corpus, `serve` rebuilds first and serves all six, healthy.
    let mut server = send_archive()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(corpus.data())
        .arg("--index")
        .arg(corpus.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = support::wait_for_listening_address(&mut server);
    let health = support::http_get(&address, "/healthz");
    let _ = server.kill();
    let _ = server.wait();
    assert!(health.contains("\"status\":\"ok\"") && health.contains("\"articles\":6"), "{health}");
}

#[test]
fn a_running_server_keeps_its_generation_when_the_next_cannot_be_read() {
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let first = corpus.ingest().generation;
    let archive = corpus.archive();
    fs::write(corpus.articles().join("added.txt"), new_article("zephyrine")).unwrap();
    let second = corpus.ingest().generation;
    damage(&IndexDir::new(corpus.index()).generation_path(&second), Damage::TruncateMeta);
    // Told once, then quiet: the server polls every second.
    let error = format!("{:#}", archive.refresh().expect_err("the broken generation is told"));
    assert!(error.contains(&second) && error.contains(&first), "{error}");
    assert!(!archive.refresh().unwrap());
    assert_eq!((archive.generation(), archive.len()), (first.clone(), 5));
    assert_eq!(archive.fallback().map(|f| f.broken), Some(second));
    // The next ingest builds a fresh generation, and the server takes it.
    let third = corpus.ingest();
    assert!(third.rebuilt);
    assert!(archive.refresh().unwrap());
    assert_eq!(
        (archive.generation(), archive.len(), archive.fallback()),
        (third.generation, 6, None)
    );
}
