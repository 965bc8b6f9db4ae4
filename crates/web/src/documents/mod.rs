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

/// Offers the registry to the menu, the side block "Văn bản mới" to every page
/// (a site may turn it off) and the same block to the home page (not shown by
/// default: a site adds it in /quan-tri/trang-chu).
pub(crate) async fn install(
    parts: &mut Parts,
    store: &store::Store,
    sites: &SiteCache,
    cache: &PageCache,
) -> Result<(), store::Error> {
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
    Ok(())
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
