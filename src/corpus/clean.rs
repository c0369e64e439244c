//! Cleaning paragraphs: the rules every format shares for telling article from site.
//!
//! The format parsers (`text`, `html`, `markdown`) split a file into candidate paragraphs;
//! [`clean`] then drops what is *furniture* (text the site puts around every article: radio
//! players, app-store links, comment widgets, share buttons, cookie notices, separator lines,
//! photo credits) and moves *bylines* and *datelines* into [`PageMeta`]. The rules are
//! general, matched against whole short paragraphs, never against words inside prose: a line
//! that is only "Weather" is furniture, a sentence mentioning the weather is not. Every
//! article paragraph stays, in its original order.
//!
//! The words these rules match (furniture lines and prefixes, menu and account labels,
//! headings over lists of other stories, tag and credit labels, dateline labels, reading
//! times, relative dates) are data, in `rules/furniture.tsv`; the matching is here.
//!
//! A *tail marker* ("blog comments powered by Disqus", "In related news:", "Recently
//! Played", "Related articles", "Comments" over "Add a comment") ends the article: what
//! follows it is site, as long as some prose came before it.

use std::borrow::Cow;

use super::PageMeta;
use super::furniture::FURNITURE;

/// Paragraphs shorter than this (in bytes) are never dropped as exact duplicates, since short
/// list items and headings can repeat legitimately.
const MIN_DUPLICATE_LEN: usize = 30;

/// How many paragraphs from the top may hold a byline or dateline.
const META_ZONE: usize = 8;

/// Cleans a format parser's candidate paragraphs into article paragraphs, filling `meta`'s
/// `author` and `published` from a byline or dateline when they are still empty.
pub(super) fn clean(
    title: Option<&str>,
    paragraphs: Vec<String>,
    meta: &mut PageMeta,
) -> Vec<String> {
    let mut paragraphs: Vec<String> = paragraphs
        .into_iter()
        .map(fold_whitespace)
        .filter(|p| !p.is_empty() && !is_separator(p))
        .collect();
    // Each short paragraph's key, built once for the tail, story-list and furniture rules.
    let mut keys: Vec<Option<Key>> = paragraphs.iter().map(|p| furniture_key(p)).collect();
    truncate_at_tail(&mut paragraphs, &keys);
    keys.truncate(paragraphs.len());
    let mut drop = vec![false; paragraphs.len()];
    mark_related_lists(&paragraphs, &keys, &mut drop);

    let title = title.filter(|t| compare_chars(t).next().is_some());
    let mut out: Vec<String> = Vec::with_capacity(paragraphs.len());
    for idx in 0..paragraphs.len() {
        let paragraph = &paragraphs[idx];
        if drop[idx] || is_furniture_keyed(paragraph, keys[idx].as_deref()) {
            continue;
        }
        if idx < META_ZONE && take_meta_line(paragraph, meta) {
            continue;
        }
        // Section labels over the headline; lower down such a line may be a table row.
        if out.is_empty() && is_kicker(paragraph) {
            continue;
        }
        // `None` when the paragraph stays as it is, so that it can be moved, not copied.
        let stripped = match strip_credit(paragraph) {
            None => continue,
            Some(Cow::Borrowed(_)) => None,
            Some(Cow::Owned(text)) => Some(text),
        };
        let text = stripped.as_deref().unwrap_or(paragraph);
        if title.is_some_and(|t| {
            text.len() <= t.len() + 16 && text.len() + 16 >= t.len() && same_key(text, t)
        }) {
            continue;
        }
        if is_teaser_of_later(text, &paragraphs[idx + 1..]) {
            continue;
        }
        out.push(stripped.unwrap_or_else(|| std::mem::take(&mut paragraphs[idx])));
    }
    drop_duplicates(out)
}

/// Keeps the first of exact duplicate paragraphs (at least [`MIN_DUPLICATE_LEN`] long).
fn drop_duplicates(mut paragraphs: Vec<String>) -> Vec<String> {
    // Sorting by length then text puts duplicates side by side without hashing every
    // paragraph; the stable sort keeps the first of each run first.
    let mut candidates: Vec<usize> =
        (0..paragraphs.len()).filter(|&idx| paragraphs[idx].len() >= MIN_DUPLICATE_LEN).collect();
    candidates.sort_by(|&a, &b| {
        let (pa, pb) = (&paragraphs[a], &paragraphs[b]);
        pa.len().cmp(&pb.len()).then_with(|| pa.cmp(pb))
    });
    let mut keep = vec![true; paragraphs.len()];
    for pair in candidates.windows(2) {
        if paragraphs[pair[0]] == paragraphs[pair[1]] {
            keep[pair[1]] = false;
        }
    }
    if keep.iter().all(|&k| k) {
        return paragraphs;
    }
    let mut keep = keep.into_iter();
    paragraphs.retain(|_| keep.next().unwrap_or(true));
    paragraphs
}

/// Trims and folds every run of white space to one space, copying only when needed.
pub(super) fn fold_whitespace(text: String) -> String {
    if is_folded(text.as_bytes()) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// No leading or trailing space, no control bytes (tab, LF ...), no two spaces in a row.
/// Scans eight bytes at a time with exact byte masks ("SWAR").
fn is_folded(bytes: &[u8]) -> bool {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    // The high bit of each byte of the result is set exactly where that byte of `word` is
    // below `n` (for n <= 0x80).
    let below = |word: u64, n: u64| !(((word & LOW7) + (0x80 - n) * ONES) | word) & HIGH;
    let mut prev_space = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if below(word, 0x20) != 0 {
            return false;
        }
        let spaces = below(word ^ (ONES * 0x20), 1);
        if spaces & (spaces >> 8) != 0 || (prev_space & spaces & 0x80) != 0 {
            return false;
        }
        prev_space = spaces >> 63 << 7;
    }
    let mut prev = prev_space != 0;
    for &byte in chunks.remainder() {
        if byte < b' ' || (byte == b' ' && prev) {
            return false;
        }
        prev = byte == b' ';
    }
    true
}

