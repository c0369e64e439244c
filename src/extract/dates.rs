//! Dates as articles give them: the Article's own publication date, the Inspection's visit,
//! and the day the inspection report was published.
//!
//! Dates are kept as partial as the text leaves them (`--01-20`, `2018-03`, `--03`), read in
//! UK day/month order, and a missing year is inferred only from the Article itself: its
//! publication date (the `published` argument), "this year", "last year", "last November",
//! "December that year" (the year the text named last), or a "March 2022" earlier in the same
//! sentence for a later "14 to 18 March". A month after the publication month is taken to be
//! in the previous year. Today's date is never used.
//!
//! Forms read: ISO dates, UK numeric dates and ranges (`06/03/2024`), ordinals and weekdays
//! ("Monday 1 July to Friday 5 July", "Tuesday 2nd September 2025"), day and month ranges
//! across months ("30 January to 3 February"), ranges of months ("across April and May this
//! year"), a month alone after a preposition ("in March", "at the end of January", "in early
//! October"), "the week of" / "w/c". Relative phrases with no month ("3 days ago",
//! "yesterday", "last week") never give a date: turning them into days would be a guess. A
//! visit given by its first day alone ("the week of 12 July") ends on the day the Article says
//! it "ended on", when it says so. An announced visit ("will inspect ... from 23 to 27
//! January") gives the visit's dates; other dates after "will" are future or deadline dates
//! and are passed over. Dates of an earlier inspection, the notification call, another
//! service's separate inspection or a neighbouring area are passed over. Two-digit years
//! ("06/03/24") are not read.
//!
//! No finding is impossible: a range never ends before it starts, and the report's
//! publication date is never another area's or before the visit's start. Every finding
//! carries a `rule` naming the cue and the date words, for `extract --explain`.
//!
//! Left to others: finding the publication date in page metadata (callers pass the meta
//! tag's text to [`parse_date_text`]), the LocalArea, and the Inspection's framework and
//! Outcome (the `inspection` module).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::model::{Evidence, PartialDate};
use super::sentences::sentence_spans;
use crate::corpus::slicing::ceil_char_boundary;

/// A date the Article's text gives about itself or the report, with the line or sentence it
/// was read from and the rule that read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFinding {
    /// The date, as partial as the text leaves it.
    pub date: PartialDate,
    /// The line (dateline) or sentence it was read from.
    pub evidence: Evidence,
    /// The rule: `a dateline: one part of the line is a date`, `"published" ... in the sentence`.
    pub rule: String,
}

/// The inspection visit as an Article gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The first day (or month) of the visit.
    pub start: PartialDate,
    /// The last day (or month) of the visit; equal to `start` when one date or month is given.
    pub end: PartialDate,
    /// The phrase as written: "Between January 20 and January 24", "in March".
    pub text: String,
    /// The sentence the visit was read from.
    pub evidence: Evidence,
    /// The rule that read it, naming the cue and the date words: `visit cue "took place" in
    /// the sentence; date "in March"; year from the article's date`.
    pub rule: String,
}

/// The month names, full or abbreviated, capitalised as news text writes them. Lower-case
/// "may" and "march" are verbs, so months must start with a capital.
const MON: &str = r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))";
/// Full month names only: a bare "Jan" or "June" is too often a person.
const MON_FULL: &str =
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b";
/// A day of the month, with an optional ordinal suffix.
const DAY: &str = r"\d{1,2}(?:st|nd|rd|th)?\b";
/// A four-digit year in the range articles can mean.
const YEAR: &str = r"(?:19|20)\d{2}\b";
/// A weekday before a day of the month: "Monday 1 July", "Fri. 5 July", "Tuesday, 2nd".
const WEEKDAY: &str =
    r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)";
/// What joins the two ends of a range.
const SEP: &str = r"\s*(?:-|–|—|(?i:to|and|until|till|through))\s*";

/// Every form of date mention, anchored, as two regexes: the forms that start with a digit
/// and those that start with a month name (a smaller regex runs much faster, and no form
/// could match at the other kind of start). They are run only at the places [`mentions`]
/// finds where a date can start, which is much faster than scanning whole paragraphs with
/// them. The alternatives are tried in order (leftmost-first), so ranges win over the single
/// dates they start with.
static MENTION_DIGIT: LazyLock<MentionRegex> = LazyLock::new(|| {
    MentionRegex::new(
        r"(?x)
      ^(?:
        # ISO date, possibly the date part of a timestamp.
        \b(?P<iy>YEAR)-(?P<im>\d{2})-(?P<id>\d{2})
        # UK numeric range, day first: between 04/03/2025 and 06/03/2025.
      | \b(?P<rd1>\d{1,2})[/.](?P<rm1>\d{1,2})[/.](?P<ry1>YEAR)SEP(?P<rd2>\d{1,2})[/.](?P<rm2>\d{1,2})[/.](?P<ry2>YEAR)
        # UK numeric date, day first.
      | \b(?P<nd>\d{1,2})[/.](?P<nm>\d{1,2})[/.](?P<ny>YEAR)
        # Day-first range: 6 to 10 March 2023, 30 January to 3 February.
      | \b(?P<ad1>DAY)(?:(?:\s+of)?\s+(?P<am1>MON)(?:,?\s+(?P<ay1>YEAR))?)?SEPWKD?(?P<ad2>DAY)(?:\s+of)?\s+(?P<am2>MON)(?:,?\s+(?P<ay2>YEAR))?
        # Single day first: 16th May 2018, 9 June.
      | \b(?P<cd>DAY)(?:\s+of)?\s+(?P<cm>MON)(?:,?\s+(?P<cy>YEAR))?
        # A bare year: in 2022 (the caller asks for the preposition).
      | \b(?P<gy>YEAR)
      )
    ",
    )
});

/// The forms of [`MENTION_DIGIT`]'s sibling that start with a month name.
static MENTION_MONTH: LazyLock<MentionRegex> = LazyLock::new(|| {
    MentionRegex::new(
        r"(?x)
      ^(?:
        # Month-first range: January 20 and January 24, January 20-24, 2023.
        \b(?P<bm1>MON)\s+(?P<bd1>DAY)SEPWKD?(?:(?P<bm2>MON)\s+)?(?P<bd2>DAY)(?:,?\s+(?P<by>YEAR))?
        # Single month first: January 3, 2018.
      | \b(?P<dm>MON)\s+(?P<dd>DAY)(?:,?\s+(?P<dy>YEAR))?
        # A range of months: February and March 2018, April to May, December 2023 to January 2024.
      | \b(?P<hm1>MON_FULL)(?:,?\s+(?P<hy1>YEAR))?\s*(?:-|–|—|(?i:to|and|until|till|through|into))\s*(?P<hm2>MON_FULL)(?:,?\s+(?P<hy2>YEAR))?
        # Month and year: March 2023.
      | \b(?P<em>MON),?\s+(?P<ey>YEAR)
        # A bare month: in March.
      | \b(?P<fm>MON_FULL)
      )
    ",
    )
});

/// A mention regex with its group names packed for a cheap lookup (the regex's own name
/// lookup hashes the name on every call).
struct MentionRegex {
    regex: Regex,
    groups: Vec<(u32, usize)>,
}

