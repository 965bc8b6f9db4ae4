//! Tone and diacritic folding, and slugs built on it.

use unicode_normalization::UnicodeNormalization;

/// Removes tone marks and other diacritics, and turns đ/Đ into d/D; case is kept.
///
/// "Đại hội Chi bộ" becomes "Dai hoi Chi bo". Input may be NFC or NFD.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            // Combining diacritical marks: the tones and the hat, horn and breve.
            '\u{0300}'..='\u{036f}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// [`fold`] and lower-case: the form used to compare Vietnamese typed with or without marks.
pub fn fold_lower(s: &str) -> String {
    fold(s).to_lowercase()
}

/// An ASCII URL slug: folded, lower-case, words joined by single hyphens.
///
/// "Đại hội Chi bộ phòng Giáo dục" becomes "dai-hoi-chi-bo-phong-giao-duc". Anything that
/// is not a letter or digit after folding separates words. The result is at most 120
/// characters, cut at a word boundary; it may be empty when the input has no letters.
pub fn slugify(s: &str) -> String {
    const MAX: usize = 120;
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in fold_lower(s).chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    if out.len() > MAX {
        let cut = out[..MAX].rfind('-').unwrap_or(MAX);
        out.truncate(cut);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_tones_and_d() {
        assert_eq!(fold("Đại hội Chi bộ"), "Dai hoi Chi bo");
        assert_eq!(fold("được đường dương"), "duoc duong duong");
        assert_eq!(fold("Hòa hoà Thụy thuỵ"), "Hoa hoa Thuy thuy");
        assert_eq!(fold_lower("GIÁO DỤC"), "giao duc");
    }

    #[test]
    fn folds_decomposed_input() {
        // "Đường" with the horn and the grave accent as separate combining marks.
        assert_eq!(fold("Đu\u{31b}\u{300}o\u{31b}ng"), "Duong");
        assert_eq!(slugify("Gia\u{301}o du\u{323}c"), "giao-duc");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Đại hội Chi bộ phòng Giáo dục"),
            "dai-hoi-chi-bo-phong-giao-duc"
        );
        assert_eq!(
            slugify("  Hội nghị: tổng kết năm học 2025–2026!  "),
            "hoi-nghi-tong-ket-nam-hoc-2025-2026"
        );
        assert_eq!(slugify("Chỉ thị 1737/CT-BGDĐT"), "chi-thi-1737-ct-bgddt");
        assert_eq!(slugify("“…”"), "");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let title = "giáo dục ".repeat(40);
        let slug = slugify(&title);
        assert!(slug.len() <= 120, "{}", slug.len());
        assert!(slug.ends_with("duc"), "{slug}");
    }
}
