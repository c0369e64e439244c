//! Snippets for search hits: the best passage of an article for a query's terms, with the
//! matches marked.
//!
//! The passage is the one tantivy's `SnippetGenerator` chooses (tested against it): the text
//! is cut into runs of words at most [`Highlighter::new`]'s `max_bytes` long, each run scores
//! the sum of its matching words' term scores, and the best run wins, the earliest among
//! equals. What differs is the cost. tantivy runs every word through an analyser,
//! lower-cases a second copy and looks it up in an ordered map of strings. Here a
//! vectorised search of the lower-cased text finds the few places where a word could stem
//! to a term (its opening is one a term keeps, see [`candidate_finder`]), only those words
//! are stemmed, and the runs' boundaries are found by looking just where each must be,
//! `max_bytes` after the last. Texts the search cannot be trusted with (non-ASCII terms,
//! the Kelvin sign) are split word by word instead, with [`Gate`] ruling most words out
//! before any copy; a test holds the two ways to the same answers.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind, packed};
use tantivy::Score;

use super::analyser::{Gate, MAX_TOKEN_BYTES, stem_into};

/// Finds and marks passages for one query's terms. Made once per search, used per hit.
pub struct Highlighter {
    /// Each term's text (a stem, as the index holds it) and its score.
    terms: Vec<(String, Score)>,
    /// The two-byte openings of the terms.
    gate: Gate,
    stemmer: frostem::Stemmer,
    /// A word lower-cased, and its stem.
    lower: String,
    stem: String,
    max_bytes: usize,
    /// Finds where a matching word could start (see [`candidate_finder`]); `None` when some
    /// term is not ASCII, and then every word is looked at.
    finder: Option<Finder>,
    /// The text being searched, ASCII lower-cased.
    folded: Vec<u8>,
}

/// The best passage of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// The passage itself.
    pub text: String,
    /// Byte ranges of the matching words in `text`, in order, never overlapping.
    pub highlighted: Vec<Range<usize>>,
}

/// One run of words being scored.
#[derive(Default)]
struct Run {
    score: Score,
    start: usize,
    stop: usize,
    highlighted: Vec<Range<usize>>,
}

impl Run {
    fn restart(&mut self, start: usize) {
        self.score = 0.0;
        self.start = start;
        self.stop = start;
        self.highlighted.clear();
    }
}

