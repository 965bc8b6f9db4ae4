//! The article page, its print view, and redirects from old addresses.

use crate::articles::views::{ArticleTemplate, ArticleView, Photo, PrintTemplate, Share, cards};
use crate::platform::cache::ViewedItem;
use crate::platform::layout::{Img, Layout, PagerView, Preview, iso, json_for_script};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{Article, PageNumber, Pager};
use std::collections::HashMap;
use std::sync::Arc;

/// Related articles per page.
pub(crate) const RELATED_PER_PAGE: u32 = 8;

/// What an article's address leads to.
enum Found {
    /// The article itself.
    Here(Arc<Article>),
    /// A 301 to where it is now (an old slug, or the category changed).
    Moved(Response),
}

/// The article at `category/slug`, a 301 to it, or a 404 when there is none.
async fn find(
    state: &AppState,
    site: &CurrentSite,
    category: &str,
    slug: &str,
    suffix: &str,
) -> Result<Found, AppError> {
    let now = now();
    if let Some(article) = state.public_article(site.site.id, slug).await? {
        if article.category.slug == category {
            return Ok(Found::Here(article));
        }
        return Ok(Found::Moved(moved(&format!("{}{suffix}", article.path()))));
    }
    match state.store.slug_redirect(site.site.id, slug, now).await? {
        Some((cat, current)) => Ok(Found::Moved(moved(&format!(
            "/tin-tuc/{cat}/{current}{suffix}"
        )))),
        None => Err(AppError::NotFound),
    }
}

/// The author a byline names, for structured data: "Tin, ảnh: Thanh Bình" is the
/// person Thanh Bình (the prefix says what they did, it is not their name);
/// "Văn phòng Sở" is an office.
fn byline_author(byline: &str) -> serde_json::Value {
    const ROLE_WORDS: &[&str] = &[
        "tin", "ảnh", "bài", "và", "video", "clip", "tác", "giả", "&",
    ];
    let byline = byline.trim();
    let name = match byline.split_once(':') {
        Some((prefix, name))
            if prefix
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .all(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str())) =>
        {
            name.trim()
        }
        _ => byline,
    };
    if name.is_empty() {
        return serde_json::Value::Null;
    }
    const OFFICES: &[&str] = &[
        "Văn phòng",
        "Phòng",
        "Ban",
        "Tổ",
        "Sở",
        "Trường",
        "Công đoàn",
        "Đoàn",
        "Liên đội",
    ];
    let kind = if OFFICES.iter().any(|o| name.starts_with(o)) {
        "Organization"
    } else {
        "Person"
    };
    serde_json::json!({ "@type": kind, "name": name })
}

/// schema.org `NewsArticle`, for search engines.
fn news_article_ld(
    a: &Article,
    url: &str,
    description: &str,
    image: Option<&str>,
    site: &CurrentSite,
    origin: &Origin,
) -> serde_json::Value {
    let publisher = serde_json::json!({
        "@type": "GovernmentOrganization",
        "name": site.site.settings.name,
        "url": origin.url("/"),
        "logo": site.site.settings.logo_url.as_deref().map(|l| origin.url(l)),
    });
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "headline": a.title,
        "description": description,
        "image": image.map(|i| vec![i]).unwrap_or_default(),
        "datePublished": iso(a.published_at),
        "dateModified": iso(a.updated_at.unwrap_or(a.published_at)),
        "author": byline_author(&a.author),
        "publisher": publisher,
        "articleSection": a.category.name,
        "inLanguage": "vi",
    })
}

/// 301 Moved Permanently: what search engines and old links understand best.
fn moved(location: &str) -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// Where a re-published article's original lives: its school's name and the
/// original's absolute address (its canonical one).
fn original(state: &AppState, origin: &Origin, a: &Article) -> Option<(String, String)> {
    let o = a.origin.as_ref()?;
    let school = state.sites.by_id(o.site_id)?;
    let host = school.site.main_host()?;
    Some((
        school.site.settings.name.clone(),
        format!("{}{}", origin.for_host(host), o.path),
    ))
}

fn view(a: &Article, views: i64) -> ArticleView {
    ArticleView {
        id: a.id.0,
        views: vntext::format_number(views),
        title: a.title.clone(),
        url: a.path(),
        category: a.category.name.clone(),
        category_url: a.category.path(),
        weekday: vntext::weekday_name(a.published_at).to_owned(),
        published: vntext::format_datetime(a.published_at),
        published_iso: iso(a.published_at),
        updated: a.updated_at.map(vntext::format_datetime),
        updated_iso: a.updated_at.map(iso),
        summary: a.summary.clone(),
        body: a.body.as_str().to_owned(),
        author: a.author.clone(),
        source: a.source.clone(),
        gallery: a
            .gallery
            .iter()
            .map(|g| Photo {
                img: Img::thumb(&g.media),
                caption: g.caption.clone(),
            })
            .collect(),
        original: None,
    }
}

