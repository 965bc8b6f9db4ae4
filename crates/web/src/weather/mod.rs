//! Weather ("Thời tiết"): a site's places (`/quan-tri/thoi-tiet`), the current
//! conditions and a 3-day forecast of each, fetched in the background from a
//! provider (Open-Meteo by default; another by URL template answering in
//! Open-Meteo's format) at most every `every` per place, and a home-page block that
//! shows the last good reading with its time.
//!
//! A page never waits for the provider: the block reads the last reading from the
//! store. When the provider fails the last reading stays on show while it is under
//! six hours old; after that the block hides itself. A run of failures of a place
//! is logged once, when it starts (and once more when the provider answers again).

pub(crate) mod admin;
mod reading;

use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::parts::{ChoreFuture, Parts, When};
use crate::platform::routes::Routes;
use crate::platform::site::SiteCtx;
use crate::{AppState, now};
use askama::Template;
use axum::routing::get;
use reading::Reading;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use store::WeatherPlace;

/// Open-Meteo's forecast API: current conditions and four days (today and the
/// three after), in Vietnamese time. No key needed.
pub const OPEN_METEO: &str = "https://api.open-meteo.com/v1/forecast?latitude={lat}&longitude={lon}\
     &current=temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m\
     &daily=weather_code,temperature_2m_max,temperature_2m_min\
     &timezone=Asia%2FHo_Chi_Minh&forecast_days=4";

/// A reading older than this is no longer shown (seconds).
pub const SHOWN_FOR: i64 = 6 * 3600;

/// How the weather is fetched (`[weather]`).
#[derive(Debug, Clone)]
pub struct WeatherOptions {
    /// Fetch at all (off: the block shows what was fetched before, while it is
    /// young enough).
    pub enabled: bool,
    /// The provider's URL, `{lat}` and `{lon}` replaced by a place's coordinates
    /// in decimal degrees; the answer must be in Open-Meteo's format.
    pub url_template: String,
    /// How long one request may take, connecting included.
    pub timeout: Duration,
    /// The least time between two fetches of a place.
    pub every: Duration,
}

impl Default for WeatherOptions {
    fn default() -> Self {
        WeatherOptions {
            enabled: false,
            url_template: OPEN_METEO.to_owned(),
            timeout: Duration::from_secs(10),
            every: Duration::from_secs(30 * 60),
        }
    }
}

/// The feature's state: whether a round of fetches is under way.
struct Weather {
    busy: AtomicBool,
}

/// Registers the fetching chore and the home block.
pub(crate) fn install(parts: &mut Parts) {
    parts.insert(Weather {
        busy: AtomicBool::new(false),
    });
    parts.chore("weather", When::Round, start_round);
    parts.home_block(BlockKind {
        key: "thoi-tiet",
        name: "Thời tiết",
        settings: None,
        defaults: |_| vec![String::new()],
        render: block,
        fresh: true,
    });
}

/// The back office of places.
pub(crate) fn routes() -> Routes {
    Routes::new().admin("/quan-tri/thoi-tiet", get(admin::show).post(admin::save))
}

/// Starts a round of fetches in the background unless one is under way, so the
/// other chores (and pages) never wait for the provider.
fn start_round(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if !state.options.weather.enabled
            || state.part::<Weather>().busy.swap(true, Ordering::AcqRel)
        {
            return;
        }
        let state = state.clone();
        tokio::spawn(async move {
            refresh_weather(&state).await;
            state.part::<Weather>().busy.store(false, Ordering::Release);
        });
    })
}

/// Places fetched at once: a provider that hangs costs one timeout per four places.
const AT_ONCE: usize = 4;

