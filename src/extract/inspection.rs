//! What the Article says about the Inspection itself: its framework (2016 or 2023), its kind
//! (full, revisit, monitoring) and its Outcome, each with the sentence it was read from.
//!
//! One case-insensitive Aho-Corasick pass over each paragraph finds every signal phrase; only
//! the sentences holding a signal are then looked at closely. A signal is passed over when
//! the words before it in its sentence make it about something else: an earlier inspection
//! ("since its last inspection in 2019, when ..."), another LocalArea ("unlike neighbouring
//! X, which ..."), what inspectors looked at or could decide ("whether", "possible"), or a
//! negation ("do not typically lead to positive ..."). A sentence naming two or more of the
//! 2023 Outcomes is taken to describe the framework and gives none; national figures ("more
//! than half of the partnerships inspected ...") give none either. A denial just before
//! "written statement of action" ("will not have to produce a ...", "does not require the
//! area to produce a ...") is the No-WSoA Outcome. At a monitoring inspection, "taking
//! effective action" on the priority actions is sufficient progress. The Outcome is `None`
//! when the Article does not say: nothing is guessed.
//!
//! The visit date decides the framework when known (before 2023 is the 2016 framework);
//! failing that a publication date before 2023 does; failing that the wording does. A
//! press "action plan" counts as a Written Statement of Action only under the 2016 framework.
//! Signals in the title are used only when the paragraphs give none of that kind; their
//! evidence carries paragraph 0.
//!
//! The wordings are data, in `src/extract/rules/`: `outcomes.tsv` (Outcome phrasings and
//! progress judgements), `outcome_ranks.tsv` (rank paraphrases of the 2023 Outcomes: "the
//! middle of the three possible outcomes", "the most serious of the three judgements"),
//! `wsoa_wording.tsv` (obligations, verbs and document names from which "must now jointly
//! produce a written statement of action" or "have been told to draw up an action plan" is
//! recognised, and its negation "has not been asked to produce ...") and
//! `inspection_cues.tsv` (framework and kind cues). A 2016 "significant weaknesses" finding
//! counts as a WSoA only when nothing more explicit is said. Every decision carries a rule
//! naming the matched words and the table, for `extract --explain`.
//!
//! Left to others: dates (the `dates` module), the LocalArea, Themes and Quotes.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use serde::Deserialize;

use super::dates::Visit;
use super::model::{Evidence, Framework, Kind, Outcome, PartialDate};
use super::rules;
use super::sentences::sentence_spans;
use crate::corpus::slicing::ceil_char_boundary;

/// What the Article says about the Inspection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InspectionFacts {
    /// The inspection framework, when the Article's dates or wording tell.
    pub framework: Option<Framework>,
    /// The sentence that points to the framework (a cue, or the visit's sentence).
    pub framework_evidence: Option<Evidence>,
    /// How the framework was decided: `visit year 2024 -> 2023 framework`.
    pub framework_rule: Option<String>,
    /// Full, revisit or monitoring; `None` when no Inspection is reported.
    pub kind: Option<Kind>,
    /// How the kind was decided: `phrase "revisit" (inspection_cues.tsv) -> revisit`.
    pub kind_rule: Option<String>,
    /// The Outcome, only when the Article states it.
    pub outcome: Option<Outcome>,
    /// The sentence (or list item, or heading) where the Outcome is stated.
    pub outcome_evidence: Option<Evidence>,
    /// The rule that read the Outcome, naming the matched words: `phrase "inconsistent
    /// experiences and outcomes" (outcomes.tsv) -> inconsistent`.
    pub outcome_rule: Option<String>,
    /// The three rules above in one line (`framework: ...; kind: ...; outcome: ...`), for
    /// `extract --explain`.
    pub rule: String,
}

/// What a signal phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    /// An Outcome stated in words that belong to it alone.
    Outcome(Outcome),
    /// An obligation to produce an "action plan" for Ofsted: a WSoA only under the 2016
    /// framework.
    ActionPlan,
    /// "sufficient progress": classified by the rest of the sentence.
    Progress,
    /// "effective action": progress of a 2023 monitoring inspection, but only in a sentence
    /// about the priority actions or the monitoring inspection (a full inspection may praise
    /// "effective action" on anything).
    Action,
    /// "significant weaknesses": a WSoA under the 2016 framework, when nothing more explicit is
    /// said.
    Weakness,
    /// A name of the WSoA or action plan; an obligation before it makes it an Outcome. The
    /// number is its weight as 2016 wording (0 for "action plan", which both frameworks use).
    Document(i32),
    /// Wording of the 2023 framework, with a weight.
    F2023(i32),
    /// Wording of the 2016 framework, with a weight.
    F2016(i32),
    /// A 2016 revisit.
    Revisit,
    /// A 2023 monitoring inspection.
    Monitoring,
}

/// A row of `rules/outcomes.tsv`.
#[derive(Debug, Deserialize)]
struct OutcomeRow {
    phrase: String,
    signal: String,
    #[allow(dead_code)]
    note: Option<String>,
}

/// A row of `rules/inspection_cues.tsv`.
#[derive(Debug, Deserialize)]
struct CueRow {
    phrase: String,
    signal: String,
    weight: Option<i32>,
}

/// A row of `rules/outcome_ranks.tsv`.
#[derive(Debug, Deserialize)]
struct RankRow {
    rank: String,
    outcome: Outcome,
    needs_three: Option<String>,
}

/// A row of `rules/wsoa_wording.tsv`.
#[derive(Debug, Deserialize)]
struct WsoaRow {
    words: String,
    role: String,
}

static OUTCOME_ROWS: LazyLock<Vec<OutcomeRow>> =
    LazyLock::new(|| rules::table("outcomes.tsv", include_str!("rules/outcomes.tsv")));
static CUE_ROWS: LazyLock<Vec<CueRow>> = LazyLock::new(|| {
    rules::table("inspection_cues.tsv", include_str!("rules/inspection_cues.tsv"))
});
static RANK_ROWS: LazyLock<Vec<RankRow>> =
    LazyLock::new(|| rules::table("outcome_ranks.tsv", include_str!("rules/outcome_ranks.tsv")));
static WSOA_ROWS: LazyLock<Vec<WsoaRow>> =
    LazyLock::new(|| rules::table("wsoa_wording.tsv", include_str!("rules/wsoa_wording.tsv")));

/// The meaning of an `outcomes.tsv` signal cell.
fn outcome_signal(cell: &str) -> Option<Signal> {
    Some(match cell {
        "progress" => Signal::Progress,
        "effective_action" => Signal::Action,
        "significant_weakness" => Signal::Weakness,
        code => Signal::Outcome(code.parse().ok()?),
    })
}

/// The meaning of an `inspection_cues.tsv` row.
fn cue_signal(row: &CueRow) -> Option<Signal> {
    let weight = row.weight.unwrap_or(1);
    Some(match row.signal.as_str() {
        "framework_2023" => Signal::F2023(weight),
        "framework_2016" => Signal::F2016(weight),
        "revisit" => Signal::Revisit,
        "monitoring" => Signal::Monitoring,
        _ => return None,
    })
}

/// Every signal phrase with its meaning and the table it came from, from the three tables.
/// A document name that is also a 2016 cue ("written statement of action") is one document
/// signal carrying the cue's weight.
static SIGNALS: LazyLock<Vec<(String, Signal, &'static str)>> = LazyLock::new(|| {
    let mut signals: Vec<(String, Signal, &'static str)> = Vec::new();
    for row in OUTCOME_ROWS.iter() {
        let signal = outcome_signal(&row.signal)
            .unwrap_or_else(|| panic!("outcomes.tsv: unknown signal {:?}", row.signal));
        signals.push((row.phrase.to_ascii_lowercase(), signal, "outcomes.tsv"));
    }
    for row in WSOA_ROWS.iter().filter(|r| r.role == "document") {
        signals.push((row.words.to_ascii_lowercase(), Signal::Document(0), "wsoa_wording.tsv"));
    }
    for row in CUE_ROWS.iter() {
        let signal = cue_signal(row)
            .unwrap_or_else(|| panic!("inspection_cues.tsv: unknown signal {:?}", row.signal));
        let phrase = row.phrase.to_ascii_lowercase();
        match (signals.iter_mut().find(|(p, _, _)| *p == phrase), signal) {
            (Some((_, Signal::Document(w), _)), Signal::F2016(weight)) => *w = weight,
            (Some(_), _) => panic!("inspection_cues.tsv: {phrase:?} is in another table too"),
            (None, _) => signals.push((phrase, signal, "inspection_cues.tsv")),
        }
    }
    signals
});

