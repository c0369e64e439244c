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
//! Left to others: dates (the `dates` module), the LocalArea, Themes and Quotes.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::dates::Visit;
use super::model::{Evidence, Framework, Kind, Outcome, PartialDate};
use super::sentences::sentence_spans;

/// What the Article says about the Inspection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InspectionFacts {
    /// The inspection framework, when the Article's dates or wording tell.
    pub framework: Option<Framework>,
    /// The sentence that points to the framework (a cue, or the visit's sentence).
    pub framework_evidence: Option<Evidence>,
    /// Full, revisit or monitoring; `None` when no Inspection is reported.
    pub kind: Option<Kind>,
    /// The Outcome, only when the Article states it.
    pub outcome: Option<Outcome>,
    /// The sentence (or list item, or heading) where the Outcome is stated.
    pub outcome_evidence: Option<Evidence>,
}

/// What a signal phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    /// An Outcome stated in words that belong to it alone.
    Outcome(Outcome),
    /// A press "action plan" for Ofsted: a WSoA only under the 2016 framework.
    ActionPlan,
    /// "sufficient progress": classified by the rest of the sentence.
    Progress,
    /// "effective action": progress of a 2023 monitoring inspection, but only in a sentence
    /// about the priority actions or the monitoring inspection (a full inspection may praise
    /// "effective action" on anything).
    Action,
    /// Wording of the 2023 framework, with a weight.
    F2023(i32),
    /// Wording of the 2016 framework, with a weight.
    F2016(i32),
    /// A 2016 revisit.
    Revisit,
    /// A 2023 monitoring inspection.
    Monitoring,
}

