//! The audit log: who did what. Content changes write their entries through
//! `change.rs`; here are the entries written alone and the log's page.

use crate::change::AuditNote;
use crate::query::{Conditions, Sql};
use crate::{Result, Store};
use domain::{AuditEntry, SiteId, UserId};
use sqlx::Row;
use std::collections::HashMap;

/// What the audit log's page is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this site's entries (none: every site's, for a super-administrator).
    pub site: Option<SiteId>,
    /// Only this person's.
    pub user: Option<UserId>,
    /// Only this action, exactly as stored.
    pub action: Option<String>,
    /// At or after, UTC seconds.
    pub from: Option<i64>,
    /// Before, UTC seconds.
    pub to: Option<i64>,
}

impl AuditFilter {
    /// The conditions, to go after `FROM audit_log l`.
    fn conditions(&self) -> Conditions<'_> {
        let mut c = Conditions::default();
        if let Some(s) = self.site {
            c.add("l.site_id = ", s.0);
        }
        if let Some(u) = self.user {
            c.add("l.user_id = ", u.0);
        }
        if let Some(a) = &self.action {
            c.add("l.action = ", a.as_str());
        }
        if let Some(t) = self.from {
            c.add("l.at >= ", t);
        }
        if let Some(t) = self.to {
            c.add("l.at < ", t);
        }
        c
    }
}

/// The "address" of an action taken on the command line (`eduportal user …`,
/// `eduportal exam …`): the audit log shows "dòng lệnh" as who and where.
pub const COMMAND_LINE: &str = "dòng lệnh";

impl Store {
    /// Writes an entry to the audit log.
    pub async fn audit(
        &self,
        site: Option<SiteId>,
        user: Option<UserId>,
        action: &str,
        detail: &str,
        ip: &str,
        now: i64,
    ) -> Result<()> {
        let mut conn = self.db_write().acquire().await?;
        let note = AuditNote { user, action, ip };
        crate::change::write_audit(&mut conn, site, note, detail, now).await
    }

    /// The newest audit entries: (time, user name or empty, action, detail).
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<(i64, String, String, String)>> {
        let rows = sqlx::query(
            "SELECT l.at, COALESCE(u.username, '') AS username, l.action, l.detail \
             FROM audit_log l LEFT JOIN users u ON u.id = l.user_id ORDER BY l.at DESC, l.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("at")?,
                    r.try_get("username")?,
                    r.try_get("action")?,
                    r.try_get("detail")?,
                ))
            })
            .collect()
    }

    /// One page of the audit log, newest first, and how many entries match in all.
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        let conditions = filter.conditions();
        let mut count = Sql::new("SELECT COUNT(*) AS n FROM audit_log l");
        count.push_where(&conditions);
        let total: i64 = count
            .query()
            .fetch_one(self.db_read())
            .await?
            .try_get("n")?;
        let mut page = Sql::new(
            "SELECT l.id, l.at, l.site_id, l.user_id, l.action, l.detail, l.ip, \
             COALESCE(u.username, '') AS username, COALESCE(u.full_name, '') AS full_name \
             FROM audit_log l LEFT JOIN users u ON u.id = l.user_id",
        );
        page.push_where(&conditions)
            .push(" ORDER BY l.at DESC, l.id DESC LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = page.query().fetch_all(self.db_read()).await?;
        let names: HashMap<SiteId, String> = if rows.is_empty() {
            HashMap::new()
        } else {
            self.sites()
                .await?
                .into_iter()
                .map(|s| (s.id, s.settings.name))
                .collect()
        };
        let entries = rows
            .iter()
            .map(|r| {
                let site = r.try_get::<Option<i64>, _>("site_id")?.map(SiteId);
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    site,
                    site_name: site
                        .and_then(|s| names.get(&s).cloned())
                        .unwrap_or_default(),
                    user: r.try_get::<Option<i64>, _>("user_id")?.map(UserId),
                    username: r.try_get("username")?,
                    full_name: r.try_get("full_name")?,
                    action: r.try_get("action")?,
                    detail: r.try_get("detail")?,
                    ip: r.try_get("ip")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((entries, total))
    }

    /// The actions that occur in the log (of one site, or of all), alphabetically:
    /// the choices of the page's filter.
    pub async fn audit_actions(&self, site: Option<SiteId>) -> Result<Vec<String>> {
        let filter = AuditFilter {
            site,
            ..AuditFilter::default()
        };
        let mut sql = Sql::new("SELECT DISTINCT l.action FROM audit_log l");
        sql.push_where(&filter.conditions())
            .push(" ORDER BY l.action");
        sql.query()
            .fetch_all(self.db_read())
            .await?
            .iter()
            .map(|r| Ok(r.try_get("action")?))
            .collect()
    }

    /// The people who occur in the log (of one site, or of all), by login name:
    /// (id, login name, full name).
    pub async fn audit_people(
        &self,
        site: Option<SiteId>,
    ) -> Result<Vec<(UserId, String, String)>> {
        let filter = AuditFilter {
            site,
            ..AuditFilter::default()
        };
        let mut sql = Sql::new(
            "SELECT u.id, u.username, u.full_name FROM users u WHERE u.id IN \
             (SELECT l.user_id FROM audit_log l",
        );
        sql.push_where(&filter.conditions())
            .push(") ORDER BY u.username");
        sql.query()
            .fetch_all(self.db_read())
            .await?
            .iter()
            .map(|r| {
                Ok((
                    UserId(r.try_get("id")?),
                    r.try_get("username")?,
                    r.try_get("full_name")?,
                ))
            })
            .collect()
    }
}
