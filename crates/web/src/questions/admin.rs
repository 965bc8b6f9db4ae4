//! `/quan-tri/hoi-dap`: the office's inbox. Editors assign a question with a
//! deadline (3, 5 or 15 working days from its arrival, or a date), the person
//! who holds it drafts the answer in the rich editor, an editor approves it (the
//! asker's e-mail is queued with the approval) or sends it back; a question can
//! be marked spam or forwarded to another site's inbox. Administrators edit the
//! site's days off. The reminders chore lives here too.

use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{Admin, ClientIp, CsrfForm, Need, SiteRole, Writer, csrf_field};
use crate::platform::layout::{AdminChrome, PagerView};
use crate::platform::site::CurrentSite;
use crate::questions::{Deadline, calendar};
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{PageNumber, Pager, QuestionId, QuestionStatus, Role, SafeHtml, SiteId, UserId};
use serde::Deserialize;
use std::collections::HashMap;
use store::{NewMail, QuestionAct, SessionInfo};

/// Editors and administrators: they assign, approve, forward and mark spam.
pub(crate) struct QuestionEditor;
impl Need for QuestionEditor {
    const ROLE: Role = Role::Editor;
    const REFUSAL: &'static str = "Chỉ biên tập viên và quản trị viên của trang này mới giao, duyệt, chuyển hay đánh dấu thư rác câu hỏi.";
}

/// A tab of the inbox.
pub(crate) struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// A line of the inbox.
pub(crate) struct Row {
    pub url: String,
    pub code: String,
    pub title: String,
    pub name: String,
    pub field: &'static str,
    pub status: &'static str,
    pub assignee: String,
    pub received: String,
    pub deadline: Option<Deadline>,
}

#[derive(Template)]
#[template(path = "questions/admin_inbox.html")]
pub(crate) struct InboxTemplate {
    pub chrome: AdminChrome,
    pub tabs: Vec<Tab>,
    pub rows: Vec<Row>,
    pub pager: Option<PagerView>,
    /// "21–40 / 57": which lines of the tab this page shows.
    pub showing: String,
    pub soon: String,
    pub late: String,
    pub mail_off: bool,
    pub my_mail: String,
    pub notice: Option<String>,
    pub is_editor: bool,
    pub is_admin: bool,
}

/// Questions per page of the inbox.
const INBOX_PAGE: u32 = 30;

