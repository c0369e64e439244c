//! Themes: what inspectors praised or criticised in a local area's SEND services, each with
//! a polarity and the sentence that shows it.
//!
//! One pass over each paragraph finds every lexicon phrase at a word start (a hashed index of
//! phrases by first word, over text case-folded with punctuation blanked): theme keywords
//! ("EHC plan", "wheelchair", "parent carer forum"), polarity cues ("too slow", "highly
//! regarded"), clause markers ("while", "but") and filters ("looked at", "said"). Each
//! sentence is then cut into clauses, and every theme mention takes the polarity of its
//! clause: from its cues, from the section it sits in ("What needs improving?") when it has
//! none, or, for a concessive clause ("While assessments are timely, ..."), the
//! opposite of the main clause.
//!
//! The words are data, in tables a domain expert can edit (`src/extract/rules/`):
//! `themes.tsv` (the theme lexicon), `polarity.tsv` (polarity cues), `theme_markers.tsv`
//! (clause markers, voices and filters) and `theme_headings.tsv` (section headings). This file
//! is the logic that reads with them.
//!
//! Left to others: which inspection an article is about, outcomes, dates and quotes. This
//! module only skips the voices it should not read as findings (a councillor's statement,
//! "inspectors looked at ...", an organisation's "What does X say?" section); attributing
//! quotes is the quotes extractor's job.

use std::sync::LazyLock;

use serde::Deserialize;

use super::model::{Evidence, Polarity, Theme};
use super::rules::table;
use super::sentences::sentence_spans;

/// One Theme that inspectors praised or criticised, with the sentence that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFinding {
    /// What the finding is about.
    pub theme: Theme,
    /// Whether inspectors praised it or said it needs to improve.
    pub polarity: Polarity,
    /// The sentence (or list item) that shows it.
    pub evidence: Evidence,
    /// How the finding was read: the theme cue and the polarity cue (or the section heading,
    /// or the concessive clause) that gave it, e.g. `theme cue "EHC plans" -> ehcp_quality;
    /// polarity cue "too late" -> improvement`.
    pub rule: String,
}

/// Themes inspectors praised (Polarity::Strength) or criticised / named for improvement
/// (Polarity::Improvement), each with the evidence sentence. At most one finding per
/// (theme, polarity): the clearest sentence (first one wins on ties). Ordered by first
/// appearance of the chosen evidence.
pub fn find(paragraphs: &[String]) -> Vec<ThemeFinding> {
    let mut state = State::default();
    let mut best: Vec<Candidate> = Vec::new();
    let mut scratch = Scratch::default();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if paragraph.starts_with('|')
            && let Some(rows) = table_rows(paragraph)
        {
            read_table(paragraph, &rows, index, &mut state, &mut best, &mut scratch);
            continue;
        }
        // A heading and its list items sometimes arrive as one paragraph, one per line; the
        // lines are then units of their own. Otherwise line breaks are only hard wrapping.
        // (A branch-free pass first: most paragraphs are one line.)
        let has_list_lines = paragraph.bytes().fold(false, |seen, b| seen | (b == b'\n'))
            && paragraph.lines().skip(1).any(|l| is_list_item(l.trim_start()));
        if has_list_lines {
            for line in paragraph.lines() {
                unit(line, index, &mut state, &mut best, &mut scratch, false);
            }
        } else {
            unit(paragraph, index, &mut state, &mut best, &mut scratch, false);
        }
    }
    best.sort_by_key(|c| (c.paragraph, c.order));
    best.into_iter()
        .map(|c| ThemeFinding {
            theme: c.theme,
            polarity: c.polarity,
            evidence: Evidence::new(c.sentence, c.paragraph),
            rule: c.rule,
        })
        .collect()
}

/// The best evidence so far for one (theme, polarity).
struct Candidate<'a> {
    theme: Theme,
    polarity: Polarity,
    margin: u32,
    paragraph: usize,
    order: usize,
    sentence: &'a str,
    rule: String,
}

/// Buffers reused from one unit to the next, so that reading a paragraph allocates nothing.
#[derive(Default)]
struct Scratch {
    /// The normalised text that [`scan`] searches.
    hay: Vec<u8>,
    /// The lexicon phrases of the unit.
    hits: Vec<Hit>,
    /// The findings of one sentence.
    found: Vec<Found>,
    /// The clauses of one sentence, and their polarities.
    clauses: Vec<Clause>,
}

/// What the paragraphs read so far say about the ones to come.
#[derive(Default)]
struct State {
    /// The polarity a heading gave its section, or `Quoted` under "What does X say?".
    section: Section,
    /// The heading that opened the section, for a finding's rule.
    heading: String,
    /// A list item has been seen in the current section, so prose after it ends the section.
    seen_list: bool,
    /// The previous paragraph was (or introduced) a person's quote: paragraphs opening with a
    /// quote mark continue it.
    in_person_quote: bool,
    /// A running count of sentences, to order findings within a paragraph.
    order: usize,
    /// The last sentence read had the report or inspectors speaking ("They said ..." next).
    after_report: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Section {
    #[default]
    None,
    Of(Polarity),
    /// A table row whose verdict cell ("Sufficient progress") gives every theme in the row
    /// its polarity, whatever the other cells' words.
    Verdict(Polarity),
    Quoted,
}

fn is_list_item(s: &str) -> bool {
    s.starts_with("- ") || s.starts_with('\u{2022}') || s == "-"
}

fn opens_with_quote(s: &str) -> bool {
    s.starts_with(['"', '\u{201c}', '\u{2018}', '\''])
}

/// The rows of a Markdown table as the cleaner leaves it, in one paragraph
/// (`| Working well | Needs to improve | |---|---| | a | b |`), each row its cells' byte
/// ranges (trimmed), the header first and the separator row left out; `None` when the
/// paragraph is not such a table.
fn table_rows(paragraph: &str) -> Option<Vec<Vec<(usize, usize)>>> {
    // The cells between bars. A row ends at a bar followed (after white space) by the next
    // row's bar, which leaves an empty token between them.
    let bars: Vec<usize> = paragraph.match_indices('|').map(|(i, _)| i).collect();
    let tokens: Vec<(usize, usize)> = bars
        .windows(2)
        .map(|w| {
            let (from, to) = (w[0] + 1, w[1]);
            let cell = paragraph.get(from..to).unwrap_or("");
            let lead = cell.len() - cell.trim_start().len();
            let trimmed = cell.trim();
            (from + lead, from + lead + trimmed.len())
        })
        .collect();
    let text = |&(a, b): &(usize, usize)| paragraph.get(a..b).unwrap_or("");
    let is_rule = |t: &(usize, usize)| {
        let cell = text(t);
        !cell.is_empty() && cell.chars().all(|c| matches!(c, '-' | ':'))
    };
    let columns = tokens.iter().filter(|t| is_rule(t)).count();
    if columns == 0 {
        return None;
    }
    let mut rows = Vec::new();
    let mut at = 0;
    while let Some(row) = tokens.get(at..at + columns) {
        if !row.iter().all(is_rule) {
            rows.push(row.to_vec());
        }
        at += columns + 1;
    }
    (rows.len() > 1).then_some(rows)
}

/// Reads a table: under a header of polarity labels ("Working well | Needs to improve"),
/// each cell takes its column's polarity; otherwise each row is read as one finding
/// ("Autism assessments | Families wait too long").
fn read_table<'a>(
    paragraph: &'a str,
    rows: &[Vec<(usize, usize)>],
    index: usize,
    state: &mut State,
    best: &mut Vec<Candidate<'a>>,
    scratch: &mut Scratch,
) {
    let cell = |&(a, b): &(usize, usize)| paragraph.get(a..b).unwrap_or("");
    let Some((header, body)) = rows.split_first() else { return };
    let columns: Vec<Section> = header.iter().map(|h| heading_section(cell(h))).collect();
    // Labelled when every column, or two at least, name a polarity; a single labelled column
    // beside others ("Weakness found in 2018 | Revisit finding") leaves the verdict to the row.
    let of = columns.iter().filter(|c| matches!(c, Section::Of(_))).count();
    let labelled = of >= 2 || (of >= 1 && of == columns.len());
    let saved = (state.section, std::mem::take(&mut state.heading), state.seen_list);
    for row in body {
        if labelled {
            for ((range, column), head) in row.iter().zip(&columns).zip(header) {
                state.section = match column {
                    Section::Of(_) => *column,
                    _ => saved.0,
                };
                state.heading.clear();
                state.heading.push_str(cell(head));
                unit(cell(range), index, state, best, scratch, true);
            }
        } else {
            let cells: Vec<(usize, usize)> = row.iter().copied().filter(|r| r.1 > r.0).collect();
            let from = cells.first().map_or(0, |r| r.0);
            let to = cells.last().map_or(0, |r| r.1);
            state.section = saved.0;
            state.heading.clone_from(&saved.1);
            // The cells after the first are the row's verdict when their cues decide
            // ("Sufficient progress", "Families wait too long").
            if let [_, verdict @ ..] = cells.as_slice()
                && let (Some(first), Some(last)) = (verdict.first(), verdict.last())
                && let Some(text) = paragraph.get(first.0..last.1)
                && let Some(p) = verdict_polarity(text, scratch)
            {
                state.section = Section::Verdict(p);
                state.heading.clear();
                state.heading.push_str(text);
            }
            unit(paragraph.get(from..to).unwrap_or(""), index, state, best, scratch, true);
        }
    }
    (state.section, state.heading, state.seen_list) = saved;
}

