//! Photo albums ("Hình ảnh hoạt động", `/thu-vien-anh`) and video clips
//! ("Video clip", `/video`), issue 15.
//!
//! Albums follow the articles' workflow (`domain::next_status`) and keep
//! revisions (`platform::revisions`); their photos are media items made by the
//! media library's upload path (sizes, WebP when smaller), uploaded one file per
//! request and processed at most [`UPLOADS_AT_ONCE`] at a time, so the server's
//! memory does not grow with the number of photos chosen. Clips are an uploaded
//! MP4 (served by `/media` with Range requests) or a YouTube / Facebook address
//! whose player loads only when the reader presses play.

pub(crate) mod album_admin;
pub(crate) mod albums;
pub(crate) mod blocks;
pub(crate) mod video;
pub(crate) mod video_admin;

use crate::AppState;
use crate::platform::menu::ModulePage;
use crate::platform::parts::Parts;
use crate::platform::routes::{NO_QUERY, PAGED, Routes};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::sync::Semaphore;

/// How many photos the server prepares at once. A 12-megapixel photo takes
/// about 165 MB while it is prepared (36 MB decoded, and the resize's own
/// floating-point copy); with two at a time the peak was reached only when both
/// were at their largest together, so a longer batch reached a higher peak
/// (+16–21 % from 10 to 50 photos). One at a time, the peak is one photo's.
pub(crate) const UPLOADS_AT_ONCE: usize = 1;

/// How many photos of the largest size one upload form may carry (the page's
/// script sends one a request; the form without it sends all it was given).
pub(crate) const PHOTOS_A_FORM: u64 = 50;

/// The most one upload form may weigh: [`PHOTOS_A_FORM`] photos at the image
/// limit, and 1 MB for the rest. The handler reads one file at a time and keeps
/// none larger than the image limit, so memory does not grow with it.
pub(crate) fn form_limit(limits: &media::Limits) -> u64 {
    limits
        .image_bytes
        .saturating_mul(PHOTOS_A_FORM)
        .saturating_add(1 << 20)
}

/// The feature's state: the gate that photo uploads pass one or two at a time.
pub(crate) struct Gallery {
    pub uploads: Semaphore,
}

impl AppState {
    /// The albums' and clips' state.
    pub(crate) fn gallery(&self) -> &Gallery {
        self.part()
    }
}

/// Albums and clips, public and back office.
pub(crate) fn routes(state: &AppState) -> Routes {
    let limits = &state.options.media_limits;
    let photos_limit = usize::try_from(form_limit(limits)).unwrap_or(usize::MAX);
    let video_limit = usize::try_from(limits.video_bytes.saturating_add(limits.image_bytes))
        .unwrap_or(usize::MAX)
        + (2 << 20);
    Routes::new()
        .public(albums::LIST_PATH, PAGED, get(albums::list))
        .public("/thu-vien-anh/{slug}", NO_QUERY, get(albums::show))
        .public("/thu-vien-anh/{slug}/anh/{n}", NO_QUERY, get(albums::photo))
        .public(video::LIST_PATH, PAGED, get(video::list))
        .public("/video/{slug}", video::CLIP_QUERY, get(video::show))
        .admin(
            "/quan-tri/thu-vien-anh",
            get(album_admin::list).post(album_admin::create),
        )
        .admin(
            "/quan-tri/thu-vien-anh/{id}",
            get(album_admin::edit).post(album_admin::save),
        )
        .admin(
            "/quan-tri/thu-vien-anh/{id}/anh",
            post(album_admin::upload).layer(DefaultBodyLimit::max(photos_limit)),
        )
        .admin(
            "/quan-tri/thu-vien-anh/{id}/anh/{media}",
            post(album_admin::photo),
        )
        .admin(
            "/quan-tri/thu-vien-anh/{id}/thu-tu",
            post(album_admin::order),
        )
        .admin(
            "/quan-tri/thu-vien-anh/{id}/phien-ban",
            get(album_admin::revisions),
        )
        .admin(
            "/quan-tri/thu-vien-anh/{id}/phien-ban/{n}/khoi-phuc",
            post(album_admin::restore),
        )
        .admin(
            "/quan-tri/video",
            get(video_admin::list)
                .post(video_admin::create)
                .layer(DefaultBodyLimit::max(video_limit)),
        )
        .admin(
            "/quan-tri/video/{id}",
            get(video_admin::edit)
                .post(video_admin::save)
                .layer(DefaultBodyLimit::max(video_limit)),
        )
}

/// The feature's state, its menu targets and its home-page blocks.
pub(crate) fn install(parts: &mut Parts) {
    parts.insert(Gallery {
        uploads: Semaphore::new(UPLOADS_AT_ONCE),
    });
    parts.menu_page(ModulePage {
        key: "thu-vien-anh",
        label: "Thư viện ảnh",
        path: albums::LIST_PATH,
        in_default: false,
    });
    parts.menu_page(ModulePage {
        key: "video",
        label: "Video clip",
        path: video::LIST_PATH,
        in_default: false,
    });
    blocks::install(parts);
}

/// A date as the forms take it (`dd/mm/yyyy`), from `YYYY-MM-DD`.
pub(crate) fn shown_date(iso: &str) -> String {
    vntext::format_iso_date(iso).unwrap_or_default()
}

/// `YYYY-MM-DD` as a `<time datetime>` value and as shown.
pub(crate) fn date_pair(iso: &str) -> (String, String) {
    (iso.to_owned(), shown_date(iso))
}
