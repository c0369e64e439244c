//! Quotes: who said what in an Article, found from its paragraphs alone.
//!
//! A [`Quote`] is a statement in quote marks (or, for an organisation's statement under a
//! heading such as "What does SSIF say about the outcome?", a run of plain paragraphs) with the
//! voice it is attributed to: a named person with their role and organisation, an organisation
//! speaking as a body, or the inspectors' report or letter.
//!
//! The work is done in these steps. First each paragraph that holds a quote mark is scanned
//! once, telling quote marks from apostrophes ("we’ve", "children’s", "parents’") and closing
//! marks from opening ones by the characters around them, so that straight, curly, mismatched
//! and missing marks all yield spans of quoted text. Then spans are chained across paragraphs
//! (a quote left open at a paragraph's end continues into the next paragraph when that one
//! opens with a quote mark). The sentences that report a named person's speech without
//! quoting them ("Jane Holt, the director, said the plan was late.") are noted as
//! mentions: they decide whom a later "she said" means. Then each chain is judged (a short
//! scare quote inside a sentence, such as a 'breath of fresh air', is not a Quote) and
//! attributed, the first rule that applies winning:
//!
//! 1. a lead before it ("X, role, said:"), in the same paragraph;
//! 2. words after it ("..., said X, role at Org.", "..., the letter states."), or a sign-off
//!    line under it ("— Cllr X, role");
//! 3. a lead as the paragraph before ("Simon Trickett, ..., added:");
//! 4. reported speech around it: a named person's ("X said the change was “a real shift”"),
//!    even a fragment of two words, or the report's ("The report warns that “...”");
//! 5. the quote it continues: in the same paragraph it is the same utterance resumed after an
//!    attribution in the middle ("“...,” said X. “...”"), unless introduced anew (", adding:
//!    “...”"); at the start of the next paragraph it is a further quote from the same voice;
//! 6. the person whose words the paragraph before reports;
//! 7. the statement section it sits in.
//!
//! Pronouns ("she", "It", "they") resolve to the last person, organisation or report; a
//! surname ("Ms Holt added") to the person met before with that surname, with the role given
//! then. Roles and organisations are split from the description around the name ("chair of
//! the Anytown Forum", "Anytown Council's cabinet member", "who chairs ...", "whose son ..."
//! makes a parent), and a body named by kind ("the council", "the ICB", a councillor, a
//! council office) resolves to the body the article names in full. Each Quote says in `rule`
//! which of these attributed it.
//!
//! The word lists (speech verbs, honorifics, role words, relative clauses, organisation words,
//! bodies named by kind, words that are never names) are the tables `rules/quotes_*.tsv`.
//!
//! Left to others: deciding which paragraphs are article text (cleaning), themes or outcomes in
//! the quoted words, and any judgement about what a speaker meant. Unattributable quotes are
//! still returned, with `speaker: None`.

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::model::QuoteKind;
use super::rules::table;
use super::sentences::sentence_spans;
use crate::corpus::slicing::{ceil_char_boundary, strip_prefix_ignore_ascii_case, truncate_bytes};

/// A quoted statement and the voice it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Who is speaking: a person's name without titles ("David Stanley"), or for an
    /// organisation or report the body or document ("SSIF", "the letter", "the report").
    /// `None` when the article does not say.
    pub speaker: Option<String>,
    /// The speaker's role as the article writes it ("cabinet Member for children’s services").
    pub role: Option<String>,
    /// The organisation the speaker speaks for, when the article names it
    /// ("Black Country Integrated Care Board"). Never invented.
    pub organisation: Option<String>,
    /// The quoted words without their quote marks; paragraphs of a multi-paragraph Quote are
    /// joined with a blank line ("\n\n").
    pub text: String,
    /// Whose voice it is: a person, an organisation, or the inspectors' report.
    pub kind: QuoteKind,
    /// The index of the paragraph where the quoted text starts.
    pub paragraph: usize,
    /// The index of the paragraph where the quoted text ends.
    pub last_paragraph: usize,
    /// How the quote was attributed, for `extract --explain`: the pattern that matched
    /// (attribution before, after or in the middle, reported speech, continuation, statement
    /// section) and the speech verb, e.g. `attribution after the quote: verb "said"`.
    pub rule: String,
}

/// Finds the Quotes in an Article's paragraphs, in order of appearance. Never fails: an article
/// without quotes gives an empty list.
pub fn find(paragraphs: &[String]) -> Vec<Quote> {
    let scans: Vec<Vec<Span>> = paragraphs.iter().map(|p| scan(p)).collect();
    let sections = statement_sections(paragraphs);
    let chains = chains(paragraphs, &scans);
    // Reported speech is read only to attribute quotes, and a quote takes into account only
    // the mentions before it (see `attribute_chain`): none after the last quote's first
    // paragraph are read, and an article without quotes reads none.
    let mentions = match chains.iter().filter_map(|chain| chain.first()).map(|l| l.para).max() {
        Some(last) => mentions(&paragraphs[..=last]),
        None => Vec::new(),
    };
    let mut found = Found::default();
    for chain in chains {
        attribute_chain(paragraphs, &scans, &chain, &sections, &mentions, &mut found);
    }
    for section in &sections {
        let quiet = scans[section.start..section.end].iter().all(Vec::is_empty);
        if quiet && section.end > section.start {
            let text = paragraphs[section.start..section.end]
                .iter()
                .map(|p| p.trim())
                .collect::<Vec<_>>()
                .join("\n\n");
            let quote = Quote {
                speaker: Some(section.speaker.clone()),
                role: None,
                organisation: None,
                text,
                kind: section.kind,
                paragraph: section.start,
                last_paragraph: section.end - 1,
                rule: format!("statement section under the heading \"{}\"", section.heading),
            };
            found.quotes.push(((section.start, 0), quote));
        }
    }
    found.quotes.sort_by_key(|(key, _)| *key);
    // The bodies the article names resolve organisations; most articles quote none.
    let resolves = |q: &Quote| q.organisation.is_some() || q.kind == QuoteKind::Organisation;
    let bodies = if found.quotes.iter().any(|(_, q)| resolves(q)) {
        named_bodies(paragraphs)
    } else {
        Vec::new()
    };
    found
        .quotes
        .into_iter()
        .map(|(_, mut q)| {
            q.organisation = q.organisation.and_then(|o| resolve_body(&o, &bodies));
            if q.kind == QuoteKind::Organisation {
                q.speaker = q.speaker.map(|s| resolve_body(&s, &bodies).unwrap_or(s));
            }
            q
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Bodies the article names, for "the council", "the ICB" and "Croydon's director".

/// The kinds of body an article refers to by kind alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Council,
    Icb,
    Ccg,
}

/// The kind of a body's full name, from its last words ("Anytown Borough Council",
/// "NHS Anytown Integrated Care Board", "London Borough of Anytown").
fn kind_of_name(name: &str) -> Option<BodyKind> {
    let lower = name.to_lowercase();
    if lower.ends_with(" council")
        || lower.starts_with("london borough of ")
        || lower.starts_with("royal borough of ")
    {
        Some(BodyKind::Council)
    } else if lower.ends_with(" integrated care board") || lower.ends_with(" icb") {
        Some(BodyKind::Icb)
    } else if lower.ends_with(" clinical commissioning group")
        || lower.ends_with(" clinical commissioning groups")
        || lower.ends_with(" ccg")
    {
        Some(BodyKind::Ccg)
    } else {
        None
    }
}

/// Whether words may be a body's full name for [`kind_of_name`]: its last word or first word
/// must be one that names the kind. Most capitalised runs are people and places, and this
/// spares joining and lower-casing them. (None of these words holds a 'k', the only ASCII
/// letter a non-ASCII one lower-cases to, so comparing ASCII case is exact.)
fn may_name_body(words: &[&str]) -> bool {
    let is = |word: Option<&&str>, names: &[&str]| {
        word.is_some_and(|w| names.iter().any(|n| w.eq_ignore_ascii_case(n)))
    };
    words.len() > 1
        && (is(words.last(), &["council", "board", "icb", "group", "groups", "ccg"])
            || is(words.first(), &["london", "royal"]))
}

/// The kind a reference by kind names: "the council", "borough", "ICB", "the clinical
/// commissioning group".
fn kind_of_reference(reference: &str) -> Option<BodyKind> {
    let r = strip_the(reference.trim()).to_lowercase();
    match r.as_str() {
        "icb" | "integrated care board" => Some(BodyKind::Icb),
        "ccg" | "ccgs" | "clinical commissioning group" | "clinical commissioning groups" => {
            Some(BodyKind::Ccg)
        }
        "council" | "county council" | "city council" | "borough council" | "borough"
        | "county" | "city" | "town" | "district" | "local authority" | "authority" => {
            Some(BodyKind::Council)
        }
        _ => None,
    }
}

/// The councils, ICBs and CCGs an article names in full, each with how often it is named, in
/// order of first mention.
fn named_bodies(paragraphs: &[String]) -> Vec<(String, BodyKind, usize)> {
    let mut out: Vec<(String, BodyKind, usize)> = Vec::new();
    let connector = |w: &str| matches!(w, "and" | "of" | "upon" | "on" | "the" | "&" | "with");
    for p in paragraphs {
        let mut run: Vec<&str> = Vec::new();
        let mut close = |run: &mut Vec<&str>| {
            while run.last().is_some_and(|w| connector(w)) {
                run.pop();
            }
            while run.first().is_some_and(|w| LEXICON.sentence_stops.contains(w)) {
                run.remove(0);
            }
            // "London Borough of Anytown and NHS Anytown CCG" names two bodies: split at an
            // "and" whose left side is a body's full name.
            let mut from = 0;
            for at in 0..=run.len() {
                let joint = at == run.len() || matches!(run[at], "and" | "&");
                if !joint || at <= from {
                    continue;
                }
                if !may_name_body(&run[from..at]) {
                    continue;
                }
                let name = run[from..at].join(" ");
                if let Some(kind) = kind_of_name(&name) {
                    match out.iter_mut().find(|(n, ..)| *n == name) {
                        Some(known) => known.2 += 1,
                        None => out.push((name, kind, 1)),
                    }
                    from = at + 1;
                }
            }
            run.clear();
        };
        for raw in p.split_whitespace() {
            let word =
                raw.trim_end_matches(['’', '\'']).trim_end_matches(|c: char| !c.is_alphanumeric());
            let word = word.strip_suffix("’s").or_else(|| word.strip_suffix("'s")).unwrap_or(word);
            let capital = word.chars().next().is_some_and(char::is_uppercase);
            let fits = !raw.starts_with('(')
                && !word.is_empty()
                && (capital || (!run.is_empty() && connector(word)));
            if !fits {
                close(&mut run);
                continue;
            }
            run.push(word);
            // A run ends at punctuation, a possessive or the last word of a body's name
            // ("... City Council and ... Integrated Care Board" are two bodies).
            let ends = word.len() < raw.len()
                || matches!(word, "Council" | "Board" | "ICB" | "CCG" | "Group" | "Groups");
            if ends {
                close(&mut run);
            }
        }
        close(&mut run);
    }
    out
}

/// A reference to a body by kind ("council", "the ICB") or by place ("Croydon"), resolved to
/// the body of that kind the article names most often (the first named, on a tie); a
/// reference by kind the article never resolves is dropped, since it names nobody. Any other
/// organisation is kept as written.
fn resolve_body(organisation: &str, bodies: &[(String, BodyKind, usize)]) -> Option<String> {
    let best = |kind: BodyKind, word: Option<&str>| {
        let mut best: Option<&(String, BodyKind, usize)> = None;
        for b in bodies.iter().filter(|b| b.1 == kind) {
            if word.is_some_and(|w| !b.0.split_whitespace().any(|x| x == w)) {
                continue;
            }
            if best.is_none_or(|x| b.2 > x.2) {
                best = Some(b);
            }
        }
        best.map(|b| b.0.clone())
    };
    if let Some(kind) = kind_of_reference(organisation) {
        return best(kind, None);
    }
    let place = !organisation.contains(' ')
        && organisation.chars().next().is_some_and(char::is_uppercase)
        && organisation.chars().any(char::is_lowercase);
    if place && let Some(name) = best(BodyKind::Council, Some(organisation)) {
        return Some(name);
    }
    Some(organisation.to_string())
}

// ---------------------------------------------------------------------------------------------
// The word lists, from the tables in `rules/`.

/// One row of `quotes_speech_verbs.tsv`.
#[derive(Debug, Deserialize)]
struct VerbRow {
    verb: String,
    attributes: String,
    reports: String,
}

/// One row of `quotes_honorifics.tsv`.
#[derive(Debug, Deserialize)]
struct TitleRow {
    title: String,
}

/// One row of `quotes_role_words.tsv`.
#[derive(Debug, Deserialize)]
struct RoleWordRow {
    word: String,
    kind: String,
}

/// One row of `quotes_relative_roles.tsv`.
#[derive(Debug, Deserialize)]
struct RelativeRoleRow {
    clause: String,
    role: String,
}

/// One row of `quotes_org_words.tsv`.
#[derive(Debug, Deserialize)]
struct OrgWordRow {
    word: String,
}

/// One row of `quotes_bodies.tsv`.
#[derive(Debug, Deserialize)]
struct BodyRow {
    body: String,
}

/// One row of `quotes_name_stops.tsv`.
#[derive(Debug, Deserialize)]
struct NameStopRow {
    word: String,
    kind: String,
}

/// A set of words from a table. Every word of every sentence is looked up in one set or
/// another, so a lookup first asks a small table whether any word of the set starts with the
/// same byte and has the same length: nearly every word of prose is ruled out there, without
/// hashing it.
struct Words {
    set: HashSet<String>,
    /// `shapes[b]` has bit `n` set when a word of the set starts with byte `b` and is `n`
    /// bytes long (bit 63: 63 bytes or more; the empty word counts as byte 0).
    shapes: [u64; 256],
}

impl Words {
    /// The first byte and the length bit of `word`'s shape in [`Words::shapes`].
    fn shape(word: &[u8]) -> (u8, u64) {
        (word.first().copied().unwrap_or(0), 1 << word.len().min(63))
    }

    /// Whether the set holds `word` as written.
    fn contains(&self, word: &str) -> bool {
        let (first, bit) = Self::shape(word.as_bytes());
        self.shapes[usize::from(first)] & bit != 0 && self.set.contains(word)
    }
}

impl FromIterator<String> for Words {
    fn from_iter<I: IntoIterator<Item = String>>(words: I) -> Words {
        let mut out = Words { set: HashSet::new(), shapes: [0; 256] };
        for word in words {
            let (first, bit) = Self::shape(word.as_bytes());
            out.shapes[usize::from(first)] |= bit;
            out.set.insert(word);
        }
        out
    }
}

/// The word lists the attribution rules use, read once from the tables.
struct Lexicon {
    /// Verbs that attribute a quotation before or after them, lower case.
    attributing: Words,
    /// Verbs that introduce reported speech, lower case.
    reporting: Words,
    /// Titles before names, lower case, without full stops.
    titles: Words,
    /// Words that show a phrase names a role, lower case.
    role_words: Vec<String>,
    /// Offices of a council ("cabinet member"), lower case.
    council_offices: Vec<String>,
    /// Words for a child, lower case ("whose son ..." makes a parent).
    child_words: Words,
    /// Relative clauses and the roles they state ("who chairs" -> "chair of").
    relative_roles: Vec<(String, String)>,
    /// Words that make a capitalised phrase an organisation.
    org_words: Words,
    /// Organisations named by their kind ("council", "ccg"), lower case.
    bodies: Words,
    /// Lower-case forms of `org_words`, for a phrase's last word ("parent carer forum").
    org_words_folded: Words,
    /// Capitalised office words never part of a name.
    office_stops: Words,
    /// Sentence words that cannot start a name.
    sentence_stops: Words,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let verbs: Vec<VerbRow> =
        table("quotes_speech_verbs.tsv", include_str!("rules/quotes_speech_verbs.tsv"));
    let titles: Vec<TitleRow> =
        table("quotes_honorifics.tsv", include_str!("rules/quotes_honorifics.tsv"));
    let roles: Vec<RoleWordRow> =
        table("quotes_role_words.tsv", include_str!("rules/quotes_role_words.tsv"));
    let relative: Vec<RelativeRoleRow> =
        table("quotes_relative_roles.tsv", include_str!("rules/quotes_relative_roles.tsv"));
    let orgs: Vec<OrgWordRow> =
        table("quotes_org_words.tsv", include_str!("rules/quotes_org_words.tsv"));
    let bodies: Vec<BodyRow> = table("quotes_bodies.tsv", include_str!("rules/quotes_bodies.tsv"));
    let stops: Vec<NameStopRow> =
        table("quotes_name_stops.tsv", include_str!("rules/quotes_name_stops.tsv"));
    let lower_where = |rows: &[VerbRow], pick: fn(&VerbRow) -> &str| {
        rows.iter().filter(|r| pick(r) == "yes").map(|r| r.verb.to_lowercase()).collect()
    };
    Lexicon {
        attributing: lower_where(&verbs, |r| &r.attributes),
        reporting: lower_where(&verbs, |r| &r.reports),
        titles: titles.iter().map(|r| r.title.to_lowercase()).collect(),
        role_words: roles
            .iter()
            .filter(|r| r.kind == "role")
            .map(|r| r.word.to_lowercase())
            .collect(),
        council_offices: roles
            .iter()
            .filter(|r| r.kind == "council")
            .map(|r| r.word.to_lowercase())
            .collect(),
        child_words: roles
            .iter()
            .filter(|r| r.kind == "child")
            .map(|r| r.word.to_lowercase())
            .collect(),
        relative_roles: relative.into_iter().map(|r| (r.clause, r.role)).collect(),
        org_words_folded: orgs.iter().map(|r| r.word.to_lowercase()).collect(),
        org_words: orgs.into_iter().map(|r| r.word).collect(),
        bodies: bodies.into_iter().map(|r| r.body.to_lowercase()).collect(),
        office_stops: stops.iter().filter(|r| r.kind == "office").map(|r| r.word.clone()).collect(),
        sentence_stops: stops
            .iter()
            .filter(|r| r.kind == "sentence")
            .map(|r| r.word.clone())
            .collect(),
    }
});

// ---------------------------------------------------------------------------------------------
// Scanning one paragraph for quote marks.

/// Which pair of marks a quote uses. Marks of the other family inside an open quote are nested
/// quotes and stay part of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

/// One stretch of quoted text inside a paragraph, as byte offsets.
#[derive(Debug, Clone)]
struct Span {
    /// Where the opening mark is.
    open: usize,
    /// Where the quoted text starts (just after the opening mark).
    start: usize,
    /// Where the quoted text ends (the closing mark, or the paragraph's or next quote's start).
    end: usize,
    /// Just after the closing mark; equal to `end` when the quote is not closed.
    after: usize,
    /// Whether a closing mark was found.
    closed: bool,
    /// Whether the opening mark is the first thing in the paragraph.
    at_start: bool,
    /// Double or single marks.
    family: Family,
}

const LEFT_DOUBLE: char = '\u{201c}';
const RIGHT_DOUBLE: char = '\u{201d}';
const LEFT_SINGLE: char = '\u{2018}';
const RIGHT_SINGLE: char = '\u{2019}';

/// Whether a character before a mark lets it open a quote: the paragraph's start, a space or
/// an opening bracket or dash.
fn opens_after(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '(' | '[' | '\u{2014}' | '\u{2013}' | ':'),
    }
}

