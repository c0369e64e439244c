//! The official register: when each local area was inspected, under which framework, with what
//! outcome and where the report is, as curated facts in `data/register/inspections.tsv`.
//!
//! The articles say what the press reported; the register says what Ofsted and the CQC
//! published. Ingest reads both and joins them (an article's inspection is matched to the
//! register's); extraction never reads the register, so a fact the text does not state is never
//! filled in from it.
//!
//! [`Register::parse`] checks every row and reports every bad one, with its line and the
//! reason, rather than the first: a curator fixing the file sees the whole list at once. The
//! checks are those a careful reader of the file would make:
//!
//! - the area code is one of the gazetteer's (current or former), and the name beside it is
//!   that area's name or one of its aliases;
//! - the framework and kind go together (revisits belong to 2016, monitoring to 2023), and the
//!   outcome is one that framework and kind can have;
//! - dates parse, fall within the framework's lifetime and not after the day the row was
//!   checked, come in order (visit start, visit end, report), and the area existed at the
//!   visit;
//! - no inspection is listed twice (same area, framework, kind and visit, or the same report);
//! - every row says where its facts were found, with the source's own words when the source is
//!   not the report itself.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::extract::{Framework, Gazetteer, Kind, Outcome, PartialDate};

/// The register's file, relative to the data folder.
pub const FILE: &str = "register/inspections.tsv";
/// The copy of the register inside an index generation, which the server reads: a
/// generation holds the register it was built with, so a page never mixes two.
pub const GENERATION_FILE: &str = "register.tsv";

/// One official inspection of a local area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// ONS code of the area, as the gazetteer knows it.
    pub area_code: String,
    /// The framework it was carried out under.
    pub framework: Framework,
    /// Full inspection, 2016 revisit or 2023 monitoring inspection.
    pub kind: Kind,
    /// First day on site, as precise as the source.
    pub visit_start: Option<PartialDate>,
    /// Last day on site.
    pub visit_end: Option<PartialDate>,
    /// When the report or letter was published.
    pub report_published: Option<PartialDate>,
    /// The official outcome, when a source states it.
    pub outcome: Option<Outcome>,
    /// The address of the report itself.
    pub report_url: Option<String>,
    /// Where the facts were found: one or more addresses.
    pub from: Vec<String>,
    /// The source's words stating the facts, when the source is not the report.
    pub phrase: Option<String>,
    /// When the row was checked against its sources.
    pub checked: PartialDate,
    /// The row's line in the file, for messages.
    pub line: usize,
}

impl Inspection {
    /// The date that places the inspection in time: the visit's start, else the report's.
    pub fn date(&self) -> Option<PartialDate> {
        self.visit_start.filter(|d| d.year.is_some()).or(self.report_published)
    }
}

/// The register: every inspection, in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    inspections: Vec<Inspection>,
}

/// A row the register refuses, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line in the file, from 1.
    pub line: usize,
    /// What is wrong, in words a curator can act on.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{FILE}, line {}: {}", self.line, self.reason)
    }
}

/// Every row the register refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterError(pub Vec<RowError>);

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "the register has {n} bad row{}:", if n == 1 { "" } else { "s" })?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RegisterError {}

/// A row as written in the file, before it is checked.
#[derive(Debug, Deserialize)]
struct Row {
    area_code: String,
    area: String,
    framework: String,
    kind: String,
    visit_start: Option<String>,
    visit_end: Option<String>,
    report_published: Option<String>,
    outcome: Option<String>,
    report_url: Option<String>,
    from: Option<String>,
    phrase: Option<String>,
    checked: Option<String>,
}

/// The day the 2016 framework's first inspections began.
const FIRST_2016: PartialDate = PartialDate { year: Some(2016), month: Some(5), day: Some(1) };
/// The first month of the 2023 framework.
const FIRST_2023: PartialDate = PartialDate { year: Some(2023), month: Some(1), day: Some(1) };

