//! `/quan-tri/du-thao`: drafts for comment, for a site's editors: the draft
//! (title, number, summary, text with its articles, files, the period), the
//! comments to moderate (publish, hide, answer), and after the period the export
//! of every comment to XLSX and the summary report attached to the draft. The
//! draft's files and the report's are uploaded with their forms (office files
//! checked as the documents' are, kept in the media library) or picked from it.

use crate::articles::views::Button;
use crate::media::uploads::{PostedForm, read_with_attachments};
use crate::notices::admin::NoticeEditor as DraftEditor;
use crate::platform::back_office::{download, page, see_other};
use crate::platform::extract::{ClientIp, CsrfForm, CsrfMultipart, Need, SiteRole, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::revisions::{
    RevisionDiff, RevisionsTemplate, Saved, body_text, field as diff_field,
};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{
    ArticleAction, ArticleStatus, CommentStatus, Content, Draft, DraftComment, DraftInput, MediaId,
    Period, Role, SafeHtml, next_status, offered_actions,
};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, DraftRevision, Moderation, SessionInfo};

/// Writers write drafts and send them to an editor, who publishes them (the
/// articles' workflow); moderation, the export and the report are editors'.
pub(crate) struct DraftWriter;
impl Need for DraftWriter {
    const ROLE: Role = Role::Writer;
    const REFUSAL: &'static str =
        "Chỉ người viết, biên tập viên và quản trị viên của trang này mới soạn được dự thảo.";
}

/// What refusals of a file call a draft.
const WHAT: &str = "dự thảo";

/// Files of the library offered for attaching, newest first.
const FILES_OFFERED: i64 = 60;

struct Row {
    title: String,
    edit_url: String,
    period: String,
    status: &'static str,
    pending: usize,
    total: usize,
}

#[derive(Template)]
#[template(path = "drafts/admin_list.html")]
struct ListTemplate {
    chrome: AdminChrome,
    rows: Vec<Row>,
    notice: Option<String>,
}

/// `GET /quan-tri/du-thao`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<DraftWriter>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = now();
    let mut rows = Vec::new();
    for d in state.store.drafts_of_site(site.site.id).await? {
        let comments = state.store.draft_comments(d.id).await?;
        rows.push(Row {
            edit_url: format!("/quan-tri/du-thao/{}", d.id),
            period: d.period(now).label(),
            status: d.status.label(),
            pending: comments
                .iter()
                .filter(|c| c.status == CommentStatus::Pending)
                .count(),
            total: comments.len(),
            title: d.title,
        });
    }
    let notice = (q.get("da").map(String::as_str) == Some("luu")).then(|| "Đã lưu dự thảo.".into());
    page(
        StatusCode::OK,
        &ListTemplate {
            chrome: AdminChrome::new("Lấy ý kiến dự thảo", &site, &session),
            rows,
            notice,
        },
    )
}

/// The form's fields as shown.
#[derive(Default)]
struct Values {
    title: String,
    number: String,
    summary: String,
    body: String,
    opens: String,
    closes: String,
    /// Empty: at once.
    publish_at: String,
    reject_reason: String,
    /// The workflow button pressed.
    action: String,
    files: Vec<i64>,
    revision: String,
}

struct FileChoice {
    id: i64,
    name: String,
    checked: bool,
    report: bool,
}

struct CommentRow {
    id: i64,
    name: String,
    email: String,
    organisation: String,
    target: String,
    date: String,
    body: String,
    status: &'static str,
    pending: bool,
    published: bool,
    answer: String,
}

#[derive(Template)]
#[template(path = "drafts/admin_edit.html")]
struct EditTemplate {
    chrome: AdminChrome,
    heading: String,
    action_url: String,
    base_url: String,
    values: Values,
    files: Vec<FileChoice>,
    public_url: Option<String>,
    existing: bool,
    closed: bool,
    period: String,
    comments: Vec<CommentRow>,
    report: String,
    errors: Vec<String>,
    notice: Option<String>,
    /// The workflow's buttons for this person and this draft.
    buttons: Vec<Button>,
    show_reject: bool,
    rejected_because: Option<String>,
    status: &'static str,
    /// Editors moderate and attach the report; writers do not.
    may_moderate: bool,
}

