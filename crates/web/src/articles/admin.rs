//! `/quan-tri/bai-viet`: writing, approving and publishing articles.
//!
//! One form does everything: its buttons say what to do with the text (save, submit,
//! publish or schedule, reject, unpublish, delete), and the workflow rules in
//! `domain` decide who may press which. A save names the revision the form was
//! opened at, so a save over someone else's newer one is refused with the text kept.

use crate::articles::views::{
    ArticleEditTemplate, ArticleListTemplate, ArticleRowView, Button, CoverChoice, FormValues,
};
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::ClientIp;
use crate::platform::extract::{CsrfForm, SiteRole, Writer, csrf_field};
use crate::platform::layout::{AdminChrome, PagerView, SelectOption};
use crate::platform::revisions::RevisionsTemplate;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{
    ArticleAction, ArticleDraft, ArticleId, ArticleStatus, CategoryId, EditableArticle, MediaId,
    NewArticle, PageNumber, Pager, Role, SafeHtml, UserId, next_status, offered_actions,
};
use serde::Deserialize;
use std::collections::HashMap;
use store::{ArticleFilter, ArticleSave, SessionInfo};

/// Articles per page of the back office's list.
const PER_PAGE: u32 = 20;

/// `GET /quan-tri/bai-viet`: the list, with filters and pages.
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Writer>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
    let (status, category, author, from, to, title) = (
        get("trang-thai"),
        get("chuyen-muc"),
        get("tac-gia"),
        get("tu-ngay"),
        get("den-ngay"),
        get("q"),
    );
    let mut notes = Vec::new();
    let day = |s: &str, end: bool, notes: &mut Vec<String>| -> Option<i64> {
        if s.is_empty() {
            return None;
        }
        match vntext::parse_date_any(s).and_then(|d| vntext::day_bounds(&d)) {
            Some((start, stop)) => Some(if end { stop } else { start }),
            None => {
                notes.push(format!(
                    "Ngày “{s}” không đọc được; hãy nhập theo dạng dd/mm/yyyy. Bộ lọc này được bỏ qua."
                ));
                None
            }
        }
    };
    let filter = ArticleFilter {
        status: ArticleStatus::parse(&status),
        category: category.parse().ok().map(CategoryId),
        author: author.parse().ok().map(UserId),
        from: day(&from, false, &mut notes),
        to: day(&to, true, &mut notes),
        title: title.clone(),
    };
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let (rows, total) = state
        .store
        .admin_articles(
            site.site.id,
            &filter,
            i64::from(PER_PAGE),
            page_no.offset(PER_PAGE),
        )
        .await?;
    // The filters as a query string, for the pager's links.
    let query: String = [
        ("trang-thai", &status),
        ("chuyen-muc", &category),
        ("tac-gia", &author),
        ("tu-ngay", &from),
        ("den-ngay", &to),
        ("q", &title),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", crate::platform::layout::percent_encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let base = if query.is_empty() {
        "/quan-tri/bai-viet".to_owned()
    } else {
        format!("/quan-tri/bai-viet?{query}")
    };
    let pager = Pager::new(total, PER_PAGE, page_no).and_then(|p| PagerView::new(&p, &base, ""));
    let authors = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| !u.is_super && u.role_on(site.site.id).is_some())
        .map(|u| SelectOption::new(u.id.0.to_string(), u.full_name, &author))
        .collect();
    let counts = state.store.article_status_counts(site.site.id).await?;
    let statuses = ArticleStatus::ALL
        .iter()
        .map(|s| {
            let n = counts
                .iter()
                .find(|(c, _)| c == s)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            SelectOption::new(
                s.as_str().to_owned(),
                format!("{} ({})", s.label(), vntext::format_number(n)),
                &status,
            )
        })
        .collect();
    page(
        StatusCode::OK,
        &ArticleListTemplate {
            chrome: AdminChrome::new("Bài viết", &site, &session),
            rows: rows
                .iter()
                .map(|r| ArticleRowView {
                    url: format!("/quan-tri/bai-viet/{}", r.id),
                    title: r.title.clone(),
                    status: r.status.label(),
                    status_key: r.status.as_str(),
                    category: r.category_name.clone(),
                    author: r.author_name.clone(),
                    date: vntext::format_datetime(r.published_at),
                    featured: r.featured,
                })
                .collect(),
            total: vntext::format_number(total),
            statuses,
            categories: category_options(&site, &category),
            authors,
            from,
            to,
            title,
            notes,
            pager,
        },
    )
}