/// The polarity the cues of `text` give it as a whole, if any.
fn verdict_polarity(text: &str, scratch: &mut Scratch) -> Option<Polarity> {
    scan(text, &mut scratch.hay, &mut scratch.hits);
    let (strength, improvement) = weigh(&scratch.hits);
    decide(strength, improvement, None).map(|(p, _, _)| p)
}

/// Reads one paragraph (or one line of a paragraph holding a list, or a table's cell or
/// row: `item`, never a heading).
fn unit<'a>(
    raw: &'a str,
    paragraph: usize,
    state: &mut State,
    best: &mut Vec<Candidate<'a>>,
    scratch: &mut Scratch,
    item: bool,
) {
    let text = raw.trim();
    if text.is_empty() || text.chars().all(|c| matches!(c, '|' | '-' | '*' | '_' | ' ')) {
        return; // Separator lines are furniture: they neither end a section nor a quote.
    }
    let list_item = item || is_list_item(text);
    let body =
        if list_item { text.trim_start_matches(['-', '\u{2022}']).trim_start() } else { text };
    if body.is_empty() {
        return;
    }
    let Scratch { hay, hits, found, clauses } = scratch;
    scan(body, hay, hits);
    let hits = &hits[..];
    // Whether the last sentence read had the report or inspectors speaking; a unit that
    // returns early leaves it at whether it names them at all.
    let carried = std::mem::take(&mut state.after_report);
    state.after_report = hits.iter().any(|h| matches!(LEXICON[h.entry].1, Entry::Report));

    // A person's quote: an attribution paragraph ending "said:", its continuation
    // paragraphs, or an attribution inline ("X, chair of the forum, says: 'I am ...").
    if !list_item && state.in_person_quote && opens_with_quote(body) {
        return;
    }
    state.in_person_quote = false;
    if let Some(verb) =
        hits.iter().find(|h| matches!(LEXICON[h.entry].1, Entry::Say | Entry::TheySay))
    {
        let after = body.get(verb.end..).unwrap_or("").trim_start();
        // "X said:" introduces a quote; a heading such as "What leaders said" does not.
        let introduces =
            after.starts_with([':', ';']) || (after.is_empty() && (list_item || !is_heading(body)));
        let by_report = hits
            .iter()
            .any(|h| h.start < verb.start && matches!(LEXICON[h.entry].1, Entry::Report));
        if introduces && !by_report {
            state.in_person_quote = true;
            return;
        }
    }

    if !list_item && is_heading(body) {
        state.section = heading_section(body);
        state.heading.clear();
        if matches!(state.section, Section::Of(_)) {
            state.heading.push_str(body);
        }
        state.seen_list = false;
        return;
    }
    if list_item {
        state.seen_list = true;
    } else if state.seen_list {
        // Prose after a list: the list, and with it the section, has ended.
        state.section = Section::None;
        state.seen_list = false;
    }
    if state.section == Section::Quoted {
        return; // "What does SSIF say?": an organisation's voice, not the report's.
    }
    if !hits.iter().any(|h| LEXICON[h.entry].1.names_theme()) {
        return; // Nothing to find: spare the sentence splitting.
    }
    let section = match state.section {
        Section::Of(p) | Section::Verdict(p) => Some(p),
        _ => None,
    };
    let forced = matches!(state.section, Section::Verdict(_));
    if section.is_none() && !hits.iter().any(|h| LEXICON[h.entry].1.cue().is_some()) {
        return; // No clause can take a polarity, so none can hold a finding.
    }
    // Whether the previous sentence (perhaps the previous paragraph's last) had the report or
    // inspectors speaking, so that "they said" in this one is theirs.
    let mut after_report = carried;
    for (start, end) in sentence_spans(body) {
        state.order += 1;
        // Hits are in text order, so a sentence's hits are one run of them.
        let from = hits.partition_point(|h| h.start < start);
        let to = from + hits[from..].partition_point(|h| h.end <= end);
        let local = &hits[from..to];
        let report_before = after_report;
        after_report = local.iter().any(|h| match LEXICON[h.entry].1 {
            Entry::Report => true,
            Entry::TheySay => report_before,
            _ => false,
        });
        if !local.iter().any(|h| LEXICON[h.entry].1.names_theme()) {
            continue;
        }
        let polarity = (section, forced);
        sentence_findings(body, start, end, local, polarity, report_before, clauses, found);
        let Some(sentence) = body.get(start..end) else { continue };
        for f in found.iter() {
            let rule = || rule_text(body, local, f, &state.heading);
            offer(best, f, paragraph, state.order, sentence, rule);
        }
    }
}

/// Margins above this are all "clear": among clear sentences the first wins, because a pile of
/// cue words is no clearer than a plain criticism.
const MARGIN_CAP: u32 = 3;

/// Keeps the clearer of two sentences for the same (theme, polarity); the first on a tie.
/// The rule is made only for a sentence that is kept.
fn offer<'a>(
    best: &mut Vec<Candidate<'a>>,
    found: &Found,
    paragraph: usize,
    order: usize,
    sentence: &'a str,
    rule: impl FnOnce() -> String,
) {
    let (theme, polarity) = (found.theme, found.polarity);
    let margin = found.margin.min(MARGIN_CAP);
    if let Some(c) = best.iter_mut().find(|c| c.theme == theme && c.polarity == polarity) {
        if margin > c.margin {
            *c = Candidate { theme, polarity, margin, paragraph, order, sentence, rule: rule() };
        }
        return;
    }
    best.push(Candidate { theme, polarity, margin, paragraph, order, sentence, rule: rule() });
}

/// One finding of a sentence, with what gave it: indices into the sentence's hits.
struct Found {
    theme: Theme,
    polarity: Polarity,
    /// By how much its polarity won (how clear the sentence is).
    margin: u32,
    /// The hit that named the theme.
    theme_hit: usize,
    why: Why,
}

/// What gave a clause its polarity.
#[derive(Clone, Copy, Debug)]
enum Why {
    /// A polarity cue: the first of the winning polarity in the clause.
    Cue(usize),
    /// The section heading, for a clause without cues.
    Section,
    /// A concessive clause without cues: the opposite of the main clause, or the same when
    /// the main clause names no theme of its own (its marker).
    Opposite(usize),
    /// A table row's verdict cell.
    Verdict,
}

/// The account of a finding for `--explain`: the words in `text` that named the theme and
/// gave the polarity.
fn rule_text(text: &str, hits: &[Hit], found: &Found, heading: &str) -> String {
    // A prefix phrase ("EHC plan*") is shown to the end of its word ("EHC plans").
    let words = |k: usize| {
        let Some(h) = hits.get(k) else { return "" };
        let rest = text.get(h.end..).unwrap_or("");
        let more = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        text.get(h.start..h.end + more).unwrap_or("")
    };
    let polarity = found.polarity.code();
    let mut rule = format!("theme cue \"{}\" -> {}; ", words(found.theme_hit), found.theme.code());
    match found.why {
        Why::Cue(k) => rule.push_str(&format!("polarity cue \"{}\" -> {polarity}", words(k))),
        Why::Section => {
            rule.push_str(&format!("section heading \"{heading}\" -> {polarity}"));
        }
        Why::Verdict => rule.push_str(&format!("table verdict \"{heading}\" -> {polarity}")),
        Why::Opposite(k) => rule.push_str(&format!(
            "concessive clause \"{}\", read with the main clause -> {polarity}",
            words(k)
        )),
    }
    rule
}

/// Whether a paragraph is a heading: a short line ending in "?" or ":", or a short label
/// without a full stop ("Strengths", "Areas for improvement").
fn is_heading(text: &str) -> bool {
    if text.len() > 90 {
        return false;
    }
    let last = text.chars().last().unwrap_or('.');
    if matches!(last, '?' | ':') {
        return true;
    }
    !matches!(last, '.' | '!' | '"' | '\'' | '\u{201d}' | '\u{2019}' | ')')
        && text.split_whitespace().count() <= 14
}

