//! Reading the index: opening the generation in service, searching with filters, facets and
//! snippets, and fetching records.
//!
//! [`Archive`] is what the CLI and the web server hold. It follows `CURRENT`: [`Archive::refresh`]
//! reopens when ingest has switched generations, so a running server picks up a new index
//! without a restart, and requests already running finish on the searcher they started with.
//!
//! When the generation `CURRENT` names cannot be read (a file deleted or cut short), the
//! archive opens the newest older generation that can be, and says which and why
//! ([`Archive::fallback`]); the broken one is left on disk, as evidence, and `CURRENT` as it
//! is: the next ingest builds a fresh generation and points `CURRENT` at it.
//! Callers get our own types ([`SearchResults`], [`SearchHit`], [`Record`]), never tantivy's.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Score, Searcher, Term};

use super::catalogue::{AreaSummary, ArticleSummary, Catalogue};
use super::facets::{FacetCounts, FacetTable, NamedCounts};
use super::query::{self, QueryError};
use super::schema::{Fields, ids, names};
use super::snippet::{Highlighter, escape_into};
use super::store::{CURRENT_FILE, IndexDir, RegisterDisagreement, is_generation};
use super::values::Values;
use super::writer::{PARAGRAPH_BREAK, record_from_bytes};
use crate::extract::{AreaRef, Framework, Outcome, PartialDate, Record};
use crate::register::Register;

/// The longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;
/// The most results one page may ask for.
pub const MAX_PAGE_SIZE: usize = 100;

/// The dimensions a search can be filtered and faceted by, with their field names.
pub const FACETS: &[&str] = &[
    names::AREA,
    names::REGION,
    names::OUTCOME,
    names::FRAMEWORK,
    names::KIND,
    names::THEME,
    names::YEAR,
    names::SOURCE,
];

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (newest first when there is no query).
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// One search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// What was typed; empty matches every article.
    pub query: String,
    /// Filters by facet field name (`area` → `dudley`); every one must match.
    pub filters: BTreeMap<String, String>,
    /// The order.
    pub sort: Sort,
    /// How many results to skip.
    pub offset: usize,
    /// How many to return (at most [`MAX_PAGE_SIZE`]).
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// The article's slug.
    pub slug: String,
    /// Its headline.
    pub title: String,
    /// Its area; `None` for a round-up (see `roundup_areas`), as in [`Record::area`].
    pub area: Option<AreaRef>,
    /// A round-up's areas, in article order; empty for an article about one area (so an
    /// ordinary hit allocates nothing for it).
    pub roundup_areas: Vec<AreaRef>,
    /// When it was published.
    pub published: Option<PartialDate>,
    /// The inspection outcome it reports; `None` for a round-up, whose areas' outcomes
    /// differ (its page shows each).
    pub outcome: Option<Outcome>,
    /// The framework (a round-up's when all its inspections share it).
    pub framework: Option<Framework>,
    /// The source's name.
    pub source: Option<String>,
    /// The best passage, HTML-escaped, matches in `<b>`; safe to render as is.
    pub snippet_html: String,
    /// The same passage as plain text.
    pub snippet_text: String,
    /// Byte ranges of the matches in `snippet_text`.
    pub highlights: Vec<std::ops::Range<usize>>,
    /// The relevance score (0 when sorted by date).
    pub score: f32,
}

impl SearchHit {
    /// The areas the hit is about: its one area, or a round-up's several.
    pub fn areas(&self) -> impl Iterator<Item = &AreaRef> {
        self.area.iter().chain(&self.roundup_areas)
    }
}

/// The results of a search.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// How many articles match.
    pub total: usize,
    /// This page of them.
    pub hits: Vec<SearchHit>,
    /// Counts by facet field name, then value, over the matches (for a dimension that is
    /// filtered, over the matches without that one filter, so other values stay choosable).
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
}

/// How long a running server waits before trying again a generation it could not read.
const RETRY_BROKEN: Duration = Duration::from_secs(60);

/// Why the archive is serving a generation other than the one `CURRENT` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// The generation `CURRENT` names (or what `CURRENT` says, when that is no generation).
    pub broken: String,
    /// Why it could not be read.
    pub error: String,
    /// The generation in service instead.
    pub serving: String,
}

