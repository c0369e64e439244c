//! View models: one `#[derive(Template)]` struct per page, with every field ready to print.
//!
//! Templates only loop, branch on `Option`s and booleans, and print; dates are formatted,
//! URLs built and counts worded here or in the handlers. The one value a template may print
//! unescaped is a search snippet, which the index escapes and marks up itself.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::assets;
use crate::extract::{Outcome, QuoteKind, Theme};
use crate::index::QueryError;

/// What every page's frame needs.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The `<title>` and OpenGraph title.
    pub title: String,
    /// The meta description and OpenGraph description.
    pub description: String,
    /// The page's canonical path (`/areas/dudley`).
    pub canonical: String,
    /// OpenGraph type: `website` or `article`.
    pub og_type: &'static str,
    /// Which navigation item is current: `home`, `search`, `areas`, `themes`, `quotes`, `data`.
    pub nav: &'static str,
    /// The query to prefill the header's search box with.
    pub query: String,
    /// The page's JSON twin, if it has one.
    pub json_url: Option<String>,
    /// The page's Atom feed, if it has one.
    pub feed_url: Option<String>,
    /// The stylesheet's cache-busting path.
    pub css: &'static str,
    /// The script's cache-busting path.
    pub js: &'static str,
    /// The icon's cache-busting path.
    pub icon: &'static str,
}

impl Layout {
    /// A layout with the title, description and canonical path set.
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        canonical: impl Into<String>,
    ) -> Layout {
        let assets = assets::get();
        Layout {
            title: title.into(),
            description: description.into(),
            canonical: canonical.into(),
            og_type: "website",
            nav: "",
            query: String::new(),
            json_url: None,
            feed_url: None,
            css: assets.css_path(),
            js: assets.js_path(),
            icon: assets.icon_path(),
        }
    }
}

/// An outcome as a badge: the code for styling, the words, the official wording, a gloss.
#[derive(Debug, Clone)]
pub struct Badge {
    /// The outcome code (`inconsistent`), used as a CSS class.
    pub code: &'static str,
    /// The short label.
    pub label: &'static str,
    /// The official wording.
    pub wording: &'static str,
    /// The plain-English gloss.
    pub gloss: &'static str,
}

impl From<Outcome> for Badge {
    fn from(outcome: Outcome) -> Badge {
        Badge {
            code: outcome.code(),
            label: outcome.label(),
            wording: outcome.official_wording(),
            gloss: outcome.gloss(),
        }
    }
}

/// One inspection of the official record, on an area's page.
#[derive(Debug, Clone)]
pub struct OfficialView {
    /// "Area SEND inspection (2023 framework), January 2025".
    pub heading: String,
    /// "Inspected as Dorset County Council", for an inspection of an area this one replaced.
    pub former: Option<String>,
    /// The official outcome, when known.
    pub outcome: Option<Badge>,
    /// "20 January 2025 to 24 January 2025".
    pub visit: Option<String>,
    /// When the report was published.
    pub published: Option<String>,
    /// The report itself.
    pub report_url: Option<String>,
    /// Where the facts were found.
    pub source_url: String,
    /// The archive's articles that report it.
    pub articles: Vec<Link>,
    /// Where the articles differ from it, in words.
    pub differences: Vec<String>,
}

/// A link with its words.
#[derive(Debug, Clone)]
pub struct Link {
    /// The words.
    pub label: String,
    /// Where it goes.
    pub url: String,
}

/// A theme, praised or criticised, with the sentence that says so.
#[derive(Debug, Clone)]
pub struct ThemeEvidence {
    /// "Waiting times".
    pub label: &'static str,
    /// `/themes/waiting_times`.
    pub url: String,
    /// `strength` or `improvement`.
    pub polarity: &'static str,
    /// The evidence sentence.
    pub evidence: String,
    /// The paragraph it is in: `/articles/{slug}#p-N`.
    pub source_url: String,
    /// The article's title, on theme pages (which list evidence by area); empty elsewhere.
    pub source_title: String,
    /// The article's source and date ("Hartlepool Mail, 12 September 2025"), shown
    /// instead of its title where the page shows several articles; empty otherwise.
    pub source_note: String,
    /// Other themes the same sentence is evidence for, shown beside `label`.
    pub more_themes: Vec<Link>,
}