impl MentionRegex {
    fn new(pattern: &str) -> MentionRegex {
        let pattern = pattern
            .replace("MON_FULL", MON_FULL)
            .replace("MON", MON)
            .replace("DAY", DAY)
            .replace("YEAR", YEAR)
            .replace("SEP", SEP)
            .replace("WKD", WEEKDAY);
        let regex = compile(&pattern);
        let groups = regex
            .capture_names()
            .enumerate()
            .filter_map(|(index, name)| Some((group_key(name?), index)))
            .collect();
        MentionRegex { regex, groups }
    }

    /// The index of a named group.
    fn group(&self, name: &str) -> Option<usize> {
        let key = group_key(name);
        self.groups.iter().find(|(k, _)| *k == key).map(|&(_, index)| index)
    }
}

/// A group name (at most four ASCII bytes) packed into a number.
fn group_key(name: &str) -> u32 {
    name.bytes().take(4).fold(0, |key, b| key << 8 | u32::from(b))
}

/// Labels and weekdays that may stand before a date the page declares about itself.
static LEADING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:[\s|:,–—•·-]|published|posted|updated|last|first|date|dated|on|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?|\d{1,2}:\d{2}\s*(?:am|pm)?\s*(?:gmt|bst|utc)?\b|\d{1,2}\.\d{2}\s*(?:am|pm)\b)+",
    )
});

/// What may follow a declared date: a time, a time zone, separators.
static TRAILING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^[\s,|–—·-]*(?:(?:at\s+)?T?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:am|pm)?\s*(?:gmt|bst|utc|z|[+-]\d{2}:?\d{2})?)?[\s|.]*$",
    )
});

/// Words that mark the sentence as being about the inspection visit, strongest first in
/// meaning (the weights are in [`cue_weight`]).
const CUES: &[&str] = &[
    "visit",
    "took place",
    "take place",
    "taking place",
    "conducted",
    "carried out",
    "on site",
    "on-site",
    "onsite",
    "physically in",
    "were in ",
    "will inspect",
    "inspected",
    "inspection",
    "inspectors",
];

static CUE_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(AhoCorasickKind::DFA))
        .build(CUES)
        .expect("cue patterns are valid")
});

/// Text just before a date that makes it something other than this visit: an earlier
/// inspection (also as the one whose weaknesses a revisit checks: "the weaknesses
/// identified at its inspection in 2017"), the notification call, the report's publication,
/// a future or deadline date.
static NOT_VISIT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:last|previous|prior|earlier|initial|original|first)\s+(?:full\s+|local\s+area\s+|area\s+|send\s+|joint\s+)?(?:visit|inspection|inspected|revisit)|\bweakness(?:es)?\s+(?:\w+\s+){0,3}?(?:identified|found|raised|highlighted)\b|\bafter\s+(?:the\s+(?:end|start|beginning|middle)\s+of\s+)?$|\b(?:since|call|called|phone|telephoned|notified|notification|notice|publish\w*|publication|report|letter|announc\w*|introduc\w*|launch\w*|next|due|meeting|survey|deadline|until|before|expected|into\s+(?:force|effect)|took\s+effect|separate|social\s+care|neighbouring|unlike)\b",
    )
});

/// "will" before a date makes it a future or deadline date, except in an announcement of the
/// visit itself ("will inspect services ... from 23 to 27 January", "will be on site").
static WILL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bwill\b(?:\s+(?:be\s+)?(?:inspect\w*|visit\w*|on\s+site|in|carry\s+out|carrying\s+out|conduct\w*)\b)?",
    )
});

/// Whether the text before a date makes it something other than this visit.
fn not_visit(window: &str) -> bool {
    NOT_VISIT.is_match(window) || WILL.find_iter(window).any(|m| m.len() == "will".len())
}

/// Parses a date the page declares about itself (meta tag, front matter, dateline line):
/// "2018-05-16", "2018-05-16T09:00:00Z", "Published Wednesday, 16th May 2018",
/// "| 03 January 2018", "03 January 2018", "January 3, 2018", "06/03/2024" (UK order:
/// 6 March), "16.05.2018", "May 2018". Returns `None` for anything else, including ranges,
/// a bare month and impossible dates (30 February).
pub fn parse_date_text(raw: &str) -> Option<PartialDate> {
    let text = raw.trim();
    // A bare year or year-month as metadata writes it.
    if text.len() <= 7 && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return text.parse().ok();
    }
    let label_end = LEADING_LABEL.find(text).map_or(0, |m| m.end());
    let rest = &text[label_end..];
    let (_, end, mention) =
        mentions(rest).into_iter().next().filter(|(start, _, _)| *start == 0)?;
    let mention = mention?;
    if !TRAILING_TIME.is_match(&rest[end..]) {
        return None;
    }
    // A declared date is one date, never a range or a month without a year.
    (mention.start == mention.end && !mention.bare).then_some(mention.start)
}

/// A dateline inside the Article's paragraphs, with its evidence and rule: a short line that
/// is a date ("Published Wednesday, 16th May 2018", "| 03 January 2018"), one part of a
/// dateline ("Newsletter – November 2019", "By X · 23 Dec 2024 · 4 min read", "Posted: May
/// 2019 by X"), or a byline that ends with a date. The date must have at least a month and a
/// year; relative dates ("3 days ago", "yesterday") are no date. Only the first dozen
/// paragraphs are looked at: datelines stand at the top, and dates further down belong to
/// related links.
pub fn find_published(paragraphs: &[String]) -> Option<DateFinding> {
    /// What separates the parts of a dateline: "By X | 3 May 2024", "Newsletter – November
    /// 2019", "By X · 23 Dec 2024 · 4 min read".
    static SEGMENT: LazyLock<Regex> = LazyLock::new(|| compile(r"\s*(?:\||·|•|;|\s[–—-]\s)\s*"));
    /// A part that dates a revision, not the article: "updated 15 May 2024".
    static REVISED: LazyLock<Regex> =
        LazyLock::new(|| compile(r"(?i)^\W*(?:last\s+)?(?:updated|modified|amended|revised)\b"));
    /// A byline after the date: "Posted: May 2019 by Andrew Coulthard".
    static BY_AFTER: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)^(.*?\S)\s+by\s+\S.*$"));
    let dated = |d: &PartialDate| d.year.is_some() && d.month.is_some();
    for (index, paragraph) in paragraphs.iter().enumerate().take(12) {
        for line in paragraph.lines() {
            let line = line.trim();
            if line.is_empty() || line.len() > 120 || !line.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            let finding = |date: PartialDate, rule: &str| DateFinding {
                date,
                evidence: Evidence::new(line, index),
                rule: rule.to_string(),
            };
            if line.len() <= 60
                && let Some(date) = parse_date_text(line).filter(dated)
            {
                return Some(finding(date, "a dateline: a line that is a date"));
            }
            // The date may be one part of a dateline, with a byline or a reading time beside it;
            // a revision's date ("updated 15 May 2024") only when no other part has one.
            let mut revised = None;
            for segment in SEGMENT.split(line).collect::<Vec<_>>().into_iter().rev() {
                let date = parse_date_text(segment).or_else(|| {
                    let head = BY_AFTER.captures(segment)?.get(1)?.as_str();
                    parse_date_text(head)
                });
                match date.filter(dated) {
                    Some(date) if REVISED.is_match(segment) => revised = revised.or(Some(date)),
                    Some(date) => {
                        return Some(finding(date, "a dateline: one part of the line is a date"));
                    }
                    None => {}
                }
            }
            if let Some(date) = revised {
                return Some(finding(date, "a dateline: its only date is a revision's"));
            }
            // "By Callum Reed, Local Democracy Reporting Service Tuesday 2nd September 2025": a
            // byline that ends with the date.
            if line.starts_with("By ")
                && let Some((start, end, Some(m))) = mentions(line).into_iter().last()
                && m.start == m.end
                && dated(&m.start)
                && TRAILING_TIME.is_match(&line[end..])
                && start > 0
            {
                return Some(finding(m.start, "a byline that ends with a date"));
            }
        }
    }
    None
}

