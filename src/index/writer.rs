//! Ingest: from the corpus folder to a new index generation.
//!
//! 1. Find the article files and look at their size and modification time (and their
//!    sidecars'). When nothing changed since the generation in service was built, stop: a
//!    no-op ingest rewrites nothing.
//! 2. Read the files that changed; a file whose bytes are the same as before counts as
//!    unchanged. Parse, apply the sidecar and extract the rest, in parallel.
//! 3. Start a new generation from the previous one (hard links: tantivy never rewrites a
//!    segment), delete the records of changed and removed files, add the new records, and
//!    commit. Without a usable previous generation, build from empty.
//! 4. Write the manifest, switch `CURRENT` atomically, remove old generations.
//!
//! A file that cannot be read as an article is reported and skipped; the rest are indexed.
//! The same article under two names is indexed once (the name indexed first keeps it, so its
//! permalink never moves), with a warning. Any failure before step 4 leaves the previous
//! generation in service.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use tantivy::schema::{Schema, Value};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::schema::{Fields, SCHEMA_VERSION, TITLE_WEIGHT, build_schema};
use super::store::{
    FileEntry, FileStatus, IndexDir, Manifest, RegisterDisagreement, link_generation,
};
use crate::corpus::{self, sidecar::Sidecar};
use crate::extract::{self, EXTRACTOR_VERSION, Gazetteer, Record, slug::slugify};
use crate::register::Register;

/// The doc store's block size: a block is closed once it holds more than this. A search hit
/// reads one whole block for its text; at tantivy's default of 16 KiB that is four or five
/// documents for the one wanted. A stored document (slug, file name and text) is mostly 2 to
/// 5 KiB, so at 1 KiB a block is one document (or a few short ones).
const DOCSTORE_BLOCK_BYTES: usize = 1024;

/// What joins paragraphs in the stored `body`; a stored record without paragraphs gets them
/// back by splitting at it.
pub const PARAGRAPH_BREAK: &str = "\n\n";

/// Memory the index writer may use before flushing a segment. Large enough that a corpus of
/// ten thousand articles is written as one or two segments, without merges.
const WRITER_MEMORY_BYTES: usize = 256 * 1024 * 1024;

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The corpus folder (its `articles/` sub-folder when it has one).
    pub data: PathBuf,
    /// The index folder.
    pub index: PathBuf,
}

/// Told about progress, so the CLI can draw a bar.
pub trait Progress: Sync {
    /// `total` files are about to be read.
    fn start(&self, total: u64);
    /// One more file is done.
    fn advance(&self);
    /// All done.
    fn finish(&self);
}

/// Progress that nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    /// The generation in service afterwards.
    pub generation: String,
    /// False when the corpus was unchanged and nothing was written.
    pub rebuilt: bool,
    /// Articles in the index.
    pub articles: usize,
    /// Files read and (re)indexed this time.
    pub indexed_now: usize,
    /// Records removed because their files went away or changed.
    pub removed: usize,
    /// Distinct local areas among the articles.
    pub areas: usize,
    /// Articles per outcome code; `None` counts articles with no outcome.
    pub outcomes: BTreeMap<Option<String>, usize>,
    /// Files not read as articles, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Files that repeat another file's article: (duplicate, the file indexed).
    pub duplicates: Vec<(String, String)>,
    /// Warnings by file.
    pub warnings: Vec<(String, Vec<String>)>,
    /// Where articles differ from the register's inspection they report.
    pub disagreements: Vec<RegisterDisagreement>,
    /// How long it took.
    pub elapsed: Duration,
}

impl IngestReport {
    /// True when some file was skipped, which the CLI's exit status reports.
    pub fn skipped_any(&self) -> bool {
        !self.skipped.is_empty()
    }
}

/// The folder the article files are in: `data/articles` when it exists, else `data`.
pub fn corpus_root(data: &Path) -> PathBuf {
    let articles = data.join("articles");
    if articles.is_dir() { articles } else { data.to_path_buf() }
}

/// The register's text from the data folder, if it has one.
fn read_register(data: &Path) -> Result<Option<String>> {
    let path = data.join(crate::register::FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!("could not read the register {}: {e}", path.display())),
    }
}

/// Puts the register's text into the generation at `path` (or none). The generation may hold
/// a hard link to the previous generation's copy: the link is removed first, so that copy is
/// never written through.
fn write_register(path: &Path, text: Option<&str>) -> Result<()> {
    let file = path.join(crate::register::GENERATION_FILE);
    match std::fs::remove_file(&file) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(anyhow::anyhow!("replacing {}: {e}", file.display())),
    }
    if let Some(text) = text {
        std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(())
}

/// A hash of the gazetteer, so a changed gazetteer rebuilds every record.
fn gazetteer_hash(gazetteer: &Gazetteer) -> u64 {
    let mut hasher = Xxh3::new();
    for area in gazetteer.areas() {
        for part in [&area.code, &area.name, &area.slug, &area.region] {
            hasher.update(part.as_bytes());
            hasher.update(b"\t");
        }
        for alias in &area.aliases {
            hasher.update(alias.as_bytes());
            hasher.update(b";");
        }
        hasher.update(b"\n");
    }
    hasher.digest()
}

/// A file's size and modification time.
fn stat(path: &Path) -> Option<(u64, i128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta.modified().ok().map_or(0, |t| match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    });
    Some((meta.len(), mtime))
}

/// What reading one changed file came to.
enum Processed {
    /// Its bytes (and sidecar) are as the previous generation saw them: nothing to do.
    Unchanged,
    /// An article, extracted.
    Article { record: Box<Record>, content_hash: u64, text_hash: u64 },
    /// Not an article.
    Skipped { reason: String, content_hash: u64 },
}

