//! `/quan-tri/ky-thi`: exam sessions and their results. Editors and administrators
//! of the site create a session, upload a results file, read the preview (mapping,
//! first rows, every bad row) and confirm; the import saves all rows or none.
//! Writers are refused.

use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::{CsrfForm, CsrfMultipart, Need, SiteRole, csrf_field};
use crate::platform::layout::{AdminChrome, SelectOption};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{ExamSessionId, Role};
use exam::LookupRule;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use store::{ExamSession, SessionInfo};
use store::{PreparedImport, prepare_import};

/// Who manages exam sessions and their results: the site's editors and
/// administrators.
pub(crate) struct ExamManager;
impl Need for ExamManager {
    const ROLE: Role = Role::Editor;
    const REFUSAL: &'static str =
        "Chỉ biên tập viên và quản trị viên của trang mới quản lý kỳ thi và kết quả thi.";
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

fn rule_label(rule: LookupRule) -> &'static str {
    match rule {
        LookupRule::SbdOnly => "Chỉ số báo danh",
        LookupRule::SbdAndBirthDate => "Số báo danh + ngày sinh",
    }
}

fn publish_text(at: Option<i64>, now: i64) -> String {
    match at {
        None => "Chưa đặt (kết quả chưa công bố)".to_owned(),
        Some(t) if t <= now => format!("{} (đã công bố)", vntext::format_datetime(t)),
        Some(t) => format!("{} (chưa đến giờ công bố)", vntext::format_datetime(t)),
    }
}

/// A session in the list.
struct SessionRow {
    url: String,
    name: String,
    school_year: String,
    kind: &'static str,
    rule: &'static str,
    candidates: String,
    publish: String,
}

/// The create form as typed.
#[derive(Deserialize, Default)]
pub(crate) struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    ten: String,
    #[serde(default)]
    nam_hoc: String,
    #[serde(default)]
    loai: String,
    #[serde(default)]
    quy_tac: String,
    #[serde(default)]
    cong_bo: String,
}

#[derive(Template)]
#[template(path = "exams/admin_list.html")]
struct ListTemplate {
    chrome: AdminChrome,
    rows: Vec<SessionRow>,
    errors: Vec<String>,
    name: String,
    school_year: String,
    kinds: Vec<SelectOption>,
    sbd_only: bool,
    publish: String,
}

async fn render_list(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    form: CreateForm,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let now = now();
    let rows = state
        .store
        .exam_sessions(Some(site.site.id))
        .await?
        .iter()
        .map(|s| SessionRow {
            url: format!("/quan-tri/ky-thi/{}", s.id),
            name: s.name.clone(),
            school_year: s.school_year.clone(),
            kind: store::exam_kind_label(&s.kind),
            rule: rule_label(s.spec.lookup),
            candidates: vntext::format_number(s.candidates),
            publish: publish_text(s.publish_at, now),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        status,
        &ListTemplate {
            chrome: AdminChrome::new("Kỳ thi", site, session),
            rows,
            errors,
            name: vntext::nfc(&form.ten),
            school_year: vntext::nfc(&form.nam_hoc),
            kinds: store::EXAM_KINDS
                .iter()
                .map(|(k, l)| SelectOption::new((*k).to_owned(), (*l).to_owned(), &form.loai))
                .collect(),
            sbd_only: form.quy_tac == "sbd",
            publish: form.cong_bo.trim().to_owned(),
        },
    )
}

/// `GET /quan-tri/ky-thi`: the site's sessions and the form to create one.
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<ExamManager>,
) -> Result<Response, AppError> {
    render_list(&state, &site, &session, CreateForm::default(), Vec::new()).await
}

/// A typed publish time: `None` for an empty field, an error message for one that
/// cannot be read.
fn publish_time(raw: &str) -> Result<Option<i64>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    vntext::parse_local_datetime_any(raw).map(Some).ok_or_else(|| {
        format!(
            "Thời điểm công bố “{raw}” không đọc được; hãy nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 15/06/2026 08:00."
        )
    })
}

