//! The analyser for the archive's prose: tantivy's `en_stem` pipeline (split on non-letters,
//! drop tokens over 40 bytes, lower-case, English Snowball stemming), with the stems
//! memoised, and for indexing, synonyms joined ([`super::synonyms`]).
//!
//! Stemming was a fifth of ingest time, and news about SEND inspections uses a small
//! vocabulary over and over ("inspectors", "children", "services"), so each analyser keeps a
//! bounded per-thread map from word to stem (hashed with xxh3: SipHash's DoS resistance buys nothing
//! here, and cost a tenth of the stemming time). The output is exactly what `en_stem` gives (tested), so
//! queries and documents agree.

use std::cell::RefCell;
use std::collections::HashMap;
use std::mem;
use std::sync::Arc;

use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer, TokenizerManager,
};
use xxhash_rust::xxh3::Xxh3Builder;

use super::schema::TEXT_ANALYSER;
use super::synonyms::SynonymJoin;

/// Words longer than this are dropped, as `en_stem` does.
pub const MAX_TOKEN_BYTES: usize = 40;
/// The most stems one analyser remembers; past this the memo starts again.
const MAX_MEMO: usize = 100_000;

/// The indexing analyser, ready to register: `en_stem`, then each synonym's canonical stem
/// added where one of its entries is found.
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MemoStemmer { gate: None })
        .filter(SynonymJoin)
        .build()
}

/// The query analyser: `en_stem` alone. Queries name synonyms by their canonical word
/// already ([`super::query`]), and a word typed in a field or a quoted phrase means itself.
pub fn for_queries() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MemoStemmer { gate: None })
        .build()
}

/// The tokenizers the query parser uses: the default set, with [`for_queries`] as the
/// text analyser.
pub fn query_tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(TEXT_ANALYSER, for_queries());
    manager
}

/// An analyser for highlighting the stems `terms`: what [`for_queries`] gives for every word
/// that could stem to one of them, and the word unstemmed otherwise. Search hits use
/// [`super::snippet::Highlighter`], which applies the same [`Gate`] without an analyser;
/// tests use this one to give tantivy's `SnippetGenerator` the same rule to compare with.
///
/// English stemming only rewrites the end of a word, never its first two letters (but for
/// a letter and "ying(s)": [`is_letter_ying`]), so a word whose first two bytes begin none
/// of the terms cannot match one, and stemming it is wasted work.
#[cfg(test)]
pub(crate) fn highlighter<'a>(terms: impl IntoIterator<Item = &'a str>) -> TextAnalyzer {
    let gate = Gate::of(terms);
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MemoStemmer { gate: Some(Arc::new(gate)) })
        .build()
}

/// The tokens `analyser` makes of `text`: each one's text and position.
pub(crate) fn tokens(analyser: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
    let mut stream = analyser.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push((stream.token().text.clone(), stream.token().position));
    }
    out
}

/// Registers the analyser on an index (needed each time one is created or opened).
pub fn register(index: &Index) {
    index.tokenizers().register(TEXT_ANALYSER, english());
}

/// A set of two-byte word openings, as a bitmap: a snippet asks it once per word.
#[derive(Clone)]
pub struct Gate(Box<[u64]>);

impl Default for Gate {
    fn default() -> Gate {
        Gate(vec![0; (1 << 16) / 64].into_boxed_slice())
    }
}

