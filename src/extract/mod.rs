//! Extraction: from a cleaned [`Article`] to a [`Record`] of facts, each with its evidence.
//!
//! Every extractor is a pure function over the article's text (no I/O) and never fails: it
//! returns what it found, and the record collects warnings for what it did not. Curated facts
//! from a sidecar ([`Sidecar`]) override what was extracted and are listed in
//! [`Record::curated`] with where they came from.
//!
//! The extractors, one file each: [`area`] (the gazetteer and which local area an article is
//! about), [`dates`] (publication, visit and report dates), [`inspection`] (framework, kind,
//! outcome), [`themes`] (what inspectors praised or criticised) and [`quotes`] (who said what).

pub mod area;
pub mod dates;
pub mod guard;
pub mod inspection;
pub mod model;
pub mod quotes;
pub mod roundup;
pub mod rules;
pub mod sentences;
pub mod slug;
pub mod themes;

use serde::{Deserialize, Serialize};

use crate::corpus::sidecar::Sidecar;
use crate::corpus::{self, Article};

pub use area::{Gazetteer, LocalArea};
pub use model::{Evidence, Framework, Kind, Outcome, PartialDate, Polarity, QuoteKind, Theme};

/// Bumped whenever extraction or the record's shape changes, so that ingest rebuilds every
/// record rather than mixing records made by different versions.
pub const EXTRACTOR_VERSION: u32 = 4;

/// Everything the archive knows about one article: what was extracted, what was curated, and
/// the cleaned text. This is what `extract --json` prints and what the index stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The file's path relative to the corpus folder.
    pub file: String,
    /// The article's permanent URL slug (`/articles/{slug}`).
    pub slug: String,
    /// Slugs the article had before, which redirect to `slug`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_slugs: Vec<String>,
    /// The headline.
    pub title: String,
    /// Who published the article.
    pub source: Source,
    /// The byline, when there is one.
    pub author: Option<String>,
    /// When the article was published.
    pub published: Option<PartialDate>,
    /// The local area the article is about; `None` for a round-up (see `inspections`).
    pub area: Option<AreaRef>,
    /// The inspection it reports. A round-up's is empty (its inspections are in
    /// `inspections`), and an empty one is left out of the JSON.
    #[serde(default, skip_serializing_if = "InspectionRecord::is_empty")]
    pub inspection: InspectionRecord,
    /// Themes praised or criticised, each with its evidence sentence: all of the article's,
    /// for a round-up too.
    pub themes: Vec<ThemeRecord>,
    /// Who said what: all of the article's, numbered through the article.
    pub quotes: Vec<QuoteRecord>,
    /// A round-up (an article reporting several areas' inspections) has one entry per area,
    /// in the order the article reports them, each with its own facts, themes and quotes.
    /// Empty for an article about one area. Use [`Record::reports`] to read either kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspections: Vec<AreaInspection>,
    /// The cleaned article text, one entry per paragraph; list items start with `"- "`.
    pub paragraphs: Vec<String>,
    /// What a reader of the record should know: facts that could not be found, odd input.
    pub warnings: Vec<String>,
    /// The facts that came from the sidecar rather than the text, with their provenance.
    pub curated: Vec<CuratedFact>,
    /// Corrections published for the article, oldest first.
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

/// The publisher of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// "Black Country Radio", "Children & Young People Now".
    pub name: Option<String>,
    /// The original article's address.
    pub url: Option<String>,
}

/// A local area as a record names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaRef {
    /// The ONS GSS code, e.g. `E08000027`.
    pub code: String,
    /// "Dudley".
    pub name: String,
    /// "West Midlands".
    pub region: String,
    /// `dudley`: the area page is `/areas/{slug}`.
    pub slug: String,
    /// The sentence the area was recognised in (absent when curated).
    pub evidence: Option<String>,
}

impl AreaRef {
    /// The reference for a gazetteer entry.
    pub fn new(area: &LocalArea, evidence: Option<String>) -> AreaRef {
        AreaRef {
            code: area.code.clone(),
            name: area.name.clone(),
            region: area.region.clone(),
            slug: area.slug.clone(),
            evidence,
        }
    }
}

