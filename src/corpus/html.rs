//! Saved web pages (`.html`, `.htm`): metadata from the page's tags and paragraphs from its
//! article body.
//!
//! The *article body* is the `<article>` with the most paragraph text, else `<main>` or
//! `[role=main]`, else the element whose child `<p>`s hold the most text. Inside it, page
//! chrome is skipped by tag (`nav`, `header`, `footer`, `aside`, `script`, `form`, ...) and by
//! class or id words that mark *boilerplate* (cookie banners, share buttons, social links,
//! related stories, comments, sidebars, newsletter sign-ups, breadcrumbs, adverts, tag lists,
//! account and log-in bars). Block
//! elements (`p`, headings, `li`, `blockquote`, `div`, ...) become paragraphs in document
//! order, list items as "- item". The shared rules in [`clean`] then run as for any format.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Node, Selector};

use super::clean::{clean, fold_whitespace, parse_byline};
use super::{PageMeta, Parsed};

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector is valid CSS")
}

static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel~=canonical]"));
static ARTICLE: LazyLock<Selector> = LazyLock::new(|| selector("article"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| selector("[role=main], main"));
static PARAGRAPH: LazyLock<Selector> = LazyLock::new(|| selector("p"));
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
static DATE_PUBLISHED: LazyLock<Selector> = LazyLock::new(|| selector("[itemprop=datePublished]"));
static JSON_LD: LazyLock<Selector> =
    LazyLock::new(|| selector(r#"script[type="application/ld+json"]"#));
static AUTHOR: LazyLock<Selector> =
    LazyLock::new(|| selector("[rel~=author], [itemprop=author], .byline, .author"));

/// Tags whose content is never article text.
const SKIP_TAGS: &[&str] = &[
    "aside",
    "button",
    "canvas",
    "dialog",
    "figcaption",
    "footer",
    "form",
    "head",
    "header",
    "iframe",
    "input",
    "menu",
    "nav",
    "noscript",
    "object",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "video",
    "audio",
];

/// Tags that start and end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Class or id words (split on non-alphanumerics) that mark boilerplate.
const BOILERPLATE_WORDS: &[&str] = &[
    "account",
    "ad",
    "ads",
    "adslot",
    "advert",
    "advertisement",
    "adverts",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "comment",
    "comments",
    "consent",
    "cookie",
    "cookies",
    "disqus",
    "gdpr",
    "login",
    "logon",
    "masthead",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "popup",
    "promo",
    "related",
    "share",
    "sharing",
    "sidebar",
    "signin",
    "signup",
    "skip",
    "social",
    "sponsored",
    "subscribe",
    "taboola",
    "tag",
    "taglist",
    "tags",
    "topbar",
    "topics",
    "userbar",
];

/// Substrings of a class or id that mark boilerplate even inside compound names
/// ("cookiebanner", "socialShare").
const BOILERPLATE_PARTS: &[&str] = &[
    "advert",
    "breadcrumb",
    "comment",
    "cookie",
    "consent",
    "disqus",
    "newsletter",
    "related",
    "share",
    "sidebar",
    "social",
];

/// ARIA roles of page chrome.
const SKIP_ROLES: &[&str] =
    &["banner", "complementary", "contentinfo", "dialog", "navigation", "search"];

/// How deep elements may nest before [`limit_nesting`] flattens them. Real pages nest a few
/// dozen deep; the HTML parser checks the whole stack of open elements at each new tag, so
/// nesting thousands deep costs time in the square of the depth.
const MAX_NESTING: usize = 400;

/// Elements that never hold others, or that the next of their kind closes (`<p>`, `<li>`):
/// they do not deepen the nesting, and an old page's unclosed `<p>`s must not count.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "dd", "dt", "embed", "hr", "img", "input", "li", "link", "meta",
    "option", "p", "param", "source", "td", "th", "tr", "track", "wbr",
];

/// The page with start tags past [`MAX_NESTING`] open elements removed (and as many end
/// tags after them), so that parsing takes time in proportion to the page's size: 100,000
/// nested `<div>`s would otherwise take the parser minutes. Only structure beyond that depth
/// is lost, never text. The page is returned as it is when it never nests that deep, and
/// scripts, styles and comments are passed over, not counted.
fn limit_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut out: Option<String> = None;
    // `kept` is where the text not yet copied to `out` starts.
    let mut kept = 0;
    let mut at = 0;
    // Every position `at` takes is just after an ASCII byte, so slicing there is safe.
    while let Some(offset) = html.get(at..).and_then(|rest| rest.find('<')) {
        let start = at + offset;
        let rest = &bytes[start..];
        // Comments, scripts and styles: skip to their end.
        if rest.starts_with(b"<!--") {
            at = html[start + 4..].find("-->").map_or(bytes.len(), |i| start + 4 + i + 3);
            continue;
        }
        let end = html[start..].find('>').map_or(bytes.len(), |i| start + i + 1);
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = html.get(name_start..name_start + name_len).unwrap_or_default();
        if name.is_empty() {
            at = start + 1;
            continue;
        }
        if !closing && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style")) {
            let close = if name.eq_ignore_ascii_case("script") { "</script" } else { "</style" };
            at = html.get(end..).and_then(|r| r.find(close)).map_or(bytes.len(), |i| end + i);
            continue;
        }
        let self_closing = bytes[..end].ends_with(b"/>");
        let nests = !self_closing && !NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name));
        let mut drop = false;
        if nests && !closing {
            if depth >= MAX_NESTING {
                drop = true;
                dropped += 1;
            } else {
                depth += 1;
            }
        } else if nests && closing {
            if dropped > 0 {
                drop = true;
                dropped -= 1;
            } else {
                depth = depth.saturating_sub(1);
            }
        }
        if drop {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(html.get(kept..start).unwrap_or_default());
            kept = end;
        }
        at = end;
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(html.get(kept..).unwrap_or_default());
            std::borrow::Cow::Owned(out)
        }
    }
}

