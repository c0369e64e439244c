//! The command line, run as a user would run it.

use std::process::Command;

use crate::support::{self, TempCorpus, seeds_dir, shipped_corpus};

fn send_archive() -> Command {
    Command::new(env!("CARGO_BIN_EXE_send-archive"))
}

/// Runs a command on a test corpus: `send-archive ARGS --data DATA --index INDEX`.
fn on_corpus(args: &[&str], corpus: &TempCorpus) -> std::process::Output {
    send_archive()
        .args(args)
        .arg("--data")
        .arg(corpus.data())
        .arg("--index")
        .arg(corpus.index())
        .output()
        .unwrap()
}

#[test]
fn extract_json_prints_the_documented_fields() {
    let file = shipped_corpus().join("articles/000_0f0c24c848dd6290.txt");
    let output = send_archive().arg("extract").arg(&file).arg("--json").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let record = &records[0];
    for key in [
        "file",
        "slug",
        "title",
        "source",
        "published",
        "area",
        "inspection",
        "themes",
        "quotes",
        "paragraphs",
        "warnings",
    ] {
        assert!(record.get(key).is_some(), "missing {key}");
    }
    for key in [
        "framework",
        "kind",
        "visit_start",
        "visit_end",
        "visit_text",
        "outcome",
        "outcome_evidence",
    ] {
        assert!(record["inspection"].get(key).is_some(), "missing inspection.{key}");
    }
    assert_eq!(record["source"]["name"], "Black Country Radio");
    assert_eq!(record["area"]["code"], "E08000027");
    // The sidecar beside the file is applied, and its facts are marked curated.
    assert_eq!(record["inspection"]["visit_start"], "2025-01-20");
    assert!(
        record["curated"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "inspection.visit_start")
    );
}

#[test]
fn extract_reports_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let output = send_archive().arg("extract").arg(&empty).arg("--json").output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("empty"));
}

#[test]
fn ingest_exit_status_says_files_were_skipped() {
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let run = || on_corpus(&["ingest", "--quiet"], &corpus);
    let ok = run();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("5 articles from 5 local areas"));
    std::fs::write(corpus.articles().join("broken.txt"), b"\x00\x00").unwrap();
    let skipped = run();
    assert_eq!(skipped.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&skipped.stderr).contains("skipped: broken.txt"));
}

#[test]
fn search_prints_ranked_hits_and_explains_bad_queries() {
    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    corpus.ingest();
    let output = send_archive()
        .args(["search", "waiting times", "--json", "--no-ingest", "--index"])
        .arg(corpus.index())
        .output()
        .unwrap();
    assert!(output.status.success());
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(results["total"].as_u64().unwrap() >= 2);
    let bad = on_corpus(&["search", "\"unclosed"], &corpus);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("quotation mark"));
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["ingest", "--help"],
        vec!["extract", "--help"],
        vec!["search", "--help"],
    ] {
        let output = send_archive().args(&args).output().unwrap();
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage"));
    }
}

