//! `/quan-tri/video`: clips in the back office (editors). A clip is an uploaded
//! MP4, whose length and frame size are read from the file (`media::video_info`),
//! or a YouTube / Facebook address. Its poster is uploaded or chosen among the
//! site's photos; captions are an optional WebVTT file.

use crate::gallery::shown_date;
use crate::gallery::video::duration;
use crate::media::uploads::{self, UploadError};
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{ClientIp, CsrfMultipart, SiteRole};
use crate::platform::layout::{AdminChrome, SelectOption};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::multipart::Field;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{MediaId, Role};
use std::collections::HashMap;
use store::{AuditNote, MediaInput, SessionInfo, Video, VideoDraft, VideoSource};

/// Clips are the editors' work.
pub(crate) struct VideoEditor;
impl crate::platform::extract::Need for VideoEditor {
    const ROLE: Role = Role::Editor;
    const REFUSAL: &'static str =
        "Chỉ biên tập viên và quản trị viên của trang này mới quản lý được video.";
}

/// The largest captions file taken.
const CAPTIONS_BYTES: usize = 1 << 20;

/// The form's text fields as shown.
#[derive(Default)]
pub(crate) struct VideoValues {
    pub title: String,
    pub slug: String,
    pub held_on: String,
    pub description: String,
    pub url: String,
    pub poster_from: String,
    pub featured: bool,
    pub published: bool,
}

/// A line of the list.
pub(crate) struct VideoRow {
    pub title: String,
    pub edit_url: String,
    pub public_url: Option<String>,
    pub date: String,
    pub source: &'static str,
    pub duration: String,
    pub featured: bool,
}

#[derive(Template)]
#[template(path = "gallery/admin_video.html")]
struct VideoTemplate {
    chrome: AdminChrome,
    heading: String,
    action_url: String,
    existing: Option<ExistingClip>,
    values: VideoValues,
    posters: Vec<SelectOption>,
    rows: Vec<VideoRow>,
    errors: Vec<String>,
    notice: Option<String>,
}

/// What an existing clip already has.
pub(crate) struct ExistingClip {
    pub public_url: Option<String>,
    pub file: Option<String>,
    pub facts: String,
    pub poster: Option<String>,
    pub captions: Option<String>,
}

/// Everything the multipart form sent.
#[derive(Default)]
struct Sent {
    action: String,
    values: VideoValues,
    video: Option<(String, Vec<u8>)>,
    poster: Option<(String, Vec<u8>)>,
    captions: Option<(String, Vec<u8>)>,
    broken: Option<String>,
}

async fn file(field: Field<'_>) -> Result<Option<(String, Vec<u8>)>, String> {
    let name = vntext::clean_line(field.file_name().unwrap_or(""));
    let bytes = field
        .bytes()
        .await
        .map_err(|_| format!("{name}: tệp quá lớn hoặc gửi lên bị gián đoạn."))?;
    Ok((!bytes.is_empty()).then(|| (name, bytes.to_vec())))
}

async fn read_form(form: &mut axum::extract::Multipart) -> Sent {
    let mut sent = Sent::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                sent.broken = Some(format!(
                    "Tệp gửi lên bị gián đoạn hoặc quá lớn ({}); hãy thử lại.",
                    e.body_text()
                ));
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let got = match name.as_str() {
            "tep_video" => file(field).await.map(|f| sent.video = f),
            "tep_anh" => file(field).await.map(|f| sent.poster = f),
            "tep_phu_de" => file(field).await.map(|f| sent.captions = f),
            _ => {
                let text = vntext::nfc(&field.text().await.unwrap_or_default());
                let v = &mut sent.values;
                match name.as_str() {
                    "action" => sent.action = text,
                    "title" => v.title = text,
                    "slug" => v.slug = text,
                    "held_on" => v.held_on = text,
                    "description" => v.description = text,
                    "url" => v.url = text.trim().to_owned(),
                    "poster_from" => v.poster_from = text.trim().to_owned(),
                    "featured" => v.featured = !text.is_empty(),
                    "published" => v.published = !text.is_empty(),
                    _ => {}
                }
                Ok(())
            }
        };
        if let Err(e) = got {
            sent.broken = Some(e);
        }
    }
    sent
}

