//! Property tests: no input makes parsing, extraction or search panic.
//!
//! - Any bytes and any Unicode text, read as a `.txt`, `.html` or `.md` file, parse and
//!   extract without panicking.
//! - So does generated article-like text (headlines, datelines, bylines, breadcrumbs, quotes
//!   with attributions, paragraphs naming real areas and outcomes, HTML pages with metadata,
//!   Markdown with front matter), with multi-byte characters sprinkled anywhere, and, for
//!   short pieces, inserted at every position in turn: right after "Published", "By", a
//!   month name or a digit is where a byte offset from an ASCII pattern lands inside one.
//! - Search answers any query and any filter value with results or a query error, never a
//!   panic or an internal error.
//! - The char-boundary helpers of `corpus::slicing` agree with a naive oracle over chars.
//!
//! Each property runs 256 cases (fewer for the costly ones) so that `cargo test` stays quick;
//! `PROPTEST_CASES=10000 cargo test --release properties` runs longer. The fuzz targets in
//! `fuzz/` are for runs of hours.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};

use send_archive::corpus::{self, slicing};
use send_archive::extract::{self, Gazetteer};
use send_archive::index::search::FACETS;
use send_archive::index::{Archive, SearchError, SearchRequest, Sort, query};

use crate::support::{TempCorpus, fixtures};

/// `cases` cases, unless `PROPTEST_CASES` asks for another number.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// Parses `bytes` as the file `name` and extracts from it; what either returns is not
/// looked at, only that neither panics.
fn parse_and_extract(name: &str, bytes: &[u8]) {
    if let Ok(article) = corpus::parse(name, bytes) {
        let record = extract::extract(&article, None, Gazetteer::builtin());
        // The record is what the index stores: it must serialise too.
        serde_json::to_vec(&record).expect("a record serialises");
    }
}

const FILE_NAMES: [&str; 3] = ["article.txt", "article.html", "article.md"];

// ---------------------------------------------------------------------------------------
// (a) Arbitrary input.

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_bytes_parse_and_extract(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for name in FILE_NAMES {
            parse_and_extract(name, &bytes);
        }
    }

    #[test]
    fn any_text_parses_and_extracts(text in any::<String>()) {
        for name in FILE_NAMES {
            parse_and_extract(name, text.as_bytes());
        }
    }

    /// Arbitrary text made mostly of the characters articles are built from, so that the
    /// parsers' and extractors' own patterns (tags, fences, quotes, digits) actually occur.
    #[test]
    fn text_of_article_characters_parses_and_extracts(
        text in "[a-zA-Z0-9 \n\r\t.,:;!?'\"()<>/=#*+|&@_-]{0,40}([’‘“”·›«»–—…\u{a0}\u{200b}\u{200d}éİK😀]|[A-Z][a-z]{1,9}|[0-9]{1,4}|<[a-z]+>|</[a-z]+>|\n---\n|\n\\+\\+\\+\n|\"|'|\n\n|- | )*",
    ) {
        for name in FILE_NAMES {
            parse_and_extract(name, text.as_bytes());
        }
    }
}

// ---------------------------------------------------------------------------------------
// (b) Article-like input.

/// Characters that take more than one byte (or change length when their case changes, as
/// K KELVIN SIGN and İ do), which articles and pasted text are full of.
const MULTIBYTE: &[&str] = &[
    "’",
    "‘",
    "“",
    "”",
    "·",
    "›",
    "‹",
    "«",
    "»",
    "–",
    "—",
    "…",
    "\u{a0}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{2028}",
    "é",
    "É",
    "ñ",
    "ß",
    "İ",
    "K",
    "ſ",
    "ﬁ",
    "\u{301}",
    "😀",
    "👩‍👧",
    "€",
    "£",
    "½",
    "²",
    "①",
    "Ⅻ",
    "।",
    "٣",
    "𝟙",
    "\u{fffd}",
];

