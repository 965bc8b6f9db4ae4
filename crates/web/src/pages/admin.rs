//! `/quan-tri/trang`: the site's static pages, for its administrators. The editor
//! is the articles' (the shared rich-text field and `admin.js`), the body goes
//! through the same sanitiser and pasted images become the site's files; every
//! save names the revision it started from and is kept in the page's history.

use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{Admin, ClientIp, CsrfForm, SiteRole, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::revisions::{RevisionDiff, RevisionsTemplate, Saved, body_text, field};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Page, PageDraft, PageId, PageRevision, SafeHtml};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, PageSave, SessionInfo};

/// A line of the list of pages.
pub(crate) struct PageRow {
    pub title: String,
    pub edit_url: String,
    pub path: String,
    pub published: bool,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "pages/admin_list.html")]
pub(crate) struct PageListTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<PageRow>,
    pub notice: Option<String>,
}

/// The editor's fields as shown.
#[derive(Default)]
pub(crate) struct PageValues {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub body: String,
    pub published: bool,
    pub revision: String,
}

#[derive(Template)]
#[template(path = "pages/admin_edit.html")]
pub(crate) struct PageEditTemplate {
    pub chrome: AdminChrome,
    pub heading: String,
    pub action_url: String,
    pub values: PageValues,
    pub public_url: Option<String>,
    pub revisions_url: Option<String>,
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub existing: bool,
}

/// What the editor sends.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PageForm {
    csrf: String,
    /// "luu" or "xoa".
    action: String,
    revision: String,
    title: String,
    slug: String,
    description: String,
    body: String,
    published: String,
}

/// The form to restore a revision.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RestoreForm {
    csrf: String,
    revision: String,
}
csrf_field!(PageForm, RestoreForm);

impl PageForm {
    fn values(&self) -> PageValues {
        PageValues {
            title: vntext::nfc(&self.title),
            slug: vntext::nfc(&self.slug),
            description: vntext::nfc(&self.description),
            body: vntext::nfc(&self.body),
            published: !self.published.is_empty(),
            revision: self.revision.trim().to_owned(),
        }
    }
}

fn values_of(p: &Page) -> PageValues {
    PageValues {
        title: p.title.clone(),
        slug: p.slug.clone(),
        description: p.description.clone(),
        body: p.body.as_str().to_owned(),
        published: p.published,
        revision: p.revision.to_string(),
    }
}

/// The page's draft from the form, with pasted images stored as the site's files
/// (the form then shows them by address), and what is wrong with it.
async fn prepare(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    form: &mut PageForm,
) -> Result<(PageDraft, Vec<String>), AppError> {
    let mut problems =
        crate::media::uploads::keep_pasted_images(state, site, session.user.id, &mut form.body)
            .await?;
    let draft = PageDraft {
        slug: form.slug.clone(),
        title: vntext::clean_line(&form.title),
        description: vntext::clean_line(&form.description),
        body: crate::media::uploads::enrich_images(
            state,
            site.site.id,
            SafeHtml::sanitize(&form.body),
        )
        .await?,
        published: !form.published.is_empty(),
    };
    problems.extend(draft.problems());
    Ok((draft, problems))
}

fn slug_taken(slug: &str) -> String {
    format!("Đường dẫn “{slug}” đã có trang khác dùng; hãy sửa đường dẫn hoặc tiêu đề.")
}

struct Screen {
    heading: String,
    action_url: String,
    page: Option<Page>,
    errors: Vec<String>,
    notice: Option<String>,
}

fn render(
    site: &CurrentSite,
    session: &SessionInfo,
    values: PageValues,
    screen: Screen,
    status: StatusCode,
) -> Result<Response, AppError> {
    let p = screen.page.as_ref();
    page(
        status,
        &PageEditTemplate {
            chrome: AdminChrome::new(&screen.heading, site, session).with_editor(),
            heading: screen.heading,
            action_url: screen.action_url,
            public_url: p.filter(|p| p.published).map(Page::path),
            revisions_url: p.map(|p| format!("/quan-tri/trang/{}/phien-ban", p.id)),
            existing: p.is_some(),
            errors: screen.errors,
            notice: screen.notice,
            values,
        },
    )
}

