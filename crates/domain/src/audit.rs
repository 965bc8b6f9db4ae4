//! The audit log as the back office reads it: who did what, where and when.

use crate::{SiteId, UserId};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Id, increasing with time.
    pub id: i64,
    /// When, UTC seconds.
    pub at: i64,
    /// The site it happened on (none for the command line's work).
    pub site: Option<SiteId>,
    /// That site's name (empty when none).
    pub site_name: String,
    /// Who (none for failed logins and the system).
    pub user: Option<UserId>,
    /// Their login name (empty when none).
    pub username: String,
    /// Their full name (empty when none).
    pub full_name: String,
    /// What, in Vietnamese ("đăng nhập", "đăng bài viết" …).
    pub action: String,
    /// About what ("#12 Khai giảng năm học mới", a login name …).
    pub detail: String,
    /// The client's address.
    pub ip: String,
}