/// A line made only of separator characters: '|' rules, dashes, asterisks, underscores.
pub(super) fn is_separator(line: &str) -> bool {
    line.chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '|' | '-' | '*' | '_' | '=' | '~' | '•' | '·' | '#' | '—' | '–')
    })
}

/// The longest line (in bytes) furniture rules look at; anything longer is prose.
const MAX_FURNITURE_LEN: usize = 120;

/// A short line lower-cased, without a list marker, wrapping quotes or a final colon, or
/// `None` for a line too long to be furniture.
fn furniture_key(line: &str) -> Option<Key> {
    if line.len() > MAX_FURNITURE_LEN {
        return None;
    }
    let line = line.strip_prefix("- ").unwrap_or(line);
    let quotes: &[char] = &['\'', '"', '‘', '’', '“', '”'];
    let line = line.trim_matches(quotes).trim();
    let line = line.strip_suffix(':').unwrap_or(line).trim_end();
    Some(Key::lower(line))
}

/// A short line lower-cased (ASCII only) on the stack: furniture rules look at every short
/// paragraph, and a heap string for each was a good part of cleaning's time.
struct Key {
    buf: [u8; MAX_FURNITURE_LEN],
    len: usize,
}

impl Key {
    /// `text` (at most [`MAX_FURNITURE_LEN`] bytes) lower-cased.
    /// A curly apostrophe becomes a straight one, so that "What’s On" is "what's on".
    fn lower(text: &str) -> Key {
        let mut buf = [0; MAX_FURNITURE_LEN];
        if !text.contains('’') {
            let len = text.len().min(MAX_FURNITURE_LEN);
            buf[..len].copy_from_slice(&text.as_bytes()[..len]);
            buf[..len].make_ascii_lowercase();
            return Key { buf, len };
        }
        let mut len = 0;
        for (i, c) in text.char_indices() {
            let (bytes, width) = match c {
                '’' => (&b"'"[..], 1),
                _ => (&text.as_bytes()[i..i + c.len_utf8()], c.len_utf8()),
            };
            if len + width > MAX_FURNITURE_LEN {
                break;
            }
            buf[len..len + width].copy_from_slice(bytes);
            len += width;
        }
        buf[..len].make_ascii_lowercase();
        Key { buf, len }
    }
}

impl std::ops::Deref for Key {
    type Target = str;