/// The inspection an article reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionRecord {
    /// `2016` or `2023`.
    pub framework: Option<Framework>,
    /// `full`, `revisit` or `monitoring`.
    pub kind: Option<Kind>,
    /// The first day of the visit, as far as the article says.
    pub visit_start: Option<PartialDate>,
    /// The last day of the visit (equal to the start for a one-date visit).
    pub visit_end: Option<PartialDate>,
    /// The visit as the article words it: "Between January 20 and January 24".
    pub visit_text: Option<String>,
    /// When the inspection report was published, when the article says.
    pub report_published: Option<PartialDate>,
    /// The outcome code; `None` when the article does not say.
    pub outcome: Option<Outcome>,
    /// The sentence the outcome was read from.
    pub outcome_evidence: Option<String>,
    /// The paragraph (from 0) of `outcome_evidence`.
    pub outcome_paragraph: Option<usize>,
}

impl InspectionRecord {
    /// Whether the record holds no fact at all (no framework, kind, date or outcome).
    pub fn is_empty(&self) -> bool {
        *self == InspectionRecord::default()
    }
}

/// One area's inspection in a round-up: the area, the inspection's facts (framework, kind,
/// dates, outcome, as in [`InspectionRecord`]), and the findings and quotes the article gives
/// about that area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaInspection {
    /// The area inspected.
    pub area: AreaRef,
    /// The inspection's facts, written beside `area` in the JSON.
    #[serde(flatten)]
    pub inspection: InspectionRecord,
    /// Findings about this area.
    pub themes: Vec<ThemeRecord>,
    /// Quotes about this area, with the numbers they have in the article.
    pub quotes: Vec<QuoteRecord>,
}

/// One inspection an article reports, with its area, findings and quotes: the article's own
/// for an article about one area, or one entry of a round-up. See [`Record::reports`].
#[derive(Debug, Clone, Copy)]
pub struct Report<'r> {
    /// The area, when known.
    pub area: Option<&'r AreaRef>,
    /// Framework, kind, dates, outcome.
    pub inspection: &'r InspectionRecord,
    /// Findings about this inspection.
    pub themes: &'r [ThemeRecord],
    /// Quotes about it.
    pub quotes: &'r [QuoteRecord],
}

/// A theme inspectors praised or criticised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeRecord {
    /// The theme id of domain.md.
    pub id: Theme,
    /// `strength` or `improvement`.
    pub polarity: Polarity,
    /// The sentence that says so.
    pub evidence: String,
    /// The paragraph (from 0) of the evidence.
    pub paragraph: usize,
}

/// A quote and who said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRecord {
    /// The quote's number in the article, from 1: its permalink is `#quote-{n}`.
    pub n: usize,
    /// "David Stanley", "SSIF", "the letter".
    pub speaker: Option<String>,
    /// "cabinet member for children's services".
    pub role: Option<String>,
    /// "Black Country Integrated Care Board".
    pub organisation: Option<String>,
    /// The words, paragraphs joined by a blank line.
    pub text: String,
    /// `person`, `organisation` or `report`.
    pub kind: QuoteKind,
    /// The paragraph (from 0) the quote starts in.
    pub paragraph: usize,
}

/// A fact taken from the sidecar, and where the curator found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CuratedFact {
    /// The record field it sets: `source.name`, `published`, `inspection.outcome` ...
    pub field: String,
    /// The value, as text.
    pub value: String,
    /// Where it came from: an address and what it says.
    pub from: String,
}

/// A correction to an article, as curated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// When it was made.
    pub date: PartialDate,
    /// What was corrected.
    pub text: String,
}

/// Extracts the record of one article. The sidecar, when there is one, supplies curated facts
/// that override extraction; its publication date is also what year-less dates are read
/// against, since it is the article's own date.
pub fn extract(article: &Article, sidecar: Option<&Sidecar>, gazetteer: &Gazetteer) -> Record {
    run(article, sidecar, gazetteer, Explainer { on: false, list: Vec::new() }).0
}

