//! "Xem tin theo ngày": the articles of one day, with links to the nearest days
//! before and after that have news.

use crate::articles::views::{ByDateTemplate, DayLink, cards};
use crate::platform::layout::Layout;
use crate::platform::origin::Origin;
use crate::platform::pages::PageResult;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

/// At most this many articles are listed for one day.
const MAX_PER_DAY: i64 = 200;

/// `GET /tin-theo-ngay?ngay=dd/mm/yyyy`: the sidebar's date form lands here and is
/// sent on to the day's own address. The box is plain text, so that every browser
/// shows the site's own dd/mm/yyyy whatever its language; `d/m/yyyy` with `/`, `-`
/// or `.`, eight digits (`05092026`, as a phone's number pad types it) and the
/// `YYYY-MM-DD` of older links and date pickers are all read.
pub(crate) async fn pick(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let raw = query.get("ngay").map(|s| s.trim()).unwrap_or("");
    if let Some(iso) = vntext::parse_typed_date(raw) {
        let to = format!("/tin-theo-ngay/{iso}");
        return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response());
    }
    let message = if raw.is_empty() {
        "Mời bạn chọn một ngày để xem tin."
    } else {
        "Không đọc được ngày bạn nhập. Mời bạn nhập lại theo dạng ngày/tháng/năm, ví dụ 05/09/2026."
    };
    let mut layout = Layout::new(&state, Some(&site), "Xem tin theo ngày", None)
        .canonical(origin.url("/tin-theo-ngay"));
    layout.date_value = raw.chars().take(20).collect();
    layout.date_invalid = !raw.is_empty();
    let page = ByDateTemplate {
        layout,
        day: String::new(),
        error: Some(message),
        cards: Vec::new(),
        previous: None,
        next: None,
    };
    Ok((StatusCode::BAD_REQUEST, Html(page.render()?)).into_response())
}

/// `GET /tin-theo-ngay/{YYYY-MM-DD}`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(date): Path<String>,
) -> PageResult {
    let (from, to) = vntext::day_bounds(&date).ok_or(AppError::NotFound)?;
    let now = now();
    let store = &state.store;
    let list = store
        .articles_published_between(site.site.id, from, to, now, MAX_PER_DAY)
        .await?;
    let day_link = |t: i64| {
        let iso = vntext::local_iso_date(t);
        DayLink {
            url: format!("/tin-theo-ngay/{iso}"),
            label: vntext::format_date(t),
        }
    };
    let previous = store
        .last_publication_before(site.site.id, from, now)
        .await?
        .map(day_link);
    let next = store
        .first_publication_from(site.site.id, to, now)
        .await?
        .map(day_link);
    let day = vntext::format_iso_date(&date).unwrap_or_default();
    let mut layout = Layout::new(&state, Some(&site), &format!("Tin ngày {day}"), None)
        .canonical(origin.url(&format!("/tin-theo-ngay/{date}")));
    layout.date_value = day.clone();
    let page = ByDateTemplate {
        layout,
        day,
        error: None,
        cards: cards(&list),
        previous,
        next,
    };
    Ok(Html(page.render()?))
}