/// A theme reported only in an area's older articles: a link to those articles.
#[derive(Debug, Clone)]
pub struct OlderFinding {
    /// "Waiting times".
    pub label: &'static str,
    /// "praised" or "criticised".
    pub polarity: &'static str,
    /// How many of the area's articles report it.
    pub articles: usize,
    /// The search for them.
    pub url: String,
}

/// A quote, ready to show.
#[derive(Debug, Clone)]
pub struct QuoteView {
    /// Its number in the article.
    pub n: usize,
    /// `quote-N`.
    pub anchor: String,
    /// "David Stanley", "The letter" ...
    pub speaker: String,
    /// "cabinet member for children's services, Dudley Council".
    pub role_line: String,
    /// "Person", "Organisation", "Inspectors' report".
    pub kind_label: &'static str,
    /// `person`, `organisation`, `report`.
    pub kind: &'static str,
    /// The words, one entry per paragraph.
    pub paragraphs: Vec<String>,
    /// The quote's permalink: `/articles/{slug}#quote-N`.
    pub permalink: String,
    /// The article it is from (shown where quotes from many articles are listed).
    pub article: Option<Link>,
    /// The area it is about.
    pub area: Option<Link>,
}

impl QuoteView {
    /// Words for a quote kind.
    pub fn kind_label(kind: QuoteKind) -> &'static str {
        match kind {
            QuoteKind::Person => "Person",
            QuoteKind::Organisation => "Organisation",
            QuoteKind::Report => "Inspectors' report",
        }
    }
}

/// One search result.
#[derive(Debug, Clone)]
pub struct ResultView {
    /// Headline.
    pub title: String,
    /// `/articles/{slug}`.
    pub url: String,
    /// The area ("Dudley"), or a round-up's first.
    pub area: Option<Link>,
    /// A round-up's other areas, printed "Norfolk, Suffolk and Kent"; empty otherwise.
    pub more_areas: Vec<Link>,
    /// For a round-up, in place of one outcome badge: "Round-up of 3 inspections".
    pub roundup: Option<String>,
    /// "16 May 2018".
    pub published: Option<String>,
    /// The publisher.
    pub source: Option<String>,
    /// The outcome badge.
    pub badge: Option<Badge>,
    /// "2023 framework".
    pub framework: Option<String>,
    /// The passage, escaped, with `<b>` around matches. Safe to print unescaped.
    pub snippet_html: String,
}

/// One value of a facet.
#[derive(Debug, Clone)]
pub struct FacetValue {
    /// Words for the value.
    pub label: String,
    /// How many results have it.
    pub count: u64,
    /// The search with this value chosen (or, when chosen, removed).
    pub url: String,
    /// Whether it is the chosen value.
    pub selected: bool,
}

/// A facet: one filter dimension and its values.
#[derive(Debug, Clone)]
pub struct FacetGroup {
    /// The parameter name (`outcome`).
    pub name: &'static str,
    /// "Outcome".
    pub label: &'static str,
    /// The values shown, most common first (years newest first): the first few, and the
    /// chosen one wherever it ranks, or all of them when this facet is expanded.
    pub values: Vec<FacetValue>,
    /// How many values the facet has in all.
    pub total: usize,
    /// The link that shows all of them (`more=NAME`), when some are not shown.
    pub more_url: Option<String>,
    /// The link back to the first few, when all are shown and there are more than a few.
    pub fewer_url: Option<String>,
}

/// A filter in force, with a link that removes it.
#[derive(Debug, Clone)]
pub struct ActiveFilter {
    /// "Outcome: Inconsistent experiences (outcome 2)".
    pub label: String,
    /// The search without it.
    pub remove_url: String,
}