impl std::fmt::Display for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if is_generation(&self.broken) {
            write!(
                f,
                "index generation {}, the one {CURRENT_FILE} names, cannot be read",
                self.broken
            )?;
            write!(f, " ({})", self.error)?;
        } else {
            write!(f, "{}", self.error)?;
        }
        write!(
            f,
            "; serving {} instead, the newest generation that can be read. The next ingest \
             builds a fresh one",
            self.serving
        )
    }
}

/// A generation found unreadable, and when it was last tried.
struct Broken {
    fallback: Fallback,
    tried: Instant,
}

/// An open index and what is needed to search it.
struct Open {
    reader: IndexReader,
    fields: Fields,
    generation: String,
    catalogue: Arc<Catalogue>,
    /// Each document's row in the catalogue, so that a search hit finds its summary without
    /// reading its slug.
    rows: Rows,
    /// The generation's facet values per document, for counting.
    facets: Arc<FacetTable>,
    /// The query parser, with the query tokenizers.
    parser: query::Parser,
    /// Each segment's `record` values, by segment ordinal.
    records: Vec<Values>,
}

/// The archive's index, as the CLI and server use it.
#[derive(Clone)]
pub struct Archive {
    dir: PathBuf,
    open: Arc<RwLock<Arc<Open>>>,
    /// Set while `CURRENT` names a generation that could not be read.
    broken: Arc<Mutex<Option<Broken>>>,
}

impl Archive {
    /// Opens the generation in service in the index folder `dir`; when that one cannot be
    /// read, the newest older generation that can (see [`Archive::fallback`]). Fails when
    /// none can.
    pub fn open(dir: &Path) -> Result<Archive> {
        let (open, fallback) = open_in_service(dir)?;
        let broken = fallback.map(|fallback| Broken { fallback, tried: Instant::now() });
        Ok(Archive {
            dir: dir.to_path_buf(),
            open: Arc::new(RwLock::new(Arc::new(open))),
            broken: Arc::new(Mutex::new(broken)),
        })
    }

    /// Opens an index built in memory (for tests).
    pub fn from_index(index: Index) -> Result<Archive> {
        let open = open_index(index, "memory".to_string(), Register::default())?;
        Ok(Archive {
            dir: PathBuf::new(),
            open: Arc::new(RwLock::new(Arc::new(open))),
            broken: Arc::new(Mutex::new(None)),
        })
    }

    /// When the generation `CURRENT` names could not be read: which it is, why, and which
    /// generation is served instead. `None` when the archive serves what `CURRENT` names.
    pub fn fallback(&self) -> Option<Fallback> {
        let guard = self.broken.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(|broken| broken.fallback.clone())
    }

    fn current(&self) -> Arc<Open> {
        self.open.read().map(|g| Arc::clone(&g)).unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }

    /// The generation being served, e.g. `gen-000042`; it keys ETags.
    pub fn generation(&self) -> String {
        self.current().generation.clone()
    }

    /// Reopens the index if ingest has put a new generation in service. Returns whether it
    /// did. Requests running on the old one finish on it.
    ///
    /// A new generation that cannot be read is an error the first time (the generation in
    /// service stays, and [`Archive::fallback`] says why); after that it is tried again
    /// quietly once a minute, until it opens or `CURRENT` names another.
    pub fn refresh(&self) -> Result<bool> {
        if self.dir.as_os_str().is_empty() {
            return Ok(false);
        }
        let store = IndexDir::new(&self.dir);
        let Some(name) = store.current_name()? else {
            return Ok(false);
        };
        let serving = self.current().generation.clone();
        if name == serving {
            return Ok(false);
        }
        let mut broken = self.broken.lock().unwrap_or_else(|p| p.into_inner());
        let known = broken.as_ref().filter(|b| b.fallback.broken == name);
        if known.is_some_and(|b| b.tried.elapsed() < RETRY_BROKEN) {
            return Ok(false);
        }
        match open_generation(&store, &name) {
            Ok(open) => {
                let mut guard = self.open.write().map_err(|_| anyhow!("index lock poisoned"))?;
                *guard = Arc::new(open);
                *broken = None;
                Ok(true)
            }
            Err(error) => {
                let first_time = known.is_none();
                let fallback = Fallback { broken: name, error: brief(&error), serving };
                *broken = Some(Broken { fallback: fallback.clone(), tried: Instant::now() });
                if first_time { Err(anyhow!("{fallback}")) } else { Ok(false) }
            }
        }
    }

