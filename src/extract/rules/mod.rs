//! Extraction rules as data: the tables a domain expert reads and edits (theme lexicon,
//! outcome phrasings, polarity cues, speech verbs, furniture patterns), kept apart from the
//! code that scans with them.
//!
//! Each table is a tab-separated file in this folder, compiled into the binary with
//! `include_str!` and read once, on first use, into the extractor's own row type with
//! [`table`]. The format is deliberately plain, so that a table can be edited in any text
//! editor or spreadsheet:
//!
//! - the first line that is not a comment names the columns;
//! - a line starting with `#` is a comment, and blank lines are ignored;
//! - columns are separated by one tab; quote marks are ordinary characters (no CSV quoting);
//! - an empty cell is an absent value (`Option` columns).
//!
//! A table that does not parse is a programming error, not bad input: the extractor's unit
//! tests read every table, so a malformed one fails `cargo test` before it can ship.

use serde::de::DeserializeOwned;

/// Reads the rows of the table `name` (its file name, for messages) from `text`.
///
/// # Panics
/// When a row does not fit `T`, naming the table, the line and the reason. The tables are
/// part of the program, and every one is read by a unit test.
pub fn table<T: DeserializeOwned>(name: &str, text: &str) -> Vec<T> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .quoting(false)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for row in reader.deserialize() {
        match row {
            Ok(row) => rows.push(row),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                panic!("extraction rules table {name}, line {line}: {e}")
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::table;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        phrase: String,
        theme: Option<String>,
        weight: Option<u32>,
    }

    #[test]
    fn reads_rows_skipping_comments_and_blank_lines() {
        let text = "# a comment\nphrase\ttheme\tweight\n\n\"too slow\"\t\t2\n# another\nEHC plan\tehcp_quality\t\n";
        let rows: Vec<Row> = table("test.tsv", text);
        assert_eq!(
            rows,
            vec![
                Row { phrase: "\"too slow\"".into(), theme: None, weight: Some(2) },
                Row { phrase: "EHC plan".into(), theme: Some("ehcp_quality".into()), weight: None },
            ]
        );
    }

    #[test]
    #[should_panic(expected = "test.tsv, line 2")]
    fn a_bad_row_names_its_table_and_line() {
        let _: Vec<Row> = table("test.tsv", "phrase\ttheme\tweight\nx\ty\tnot a number\n");
    }
}
