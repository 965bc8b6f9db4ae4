//! `/quan-tri/thong-bao`: a site's notices for its editors. A notice has a
//! title, a body (the shared rich-text editor), a start and an expiry, a pin, and
//! files: uploaded with the form (office files checked as the documents' are, kept
//! in the media library) or picked from the library; the department's site may address one to the
//! schools (all, one kind, or those under a unit).

use crate::media::uploads::read_with_attachments;
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{ClientIp, CsrfForm, CsrfMultipart, Need, SiteRole, csrf_field};
use crate::platform::layout::{AdminChrome, SelectOption};
use crate::platform::revisions::{RevisionDiff, RevisionsTemplate, Saved, body_text, field};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Audience, MediaId, Notice, NoticeDraft, Role, SafeHtml, UnitKind};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, NoticeRevision, SessionInfo};

/// Editors (who publish) and administrators write notices.
pub(crate) struct NoticeEditor;
impl Need for NoticeEditor {
    const ROLE: Role = Role::Editor;
    const REFUSAL: &'static str =
        "Chỉ biên tập viên và quản trị viên của trang này mới đăng được thông báo.";
}

/// What refusals of a file call a notice.
const WHAT: &str = "thông báo";

/// Files of the library offered for attaching, newest first.
const FILES_OFFERED: i64 = 60;

struct Row {
    title: String,
    edit_url: String,
    state: String,
    starts: String,
    expires: String,
    pinned: bool,
    audience: String,
}

#[derive(Template)]
#[template(path = "notices/admin_list.html")]
struct ListTemplate {
    chrome: AdminChrome,
    rows: Vec<Row>,
    notice: Option<String>,
}

/// The form's fields as shown.
#[derive(Default)]
pub(crate) struct Values {
    title: String,
    body: String,
    starts: String,
    expires: String,
    pinned: bool,
    published: bool,
    audience: String,
    files: Vec<i64>,
    revision: String,
}

struct FileChoice {
    id: i64,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "notices/admin_edit.html")]
struct EditTemplate {
    chrome: AdminChrome,
    heading: String,
    action_url: String,
    values: Values,
    audiences: Vec<SelectOption>,
    files: Vec<FileChoice>,
    public_url: Option<String>,
    existing: bool,
    errors: Vec<String>,
}

fn audience_label(a: Audience, units: &[domain::Unit]) -> String {
    match a {
        Audience::Site => "Trang này".to_owned(),
        Audience::AllSchools => "Tất cả các trường".to_owned(),
        Audience::Kind(k) => format!("Các {}", k.label().to_lowercase()),
        Audience::Under(u) => units
            .iter()
            .find(|x| x.id == u)
            .map(|x| format!("Các trường thuộc {}", x.name))
            .unwrap_or_else(|| "Các trường thuộc một đơn vị đã xoá".to_owned()),
    }
}

/// Whether the site may address notices to the schools: the department's site.
async fn may_address(state: &AppState, site: &CurrentSite) -> Result<bool, AppError> {
    Ok(state
        .store
        .unit_of_site(site.site.id)
        .await?
        .is_some_and(|u| u.kind == UnitKind::Department))
}

/// `GET /quan-tri/thong-bao`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<NoticeEditor>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = now();
    let units = state.store.units().await?;
    let rows = state
        .store
        .notices_of_site(site.site.id)
        .await?
        .iter()
        .map(|n| Row {
            title: n.title.clone(),
            edit_url: format!("/quan-tri/thong-bao/{}", n.id),
            state: if !n.published {
                "Bản nháp".to_owned()
            } else if n.is_expired(now) {
                "Đã hết hạn".to_owned()
            } else if n.starts_at > now {
                "Chưa đến ngày hiện".to_owned()
            } else {
                "Đang hiện".to_owned()
            },
            starts: vntext::format_datetime(n.starts_at),
            expires: n
                .expires_at
                .map(vntext::format_datetime)
                .unwrap_or_else(|| "Không hết hạn".to_owned()),
            pinned: n.pinned,
            audience: audience_label(n.audience, &units),
        })
        .collect();
    let notice = match q.get("da").map(String::as_str) {
        Some("luu") => Some("Đã lưu thông báo.".to_owned()),
        Some("xoa") => Some("Đã xoá thông báo.".to_owned()),
        _ => None,
    };
    page(
        StatusCode::OK,
        &ListTemplate {
            chrome: AdminChrome::new("Thông báo", &site, &session),
            rows,
            notice,
        },
    )
}