/// `POST /quan-tri/ky-thi`: creates a session.
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<ExamManager>,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let name = vntext::clean_line(&form.ten);
    if name.is_empty() {
        errors.push("Hãy nhập tên kỳ thi.".to_owned());
    }
    let kind = store::EXAM_KINDS
        .iter()
        .find(|(k, _)| *k == form.loai)
        .map_or("khac", |(k, _)| k);
    let publish_at = publish_time(&form.cong_bo).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if !errors.is_empty() {
        return render_list(&state, &site, &session, form, errors).await;
    }
    let id = state
        .store
        .create_exam_session(
            &store::NewExamSession {
                site: site.site.id,
                name: &name,
                school_year: &form.nam_hoc,
                kind,
                lookup: store::parse_lookup_rule(&form.quy_tac),
                publish_at,
                by: Some(session.user.id),
                ip: &ip,
            },
            now(),
        )
        .await?;
    state.exams().refresh(&state.store).await?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/ky-thi/{id}")))
}

/// The site's session with this id, or 404 (another site's is not found either).
async fn session_of_site(
    state: &AppState,
    site: &CurrentSite,
    id: &str,
) -> Result<ExamSession, AppError> {
    let id = ExamSessionId(id.parse().map_err(|_| AppError::NotFound)?);
    state
        .store
        .exam_session(id)
        .await?
        .filter(|s| s.site_id == site.site.id)
        .ok_or(AppError::NotFound)
}

struct ImportView {
    when: String,
    file: String,
    rows: String,
    changed: String,
    by: String,
}