impl Gate {
    /// The openings of `terms`: a word whose first two bytes are not among them cannot stem
    /// to one of them (but for [`is_letter_ying`] words).
    pub fn of<'a>(terms: impl IntoIterator<Item = &'a str>) -> Gate {
        let mut gate = Gate::default();
        for term in terms {
            let b = term.as_bytes();
            gate.insert([b.first().copied().unwrap_or(0), b.get(1).copied().unwrap_or(0)]);
        }
        gate
    }

    fn insert(&mut self, opening: [u8; 2]) {
        let bit = usize::from(u16::from_be_bytes(opening));
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    fn contains(&self, opening: [u8; 2]) -> bool {
        let bit = usize::from(u16::from_be_bytes(opening));
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// [`Gate::admits`] for a word not yet lower-cased, when its first two bytes are ASCII:
    /// `Some(false)` rules it out before it is copied and lower-cased; `None` means the
    /// opening is not ASCII, so only the lower-cased word can tell.
    pub fn admits_unlowered(&self, word: &str) -> Option<bool> {
        let b = word.as_bytes();
        if !(b[0].is_ascii() && b[1].is_ascii()) {
            return None;
        }
        let opening = [b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase()];
        Some(self.contains(opening) || is_letter_ying(word))
    }

    /// Whether `word` (lower case, three bytes or more) could stem to one of the terms:
    /// its first two bytes open a term, or it is the exception to "the first two letters
    /// stay" ([`is_letter_ying`]).
    pub fn admits(&self, word: &str) -> bool {
        let b = word.as_bytes();
        self.contains([b[0], b[1]]) || is_letter_ying(word)
    }
}

/// Whether `word` is a letter and "ying" or "yings" (any case): English stemming's one
/// change to a word's second letter ("dying" → "die", "vyings" → "vie").
pub fn is_letter_ying(word: &str) -> bool {
    word.len() >= 5
        && word.is_char_boundary(1)
        && (word[1..].eq_ignore_ascii_case("ying") || word[1..].eq_ignore_ascii_case("yings"))
}

/// Writes the English stem of `word` (lower case, three bytes or more) into `out`, through
/// this thread's memo.
pub fn stem_into(stemmer: &frostem::Stemmer, word: &str, out: &mut String) {
    MEMO.with_borrow_mut(|memo| {
        out.clear();
        match memo.get(word) {
            Some(stem) => out.push_str(stem),
            None => {
                let stem = stemmer.stem(word).into_owned();
                out.push_str(&stem);
                if memo.len() >= MAX_MEMO {
                    memo.clear();
                }
                memo.insert(word.to_string(), stem);
            }
        }
    });
}

/// English stemming with a memo; with a gate, only of words whose first two bytes are in
/// it (see [`highlighter`]).
#[derive(Clone)]
pub struct MemoStemmer {
    gate: Option<Arc<Gate>>,
}

thread_local! {
    /// Each thread's stems. Analysers are cloned per segment writer and per snippet
    /// generator, so a memo owned by the analyser would start empty for every search; one per
    /// thread lives as long as the thread (indexing threads, request workers).
    static MEMO: RefCell<HashMap<String, String, Xxh3Builder>> = RefCell::new(HashMap::default());
}

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer, gate: self.gate }
    }
}

/// The tokenizer [`MemoStemmer`] wraps around another.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    gate: Option<Arc<Gate>>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            buffer: String::new(),
            gate: self.gate.clone(),
        }
    }
}

/// The token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerStream<S> {
    tail: S,
    stemmer: frostem::Stemmer,
    buffer: String,
    gate: Option<Arc<Gate>>,
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // Snowball's English stemmer leaves words of one or two letters as they are ("of",
        // "to", "in": a quarter of all tokens), so they skip the memo.
        if token.text.len() <= 2 {
            return true;
        }
        if let Some(gate) = &self.gate
            && !gate.admits(&token.text)
        {
            return true;
        }
        stem_into(&self.stemmer, &token.text, &mut self.buffer);
        mem::swap(&mut token.text, &mut self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highlighter_matches_the_terms_the_full_analyser_matches() {
        let text = "Inspectors inspected the inspections; waiting times and waits for \
                    assessments were too long. Children\u{2019}s services, child health, \
                    skies and sky, dying and die, tying ties, lying lies, EHCPs and the plan. Ünïcödé \
                    üniversities; a y by us.";
        for terms in [
            vec!["inspector", "wait"],
            vec!["sky", "die", "tie", "lie"],
            vec!["child", "servic", "ehcp", "plan"],
            vec!["ünivers", "y", "by"],
        ] {
            let matching = |analyser: &mut TextAnalyzer| -> Vec<(String, usize)> {
                tokens(analyser, text)
                    .into_iter()
                    .filter(|(t, _)| terms.contains(&t.as_str()))
                    .collect()
            };
            let expected = matching(&mut for_queries());
            assert!(!expected.is_empty(), "{terms:?} match something");
            assert_eq!(matching(&mut highlighter(terms.iter().copied())), expected, "{terms:?}");
        }
    }

    #[test]
    fn the_query_analyser_gives_exactly_what_en_stem_gives() {
        let mut reference = TokenizerManager::default().get("en_stem").unwrap();
        let mut ours = for_queries();
        let text = "Inspectors found that children's services were improving; waiting times \
                    for assessments remain too long. Inspectors INSPECTED inspections, \
                    education, health and care plans (EHCPs). Ünïcödé words and a \
                    supercalifragilisticexpialidociousandevenlongerthanforty word. Is it as \
                    y by us at an ox; ys yy IS é ü.";
        // Twice: the second pass comes from the memo.
        for _ in 0..2 {
            assert_eq!(tokens(&mut ours, text), tokens(&mut reference, text));
        }
    }
}