/// How one fact of a record was found, for `extract --explain`: the value, the sentence it
/// was read from, and the rule that read it (for a theme, its cue words and polarity cue),
/// so that a wrong fact can be traced to its rule in a minute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The record field: `area`, `inspection.outcome`, `themes`, `quotes` ...
    pub fact: String,
    /// The value, as shown.
    pub value: String,
    /// The sentence (or line) it was read from, when there is one.
    pub sentence: Option<String>,
    /// The paragraph of that sentence, from 0.
    pub paragraph: Option<usize>,
    /// The rule that produced the value, naming the words it matched.
    pub rule: String,
}

impl Explanation {
    fn new(fact: &str, value: impl ToString, evidence: Option<&Evidence>, rule: &str) -> Self {
        Explanation {
            fact: fact.to_string(),
            value: value.to_string(),
            sentence: evidence.map(|e| e.sentence.clone()),
            paragraph: evidence.map(|e| e.paragraph),
            rule: rule.to_string(),
        }
    }
}

/// [`extract`], with an [`Explanation`] of every fact found (and of every curated one).
pub fn extract_explained(
    article: &Article,
    sidecar: Option<&Sidecar>,
    gazetteer: &Gazetteer,
) -> (Record, Vec<Explanation>) {
    run(article, sidecar, gazetteer, Explainer { on: true, list: Vec::new() })
}

/// Collects explanations only when asked for, so that ingest builds none.
struct Explainer {
    on: bool,
    list: Vec<Explanation>,
}

impl Explainer {
    fn add(&mut self, explanation: impl FnOnce() -> Explanation) {
        if self.on {
            self.list.push(explanation());
        }
    }
}