/// Parses a saved web page into headline, cleaned paragraphs and metadata.
pub(super) fn parse(html: &str) -> Parsed {
    let html = limit_nesting(html);
    let doc = Html::parse_document(&html);
    let tags = MetaTags::read(&doc);
    let ld = LinkedData::read(&doc);
    let root = article_root(&doc);

    let mut meta = PageMeta {
        site_name: tags.first(&["og:site_name", "application-name"]).or(ld.publisher),
        url: tags
            .first(&["og:url"])
            .or_else(|| doc.select(&CANONICAL).find_map(|link| attr_text(link, "href")))
            .or(ld.url),
        published: tags
            .first(&["article:published_time", "og:published_time", "article:published"])
            .or(ld.date_published)
            .or_else(|| published(&doc, root, &tags)),
        author: tags.first(&["author", "article:author"]).or(ld.author).or_else(|| author(&doc)),
        description: tags
            .first(&["og:description", "description", "twitter:description"])
            .or(ld.description),
    };
    let title = title(&doc, root, &tags, ld.headline, meta.site_name.as_deref());

    let mut walker = Walker::default();
    let root_text = paragraph_text_len(root);
    walker.walk(root, root_text);
    walker.flush();
    let paragraphs = clean(title.as_deref(), walker.out, &mut meta);
    if meta.published.is_none() {
        meta.published = doc.select(&TIME).find_map(|time| attr_text(time, "datetime"));
    }
    Parsed { title, paragraphs, meta, warnings: Vec::new() }
}

/// The `<meta>` tags of a page, by lower-cased `property`, `name` or `itemprop`.
struct MetaTags<'a> {
    tags: Vec<(String, &'a str)>,
}