/// The quote-mark candidates of a paragraph, in order: byte offset and character. Every
/// quote mark, straight and curly, is one; an apostrophe is told apart later by its
/// neighbours. The curly marks are U+2018, U+2019, U+201C and U+201D, whose UTF-8 forms all
/// start with the bytes E2 80, so a byte scan finds them all.
fn marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&b) = bytes.get(i) {
            let at = i;
            i += 1;
            let mark = match b {
                b'"' => '"',
                b'\'' => '\'',
                0xE2 if bytes.get(at + 1) == Some(&0x80) => match bytes.get(at + 2) {
                    Some(0x98) => LEFT_SINGLE,
                    Some(0x99) => RIGHT_SINGLE,
                    Some(0x9C) => LEFT_DOUBLE,
                    Some(0x9D) => RIGHT_DOUBLE,
                    _ => continue,
                },
                _ => continue,
            };
            i = at + mark.len_utf8();
            return Some((at, mark));
        }
        None
    })
}

/// The characters either side of the mark at `i` of width `width`.
fn around(text: &str, i: usize, width: usize) -> (Option<char>, Option<char>) {
    (text[..i].chars().next_back(), text[i + width..].chars().next())
}

/// Finds the quoted spans of one paragraph.
fn scan(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    // The open quote, if any: its family, the opening mark's offset and the text's start.
    let mut open: Option<(Family, usize, usize)> = None;
    for (i, c) in marks(text) {
        let width = c.len_utf8();
        let (prev, next) = around(text, i, width);
        let next_is_text = next.is_some_and(|n| !n.is_whitespace());
        match c {
            '"' | LEFT_DOUBLE | RIGHT_DOUBLE => match open {
                Some((Family::Double, o, s)) => {
                    // A mark that looks like an opener while a quote is open means the open
                    // quote lost its closing mark; a right mark always closes.
                    let new_opener = c != RIGHT_DOUBLE
                        && opens_after(prev)
                        && next.is_some_and(|n| n.is_alphanumeric());
                    if new_opener {
                        spans.push(span(text, (Family::Double, o, s), i, i, false));
                        open = Some((Family::Double, i, i + width));
                    } else {
                        spans.push(span(text, (Family::Double, o, s), i, i + width, true));
                        open = None;
                    }
                }
                Some((Family::Single, ..)) => {}
                None => {
                    // A right mark opens only when it clearly starts a word (a misused mark).
                    let opener = if c == RIGHT_DOUBLE {
                        prev.is_none_or(char::is_whitespace)
                    } else {
                        opens_after(prev)
                    };
                    if opener && next_is_text {
                        open = Some((Family::Double, i, i + width));
                    }
                }
            },
            _ => {
                let between_letters = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                if between_letters {
                    continue; // An apostrophe: "we’ve", "children’s".
                }
                match open {
                    Some((Family::Double, ..)) => {}
                    Some((Family::Single, o, s)) => {
                        if c == LEFT_SINGLE {
                            continue;
                        }
                        // After an s before a space, a mark is a plural possessive ("parents’
                        // views") unless nothing later could close the quote.
                        let possessive = prev.is_some_and(|p| p == 's' || p == 'S')
                            && next.is_some_and(char::is_whitespace)
                            && later_single_closer(text, i + width);
                        if !possessive {
                            spans.push(span(text, (Family::Single, o, s), i, i + width, true));
                            open = None;
                        }
                    }
                    None => {
                        if opens_after(prev) && next.is_some_and(char::is_alphanumeric) {
                            open = Some((Family::Single, i, i + width));
                        }
                    }
                }
            }
        }
    }
    if let Some((family, o, s)) = open {
        // An unclosed single mark is far more often a stray apostrophe ("the '90s") than a
        // quote, so it counts only where a quote plainly begins: at the paragraph's start or
        // after a colon.
        let before = text[..o].trim_end();
        if family == Family::Double || before.is_empty() || before.ends_with(':') {
            spans.push(span(text, (family, o, s), text.len(), text.len(), false));
        }
    }
    spans.retain(|s| text.get(s.start..s.end).is_some_and(|t| !t.trim().is_empty()));
    spans
}

fn span(
    text: &str,
    (family, open, start): (Family, usize, usize),
    end: usize,
    after: usize,
    closed: bool,
) -> Span {
    Span { open, start, end, after, closed, at_start: text[..open].trim().is_empty(), family }
}

/// Whether a single mark that could close a quote comes at or after byte `from`.
fn later_single_closer(text: &str, from: usize) -> bool {
    marks(text).any(|(k, c)| {
        if k < from || !(c == '\'' || c == RIGHT_SINGLE) {
            return false;
        }
        let (prev, next) = around(text, k, c.len_utf8());
        !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric))
    })
}

// ---------------------------------------------------------------------------------------------
// Chaining spans across paragraphs.

/// A span by paragraph and position in that paragraph's scan.
#[derive(Debug, Clone, Copy)]
struct Link {
    para: usize,
    idx: usize,
}

/// Joins spans into quotes: a quote left open at a paragraph's end continues into the next
/// paragraph when that paragraph opens with a quote mark of the same family (straight and
/// curly marks mix freely) whose quote is not attributed on its own ("..., the letter states"),
/// and ends otherwise.
fn chains(paragraphs: &[String], scans: &[Vec<Span>]) -> Vec<Vec<Link>> {
    let mut out = Vec::new();
    let mut pending: Option<Vec<Link>> = None;
    for (para, spans) in scans.iter().enumerate() {
        let mut from = 0;
        if let Some(mut chain) = pending.take() {
            let family = chain.last().map(|l: &Link| scans[l.para][l.idx].family);
            // Whether the chain's speaker was named before it: words before its first mark,
            // or a paragraph ending in a colon just before.
            let led = chain.first().is_some_and(|l: &Link| {
                let text = &paragraphs[l.para];
                let before = text.get(..scans[l.para][l.idx].open).unwrap_or_default();
                !before.trim().is_empty()
                    || (l.para > 0 && paragraphs[l.para - 1].trim_end().ends_with(':'))
            });
            // A closed quote with its own attribution after it is another quote, unless the
            // chain so far has no speaker: then, as articles run one quote over paragraphs
            // (each opening with a mark, only the last closing), the attribution at its end
            // is the whole quote's.
            let continues = |first: &Span| {
                let own_attribution = first.closed && {
                    let to = spans.get(1).map_or(paragraphs[para].len(), |n| n.open);
                    paragraphs[para].get(first.after..to).and_then(post_subject).is_some()
                };
                first.at_start && Some(first.family) == family && (!own_attribution || !led)
            };
            match spans.first() {
                Some(first) if continues(first) => {
                    chain.push(Link { para, idx: 0 });
                    from = 1;
                    if first.closed || spans.len() > 1 {
                        out.push(chain);
                    } else {
                        pending = Some(chain);
                    }
                }
                _ => out.push(chain),
            }
        }
        for idx in from..spans.len() {
            let chain = vec![Link { para, idx }];
            if !spans[idx].closed && idx + 1 == spans.len() {
                pending = Some(chain);
            } else {
                out.push(chain);
            }
        }
    }
    out.extend(pending);
    out
}