/// The inspection visit: start and end dates (equal when one date or one month is given),
/// `text` the phrase as written ("Between January 20 and January 24", "in March",
/// "between 6 to 10 March 2023"). Dates of an earlier inspection, the notification call or
/// the report's publication are passed over. The title is used only when the paragraphs
/// give no visit; its evidence then carries paragraph 0.
pub fn find_visit(
    title: Option<&str>,
    paragraphs: &[String],
    published: Option<PartialDate>,
) -> Option<Visit> {
    let mut best: Option<(i32, Visit)> = None;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        consider_visits(paragraph, index, published, &mut best);
    }
    if best.is_none()
        && let Some(title) = title
    {
        consider_visits(title, 0, published, &mut best);
    }
    let mut visit = best.map(|(_, visit)| visit)?;
    if visit.start == visit.end && visit.start.day.is_some() {
        extend_to_end(&mut visit, paragraphs);
    }
    Some(visit)
}

/// A visit given by its first day alone ("in the week of 12 July", "w/c 6 March") ends on the
/// day the Article says it ended ("the five-day visit ended on 16 July"), when that is within
/// the next few weeks.
fn extend_to_end(visit: &mut Visit, paragraphs: &[String]) {
    static ENDED: LazyLock<Regex> = LazyLock::new(|| {
        compile(&format!(
            r"(?i)\b(?:ended|finished|concluded|completed|wrapped\s+up)\s+(?:on\s+)?{WEEKDAY}?$"
        ))
    });
    static ABOUT_VISIT: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:visit|inspection|inspectors|on[\s-]?site|fieldwork)\b")
    });
    let start = visit.start;
    for paragraph in paragraphs {
        if !paragraph.contains("ed ") {
            continue;
        }
        for (s, e) in units(paragraph) {
            let unit = &paragraph[s..e];
            if !ABOUT_VISIT.is_match(unit) {
                continue;
            }
            for (at, end, mention) in mentions(unit) {
                let Some(mut m) = mention.filter(|m| m.start == m.end && m.start.day.is_some())
                else {
                    continue;
                };
                let Some(ended) = ENDED.find(&unit[..at]) else { continue };
                if m.start.year.is_none() {
                    // The same visit: its start's year, or the next across new year.
                    let year = start.year.map(|y| y + i32::from(m.start.month < start.month));
                    m.start.year = year;
                }
                let (Some(sm), Some(em)) = (start.month, m.start.month) else { continue };
                let weeks_later = em == sm || em % 12 == sm % 12 + 1;
                if start < m.start && weeks_later && !before(m.start, start) {
                    visit.end = m.start;
                    let words = &unit[ended.start()..end];
                    visit.rule = format!("{}; end from {words:?}", visit.rule);
                    return;
                }
            }
        }
    }
}

/// When the Article says the inspection report or letter was published ("the report, which
/// was published on Friday 9 June 2023", "published its report today (11 March 2025)").
/// "today" with no date given is the Article's own publication date, when that is complete.
/// Another area's or an earlier inspection's report is passed over, and so is a date before
/// the `visit` starts (a report is never published before its inspection).
pub fn find_report_published(
    paragraphs: &[String],
    published: Option<PartialDate>,
    visit: Option<&Visit>,
) -> Option<DateFinding> {
    static ABOUT_REPORT: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:reports?|letters?|findings|outcomes?|results?|inspections?)\b")
    });
    static PUBLISH: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\bpublish(?:ed|es|ing)?\b"));
    static EARLIER: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\b(?:previous|last|earlier|prior|original)\s+(?:\w+\s+)?(?:report|letter|inspection|visit)",
        )
    });
    static OTHER_AREA: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:neighbouring|unlike|its\s+own|their\s+own|other\s+areas?)\b")
    });
    static THAT_YEAR: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)^,?\s+that\s+year\b"));
    let visit_start = visit.map(|v| v.start).filter(|d| d.year.is_some());
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if !paragraph.contains("ublish") {
            continue;
        }
        for (s, e) in units(paragraph) {
            let unit = &paragraph[s..e];
            let Some(publish) = PUBLISH.find(unit) else { continue };
            if !ABOUT_REPORT.is_match(unit)
                || EARLIER.is_match(&unit[..publish.start()])
                || OTHER_AREA.is_match(unit)
            {
                continue;
            }
            let after = &unit[publish.end()..];
            let mention = mentions(after).into_iter().next().filter(|(start, _, _)| *start < 40);
            let (date, rule) = match mention {
                Some((_, end, Some(mut m))) => {
                    if m.start.year.is_none() && THAT_YEAR.is_match(&after[end..]) {
                        m.relative =
                            Relative::That(last_year_in(&paragraph[..s + publish.start()]));
                    }
                    let words = &after[..end];
                    (
                        m.resolve(published).0,
                        format!("\"{}{words}\" about the report", publish.as_str()),
                    )
                }
                Some((_, _, None)) => continue,
                None if after.to_ascii_lowercase().contains("today") => {
                    match published.filter(PartialDate::is_complete) {
                        Some(date) => {
                            (date, "report published \"today\": the article's date".to_string())
                        }
                        None => continue,
                    }
                }
                None => continue,
            };
            if visit_start.is_some_and(|v| date.year.is_some() && before(date, v)) {
                continue;
            }
            return Some(DateFinding { date, evidence: Evidence::new(unit, index), rule });
        }
    }
    None
}

/// Whether `a` is strictly earlier than `b` at the precision both have (`2024-03` is before
/// `2024-12-02`; `2024-12` is not).
pub fn before(a: PartialDate, b: PartialDate) -> bool {
    let key = |d: PartialDate| {
        [d.year.unwrap_or(0), d.month.map_or(0, i32::from), d.day.map_or(0, i32::from)]
    };
    let (ka, kb) = (key(a), key(b));
    let shared = [
        a.year.is_some() && b.year.is_some(),
        a.month.is_some() && b.month.is_some(),
        a.day.is_some() && b.day.is_some(),
    ];
    for i in 0..3 {
        if !shared[i] {
            break;
        }
        if ka[i] != kb[i] {
            return ka[i] < kb[i];
        }
    }
    false
}

/// How a year-less mention relates to the Article's publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relative {
    /// No relative word: the most recent such month at publication.
    Plain,
    /// "March this year".
    ThisYear,
    /// "March last year".
    LastYear,
    /// "last November": the most recent such month strictly before publication's month.
    Last,
    /// "December that year": the year the text named last before it, if any.
    That(Option<i32>),
}

