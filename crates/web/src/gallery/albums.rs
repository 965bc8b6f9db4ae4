//! `/thu-vien-anh`: the published albums, each a grid of thumbnails; the page's
//! script opens a viewer over it (swipe, arrow keys, Escape). Without the script
//! each thumbnail leads to the photo's own page (`/thu-vien-anh/<slug>/anh/<n>`).

use crate::gallery::date_pair;
use crate::platform::layout::{Img, Layout, PagerView, Preview, json_for_script};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use domain::{PageNumber, Pager};
use std::collections::HashMap;
use store::{Album, AlbumPhoto};

/// The list of albums.
pub(crate) const LIST_PATH: &str = "/thu-vien-anh";
/// Albums a page of the list shows.
const PER_PAGE: u32 = 12;
/// What the browser is told of a thumbnail's width in the grid.
pub(crate) const GRID_SIZES: &str = "(max-width: 600px) 50vw, 260px";
/// What the browser is told of a photo's width in the viewer and on its page.
pub(crate) const FULL_SIZES: &str = "100vw";

/// An album as a card.
pub(crate) struct AlbumCard {
    pub title: String,
    pub url: String,
    pub date_iso: String,
    pub date: String,
    pub count: i64,
    pub cover: Option<Img>,
}

impl AlbumCard {
    pub(crate) fn of(a: &Album) -> AlbumCard {
        let (date_iso, date) = date_pair(&a.held_on);
        AlbumCard {
            title: a.title.clone(),
            url: a.path(),
            date_iso,
            date,
            count: a.photo_count,
            cover: a.cover.as_ref().map(Img::thumb),
        }
    }
}

/// A photo of an album as pages print it.
pub(crate) struct PhotoView {
    /// Its place, from 1.
    pub n: usize,
    /// Its own page.
    pub page_url: String,
    pub img: Img,
    pub caption: String,
    /// The text alternative: the caption, or "Ảnh n của album …".
    pub alt: String,
}

fn photo_views(album: &Album, photos: &[AlbumPhoto]) -> Vec<PhotoView> {
    photos
        .iter()
        .enumerate()
        .map(|(i, p)| PhotoView {
            n: i + 1,
            page_url: format!("{}/anh/{}", album.path(), i + 1),
            img: Img::thumb(&p.media),
            alt: if p.caption.is_empty() {
                format!("Ảnh {} của album {}", i + 1, album.title)
            } else {
                p.caption.clone()
            },
            caption: p.caption.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "gallery/album_list.html")]
struct ListTemplate {
    layout: Layout,
    cards: Vec<AlbumCard>,
    page: u32,
    pager: Option<PagerView>,
}

#[derive(Template)]
#[template(path = "gallery/album.html")]
struct AlbumTemplate {
    layout: Layout,
    title: String,
    url: String,
    date_iso: String,
    date: String,
    description: String,
    article: Option<(String, String)>,
    photos: Vec<PhotoView>,
    grid_sizes: &'static str,
    full_sizes: &'static str,
    script_url: String,
}

#[derive(Template)]
#[template(path = "gallery/photo.html")]
struct PhotoTemplate {
    layout: Layout,
    album_title: String,
    album_url: String,
    photo: PhotoView,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    full_sizes: &'static str,
}

/// `GET /thu-vien-anh[?trang=N]`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let page = PageNumber::parse(q.get("trang").map(String::as_str));
    let (albums, total) = state
        .store
        .albums(
            site.site.id,
            true,
            i64::from(PER_PAGE),
            page.offset(PER_PAGE),
        )
        .await?;
    let pager = Pager::new(total, PER_PAGE, page).ok_or(AppError::NotFound)?;
    let layout = Layout::new(&state, Some(&site), "Thư viện ảnh", Some(LIST_PATH))
        .canonical(origin.url(LIST_PATH));
    let view = ListTemplate {
        layout,
        cards: albums.iter().map(AlbumCard::of).collect(),
        page: page.0,
        pager: PagerView::new(&pager, LIST_PATH, ""),
    };
    Ok(Html(view.render()?).into_response())
}

async fn load(
    state: &AppState,
    site: &CurrentSite,
    slug: &str,
) -> Result<(Album, Vec<AlbumPhoto>), AppError> {
    let album = state
        .store
        .public_album(site.site.id, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let photos = state.store.album_photos(album.id).await?;
    Ok((album, photos))
}

/// The link to the album's article, when it has a public one.
async fn article_link(
    state: &AppState,
    site: &CurrentSite,
    album: &Album,
) -> Result<Option<(String, String)>, AppError> {
    let Some(id) = album.article_id else {
        return Ok(None);
    };
    Ok(state
        .store
        .album_article(site.site.id, id, crate::now())
        .await?)
}

/// `GET /thu-vien-anh/{slug}`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (album, photos) = load(&state, &site, &slug).await?;
    let url = album.path();
    let absolute = origin.url(&url);
    let description = if album.description.is_empty() {
        format!("{} ảnh: {}", photos.len(), album.title)
    } else {
        album.description.clone()
    };
    let views = photo_views(&album, &photos);
    let mut layout =
        Layout::new(&state, Some(&site), &album.title, Some(LIST_PATH)).canonical(absolute.clone());
    let image = album.cover.as_ref().map(|m| origin.url(&m.url()));
    layout.json_ld = Some(json_for_script(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ImageGallery",
        "name": album.title,
        "description": description,
        "url": absolute,
        "datePublished": album.held_on,
        "inLanguage": "vi",
        "image": views.iter().map(|p| serde_json::json!({
            "@type": "ImageObject",
            "contentUrl": origin.url(&p.img.full),
            "thumbnailUrl": origin.url(&p.img.src),
            "caption": p.caption,
            "width": p.img.width,
            "height": p.img.height,
        })).collect::<Vec<_>>(),
    })));
    layout.preview = Some(Preview {
        kind: "website",
        title: album.title.clone(),
        description: description.clone(),
        url: absolute,
        image,
        published_iso: None,
        modified_iso: None,
    });
    layout.description = description;
    let (date_iso, date) = date_pair(&album.held_on);
    let view = AlbumTemplate {
        layout,
        article: article_link(&state, &site, &album).await?,
        title: album.title,
        url,
        date_iso,
        date,
        description: album.description,
        photos: views,
        grid_sizes: GRID_SIZES,
        full_sizes: FULL_SIZES,
        script_url: crate::platform::assets::url("gallery.js"),
    };
    Ok(Html(view.render()?).into_response())
}

/// `GET /thu-vien-anh/{slug}/anh/{n}`: one photo, with the previous and next.
pub(crate) async fn photo(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path((slug, n)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let (album, photos) = load(&state, &site, &slug).await?;
    let total = photos.len();
    if n == 0 || n > total {
        return Err(AppError::NotFound);
    }
    let mut views = photo_views(&album, &photos);
    let photo = views.swap_remove(n - 1);
    let title = format!("Ảnh {n}/{total} – {}", album.title);
    let mut layout = Layout::new(&state, Some(&site), &title, Some(LIST_PATH))
        .canonical(origin.url(&photo.page_url));
    layout.description = if photo.caption.is_empty() {
        title.clone()
    } else {
        photo.caption.clone()
    };
    let view = PhotoTemplate {
        layout,
        album_url: album.path(),
        previous: (n > 1).then(|| format!("{}/anh/{}", album.path(), n - 1)),
        next: (n < total).then(|| format!("{}/anh/{}", album.path(), n + 1)),
        album_title: album.title,
        photo,
        total,
        full_sizes: FULL_SIZES,
    };
    Ok(Html(view.render()?).into_response())
}
