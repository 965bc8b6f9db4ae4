//! How a feature declares its routes: each with its page-cache policy, and any
//! fast path it wants answered by the front door before routing.
//!
//! The page cache sits in front of the router, so it cannot ask a handler what
//! the handler reads. Every route says it here instead: public and varying by
//! the query keys it lists, personal (never cached, `no-store`), or back office
//! (never cached). A query key a public route does not list bypasses the cache
//! and is never stored, so a new list filtered by its query string can never be
//! served to another query by mistake.

use crate::AppState;
use crate::platform::site::CurrentSite;
use axum::Router;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::MethodRouter;
use std::collections::HashMap;

/// What the page cache may do with a route's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// The same for every anonymous reader: kept, keyed by the path and the
    /// values of these query keys (the page number `trang` read as a page
    /// number). Any other key (but tracking keys no page reads) bypasses the cache.
    Public(&'static [&'static str]),
    /// Like `Public`, for a page gathered from other sites too (a department's
    /// "Tin từ các đơn vị"): kept only while no site's content changed.
    Gathered(&'static [&'static str]),
    /// Depends on who asks (an exam result): never kept, sent `no-store`.
    Personal,
    /// The back office: never kept (its pages say `no-store` themselves).
    Admin,
}

/// A page's query keys for the page number only: lists.
pub const PAGED: &[&str] = &["trang"];
/// No query key at all.
pub const NO_QUERY: &[&str] = &[];

/// An answer made in the front door itself, without routing (results day's
/// busiest address): from the state, the site, the request's headers, its
/// connection details and its address.
pub type FastPath =
    fn(&AppState, &CurrentSite, &HeaderMap, &axum::http::Extensions, &Uri) -> Response;

/// A feature's routes, their cache policies and fast paths.
pub(crate) struct Routes {
    router: Router<AppState>,
    policies: Vec<(&'static str, CachePolicy)>,
    fast_paths: Vec<(&'static str, FastPath)>,
}

impl Routes {
    /// No route yet.
    pub(crate) fn new() -> Routes {
        Routes {
            router: Router::new(),
            policies: Vec::new(),
            fast_paths: Vec::new(),
        }
    }

    fn route(
        mut self,
        path: &'static str,
        policy: CachePolicy,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.router = self.router.route(path, handler);
        self.policies.push((path, policy));
        self
    }

    /// A page the same for every anonymous reader, varying by `vary` query keys.
    pub(crate) fn public(
        self,
        path: &'static str,
        vary: &'static [&'static str],
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.route(path, CachePolicy::Public(vary), handler)
    }

    /// A public page that shows other sites' content too (see [`CachePolicy::Gathered`]).
    pub(crate) fn gathered(
        self,
        path: &'static str,
        vary: &'static [&'static str],
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.route(path, CachePolicy::Gathered(vary), handler)
    }

    /// An answer for one person: never cached.
    pub(crate) fn personal(self, path: &'static str, handler: MethodRouter<AppState>) -> Routes {
        self.route(path, CachePolicy::Personal, handler)
    }

    /// A back-office page: never cached.
    pub(crate) fn admin(self, path: &'static str, handler: MethodRouter<AppState>) -> Routes {
        self.route(path, CachePolicy::Admin, handler)
    }

    /// A service under a prefix (files), public with no query.
    pub(crate) fn public_files<S>(
        mut self,
        prefix: &'static str,
        pattern: &'static str,
        service: S,
    ) -> Routes
    where
        S: tower::Service<axum::extract::Request, Error = std::convert::Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Response: axum::response::IntoResponse,
        S::Future: Send + 'static,
    {
        self.router = self.router.nest_service(prefix, service);
        self.policies.push((pattern, CachePolicy::Public(NO_QUERY)));
        self
    }

    /// A GET the front door answers itself, before routing; the route stays
    /// declared (for HEAD and the policy) with its own handler.
    pub(crate) fn fast_path(mut self, path: &'static str, answer: FastPath) -> Routes {
        self.fast_paths.push((path, answer));
        self
    }

    /// These routes and `other`'s.
    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.policies.extend(other.policies);
        self.fast_paths.extend(other.fast_paths);
        self
    }

    /// The router, and the table the front door reads.
    pub(crate) fn into_parts(self) -> (Router<AppState>, RouteTable) {
        let mut policies = matchit::Router::new();
        for (path, policy) in self.policies {
            // Two features declaring one path is a programming error, found by
            // the router's own panic on the same path.
            let _ = policies.insert(path, policy);
        }
        let table = RouteTable {
            policies,
            fast_paths: self.fast_paths.into_iter().collect(),
        };
        (self.router, table)
    }
}

/// What the front door knows of the routes: their policies and fast paths.
pub struct RouteTable {
    policies: matchit::Router<CachePolicy>,
    fast_paths: HashMap<&'static str, FastPath>,
}

impl RouteTable {
    /// The policy of the route `path` goes to; an address no route knows is a
    /// public page with no query (its 404 is never kept anyway).
    pub fn policy(&self, path: &str) -> CachePolicy {
        self.policies
            .at(path)
            .map(|m| *m.value)
            .unwrap_or(CachePolicy::Public(NO_QUERY))
    }

    /// The fast path for `path`, if a feature asked for one.
    pub(crate) fn fast_path(&self, path: &str) -> Option<FastPath> {
        self.fast_paths.get(path).copied()
    }
}
