//! Markdown articles (`.md`): front matter, then headings, list items and paragraphs.
//!
//! *Front matter* is an optional block at the very top, YAML between `---` lines (`key:
//! value`) or TOML between `+++` lines (`key = "value"`); only flat string keys are read:
//! `title`, `date`/`published`, `source`/`site`, `url`, `author`, `description`/`summary`.
//! The body is split into paragraphs on blank lines; headings and list items are paragraphs
//! of their own (list items as "- item"); inline syntax (emphasis, code, links, images) is
//! reduced to its text. A leading `# Title` is the headline when front matter has none. The
//! shared rules in [`clean`] then run as for any format.

use super::clean::{clean, fold_whitespace};
use super::{PageMeta, Parsed};

/// Parses a Markdown article into headline, cleaned paragraphs and metadata.
pub(super) fn parse(md: &str) -> Parsed {
    let (front, body) = split_front_matter(md);
    let mut meta = PageMeta::default();
    let mut title = None;
    for (key, value) in front {
        let slot = match key.as_str() {
            "title" | "headline" => &mut title,
            "date" | "published" | "pubdate" | "published_at" | "publish_date" => {
                &mut meta.published
            }
            "source" | "site" | "site_name" | "publication" | "publisher" => &mut meta.site_name,
            "url" | "link" | "canonical" | "canonical_url" | "source_url" => &mut meta.url,
            "author" | "byline" | "authors" => &mut meta.author,
            "description" | "summary" | "excerpt" => &mut meta.description,
            _ => continue,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value);
        }
    }

    let mut blocks = Blocks::default();
    for line in body.lines() {
        blocks.line(line);
    }
    blocks.flush();
    blocks.flush_table();
    let mut paragraphs = blocks.out;
    if title.is_none() && blocks.first_is_h1 && !paragraphs.is_empty() {
        title = Some(paragraphs.remove(0));
    }
    let paragraphs = clean(title.as_deref(), paragraphs, &mut meta);
    Parsed { title, paragraphs, meta, warnings: Vec::new() }
}

/// Splits off front matter, returning its (lower-cased key, unquoted value) pairs and the
/// body. Without a closing fence there is no front matter.
fn split_front_matter(md: &str) -> (Vec<(String, String)>, &str) {
    let text = md.trim_start_matches(['\n', ' ']);
    let (fence, separator) = if text.starts_with("---") {
        ("---", ':')
    } else if text.starts_with("+++") {
        ("+++", '=')
    } else {
        return (Vec::new(), md);
    };
    let Some(first_end) = text.find('\n') else { return (Vec::new(), md) };
    if text[..first_end].trim() != fence {
        return (Vec::new(), md);
    }
    let mut pairs = Vec::new();
    let mut offset = first_end + 1;
    for line in text[first_end + 1..].split_inclusive('\n') {
        offset += line.len();
        let trimmed = line.trim();
        if trimmed == fence || (fence == "---" && trimmed == "...") {
            return (pairs, &text[offset..]);
        }
        if line.starts_with([' ', '\t', '-', '#', '[']) {
            continue;
        }
        if let Some((key, value)) = trimmed.split_once(separator) {
            pairs.push((key.trim().to_ascii_lowercase(), unquote(value.trim())));
        }
    }
    (Vec::new(), md)
}

/// Strips matching quotes ("..." or '...'), unescaping `\"` inside double quotes.
fn unquote(value: &str) -> String {
    if value.len() >= 2 {
        if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            return inner.replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            return inner.replace("''", "'");
        }
    }
    value.to_string()
}

/// Collects paragraphs line by line.
#[derive(Default)]
struct Blocks {
    out: Vec<String>,
    buffer: String,
    item: bool,
    in_fence: bool,
    /// Whether the first paragraph is a level-one heading.
    first_is_h1: bool,
    /// The rows of a pipe table being read, each a list of cells.
    table: Vec<Vec<String>>,
}

