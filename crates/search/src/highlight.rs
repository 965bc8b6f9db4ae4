//! Matched words in `<mark>`, everything else HTML-escaped.

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer::{Mode, VietTokenizer, term_of, word_spans};

/// Characters of a snippet, about two lines of a results page.
const SNIPPET_CHARS: usize = 220;

pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// `text` escaped, with the byte `ranges` (sorted, not overlapping) in `<mark>`.
fn render(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + 16 * ranges.len());
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        escape_into(&mut out, &text[at..r.start]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[r.clone()]);
        out.push_str("</mark>");
        at = r.end;
    }
    escape_into(&mut out, &text[at..]);
    out
}

/// The whole of `text`, with the words that `hit` accepts (given their folded term)
/// in `<mark>`.
pub(crate) fn mark_words(text: &str, hit: impl Fn(&str) -> bool) -> String {
    let ranges: Vec<Range<usize>> = word_spans(text)
        .filter(|&(from, to)| hit(&term_of(&text[from..to], Mode::Folded)))
        .map(|(from, to)| from..to)
        .collect();
    render(text, &ranges)
}

/// Cuts passages around the matched words of long texts.
pub(crate) struct Snippets {
    generator: SnippetGenerator,
}

impl Snippets {
    /// For the given folded terms. The field is only a label here: snippets are cut
    /// from texts handed over, with the folded tokenizer, so a toneless query marks
    /// the words as written.
    pub fn new(terms: BTreeMap<String, f32>, field: Field) -> Snippets {
        let analyzer = TextAnalyzer::from(VietTokenizer::new(Mode::Folded));
        Snippets {
            generator: SnippetGenerator::new(terms, analyzer, field, SNIPPET_CHARS),
        }
    }

    /// The best passage of the first text that has a matched word, or the beginning of
    /// the first non-empty text when none has.
    pub fn best(&self, texts: &[&str]) -> String {
        for text in texts {
            let snippet = self.generator.snippet(text);
            if snippet.highlighted().is_empty() {
                continue;
            }
            let range = snippet.fragment_range();
            let mut out = String::new();
            if range.start > 0 {
                out.push_str("… ");
            }
            out.push_str(&render(snippet.fragment(), snippet.highlighted()));
            if range.end < text.len() {
                out.push_str(" …");
            }
            return out;
        }
        let text = texts.iter().find(|t| !t.trim().is_empty()).unwrap_or(&"");
        let mut out = String::new();
        match text.char_indices().nth(SNIPPET_CHARS) {
            Some((cut, _)) => {
                let cut = text[..cut].rfind(' ').unwrap_or(cut);
                escape_into(&mut out, &text[..cut]);
                out.push_str(" …");
            }
            None => escape_into(&mut out, text),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_words_and_escapes_the_rest() {
        let html = mark_words("Giáo dục <b> & “Đường”", |t| {
            t == "giao" || t == "duong"
        });
        assert_eq!(
            html,
            "<mark>Giáo</mark> dục &lt;b&gt; &amp; “<mark>Đường</mark>”"
        );
    }

    #[test]
    fn snippets_mark_words_typed_without_marks() {
        let (schema, fields) = crate::schema::build();
        let _ = schema;
        let mut terms = BTreeMap::new();
        terms.insert("duoc".to_owned(), 1.0);
        let s = Snippets::new(terms, fields.body);
        let long = format!("{} Học sinh được khen <thưởng>.", "Mở đầu. ".repeat(60));
        let html = s.best(&["", &long]);
        assert!(html.contains("<mark>được</mark>"), "{html}");
        assert!(html.starts_with("… "), "{html}");
        assert!(html.contains("&lt;thưởng"), "{html}");
        let none = s.best(&["Không có gì ở đây"]);
        assert_eq!(none, "Không có gì ở đây");
    }
}
