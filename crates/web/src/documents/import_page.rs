//! `/quan-tri/van-ban/nhap`: an editor uploads a sheet of existing documents and a
//! ZIP of their files, sees the preview (counts, the first rows, every bad row,
//! the names the site's lists will gain) with nothing saved, and confirms. The
//! upload waits in memory for the confirmation (30 minutes, two at a time), so the
//! preview and the confirmation must reach the same instance, as the exam import's.

use super::import::{self, FileSet, Preview, Target};
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{ClientIp, CsrfForm, CsrfMultipart, Editor, SiteRole, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::{SiteId, UserId};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::SessionInfo;

/// How long an upload waits for its confirmation.
const WAIT_FOR: Duration = Duration::from_secs(30 * 60);
/// Uploads waiting at once (a ZIP may be large).
const MAX_WAITING: usize = 2;
/// Rows shown in the preview.
const FIRST_ROWS: usize = 10;

/// An upload waiting for its confirmation.
pub(crate) struct Waiting {
    site: SiteId,
    user: UserId,
    sheet_name: String,
    sheet: bytes::Bytes,
    zip: Option<(String, bytes::Bytes)>,
    publish: bool,
    at: Instant,
}

/// The uploads waiting, by token.
#[derive(Default)]
pub(crate) struct WaitingImports {
    waiting: Mutex<HashMap<String, Arc<Waiting>>>,
}

impl WaitingImports {
    fn put(&self, w: Waiting) -> String {
        let token = crate::accounts::auth::random_token();
        let mut all = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        all.retain(|_, w| w.at.elapsed() < WAIT_FOR);
        while all.len() >= MAX_WAITING {
            let Some(oldest) = all.iter().min_by_key(|(_, w)| w.at).map(|(k, _)| k.clone()) else {
                break;
            };
            all.remove(&oldest);
        }
        all.insert(token.clone(), Arc::new(w));
        token
    }

    fn take(&self, token: &str, site: SiteId, user: UserId) -> Option<Arc<Waiting>> {
        let mut all = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let found = all.get(token)?;
        if found.site != site || found.user != user || found.at.elapsed() >= WAIT_FOR {
            return None;
        }
        all.remove(token)
    }
}

impl AppState {
    fn document_imports(&self) -> &WaitingImports {
        self.part::<WaitingImports>()
    }
}

/// A row as the preview shows it.
pub(crate) struct ShownRow {
    pub line: u32,
    pub number: String,
    pub summary: String,
    pub issued: String,
    pub kind: String,
    pub issuer: String,
    pub files: String,
}

#[derive(Template)]
#[template(path = "documents/admin_import.html")]
pub(crate) struct ImportTemplate {
    pub chrome: AdminChrome,
    pub errors: Vec<String>,
    /// The preview, once a sheet was read.
    pub previewed: bool,
    pub sheet_name: String,
    pub read: String,
    pub good: String,
    pub files: String,
    pub rows: Vec<ShownRow>,
    pub more_rows: String,
    pub problems: Vec<String>,
    pub new_terms: Vec<String>,
    /// The token of an upload ready to import.
    pub token: Option<String>,
    pub publish: bool,
    pub limit: String,
}

fn template(site: &CurrentSite, session: &SessionInfo, state: &AppState) -> ImportTemplate {
    ImportTemplate {
        chrome: AdminChrome::new("Nhập văn bản", site, session),
        errors: Vec::new(),
        previewed: false,
        sheet_name: String::new(),
        read: String::new(),
        good: String::new(),
        files: String::new(),
        rows: Vec::new(),
        more_rows: String::new(),
        problems: Vec::new(),
        new_terms: Vec::new(),
        token: None,
        publish: true,
        limit: crate::media::admin::human_size(upload_limit(state) as i64),
    }
}

/// The largest upload (sheet and ZIP together).
pub(crate) fn upload_limit(state: &AppState) -> usize {
    usize::try_from(state.options.media_limits.document_bytes.saturating_mul(10))
        .unwrap_or(usize::MAX)
        .saturating_add(1 << 24)
}

/// `GET /quan-tri/van-ban/nhap`
pub(crate) async fn form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Editor>,
) -> Result<Response, AppError> {
    page(StatusCode::OK, &template(&site, &session, &state))
}

