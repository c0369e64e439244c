//! Slugs: the permanent names in the archive's URLs.
//!
//! An article's slug is its title, slugified and cut at a word boundary, plus eight hex digits
//! of a hash of its file name, so that two articles with the same headline (common: "SEND
//! inspection report published") never share a permalink, and adding or removing other
//! articles never changes one. A sidecar can pin a slug outright.
//!
//! **Invariant:** the algorithm here never changes; permalinks depend on it. Change it only
//! with a migration that pins every existing slug in a sidecar.

use xxhash_rust::xxh3::xxh3_64;

/// The longest title part of a slug, in bytes.
const MAX_TITLE_PART: usize = 60;

/// Lower-case ASCII words joined by single hyphens: "Southend-on-Sea's SEND" →
/// `southend-on-seas-send`. Accented letters lose their accents; other characters separate
/// words.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.chars() {
        let mapped = fold_accent(ch);
        if mapped.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(mapped.to_ascii_lowercase());
        } else if matches!(ch, '\'' | '\u{2019}' | '\u{2018}') {
            // Apostrophes join: "council's" → "councils".
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

fn fold_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        '&' => ' ',
        other => other,
    }
}

/// The slug of an article with this title, stored at `file` (relative to the corpus).
pub fn article_slug(title: &str, file: &str) -> String {
    let full = slugify(title);
    let mut title_part = String::new();
    for word in full.split('-') {
        let extra = if title_part.is_empty() { word.len() } else { word.len() + 1 };
        if title_part.len() + extra > MAX_TITLE_PART {
            break;
        }
        if !title_part.is_empty() {
            title_part.push('-');
        }
        title_part.push_str(word);
    }
    if title_part.is_empty() {
        title_part.push_str("article");
    }
    let hash = xxh3_64(file.as_bytes());
    format!("{title_part}-{:08x}", hash >> 32)
}

/// Whether `slug` is a well-formed slug: lower-case ASCII letters and digits in words joined by
/// single hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && slug.split('-').all(|w| {
            !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        assert_eq!(slugify(text), expected);
    }

    #[test]
    fn slugifies_titles() {
        check(
            "Improvements made - but further work required",
            "improvements-made-but-further-work-required",
        );
        check("Southend-on-Sea", "southend-on-sea");
        check("‘Children’s services’ & SEND", "childrens-services-send");
        check("Bath & North East Somerset", "bath-north-east-somerset");
        check("  --  ", "");
    }

    #[test]
    fn article_slugs_are_stable_and_distinct_per_file() {
        let a = article_slug("Inspection report published", "a.txt");
        assert_eq!(a, article_slug("Inspection report published", "a.txt"));
        assert_ne!(a, article_slug("Inspection report published", "b.txt"));
        assert!(a.starts_with("inspection-report-published-"));
        assert!(is_valid_slug(&a));
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let slug = article_slug(
            "Recent improvements to services for children and young people in Worcestershire who have special educational needs",
            "x.txt",
        );
        let (title_part, hash) = slug.rsplit_once('-').unwrap();
        assert!(title_part.len() <= MAX_TITLE_PART);
        assert_eq!(hash.len(), 8);
        assert!(title_part.ends_with("worcestershire") || !title_part.ends_with('-'));
    }

    #[test]
    fn empty_titles_still_get_a_slug() {
        assert!(article_slug("!!!", "x.txt").starts_with("article-"));
    }
}
