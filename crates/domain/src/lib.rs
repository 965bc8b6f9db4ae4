//! eduportal's types and rules. Nothing here does I/O: the store reads and writes
//! these types, the web layer turns them into pages.

mod account;
mod article;
mod audit;
mod doc_kind;
mod html;
mod ids;
mod menu;
mod page;
mod paging;
pub mod password;
mod site;
mod unit;
mod workflow;

pub use account::{AccountError, Role, User, UserId, check_password, normalize_username};
pub use article::{
    Article, ArticleCard, ArticleDraft, ArticleRow, ArticleStatus, Category, EditableArticle,
    GalleryImage, ImageSize, MAX_TITLE_CHARS, MediaItem, MediaRef, NewArticle, Revision,
    article_path,
};
pub use audit::AuditEntry;
pub use doc_kind::DocKind;
pub use html::{SafeHtml, decode_entities};
pub use ids::{ArticleId, CategoryId, ExamSessionId, MediaId, PageId, SiteId, UnitId};
pub use menu::{
    HomeBlock, MENU_GROUP, MENU_LINK, MenuItem, MenuMove, MenuPlace, MenuRefusal, move_home_block,
    move_menu_item,
};
pub use page::{MAX_PAGE_TITLE_CHARS, Page, PageDraft, PageRevision, page_path};
pub use paging::{PageNumber, Pager};
pub use site::{
    MAX_SITE_NAME_CHARS, Site, SiteSettings, WebLink, check_host, is_email, is_local_path,
    is_web_url, normalize_host,
};
pub use unit::{MAX_UNIT_NAME_CHARS, Unit, UnitKind, check_unit_key, check_unit_name};
pub use workflow::{ArticleAction, WorkflowError, next_status, offered_actions};
