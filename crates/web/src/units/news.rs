//! "Tin từ các đơn vị": the newest articles of the units under a site's unit (a
//! department's schools), each with its school and a link to the school's own
//! site. `/tin-cac-don-vi` pages them and narrows them by kind of unit and by
//! commune; the home page shows the first few.

use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::layout::{Img, Layout, PagerView, SelectOption, percent_encode};
use crate::platform::origin::Origin;
use crate::platform::pages::PageResult;
use crate::platform::site::{CurrentSite, SiteCtx};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use domain::{PageNumber, Pager, SiteId, Unit, UnitId, UnitKind};
use std::collections::{HashMap, HashSet};

/// Articles per page.
const PER_PAGE: u32 = 20;

/// An article of a unit, as lists show it.
pub(crate) struct UnitNews {
    /// The article, on its school's site.
    pub id: domain::ArticleId,
    /// The school's site.
    pub site: SiteId,
    pub title: String,
    pub url: String,
    pub unit: String,
    pub unit_url: String,
    pub date: String,
    pub iso: String,
    pub summary: String,
    pub thumb: Option<Img>,
}

/// What the list is narrowed to.
#[derive(Default)]
pub(crate) struct NewsFilter {
    pub kind: Option<UnitKind>,
    pub commune: Option<String>,
}

/// The units under the site's unit that have running sites, narrowed by
/// `filter`; with the communes under it, for the filter's choices.
async fn sources(
    state: &AppState,
    site: &SiteCtx,
    filter: &NewsFilter,
) -> Result<(Vec<(SiteId, String, String)>, Vec<Unit>), crate::AppError> {
    let units = state.store.units().await?;
    let Some(me) = units.iter().find(|u| u.site == Some(site.site.id)) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let below = domain::units_under(&units, me.id);
    let communes: Vec<Unit> = below
        .iter()
        .filter(|u| u.kind == UnitKind::Commune)
        .map(|u| (*u).clone())
        .collect();
    let within: Option<HashSet<UnitId>> = match &filter.commune {
        Some(key) => match communes.iter().find(|c| &c.key == key) {
            Some(c) => Some(
                domain::units_under(&units, c.id)
                    .iter()
                    .map(|u| u.id)
                    .collect(),
            ),
            None => Some(HashSet::new()),
        },
        None => None,
    };
    let mut out = Vec::new();
    for u in below {
        if filter.kind.is_some_and(|k| k != u.kind)
            || within.as_ref().is_some_and(|w| !w.contains(&u.id))
        {
            continue;
        }
        let Some(ctx) = u.site.and_then(|s| state.sites.by_id(s)) else {
            continue;
        };
        if ctx.site.suspended {
            continue;
        }
        if let Some(host) = ctx.site.main_host() {
            out.push((ctx.site.id, u.name.clone(), host.to_owned()));
        }
    }
    Ok((out, communes))
}

/// The name of a school's unit when its site is one whose news this site
/// gathers (a running site under this site's unit).
pub(crate) async fn source_name(
    state: &AppState,
    site: &SiteCtx,
    school: SiteId,
) -> Result<Option<String>, crate::AppError> {
    let (sources, _) = sources(state, site, &NewsFilter::default()).await?;
    Ok(sources
        .into_iter()
        .find(|(id, _, _)| *id == school)
        .map(|(_, name, _)| name))
}

/// The newest articles of the units under the site's unit: a page of them and
/// how many there are (counted only when `count`).
pub(crate) async fn news(
    state: &AppState,
    site: &SiteCtx,
    origin_of: &(dyn Fn(&str) -> String + Send + Sync),
    filter: &NewsFilter,
    limit: i64,
    offset: i64,
    count: bool,
) -> Result<(Vec<UnitNews>, i64, Vec<Unit>), crate::AppError> {
    let (sources, communes) = sources(state, site, filter).await?;
    let ids: Vec<SiteId> = sources.iter().map(|(id, _, _)| *id).collect();
    let (items, total) = state
        .store
        .news_of_sites(&ids, now(), limit, offset, count)
        .await?;
    let by_site: HashMap<SiteId, (&str, &str)> = sources
        .iter()
        .map(|(id, name, host)| (*id, (name.as_str(), host.as_str())))
        .collect();
    let news = items
        .into_iter()
        .filter_map(|(s, a)| {
            let (name, host) = by_site.get(&s)?;
            Some(UnitNews {
                id: a.id,
                site: s,
                url: format!("{}{}", origin_of(host), a.path()),
                unit: (*name).to_owned(),
                unit_url: format!("{}/", origin_of(host)),
                date: vntext::format_date(a.published_at),
                iso: vntext::local_iso_date(a.published_at),
                summary: a.summary.clone(),
                thumb: a.cover.as_ref().map(Img::thumb),
                title: a.title,
            })
        })
        .collect();
    Ok((news, total, communes))
}

