//! Sidecars: curated facts about an article that its text lacks.
//!
//! A sidecar is a TOML file beside the article with the same stem (`NAME.toml` beside
//! `NAME.txt`). Every fact in it carries `from`, where the curator found it, so that the
//! archive can show its provenance. Unknown keys are errors: a typo must not silently drop a
//! curated fact. Example:
//!
//! ```toml
//! [source.name]
//! value = "Black Country Radio"
//! from = "https://blackcountryradio.co.uk/... (the article's own page)"
//!
//! [inspection.visit_start]
//! value = "2025-01-20"
//! from = "https://... \"Between January 20 and January 24 2025\""
//! ```
//!
//! Parsing is pure ([`Sidecar::parse`]); [`Sidecar::for_article`] is the file-reading wrapper.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::extract::model::{Framework, Kind, Outcome, PartialDate};

/// A curated value and its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curated<T> {
    /// The value.
    pub value: T,
    /// Where it came from: an address, and what the source says.
    pub from: String,
}

/// The curated facts about one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// A slug that pins the article's permalink.
    pub slug: Option<String>,
    /// Permalinks the article had before; they redirect.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The headline, where the text has none or a wrong one.
    pub title: Option<Curated<String>>,
    /// The publisher.
    #[serde(default)]
    pub source: CuratedSource,
    /// The publication date.
    pub published: Option<Curated<PartialDate>>,
    /// The local area, by ONS code.
    pub area: Option<Curated<String>>,
    /// Facts about the inspection.
    #[serde(default)]
    pub inspection: CuratedInspection,
    /// Corrections, oldest first.
    #[serde(default)]
    pub corrections: Vec<SidecarCorrection>,
    /// Free-text notes for curators; not shown.
    pub notes: Option<String>,
}

/// Curated facts about the publisher.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedSource {
    /// The publisher's name.
    pub name: Option<Curated<String>>,
    /// The original address.
    pub url: Option<Curated<String>>,
}

/// Curated facts about the inspection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedInspection {
    /// `2016` or `2023`.
    pub framework: Option<Curated<Framework>>,
    /// `full`, `revisit`, `monitoring`.
    pub kind: Option<Curated<Kind>>,
    /// First day of the visit.
    pub visit_start: Option<Curated<PartialDate>>,
    /// Last day of the visit.
    pub visit_end: Option<Curated<PartialDate>>,
    /// When the report was published.
    pub report_published: Option<Curated<PartialDate>>,
    /// The outcome code.
    pub outcome: Option<Curated<Outcome>>,
}

/// A correction as the sidecar gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidecarCorrection {
    /// When it was made.
    pub date: PartialDate,
    /// What was corrected.
    pub text: String,
}

impl Sidecar {
    /// Parses a sidecar's TOML text. The error names the problem and its line.
    pub fn parse(text: &str) -> Result<Sidecar, String> {
        let sidecar: Sidecar =
            toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        if let Some(slug) = &sidecar.slug
            && !crate::extract::slug::is_valid_slug(slug)
        {
            return Err(format!(
                "slug {slug:?} must be lower-case letters, digits and single hyphens"
            ));
        }
        for fact in [&sidecar.title, &sidecar.source.name, &sidecar.source.url, &sidecar.area]
            .into_iter()
            .flatten()
        {
            if fact.from.trim().is_empty() {
                return Err(format!("the curated value {:?} needs a `from`", fact.value));
            }
        }
        Ok(sidecar)
    }

    /// The sidecar path for an article path: same folder and stem, `.toml`.
    pub fn path_for(article: &Path) -> PathBuf {
        article.with_extension("toml")
    }

    /// The bytes of the sidecar beside an article, if there is one: `Ok(None)` when there is
    /// none, `Err` with the reason when it cannot be read or is not a plain file in the
    /// article's own folder (a link elsewhere, a pipe). Such a file is never read, so that its
    /// contents cannot reach a message and reading cannot block.
    pub fn read_bytes(article: &Path) -> Result<Option<Vec<u8>>, String> {
        let path = Sidecar::path_for(article);
        let Ok(meta) = std::fs::metadata(&path) else {
            if std::fs::symlink_metadata(&path).is_err() {
                return Ok(None);
            }
            return Err(format!("sidecar {}: a link to nothing", path.display()));
        };
        let folder =
            |p: &Path| p.canonicalize().ok().and_then(|p| p.parent().map(Path::to_path_buf));
        if !meta.is_file() {
            return Err(format!("sidecar {}: not a regular file; not read", path.display()));
        }
        if folder(&path) != folder(article) {
            return Err(format!(
                "sidecar {}: a link to a file outside the article's folder; not read",
                path.display()
            ));
        }
        std::fs::read(&path).map(Some).map_err(|e| format!("sidecar {}: {e}", path.display()))
    }

    /// Parses a sidecar's bytes, naming the file in the error.
    pub fn from_bytes(article: &Path, bytes: &[u8]) -> Result<Sidecar, String> {
        let path = Sidecar::path_for(article);
        let text = std::str::from_utf8(bytes)
            .map_err(|e| format!("sidecar {}: not UTF-8 ({e})", path.display()))?;
        Sidecar::parse(text).map_err(|e| format!("sidecar {}: {e}", path.display()))
    }

    /// Reads the sidecar beside an article, if there is one. `Ok(None)` when there is none;
    /// `Err` with a message when it exists but cannot be read or parsed (see
    /// [`Sidecar::read_bytes`]).
    pub fn for_article(article: &Path) -> Result<Option<Sidecar>, String> {
        match Sidecar::read_bytes(article)? {
            Some(bytes) => Sidecar::from_bytes(article, &bytes).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_curated_facts_with_provenance() {
        let sidecar = Sidecar::parse(
            r#"
            [source.name]
            value = "Black Country Radio"
            from = "the station's page"

            [published]
            value = "2025-03-11"
            from = "the page"

            [inspection.outcome]
            value = "wsoa_required"
            from = "the council's local offer page"

            [[corrections]]
            date = "2025-03-12"
            text = "Spelling of a name corrected."
            "#,
        )
        .unwrap();
        assert_eq!(sidecar.source.name.unwrap().value, "Black Country Radio");
        assert_eq!(sidecar.published.unwrap().value.to_string(), "2025-03-11");
        assert_eq!(sidecar.inspection.outcome.unwrap().value, Outcome::WsoaRequired);
        assert_eq!(sidecar.corrections.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_sidecar_linked_from_elsewhere_is_refused_unread() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "root:x:0:0").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("a.txt");
        std::fs::write(&article, "text").unwrap();
        assert_eq!(Sidecar::for_article(&article), Ok(None));
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("a.toml"))
            .unwrap();
        let err = Sidecar::for_article(&article).unwrap_err();
        assert!(err.contains("outside the article's folder"), "{err}");
        assert!(!err.contains("root:x"), "{err}");
    }

    #[test]
    fn errors_on_unknown_keys_and_bad_values() {
        assert!(Sidecar::parse("[source.nmae]\nvalue = \"x\"\nfrom = \"y\"").is_err());
        assert!(Sidecar::parse("[published]\nvalue = \"16 May\"\nfrom = \"y\"").is_err());
        assert!(Sidecar::parse("[inspection.outcome]\nvalue = \"good\"\nfrom = \"y\"").is_err());
        assert!(Sidecar::parse("[title]\nvalue = \"x\"").is_err(), "from is required");
        assert!(Sidecar::parse("slug = \"Not A Slug\"").is_err());
    }
}
