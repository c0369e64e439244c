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
//! Left to others: which inspection an article is about, outcomes, dates and quotes. This
//! module only skips the voices it should not read as findings (a councillor's statement,
//! "inspectors looked at ...", an organisation's "What does X say?" section); attributing
//! quotes is the quotes extractor's job.

use std::sync::LazyLock;

use super::model::{Evidence, Polarity, Theme};
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
}

/// Themes inspectors praised (Polarity::Strength) or criticised / named for improvement
/// (Polarity::Improvement), each with the evidence sentence. At most one finding per
/// (theme, polarity): the clearest sentence (first one wins on ties). Ordered by first
/// appearance of the chosen evidence.
pub fn find(paragraphs: &[String]) -> Vec<ThemeFinding> {
    let mut state = State::default();
    let mut best: Vec<Candidate> = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        // A heading and its list items sometimes arrive as one paragraph, one per line; the
        // lines are then units of their own. Otherwise line breaks are only hard wrapping.
        let has_list_lines = paragraph.lines().skip(1).any(|l| is_list_item(l.trim_start()));
        if has_list_lines {
            for line in paragraph.lines() {
                unit(line, index, &mut state, &mut best);
            }
        } else {
            unit(paragraph, index, &mut state, &mut best);
        }
    }
    best.sort_by_key(|c| (c.paragraph, c.order));
    best.into_iter()
        .map(|c| ThemeFinding {
            theme: c.theme,
            polarity: c.polarity,
            evidence: Evidence::new(c.sentence, c.paragraph),
        })
        .collect()
}

/// The best evidence so far for one (theme, polarity).
struct Candidate {
    theme: Theme,
    polarity: Polarity,
    margin: u32,
    paragraph: usize,
    order: usize,
    sentence: String,
}

