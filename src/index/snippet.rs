//! Snippets for search hits: the best passage of an article for a query's terms, with the
//! matches marked.
//!
//! The passage is the one tantivy's `SnippetGenerator` chooses (tested against it): the text
//! is cut into runs of words at most [`Highlighter::new`]'s `max_bytes` long, each run scores
//! the sum of its matching words' term scores, and the best run wins, the earliest among
//! equals. What differs is the cost per word. tantivy runs every word through an analyser,
//! lower-cases a second copy and looks it up in an ordered map of strings; here words are
//! split in place, only a word whose opening could lead to a term is stemmed (see
//! [`Gate`]), and the handful of terms are compared in a short list. Only the best run's
//! ranges are kept.

use std::collections::BTreeMap;
use std::ops::Range;

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
        // Run to its end.
        loop {
            while at < bytes.len() && bytes[at] < 0x80 && ASCII_WORD[usize::from(bytes[at])] {
                at += 1;
            }
            if at >= bytes.len() || bytes[at] < 0x80 {
                break;
            }
            let c = text[at..].chars().next().unwrap_or(' ');
            if !c.is_alphanumeric() {
                break;
            }
            at += c.len_utf8();
        }
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
            &[("die", 1.0), ("lie", 0.5), ("tie", 0.2)],
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
