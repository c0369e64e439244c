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

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::extract::{Framework, Kind, Outcome, PartialDate, Polarity, Record, Theme};

/// One article, summarised. Ingest stores it beside the record (see
/// [`Fields::summary`](super::schema::Fields::summary)), so the catalogue is built without
/// reading any record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleSummary {
    /// Permalink slug.
    pub slug: String,
    /// Slugs it had before, which redirect to `slug`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_slugs: Vec<String>,
    /// Headline.
    pub title: String,
    /// The area's slug, name, ONS code and region.
    pub area: Option<AreaSummary>,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// The publisher.
    pub source: Option<String>,
    /// The original address.
    pub source_url: Option<String>,
    /// Framework, kind, outcome and dates of the inspection reported.
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
    /// Themes and their polarity.
    pub themes: Vec<(Theme, Polarity)>,
    /// How many quotes it has.
    pub quotes: usize,
    /// The index of the inspection it reports, in [`Catalogue::inspections`].
    pub inspection: Option<usize>,
    /// The year it is filed under.
    pub year: Option<i32>,
    /// Days since 1970 of its date, for sorting; `i64::MIN` when unknown.
    pub sort_key: i64,
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

        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, article) in articles.iter().enumerate() {
            if let Some(key) = inspection_key(article) {
                groups.entry(key).or_default().push(i);
            }
        }
        let mut inspections: Vec<InspectionSummary> =
            groups.into_iter().map(|(id, members)| inspection(id, members, &articles)).collect();
        inspections.sort_by(|a, b| b.sort_key.cmp(&a.sort_key).then_with(|| a.id.cmp(&b.id)));
        let mut by_area: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, inspection) in inspections.iter().enumerate() {
            by_area.entry(inspection.area.slug.clone()).or_default().push(i);
            for &a in &inspection.articles {
                articles[a].inspection = Some(i);
            }
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
        Catalogue { articles, inspections, sources, by_slug, by_area }
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

    /// The articles of an area, newest first.
    pub fn area_articles(&self, area_slug: &str) -> Vec<&ArticleSummary> {
        self.articles
            .iter()
            .filter(|a| a.area.as_ref().is_some_and(|x| x.slug == area_slug))
            .collect()
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

/// The summary of a record, as ingest stores it.
pub fn summarise(record: &Record) -> ArticleSummary {
    let inspection = &record.inspection;
    let mut themes: Vec<(Theme, Polarity)> =
        record.themes.iter().map(|t| (t.id, t.polarity)).collect();
    themes.dedup();
    ArticleSummary {
        slug: record.slug.clone(),
        former_slugs: record.former_slugs.clone(),
        title: record.title.clone(),
        area: record.area.as_ref().map(|a| AreaSummary {
            slug: a.slug.clone(),
            name: a.name.clone(),
            code: a.code.clone(),
            region: a.region.clone(),
        }),
        published: record.published,
        source: record.source.name.clone(),
        source_url: record.source.url.clone(),
        framework: inspection.framework,
        kind: inspection.kind,
        outcome: inspection.outcome,
        visit_start: inspection.visit_start,
        visit_end: inspection.visit_end,
        report_published: inspection.report_published,
        themes,
        quotes: record.quotes.len(),
        inspection: None,
        year: record.year(),
        sort_key: record.sort_date().and_then(|d| d.sort_key()).unwrap_or(i64::MIN),
    }
}

/// The key that groups articles into one inspection; `None` for an article with no area or
/// no sign of an inspection.
fn inspection_key(article: &ArticleSummary) -> Option<String> {
    let area = article.area.as_ref()?;
    if article.framework.is_none() && article.outcome.is_none() && article.visit_start.is_none() {
        return None;
    }
    let framework = article.framework.map_or("unknown", |f| f.code());
    let kind = article.kind.map_or(Kind::Full.code(), |k| k.code());
    let when = match article.visit_start.filter(|d| d.year.is_some()) {
        Some(visit) => visit.to_string(),
        None => format!(
            "{}-{}",
            article.outcome.map_or("unknown", |o| o.code()),
            article.year.map_or("undated".to_string(), |y| y.to_string())
        ),
    };
    Some(format!("{}-{framework}-{kind}-{when}", area.slug))
}

fn inspection(id: String, members: Vec<usize>, articles: &[ArticleSummary]) -> InspectionSummary {
    let first = &articles[members[0]];
    let pick = |f: &dyn Fn(&ArticleSummary) -> Option<PartialDate>| {
        // The most precise date any article gives.
        members
            .iter()
            .filter_map(|&i| f(&articles[i]))
            .max_by_key(|d| (d.year.is_some(), d.month.is_some(), d.day.is_some()))
    };
    let mut outcome_votes: BTreeMap<Outcome, usize> = BTreeMap::new();
    for &i in &members {
        if let Some(outcome) = articles[i].outcome {
            *outcome_votes.entry(outcome).or_default() += 1;
        }
    }
    let outcome = outcome_votes.into_iter().max_by_key(|(_, n)| *n).map(|(o, _)| o);
    let visit_start = pick(&|a| a.visit_start);
    let sort_key = visit_start
        .and_then(|d| d.sort_key())
        .or_else(|| members.iter().map(|&i| articles[i].sort_key).max())
        .unwrap_or(i64::MIN);
    InspectionSummary {
        id: crate::extract::slug::slugify(&id),
        area: first.area.clone().expect("grouped articles have an area"),
        framework: first.framework,
        kind: Some(first.kind.unwrap_or(Kind::Full)),
        outcome,
        visit_start,
        visit_end: pick(&|a| a.visit_end),
        report_published: pick(&|a| a.report_published),
        year: visit_start.and_then(|d| d.year).or(first.year),
        articles: members,
        sort_key,
    }
}