/// Runs the extractors and applies the sidecar, explaining each fact into `explained`.
fn run(
    article: &Article,
    sidecar: Option<&Sidecar>,
    gazetteer: &Gazetteer,
    mut explained: Explainer,
) -> (Record, Vec<Explanation>) {
    let mut warnings = article.warnings.clone();
    let mut curated = Vec::new();
    let sidecar = sidecar.cloned().unwrap_or_default();
    let paragraphs = &article.paragraphs;
    let title_text = article.title.as_deref();

    let published = match &sidecar.published {
        Some(fact) => Some(fact.value),
        None => match article.meta.published.as_deref().and_then(dates::parse_date_text) {
            Some(date) => {
                let rule = "the page's own metadata (front matter, og/article tags, JSON-LD, <time>, or the dateline read while cleaning)";
                explained.add(|| Explanation::new("published", date, None, rule));
                Some(date)
            }
            None => dates::find_published(paragraphs).map(|found| {
                explained.add(|| {
                    Explanation::new("published", found.date, Some(&found.evidence), &found.rule)
                });
                found.date
            }),
        },
    };
    let visit = dates::find_visit(title_text, paragraphs, published);
    let facts = inspection::find(title_text, paragraphs, visit.as_ref(), published);
    let report_found = dates::find_report_published(paragraphs, published, visit.as_ref());
    let report_published = report_found.as_ref().map(|found| {
        let (evidence, rule) = (Some(&found.evidence), &found.rule);
        explained
            .add(|| Explanation::new("inspection.report_published", found.date, evidence, rule));
        found.date
    });
    explain_inspection(&mut explained, "inspection", visit.as_ref(), &facts);

    let mut inspection = InspectionRecord {
        framework: facts.framework,
        kind: facts.kind,
        visit_start: visit.as_ref().map(|v| v.start),
        visit_end: visit.as_ref().map(|v| v.end),
        visit_text: visit.as_ref().map(|v| v.text.clone()),
        report_published,
        outcome: facts.outcome,
        outcome_paragraph: facts.outcome_evidence.as_ref().map(|e| e.paragraph),
        outcome_evidence: facts.outcome_evidence.map(|e| e.sentence),
    };

    let area_date = inspection.visit_start.filter(|d| d.year.is_some()).or(published);
    let mut area_others = false;
    let mut area = gazetteer.find(title_text, paragraphs, area_date).map(|m| {
        area_others = !m.others.is_empty();
        explained.add(|| {
            let value = format!("{} ({})", m.area.name, m.area.code);
            Explanation::new("area", value, Some(&m.evidence), &m.rule)
        });
        AreaRef::new(m.area, Some(m.evidence.sentence))
    });

    let themes = themes::find(paragraphs)
        .into_iter()
        .inspect(|t| {
            explained.add(|| {
                let value = format!("{} ({})", t.theme, t.polarity);
                Explanation::new("themes", value, Some(&t.evidence), &t.rule)
            });
        })
        .map(|t| ThemeRecord {
            id: t.theme,
            polarity: t.polarity,
            evidence: t.evidence.sentence,
            paragraph: t.evidence.paragraph,
        })
        .collect();
    let quotes: Vec<QuoteRecord> = quotes::find(paragraphs)
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            explained.add(|| {
                let who = q.speaker.as_deref().unwrap_or("?");
                let words: String = q.text.chars().take(60).collect();
                let value = format!("#{} {who} [{}]: {words}", i + 1, q.kind);
                let evidence = Evidence::new(q.text.clone(), q.paragraph);
                Explanation::new("quotes", value, Some(&evidence), &q.rule)
            });
            (i, q)
        })
        .map(|(i, q)| QuoteRecord {
            n: i + 1,
            speaker: q.speaker,
            role: q.role,
            organisation: q.organisation,
            text: q.text,
            kind: q.kind,
            paragraph: q.paragraph,
        })
        .collect();

    // A round-up reports several areas' inspections; only an article that names another area
    // outright (or compares with one) can be one.
    let mut inspections = Vec::new();
    let curated_subject = sidecar.area.is_some()
        || sidecar.inspection != corpus::sidecar::CuratedInspection::default();
    if area_others && !curated_subject {
        let whole = roundup::ArticleFacts {
            published,
            framework: inspection.framework,
            kind: inspection.kind,
            report_published: report_found.as_ref(),
        };
        for found in roundup::find(gazetteer, title_text, paragraphs, whole) {
            let part = &found.section.paragraphs;
            let entry = area_inspection(&found, &quotes);
            explain_roundup_area(&mut explained, inspections.len(), &found, &entry);
            debug_assert!(entry.quotes.iter().all(|q| part.contains(&q.paragraph)));
            inspections.push(entry);
        }
    }
    if !inspections.is_empty() {
        // The article's own area and inspection would be one of its areas': they are in
        // `inspections` instead.
        explained.list.retain(|e| e.fact != "area" && !e.fact.starts_with("inspection."));
        area = None;
        inspection = InspectionRecord::default();
    }

    let mut title = match &article.title {
        Some(t) => t.clone(),
        None => fallback_title(paragraphs),
    };
    let mut source = Source { name: article.meta.site_name.clone(), url: article.meta.url.clone() };

    // Curated facts override extraction, field by field.
    let mut note = |field: &str, value: String, from: &str| {
        // A curated fact replaces whatever explanation extraction gave for the field.
        explained.list.retain(|e| e.fact != field);
        explained.add(|| Explanation {
            fact: field.to_string(),
            value: value.clone(),
            sentence: None,
            paragraph: None,
            rule: format!("curated in the sidecar, from {from}"),
        });
        curated.push(CuratedFact { field: field.to_string(), value, from: from.to_string() });
    };
    if let Some(fact) = &sidecar.title {
        title = fact.value.clone();
        note("title", fact.value.clone(), &fact.from);
    }
    if let Some(fact) = &sidecar.source.name {
        source.name = Some(fact.value.clone());
        note("source.name", fact.value.clone(), &fact.from);
    }
    if let Some(fact) = &sidecar.source.url {
        source.url = Some(fact.value.clone());
        note("source.url", fact.value.clone(), &fact.from);
    }
    if let Some(fact) = &sidecar.published {
        note("published", fact.value.to_string(), &fact.from);
    }
    if let Some(fact) = &sidecar.area {
        match gazetteer.by_code(&fact.value) {
            Some(local_area) => {
                area = Some(AreaRef::new(local_area, None));
                note("area", fact.value.clone(), &fact.from);
            }
            None => warnings.push(format!(
                "the sidecar names area {:?}, which is not in the gazetteer; ignored",
                fact.value
            )),
        }
    }
    let curated_inspection = &sidecar.inspection;
    if let Some(fact) = &curated_inspection.framework {
        inspection.framework = Some(fact.value);
        note("inspection.framework", fact.value.to_string(), &fact.from);
    }
    if let Some(fact) = &curated_inspection.kind {
        inspection.kind = Some(fact.value);
        note("inspection.kind", fact.value.to_string(), &fact.from);
    }
    if let Some(fact) = &curated_inspection.visit_start {
        inspection.visit_start = Some(fact.value);
        note("inspection.visit_start", fact.value.to_string(), &fact.from);
    }
    if let Some(fact) = &curated_inspection.visit_end {
        inspection.visit_end = Some(fact.value);
        note("inspection.visit_end", fact.value.to_string(), &fact.from);
    }
    if let Some(fact) = &curated_inspection.report_published {
        inspection.report_published = Some(fact.value);
        note("inspection.report_published", fact.value.to_string(), &fact.from);
    }
    if let Some(fact) = &curated_inspection.outcome {
        inspection.outcome = Some(fact.value);
        inspection.outcome_evidence = None;
        inspection.outcome_paragraph = None;
        note("inspection.outcome", fact.value.to_string(), &fact.from);
    }

    if article.title.is_none() && sidecar.title.is_none() {
        warnings.push("no headline found; the title is the article's opening words".to_string());
    }
    if area.is_none() && inspections.is_empty() {
        warnings.push("no local area found".to_string());
    }
    if inspection.outcome.is_none() && inspections.is_empty() {
        warnings.push("no inspection outcome stated".to_string());
    }
    for entry in inspections.iter().filter(|i| i.inspection.outcome.is_none()) {
        warnings.push(format!("no inspection outcome stated for {}", entry.area.name));
    }
    if published.is_none() {
        warnings.push("no publication date found".to_string());
    }

    let slug = match &sidecar.slug {
        Some(slug) => slug.clone(),
        None => slug::article_slug(&title, &article.file),
    };
    let record = Record {
        file: article.file.clone(),
        slug,
        former_slugs: sidecar.former_slugs.clone(),
        title,
        source,
        author: article.meta.author.clone(),
        published,
        area,
        inspection,
        themes,
        quotes,
        inspections,
        paragraphs: paragraphs.clone(),
        warnings,
        curated,
        corrections: sidecar
            .corrections
            .iter()
            .map(|c| Correction { date: c.date, text: c.text.clone() })
            .collect(),
    };
    (record, explained.list)
}