/// One date mention: a single date or a range, as the text gives it.
#[derive(Debug, Clone, Copy)]
struct Mention {
    start: PartialDate,
    end: PartialDate,
    /// A bare month or bare year, which needs a preposition before it to mean anything.
    bare: bool,
    relative: Relative,
}

impl Mention {
    /// The start and end with years inferred from the Article, where it allows.
    fn resolve(&self, published: Option<PartialDate>) -> (PartialDate, PartialDate) {
        let (mut start, mut end) = (self.start, self.end);
        if end.year.is_none()
            && let Some(year) = infer_year(end.month, self.relative, published)
        {
            end.year = Some(year);
        }
        if start.year.is_none()
            && let Some(year) = end.year
        {
            // A range over new year: "28 December to 3 January 2024".
            let back = i32::from(start.month > end.month);
            start = PartialDate::new(Some(year - back), start.month, start.day).unwrap_or(start);
        }
        (start, end)
    }

    /// How precise the mention is, for choosing among equally cued mentions.
    fn precision(&self) -> i32 {
        match (self.start.day, self.start.month, self.start.year.or(self.end.year)) {
            (Some(_), _, _) => 3,
            (None, Some(_), Some(_)) => 2,
            (None, Some(_), None) => 1,
            _ => 0,
        }
    }
}

/// The year a year-less month falls in, reckoned from the Article's publication date.
fn infer_year(
    month: Option<u8>,
    relative: Relative,
    published: Option<PartialDate>,
) -> Option<i32> {
    if let Relative::That(year) = relative {
        return year;
    }
    let published = published?;
    let year = published.year?;
    match relative {
        Relative::That(year) => year,
        Relative::ThisYear => Some(year),
        Relative::LastYear => Some(year - 1),
        Relative::Last => {
            let (month, pub_month) = (month?, published.month?);
            Some(if month >= pub_month { year - 1 } else { year })
        }
        Relative::Plain => {
            let (month, pub_month) = (month?, published.month?);
            Some(if month > pub_month { year - 1 } else { year })
        }
    }
}

/// The month number of a month name or abbreviation (its first three letters decide).
fn month_number(name: &str) -> Option<u8> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let key = name.as_bytes().get(..3)?;
    let key =
        [key[0].to_ascii_lowercase(), key[1].to_ascii_lowercase(), key[2].to_ascii_lowercase()];
    MONTHS.iter().position(|m| **m == key).and_then(|i| u8::try_from(i + 1).ok())
}

/// The leading digits of a day ("16th" is 16).
fn day_number(text: &str) -> Option<u8> {
    let digits: &str = &text[..text.bytes().take_while(u8::is_ascii_digit).count()];
    digits.parse().ok()
}

/// The year in a capture (which may carry "in " before it).
fn year_number(text: &str) -> Option<i32> {
    text.rsplit(char::is_whitespace).next()?.parse().ok()
}

/// The date mentions of a text, in order, as (start, end, mention); the mention is `None` when
/// the text names an impossible date (31 April), so that callers can still step over it.
/// Candidates are the starts of words that begin with a digit or a capitalised month name;
/// only there is an anchored mention regex ([`MENTION_DIGIT`], [`MENTION_MONTH`]) run.
fn mentions(text: &str) -> Vec<(usize, usize, Option<Mention>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| CAN_START[usize::from(b)]) {
        let i = at + offset;
        at = i + 1;
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        if bytes[i].is_ascii_digit() {
            // The rest of the number cannot start a mention.
            at = i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            if !digits_may_start_date(text, i) {
                continue;
            }
        } else if !is_month_at(text, i) {
            continue;
        }
        if let Some((end, mention)) = mention_at(text, i) {
            at = end;
            out.push((i, end, mention));
        }
    }
    out
}

/// The bytes a date mention can start with (digits and month initials), as a lookup table
/// for the scanning loop.
const CAN_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = b'0';
    while b <= b'9' {
        table[b as usize] = true;
        b += 1;
    }
    let mut i = 0;
    while i < MONTH_INITIALS.len() {
        table[MONTH_INITIALS[i] as usize] = true;
        i += 1;
    }
    table
};

/// Runs the mention regex for the kind of start at byte `i`, anchored there, returning the
/// mention's end and the mention. The regex is given a short window rather than the rest of
/// the paragraph (its capture search costs in proportion to the text it is given); no
/// mention is anywhere near as long, and a match that reaches the window's end is searched
/// again over the whole text.
fn mention_at(text: &str, i: usize) -> Option<(usize, Option<Mention>)> {
    const WINDOW: usize = 160;
    let mention_regex: &MentionRegex =
        if text.as_bytes()[i].is_ascii_digit() { &MENTION_DIGIT } else { &MENTION_MONTH };
    let mut window_end = ceil_char_boundary(text, (i + WINDOW).min(text.len()));
    let mut locations = mention_regex.regex.capture_locations();
    loop {
        let whole = mention_regex.regex.captures_read(&mut locations, &text[i..window_end])?;
        if whole.is_empty() {
            return None;
        }
        if whole.end() < window_end - i || window_end == text.len() {
            let haystack = &text[i..window_end];
            let get = |name: &str| {
                let (start, end) = locations.get(mention_regex.group(name)?)?;
                Some(&haystack[start..end])
            };
            return Some((i + whole.end(), mention_from(get)));
        }
        window_end = text.len();
    }
}

/// Whether a capitalised month name or abbreviation starts at byte `i`.
fn is_month_at(text: &str, i: usize) -> bool {
    text.as_bytes().get(i).is_some_and(|b| MONTH_INITIALS.contains(b))
        && text.get(i..).and_then(month_number).is_some()
}

/// The capital letters month names begin with.
const MONTH_INITIALS: &[u8] = b"JFMASOND";

/// A cheap test, before the regex runs, that the number at byte `i` can begin a date: a
/// year followed by "-" and a digit (ISO), a year after "in" or "during" (a bare year), a day
/// followed by "/" or "." and a digit (numeric), or a day with a month name close after it.
fn digits_may_start_date(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    let len = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let next = bytes.get(i + len).copied();
    let digit_after = |k: usize| bytes.get(i + len + k).is_some_and(u8::is_ascii_digit);
    match len {
        4 => {
            (next == Some(b'-') && digit_after(1)) || {
                let before = &bytes[i.saturating_sub(7)..i];
                ends_with_ignore_case(before, b"in ") || ends_with_ignore_case(before, b"during ")
            }
        }
        1 | 2 => {
            (matches!(next, Some(b'/' | b'.')) && digit_after(1)) || {
                let end = (i + len + 24).min(bytes.len());
                (i + len..end).any(|k| {
                    !bytes[k - 1].is_ascii_alphanumeric()
                        && MONTH_INITIALS.contains(&bytes[k])
                        && text.is_char_boundary(k)
                        && is_month_at(text, k)
                })
            }
        }
        _ => false,
    }
}

