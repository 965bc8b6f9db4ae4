//! Weather ("Thời tiết"): a site's places and the last good reading of each. The
//! readings are fetched in the background by the web layer; they are kept here so
//! that a restart or another instance shows them at once, and so that instances
//! share the "at most every 30 minutes" of each place (a fetch is claimed by
//! moving `tried_at` forward, which only one instance can do).

use crate::change::{AuditNote, ContentChange};
use crate::{Result, Store};
use domain::{SiteId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A place as stored, with its last good reading.
#[derive(Debug, Clone, PartialEq)]
pub struct WeatherPlace {
    /// Id.
    pub id: i64,
    /// Its site.
    pub site: SiteId,
    /// Its name ("TP. Bình An").
    pub name: String,
    /// Latitude, millionths of a degree.
    pub lat_e6: i64,
    /// Longitude, millionths of a degree.
    pub lon_e6: i64,
    /// The last good reading, as the web layer wrote it (JSON).
    pub reading: Option<String>,
    /// When it was fetched (UTC seconds).
    pub read_at: Option<i64>,
    /// The last attempt.
    pub tried_at: i64,
    /// Failing since (0: the last attempt succeeded).
    pub failing_since: i64,
}

/// A place as the back office's form gives it: an existing one (by id) or a new one.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceDraft {
    /// The place it changes; none: a new place.
    pub id: Option<i64>,
    /// Name.
    pub name: String,
    /// Latitude, millionths of a degree.
    pub lat_e6: i64,
    /// Longitude, millionths of a degree.
    pub lon_e6: i64,
}

const COLUMNS: &str =
    "id, site_id, name, lat_e6, lon_e6, reading, read_at, tried_at, failing_since";

fn place_from_row(r: &AnyRow) -> Result<WeatherPlace> {
    Ok(WeatherPlace {
        id: r.try_get("id")?,
        site: SiteId(r.try_get("site_id")?),
        name: r.try_get("name")?,
        lat_e6: r.try_get("lat_e6")?,
        lon_e6: r.try_get("lon_e6")?,
        reading: r.try_get("reading")?,
        read_at: r.try_get("read_at")?,
        tried_at: r.try_get("tried_at")?,
        failing_since: r.try_get("failing_since")?,
    })
}

impl Store {
    /// A site's places, in order.
    pub async fn weather_places(&self, site: SiteId) -> Result<Vec<WeatherPlace>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM weather_places WHERE site_id = $1 ORDER BY position, id"
        ))
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(place_from_row).collect()
    }

    /// Every site's places last tried before `before` (UTC seconds): those due a fetch.
    pub async fn weather_places_due(&self, before: i64) -> Result<Vec<WeatherPlace>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM weather_places WHERE tried_at < $1 ORDER BY tried_at, id"
        ))
        .bind(before)
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(place_from_row).collect()
    }

    /// Claims the next fetch of a place: true when this caller moved its last
    /// attempt from `seen` (as read) to `now`, false when someone else did first.
    pub async fn claim_weather_fetch(&self, id: i64, seen: i64, now: i64) -> Result<bool> {
        let done =
            sqlx::query("UPDATE weather_places SET tried_at = $1 WHERE id = $2 AND tried_at = $3")
                .bind(now)
                .bind(id)
                .bind(seen)
                .execute(self.db_write())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Keeps a good reading of a place.
    pub async fn weather_fetched(&self, id: i64, reading: &str, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE weather_places SET reading = $1, read_at = $2, failing_since = 0 WHERE id = $3",
        )
        .bind(reading)
        .bind(now)
        .bind(id)
        .execute(self.db_write())
        .await?;
        Ok(())
    }

    /// Notes a failed fetch; true when it is the first of a run of failures
    /// (the one to log).
    pub async fn weather_failed(&self, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE weather_places SET failing_since = $1 WHERE id = $2 AND failing_since = 0",
        )
        .bind(now)
        .bind(id)
        .execute(self.db_write())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces a site's places with `places`, in that order: existing ones (by
    /// id) keep their reading unless their coordinates change; the others are
    /// deleted. One transaction with its audit entry.
    pub async fn save_weather_places(
        &self,
        site: SiteId,
        places: &[PlaceDraft],
        by: Option<UserId>,
        ip: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let kept: Vec<i64> = places.iter().filter_map(|p| p.id).collect();
        let existing = sqlx::query("SELECT id FROM weather_places WHERE site_id = $1")
            .bind(site.0)
            .fetch_all(&mut *tx)
            .await?;
        for r in &existing {
            let id: i64 = r.try_get("id")?;
            if !kept.contains(&id) {
                sqlx::query("DELETE FROM weather_places WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for (n, p) in places.iter().enumerate() {
            let updated = match p.id {
                Some(id) => {
                    // New coordinates: the old reading is of another place.
                    sqlx::query(
                        "UPDATE weather_places SET \
                         reading = CASE WHEN lat_e6 = $1 AND lon_e6 = $2 THEN reading ELSE NULL END, \
                         read_at = CASE WHEN lat_e6 = $3 AND lon_e6 = $4 THEN read_at ELSE NULL END, \
                         tried_at = CASE WHEN lat_e6 = $5 AND lon_e6 = $6 THEN tried_at ELSE 0 END, \
                         name = $7, lat_e6 = $8, lon_e6 = $9, position = $10 \
                         WHERE id = $11 AND site_id = $12",
                    )
                    .bind(p.lat_e6)
                    .bind(p.lon_e6)
                    .bind(p.lat_e6)
                    .bind(p.lon_e6)
                    .bind(p.lat_e6)
                    .bind(p.lon_e6)
                    .bind(&p.name)
                    .bind(p.lat_e6)
                    .bind(p.lon_e6)
                    .bind(n as i64)
                    .bind(id)
                    .bind(site.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1
                }
                None => false,
            };
            if !updated {
                sqlx::query(
                    "INSERT INTO weather_places (site_id, name, lat_e6, lon_e6, position) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(site.0)
                .bind(&p.name)
                .bind(p.lat_e6)
                .bind(p.lon_e6)
                .bind(n as i64)
                .execute(&mut *tx)
                .await?;
            }
        }
        let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
        let note = AuditNote {
            user: by,
            action: "sửa địa điểm thời tiết",
            ip,
        };
        let detail = if names.is_empty() {
            "không còn địa điểm nào".to_owned()
        } else {
            names.join(", ")
        };
        ContentChange::new(site, now)
            .audit(note, detail)
            .commit(tx)
            .await
    }
}