/// Every signal phrase, matched case-insensitively at word boundaries; the longest match at a
/// position wins, so "not required to produce a written statement of action" beats
/// "written statement of action".
const SIGNALS: &[(&str, Signal)] = &[
    // Outcome 1.
    ("typically lead to positive experiences", Signal::Outcome(Outcome::Positive)),
    ("typically leads to positive experiences", Signal::Outcome(Outcome::Positive)),
    ("typically lead to positive outcomes", Signal::Outcome(Outcome::Positive)),
    ("lead to positive experiences and outcomes", Signal::Outcome(Outcome::Positive)),
    ("leads to positive experiences and outcomes", Signal::Outcome(Outcome::Positive)),
    ("outcome one", Signal::Outcome(Outcome::Positive)),
    ("outcome 1", Signal::Outcome(Outcome::Positive)),
    ("highest of the three outcomes", Signal::Outcome(Outcome::Positive)),
    ("best of the three outcomes", Signal::Outcome(Outcome::Positive)),
    ("highest possible outcome", Signal::Outcome(Outcome::Positive)),
    ("highest outcome", Signal::Outcome(Outcome::Positive)),
    ("top outcome", Signal::Outcome(Outcome::Positive)),
    // Outcome 2.
    ("inconsistent experiences and outcomes", Signal::Outcome(Outcome::Inconsistent)),
    ("inconsistent experiences", Signal::Outcome(Outcome::Inconsistent)),
    ("inconsistent outcome", Signal::Outcome(Outcome::Inconsistent)),
    ("outcome two", Signal::Outcome(Outcome::Inconsistent)),
    ("outcome 2", Signal::Outcome(Outcome::Inconsistent)),
    ("middle outcome", Signal::Outcome(Outcome::Inconsistent)),
    ("middle of the three outcomes", Signal::Outcome(Outcome::Inconsistent)),
    ("second of the three outcomes", Signal::Outcome(Outcome::Inconsistent)),
    ("must work jointly to make improvements", Signal::Outcome(Outcome::Inconsistent)),
    // Outcome 3.
    ("widespread and/or systemic failings", Signal::Outcome(Outcome::SystemicFailings)),
    ("widespread and or systemic failings", Signal::Outcome(Outcome::SystemicFailings)),
    ("widespread or systemic failings", Signal::Outcome(Outcome::SystemicFailings)),
    ("widespread and systemic failings", Signal::Outcome(Outcome::SystemicFailings)),
    ("systemic failings", Signal::Outcome(Outcome::SystemicFailings)),
    ("systemic failures", Signal::Outcome(Outcome::SystemicFailings)),
    ("outcome three", Signal::Outcome(Outcome::SystemicFailings)),
    ("outcome 3", Signal::Outcome(Outcome::SystemicFailings)),
    ("lowest of the three outcomes", Signal::Outcome(Outcome::SystemicFailings)),
    ("worst of the three outcomes", Signal::Outcome(Outcome::SystemicFailings)),
    ("lowest possible outcome", Signal::Outcome(Outcome::SystemicFailings)),
    ("lowest outcome", Signal::Outcome(Outcome::SystemicFailings)),
    ("worst outcome", Signal::Outcome(Outcome::SystemicFailings)),
    // A Written Statement of Action required.
    ("written statement of action is required", Signal::Outcome(Outcome::WsoaRequired)),
    ("written statement of action was required", Signal::Outcome(Outcome::WsoaRequired)),
    ("written statement of action (wsoa) is required", Signal::Outcome(Outcome::WsoaRequired)),
    ("written statement of action (wsoa) was required", Signal::Outcome(Outcome::WsoaRequired)),
    ("wsoa is required", Signal::Outcome(Outcome::WsoaRequired)),
    ("wsoa was required", Signal::Outcome(Outcome::WsoaRequired)),
    ("must produce a written statement of action", Signal::Outcome(Outcome::WsoaRequired)),
    ("must submit a written statement of action", Signal::Outcome(Outcome::WsoaRequired)),
    (
        "must produce and submit a written statement of action",
        Signal::Outcome(Outcome::WsoaRequired),
    ),
    ("required to produce a written statement of action", Signal::Outcome(Outcome::WsoaRequired)),
    ("required to submit a written statement of action", Signal::Outcome(Outcome::WsoaRequired)),
    (
        "required to produce and submit a written statement of action",
        Signal::Outcome(Outcome::WsoaRequired),
    ),
    ("has to produce a written statement of action", Signal::Outcome(Outcome::WsoaRequired)),
    ("needs to produce a written statement of action", Signal::Outcome(Outcome::WsoaRequired)),
    ("ordered to produce a written statement of action", Signal::Outcome(Outcome::WsoaRequired)),
    // No Written Statement of Action.
    ("not required to produce a written statement of action", Signal::Outcome(Outcome::NoWsoa)),
    ("not required to submit a written statement of action", Signal::Outcome(Outcome::NoWsoa)),
    (
        "not required to produce and submit a written statement of action",
        Signal::Outcome(Outcome::NoWsoa),
    ),
    ("written statement of action is not required", Signal::Outcome(Outcome::NoWsoa)),
    ("written statement of action was not required", Signal::Outcome(Outcome::NoWsoa)),
    ("no written statement of action", Signal::Outcome(Outcome::NoWsoa)),
    ("not need to produce a written statement of action", Signal::Outcome(Outcome::NoWsoa)),
    ("no need for a written statement of action", Signal::Outcome(Outcome::NoWsoa)),
    ("effective in implementing the reforms", Signal::Outcome(Outcome::NoWsoa)),
    ("effective in implementing the send reforms", Signal::Outcome(Outcome::NoWsoa)),
    (
        "effective in implementing the disability and special educational needs reforms",
        Signal::Outcome(Outcome::NoWsoa),
    ),
    // Press wording for a WSoA.
    ("required to produce and submit an action plan", Signal::ActionPlan),
    ("required to produce an action plan", Signal::ActionPlan),
    ("required to submit an action plan", Signal::ActionPlan),
    ("must produce an action plan", Signal::ActionPlan),
    ("must submit an action plan", Signal::ActionPlan),
    ("must produce and submit an action plan", Signal::ActionPlan),
    // Revisits and monitoring inspections.
    ("sufficient progress", Signal::Progress),
    ("insufficient progress", Signal::Progress),
    ("effective action", Signal::Action),
    ("revisit", Signal::Revisit),
    ("revisited", Signal::Revisit),
    ("re-visit", Signal::Revisit),
    ("return visit", Signal::Revisit),
    ("monitoring inspection", Signal::Monitoring),
    ("monitoring visit", Signal::Monitoring),
    // Framework wording.
    ("local area partnership", Signal::F2023(2)),
    ("area partnership", Signal::F2023(1)),
    ("integrated care board", Signal::F2023(2)),
    ("icb", Signal::F2023(2)),
    ("new framework", Signal::F2023(2)),
    ("new inspection framework", Signal::F2023(2)),
    ("area send inspection", Signal::F2023(2)),
    ("local area send inspection", Signal::F2016(1)),
    ("priority action plan", Signal::F2023(1)),
    ("written statement of action", Signal::F2016(3)),
    ("wsoa", Signal::F2016(3)),
    ("clinical commissioning group", Signal::F2016(2)),
    ("ccg", Signal::F2016(2)),
    ("ccgs", Signal::F2016(2)),
    ("send reforms", Signal::F2016(1)),
    ("sen reforms", Signal::F2016(1)),
    ("disability reforms", Signal::F2016(1)),
    ("children and families act 2014", Signal::F2016(1)),
    ("accelerated progress plan", Signal::F2016(2)),
];