/// `GET /quan-tri/hoi-dap[?trang-thai=…][&trang=N]`
pub(crate) async fn inbox(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let site_id = site.site.id;
    let status = q.get("trang-thai").and_then(|s| QuestionStatus::parse(s));
    let counts = state.store.question_status_counts(site_id).await?;
    let count = |s: QuestionStatus| counts.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n);
    let all: i64 = counts
        .iter()
        .filter(|(s, _)| *s != QuestionStatus::Spam)
        .map(|(_, n)| n)
        .sum();
    let mut tabs = vec![Tab {
        label: format!("Tất cả ({})", vntext::format_number(all)),
        href: "/quan-tri/hoi-dap".into(),
        current: status.is_none(),
    }];
    tabs.extend(QuestionStatus::ALL.iter().map(|s| Tab {
        label: format!("{} ({})", s.label(), vntext::format_number(count(*s))),
        href: format!("/quan-tri/hoi-dap?trang-thai={}", s.as_str()),
        current: status == Some(*s),
    }));
    let in_tab = status.map_or(all, count);
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let pager = Pager::new(in_tab, INBOX_PAGE, page_no).ok_or(AppError::NotFound)?;
    let base = match status {
        Some(s) => format!("/quan-tri/hoi-dap?trang-thai={}", s.as_str()),
        None => "/quan-tri/hoi-dap".to_owned(),
    };
    let first = page_no.offset(INBOX_PAGE);
    let cal = calendar(&state, site_id).await?;
    let now = now();
    let today = vntext::local_day(now);
    let rows: Vec<Row> = state
        .store
        .question_inbox(site_id, status, i64::from(INBOX_PAGE), first)
        .await?
        .into_iter()
        .map(|r| Row {
            url: format!("/quan-tri/hoi-dap/{}", r.id),
            field: domain::question_field_label(&r.field),
            status: r.status.label(),
            received: vntext::format_datetime(r.created_at),
            deadline: r.due_day.map(|d| Deadline::new(&cal, today, d, r.status)),
            code: r.code,
            title: r.title,
            name: r.name,
            assignee: r.assignee_name,
        })
        .collect();
    let (soon, late) = crate::questions::deadline_counts(&state, site_id, now).await?;
    let showing = if rows.is_empty() {
        String::new()
    } else {
        format!(
            "{}–{} / {}",
            vntext::format_number(first + 1),
            vntext::format_number(first + rows.len() as i64),
            vntext::format_number(in_tab)
        )
    };
    page(
        StatusCode::OK,
        &InboxTemplate {
            chrome: AdminChrome::new("Hỏi đáp", &site, &session),
            tabs,
            rows,
            pager: PagerView::new(&pager, &base, ""),
            showing,
            soon: vntext::format_number(soon),
            late: vntext::format_number(late),
            mail_off: !state.mail_configured(),
            my_mail: state
                .store
                .user_mail(session.user.id)
                .await?
                .unwrap_or_default(),
            notice: q
                .contains_key("da-luu-email")
                .then(|| "Đã lưu e-mail nhận nhắc việc.".to_owned()),
            is_editor: role.can_publish(),
            is_admin: role.can_administer(),
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct MailForm {
    csrf: String,
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AssignForm {
    csrf: String,
    nguoi: String,
    han: String,
    ngay: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AnswerForm {
    csrf: String,
    body: String,
    action: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ApproveForm {
    csrf: String,
    hien_ten: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NoteForm {
    csrf: String,
    ghi_chu: String,
    den: String,
    bo: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct HolidayForm {
    csrf: String,
    ngay: String,
    ten: String,
    /// "nghi", "lam" or "mac-dinh".
    loai: String,
}
csrf_field!(
    MailForm,
    AssignForm,
    AnswerForm,
    ApproveForm,
    NoteForm,
    HolidayForm
);

/// `POST /quan-tri/hoi-dap/email-nhac-viec`: where the signed-in person gets reminders.
pub(crate) async fn set_mail(
    State(state): State<AppState>,
    SiteRole { session, .. }: SiteRole<Writer>,
    CsrfForm(f): CsrfForm<MailForm>,
) -> Result<Response, AppError> {
    let email = vntext::clean_line(&f.email).to_lowercase();
    if !email.is_empty() && !domain::is_email(&email) {
        return Err(AppError::Unprocessable(format!(
            "Địa chỉ e-mail “{email}” chưa đúng (ví dụ đúng: ten@so.binhan.edu.vn)."
        )));
    }
    state.store.set_user_mail(session.user.id, &email).await?;
    Ok(see_other("/quan-tri/hoi-dap?da-luu-email=1"))
}

/// A person the question can be given to.
pub(crate) struct Person {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// Another site of the province a question can go to.
pub(crate) struct SiteChoice {
    pub key: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "questions/admin_show.html")]
pub(crate) struct ShowTemplate {
    pub chrome: AdminChrome,
    pub id: i64,
    pub code: String,
    pub title: String,
    pub body: String,
    pub asker: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub field: &'static str,
    pub may_publish: bool,
    pub status: &'static str,
    pub received: String,
    pub assignee: String,
    pub deadline: Option<Deadline>,
    pub history: Vec<(String, String, String, String)>,
    pub answer: String,
    pub forwarded_from: Option<String>,
    pub forwarded_to: Option<String>,
    /// The asker's file: its name and size as shown.
    pub attachment: Option<(String, String)>,
    pub people: Vec<Person>,
    pub sites: Vec<SiteChoice>,
    pub may_assign: bool,
    pub may_answer: bool,
    /// The asker's file can go into the answer.
    pub may_attach: bool,
    pub may_approve: bool,
    pub may_spam: bool,
    pub is_spam: bool,
    pub public_url: Option<String>,
    /// Readers' votes: useful, not useful.
    pub helpful: (String, String),
    pub errors: Vec<String>,
    pub notice: Option<String>,
}

async fn load(state: &AppState, site: &CurrentSite, id: i64) -> Result<store::Question, AppError> {
    state
        .store
        .question(site.site.id, QuestionId(id))
        .await?
        .ok_or(AppError::NotFound)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the page with what the refused form carried"
)]
async fn show_page(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    role: Role,
    q: &store::Question,
    errors: Vec<String>,
    answer_typed: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let site_id = site.site.id;
    let cal = calendar(state, site_id).await?;
    let today = vntext::local_day(now());
    let editor = role.can_publish();
    let people = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active && !u.is_super && u.roles.iter().any(|(s, _)| *s == site_id))
        .map(|u| Person {
            id: u.id.0,
            selected: Some(u.id) == q.assignee,
            name: u.full_name,
        })
        .collect();
    let sites = state
        .sites
        .all()
        .iter()
        .filter(|s| s.site.id != site_id && !s.site.suspended)
        .map(|s| SiteChoice {
            key: s.site.key.clone(),
            name: s.site.settings.name.clone(),
        })
        .collect();
    let history = state
        .store
        .question_history(q.id)
        .await?
        .into_iter()
        .map(|h| (vntext::format_datetime(h.at), h.by, h.action, h.note))
        .collect();
    let other = |id: Option<QuestionId>| async move {
        match id {
            Some(id) => Ok::<_, AppError>(
                state
                    .store
                    .question_anywhere(id)
                    .await?
                    .and_then(|o| state.sites.name_of(o.site)),
            ),
            None => Ok(None),
        }
    };
    let open = q.status.is_open();
    let holds = q.assignee == Some(session.user.id);
    let status = q.status;
    page(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &ShowTemplate {
            chrome: AdminChrome::new(&format!("Câu hỏi {}", q.code), site, session).with_editor(),
            id: q.id.0,
            code: q.code.clone(),
            title: q.title.clone(),
            body: q.body.clone(),
            asker: if q.salutation.is_empty() {
                q.name.clone()
            } else {
                format!("{} {}", q.salutation, q.name)
            },
            email: q.email.clone(),
            phone: q.phone.clone(),
            address: q.address.clone(),
            field: domain::question_field_label(&q.field),
            may_publish: q.may_publish,
            status: status.label(),
            received: vntext::format_datetime(q.created_at),
            assignee: q.assignee_name.clone(),
            deadline: q.due_day.map(|d| Deadline::new(&cal, today, d, status)),
            history,
            answer: answer_typed.unwrap_or_else(|| q.answer.as_str().to_owned()),
            forwarded_from: other(q.forwarded_from).await?,
            forwarded_to: other(q.forwarded_to).await?,
            attachment: q
                .attachment
                .as_ref()
                .map(|(name, size)| (name.clone(), crate::media::admin::human_size(*size))),
            people,
            sites,
            may_assign: editor && open,
            may_answer: open && (editor || holds),
            may_attach: open && (editor || holds) && q.attachment.is_some(),
            may_approve: editor && status == QuestionStatus::Awaiting,
            may_spam: editor,
            is_spam: status == QuestionStatus::Spam,
            public_url: (status == QuestionStatus::Published && q.may_publish)
                .then(|| format!("/hoi-dap/{}", q.id)),
            helpful: (
                vntext::format_number(q.helpful.0),
                vntext::format_number(q.helpful.1),
            ),
            errors,
            notice,
        },
    )
}

/// `GET /quan-tri/hoi-dap/{id}`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let question = load(&state, &site, id).await?;
    let notice = q.get("da").map(|what| {
        match what.as_str() {
            "giao" => "Đã giao câu hỏi.",
            "luu" => "Đã lưu bản nháp câu trả lời.",
            "gui" => "Đã gửi câu trả lời chờ biên tập viên duyệt.",
            "duyet" => "Đã duyệt: câu trả lời được công bố và e-mail báo cho người hỏi đã vào hàng đợi gửi.",
            "tra-lai" => "Đã trả lại câu trả lời để sửa.",
            "thu-rac" => "Đã cập nhật đánh dấu thư rác.",
            "chuyen" => "Đã chuyển câu hỏi.",
            "dinh-kem" => "Đã đính kèm tệp của người hỏi vào bản nháp câu trả lời: tệp được đưa vào thư viện tệp của trang và công khai cùng câu trả lời.",
            _ => "Đã lưu.",
        }
        .to_owned()
    });
    show_page(
        &state,
        &site,
        &session,
        role,
        &question,
        Vec::new(),
        None,
        notice,
    )
    .await
}

/// `GET /quan-tri/hoi-dap/{id}/tep`: the asker's file, for the site's signed-in
/// staff only (a question of another site is not found). Always a download,
/// typed by its content, never sniffed by the browser.
pub(crate) async fn attachment(
    State(state): State<AppState>,
    site: CurrentSite,
    _staff: SiteRole<Writer>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = state
        .store
        .question_file(site.site.id, QuestionId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let stem = vntext::slugify(f.name.rsplit_once('.').map_or(f.name.as_str(), |(s, _)| s));
    let ascii = format!(
        "{}.{}",
        if stem.is_empty() {
            "tep"
        } else {
            stem.as_str()
        },
        f.extension
    );
    let mut res = (StatusCode::OK, f.data).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&f.mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::platform::layout::percent_encode(&f.name)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// `POST /quan-tri/hoi-dap/{id}/dinh-kem-tra-loi`: the asker's file becomes one
/// of the site's files (checked again as every upload is) and a link to it is
/// added to the answer's draft, so that it is public once the answer is. The
/// person who holds the question, or an editor.
pub(crate) async fn attach_to_answer(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    let q = load(&state, &site, id).await?;
    if !role.can_publish() && q.assignee != Some(session.user.id) {
        return Err(AppError::forbidden(
            "Chỉ người được giao câu hỏi (hoặc biên tập viên) mới soạn được câu trả lời.",
        ));
    }
    let file = state
        .store
        .question_file(site.site.id, q.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let up = match crate::media::uploads::accept(
        &state,
        site.site.id,
        &site.site.key,
        session.user.id,
        &file.name,
        file.data,
    )
    .await
    {
        Ok(up) => up,
        Err(crate::media::uploads::UploadError::Store(e)) => return Err(e.into()),
        Err(e) => {
            let errors = vec![format!("Tệp “{}”: {e}", file.name)];
            return show_page(&state, &site, &session, role, &q, errors, None, None).await;
        }
    };
    let name = file
        .name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let body = SafeHtml::sanitize(&format!(
        "{}<p>Tệp đính kèm: <a href=\"{}{}\">{name}</a></p>",
        q.answer.as_str(),
        ::media::URL_PREFIX,
        up.path
    ));
    state
        .store
        .save_answer(act(&site, id, &session, &ip), &body, false)
        .await
        .map_err(refused)?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/hoi-dap/{id}?da=dinh-kem")))
}

fn act<'a>(site: &CurrentSite, id: i64, session: &SessionInfo, ip: &'a str) -> QuestionAct<'a> {
    QuestionAct {
        site: site.site.id,
        id: QuestionId(id),
        by: session.user.id,
        ip,
        now: now(),
    }
}

/// What a store refusal of an office action means to the person.
fn refused(e: store::Error) -> AppError {
    match e {
        store::Error::Stale => AppError::Conflict(
            "Câu hỏi đã được người khác xử lý (đã trả lời, đóng hoặc là thư rác) sau khi bạn mở trang. Hãy tải lại trang."
                .into(),
        ),
        store::Error::NotFound(_) => AppError::NotFound,
        e => e.into(),
    }
}

/// `POST /quan-tri/hoi-dap/{id}/giao`
pub(crate) async fn assign(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<QuestionEditor>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AssignForm>,
) -> Result<Response, AppError> {
    let q = load(&state, &site, id).await?;
    let mut errors = Vec::new();
    let person = f.nguoi.trim().parse::<i64>().ok().map(UserId);
    let person = match person {
        Some(p) => match state.store.user_by_id(p).await? {
            Some(u) if u.active && u.roles.iter().any(|(s, _)| *s == site.site.id) => Some(u),
            _ => None,
        },
        None => None,
    };
    if person.is_none() {
        errors.push("Vui lòng chọn người xử lý trong danh sách.".to_owned());
    }
    let cal = calendar(&state, site.site.id).await?;
    let received = vntext::local_day(q.created_at);
    let due = match f.han.as_str() {
        "3" | "5" | "15" => Some(cal.add_working_days(received, f.han.parse().unwrap_or(15))),
        "ngay" => match vntext::parse_typed_date(&f.ngay)
            .and_then(|d| domain::calendar::parse_iso_day(&d))
        {
            Some(d) if d >= vntext::local_day(now()) => Some(d),
            Some(_) => {
                errors.push("Hạn trả lời không được trước hôm nay.".to_owned());
                None
            }
            None => {
                errors.push(format!(
                    "Ngày “{}” chưa đúng; hãy viết ngày/tháng/năm, ví dụ 15/12/2026.",
                    f.ngay.trim()
                ));
                None
            }
        },
        _ => {
            errors.push(
                "Vui lòng chọn hạn trả lời: 3, 5, 15 ngày làm việc hoặc một ngày cụ thể."
                    .to_owned(),
            );
            None
        }
    };
    let (Some(person), Some(due), true) = (person, due, errors.is_empty()) else {
        return show_page(&state, &site, &session, role, &q, errors, None, None).await;
    };
    let what = format!(
        "Giao cho {}, hạn trả lời {}",
        person.full_name,
        domain::calendar::vi_date_of(due)
    );
    state
        .store
        .assign_question(act(&site, id, &session, &ip), person.id, due, &what)
        .await
        .map_err(refused)?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/hoi-dap/{id}?da=giao")))
}

/// `POST /quan-tri/hoi-dap/{id}/tra-loi`: save the draft ("luu") or send it for
/// approval ("gui"). The person who holds the question, or an editor.
pub(crate) async fn answer(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    CsrfForm(mut f): CsrfForm<AnswerForm>,
) -> Result<Response, AppError> {
    let q = load(&state, &site, id).await?;
    if !role.can_publish() && q.assignee != Some(session.user.id) {
        return Err(AppError::forbidden(
            "Chỉ người được giao câu hỏi (hoặc biên tập viên) mới soạn được câu trả lời.",
        ));
    }
    let mut errors =
        crate::media::uploads::keep_pasted_images(&state, &site, session.user.id, &mut f.body)
            .await?;
    let body =
        crate::media::uploads::enrich_images(&state, site.site.id, SafeHtml::sanitize(&f.body))
            .await?;
    let submit = f.action == "gui";
    if submit && body.to_plain_text().trim().is_empty() {
        errors.push("Câu trả lời đang trống; hãy viết câu trả lời trước khi gửi duyệt.".to_owned());
    }
    if !errors.is_empty() {
        return show_page(
            &state,
            &site,
            &session,
            role,
            &q,
            errors,
            Some(vntext::nfc(&f.body)),
            None,
        )
        .await;
    }
    state
        .store
        .save_answer(act(&site, id, &session, &ip), &body, submit)
        .await
        .map_err(refused)?;
    state.content_changed().await?;
    Ok(see_other(&format!(
        "/quan-tri/hoi-dap/{id}?da={}",
        if submit { "gui" } else { "luu" }
    )))
}

/// `POST /quan-tri/hoi-dap/{id}/duyet`: the answer is published and the asker's
/// e-mail queued, in one transaction.
pub(crate) async fn approve(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    origin: crate::platform::origin::Origin,
    SiteRole { session, .. }: SiteRole<QuestionEditor>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ApproveForm>,
) -> Result<Response, AppError> {
    let q = load(&state, &site, id).await?;
    let site_name = site.site.settings.name.clone();
    let lookup = origin.url(&format!("/hoi-dap/tra-cuu?ma={}", q.code));
    let body = format!(
        "Kính gửi {name},\n\n{site_name} đã trả lời câu hỏi “{title}” (mã tra cứu {code}) của bạn.\n\n\
         {answer}\n\nXem câu trả lời bất cứ lúc nào tại {lookup} (nhập mã tra cứu và e-mail này).\n\n\
         Trân trọng,\n{site_name}",
        name = q.name,
        title = q.title,
        code = q.code,
        answer = q.answer.to_plain_text().trim(),
    );
    let subject = format!("Trả lời câu hỏi {}: {}", q.code, q.title);
    let mail = NewMail {
        site: Some(site.site.id),
        to: &q.email,
        subject: &subject,
        body: &body,
    };
    state
        .store
        .approve_answer(act(&site, id, &session, &ip), !f.hien_ten.is_empty(), &mail)
        .await
        .map_err(refused)?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/hoi-dap/{id}?da=duyet")))
}

/// `POST /quan-tri/hoi-dap/{id}/tra-lai`: back to its writer, with a note.
pub(crate) async fn send_back(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<QuestionEditor>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    load(&state, &site, id).await?;
    state
        .store
        .return_answer(
            act(&site, id, &session, &ip),
            &vntext::clean_line(&f.ghi_chu),
        )
        .await
        .map_err(refused)?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/hoi-dap/{id}?da=tra-lai")))
}

/// `POST /quan-tri/hoi-dap/{id}/thu-rac` (`bo=1`: no longer spam).
pub(crate) async fn spam(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<QuestionEditor>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    load(&state, &site, id).await?;
    state
        .store
        .mark_spam(act(&site, id, &session, &ip), f.bo.is_empty())
        .await
        .map_err(refused)?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/hoi-dap/{id}?da=thu-rac")))
}

/// `POST /quan-tri/hoi-dap/{id}/chuyen`: to another site's inbox, with a note.
pub(crate) async fn forward(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<QuestionEditor>,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    let q = load(&state, &site, id).await?;
    let target = state
        .sites
        .by_key(f.den.trim())
        .filter(|t| t.site.id != site.site.id);
    let note = vntext::clean_line(&f.ghi_chu);
    let mut errors = Vec::new();
    if target.is_none() {
        errors.push("Vui lòng chọn đơn vị nhận câu hỏi.".to_owned());
    }
    if note.is_empty() {
        errors.push("Vui lòng ghi lý do chuyển (đơn vị nhận sẽ đọc ghi chú này).".to_owned());
    }
    let (Some(target), true) = (target, errors.is_empty()) else {
        return show_page(&state, &site, &session, role, &q, errors, None, None).await;
    };
    let now = now();
    let cal = calendar(&state, target.site.id).await?;
    let due = cal.add_working_days(vntext::local_day(now), crate::questions::DEFAULT_DUE_DAYS);
    let mut tries = 0;
    loop {
        let code = crate::questions::new_tracking_code()?;
        match state
            .store
            .forward_question(
                act(&site, id, &session, &ip),
                due,
                target.site.id,
                &target.site.settings.name,
                &site.site.settings.name,
                &code,
                &note,
            )
            .await
        {
            Ok(_) => break,
            Err(store::Error::Conflict(_)) if tries < 5 => tries += 1,
            Err(e) => return Err(refused(e)),
        }
    }
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/hoi-dap/{id}?da=chuyen")))
}

/// A line of the days off.
pub(crate) struct HolidayRow {
    pub date: String,
    pub iso: String,
    pub name: String,
    pub weekday: &'static str,
    pub edited: bool,
}

#[derive(Template)]
#[template(path = "questions/admin_holidays.html")]
pub(crate) struct HolidaysTemplate {
    pub chrome: AdminChrome,
    pub year: i32,
    pub years: Vec<(i32, bool)>,
    pub rows: Vec<HolidayRow>,
    pub worked: Vec<HolidayRow>,
    pub errors: Vec<String>,
    pub values: (String, String, String),
}

fn weekday(day: i64) -> &'static str {
    [
        "Thứ Hai",
        "Thứ Ba",
        "Thứ Tư",
        "Thứ Năm",
        "Thứ Sáu",
        "Thứ Bảy",
        "Chủ nhật",
    ][(day + 3).rem_euclid(7) as usize]
}

async fn holidays_page(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    year: i32,
    errors: Vec<String>,
    values: (String, String, String),
) -> Result<Response, AppError> {
    let edits = state.store.holiday_edits(site.site.id).await?;
    let shipped = domain::calendar::shipped_holidays();
    let (from, to) = (
        domain::calendar::day_of(year, 1, 1),
        domain::calendar::day_of(year + 1, 1, 1),
    );
    let mut rows: Vec<HolidayRow> = Vec::new();
    let mut worked = Vec::new();
    let row = |day: i64, name: String, edited: bool| HolidayRow {
        date: domain::calendar::vi_date_of(day),
        iso: domain::calendar::iso_of(day),
        name,
        weekday: weekday(day),
        edited,
    };
    for (day, name) in shipped.range(from..to) {
        match edits.iter().find(|e| e.day == *day) {
            Some(e) if !e.off => worked.push(row(*day, name.clone(), true)),
            _ => rows.push(row(*day, name.clone(), false)),
        }
    }
    for e in edits
        .iter()
        .filter(|e| e.off && e.day >= from && e.day < to)
    {
        rows.retain(|r| r.iso != domain::calendar::iso_of(e.day));
        rows.push(row(e.day, e.name.clone(), true));
    }
    rows.sort_by(|a, b| a.iso.cmp(&b.iso));
    let (first, last) = domain::calendar::SHIPPED_YEARS;
    page(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &HolidaysTemplate {
            chrome: AdminChrome::new("Ngày nghỉ lễ", site, session),
            year,
            years: (first.min(year)..=last.max(year))
                .map(|y| (y, y == year))
                .collect(),
            rows,
            worked,
            errors,
            values,
        },
    )
}

fn year_of(q: &HashMap<String, String>) -> i32 {
    q.get("nam")
        .and_then(|y| y.parse().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| domain::calendar::date_of(vntext::local_day(now())).0)
}

/// `GET /quan-tri/hoi-dap/ngay-nghi[?nam=2027]`
pub(crate) async fn holidays(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    holidays_page(
        &state,
        &site,
        &session,
        year_of(&q),
        Vec::new(),
        Default::default(),
    )
    .await
}

/// `POST /quan-tri/hoi-dap/ngay-nghi`: a day off added, a holiday worked, or a
/// day back to the shipped calendar.
pub(crate) async fn save_holiday(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    CsrfForm(f): CsrfForm<HolidayForm>,
) -> Result<Response, AppError> {
    let day = vntext::parse_typed_date(&f.ngay).and_then(|d| domain::calendar::parse_iso_day(&d));
    let name = vntext::clean_line(&f.ten);
    let values = (f.ngay.clone(), name.clone(), f.loai.clone());
    let Some(day) = day else {
        let year = domain::calendar::date_of(vntext::local_day(now())).0;
        return holidays_page(
            &state,
            &site,
            &session,
            year,
            vec![format!(
                "Ngày “{}” chưa đúng; hãy viết ngày/tháng/năm, ví dụ 02/01/2027.",
                f.ngay.trim()
            )],
            values,
        )
        .await;
    };
    let year = domain::calendar::date_of(day).0;
    let edit = match f.loai.as_str() {
        "nghi" if name.is_empty() => {
            return holidays_page(
                &state,
                &site,
                &session,
                year,
                vec!["Vui lòng ghi tên ngày nghỉ (ví dụ: Nghỉ bù Tết).".to_owned()],
                values,
            )
            .await;
        }
        "nghi" => Some((name.as_str(), true)),
        "lam" => Some(("", false)),
        _ => None,
    };
    let audit = store::AuditNote {
        user: Some(session.user.id),
        action: "sửa ngày nghỉ lễ",
        ip: &ip,
    };
    state
        .store
        .set_holiday_edit(site.site.id, day, edit, audit, now())
        .await?;
    state.content_changed().await?;
    Ok(see_other(&format!(
        "/quan-tri/hoi-dap/ngay-nghi?nam={year}"
    )))
}

/// Today's reminders: to whoever holds a question due within one working day,
/// and to the site's editors for questions past their deadline; each question
/// at most once a day.
pub(crate) async fn send_reminders(state: &AppState, now: i64) -> Result<(), store::Error> {
    let today = vntext::local_day(now);
    let timings = state.store.question_timings(None, now).await?;
    let mut by_site: HashMap<SiteId, Vec<store::QuestionTiming>> = HashMap::new();
    for (site, t) in timings {
        if t.status.is_open() && t.due_day.is_some() && t.reminded_day != Some(today) {
            by_site.entry(site).or_default().push(t);
        }
    }
    for (site, list) in by_site {
        let cal = calendar(state, site).await?;
        if !cal.is_working(today) {
            continue;
        }
        let people = state.store.site_mail_people(site).await?;
        let editors: Vec<&str> = people
            .iter()
            .filter(|(_, role, _)| role == "editor" || role == "admin")
            .map(|(_, _, m)| m.as_str())
            .collect();
        let site_name = state.sites.name_of(site).unwrap_or_default();
        let mut reminded = Vec::new();
        let mut texts: Vec<(String, String, String)> = Vec::new();
        for t in list {
            let Some(due) = t.due_day else { continue };
            let left = cal.working_days_between(today, due);
            let Some(q) = state.store.question(site, t.id).await? else {
                continue;
            };
            let line = format!(
                "Câu hỏi {} “{}”, hạn trả lời {}",
                q.code,
                q.title,
                domain::calendar::vi_date_of(due)
            );
            if left < 0 {
                for to in &editors {
                    texts.push((
                        (*to).to_owned(),
                        format!("Quá hạn: câu hỏi {} chưa được trả lời", q.code),
                        format!(
                            "{line} đã quá hạn {} ngày làm việc ({site_name}).\nNgười xử lý: {}.",
                            -left,
                            if q.assignee_name.is_empty() {
                                "chưa giao"
                            } else {
                                &q.assignee_name
                            }
                        ),
                    ));
                }
                reminded.push(t.id);
            } else if left <= 1
                && let Some((_, _, to)) = people.iter().find(|(u, _, _)| Some(*u) == t.assignee)
            {
                texts.push((
                    to.clone(),
                    format!("Sắp đến hạn: câu hỏi {}", q.code),
                    format!("{line}: còn {left} ngày làm việc ({site_name})."),
                ));
                reminded.push(t.id);
            }
        }
        if reminded.is_empty() {
            continue;
        }
        let mails: Vec<NewMail<'_>> = texts
            .iter()
            .map(|(to, subject, body)| NewMail {
                site: Some(site),
                to,
                subject,
                body,
            })
            .collect();
        state
            .store
            .send_reminders(&reminded, &mails, today, now)
            .await?;
    }
    Ok(())
}
