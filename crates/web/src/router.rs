//! Every route of the site, in one place: the table of contents of eduportal.

use crate::{AppState, assets, cache, counters, error, public, site};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Pages load only our own scripts and styles: an injected `<script>` or inline
/// handler would not run even if one slipped past the sanitiser.
const CSP: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; \
    script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'self'";

/// The whole application.
pub fn router(state: AppState) -> Router {
    let media = ServeDir::new(&state.options.media_dir);
    Router::new()
        .route("/", get(public::home::show))
        .route("/tin-tuc/{category}", get(public::category::show))
        .route("/tin-tuc/{category}/{slug}", get(public::article::show))
        .route("/tin-tuc/{category}/{slug}/in", get(public::article::print))
        .route("/tin-theo-ngay", get(public::by_date::pick))
        .route("/tin-theo-ngay/{date}", get(public::by_date::show))
        .route("/rss", get(public::feeds::page))
        .route("/rss.xml", get(public::feeds::site_feed))
        .route("/rss/{file}", get(public::feeds::category_feed))
        .route("/sitemap.xml", get(public::feeds::sitemap))
        .route("/sitemap/{file}", get(public::feeds::sitemap_page))
        .route("/robots.txt", get(public::feeds::robots))
        .route("/thong-ke.json", get(public::stats::show))
        .route("/healthz", get(public::health::show))
        .route("/static/{file}", get(assets::serve))
        .nest_service("/media", media)
        .fallback(public::not_found)
        // Innermost first: a panic becomes a 500 that the error pages layer renders
        // in the site's layout; finished pages are cached; every page given out is
        // counted, from the cache or not; the site is known before any of that runs.
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), cache::layer))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            counters::layer,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), site::resolve))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
