//! Static pages: what a site says about itself ("Giới thiệu", "Lịch sử", "Cơ cấu tổ
//! chức", "Liên hệ"), written in the articles' editor and kept with their revisions.

use crate::{PageId, SafeHtml, SiteId};

/// The longest title a page may have, in characters.
pub const MAX_PAGE_TITLE_CHARS: usize = 200;

/// A static page as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Id.
    pub id: PageId,
    /// The site it belongs to.
    pub site_id: SiteId,
    /// URL slug, unique within the site: the page answers at `/trang/<slug>`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// For search engines and link previews (its meta description).
    pub description: String,
    /// Body, sanitised.
    pub body: SafeHtml,
    /// Whether readers see it; an unpublished page is a draft only the back office shows.
    pub published: bool,
    /// Revision counter: a save names the one it started from.
    pub revision: i64,
    /// Created, UTC seconds.
    pub created_at: i64,
    /// Last saved, UTC seconds.
    pub updated_at: i64,
}

impl Page {
    /// Its public path.
    pub fn path(&self) -> String {
        page_path(&self.slug)
    }
}

/// The public path of the page with `slug`.
pub fn page_path(slug: &str) -> String {
    format!("/trang/{slug}")
}

/// What the page editor saves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageDraft {
    /// Slug as typed (empty: made from the title).
    pub slug: String,
    /// Title, cleaned.
    pub title: String,
    /// Meta description, cleaned.
    pub description: String,
    /// Body, sanitised.
    pub body: SafeHtml,
    /// Shown to readers.
    pub published: bool,
}

impl PageDraft {
    /// The slug to store: the one typed, or one made from the title.
    pub fn effective_slug(&self) -> String {
        let typed = vntext::slugify(&self.slug);
        if typed.is_empty() {
            vntext::slugify(&self.title)
        } else {
            typed
        }
    }

    /// What is wrong with it, in Vietnamese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.is_empty() {
            out.push("Vui lòng nhập tiêu đề trang.".to_owned());
        } else if self.title.chars().count() > MAX_PAGE_TITLE_CHARS {
            out.push(format!(
                "Tiêu đề dài quá {MAX_PAGE_TITLE_CHARS} ký tự; hãy viết gọn lại."
            ));
        }
        if !self.title.is_empty() && self.effective_slug().is_empty() {
            out.push("Đường dẫn cần có chữ hoặc số.".to_owned());
        }
        out
    }
}

/// One saved version of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRevision {
    /// 1, 2, 3 … per page.
    pub number: i64,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Body.
    pub body: SafeHtml,
    /// Who saved it (full name; empty when unknown).
    pub saved_by: String,
    /// When.
    pub saved_at: i64,
    /// What happened ("tạo trang", "sửa trang", "khôi phục phiên bản 2").
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slug_comes_from_the_title_when_none_is_typed() {
        let d = PageDraft {
            title: "Cơ cấu tổ chức".into(),
            ..PageDraft::default()
        };
        assert_eq!(d.effective_slug(), "co-cau-to-chuc");
        let d = PageDraft {
            slug: "Liên hệ".into(),
            title: "Thông tin liên hệ".into(),
            ..PageDraft::default()
        };
        assert_eq!(d.effective_slug(), "lien-he");
        assert!(d.problems().is_empty());
        assert_eq!(
            PageDraft::default().problems(),
            ["Vui lòng nhập tiêu đề trang."]
        );
    }
}
