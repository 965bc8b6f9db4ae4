//! `/quan-tri/chuyen-muc`: a site's news categories, for its administrators:
//! create, rename (the old address answers 301), describe for search engines,
//! put under a top-level category (one level), hide from the menu, move up and
//! down among siblings, and delete: a category that still has articles only by
//! moving them to another one, in the same transaction.

use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{Admin, ClientIp, CsrfForm, SiteRole, csrf_field};
use crate::platform::layout::{AdminChrome, SelectOption};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Category, CategoryId};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, CategoryEdit, SessionInfo};

/// The longest name a category may have.
const MAX_NAME_CHARS: usize = 100;
/// The longest description.
const MAX_DESCRIPTION_CHARS: usize = 300;

/// A category as the list shows it.
pub(crate) struct CategoryRow {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub child: bool,
    pub hidden: bool,
    pub articles: String,
    pub first: bool,
    pub last: bool,
}

/// The form's fields as shown.
#[derive(Default)]
pub(crate) struct CategoryValues {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub parent: String,
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "articles/admin_categories.html")]
pub(crate) struct CategoriesTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<CategoryRow>,
    /// The form to add one.
    pub values: CategoryValues,
    pub parents: Vec<SelectOption>,
    pub errors: Vec<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "articles/admin_category.html")]
pub(crate) struct CategoryTemplate {
    pub chrome: AdminChrome,
    pub id: i64,
    pub path: String,
    pub values: CategoryValues,
    pub parents: Vec<SelectOption>,
    pub has_children: bool,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "articles/admin_category_delete.html")]
pub(crate) struct DeleteTemplate {
    pub chrome: AdminChrome,
    pub id: i64,
    pub name: String,
    pub articles: i64,
    pub children: Vec<String>,
    pub targets: Vec<SelectOption>,
    pub errors: Vec<String>,
}

/// What the add and edit forms send.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CategoryForm {
    csrf: String,
    name: String,
    slug: String,
    description: String,
    parent: String,
    hidden: String,
}

/// The up and down buttons.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct MoveForm {
    csrf: String,
    /// "len" or "xuong".
    huong: String,
}

/// The delete form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DeleteForm {
    csrf: String,
    /// The category that takes the articles.
    chuyen_sang: String,
}
csrf_field!(CategoryForm, MoveForm, DeleteForm);

impl CategoryForm {
    fn values(&self) -> CategoryValues {
        CategoryValues {
            name: vntext::clean_line(&self.name),
            slug: vntext::clean_line(&self.slug),
            description: vntext::clean_line(&self.description),
            parent: self.parent.trim().to_owned(),
            hidden: !self.hidden.is_empty(),
        }
    }
}

fn values_of(c: &Category) -> CategoryValues {
    CategoryValues {
        name: c.name.clone(),
        slug: c.slug.clone(),
        description: c.description.clone(),
        parent: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        hidden: c.hidden,
    }
}

/// The top-level categories a category may go under (not itself).
fn parent_options(all: &[Category], except: Option<CategoryId>, chosen: &str) -> Vec<SelectOption> {
    all.iter()
        .filter(|c| c.parent_id.is_none() && Some(c.id) != except)
        .map(|c| SelectOption::new(c.id.to_string(), c.name.clone(), chosen))
        .collect()
}

/// The edit the form describes, and what is wrong with it. `this` is the
/// category edited (none: a new one).
fn check<'a>(
    values: &'a CategoryValues,
    all: &[Category],
    this: Option<&Category>,
) -> (CategoryEdit<'a>, Vec<String>) {
    let mut errors = Vec::new();
    if values.name.is_empty() {
        errors.push("Vui lòng nhập tên chuyên mục.".to_owned());
    } else if values.name.chars().count() > MAX_NAME_CHARS {
        errors.push(format!("Tên chuyên mục dài quá {MAX_NAME_CHARS} ký tự."));
    }
    if values.description.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.push(format!(
            "Mô tả dài quá {MAX_DESCRIPTION_CHARS} ký tự; máy tìm kiếm chỉ hiện khoảng 160 ký tự đầu."
        ));
    }
    let parent = match values.parent.as_str() {
        "" => None,
        p => {
            let found = p
                .parse()
                .ok()
                .and_then(|p| all.iter().find(|c| c.id == CategoryId(p)));
            match found {
                Some(c) if c.parent_id.is_none() && Some(c.id) != this.map(|t| t.id) => Some(c.id),
                _ => {
                    errors.push(
                        "Chuyên mục cha phải là một chuyên mục cấp trên cùng khác của trang này."
                            .to_owned(),
                    );
                    None
                }
            }
        }
    };
    if let (Some(_), Some(t)) = (parent, this)
        && all.iter().any(|c| c.parent_id == Some(t.id))
    {
        errors.push(format!(
            "“{}” đang có chuyên mục con nên không thể nằm dưới chuyên mục khác (chỉ có một cấp chuyên mục con).",
            t.name
        ));
    }
    let edit = CategoryEdit {
        name: &values.name,
        slug: &values.slug,
        description: &values.description,
        parent,
        hidden: values.hidden,
    };
    if !values.name.is_empty() && edit.effective_slug().is_empty() {
        errors.push("Đường dẫn cần có chữ hoặc số.".to_owned());
    }
    (edit, errors)
}

