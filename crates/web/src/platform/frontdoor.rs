//! The front door every request passes: one service in front of the routes
//! rather than a stack of middleware, because it runs for every request.
//!
//! It finds the site (by Host), notes who is asking (for the counters), answers
//! from the page cache or lets the request go on, counts the page it gave out,
//! and adds the security headers.

use crate::AppState;
use crate::platform::origin::Origin;
use crate::platform::routes::{CachePolicy, RouteTable};
use crate::platform::site::CurrentSite;
use crate::platform::{cache, counters, encoding};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::{Service, ServiceExt};

/// Pages load only our own scripts and styles: an injected `<script>` or inline
/// handler would not run even if one slipped past the sanitiser.
const CSP: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; \
    script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'self'";

/// The policy of a page that embeds a player from `frames` (space-separated
/// origins) once the reader asks for it; the rest of the policy is unchanged.
pub(crate) fn csp_with_frames(frames: &str) -> String {
    format!("{CSP}; frame-src {frames}")
}

pub(crate) fn security_headers(h: &mut HeaderMap) {
    // Cached pages carry them already: one lookup instead of four.
    if h.contains_key(header::CONTENT_SECURITY_POLICY) {
        return;
    }
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
    ] {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
}

/// Lets a request go on into the application: here, or on the runtime that owns
/// the database connections when the server runs one (see `WebOptions::inner_runtime`).
async fn inside<S>(state: &AppState, inner: S, req: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible> + Send + 'static,
    S::Future: Send + 'static,
{
    match &state.options.inner_runtime {
        None => inner
            .oneshot(req)
            .await
            .unwrap_or_else(|never| match never {}),
        Some(runtime) => match runtime.spawn(inner.oneshot(req)).await {
            Ok(Ok(res)) => res,
            Ok(Err(never)) => match never {},
            // Only when that runtime is shutting down: the request was cut short.
            Err(e) => {
                tracing::warn!(error = %e, "request cut short by shutdown");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            }
        },
    }
}

/// The front door as a tower service around the application's routes (see
/// [`crate::service`]). A page
/// from the cache is answered in `call` itself, before the routes are touched.
#[derive(Clone)]
pub struct FrontDoor<S> {
    pub(crate) state: AppState,
    pub(crate) inner: S,
    /// The routes' cache policies and fast paths.
    pub(crate) table: std::sync::Arc<RouteTable>,
}

/// Where a request on one of the site's other hosts goes: the same path and
/// query on the main host, same scheme. `None` when it came to the main host.
fn to_main_host(origin: &Origin, main: &str, uri: &axum::http::Uri) -> Option<String> {
    let (_, host) = origin.0.split_once("://")?;
    if domain::normalize_host(host) == main {
        return None;
    }
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    // The scheme, and a port the reader used (a test install on :8080), are kept.
    Some(format!("{}{path}", origin.for_host(main)))
}

/// A personal answer is never kept by any cache on the way either.
fn personal(policy: CachePolicy, res: &mut Response) {
    if policy == CachePolicy::Personal {
        res.headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> Service<Request> for FrontDoor<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: Request) -> Answer {
        let state = self.state.clone();
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| req.uri().host())
            .unwrap_or("");
        let Some(site) = state.sites.for_host(host) else {
            // Only an installation with no site at all gets here (the CLI makes one).
            let mut res = (
                StatusCode::SERVICE_UNAVAILABLE,
                Html("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Chưa có trang</title><h1>Cổng thông tin chưa được thiết lập</h1><p>Chưa có trang nào trong hệ thống.</p></html>"),
            )
                .into_response();
            security_headers(res.headers_mut());
            return Box::pin(std::future::ready(Ok(res)));
        };
        let site_id = site.site.id;
        let path = req.uri().path();
        // A suspended site answers one calm page everywhere (its data is kept);
        // the health check still answers, for the load balancer.
        if site.site.suspended && path != "/healthz" {
            let mut res = crate::platform::error::suspended(&site, path);
            security_headers(res.headers_mut());
            return Box::pin(std::future::ready(Ok(res)));
        }
        let origin = Origin::of(req.headers(), &site, state.options.trust_forwarded_for);
        // The site's other hosts send readers to its main one, path and query kept.
        if site.site.redirect_to_main
            && let Some(main) = site.site.main_host()
            && let Some(to) = to_main_host(&origin, main, req.uri())
        {
            let mut res = (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
            security_headers(res.headers_mut());
            return Box::pin(std::future::ready(Ok(res)));
        }
        let who = counters::Who::of(&req, state.options.trust_forwarded_for);
        let policy = self.table.policy(path);
        // A feature's fast path (exam results by JSON come from memory and touch
        // no database): answered here on the acceptor's thread, like a cached page.
        if req.method() == axum::http::Method::GET
            && let Some(answer) = self.table.fast_path(path)
        {
            let mut res = answer(
                &state,
                &CurrentSite(site),
                req.headers(),
                req.extensions(),
                req.uri(),
            );
            counters::count(&state.counters, site_id, who, &res);
            personal(policy, &mut res);
            security_headers(res.headers_mut());
            return Box::pin(std::future::ready(Ok(res)));
        }
        let pending = match cache::lookup(&state, site_id, &origin, &req, policy) {
            cache::Lookup::Hit(mut res) => {
                counters::count(&state.counters, site_id, who, &res);
                security_headers(res.headers_mut());
                return Box::pin(std::future::ready(Ok(res)));
            }
            cache::Lookup::Miss(pending) => Some(pending),
            cache::Lookup::Bypass => None,
        };
        let encoding = encoding::accepted_live(req.headers());
        let head = req.method() == axum::http::Method::HEAD;
        req.extensions_mut().insert(CurrentSite(site));
        req.extensions_mut().insert(origin);
        let inner = self.inner.clone();
        Box::pin(async move {
            let res = inside(&state, inner, req).await;
            let res = match pending {
                Some(p) => cache::store(&state, p, res).await,
                None => res,
            };
            // What the cache did not keep goes out compressed all the same.
            let mut res = encoding::compress_live(encoding, head, res).await;
            counters::count(&state.counters, site_id, who, &res);
            personal(policy, &mut res);
            security_headers(res.headers_mut());
            Ok(res)
        })
    }
}
