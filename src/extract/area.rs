//! The gazetteer of local areas, and finding which LocalArea an Article is about.
//!
//! [`Gazetteer`] holds the rows of `data/reference/local-areas.tsv` (embedded at compile
//! time, see [`Gazetteer::builtin`]) as [`LocalArea`]s, with stable URL slugs, look-ups by
//! ONS code, slug and name, typo-tolerant suggestions for a search box, and
//! [`Gazetteer::find`], which reads an Article's title and paragraphs and picks the area it is
//! about.
//!
//! How `find` decides, in brief:
//! - One pass over the title and each paragraph finds every name and alias (leftmost-longest,
//!   ASCII-case-insensitive, whole words, hyphen/space and `&`/"and" variants), so "South
//!   Gloucestershire" is never also counted as "Gloucestershire". A hit counts only when the
//!   text's capitals agree with the name's (so "reading" and "bucks" are not Reading or
//!   Buckinghamshire). Instead of an aho-corasick automaton, which measured over budget here,
//!   capitalised words are looked up in an index of the names' first words (see `scan`).
//! - Each hit is *strong*, *weak* or a *comparison*. Weak hits are the ambiguous short forms
//!   (Kingston, Richmond, Newcastle, Durham, Bath, Stoke, Windsor ...), names qualified by a
//!   compass word ("Mid and South Essex", "North West Leicestershire", "Greater Manchester",
//!   "New York"), names in compounds or football clubs ("Newcastle-under-Lyme", "Leeds
//!   United"), common words at the start of a sentence ("Reading the report ..."), and
//!   several areas chained into one NHS body's name ("Herefordshire and Worcestershire
//!   ICB"). A name after a comparison cue ("unlike neighbouring Sandwell", "in line with
//!   Walsall", "better than Sandwell") is a comparison. A person's surname ("Cllr Clare
//!   Sutton", "By Paul Sutton", "Charlotte Bolton, Accountable Officer") is ignored.
//! - Strong hits score by place (a title hit counts most, then early paragraphs) and add up
//!   with frequency; the best strong area wins, and weak hits count only when there is no
//!   strong one. Comparisons never win; those areas, and other strongly named ones, are
//!   returned in [`AreaMatch::others`].
//! - Names shared by an abolished county and its successor unitary (Dorset,
//!   Buckinghamshire, North Yorkshire, Somerset) are scored together and the row is then
//!   chosen by the Article's date (see [`Gazetteer::find`]).
//!
//! Left to others: working out the Article's date, splitting text into paragraphs, and
//! deciding whether the Article is about an Inspection at all. Not handled: names broken
//! across a line break inside a paragraph, names written without their capital ("dudley"),
//! and aliases that start lower-case ("the City") in running text (`lookup` and `suggest`
//! still know them).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::model::{Evidence, PartialDate};
use super::sentences::sentence_spans;
use crate::corpus::slicing::floor_char_boundary;

/// The area finder's word lists (`rules/area-words.tsv`), in the order of [`WORD_LISTS`].
static WORDS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    let rows: Vec<WordRow> =
        super::rules::table("area-words.tsv", include_str!("rules/area-words.tsv"));
    let mut lists = vec![Vec::new(); WORD_LISTS.len()];
    for row in rows {
        // An unknown list name is caught by the table's unit test.
        if let Some(index) = WORD_LISTS.iter().position(|&l| l == row.list) {
            lists[index].push(row.word);
        }
    }
    lists
});

/// One row of `area-words.tsv`.
#[derive(Debug, Deserialize)]
struct WordRow {
    list: String,
    word: String,
}

/// The lists `area-words.tsv` may hold.
const WORD_LISTS: &[&str] = &[
    "risky",
    "common_word",
    "qualifier",
    "of_holder",
    "club_suffix",
    "honorific",
    "nhs_body",
    "not_first_name",
    "comparison_cue",
];

/// The words of one list of `area-words.tsv` (empty for a name not in [`WORD_LISTS`]).
fn word_list(list: &str) -> &'static [String] {
    WORD_LISTS.iter().position(|&l| l == list).map_or(&[], |index| WORDS[index].as_slice())
}

/// The gazetteer file shipped with the crate.
const BUILTIN_TSV: &str = include_str!("../../data/reference/local-areas.tsv");

/// The shipped gazetteer, parsed on first use. A parse failure (prevented by a test) gives an
/// empty gazetteer rather than a panic.
static BUILTIN: LazyLock<Gazetteer> =
    LazyLock::new(|| Gazetteer::parse(BUILTIN_TSV).unwrap_or_else(|_| Gazetteer::empty()));

/// The `kind` values the gazetteer may use.
const KINDS: &[&str] =
    &["county", "unitary", "metropolitan borough", "London borough", "other", "former"];

/// The columns a gazetteer file must have, by header name.
const COLUMNS: &[&str] = &[
    "ons_code",
    "name",
    "region",
    "kind",
    "dfe_la_code",
    "council",
    "aliases",
    "predecessors",
    "successors",
    "valid_from",
    "valid_to",
    "former_codes",
    "notes",
];

/// One local area (a row of the gazetteer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalArea {
    /// ONS GSS code, e.g. `E08000027`.
    pub code: String,
    /// Short display name, e.g. "Dudley".
    pub name: String,
    /// URL slug, unique in the gazetteer: `dudley`, `dorset-until-2019`.
    pub slug: String,
    /// ONS region, e.g. "West Midlands".
    pub region: String,
    /// `county`, `unitary`, `metropolitan borough`, `London borough`, `other` or `former`.
    pub kind: String,
    /// The council's official name.
    pub council: String,
    /// The DfE three-digit LA number, where known.
    pub dfe_code: Option<String>,
    /// Other names seen in news and council text.
    pub aliases: Vec<String>,
    /// ONS codes of the gazetteer's areas that this one replaced.
    pub predecessors: Vec<String>,
    /// ONS codes of the gazetteer's areas that replaced this one (for former areas).
    pub successors: Vec<String>,
    /// First day the authority existed, where that is within the inspections' lifetime.
    pub valid_from: Option<PartialDate>,
    /// Last day the authority existed, for former areas.
    pub valid_to: Option<PartialDate>,
    /// Free-text caveats from the gazetteer.
    pub notes: String,
}

impl LocalArea {
    /// Its ONS code and those of the areas it replaced: the codes whose official inspections
    /// are its history.
    pub fn codes_with_predecessors(&self) -> Vec<&str> {
        std::iter::once(self.code.as_str())
            .chain(self.predecessors.iter().map(String::as_str))
            .collect()
    }

    /// True for an abolished area (kind `former`).
    pub fn is_former(&self) -> bool {
        self.kind == "former"
    }
}

/// The area an Article is about, with where it is first named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaMatch<'g> {
    /// The chosen area.
    pub area: &'g LocalArea,
    /// The sentence that first names the area. When the title names it, this is the whole
    /// title with paragraph 0 (the title has no paragraph index of its own).
    pub evidence: Evidence,
    /// Other areas the Article names, strongest first: areas it compares with ("unlike
    /// neighbouring Sandwell") and areas it names outright. Areas seen only through weak
    /// hits (ambiguous short forms) or inside an NHS body's name ("NHS Lincolnshire
    /// Integrated Care Board") are left out.
    pub others: Vec<&'g LocalArea>,
    /// How the area was chosen, for `extract --explain`: the name or alias first matched,
    /// whether it was a plain (strong) or only an ambiguous (weak) mention, the score against
    /// the runner-up, and the date rule when a former area shares the name, e.g. `name
    /// "BCP" (alias of Bournemouth, Christchurch and Poole) strong, score 52.0 over Dorset
    /// 8.3`.
    pub rule: String,
}

/// How much a hit tells about the Article's subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A plain mention of the area.
    Strong,
    /// Ambiguous or qualified: counts only when nothing is strong.
    Weak,
    /// Named as a point of comparison; never the subject.
    Comparison,
}

/// A name or alias, after merging duplicates (case-insensitively).
#[derive(Debug, Clone)]
struct Term {
    /// Index of the family (rows sharing a name) the term belongs to.
    family: usize,
    /// The rows that list this term; one row means the term is specific to it.
    rows: Vec<usize>,
    /// Ambiguous short form: always weak.
    risky: bool,
    /// An ordinary English word too: weak at the start of a sentence.
    common: bool,
    /// The term itself ends in "City" ("Leicester City"), so a following "City" check is moot.
    ends_with_city: bool,
}

/// One search pattern: a term or a spelling variant of it.
#[derive(Debug, Clone)]
struct Pattern {
    /// Index into `Gazetteer::terms`.
    term: usize,
    /// The spelling, whose capitals the text must respect.
    text: String,
    /// An acronym ("BCP", "IoW"): every capital must match.
    acronym: bool,
}

/// A hit inside one text.
#[derive(Debug, Clone, Copy)]
struct Hit {
    term: usize,
    /// The pattern (spelling) matched.
    pattern: usize,
    start: usize,
    end: usize,
    class: Class,
    /// Part of an NHS body's name ("NHS Gloucestershire Clinical Commissioning Group").
    in_nhs_body: bool,
}