/// Local areas' names and aliases from the gazetteer, as articles write them.
static AREA_NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut names = Vec::new();
    for area in Gazetteer::builtin().areas() {
        names.push(area.name.clone());
        names.push(area.council.clone());
        names.extend(area.aliases.iter().cloned());
    }
    names.retain(|n| !n.is_empty());
    names
});

fn area() -> BoxedStrategy<String> {
    (0..AREA_NAMES.len()).prop_map(|i| AREA_NAMES[i].clone()).boxed()
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "MARCH",
    "june",
];
const WEEKDAYS: &[&str] =
    &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Wed", ""];
const ORDINALS: &[&str] = &["", "st", "nd", "rd", "th", "TH"];

fn year() -> impl Strategy<Value = u32> {
    prop_oneof![2014u32..2027, 0u32..10000]
}

/// A date as articles write one, in words or digits, sometimes nonsense ("31st February").
fn date() -> BoxedStrategy<String> {
    prop_oneof![
        (select(WEEKDAYS), 0u32..40, select(ORDINALS), select(MONTHS), year()).prop_map(
            |(w, d, o, m, y)| format!("{w}{} {d}{o} {m} {y}", if w.is_empty() { "" } else { "," })
        ),
        (select(MONTHS), 0u32..40, year()).prop_map(|(m, d, y)| format!("{m} {d}, {y}")),
        (select(MONTHS), year()).prop_map(|(m, y)| format!("{m} {y}")),
        (0u32..40, 0u32..14, year(), select(&["/", ".", "-"][..]))
            .prop_map(|(d, m, y, s)| format!("{d:02}{s}{m:02}{s}{y}")),
        (year(), 0u32..14, 0u32..40).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (year(), 0u32..14, 0u32..40, 0u32..25)
            .prop_map(|(y, m, d, h)| format!("{y}-{m:02}-{d:02}T{h:02}:30:00+00:00")),
        (0u32..100).prop_map(|n| format!("{n} days ago")),
        Just("yesterday".to_string()),
    ]
    .boxed()
}

fn dateline() -> BoxedStrategy<String> {
    let fixed = select(
        &[
            "Published Wednesday, 16th May 2018",
            "Posted: March 2023",
            "06/03/2024",
            "3 days ago · 4 min read",
            "Updated: 14:32, 2 Feb 2021",
            "| 03 January 2018",
            "Published: 2023-11-22T07:30:00+00:00",
            "Last updated yesterday",
            "Monday 4 March 2024 at 10:15am",
            "Posted on 1st Sept 2022 by admin",
            "Published 16th",
            "Posted:",
            "Updated",
        ][..],
    )
    .prop_map(str::to_string);
    let prefix = select(
        &["Published ", "Posted: ", "Posted on ", "Updated: ", "Updated ", "| ", "Date: ", ""][..],
    );
    prop_oneof![
        fixed,
        (prefix, date()).prop_map(|(p, d)| format!("{p}{d}")),
        (date(), 1u32..30).prop_map(|(d, m)| format!("{d} · {m} min read")),
    ]
    .boxed()
}

const PEOPLE: &[&str] = &[
    "Jane Okafor",
    "Cllr Priya Sandhu",
    "Dr Tom Reeve",
    "Mrs Siobhan O’Neill",
    "JANE DOE",
    "Councillor Gurdev Bains",
    "Amélie Durand",
    "Kwame Mensah-Boateng",
    "Professor Ruth Allen OBE",
];
const ROLES: &[&str] = &[
    "cabinet member for children and education",
    "director of children’s services",
    "chief executive of NHS Black Country Integrated Care Board",
    "chair of the parent carer forum",
    "a spokesperson for the council",
    "Education Reporter",
    "Local Democracy Reporter",
];

fn byline() -> BoxedStrategy<String> {
    (select(&["By ", "by ", "Words by ", "BY ", "Written by ", "Author: "][..]), select(PEOPLE))
        .prop_flat_map(|(prefix, person)| {
            prop_oneof![
                Just(format!("{prefix}{person}")),
                select(ROLES).prop_map(move |r| format!("{prefix}{person}, {r}")),
                select(ROLES).prop_map(move |r| format!("{prefix}{person} · {r}")),
                dateline().prop_map(move |d| format!("{prefix}{person} | {d}")),
            ]
        })
        .boxed()
}