/// Reads, parses and extracts one file; stops early when its bytes are the same as before.
fn process(
    path: &Path,
    file: &str,
    previous_hash: Option<u64>,
    has_sidecar: bool,
    gazetteer: &Gazetteer,
) -> Processed {
    let bytes = match corpus::read_bytes(path) {
        Ok(bytes) => bytes,
        Err(reason) => return Processed::Skipped { reason: reason.to_string(), content_hash: 0 },
    };
    // A sidecar that cannot be read or parsed skips its article with the reason: indexing
    // the article without its curated facts would drop them from the site unnoticed.
    let sidecar_bytes = match has_sidecar.then(|| Sidecar::read_bytes(path)).transpose() {
        Ok(bytes) => bytes.flatten(),
        Err(reason) => return Processed::Skipped { reason, content_hash: 0 },
    };
    let content_hash = content_hash(&bytes, sidecar_bytes.as_deref());
    if previous_hash == Some(content_hash) {
        return Processed::Unchanged;
    }
    let sidecar = match sidecar_bytes.map(|b| Sidecar::from_bytes(path, &b)).transpose() {
        Ok(sidecar) => sidecar,
        Err(reason) => return Processed::Skipped { reason, content_hash },
    };
    // Parsing and extraction are pure and should never panic; if a bug makes them, this file
    // is skipped with the reason and the rest of the batch goes on.
    let parsed = extract::guard::guarded(|| {
        extract::guard::inject_fault(file);
        corpus::parse(file, &bytes)
            .map(|article| extract::extract(&article, sidecar.as_ref(), gazetteer))
    });
    let record = match parsed {
        Ok(Ok(record)) => record,
        Ok(Err(reason)) => return Processed::Skipped { reason: reason.to_string(), content_hash },
        Err(internal) => return Processed::Skipped { reason: internal, content_hash },
    };
    let text_hash = text_hash(&record.paragraphs);
    Processed::Article { record: Box::new(record), content_hash, text_hash }
}

fn content_hash(bytes: &[u8], sidecar: Option<&[u8]>) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(bytes);
    if let Some(sidecar) = sidecar {
        hasher.update(b"\0sidecar\0");
        hasher.update(sidecar);
    }
    hasher.digest()
}

/// A hash of an article's cleaned words, blind to case, punctuation and layout, so that the
/// same article saved twice (as text and as HTML, or re-encoded) is recognised.
fn text_hash(paragraphs: &[String]) -> u64 {
    let mut hasher = Xxh3::new();
    let mut buffer = Vec::with_capacity(4096);
    let mut in_word = false;
    for paragraph in paragraphs {
        let bytes = paragraph.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                // The common case, a byte at a time.
                i += 1;
                if b.is_ascii_alphanumeric() {
                    buffer.push(b.to_ascii_lowercase());
                    in_word = true;
                } else if in_word {
                    buffer.push(b' ');
                    in_word = false;
                }
                continue;
            }
            let ch = paragraph[i..].chars().next().unwrap_or(' ');
            i += ch.len_utf8();
            if ch.is_alphanumeric() {
                let mut utf8 = [0; 4];
                for lower in ch.to_lowercase() {
                    buffer.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
                }
                in_word = true;
            } else if in_word {
                buffer.push(b' ');
                in_word = false;
            }
        }
        if in_word {
            buffer.push(b' ');
            in_word = false;
        }
    }
    hasher.update(&buffer);
    hasher.digest()
}

/// Builds the tantivy document of a record.
///
/// The text is stored once, in `body`: the record's JSON is written with its paragraphs lent
/// out (`record` is as it was on return), and reading it back splits `body` at blank lines.
/// Paragraphs are cleaned to single lines and are never empty; should one not be (so that
/// splitting would not give it back), the JSON keeps them all and reading uses those.
pub fn document(fields: &Fields, record: &mut Record) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    // Of the stored fields, the text first: they are stored in the order they are added, and
    // a reader of the text stops once it has it. (`text` is indexed, not stored.)
    let body = record.paragraphs.join(PARAGRAPH_BREAK);
    for _ in 0..TITLE_WEIGHT {
        doc.add_text(fields.text, &record.title);
    }
    doc.add_text(fields.text, &body);
    doc.add_text(fields.body, body);
    doc.add_text(fields.slug, &record.slug);
    doc.add_text(fields.file, &record.file);
    doc.add_text(fields.title, &record.title);
    add_report_terms(&mut doc, fields, record);
    if let Some(name) = &record.source.name {
        doc.add_text(fields.source, slugify(name));
    }
    for quote in &record.quotes {
        if let Some(speaker) = &quote.speaker {
            doc.add_text(fields.speaker, speaker);
        }
        for part in [&quote.role, &quote.organisation].into_iter().flatten() {
            doc.add_text(fields.role, part);
        }
    }
    doc.add_i64(fields.date, record.sort_date().and_then(|d| d.sort_key()).unwrap_or(i64::MIN));
    let splits_back = record.paragraphs.iter().all(|p| !p.is_empty() && !p.contains('\n'));
    let paragraphs = if splits_back { std::mem::take(&mut record.paragraphs) } else { Vec::new() };
    doc.add_bytes(fields.record, &record_bytes(record));
    if splits_back {
        record.paragraphs = paragraphs;
    }
    let summary = super::catalogue::summarise(record);
    doc.add_bytes(fields.summary, &serde_json::to_vec(&summary).unwrap_or_default());
    doc
}

/// The longest value a bytes fast field holds: tantivy keeps them in a dictionary whose
/// entries are at most `u16::MAX` bytes, and cuts a longer one, which leaves the index
/// unreadable ("EOF while parsing a string").
const MAX_FAST_BYTES: usize = u16::MAX as usize;