impl Highlighter {
    /// A highlighter for `terms` (term text → score) in passages of at most `max_bytes`.
    pub fn new(terms: BTreeMap<String, Score>, max_bytes: usize) -> Highlighter {
        Highlighter {
            gate: Gate::of(terms.keys().map(String::as_str)),
            finder: candidate_finder(terms.keys().map(String::as_str)),
            folded: Vec::new(),
            terms: terms.into_iter().collect(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            lower: String::new(),
            stem: String::new(),
            max_bytes,
        }
    }

    /// The best passage of `text`, or `None` when no word of it matches a term.
    pub fn passage(&mut self, text: &str) -> Option<Passage> {
        if self.terms.is_empty() {
            return None;
        }
        // The Kelvin sign is the one non-ASCII letter that lower-cases to an ASCII one, so
        // an ASCII search could miss a word containing it.
        match self.finder.take() {
            Some(finder) if !text.contains('\u{212A}') => {
                let passage = self.passage_by_candidates(&finder, text);
                self.finder = Some(finder);
                passage
            }
            finder => {
                self.finder = finder;
                self.passage_by_words(text)
            }
        }
    }

    /// [`Highlighter::passage`] by looking at every word of `text`.
    fn passage_by_words(&mut self, text: &str) -> Option<Passage> {
        let mut run = Run::default();
        let mut best = Run::default();
        let mut found = false;
        for word in words(text) {
            if word.len() >= MAX_TOKEN_BYTES {
                continue; // The index drops such words too.
            }
            if word.end - run.start > self.max_bytes {
                if run.score > 0.0 && (!found || run.score > best.score) {
                    std::mem::swap(&mut run, &mut best);
                    found = true;
                }
                run.restart(word.start);
            }
            run.stop = word.end;
            if let Some(score) = self.score(&text[word.clone()]) {
                run.score += score;
                run.highlighted.push(word);
            }
        }
        if run.score > 0.0 && (!found || run.score > best.score) {
            best = run;
            found = true;
        }
        if !found {
            return None;
        }
        let start = best.start;
        Some(Passage {
            text: text[start..best.stop].to_string(),
            highlighted: best.highlighted.iter().map(|r| r.start - start..r.end - start).collect(),
        })
    }

    /// [`Highlighter::passage`] by looking only at the words `finder` points to, then
    /// walking the runs' boundaries from one to the next. Each boundary is found where it
    /// must be, `max_bytes` after the run's start, so the words between are never split.
    fn passage_by_candidates(&mut self, finder: &Finder, text: &str) -> Option<Passage> {
        let bytes = text.as_bytes();
        // The matching words, in order.
        let mut matches: Vec<(Range<usize>, Score)> = Vec::new();
        let mut examined = 0;
        // Searched lower-cased (ASCII only, so every byte stays where it is), which lets the
        // finder use its vectorised search.
        let mut folded = std::mem::take(&mut self.folded);
        folded.clear();
        folded.extend_from_slice(bytes);
        folded.make_ascii_lowercase();
        for start in finder.starts(&folded) {
            if start < examined || !is_word_start(text, start) {
                continue;
            }
            let end = word_end(text, start);
            examined = end;
            if end - start >= MAX_TOKEN_BYTES {
                continue; // The index drops such words too.
            }
            if let Some(score) = self.score(&text[start..end]) {
                matches.push((start..end, score));
            }
        }
        self.folded = folded;
        if matches.is_empty() {
            return None;
        }
        // The runs, from the first to the one holding the last match. A run starts at 0 or
        // at a word (ending at `first_end`) and takes every word until the first one ending
        // more than `max_bytes` after its start, which starts the next run.
        let (mut start, mut first_end) = (0, 0);
        let mut next_match = 0;
        let mut best: Option<(Score, usize, Range<usize>, usize)> = None;
        loop {
            let next = self.next_run(text, start, first_end);
            let limit = next.as_ref().map_or(bytes.len(), |word| word.start);
            let from = next_match;
            let mut score = 0.0;
            while next_match < matches.len() && matches[next_match].0.start < limit {
                score += matches[next_match].1;
                next_match += 1;
            }
            if score > 0.0 && best.as_ref().is_none_or(|(best, ..)| score > *best) {
                best = Some((score, start, from..next_match, limit));
            }
            match next {
                Some(word) if next_match < matches.len() => {
                    (start, first_end) = (word.start, word.end)
                }
                _ => break,
            }
        }
        let (_, start, chosen, limit) = best?;
        // The run stops at the end of its last word.
        let stop = last_word_end(text, start, limit);
        Some(Passage {
            text: text[start..stop].to_string(),
            highlighted: matches[chosen]
                .iter()
                .map(|(word, _)| word.start - start..word.end - start)
                .collect(),
        })
    }

    /// The word that starts the run after the one starting at `start`, whose first word
    /// ends at `first_end` (0 for the run at the start of the text): the first later word
    /// ending more than `max_bytes` after `start`.
    fn next_run(&self, text: &str, start: usize, first_end: usize) -> Option<Range<usize>> {
        let mut at = start + self.max_bytes;
        if at >= text.len() {
            return None;
        }
        if at < first_end {
            at = first_end;
        } else {
            // A word holding byte `at` ends after it: go back to its start.
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if text[at..].chars().next().is_some_and(char::is_alphanumeric) {
                at = word_start(text, at);
            }
        }
        words(&text[at..])
            .find(|word| word.len() < MAX_TOKEN_BYTES)
            .map(|word| word.start + at..word.end + at)
    }

    /// The score of the term `word` analyses to, if it is one of the query's: `word`
    /// lower-cased and stemmed as the index's analyser does, but only when its opening
    /// could lead to a term.
    fn score(&mut self, word: &str) -> Option<Score> {
        // Most words are ruled out by their opening, before any copy.
        if word.len() > 2 && self.gate.admits_unlowered(word) == Some(false) {
            return None;
        }
        self.lower.clear();
        if word.is_ascii() {
            self.lower.push_str(word);
            self.lower.make_ascii_lowercase();
        } else {
            // As tantivy's LowerCaser: char by char, without the final-sigma rule.
            self.lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        // Words of one or two bytes are their own stems, as in the analyser.
        let analysed = if self.lower.len() <= 2 {
            self.lower.as_str()
        } else if self.gate.admits(&self.lower) {
            stem_into(&self.stemmer, &self.lower, &mut self.stem);
            self.stem.as_str()
        } else {
            return None;
        };
        self.terms.iter().find(|(term, _)| term == analysed).map(|(_, score)| *score)
    }
}

/// A finder for where a word matching one of `terms` (stems, as the index holds them) could
/// start: a search of the ASCII lower-cased text for each term's opening, as long as stemming
/// leaves it in place. English stemming rewrites only the last letters of a word, and a
/// stem's last letter may be one of them ("possibility" → "possibl"), so a stem of four
/// bytes or more keeps its first three, one of three bytes its first two (as [`Gate`]
/// relies on), and a shorter one is the whole word. The one exception, a letter and
/// "ying(s)" ("dying" → "die"), is searched for whole. `None` when a term is not ASCII:
/// then only decoding each word can tell.
fn candidate_finder<'a>(terms: impl IntoIterator<Item = &'a str>) -> Option<Finder> {
    let openings = openings(terms)?;
    let packed = packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(&openings)
        .build();
    match packed {
        Some(searcher) => Some(Finder::Packed(searcher)),
        None => Finder::automaton(&openings),
    }
}

/// The strings [`candidate_finder`] searches for, or `None` when a term is not ASCII.
fn openings<'a>(terms: impl IntoIterator<Item = &'a str>) -> Option<BTreeSet<String>> {
    let mut openings = BTreeSet::new();
    for term in terms {
        if !term.is_ascii() || term.is_empty() {
            return None;
        }
        openings.insert(kept_opening(term).to_string());
        // One letter and "ying(s)" stems to that letter and "ie" ("dying" → "die").
        if let Some(letter) = term.strip_suffix("ie").filter(|l| l.len() == 1) {
            openings.insert(format!("{letter}ying"));
        }
    }
    Some(openings)
}