fn breadcrumb() -> BoxedStrategy<String> {
    select(
        &[
            "NEWS › EDUCATION",
            "NEWS · SEND",
            "Home > News > Local",
            "Home » Education » SEND",
            "News / Education",
            "NEWS",
            "›",
        ][..],
    )
    .prop_map(str::to_string)
    .boxed()
}

const OUTCOMES: &[&str] = &[
    "The local area partnership’s arrangements typically lead to positive experiences and outcomes for children and young people with SEND.",
    "Inspectors found inconsistent experiences and outcomes, the middle of three possible outcomes.",
    "There are widespread and/or systemic failings leading to significant concerns, the lowest of the three grades.",
    "A written statement of action (WSoA) is required because of significant weaknesses in the area’s practice.",
    "The council must produce an action plan.",
    "No written statement of action is required.",
    "The area has made sufficient progress in addressing all of the significant weaknesses.",
    "The area has made sufficient progress in four of the five areas of significant weakness.",
    "Insufficient progress has been made in addressing two of the weaknesses.",
    "This was a monitoring inspection following the 2022 full inspection.",
    "Nationally, about a third of areas received the most serious outcome.",
    "In 2019 the previous inspection found significant weaknesses.",
];

const THEMES: &[&str] = &[
    "Waiting times for autism assessments remain too long.",
    "Too many EHC plans are not issued within 20 weeks.",
    "Although leaders know the area well, the quality of EHCPs is variable.",
    "Children are not yet getting timely speech and language therapy.",
    "Co-production with the parent carer forum is strong.",
    "Transition to adulthood remains a concern.",
    "Leaders have an accurate understanding of the area’s strengths.",
    "Alternative provision is well used and carefully monitored.",
    "Inspectors looked at EHC plans, waiting times and joint commissioning.",
];

fn quote() -> BoxedStrategy<String> {
    let words = select(
        &[
            "We accept the findings and are already acting on them",
            "This report must be a turning point",
            "We are deeply sorry",
            "Families deserve better",
            "I’m proud of our staff",
            "It’s not good enough",
        ][..],
    );
    (words.clone(), words, select(PEOPLE), select(ROLES), 0usize..12)
        .prop_map(|(q, q2, who, role, form)| match form {
            0 => format!("“{q},” said {who}, {role}."),
            1 => format!("{who}, {role}, said: “{q}.”"),
            2 => format!("“{q},” said {who}. “{q2}.”"),
            3 => format!("‘{q}’ she said."),
            4 => format!("\"{q}\" said {who}"),
            5 => format!("“{q}"),
            6 => format!("'{q},' {who} added, '{q2}'"),
            7 => format!("« {q} », a dit {who}"),
            8 => format!("{who} said the council would “{q}”."),
            9 => format!("“{q}”"),
            10 => format!("He said: “{q}"),
            _ => format!("”{q}“ said {who}"),
        })
        .boxed()
}

