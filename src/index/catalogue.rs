//! The catalogue: a compact summary of every article, and the inspections they report,
//! held in memory beside the index.
//!
//! Pages that look across the whole archive (the national picture, an area's timeline, a
//! theme across the country, the inspections CSV, feeds, the sitemap) read the catalogue
//! rather than querying tantivy for thousands of records. It is built once per index
//! generation, from the stored records, and is immutable.
//!
//! An *inspection* here is one visit by inspectors to one local area, as reported by one or
//! more articles. Articles are grouped into the same inspection when they name the same area,
//! framework and kind and the same visit (or, without a visit date, the same outcome and
//! year).
//!
//! An article's summary holds a [`ReportSummary`] per inspection it reports: one for an
//! ordinary article, one per area for a *round-up* (an article reporting several areas'
//! inspections at once, [`Record::is_roundup`]). Grouping is by (article, report), so a
//! round-up is one of the articles of each of its areas' inspections, and everything that
//! looks at an area ([`Catalogue::area_articles`], [`Catalogue::area_inspections`],
//! [`Catalogue::latest_outcomes`], [`Catalogue::outcome_counts`],
//! [`Catalogue::article_counts`]) sees it under each.
//!
//! The catalogue also holds the generation's [`Register`], the official record, and which of
//! its inspections each of the catalogue's inspections reports ([`Catalogue::official`],
//! matched by [`Register::find`]); the register never changes what an article says.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::store::RegisterDisagreement;
use crate::extract::{Framework, Kind, Outcome, PartialDate, Polarity, Record, Theme};
use crate::register::{self, Register, Reported};

/// One article, summarised. Ingest stores it beside the record (see
/// [`Fields::summary`](super::schema::Fields::summary)), so the catalogue is built without
/// reading any record.
///
/// What the article reports is in `reports`: one [`ReportSummary`] for an ordinary article
/// (its area may be unknown), one per area, in article order, for a round-up. Read them with
/// [`ArticleSummary::report`] (the only or first one), [`ArticleSummary::report_for`] (one
/// area's) or [`ArticleSummary::areas`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleSummary {
    /// Permalink slug.
    pub slug: String,
    /// Slugs it had before, which redirect to `slug`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_slugs: Vec<String>,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// The publisher.
    pub source: Option<String>,
    /// The original address.
    pub source_url: Option<String>,
    /// Whether the article is a round-up (reports several areas' inspections).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub roundup: bool,
    /// The inspections it reports: never empty (see [`summarise`]).
    pub reports: Vec<ReportSummary>,
    /// How many quotes the whole article has.
    pub quotes: usize,
    /// The year it is filed under (a round-up's first inspection's).
    pub year: Option<i32>,
    /// Days since 1970 of its date, for sorting; `i64::MIN` when unknown.
    pub sort_key: i64,
}

/// One inspection an article reports: its area, facts, findings and quotes, summarised.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportSummary {
    /// The area's slug, name, ONS code and region; `None` when the article names none.
    pub area: Option<AreaSummary>,
    /// Framework.
    pub framework: Option<Framework>,
    /// Kind.
    pub kind: Option<Kind>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// First day of the visit.
    pub visit_start: Option<PartialDate>,
    /// Last day of the visit.
    pub visit_end: Option<PartialDate>,
    /// When the report was published.
    pub report_published: Option<PartialDate>,
    /// Themes and their polarity (adjacent repeats removed).
    pub themes: Vec<(Theme, Polarity)>,
    /// How many quotes are about this inspection.
    pub quotes: usize,
    /// The year it is filed under: the visit's, else the article's publication's.
    pub year: Option<i32>,
    /// The index of the inspection, in [`Catalogue::inspections`] (set when the catalogue
    /// is built).
    #[serde(skip)]
    pub inspection: Option<usize>,
}

/// What [`ArticleSummary::report`] gives for a summary with no report (none is made so).
static NO_REPORT: ReportSummary = ReportSummary {
    area: None,
    framework: None,
    kind: None,
    outcome: None,
    visit_start: None,
    visit_end: None,
    report_published: None,
    themes: Vec::new(),
    quotes: 0,
    year: None,
    inspection: None,
};

impl ArticleSummary {
    /// The inspection an ordinary article reports, or a round-up's first.
    pub fn report(&self) -> &ReportSummary {
        self.reports.first().unwrap_or(&NO_REPORT)
    }

    /// The report about the area with this slug, if the article has one.
    pub fn report_for(&self, area_slug: &str) -> Option<&ReportSummary> {
        self.reports.iter().find(|r| r.area.as_ref().is_some_and(|a| a.slug == area_slug))
    }

