//! Plain-text articles (`.txt`): splitting lines into paragraphs and finding the headline.
//!
//! Text files come in two layouts, often mixed in one file: *blocks* separated by blank lines
//! (a block may be hard-wrapped prose), and *one line per paragraph* with no blank lines. A
//! block is read as wrapped prose when its lines (bar the last) are all of similar, typical
//! wrap width; otherwise each line is a paragraph, except that a line that does not end a
//! sentence joins the next when that starts lower-case (a hard wrap). Lines starting with
//! "- ", "* ", "• " or "1. " are list items, one paragraph each starting with "- ".
//!
//! The *headline* is the first line that is not furniture, a byline or a dateline, when it
//! reads as one (short, no final full stop). Bylines, datelines and furniture are left to
//! [`clean`].

use super::clean::{clean, fold_whitespace, is_furniture, is_separator, parse_meta_line};
use super::{PageMeta, Parsed};

/// Wrapped prose has lines at least this long (in chars), bar the last.
const MIN_WRAP_WIDTH: usize = 40;
/// ... and at most this long.
const MAX_WRAP_WIDTH: usize = 100;
/// ... and differing by at most this much.
const MAX_WRAP_SPREAD: usize = 30;

/// Parses a plain-text article into headline, cleaned paragraphs and metadata.
pub(super) fn parse(text: &str) -> Parsed {
    let mut paragraphs = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            block_paragraphs(&block, &mut paragraphs);
            block.clear();
        } else {
            block.push(line.trim_end());
        }
    }
    block_paragraphs(&block, &mut paragraphs);

    let mut meta = PageMeta::default();
    let (title, site) = take_title(&mut paragraphs);
    meta.site_name = site;
    let paragraphs = clean(title.as_deref(), paragraphs, &mut meta);
    Parsed { title, paragraphs, meta, warnings: Vec::new() }
}

/// Splits one blank-line-separated block into paragraphs, appending them to `out`.
fn block_paragraphs(block: &[&str], out: &mut Vec<String>) {
    if block.is_empty() {
        return;
    }
    // A byline, dateline or furniture line stands alone even without blank lines around it
    // ("Posted: May 2019" over "by Jo Bloggs"), so it is never joined to prose.
    if block.len() > 1
        && let Some(at) = block.iter().position(|line| stands_alone(line.trim()))
    {
        block_paragraphs(&block[..at], out);
        out.push(block[at].trim().to_string());
        block_paragraphs(&block[at + 1..], out);
        return;
    }
    if is_wrapped_prose(block) {
        out.push(block.iter().map(|line| line.trim()).collect::<Vec<_>>().join(" "));
        return;
    }
    let mut current: Option<String> = None;
    let mut prev_line = "";
    for &line in block {
        let trimmed = line.trim();
        if let Some(item) = list_item(trimmed) {
            out.extend(current.take());
            current = Some(format!("- {item}"));
        } else if let Some(paragraph) = current.as_mut().filter(|_| is_hard_wrap(prev_line, line)) {
            paragraph.push(' ');
            paragraph.push_str(trimmed);
        } else {
            out.extend(current.take());
            current = Some(trimmed.to_string());
        }
        prev_line = trimmed;
    }
    out.extend(current);
}

/// Lines of similar, typical wrap width (bar the last), and no list items.
fn is_wrapped_prose(block: &[&str]) -> bool {
    let Some((_, body)) = block.split_last() else { return false };
    if body.is_empty() || block.iter().any(|line| list_item(line.trim()).is_some()) {
        return false;
    }
    let (mut shortest, mut longest) = (usize::MAX, 0);
    for line in body {
        let width = line.chars().count();
        shortest = shortest.min(width);
        longest = longest.max(width);
    }
    shortest >= MIN_WRAP_WIDTH && longest <= MAX_WRAP_WIDTH && longest - shortest <= MAX_WRAP_SPREAD
}

/// `next` continues `prev`: `prev` does not end a sentence and `next` starts lower-case, or
/// `next` is indented under a list item.
fn is_hard_wrap(prev: &str, next: &str) -> bool {
    let quotes: &[char] = &['"', '\'', '’', '”', ')'];
    let ends_sentence = prev.trim_end_matches(quotes).ends_with(['.', '!', '?', ':', ';']);
    let next_trimmed = next.trim_start();
    let starts_lower = next_trimmed.chars().next().is_some_and(char::is_lowercase);
    let indented_under_item = prev.starts_with("- ") && next.starts_with([' ', '\t']);
    (!ends_sentence && starts_lower) || indented_under_item
}