impl Blocks {
    fn line(&mut self, raw: &str) {
        let trimmed = raw.trim();
        if !self.in_fence && trimmed.starts_with('|') && trimmed.len() > 1 {
            self.flush();
            if !is_table_rule(trimmed) {
                self.table.push(table_cells(trimmed));
            }
            return;
        }
        self.flush_table();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            self.flush();
            self.in_fence = !self.in_fence;
            return;
        }
        if self.in_fence {
            self.append(trimmed);
            return;
        }
        // Block quotes: read their content as ordinary lines.
        let mut line = raw.trim_start();
        let mut quoted = false;
        while let Some(rest) = line.strip_prefix('>') {
            line = rest.trim_start();
            quoted = true;
        }
        let indented = !quoted && raw.starts_with([' ', '\t']);
        let line = line.trim_end();
        if line.is_empty() || (line.starts_with("<!--") && line.ends_with("-->")) {
            self.flush();
            return;
        }
        if let Some((level, heading)) = atx_heading(line) {
            self.flush();
            if self.out.is_empty() && level == 1 {
                self.first_is_h1 = true;
            }
            self.append(heading);
            self.flush();
            return;
        }
        if is_rule(line, '=') || is_rule(line, '-') {
            // A setext underline makes the text above a heading; otherwise a thematic break.
            let level_one = line.starts_with('=');
            let was_empty = self.out.is_empty();
            if !self.buffer.is_empty() && !self.item && was_empty && level_one {
                self.first_is_h1 = true;
            }
            self.flush();
            return;
        }
        if is_rule(line, '*') || is_rule(line, '_') || is_link_definition(line) {
            self.flush();
            return;
        }
        if let Some(item) = list_item(line) {
            self.flush();
            self.item = true;
            self.append(item);
            return;
        }
        if indented && self.item {
            self.append(line);
            return;
        }
        self.append(line);
    }

    fn append(&mut self, text: &str) {
        if !self.buffer.is_empty() {
            self.buffer.push(' ');
        }
        // A trailing backslash is a hard line break.
        self.buffer.push_str(text.strip_suffix('\\').unwrap_or(text));
    }

    /// Writes a pipe table column by column: each column's header as a paragraph, then its
    /// cells as list items ("Working well" over its items, "Needs to improve" over its), so
    /// that a finding is read under its heading and never run together with its neighbour
    /// in the next column. A table without a header row and data rows is written row by row.
    fn flush_table(&mut self) {
        let rows = std::mem::take(&mut self.table);
        let Some((header, body)) = rows.split_first() else { return };
        let inline = |text: &str| fold_whitespace(strip_inline(text));
        if header.len() < 2 || body.is_empty() {
            for row in &rows {
                let text = inline(&row.join(" | "));
                if !text.is_empty() {
                    self.out.push(text);
                }
            }
            return;
        }
        for (column, heading) in header.iter().enumerate() {
            let heading = inline(heading);
            if !heading.is_empty() {
                self.out.push(heading);
            }
            for row in body {
                let cell = row.get(column).map(|c| inline(c)).unwrap_or_default();
                if !cell.is_empty() {
                    self.out.push(format!("- {cell}"));
                }
            }
        }
    }

    fn flush(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let text = fold_whitespace(strip_inline(&std::mem::take(&mut self.buffer)));
        let item = std::mem::take(&mut self.item);
        if text.is_empty() {
            return;
        }
        self.out.push(if item { format!("- {text}") } else { text });
    }
}

/// A pipe table's rule under its header: "|---|:---:|".
fn is_table_rule(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The cells of a pipe table row, trimmed ("| a | b |" → ["a", "b"]).
fn table_cells(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|cell| cell.trim().to_string()).collect()
}

/// "## Heading ##" → (2, "Heading").
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end();
    Some((level, text))
}

/// Three or more of `mark` (spaces allowed between): a rule or setext underline.
fn is_rule(line: &str, mark: char) -> bool {
    line.chars().filter(|&c| c == mark).count() >= 3 && line.chars().all(|c| c == mark || c == ' ')
}

/// "[ref]: https://..." reference definitions.
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[') && line.find("]:").is_some_and(|i| !line[1..i].contains(']'))
}

/// The text of a list item ("- ", "* ", "+ ", "1. ", "1) "), or `None`.
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = line.strip_prefix(marker) {
            let rest = rest.trim_start();
            // "- [ ] task" and "- [x] task" are task-list items.
            let rest =
                rest.strip_prefix("[ ] ").or_else(|| rest.strip_prefix("[x] ")).unwrap_or(rest);
            return Some(rest);
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        return rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")).map(str::trim_start);
    }
    None
}