// ---------------------------------------------------------------------------------------------
// Sections that are an organisation's statement.

/// A run of paragraphs under a heading such as "What does SSIF say about the outcome?".
struct Section {
    /// The heading itself, for the rule that explains the quote.
    heading: String,
    speaker: String,
    kind: QuoteKind,
    /// The first paragraph after the heading.
    start: usize,
    /// One past the section's last paragraph.
    end: usize,
}

static SAY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^what (?:does|do|did) (.+?) (?:have to say|say|think)(?-u:\b)[^?]*\?$")
        .expect("valid regex")
});

/// Finds the sections under "What does X say ...?" headings. A section ends at the next
/// heading: a question, or a short line without closing punctuation ("Find out more", "|").
fn statement_sections(paragraphs: &[String]) -> Vec<Section> {
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let p = p.trim();
        if !(p.len() < 120 && p.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("what "))) {
            continue;
        }
        let Some(caps) = SAY_HEADING.captures(p) else { continue };
        let speaker = caps[1].trim().to_string();
        let kind =
            if REPORTISH.is_match(&speaker) { QuoteKind::Report } else { QuoteKind::Organisation };
        let start = i + 1;
        let end = (start..paragraphs.len())
            .find(|&j| is_heading(&paragraphs[j]))
            .unwrap_or(paragraphs.len());
        out.push(Section { heading: p.to_string(), speaker, kind, start, end });
    }
    out
}

fn is_heading(p: &str) -> bool {
    let p = p.trim();
    let words = p.split_whitespace().count();
    (p.ends_with('?') && words <= 15)
        || (words <= 6 && !p.ends_with(['.', '!', ':', ';', ',', '"', RIGHT_DOUBLE, RIGHT_SINGLE]))
}

// ---------------------------------------------------------------------------------------------
// Attribution.

/// Who a quote belongs to, before it becomes part of a [`Quote`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Voice {
    speaker: Option<String>,
    role: Option<String>,
    organisation: Option<String>,
    kind: QuoteKind,
}

impl Voice {
    fn report(speaker: &str) -> Voice {
        Voice {
            speaker: Some(speaker.to_string()),
            role: None,
            organisation: None,
            kind: QuoteKind::Report,
        }
    }

    fn organisation(name: &str) -> Voice {
        Voice {
            speaker: Some(name.to_string()),
            role: None,
            organisation: None,
            kind: QuoteKind::Organisation,
        }
    }
}

/// What has been found so far, for pronouns and continuations.
#[derive(Default)]
struct Found {
    /// Quotes with their sort key (paragraph, byte offset).
    quotes: Vec<((usize, usize), Quote)>,
    last_person: Option<Voice>,
    last_organisation: Option<Voice>,
    last_voice: Option<Voice>,
    /// The index in `quotes` of the last quote from a chain, and its voice.
    last_chain: Option<(usize, Option<Voice>)>,
    /// Every named person met so far, quoted or reported, for later references by surname.
    people: Vec<Voice>,
    /// How many of the article's [`Mention`]s have been taken into account.
    mentions_seen: usize,
}

impl Found {
    /// Takes into account the people named in reported speech before `at` (paragraph, byte
    /// offset): the last of them is who "she said" refers to next.
    fn catch_up(&mut self, mentions: &[Mention], at: (usize, usize)) {
        while let Some(m) = mentions.get(self.mentions_seen) {
            if (m.para, m.at) >= at {
                break;
            }
            let voice = self.known(m.voice.clone());
            self.remember(&voice);
            self.mentions_seen += 1;
        }
    }

    /// Records `voice` as the latest of its kind.
    fn remember(&mut self, voice: &Voice) {
        match voice.kind {
            QuoteKind::Person if voice.speaker.is_some() => {
                self.last_person = Some(voice.clone());
                let speaker = voice.speaker.as_deref();
                if let Some(known) =
                    self.people.iter_mut().find(|p| p.speaker.as_deref() == speaker)
                {
                    *known = voice.clone();
                } else {
                    self.people.push(voice.clone());
                }
            }
            QuoteKind::Organisation => self.last_organisation = Some(voice.clone()),
            _ => {}
        }
        if voice.speaker.is_some() {
            self.last_voice = Some(voice.clone());
        }
    }

    /// A person met before under a fuller name: "Ms Holt" or "Holt" after "Marianne Holt,
    /// interim executive director", with the role and organisation given then (unless this
    /// mention gives its own).
    fn known(&self, voice: Voice) -> Voice {
        let Some(speaker) = voice.speaker.as_deref() else { return voice };
        if voice.kind != QuoteKind::Person {
            return voice;
        }
        let surname = speaker.split_whitespace().last().unwrap_or("");
        let earlier = self.people.iter().rev().find(|p| {
            p.speaker.as_deref().is_some_and(|full| {
                full == speaker
                    || (!speaker.contains(' ') && full.split_whitespace().last() == Some(surname))
            })
        });
        match earlier {
            Some(p) if voice.role.is_none() && voice.organisation.is_none() => p.clone(),
            Some(p) => Voice { speaker: p.speaker.clone(), ..voice },
            None => voice,
        }
    }
}

/// A named person whose words a sentence reports ("Jane Holt, the director, said the plan
/// was late."), whether or not any words are quoted: the person "she" refers to afterwards.
struct Mention {
    para: usize,
    /// The byte offset of the sentence in its paragraph.
    at: usize,
    voice: Voice,
    verb: String,
}

/// The people named as speakers in reported speech, in order of appearance.
fn mentions(paragraphs: &[String]) -> Vec<Mention> {
    let mut out = Vec::new();
    for (para, p) in paragraphs.iter().enumerate() {
        if !may_report(p) {
            continue; // No sentence of it reports speech: spare splitting it.
        }
        for (s, e) in sentence_spans(p) {
            let Some(sentence) = p.get(s..e) else { continue };
            let Some((subject, verb)) = reported_subject(sentence) else { continue };
            if let Some(voice) = parse_person(subject) {
                out.push(Mention { para, at: s, voice, verb: verb.to_string() });
            }
        }
    }
    out
}

/// The subject and verb of a sentence that reports speech: a speaker, a verb of saying, then
/// what was said ("Karen Jones, chair of the forum, said families had noticed ...", "She
/// called the report ..."). The verb is the first verb of saying among the first forty words;
/// whether the subject is a speaker is for the caller to judge.
fn reported_subject(sentence: &str) -> Option<(&str, &str)> {
    if !may_report(sentence) {
        return None;
    }
    for (n, (at, word)) in word_spans(sentence).enumerate() {
        if n > 40 {
            return None;
        }
        let bare = word.trim_end_matches([',', ';', ':']);
        if n > 0 && is_reporting_verb(bare) {
            let subject = sentence[..at].trim_end().trim_end_matches(',').trim_end();
            let rest = sentence[at + word.len()..].trim();
            return (!subject.is_empty() && !rest.is_empty()).then_some((subject, bare));
        }
    }
    None
}

/// Whether `text` may hold a verb of reported speech for [`reported_subject`], tested before
/// walking its words (most sentences hold none): a verb must be there as a substring,
/// ignoring ASCII case. That never rules out a verb [`contains_folded`] would find, as it
/// lower-cases as Unicode does: the verbs are ASCII (a test holds the table to that), and the
/// only character outside ASCII that lower-cases into ASCII is the Kelvin sign (to 'k', as in
/// "remarked"), so text holding one is always read.
fn may_report(text: &str) -> bool {
    static VERBS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(LEXICON.reporting.set.iter())
            .expect("reporting verbs are valid patterns")
    });
    VERBS.is_match(text) || text.contains('\u{212a}')
}

/// The subject and verb of a sentence in which the report or letter speaks: a short subject
/// ("The report", "It", "Inspectors") and any verb of saying or finding ("warns that",
/// "found").
fn report_subject(sentence: &str) -> Option<(&str, &str)> {
    for (n, (at, word)) in word_spans(sentence).enumerate() {
        if n > 6 {
            return None;
        }
        let bare = word.trim_end_matches([',', ';', ':']);
        if n > 0 && (is_verb(bare) || is_reporting_verb(bare)) {
            let subject = sentence[..at].trim_end().trim_end_matches(',').trim_end();
            return (!subject.is_empty()).then_some((subject, bare));
        }
    }
    None
}

/// A person as the subject of reported speech: a named person, or "he"/"she".
fn resolve_person(subject: &str, found: &Found) -> Option<Voice> {
    let s = subject.trim().trim_matches(|c: char| c == ',' || c == '.' || c.is_whitespace());
    let voice = match s.to_lowercase().as_str() {
        "he" | "she" => found.last_person.clone(),
        _ => parse_person(s).map(|v| found.known(v)),
    }?;
    (voice.kind == QuoteKind::Person && voice.speaker.is_some()).then_some(voice)
}

/// Whether `word` is a verb that attributes a quotation placed before or after it.
fn is_verb(word: &str) -> bool {
    contains_folded(&LEXICON.attributing, word)
}

/// Whether the lower-case `set` holds `word` ignoring case, as Unicode lower-cases it. An
/// ASCII word (nearly all) is lower-cased into a buffer on the stack, not a new string.
fn contains_folded(set: &Words, word: &str) -> bool {
    const MAX: usize = 32;
    if word.is_ascii() && word.len() <= MAX {
        // ASCII lower-casing keeps the length: the shape is known before any copy.
        let (first, bit) = Words::shape(word.as_bytes());
        if set.shapes[usize::from(first.to_ascii_lowercase())] & bit == 0 {
            return false;
        }
        let mut buffer = [0u8; MAX];
        let folded = &mut buffer[..word.len()];
        folded.copy_from_slice(word.as_bytes());
        folded.make_ascii_lowercase();
        // ASCII in, ASCII out: still UTF-8.
        return std::str::from_utf8(folded).is_ok_and(|w| set.contains(w));
    }
    if word.chars().any(char::is_uppercase) {
        set.contains(&word.to_lowercase())
    } else {
        set.contains(word)
    }
}

/// Whether `word` is a verb that introduces reported speech, which may carry a partial
/// quotation.
fn is_reporting_verb(word: &str) -> bool {
    contains_folded(&LEXICON.reporting, word)
}

/// At most `max` bytes from the end of `text`, cut at a character boundary: leads and their
/// context sit just before a quote, so the sentence splitter need not see a whole paragraph.
fn tail(text: &str, max: usize) -> &str {
    &text[ceil_char_boundary(text, text.len().saturating_sub(max))..]
}

/// Words that mark the inspectors' report or letter as the speaker.
static REPORTISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:report|letter|inspectors?|inspection|ofsted|cqc|care quality commission|findings|endorsement|watchdogs?|regulators?)(?-u:\b)",
    )
    .expect("valid regex")
});

/// "A spokesperson for Dudley Council".
static SPOKESPERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:an?\s+)?(?:spokes(?:person|man|woman)|representative|statement)\s+(?:for|from|of|at)\s+(.+)$")
        .expect("valid regex")
});

/// Whether `s` is "the council", "the forum", "the CCG": an organisation named by its kind.
fn is_body(s: &str) -> bool {
    let Some(kind) = strip_prefix_ignore_ascii_case(s.trim(), "the ") else { return false };
    contains_folded(&LEXICON.bodies, kind.trim())
}

/// "who this week becomes Portfolio Holder..." before a role.
static WHO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^who\s+(?:[\w’']+\s+){0,4}?(?:is|was|becomes|became|has become|will become|serves as|acts as)\s+")
        .expect("valid regex")
});

/// The last sentence of `text` and the text before it, both trimmed.
fn last_sentence(text: &str) -> (&str, &str) {
    match sentence_spans(text).last() {
        Some(&(s, e)) => (&text[s..e], text[..s].trim()),
        None => ("", ""),
    }
}

/// The subject of a lead ("Neil Bucktin, ..., Board" from "Neil Bucktin, ..., Board said:"),
/// when `sentence` is one: a verb of saying near its end, followed by nothing or by a few
/// words and a colon ("told the Echo:"). "Jane said the council was wrong" reports speech and
/// does not lead.
fn lead_subject(sentence: &str) -> Option<(&str, &str)> {
    let trimmed = sentence.trim_end();
    let body = trimmed.trim_end_matches([':', ';', ',']).trim_end();
    let punctuated = body.len() < trimmed.len();
    // "According to Amy Green, chief nurse at the ICB, “...”".
    if punctuated
        && let Some(rest) = strip_prefix_ignore_ascii_case(body, "according to ")
        && !rest.trim().is_empty()
    {
        return Some((rest.trim(), "according to"));
    }
    // Walk back over at most eight words looking for the verb.
    let mut end = body.len();
    for _ in 0..8 {
        let start = body[..end]
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace())
            .map_or(0, |(p, c)| p + c.len_utf8());
        let word = body[start..end].trim_end_matches(',');
        if is_verb(word) {
            let extra = &body[start + word.len()..];
            if !extra.trim().is_empty() && !punctuated {
                return None;
            }
            if extra.contains(['.', '!', '?', ':', ';']) {
                return None;
            }
            let subject = body[..start].trim_end().trim_end_matches(',').trim_end();
            return (!subject.is_empty()).then_some((subject, word));
        }
        if start == 0 {
            return None;
        }
        end = body[..start].trim_end().len();
    }
    None
}

