//! A site's settings as its administrators edit them (identity, links, logo and
//! banner; the categories and the menu have pages of their own).

use crate::change::{AuditNote, ContentChange};
use crate::{Error, Result, Store};
use domain::{Site, SiteId, SiteSettings, UserId};

/// A save of the settings form: everything moves together, with its audit entry
/// and the site's content version.
#[derive(Debug, Clone)]
pub struct SettingsSave<'a> {
    /// The site.
    pub site: SiteId,
    /// Its new settings.
    pub settings: &'a SiteSettings,
    /// Who saves.
    pub by: UserId,
    /// What the audit log says changed.
    pub detail: &'a str,
    /// The client's address, for the audit log.
    pub ip: &'a str,
}

impl Store {
    /// One site, as stored now (not as some cache last saw it).
    pub async fn site(&self, id: SiteId) -> Result<Option<Site>> {
        Ok(self.sites().await?.into_iter().find(|s| s.id == id))
    }

    /// Saves a site's settings in one transaction with the audit entry, and bumps
    /// the content version so no page shows the old ones.
    pub async fn save_site_settings(&self, s: &SettingsSave<'_>, now: i64) -> Result<()> {
        let json = serde_json::to_string(s.settings)
            .map_err(|e| Error::Corrupt(format!("settings: {e}")))?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE sites SET settings = $1 WHERE id = $2")
            .bind(json)
            .bind(s.site.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("site"));
        }
        let note = AuditNote {
            user: Some(s.by),
            action: "sửa cài đặt trang",
            ip: s.ip,
        };
        ContentChange::new(s.site, now)
            .audit(note, s.detail.to_owned())
            .commit(tx)
            .await
    }
}
