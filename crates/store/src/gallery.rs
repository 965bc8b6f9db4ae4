//! Photo albums and video clips (issue 15). An album moves through the articles'
//! workflow (its `status` is an [`ArticleStatus`]) and each save of its text is
//! copied into its revisions; its photos are media items kept in the order the
//! editors chose. A clip is an uploaded MP4 or a YouTube / Facebook address.
//! Every change is one transaction with its audit entry and the site's content
//! version ([`ContentChange`]).

use crate::change::{AuditNote, ContentChange, Revisions};
use crate::error::on_unique;
use crate::media::{MEDIA_COLUMNS, media_from_row};
use crate::{Error, Result, Store};
use domain::{ArticleStatus, MediaId, MediaRef, SiteId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

/// What the album form holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlbumDraft {
    /// Typed slug (empty: made from the title).
    pub slug: String,
    /// Title.
    pub title: String,
    /// Description (plain text).
    pub description: String,
    /// The day the photos were taken, `YYYY-MM-DD`.
    pub held_on: String,
    /// The article it belongs to, if any (an article of the same site).
    pub article_id: Option<i64>,
}

impl AlbumDraft {
    /// The slug to store: the one typed, or one made from the title.
    pub fn effective_slug(&self) -> String {
        effective_slug(&self.slug, &self.title)
    }
}

fn effective_slug(typed: &str, title: &str) -> String {
    let typed = vntext::slugify(typed);
    if typed.is_empty() {
        vntext::slugify(title)
    } else {
        typed
    }
}

/// An album as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Album {
    /// Id.
    pub id: i64,
    /// Its site.
    pub site_id: SiteId,
    /// Slug (`/thu-vien-anh/<slug>`).
    pub slug: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// The cover photo (none chosen: the first photo stands in).
    pub cover: Option<MediaRef>,
    /// The cover the editors chose, if they did.
    pub chosen_cover: Option<MediaId>,
    /// The linked article.
    pub article_id: Option<i64>,
    /// Where it is in the workflow.
    pub status: ArticleStatus,
    /// Who created it.
    pub author_id: Option<UserId>,
    /// Current revision number.
    pub revision: i64,
    /// How many photos it holds.
    pub photo_count: i64,
    /// Last saved (UTC seconds).
    pub updated_at: i64,
}

impl Album {
    /// Its public address.
    pub fn path(&self) -> String {
        format!("/thu-vien-anh/{}", self.slug)
    }
}

/// A photo of an album.
#[derive(Debug, Clone, PartialEq)]
pub struct AlbumPhoto {
    /// The image.
    pub media: MediaRef,
    /// Its caption.
    pub caption: String,
    /// Its place, from 1.
    pub position: i64,
}

/// A saved version of an album's text.
#[derive(Debug, Clone, PartialEq)]
pub struct AlbumRevision {
    /// 1, 2, 3 … per album.
    pub number: i64,
    /// Slug then.
    pub slug: String,
    /// Title then.
    pub title: String,
    /// Description then.
    pub description: String,
    /// Date then.
    pub held_on: String,
    /// Status then.
    pub status: String,
    /// Full name of who saved it (empty: the program).
    pub saved_by: String,
    /// When (UTC seconds).
    pub saved_at: i64,
    /// What happened.
    pub note: String,
}

/// A save of the album form.
#[derive(Debug, Clone)]
pub struct AlbumSave<'a> {
    /// Site the album must belong to.
    pub site: SiteId,
    /// The album.
    pub id: i64,
    /// The revision the form was opened at.
    pub base_revision: i64,
    /// The new text.
    pub draft: &'a AlbumDraft,
    /// The status after this save (from `domain::next_status`).
    pub status: ArticleStatus,
    /// Who saves.
    pub by: UserId,
    /// What the revision and the audit log say.
    pub note: &'a str,
    /// Client address.
    pub ip: &'a str,
}