impl Register {
    /// Reads the register from the data folder `data`. A data folder without one has an empty
    /// register; a register that cannot be read, or has bad rows, is an error naming them.
    pub fn load(data: &Path, gazetteer: &Gazetteer) -> anyhow::Result<Register> {
        let path = data.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Register::default()),
            Err(e) => anyhow::bail!("could not read the register {}: {e}", path.display()),
        };
        Ok(Register::parse(&text, gazetteer)?)
    }

    /// Reads the register an index generation holds (none for a generation built without
    /// one).
    pub fn read_generation(generation: &Path) -> anyhow::Result<Register> {
        let path = generation.join(GENERATION_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Register::parse(&text, Gazetteer::builtin())?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Register::default()),
            Err(e) => anyhow::bail!("could not read {}: {e}", path.display()),
        }
    }

    /// Parses and checks the register's text (see the module's documentation for the checks).
    pub fn parse(text: &str, gazetteer: &Gazetteer) -> Result<Register, RegisterError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .comment(Some(b'#'))
            .quoting(false)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut errors = Vec::new();
        let mut inspections = Vec::new();
        let headers = match reader.headers() {
            Ok(headers) => headers.clone(),
            Err(e) => return Err(RegisterError(vec![RowError { line: 1, reason: e.to_string() }])),
        };
        for record in reader.records() {
            let row = record.and_then(|record| {
                let line = record.position().map_or(0, |p| p.line() as usize);
                Ok((line, record.deserialize::<Row>(Some(&headers))?))
            });
            match row {
                Ok((line, row)) => match check(row, line, gazetteer) {
                    Ok(inspection) => inspections.push(inspection),
                    Err(reason) => errors.push(RowError { line, reason }),
                },
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    errors.push(RowError { line, reason: e.to_string() });
                }
            }
        }
        errors.extend(duplicates(&inspections));
        if errors.is_empty() {
            Ok(Register { inspections })
        } else {
            errors.sort_by_key(|e| e.line);
            Err(RegisterError(errors))
        }
    }

    /// Every inspection, in the file's order.
    pub fn inspections(&self) -> &[Inspection] {
        &self.inspections
    }

    /// The latest inspection with a known outcome among those of the areas `codes` (an area
    /// and the ones it replaced).
    pub fn latest_outcome(&self, codes: &[&str]) -> Option<&Inspection> {
        self.inspections
            .iter()
            .filter(|i| i.outcome.is_some() && codes.contains(&i.area_code.as_str()))
            .max_by_key(|i| i.date().and_then(|d| d.sort_key()))
    }

    /// Inspections by framework and outcome (those with a known outcome): the national
    /// picture.
    pub fn outcome_counts(
        &self,
    ) -> std::collections::BTreeMap<Framework, std::collections::BTreeMap<Outcome, usize>> {
        let mut counts: std::collections::BTreeMap<
            Framework,
            std::collections::BTreeMap<Outcome, usize>,
        > = std::collections::BTreeMap::new();
        for i in &self.inspections {
            if let Some(outcome) = i.outcome {
                *counts.entry(i.framework).or_default().entry(outcome).or_default() += 1;
            }
        }
        counts
    }

    /// How many inspections it lists.
    pub fn len(&self) -> usize {
        self.inspections.len()
    }

    /// Whether it lists none.
    pub fn is_empty(&self) -> bool {
        self.inspections.is_empty()
    }
}

/// What an article says of one inspection, for finding it in the register.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reported<'a> {
    /// The area's ONS code.
    pub area_code: &'a str,
    /// The framework, when the article says.
    pub framework: Option<Framework>,
    /// The kind, when the article says.
    pub kind: Option<Kind>,
    /// The outcome, when the article says.
    pub outcome: Option<Outcome>,
    /// The visit's first day, as the article gives it.
    pub visit_start: Option<PartialDate>,
    /// The report's publication, as the article gives it.
    pub report_published: Option<PartialDate>,
    /// When the article itself was published.
    pub published: Option<PartialDate>,
}

/// How far, in days, an article's date may lie outside an inspection's window and still be
/// about it: a month covers a visit date read a few weeks out and a report announced before
/// its formal publication.
const SLACK_DAYS: i64 = 31;
/// How long after a report the press still reports it as news.
const NEWS_DAYS: i64 = 183;
/// The usual time from a visit to its report, used when one of the two is not known.
const VISIT_TO_REPORT_DAYS: i64 = 120;