fn category_options(site: &CurrentSite, selected: &str) -> Vec<SelectOption> {
    site.categories
        .iter()
        .map(|c| SelectOption::new(c.id.0.to_string(), c.name.clone(), selected))
        .collect()
}

/// What the editor's form sends.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct ArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    revision: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    featured: String,
    #[serde(default)]
    publish_at: String,
    #[serde(default)]
    expires_at: String,
    #[serde(default)]
    reject_reason: String,
    #[serde(default)]
    cover: String,
    /// The gallery's checkboxes (`anh-<id>`) and captions (`chu-thich-<id>`).
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

impl ArticleForm {
    /// The values to show again, as typed (NFC).
    fn values(&self) -> FormValues {
        FormValues {
            title: vntext::nfc(&self.title),
            slug: vntext::nfc(&self.slug),
            category: self.category.clone(),
            summary: vntext::nfc(&self.summary),
            body: vntext::nfc(&self.body),
            author: vntext::nfc(&self.author),
            source: vntext::nfc(&self.source),
            featured: !self.featured.is_empty(),
            publish_at: self.publish_at.trim().to_owned(),
            expires_at: self.expires_at.trim().to_owned(),
            reject_reason: vntext::nfc(&self.reject_reason),
            cover: self.cover.trim().to_owned(),
            revision: self.revision.trim().to_owned(),
            gallery: self
                .gallery()
                .into_iter()
                .map(|(id, caption)| (id.0.to_string(), caption))
                .collect(),
        }
    }

    /// The photos ticked for the gallery with their captions, oldest upload first.
    fn gallery(&self) -> Vec<(MediaId, String)> {
        let mut out: Vec<(MediaId, String)> = self
            .rest
            .iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix("anh-")?.parse().ok()?;
                (!v.is_empty()).then_some(MediaId(id))
            })
            .map(|id| {
                let caption = self
                    .rest
                    .get(&format!("chu-thich-{}", id.0))
                    .map(|c| vntext::clean_line(c))
                    .unwrap_or_default();
                (id, caption)
            })
            .collect();
        out.sort_by_key(|(id, _)| *id);
        out
    }

    /// The draft it describes, and what is wrong with it.
    fn draft(&self, site: &CurrentSite) -> (ArticleDraft, Vec<String>) {
        let mut problems = Vec::new();
        let mut time = |raw: &str, what: &str| -> Option<i64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let t = vntext::parse_local_datetime_any(raw);
            if t.is_none() {
                problems.push(format!(
                    "{what} “{raw}” không đọc được; hãy nhập theo dạng dd/mm/yyyy hh:mm, ví dụ 01/12/2026 08:00."
                ));
            }
            t
        };
        let publish_at = time(&self.publish_at, "Thời điểm đăng");
        let expires_at = time(&self.expires_at, "Thời điểm hết hạn");
        let category = self
            .category
            .parse()
            .ok()
            .map(CategoryId)
            .filter(|id| site.categories.iter().any(|c| c.id == *id));
        let draft = ArticleDraft {
            category_id: category,
            slug: self.slug.clone(),
            title: vntext::clean_line(&self.title),
            summary: vntext::clean_line(&self.summary),
            body: SafeHtml::sanitize(&self.body),
            author: vntext::clean_line(&self.author),
            source: vntext::clean_line(&self.source),
            cover: self.cover.trim().parse().ok().map(MediaId),
            featured: !self.featured.is_empty(),
            publish_at,
            expires_at,
            gallery: self.gallery(),
        };
        problems.extend(draft.problems().into_iter().map(|(_, m)| m.to_owned()));
        (draft, problems)
    }
}

