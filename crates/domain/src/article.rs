//! Articles and categories: the news of a site.

use crate::{ArticleId, CategoryId, MediaId, SafeHtml, SiteId, UserId};

/// A news category of one site ("Tin giáo dục"); the main menu lists them by position.
/// Categories nest one level: a sub-category ("Tin các trường") has a top-level
/// parent ("Tin tức"), whose page lists the sub-categories' articles too.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Id.
    pub id: CategoryId,
    /// The site it belongs to.
    pub site_id: SiteId,
    /// URL slug, unique within the site.
    pub slug: String,
    /// Name shown in the menu and the breadcrumb.
    pub name: String,
    /// Order among its siblings (the top-level categories, or one parent's
    /// sub-categories), smallest first.
    pub position: i64,
    /// The top-level category it belongs under; none for a top-level one.
    pub parent_id: Option<CategoryId>,
    /// What the category is about, for search engines (its page's meta description).
    pub description: String,
    /// Left out of the menu (its page and articles stay public).
    pub hidden: bool,
}

impl Category {
    /// A category with its name and slug, top-level, shown, no description.
    pub fn new(id: CategoryId, site_id: SiteId, slug: &str, name: &str) -> Category {
        Category {
            id,
            site_id,
            slug: slug.to_owned(),
            name: name.to_owned(),
            position: 0,
            parent_id: None,
            description: String::new(),
            hidden: false,
        }
    }

    /// Its page's path, `/tin-tuc/<slug>`.
    pub fn path(&self) -> String {
        format!("/tin-tuc/{}", self.slug)
    }
}

/// Where an article is in its life. Only `Published` articles whose publish time has
/// come are shown to readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStatus {
    /// Being written.
    Draft,
    /// Waiting for an approver.
    Submitted,
    /// Public from its publish time on.
    Published,
    /// Sent back to the writer.
    Rejected,
    /// Taken down after publication.
    Unpublished,
    /// Approved; the server's scheduler publishes it at its publish time.
    Scheduled,
}

impl ArticleStatus {
    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Submitted => "submitted",
            ArticleStatus::Published => "published",
            ArticleStatus::Rejected => "rejected",
            ArticleStatus::Unpublished => "unpublished",
            ArticleStatus::Scheduled => "scheduled",
        }
    }

    /// The status as the back office shows it.
    pub fn label(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "Bản nháp",
            ArticleStatus::Submitted => "Chờ duyệt",
            ArticleStatus::Published => "Đã đăng",
            ArticleStatus::Rejected => "Bị trả lại",
            ArticleStatus::Unpublished => "Đã gỡ",
            ArticleStatus::Scheduled => "Hẹn giờ đăng",
        }
    }

    /// Every status, in the order the back office lists them.
    pub const ALL: [ArticleStatus; 6] = [
        ArticleStatus::Draft,
        ArticleStatus::Submitted,
        ArticleStatus::Scheduled,
        ArticleStatus::Published,
        ArticleStatus::Rejected,
        ArticleStatus::Unpublished,
    ];

    /// Reads a stored value.
    pub fn parse(s: &str) -> Option<ArticleStatus> {
        Some(match s {
            "draft" => ArticleStatus::Draft,
            "submitted" => ArticleStatus::Submitted,
            "published" => ArticleStatus::Published,
            "rejected" => ArticleStatus::Rejected,
            "unpublished" => ArticleStatus::Unpublished,
            "scheduled" => ArticleStatus::Scheduled,
            _ => return None,
        })
    }
}

/// A stored image as pages use it.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRef {
    /// Id.
    pub id: MediaId,
    /// Path of the full-size file below the media folder.
    pub path: String,
    /// Path of the thumbnail below the media folder, when one was made.
    pub thumb_path: Option<String>,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
    /// The responsive sizes stored for it (none for images made before uploads
    /// had them).
    pub sizes: Vec<ImageSize>,
}

/// One stored size of an image, for `srcset`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSize {
    /// Path below the media folder.
    pub path: String,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
    /// MIME type ("image/jpeg", "image/webp" …).
    pub mime: String,
}