/// A fact on which an article and the register differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// `outcome` or `visit`.
    pub fact: &'static str,
    /// What the article says.
    pub article: String,
    /// What the register says.
    pub register: String,
}

impl Register {
    /// The inspection an article reports, matched on area, framework and kind (where the
    /// article gives them) and dates: the article's visit, report date or own publication
    /// date must fall within the inspection's window (its visit to six months after its
    /// report), give or take a month. Among several, the nearest wins. An article that gives
    /// no date matches only an area's single candidate.
    pub fn find(&self, reported: &Reported) -> Option<&Inspection> {
        let candidates: Vec<&Inspection> = self
            .inspections
            .iter()
            .filter(|i| i.area_code == reported.area_code)
            .filter(|i| reported.framework.is_none_or(|f| f == i.framework))
            .filter(|i| reported.kind.is_none_or(|k| k == i.kind))
            .collect();
        let dates: Vec<i64> = [reported.visit_start, reported.report_published, reported.published]
            .iter()
            .flatten()
            .filter_map(PartialDate::sort_key)
            .collect();
        if dates.is_empty() {
            return (candidates.len() == 1).then(|| candidates[0]);
        }
        candidates
            .into_iter()
            .filter_map(|i| {
                let (lo, hi) = window(i)?;
                let distance = dates
                    .iter()
                    .map(|&d| {
                        if d < lo {
                            lo - d
                        } else if d > hi {
                            d - hi
                        } else {
                            0
                        }
                    })
                    .min()?;
                (distance <= SLACK_DAYS).then_some((distance, i))
            })
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, i)| i)
    }
}

/// The days an inspection's reports are about it: from its visit to six months after its
/// report. `None` when the register gives no dated fact.
fn window(i: &Inspection) -> Option<(i64, i64)> {
    let visit = i.visit_start.and_then(|d| d.sort_key());
    let report = i.report_published.and_then(|d| d.sort_key());
    let lo = visit.or(report.map(|r| r - VISIT_TO_REPORT_DAYS))?;
    let hi = report.or(visit.map(|v| v + VISIT_TO_REPORT_DAYS))? + NEWS_DAYS;
    Some((lo, hi))
}

/// The facts on which an article and the register's inspection differ: the outcome, and the
/// visit's month (an article's visit outside the register's visit, compared by month).
pub fn disagreements(reported: &Reported, inspection: &Inspection) -> Vec<Disagreement> {
    let mut out = Vec::new();
    if let (Some(a), Some(r)) = (reported.outcome, inspection.outcome)
        && a != r
    {
        out.push(Disagreement {
            fact: "outcome",
            article: a.code().into(),
            register: r.code().into(),
        });
    }
    let month = |d: PartialDate| Some(d.year? * 12 + i32::from(d.month?));
    if let (Some(a), Some(start)) =
        (reported.visit_start.and_then(month), inspection.visit_start.and_then(month))
    {
        let end = inspection.visit_end.and_then(month).unwrap_or(start);
        if a < start || a > end {
            let shown = |d: Option<PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let register = match inspection.visit_end {
                Some(end) => format!("{} to {end}", shown(inspection.visit_start)),
                None => shown(inspection.visit_start),
            };
            out.push(Disagreement {
                fact: "visit",
                article: shown(reported.visit_start),
                register,
            });
        }
    }
    out
}

