//! What a site's administrators arrange as a whole: its main menu and the blocks of
//! its home page, each one JSON list per site (no row: not arranged, the default
//! applies). A save names the revision it started from, so two administrators
//! arranging at once cannot undo each other's work unseen.

use crate::change::{AuditNote, ContentChange};
use crate::{Error, Result, Store};
use domain::{HomeBlock, MenuItem, SiteId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use std::collections::HashMap;

/// Which arrangement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Menu,
    Home,
}

impl Part {
    fn key(self) -> &'static str {
        match self {
            Part::Menu => "menu",
            Part::Home => "home",
        }
    }
}

/// A site's arrangement as stored, with its revision (0: none stored).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Arranged<T> {
    /// The list; none when the site has not arranged it.
    pub items: Option<Vec<T>>,
    /// What a save must name.
    pub revision: i64,
}

impl Store {
    /// Every site's menu, for the sites that arranged one.
    pub async fn site_menus(&self) -> Result<HashMap<SiteId, Vec<MenuItem>>> {
        let rows = sqlx::query("SELECT site_id, body FROM site_layouts WHERE part = $1")
            .bind(Part::Menu.key())
            .fetch_all(self.db_read())
            .await?;
        rows.iter()
            .map(|r| {
                let site = SiteId(r.try_get("site_id")?);
                Ok((
                    site,
                    parse(site, Part::Menu, &r.try_get::<String, _>("body")?)?,
                ))
            })
            .collect()
    }

    /// A site's menu as stored.
    pub async fn site_menu(&self, site: SiteId) -> Result<Arranged<MenuItem>> {
        self.arranged(site, Part::Menu).await
    }

    /// A site's home-page blocks as stored.
    pub async fn home_blocks(&self, site: SiteId) -> Result<Arranged<HomeBlock>> {
        self.arranged(site, Part::Home).await
    }

    /// Saves a site's menu (none: back to the default), if it is still at
    /// `base_revision` (else `Error::Stale`); with its audit entry when `audit`
    /// is given (the back office), without for the demo.
    pub async fn save_site_menu(
        &self,
        site: SiteId,
        base_revision: i64,
        items: Option<&[MenuItem]>,
        audit: Option<AuditNote<'_>>,
        detail: String,
        now: i64,
    ) -> Result<()> {
        self.save_arranged(site, Part::Menu, base_revision, items, audit, detail, now)
            .await
    }

    /// Saves a site's home-page blocks (none: back to the default), if they are
    /// still at `base_revision` (else `Error::Stale`).
    pub async fn save_home_blocks(
        &self,
        site: SiteId,
        base_revision: i64,
        blocks: Option<&[HomeBlock]>,
        audit: Option<AuditNote<'_>>,
        detail: String,
        now: i64,
    ) -> Result<()> {
        self.save_arranged(site, Part::Home, base_revision, blocks, audit, detail, now)
            .await
    }

    async fn arranged<T: DeserializeOwned>(&self, site: SiteId, part: Part) -> Result<Arranged<T>> {
        let row =
            sqlx::query("SELECT body, revision FROM site_layouts WHERE site_id = $1 AND part = $2")
                .bind(site.0)
                .bind(part.key())
                .fetch_optional(self.db_read())
                .await?;
        match row {
            Some(r) => Ok(Arranged {
                items: Some(parse(site, part, &r.try_get::<String, _>("body")?)?),
                revision: r.try_get("revision")?,
            }),
            None => Ok(Arranged {
                items: None,
                revision: 0,
            }),
        }
    }

    #[expect(clippy::too_many_arguments, reason = "each is one fact of the save")]
    async fn save_arranged<T: Serialize>(
        &self,
        site: SiteId,
        part: Part,
        base_revision: i64,
        items: Option<&[T]>,
        audit: Option<AuditNote<'_>>,
        detail: String,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let stored: i64 =
            sqlx::query("SELECT revision FROM site_layouts WHERE site_id = $1 AND part = $2")
                .bind(site.0)
                .bind(part.key())
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("revision"))
                .transpose()?
                .unwrap_or(0);
        if stored != base_revision {
            return Err(Error::Stale);
        }
        sqlx::query("DELETE FROM site_layouts WHERE site_id = $1 AND part = $2")
            .bind(site.0)
            .bind(part.key())
            .execute(&mut *tx)
            .await?;
        if let Some(items) = items {
            let body = serde_json::to_string(items)
                .map_err(|e| Error::Corrupt(format!("{}: {e}", part.key())))?;
            sqlx::query(
                "INSERT INTO site_layouts (site_id, part, body, revision, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(site.0)
            .bind(part.key())
            .bind(body)
            .bind(base_revision + 1)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let mut change = ContentChange::new(site, now);
        if let Some(note) = audit {
            change = change.audit(note, detail);
        }
        change.commit(tx).await
    }
}

fn parse<T: DeserializeOwned>(site: SiteId, part: Part, body: &str) -> Result<Vec<T>> {
    serde_json::from_str(body)
        .map_err(|e| Error::Corrupt(format!("{} of site {site}: {e}", part.key())))
}
