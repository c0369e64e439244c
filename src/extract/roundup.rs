//! Round-ups: articles that report several local areas' inspections at once ("Three East of
//! England areas receive their SEND inspection results"), each with its own outcome, dates,
//! findings and quotes.
//!
//! A careful reader of a round-up follows the article area by area: a paragraph, heading or
//! list item that names an area in its first sentence starts that area's part, and the
//! paragraphs after it belong to the same area until another area's part starts. This module
//! does the same ([`sections`]): each area's part is the paragraphs from one such opening to
//! the next, and the paragraphs before the first opening are the introduction, shared by all.
//!
//! The article is a round-up only when at least two areas' parts each state an outcome of
//! their own, read by the same outcome rules as any article (so an earlier inspection's
//! result, a neighbour named as a comparison, or national statistics are still not an
//! outcome). An area whose part gives neither an outcome nor a visit is just mentioned, not
//! reported, and is left out. Everything else about an ordinary article, one area with a
//! neighbour or two in passing, stays as it was: [`find`] returns nothing for it.
//!
//! Each area's facts are read from its own part: outcome, visit and findings from the part
//! alone; framework, kind and the report's publication date from the part, else from the
//! whole article (an introduction usually says which framework, and when the reports came
//! out, for all of them). Quotes are the article's, each given to the area whose part it
//! stands in (a quote in the introduction belongs to none).

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::area::{Gazetteer, LocalArea};
use super::model::{Framework, Kind, Outcome, PartialDate};
use super::sentences::sentence_spans;
use super::{dates, inspection, themes};

/// One row of `rules/roundup.tsv`.
#[derive(Debug, Deserialize)]
struct CueRow {
    list: String,
    word: String,
}

/// The lists of `rules/roundup.tsv`, as whole-word, case-insensitive patterns.
struct Cues {
    /// A headline word for several areas ("councils", "three", "round-up").
    collective: Regex,
    /// A sentence's mark of an earlier inspection ("when it was inspected last year").
    earlier: Regex,
}

static CUES: LazyLock<Cues> = LazyLock::new(|| {
    let rows: Vec<CueRow> = super::rules::table("roundup.tsv", include_str!("rules/roundup.tsv"));
    let pattern = |list: &str| {
        let words: Vec<String> = rows
            .iter()
            .filter(|r| r.list == list)
            .map(|r| regex::escape(&r.word).replace(' ', r"\s+"))
            .collect();
        Regex::new(&format!(r"(?i)\b(?:{})\b", words.join("|"))).expect("escaped words")
    };
    Cues { collective: pattern("collective"), earlier: pattern("earlier") }
});

/// The words a heading may have: a paragraph this short that names an area is a heading
/// ("Norfolk", "North Yorkshire: inconsistent") and starts that area's part.
const HEADING_WORDS: usize = 6;

/// One area's part of an article: the paragraphs (by index, in order) that report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'g> {
    /// The area.
    pub area: &'g LocalArea,
    /// The paragraphs of its part, in article order.
    pub paragraphs: Vec<usize>,
}

/// What a round-up says about one area: its inspection facts read from its part, and the
/// findings in that part (with article paragraph numbers).
#[derive(Debug, Clone)]
pub struct AreaFacts<'g> {
    /// The area and its paragraphs.
    pub section: Section<'g>,
    /// Framework, kind and outcome, with their evidence and rules.
    pub facts: inspection::InspectionFacts,
    /// The visit, when the part gives one.
    pub visit: Option<dates::Visit>,
    /// When the report was published, when the part (or else the article) says.
    pub report_published: Option<dates::DateFinding>,
    /// The findings in the part.
    pub themes: Vec<themes::ThemeFinding>,
    /// How the area's part was recognised (the paragraph that starts it, and its length), for
    /// `extract --explain`.
    pub rule: String,
}

/// The article-wide facts a round-up's areas fall back on.
#[derive(Debug, Clone, Copy)]
pub struct ArticleFacts<'a> {
    /// The article's date, which year-less dates are read against.
    pub published: Option<PartialDate>,
    /// The framework the whole article points to.
    pub framework: Option<Framework>,
    /// The kind of inspection the whole article points to.
    pub kind: Option<Kind>,
    /// When the reports were published, as the whole article says.
    pub report_published: Option<&'a dates::DateFinding>,
}