fn values_of(n: &Notice) -> Values {
    Values {
        title: n.title.clone(),
        body: n.body.as_str().to_owned(),
        starts: vntext::format_datetime(n.starts_at),
        expires: n
            .expires_at
            .map(vntext::format_datetime)
            .unwrap_or_default(),
        pinned: n.pinned,
        published: n.published,
        audience: n.audience.as_stored(),
        files: Vec::new(),
        revision: n.revision.to_string(),
    }
}

/// The form as posted (its files are repeated `tep` fields).
fn values_from(pairs: &[(String, String)]) -> Values {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| vntext::nfc(v))
            .unwrap_or_default()
    };
    let mut files: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "tep")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    files.dedup();
    Values {
        title: get("title"),
        body: get("body"),
        starts: get("starts"),
        expires: get("expires"),
        pinned: !get("pinned").is_empty(),
        published: !get("published").is_empty(),
        audience: get("audience"),
        files,
        revision: get("revision"),
    }
}

/// The draft the values make, or what is wrong with them (with the files
/// `refused` as the form was read).
fn draft_of(
    v: &Values,
    may_address: bool,
    now: i64,
    refused: Vec<String>,
) -> Result<NoticeDraft, Vec<String>> {
    let mut errors = Vec::new();
    let starts = if v.starts.trim().is_empty() {
        Some(now)
    } else {
        vntext::parse_local_datetime_any(&v.starts)
    };
    if starts.is_none() {
        errors.push(format!(
            "Ngày bắt đầu “{}” không đọc được; hãy nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 15/06/2026 07:30.",
            v.starts.trim()
        ));
    }
    let expires = if v.expires.trim().is_empty() {
        Some(None)
    } else {
        vntext::parse_local_datetime_any(&v.expires).map(Some)
    };
    if expires.is_none() {
        errors.push(format!(
            "Ngày hết hạn “{}” không đọc được; hãy nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 30/06/2026 17:00.",
            v.expires.trim()
        ));
    }
    let audience = Audience::parse(&v.audience);
    match audience {
        None => errors.push("Hãy chọn nơi nhận thông báo trong danh sách.".to_owned()),
        Some(a) if a != Audience::Site && !may_address => {
            errors.push("Chỉ trang của Sở GD&ĐT mới gửi được thông báo đến các trường.".to_owned())
        }
        _ => {}
    }
    let draft = NoticeDraft {
        title: vntext::clean_line(&v.title),
        body: SafeHtml::sanitize(&v.body),
        starts_at: starts.unwrap_or(now),
        expires_at: expires.flatten(),
        pinned: v.pinned,
        published: v.published,
        audience: audience.unwrap_or(Audience::Site),
    };
    if errors.is_empty() {
        errors = draft.problems();
    }
    let errors: Vec<String> = refused.into_iter().chain(errors).collect();
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(errors)
    }
}

struct Screen {
    heading: String,
    action_url: String,
    public_url: Option<String>,
    existing: bool,
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    values: Values,
    screen: Screen,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let units = state.store.units().await?;
    let mut choices = vec![Audience::Site];
    if may_address(state, site).await? {
        choices.push(Audience::AllSchools);
        choices.extend(
            UnitKind::ALL
                .into_iter()
                .filter(|k| k.is_school())
                .map(Audience::Kind),
        );
        choices.extend(
            units
                .iter()
                .filter(|u| !u.kind.is_school())
                .map(|u| Audience::Under(u.id)),
        );
    }
    let audiences = choices
        .into_iter()
        .map(|a| SelectOption::new(a.as_stored(), audience_label(a, &units), &values.audience))
        .collect();
    let (library, _) = state
        .store
        .media_library(site.site.id, None, FILES_OFFERED, 0)
        .await?;
    let files = library
        .iter()
        .filter(|m| m.kind != "image")
        .map(|m| FileChoice {
            id: m.media.id.0,
            name: if m.original_name.is_empty() {
                m.media.path.clone()
            } else {
                m.original_name.clone()
            },
            checked: values.files.contains(&m.media.id.0),
        })
        .collect();
    page(
        status,
        &EditTemplate {
            chrome: AdminChrome::new(&screen.heading, site, session).with_editor(),
            heading: screen.heading,
            action_url: screen.action_url,
            public_url: screen.public_url,
            existing: screen.existing,
            values,
            audiences,
            files,
            errors,
        },
    )
}

