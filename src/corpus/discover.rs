//! Finding article files under the data folder.
//!
//! [`discover`] walks the folder recursively in sorted order, so every run sees the files in
//! the same order. It keeps files whose extension names an article [`Format`], and skips
//! hidden files and folders (a leading `.`), `.toml` sidecars (read by `sidecar`) and
//! `README*` files. Other files are ignored silently. Folders it cannot read, and article
//! files behind broken links, are reported rather than stopping the walk. Symbolic links are
//! followed only while they stay inside the data folder: an article file or a folder whose
//! real path is elsewhere (`ln -s /etc/passwd data/articles/x.txt`) is reported and skipped,
//! never read. A folder already visited (a link loop, or two links to one place) is walked
//! only once. Pipes, sockets and devices named like articles are reported and skipped, so
//! reading never blocks on them. Reading the files is left to [`super::read`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Format, SkipReason};

/// An article file found under the data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The file's path, as found (the data folder joined with `file`).
    pub path: PathBuf,
    /// The path relative to the data folder, with `/` separators; it names the article.
    pub file: String,
    /// The format its extension names.
    pub format: Format,
}

/// Paths (relative, `/` separated) that [`discover`] could not read, with why.
pub type Skipped = Vec<(String, SkipReason)>;

/// Walks `root` and returns its article files in sorted order, plus the paths (relative, `/`
/// separated) it could not read, with why. Fails only when `root` itself cannot be read.
pub fn discover(root: &Path) -> std::io::Result<(Vec<SourceFile>, Skipped)> {
    let mut walk = Walk::default();
    let entries = read_sorted(root)?;
    let canonical = root.canonicalize()?;
    walk.visited.insert(canonical.clone());
    walk.root = canonical;
    walk.visit_entries(entries, "");
    Ok((walk.files, walk.skipped))
}

#[derive(Default)]
struct Walk {
    files: Vec<SourceFile>,
    skipped: Skipped,
    visited: HashSet<PathBuf>,
    /// The data folder's real path: nothing outside it is read.
    root: PathBuf,
}

impl Walk {
    fn visit_entries(&mut self, entries: Vec<Entry>, prefix: &str) {
        for Entry { name, path, is_link } in entries {
            if name.starts_with('.') {
                continue;
            }
            let file = format!("{prefix}{name}");
            // `metadata` follows links, so a link to a folder is walked like a folder, as long
            // as it leads to a place inside the data folder.
            match std::fs::metadata(&path) {
                // Only a link can lead out: what is not one lies in this folder, which is
                // inside (the walk enters no other), so only links are resolved.
                Ok(meta) if is_link && !self.inside(&path) => {
                    if meta.is_dir() || article_format(&name, &path).is_some() {
                        self.skipped.push((file, SkipReason::OutsideData));
                    }
                }
                Ok(meta) if meta.is_dir() => self.visit_dir(&path, &file),
                Ok(meta) if meta.is_file() => {
                    if let Some(format) = article_format(&name, &path) {
                        self.files.push(SourceFile { path, file, format });
                    }
                }
                Ok(_) => {
                    if article_format(&name, &path).is_some() {
                        self.skipped.push((file, SkipReason::NotAFile));
                    }
                }
                Err(err) => {
                    if article_format(&name, &path).is_some() {
                        self.skipped.push((file, SkipReason::Unreadable(err.to_string())));
                    }
                }
            }
        }
    }

    /// Whether a path's real location (links resolved) is inside the data folder.
    fn inside(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|real| real.starts_with(&self.root))
    }

    fn visit_dir(&mut self, path: &Path, file: &str) {
        if let Ok(canonical) = path.canonicalize()
            && !self.visited.insert(canonical)
        {
            return;
        }
        match read_sorted(path) {
            Ok(entries) => self.visit_entries(entries, &format!("{file}/")),
            Err(err) => {
                self.skipped.push((file.to_string(), SkipReason::Unreadable(err.to_string())))
            }
        }
    }
}