/// The areas an article reports one by one, each with its part, in the order their parts
/// start. Areas whose part never starts (only mentioned within another's) are not listed.
pub fn sections<'g>(
    gazetteer: &'g Gazetteer,
    paragraphs: &[String],
    date: Option<PartialDate>,
) -> Vec<Section<'g>> {
    let mut sections: Vec<Section<'g>> = Vec::new();
    let mut current: Option<usize> = None;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        match opening(gazetteer, paragraph, date) {
            Opening::Area(area) => {
                current = Some(match sections.iter().position(|s| s.area.code == area.code) {
                    Some(at) => at,
                    None => {
                        sections.push(Section { area, paragraphs: Vec::new() });
                        sections.len() - 1
                    }
                });
            }
            Opening::Several => current = None,
            Opening::None => {}
        }
        if let Some(at) = current {
            sections[at].paragraphs.push(index);
        }
    }
    sections
}

/// What a paragraph's first sentence does to the parts.
enum Opening<'g> {
    /// It names one area outright: that area's part starts (or resumes) here.
    Area(&'g LocalArea),
    /// It names several areas together ("Bolton, Bury and Wigan were all inspected in
    /// March"): it speaks of them all, so it and the paragraphs after it belong to no one
    /// area until another part starts.
    Several,
    /// It names none: the paragraph continues the current part.
    None,
}

/// Reads a paragraph's first sentence (a short paragraph, such as a heading or a list item's
/// lead, counts as one sentence) for the areas it names outright.
fn opening<'g>(
    gazetteer: &'g Gazetteer,
    paragraph: &str,
    date: Option<PartialDate>,
) -> Opening<'g> {
    let mut named = gazetteer.named_in(paragraph, date);
    if named.is_empty() {
        return Opening::None;
    }
    // Only now is the first sentence worth finding: most paragraphs name no area.
    if paragraph.split_whitespace().count() > HEADING_WORDS {
        let first_end = sentence_spans(paragraph).first().map_or(paragraph.len(), |&(_, end)| end);
        named.retain(|&(at, _)| at < first_end);
    }
    match named.first() {
        None => Opening::None,
        Some(&(_, first)) if named.iter().all(|(_, area)| area.code == first.code) => {
            Opening::Area(first)
        }
        Some(_) => Opening::Several,
    }
}

/// The round-up's areas, each with its own facts; empty when the article is not a round-up
/// (fewer than two areas' parts state an outcome of their own).
pub fn find<'g>(
    gazetteer: &'g Gazetteer,
    title: Option<&str>,
    paragraphs: &[String],
    article: ArticleFacts<'_>,
) -> Vec<AreaFacts<'g>> {
    // A headline about one area, with no word of several, says what the article is about.
    if let Some(title) = title {
        let named = gazetteer.named_in(title, article.published);
        if named.first().is_some_and(|&(_, first)| named.iter().all(|(_, a)| a.code == first.code))
            && !CUES.collective.is_match(title)
        {
            return Vec::new();
        }
    }
    let sections = sections(gazetteer, paragraphs, article.published);
    if sections.len() < 2 {
        return Vec::new();
    }
    // The whole article's report date serves every area only when it is said for all of them
    // (outside any one area's part).
    let shared_report = article
        .report_published
        .filter(|r| !sections.iter().any(|s| s.paragraphs.contains(&r.evidence.paragraph)));
    let mut found: Vec<AreaFacts<'g>> = Vec::new();
    for section in sections {
        // The part's own paragraphs, as a text of their own; indexes map back through
        // `section.paragraphs`.
        let part: Vec<String> = section.paragraphs.iter().map(|&i| paragraphs[i].clone()).collect();
        let to_article = |i: usize| section.paragraphs.get(i).copied().unwrap_or(i);
        let mut visit = dates::find_visit(None, &part, article.published);
        let mut facts = inspection::find(None, &part, visit.as_ref(), article.published);
        // "Walsall was found to have inconsistent experiences when it was inspected last
        // year": an earlier result, given as context.
        if facts.outcome_evidence.as_ref().is_some_and(|e| CUES.earlier.is_match(&e.sentence)) {
            facts.outcome = None;
            facts.outcome_evidence = None;
            facts.outcome_rule = None;
        }
        if facts.outcome.is_none() && visit.is_none() {
            continue;
        }
        if let Some(visit) = &mut visit {
            visit.evidence.paragraph = to_article(visit.evidence.paragraph);
        }
        for evidence in
            [&mut facts.framework_evidence, &mut facts.outcome_evidence].into_iter().flatten()
        {
            evidence.paragraph = to_article(evidence.paragraph);
        }
        if facts.framework.is_none() && article.framework.is_some() {
            facts.framework = article.framework;
            facts.framework_rule = Some("the article's framework, for all its areas".into());
        }
        // An outcome of the other framework than the article's says which this one is.
        if let (Some(outcome), Some(framework)) = (facts.outcome, facts.framework)
            && outcome.framework().is_some_and(|f| f != framework)
        {
            facts.framework = outcome.framework();
            facts.framework_rule = Some(format!("the outcome {outcome} belongs to it"));
        }
        // The part's kind, unless it is only the default of an outcome without a kind cue:
        // then the article's, where it fits the part's outcome.
        let part_kind_is_default = facts.kind.is_none() || facts.kind == Some(Kind::Full);
        if part_kind_is_default
            && let Some(kind) =
                article.kind.filter(|k| Some(*k) != facts.kind && outcome_fits(facts.outcome, *k))
        {
            facts.kind = Some(kind);
            facts.kind_rule = Some("the article's kind of inspection, for all its areas".into());
        }
        let report_published =
            dates::find_report_published(&part, article.published, visit.as_ref())
                .map(|mut found| {
                    found.evidence.paragraph = to_article(found.evidence.paragraph);
                    found
                })
                .or_else(|| shared_report.cloned());
        let themes = themes::find(&part)
            .into_iter()
            .map(|mut t| {
                t.evidence.paragraph = to_article(t.evidence.paragraph);
                t
            })
            .collect();
        let opening = section.paragraphs.first().copied().unwrap_or(0);
        let rule = format!(
            "round-up: {} named first in ¶{}, which starts its part ({} paragraphs)",
            section.area.name,
            opening + 1,
            section.paragraphs.len()
        );
        found.push(AreaFacts { section, facts, visit, report_published, themes, rule });
    }
    if found.iter().filter(|a| a.facts.outcome.is_some()).count() < 2 {
        return Vec::new();
    }
    found
}