/// Per-family running totals while reading one Article.
#[derive(Debug, Clone)]
struct Tally {
    family: usize,
    strong: f32,
    weak: f32,
    comparison: f32,
    /// First strong hit: (paragraph or `None` for the title, byte offset).
    first_strong: Option<Place>,
    first_weak: Option<Place>,
    /// The patterns of the first strong and weak hits.
    first_strong_pattern: Option<usize>,
    first_weak_pattern: Option<usize>,
    /// Named outright at least once (a strong hit outside an NHS body's name).
    named: bool,
    /// Hits on terms specific to a former row, and to a current row.
    former_specific: u32,
    current_specific: u32,
}

/// The gazetteer: every LocalArea plus the indexes and the matcher built over them.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    areas: Vec<LocalArea>,
    by_code: HashMap<String, usize>,
    by_slug: HashMap<String, usize>,
    /// Rows grouped by shared name (Dorset: the former county and the unitary).
    families: Vec<Vec<usize>>,
    terms: Vec<Term>,
    patterns: Vec<Pattern>,
    /// The matcher: each pattern's first word, lower-cased → its patterns, longest first.
    by_first_word: HashMap<Vec<u8>, Vec<usize>, BuildHasherDefault<Fnv>>,
    /// The longest first word of any pattern, in bytes.
    longest_first_word: usize,
    /// `starts[b]`: a word starting with byte `b` may begin a name (the capitals).
    starts: [bool; 256],
    /// `pairs[pair_key(word)]`: some name's first word begins with these two bytes (case
    /// ignored); a cheap test before hashing the word.
    pairs: Vec<bool>,
    /// Normalised name or alias → rows, for `lookup`.
    by_name: HashMap<String, Vec<usize>>,
    /// (normalised name or alias, row) for `suggest`.
    keys: Vec<(Vec<char>, usize)>,
    /// Every region once, in order of first appearance: (slug, name).
    regions: Vec<(String, String)>,
}

impl Gazetteer {
    /// An empty gazetteer.
    fn empty() -> Gazetteer {
        Gazetteer {
            areas: Vec::new(),
            by_code: HashMap::new(),
            by_slug: HashMap::new(),
            families: Vec::new(),
            terms: Vec::new(),
            patterns: Vec::new(),
            by_first_word: HashMap::default(),
            longest_first_word: 0,
            starts: [false; 256],
            pairs: vec![false; 128 * 128],
            by_name: HashMap::new(),
            keys: Vec::new(),
            regions: Vec::new(),
        }
    }

    /// Parses a gazetteer file (the format of `local-areas.tsv`: `#` comment lines, a header
    /// line, then tab-separated rows). Fails with a message naming the line on a malformed
    /// row: wrong number of fields, an empty or malformed code or name, an unknown kind, a
    /// bad date or a duplicate code.
    pub fn parse(tsv: &str) -> Result<Gazetteer, String> {
        let mut header: Option<Vec<usize>> = None;
        let mut width = 0;
        let mut areas = Vec::new();
        let mut former_codes: Vec<(String, usize)> = Vec::new();
        let mut by_code = HashMap::new();
        for (number, line) in
            tsv.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let Some(columns) = &header else {
                let mut columns = Vec::with_capacity(COLUMNS.len());
                for wanted in COLUMNS {
                    let index = fields
                        .iter()
                        .position(|f| f.trim() == *wanted)
                        .ok_or_else(|| format!("line {number}: header has no {wanted:?} column"))?;
                    columns.push(index);
                }
                width = fields.len();
                header = Some(columns);
                continue;
            };
            if fields.len() != width {
                return Err(format!(
                    "line {number}: expected {width} tab-separated fields, found {}",
                    fields.len()
                ));
            }
            let get = |column: usize| fields[columns[column]].trim();
            let code = get(0);
            if !is_ons_code(code) {
                return Err(format!("line {number}: {code:?} is not an ONS code like E08000027"));
            }
            let name = get(1);
            if name.is_empty() {
                return Err(format!("line {number}: empty name"));
            }
            let kind = get(3);
            if !KINDS.contains(&kind) {
                return Err(format!("line {number}: unknown kind {kind:?}"));
            }
            let date = |column: usize| -> Result<Option<PartialDate>, String> {
                let text = get(column);
                if text.is_empty() {
                    return Ok(None);
                }
                text.parse()
                    .map(Some)
                    .map_err(|e| format!("line {number}: {}: {e}", COLUMNS[column]))
            };
            let valid_from = date(9)?;
            let valid_to = date(10)?;
            if by_code.insert(code.to_string(), areas.len()).is_some() {
                return Err(format!("line {number}: duplicate code {code}"));
            }
            for old in ons_codes(get(11)) {
                former_codes.push((old, areas.len()));
            }
            let dfe = get(4);
            areas.push(LocalArea {
                code: code.to_string(),
                name: name.to_string(),
                slug: String::new(),
                region: get(2).to_string(),
                kind: kind.to_string(),
                council: get(5).to_string(),
                dfe_code: (!dfe.is_empty()).then(|| dfe.to_string()),
                aliases: get(6)
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect(),
                // Every code the column names for now; `link_reorganisations` keeps the rows.
                predecessors: ons_codes(get(7)),
                successors: ons_codes(get(8)),
                valid_from,
                valid_to,
                notes: get(12).to_string(),
            });
        }
        if header.is_none() {
            return Err("no header line".to_string());
        }
        // Recodes are looked up too, unless the old code is itself a row.
        for (old, row) in former_codes {
            by_code.entry(old).or_insert(row);
        }
        link_reorganisations(&mut areas, &by_code);

