//! `/thong-bao`: every notice a site's readers may see (its own and the
//! department's addressed to it), current and expired, twenty a page; and
//! `/thong-bao/<id>-<slug>`, a notice's page.

use crate::notices::{NoticeLine, reaches, sender_name};
use crate::platform::layout::{Layout, PagerView};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{Notice, PageNumber, Pager};
use std::collections::HashMap;

/// Notices per archive page.
const PER_PAGE: u32 = 20;

#[derive(Template)]
#[template(path = "notices/archive.html")]
struct ArchiveTemplate {
    layout: Layout,
    lines: Vec<NoticeLine>,
    pager: Option<PagerView>,
}

/// A file attached, as pages link it.
pub(crate) struct FileLink {
    pub url: String,
    pub name: String,
    pub size: String,
}

impl FileLink {
    pub(crate) fn new(f: &store::AttachedFile) -> FileLink {
        FileLink {
            url: format!("/media/{}", f.path),
            name: if f.name.is_empty() {
                f.path.rsplit('/').next().unwrap_or_default().to_owned()
            } else {
                f.name.clone()
            },
            size: size_text(f.bytes),
        }
    }
}

/// A file's size as readers read it: "245 KB", "1,2 MB".
pub(crate) fn size_text(bytes: i64) -> String {
    if bytes >= 1_048_576 {
        let tenths = (bytes * 10 + 524_288) / 1_048_576;
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", vntext::format_number((bytes + 1023) / 1024))
    }
}

#[derive(Template)]
#[template(path = "notices/notice.html")]
struct NoticeTemplate {
    layout: Layout,
    title: String,
    url: String,
    body: String,
    date: String,
    date_iso: String,
    expires: Option<String>,
    expired: bool,
    from: Option<String>,
    files: Vec<FileLink>,
}

/// The notices a site's readers may see, started, newest first.
pub(crate) async fn visible(
    state: &AppState,
    site: &CurrentSite,
    now: i64,
) -> Result<Vec<Notice>, AppError> {
    let units = state.store.units().await?;
    let mut all: Vec<Notice> = state
        .store
        .notices_of_site(site.site.id)
        .await?
        .into_iter()
        .filter(|n| n.published)
        .chain(
            state
                .store
                .addressed_notices()
                .await?
                .into_iter()
                .filter(|n| n.site != site.site.id && reaches(n, site.site.id, &units)),
        )
        .filter(|n| n.starts_at <= now)
        .collect();
    all.sort_by_key(|n| std::cmp::Reverse((n.starts_at, n.id)));
    Ok(all)
}

/// `GET /thong-bao?trang=N`
pub(crate) async fn archive(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = now();
    let page = PageNumber::parse(query.get("trang").map(String::as_str));
    let all = visible(&state, &site, now).await?;
    let pager = Pager::new(all.len() as i64, PER_PAGE, page).ok_or(AppError::NotFound)?;
    let lines = all
        .iter()
        .skip(usize::try_from(page.offset(PER_PAGE)).unwrap_or(0))
        .take(PER_PAGE as usize)
        .map(|n| NoticeLine::new(&state, n, site.site.id, now))
        .collect();
    let title = if page.0 > 1 {
        format!("Thông báo – Trang {}", page.0)
    } else {
        "Thông báo".to_owned()
    };
    let layout = Layout::new(&state, Some(&site), &title, Some("/thong-bao"))
        .canonical(origin.url("/thong-bao"));
    let view = ArchiveTemplate {
        layout,
        lines,
        pager: PagerView::new(&pager, "/thong-bao", ""),
    };
    Ok(Html(view.render()?).into_response())
}

/// `GET /thong-bao/{id}-{slug}`: a notice of this site, or one addressed to it.
/// A wrong slug answers 301 to the right one.
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let now = now();
    let id: i64 = key
        .split('-')
        .next()
        .and_then(|d| d.parse().ok())
        .ok_or(AppError::NotFound)?;
    let notice = state
        .store
        .notice_by_id(id)
        .await?
        .filter(|n| n.published && n.starts_at <= now)
        .ok_or(AppError::NotFound)?;
    if notice.site != site.site.id {
        let units = state.store.units().await?;
        if !reaches(&notice, site.site.id, &units) {
            return Err(AppError::NotFound);
        }
    }
    let url = notice.path();
    if url != format!("/thong-bao/{key}") {
        return Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, url)]).into_response());
    }
    let files = state
        .store
        .notice_files(notice.id)
        .await?
        .iter()
        .map(FileLink::new)
        .collect();
    let layout = Layout::new(&state, Some(&site), &notice.title, Some("/thong-bao"))
        .canonical(origin.url(&url));
    let view = NoticeTemplate {
        layout,
        title: notice.title.clone(),
        body: notice.body.as_str().to_owned(),
        date: vntext::format_date(notice.starts_at),
        date_iso: crate::platform::layout::iso(notice.starts_at),
        expires: notice.expires_at.map(vntext::format_datetime),
        expired: notice.is_expired(now),
        from: (notice.site != site.site.id).then(|| sender_name(&state, notice.site)),
        files,
        url,
    };
    Ok(Html(view.render()?).into_response())
}
