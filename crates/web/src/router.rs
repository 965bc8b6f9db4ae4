//! Every route of the site, in one place: the table of contents of eduportal.

use crate::platform::routes::Routes;
use crate::platform::{assets, error, frontdoor, pages};
use crate::{
    AppState, accounts, articles, drafts, exams, health, home, links, media, menus, notices,
    questions, search, settings, units, weather,
};
use axum::Router;
use axum::middleware;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

/// The whole application as an axum `Router` (what the tests drive): the front
/// door, then the routes.
pub fn router(state: AppState) -> Router {
    Router::new().fallback_service(service(state))
}

/// The whole application as one service, as the server runs it: the same as
/// [`router`] without the outer router's (empty) routing step.
pub fn service(state: AppState) -> frontdoor::FrontDoor<Router> {
    let (routes, table) = features(&state).into_parts();
    frontdoor::FrontDoor {
        inner: finish(routes, state.clone()),
        table: std::sync::Arc::new(table),
        state,
    }
}

/// Every feature's routes: the table of contents. Each feature's `routes()`
/// lists its addresses with their cache policies.
fn features(state: &AppState) -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(articles::routes(state))
        .merge(search::routes())
        .merge(exams::routes(state))
        .merge(accounts::routes())
        .merge(media::routes(state))
        .merge(settings::routes())
        .merge(units::routes())
        .merge(crate::emulation::routes())
        .merge(crate::pages::routes(state))
        .merge(crate::documents::routes(state))
        .merge(menus::routes())
        .merge(links::routes())
        .merge(weather::routes())
        .merge(notices::routes(state))
        .merge(drafts::routes(state))
        .merge(questions::routes(state))
        .merge(crate::gallery::routes(state))
        .merge(health::routes())
        .merge(assets::routes(state))
}

/// The routes with the layers every answer passes.
fn finish(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .fallback(pages::not_found)
        // Innermost first: a panic becomes a 500 that the error pages layer renders
        // in the site's layout.
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        // Tracing covers what gets past the cache; hits are counted, not traced.
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
