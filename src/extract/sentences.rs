//! Splitting a paragraph into sentences, for evidence.
//!
//! A *sentence* here is what a reader would quote as evidence: it ends at `.`, `!` or `?`
//! (possibly followed by closing quote marks or brackets) before white space and a capital,
//! digit or opening quote. Abbreviations common in council news ("Cllr.", "Dr.", "St.",
//! "e.g.", "No.") and initials ("J. Smith") do not end a sentence.

/// Abbreviations after which a full stop does not end a sentence (compared lower-case).
const ABBREVIATIONS: &[&str] = &[
    "cllr", "dr", "mr", "mrs", "ms", "prof", "st", "no", "nos", "e.g", "i.e", "etc", "vs", "inc",
    "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "approx", "cf", "rev", "hon", "gov", "dept",
];

/// The byte ranges of the sentences of `text`, in order, trimmed of white space. Text with no
/// sentence end is one sentence.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'.' || b == b'!' || b == b'?' {
            // Swallow closing quotes and brackets that belong to this sentence.
            let mut end = i + 1;
            while end < text.len() {
                let rest = &text[end..];
                let ch = rest.chars().next().unwrap_or(' ');
                if matches!(ch, '"' | '\'' | ')' | ']' | '\u{201d}' | '\u{2019}' | '.' | '!' | '?')
                {
                    end += ch.len_utf8();
                } else {
                    break;
                }
            }
            if ends_sentence(text, i, end) {
                push_trimmed(text, start, end, &mut spans);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut spans);
    spans
}

/// The sentences of `text` as string slices.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    sentence_spans(text).into_iter().map(move |(s, e)| &text[s..e])
}

/// Whether the punctuation at `dot` (with closers up to `end`) ends a sentence.
fn ends_sentence(text: &str, dot: usize, end: usize) -> bool {
    let after = &text[end..];
    let mut chars = after.chars();
    match chars.next() {
        None => return true,
        Some(c) if c.is_whitespace() => {}
        Some(_) => return false,
    }
    let next = after.trim_start().chars().next();
    let starts_new = match next {
        None => true,
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}' | '(' | '[' | '-' | '\u{2022}')
        }
    };
    if !starts_new {
        return false;
    }
    if text.as_bytes()[dot] != b'.' {
        return true;
    }
    // The word before the full stop.
    let before = &text[..dot];
    // After the last space or bracket, by its own length: a no-break space is two bytes.
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(')
        .map_or(0, |(p, c)| p + c.len_utf8());
    let word = before.get(word_start..).unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return false; // An initial: "J. Smith".
    }
    // Every full stop comes here, so an ASCII word is compared in place; only another word
    // is lower-cased into a new string (as Unicode says: 'K', the Kelvin sign, becomes 'k').
    if word.is_ascii() {
        !ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
    } else {
        let lower = word.to_lowercase();
        !ABBREVIATIONS.contains(&lower.as_str())
    }
}

fn push_trimmed(text: &str, start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        spans.push((start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<&str> = sentences(text).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn splits_at_full_stops_before_capitals() {
        check(
            "One thing. Another thing! A third? Yes.",
            &["One thing.", "Another thing!", "A third?", "Yes."],
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        check(
            "Cllr. Jones spoke. Dr. A. Smith agreed.",
            &["Cllr. Jones spoke.", "Dr. A. Smith agreed."],
        );
        check(
            "See www.dudley.gov.uk/localoffer for more.",
            &["See www.dudley.gov.uk/localoffer for more."],
        );
    }

    #[test]
    fn abbreviations_are_known_in_any_case() {
        check(
            "MR. Jones and CLLR. Smith spoke. Then home.",
            &["MR. Jones and CLLR. Smith spoke.", "Then home."],
        );
        // Only ASCII letters match the list: a Kelvin sign lower-cases to 'k', in no abbreviation.
        check("See \u{e9}tc. Then home.", &["See \u{e9}tc.", "Then home."]);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        check(
            "It was a \u{2018}breath of fresh air.\u{2019} Inspectors agreed.",
            &["It was a \u{2018}breath of fresh air.\u{2019}", "Inspectors agreed."],
        );
    }

    #[test]
    fn a_wide_space_before_a_full_stop_is_no_trouble() {
        check("Seen by Dr.\u{a0}Jones. Then home.", &["Seen by Dr.\u{a0}Jones.", "Then home."]);
        check("Il a dit\u{3000}x. Fin.", &["Il a dit\u{3000}x.", "Fin."]);
    }

    #[test]
    fn lower_case_after_stop_is_not_a_new_sentence() {
        check(
            "The 2.5 million figure rose. and then fell.",
            &["The 2.5 million figure rose. and then fell."],
        );
    }
}