/// What the form shows besides the values.
struct Screen {
    heading: String,
    action_url: String,
    status: Option<ArticleStatus>,
    buttons: Vec<ArticleAction>,
    errors: Vec<String>,
    notice: Option<String>,
    warning: Option<String>,
    article: Option<EditableArticle>,
    /// Images to choose the cover from.
    covers: Vec<CoverChoice>,
}

fn render_form(
    site: &CurrentSite,
    session: &SessionInfo,
    values: FormValues,
    screen: Screen,
    status_code: StatusCode,
) -> Result<Response, AppError> {
    let chrome = AdminChrome::new(&screen.heading, site, session).with_editor();
    let a = screen.article.as_ref();
    let buttons = screen
        .buttons
        .iter()
        .map(|b| Button::for_action(*b, values.publish_at.trim().is_empty()))
        .collect::<Vec<_>>();
    page(
        status_code,
        &ArticleEditTemplate {
            chrome,
            heading: screen.heading,
            action_url: screen.action_url,
            categories: category_options(site, &values.category),
            read_only: buttons.is_empty(),
            show_reject: screen.buttons.contains(&ArticleAction::Reject),
            buttons,
            status: screen.status.map(|s| s.label()).unwrap_or("Bài mới"),
            public_url: a
                .filter(|a| a.status == ArticleStatus::Published)
                .map(|a| a.path()),
            revisions_url: a.map(|a| format!("/quan-tri/bai-viet/{}/phien-ban", a.id)),
            rejected_because: a
                .filter(|a| a.status == ArticleStatus::Rejected && !a.reject_reason.is_empty())
                .map(|a| a.reject_reason.clone()),
            created: a.map(|a| vntext::format_datetime(a.created_at)),
            updated: a.and_then(|a| a.updated_at).map(vntext::format_datetime),
            errors: screen.errors,
            notice: screen.notice,
            warning: screen.warning,
            covers: screen.covers,
            values,
        },
    )
}

/// `GET /quan-tri/bai-viet/moi`
pub(crate) async fn new_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
) -> Result<Response, AppError> {
    let values = FormValues {
        category: site
            .categories
            .first()
            .map(|c| c.id.0.to_string())
            .unwrap_or_default(),
        ..FormValues::default()
    };
    let mut screen = new_screen(role, Vec::new());
    screen.covers = cover_choices(&state, &site, None).await?;
    render_form(&site, &session, values, screen, StatusCode::OK)
}

fn new_screen(role: Role, errors: Vec<String>) -> Screen {
    Screen {
        heading: "Viết bài mới".into(),
        action_url: "/quan-tri/bai-viet/moi".into(),
        status: None,
        buttons: offered_actions(ArticleStatus::Draft, role, true)
            .into_iter()
            .filter(|a| *a != ArticleAction::Delete)
            .collect(),
        errors,
        notice: None,
        warning: None,
        article: None,
        covers: Vec::new(),
    }
}