/// One round-up area's entry: its facts, its findings and the article's quotes that stand in
/// its part.
fn area_inspection(found: &roundup::AreaFacts<'_>, quotes: &[QuoteRecord]) -> AreaInspection {
    let facts = &found.facts;
    let visit = found.visit.as_ref();
    AreaInspection {
        area: AreaRef::new(
            found.section.area,
            found.visit.as_ref().map(|v| v.evidence.sentence.clone()),
        ),
        inspection: InspectionRecord {
            framework: facts.framework,
            kind: facts.kind,
            visit_start: visit.map(|v| v.start),
            visit_end: visit.map(|v| v.end),
            visit_text: visit.map(|v| v.text.clone()),
            report_published: found.report_published.as_ref().map(|r| r.date),
            outcome: facts.outcome,
            outcome_evidence: facts.outcome_evidence.as_ref().map(|e| e.sentence.clone()),
            outcome_paragraph: facts.outcome_evidence.as_ref().map(|e| e.paragraph),
        },
        themes: found
            .themes
            .iter()
            .map(|t| ThemeRecord {
                id: t.theme,
                polarity: t.polarity,
                evidence: t.evidence.sentence.clone(),
                paragraph: t.evidence.paragraph,
            })
            .collect(),
        quotes: quotes
            .iter()
            .filter(|q| found.section.paragraphs.contains(&q.paragraph))
            .cloned()
            .collect(),
    }
}