#[derive(Template)]
#[template(path = "exams/admin_session.html")]
struct SessionTemplate {
    chrome: AdminChrome,
    id: i64,
    name: String,
    school_year: String,
    kind: &'static str,
    rule: &'static str,
    candidates: String,
    subjects: String,
    extras: String,
    publish: String,
    publish_value: String,
    public_url: Option<String>,
    imports: Vec<ImportView>,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn render_session(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    s: &ExamSession,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let now = now();
    let imports = state
        .store
        .exam_imports(s.id)
        .await?
        .into_iter()
        .map(|i| ImportView {
            when: vntext::format_datetime(i.at),
            file: i.file_name,
            rows: vntext::format_number(i.rows),
            changed: vntext::format_number(i.changed),
            by: if i.by.is_empty() {
                "(dòng lệnh)".to_owned()
            } else {
                i.by
            },
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let join = |v: Vec<&str>| {
        if v.is_empty() {
            "(chưa có; đọc từ tiêu đề của tệp ở lần nhập đầu)".to_owned()
        } else {
            v.join(", ")
        }
    };
    page(
        status,
        &SessionTemplate {
            chrome: AdminChrome::new(&s.name, site, session),
            id: s.id.0,
            name: s.name.clone(),
            school_year: s.school_year.clone(),
            kind: store::exam_kind_label(&s.kind),
            rule: rule_label(s.spec.lookup),
            candidates: vntext::format_number(s.candidates),
            subjects: join(s.spec.subjects.iter().map(|x| x.name.as_str()).collect()),
            extras: s
                .spec
                .extras
                .iter()
                .map(|x| x.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            publish: publish_text(s.publish_at, now),
            publish_value: s
                .publish_at
                .map(vntext::format_datetime)
                .unwrap_or_default(),
            public_url: s
                .is_published(now)
                .then(|| format!("/tra-cuu-diem-thi?ky-thi={}", s.id)),
            imports,
            notice,
            errors,
        },
    )
}

/// `GET /quan-tri/ky-thi/{id}[?da-nhap=N&thay-doi=M|da-luu=1]`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<ExamManager>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let s = session_of_site(&state, &site, &id).await?;
    let number = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let notice = if let Some(n) = number("da-nhap") {
        let mut text = format!("Đã nhập {} thí sinh.", vntext::format_number(n));
        if let Some(c) = number("thay-doi") {
            text.push_str(&format!(
                " {} thí sinh có kết quả thay đổi so với lần nhập trước.",
                vntext::format_number(c)
            ));
        }
        Some(text)
    } else if q.contains_key("da-luu") {
        Some("Đã lưu thời điểm công bố.".to_owned())
    } else {
        None
    };
    render_session(&state, &site, &session, &s, notice, Vec::new()).await
}

/// A mapped column as the preview shows it.
struct MappingRow {
    letter: String,
    header: String,
    field: String,
    used: bool,
}

#[derive(Template)]
#[template(path = "exams/admin_preview.html")]
struct PreviewTemplate {
    chrome: AdminChrome,
    id: i64,
    name: String,
    file_name: String,
    data_rows: String,
    new_subjects: Option<String>,
    new_extras: Option<String>,
    mapping: Vec<MappingRow>,
    unmapped: Vec<String>,
    missing: Vec<String>,
    headers: Vec<String>,
    first_rows: Vec<(u32, Vec<String>)>,
    errors: Vec<String>,
    error_count: String,
    ready: Option<String>,
    token: String,
    /// The worksheet read, for a workbook.
    sheet: Option<String>,
    /// The visible worksheets to choose from (empty with one or none).
    sheets: Vec<SelectOption>,
    /// Candidates the import would remove, when more than half of the session's:
    /// the confirmation then needs its second tick.
    shrink: Option<(String, i64)>,
    /// What the confirmation lacked, when it came back.
    confirm_error: Option<String>,
}

/// What the preview page shows beyond the file itself.
#[derive(Default)]
struct PreviewExtras {
    token: Option<String>,
    shrink: Option<i64>,
    confirm_error: Option<String>,
}

fn preview_page(
    site: &CurrentSite,
    session: &SessionInfo,
    s: &ExamSession,
    file_name: &str,
    p: &PreparedImport,
    extras: PreviewExtras,
) -> Result<Response, AppError> {
    let first_import = s.spec.subjects.is_empty();
    let names = |v: Vec<&str>| (!v.is_empty()).then(|| v.join(", "));
    let errors: Vec<String> = match &p.outcome {
        Ok(_) => Vec::new(),
        Err(errs) => errs
            .iter()
            .map(|e| match (e.line, e.sbd.is_empty()) {
                (0, _) => e.reason_vi.clone(),
                (l, true) => format!("Dòng {l}: {}", e.reason_vi),
                (l, false) => format!("Dòng {l} (SBD {}): {}", e.sbd, e.reason_vi),
            })
            .collect(),
    };
    let ready = p
        .outcome
        .as_ref()
        .ok()
        .map(|c| vntext::format_number(c.len() as i64));
    let status = if errors.is_empty() && extras.confirm_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let chosen = p.sheet.clone().unwrap_or_default();
    page(
        status,
        &PreviewTemplate {
            chrome: AdminChrome::new("Xem trước kết quả thi", site, session),
            id: s.id.0,
            name: s.name.clone(),
            file_name: file_name.to_owned(),
            data_rows: vntext::format_number(p.data_rows as i64),
            new_subjects: first_import
                .then(|| names(p.spec.subjects.iter().map(|x| x.name.as_str()).collect()))
                .flatten(),
            new_extras: first_import
                .then(|| names(p.spec.extras.iter().map(|x| x.name.as_str()).collect()))
                .flatten(),
            mapping: p
                .mapping
                .describe(&p.spec)
                .into_iter()
                .map(|(letter, header, field)| MappingRow {
                    used: field != "(không dùng)",
                    letter,
                    header,
                    field,
                })
                .collect(),
            unmapped: p
                .mapping
                .unmapped()
                .iter()
                .map(|c| format!("{} ({})", c.header, c.letter()))
                .collect(),
            missing: p.mapping.missing(&p.spec),
            headers: p.headers.clone(),
            first_rows: p.first_rows.clone(),
            error_count: vntext::format_number(errors.len() as i64),
            errors,
            ready,
            token: extras.token.unwrap_or_default(),
            sheet: p.sheet.clone(),
            sheets: if p.sheets.len() > 1 {
                p.sheets
                    .iter()
                    .map(|n| SelectOption::new(n.clone(), n.clone(), &chosen))
                    .collect()
            } else {
                Vec::new()
            },
            shrink: extras.shrink.map(|n| (vntext::format_number(n), n)),
            confirm_error: extras.confirm_error,
        },
    )
}

/// The read options of the site's imports, with the worksheet chosen (none: the
/// first visible one).
fn read_options(state: &AppState, sheet: &str) -> exam::ReadOptions {
    exam::ReadOptions {
        max_cells: state.options.exam_max_cells,
        sheet: (!sheet.is_empty()).then(|| sheet.to_owned()),
    }
}

/// Reads a waiting file again (off the async threads).
async fn prepare(
    bytes: Arc<Vec<u8>>,
    file_name: String,
    s: &ExamSession,
    options: exam::ReadOptions,
) -> Result<Result<PreparedImport, String>, AppError> {
    let s = s.clone();
    tokio::task::spawn_blocking(move || prepare_import(&bytes, &file_name, &s, &options))
        .await
        .map_err(|e| AppError::Internal(format!("import preview: {e}")))
}

/// The removals of a good file that need the second confirmation.
async fn shrink_of(
    state: &AppState,
    s: &ExamSession,
    p: &PreparedImport,
) -> Result<Option<i64>, AppError> {
    let Ok(candidates) = &p.outcome else {
        return Ok(None);
    };
    let removed = store::removed_candidates(&state.store, s, candidates).await?;
    Ok(store::shrinks_too_much(s.candidates, removed).then_some(removed))
}

/// `POST /quan-tri/ky-thi/{id}/nhap` (multipart: `csrf`, then the file `tep`): reads
/// the file and shows the preview; nothing is saved. A good file waits in memory
/// for the confirmation.
pub(crate) async fn upload(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<ExamManager>,
    Path(id): Path<String>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let s = session_of_site(&state, &site, &id).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut problem = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "exam upload cut");
                problem = Some(UPLOAD_CUT.to_owned());
                break;
            }
        };
        if field.name() == Some("tep") {
            let name = exam::clean_label(field.file_name().unwrap_or("ket-qua"), 200);
            match field.bytes().await {
                Ok(b) if !b.is_empty() => file = Some((name, b.to_vec())),
                Ok(_) => {}
                Err(e) => {
                    tracing::info!(error = %e, "exam upload cut");
                    problem = Some(UPLOAD_CUT.to_owned());
                }
            }
        }
    }
    let Some((file_name, bytes)) = file else {
        let why = problem.unwrap_or_else(|| "Chưa chọn tệp kết quả để tải lên.".to_owned());
        return render_session(&state, &site, &session, &s, None, vec![why]).await;
    };
    let bytes = Arc::new(bytes);
    let prepared = prepare(
        bytes.clone(),
        file_name.clone(),
        &s,
        read_options(&state, ""),
    )
    .await?;
    let prepared = match prepared {
        Ok(p) => p,
        Err(why) => {
            return render_session(
                &state,
                &site,
                &session,
                &s,
                None,
                vec![format!("Không đọc được tệp {file_name}: {why}")],
            )
            .await;
        }
    };
    // A file waits when it can be imported, and when another of its sheets may be
    // the one to import.
    let token = (prepared.outcome.is_ok() || prepared.sheets.len() > 1).then(|| {
        state.exam_files().put(
            s.id,
            session.user.id,
            file_name.clone(),
            bytes.clone(),
            s.revision,
        )
    });
    let shrink = shrink_of(&state, &s, &prepared).await?;
    let extras = PreviewExtras {
        token,
        shrink,
        confirm_error: None,
    };
    preview_page(&site, &session, &s, &file_name, &prepared, extras)
}

