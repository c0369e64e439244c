//! Decoding an article file's bytes into normalised text.
//!
//! Article files come as UTF-8, UTF-8 with a byte-order mark, or Windows-1252 (old CMS exports
//! and Word "Save as text"). [`decode`] tells them apart, refuses files that are not text at
//! all, and normalises what layout leaves behind: CRLF and CR line ends become LF, layout
//! spaces (U+00A0 and kin) become plain spaces, and zero-width characters and stray control
//! characters go. Splitting into paragraphs is left to the format parsers.
//!
//! **Windows-1252 rule.** Bytes that are not valid UTF-8 are decoded one by one as
//! Windows-1252, while valid UTF-8 runs stay UTF-8 (files mixing the two are common). The
//! result counts as plausible text, and the file as [`Encoding::Windows1252`], unless more
//! than [`MAX_FOREIGN_SHARE_PERCENT`] of all bytes are non-UTF-8, or more than
//! [`MAX_UNDEFINED_SHARE_PERCENT`] of the non-UTF-8 bytes are ones Windows-1252 leaves
//! undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): then it is [`SkipReason::Undecodable`].

use serde::Serialize;

use super::SkipReason;

/// The encoding an article file's bytes were decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Valid UTF-8 without a byte-order mark.
    Utf8,
    /// Valid UTF-8 after a leading byte-order mark (EF BB BF), which is stripped.
    Utf8Bom,
    /// Not valid UTF-8; the invalid bytes were read as Windows-1252.
    Windows1252,
}

/// The largest share (in percent) of all bytes that may be non-UTF-8 for a file to still be
/// read as Windows-1252 text. English prose is mostly ASCII even in Windows-1252.
pub const MAX_FOREIGN_SHARE_PERCENT: usize = 30;

/// The largest share (in percent) of the non-UTF-8 bytes that may be undefined in
/// Windows-1252 (C1 control garbage) for a file to still be read as text.
pub const MAX_UNDEFINED_SHARE_PERCENT: usize = 10;

/// The largest share (in percent) of control bytes (other than tab, LF, CR and form feed) a
/// text file may hold; above it the file is [`SkipReason::Binary`].
const MAX_CONTROL_SHARE_PERCENT: usize = 2;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes an article file's bytes into normalised text (LF line ends, layout spaces as plain
/// spaces, no zero-width or control characters), with the encoding they were read as.
///
/// Errors: [`SkipReason::Empty`] for an empty or white-space-only file,
/// [`SkipReason::Binary`] for NUL bytes or many control bytes, and
/// [`SkipReason::Undecodable`] when the bytes are neither UTF-8 nor plausible Windows-1252.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), SkipReason> {
    let (body, has_bom) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    if looks_binary(body) {
        return Err(SkipReason::Binary);
    }
    let (raw, encoding) = match std::str::from_utf8(body) {
        Ok(text) => (
            std::borrow::Cow::Borrowed(text),
            if has_bom { Encoding::Utf8Bom } else { Encoding::Utf8 },
        ),
        Err(_) => (std::borrow::Cow::Owned(decode_mixed(body)?), Encoding::Windows1252),
    };
    let text = normalise(&raw);
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok((text, encoding))
}

