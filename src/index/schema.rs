//! The index schema: every field's name and options, named once.
//!
//! Prose fields (`title`, `text`) use tantivy's `en_stem` analyser (lower-casing and English
//! stemming), so "inspections" finds "inspection". `text` indexes the headline (weighted:
//! [`TITLE_WEIGHT`] values of it) and the text together, each value apart from the next (a
//! phrase does not run from one into another), so that a word of a plain search is one
//! posting list rather than a union of two; `title` is indexed on its own as well, for
//! `title:`. The filter fields are raw strings, indexed (for `field:value` queries and
//! filters) and fast (for facet counts); multi-valued where an article has several (themes).
//! The article's text is stored once, in `body` (its paragraphs joined by blank lines;
//! stored, not indexed: `text` indexes it), which is all a search hit reads. The rest of the
//! [`Record`](crate::extract::Record) is LZ4-compressed JSON in a fast (columnar) bytes field,
//! `record`, outside the doc store: a hit's doc-store block holds only what the hit reads, and
//! a page reads the record by its ordinal and the text beside it. The record's summary, for
//! the catalogue, is another fast field (`summary`).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bumped whenever the schema or the analysis changes: an index of another format is rebuilt,
/// not reused. (5: synonyms joined at index time; 6: the text stored in `body`, not in the
/// record's JSON; 7: the record in a fast field, out of the doc store; 8: fast-field
/// dictionaries without zstd; 9: headline and text indexed together in `text`; 10: the
/// headline weighted there; 11: the doc store uncompressed.)
pub const SCHEMA_VERSION: u32 = 11;

/// How many times the headline is indexed in `text`, before the paragraphs: a word in the
/// headline counts as that many mentions, saturating as BM25 does (BM25F's field weight, as
/// in Elasticsearch's `combined_fields`).
pub const TITLE_WEIGHT: usize = 3;

/// The analyser for prose fields.
pub const TEXT_ANALYSER: &str = "en_stem";

/// Handles to every field, fetched once from the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The article's slug: its id, unique.
    pub slug: Field,
    /// The file the article came from.
    pub file: Field,
    /// Headline, searchable.
    pub title: Field,
    /// The paragraphs joined by blank lines, stored (not indexed: see `text`): a search
    /// hit's snippet is cut from it without parsing the record. The stored record leaves its
    /// paragraphs out when they split back from this exactly (see `writer::document`).
    pub body: Field,
    /// The headline and the paragraphs, indexed (not stored): what a plain search searches.
    pub text: Field,
    /// Local area slug.
    pub area: Field,
    /// Region slug.
    pub region: Field,
    /// Outcome code.
    pub outcome: Field,
    /// Framework code (`2016`, `2023`).
    pub framework: Field,
    /// Inspection kind code.
    pub kind: Field,
    /// Theme ids (any polarity).
    pub theme: Field,
    /// `theme_id:polarity`, e.g. `waiting_times:improvement`.
    pub theme_polarity: Field,
    /// The year filed under, as text (`2023`).
    pub year: Field,
    /// The source's slug.
    pub source: Field,
    /// Sort key for "newest": days since 1970 of the publication (or visit) date.
    pub date: Field,
    /// Who is quoted (names, lower-cased words), for `/quotes`.
    pub speaker: Field,
    /// Their roles and organisations, for `/quotes`.
    pub role: Field,
    /// The record as LZ4-compressed JSON (see `writer::record_bytes`), in a fast field.
    pub record: Field,
    /// The article's [`ArticleSummary`](super::catalogue::ArticleSummary) as JSON, in a fast
    /// (columnar) field: the catalogue is read from it at start-up without touching the
    /// stored records, which keeps the server's memory to what it serves.
    pub summary: Field,
}