fn slug_taken(slug: &str) -> String {
    format!("Đường dẫn “{slug}” đã có chuyên mục khác dùng; hãy chọn đường dẫn khác.")
}

fn note<'a>(session: &SessionInfo, action: &'a str, ip: &'a str) -> AuditNote<'a> {
    AuditNote {
        user: Some(session.user.id),
        action,
        ip,
    }
}

/// The list page, with the add form (as typed, after a refusal).
async fn render_list(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    values: CategoryValues,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let all = state.store.categories(site.site.id).await?;
    let counts: HashMap<CategoryId, i64> = state
        .store
        .category_article_counts(site.site.id)
        .await?
        .into_iter()
        .collect();
    let rows = all
        .iter()
        .map(|c| {
            let siblings: Vec<CategoryId> = all
                .iter()
                .filter(|o| o.parent_id == c.parent_id)
                .map(|o| o.id)
                .collect();
            CategoryRow {
                id: c.id.0,
                name: c.name.clone(),
                path: c.path(),
                child: c.parent_id.is_some(),
                hidden: c.hidden,
                articles: vntext::format_number(counts.get(&c.id).copied().unwrap_or(0)),
                first: siblings.first() == Some(&c.id),
                last: siblings.last() == Some(&c.id),
            }
        })
        .collect();
    page(
        status,
        &CategoriesTemplate {
            chrome: AdminChrome::new("Chuyên mục", site, session),
            parents: parent_options(&all, None, &values.parent),
            rows,
            values,
            errors,
            notice,
        },
    )
}