/// Checks one row and makes it an [`Inspection`], or says what is wrong with it.
fn check(row: Row, line: usize, gazetteer: &Gazetteer) -> Result<Inspection, String> {
    let area = gazetteer
        .by_code(&row.area_code)
        .ok_or_else(|| format!("unknown area code {:?}", row.area_code))?;
    let named = |name: &str| {
        name.eq_ignore_ascii_case(&area.name)
            || area.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(name))
    };
    if !named(&row.area) {
        return Err(format!("{} is {}, not {:?}", area.code, area.name, row.area));
    }
    let framework: Framework = row
        .framework
        .parse()
        .map_err(|_| format!("framework {:?} is neither 2016 nor 2023", row.framework))?;
    let kind: Kind = row
        .kind
        .parse()
        .map_err(|_| format!("kind {:?} is not full, revisit or monitoring", row.kind))?;
    match (framework, kind) {
        (Framework::F2023, Kind::Revisit) => {
            return Err("revisits belong to the 2016 framework (2023 has monitoring)".into());
        }
        (Framework::F2016, Kind::Monitoring) => {
            return Err("monitoring inspections belong to the 2023 framework".into());
        }
        _ => {}
    }
    let outcome = match row.outcome.as_deref() {
        None => None,
        Some(code) => {
            let outcome: Outcome = code.parse().map_err(|_| format!("unknown outcome {code:?}"))?;
            if !allowed(framework, kind).contains(&outcome) {
                return Err(format!(
                    "outcome {code} is not one a {} {} inspection can have ({})",
                    framework.code(),
                    kind.code(),
                    allowed(framework, kind)
                        .iter()
                        .map(|o| o.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Some(outcome)
        }
    };
    let date = |name: &str, value: &Option<String>| -> Result<Option<PartialDate>, String> {
        value.as_deref().map(|v| v.parse().map_err(|e| format!("{name}: {e}"))).transpose()
    };
    let visit_start = date("visit_start", &row.visit_start)?;
    let visit_end = date("visit_end", &row.visit_end)?;
    let report_published = date("report_published", &row.report_published)?;
    let checked = date("checked", &row.checked)?
        .filter(PartialDate::is_complete)
        .ok_or("checked must be the full date the row was checked, e.g. 2026-12-03")?;

    let first = if framework == Framework::F2016 { FIRST_2016 } else { FIRST_2023 };
    for (name, value) in [
        ("visit_start", visit_start),
        ("visit_end", visit_end),
        ("report_published", report_published),
    ] {
        let Some(value) = value else { continue };
        if precedes(value, first) == Some(true) && !same_period(value, first) {
            return Err(format!(
                "{name} {value} is before the {} framework began ({})",
                framework.code(),
                first.human()
            ));
        }
        if precedes(checked, value) == Some(true) && !same_period(value, checked) {
            return Err(format!("{name} {value} is after the row was checked ({checked})"));
        }
    }
    for ((a_name, a), (b_name, b)) in [
        (("visit_start", visit_start), ("visit_end", visit_end)),
        (("visit_end", visit_end), ("report_published", report_published)),
        (("visit_start", visit_start), ("report_published", report_published)),
    ] {
        if let (Some(a), Some(b)) = (a, b)
            && precedes(b, a) == Some(true)
            && !same_period(a, b)
        {
            return Err(format!("{a_name} {a} comes after {b_name} {b}"));
        }
    }
    if let Some(visit) = visit_start {
        let too_early = area.valid_from.is_some_and(|from| precedes(visit, from) == Some(true));
        let too_late = area.valid_to.is_some_and(|to| precedes(to, visit) == Some(true));
        if (too_early || too_late)
            && !area.valid_from.is_some_and(|d| same_period(visit, d))
            && !area.valid_to.is_some_and(|d| same_period(visit, d))
        {
            return Err(format!(
                "{} did not exist at the visit ({visit}); it existed {}",
                area.name,
                lifetime(area.valid_from, area.valid_to)
            ));
        }
    }

    let report_url = row.report_url;
    if let Some(url) = &report_url
        && !is_address(url)
    {
        return Err(format!("report_url {url:?} is not an http(s) address"));
    }
    let from: Vec<String> = row
        .from
        .as_deref()
        .unwrap_or_default()
        .split(" ; ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if from.is_empty() {
        return Err("no source: `from` must say where the facts were found".into());
    }
    if let Some(bad) = from.iter().find(|s| !is_address(s)) {
        return Err(format!("source {bad:?} is not an http(s) address"));
    }
    let only_the_report = from.iter().all(|s| Some(s) == report_url.as_ref());
    if !only_the_report && row.phrase.is_none() {
        return Err(
            "the source is not the report itself: `phrase` must quote the words that state the facts"
                .into(),
        );
    }
    Ok(Inspection {
        area_code: area.code.clone(),
        framework,
        kind,
        visit_start,
        visit_end,
        report_published,
        outcome,
        report_url,
        from,
        phrase: row.phrase,
        checked,
        line,
    })
}

/// The outcomes an inspection of this framework and kind can have.
pub fn allowed(framework: Framework, kind: Kind) -> &'static [Outcome] {
    match (framework, kind) {
        (Framework::F2016, Kind::Full) => &[Outcome::WsoaRequired, Outcome::NoWsoa],
        (Framework::F2023, Kind::Full) => {
            &[Outcome::Positive, Outcome::Inconsistent, Outcome::SystemicFailings]
        }
        _ => &[Outcome::SufficientProgress, Outcome::InsufficientProgress],
    }
}

/// Rows that list an inspection already listed: the same area, framework, kind and visit (or
/// report date, when the visit is not known), or the same report address.
fn duplicates(inspections: &[Inspection]) -> Vec<RowError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut errors = Vec::new();
    for i in inspections {
        let mut keys = Vec::new();
        if let Some(date) = i.visit_start.or(i.report_published) {
            keys.push(format!("{} {} {} {date}", i.area_code, i.framework, i.kind));
        }
        if let Some(url) = &i.report_url {
            keys.push(url.clone());
        }
        for key in keys {
            if let Some(first) = seen.get(&key) {
                errors.push(RowError {
                    line: i.line,
                    reason: format!("the same inspection as line {first} ({key})"),
                });
                break;
            }
            seen.insert(key, i.line);
        }
    }
    errors
}

/// Whether `a` is before `b`, compared as far as both are known ("2024-03" is before
/// "2024-04-02"; "2024" is not before "2024-05"). `None` when either has no year.
pub fn precedes(a: PartialDate, b: PartialDate) -> Option<bool> {
    let (ay, by) = (a.year?, b.year?);
    if ay != by {
        return Some(ay < by);
    }
    match (a.month, b.month) {
        (Some(am), Some(bm)) if am != bm => Some(am < bm),
        (Some(_), Some(_)) => match (a.day, b.day) {
            (Some(ad), Some(bd)) => Some(ad < bd),
            _ => Some(false),
        },
        _ => Some(false),
    }
}

/// Whether one of the dates is a period that contains the other ("2024-03" and
/// "2024-03-11"): neither is then before the other.
fn same_period(a: PartialDate, b: PartialDate) -> bool {
    precedes(a, b) == Some(false) && precedes(b, a) == Some(false)
}

/// "from 1 April 2019", "until 31 March 2019", "from ... to ...".
fn lifetime(from: Option<PartialDate>, to: Option<PartialDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("from {} to {}", f.human(), t.human()),
        (Some(f), None) => format!("from {}", f.human()),
        (None, Some(t)) => format!("until {}", t.human()),
        (None, None) => "always".into(),
    }
}

