//! Official documents ("Văn bản"): the public registry at `/van-ban` (filters as
//! GET parameters, each declared as a vary key of the page cache), a document's
//! page at `/van-ban/<slug>` with its PDF shown by the browser's own viewer, the
//! downloads (served with Range), and the back office at `/quan-tri/van-ban`
//! (the articles' workflow and revisions, the site's lists of types, issuers,
//! signers and fields). A school's list also shows the department's documents
//! ("Văn bản cấp trên") unless the school hides them.

pub(crate) mod admin;
pub(crate) mod feeds;
pub mod import;
pub(crate) mod import_page;
pub(crate) mod public;
pub(crate) mod side;

use crate::AppState;
use crate::platform::blocks::BlockKind;
use crate::platform::cache::PageCache;
use crate::platform::feeds::Feed;
use crate::platform::keyed::KeyedLocks;
use crate::platform::memo::Memo;
use crate::platform::menu::ModulePage;
use crate::platform::parts::{ChoreFuture, PagePart, Parts, Place, When};
use crate::platform::routes::{NO_QUERY, Routes};
use crate::platform::site::SiteCache;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// The query keys the public list reads: every filter, the order and the page.
pub(crate) const LIST_KEYS: &[&str] = &[
    "loai",
    "co-quan",
    "linh-vuc",
    "nguoi-ky",
    "nam",
    "tu-ngay",
    "den-ngay",
    "tinh-trang",
    "q",
    "sap-xep",
    "trang",
];

/// The documents' routes, public and back office.
pub(crate) fn routes(state: &AppState) -> Routes {
    // Several attached files, each up to the documents' limit, and the form.
    let limit = crate::media::uploads::attachments_limit(state);
    Routes::new()
        // The department's documents shown on a school's list: another site's content.
        .gathered("/van-ban", LIST_KEYS, get(public::list))
        .public("/van-ban/rss.xml", NO_QUERY, get(feeds::feed))
        .public("/van-ban/sitemap.xml", NO_QUERY, get(feeds::sitemap))
        .public("/van-ban/{slug}", NO_QUERY, get(public::show))
        .public("/van-ban/{slug}/ban-in", NO_QUERY, get(public::print))
        .personal("/van-ban/{slug}/tep/{file}", get(public::download))
        .admin("/quan-tri/van-ban", get(admin::list))
        .admin(
            "/quan-tri/van-ban/moi",
            get(admin::new_form)
                .post(admin::create)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .admin(
            "/quan-tri/van-ban/nhap",
            get(import_page::form)
                .post(import_page::upload)
                .layer(DefaultBodyLimit::max(import_page::upload_limit(state))),
        )
        .admin(
            "/quan-tri/van-ban/nhap/xac-nhan",
            post(import_page::confirm),
        )
        .admin(
            "/quan-tri/van-ban/danh-muc",
            get(admin::terms).post(admin::change_terms),
        )
        .admin(
            "/quan-tri/van-ban/{id}",
            get(admin::edit_form)
                .post(admin::save)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .admin("/quan-tri/van-ban/{id}/phien-ban", get(admin::revisions))
        .admin(
            "/quan-tri/van-ban/{id}/phien-ban/{n}/khoi-phuc",
            post(admin::restore),
        )
}

/// What the public list keeps per content version of its site, so that a list
/// rendered afresh asks the database for its page of rows only.
pub(crate) struct Memos {
    /// The site's lists (types, issuers, fields, signers) for the filter form.
    pub lists: Memo<(), [Vec<domain::Term>; 4]>,
    /// How many documents a filter finds, by the filter's keys and the day
    /// (validity is the day's): counting is the slow half of a list.
    pub totals: Memo<String, i64>,
    /// One count at a time per site and filter: the requests that arrive while a
    /// count is made (when the content changed, or its time ran out) wait for it
    /// rather than all count at once.
    pub counting: KeyedLocks,
    /// Downloadable files by document slug and file id: a PDF viewer asks for
    /// many ranges of one file.
    pub files: Memo<(String, i64), store::DocumentDownload>,
}

/// The last Vietnamese day whose validity turns this instance has seen applied.
struct DayTurn(std::sync::Mutex<String>);

/// Offers the registry to the menu, the side block "Văn bản mới" to every page
/// (a site may turn it off) and the same block to the home page (not shown by
/// default: a site adds it in /quan-tri/trang-chu).
pub(crate) async fn install(
    parts: &mut Parts,
    store: &store::Store,
    sites: &SiteCache,
    cache: &PageCache,
    max_entries: usize,
) -> Result<(), store::Error> {
    parts.insert(Memos {
        lists: Memo::new(1_000),
        totals: Memo::new(max_entries),
        counting: KeyedLocks::default(),
        files: Memo::new(max_entries),
    });
    parts.insert(DayTurn(std::sync::Mutex::new(String::new())));
    let newest = side::Newest::default();
    newest.refresh(store, sites, cache).await?;
    parts.insert(newest);
    parts.insert(import_page::WaitingImports::default());
    parts.page_part(PagePart {
        place: Place::Side,
        render: side::side_block,
    });
    parts.home_block(BlockKind {
        key: "van-ban-moi",
        name: "Văn bản mới",
        settings: None,
        defaults: |_| Vec::new(),
        render: side::home_block,
        fresh: false,
    });
    parts.feed(Feed {
        title: "Văn bản",
        path: "/van-ban/rss.xml",
    });
    parts.sitemap("/van-ban/sitemap.xml");
    parts.menu_page(ModulePage {
        key: "van-ban",
        label: "Văn bản",
        path: "/van-ban",
        in_default: false,
    });
    parts.chore(
        "documents: scheduled publishing",
        When::Round,
        publish_due_documents,
    );
    parts.chore(
        "documents: the newest of each site",
        When::AfterChange,
        refresh_newest,
    );
    parts.chore(
        "documents: validity turns at midnight",
        When::Round,
        turn_the_day,
    );
    Ok(())
}

impl AppState {
    pub(crate) fn document_memos(&self) -> &Memos {
        self.part()
    }
}

/// At the first round of a Vietnamese day, the sites whose documents' validity
/// turns that day (an effect or expiry date) get a new content version, so their
/// cached lists and pages show it (see [`store::Store::document_day_turn`]). The
/// store is asked once a day per instance.
fn turn_the_day(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        let now = crate::now();
        let today = vntext::local_iso_date(now);
        let seen = &state.part::<DayTurn>().0;
        if *seen.lock().unwrap_or_else(|e| e.into_inner()) == today {
            return;
        }
        match state.store.document_day_turn(&today, now).await {
            Ok(sites) => {
                if !sites.is_empty() {
                    tracing::info!(
                        sites = sites.len(),
                        "documents' validity turned for the day"
                    );
                }
                *seen.lock().unwrap_or_else(|e| e.into_inner()) = today;
            }
            Err(e) => {
                tracing::warn!(error = %e, "documents' validity not turned; tried again next round");
            }
        }
    })
}

/// Reads the newest documents of the sites whose content changed.
fn refresh_newest(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        let newest = state.part::<side::Newest>();
        if let Err(e) = newest
            .refresh(&state.store, &state.sites, &state.cache)
            .await
        {
            tracing::warn!(error = %e, "newest documents not read again; tried after the next change");
        }
    })
}

/// The scheduler: a scheduled document whose time has come is published here,
/// so that search (fed by the outbox) finds it.
fn publish_due_documents(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.store.publish_due_documents(crate::now()).await {
            tracing::warn!(error = %e, "scheduled documents failed; they are tried again next round");
        }
    })
}