static SIGNAL_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(SIGNALS.iter().map(|(p, _, _)| p))
        .expect("signal patterns are valid")
});

/// A table's words as a regex alternation, longest first, spaces matching any white space.
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut words: Vec<&str> = words.collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.iter().map(|w| regex::escape(w).replace(' ', r"\s+")).collect::<Vec<_>>().join("|")
}

/// A 2023 Outcome by rank: "the middle of the three possible outcomes", "the lowest rating",
/// "the second of the three outcome categories". Group `rank` is the rank word, group `three`
/// is present when "of (the) three" follows it.
static RANK: LazyLock<Regex> = LazyLock::new(|| {
    const NOUN: &str = r"(?:outcome\s+categor(?:y|ies)|outcomes?|judge?ments?|gradings?|grades?|ratings?|categor(?:y|ies)|verdicts?)";
    let ranks = alternation(RANK_ROWS.iter().map(|r| r.rank.as_str()));
    compile(&format!(
        r"(?i)\b(?P<rank>{ranks})\s+(?:(?P<three>of\s+(?:the\s+|its\s+)?(?:three|3))(?:\s+(?:possible|available|inspection))?(?:\s+{NOUN})?|(?:(?P<possible>possible|available)\s+)?{NOUN})\b"
    ))
});

/// Whether a paragraph may hold a [`RANK`] paraphrase, tested before that regex (whose
/// capture search is costly and finds nothing in nearly every paragraph): it needs one of the
/// rank words and, after it, a noun of [`RANK`] or "three". The test is on words alone, so it
/// never rules out a paraphrase the regex would find; as the regex's `(?i)` also lets 'ſ'
/// stand for 's' and the Kelvin sign for 'k', a paragraph holding either is always searched.
fn may_rank(paragraph: &str) -> bool {
    static RANK_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        let first_words = RANK_ROWS.iter().filter_map(|r| r.rank.split_whitespace().next());
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(first_words)
            .expect("rank words are valid patterns")
    });
    static NOUNS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(["outcome", "judg", "grad", "rating", "categor", "verdict", "three", "3"])
            .expect("rank nouns are valid patterns")
    });
    (RANK_WORDS.is_match(paragraph) || paragraph.contains(['\u{17f}', '\u{212a}']))
        && NOUNS.is_match(paragraph)
}

/// An obligation to produce a document, at the end of the text before the document's name:
/// "must now jointly produce a ", "have been told to draw up an ", "ordered the council and
/// its partners to submit a ". "..." in an obligation stands for up to eight words ("ordered
/// X to"); up to three words may stand before the verb of producing.
static OBLIGATION: LazyLock<Regex> = LazyLock::new(|| {
    fn role(name: &'static str) -> impl Iterator<Item = &'static str> {
        WSOA_ROWS.iter().filter(move |r| r.role == name).map(|r| r.words.as_str())
    }
    let obligations: Vec<String> = role("obligation")
        .map(|w| {
            w.split("...")
                .map(|part| regex::escape(part.trim()).replace(' ', r"\s+"))
                .collect::<Vec<_>>()
                .join(r"(?:\s+[^\s.;:!?]+){0,8}?\s+")
        })
        .collect();
    let productions = alternation(role("production"));
    compile(&format!(
        r"(?i)\b(?P<obligation>{})\s+(?:[^\s.;:!?]+\s+){{0,3}}?(?:{productions})\s+(?:a|an|the|its|their)\s+(?:[^\s.;:!?]+\s+){{0,2}}$",
        obligations.join("|")
    ))
});

/// A negation just before an obligation: "will not have to", "does not require the area to".
static NEGATED: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:not|n't|never|no\s+longer)\s+(?:be\s+|been\s+|being\s+)?$")
});

/// Words before a signal, in its sentence, that make it about an earlier inspection, another
/// LocalArea, a possibility or a plan, or deny it.
static DISTRACTOR: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?ix)
        \b(?:last|previous|prior|earlier|initial|original|first)\s+(?:full\s+|local\s+area\s+|area\s+|send\s+|joint\s+)?(?:inspection|visit)
      | \b(?:previous|old|former|earlier|last)\s+(?:inspection\s+)?framework\b | \bareas\s+(?:with|that|which|where)\b
      | \b(?:19|20)\d\d,?\s+when\b | \bpreviously\b | \bat\s+the\s+time\b | \bback\s+in\b | \blast\s+time\b
      | \bunlike\b | \bneighbouring\b | \bcompared\s+(?:with|to)\b | \bother\s+(?:local\s+)?(?:areas|councils|authorities|partnerships)\b
      | \bin\s+contrast\b | \bwhereas\b | \bsimilar\s+to\b | \bnationally\b | \bper\s+cent\b | %
      | \b(?:areas|partnerships|councils|authorities)\s+inspected\b
      | \b(?:half|majority|most|third|thirds|quarter|proportion|number)\s+of\s+(?:the\s+|all\s+)?(?:local\s+)?(?:area\s+)?(?:areas|partnerships|councils|authorities|inspections)\b
      | \blooked\s+at\b | \blook\s+at\b | \bwhether\b | \bpossible\b | \bcould\b | \bcan\b | \bmay\b | \bmight\b | \bwould\b
      | \bif\b | \beither\b | \bhope\w*\b | \baim\w*\b | \bavoid\w*\b | \bwant\w*\b
      | \bnot\b | \bnever\b | \bn't\b | \bno\b | \bnor\b
    ",
    )
});

/// Words just before "written statement of action" that say none is required.
static NOT_REQUIRED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?ix)
        \b(?:not|n't|never|no\s+longer)\s+(?:be\s+|been\s+|being\s+|have\s+|has\s+|had\s+)?
        (?:required|require|requires|have\s+to|has\s+to|had\s+to|need|needs|needed|asked|told|obliged)\s+
        (?:(?:(?:the|this|that|its|their|our)\s+(?:\w+\s+){0,3}|it\s+|them\s+|us\s+)?(?:to\s+)?
           (?:produce|submit|write|prepare|draw\s+up)(?:\s+and\s+(?:submit|produce|publish))?\s+)?
        (?:a|an)\s+$
    ",
    )
});

/// A negation just before "required to produce ...".
static NOT_BE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:not|n't|never|no\s+longer)\s+(?:be\s+|been\s+|being\s+)?$")
});

/// Words anywhere in a sentence that make a revisit or monitoring cue about the future.
static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:will|within|next|due|expected|would|months|followed\s+by|lead\s+to|leads\s+to|could|may)\b",
    )
});

/// A sentence that says too little progress was made.
static INSUFFICIENT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\binsufficient\s+progress|\bnot\s+(?:yet\s+)?(?:made|making|make|achieved|shown|demonstrated)\s+(?:\w+\s+)?sufficient\s+progress|\bn't\s+(?:yet\s+)?(?:made|make)\s+(?:\w+\s+)?sufficient\s+progress|\bfailed\s+to\s+make\s+sufficient\s+progress|\black\s+of\s+sufficient\s+progress|\b(?:not|n't)\s+(?:yet\s+)?(?:been\s+)?(?:taking|taken|take)\s+(?:\w+\s+)?effective\s+action|\bfailed\s+to\s+take\s+effective\s+action|\black\s+of\s+effective\s+action|\b(?:sufficient\s+progress|effective\s+action)\b[^.;]{0,80}?\bbut\s+not\b",
    )
});

/// A sentence about a monitoring inspection's priority actions, where "effective action" is
/// its finding.
static ABOUT_PRIORITIES: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\bmonitoring\b|\bpriority\s+(?:actions?|areas?)\b|\bareas?\s+(?:of\s+concern|for\s+priority\s+action)\b",
    )
});