/// The text of a list item line ("- ", "* ", "• ", "– ", "1. ", "1) "), or `None`.
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "• ", "– ", "· "] {
        if let Some(rest) = line.strip_prefix(marker) {
            let rest = rest.trim_start();
            return (!rest.is_empty() && !is_separator(rest)).then_some(rest);
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            let item = item.trim_start();
            return (!item.is_empty()).then_some(item);
        }
    }
    None
}

/// A line that is a paragraph of its own whatever surrounds it: a byline, a dateline or
/// furniture.
fn stands_alone(line: &str) -> bool {
    !line.is_empty() && (parse_meta_line(line).is_some() || is_furniture(line))
}

/// The most words a site's name (a masthead) has.
const MAX_MASTHEAD_WORDS: usize = 8;

/// What a line at the top of a file is, for finding the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    /// Furniture, a separator, a dateline or a lone menu label: it parts the lines around it.
    Separator,
    /// A line that reads as a headline (or a masthead, tagline or standfirst).
    Candidate,
    /// A short line that is neither ("NEWS" as a section label): ignored.
    Other,
    /// A byline or the first prose paragraph: the top of the file ends here.
    End,
}

fn head_kind(paragraph: &str) -> Head {
    let line = paragraph.trim();
    if line.is_empty() || is_separator(line) || is_furniture(line) || is_menu_label(line) {
        return Head::Separator;
    }
    if let Some(meta) = parse_meta_line(line) {
        return if meta.author.is_some() { Head::End } else { Head::Separator };
    }
    // "Posted by the volunteer team": an attribution, whatever follows.
    if super::slicing::starts_with_ignore_ascii_case(line, "posted by ")
        && line.split_whitespace().count() <= 12
    {
        return Head::End;
    }
    let folded = fold_whitespace(line.to_string());
    if is_headline(&folded) {
        return Head::Candidate;
    }
    let words = folded.split_whitespace().count();
    if words <= 3 && !folded.ends_with(['.', '!', '?']) { Head::Other } else { Head::End }
}

/// Removes and returns the headline, and the site's name when a masthead stands above it.
///
/// The top of a text file saved from a website holds the site's name (a masthead, perhaps
/// with a tagline), its menus and breadcrumbs, section labels, datelines and then the
/// headline, perhaps with a standfirst, over a byline or the first paragraph. Lines that
/// read as headlines come in groups parted by furniture and datelines: the headline is the
/// first line of the last group before the byline or the first prose paragraph (but not a
/// question when a group stands above it), and the file's first line above that group is the
/// site's name. What stands above the headline and is
/// not a byline or dateline is dropped (a tagline or section label is not article text).
fn take_title(paragraphs: &mut Vec<String>) -> (Option<String>, Option<String>) {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut open = false;
    for (idx, paragraph) in paragraphs.iter().enumerate() {
        match head_kind(paragraph) {
            Head::End => break,
            Head::Separator => open = false,
            Head::Other => {}
            Head::Candidate => {
                if !open {
                    groups.push(Vec::new());
                    open = true;
                }
                if let Some(group) = groups.last_mut() {
                    group.push(idx);
                }
            }
        }
    }
    // A question under a dateline opens the text ("What did inspectors find?") when a
    // headline stands above it.
    while groups.len() >= 2
        && groups.last().is_some_and(|group| paragraphs[group[0]].trim_end().ends_with('?'))
    {
        groups.pop();
    }
    let Some(&title_idx) = groups.last().and_then(|group| group.first()) else {
        return (None, None);
    };
    // The site's name: the file's first line, when it stands above the headline's group.
    let first_group = groups.last().map_or(0, |group| group[0]);
    let site = paragraphs[..first_group]
        .iter()
        .find(|p| matches!(head_kind(p), Head::Candidate | Head::Other))
        .filter(|p| p.split_whitespace().count() <= MAX_MASTHEAD_WORDS)
        .map(|p| fold_whitespace(p.clone()));
    let title = fold_whitespace(std::mem::take(&mut paragraphs[title_idx]));
    // Above the headline only bylines, datelines and furniture stay (for `clean` to read or
    // drop); the emptied headline slot goes too.
    let mut idx = 0;
    paragraphs.retain(|paragraph| {
        let keep =
            idx > title_idx || (idx < title_idx && parse_meta_line(paragraph.trim()).is_some());
        idx += 1;
        keep
    });
    drop_role_under_byline(paragraphs);
    (Some(title), site)
}