static SIGNAL_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(SIGNALS.iter().map(|(p, _)| p))
        .expect("signal patterns are valid")
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
        r"(?i)\binsufficient\s+progress|\bnot\s+(?:yet\s+)?(?:made|making|make|achieved|shown|demonstrated)\s+(?:\w+\s+)?sufficient\s+progress|\bn't\s+(?:yet\s+)?(?:made|make)\s+(?:\w+\s+)?sufficient\s+progress|\bfailed\s+to\s+make\s+sufficient\s+progress|\black\s+of\s+sufficient\s+progress|\b(?:not|n't)\s+(?:yet\s+)?(?:been\s+)?(?:taking|taken|take)\s+(?:\w+\s+)?effective\s+action|\bfailed\s+to\s+take\s+effective\s+action|\black\s+of\s+effective\s+action",
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
        r"(?i)(?:sufficient\s+progress|effective\s+action)\s+(?:in|on|against|to\s+address)\s+(?:addressing\s+)?(\w+)\s+(?:out\s+)?of\s+(?:the\s+)?(\w+)",
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
    /// The index of the paragraph the sentence is in.
    paragraph: usize,
    /// Whether the words before it make it about something else.
    distracted: bool,
    /// Whether its sentence speaks of the future (for kind cues).
    future: bool,
    /// Whether it came from the title.
    in_title: bool,
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

    let (framework, framework_evidence) = framework(&found, visit, published);
    let mut kind = kind(&found, framework, title, paragraphs);
    let (outcome, outcome_evidence) = match outcome(&found, framework, kind) {
        Some((o, e)) => (Some(o), Some(e)),
        None => (None, None),
    };
    // An Article that states an Outcome reports an Inspection, whatever words it uses.
    if kind.is_none() && outcome.is_some() {
        kind = Some(Kind::Full);
    }
    InspectionFacts { framework, framework_evidence, kind, outcome, outcome_evidence }
}

/// Finds the signals of one paragraph (or the title) and judges each in its sentence.
fn collect<'a>(paragraph: &'a str, index: usize, in_title: bool, found: &mut Vec<Found<'a>>) {
    let first_new = found.len();
    // Sentences are found only for the paragraphs that need them: splitting is the costly part.
    let mut units: Option<Vec<(usize, usize)>> = None;
    let mut unit_outcomes: Vec<(usize, Outcome)> = Vec::new();
    let matches = SIGNAL_FINDER
        .find_iter(paragraph)
        .filter(|m| at_word_boundary(paragraph, m.start(), m.end()));
    for m in matches {
        let (start, pattern) = (m.start(), m.pattern().as_usize());
        let units = units.get_or_insert_with(|| self::units(paragraph));
        let Some(&(s, e)) = units.iter().find(|(s, e)| *s <= start && start < *e) else {
            continue;
        };
        let unit = &paragraph[s..e];
        let before = &paragraph[floor_boundary(paragraph, s.max(start.saturating_sub(160)))..start];
        let (phrase, mut signal) = SIGNALS[pattern];
        // "will not have to produce a written statement of action", "does not require the
        // area to produce a WSoA": the phrases above cannot list every wording of the denial.
        let denied = match signal {
            Signal::F2016(_) => {
                matches!(phrase, "written statement of action" | "wsoa")
                    && NOT_REQUIRED.is_match(before)
            }
            // "will not be required to produce a written statement of action".
            Signal::Outcome(Outcome::WsoaRequired) => {
                phrase.starts_with("required") && NOT_BE.is_match(before)
            }
            _ => false,
        };
        if denied {
            signal = Signal::Outcome(Outcome::NoWsoa);
        }
        // Negations are part of the No-WSoA phrases themselves, and revisit or framework cues
        // do not depend on what precedes them.
        let distracted = match signal {
            Signal::Outcome(Outcome::NoWsoa) => DISTRACTOR.find_iter(before).any(|d| {
                !["not", "no", "n't", "never", "nor"]
                    .iter()
                    .any(|n| d.as_str().eq_ignore_ascii_case(n))
            }),
            Signal::Outcome(_) | Signal::ActionPlan => DISTRACTOR.is_match(before),
            Signal::Progress | Signal::Action => {
                PROGRESS_HYPOTHETICAL.is_match(before) || past_or_other(before)
            }
            _ => false,
        };
        let progress = match signal {
            Signal::Progress => classify_progress(unit),
            Signal::Action if ABOUT_PRIORITIES.is_match(unit) => classify_progress(unit),
            _ => None,
        };
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
            paragraph: index,
            distracted,
            future,
            in_title,
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
            let starts_listing = listing.iter().any(|&s| paragraph[s..].starts_with(f.sentence));
            if starts_listing && matches!(f.signal, Signal::Outcome(_)) {
                f.distracted = true;
            }
        }
    }
}

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
    static MADE: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\b(?:made|making|make|shown|demonstrated|achieved)\s+(?:\w+\s+)?sufficient\s+progress|\b(?:taking|taken|takes)\s+(?:\w+\s+)?effective\s+action",
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
/// weight of the wording.
fn framework(
    found: &[Found],
    visit: Option<&Visit>,
    published: Option<PartialDate>,
) -> (Option<Framework>, Option<Evidence>) {
    let cue = |f: &Found| -> Option<(Framework, i32)> {
        match f.signal {
            Signal::F2023(w) => Some((Framework::F2023, w)),
            Signal::F2016(w) => Some((Framework::F2016, w)),
            Signal::Outcome(o) if !f.distracted => o.framework().map(|fw| (fw, 3)),
            Signal::Revisit if !f.future => Some((Framework::F2016, 1)),
            Signal::Monitoring if !f.future => Some((Framework::F2023, 1)),
            _ => None,
        }
    };
    let best_cue = |fw: Framework| -> Option<Evidence> {
        let mut best: Option<(i32, &Found)> = None;
        for f in found {
            if let Some((c, w)) = cue(f)
                && c == fw
                && best.is_none_or(|(bw, _)| w > bw)
            {
                best = Some((w, f));
            }
        }
        best.map(|(_, f)| f.evidence())
    };

    let visit_year = visit.and_then(|v| v.start.year.or(v.end.year));
    if let Some(year) = visit_year {
        let fw = if year < 2023 { Framework::F2016 } else { Framework::F2023 };
        let evidence = visit.map(|v| v.evidence.clone());
        return (Some(fw), evidence);
    }
    if let Some(year) = published.and_then(|p| p.year)
        && year < 2023
    {
        return (Some(Framework::F2016), best_cue(Framework::F2016));
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
        std::cmp::Ordering::Equal => return (None, None),
    };
    (Some(fw), best_cue(fw))
}