impl<'a> MetaTags<'a> {
    fn read(doc: &'a Html) -> MetaTags<'a> {
        let mut tags = Vec::new();
        for element in doc.select(&META) {
            let Some(content) = element.attr("content") else { continue };
            for key_attr in ["property", "name", "itemprop"] {
                if let Some(key) = element.attr(key_attr) {
                    tags.push((key.trim().to_ascii_lowercase(), content));
                }
            }
        }
        MetaTags { tags }
    }

    /// The first non-empty value among `keys`, in the order of `keys`.
    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.tags
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| fold_whitespace(v.to_string()))
                .find(|v| !v.is_empty())
        })
    }
}

fn attr_text(element: ElementRef<'_>, attr: &str) -> Option<String> {
    element.attr(attr).map(|v| fold_whitespace(v.to_string())).filter(|v| !v.is_empty())
}

fn element_text(element: ElementRef<'_>) -> String {
    fold_whitespace(element.text().collect())
}

/// The article body (see the module docs).
fn article_root(doc: &Html) -> ElementRef<'_> {
    let best_article = doc
        .select(&ARTICLE)
        .map(|article| (paragraph_text_len(article), article))
        .filter(|(len, _)| *len > 0)
        .max_by_key(|(len, _)| *len);
    if let Some((_, article)) = best_article {
        return article;
    }
    if let Some(main) = doc.select(&MAIN).next() {
        return main;
    }
    // The element whose own child paragraphs hold the most text.
    let mut best: Option<(usize, ElementRef<'_>)> = None;
    let mut scores: Vec<(ElementRef<'_>, usize)> = Vec::new();
    for paragraph in doc.select(&PARAGRAPH) {
        let Some(parent) = paragraph.parent().and_then(ElementRef::wrap) else { continue };
        let len = paragraph.text().map(str::len).sum::<usize>();
        let score = match scores.iter_mut().find(|(element, _)| *element == parent) {
            Some((_, score)) => {
                *score += len;
                *score
            }
            None => {
                scores.push((parent, len));
                len
            }
        };
        if best.is_none_or(|(best_score, _)| score > best_score) {
            best = Some((score, parent));
        }
    }
    if let Some((_, element)) = best {
        return element;
    }
    doc.select(&BODY).next().unwrap_or_else(|| doc.root_element())
}

/// Bytes of text inside `<p>` elements under `element`.
fn paragraph_text_len(element: ElementRef<'_>) -> usize {
    element.select(&PARAGRAPH).flat_map(|p| p.text()).map(str::len).sum()
}

/// `og:title`, else the JSON-LD `headline`, else the `<h1>` in the article (or page), else
/// `<title>`, without a " | Site Name" suffix.
fn title(
    doc: &Html,
    root: ElementRef<'_>,
    tags: &MetaTags<'_>,
    headline: Option<String>,
    site: Option<&str>,
) -> Option<String> {
    let found = tags
        .first(&["og:title", "twitter:title"])
        .or(headline)
        .or_else(|| root.select(&H1).map(element_text).find(|t| !t.is_empty()))
        .or_else(|| doc.select(&H1).map(element_text).find(|t| !t.is_empty()))
        .or_else(|| doc.select(&TITLE).map(element_text).find(|t| !t.is_empty()))?;
    Some(strip_site_suffix(&found, site).to_string())
}

/// "Headline | Site" → "Headline" when "Site" is the page's site name.
fn strip_site_suffix<'a>(title: &'a str, site: Option<&str>) -> &'a str {
    let Some(site) = site.filter(|s| !s.is_empty()) else { return title };
    for separator in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some(head) = title.strip_suffix(site).and_then(|t| t.strip_suffix(separator)) {
            let head = head.trim();
            if !head.is_empty() {
                return head;
            }
        }
    }
    title
}

