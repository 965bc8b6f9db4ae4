//! `/video`: the published clips. An uploaded MP4 plays in the page's own
//! `<video>` (its file is served by `/media`, which answers Range requests, so
//! seeking works). A YouTube or Facebook clip shows only a local poster and a
//! play button: the page names no third-party address until the reader presses
//! play. The page's script then puts the player in place; without the script the
//! button leads to `?phat=1`, the same page with the player.

use crate::gallery::date_pair;
use crate::platform::layout::{Img, Layout, PagerView, Preview, percent_encode};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use domain::{PageNumber, Pager};
use std::collections::HashMap;
use store::{Video, VideoSource};

/// The list of clips.
pub(crate) const LIST_PATH: &str = "/video";
/// The query a clip's page reads: `phat=1` shows the external player.
pub(crate) const CLIP_QUERY: &[&str] = &["phat"];
/// Clips a page of the list shows.
const PER_PAGE: u32 = 12;

/// A clip as a card.
pub(crate) struct ClipCard {
    pub title: String,
    pub url: String,
    pub date_iso: String,
    pub date: String,
    /// "3:05"; empty when unknown (external clips).
    pub duration: String,
    pub poster: Option<Img>,
}

impl ClipCard {
    pub(crate) fn of(v: &Video) -> ClipCard {
        let (date_iso, date) = date_pair(&v.draft.held_on);
        ClipCard {
            title: v.draft.title.clone(),
            url: v.path(),
            date_iso,
            date,
            duration: duration(v.draft.duration_ms),
            poster: v.poster_image.as_ref().map(Img::thumb),
        }
    }
}

/// A length as people read it: "0:42", "3:05", "1:02:09"; empty for none.
pub(crate) fn duration(ms: i64) -> String {
    if ms <= 0 {
        return String::new();
    }
    let s = (ms + 500) / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The embed address of an external clip (YouTube's privacy-enhanced domain).
pub(crate) fn embed_url(v: &Video) -> Option<String> {
    match v.draft.source {
        VideoSource::Mp4 => None,
        VideoSource::YouTube => Some(format!(
            "https://www.youtube-nocookie.com/embed/{}?autoplay=1&rel=0",
            v.draft.external
        )),
        VideoSource::Facebook => Some(format!(
            "https://www.facebook.com/plugins/video.php?href={}&show_text=false&autoplay=true",
            percent_encode(&v.draft.external)
        )),
    }
}

#[derive(Template)]
#[template(path = "gallery/video_list.html")]
struct ListTemplate {
    layout: Layout,
    cards: Vec<ClipCard>,
    page: u32,
    pager: Option<PagerView>,
}

#[derive(Template)]
#[template(path = "gallery/video.html")]
struct ClipTemplate {
    layout: Layout,
    card: ClipCard,
    description: String,
    /// The MP4's address, for an uploaded clip.
    file_url: Option<String>,
    width: i64,
    height: i64,
    captions_url: Option<String>,
    /// "YouTube" or "Facebook" for an external clip.
    host: &'static str,
    /// The player's address, only when the reader asked for it (`?phat=1`).
    embed: Option<String>,
    /// The YouTube id the script builds the player from.
    youtube_id: String,
    play_url: String,
    script_url: String,
}

/// `GET /video[?trang=N]`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let page = PageNumber::parse(q.get("trang").map(String::as_str));
    let (clips, total) = state
        .store
        .videos(
            site.site.id,
            true,
            false,
            i64::from(PER_PAGE),
            page.offset(PER_PAGE),
        )
        .await?;
    let pager = Pager::new(total, PER_PAGE, page).ok_or(AppError::NotFound)?;
    let layout = Layout::new(&state, Some(&site), "Video clip", Some(LIST_PATH))
        .canonical(origin.url(LIST_PATH));
    let view = ListTemplate {
        layout,
        cards: clips.iter().map(ClipCard::of).collect(),
        page: page.0,
        pager: PagerView::new(&pager, LIST_PATH, ""),
    };
    Ok(Html(view.render()?).into_response())
}

/// `GET /video/{slug}[?phat=1]`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = state
        .store
        .public_video(site.site.id, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = v.path();
    let absolute = origin.url(&url);
    let mut layout = Layout::new(&state, Some(&site), &v.draft.title, Some(LIST_PATH))
        .canonical(absolute.clone());
    let description = if v.draft.description.is_empty() {
        v.draft.title.clone()
    } else {
        v.draft.description.clone()
    };
    layout.preview = Some(Preview {
        kind: "video.other",
        title: v.draft.title.clone(),
        description: description.clone(),
        url: absolute,
        image: v.poster_image.as_ref().map(|m| origin.url(&m.url())),
        published_iso: None,
        modified_iso: None,
    });
    layout.description = description;
    let asked = q.get("phat").is_some_and(|p| p == "1");
    let view = ClipTemplate {
        layout,
        card: ClipCard::of(&v),
        description: v.draft.description.clone(),
        file_url: (v.draft.source == VideoSource::Mp4)
            .then(|| v.file_path.as_ref().map(|p| format!("/media/{p}")))
            .flatten(),
        width: v.draft.width,
        height: v.draft.height,
        captions_url: v.captions_path.as_ref().map(|p| format!("/media/{p}")),
        host: match v.draft.source {
            VideoSource::Mp4 => "",
            VideoSource::YouTube => "YouTube",
            VideoSource::Facebook => "Facebook",
        },
        embed: if asked { embed_url(&v) } else { None },
        youtube_id: if v.draft.source == VideoSource::YouTube {
            v.draft.external.clone()
        } else {
            String::new()
        },
        play_url: format!("{url}?phat=1"),
        script_url: crate::platform::assets::url("gallery.js"),
    };
    let mut res = Html(view.render()?).into_response();
    if v.draft.source != VideoSource::Mp4 {
        // The player is allowed in a frame; it is only loaded after a click. The
        // page cache keeps only the standard headers, so this page sets its own
        // caching and is not stored (external clips are few).
        let policy = crate::platform::frontdoor::csp_with_frames(PLAYER_ORIGINS);
        if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
            let h = res.headers_mut();
            h.insert(axum::http::header::CONTENT_SECURITY_POLICY, value);
            h.insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("public, max-age=0, must-revalidate"),
            );
        }
    }
    Ok(res)
}

/// Where external players come from.
const PLAYER_ORIGINS: &str = "https://www.youtube-nocookie.com https://www.facebook.com";
