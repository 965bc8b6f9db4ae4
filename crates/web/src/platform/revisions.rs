//! A document's revision history as the back office shows it: the list of
//! revisions and what one changed from the one before, word by word, field by
//! field, as editors read a "track changes" view. Bodies are compared as their
//! text, one paragraph a line, so markup noise does not hide the words that
//! changed. Each feature with revisions says which fields it compares.

use crate::platform::layout::AdminChrome;
use askama::Template;
use similar::{ChangeTag, TextDiff};

/// A run of words that stayed, went or came.
pub(crate) struct Piece {
    /// "same", "del" or "ins".
    pub kind: &'static str,
    pub text: String,
}

/// One field's comparison.
pub(crate) struct FieldDiff {
    pub label: &'static str,
    pub changed: bool,
    pub pieces: Vec<Piece>,
}

/// What a revision changed from the one before it.
pub(crate) struct RevisionDiff {
    pub number: i64,
    pub before: Option<i64>,
    pub fields: Vec<FieldDiff>,
}

/// A line of a revision history.
pub(crate) struct RevisionRow {
    pub number: i64,
    pub when: String,
    pub by: String,
    pub note: String,
    pub url: String,
}

/// A saved version of a document, as its history lists it: its number (1, 2, 3 …
/// per document), when (UTC seconds), who (full name; empty: the program itself)
/// and what happened.
pub(crate) trait Saved {
    fn saved(&self) -> (i64, i64, &str, &str);

    fn number(&self) -> i64 {
        self.saved().0
    }
}

/// The lines of a history (newest first), each shown at
/// `{edit_url}/phien-ban?xem=N`.
pub(crate) fn rows<R: Saved>(all: &[R], edit_url: &str) -> Vec<RevisionRow> {
    all.iter()
        .map(|r| {
            let (number, at, by, note) = r.saved();
            RevisionRow {
                number,
                when: vntext::format_datetime(at),
                by: if by.is_empty() {
                    "Hệ thống".into()
                } else {
                    by.to_owned()
                },
                note: note.to_owned(),
                url: format!("{edit_url}/phien-ban?xem={number}"),
            }
        })
        .collect()
}

/// The history page: `{edit_url}/phien-ban`, restoring through
/// `{edit_url}/phien-ban/{n}/khoi-phuc`.
#[derive(Template)]
#[template(path = "platform/revisions.html")]
pub(crate) struct RevisionsTemplate {
    pub chrome: AdminChrome,
    pub title: String,
    pub edit_url: String,
    /// "Quay lại sửa bài".
    pub back_label: &'static str,
    pub current: i64,
    pub revision: String,
    pub shown: i64,
    pub may_restore: bool,
    pub rows: Vec<RevisionRow>,
    pub diff: Option<RevisionDiff>,
}

/// From revisions listed newest first, the one asked for (`?xem=N`; none: the
/// newest) and the one before it.
pub(crate) fn shown<'r, R: Saved>(
    all: &'r [R],
    asked: Option<&String>,
) -> Option<(Option<&'r R>, &'r R)> {
    let wanted = match asked {
        Some(n) => n.parse::<i64>().ok()?,
        None => all.first()?.number(),
    };
    let this = all.iter().find(|r| r.number() == wanted)?;
    Some((all.iter().find(|r| r.number() < wanted), this))
}

/// The comparison of one field, `old` to `new`.
pub(crate) fn field(label: &'static str, old: &str, new: &str) -> FieldDiff {
    let diff = TextDiff::from_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "del",
            ChangeTag::Insert => "ins",
        };
        match pieces.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => pieces.push(Piece {
                kind,
                text: change.value().to_owned(),
            }),
        }
    }
    FieldDiff {
        label,
        changed: old != new,
        pieces,
    }
}

/// The text of an article body, one block (paragraph, heading, list item, table
/// row) a line.
pub(crate) fn body_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "p" | "br" | "h2" | "h3" | "h4" | "li" | "tr" | "figcaption" | "blockquote"
        ) {
            out.push('\n');
        } else if matches!(name.as_str(), "td" | "th") {
            out.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    domain::decode_entities(&out)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_compare_as_text_by_paragraph() {
        assert_eq!(
            body_text("<h2>Tiêu đề</h2><p>Một &amp; hai</p><ul><li>a</li><li>b</li></ul>"),
            "Tiêu đề\nMột & hai\na\nb"
        );
    }

    #[test]
    fn a_field_marks_the_words_that_went_and_came() {
        let f = field(
            "Tiêu đề",
            "Khai giảng năm học mới",
            "Khai giảng năm học 2026–2027",
        );
        assert!(f.changed);
        let of = |kind: &str| -> String {
            f.pieces
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| p.text.as_str())
                .collect()
        };
        assert_eq!(of("del").trim(), "mới");
        assert_eq!(of("ins").trim(), "2026–2027");
        assert!(!field("Tóm tắt", "như cũ", "như cũ").changed);
    }
}
