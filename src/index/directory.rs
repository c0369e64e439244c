//! The directory the server reads an index generation through: memory-mapped, except the
//! doc stores and small reads of the fast fields, which are positioned reads.
//!
//! A stored text or record is read only to show it (an article, a search hit, an area's
//! evidence), a few kilobytes at a time from anywhere in the index. Through a memory map
//! every page touched stays in the process's resident memory, so a server that had shown
//! much of the archive held most of its text and records (tens of MB for ten thousand
//! articles) for nothing. With `pread` a block is copied into a buffer, read and dropped;
//! the operating system's page cache still keeps hot blocks fast.
//!
//! The records (and summaries) are values in the fast-field file, beside the columns every
//! search reads. A column is read whole when it is opened, and [`super::values`] reads a
//! value's dictionary block alone, a few kilobytes; so reads of the fast-field file up to
//! [`SMALL_READ`] bytes are positioned reads and larger ones are slices of the map. The
//! postings, term dictionaries and columns stay mapped, with read-ahead off (`MADV_RANDOM`):
//! searches touch them here and there, not from start to end.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::{fmt, io};

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// An index folder opened for reading, as described in the module documentation.
#[derive(Clone)]
pub struct ServingDirectory {
    root: PathBuf,
    mapped: MmapDirectory,
}

impl fmt::Debug for ServingDirectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServingDirectory({})", self.root.display())
    }
}

impl ServingDirectory {
    /// Opens the index folder `root`.
    pub fn open(root: &Path) -> tantivy::Result<ServingDirectory> {
        #[cfg(unix)]
        let mapped = MmapDirectory::open_with_madvice(root, tantivy::directory::Advice::Random)?;
        #[cfg(not(unix))]
        let mapped = MmapDirectory::open(root)?;
        Ok(ServingDirectory { root: root.to_path_buf(), mapped })
    }
}

/// Reads of a fast-field file up to this many bytes are copied rather than mapped: a
/// dictionary block holding a record or summary is a few kilobytes (tantivy's blocks hold
/// 4,000 bytes and the value that crosses that).
const SMALL_READ: usize = 64 * 1024;

/// Whether a file of the index is a doc store.
fn is_doc_store(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "store")
}

/// Whether a file of the index holds fast fields.
fn is_fast_fields(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "fast")
}

/// Opens `path` (under `root`) for positioned reads.
fn open_read(root: &Path, path: &Path) -> Result<ReadFile, OpenReadError> {
    let full = root.join(path);
    let file = File::open(&full).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
        _ => OpenReadError::wrap_io_error(e, full.clone()),
    })?;
    let len =
        file.metadata().map_err(|e| OpenReadError::wrap_io_error(e, full.clone()))?.len() as usize;
    Ok(ReadFile { file, len, path: full })
}

impl Directory for ServingDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if cfg!(unix) && is_doc_store(path) {
            return Ok(Arc::new(open_read(&self.root, path)?));
        }
        if cfg!(unix) && is_fast_fields(path) {
            let mapped = self.mapped.get_file_handle(path)?;
            return Ok(Arc::new(SplitFile { small: open_read(&self.root, path)?, mapped }));
        }
        self.mapped.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(
        &self,
        lock: &Lock,
    ) -> Result<DirectoryLock, tantivy::directory::error::LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

/// A file read with positioned reads, a range at a time.
struct ReadFile {
    file: File,
    len: usize,
    path: PathBuf,
}

impl fmt::Debug for ReadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReadFile({})", self.path.display())
    }
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("range {range:?} outside {} ({} bytes)", self.path.display(), self.len),
            ));
        }
        let mut buffer = vec![0; range.len()];
        read_exact_at(&self.file, &mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

/// A file read with positioned reads for ranges up to [`SMALL_READ`] bytes and through its
/// memory map for larger ones.
struct SplitFile {
    small: ReadFile,
    mapped: Arc<dyn FileHandle>,
}

impl fmt::Debug for SplitFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SplitFile({})", self.small.path.display())
    }
}

impl HasLen for SplitFile {
    fn len(&self) -> usize {
        self.small.len
    }
}

impl FileHandle for SplitFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.len() <= SMALL_READ || range.end > self.small.len {
            // Checked there: a range outside the file is an error, not a panic.
            self.small.read_bytes(range)
        } else {
            self.mapped.read_bytes(range)
        }
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(not(unix))]
fn read_exact_at(_file: &File, _buffer: &mut [u8], _offset: u64) -> io::Result<()> {
    // Never called: off Unix, doc stores are memory-mapped like every other file.
    Err(io::Error::new(io::ErrorKind::Unsupported, "positioned reads"))
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{STORED, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    use super::*;

    #[test]
    fn reads_an_index_with_its_doc_store_through_positioned_reads() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT | STORED);
        let index = Index::create_in_dir(dir.path(), builder.build()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..500 {
            writer.add_document(doc!(body => format!("document number {i}"))).unwrap();
        }
        writer.commit().unwrap();

        let index = Index::open(ServingDirectory::open(dir.path()).unwrap()).unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs(), 500);
        let mut seen = 0;
        for segment in 0..searcher.segment_readers().len() {
            for doc_id in 0..searcher.segment_reader(segment as u32).max_doc() {
                let doc: TantivyDocument =
                    searcher.doc(tantivy::DocAddress::new(segment as u32, doc_id)).unwrap();
                assert!(doc.get_first(body).is_some());
                seen += 1;
            }
        }
        assert_eq!(seen, 500);
    }

    #[test]
    fn a_fast_field_file_reads_the_same_copied_or_mapped() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..3 * SMALL_READ).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(dir.path().join("x.fast"), &bytes).unwrap();
        let served = ServingDirectory::open(dir.path()).unwrap();
        let handle = served.get_file_handle(Path::new("x.fast")).unwrap();
        assert_eq!(handle.len(), bytes.len());
        for range in [0..10, 5..SMALL_READ + 5, 100..3 * SMALL_READ, 0..0] {
            assert_eq!(handle.read_bytes(range.clone()).unwrap().as_slice(), &bytes[range]);
        }
        assert!(handle.read_bytes(10..3 * SMALL_READ + 1).is_err());
    }

    #[test]
    fn a_range_outside_the_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.store"), b"0123456789").unwrap();
        let served = ServingDirectory::open(dir.path()).unwrap();
        let handle = served.get_file_handle(Path::new("x.store")).unwrap();
        assert_eq!(handle.len(), 10);
        assert_eq!(handle.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert!(handle.read_bytes(5..11).is_err());
    }
}