/// The search page.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    /// The frame.
    pub layout: Layout,
    /// What was typed.
    pub query: String,
    /// "3 articles match “waiting times”".
    pub summary: String,
    /// Whether anything matched.
    pub has_results: bool,
    /// This page of results.
    pub results: Vec<ResultView>,
    /// The facets.
    pub facets: Vec<FacetGroup>,
    /// Filters in force.
    pub active_filters: Vec<ActiveFilter>,
    /// The search sorted by relevance.
    pub sort_relevance_url: String,
    /// The search sorted newest first.
    pub sort_newest_url: String,
    /// Whether it is sorted newest first.
    pub sort_newest: bool,
    /// The previous page.
    pub prev_url: Option<String>,
    /// The next page.
    pub next_url: Option<String>,
    /// "Page 2 of 7".
    pub page_text: Option<String>,
    /// Areas whose names look like the query ("Dudly" → Dudley).
    pub suggestions: Vec<Link>,
    /// The query's filters as hidden inputs for the search form: (name, value).
    pub hidden_filters: Vec<(String, String)>,
}

/// The help page for search syntax.
#[derive(Template)]
#[template(path = "help.html")]
pub struct HelpPage {
    /// The frame.
    pub layout: Layout,
    /// Synonym groups, each as one line: "EHCP · EHC plan · education health and care plan".
    pub synonyms: Vec<String>,
    /// Theme ids and labels, for `theme:` searches.
    pub themes: Vec<(String, &'static str)>,
    /// Every outcome: code (for `outcome:` searches), label, official wording and gloss.
    pub outcomes: Vec<Badge>,
}

/// A row in a list of inspections.
#[derive(Debug, Clone)]
pub struct InspectionView {
    /// A stable anchor id on the area page.
    pub id: String,
    /// "Area SEND inspection, January 2025".
    pub heading: String,
    /// The area.
    pub area: Link,
    /// "2023 framework (area SEND inspection)".
    pub framework: Option<String>,
    /// "Full inspection", "Revisit", "Monitoring inspection".
    pub kind: Option<String>,
    /// "20 to 24 January 2025".
    pub visit: Option<String>,
    /// "11 March 2025".
    pub report_published: Option<String>,
    /// The outcome.
    pub badge: Option<Badge>,
    /// The articles that report it.
    pub sources: Vec<SourceView>,
}

/// An article as a source of an inspection entry.
#[derive(Debug, Clone)]
pub struct SourceView {
    /// Headline.
    pub title: String,
    /// `/articles/{slug}`.
    pub url: String,
    /// "Black Country Radio".
    pub source: Option<String>,
    /// "16 May 2018".
    pub published: Option<String>,
    /// For a round-up: "a round-up, also reporting Suffolk and Kent".
    pub roundup_note: Option<String>,
}

/// One bar of the national picture.
#[derive(Debug, Clone)]
pub struct ChartBar {
    /// The outcome's words.
    pub label: &'static str,
    /// The outcome code (CSS class).
    pub code: &'static str,
    /// How many inspections.
    pub count: usize,
    /// Bar geometry in the SVG's coordinates.
    pub y: usize,
    /// Width of the bar.
    pub width: usize,
    /// Where the count label goes.
    pub label_x: usize,
}

/// The national picture for one framework.
#[derive(Debug, Clone)]
pub struct FrameworkChart {
    /// "2023 framework: area SEND inspections".
    pub heading: String,
    /// The bars.
    pub bars: Vec<ChartBar>,
    /// The SVG's height.
    pub height: usize,
    /// The total.
    pub total: usize,
    /// A link to search these inspections.
    pub search_url: String,
}

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    /// The frame.
    pub layout: Layout,
    /// "5 articles about 5 inspections in 5 local areas".
    pub totals: String,
    /// Whether the national picture counts the official record (else the articles).
    pub official: bool,
    /// The national picture, per framework.
    pub charts: Vec<FrameworkChart>,
    /// The newest inspections.
    pub latest: Vec<InspectionView>,
    /// Every region, with its areas, for "a way into every area".
    pub regions: Vec<RegionView>,
}