/// `POST /quan-tri/bai-viet/moi`
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    CsrfForm(mut form): CsrfForm<ArticleForm>,
) -> Result<Response, AppError> {
    let action = ArticleAction::parse(&form.action).unwrap_or(ArticleAction::Save);
    let (draft, mut errors) = prepare(&state, &site, &session, &mut form).await?;
    let covers = cover_choices(&state, &site, chosen(&draft)).await?;
    let now = now();
    let publish_at = draft.publish_at.unwrap_or(now);
    let status = match next_status(
        ArticleStatus::Draft,
        action,
        role,
        true,
        publish_at,
        now,
        true,
    ) {
        Ok(s) => s,
        Err(e) => {
            errors.push(e.to_string());
            ArticleStatus::Draft
        }
    };
    if !errors.is_empty() {
        let mut screen = new_screen(role, errors);
        screen.covers = covers;
        return render_form(
            &site,
            &session,
            form.values(),
            screen,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let Some(category) = draft.category_id else {
        return Err(AppError::NotFound);
    };
    let mut new = NewArticle::new(
        site.site.id,
        category,
        &draft.title,
        &draft.summary,
        draft.body.clone(),
        publish_at,
    );
    new.slug = draft.effective_slug();
    new.author = draft.author.clone();
    new.source = (!draft.source.is_empty()).then(|| draft.source.clone());
    new.cover = draft.cover;
    new.featured = draft.featured;
    new.status = status;
    new.author_id = Some(session.user.id);
    new.expires_at = draft.expires_at;
    new.gallery = draft.gallery.clone();
    let label = if action == ArticleAction::Save {
        "tạo bài viết"
    } else {
        action.audit_label()
    };
    // The article and its audit entry: one transaction.
    let audit = store::AuditNote {
        user: Some(session.user.id),
        action: label,
        ip: &ip,
    };
    let id = match state
        .store
        .create_article_with_audit(&new, audit, now)
        .await
    {
        Ok(id) => id,
        Err(store::Error::Conflict(_)) => {
            let mut screen = new_screen(role, vec![slug_taken(&new.slug)]);
            screen.covers = covers;
            return render_form(
                &site,
                &session,
                form.values(),
                screen,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Err(e) => return Err(e.into()),
    };
    state.content_changed().await?;
    Ok(see_other(&format!(
        "/quan-tri/bai-viet/{id}?da-luu={}",
        action.as_str()
    )))
}

fn slug_taken(slug: &str) -> String {
    format!("Đường dẫn “{slug}” đã có bài khác dùng; hãy sửa đường dẫn hoặc tiêu đề.")
}

/// The form's draft, with the images pasted into the body stored as files of the
/// site and the body's images given their sizes; and what is wrong with it.
async fn prepare(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    form: &mut ArticleForm,
) -> Result<(ArticleDraft, Vec<String>), AppError> {
    // The form shows the body with its pasted images already stored.
    let mut problems =
        crate::media::uploads::keep_pasted_images(state, site, session.user.id, &mut form.body)
            .await?;
    let (mut draft, errors) = form.draft(site);
    problems.extend(errors);
    if let Some(cover) = draft.cover
        && state.store.image(site.site.id, cover).await?.is_none()
    {
        problems.push("Ảnh đại diện đã chọn không phải ảnh của trang này.".into());
        draft.cover = None;
    }
    let mut gallery = Vec::with_capacity(draft.gallery.len());
    for (id, caption) in std::mem::take(&mut draft.gallery) {
        if state.store.image(site.site.id, id).await?.is_some() {
            gallery.push((id, caption));
        } else {
            problems.push(format!(
                "Ảnh mã {id} không phải ảnh của trang này; đã bỏ khỏi thư viện ảnh."
            ));
        }
    }
    draft.gallery = gallery;
    draft.body = crate::media::uploads::enrich_images(state, site.site.id, draft.body).await?;
    Ok((draft, problems))
}

/// The images a draft uses: its cover and its gallery.
fn chosen(d: &ArticleDraft) -> Vec<MediaId> {
    d.cover
        .into_iter()
        .chain(d.gallery.iter().map(|(id, _)| *id))
        .collect()
}

/// The newest images of the site to pick a cover from, and the current cover.
async fn cover_choices(
    state: &AppState,
    site: &CurrentSite,
    current: impl IntoIterator<Item = MediaId>,
) -> Result<Vec<CoverChoice>, AppError> {
    let (items, _) = state
        .store
        .media_library(site.site.id, Some("image"), 12, 0)
        .await?;
    let mut refs: Vec<domain::MediaRef> = items.into_iter().map(|m| m.media).collect();
    for c in current {
        if !refs.iter().any(|m| m.id == c)
            && let Some(m) = state.store.image(site.site.id, c).await?
        {
            refs.insert(0, m);
        }
    }
    Ok(refs
        .iter()
        .map(|m| CoverChoice {
            id: m.id.0.to_string(),
            thumb: m.thumb_url(),
            label: format!("Ảnh mã {}", m.id),
        })
        .collect())
}

/// What the page says after a successful action (from `?da-luu=`).
fn done_message(action: &str, status: ArticleStatus) -> Option<String> {
    Some(
        match (ArticleAction::parse(action)?, status) {
            (ArticleAction::Publish, ArticleStatus::Scheduled) => {
                "Đã hẹn giờ: bài sẽ tự đăng vào thời điểm đăng đã đặt."
            }
            (ArticleAction::Publish, _) => "Đã đăng bài lên trang.",
            (ArticleAction::Submit, _) => "Đã gửi bài cho biên tập viên duyệt.",
            (ArticleAction::Reject, _) => "Đã trả bài lại cho người viết.",
            (ArticleAction::Unpublish, _) => "Đã gỡ bài khỏi trang.",
            _ => "Đã lưu.",
        }
        .to_owned(),
    )
}

fn values_of(a: &EditableArticle) -> FormValues {
    let d = &a.draft;
    let shows_time = matches!(
        a.status,
        ArticleStatus::Published | ArticleStatus::Scheduled | ArticleStatus::Unpublished
    );
    FormValues {
        title: d.title.clone(),
        slug: a.slug.clone(),
        category: d.category_id.map(|c| c.0.to_string()).unwrap_or_default(),
        summary: d.summary.clone(),
        body: d.body.as_str().to_owned(),
        author: d.author.clone(),
        source: d.source.clone(),
        featured: d.featured,
        publish_at: if shows_time {
            vntext::format_datetime(a.published_at)
        } else {
            String::new()
        },
        expires_at: d
            .expires_at
            .map(vntext::format_datetime)
            .unwrap_or_default(),
        reject_reason: String::new(),
        cover: d.cover.map(|m| m.0.to_string()).unwrap_or_default(),
        revision: a.revision.to_string(),
        gallery: d
            .gallery
            .iter()
            .map(|(id, c)| (id.0.to_string(), c.clone()))
            .collect(),
    }
}

async fn load(state: &AppState, site: &CurrentSite, id: i64) -> Result<EditableArticle, AppError> {
    state
        .store
        .article_for_edit(site.site.id, ArticleId(id))
        .await?
        .ok_or(AppError::NotFound)
}

fn edit_screen(a: &EditableArticle, role: Role, session: &SessionInfo) -> Screen {
    let own = a.author_id == Some(session.user.id);
    Screen {
        heading: format!("Sửa bài: {}", a.draft.title),
        action_url: format!("/quan-tri/bai-viet/{}", a.id),
        status: Some(a.status),
        buttons: offered_actions(a.status, role, own),
        errors: Vec::new(),
        notice: None,
        warning: None,
        article: Some(a.clone()),
        covers: Vec::new(),
    }
}

/// `GET /quan-tri/bai-viet/{id}`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let a = load(&state, &site, id).await?;
    let mut screen = edit_screen(&a, role, &session);
    screen.covers = cover_choices(&state, &site, chosen(&a.draft)).await?;
    screen.notice = q
        .get("da-luu")
        .and_then(|action| done_message(action, a.status));
    if !screen.buttons.is_empty()
        && let Some((who, since)) = state
            .store
            .mark_editing(a.id, session.user.id, now())
            .await?
    {
        screen.warning = Some(format!(
            "{who} cũng đang mở bài này để sửa (từ {}). Nếu cả hai cùng sửa, người lưu sau sẽ được báo và không ghi đè mất bài của người kia.",
            vntext::format_time(since)
        ));
    }
    render_form(&site, &session, values_of(&a), screen, StatusCode::OK)
}

/// `POST /quan-tri/bai-viet/{id}`: every button of the form.
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    CsrfForm(mut form): CsrfForm<ArticleForm>,
) -> Result<Response, AppError> {
    let a = load(&state, &site, id).await?;
    let own = a.author_id == Some(session.user.id);
    let action = ArticleAction::parse(&form.action).unwrap_or(ArticleAction::Save);
    let now = now();
    let covers = cover_choices(&state, &site, chosen(&a.draft)).await?;
    let refuse = |errors: Vec<String>, warning: Option<String>, values: FormValues| {
        let mut screen = edit_screen(&a, role, &session);
        screen.errors = errors;
        screen.warning = warning;
        screen.covers = covers;
        render_form(
            &site,
            &session,
            values,
            screen,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };

    if action == ArticleAction::Delete {
        if let Err(e) = next_status(a.status, action, role, own, 0, now, true) {
            return refuse(vec![e.to_string()], None, form.values());
        }
        state
            .store
            .delete_article(site.site.id, a.id, session.user.id, &ip, now)
            .await?;
        state.content_changed().await?;
        return Ok(see_other("/quan-tri/bai-viet?da-xoa=1"));
    }

    let (draft, mut errors) = prepare(&state, &site, &session, &mut form).await?;
    // A publish time left empty means "now" for a first publication, and the time
    // it had for one already out.
    let publish_at = draft.publish_at.unwrap_or(match a.status {
        ArticleStatus::Published | ArticleStatus::Scheduled | ArticleStatus::Unpublished => {
            a.published_at
        }
        _ => now,
    });
    let reason = vntext::clean_line(&form.reject_reason);
    let status = match next_status(
        a.status,
        action,
        role,
        own,
        publish_at,
        now,
        !reason.is_empty(),
    ) {
        Ok(s) => s,
        Err(e) => {
            errors.push(e.to_string());
            a.status
        }
    };
    let Ok(base_revision) = form.revision.trim().parse::<i64>() else {
        errors.push("Biểu mẫu thiếu số phiên bản; hãy tải lại trang.".into());
        return refuse(errors, None, form.values());
    };
    if !errors.is_empty() {
        return refuse(errors, None, form.values());
    }
    // Editing what readers already see dates it "Ngày cập nhật".
    let updated_at = if a.status == ArticleStatus::Published
        && status == ArticleStatus::Published
        && draft_changed(&a, &draft)
    {
        Some(now)
    } else {
        a.updated_at
    };
    let save = ArticleSave {
        site: site.site.id,
        id: a.id,
        base_revision,
        draft: &draft,
        status,
        published_at: publish_at,
        updated_at,
        reject_reason: if status == ArticleStatus::Rejected {
            &reason
        } else {
            ""
        },
        by: session.user.id,
        note: action.audit_label(),
        ip: &ip,
    };
    match state.store.save_article(&save, now).await {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!(
                "/quan-tri/bai-viet/{}?da-luu={}",
                a.id,
                action.as_str()
            )))
        }
        Err(store::Error::Stale) => {
            let last = state.store.last_save(a.id).await?;
            let who = last
                .as_ref()
                .map(|l| {
                    let by = if l.by.is_empty() {
                        "Hệ thống".to_owned()
                    } else {
                        l.by.clone()
                    };
                    format!("{by} đã lưu bài này lúc {}", vntext::format_datetime(l.at))
                })
                .unwrap_or_else(|| "Bài này đã được lưu".into());
            let mut values = form.values();
            // Saving again now is a deliberate choice to replace the newer version.
            values.revision = a.revision.to_string();
            refuse(
                vec![format!(
                    "{who}, sau khi bạn mở. Thay đổi của bạn CHƯA được lưu và vẫn còn nguyên trong biểu mẫu dưới đây. Hãy xem bản mới (Lịch sử phiên bản) rồi quyết định: bấm lưu lần nữa sẽ thay bản mới bằng bản của bạn."
                )],
                None,
                values,
            )
        }
        Err(store::Error::Conflict(_)) => refuse(
            vec![slug_taken(&draft.effective_slug())],
            None,
            form.values(),
        ),
        Err(e) => Err(e.into()),
    }
}