    /// The areas it reports, in article order (none, one, or a round-up's several).
    pub fn areas(&self) -> impl Iterator<Item = &AreaSummary> {
        self.reports.iter().filter_map(|r| r.area.as_ref())
    }

    /// Every (theme, polarity) of every report; the same pair may come more than once.
    pub fn themes(&self) -> impl Iterator<Item = (Theme, Polarity)> + '_ {
        self.reports.iter().flat_map(|r| r.themes.iter().copied())
    }
}

/// An area as the catalogue names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AreaSummary {
    /// `dudley`.
    pub slug: String,
    /// "Dudley".
    pub name: String,
    /// `E08000027`.
    pub code: String,
    /// "West Midlands".
    pub region: String,
}

/// One inspection, with the articles that report it.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionSummary {
    /// A stable id: area slug, framework, kind and visit, e.g. `dudley-2023-full-2025-01-20`.
    pub id: String,
    /// The area.
    pub area: AreaSummary,
    /// Framework.
    pub framework: Option<Framework>,
    /// Kind.
    pub kind: Option<Kind>,
    /// The outcome the articles report (the most common, where they differ).
    pub outcome: Option<Outcome>,
    /// First day of the visit.
    pub visit_start: Option<PartialDate>,
    /// Last day of the visit.
    pub visit_end: Option<PartialDate>,
    /// When the report was published.
    pub report_published: Option<PartialDate>,
    /// The year it is filed under.
    pub year: Option<i32>,
    /// Indexes into [`Catalogue::articles`], newest first.
    pub articles: Vec<usize>,
    /// Days since 1970, for sorting.
    pub sort_key: i64,
}

/// Everything in the archive, summarised.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Articles, newest first.
    pub articles: Vec<ArticleSummary>,
    /// Inspections, newest first.
    pub inspections: Vec<InspectionSummary>,
    /// Source names by the slug the index files them under.
    pub sources: HashMap<String, String>,
    /// Article indexes by slug (and former slugs, which map to the current one).
    by_slug: HashMap<String, usize>,
    /// Inspection indexes by area slug, newest first.
    by_area: HashMap<String, Vec<usize>>,
    /// The official record of inspections, as the generation holds it.
    pub register: Register,
    /// For each of `inspections`, the index in the register of the official inspection it
    /// reports, when one matches.
    pub official: Vec<Option<usize>>,
}

impl Catalogue {
    /// Builds the catalogue from every record.
    pub fn build(records: impl IntoIterator<Item = Record>) -> Catalogue {
        Catalogue::from_summaries(records.into_iter().map(|r| summarise(&r)).collect())
    }

    /// Builds the catalogue from every article's summary.
    pub fn from_summaries(mut articles: Vec<ArticleSummary>) -> Catalogue {
        let mut former: Vec<(String, String)> = Vec::new();
        for article in &mut articles {
            for old in std::mem::take(&mut article.former_slugs) {
                former.push((old, article.slug.clone()));
            }
        }
        articles.sort_by(|a, b| b.sort_key.cmp(&a.sort_key).then_with(|| a.slug.cmp(&b.slug)));

        // A round-up is a member of each of its areas' inspections: one (article, report)
        // pair per area.
        let mut groups: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for (i, article) in articles.iter().enumerate() {
            for (r, report) in article.reports.iter().enumerate() {
                if let Some(key) = inspection_key(report) {
                    groups.entry(key).or_default().push((i, r));
                }
            }
        }
        let mut grouped: Vec<(InspectionSummary, Vec<(usize, usize)>)> = groups
            .into_iter()
            .map(|(id, members)| (inspection(id, &members, &articles), members))
            .collect();
        grouped.sort_by(|a, b| b.0.sort_key.cmp(&a.0.sort_key).then_with(|| a.0.id.cmp(&b.0.id)));
        let mut by_area: HashMap<String, Vec<usize>> = HashMap::new();
        let mut inspections = Vec::with_capacity(grouped.len());
        for (i, (inspection, members)) in grouped.into_iter().enumerate() {
            by_area.entry(inspection.area.slug.clone()).or_default().push(i);
            for (a, r) in members {
                articles[a].reports[r].inspection = Some(i);
            }
            inspections.push(inspection);
        }
        let mut by_slug: HashMap<String, usize> =
            articles.iter().enumerate().map(|(i, a)| (a.slug.clone(), i)).collect();
        for (old, new) in former {
            if let Some(&i) = by_slug.get(&new) {
                by_slug.entry(old).or_insert(i);
            }
        }
        let sources = articles
            .iter()
            .filter_map(|a| {
                a.source.as_ref().map(|s| (crate::extract::slug::slugify(s), s.clone()))
            })
            .collect();
        let official = vec![None; inspections.len()];
        Catalogue {
            articles,
            inspections,
            sources,
            by_slug,
            by_area,
            register: Register::default(),
            official,
        }
    }

