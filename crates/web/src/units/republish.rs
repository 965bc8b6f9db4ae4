//! `/quan-tri/tin-don-vi`: a department's editors re-publish a school's article on
//! the department's site in one click, as a link-back copy in a category they
//! choose. The copy follows the school's later edits and names the school's page
//! as canonical (see `store::articles::copies`); "Gỡ" takes it down again.

use super::news::{NewsFilter, UnitNews, news};
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{ClientIp, CsrfForm, Editor, SiteRole, csrf_field};
use crate::platform::layout::{AdminChrome, PagerView, SelectOption};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{ArticleId, CategoryId, PageNumber, Pager, SiteId};
use serde::Deserialize;
use std::collections::HashMap;
use store::Republish;

/// Articles per page.
const PER_PAGE: u32 = 20;

/// A line of the list: a school's article and what the department did with it.
pub(crate) struct Row {
    pub item: UnitNews,
    /// The copy on this site, when there is one: its address.
    pub copy_url: Option<String>,
}

#[derive(Template)]
#[template(path = "units/republish.html")]
pub(crate) struct RepublishTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<Row>,
    pub categories: Vec<SelectOption>,
    pub pager: Option<PagerView>,
    pub page: u32,
    pub notice: Option<String>,
    pub has_units: bool,
}

/// `GET /quan-tri/tin-don-vi[?trang=N]`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    SiteRole { session, .. }: SiteRole<Editor>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let offset = i64::from(page_no.0 - 1) * i64::from(PER_PAGE);
    let origin_of = |host: &str| origin.for_host(host);
    let (items, total, _) = news(
        &state,
        &site,
        &origin_of,
        &NewsFilter::default(),
        i64::from(PER_PAGE),
        offset,
        true,
    )
    .await?;
    let pager = Pager::new(total, PER_PAGE, page_no).ok_or(AppError::NotFound)?;
    let ids: Vec<ArticleId> = items.iter().map(|i| i.id).collect();
    let copies = state.store.copies_on(site.site.id, &ids).await?;
    let mut copy_paths = HashMap::new();
    for (original, copy) in &copies {
        if let Some(a) = state.store.article_for_edit(site.site.id, *copy).await? {
            copy_paths.insert(*original, domain::article_path(&a.category_slug, &a.slug));
        }
    }
    let rows = items
        .into_iter()
        .map(|item| Row {
            copy_url: copy_paths.remove(&item.id),
            item,
        })
        .collect();
    let notice = match q.get("xong").map(String::as_str) {
        Some("dang-lai") => Some("Đã đăng lại bài lên trang của bạn.".to_owned()),
        Some("go") => Some("Đã gỡ bài đăng lại.".to_owned()),
        _ => None,
    };
    page(
        StatusCode::OK,
        &RepublishTemplate {
            chrome: AdminChrome::new("Tin từ các đơn vị", &site, &session),
            rows,
            categories: category_choices(&site),
            pager: PagerView::new(&pager, "/quan-tri/tin-don-vi", ""),
            page: page_no.0,
            notice,
            has_units: total > 0 || page_no.0 > 1,
        },
    )
}

/// The site's categories, the one for schools' news first chosen: a category
/// named like "Tin các trường" or "Tin các đơn vị" if the site has one.
fn category_choices(site: &CurrentSite) -> Vec<SelectOption> {
    let preferred = site
        .categories
        .iter()
        .find(|c| {
            let name = vntext::fold_lower(&c.name);
            name.contains("cac truong") || name.contains("cac don vi") || name.contains("co so")
        })
        .or(site.categories.first())
        .map(|c| c.id.0.to_string())
        .unwrap_or_default();
    site.categories
        .iter()
        .map(|c| SelectOption::new(c.id.0.to_string(), c.name.clone(), &preferred))
        .collect()
}

/// What a line's buttons send.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RepublishForm {
    csrf: String,
    /// "dang-lai" or "go".
    action: String,
    /// The school's article.
    bai: String,
    /// The school's site.
    don_vi: String,
    /// The department's category (for "dang-lai").
    chuyen_muc: String,
    /// The list's page, to come back to.
    trang: String,
}
csrf_field!(RepublishForm);

/// `POST /quan-tri/tin-don-vi`
pub(crate) async fn act(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Editor>,
    CsrfForm(form): CsrfForm<RepublishForm>,
) -> Result<Response, AppError> {
    let article = ArticleId(form.bai.trim().parse().map_err(|_| AppError::NotFound)?);
    let back = |done: &str| {
        let page = form.trang.trim().parse::<u32>().unwrap_or(1).max(1);
        see_other(&format!("/quan-tri/tin-don-vi?trang={page}&xong={done}"))
    };
    match form.action.as_str() {
        "dang-lai" => {
            let school = SiteId(form.don_vi.trim().parse().map_err(|_| AppError::NotFound)?);
            let category = CategoryId(form.chuyen_muc.trim().parse().map_err(|_| {
                AppError::Unprocessable("Hãy chọn chuyên mục để đăng lại bài.".into())
            })?);
            // Only the schools under this site's unit, as the list shows them.
            let Some(name) = super::news::source_name(&state, &site, school).await? else {
                return Err(AppError::NotFound);
            };
            let r = Republish {
                site: site.site.id,
                category,
                origin: article,
                origin_site: school,
                source: &name,
                by: Some(session.user.id),
                ip: &ip,
            };
            match state.store.republish_article(&r, now()).await {
                Ok(_) | Err(store::Error::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
            state.content_changed().await?;
            Ok(back("dang-lai"))
        }
        "go" => {
            let copies = state.store.copies_on(site.site.id, &[article]).await?;
            let copy = *copies.get(&article).ok_or(AppError::NotFound)?;
            state
                .store
                .delete_article(site.site.id, copy, session.user.id, &ip, now())
                .await?;
            state.content_changed().await?;
            Ok(back("go"))
        }
        _ => Err(AppError::NotFound),
    }
}