    fn deref(&self) -> &str {
        // ASCII lower-casing keeps UTF-8 valid, and `len` is never past the text copied.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// A line that is site furniture rather than article (see the module docs).
pub(super) fn is_furniture(line: &str) -> bool {
    is_furniture_keyed(line, furniture_key(line).as_deref())
}

/// [`is_furniture`] given the line's [`furniture_key`] (`None` for a line too long to have
/// one).
fn is_furniture_keyed(line: &str, key: Option<&str>) -> bool {
    let Some(key) = key else { return is_cookie_notice(line) };
    let table = &*FURNITURE;
    if table.lines.contains(key)
        || table.accounts.contains(key)
        || table.prefixes.iter().any(|prefix| key.starts_with(prefix.as_str()))
        || is_cookie_notice(key)
    {
        return true;
    }
    // Comment counts and rating widgets: "450", "Rating *", "4 comments".
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
        return true;
    }
    if let Some(rest) = key.strip_prefix("rating")
        && rest.bytes().all(|b| matches!(b, b' ' | b'*' | b':' | b'0'..=b'9' | b'/'))
    {
        return true;
    }
    if let Some((count, rest)) = key.split_once(' ')
        && count.bytes().all(|b| b.is_ascii_digit())
        && matches!(rest, "comments" | "comment" | "replies" | "reply" | "shares")
    {
        return true;
    }
    is_radio_furniture(key) || is_link_bar(key) || is_breadcrumb(key) || is_tag_list(key)
}

/// A short line that is a bar label on its own or a bar of them (see `is_link_bar`).
pub(super) fn is_bar_line(line: &str) -> bool {
    furniture_key(line).is_some_and(|key| is_link_bar(&key) || count_labels(&key).is_some())
}

/// Separators between the links of a bar ("Share | Print", "Back to top · All posts").
const BAR_SEPARATORS: [char; 3] = ['|', '·', '•'];

/// A bar of short link labels: every label furniture, an account link or a site section
/// (see `furniture.tsv`), either separated by '|', '·' or '•' ("Subscribe | Sign in",
/// "Share | Print | Email") or, without separators, at least three labels in a row ("Menu
/// Search Subscribe Sign in": a saved page's menu loses its separators).
fn is_link_bar(key: &str) -> bool {
    // Without separators the key is one part, a bar only when `count_labels` reads three
    // labels or more in it (a label unknown to the table needs `MIN_MENU_PARTS` parts): so
    // at least three words, the first starting a label. Most short lines fail here.
    if !key.contains(BAR_SEPARATORS) {
        let mut words = key.split_whitespace();
        let first_starts_label = words
            .next()
            .is_some_and(|word| super::furniture::starts_bar_label(word.trim_end_matches(':')));
        if !first_starts_label || words.nth(1).is_none() {
            return false;
        }
    }
    let mut labels = 0;
    let mut parts = 0;
    let mut unknown = 0;
    for part in key.split(BAR_SEPARATORS).map(str::trim).filter(|part| !part.is_empty()) {
        parts += 1;
        match count_labels(part) {
            Some(n) => labels += n,
            // A site's own sections ("Bradford", "Things to do") are not in any table; a
            // long bar is a menu when most of its labels are.
            None if part.split_whitespace().count() <= 3 && is_label(part) => unknown += 1,
            None => return false,
        }
    }
    if unknown > 0 {
        return parts >= MIN_MENU_PARTS && unknown * 2 <= parts;
    }
    (parts >= 2 && labels >= 2) || (parts == 1 && labels >= 3)
}

/// A bar with labels unknown to the furniture table needs this many links to be a menu.
const MIN_MENU_PARTS: usize = 4;

/// How many bar labels `text` is made of, read greedily longest first (a label is at most
/// four words; a colon after one is allowed: "Share: Facebook"), or `None` when some word
/// is not part of a label.
fn count_labels(text: &str) -> Option<usize> {
    const MAX_LABEL_WORDS: usize = 4;
    // Most short lines are no bar: their first word starts no label, and neither the list of
    // words nor any label need be built to see it (the loop below checks this word first).
    if let Some(first) = text.split_whitespace().next()
        && !super::furniture::starts_bar_label(first.trim_end_matches(':'))
    {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut at = 0;
    let mut count = 0;
    let mut label = String::new();
    while at < words.len() {
        // A word that starts no label is in no label, and no label need be built to see it.
        if !super::furniture::starts_bar_label(words[at].trim_end_matches(':')) {
            return None;
        }
        let longest = (1..=MAX_LABEL_WORDS.min(words.len() - at)).rev().find(|&n| {
            label.clear();
            for (i, word) in words[at..at + n].iter().enumerate() {
                if i > 0 {
                    label.push(' ');
                }
                label.push_str(word.trim_end_matches(':'));
            }
            super::furniture::is_bar_label(&label)
        })?;
        at += longest;
        count += 1;
    }
    Some(count)
}

/// A breadcrumb trail: two or more short labels joined by '›', '>' or '»' ("Home > News >
/// Stockton", "NEWS › EDUCATION"), none ending a sentence.
fn is_breadcrumb(key: &str) -> bool {
    let parts_of = |key: &str| -> Vec<String> {
        if key.contains(['›', '>', '»']) {
            key.split(['›', '>', '»']).map(|p| p.trim().to_string()).collect()
        } else {
            key.split(" / ").map(|p| p.trim().to_string()).collect()
        }
    };
    if !key.contains(['›', '>', '»']) && !key.contains(" / ") {
        return false;
    }
    let mut parts = 0;
    parts_of(key).iter().all(|part| {
        parts += 1;
        let words = part.split_whitespace().count();
        (1..=4).contains(&words) && is_label(part)
    }) && parts >= 2
}

/// A kicker over a headline: short section labels separated by '|', '·' or '•' ("Local
/// democracy | Education", "NEWS · SEND"): no digits, at most three words a label. Only at
/// the top of an article, before any prose, is such a line taken for furniture.
fn is_kicker(line: &str) -> bool {
    if line.len() > MAX_FURNITURE_LEN || !line.contains(BAR_SEPARATORS) {
        return false;
    }
    let mut parts = 0;
    line.split(BAR_SEPARATORS).map(str::trim).all(|part| {
        parts += 1;
        let words = part.split_whitespace().count();
        (1..=3).contains(&words) && is_label(part)
    }) && parts >= 2
}

/// Text that reads as a link label: letters, spaces, '&', apostrophes and hyphens only (no
/// digits, brackets, markup or sentence punctuation).
fn is_label(text: &str) -> bool {
    text.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '&' | '\'' | '’' | '-'))
}

/// The longest tag (in words) a tag list may hold; a longer item is prose.
const MAX_TAG_WORDS: usize = 4;

/// A tag list: a `tag_label` of the furniture table (with ':' or alone) and then short
/// items separated by ',', ';' or '|', none ending a sentence.
fn is_tag_list(key: &str) -> bool {
    if !key.starts_with(['c', 'f', 'k', 't']) {
        return false;
    }
    let Some(rest) = FURNITURE.tag_labels.iter().find_map(|label| key.strip_prefix(label.as_str()))
    else {
        return false;
    };
    let rest = match rest.strip_prefix(':') {
        Some(rest) => rest,
        // Without a colon the label must stand alone ("Tags"), or "Filed under X".
        None if rest.is_empty() => return true,
        None if key.starts_with("filed under ") || key.starts_with("tagged ") => rest,
        None => return false,
    };
    rest.split([',', ';', '|']).all(|item| {
        let item = item.trim();
        !item.ends_with(['.', '!', '?']) && item.split_whitespace().count() <= MAX_TAG_WORDS
    })
}

/// Radio station furniture: "92.2 / 102.5 FM", "Play Black Country Radio".
fn is_radio_furniture(key: &str) -> bool {
    if key.starts_with("play ") && (key.ends_with(" radio") || key.ends_with(" live")) {
        return key.split_whitespace().count() <= 6;
    }
    let mut has_band = false;
    let all_frequency = key.split_whitespace().all(|token| match token {
        "fm" | "am" | "dab" | "dab+" | "mhz" => {
            has_band = true;
            true
        }
        "/" | "&" | "and" => true,
        _ => token.bytes().all(|b| b.is_ascii_digit() || b == b'.'),
    });
    has_band && all_frequency
}

/// Cookie consent text: "We use cookies ...", "This website uses cookies ...".
fn is_cookie_notice(line: &str) -> bool {
    line.len() <= 400
        && FURNITURE
            .cookie_prefixes
            .iter()
            .any(|prefix| super::slicing::starts_with_ignore_ascii_case(line, prefix))
}