/// The publication date from the article's `<time datetime>`, `itemprop=datePublished` or
/// other date meta tags (after `article:published_time` and JSON-LD). A `<time>` outside
/// the article may date another story (a sidebar's), so it comes only after a dateline in
/// the text (see `parse`).
fn published(doc: &Html, root: ElementRef<'_>, tags: &MetaTags<'_>) -> Option<String> {
    root.select(&TIME)
        .find_map(|time| attr_text(time, "datetime"))
        .or_else(|| {
            doc.select(&DATE_PUBLISHED).find_map(|element| {
                attr_text(element, "content")
                    .or_else(|| attr_text(element, "datetime"))
                    .or_else(|| Some(element_text(element)).filter(|t| !t.is_empty()))
            })
        })
        .or_else(|| {
            tags.first(&[
                "datepublished",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.issued",
                "dcterms.created",
                "pubdate",
                "publish-date",
                "publish_date",
                "publication_date",
                "article.published",
                "parsely-pub-date",
                "sailthru.date",
            ])
        })
}

/// The author from a byline element of the page.
fn author(doc: &Html) -> Option<String> {
    doc.select(&AUTHOR).find_map(|element| {
        let text = attr_text(element, "content").unwrap_or_else(|| element_text(element));
        let name = parse_byline(&text).map(str::to_string).unwrap_or(text);
        let plausible = !name.is_empty() && name.split_whitespace().count() <= 6;
        plausible.then_some(name)
    })
}

/// `@type`s of schema.org objects that describe the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNews",
    "AnalysisNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "OpinionNewsArticle",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
];

/// What a page's JSON-LD (`<script type="application/ld+json">`) says about its article:
/// the first object of an article type (see [`ARTICLE_TYPES`]), looked for at the top, in
/// arrays and in `@graph`. A script that is not valid JSON is ignored.
#[derive(Debug, Default, PartialEq, Eq)]
struct LinkedData {
    headline: Option<String>,
    date_published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    description: Option<String>,
}

impl LinkedData {
    fn read(doc: &Html) -> LinkedData {
        for script in doc.select(&JSON_LD) {
            let text: String = script.text().collect();
            let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
                continue;
            };
            if let Some(article) = find_article(&value, 0) {
                return LinkedData::from_article(article);
            }
        }
        LinkedData::default()
    }

    fn from_article(article: &serde_json::Value) -> LinkedData {
        let text = |key: &str| json_text(article.get(key)?);
        LinkedData {
            headline: text("headline").or_else(|| text("name")),
            date_published: text("datePublished").or_else(|| text("dateCreated")),
            author: article.get("author").and_then(json_name),
            publisher: article.get("publisher").and_then(json_name),
            url: text("url").or_else(|| article.get("mainEntityOfPage").and_then(json_id)),
            description: text("description"),
        }
    }
}

/// The first object of an article type in `value`, at most a few levels down.
fn find_article(value: &serde_json::Value, depth: usize) -> Option<&serde_json::Value> {
    use serde_json::Value;
    if depth > 4 {
        return None;
    }
    match value {
        Value::Array(items) => items.iter().find_map(|item| find_article(item, depth + 1)),
        Value::Object(object) => {
            let is_article = match object.get("@type") {
                Some(Value::String(kind)) => ARTICLE_TYPES.contains(&kind.as_str()),
                Some(Value::Array(kinds)) => kinds
                    .iter()
                    .any(|k| k.as_str().is_some_and(|kind| ARTICLE_TYPES.contains(&kind))),
                _ => false,
            };
            if is_article {
                return Some(value);
            }
            object.get("@graph").and_then(|graph| find_article(graph, depth + 1))
        }
        _ => None,
    }
}

/// A JSON string, folded and decoded of HTML entities, when it is not empty.
fn json_text(value: &serde_json::Value) -> Option<String> {
    let text = value.as_str()?;
    let decoded: String = Html::parse_fragment(text).root_element().text().collect();
    Some(fold_whitespace(decoded)).filter(|t| !t.is_empty())
}

/// A person's or organisation's name: a string, an object's `name`, or the first of a list.
fn json_name(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Array(items) => items.iter().find_map(json_name),
        serde_json::Value::Object(object) => object.get("name").and_then(json_text),
        other => json_text(other),
    }
}

