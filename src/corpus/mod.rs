//! The corpus: finding article files, reading them, and cleaning them into an [`Article`].
//!
//! An *article* here is one news item about a local-area SEND inspection, as a list of cleaned
//! paragraphs in their original order, plus the metadata the page itself declares (title,
//! `og:`/`article:` tags, front matter, bylines). Everything that is site furniture rather than
//! article (navigation, radio players, comment widgets, photo credits, separator lines, repeated
//! ledes) is dropped here, by general rules, so that extraction sees only the article.
//!
//! This module does the file I/O of ingest; `parse` itself is pure (bytes in, article out), so
//! it is what the tests call. Extraction of facts is left to `crate::extract`.

mod clean;
mod decode;
mod discover;
mod furniture;
mod html;
mod markdown;
pub mod sidecar;
pub mod slicing;
mod text;

use std::fmt;
use std::path::Path;

use serde::Serialize;

pub use decode::{Encoding, decode};
pub use discover::{SourceFile, discover};

/// The largest article file ingest will read. News articles are a few kilobytes; anything this
/// large is a mis-filed document or a data dump, and would slow every search that matches it.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// The input formats an article file can be in, told apart by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: `.txt`.
    Text,
    /// A saved web page: `.html` or `.htm`.
    Html,
    /// Markdown with optional YAML (`---`) or TOML (`+++`) front matter: `.md`.
    Markdown,
}

impl Format {
    /// The format for a file name, or `None` when the extension is not an article format.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// Metadata an article's own page or file declares about itself, before any extraction from
/// the prose. All values are raw strings as found (trimmed); extraction interprets them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageMeta {
    /// `og:site_name`, `application-name`, front matter `source`/`site`.
    pub site_name: Option<String>,
    /// `og:url`, `<link rel=canonical>`, front matter `url`.
    pub url: Option<String>,
    /// `article:published_time`, `<time datetime>`, front matter `date`/`published`, or a
    /// dateline such as "Published Wednesday, 16th May 2018" or "| 03 January 2018".
    pub published: Option<String>,
    /// A byline ("By Neil Puffett"), `author` meta tag or front matter `author`.
    pub author: Option<String>,
    /// `description`/`og:description`, front matter `description`/`summary`.
    pub description: Option<String>,
}

/// A cleaned article, ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    /// The file's path relative to the data folder, with `/` separators
    /// (e.g. `articles/000_0f0c24c848dd6290.txt`). It names the article in messages.
    pub file: String,
    /// The format the file was read as.
    pub format: Format,
    /// The encoding the bytes were decoded from.
    pub encoding: Encoding,
    /// The headline: `<title>`/`og:title`/`<h1>`, front matter `title`, or the first line of a
    /// text file when it reads as a headline. `None` when the file has none.
    pub title: Option<String>,
    /// The article's paragraphs in their original order, each trimmed, with internal runs of
    /// white space folded to one space. A list item is one paragraph starting with `"- "`.
    /// The headline is not repeated here.
    pub paragraphs: Vec<String>,
    /// What the page declares about itself.
    pub meta: PageMeta,
    /// Things a person should know about how the file was read (e.g. "decoded as
    /// Windows-1252"). Cleaning never fails; it warns.
    pub warnings: Vec<String>,
}

/// Why a file was not read as an article. Ingest reports it and skips the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The file is empty, or only white space.
    Empty,
    /// The file holds NUL bytes or other control bytes: not text.
    Binary,
    /// The bytes are not UTF-8 and not Windows-1252 either.
    Undecodable,
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
    },
    /// The file could not be read (permissions, a broken link, an I/O error).
    Unreadable(String),
    /// The file decoded, but nothing that reads as an article was left after cleaning.
    NoText,
    /// The file (or a folder on its way) is a symbolic link to a place outside the data
    /// folder: a corpus others contribute to must not publish the rest of the machine.
    OutsideData,
    /// Not a regular file: a pipe, socket or device named like an article.
    NotAFile,
}

impl SkipReason {
    /// A short code for the reason: `empty`, `binary`, `undecodable`, `too_large`,
    /// `unreadable`, `no_text`, `outside_data` or `not_a_file`.
    pub fn code(&self) -> &'static str {
        match self {
            SkipReason::Empty => "empty",
            SkipReason::Binary => "binary",
            SkipReason::Undecodable => "undecodable",
            SkipReason::TooLarge { .. } => "too_large",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::NoText => "no_text",
            SkipReason::OutsideData => "outside_data",
            SkipReason::NotAFile => "not_a_file",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Empty => write!(f, "the file is empty"),
            SkipReason::Binary => write!(f, "the file is binary, not text"),
            SkipReason::Undecodable => {
                write!(f, "the file is neither UTF-8 nor Windows-1252 text")
            }
            SkipReason::TooLarge { bytes } => write!(
                f,
                "the file is {bytes} bytes, over the {} byte limit for an article",
                MAX_FILE_BYTES
            ),
            SkipReason::Unreadable(why) => write!(f, "the file could not be read: {why}"),
            SkipReason::NoText => write!(f, "no article text was left after cleaning"),
            SkipReason::OutsideData => {
                write!(f, "the file is a link to a place outside the data folder; not read")
            }
            SkipReason::NotAFile => {
                write!(f, "not a regular file (a pipe, socket or device); not read")
            }
        }
    }
}

/// Parses an article from a file's bytes. `file` is the name used in the [`Article`] and in
/// messages; the format is taken from its extension (plain text when it has none we know).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Article, SkipReason> {
    let format = Format::from_path(Path::new(file)).unwrap_or(Format::Text);
    let (text, encoding) = decode(bytes)?;
    let parsed = match format {
        Format::Text => text::parse(&text),
        Format::Html => html::parse(&text),
        Format::Markdown => markdown::parse(&text),
    };
    let Parsed { title, paragraphs, meta, mut warnings } = parsed;
    if paragraphs.is_empty() {
        return Err(SkipReason::NoText);
    }
    if encoding == Encoding::Windows1252 {
        warnings.insert(0, "decoded as Windows-1252 (not valid UTF-8)".to_string());
    }
    Ok(Article { file: file.to_string(), format, encoding, title, paragraphs, meta, warnings })
}

/// What a format's parser hands back: an [`Article`] less what `parse` itself knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Parsed {
    title: Option<String>,
    paragraphs: Vec<String>,
    meta: PageMeta,
    warnings: Vec<String>,
}

/// Reads and parses one article file. `file` is its name relative to the data folder.
pub fn read(path: &Path, file: &str) -> Result<Article, SkipReason> {
    let bytes = read_bytes(path)?;
    parse(file, &bytes)
}

/// Reads a file's bytes, refusing files over [`MAX_FILE_BYTES`] before reading them.
///
/// One open, the size from the open handle (no second path lookup), and one buffer of the
/// right size. A file that grows while being read is still cut off past the limit.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, SkipReason> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| SkipReason::Unreadable(e.to_string());
    // Opening a pipe waits for a writer: anything but a plain file is refused unopened.
    if !std::fs::metadata(path).map_err(unreadable)?.is_file() {
        return Err(SkipReason::NotAFile);
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    if len > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge { bytes: len });
    }
    // One byte over the size, so that reading to the end needs no second allocation.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    let read = bytes.len() as u64;
    if read > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge { bytes: read });
    }
    Ok(bytes)
}