/// `GET /quan-tri/chuyen-muc[?da-luu=…&muc=id]`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let name = match q.get("muc").and_then(|m| m.parse().ok()) {
        Some(id) => state
            .store
            .categories(site.site.id)
            .await?
            .into_iter()
            .find(|c| c.id == CategoryId(id))
            .map(|c| c.name),
        None => None,
    };
    let notice = q.get("da-luu").map(|done| {
        let name = name.as_deref().unwrap_or("");
        match done.as_str() {
            "them" => format!("Đã thêm chuyên mục “{name}”."),
            "thu-tu" => format!("Đã đổi thứ tự: “{name}”."),
            "xoa" => "Đã xoá chuyên mục.".to_owned(),
            _ => format!("Đã lưu chuyên mục “{name}”."),
        }
    });
    render_list(
        &state,
        &site,
        &session,
        CategoryValues::default(),
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/chuyen-muc`: a new category.
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> Result<Response, AppError> {
    let values = form.values();
    let all = state.store.categories(site.site.id).await?;
    let (edit, mut errors) = check(&values, &all, None);
    if errors.is_empty() {
        let audit = note(&session, "thêm chuyên mục", &ip);
        match state
            .store
            .add_category(site.site.id, &edit, audit, now())
            .await
        {
            Ok(id) => {
                state.content_changed().await?;
                return Ok(see_other(&format!(
                    "/quan-tri/chuyen-muc?da-luu=them&muc={id}#cm-{id}"
                )));
            }
            Err(store::Error::Conflict(_)) => errors.push(slug_taken(&edit.effective_slug())),
            Err(store::Error::NotFound(_)) => errors.push(
                "Chuyên mục cha vừa bị xoá hoặc đã thành chuyên mục con; hãy chọn lại.".into(),
            ),
            Err(e) => return Err(e.into()),
        }
    }
    render_list(
        &state,
        &site,
        &session,
        values,
        errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn load(
    state: &AppState,
    site: &CurrentSite,
    id: i64,
) -> Result<(Category, Vec<Category>), AppError> {
    let all = state.store.categories(site.site.id).await?;
    let c = all
        .iter()
        .find(|c| c.id == CategoryId(id))
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((c, all))
}

fn render_edit(
    site: &CurrentSite,
    session: &SessionInfo,
    c: &Category,
    all: &[Category],
    values: CategoryValues,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    page(
        status,
        &CategoryTemplate {
            chrome: AdminChrome::new(&format!("Sửa chuyên mục: {}", c.name), site, session),
            id: c.id.0,
            path: c.path(),
            parents: parent_options(all, Some(c.id), &values.parent),
            has_children: all.iter().any(|o| o.parent_id == Some(c.id)),
            values,
            errors,
        },
    )
}

/// `GET /quan-tri/chuyen-muc/{id}`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (c, all) = load(&state, &site, id).await?;
    render_edit(
        &site,
        &session,
        &c,
        &all,
        values_of(&c),
        Vec::new(),
        StatusCode::OK,
    )
}

/// `POST /quan-tri/chuyen-muc/{id}`
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> Result<Response, AppError> {
    let (c, all) = load(&state, &site, id).await?;
    let values = form.values();
    let (edit, mut errors) = check(&values, &all, Some(&c));
    if errors.is_empty() {
        let audit = note(&session, "sửa chuyên mục", &ip);
        match state
            .store
            .update_category(site.site.id, c.id, &edit, audit, now())
            .await
        {
            Ok(()) => {
                state.content_changed().await?;
                return Ok(see_other(&format!(
                    "/quan-tri/chuyen-muc?da-luu=sua&muc={id}#cm-{id}"
                )));
            }
            Err(store::Error::Conflict("category_slug")) => {
                errors.push(slug_taken(&edit.effective_slug()))
            }
            Err(store::Error::Conflict(_) | store::Error::NotFound(_)) => errors.push(
                "Chuyên mục cha không còn là chuyên mục cấp trên cùng, hoặc chuyên mục này vừa có chuyên mục con; hãy tải lại trang.".into(),
            ),
            Err(e) => return Err(e.into()),
        }
    }
    render_edit(
        &site,
        &session,
        &c,
        &all,
        values,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// `POST /quan-tri/chuyen-muc/{id}/thu-tu`: one place up or down.
pub(crate) async fn reorder(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<Response, AppError> {
    let up = match form.huong.as_str() {
        "len" => true,
        "xuong" => false,
        _ => return Err(AppError::NotFound),
    };
    let audit = note(
        &session,
        if up {
            "chuyển chuyên mục lên"
        } else {
            "chuyển chuyên mục xuống"
        },
        &ip,
    );
    state
        .store
        .move_category(site.site.id, CategoryId(id), up, audit, now())
        .await?;
    state.content_changed().await?;
    Ok(see_other(&format!(
        "/quan-tri/chuyen-muc?da-luu=thu-tu&muc={id}#cm-{id}"
    )))
}

fn render_delete(
    site: &CurrentSite,
    session: &SessionInfo,
    c: &Category,
    all: &[Category],
    articles: i64,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    page(
        status,
        &DeleteTemplate {
            chrome: AdminChrome::new(&format!("Xoá chuyên mục: {}", c.name), site, session),
            id: c.id.0,
            name: c.name.clone(),
            articles,
            children: all
                .iter()
                .filter(|o| o.parent_id == Some(c.id))
                .map(|o| o.name.clone())
                .collect(),
            targets: all
                .iter()
                .filter(|o| o.id != c.id)
                .map(|o| SelectOption::new(o.id.to_string(), o.name.clone(), ""))
                .collect(),
            errors,
        },
    )
}

async fn article_count(
    state: &AppState,
    site: &CurrentSite,
    id: CategoryId,
) -> Result<i64, AppError> {
    Ok(state
        .store
        .category_article_counts(site.site.id)
        .await?
        .into_iter()
        .find(|(c, _)| *c == id)
        .map_or(0, |(_, n)| n))
}

/// `GET /quan-tri/chuyen-muc/{id}/xoa`: what deleting it means, and the form.
pub(crate) async fn delete_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (c, all) = load(&state, &site, id).await?;
    let articles = article_count(&state, &site, c.id).await?;
    render_delete(
        &site,
        &session,
        &c,
        &all,
        articles,
        Vec::new(),
        StatusCode::OK,
    )
}

/// `POST /quan-tri/chuyen-muc/{id}/xoa`
pub(crate) async fn delete(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<Response, AppError> {
    let (c, all) = load(&state, &site, id).await?;
    let articles = article_count(&state, &site, c.id).await?;
    let move_to = form
        .chuyen_sang
        .trim()
        .parse()
        .ok()
        .map(CategoryId)
        .filter(|t| *t != c.id && all.iter().any(|o| o.id == *t));
    let refuse = |message: &str| {
        render_delete(
            &site,
            &session,
            &c,
            &all,
            articles,
            vec![message.to_owned()],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if articles > 0 && move_to.is_none() {
        return refuse("Hãy chọn chuyên mục nhận các bài viết của chuyên mục này.");
    }
    let audit = note(&session, "xoá chuyên mục", &ip);
    match state
        .store
        .delete_category(site.site.id, c.id, move_to, audit, now())
        .await
    {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other("/quan-tri/chuyen-muc?da-luu=xoa"))
        }
        Err(store::Error::Conflict("category_children")) => refuse(
            "Chuyên mục này còn chuyên mục con; hãy chuyển hoặc xoá các chuyên mục con trước.",
        ),
        Err(store::Error::Conflict(_)) => {
            refuse("Chuyên mục vừa có thêm bài viết; hãy chọn chuyên mục nhận các bài viết.")
        }
        Err(e) => Err(e.into()),
    }
}