/// Whether `s` is an http or https address.
fn is_address(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "area_code\tarea\tframework\tkind\tvisit_start\tvisit_end\treport_published\toutcome\treport_url\tfrom\tphrase\tchecked\n";
    const REPORT: &str = "https://files.ofsted.gov.uk/v1/file/1";
    const PAGE: &str = "https://www.example.org/news";

    /// A row with the given cells in place of a good Dudley row's.
    fn row(changes: &[(&str, &str)]) -> String {
        let mut cells = vec![
            ("area_code", "E08000027"),
            ("area", "Dudley"),
            ("framework", "2023"),
            ("kind", "full"),
            ("visit_start", "2025-01-20"),
            ("visit_end", "2025-01-24"),
            ("report_published", "2025-03-11"),
            ("outcome", "inconsistent"),
            ("report_url", REPORT),
            ("from", REPORT),
            ("phrase", ""),
            ("checked", "2026-12-03"),
        ];
        for (name, value) in changes {
            let cell = cells.iter_mut().find(|(n, _)| n == name).expect("a column");
            cell.1 = value;
        }
        cells.iter().map(|(_, v)| *v).collect::<Vec<_>>().join("\t") + "\n"
    }

    fn parse(rows: &[String]) -> Result<Register, RegisterError> {
        Register::parse(&format!("# a comment\n{HEADER}{}", rows.concat()), Gazetteer::builtin())
    }

    /// The reason the single row with these changes is refused.
    fn refused(changes: &[(&str, &str)]) -> String {
        match parse(&[row(changes)]) {
            Ok(_) => panic!("{changes:?} was accepted"),
            Err(RegisterError(errors)) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].line, 3, "the row's own line");
                errors[0].reason.clone()
            }
        }
    }

    #[test]
    fn a_good_row_reads() {
        let register = parse(&[row(&[])]).expect("a good row");
        let i = &register.inspections()[0];
        assert_eq!(i.area_code, "E08000027");
        assert_eq!((i.framework, i.kind), (Framework::F2023, Kind::Full));
        assert_eq!(i.outcome, Some(Outcome::Inconsistent));
        assert_eq!(i.visit_start, "2025-01-20".parse().ok());
        assert_eq!(i.from, vec![REPORT.to_string()]);
        assert_eq!(i.line, 3);
    }

    #[test]
    fn unknown_facts_stay_empty() {
        let register = parse(&[row(&[
            ("visit_end", ""),
            ("report_published", ""),
            ("outcome", ""),
            ("report_url", ""),
            ("from", PAGE),
            ("phrase", "\"inspected in January\""),
            ("visit_start", "2025-01"),
        ])])
        .expect("partial facts are fine");
        let i = &register.inspections()[0];
        assert_eq!((i.outcome, i.report_published, &i.report_url), (None, None, &None));
    }

    #[test]
    fn the_area_must_be_known_and_named_right() {
        assert!(refused(&[("area_code", "E99999999")]).contains("unknown area code"));
        assert!(refused(&[("area", "Dudly")]).contains("E08000027 is Dudley"));
    }

    #[test]
    fn framework_kind_and_outcome_must_go_together() {
        assert!(refused(&[("framework", "2019")]).contains("neither 2016 nor 2023"));
        assert!(refused(&[("kind", "inspection")]).contains("not full, revisit or monitoring"));
        assert!(refused(&[("kind", "revisit")]).contains("revisits belong to the 2016"));
        assert!(
            refused(&[("framework", "2016"), ("kind", "monitoring"), ("visit_start", "2019-05")])
                .contains("monitoring inspections belong to the 2023")
        );
        assert!(refused(&[("outcome", "wsoa_required")]).contains("not one a 2023 full"));
        assert!(refused(&[("outcome", "good")]).contains("unknown outcome"));
        assert!(
            refused(&[("kind", "monitoring"), ("outcome", "positive")])
                .contains("sufficient_progress, insufficient_progress")
        );
    }

    #[test]
    fn dates_must_parse_be_in_range_and_in_order() {
        assert!(refused(&[("visit_start", "20/01/2025")]).contains("visit_start"));
        assert!(refused(&[("visit_start", "2022-11-07")]).contains("before the 2023 framework"));
        assert!(
            refused(&[("framework", "2016"), ("outcome", "no_wsoa"), ("visit_start", "2015-06")])
                .contains("before the 2016 framework")
        );
        assert!(
            refused(&[("report_published", "2027-01-05")]).contains("after the row was checked")
        );
        assert!(
            refused(&[("visit_end", "2025-01-17")])
                .contains("visit_start 2025-01-20 comes after visit_end")
        );
        assert!(
            refused(&[("report_published", "2025-01-22")])
                .contains("visit_end 2025-01-24 comes after report_published")
        );
        assert!(refused(&[("checked", "2026-12")]).contains("checked must be the full date"));
        // A month contains its days: "2025-01" is neither before nor after "2025-01-20".
        parse(&[row(&[("visit_end", "2025-01")])]).expect("a month contains its days");
    }

    #[test]
    fn the_area_must_have_existed_at_the_visit() {
        // Dorset the unitary began in April 2019; the county it replaced ended then.
        let reason = refused(&[
            ("area_code", "E06000059"),
            ("area", "Dorset"),
            ("framework", "2016"),
            ("outcome", "wsoa_required"),
            ("visit_start", "2017-01"),
            ("visit_end", ""),
            ("report_published", ""),
        ]);
        assert!(reason.contains("did not exist at the visit"), "{reason}");
    }

    #[test]
    fn every_row_says_where_its_facts_were_found() {
        assert!(refused(&[("from", "")]).contains("no source"));
        assert!(refused(&[("from", "the council's website")]).contains("not an http(s) address"));
        assert!(refused(&[("from", PAGE)]).contains("`phrase` must quote"));
        assert!(refused(&[("report_url", "files.ofsted.gov.uk/1")]).contains("report_url"));
        parse(&[row(&[("from", &format!("{REPORT} ; {PAGE}")), ("phrase", "\"outcome two\"")])])
            .expect("several sources with a phrase");
    }

    #[test]
    fn an_inspection_is_listed_once() {
        let again = row(&[
            ("report_url", "https://files.ofsted.gov.uk/v1/file/2"),
            ("from", "https://files.ofsted.gov.uk/v1/file/2"),
        ]);
        let Err(RegisterError(errors)) = parse(&[row(&[]), again]) else {
            panic!("a duplicate was accepted")
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].reason.contains("the same inspection as line 3"), "{errors:?}");
        let same_report = row(&[("visit_start", "2025-02-03"), ("visit_end", "2025-02-07")]);
        let Err(RegisterError(errors)) = parse(&[row(&[]), same_report]) else {
            panic!("the same report twice was accepted")
        };
        assert!(errors[0].reason.contains(REPORT), "{errors:?}");
    }

    #[test]
    fn every_bad_row_is_reported_at_once() {
        let Err(RegisterError(errors)) =
            parse(&[row(&[("area", "Dudly")]), row(&[]), row(&[("outcome", "good")])])
        else {
            panic!("bad rows were accepted")
        };
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 5]);
        let message = RegisterError(errors).to_string();
        assert!(message.starts_with("the register has 2 bad rows:"), "{message}");
        assert!(message.contains("register/inspections.tsv, line 5: unknown outcome"), "{message}");
    }

    #[test]
    fn the_shipped_register_passes_every_check() {
        let text = include_str!("../data/register/inspections.tsv");
        let register =
            Register::parse(text, Gazetteer::builtin()).unwrap_or_else(|e| panic!("{e}"));
        assert!(register.len() > 300, "{}", register.len());
        // Every current area has its 2016-framework full inspection, itself or through the
        // former area it succeeded.
        let gazetteer = Gazetteer::builtin();
        for area in gazetteer.areas().iter().filter(|a| !a.is_former()) {
            let covered = |code: &str| {
                register.inspections().iter().any(|i| {
                    i.area_code == code && i.framework == Framework::F2016 && i.kind == Kind::Full
                })
            };
            assert!(
                covered(&area.code) || area.predecessors.iter().any(|p| covered(p)),
                "{} has no 2016-framework inspection",
                area.name
            );
        }
    }

    fn dudley() -> Register {
        parse(&[
            row(&[
                ("framework", "2016"),
                ("visit_start", "2019-05-20"),
                ("visit_end", ""),
                ("report_published", "2019-07-16"),
                ("outcome", "wsoa_required"),
                ("report_url", ""),
                ("from", PAGE),
                ("phrase", "\"Yes\""),
            ]),
            row(&[
                ("framework", "2016"),
                ("kind", "revisit"),
                ("visit_start", "2022-01-31"),
                ("visit_end", ""),
                ("report_published", "2022-03-23"),
                ("outcome", "insufficient_progress"),
                ("report_url", ""),
                ("from", PAGE),
                ("phrase", "\"No\""),
            ]),
            row(&[]),
        ])
        .expect("good rows")
    }

    fn reported(changes: impl FnOnce(&mut Reported)) -> Reported<'static> {
        let mut r = Reported { area_code: "E08000027", ..Reported::default() };
        changes(&mut r);
        r
    }

    fn d(s: &str) -> Option<PartialDate> {
        Some(s.parse().expect("a date"))
    }

    #[test]
    fn an_article_is_matched_by_area_framework_kind_and_dates() {
        let register = dudley();
        let line = |r: &Reported| register.find(r).map(|i| i.line);
        // The visit's month, the report's day, or the article's own date within six months.
        assert_eq!(line(&reported(|r| r.visit_start = d("2025-01"))), Some(5));
        assert_eq!(line(&reported(|r| r.report_published = d("2019-07-16"))), Some(3));
        assert_eq!(line(&reported(|r| r.published = d("2022-04-02"))), Some(4));
        // The kind tells a revisit from the full inspection of the same years.
        assert_eq!(
            line(&reported(|r| {
                r.kind = Some(Kind::Full);
                r.published = d("2022-04-02");
            })),
            None
        );
        // Another area, or a date far from every inspection, matches nothing.
        assert_eq!(
            line(&reported(|r| {
                r.area_code = "E08000028";
                r.visit_start = d("2025-01");
            })),
            None
        );
        assert_eq!(line(&reported(|r| r.published = d("2021-01-10"))), None);
        // No date: only a single candidate is taken.
        assert_eq!(line(&reported(|r| r.framework = Some(Framework::F2023))), Some(5));
        assert_eq!(line(&reported(|r| r.framework = Some(Framework::F2016))), None);
    }

    #[test]
    fn an_article_that_differs_from_the_register_says_how() {
        let register = dudley();
        let r = reported(|r| {
            r.outcome = Some(Outcome::SystemicFailings);
            r.visit_start = d("2024-12-02");
            r.published = d("2025-03-11");
        });
        let inspection = register.find(&r).expect("matched by the article's date");
        assert_eq!(inspection.line, 5);
        assert_eq!(
            disagreements(&r, inspection),
            vec![
                Disagreement {
                    fact: "outcome",
                    article: "systemic_failings".into(),
                    register: "inconsistent".into()
                },
                Disagreement {
                    fact: "visit",
                    article: "2024-12-02".into(),
                    register: "2025-01-20 to 2025-01-24".into()
                },
            ]
        );
        let agrees = reported(|r| {
            r.outcome = Some(Outcome::Inconsistent);
            r.visit_start = d("2025-01");
        });
        assert_eq!(disagreements(&agrees, inspection), vec![]);
    }

    #[test]
    fn the_readme_counts_what_the_register_holds() {
        let text = include_str!("../data/register/inspections.tsv");
        let readme = include_str!("../data/register/README.md");
        let register =
            Register::parse(text, Gazetteer::builtin()).unwrap_or_else(|e| panic!("{e}"));
        for (framework, kind) in [
            (Framework::F2016, Kind::Full),
            (Framework::F2016, Kind::Revisit),
            (Framework::F2023, Kind::Full),
            (Framework::F2023, Kind::Monitoring),
        ] {
            let rows: Vec<&Inspection> = register
                .inspections()
                .iter()
                .filter(|i| i.framework == framework && i.kind == kind)
                .collect();
            let areas: std::collections::HashSet<&str> =
                rows.iter().map(|i| i.area_code.as_str()).collect();
            let count = |f: fn(&Inspection) -> bool| rows.iter().filter(|i| f(i)).count();
            let line = format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                framework.code(),
                kind.code(),
                rows.len(),
                areas.len(),
                count(|i| i.outcome.is_some()),
                count(|i| i.visit_start.is_some()),
                count(|i| i.report_published.is_some()),
                count(|i| i.report_url.is_some()),
            );
            assert!(readme.contains(&line), "data/register/README.md should say {line}");
        }
    }

    #[test]
    fn dates_compare_as_far_as_both_are_known() {
        let d = |s: &str| s.parse::<PartialDate>().expect("a date");
        assert_eq!(precedes(d("2024-03"), d("2024-04-02")), Some(true));
        assert_eq!(precedes(d("2024"), d("2024-05")), Some(false));
        assert_eq!(precedes(d("2024-05-02"), d("2024-05-01")), Some(false));
        assert_eq!(precedes(d("--09"), d("2024-05-01")), None);
    }
}