/// A URL given as a string or an object's `@id`.
fn json_id(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Object(object) => object.get("@id").and_then(json_text),
        other => json_text(other),
    }
}

/// Walks the article body and collects its paragraphs in order.
#[derive(Default)]
struct Walker {
    out: Vec<String>,
    buffer: String,
    /// The next paragraph starts a list item and gets "- ".
    item_pending: bool,
}

impl Walker {
    fn walk(&mut self, element: ElementRef<'_>, root_text: usize) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.buffer.push_str(text),
                Node::Element(value) => {
                    let name = value.name();
                    let Some(child_element) = ElementRef::wrap(child) else { continue };
                    if name == "br" {
                        self.flush();
                        continue;
                    }
                    if SKIP_TAGS.contains(&name) || is_boilerplate(child_element, root_text) {
                        continue;
                    }
                    if BLOCK_TAGS.contains(&name) {
                        self.flush();
                        if name == "li" {
                            self.item_pending = true;
                        }
                        self.walk(child_element, root_text);
                        self.flush();
                        self.item_pending = false;
                    } else {
                        self.walk(child_element, root_text);
                    }
                }
                _ => {}
            }
        }
    }

    fn flush(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let text = fold_whitespace(std::mem::take(&mut self.buffer));
        if text.is_empty() {
            return;
        }
        if std::mem::take(&mut self.item_pending) {
            self.out.push(format!("- {text}"));
        } else {
            self.out.push(text);
        }
    }
}

/// Chrome by role, `hidden`, or class/id words; never an element holding most of the
/// article's paragraph text (a page may mark its article "has-sidebar" or "with-comments").
fn is_boilerplate(element: ElementRef<'_>, root_text: usize) -> bool {
    let value = element.value();
    if value.attr("hidden").is_some() || value.attr("aria-hidden") == Some("true") {
        return true;
    }
    if value.attr("role").is_some_and(|role| SKIP_ROLES.contains(&role.trim())) {
        return true;
    }
    let marked = [value.attr("class"), value.attr("id")].into_iter().flatten().any(|names| {
        let lower = names.to_ascii_lowercase();
        lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| BOILERPLATE_WORDS.contains(&word))
            || BOILERPLATE_PARTS.iter().any(|part| lower.contains(part))
    });
    marked && paragraph_text_len(element) * 2 <= root_text.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, title: Option<&str>, paragraphs: &[&str]) -> Parsed {
        let parsed = parse(html);
        assert_eq!(parsed.title.as_deref(), title);
        assert_eq!(parsed.paragraphs, paragraphs);
        parsed
    }

    const PAGE: &str = r#"<!doctype html>
<html><head>
<title>Council told to improve SEND | Local News</title>
<meta property="og:title" content="Council told to improve SEND">
<meta property="og:site_name" content="Local News">
<meta property="og:url" content="https://news.example/send">
<meta property="article:published_time" content="2023-06-09T10:00:00Z">
<meta name="author" content="Jo Bloggs">
<meta name="description" content="Inspectors found inconsistent outcomes.">
<script>var x = "<p>not text</p>";</script>
<style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="cookie-banner"><p>We use cookies to make this site work. Accept all cookies</p></div>
<header><h1>Council told to improve SEND</h1></header>
<article>
  <h1>Council told to improve SEND</h1>
  <p class="byline">By Jo Bloggs</p>
  <p>Inspectors found the council&rsquo;s plans were &quot;inconsistent&quot; &amp; slow.</p>
  <figure><img src="a.jpg"><figcaption>Picture: Agency</figcaption></figure>
  <div class="share-buttons"><a>Share on Facebook</a><a>Share on X</a></div>
  <h2>What happens next?</h2>
  <p>The partnership&#8217;s plan is due in <b>30</b> working days.</p>
  <ul><li>Waiting times</li><li>EHCP quality</li></ul>
  <blockquote>&ldquo;We accept the findings,&rdquo; said a spokesperson.</blockquote>
  <div>Text in a div<br>after a break</div>
  <div class="related-articles"><h3>Related</h3><p>Another council's SEND inspection story</p></div>
