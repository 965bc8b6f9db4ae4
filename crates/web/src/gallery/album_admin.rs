//! `/quan-tri/thu-vien-anh`: albums in the back office. Who may do what is the
//! articles' workflow (`domain::next_status`): writers make albums and send them
//! for approval, editors publish, return and take down. Photos come in one file
//! per request from the page's script (with progress for each), or all at once
//! from the form without the script; either way the server prepares them
//! [`crate::gallery::UPLOADS_AT_ONCE`] at a time, and a photo the media checks
//! refuse is named with the reason while the others go in. The order changes by
//! dragging (the script sends the whole order) or with the "Lên" / "Xuống"
//! buttons, which are plain forms.

use crate::gallery::shown_date;
use crate::media::uploads::{self, FieldBytes, UploadError};
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{ClientIp, CsrfForm, CsrfMultipart, SiteRole, Writer, csrf_field};
use crate::platform::layout::{AdminChrome, Img, SelectOption};
use crate::platform::revisions::{RevisionDiff, RevisionsTemplate, Saved, field};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{ArticleAction, ArticleStatus, Content, MediaId, Role, next_status, offered_actions};
use serde::Deserialize;
use std::collections::HashMap;
use store::{Album, AlbumDraft, AlbumRevision, AlbumSave, AuditNote, PhotoChange, SessionInfo};

/// A line of the list of albums.
pub(crate) struct AlbumRow {
    pub title: String,
    pub edit_url: String,
    pub public_url: Option<String>,
    pub date: String,
    pub status: &'static str,
    pub count: i64,
}

/// The album form's fields as shown.
#[derive(Default)]
pub(crate) struct AlbumValues {
    pub title: String,
    pub slug: String,
    pub held_on: String,
    pub description: String,
    pub article: String,
    pub revision: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "gallery/admin_list.html")]
struct ListTemplate {
    chrome: AdminChrome,
    rows: Vec<AlbumRow>,
    values: AlbumValues,
    errors: Vec<String>,
    notice: Option<String>,
}

/// A photo in the editor.
pub(crate) struct PhotoRow {
    pub id: i64,
    pub n: i64,
    pub img: Img,
    pub caption: String,
    pub cover: bool,
    pub first: bool,
    pub last: bool,
}

/// A workflow button.
pub(crate) struct Button {
    pub value: &'static str,
    pub label: &'static str,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "gallery/admin_edit.html")]
struct EditTemplate {
    chrome: AdminChrome,
    id: i64,
    heading: String,
    status: &'static str,
    public_url: Option<String>,
    values: AlbumValues,
    articles: Vec<SelectOption>,
    photos: Vec<PhotoRow>,
    buttons: Vec<Button>,
    may_edit: bool,
    show_reason: bool,
    errors: Vec<String>,
    notice: Option<String>,
    uploaded: Vec<String>,
    refused: Vec<String>,
    script_url: String,
    /// The image limit, in bytes and as shown.
    max_bytes: u64,
    max_label: String,
}

/// The album form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AlbumForm {
    csrf: String,
    action: String,
    revision: String,
    title: String,
    slug: String,
    held_on: String,
    description: String,
    article: String,
    reason: String,
}

/// A photo's buttons and caption.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PhotoForm {
    csrf: String,
    /// "len", "xuong", "bia", "bo" or "chu-thich".
    action: String,
    caption: String,
}

/// The order the script sends after a drag: media ids, comma-separated.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct OrderForm {
    csrf: String,
    order: String,
}

/// The form to restore a revision.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RestoreForm {
    csrf: String,
    revision: String,
}
csrf_field!(AlbumForm, PhotoForm, OrderForm, RestoreForm);

impl AlbumForm {
    fn values(&self) -> AlbumValues {
        AlbumValues {
            title: vntext::nfc(&self.title),
            slug: vntext::nfc(&self.slug),
            held_on: vntext::nfc(&self.held_on),
            description: vntext::nfc(&self.description),
            article: self.article.trim().to_owned(),
            revision: self.revision.trim().to_owned(),
            reason: vntext::nfc(&self.reason),
        }
    }

