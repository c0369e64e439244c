//! The five seed articles, field by field: first what extraction reads from the text alone
//! (`tests/fixtures/seeds/*.expected.json`, the fixture contract), then the shipped corpus,
//! where sidecars add the curated facts the text lacks.

use std::collections::BTreeMap;

use send_archive::cli::extract_file;
use send_archive::extract::{Gazetteer, Outcome, Record};

use crate::fixtures::check_dir;
use crate::support::{seeds_dir, shipped_corpus};

#[test]
fn seed_articles_extract_field_by_field() {
    let (checked, failures) = check_dir(&seeds_dir());
    assert_eq!(checked, 5);
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

fn shipped() -> BTreeMap<String, Record> {
    let dir = shipped_corpus().join("articles");
    let mut records = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let record = extract_file(&path, Gazetteer::builtin()).expect("a seed extracts");
            records.insert(path.file_stem().unwrap().to_string_lossy().into_owned(), record);
        }
    }
    records
}

#[test]
fn the_shipped_corpus_is_the_seeds_unchanged() {
    for entry in std::fs::read_dir(seeds_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let shipped = shipped_corpus().join("articles").join(path.file_name().unwrap());
            assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&shipped).unwrap());
        }
    }
}

#[test]
fn sidecars_add_curated_facts_with_provenance() {
    let records = shipped();
    assert_eq!(records.len(), 5);
    for record in records.values() {
        assert!(record.source.name.is_some(), "{}: every seed has a curated source", record.file);
        assert!(record.is_curated("source.name"));
        assert!(record.curated.iter().all(|c| !c.from.trim().is_empty()));
    }
    let dudley = &records["000_0f0c24c848dd6290"];
    assert_eq!(dudley.inspection.visit_start.unwrap().to_string(), "2025-01-20");
    assert_eq!(dudley.inspection.visit_end.unwrap().to_string(), "2025-01-24");
    assert_eq!(dudley.inspection.report_published.unwrap().to_string(), "2025-03-11");
    assert_eq!(dudley.year(), Some(2025));

    // "in March this year" is read against the curated publication date.
    let dorset = &records["002_5269748774c00501"];
    assert_eq!(dorset.published.unwrap().to_string(), "2024-05-16");
    assert_eq!(dorset.inspection.visit_start.unwrap().to_string(), "2024-03");
    assert!(!dorset.is_curated("inspection.visit_start"));

    // The text never says; the council's page does.
    let south_glos = &records["003_cd67132bb1b11a94"];
    assert_eq!(south_glos.inspection.outcome, Some(Outcome::WsoaRequired));
    assert!(south_glos.is_curated("inspection.outcome"));

    let southend = &records["004_5102e493c5ed6c9e"];
    assert!(southend.is_curated("title"));
    assert_eq!(southend.slug, "southend-send-partnership-newsletter-on-the-area-send-inspection");
}
