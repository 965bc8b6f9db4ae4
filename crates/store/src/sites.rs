//! Sites and their hosts (their categories: `categories.rs`).

use crate::error::on_unique;
use crate::{Error, Result, Store};
use domain::{Site, SiteId, SiteSettings};
use sqlx::Row;
use std::collections::HashMap;

impl Store {
    /// Every site with its hosts, the default site first, then by position.
    pub async fn sites(&self) -> Result<Vec<Site>> {
        let rows = sqlx::query(
            "SELECT id, site_key, is_default, settings, suspended_at, redirect_to_main FROM sites \
             ORDER BY is_default DESC, position, id",
        )
        .fetch_all(self.db_read())
        .await?;
        let mut hosts: HashMap<i64, Vec<String>> = HashMap::new();
        for row in
            sqlx::query("SELECT host, site_id FROM site_hosts ORDER BY site_id, position, host")
                .fetch_all(self.db_read())
                .await?
        {
            hosts
                .entry(row.try_get("site_id")?)
                .or_default()
                .push(row.try_get("host")?);
        }
        rows.into_iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let settings: String = row.try_get("settings")?;
                let settings: SiteSettings = serde_json::from_str(&settings)
                    .map_err(|e| Error::Corrupt(format!("settings of site {id}: {e}")))?;
                Ok(Site {
                    id: SiteId(id),
                    key: row.try_get("site_key")?,
                    is_default: row.try_get::<i64, _>("is_default")? != 0,
                    hosts: hosts.remove(&id).unwrap_or_default(),
                    settings,
                    suspended: row.try_get::<Option<i64>, _>("suspended_at")?.is_some(),
                    redirect_to_main: row.try_get::<i64, _>("redirect_to_main")? != 0,
                })
            })
            .collect()
    }

    /// Creates a site answering `hosts`. Making it the default takes that role from any other.
    pub async fn create_site(
        &self,
        key: &str,
        is_default: bool,
        hosts: &[String],
        settings: &SiteSettings,
        now: i64,
    ) -> Result<SiteId> {
        let mut tx = self.begin_write().await?;
        let id = insert_site(&mut tx, key, is_default, hosts, settings, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Whether the installation has no site yet (the demo loads only then).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sites")
            .fetch_one(self.db_read())
            .await?
            .try_get("n")?;
        Ok(n == 0)
    }
}

/// Writes a new site and its hosts in `conn` (a transaction's).
pub(crate) async fn insert_site(
    conn: &mut sqlx::AnyConnection,
    key: &str,
    is_default: bool,
    hosts: &[String],
    settings: &SiteSettings,
    now: i64,
) -> Result<SiteId> {
    let settings =
        serde_json::to_string(settings).map_err(|e| Error::Corrupt(format!("settings: {e}")))?;
    if is_default {
        sqlx::query("UPDATE sites SET is_default = 0")
            .execute(&mut *conn)
            .await?;
    }
    let position: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sites")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    let id: i64 = sqlx::query(
        "INSERT INTO sites (site_key, is_default, settings, position, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(key)
    .bind(i64::from(is_default))
    .bind(settings)
    .bind(position)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(on_unique("site_key"))?
    .try_get("id")?;
    write_hosts(conn, SiteId(id), hosts).await?;
    Ok(SiteId(id))
}

/// Replaces a site's hosts by `hosts`, the first its main one.
pub(crate) async fn write_hosts(
    conn: &mut sqlx::AnyConnection,
    site: SiteId,
    hosts: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM site_hosts WHERE site_id = $1")
        .bind(site.0)
        .execute(&mut *conn)
        .await?;
    for (position, host) in hosts.iter().enumerate() {
        sqlx::query("INSERT INTO site_hosts (host, site_id, position) VALUES ($1, $2, $3)")
            .bind(domain::normalize_host(host))
            .bind(site.0)
            .bind(position as i64)
            .execute(&mut *conn)
            .await
            .map_err(on_unique("host"))?;
    }
    Ok(())
}