/// An area in a list.
#[derive(Debug, Clone)]
pub struct AreaRow {
    /// "Dudley".
    pub name: String,
    /// `/areas/dudley`.
    pub url: String,
    /// "metropolitan borough".
    pub kind: String,
    /// Its latest outcome.
    pub badge: Option<Badge>,
    /// "2 articles", or "no articles yet".
    pub articles: String,
    /// Whether it has any article.
    pub covered: bool,
}

/// A region and its areas.
#[derive(Debug, Clone)]
pub struct RegionView {
    /// "West Midlands".
    pub name: String,
    /// An id for in-page links.
    pub id: String,
    /// Its areas.
    pub areas: Vec<AreaRow>,
}

/// The list of areas.
#[derive(Template)]
#[template(path = "areas.html")]
pub struct AreasPage {
    /// The frame.
    pub layout: Layout,
    /// Current areas by region.
    pub regions: Vec<RegionView>,
    /// Former areas.
    pub former: Vec<AreaRow>,
}

/// The areas the official record has no 2023-framework inspection of yet.
#[derive(Template)]
#[template(path = "uninspected.html")]
pub struct UninspectedPage {
    /// The frame.
    pub layout: Layout,
    /// The day the register was last checked, in words.
    pub checked: Option<String>,
    /// How many current areas there are.
    pub total: usize,
    /// How many of them are listed.
    pub count: usize,
    /// The areas, by region.
    pub regions: Vec<UninspectedRegion>,
}

/// A region's areas with no 2023-framework inspection found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UninspectedRegion {
    /// "North West".
    pub name: String,
    /// Its areas.
    pub areas: Vec<UninspectedArea>,
}

/// An area with no 2023-framework inspection found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UninspectedArea {
    /// "Rochdale".
    pub name: String,
    /// `/areas/rochdale`.
    pub url: String,
    /// `E08000005`.
    pub code: String,
    /// Its (or the area it replaced's) 2016-framework outcome, in words.
    pub last_2016: Option<String>,
}

/// One area's page.
#[derive(Template)]
#[template(path = "area.html")]
pub struct AreaPage {
    /// The frame.
    pub layout: Layout,
    /// "Dudley".
    pub name: String,
    /// "Dudley Metropolitan Borough Council".
    pub council: String,
    /// "Metropolitan borough in the West Midlands".
    pub description: String,
    /// "E08000027".
    pub code: String,
    /// Whether the area no longer exists.
    pub former: bool,
    /// Areas that replaced it.
    pub successors: Vec<Link>,
    /// Areas it replaced.
    pub predecessors: Vec<Link>,
    /// The latest outcome the articles report.
    pub latest: Option<Badge>,
    /// The latest official outcome, from the register.
    pub official_latest: Option<Badge>,
    /// The official record of the area's inspections, newest first.
    pub official: Vec<OfficialView>,
    /// This page of the inspections, newest first.
    pub timeline: Vec<InspectionView>,
    /// How many inspections the area has in all.
    pub timeline_count: usize,
    /// The number (from 1) of the first inspection on this page.
    pub timeline_first: usize,
    /// Newer inspections.
    pub prev_url: Option<String>,
    /// Older inspections.
    pub next_url: Option<String>,
    /// "Page 2 of 6".
    pub page_text: Option<String>,
    /// Themes praised.
    pub strengths: Vec<ThemeEvidence>,
    /// Themes criticised.
    pub improvements: Vec<ThemeEvidence>,
    /// Themes reported only in older articles, as links to them.
    pub older_findings: Vec<OlderFinding>,
    /// The newest quotes.
    pub quotes: Vec<QuoteView>,
    /// How many quotes the area's articles have in all.
    pub quotes_total: usize,
    /// Every quote from the area, when there are more than shown.
    pub quotes_more_url: Option<String>,
    /// A search within the area.
    pub search_url: String,
}

