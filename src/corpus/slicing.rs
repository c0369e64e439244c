//! Slicing text by byte offsets without panicking.
//!
//! A `&str` indexed at a byte offset that falls inside a multi-byte character panics
//! (`"NEWS · SEND"[..6]`), and articles are full of such characters (’ “ · › – NBSP, emoji).
//! Offsets computed from an ASCII pattern's length, or from another string, are the usual
//! cause. These helpers compare and cut at character boundaries only; corpus and extraction
//! code uses them, or `str::get`, wherever an offset does not come from the same string's
//! own `char_indices` or `find`.

/// `text` without `prefix` at its start, compared ASCII-case-insensitively; `None` when it
/// does not start so (including when the prefix's length ends inside a character).
pub fn strip_prefix_ignore_ascii_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// `text` without `suffix` at its end, compared ASCII-case-insensitively.
pub fn strip_suffix_ignore_ascii_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let tail = text.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..cut])
}

/// Whether `text` starts with `prefix`, ASCII-case-insensitively.
pub fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    strip_prefix_ignore_ascii_case(text, prefix).is_some()
}

/// Whether `text` ends with `suffix`, ASCII-case-insensitively.
pub fn ends_with_ignore_ascii_case(text: &str, suffix: &str) -> bool {
    strip_suffix_ignore_ascii_case(text, suffix).is_some()
}

/// The largest character boundary of `text` at or before `at` (clamped to its length).
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest character boundary of `text` at or after `at` (clamped to its length).
pub fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// At most the first `max_bytes` bytes of `text`, cut back to a character boundary.
pub fn truncate_bytes(text: &str, max_bytes: usize) -> &str {
    &text[..floor_char_boundary(text, max_bytes)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ending_inside_a_character_do_not_match() {
        assert_eq!(strip_prefix_ignore_ascii_case("NEWS · SEND", "posted"), None);
        assert_eq!(strip_prefix_ignore_ascii_case("Posted: May", "posted"), Some(": May"));
        assert_eq!(strip_prefix_ignore_ascii_case("Po", "posted"), None);
        assert!(starts_with_ignore_ascii_case("README.md", "readme"));
        assert!(!starts_with_ignore_ascii_case("readmé", "readme"));
    }

    #[test]
    fn suffixes_starting_inside_a_character_do_not_match() {
        assert_eq!(strip_suffix_ignore_ascii_case("café", "e"), None);
        assert_eq!(strip_suffix_ignore_ascii_case("14th", "TH"), Some("14"));
        assert!(!ends_with_ignore_ascii_case("th", "14th"));
        assert!(ends_with_ignore_ascii_case("a 14th", "14TH"));
    }

    #[test]
    fn boundaries_move_out_of_characters() {
        let text = "a’b";
        assert_eq!(floor_char_boundary(text, 2), 1);
        assert_eq!(ceil_char_boundary(text, 2), 4);
        assert_eq!(floor_char_boundary(text, 99), text.len());
        assert_eq!(truncate_bytes("ab’", 3), "ab");
        assert_eq!(truncate_bytes("ab’", 5), "ab’");
    }
}
