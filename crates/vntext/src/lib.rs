//! Vietnamese text, done once and right: NFC normalisation, tone folding, slugs,
//! one place for the tone mark, words typed in Telex or VNI with the input method
//! off, and the Vietnamese ways of writing numbers, dates and times.
//!
//! Every other crate goes through here for these jobs, so that the same rule
//! holds for forms, imports, URLs and search.

mod fold;
mod format;
mod syllable;
mod typing;

pub use fold::{fold, fold_lower, slugify};
pub use format::{
    Local, day_bounds, format_date, format_datetime, format_iso_date, format_number, format_time,
    iso_date_of_day, local, local_day, local_iso_date, parse_civil_date, parse_date_any,
    parse_decimal, parse_local_datetime, parse_local_datetime_any, parse_typed_date, weekday_name,
};
pub use syllable::normalize_tone_placement;
pub use typing::decode_typed_word;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Returns `s` in Unicode Normalization Form C.
///
/// Text typed on different systems arrives precomposed ("ệ" as one code point) or
/// decomposed ("e" + circumflex + dot below); stored text is always NFC so that
/// comparisons, slugs and search behave the same for both.
pub fn nfc(s: &str) -> String {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s.to_owned(),
        _ => s.nfc().collect(),
    }
}

/// NFC-normalises and trims surrounding white space, and folds every run of
/// white space (including non-breaking spaces pasted from Word) into one space.
///
/// This is what single-line form fields (titles, names, captions) go through.
pub fn clean_line(s: &str) -> String {
    let normal = nfc(s);
    let mut out = String::with_capacity(normal.len());
    for word in normal.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_input() {
        let decomposed = "Gia\u{301}o du\u{323}c"; // "Giáo dục" typed with combining marks
        assert_ne!(decomposed, "Giáo dục");
        assert_eq!(nfc(decomposed), "Giáo dục");
        assert_eq!(nfc("Giáo dục"), "Giáo dục");
    }

    #[test]
    fn clean_line_folds_white_space() {
        assert_eq!(clean_line("  Tin\u{a0}giáo   dục \n"), "Tin giáo dục");
        assert_eq!(
            clean_line("Tie\u{302}\u{301}ng Vie\u{323}\u{302}t"),
            "Tiếng Việt"
        );
    }
}