/// The section a heading opens. Only question or label headings set a polarity: a headline
/// such as "Services praised by Ofsted" is not a section of praise.
fn heading_section(text: &str) -> Section {
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let has_kind = |kind: HeadingKind| {
        HEADING_ROWS.iter().any(|r| r.section == kind && lower.contains(r.words.as_str()))
    };
    if !has_kind(HeadingKind::Report)
        && (has_kind(HeadingKind::Voices) || has(&["what does", "what do "]) && has(&[" say"]))
    {
        return Section::Quoted;
    }
    let label = text.ends_with(['?', ':']) || text.len() <= 40;
    if !label {
        return Section::None;
    }
    // Every match of the table's words; one inside a longer match does not count
    // ("sufficient" in "insufficient", "improv" in "improved").
    let matches: Vec<(usize, usize, HeadingKind)> = HEADING_ROWS
        .iter()
        .filter(|r| matches!(r.section, HeadingKind::Strength | HeadingKind::Improvement))
        .flat_map(|r| {
            lower.match_indices(r.words.as_str()).map(move |(at, w)| (at, at + w.len(), r.section))
        })
        .collect();
    let counts = |&(a, b, _): &(usize, usize, HeadingKind)| {
        !matches.iter().any(|&(x, y, _)| x <= a && b <= y && y - x > b - a)
    };
    let has_of = |kind: HeadingKind| matches.iter().any(|m| m.2 == kind && counts(m));
    let good = has_of(HeadingKind::Strength);
    let bad = has_of(HeadingKind::Improvement);
    match (good, bad) {
        (true, false) => Section::Of(Polarity::Strength),
        (false, true) => Section::Of(Polarity::Improvement),
        _ => Section::None,
    }
}

/// A lexicon phrase found in a unit, as byte offsets into it.
#[derive(Clone, Copy, Debug)]
struct Hit {
    start: usize,
    end: usize,
    entry: usize,
}

/// Finds lexicon phrases at word boundaries, leftmost-longest and not overlapping, into `hits`
/// (cleared first); `hay` is a scratch buffer.
///
/// Text and phrases go through the same byte-for-byte [`normalise_into`], so offsets into the
/// normalised text are offsets into `text`. Phrases can only start at a word start, so the
/// scan reads the text a word at a time (eight bytes to a load), keys each word by its bytes,
/// and compares only the few phrases that begin with it. (An Aho-Corasick DFA over the same
/// phrases, tried, was slower still than the previous byte-at-a-time version of this scan:
/// its transition table does not fit in the cache.)
fn scan(text: &str, hay: &mut Vec<u8>, hits: &mut Vec<Hit>) {
    hits.clear();
    normalise_into(text, hay);
    let buf = hay.as_slice();
    let n = text.len();
    let index = &*INDEX;
    let mut i = 0;
    while i < n {
        let b = buf[i];
        if is_break(b) {
            if b == SEMICOLON || b == PERCENT {
                let entry = if b == SEMICOLON { index.semicolon } else { index.percent };
                hits.push(Hit { start: i, end: i + 1, entry });
            }
            i += 1;
            continue;
        }
        let word_end = word_end(buf, i);
        let mut matched = None;
        let phrases = index.lookup(buf, i, word_end);
        if !phrases.is_empty() {
            // What follows the word, for the phrases' first eight bytes after it.
            let next = load8(buf, word_end);
            for phrase in phrases {
                if (next ^ phrase.next) & phrase.mask != 0 {
                    continue;
                }
                let end = word_end + usize::from(phrase.tail_len);
                let tail = usize::from(phrase.tail);
                if (phrase.tail_len <= 8
                    || buf.get(word_end..end)
                        == index.tails.get(tail..tail + usize::from(phrase.tail_len)))
                    && (phrase.open_ended || buf.get(end).is_none_or(|&c| is_break(c)))
                    && (word_end - i <= 16 || index.words_equal(phrase, &buf[i..word_end]))
                {
                    matched = Some(Hit { start: i, end, entry: usize::from(phrase.entry) });
                    break; // Phrases are longest first.
                }
            }
        }
        match matched {
            Some(hit) => {
                i = hit.end;
                hits.push(hit);
            }
            None => i = word_end,
        }
    }
}

/// The normalised bytes of ";" and "%": below every byte that can be part of a word.
const SEMICOLON: u8 = 1;
const PERCENT: u8 = 2;

/// Whether a normalised byte ends a word: a space, ";" or "%". Every other byte of the
/// normalised text is a digit (from 0x30), a lower-case letter or a non-ASCII byte.
fn is_break(b: u8) -> bool {
    b < b'0'
}

/// Eight bytes of `buf` from `at`, the first in the low byte (padding makes them exist).
fn load8(buf: &[u8], at: usize) -> u64 {
    match buf.get(at..at + 8) {
        Some(chunk) => u64::from_le_bytes(chunk.try_into().unwrap_or([b' '; 8])),
        None => u64::from_le_bytes([b' '; 8]),
    }
}