/// Why a document cannot be stored whole, if it cannot: its record or summary is longer than
/// [`MAX_FAST_BYTES`] (a headline, source name or address tens of kilobytes long). The file
/// is then skipped with this reason, before anything is written.
fn too_long(fields: &Fields, doc: &TantivyDocument) -> Option<String> {
    [(fields.record, "facts"), (fields.summary, "summary")].into_iter().find_map(|(field, what)| {
        let len = doc.get_first(field).and_then(|v| v.as_bytes()).map_or(0, <[u8]>::len);
        (len > MAX_FAST_BYTES).then(|| {
            format!(
                "the article's {what} take {len} bytes, over the index's limit of {MAX_FAST_BYTES} for one value: is its headline, source name or address tens of kilobytes long?"
            )
        })
    })
}

/// Adds the filter terms of what the record reports: area, region, outcome, framework,
/// kind, year and themes, for each of its reports (one for an ordinary article, one per
/// area for a round-up), each distinct value once. A round-up is so found, and counted in
/// facets, under every one of its areas, their regions, outcomes and so on.
///
/// Filters combine per document, not per report: `area=A&outcome=X` matches a round-up
/// where A is one area and X another's outcome. That is accepted: the hit is the article,
/// which does report both; it lists every area, and its page gives each area's outcome, so
/// the reader sees which is which. Matching within one report would need a document per
/// report (a round-up counted several times in totals and facets) or nested documents, for
/// a kind of article that is rare and a combination of filters that is rarer.
fn add_report_terms(doc: &mut TantivyDocument, fields: &Fields, record: &Record) {
    let reports = record.reports();
    let published_year = record.published.and_then(|d| d.year);
    // Each value once per field: a slotted facet would count a repeat twice.
    let mut added: Vec<(tantivy::schema::Field, String)> = Vec::new();
    let mut add = |doc: &mut TantivyDocument, field, value: String| {
        if !added.iter().any(|(f, v)| *f == field && *v == value) {
            doc.add_text(field, &value);
            added.push((field, value));
        }
    };
    for report in &reports {
        if let Some(area) = report.area {
            add(doc, fields.area, area.slug.clone());
            add(doc, fields.region, slugify(&area.region));
        }
        let inspection = report.inspection;
        if let Some(outcome) = inspection.outcome {
            add(doc, fields.outcome, outcome.code().to_string());
        }
        if let Some(framework) = inspection.framework {
            add(doc, fields.framework, framework.code().to_string());
        }
        if let Some(kind) = inspection.kind {
            add(doc, fields.kind, kind.code().to_string());
        }
        // An ordinary article's year is `Record::year`; a round-up's reports each have theirs.
        let year = inspection.visit_start.and_then(|d| d.year).or(published_year);
        if let Some(year) = year {
            add(doc, fields.year, year.to_string());
        }
        for theme in report.themes {
            add(doc, fields.theme, theme.id.code().to_string());
            add(doc, fields.theme_polarity, format!("{}:{}", theme.id, theme.polarity));
        }
    }
    // A round-up's `themes` hold all of the article's findings, which its areas' lists
    // should cover; any they do not is still the article's.
    if record.is_roundup() {
        for theme in &record.themes {
            add(doc, fields.theme, theme.id.code().to_string());
            add(doc, fields.theme_polarity, format!("{}:{}", theme.id, theme.polarity));
        }
    }
}

/// A record as the `record` field holds it: its JSON, LZ4-compressed (to about 40%), with
/// the uncompressed length first.
pub fn record_bytes(record: &Record) -> Vec<u8> {
    lz4_flex::block::compress_prepend_size(&serde_json::to_vec(record).unwrap_or_default())
}

/// The record that [`record_bytes`] made `bytes` of. Its paragraphs are empty when
/// [`document`] left them out.
pub fn record_from_bytes(bytes: &[u8]) -> Result<Record> {
    let json = lz4_flex::block::decompress_size_prepended(bytes)
        .context("a stored record could not be decompressed")?;
    serde_json::from_slice(&json).context("a stored record could not be read")
}

/// One file found in the corpus, with what is known of it before reading it.
struct Candidate {
    path: PathBuf,
    file: String,
    stat: (u64, i128),
    sidecar: Option<(u64, i128)>,
}