        let mut gazetteer = Gazetteer { areas, by_code, ..Gazetteer::empty() };
        gazetteer.group_families();
        gazetteer.assign_slugs();
        gazetteer.build_terms();
        for area in &gazetteer.areas {
            if !gazetteer.regions.iter().any(|(_, name)| *name == area.region) {
                let slug = super::slug::slugify(&area.region);
                gazetteer.regions.push((slug, area.region.clone()));
            }
        }
        Ok(gazetteer)
    }

    /// The gazetteer shipped with the crate (`data/reference/local-areas.tsv`).
    pub fn builtin() -> &'static Gazetteer {
        &BUILTIN
    }

    /// Every area, in file order.
    pub fn areas(&self) -> &[LocalArea] {
        &self.areas
    }

    /// Every region, once each, in order of first appearance.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.regions.iter().map(|(_, name)| name.as_str())
    }

    /// The region whose slug (as a search filter or facet value has it) is `slug`.
    pub fn region_by_slug(&self, slug: &str) -> Option<&str> {
        self.regions.iter().find(|(s, _)| s == slug).map(|(_, name)| name.as_str())
    }

    /// The area with this ONS code (also an older code listed in `former_codes`, such as
    /// E08000016 for Barnsley).
    pub fn by_code(&self, code: &str) -> Option<&LocalArea> {
        self.by_code.get(code.trim()).map(|&i| &self.areas[i])
    }

    /// The area with this slug.
    pub fn by_slug(&self, slug: &str) -> Option<&LocalArea> {
        self.by_slug.get(slug).map(|&i| &self.areas[i])
    }

    /// The areas one text names outright, in the order it names them, with the byte offset
    /// of each name: plain (strong) mentions only, so not a comparison ("unlike
    /// neighbouring Sandwell"), an ambiguous short form, a surname, nor a name inside an NHS
    /// body's. A name shared by a former area and its successor is resolved by `date` as in
    /// [`Gazetteer::find`]. Round-ups use it to see which area a paragraph is about.
    pub fn named_in(&self, text: &str, date: Option<PartialDate>) -> Vec<(usize, &LocalArea)> {
        let mut hits = Vec::new();
        self.scan(text, false, &mut hits);
        hits.iter()
            .filter(|hit| hit.class == Class::Strong && !hit.in_nhs_body)
            .map(|hit| {
                let term = &self.terms[hit.term];
                let mut tally = Tally::new(term.family);
                if let [row] = term.rows[..] {
                    if self.areas[row].is_former() {
                        tally.former_specific = 1;
                    } else {
                        tally.current_specific = 1;
                    }
                }
                (hit.start, &self.areas[self.resolve(&tally, date)])
            })
            .collect()
    }

    /// The area an Article is about, from its title and paragraphs, or `None` when no area is
    /// named (or only as a comparison).
    ///
    /// Where a name is shared by a former area and its successor, `date` (the Article's or
    /// Inspection's) chooses: a date on or before the former row's `valid_to` gives the
    /// former area, one on or after the successor's `valid_from` the successor. A date
    /// without a year, or one that straddles the change (just "2019"), counts as unknown, and
    /// an unknown date gives the current area, unless every hit was on a name only the
    /// former council had ("Dorset County Council").
    pub fn find(
        &self,
        title: Option<&str>,
        paragraphs: &[String],
        date: Option<PartialDate>,
    ) -> Option<AreaMatch<'_>> {
        let mut tallies: Vec<Tally> = Vec::new();
        let mut hits: Vec<Hit> = Vec::new();
        let texts = title
            .map(|t| (None, t))
            .into_iter()
            .chain(paragraphs.iter().enumerate().map(|(i, p)| (Some(i), p.as_str())));
        for (paragraph, text) in texts {
            self.scan(text, paragraph.is_none(), &mut hits);
            let weight = match paragraph {
                None => 40.0,
                Some(i) => 1.0 + 16.0 / (i as f32 + 2.0),
            };
            for hit in &hits {
                let term = &self.terms[hit.term];
                let index = match tallies.iter().position(|t| t.family == term.family) {
                    Some(index) => index,
                    None => {
                        tallies.push(Tally::new(term.family));
                        tallies.len() - 1
                    }
                };
                let tally = &mut tallies[index];
                let place = Some((paragraph, hit.start));
                match hit.class {
                    Class::Strong => {
                        tally.strong += weight;
                        tally.first_strong = tally.first_strong.or(place);
                        tally.first_strong_pattern =
                            tally.first_strong_pattern.or(Some(hit.pattern));
                        tally.named |= !hit.in_nhs_body;
                    }
                    Class::Weak => {
                        tally.weak += weight;
                        tally.first_weak = tally.first_weak.or(place);
                        tally.first_weak_pattern = tally.first_weak_pattern.or(Some(hit.pattern));
                    }
                    Class::Comparison => tally.comparison += weight,
                }
                if hit.class != Class::Comparison
                    && let [row] = term.rows[..]
                {
                    if self.areas[row].is_former() {
                        tally.former_specific += 1;
                    } else {
                        tally.current_specific += 1;
                    }
                }
            }
        }

        // The best strong area; failing that, the best weak one. Ties go to the area named
        // first.
        let chosen = best(&tallies, |t| (t.strong, t.first_strong))
            .or_else(|| best(&tallies, |t| (t.weak, t.first_weak)))?;
        let (paragraph, offset) = chosen.first_strong.or(chosen.first_weak)?;
        let evidence = match paragraph {
            None => Evidence::new(title.unwrap_or_default().trim(), 0),
            Some(i) => Evidence::new(sentence_at(&paragraphs[i], offset), i),
        };

        let mut others: Vec<&Tally> = tallies
            .iter()
            .filter(|t| t.family != chosen.family && (t.named || t.comparison > 0.0))
            .collect();
        others.sort_by(|a, b| (b.strong + b.comparison).total_cmp(&(a.strong + a.comparison)));
        let area = &self.areas[self.resolve(chosen, date)];
        let rule = self.explain(chosen, area, &tallies, paragraph.is_none());
        let others = others.into_iter().map(|t| &self.areas[self.resolve(t, date)]).collect();
        Some(AreaMatch { area, evidence, others, rule })
    }

    /// Up to `limit` areas whose names or aliases resemble `query`, best first: exact
    /// matches, then prefixes ("southend"), word prefixes, substrings, then near misses
    /// within a small edit distance ("Dudly"). Case, punctuation and `&`/"and" are ignored;
    /// current areas come before former ones on ties.
    pub fn suggest(&self, query: &str, limit: usize) -> Vec<&LocalArea> {
        let q = normalise(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let code = q.iter().collect::<String>().to_ascii_uppercase();
        // The typo allowance grows with the query's length; very short queries get none.
        let allowance = match q.len() {
            0..=3 => 0,
            4..=7 => 1,
            8..=11 => 2,
            _ => 3,
        };
        let mut best: HashMap<usize, (u32, usize, bool, usize)> = HashMap::new();
        for (key, row) in &self.keys {
            let Some((tier, distance)) = rank(&q, key, allowance) else { continue };
            let candidate = (tier, distance, self.areas[*row].is_former(), key.len());
            best.entry(*row).and_modify(|b| *b = (*b).min(candidate)).or_insert(candidate);
        }
        if let Some(&row) = self.by_code.get(&code) {
            best.insert(row, (0, 0, false, 0));
        }
        let mut ranked: Vec<(usize, (u32, usize, bool, usize))> = best.into_iter().collect();
        ranked.sort_by_key(|&(row, key)| (key, row));
        ranked.into_iter().take(limit).map(|(row, _)| &self.areas[row]).collect()
    }

    /// The area with exactly this name or alias (ignoring case, and hyphens against spaces),
    /// with a shared name resolved by `date` as in [`Gazetteer::find`].
    pub fn lookup(&self, name: &str, date: Option<PartialDate>) -> Option<&LocalArea> {
        let key: String = normalise(name).into_iter().collect();
        let rows = self.by_name.get(&key)?;
        Some(&self.areas[self.choose_by_date(rows, date)])
    }

    /// Groups rows that share a name, in order of first appearance.
    fn group_families(&mut self) {
        let mut index: HashMap<String, usize> = HashMap::new();
        for (row, area) in self.areas.iter().enumerate() {
            let key = area.name.to_lowercase();
            let family = *index.entry(key).or_insert_with(|| {
                self.families.push(Vec::new());
                self.families.len() - 1
            });
            self.families[family].push(row);
        }
    }

    /// Gives every row a unique slug: a former row that shares its name with a current one
    /// gets `-until-YYYY`; any remaining clash gets a number.
    fn assign_slugs(&mut self) {
        let mut slugs = Vec::with_capacity(self.areas.len());
        for family in &self.families {
            let shared = family.iter().any(|&r| !self.areas[r].is_former()) && family.len() > 1;
            for &row in family {
                let area = &self.areas[row];
                let mut slug = slugify(&area.name);
                if shared && area.is_former() {
                    match area.valid_to.and_then(|d| d.year) {
                        Some(year) => slug.push_str(&format!("-until-{year}")),
                        None => slug.push_str("-former"),
                    }
                }
                slugs.push((row, slug));
            }
        }
        slugs.sort_by_key(|(row, _)| *row);
        for (row, slug) in slugs {
            let mut unique = slug.clone();
            let mut n = 2;
            while self.by_slug.contains_key(&unique) {
                unique = format!("{slug}-{n}");
                n += 1;
            }
            self.by_slug.insert(unique.clone(), row);
            self.areas[row].slug = unique;
        }
    }

    /// Builds the terms, their spelling variants, the matcher and the look-up keys.
    fn build_terms(&mut self) {
        let flagged: Vec<String> =
            self.areas.iter().flat_map(|a| flagged_aliases(&a.notes)).collect();
        let mut term_index: HashMap<String, usize> = HashMap::new();
        let mut family_of = vec![0; self.areas.len()];
        for (family, rows) in self.families.iter().enumerate() {
            for &row in rows {
                family_of[row] = family;
            }
        }
        for (row, area) in self.areas.iter().enumerate() {
            let names = std::iter::once(&area.name).chain(&area.aliases).chain(Some(&area.council));
            for name in names {
                let lower = name.to_lowercase();
                let index = *term_index.entry(lower.clone()).or_insert_with(|| {
                    self.terms.push(Term {
                        family: family_of[row],
                        rows: Vec::new(),
                        risky: word_list("risky").iter().any(|r| r.eq_ignore_ascii_case(name))
                            || flagged.iter().any(|f| f.eq_ignore_ascii_case(name)),
                        common: word_list("common_word")
                            .iter()
                            .any(|w| w.eq_ignore_ascii_case(&lower)),
                        ends_with_city: lower.ends_with(" city"),
                    });
                    self.terms.len() - 1
                });
                let term = &mut self.terms[index];
                if !term.rows.contains(&row) {
                    term.rows.push(row);
                }
                // A term shared by two names would be ambiguous; it only counts as weak.
                if term.family != family_of[row] {
                    term.risky = true;
                }
                let key = normalise(name);
                let rows = self.by_name.entry(key.iter().collect()).or_default();
                if !rows.contains(&row) {
                    rows.push(row);
                }
                self.keys.push((key, row));
                for variant in variants(name) {
                    let acronym = !variant.contains(' ')
                        && variant.bytes().filter(u8::is_ascii_uppercase).count() >= 2;
                    self.patterns.push(Pattern { term: index, text: variant, acronym });
                }
            }
        }
        self.keys.sort();
        self.keys.dedup();
        let mut seen = std::collections::HashSet::new();
        self.patterns.retain(|p| seen.insert(p.text.to_lowercase()));
        // Only names that start with a capital are searched for: a lower-case start ("the
        // City") would make every "the" a candidate, for weak evidence at best.
        self.patterns.retain(|p| p.text.as_bytes().first().is_some_and(u8::is_ascii_uppercase));
        for pattern in &self.patterns {
            let first = pattern.text.as_bytes()[0];
            self.starts[usize::from(first)] = true;
            self.pairs[pair_key(pattern.text.as_bytes())] = true;
        }
        for (id, pattern) in self.patterns.iter().enumerate() {
            let first = first_word(pattern.text.as_bytes()).to_ascii_lowercase();
            self.longest_first_word = self.longest_first_word.max(first.len());
            self.by_first_word.entry(first).or_default().push(id);
        }
        let patterns = &self.patterns;
        for ids in self.by_first_word.values_mut() {
            ids.sort_by_key(|&id| std::cmp::Reverse(patterns[id].text.len()));
        }
    }

    /// Collects the classified hits in one text into `hits` (cleared first).
    ///
    /// The matching is leftmost-longest and ASCII-case-insensitive, on whole words. Every
    /// name starts with a capital that the text must keep (see `capitals_agree`), so rather
    /// than run an automaton over every byte (an aho-corasick pass measured about 37 µs per
    /// Article, over budget), this looks up each capitalised word in an index of the names'
    /// first words and tries that word's names longest first. It resumes after each hit, so
    /// "South Gloucestershire" is never also "Gloucestershire"; when the longest name fails
    /// the whole-word test a shorter one may still match.
    fn scan(&self, text: &str, in_title: bool, hits: &mut Vec<Hit>) {
        hits.clear();
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(offset) = bytes[at..].iter().position(|&b| self.starts[usize::from(b)]) {
            let start = at + offset;
            at = start + 1;
            // Only at the start of a word (a non-ASCII letter before counts as a word too).
            if start > 0
                && (bytes[start - 1].is_ascii_alphanumeric()
                    || (bytes[start - 1] >= 0x80
                        && text[..start].chars().next_back().is_some_and(char::is_alphanumeric)))
            {
                continue;
            }
            let Some((id, end)) = self.match_at(text, start) else { continue };
            at = end;
            let pattern = &self.patterns[id];
            let term = &self.terms[pattern.term];
            let before = previous_words(text, start);
            if is_person(text, end, &before, in_title) {
                continue;
            }
            let class = if is_comparison(text, start) {
                Class::Comparison
            } else if term.risky
                || (term.common && at_sentence_start(text, start))
                || is_qualified(text, start, &before)
                || is_club_or_compound(text, end, term.ends_with_city)
            {
                Class::Weak
            } else {
                Class::Strong
            };
            hits.push(Hit {
                term: pattern.term,
                pattern: id,
                start,
                end,
                class,
                in_nhs_body: false,
            });
        }
        self.weaken_nhs_chains(text, hits);
    }

    /// The longest pattern that matches as a whole word at `start`, with its end.
    fn match_at(&self, text: &str, start: usize) -> Option<(usize, usize)> {
        let bytes = text.as_bytes();
        if !self.pairs[pair_key(&bytes[start..])] {
            return None;
        }
        let word = first_word(&bytes[start..]);
        if word.len() > self.longest_first_word {
            return None;
        }
        let mut key = [0u8; 64];
        let key = key.get_mut(..word.len())?;
        key.copy_from_slice(word);
        key.make_ascii_lowercase();
        let ids = self.by_first_word.get(&key[..])?;
        ids.iter().find_map(|&id| {
            let pattern = &self.patterns[id];
            let end = start + pattern.text.len();
            let found = bytes.get(start..end)?;
            (found.eq_ignore_ascii_case(pattern.text.as_bytes())
                && text.is_char_boundary(end)
                && is_word_boundary(text, start, end)
                && capitals_agree(pattern, found))
            .then_some((id, end))
        })
    }

    /// Several areas chained into one NHS body's name ("Herefordshire and Worcestershire
    /// ICB") say where the body works, not what the Article is about, so they turn weak. A
    /// single area's body ("Worcestershire Clinical Commissioning Groups") still counts, but
    /// is marked so that it alone does not put an area among `others`.
    fn weaken_nhs_chains(&self, text: &str, hits: &mut [Hit]) {
        let mut i = 0;
        while i < hits.len() {
            let mut j = i;
            while j + 1 < hits.len()
                && hits[j + 1].start >= hits[j].end
                && is_chain_gap(&text[hits[j].end..hits[j + 1].start])
            {
                j += 1;
            }
            if starts_with_nhs_body(&text[hits[j].end..]) {
                for hit in &mut hits[i..=j] {
                    hit.in_nhs_body = true;
                    if j > i && hit.class == Class::Strong {
                        hit.class = Class::Weak;
                    }
                }
            }
            i = j + 1;
        }
    }

    /// The account of why `chosen` won (see [`AreaMatch::rule`]).
    fn explain(
        &self,
        chosen: &Tally,
        area: &LocalArea,
        tallies: &[Tally],
        in_title: bool,
    ) -> String {
        let strong = chosen.strong > 0.0;
        let pattern = if strong { chosen.first_strong_pattern } else { chosen.first_weak_pattern };
        let matched = pattern.map_or("", |id| self.patterns[id].text.as_str());
        let what = if matched.eq_ignore_ascii_case(&area.name) {
            "name".to_string()
        } else if matched.eq_ignore_ascii_case(&area.council) {
            format!("council name of {}", area.name)
        } else {
            format!("alias of {}", area.name)
        };
        let (score, class) =
            if strong { (chosen.strong, "strong") } else { (chosen.weak, "weak only") };
        let runner_up = tallies
            .iter()
            .filter(|t| t.family != chosen.family)
            .map(|t| (t, if strong { t.strong } else { t.weak }))
            .filter(|(_, s)| *s > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let mut rule = format!("name \"{matched}\" ({what}) {class}, score {score:.1}");
        match runner_up {
            Some((t, s)) => {
                let name = &self.areas[self.families[t.family][0]].name;
                rule.push_str(&format!(" over {name} {s:.1}"));
            }
            None => rule.push_str(", no other area named"),
        }
        if in_title {
            rule.push_str("; first named in the title");
        }
        if self.families[chosen.family].len() > 1 {
            let when = if area.is_former() { "former area" } else { "current area" };
            rule.push_str(&format!("; shared name, {when} chosen by the article's date"));
        }
        rule
    }

    /// The row of a family for this date (see [`Gazetteer::find`]).
    fn resolve(&self, tally: &Tally, date: Option<PartialDate>) -> usize {
        let rows = &self.families[tally.family];
        let known = date.and_then(date_range).is_some();
        if !known
            && tally.former_specific > 0
            && tally.current_specific == 0
            && let Some(&row) = rows.iter().find(|&&r| self.areas[r].is_former())
        {
            return row;
        }
        self.choose_by_date(rows, date)
    }

    /// Among rows sharing a name, the one valid throughout the date's range; otherwise the
    /// first current row; otherwise the first row.
    fn choose_by_date(&self, rows: &[usize], date: Option<PartialDate>) -> usize {
        if let Some((earliest, latest)) = date.and_then(date_range) {
            let valid: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&r| {
                    let area = &self.areas[r];
                    let from = area.valid_from.and_then(|d| d.sort_key()).unwrap_or(i64::MIN);
                    let to = area.valid_to.and_then(date_range).map_or(i64::MAX, |(_, l)| l);
                    from <= earliest && latest <= to
                })
                .collect();
            if let [row] = valid[..] {
                return row;
            }
        }
        rows.iter()
            .copied()
            .find(|&r| !self.areas[r].is_former())
            .or_else(|| rows.first().copied())
            .unwrap_or(0)
    }
}