fn new_screen() -> Screen {
    Screen {
        heading: "Thông báo mới".to_owned(),
        action_url: "/quan-tri/thong-bao/moi".to_owned(),
        public_url: None,
        existing: false,
    }
}

fn edit_screen(n: &Notice) -> Screen {
    Screen {
        heading: format!("Sửa thông báo: {}", n.title),
        action_url: format!("/quan-tri/thong-bao/{}", n.id),
        public_url: n.published.then(|| n.path()),
        existing: true,
    }
}

/// `GET /quan-tri/thong-bao/moi`
pub(crate) async fn new_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<NoticeEditor>,
) -> Result<Response, AppError> {
    let values = Values {
        starts: vntext::format_datetime(now()),
        published: true,
        audience: "site".to_owned(),
        ..Values::default()
    };
    render(
        &state,
        &site,
        &session,
        values,
        new_screen(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

fn media_ids(v: &Values) -> Vec<MediaId> {
    v.files.iter().map(|i| MediaId(*i)).collect()
}

/// `POST /quan-tri/thong-bao/moi`
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<NoticeEditor>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let now = now();
    let posted = read_with_attachments(&state, &site, session.user.id, &mut form, WHAT).await?;
    let values = values_from(&posted.pairs);
    let may = may_address(&state, &site).await?;
    let draft = match draft_of(&values, may, now, posted.refused) {
        Ok(d) => d,
        Err(errors) => {
            return render(
                &state,
                &site,
                &session,
                values,
                new_screen(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    state
        .store
        .create_notice(
            site.site.id,
            &draft,
            &media_ids(&values),
            AuditNote {
                user: Some(session.user.id),
                action: "đăng thông báo",
                ip: &ip,
            },
            now,
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other("/quan-tri/thong-bao?da=luu"))
}

async fn load(state: &AppState, site: &CurrentSite, id: i64) -> Result<Notice, AppError> {
    state
        .store
        .notice(site.site.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /quan-tri/thong-bao/{id}`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<NoticeEditor>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let n = load(&state, &site, id).await?;
    let mut values = values_of(&n);
    values.files = state
        .store
        .notice_files(n.id)
        .await?
        .iter()
        .map(|f| f.id.0)
        .collect();
    render(
        &state,
        &site,
        &session,
        values,
        edit_screen(&n),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/thong-bao/{id}`: saves (`action=luu`) or deletes (`xoa`).
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<NoticeEditor>,
    Path(id): Path<i64>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let now = now();
    let n = load(&state, &site, id).await?;
    let posted = read_with_attachments(&state, &site, session.user.id, &mut form, WHAT).await?;
    let pairs = posted.pairs;
    let note = |action| AuditNote {
        user: Some(session.user.id),
        action,
        ip: &ip,
    };
    if pairs.iter().any(|(k, v)| k == "action" && v == "xoa") {
        state
            .store
            .delete_notice(site.site.id, id, note("xoá thông báo"), now)
            .await?;
        state.content_changed().await?;
        return Ok(see_other("/quan-tri/thong-bao?da=xoa"));
    }
    let values = values_from(&pairs);
    let may = may_address(&state, &site).await?;
    let draft = match draft_of(&values, may, now, posted.refused) {
        Ok(d) => d,
        Err(errors) => {
            return render(
                &state,
                &site,
                &session,
                values,
                edit_screen(&n),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let revision = values.revision.trim().parse().unwrap_or(n.revision);
    match state
        .store
        .save_notice(
            site.site.id,
            id,
            revision,
            &draft,
            &media_ids(&values),
            note("sửa thông báo"),
            now,
        )
        .await
    {
        Ok(()) => {}
        Err(store::Error::Stale) => {
            return render(
                &state,
                &site,
                &session,
                values,
                edit_screen(&n),
                vec![
                    "Người khác vừa lưu thông báo này. Hãy mở lại trang để xem bản mới rồi sửa tiếp."
                        .to_owned(),
                ],
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    state.content_changed().await?;
    Ok(see_other("/quan-tri/thong-bao?da=luu"))
}

impl Saved for NoticeRevision {
    fn saved(&self) -> (i64, i64, &str, &str) {
        (self.number, self.saved_at, &self.saved_by, &self.note)
    }
}

fn shown_dates(r: &NoticeRevision) -> String {
    format!(
        "Bắt đầu {}; hết hạn {}",
        vntext::format_datetime(r.starts_at),
        r.expires_at
            .map(vntext::format_datetime)
            .unwrap_or_else(|| "không".to_owned())
    )
}

fn revision_diff(before: Option<&NoticeRevision>, this: &NoticeRevision) -> RevisionDiff {
    let old = |f: fn(&NoticeRevision) -> String| before.map(f).unwrap_or_default();
    RevisionDiff {
        number: this.number,
        before: before.map(|r| r.number),
        fields: vec![
            field("Tiêu đề", &old(|r| r.title.clone()), &this.title),
            field("Thời gian hiển thị", &old(shown_dates), &shown_dates(this)),
            field(
                "Nội dung",
                &old(|r| body_text(r.body.as_str())),
                &body_text(this.body.as_str()),
            ),
        ],
    }
}

/// `GET /quan-tri/thong-bao/{id}/phien-ban[?xem=N]`
pub(crate) async fn revisions(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<NoticeEditor>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let n = load(&state, &site, id).await?;
    let all = state
        .store
        .notice_revisions(site.site.id, n.id, None)
        .await?;
    let shown = crate::platform::revisions::shown(&all, q.get("xem"));
    let edit_url = format!("/quan-tri/thong-bao/{}", n.id);
    page(
        StatusCode::OK,
        &RevisionsTemplate {
            chrome: AdminChrome::new("Lịch sử phiên bản", &site, &session),
            title: n.title.clone(),
            back_label: "Quay lại sửa thông báo",
            current: n.revision,
            revision: n.revision.to_string(),
            shown: shown.map_or(0, |(_, this)| this.number),
            may_restore: true,
            rows: crate::platform::revisions::rows(&all, &edit_url),
            diff: shown.map(|(before, this)| revision_diff(before, this)),
            edit_url,
        },
    )
}

/// The form to restore a revision.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RestoreForm {
    csrf: String,
    revision: String,
}
csrf_field!(RestoreForm);

/// `POST /quan-tri/thong-bao/{id}/phien-ban/{n}/khoi-phuc`: revision `n`'s title,
/// text and dates become the notice's again, as a new revision (where it is sent,
/// its pin and its files stay as they are now).
pub(crate) async fn restore(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<NoticeEditor>,
    Path((id, number)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<Response, AppError> {
    let n = load(&state, &site, id).await?;
    let Some(old) = state
        .store
        .notice_revisions(site.site.id, n.id, Some(number))
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::NotFound);
    };
    let draft = NoticeDraft {
        title: old.title,
        body: old.body,
        starts_at: old.starts_at,
        expires_at: old.expires_at,
        pinned: n.pinned,
        published: n.published,
        audience: n.audience,
    };
    let files: Vec<MediaId> = state
        .store
        .notice_files(n.id)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    let action = format!("khôi phục phiên bản {number}");
    let note = AuditNote {
        user: Some(session.user.id),
        action: &action,
        ip: &ip,
    };
    let base = form.revision.trim().parse().unwrap_or(n.revision);
    match state
        .store
        .save_notice(site.site.id, n.id, base, &draft, &files, note, now())
        .await
    {
        Ok(()) => {
            state.content_changed().await?;
            Ok(see_other("/quan-tri/thong-bao?da=luu"))
        }
        // Someone saved it since the history was opened: show it again.
        Err(store::Error::Stale) => Ok(see_other(&format!(
            "/quan-tri/thong-bao/{}/phien-ban?xem={number}",
            n.id
        ))),
        Err(e) => Err(e.into()),
    }
}