/// Whether the words after "told" name only who was told ("told the Echo", "told
/// reporters", "told BBC Radio Kent"), so the clause attributes a quote, rather than report
/// speech ("told the council to act", "told parents that ...").
fn told_whom(verb: &str, after: &str) -> bool {
    let clause = after.split([',', ';', ':']).next().unwrap_or_default();
    let words: Vec<&str> = clause.split_whitespace().collect();
    ["told", "tells"].iter().any(|t| verb.eq_ignore_ascii_case(t))
        && !words.is_empty()
        && words.len() <= 5
        && !words.iter().any(|w| {
            ["to", "that", "how", "what", "why"].contains(&w.to_ascii_lowercase().as_str())
        })
}

/// The subject of the words after a closed quote, when they attribute it: verb first ("said
/// Jane Smith, chair of the forum.", "according to the report") or subject first ("the letter
/// states.", "she said, adding ..."). The verb of a subject-first attribution must end its
/// clause: "The council said it would ..." reports speech and does not attribute.
fn post_subject(post: &str) -> Option<(&str, &str)> {
    let post = post.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '\u{2014}' | '\u{2013}' | '-')
    });
    let window = truncate_bytes(post, 400);
    let &(s, e) = sentence_spans(window).first()?;
    let sentence = window.get(s..e)?.trim_end_matches(['.', '!', '?', ',', ';', ':']).trim_end();
    let (first_at, first) = word_spans(sentence).next()?;
    let first_bare = first.trim_end_matches(',');
    if is_verb(first_bare) {
        let rest = sentence[first_at + first.len()..].trim();
        return (!rest.is_empty()).then_some((rest, first_bare));
    }
    if let Some(rest) = sentence.strip_prefix("according to ") {
        return Some((rest.trim(), "according to"));
    }
    for (n, (at, word)) in word_spans(sentence).enumerate() {
        if n > 14 {
            return None;
        }
        let bare = word.trim_end_matches([',', ';', ':', '.']);
        if n > 0 && is_verb(bare) {
            let after = sentence[at + bare.len()..].trim_start();
            let ends_clause = after.is_empty()
                || after.starts_with([',', ';', ':', '.'])
                || ["today", "yesterday", "in a statement"]
                    .iter()
                    .any(|w| after.eq_ignore_ascii_case(w))
                || told_whom(bare, after);
            let subject = sentence[..at].trim_end().trim_end_matches(',').trim_end();
            return ends_clause.then_some((subject, bare));
        }
    }
    None
}

/// The words of `text` split at white space, each with its byte offset in `text`.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    // Each word is a slice of `text`, so its offset is the distance between the two pointers.
    text.split_whitespace().map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// Resolves a subject ("Jane Smith, chair of X", "she", "It", "the letter") to a voice.
/// `context` is the text just before, for "It" and "they".
fn resolve(subject: &str, context: &str, found: &Found) -> Option<Voice> {
    let mut s = subject.trim().trim_matches(|c: char| c == ',' || c == '.' || c.is_whitespace());
    // "However, the council", "But she": a sentence word before the subject is not part of it.
    if let Some((first, rest)) = s.split_once(' ')
        && (first.ends_with(',') || matches!(first, "But" | "And"))
        && LEXICON.sentence_stops.contains(first.trim_end_matches(','))
    {
        s = rest.trim();
    }
    if s.is_empty() {
        return None;
    }
    let lower = s.to_lowercase();
    match lower.as_str() {
        "he" | "she" => return found.last_person.clone(),
        "it" => {
            return if REPORTISH.is_match(context) {
                Some(report_voice(context))
            } else {
                found.last_organisation.clone()
            };
        }
        "they" | "we" => {
            return if REPORTISH.is_match(context) {
                Some(report_voice(context))
            } else {
                found.last_voice.clone()
            };
        }
        _ => {}
    }
    if let Some(person) = parse_person(s) {
        return Some(found.known(person));
    }
    // A surname alone ("Holt added") names a person met before.
    if !s.contains(' ') {
        let earlier = found.known(Voice {
            speaker: Some(s.to_string()),
            role: None,
            organisation: None,
            kind: QuoteKind::Person,
        });
        if earlier.speaker.as_deref() != Some(s) {
            return Some(earlier);
        }
    }
    if REPORTISH.is_match(s) {
        return Some(report_voice(s));
    }
    parse_organisation(s).map(|name| Voice::organisation(&name))
}

/// The report's voice, named after the document the words mention.
fn report_voice(words: &str) -> Voice {
    let lower = words.to_lowercase();
    if lower.contains("letter") {
        Voice::report("the letter")
    } else if lower.contains("inspector") && !lower.contains("report") {
        Voice::report("inspectors")
    } else {
        Voice::report("the report")
    }
}

/// An organisation as a speaker: "A spokesperson for Dudley Council", "Dudley Council",
/// "the council", "SSIF".
fn parse_organisation(s: &str) -> Option<String> {
    if let Some(caps) = SPOKESPERSON.captures(s) {
        return Some(strip_the(caps[1].trim()).to_string());
    }
    if is_body(s) || is_org_phrase(s) {
        return Some(strip_the(s).to_string());
    }
    let acronym = s.len() >= 2
        && s.len() <= 8
        && s.chars().all(|c| c.is_ascii_uppercase())
        && !matches!(s, "SEND" | "SEN" | "CQC");
    acronym.then(|| s.to_string())
}

/// Courtesy and office titles stripped from names.
fn is_title(w: &str) -> bool {
    contains_folded(&LEXICON.titles, w.trim_end_matches('.'))
}

/// Whether `tokens` read as a person's name.
fn is_name(tokens: &[&str]) -> bool {
    tokens.iter().all(|w| is_name_token(w))
        && tokens.first().is_some_and(|w| !LEXICON.sentence_stops.contains(w))
}

fn is_name_token(w: &str) -> bool {
    let Some(first) = w.chars().next() else { return false };
    if !first.is_uppercase() {
        return false;
    }
    if !w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.')) {
        return false;
    }
    // Acronyms (NHS, SSIF, ICB) are bodies, not people; an initial ("J.") is fine.
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    if letters > 1 && !w.chars().any(char::is_lowercase) {
        return false;
    }
    !LEXICON.office_stops.contains(w)
}

/// Whether a phrase names an office or what the speaker is ("Council leader", "Ofsted's
/// national director", "Paignton mum"): it holds a role word of the table.
fn has_role_word(s: &str) -> bool {
    let lower = s.to_lowercase();
    LEXICON.role_words.iter().any(|w| lower.contains(w.as_str()))
}

/// A named person and their role and organisation, from "Cllr Tony Cox, leader of the
/// council" or "Worcestershire County Councillor Marcus Hart, the Cabinet Member for ...".
fn parse_person(s: &str) -> Option<Voice> {
    let parts: Vec<&str> = s.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    // A part that is a name and nothing else is the name ("A spokesman for SEND Crisis
    // Anytown, Tom Lacey"); otherwise the first part that ends in a name.
    let mut names: Vec<(usize, Name)> =
        parts.iter().enumerate().filter_map(|(k, p)| Some((k, parse_name_part(p)?))).collect();
    // A first name alone, when a description follows ("Sarah, a mother of three, said").
    if names.is_empty()
        && let [first, description, ..] = parts.as_slice()
        && is_name(&[*first])
        && (description.starts_with("a ") || description.starts_with("an "))
        && has_role_word(description)
    {
        let name =
            Name { name: first.to_string(), alone: true, prefix_org: None, prefix_role: None };
        names.push((0, name));
    }
    let (k, name) = names
        .iter()
        .position(|(_, n)| n.alone)
        .or((!names.is_empty()).then_some(0))
        .map(|i| names.into_iter().nth(i))??;
    // An age ("Anna Lee, 42, from Brierley Hill") describes the person, not a role.
    let is_age = |p: &&str| {
        let p = p.strip_prefix("aged ").unwrap_or(p);
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
    };
    let desc = parts[k + 1..].iter().filter(|p| !is_age(p)).copied().collect::<Vec<_>>().join(", ");
    let (mut role, mut organisation) = split_role(&desc);
    if role.is_none() && organisation.is_none() {
        let before = name.prefix_role.clone().or_else(|| {
            k.checked_sub(1).map(|j| parts[..=j].join(", ")).filter(|p| has_role_word(p))
        });
        if let Some(before) = before {
            (role, organisation) = split_role(&before);
        }
    }
    if organisation.is_none() {
        organisation = name.prefix_org;
    }
    // "cabinet member for education" is an office of a council: the article's.
    if organisation.is_none()
        && role.as_deref().is_some_and(|r| {
            let r = r.to_lowercase();
            LEXICON.council_offices.iter().any(|o| r.contains(o.as_str()))
        })
    {
        organisation = Some("council".to_string());
    }
    Some(Voice { speaker: Some(name.name), role, organisation, kind: QuoteKind::Person })
}

struct Name {
    name: String,
    /// Whether the part is the name alone (titles aside).
    alone: bool,
    /// "Worcestershire County Council" from "Worcestershire County Councillor".
    prefix_org: Option<String>,
    /// "Council leader" from "Council leader Tony Cox".
    prefix_role: Option<String>,
}

/// A person's name at the end of a comma-separated part, with what comes before it.
fn parse_name_part(part: &str) -> Option<Name> {
    let tokens: Vec<&str> = part.split_whitespace().collect();
    if let Some(t) = tokens.iter().rposition(|w| is_title(w)) {
        let name = &tokens[t + 1..];
        if name.is_empty() || name.len() > 4 || !is_name(name) {
            return None;
        }
        let before = &tokens[..t];
        // "Worcestershire County Councillor" names the council; "Opposition councillor" and
        // "County Councillor" alone are roles.
        let councillor = tokens[t].eq_ignore_ascii_case("councillor");
        let generic =
            |w: &&str| matches!(*w, "County" | "Borough" | "City" | "District" | "Town" | "Parish");
        let named_council = councillor
            && tokens[t].starts_with('C')
            && !before.is_empty()
            && before.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !before.iter().all(generic)
            && before.first().is_some_and(|w| !LEXICON.sentence_stops.contains(w));
        // A councillor sits on a council: the article's, unless one is named.
        let prefix_org = if named_council {
            Some(format!("{} Council", before.join(" ")))
        } else {
            councillor.then(|| "council".to_string())
        };
        let role_words = if councillor && !named_council && !before.is_empty() {
            tokens[..=t].join(" ")
        } else {
            before.join(" ")
        };
        let prefix_role = (!named_council && !before.is_empty() && has_role_word(&role_words))
            .then_some(role_words);
        let alone = before.iter().all(|w| is_title(w));
        return Some(Name { name: name.join(" "), alone, prefix_org, prefix_role });
    }
    let mut start = tokens.len();
    while start > 0 && is_name_token(tokens[start - 1]) {
        start -= 1;
    }
    // A sentence word before a name ("However Jane Smith") is not part of it.
    while start < tokens.len() && LEXICON.sentence_stops.contains(tokens[start]) {
        start += 1;
    }
    let name = &tokens[start..];
    if name.len() < 2 || name.len() > 4 || !is_name(name) {
        return None;
    }
    let before = tokens[..start].join(" ");
    let prefix_role = (!before.is_empty() && has_role_word(&before)).then_some(before);
    let only_sentence_words = tokens[..start].iter().all(|w| LEXICON.sentence_stops.contains(w));
    if prefix_role.is_none() && !only_sentence_words {
        return None; // "the glowing endorsement by ...": a name must stand alone or after an office.
    }
    Some(Name { name: name.join(" "), alone: start == 0, prefix_org: None, prefix_role })
}

/// Whether a phrase is an organisation's name: capitalised words (with "and", "of", "for",
/// "the" between) including a word such as Council, Board, Forum or NHS; or a capitalised name
/// followed by lower-case words that end in such a word ("Middlesbrough parent carer forum").
fn is_org_phrase(s: &str) -> bool {
    org_phrase_shape(s).is_some()
}

/// Whether a phrase is an organisation's name written in capitals throughout ("Anytown
/// Council", not "Anytown parent carer forum").
fn is_capitalised_org(s: &str) -> bool {
    org_phrase_shape(s) == Some(true)
}