impl MediaRef {
    /// A `srcset` value of the sizes of one MIME type, narrowest first; empty when
    /// there are none.
    pub fn srcset(&self, mime: &str) -> String {
        let mut sizes: Vec<&ImageSize> = self.sizes.iter().filter(|s| s.mime == mime).collect();
        sizes.sort_by_key(|s| s.width);
        sizes
            .iter()
            .map(|s| format!("/media/{} {}w", s.path, s.width))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The MIME type of the main file's sizes (the one `<img srcset>` takes).
    pub fn main_mime(&self) -> &str {
        self.sizes
            .iter()
            .find(|s| s.path == self.path)
            .or_else(|| self.sizes.iter().find(|s| s.mime != "image/webp"))
            .map(|s| s.mime.as_str())
            .unwrap_or("")
    }

    /// Public URL of the full-size file.
    pub fn url(&self) -> String {
        format!("/media/{}", self.path)
    }

    /// Public URL of the thumbnail, or of the full file when there is none.
    pub fn thumb_url(&self) -> String {
        format!(
            "/media/{}",
            self.thumb_path.as_deref().unwrap_or(&self.path)
        )
    }
}

/// One photo of an article's gallery.
#[derive(Debug, Clone, PartialEq)]
pub struct GalleryImage {
    /// The image.
    pub media: MediaRef,
    /// Its caption, also its alt text.
    pub caption: String,
}

/// An article with everything its page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Id.
    pub id: ArticleId,
    /// Site.
    pub site_id: SiteId,
    /// Its category.
    pub category: Category,
    /// Current URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// The sapo: a lead of one or two sentences.
    pub summary: String,
    /// Body, sanitised.
    pub body: SafeHtml,
    /// The credit line as printed ("Tin, ảnh: Thanh Bình").
    pub author: String,
    /// The author's unit or the source ("Văn phòng Sở"), if any.
    pub source: Option<String>,
    /// Cover image, used for thumbnails and link previews.
    pub cover: Option<MediaRef>,
    /// Shown in "Tin nổi bật".
    pub featured: bool,
    /// Status.
    pub status: ArticleStatus,
    /// Publish time, UTC seconds.
    pub published_at: i64,
    /// Time of the last edit after publication ("Ngày cập nhật"), UTC seconds.
    pub updated_at: Option<i64>,
    /// Times read ("Lượt xem"), as last stored.
    pub views: i64,
    /// Photos shown at the end of the article.
    pub gallery: Vec<GalleryImage>,
}

/// What a list of articles shows of each: a card with thumbnail, title, date, summary.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleCard {
    /// Id.
    pub id: ArticleId,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Sapo.
    pub summary: String,
    /// Category slug, for the URL.
    pub category_slug: String,
    /// Category name.
    pub category_name: String,
    /// Publish time, UTC seconds.
    pub published_at: i64,
    /// Cover image.
    pub cover: Option<MediaRef>,
}

impl ArticleCard {
    /// The article's public path.
    pub fn path(&self) -> String {
        article_path(&self.category_slug, &self.slug)
    }
}

impl Article {
    /// The article's public path.
    pub fn path(&self) -> String {
        article_path(&self.category.slug, &self.slug)
    }
}

/// The public address of an article: `/tin-tuc/<category>/<slug>`.
pub fn article_path(category_slug: &str, slug: &str) -> String {
    format!("/tin-tuc/{category_slug}/{slug}")
}

/// An article to be written to the store. Text fields are NFC-normalised and trimmed
/// by [`NewArticle::new`]; the body is already [`SafeHtml`].
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// Site.
    pub site_id: SiteId,
    /// Category.
    pub category_id: CategoryId,
    /// Slug; generated from the title when empty.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Sapo.
    pub summary: String,
    /// Body.
    pub body: SafeHtml,
    /// Credit line.
    pub author: String,
    /// Unit or source.
    pub source: Option<String>,
    /// Cover image.
    pub cover: Option<MediaId>,
    /// Featured.
    pub featured: bool,
    /// Status.
    pub status: ArticleStatus,
    /// Publish time, UTC seconds.
    pub published_at: i64,
    /// Last edit after publication, UTC seconds.
    pub updated_at: Option<i64>,
    /// Gallery photos with captions.
    pub gallery: Vec<(MediaId, String)>,
    /// Who wrote it in the back office (none for imported and demo articles).
    pub author_id: Option<UserId>,
    /// When it comes off the public site by itself, UTC seconds.
    pub expires_at: Option<i64>,
}

impl NewArticle {
    /// A published article with cleaned text; the slug comes from the title.
    pub fn new(
        site_id: SiteId,
        category_id: CategoryId,
        title: &str,
        summary: &str,
        body: SafeHtml,
        published_at: i64,
    ) -> NewArticle {
        let title = vntext::clean_line(title);
        NewArticle {
            site_id,
            category_id,
            slug: vntext::slugify(&title),
            title,
            summary: vntext::clean_line(summary),
            body,
            author: String::new(),
            source: None,
            cover: None,
            featured: false,
            status: ArticleStatus::Published,
            published_at,
            updated_at: None,
            gallery: Vec::new(),
            author_id: None,
            expires_at: None,
        }
    }
}

