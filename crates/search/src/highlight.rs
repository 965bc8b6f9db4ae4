//! Matched words in `<mark>`, everything else HTML-escaped.

use std::ops::Range;

use crate::analyzer::{Mode, term_of, with_term, word_spans};

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

/// A matched word of a text: where it is, in bytes and in characters, and which
/// term it matched.
struct Found {
    bytes: Range<usize>,
    char_at: usize,
    term: usize,
}

/// Cuts passages around the matched words of long texts.
pub(crate) struct Snippets {
    /// Folded terms to mark.
    terms: Vec<String>,
}

impl Snippets {
    /// For the given folded terms: a word matches when its folded term is one of
    /// them, so a toneless query marks the words as written.
    pub fn new(terms: impl IntoIterator<Item = String>) -> Snippets {
        Snippets {
            terms: terms.into_iter().collect(),
        }
    }

    /// Which term a word matches, if any.
    fn term_of(&self, word: &str) -> Option<usize> {
        if word.is_ascii() {
            return self.terms.iter().position(|t| t.eq_ignore_ascii_case(word));
        }
        with_term(word, Mode::Folded, |folded| {
            self.terms.iter().position(|t| t == folded)
        })
    }

    /// Every matched word of `text`, in order.
    fn find(&self, text: &str) -> Vec<Found> {
        let mut out = Vec::new();
        let (mut byte, mut chars) = (0, 0);
        for (from, to) in word_spans(text) {
            if let Some(term) = self.term_of(&text[from..to]) {
                chars += text[byte..from].chars().count();
                byte = from;
                out.push(Found {
                    bytes: from..to,
                    char_at: chars,
                    term,
                });
            }
        }
        out
    }

    /// The passage of about [`SNIPPET_CHARS`] characters of `text` with the most
    /// different matched words (then the most matches, then the earliest), starting
    /// a few words before the first of them.
    fn passage(&self, text: &str, found: &[Found]) -> Range<usize> {
        let mut best = (0, 0, 0);
        for (i, start) in found.iter().enumerate() {
            let inside = found[i..]
                .iter()
                .take_while(|f| f.char_at < start.char_at + SNIPPET_CHARS * 3 / 4);
            let mut seen = vec![false; self.terms.len()];
            let (mut distinct, mut all) = (0, 0);
            for f in inside {
                all += 1;
                if !std::mem::replace(&mut seen[f.term], true) {
                    distinct += 1;
                }
            }
            if (distinct, all) > (best.0, best.1) {
                best = (distinct, all, i);
            }
        }
        let first = &found[best.2];
        // A little of what comes before, from the start of a word.
        let lead = SNIPPET_CHARS / 6;
        let mut from = first.bytes.start;
        if first.char_at <= lead {
            from = 0;
        } else {
            let before = &text[..first.bytes.start];
            if let Some((cut, _)) = before.char_indices().rev().nth(lead - 1) {
                from = before[cut..]
                    .find(' ')
                    .map_or(cut, |space| cut + space + 1)
                    .min(first.bytes.start);
            }
        }
        let to = match text[from..].char_indices().nth(SNIPPET_CHARS) {
            None => text.len(),
            Some((cut, _)) => {
                let cut = from + cut;
                text[..cut]
                    .rfind(' ')
                    .filter(|&space| space > first.bytes.end)
                    .unwrap_or(cut)
            }
        };
        from..to
    }

    /// The best passage of the first text that has a matched word, or the beginning of
    /// the first non-empty text when none has.
    pub fn best(&self, texts: &[&str]) -> String {
        for text in texts {
            let found = self.find(text);
            if found.is_empty() {
                continue;
            }
            let range = self.passage(text, &found);
            let marks: Vec<Range<usize>> = found
                .iter()
                .filter(|f| f.bytes.start >= range.start && f.bytes.end <= range.end)
                .map(|f| f.bytes.start - range.start..f.bytes.end - range.start)
                .collect();
            let mut out = String::new();
            if range.start > 0 {
                out.push_str("… ");
            }
            out.push_str(&render(&text[range.clone()], &marks));
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
        let s = Snippets::new(["duoc".to_owned()]);
        let long = format!("{} Học sinh được khen <thưởng>.", "Mở đầu. ".repeat(60));
        let html = s.best(&["", &long]);
        assert!(html.contains("<mark>được</mark>"), "{html}");
        assert!(html.starts_with("… "), "{html}");
        assert!(html.contains("&lt;thưởng"), "{html}");
        // The passage with the most of the words, not the first match.
        let s = Snippets::new(["hoc".to_owned(), "bong".to_owned()]);
        let text = format!(
            "Học sinh đi học. {} Trao học bổng cho học sinh nghèo. {}",
            "Lời mở đầu dài. ".repeat(30),
            "Kết thúc. ".repeat(30)
        );
        let html = s.best(&[&text]);
        assert!(
            html.contains("<mark>học</mark> <mark>bổng</mark>"),
            "{html}"
        );
        assert!(!html.contains("đi <mark>học</mark>"), "{html}");
        assert!(html.starts_with("… ") && html.ends_with(" …"), "{html}");
        let none = s.best(&["Không có gì ở đây"]);
        assert_eq!(none, "Không có gì ở đây");
    }
}
