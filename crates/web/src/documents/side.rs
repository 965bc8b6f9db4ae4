//! The block "Văn bản mới" on every page (the side column, through
//! `Parts::page_part`) and on the home pages that add it: the newest public
//! documents of the site and, on a school's site that shows "Văn bản cấp trên",
//! the department's, newest issued first.
//!
//! Pages read it from memory: each site's newest documents are read again only
//! when its content version moves (a change of the department's documents moves
//! every site's, see `store::documents`), so a page rendered afresh asks no store.

use crate::platform::blocks::BlockFuture;
use crate::platform::cache::PageCache;
use crate::platform::site::{SiteCache, SiteCtx};
use crate::{AppState, now};
use askama::Template;
use domain::SiteId;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use store::{DocumentFilter, DocumentRow, DocumentSiteOptions, Store};

/// Documents the block lists.
const BLOCK_ITEMS: usize = 6;

/// The department: its site, main host and name.
struct Department {
    site: SiteId,
    host: String,
    name: String,
}

#[derive(Default)]
struct Held {
    /// Per site: the content version its documents were read at, and its
    /// newest public documents (by issue date).
    own: HashMap<SiteId, (i64, Arc<Vec<DocumentRow>>)>,
    /// The sites' choices (sites with none take the default: both shown).
    options: HashMap<SiteId, DocumentSiteOptions>,
    department: Option<Department>,
}

/// Every site's newest documents, in memory.
#[derive(Default)]
pub(crate) struct Newest {
    held: RwLock<Arc<Held>>,
}

impl Newest {
    fn held(&self) -> Arc<Held> {
        self.held.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reads again the documents of the sites whose content version moved since
    /// they were read (every site, the first time).
    pub(crate) async fn refresh(
        &self,
        store: &Store,
        sites: &SiteCache,
        cache: &PageCache,
    ) -> Result<(), store::Error> {
        let old = self.held();
        let now = now();
        let today = vntext::local_iso_date(now);
        let all = sites.all();
        let mut own = HashMap::with_capacity(all.len());
        let mut changed = all.len() != old.own.len();
        for ctx in &all {
            let id = ctx.site.id;
            let version = cache.version(id);
            match old.own.get(&id) {
                Some((at, rows)) if *at == version => {
                    own.insert(id, (version, rows.clone()));
                }
                _ => {
                    let (rows, _) = store
                        .public_documents(
                            id,
                            &DocumentFilter::default(),
                            now,
                            &today,
                            BLOCK_ITEMS as i64,
                            0,
                        )
                        .await?;
                    own.insert(id, (version, Arc::new(rows)));
                    changed = true;
                }
            }
        }
        if !changed {
            return Ok(());
        }
        let held = Held {
            own,
            options: store.document_site_options().await?.into_iter().collect(),
            department: all.iter().find(|s| s.site.is_default).and_then(|d| {
                Some(Department {
                    site: d.site.id,
                    host: d.site.main_host()?.to_owned(),
                    name: d.site.settings.name.clone(),
                })
            }),
        };
        *self.held.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(held);
        Ok(())
    }
}

/// A line of the block: a document, and the department's name when it is theirs.
pub(crate) struct NewLine {
    pub l: super::public::DocLine,
    pub from: Option<String>,
}

#[derive(Template)]
#[template(path = "documents/block.html")]
struct Block {
    lines: Vec<NewLine>,
    /// The side column's block has a heading id; the home page's has its own.
    side: bool,
}

/// The newest documents `site` shows: its own and, on a school that shows
/// them, the department's (linked on the department's site), newest issued first.
fn newest_lines(held: &Held, site: &SiteCtx, options: DocumentSiteOptions) -> Vec<NewLine> {
    let today = vntext::local_iso_date(now());
    let mut rows: Vec<(&DocumentRow, Option<&Department>)> = held
        .own
        .get(&site.site.id)
        .map(|(_, rows)| rows.iter().map(|r| (r, None)).collect())
        .unwrap_or_default();
    if !site.site.is_default
        && !options.hide_upper
        && let Some(dept) = held.department.as_ref().filter(|d| d.site != site.site.id)
        && let Some((_, theirs)) = held.own.get(&dept.site)
    {
        rows.extend(theirs.iter().map(|r| (r, Some(dept))));
    }
    rows.sort_by(|(a, _), (b, _)| {
        (b.issued_on.as_str(), b.published_at, b.id).cmp(&(
            a.issued_on.as_str(),
            a.published_at,
            a.id,
        ))
    });
    rows.into_iter()
        .take(BLOCK_ITEMS)
        .filter_map(|(r, dept)| {
            // The department's pages are on its own host, in the page's scheme.
            let origin = dept.map_or(String::new(), |d| format!("//{}", d.host));
            let l = super::public::lines(std::slice::from_ref(r), &today, &origin).pop()?;
            Some(NewLine {
                l,
                from: dept.map(|d| d.name.clone()),
            })
        })
        .collect()
}

fn render(state: &AppState, site: &SiteCtx, side: bool) -> Option<String> {
    let held = state.part::<Newest>().held();
    let options = held.options.get(&site.site.id).copied().unwrap_or_default();
    if side && options.hide_side {
        return None;
    }
    let lines = newest_lines(&held, site, options);
    if lines.is_empty() {
        return None;
    }
    Block { lines, side }
        .render()
        .map_err(|e| tracing::error!(error = %e, "documents block template"))
        .ok()
}

/// The side block of every page (unless the site turned it off).
pub(crate) fn side_block(state: &AppState, site: &SiteCtx) -> Option<String> {
    render(state, site, true)
}

/// The home-page block "Văn bản mới" (a site adds it in /quan-tri/trang-chu).
pub(crate) fn home_block<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move { Ok(render(state, site, false)) })
}
