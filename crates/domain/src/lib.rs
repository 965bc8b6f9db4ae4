//! eduportal's types and rules. Nothing here does I/O: the store reads and writes
//! these types, the web layer turns them into pages.

mod account;
mod article;
mod audit;
pub mod calendar;
mod doc_kind;
mod document;
mod draft;
mod emulation;
mod html;
mod ids;
mod menu;
mod notice;
mod page;
mod paging;
pub mod password;
mod question;
mod site;
mod unit;
mod workflow;

pub use account::{AccountError, Role, User, UserId, check_password, normalize_username};
pub use article::{
    Article, ArticleCard, ArticleDraft, ArticleOrigin, ArticleRow, ArticleStatus, Category,
    EditableArticle, GalleryImage, ImageSize, MAX_TITLE_CHARS, MediaItem, MediaRef, NewArticle,
    Revision, article_path,
};
pub use audit::AuditEntry;
pub use doc_kind::DocKind;
pub use document::{
    Document, DocumentDates, DocumentDraft, DocumentFile, DocumentId, DocumentRevision, ListTag,
    MAX_DOCUMENT_NUMBER_CHARS, MAX_DOCUMENT_SUMMARY_CHARS, Term, TermList, Validity, document_path,
    number_digits, number_key, validity,
};
pub use draft::{
    CommentStatus, Draft, DraftArticle, DraftComment, DraftInput, MAX_COMMENT_CHARS, NewComment,
    Period, anchored, article_number, articles_of,
};
pub use emulation::{
    ENTRY_KINDS, EmulationSide, MOVEMENT_KINDS, ProposalMove, ProposalRefusal, ProposalStatus,
    emulation_side, in_movement_scope, movement_kind_label, next_proposal_status,
    offered_proposal_moves, parse_entry_kind,
};
pub use html::{SafeHtml, decode_entities};
pub use ids::{ArticleId, CategoryId, ExamSessionId, MediaId, PageId, SiteId, UnitId};
pub use menu::{
    HomeBlock, MENU_GROUP, MENU_LINK, MenuItem, MenuMove, MenuPlace, MenuRefusal, move_home_block,
    move_menu_item,
};
pub use notice::{Audience, MAX_NOTICE_TITLE_CHARS, Notice, NoticeDraft, notice_path};
pub use page::{MAX_PAGE_TITLE_CHARS, Page, PageDraft, PageRevision, page_path};
pub use paging::{PageNumber, Pager};
pub use question::{
    MAX_QUESTION_BODY_CHARS, MAX_QUESTION_TITLE_CHARS, QUESTION_FIELDS, QuestionDraft, QuestionId,
    QuestionStatus, SALUTATIONS, normalize_tracking_code, question_field_label, shortened_name,
    tracking_code,
};
pub use site::{
    MAX_SITE_NAME_CHARS, Site, SiteSettings, check_host, is_email, is_local_path, is_web_url,
    normalize_host,
};
pub use unit::{
    MAX_UNIT_NAME_CHARS, Unit, UnitKind, check_unit_key, check_unit_name, is_under, units_under,
};
pub use workflow::{ArticleAction, Content, WorkflowError, next_status, offered_actions};