/// A heading over a list of other stories ("Most read", "Related", "More on SEND").
/// `key` is the line's [`furniture_key`] (`None` for a long line, which is no heading).
fn is_related_heading(key: Option<&str>) -> bool {
    let Some(key) = key else { return false };
    let table = &*FURNITURE;
    // The words are counted (up to six) only for a line that starts like such a heading.
    let at_most_five_words = || key.split_whitespace().nth(5).is_none();
    table.related_headings.contains(key)
        || (table.related_prefixes.iter().any(|prefix| key.starts_with(prefix.as_str()))
            && at_most_five_words())
        || ((key.starts_with("more ") || key.starts_with("latest "))
            && key
                .rsplit(' ')
                .next()
                .is_some_and(|last| table.related_ends.iter().any(|e| e == last))
            && at_most_five_words())
}

/// Longest item (in words) of a list of other stories' headlines.
const MAX_HEADLINE_WORDS: usize = 20;

/// An entry of a list of other stories: a list item or a short line that does not end a
/// sentence (a headline).
fn is_related_item(line: &str) -> bool {
    let text = line.strip_prefix("- ").unwrap_or(line);
    let words = text.split_whitespace().count();
    let headline = line.len() <= 160 && !text.ends_with(['.', ':', ';']);
    words <= MAX_HEADLINE_WORDS && (line.starts_with("- ") || headline)
}

/// Marks a heading over a list of other stories, and the list under it, for dropping:
/// those headlines name other areas and other outcomes, and must not reach extraction.
/// `keys` are the paragraphs' furniture keys.
fn mark_related_lists(paragraphs: &[String], keys: &[Option<Key>], drop: &mut [bool]) {
    let mut idx = 0;
    while idx < paragraphs.len() {
        if !is_related_heading(keys[idx].as_deref()) {
            idx += 1;
            continue;
        }
        drop[idx] = true;
        idx += 1;
        while idx < paragraphs.len()
            && !is_related_heading(keys[idx].as_deref())
            && is_related_item(&paragraphs[idx])
        {
            drop[idx] = true;
            idx += 1;
        }
    }
}

/// Cuts the list at the first tail marker that follows some prose.
/// `keys` are the paragraphs' furniture keys.
fn truncate_at_tail(paragraphs: &mut Vec<String>, keys: &[Option<Key>]) {
    let mut seen_prose = false;
    for idx in 0..paragraphs.len() {
        let paragraph = &paragraphs[idx];
        let next_key = keys.get(idx + 1).and_then(Option::as_deref);
        if seen_prose && is_tail_marker(keys[idx].as_deref(), next_key) {
            paragraphs.truncate(idx);
            return;
        }
        // Folded text: eight words are seven spaces.
        seen_prose |= paragraph.bytes().filter(|&b| b == b' ').nth(6).is_some();
    }
}

/// Whether a paragraph, by its furniture key, is a tail marker; `next` is the next
/// paragraph's key (`None` when there is none or it is long: no comment widget).
fn is_tail_marker(key: Option<&str>, next: Option<&str>) -> bool {
    let Some(key) = key else { return false };
    if key.starts_with("blog comments powered by") || FURNITURE.tails.contains(key) {
        return true;
    }
    if key != "comments" {
        return false;
    }
    // "Comments" ends the article only when a comment widget follows it.
    let Some(next) = next else { return true };
    matches!(next, "add a comment" | "leave a comment" | "post a comment")
        || next.starts_with("rating")
        || next.bytes().all(|b| b.is_ascii_digit())
}

/// Moves a byline or dateline (or both, split by '|') into `meta`; true when the line was
/// one and should be dropped.
fn take_meta_line(line: &str, meta: &mut PageMeta) -> bool {
    let Some(MetaLine { author, published }) = parse_meta_line(line) else { return false };
    if meta.author.is_none() {
        meta.author = author.map(str::to_string);
    }
    if meta.published.is_none() {
        meta.published = published.map(str::to_string);
    }
    true
}

/// What a byline or dateline holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct MetaLine<'a> {
    /// The writer's name.
    pub author: Option<&'a str>,
    /// The date as written.
    pub published: Option<&'a str>,
}

/// The longest byline or dateline, in bytes.
const MAX_META_LINE: usize = 160;

/// A byline or dateline, or both, in parts split by '|', '·' or '•': "By Jo Bloggs | 6 March
/// 2023", "By Jo Bloggs · 23 Dec 2024 · 4 min read", "Posted: July 2024 · 6 minute read".
/// A reading time ("4 min read") or a relative date ("3 days ago") may be a part too, but is
/// never taken for a date. `None` when any part is something else.
pub(super) fn parse_meta_line(line: &str) -> Option<MetaLine<'_>> {
    if line.len() > MAX_META_LINE {
        return None;
    }
    let mut found = MetaLine::default();
    let mut any_part = false;
    let mut bare_name = None;
    for part in line.split(BAR_SEPARATORS).map(str::trim).filter(|p| !p.is_empty()) {
        any_part = true;
        if let Some(name) = parse_byline(part) {
            found.author.get_or_insert(name);
            // "By Jo Bloggs, Local Democracy Reporting Service Friday 24th September 2021":
            // the date written after the role, with no separator, is the dateline.
            if let Some(date) = trailing_date(part) {
                found.published.get_or_insert(date);
            }
        } else if let Some(date) = parse_dateline(part) {
            found.published.get_or_insert(date);
        } else if is_bare_name(part) && bare_name.is_none() {
            bare_name = Some(part);
        } else if !(is_reading_time(part) || is_relative_date(part) || is_update_time(part)) {
            return None;
        }
    }
    // A name without "By" is the author only beside a date ("15 May 2025 · Jo Bloggs").
    if let Some(name) = bare_name {
        found.published?;
        found.author.get_or_insert(name);
    }
    any_part.then_some(found)
}

/// The longest run of whole words at the end of `part` that is only a date, if any.
fn trailing_date(part: &str) -> Option<&str> {
    part.char_indices()
        .filter(|&(i, c)| !c.is_whitespace() && part[..i].ends_with(char::is_whitespace))
        .map(|(i, _)| &part[i..])
        .find(|tail| is_date_only(tail))
}