fn paragraph() -> BoxedStrategy<String> {
    prop_oneof![
        (area(), select(OUTCOMES)).prop_map(|(a, o)| format!("Inspectors visited {a}. {o}")),
        (area(), 1u32..32, 1u32..32, select(MONTHS), year()).prop_map(|(a, d1, d2, m, y)| format!(
            "Ofsted and the CQC visited {a} between {d1} and {d2} {m} {y} to assess the local area."
        )),
        (area(), date(), date()).prop_map(|(a, d1, d2)| format!(
            "The joint inspection of {a} took place from {d1} to {d2}."
        )),
        (area(), select(THEMES)).prop_map(|(a, t)| format!("In {a}, {t}")),
        select(THEMES).prop_map(str::to_string),
        select(OUTCOMES).prop_map(str::to_string),
        quote(),
        (
            select(
                &["Strengths:", "Areas for improvement", "What needs to improve", "STRENGTHS"][..]
            ),
            select(THEMES)
        )
            .prop_map(|(h, t)| format!("{h}\n- {t}\n* {t}\n1. {t}")),
        area().prop_map(|a| format!(
            "The borough of {a} and the county council said it would respond."
        )),
        select(
            &[
                "Share on Facebook",
                "Accept all cookies",
                "Read more: SEND news",
                "Picture: Stock image",
                "Related:",
                "Advertisement"
            ][..]
        )
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn headline() -> BoxedStrategy<String> {
    (area(), 0usize..5)
        .prop_map(|(a, form)| match form {
            0 => format!("{a} SEND services ‘inconsistent’, say inspectors"),
            1 => format!("Inspectors praise SEND support in {a}"),
            2 => format!("Council ‘deeply sorry’ after damning SEND report on {a}"),
            3 => format!("{a}: what the Ofsted report said"),
            _ => a,
        })
        .boxed()
}

/// The parts of one article, before they are laid out in a format.
#[derive(Debug, Clone)]
struct Parts {
    headline: String,
    breadcrumb: String,
    byline: String,
    dateline: String,
    iso: String,
    site: String,
    paragraphs: Vec<String>,
}

fn parts() -> BoxedStrategy<Parts> {
    (
        headline(),
        breadcrumb(),
        byline(),
        dateline(),
        date(),
        select(&["Black Country Chronicle", "Children & Young People Now", "Le Monde", ""][..]),
        prop::collection::vec(paragraph(), 0..8),
    )
        .prop_map(|(headline, breadcrumb, byline, dateline, iso, site, paragraphs)| Parts {
            headline,
            breadcrumb,
            byline,
            dateline,
            iso,
            site: site.to_string(),
            paragraphs,
        })
        .boxed()
}

/// A plain-text article: headline, furniture, paragraphs; blank lines or single newlines,
/// `\n` or `\r\n`.
fn as_text(p: &Parts, blank: bool, crlf: bool) -> String {
    let sep = if blank { "\n\n" } else { "\n" };
    let mut lines =
        vec![p.headline.clone(), p.breadcrumb.clone(), p.byline.clone(), p.dateline.clone()];
    lines.extend(p.paragraphs.iter().cloned());
    let text = lines.join(sep);
    if crlf { text.replace('\n', "\r\n") } else { text }
}

/// A web page: metadata in the head (og:, article:, JSON-LD), then navigation, the article
/// with byline and `<time>`, a sidebar and a footer.
fn as_html(p: &Parts) -> String {
    let mut body = String::new();
    for para in &p.paragraphs {
        if para.contains("\n- ") {
            let mut lines = para.lines();
            body.push_str(&format!("<h2>{}</h2><ul>", lines.next().unwrap_or_default()));
            for line in lines {
                body.push_str(&format!("<li>{}</li>", line.trim_start_matches(['-', '*', ' '])));
            }
            body.push_str("</ul>\n");
        } else {
            body.push_str(&format!("<p>{para}</p>\n"));
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{h} | {site}</title>\
         <meta property=\"og:title\" content=\"{h}\">\
         <meta property=\"og:site_name\" content=\"{site}\">\
         <meta property=\"article:published_time\" content=\"{iso}\">\
         <meta name=\"author\" content=\"{by}\">\
         <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"{h}\",\
         \"datePublished\":\"{iso}\",\"author\":{{\"name\":\"{by}\"}}}}</script>\
         </head><body><div id=\"cookie-banner\"><p>We use cookies. <button>Accept all cookies</button></p></div>\
         <nav><ul><li><a href=\"/\">Home</a></li><li>{crumb}</li></ul></nav>\
         <main><article><h1>{h}</h1><p class=\"byline\">{by}</p>\
         <time datetime=\"{iso}\">{dateline}</time>\n{body}</article>\
         <aside><h3>Most read</h3><ol><li><a href=\"#\">{h}</a></li></ol></aside></main>\
         <footer><p>&copy; {site} &amp; friends &#8217; &#x2019; &bogus; &#99999999;</p></footer></body></html>",
        h = p.headline,
        site = p.site,
        iso = p.iso,
        by = p.byline,
        crumb = p.breadcrumb,
        dateline = p.dateline,
    )
}

/// Markdown with YAML (`---`) or TOML (`+++`) front matter, headings, lists and links.
fn as_markdown(p: &Parts, toml: bool) -> String {
    let front = if toml {
        format!(
            "+++\ntitle = \"{}\"\ndate = {}\nauthor = \"{}\"\nsource = \"{}\"\n+++\n",
            p.headline, p.iso, p.byline, p.site
        )
    } else {
        format!(
            "---\ntitle: \"{}\"\ndate: {}\nauthor: {}\nsource: {}\nurl: https://example.org/{}\n---\n",
            p.headline, p.iso, p.byline, p.site, p.breadcrumb
        )
    };
    let mut text = front;
    text.push_str(&format!("\n# {}\n\n*{}* — {}\n\n", p.headline, p.byline, p.dateline));
    for (i, para) in p.paragraphs.iter().enumerate() {
        match i % 4 {
            1 => text.push_str(&format!("> {para}\n\n")),
            2 => text.push_str(&format!("## {para}\n\n")),
            3 => text
                .push_str(&format!("{para} [Read the report](https://reports.ofsted.gov.uk/)\n\n")),
            _ => text.push_str(&format!("{para}\n\n")),
        }
    }
    text
}

/// An article laid out in one of the formats, with its file name.
fn laid_out(p: &Parts, layout: usize) -> (&'static str, String) {
    match layout {
        0 => ("article.txt", as_text(p, true, false)),
        1 => ("article.txt", as_text(p, false, false)),
        2 => ("article.txt", as_text(p, true, true)),
        3 => ("article.html", as_html(p)),
        4 => ("article.md", as_markdown(p, false)),
        _ => ("article.md", as_markdown(p, true)),
    }
}

/// `text` with `insert` put in at the character boundary at or before `at`.
fn insert_at(text: &str, at: usize, insert: &str) -> String {
    let at = slicing::floor_char_boundary(text, at);
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..at]);
    out.push_str(insert);
    out.push_str(&text[at..]);
    out
}

proptest! {
    #![proptest_config(config(256))]

    /// Whole articles, with multi-byte characters inserted at random places.
    #[test]
    fn article_like_input_parses_and_extracts(
        parts in parts(),
        layout in 0usize..6,
        sprinkles in prop::collection::vec((any::<Index>(), select(MULTIBYTE)), 0..24),
    ) {
        let (name, mut text) = laid_out(&parts, layout);
        for (at, ch) in sprinkles {
            text = insert_at(&text, at.index(text.len() + 1), ch);
        }
        parse_and_extract(name, text.as_bytes());
    }
}

/// A short piece of article text, for inserting a character at every position of.
fn piece() -> BoxedStrategy<String> {
    prop_oneof![
        dateline(),
        byline(),
        breadcrumb(),
        quote(),
        headline(),
        paragraph(),
        select(MONTHS).prop_map(|m| format!("{m} 2023")),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(config(48))]

    /// One piece (a dateline, a byline, a quote ...) inside a small article, with one
    /// multi-byte character inserted at each of its positions in turn: the way to land on
    /// an offset just after "Published", "By", "said", a month name or a digit.
    #[test]
    fn a_character_at_every_position_of_a_piece(
        piece in piece(),
        context in parts(),
        insert in select(MULTIBYTE),
        layout in 0usize..6,
    ) {
        let boundaries: Vec<usize> =
            piece.char_indices().map(|(i, _)| i).chain([piece.len()]).collect();
        for at in boundaries {
            let mut parts = context.clone();
            let changed = insert_at(&piece, at, insert);
            // The piece goes where such text stands: dateline and byline slots, and the
            // first paragraph.
            parts.dateline = changed.clone();
            parts.byline = changed.clone();
            parts.paragraphs.truncate(2);
            parts.paragraphs.insert(0, changed);
            let (name, text) = laid_out(&parts, layout);
            parse_and_extract(name, text.as_bytes());
        }
    }
}

// ---------------------------------------------------------------------------------------
// (c) Search.

/// A small index of the fixture corpus, built once for every search property.
static ARCHIVE: LazyLock<(TempCorpus, Archive)> = LazyLock::new(|| {
    let corpus = TempCorpus::copy_of(&fixtures().join("articles"));
    corpus.ingest();
    let archive = corpus.archive();
    (corpus, archive)
});

/// Pieces of query syntax, so that generated queries exercise the parser's paths.
const QUERY_PIECES: &[&str] = &[
    "EHCP",
    "ehcp",
    "education, health and care plan",
    "speech and language therapy",
    "autism",
    "waiting",
    "times",
    "\"",
    "\"waiting times\"",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "-",
    "+",
    "-EHCP",
    "+autism",
    ":",
    "title:",
    "area:",
    "area:dudley",
    "outcome:inconsistent",
    "theme:",
    "year:2023",
    "year:",
    "body:x",
    "nosuchfield:x",
    "nosuchfield:*",
    "title:*",
    "area:*",
    ":*",
    "*",
    "?",
    "~",
    "~2",
    "^",
    "^2",
    "[",
    "]",
    "{",
    "}",
    "[2019 TO 2023]",
    "year:[2019 TO 2023]",
    "IN",
    "\\",
    "'",
    ",",
    ".",
    "..",
    "’",
    "“",
    "é",
    "İ",
    "😀",
    "\u{200b}",
    " ",
    "  ",
    "\t",
    "\n",
    "0",
    "-1",
    "1e9",
    "NaN",
    "ſ",
];

fn structured_query() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => select(QUERY_PIECES).prop_map(str::to_string),
            1 => "[a-zA-Z0-9’é]{1,8}",
        ],
        0..12,
    )
    .prop_map(|pieces| {
        let mut query = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            // Mostly spaced, sometimes glued together.
            if i > 0 && i % 3 != 2 {
                query.push(' ');
            }
            query.push_str(piece);
        }
        query
    })
}

