//! "Tìm kiếm": `/tim-kiem?q=…` over this site or every site of the installation,
//! and `/tim-kiem/goi-y.json?q=…`, the titles suggested while typing. Answers are
//! never kept in the page cache: each depends on what was typed.

use crate::platform::layout::{Layout, PagerView, SelectOption};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{PageNumber, Pager};
use std::collections::HashMap;

/// Results per page.
const PER_PAGE: u32 = 10;

/// One result as the page shows it.
struct HitView {
    title_html: String,
    snippet_html: String,
    url: String,
    date: String,
    category: String,
    site: Option<String>,
}

#[derive(Template)]
#[template(path = "search/search.html")]
struct SearchTemplate {
    layout: Layout,
    q: String,
    from: String,
    to: String,
    all_sites: bool,
    newest: bool,
    categories: Vec<SelectOption>,
    total: String,
    hits: Vec<HitView>,
    interpreted: Option<String>,
    partial: bool,
    notes: Vec<String>,
    pager: Option<PagerView>,
    searched: bool,
}

/// `GET /tim-kiem`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
    let text: String = get("q").chars().take(200).collect();
    let (category, from, to) = (get("chuyen-muc"), get("tu-ngay"), get("den-ngay"));
    let all_sites = get("pham-vi") == "tat-ca";
    let newest = get("sap-xep") == "moi-nhat";
    let mut notes = Vec::new();
    let mut day = |s: &str, end: bool| -> Option<i64> {
        if s.is_empty() {
            return None;
        }
        let bounds = vntext::parse_typed_date(s).and_then(|d| vntext::day_bounds(&d));
        if bounds.is_none() {
            notes.push(format!(
                "Ngày “{s}” không đọc được; hãy nhập theo dạng dd/mm/yyyy. Bộ lọc ngày này được bỏ qua."
            ));
        }
        bounds.map(|(a, b)| if end { b } else { a })
    };
    let (from_t, to_t) = (day(&from, false), day(&to, true));
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let mut query = search::Query::new(text.clone());
    query.site = (!all_sites).then_some(site.site.id.0);
    query.category = if all_sites {
        None
    } else {
        category.parse().ok()
    };
    query.from = from_t;
    query.to = to_t;
    query.sort = if newest {
        search::Sort::Newest
    } else {
        search::Sort::Relevance
    };
    query.page = page_no.0 as usize;
    query.per_page = PER_PAGE as usize;
    let searched = !text.trim().is_empty();
    let results = if searched {
        let searcher = state.searcher().clone();
        match tokio::task::spawn_blocking(move || searcher.index().search(&query)).await {
            Ok(Ok(r)) => Some(r),
            Ok(Err(e)) => {
                tracing::error!(error = %e, "search failed");
                notes.push("Tìm kiếm đang gặp trục trặc; vui lòng thử lại sau ít phút.".into());
                None
            }
            Err(e) => return Err(AppError::Internal(e.to_string())),
        }
    } else {
        None
    };
    let total = results.as_ref().map(|r| r.total).unwrap_or(0);
    let hits = results
        .as_ref()
        .map(|r| {
            r.hits
                .iter()
                .map(|h| {
                    let own = h.site_id == site.site.id.0;
                    HitView {
                        title_html: h.title_html.clone(),
                        snippet_html: h.snippet_html.clone(),
                        url: if own {
                            h.url.clone()
                        } else {
                            other_site_url(&state, &origin, h.site_id, &h.url)
                        },
                        date: vntext::format_date(h.published_at),
                        category: h.category_name.clone(),
                        site: (!own).then(|| h.site_name.clone()),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let query_string: String = [
        ("q", text.as_str()),
        ("chuyen-muc", category.as_str()),
        ("tu-ngay", from.as_str()),
        ("den-ngay", to.as_str()),
        ("pham-vi", if all_sites { "tat-ca" } else { "" }),
        ("sap-xep", if newest { "moi-nhat" } else { "" }),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", crate::platform::layout::percent_encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let pager = Pager::new(total as i64, PER_PAGE, page_no)
        .and_then(|p| PagerView::new(&p, &format!("/tim-kiem?{query_string}"), ""));
    let title = if searched {
        format!("Tìm kiếm: {text}")
    } else {
        "Tìm kiếm".to_owned()
    };
    let mut layout = Layout::new(&state, Some(&site), &title, None);
    layout.search_value = text.clone();
    let page = SearchTemplate {
        layout,
        categories: site
            .categories
            .iter()
            .map(|c| SelectOption::new(c.id.0.to_string(), c.name.clone(), &category))
            .collect(),
        q: text,
        from,
        to,
        all_sites,
        newest,
        total: vntext::format_number(total as i64),
        interpreted: results.as_ref().and_then(|r| r.interpreted.clone()),
        partial: results.as_ref().is_some_and(|r| r.partial),
        hits,
        notes,
        pager,
        searched,
    };
    let mut res = Html(page.render()?).into_response();
    // Not for the page cache (its key ignores the query) nor for shared caches.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=0"),
    );
    res.headers_mut()
        .insert("x-robots-tag", HeaderValue::from_static("noindex"));
    Ok(res)
}

/// A path of another site of the installation, as an absolute URL on that site's
/// main host, with this request's scheme and port.
fn other_site_url(state: &AppState, origin: &Origin, site: i64, path: &str) -> String {
    let Some(host) = state
        .sites
        .by_id(domain::SiteId(site))
        .and_then(|s| s.site.hosts.first().cloned())
    else {
        return path.to_owned();
    };
    let (scheme, rest) = origin.0.split_once("://").unwrap_or(("http", &origin.0));
    let port = rest
        .rsplit_once(':')
        .filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
        .map(|(_, p)| format!(":{p}"))
        .unwrap_or_default();
    format!("{scheme}://{host}{port}{path}")
}

/// `GET /tim-kiem/goi-y.json?q=…`: up to 8 titles of this site for what is being
/// typed, `[{"title": …, "url": …}]`.
pub(crate) async fn suggest(
    State(state): State<AppState>,
    site: CurrentSite,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text: String = q
        .get("q")
        .map(|v| vntext::clean_line(v))
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect();
    let searcher = state.searcher().clone();
    let site_id = site.site.id.0;
    let found =
        tokio::task::spawn_blocking(move || searcher.index().suggest(&text, Some(site_id), 8))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .unwrap_or_default();
    let list: Vec<serde_json::Value> = found
        .iter()
        .map(|s| serde_json::json!({ "title": s.title, "url": s.url }))
        .collect();
    let mut res = axum::Json(list).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=30"),
    );
    Ok(res)
}