/// Issue 15: one file that makes the extractor panic is reported and skipped; the rest are
/// indexed, ingest exits 2, and `serve` still comes up on the rest. The panic is injected
/// (debug builds only) because no real input should cause one.
#[cfg(unix)]
#[test]
fn links_out_of_the_data_folder_are_reported_skipped_and_never_published() {
    let outside = tempfile::tempdir().unwrap();
    let secret = "Inspectors visited Wigan in March 2023. zanzibarsecretword root:x:0:0";
    std::fs::write(outside.path().join("passwd"), secret).unwrap();
    std::fs::create_dir(outside.path().join("tree")).unwrap();
    std::fs::write(outside.path().join("tree/other.txt"), secret).unwrap();
    let corpus = TempCorpus::copy_of(&seeds_dir());
    std::os::unix::fs::symlink(outside.path().join("passwd"), corpus.articles().join("passwd.txt"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path().join("tree"), corpus.articles().join("tree"))
        .unwrap();
    let ingest = on_corpus(&["ingest", "--quiet"], &corpus);
    let stderr = String::from_utf8_lossy(&ingest.stderr);
    assert_eq!(ingest.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("passwd.txt") && stderr.contains("outside the data folder"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&ingest.stdout).starts_with("5 articles"));
    let search = on_corpus(&["search", "zanzibarsecretword"], &corpus);
    let printed = String::from_utf8_lossy(&search.stdout);
    assert!(!printed.contains("passwd") && !printed.contains("other.txt"), "{printed}");
    assert!(!printed.contains("root:x"), "{printed}");
}

#[cfg(unix)]
#[test]
fn extract_on_a_pipe_reports_it_instead_of_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    if !std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        return; // No mkfifo here: nothing to test.
    }
    let mut child = send_archive()
        .arg("extract")
        .arg(&fifo)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("extract waited on a pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn a_bad_sidecar_skips_its_article_with_the_reason() {
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let article = "typo.txt";
    std::fs::write(
        corpus.articles().join(article),
        "Typo report\n\nInspectors visited Wigan in March 2023 and found positive outcomes.\n",
    )
    .unwrap();
    // `[titel]` for `[title]`: unknown keys are errors, so the curated facts are not lost.
    std::fs::write(
        corpus.articles().join("typo.toml"),
        "[titel]\nvalue = \"Curated title\"\nfrom = \"the page\"\n",
    )
    .unwrap();
    let ingest = on_corpus(&["ingest", "--quiet"], &corpus);
    let stderr = String::from_utf8_lossy(&ingest.stderr);
    assert_eq!(ingest.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("skipped: typo.txt"), "{stderr}");
    assert!(stderr.contains("titel"), "{stderr}");
    assert!(String::from_utf8_lossy(&ingest.stdout).starts_with("5 articles"));

    // Mended, the article is indexed on the next ingest.
    std::fs::write(
        corpus.articles().join("typo.toml"),
        "[title]\nvalue = \"Curated title\"\nfrom = \"the page\"\n",
    )
    .unwrap();
    let again = on_corpus(&["ingest", "--quiet"], &corpus);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("6 articles"));
}

#[test]
fn a_value_too_long_for_the_index_skips_its_article_and_the_index_stays_readable() {
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let long = "word ".repeat(16_000); // 80,000 bytes: over the index's 65,535 for one value.
    std::fs::write(
        corpus.articles().join("long-heading.html"),
        format!(
            "<html><head><title>{long}</title></head><body><h1>{long}</h1>\
             <p>Inspectors visited Wigan in March 2023 and found positive outcomes for children.</p></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        corpus.articles().join("long-source.txt"),
        "Long source\n\nInspectors visited Bury in March 2023 and found positive outcomes.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.articles().join("long-source.toml"),
        format!("[source.name]\nvalue = \"{long}\"\nfrom = \"the page\"\n"),
    )
    .unwrap();
    let ingest = on_corpus(&["ingest", "--quiet"], &corpus);
    let stderr = String::from_utf8_lossy(&ingest.stderr);
    assert_eq!(ingest.status.code(), Some(2), "{stderr}");
    for file in ["long-heading.html", "long-source.txt"] {
        assert!(stderr.contains(&format!("skipped: {file}")), "{stderr}");
    }
    assert!(stderr.contains("over the index's limit"), "{stderr}");
    // The index reads back: search works and finds the other articles.
    let search = on_corpus(&["search", "inspection"], &corpus);
    let printed = String::from_utf8_lossy(&search.stdout);
    assert!(search.status.success(), "{printed}{}", String::from_utf8_lossy(&search.stderr));
}

#[test]
fn a_file_that_panics_is_skipped_and_the_rest_are_indexed_and_served() {
    use send_archive::extract::guard::PANIC_ON_VAR;
    let corpus = TempCorpus::copy_of(&seeds_dir());
    let poisoned = "poisoned.txt";
    std::fs::write(
        corpus.articles().join(poisoned),
        "Poisoned article\n\nInspectors visited Wigan in March 2023 and found positive outcomes.\n",
    )
    .unwrap();
    let ingest = send_archive()
        .env(PANIC_ON_VAR, poisoned)
        .args(["ingest", "--quiet", "--data"])
        .arg(corpus.data())
        .arg("--index")
        .arg(corpus.index())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&ingest.stderr);
    assert_eq!(ingest.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("skipped: poisoned.txt"), "{stderr}");
    assert!(stderr.contains("internal error: fault injected"), "{stderr}");
    assert!(String::from_utf8_lossy(&ingest.stdout).starts_with("5 articles"));

    // `extract` reports the file and goes on with the others.
    let extract = send_archive()
        .env(PANIC_ON_VAR, poisoned)
        .arg("extract")
        .arg(corpus.articles().join(poisoned))
        .arg(seeds_dir().join("000_0f0c24c848dd6290.txt"))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(extract.status.code(), Some(1));
    let records: serde_json::Value = serde_json::from_slice(&extract.stdout).unwrap();
    assert_eq!(records.as_array().map(Vec::len), Some(1));
    assert!(String::from_utf8_lossy(&extract.stderr).contains("internal error"));

    // `serve` ingests first (on a fresh index), skips the file, and serves the rest.
    let fresh_index = corpus.dir.path().join("index-serve");
    let mut server = send_archive()
        .env(PANIC_ON_VAR, poisoned)
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(corpus.data())
        .arg("--index")
        .arg(&fresh_index)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let address = support::wait_for_listening_address(&mut server);
    let health = support::http_get(&address, "/healthz");
    let page = support::http_get(&address, "/search?q=inspection");
    let _ = server.kill();
    let _ = server.wait();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(page.starts_with("HTTP/1.1 200"), "{}", &page[..page.len().min(300)]);
}