    /// The draft, or what is wrong with the form.
    fn draft(&self) -> Result<AlbumDraft, Vec<String>> {
        let mut errors = Vec::new();
        let title = vntext::clean_line(&self.title);
        if title.is_empty() {
            errors.push("Hãy nhập tên album.".to_owned());
        } else if title.chars().count() > 300 {
            errors.push("Tên album dài quá 300 ký tự.".to_owned());
        }
        let held_on = vntext::parse_typed_date(&self.held_on);
        if held_on.is_none() {
            errors.push(format!(
                "Ngày “{}” không đúng; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2026.",
                self.held_on.trim()
            ));
        }
        let article = match self.article.trim() {
            "" => None,
            a => match a.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push("Bài viết liên kết không hợp lệ.".to_owned());
                    None
                }
            },
        };
        let draft = AlbumDraft {
            slug: self.slug.clone(),
            title,
            description: vntext::nfc(self.description.trim()),
            held_on: held_on.unwrap_or_default(),
            article_id: article,
        };
        if errors.is_empty() && draft.effective_slug().is_empty() {
            errors.push("Tên album phải có chữ hoặc số để làm đường dẫn.".to_owned());
        }
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }
}

fn values_of(a: &Album) -> AlbumValues {
    AlbumValues {
        title: a.title.clone(),
        slug: a.slug.clone(),
        held_on: shown_date(&a.held_on),
        description: a.description.clone(),
        article: a.article_id.map(|i| i.to_string()).unwrap_or_default(),
        revision: a.revision.to_string(),
        reason: String::new(),
    }
}

fn slug_taken(slug: &str) -> String {
    format!("Đường dẫn “{slug}” đã có album khác dùng; hãy sửa đường dẫn hoặc tên album.")
}

fn button(action: ArticleAction) -> Button {
    use ArticleAction as A;
    let (label, class) = match action {
        A::Save => ("Lưu", "button"),
        A::Submit => ("Gửi duyệt", "button button-primary"),
        A::Publish => ("Đăng album", "button button-primary"),
        A::Reject => ("Trả lại người tạo", "button"),
        A::Unpublish => ("Gỡ album khỏi trang", "button"),
        A::Delete => ("Xoá album", "button button-danger"),
    };
    Button {
        value: action.as_str(),
        label,
        class,
    }
}

/// Whether `role` (the author when `own`) may change the album now.
fn may_edit(album: &Album, role: Role, own: bool) -> bool {
    next_status(album.status, ArticleAction::Save, role, own, 0, 0, true).is_ok()
}

fn own(album: &Album, session: &SessionInfo) -> bool {
    album.author_id == Some(session.user.id)
}