fn filter_value() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &["dudley", "inconsistent", "2023", "2016", "full", "waiting_times", "", " ", "-"][..]
        )
        .prop_map(str::to_string),
        any::<String>(),
        "[a-z_0-9]{0,12}",
    ]
}

fn request() -> impl Strategy<Value = SearchRequest> {
    let filter_names: Vec<&'static str> =
        FACETS.iter().copied().chain(["theme_polarity"]).collect();
    (
        prop_oneof![structured_query(), any::<String>(), "[ -~]{0,40}"],
        prop::collection::btree_map(select(filter_names), filter_value(), 0..4),
        any::<bool>(),
        prop_oneof![0usize..30, 0usize..100_000],
        0usize..200,
    )
        .prop_map(|(query, filters, newest, offset, limit)| SearchRequest {
            query,
            filters: filters
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
            sort: if newest { Sort::Newest } else { Sort::Relevance },
            offset,
            limit,
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn search_answers_or_explains_any_query(request in request()) {
        let (_, archive) = &*ARCHIVE;
        match archive.search(&request) {
            Ok(results) => prop_assert!(results.hits.len() <= request.limit.max(1)),
            Err(SearchError::Query(_)) => {}
            Err(SearchError::Internal(e)) => {
                prop_assert!(false, "internal error for {request:?}: {e:#}")
            }
        }
    }

    #[test]
    fn synonym_expansion_never_panics(text in prop_oneof![structured_query(), any::<String>()]) {
        query::expand_synonyms(&text);
    }
}

// ---------------------------------------------------------------------------------------
// (d) The char-boundary helpers against naive oracles over chars.

/// Text that mixes ASCII with multi-byte characters, so that byte offsets often fall
/// inside one.
fn mixed_text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9 ’é😀İK·ß]{0,16}", any::<String>()]
}