/// Whether an area's outcome can be that of an inspection of this kind (a progress outcome
/// belongs to a revisit or monitoring inspection, the others to a full inspection).
fn outcome_fits(outcome: Option<Outcome>, kind: Kind) -> bool {
    let progress =
        matches!(outcome, Some(Outcome::SufficientProgress | Outcome::InsufficientProgress));
    match outcome {
        None => true,
        Some(_) => progress == (kind != Kind::Full),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_string).collect()
    }

    fn names(sections: &[Section]) -> Vec<(String, Vec<usize>)> {
        sections.iter().map(|s| (s.area.name.clone(), s.paragraphs.clone())).collect()
    }

    #[test]
    fn parts_start_where_an_area_is_named_first() {
        let text = "Three councils learned their results this week.\n\n\
                    Norfolk\n\n\
                    Inspectors found inconsistent experiences.\n\n\
                    In Suffolk, inspectors found widespread and/or systemic failings.\n\n\
                    They said plans were late, unlike in Norfolk.\n\n\
                    - Kent: positive experiences and outcomes.\n\n\
                    Norfolk, Suffolk and Kent must now publish their plans.\n\n\
                    The reports are online.";
        let got = sections(Gazetteer::builtin(), &paras(text), None);
        assert_eq!(
            names(&got),
            [
                ("Norfolk".to_string(), vec![1, 2]),
                ("Suffolk".to_string(), vec![3, 4]),
                ("Kent".to_string(), vec![5]),
            ]
        );
    }

    #[test]
    fn an_introduction_naming_every_area_belongs_to_none() {
        let text = "Inspectors visited Bolton, Bury and Wigan in March.\n\n\
                    Bolton was found to have widespread and/or systemic failings.\n\n\
                    In Bury, arrangements typically lead to positive experiences and outcomes, after a visit from 11 to 15 March.";
        let date = PartialDate::new(Some(2024), Some(5), Some(1));
        let article =
            ArticleFacts { published: date, framework: None, kind: None, report_published: None };
        let got = find(Gazetteer::builtin(), None, &paras(text), article);
        let summary: Vec<(&str, Option<Outcome>, bool)> = got
            .iter()
            .map(|a| (a.section.area.name.as_str(), a.facts.outcome, a.visit.is_some()))
            .collect();
        assert_eq!(
            summary,
            [
                ("Bolton", Some(Outcome::SystemicFailings), false),
                ("Bury", Some(Outcome::Positive), true)
            ]
        );
    }

    #[test]
    fn neighbours_results_as_context_are_not_a_round_up() {
        let text = "Dudley's arrangements typically lead to positive experiences and outcomes, inspectors found after visiting between 3 and 7 February.\n\n\
                    Walsall was found to have inconsistent experiences and outcomes when it was inspected last year.\n\n\
                    Sandwell received the lowest outcome in 2023.";
        let date = PartialDate::new(Some(2025), Some(4), Some(3));
        let article =
            ArticleFacts { published: date, framework: None, kind: None, report_published: None };
        let gazetteer = Gazetteer::builtin();
        // The headline is about Dudley alone.
        let title = Some("Dudley SEND services rated among the best");
        assert!(find(gazetteer, title, &paras(text), article).is_empty());
        // Without it, Walsall's result is an earlier one; Sandwell's year alone does not say so.
        let got = find(gazetteer, None, &paras(text), article);
        let areas: Vec<(&str, Option<Outcome>)> =
            got.iter().map(|a| (a.section.area.name.as_str(), a.facts.outcome)).collect();
        assert_eq!(
            areas,
            [("Dudley", Some(Outcome::Positive)), ("Sandwell", Some(Outcome::SystemicFailings))]
        );
        // A headline for several areas lets the parts speak.
        let title = Some("Dudley and Sandwell councils learn SEND results");
        assert_eq!(find(gazetteer, title, &paras(text), article).len(), 2);
    }

    #[test]
    fn every_cue_list_is_known() {
        let rows: Vec<CueRow> =
            crate::extract::rules::table("roundup.tsv", include_str!("rules/roundup.tsv"));
        assert!(rows.iter().all(|r| ["collective", "earlier"].contains(&r.list.as_str())));
        assert!(CUES.collective.is_match("Three councils told to improve"));
        assert!(!CUES.collective.is_match("Dudley: three things inspectors found"));
        assert!(CUES.earlier.is_match("when it was inspected last year"));
    }

    #[test]
    fn a_report_date_given_for_all_serves_all_and_one_areas_serves_that_area() {
        let gazetteer = Gazetteer::builtin();
        let date = PartialDate::new(Some(2024), Some(7), Some(1));
        let check = |text: &str, want: [Option<&str>; 2]| {
            let paragraphs = paras(text);
            let whole = dates::find_report_published(&paragraphs, date, None);
            let article = ArticleFacts {
                published: date,
                framework: None,
                kind: None,
                report_published: whole.as_ref(),
            };
            let got: Vec<Option<String>> = find(gazetteer, None, &paragraphs, article)
                .iter()
                .map(|a| a.report_published.as_ref().map(|r| r.date.to_string()))
                .collect();
            let want: Vec<Option<String>> = want.iter().map(|w| w.map(str::to_string)).collect();
            assert_eq!(got, want, "{text}");
        };
        check(
            "The reports were published on 10 June.\n\n\
             Bradford was found to have widespread and/or systemic failings.\n\n\
             Kirklees's arrangements lead to inconsistent experiences and outcomes.",
            [Some("2024-06-10"), Some("2024-06-10")],
        );
        check(
            "Bradford was found to have widespread and/or systemic failings. Its report was published on 10 June.\n\n\
             Kirklees's arrangements lead to inconsistent experiences and outcomes.",
            [Some("2024-06-10"), None],
        );
    }

    #[test]
    fn a_neighbour_in_passing_is_not_a_round_up() {
        let text = "Inspectors found that Dudley's arrangements lead to inconsistent experiences and outcomes for children with SEND.\n\n\
                    The visit took place between 6 and 10 March.\n\n\
                    Unlike neighbouring Sandwell, which was found to have widespread and/or systemic failings last year, the borough has no priority action.\n\n\
                    Sandwell Council said in 2022 that it had a plan.";
        let date = PartialDate::new(Some(2023), Some(5), Some(1));
        let article =
            ArticleFacts { published: date, framework: None, kind: None, report_published: None };
        assert!(find(Gazetteer::builtin(), None, &paras(text), article).is_empty());
    }

    #[test]
    fn each_area_gets_its_own_outcome_and_visit() {
        let text = "Two areas in the region have had their SEND inspection reports published.\n\n\
                    In Bradford, the local area partnership's arrangements lead to inconsistent experiences and outcomes, inspectors said after visiting from 4 to 8 March.\n\n\
                    Inspectors praised the local offer.\n\n\
                    Kirklees was found to have widespread and/or systemic failings after a visit between 11 and 15 March.\n\n\
                    Waits for autism assessments were too long.";
        let date = PartialDate::new(Some(2024), Some(5), Some(1));
        let article =
            ArticleFacts { published: date, framework: None, kind: None, report_published: None };
        let got = find(Gazetteer::builtin(), None, &paras(text), article);
        let summary: Vec<(String, Option<Outcome>, String)> = got
            .iter()
            .map(|a| {
                let visit = a.visit.as_ref().map(|v| v.start.to_string()).unwrap_or_default();
                (a.section.area.name.clone(), a.facts.outcome, visit)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Bradford".to_string(), Some(Outcome::Inconsistent), "2024-03-04".to_string()),
                ("Kirklees".to_string(), Some(Outcome::SystemicFailings), "2024-03-11".to_string()),
            ]
        );
        assert!(got[0].themes.iter().all(|t| t.evidence.paragraph == 2), "{:?}", got[0].themes);
        assert!(got[1].themes.iter().all(|t| t.evidence.paragraph == 4), "{:?}", got[1].themes);
        assert!(!got[1].themes.is_empty());
    }
}
