//! Every route of the site, in one place: the table of contents of eduportal.

use crate::{AppState, admin, assets, error, frontdoor, public};
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
        .route("/", get(public::home::show))
        .route("/tin-tuc/{category}", get(public::category::show))
        .route("/tin-tuc/{category}/{slug}", get(public::article::show))
        .route("/tin-tuc/{category}/{slug}/in", get(public::article::print))
        .route("/tin-theo-ngay", get(public::by_date::pick))
        .route("/tin-theo-ngay/{date}", get(public::by_date::show))
        .route("/tim-kiem", get(public::search::show))
        .route("/tim-kiem/goi-y.json", get(public::search::suggest))
        .route("/rss", get(public::feeds::page))
        .route("/rss.xml", get(public::feeds::site_feed))
        .route("/rss/{file}", get(public::feeds::category_feed))
        .route("/sitemap.xml", get(public::feeds::sitemap))
        .route("/sitemap/{file}", get(public::feeds::sitemap_page))
        .route("/robots.txt", get(public::feeds::robots))
        .route("/thong-ke.json", get(public::stats::show))
        .route(public::exams::LOOKUP_PATH, get(public::exams::page))
        .route(public::exams::LOOKUP_JSON_PATH, get(public::exams::json))
        .route(
            "/tra-cuu-diem-thi/{id}/pho-diem",
            get(public::exams::distribution),
        )
        .route("/healthz", get(public::health::show))
        .route("/quan-tri", get(admin::dashboard::show))
        .route(
            "/quan-tri/dang-nhap",
            get(admin::login::show).post(admin::login::submit),
        )
        .route(
            "/quan-tri/dang-nhap/ma-xac-thuc",
            get(admin::totp::code_form).post(admin::totp::code_submit),
        )
        .route("/quan-tri/dang-xuat", post(admin::login::logout))
        .route(
            "/quan-tri/doi-mat-khau",
            get(admin::password::show).post(admin::password::submit),
        )
        .route(
            "/quan-tri/xac-thuc-hai-buoc",
            get(admin::totp::show).post(admin::totp::submit),
        )
        .route("/quan-tri/bai-viet", get(admin::articles::list))
        .route(
            "/quan-tri/bai-viet/moi",
            get(admin::articles::new_form)
                .post(admin::articles::create)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .route(
            "/quan-tri/bai-viet/{id}",
            get(admin::articles::edit_form)
                .post(admin::articles::save)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .route(
            "/quan-tri/bai-viet/{id}/phien-ban",
            get(admin::articles::revisions),
        )
        .route(
            "/quan-tri/bai-viet/{id}/phien-ban/{n}/khoi-phuc",
            post(admin::articles::restore),
        )
        .route(
            "/quan-tri/tep",
            get(admin::media::list)
                .post(admin::media::upload)
                // The largest file allowed, and the form around it.
                .layer(DefaultBodyLimit::max(upload_limit + (1 << 20))),
        )
        .route(
            "/quan-tri/cai-dat",
            get(admin::settings::show).post(admin::settings::save),
        )
        .route(
            "/quan-tri/ky-thi",
            get(admin::exams::list).post(admin::exams::create),
        )
        .route("/quan-tri/ky-thi/{id}", get(admin::exams::show))
        .route(
            "/quan-tri/ky-thi/{id}/nhap",
            post(admin::exams::upload).layer(DefaultBodyLimit::max(exam_file_limit)),
        )
        .route(
            "/quan-tri/ky-thi/{id}/xem-truoc",
            post(admin::exams::choose_sheet),
        )
        .route(
            "/quan-tri/ky-thi/{id}/xac-nhan",
            post(admin::exams::confirm),
        )
        .route("/quan-tri/ky-thi/{id}/cong-bo", post(admin::exams::publish))
        .route("/quan-tri/ky-thi/{id}/lich-su", get(admin::exams::history))
        .route("/quan-tri/nhat-ky", get(admin::audit::list))
        .route("/quan-tri/nhat-ky.csv", get(admin::audit::export_csv))
        .route("/quan-tri/nhat-ky.xlsx", get(admin::audit::export_xlsx))
        .route("/quan-tri/nguoi-dung", get(admin::users::list))
        .route(
            "/quan-tri/nguoi-dung/dat-lai-mat-khau",
            post(admin::users::reset),
        )
        .route("/static/{file}", get(assets::serve))
        .nest_service("/media", media)
        .fallback(public::not_found)
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
