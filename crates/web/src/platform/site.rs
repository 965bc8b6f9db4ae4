//! Which site a request is for: chosen by the Host header, with the default site
//! for hosts that no site claims. Sites and their menus are read once and kept in
//! memory; a change to them reloads the cache. A site's menu is resolved here
//! (`platform::menu`), once per change rather than on every page.

use crate::platform::menu::{MenuRegistry, NavItem};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::{Category, Site};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use store::Store;

/// A site with what every one of its pages shows: its menu.
#[derive(Debug)]
pub struct SiteCtx {
    /// The site.
    pub site: Site,
    /// Its categories in menu order.
    pub categories: Vec<Category>,
    /// Its main menu, as pages show it.
    pub(crate) menu: Vec<NavItem>,
}

/// Handlers take this to know their site.
#[derive(Debug, Clone)]
pub struct CurrentSite(pub Arc<SiteCtx>);

impl std::ops::Deref for CurrentSite {
    type Target = SiteCtx;
    fn deref(&self) -> &SiteCtx {
        &self.0
    }
}

#[derive(Default)]
struct SiteMap {
    by_host: HashMap<String, Arc<SiteCtx>>,
    default: Option<Arc<SiteCtx>>,
    /// Every site, the default first, then in the store's order.
    all: Vec<Arc<SiteCtx>>,
}

/// Sites by host name, in memory.
pub struct SiteCache {
    map: RwLock<Arc<SiteMap>>,
    /// What menu items may lead to, as the features registered it.
    menus: RwLock<Arc<MenuRegistry>>,
}

impl SiteCache {
    /// Reads every site and its categories.
    pub async fn load(store: &Store) -> Result<SiteCache, store::Error> {
        let cache = SiteCache {
            map: RwLock::new(Arc::new(SiteMap::default())),
            menus: RwLock::new(Arc::new(MenuRegistry::default())),
        };
        cache.reload(store).await?;
        Ok(cache)
    }

    /// Reads the sites again, after a change.
    pub async fn reload(&self, store: &Store) -> Result<(), store::Error> {
        let mut map = SiteMap::default();
        let registry = self.menu_registry();
        let arranged = store.site_menus().await?;
        for site in store.sites().await? {
            let categories = store.categories(site.id).await?;
            let mut ctx = SiteCtx {
                site,
                categories,
                menu: Vec::new(),
            };
            ctx.menu = registry
                .resolve(store, &ctx, arranged.get(&ctx.site.id).map(Vec::as_slice))
                .await?;
            let ctx = Arc::new(ctx);
            for host in &ctx.site.hosts {
                map.by_host.insert(host.clone(), ctx.clone());
            }
            map.all.push(ctx.clone());
            if ctx.site.is_default || map.default.is_none() {
                map.default = Some(ctx);
            }
        }
        *self.map.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(map);
        Ok(())
    }

    /// Takes what the features registered for the menu (once they are installed);
    /// the next reload builds the menus with it.
    pub(crate) fn use_menus(&self, registry: MenuRegistry) {
        *self.menus.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(registry);
    }

    /// What menu items may lead to.
    pub(crate) fn menu_registry(&self) -> Arc<MenuRegistry> {
        self.menus.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A site by id.
    pub fn by_id(&self, id: domain::SiteId) -> Option<Arc<SiteCtx>> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.all.iter().find(|s| s.site.id == id).cloned()
    }

    /// A site by its key ("so", "lqd").
    pub fn by_key(&self, key: &str) -> Option<Arc<SiteCtx>> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.all.iter().find(|s| s.site.key == key).cloned()
    }

    /// Every site, the default first.
    pub fn all(&self) -> Vec<Arc<SiteCtx>> {
        self.map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .all
            .clone()
    }

    /// The site that claims this host name itself (no default for other names).
    pub fn claiming(&self, host: &str) -> Option<Arc<SiteCtx>> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.by_host.get(&domain::normalize_host(host)).cloned()
    }

    /// A site's name, by id.
    pub fn name_of(&self, id: domain::SiteId) -> Option<String> {
        self.by_id(id).map(|s| s.site.settings.name.clone())
    }

    /// The site for a Host header value.
    pub fn for_host(&self, host: &str) -> Option<Arc<SiteCtx>> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        // Most requests carry the host exactly as stored: no need to normalise.
        if let Some(site) = map.by_host.get(host) {
            return Some(site.clone());
        }
        map.by_host
            .get(&domain::normalize_host(host))
            .or(map.default.as_ref())
            .cloned()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentSite {
    type Rejection = crate::AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentSite>()
            .cloned()
            .ok_or_else(|| crate::AppError::Internal("site not resolved".into()))
    }
}