/// Runs an ingest. See the module documentation for the steps and guarantees.
pub fn ingest(options: &IngestOptions, progress: &dyn Progress) -> Result<IngestReport> {
    let started = Instant::now();
    let gazetteer = Gazetteer::builtin();
    let dir = IndexDir::new(&options.index);
    let _lock = dir.lock().with_context(|| format!("locking {}", options.index.display()))?;
    dir.remove_abandoned_generations().context("removing the remains of a failed ingest")?;

    let root = corpus_root(&options.data);
    if !root.is_dir() {
        bail!("the corpus folder {} does not exist or is not a folder", root.display());
    }
    let (sources, unreadable) = corpus::discover(&root)
        .with_context(|| format!("listing the articles in {}", root.display()))?;
    let candidates: Vec<Candidate> = sources
        .into_iter()
        .map(|source| {
            let stat = stat(&source.path).unwrap_or((0, 0));
            let sidecar = stat_sidecar(&source.path);
            Candidate { path: source.path, file: source.file, stat, sidecar }
        })
        .collect();

    // The register is checked whole before anything is written: a bad row stops the ingest
    // with every bad row named, and the index in service stays.
    let register_text = read_register(&options.data)?;
    if let Some(text) = &register_text {
        Register::parse(text, gazetteer).map_err(|e| {
            anyhow::anyhow!(
                "{e}the index in service was not changed; correct the register and ingest again"
            )
        })?;
    }
    let register_hash = register_text.as_deref().map_or(0, |t| xxh3_64(t.as_bytes()));

    let gazetteer_hash = gazetteer_hash(gazetteer);
    // A current generation that cannot be read (a file deleted or cut short) is no ground
    // for calling the corpus unchanged, nor a base to build on: build afresh. It stays on
    // disk, as the generation before the new one, until a later ingest prunes it.
    let current = dir.current_name()?.filter(|name| {
        match super::search::check_opens(&dir.generation_path(name), name) {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!("the index in service cannot be read ({error:#}); rebuilding it");
                false
            }
        }
    });
    let previous = current.as_deref().and_then(|name| dir.manifest(name)).filter(|m| {
        m.schema_version == SCHEMA_VERSION
            && m.extractor_version == EXTRACTOR_VERSION
            && m.gazetteer_hash == gazetteer_hash
    });
    // A changed register needs a new generation (the pages read it from there), but no
    // article needs reading again.
    let register_changed = previous.as_ref().is_none_or(|m| m.register_hash != register_hash);
    let data_label = options.data.display().to_string();

    // Step 1: the no-op check, from file metadata alone.
    if let (Some(name), Some(previous)) = (&current, &previous) {
        let unchanged = !register_changed
            && previous.files.len() == candidates.len()
            && unreadable.is_empty()
            && candidates.iter().all(|c| {
                previous.files.get(&c.file).is_some_and(|e| {
                    e.size == c.stat.0 && e.mtime_ns == c.stat.1 && e.sidecar == c.sidecar
                })
            });
        if unchanged {
            let mut report = report_from_manifest(previous);
            report.generation = name.clone();
            report.elapsed = started.elapsed();
            return Ok(report);
        }
    }

    // Step 2: which files to read; the others keep their entries.
    let empty = Manifest::default();
    let old = previous.as_ref().unwrap_or(&empty);
    let mut entries: BTreeMap<String, FileEntry> = BTreeMap::new();
    let mut to_read = Vec::new();
    let mut unchanged = Vec::new();
    for candidate in candidates {
        match old.files.get(&candidate.file) {
            Some(entry)
                if entry.size == candidate.stat.0
                    && entry.mtime_ns == candidate.stat.1
                    && entry.sidecar == candidate.sidecar =>
            {
                unchanged.push((candidate, entry.clone()));
            }
            _ => to_read.push(candidate),
        }
    }
    // A duplicate is read again when the article it repeats is no longer indexed as it was:
    // otherwise removing the original would lose the article.
    let stays_indexed: HashSet<String> = unchanged
        .iter()
        .filter(|(_, e)| matches!(e.status, FileStatus::Indexed(_)))
        .map(|(c, _)| c.file.clone())
        .collect();
    let mut force = HashSet::new();
    for (candidate, entry) in unchanged {
        match &entry.status {
            FileStatus::Duplicate(owner) if !stays_indexed.contains(owner) => {
                force.insert(candidate.file.clone());
                to_read.push(candidate);
            }
            _ => {
                entries.insert(candidate.file.clone(), entry);
            }
        }
    }
    for (file, reason) in &unreadable {
        entries.insert(file.clone(), FileEntry::skipped(reason.to_string(), (0, 0), None, 0));
    }

    // Step 3: the new generation, started from the previous one when there is one.
    let (name, path) = dir.new_generation()?;
    let incremental = current.is_some() && previous.is_some();
    let index = match &current {
        Some(current_name) if incremental => {
            link_generation(&dir.generation_path(current_name), &path)?;
            Index::open_in_dir(&path)
        }
        _ => Index::builder()
            .schema(build_schema())
            .settings(tantivy::IndexSettings {
                docstore_blocksize: DOCSTORE_BLOCK_BYTES,
                // Uncompressed: LZ4 shrank the store by a third (38 → 25 MB for ten thousand
                // articles) but decoding a hit's block was 7% of a search's instructions,
                // and encoding them 13% of an ingest. Size is the cheaper resource here.
                docstore_compression: tantivy::store::Compressor::None,
                ..tantivy::IndexSettings::default()
            })
            .create_in_dir(&path),
    };
    let built = index.map_err(anyhow::Error::from).and_then(|index| {
        build(&index, old, &mut entries, (to_read, &force), gazetteer, progress, started)
            .map(|built| built.or(register_changed.then_some((0, 0))))
    });
    let (indexed_now, removed) = match built {
        Ok(Some(counts)) => counts,
        Ok(None) => {
            // Nothing was added or removed (files were touched, not changed): the index in
            // service stands, with a refreshed manifest.
            let _ = std::fs::remove_dir_all(&path);
            let current_name = current.clone().unwrap_or_default();
            let mut manifest = manifest_of(entries, gazetteer_hash, data_label);
            manifest.register_hash = register_hash;
            manifest.disagreements = old.disagreements.clone();
            dir.write_manifest(&current_name, &manifest)?;
            let mut report = report_from_manifest(&manifest);
            report.generation = current_name;
            report.elapsed = started.elapsed();
            return Ok(report);
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&path);
            return Err(e.context("building the new index; the previous index is still in service"));
        }
    };
    let mut manifest = manifest_of(entries, gazetteer_hash, data_label);
    manifest.register_hash = register_hash;

    // Step 4: put the register beside the index, check that the new generation reads back as
    // the server will read it, then switch.
    let checked = write_register(&path, register_text.as_deref())
        .and_then(|()| super::search::check_generation(&path, &name));
    match checked {
        Ok(disagreements) => manifest.disagreements = disagreements,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&path);
            return Err(e.context(
                "the new index could not be read back, so it was not put in service; the \
                 previous index is still in service",
            ));
        }
    }
    dir.write_manifest(&name, &manifest)?;
    dir.switch_to(&name)?;
    dir.remove_old_generations()?;

    let mut report = report_from_manifest(&manifest);
    report.generation = name;
    report.rebuilt = true;
    report.indexed_now = indexed_now;
    report.removed = removed;
    report.elapsed = started.elapsed();
    Ok(report)
}