    /// The catalogue with `register` beside it, each inspection matched to the official one
    /// it reports.
    pub fn with_register(mut self, register: Register) -> Catalogue {
        self.official = self
            .inspections
            .iter()
            .map(|inspection| {
                let found = register.find(&self.reported(inspection))?;
                register.inspections().iter().position(|i| std::ptr::eq(i, found))
            })
            .collect();
        self.register = register;
        self
    }

    /// What the articles of `inspection` say of it, for matching it to the register.
    pub fn reported<'a>(&'a self, inspection: &'a InspectionSummary) -> Reported<'a> {
        Reported {
            area_code: &inspection.area.code,
            framework: inspection.framework,
            kind: inspection.kind,
            outcome: inspection.outcome,
            visit_start: inspection.visit_start,
            report_published: inspection.report_published,
            published: inspection.articles.first().and_then(|&a| self.articles[a].published),
        }
    }

    /// The official inspection the catalogue's inspection `index` reports, if one matched.
    pub fn official_of(&self, index: usize) -> Option<&register::Inspection> {
        self.official.get(index).copied().flatten().map(|i| &self.register.inspections()[i])
    }

    /// The catalogue's inspections that report the register's inspection `official` (its
    /// index in the register), newest first.
    pub fn reporting(&self, official: usize) -> Vec<&InspectionSummary> {
        self.official
            .iter()
            .enumerate()
            .filter(|(_, o)| **o == Some(official))
            .map(|(i, _)| &self.inspections[i])
            .collect()
    }

    /// Every fact on which an inspection's articles differ from the register.
    pub fn disagreements(&self) -> Vec<RegisterDisagreement> {
        let mut out = Vec::new();
        for (index, inspection) in self.inspections.iter().enumerate() {
            let Some(official) = self.official_of(index) else { continue };
            for d in register::disagreements(&self.reported(inspection), official) {
                out.push(RegisterDisagreement {
                    article: inspection
                        .articles
                        .first()
                        .map(|&a| self.articles[a].slug.clone())
                        .unwrap_or_default(),
                    area: inspection.area.name.clone(),
                    fact: d.fact.to_string(),
                    article_says: d.article,
                    register_says: d.register,
                    line: official.line,
                });
            }
        }
        out
    }

    /// The article with this slug (or a former slug of it).
    pub fn article(&self, slug: &str) -> Option<&ArticleSummary> {
        self.by_slug.get(slug).map(|&i| &self.articles[i])
    }

    /// The index in [`Catalogue::articles`] of the article with this slug (or a former slug
    /// of it).
    pub fn row(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    /// An area's inspections, newest first.
    pub fn area_inspections(&self, area_slug: &str) -> Vec<&InspectionSummary> {
        self.by_area
            .get(area_slug)
            .map(|v| v.iter().map(|&i| &self.inspections[i]).collect())
            .unwrap_or_default()
    }

    /// The articles of an area, newest first: those about it and the round-ups that
    /// report it (read its part with [`ArticleSummary::report_for`]).
    pub fn area_articles(&self, area_slug: &str) -> Vec<&ArticleSummary> {
        self.articles.iter().filter(|a| a.report_for(area_slug).is_some()).collect()
    }

    /// How many articles report each area (a round-up counts for each of its areas), by
    /// area slug.
    pub fn article_counts(&self) -> HashMap<&str, usize> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for article in &self.articles {
            for area in article.areas() {
                *counts.entry(area.slug.as_str()).or_default() += 1;
            }
        }
        counts
    }

    /// The latest inspection of each area with an outcome, by area slug.
    pub fn latest_outcomes(&self) -> HashMap<&str, &InspectionSummary> {
        let mut latest = HashMap::new();
        for inspection in &self.inspections {
            if inspection.outcome.is_some() {
                latest.entry(inspection.area.slug.as_str()).or_insert(inspection);
            }
        }
        latest
    }

    /// Inspections by framework and outcome: the national picture.
    pub fn outcome_counts(&self) -> BTreeMap<Framework, BTreeMap<Outcome, usize>> {
        let mut counts: BTreeMap<Framework, BTreeMap<Outcome, usize>> = BTreeMap::new();
        for inspection in &self.inspections {
            if let (Some(framework), Some(outcome)) = (inspection.framework, inspection.outcome) {
                *counts.entry(framework).or_default().entry(outcome).or_default() += 1;
            }
        }
        counts
    }
}