fn with_preview(mut t: ImportTemplate, p: &Preview) -> ImportTemplate {
    t.previewed = true;
    t.read = vntext::format_number(p.read as i64);
    t.good = vntext::format_number(p.rows.len() as i64);
    t.files = vntext::format_number(p.files as i64);
    t.rows = p
        .rows
        .iter()
        .take(FIRST_ROWS)
        .map(|r| ShownRow {
            line: r.line,
            number: r.doc.draft.number.clone(),
            summary: r.doc.draft.summary.clone(),
            issued: vntext::format_iso_date(&r.doc.dates.issued_on).unwrap_or_default(),
            kind: r.doc.kind.clone(),
            issuer: r.doc.issuer.clone(),
            files: r
                .files
                .iter()
                .map(|f| f.1.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    if p.rows.len() > FIRST_ROWS {
        t.more_rows = vntext::format_number((p.rows.len() - FIRST_ROWS) as i64);
    }
    t.problems = p.problems.clone();
    t.new_terms = p.new_terms.clone();
    t
}

/// Opens a waiting upload's files and reads its sheet again.
async fn prepare(
    state: &AppState,
    site: SiteId,
    w: &Waiting,
) -> Result<Result<(Preview, Arc<FileSet>), String>, AppError> {
    let limits = state.options.media_limits;
    let files = match &w.zip {
        Some((name, bytes)) => {
            let (bytes, name) = (bytes.clone(), name.clone());
            match tokio::task::spawn_blocking(move || FileSet::zip(bytes, &name, &limits)).await {
                Ok(Ok(set)) => set,
                Ok(Err(why)) => return Ok(Err(why)),
                Err(_) => return Ok(Err("Không mở được tệp ZIP.".to_owned())),
            }
        }
        None => FileSet::empty(),
    };
    let files = Arc::new(files);
    let preview = import::preview(
        &state.store,
        site,
        w.sheet.clone(),
        &w.sheet_name,
        files.clone(),
        limits,
    )
    .await?;
    Ok(Ok((preview, files)))
}

/// `POST /quan-tri/van-ban/nhap` (multipart: `csrf`, then `bang`, `zip`,
/// `trang_thai`): the preview; nothing is saved.
pub(crate) async fn upload(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Editor>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let mut t = template(&site, &session, &state);
    let mut sheet = None;
    let mut zip = None;
    let mut publish = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                t.errors.push(format!(
                    "Tệp gửi lên bị gián đoạn hoặc quá lớn (tối đa {}); hãy thử lại, hoặc nhập bằng dòng lệnh.",
                    t.limit
                ));
                return page(StatusCode::UNPROCESSABLE_ENTITY, &t);
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = vntext::clean_line(field.file_name().unwrap_or_default());
        match name.as_str() {
            "bang" | "zip" => {
                let Ok(bytes) = field.bytes().await else {
                    t.errors.push(format!(
                        "Tệp gửi lên bị gián đoạn hoặc quá lớn (tối đa {}); hãy thử lại.",
                        t.limit
                    ));
                    return page(StatusCode::UNPROCESSABLE_ENTITY, &t);
                };
                if bytes.is_empty() {
                    continue;
                }
                if name == "bang" {
                    sheet = Some((file_name, bytes));
                } else {
                    zip = Some((file_name, bytes));
                }
            }
            "trang_thai" => publish = field.text().await.unwrap_or_default() == "dang",
            _ => {}
        }
    }
    t.publish = publish;
    let Some((sheet_name, sheet)) = sheet else {
        t.errors
            .push("Chưa chọn bảng danh sách văn bản (XLSX, XLS, ODS hoặc CSV).".to_owned());
        return page(StatusCode::UNPROCESSABLE_ENTITY, &t);
    };
    let waiting = Waiting {
        site: site.site.id,
        user: session.user.id,
        sheet_name: sheet_name.clone(),
        sheet,
        zip,
        publish,
        at: Instant::now(),
    };
    t.sheet_name = sheet_name;
    let (preview, _) = match prepare(&state, site.site.id, &waiting).await? {
        Ok(ready) => ready,
        Err(why) => {
            t.errors.push(why);
            return page(StatusCode::UNPROCESSABLE_ENTITY, &t);
        }
    };
    let good = preview.is_good();
    let mut t = with_preview(t, &preview);
    if good {
        t.token = Some(state.document_imports().put(waiting));
    }
    page(
        if good {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &t,
    )
}

/// The confirmation.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ConfirmForm {
    csrf: String,
    ma: String,
}
csrf_field!(ConfirmForm);

/// `POST /quan-tri/van-ban/nhap/xac-nhan`: reads the waiting upload again (the
/// site may have changed since the preview) and imports it, all rows or none.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Editor>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let mut t = template(&site, &session, &state);
    let Some(waiting) =
        state
            .document_imports()
            .take(form.ma.trim(), site.site.id, session.user.id)
    else {
        t.errors.push(
            "Bản xem trước không còn (đã hết hạn hoặc đã được nhập); vui lòng tải tệp lên lại."
                .to_owned(),
        );
        return page(StatusCode::UNPROCESSABLE_ENTITY, &t);
    };
    t.sheet_name = waiting.sheet_name.clone();
    t.publish = waiting.publish;
    let (preview, files) = match prepare(&state, site.site.id, &waiting).await? {
        Ok(ready) => ready,
        Err(why) => {
            t.errors.push(why);
            return page(StatusCode::UNPROCESSABLE_ENTITY, &t);
        }
    };
    if !preview.is_good() {
        t.errors
            .push("Trang đã thay đổi từ lúc xem trước; chưa nhập gì cả.".to_owned());
        return page(StatusCode::UNPROCESSABLE_ENTITY, &with_preview(t, &preview));
    }
    let target = Target {
        store: &state.store,
        site: site.site.id,
        site_key: &site.site.key,
        media_dir: &state.options.media_dir,
        publish: waiting.publish,
        by: Some(session.user.id),
        ip: &ip,
        sheet_name: &waiting.sheet_name,
    };
    match import::write(&target, &preview, files, now()).await {
        Ok(n) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/van-ban?da-nhap={n}")))
        }
        Err(import::WriteError::File(why)) => {
            t.errors.push(format!("{why}. Chưa nhập gì cả."));
            page(StatusCode::UNPROCESSABLE_ENTITY, &with_preview(t, &preview))
        }
        Err(import::WriteError::Store(store::Error::Conflict(_))) => {
            t.errors.push(
                "Trong lúc nhập, trang vừa có văn bản trùng số/ký hiệu; chưa nhập gì cả. Hãy tải tệp lên lại."
                    .to_owned(),
            );
            page(StatusCode::UNPROCESSABLE_ENTITY, &t)
        }
        Err(import::WriteError::Store(e)) => Err(e.into()),
    }
}