/// Two to four capitalised words and nothing else: a name in a byline without "By".
fn is_bare_name(part: &str) -> bool {
    let words = part.split_whitespace().count();
    (2..=4).contains(&words)
        && part.split_whitespace().all(|word| {
            word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
        })
}

/// "Updated 18:40", "Updated 9am": when the page changed that day, no date.
fn is_update_time(part: &str) -> bool {
    // The labels are lower-case ASCII, so matching them case-insensitively on `part` cuts it
    // where they would cut it lower-cased; only the rest of a line that has one is copied.
    let Some(rest) = FURNITURE
        .dateline_labels
        .iter()
        .find_map(|l| super::slicing::strip_prefix_ignore_ascii_case(part, l))
    else {
        return false;
    };
    let rest = rest.to_ascii_lowercase();
    let rest = rest.trim_start_matches([' ', ':']);
    !rest.is_empty() && rest.split_whitespace().all(is_time)
}

/// "4 min read", "6 minute read", "3 mins read".
fn is_reading_time(part: &str) -> bool {
    if !part.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let lower = part.to_ascii_lowercase();
    let Some((number, unit)) = lower.split_once(' ') else { return false };
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && FURNITURE.reading_times.iter().any(|t| t == unit.trim())
}

/// "3 days ago", "Yesterday", "2 hours ago", "Updated 5 minutes ago": a date relative to
/// when the page was saved, which gives no publication date. Every word is a number, a
/// `time_unit` or a word of a `relative_date` of the furniture table (or a dateline label),
/// and some `relative_date` is there.
fn is_relative_date(part: &str) -> bool {
    // Cheap refusals first: this runs on every short line of a text file.
    if part.len() > 60 || part.split_whitespace().nth(6).is_some() {
        return false;
    }
    let table = &*FURNITURE;
    // The table's words are lower-case ASCII, so comparing them ignoring ASCII case is
    // comparing them with the word lower-cased: most parts fail on their first word, and
    // nothing is copied for them.
    let known = |word: &str| {
        word.bytes().all(|b| b.is_ascii_digit())
            || ["a", "an", "about"].iter().any(|w| w.eq_ignore_ascii_case(word))
            || table.time_units.iter().any(|unit| unit.eq_ignore_ascii_case(word))
            || table
                .relative_dates
                .iter()
                .any(|r| r.split(' ').any(|w| w.eq_ignore_ascii_case(word)))
            || table.dateline_labels.iter().any(|label| label.eq_ignore_ascii_case(word))
    };
    if !part.split_whitespace().all(known) {
        return false;
    }
    let lower = part.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    let phrase = format!(" {} ", words.join(" "));
    table.relative_dates.iter().any(|r| phrase.contains(&format!(" {r} ")))
}

/// The longest name a byline holds, in words; a role may follow it after a comma.
const MAX_NAME_WORDS: usize = 5;
/// The longest role after a byline's name ("Local Democracy Reporting Service").
const MAX_ROLE_WORDS: usize = 8;

/// The name in a byline such as "By Neil Puffett", "Author: Jo Bloggs" or "By Jo Bloggs,
/// Education Correspondent" (the role after the comma is not part of the name).
pub(super) fn parse_byline(line: &str) -> Option<&str> {
    let line = line.trim_matches(|c: char| c == '|' || c.is_whitespace());
    let rest = ["By ", "by ", "BY ", "Written by ", "Author: ", "Words by ", "Posted by "]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))?
        .trim();
    // "Posted by the volunteer team": a team, not a person, but still the byline.
    let (rest, team) = match rest.strip_prefix("the ") {
        Some(team) if line.starts_with("Posted by ") => (team, true),
        _ => (rest, false),
    };
    let (name, role) = match rest.split_once(',') {
        Some((name, role)) => (name.trim(), role.trim()),
        None => (rest, ""),
    };
    let n_words = name.split_whitespace().count();
    let first_upper = team || name.chars().next().is_some_and(char::is_uppercase);
    let plain = |text: &str| !text.contains(['.', ':', ';', '!', '?', '"', '“']);
    let role_ok = role.split_whitespace().count() <= MAX_ROLE_WORDS
        && plain(role)
        && role.chars().next().is_none_or(|c| !c.is_lowercase());
    (first_upper && plain(name) && (1..=MAX_NAME_WORDS).contains(&n_words) && role_ok)
        .then_some(name)
}

