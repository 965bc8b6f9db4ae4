//! `/quan-tri/thoi-tiet`: a site's weather places, for its administrators: a name
//! and coordinates checked for Vietnam's range, saved as a whole list.

use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{ClientIp, CsrfForm, Need, SiteRole};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::weather::reading::micro_degrees;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::Role;
use std::collections::HashMap;
use store::{PlaceDraft, SessionInfo, WeatherPlace};

/// Who chooses a site's places.
pub(crate) struct WeatherAdmin;
impl Need for WeatherAdmin {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str =
        "Chỉ quản trị viên của trang này mới chọn được địa điểm thời tiết.";
}

/// Empty rows offered below the filled ones.
const BLANK_ROWS: usize = 2;
/// Places a site may have.
const MAX_PLACES: usize = 10;
/// Vietnam's range, roughly (degrees): latitude, longitude.
const LAT: (f64, f64) = (8.0, 24.0);
const LON: (f64, f64) = (102.0, 110.0);

/// A row of the form, as shown.
#[derive(Default)]
pub(crate) struct Row {
    pub id: String,
    pub name: String,
    pub lat: String,
    pub lon: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "weather/admin.html")]
pub(crate) struct AdminTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<Row>,
    pub enabled: bool,
    pub errors: Vec<String>,
    pub notice: Option<String>,
}

/// Degrees as the form shows them: a decimal comma ("21,028511").
fn shown_degrees(e6: i64) -> String {
    micro_degrees(e6).replace('.', ",")
}

fn status(p: &WeatherPlace, now: i64) -> String {
    match p.read_at {
        Some(at) if p.failing_since == 0 => format!("Lấy lúc {}", vntext::format_datetime(at)),
        Some(at) => format!(
            "Lấy lúc {}; lần lấy sau không được (máy chủ thời tiết không trả lời){}",
            vntext::format_datetime(at),
            if now - at >= super::SHOWN_FOR {
                ", khối đang ẩn"
            } else {
                ""
            }
        ),
        None if p.failing_since != 0 => {
            "Chưa lấy được (máy chủ thời tiết không trả lời)".to_owned()
        }
        None => "Chưa lấy".to_owned(),
    }
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    mut rows: Vec<Row>,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    rows.extend((0..BLANK_ROWS).map(|_| Row::default()));
    let status_code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        status_code,
        &AdminTemplate {
            chrome: AdminChrome::new("Thời tiết", site, session),
            rows,
            enabled: state.options.weather.enabled,
            errors,
            notice,
        },
    )
}

/// `GET /quan-tri/thoi-tiet`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<WeatherAdmin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = now();
    let rows = state
        .store
        .weather_places(site.site.id)
        .await?
        .iter()
        .map(|p| Row {
            id: p.id.to_string(),
            name: p.name.clone(),
            lat: shown_degrees(p.lat_e6),
            lon: shown_degrees(p.lon_e6),
            status: status(p, now),
        })
        .collect();
    let notice = q.contains_key("da-luu").then(|| {
        "Đã lưu. Số liệu của địa điểm mới có sau lần lấy kế tiếp (trong vài phút).".to_owned()
    });
    render(&state, &site, &session, rows, Vec::new(), notice).await
}

/// A coordinate typed in degrees ("21,0285" or "21.0285"), in `range`, as millionths.
fn coordinate(typed: &str, range: (f64, f64)) -> Option<i64> {
    let v = vntext::parse_decimal(typed)?;
    (range.0..=range.1)
        .contains(&v)
        .then(|| (v * 1_000_000.0).round() as i64)
}

/// `POST /quan-tri/thoi-tiet`
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<WeatherAdmin>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let fields: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let line = |k: String| vntext::clean_line(fields.get(k.as_str()).copied().unwrap_or(""));
    let mut numbers: Vec<usize> = pairs
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("name_"))
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut rows = Vec::new();
    for n in numbers {
        let row = Row {
            id: line(format!("id_{n}")),
            name: line(format!("name_{n}")),
            lat: line(format!("lat_{n}")),
            lon: line(format!("lon_{n}")),
            status: String::new(),
        };
        if !(row.name.is_empty() && row.lat.is_empty() && row.lon.is_empty()) {
            rows.push(row);
        }
    }
    let mut errors = Vec::new();
    let mut places = Vec::new();
    if rows.len() > MAX_PLACES {
        errors.push(format!("Mỗi trang có nhiều nhất {MAX_PLACES} địa điểm."));
    }
    for (n, row) in rows.iter().enumerate() {
        let label = if row.name.is_empty() {
            format!("Dòng {}", n + 1)
        } else {
            format!("“{}”", row.name)
        };
        if row.name.is_empty() {
            errors.push(format!("{label}: vui lòng nhập tên địa điểm."));
        } else if row.name.chars().count() > 100 {
            errors.push(format!("{label}: tên địa điểm dài quá 100 ký tự."));
        }
        let lat = coordinate(&row.lat, LAT);
        let lon = coordinate(&row.lon, LON);
        if lat.is_none() {
            errors.push(format!(
                "{label}: vĩ độ “{}” phải là một số từ 8 đến 24 (độ Bắc, trong lãnh thổ Việt Nam), ví dụ 21,0285.",
                row.lat
            ));
        }
        if lon.is_none() {
            errors.push(format!(
                "{label}: kinh độ “{}” phải là một số từ 102 đến 110 (độ Đông, trong lãnh thổ Việt Nam), ví dụ 105,8542.",
                row.lon
            ));
        }
        if let (Some(lat_e6), Some(lon_e6)) = (lat, lon) {
            places.push(PlaceDraft {
                id: row.id.parse().ok(),
                name: row.name.clone(),
                lat_e6,
                lon_e6,
            });
        }
    }
    if !errors.is_empty() {
        return render(&state, &site, &session, rows, errors, None).await;
    }
    state
        .store
        .save_weather_places(site.site.id, &places, Some(session.user.id), &ip, now())
        .await?;
    state.content_changed().await?;
    Ok(see_other("/quan-tri/thoi-tiet?da-luu=1"))
}