/// A paragraph of an article.
#[derive(Debug, Clone)]
pub struct ParagraphView {
    /// Its number, from 1.
    pub n: usize,
    /// `p-N`.
    pub anchor: String,
    /// The text (a list item without its "- ").
    pub text: String,
    /// Whether it is a list item.
    pub list_item: bool,
    /// Whether it is a list item that starts a list (the paragraph before is not one).
    pub list_start: bool,
    /// Whether it is a list item that ends a list (the paragraph after is not one).
    pub list_end: bool,
    /// Whether it reads as a heading.
    pub heading: bool,
}

/// A curated fact, shown with its provenance.
#[derive(Debug, Clone)]
pub struct CuratedView {
    /// "Publisher".
    pub field: String,
    /// The value.
    pub value: String,
    /// Where it came from.
    pub from: String,
}

/// An article's permalink page.
#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    /// The frame.
    pub layout: Layout,
    /// Headline.
    pub title: String,
    /// Publisher and original address.
    pub source: Option<Link>,
    /// The publisher's name when there is no address.
    pub source_name: Option<String>,
    /// Whether the publisher is curated.
    pub source_curated: bool,
    /// The byline.
    pub author: Option<String>,
    /// "16 May 2018".
    pub published: Option<String>,
    /// Whether the date is curated.
    pub published_curated: bool,
    /// The area (`None` for a round-up: see `roundup_areas`).
    pub area: Option<Link>,
    /// A round-up's areas, in article order; empty otherwise.
    pub roundup_areas: Vec<Link>,
    /// A round-up's opening line for its inspections ("This article reports 3 local
    /// areas' inspections: ...").
    pub roundup_summary: Option<String>,
    /// A round-up's inspections, one block per area (each with its findings); empty for an
    /// article about one area, whose inspection is the fields below.
    pub reports: Vec<ReportView>,
    /// The outcome.
    /// The official inspection it reports, from the register.
    pub official: Option<OfficialView>,
    pub badge: Option<Badge>,
    /// Whether the outcome is curated.
    pub outcome_curated: bool,
    /// The sentence the outcome was read from, linked to its paragraph.
    pub outcome_evidence: Option<Link>,
    /// "2023 framework".
    pub framework: Option<String>,
    /// "Full inspection".
    pub kind: Option<String>,
    /// "20 to 24 January 2025".
    pub visit: Option<String>,
    /// "11 March 2025".
    pub report_published: Option<String>,
    /// Themes praised.
    pub strengths: Vec<ThemeEvidence>,
    /// Themes criticised.
    pub improvements: Vec<ThemeEvidence>,
    /// Quotes, each at `#quote-N`.
    pub quotes: Vec<QuoteView>,
    /// The text, each paragraph at `#p-N`.
    pub paragraphs: Vec<ParagraphView>,
    /// Curated facts with provenance.
    pub curated: Vec<CuratedView>,
    /// Corrections.
    pub corrections: Vec<String>,
    /// The absolute-path permalink to cite.
    pub permalink: String,
    /// A ready-made citation.
    pub citation: String,
}

/// One area's inspection on a round-up's page.
#[derive(Debug, Clone)]
pub struct ReportView {
    /// The block's anchor: `inspection-{area slug}`.
    pub id: String,
    /// The area's page.
    pub area: Link,
    /// The outcome.
    pub badge: Option<Badge>,
    /// The sentence the outcome was read from, linked to its paragraph.
    pub outcome_evidence: Option<Link>,
    /// "2023 framework (area SEND inspection)".
    pub framework: Option<String>,
    /// "Full inspection".
    pub kind: Option<String>,
    /// "20 to 24 January 2025".
    pub visit: Option<String>,
    /// "11 March 2025".
    pub report_published: Option<String>,
    /// Themes praised in this area.
    pub strengths: Vec<ThemeEvidence>,
    /// Themes criticised in this area.
    pub improvements: Vec<ThemeEvidence>,
    /// The quotes about this area, by speaker, linking `#quote-N` below.
    pub quotes: Vec<Link>,
}