/// Whether the text readers see differs from what is stored.
fn draft_changed(a: &EditableArticle, d: &ArticleDraft) -> bool {
    let old = &a.draft;
    old.title != d.title
        || old.summary != d.summary
        || old.body != d.body
        || old.author != d.author
        || old.source != d.source
        || old.category_id != d.category_id
        || old.cover != d.cover
        || old.gallery != d.gallery
}

/// `GET /quan-tri/bai-viet/{id}/phien-ban[?xem=N]`: the revisions, and what one of
/// them changed from the one before.
pub(crate) async fn revisions(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let a = load(&state, &site, id).await?;
    let all = state.store.revisions(site.site.id, a.id).await?;
    let shown = crate::platform::revisions::shown(&all, q.get("xem"));
    let own = a.author_id == Some(session.user.id);
    let may_restore = next_status(a.status, ArticleAction::Save, role, own, 0, 0, true).is_ok();
    let diff = shown.map(|(before, this)| crate::articles::diff::revision_diff(before, this));
    page(
        StatusCode::OK,
        &RevisionsTemplate {
            chrome: AdminChrome::new("Lịch sử phiên bản", &site, &session),
            title: a.draft.title.clone(),
            edit_url: format!("/quan-tri/bai-viet/{}", a.id),
            back_label: "Quay lại sửa bài",
            current: a.revision,
            revision: a.revision.to_string(),
            shown: shown.map_or(0, |(_, this)| this.number),
            may_restore,
            rows: crate::platform::revisions::rows(&all, &format!("/quan-tri/bai-viet/{}", a.id)),
            diff,
        },
    )
}

