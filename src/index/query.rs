//! Turning what a person typed into a tantivy query: synonyms, limits and helpful errors.
//!
//! The syntax is tantivy's: words are all required, `"a phrase"`, `OR`, `AND`, `-exclude`,
//! `(groups)` and `field:value` (`title:`, `area:dudley`, `outcome:inconsistent`,
//! `theme:waiting_times`, `year:2023` ...). Before parsing, the field's vocabulary is joined:
//! a word or phrase with synonyms in domain.md (EHCP, "education, health and care plan",
//! CAMHS ...) becomes its group's canonical word (`ehcp`), which the index holds wherever
//! any of them is written ([`super::synonyms`]), so that any of them finds all of them.
//! Queries that tantivy rejects come back as a [`QueryError`] that says what is wrong and
//! how to write it instead; nothing here panics on input.

use std::fmt;

use tantivy::query::{EnableScoring, Query, QueryParser};
use tantivy::tokenizer::TokenizerManager;

use super::schema::Fields;
use super::synonyms::{canonical_word, normalise};

/// The longest query accepted, in characters. Longer ones are refused with a message rather
/// than parsed: no one types this much, and the cost of a query grows with its terms.
pub const MAX_QUERY_CHARS: usize = 500;

pub use super::synonyms::SYNONYMS;

/// Why a query could not be run, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Over [`MAX_QUERY_CHARS`].
    TooLong {
        /// How many characters it had.
        chars: usize,
    },
    /// tantivy's parser rejected it.
    Syntax {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: String,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::TooLong { chars } => write!(
                f,
                "the search is {chars} characters long; the most is {MAX_QUERY_CHARS}. Try a few \
                 distinctive words instead."
            ),
            QueryError::Syntax { message, hint } => write!(f, "{message}. {hint}"),
        }
    }
}

impl std::error::Error for QueryError {}

/// The query parser of one index: a plain word searches `text` (the headline, weighted, and
/// the paragraphs: see [`super::schema::TITLE_WEIGHT`]), and every word is required; with
/// the query tokenizers ([`super::analyser::query_tokenizers`]). Built once per generation.
///
/// Matching one field, not `title OR body`, keeps a word to one posting list: a query of
/// four words intersects four lists instead of four unions of two.
pub struct Parser {
    parser: QueryParser,
    schema: tantivy::schema::Schema,
}

impl Parser {
    /// The parser for an index of `schema`, whose fields are `fields`.
    pub fn new(
        schema: &tantivy::schema::Schema,
        fields: &Fields,
        tokenizers: TokenizerManager,
    ) -> Parser {
        let mut parser = QueryParser::new(schema.clone(), vec![fields.text], tokenizers);
        parser.set_conjunction_by_default();
        Parser { parser, schema: schema.clone() }
    }

    /// Parses a user query (already trimmed; empty is the caller's "match everything").
    pub fn parse(&self, text: &str) -> Result<Box<dyn Query>, QueryError> {
        let chars = text.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong { chars });
        }
        let expanded = expand_synonyms(text);
        let query = self.parser.parse_query(&expanded).map_err(|e| explain(&e, text))?;
        // Some queries parse but cannot run: `field:*` (does the field have a value?) names
        // its field only as text, checked when the query is prepared, and works only on a
        // fast field. Preparing it here, without scores (no index is read), turns that into
        // a query error rather than an internal one at search time.
        query
            .weight(EnableScoring::disabled_from_schema(&self.schema))
            .map_err(|e| cannot_run(&e))?;
        Ok(query)
    }
}

/// A query that parsed but could not be prepared, in plain words.
fn cannot_run(error: &tantivy::TantivyError) -> QueryError {
    match error {
        tantivy::TantivyError::FieldNotFound(field) => unknown_field(field),
        other => QueryError::Syntax {
            message: format!("the search could not be run ({other})"),
            hint: "Search a field for words, as in title:inspectors, rather than field:*."
                .to_string(),
        },
    }
}

/// The answer to a field name that is not a field one can search.
fn unknown_field(field: &str) -> QueryError {
    QueryError::Syntax {
        message: format!("there is no field called \u{201c}{field}\u{201d}"),
        hint: "Fields you can search are title, area, region, outcome, framework, kind, theme, \
               year and source; or leave the colon out to search the headline and the text."
            .to_string(),
    }
}

/// A query error in plain words, with a hint.
fn explain(error: &tantivy::query::QueryParserError, text: &str) -> QueryError {
    use tantivy::query::QueryParserError as E;
    let quotes = text.matches('"').count();
    let (message, hint) = match error {
        // A stored-only field (`body`, whose words `text` indexes) is no field to search.
        E::FieldDoesNotExist(field) | E::FieldNotIndexed(field) => return unknown_field(field),
        _ if quotes % 2 == 1 => (
            "a quotation mark is not closed".to_string(),
            "Put a closing \" after the phrase, or remove the quotation mark.".to_string(),
        ),
        E::SyntaxError(_) => (
            "the search could not be read".to_string(),
            "Check that brackets are closed and that AND, OR and NOT stand between words, as \
             in: waiting times AND autism."
                .to_string(),
        ),
        other => (
            format!("the search could not be read ({other})"),
            "Try plain words, a \"phrase in quotes\", OR between alternatives, or -word to \
             exclude one."
                .to_string(),
        ),
    };
    QueryError::Syntax { message, hint }
}

