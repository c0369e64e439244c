//! Synonyms joined when an article is indexed, so that a search for any of them is one term.
//!
//! Each group of [`SYNONYMS`] has a canonical word: its first entry, an acronym ("EHCP",
//! "CAMHS"). While indexing, [`SynonymJoin`] adds that word's stem at the position of every
//! other entry it finds in the text ("education, health and care plans" gets an `ehcp`
//! beside its first word), and the query side ([`super::query`]) rewrites any entry a person
//! types to the canonical word. "EHCP" and "education health and care plan" are then the
//! same single-term search, rather than a union of phrase queries that read positions for
//! thousands of documents (they cost five times a plain word's search).
//!
//! Entries are compared as the analyser leaves words (lower-cased, stemmed), so plurals and
//! punctuation match as the phrase queries did. The words of every entry are also what a
//! snippet highlights for the canonical term ([`highlight_stems`]).

use std::collections::{HashMap, VecDeque};
use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::analyser::{self, tokens};

/// Groups of words and phrases that mean the same (domain.md, "Vocabulary and synonyms"),
/// canonical word first. Each entry is written as a person might type it; matching ignores
/// case and punctuation.
pub const SYNONYMS: &[&[&str]] = &[
    &["EHCP", "EHC plan", "education health and care plan"],
    &["SEND", "SEN", "special educational needs and disabilities", "special educational needs"],
    &["SENDIASS", "information advice and support service"],
    &["PCF", "parent carer forum"],
    &["CAMHS", "child and adolescent mental health services"],
    &["ASD", "autism", "autistic spectrum disorder", "autism spectrum disorder"],
    &["SALT", "speech and language therapy"],
    &["OT", "occupational therapy"],
    &["WSoA", "written statement of action"],
    &["ICB", "integrated care board"],
    &["CCG", "clinical commissioning group"],
    &["DCO", "designated clinical officer"],
    &["DMO", "designated medical officer"],
    &["AP", "alternative provision"],
    &["NEET", "not in employment education or training"],
    &["APP", "accelerated progress plan"],
];

/// Lower-case words without punctuation: "Education, Health" → ["education", "health"].
pub fn normalise(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of `text` as the analyser leaves them (lower-cased, stemmed): what the
/// filter compares entries with, so the two cannot disagree.
fn analysed(text: &str) -> Vec<String> {
    tokens(&mut analyser::for_queries(), text).into_iter().map(|(stem, _)| stem).collect()
}

/// One entry to look for: its stems, and the canonical stem to add where it is found.
struct Entry {
    stems: Vec<String>,
    canonical: String,
}

/// The entries by their first stem, longest first, and the highlight stems by canonical.
struct Table {
    by_first: HashMap<String, Vec<Entry>>,
    highlights: HashMap<String, Vec<String>>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut by_first: HashMap<String, Vec<Entry>> = HashMap::new();
    let mut highlights: HashMap<String, Vec<String>> = HashMap::new();
    for group in SYNONYMS {
        let canonical = canonical_stem(group);
        for entry in group.iter() {
            let stems = analysed(entry);
            for s in &stems {
                let list = highlights.entry(canonical.clone()).or_default();
                if !list.contains(s) {
                    list.push(s.clone());
                }
            }
            if stems.len() == 1 && stems[0] == canonical {
                continue;
            }
            by_first
                .entry(stems[0].clone())
                .or_default()
                .push(Entry { stems, canonical: canonical.clone() });
        }
    }
    for entries in by_first.values_mut() {
        entries.sort_by_key(|e| std::cmp::Reverse(e.stems.len()));
    }
    Table { by_first, highlights }
});

/// The canonical word of a group as a person would type it (lower case): "ehcp".
pub fn canonical_word(group: &[&str]) -> String {
    normalise(group[0]).join(" ")
}

fn canonical_stem(group: &[&str]) -> String {
    analysed(group[0]).concat()
}

/// The stems a snippet should mark for the term `stem` when it is a group's canonical
/// stem: every word of every entry (as the phrase queries marked them). `None` otherwise.
pub fn highlight_stems(stem: &str) -> Option<&'static [String]> {
    TABLE.highlights.get(stem).map(Vec::as_slice)
}

/// The token filter that adds canonical stems; it goes after the stemmer.
#[derive(Clone, Copy, Default)]
pub struct SynonymJoin;

impl TokenFilter for SynonymJoin {
    type Tokenizer<T: Tokenizer> = SynonymJoinFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SynonymJoinFilter<T> {
        SynonymJoinFilter { inner: tokenizer }
    }
}