const UPLOAD_CUT: &str = "Tệp gửi lên bị gián đoạn hoặc quá lớn; hãy thử lại.";
const FILE_GONE: &str =
    "Tệp xem trước không còn (đã hết hạn hoặc đã được nhập); vui lòng tải tệp lên lại.";

/// The file a form is about, waiting in memory: the session and the file, or the
/// page to answer instead (the file is gone, or an error's page).
async fn waiting_file(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    id: &str,
    form: &ConfirmForm,
) -> Result<(ExamSession, Arc<crate::exams::registry::PendingFile>), Response> {
    let s = session_of_site(state, site, id)
        .await
        .map_err(IntoResponse::into_response)?;
    match state
        .exam_files()
        .peek(form.ma.trim(), s.id, session.user.id)
    {
        Some(file) => Ok((s, file)),
        None => {
            let gone = vec![FILE_GONE.to_owned()];
            Err(render_session(state, site, session, &s, None, gone)
                .await
                .unwrap_or_else(IntoResponse::into_response))
        }
    }
}

/// `POST /quan-tri/ky-thi/{id}/xem-truoc`: the preview of another visible sheet of
/// the waiting file; nothing is saved.
pub(crate) async fn choose_sheet(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<ExamManager>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let (s, file) = match waiting_file(&state, &site, &session, &id, &form).await {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let token = form.ma.trim();
    let options = read_options(&state, &form.trang_tinh);
    let prepared = match prepare(file.bytes.clone(), file.file_name.clone(), &s, options).await? {
        Ok(p) => p,
        Err(why) => {
            let why = format!("Không đọc được tệp {}: {why}", file.file_name);
            return render_session(&state, &site, &session, &s, None, vec![why]).await;
        }
    };
    let shrink = shrink_of(&state, &s, &prepared).await?;
    let extras = PreviewExtras {
        token: Some(token.to_owned()),
        shrink,
        confirm_error: None,
    };
    preview_page(&site, &session, &s, &file.file_name, &prepared, extras)
}

/// The confirmation form (also the choice of another sheet, without the tick).
#[derive(Deserialize)]
pub(crate) struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    ma: String,
    /// The worksheet previewed.
    #[serde(default)]
    trang_tinh: String,
    /// The second confirmation of an import that removes more than half of the
    /// session's candidates: the count the page showed.
    #[serde(default)]
    dong_y_xoa: String,
}