/// A theme in the list of themes.
#[derive(Debug, Clone)]
pub struct ThemeRow {
    /// "Waiting times".
    pub label: &'static str,
    /// `waiting_times`.
    pub id: &'static str,
    /// `/themes/waiting_times`.
    pub url: String,
    /// What it covers.
    pub covers: &'static str,
    /// How many areas were praised for it.
    pub praised: usize,
    /// How many were criticised for it.
    pub criticised: usize,
}

/// The list of themes.
#[derive(Template)]
#[template(path = "themes.html")]
pub struct ThemesPage {
    /// The frame.
    pub layout: Layout,
    /// Every theme.
    pub themes: Vec<ThemeRow>,
}

/// An area's findings on one theme.
#[derive(Debug, Clone)]
pub struct ThemeAreaRow {
    /// The area.
    pub area: Link,
    /// How many articles say so.
    pub count: usize,
    /// The evidence (the newest few).
    pub evidence: Vec<ThemeEvidence>,
}

/// One theme across the country.
#[derive(Template)]
#[template(path = "theme.html")]
pub struct ThemePage {
    /// The frame.
    pub layout: Layout,
    /// "Waiting times".
    pub label: &'static str,
    /// What it covers.
    pub covers: &'static str,
    /// Areas praised for it.
    pub praised: Vec<ThemeAreaRow>,
    /// Areas criticised for it.
    pub criticised: Vec<ThemeAreaRow>,
    /// A search for articles with the theme.
    pub search_url: String,
}

/// Who said what.
#[derive(Template)]
#[template(path = "quotes.html")]
pub struct QuotesPage {
    /// The frame.
    pub layout: Layout,
    /// The speaker filter.
    pub speaker: String,
    /// The role filter.
    pub role: String,
    /// The area filter (slug).
    pub area: String,
    /// Areas to choose from: (slug, name).
    pub areas: Vec<(String, String)>,
    /// "12 quotes".
    pub summary: String,
    /// The quotes.
    pub quotes: Vec<QuoteView>,
    /// The previous page.
    pub prev_url: Option<String>,
    /// The next page.
    pub next_url: Option<String>,
}

/// The data page: what can be downloaded and how.
#[derive(Template)]
#[template(path = "data.html")]
pub struct DataPage {
    /// The frame.
    pub layout: Layout,
    /// How many articles and inspections the downloads hold.
    pub totals: String,
}

/// An error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// The frame.
    pub layout: Layout,
    /// "Page not found".
    pub heading: String,
    /// What happened, for the visitor.
    pub message: String,
    /// For a rejected search: what was typed.
    pub query: Option<String>,
    /// For a rejected search: how to write it.
    pub hint: Option<String>,
    /// Whether to show the search syntax help.
    pub show_help: bool,
}

impl ErrorPage {
    fn new(heading: &str, message: String) -> ErrorPage {
        let mut layout = Layout::new(heading, message.clone(), "");
        layout.nav = "";
        ErrorPage {
            layout,
            heading: heading.to_string(),
            message,
            query: None,
            hint: None,
            show_help: false,
        }
    }

    /// 404.
    pub fn not_found() -> ErrorPage {
        ErrorPage::new(
            "Page not found",
            "There is no page at this address. It may have been mistyped; search the archive or browse the local areas instead."
                .to_string(),
        )
    }

    /// 400.
    pub fn bad_request(message: String) -> ErrorPage {
        ErrorPage::new("That request could not be understood", message)
    }

    /// A search the parser rejected.
    pub fn bad_query(query: String, error: QueryError) -> ErrorPage {
        let (message, hint) = match &error {
            QueryError::TooLong { .. } => (error.to_string(), None),
            QueryError::Syntax { message, hint } => {
                (format!("The search could not be run: {message}."), Some(hint.clone()))
            }
        };
        let mut page = ErrorPage::new("Let’s fix that search", message);
        page.layout.query = query.chars().take(200).collect();
        page.query = Some(query);
        page.hint = hint;
        page.show_help = true;
        page
    }

