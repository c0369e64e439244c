//! The theme probe set: invented sentences in the voices articles use (inspectors found, the
//! report said, narrative summaries, list items under "Strengths" and "Areas for improvement"
//! headings, quoted report passages), each with the theme and polarity a careful reader would
//! give it, and sentences that must give no theme (what inspectors looked at, a council's own
//! promise, national context, site furniture). It covers every theme of domain.md in both
//! polarities, in wordings the lexicon was not fitted to, so a change to the tables can be
//! checked against unseen wording. The probes are data: `tests/fixtures/theme-probes.tsv`
//! (its header says how to add one).

use super::find;

/// The probe table: theme (or `none`, or `!theme`), polarity, text (" ¶ " between paragraphs).
const PROBES: &str = include_str!("../../../tests/fixtures/theme-probes.tsv");

/// One probe text and what it must and must not give.
struct Probe<'a> {
    text: &'a str,
    /// (theme, polarity) pairs that must be found.
    wanted: Vec<(&'a str, &'a str)>,
    /// Pairs that must not be found.
    unwanted: Vec<(&'a str, &'a str)>,
    /// The probe must give no theme at all.
    none: bool,
    /// A known gap (`?theme`): a wording the rules do not read yet. It is not asserted, but a
    /// gap that starts passing fails the test, so that its mark is removed.
    gap: bool,
}

/// The probes of the table, one per distinct text, in the table's order.
fn probes() -> Vec<Probe<'static>> {
    let mut out: Vec<Probe> = Vec::new();
    let mut header = true;
    for (n, line) in PROBES.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if std::mem::take(&mut header) {
            assert_eq!(line, "theme\tpolarity\ttext", "the probe table's header");
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let [theme, polarity, text] = cells[..] else {
            panic!("theme-probes.tsv line {}: three cells expected: {line:?}", n + 1)
        };
        let probe = match out.iter_mut().position(|p| p.text == text) {
            Some(k) => &mut out[k],
            None => {
                let fresh = Probe {
                    text,
                    wanted: Vec::new(),
                    unwanted: Vec::new(),
                    none: false,
                    gap: false,
                };
                out.push(fresh);
                out.last_mut().expect("just pushed")
            }
        };
        if let Some(t) = theme.strip_prefix('?') {
            probe.gap = true;
            probe.wanted.push((t, polarity));
        } else if let Some(t) = theme.strip_prefix('!') {
            probe.unwanted.push((t, polarity));
        } else if theme == "none" {
            probe.none = true;
        } else {
            probe.wanted.push((theme, polarity));
        }
    }
    out
}

/// What `find` gives for a probe text, as (theme, polarity) codes.
fn run(text: &str) -> Vec<(String, String)> {
    let paragraphs: Vec<String> = text.split(" ¶ ").map(str::to_string).collect();
    find(&paragraphs)
        .iter()
        .map(|f| (f.theme.code().to_string(), f.polarity.code().to_string()))
        .collect()
}

/// Why a probe fails, or None when it passes.
fn failure(probe: &Probe) -> Option<String> {
    let found = run(probe.text);
    let has = |t: &str, p: &str| found.iter().any(|(a, b)| a == t && b == p);
    let mut why = Vec::new();
    if probe.none && !found.is_empty() {
        why.push("expected no theme".to_string());
    }
    for &(t, p) in &probe.wanted {
        if !has(t, p) {
            why.push(format!("missing {t} {p}"));
        }
    }
    for (t, p) in &found {
        let expects_theme = probe.wanted.iter().any(|&(wt, _)| wt == t);
        if expects_theme && !probe.wanted.iter().any(|&(wt, wp)| wt == t && wp == p) {
            why.push(format!("wrong polarity {t} {p}"));
        }
    }
    for &(t, p) in &probe.unwanted {
        if has(t, p) {
            why.push(format!("unwanted {t} {p}"));
        }
    }
    (!why.is_empty())
        .then(|| format!("{}\n      found {found:?}\n    {}", why.join("; "), probe.text))
}

#[test]
fn the_probe_set_covers_every_theme_in_both_polarities() {
    let probes = probes();
    for theme in crate::extract::model::Theme::ALL {
        for polarity in ["strength", "improvement"] {
            let n = probes
                .iter()
                .filter(|p| {
                    !p.gap && p.wanted.iter().any(|&(t, q)| t == theme.code() && q == polarity)
                })
                .count();
            assert!(n >= 4, "{} {polarity}: {n} probes, at least 4 wanted", theme.code());
        }
    }
    assert!(probes.iter().filter(|p| p.none).count() >= 8, "too few probes that find nothing");
}

#[test]
fn every_probe_reads_as_a_careful_reader_would() {
    let probes = probes();
    let failures: Vec<String> = probes.iter().filter(|p| !p.gap).filter_map(failure).collect();
    let closed: Vec<&str> =
        probes.iter().filter(|p| p.gap && failure(p).is_none()).map(|p| p.text).collect();
    let gaps = probes.iter().filter(|p| p.gap).count();
    assert!(
        failures.is_empty() && closed.is_empty(),
        "{} of {} theme probes fail ({gaps} known gaps not counted):\n  {}\n\
         known gaps now read right (remove their `?`):\n  {}",
        failures.len(),
        probes.len(),
        failures.join("\n  "),
        closed.join("\n  ")
    );
}
