//! The furniture table (`rules/furniture.tsv`): the words of site furniture, kept as data.
//!
//! The table lists, by kind, the lines, prefixes, headings and labels that websites print
//! around articles; [`clean`](super::clean) holds the logic that matches them against short
//! lines. This module only reads the table, once, into sets and lists by kind.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

/// The table's text, compiled in.
const TABLE: &str = include_str!("rules/furniture.tsv");

/// One row of `furniture.tsv`.
#[derive(Debug, Deserialize)]
struct Row {
    kind: String,
    text: String,
}

/// The kinds a row may have (the table's comment explains each).
#[cfg(test)]
const KINDS: &[&str] = &[
    "line",
    "prefix",
    "tail",
    "account",
    "nav",
    "related_heading",
    "related_heading_prefix",
    "related_heading_end",
    "tag_label",
    "credit_label",
    "cookie_prefix",
    "dateline_label",
    "reading_time",
    "relative_date",
    "time_unit",
];

/// The furniture table, by kind.
#[derive(Debug, Default)]
pub(super) struct Furniture {
    /// Whole lines that are furniture.
    pub lines: HashSet<String>,
    /// Starts of short furniture lines.
    pub prefixes: Vec<String>,
    /// Lines that end the article.
    pub tails: HashSet<String>,
    /// Account links.
    pub accounts: HashSet<String>,
    /// Site sections, furniture only in a bar of links.
    pub nav: HashSet<String>,
    /// The labels of a link bar: `lines`, `accounts` and `nav` in one set.
    pub bar_labels: HashSet<String>,
    /// The first word of every bar label: a bar's word that starts none is in no label.
    pub bar_label_starts: HashSet<String>,
    /// Headings over lists of other stories.
    pub related_headings: HashSet<String>,
    /// Starts of such headings.
    pub related_prefixes: Vec<String>,
    /// Last words of "More ... news" headings.
    pub related_ends: Vec<String>,
    /// Labels of tag lists.
    pub tag_labels: Vec<String>,
    /// Photo-credit labels, case as written.
    pub credit_labels: Vec<String>,
    /// Starts of cookie notices.
    pub cookie_prefixes: Vec<String>,
    /// Words before a date in a dateline, longest first (so "published on" before
    /// "published").
    pub dateline_labels: Vec<String>,
    /// Reading-time units ("min read").
    pub reading_times: Vec<String>,
    /// Relative dates ("ago", "yesterday", "last week").
    pub relative_dates: Vec<String>,
    /// Units of a relative date ("days", "hours").
    pub time_units: Vec<String>,
}

/// The table, read on first use.
pub(super) static FURNITURE: LazyLock<Furniture> = LazyLock::new(|| {
    let rows: Vec<Row> = crate::extract::rules::table("furniture.tsv", TABLE);
    let mut table = Furniture::default();
    for Row { kind, text } in rows {
        match kind.as_str() {
            "line" => {
                table.lines.insert(text);
            }
            "prefix" => table.prefixes.push(text),
            "tail" => {
                table.tails.insert(text);
            }
            "account" => {
                table.accounts.insert(text);
            }
            "nav" => {
                table.nav.insert(text);
            }
            "related_heading" => {
                table.related_headings.insert(text);
            }
            "related_heading_prefix" => table.related_prefixes.push(text),
            "related_heading_end" => table.related_ends.push(text),
            "tag_label" => table.tag_labels.push(text),
            "credit_label" => table.credit_labels.push(text),
            "cookie_prefix" => table.cookie_prefixes.push(text),
            "dateline_label" => table.dateline_labels.push(text),
            "reading_time" => table.reading_times.push(text),
            "relative_date" => table.relative_dates.push(text),
            "time_unit" => table.time_units.push(text),
            // An unknown kind is caught by the table's unit test.
            _ => {}
        }
    }
    let bar_labels = table.lines.iter().chain(&table.accounts).chain(&table.nav);
    table.bar_labels = bar_labels.clone().cloned().collect();
    table.bar_label_starts =
        bar_labels.map(|label| label.split(' ').next().unwrap_or_default().to_string()).collect();
    table.dateline_labels.sort_by_key(|label| std::cmp::Reverse(label.len()));
    table.tag_labels.sort_by_key(|label| std::cmp::Reverse(label.len()));
    table
});

/// Whether `label` (already a furniture key) is a label of a link bar: furniture on its own,
/// an account link or a site section.
pub(super) fn is_bar_label(label: &str) -> bool {
    FURNITURE.bar_labels.contains(label)
}

/// Whether some bar label starts with `word` (its text up to the first space).
pub(super) fn starts_bar_label(word: &str) -> bool {
    FURNITURE.bar_label_starts.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_every_row_is_well_formed() {
        let rows: Vec<Row> = crate::extract::rules::table("furniture.tsv", TABLE);
        assert!(rows.len() > 100);
        for row in &rows {
            assert!(KINDS.contains(&row.kind.as_str()), "unknown kind {:?}", row.kind);
            assert!(!row.text.trim().is_empty(), "empty text for {:?}", row.kind);
            if row.kind != "credit_label" {
                assert_eq!(row.text, row.text.to_lowercase(), "{:?} must be lower-case", row.text);
            }
            assert!(row.text.len() <= 120, "{:?} is longer than any furniture line", row.text);
        }
        let table = &*FURNITURE;
        assert!(table.lines.contains("share this"));
        assert!(table.related_headings.contains("most read"));
        assert_eq!(table.dateline_labels.first().map(String::len), Some("first published".len()));
        assert!(table.credit_labels.iter().all(|label| label.ends_with(':')));
        // Every bar label is found by its first word.
        for label in table.lines.iter().chain(&table.accounts).chain(&table.nav) {
            assert!(is_bar_label(label), "{label:?}");
            assert!(starts_bar_label(label.split(' ').next().unwrap_or_default()), "{label:?}");
        }
    }
}