    /// 500.
    pub fn internal() -> ErrorPage {
        ErrorPage::new(
            "Something went wrong",
            "The archive could not show this page. Please try again in a moment.".to_string(),
        )
    }
}

/// A theme's label and what it covers.
pub fn theme_covers(theme: Theme) -> &'static str {
    match theme {
        Theme::IdentificationOfNeeds => {
            "Spotting needs early and accurately; the graduated response; SEN support."
        }
        Theme::EhcpQuality => {
            "How good Education, Health and Care Plans are: ambitious, joined up, with the child's views."
        }
        Theme::EhcpTimeliness => "Whether EHC plans are issued within the 20-week timescale.",
        Theme::AnnualReviews => "Whether EHC plans are reviewed every year, on time and well.",
        Theme::WaitingTimes => {
            "Waits for assessment, diagnosis, therapy, equipment and appointments."
        }
        Theme::MentalHealth => "CAMHS, emotional wellbeing and the risk of admission to hospital.",
        Theme::Neurodevelopmental => "Autism and ADHD assessment and diagnosis pathways.",
        Theme::Therapies => "Speech and language therapy, occupational therapy and physiotherapy.",
        Theme::Equipment => "Wheelchairs and other equipment.",
        Theme::LocalOffer => "The Local Offer: the published information on local services.",
        Theme::InformationAdvice => {
            "SENDIASS, and whether families know what help exists and how to get it."
        }
        Theme::Coproduction => "Working with the Parent Carer Forum and families as partners.",
        Theme::ChildVoice => {
            "Whether children's and young people's views are heard and shape their plans."
        }
        Theme::JointWorking => "Education, health and care working together.",
        Theme::JointCommissioning => "The council and the NHS commissioning services together.",
        Theme::Leadership => "Strategy, leaders' grip, capacity and the pace of change.",
        Theme::QualityAssurance => "Using data and quality assurance to evaluate and improve.",
        Theme::PreparingForAdulthood => "Moving to adult services, and independence.",
        Theme::Post16 => {
            "Provision after 16, and young people not in education, employment or training."
        }
        Theme::ExclusionsInclusion => {
            "Exclusions, inclusion in mainstream schools, attendance, children missing education."
        }
        Theme::AlternativeProvision => "Alternative provision.",
        Theme::ChildrenInCare => "Children looked after who have SEND.",
        Theme::Safeguarding => "Keeping children safe.",
        Theme::EarlyYears => "Support in the early years and the move into school.",
        Theme::ShortBreaks => "Short breaks, holiday clubs and activities.",
        Theme::PlacementSufficiency => {
            "Enough specialist school places, and enough kinds of place."
        }
        Theme::Transport => "Home-to-school transport.",
        Theme::Workforce => "Staff numbers, recruitment and training.",
    }
}

/// Renders any page template as an HTML response. One implementation for every page
/// (STYLE.md: implement `IntoResponse` once).
pub struct Html<T>(pub T);

impl<T: Template> IntoResponse for Html<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(body) => (
                [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))],
                body,
            )
                .into_response(),
            Err(error) => {
                tracing::error!("template error: {error}");
                (StatusCode::INTERNAL_SERVER_ERROR, "The page could not be rendered.")
                    .into_response()
            }
        }
    }
}

macro_rules! page_response {
    ($($page:ty),+) => {$(
        impl IntoResponse for $page {
            fn into_response(self) -> Response {
                Html(self).into_response()
            }
        }
    )+};
}

page_response!(
    SearchPage,
    HelpPage,
    HomePage,
    AreasPage,
    UninspectedPage,
    AreaPage,
    ArticlePage,
    ThemesPage,
    ThemePage,
    QuotesPage,
    DataPage,
    ErrorPage
);