/// Where the word starting at `from` ends: eight bytes at a time, with the flag of the first
/// byte below 0x30 (a borrow can only flag bytes after a true one).
fn word_end(buf: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut at = from;
    loop {
        let x = load8(buf, at);
        let breaks = x.wrapping_sub(ONES * u64::from(b'0')) & !x & (ONES * 0x80);
        if breaks != 0 {
            return at + (breaks.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
}

/// Lower-cases ASCII letters, turns ";" and "%" into [`SEMICOLON`] and [`PERCENT`], and every
/// other ASCII non-alphanumeric byte and the General Punctuation block (curly quotes,
/// dashes) into spaces, keeping every byte's position; eight spaces of padding follow.
fn normalise_into(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    out.clear();
    out.resize(bytes.len() + 8, b' ');
    // One branch-free pass (it vectorises), noting whether any byte may open a punctuation
    // character.
    let mut punctuation = false;
    for (o, &b) in out.iter_mut().zip(bytes) {
        *o = fold(b);
        punctuation |= b == 0xE2;
    }
    // U+2000 to U+203F are E2 80 xx in UTF-8: blank all three bytes.
    if punctuation {
        let mut k = 0;
        while let Some(at) = bytes.get(k..).and_then(|rest| rest.iter().position(|&b| b == 0xE2)) {
            k += at;
            if bytes.get(k + 1) == Some(&0x80) && k + 2 < bytes.len() {
                out[k..k + 3].copy_from_slice(b"   ");
                k += 3;
            } else {
                k += 1;
            }
        }
    }
}

/// The byte map of [`normalise_into`]: ASCII letters lower-cased, digits and non-ASCII bytes
/// kept, ";" and "%" marked, every other ASCII byte a space. Arithmetic rather than a table,
/// so that the map over a paragraph vectorises.
fn fold(b: u8) -> u8 {
    let lower = b | 0x20;
    let mark = if b == b';' { SEMICOLON } else { PERCENT };
    let other = if b == b';' || b == b'%' { mark } else { b' ' };
    let kept = if b.wrapping_sub(b'0') < 10 || b >= 0x80 { b } else { other };
    if lower.wrapping_sub(b'a') < 26 { lower } else { kept }
}

/// A phrase that starts with a given word: what must follow the word.
struct Phrase {
    /// The first eight bytes after the word (the tail's start), and which of them count.
    next: u64,
    mask: u64,
    entry: u16,
    /// The rest of the phrase after its first word, from here in [`Index::tails`].
    tail: u16,
    tail_len: u16,
    /// The first word, from here in [`Index::words`]: compared only for words too long for
    /// their key.
    word: u16,
    /// The phrase may end mid-word (a trailing `*`).
    open_ended: bool,
}

/// The lexicon's normalised phrases, reachable from their first word.
struct Index {
    /// Open-addressed by the first word's hash: the word's key (its first and last eight
    /// bytes and its length: the word itself up to 16 bytes) and the range of its phrases
    /// (an empty range marks a free slot).
    slots: Vec<Slot>,
    /// The phrases of each first word, longest first.
    phrases: Vec<Phrase>,
    tails: Vec<u8>,
    words: Vec<u8>,
    /// A Bloom filter of first words, small enough for the L1 cache: most words of an article
    /// start no phrase, and this rejects them without touching `slots`.
    bloom: Vec<u64>,
    semicolon: usize,
    percent: usize,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    head: u64,
    tail: u64,
    len: u16,
    from: u16,
    to: u16,
}

/// Hash table size: a power of two well above the lexicon's distinct first words.
const SLOTS: usize = 1024;

/// Bloom filter size in bits (a power of two).
const BLOOM_BITS: usize = 1 << 15;

/// The key of the word `buf[from..to]` (its first eight bytes, its last eight bytes if longer,
/// its length) and the key's hash.
fn word_key(buf: &[u8], from: usize, to: usize) -> (u64, u64, u16, u64) {
    let len = to - from;
    let head = if len >= 8 { load8(buf, from) } else { load8(buf, from) & ((1 << (8 * len)) - 1) };
    let tail = if len > 8 { load8(buf, to - 8) } else { 0 };
    let hash = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (head, tail, len.min(usize::from(u16::MAX)) as u16, hash)
}

impl Index {
    fn build() -> Index {
        // The phrases of each first word: its key, its hash, and (entry, phrase, open-ended).
        type Key = (u64, u64, u16);
        type Group = (Key, u64, Vec<(usize, Vec<u8>, bool)>);
        let mut groups: Vec<Group> = Vec::new();
        let (mut semicolon, mut percent) = (0, 0);
        for (entry, (phrase, _)) in LEXICON.iter().enumerate() {
            match phrase.as_str() {
                ";" => semicolon = entry,
                "%" => percent = entry,
                _ => {
                    // A trailing apostrophe ("leaders'") normalises to a space: drop it, so
                    // that no phrase ends inside a curly quote's bytes.
                    let mut pattern = Vec::new();
                    normalise_into(phrase.trim_end_matches('*'), &mut pattern);
                    while pattern.last() == Some(&b' ') {
                        pattern.pop();
                    }
                    if pattern.is_empty() {
                        continue;
                    }
                    let mut padded = pattern.clone();
                    padded.extend_from_slice(&[b' '; 8]);
                    let (head, tail, len, hash) = word_key(&padded, 0, word_end(&padded, 0));
                    let member = (entry, pattern, phrase.ends_with('*'));
                    match groups.iter_mut().find(|(k, _, _)| *k == (head, tail, len)) {
                        Some((_, _, members)) => members.push(member),
                        None => groups.push(((head, tail, len), hash, vec![member])),
                    }
                }
            }
        }
        let mut index = Index {
            slots: vec![Slot::default(); SLOTS],
            phrases: Vec::new(),
            tails: Vec::new(),
            words: Vec::new(),
            bloom: vec![0; BLOOM_BITS / 64],
            semicolon,
            percent,
        };
        let small = |n: usize| u16::try_from(n).expect("the lexicon is small");
        for ((head, tail, len), hash, mut members) in groups {
            // Longest first, and among equals the earlier entry: leftmost-longest matching.
            members.sort_by_key(|(entry, pattern, _)| (std::cmp::Reverse(pattern.len()), *entry));
            let from = small(index.phrases.len());
            for (entry, pattern, open_ended) in members {
                let (word, rest) = pattern.split_at(usize::from(len));
                let mut next = [0u8; 8];
                let mut mask = [0u8; 8];
                for (k, &b) in rest.iter().take(8).enumerate() {
                    next[k] = b;
                    mask[k] = 0xFF;
                }
                index.phrases.push(Phrase {
                    next: u64::from_le_bytes(next),
                    mask: u64::from_le_bytes(mask),
                    entry: small(entry),
                    tail: small(index.tails.len()),
                    tail_len: small(rest.len()),
                    word: small(index.words.len()),
                    open_ended,
                });
                index.tails.extend_from_slice(rest);
                index.words.extend_from_slice(word);
            }
            let bit = (hash >> 49) as usize;
            index.bloom[bit / 64] |= 1 << (bit % 64);
            let mut slot = (hash >> 32) as usize & (SLOTS - 1);
            while index.slots[slot].from != index.slots[slot].to {
                slot = (slot + 1) & (SLOTS - 1);
            }
            let to = small(index.phrases.len());
            index.slots[slot] = Slot { head, tail, len, from, to };
        }
        index
    }

    /// The phrases that start with the word `buf[from..to]`.
    fn lookup(&self, buf: &[u8], from: usize, to: usize) -> &[Phrase] {
        let (head, tail, len, hash) = word_key(buf, from, to);
        let bit = (hash >> 49) as usize;
        if self.bloom[bit / 64] & (1 << (bit % 64)) == 0 {
            return &[];
        }
        let mut slot = (hash >> 32) as usize & (SLOTS - 1);
        loop {
            let s = self.slots[slot];
            if s.from == s.to {
                return &[];
            }
            if (s.head, s.tail, s.len) == (head, tail, len) {
                return self.phrases.get(usize::from(s.from)..usize::from(s.to)).unwrap_or(&[]);
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    /// Whether `word` is the first word of `phrase`.
    fn words_equal(&self, phrase: &Phrase, word: &[u8]) -> bool {
        let from = usize::from(phrase.word);
        self.words.get(from..from + word.len()) == Some(word)
    }
}

static INDEX: LazyLock<Index> = LazyLock::new(Index::build);

/// Whether `needles` occur (ignoring ASCII case) in `text[from..to]`, clamped to the text.
fn window_has(text: &str, from: usize, to: usize, needles: &[&str]) -> bool {
    let bytes = text.as_bytes();
    let window = bytes.get(from.min(bytes.len())..to.min(bytes.len())).unwrap_or(&[]);
    needles.iter().any(|n| {
        let n = n.as_bytes();
        window.len() >= n.len() && window.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    })
}

/// The theme findings of one sentence `text[start..end]` into `out` (cleared first), with the
/// margin by which their polarity won (how clear the sentence is). `clauses` is scratch.
#[allow(clippy::too_many_arguments)]
fn sentence_findings(
    text: &str,
    start: usize,
    end: usize,
    hits: &[Hit],
    (section, forced): (Option<Polarity>, bool),
    after_report: bool,
    clauses: &mut Vec<Clause>,
    out: &mut Vec<Found>,
) {
    out.clear();
    let entries = || hits.iter().map(|h| LEXICON[h.entry].1);
    if !entries().any(Entry::names_theme) {
        return;
    }
    // Filters: what inspectors only looked at, and what others said.
    let report_seen_before = |at: usize| {
        hits.iter().any(|h| h.start < at && matches!(LEXICON[h.entry].1, Entry::Report))
    };
    let has_report = entries().any(|e| match e {
        Entry::Report => true,
        Entry::TheySay => after_report,
        _ => false,
    });
    for h in hits {
        match LEXICON[h.entry].1 {
            Entry::Skip | Entry::OwnVoice => return,
            Entry::Say if !report_seen_before(h.start) => return,
            Entry::TheySay if !after_report && !report_seen_before(h.start) => return,
            Entry::Voice if !has_report => return,
            _ => {}
        }
    }

    split_clauses(text, start, end, hits, clauses);
    let ehcp_in_sentence = entries().any(|e| matches!(e, Entry::Ehcp));
    // The main clause's polarity, for concessive clauses without cues of their own.
    let mut main_polarity = None;
    // Whether that main clause names a theme of its own. When it does not ("Although
    // exclusions have fallen, they are still too high"), it speaks of the concessive clause's
    // subject, which then takes its polarity rather than the opposite.
    let mut main_names_theme = true;
    for clause in clauses.iter_mut() {
        let (strength, improvement) = weigh(&hits[clause.hits.clone()]);
        let p = decide(strength, improvement, if clause.concessive { None } else { section });
        if !clause.concessive && main_polarity.is_none() {
            main_polarity = p.map(|x| x.0);
            main_names_theme =
                hits[clause.hits.clone()].iter().any(|h| LEXICON[h.entry].1.names_theme());
        }
        clause.decided = p.map(|(polarity, margin, cued)| {
            let first_cue =
                clause.hits.clone().find(|&k| LEXICON[hits[k].entry].1.cue() == Some(polarity));
            let why = match first_cue {
                Some(k) if cued => Why::Cue(k),
                _ => Why::Section,
            };
            (polarity, margin, why)
        });
        if forced && let Some(p) = section {
            clause.decided = Some((p, 1, Why::Verdict));
        }
    }

    for clause in clauses.iter() {
        let marker = clause.hits.start;
        let (polarity, margin, why) = match (clause.decided, clause.concessive, main_polarity) {
            (Some(d), _, _) => d,
            (None, true, Some(p)) if !main_names_theme => (p, 1, Why::Opposite(marker)),
            (None, true, Some(Polarity::Strength)) => {
                (Polarity::Improvement, 1, Why::Opposite(marker))
            }
            (None, true, Some(Polarity::Improvement)) => {
                (Polarity::Strength, 1, Why::Opposite(marker))
            }
            _ => continue,
        };
        let local = &hits[clause.hits.clone()];
        let ehcp_here = local.iter().any(|h| matches!(LEXICON[h.entry].1, Entry::Ehcp));
        let review_here = local.iter().any(|h| {
            matches!(LEXICON[h.entry].1, Entry::Theme(Theme::AnnualReviews, _))
                || (ehcp_in_sentence
                    && matches!(LEXICON[h.entry].1, Entry::EhcpOnly(Theme::AnnualReviews, _)))
        });
        // A timing word (or a wait) beside an EHC plan, with no comma between them, makes the
        // plan's mention its timeliness ("plans were often late"); past a comma it is another
        // matter ("waits are long, and the quality of plans is variable").
        let is_timing = |h: &Hit| {
            matches!(
                LEXICON[h.entry].1,
                Entry::Timing(_) | Entry::Theme(Theme::EhcpTimeliness | Theme::WaitingTimes, _)
            ) || (ehcp_in_sentence
                && matches!(LEXICON[h.entry].1, Entry::EhcpOnly(Theme::EhcpTimeliness, _)))
        };
        let timing_near = |e: &Hit| {
            local.iter().filter(|t| is_timing(t)).any(|t| {
                let (from, to) = if t.start >= e.end { (e.end, t.start) } else { (t.end, e.start) };
                from <= to && !text.as_bytes().get(from..to).is_some_and(|b| b.contains(&b','))
            })
        };
        for (k, h) in local.iter().enumerate() {
            let theme = match LEXICON[h.entry].1 {
                Entry::Theme(t, _) => Some(t),
                Entry::Ehcp if review_here => None,
                Entry::Ehcp if timing_near(h) => Some(Theme::EhcpTimeliness),
                Entry::Ehcp => Some(Theme::EhcpQuality),
                // A review's timing is the review's ("reviews are not on time").
                Entry::EhcpOnly(Theme::EhcpTimeliness, _) if review_here => None,
                Entry::EhcpOnly(t, _) if ehcp_in_sentence => Some(t),
                Entry::Timing(_) if ehcp_here => Some(Theme::EhcpTimeliness),
                Entry::Timing(_) => Some(Theme::WaitingTimes),
                Entry::Near(t, near) => {
                    let ok = match near {
                        Near::Children => {
                            window_has(
                                text,
                                h.end,
                                h.end + 60,
                                &["child", "young people", "pupil", "learner"],
                            ) || window_has(
                                text,
                                h.start.saturating_sub(60),
                                h.start,
                                &["child", "young people", "pupil"],
                            )
                        }
                        Near::Adults => window_has(text, h.end, h.end + 60, &["adult"]),
                        Near::Needs => {
                            window_has(text, h.start.saturating_sub(40), h.start, &["need"])
                                || window_has(text, h.end, h.end + 45, &["need"])
                        }
                    };
                    ok.then_some(t)
                }
                _ => None,
            };
            if let Some(theme) = theme
                && !out.iter().any(|f| f.theme == theme && f.polarity == polarity)
            {
                let theme_hit = clause.hits.start + k;
                out.push(Found { theme, polarity, margin, theme_hit, why });
            }
        }
    }
}

/// Strength and improvement weight of the cues among `hits`. A criticism usually carries
/// praise words it negates or qualifies ("not ambitious enough", "room for improvement in
/// the use of good information"), so improvement cues weigh double.
fn weigh(hits: &[Hit]) -> (u32, u32) {
    let mut strength = 0;
    let mut improvement = 0;
    for h in hits {
        match LEXICON[h.entry].1.cue() {
            Some(Polarity::Strength) => strength += 1,
            Some(Polarity::Improvement) => improvement += 2,
            None => {}
        }
    }
    (strength, improvement)
}

/// The polarity of a clause and its margin. The clause's own cues decide; the section
/// ("What needs improving?") decides only a clause without cues, and adds to the margin of
/// a clause that agrees with it.
/// The flag says whether cues decided (rather than the section).
fn decide(
    strength: u32,
    improvement: u32,
    section: Option<Polarity>,
) -> Option<(Polarity, u32, bool)> {
    let cued = if improvement > 0 && improvement >= strength {
        Some((Polarity::Improvement, improvement - strength + 1))
    } else if strength > 0 {
        Some((Polarity::Strength, strength - improvement))
    } else {
        None
    };
    match (cued, section) {
        (Some((p, m)), Some(s)) if p == s => Some((p, m + 1, true)),
        (Some((p, m)), _) => Some((p, m, true)),
        (None, Some(s)) => Some((s, 1, false)),
        (None, None) => None,
    }
}

/// A clause of a sentence: the range of its hits, and whether it is concessive ("while",
/// "although", "despite").
struct Clause {
    hits: std::ops::Range<usize>,
    concessive: bool,
    /// The polarity its cues (or section) give it, and the margin.
    decided: Option<(Polarity, u32, Why)>,
}

/// Cuts a sentence at contrast markers ("but", "however", ";") and around concessive
/// clauses, into `out` (cleared first). A concessive clause runs from its marker to the comma
/// that starts the main clause: the first comma, outside a lexicon phrase, followed by a word
/// that can open one.
fn split_clauses(text: &str, start: usize, end: usize, hits: &[Hit], out: &mut Vec<Clause>) {
    out.clear();
    // The clause being read: where it starts, whether it is concessive, its first hit.
    let mut open = (start, false, 0);
    // Ends the open clause at `cut`; the clause from there is concessive or not.
    let mut cut_at = |cut: usize, next_concessive: bool, out: &mut Vec<Clause>| {
        let (from, concessive, first_hit) = open;
        let last_hit = first_hit + hits[first_hit..].iter().take_while(|h| h.start < cut).count();
        if cut > from || last_hit > first_hit {
            out.push(Clause { hits: first_hit..last_hit, concessive, decided: None });
        }
        open = (cut, next_concessive, last_hit);
    };
    for (k, h) in hits.iter().enumerate() {
        match LEXICON[h.entry].1 {
            Entry::Contrast => cut_at(h.start, false, out),
            Entry::Concessive => {
                cut_at(h.start, true, out);
                let next_marker = hits[k + 1..]
                    .iter()
                    .find(|x| matches!(LEXICON[x.entry].1, Entry::Contrast | Entry::Concessive))
                    .map_or(end, |x| x.start);
                if let Some(comma) = main_clause_comma(text, h.end, next_marker, hits) {
                    cut_at(comma, false, out);
                }
            }
            _ => {}
        }
    }
    cut_at(end, false, out);
}

/// The comma ending a concessive clause that starts at `from`, before `to`.
fn main_clause_comma(text: &str, from: usize, to: usize, hits: &[Hit]) -> Option<usize> {
    let segment = text.get(from..to.min(text.len())).unwrap_or("");
    let mut first = None;
    for (i, _) in segment.match_indices(',') {
        let at = from + i;
        if hits.iter().any(|h| h.start < at && at < h.end) {
            continue; // A comma inside a phrase such as "information, advice and support".
        }
        first.get_or_insert(at);
        let rest = text[at + 1..].trim_start();
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
            .map_or(rest.len(), |(i, _)| i);
        let next = &rest[..len];
        if OPENERS.iter().any(|o| o.eq_ignore_ascii_case(next)) {
            return Some(at);
        }
    }
    first
}

/// What a lexicon phrase means.
#[derive(Clone, Copy, Debug)]
enum Entry {
    /// A theme keyword, possibly also a polarity cue ("long waits").
    Theme(Theme, Option<Polarity>),
    /// A theme keyword that counts only in a sentence about EHCPs ("reviews", "plans").
    EhcpOnly(Theme, Option<Polarity>),
    /// A theme keyword that counts only with a word near it ("views" of children,
    /// "transition" to adult services).
    Near(Theme, Near),
    /// An EHCP: its quality, or its timeliness next to a timing word, or nothing of its own
    /// next to an annual review.
    Ehcp,
    /// A timing word ("timely", "delays", and the neutral "timeliness"): EHCP timeliness
    /// beside an EHCP, else waiting times.
    Timing(Option<Polarity>),
    /// A polarity cue.
    Cue(Polarity),
    /// Contrast ("but", "however"): a new clause.
    Contrast,
    /// Concession ("while", "although", "despite"): a clause of opposite polarity.
    Concessive,
    /// The sentence is not a finding ("looked at", "will").
    Skip,
    /// A speech verb: the sentence is someone's word unless the report speaks.
    Say,
    /// "They said": the inspectors' word right after a sentence where they or the report
    /// speak ("Inspectors found ... They said ..."), otherwise like [`Entry::Say`].
    TheySay,
    /// First person plural: the council's voice unless the report is cited.
    Voice,
    /// First person singular: a person's own words, even about the report.
    OwnVoice,
    /// The report or inspectors as subject.
    Report,
    /// Absorbs a phrase that would otherwise read wrongly ("as well as", "not only").
    Neutral,
}

#[derive(Clone, Copy, Debug)]
enum Near {
    Children,
    Adults,
    Needs,
}

impl Entry {
    /// Whether the phrase can name a theme, alone or with its context.
    fn names_theme(self) -> bool {
        matches!(
            self,
            Entry::Theme(..)
                | Entry::EhcpOnly(..)
                | Entry::Near(..)
                | Entry::Ehcp
                | Entry::Timing(_)
        )
    }

    fn cue(self) -> Option<Polarity> {
        match self {
            Entry::Theme(_, c) | Entry::EhcpOnly(_, c) | Entry::Timing(c) => c,
            Entry::Cue(p) => Some(p),
            _ => None,
        }
    }
}

/// A row of `rules/themes.tsv`: a phrase naming a theme.
#[derive(Debug, Deserialize)]
struct ThemeRow {
    phrase: String,
    theme: Theme,
    condition: Option<Condition>,
    polarity: Option<Polarity>,
}

/// When a phrase of `themes.tsv` names its theme (the table's header explains each).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Condition {
    Ehcp,
    Timing,
    EhcpSentence,
    NearChildren,
    NearAdults,
    NearNeeds,
}

/// A row of `rules/polarity.tsv`: a polarity cue.
#[derive(Debug, Deserialize)]
struct PolarityRow {
    phrase: String,
    polarity: Polarity,
}

/// A row of `rules/theme_markers.tsv`: a clause marker, voice or filter.
#[derive(Debug, Deserialize)]
struct MarkerRow {
    phrase: String,
    role: Role,
}

/// What a phrase of `theme_markers.tsv` does (the table's header explains each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Role {
    Contrast,
    Concessive,
    Opener,
    Skip,
    Say,
    TheySay,
    Voice,
    OwnVoice,
    Report,
    Neutral,
}

/// A row of `rules/theme_headings.tsv`: words that give a section heading its polarity, or
/// make it a section of people's own voices.
#[derive(Debug, Deserialize)]
struct HeadingRow {
    words: String,
    section: HeadingKind,
}

/// What a heading's words say of the section under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum HeadingKind {
    Strength,
    Improvement,
    /// People's reactions ("What leaders said", "Council response"), unless the heading
    /// names the report or inspectors.
    Voices,
    /// The report or inspectors: a heading naming them is never a section of voices.
    Report,
}

static THEME_ROWS: LazyLock<Vec<ThemeRow>> =
    LazyLock::new(|| table("themes.tsv", include_str!("rules/themes.tsv")));
static POLARITY_ROWS: LazyLock<Vec<PolarityRow>> =
    LazyLock::new(|| table("polarity.tsv", include_str!("rules/polarity.tsv")));
static MARKER_ROWS: LazyLock<Vec<MarkerRow>> =
    LazyLock::new(|| table("theme_markers.tsv", include_str!("rules/theme_markers.tsv")));
static HEADING_ROWS: LazyLock<Vec<HeadingRow>> =
    LazyLock::new(|| table("theme_headings.tsv", include_str!("rules/theme_headings.tsv")));

/// The words that can open a main clause after a concessive clause's comma, lower-case.
static OPENERS: LazyLock<Vec<String>> = LazyLock::new(|| {
    MARKER_ROWS.iter().filter(|r| r.role == Role::Opener).map(|r| r.phrase.to_lowercase()).collect()
});

/// The lexicon the scan matches: every phrase of the three tables with what it means, themes
/// first, then polarity cues, then markers (openers are compared, not scanned for).
static LEXICON: LazyLock<Vec<(String, Entry)>> = LazyLock::new(|| {
    let mut lexicon = Vec::new();
    for row in THEME_ROWS.iter() {
        let entry = match row.condition {
            None => Entry::Theme(row.theme, row.polarity),
            Some(Condition::Ehcp) => Entry::Ehcp,
            Some(Condition::Timing) => Entry::Timing(row.polarity),
            Some(Condition::EhcpSentence) => Entry::EhcpOnly(row.theme, row.polarity),
            Some(Condition::NearChildren) => Entry::Near(row.theme, Near::Children),
            Some(Condition::NearAdults) => Entry::Near(row.theme, Near::Adults),
            Some(Condition::NearNeeds) => Entry::Near(row.theme, Near::Needs),
        };
        lexicon.push((row.phrase.clone(), entry));
    }
    for row in POLARITY_ROWS.iter() {
        lexicon.push((row.phrase.clone(), Entry::Cue(row.polarity)));
    }
    for row in MARKER_ROWS.iter() {
        let entry = match row.role {
            Role::Opener => continue,
            Role::Contrast => Entry::Contrast,
            Role::Concessive => Entry::Concessive,
            Role::Skip => Entry::Skip,
            Role::Say => Entry::Say,
            Role::TheySay => Entry::TheySay,
            Role::Voice => Entry::Voice,
            Role::OwnVoice => Entry::OwnVoice,
            Role::Report => Entry::Report,
            Role::Neutral => Entry::Neutral,
        };
        lexicon.push((row.phrase.clone(), entry));
    }
    lexicon
});

/// The probe set of unseen wordings (`tests/fixtures/theme-probes.tsv`).
#[cfg(test)]
mod probes;

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs [`find`] on `paragraphs` and checks each expectation: "theme polarity" must be
    /// found, "!theme polarity" must not.
    fn check(paragraphs: &[&str], expected: &[&str]) {
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
        let found = find(&paragraphs);
        let codes: Vec<String> =
            found.iter().map(|f| format!("{} {}", f.theme.code(), f.polarity.code())).collect();
        for want in expected {
            match want.strip_prefix('!') {
                Some(unwanted) => {
                    assert!(!codes.iter().any(|c| c == unwanted), "found {unwanted}: {codes:?}")
                }
                None => assert!(codes.iter().any(|c| c == want), "missing {want}: {codes:?}"),
            }
        }
    }

    #[test]
    fn finds_dudley_strengths_and_improvements() {
        check(
            &[
                "Leaders and officers who are responsible for developing strategies to increase the variety of SEND placements available were said to be highly regarded and that they knew where the remaining gaps were and how these could be addressed.",
                "Inspectors found that practitioners from different services work well together, sharing information effectively, resulting in an efficient multi-disciplinary approach to providing services. The partnership work with the Dudley Parent Carer Forum (PCF) is strong, driving improvement through accurate, up-to-date parental feedback and constructive challenge.",
                "Also acknowledged is the Inclusive Pathways Service who are working effectively to support children at risk of exclusion and the support for children in care with SEND was also noted.",
                "Inspectors recognised that most children and young people who need speech and language therapy, physiotherapy or occupational therapy receive effective help when they need it.",
                "However, inspectors found that more needs to be done to make progress. They have identified some areas for improvement including reducing waiting times access to mental health, neurodevelopmental diagnosis and access to wheelchair services. They also stated that partnership should improve the quality and oversight of the Education and Health Care Plans (EHCP) as well as ensuring that they reflect up to date views from children, young people and their families.",
                "Whilst inspectors found that the SEND Information, Advice and Support Service (SENDIASS) supports a high number of parents , children and young people, they are now keen to see the local area working at pace to communicate and continually improve the Dudley SEND Local Offer, an online resource and statutory requirement.",
            ],
            &[
                "leadership strength",
                "placement_sufficiency strength",
                "joint_working strength",
                "coproduction strength",
                "exclusions_inclusion strength",
                "children_in_care strength",
                "therapies strength",
                "waiting_times improvement",
                "mental_health improvement",
                "neurodevelopmental improvement",
                "equipment improvement",
                "ehcp_quality improvement",
                "child_voice improvement",
                "local_offer improvement",
                "!leadership improvement",
                "!local_offer strength",
            ],
        );
    }

    #[test]
    fn reads_one_sentence_as_several_improvements() {
        let sentence = "They have identified some areas for improvement including reducing waiting times access to mental health, neurodevelopmental diagnosis and access to wheelchair services.";
        let found = find(&[sentence.to_string()]);
        let themes: Vec<Theme> = found.iter().map(|f| f.theme).collect();
        assert_eq!(
            themes,
            [Theme::WaitingTimes, Theme::MentalHealth, Theme::Neurodevelopmental, Theme::Equipment]
        );
        assert!(found.iter().all(|f| f.polarity == Polarity::Improvement));
        assert!(found.iter().all(|f| f.evidence == Evidence::new(sentence, 0)));
    }

    #[test]
    fn does_not_count_what_inspectors_looked_at() {
        check(
            &[
                "Inspectors looked at the local information that is provided across the county on services to support children and young people and their parents and carers. It looked at joint commissioning between health services and the Council and the graduated response which is the way schools support children in mainstream education.",
                "A joint inspection to judge how effectively the County Council and the NHS Worcestershire Clinical Commissioning Groups have implemented the special educational needs and disability (SEND) reforms was conducted in March.",
                "But despite the concerted drive shown by leaders in the two organisations being described as a 'breath of fresh air' by inspectors, they found that children and young people in the county who have SEN and/or disabilities are not provided with the quality of support and service to which they are entitled.",
            ],
            &[
                "leadership strength",
                "!joint_commissioning strength",
                "!joint_commissioning improvement",
                "!identification_of_needs strength",
                "!identification_of_needs improvement",
            ],
        );
    }

    #[test]
    fn finds_dorset_strengths_and_improvements() {
        check(
            &[
                "In addition, ‘the voice of children and young people with SEND is highly valued’, while, ‘many parents and carers feel they are true partners when planning their own provision and improvements generally.",
                "Among the aspects of local provision found to be particularly effective are the ambitions of local leaders to ensure needs are identified accurately and then met consistently. The report highlights the support provided to practitioners in early years provision and in the success of transitioning children into school. Health and well-being support is also praised. Education, health and care plans (EHCPs) are of high quality.",
                "There is, though, some room for improvement, such as in strengthening the use of good qualitative and quantitative information to evaluate the impact of what is often innovative work. Quality assurance and annual review processes could also be more precise and robust.",
            ],
            &[
                "child_voice strength",
                "coproduction strength",
                "identification_of_needs strength",
                "early_years strength",
                "mental_health strength",
                "ehcp_quality strength",
                "quality_assurance improvement",
                "annual_reviews improvement",
                "!quality_assurance strength",
                "!ehcp_quality improvement",
            ],
        );
    }

    #[test]
    fn finds_south_gloucestershire_criticism_and_recovery() {
        check(
            &[
                "During a visit in November, Ofsted and health watchdog the Care Quality Commission found that senior leaders have been too slow to implement disability and SEN reforms and parents are often unclear about what support is available to them.",
                "\"Joint commissioning between healthcare services and the local authority was not established soon enough and is underdeveloped.",
                "\"Families continue to experience unacceptably long waits for the assessment and diagnosis of children and young people with autistic spectrum disorder,\" the letter states.",
                "Meanwhile, parents and carers were found to overwhelmingly report that the \"local offer\" is not easy to use and fails to provide the information they want and need.",
                "\"Many of them do not know what help is available, where or how to access it.",
                "However, inspectors did find that in recent months the pace of change to improve and develop provision and services for children and young people with SEND has improved.",
                "Meanwhile, the leadership of the clinical commissioning group was found to have been strengthened, with the work of the designated medical officer and designated clinical officer, combined with improved joint commissioning arrangements, contributing to improvements to support for children with SEND.",
            ],
            &[
                "leadership improvement",
                "joint_commissioning improvement",
                "waiting_times improvement",
                "neurodevelopmental improvement",
                "local_offer improvement",
                "information_advice improvement",
                "leadership strength",
                "joint_commissioning strength",
                "!local_offer strength",
            ],
        );
    }

    #[test]
    fn reads_polarity_from_section_headings() {
        check(
            &[
                "What is Southend doing well?",
                "- Consultation with families and making sure the voice of the child and young people is always included in assessments, plans and reports",
                "- This includes working well with the independently appointed parent carer forum, Southend SEND Independent Forum (SSIF)",
                "- Access to help early on is making sure families can meet the needs of their children, with support from services such as the Special Education Needs and Disabilities Information Advice and Support Service (SENDIASS)",
                "- Strong partnership working between education, social care and police means safeguarding risks and young people missing education is reduced",
                "- There are more families taking advantage of short breaks",
                "|",
                "What needs improving?",
                "- The pace of improvements is too slow and trust with parents and carers has been undermined by weaknesses in service delivery",
                "- Experiences are variable, with some families experiencing long wait periods for appointments with specialist services or for support or equipment",
                "- While EHC assessments are timely, reviews are not and the plans are not ambitious enough and don’t reflect the multi-agency work that takes place to support a child or young person",
                "- The transition from children’s services to adults needs to start sooner, and improvements to the post 16 service need to be made, to provide better support for young people",
                "- Quality assurance information is not being used to evaluate the effectiveness of leader’s actions and improve practice",
                "- Speech and language therapists have limited capacity in mainstream schools",
                "- There are a lack of clubs and activities during the holidays for children and young people with SEND",
                "- Despite improvements to communication, parents, carers and professionals can get confused about accessing services, leading to frustration and delays",
            ],
            &[
                "child_voice strength",
                "coproduction strength",
                "information_advice strength",
                "safeguarding strength",
                "exclusions_inclusion strength",
                "short_breaks strength",
                "leadership improvement",
                "waiting_times improvement",
                "equipment improvement",
                "annual_reviews improvement",
                "ehcp_quality improvement",
                "ehcp_timeliness strength",
                "preparing_for_adulthood improvement",
                "post16 improvement",
                "quality_assurance improvement",
                "therapies improvement",
                "short_breaks improvement",
                "information_advice improvement",
                "!child_voice improvement",
                "!ehcp_timeliness improvement",
            ],
        );
    }

    #[test]
    fn reads_a_heading_and_its_list_in_one_paragraph() {
        check(
            &[
                "What did inspectors praise?\n- More families taking up short breaks\n- Timely health reviews and referrals",
                "Areas for improvement\n- Delays in issuing education, health and care plans\n- Poor communication with parents and carers",
            ],
            &[
                "short_breaks strength",
                "waiting_times strength",
                "ehcp_timeliness improvement",
                "information_advice improvement",
                "!ehcp_quality improvement",
            ],
        );
    }

    #[test]
    fn a_headline_does_not_open_a_section() {
        check(
            &[
                "Windsor and Maidenhead SEND services praised by Ofsted and CQC",
                "- Speech and language therapy",
            ],
            &["!therapies strength"],
        );
    }

    #[test]
    fn prose_after_a_list_leaves_the_section() {
        check(
            &[
                "What needs improving?",
                "- Long waits for wheelchair services and equipment",
                "The council runs short breaks for disabled children.",
            ],
            &["equipment improvement", "!short_breaks improvement"],
        );
    }

    #[test]
    fn cues_override_a_mislabelled_section() {
        check(
            &[
                "What needs improving?",
                "- There are more families taking advantage of short breaks",
            ],
            &["short_breaks strength", "!short_breaks improvement"],
        );
    }

    #[test]
    fn negation_turns_praise_words_into_criticism() {
        check(
            &[
                "Annual reviews are not consistently completed on time, so plans do not reflect children's current needs.",
                "The local offer is not well known, and many families do not know what help is available or how to access it.",
                "Quality assurance information is not used well enough to evaluate the effectiveness of leaders' actions.",
            ],
            &[
                "annual_reviews improvement",
                "local_offer improvement",
                "information_advice improvement",
                "quality_assurance improvement",
                "!local_offer strength",
                "!quality_assurance strength",
            ],
        );
    }

    #[test]
    fn not_in_employment_is_not_a_negation() {
        check(
            &[
                "There is effective support from designated practitioners for those young people who are not in employment, education or training.",
            ],
            &["post16 strength", "!post16 improvement"],
        );
    }

    #[test]
    fn a_concessive_clause_about_the_main_clauses_subject_shares_its_polarity() {
        check(
            &["Although exclusions have been falling, inspectors said they are still too high."],
            &["exclusions_inclusion improvement", "!exclusions_inclusion strength"],
        );
    }

    #[test]
    fn concessive_clause_takes_the_opposite_polarity() {
        check(
            &[
                "Although the Local Offer has been relaunched, families still do not know how to access short breaks.",
            ],
            &["local_offer strength", "short_breaks improvement", "information_advice improvement"],
        );
    }

    #[test]
    fn separates_ehcp_timeliness_quality_and_reviews() {
        check(
            &[
                "Too many education, health and care plans are not completed within the statutory 20-week timescale.",
            ],
            &["ehcp_timeliness improvement", "!ehcp_quality improvement"],
        );
        check(
            &["EHC plans are well written and reflect the views of children and young people."],
            &["ehcp_quality strength", "child_voice strength", "!ehcp_timeliness strength"],
        );
        check(
            &["The reviews of EHC plans are often late and poorly recorded."],
            &["annual_reviews improvement", "!ehcp_quality improvement"],
        );
    }

    #[test]
    fn views_count_only_when_they_are_childrens() {
        check(
            &[
                "A significant number of families who shared their views with inspectors had not heard of the term ‘local offer' or did not know what it was, the letter states.",
            ],
            &["local_offer improvement", "!child_voice improvement"],
        );
    }

    #[test]
    fn ignores_people_speaking_for_themselves() {
        check(
            &[
                "Councillor David Stanley, cabinet Member for children’s services, said:",
                "“While the report highlights areas needing improvement, it also demonstrates the progress we’ve made with our strong partnership with parent carers.",
                "\"We remain committed to reducing waiting times for autism assessments.”",
                "Lesley Mellor, Chair of the Dorset Parent Carer Council, says: ‘The recognition by all the inspectors of our strong partnership working is welcome.’",
                "Caroline Smith, from Drealham, said the family's 6-year-old son Harry had waited more than two years for an autism assessment.",
                "“However, I am glad to see that the report highlighted that the voice of the child is firmly at the centre of all the work.",
            ],
            &[
                "!coproduction strength",
                "!waiting_times improvement",
                "!neurodevelopmental improvement",
                "!joint_working strength",
                "!child_voice strength",
            ],
        );
    }

    #[test]
    fn timeliness_names_the_subject_not_a_criticism() {
        check(
            &[
                "Inspectors judged that the partnership is taking effective action on all three priority actions: the timeliness of education, health and care plans, the quality of annual reviews, and the sufficiency of specialist school places.",
                "Inspectors found sufficient progress in two areas, including the timeliness of EHC plans, but insufficient progress in the co-production of services with parents.",
            ],
            &[
                "ehcp_timeliness strength",
                "annual_reviews strength",
                "placement_sufficiency strength",
                "coproduction improvement",
                "!ehcp_timeliness improvement",
            ],
        );
    }

    #[test]
    fn they_said_after_the_inspectors_is_theirs() {
        check(
            &[
                "Inspectors found strong joint working. They said home-to-school transport arrangements cause too much anxiety for some families.",
            ],
            &["joint_working strength", "transport improvement"],
        );
        check(
            &[
                "Parents at the meeting were angry. They said home-to-school transport arrangements cause too much anxiety.",
            ],
            &["!transport improvement"],
        );
    }

    #[test]
    fn what_families_told_inspectors_is_evidence() {
        check(
            &[
                "Families told inspectors they did not know where to turn for information and advice.",
                "\"Leaders do not know where some children in alternative provision are being educated,\" it adds.",
            ],
            &["information_advice improvement", "alternative_provision improvement"],
        );
    }

    #[test]
    fn keeps_the_report_speaking() {
        check(
            &[
                "It says: “There is better multi-agency working in Southend with a stronger focus on supporting children and young people.”",
            ],
            &["joint_working strength"],
        );
    }

    #[test]
    fn skips_an_organisations_say_section() {
        check(
            &[
                "What does SSIF say about the outcome?",
                "However too often our children’s and young people’s needs are not met in a timely manner.",
            ],
            &["!waiting_times improvement"],
        );
    }

    #[test]
    fn ignores_generic_context_and_boilerplate() {
        check(
            &[
                "The new framework gives one of three outcomes.",
                "The local area partnership, comprising council, health, and local school services, must work together to make further improvements.",
                "The local area partnership must work jointly to make improvements.",
                "Plans for a new 80-place special free school in Wyfield have been delayed until 2026.",
            ],
            &["!joint_working improvement", "!waiting_times improvement"],
        );
    }

    #[test]
    fn a_recommendation_to_leaders_is_about_its_object() {
        check(
            &[
                "Leaders should make sure that the voice of children and young people is captured in their plans.",
            ],
            &["child_voice improvement", "!leadership improvement"],
        );
    }

    #[test]
    fn keeps_one_finding_per_theme_and_polarity_first_on_ties() {
        let paragraphs: Vec<String> = [
            "Long waits for autism assessments are too long.",
            "Families face long waits for speech and language therapy.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let found = find(&paragraphs);
        let waits: Vec<&ThemeFinding> =
            found.iter().filter(|f| f.theme == Theme::WaitingTimes).collect();
        assert_eq!(waits.len(), 1);
        assert_eq!(waits[0].evidence.paragraph, 0);
        let order: Vec<usize> = found.iter().map(|f| f.evidence.paragraph).collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    }

    #[test]
    fn reads_a_table_by_its_column_headings() {
        check(
            &[
                "| Working well | Needs to improve | |---|---| | Short breaks in every school holiday | Waits for wheelchairs | | | Planning for adult life starts too late |",
            ],
            &[
                "short_breaks strength",
                "equipment improvement",
                "waiting_times improvement",
                "preparing_for_adulthood improvement",
                "!short_breaks improvement",
            ],
        );
    }

    #[test]
    fn a_table_rows_verdict_gives_its_polarity() {
        check(
            &[
                "| Weakness at the first inspection | Revisit finding | |---|---| | The graduated response not embedded in schools | Sufficient progress | | Poor joint commissioning | Insufficient progress |",
            ],
            &[
                "identification_of_needs strength",
                "joint_commissioning improvement",
                "!identification_of_needs improvement",
                "!joint_commissioning strength",
            ],
        );
    }

    #[test]
    fn heading_words_longest_first_and_sections_of_voices() {
        check(
            &[
                "Where progress was insufficient:",
                "- co-production with families",
                "THE GOOD NEWS",
                "- Autism assessments within weeks",
                "What leaders said",
                "The council's own short breaks offer is the best in the region.",
            ],
            &[
                "coproduction improvement",
                "neurodevelopmental strength",
                "!coproduction strength",
                "!short_breaks strength",
            ],
        );
    }

    #[test]
    fn an_earlier_inspections_findings_are_not_this_ones() {
        check(
            &[
                "At the previous inspection, inspectors found weak joint commissioning.",
                "The second weakness was the poor quality of EHC plans.",
            ],
            &["!joint_commissioning improvement", "!ehcp_quality improvement"],
        );
    }

    #[test]
    fn identification_words_count_near_needs() {
        check(
            &[
                "For some children, needs are picked up fast.",
                "Inspectors praised the team for spotting the needs of babies early.",
                "The report was picked up by local radio and praised as clear.",
            ],
            &["identification_of_needs strength"],
        );
        let paragraphs = vec!["The report was picked up by local radio and praised.".to_string()];
        assert!(find(&paragraphs).is_empty());
    }

    #[test]
    fn an_ehc_plan_is_timely_only_beside_its_timing_word() {
        check(
            &["EHC plans were often late."],
            &["ehcp_timeliness improvement", "!ehcp_quality improvement"],
        );
        check(
            &["Waits for therapy remain long, and the quality of EHC plans is too variable."],
            &[
                "ehcp_quality improvement",
                "waiting_times improvement",
                "!ehcp_timeliness improvement",
            ],
        );
    }

    #[test]
    fn they_said_carries_over_from_the_paragraph_before() {
        check(
            &[
                "Inspectors praised the strong partnership working.",
                "But they said families wait too long for speech and language therapy.",
            ],
            &["waiting_times improvement", "therapies improvement"],
        );
    }

    #[test]
    fn the_tables_read_and_hold_sensible_values() {
        // Every row parses (theme ids and polarities are real: serde checks them against
        // the codes of domain.md), no phrase is empty or listed twice, and the lexicon
        // index finds each phrase again.
        assert!(!THEME_ROWS.is_empty() && !POLARITY_ROWS.is_empty() && !MARKER_ROWS.is_empty());
        assert!(!HEADING_ROWS.is_empty() && !OPENERS.is_empty());
        let mut seen = std::collections::HashSet::new();
        for (phrase, _) in LEXICON.iter() {
            assert!(!phrase.trim().is_empty(), "an empty phrase");
            assert!(seen.insert(phrase.to_lowercase()), "{phrase:?} is listed twice");
        }
        for row in HEADING_ROWS.iter() {
            assert_eq!(row.words, row.words.to_lowercase(), "heading words are lower-case");
        }
        for opener in OPENERS.iter() {
            assert!(!opener.contains(' '), "an opener is one word: {opener:?}");
        }
        for (phrase, _) in LEXICON.iter().filter(|(p, _)| p.ends_with('*')) {
            // The scan finds a phrase by its first word whole, so only a later word can be
            // a prefix.
            assert!(phrase.trim_end_matches('*').contains([' ', '-']), "{phrase:?}: one word");
        }
        for (phrase, _) in LEXICON.iter().filter(|(p, _)| p.len() > 1 && !p.ends_with('*')) {
            let found = phrases(phrase);
            assert!(!found.is_empty(), "{phrase:?} is not found in its own text");
        }
    }

    #[test]
    fn each_finding_names_its_cues() {
        let rule = |paragraphs: &[&str], code: &str| {
            let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
            find(&paragraphs)
                .into_iter()
                .find(|f| format!("{} {}", f.theme.code(), f.polarity.code()) == code)
                .map(|f| f.rule)
                .unwrap_or_default()
        };
        assert_eq!(
            rule(&["Too many EHC plans are vague."], "ehcp_quality improvement"),
            "theme cue \"EHC plans\" -> ehcp_quality; polarity cue \"Too\" -> improvement"
        );
        assert_eq!(
            rule(
                &["What needs improving?", "- Short breaks for older children"],
                "short_breaks improvement"
            ),
            "theme cue \"Short breaks\" -> short_breaks; section heading \"What needs improving?\" -> improvement"
        );
        assert_eq!(
            rule(
                &[
                    "Although the Local Offer has been relaunched, families do not know how to access it."
                ],
                "local_offer strength"
            ),
            "theme cue \"Local Offer\" -> local_offer; concessive clause \"Although\", read with the main clause -> strength"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "-",
            "- ",
            "?",
            ";;;",
            "%",
            "\u{2019}",
            "é\u{2014}x",
            "While",
            "wait ",
            "ehc plan\u{201d}",
            "leaders\u{2019} strong",
            "While \u{2018}x\u{2019}, y",
        ] {
            let _ = find(&[text.to_string(), format!("{text}\n- {text}")]);
        }
    }

    /// The lexicon phrases `scan` finds in `text`, as the text they cover.
    fn phrases(text: &str) -> Vec<&str> {
        let (mut hay, mut hits) = (Vec::new(), Vec::new());
        scan(text, &mut hay, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn scans_whole_words_leftmost_longest() {
        assert_eq!(phrases("Notably, NOT ONLY timely"), ["NOT ONLY", "timely"]);
        assert_eq!(
            phrases("Neurodevelopmental and multi-disciplinary"),
            ["Neurodevelopmental", "multi-disciplinary"]
        );
        assert_eq!(phrases("Neurodevelopmentalism"), Vec::<&str>::new());
        assert_eq!(
            phrases("annual reviews; leaders\u{2019} should"),
            ["annual review", ";", "leaders", "should"]
        );
        assert_eq!(phrases("leaders;should"), ["leaders", ";", "should"]);
        assert_eq!(phrases("the children\u{2019}s voices"), ["children\u{2019}s voice"]);
        assert_eq!(phrases("50% wait"), ["%", "wait"]);
    }
}