/// A search for a handful of short strings: vectorised (Teddy) where the processor allows,
/// which is also far cheaper to build than an automaton, made once per search.
enum Finder {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Finder {
    /// The portable search, for processors without Teddy.
    fn automaton(openings: &BTreeSet<String>) -> Option<Finder> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(openings)
            .ok()
            .map(Finder::Automaton)
    }

    /// Where the strings are found in `haystack`, leftmost first, without overlaps.
    fn starts<'a>(&'a self, haystack: &'a [u8]) -> Box<dyn Iterator<Item = usize> + 'a> {
        match self {
            Finder::Packed(searcher) => Box::new(searcher.find_iter(haystack).map(|m| m.start())),
            Finder::Automaton(automaton) => {
                Box::new(automaton.find_iter(haystack).map(|m| m.start()))
            }
        }
    }
}

/// The opening of a stem that every word stemming to it starts with (ASCII case aside),
/// but for a letter and "ying(s)": see [`candidate_finder`].
fn kept_opening(stem: &str) -> &str {
    let keep = if stem.len() <= 2 { stem.len() } else { (stem.len() - 1).min(3) };
    &stem[..keep]
}

/// Whether a word of `text` starts at byte `at` (a character boundary).
fn is_word_start(text: &str, at: usize) -> bool {
    let is_word = match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => ASCII_WORD[usize::from(b)],
        _ => text[at..].chars().next().is_some_and(char::is_alphanumeric),
    };
    is_word && !text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

/// The start of the word holding the character at `at`.
fn word_start(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[..at].chars().next_back().filter(|c| c.is_alphanumeric()) {
        at -= c.len_utf8();
    }
    at
}