/// The date in a dateline such as "Published Wednesday, 16th May 2018", "| 03 January
/// 2018", "Posted: March 2023", "Newsletter – November 2019" or a line that is only a date;
/// `None` when the line says anything else. The labels are the furniture table's
/// `dateline_label` rows.
pub(super) fn parse_dateline(line: &str) -> Option<&str> {
    let mut rest = line.trim_matches(|c: char| c == '|' || c.is_whitespace());
    for label in &FURNITURE.dateline_labels {
        // Not indexing: the label's length may fall inside a multi-byte character
        // ("NEWS · SEND").
        if let Some(after) = super::slicing::strip_prefix_ignore_ascii_case(rest, label)
            && (after.is_empty() || after.starts_with([' ', ':', '–', '—', '-']))
        {
            rest = after.trim_start_matches([' ', ':', '–', '—', '-']);
            break;
        }
    }
    let rest = rest.trim();
    is_date_only(rest).then_some(rest)
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// True when every word of `text` is part of a date (weekday, day, month, year, time).
fn is_date_only(text: &str) -> bool {
    // Date words longer than this are lower-cased on the heap.
    const MAX_TOKEN: usize = 32;
    let tokens = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty());
    let (mut month, mut day, mut year, mut numeric) = (false, false, false, false);
    let mut n_tokens = 0;
    for token in tokens {
        n_tokens += 1;
        if n_tokens > 10 {
            return false;
        }
        let mut buf = [0u8; MAX_TOKEN];
        let owned: String;
        let lower = if token.len() <= MAX_TOKEN {
            let buf = &mut buf[..token.len()];
            buf.copy_from_slice(token.as_bytes());
            buf.make_ascii_lowercase();
            std::str::from_utf8(buf).unwrap_or_default()
        } else {
            owned = token.to_ascii_lowercase();
            &owned
        };
        let digits = lower.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
        if MONTHS.contains(&lower) {
            month = true;
        } else if WEEKDAYS.contains(&lower) {
            continue;
        } else if lower.len() == 4 && lower.bytes().all(|b| b.is_ascii_digit()) {
            year = matches!(lower.parse::<u32>(), Ok(1990..=2100));
            if !year {
                return false;
            }
        } else if !digits.is_empty()
            && digits.len() <= 2
            && digits.bytes().all(|b| b.is_ascii_digit())
            && matches!(lower.len() - digits.len(), 0 | 2)
        {
            day = true;
        } else if is_numeric_date(lower) {
            numeric = true;
        } else if is_time(lower)
            || matches!(lower, "at" | "on" | "of" | "-" | "–" | "gmt" | "bst" | "utc")
        {
            continue;
        } else {
            return false;
        }
    }
    numeric || (month && (day || year))
}

/// "06/03/2024", "6.3.24", "2024-03-06", "2024-03-06T09:00:00Z".
fn is_numeric_date(token: &str) -> bool {
    let date = token.split('t').next().unwrap_or(token);
    let mut n_parts = 0;
    date.split(['/', '-', '.']).all(|p| {
        n_parts += 1;
        n_parts <= 3 && !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())
    }) && n_parts == 3
}

/// "10:30", "10:30am", "9am", "pm".
fn is_time(token: &str) -> bool {
    let core = token.trim_end_matches("am").trim_end_matches("pm");
    (core.is_empty() && !token.is_empty())
        || (!core.is_empty()
            && core.bytes().all(|b| b.is_ascii_digit() || b == b':')
            && (core.contains(':') || core.len() < token.len()))
}

/// Credits this long (in words) or longer are prose, not credits.
const MAX_CREDIT_WORDS: usize = 15;

/// Removes photo credits. `None` when the whole paragraph is a credit or a caption ending in
/// one (one short sentence plus credit); otherwise the paragraph without inline credits.
fn strip_credit(paragraph: &str) -> Option<Cow<'_, str>> {
    if !has_credit_label(paragraph) {
        return Some(Cow::Borrowed(paragraph));
    }
    if FURNITURE.credit_labels.iter().any(|label| paragraph.starts_with(label)) {
        return None;
    }
    let mut text = Cow::Borrowed(paragraph);
    // "(Photo: Jo Bloggs)" anywhere.
    while let Some(open) =
        FURNITURE.credit_labels.iter().find_map(|label| find_paren_credit(&text, label))
    {
        let close = text[open..].find(')').map_or(text.len(), |i| open + i + 1);
        let joined = format!("{} {}", text[..open].trim_end(), text[close..].trim_start());
        text = Cow::Owned(joined.trim().to_string());
    }
    if text.is_empty() {
        return None;
    }
    // "Caption sentence. Picture: Agency" and "Prose. Photo: Agency. More prose."
    let found =
        FURNITURE.credit_labels.iter().filter_map(|label| find_sentence_credit(&text, label)).min();
    let Some(start) = found else { return Some(text) };
    let after_label = &text[start..];
    let end = sentence_end(after_label).map_or(text.len(), |i| start + i);
    if text[start..end].split_whitespace().count() > MAX_CREDIT_WORDS {
        return Some(text);
    }
    let before = text[..start].trim_end();
    let after = text[end..].trim_start();
    if after.is_empty() && is_caption(before) {
        return None;
    }
    let joined = if after.is_empty() { before.to_string() } else { format!("{before} {after}") };
    Some(Cow::Owned(joined))
}

/// Whether any ':' in `text` ends a credit label: one cheap pass before the exact searches.
fn has_credit_label(text: &str) -> bool {
    text.match_indices(':').any(|(colon, _)| {
        let head = &text[..colon + 1];
        FURNITURE.credit_labels.iter().any(|label| head.ends_with(label))
    })
}

/// Start indices of `label` in `text`, found from its final ':' (cheaper than a search).
fn label_starts<'a>(text: &'a str, label: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(':').filter_map(move |(colon, _)| {
        let end = colon + 1;
        text[..end].ends_with(label).then(|| end - label.len())
    })
}

fn find_paren_credit(text: &str, label: &str) -> Option<usize> {
    label_starts(text, label).find(|&at| at > 0 && text.as_bytes()[at - 1] == b'(').map(|at| at - 1)
}

/// Where `label` starts a sentence of its own: after ". ", "! ", "? " or a closing quote.
fn find_sentence_credit(text: &str, label: &str) -> Option<usize> {
    label_starts(text, label)
        .find(|&at| at > 0 && text[..at].trim_end().ends_with(['.', '!', '?', '”', '"', '’']))
}

/// The byte index just after the first sentence end (". " followed by a capital) in `text`.
fn sentence_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find_map(|i| {
        (matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes[i + 1] == b' '
            && bytes[i + 2].is_ascii_uppercase())
        .then_some(i + 1)
    })
}

/// One short sentence: what a photo caption is.
fn is_caption(text: &str) -> bool {
    !text.is_empty() && text.split_whitespace().count() <= 40 && sentence_end(text).is_none()
}