/// "sufficient progress in (addressing) 3 of the 5": a count of weaknesses.
static PROGRESS_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?:(?:sufficient|enough)\s+progress|effective\s+action)(?:\s+(?:had|has|have)\s+been\s+(?:made|taken))?\s+(?:in|on|against|to\s+address)\s+(?:addressing\s+)?(?:only\s+|just\s+)?(\w+)\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+)?(\w+)",
    )
});

/// What inspectors would judge rather than what they found.
static PROGRESS_HYPOTHETICAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:whether|if|will|would|could|to\s+check|to\s+see|to\s+assess|to\s+judge|to\s+determine|looked\s+at|look\s+at)\b",
    )
});

/// One signal found in the Article.
struct Found<'a> {
    signal: Signal,
    /// The Outcome a `Progress` signal was classified as.
    progress: Option<Outcome>,
    /// The sentence it is in; made into [`Evidence`] only for the signals that decide.
    sentence: &'a str,
    /// The byte offset of the sentence in its paragraph.
    sentence_start: usize,
    /// The byte offset of the signal in its sentence.
    at: usize,
    /// The index of the paragraph the sentence is in.
    paragraph: usize,
    /// Whether the words before it make it about something else.
    distracted: bool,
    /// Whether its sentence speaks of the future (for kind cues).
    future: bool,
    /// Whether it came from the title.
    in_title: bool,
    /// The rule that recognised it, naming the matched words and the table.
    rule: String,
}

impl Found<'_> {
    fn evidence(&self) -> Evidence {
        Evidence::new(self.sentence, self.paragraph)
    }
}

/// Reads the framework, kind and Outcome of the Inspection an Article reports. `visit` and
/// `published` are what the `dates` module found; they decide the framework when they can.
pub fn find(
    title: Option<&str>,
    paragraphs: &[String],
    visit: Option<&Visit>,
    published: Option<PartialDate>,
) -> InspectionFacts {
    let mut found = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        collect(paragraph, index, false, &mut found);
    }
    if let Some(title) = title {
        collect(title, 0, true, &mut found);
    }
    // A return visit or progress judgement after a year before this visit's, in its sentence,
    // is an earlier revisit ("when they returned in early 2020, they found ...").
    if let Some(visit_year) = visit.and_then(|v| v.start.year) {
        for f in &mut found {
            let follow_up = matches!(
                f.signal,
                Signal::Progress | Signal::Action | Signal::Revisit | Signal::Monitoring
            );
            if follow_up
                && YEAR
                    .find_iter(f.sentence.get(..f.at).unwrap_or_default())
                    .any(|y| y.as_str().parse::<i32>().is_ok_and(|y| y < visit_year))
            {
                f.distracted = true;
            }
        }
    }

    let (framework, framework_evidence, framework_rule) = framework(&found, visit, published);
    let (mut kind, mut kind_rule) = kind(&found, framework, title, paragraphs);
    let (outcome, outcome_evidence, outcome_rule) = match outcome(&found, framework, kind) {
        Some((o, e, r)) => (Some(o), Some(e), Some(r)),
        None => (None, None, None),
    };
    // An Article that states an Outcome reports an Inspection, whatever words it uses.
    if kind.is_none() && outcome.is_some() {
        kind = Some(Kind::Full);
        kind_rule = Some("an outcome is stated -> full".to_string());
    }
    let rule = [("framework", &framework_rule), ("kind", &kind_rule), ("outcome", &outcome_rule)]
        .iter()
        .filter_map(|(name, rule)| rule.as_ref().map(|r| format!("{name}: {r}")))
        .collect::<Vec<_>>()
        .join("; ");
    InspectionFacts {
        framework,
        framework_evidence,
        framework_rule,
        kind,
        kind_rule,
        outcome,
        outcome_evidence,
        outcome_rule,
        rule,
    }
}

/// A signal's place in a paragraph, its meaning and how it was recognised.
struct Hit {
    start: usize,
    end: usize,
    signal: Signal,
    rule: String,
}

/// The signals of a paragraph, in order: the table phrases (Aho-Corasick) and the 2023
/// rank paraphrases (a regex).
fn hits(paragraph: &str) -> Vec<Hit> {
    let mut hits: Vec<Hit> = SIGNAL_FINDER
        .find_iter(paragraph)
        .filter(|m| at_word_boundary(paragraph, m.start(), m.end()))
        .map(|m| {
            let (_, signal, table) = &SIGNALS[m.pattern().as_usize()];
            let words = paragraph.get(m.start()..m.end()).unwrap_or_default();
            Hit {
                start: m.start(),
                end: m.end(),
                signal: *signal,
                rule: format!("phrase {words:?} ({table})"),
            }
        })
        .collect();
    let mut ranked = false;
    let ranks = may_rank(paragraph).then(|| RANK.captures_iter(paragraph));
    for c in ranks.into_iter().flatten() {
        let (Some(whole), Some(rank)) = (c.get(0), c.name("rank")) else { continue };
        let word = rank.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(row) = RANK_ROWS.iter().find(|r| r.rank.eq_ignore_ascii_case(&word)) else {
            continue;
        };
        // "best" or "worst" alone may be anything's; "of three" makes it an outcome's rank,
        // and so does "possible" before one outcome ("the best possible rating"), but not
        // an aim for many ("the best possible outcomes for children").
        if row.needs_three.is_some() && c.name("three").is_none() && !one_possible(paragraph, &c) {
            continue;
        }
        // A table phrase over the same words ("middle outcome") already says it.
        if hits.iter().any(|h| h.start < whole.end() && whole.start() < h.end) {
            continue;
        }
        ranked = true;
        hits.push(Hit {
            start: whole.start(),
            end: whole.end(),
            signal: Signal::Outcome(row.outcome),
            rule: format!("rank {:?} (outcome_ranks.tsv)", whole.as_str()),
        });
    }
    if ranked {
        hits.sort_by_key(|h| h.start);
    }
    hits
}

/// Whether a rank's match is "possible" (or "available") before a singular outcome noun that
/// no "for" follows: "the best possible outcome", not "the best possible outcomes for".
fn one_possible(paragraph: &str, c: &regex::Captures) -> bool {
    let Some(whole) = c.get(0) else { return false };
    let noun = whole.as_str().rsplit(char::is_whitespace).next().unwrap_or_default();
    let after = paragraph.get(whole.end()..).unwrap_or_default().trim_start();
    c.name("possible").is_some()
        && !noun.ends_with(['s', 'S'])
        && !after.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("for "))
}

