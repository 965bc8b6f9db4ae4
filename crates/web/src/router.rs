//! Every route of the site, in one place: the table of contents of eduportal.

use crate::platform::{assets, error, frontdoor};
use crate::{AppState, accounts, articles, exams, health, home, media, search, settings};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// The whole application as an axum `Router` (what the tests drive): the front
/// door, then the routes.
pub fn router(state: AppState) -> Router {
    Router::new().fallback_service(service(state))
}

/// The whole application as one service, as the server runs it: the same as
/// [`router`] without the outer router's (empty) routing step.
pub fn service(state: AppState) -> frontdoor::FrontDoor<Router> {
    frontdoor::FrontDoor {
        inner: routes(state.clone()),
        state,
    }
}

/// The routes behind the front door.
fn routes(state: AppState) -> Router {
    let media = ServeDir::new(&state.options.media_dir);
    let limits = &state.options.media_limits;
    let upload_limit = usize::try_from(
        limits
            .image_bytes
            .max(limits.document_bytes)
            .max(limits.video_bytes),
    )
    .unwrap_or(usize::MAX);
    // An article form carries its pasted images as base64 (4 bytes for every 3):
    // room for a few photos.
    let article_limit =
        usize::try_from(limits.image_bytes.saturating_mul(4)).unwrap_or(usize::MAX) + (1 << 20);
    // A results file (a province's XLSX or CSV), and the form around it.
    let exam_file_limit =
        usize::try_from(state.options.exam_file_bytes).unwrap_or(usize::MAX) + (1 << 20);
    Router::new()
        .route("/", get(home::show))
        .route("/tin-tuc/{category}", get(articles::category::show))
        .route("/tin-tuc/{category}/{slug}", get(articles::public::show))
        .route(
            "/tin-tuc/{category}/{slug}/in",
            get(articles::public::print),
        )
        .route("/tin-theo-ngay", get(articles::by_date::pick))
        .route("/tin-theo-ngay/{date}", get(articles::by_date::show))
        .route("/tim-kiem", get(search::public::show))
        .route("/tim-kiem/goi-y.json", get(search::public::suggest))
        .route("/rss", get(articles::feeds::page))
        .route("/rss.xml", get(articles::feeds::site_feed))
        .route("/rss/{file}", get(articles::feeds::category_feed))
        .route("/sitemap.xml", get(articles::feeds::sitemap))
        .route("/sitemap/{file}", get(articles::feeds::sitemap_page))
        .route("/robots.txt", get(articles::feeds::robots))
        .route("/thong-ke.json", get(articles::stats::show))
        .route(exams::public::LOOKUP_PATH, get(exams::public::page))
        .route(exams::public::LOOKUP_JSON_PATH, get(exams::public::json))
        .route(
            "/tra-cuu-diem-thi/{id}/pho-diem",
            get(exams::public::distribution),
        )
        .route("/healthz", get(health::show))
        .route("/quan-tri", get(settings::dashboard::show))
        .route(
            "/quan-tri/dang-nhap",
            get(accounts::login::show).post(accounts::login::submit),
        )
        .route(
            "/quan-tri/dang-nhap/ma-xac-thuc",
            get(accounts::two_step::code_form).post(accounts::two_step::code_submit),
        )
        .route("/quan-tri/dang-xuat", post(accounts::login::logout))
        .route(
            "/quan-tri/doi-mat-khau",
            get(accounts::password::show).post(accounts::password::submit),
        )
        .route(
            "/quan-tri/xac-thuc-hai-buoc",
            get(accounts::two_step::show).post(accounts::two_step::submit),
        )
        .route("/quan-tri/bai-viet", get(articles::admin::list))
        .route(
            "/quan-tri/bai-viet/moi",
            get(articles::admin::new_form)
                .post(articles::admin::create)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .route(
            "/quan-tri/bai-viet/{id}",
            get(articles::admin::edit_form)
                .post(articles::admin::save)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .route(
            "/quan-tri/bai-viet/{id}/phien-ban",
            get(articles::admin::revisions),
        )
        .route(
            "/quan-tri/bai-viet/{id}/phien-ban/{n}/khoi-phuc",
            post(articles::admin::restore),
        )
        .route(
            "/quan-tri/tep",
            get(media::admin::list)
                .post(media::admin::upload)
                // The largest file allowed, and the form around it.
                .layer(DefaultBodyLimit::max(upload_limit + (1 << 20))),
        )
        .route(
            "/quan-tri/cai-dat",
            get(settings::admin::show).post(settings::admin::save),
        )
        .route(
            "/quan-tri/ky-thi",
            get(exams::admin::list).post(exams::admin::create),
        )
        .route("/quan-tri/ky-thi/{id}", get(exams::admin::show))
        .route(
            "/quan-tri/ky-thi/{id}/nhap",
            post(exams::admin::upload).layer(DefaultBodyLimit::max(exam_file_limit)),
        )
        .route(
            "/quan-tri/ky-thi/{id}/xem-truoc",
            post(exams::admin::choose_sheet),
        )
        .route(
            "/quan-tri/ky-thi/{id}/xac-nhan",
            post(exams::admin::confirm),
        )
        .route("/quan-tri/ky-thi/{id}/cong-bo", post(exams::admin::publish))
        .route("/quan-tri/ky-thi/{id}/lich-su", get(exams::admin::history))
        .route("/quan-tri/nhat-ky", get(settings::audit::list))
        .route("/quan-tri/nhat-ky.csv", get(settings::audit::export_csv))
        .route("/quan-tri/nhat-ky.xlsx", get(settings::audit::export_xlsx))
        .route("/quan-tri/nguoi-dung", get(accounts::users::list))
        .route(
            "/quan-tri/nguoi-dung/dat-lai-mat-khau",
            post(accounts::users::reset),
        )
        .route("/static/{file}", get(assets::serve))
        .nest_service("/media", media)
        .fallback(crate::platform::pages::not_found)
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