/// A change to an album's photos.
#[derive(Debug, Clone)]
pub enum PhotoChange<'a> {
    /// Add an image at the end.
    Add(MediaId, &'a str),
    /// Put the photos in this order (every photo of the album, each once).
    Order(&'a [MediaId]),
    /// One place up (`true`) or down.
    Move(MediaId, bool),
    /// A new caption.
    Caption(MediaId, &'a str),
    /// The album's cover.
    Cover(MediaId),
    /// Take the photo out of the album (the image stays in the library).
    Remove(MediaId),
}

const ALBUM_COLUMNS: &str = "a.id, a.site_id, a.slug, a.title, a.description, a.held_on, \
     a.cover_media_id, a.article_id, a.status, a.author_id, a.revision, a.updated_at, \
     (SELECT COUNT(*) FROM album_photos p WHERE p.album_id = a.id) AS photo_count";

const ALBUM_REVISIONS: Revisions = Revisions {
    table: "album_revisions",
    owner: "album_id",
    source: "albums",
    columns: "slug, title, description, held_on, status",
};

impl Store {
    /// Albums of a site, newest date first: all of them (the back office) or only
    /// the published ones; `limit` and `offset` page them. With the total.
    pub async fn albums(
        &self,
        site: SiteId,
        published_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Album>, i64)> {
        let rows = sqlx::query(&format!(
            "SELECT {ALBUM_COLUMNS}, {MEDIA_COLUMNS} FROM albums a \
             LEFT JOIN media m ON m.id = COALESCE(a.cover_media_id, \
               (SELECT p.media_id FROM album_photos p WHERE p.album_id = a.id \
                ORDER BY p.position LIMIT 1)) \
             WHERE a.site_id = $1 AND ($2 = 0 OR a.status = 'published') \
             ORDER BY a.held_on DESC, a.id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(site.0)
        .bind(i64::from(published_only))
        .bind(limit)
        .bind(offset)
        .fetch_all(self.db_read())
        .await?;
        let total: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM albums WHERE site_id = $1 \
             AND ($2 = 0 OR status = 'published')",
        )
        .bind(site.0)
        .bind(i64::from(published_only))
        .fetch_one(self.db_read())
        .await?
        .try_get("n")?;
        Ok((
            rows.iter().map(album_from_row).collect::<Result<_>>()?,
            total,
        ))
    }

    /// An album of the site, whatever its status.
    pub async fn album(&self, site: SiteId, id: i64) -> Result<Option<Album>> {
        self.album_where(site, "a.id = $2", AlbumKey::Id(id)).await
    }

    /// A published album by slug.
    pub async fn public_album(&self, site: SiteId, slug: &str) -> Result<Option<Album>> {
        self.album_where(
            site,
            "a.slug = $2 AND a.status = 'published'",
            AlbumKey::Slug(slug),
        )
        .await
    }

    async fn album_where(
        &self,
        site: SiteId,
        condition: &str,
        key: AlbumKey<'_>,
    ) -> Result<Option<Album>> {
        let sql = format!(
            "SELECT {ALBUM_COLUMNS}, {MEDIA_COLUMNS} FROM albums a \
             LEFT JOIN media m ON m.id = COALESCE(a.cover_media_id, \
               (SELECT p.media_id FROM album_photos p WHERE p.album_id = a.id \
                ORDER BY p.position LIMIT 1)) \
             WHERE a.site_id = $1 AND {condition}"
        );
        let q = sqlx::query(&sql).bind(site.0);
        let q = match key {
            AlbumKey::Id(id) => q.bind(id),
            AlbumKey::Slug(s) => q.bind(s.to_owned()),
        };
        let row = q.fetch_optional(self.db_read()).await?;
        row.as_ref().map(album_from_row).transpose()
    }

    /// An album's photos, in order.
    pub async fn album_photos(&self, album: i64) -> Result<Vec<AlbumPhoto>> {
        let rows = sqlx::query(&format!(
            "SELECT p.position, p.caption, {MEDIA_COLUMNS} FROM album_photos p \
             JOIN media m ON m.id = p.media_id WHERE p.album_id = $1 \
             ORDER BY p.position, p.media_id"
        ))
        .bind(album)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .filter_map(|r| {
                let media = match media_from_row(r) {
                    Ok(m) => m?,
                    Err(e) => return Some(Err(e)),
                };
                Some((|| {
                    Ok(AlbumPhoto {
                        media,
                        caption: r.try_get("caption")?,
                        position: r.try_get("position")?,
                    })
                })())
            })
            .collect()
    }

    /// Writes a new album and its first revision; with an audit entry when `audit`
    /// is given (the back office), without for the demo.
    pub async fn create_album(
        &self,
        site: SiteId,
        draft: &AlbumDraft,
        status: ArticleStatus,
        author: Option<UserId>,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<i64> {
        let slug = draft.effective_slug();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO albums (site_id, slug, title, description, held_on, article_id, \
             status, author_id, revision, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
        )
        .bind(site.0)
        .bind(&slug)
        .bind(vntext::clean_line(&draft.title))
        .bind(vntext::nfc(draft.description.trim()))
        .bind(&draft.held_on)
        .bind(draft.article_id)
        .bind(status.as_str())
        .bind(author.map(|u| u.0))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("album_slug"))?
        .try_get("id")?;
        let mut change = ContentChange::new(site, now).revision(ALBUM_REVISIONS.copy(
            id,
            1,
            author,
            now,
            "tạo album",
        ));
        if let Some(note) = audit {
            change = change.audit(note, format!("{} (/thu-vien-anh/{slug})", draft.title));
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Saves the album form: `Error::Stale` when someone saved since
    /// `base_revision`, `Conflict("album_slug")` when the slug is taken.
    pub async fn save_album(&self, s: &AlbumSave<'_>, now: i64) -> Result<i64> {
        let slug = s.draft.effective_slug();
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE albums SET slug = $1, title = $2, description = $3, held_on = $4, \
             article_id = $5, status = $6, revision = revision + 1, updated_at = $7 \
             WHERE id = $8 AND site_id = $9 AND revision = $10",
        )
        .bind(&slug)
        .bind(vntext::clean_line(&s.draft.title))
        .bind(vntext::nfc(s.draft.description.trim()))
        .bind(&s.draft.held_on)
        .bind(s.draft.article_id)
        .bind(s.status.as_str())
        .bind(now)
        .bind(s.id)
        .bind(s.site.0)
        .bind(s.base_revision)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("album_slug"))?
        .rows_affected();
        if done == 0 {
            return Err(Error::Stale);
        }
        let number = s.base_revision + 1;
        let note = AuditNote {
            user: Some(s.by),
            action: s.note,
            ip: s.ip,
        };
        ContentChange::new(s.site, now)
            .revision(ALBUM_REVISIONS.copy(s.id, number, Some(s.by), now, s.note))
            .audit(note, format!("{} (/thu-vien-anh/{slug})", s.draft.title))
            .commit(tx)
            .await?;
        Ok(number)
    }

    /// Deletes an album (its photos stay in the media library).
    pub async fn delete_album(
        &self,
        site: SiteId,
        id: i64,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        self.delete_titled(Titled::Album, site, id, audit, now)
            .await
    }

    /// Changes an album's photos: one transaction, audited when `audit` is given.
    /// A photo that is not in the album (or an image of another site) is
    /// `NotFound`; an order that does not name every photo once is `Conflict`.
    pub async fn change_album_photos(
        &self,
        site: SiteId,
        album: i64,
        change: PhotoChange<'_>,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title: String = sqlx::query("SELECT title FROM albums WHERE id = $1 AND site_id = $2")
            .bind(album)
            .bind(site.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("album"))?
            .try_get("title")?;
        let order: Vec<i64> = sqlx::query(
            "SELECT media_id FROM album_photos WHERE album_id = $1 ORDER BY position, media_id",
        )
        .bind(album)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("media_id"))
        .collect::<std::result::Result<_, _>>()?;
        let member = |m: MediaId| {
            if order.contains(&m.0) {
                Ok(())
            } else {
                Err(Error::NotFound("album photo"))
            }
        };
        let mut new_order: Option<Vec<i64>> = None;
        let detail;
        match change {
            PhotoChange::Add(media, caption) => {
                let ok = sqlx::query(
                    "SELECT id FROM media WHERE id = $1 AND site_id = $2 AND kind = 'image'",
                )
                .bind(media.0)
                .bind(site.0)
                .fetch_optional(&mut *tx)
                .await?;
                if ok.is_none() {
                    return Err(Error::NotFound("image"));
                }
                sqlx::query(
                    "INSERT INTO album_photos (album_id, media_id, position, caption) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(album)
                .bind(media.0)
                .bind(order.len() as i64 + 1)
                .bind(vntext::clean_line(caption))
                .execute(&mut *tx)
                .await
                .map_err(on_unique("album_photo"))?;
                detail = format!("{title}: thêm ảnh #{media}");
            }
            PhotoChange::Order(wanted) => {
                let mut a: Vec<i64> = wanted.iter().map(|m| m.0).collect();
                let mut b = order.clone();
                a.sort_unstable();
                b.sort_unstable();
                if a != b {
                    return Err(Error::Conflict("album_order"));
                }
                new_order = Some(wanted.iter().map(|m| m.0).collect());
                detail = format!("{title}: sắp xếp lại ảnh");
            }
            PhotoChange::Move(media, up) => {
                member(media)?;
                let mut o = order.clone();
                let at = o.iter().position(|m| *m == media.0).unwrap_or(0);
                let to = if up {
                    at.saturating_sub(1)
                } else {
                    (at + 1).min(o.len() - 1)
                };
                o.swap(at, to);
                new_order = Some(o);
                detail = format!(
                    "{title}: chuyển ảnh #{media} {}",
                    if up { "lên" } else { "xuống" }
                );
            }
            PhotoChange::Caption(media, caption) => {
                member(media)?;
                sqlx::query(
                    "UPDATE album_photos SET caption = $1 WHERE album_id = $2 AND media_id = $3",
                )
                .bind(vntext::clean_line(caption))
                .bind(album)
                .bind(media.0)
                .execute(&mut *tx)
                .await?;
                detail = format!("{title}: sửa chú thích ảnh #{media}");
            }
            PhotoChange::Cover(media) => {
                member(media)?;
                sqlx::query("UPDATE albums SET cover_media_id = $1 WHERE id = $2")
                    .bind(media.0)
                    .bind(album)
                    .execute(&mut *tx)
                    .await?;
                detail = format!("{title}: chọn ảnh bìa #{media}");
            }
            PhotoChange::Remove(media) => {
                member(media)?;
                sqlx::query("DELETE FROM album_photos WHERE album_id = $1 AND media_id = $2")
                    .bind(album)
                    .bind(media.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE albums SET cover_media_id = NULL WHERE id = $1 AND cover_media_id = $2",
                )
                .bind(album)
                .bind(media.0)
                .execute(&mut *tx)
                .await?;
                new_order = Some(order.iter().copied().filter(|m| *m != media.0).collect());
                detail = format!("{title}: bỏ ảnh #{media}");
            }
        }
        if let Some(o) = new_order {
            for (i, m) in o.iter().enumerate() {
                sqlx::query(
                    "UPDATE album_photos SET position = $1 WHERE album_id = $2 AND media_id = $3",
                )
                .bind(i as i64 + 1)
                .bind(album)
                .bind(*m)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("UPDATE albums SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(album)
            .execute(&mut *tx)
            .await?;
        let mut change = ContentChange::new(site, now);
        if let Some(note) = audit {
            change = change.audit(note, detail);
        }
        change.commit(tx).await
    }

    /// The public address and title of an article an album links to (none when the
    /// article is not public, or of another site).
    pub async fn album_article(
        &self,
        site: SiteId,
        article: i64,
        now: i64,
    ) -> Result<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT a.slug, a.title, c.slug AS category_slug FROM articles a \
             JOIN categories c ON c.id = a.category_id \
             WHERE a.id = $1 AND a.site_id = $2 AND a.status = 'published' \
             AND a.published_at <= $3",
        )
        .bind(article)
        .bind(site.0)
        .bind(now)
        .fetch_optional(self.db_read())
        .await?;
        row.map(|r| {
            Ok((
                domain::article_path(
                    &r.try_get::<String, _>("category_slug")?,
                    &r.try_get::<String, _>("slug")?,
                ),
                r.try_get("title")?,
            ))
        })
        .transpose()
    }

    /// The site's newest articles (any status), as `(id, title)`, for the album
    /// form's choice of a linked article.
    pub async fn article_choices(&self, site: SiteId, limit: i64) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT id, title FROM articles WHERE site_id = $1 \
             ORDER BY published_at DESC, id DESC LIMIT $2",
        )
        .bind(site.0)
        .bind(limit)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
            .collect()
    }

    /// An album's revisions, newest first (only `number`, when given).
    pub async fn album_revisions(
        &self,
        site: SiteId,
        id: i64,
        number: Option<i64>,
    ) -> Result<Vec<AlbumRevision>> {
        let rows = sqlx::query(
            "SELECT r.number, r.slug, r.title, r.description, r.held_on, r.status, r.saved_at, \
             r.note, COALESCE(u.full_name, '') AS by_name \
             FROM album_revisions r JOIN albums a ON a.id = r.album_id \
             LEFT JOIN users u ON u.id = r.saved_by \
             WHERE r.album_id = $1 AND a.site_id = $2 AND ($3 = 0 OR r.number = $3) \
             ORDER BY r.number DESC",
        )
        .bind(id)
        .bind(site.0)
        .bind(number.unwrap_or(0))
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AlbumRevision {
                    number: r.try_get("number")?,
                    slug: r.try_get("slug")?,
                    title: r.try_get("title")?,
                    description: r.try_get("description")?,
                    held_on: r.try_get("held_on")?,
                    status: r.try_get("status")?,
                    saved_by: r.try_get("by_name")?,
                    saved_at: r.try_get("saved_at")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }
}

enum AlbumKey<'a> {
    Id(i64),
    Slug(&'a str),
}

fn album_from_row(r: &AnyRow) -> Result<Album> {
    let status: String = r.try_get("status")?;
    Ok(Album {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        held_on: r.try_get("held_on")?,
        cover: media_from_row(r)?,
        chosen_cover: r.try_get::<Option<i64>, _>("cover_media_id")?.map(MediaId),
        article_id: r.try_get("article_id")?,
        status: ArticleStatus::parse(&status)
            .ok_or_else(|| Error::Corrupt(format!("album status {status}")))?,
        author_id: r.try_get::<Option<i64>, _>("author_id")?.map(UserId),
        revision: r.try_get("revision")?,
        photo_count: r.try_get("photo_count")?,
        updated_at: r.try_get("updated_at")?,
    })
}

// ---------------------------------------------------------------------------
// Video clips

/// Where a clip plays from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoSource {
    /// An MP4 uploaded to the site.
    Mp4,
    /// A YouTube video (stored: its id).
    YouTube,
    /// A Facebook video (stored: its address).
    Facebook,
}

impl VideoSource {
    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            VideoSource::Mp4 => "mp4",
            VideoSource::YouTube => "youtube",
            VideoSource::Facebook => "facebook",
        }
    }

    /// Reads a stored value.
    pub fn parse(s: &str) -> Option<VideoSource> {
        Some(match s {
            "mp4" => VideoSource::Mp4,
            "youtube" => VideoSource::YouTube,
            "facebook" => VideoSource::Facebook,
            _ => return None,
        })
    }
}