/// Field names, as used in queries (`area:dudley`) and facets.
pub mod names {
    /// See [`super::Fields::slug`].
    pub const SLUG: &str = "slug";
    /// See [`super::Fields::file`].
    pub const FILE: &str = "file";
    /// See [`super::Fields::title`].
    pub const TITLE: &str = "title";
    /// See [`super::Fields::body`].
    pub const BODY: &str = "body";
    /// See [`super::Fields::text`].
    pub const TEXT: &str = "text";
    /// See [`super::Fields::area`].
    pub const AREA: &str = "area";
    /// See [`super::Fields::region`].
    pub const REGION: &str = "region";
    /// See [`super::Fields::outcome`].
    pub const OUTCOME: &str = "outcome";
    /// See [`super::Fields::framework`].
    pub const FRAMEWORK: &str = "framework";
    /// See [`super::Fields::kind`].
    pub const KIND: &str = "kind";
    /// See [`super::Fields::theme`].
    pub const THEME: &str = "theme";
    /// See [`super::Fields::theme_polarity`].
    pub const THEME_POLARITY: &str = "theme_polarity";
    /// See [`super::Fields::year`].
    pub const YEAR: &str = "year";
    /// See [`super::Fields::source`].
    pub const SOURCE: &str = "source";
    /// See [`super::Fields::date`].
    pub const DATE: &str = "date";
    /// See [`super::Fields::record`].
    pub const RECORD: &str = "record";
    /// See [`super::Fields::summary`].
    pub const SUMMARY: &str = "summary";
    /// See [`super::Fields::speaker`].
    pub const SPEAKER: &str = "speaker";
    /// See [`super::Fields::role`].
    pub const ROLE: &str = "role";
}

/// Field ids that [`build_schema`]'s order fixes, for code that has no [`Fields`] to hand:
/// a stored document's deserializer. A test holds them to the schema.
pub mod ids {
    /// The id of [`super::Fields::body`].
    pub const BODY: u32 = 3;
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let prose = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_ANALYSER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field(names::SLUG, STRING | STORED);
    builder.add_text_field(names::FILE, STRING | STORED);
    builder.add_text_field(names::TITLE, prose.clone());
    builder.add_text_field(names::BODY, STORED);
    for name in [
        names::AREA,
        names::REGION,
        names::OUTCOME,
        names::FRAMEWORK,
        names::KIND,
        names::THEME,
        names::THEME_POLARITY,
        names::YEAR,
        names::SOURCE,
    ] {
        builder.add_text_field(name, STRING | FAST);
    }
    builder.add_i64_field(names::DATE, INDEXED | FAST);
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::Basic),
    );
    builder.add_text_field(names::SPEAKER, words.clone());
    builder.add_text_field(names::ROLE, words);
    // Not in the doc store: there it would share each search hit's block, to be read with
    // the text for nothing.
    builder.add_bytes_field(names::RECORD, FAST);
    builder.add_bytes_field(names::SUMMARY, FAST);
    builder.add_text_field(names::TEXT, prose);
    builder.build()
}

impl Fields {
    /// The handles for a schema built by [`build_schema`]. Fails when a field is missing
    /// (an index of another version).
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            slug: get(names::SLUG)?,
            file: get(names::FILE)?,
            title: get(names::TITLE)?,
            body: get(names::BODY)?,
            text: get(names::TEXT)?,
            area: get(names::AREA)?,
            region: get(names::REGION)?,
            outcome: get(names::OUTCOME)?,
            framework: get(names::FRAMEWORK)?,
            kind: get(names::KIND)?,
            theme: get(names::THEME)?,
            theme_polarity: get(names::THEME_POLARITY)?,
            year: get(names::YEAR)?,
            source: get(names::SOURCE)?,
            date: get(names::DATE)?,
            speaker: get(names::SPEAKER)?,
            role: get(names::ROLE)?,
            record: get(names::RECORD)?,
            summary: get(names::SUMMARY)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_ids_are_the_schema_ids() {
        let fields = Fields::from_schema(&build_schema()).unwrap();
        assert_eq!(fields.body, Field::from_field_id(ids::BODY));
    }

    #[test]
    fn the_doc_store_holds_the_slug_file_and_text_only() {
        // A search hit reads a whole stored document for its text; the record, which it does
        // not read, is a fast field.
        let schema = build_schema();
        let stored: Vec<&str> = schema
            .fields()
            .filter(|(_, entry)| entry.is_stored())
            .map(|(_, entry)| entry.name())
            .collect();
        assert_eq!(stored, [names::SLUG, names::FILE, names::BODY]);
        let record = schema.get_field_entry(schema.get_field(names::RECORD).unwrap());
        assert!(record.is_fast() && !record.is_stored());
    }
}