csrf_field!(ArticleForm, RestoreForm);

#[derive(Deserialize)]
pub(crate) struct RestoreForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    revision: String,
}

/// `POST /quan-tri/bai-viet/{id}/phien-ban/{n}/khoi-phuc`: makes revision `n` the
/// text again, as a new revision (nothing in the history is lost).
pub(crate) async fn restore(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path((id, number)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<Response, AppError> {
    let a = load(&state, &site, id).await?;
    let own = a.author_id == Some(session.user.id);
    if let Err(e) = next_status(a.status, ArticleAction::Save, role, own, 0, 0, true) {
        return Err(AppError::forbidden(e.to_string()));
    }
    let Some(old) = state.store.revision(site.site.id, a.id, number).await? else {
        return Err(AppError::NotFound);
    };
    let category = state.store.revision_category(a.id, number).await?;
    let draft = ArticleDraft {
        category_id: category.or(a.draft.category_id),
        slug: old.slug.clone(),
        title: old.title.clone(),
        summary: old.summary.clone(),
        body: old.body.clone(),
        author: old.author.clone(),
        source: old.source.clone().unwrap_or_default(),
        ..a.draft.clone()
    };
    let base_revision = form.revision.trim().parse().unwrap_or(a.revision);
    let note = format!("khôi phục phiên bản {number}");
    let now = now();
    let save = ArticleSave {
        site: site.site.id,
        id: a.id,
        base_revision,
        draft: &draft,
        status: a.status,
        published_at: a.published_at,
        updated_at: if a.status == ArticleStatus::Published {
            Some(now)
        } else {
            a.updated_at
        },
        reject_reason: &a.reject_reason,
        by: session.user.id,
        note: &note,
        ip: &ip,
    };
    match state.store.save_article(&save, now).await {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!(
                "/quan-tri/bai-viet/{}?da-luu=luu",
                a.id
            )))
        }
        Err(store::Error::Stale) => Ok(see_other(&format!(
            "/quan-tri/bai-viet/{}/phien-ban?xem={number}",
            a.id
        ))),
        Err(store::Error::Conflict(_)) => Err(AppError::forbidden(slug_taken(&draft.slug))),
        Err(e) => Err(e.into()),
    }
}
