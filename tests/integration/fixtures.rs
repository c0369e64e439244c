//! The fixture corpus: every `tests/fixtures/articles/NAME.expected.json` checked against
//! what extraction makes of `NAME.*`. The keys and how each is compared are the contract in
//! `tests/fixtures/README.md`. All failures of all fixtures are reported together.

use std::path::{Path, PathBuf};

use serde_json::Value;

use send_archive::corpus;
use send_archive::extract::{self, Gazetteer};

use crate::support::fixtures;

/// The article file an expectation file belongs to.
fn article_for(expected: &Path) -> PathBuf {
    let name = expected.file_name().unwrap().to_str().unwrap();
    let stem = name.trim_end_matches(".expected.json");
    let dir = expected.parent().unwrap();
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_str().unwrap();
            n != name
                && n.strip_prefix(stem)
                    .is_some_and(|rest| rest.starts_with('.') && rest.matches('.').count() == 1)
        })
        .unwrap_or_else(|| panic!("no article file for {}", expected.display()))
}

fn fold_quotes(text: &str) -> String {
    text.replace(['\u{2018}', '\u{2019}'], "'").replace(['\u{201c}', '\u{201d}'], "\"")
}

fn fold_name(text: &str) -> String {
    fold_quotes(text).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

struct Checker {
    fixture: String,
    failures: Vec<String>,
}

impl Checker {
    fn fail(&mut self, key: &str, expected: &Value, got: &Value) {
        self.failures.push(format!("{}: {key}: expected {expected}, got {got}", self.fixture));
    }

    fn equal(&mut self, key: &str, expected: &Value, got: &Value) {
        if expected != got {
            self.fail(key, expected, got);
        }
    }

    fn object(&mut self, key: &str, expected: &Value, got: &Value) {
        match expected {
            Value::Object(fields) => {
                if got.is_null() {
                    self.fail(key, expected, got);
                    return;
                }
                for (field, value) in fields {
                    self.equal(&format!("{key}.{field}"), value, &got[field]);
                }
            }
            other => self.equal(key, other, got),
        }
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn check_fixture(expected_path: &Path, gazetteer: &Gazetteer, checker: &mut Checker) {
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(expected_path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
    let article_path = article_for(expected_path);
    let file = article_path.file_name().unwrap().to_str().unwrap().to_string();
    let bytes = std::fs::read(&article_path).unwrap();
    if expected.get("duplicate_of").is_some() {
        return; // Checked by the ingest dedup test.
    }
    let parsed = corpus::parse(&file, &bytes);
    if let Some(skip) = expected.get("skip") {
        match parsed {
            Err(reason) => checker.equal("skip", skip, &Value::from(reason.code())),
            Ok(_) => checker.fail("skip", skip, &Value::from("parsed as an article")),
        }
        return;
    }
    let article = match parsed {
        Ok(article) => article,
        Err(reason) => {
            checker.fail("parse", &Value::from("an article"), &Value::from(reason.to_string()));
            return;
        }
    };
    let record = serde_json::to_value(extract::extract(&article, None, gazetteer)).unwrap();
    for (key, want) in expected.as_object().unwrap() {
        match key.as_str() {
            "title" | "author" | "published" => checker.equal(key, want, &record[key]),
            "source" | "area" | "inspection" => checker.object(key, want, &record[key]),
            "paragraph_count" => checker.equal(
                key,
                want,
                &Value::from(record["paragraphs"].as_array().unwrap().len()),
            ),
            "quote_count" => {
                checker.equal(key, want, &Value::from(record["quotes"].as_array().unwrap().len()))
            }
            "paragraphs_include" | "paragraphs_contain" | "paragraphs_exclude" => {
                let paragraphs = strings(&record["paragraphs"]);
                for s in strings(want) {
                    let found = paragraphs.iter().any(|p| match key.as_str() {
                        "paragraphs_include" => p.starts_with(&s),
                        _ => p.contains(&s),
                    });
                    if found == (key == "paragraphs_exclude") {
                        checker.fail(key, &Value::from(s), &Value::from(paragraphs.join(" ¶ ")));
                    }
                }
            }
            "warnings_include" | "warnings_exclude" => {
                let warnings = strings(&record["warnings"]);
                for s in strings(want) {
                    let found = warnings.iter().any(|w| w.contains(&s));
                    if found == (key == "warnings_exclude") {
                        checker.fail(key, &Value::from(s), &record["warnings"]);
                    }
                }
            }
            "themes_include" | "themes_exclude" => check_themes(checker, key, want, &record),
            "inspections" => check_inspections(checker, want, &record),
            "quotes" => {
                let quotes = record["quotes"].as_array().unwrap();
                for (i, want_quote) in want.as_array().unwrap().iter().enumerate() {
                    let Some(got) = quotes.get(i) else {
                        checker.fail(&format!("quotes[{i}]"), want_quote, &Value::Null);
                        continue;
                    };
                    for (field, value) in want_quote.as_object().unwrap() {
                        let key = format!("quotes[{i}].{field}");
                        let text = fold_quotes(got["text"].as_str().unwrap_or(""));
                        let want_text = fold_quotes(value.as_str().unwrap_or(""));
                        let ok = match field.as_str() {
                            "speaker" | "role" | "organisation" => {
                                match (value.as_str(), got[field].as_str()) {
                                    (Some(w), Some(g)) => fold_name(w) == fold_name(g),
                                    _ => value == &got[field],
                                }
                            }
                            "kind" => value == &got[field],
                            "text_starts" => text.starts_with(&want_text),
                            "text_ends" => text.ends_with(&want_text),
                            "text_contains" => text.contains(&want_text),
                            other => panic!("{}: unknown quote key {other}", checker.fixture),
                        };
                        if !ok {
                            let shown =
                                if field.starts_with("text") { &got["text"] } else { &got[field] };
                            checker.fail(&key, value, shown);
                        }
                    }
                }
            }
            other => panic!("{}: unknown key {other}", checker.fixture),
        }
    }
}

/// `themes_include` / `themes_exclude` against the `themes` of `record` (the article, or one
/// round-up area's entry).
fn check_themes(checker: &mut Checker, key: &str, want: &Value, record: &Value) {
    let themes = record["themes"].as_array().map(Vec::as_slice).unwrap_or_default();
    for theme in want.as_array().unwrap() {
        let matches = |t: &Value| {
            t["id"] == theme["id"]
                && theme.get("polarity").is_none_or(|p| &t["polarity"] == p)
                && theme.get("evidence_contains").is_none_or(|e| {
                    t["evidence"].as_str().unwrap_or("").contains(e.as_str().unwrap_or(""))
                })
        };
        let found = themes.iter().any(matches);
        if found == (key == "themes_exclude") {
            let got: Vec<String> =
                themes.iter().map(|t| format!("{}:{}", t["id"], t["polarity"])).collect();
            checker.fail(key, theme, &Value::from(got.join(", ")));
        }
    }
}

/// `inspections`: a round-up's entries, matched by position and counted exactly (`[]`: the
/// article is not a round-up). Each expected entry may give `area` (keys compared as for the
/// record's `area`), any inspection key (`framework`, `kind`, `outcome`, `visit_start`,
/// `visit_end`, `report_published`), `themes_include` / `themes_exclude`, and
/// `quote_speakers` (the speakers of the entry's quotes, in order).
fn check_inspections(checker: &mut Checker, want: &Value, record: &Value) {
    let empty = Vec::new();
    let got = record.get("inspections").and_then(Value::as_array).unwrap_or(&empty);
    let want = want.as_array().unwrap();
    if got.len() != want.len() {
        let areas: Vec<&Value> = got.iter().map(|i| &i["area"]["name"]).collect();
        checker.fail(
            "inspections (count)",
            &Value::from(want.len()),
            &Value::from(format!("{areas:?}")),
        );
        return;
    }
    for (i, (want, got)) in want.iter().zip(got).enumerate() {
        for (field, value) in want.as_object().unwrap() {
            let key = format!("inspections[{i}].{field}");
            match field.as_str() {
                "area" => checker.object(&key, value, &got["area"]),
                "themes_include" | "themes_exclude" => check_themes(checker, field, value, got),
                "quote_speakers" => {
                    let speakers: Vec<Value> = got["quotes"]
                        .as_array()
                        .map(|q| q.iter().map(|q| q["speaker"].clone()).collect())
                        .unwrap_or_default();
                    checker.equal(&key, value, &Value::from(speakers));
                }
                _ => checker.equal(&key, value, &got[field.as_str()]),
            }
        }
    }
}

/// Checks every `*.expected.json` in `dir`; returns the failures, one line each.
pub fn check_dir(dir: &Path) -> (usize, Vec<String>) {
    let gazetteer = Gazetteer::builtin();
    let mut expected_files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().ends_with(".expected.json"))
        .collect();
    expected_files.sort();
    let mut failures = Vec::new();
    for path in &expected_files {
        let fixture = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut checker = Checker { fixture, failures: Vec::new() };
        check_fixture(path, gazetteer, &mut checker);
        failures.extend(checker.failures);
    }
    (expected_files.len(), failures)
}

#[test]
fn fixture_articles_extract_as_a_careful_reader_would() {
    let (checked, failures) = check_dir(&fixtures().join("articles"));
    assert!(checked >= 20, "the fixture corpus is missing");
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_duplicate_fixture_is_indexed_once() {
    let corpus = crate::support::TempCorpus::copy_of(&fixtures().join("articles"));
    // Expectation files are not articles; remove them from the copy.
    for entry in std::fs::read_dir(corpus.articles()).unwrap() {
        let path = entry.unwrap().path();
        if path.to_str().unwrap().ends_with(".json") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let report = corpus.ingest();
    // The first name in sort order keeps the article; the other is reported.
    assert_eq!(
        report.duplicates,
        vec![("wigan-2023-positive.txt".to_string(), "wigan-2023-positive-copy.txt".to_string())]
    );
}
