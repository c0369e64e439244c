//! The register joined with the articles at ingest: every seed matched to its official
//! inspection, disagreements listed, a bad register refused before anything changes, and a
//! changed register put in service without reading any article again.

use std::fs;

use crate::support::{TempCorpus, shipped_archive, shipped_corpus, shipped_register};

const HEADER: &str = "area_code\tarea\tframework\tkind\tvisit_start\tvisit_end\treport_published\toutcome\treport_url\tfrom\tphrase\tchecked\n";

/// One article about Rochdale's 2023 inspection, reporting outcome two.
const ARTICLE: &str = "Rochdale SEND services 'inconsistent', inspectors say\n\n\
Published: 20 March 2024\n\n\
Inspectors from Ofsted and the Care Quality Commission visited Rochdale from 15 to 19 January \
2024. They found that the local area partnership's arrangements lead to inconsistent \
experiences and outcomes for children and young people with special educational needs and \
disabilities.\n";

/// A register row for that inspection, with `outcome` and `visit_start` as given.
fn rochdale_row(outcome: &str, visit_start: &str) -> String {
    format!(
        "E08000005\tRochdale\t2023\tfull\t{visit_start}\t\t2024-03-15\t{outcome}\t\
         https://files.ofsted.gov.uk/v1/file/9\thttps://files.ofsted.gov.uk/v1/file/9\t\t2026-12-03\n"
    )
}

fn rochdale_corpus(register: &str) -> TempCorpus {
    let corpus = TempCorpus::empty();
    fs::write(corpus.articles().join("rochdale.txt"), ARTICLE).unwrap();
    corpus.write_register(register);
    corpus
}

#[test]
fn every_seed_is_matched_to_its_official_inspection_without_disagreement() {
    let (corpus, archive) = shipped_archive();
    let catalogue = archive.catalogue();
    assert!(catalogue.register.len() > 300, "the shipped register is in the generation");
    for (index, inspection) in catalogue.inspections.iter().enumerate() {
        let official = catalogue
            .official_of(index)
            .unwrap_or_else(|| panic!("{} is not matched to the register", inspection.id));
        assert_eq!(official.area_code, inspection.area.code, "{}", inspection.id);
        if let Some(outcome) = inspection.outcome {
            assert_eq!(official.outcome, Some(outcome), "{}", inspection.id);
        }
    }
    assert_eq!(catalogue.disagreements(), vec![]);
    assert!(corpus.ingest().disagreements.is_empty());
}

#[test]
fn ingest_lists_where_an_article_differs_from_the_register() {
    let corpus =
        rochdale_corpus(&format!("{HEADER}{}", rochdale_row("systemic_failings", "2024-02-26")));
    let report = corpus.ingest();
    let facts: Vec<(&str, &str, &str)> = report
        .disagreements
        .iter()
        .map(|d| (d.fact.as_str(), d.article_says.as_str(), d.register_says.as_str()))
        .collect();
    assert_eq!(
        facts,
        vec![
            ("outcome", "inconsistent", "systemic_failings"),
            ("visit", "2024-01-15", "2024-02-26")
        ]
    );
    assert_eq!(report.disagreements[0].area, "Rochdale");
    assert_eq!(report.disagreements[0].line, 2);
    // An ingest with nothing to do still says so.
    let again = corpus.ingest();
    assert!(!again.rebuilt);
    assert_eq!(again.disagreements, report.disagreements);
}

#[test]
fn a_bad_register_stops_ingest_and_the_index_in_service_stays() {
    let corpus =
        rochdale_corpus(&format!("{HEADER}{}", rochdale_row("inconsistent", "2024-01-15")));
    let first = corpus.ingest();
    corpus.write_register(&format!(
        "{HEADER}{}{}",
        rochdale_row("inconsistent", "2024-01-15"),
        rochdale_row("wsoa_required", "2024-01-15").replace("file/9", "file/10")
    ));
    let options = send_archive::index::IngestOptions { data: corpus.data(), index: corpus.index() };
    let error = send_archive::index::ingest(&options, &send_archive::index::NoProgress)
        .expect_err("a bad register is refused");
    let message = format!("{error:#}");
    assert!(message.contains("line 3: outcome wsoa_required is not one a 2023 full"), "{message}");
    assert!(message.contains("the index in service was not changed"), "{message}");
    let archive = corpus.archive();
    assert_eq!(archive.generation(), first.generation);
    assert_eq!(archive.catalogue().register.len(), 1);
}

#[test]
fn a_changed_register_is_put_in_service_without_reading_articles_again() {
    let corpus =
        rochdale_corpus(&format!("{HEADER}{}", rochdale_row("systemic_failings", "2024-01-15")));
    let first = corpus.ingest();
    assert_eq!(first.disagreements.len(), 1);
    corpus.write_register(&format!("{HEADER}{}", rochdale_row("inconsistent", "2024-01-15")));
    let second = corpus.ingest();
    assert!(second.rebuilt, "a new generation holds the new register");
    assert_ne!(second.generation, first.generation);
    assert_eq!(second.indexed_now, 0, "no article was read again");
    assert!(second.disagreements.is_empty(), "{:?}", second.disagreements);
    let archive = corpus.archive();
    let catalogue = archive.catalogue();
    assert_eq!(
        catalogue.official_of(0).and_then(|i| i.outcome).map(|o| o.code()),
        Some("inconsistent")
    );
    // Removing the register empties it from the next generation too.
    fs::remove_file(corpus.data().join(send_archive::register::FILE)).unwrap();
    let third = corpus.ingest();
    assert!(third.rebuilt);
    assert!(corpus.archive().catalogue().register.is_empty());
    // The shipped register is the one tests read.
    assert!(shipped_corpus().join(send_archive::register::FILE).is_file());
    assert!(shipped_register().starts_with('#'));
}