/// A piece of a query as the person wrote it.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    /// A plain word, which synonyms may replace.
    Word(&'a str),
    /// Anything else, copied as it is: operators, brackets, `field:value`, `-word`, `+word`.
    Other(&'a str),
    /// A quoted phrase, without its quotes.
    Phrase(&'a str),
    /// White space.
    Space(&'a str),
}

fn split_pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        if ch.is_whitespace() {
            let end = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
            pieces.push(Piece::Space(&rest[..end]));
            rest = &rest[end..];
        } else if ch == '"' {
            match rest[1..].find('"') {
                Some(close) => {
                    pieces.push(Piece::Phrase(&rest[1..1 + close]));
                    rest = &rest[close + 2..];
                }
                None => {
                    pieces.push(Piece::Other(rest));
                    rest = "";
                }
            }
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            let token = &rest[..end];
            let plain = token.chars().all(|c| c.is_alphanumeric() || matches!(c, ',' | '\'' | '.'))
                && !matches!(token, "AND" | "OR" | "NOT");
            pieces.push(if plain { Piece::Word(token) } else { Piece::Other(token) });
            rest = &rest[end..];
        }
    }
    pieces
}

/// The synonym group whose entry is exactly these words.
fn group_for(words: &[String]) -> Option<&'static [&'static str]> {
    SYNONYMS.iter().copied().find(|group| group.iter().any(|entry| normalise(entry) == words))
}

/// Rewrites words and phrases that have synonyms into their canonical word. Runs of plain
/// words are matched longest first, so "speech and language therapy" is one phrase, not
/// four words.
pub fn expand_synonyms(text: &str) -> String {
    const LONGEST_ENTRY_WORDS: usize = 7;
    let pieces = split_pieces(text);
    let mut out = String::with_capacity(text.len() + 32);
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            Piece::Word(_) => {
                // Collect the run of words (with the spaces between them) starting here.
                let mut run = Vec::new(); // indexes of Word pieces
                let mut j = i;
                while j < pieces.len() && run.len() < LONGEST_ENTRY_WORDS {
                    match &pieces[j] {
                        Piece::Word(_) => run.push(j),
                        Piece::Space(_) => {}
                        _ => break,
                    }
                    j += 1;
                }
                let mut matched = None;
                for len in (1..=run.len()).rev() {
                    let words: Vec<String> = run[..len]
                        .iter()
                        .flat_map(|&k| match &pieces[k] {
                            Piece::Word(w) => normalise(w),
                            _ => Vec::new(),
                        })
                        .collect();
                    if let Some(group) = group_for(&words) {
                        matched = Some((group, run[len - 1]));
                        break;
                    }
                }
                match matched {
                    Some((group, last)) => {
                        out.push_str(&canonical_word(group));
                        i = last + 1;
                    }
                    None => {
                        if let Piece::Word(w) = &pieces[i] {
                            out.push_str(w);
                        }
                        i += 1;
                    }
                }
            }
            Piece::Phrase(phrase) => {
                match group_for(&normalise(phrase)) {
                    Some(group) => out.push_str(&canonical_word(group)),
                    None => {
                        out.push('"');
                        out.push_str(phrase);
                        out.push('"');
                    }
                }
                i += 1;
            }
            Piece::Other(token) => {
                // `-EHCP` and `+EHCP` keep their sign in front of the group.
                let (sign, rest) = match token.chars().next() {
                    Some(c @ ('-' | '+')) => (Some(c), &token[1..]),
                    _ => (None, *token),
                };
                match (sign, group_for(&normalise(rest))) {
                    (Some(sign), Some(group)) if !rest.contains(':') => {
                        out.push(sign);
                        out.push_str(&canonical_word(group));
                    }
                    _ => out.push_str(token),
                }
                i += 1;
            }
            Piece::Space(space) => {
                out.push_str(space);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(expand_synonyms(input), expected);
    }

    #[test]
    fn expands_acronyms_and_phrases_both_ways() {
        check("EHCP", "ehcp");
        check("education, health and care plan delays", "ehcp delays");
        check("EHC plan", "ehcp");
        check("\"speech and language therapy\"", "salt");
        check("CAMHS waits", "camhs waits");
        check("autism spectrum disorder", "asd");
    }

    #[test]
    fn a_query_that_parses_but_cannot_run_is_a_query_error() {
        let schema = crate::index::schema::build_schema();
        let fields = Fields::from_schema(&schema).unwrap();
        let parser = Parser::new(&schema, &fields, crate::index::analyser::query_tokenizers());
        // `field:*` on a field that is not there, or not a fast field, used to fail only
        // when searched, as an internal error (found by fuzzing: "tis\t\t\t\t:*\te\t").
        for query in ["nosuchfield:*", "tis\t\t\t\t:*\te\t", "title:*", "body:*"] {
            assert!(matches!(parser.parse(query), Err(QueryError::Syntax { .. })), "{query:?}");
        }
        for query in ["area:*", "waiting times", "title:inspectors", "year:[2019 TO 2023]"] {
            assert!(parser.parse(query).is_ok(), "{query:?}");
        }
    }

    #[test]
    fn leaves_other_syntax_alone() {
        check("waiting times", "waiting times");
        check("area:dudley outcome:inconsistent", "area:dudley outcome:inconsistent");
        check("autism OR adhd", "asd OR adhd");
        check("-EHCP", "-ehcp");
        check("-\"parent carer forum\"", "-pcf");
        check("\"unclosed", "\"unclosed");
    }
}