/// A YouTube video id from the addresses people paste (`watch?v=`, `youtu.be/`,
/// `shorts/`, `embed/`, `live/`), or a Facebook video address.
pub(crate) fn parse_clip_url(url: &str) -> Option<(VideoSource, String)> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    let valid_id = |id: &str| {
        (id.len() == 11
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| id.to_owned())
    };
    let id = match host {
        "youtu.be" => valid_id(path.split(['?', '/', '#']).next().unwrap_or("")),
        "youtube.com" | "youtube-nocookie.com" => {
            let (p, query) = path.split_once('?').unwrap_or((path, ""));
            if p == "watch" {
                form_urlencoded::parse(query.as_bytes())
                    .find(|(k, _)| k == "v")
                    .and_then(|(_, v)| valid_id(&v))
            } else {
                let mut parts = p.split('/');
                match (parts.next(), parts.next()) {
                    (Some("shorts" | "embed" | "live"), Some(id)) => valid_id(id),
                    _ => None,
                }
            }
        }
        "facebook.com" | "fb.watch" => {
            let clean = url.split('#').next().unwrap_or(url);
            let ok = clean.len() <= 500
                && clean
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'<' | b'>' | b'\''));
            return ok.then(|| {
                (
                    VideoSource::Facebook,
                    clean.replacen("http://", "https://", 1),
                )
            });
        }
        _ => None,
    };
    id.map(|id| (VideoSource::YouTube, id))
}

/// The text of a WebVTT file, or why it is refused.
fn check_captions(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > CAPTIONS_BYTES {
        return Err("Tệp phụ đề quá lớn (tối đa 1 MB).".into());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "Tệp phụ đề phải là văn bản UTF-8 (WebVTT).".to_owned())?;
    if !text.trim_start_matches('\u{feff}').starts_with("WEBVTT") {
        return Err("Tệp phụ đề không phải WebVTT (dòng đầu phải là “WEBVTT”).".into());
    }
    Ok(())
}

/// Stores a checked WebVTT file as a file of the site.
async fn keep_captions(
    state: &AppState,
    site: &CurrentSite,
    by: domain::UserId,
    name: &str,
    bytes: Vec<u8>,
) -> Result<MediaId, AppError> {
    let media_dir = state.options.media_dir.clone();
    let sub = format!("tai-len/{}", uploads::folder_name(&site.site.key));
    let size = bytes.len();
    let stored = tokio::task::spawn_blocking(move || {
        let vtt = media::Sniffed {
            kind: media::Kind::Document,
            mime: "text/vtt",
            extension: "vtt",
        };
        media::store_file(&media_dir, &sub, &bytes, vtt)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let input = MediaInput {
        site_id: site.site.id,
        path: stored.main,
        thumb_path: None,
        mime: "text/vtt".into(),
        width: 0,
        height: 0,
        bytes: size as i64,
        kind: "captions".into(),
        original_name: name.to_owned(),
        sizes: Vec::new(),
        uploaded_by: Some(by),
    };
    Ok(state.store.create_media(&input, now()).await?)
}

fn values_of(v: &Video) -> VideoValues {
    VideoValues {
        title: v.draft.title.clone(),
        slug: v.draft.slug.clone(),
        held_on: shown_date(&v.draft.held_on),
        description: v.draft.description.clone(),
        url: match v.draft.source {
            VideoSource::Mp4 => String::new(),
            VideoSource::YouTube => format!("https://youtu.be/{}", v.draft.external),
            VideoSource::Facebook => v.draft.external.clone(),
        },
        poster_from: v.draft.poster.map(|m| m.0.to_string()).unwrap_or_default(),
        featured: v.draft.featured,
        published: v.draft.published,
    }
}

fn source_label(s: VideoSource) -> &'static str {
    match s {
        VideoSource::Mp4 => "Tệp MP4",
        VideoSource::YouTube => "YouTube",
        VideoSource::Facebook => "Facebook",
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the clip's page: who, which clip, what was typed, what to say"
)]
async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    clip: Option<&Video>,
    values: VideoValues,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (images, _) = state
        .store
        .media_library(site.site.id, Some("image"), 40, 0)
        .await?;
    let mut posters = vec![SelectOption::new(
        String::new(),
        "Không chọn (dùng ảnh tải lên)".into(),
        &values.poster_from,
    )];
    posters.extend(images.iter().map(|m| {
        let name = if m.original_name.is_empty() {
            format!("Ảnh #{}", m.media.id)
        } else {
            m.original_name.clone()
        };
        SelectOption::new(m.media.id.0.to_string(), name, &values.poster_from)
    }));
    let rows = if clip.is_none() {
        let (all, _) = state
            .store
            .videos(site.site.id, false, false, 200, 0)
            .await?;
        all.iter()
            .map(|v| VideoRow {
                title: v.draft.title.clone(),
                edit_url: format!("/quan-tri/video/{}", v.id),
                public_url: v.draft.published.then(|| v.path()),
                date: shown_date(&v.draft.held_on),
                source: source_label(v.draft.source),
                duration: duration(v.draft.duration_ms),
                featured: v.draft.featured,
            })
            .collect()
    } else {
        Vec::new()
    };
    let existing = clip.map(|v| ExistingClip {
        public_url: v.draft.published.then(|| v.path()),
        file: v.file_path.as_ref().map(|p| format!("/media/{p}")),
        facts: if v.draft.source == VideoSource::Mp4 {
            format!(
                "{} × {} px, {}",
                v.draft.width,
                v.draft.height,
                duration(v.draft.duration_ms)
            )
        } else {
            source_label(v.draft.source).to_owned()
        },
        poster: v.poster_image.as_ref().map(|m| m.thumb_url()),
        captions: v.captions_path.as_ref().map(|p| format!("/media/{p}")),
    });
    let heading = clip.map_or("Video clip".to_owned(), |v| {
        format!("Sửa video: {}", v.draft.title)
    });
    page(
        status,
        &VideoTemplate {
            chrome: AdminChrome::new(&heading, site, session),
            heading,
            action_url: clip.map_or("/quan-tri/video".to_owned(), |v| {
                format!("/quan-tri/video/{}", v.id)
            }),
            existing,
            values,
            posters,
            rows,
            errors,
            notice,
        },
    )
}

