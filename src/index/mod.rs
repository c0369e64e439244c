//! The index: the embedded tantivy store the archive serves from.
//!
//! [`schema`] names every field once; [`store`] manages generations and the atomic switch;
//! [`writer`] is ingest (corpus → records → a new generation); [`query`] turns what people
//! type into queries (synonyms, helpful errors), with [`synonyms`] joined at index time;
//! [`search`] reads (search, facets, records) through [`directory`] (memory maps, but
//! positioned reads for the doc stores).
//! Callers outside this module see the archive's own types, never tantivy's.

pub mod analyser;
pub mod catalogue;
pub mod directory;
pub mod facets;
pub mod query;
pub mod schema;
pub mod search;
pub mod snippet;
pub mod store;
pub mod synonyms;
#[cfg(test)]
pub(crate) mod testing;
pub mod values;
pub mod writer;

pub use catalogue::{AreaSummary, ArticleSummary, Catalogue, InspectionSummary, ReportSummary};
pub use query::QueryError;
pub use search::{Archive, SearchError, SearchHit, SearchRequest, SearchResults, Sort};
pub use writer::{IngestOptions, IngestReport, NoProgress, Progress, ingest};