</article>
<aside class="sidebar"><p>Most read stories of the week are listed here.</p></aside>
<footer><p>Copyright Local News 2023</p></footer>
</body></html>"#;

    #[test]
    fn extracts_article_and_drops_chrome() {
        let parsed = check(
            PAGE,
            Some("Council told to improve SEND"),
            &[
                "Inspectors found the council’s plans were \"inconsistent\" & slow.",
                "What happens next?",
                "The partnership’s plan is due in 30 working days.",
                "- Waiting times",
                "- EHCP quality",
                "“We accept the findings,” said a spokesperson.",
                "Text in a div",
                "after a break",
            ],
        );
        let meta = parsed.meta;
        assert_eq!(meta.site_name.as_deref(), Some("Local News"));
        assert_eq!(meta.url.as_deref(), Some("https://news.example/send"));
        assert_eq!(meta.published.as_deref(), Some("2023-06-09T10:00:00Z"));
        assert_eq!(meta.author.as_deref(), Some("Jo Bloggs"));
        assert_eq!(meta.description.as_deref(), Some("Inspectors found inconsistent outcomes."));
    }

    #[test]
    fn reads_json_ld_article_metadata() {
        let page = r#"<html><head><title>Site</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"Valley News"},
 {"@type":["NewsArticle"],"headline":"Wigan SEND services praised &amp; thanked",
  "datePublished":"2024-03-06T09:00:00Z","author":[{"@type":"Person","name":"Jo Bloggs"}],
  "publisher":{"@type":"Organization","name":"Valley News"},
  "mainEntityOfPage":{"@id":"https://valley.example/wigan"}}]}</script>