/// Finds the signals of one paragraph (or the title) and judges each in its sentence.
fn collect<'a>(paragraph: &'a str, index: usize, in_title: bool, found: &mut Vec<Found<'a>>) {
    let first_new = found.len();
    // Sentences are found only for the paragraphs that need them: splitting is the costly part.
    let mut units: Option<Vec<(usize, usize)>> = None;
    let mut unit_outcomes: Vec<(usize, Outcome)> = Vec::new();
    for hit in hits(paragraph) {
        let start = hit.start;
        let units = units.get_or_insert_with(|| self::units(paragraph));
        let Some(&(s, e)) = units.iter().find(|(s, e)| *s <= start && start < *e) else {
            continue;
        };
        let unit = &paragraph[s..e];
        let before =
            &paragraph[ceil_char_boundary(paragraph, s.max(start.saturating_sub(160)))..start];
        let Hit { mut signal, mut rule, .. } = hit;
        if let Signal::Document(weight) = signal {
            let document = paragraph.get(hit.start..hit.end).unwrap_or_default();
            let is_plan = document.to_ascii_lowercase().contains("plan");
            if let Some(o) = OBLIGATION.captures(before).and_then(|c| c.name("obligation")) {
                let negated = NEGATED.is_match(&before[..o.start()]);
                let phrase = format!("{}{document}", &before[o.start()..]);
                signal = match (negated, is_plan) {
                    (false, false) => Signal::Outcome(Outcome::WsoaRequired),
                    (false, true) => Signal::ActionPlan,
                    (true, false) => Signal::Outcome(Outcome::NoWsoa),
                    (true, true) => Signal::F2016(0),
                };
                let what = if negated { "negated obligation" } else { "obligation" };
                rule = format!("{what} {phrase:?} (wsoa_wording.tsv)");
            } else if !is_plan && NOT_REQUIRED.is_match(before) {
                // "does not need a WSoA": a denial without a verb of producing.
                let denial = NOT_REQUIRED.find(before).map_or("", |m| m.as_str());
                signal = Signal::Outcome(Outcome::NoWsoa);
                rule = format!("denial \"{denial}{document}\"");
            } else {
                signal = Signal::F2016(weight);
            }
        }
        // "will not be required to produce a written statement of action".
        if signal == Signal::Outcome(Outcome::WsoaRequired)
            && rule.starts_with("phrase \"required")
            && NOT_BE.is_match(before)
        {
            signal = Signal::Outcome(Outcome::NoWsoa);
            rule = format!("negated {rule}");
        }
        // "no significant weaknesses": under the 2016 framework, no WSoA.
        if signal == Signal::Weakness && NO_WEAKNESS.is_match(before) {
            signal = Signal::Outcome(Outcome::NoWsoa);
            rule = format!("negated {rule}");
        }
        // Negations are part of the No-WSoA phrases themselves, and framework cues do not
        // depend on what precedes them.
        let distracted = match signal {
            Signal::Outcome(Outcome::NoWsoa) => DISTRACTOR.find_iter(before).any(|d| {
                !["not", "no", "n't", "never", "nor"]
                    .iter()
                    .any(|n| d.as_str().eq_ignore_ascii_case(n))
            }),
            Signal::Outcome(_) | Signal::ActionPlan => DISTRACTOR.is_match(before),
            // Another year in the sentence makes bare "significant weaknesses" an earlier
            // inspection's, or another area's ("Sheffield's 2018 inspection identified ...").
            Signal::Weakness => DISTRACTOR.is_match(before) || YEAR.is_match(unit),
            Signal::Progress | Signal::Action => {
                PROGRESS_HYPOTHETICAL.is_match(before) || past_or_other(before)
            }
            Signal::Revisit | Signal::Monitoring => past_or_other(before),
            _ => false,
        };
        let progress = match signal {
            Signal::Progress => classify_progress(unit),
            Signal::Action if ABOUT_PRIORITIES.is_match(unit) => classify_progress(unit),
            _ => None,
        };
        if let Some(p) = progress {
            rule = format!("{rule} in a sentence read as {}", p.code());
        }
        if let Signal::Outcome(o) = signal
            && !distracted
        {
            unit_outcomes.push((s, o));
        }
        let future =
            matches!(signal, Signal::Revisit | Signal::Monitoring) && FUTURE.is_match(unit);
        found.push(Found {
            signal,
            progress,
            sentence: unit,
            sentence_start: s,
            at: start - s,
            paragraph: index,
            distracted,
            future,
            in_title,
            rule,
        });
    }
    // A sentence naming two or more 2023 Outcomes describes the framework, not a finding.
    let mut listing: Vec<usize> = Vec::new();
    for &(s, o) in &unit_outcomes {
        if o.framework() == Some(Framework::F2023)
            && unit_outcomes
                .iter()
                .any(|&(s2, o2)| s2 == s && o2 != o && o2.framework() == Some(Framework::F2023))
        {
            listing.push(s);
        }
    }
    if !listing.is_empty() {
        for f in &mut found[first_new..] {
            if listing.contains(&f.sentence_start) && matches!(f.signal, Signal::Outcome(_)) {
                f.distracted = true;
            }
        }
    }
}

/// "no" (or "did not find any") just before "significant weaknesses".
static NO_WEAKNESS: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:no|not\s+(?:find|found|identify|identified|highlight|highlighted)\s+any|without\s+any)\s+(?:areas?\s+of\s+)?$",
    )
});

/// A four-digit year.
static YEAR: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(?:19|20)\d\d\b"));

/// Whether the words before a progress phrase put it in the past or in another LocalArea.
fn past_or_other(before: &str) -> bool {
    static PAST_OR_OTHER: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\b(?:unlike|neighbouring|compared\s+(?:with|to)|other\s+areas|previously|last\s+revisit|previous\s+revisit)\b",
        )
    });
    PAST_OR_OTHER.is_match(before)
}

/// Whether a progress sentence reports sufficient or insufficient progress.
fn classify_progress(unit: &str) -> Option<Outcome> {
    if INSUFFICIENT.is_match(unit) {
        return Some(Outcome::InsufficientProgress);
    }
    if let Some(c) = PROGRESS_COUNT.captures(unit) {
        let (n, of) = (count_word(&c[1]), count_word(&c[2]));
        match (c[1].to_ascii_lowercase().as_str(), n, of) {
            ("all" | "each" | "every", _, _) => return Some(Outcome::SufficientProgress),
            (_, Some(n), Some(of)) if n < of => return Some(Outcome::InsufficientProgress),
            (_, Some(n), Some(of)) if n == of => return Some(Outcome::SufficientProgress),
            _ => {}
        }
    }
    // "sufficient progress in all four of its areas of weakness", "in each of them".
    static ALL: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)(?:(?:sufficient|enough)\s+progress|effective\s+action)\s+(?:in|on|against|to\s+address)\s+(?:addressing\s+)?(?:all|each|every)\b",
        )
    });
    if ALL.is_match(unit) {
        return Some(Outcome::SufficientProgress);
    }
    static MADE: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\b(?:made|making|make|shown|demonstrated|achieved)\s+(?:\w+\s+)?(?:sufficient|enough)\s+progress|\b(?:taking|taken|takes)\s+(?:\w+\s+)?effective\s+action",
        )
    });
    MADE.is_match(unit).then_some(Outcome::SufficientProgress)
}

/// A small number written as digits or a word.
fn count_word(word: &str) -> Option<u32> {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let lower = word.to_ascii_lowercase();
    lower
        .parse()
        .ok()
        .or_else(|| WORDS.iter().position(|w| *w == lower).and_then(|i| u32::try_from(i).ok()))
}

/// Decides the framework: the visit's year, else the publication year before 2023, else the
/// weight of the wording. Returns the framework, its evidence and the rule.
fn framework(
    found: &[Found],
    visit: Option<&Visit>,
    published: Option<PartialDate>,
) -> (Option<Framework>, Option<Evidence>, Option<String>) {
    let cue = |f: &Found| -> Option<(Framework, i32)> {
        match f.signal {
            Signal::F2023(w) if w > 0 => Some((Framework::F2023, w)),
            Signal::F2016(w) if w > 0 => Some((Framework::F2016, w)),
            Signal::Outcome(o) if !f.distracted => o.framework().map(|fw| (fw, 3)),
            Signal::Revisit if !f.future && !f.distracted => Some((Framework::F2016, 1)),
            Signal::Monitoring if !f.future && !f.distracted => Some((Framework::F2023, 1)),
            _ => None,
        }
    };
    let best_cue = |fw: Framework| -> Option<&Found> {
        let mut best: Option<(i32, &Found)> = None;
        for f in found {
            if let Some((c, w)) = cue(f)
                && c == fw
                && best.is_none_or(|(bw, _)| w > bw)
            {
                best = Some((w, f));
            }
        }
        best.map(|(_, f)| f)
    };

    let visit_year = visit.and_then(|v| v.start.year.or(v.end.year));
    if let Some(year) = visit_year {
        let fw = if year < 2023 { Framework::F2016 } else { Framework::F2023 };
        // Revisits of areas with a written statement of action went on after the 2023
        // framework began: a progress judgement or revisit beside the WSoA's name, with no
        // wording of the new framework, is one of them.
        let wsoa =
            found.iter().any(|f| !f.distracted && matches!(f.signal, Signal::F2016(w) if w >= 2));
        let follow_up = found.iter().any(|f| {
            !f.distracted && !f.future && matches!(f.signal, Signal::Progress | Signal::Revisit)
        });
        let new_wording = found.iter().any(|f| cue(f).is_some_and(|(c, _)| c == Framework::F2023));
        if fw == Framework::F2023 && wsoa && follow_up && !new_wording {
            let rule = format!(
                "visit year {year}, but a revisit judged against a written statement of action, with no 2023 wording -> 2016 framework"
            );
            return (
                Some(Framework::F2016),
                best_cue(Framework::F2016).map(Found::evidence),
                Some(rule),
            );
        }
        let evidence = visit.map(|v| v.evidence.clone());
        let rule = format!("visit year {year} -> {} framework", fw.code());
        return (Some(fw), evidence, Some(rule));
    }
    if let Some(year) = published.and_then(|p| p.year)
        && year < 2023
    {
        let rule = format!("publication year {year}, before 2023 -> 2016 framework");
        return (
            Some(Framework::F2016),
            best_cue(Framework::F2016).map(Found::evidence),
            Some(rule),
        );
    }
    let (mut new, mut old) = (0, 0);
    for (fw, w) in found.iter().filter_map(cue) {
        match fw {
            Framework::F2023 => new += w,
            Framework::F2016 => old += w,
        }
    }
    let fw = match new.cmp(&old) {
        std::cmp::Ordering::Greater => Framework::F2023,
        std::cmp::Ordering::Less => Framework::F2016,
        std::cmp::Ordering::Equal => return (None, None, None),
    };
    let strongest = best_cue(fw);
    let rule = format!(
        "wording weighs 2023 {new} against 2016 {old} -> {} framework; strongest cue {}",
        fw.code(),
        strongest.map_or("none", |f| f.rule.as_str())
    );
    (Some(fw), strongest.map(Found::evidence), Some(rule))
}

