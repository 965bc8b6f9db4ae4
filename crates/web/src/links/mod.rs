//! Image links ("Ảnh liên kết", "Liên kết website"): logos that lead to the
//! sector's systems, the ministry, the province. Each site has its own links, in
//! its order, each between two dates; a site's shared links are shown on the
//! sites of the units below its unit too (the department gives every school a
//! set), before the school's own, unless the school hid one.
//!
//! Every page shows them in the side column ("Liên kết website") and as a band of
//! logos above the footer ("Ảnh liên kết"); the home page may show them as a block
//! (`lien-ket`, the key the links kept in the settings had before issue 15). The
//! links of every site are kept in memory and read again when content changes, so
//! rendering a page reads no store; dates are checked as each page is rendered.

pub(crate) mod admin;

use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::layout::Img;
use crate::platform::parts::{PagePart, Parts, Place, When};
use crate::platform::routes::Routes;
use crate::platform::site::SiteCtx;
use crate::{AppState, now};
use askama::Template;
use axum::routing::get;
use domain::{SiteId, Unit, UnitId};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use store::{SiteLink, Store};

/// A link as pages show it.
pub(crate) struct Shown {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub logo: Option<Img>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    /// Given by another site (its name), for the back office.
    pub given_by: Option<SiteId>,
}

impl Shown {
    fn from_link(l: &SiteLink, given_by: Option<SiteId>) -> Shown {
        Shown {
            id: l.id,
            title: l.title.clone(),
            url: l.url.clone(),
            logo: l.logo.as_ref().map(Img::thumb),
            starts_at: l.starts_at,
            ends_at: l.ends_at,
            given_by,
        }
    }

    fn shown_at(&self, now: i64) -> bool {
        self.starts_at.is_none_or(|s| s <= now) && self.ends_at.is_none_or(|e| now < e)
    }
}

/// What each site shows (every date), and what it was given and hid.
#[derive(Default)]
struct Sets {
    /// The content versions these were read at.
    version: i64,
    /// Per site, in order: the shared links given from above (the top unit's
    /// first), then its own; hidden ones left out.
    shown: HashMap<SiteId, Vec<Arc<Shown>>>,
    /// Per site, the shared links it was given, hidden or not, with whether hidden.
    given: HashMap<SiteId, Vec<(Arc<Shown>, bool)>>,
}

/// The links of every site, in memory.
pub(crate) struct Links {
    sets: RwLock<Arc<Sets>>,
}

impl Links {
    fn current(&self) -> Arc<Sets> {
        self.sets.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// What `site` shows at `now`, in order.
    pub(crate) fn shown(&self, site: SiteId, now: i64) -> Vec<Arc<Shown>> {
        self.current()
            .shown
            .get(&site)
            .map(|v| v.iter().filter(|l| l.shown_at(now)).cloned().collect())
            .unwrap_or_default()
    }

    /// The shared links `site` was given from above, with whether it hid them.
    pub(crate) fn given(&self, site: SiteId) -> Vec<(Arc<Shown>, bool)> {
        self.current().given.get(&site).cloned().unwrap_or_default()
    }
}

impl AppState {
    pub(crate) fn links(&self) -> &Links {
        self.part::<Links>()
    }
}

/// The sites of the units above `site`'s unit, the nearest first.
fn sites_above(site: SiteId, units: &[Unit]) -> Vec<SiteId> {
    let by_id: HashMap<UnitId, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let mut out = Vec::new();
    let Some(mut unit) = units.iter().find(|u| u.site == Some(site)) else {
        return out;
    };
    let mut seen = HashSet::new();
    while let Some(parent) = unit.parent.and_then(|p| by_id.get(&p)) {
        if !seen.insert(parent.id) {
            break;
        }
        if let Some(s) = parent.site {
            out.push(s);
        }
        unit = parent;
    }
    out
}

async fn load(store: &Store, version: i64) -> Result<Sets, store::Error> {
    let links = store.all_links().await?;
    let hidden: HashSet<(SiteId, i64)> = store.hidden_links().await?.into_iter().collect();
    let units = store.units().await?;
    let mut own: HashMap<SiteId, Vec<&SiteLink>> = HashMap::new();
    for l in &links {
        own.entry(l.site).or_default().push(l);
    }
    let shared: HashMap<SiteId, Vec<Arc<Shown>>> = own
        .iter()
        .map(|(site, ls)| {
            let list = ls
                .iter()
                .filter(|l| l.shared)
                .map(|l| Arc::new(Shown::from_link(l, Some(*site))))
                .collect();
            (*site, list)
        })
        .collect();
    let mut sets = Sets {
        version,
        ..Sets::default()
    };
    let sites: HashSet<SiteId> = own
        .keys()
        .copied()
        .chain(units.iter().filter_map(|u| u.site))
        .collect();
    for site in sites {
        let mut given = Vec::new();
        for above in sites_above(site, &units).into_iter().rev() {
            for l in shared.get(&above).into_iter().flatten() {
                given.push((l.clone(), hidden.contains(&(site, l.id))));
            }
        }
        let mut shown: Vec<Arc<Shown>> = given
            .iter()
            .filter(|(_, hid)| !hid)
            .map(|(l, _)| l.clone())
            .collect();
        shown.extend(
            own.get(&site)
                .into_iter()
                .flatten()
                .map(|l| Arc::new(Shown::from_link(l, None))),
        );
        if !shown.is_empty() {
            sets.shown.insert(site, shown);
        }
        if !given.is_empty() {
            sets.given.insert(site, given);
        }
    }
    Ok(sets)
}

/// Reads the links again when some site's content changed (a change of links
/// bumps the content version of its site, of every site for a shared link).
fn reload(state: &AppState) -> crate::platform::parts::ChoreFuture<'_> {
    Box::pin(async move {
        let version = state.cache.all_versions();
        if state.links().current().version == version {
            return;
        }
        match load(&state.store, version).await {
            Ok(sets) => {
                *state
                    .links()
                    .sets
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = Arc::new(sets)
            }
            Err(e) => tracing::warn!(error = %e, "could not read the links again"),
        }
    })
}