/// What the clip form holds, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoDraft {
    /// Typed slug (empty: from the title).
    pub slug: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// Source.
    pub source: VideoSource,
    /// The MP4 (for [`VideoSource::Mp4`]).
    pub file: Option<MediaId>,
    /// The YouTube id or the Facebook address.
    pub external: String,
    /// The poster image.
    pub poster: Option<MediaId>,
    /// WebVTT captions.
    pub captions: Option<MediaId>,
    /// Length in milliseconds (MP4).
    pub duration_ms: i64,
    /// Frame width (MP4).
    pub width: i64,
    /// Frame height (MP4).
    pub height: i64,
    /// Shown large in the home block.
    pub featured: bool,
    /// Shown to readers.
    pub published: bool,
}

impl VideoDraft {
    /// The slug to store.
    pub fn effective_slug(&self) -> String {
        effective_slug(&self.slug, &self.title)
    }
}

/// A clip as stored, with the addresses of its files.
#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    /// Id.
    pub id: i64,
    /// The clip's fields.
    pub draft: VideoDraft,
    /// The MP4's path below the media folder.
    pub file_path: Option<String>,
    /// The captions' path below the media folder.
    pub captions_path: Option<String>,
    /// The poster image.
    pub poster_image: Option<MediaRef>,
    /// Last saved.
    pub updated_at: i64,
}