async fn load(state: &AppState, site: &CurrentSite, id: i64) -> Result<Album, AppError> {
    state
        .store
        .album(site.site.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What the editor shows beside the album.
#[derive(Default)]
struct Extras {
    errors: Vec<String>,
    notice: Option<String>,
    uploaded: Vec<String>,
    refused: Vec<String>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "the editor's page: who, which album, what was typed, what to say"
)]
async fn render_edit(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    role: Role,
    album: &Album,
    values: AlbumValues,
    extras: Extras,
    status: StatusCode,
) -> Result<Response, AppError> {
    let own = own(album, session);
    let photos = state.store.album_photos(album.id).await?;
    let count = photos.len() as i64;
    let cover = album.chosen_cover;
    let rows = photos
        .iter()
        .map(|p| PhotoRow {
            id: p.media.id.0,
            n: p.position,
            img: Img::thumb(&p.media),
            caption: p.caption.clone(),
            cover: Some(p.media.id) == cover,
            first: p.position <= 1,
            last: p.position >= count,
        })
        .collect();
    let mut articles = vec![SelectOption::new(
        String::new(),
        "Không liên kết".to_owned(),
        &values.article,
    )];
    articles.extend(
        state
            .store
            .article_choices(site.site.id, 100)
            .await?
            .into_iter()
            .map(|(id, title)| SelectOption::new(id.to_string(), title, &values.article)),
    );
    let buttons: Vec<Button> = offered_actions(album.status, role, own)
        .into_iter()
        .map(button)
        .collect();
    let show_reason = buttons.iter().any(|b| b.value == "tra-lai");
    page(
        status,
        &EditTemplate {
            chrome: AdminChrome::new(&format!("Album: {}", album.title), site, session),
            id: album.id,
            heading: format!("Album: {}", album.title),
            status: album.status.label(),
            public_url: (album.status == ArticleStatus::Published).then(|| album.path()),
            values,
            articles,
            photos: rows,
            buttons,
            may_edit: may_edit(album, role, own),
            show_reason,
            errors: extras.errors,
            notice: extras.notice,
            uploaded: extras.uploaded,
            refused: extras.refused,
            script_url: crate::platform::assets::url("gallery.js"),
            max_bytes: state.options.media_limits.image_bytes,
            max_label: media::limit_text(state.options.media_limits.image_bytes),
        },
    )
}

async fn render_list(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    values: AlbumValues,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (albums, _) = state.store.albums(site.site.id, false, 500, 0).await?;
    let rows = albums
        .iter()
        .map(|a| AlbumRow {
            title: a.title.clone(),
            edit_url: format!("/quan-tri/thu-vien-anh/{}", a.id),
            public_url: (a.status == ArticleStatus::Published).then(|| a.path()),
            date: shown_date(&a.held_on),
            status: a.status.label(),
            count: a.photo_count,
        })
        .collect();
    page(
        status,
        &ListTemplate {
            chrome: AdminChrome::new("Thư viện ảnh", site, session),
            rows,
            values,
            errors,
            notice,
        },
    )
}

/// `GET /quan-tri/thu-vien-anh`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Writer>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let values = AlbumValues {
        held_on: vntext::format_date(now()),
        ..AlbumValues::default()
    };
    let notice = q.contains_key("da-xoa").then(|| "Đã xoá album.".to_owned());
    render_list(
        &state,
        &site,
        &session,
        values,
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/thu-vien-anh`: a new album, as a draft of its author.
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Writer>,
    CsrfForm(form): CsrfForm<AlbumForm>,
) -> Result<Response, AppError> {
    let refuse = |errors: Vec<String>| {
        render_list(
            &state,
            &site,
            &session,
            form.values(),
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let draft = match form.draft() {
        Ok(d) => d,
        Err(errors) => return refuse(errors).await,
    };
    let audit = AuditNote {
        user: Some(session.user.id),
        action: "tạo album ảnh",
        ip: &ip,
    };
    match state
        .store
        .create_album(
            site.site.id,
            &draft,
            ArticleStatus::Draft,
            Some(session.user.id),
            Some(audit),
            now(),
        )
        .await
    {
        Ok(id) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/thu-vien-anh/{id}?da-tao=1")))
        }
        Err(store::Error::Conflict(_)) => refuse(vec![slug_taken(&draft.effective_slug())]).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /quan-tri/thu-vien-anh/{id}`
pub(crate) async fn edit(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let album = load(&state, &site, id).await?;
    let notice = if q.contains_key("da-tao") {
        Some("Đã tạo album. Hãy thêm ảnh bên dưới.".to_owned())
    } else if q.contains_key("da-luu") {
        Some(format!("Đã lưu. Trạng thái: {}.", album.status.label()))
    } else if let Some(n) = q.get("da-tai").and_then(|n| n.parse::<u32>().ok()) {
        Some(format!("Đã thêm {n} ảnh."))
    } else if q.contains_key("da-doi") {
        Some("Đã lưu thay đổi ảnh.".to_owned())
    } else {
        None
    };
    let extras = Extras {
        notice,
        ..Extras::default()
    };
    render_edit(
        &state,
        &site,
        &session,
        role,
        &album,
        values_of(&album),
        extras,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/thu-vien-anh/{id}`: save with a workflow action, or delete.
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AlbumForm>,
) -> Result<Response, AppError> {
    let album = load(&state, &site, id).await?;
    let now = now();
    let own = own(&album, &session);
    let refuse = |errors: Vec<String>, values: AlbumValues| {
        render_edit(
            &state,
            &site,
            &session,
            role,
            &album,
            values,
            Extras {
                errors,
                ..Extras::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(action) = ArticleAction::parse(&form.action) else {
        return refuse(
            vec!["Hãy chọn một việc (Lưu, Gửi duyệt, Đăng…).".into()],
            form.values(),
        )
        .await;
    };
    let reason = vntext::clean_line(&form.reason);
    let next = match next_status(album.status, action, role, own, 0, now, !reason.is_empty()) {
        Ok(s) => s,
        Err(e) => return refuse(vec![e.message(Content::Album)], form.values()).await,
    };
    if action == ArticleAction::Delete {
        let audit = AuditNote {
            user: Some(session.user.id),
            action: "xoá album ảnh",
            ip: &ip,
        };
        state
            .store
            .delete_album(site.site.id, album.id, audit, now)
            .await?;
        state.content_changed().await?;
        return Ok(see_other("/quan-tri/thu-vien-anh?da-xoa=1"));
    }
    let draft = match form.draft() {
        Ok(d) => d,
        Err(errors) => return refuse(errors, form.values()).await,
    };
    let Ok(base_revision) = form.revision.trim().parse::<i64>() else {
        return refuse(
            vec!["Biểu mẫu thiếu số phiên bản; hãy tải lại trang.".into()],
            form.values(),
        )
        .await;
    };
    let note = match action {
        ArticleAction::Save => "sửa album ảnh".to_owned(),
        ArticleAction::Submit => "gửi duyệt album ảnh".to_owned(),
        ArticleAction::Publish => "đăng album ảnh".to_owned(),
        ArticleAction::Reject => format!("trả lại album ảnh: {reason}"),
        ArticleAction::Unpublish => "gỡ album ảnh".to_owned(),
        ArticleAction::Delete => "xoá album ảnh".to_owned(),
    };
    let save = AlbumSave {
        site: site.site.id,
        id: album.id,
        base_revision,
        draft: &draft,
        status: next,
        by: session.user.id,
        note: &note,
        ip: &ip,
    };
    match state.store.save_album(&save, now).await {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!(
                "/quan-tri/thu-vien-anh/{}?da-luu=1",
                album.id
            )))
        }
        Err(store::Error::Stale) => {
            let mut values = form.values();
            values.revision = album.revision.to_string();
            refuse(
                vec![format!(
                    "Album này đã được lưu lúc {}, sau khi bạn mở. Thay đổi của bạn CHƯA được lưu và vẫn còn nguyên trong biểu mẫu dưới đây; bấm lưu lần nữa sẽ thay bản mới bằng bản của bạn.",
                    vntext::format_datetime(album.updated_at)
                )],
                values,
            )
            .await
        }
        Err(store::Error::Conflict(_)) => {
            refuse(vec![slug_taken(&draft.effective_slug())], form.values()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the request came from the page's script (which wants JSON).
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    let mut res = (status, axum::Json(value)).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// Refuses a change to an album its author may no longer touch.
fn check_may_edit(album: &Album, session: &SessionInfo, role: Role) -> Result<(), AppError> {
    if may_edit(album, role, own(album, session)) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Album đã gửi duyệt hoặc đã đăng, hoặc không phải của bạn; chỉ biên tập viên mới sửa được.",
        ))
    }
}

/// Why the rest of an upload form was not read: the whole form over
/// [`crate::gallery::form_limit`], or the connection cut.
fn cut_short(state: &AppState, e: &axum::extract::multipart::MultipartError) -> String {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "Lần gửi này quá lớn: cả biểu mẫu vượt quá {}, nên các ảnh từ đây trở đi chưa được nhận. Hãy chọn ít ảnh hơn (tối đa {} ảnh mỗi lần) rồi gửi các ảnh còn lại.",
            media::limit_text(crate::gallery::form_limit(&state.options.media_limits)),
            crate::gallery::PHOTOS_A_FORM
        )
    } else {
        "Việc gửi ảnh bị gián đoạn nên các ảnh từ đây trở đi chưa được nhận; hãy kiểm tra kết nối rồi gửi lại các ảnh còn lại.".to_owned()
    }
}

/// `POST /quan-tri/thu-vien-anh/{id}/anh`: photos (field `tep`, one or many).
/// Each is checked and prepared by the media library's upload path, at most
/// [`crate::gallery::UPLOADS_AT_ONCE`] at a time across the server; a refused
/// photo is named with its reason and the others still go in.
pub(crate) async fn upload(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let album = load(&state, &site, id).await?;
    check_may_edit(&album, &session, role)?;
    let limit = state.options.media_limits.image_bytes;
    let mut done: Vec<(String, i64)> = Vec::new();
    let mut refused: Vec<(String, String)> = Vec::new();
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                refused.push((String::new(), cut_short(&state, &e)));
                break;
            }
        };
        if field.name() != Some("tep") {
            continue;
        }
        let name = vntext::clean_line(field.file_name().unwrap_or("ảnh"));
        let bytes = match uploads::read_field(&mut field, limit).await {
            Ok(FieldBytes::Whole(b)) => b,
            Ok(FieldBytes::TooLarge(size)) => {
                let too_large = media::Refused::TooLarge { size, limit };
                refused.push((
                    name,
                    format!("{too_large} Hãy thu nhỏ ảnh rồi tải lên lại."),
                ));
                continue;
            }
            Err(e) => {
                refused.push((name, cut_short(&state, &e)));
                break;
            }
        };
        if bytes.is_empty() && name.is_empty() {
            continue;
        }
        if media::sniff(&bytes).map(|s| s.kind) != Ok(media::Kind::Image) {
            let reason = match media::sniff(&bytes) {
                Err(e) => e.to_string(),
                Ok(_) => "Tệp này không phải là ảnh (JPEG, PNG, GIF, WebP).".to_owned(),
            };
            refused.push((name, reason));
            continue;
        }
        let accepted = {
            let _permit = state
                .gallery()
                .uploads
                .acquire()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            uploads::accept(
                &state,
                site.site.id,
                &site.site.key,
                session.user.id,
                &name,
                bytes,
            )
            .await
        };
        match accepted {
            Ok(up) => {
                let audit = AuditNote {
                    user: Some(session.user.id),
                    action: "thêm ảnh vào album",
                    ip: &ip,
                };
                state
                    .store
                    .change_album_photos(
                        site.site.id,
                        album.id,
                        PhotoChange::Add(up.id, ""),
                        Some(audit),
                        now(),
                    )
                    .await?;
                done.push((name, up.id.0));
            }
            Err(UploadError::Store(e)) => return Err(e.into()),
            Err(e) => refused.push((name, e.to_string())),
        }
    }
    if !done.is_empty() {
        state.content_changed().await?;
    }
    if done.is_empty() && refused.is_empty() {
        refused.push((String::new(), "Chưa chọn ảnh nào để tải lên.".into()));
    }
    let status = if done.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    if wants_json(&headers) {
        return Ok(json(
            status,
            serde_json::json!({
                "done": done.iter().map(|(n, id)| serde_json::json!({"name": n, "id": id})).collect::<Vec<_>>(),
                "refused": refused.iter().map(|(n, r)| serde_json::json!({"name": n, "reason": r})).collect::<Vec<_>>(),
            }),
        ));
    }
    let extras = Extras {
        notice: (!done.is_empty()).then(|| format!("Đã thêm {} ảnh.", done.len())),
        uploaded: done.into_iter().map(|(n, _)| n).collect(),
        refused: refused
            .into_iter()
            .map(|(n, r)| if n.is_empty() { r } else { format!("{n}: {r}") })
            .collect(),
        ..Extras::default()
    };
    render_edit(
        &state,
        &site,
        &session,
        role,
        &album,
        values_of(&album),
        extras,
        status,
    )
    .await
}

/// `POST /quan-tri/thu-vien-anh/{id}/anh/{media}`: up, down, cover, caption, remove.
pub(crate) async fn photo(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path((id, media)): Path<(i64, i64)>,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PhotoForm>,
) -> Result<Response, AppError> {
    let album = load(&state, &site, id).await?;
    check_may_edit(&album, &session, role)?;
    let m = MediaId(media);
    let caption = vntext::clean_line(&form.caption);
    let (change, action) = match form.action.as_str() {
        "len" => (PhotoChange::Move(m, true), "sắp xếp ảnh album"),
        "xuong" => (PhotoChange::Move(m, false), "sắp xếp ảnh album"),
        "bia" => (PhotoChange::Cover(m), "chọn ảnh bìa album"),
        "bo" => (PhotoChange::Remove(m), "bỏ ảnh khỏi album"),
        "chu-thich" => (PhotoChange::Caption(m, &caption), "sửa chú thích ảnh"),
        _ => return Err(AppError::NotFound),
    };
    let audit = AuditNote {
        user: Some(session.user.id),
        action,
        ip: &ip,
    };
    match state
        .store
        .change_album_photos(site.site.id, album.id, change, Some(audit), now())
        .await
    {
        Ok(()) => {}
        Err(store::Error::NotFound(_)) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    state.content_changed().await?;
    if wants_json(&headers) {
        return Ok(json(StatusCode::OK, serde_json::json!({"ok": true})));
    }
    // Back to the photo, so that keyboard users keep their place.
    Ok(see_other(&format!(
        "/quan-tri/thu-vien-anh/{}?da-doi=1#anh-{media}",
        album.id
    )))
}

/// `POST /quan-tri/thu-vien-anh/{id}/thu-tu`: the whole order after a drag.
pub(crate) async fn order(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<OrderForm>,
) -> Result<Response, AppError> {
    let album = load(&state, &site, id).await?;
    check_may_edit(&album, &session, role)?;
    let Ok(ids) = form
        .order
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>().map(MediaId))
        .collect::<Result<Vec<_>, _>>()
    else {
        return Err(AppError::Unprocessable(
            "Thứ tự ảnh gửi lên không hợp lệ; hãy tải lại trang.".into(),
        ));
    };
    let audit = AuditNote {
        user: Some(session.user.id),
        action: "sắp xếp ảnh album",
        ip: &ip,
    };
    match state
        .store
        .change_album_photos(
            site.site.id,
            album.id,
            PhotoChange::Order(&ids),
            Some(audit),
            now(),
        )
        .await
    {
        Ok(()) => {}
        Err(store::Error::Conflict(_)) => {
            return Err(AppError::Unprocessable(
                "Danh sách ảnh đã thay đổi (có người vừa thêm hoặc bỏ ảnh); hãy tải lại trang rồi sắp xếp lại.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    state.content_changed().await?;
    if wants_json(&headers) {
        return Ok(json(StatusCode::OK, serde_json::json!({"ok": true})));
    }
    Ok(see_other(&format!(
        "/quan-tri/thu-vien-anh/{}?da-doi=1",
        album.id
    )))
}

impl Saved for AlbumRevision {
    fn saved(&self) -> (i64, i64, &str, &str) {
        (self.number, self.saved_at, &self.saved_by, &self.note)
    }
}

fn status_label(s: &str) -> String {
    ArticleStatus::parse(s)
        .map(|s| s.label().to_owned())
        .unwrap_or_default()
}

fn revision_diff(before: Option<&AlbumRevision>, this: &AlbumRevision) -> RevisionDiff {
    let old = |f: fn(&AlbumRevision) -> String| before.map(f).unwrap_or_default();
    RevisionDiff {
        number: this.number,
        before: before.map(|r| r.number),
        fields: vec![
            field("Tên album", &old(|r| r.title.clone()), &this.title),
            field("Đường dẫn", &old(|r| r.slug.clone()), &this.slug),
            field(
                "Ngày",
                &old(|r| shown_date(&r.held_on)),
                &shown_date(&this.held_on),
            ),
            field("Mô tả", &old(|r| r.description.clone()), &this.description),
            field(
                "Trạng thái",
                &old(|r| status_label(&r.status)),
                &status_label(&this.status),
            ),
        ],
    }
}

/// `GET /quan-tri/thu-vien-anh/{id}/phien-ban[?xem=N]`
pub(crate) async fn revisions(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let album = load(&state, &site, id).await?;
    let all = state
        .store
        .album_revisions(site.site.id, album.id, None)
        .await?;
    let shown = crate::platform::revisions::shown(&all, q.get("xem"));
    let edit_url = format!("/quan-tri/thu-vien-anh/{}", album.id);
    page(
        StatusCode::OK,
        &RevisionsTemplate {
            chrome: AdminChrome::new("Lịch sử phiên bản", &site, &session),
            title: album.title.clone(),
            back_label: "Quay lại sửa album",
            current: album.revision,
            revision: album.revision.to_string(),
            shown: shown.map_or(0, |(_, this)| this.number),
            may_restore: may_edit(&album, role, own(&album, &session)),
            rows: crate::platform::revisions::rows(&all, &edit_url),
            diff: shown.map(|(before, this)| revision_diff(before, this)),
            edit_url,
        },
    )
}

/// `POST /quan-tri/thu-vien-anh/{id}/phien-ban/{n}/khoi-phuc`: revision `n`'s
/// text becomes the album's again, as a new revision (the status stays).
pub(crate) async fn restore(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path((id, number)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<Response, AppError> {
    let album = load(&state, &site, id).await?;
    check_may_edit(&album, &session, role)?;
    let Some(old) = state
        .store
        .album_revisions(site.site.id, album.id, Some(number))
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::NotFound);
    };
    let draft = AlbumDraft {
        slug: old.slug,
        title: old.title,
        description: old.description,
        held_on: old.held_on,
        article_id: album.article_id,
    };
    let note = format!("khôi phục phiên bản {number}");
    let save = AlbumSave {
        site: site.site.id,
        id: album.id,
        base_revision: form.revision.trim().parse().unwrap_or(album.revision),
        draft: &draft,
        status: album.status,
        by: session.user.id,
        note: &note,
        ip: &ip,
    };
    match state.store.save_album(&save, now()).await {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!(
                "/quan-tri/thu-vien-anh/{}?da-luu=1",
                album.id
            )))
        }
        Err(store::Error::Stale) => Ok(see_other(&format!(
            "/quan-tri/thu-vien-anh/{}/phien-ban?xem={number}",
            album.id
        ))),
        Err(store::Error::Conflict(_)) => Err(AppError::forbidden(slug_taken(&draft.slug))),
        Err(e) => Err(e.into()),
    }
}