/// Decides the kind: revisit or monitoring when the Article reports one (or a progress
/// judgement), full when it reports an Inspection at all. Returns the kind and the rule.
fn kind(
    found: &[Found],
    framework: Option<Framework>,
    title: Option<&str>,
    paragraphs: &[String],
) -> (Option<Kind>, Option<String>) {
    let cue =
        |signal: Signal| found.iter().find(|f| f.signal == signal && !f.future && !f.distracted);
    if let Some(f) = cue(Signal::Monitoring)
        && framework != Some(Framework::F2016)
    {
        return (Some(Kind::Monitoring), Some(format!("{} -> monitoring", f.rule)));
    }
    if let Some(f) = cue(Signal::Revisit)
        && framework != Some(Framework::F2023)
    {
        return (Some(Kind::Revisit), Some(format!("{} -> revisit", f.rule)));
    }
    if let Some(f) = found.iter().find(|f| f.progress.is_some() && !f.distracted) {
        let kind =
            if framework == Some(Framework::F2023) { Kind::Monitoring } else { Kind::Revisit };
        return (Some(kind), Some(format!("progress judgement {} -> {}", f.rule, kind.code())));
    }
    let reports_inspection = |t: &str| t.contains("nspect") || t.contains("NSPECT");
    (title.is_some_and(reports_inspection) || paragraphs.iter().any(|p| reports_inspection(p)))
        .then(|| {
            (Kind::Full, "the article reports an inspection (\"inspect...\") -> full".to_string())
        })
        .map_or((None, None), |(k, r)| (Some(k), Some(r)))
}

/// Decides the Outcome among the undistracted signals that fit the framework and kind. The
/// most often stated wins, the earliest on a tie; insufficient progress beats sufficient.
/// "significant weaknesses" counts only when nothing else states an Outcome.
fn outcome(
    found: &[Found],
    framework: Option<Framework>,
    kind: Option<Kind>,
) -> Option<(Outcome, Evidence, String)> {
    let follow_up = matches!(kind, Some(Kind::Revisit | Kind::Monitoring));
    let mut candidates: Vec<(Outcome, &Found)> = found
        .iter()
        .filter(|f| !f.distracted)
        .filter_map(|f| match f.signal {
            Signal::Outcome(o) => Some((o, f)),
            Signal::ActionPlan if framework == Some(Framework::F2016) => {
                Some((Outcome::WsoaRequired, f))
            }
            Signal::Progress | Signal::Action => f.progress.map(|o| (o, f)),
            _ => None,
        })
        .filter(|(o, _)| match (o.framework(), framework) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        // A revisit or monitoring Article recalls the earlier Outcome; only progress counts.
        .filter(|(o, _)| o.framework().is_none() == follow_up)
        .collect();
    if candidates.is_empty() {
        candidates = outcome_weak(found, framework, kind, follow_up);
    }
    // Title signals count only when the paragraphs state no Outcome.
    let body: Vec<(Outcome, &Found)> =
        candidates.iter().filter(|(_, f)| !f.in_title).copied().collect();
    let pool = if body.is_empty() { candidates } else { body };
    let decide = |o: Outcome, f: &Found| {
        let rule = format!("{} -> {}", f.rule, o.code());
        (o, f.evidence(), rule)
    };
    if let Some((o, f)) = pool.iter().find(|(o, _)| *o == Outcome::InsufficientProgress) {
        return Some(decide(*o, f));
    }
    let mut best: Option<(usize, Outcome, &Found)> = None;
    for (o, f) in &pool {
        let count = pool.iter().filter(|(o2, _)| o2 == o).count();
        if best.is_none_or(|(c, _, _)| count > c) {
            best = Some((count, *o, f));
        }
    }
    best.map(|(_, o, f)| decide(o, f))
}

/// The weak candidates: "significant weaknesses" found at a 2016 full inspection.
fn outcome_weak<'f, 'a>(
    found: &'f [Found<'a>],
    framework: Option<Framework>,
    kind: Option<Kind>,
    follow_up: bool,
) -> Vec<(Outcome, &'f Found<'a>)> {
    if follow_up || framework != Some(Framework::F2016) || kind.is_none() {
        return Vec::new();
    }
    found
        .iter()
        .filter(|f| !f.distracted && f.signal == Signal::Weakness)
        .map(|f| (Outcome::WsoaRequired, f))
        .collect()
}

/// Whether a match stands at word boundaries (so "icb" is not inside a word and "outcome 1"
/// is not "outcome 10").
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The sentences of a paragraph as byte ranges, with line breaks also ending a sentence.
fn units(paragraph: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in paragraph.split('\n') {
        out.extend(sentence_spans(line).into_iter().map(|(s, e)| (s + offset, e + offset)));
        offset += line.len() + 1;
    }
    out
}