    /// The summary of every article and inspection in the generation being served.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        Arc::clone(&self.current().catalogue)
    }

    /// The number of articles.
    pub fn len(&self) -> u64 {
        self.current().reader.searcher().num_docs()
    }

    /// True when the index has no articles.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The record of the article with this slug (or a former slug of it, then the second
    /// value is true: the caller should redirect).
    pub fn article(&self, slug: &str) -> Result<Option<Record>> {
        let open = self.current();
        let searcher = open.reader.searcher();
        let term = Term::from_field_text(open.fields.slug, slug);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, address)) => Ok(Some(load(&searcher, &open, *address)?)),
            None => Ok(None),
        }
    }

    /// Every record matching the filters (no text query), newest first. For area, theme and
    /// data pages; bounded by `limit`.
    pub fn records(&self, filters: &BTreeMap<String, String>, limit: usize) -> Result<Vec<Record>> {
        let open = self.current();
        let searcher = open.reader.searcher();
        let query = filtered(Box::new(AllQuery), &open.fields, filters, None)?;
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(limit.max(1)).order_by_fast_field::<i64>(names::DATE, Order::Desc),
        )?;
        top.into_iter().map(|(_, address)| load(&searcher, &open, address)).collect()
    }

    /// The records, newest first, with a quote whose speaker has all the words of `speaker`
    /// and whose role or organisation has all the words of `role`, in the area `area` (a
    /// slug; empty for any). Empty arguments match everything. At most 1,000 records.
    pub fn quote_records(&self, speaker: &str, role: &str, area: &str) -> Result<Vec<Record>> {
        const MAX_RECORDS: usize = 1000;
        let open = self.current();
        let searcher = open.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, text) in [(open.fields.speaker, speaker), (open.fields.role, role)] {
            for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                let term = Term::from_field_text(field, &word.to_lowercase());
                clauses
                    .push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
            }
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        let mut filters = BTreeMap::new();
        if !area.is_empty() {
            filters.insert(names::AREA.to_string(), area.to_string());
        }
        let query = filtered(Box::new(BooleanQuery::new(clauses)), &open.fields, &filters, None)?;
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(MAX_RECORDS).order_by_fast_field::<i64>(names::DATE, Order::Desc),
        )?;
        top.into_iter().map(|(_, address)| load(&searcher, &open, address)).collect()
    }

    /// Counts of every facet value over the whole archive.
    pub fn facet_counts(&self) -> Result<BTreeMap<String, Vec<(String, u64)>>> {
        let open = self.current();
        let searcher = open.reader.searcher();
        let counts = searcher.search(&AllQuery, &FacetCounts::new(&open.facets, FACETS))?;
        Ok(sorted_counts(open.facets.named(&counts)))
    }

    /// Runs a search. A query the parser rejects is an `Err(SearchError::Query)`; anything
    /// else going wrong is `SearchError::Internal`.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let open = self.current();
        let searcher = open.reader.searcher();
        let text = request.query.trim();
        let user_query: Box<dyn Query> = if text.is_empty() {
            Box::new(AllQuery)
        } else {
            open.parser.parse(text).map_err(SearchError::Query)?
        };
        let full = filtered(user_query.box_clone(), &open.fields, &request.filters, None)?;
        let limit = request.limit.clamp(1, MAX_PAGE_SIZE);
        let sort = if text.is_empty() { Sort::Newest } else { request.sort };

        let (addresses, total, counts) = match sort {
            Sort::Relevance => {
                let top = TopDocs::with_limit(limit).and_offset(request.offset).order_by_score();
                let (top, total, counts) = searcher
                    .search(&full, &(top, Count, FacetCounts::new(&open.facets, FACETS)))?;
                (top, total, counts)
            }
            Sort::Newest => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(request.offset)
                    .order_by_fast_field::<i64>(names::DATE, Order::Desc);
                let (top, total, counts) = searcher
                    .search(&full, &(top, Count, FacetCounts::new(&open.facets, FACETS)))?;
                (top.into_iter().map(|(_, a)| (0.0, a)).collect::<Vec<_>>(), total, counts)
            }
        };
        let mut counts = open.facets.named(&counts);
        // A filtered dimension counts over the matches without its own filter.
        for field in request.filters.keys() {
            if !FACETS.contains(&field.as_str()) {
                continue;
            }
            let without =
                filtered(user_query.box_clone(), &open.fields, &request.filters, Some(field))?;
            let counter = FacetCounts::new(&open.facets, &[field.as_str()]);
            let mut alone = open.facets.named(&searcher.search(&without, &counter)?);
            if let Some((name, values)) = alone.pop_first() {
                counts.insert(name, values);
            }
        }

        let mut snippets = if text.is_empty() {
            None
        } else {
            Some(highlighter(&searcher, &*user_query, open.fields.text)?)
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            // What a hit shows of the article is in the catalogue; only its text is read.
            let summary = open
                .rows
                .get(address.segment_ord as usize)
                .and_then(|rows| rows.get(address.doc_id as usize))
                .and_then(|&row| open.catalogue.articles.get(row as usize))
                .ok_or_else(|| anyhow!("a search hit is not in the catalogue"))?;
            let stored: StoredText = searcher.doc(address)?;
            hits.push(hit(summary, &stored.0, score, snippets.as_mut()));
        }
        Ok(SearchResults { total, hits, facets: sorted_counts(counts) })
    }
}