/// Decides the kind: revisit or monitoring when the Article reports one (or a progress
/// judgement), full when it reports an Inspection at all.
fn kind(
    found: &[Found],
    framework: Option<Framework>,
    title: Option<&str>,
    paragraphs: &[String],
) -> Option<Kind> {
    let progress = found.iter().any(|f| f.progress.is_some() && !f.distracted);
    let revisit = found.iter().any(|f| f.signal == Signal::Revisit && !f.future);
    let monitoring = found.iter().any(|f| f.signal == Signal::Monitoring && !f.future);
    if monitoring && framework != Some(Framework::F2016) {
        return Some(Kind::Monitoring);
    }
    if revisit && framework != Some(Framework::F2023) {
        return Some(Kind::Revisit);
    }
    if progress {
        return Some(if framework == Some(Framework::F2023) {
            Kind::Monitoring
        } else {
            Kind::Revisit
        });
    }
    let reports_inspection = |t: &str| t.contains("nspect") || t.contains("NSPECT");
    (title.is_some_and(reports_inspection) || paragraphs.iter().any(|p| reports_inspection(p)))
        .then_some(Kind::Full)
}

/// Decides the Outcome among the undistracted signals that fit the framework and kind. The
/// most often stated wins, the earliest on a tie; insufficient progress beats sufficient.
fn outcome(
    found: &[Found],
    framework: Option<Framework>,
    kind: Option<Kind>,
) -> Option<(Outcome, Evidence)> {
    let follow_up = matches!(kind, Some(Kind::Revisit | Kind::Monitoring));
    let candidates: Vec<(Outcome, &Found)> = found
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
    // Title signals count only when the paragraphs state no Outcome.
    let body: Vec<(Outcome, &Found)> =
        candidates.iter().filter(|(_, f)| !f.in_title).copied().collect();
    let pool = if body.is_empty() { candidates } else { body };
    if let Some((o, f)) = pool.iter().find(|(o, _)| *o == Outcome::InsufficientProgress) {
        return Some((*o, f.evidence()));
    }
    let mut best: Option<(usize, Outcome, &Found)> = None;
    for (o, f) in &pool {
        let count = pool.iter().filter(|(o2, _)| o2 == o).count();
        if best.is_none_or(|(c, _, _)| count > c) {
            best = Some((count, *o, f));
        }
    }
    best.map(|(_, o, f)| (o, f.evidence()))
}

/// Whether a match stands at word boundaries (so "icb" is not inside a word and "outcome 1"
/// is not "outcome 10").
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The nearest char boundary at or after `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
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
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "ICB",
            "outcome 1",
            "’’’ systemic failings ‘",
            "\n\n",
            "sufficient progress in ü of the é",
        ] {
            let _ = find(Some(text), &[text.to_string()], None, None);
        }
    }
}