/// A line that is one menu label on its own ("News", "What's On"): a menu written one link
/// a line.
fn is_menu_label(line: &str) -> bool {
    line.len() <= 30 && super::clean::is_bar_line(line)
}

/// The most words of a writer's role on the line under a byline.
const MAX_ROLE_WORDS: usize = 5;

/// Drops a writer's role printed on the line under a byline near the top ("By Jo Bloggs" /
/// "Education Reporter"): it is not article text.
fn drop_role_under_byline(paragraphs: &mut Vec<String>) {
    let limit = paragraphs.len().min(8);
    let Some(byline) = (0..limit).find(|&idx| {
        parse_meta_line(paragraphs[idx].trim()).is_some_and(|meta| meta.author.is_some())
    }) else {
        return;
    };
    let Some(next) = paragraphs.get(byline + 1) else { return };
    let words: Vec<&str> = next.split_whitespace().collect();
    let is_role = (1..=MAX_ROLE_WORDS).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(*w, "of" | "for" | "and" | "&" | "the")
        })
        && !next.trim_end().ends_with(['.', '!', '?', ':'])
        && !next.bytes().any(|b| b.is_ascii_digit());
    if is_role {
        paragraphs.remove(byline + 1);
    }
}

/// Short, not a list item, no final full stop or other sentence-continuing mark, and no
/// sentence break inside.
fn is_headline(line: &str) -> bool {
    let n_words = line.split_whitespace().count();
    let starts_well = line.chars().next().is_some_and(|c| !c.is_lowercase());
    let ends_well = !line.ends_with(['.', ',', ';', ':', '…']);
    let one_sentence = !line.contains(". ");
    (2..=30).contains(&n_words)
        && line.len() <= 250
        && starts_well
        && ends_well
        && one_sentence
        && !line.starts_with("- ")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Expect<'a> {
        title: Option<&'a str>,
        first: &'a str,
        last: &'a str,
        count: usize,
        gone: &'a [&'a str],
        author: Option<&'a str>,
        published: Option<&'a str>,
    }

    fn check_seed(text: &str, expect: Expect<'_>) -> Parsed {
        let parsed = parse(text);
        let paragraphs = &parsed.paragraphs;
        assert_eq!(parsed.title.as_deref(), expect.title);
        assert_eq!(paragraphs.first().map(String::as_str), Some(expect.first));
        assert_eq!(paragraphs.last().map(String::as_str), Some(expect.last));
        assert_eq!(paragraphs.len(), expect.count, "{paragraphs:#?}");
        for furniture in expect.gone {
            assert!(
                !paragraphs.iter().any(|p| p.contains(furniture)),
                "{furniture:?} is still in {paragraphs:#?}"
            );
        }
        for paragraph in paragraphs {
            assert_eq!(paragraph.trim(), paragraph);
            assert!(!paragraph.contains("  "), "{paragraph:?}");
        }
        assert_eq!(parsed.meta.author.as_deref(), expect.author);
        assert_eq!(parsed.meta.published.as_deref(), expect.published);
        parsed
    }

    fn check(text: &str, title: Option<&str>, paragraphs: &[&str]) {
        let parsed = parse(text);
        assert_eq!(parsed.title.as_deref(), title);
        assert_eq!(parsed.paragraphs, paragraphs);
    }

    fn seed(bytes: &[u8]) -> String {
        crate::corpus::decode(bytes).unwrap().0
    }

    #[test]
    fn parses_seed_dudley() {
        check_seed(
            &seed(include_bytes!("../../tests/fixtures/seeds/000_0f0c24c848dd6290.txt")),
            Expect {
                title: Some("Improvements made - but further work required"),
                first: "A recent inspection by Ofsted and the Care Quality Commission has highlighted improvements in Dudley’s local SEND services but has said that inconsistent experiences and outcomes remain for some children.",
                last: "The next full area SEND inspection will be within approximately three years.",
                count: 19,
                gone: &[
                    "Comments",
                    "Add a comment",
                    "450",
                    "Rating",
                    "App Store",
                    "Google Play",
                    "Weather",
                    "102.5 FM",
                    "Play Black Country Radio",
                    "Recently Played",
                    "Useful Links",
                ],
                author: None,
                published: None,
            },
        );
    }

    #[test]
    fn parses_seed_worcestershire() {
        let parsed = check_seed(
            &seed(include_bytes!("../../tests/fixtures/seeds/001_2235597bafa13f6a.txt")),
            Expect {
                title: Some(
                    "Recent improvements to services for children and young people in Worcestershire who have special educational needs and/or disabilities (SEND) must be built upon",
                ),
                first: "Recent improvements to services for children and young people in Worcestershire who have special educational needs and/or disabilities (SEND) must be built upon, that's according to inspectors from Ofsted and the Care Quality Commission.",
                last: "Partners are now required to produce and submit an action plan to Ofsted",
                count: 9,
                gone: &["School Closures Today", "Published", "built upon..."],
                author: None,
                published: Some("Wednesday, 16th May 2018"),
            },
        );
        assert_eq!(
            parsed.paragraphs[4],
            "Worcestershire County Councillor Marcus Hart, the Cabinet Member for Education and Skills said:"
        );
    }

    #[test]
    fn parses_seed_dorset() {
        let parsed = check_seed(
            &seed(include_bytes!("../../tests/fixtures/seeds/002_5269748774c00501.txt")),
            Expect {
                title: Some(
                    "Three-week inspection finds local authority and NHS services ‘typically lead to positive experiences and outcomes for children and young people’",
                ),
                first: "‘Children and young people with SEND and their families are placed at the heart of all that leaders do,’ begins the glowing endorsement by the Care Quality Commission (CQC) and regulator Ofsted of the Dorset local area partnership. Dorset Council is the first unitary authority to achieve such a result from a local SEND inspection under the new framework.",
                last: "Lesley Mellor, Chair of the Dorset Parent Carer Council, says: ‘The three weeks of inspection highlighted how Dorset Parent Carer Council as a group, are fundamental to the changes and improvements that are happening in Children’s Services and Health. The recognition by all the inspectors of our involvement and strong partnership working and the acknowledgement we are all strengthening services for the future is welcome.’",
                count: 9,
                gone: &["In related news"],
                author: None,
                published: None,
            },
        );
        assert!(parsed.paragraphs[5].starts_with(
            "There is, though, some room for improvement, such as in strengthening the use of good qualitative and quantitative information to evaluate"
        ));
    }

    #[test]
    fn parses_seed_south_gloucestershire() {
        check_seed(
            &seed(include_bytes!("../../tests/fixtures/seeds/003_cd67132bb1b11a94.txt")),
            Expect {
                title: Some(
                    "Inspectors call for improvements to SEND support in South Gloucestershire",
                ),
                first: "Concerns have been raised about the quality of support for children with special educational needs or disabilities (SEND) in South Gloucestershire, with inspectors finding that long-standing issues are yet to be addressed.",
                last: "Meanwhile, the leadership of the clinical commissioning group was found to have been strengthened, with the work of the designated medical officer and designated clinical officer, combined with improved joint commissioning arrangements, contributing to improvements to support for children with SEND.",
                count: 13,
                gone: &[
                    "Picture:",
                    "criticised by inspectors",
                    "Disqus",
                    "By Neil Puffett",
                    "03 January 2018",
                ],
                author: Some("Neil Puffett"),
                published: Some("03 January 2018"),
            },
        );
    }

    #[test]
    fn parses_seed_southend() {
        let parsed = check_seed(
            &seed(include_bytes!("../../tests/fixtures/seeds/004_5102e493c5ed6c9e.txt")),
            Expect {
                title: None,
                first: "This newsletter is from the SEND Partnership, made up of organisations and services who provide support in Southend for children with special educational needs and disabilities (SEND) and their families.",
                last: "To find out more about how you can get involved and ensure your families voice is heard, please complete our membership form: https://www.southendsendindependentforum.co.uk/join-us",
                count: 50,
                gone: &["Find out more"],
                author: None,
                published: None,
            },
        );
        let paragraphs = &parsed.paragraphs;
        assert!(paragraphs.iter().any(|p| p == "What was the inspection outcome?"));
        assert!(paragraphs.iter().all(|p| p != "|"));
        assert_eq!(paragraphs.iter().filter(|p| p.starts_with("- ")).count(), 16);
    }

    #[test]
    fn splits_on_blank_lines_and_joins_wrapped_prose() {
        check(
            "Council told to improve SEND services\n\nInspectors visited the borough in March and found that\nwaiting times for assessments were far too long for families.\n\nLeaders accepted the findings.\n",
            Some("Council told to improve SEND services"),
            &[
                "Inspectors visited the borough in March and found that waiting times for assessments were far too long for families.",
                "Leaders accepted the findings.",
            ],
        );
    }

    #[test]
    fn reads_one_line_per_paragraph_and_hard_wraps() {
        check(
            "First paragraph is here.\nSecond one runs on and on without a stop\nand is continued here.\nThird Paragraph\n",
            None,
            &[
                "First paragraph is here.",
                "Second one runs on and on without a stop and is continued here.",
                "Third Paragraph",
            ],
        );
    }

    #[test]
    fn normalises_list_items() {
        check(
            "What is going well?\n- one thing\n* another\n• a third\n1. a fourth\n2) a fifth\n",
            Some("What is going well?"),
            &["- one thing", "- another", "- a third", "- a fourth", "- a fifth"],
        );
    }

    #[test]
    fn splits_short_line_blocks() {
        check(
            "Headline here\n\nBy Zoe Thomas\nPublished Friday, 3rd November 2023\n\nThe inspection found problems.\n",
            Some("Headline here"),
            &["The inspection found problems."],
        );
    }

    #[test]
    fn takes_a_masthead_over_navigation_for_the_site_name() {
        let parsed = parse(
            "Valley Echo\nHome > News > Wigan\nSign in | Subscribe\n\nCouncil told to improve SEND services\n\nPosted: May 2019\nby Jo Bloggs, Education Reporter\n\nInspectors found that the local area must improve its services.\n",
        );
        assert_eq!(parsed.title.as_deref(), Some("Council told to improve SEND services"));
        assert_eq!(parsed.meta.site_name.as_deref(), Some("Valley Echo"));
        assert_eq!(parsed.meta.published.as_deref(), Some("May 2019"));
        assert_eq!(parsed.meta.author.as_deref(), Some("Jo Bloggs"));
        assert_eq!(
            parsed.paragraphs,
            ["Inspectors found that the local area must improve its services."]
        );
    }

    #[test]
    fn a_dateline_under_a_long_byline_is_not_wrapped_prose() {
        let parsed = parse(
            "Headline here\n\nBy Jo Bloggs, Local Democracy Reporting Service\nTuesday 2nd September 2025\n\nThe inspection found problems.\n",
        );
        assert_eq!(parsed.meta.published.as_deref(), Some("Tuesday 2nd September 2025"));
        assert_eq!(parsed.paragraphs, ["The inspection found problems."]);
    }

    #[test]
    fn finds_the_headline_below_mastheads_menus_and_datelines() {
        let parsed = parse(
            "Skip to main content\nRiver Radio 99.1\nListen Live\nNews\nSport\nWhat's On\n\nFri 27 Dec 2019\n\nCouncil told to improve SEND services\n\nBy Jo Bloggs\nEducation Reporter\n\nInspectors found that the local area must improve its services.\n",
        );
        assert_eq!(parsed.title.as_deref(), Some("Council told to improve SEND services"));
        assert_eq!(parsed.meta.site_name.as_deref(), Some("River Radio 99.1"));
        assert_eq!(parsed.meta.published.as_deref(), Some("Fri 27 Dec 2019"));
        assert_eq!(parsed.meta.author.as_deref(), Some("Jo Bloggs"));
        assert_eq!(
            parsed.paragraphs,
            ["Inspectors found that the local area must improve its services."]
        );
        let parsed = parse(
            "Families Together\nCommunity news and support for parents\n\nHome | About | Events | Get involved | Contact\n\nWhat inspectors found in Knowsley\n\n3 days ago \u{b7} 4 min read\nPosted by the volunteer team\n\nInspectors found that the local area must improve its services.\n",
        );
        assert_eq!(parsed.title.as_deref(), Some("What inspectors found in Knowsley"));
        assert_eq!(parsed.meta.site_name.as_deref(), Some("Families Together"));
        assert_eq!(parsed.meta.published, None);
        assert_eq!(
            parsed.paragraphs,
            ["Inspectors found that the local area must improve its services."]
        );
    }

    #[test]
    fn finds_no_title_when_first_line_is_a_sentence() {
        check(
            "This is a sentence.\nAnother one.\n",
            None,
            &["This is a sentence.", "Another one."],
        );
    }
}