/// NUL bytes, or more than [`MAX_CONTROL_SHARE_PERCENT`] control bytes, mean "not text".
fn looks_binary(bytes: &[u8]) -> bool {
    let (n_low, has_nul) = count_below_space(bytes);
    if has_nul {
        return true;
    }
    // The exact count is only needed when the rough one, which includes line ends, is
    // already over the limit.
    let limit = bytes.len() * MAX_CONTROL_SHARE_PERCENT;
    if n_low * 100 <= limit {
        return false;
    }
    let n_layout = bytes.iter().filter(|&&b| matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    let n_delete = bytes.iter().filter(|&&b| b == 0x7F).count();
    (n_low - n_layout + n_delete) * 100 > limit
}

/// How many bytes are below 0x20, and whether one is NUL, in one pass eight bytes at a time
/// with exact byte masks.
fn count_below_space(bytes: &[u8]) -> (usize, bool) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut chunks = bytes.chunks_exact(8);
    let mut count = 0usize;
    let mut nul = 0u64;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // High bit set exactly where a byte is below 0x20 (see `clean::is_folded`) ...
        let below = !(((word & LOW7) + (0x80 - 0x20) * ONES) | word) & HIGH;
        // ... and where it is below 1.
        nul |= !(((word & LOW7) + 0x7F * ONES) | word) & HIGH;
        count += below.count_ones() as usize;
    }
    let rest = chunks.remainder();
    (count + rest.iter().filter(|&&b| b < 0x20).count(), nul != 0 || rest.contains(&0))
}

/// Decodes bytes that are not valid UTF-8: valid UTF-8 runs as UTF-8, every other byte as
/// Windows-1252, refusing input that is implausible as text (see the module docs).
fn decode_mixed(bytes: &[u8]) -> Result<String, SkipReason> {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut n_foreign = 0usize;
    let mut n_undefined = 0usize;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if invalid.is_empty() {
            continue;
        }
        n_foreign += invalid.len();
        n_undefined +=
            invalid.iter().filter(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)).count();
        let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(invalid);
        out.push_str(&decoded);
    }
    if n_foreign * 100 > bytes.len() * MAX_FOREIGN_SHARE_PERCENT
        || n_undefined * 100 > n_foreign * MAX_UNDEFINED_SHARE_PERCENT
    {
        return Err(SkipReason::Undecodable);
    }
    Ok(out)
}

/// Whether a byte may start a character [`normalise`] changes: C0 controls other than LF
/// and tab, DEL, and the UTF-8 lead bytes of U+0080–U+00BF, U+2000–U+2FFF, U+3000 and U+FEFF.
const fn is_special(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\n' && byte != b'\t')
        || byte == 0x7F
        || byte == 0xC2
        || byte == 0xE2
        || byte == 0xE3
        || byte == 0xEF
}

/// Eight bytes (little-endian) tested at once ("SWAR") for bytes below 0x20 or at or above
/// 0x7F: the high bit of a byte of the result is set where it may be one. There are no false
/// negatives, and the lowest byte marked is always a true positive (a false one only follows
/// a true one), so it is where to look next. Zero when all eight are printable ASCII.
fn not_plain_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let del = word ^ (ONES * 0x7F);
    let is_del = del.wrapping_sub(ONES) & !del & HIGH;
    below_space | (word & HIGH) | is_del
}

