//! The index folder: generations, the `CURRENT` pointer, manifests and the ingest lock.
//!
//! A *generation* is one complete tantivy index in its own sub-folder (`gen-000042`), with a
//! manifest (`archive-manifest.json`) of the files it was built from. `CURRENT` names the
//! generation in service. Ingest builds a new generation aside and then replaces `CURRENT`
//! with an atomic rename, so a reader sees either the old index or the new one, never a
//! half-built one; a failed or killed ingest leaves `CURRENT` as it was.
//!
//! ```text
//! index/
//!   CURRENT                 "gen-000042\n"
//!   .ingest.lock            held (flock) while an ingest runs
//!   gen-000041/             the previous generation, kept for readers that still hold it
//!   gen-000042/             tantivy files + archive-manifest.json
//! ```

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file in the index folder that names the generation in service.
pub const CURRENT_FILE: &str = "CURRENT";
/// The manifest's name inside a generation.
pub const MANIFEST_FILE: &str = "archive-manifest.json";
const LOCK_FILE: &str = ".ingest.lock";
const GENERATION_PREFIX: &str = "gen-";
/// How many generations to keep: the new one and the one before it, which a running server
/// may still be reading.
const KEEP_GENERATIONS: usize = 2;

/// What a generation was built from, file by file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The schema version the generation was built with.
    pub schema_version: u32,
    /// The extractor version the records were made with.
    pub extractor_version: u32,
    /// A hash of the gazetteer the areas were matched against.
    pub gazetteer_hash: u64,
    /// A hash of the register (`data/register/inspections.tsv`) the generation holds; 0 for
    /// none.
    #[serde(default)]
    pub register_hash: u64,
    /// Where an article's facts differ from the register's inspection it reports, as found
    /// when the generation was built.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<RegisterDisagreement>,
    /// The corpus folder it was built from, as given.
    pub data: String,
    /// Every article file seen, by name relative to the corpus folder.
    pub files: BTreeMap<String, FileEntry>,
}

/// An article's fact that differs from the register's, listed by ingest: how extraction
/// errors (or register errors) get found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterDisagreement {
    /// The article's permalink slug.
    pub article: String,
    /// The area's name.
    pub area: String,
    /// `outcome` or `visit`.
    pub fact: String,
    /// What the article says.
    pub article_says: String,
    /// What the register says.
    pub register_says: String,
    /// The register's line.
    pub line: usize,
}

/// One file as a generation saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since 1970.
    pub mtime_ns: i128,
    /// Size and modification time of the sidecar, if any.
    pub sidecar: Option<(u64, i128)>,
    /// A hash of the file's bytes and its sidecar's.
    pub content_hash: u64,
    /// A hash of the cleaned text, for finding the same article under two names.
    pub text_hash: u64,
    /// What became of the file.
    pub status: FileStatus,
    /// Warnings, for the summary of a later no-op ingest.
    pub warnings: Vec<String>,
    /// The area found, by slug.
    pub area: Option<String>,
    /// The outcome found, by code.
    pub outcome: Option<String>,
    /// A round-up's areas, by slug (its `area` is `None`); empty for other articles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roundup_areas: Vec<String>,
    /// A round-up's outcomes, by code, one per area in the order of `roundup_areas` (its
    /// `outcome` is `None`); empty for other articles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roundup_outcomes: Vec<Option<String>>,
}

/// What ingest did with a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "detail")]
pub enum FileStatus {
    /// Indexed under this slug.
    Indexed(String),
    /// The same article as this other file, which is indexed instead.
    Duplicate(String),
    /// Not read as an article, for this reason.
    Skipped(String),
}

/// The index folder.
#[derive(Debug, Clone)]
pub struct IndexDir {
    root: PathBuf,
}

/// The exclusive ingest lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct IngestLock {
    _file: File,
}