/// Why a search failed.
#[derive(Debug)]
pub enum SearchError {
    /// The query could not be parsed; show the person why.
    Query(QueryError),
    /// Something went wrong inside; log it.
    Internal(anyhow::Error),
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::Query(e) => write!(f, "{e}"),
            SearchError::Internal(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Internal(e.into())
    }
}

impl From<anyhow::Error> for SearchError {
    fn from(e: anyhow::Error) -> Self {
        SearchError::Internal(e)
    }
}

/// Opens a generation that is not in service yet, as the server will (the catalogue of every
/// summary, the facet table, the record columns), and lets it go: ingest checks a new
/// generation this way before switching it in, so an index that cannot be read is never put
/// in service. Returns where its articles differ from the register it holds.
pub fn check_generation(path: &Path, name: &str) -> Result<Vec<RegisterDisagreement>> {
    let directory = super::directory::ServingDirectory::open(path)
        .with_context(|| format!("opening index generation {name}"))?;
    let index =
        Index::open(directory).with_context(|| format!("opening index generation {name}"))?;
    let register = Register::read_generation(path)?;
    open_index(index, name.to_string(), register).map(|open| open.catalogue.disagreements())
}

/// Whether a generation opens as the server would open it, short of decoding its summaries:
/// its meta, every segment's files and the record and summary columns. Ingest asks this of
/// the generation in service on every run, so it must stay cheap next to a no-op ingest;
/// [`check_generation`] reads a new generation whole before it is switched in.
pub fn check_opens(path: &Path, name: &str) -> Result<()> {
    let directory = super::directory::ServingDirectory::open(path)
        .with_context(|| format!("opening index generation {name}"))?;
    let index =
        Index::open(directory).with_context(|| format!("opening index generation {name}"))?;
    super::analyser::register(&index);
    let fields = Fields::from_schema(&index.schema())?;
    let summary = index.schema().get_field_name(fields.summary).to_string();
    let reader: IndexReader =
        index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    for segment in reader.searcher().segment_readers() {
        Values::open(segment, names::RECORD)?;
        Values::open(segment, &summary)?;
    }
    Register::read_generation(path)?;
    Ok(())
}