csrf_field!(CreateForm, ConfirmForm, PublishForm);

/// `POST /quan-tri/ky-thi/{id}/xac-nhan`: saves the previewed file, all rows or none.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<ExamManager>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let (s, file) = match waiting_file(&state, &site, &session, &id, &form).await {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let refuse = |why: &str| vec![why.to_owned()];
    let token = form.ma.trim();
    if file.base_revision != s.revision {
        state.exam_files().take(token, s.id, session.user.id);
        let why = refuse(
            "Kỳ thi đã thay đổi kể từ lúc xem trước (có lần nhập khác); vui lòng tải tệp lên lại.",
        );
        return render_session(&state, &site, &session, &s, None, why).await;
    }
    let options = read_options(&state, &form.trang_tinh);
    let prepared = match prepare(file.bytes.clone(), file.file_name.clone(), &s, options).await? {
        Ok(p) if p.outcome.is_ok() => p,
        _ => {
            let why = refuse("Tệp không còn hợp lệ; vui lòng tải lên lại.");
            return render_session(&state, &site, &session, &s, None, why).await;
        }
    };
    // More than half of the session's candidates removed: only with the second
    // confirmation, which names the count the page showed.
    if let Some(removed) = shrink_of(&state, &s, &prepared).await?
        && form.dong_y_xoa.trim() != removed.to_string()
    {
        let extras = PreviewExtras {
            token: Some(token.to_owned()),
            shrink: Some(removed),
            confirm_error: Some(format!(
                "Lần nhập này sẽ xoá {} trong số {} thí sinh hiện có. Nếu đúng là như vậy, hãy đánh dấu ô xác nhận xoá rồi bấm “Xác nhận nhập” lần nữa.",
                vntext::format_number(removed),
                vntext::format_number(s.candidates)
            )),
        };
        return preview_page(&site, &session, &s, &file.file_name, &prepared, extras);
    }
    if state
        .exam_files()
        .take(token, s.id, session.user.id)
        .is_none()
    {
        return render_session(&state, &site, &session, &s, None, refuse(FILE_GONE)).await;
    }
    let Ok(rows) = prepared.outcome else {
        let why = refuse("Tệp không còn hợp lệ; vui lòng tải lên lại.");
        return render_session(&state, &site, &session, &s, None, why).await;
    };
    let candidates = (prepared.spec, rows);
    let outcome = state
        .store
        .import_exam(
            &store::ExamImport {
                session: s.id,
                site: site.site.id,
                base_revision: file.base_revision,
                spec: &candidates.0,
                candidates: &candidates.1,
                file_name: &file.file_name,
                by: Some(session.user.id),
                ip: &ip,
                progress: None,
            },
            now(),
        )
        .await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(store::Error::Stale) => {
            let why = refuse(
                "Kỳ thi đã thay đổi kể từ lúc xem trước (có lần nhập khác); vui lòng tải tệp lên lại.",
            );
            return render_session(&state, &site, &session, &s, None, why).await;
        }
        Err(e) => return Err(e.into()),
    };
    state.exams().refresh(&state.store).await?;
    state.content_changed().await?;
    let to = if s.candidates > 0 {
        format!(
            "/quan-tri/ky-thi/{}?da-nhap={}&thay-doi={}",
            s.id, outcome.rows, outcome.changed
        )
    } else {
        format!("/quan-tri/ky-thi/{}?da-nhap={}", s.id, outcome.rows)
    };
    Ok(see_other(&to))
}