/// `Some(true)` for an organisation's name in capitals, `Some(false)` for a capitalised name
/// and a lower-case kind of body, `None` for anything else.
fn org_phrase_shape(s: &str) -> Option<bool> {
    let s = strip_the(s.trim());
    let tokens: Vec<&str> = s.split_whitespace().collect();
    if tokens.is_empty() || tokens.len() > 14 {
        return None;
    }
    let capital = |w: &str| {
        w.trim_start_matches('(')
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    if !capital(tokens[0]) {
        return None;
    }
    let bare = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let shaped = tokens.iter().all(|w| {
        capital(w)
            || matches!(
                *w,
                "and" | "of" | "for" | "the" | "&" | "in" | "on" | "upon" | "with" | "under"
            )
    });
    if shaped && tokens.iter().any(|w| LEXICON.org_words.contains(&bare(w))) {
        return Some(true);
    }
    // A place and a lower-case kind of body: "Anytown parent carer forum".
    let last = tokens.last().map(|w| bare(w)).unwrap_or_default();
    let loose = tokens.len() >= 2
        && !has_role_word(tokens[0])
        && tokens[..tokens.len() - 1]
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '&')))
        && contains_folded(&LEXICON.org_words_folded, &last)
        && !last.chars().next().is_some_and(char::is_uppercase);
    loose.then_some(false)
}

fn strip_the(mut s: &str) -> &str {
    while let Some(rest) = s.strip_prefix("the ").or_else(|| s.strip_prefix("The ")) {
        s = rest.trim_start();
    }
    s
}

