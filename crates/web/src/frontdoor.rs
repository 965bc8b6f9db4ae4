//! The front door every request passes: one middleware rather than a stack of
//! them, because it runs for every request and each layer costs.
//!
//! It finds the site (by Host), notes who is asking (for the counters), answers
//! from the page cache or lets the request go on, counts the page it gave out,
//! and adds the security headers.

use crate::origin::Origin;
use crate::site::CurrentSite;
use crate::{AppState, cache, counters};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

/// Pages load only our own scripts and styles: an injected `<script>` or inline
/// handler would not run even if one slipped past the sanitiser.
const CSP: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; \
    script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'self'";

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
pub(crate) async fn inside(state: &AppState, next: Next, req: Request) -> Response {
    match &state.options.inner_runtime {
        None => next.run(req).await,
        Some(runtime) => match runtime.spawn(next.run(req)).await {
            Ok(res) => res,
            // Only when that runtime is shutting down: the request was cut short.
            Err(e) => {
                tracing::warn!(error = %e, "request cut short by shutdown");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            }
        },
    }
}

pub(crate) async fn frontdoor(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
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
        return res;
    };
    let site_id = site.site.id;
    let origin = Origin::of(req.headers(), &site, state.options.trust_forwarded_for);
    req.extensions_mut().insert(CurrentSite(site));
    req.extensions_mut().insert(origin.clone());
    let who = counters::Who::of(&req, state.options.trust_forwarded_for);
    let mut res = cache::respond(&state, site_id, &origin, req, next).await;
    counters::count(&state.counters, site_id, who, &res);
    security_headers(res.headers_mut());
    res
}

/// The client's address: the connection's peer, or the first `X-Forwarded-For`
/// entry when the server is configured to trust its proxy.
pub(crate) struct ClientIp(pub String);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.options.trust_forwarded_for
            && let Some(client) = crate::origin::forwarded_client(&parts.headers)
        {
            return Ok(ClientIp(client.to_owned()));
        }
        Ok(ClientIp(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_default(),
        ))
    }
}