fn values_of(d: &Draft) -> Values {
    Values {
        title: d.title.clone(),
        number: d.number.clone(),
        summary: d.summary.clone(),
        body: d.body.as_str().to_owned(),
        opens: vntext::format_datetime(d.opens_at),
        closes: vntext::format_datetime(d.closes_at),
        publish_at: if d.status == ArticleStatus::Scheduled {
            vntext::format_datetime(d.publish_at)
        } else {
            String::new()
        },
        reject_reason: String::new(),
        action: String::new(),
        files: Vec::new(),
        revision: d.revision.to_string(),
    }
}

fn field(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| vntext::nfc(v))
        .unwrap_or_default()
}

fn files_of(pairs: &[(String, String)]) -> Vec<i64> {
    let mut files: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "tep")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    files.dedup();
    files
}

fn values_from(pairs: &[(String, String)]) -> Values {
    Values {
        title: field(pairs, "title"),
        number: field(pairs, "number"),
        summary: field(pairs, "summary"),
        body: field(pairs, "body"),
        opens: field(pairs, "opens"),
        closes: field(pairs, "closes"),
        publish_at: field(pairs, "publish_at"),
        reject_reason: field(pairs, "reject_reason"),
        action: field(pairs, "action"),
        files: files_of(pairs),
        revision: field(pairs, "revision"),
    }
}