/// Opens the generation `CURRENT` names or, when it cannot be read, the newest older one
/// that can, with why (see the module documentation).
fn open_in_service(dir: &Path) -> Result<(Open, Option<Fallback>)> {
    let store = IndexDir::new(dir);
    let pointer = store.current_pointer()?;
    let (broken, error) = match pointer.as_deref() {
        None if !store.has_generations()? => {
            bail!("there is no index in {}; run `send-archive ingest` first", dir.display())
        }
        None => (CURRENT_FILE.to_string(), anyhow!("{CURRENT_FILE} is missing")),
        Some(name) => match open_generation(&store, name) {
            Ok(open) => return Ok((open, None)),
            Err(error) => (name.to_string(), error),
        },
    };
    let mut failures = vec![format!("{broken}: {}", brief(&error))];
    for name in store.fallback_generations(pointer.as_deref())? {
        match open_generation(&store, &name) {
            Ok(open) => {
                let fallback = Fallback { broken, error: brief(&error), serving: name };
                return Ok((open, Some(fallback)));
            }
            Err(e) => failures.push(format!("{name}: {}", brief(&e))),
        }
    }
    bail!(
        "no index generation in {} can be read ({}); run `send-archive ingest` to build the \
         index again",
        dir.display(),
        failures.join("; ")
    )
}