impl IndexDir {
    /// The index folder at `root` (which need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> IndexDir {
        IndexDir { root: root.into() }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The name of the generation in service, if any.
    pub fn current_name(&self) -> io::Result<Option<String>> {
        match fs::read_to_string(self.root.join(CURRENT_FILE)) {
            Ok(text) => {
                let name = text.trim();
                if is_generation(name) && self.root.join(name).is_dir() {
                    Ok(Some(name.to_string()))
                } else {
                    Ok(None)
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// What `CURRENT` says, trimmed, whether or not it names a generation that exists;
    /// `None` when there is no `CURRENT`.
    pub fn current_pointer(&self) -> io::Result<Option<String>> {
        match fs::read_to_string(self.root.join(CURRENT_FILE)) {
            Ok(text) => Ok(Some(text.trim().to_string())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Where a reader falls back when the generation `CURRENT` names cannot be read: the
    /// generations ingest finished (they have a manifest, written only after the generation
    /// was read back), older than `current` (every finished one when `current` is no
    /// generation name), newest first. A generation newer than `CURRENT` was never put in
    /// service (a failed ingest's, or one being built), so it is never a candidate.
    pub fn fallback_generations(&self, current: Option<&str>) -> io::Result<Vec<String>> {
        let below = current.and_then(generation_number).unwrap_or(u64::MAX);
        let mut found: Vec<String> = self
            .generations()?
            .into_iter()
            .filter(|(n, name)| {
                *n < below && self.generation_path(name).join(MANIFEST_FILE).is_file()
            })
            .map(|(_, name)| name)
            .collect();
        found.reverse();
        Ok(found)
    }

    /// Whether the folder holds any generation at all.
    pub fn has_generations(&self) -> io::Result<bool> {
        Ok(!self.generations()?.is_empty())
    }

    /// The path of a generation.
    pub fn generation_path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// The manifest of a generation, `None` when it has none or it cannot be parsed.
    pub fn manifest(&self, name: &str) -> Option<Manifest> {
        let text = fs::read_to_string(self.generation_path(name).join(MANIFEST_FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Takes the ingest lock, failing at once if another ingest holds it.
    pub fn lock(&self) -> io::Result<IngestLock> {
        fs::create_dir_all(&self.root)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.root.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(IngestLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!("another ingest is running on {}", self.root.display()),
            )),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }

    /// A fresh, empty folder for the next generation.
    pub fn new_generation(&self) -> io::Result<(String, PathBuf)> {
        fs::create_dir_all(&self.root)?;
        let next = self.generations()?.last().map_or(1, |(n, _)| n + 1);
        let name = format!("{GENERATION_PREFIX}{next:06}");
        let path = self.root.join(&name);
        if path.exists() {
            fs::remove_dir_all(&path)?;
        }
        fs::create_dir(&path)?;
        Ok((name, path))
    }

    /// Writes a manifest into a generation, durably.
    pub fn write_manifest(&self, name: &str, manifest: &Manifest) -> io::Result<()> {
        let json = serde_json::to_vec(manifest).map_err(io::Error::other)?;
        write_durably(&self.generation_path(name).join(MANIFEST_FILE), &json)
    }

    /// Puts a generation in service: an atomic replacement of `CURRENT`.
    pub fn switch_to(&self, name: &str) -> io::Result<()> {
        sync_dir(&self.generation_path(name))?;
        write_durably(&self.root.join(CURRENT_FILE), format!("{name}\n").as_bytes())
    }

    /// Removes generations other than the newest ones and the current one, including the
    /// remains of ingests that failed or were killed.
    pub fn remove_old_generations(&self) -> io::Result<()> {
        let current = self.current_name()?;
        let generations = self.generations()?;
        let keep_from = generations.len().saturating_sub(KEEP_GENERATIONS);
        for (i, (_, name)) in generations.iter().enumerate() {
            if i >= keep_from || Some(name) == current.as_ref() {
                continue;
            }
            fs::remove_dir_all(self.root.join(name))?;
        }
        Ok(())
    }

    /// Removes generation folders newer than `CURRENT`: remains of a failed ingest.
    pub fn remove_abandoned_generations(&self) -> io::Result<()> {
        let current = self.current_name()?;
        let current_n = current.as_deref().and_then(generation_number).unwrap_or(0);
        for (n, name) in self.generations()? {
            if n > current_n {
                fs::remove_dir_all(self.root.join(name))?;
            }
        }
        Ok(())
    }

    /// Generation folders, oldest first.
    fn generations(&self) -> io::Result<Vec<(u64, String)>> {
        let mut found = Vec::new();
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            if let Some(name) = entry.file_name().to_str()
                && let Some(n) = generation_number(name)
            {
                found.push((n, name.to_string()));
            }
        }
        found.sort();
        Ok(found)
    }
}

fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix(GENERATION_PREFIX)?.parse().ok()
}

/// Whether `name` is a generation folder's name (`gen-000042`).
pub fn is_generation(name: &str) -> bool {
    generation_number(name).is_some()
}

/// Writes a file by writing a temporary file beside it, syncing, and renaming over it.
fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    // Directories can be synced on Unix; elsewhere opening one fails, and rename is what
    // the platform offers.
    match File::open(dir) {
        Ok(handle) => handle.sync_all().or(Ok(())),
        Err(_) => Ok(()),
    }
}

/// Copies a generation's tantivy files into a new generation as hard links (falling back to
/// copies), so that an incremental ingest starts from the previous index without touching it:
/// tantivy never rewrites a segment file, and replaces `meta.json` by rename.
pub fn link_generation(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str == MANIFEST_FILE || name_str.ends_with(".lock") || !entry.file_type()?.is_file()
        {
            continue;
        }
        let target = to.join(&name);
        if fs::hard_link(entry.path(), &target).is_err() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_generations_replaces_current_and_keeps_two() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexDir::new(dir.path().join("index"));
        assert_eq!(index.current_name().unwrap(), None);
        for expected in ["gen-000001", "gen-000002", "gen-000003"] {
            let (name, _) = index.new_generation().unwrap();
            assert_eq!(name, expected);
            index.write_manifest(&name, &Manifest::default()).unwrap();
            index.switch_to(&name).unwrap();
            index.remove_old_generations().unwrap();
        }
        assert_eq!(index.current_name().unwrap().as_deref(), Some("gen-000003"));
        assert!(!index.generation_path("gen-000001").exists());
        assert!(index.generation_path("gen-000002").exists());
        assert_eq!(index.manifest("gen-000003"), Some(Manifest::default()));
    }

    #[test]
    fn fallbacks_are_finished_generations_older_than_current_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexDir::new(dir.path());
        for _ in 0..4 {
            let (name, _) = index.new_generation().unwrap();
            index.write_manifest(&name, &Manifest::default()).unwrap();
        }
        // gen-000002 has no manifest (an ingest that stopped before finishing it), and
        // gen-000005 is newer than CURRENT (one being built).
        fs::remove_file(index.generation_path("gen-000002").join(MANIFEST_FILE)).unwrap();
        let (newer, _) = index.new_generation().unwrap();
        index.write_manifest(&newer, &Manifest::default()).unwrap();
        index.switch_to("gen-000004").unwrap();
        let current = index.current_pointer().unwrap();
        assert_eq!(current.as_deref(), Some("gen-000004"));
        assert_eq!(
            index.fallback_generations(current.as_deref()).unwrap(),
            ["gen-000003", "gen-000001"]
        );
        // A CURRENT that names no generation: every finished one, newest first.
        assert_eq!(
            index.fallback_generations(Some("")).unwrap(),
            ["gen-000005", "gen-000004", "gen-000003", "gen-000001"]
        );
    }

    #[test]
    fn abandoned_generations_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexDir::new(dir.path());
        let (first, _) = index.new_generation().unwrap();
        index.switch_to(&first).unwrap();
        let (abandoned, path) = index.new_generation().unwrap();
        fs::write(path.join("half-written"), b"x").unwrap();
        index.remove_abandoned_generations().unwrap();
        assert!(!index.generation_path(&abandoned).exists());
        assert_eq!(index.current_name().unwrap(), Some(first));
    }

    #[test]
    fn a_second_ingest_cannot_take_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let index = IndexDir::new(dir.path());
        let held = index.lock().unwrap();
        assert_eq!(index.lock().unwrap_err().kind(), io::ErrorKind::WouldBlock);
        drop(held);
        assert!(index.lock().is_ok());
    }
}
