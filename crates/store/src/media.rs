//! The media library: a site's uploaded files, for the back office and for the
//! pages that show them in several sizes.

use crate::error::on_unique;
use crate::{Error, Result, Store};
use domain::{ImageSize, MediaId, MediaItem, MediaRef, SiteId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A media file to record after it was written to the media folder.
#[derive(Debug, Clone)]
pub struct MediaInput {
    /// Owning site.
    pub site_id: SiteId,
    /// Path below the media folder.
    pub path: String,
    /// Thumbnail path below the media folder.
    pub thumb_path: Option<String>,
    /// MIME type, checked from the content.
    pub mime: String,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
    /// Size in bytes.
    pub bytes: i64,
    /// "image", "pdf", "document", "spreadsheet" or "video".
    pub kind: String,
    /// The name it was uploaded under (empty for files the program made).
    pub original_name: String,
    /// The responsive sizes stored, the main file among them.
    pub sizes: Vec<ImageSize>,
    /// Who uploaded it.
    pub uploaded_by: Option<UserId>,
}

/// The columns `media_from_row` reads, `m` being the media row.
pub(crate) const MEDIA_COLUMNS: &str = "m.id AS media_id, m.path AS media_path, m.thumb_path AS media_thumb, \
     m.width AS media_width, m.height AS media_height, m.variants AS media_variants";

impl Store {
    /// Records a media file that is already in the media folder.
    pub async fn create_media(&self, media: &MediaInput, now: i64) -> Result<MediaId> {
        let mut conn = self.db_write().acquire().await?;
        insert_media(&mut conn, media, now).await
    }

    /// One page of a site's media, newest first (only `kind` when given), and how
    /// many there are in all.
    pub async fn media_library(
        &self,
        site: SiteId,
        kind: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<MediaItem>, i64)> {
        let sql = format!(
            "SELECT {MEDIA_COLUMNS}, m.kind, m.mime, m.bytes, m.original_name, m.created_at, \
             COALESCE(u.full_name, '') AS by_name, COUNT(*) OVER () AS total_count \
             FROM media m LEFT JOIN users u ON u.id = m.uploaded_by \
             WHERE m.site_id = $1 AND ($2 = '' OR m.kind = $2) \
             ORDER BY m.created_at DESC, m.id DESC LIMIT $3 OFFSET $4"
        );
        let rows = sqlx::query(&sql)
            .bind(site.0)
            .bind(kind.unwrap_or(""))
            .bind(limit)
            .bind(offset)
            .fetch_all(self.db_read())
            .await?;
        let total = match rows.first() {
            Some(r) => r.try_get("total_count")?,
            None => 0,
        };
        let items = rows
            .iter()
            .map(|r| {
                Ok(MediaItem {
                    media: media_from_row(r)?.ok_or(Error::NotFound("media"))?,
                    kind: r.try_get("kind")?,
                    mime: r.try_get("mime")?,
                    bytes: r.try_get("bytes")?,
                    original_name: r.try_get("original_name")?,
                    created_at: r.try_get("created_at")?,
                    uploaded_by: r.try_get("by_name")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// An image of a site by id (none for another site's file or a document).
    pub async fn image(&self, site: SiteId, id: MediaId) -> Result<Option<MediaRef>> {
        let sql = format!(
            "SELECT {MEDIA_COLUMNS} FROM media m WHERE m.id = $1 AND m.site_id = $2 AND m.kind = 'image'"
        );
        let row = sqlx::query(&sql)
            .bind(id.0)
            .bind(site.0)
            .fetch_optional(self.db_read())
            .await?;
        Ok(match row {
            Some(r) => media_from_row(&r)?,
            None => None,
        })
    }

    /// The images of a site among `paths` (paths below the media folder), to give
    /// the images of an article body their sizes.
    pub async fn images_by_path(&self, site: SiteId, paths: &[String]) -> Result<Vec<MediaRef>> {
        let mut out = Vec::new();
        // Bodies have a handful of images: one indexed lookup each.
        for path in paths {
            let sql = format!(
                "SELECT {MEDIA_COLUMNS} FROM media m WHERE m.path = $1 AND m.site_id = $2 AND m.kind = 'image'"
            );
            if let Some(r) = sqlx::query(&sql)
                .bind(path)
                .bind(site.0)
                .fetch_optional(self.db_read())
                .await?
                && let Some(m) = media_from_row(&r)?
            {
                out.push(m);
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Images recorded without their sizes (before sizes were kept), by id after
    /// `after`, at most `limit`, each with its MIME type.
    pub async fn images_without_sizes(
        &self,
        after: MediaId,
        limit: i64,
    ) -> Result<Vec<(MediaRef, String)>> {
        let sql = format!(
            "SELECT {MEDIA_COLUMNS}, m.mime FROM media m \
             WHERE m.kind = 'image' AND m.variants = '[]' AND m.id > $1 ORDER BY m.id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(after.0)
            .bind(limit)
            .fetch_all(self.db_read())
            .await?;
        rows.iter()
            .map(|r| {
                let media = media_from_row(r)?.ok_or(Error::NotFound("media"))?;
                Ok((media, r.try_get("mime")?))
            })
            .collect()
    }

    /// Records the sizes made for an image that had none (an image that has some
    /// keeps them).
    pub async fn set_image_sizes(&self, id: MediaId, sizes: &[ImageSize]) -> Result<()> {
        sqlx::query("UPDATE media SET variants = $1 WHERE id = $2 AND variants = '[]'")
            .bind(sizes_to_json(sizes))
            .bind(id.0)
            .execute(self.db_write())
            .await?;
        Ok(())
    }
}

pub(crate) fn media_from_row(row: &AnyRow) -> Result<Option<MediaRef>> {
    let Some(id) = row.try_get::<Option<i64>, _>("media_id")? else {
        return Ok(None);
    };
    Ok(Some(MediaRef {
        id: MediaId(id),
        path: row.try_get("media_path")?,
        thumb_path: row.try_get("media_thumb")?,
        width: row.try_get("media_width")?,
        height: row.try_get("media_height")?,
        sizes: sizes_from_json(&row.try_get::<String, _>("media_variants")?),
    }))
}

/// How a size is kept in `media.variants`.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredSize {
    path: String,
    width: i64,
    height: i64,
    mime: String,
}

/// Records a media file in `conn` (a transaction that records more with it).
pub(crate) async fn insert_media(
    conn: &mut sqlx::AnyConnection,
    media: &MediaInput,
    now: i64,
) -> Result<MediaId> {
    let id: i64 = sqlx::query(
        "INSERT INTO media (site_id, path, thumb_path, mime, width, height, bytes, created_at, \
         kind, original_name, variants, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(media.site_id.0)
    .bind(&media.path)
    .bind(&media.thumb_path)
    .bind(&media.mime)
    .bind(media.width)
    .bind(media.height)
    .bind(media.bytes)
    .bind(now)
    .bind(&media.kind)
    .bind(vntext::clean_line(&media.original_name))
    .bind(sizes_to_json(&media.sizes))
    .bind(media.uploaded_by.map(|u| u.0))
    .fetch_one(conn)
    .await
    .map_err(on_unique("media_path"))?
    .try_get("id")?;
    Ok(MediaId(id))
}

pub(crate) fn sizes_to_json(sizes: &[ImageSize]) -> String {
    let list: Vec<StoredSize> = sizes
        .iter()
        .map(|s| StoredSize {
            path: s.path.clone(),
            width: s.width,
            height: s.height,
            mime: s.mime.clone(),
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads `media.variants`; a value that does not parse gives no sizes (the page
/// then uses the main file only) rather than an error page.
pub(crate) fn sizes_from_json(json: &str) -> Vec<ImageSize> {
    serde_json::from_str::<Vec<StoredSize>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|s| ImageSize {
            path: s.path,
            width: s.width,
            height: s.height,
            mime: s.mime,
        })
        .collect()
}