/// The summary of a record, as ingest stores it: one [`ReportSummary`] per
/// [`Record::reports`] (always at least one).
pub fn summarise(record: &Record) -> ArticleSummary {
    let published_year = record.published.and_then(|d| d.year);
    let reports = record
        .reports()
        .into_iter()
        .map(|report| {
            let inspection = report.inspection;
            let mut themes: Vec<(Theme, Polarity)> =
                report.themes.iter().map(|t| (t.id, t.polarity)).collect();
            themes.dedup();
            ReportSummary {
                area: report.area.map(|a| AreaSummary {
                    slug: a.slug.clone(),
                    name: a.name.clone(),
                    code: a.code.clone(),
                    region: a.region.clone(),
                }),
                framework: inspection.framework,
                kind: inspection.kind,
                outcome: inspection.outcome,
                visit_start: inspection.visit_start,
                visit_end: inspection.visit_end,
                report_published: inspection.report_published,
                themes,
                quotes: report.quotes.len(),
                year: inspection.visit_start.and_then(|d| d.year).or(published_year),
                inspection: None,
            }
        })
        .collect();
    ArticleSummary {
        slug: record.slug.clone(),
        former_slugs: record.former_slugs.clone(),
        title: record.title.clone(),
        published: record.published,
        source: record.source.name.clone(),
        source_url: record.source.url.clone(),
        roundup: record.is_roundup(),
        reports,
        quotes: record.quotes.len(),
        year: record.year(),
        sort_key: record.sort_date().and_then(|d| d.sort_key()).unwrap_or(i64::MIN),
    }
}

/// The key that groups reports into one inspection; `None` for a report with no area or
/// no sign of an inspection.
fn inspection_key(report: &ReportSummary) -> Option<String> {
    let area = report.area.as_ref()?;
    if report.framework.is_none() && report.outcome.is_none() && report.visit_start.is_none() {
        return None;
    }
    let framework = report.framework.map_or("unknown", |f| f.code());
    let kind = report.kind.map_or(Kind::Full.code(), |k| k.code());
    let when = match report.visit_start.filter(|d| d.year.is_some()) {
        Some(visit) => visit.to_string(),
        None => format!(
            "{}-{}",
            report.outcome.map_or("unknown", |o| o.code()),
            report.year.map_or("undated".to_string(), |y| y.to_string())
        ),
    };
    Some(format!("{}-{framework}-{kind}-{when}", area.slug))
}

