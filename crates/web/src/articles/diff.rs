//! What an article's revision changed (the fields editors compare), shown by
//! the shared history page (`platform::revisions`).

use crate::platform::revisions::{RevisionDiff, Saved, body_text, field};
use domain::Revision;

impl Saved for Revision {
    fn saved(&self) -> (i64, i64, &str, &str) {
        (self.number, self.saved_at, &self.saved_by, &self.note)
    }
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
}