/// `GET /quan-tri/video`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<VideoEditor>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let values = VideoValues {
        held_on: vntext::format_date(now()),
        published: true,
        ..VideoValues::default()
    };
    let notice = q.contains_key("da-xoa").then(|| "Đã xoá video.".to_owned());
    render(
        &state,
        &site,
        &session,
        None,
        values,
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// `GET /quan-tri/video/{id}`
pub(crate) async fn edit(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<VideoEditor>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let clip = state
        .store
        .video(site.site.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = q.contains_key("da-luu").then(|| "Đã lưu video.".to_owned());
    render(
        &state,
        &site,
        &session,
        Some(&clip),
        values_of(&clip),
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/video`: a new clip.
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<VideoEditor>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let sent = read_form(&mut form).await;
    keep(&state, &site, &session, &ip, None, sent).await
}

/// `POST /quan-tri/video/{id}`: save, or delete (`action=xoa`).
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<VideoEditor>,
    Path(id): Path<i64>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let clip = state
        .store
        .video(site.site.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sent = read_form(&mut form).await;
    if sent.action == "xoa" {
        let audit = AuditNote {
            user: Some(session.user.id),
            action: "xoá video",
            ip: &ip,
        };
        state
            .store
            .delete_video(site.site.id, clip.id, audit, now())
            .await?;
        state.content_changed().await?;
        return Ok(see_other("/quan-tri/video?da-xoa=1"));
    }
    keep(&state, &site, &session, &ip, Some(&clip), sent).await
}

/// Checks the form, stores its files and writes the clip; the form comes back
/// with what was typed (422) when something is wrong.
async fn keep(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    ip: &str,
    clip: Option<&Video>,
    sent: Sent,
) -> Result<Response, AppError> {
    let mut errors: Vec<String> = sent.broken.iter().cloned().collect();
    let v = &sent.values;
    let title = vntext::clean_line(&v.title);
    if title.is_empty() {
        errors.push("Hãy nhập tên video.".into());
    }
    let held_on = vntext::parse_typed_date(&v.held_on);
    if held_on.is_none() {
        errors.push(format!(
            "Ngày “{}” không đúng; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2026.",
            v.held_on.trim()
        ));
    }
    // Where it plays from: a new MP4, else an address, else the MP4 it had.
    let mut info = None;
    let external = if sent.video.is_some() {
        None
    } else if !v.url.is_empty() {
        match parse_clip_url(&v.url) {
            Some(x) => Some(x),
            None => {
                errors.push(format!(
                    "Địa chỉ “{}” không phải video YouTube hoặc Facebook (ví dụ https://www.youtube.com/watch?v=… hoặc https://youtu.be/…).",
                    v.url
                ));
                None
            }
        }
    } else if clip.is_some_and(|c| c.draft.source == VideoSource::Mp4 && c.draft.file.is_some()) {
        None
    } else {
        errors.push("Hãy chọn tệp MP4 hoặc dán địa chỉ YouTube, Facebook.".into());
        None
    };
    if let Some((name, bytes)) = &sent.video {
        match media::video_info(bytes) {
            Ok(i) => info = Some(i),
            Err(e) => errors.push(format!("{name}: {e}")),
        }
    }
    let poster_from = match v.poster_from.as_str() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) => match state.store.image(site.site.id, MediaId(id)).await? {
                Some(m) => Some(m.id),
                None => {
                    errors.push("Ảnh bìa đã chọn không còn trong thư viện.".into());
                    None
                }
            },
            Err(_) => {
                errors.push("Ảnh bìa đã chọn không hợp lệ.".into());
                None
            }
        },
    };
    if let Some((name, bytes)) = &sent.captions
        && let Err(e) = check_captions(bytes)
    {
        errors.push(format!("{name}: {e}"));
    }
    if let Some((name, bytes)) = &sent.poster
        && media::sniff(bytes).map(|s| s.kind) != Ok(media::Kind::Image)
    {
        errors.push(format!(
            "{name}: ảnh bìa phải là ảnh JPEG, PNG, GIF hoặc WebP."
        ));
    }
    let had_files = sent.video.is_some() || sent.poster.is_some() || sent.captions.is_some();
    let refuse = |errors: Vec<String>, values: VideoValues| async move {
        let mut errors = errors;
        if had_files {
            errors.push("Các tệp đã chọn chưa được lưu: hãy chọn lại tệp khi gửi lần nữa.".into());
        }
        render(
            state,
            site,
            session,
            clip,
            values,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await
    };
    if !errors.is_empty() {
        return refuse(errors, sent.values).await;
    }
    let by = session.user.id;
    // The files, now that the form is right.
    let mut file = clip.and_then(|c| c.draft.file);
    if let Some((name, bytes)) = sent.video {
        match uploads::accept(state, site.site.id, &site.site.key, by, &name, bytes).await {
            Ok(up) => file = Some(up.id),
            Err(UploadError::Store(e)) => return Err(e.into()),
            Err(e) => return refuse(vec![format!("{name}: {e}")], sent.values).await,
        }
    }
    let mut poster = poster_from.or(clip.and_then(|c| c.draft.poster));
    if let Some((name, bytes)) = sent.poster {
        match uploads::accept(state, site.site.id, &site.site.key, by, &name, bytes).await {
            Ok(up) => poster = Some(up.id),
            Err(UploadError::Store(e)) => return Err(e.into()),
            Err(e) => return refuse(vec![format!("{name}: {e}")], sent.values).await,
        }
    }
    let mut captions = clip.and_then(|c| c.draft.captions);
    if let Some((name, bytes)) = sent.captions {
        captions = Some(keep_captions(state, site, by, &name, bytes).await?);
    }
    let (source, external, duration_ms, width, height) = match (external, info) {
        (Some((source, ext)), _) => (source, ext, 0, 0, 0),
        (None, Some(i)) => (
            VideoSource::Mp4,
            String::new(),
            i64::try_from(i.duration_ms).unwrap_or(i64::MAX),
            i64::from(i.width),
            i64::from(i.height),
        ),
        (None, None) => {
            let c = clip.map(|c| &c.draft);
            (
                VideoSource::Mp4,
                String::new(),
                c.map_or(0, |c| c.duration_ms),
                c.map_or(0, |c| c.width),
                c.map_or(0, |c| c.height),
            )
        }
    };
    let draft = VideoDraft {
        slug: v.slug.clone(),
        title,
        description: v.description.trim().to_owned(),
        held_on: held_on.unwrap_or_default(),
        source,
        file: if source == VideoSource::Mp4 {
            file
        } else {
            None
        },
        external,
        poster,
        captions,
        duration_ms,
        width,
        height,
        featured: v.featured,
        published: v.published,
    };
    let audit = AuditNote {
        user: Some(by),
        action: if clip.is_some() {
            "sửa video"
        } else {
            "thêm video"
        },
        ip,
    };
    match state
        .store
        .save_video(site.site.id, clip.map(|c| c.id), &draft, Some(audit), now())
        .await
    {
        Ok(id) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/video/{id}?da-luu=1")))
        }
        Err(store::Error::Conflict(_)) => {
            refuse(
                vec![format!(
                    "Đường dẫn “{}” đã có video khác dùng; hãy sửa đường dẫn hoặc tên video.",
                    draft.effective_slug()
                )],
                sent.values,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_addresses() {
        let yt = |u: &str| parse_clip_url(u).map(|(s, id)| (s.as_str(), id));
        let want = Some(("youtube", "dQw4w9WgXcQ".to_owned()));
        assert_eq!(yt("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42"), want);
        assert_eq!(yt("https://youtu.be/dQw4w9WgXcQ?si=abc"), want);
        assert_eq!(yt("https://m.youtube.com/shorts/dQw4w9WgXcQ"), want);
        assert_eq!(yt("https://www.youtube.com/watch?v=short"), None);
        assert_eq!(yt("https://example.com/watch?v=dQw4w9WgXcQ"), None);
        assert_eq!(
            yt("https://www.facebook.com/sogd/videos/123456789/"),
            Some((
                "facebook",
                "https://www.facebook.com/sogd/videos/123456789/".to_owned()
            ))
        );
        assert_eq!(yt("javascript:alert(1)"), None);
    }

    #[test]
    fn captions_must_be_webvtt() {
        assert!(check_captions(b"WEBVTT\n\n00:00.000 --> 00:02.000\nXin ch\xc3\xa0o").is_ok());
        assert!(check_captions("\u{feff}WEBVTT".as_bytes()).is_ok());
        assert!(check_captions(b"1\n00:00:00,000 --> 00:00:02,000\nSRT").is_err());
    }
}