/// The publish-time form.
#[derive(Deserialize)]
pub(crate) struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cong_bo: String,
}

/// `POST /quan-tri/ky-thi/{id}/cong-bo`: sets (or clears) the publish time.
pub(crate) async fn publish(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<ExamManager>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> Result<Response, AppError> {
    let s = session_of_site(&state, &site, &id).await?;
    let at = match publish_time(&form.cong_bo) {
        Ok(at) => at,
        Err(why) => return render_session(&state, &site, &session, &s, None, vec![why]).await,
    };
    state
        .store
        .set_exam_publish_at(s.id, site.site.id, at, Some(session.user.id), &ip, now())
        .await?;
    state.exams().refresh(&state.store).await?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/ky-thi/{}?da-luu=1", s.id)))
}

struct HistoryView {
    when: String,
    file: String,
    by: String,
    field: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "exams/admin_history.html")]
struct HistoryTemplate {
    chrome: AdminChrome,
    id: i64,
    name: String,
    sbd: String,
    current: Option<String>,
    rows: Vec<HistoryView>,
}

/// `GET /quan-tri/ky-thi/{id}/lich-su?sbd=…`: what changed for one candidate, import
/// after import.
pub(crate) async fn history(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<ExamManager>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let s = session_of_site(&state, &site, &id).await?;
    let sbd = exam::normalize_sbd(q.get("sbd").map_or("", String::as_str));
    let (current, rows) = if sbd.is_empty() {
        (None, Vec::new())
    } else {
        let current = state.store.exam_candidate(&s, &sbd).await?.map(|c| {
            let scores: Vec<String> = s
                .spec
                .subjects
                .iter()
                .zip(&c.scores)
                .map(|(sub, v)| {
                    format!(
                        "{}: {}",
                        sub.name,
                        v.map_or_else(|| "Vắng".to_owned(), |v| v.to_vi())
                    )
                })
                .collect();
            format!("{} – {}", c.name, scores.join("; "))
        });
        let rows = state
            .store
            .exam_history(s.id, &sbd)
            .await?
            .into_iter()
            .map(|h| HistoryView {
                when: vntext::format_datetime(h.at),
                file: h.file_name,
                by: if h.by.is_empty() {
                    "(dòng lệnh)".to_owned()
                } else {
                    h.by
                },
                field: h.field,
                before: h.before.unwrap_or_default(),
                after: h.after.unwrap_or_default(),
            })
            .collect();
        (current, rows)
    };
    page(
        StatusCode::OK,
        &HistoryTemplate {
            chrome: AdminChrome::new("Lịch sử thay đổi", &site, &session),
            id: s.id.0,
            name: s.name.clone(),
            sbd,
            current,
            rows,
        },
    )
}