/// Reads every site's links, keeps them, and offers the side block, the footer
/// band and the home block.
pub(crate) async fn install(
    parts: &mut Parts,
    store: &Store,
    version: i64,
) -> Result<(), store::Error> {
    let sets = load(store, version).await?;
    parts.insert(Links {
        sets: RwLock::new(Arc::new(sets)),
    });
    parts.chore("links", When::AfterChange, reload);
    parts.page_part(PagePart {
        place: Place::Side,
        render: side,
    });
    parts.page_part(PagePart {
        place: Place::Footer,
        render: band,
    });
    parts.home_block(BlockKind {
        key: "lien-ket",
        name: "Liên kết website",
        settings: None,
        defaults: |_| Vec::new(),
        render: block,
        fresh: false,
    });
    Ok(())
}

/// The back office of links.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .admin("/quan-tri/lien-ket", get(admin::list).post(admin::act))
        .admin(
            "/quan-tri/lien-ket/moi",
            get(admin::new_form).post(admin::create),
        )
        .admin(
            "/quan-tri/lien-ket/{id}",
            get(admin::edit_form).post(admin::update),
        )
}

#[derive(Template)]
#[template(path = "links/side.html")]
struct SideTemplate<'a> {
    links: &'a [Arc<Shown>],
}

#[derive(Template)]
#[template(path = "links/band.html")]
struct BandTemplate<'a> {
    links: &'a [&'a Arc<Shown>],
}

#[derive(Template)]
#[template(path = "links/block.html")]
struct BlockTemplate<'a> {
    links: &'a [Arc<Shown>],
}

fn rendered(t: &impl Template) -> Option<String> {
    t.render()
        .map_err(|e| tracing::error!(error = %e, "links template"))
        .ok()
}

fn side(state: &AppState, site: &SiteCtx) -> Option<String> {
    let links = state.links().shown(site.site.id, now());
    if links.is_empty() {
        return None;
    }
    rendered(&SideTemplate { links: &links })
}

fn band(state: &AppState, site: &SiteCtx) -> Option<String> {
    let links = state.links().shown(site.site.id, now());
    let logos: Vec<&Arc<Shown>> = links.iter().filter(|l| l.logo.is_some()).collect();
    if logos.is_empty() {
        return None;
    }
    rendered(&BandTemplate { links: &logos })
}

fn block<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let links = state.links().shown(site.site.id, now());
        if links.is_empty() {
            return Ok(None);
        }
        Ok(Some(BlockTemplate { links: &links }.render()?))
    })
}