fn manifest_of(files: BTreeMap<String, FileEntry>, gazetteer_hash: u64, data: String) -> Manifest {
    Manifest {
        schema_version: SCHEMA_VERSION,
        extractor_version: EXTRACTOR_VERSION,
        gazetteer_hash,
        register_hash: 0,
        disagreements: Vec::new(),
        data,
        files,
    }
}

impl FileEntry {
    fn skipped(
        reason: String,
        stat: (u64, i128),
        sidecar: Option<(u64, i128)>,
        hash: u64,
    ) -> FileEntry {
        FileEntry {
            size: stat.0,
            mtime_ns: stat.1,
            sidecar,
            content_hash: hash,
            text_hash: 0,
            status: FileStatus::Skipped(reason),
            warnings: Vec::new(),
            area: None,
            outcome: None,
            roundup_areas: Vec::new(),
            roundup_outcomes: Vec::new(),
        }
    }
}

/// Who holds what during one ingest: the text of each article indexed, and each slug.
/// Decisions and the writer calls they lead to are made under one lock, so that the
/// delete-then-add order tantivy needs is kept across threads.
#[derive(Default)]
struct Claims {
    /// Text hash → (file, slug) of the article indexed with that text.
    texts: HashMap<u64, (String, String)>,
    /// Slug → file that holds it.
    slugs: HashMap<String, String>,
    /// Files whose record was added this time.
    added: HashSet<String>,
    /// Records deleted (old versions and displaced duplicates).
    deleted: usize,
    /// Files added this run and then displaced by a file that sorts before them; their
    /// records are deleted (by file name) once every add is done.
    displaced: Vec<String>,
}

/// Reads the changed files, extracts them and feeds the writer as records come, then
/// deletes what went away and commits. Returns `None` when there was nothing to write.
fn build(
    index: &Index,
    old: &Manifest,
    entries: &mut BTreeMap<String, FileEntry>,
    (to_read, force): (Vec<Candidate>, &HashSet<String>),
    gazetteer: &Gazetteer,
    progress: &dyn Progress,
    started: Instant,
) -> Result<Option<(usize, usize)>> {
    super::analyser::register(index);
    check_schema(&index.schema())?;
    let fields = Fields::from_schema(&index.schema())?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(threads, WRITER_MEMORY_BYTES)?;

    // What stays as it was claims its text and slug first: an article already indexed keeps
    // its permalink.
    let reading: HashSet<&str> = to_read.iter().map(|c| c.file.as_str()).collect();
    let mut claims = Claims::default();
    for (file, entry) in entries.iter() {
        if let FileStatus::Indexed(slug) = &entry.status {
            claims.texts.insert(entry.text_hash, (file.clone(), slug.clone()));
            claims.slugs.insert(slug.clone(), file.clone());
        }
    }
    // Files that are gone lose their records now.
    let mut removed = 0;
    for (file, entry) in &old.files {
        if let FileStatus::Indexed(slug) = &entry.status
            && !entries.contains_key(file)
            && !reading.contains(file.as_str())
        {
            writer.delete_term(Term::from_field_text(fields.slug, slug));
            removed += 1;
        }
    }
    let claims = std::sync::Mutex::new(claims);

    progress.start(to_read.len() as u64);
    let results: Vec<Result<(String, FileEntry)>> = to_read
        .into_par_iter()
        .map(|candidate| {
            let previous = old.files.get(&candidate.file);
            let known_hash =
                previous.filter(|_| !force.contains(&candidate.file)).map(|e| e.content_hash);
            let result = process(
                &candidate.path,
                &candidate.file,
                known_hash,
                candidate.sidecar.is_some(),
                gazetteer,
            );
            progress.advance();
            // A file that is not indexed: its previous version, if any, goes.
            let skip = |reason: String, content_hash: u64| -> Result<FileEntry> {
                if let Some(FileStatus::Indexed(slug)) = previous.map(|e| &e.status) {
                    let mut claims = claims.lock().map_err(|_| anyhow::anyhow!("lock poisoned"))?;
                    writer.delete_term(Term::from_field_text(fields.slug, slug));
                    claims.deleted += 1;
                }
                Ok(FileEntry::skipped(reason, candidate.stat, candidate.sidecar, content_hash))
            };
            let entry = match result {
                Processed::Unchanged => {
                    let mut entry = previous.cloned().expect("unchanged files had an entry");
                    entry.size = candidate.stat.0;
                    entry.mtime_ns = candidate.stat.1;
                    entry.sidecar = candidate.sidecar;
                    // Its claims were not made above (it was being read): make them now.
                    if let FileStatus::Indexed(slug) = &entry.status {
                        let mut claims =
                            claims.lock().map_err(|_| anyhow::anyhow!("lock poisoned"))?;
                        claims
                            .texts
                            .entry(entry.text_hash)
                            .or_insert((candidate.file.clone(), slug.clone()));
                        claims.slugs.entry(slug.clone()).or_insert(candidate.file.clone());
                    }
                    entry
                }
                Processed::Skipped { reason, content_hash } => skip(reason, content_hash)?,
                Processed::Article { mut record, content_hash, text_hash } => {
                    let document = document(&fields, &mut record);
                    if let Some(reason) = too_long(&fields, &document) {
                        return Ok((candidate.file.clone(), skip(reason, content_hash)?));
                    }
                    let mut entry = FileEntry {
                        size: candidate.stat.0,
                        mtime_ns: candidate.stat.1,
                        sidecar: candidate.sidecar,
                        content_hash,
                        text_hash,
                        status: FileStatus::Indexed(record.slug.clone()),
                        warnings: record.warnings.clone(),
                        area: record.area.as_ref().map(|a| a.slug.clone()),
                        outcome: record.inspection.outcome.map(|o| o.code().to_string()),
                        roundup_areas: record
                            .inspections
                            .iter()
                            .map(|i| i.area.slug.clone())
                            .collect(),
                        roundup_outcomes: record
                            .inspections
                            .iter()
                            .map(|i| i.inspection.outcome.map(|o| o.code().to_string()))
                            .collect(),
                    };
                    // The previous version of this file goes first; this thread adds the new
                    // one after, so tantivy's operation order keeps the new one.
                    if let Some(FileStatus::Indexed(old_slug)) = previous.map(|e| &e.status) {
                        writer.delete_term(Term::from_field_text(fields.slug, old_slug));
                    }
                    entry.status = {
                        let mut claims =
                            claims.lock().map_err(|_| anyhow::anyhow!("lock poisoned"))?;
                        if let Some(FileStatus::Indexed(old_slug)) = previous.map(|e| &e.status) {
                            claims.deleted += 1;
                            if claims.slugs.get(old_slug) == Some(&candidate.file) {
                                claims.slugs.remove(old_slug);
                            }
                        }
                        claim(&mut claims, &candidate.file, &record.slug, text_hash)
                    };
                    if matches!(entry.status, FileStatus::Indexed(_)) {
                        writer.add_document(document)?;
                    }
                    entry
                }
            };
            Ok((candidate.file, entry))
        })
        .collect();
    progress.finish();
    tracing::debug!(elapsed = ?started.elapsed(), "read, extracted and added");

    let claims = claims.into_inner().map_err(|_| anyhow::anyhow!("lock poisoned"))?;
    for file in &claims.displaced {
        writer.delete_term(Term::from_field_text(fields.file, file));
    }
    for result in results {
        let (file, entry) = result?;
        entries.insert(file, entry);
    }
    // A file displaced by one that sorts before it: a duplicate, or a slug clash.
    for (file, entry) in entries.iter_mut() {
        let FileStatus::Indexed(slug) = &entry.status else { continue };
        if let Some((owner, _)) = claims.texts.get(&entry.text_hash)
            && owner != file
        {
            entry.status = FileStatus::Duplicate(owner.clone());
        } else if let Some(owner) = claims.slugs.get(slug)
            && owner != file
        {
            entry.status = FileStatus::Skipped(format!(
                "its slug {slug:?} is already the permalink of {owner}; pin another in its sidecar"
            ));
        }
    }
    removed += claims.deleted;
    if claims.added.is_empty() && removed == 0 {
        return Ok(None);
    }
    let mut writer = writer;
    writer.commit()?;
    tracing::debug!(elapsed = ?started.elapsed(), "committed");
    writer.wait_merging_threads()?;
    Ok(Some((claims.added.len(), removed)))
}