/// An error in a line or two: tantivy's report of a corrupt file quotes the whole file.
fn brief(error: &anyhow::Error) -> String {
    const MAX_CHARS: usize = 300;
    let text = format!("{error:#}");
    match text.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Opens one generation of the index folder, refusing one of another format.
fn open_generation(store: &IndexDir, name: &str) -> Result<Open> {
    if !is_generation(name) {
        bail!("{CURRENT_FILE} names no index generation ({name:?})");
    }
    let path = store.generation_path(name);
    if !path.is_dir() {
        bail!("its folder {} is missing", path.display());
    }
    // An index analysed another way would answer queries wrongly (synonyms, say), not fail.
    if let Some(manifest) = store.manifest(name)
        && manifest.schema_version != super::schema::SCHEMA_VERSION
    {
        bail!(
            "the index in {} was built by another version of the archive (format {}, this one \
             reads {}); run `send-archive ingest` again",
            store.root().display(),
            manifest.schema_version,
            super::schema::SCHEMA_VERSION
        );
    }
    let directory = super::directory::ServingDirectory::open(&path)
        .with_context(|| format!("opening index generation {name}"))?;
    let index =
        Index::open(directory).with_context(|| format!("opening index generation {name}"))?;
    let register = Register::read_generation(&path)?;
    open_index(index, name.to_string(), register)
}

fn open_index(index: Index, generation: String, register: Register) -> Result<Open> {
    super::analyser::register(&index);
    let fields = Fields::from_schema(&index.schema())
        .context("the index was built by another version; run `send-archive ingest` again")?;
    // Generations are immutable once in service, so the reader never needs reloading.
    // tantivy's cache of doc-store blocks is off: a block holds one document, reading it
    // costs no more than the cache's shared lock and bookkeeping did (same throughput under
    // load), and without it the server holds 5 MB less. Repeated pages are the response
    // cache's job.
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .doc_store_cache_num_blocks(0)
        .try_into()?;
    let searcher = reader.searcher();
    let (catalogue, rows) = build_catalogue(&searcher, &fields)?;
    let catalogue = Arc::new(catalogue.with_register(register));
    let facets = Arc::new(FacetTable::read(searcher.segment_readers())?);
    let parser = query::Parser::new(&index.schema(), &fields, super::analyser::query_tokenizers());
    let records = searcher
        .segment_readers()
        .iter()
        .map(|segment| Values::open(segment, names::RECORD))
        .collect::<Result<Vec<_>>>()?;
    Ok(Open { reader, fields, generation, catalogue, rows, facets, parser, records })
}

/// Where each document's summary is in [`Catalogue::articles`]: by segment ordinal, then
/// document id; [`NO_ROW`] for a deleted document.
type Rows = Vec<Vec<u32>>;

/// The row of a document that has none.
const NO_ROW: u32 = u32::MAX;

/// Reads every article's summary (a fast field, not the stored records) into a
/// [`Catalogue`], with each document's row in it.
fn build_catalogue(searcher: &Searcher, fields: &Fields) -> Result<(Catalogue, Rows)> {
    let name = searcher.schema().get_field_name(fields.summary).to_string();
    let mut summaries: Vec<ArticleSummary> = Vec::with_capacity(searcher.num_docs() as usize);
    // Each segment's documents' indexes into `summaries`.
    let mut documents: Vec<Vec<Option<usize>>> = Vec::new();
    for segment in searcher.segment_readers() {
        let values = Values::open(segment, &name)?;
        // The summaries of live documents, by their ordinal in the column's dictionary.
        let alive = segment.alive_bitset();
        let ords: Vec<Option<u64>> = (0..segment.max_doc())
            .map(|doc| {
                alive.is_none_or(|bits| bits.is_alive(doc)).then(|| values.ord(doc)).flatten()
            })
            .collect();
        let mut wanted: Vec<u64> = ords.iter().flatten().copied().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut read: HashMap<u64, usize> = HashMap::with_capacity(wanted.len());
        let mut failed = None;
        let mut next = wanted.iter();
        let complete = values.each_sorted(&wanted, |bytes| {
            let Some(&ord) = next.next() else { return };
            match serde_json::from_slice::<ArticleSummary>(bytes) {
                Ok(summary) => {
                    read.insert(ord, summaries.len());
                    summaries.push(summary);
                }
                Err(error) => failed = Some(error),
            }
        })?;
        if let Some(error) = failed {
            return Err(error).context("an article summary could not be read; ingest again");
        }
        if !complete {
            bail!("some article summaries are missing; ingest again");
        }
        documents
            .push(ords.iter().map(|ord| ord.and_then(|ord| read.get(&ord).copied())).collect());
    }
    let slugs: Vec<String> = summaries.iter().map(|summary| summary.slug.clone()).collect();
    let catalogue = Catalogue::from_summaries(summaries);
    let rows = documents
        .iter()
        .map(|docs| {
            docs.iter()
                .map(|index| {
                    index
                        .and_then(|i| catalogue.row(&slugs[i]))
                        .and_then(|row| u32::try_from(row).ok())
                        .unwrap_or(NO_ROW)
                })
                .collect()
        })
        .collect();
    Ok((catalogue, rows))
}

/// The query AND every filter (except `skip`).
fn filtered(
    query: Box<dyn Query>,
    fields: &Fields,
    filters: &BTreeMap<String, String>,
    skip: Option<&String>,
) -> Result<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    for (name, value) in filters {
        if Some(name) == skip || value.is_empty() {
            continue;
        }
        let field = match name.as_str() {
            names::AREA => fields.area,
            names::REGION => fields.region,
            names::OUTCOME => fields.outcome,
            names::FRAMEWORK => fields.framework,
            names::KIND => fields.kind,
            names::THEME => fields.theme,
            names::THEME_POLARITY => fields.theme_polarity,
            names::YEAR => fields.year,
            names::SOURCE => fields.source,
            other => return Err(anyhow!("there is no filter called {other:?}")),
        };
        let term = Term::from_field_text(field, value);
        clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
    }
    if clauses.len() == 1 {
        return Ok(clauses.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(AllQuery)));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Reads a document's [`Record`] from its `record` column, with the paragraphs split back
/// from the stored text when the record left them out (see [`super::writer::document`]).
fn load(searcher: &Searcher, open: &Open, address: DocAddress) -> Result<Record> {
    let values = open
        .records
        .get(address.segment_ord as usize)
        .ok_or_else(|| anyhow!("a document's segment has no records"))?;
    let mut bytes = Vec::new();
    if !values.get(address.doc_id, &mut bytes)? {
        bail!("a document has no stored record");
    }
    let mut record = record_from_bytes(&bytes)?;
    if record.paragraphs.is_empty() {
        let stored: StoredText = searcher.doc(address)?;
        if !stored.0.is_empty() {
            record.paragraphs = stored.0.split(PARAGRAPH_BREAK).map(str::to_string).collect();
        }
    }
    Ok(record)
}

/// What is read of a stored document: its text, for a hit's snippet or a page's
/// paragraphs. The text is stored first (see [`super::writer::document`]), so reading stops
/// there: the slug and file name after it are not copied.
struct StoredText(String);

impl tantivy::schema::document::DocumentDeserialize for StoredText {
    fn deserialize<'de, D>(
        mut deserializer: D,
    ) -> Result<Self, tantivy::schema::document::DeserializeError>
    where
        D: tantivy::schema::document::DocumentDeserializer<'de>,
    {
        let body = tantivy::schema::Field::from_field_id(ids::BODY);
        while let Some((field, text)) = deserializer.next_field::<String>()? {
            if field == body {
                return Ok(StoredText(text));
            }
        }
        Ok(StoredText(String::new()))
    }
}