/// The article format for a file name, or `None` for sidecars, READMEs and other files.
fn article_format(name: &str, path: &Path) -> Option<Format> {
    if super::slicing::starts_with_ignore_ascii_case(name, "readme") {
        return None;
    }
    Format::from_path(path)
}

/// One entry of a folder.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    /// The file name (read lossily when it is not valid Unicode; it still sorts and reads).
    name: String,
    path: PathBuf,
    /// A symbolic link (told by the folder listing itself, without another system call).
    is_link: bool,
}

/// A folder's entries, sorted by name.
fn read_sorted(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // Where the listing cannot tell, assume a link, which is then resolved and checked.
        let is_link = entry.file_type().map_or(true, |t| t.is_symlink());
        let name = entry.file_name().to_string_lossy().into_owned();
        entries.push(Entry { name, path: entry.path(), is_link });
    }
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(files: &[&str], expected: &[&str]) {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "text").unwrap();
        }
        let (found, skipped) = discover(dir.path()).unwrap();
        let names: Vec<&str> = found.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(names, expected);
        assert!(skipped.is_empty(), "{skipped:?}");
        for source in &found {
            assert_eq!(source.path, dir.path().join(&source.file));
        }
    }

    #[test]
    fn finds_article_files_sorted_and_recursive() {
        check(
            &["b.txt", "a/z.md", "a/c.html", "A.htm", "d.markdown"],
            &["A.htm", "a/c.html", "a/z.md", "b.txt", "d.markdown"],
        );
    }

    #[test]
    fn skips_hidden_sidecars_readmes_and_other_files() {
        check(
            &[
                ".hidden.txt",
                ".git/x.txt",
                "a.toml",
                "README.md",
                "readme.txt",
                "notes.pdf",
                "x/keep.txt",
            ],
            &["x/keep.txt"],
        );
    }

    #[test]
    fn reports_formats() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.HTML"), "x").unwrap();
        std::fs::write(dir.path().join("b.md"), "x").unwrap();
        let (found, _) = discover(dir.path()).unwrap();
        let formats: Vec<Format> = found.iter().map(|f| f.format).collect();
        assert_eq!(formats, [Format::Html, Format::Markdown]);
    }

    #[cfg(unix)]
    #[test]
    fn survives_symlink_loops_and_reports_broken_links() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/one.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("broken.txt"))
            .unwrap();
        let (found, skipped) = discover(dir.path()).unwrap();
        let names: Vec<&str> = found.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(names, ["a/one.txt"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, "broken.txt");
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_data_folder_are_reported_and_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "root:x:0:0").unwrap();
        std::fs::create_dir(outside.path().join("tree")).unwrap();
        std::fs::write(outside.path().join("tree/other.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/one.txt"), "x").unwrap();
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, dir.path().join(name)).unwrap()
        };
        link(&outside.path().join("secret.txt"), "passwd.txt");
        link(&outside.path().join("tree"), "elsewhere");
        // A link that stays inside is followed.
        link(&dir.path().join("a/one.txt"), "same.txt");
        let (found, skipped) = discover(dir.path()).unwrap();
        let names: Vec<&str> = found.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(names, ["a/one.txt", "same.txt"]);
        let skipped: Vec<(&str, &str)> =
            skipped.iter().map(|(f, why)| (f.as_str(), why.code())).collect();
        assert_eq!(skipped, [("elsewhere", "outside_data"), ("passwd.txt", "outside_data")]);
    }

    #[cfg(unix)]
    #[test]
    fn pipes_named_like_articles_are_reported_and_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // No mkfifo here: nothing to test.
        }
        std::fs::write(dir.path().join("real.txt"), "x").unwrap();
        let (found, skipped) = discover(dir.path()).unwrap();
        assert_eq!(found.iter().map(|f| f.file.as_str()).collect::<Vec<_>>(), ["real.txt"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!((skipped[0].0.as_str(), skipped[0].1.code()), ("pipe.txt", "not_a_file"));
    }

    #[test]
    fn errors_when_root_is_missing() {
        assert!(discover(Path::new("/nonexistent/send-archive-data")).is_err());
    }
}
