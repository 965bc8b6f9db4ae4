//! The articles' view models: cards, the article and print pages, news by date,
//! feeds and sitemap, and the back office's list, editor and revisions.

use crate::platform::layout::*;
use askama::Template;
use domain::ArticleCard;

/// An article in a list.
pub(crate) struct Card {
    pub title: String,
    pub url: String,
    pub date: String,
    pub iso: String,
    pub summary: String,
    pub category: String,
    pub category_url: String,
    pub thumb: Option<Img>,
}

impl From<&ArticleCard> for Card {
    fn from(a: &ArticleCard) -> Card {
        Card {
            title: a.title.clone(),
            url: a.path(),
            date: vntext::format_date(a.published_at),
            iso: iso(a.published_at),
            summary: a.summary.clone(),
            category: a.category_name.clone(),
            category_url: format!("/tin-tuc/{}", a.category_slug),
            thumb: a.cover.as_ref().map(Img::thumb),
        }
    }
}

pub(crate) fn cards(list: &[ArticleCard]) -> Vec<Card> {
    list.iter().map(Card::from).collect()
}

/// A category named in a category page's breadcrumb or its list of sub-categories.
pub(crate) struct Crumb {
    pub name: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "articles/category.html")]
pub(crate) struct CategoryTemplate {
    pub layout: Layout,
    pub name: String,
    pub url: String,
    /// The category it belongs under.
    pub parent: Option<Crumb>,
    /// Its sub-categories, whose articles it lists too.
    pub children: Vec<Crumb>,
    pub page: u32,
    pub cards: Vec<Card>,
    pub pager: Option<PagerView>,
    pub latest: Vec<Card>,
}

/// A photo of the gallery.
pub(crate) struct Photo {
    pub img: Img,
    pub caption: String,
}

/// Everything the article page and its print view show.
pub(crate) struct ArticleView {
    pub id: i64,
    pub views: String,
    pub title: String,
    pub url: String,
    pub category: String,
    pub category_url: String,
    pub weekday: String,
    pub published: String,
    pub published_iso: String,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub summary: String,
    pub body: String,
    pub author: String,
    pub source: Option<String>,
    pub gallery: Vec<Photo>,
    /// A re-published article's original: its school's name and address.
    pub original: Option<(String, String)>,
}

/// Share links of an article: Facebook, Zalo and copy-link, without third-party scripts.
pub(crate) struct Share {
    pub url: String,
    pub facebook: String,
}

impl Share {
    pub fn new(url: &str) -> Share {
        Share {
            url: url.to_owned(),
            facebook: format!(
                "https://www.facebook.com/sharer/sharer.php?u={}",
                percent_encode(url)
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "articles/article.html")]
pub(crate) struct ArticleTemplate {
    pub share: Share,
    pub layout: Layout,
    pub a: ArticleView,
    pub related: Vec<Card>,
    pub related_pager: Option<PagerView>,
    pub latest: Vec<Card>,
    /// The commended whose "Gương điển hình tiên tiến" story this is (issue 17).
    pub commended: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "articles/print.html")]
pub(crate) struct PrintTemplate {
    pub site_name: String,
    pub absolute_url: String,
    pub a: ArticleView,
    pub css_url: String,
    pub js_url: String,
}

/// A link to another day of "Xem tin theo ngày".
pub(crate) struct DayLink {
    pub url: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "articles/by_date.html")]
pub(crate) struct ByDateTemplate {
    pub layout: Layout,
    pub day: String,
    pub error: Option<&'static str>,
    pub cards: Vec<Card>,
    pub previous: Option<DayLink>,
    pub next: Option<DayLink>,
}

/// A feed on the "RSS" page.
pub(crate) struct FeedLink {
    pub title: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "articles/rss_page.html")]
pub(crate) struct RssPageTemplate {
    pub layout: Layout,
    pub feeds: Vec<FeedLink>,
}

/// A line of the back office's list of articles.
pub(crate) struct ArticleRowView {
    pub url: String,
    pub title: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub category: String,
    pub author: String,
    pub date: String,
    pub featured: bool,
}

#[derive(Template)]
#[template(path = "articles/admin_list.html")]
pub(crate) struct ArticleListTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<ArticleRowView>,
    pub total: String,
    pub statuses: Vec<SelectOption>,
    pub categories: Vec<SelectOption>,
    pub authors: Vec<SelectOption>,
    pub from: String,
    pub to: String,
    pub title: String,
    pub notes: Vec<String>,
    pub pager: Option<PagerView>,
}

/// The editor's fields as they are shown (as typed, after a refused save).
#[derive(Default)]
pub(crate) struct FormValues {
    pub title: String,
    pub slug: String,
    pub category: String,
    pub summary: String,
    pub body: String,
    pub author: String,
    pub source: String,
    pub featured: bool,
    pub publish_at: String,
    pub expires_at: String,
    pub reject_reason: String,
    pub cover: String,
    pub revision: String,
    /// Gallery photos: (media id, caption).
    pub gallery: Vec<(String, String)>,
}

impl FormValues {
    /// Whether the photo is ticked for the gallery.
    pub fn in_gallery(&self, id: &str) -> bool {
        self.gallery.iter().any(|(g, _)| g == id)
    }

    /// The caption typed for a gallery photo.
    pub fn caption(&self, id: &str) -> &str {
        self.gallery
            .iter()
            .find(|(g, _)| g == id)
            .map(|(_, c)| c.as_str())
            .unwrap_or("")
    }
}

/// A submit button of the editor.
pub(crate) struct Button {
    pub value: &'static str,
    pub label: &'static str,
    pub class: &'static str,
}

impl Button {
    /// The button for `action`; `now` says whether publishing happens now (no
    /// publish time typed) or is scheduled.
    pub fn for_action(action: domain::ArticleAction, now: bool) -> Button {
        use domain::ArticleAction as A;
        let (label, class) = match action {
            A::Save => ("Lưu", "button"),
            A::Submit => ("Gửi duyệt", "button button-primary"),
            A::Publish if now => ("Đăng bài", "button button-primary"),
            A::Publish => ("Đăng / hẹn giờ đăng", "button button-primary"),
            A::Reject => ("Trả lại người viết", "button"),
            A::Unpublish => ("Gỡ bài khỏi trang", "button"),
            A::Delete => ("Xoá bài", "button button-danger"),
        };
        Button {
            value: action.as_str(),
            label,
            class,
        }
    }
}

#[derive(Template)]
#[template(path = "articles/admin_edit.html")]
pub(crate) struct ArticleEditTemplate {
    pub chrome: AdminChrome,
    pub heading: String,
    pub action_url: String,
    pub values: FormValues,
    pub categories: Vec<SelectOption>,
    pub buttons: Vec<Button>,
    pub read_only: bool,
    pub show_reject: bool,
    pub status: &'static str,
    pub public_url: Option<String>,
    pub revisions_url: Option<String>,
    pub rejected_because: Option<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub warning: Option<String>,
    pub covers: Vec<CoverChoice>,
}

/// An image the editor may pick as the article's cover.
pub(crate) struct CoverChoice {
    pub id: String,
    pub thumb: String,
    pub label: String,
}