/// Reduces inline Markdown to text: links to their text, images dropped, emphasis and code
/// marks removed, backslash escapes resolved.
fn strip_inline(text: &str) -> String {
    if !text.contains(['\\', '[', '<', '`', '*', '_', '~']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '!' if chars.get(i + 1) == Some(&'[') => match link_at(&chars, i + 1) {
                Some((_, end)) => i = end,
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '[' => match link_at(&chars, i) {
                Some((label, end)) => {
                    out.push_str(&strip_inline(&label));
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '<' => match autolink_at(&chars, i) {
                Some((url, end)) => {
                    out.push_str(&url);
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '`' => i += 1,
            '*' | '_' | '~' => {
                let run = chars[i..].iter().take_while(|&&d| d == c).count();
                let before = if i == 0 { None } else { Some(chars[i - 1]) };
                let after = chars.get(i + run).copied();
                let opens = after.is_some_and(|a| !a.is_whitespace())
                    && before.is_none_or(|b| !b.is_alphanumeric());
                let closes = before.is_some_and(|b| !b.is_whitespace())
                    && after.is_none_or(|a| !a.is_alphanumeric());
                let is_mark = (opens || closes) && (c != '~' || run == 2);
                if !is_mark {
                    out.extend(std::iter::repeat_n(c, run));
                }
                i += run;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A link starting at `[`: "[text](url)" or "[text][ref]" → (text, index after it).
fn link_at(chars: &[char], open: usize) -> Option<(String, usize)> {
    let close = matching(chars, open, '[', ']')?;
    let label: String = chars[open + 1..close].iter().collect();
    match chars.get(close + 1) {
        Some('(') => Some((label, matching(chars, close + 1, '(', ')')? + 1)),
        Some('[') => Some((label, matching(chars, close + 1, '[', ']')? + 1)),
        _ => None,
    }
}

/// The index of the bracket closing the one at `open`, allowing nesting.
fn matching(chars: &[char], open: usize, left: char, right: char) -> Option<usize> {
    let mut depth = 0usize;
    for (idx, &c) in chars.iter().enumerate().skip(open) {
        if c == left {
            depth += 1;
        } else if c == right {
            depth -= 1;
            if depth == 0 {
                return Some(idx);
            }
        }
    }
    None
}

/// "<https://...>" → (url, index after it).
fn autolink_at(chars: &[char], open: usize) -> Option<(String, usize)> {
    let close = chars[open..].iter().position(|&c| c == '>')? + open;
    let inner: String = chars[open + 1..close].iter().collect();
    let is_link = ["http://", "https://", "mailto:"].iter().any(|p| inner.starts_with(p))
        && !inner.contains(char::is_whitespace);
    is_link.then(|| (inner.strip_prefix("mailto:").unwrap_or(&inner).to_string(), close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(md: &str, title: Option<&str>, paragraphs: &[&str]) -> Parsed {
        let parsed = parse(md);
        assert_eq!(parsed.title.as_deref(), title);
        assert_eq!(parsed.paragraphs, paragraphs);
        parsed
    }

    #[test]
    fn reads_a_pipe_table_column_by_column() {
        let parsed = parse(
            "Intro line of the article, which is long enough to be prose.\n\n| Working well | Needs to improve |\n|---|:---|\n| Early help | Long *waits* |\n| | Plans too late |\n\nAfter the table.\n",
        );
        assert_eq!(
            parsed.paragraphs,
            [
                "Intro line of the article, which is long enough to be prose.",
                "Working well",
                "- Early help",
                "Needs to improve",
                "- Long waits",
                "- Plans too late",
                "After the table.",
            ]
        );
    }

    #[test]
    fn reads_yaml_front_matter() {
        let parsed = check(
            "---\ntitle: \"Dorset praised by inspectors\"\ndate: 2023-06-09\nsource: 'Dorset Council'\nurl: https://example.org/news\nauthor: Jo Bloggs\ndescription: First unitary to get the top outcome\ntags:\n  - send\n---\n\n# Dorset praised by inspectors\n\nDorset Council is the first unitary authority to achieve\nsuch a result.\n",
            Some("Dorset praised by inspectors"),
            &["Dorset Council is the first unitary authority to achieve such a result."],
        );
        let meta = parsed.meta;
        assert_eq!(meta.published.as_deref(), Some("2023-06-09"));
        assert_eq!(meta.site_name.as_deref(), Some("Dorset Council"));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/news"));
        assert_eq!(meta.author.as_deref(), Some("Jo Bloggs"));
        assert_eq!(meta.description.as_deref(), Some("First unitary to get the top outcome"));
    }

    #[test]
    fn reads_toml_front_matter() {
        let parsed = check(
            "+++\ntitle = \"Southend gets the middle outcome\"\npublished = \"2023-06-09\"\nsite = \"Southend Council\"\n+++\nThe report was published on Friday.\n",
            Some("Southend gets the middle outcome"),
            &["The report was published on Friday."],
        );
        assert_eq!(parsed.meta.published.as_deref(), Some("2023-06-09"));
        assert_eq!(parsed.meta.site_name.as_deref(), Some("Southend Council"));
    }

    #[test]
    fn takes_leading_h1_as_title_without_front_matter() {
        check(
            "# Council told to improve\n\nBody text here.\n\n## What happens next?\n\nMore text.",
            Some("Council told to improve"),
            &["Body text here.", "What happens next?", "More text."],
        );
    }

    #[test]
    fn reduces_inline_syntax_and_lists() {
        check(
            "Intro with **bold**, _em_, `code` and a [link](https://x.org \"t\") ![img](a.png).\n\n- first *item*\n* second item\n  continued\n1. third item\n\n> Quoted text\n> goes on.\n\n---\n\nsnake_case stays, Rating * stays, and \\*escaped\\* too.\n\n[ref]: https://example.org",
            None,
            &[
                "Intro with bold, em, code and a link .",
                "- first item",
                "- second item continued",
                "- third item",
                "Quoted text goes on.",
                "snake_case stays, Rating * stays, and *escaped* too.",
            ],
        );
    }

    #[test]
    fn treats_unclosed_front_matter_as_body() {
        check("---\nNot front matter.\n", None, &["Not front matter."]);
    }
}
