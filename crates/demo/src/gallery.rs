//! The demo's photo album and video clip (issue 15): on each site, an album of
//! drawn photos with captions, published, and a YouTube clip whose poster is the
//! album's cover (the player loads only when a reader presses play, so the demo
//! works without internet).

use crate::Error;
use crate::images::{self, Picture};
use domain::{ArticleStatus, SiteId};
use std::path::Path;
use store::{AlbumDraft, MediaInput, PhotoChange, Store, VideoDraft, VideoSource};

/// The album's captions, one photo each.
const CAPTIONS: [&str; 6] = [
    "Học sinh xếp hàng chào cờ đầu tuần",
    "Thầy cô và học sinh trồng cây xanh trong sân trường",
    "Tiết thực hành thí nghiệm Vật lý",
    "Đội văn nghệ biểu diễn chào mừng ngày 20/11",
    "Phụ huynh dự buổi họp đầu năm học",
    "Toàn cảnh buổi lễ tổng kết phong trào thi đua",
];

/// Writes the album and the clip of `site`.
pub(crate) async fn load(
    store: &Store,
    media_dir: &Path,
    site: SiteId,
    site_key: &str,
    seed: u64,
    now: i64,
) -> Result<(), Error> {
    let draft = AlbumDraft {
        slug: String::new(),
        title: "Hoạt động tháng 11 năm 2026".into(),
        description: "Những hình ảnh tiêu biểu của nhà trường trong tháng 11 năm 2026.".into(),
        held_on: "2026-11-20".into(),
        article_id: None,
    };
    let album = store
        .create_album(site, &draft, ArticleStatus::Published, None, None, now)
        .await?;
    let mut first = None;
    for (i, caption) in CAPTIONS.iter().enumerate() {
        let img = Picture::Scene {
            seed: seed + 5000 + i as u64 * 13,
        }
        .ensure_with_sizes(
            media_dir,
            &format!("demo/{site_key}/album-{}.jpg", i + 1),
            images::SCENE,
            &images::PHOTO_WIDTHS,
        )?;
        let id = store
            .create_media(
                &MediaInput {
                    site_id: site,
                    path: img.path,
                    thumb_path: img.thumb_path,
                    mime: "image/jpeg".into(),
                    width: img.width,
                    height: img.height,
                    bytes: img.bytes,
                    kind: "image".into(),
                    original_name: format!("album-{}.jpg", i + 1),
                    sizes: img.sizes,
                    uploaded_by: None,
                },
                now,
            )
            .await?;
        first.get_or_insert(id);
        store
            .change_album_photos(site, album, PhotoChange::Add(id, caption), None, now)
            .await?;
    }
    if let Some(cover) = first {
        store
            .change_album_photos(site, album, PhotoChange::Cover(cover), None, now)
            .await?;
    }
    let clip = VideoDraft {
        slug: String::new(),
        title: "Video mẫu: phim hoạt hình ngắn Big Buck Bunny".into(),
        description:
            "Video mẫu để thử khối Video clip (phim của Blender Foundation, giấy phép CC BY); \
             thay bằng video của đơn vị trong Quản trị › Video."
                .into(),
        held_on: "2026-11-15".into(),
        source: VideoSource::YouTube,
        file: None,
        external: "aqz-KE-bpKQ".into(),
        poster: first,
        captions: None,
        duration_ms: 0,
        width: 0,
        height: 0,
        featured: true,
        published: true,
    };
    store.save_video(site, None, &clip, None, now).await?;
    Ok(())
}