fn new_screen(errors: Vec<String>) -> Screen {
    Screen {
        heading: "Trang mới".into(),
        action_url: "/quan-tri/trang/moi".into(),
        page: None,
        errors,
        notice: None,
    }
}

fn edit_screen(p: &Page, errors: Vec<String>) -> Screen {
    Screen {
        heading: format!("Sửa trang: {}", p.title),
        action_url: format!("/quan-tri/trang/{}", p.id),
        page: Some(p.clone()),
        errors,
        notice: None,
    }
}

async fn load(state: &AppState, site: &CurrentSite, id: i64) -> Result<Page, AppError> {
    state
        .store
        .page(site.site.id, PageId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /quan-tri/trang`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let rows = state
        .store
        .page_links(site.site.id)
        .await?
        .into_iter()
        .map(|p| PageRow {
            edit_url: format!("/quan-tri/trang/{}", p.id),
            path: domain::page_path(&p.slug),
            title: p.title,
            published: p.published,
            updated: vntext::format_datetime(p.updated_at),
        })
        .collect();
    page(
        StatusCode::OK,
        &PageListTemplate {
            chrome: AdminChrome::new("Trang", &site, &session),
            rows,
            notice: q.contains_key("da-xoa").then(|| "Đã xoá trang.".to_owned()),
        },
    )
}

/// `GET /quan-tri/trang/moi`
pub(crate) async fn new_form(
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
) -> Result<Response, AppError> {
    let values = PageValues {
        published: true,
        ..PageValues::default()
    };
    render(
        &site,
        &session,
        values,
        new_screen(Vec::new()),
        StatusCode::OK,
    )
}

/// `POST /quan-tri/trang/moi`
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    CsrfForm(mut form): CsrfForm<PageForm>,
) -> Result<Response, AppError> {
    let (draft, errors) = prepare(&state, &site, &session, &mut form).await?;
    let refuse = |errors: Vec<String>, values: PageValues| {
        render(
            &site,
            &session,
            values,
            new_screen(errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if !errors.is_empty() {
        return refuse(errors, form.values());
    }
    let audit = AuditNote {
        user: Some(session.user.id),
        action: "tạo trang",
        ip: &ip,
    };
    match state
        .store
        .create_page(site.site.id, &draft, Some(audit), now())
        .await
    {
        Ok(id) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/trang/{id}?da-luu=1")))
        }
        Err(store::Error::Conflict(_)) => {
            refuse(vec![slug_taken(&draft.effective_slug())], form.values())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /quan-tri/trang/{id}`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let p = load(&state, &site, id).await?;
    let mut screen = edit_screen(&p, Vec::new());
    screen.notice = q.contains_key("da-luu").then(|| {
        if p.published {
            "Đã lưu. Bạn đọc đã thấy nội dung mới.".to_owned()
        } else {
            "Đã lưu. Trang đang là bản nháp: bạn đọc chưa thấy.".to_owned()
        }
    });
    render(&site, &session, values_of(&p), screen, StatusCode::OK)
}

/// `POST /quan-tri/trang/{id}`: save, or delete.
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
    CsrfForm(mut form): CsrfForm<PageForm>,
) -> Result<Response, AppError> {
    let p = load(&state, &site, id).await?;
    let now = now();
    if form.action == "xoa" {
        let audit = AuditNote {
            user: Some(session.user.id),
            action: "xoá trang",
            ip: &ip,
        };
        state
            .store
            .delete_page(site.site.id, p.id, audit, now)
            .await?;
        state.content_changed().await?;
        return Ok(see_other("/quan-tri/trang?da-xoa=1"));
    }
    let (draft, mut errors) = prepare(&state, &site, &session, &mut form).await?;
    let refuse = |errors: Vec<String>, values: PageValues| {
        render(
            &site,
            &session,
            values,
            edit_screen(&p, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Ok(base_revision) = form.revision.trim().parse::<i64>() else {
        errors.push("Biểu mẫu thiếu số phiên bản; hãy tải lại trang.".into());
        return refuse(errors, form.values());
    };
    if !errors.is_empty() {
        return refuse(errors, form.values());
    }
    let save = PageSave {
        site: site.site.id,
        id: p.id,
        base_revision,
        draft: &draft,
        by: session.user.id,
        note: "sửa trang",
        ip: &ip,
    };
    match state.store.save_page(&save, now).await {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/trang/{}?da-luu=1", p.id)))
        }
        Err(store::Error::Stale) => {
            let mut values = form.values();
            // Saving again now is a deliberate choice to replace the newer version.
            values.revision = p.revision.to_string();
            refuse(
                vec![format!(
                    "Trang này đã được lưu lúc {}, sau khi bạn mở. Thay đổi của bạn CHƯA được lưu và vẫn còn nguyên trong biểu mẫu dưới đây. Hãy xem bản mới (Lịch sử phiên bản) rồi quyết định: bấm lưu lần nữa sẽ thay bản mới bằng bản của bạn.",
                    vntext::format_datetime(p.updated_at)
                )],
                values,
            )
        }
        Err(store::Error::Conflict(_)) => {
            refuse(vec![slug_taken(&draft.effective_slug())], form.values())
        }
        Err(e) => Err(e.into()),
    }
}

impl Saved for PageRevision {
    fn saved(&self) -> (i64, i64, &str, &str) {
        (self.number, self.saved_at, &self.saved_by, &self.note)
    }
}

/// What a page's revision changed from the one before.
fn revision_diff(before: Option<&PageRevision>, this: &PageRevision) -> RevisionDiff {
    let old = |f: fn(&PageRevision) -> String| before.map(f).unwrap_or_default();
    RevisionDiff {
        number: this.number,
        before: before.map(|r| r.number),
        fields: vec![
            field("Tiêu đề", &old(|r| r.title.clone()), &this.title),
            field("Đường dẫn", &old(|r| r.slug.clone()), &this.slug),
            field("Mô tả", &old(|r| r.description.clone()), &this.description),
            field(
                "Nội dung",
                &old(|r| body_text(r.body.as_str())),
                &body_text(this.body.as_str()),
            ),
        ],
    }
}

/// `GET /quan-tri/trang/{id}/phien-ban[?xem=N]`
pub(crate) async fn revisions(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let p = load(&state, &site, id).await?;
    let all = state.store.page_revisions(site.site.id, p.id, None).await?;
    let shown = crate::platform::revisions::shown(&all, q.get("xem"));
    let edit_url = format!("/quan-tri/trang/{}", p.id);
    page(
        StatusCode::OK,
        &RevisionsTemplate {
            chrome: AdminChrome::new("Lịch sử phiên bản", &site, &session),
            title: p.title.clone(),
            back_label: "Quay lại sửa trang",
            current: p.revision,
            revision: p.revision.to_string(),
            shown: shown.map_or(0, |(_, this)| this.number),
            may_restore: true,
            rows: crate::platform::revisions::rows(&all, &edit_url),
            diff: shown.map(|(before, this)| revision_diff(before, this)),
            edit_url,
        },
    )
}

/// `POST /quan-tri/trang/{id}/phien-ban/{n}/khoi-phuc`: revision `n`'s text
/// becomes the page's again, as a new revision.
pub(crate) async fn restore(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path((id, number)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<Response, AppError> {
    let p = load(&state, &site, id).await?;
    let Some(old) = state
        .store
        .page_revisions(site.site.id, p.id, Some(number))
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::NotFound);
    };
    let draft = PageDraft {
        slug: old.slug,
        title: old.title,
        description: old.description,
        body: old.body,
        published: p.published,
    };
    let note = format!("khôi phục phiên bản {number}");
    let save = PageSave {
        site: site.site.id,
        id: p.id,
        base_revision: form.revision.trim().parse().unwrap_or(p.revision),
        draft: &draft,
        by: session.user.id,
        note: &note,
        ip: &ip,
    };
    match state.store.save_page(&save, now()).await {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/trang/{}?da-luu=1", p.id)))
        }
        Err(store::Error::Stale) => Ok(see_other(&format!(
            "/quan-tri/trang/{}/phien-ban?xem={number}",
            p.id
        ))),
        Err(store::Error::Conflict(_)) => Err(AppError::forbidden(slug_taken(&draft.slug))),
        Err(e) => Err(e.into()),
    }
}