/// Decides what a freshly extracted article becomes, given what others hold: indexed, a
/// duplicate of an article indexed under another name, or skipped for a slug clash. Between
/// two new files the first name in sort order wins, whichever was read first, so the result
/// does not depend on thread timing.
fn claim(claims: &mut Claims, file: &str, slug: &str, text_hash: u64) -> FileStatus {
    if let Some((owner, owner_slug)) = claims.texts.get(&text_hash).cloned()
        && owner != file
    {
        // Only a file added in this run can be displaced, and only by a name before it.
        if !(claims.added.contains(&owner) && file < owner.as_str()) {
            return FileStatus::Duplicate(owner);
        }
        claims.added.remove(&owner);
        claims.slugs.remove(&owner_slug);
        claims.displaced.push(owner);
    }
    if let Some(owner) = claims.slugs.get(slug).cloned()
        && owner != file
    {
        if !(claims.added.contains(&owner) && file < owner.as_str()) {
            return FileStatus::Skipped(format!(
                "its slug {slug:?} is already the permalink of {owner}; pin another in its sidecar"
            ));
        }
        claims.added.remove(&owner);
        claims.displaced.push(owner);
    }
    claims.texts.insert(text_hash, (file.to_string(), slug.to_string()));
    claims.slugs.insert(slug.to_string(), file.to_string());
    claims.added.insert(file.to_string());
    FileStatus::Indexed(slug.to_string())
}

fn stat_sidecar(article: &Path) -> Option<(u64, i128)> {
    stat(&Sidecar::path_for(article))
}

/// Refuses an index whose schema is not this version's (an old index is rebuilt instead).
fn check_schema(schema: &Schema) -> Result<()> {
    if *schema != build_schema() {
        bail!("the index schema differs from this version's");
    }
    Ok(())
}

/// The summary of a generation, from its manifest.
fn report_from_manifest(manifest: &Manifest) -> IngestReport {
    let mut report =
        IngestReport { disagreements: manifest.disagreements.clone(), ..IngestReport::default() };
    let mut areas = std::collections::BTreeSet::new();
    for (file, entry) in &manifest.files {
        match &entry.status {
            FileStatus::Indexed(_) => {
                report.articles += 1;
                areas.extend(entry.area.iter().chain(&entry.roundup_areas).cloned());
                // A round-up counts once for each of its inspections.
                if entry.roundup_outcomes.is_empty() {
                    *report.outcomes.entry(entry.outcome.clone()).or_default() += 1;
                }
                for outcome in &entry.roundup_outcomes {
                    *report.outcomes.entry(outcome.clone()).or_default() += 1;
                }
                if !entry.warnings.is_empty() {
                    report.warnings.push((file.clone(), entry.warnings.clone()));
                }
            }
            FileStatus::Duplicate(owner) => report.duplicates.push((file.clone(), owner.clone())),
            FileStatus::Skipped(reason) => report.skipped.push((file.clone(), reason.clone())),
        }
    }
    report.areas = areas.len();
    report
}

