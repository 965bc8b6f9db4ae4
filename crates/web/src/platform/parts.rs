//! What features keep in the application: their own state (one value of each
//! feature's type, found by type), their background chores, and what they add to
//! the pages every site arranges (menu targets, home-page blocks, parts of every
//! page) and to what machines read (feeds, sitemaps). `App` itself
//! has no field that belongs to one feature.

use crate::AppState;
use crate::platform::blocks::BlockKind;
use crate::platform::feeds::Feed;
use crate::platform::menu::{MenuKind, MenuRegistry, ModulePage};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// A chore's work under way.
pub(crate) type ChoreFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A chore's work, given the application.
pub(crate) type ChoreFn = for<'a> fn(&'a AppState) -> ChoreFuture<'a>;

/// When a chore runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// Every background round (`[counters] flush_seconds`), after the counters
    /// are written and before content changes are picked up.
    Round,
    /// After any content change: one made here (the back office calls
    /// [`AppState::content_changed`]) or picked up in a round.
    AfterChange,
    /// Every second, so changes made elsewhere arrive soon.
    EverySecond,
    /// Every hour.
    Hourly,
}

/// A feature's background chore. It reports its own failures (logged, tried
/// again next time); nothing it does can stop the others.
pub(crate) struct Chore {
    /// For the logs.
    pub name: &'static str,
    pub when: When,
    pub run: ChoreFn,
}

/// Where a feature's part of every page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// The top of the side column, above the platform's own blocks (what must
    /// be seen: the current notices).
    SideTop,
    /// The side column, after the platform's own blocks.
    Side,
    /// A band above the footer.
    Footer,
}

/// A feature's part of every page of a site: its HTML (the feature's own
/// template), or none when it has nothing to show. It runs as every page is
/// rendered, so it reads memory only (no store, no await).
pub(crate) struct PagePart {
    pub place: Place,
    pub render: fn(&AppState, &crate::platform::site::SiteCtx) -> Option<String>,
}

/// Each feature's state, and the chores they registered.
#[derive(Default)]
pub(crate) struct Parts {
    parts: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    chores: Vec<Chore>,
    menu: MenuRegistry,
    blocks: Vec<BlockKind>,
    page_parts: Vec<PagePart>,
    feeds: Vec<Feed>,
    sitemaps: Vec<&'static str>,
}

impl Parts {
    /// Keeps a feature's state; one value per type.
    pub(crate) fn insert<T: Any + Send + Sync>(&mut self, part: T) {
        self.parts.insert(TypeId::of::<T>(), Box::new(part));
    }

    /// A feature's state. Every feature installs its own at start
    /// (`AppState::new`), so a missing one is a programming error.
    pub(crate) fn get<T: Any>(&self) -> &T {
        self.parts
            .get(&TypeId::of::<T>())
            .and_then(|p| p.downcast_ref())
            .unwrap_or_else(|| panic!("{} was not installed", std::any::type_name::<T>()))
    }

    /// Registers a chore.
    pub(crate) fn chore(&mut self, name: &'static str, when: When, run: ChoreFn) {
        self.chores.push(Chore { name, when, run });
    }

    /// The chores that run `when`, in the order they were registered.
    pub(crate) fn chores(&self, when: When) -> impl Iterator<Item = &Chore> {
        self.chores.iter().filter(move |c| c.when == when)
    }

    /// Offers a kind of menu target (a site's categories, its pages).
    pub(crate) fn menu_kind(&mut self, kind: MenuKind) {
        self.menu.kind(kind);
    }

    /// Offers a module's own page to the menu.
    pub(crate) fn menu_page(&mut self, page: ModulePage) {
        self.menu.page(page);
    }

    /// Hands the menu's registry over (once every feature is installed).
    pub(crate) fn take_menu(&mut self) -> MenuRegistry {
        std::mem::take(&mut self.menu)
    }

    /// Offers a kind of home-page block; the default home page shows the kinds'
    /// defaults in the order they were registered.
    pub(crate) fn home_block(&mut self, kind: BlockKind) {
        self.blocks.push(kind);
    }

    /// The kinds of home-page block, in the order they were registered.
    pub(crate) fn home_blocks(&self) -> &[BlockKind] {
        &self.blocks
    }

    /// Adds a part to every page (a side block, a footer band), after those
    /// registered before it.
    pub(crate) fn page_part(&mut self, part: PagePart) {
        self.page_parts.push(part);
    }

    /// The parts every page shows at `place`, in the order they were registered.
    pub(crate) fn page_parts(&self, place: Place) -> impl Iterator<Item = &PagePart> {
        self.page_parts.iter().filter(move |p| p.place == place)
    }

    /// Offers a feed to the "RSS" page.
    pub(crate) fn feed(&mut self, feed: Feed) {
        self.feeds.push(feed);
    }

    /// The features' feeds, in the order they were registered.
    pub(crate) fn feeds(&self) -> &[Feed] {
        &self.feeds
    }

    /// Names a sitemap beside the site's own `/sitemap.xml` (robots.txt lists it).
    pub(crate) fn sitemap(&mut self, path: &'static str) {
        self.sitemaps.push(path);
    }

    /// The features' sitemaps, in the order they were registered.
    pub(crate) fn sitemaps(&self) -> &[&'static str] {
        &self.sitemaps
    }
}