fn moment(raw: &str, what: &str, errors: &mut Vec<String>) -> i64 {
    match vntext::parse_local_datetime_any(raw) {
        Some(t) => t,
        None => {
            errors.push(if raw.trim().is_empty() {
                format!("Vui lòng nhập {what} (dd/mm/yyyy hh:mm).")
            } else {
                format!(
                    "{} “{}” không đọc được; hãy nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 01/12/2026 08:00.",
                    capitalise(what),
                    raw.trim()
                )
            });
            0
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Where the draft stands before the save, and who saves it.
struct Moving {
    status: ArticleStatus,
    publish_at: i64,
    role: Role,
    own: bool,
}

/// The action a form asks for (a save, when none).
fn action_of(v: &Values) -> ArticleAction {
    ArticleAction::parse(&v.action).unwrap_or(ArticleAction::Save)
}

/// The draft the values make, moved in the workflow, or what is wrong with them
/// (with the files `refused` as the form was read).
fn input_of(v: &Values, refused: Vec<String>, from: &Moving) -> Result<DraftInput, Vec<String>> {
    let mut errors = Vec::new();
    let opens_at = moment(&v.opens, "ngày bắt đầu lấy ý kiến", &mut errors);
    let closes_at = moment(&v.closes, "ngày kết thúc lấy ý kiến", &mut errors);
    let now = now();
    let action = action_of(v);
    let at = if v.publish_at.trim().is_empty() {
        now
    } else if let Some(at) = vntext::parse_local_datetime_any(&v.publish_at) {
        at
    } else {
        errors.push(format!(
            "Thời điểm đăng “{}” không đọc được; hãy nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 01/12/2026 08:00.",
            v.publish_at.trim()
        ));
        now
    };
    let reason = vntext::clean_line(&v.reject_reason);
    let status = match next_status(
        from.status,
        action,
        from.role,
        from.own,
        at,
        now,
        !reason.is_empty(),
    ) {
        Ok(s) => s,
        Err(e) => {
            errors.push(e.message(Content::Draft));
            from.status
        }
    };
    let input = DraftInput {
        title: vntext::clean_line(&v.title),
        number: vntext::clean_line(&v.number),
        summary: vntext::clean_line(&v.summary),
        body: SafeHtml::sanitize(&v.body),
        opens_at,
        closes_at,
        publish_at: if action == ArticleAction::Publish {
            at
        } else {
            from.publish_at
        },
        reject_reason: if status == ArticleStatus::Rejected {
            reason
        } else {
            String::new()
        },
        status,
    };
    if errors.is_empty() {
        errors = input.problems();
    }
    let errors: Vec<String> = refused.into_iter().chain(errors).collect();
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

struct Screen {
    draft: Option<Draft>,
    errors: Vec<String>,
    notice: Option<String>,
    report: Option<String>,
    report_files: Option<Vec<i64>>,
}

impl Screen {
    fn new(draft: Option<Draft>, errors: Vec<String>) -> Screen {
        Screen {
            draft,
            errors,
            notice: None,
            report: None,
            report_files: None,
        }
    }
}

fn comment_row(c: DraftComment) -> CommentRow {
    CommentRow {
        id: c.id,
        target: match c.article {
            Some(n) => format!("Điều {n}"),
            None => "Toàn bộ dự thảo".to_owned(),
        },
        date: vntext::format_datetime(c.created_at),
        status: c.status.label(),
        pending: c.status == CommentStatus::Pending,
        published: c.status == CommentStatus::Published,
        name: c.name,
        email: c.email,
        organisation: c.organisation,
        body: c.body,
        answer: c.answer,
    }
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    (session, role): (&SessionInfo, Role),
    values: Values,
    screen: Screen,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = now();
    let d = screen.draft.as_ref();
    let own = d.is_none_or(|d| d.author == Some(session.user.id));
    let current = d.map_or(ArticleStatus::Draft, |d| d.status);
    let actions: Vec<ArticleAction> = offered_actions(current, role, own)
        .into_iter()
        .filter(|a| *a != ArticleAction::Delete)
        .collect();
    let (comments, report_files) = match d {
        Some(d) => (
            state.store.draft_comments(d.id).await?,
            match screen.report_files {
                Some(f) => f,
                None => state
                    .store
                    .draft_files(d.id, "bao-cao")
                    .await?
                    .iter()
                    .map(|f| f.id.0)
                    .collect(),
            },
        ),
        None => (Vec::new(), Vec::new()),
    };
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
            report: report_files.contains(&m.media.id.0),
        })
        .collect();
    let heading = match d {
        Some(d) => format!("Dự thảo: {}", d.title),
        None => "Dự thảo mới".to_owned(),
    };
    page(
        status,
        &EditTemplate {
            chrome: AdminChrome::new(&heading, site, session).with_editor(),
            heading,
            action_url: d.map_or("/quan-tri/du-thao/moi".to_owned(), |d| {
                format!("/quan-tri/du-thao/{}", d.id)
            }),
            base_url: d.map_or(String::new(), |d| format!("/quan-tri/du-thao/{}", d.id)),
            public_url: d.filter(|d| d.published).map(Draft::path),
            existing: d.is_some(),
            closed: d.is_some_and(|d| d.period(now) == Period::Closed),
            period: d.map(|d| d.period(now).label()).unwrap_or_default(),
            comments: comments.into_iter().map(comment_row).collect(),
            report: screen
                .report
                .unwrap_or_else(|| d.map(|d| d.report.as_str().to_owned()).unwrap_or_default()),
            show_reject: actions.contains(&ArticleAction::Reject),
            buttons: actions
                .iter()
                .map(|a| draft_button(*a, values.publish_at.trim().is_empty()))
                .collect(),
            rejected_because: d
                .filter(|d| d.status == ArticleStatus::Rejected && !d.reject_reason.is_empty())
                .map(|d| d.reject_reason.clone()),
            status: current.label(),
            may_moderate: role.can_publish(),
            values,
            files,
            errors: screen.errors,
            notice: screen.notice,
        },
    )
}

/// The workflow's button for `action`, in the words of drafts.
fn draft_button(action: ArticleAction, at_once: bool) -> Button {
    let mut b = Button::for_action(action, at_once);
    b.label = match action {
        ArticleAction::Save => "Lưu dự thảo",
        ArticleAction::Publish if at_once => "Đăng dự thảo",
        ArticleAction::Unpublish => "Gỡ dự thảo khỏi trang",
        ArticleAction::Reject => "Trả lại người soạn",
        _ => b.label,
    };
    b
}

/// What the audit log calls a save with `action`.
fn audit_label(action: ArticleAction, new: bool) -> &'static str {
    match action {
        ArticleAction::Save if new => "tạo dự thảo lấy ý kiến",
        ArticleAction::Save | ArticleAction::Delete => "sửa dự thảo lấy ý kiến",
        ArticleAction::Submit => "gửi duyệt dự thảo",
        ArticleAction::Publish => "đăng dự thảo",
        ArticleAction::Reject => "trả lại dự thảo",
        ArticleAction::Unpublish => "gỡ dự thảo",
    }
}

/// `GET /quan-tri/du-thao/moi`
pub(crate) async fn new_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<DraftWriter>,
) -> Result<Response, AppError> {
    let now = now();
    let values = Values {
        opens: vntext::format_datetime(now),
        closes: vntext::format_datetime(now + 30 * 86_400),
        ..Values::default()
    };
    render(
        &state,
        &site,
        (&session, role),
        values,
        Screen::new(None, Vec::new()),
        StatusCode::OK,
    )
    .await
}