/// What the paragraphs read so far say about the ones to come.
#[derive(Default)]
struct State {
    /// The polarity a heading gave its section, or `Quoted` under "What does X say?".
    section: Section,
    /// A list item has been seen in the current section, so prose after it ends the section.
    seen_list: bool,
    /// The previous paragraph was (or introduced) a person's quote: paragraphs opening with a
    /// quote mark continue it.
    in_person_quote: bool,
    /// A running count of sentences, to order findings within a paragraph.
    order: usize,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Section {
    #[default]
    None,
    Of(Polarity),
    Quoted,
}

fn is_list_item(s: &str) -> bool {
    s.starts_with("- ") || s.starts_with('\u{2022}') || s == "-"
}

fn opens_with_quote(s: &str) -> bool {
    s.starts_with(['"', '\u{201c}', '\u{2018}', '\''])
}

/// Reads one paragraph (or one line of a paragraph holding a list).
fn unit(raw: &str, paragraph: usize, state: &mut State, best: &mut Vec<Candidate>) {
    let text = raw.trim();
    if text.is_empty() || text.chars().all(|c| matches!(c, '|' | '-' | '*' | '_' | ' ')) {
        return; // Separator lines are furniture: they neither end a section nor a quote.
    }
    let list_item = is_list_item(text);
    let body =
        if list_item { text.trim_start_matches(['-', '\u{2022}']).trim_start() } else { text };
    if body.is_empty() {
        return;
    }
    let hits = scan(body);

    // A person's quote: an attribution paragraph ending "said:", its continuation
    // paragraphs, or an attribution inline ("X, chair of the forum, says: 'I am ...").
    if !list_item && state.in_person_quote && opens_with_quote(body) {
        return;
    }
    state.in_person_quote = false;
    if let Some(verb) = hits.iter().find(|h| matches!(LEXICON[h.entry].1, Entry::Say)) {
        let after = body.get(verb.end..).unwrap_or("").trim_start();
        let introduces = after.is_empty() || after.starts_with([':', ';']);
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
        Section::Of(p) => Some(p),
        _ => None,
    };
    for (start, end) in sentence_spans(body) {
        state.order += 1;
        // Hits are in text order, so a sentence's hits are one run of them.
        let from = hits.partition_point(|h| h.start < start);
        let to = from + hits[from..].partition_point(|h| h.end <= end);
        if !hits[from..to].iter().any(|h| LEXICON[h.entry].1.names_theme()) {
            continue;
        }
        for (theme, polarity, margin) in
            sentence_findings(body, start, end, &hits[from..to], section)
        {
            offer(best, theme, polarity, margin, paragraph, state.order, &body[start..end]);
        }
    }
}

/// Margins above this are all "clear": among clear sentences the first wins, because a pile of
/// cue words is no clearer than a plain criticism.
const MARGIN_CAP: u32 = 3;

/// Keeps the clearer of two sentences for the same (theme, polarity); the first on a tie.
fn offer(
    best: &mut Vec<Candidate>,
    theme: Theme,
    polarity: Polarity,
    margin: u32,
    paragraph: usize,
    order: usize,
    sentence: &str,
) {
    if let Some(c) = best.iter_mut().find(|c| c.theme == theme && c.polarity == polarity) {
        if margin.min(MARGIN_CAP) > c.margin {
            c.margin = margin.min(MARGIN_CAP);
            c.paragraph = paragraph;
            c.order = order;
            c.sentence = sentence.to_string();
        }
        return;
    }
    let margin = margin.min(MARGIN_CAP);
    best.push(Candidate { theme, polarity, margin, paragraph, order, sentence: sentence.into() });
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
    if has(&["what does", "what do "]) && has(&[" say"]) {
        return Section::Quoted;
    }
    let label = text.ends_with(['?', ':']) || text.len() <= 40;
    if !label {
        return Section::None;
    }
    let good = has(&[
        "doing well",
        "done well",
        "went well",
        "working well",
        "strength",
        "praise",
        "positive",
        "good practice",
        "what's working",
        "what is working",
        "found to be effective",
    ]);
    let bad = has(&[
        "improv",
        "weakness",
        "concern",
        "criticis",
        "development",
        "needs to change",
        "not working",
        "what needs",
        "must change",
        "priority action",
        "areas for action",
    ]);
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

/// Finds lexicon phrases at word boundaries, leftmost-longest and not overlapping.
///
/// Text and patterns go through the same byte-for-byte [`normalise`], so offsets into the
/// normalised text are offsets into `text`. Phrases can only start at a word start, so the
/// scan hashes each word once and compares only the few phrases that begin with it: several
/// times faster than an automaton, which would track partial matches at every space.
fn scan(text: &str) -> Vec<Hit> {
    let buf = normalise(text);
    let index = &*INDEX;
    let mut hits = Vec::new();
    let mut i = 0;
    while i < buf.len() {
        let b = buf[i];
        if b == b' ' {
            i += 1;
            continue;
        }
        if b == b';' || b == b'%' {
            let entry = if b == b';' { index.semicolon } else { index.percent };
            hits.push(Hit { start: i, end: i + 1, entry });
            i += 1;
            continue;
        }
        let word_end = buf[i..].iter().position(|&c| is_break(c)).map_or(buf.len(), |n| i + n);
        let mut matched = None;
        for &entry in index.lookup(&buf[i..word_end]) {
            let (pattern, open_ended) = &index.patterns[entry];
            let end = i + pattern.len();
            // The last byte first: it rejects most candidates without a call to memcmp.
            if buf.get(end.wrapping_sub(1)) == pattern.last()
                && buf.get(i..end) == Some(pattern.as_slice())
                && (*open_ended || buf.get(end).is_none_or(|&c| is_break(c)))
            {
                matched = Some(Hit { start: i, end, entry });
                break; // Candidates are longest first.
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
    hits
}

/// Whether a normalised byte ends a word.
fn is_break(b: u8) -> bool {
    matches!(b, b' ' | b';' | b'%')
}

/// Lower-cases ASCII letters and turns ASCII punctuation and the General Punctuation block
/// (curly quotes, dashes) into spaces, keeping every byte's position. "%" and ";" stay: one
/// is a cue and the other a clause break.
fn normalise(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = bytes.iter().map(|&b| FOLD[b as usize]).collect();
    if !text.is_ascii() {
        let mut i = 0;
        while i + 2 < bytes.len() {
            if bytes[i] == 0xE2 && bytes[i + 1] == 0x80 {
                out[i..i + 3].copy_from_slice(b"   ");
                i += 3;
            } else {
                i += 1;
            }
        }
    }
    out
}

/// The byte map of [`normalise`]: ASCII letters lower-cased, digits and non-ASCII bytes kept,
/// "%" and ";" kept, every other ASCII byte a space.
static FOLD: [u8; 256] = {
    let mut table = [b' '; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_uppercase() {
            byte.to_ascii_lowercase()
        } else if byte.is_ascii_alphanumeric() || !byte.is_ascii() || byte == b'%' || byte == b';' {
            byte
        } else {
            b' '
        };
        b += 1;
    }
    table
};

/// The lexicon's normalised phrases, reachable from their first word.
struct Index {
    /// Each entry's normalised phrase, and whether it may end mid-word (a trailing `*`).
    patterns: Vec<(Vec<u8>, bool)>,
    /// Open-addressed by the first word's hash: the word's full hash and the range of its
    /// entries in `entries` (an empty range marks a free slot). Compact, so that a probe
    /// stays in cache; a rare clash of hashes costs nothing, as every candidate phrase is
    /// compared in full anyway.
    slots: Vec<(u64, u32, u32)>,
    /// The entries of each first word, longest phrase first.
    entries: Vec<usize>,
    /// A one-hash Bloom filter of first words, small enough for the L1 cache: most words of
    /// an article start no phrase, and this rejects them without touching `slots`.
    bloom: Vec<u64>,
    semicolon: usize,
    percent: usize,
}

impl Index {
    fn build() -> Index {
        let patterns: Vec<(Vec<u8>, bool)> = LEXICON
            .iter()
            .map(|(p, _)| {
                // A trailing apostrophe ("leaders'") normalises to a space: drop it, so that
                // no phrase ends inside a curly quote's bytes.
                let mut n = normalise(p.trim_end_matches('*'));
                while n.last() == Some(&b' ') {
                    n.pop();
                }
                (n, p.ends_with('*'))
            })
            .collect();
        let position = |s: &str| LEXICON.iter().position(|(p, _)| *p == s).unwrap_or(0);
        // Group the entries by first word, in order of first appearance.
        let mut groups: Vec<(u64, Vec<usize>)> = Vec::new();
        let mut bloom = vec![0u64; BLOOM_BITS / 64];
        for (entry, (pattern, _)) in patterns.iter().enumerate() {
            let first_end = pattern.iter().position(|&c| is_break(c)).unwrap_or(pattern.len());
            let word = &pattern[..first_end];
            if word.is_empty() {
                continue; // ";" and "%" are found byte by byte.
            }
            let bit = bloom_key(word);
            bloom[bit / 64] |= 1 << (bit % 64);
            let h = hash(word);
            match groups.iter_mut().find(|(g, _)| *g == h) {
                Some((_, members)) => members.push(entry),
                None => groups.push((h, vec![entry])),
            }
        }
        let mut slots = vec![(0u64, 0u32, 0u32); SLOTS];
        let mut entries = Vec::new();
        for (h, mut members) in groups {
            // Longest first, and among equals the earlier entry: leftmost-longest matching.
            members.sort_by_key(|&e| (std::cmp::Reverse(patterns[e].0.len()), e));
            let from = entries.len() as u32;
            entries.extend(members);
            let mut slot = h as usize & (SLOTS - 1);
            while slots[slot].1 != slots[slot].2 {
                slot = (slot + 1) & (SLOTS - 1);
            }
            slots[slot] = (h, from, entries.len() as u32);
        }
        Index { patterns, slots, entries, bloom, semicolon: position(";"), percent: position("%") }
    }

    /// The entries whose phrase starts with `word`.
    fn lookup(&self, word: &[u8]) -> &[usize] {
        let bit = bloom_key(word);
        if self.bloom[bit / 64] & (1 << (bit % 64)) == 0 {
            return &[];
        }
        let h = hash(word);
        let mut slot = h as usize & (SLOTS - 1);
        loop {
            let (key, from, to) = self.slots[slot];
            if from == to {
                return &[];
            }
            if key == h {
                return self.entries.get(from as usize..to as usize).unwrap_or(&[]);
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }
}

/// Hash table size: a power of two well above the lexicon's distinct first words.
const SLOTS: usize = 2048;

/// Bloom filter size in bits (a power of two).
const BLOOM_BITS: usize = 1 << 15;

/// The Bloom filter's bit for a word, from its length and first, second and last bytes:
/// constant time, unlike a hash of the whole word.
fn bloom_key(word: &[u8]) -> usize {
    let first = usize::from(word.first().copied().unwrap_or(0) & 31);
    let second = usize::from(word.get(1).copied().unwrap_or(0) & 31);
    let last = usize::from(word.last().copied().unwrap_or(0) & 31);
    let len = word.len().min(31);
    ((first << 10 | second << 5 | last) ^ (len << 9) ^ len) & (BLOOM_BITS - 1)
}

/// FNV-1a: fast on short words, and good enough for a table that is mostly empty.
fn hash(word: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

/// Whether `needles` occur (ignoring ASCII case) in `text[from..to]`, clamped to the text.
fn window_has(text: &str, from: usize, to: usize, needles: &[&str]) -> bool {
    let bytes = text.as_bytes();
    let window = &bytes[from.min(bytes.len())..to.min(bytes.len())];
    needles.iter().any(|n| {
        let n = n.as_bytes();
        window.len() >= n.len() && window.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    })
}

/// The theme findings of one sentence `text[start..end]`, with the margin by which their
/// polarity won (how clear the sentence is).
fn sentence_findings(
    text: &str,
    start: usize,
    end: usize,
    hits: &[Hit],
    section: Option<Polarity>,
) -> Vec<(Theme, Polarity, u32)> {
    let entries = || hits.iter().map(|h| LEXICON[h.entry].1);
    if !entries().any(Entry::names_theme) {
        return Vec::new();
    }
    // Filters: what inspectors only looked at, and what others said.
    let report_seen_before = |at: usize| {
        hits.iter().any(|h| h.start < at && matches!(LEXICON[h.entry].1, Entry::Report))
    };
    let has_report = entries().any(|e| matches!(e, Entry::Report));
    for h in hits {
        match LEXICON[h.entry].1 {
            Entry::Skip | Entry::OwnVoice => return Vec::new(),
            Entry::Say if !report_seen_before(h.start) => return Vec::new(),
            Entry::Voice if !has_report => return Vec::new(),
            _ => {}
        }
    }

    let clauses = clauses(text, start, end, hits);
    let ehcp_in_sentence = entries().any(|e| matches!(e, Entry::Ehcp));
    // The main clause's polarity, for concessive clauses without cues of their own.
    let mut main_polarity = None;
    let mut polarities = Vec::with_capacity(clauses.len());
    for clause in &clauses {
        let (strength, improvement) = weigh(&hits[clause.hits.clone()]);
        let p = decide(strength, improvement, if clause.concessive { None } else { section });
        if !clause.concessive && main_polarity.is_none() {
            main_polarity = p.map(|x| x.0);
        }
        polarities.push(p);
    }

    let mut out: Vec<(Theme, Polarity, u32)> = Vec::new();
    for (clause, decided) in clauses.iter().zip(polarities) {
        let (polarity, margin) = match (decided, clause.concessive, main_polarity) {
            (Some(d), _, _) => d,
            (None, true, Some(Polarity::Strength)) => (Polarity::Improvement, 1),
            (None, true, Some(Polarity::Improvement)) => (Polarity::Strength, 1),
            _ => continue,
        };
        let local = &hits[clause.hits.clone()];
        let ehcp_here = local.iter().any(|h| matches!(LEXICON[h.entry].1, Entry::Ehcp));
        let review_here = local.iter().any(|h| {
            matches!(LEXICON[h.entry].1, Entry::Theme(Theme::AnnualReviews, _))
                || (ehcp_in_sentence
                    && matches!(LEXICON[h.entry].1, Entry::EhcpOnly(Theme::AnnualReviews, _)))
        });
        let timing_here = local.iter().any(|h| {
            matches!(LEXICON[h.entry].1, Entry::Timing(_) | Entry::Theme(Theme::EhcpTimeliness, _))
        });
        for h in local {
            let theme = match LEXICON[h.entry].1 {
                Entry::Theme(t, _) => Some(t),
                Entry::Ehcp if timing_here => Some(Theme::EhcpTimeliness),
                Entry::Ehcp if review_here => None,
                Entry::Ehcp => Some(Theme::EhcpQuality),
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
                                h.start.saturating_sub(20),
                                h.start,
                                &["child", "young people", "pupil"],
                            )
                        }
                        Near::Adults => window_has(text, h.end, h.end + 60, &["adult"]),
                    };
                    ok.then_some(t)
                }
                _ => None,
            };
            if let Some(theme) = theme
                && !out.iter().any(|(t, p, _)| *t == theme && *p == polarity)
            {
                out.push((theme, polarity, margin));
            }
        }
    }
    out
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
fn decide(strength: u32, improvement: u32, section: Option<Polarity>) -> Option<(Polarity, u32)> {
    let cued = if improvement > 0 && improvement >= strength {
        Some((Polarity::Improvement, improvement - strength + 1))
    } else if strength > 0 {
        Some((Polarity::Strength, strength - improvement))
    } else {
        None
    };
    match (cued, section) {
        (Some((p, m)), Some(s)) if p == s => Some((p, m + 1)),
        (Some(c), _) => Some(c),
        (None, Some(s)) => Some((s, 1)),
        (None, None) => None,
    }
}

/// A clause of a sentence: the range of its hits, and whether it is concessive ("while",
/// "although", "despite").
struct Clause {
    hits: std::ops::Range<usize>,
    concessive: bool,
}

/// Cuts a sentence at contrast markers ("but", "however", ";") and around concessive
/// clauses. A concessive clause runs from its marker to the comma that starts the main
/// clause: the first comma, outside a lexicon phrase, followed by a word that can open one.
fn clauses(text: &str, start: usize, end: usize, hits: &[Hit]) -> Vec<Clause> {
    let mut cuts: Vec<(usize, bool)> = Vec::new(); // (byte offset, the clause from here is concessive)
    for (k, h) in hits.iter().enumerate() {
        match LEXICON[h.entry].1 {
            Entry::Contrast => cuts.push((h.start, false)),
            Entry::Concessive => {
                cuts.push((h.start, true));
                let next_marker = hits[k + 1..]
                    .iter()
                    .find(|x| matches!(LEXICON[x.entry].1, Entry::Contrast | Entry::Concessive))
                    .map_or(end, |x| x.start);
                if let Some(comma) = main_clause_comma(text, h.end, next_marker, hits) {
                    cuts.push((comma, false));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut from = start;
    let mut concessive = false;
    let mut first_hit = 0;
    for &(cut, next_concessive) in cuts.iter().chain(std::iter::once(&(end, false))) {
        let last_hit = first_hit + hits[first_hit..].iter().take_while(|h| h.start < cut).count();
        if cut > from || last_hit > first_hit {
            out.push(Clause { hits: first_hit..last_hit, concessive });
        }
        from = cut;
        first_hit = last_hit;
        concessive = next_concessive;
    }
    out
}

/// The comma ending a concessive clause that starts at `from`, before `to`.
fn main_clause_comma(text: &str, from: usize, to: usize, hits: &[Hit]) -> Option<usize> {
    const OPENERS: &[&str] = &[
        "they",
        "it",
        "there",
        "the",
        "this",
        "these",
        "those",
        "we",
        "he",
        "she",
        "reviews",
        "inspectors",
        "leaders",
        "many",
        "most",
        "some",
        "too",
        "not",
        "more",
        "others",
        "families",
        "parents",
        "its",
        "their",
        "that",
        "plans",
        "services",
        "support",
        "waiting",
        "there's",
        "but",
        "however",
        "access",
    ];
    let segment = &text[from..to.min(text.len())];
    let mut first = None;
    for (i, _) in segment.match_indices(',') {
        let at = from + i;
        if hits.iter().any(|h| h.start < at && at < h.end) {
            continue; // A comma inside a phrase such as "information, advice and support".
        }
        first.get_or_insert(at);
        let next: String = text[at + 1..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '\u{2019}')
            .collect::<String>()
            .to_lowercase();
        if OPENERS.contains(&next.as_str()) {
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
    /// A timing word ("timely", "delays"): EHCP timeliness beside an EHCP, else waiting times.
    Timing(Polarity),
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
            Entry::Theme(_, c) | Entry::EhcpOnly(_, c) => c,
            Entry::Timing(p) | Entry::Cue(p) => Some(p),
            _ => None,
        }
    }
}

use Polarity::{Improvement as I, Strength as S};
use Theme as T;

const fn t(theme: Theme) -> Entry {
    Entry::Theme(theme, None)
}

const fn tc(theme: Theme, cue: Polarity) -> Entry {
    Entry::Theme(theme, Some(cue))
}

/// The lexicon, matched case-insensitively at word boundaries; a trailing `*` lets a phrase
/// match as a prefix ("autis*" for "autism", "autistic").
static LEXICON: &[(&str, Entry)] = &[
    // Identifying needs.
    ("identification", t(T::IdentificationOfNeeds)),
    ("identifying need*", t(T::IdentificationOfNeeds)),
    ("identify need*", t(T::IdentificationOfNeeds)),
    ("needs are identified", t(T::IdentificationOfNeeds)),
    ("needs identified", t(T::IdentificationOfNeeds)),
    ("needs being identified", t(T::IdentificationOfNeeds)),
    ("needs were identified", t(T::IdentificationOfNeeds)),
    ("identified early", t(T::IdentificationOfNeeds)),
    ("graduated response", t(T::IdentificationOfNeeds)),
    ("graduated approach", t(T::IdentificationOfNeeds)),
    ("sen support", t(T::IdentificationOfNeeds)),
    ("send support in schools", t(T::IdentificationOfNeeds)),
    ("early help", t(T::IdentificationOfNeeds)),
    // EHCPs.
    ("ehcp", Entry::Ehcp),
    ("ehcps", Entry::Ehcp),
    ("ehc plan*", Entry::Ehcp),
    ("ehc needs assessment*", Entry::Ehcp),
    ("ehc assessment*", Entry::Ehcp),
    ("ehcna", Entry::Ehcp),
    ("ehcnas", Entry::Ehcp),
    ("education, health and care plan*", Entry::Ehcp),
    ("education, health and care (ehc) plan*", Entry::Ehcp),
    ("education, health and care needs assessment*", Entry::Ehcp),
    ("education health and care plan*", Entry::Ehcp),
    ("education and health care plan*", Entry::Ehcp),
    ("education health care plan*", Entry::Ehcp),
    ("plans", Entry::EhcpOnly(T::EhcpQuality, None)),
    ("plan", Entry::EhcpOnly(T::EhcpQuality, None)),
    ("reviews", Entry::EhcpOnly(T::AnnualReviews, None)),
    ("20-week*", t(T::EhcpTimeliness)),
    ("20 week*", t(T::EhcpTimeliness)),
    ("twenty-week*", t(T::EhcpTimeliness)),
    ("statutory timescale*", t(T::EhcpTimeliness)),
    ("statutory timeframe*", t(T::EhcpTimeliness)),
    ("annual review*", t(T::AnnualReviews)),
    // Waiting.
    ("timely", Entry::Timing(S)),
    ("timeliness", Entry::Timing(I)),
    ("delay", Entry::Timing(I)),
    ("delays", Entry::Timing(I)),
    ("delayed", Entry::Timing(I)),
    ("waiting time*", t(T::WaitingTimes)),
    ("waiting list*", t(T::WaitingTimes)),
    ("wait time*", t(T::WaitingTimes)),
    ("wait period*", t(T::WaitingTimes)),
    ("waits", t(T::WaitingTimes)),
    ("long wait*", tc(T::WaitingTimes, I)),
    ("lengthy wait*", tc(T::WaitingTimes, I)),
    ("wait for", t(T::WaitingTimes)),
    ("waiting for", t(T::WaitingTimes)),
    ("waited", t(T::WaitingTimes)),
    ("wait", t(T::WaitingTimes)),
    ("wait too long", tc(T::WaitingTimes, I)),
    ("waiting more than", tc(T::WaitingTimes, I)),
    ("to wait", t(T::WaitingTimes)),
    ("waiting too long", tc(T::WaitingTimes, I)),
    // Mental health.
    ("mental health", t(T::MentalHealth)),
    ("camhs", t(T::MentalHealth)),
    ("emotional wellbeing", t(T::MentalHealth)),
    ("emotional well-being", t(T::MentalHealth)),
    ("emotional health", t(T::MentalHealth)),
    ("wellbeing", t(T::MentalHealth)),
    ("well-being", t(T::MentalHealth)),
    ("well being", t(T::MentalHealth)),
    ("semh", t(T::MentalHealth)),
    ("inpatient", t(T::MentalHealth)),
    ("psychological", t(T::MentalHealth)),
    // Neurodevelopmental.
    ("autism", t(T::Neurodevelopmental)),
    ("autistic", t(T::Neurodevelopmental)),
    ("asd", t(T::Neurodevelopmental)),
    ("asc", t(T::Neurodevelopmental)),
    ("adhd", t(T::Neurodevelopmental)),
    ("attention deficit", t(T::Neurodevelopmental)),
    ("neurodevelopmental", t(T::Neurodevelopmental)),
    ("neurodiverse", t(T::Neurodevelopmental)),
    ("neurodiversity", t(T::Neurodevelopmental)),
    ("neurodivergent", t(T::Neurodevelopmental)),
    ("neuro-developmental", t(T::Neurodevelopmental)),
    // Therapies.
    ("speech and language", t(T::Therapies)),
    ("speech, language and communication", t(T::Therapies)),
    ("salt", t(T::Therapies)),
    ("occupational therap*", t(T::Therapies)),
    ("ot", t(T::Therapies)),
    ("physiotherapy", t(T::Therapies)),
    ("physiotherapist", t(T::Therapies)),
    ("physiotherapists", t(T::Therapies)),
    ("physio", t(T::Therapies)),
    ("therapy", t(T::Therapies)),
    ("therapies", t(T::Therapies)),
    ("therapists", t(T::Therapies)),
    ("therapist", t(T::Therapies)),
    // Equipment.
    ("wheelchair", t(T::Equipment)),
    ("wheelchairs", t(T::Equipment)),
    ("equipment", t(T::Equipment)),
    ("aids and adaptations", t(T::Equipment)),
    ("adaptations", t(T::Equipment)),
    // The Local Offer.
    ("local offer", t(T::LocalOffer)),
    // Information, advice and support.
    ("sendiass", t(T::InformationAdvice)),
    ("sendias", t(T::InformationAdvice)),
    ("iass", t(T::InformationAdvice)),
    ("information, advice and support", t(T::InformationAdvice)),
    ("information advice and support", t(T::InformationAdvice)),
    ("information, advice and guidance", t(T::InformationAdvice)),
    ("what help is available", t(T::InformationAdvice)),
    ("what support is available", t(T::InformationAdvice)),
    ("what is available", t(T::InformationAdvice)),
    ("where to get help", t(T::InformationAdvice)),
    ("how to access", t(T::InformationAdvice)),
    ("how to get help", t(T::InformationAdvice)),
    ("accessing services", t(T::InformationAdvice)),
    ("access services", t(T::InformationAdvice)),
    ("signpost", t(T::InformationAdvice)),
    ("signposting", t(T::InformationAdvice)),
    ("signposted", t(T::InformationAdvice)),
    ("communication with parents", t(T::InformationAdvice)),
    ("communication with families", t(T::InformationAdvice)),
    // Co-production.
    ("co-production", t(T::Coproduction)),
    ("coproduction", t(T::Coproduction)),
    ("co-produce", t(T::Coproduction)),
    ("co-produced", t(T::Coproduction)),
    ("co-producing", t(T::Coproduction)),
    ("coproduce", t(T::Coproduction)),
    ("coproduced", t(T::Coproduction)),
    ("coproducing", t(T::Coproduction)),
    ("parent carer*", t(T::Coproduction)),
    ("parent-carer*", t(T::Coproduction)),
    ("parent and carer forum", t(T::Coproduction)),
    ("pcf", t(T::Coproduction)),
    ("true partners", tc(T::Coproduction, S)),
    ("equal partners", tc(T::Coproduction, S)),
    ("trust with parents", t(T::Coproduction)),
    ("relationships with parents", t(T::Coproduction)),
    ("engagement with parents", t(T::Coproduction)),
    ("engagement with families", t(T::Coproduction)),
    ("consultation with families", t(T::Coproduction)),
    ("consultation with parents", t(T::Coproduction)),
    ("working with families", t(T::Coproduction)),
    ("working with parents", t(T::Coproduction)),
    // Children's voice.
    ("voice of the child", t(T::ChildVoice)),
    ("voice of children", t(T::ChildVoice)),
    ("voices of children", t(T::ChildVoice)),
    ("child's voice", t(T::ChildVoice)),
    ("children's voice*", t(T::ChildVoice)),
    ("children\u{2019}s voice*", t(T::ChildVoice)),
    ("pupil voice", t(T::ChildVoice)),
    ("youth voice", t(T::ChildVoice)),
    ("views", Entry::Near(T::ChildVoice, Near::Children)),
    ("voice", Entry::Near(T::ChildVoice, Near::Children)),
    ("voices", Entry::Near(T::ChildVoice, Near::Children)),
    ("wishes and feelings", t(T::ChildVoice)),
    // Joint working.
    ("multi-agency", t(T::JointWorking)),
    ("multiagency", t(T::JointWorking)),
    ("multi agency", t(T::JointWorking)),
    ("multi-disciplinary", t(T::JointWorking)),
    ("multidisciplinary", t(T::JointWorking)),
    ("work well together", tc(T::JointWorking, S)),
    ("works well together", tc(T::JointWorking, S)),
    ("working well together", tc(T::JointWorking, S)),
    ("worked well together", tc(T::JointWorking, S)),
    ("work together", t(T::JointWorking)),
    ("working together", t(T::JointWorking)),
    ("partnership working", t(T::JointWorking)),
    ("partnership work", t(T::JointWorking)),
    ("joined-up", t(T::JointWorking)),
    ("joined up", t(T::JointWorking)),
    ("integrated working", t(T::JointWorking)),
    ("joint working", t(T::JointWorking)),
    ("working jointly", t(T::JointWorking)),
    ("information sharing", t(T::JointWorking)),
    // The outcome-2 wording and its echoes are boilerplate, not a finding on joint working.
    ("work jointly to make", Entry::Neutral),
    ("work together to make", Entry::Neutral),
    // Joint commissioning.
    ("joint commissioning", t(T::JointCommissioning)),
    ("jointly commission*", t(T::JointCommissioning)),
    ("commissioned jointly", t(T::JointCommissioning)),
    ("joint commissioner*", t(T::JointCommissioning)),
    ("commissioning arrangements", t(T::JointCommissioning)),
    // Leadership.
    ("leaders", t(T::Leadership)),
    ("leaders'", t(T::Leadership)),
    ("leader's", t(T::Leadership)),
    ("leader\u{2019}s", t(T::Leadership)),
    ("leadership", t(T::Leadership)),
    ("strategic direction", t(T::Leadership)),
    ("strategic leadership", t(T::Leadership)),
    ("strategy", t(T::Leadership)),
    ("pace of change", t(T::Leadership)),
    ("pace of improvement*", t(T::Leadership)),
    ("capacity of the local area", t(T::Leadership)),
    ("governance", t(T::Leadership)),
    ("leader of the council", Entry::Neutral),
    // A recommendation addressed to leaders is about its object, not about leadership.
    ("leaders should", Entry::Cue(I)),
    ("leaders must", Entry::Cue(I)),
    ("leaders need to", Entry::Cue(I)),
    ("leaders needs to", Entry::Cue(I)),
    ("leaders to", Entry::Neutral),
    ("council leader", Entry::Neutral),
    // Quality assurance.
    ("quality assurance", t(T::QualityAssurance)),
    ("quality assur*", t(T::QualityAssurance)),
    ("evaluate the impact", t(T::QualityAssurance)),
    ("evaluating the impact", t(T::QualityAssurance)),
    ("evaluate the effectiveness", t(T::QualityAssurance)),
    ("self-evaluation", t(T::QualityAssurance)),
    ("self evaluation", t(T::QualityAssurance)),
    ("qualitative and quantitative", t(T::QualityAssurance)),
    ("data", t(T::QualityAssurance)),
    ("performance information", t(T::QualityAssurance)),
    // Preparing for adulthood.
    ("preparing for adulthood", t(T::PreparingForAdulthood)),
    ("preparation for adulthood", t(T::PreparingForAdulthood)),
    ("pfa", t(T::PreparingForAdulthood)),
    ("adult services", t(T::PreparingForAdulthood)),
    ("adults' services", t(T::PreparingForAdulthood)),
    ("adults\u{2019} services", t(T::PreparingForAdulthood)),
    ("adult social care", t(T::PreparingForAdulthood)),
    ("adulthood", t(T::PreparingForAdulthood)),
    ("independent living", t(T::PreparingForAdulthood)),
    ("supported employment", t(T::PreparingForAdulthood)),
    ("transition", Entry::Near(T::PreparingForAdulthood, Near::Adults)),
    ("transitions", Entry::Near(T::PreparingForAdulthood, Near::Adults)),
    // Post-16.
    ("post-16", t(T::Post16)),
    ("post 16", t(T::Post16)),
    ("post16", t(T::Post16)),
    ("post-19", t(T::Post16)),
    ("neet", t(T::Post16)),
    ("not in employment, education or training", t(T::Post16)),
    ("not in education, employment or training", t(T::Post16)),
    ("further education", t(T::Post16)),
    ("college", t(T::Post16)),
    ("colleges", t(T::Post16)),
    ("apprenticeship", t(T::Post16)),
    ("apprenticeships", t(T::Post16)),
    ("supported internship*", t(T::Post16)),
    // Exclusions and inclusion.
    ("exclusion", t(T::ExclusionsInclusion)),
    ("exclusions", t(T::ExclusionsInclusion)),
    ("excluded", t(T::ExclusionsInclusion)),
    ("inclusion", t(T::ExclusionsInclusion)),
    ("inclusive", t(T::ExclusionsInclusion)),
    ("attendance", t(T::ExclusionsInclusion)),
    ("missing education", t(T::ExclusionsInclusion)),
    ("missing from education", t(T::ExclusionsInclusion)),
    ("persistent absence", t(T::ExclusionsInclusion)),
    ("part-time timetable*", t(T::ExclusionsInclusion)),
    ("reduced timetable*", t(T::ExclusionsInclusion)),
    ("off-rolling", t(T::ExclusionsInclusion)),
    ("elective home education", t(T::ExclusionsInclusion)),
    // Alternative provision.
    ("alternative provision*", t(T::AlternativeProvision)),
    ("pupil referral unit*", t(T::AlternativeProvision)),
    ("pru", t(T::AlternativeProvision)),
    ("prus", t(T::AlternativeProvision)),
    // Children in care.
    ("children in care", t(T::ChildrenInCare)),
    ("child in care", t(T::ChildrenInCare)),
    ("young people in care", t(T::ChildrenInCare)),
    ("looked after", t(T::ChildrenInCare)),
    ("looked-after", t(T::ChildrenInCare)),
    ("care leavers", t(T::ChildrenInCare)),
    ("virtual school", t(T::ChildrenInCare)),
    ("foster care", t(T::ChildrenInCare)),
    // Safeguarding.
    ("safeguarding", t(T::Safeguarding)),
    ("safeguard", t(T::Safeguarding)),
    ("child protection", t(T::Safeguarding)),
    ("exploitation", t(T::Safeguarding)),
    ("at risk of harm", t(T::Safeguarding)),
    // Early years.
    ("early years", t(T::EarlyYears)),
    ("early-years", t(T::EarlyYears)),
    ("nursery", t(T::EarlyYears)),
    ("nurseries", t(T::EarlyYears)),
    ("pre-school", t(T::EarlyYears)),
    ("preschool", t(T::EarlyYears)),
    ("portage", t(T::EarlyYears)),
    ("transitioning children into school", t(T::EarlyYears)),
    ("transition into school", t(T::EarlyYears)),
    ("starting school", t(T::EarlyYears)),
    ("school readiness", t(T::EarlyYears)),
    // Short breaks.
    ("short break*", t(T::ShortBreaks)),
    ("respite", t(T::ShortBreaks)),
    ("holiday club*", t(T::ShortBreaks)),
    ("holiday activit*", t(T::ShortBreaks)),
    ("holiday provision", t(T::ShortBreaks)),
    ("clubs and activities", t(T::ShortBreaks)),
    ("activities during the holidays", t(T::ShortBreaks)),
    ("leisure activities", t(T::ShortBreaks)),
    // Specialist places.
    ("placements", t(T::PlacementSufficiency)),
    ("placement sufficiency", t(T::PlacementSufficiency)),
    ("specialist places", t(T::PlacementSufficiency)),
    ("specialist school places", t(T::PlacementSufficiency)),
    ("special school places", t(T::PlacementSufficiency)),
    ("specialist provision", t(T::PlacementSufficiency)),
    ("sufficiency", t(T::PlacementSufficiency)),
    ("out-of-area", t(T::PlacementSufficiency)),
    ("out of area", t(T::PlacementSufficiency)),
    ("resource base*", t(T::PlacementSufficiency)),
    // Transport.
    ("home-to-school transport", t(T::Transport)),
    ("home to school transport", t(T::Transport)),
    ("school transport", t(T::Transport)),
    ("transport", t(T::Transport)),
    ("travel assistance", t(T::Transport)),
    ("travel training", t(T::Transport)),
    // Workforce.
    ("staff changes", t(T::Workforce)),
    ("staffing", t(T::Workforce)),
    ("staff turnover", t(T::Workforce)),
    ("turnover", t(T::Workforce)),
    ("recruit", t(T::Workforce)),
    ("recruitment", t(T::Workforce)),
    ("recruiting", t(T::Workforce)),
    ("recruited", t(T::Workforce)),
    ("retention", t(T::Workforce)),
    ("workforce", t(T::Workforce)),
    ("vacancies", t(T::Workforce)),
    ("caseload", t(T::Workforce)),
    ("caseloads", t(T::Workforce)),
    ("capacity", t(T::Workforce)),
    ("staff training", t(T::Workforce)),
    ("training for staff", t(T::Workforce)),
    ("workforce development", t(T::Workforce)),
    // Strength cues.
    ("strong", Entry::Cue(S)),
    ("stronger", Entry::Cue(S)),
    ("strength", Entry::Cue(S)),
    ("strengths", Entry::Cue(S)),
    ("strengthened", Entry::Cue(S)),
    ("effective", Entry::Cue(S)),
    ("effectively", Entry::Cue(S)),
    ("well", Entry::Cue(S)),
    ("praise", Entry::Cue(S)),
    ("praised", Entry::Cue(S)),
    ("recognised", Entry::Cue(S)),
    ("recognized", Entry::Cue(S)),
    ("recognises", Entry::Cue(S)),
    ("highly regarded", Entry::Cue(S)),
    ("highly valued", Entry::Cue(S)),
    ("valued", Entry::Cue(S)),
    ("positive", Entry::Cue(S)),
    ("positively", Entry::Cue(S)),
    ("high quality", Entry::Cue(S)),
    ("high-quality", Entry::Cue(S)),
    ("improved", Entry::Cue(S)),
    ("improving", Entry::Cue(S)),
    ("smooth", Entry::Cue(S)),
    ("good", Entry::Cue(S)),
    ("better", Entry::Cue(S)),
    ("best", Entry::Cue(S)),
    ("excellent", Entry::Cue(S)),
    ("outstanding", Entry::Cue(S)),
    ("successful", Entry::Cue(S)),
    ("successfully", Entry::Cue(S)),
    ("success", Entry::Cue(S)),
    ("acknowledged", Entry::Cue(S)),
    ("acknowledgement", Entry::Cue(S)),
    ("commended", Entry::Cue(S)),
    ("comprehensive", Entry::Cue(S)),
    ("efficient", Entry::Cue(S)),
    ("impressive", Entry::Cue(S)),
    ("robust", Entry::Cue(S)),
    ("thorough", Entry::Cue(S)),
    ("accurate", Entry::Cue(S)),
    ("accurately", Entry::Cue(S)),
    ("ambitious", Entry::Cue(S)),
    ("breath of fresh air", Entry::Cue(S)),
    ("at the heart of", Entry::Cue(S)),
    ("welcomed", Entry::Cue(S)),
    ("innovative", Entry::Cue(S)),
    ("well-established", Entry::Cue(S)),
    ("well established", Entry::Cue(S)),
    ("taking advantage", Entry::Cue(S)),
    ("more families", Entry::Cue(S)),
    ("helpful", Entry::Cue(S)),
    // Improvement cues.
    ("too", Entry::Cue(I)),
    ("lengthy", Entry::Cue(I)),
    ("not", Entry::Cue(I)),
    ("don't", Entry::Cue(I)),
    ("don\u{2019}t", Entry::Cue(I)),
    ("doesn't", Entry::Cue(I)),
    ("doesn\u{2019}t", Entry::Cue(I)),
    ("isn't", Entry::Cue(I)),
    ("isn\u{2019}t", Entry::Cue(I)),
    ("aren't", Entry::Cue(I)),
    ("aren\u{2019}t", Entry::Cue(I)),
    ("can't", Entry::Cue(I)),
    ("can\u{2019}t", Entry::Cue(I)),
    ("cannot", Entry::Cue(I)),
    ("haven't", Entry::Cue(I)),
    ("haven\u{2019}t", Entry::Cue(I)),
    ("hasn't", Entry::Cue(I)),
    ("hasn\u{2019}t", Entry::Cue(I)),
    ("didn't", Entry::Cue(I)),
    ("didn\u{2019}t", Entry::Cue(I)),
    ("never", Entry::Cue(I)),
    ("lack", Entry::Cue(I)),
    ("lack of", Entry::Cue(I)),
    ("lacking", Entry::Cue(I)),
    ("lacks", Entry::Cue(I)),
    ("limited", Entry::Cue(I)),
    ("needs to", Entry::Cue(I)),
    ("need to", Entry::Cue(I)),
    ("needed to", Entry::Cue(I)),
    ("must", Entry::Cue(I)),
    ("should", Entry::Cue(I)),
    ("areas for improvement", Entry::Cue(I)),
    ("area for improvement", Entry::Cue(I)),
    ("areas needing improvement", Entry::Cue(I)),
    ("room for improvement", Entry::Cue(I)),
    ("further improvement*", Entry::Cue(I)),
    ("improvement is needed", Entry::Cue(I)),
    ("improvements are needed", Entry::Cue(I)),
    ("areas for development", Entry::Cue(I)),
    ("keen to see", Entry::Cue(I)),
    ("strengthen", Entry::Cue(I)),
    ("strengthening", Entry::Cue(I)),
    ("underdeveloped", Entry::Cue(I)),
    ("under-developed", Entry::Cue(I)),
    ("unacceptable", Entry::Cue(I)),
    ("unacceptably", Entry::Cue(I)),
    ("inconsistent", Entry::Cue(I)),
    ("inconsistency", Entry::Cue(I)),
    ("inconsistencies", Entry::Cue(I)),
    ("variable", Entry::Cue(I)),
    ("variability", Entry::Cue(I)),
    ("weak", Entry::Cue(I)),
    ("weakness", Entry::Cue(I)),
    ("weaknesses", Entry::Cue(I)),
    ("concern", Entry::Cue(I)),
    ("concerns", Entry::Cue(I)),
    ("concerned", Entry::Cue(I)),
    ("confused", Entry::Cue(I)),
    ("confusion", Entry::Cue(I)),
    ("unclear", Entry::Cue(I)),
    ("fail", Entry::Cue(I)),
    ("fails", Entry::Cue(I)),
    ("failed", Entry::Cue(I)),
    ("failing", Entry::Cue(I)),
    ("failings", Entry::Cue(I)),
    ("failure", Entry::Cue(I)),
    ("failures", Entry::Cue(I)),
    ("could also be more", Entry::Cue(I)),
    ("could be more", Entry::Cue(I)),
    ("poor", Entry::Cue(I)),
    ("poorly", Entry::Cue(I)),
    ("insufficient", Entry::Cue(I)),
    ("inadequate", Entry::Cue(I)),
    ("slow", Entry::Cue(I)),
    ("slowed", Entry::Cue(I)),
    ("difficult", Entry::Cue(I)),
    ("difficulty", Entry::Cue(I)),
    ("difficulties", Entry::Cue(I)),
    ("struggle", Entry::Cue(I)),
    ("struggles", Entry::Cue(I)),
    ("struggling", Entry::Cue(I)),
    ("struggled", Entry::Cue(I)),
    ("frustration", Entry::Cue(I)),
    ("frustrated", Entry::Cue(I)),
    ("frustrating", Entry::Cue(I)),
    ("criticised", Entry::Cue(I)),
    ("criticized", Entry::Cue(I)),
    ("shortage", Entry::Cue(I)),
    ("shortages", Entry::Cue(I)),
    ("shortfall", Entry::Cue(I)),
    ("shortfalls", Entry::Cue(I)),
    ("undermined", Entry::Cue(I)),
    ("warned", Entry::Cue(I)),
    ("problems", Entry::Cue(I)),
    ("gaps in", Entry::Cue(I)),
    ("yet to", Entry::Cue(I)),
    ("not yet", Entry::Cue(I)),
    ("let down", Entry::Cue(I)),
    ("no longer", Entry::Cue(I)),
    ("rising", Entry::Cue(I)),
    // Clause markers.
    ("but", Entry::Contrast),
    ("however", Entry::Contrast),
    ("whereas", Entry::Contrast),
    (";", Entry::Contrast),
    ("while", Entry::Concessive),
    ("whilst", Entry::Concessive),
    ("although", Entry::Concessive),
    ("even though", Entry::Concessive),
    ("despite", Entry::Concessive),
    ("in spite of", Entry::Concessive),
    // What inspectors looked at, and what is planned, are not findings.
    ("looked at", Entry::Skip),
    ("look at", Entry::Skip),
    ("looks at", Entry::Skip),
    ("will look", Entry::Skip),
    ("will examine", Entry::Skip),
    ("examined", Entry::Skip),
    ("to judge how", Entry::Skip),
    ("to evaluate how", Entry::Skip),
    ("to assess how", Entry::Skip),
    ("to see how", Entry::Skip),
    ("focused on", Entry::Skip),
    ("will be", Entry::Skip),
    ("will now", Entry::Skip),
    ("will continue", Entry::Skip),
    ("plans to", Entry::Skip),
    ("action plan", Entry::Skip),
    ("improvement plan", Entry::Skip),
    ("national average", Entry::Skip),
    ("plans for a new", Entry::Skip),
    ("ombudsman", Entry::Skip),
    ("delayed until", Entry::Cue(I)),
    ("per cent", Entry::Skip),
    ("%", Entry::Skip),
    ("praised by families", Entry::Skip),
    ("praised by several families", Entry::Skip),
    ("praised by parents", Entry::Skip),
    // Voices.
    ("said", Entry::Say),
    ("says", Entry::Say),
    ("say", Entry::Say),
    ("added", Entry::Say),
    ("adds", Entry::Say),
    ("commented", Entry::Say),
    ("explained", Entry::Say),
    ("told", Entry::Say),
    ("said to be", Entry::Neutral),
    ("we", Entry::Voice),
    ("i", Entry::OwnVoice),
    ("i m", Entry::OwnVoice),
    ("i\u{2019}m", Entry::OwnVoice),
    ("my", Entry::OwnVoice),
    ("our", Entry::Voice),
    ("inspector", Entry::Report),
    ("inspectors", Entry::Report),
    ("report", Entry::Report),
    ("reports", Entry::Report),
    ("reported", Entry::Report),
    ("letter", Entry::Report),
    ("ofsted", Entry::Report),
    ("cqc", Entry::Report),
    ("care quality commission", Entry::Report),
    ("inspection", Entry::Report),
    ("it says", Entry::Report),
    ("it said", Entry::Report),
    ("it found", Entry::Report),
    ("found", Entry::Report),
    // Phrases that would otherwise read wrongly.
    ("as well as", Entry::Neutral),
    ("strengths and weaknesses", Entry::Neutral),
    ("strengths and areas for improvement", Entry::Neutral),
    ("while they wait", Entry::Neutral),
    ("while families wait", Entry::Neutral),
    ("how well", Entry::Neutral),
    ("not only", Entry::Neutral),
    ("whether or not", Entry::Neutral),
    ("if not", Entry::Neutral),
    ("improvements that have been made", Entry::Cue(S)),
    ("improvements made", Entry::Cue(S)),
    ("good progress", Entry::Cue(S)),
];

static INDEX: LazyLock<Index> = LazyLock::new(Index::build);

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

    /// Mean time per article over the benchmark corpus (run with `--ignored --nocapture`).
    #[test]
    #[ignore]
    fn measures_speed_on_the_corpus() {
        let Ok(dir) = std::fs::read_dir("/tmp/corpus-10k") else { return };
        let articles: Vec<Vec<String>> = dir
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .map(|t| {
                t.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
            })
            .collect();
        let start = std::time::Instant::now();
        let found: usize = articles.iter().map(|a| find(a).len()).sum();
        let mean = start.elapsed().as_secs_f64() * 1e6 / articles.len().max(1) as f64;
        println!("{} articles, {found} findings, mean {mean:.1} µs per article", articles.len());
    }
}