/// A teaser ending in "..." whose text starts a later paragraph (a repeated lede).
fn is_teaser_of_later(paragraph: &str, later: &[String]) -> bool {
    let Some(stem) = paragraph.strip_suffix("...").or_else(|| paragraph.strip_suffix('…')) else {
        return false;
    };
    let stem = stem.trim_end();
    stem.len() >= 20 && later.iter().take(3).any(|p| p.starts_with(stem))
}

/// Letters and digits only, lower-cased: "Dudley’s SEND!" and "dudleys send" compare equal.
fn compare_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase)
}

/// Whether two texts are equal on [`compare_chars`], without building either key.
fn same_key(a: &str, b: &str) -> bool {
    compare_chars(a).eq(compare_chars(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(title: Option<&str>, input: &[&str], expected: &[&str]) {
        let mut meta = PageMeta::default();
        let got = clean(title, input.iter().map(|p| p.to_string()).collect(), &mut meta);
        assert_eq!(got, expected);
    }

    fn check_meta(input: &[&str], author: Option<&str>, published: Option<&str>) {
        let mut meta = PageMeta::default();
        clean(None, input.iter().map(|p| p.to_string()).collect(), &mut meta);
        assert_eq!(meta.author.as_deref(), author, "{input:?}");
        assert_eq!(meta.published.as_deref(), published, "{input:?}");
    }

    const PROSE: &str = "Inspectors found that the local area must improve its services.";

    #[test]
    fn folds_exactly() {
        for text in
            ["a b", "abcdefgh ijklmnop", "abcdefg  hijk", "abcdefgh\tij", "a b c d e f g h i j k"]
        {
            let folded: Vec<&str> = text.split_ascii_whitespace().collect();
            assert_eq!(is_folded(text.as_bytes()), folded.join(" ") == text, "{text:?}");
        }
        assert!(!is_folded(b"abcdefg "));
        assert!(!is_folded(b"abcdefg  hijklmno"));
        assert!(!is_folded(b"abcdefgh ijklmno  "));
        assert!(!is_folded(b"abcdefg  ijklmnop"));
        assert!(!is_folded(b"abcdefgh\x7f  "));
        assert!(is_folded("caf\u{e9} \u{2019}quoted\u{2019} text here".as_bytes()));
        for pos in 0..15 {
            let mut text = *b"abcdefghijklmnopq";
            text[pos + 1] = b' ';
            text[pos + 2] = b' ';
            assert!(!is_folded(&text), "double space at {pos}");
            let mut text = *b"abcdefghijklmnopq";
            text[pos + 1] = b'\n';
            assert!(!is_folded(&text), "newline at {pos}");
        }
    }

    #[test]
    fn drops_separators_and_folds_whitespace() {
        check(None, &["|", "---", "* * *", "  a \t b\n c  "], &["a b c"]);
    }

    #[test]
    fn drops_furniture_lines_but_not_prose() {
        check(
            None,
            &[
                "Weather",
                "The weather delayed the inspection by a day.",
                "Share on Facebook",
                "- Available on the App Store",
                "92.2 / 102.5 FM",
                "'Play Black Country Radio'",
                "We use cookies to improve your experience on our site.",
                "Advertisement",
                "Find out more",
                "Sign up to our newsletter",
                "450",
                "Rating *",
                "What was the inspection outcome?",
            ],
            &["The weather delayed the inspection by a day.", "What was the inspection outcome?"],
        );
    }

    #[test]
    fn furniture_keys_fold_case_on_the_stack() {
        assert_eq!(furniture_key("- \u{2018}Share This\u{2019}").as_deref(), Some("share this"));
        assert_eq!(furniture_key("Share This:").as_deref(), Some("share this"));
        assert_eq!(furniture_key("Caf\u{c9} SEND").as_deref(), Some("caf\u{c9} send"));
        assert!(furniture_key(&"x".repeat(MAX_FURNITURE_LEN + 1)).is_none());
        assert!(same_key("Dudley\u{2019}s SEND!", "dudleys send"));
        assert!(!same_key("Dudley SEND", "Dudley SEN"));
    }

    #[test]
    fn drops_account_link_bars_and_tag_lists() {
        check(
            None,
            &[
                "Subscribe | Sign in",
                "Log in | Register | My account",
                "Share | Print | Email",
                PROSE,
                "Tags: SEND, Ofsted, Education",
                "Topics: Special educational needs | Local government",
                "Filed under: Education; Health",
                "Tags:",
            ],
            &[PROSE],
        );
        // Prose that happens to start like one stays.
        let kept = [
            "Subscribe to the view that inspections help? Many parents do not.",
            "Sign in | The council's new portal for parents was launched",
            "Topics: the inspectors looked at waiting times and at how plans are written.",
            "Tags: SEND, and the wider question of how families are heard by the council",
            "Registered charities welcomed the report.",
        ];
        check(None, &kept, &kept);
    }

    #[test]
    fn truncates_at_tail_markers_after_prose() {
        check(None, &[PROSE, "Comments", "Add a comment", "Other story"], &[PROSE]);
        check(None, &[PROSE, "blog comments powered by Disqus", "x"], &[PROSE]);
        check(None, &[PROSE, "In related news:", "Another council's SEND services"], &[PROSE]);
        // A marker before any prose is only furniture.
        check(None, &["Related articles", PROSE], &[PROSE]);
        // "Comments" as a section heading over prose stays cut only as furniture.
        check(None, &[PROSE, "Comments", PROSE], &[PROSE]);
    }

    #[test]
    fn drops_captions_and_inline_credits() {
        check(
            None,
            &[
                "The quality of SEND provision has been criticised. Picture: Posed by models/Adobe Stock",
                "Picture: Jo Bloggs",
                "Councillors met on Monday (Photo: Jo Bloggs) to discuss the report.",
                "The report was published. Photo: Jo Bloggs. Leaders welcomed it.",
            ],
            &[
                "Councillors met on Monday to discuss the report.",
                "The report was published. Leaders welcomed it.",
            ],
        );
    }

    #[test]
    fn drops_title_teaser_and_duplicates() {
        let full = "Recent improvements must be built upon, that's according to inspectors.";
        check(
            Some("Recent improvements must be built upon"),
            &[
                "Recent improvements must be built upon",
                "Recent improvements must be built upon...",
                full,
                PROSE,
                PROSE,
            ],
            &[full, PROSE],
        );
    }

    #[test]
    fn takes_a_date_written_after_a_bylines_role() {
        let line = "By Jo Bloggs, Local Democracy Reporting Service Friday 24th September 2021";
        let meta = parse_meta_line(line).unwrap();
        assert_eq!(meta.author, Some("Jo Bloggs"));
        assert_eq!(meta.published, Some("Friday 24th September 2021"));
        let plain = parse_meta_line("By Jo Bloggs, Education Correspondent").unwrap();
        assert_eq!(plain.published, None);
        assert_eq!(trailing_date("By Jo Bloggs, Reporter 3 May 2024 ’"), None);
    }

    #[test]
    fn takes_bylines_and_datelines() {
        check_meta(
            &["By Neil Puffett", "| 03 January 2018", PROSE],
            Some("Neil Puffett"),
            Some("03 January 2018"),
        );
        check_meta(
            &["Published Wednesday, 16th May 2018", PROSE],
            None,
            Some("Wednesday, 16th May 2018"),
        );
        check_meta(
            &["By Jo Bloggs | 6 March 2023", PROSE],
            Some("Jo Bloggs"),
            Some("6 March 2023"),
        );
        check_meta(&["06/03/2024", PROSE], None, Some("06/03/2024"));
        check_meta(&["March 6, 2023 at 10:30am", PROSE], None, Some("March 6, 2023 at 10:30am"));
        // Prose that starts like one is not one.
        check_meta(
            &["By the end of March the plan was ready.", "May 2023 saw changes to the plan"],
            None,
            None,
        );
    }

    #[test]
    fn drops_menus_breadcrumbs_and_kickers() {
        check(
            None,
            &[
                "NEWS \u{203a} EDUCATION",
                "Local democracy | Education",
                "Home > News > Wigan",
                "Menu Search Subscribe Sign in",
                "Back to top \u{b7} All posts \u{b7} Subscribe to our newsletter",
                "Share: Facebook \u{b7} Twitter \u{b7} Email",
                PROSE,
                "Working well | Needs to improve",
                "4 comments",
                "Comments are closed on this article.",
            ],
            &[PROSE, "Working well | Needs to improve"],
        );
        // Two section words are a heading, not a menu; a '>' inside prose is not a trail.
        let kept = ["Health services", "Scores rose from 3 > 2 in a year, the council said."];
        check(None, &kept, &kept);
    }

    #[test]
    fn drops_lists_of_other_stories_under_their_heading() {
        check(
            None,
            &[
                PROSE,
                "Most Read",
                "- Bolton SEND services told to improve",
                "Sandwell parents welcome report",
                "Read more:",
                "- Waiting lists: what the numbers show",
                "Leaders said the plan would be published in the spring.",
            ],
            &[PROSE, "Leaders said the plan would be published in the spring."],
        );
    }

    #[test]
    fn takes_bylines_with_roles_reading_times_and_labelled_datelines() {
        check_meta(
            &["By Jo Bloggs, Local Democracy Reporting Service", PROSE],
            Some("Jo Bloggs"),
            None,
        );
        check_meta(
            &["By Jo Bloggs \u{b7} 23 Dec 2024 \u{b7} 4 min read", PROSE],
            Some("Jo Bloggs"),
            Some("23 Dec 2024"),
        );
        check_meta(&["Posted: July 2024 \u{b7} 6 minute read", PROSE], None, Some("July 2024"));
        check_meta(&["Newsletter \u{2013} November 2019", PROSE], None, Some("November 2019"));
        // A relative date is furniture, never a publication date.
        check_meta(&["3 days ago \u{b7} 4 min read", PROSE], None, None);
        check(None, &["By Jo Bloggs | 3 days ago", PROSE], &[PROSE]);
        check_meta(&["By Jo Bloggs, who has two children, said so.", PROSE], None, None);
        check_meta(&["Posted by the Forum Team", PROSE], Some("Forum Team"), None);
        check_meta(
            &["Posted 15 May 2025 \u{b7} Jo Bloggs \u{b7} 5 min read", PROSE],
            Some("Jo Bloggs"),
            Some("15 May 2025"),
        );
        check_meta(
            &["By Jo Bloggs \u{b7} Thursday 6th November 2025 \u{b7} Updated 18:40", PROSE],
            Some("Jo Bloggs"),
            Some("Thursday 6th November 2025"),
        );
    }

    #[test]
    fn lines_with_characters_where_labels_end_do_not_panic() {
        let lines = [
            "Posted·",
            "Newsletter–",
            "By ’",
            "— 3 days ago",
            "Tags:·",
            "More ›",
            "›",
            "· ·",
            "Updated ’18:40",
            "Publishé 3 May 2020",
            "What’s On · Win",
            "Ráting *",
            "4 cömments",
            "Home › › News",
            "By Jo · ·",
            "Picture:’",
            "a / b / c",
            "Share: ’",
        ];
        for line in lines {
            let mut meta = PageMeta::default();
            clean(Some("’"), vec![line.to_string(), PROSE.to_string()], &mut meta);
            let _ = (is_furniture(line), parse_meta_line(line), is_kicker(line));
        }
    }

    #[test]
    fn keeps_every_prose_paragraph_in_order() {
        let input = [
            "Comments from parents were positive.",
            "Print media covered it.",
            "Read more about SEND here.",
        ];
        check(None, &input, &input);
    }
}
