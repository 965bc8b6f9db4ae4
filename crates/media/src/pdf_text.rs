//! The text layer of an attached PDF, for search (issue 14): read once, when the
//! file is uploaded or imported, and kept in the store beside the file.
//!
//! A PDF is untrusted input. The reading is bounded (pages read, decompressed bytes
//! per stream and per page, characters kept) and a panic inside the PDF reader is
//! caught; the caller runs it off the async threads. A PDF that cannot be read, or
//! whose pages hold no letters or digits (a scan), has no text layer.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Pages read at most; the rest of a very long PDF is not indexed.
pub const MAX_PDF_PAGES: u32 = 300;
/// Characters of text kept at most.
pub const MAX_PDF_TEXT_CHARS: usize = 300_000;
/// Bytes any one stream (and any one page's content) may inflate to.
const MAX_DECOMPRESSED: usize = 32 << 20;
/// Letters or digits a PDF must show to count as having a text layer (a scan's
/// stray marks do not).
const MIN_TEXT_CHARS: usize = 3;

/// The text of a PDF's pages, NFC, white space collapsed; `None` when it has no
/// text layer (a scan) or cannot be read.
pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    let raw = catch_unwind(AssertUnwindSafe(|| read(bytes))).ok()??;
    let mut text = String::with_capacity(raw.len().min(MAX_PDF_TEXT_CHARS * 2));
    let mut chars = 0;
    for word in vntext::nfc(&raw).split_whitespace() {
        // Characters no font maps to Unicode come out as U+FFFD or control codes.
        let word: String = word
            .chars()
            .filter(|c| !c.is_control() && *c != '\u{fffd}')
            .collect();
        if word.is_empty() {
            continue;
        }
        chars += word.chars().count() + 1;
        if chars > MAX_PDF_TEXT_CHARS {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&word);
    }
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    (letters >= MIN_TEXT_CHARS).then_some(text)
}

fn read(bytes: &[u8]) -> Option<String> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).ok()?;
    let pages: Vec<u32> = doc
        .get_pages()
        .keys()
        .copied()
        .take(MAX_PDF_PAGES as usize)
        .collect();
    let mut out = String::new();
    for page in pages {
        // A page that cannot be read is skipped; the others still count.
        for chunk in doc
            .extract_text_chunks_with_limit(&[page], MAX_DECOMPRESSED)
            .into_iter()
            .flatten()
        {
            out.push_str(&chunk);
            out.push(' ');
        }
        if out.len() > MAX_PDF_TEXT_CHARS * 4 {
            break;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_text_is_read_and_a_scan_has_none() {
        let pdf = crate::testdata::pdf_with_text("Quyết định về trường Nguyễn Đông Phong");
        assert_eq!(
            pdf_text(&pdf).as_deref(),
            Some("Quyết định về trường Nguyễn Đông Phong")
        );
        assert_eq!(pdf_text(&crate::testdata::pdf()), None);
        assert_eq!(pdf_text(b"%PDF-1.4 garbage"), None);
        assert_eq!(pdf_text(b""), None);
    }
}