/// Explains an inspection's visit, framework, kind and outcome, as `{prefix}.visit`,
/// `{prefix}.framework` and so on: the article's (`inspection`) or a round-up area's
/// (`inspections[N]`).
fn explain_inspection(
    explained: &mut Explainer,
    prefix: &str,
    visit: Option<&dates::Visit>,
    facts: &inspection::InspectionFacts,
) {
    let fact = |name: &str| format!("{prefix}.{name}");
    if let Some(visit) = visit {
        let value = format!("{} to {} ({:?})", visit.start, visit.end, visit.text);
        explained
            .add(|| Explanation::new(&fact("visit"), value, Some(&visit.evidence), &visit.rule));
    }
    for (name, value, evidence, rule) in [
        (
            "framework",
            facts.framework.map(|f| f.to_string()),
            &facts.framework_evidence,
            &facts.framework_rule,
        ),
        ("kind", facts.kind.map(|k| k.to_string()), &None, &facts.kind_rule),
        (
            "outcome",
            facts.outcome.map(|o| o.to_string()),
            &facts.outcome_evidence,
            &facts.outcome_rule,
        ),
    ] {
        if let Some(value) = value {
            let rule = rule.as_deref().unwrap_or("(no rule recorded)");
            explained.add(|| Explanation::new(&fact(name), value, evidence.as_ref(), rule));
        }
    }
}

/// Explains one round-up area's facts, as `inspections[N].area`, `inspections[N].outcome` ...
fn explain_roundup_area(
    explained: &mut Explainer,
    n: usize,
    found: &roundup::AreaFacts<'_>,
    entry: &AreaInspection,
) {
    let fact = |name: &str| format!("inspections[{n}].{name}");
    let area = format!("{} ({})", entry.area.name, entry.area.code);
    explained.add(|| Explanation::new(&fact("area"), area, None, &found.rule));
    explain_inspection(explained, &format!("inspections[{n}]"), found.visit.as_ref(), &found.facts);
    if let Some(report) = &found.report_published {
        explained.add(|| {
            Explanation::new(
                &fact("report_published"),
                report.date,
                Some(&report.evidence),
                &report.rule,
            )
        });
    }
    for t in &found.themes {
        let value = format!("{} ({})", t.theme, t.polarity);
        explained.add(|| Explanation::new(&fact("themes"), value, Some(&t.evidence), &t.rule));
    }
    for q in &entry.quotes {
        let value = format!("#{} {}", q.n, q.speaker.as_deref().unwrap_or("?"));
        explained.add(|| {
            Explanation::new(&fact("quotes"), value, None, "the quote stands in the area's part")
        });
    }
}

/// A title for an article without a headline: its first sentence, cut at a word boundary.
fn fallback_title(paragraphs: &[String]) -> String {
    const MAX_CHARS: usize = 90;
    let first = paragraphs.first().map(String::as_str).unwrap_or("Untitled article");
    let sentence = sentences::sentences(first).next().unwrap_or(first);
    if sentence.chars().count() <= MAX_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}\u{2026}", cut.trim_end_matches([',', ';', ':']))
}

impl Record {
    /// The inspections the article reports, each with its area, findings and quotes: one
    /// for an article about one area (its own facts), one per area for a round-up.
    pub fn reports(&self) -> Vec<Report<'_>> {
        if self.inspections.is_empty() {
            return vec![Report {
                area: self.area.as_ref(),
                inspection: &self.inspection,
                themes: &self.themes,
                quotes: &self.quotes,
            }];
        }
        self.inspections
            .iter()
            .map(|i| Report {
                area: Some(&i.area),
                inspection: &i.inspection,
                themes: &i.themes,
                quotes: &i.quotes,
            })
            .collect()
    }

    /// Whether the article reports several areas' inspections.
    pub fn is_roundup(&self) -> bool {
        !self.inspections.is_empty()
    }

    /// The first day of the (first) visit the article reports.
    fn first_visit(&self) -> Option<PartialDate> {
        match self.inspections.first() {
            Some(first) => first.inspection.visit_start,
            None => self.inspection.visit_start,
        }
    }

    /// The year the record is filed under: the visit's, else the publication's.
    pub fn year(&self) -> Option<i32> {
        self.first_visit().and_then(|d| d.year).or_else(|| self.published?.year)
    }

    /// The date the record sorts by for "newest": publication, else the visit.
    pub fn sort_date(&self) -> Option<PartialDate> {
        self.published
            .filter(|d| d.year.is_some())
            .or(self.first_visit().filter(|d| d.year.is_some()))
    }

    /// Whether a field was curated rather than extracted (`"published"`, `"source.name"`).
    pub fn is_curated(&self, field: &str) -> bool {
        self.curated.iter().any(|c| c.field == field)
    }
}