/// The tokenizer [`SynonymJoin`] wraps around another.
#[derive(Clone)]
pub struct SynonymJoinFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for SynonymJoinFilter<T> {
    type TokenStream<'a> = SynonymJoinStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SynonymJoinStream {
            tail: self.inner.token_stream(text),
            table: &TABLE,
            from_tail: true,
            current: Token::default(),
            held: VecDeque::new(),
            added: None,
        }
    }
}

/// The token stream of [`SynonymJoinFilter`]. Most tokens pass straight through from the
/// inner stream; only a word that opens an entry is copied, with the words after it that
/// decide whether the entry is there.
pub struct SynonymJoinStream<S> {
    tail: S,
    table: &'static Table,
    /// Whether the current token is the inner stream's (else it is `current`).
    from_tail: bool,
    current: Token,
    /// Tokens read ahead from the inner stream and not yet given out.
    held: VecDeque<Token>,
    /// A canonical token to give out next.
    added: Option<Token>,
}

impl<S: TokenStream> SynonymJoinStream<S> {
    /// The canonical token for the entry `first` opens, if the held words complete it.
    fn find_entry(&mut self, first: &Token) -> Option<Token> {
        let entries = self.table.by_first.get(&first.text)?;
        let longest = entries.iter().map(|e| e.stems.len()).max().unwrap_or(1);
        while self.held.len() + 1 < longest && self.tail.advance() {
            self.held.push_back(self.tail.token().clone());
        }
        let entry = entries.iter().find(|entry| {
            entry.stems.len() <= self.held.len() + 1
                && entry.stems[1..].iter().zip(&self.held).all(|(s, t)| *s == t.text)
        })?;
        let last = match entry.stems.len() {
            1 => first.offset_to,
            n => self.held[n - 2].offset_to,
        };
        Some(Token {
            text: entry.canonical.clone(),
            offset_from: first.offset_from,
            offset_to: last,
            position: first.position,
            position_length: 1,
        })
    }
}

impl<S: TokenStream> TokenStream for SynonymJoinStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(added) = self.added.take() {
            self.current = added;
            self.from_tail = false;
            return true;
        }
        let first = match self.held.pop_front() {
            Some(token) => token,
            None => {
                if !self.tail.advance() {
                    return false;
                }
                if !self.table.by_first.contains_key(&self.tail.token().text) {
                    self.from_tail = true;
                    return true;
                }
                self.tail.token().clone()
            }
        };
        self.added = self.find_entry(&first);
        self.current = first;
        self.from_tail = false;
        true
    }

    fn token(&self) -> &Token {
        if self.from_tail { self.tail.token() } else { &self.current }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.from_tail { self.tail.token_mut() } else { &mut self.current }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analyser::{self, tokens};

    #[test]
    fn adds_the_canonical_stem_where_an_entry_is_found() {
        let mut indexing = analyser::english();
        let got = tokens(
            &mut indexing,
            "Her Education, Health and Care Plans and an EHC plan; autism and CAMHS. Parent \
             carer forum special educational needs",
        );
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "her", "educ", "ehcp", "health", "and", "care", "plan", "and", "an", "ehc", "ehcp",
                "plan", "autism", "asd", "and", "camh", "parent", "pcf", "carer", "forum",
                "special", "send", "educ", "need"
            ]
        );
        // The added stem sits at its entry's first word.
        assert_eq!(got[1].1, got[2].1);
        assert_eq!(got[20].1, got[21].1);
        // The canonical word itself gets nothing added.
        assert_eq!(tokens(&mut indexing, "EHCP camhs"), [("ehcp".into(), 0), ("camh".into(), 1)]);
        // A phrase cut short is left alone, even at the end of the text.
        assert_eq!(
            tokens(&mut indexing, "education health and"),
            [("educ".into(), 0), ("health".into(), 1), ("and".into(), 2)]
        );
    }

    #[test]
    fn the_query_analyser_adds_nothing() {
        let text = "education health and care plan autism";
        let plain: Vec<String> =
            tokens(&mut analyser::for_queries(), text).into_iter().map(|(t, _)| t).collect();
        assert_eq!(plain, ["educ", "health", "and", "care", "plan", "autism"]);
    }

    #[test]
    fn every_entry_is_found_and_highlights_cover_its_words() {
        let mut indexing = analyser::english();
        for group in SYNONYMS {
            let canonical = canonical_stem(group);
            for entry in group.iter() {
                let got = tokens(&mut indexing, &format!("before {entry} after"));
                assert!(
                    got.iter().any(|(t, _)| *t == canonical),
                    "{entry:?} adds {canonical:?}: {got:?}"
                );
                let marks = highlight_stems(&canonical).unwrap();
                for (word, _) in &got[1..got.len() - 1] {
                    assert!(marks.contains(word), "{word:?} of {entry:?} is highlighted");
                }
            }
        }
        assert_eq!(highlight_stems("wait"), None);
    }
}