impl Tally {
    fn new(family: usize) -> Tally {
        Tally {
            family,
            strong: 0.0,
            weak: 0.0,
            comparison: 0.0,
            first_strong: None,
            first_weak: None,
            first_strong_pattern: None,
            first_weak_pattern: None,
            named: false,
            former_specific: 0,
            current_specific: 0,
        }
    }
}

/// Where a hit is: the paragraph (`None` for the title) and the byte offset.
type Place = (Option<usize>, usize);

/// The tally with the highest positive score, ties going to the one named first.
fn best(tallies: &[Tally], key: impl Fn(&Tally) -> (f32, Option<Place>)) -> Option<&Tally> {
    let mut best: Option<(&Tally, f32, Option<Place>)> = None;
    for tally in tallies {
        let (score, first) = key(tally);
        if score > 0.0
            && best.is_none_or(|(_, s, f)| score > s || (score == s && earlier(first, f)))
        {
            best = Some((tally, score, first));
        }
    }
    best.map(|(tally, _, _)| tally)
}

/// Whether place `a` comes before place `b` (the title before paragraph 0).
fn earlier(a: Option<Place>, b: Option<Place>) -> bool {
    let key = |p: Option<Place>| p.map(|(para, off)| (para.map_or(0, |i| i + 1), off));
    match (key(a), key(b)) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        _ => false,
    }
}

/// The first and last day (as sort keys) a partial date can mean; `None` without a year.
fn date_range(date: PartialDate) -> Option<(i64, i64)> {
    let year = date.year?;
    let earliest = date.sort_key()?;
    let last_month = date.month.unwrap_or(12);
    let last_day = match date.day {
        Some(day) => day,
        None => (28..=31).rev().find(|&d| PartialDate::ymd(year, last_month, d).is_some())?,
    };
    let latest = PartialDate::ymd(year, last_month, last_day)?.sort_key()?;
    Some((earliest, latest))
}

/// FNV-1a, for the matcher's index of short words: much cheaper than the default SipHash,
/// and the keys come from the gazetteer, not from an adversary.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// An index for the first two bytes of a word, case ignored (a one-letter word pairs with 0).
fn pair_key(bytes: &[u8]) -> usize {
    let byte = |i: usize| {
        bytes
            .get(i)
            .filter(|b| b.is_ascii_alphanumeric())
            .map_or(0, |b| b.to_ascii_lowercase() & 0x7f)
    };
    let first = byte(0);
    let second = if first == 0 { 0 } else { byte(1) };
    usize::from(first) * 128 + usize::from(second)
}

/// The leading run of ASCII letters and digits.
fn first_word(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(bytes.len());
    &bytes[..end]
}