fn slug_taken() -> Vec<String> {
    vec!["Trang đã có dự thảo cùng tên; hãy đặt tên khác (ví dụ thêm “lần 2”).".to_owned()]
}

fn ids(v: &[i64]) -> Vec<MediaId> {
    v.iter().map(|i| MediaId(*i)).collect()
}

/// `POST /quan-tri/du-thao/moi`
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<DraftWriter>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let posted = read_with_attachments(&state, &site, session.user.id, &mut form, WHAT).await?;
    let values = values_from(&posted.pairs);
    let from = Moving {
        status: ArticleStatus::Draft,
        publish_at: now(),
        role,
        own: true,
    };
    let input = match input_of(&values, posted.refused, &from) {
        Ok(i) => i,
        Err(errors) => {
            return render(
                &state,
                &site,
                (&session, role),
                values,
                Screen::new(None, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let note = AuditNote {
        user: Some(session.user.id),
        action: audit_label(action_of(&values), true),
        ip: &ip,
    };
    match state
        .store
        .create_draft(site.site.id, &input, &ids(&values.files), note, now())
        .await
    {
        Ok(_) => {}
        Err(store::Error::Conflict(_)) => {
            return render(
                &state,
                &site,
                (&session, role),
                values,
                Screen::new(None, slug_taken()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    state.content_changed().await?;
    Ok(see_other("/quan-tri/du-thao?da=luu"))
}

async fn load(state: &AppState, site: &CurrentSite, id: i64) -> Result<Draft, AppError> {
    state
        .store
        .draft(site.site.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn current_values(state: &AppState, d: &Draft) -> Result<Values, AppError> {
    let mut values = values_of(d);
    values.files = state
        .store
        .draft_files(d.id, "dinh-kem")
        .await?
        .iter()
        .map(|f| f.id.0)
        .collect();
    Ok(values)
}

/// `GET /quan-tri/du-thao/{id}`: the draft, its comments, and after the period
/// the export and the report.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<DraftWriter>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let values = current_values(&state, &d).await?;
    let mut screen = Screen::new(Some(d), Vec::new());
    screen.notice = match q.get("da").map(String::as_str) {
        Some("duyet") => Some("Đã cập nhật góp ý.".to_owned()),
        Some("bao-cao") => Some("Đã đính kèm báo cáo tổng hợp ý kiến vào dự thảo.".to_owned()),
        _ => None,
    };
    render(
        &state,
        &site,
        (&session, role),
        values,
        screen,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/du-thao/{id}`
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<DraftWriter>,
    Path(id): Path<i64>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let posted = read_with_attachments(&state, &site, session.user.id, &mut form, WHAT).await?;
    let values = values_from(&posted.pairs);
    let from = Moving {
        status: d.status,
        publish_at: d.publish_at,
        role,
        own: d.author == Some(session.user.id),
    };
    let input = match input_of(&values, posted.refused, &from) {
        Ok(i) => i,
        Err(errors) => {
            return render(
                &state,
                &site,
                (&session, role),
                values,
                Screen::new(Some(d), errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let revision = values.revision.trim().parse().unwrap_or(d.revision);
    let note = AuditNote {
        user: Some(session.user.id),
        action: audit_label(action_of(&values), false),
        ip: &ip,
    };
    let problem = match state
        .store
        .save_draft(
            site.site.id,
            id,
            revision,
            &input,
            &ids(&values.files),
            note,
            now(),
        )
        .await
    {
        Ok(()) => None,
        Err(store::Error::Conflict(_)) => Some((slug_taken(), StatusCode::UNPROCESSABLE_ENTITY)),
        Err(store::Error::Stale) => Some((
            vec![
                "Người khác vừa lưu dự thảo này. Hãy mở lại trang để xem bản mới rồi sửa tiếp."
                    .to_owned(),
            ],
            StatusCode::CONFLICT,
        )),
        Err(e) => return Err(e.into()),
    };
    if let Some((errors, status)) = problem {
        return render(
            &state,
            &site,
            (&session, role),
            values,
            Screen::new(Some(d), errors),
            status,
        )
        .await;
    }
    state.content_changed().await?;
    Ok(see_other("/quan-tri/du-thao?da=luu"))
}

/// What the moderation buttons send.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ModerateForm {
    csrf: String,
    /// `dang`, `an` or `tra-loi`.
    action: String,
    answer: String,
}
csrf_field!(ModerateForm);

/// `POST /quan-tri/du-thao/{id}/y-kien/{comment}`
pub(crate) async fn moderate(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<DraftEditor>,
    Path((id, comment)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let (what, action) = match form.action.as_str() {
        "dang" => (Moderation::Publish, "đăng góp ý dự thảo"),
        "an" => (Moderation::Hide, "ẩn góp ý dự thảo"),
        "tra-loi" => {
            let answer = vntext::nfc(form.answer.trim()).replace("\r\n", "\n");
            if answer.is_empty() {
                let values = current_values(&state, &d).await?;
                return render(
                    &state,
                    &site,
                    (&session, role),
                    values,
                    Screen::new(Some(d), vec!["Vui lòng nhập nội dung trả lời.".to_owned()]),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            (Moderation::Answer(answer), "trả lời góp ý dự thảo")
        }
        _ => return Err(AppError::Unprocessable("Thao tác không hợp lệ.".into())),
    };
    state
        .store
        .moderate_comment(
            site.site.id,
            d.id,
            comment,
            &what,
            AuditNote {
                user: Some(session.user.id),
                action,
                ip: &ip,
            },
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other(&format!(
        "/quan-tri/du-thao/{id}?da=duyet#gop-y-{comment}"
    )))
}

/// The refusal of what waits for the end of the period.
const NOT_CLOSED: &str = "Việc này làm được sau khi hết hạn lấy ý kiến.";

/// `GET /quan-tri/du-thao/{id}/y-kien.xlsx`: every comment (published, hidden or
/// waiting), for the summary report; after the period only.
pub(crate) async fn export(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { .. }: SiteRole<DraftEditor>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    if d.period(now()) != Period::Closed {
        return Err(AppError::Conflict(NOT_CLOSED.into()));
    }
    let comments = state.store.draft_comments(d.id).await?;
    let bytes = workbook(&d, &comments).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    let name = format!("gop-y-{}.xlsx", d.slug.chars().take(60).collect::<String>());
    Ok(download(
        &name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

/// The export's columns.
const HEADER: [&str; 10] = [
    "STT",
    "Thời gian",
    "Họ và tên",
    "Thư điện tử",
    "Cơ quan, tổ chức",
    "Góp ý về",
    "Nội dung góp ý",
    "Tình trạng",
    "Trả lời",
    "Thời gian trả lời",
];

fn workbook(d: &Draft, comments: &[DraftComment]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Góp ý")?;
    let bold = Format::new().set_bold();
    let time = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_string_with_format(0, 0, &d.title, &bold)?;
    let period = format!(
        "{}{}Thời gian lấy ý kiến: từ {} đến {} · {} góp ý",
        d.number,
        if d.number.is_empty() { "" } else { " · " },
        vntext::format_datetime(d.opens_at),
        vntext::format_datetime(d.closes_at),
        vntext::format_number(comments.len() as i64)
    );
    sheet.write_string(1, 0, &period)?;
    for (col, title) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(3, col as u16, *title, &bold)?;
    }
    // Excel has no time zones: the clock time in Vietnam.
    let local = |at: i64| {
        ExcelDateTime::from_timestamp(at + i64::from(vntext::local(at).offset().seconds()))
    };
    for (i, c) in comments.iter().enumerate() {
        let r = i as u32 + 4;
        sheet.write_number(r, 0, (i + 1) as f64)?;
        sheet.write_datetime_with_format(r, 1, local(c.created_at)?, &time)?;
        let target = match c.article {
            Some(n) => format!("Điều {n}"),
            None => "Toàn bộ dự thảo".to_owned(),
        };
        for (col, value) in [
            (2, c.name.as_str()),
            (3, c.email.as_str()),
            (4, c.organisation.as_str()),
            (5, target.as_str()),
        ] {
            sheet.write_string(r, col, value)?;
        }
        sheet.write_string_with_format(r, 6, &c.body, &wrap)?;
        sheet.write_string(r, 7, c.status.label())?;
        sheet.write_string_with_format(r, 8, &c.answer, &wrap)?;
        if let Some(at) = c.answered_at {
            sheet.write_datetime_with_format(r, 9, local(at)?, &time)?;
        }
    }
    for (col, width) in [6, 17, 24, 28, 28, 16, 60, 12, 50, 17]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(4, 0)?;
    book.save_to_buffer()
}

/// `POST /quan-tri/du-thao/{id}/bao-cao`: the summary report (text and files of
/// the library), attached to the draft after the period.
pub(crate) async fn report(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<DraftEditor>,
    Path(id): Path<i64>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    if d.period(now()) != Period::Closed {
        return Err(AppError::Conflict(NOT_CLOSED.into()));
    }
    let PostedForm { pairs, refused } =
        read_with_attachments(&state, &site, session.user.id, &mut form, WHAT).await?;
    let text = field(&pairs, "report");
    let files = files_of(&pairs);
    let report = SafeHtml::sanitize(&text);
    let mut errors = refused;
    if report.to_plain_text().is_empty() && files.is_empty() && errors.is_empty() {
        errors.push("Hãy viết báo cáo tổng hợp hoặc chọn tệp báo cáo để đính kèm.".to_owned());
    }
    if !errors.is_empty() {
        let values = current_values(&state, &d).await?;
        let mut screen = Screen::new(Some(d), errors);
        screen.report = Some(text);
        screen.report_files = Some(files);
        return render(
            &state,
            &site,
            (&session, role),
            values,
            screen,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    state
        .store
        .set_draft_report(
            site.site.id,
            d.id,
            &report,
            &ids(&files),
            AuditNote {
                user: Some(session.user.id),
                action: "đính kèm báo cáo tổng hợp ý kiến",
                ip: &ip,
            },
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/du-thao/{id}?da=bao-cao")))
}

impl Saved for DraftRevision {
    fn saved(&self) -> (i64, i64, &str, &str) {
        (self.number, self.saved_at, &self.saved_by, &self.note)
    }
}

fn period_text(r: &DraftRevision) -> String {
    format!(
        "Từ {} đến {}",
        vntext::format_datetime(r.opens_at),
        vntext::format_datetime(r.closes_at)
    )
}

fn revision_diff(before: Option<&DraftRevision>, this: &DraftRevision) -> RevisionDiff {
    let old = |f: fn(&DraftRevision) -> String| before.map(f).unwrap_or_default();
    RevisionDiff {
        number: this.number,
        before: before.map(|r| r.number),
        fields: vec![
            diff_field("Tên dự thảo", &old(|r| r.title.clone()), &this.title),
            diff_field("Tóm tắt", &old(|r| r.summary.clone()), &this.summary),
            diff_field(
                "Thời gian lấy ý kiến",
                &old(period_text),
                &period_text(this),
            ),
            diff_field(
                "Nội dung",
                &old(|r| body_text(r.body.as_str())),
                &body_text(this.body.as_str()),
            ),
        ],
    }
}

/// `GET /quan-tri/du-thao/{id}/phien-ban[?xem=N]`
pub(crate) async fn revisions(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<DraftWriter>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let all = state
        .store
        .draft_revisions(site.site.id, d.id, None)
        .await?;
    let shown = crate::platform::revisions::shown(&all, q.get("xem"));
    let edit_url = format!("/quan-tri/du-thao/{}", d.id);
    let own = d.author == Some(session.user.id);
    page(
        StatusCode::OK,
        &RevisionsTemplate {
            chrome: AdminChrome::new("Lịch sử phiên bản", &site, &session),
            title: d.title.clone(),
            back_label: "Quay lại sửa dự thảo",
            current: d.revision,
            revision: d.revision.to_string(),
            shown: shown.map_or(0, |(_, this)| this.number),
            may_restore: next_status(d.status, ArticleAction::Save, role, own, 0, 0, true).is_ok(),
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

/// `POST /quan-tri/du-thao/{id}/phien-ban/{n}/khoi-phuc`: revision `n`'s title,
/// summary, text and period become the draft's again, as a new revision (its
/// status, number and files stay as they are now).
pub(crate) async fn restore(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<DraftWriter>,
    Path((id, number)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let own = d.author == Some(session.user.id);
    if let Err(e) = next_status(d.status, ArticleAction::Save, role, own, 0, 0, true) {
        return Err(AppError::forbidden(e.message(Content::Draft)));
    }
    let Some(old) = state
        .store
        .draft_revisions(site.site.id, d.id, Some(number))
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::NotFound);
    };
    let input = DraftInput {
        title: old.title,
        number: d.number.clone(),
        summary: old.summary,
        body: old.body,
        opens_at: old.opens_at,
        closes_at: old.closes_at,
        status: d.status,
        publish_at: d.publish_at,
        reject_reason: d.reject_reason.clone(),
    };
    let files = ids(&current_values(&state, &d).await?.files);
    let action = format!("khôi phục phiên bản {number}");
    let note = AuditNote {
        user: Some(session.user.id),
        action: &action,
        ip: &ip,
    };
    let base = form.revision.trim().parse().unwrap_or(d.revision);
    match state
        .store
        .save_draft(site.site.id, d.id, base, &input, &files, note, now())
        .await
    {
        Ok(()) => {
            state.content_changed().await?;
            Ok(see_other("/quan-tri/du-thao?da=luu"))
        }
        // Someone saved it since the history was opened, or another draft took
        // the old title: show the history again.
        Err(store::Error::Stale | store::Error::Conflict(_)) => Ok(see_other(&format!(
            "/quan-tri/du-thao/{}/phien-ban?xem={number}",
            d.id
        ))),
        Err(e) => Err(e.into()),
    }
}