/// Issue 15: `extract --explain` names, for each fact, the rule and the sentence it came from.
#[test]
fn extract_explain_prints_each_fact_with_its_rule_and_sentence() {
    let fixture = crate::support::fixtures().join("articles/wigan-2023-positive.txt");
    let output = send_archive().arg("extract").arg("--explain").arg(&fixture).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for fact in
        ["  area: Wigan", "  inspection.outcome: positive", "  inspection.visit: ", "  themes: "]
    {
        assert!(stdout.contains(fact), "no {fact:?} in:\n{stdout}");
    }
    let rules = stdout.lines().filter(|l| l.trim_start().starts_with("rule:")).count();
    let sentences = stdout.lines().filter(|l| l.trim_start().starts_with("sentence:")).count();
    assert!(rules >= 4 && sentences >= 3, "{stdout}");
    assert!(stdout.lines().all(|l| !l.contains("rule:") || l.trim().len() > "rule:".len() + 3));
}

#[test]
fn extract_prints_a_block_per_area_of_a_roundup_and_search_shows_its_areas() {
    for (path, expected) in support::roundup_fixtures() {
        let output = send_archive().arg("extract").arg(&path).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let printed = String::from_utf8_lossy(&output.stdout);
        let codes = support::expected_area_codes(&expected);
        assert!(printed.contains(&format!("round-up:   {} inspections", codes.len())), "{printed}");
        // Each area's block, in article order.
        let mut at = 0;
        for code in &codes {
            let found = printed[at..]
                .find(&format!("({code}, "))
                .unwrap_or_else(|| panic!("{path:?}: {code} missing or out of order:\n{printed}"));
            at += found + 1;
        }
        assert!(!printed.contains("  area:       -"), "{printed}");
    }

    let corpus = TempCorpus::copy_of(&shipped_corpus().join("articles"));
    for (path, _) in support::roundup_fixtures() {
        std::fs::copy(&path, corpus.articles().join(path.file_name().unwrap())).unwrap();
    }
    // The ingest summary counts a round-up's outcomes, one per inspection.
    let output = on_corpus(&["ingest"], &corpus);
    let summary = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{summary}");
    assert!(summary.contains("systemic_failings 2"), "{summary}");
    assert!(summary.contains("sufficient_progress 1"), "{summary}");
    assert!(!summary.contains("not stated"), "{summary}");
    let output = on_corpus(&["search", "--area", "kirklees"], &corpus);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{printed}{}", String::from_utf8_lossy(&output.stderr));
    assert!(printed.contains("Bradford and Kirklees"), "{printed}");
    assert!(printed.contains("round-up of 2 inspections"), "{printed}");
}