impl Video {
    /// Its public address.
    pub fn path(&self) -> String {
        format!("/video/{}", self.draft.slug)
    }
}

const VIDEO_COLUMNS: &str = "v.id, v.slug, v.title, v.description, v.held_on, v.source, \
     v.file_media_id, v.external, v.poster_media_id, v.captions_media_id, v.duration_ms, \
     v.width, v.height, v.featured, v.published, v.updated_at, \
     f.path AS file_path, c.path AS captions_path";

const VIDEO_FROM: &str = "FROM videos v LEFT JOIN media f ON f.id = v.file_media_id \
     LEFT JOIN media c ON c.id = v.captions_media_id \
     LEFT JOIN media m ON m.id = v.poster_media_id";

impl Store {
    /// A site's clips, newest date first (the featured one first when
    /// `featured_first`); only published ones when `published_only`. With the total.
    pub async fn videos(
        &self,
        site: SiteId,
        published_only: bool,
        featured_first: bool,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Video>, i64)> {
        let rows = sqlx::query(&format!(
            "SELECT {VIDEO_COLUMNS}, {MEDIA_COLUMNS} {VIDEO_FROM} \
             WHERE v.site_id = $1 AND ($2 = 0 OR v.published = 1) \
             ORDER BY CASE WHEN $3 = 1 THEN v.featured ELSE 0 END DESC, \
             v.held_on DESC, v.id DESC LIMIT $4 OFFSET $5"
        ))
        .bind(site.0)
        .bind(i64::from(published_only))
        .bind(i64::from(featured_first))
        .bind(limit)
        .bind(offset)
        .fetch_all(self.db_read())
        .await?;
        let total: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM videos WHERE site_id = $1 AND ($2 = 0 OR published = 1)",
        )
        .bind(site.0)
        .bind(i64::from(published_only))
        .fetch_one(self.db_read())
        .await?
        .try_get("n")?;
        Ok((
            rows.iter().map(video_from_row).collect::<Result<_>>()?,
            total,
        ))
    }

    /// A clip of the site by id.
    pub async fn video(&self, site: SiteId, id: i64) -> Result<Option<Video>> {
        let row = sqlx::query(&format!(
            "SELECT {VIDEO_COLUMNS}, {MEDIA_COLUMNS} {VIDEO_FROM} \
             WHERE v.site_id = $1 AND v.id = $2"
        ))
        .bind(site.0)
        .bind(id)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(video_from_row).transpose()
    }

    /// A published clip by slug.
    pub async fn public_video(&self, site: SiteId, slug: &str) -> Result<Option<Video>> {
        let row = sqlx::query(&format!(
            "SELECT {VIDEO_COLUMNS}, {MEDIA_COLUMNS} {VIDEO_FROM} \
             WHERE v.site_id = $1 AND v.slug = $2 AND v.published = 1"
        ))
        .bind(site.0)
        .bind(slug)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(video_from_row).transpose()
    }

    /// Writes a clip (a new one when `id` is none); `Conflict("video_slug")` when
    /// the slug is taken. Only one clip of a site is featured: marking one
    /// unmarks the others.
    pub async fn save_video(
        &self,
        site: SiteId,
        id: Option<i64>,
        d: &VideoDraft,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<i64> {
        let slug = d.effective_slug();
        let mut tx = self.begin_write().await?;
        if d.featured {
            sqlx::query("UPDATE videos SET featured = 0 WHERE site_id = $1")
                .bind(site.0)
                .execute(&mut *tx)
                .await?;
        }
        let values = "slug = $1, title = $2, description = $3, held_on = $4, source = $5, \
             file_media_id = $6, external = $7, poster_media_id = $8, captions_media_id = $9, \
             duration_ms = $10, width = $11, height = $12, featured = $13, published = $14, \
             updated_at = $15";
        let sql = match id {
            Some(_) => {
                format!("UPDATE videos SET {values} WHERE site_id = $16 AND id = $17 RETURNING id")
            }
            None => {
                "INSERT INTO videos (slug, title, description, held_on, source, file_media_id, \
                 external, poster_media_id, captions_media_id, duration_ms, width, height, \
                 featured, published, updated_at, site_id, created_at) VALUES ($1, $2, $3, $4, \
                 $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15) RETURNING id"
                    .to_owned()
            }
        };
        let mut q = sqlx::query(&sql)
            .bind(&slug)
            .bind(vntext::clean_line(&d.title))
            .bind(vntext::nfc(d.description.trim()))
            .bind(&d.held_on)
            .bind(d.source.as_str())
            .bind(d.file.map(|m| m.0))
            .bind(&d.external)
            .bind(d.poster.map(|m| m.0))
            .bind(d.captions.map(|m| m.0))
            .bind(d.duration_ms)
            .bind(d.width)
            .bind(d.height)
            .bind(i64::from(d.featured))
            .bind(i64::from(d.published))
            .bind(now)
            .bind(site.0);
        if let Some(id) = id {
            q = q.bind(id);
        }
        let saved: i64 = q
            .fetch_optional(&mut *tx)
            .await
            .map_err(on_unique("video_slug"))?
            .ok_or(Error::NotFound("video"))?
            .try_get("id")?;
        let mut change = ContentChange::new(site, now);
        if let Some(note) = audit {
            change = change.audit(note, format!("{} (/video/{slug})", d.title));
        }
        change.commit(tx).await?;
        Ok(saved)
    }

    /// Deletes a clip (its files stay in the media library).
    pub async fn delete_video(
        &self,
        site: SiteId,
        id: i64,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        self.delete_titled(Titled::Video, site, id, audit, now)
            .await
    }
}