#[cfg(test)]
mod tests {

    use super::*;

    /// A record of `text` (blank-line separated paragraphs), extracted as ingest would.
    fn record_of(text: &str) -> Record {
        let article = corpus::parse("probe.txt", text.as_bytes()).expect("parses");
        extract::extract(&article, None, Gazetteer::builtin())
    }

    /// Indexes `records` in memory and reads each back as a page would.
    fn round_trip(records: &[Record]) -> Vec<Record> {
        let index = Index::create_in_ram(build_schema());
        super::super::analyser::register(&index);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for record in records {
            let mut lent = record.clone();
            writer.add_document(document(&fields, &mut lent)).unwrap();
            assert_eq!(&lent, record, "document() gives the paragraphs back");
        }
        writer.commit().unwrap();
        let archive = crate::index::Archive::from_index(index).unwrap();
        records.iter().map(|r| archive.article(&r.slug).unwrap().expect("indexed")).collect()
    }

    #[test]
    fn a_stored_record_reads_back_whole_with_its_text_stored_once() {
        let record = record_of(
            "Dudley SEND inspection\n\nInspectors said \"waiting times\" were too long.\n\n\
             - a list item\n\nThe council said it would act. Parents were not so sure.\n",
        );
        assert!(record.paragraphs.len() >= 3, "{:?}", record.paragraphs);
        let mut lent = record.clone();
        let fields = Fields::from_schema(&build_schema()).unwrap();
        let doc = document(&fields, &mut lent);
        let bytes = doc.get_first(fields.record).and_then(|v| v.as_bytes()).unwrap();
        let stored = record_from_bytes(bytes).unwrap();
        assert!(stored.paragraphs.is_empty(), "the stored record leaves the text out");
        assert!(bytes.len() < serde_json::to_vec(&stored).unwrap().len(), "and is compressed");
        assert_eq!(round_trip(std::slice::from_ref(&record)), [record]);
    }

    #[test]
    fn the_text_is_stored_first() {
        // Readers of the text stop at the first stored field that is the text.
        let schema = build_schema();
        let fields = Fields::from_schema(&schema).unwrap();
        let doc = document(&fields, &mut record_of("A title\n\nSome text.\n"));
        let first = doc
            .field_values()
            .map(|(field, _)| field)
            .find(|&field| schema.get_field_entry(field).is_stored());
        assert_eq!(first, Some(fields.body));
    }

    #[test]
    fn paragraphs_that_would_not_split_back_stay_in_the_record() {
        let mut record = record_of("A title\n\nOne paragraph of text here.\n");
        record.paragraphs =
            vec!["line one\nline two".into(), String::new(), "after an empty one".into()];
        let mut lent = record.clone();
        let fields = Fields::from_schema(&build_schema()).unwrap();
        let doc = document(&fields, &mut lent);
        let bytes = doc.get_first(fields.record).and_then(|v| v.as_bytes()).unwrap();
        assert_eq!(
            record_from_bytes(bytes).unwrap().paragraphs,
            record.paragraphs,
            "the stored record keeps paragraphs it could not split back"
        );
        assert_eq!(round_trip(std::slice::from_ref(&record)), [record]);
    }

    #[test]
    fn text_hash_ignores_case_punctuation_and_layout() {
        let a = vec!["Inspectors found: waiting times are TOO long.".to_string()];
        let b = vec!["inspectors found waiting".to_string(), "times — are too long".to_string()];
        assert_eq!(text_hash(&a), text_hash(&b));
        let c = vec!["Inspectors found waiting times are too short.".to_string()];
        assert_ne!(text_hash(&a), text_hash(&c));
        assert_eq!(text_hash(&["ÉCOLE".to_string()]), text_hash(&["école".to_string()]));
    }

    /// The byte-at-a-time hash gives what the plain character loop it replaced gave, so
    /// manifests written before it still recognise duplicates.
    #[test]
    fn text_hash_matches_the_character_loop() {
        fn by_chars(paragraphs: &[String]) -> u64 {
            let mut buffer = Vec::new();
            let mut in_word = false;
            for paragraph in paragraphs {
                for ch in paragraph.chars() {
                    if ch.is_alphanumeric() {
                        buffer.extend(ch.to_lowercase().collect::<String>().bytes());
                        in_word = true;
                    } else if in_word {
                        buffer.push(b' ');
                        in_word = false;
                    }
                }
                if in_word {
                    buffer.push(b' ');
                    in_word = false;
                }
            }
            xxhash_rust::xxh3::xxh3_64(&buffer)
        }
        let text = vec![
            "Ofsted\u{2019}s inspectors \u{2014} and CQC \u{2014} found \u{201c}poor\u{201d} care."
                .to_string(),
            "ÉCOLE naïve café 2023: 12 weeks; İstanbul ß".to_string(),
            String::new(),
        ];
        assert_eq!(text_hash(&text), by_chars(&text));
    }
}

#[cfg(test)]
mod roundup_tests {
    use tantivy::schema::Value;

    use super::*;
    use crate::index::testing;