/// Normalises line ends and layout characters. Text is scanned eight bytes at a time, and
/// only the characters that change are copied one by one; the rest is copied in bulk.
fn normalise(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut idx = 0;
    while idx < bytes.len() {
        if let Some(chunk) = bytes.get(idx..idx + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let mask = not_plain_mask(word);
            if mask == 0 {
                idx += 8;
                continue;
            }
            // Straight to the first byte that may be special.
            idx += (mask.trailing_zeros() / 8) as usize;
        }
        if !is_special(bytes[idx]) {
            idx += 1;
            continue;
        }
        let ch = text[idx..].chars().next().unwrap_or(' ');
        let width = ch.len_utf8();
        let replacement = match ch {
            // CRLF and a lone CR are both one line end.
            '\r' if bytes.get(idx + 1) == Some(&b'\n') => Some(""),
            '\r' | '\u{2028}' | '\u{000C}' => Some("\n"),
            '\u{2029}' => Some("\n\n"),
            // Layout spaces: no-break, narrow no-break, figure, and the fixed-width spaces.
            '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2000}'..='\u{200A}' | '\u{3000}' => {
                Some(" ")
            }
            // Zero-width characters, soft hyphens and stray byte-order marks.
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Some(""),
            c if c.is_control() => Some(""),
            _ => None,
        };
        if let Some(replacement) = replacement {
            out.push_str(&text[copied..idx]);
            out.push_str(replacement);
            copied = idx + width;
        }
        idx += width;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], expected: Result<(&str, Encoding), SkipReason>) {
        let got = decode(bytes);
        let got = got.as_ref().map(|(text, encoding)| (text.as_str(), *encoding));
        assert_eq!(got, expected.as_ref().map(|(t, e)| (*t, *e)), "input: {bytes:?}");
    }

    #[test]
    fn reads_plain_utf8() {
        check("Dudley’s SEND\n".as_bytes(), Ok(("Dudley’s SEND\n", Encoding::Utf8)));
    }

    #[test]
    fn strips_utf8_bom() {
        check(b"\xEF\xBB\xBFTitle\n", Ok(("Title\n", Encoding::Utf8Bom)));
    }

    #[test]
    fn normalises_crlf_and_cr() {
        check(b"a\r\nb\rc\n", Ok(("a\nb\nc\n", Encoding::Utf8)));
    }

    #[test]
    fn decodes_windows_1252_curly_quotes() {
        check(
            b"\x93Good\x94 \x96 the council\x92s plan\r\n",
            Ok(("“Good” – the council’s plan\n", Encoding::Windows1252)),
        );
    }

    #[test]
    fn keeps_utf8_runs_in_mixed_files() {
        check(b"caf\xC3\xA9 \x93ok\x94", Ok(("café “ok”", Encoding::Windows1252)));
    }

    #[test]
    fn turns_layout_spaces_into_spaces_and_drops_zero_width() {
        check("a\u{a0}b\u{200b}c\u{feff}d".as_bytes(), Ok(("a bcd", Encoding::Utf8)));
    }

    #[test]
    fn swar_test_finds_every_special_byte() {
        for byte in 0..=255u8 {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = byte;
                let plain = (0x20..0x7F).contains(&byte);
                let mask = not_plain_mask(u64::from_le_bytes(word));
                assert_eq!(mask == 0, plain, "{byte:#x} at {pos}");
                if !plain {
                    assert_eq!(mask.trailing_zeros() / 8, pos as u32, "{byte:#x} at {pos}");
                }
            }
        }
    }

    #[test]
    fn counts_control_bytes_exactly() {
        let text = b"ab\ncd\tef\x01gh\x1fij\x20kl\x7fmn\x80op\xffqr\x00";
        let count = text.iter().filter(|&&b| b < 0x20).count();
        assert_eq!(count_below_space(text), (count, true));
        assert_eq!(count_below_space(&text[..text.len() - 1]), (count - 1, false));
        for pos in 0..16 {
            let mut text = *b"abcdefghijklmnop";
            text[pos] = 0;
            assert_eq!(count_below_space(&text), (1, true), "NUL at {pos}");
        }
    }

    #[test]
    fn errors_on_empty_file() {
        check(b"", Err(SkipReason::Empty));
        check(b" \r\n\t\n", Err(SkipReason::Empty));
        check(b"\xEF\xBB\xBF\n", Err(SkipReason::Empty));
        check("\u{a0}\n".as_bytes(), Err(SkipReason::Empty));
    }

    #[test]
    fn errors_on_binary_file() {
        check(b"%PDF-1.4\n\x00\x01\x02binary", Err(SkipReason::Binary));
        check(b"\x01\x02\x03\x04abcdefghijklmnop", Err(SkipReason::Binary));
    }

    #[test]
    fn errors_on_undecodable_bytes() {
        // Mostly C1 control garbage: bytes Windows-1252 leaves undefined.
        check(b"ab\x81\x8D\x8F\x90\x9Dcd efgh ijkl mnop qrst", Err(SkipReason::Undecodable));
        // Mostly high bytes: not Latin-script text.
        check(b"\xE4\xE5\xE6\xE7\xE8\xE9 ab", Err(SkipReason::Undecodable));
    }
}