/// Compiles one of this module's constant patterns. Word boundaries and digit and word
/// classes are made ASCII, which keeps the regexes on the fast DFA path even when a paragraph
/// holds curly quotes (Unicode word boundaries make the engine fall back to a slow one).
fn compile(pattern: &str) -> Regex {
    let ascii =
        pattern.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]").replace(r"\w", "[0-9A-Za-z_]");
    Regex::new(&ascii).expect("the module's patterns are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_string).collect()
    }

    fn visit_in(year: i32) -> Visit {
        let date = PartialDate::new(Some(year), Some(3), None).expect("valid");
        Visit {
            start: date,
            end: date,
            text: "in March".into(),
            evidence: Evidence::new("It was in March.", 0),
            rule: String::new(),
        }
    }

    /// Checks framework, kind and outcome codes for an article; `visit_year` stands for the
    /// visit the dates module found.
    fn check(
        text: &str,
        visit_year: Option<i32>,
        expected: (Option<&str>, Option<&str>, Option<&str>),
    ) {
        let visit = visit_year.map(visit_in);
        let facts = find(None, &paras(text), visit.as_ref(), None);
        let got = (
            facts.framework.map(|f| f.code().to_string()),
            facts.kind.map(|k| k.code().to_string()),
            facts.outcome.map(|o| o.code().to_string()),
        );
        let want = (
            expected.0.map(str::to_string),
            expected.1.map(str::to_string),
            expected.2.map(str::to_string),
        );
        assert_eq!(got, want, "{text:?}");
        assert_eq!(facts.outcome.is_some(), facts.outcome_evidence.is_some());
    }

    /// Checks the outcome's evidence sentence.
    fn check_evidence(text: &str, visit_year: Option<i32>, expected: &str) {
        let visit = visit_year.map(visit_in);
        let facts = find(None, &paras(text), visit.as_ref(), None);
        assert_eq!(facts.outcome_evidence.map(|e| e.sentence), Some(expected.to_string()));
    }

    const DUDLEY: &str = "A recent inspection by Ofsted and the Care Quality Commission has highlighted improvements in Dudley’s local SEND services but has said that inconsistent experiences and outcomes remain for some children.\n\nThe local area partnership, comprising council, health, and local school services, must work together to make further improvements.\n\nBetween January 20 and January 24 inspectors visited Dudley since its last visit in 2022.\n\nNeil Bucktin, Dudley Managing Director, Black Country Integrated Care Board said: “This is a pleasing outcome.”\n\nThe next full area SEND inspection will be within approximately three years.";

    const WORCESTERSHIRE: &str = "A joint inspection to judge how effectively the County Council and the NHS Worcestershire Clinical Commissioning Groups have implemented the special educational needs and disability (SEND) reforms as set out in the Children and Families Act 2014 was conducted in March.\n\nInspectors looked at the local information that is provided across the county.\n\nPartners are now required to produce and submit an action plan to Ofsted";

    const DORSET_TITLE: &str = "Three-week inspection finds local authority and NHS services ‘typically lead to positive experiences and outcomes for children and young people’";

    const DORSET: &str = "‘Children and young people with SEND and their families are placed at the heart of all that leaders do,’ begins the glowing endorsement by the Care Quality Commission (CQC) and regulator Ofsted of the Dorset local area partnership. Dorset Council is the first unitary authority to achieve such a result from a local SEND inspection under the new framework.\n\nThe three-week inspection of services took place in March this year.\n\nMore than 1,000 partners contributed to the inspection by completing a survey. The result is very positive.";

    const SOUTH_GLOS: &str = "Concerns have been raised about the quality of support for children with SEND in South Gloucestershire, with inspectors finding that long-standing issues are yet to be addressed.\n\nDuring a visit in November, Ofsted and health watchdog the Care Quality Commission found that senior leaders have been too slow to implement disability and SEN reforms.\n\nMeanwhile, the leadership of the clinical commissioning group was found to have been strengthened.";

    const SOUTHEND: &str = "What was the inspection outcome?\nThe report has found that the SEND Partnership's arrangements has lead to inconsistent experiences and outcomes for children and young people and their families.\n\nThe inspection started almost as soon as the partnership received the call on 20 February, but inspectors were physically in Southend-on-Sea between 6 to 10 March 2023.\n\nSouthend-on-Sea is the fourth area that has been inspected under the new framework, introduced in January 2023.\nThere are three gradings and Southend has received the middle outcome, or outcome two, which is in line with other areas inspected so far.\n\nOFSTED and the CQC require an approved action plan be submitted within 30 working days of the publication of the report.\n\nFrances Bolger, Chief Nurse, Mid and South Essex Integrated Care Board, said: “We welcome the findings.”";

    #[test]
    fn reads_the_seed_articles() {
        check(DUDLEY, None, (Some("2023"), Some("full"), Some("inconsistent")));
        check(WORCESTERSHIRE, Some(2018), (Some("2016"), Some("full"), Some("wsoa_required")));
        check(SOUTH_GLOS, Some(2017), (Some("2016"), Some("full"), None));
        check(SOUTHEND, Some(2023), (Some("2023"), Some("full"), Some("inconsistent")));
        let facts = find(Some(DORSET_TITLE), &paras(DORSET), None, None);
        assert_eq!(facts.framework, Some(Framework::F2023));
        assert_eq!(facts.kind, Some(Kind::Full));
        assert_eq!(facts.outcome, Some(Outcome::Positive));
        // Without the title, Dorset's paragraphs never state the outcome in words.
        check(DORSET, None, (Some("2023"), Some("full"), None));
    }

    #[test]
    fn a_wsoa_revisit_after_2022_is_still_under_the_2016_framework() {
        let text = "Inspectors returned to the area in March to check progress against the written statement of action. They found sufficient progress in all five areas.";
        check(text, Some(2023), (Some("2016"), Some("revisit"), Some("sufficient_progress")));
        // A monitoring inspection that mentions the old statement stays under the new one.
        let text = "A monitoring inspection in March found the partnership had taken effective action on all its priority actions. Its written statement of action dates from 2019.";
        check(text, Some(2023), (Some("2023"), Some("monitoring"), Some("sufficient_progress")));
    }

    #[test]
    fn reads_plain_paraphrases_of_outcomes() {
        let y2024 = Some(2024);
        let y2019 = Some(2019);
        check(
            "The partnership received the best possible outcome.",
            y2024,
            (Some("2023"), Some("full"), Some("positive")),
        );
        check(
            "It was given the worst possible rating.",
            y2024,
            (Some("2023"), Some("full"), Some("systemic_failings")),
        );
        check(
            "Inspectors identified widespread failings.",
            y2024,
            (Some("2023"), Some("full"), Some("systemic_failings")),
        );
        check(
            "Inspectors said experiences and outcomes were inconsistent.",
            y2024,
            (Some("2023"), Some("full"), Some("inconsistent")),
        );
        check(
            "The area had made enough progress in each of the areas of weakness.",
            y2019,
            (Some("2016"), Some("revisit"), Some("sufficient_progress")),
        );
        check(
            "Sufficient progress had been made in only one of the four areas.",
            y2019,
            (Some("2016"), Some("revisit"), Some("insufficient_progress")),
        );
        // An aim is not a rank.
        check(
            "The council wants the best possible outcomes for children.",
            y2024,
            (Some("2023"), None, None),
        );
        check(
            "Leaders want the best possible outcome for every child.",
            y2024,
            (Some("2023"), None, None),
        );
    }

    #[test]
    fn gives_the_sentence_that_states_the_outcome() {
        check_evidence(
            WORCESTERSHIRE,
            Some(2018),
            "Partners are now required to produce and submit an action plan to Ofsted",
        );
        check_evidence(
            SOUTHEND,
            Some(2023),
            "The report has found that the SEND Partnership's arrangements has lead to inconsistent experiences and outcomes for children and young people and their families.",
        );
    }

    #[test]
    fn reads_all_seven_outcomes() {
        check(
            "The area's SEND arrangements typically lead to positive experiences and outcomes for children and young people with SEND.",
            None,
            (Some("2023"), Some("full"), Some("positive")),
        );
        check(
            "Inspectors found that the local area partnership's arrangements lead to inconsistent experiences and outcomes.",
            None,
            (Some("2023"), Some("full"), Some("inconsistent")),
        );
        check(
            "Inspectors found widespread and/or systemic failings leading to significant concerns.",
            None,
            (Some("2023"), Some("full"), Some("systemic_failings")),
        );
        check(
            "Ofsted has determined that a written statement of action is required because of significant areas of weakness.",
            Some(2019),
            (Some("2016"), Some("full"), Some("wsoa_required")),
        );
        check(
            "The council is not required to produce a written statement of action after the inspection.",
            Some(2019),
            (Some("2016"), Some("full"), Some("no_wsoa")),
        );
        check(
            "The revisit found the area has made sufficient progress in addressing all of the significant weaknesses identified at the initial inspection.",
            Some(2019),
            (Some("2016"), Some("revisit"), Some("sufficient_progress")),
        );
        check(
            "The revisit found the area has not made sufficient progress in two of the five significant weaknesses.",
            Some(2019),
            (Some("2016"), Some("revisit"), Some("insufficient_progress")),
        );
    }

    #[test]
    fn reads_press_variants_of_the_2023_outcomes() {
        check(
            "Southend has received the middle outcome of the new inspection.",
            None,
            (Some("2023"), Some("full"), Some("inconsistent")),
        );
        check(
            "The inspection gave Leeds outcome one.",
            None,
            (Some("2023"), Some("full"), Some("positive")),
        );
        check(
            "The inspection rated the area outcome three.",
            None,
            (Some("2023"), Some("full"), Some("systemic_failings")),
        );
        check(
            "The inspection awarded the lowest of the three outcomes.",
            None,
            (Some("2023"), Some("full"), Some("systemic_failings")),
        );
        check(
            "The inspection awarded the highest of the three outcomes.",
            None,
            (Some("2023"), Some("full"), Some("positive")),
        );
        check(
            "After the inspection, the result is an inconsistent outcome.",
            None,
            (Some("2023"), Some("full"), Some("inconsistent")),
        );
        // "outcome 10" is not outcome 1.
        check("The inspection looked at outcome 10 of the plan.", None, (None, Some("full"), None));
    }

    #[test]
    fn reads_denials_of_a_wsoa_in_other_words() {
        for text in [
            "Bournemouth will not have to produce a written statement of action following a joint inspection.",
            "The outcome letter, published this week, does not require the area to produce a written statement of action.",
            "The area will not be required to produce a written statement of action, Ofsted and the CQC have said.",
            "The inspection found the council does not need a WSoA.",
        ] {
            check(text, Some(2017), (Some("2016"), Some("full"), Some("no_wsoa")));
        }
        // Another area's WSoA, and one that is required, are not denials.
        check(
            "Unlike neighbouring Poole, which was told last year that it must submit a written statement of action, the inspection found no significant weaknesses.",
            Some(2018),
            (Some("2016"), Some("full"), None),
        );
        check(
            "After the inspection the council must produce a written statement of action.",
            Some(2018),
            (Some("2016"), Some("full"), Some("wsoa_required")),
        );
    }

    #[test]
    fn ignores_national_figures() {
        check(
            "More than half of the local area partnerships inspected under the new area SEND inspection framework have been told that their arrangements lead to inconsistent experiences and outcomes for children and young people.",
            None,
            (Some("2023"), Some("full"), None),
        );
        check(
            "Most of the areas inspected this year got the middle outcome. The inspection of Kent found inconsistent experiences and outcomes.",
            Some(2024),
            (Some("2023"), Some("full"), Some("inconsistent")),
        );
    }

    #[test]
    fn reads_effective_action_at_a_monitoring_inspection() {
        check(
            "Thurrock's local area partnership is taking effective action to address the areas of concern identified at its last full inspection, according to a monitoring inspection by Ofsted.",
            Some(2025),
            (Some("2023"), Some("monitoring"), Some("sufficient_progress")),
        );
        check(
            "Inspectors judged that the partnership is taking effective action on all three priority actions.",
            Some(2025),
            (Some("2023"), Some("monitoring"), Some("sufficient_progress")),
        );
        check(
            "The monitoring inspection found the partnership is taking effective action on two of the three priority actions.",
            Some(2025),
            (Some("2023"), Some("monitoring"), Some("insufficient_progress")),
        );
        check(
            "The monitoring inspection found the partnership is not taking effective action on its priority actions.",
            Some(2025),
            (Some("2023"), Some("monitoring"), Some("insufficient_progress")),
        );
        // A full inspection may praise effective action on anything.
        check(
            "The inspection found the partnership's arrangements typically lead to positive experiences and outcomes. Leaders have taken effective action to cut waiting times.",
            Some(2024),
            (Some("2023"), Some("full"), Some("positive")),
        );
    }

    #[test]
    fn counts_progress_in_some_weaknesses_as_insufficient() {
        check(
            "The revisit found sufficient progress in 3 of the 5 significant weaknesses.",
            Some(2019),
            (Some("2016"), Some("revisit"), Some("insufficient_progress")),
        );
        check(
            "The revisit found sufficient progress in addressing five of the five weaknesses.",
            Some(2019),
            (Some("2016"), Some("revisit"), Some("sufficient_progress")),
        );
        check(
            "Inspectors found the area has made sufficient progress in addressing each of the significant weaknesses.",
            Some(2020),
            (Some("2016"), Some("revisit"), Some("sufficient_progress")),
        );
    }

    #[test]
    fn any_weakness_without_progress_makes_progress_insufficient() {
        for text in [
            "The revisit found sufficient progress in four of its five areas of weakness.",
            "The revisit found sufficient progress in only two of the four weaknesses.",
            "The revisit found the area had made sufficient progress on leadership but not on joint commissioning.",
        ] {
            check(text, Some(2019), (Some("2016"), Some("revisit"), Some("insufficient_progress")));
        }
        check(
            "The revisit found sufficient progress in all four of its areas of weakness.",
            Some(2019),
            (Some("2016"), Some("revisit"), Some("sufficient_progress")),
        );
    }

    #[test]
    fn reads_a_wsoa_given_to_the_area() {
        for text in [
            "After the inspection the area was issued with a written statement of action.",
            "The inspection left the council and the CCG with a WSoA to produce.",
        ] {
            check(text, Some(2018), (Some("2016"), Some("full"), Some("wsoa_required")));
        }
        // Counts of areas nationally are not this area's outcome.
        check(
            "Of the first seven areas inspected in the region, six had been handed a written statement of action.",
            Some(2018),
            (Some("2016"), Some("full"), None),
        );
    }

    #[test]
    fn an_earlier_years_revisit_is_not_this_inspection() {
        check(
            "The inspection found widespread and/or systemic failings. When inspectors returned in early 2020, they found sufficient progress in only seven of the 12 weaknesses.",
            Some(2024),
            (Some("2023"), Some("full"), Some("systemic_failings")),
        );
    }

    #[test]
    fn reads_monitoring_inspections() {
        check(
            "A monitoring inspection found the local area partnership has made sufficient progress in addressing each of the areas for priority action.",
            Some(2024),
            (Some("2023"), Some("monitoring"), Some("sufficient_progress")),
        );
        check(
            "At the monitoring inspection the partnership had not made sufficient progress in two of the four areas for priority action, which followed systemic failings found in 2022.",
            Some(2024),
            (Some("2023"), Some("monitoring"), Some("insufficient_progress")),
        );
    }

    #[test]
    fn a_future_monitoring_inspection_is_still_a_full_inspection() {
        check(
            "The inspection found widespread and/or systemic failings. A monitoring inspection will take place within 18 months.",
            Some(2024),
            (Some("2023"), Some("full"), Some("systemic_failings")),
        );
        check(
            "A written statement of action is required after the inspection. Inspectors will revisit the area.",
            Some(2017),
            (Some("2016"), Some("full"), Some("wsoa_required")),
        );
    }

    #[test]
    fn a_revisit_does_not_report_the_earlier_wsoa_as_its_outcome() {
        check(
            "Inspectors revisited Bury, where a written statement of action was required in 2017.",
            Some(2019),
            (Some("2016"), Some("revisit"), None),
        );
    }

    #[test]
    fn ignores_an_earlier_inspections_outcome() {
        check(
            "The area has improved since its last inspection in 2019, when a written statement of action was required.\n\nInspectors visited in March.",
            Some(2023),
            (Some("2023"), Some("full"), None),
        );
        check(
            "The previous inspection found systemic failings. This inspection found arrangements that typically lead to positive experiences and outcomes.",
            Some(2024),
            (Some("2023"), Some("full"), Some("positive")),
        );
    }

    #[test]
    fn ignores_what_the_old_framework_required_of_areas_in_general() {
        check(
            "Under the previous framework, areas with significant weaknesses were required to produce a written statement of action (WSOA) explaining how they would address them.\n\nThe inspection found inconsistent experiences and outcomes.",
            Some(2024),
            (Some("2023"), Some("full"), Some("inconsistent")),
        );
    }

    #[test]
    fn ignores_other_areas_in_comparisons() {
        check(
            "The inspection praised Thurrock, unlike neighbouring Essex, which was judged to have systemic failings.",
            Some(2024),
            (Some("2023"), Some("full"), None),
        );
        check(
            "Of the areas inspected so far, 40 per cent got the middle outcome. The inspection of Kent is under way.",
            Some(2024),
            (Some("2023"), Some("full"), None),
        );
    }

    #[test]
    fn ignores_what_inspectors_looked_at_or_could_decide() {
        check(
            "Inspectors looked at whether the area had made sufficient progress in addressing the significant weaknesses.",
            Some(2019),
            (Some("2016"), Some("full"), None),
        );
        check(
            "Inspectors looked at whether a written statement of action is required.",
            Some(2018),
            (Some("2016"), Some("full"), None),
        );
        check(
            "Under the new framework an inspection can find positive experiences, inconsistent experiences and outcomes, or widespread and/or systemic failings.",
            None,
            (Some("2023"), Some("full"), None),
        );
        check(
            "The inspection found the arrangements do not typically lead to positive experiences for children.",
            Some(2024),
            (Some("2023"), Some("full"), None),
        );
    }

    #[test]
    fn action_plans_are_a_wsoa_only_under_the_2016_framework() {
        let text = "After the inspection, OFSTED and the CQC require an approved action plan be submitted within 30 working days. The partnership must produce an action plan.";
        check(text, Some(2023), (Some("2023"), Some("full"), None));
        check(text, Some(2018), (Some("2016"), Some("full"), Some("wsoa_required")));
    }

    #[test]
    fn tells_frameworks_apart_by_wording() {
        check(
            "The integrated care board welcomed the inspection.",
            None,
            (Some("2023"), Some("full"), None),
        );
        check(
            "The inspection of the council and the CCG ended.",
            None,
            (Some("2016"), Some("full"), None),
        );
        check(
            "The inspection looked at how the SEND reforms were implemented.",
            None,
            (Some("2016"), Some("full"), None),
        );
        check("The report was welcomed.", None, (None, None, None));
        // A publication date before 2023 decides even against new wording.
        let facts = find(
            None,
            &paras("The new framework inspection."),
            None,
            PartialDate::new(Some(2017), Some(5), None),
        );
        assert_eq!(facts.framework, Some(Framework::F2016));
    }

    #[test]
    fn the_rank_prefilter_passes_every_paragraph_the_rank_regex_matches() {
        for text in [
            "The area received the middle of the three possible outcomes.",
            "It was given the LOWEST rating available.",
            "Inspectors gave the second of 3 outcome categories.",
            "the most   serious\njudgement",
            "It got the be\u{17f}t of the three outcomes.",
        ] {
            assert!(RANK.is_match(text), "{text:?}");
            assert!(may_rank(text), "{text:?}");
        }
        for text in ["The first visit was in March.", "Three inspectors came.", ""] {
            assert!(!may_rank(text), "{text:?}");
        }
    }

    #[test]
    fn every_rules_table_reads_and_means_something() {
        for row in OUTCOME_ROWS.iter() {
            assert!(outcome_signal(&row.signal).is_some(), "outcomes.tsv: {:?}", row.signal);
            assert_eq!(row.phrase, row.phrase.trim(), "outcomes.tsv: stray space");
        }
        for row in CUE_ROWS.iter() {
            assert!(cue_signal(row).is_some(), "inspection_cues.tsv: {:?}", row.signal);
            let framework = row.signal.starts_with("framework_");
            assert_eq!(framework, row.weight.is_some(), "inspection_cues.tsv: {:?}", row.phrase);
        }
        for row in RANK_ROWS.iter() {
            assert_eq!(row.outcome.framework(), Some(Framework::F2023), "{:?}", row.rank);
            assert!(matches!(row.needs_three.as_deref(), None | Some("yes")), "{:?}", row.rank);
        }
        for row in WSOA_ROWS.iter() {
            assert!(
                ["obligation", "production", "document"].contains(&row.role.as_str()),
                "wsoa_wording.tsv: {:?}",
                row.role
            );
        }
        // Building the finders checks that phrases are unique across tables.
        assert!(SIGNALS.len() > 50);
        let _ = (&*SIGNAL_FINDER, &*RANK, &*OBLIGATION);
    }

    #[test]
    fn reads_obligations_to_produce_a_wsoa_in_many_words() {
        for text in [
            "Inspectors have ordered the council and the district's NHS commissioners to draw up a written statement of action.",
            "The council and its NHS partners have been told to produce a written statement of action.",
            "The council and the CCG must now jointly produce a written statement of action.",
            "The area has been asked to submit a WSoA to Ofsted.",
        ] {
            check(text, Some(2019), (Some("2016"), Some("full"), Some("wsoa_required")));
        }
        check(
            "The council and the CCG must now submit an action plan to Ofsted.",
            Some(2019),
            (Some("2016"), Some("full"), Some("wsoa_required")),
        );
        for text in [
            "Walsall has not been asked to produce a written statement of action.",
            "The area will not have to draw up a written statement of action.",
            "The letter does not require the area to produce a written statement of action.",
        ] {
            check(text, Some(2019), (Some("2016"), Some("full"), Some("no_wsoa")));
        }
        // Another area's obligation, or areas in general, are not this area's outcome.
        check(
            "Neighbouring Rochdale was also told to draw up a written statement of action after its inspection.",
            Some(2019),
            (Some("2016"), Some("full"), None),
        );
    }

    #[test]
    fn names_the_rule_and_words_that_decided() {
        let facts = find(
            None,
            &paras("Inspectors have told the council to draw up a written statement of action."),
            Some(&visit_in(2019)),
            None,
        );
        let rule = facts.outcome_rule.expect("an outcome rule");
        assert!(
            rule.contains("told the council to draw up a written statement of action"),
            "{rule}"
        );
        assert!(rule.contains("wsoa_wording.tsv") && rule.ends_with("-> wsoa_required"), "{rule}");
        assert_eq!(facts.framework_rule.as_deref(), Some("visit year 2019 -> 2016 framework"));
        assert!(facts.rule.starts_with("framework: visit year 2019"), "{}", facts.rule);
        let facts = find(None, &paras("The report was welcomed."), None, None);
        assert_eq!((facts.outcome_rule, facts.rule.as_str()), (None, ""));
    }

    #[test]
    fn reads_significant_weaknesses_as_a_wsoa_only_when_nothing_else_is_said() {
        check(
            "The inspection found significant weaknesses in the area's arrangements.",
            Some(2018),
            (Some("2016"), Some("full"), Some("wsoa_required")),
        );
        check(
            "The inspection identified no significant weaknesses.",
            Some(2018),
            (Some("2016"), Some("full"), Some("no_wsoa")),
        );
        // Another inspection's weaknesses, with its year, are not this one's.
        check(
            "The inspection praised leaders. Leeds's 2017 inspection found significant weaknesses.",
            Some(2018),
            (Some("2016"), Some("full"), None),
        );
        // A 2023 inspection's "significant weaknesses" say nothing about a WSoA.
        check(
            "The inspection found significant weaknesses in the area's arrangements.",
            Some(2024),
            (Some("2023"), Some("full"), None),
        );
    }

    #[test]
    fn reads_2023_outcomes_by_rank() {
        for (text, outcome) in [
            (
                "Inspectors placed the city in the middle of the three possible outcomes.",
                "inconsistent",
            ),
            (
                "The inspection put the partnership in the second of the three outcome categories.",
                "inconsistent",
            ),
            ("The borough was given the middle of three judgements.", "inconsistent"),
            ("The inspection gave the county the lowest rating.", "systemic_failings"),
            (
                "The inspection gave the area the most serious of the three outcomes.",
                "systemic_failings",
            ),
            ("The partnership received the highest of the three possible judgements.", "positive"),
        ] {
            check(text, Some(2024), (Some("2023"), Some("full"), Some(outcome)));
        }
        // Ordinals and everyday superlatives need "of the three".
        for text in [
            "The inspection was the first judgement under the new framework.",
            "Leaders said the inspection was about getting the best outcomes for children.",
        ] {
            check(text, Some(2024), (Some("2023"), Some("full"), None));
        }
        check(
            "The inspection praised leaders. Neighbouring Kent received the same middle outcome last year.",
            Some(2024),
            (Some("2023"), Some("full"), None),
        );
    }

    #[test]
    fn another_areas_revisit_does_not_make_this_one_a_revisit() {
        check(
            "The inspection found inconsistent experiences and outcomes. Neighbouring Bury was found at a 2022 revisit to have made sufficient progress in six of the eight weaknesses.",
            Some(2024),
            (Some("2023"), Some("full"), Some("inconsistent")),
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "ICB",
            "outcome 1",
            "’’’ systemic failings ‘",
            "\n\n",
            "sufficient progress in ü of the é",
            "must ’ produce a “written statement of action”",
            "the ’middle’ of the three outcomes",
        ] {
            let _ = find(Some(text), &[text.to_string()], None, None);
        }
        // Multi-byte characters at every distance before a signal, so that the fixed window
        // of bytes looked at before it starts inside a character somewhere.
        for pad in 0..8 {
            let text = format!(
                "{} told the council to draw up a written statement of action; {} the middle of the three outcomes",
                "é’".repeat(60 + pad),
                "ü".repeat(pad)
            );
            let _ = find(Some(&text), std::slice::from_ref(&text), Some(&visit_in(2019)), None);
        }
    }
}