    /// The values of a field in a document.
    fn values(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
        doc.get_all(field).filter_map(|v| v.as_str().map(str::to_string)).collect()
    }

    #[test]
    fn a_roundup_is_indexed_under_every_area_and_its_facts() {
        let fields = Fields::from_schema(&build_schema()).unwrap();
        let doc = document(&fields, &mut testing::roundup());
        assert_eq!(values(&doc, fields.area), ["norfolk", "suffolk", "kent"]);
        // Norfolk and Suffolk share a region, listed once.
        assert_eq!(values(&doc, fields.region), ["east-of-england", "south-east"]);
        assert_eq!(values(&doc, fields.outcome), ["positive", "inconsistent", "systemic_failings"]);
        assert_eq!(values(&doc, fields.framework), ["2023"]);
        assert_eq!(values(&doc, fields.kind), ["full"]);
        assert_eq!(values(&doc, fields.year), ["2025", "2024"]);
        assert_eq!(values(&doc, fields.theme), ["leadership", "waiting_times", "ehcp_timeliness"]);
        assert!(
            values(&doc, fields.theme_polarity).contains(&"ehcp_timeliness:improvement".into())
        );
    }

    #[test]
    fn an_ordinary_article_is_indexed_as_before() {
        let fields = Fields::from_schema(&build_schema()).unwrap();
        let doc = document(&fields, &mut testing::single());
        assert_eq!(values(&doc, fields.area), ["dudley"]);
        assert_eq!(values(&doc, fields.region), ["west-midlands"]);
        assert_eq!(values(&doc, fields.outcome), ["inconsistent"]);
        assert_eq!(values(&doc, fields.year), ["2025"]);
        assert_eq!(values(&doc, fields.theme), ["waiting_times"]);
        assert_eq!(values(&doc, fields.theme_polarity), ["waiting_times:improvement"]);
    }

    /// An archive in memory of the ordinary article and the round-up.
    fn archive() -> crate::index::Archive {
        let index = Index::create_in_ram(build_schema());
        super::super::analyser::register(&index);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for mut record in [testing::single(), testing::roundup()] {
            writer.add_document(document(&fields, &mut record)).unwrap();
        }
        writer.commit().unwrap();
        crate::index::Archive::from_index(index).unwrap()
    }

    fn search(archive: &crate::index::Archive, filters: &[(&str, &str)]) -> Vec<String> {
        let request = crate::index::SearchRequest {
            filters: filters.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            limit: 10,
            ..Default::default()
        };
        archive.search(&request).unwrap().hits.into_iter().map(|h| h.slug).collect()
    }

    #[test]
    fn a_filter_by_any_of_its_areas_finds_a_roundup() {
        let archive = archive();
        let roundup = testing::roundup().slug;
        for (field, value) in [
            ("area", "norfolk"),
            ("area", "kent"),
            ("region", "south-east"),
            ("outcome", "systemic_failings"),
            ("year", "2024"),
            ("theme", "ehcp_timeliness"),
        ] {
            assert_eq!(search(&archive, &[(field, value)]), [roundup.as_str()], "{field}={value}");
        }
        // Both articles report an inconsistent outcome (Dudley, and Suffolk in the round-up).
        assert_eq!(search(&archive, &[("outcome", "inconsistent")]).len(), 2);
        // Filters combine per article, not per area: Norfolk's round-up also reports Kent's
        // systemic failings (see `add_report_terms`).
        assert_eq!(
            search(&archive, &[("area", "norfolk"), ("outcome", "systemic_failings")]),
            [roundup]
        );
        assert!(search(&archive, &[("area", "dudley"), ("outcome", "positive")]).is_empty());
    }

    #[test]
    fn facets_count_a_roundup_under_each_of_its_areas_and_a_hit_lists_them() {
        let archive = archive();
        let results = archive
            .search(&crate::index::SearchRequest { limit: 10, ..Default::default() })
            .unwrap();
        assert_eq!(results.total, 2);
        let facet = |name: &str| -> Vec<(String, u64)> {
            let mut values = results.facets[name].clone();
            values.sort();
            values
        };
        let one = |names: &[&str]| -> Vec<(String, u64)> {
            names.iter().map(|n| (n.to_string(), 1)).collect()
        };
        assert_eq!(facet("area"), one(&["dudley", "kent", "norfolk", "suffolk"]));
        assert_eq!(facet("region"), one(&["east-of-england", "south-east", "west-midlands"]));
        assert_eq!(
            facet("outcome"),
            [
                ("inconsistent".to_string(), 2),
                ("positive".to_string(), 1),
                ("systemic_failings".to_string(), 1)
            ]
        );
        assert_eq!(facet("year"), [("2024".to_string(), 1), ("2025".to_string(), 2)]);

        let roundup = results.hits.iter().find(|h| h.slug == testing::roundup().slug).unwrap();
        assert!(roundup.area.is_none() && roundup.outcome.is_none());
        let areas: Vec<&str> = roundup.areas().map(|a| a.name.as_str()).collect();
        assert_eq!(areas, ["Norfolk", "Suffolk", "Kent"]);
        assert_eq!(roundup.framework, Some(crate::extract::Framework::F2023));
        let single = results.hits.iter().find(|h| h.slug == testing::single().slug).unwrap();
        assert_eq!(single.areas().map(|a| a.slug.as_str()).collect::<Vec<_>>(), ["dudley"]);
        assert!(single.roundup_areas.is_empty());
        assert_eq!(single.outcome, Some(crate::extract::Outcome::Inconsistent));
    }

    #[test]
    fn a_roundup_reads_back_whole() {
        let archive = archive();
        let record = testing::roundup();
        assert_eq!(archive.article(&record.slug).unwrap(), Some(record));
    }
}