/// Whether `code` looks like an ONS GSS code: a capital letter and eight digits.
fn is_ons_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 9 && bytes[0].is_ascii_uppercase() && bytes[1..].iter().all(u8::is_ascii_digit)
}

/// Every ONS code in free text ("Bournemouth UA (E06000028); Poole UA (E06000029)").
fn ons_codes(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| is_ons_code(w))
        .map(str::to_string)
        .collect();
    codes.dedup();
    codes
}

/// Keeps only predecessor and successor codes that are rows, and makes the links two-way
/// (a successor's predecessors include every row that names it as successor, and back).
fn link_reorganisations(areas: &mut [LocalArea], by_code: &HashMap<String, usize>) {
    let known = |code: &String, own: &str| {
        by_code.get(code).is_some_and(|&i| areas[i].code == *code) && code != own
    };
    let mut links: Vec<(usize, usize)> = Vec::new(); // (predecessor, successor)
    for (row, area) in areas.iter().enumerate() {
        for code in area.predecessors.iter().filter(|c| known(c, &area.code)) {
            links.push((by_code[code], row));
        }
        for code in area.successors.iter().filter(|c| known(c, &area.code)) {
            links.push((row, by_code[code]));
        }
    }
    for area in areas.iter_mut() {
        area.predecessors.clear();
        area.successors.clear();
    }
    for (old, new) in links {
        let (old_code, new_code) = (areas[old].code.clone(), areas[new].code.clone());
        if !areas[new].predecessors.contains(&old_code) {
            areas[new].predecessors.push(old_code);
        }
        if !areas[old].successors.contains(&new_code) {
            areas[old].successors.push(new_code);
        }
    }
}

/// The aliases a notes column flags as ambiguous ("alias Kingston can also mean ...").
fn flagged_aliases(notes: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = notes;
    while let Some(at) = rest.find("alias ") {
        rest = &rest[at + "alias ".len()..];
        let end = rest.find(" also ").or_else(|| rest.find(" can ")).unwrap_or(0);
        let alias = rest[..end].trim();
        if !alias.is_empty() {
            found.push(alias.to_string());
        }
    }
    found
}