/// The end of the word starting at `start`.
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    loop {
        while at < bytes.len() && bytes[at] < 0x80 && ASCII_WORD[usize::from(bytes[at])] {
            at += 1;
        }
        match text[at..].chars().next() {
            Some(c) if !c.is_ascii() && c.is_alphanumeric() => at += c.len_utf8(),
            _ => return at,
        }
    }
}

/// The end of the last word the index keeps (shorter than [`MAX_TOKEN_BYTES`]) between
/// `start` and `limit`.
fn last_word_end(text: &str, start: usize, limit: usize) -> usize {
    let mut at = limit;
    loop {
        while let Some(c) = text[..at].chars().next_back().filter(|c| !c.is_alphanumeric()) {
            at -= c.len_utf8();
        }
        let end = at;
        at = word_start(text, at);
        if end - at < MAX_TOKEN_BYTES || at <= start {
            return end;
        }
    }
}

/// The byte ranges of the words of `text` as tantivy's simple tokenizer finds them: runs of
/// alphanumeric characters. ASCII bytes are classified by a table, in a tight loop; other
/// characters are decoded.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip to the next word.
        loop {
            while at < bytes.len() && bytes[at] < 0x80 && !ASCII_WORD[usize::from(bytes[at])] {
                at += 1;
            }
            if at >= bytes.len() {
                return None;
            }
            if bytes[at] < 0x80 {
                break;
            }
            let c = text[at..].chars().next().unwrap_or(' ');
            if c.is_alphanumeric() {
                break;
            }
            at += c.len_utf8();
        }
        let start = at;
        at = word_end(text, start);
        Some(start..at)
    })
}

/// Which ASCII bytes are word characters (letters and digits).
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

impl Passage {
    /// The passage as HTML: escaped, with each match in `<b>`.
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(self.text.len() + 7 * self.highlighted.len());
        let mut from = 0;
        for range in &self.highlighted {
            escape_into(&mut html, &self.text[from..range.start]);
            html.push_str("<b>");
            escape_into(&mut html, &self.text[range.clone()]);
            html.push_str("</b>");
            from = range.end;
        }
        escape_into(&mut html, &self.text[from..]);
        html
    }
}