/// A highlighter for the query's terms in `field`, each scored as tantivy's
/// `SnippetGenerator::create` scores it (rarer terms count for more). A synonym's canonical
/// term brings the words of all its entries, as the phrase queries it replaces would.
fn highlighter(
    searcher: &Searcher,
    query: &dyn Query,
    field: tantivy::schema::Field,
) -> tantivy::Result<Highlighter> {
    let mut terms = std::collections::BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let joined: Vec<Term> = terms
        .iter()
        .filter_map(|term| term.value().as_str().and_then(super::synonyms::highlight_stems))
        .flatten()
        .map(|stem| Term::from_field_text(field, stem))
        .collect();
    terms.extend(joined);
    let mut scored = BTreeMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_string) else { continue };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            scored.insert(text, 1.0 / (1.0 + doc_freq as Score));
        }
    }
    Ok(Highlighter::new(scored, SNIPPET_CHARS))
}

fn hit(
    summary: &ArticleSummary,
    body: &str,
    score: Score,
    snippets: Option<&mut Highlighter>,
) -> SearchHit {
    let (snippet_html, snippet_text, highlights) = match snippets.and_then(|h| h.passage(body)) {
        Some(passage) => (passage.to_html(), passage.text, passage.highlighted),
        None => {
            let lead = lead_text(body);
            let mut html = String::with_capacity(lead.len());
            escape_into(&mut html, &lead);
            (html, lead, Vec::new())
        }
    };
    let area_ref = |area: &AreaSummary| AreaRef {
        code: area.code.clone(),
        name: area.name.clone(),
        region: area.region.clone(),
        slug: area.slug.clone(),
        evidence: None,
    };
    let report = summary.report();
    let (area, roundup_areas, outcome, framework) = if summary.roundup {
        let framework =
            report.framework.filter(|&f| summary.reports.iter().all(|r| r.framework == Some(f)));
        (None, summary.areas().map(area_ref).collect(), None, framework)
    } else {
        (report.area.as_ref().map(area_ref), Vec::new(), report.outcome, report.framework)
    };
    SearchHit {
        slug: summary.slug.clone(),
        title: summary.title.clone(),
        area,
        roundup_areas,
        published: summary.published,
        outcome,
        framework,
        source: summary.source.clone(),
        snippet_html,
        snippet_text,
        highlights,
        score,
    }
}

/// The opening of an article (its first paragraph, cut), for results without a matching
/// passage.
fn lead_text(body: &str) -> String {
    let first = body.split(PARAGRAPH_BREAK).next().unwrap_or("");
    if first.chars().count() <= SNIPPET_CHARS {
        return first.to_string();
    }
    let cut: String = first.chars().take(SNIPPET_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}\u{2026}")
}

fn sorted_counts(counts: NamedCounts) -> BTreeMap<String, Vec<(String, u64)>> {
    counts
        .into_iter()
        .map(|(field, mut values)| {
            // Most common first; the sort is stable, so equal counts stay in name order.
            values.sort_by_key(|v| std::cmp::Reverse(v.1));
            (field.to_string(), values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
        pairs.iter().map(|(n, c)| (n.to_string(), *c)).collect()
    }

    #[test]
    fn counts_are_listed_most_common_first_then_by_name() {
        let mut fruit = NamedCounts::new();
        fruit.insert("area", list(&[("a", 2), ("b", 5), ("c", 2)]));
        assert_eq!(sorted_counts(fruit)["area"], list(&[("b", 5), ("a", 2), ("c", 2)]));
    }
}