/// What the editor's form holds: an article's text and settings, cleaned and
/// checked by [`ArticleDraft::problems`] before anything is saved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArticleDraft {
    /// Category.
    pub category_id: Option<CategoryId>,
    /// Slug as typed; made from the title when empty.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Sapo.
    pub summary: String,
    /// Body, sanitised.
    pub body: SafeHtml,
    /// Credit line.
    pub author: String,
    /// Unit or source.
    pub source: String,
    /// Cover image.
    pub cover: Option<MediaId>,
    /// Featured ("Tin nổi bật").
    pub featured: bool,
    /// Publish time, UTC seconds; none: when it is published.
    pub publish_at: Option<i64>,
    /// Comes off the site at this time, UTC seconds.
    pub expires_at: Option<i64>,
    /// Photos shown at the end, in order, with their captions.
    pub gallery: Vec<(MediaId, String)>,
}

/// The longest title the site accepts.
pub const MAX_TITLE_CHARS: usize = 300;

impl ArticleDraft {
    /// The slug to store: the one typed, cleaned, or one made from the title.
    pub fn effective_slug(&self) -> String {
        let typed = vntext::slugify(&self.slug);
        if typed.is_empty() {
            vntext::slugify(&self.title)
        } else {
            typed
        }
    }

    /// What is wrong with the draft, field by field (form field name, message).
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push(("title", "Vui lòng nhập tiêu đề bài viết."));
        } else if self.title.chars().count() > MAX_TITLE_CHARS {
            out.push(("title", "Tiêu đề dài quá 300 ký tự; hãy rút gọn."));
        } else if self.effective_slug().is_empty() {
            out.push(("slug", "Đường dẫn phải có ít nhất một chữ hoặc số."));
        }
        if self.category_id.is_none() {
            out.push(("category", "Vui lòng chọn chuyên mục."));
        }
        if let (Some(p), Some(e)) = (self.publish_at, self.expires_at)
            && e <= p
        {
            out.push(("expires_at", "Thời điểm hết hạn phải sau thời điểm đăng."));
        }
        out
    }
}

/// A file of a site's media library.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaItem {
    /// The file as pages use it (for other files than images: no sizes, 0 × 0).
    pub media: MediaRef,
    /// "image", "pdf", "document", "spreadsheet" or "video".
    pub kind: String,
    /// MIME type, from the content.
    pub mime: String,
    /// Size in bytes.
    pub bytes: i64,
    /// The name it was uploaded under.
    pub original_name: String,
    /// Uploaded at, UTC seconds.
    pub created_at: i64,
    /// Who uploaded it (full name; empty when unknown).
    pub uploaded_by: String,
}

/// An article as the back office edits it.
#[derive(Debug, Clone, PartialEq)]
pub struct EditableArticle {
    /// Id.
    pub id: ArticleId,
    /// Site.
    pub site_id: SiteId,
    /// Status.
    pub status: ArticleStatus,
    /// Bumped by every save; a save names the revision it started from.
    pub revision: i64,
    /// Who wrote it, when written in the back office.
    pub author_id: Option<UserId>,
    /// The text and settings.
    pub draft: ArticleDraft,
    /// Current slug.
    pub slug: String,
    /// Publish time as stored (for a draft: when it was created).
    pub published_at: i64,
    /// "Ngày cập nhật".
    pub updated_at: Option<i64>,
    /// Created.
    pub created_at: i64,
    /// Why it was sent back, when rejected.
    pub reject_reason: String,
    /// Category slug, for the public address.
    pub category_slug: String,
}

impl EditableArticle {
    /// The article's public path.
    pub fn path(&self) -> String {
        article_path(&self.category_slug, &self.slug)
    }
}

/// A line of the back office's list of articles.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    /// Id.
    pub id: ArticleId,
    /// Title.
    pub title: String,
    /// Status.
    pub status: ArticleStatus,
    /// Category name.
    pub category_name: String,
    /// Writer's full name (empty when not written here).
    pub author_name: String,
    /// Publish time (or creation time of a draft).
    pub published_at: i64,
    /// Last change of any kind.
    pub changed_at: i64,
    /// Featured.
    pub featured: bool,
}

/// One saved version of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// 1, 2, 3 … per article.
    pub number: i64,
    /// Category name at the time.
    pub category_name: String,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Sapo.
    pub summary: String,
    /// Body.
    pub body: SafeHtml,
    /// Credit line.
    pub author: String,
    /// Unit or source.
    pub source: Option<String>,
    /// Who saved it (full name; empty when unknown).
    pub saved_by: String,
    /// When.
    pub saved_at: i64,
    /// What happened ("tạo bài", "sửa", "khôi phục phiên bản 3").
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips() {
        for s in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ArticleStatus::parse("xoá"), None);
    }

    #[test]
    fn new_article_cleans_text_and_makes_a_slug() {
        let a = NewArticle::new(
            SiteId(1),
            CategoryId(2),
            "  Khai gia\u{309}ng  năm học mới ",
            "Sapo",
            SafeHtml::sanitize("<p>x</p>"),
            0,
        );
        assert_eq!(a.title, "Khai giảng năm học mới");
        assert_eq!(a.slug, "khai-giang-nam-hoc-moi");
    }
}