/// Appends `text` to `out`, escaped for HTML text and attribute values.
pub fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(escaped);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, TEXT};
    use tantivy::snippet::SnippetGenerator;

    use super::*;

    const ARTICLE: &str = "Inspectors found that waiting times for autism assessments were too long. \
        Parents said that they had waited for years.\n\nThe local area partnership's SEND \
        arrangements lead to inconsistent experiences & outcomes <for> children; \"waits\" \
        are improving.\n\nEducation, health and care plans (EHCPs) are of variable quality. \
        Ünïcödé waiting rooms. The council said waiting lists were falling, and that the \
        waiting time for speech and language therapy had halved. Inspectors will return. \
        DYING Lying tYing 1990s a1 Supercalifragilisticexpialidociousandevenlongerthanforty \
        Waiting ΣΊΣΥΦΟΣ Straße WAITING.";

    fn tantivy_snippet(
        terms: &BTreeMap<String, Score>,
        max: usize,
        text: &str,
    ) -> (String, Vec<Range<usize>>, String) {
        let field = Schema::builder().add_text_field("body", TEXT);
        let analyser = crate::index::analyser::highlighter(terms.keys().map(String::as_str));
        let generator = SnippetGenerator::new(terms.clone(), analyser, field, max);
        let snippet = generator.snippet(text);
        (snippet.fragment().to_string(), snippet.highlighted().to_vec(), snippet.to_html())
    }

    #[test]
    fn chooses_and_marks_what_tantivy_chooses() {
        let sets: [&[(&str, Score)]; 9] = [
            &[("wait", 0.5), ("time", 0.25)],
            &[("inspector", 0.1)],
            &[("ehcp", 1.0), ("plan", 0.3), ("educ", 0.2)],
            &[("waiting", 0.5)],
            &[("ünïcödé", 0.5), ("wait", 0.1)],
            &[("nothing", 1.0)],
            &[("die", 1.0), ("lie", 0.5), ("tie", 0.2), ("vie", 0.1)],
            &[("straß", 1.0), ("σίσυφοσ", 0.5), ("1990s", 0.2), ("a1", 0.1)],
            &[("supercalifragilisticexpialidociousandevenlongerthanforti", 1.0), ("wait", 0.1)],
        ];
        let mut texts = vec![ARTICLE.to_string()];
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
        for entry in std::fs::read_dir(seeds).unwrap() {
            if let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) {
                texts.push(text);
            }
        }
        assert!(texts.len() > 5, "the seed articles are read");
        let more: [&[(&str, Score)]; 3] = [
            &[("inspector", 0.3), ("send", 0.2)],
            &[("ehcp", 1.0), ("educ", 0.2), ("health", 0.1), ("care", 0.1), ("plan", 0.1)],
            &[("parent", 0.5), ("carer", 0.5), ("forum", 0.5)],
        ];
        for text in &texts[1..] {
            for terms in more {
                let terms: BTreeMap<String, Score> =
                    terms.iter().map(|(t, s)| (t.to_string(), *s)).collect();
                let (fragment, highlighted, _) = tantivy_snippet(&terms, 240, text);
                let ours = Highlighter::new(terms.clone(), 240).passage(text);
                let ours = ours.map(|p| (p.text, p.highlighted)).unwrap_or_default();
                assert_eq!(ours, (fragment, highlighted), "{terms:?}");
            }
        }
        for terms in sets {
            let terms: BTreeMap<String, Score> =
                terms.iter().map(|(t, s)| (t.to_string(), *s)).collect();
            for max in [20, 60, 150, 240, 10_000] {
                let (fragment, highlighted, html) = tantivy_snippet(&terms, max, ARTICLE);
                let ours = Highlighter::new(terms.clone(), max).passage(ARTICLE);
                match ours {
                    None => assert!(
                        highlighted.is_empty(),
                        "{terms:?} {max}: tantivy found {fragment:?}"
                    ),
                    Some(passage) => {
                        assert_eq!(passage.text, fragment, "{terms:?} {max}");
                        assert_eq!(passage.highlighted, highlighted, "{terms:?} {max}");
                        assert_eq!(
                            passage.to_html(),
                            html.replace("&#x27;", "&#39;"),
                            "{terms:?} {max}"
                        );
                    }
                }
            }
        }
    }

    /// Both ways of finding a passage agree, on texts made to trip them: words at the
    /// edges of runs, long words, non-ASCII letters and punctuation, runs shorter than words.
    #[test]
    fn looking_at_candidates_finds_what_looking_at_every_word_finds() {
        let vocabulary = [
            "waiting",
            "Waits",
            "TIME",
            "times",
            "timely",
            "a",
            "A1",
            "dying",
            "Lying",
            "tie",
            "ehcps",
            "EHCP",
            "plans",
            "Ünïcödé",
            "café",
            "naïve",
            "Straße",
            "1990s",
            "supercalifragilisticexpialidociousandevenlongerthanforty",
            "x",
            "waiting-times",
            "possibility",
            "possibly",
            "inspectors",
            "inspection",
            "it's",
            "—",
            "\u{212A}ids",
            "city",
            "Cities",
            "try",
            "tried",
            "ugly",
            "vying",
            "Vyings",
        ];
        let separators = [" ", " ", " ", ", ", ". ", "\n\n", " — ", "’", "(", ") "];
        let term_sets: [&[(&str, Score)]; 8] = [
            &[("wait", 0.5), ("time", 0.25)],
            &[("die", 1.0), ("lie", 0.5), ("tie", 0.2), ("vie", 0.1)],
            &[("ehcp", 1.0), ("plan", 0.3)],
            &[("a", 0.2), ("a1", 0.1), ("x", 0.3)],
            &[("possibl", 1.0), ("inspector", 0.5), ("inspect", 0.4)],
            &[("1990s", 0.7), ("timeli", 0.2)],
            &[("kid", 1.0), ("caf", 0.5)],
            &[("citi", 1.0), ("tri", 0.5), ("ugli", 0.5)],
        ];
        // A small deterministic generator, so a failure can be replayed.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for case in 0..3000 {
            let mut text = String::new();
            if next(4) == 0 {
                text.push_str(separators[next(separators.len())]);
            }
            for _ in 0..next(120) {
                text.push_str(vocabulary[next(vocabulary.len())]);
                text.push_str(separators[next(separators.len())]);
            }
            let terms = term_sets[case % term_sets.len()];
            let terms: BTreeMap<String, Score> =
                terms.iter().map(|(t, s)| (t.to_string(), *s)).collect();
            let max = [5, 12, 20, 60, 240][next(5)];
            let mut highlighter = Highlighter::new(terms, max);
            assert!(highlighter.finder.is_some());
            let every_word = highlighter.passage_by_words(&text);
            assert_eq!(highlighter.passage(&text), every_word, "case {case}, max {max}: {text:?}");
            // The portable search finds the same (where the vectorised one was used).
            if !text.contains('\u{212A}') {
                let Some(Finder::Packed(_)) = &highlighter.finder else { continue };
                let openings = openings(highlighter.terms.iter().map(|(t, _)| t.as_str()));
                let automaton = Finder::automaton(&openings.unwrap()).unwrap();
                let portable = highlighter.passage_by_candidates(&automaton, &text);
                assert_eq!(portable, every_word, "case {case}, max {max}: {text:?}");
            }
        }
    }

    /// A stem of four bytes or more keeps its first three bytes from the word, one of three
    /// its first two: what [`candidate_finder`] relies on. Checked on every word of the
    /// seed articles and on suffixed forms that stemming rewrites most.
    #[test]
    fn stems_keep_the_openings_the_finder_searches_for() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
        let mut words = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if word.is_ascii() && word.len() >= 3 {
                    words.insert(word.to_ascii_lowercase());
                }
            }
        }
        assert!(words.len() > 500, "the seed articles are read");
        let suffixes = [
            "", "s", "es", "ies", "ied", "ed", "ing", "ly", "y", "ity", "ility", "ibility",
            "ability", "ably", "ibly", "ation", "ational", "ization", "izer", "ism", "ness", "ful",
            "fulness", "ousness", "iveness", "iviti", "ency", "ancy", "ence", "ogy", "ically",
            "icate", "ative", "ement", "ments", "eed", "eedly", "ingly", "edly", "ying", "yings",
            "yed", "yly", "e", "ee", "ie", "ye", "ys", "ies",
        ];
        let stems = ["possib", "reason", "sens", "analo", "relat", "organ", "flu", "sta"];
        // Short words are where stemming's special cases are: every pair of letters.
        let pairs: Vec<String> = (b'a'..=b'z')
            .flat_map(|a| (b'a'..=b'z').map(move |b| String::from_utf8(vec![a, b]).unwrap()))
            .collect();
        let forms: Vec<String> = words
            .iter()
            .map(String::as_str)
            .chain(stems)
            .chain(pairs.iter().map(String::as_str))
            .flat_map(|word| suffixes.iter().map(move |suffix| format!("{word}{suffix}")))
            .chain(
                ["dying", "lying", "tying", "skies", "idly", "gently", "ugly", "only"]
                    .map(String::from),
            )
            .collect();
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let mut stem = String::new();
        for word in &forms {
            stem_into(&stemmer, word, &mut stem);
            let exception = super::super::analyser::is_letter_ying(word);
            assert!(
                exception || word.starts_with(kept_opening(&stem)),
                "{word:?} stems to {stem:?}, which does not open it"
            );
        }
    }

    #[test]
    fn the_earliest_of_equal_passages_wins() {
        let terms = BTreeMap::from([("wait".to_string(), 1.0)]);
        let text = "We wait here. Filler words go on and on and on. We wait there.";
        let passage = Highlighter::new(terms, 12).passage(text).unwrap();
        assert_eq!(passage.text, "We wait here");
        assert_eq!(passage.to_html(), "We <b>wait</b> here");
    }

    #[test]
    fn escapes_what_it_marks_and_what_it_does_not() {
        let mut out = String::new();
        escape_into(&mut out, "<script>\"a\" & 'b'</script>");
        assert_eq!(out, "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;");
    }
}