/// `GET /tin-tuc/{category}/{slug}?trang=N` (N pages the related articles)
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path((category, slug)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let raw_page = query.get("trang").map(String::as_str);
    let page = PageNumber::parse(raw_page);
    let suffix = if page.0 > 1 {
        format!("?trang={}", page.0)
    } else {
        String::new()
    };
    let article = match find(&state, &site, &category, &slug, &suffix).await? {
        Found::Here(a) => a,
        Found::Moved(redirect) => return Ok(redirect),
    };
    let related = state.related(&article, page, RELATED_PER_PAGE).await?;
    let pager = Pager::new(related.total, RELATED_PER_PAGE, page).ok_or(AppError::NotFound)?;
    let latest = cards(&state.latest(site.site.id).await?);
    let original = original(&state, &origin, &article);
    // A copy names its original as the page search engines should keep.
    let url = match &original {
        Some((_, url)) => url.clone(),
        None => origin.url(&article.path()),
    };
    let description = if article.summary.is_empty() {
        article.body.to_plain_text().chars().take(200).collect()
    } else {
        article.summary.clone()
    };
    let image = article.cover.as_ref().map(|m| origin.url(&m.url()));
    let mut layout = Layout::new(
        &state,
        Some(&site),
        &article.title,
        Some(&article.category.path()),
    )
    .canonical(if page.0 > 1 && original.is_none() {
        format!("{url}?trang={}", page.0)
    } else {
        url.clone()
    });
    layout.json_ld = Some(json_for_script(&news_article_ld(
        &article,
        &url,
        &description,
        image.as_deref(),
        &site,
        &origin,
    )));
    layout.preview = Some(Preview {
        kind: "article",
        title: article.title.clone(),
        description: description.clone(),
        url: url.clone(),
        image,
        published_iso: Some(iso(article.published_at)),
        modified_iso: article.updated_at.map(iso),
    });
    layout.description = description;
    let share = Share::new(&url);
    let page_view = ArticleTemplate {
        layout,
        related_pager: PagerView::new(&pager, &article.path(), "#tin-lien-quan"),
        related: cards(&related.items),
        a: ArticleView {
            original,
            ..view(
                &article,
                state.counters.views_to_show(article.id, article.views),
            )
        },
        latest,
        share,
        commended: crate::emulation::public::story_links(&state, &site, &origin, article.id.0)
            .await?,
    };
    let mut res = Html(page_view.render()?).into_response();
    res.extensions_mut().insert(ViewedItem(article.id.into()));
    Ok(res)
}

/// `GET /tin-tuc/{category}/{slug}/in`: the same content without the site's chrome.
pub(crate) async fn print(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path((category, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let article = match find(&state, &site, &category, &slug, "/in").await? {
        Found::Here(a) => a,
        Found::Moved(redirect) => return Ok(redirect),
    };
    let original = original(&state, &origin, &article);
    let page = PrintTemplate {
        site_name: site.site.settings.name.clone(),
        absolute_url: original
            .as_ref()
            .map_or_else(|| origin.url(&article.path()), |(_, url)| url.clone()),
        a: ArticleView {
            original,
            ..view(
                &article,
                state.counters.views_to_show(article.id, article.views),
            )
        },
        css_url: crate::platform::assets::url("app.css"),
        js_url: crate::platform::assets::url("app.js"),
    };
    Ok(Html(page.render()?).into_response())
}

#[cfg(test)]
mod tests {
    use super::byline_author;

    #[test]
    fn a_bylines_prefix_is_not_part_of_the_authors_name() {
        for (byline, kind, name) in [
            ("Tin, ảnh: Thanh Bình", "Person", "Thanh Bình"),
            ("Tin: Hoàng Yến", "Person", "Hoàng Yến"),
            ("Bài và ảnh: Minh Tâm", "Person", "Minh Tâm"),
            ("Văn phòng Sở", "Organization", "Văn phòng Sở"),
            ("Nguyễn Văn A", "Person", "Nguyễn Văn A"),
            ("Ghi chú: bài dịch", "Person", "Ghi chú: bài dịch"),
        ] {
            let a = byline_author(byline);
            assert_eq!(a["@type"], kind, "{byline}");
            assert_eq!(a["name"], name, "{byline}");
        }
        assert!(byline_author("  ").is_null());
    }
}