/// Whether `text` ends with `suffix`, ASCII case-insensitively.
fn ends_with_ignore_case(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// Builds a mention from the regex's captures, rejecting impossible dates.
fn mention_from<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<Mention> {
    let year = |name: &str| get(name).and_then(year_number);
    let month = |name: &str| get(name).and_then(month_number);
    let day = |name: &str| get(name).and_then(day_number);
    let num = |name: &str| get(name).and_then(|t| t.parse::<u8>().ok());
    let single = |date: Option<PartialDate>, bare: bool| {
        date.map(|d| Mention { start: d, end: d, bare, relative: Relative::Plain })
    };
    if get("iy").is_some() {
        return single(PartialDate::new(year("iy"), num("im"), num("id")), false);
    }
    if get("rd2").is_some() {
        let start = PartialDate::new(year("ry1"), num("rm1"), num("rd1"))?;
        let end = PartialDate::new(year("ry2"), num("rm2"), num("rd2"))?;
        return (start <= end).then(|| range(start, end)).flatten();
    }
    if get("ny").is_some() {
        return single(PartialDate::new(year("ny"), num("nm"), num("nd")), false);
    }
    if get("ad2").is_some() {
        let end_year = year("ay2");
        let end = PartialDate::new(end_year, month("am2"), day("ad2"))?;
        let start_month = month("am1").or(end.month);
        let start = PartialDate::new(year("ay1"), start_month, day("ad1"))?;
        return range(start, end);
    }
    if get("bd2").is_some() {
        let start = PartialDate::new(None, month("bm1"), day("bd1"))?;
        let end = PartialDate::new(year("by"), month("bm2").or(start.month), day("bd2"))?;
        return range(start, end);
    }
    if get("hm2").is_some() {
        let start = PartialDate::new(year("hy1"), month("hm1"), None)?;
        let end = PartialDate::new(year("hy2"), month("hm2"), None)?;
        let bare = start.year.is_none() && end.year.is_none();
        // "March and March" is no range; "March 2019 to February 2019" runs backwards.
        let backwards = match (start.year, end.year) {
            (Some(_), Some(_)) => start >= end,
            _ => start.month == end.month,
        };
        return (!backwards).then_some(Mention { start, end, bare, relative: Relative::Plain });
    }
    if get("cd").is_some() {
        return single(PartialDate::new(year("cy"), month("cm"), day("cd")), false);
    }
    if get("dd").is_some() {
        return single(PartialDate::new(year("dy"), month("dm"), day("dd")), false);
    }
    if get("ey").is_some() {
        return single(PartialDate::new(year("ey"), month("em"), None), false);
    }
    if get("fm").is_some() {
        return single(PartialDate::new(None, month("fm"), None), true);
    }
    single(PartialDate::new(year("gy"), None, None), true)
}

/// A range, unless its end comes before its start within the same month ("24 to 20 March").
fn range(start: PartialDate, end: PartialDate) -> Option<Mention> {
    if start.month == end.month && start.day > end.day {
        return None;
    }
    Some(Mention { start, end, bare: false, relative: Relative::Plain })
}

/// The sentences of a paragraph as byte ranges, with line breaks also ending a sentence
/// (cleaned pages keep headings and list items on their own lines).
fn units(paragraph: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in paragraph.split('\n') {
        out.extend(sentence_spans(line).into_iter().map(|(s, e)| (s + offset, e + offset)));
        offset += line.len() + 1;
    }
    out
}

/// The weight of the strongest visit cue in a sentence, with the cue: 3 for the visit itself
/// ("visited", "took place", "conducted"), 1 for a mere mention of the inspection, 0 for none.
fn cue_weight(unit: &str) -> (i32, &'static str) {
    CUE_FINDER
        .find_iter(unit)
        .map(|m| {
            let cue = CUES[m.pattern().as_usize()];
            (if cue.starts_with("inspect") { 1 } else { 3 }, cue)
        })
        .max_by_key(|&(weight, _)| weight)
        .unwrap_or((0, ""))
}

/// The year of the last mention of `month` with a year in `text`.
fn year_of_month_before(text: &str, month: Option<u8>) -> Option<i32> {
    let month = month?;
    mentions(text)
        .into_iter()
        .filter_map(|(_, _, m)| m)
        .rfind(|m| m.end.month == Some(month) && m.end.year.is_some())
        .and_then(|m| m.end.year)
}

/// The last four-digit year written in `text` ("published in December that year" after "in
/// 2018" is 2018).
fn last_year_in(text: &str) -> Option<i32> {
    static YEAR_WORD: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(?:19|20)\d\d\b"));
    YEAR_WORD.find_iter(text).last().and_then(|m| m.as_str().parse().ok())
}

/// Scores the date mentions of one paragraph as the visit and keeps the best in `best`.
fn consider_visits(
    paragraph: &str,
    index: usize,
    published: Option<PartialDate>,
    best: &mut Option<(i32, Visit)>,
) {
    static PREPOSITION: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\b(?:between|from|in|during|on|over|across|throughout|last|early|late|mid|w/c|week\s+commencing|week\s+beginning|the\s+week\s+of|(?:end|start|beginning|middle|close)\s+of)\s*-?\s*(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s*)?$",
        )
    });
    static AFTER: LazyLock<Regex> =
        LazyLock::new(|| compile(r"(?i)^,?\s+(this|last|that)\s+year\b"));
    // Most paragraphs hold no date, or no date that could be the visit, and are never split
    // into sentences: a bare month or year needs a preposition just before it (which its
    // sentence cannot add), and some sentence must hold a visit cue.
    let found = mentions(paragraph);
    let mut previous_end = 0;
    let viable = found.iter().any(|&(start, end, mention)| {
        let window_floor = previous_end;
        previous_end = end;
        mention.is_some_and(|m| {
            !m.bare || {
                let from =
                    ceil_char_boundary(paragraph, window_floor.max(start.saturating_sub(100)));
                PREPOSITION.is_match(&paragraph[from..start])
            }
        })
    });
    if !viable || !CUE_FINDER.is_match(paragraph) {
        return;
    }
    let units = units(paragraph);
    let mut previous_end = 0;
    let mut weights: Vec<Option<(i32, &str)>> = vec![None; units.len()];
    for (start, end, mention) in found {
        let window_floor = previous_end;
        previous_end = end;
        let Some(mut mention) = mention else { continue };
        let Some(u) = units.iter().position(|&(s, e)| s <= start && end <= e) else { continue };
        let (weight, cue) =
            *weights[u].get_or_insert_with(|| cue_weight(&paragraph[units[u].0..units[u].1]));
        if weight == 0 {
            continue;
        }
        let (s, _) = units[u];
        let unit = &paragraph[s..units[u].1];
        let (start, end) = (start - s, end - s);
        let window_start =
            ceil_char_boundary(unit, window_floor.saturating_sub(s).max(start.saturating_sub(100)));
        let window = &unit[window_start..start];
        if not_visit(window) {
            continue;
        }
        let preposition = PREPOSITION.find(window);
        if mention.bare && preposition.is_none() {
            continue;
        }
        let mut text_end = end;
        if let Some(after) = AFTER.captures(&unit[end..]) {
            mention.relative = match after[1].to_ascii_lowercase().as_str() {
                "this" => Relative::ThisYear,
                "last" => Relative::LastYear,
                _ => Relative::That(last_year_in(&paragraph[..s + start])),
            };
            text_end += after.get(0).map_or(0, |m| m.end());
        }
        if let Some(p) = preposition
            && p.as_str().trim().eq_ignore_ascii_case("last")
            && mention.start.year.is_none()
        {
            mention.relative = Relative::Last;
        }
        // "In March 2022, inspectors spent five days – 14 to 18 March –": the sentence has
        // already named the month's year.
        if mention.relative == Relative::Plain
            && mention.end.year.is_none()
            && let Some(year) = year_of_month_before(&unit[..start], mention.end.month)
        {
            mention.relative = Relative::That(Some(year));
        }
        let text_start = preposition.map_or(start, |p| window_start + p.start());
        // A year the Article supplies ("last year", its own date) makes a mention as precise
        // as one that writes it.
        let (start, end) = mention.resolve(published);
        let score = weight * 10 + Mention { start, end, ..mention }.precision();
        if best.as_ref().is_some_and(|(b, _)| *b >= score) {
            continue;
        }
        let text = unit[text_start..text_end].trim().to_string();
        let year_from = match mention.relative {
            _ if mention.start.year.or(mention.end.year).is_some() => "",
            Relative::That(Some(_)) => "; year from the year named before it",
            _ if end.year.is_some() => "; year from the article's date",
            _ => "",
        };
        let rule = format!("visit cue {cue:?} in the sentence; date {text:?}{year_from}");
        let visit = Visit { start, end, text, evidence: Evidence::new(unit, index), rule };
        *best = Some((score, visit));
    }
}