#[derive(Template)]
#[template(path = "units/news.html")]
pub(crate) struct NewsTemplate {
    pub layout: Layout,
    pub items: Vec<UnitNews>,
    pub total: String,
    pub kinds: Vec<SelectOption>,
    pub communes: Vec<SelectOption>,
    pub pager: Option<PagerView>,
    pub filtered: bool,
}

/// `GET /tin-cac-don-vi[?loai=…&xa=…&trang=N]`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
    let (kind, commune) = (get("loai"), get("xa"));
    let filter = NewsFilter {
        kind: UnitKind::parse(&kind).filter(|_| !kind.is_empty()),
        commune: (!commune.is_empty()).then(|| commune.clone()),
    };
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let (items, total, communes) = news(
        &state,
        &site,
        &|host: &str| origin.for_host(host),
        &filter,
        i64::from(PER_PAGE),
        page_no.offset(PER_PAGE),
        true,
    )
    .await?;
    let mut query = Vec::new();
    if let Some(k) = filter.kind {
        query.push(format!("loai={}", k.as_str()));
    }
    if let Some(c) = &filter.commune {
        query.push(format!("xa={}", percent_encode(c)));
    }
    let base = if query.is_empty() {
        "/tin-cac-don-vi".to_owned()
    } else {
        format!("/tin-cac-don-vi?{}", query.join("&"))
    };
    let pager = Pager::new(total, PER_PAGE, page_no).and_then(|p| PagerView::new(&p, &base, ""));
    let current_kind = filter.kind.map_or("", UnitKind::as_str);
    let kinds = std::iter::once(SelectOption::new(
        String::new(),
        "Mọi loại đơn vị".to_owned(),
        current_kind,
    ))
    .chain(
        UnitKind::ALL
            .iter()
            .filter(|k| k.is_school() || **k == UnitKind::Centre)
            .map(|k| SelectOption::new(k.as_str().to_owned(), k.label().to_owned(), current_kind)),
    )
    .collect();
    let communes = std::iter::once(SelectOption::new(
        String::new(),
        "Mọi xã, phường".to_owned(),
        &commune,
    ))
    .chain(
        communes
            .iter()
            .map(|c| SelectOption::new(c.key.clone(), c.name.clone(), &commune)),
    )
    .collect();
    let mut layout =
        Layout::new(&state, Some(&site), "Tin từ các đơn vị", None).canonical(origin.url(&base));
    if page_no.0 > 1 {
        layout.page_title = format!("{} – Trang {}", layout.page_title, page_no.0);
    }
    Ok(Html(
        NewsTemplate {
            layout,
            items,
            total: vntext::format_number(total),
            kinds,
            communes,
            pager,
            filtered: filter.kind.is_some() || filter.commune.is_some(),
        }
        .render()?,
    ))
}

/// How many articles the home page's block shows.
const IN_BLOCK: i64 = 6;

#[derive(Template)]
#[template(path = "units/block.html")]
struct BlockTemplate {
    items: Vec<UnitNews>,
}

/// The home page's "Tin từ các đơn vị" block, shown by default on the default
/// site (the department's). Its links carry no scheme (`//host/…`: the reader's
/// own); the home page is kept by the page cache under the department's own
/// version, so a school's new article shows there within the cache's TTL, and
/// at once on `/tin-cac-don-vi`.
pub(crate) fn block_kind() -> BlockKind {
    BlockKind {
        key: "tin-don-vi",
        name: "Tin từ các đơn vị",
        settings: None,
        defaults: |site| {
            if site.site.is_default {
                vec![String::new()]
            } else {
                Vec::new()
            }
        },
        render: block,
        fresh: false,
    }
}

fn block<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let (items, _, _) = news(
            state,
            site,
            &|host: &str| format!("//{host}"),
            &NewsFilter::default(),
            IN_BLOCK,
            0,
            false,
        )
        .await?;
        if items.is_empty() {
            return Ok(None);
        }
        Ok(Some(BlockTemplate { items }.render()?))
    })
}