/// One inspection from its members: (article, report) pairs, newest article first.
fn inspection(
    id: String,
    members: &[(usize, usize)],
    articles: &[ArticleSummary],
) -> InspectionSummary {
    let report = |&(a, r): &(usize, usize)| &articles[a].reports[r];
    let first = report(&members[0]);
    let pick = |f: &dyn Fn(&ReportSummary) -> Option<PartialDate>| {
        // The most precise date any article gives.
        members
            .iter()
            .filter_map(|m| f(report(m)))
            .max_by_key(|d| (d.year.is_some(), d.month.is_some(), d.day.is_some()))
    };
    let mut outcome_votes: BTreeMap<Outcome, usize> = BTreeMap::new();
    for member in members {
        if let Some(outcome) = report(member).outcome {
            *outcome_votes.entry(outcome).or_default() += 1;
        }
    }
    let outcome = outcome_votes.into_iter().max_by_key(|(_, n)| *n).map(|(o, _)| o);
    let visit_start = pick(&|r| r.visit_start);
    let sort_key = visit_start
        .and_then(|d| d.sort_key())
        .or_else(|| members.iter().map(|&(a, _)| articles[a].sort_key).max())
        .unwrap_or(i64::MIN);
    let mut article_list: Vec<usize> = members.iter().map(|&(a, _)| a).collect();
    // A round-up that named the same area twice is still one article.
    article_list.dedup();
    InspectionSummary {
        id: crate::extract::slug::slugify(&id),
        area: first.area.clone().expect("grouped reports have an area"),
        framework: first.framework,
        kind: Some(first.kind.unwrap_or(Kind::Full)),
        outcome,
        visit_start,
        visit_end: pick(&|r| r.visit_end),
        report_published: pick(&|r| r.report_published),
        year: visit_start.and_then(|d| d.year).or(first.year),
        articles: article_list,
        sort_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing;

    #[test]
    fn an_ordinary_article_has_one_report() {
        let summary = summarise(&testing::single());
        assert!(!summary.roundup);
        assert_eq!(summary.reports.len(), 1);
        let report = summary.report();
        assert_eq!(report.area.as_ref().map(|a| a.slug.as_str()), Some("dudley"));
        assert_eq!(report.outcome, Some(Outcome::Inconsistent));
        assert_eq!(report.themes, [(Theme::WaitingTimes, Polarity::Improvement)]);
        assert_eq!((report.quotes, summary.quotes), (1, 1));
        assert_eq!(report.year, Some(2025));
    }

    #[test]
    fn a_roundup_has_a_report_per_area_in_article_order() {
        let summary = summarise(&testing::roundup());
        assert!(summary.roundup);
        let areas: Vec<&str> = summary.areas().map(|a| a.slug.as_str()).collect();
        assert_eq!(areas, ["norfolk", "suffolk", "kent"]);
        let suffolk = summary.report_for("suffolk").expect("Suffolk's report");
        assert_eq!(suffolk.outcome, Some(Outcome::Inconsistent));
        assert_eq!(suffolk.themes, [(Theme::WaitingTimes, Polarity::Improvement)]);
        assert_eq!(suffolk.quotes, 1);
        assert_eq!(suffolk.year, Some(2025));
        assert_eq!(summary.report_for("kent").and_then(|r| r.year), Some(2024));
        assert!(summary.report_for("dudley").is_none());
        assert_eq!(summary.quotes, 3, "the article's quotes, all of them");
        // The summary survives the JSON it is stored as.
        let json = serde_json::to_string(&summary).unwrap();
        let back: ArticleSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(back.reports.len(), 3);
        assert!(back.roundup);
    }

    #[test]
    fn a_roundup_is_one_inspection_per_area_and_seen_from_each() {
        let catalogue = Catalogue::build([testing::single(), testing::roundup()]);
        assert_eq!(catalogue.articles.len(), 2);
        assert_eq!(catalogue.inspections.len(), 4, "Dudley's, and one per round-up area");
        let roundup = catalogue.article("three-councils-told-to-improve").unwrap();
        for slug in ["norfolk", "suffolk", "kent"] {
            let inspections = catalogue.area_inspections(slug);
            assert_eq!(inspections.len(), 1, "{slug}");
            let inspection = inspections[0];
            assert_eq!(inspection.area.slug, slug);
            let row = catalogue.row(&roundup.slug).unwrap();
            assert_eq!(inspection.articles, [row]);
            // The report knows its inspection, and the inspection its facts.
            let report = roundup.report_for(slug).unwrap();
            assert_eq!(
                report.inspection.map(|i| &catalogue.inspections[i].id),
                Some(&inspection.id)
            );
            assert_eq!(inspection.outcome, report.outcome);
            assert_eq!(inspection.visit_start, report.visit_start);
            let articles = catalogue.area_articles(slug);
            assert_eq!(articles.len(), 1);
            assert_eq!(articles[0].slug, roundup.slug);
        }
        assert_eq!(catalogue.area_articles("dudley").len(), 1);
        let latest = catalogue.latest_outcomes();
        assert_eq!(latest["norfolk"].outcome, Some(Outcome::Positive));
        assert_eq!(latest["kent"].outcome, Some(Outcome::SystemicFailings));
        let counts = catalogue.outcome_counts();
        let f2023 = &counts[&Framework::F2023];
        assert_eq!(f2023[&Outcome::Inconsistent], 2, "Dudley and Suffolk");
        assert_eq!(f2023[&Outcome::Positive], 1);
        assert_eq!(f2023[&Outcome::SystemicFailings], 1);
        let per_area = catalogue.article_counts();
        assert_eq!((per_area["norfolk"], per_area["dudley"]), (1, 1));
        // Newest first: Norfolk's visit (February 2025) before Dudley's (January 2025).
        let order: Vec<&str> = catalogue.inspections.iter().map(|i| i.area.slug.as_str()).collect();
        assert_eq!(order, ["norfolk", "dudley", "suffolk", "kent"]);
    }

    #[test]
    fn a_roundup_and_an_article_about_one_of_its_areas_share_the_inspection() {
        let mut norfolk = testing::single();
        norfolk.slug = "norfolk-positive".into();
        norfolk.area = Some(testing::area("norfolk"));
        norfolk.inspection = testing::inspection((2025, 2, 3), Some(Outcome::Positive));
        let catalogue = Catalogue::build([norfolk, testing::roundup()]);
        let inspections = catalogue.area_inspections("norfolk");
        assert_eq!(inspections.len(), 1);
        assert_eq!(inspections[0].articles.len(), 2, "both articles report it");
    }
}