<script type="application/ld+json">{ not json</script></head>
<body><aside><time datetime="2020-01-01">1 Jan</time></aside>
<main><p>By Sam Smith | 7 March 2024</p>
<p>Inspectors found that the local area must improve its services.</p></main></body></html>"#;
        let parsed = parse(page);
        assert_eq!(parsed.title.as_deref(), Some("Wigan SEND services praised & thanked"));
        assert_eq!(parsed.meta.published.as_deref(), Some("2024-03-06T09:00:00Z"));
        assert_eq!(parsed.meta.author.as_deref(), Some("Jo Bloggs"));
        assert_eq!(parsed.meta.site_name.as_deref(), Some("Valley News"));
        assert_eq!(parsed.meta.url.as_deref(), Some("https://valley.example/wigan"));
        assert_eq!(
            parsed.paragraphs,
            ["Inspectors found that the local area must improve its services."]
        );
    }

    #[test]
    fn a_dateline_in_the_article_comes_before_a_sidebar_time() {
        let page = r#"<html><body><div class="sidebar"><time datetime="2020-01-01">x</time></div>
<div><p>Posted: March 2023</p><p>Inspectors found that the local area must improve its services.</p>
<p>Leaders said they would act on the findings quickly and in full.</p></div></body></html>"#;
        assert_eq!(parse(page).meta.published.as_deref(), Some("March 2023"));
    }

    #[test]
    fn reads_the_publication_date_from_the_meta_names_publishers_use() {
        for tag in [
            r#"<meta property="og:published_time" content="2024-05-14">"#,
            r#"<meta name="DC.date.issued" content="2024-05-14">"#,
            r#"<meta name="publish-date" content="2024-05-14">"#,
            r#"<meta name="parsely-pub-date" content="2024-05-14">"#,
            r#"<meta name="sailthru.date" content="2024-05-14">"#,
        ] {
            let page = format!(
                "<html><head>{tag}</head><body><p>Inspectors found that the local area must improve its services.</p></body></html>"
            );
            assert_eq!(parse(&page).meta.published.as_deref(), Some("2024-05-14"), "{tag}");
        }
    }

    #[test]
    fn deep_nesting_is_flattened_and_keeps_its_text() {
        let deep = |n: usize, close: bool| {
            format!(
                "<html><body>{}<p>Inspectors found that the local area must improve its services.</p>{}</body></html>",
                "<div>".repeat(n),
                if close { "</div>".repeat(n) } else { String::new() }
            )
        };
        // A page that never nests that deep is left as it is.
        let page = deep(50, true);
        assert!(matches!(limit_nesting(&page), std::borrow::Cow::Borrowed(_)));
        // Scripts, styles and comments are not counted.
        let page = format!(
            "<script>{}</script><!--{}--><p>x</p>",
            "<div>".repeat(1000),
            "<div>".repeat(1000)
        );
        assert!(matches!(limit_nesting(&page), std::borrow::Cow::Borrowed(_)));
        for close in [true, false] {
            let page = deep(20_000, close);
            let limited = limit_nesting(&page);
            assert!(limited.matches("<div>").count() <= MAX_NESTING, "close {close}");
            assert_eq!(
                parse(&page).paragraphs,
                ["Inspectors found that the local area must improve its services."]
            );
        }
        // Unclosed paragraphs of an old page do not count as nesting.
        let page =
            format!("<html><body>{}</body></html>", "<p>A paragraph of the page.".repeat(2_000));
        assert!(matches!(limit_nesting(&page), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn strips_site_suffix_from_title_tag() {
        check(
            r#"<html><head><title>SEND inspection report - Daily Echo</title>
            <meta property="og:site_name" content="Daily Echo"></head>
            <body><p>The report was published today by inspectors.</p></body></html>"#,
            Some("SEND inspection report"),
            &["The report was published today by inspectors."],
        );
    }

    #[test]
    fn keeps_title_suffix_that_is_not_the_site_name() {
        check(
            "<title>Inspection - what it means</title><p>Body text of the article.</p>",
            Some("Inspection - what it means"),
            &["Body text of the article."],
        );
    }

    #[test]
    fn takes_h1_and_time_from_the_article() {
        let parsed = check(
            r#"<body><div id="content"><h1>Dorset praised</h1>
            <time datetime="2023-05-10">10 May 2023</time>
            <p>Dorset is the first unitary authority to get the top outcome.</p>
            <p>Leaders welcomed the report.</p></div>
            <div class="comments"><p>Great news!</p></div></body>"#,
            Some("Dorset praised"),
            &[
                "Dorset is the first unitary authority to get the top outcome.",
                "Leaders welcomed the report.",
            ],
        );
        assert_eq!(parsed.meta.published.as_deref(), Some("2023-05-10"));
    }

    #[test]
    fn picks_the_element_with_most_paragraph_text() {
        check(
            r#"<body><div class="menu-wrap"><p>Short</p></div>
            <div class="story"><p>First long paragraph of the story itself.</p>
            <p>Second long paragraph of the story itself.</p></div></body>"#,
            None,
            &[
                "First long paragraph of the story itself.",
                "Second long paragraph of the story itself.",
            ],
        );
    }

    #[test]
    fn drops_account_bars_and_tag_lists_by_class() {
        check(
            r#"<body><div class="topbar"><a href="/subscribe">Subscribe</a> | <a href="/login">Sign in</a></div>
            <div id="user-account"><a>Your profile</a></div>
            <p>The partnership received the middle of three outcomes.</p>
            <p>Leaders said they would publish a plan within 30 working days.</p>
            <ul class="article-topics"><li>Education</li><li>Health</li></ul>
            <p class="tags">SEND, Ofsted, Education</p></body>"#,
            None,
            &[
                "The partnership received the middle of three outcomes.",
                "Leaders said they would publish a plan within 30 working days.",
            ],
        );
    }

    #[test]
    fn keeps_an_article_marked_with_a_boilerplate_word() {
        check(
            r#"<main><div class="content has-sidebar"><p>All the article text is in here.</p></div></main>"#,
            None,
            &["All the article text is in here."],
        );
    }
}
