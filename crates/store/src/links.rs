//! Image links ("Ảnh liên kết", "Liên kết website"): a logo and a target URL, in
//! an order, between two dates. A site's shared links are shown on the sites of
//! the units below its unit too; a site may hide one it was given. Every change
//! is one transaction with its audit entry and the content version of the site
//! (of every site, when a shared link changes).

use crate::change::{AuditNote, ContentChange};
use crate::media::{MEDIA_COLUMNS, media_from_row};
use crate::{Error, Result, Store};
use domain::{MediaRef, SiteId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A link as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteLink {
    /// Id.
    pub id: i64,
    /// The site that made it.
    pub site: SiteId,
    /// Its name: the logo's text alternative, and what shows without a logo.
    pub title: String,
    /// Where it leads (http or https; a local path for links made before issue 15).
    pub url: String,
    /// The logo, when it has one.
    pub logo: Option<MediaRef>,
    /// Its place in the site's order.
    pub position: i64,
    /// Shown from (UTC seconds), when set.
    pub starts_at: Option<i64>,
    /// Shown until, exclusive (UTC seconds), when set.
    pub ends_at: Option<i64>,
    /// Given to the sites of the units below this site's unit too.
    pub shared: bool,
}

impl SiteLink {
    /// Whether readers see it at `now`.
    pub fn shown_at(&self, now: i64) -> bool {
        self.starts_at.is_none_or(|s| s <= now) && self.ends_at.is_none_or(|e| now < e)
    }
}

/// What a form gives a link.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkDraft {
    /// Name.
    pub title: String,
    /// Target.
    pub url: String,
    /// The logo: a media row of the site's images.
    pub logo: Option<i64>,
    /// From (UTC seconds).
    pub starts_at: Option<i64>,
    /// Until, exclusive (UTC seconds).
    pub ends_at: Option<i64>,
    /// Shared with the units below.
    pub shared: bool,
}

/// Who changes a site's links, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct LinkActor<'a> {
    /// The site.
    pub site: SiteId,
    /// Who (none: the program itself, e.g. the demo).
    pub by: Option<UserId>,
    /// The client's address.
    pub ip: &'a str,
}

const LINK_COLUMNS: &str = "l.id, l.site_id, l.title, l.url, l.position, l.starts_at, l.ends_at, \
     l.shared";

fn link_from_row(r: &AnyRow) -> Result<SiteLink> {
    Ok(SiteLink {
        id: r.try_get("id")?,
        site: SiteId(r.try_get("site_id")?),
        title: r.try_get("title")?,
        url: r.try_get("url")?,
        logo: media_from_row(r)?,
        position: r.try_get("position")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        shared: r.try_get::<i64, _>("shared")? != 0,
    })
}

fn select(filter: &str) -> String {
    format!(
        "SELECT {LINK_COLUMNS}, {MEDIA_COLUMNS} FROM site_links l \
         LEFT JOIN media m ON m.id = l.logo_media_id AND m.site_id = l.site_id \
         {filter} ORDER BY l.site_id, l.position, l.id"
    )
}