/// Fetches every place due a fetch (last tried `every` ago or more), a few at a
/// time; returns how many readings were kept. Failures are noted on the place (and
/// logged once per run of failures). The server runs it in the background; tests
/// call it directly.
pub async fn refresh_weather(state: &AppState) -> usize {
    let every = i64::try_from(state.options.weather.every.as_secs()).unwrap_or(i64::MAX);
    let now = now();
    let due = match state.store.weather_places_due(now - every + 1).await {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %e, "weather: could not read the places");
            return 0;
        }
    };
    let mut kept = 0;
    let mut running = tokio::task::JoinSet::new();
    for place in due {
        // Another instance may have taken this place since it was read.
        match state
            .store
            .claim_weather_fetch(place.id, place.tried_at, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "weather: could not claim a fetch");
                continue;
            }
        }
        if running.len() >= AT_ONCE
            && let Some(done) = running.join_next().await
        {
            kept += done.unwrap_or(0);
        }
        let state = state.clone();
        running.spawn(async move { fetch_place(&state, place).await });
    }
    while let Some(done) = running.join_next().await {
        kept += done.unwrap_or(0);
    }
    kept
}

/// Fetches one place and keeps the reading or notes the failure; 1 when kept.
async fn fetch_place(state: &AppState, place: WeatherPlace) -> usize {
    let url = reading::url_for(
        &state.options.weather.url_template,
        place.lat_e6,
        place.lon_e6,
    );
    let timeout = state.options.weather.timeout;
    let fetched = tokio::task::spawn_blocking(move || reading::fetch(&url, timeout))
        .await
        .unwrap_or_else(|e| Err(format!("the fetch stopped: {e}")));
    match fetched {
        Ok(r) => {
            let json = serde_json::to_string(&r).unwrap_or_default();
            match state
                .store
                .weather_fetched(place.id, &json, crate::now())
                .await
            {
                Ok(()) => {
                    if place.failing_since != 0 {
                        tracing::info!(place = %place.name, "weather: the provider answers again");
                    }
                    return 1;
                }
                Err(e) => tracing::warn!(error = %e, "weather: could not keep a reading"),
            }
        }
        Err(why) => match state.store.weather_failed(place.id, crate::now()).await {
            Ok(true) => tracing::warn!(
                place = %place.name,
                reason = %why,
                "weather: the provider failed; the last reading is shown for up to 6 hours \
                 (logged once until it answers again)"
            ),
            Ok(false) => {
                tracing::debug!(place = %place.name, reason = %why, "weather: still failing")
            }
            Err(e) => tracing::warn!(error = %e, "weather: could not note a failure"),
        },
    }
    0
}

/// A place as the block shows it.
pub(crate) struct PlaceView {
    pub name: String,
    pub temperature: String,
    pub conditions: Option<&'static str>,
    pub humidity: String,
    pub wind: String,
    pub when: String,
    pub iso: String,
    pub days: Vec<DayView>,
}

/// A day of the forecast.
pub(crate) struct DayView {
    pub name: String,
    pub conditions: Option<&'static str>,
    pub low: String,
    pub high: String,
}

fn view(place: &WeatherPlace, now: i64) -> Option<PlaceView> {
    let read_at = place.read_at?;
    if now - read_at >= SHOWN_FOR {
        return None;
    }
    let r: Reading = serde_json::from_str(place.reading.as_deref()?).ok()?;
    let today = vntext::local_iso_date(now);
    Some(PlaceView {
        name: place.name.clone(),
        temperature: format!("{} °C", reading::degrees(r.temperature)),
        conditions: reading::conditions(r.code),
        humidity: format!("{} %", r.humidity),
        wind: format!("{} km/h", reading::degrees(r.wind)),
        when: format!(
            "{} ngày {}",
            vntext::format_time(read_at),
            vntext::format_date(read_at)
        ),
        iso: crate::platform::layout::iso(read_at),
        days: r
            .days
            .iter()
            .filter(|d| d.date > today)
            .take(3)
            .map(|d| DayView {
                name: reading::day_name(&d.date),
                conditions: reading::conditions(d.code),
                low: format!("{}°", reading::degrees(d.low)),
                high: format!("{}°", reading::degrees(d.high)),
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "weather/block.html")]
struct BlockTemplate {
    places: Vec<PlaceView>,
}

fn block<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let now = now();
        let places: Vec<PlaceView> = state
            .store
            .weather_places(site.site.id)
            .await?
            .iter()
            .filter_map(|p| view(p, now))
            .collect();
        if places.is_empty() {
            return Ok(None);
        }
        Ok(Some(BlockTemplate { places }.render()?))
    })
}
