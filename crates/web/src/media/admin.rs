//! `/quan-tri/tep`: the site's media library. Everyone who works on the site sees
//! it and uploads to it (photos from a phone, PDF, Word, Excel, MP4); the type is
//! judged by the content, never by the name.

use crate::media::uploads::{self, UploadError};
use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::{CsrfMultipart, SiteRole, Writer};
use crate::platform::layout::{AdminChrome, PagerView};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{MediaItem, PageNumber, Pager};
use std::collections::HashMap;

/// Files per page of the library.
const PER_PAGE: u32 = 24;

/// A file as the library shows it.
pub(crate) struct FileView {
    pub url: String,
    pub thumb: Option<String>,
    pub name: String,
    pub kind: &'static str,
    pub size: String,
    pub dimensions: String,
    pub when: String,
    pub by: String,
    pub id: i64,
}

impl From<&MediaItem> for FileView {
    fn from(m: &MediaItem) -> FileView {
        FileView {
            url: m.media.url(),
            thumb: (m.kind == "image").then(|| m.media.thumb_url()),
            name: if m.original_name.is_empty() {
                m.media
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            } else {
                m.original_name.clone()
            },
            kind: match m.kind.as_str() {
                "image" => "Ảnh",
                "pdf" => "PDF",
                "document" => "Word",
                "spreadsheet" => "Excel",
                "video" => "Video",
                _ => "Tệp",
            },
            size: human_size(m.bytes),
            dimensions: if m.media.width > 0 {
                format!("{} × {} px", m.media.width, m.media.height)
            } else {
                String::new()
            },
            when: vntext::format_datetime(m.created_at),
            by: m.uploaded_by.clone(),
            id: m.media.id.0,
        }
    }
}

/// "12,5 MB", "830 KB": sizes as people read them, decimal comma.
pub(crate) fn human_size(bytes: i64) -> String {
    const MB: f64 = 1_048_576.0;
    let b = bytes.max(0) as f64;
    if b >= MB {
        format!("{:.1} MB", b / MB).replace('.', ",")
    } else {
        format!("{} KB", ((b / 1024.0).ceil() as i64).max(1))
    }
}

#[derive(Template)]
#[template(path = "media/library.html")]
struct MediaTemplate {
    chrome: AdminChrome,
    files: Vec<FileView>,
    total: String,
    kind: String,
    pager: Option<PagerView>,
    done: Vec<String>,
    refused: Vec<String>,
    limits: String,
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &store::SessionInfo,
    kind: String,
    page_no: PageNumber,
    done: Vec<String>,
    refused: Vec<String>,
) -> Result<Response, AppError> {
    let filter = ["image", "pdf", "document", "spreadsheet", "video"]
        .contains(&kind.as_str())
        .then_some(kind.as_str());
    let (items, total) = state
        .store
        .media_library(
            site.site.id,
            filter,
            i64::from(PER_PAGE),
            page_no.offset(PER_PAGE),
        )
        .await?;
    let base = match filter {
        Some(k) => format!("/quan-tri/tep?loai={k}"),
        None => "/quan-tri/tep".to_owned(),
    };
    let l = &state.options.media_limits;
    let status = if refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        status,
        &MediaTemplate {
            chrome: AdminChrome::new("Thư viện tệp", site, session),
            files: items.iter().map(FileView::from).collect(),
            total: vntext::format_number(total),
            kind,
            pager: Pager::new(total, PER_PAGE, page_no).and_then(|p| PagerView::new(&p, &base, "")),
            done,
            refused,
            limits: format!(
                "Ảnh tối đa {}, tài liệu tối đa {}, video tối đa {}.",
                human_size(l.image_bytes as i64),
                human_size(l.document_bytes as i64),
                human_size(l.video_bytes as i64)
            ),
        },
    )
}

/// `GET /quan-tri/tep[?loai=image&trang=N]`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Writer>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let kind = q.get("loai").cloned().unwrap_or_default();
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    render(
        &state,
        &site,
        &session,
        kind,
        page_no,
        Vec::new(),
        Vec::new(),
    )
    .await
}

/// `POST /quan-tri/tep` (multipart: `csrf`, then one or more `tep` files). Every
/// file is judged on its own: the good ones are kept, each refused one is named
/// with its reason.
pub(crate) async fn upload(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Writer>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let mut done = Vec::new();
    let mut refused = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                refused.push(format!(
                    "Tệp gửi lên bị gián đoạn hoặc quá lớn ({}); hãy thử lại.",
                    e.body_text()
                ));
                break;
            }
        };
        if field.name() == Some("tep") {
            let name = vntext::clean_line(field.file_name().unwrap_or("tệp"));
            if name.is_empty() {
                continue;
            }
            let bytes = match field.bytes().await {
                Ok(b) => b.to_vec(),
                Err(_) => {
                    refused.push(format!("{name}: tệp quá lớn hoặc gửi lên bị gián đoạn."));
                    continue;
                }
            };
            if bytes.is_empty() {
                // A form sent without choosing a file.
                continue;
            }
            match uploads::accept(
                &state,
                site.site.id,
                &site.site.key,
                session.user.id,
                &name,
                bytes,
            )
            .await
            {
                Ok(up) => {
                    state
                        .store
                        .audit(
                            Some(site.site.id),
                            Some(session.user.id),
                            "tải tệp lên",
                            &format!("#{} {name}", up.id),
                            &ip,
                            now(),
                        )
                        .await?;
                    done.push(name);
                }
                Err(UploadError::Store(e)) => return Err(e.into()),
                Err(e) => refused.push(format!("{name}: {e}")),
            }
        }
    }
    if done.is_empty() && refused.is_empty() {
        refused.push("Chưa chọn tệp nào để tải lên.".into());
    }
    render(
        &state,
        &site,
        &session,
        String::new(),
        PageNumber(1),
        done,
        refused,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_read_the_vietnamese_way() {
        assert_eq!(human_size(13_107_200), "12,5 MB");
        assert_eq!(human_size(850_000), "831 KB");
        assert_eq!(human_size(10), "1 KB");
    }
}
