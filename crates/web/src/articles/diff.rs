//! What a revision changed: word by word, field by field, as editors read a
//! "track changes" view. Bodies are compared as their text, one paragraph a line,
//! so markup noise does not hide the words that changed.

use domain::Revision;
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

/// Compares `this` with `before` (none: everything is new).
pub(crate) fn revision_diff(before: Option<&Revision>, this: &Revision) -> RevisionDiff {
    let old = |f: fn(&Revision) -> String| before.map(f).unwrap_or_default();
    let byline = |r: &Revision| match &r.source {
        Some(s) if !s.is_empty() => format!("{} ({s})", r.author),
        _ => r.author.clone(),
    };
    let fields = vec![
        field("Tiêu đề", &old(|r| r.title.clone()), &this.title),
        field(
            "Chuyên mục",
            &old(|r| r.category_name.clone()),
            &this.category_name,
        ),
        field("Đường dẫn", &old(|r| r.slug.clone()), &this.slug),
        field("Tóm tắt", &old(|r| r.summary.clone()), &this.summary),
        field(
            "Nội dung",
            &old(|r| body_text(r.body.as_str())),
            &body_text(this.body.as_str()),
        ),
        field(
            "Tác giả, nguồn",
            &before.map(byline).unwrap_or_default(),
            &byline(this),
        ),
    ];
    RevisionDiff {
        number: this.number,
        before: before.map(|r| r.number),
        fields,
    }
}

fn field(label: &'static str, old: &str, new: &str) -> FieldDiff {
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
    use domain::SafeHtml;

    fn rev(number: i64, title: &str, body: &str) -> Revision {
        Revision {
            number,
            category_name: "Tin giáo dục".into(),
            slug: "bai".into(),
            title: title.into(),
            summary: String::new(),
            body: SafeHtml::sanitize(body),
            author: "Thanh Bình".into(),
            source: None,
            saved_by: String::new(),
            saved_at: 0,
            note: String::new(),
        }
    }

    #[test]
    fn words_that_changed_are_marked() {
        let a = rev(
            1,
            "Khai giảng năm học mới",
            "<p>Sáng nay, toàn tỉnh khai giảng.</p>",
        );
        let b = rev(
            2,
            "Khai giảng năm học 2026–2027",
            "<p>Sáng nay, toàn tỉnh khai giảng.</p><p>Có 300 trường.</p>",
        );
        let d = revision_diff(Some(&a), &b);
        let title = &d.fields[0];
        assert!(title.changed);
        let del: String = title
            .pieces
            .iter()
            .filter(|p| p.kind == "del")
            .map(|p| p.text.as_str())
            .collect();
        let ins: String = title
            .pieces
            .iter()
            .filter(|p| p.kind == "ins")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(del.trim(), "mới");
        assert_eq!(ins.trim(), "2026–2027");
        let body = &d.fields[4];
        assert!(body.changed);
        assert!(
            body.pieces
                .iter()
                .any(|p| p.kind == "ins" && p.text.contains("Có 300 trường."))
        );
        assert!(!d.fields[1].changed, "the category stayed");
    }

    #[test]
    fn bodies_compare_as_text_by_paragraph() {
        assert_eq!(
            body_text("<h2>Tiêu đề</h2><p>Một &amp; hai</p><ul><li>a</li><li>b</li></ul>"),
            "Tiêu đề\nMột & hai\na\nb"
        );
    }
}