/// Splits a description into role and organisation: "co-chair of the Dudley Parent Carer
/// Forum", "Dudley Managing Director, Black Country Integrated Care Board", "Portfolio Holder
/// for ... at Dorset Council", "Anytown Council's cabinet member for education". A
/// description without a named organisation is all role.
fn split_role(desc: &str) -> (Option<String>, Option<String>) {
    let mut d = desc.trim().trim_matches(',').trim();
    if let Some(m) = WHO.find(d) {
        d = d.get(m.end()..).unwrap_or("");
    }
    // "who chairs the forum" states the role "chair of the forum".
    for (clause, role) in &LEXICON.relative_roles {
        if let Some(rest) = strip_prefix_ignore_ascii_case(d, clause)
            && rest.starts_with(' ')
        {
            return split_role(&format!("{role} {}", rest.trim()));
        }
    }
    // "from Thornton Heath, whose ...": where a speaker lives is neither role nor body.
    if let Some(rest) = strip_prefix_ignore_ascii_case(d, "from ")
        && let Some((place, more)) = rest.split_once(", ")
        && !is_org_phrase(place)
    {
        return split_role(more);
    }
    d = strip_article(d);
    if d.is_empty() {
        return (None, None);
    }
    // "whose son has an EHC plan": the speaker is a parent.
    if let Some(clause) = strip_prefix_ignore_ascii_case(d, "whose ") {
        let parent = clause.split_whitespace().take(4).any(|w| {
            contains_folded(&LEXICON.child_words, w.trim_matches(|c: char| !c.is_alphanumeric()))
        });
        return (parent.then(|| "parent".to_string()), None);
    }
    // "a parent from Chesterfield whose son ...": the description before the clause.
    for cut in [" whose ", " who "] {
        if let Some(pos) = d.find(cut) {
            d = d[..pos].trim_end().trim_end_matches(',');
        }
    }
    let nonempty = |s: &str| {
        let s = s.trim().trim_end_matches(',').trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    let org = |s: &str| Some(strip_the(s.trim()).to_string());
    if let Some(pos) = d.find(" from ") {
        let after = &d[pos + 6..];
        if is_org_phrase(after) {
            return (nonempty(&d[..pos]), org(after));
        }
        d = d[..pos].trim_end(); // "a mum of two from Huyton"
    }
    // "Anytown Council's cabinet member", "the council's director", "Croydon's director".
    if let Some((owner, rest)) = d.split_once(['\'', '\u{2019}'])
        && let Some(rest) = rest.strip_prefix("s ")
        && owner.split_whitespace().count() <= 6
    {
        let owner = owner.trim();
        if is_capitalised_org(owner) {
            return (nonempty(rest), org(owner));
        }
        // A place or a body named by its kind: the organisation is resolved later against
        // the bodies the article names ("the council" -> "Anytown Borough Council").
        let place = !owner.contains(' ') && owner.chars().next().is_some_and(char::is_uppercase);
        if place || is_body(&format!("the {}", strip_the(owner))) {
            let (role, organisation) = split_role(rest);
            return (role, organisation.or_else(|| org(owner)));
        }
    }
    // "chair of Portsmouth Parent Voice, the city's parent carer forum": the appositive
    // describing the organisation is dropped.
    if let Some(pos) = d.find(", the ")
        && let (role, Some(organisation)) = split_role(&d[..pos])
    {
        return (role, Some(organisation));
    }
    if let Some(pos) = d.rfind(" at ") {
        let o = &d[pos + 4..];
        if is_org_phrase(o) || is_body(o) {
            return (nonempty(&d[..pos]), org(o));
        }
    }
    if let Some(pos) = d.rfind(", ") {
        let o = &d[pos + 2..];
        if is_org_phrase(o) {
            return (nonempty(&d[..pos]), org(o));
        }
    }
    for sep in [" of ", " for ", " at "] {
        for (pos, _) in d.match_indices(sep) {
            let o = &d[pos + sep.len()..];
            if is_org_phrase(o) {
                return (nonempty(&d[..pos]), org(o));
            }
            // "campaign group SEND Crisis Anytown": a kind of body, then its name.
            if let Some((_, name)) = named_tail(o) {
                return (nonempty(&d[..pos]), Some(name.to_string()));
            }
        }
    }
    if is_org_phrase(d) {
        return (None, Some(d.to_string()));
    }
    if let Some(place) = strip_prefix_ignore_ascii_case(d, "from ") {
        // "from parent carer forum Anytown Voice": the kind of body, and its name.
        if let Some((kind, name)) = named_tail(place) {
            return (nonempty(kind), Some(name.to_string()));
        }
        // "Emma Harrison, from Cleckham": where a parent lives is neither role nor body.
        return (None, is_org_phrase(place).then(|| strip_the(place).to_string()));
    }
    (Some(d.to_string()), None)
}

/// Splits "campaign group SEND Crisis Anytown" into the lower-case kind and the capitalised
/// name that follows it (at least two words, to the end).
fn named_tail(s: &str) -> Option<(&str, &str)> {
    let words: Vec<(usize, &str)> = word_spans(s).collect();
    let capital =
        |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let start = words.iter().position(|(_, w)| capital(w))?;
    let name_words = &words[start..];
    let shaped = name_words
        .iter()
        .all(|(_, w)| capital(w) || matches!(*w, "and" | "of" | "for" | "the" | "&"));
    let kind_lower = words[..start].iter().all(|(_, w)| !capital(w));
    (start > 0 && name_words.len() >= 2 && shaped && kind_lower)
        .then(|| (s[..words[start].0].trim_end(), s[words[start].0..].trim()))
}

/// `s` without a leading "the", "a" or "an".
fn strip_article(s: &str) -> &str {
    let s = strip_the(s.trim());
    for a in ["a ", "an ", "A ", "An "] {
        if let Some(rest) = s.strip_prefix(a) {
            return rest.trim_start();
        }
    }
    s
}

/// Judges one chain of spans and, when it is a Quote, attributes it and records it.
fn attribute_chain(
    paragraphs: &[String],
    scans: &[Vec<Span>],
    chain: &[Link],
    sections: &[Section],
    mentions: &[Mention],
    found: &mut Found,
) {
    let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else { return };
    let s0 = &scans[first.para][first.idx];
    let sl = &scans[last.para][last.idx];
    let p0 = paragraphs[first.para].as_str();
    let pl = paragraphs[last.para].as_str();

    let mut text = chain
        .iter()
        .map(|l| {
            let s = &scans[l.para][l.idx];
            paragraphs[l.para].get(s.start..s.end).unwrap_or("").trim()
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let raw_end = text.trim_end().chars().last();
    text.truncate(text.trim_end().trim_end_matches(',').trim_end().len());
    if text.is_empty() {
        return;
    }
    // People named as speakers in reported speech before this quote are now the ones a
    // pronoun refers to.
    found.catch_up(mentions, (first.para, s0.open));

    // The text before the quote in its paragraph, from the end of any earlier quote.
    let pre_from = first.idx.checked_sub(1).map_or(0, |j| scans[first.para][j].after);
    let pre = tail(p0.get(pre_from..s0.open).unwrap_or(""), 400);
    let (pre_last, pre_context) = last_sentence(pre);
    let previous_paragraph = first.para.checked_sub(1).map_or("", |j| paragraphs[j].as_str());
    let context = if pre_context.is_empty() && first.idx == 0 {
        tail(previous_paragraph, 400)
    } else {
        pre_context
    };

    let lead = lead_subject(pre_last);
    // "“...,” X told the Echo. “...”": the words between are the quote before's attribution,
    // and this quote resumes it rather than being reported speech of its own.
    let resumes = found
        .last_chain
        .as_ref()
        .is_some_and(|&(index, _)| found.quotes[index].1.last_paragraph == first.para)
        && post_subject(pre_last).is_some();
    // "X said the change was “a real shift in attitude”": the sentence around the quote
    // reports a named person's words, so even a fragment is theirs.
    let reported = match lead {
        None if !resumes => reported_subject(pre_last)
            .and_then(|(subject, verb)| resolve_person(subject, found).map(|v| (v, verb))),
        _ => None,
    };
    // "The report warns that “too many young people are left ...”": the report's own words,
    // when they run to a few words (two are a scare quote: "slowed significantly").
    let reported_report = match (lead, &reported) {
        (None, None) if !resumes => report_subject(pre_last).and_then(|(subject, verb)| {
            let voice = resolve(subject, context, found)?;
            (voice.kind == QuoteKind::Report).then_some((voice, verb))
        }),
        _ => None,
    };
    let reported_words = if reported.is_some() { 2 } else { 3 };
    let reported = reported.or(reported_report);
    let introduced = pre_last.is_empty() || pre_last.ends_with([':', ';']) || lead.is_some();
    let words = text.split_whitespace().count();
    let capital = text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if chain.len() == 1 && reported.is_none() && (words < 2 || !(capital || introduced)) {
        return; // A scare quote or a fragment: not worth attributing.
    }
    let mut voice = None;
    let mut rule = String::new();
    if let Some((subject, verb)) = lead {
        voice = resolve(subject, context, found);
        rule = format!("attribution before the quote: verb \"{verb}\"");
    }
    let mut attributed_after = false;
    if voice.is_none() && sl.closed {
        let to = scans[last.para].get(last.idx + 1).map_or(pl.len(), |n| n.open);
        if let Some((subject, verb)) = pl.get(sl.after..to).and_then(post_subject) {
            let context = if chain.len() > 1 { "" } else { context };
            voice = resolve(subject, if context.is_empty() { pre } else { context }, found);
            attributed_after = voice.is_some();
            rule = format!("attribution after the quote: verb \"{verb}\"");
        }
    }
    // A sign-off line under the quote: "— Cllr Jane Smith, cabinet member for ...".
    if voice.is_none() && sl.closed && pl.get(sl.after..).is_some_and(|r| r.trim().is_empty()) {
        let next = paragraphs.get(last.para + 1).map_or("", |p| p.trim());
        if let Some(rest) = next.strip_prefix(['\u{2014}', '\u{2013}']) {
            voice = resolve(rest, "", found);
            attributed_after = voice.is_some();
            rule = "attribution after the quote: a dash sign-off line".to_string();
        }
    }
    // A lead as a paragraph of its own: "Simon Trickett, ..., added:".
    if voice.is_none() && s0.at_start && first.para > 0 && scans[first.para - 1].is_empty() {
        let prev = tail(previous_paragraph.trim_end(), 400);
        if prev.ends_with([':', ';']) {
            let (sentence, before) = last_sentence(prev);
            if let Some((subject, verb)) = lead_subject(sentence) {
                let context = if before.is_empty() && first.para >= 2 {
                    paragraphs[first.para - 2].as_str()
                } else {
                    before
                };
                voice = resolve(subject, context, found);
                rule = format!(
                    "attribution before the quote, in the paragraph before: verb \"{verb}\""
                );
            }
        }
    }
    let mut partial = false;
    if voice.is_none()
        && let Some((v, verb)) = reported
    {
        voice = Some(v);
        partial = true;
        rule = format!("reported speech: quoted words after the verb \"{verb}\"");
    }

    // A Quote is a statement: a full sentence or at least six words, not a scare quote or a
    // fragment woven into the writer's own sentence (unless a named person's reported speech).
    let terminal = matches!(raw_end, Some('.' | '!' | '?'));
    let statement = chain.len() > 1
        || (partial && words >= reported_words)
        || ((capital || introduced)
            && (words >= 6 || (capital && words >= 2 && (terminal || attributed_after)))
            && (introduced || terminal || attributed_after));
    if !statement {
        return;
    }

    if voice.is_none() {
        // A quote with no attribution of its own continues the one just before it: in the
        // same paragraph it is the same utterance, resumed after "she said."; in the next
        // paragraph it is a further quote from the same voice. A quote introduced anew in the
        // same paragraph (", adding: “...”") is a second quote from the same voice.
        if let Some((index, previous_voice)) = found.last_chain.clone() {
            let previous = &mut found.quotes[index].1;
            let same_paragraph = previous.last_paragraph == first.para;
            if same_paragraph && !pre_last.ends_with(':') {
                previous.text.push(' ');
                previous.text.push_str(&text);
                previous.last_paragraph = last.para;
                if !previous.rule.contains("middle") {
                    previous.rule.push_str("; continued after an attribution in the middle");
                }
                return;
            }
            if same_paragraph {
                voice = previous_voice;
                rule = format!(
                    "continuation: introduced by \"{}\" after a quote by the same voice",
                    pre_last.trim_matches([',', ' '])
                );
            } else if previous.last_paragraph + 1 == first.para && s0.at_start {
                voice = previous_voice;
                rule = "continuation: a paragraph opening with a quote mark after a quote by the same voice".to_string();
            }
        }
    }
    if voice.is_none() && s0.at_start && first.para > 0 && scans[first.para - 1].is_empty() {
        // "Martin Jones told the panel that ...", then the quote: the person whose words
        // the paragraph before reports.
        if let Some(m) = mentions.iter().rev().find(|m| m.para == first.para - 1) {
            voice = Some(found.known(m.voice.clone()));
            rule = format!("reported speech in the paragraph before: verb \"{}\"", m.verb);
        }
    }
    if voice.is_none()
        && let Some(s) = sections.iter().find(|s| (s.start..s.end).contains(&first.para))
    {
        voice = Some(Voice { kind: s.kind, ..Voice::organisation(&s.speaker) });
        rule = format!("quote in the statement section under the heading \"{}\"", s.heading);
    }
    let voice = voice.unwrap_or_else(|| {
        rule = "quote marks; no attribution found".to_string();
        Voice {
            speaker: None,
            role: None,
            organisation: None,
            kind: if REPORTISH.is_match(pre) { QuoteKind::Report } else { QuoteKind::Person },
        }
    });

    found.remember(&voice);
    let quote = Quote {
        speaker: voice.speaker.clone(),
        role: voice.role.clone(),
        organisation: voice.organisation.clone(),
        text,
        kind: voice.kind,
        paragraph: first.para,
        last_paragraph: last.para,
        rule,
    };
    found.quotes.push(((first.para, s0.open), quote));
    found.last_chain = Some((found.quotes.len() - 1, Some(voice).filter(|v| v.speaker.is_some())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_every_quote_character_in_order() {
        for text in [
            "\u{201c}Good,\u{201d} she said; it\u{2019}s \u{2018}fine\u{2019}. \"Yes\" 'no'",
            "\u{2014}\u{2026}\u{20ac} \u{2019}",
            "",
        ] {
            let expected: Vec<(usize, char)> = text
                .char_indices()
                .filter(|(_, c)| {
                    matches!(c, '"' | '\'' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}')
                })
                .collect();
            assert_eq!(marks(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn word_sets_fold_case_as_unicode_lower_casing_does() {
        let set: Words = ["said", "told", "straße", ""].iter().map(|w| w.to_string()).collect();
        for (word, expected) in [
            ("said", true),
            ("Said", true),
            ("SAID", true),
            ("sai", false),
            ("says", false),
            ("Straße", true),
            ("STRASSE", false),
            ("", true),
            ("SAIDX", false),
            (&"Said".repeat(20), false),
        ] {
            assert_eq!(contains_folded(&set, word), expected, "{word:?}");
            assert_eq!(contains_folded(&set, word), set.contains(&word.to_lowercase()), "{word:?}");
        }
    }

    #[test]
    fn the_reporting_verb_test_never_rules_out_a_verb() {
        // `may_report` compares ASCII case only: it is exact for ASCII verbs alone.
        assert!(LEXICON.reporting.set.iter().all(|v| v.is_ascii()));
        for (sentence, verb) in [
            ("Jane Holt SAID the plan was late.", Some("SAID")),
            ("Jane Holt, the director, told: parents that it was late.", Some("told")),
            // A Kelvin sign lower-cases to 'k': "remarked", a verb of the table.
            ("Jane Holt remar\u{212a}ed the plan was late.", Some("remar\u{212a}ed")),
            ("Jane Holt essays the plan.", None),
            ("The plan was late.", None),
        ] {
            assert_eq!(reported_subject(sentence).map(|(_, v)| v), verb, "{sentence:?}");
        }
    }

    #[test]
    fn only_names_that_end_or_start_with_a_kind_word_may_be_bodies() {
        for name in ["Anytown Borough Council", "NHS Anytown ICB", "Royal Borough of Anytown"] {
            let words: Vec<&str> = name.split(' ').collect();
            assert!(may_name_body(&words), "{name}");
            assert!(kind_of_name(name).is_some(), "{name}");
        }
        for name in ["Jane Smith", "Council", "Anytown Councils"] {
            let words: Vec<&str> = name.split(' ').collect();
            assert!(!may_name_body(&words), "{name}");
            assert!(kind_of_name(name).is_none(), "{name}");
        }
    }

    /// What a test expects of one Quote: speaker, role, organisation, kind, the opening words
    /// of the text, and the first and last paragraph.
    type Expected<'a> =
        (Option<&'a str>, Option<&'a str>, Option<&'a str>, QuoteKind, &'a str, usize, usize);

    fn paras(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    fn check(lines: &[&str], expected: &[Expected]) {
        let got = find(&paras(lines));
        let summary: Vec<_> = got
            .iter()
            .map(|q| {
                (
                    q.speaker.as_deref(),
                    q.role.as_deref(),
                    q.organisation.as_deref(),
                    q.kind,
                    q.text.as_str(),
                    q.paragraph,
                    q.last_paragraph,
                )
            })
            .collect();
        assert_eq!(got.len(), expected.len(), "wrong number of quotes: {summary:#?}");
        for (q, e) in summary.iter().zip(expected) {
            assert_eq!((q.0, q.1, q.2, q.3), (e.0, e.1, e.2, e.3), "in {q:#?}");
            assert!(q.4.starts_with(e.4), "text {:?} should start with {:?}", q.4, e.4);
            assert_eq!((q.5, q.6), (e.5, e.6), "paragraphs of {q:#?}");
        }
    }

    use QuoteKind::{Organisation, Person, Report};

    #[test]
    fn dudley_seed_people_with_leads_and_mismatched_marks() {
        let lines = [
            "However, inspectors found that more needs to be done to make progress.",
            "Councillor David Stanley, cabinet Member for children’s services, said:",
            "“While the report highlights areas needing improvement, it also demonstrates the progress we’ve made and our collaborative efforts to enhance outcomes for children and young people with SEND.",
            "\"We remain committed to our journey of improvement and are determined to achieve significant progress in all areas in the coming months.”",
            "Claire Powers, co-chair of the Dudley Parent Carer Forum said:",
            "“As a forum, we welcome the recognition of all the hard work we and our local area partners have carried out towards driving improvements and shifting culture towards coproduction in Dudley.",
            "\"Equally, we are glad that the inconsistency of experience of our children, young people and families is recognised as we hear this every time we speak with parent carers in Dudley. We are pleased to see PCF’s contribution to the Local Area Partnership recognised in the report. “",
            "Neil Bucktin, Dudley Managing Director, Black Country Integrated Care Board said: “This is a pleasing outcome for all local partners who have worked hard to improve services and outcomes for children, young people, families and carers in Dudley.",
            "\"The report provides a clear analysis of how we can continue to improve our performance and gives us the encouragement to build on the progress already made to the benefit of all.\"",
            "CQC and Ofsted’s findings can be found on the Ofsted reports website.",
        ];
        check(
            &lines,
            &[
                (
                    Some("David Stanley"),
                    Some("cabinet Member for children’s services"),
                    None,
                    Person,
                    "While the report highlights",
                    2,
                    3,
                ),
                (
                    Some("Claire Powers"),
                    Some("co-chair"),
                    Some("Dudley Parent Carer Forum"),
                    Person,
                    "As a forum, we welcome",
                    5,
                    6,
                ),
                (
                    Some("Neil Bucktin"),
                    Some("Dudley Managing Director"),
                    Some("Black Country Integrated Care Board"),
                    Person,
                    "This is a pleasing outcome",
                    7,
                    8,
                ),
            ],
        );
        let got = find(&paras(&lines));
        assert!(got[0].text.contains("SEND.\n\nWe remain committed"));
        assert!(got[0].text.ends_with("coming months."));
        assert!(got[1].text.ends_with("recognised in the report."));
        assert!(got[2].text.contains("Dudley.\n\nThe report provides a clear analysis"));
    }

    #[test]
    fn worcestershire_seed_unclosed_quote_stops_at_plain_paragraph() {
        check(
            &[
                "A SEND strategy for Worcestershire has recently been implemented. But despite the concerted drive shown by leaders in the two organisations being described as a 'breath of fresh air' by inspectors, they found that children and young people in the county are not provided with the quality of support to which they are entitled.",
                "Worcestershire County Councillor Marcus Hart, the Cabinet Member for Education and Skills said:",
                "\"Children and young people with special educational needs and/or disabilities deserve to be supported and encouraged to reach their full potential. Working with our health partners and schools we have made huge strides forward in recent months but there is much more still to do.\"",
                "Simon Trickett, Accountable Officer, Worcestershire Clinical Commissioning Groups added:",
                "“We accept the findings of the report and agree the critical importance of working with others to provide the joined-up services that children and young people deserve.",
                "Partners are now required to produce and submit an action plan to Ofsted",
            ],
            &[
                (
                    Some("Marcus Hart"),
                    Some("Cabinet Member for Education and Skills"),
                    Some("Worcestershire County Council"),
                    Person,
                    "Children and young people with special",
                    2,
                    2,
                ),
                (
                    Some("Simon Trickett"),
                    Some("Accountable Officer"),
                    Some("Worcestershire Clinical Commissioning Groups"),
                    Person,
                    "We accept the findings of the report",
                    4,
                    4,
                ),
            ],
        );
    }

    #[test]
    fn dorset_seed_single_curly_quotes_and_report_opening() {
        check(
            &[
                "‘Children and young people with SEND and their families are placed at the heart of all that leaders do,’ begins the glowing endorsement by the Care Quality Commission (CQC) and regulator Ofsted of the Dorset local area partnership. Dorset Council is the first unitary authority to achieve such a result.",
                "For one thing, the ‘culture of working together results in continual improvement to secure the best possible outcomes for children, young people and their families’. In addition, ‘the voice of children and young people with SEND is highly valued’, while, ‘many parents and carers feel they are true partners when planning their own provision and improvements generally. Parents, carers, children and young people typically speak positively about how they are supported to have better experiences.’",
                "Cllr Clare Sutton, who this week becomes Portfolio Holder for Children, Education, Skills and Early Help at Dorset Council, says: ‘I am pleased to see the results of the joint area inspection. I look forward to working closely with Children’s Services and other partners to carry on improving the services we deliver for families.’",
                "Theresa Leavy, Executive Director for Children’s Services, adds: ‘We know our children and their families really well. It was particularly great to hear the voices of our young people recognised.’",
                "Lesley Mellor, Chair of the Dorset Parent Carer Council, says: ‘The three weeks of inspection highlighted how Dorset Parent Carer Council as a group, are fundamental to the changes. The recognition by all the inspectors of our involvement is welcome.’",
                "In related news:",
            ],
            &[
                (
                    Some("the report"),
                    None,
                    None,
                    Report,
                    "Children and young people with SEND",
                    0,
                    0,
                ),
                (
                    Some("Clare Sutton"),
                    Some("Portfolio Holder for Children, Education, Skills and Early Help"),
                    Some("Dorset Council"),
                    Person,
                    "I am pleased to see",
                    2,
                    2,
                ),
                (
                    Some("Theresa Leavy"),
                    Some("Executive Director for Children’s Services"),
                    None,
                    Person,
                    "We know our children",
                    3,
                    3,
                ),
                (
                    Some("Lesley Mellor"),
                    Some("Chair"),
                    Some("Dorset Parent Carer Council"),
                    Person,
                    "The three weeks of inspection",
                    4,
                    4,
                ),
            ],
        );
        let got = find(&paras(&["‘All that leaders do,’ begins the report, which praised them."]));
        assert_eq!(got[0].text, "All that leaders do");
    }

    #[test]
    fn south_gloucestershire_seed_letter_quotes_run_over_paragraphs() {
        check(
            &[
                "During a visit in November, Ofsted and the Care Quality Commission found that senior leaders have been too slow to implement reforms.",
                "\"A lack of strategic direction, frequent staff changes and changes to the roles and responsibilities of senior leaders have reduced the capacity of the local area to deliver the statutory reforms effectively,\" the letter states.",
                "\"Joint commissioning between healthcare services and the local authority was not established soon enough and is underdeveloped.",
                "\"As a result, inequalities in the quality of services and the provision for children and young people who have SEN and/or disabilities remain.",
                "Inspectors said the local area's SEN and disabilities strategy is still at the consultation stage, which has \"slowed significantly\" the local area's work.",
                "They also warned of \"long-standing problems\" in some services provided by the local area.",
                "\"Families continue to experience unacceptably long waits for the assessment and diagnosis of children and young people with autistic spectrum disorder,\" the letter states.",
                "Meanwhile, parents and carers were found to overwhelmingly report that the \"local offer\" is not easy to use.",
                "\"A significant number of families who shared their views with inspectors had not heard of the term ‘local offer' or did not know what it was,\" the letter states.",
                "\"Many of them do not know what help is available, where or how to access it. They are too reliant on self-help, and ‘ad hoc' or informal support from other parents and families.\"",
                "However, inspectors did find that in recent months the pace of change has improved.",
            ],
            &[
                (Some("the letter"), None, None, Report, "A lack of strategic direction", 1, 1),
                (Some("the letter"), None, None, Report, "Joint commissioning between", 2, 3),
                (Some("the letter"), None, None, Report, "Families continue to experience", 6, 6),
                (Some("the letter"), None, None, Report, "A significant number of families", 8, 8),
                (Some("the letter"), None, None, Report, "Many of them do not know", 9, 9),
            ],
        );
    }

    #[test]
    fn southend_seed_report_people_and_organisation_section() {
        let lines = [
            "What was the inspection outcome?",
            "The report has found that the SEND Partnership's arrangements has lead to inconsistent experiences and outcomes for children and young people and their families.",
            "However the report also recognises that some improvements that have been made. It says: “There is better multi-agency working in Southend with a stronger focus on supporting children and young people and families at the right time.”",
            "What does the council say about the outcome?",
            "Cllr Tony Cox, leader of the council with a responsibility for SEND, said; “The report didn’t contain any surprises, it outlines areas where the service is doing well and other areas where improvements still need to be made.",
            "“It is clear from the report that the experiences of children and their families is variable and this needs to improve.",
            "“However, I am glad to see that the report highlighted the excellent collaborative work that has happened. It seems we are on the right path, but with some work still to do.”",
            "Find out more",
            "|",
            "What does ICS say about the outcome?",
            "Frances Bolger, Chief Nurse, Mid and South Essex Integrated Care Board, said: “We welcome the findings from the recent inspection. Our ambition is to build on the progress already made.",
            "\"This report demonstrates we are on the journey to achieving this ambition. We recognise that a collaborative approach is essential.”",
            "|",
            "What does SSIF say about the outcome?",
            "Ofsted and CQC carried out an inspection of Southend SEND services in March 2023 under the new inspection framework.",
            "Your voices were shared directly with Inspectors through the survey that was completed prior to the inspection.",
            "We will continue to represent SEND families voices in Southend, to ensure that the necessary changes are implemented.",
            "|",
            "|",
        ];
        check(
            &lines,
            &[
                (
                    Some("the report"),
                    None,
                    None,
                    Report,
                    "There is better multi-agency working",
                    2,
                    2,
                ),
                (
                    Some("Tony Cox"),
                    Some("leader of the council with a responsibility for SEND"),
                    None,
                    Person,
                    "The report didn’t contain any surprises",
                    4,
                    6,
                ),
                (
                    Some("Frances Bolger"),
                    Some("Chief Nurse"),
                    Some("Mid and South Essex Integrated Care Board"),
                    Person,
                    "We welcome the findings",
                    10,
                    11,
                ),
                (Some("SSIF"), None, None, Organisation, "Ofsted and CQC carried out", 14, 16),
            ],
        );
        let got = find(&paras(&lines));
        assert_eq!(got[3].text.matches("\n\n").count(), 2);
        assert!(got[1].text.ends_with("some work still to do."));
    }

    #[test]
    fn attributes_after_the_quote() {
        check(
            &[
                "“We are delighted that inspectors saw the hard work of our staff,” said Jane Smith, chair of the Anytown Parent Carer Forum.",
                "\"Families have waited far too long for this kind of change in the borough,\" Dr Amir Khan, Director of Public Health, said.",
                "“It is a good day,” she said. “We will keep going and improve further.”",
            ],
            &[
                (
                    Some("Jane Smith"),
                    Some("chair"),
                    Some("Anytown Parent Carer Forum"),
                    Person,
                    "We are delighted",
                    0,
                    0,
                ),
                (
                    Some("Amir Khan"),
                    Some("Director of Public Health"),
                    None,
                    Person,
                    "Families have waited",
                    1,
                    1,
                ),
                (
                    Some("Amir Khan"),
                    Some("Director of Public Health"),
                    None,
                    Person,
                    "It is a good day We will keep going",
                    2,
                    2,
                ),
            ],
        );
    }

    #[test]
    fn resolves_pronouns_to_the_last_named_speaker() {
        check(
            &[
                "Sarah Jones, Director of Children’s Services at Anytown Borough Council, said: “We have listened to families and acted on what they told us.”",
                "The council has published its plan.",
                "“We know there is more to do and we will not rest until every child is supported,” she added.",
            ],
            &[
                (
                    Some("Sarah Jones"),
                    Some("Director of Children’s Services"),
                    Some("Anytown Borough Council"),
                    Person,
                    "We have listened",
                    0,
                    0,
                ),
                (
                    Some("Sarah Jones"),
                    Some("Director of Children’s Services"),
                    Some("Anytown Borough Council"),
                    Person,
                    "We know there is more",
                    2,
                    2,
                ),
            ],
        );
    }

    #[test]
    fn missing_closing_marks_run_to_paragraph_end_or_into_quoted_paragraphs() {
        check(
            &[
                "Council leader Tom Brown said: “This is a really disappointing report for everyone in the county",
                "“We will publish our action plan within seventy working days",
                "The plan will be published on the council website.",
                "“This paragraph opens a new quote from nobody in particular and never closes",
            ],
            &[
                (Some("Tom Brown"), Some("Council leader"), None, Person, "This is a really", 0, 1),
                (None, None, None, Person, "This paragraph opens", 3, 3),
            ],
        );
    }

    #[test]
    fn a_quote_over_paragraphs_takes_the_attribution_at_its_end() {
        check(
            &[
                "The area was found to have inconsistent experiences and outcomes.",
                "“We know there is more to do.",
                "“We will publish our plan in the summer,” said Ruth Grey, the council leader.",
            ],
            &[(
                Some("Ruth Grey"),
                Some("council leader"),
                None,
                Person,
                "We know there is more to do.\n\nWe will publish",
                1,
                2,
            )],
        );
    }

    #[test]
    fn according_to_before_a_quote_names_its_speaker() {
        check(
            &[
                "According to Amy Green, chief nurse at NHS Black Country Integrated Care Board, “the report is a fair reflection”.",
            ],
            &[(
                Some("Amy Green"),
                Some("chief nurse"),
                Some("NHS Black Country Integrated Care Board"),
                Person,
                "the report is a fair reflection",
                0,
                0,
            )],
        );
    }

    #[test]
    fn told_a_listener_attributes_the_quote() {
        check(
            &[
                "“It is a fair report,” Amy Green, the ICB's chief medical officer, told the Express & Star. “We know what we need to do.”",
                "“We are listening,” Tom Hale told reporters.",
            ],
            &[
                (
                    Some("Amy Green"),
                    Some("chief medical officer"),
                    None,
                    Person,
                    "It is a fair report",
                    0,
                    0,
                ),
                (Some("Tom Hale"), None, None, Person, "We are listening", 1, 1),
            ],
        );
    }

    #[test]
    fn an_age_is_not_a_role() {
        check(
            &["Anna Lee, 42, a mother of two, said: “We have been ignored for years.”"],
            &[(
                Some("Anna Lee"),
                Some("mother of two"),
                None,
                Person,
                "We have been ignored",
                0,
                0,
            )],
        );
    }

    #[test]
    fn apostrophes_are_not_quote_marks() {
        check(
            &[
                "The council’s plan reflects parents’ views and the children’s needs, and leaders' priorities.",
                "Mrs O’Neill, the borough’s SEND lead, said: ‘We’ve made progress on the parents’ concerns and we’re proud of the staff’s work.’",
                "In the '90s the service was different.",
            ],
            &[(
                Some("O’Neill"),
                Some("SEND lead"),
                None,
                Person,
                "We’ve made progress on the parents’ concerns and we’re proud of the staff’s work.",
                1,
                1,
            )],
        );
    }

    #[test]
    fn scare_quotes_and_fragments_are_not_quotes() {
        check(
            &[
                "Leaders were described as a 'breath of fresh air' by inspectors.",
                "Parents said the “local offer” is not easy to use.",
                "The strategy has “slowed significantly” the local area's work.",
                "Inspectors praised the ‘culture of working together that secures the best possible outcomes for children’.",
            ],
            &[],
        );
    }

    #[test]
    fn the_report_s_words_in_reported_speech_are_report_quotes() {
        check(
            &[
                "The report said that the council was \"determined to improve its services for every family in the borough\".",
                "The letter warns that “too many young people are left unsure” about what comes next.",
                "Inspectors said the strategy has \"slowed significantly\" the local area's work.",
            ],
            &[
                (Some("the report"), None, None, Report, "determined to improve", 0, 0),
                (Some("the letter"), None, None, Report, "too many young people", 1, 1),
            ],
        );
    }

    #[test]
    fn organisations_and_reports_as_speakers() {
        check(
            &[
                "A spokesperson for Anytown Council said: “We accept the findings in full and have already begun work.”",
                "The inspection report was published on Friday.",
                "It says: “Leaders have an accurate understanding of the local area’s strengths and weaknesses.”",
                "“Too many children wait too long for an assessment of their needs,” inspectors said.",
            ],
            &[
                (Some("Anytown Council"), None, None, Organisation, "We accept the findings", 0, 0),
                (Some("the report"), None, None, Report, "Leaders have an accurate", 2, 2),
                (Some("inspectors"), None, None, Report, "Too many children wait", 3, 3),
            ],
        );
    }

    #[test]
    fn unquoted_section_under_heading_is_organisation_statement() {
        check(
            &[
                "What does the parent carer forum say?",
                "We are pleased that families' voices were heard by inspectors.",
                "We will keep working with the council.",
                "What happens next?",
                "The council must write a plan.",
            ],
            &[(
                Some("the parent carer forum"),
                None,
                None,
                Organisation,
                "We are pleased that families' voices were heard by inspectors.\n\nWe will keep",
                1,
                2,
            )],
        );
    }

    #[test]
    fn names_may_end_in_sentence_words_and_organisations_in_connectors() {
        check(
            &[
                "Martin He, Chief Nurse, Blackburn with Darwen Integrated Care Board, said: “We welcome the findings from the recent inspection.”",
                "However Anne This, chair of the Richmond upon Thames Parent Carer Voice, said: “Families have told us the same for years and we hope things change now.”",
                "Kevin Thomas, designated clinical officer for SEND at NHS Kingston upon Hull Integrated Care Board, said: “We will bring waiting times down this year for every family.”",
                "Peter Smith, leader of the council at London Borough of Harrow, said: “We are sorry that families have waited so long for help.”",
            ],
            &[
                (
                    Some("Martin He"),
                    Some("Chief Nurse"),
                    Some("Blackburn with Darwen Integrated Care Board"),
                    Person,
                    "We welcome",
                    0,
                    0,
                ),
                (
                    Some("Anne This"),
                    Some("chair"),
                    Some("Richmond upon Thames Parent Carer Voice"),
                    Person,
                    "Families have told us",
                    1,
                    1,
                ),
                (
                    Some("Kevin Thomas"),
                    Some("designated clinical officer for SEND"),
                    Some("NHS Kingston upon Hull Integrated Care Board"),
                    Person,
                    "We will bring",
                    2,
                    2,
                ),
                (
                    Some("Peter Smith"),
                    Some("leader of the council"),
                    Some("London Borough of Harrow"),
                    Person,
                    "We are sorry",
                    3,
                    3,
                ),
            ],
        );
    }

    #[test]
    fn two_speakers_in_one_paragraph() {
        check(
            &[
                "Anne Jones said: “My son is non-verbal and needs one-to-one support.” “We were told the plan would take 20 weeks. It took almost a year,” said Joanne Brooks, whose son attends East Fouley Infant School.",
                "Emma Harrison, from Cleckham, said: “Nobody told us what support was available to our family.”",
            ],
            &[
                (Some("Anne Jones"), None, None, Person, "My son is non-verbal", 0, 0),
                (
                    Some("Joanne Brooks"),
                    Some("parent"),
                    None,
                    Person,
                    "We were told the plan",
                    0,
                    0,
                ),
                (Some("Emma Harrison"), None, None, Person, "Nobody told us", 1, 1),
            ],
        );
    }

    #[test]
    fn unclosed_quote_does_not_swallow_a_differently_attributed_quote() {
        check(
            &[
                "Kate Booth, Accountable Officer, Norfolk Clinical Commissioning Groups added:",
                "“We accept the findings of the report and agree the critical importance of working with others.",
                "‘Children and young people with SEND and their families are placed at the heart of all that leaders do,’ begins the glowing endorsement by Ofsted.",
                "\"Leaders know their area well and have a clear plan for improving it,\" the report says.",
            ],
            &[
                (
                    Some("Kate Booth"),
                    Some("Accountable Officer"),
                    Some("Norfolk Clinical Commissioning Groups"),
                    Person,
                    "We accept the findings",
                    1,
                    1,
                ),
                (Some("the report"), None, None, Report, "Children and young people", 2, 2),
                (Some("the report"), None, None, Report, "Leaders know their area", 3, 3),
            ],
        );
    }

    #[test]
    fn partial_quotes_in_reported_speech_belong_to_the_named_speaker() {
        check(
            &[
                "Karen Jones, chair of the Anytown parent carer forum, said families had noticed “a real shift in attitude” over the year.",
                "Natalie Brown, who chairs the borough's parent carer forum, called the report \"hard reading but fair\" and offered to help.",
                "The opposition's education spokesperson, Councillor Sam Reid, described the report as ‘a damning verdict on years of drift’.",
                "Opposition councillor Ben Amos said families were \"still being let down\" by the council.",
                "Inspectors said the strategy had \"slowed significantly\" the local area's work.",
                "Parents said the “local offer” is hard to use.",
            ],
            &[
                (
                    Some("Karen Jones"),
                    Some("chair"),
                    Some("Anytown parent carer forum"),
                    Person,
                    "a real shift in attitude",
                    0,
                    0,
                ),
                (
                    Some("Natalie Brown"),
                    Some("chair of the borough's parent carer forum"),
                    None,
                    Person,
                    "hard reading but fair",
                    1,
                    1,
                ),
                (
                    Some("Sam Reid"),
                    Some("opposition's education spokesperson"),
                    None,
                    Person,
                    "a damning verdict",
                    2,
                    2,
                ),
                (
                    Some("Ben Amos"),
                    Some("Opposition councillor"),
                    None,
                    Person,
                    "still being",
                    3,
                    3,
                ),
            ],
        );
        let got = find(&paras(&["Jo Lane, a parent, said the plan was “far too late”."]));
        assert_eq!(got[0].rule, "reported speech: quoted words after the verb \"said\"");
    }

    #[test]
    fn pronouns_and_surnames_follow_people_named_in_reported_speech() {
        check(
            &[
                "Cllr Peter Vale, leader of Anytown Council, said: “We have work to do.”",
                "Anna Holt, the council's interim director of children's services, said the partnership accepted the findings.",
                "“We are sorry. Families deserved better than this,” she said.",
                "“We will publish the plan within weeks and report on it every term,” Ms Holt added.",
                "“Nobody should have waited so long for help,” Vale said.",
            ],
            &[
                (
                    Some("Peter Vale"),
                    Some("leader"),
                    Some("Anytown Council"),
                    Person,
                    "We have work to do.",
                    0,
                    0,
                ),
                (
                    Some("Anna Holt"),
                    Some("interim director of children's services"),
                    Some("Anytown Council"),
                    Person,
                    "We are sorry.",
                    2,
                    2,
                ),
                (
                    Some("Anna Holt"),
                    Some("interim director of children's services"),
                    Some("Anytown Council"),
                    Person,
                    "We will publish",
                    3,
                    3,
                ),
                (
                    Some("Peter Vale"),
                    Some("leader"),
                    Some("Anytown Council"),
                    Person,
                    "Nobody",
                    4,
                    4,
                ),
            ],
        );
    }

    #[test]
    fn quotes_after_a_paragraph_of_reported_speech_or_a_second_lead() {
        check(
            &[
                "Martin Greaves, the council's executive director, told the scrutiny panel that there had been clear improvement.",
                "‘What pleased me most was that inspectors saw a partnership that cares about children.",
                "‘The real test is whether we can join up our services properly.’",
                "Dr Sam Khan, chief nurse at NHS Anytown ICB, said the plan was \"the foundation we will build on\", adding: \"Waiting times are the thing families raise with us most.\"",
            ],
            &[
                (
                    Some("Martin Greaves"),
                    Some("executive director"),
                    None,
                    Person,
                    "What pleased me most",
                    1,
                    2,
                ),
                (
                    Some("Sam Khan"),
                    Some("chief nurse"),
                    Some("NHS Anytown ICB"),
                    Person,
                    "the foundation we will build on",
                    3,
                    3,
                ),
                (
                    Some("Sam Khan"),
                    Some("chief nurse"),
                    Some("NHS Anytown ICB"),
                    Person,
                    "Waiting times are",
                    3,
                    3,
                ),
            ],
        );
    }

    #[test]
    fn attribution_in_the_middle_and_in_a_sign_off_line() {
        let lines = [
            "“We accept the findings in full,” said Cllr Tom Reed, Anytown Borough Council's executive member for children. “Families told us the same thing for years.”",
            "“This is a report that belongs to the families of the town, and we thank them.”",
            "— Cllr Joan Hirst, Cabinet Member for Children's Services, Calderdale Council",
        ];
        check(
            &lines,
            &[
                (
                    Some("Tom Reed"),
                    Some("executive member for children"),
                    Some("Anytown Borough Council"),
                    Person,
                    "We accept the findings in full Families told us",
                    0,
                    0,
                ),
                (
                    Some("Joan Hirst"),
                    Some("Cabinet Member for Children's Services"),
                    Some("Calderdale Council"),
                    Person,
                    "This is a report",
                    1,
                    1,
                ),
            ],
        );
        let got = find(&paras(&lines));
        assert_eq!(
            got[0].rule,
            "attribution after the quote: verb \"said\"; continued after an attribution in the middle"
        );
        assert_eq!(got[1].rule, "attribution after the quote: a dash sign-off line");
    }

    #[test]
    fn roles_and_organisations_from_descriptions() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                "who chairs Anytown Parent and Carer Forum",
                Some("chair"),
                Some("Anytown Parent and Carer Forum"),
            ),
            ("from Thornton Heath, whose two children are autistic", Some("parent"), None),
            ("a parent from Chesterfield whose son is waiting for a place", Some("parent"), None),
            ("a mum of two from Huyton", Some("mum of two"), None),
            ("from Cleckham", None, None),
            (
                "Anytown Council’s executive member for education",
                Some("executive member for education"),
                Some("Anytown Council"),
            ),
            (
                "the council's executive director of people",
                Some("executive director of people"),
                Some("council"),
            ),
            ("Croydon’s director of education", Some("director of education"), Some("Croydon")),
            (
                "chair of Anytown Parent Voice, the city’s parent carer forum",
                Some("chair"),
                Some("Anytown Parent Voice"),
            ),
            (
                "chief nursing officer for NHS Devon",
                Some("chief nursing officer"),
                Some("NHS Devon"),
            ),
            (
                "spokesman for campaign group SEND Crisis Anytown",
                Some("spokesman"),
                Some("SEND Crisis Anytown"),
            ),
            (
                "from parent carer forum Anytown SEND Families Voice",
                Some("parent carer forum"),
                Some("Anytown SEND Families Voice"),
            ),
            (
                "Conservative group’s children’s spokesperson",
                Some("Conservative group’s children’s spokesperson"),
                None,
            ),
        ];
        for &(desc, role, org) in cases {
            let (r, o) = split_role(desc);
            assert_eq!((r.as_deref(), o.as_deref()), (role, org), "{desc}");
        }
    }

    #[test]
    fn bodies_named_by_kind_resolve_to_the_article_s_full_names() {
        let lines = paras(&[
            "Inspectors looked at how London Borough of Anytown and NHS Anytown Clinical Commissioning Group work together, and how Anytown Council, as it is known, listens.",
            "Councillor Jo Hart, cabinet member for education, said: “We accept the findings in full.”",
            "Dr Sam Lee, clinical lead at the clinical commissioning group, said the CCG would be “working through the waiting list name by name”.",
            "Ali Khan, Anytown’s director of education, said: “We have a plan and we will publish it.”",
            "A spokesperson for the ICB said: “We will respond to the report in due course.”",
        ]);
        let got = find(&lines);
        let orgs: Vec<_> = got.iter().map(|q| q.organisation.as_deref()).collect();
        assert_eq!(
            orgs,
            [
                Some("London Borough of Anytown"),
                Some("NHS Anytown Clinical Commissioning Group"),
                Some("London Borough of Anytown"),
                None,
            ]
        );
        // The ICB is never named in full: "the ICB" names no body, and stays as written.
        assert_eq!(got[3].speaker.as_deref(), Some("ICB"));
        let bodies = named_bodies(&lines);
        assert_eq!(bodies.len(), 3, "{bodies:?}");
    }

    #[test]
    fn a_first_name_with_a_description_is_a_speaker() {
        check(
            &[
                "Sarah, a mother of three from Leeds, said: “Nobody called us back for months.”",
                "However, the council said: “We are reviewing every case this term.”",
            ],
            &[
                (Some("Sarah"), Some("mother of three"), None, Person, "Nobody called", 0, 0),
                (Some("council"), None, None, Organisation, "We are reviewing", 1, 1),
            ],
        );
    }

    #[test]
    fn the_rule_tables_read_and_hold_valid_values() {
        let verbs: Vec<VerbRow> =
            table("quotes_speech_verbs.tsv", include_str!("rules/quotes_speech_verbs.tsv"));
        for v in &verbs {
            let yes_no = |x: &str| x == "yes" || x == "no";
            assert!(yes_no(&v.attributes) && yes_no(&v.reports), "verb row {v:?}");
            assert!(!v.verb.contains(' '), "one word per verb: {v:?}");
        }
        assert!(is_verb("said") && is_reporting_verb("Called") && !is_reporting_verb("found"));
        let roles: Vec<RoleWordRow> =
            table("quotes_role_words.tsv", include_str!("rules/quotes_role_words.tsv"));
        assert!(
            roles.iter().all(|r| matches!(r.kind.as_str(), "role" | "child" | "council")),
            "role word kinds"
        );
        let stops: Vec<NameStopRow> =
            table("quotes_name_stops.tsv", include_str!("rules/quotes_name_stops.tsv"));
        assert!(stops.iter().all(|r| r.kind == "office" || r.kind == "sentence"), "stop kinds");
        assert!(stops.iter().all(|r| r.word.chars().next().is_some_and(char::is_uppercase)));
        let relative: Vec<RelativeRoleRow> =
            table("quotes_relative_roles.tsv", include_str!("rules/quotes_relative_roles.tsv"));
        assert!(relative.iter().all(|r| r.clause.starts_with("who") && !r.role.is_empty()));
        let orgs: Vec<OrgWordRow> =
            table("quotes_org_words.tsv", include_str!("rules/quotes_org_words.tsv"));
        assert!(orgs.iter().all(|r| r.word.chars().next().is_some_and(char::is_uppercase)));
        let bodies: Vec<BodyRow> =
            table("quotes_bodies.tsv", include_str!("rules/quotes_bodies.tsv"));
        assert!(
            bodies.iter().all(|r| r.body == r.body.to_lowercase() && !r.body.starts_with("the "))
        );
        let titles: Vec<TitleRow> =
            table("quotes_honorifics.tsv", include_str!("rules/quotes_honorifics.tsv"));
        assert!(titles.iter().all(|r| !r.title.ends_with('.') && !r.title.contains(' ')));
        assert!(is_title("Cllr") && is_title("Dr.") && !is_title("Chair"));
    }

    #[test]
    fn random_mixtures_of_marks_names_and_clauses_never_panic() {
        // Every attribution path slices text at offsets found in it; mixtures of multi-byte
        // marks and letters and lead words reach them all with odd neighbours. (Paragraphs
        // come cleaned, with every kind of white space made a plain space, so only that is
        // mixed in here.)
        let pieces = [
            "said",
            "says:",
            "Jane Smith",
            "Ms Holt",
            "Holt",
            ",",
            "\t",
            "“",
            "”",
            "‘",
            "’",
            "\"",
            "'",
            "é",
            "who chairs",
            "whose son",
            "from",
            "of",
            "at",
            "Council’s",
            "—",
            ":",
            ".",
            " ",
            "adding:",
            "ä‘b",
            "\u{2019}\u{2019}",
            "she",
            "the report",
            "What does X say?",
            "Anytown Parent Voice",
            "called",
            "a real shift",
            "Cllr",
            "–",
            "ń’ś",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..1500 {
            let paragraphs: Vec<String> = (0..1 + next(4))
                .map(|_| {
                    let mut p = String::new();
                    for _ in 0..1 + next(14) {
                        p.push_str(pieces[next(pieces.len())]);
                        if next(2) == 0 {
                            p.push(' ');
                        }
                    }
                    p
                })
                .collect();
            let _ = find(&paragraphs);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "",
            "\"",
            "“",
            "”",
            "‘",
            "’",
            "'",
            "\"\"",
            "“”",
            "‘’",
            "said:",
            ":“",
            "’s",
            "s’ x",
            "“a” “b” “c",
            "é“ü”ñ",
            "\"\u{2028}\"",
            "Cllr, said: “x y z a b c”",
            "Jane Smith,\u{a0}said\u{a0}: “We are all very pleased indeed today.”",
            "X\u{a0}said “Y\u{a0}z a b c d e f.” said\u{a0}Jane\u{a0}Smith.",
            "“Quote text with six words here,”\u{a0}\u{a0}she\u{a0}said.",
            "What does\u{a0}X say?",
            "\u{a0}said “Jane Smith ü ö ä”",
            "“Words here and there,” \u{a0}said\u{a0}Dr\u{a0}Ä Ö, Ä’s director.",
            "Jane Smith, who chairs\u{a0}é, said the plan was “é ü”",
            "Ms Holt, whose\u{a0}son é, said ‘ä ö’",
            "— ",
            "“Ten words of text in the quote here for sure.”",
            "—",
        ];
        let all: Vec<String> = odd.iter().map(|s| s.to_string()).collect();
        let _ = find(&all);
        for s in odd {
            let _ = find(&[s.to_string()]);
            let _ = find(&[s.to_string(), s.to_string()]);
        }
    }
}