/// Lower-case ASCII words joined by hyphens: "Bath and North East Somerset" →
/// `bath-and-north-east-somerset`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '\u{2019}' && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A name reduced for comparison: lower case, `&` as "and", anything that is not a letter or
/// digit as a single space.
fn normalise(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    let push_space = |out: &mut Vec<char>| {
        if out.last().is_some_and(|&c| c != ' ') {
            out.push(' ');
        }
    };
    for c in text.chars() {
        if c == '&' {
            push_space(&mut out);
            out.extend("and".chars());
            push_space(&mut out);
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c != '.' && c != '\'' && c != '\u{2019}' {
            push_space(&mut out);
        }
    }
    while out.last() == Some(&' ') {
        out.pop();
    }
    out
}

/// How well `key` answers `query`: (tier, edit distance), lower is better, `None` for no
/// match. Tiers: 0 exact, 1 prefix, 2 word prefix, 3 substring, 4 near miss.
fn rank(query: &[char], key: &[char], allowance: usize) -> Option<(u32, usize)> {
    if key == query {
        return Some((0, 0));
    }
    if key.starts_with(query) {
        return Some((1, 0));
    }
    let word_starts: Vec<usize> = std::iter::once(0)
        .chain(key.iter().enumerate().filter(|(_, c)| **c == ' ').map(|(i, _)| i + 1))
        .collect();
    if word_starts.iter().any(|&s| key[s..].starts_with(query)) {
        return Some((2, 0));
    }
    if key.windows(query.len()).any(|w| w == query) {
        return Some((3, 0));
    }
    if allowance == 0 {
        return None;
    }
    // The best of: the whole key, or a prefix of the key (or of any of its words), against
    // the whole query.
    let distance = word_starts.iter().map(|&s| prefix_distance(query, &key[s..])).min()?;
    (distance <= allowance).then_some((4, distance))
}

/// The smallest optimal-string-alignment distance between `query` and any prefix of `key`
/// (the whole key included), so "dudl" and "dudly" are both close to "dudley".
fn prefix_distance(query: &[char], key: &[char]) -> usize {
    let (m, n) = (query.len(), key.len());
    let mut rows = vec![vec![0usize; n + 1]; m + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=m {
        for j in 1..=n {
            let cost = usize::from(query[i - 1] != key[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && query[i - 1] == key[j - 2] && query[i - 2] == key[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[m].iter().copied().min().unwrap_or(m)
}

/// Spelling variants a name appears in: as given, hyphens as spaces ("Stockton on Tees"),
/// spaces as hyphens around place-name joiners ("Kingston-upon-Thames"), `&` for "and"
/// and back, and "St." for "St".
fn variants(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    let add = |out: &mut Vec<String>, v: String| {
        if !out.contains(&v) {
            out.push(v);
        }
    };
    if name.contains('-') {
        add(&mut out, name.replace('-', " "));
    }
    for joiner in ["upon", "on", "under"] {
        let (spaced, hyphened) = (format!(" {joiner} "), format!("-{joiner}-"));
        if name.contains(&spaced) {
            add(&mut out, name.replace(&spaced, &hyphened));
        }
    }
    for v in out.clone() {
        if v.contains(" and ") {
            add(&mut out, v.replace(" and ", " & "));
        }
        if v.contains(" & ") {
            add(&mut out, v.replace(" & ", " and "));
        }
        if v.starts_with("St ") {
            add(&mut out, v.replacen("St ", "St. ", 1));
        }
    }
    out.retain(|v| !v.trim().is_empty());
    out
}

/// Whether the hit is a whole word: no letter or digit just before or after it.
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Whether the text's capitals agree with the pattern's: each word the pattern capitalises
/// is capitalised in the text (all capitals for acronyms). Upper-case text always agrees.
fn capitals_agree(pattern: &Pattern, found: &[u8]) -> bool {
    let (p, t) = (pattern.text.as_bytes(), found);
    if p.len() != t.len() {
        return true;
    }
    (0..p.len()).all(|i| {
        let word_start = i == 0 || !p[i - 1].is_ascii_alphabetic();
        !(p[i].is_ascii_uppercase() && (pattern.acronym || word_start)) || t[i].is_ascii_uppercase()
    })
}

/// Up to two words before `start`, nearest first, with their trailing punctuation kept so a
/// comma can break the link ("Bucktin, Dudley").
fn previous_words(text: &str, start: usize) -> [&str; 2] {
    let window = &text[floor_char_boundary(text, start.saturating_sub(48))..start];
    let mut words = window.split_whitespace().rev();
    // A hit glued to the previous word ("mid-Essex") has no whitespace before it; the
    // glued part is handled by `is_qualified`.
    if !window.ends_with(char::is_whitespace) && !window.is_empty() {
        words.next();
    }
    [words.next().unwrap_or(""), words.next().unwrap_or("")]
}

/// Whether the hit is a person's surname: "Cllr Sutton", "Cllr Clare Sutton", "By Paul
/// Sutton", and (outside
/// the title, whose headline capitals prove nothing) a capitalised word and the name
/// followed by an attribution: "Charlotte Bolton, Accountable Officer", "Jo Bury said".
fn is_person(text: &str, end: usize, before: &[&str; 2], in_title: bool) -> bool {
    let honorific = |w: &str| {
        let w = w.trim_end_matches('.');
        word_list("honorific").iter().any(|h| h.eq_ignore_ascii_case(w))
    };
    let capitalised = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    };
    // An honorific, or a byline's "By" ("By Paul Sutton"), before a first name.
    let introduces = |w: &str| honorific(w) || w == "By";
    if honorific(before[0]) || (capitalised(before[0]) && introduces(before[1])) {
        return true;
    }
    if in_title || !capitalised(before[0]) || before[0].len() < 2 {
        return false;
    }
    // Sentence openers, prepositions and participles are capitalised too ("In Dudley, ...",
    // "Visiting Dudley, ..."). Endings like "-ed" are not used: Mohammed, Ahmed, Fred.
    let word = before[0];
    let opener = word_list("not_first_name").iter().any(|w| w.eq_ignore_ascii_case(word))
        || word.ends_with("ing");
    let rest = &text[end..];
    let attribution = rest.starts_with(',')
        || [" said", " says", " added", " told", " who", " (", "'s ", "\u{2019}s "]
            .iter()
            .any(|a| rest.starts_with(a));
    !opener && attribution
}

/// Whether a word before the hit makes it another geography or an institution: a compass
/// word or "New" ("South Essex", "New York"), "University of", "Duke of", or a hyphen
/// ("mid-Essex").
fn is_qualified(text: &str, start: usize, before: &[&str; 2]) -> bool {
    if text[..start].ends_with('-') {
        return true;
    }
    let word = before[0];
    if word_list("qualifier").iter().any(|q| q.eq_ignore_ascii_case(word)) {
        return true;
    }
    word.eq_ignore_ascii_case("of")
        && word_list("of_holder").iter().any(|h| h.eq_ignore_ascii_case(before[1]))
}

/// Whether the words after the hit make it a club, a university or a compound place name:
/// "Leeds United", "Derby County" (but not "... County Council"), "Coventry City" (but not
/// "... City Council"), "Luton Town", "Newcastle-under-Lyme" (but not "Kent-based").
fn is_club_or_compound(text: &str, end: usize, ends_with_city: bool) -> bool {
    let rest = &text[end..];
    if let Some(after) = rest.strip_prefix('-') {
        let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
        return !word.is_empty() && !matches!(word.to_ascii_lowercase().as_str(), "based" | "wide");
    }
    let Some(after) = rest.strip_prefix(' ') else { return false };
    let mut words = after.split(|c: char| !c.is_alphanumeric());
    let next = words.next().unwrap_or("");
    let following = words.next().unwrap_or("");
    if word_list("club_suffix").iter().any(|s| s.eq_ignore_ascii_case(next)) {
        return true;
    }
    let council_follows = following.eq_ignore_ascii_case("council");
    match next {
        "County" => !council_follows,
        "City" => !ends_with_city && !council_follows,
        "Town" => !council_follows && !following.eq_ignore_ascii_case("hall"),
        _ => false,
    }
}

/// Whether an ordinary-word name stands at the start of a sentence (or of the text), where
/// its capital proves nothing.
fn at_sentence_start(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}' | '(' | '-')
    });
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '|'])
}

/// Whether the hit follows a comparison cue within its clause: "unlike neighbouring
/// Sandwell", "in line with Walsall", "better than those in Sandwell".
fn is_comparison(text: &str, start: usize) -> bool {
    let window = &text[floor_char_boundary(text, start.saturating_sub(48))..start];
    // Only the current clause counts: cut at the last sentence or clause break.
    let clause =
        window.rfind(['.', '!', '?', ';', ':', '(', ')']).map_or(window, |i| &window[i + 1..]);
    // The last three words, nearest last.
    let mut last = ["", "", ""];
    let mut count = 0;
    let words =
        clause.split_whitespace().rev().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    for word in words.filter(|w| !w.is_empty()).take(3) {
        count += 1;
        last[3 - count] = word;
    }
    let last = &last[3 - count..];
    let cue =
        last.iter().any(|w| word_list("comparison_cue").iter().any(|c| c.eq_ignore_ascii_case(w)));
    let pair = |a: &str, b: &str| {
        last.windows(2).any(|p| p[0].eq_ignore_ascii_case(a) && p[1].eq_ignore_ascii_case(b))
    };
    cue || pair("line", "with") || pair("such", "as")
}

/// Whether the text between two hits joins them into one list ("X, Y and Z"), compass words
/// allowed ("Lancashire and South Cumbria").
fn is_chain_gap(gap: &str) -> bool {
    !gap.trim().is_empty()
        && gap.len() < 24
        && gap.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).all(|w| {
            w == "&"
                || w.eq_ignore_ascii_case("and")
                || w.eq_ignore_ascii_case("the")
                || word_list("qualifier").iter().any(|q| q.eq_ignore_ascii_case(w))
        })
}

/// Whether `rest` begins (after spaces, and perhaps a few more capitalised words) with an
/// NHS body's name: "ICB", "Integrated Care Board", "CCG" ...
fn starts_with_nhs_body(rest: &str) -> bool {
    let rest = rest.trim_start();
    // Most hits are followed by punctuation or a lower-case word: no body's name.
    let maybe = rest.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        || rest.starts_with("and ")
        || rest.starts_with("& ")
        || rest.starts_with("the ");
    if !maybe {
        return false;
    }
    if nhs_body_here(rest) {
        return true;
    }
    // Allow a few more words of the body's name that are not areas: "Buckinghamshire,
    // Oxfordshire and Berkshire West Integrated Care Board".
    let mut rest = rest;
    for _ in 0..4 {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        let joins = word == "&" || word == "and" || word == "the";
        let name_part = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !(joins || name_part) {
            return false;
        }
        rest = rest[word_end..].trim_start();
        if nhs_body_here(rest) {
            return true;
        }
    }
    false
}

/// Whether `rest` begins with an NHS body's name.
fn nhs_body_here(rest: &str) -> bool {
    word_list("nhs_body").iter().any(|body| {
        rest.len() >= body.len()
            && rest.is_char_boundary(body.len())
            && rest[..body.len()].eq_ignore_ascii_case(body)
            && !rest[body.len()..].chars().next().is_some_and(|c| c.is_alphanumeric() && c != 's')
    })
}

/// The sentence of `paragraph` that contains byte `offset` (the whole paragraph when
/// sentence splitting finds none).
fn sentence_at(paragraph: &str, offset: usize) -> &str {
    let sentence = sentence_spans(paragraph)
        .into_iter()
        .find(|&(s, e)| s <= offset && offset < e)
        .map_or(paragraph.trim(), |(s, e)| &paragraph[s..e]);
    // Leading lines with no words ('|' separators) are page furniture, not the sentence.
    let mut sentence = sentence;
    while let Some((first, rest)) = sentence.split_once('\n')
        && !first.chars().any(char::is_alphanumeric)
    {
        sentence = rest.trim_start();
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> &'static Gazetteer {
        Gazetteer::builtin()
    }

    #[test]
    fn the_rule_names_the_match_and_the_runner_up() {
        let paragraphs = vec![
            "BCP Council has been told to improve, inspectors said.".to_string(),
            "Unlike neighbouring Dorset, the area must write a plan.".to_string(),
        ];
        let found = gazetteer().find(None, &paragraphs, date("2024-03")).expect("an area");
        assert!(found.rule.starts_with("name \"BCP"), "{}", found.rule);
        assert!(found.rule.contains("(alias of Bournemouth"), "{}", found.rule);
        assert!(found.rule.contains("strong, score"), "{}", found.rule);
        let found = gazetteer()
            .find(Some("Dorset SEND services praised"), &[], date("2018-05"))
            .expect("an area");
        assert!(found.rule.contains("first named in the title"), "{}", found.rule);
        assert!(found.rule.contains("former area chosen by the article's date"), "{}", found.rule);
    }

    #[test]
    fn the_word_table_reads_and_every_row_is_in_a_known_list() {
        let rows: Vec<WordRow> =
            super::super::rules::table("area-words.tsv", include_str!("rules/area-words.tsv"));
        for row in &rows {
            assert!(WORD_LISTS.contains(&row.list.as_str()), "unknown list {:?}", row.list);
            assert!(!row.word.trim().is_empty());
        }
        for list in WORD_LISTS {
            assert!(!word_list(list).is_empty(), "list {list} is empty");
        }
        assert!(word_list("honorific").iter().any(|w| w == "cllr"));
        assert!(word_list("risky").iter().any(|w| w == "Kingston"));
    }

    #[test]
    fn regions_are_listed_once_and_found_by_slug() {
        let regions: Vec<&str> = gazetteer().regions().collect();
        assert_eq!(regions.len(), 9, "{regions:?}");
        assert!(regions.contains(&"West Midlands"));
        assert_eq!(gazetteer().region_by_slug("west-midlands"), Some("West Midlands"));
        assert_eq!(
            gazetteer().region_by_slug("yorkshire-and-the-humber"),
            Some("Yorkshire and The Humber")
        );
        assert_eq!(gazetteer().region_by_slug("atlantis"), None);
    }

    fn date(text: &str) -> Option<PartialDate> {
        Some(text.parse().expect("test date"))
    }

    /// Runs `find` over a title and paragraphs and checks the chosen area's code (or `None`).
    fn check(title: &str, paragraphs: &[&str], on: Option<PartialDate>, expected: Option<&str>) {
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
        let title = (!title.is_empty()).then_some(title);
        let found = gazetteer().find(title, &paragraphs, on);
        assert_eq!(found.map(|m| m.area.code.as_str()), expected, "title {title:?}");
    }

    fn check_lookup(name: &str, on: Option<PartialDate>, expected: Option<&str>) {
        let found = gazetteer().lookup(name, on);
        assert_eq!(found.map(|a| a.code.as_str()), expected, "lookup {name:?}");
    }

    fn check_suggest(query: &str, expected_first: &str) {
        let found = gazetteer().suggest(query, 5);
        assert_eq!(
            found.first().map(|a| a.name.as_str()),
            Some(expected_first),
            "suggest {query:?}"
        );
    }

    #[test]
    fn shipped_gazetteer_parses_with_all_rows() {
        let g = Gazetteer::parse(BUILTIN_TSV).expect("shipped file parses");
        assert_eq!(g.areas().len(), 161);
        assert_eq!(g.areas().iter().filter(|a| !a.is_former()).count(), 153);
        assert_eq!(gazetteer().areas().len(), 161);
        assert_eq!(g.areas()[0].code, "E06000001");
        assert!(!g.by_first_word.is_empty());
    }

    #[test]
    fn every_slug_is_unique_and_url_safe() {
        let mut seen = std::collections::HashSet::new();
        for area in gazetteer().areas() {
            assert!(seen.insert(area.slug.clone()), "duplicate slug {}", area.slug);
            assert!(
                area.slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
            assert_eq!(gazetteer().by_slug(&area.slug).map(|a| &a.code), Some(&area.code));
        }
    }

    #[test]
    fn slugs_mark_former_areas_that_share_a_name() {
        let slug = |code: &str| gazetteer().by_code(code).map(|a| a.slug.clone());
        assert_eq!(slug("E08000027").as_deref(), Some("dudley"));
        assert_eq!(slug("E06000033").as_deref(), Some("southend-on-sea"));
        assert_eq!(slug("E06000022").as_deref(), Some("bath-and-north-east-somerset"));
        assert_eq!(slug("E06000010").as_deref(), Some("kingston-upon-hull"));
        assert_eq!(slug("E06000058").as_deref(), Some("bournemouth-christchurch-and-poole"));
        assert_eq!(slug("E08000013").as_deref(), Some("st-helens"));
        assert_eq!(slug("E10000009").as_deref(), Some("dorset-until-2019"));
        assert_eq!(slug("E10000002").as_deref(), Some("buckinghamshire-until-2020"));
        assert_eq!(slug("E10000023").as_deref(), Some("north-yorkshire-until-2023"));
        assert_eq!(slug("E10000027").as_deref(), Some("somerset-until-2023"));
        assert_eq!(slug("E06000059").as_deref(), Some("dorset"));
        assert_eq!(slug("E06000028").as_deref(), Some("bournemouth"));
        assert_eq!(slug("E10000006").as_deref(), Some("cumbria"));
        assert_eq!(slug("E10000021").as_deref(), Some("northamptonshire"));
    }

    #[test]
    fn rows_carry_their_columns_and_reorganisation_links() {
        let g = gazetteer();
        let southend = g.by_code("E06000033").unwrap();
        assert_eq!(southend.dfe_code.as_deref(), Some("882"));
        assert_eq!(southend.region, "East of England");
        assert!(southend.aliases.contains(&"Southend".to_string()));
        let bcp = g.by_code("E06000058").unwrap();
        assert_eq!(bcp.predecessors, ["E06000028", "E06000029", "E10000009"]);
        assert_eq!(bcp.valid_from, date("2019-04-01"));
        let cumbria = g.by_code("E10000006").unwrap();
        assert!(cumbria.is_former());
        assert_eq!(cumbria.successors, ["E06000063", "E06000064"]);
        assert_eq!(cumbria.valid_to, date("2023-03-31"));
        assert_eq!(g.by_code("E08000016").map(|a| a.name.as_str()), Some("Barnsley"));
        assert!(g.by_code("E99999999").is_none());
    }

    #[test]
    fn malformed_rows_are_reported_with_their_line() {
        let header = COLUMNS.join("\t");
        let row = |fields: &[&str]| fields.join("\t");
        let good = [
            "E08000027",
            "Dudley",
            "West Midlands",
            "metropolitan borough",
            "332",
            "Dudley MBC",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ];
        let ok = format!("# comment\n{header}\n{}\n", row(&good));
        assert_eq!(Gazetteer::parse(&ok).map(|g| g.areas().len()), Ok(1));
        let cases: &[(String, &str)] = &[
            (
                format!("# c\n{header}\n{}\n", row(&good[..12])),
                "line 3: expected 13 tab-separated fields, found 12",
            ),
            (
                format!("{header}\n{}\n", row(&[&["X1"][..], &good[1..]].concat())),
                "line 2: \"X1\" is not an ONS code",
            ),
            (
                format!(
                    "{header}\n{}\n",
                    row(&[&good[..3], &["borough"][..], &good[4..]].concat())
                ),
                "line 2: unknown kind",
            ),
            (
                format!(
                    "{header}\n{}\n",
                    row(&[&good[..9], &["2019-13-01"][..], &good[10..]].concat())
                ),
                "line 2: valid_from",
            ),
            (format!("{header}\n{}\n{}\n", row(&good), row(&good)), "line 3: duplicate code"),
            ("# only comments\n".to_string(), "no header line"),
            ("ons_code\tname\n".to_string(), "line 1: header has no \"region\" column"),
        ];
        for (text, expected) in cases {
            let error = Gazetteer::parse(text).expect_err("malformed");
            assert!(error.starts_with(expected), "{error:?} should start with {expected:?}");
        }
    }

    #[test]
    fn finds_the_seed_articles_areas() {
        // 000: Dudley, with the Black Country ICB and the Dudley Parent Carer Forum.
        let dudley = [
            "A recent inspection by Ofsted and the Care Quality Commission has highlighted improvements in Dudley\u{2019}s local SEND services but has said that inconsistent experiences and outcomes remain for some children.",
            "Between January 20 and January 24 inspectors visited Dudley to assess its children\u{2019}s and health services.",
            "The partnership work with the Dudley Parent Carer Forum (PCF) is strong, driving improvement.",
            "Neil Bucktin, Dudley Managing Director, Black Country Integrated Care Board said: \u{201c}This is a pleasing outcome for all local partners.",
            "'Play Black Country Radio'",
        ];
        check("Improvements made - but further work required", &dudley, None, Some("E08000027"));
        // 001: Worcestershire, with its CCGs.
        let worcestershire = [
            "School Closures Today",
            "Recent improvements to services for children and young people in Worcestershire who have special educational needs and/or disabilities (SEND) must be built upon",
            "Published Wednesday, 16th May 2018",
            "A joint inspection to judge how effectively the County Council and the NHS Worcestershire Clinical Commissioning Groups have implemented the special educational needs and disability (SEND) reforms was conducted in March.",
            "Simon Trickett, Accountable Officer, Worcestershire Clinical Commissioning Groups added:",
        ];
        check("", &worcestershire, date("2018-05-16"), Some("E10000034"));
        // 002: Dorset, shared by the former county and the unitary.
        let dorset = [
            "\u{2018}Children and young people with SEND and their families are placed at the heart of all that leaders do,\u{2019} begins the glowing endorsement by the Care Quality Commission (CQC) and regulator Ofsted of the Dorset local area partnership. Dorset Council is the first unitary authority to achieve such a result from a local SEND inspection under the new framework.",
            "The three-week inspection of services took place in March this year, involving staff from Dorset Council as local authority, NHS Dorset as local health care provider.",
            "Cllr Clare Sutton, who this week becomes Portfolio Holder for Children, Education, Skills and Early Help at Dorset Council, says: \u{2018}I am pleased to see the results.",
            "Lesley Mellor, Chair of the Dorset Parent Carer Council, says: \u{2018}The three weeks of inspection highlighted how Dorset Parent Carer Council as a group, are fundamental.",
        ];
        let title = "Three-week inspection finds local authority and NHS services \u{2018}typically lead to positive experiences and outcomes for children and young people\u{2019}";
        check(title, &dorset, None, Some("E06000059"));
        check(title, &dorset, date("2024-05-16"), Some("E06000059"));
        check(title, &dorset, date("2018-01-01"), Some("E10000009"));
        // 003: South Gloucestershire, never Gloucestershire.
        let south_glos = [
            "By Neil Puffett",
            "| 03 January 2018",
            "Concerns have been raised about the quality of support for children with special educational needs or disabilities (SEND) in South Gloucestershire, with inspectors finding that long-standing issues are yet to be addressed.",
            "The quality of SEND provision in South Gloucestershire has been criticised by inspectors.",
        ];
        check(
            "Inspectors call for improvements to SEND support in South Gloucestershire",
            &south_glos,
            date("2018-01-03"),
            Some("E06000025"),
        );
        // 004: Southend-on-Sea, with the Mid and South Essex ICB.
        let southend = [
            "This newsletter is from the SEND Partnership, made up of organisations and services who provide support in Southend for children with special educational needs and disabilities (SEND) and their families.",
            "The inspection started almost as soon as the partnership received the call on 20 February, but inspectors were physically in Southend-on-Sea between 6 to 10 March 2023.",
            "There are three gradings and Southend has received the middle outcome, or outcome two, which is in line with other areas inspected so far.",
            "Frances Bolger, Chief Nurse, Mid and South Essex Integrated Care Board, said: \u{201c}We welcome the findings from the recent inspection.",
        ];
        check("", &southend, date("2023-06-09"), Some("E06000033"));
        let found = gazetteer().find(None, &southend.map(String::from), None).unwrap();
        assert_eq!(found.evidence.paragraph, 0);
        assert!(
            found.evidence.sentence.starts_with("This newsletter is from the SEND Partnership")
        );
        assert!(found.others.is_empty(), "Essex is only named in an ICB: {:?}", found.others);
    }

    #[test]
    fn evidence_is_the_title_when_the_title_names_the_area() {
        let paragraphs = vec![
            "Inspectors visited in November.".to_string(),
            "South Gloucestershire must improve. More later.".to_string(),
        ];
        let title = "Inspectors call for improvements in South Gloucestershire";
        let found = gazetteer().find(Some(title), &paragraphs, None).unwrap();
        assert_eq!(found.evidence, Evidence::new(title, 0));
        let found = gazetteer().find(None, &paragraphs, None).unwrap();
        assert_eq!(found.evidence, Evidence::new("South Gloucestershire must improve.", 1));
        let furniture = vec!["|\n|\nSupport in Southend is improving. More later.".to_string()];
        let found = gazetteer().find(None, &furniture, None).unwrap();
        assert_eq!(found.evidence, Evidence::new("Support in Southend is improving.", 0));
    }

    #[test]
    fn chooses_shared_names_by_date() {
        let body = ["Inspectors found that Buckinghamshire must write a statement of action."];
        check("", &body, date("2019-06-01"), Some("E10000002"));
        check("", &body, date("2020-03-31"), Some("E10000002"));
        check("", &body, date("2020-04-01"), Some("E06000060"));
        check("", &body, None, Some("E06000060"));
        check("", &body, date("--03-01"), Some("E06000060"));
        let yorks = ["SEND services in North Yorkshire were praised."];
        check("", &yorks, date("2022-11"), Some("E10000023"));
        check("", &yorks, date("2023-04-01"), Some("E06000065"));
        check("", &yorks, date("2023"), Some("E06000065"));
        let somerset = ["Somerset SEND services were criticised."];
        check("", &somerset, date("2020-01-01"), Some("E10000027"));
        check("", &somerset, date("2025-01-01"), Some("E06000066"));
        // Only the former council's own name, and no date: the former area.
        check("", &["Dorset County Council must improve."], None, Some("E10000009"));
        check(
            "",
            &["Cumbria County Council was inspected."],
            date("2019-01-01"),
            Some("E10000006"),
        );
    }

    #[test]
    fn comparisons_do_not_beat_the_subject() {
        let body = [
            "Inspectors found that Dudley had made progress, unlike neighbouring Sandwell and unlike neighbouring Sandwell again.",
            "The outcome is in line with Walsall, and in line with Walsall's last inspection.",
            "Dudley's services were better than Sandwell's.",
        ];
        let paragraphs: Vec<String> = body.iter().map(|p| p.to_string()).collect();
        let found = gazetteer().find(None, &paragraphs, None).unwrap();
        assert_eq!(found.area.name, "Dudley");
        let hull = [
            "Hull City Council and NHS Lincolnshire Integrated Care Board must act.",
            "Hull waits.",
        ];
        let hull = gazetteer().find(None, &hull.map(String::from), None).unwrap();
        assert_eq!((hull.area.name.as_str(), hull.others.len()), ("Kingston upon Hull", 0));
        let others: Vec<&str> = found.others.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(others, ["Sandwell", "Walsall"]);
        // Only a comparison, no subject: nothing found.
        check("", &["The outcome is in line with Walsall."], None, None);
    }

    #[test]
    fn organisation_names_are_not_areas() {
        check(
            "",
            &[
                "Neil Bucktin, Managing Director, Black Country Integrated Care Board said it was pleased.",
            ],
            None,
            None,
        );
        check(
            "",
            &["Frances Bolger, Chief Nurse, Mid and South Essex Integrated Care Board, said so."],
            None,
            Some("E10000012"),
        );
        check(
            "",
            &[
                "In Southend families wait.",
                "Mid and South Essex Integrated Care Board said so.",
                "Mid and South Essex ICB agreed.",
            ],
            None,
            Some("E06000033"),
        );
        // Several areas in one ICB name are weak; the Article's own area wins.
        check(
            "",
            &[
                "NHS Herefordshire and Worcestershire ICB responded.",
                "Parents in Herefordshire were surveyed.",
            ],
            None,
            Some("E06000019"),
        );
        // One area's own CCG supports it.
        check(
            "",
            &["Worcestershire Clinical Commissioning Groups added their comments."],
            None,
            Some("E10000034"),
        );
        check(
            "",
            &["The University of Birmingham and Leeds United said nothing.", "Dudley waits."],
            None,
            Some("E08000027"),
        );
        check(
            "",
            &["Students at Newcastle-under-Lyme College took part.", "Staffordshire must improve."],
            None,
            Some("E10000028"),
        );
        check(
            "",
            &["Cllr Clare Sutton spoke.", "Families in Dorset were pleased."],
            None,
            Some("E06000059"),
        );
        check(
            "",
            &["Greater Manchester leaders spoke.", "Bolton must improve."],
            None,
            Some("E08000001"),
        );
        check(
            "",
            &["Charlotte Bolton, Accountable Officer, Slough Clinical Commissioning Groups added:"],
            None,
            Some("E06000039"),
        );
        check("", &["In Bolton, families wait."], None, Some("E08000001"));
        check(
            "",
            &["Helen Sutton's daughter waited.", "Bolton must improve."],
            None,
            Some("E08000001"),
        );
        check("", &["By Paul Sutton", "Bolton must improve."], None, Some("E08000001"));
        check(
            "",
            &["Mohammed Sutton, Accountable Officer, spoke.", "Bolton must improve."],
            None,
            Some("E08000001"),
        );
        check(
            "",
            &["Commissioned by Bolton Council, the review was published."],
            None,
            Some("E08000001"),
        );
        check("", &["Visiting Bolton, inspectors met families."], None, Some("E08000001"));
        check("Ofsted Praises Bolton, Says Council", &[], None, Some("E08000001"));
        check(
            "",
            &[
                "Martin Fletcher, Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board, said so.",
                "Slough waits.",
            ],
            None,
            Some("E06000039"),
        );
        check(
            "",
            &["NHS Cornwall and the Isles of Scilly Integrated Care Board spoke.", "Scilly waits."],
            None,
            Some("E06000053"),
        );
    }

    #[test]
    fn ambiguous_and_common_words_are_weak() {
        check("", &["Reading the report, parents were disappointed."], None, Some("E06000038"));
        check(
            "",
            &["Reading the report, parents in Slough were disappointed."],
            None,
            Some("E06000039"),
        );
        check(
            "",
            &["Pupils struggle with reading and writing; bucks and staffs are words."],
            None,
            None,
        );
        check(
            "",
            &["A hearing in Kingston was held.", "Hull must improve its EHCPs."],
            None,
            Some("E06000010"),
        );
        check("", &["Leaders in Kingston said little."], None, Some("E09000021"));
        check(
            "",
            &["The plan was agreed in Newcastle and in Bath.", "Sunderland must improve."],
            None,
            Some("E08000024"),
        );
        check(
            "",
            &["Derby County won on Saturday.", "Stoke City lost.", "Coventry must improve."],
            None,
            Some("E08000026"),
        );
        check("", &["Nothing about any place at all."], None, None);
        check("", &[], None, None);
    }

    #[test]
    fn matches_whole_names_and_variants() {
        check(
            "",
            &["Children in South Gloucestershire wait; Gloucestershire is mentioned later."],
            None,
            Some("E06000025"),
        );
        check("", &["Families in Stoke on Trent wait."], None, Some("E06000021"));
        check("", &["Families in Kingston upon Thames wait."], None, Some("E09000021"));
        check("", &["Families in Newcastle-upon-Tyne wait."], None, Some("E08000021"));
        check("", &["Families in Bath & North East Somerset wait."], None, Some("E06000022"));
        check("", &["Families in B&NES wait."], None, Some("E06000022"));
        check("", &["Families in St. Helens wait."], None, Some("E08000013"));
        check("", &["SOUTHEND SEND SERVICES INSPECTED"], None, Some("E06000033"));
        check("", &["Kentish towns and Essexshire are not areas."], None, None);
    }

    #[test]
    fn title_outweighs_body_mentions() {
        let body = ["Sandwell was mentioned.", "Sandwell again.", "Sandwell a third time."];
        check("Dudley SEND services inspected", &body, None, Some("E08000027"));
        check("", &body, None, Some("E08000028"));
    }

    #[test]
    fn looks_up_names_and_aliases() {
        check_lookup("BCP", None, Some("E06000058"));
        check_lookup("South Glos", None, Some("E06000025"));
        check_lookup("hull", None, Some("E06000010"));
        check_lookup("Herts", None, Some("E10000015"));
        check_lookup("B&NES", None, Some("E06000022"));
        check_lookup("southend on sea", None, Some("E06000033"));
        check_lookup("Dorset", None, Some("E06000059"));
        check_lookup("Dorset", date("2018-01-01"), Some("E10000009"));
        check_lookup("Bucks", date("2019-05-01"), Some("E10000002"));
        check_lookup("Bucks", date("2021-05-01"), Some("E06000060"));
        check_lookup("Dorset County Council", None, Some("E10000009"));
        check_lookup("Atlantis", None, None);
        check_lookup("", None, None);
    }

    #[test]
    fn suggests_despite_typos() {
        check_suggest("Dudly", "Dudley");
        check_suggest("southend", "Southend-on-Sea");
        check_suggest("South Glos", "South Gloucestershire");
        check_suggest("gloucestershre", "Gloucestershire");
        check_suggest("Dorset", "Dorset");
        check_suggest("E08000027", "Dudley");
        check_suggest("kensington", "Kensington and Chelsea");
        assert!(gazetteer().suggest("", 5).is_empty());
        assert!(gazetteer().suggest("zzzzzzzz", 5).is_empty());
        assert_eq!(gazetteer().suggest("south", 3).len(), 3);
        assert!(gazetteer().suggest("Dudley", 0).is_empty());
    }

    #[test]
    fn never_panics_on_odd_text() {
        let odd = [
            "\u{2019}Dudley\u{2019}",
            "é-Dorset-é",
            "-",
            "Cllr",
            "unlike",
            "ICB",
            "Dudley-",
            "Hull\u{00a0}City",
        ];
        for text in odd {
            let _ = gazetteer().find(Some(text), &[text.to_string()], None);
            let _ = gazetteer().suggest(text, 3);
            let _ = gazetteer().lookup(text, None);
        }
    }
}