/// Makes every site's cached pages stale: a shared link shows on many sites.
async fn bump_every_site(tx: &mut Transaction<'_, Any>) -> Result<()> {
    sqlx::query("UPDATE sites SET content_version = content_version + 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Every site's links, in each site's order (the public blocks keep them in
    /// memory and pick by date as they render).
    pub async fn all_links(&self) -> Result<Vec<SiteLink>> {
        let rows = sqlx::query(&select("")).fetch_all(self.db_read()).await?;
        rows.iter().map(link_from_row).collect()
    }

    /// Which sites hid which of the links they were given: (site, link).
    pub async fn hidden_links(&self) -> Result<Vec<(SiteId, i64)>> {
        let rows = sqlx::query("SELECT site_id, link_id FROM site_links_hidden")
            .fetch_all(self.db_read())
            .await?;
        rows.iter()
            .map(|r| Ok((SiteId(r.try_get("site_id")?), r.try_get("link_id")?)))
            .collect()
    }

    /// A site's own links, in order.
    pub async fn site_links(&self, site: SiteId) -> Result<Vec<SiteLink>> {
        let rows = sqlx::query(&select("WHERE l.site_id = $1"))
            .bind(site.0)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(link_from_row).collect()
    }

    /// One of a site's own links.
    pub async fn site_link(&self, site: SiteId, id: i64) -> Result<Option<SiteLink>> {
        let row = sqlx::query(&select("WHERE l.site_id = $1 AND l.id = $2"))
            .bind(site.0)
            .bind(id)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(link_from_row).transpose()
    }

    /// Adds a link at the end of the site's order; returns its id.
    pub async fn create_link(&self, who: LinkActor<'_>, d: &LinkDraft, now: i64) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO site_links (site_id, title, url, logo_media_id, position, starts_at, \
             ends_at, shared, created_at) VALUES ($1, $2, $3, $4, \
             (SELECT COALESCE(MAX(position), -1) + 1 FROM site_links WHERE site_id = $5), \
             $6, $7, $8, $9) RETURNING id",
        )
        .bind(who.site.0)
        .bind(&d.title)
        .bind(&d.url)
        .bind(d.logo)
        .bind(who.site.0)
        .bind(d.starts_at)
        .bind(d.ends_at)
        .bind(i64::from(d.shared))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if d.shared {
            bump_every_site(&mut tx).await?;
        }
        let note = AuditNote {
            user: who.by,
            action: "thêm liên kết",
            ip: who.ip,
        };
        ContentChange::new(who.site, now)
            .audit(note, format!("{} ({})", d.title, d.url))
            .commit(tx)
            .await?;
        Ok(id)
    }

    /// Changes one of the site's links.
    pub async fn update_link(
        &self,
        who: LinkActor<'_>,
        id: i64,
        d: &LinkDraft,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let was_shared: Option<i64> =
            sqlx::query("SELECT shared FROM site_links WHERE id = $1 AND site_id = $2")
                .bind(id)
                .bind(who.site.0)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("shared"))
                .transpose()?;
        let Some(was_shared) = was_shared else {
            return Err(Error::NotFound("link"));
        };
        sqlx::query(
            "UPDATE site_links SET title = $1, url = $2, logo_media_id = $3, starts_at = $4, \
             ends_at = $5, shared = $6 WHERE id = $7 AND site_id = $8",
        )
        .bind(&d.title)
        .bind(&d.url)
        .bind(d.logo)
        .bind(d.starts_at)
        .bind(d.ends_at)
        .bind(i64::from(d.shared))
        .bind(id)
        .bind(who.site.0)
        .execute(&mut *tx)
        .await?;
        if !d.shared {
            // Hidden by the sites below: nothing left to hide.
            sqlx::query("DELETE FROM site_links_hidden WHERE link_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if d.shared || was_shared != 0 {
            bump_every_site(&mut tx).await?;
        }
        let note = AuditNote {
            user: who.by,
            action: "sửa liên kết",
            ip: who.ip,
        };
        ContentChange::new(who.site, now)
            .audit(note, format!("{} ({})", d.title, d.url))
            .commit(tx)
            .await
    }

    /// Deletes one of the site's links.
    pub async fn delete_link(&self, who: LinkActor<'_>, id: i64, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row =
            sqlx::query("SELECT title, shared FROM site_links WHERE id = $1 AND site_id = $2")
                .bind(id)
                .bind(who.site.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound("link"))?;
        let title: String = row.try_get("title")?;
        let shared: i64 = row.try_get("shared")?;
        sqlx::query("DELETE FROM site_links_hidden WHERE link_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM site_links WHERE id = $1 AND site_id = $2")
            .bind(id)
            .bind(who.site.0)
            .execute(&mut *tx)
            .await?;
        if shared != 0 {
            bump_every_site(&mut tx).await?;
        }
        let note = AuditNote {
            user: who.by,
            action: "xoá liên kết",
            ip: who.ip,
        };
        ContentChange::new(who.site, now)
            .audit(note, title)
            .commit(tx)
            .await
    }

    /// Moves one of the site's links a place up (`up`) or down; at either end
    /// nothing moves. The site's order is renumbered 0, 1, 2 … on the way.
    pub async fn move_link(&self, who: LinkActor<'_>, id: i64, up: bool, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT id, title, shared FROM site_links WHERE site_id = $1 ORDER BY position, id",
        )
        .bind(who.site.0)
        .fetch_all(&mut *tx)
        .await?;
        let mut order: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        let at = order
            .iter()
            .position(|&x| x == id)
            .ok_or(Error::NotFound("link"))?;
        let title: String = rows[at].try_get("title")?;
        let shared = rows
            .iter()
            .any(|r| r.try_get::<i64, _>("shared").unwrap_or(0) != 0);
        let to = if up {
            at.checked_sub(1)
        } else {
            Some(at + 1).filter(|&t| t < order.len())
        };
        if let Some(to) = to {
            order.swap(at, to);
        }
        for (n, link) in order.iter().enumerate() {
            sqlx::query("UPDATE site_links SET position = $1 WHERE id = $2")
                .bind(n as i64)
                .bind(*link)
                .execute(&mut *tx)
                .await?;
        }
        if shared {
            bump_every_site(&mut tx).await?;
        }
        let note = AuditNote {
            user: who.by,
            action: "đổi thứ tự liên kết",
            ip: who.ip,
        };
        let way = if up { "lên" } else { "xuống" };
        ContentChange::new(who.site, now)
            .audit(note, format!("{title}: chuyển {way}"))
            .commit(tx)
            .await
    }

    /// Hides (or shows again) on `who.site` a link another site shared with it.
    pub async fn set_link_hidden(
        &self,
        who: LinkActor<'_>,
        link: i64,
        hidden: bool,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title: String =
            sqlx::query("SELECT title FROM site_links WHERE id = $1 AND shared = 1")
                .bind(link)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound("link"))?
                .try_get("title")?;
        sqlx::query("DELETE FROM site_links_hidden WHERE site_id = $1 AND link_id = $2")
            .bind(who.site.0)
            .bind(link)
            .execute(&mut *tx)
            .await?;
        if hidden {
            sqlx::query("INSERT INTO site_links_hidden (site_id, link_id) VALUES ($1, $2)")
                .bind(who.site.0)
                .bind(link)
                .execute(&mut *tx)
                .await?;
        }
        let note = AuditNote {
            user: who.by,
            action: if hidden {
                "ẩn liên kết dùng chung"
            } else {
                "hiện lại liên kết dùng chung"
            },
            ip: who.ip,
        };
        ContentChange::new(who.site, now)
            .audit(note, title)
            .commit(tx)
            .await
    }
}
