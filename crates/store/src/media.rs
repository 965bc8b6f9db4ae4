//! The media library: a site's uploaded files, for the back office and for the
//! pages that show them in several sizes.

use crate::articles::media_from_row;
use crate::{Error, Result, Store};
use domain::{MediaId, MediaItem, MediaRef, SiteId};
use sqlx::Row;

/// The columns `media_from_row` reads, `m` being the media row.
const MEDIA_COLUMNS: &str = "m.id AS media_id, m.path AS media_path, m.thumb_path AS media_thumb, \
     m.width AS media_width, m.height AS media_height, m.variants AS media_variants";

impl Store {
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
