//! Vietnamese full-text search for eduportal: a tantivy index on disk (or in memory for
//! tests) with a Vietnamese analyzer built from `vntext`.
//!
//! This crate knows nothing of databases or HTTP. The web layer turns `/tim-kiem?q=…`
//! into a [`Query`] and renders [`Results`]; an indexer that follows the store's outbox
//! calls [`SearchIndex::upsert`], [`SearchIndex::delete`] and [`SearchIndex::commit`].
//!
//! What a reader gets:
//! - words found with or without tone marks ("giao duc" finds "giáo dục", "dang vien"
//!   finds "đảng viên"); typed marks rank exact matches first ("đường" above "dương");
//! - old and new tone placement ("hòa"/"hoà"), NFD and NFC, upper and lower case alike;
//! - words typed in Telex or VNI with the input method off ("giaos ducj", "gia1o du5c")
//!   read as the Vietnamese they spell, and said so in [`Results::interpreted`];
//! - codes of documents ("1737/CT-BGDĐT", "29-NQ/TW") found as typed;
//! - a phrase typed with its marks ("Nguyễn Đông Phong") found whole ranking above its
//!   syllables folded and scattered ("Phát động phong trào");
//! - several syllables of one word or name ranking as a unit when they stand together,
//!   titles above summaries above bodies, the newer of two equal results first;
//! - any input at all, operators, quotes and control characters included, answered
//!   with results or with none, never with an error.
//!
//! The analyzer is described in [`analyzer`], the ranking in [`SearchIndex::search`].

pub mod analyzer;
mod count;
#[cfg(feature = "testing")]
pub mod faulty;
mod highlight;
mod ids;
mod index;
mod query;
mod schema;

pub use ids::{IdPage, ListOrder};
pub use index::{IndexOptions, SearchIndex};

/// What kind of thing a document of the index is; defined in `domain`, whose
/// store names the kind of each change in its outbox.
pub use domain::DocKind;

/// One thing to be found: what the indexer hands over for each published item.
///
/// Text is taken as given (NFC-normalised on the way in); `body_text` is the body
/// without markup.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// Kind; with `id`, the identity of the document in the index.
    pub kind: DocKind,
    /// Id within its kind.
    pub id: i64,
    /// The site it belongs to.
    pub site_id: i64,
    /// The site's name, shown with the hit.
    pub site_name: String,
    /// Its category.
    pub category_id: i64,
    /// The category's name, shown with the hit.
    pub category_name: String,
    /// Absolute URL of the page.
    pub url: String,
    /// Title.
    pub title: String,
    /// Summary (sapo).
    pub summary: String,
    /// Body as plain text.
    pub body_text: String,
    /// Publication time, UTC seconds.
    pub published_at: i64,
    /// The day the item is dated, as `yyyymmdd` (an official document's issue
    /// date, the order of its list), 0 when it has none.
    pub dated: i64,
    /// Terms its own list narrows by, matched whole ("loai:3", "nam:2025": see
    /// `domain::ListTag`); none for most kinds.
    pub tags: Vec<String>,
}

/// The order of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first; the newer of two equal matches first.
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// A reader's search.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What was typed, as typed. Anything goes.
    pub text: String,
    /// Only this site ("trang này"); `None` for all sites.
    pub site: Option<i64>,
    /// Only this category.
    pub category: Option<i64>,
    /// Only these kinds; empty for all.
    pub kinds: Vec<DocKind>,
    /// Published at or after (UTC seconds).
    pub from: Option<i64>,
    /// Published before (UTC seconds, exclusive).
    pub to: Option<i64>,
    /// Order.
    pub sort: Sort,
    /// Page number, from 1.
    pub page: usize,
    /// Hits per page (at most [`Query::MAX_PER_PAGE`]).
    pub per_page: usize,
}

impl Query {
    /// The most hits a page may ask for.
    pub const MAX_PER_PAGE: usize = 50;
    /// The deepest page served; deeper asks get the last one.
    pub const MAX_PAGE: usize = 100;

    /// A search for `text` over every site, best first, ten a page.
    pub fn new(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            site: None,
            category: None,
            kinds: Vec::new(),
            from: None,
            to: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: 10,
        }
    }
}

/// One result, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Kind.
    pub kind: DocKind,
    /// Id within its kind.
    pub id: i64,
    /// Site.
    pub site_id: i64,
    /// The whole title, HTML-escaped, matched words in `<mark>`.
    pub title_html: String,
    /// A passage of the body (or the summary) around the matched words, HTML-escaped,
    /// matched words in `<mark>`.
    pub snippet_html: String,
    /// Page address.
    pub url: String,
    /// Publication time, UTC seconds.
    pub published_at: i64,
    /// Category name.
    pub category_name: String,
    /// Site name.
    pub site_name: String,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// How many documents match in all.
    pub total: usize,
    /// This page's hits.
    pub hits: Vec<Hit>,
    /// What the query was read as, when that differs from what was typed: the words
    /// decoded from Telex or VNI ("giaos ducj" → "giáo dục"). The page can say
    /// "Kết quả cho: giáo dục".
    pub interpreted: Option<String>,
    /// Whether only some of the words could be found together, so the results match
    /// any of them rather than all.
    pub partial: bool,
}

/// A title offered while the reader types.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Kind.
    pub kind: DocKind,
    /// Id within its kind.
    pub id: i64,
    /// Site.
    pub site_id: i64,
    /// Title as written.
    pub title: String,
    /// Title, HTML-escaped, typed words in `<mark>`.
    pub title_html: String,
    /// Page address.
    pub url: String,
}

/// What can go wrong with the index itself. A reader's query never causes one.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed (disk, corrupt files, a lock held by another process…).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index folder could not be opened.
    #[error("search index folder: {0}")]
    Folder(#[from] tantivy::directory::error::OpenDirectoryError),
    /// The index in the folder was made by an older version of this crate, with other
    /// settings: remove the folder and index again.
    #[error("search index: made by an older version, to be built again")]
    Outdated,
    /// The index folder could not be made.
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
}

/// This crate's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
