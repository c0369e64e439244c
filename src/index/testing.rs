//! Records built by hand for unit tests: an ordinary article and a round-up, so that code
//! downstream of extraction can be tested on round-ups before any article extracts as one.

use crate::extract::{
    AreaInspection, AreaRef, Framework, Gazetteer, InspectionRecord, Kind, Outcome, PartialDate,
    Polarity, QuoteKind, QuoteRecord, Record, Source, Theme, ThemeRecord,
};

/// The gazetteer's reference for an area slug.
pub fn area(slug: &str) -> AreaRef {
    let area = Gazetteer::builtin().by_slug(slug).expect("a gazetteer area");
    AreaRef::new(area, None)
}

/// A finding in paragraph `paragraph`.
pub fn finding(id: Theme, polarity: Polarity, evidence: &str, paragraph: usize) -> ThemeRecord {
    ThemeRecord { id, polarity, evidence: evidence.to_string(), paragraph }
}

/// Quote number `n`, said by `speaker`, in paragraph `paragraph`.
pub fn quote(n: usize, speaker: &str, text: &str, paragraph: usize) -> QuoteRecord {
    QuoteRecord {
        n,
        speaker: Some(speaker.to_string()),
        role: None,
        organisation: None,
        text: text.to_string(),
        kind: QuoteKind::Person,
        paragraph,
    }
}

/// A 2023-framework full inspection visited on `visit`, with `outcome`.
pub fn inspection(visit: (i32, u8, u8), outcome: Option<Outcome>) -> InspectionRecord {
    let start = PartialDate::new(Some(visit.0), Some(visit.1), Some(visit.2));
    InspectionRecord {
        framework: Some(Framework::F2023),
        kind: Some(Kind::Full),
        visit_start: start,
        visit_end: start,
        report_published: PartialDate::new(Some(visit.0), Some(visit.1 % 12 + 1), None),
        outcome,
        ..InspectionRecord::default()
    }
}

/// An ordinary article about Dudley: one finding, one quote.
pub fn single() -> Record {
    Record {
        file: "dudley.txt".into(),
        slug: "dudley-send-inspection".into(),
        former_slugs: Vec::new(),
        title: "Dudley SEND services inconsistent, inspectors say".into(),
        source: Source { name: Some("Black Country Radio".into()), url: None },
        author: None,
        published: PartialDate::new(Some(2025), Some(3), Some(10)),
        area: Some(area("dudley")),
        inspection: inspection((2025, 1, 20), Some(Outcome::Inconsistent)),
        themes: vec![finding(
            Theme::WaitingTimes,
            Polarity::Improvement,
            "Waiting times were too long.",
            1,
        )],
        quotes: vec![quote(1, "Ann Smith", "We will act.", 2)],
        inspections: Vec::new(),
        paragraphs: vec![
            "Dudley's SEND services were found inconsistent.".into(),
            "Waiting times were too long.".into(),
            "\"We will act,\" said Ann Smith.".into(),
        ],
        warnings: Vec::new(),
        curated: Vec::new(),
        corrections: Vec::new(),
    }
}

/// A round-up of three areas (Norfolk, Suffolk, Kent), each with its own outcome, visit,
/// findings and quotes; quotes are numbered through the article.
pub fn roundup() -> Record {
    let norfolk =
        finding(Theme::Leadership, Polarity::Strength, "Leaders in Norfolk were strong.", 1);
    let suffolk =
        finding(Theme::WaitingTimes, Polarity::Improvement, "Suffolk families waited too long.", 3);
    let kent = finding(Theme::EhcpTimeliness, Polarity::Improvement, "Kent's plans were late.", 5);
    let q1 = quote(1, "Ann Norris", "We are proud of our staff.", 2);
    let q2 = quote(2, "Bob Suttle", "We accept the findings.", 4);
    let q3 = quote(3, "Cara Kemp", "We have a plan.", 6);
    let per_area =
        |slug: &str, visit, outcome, theme: &ThemeRecord, quote: &QuoteRecord| AreaInspection {
            area: area(slug),
            inspection: inspection(visit, Some(outcome)),
            themes: vec![theme.clone()],
            quotes: vec![quote.clone()],
        };
    Record {
        file: "roundup.txt".into(),
        slug: "three-councils-told-to-improve".into(),
        former_slugs: Vec::new(),
        title: "Three councils told to improve SEND services".into(),
        source: Source { name: Some("Children & Young People Now".into()), url: None },
        author: None,
        published: PartialDate::new(Some(2025), Some(4), Some(2)),
        area: None,
        inspection: InspectionRecord::default(),
        themes: vec![norfolk.clone(), suffolk.clone(), kent.clone()],
        quotes: vec![q1.clone(), q2.clone(), q3.clone()],
        inspections: vec![
            per_area("norfolk", (2025, 2, 3), Outcome::Positive, &norfolk, &q1),
            per_area("suffolk", (2025, 1, 13), Outcome::Inconsistent, &suffolk, &q2),
            per_area("kent", (2024, 12, 2), Outcome::SystemicFailings, &kent, &q3),
        ],
        paragraphs: vec![
            "Three councils were told to improve.".into(),
            "Leaders in Norfolk were strong.".into(),
            "\"We are proud of our staff,\" said Ann Norris.".into(),
            "Suffolk families waited too long.".into(),
            "\"We accept the findings,\" said Bob Suttle.".into(),
            "Kent's plans were late.".into(),
            "\"We have a plan,\" said Cara Kemp.".into(),
        ],
        warnings: Vec::new(),
        curated: Vec::new(),
        corrections: Vec::new(),
    }
}