/// The byte offsets at which characters start, and the end.
fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices().map(|(i, _)| i).chain([text.len()]).collect()
}

/// `text` with the ASCII letters' case flipped where `flips` says.
fn flip_case(text: &str, flips: &[bool]) -> String {
    text.chars()
        .zip(flips.iter().cycle())
        .map(|(c, &flip)| match (flip, c.is_ascii_lowercase()) {
            (false, _) => c,
            (true, true) => c.to_ascii_uppercase(),
            (true, false) => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The oracle for the prefix helpers: characters compared one by one.
fn strip_prefix_by_chars<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let mut rest = text.chars();
    for p in prefix.chars() {
        if !rest.next()?.eq_ignore_ascii_case(&p) {
            return None;
        }
    }
    Some(rest.as_str())
}

/// The oracle for the suffix helpers: characters compared one by one from the end.
fn strip_suffix_by_chars<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let mut rest = text.chars();
    for s in suffix.chars().rev() {
        if !rest.next_back()?.eq_ignore_ascii_case(&s) {
            return None;
        }
    }
    Some(rest.as_str())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn affix_helpers_agree_with_char_comparison(
        text in mixed_text(),
        other in mixed_text(),
        cut in any::<Index>(),
        flips in prop::collection::vec(any::<bool>(), 1..8),
    ) {
        // A real prefix and suffix of the text (case flipped), and an unrelated string.
        let at = cut.index(text.len() + 1);
        let head = flip_case(&text[..slicing::floor_char_boundary(&text, at)], &flips);
        let tail = flip_case(&text[slicing::ceil_char_boundary(&text, at)..], &flips);
        for affix in [head.as_str(), tail.as_str(), other.as_str()] {
            let prefix = strip_prefix_by_chars(&text, affix);
            prop_assert_eq!(slicing::strip_prefix_ignore_ascii_case(&text, affix), prefix);
            prop_assert_eq!(slicing::starts_with_ignore_ascii_case(&text, affix), prefix.is_some());
            let suffix = strip_suffix_by_chars(&text, affix);
            prop_assert_eq!(slicing::strip_suffix_ignore_ascii_case(&text, affix), suffix);
            prop_assert_eq!(slicing::ends_with_ignore_ascii_case(&text, affix), suffix.is_some());
        }
    }

    #[test]
    fn boundary_helpers_agree_with_char_offsets(text in mixed_text(), at in 0usize..80) {
        let starts = boundaries(&text);
        let clamped = at.min(text.len());
        let floor = starts.iter().copied().filter(|&b| b <= clamped).max().unwrap_or(0);
        let ceil = starts.iter().copied().filter(|&b| b >= clamped).min().unwrap_or(text.len());
        prop_assert_eq!(slicing::floor_char_boundary(&text, at), floor);
        prop_assert_eq!(slicing::ceil_char_boundary(&text, at), ceil);
        // The longest run of whole characters within `at` bytes.
        let mut fits = String::new();
        for c in text.chars() {
            if fits.len() + c.len_utf8() > at {
                break;
            }
            fits.push(c);
        }
        prop_assert_eq!(slicing::truncate_bytes(&text, at), fits.as_str());
    }
}

// ---------------------------------------------------------------------------------------
// Curated facts and the lookups the web site makes with what a visitor typed.

/// A TOML basic string holding `text` (JSON's escapes are TOML's, but for DEL, which TOML
/// refuses: such a sidecar is an error, which is fine too).
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

fn date_text() -> BoxedStrategy<String> {
    prop_oneof![
        select(
            &["2023", "2023-02", "2023-02-30", "0-1-1", "99999-01-01", "2023-00-10", "", "-1"][..]
        )
        .prop_map(str::to_string),
        (0i32..10000, 0u32..15, 0u32..40).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        any::<String>(),
    ]
    .boxed()
}

fn sidecar_text() -> BoxedStrategy<String> {
    (
        prop_oneof![mixed_text(), "[a-z0-9-]{0,20}"],
        mixed_text(),
        mixed_text(),
        prop_oneof![Just("E08000027".to_string()), "[A-Z][0-9]{8}", any::<String>()],
        date_text(),
        date_text(),
        date_text(),
        select(&["positive", "inconsistent", "systemic_failings", "wsoa", "x"][..]),
        select(&["2016", "2023", "full", "revisit", "monitoring"][..]),
    )
        .prop_map(|(slug, former, title, area, published, start, end, outcome, framework)| {
            format!(
                "slug = {}\nformer_slugs = [{}]\n\
                 [title]\nvalue = {}\nfrom = \"x\"\n\
                 [published]\nvalue = {}\nfrom = \"x\"\n\
                 [area]\nvalue = {}\nfrom = \"x\"\n\
                 [inspection.visit_start]\nvalue = {}\nfrom = \"x\"\n\
                 [inspection.visit_end]\nvalue = {}\nfrom = \"x\"\n\
                 [inspection.outcome]\nvalue = \"{outcome}\"\nfrom = \"x\"\n\
                 [inspection.framework]\nvalue = \"{framework}\"\nfrom = \"x\"\n",
                toml_string(&slug),
                toml_string(&former),
                toml_string(&title),
                toml_string(&published),
                toml_string(&area),
                toml_string(&start),
                toml_string(&end),
            )
        })
        .boxed()
}

proptest! {
    #![proptest_config(config(256))]

    /// Whatever a sidecar curates, extraction applies it without panicking.
    #[test]
    fn curated_facts_apply_without_panicking(
        sidecar in sidecar_text(),
        parts in parts(),
        layout in 0usize..6,
    ) {
        let (name, text) = laid_out(&parts, layout);
        if let (Ok(sidecar), Ok(article)) =
            (corpus::sidecar::Sidecar::parse(&sidecar), corpus::parse(name, text.as_bytes()))
        {
            let record = extract::extract(&article, Some(&sidecar), Gazetteer::builtin());
            serde_json::to_vec(&record).expect("a record serialises");
        }
    }

    /// Area suggestions, name and slug lookups and date parsing take any text.
    #[test]
    fn lookups_take_any_text(
        text in prop_oneof![mixed_text(), area(), dateline()],
        limit in 0usize..10,
    ) {
        let gazetteer = Gazetteer::builtin();
        prop_assert!(gazetteer.suggest(&text, limit).len() <= limit);
        gazetteer.lookup(&text, None);
        gazetteer.by_slug(&text);
        gazetteer.region_by_slug(&text);
        extract::dates::parse_date_text(&text);
        let _ = text.parse::<extract::PartialDate>();
        extract::slug::slugify(&text);
    }
}

// ---------------------------------------------------------------------------------------
// A long sweep, run by hand: `cargo test --release --test integration -- --ignored sweep`.

/// Every fixture and seed article with each of a few multi-byte characters (ones that
/// survive decoding's normalisation) inserted at every position in turn. Too slow for every
/// `cargo test` (a few hundred thousand extractions); `SWEEP_STRIDE=N` tries every Nth
/// position only.
#[test]
#[ignore = "a long run: cargo test --release --test integration -- --ignored sweep"]
fn sweep_a_character_through_every_fixture() {
    let stride = std::env::var("SWEEP_STRIDE").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    let folders = [fixtures().join("articles"), fixtures().join("seeds")];
    for path in folders.iter().flat_map(|f| std::fs::read_dir(f).unwrap()) {
        let path = path.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if corpus::Format::from_path(&path).is_none() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for insert in ["’", "·", "é", "K", "İ", "😀", "–"] {
            for (n, (at, _)) in text.char_indices().enumerate() {
                if n % stride == 0 {
                    parse_and_extract(&name, insert_at(&text, at, insert).as_bytes());
                }
            }
        }
    }
}