/// Compiles one of this module's constant patterns. Word boundaries and digit and word
/// classes are made ASCII, which keeps the regexes on the fast DFA path even when a paragraph
/// holds curly quotes (Unicode word boundaries make the engine fall back to a slow one).
fn compile(pattern: &str) -> Regex {
    let ascii =
        pattern.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]").replace(r"\w", "[0-9A-Za-z_]");
    Regex::new(&ascii).expect("the module's patterns are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_string).collect()
    }

    fn date(text: &str) -> PartialDate {
        text.parse().expect("test date is valid")
    }

    fn check_parse(input: &str, expected: Option<&str>) {
        assert_eq!(
            parse_date_text(input).map(|d| d.to_string()),
            expected.map(str::to_string),
            "{input:?}"
        );
    }

    fn check_published(text: &str, expected: Option<(&str, &str)>) {
        let got = find_published(&paras(text)).map(|f| (f.date.to_string(), f.evidence.sentence));
        assert_eq!(got, expected.map(|(d, s)| (d.to_string(), s.to_string())), "{text:?}");
    }

    /// `expected` is (start, end, text).
    fn check_visit(text: &str, published: Option<&str>, expected: Option<(&str, &str, &str)>) {
        let got = find_visit(None, &paras(text), published.map(date))
            .map(|v| (v.start.to_string(), v.end.to_string(), v.text));
        let expected = expected.map(|(s, e, t)| (s.to_string(), e.to_string(), t.to_string()));
        assert_eq!(got, expected, "{text:?}");
    }

    fn check_report(text: &str, published: Option<&str>, expected: Option<&str>) {
        let got = find_report_published(&paras(text), published.map(date), None)
            .map(|f| f.date.to_string());
        assert_eq!(got, expected.map(str::to_string), "{text:?}");
    }

    #[test]
    fn parses_declared_dates_in_many_forms() {
        check_parse("2018-05-16", Some("2018-05-16"));
        check_parse("2018-05-16T09:00:00Z", Some("2018-05-16"));
        check_parse("2018-05-16T09:00:00+01:00", Some("2018-05-16"));
        check_parse("Published Wednesday, 16th May 2018", Some("2018-05-16"));
        check_parse("| 03 January 2018", Some("2018-01-03"));
        check_parse("03 January 2018", Some("2018-01-03"));
        check_parse("January 3, 2018", Some("2018-01-03"));
        check_parse("May 2018", Some("2018-05"));
        check_parse("Posted on 9 June 2023 at 10:30am", Some("2023-06-09"));
        check_parse("Friday 9th of June 2023", Some("2023-06-09"));
        check_parse("2018-05", Some("2018-05"));
        check_parse("16 Sept 2019", Some("2019-09-16"));
    }

    #[test]
    fn reads_numeric_dates_in_uk_order() {
        check_parse("06/03/2024", Some("2024-03-06"));
        check_parse("16.05.2018", Some("2018-05-16"));
        check_parse("Published: 31/12/2022", Some("2022-12-31"));
        // 13 is no month, so a US-order date is not silently swapped.
        check_parse("05/13/2024", None);
    }

    #[test]
    fn rejects_impossible_dates_and_non_dates() {
        check_parse("30 February 2023", None);
        check_parse("29 February 2023", None);
        check_parse("29 February 2024", Some("2024-02-29"));
        check_parse("31 April 2020", None);
        check_parse("2023-13-01", None);
        check_parse("32/01/2020", None);
        check_parse("March", None);
        check_parse("6 to 10 March 2023", None);
        check_parse("The report was published on 9 June 2023", None);
        check_parse("", None);
        check_parse("£53.4 million", None);
    }

    #[test]
    fn finds_the_dateline_among_paragraphs() {
        check_published(
            "School Closures Today\n\nRecent improvements must be built upon\n\nPublished Wednesday, 16th May 2018\n\nRecent improvements...",
            Some(("2018-05-16", "Published Wednesday, 16th May 2018")),
        );
        check_published(
            "Inspectors call for improvements\n\nBy Neil Puffett\n\n| 03 January 2018\n\nConcerns have been raised",
            Some(("2018-01-03", "| 03 January 2018")),
        );
        check_published(
            "By Neil Puffett | 03 January 2018\n\nText",
            Some(("2018-01-03", "By Neil Puffett | 03 January 2018")),
        );
    }

    #[test]
    fn ignores_dates_inside_running_text() {
        check_published(
            "Evidence was fed into the report, which was published on Friday 9 June 2023.",
            None,
        );
        check_published("92.2 / 102.5 FM\n\n450", None);
    }

    #[test]
    fn keeps_year_less_visits_partial() {
        // Seed 000 Dudley: no year in the text and no publication date.
        check_visit(
            "Between January 20 and January 24 inspectors visited Dudley to assess its children’s and health services and what progress had been made within SEND services since its last visit in 2022.",
            None,
            Some(("--01-20", "--01-24", "Between January 20 and January 24")),
        );
    }

    #[test]
    fn infers_year_from_publication_date() {
        // Seed 001 Worcestershire.
        let text = "A joint inspection to judge how effectively the County Council and the NHS Worcestershire Clinical Commissioning Groups have implemented the special educational needs and disability (SEND) reforms as set out in the Children and Families Act 2014 was conducted in March.";
        check_visit(text, Some("2018-05-16"), Some(("2018-03", "2018-03", "in March")));
        check_visit(text, None, Some(("--03", "--03", "in March")));
        // Seed 003 South Gloucestershire: November before a January publication.
        check_visit(
            "During a visit in November, Ofsted and health watchdog the Care Quality Commission found that senior leaders have been too slow to implement disability and SEN reforms.",
            Some("2018-01-03"),
            Some(("2017-11", "2017-11", "in November")),
        );
    }

    #[test]
    fn reads_this_year_and_last_month_names() {
        // Seed 002 Dorset.
        let text = "The three-week inspection of services took place in March this year, involving staff from Dorset Council.";
        check_visit(text, None, Some(("--03", "--03", "in March this year")));
        check_visit(text, Some("2024-05-16"), Some(("2024-03", "2024-03", "in March this year")));
        check_visit(
            "Inspectors visited the borough last November.",
            Some("2019-11-20"),
            Some(("2018-11", "2018-11", "last November")),
        );
        check_visit(
            "Inspectors visited the borough last November.",
            Some("2020-02-01"),
            Some(("2019-11", "2019-11", "last November")),
        );
        check_visit(
            "The inspection took place in October last year.",
            Some("2020-02-01"),
            Some(("2019-10", "2019-10", "in October last year")),
        );
    }

    #[test]
    fn passes_over_the_notification_call_for_the_visit() {
        // Seed 004 Southend.
        check_visit(
            "The inspection started almost as soon as the partnership received the call on 20 February, but inspectors were physically in Southend-on-Sea between 6 to 10 March 2023. They spoke with professionals.",
            None,
            Some(("2023-03-06", "2023-03-10", "between 6 to 10 March 2023")),
        );
    }

    #[test]
    fn reads_range_forms() {
        check_visit(
            "Inspectors visited between 6 and 10 March.",
            Some("2023-06-09"),
            Some(("2023-03-06", "2023-03-10", "between 6 and 10 March")),
        );
        check_visit(
            "Inspectors were on site 6-10 March 2023.",
            None,
            Some(("2023-03-06", "2023-03-10", "6-10 March 2023")),
        );
        check_visit(
            "The visit ran from 20 to 24 January.",
            None,
            Some(("--01-20", "--01-24", "from 20 to 24 January")),
        );
        check_visit(
            "Inspectors visited from 30 January to 3 February 2023.",
            None,
            Some(("2023-01-30", "2023-02-03", "from 30 January to 3 February 2023")),
        );
        check_visit(
            "Inspectors visited the area on December 28 to January 3, 2024.",
            None,
            Some(("2023-12-28", "2024-01-03", "on December 28 to January 3, 2024")),
        );
        check_visit(
            "Inspectors were on site w/c 6 March 2023.",
            None,
            Some(("2023-03-06", "2023-03-06", "w/c 6 March 2023")),
        );
        check_visit(
            "The inspection was carried out on 06/03/2024.",
            None,
            Some(("2024-03-06", "2024-03-06", "on 06/03/2024")),
        );
    }

    #[test]
    fn reads_numeric_ranges() {
        check_visit(
            "Inspectors carried out the monitoring inspection between 04/03/2025 and 06/03/2025.",
            Some("2025-04-22"),
            Some(("2025-03-04", "2025-03-06", "between 04/03/2025 and 06/03/2025")),
        );
        // A range that runs backwards is no date at all, as "24 to 20 March" is not.
        check_visit(
            "The inspection was carried out between 06/03/2025 and 04/03/2025.",
            None,
            None,
        );
    }

    #[test]
    fn reads_an_announced_visit() {
        // An announcement gives the visit's dates; a drop-in session during it is not the visit.
        check_visit(
            "Ofsted and the Care Quality Commission (CQC) will inspect services for children and young people with special educational needs and disabilities (SEND) in Dorset from 23 to 27 January.\n\nParents and carers are invited to share their views at a drop-in session at County Hall, Dorchester, on Tuesday 24 January, or by completing an online survey before the inspection week.",
            Some("2017-01-20"),
            Some(("2017-01-23", "2017-01-27", "from 23 to 27 January")),
        );
        check_visit(
            "Inspectors will be on site from 23 to 27 January.",
            Some("2017-01-20"),
            Some(("2017-01-23", "2017-01-27", "from 23 to 27 January")),
        );
        // Other future dates are still passed over.
        check_visit("Inspectors will return to the area in March 2026.", None, None);
    }

    #[test]
    fn prefers_the_most_precise_visit() {
        check_visit(
            "Ofsted and CQC carried out an inspection of Southend SEND services in March 2023.\n\nInspectors were physically in Southend between 6 to 10 March 2023.",
            None,
            Some(("2023-03-06", "2023-03-10", "between 6 to 10 March 2023")),
        );
    }

    #[test]
    fn ignores_earlier_inspections_and_publication_dates() {
        check_visit("The area has improved since its last visit in 2022.", None, None);
        check_visit("The previous inspection in 2019 found weaknesses.", None, None);
        check_visit(
            "Sufficient progress was made on the weaknesses identified at its inspection in 2017, inspectors said after the revisit from 14 to 16 January.",
            Some("2019-03-08"),
            Some(("2019-01-14", "2019-01-16", "from 14 to 16 January")),
        );
        check_visit(
            "The previous inspection of Kingston upon Hull, in 2020, identified significant weaknesses.",
            None,
            None,
        );
        check_visit("The inspection report was published on 9 June 2023.", None, None);
        check_visit("The next inspection will be in March 2026.", None, None);
        check_visit(
            "Inspectors said families wait too long. The council met in March.",
            None,
            None,
        );
        // "May" the verb is not a month.
        check_visit("Inspectors may visit again.", None, None);
        // "last week" is skipped rather than resolved.
        check_visit("Inspectors visited last week.", Some("2023-06-09"), None);
    }

    #[test]
    fn rejects_impossible_visit_dates() {
        check_visit("Inspectors visited on 31 April.", None, None);
        check_visit("Inspectors visited between 30 and 32 March.", None, None);
    }

    #[test]
    fn finds_when_the_report_was_published() {
        check_report(
            "Evidence was fed into the report, which was published on Friday 9 June 2023.",
            None,
            Some("2023-06-09"),
        );
        check_report(
            "Ofsted published its report today (11 March 2025).",
            None,
            Some("2025-03-11"),
        );
        check_report("Ofsted published its report today.", Some("2025-03-11"), Some("2025-03-11"));
        check_report("Ofsted published its report today.", None, None);
        check_report("The letter was published on 9 May.", Some("2018-05-16"), Some("2018-05-09"));
        check_report(
            "OFSTED and the CQC require an approved action plan be submitted within 30 working days of the publication of the report.",
            None,
            None,
        );
        check_report("The previous report, published in March 2019, found weaknesses.", None, None);
        check_report("The council published a new strategy on 3 May 2023.", None, None);
    }

    #[test]
    fn reads_weekdays_inside_ranges() {
        check_visit(
            "Inspectors were in the city from Monday 1 July to Friday 5 July.",
            Some("2019-11"),
            Some(("2019-07-01", "2019-07-05", "from Monday 1 July to Friday 5 July")),
        );
        check_visit(
            "The inspection took place between Monday, 4th March and Friday, 8th March 2024.",
            None,
            Some((
                "2024-03-04",
                "2024-03-08",
                "between Monday, 4th March and Friday, 8th March 2024",
            )),
        );
    }

    #[test]
    fn reads_ranges_of_months() {
        check_visit(
            "Inspectors carried out their work across April and May this year.",
            Some("2024-07"),
            Some(("2024-04", "2024-05", "across April and May this year")),
        );
        check_visit(
            "The inspection took place between February and March 2018.",
            None,
            Some(("2018-02", "2018-03", "between February and March 2018")),
        );
        check_visit(
            "The visit ran from December to January.",
            Some("2024-03-01"),
            Some(("2023-12", "2024-01", "from December to January")),
        );
        // A bare range still needs a preposition; a backwards one is no range.
        check_visit("Inspectors said April and May were busy.", None, None);
        check_visit("The inspection took place from May 2019 to March 2019.", None, None);
    }

    #[test]
    fn reads_the_end_or_start_of_a_month() {
        check_visit(
            "The inspection, carried out at the end of January, praised leaders.",
            Some("2024-03-28"),
            Some(("2024-01", "2024-01", "end of January")),
        );
        check_visit(
            "Inspectors visited at the beginning of October.",
            None,
            Some(("--10", "--10", "beginning of October")),
        );
    }

    #[test]
    fn takes_a_months_year_from_its_own_sentence() {
        check_visit(
            "In March 2022, inspectors spent five days – 14 to 18 March – visiting the borough.",
            None,
            Some(("2022-03-14", "2022-03-18", "14 to 18 March")),
        );
    }

    #[test]
    fn reads_that_year_from_the_year_named_before() {
        check_report(
            "Inspectors visited in 2018. Their letter, published in December that year, was critical.",
            None,
            Some("2018-12"),
        );
        // With no year named, "that year" leaves the year unknown rather than the article's.
        check_report(
            "The report, published in December that year, was critical.",
            Some("2019-05-01"),
            Some("--12"),
        );
    }

    #[test]
    fn ends_a_week_of_visit_on_the_day_it_ended() {
        check_visit(
            "Inspectors carried out the joint inspection in the week of 12 July. The five-day visit ended on 16 July.",
            Some("2021-09-24"),
            Some(("2021-07-12", "2021-07-16", "the week of 12 July")),
        );
        // An end before the start, or months later, is not this visit's.
        check_visit(
            "Inspectors visited in the week of 12 July. The consultation ended on 30 November.",
            Some("2021-12-24"),
            Some(("2021-07-12", "2021-07-12", "the week of 12 July")),
        );
    }

    #[test]
    fn passes_over_other_inspections_of_other_services() {
        check_visit(
            "Inspectors visited in early October.\n\nChildren's social care was rated inadequate in a separate Ofsted inspection carried out between 20 June and 13 July 2017.",
            Some("2021-12-08"),
            Some(("2021-10", "2021-10", "early October")),
        );
        check_visit(
            "Neighbouring Bolton was visited in May 2019. Inspectors visited Bury in March.",
            Some("2019-06-01"),
            Some(("2019-03", "2019-03", "in March")),
        );
        // A framework named before a visit does not make the visit the framework's start.
        check_visit(
            "The borough was given outcome two under the area SEND inspection framework – following a visit by inspectors in September.",
            None,
            Some(("--09", "--09", "in September")),
        );
    }

    #[test]
    fn reads_datelines_in_parts_and_bylines() {
        check_published(
            "Newsletter – November 2019\n\nText",
            Some(("2019-11", "Newsletter – November 2019")),
        );
        check_published(
            "By Ruth Evans · 23 Dec 2024 · 4 min read\n\nText",
            Some(("2024-12-23", "By Ruth Evans · 23 Dec 2024 · 4 min read")),
        );
        check_published(
            "Posted: May 2019 by Anna Cole, Education Correspondent\n\nText",
            Some(("2019-05", "Posted: May 2019 by Anna Cole, Education Correspondent")),
        );
        check_published(
            "Posted: July 2024 · 6 minute read\n\nText",
            Some(("2024-07", "Posted: July 2024 · 6 minute read")),
        );
        check_published(
            "By Tom Hale, Local Democracy Reporting Service Tuesday 2nd September 2025\n\nText",
            Some((
                "2025-09-02",
                "By Tom Hale, Local Democracy Reporting Service Tuesday 2nd September 2025",
            )),
        );
    }

    #[test]
    fn reads_datelines_with_times_and_revisions() {
        check_published(
            "First published 14 May 2024; updated 15 May 2024\n\nText",
            Some(("2024-05-14", "First published 14 May 2024; updated 15 May 2024")),
        );
        check_published(
            "Published 10:15 BST, 14 May 2024\n\nText",
            Some(("2024-05-14", "Published 10:15 BST, 14 May 2024")),
        );
        check_published(
            "By Ann Lee | Updated 15 May 2024\n\nText",
            Some(("2024-05-15", "By Ann Lee | Updated 15 May 2024")),
        );
    }

    #[test]
    fn relative_dates_give_no_date() {
        for text in [
            "Posted 3 days ago",
            "Updated yesterday",
            "By Ann Lee · 2 hours ago",
            "Published last week",
            "Posted today at 10:30",
        ] {
            check_published(&format!("{text}\n\nText"), None);
            check_parse(text, None);
        }
        check_visit("Inspectors visited the borough 3 days ago.", Some("2024-05-10"), None);
        check_visit("Inspectors left yesterday.", Some("2024-05-10"), None);
    }

    #[test]
    fn a_report_date_is_not_another_areas_or_before_the_visit() {
        check_report(
            "Neighbouring Kent received the same outcome when its own report was published in March last year.",
            Some("2025-02-08"),
            None,
        );
        let visit = find_visit(
            None,
            &paras("The inspection team was on site between 2 and 6 December 2024."),
            None,
        );
        let paragraphs = paras("The council published its report in March 2024 on waiting lists.");
        assert_eq!(find_report_published(&paragraphs, None, visit.as_ref()), None);
        let paragraphs = paras("The inspection report was published on 20 January 2025.");
        let found = find_report_published(&paragraphs, None, visit.as_ref()).expect("a date");
        assert_eq!(found.date.to_string(), "2025-01-20");
        assert!(found.rule.contains("published on 20 January 2025"), "{}", found.rule);
    }

    #[test]
    fn compares_dates_at_their_shared_precision() {
        assert!(before(date("2024-03"), date("2024-12-02")));
        assert!(!before(date("2024-12"), date("2024-12-02")));
        assert!(!before(date("--03"), date("2024-12")));
        assert!(before(date("2023"), date("2024-01-01")));
    }

    #[test]
    fn every_visit_names_its_rule() {
        let visit = find_visit(
            None,
            &paras("The inspection took place in March."),
            Some(date("2018-05-16")),
        )
        .expect("a visit");
        assert_eq!(
            visit.rule,
            "visit cue \"took place\" in the sentence; date \"in March\"; year from the article's date"
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "|",
            "\n\n\n",
            "’‘“”",
            "31/31/3131",
            "January January January 2020",
            "1 – – 2 May",
            "ü 1 Mai",
            "Posted: · | – 2019 by",
            "By · 3 May 2024",
            "In March 2022 – 14 to 18 March – “",
            "The five-day visit ended on 16 July ’’",
            "published in December that year",
        ] {
            let p = vec![text.to_string()];
            let _ = parse_date_text(text);
            let _ = find_published(&p);
            let _ = find_visit(Some(text), &p, None);
            let _ = find_report_published(&p, None, None);
        }
        // Multi-byte characters at every distance from the dates, so that a window of a fixed
        // number of bytes before or after a date falls inside a character somewhere.
        for pad in 0..8 {
            let text = format!(
                "{}é visit {}“in March” ’ between 6 and 10 March 2023 ’ {}ended on 11 March ü",
                "é".repeat(40 + pad),
                "’".repeat(30 + pad),
                "ü".repeat(pad)
            );
            let p = vec![text.clone(), format!("By {text}")];
            let date = PartialDate::new(Some(2023), Some(6), Some(1));
            let visit = find_visit(Some(&text), &p, date);
            let _ = find_published(&p);
            let _ = find_report_published(&p, date, visit.as_ref());
        }
    }
}