fn video_from_row(r: &AnyRow) -> Result<Video> {
    let source: String = r.try_get("source")?;
    let media =
        |c: &str| -> Result<Option<MediaId>> { Ok(r.try_get::<Option<i64>, _>(c)?.map(MediaId)) };
    Ok(Video {
        id: r.try_get("id")?,
        draft: VideoDraft {
            slug: r.try_get("slug")?,
            title: r.try_get("title")?,
            description: r.try_get("description")?,
            held_on: r.try_get("held_on")?,
            source: VideoSource::parse(&source)
                .ok_or_else(|| Error::Corrupt(format!("video source {source}")))?,
            file: media("file_media_id")?,
            external: r.try_get("external")?,
            poster: media("poster_media_id")?,
            captions: media("captions_media_id")?,
            duration_ms: r.try_get("duration_ms")?,
            width: r.try_get("width")?,
            height: r.try_get("height")?,
            featured: r.try_get::<i64, _>("featured")? != 0,
            published: r.try_get::<i64, _>("published")? != 0,
        },
        file_path: r.try_get("file_path")?,
        captions_path: r.try_get("captions_path")?,
        poster_image: media_from_row(r)?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The tables whose rows [`Store::delete_titled`] deletes.
#[derive(Clone, Copy)]
enum Titled {
    Album,
    Video,
}

impl Store {
    /// Deletes an album or a clip of `site`, audited with its title.
    async fn delete_titled(
        &self,
        which: Titled,
        site: SiteId,
        id: i64,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let (table, what) = match which {
            Titled::Album => ("albums", "album"),
            Titled::Video => ("videos", "video"),
        };
        let mut tx = self.begin_write().await?;
        let title: String = sqlx::query(&format!(
            "SELECT title FROM {table} WHERE id = $1 AND site_id = $2"
        ))
        .bind(id)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound(what))?
        .try_get("title")?;
        sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ContentChange::new(site, now)
            .audit(audit, title)
            .commit(tx)
            .await
    }
}
