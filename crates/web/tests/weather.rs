//! Weather ("Thời tiết") against a real HTTP server started by the test, in the
//! provider's place: the conditions shown in Vietnamese; at most one fetch per
//! place per 30 minutes; an outage (the last reading kept under 6 hours, the
//! block hidden after); a slow answer (the page never waits, the fetch times out);
//! a malformed answer; places checked for Vietnam's range.

mod common;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::{Desk, TestApp, add_user};
use domain::Role;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use web::WeatherOptions;

const SO: &str = "localhost";

/// What the fake provider does.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    Good,
    Down,
    Slow,
    Malformed,
}

#[derive(Clone)]
struct Provider {
    mode: Arc<Mutex<Mode>>,
    asked: Arc<Mutex<Vec<String>>>,
}

const GOOD: &str = r#"{"latitude":10.25,"longitude":105.97,
"current":{"time":"2026-12-06T07:45","interval":900,"temperature_2m":24.6,"relative_humidity_2m":81,"weather_code":80,"wind_speed_10m":11.4},
"daily":{"time":["2020-01-01","2099-01-01","2099-01-02","2099-01-03","2099-01-04"],
"weather_code":[3,61,95,0,2],"temperature_2m_max":[30.0,29.6,31.2,32.0,33.0],"temperature_2m_min":[22.0,23.4,24.0,-0.4,20.0]}}"#;

async fn forecast(State(p): State<Provider>, Query(q): Query<HashMap<String, String>>) -> Response {
    p.asked
        .lock()
        .unwrap()
        .push(format!("{},{}", q["lat"], q["lon"]));
    let mode = *p.mode.lock().unwrap();
    match mode {
        Mode::Good => ([("content-type", "application/json")], GOOD).into_response(),
        Mode::Down => (StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        Mode::Slow => {
            tokio::time::sleep(Duration::from_secs(6)).await;
            ([("content-type", "application/json")], GOOD).into_response()
        }
        Mode::Malformed => (
            [("content-type", "application/json")],
            r#"{"current":{"temperature_2m":"nóng"}}"#,
        )
            .into_response(),
    }
}

/// Starts the provider on a free local port.
async fn provider() -> (Provider, u16) {
    let p = Provider {
        mode: Arc::new(Mutex::new(Mode::Good)),
        asked: Arc::new(Mutex::new(Vec::new())),
    };
    let app = Router::new()
        .route("/v1/forecast", get(forecast))
        .with_state(p.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (p, port)
}

async fn app_with(port: u16) -> TestApp {
    TestApp::demo_with(|o| {
        o.weather = WeatherOptions {
            enabled: true,
            url_template: format!("http://127.0.0.1:{port}/v1/forecast?lat={{lat}}&lon={{lon}}"),
            timeout: Duration::from_secs(1),
            every: Duration::from_secs(30 * 60),
        };
        // Readings are not content: a cached page would show one for up to a
        // minute; these tests look at each change at once.
        o.cache.enabled = false;
    })
    .await
}

/// Moves the department's places' last fetch (and reading) back by `hours`.
async fn age(app: &TestApp, hours: i64) {
    sqlx::query(
        "UPDATE weather_places SET tried_at = tried_at - $1, read_at = read_at - $2 \
         WHERE site_id = (SELECT id FROM sites WHERE site_key = 'so')",
    )
    .bind(hours * 3600)
    .bind(hours * 3600)
    .execute(app.store.db_write())
    .await
    .unwrap();
}

fn block(page: &common::Page) -> Option<String> {
    let start = page
        .body
        .find("<section class=\"category-block weather-block\"")?;
    let rest = &page.body[start..];
    Some(rest[..rest.find("</section>").unwrap()].to_owned())
}

async fn so_places(app: &TestApp) -> Vec<store::WeatherPlace> {
    let so = app
        .store
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == "so")
        .unwrap()
        .id;
    app.store.weather_places(so).await.unwrap()
}

#[tokio::test]
async fn conditions_are_shown_in_vietnamese_and_fetched_at_most_every_30_minutes() {
    let (p, port) = provider().await;
    let app = app_with(port).await;
    // Nothing fetched yet: no block, and the page did not ask the provider.
    assert!(block(&app.get(SO, "/").await).is_none());
    assert!(p.asked.lock().unwrap().is_empty());

    // The demo's four places (two on the department's site, one on each school's).
    assert_eq!(web::refresh_weather(&app.state).await, 4);
    assert!(
        p.asked
            .lock()
            .unwrap()
            .contains(&"10.253700,105.972200".to_owned())
    );
    let html = block(&app.get(SO, "/").await).expect("the weather block");
    for shown in [
        ">Thời tiết</h2>",
        "<h3>TP. Bình An</h3>",
        "<h3>Huyện đảo Hòn Ngọc</h3>",
        "<span class=\"weather-temp\">25 °C</span> <span>Mưa rào nhẹ</span>",
        "Độ ẩm 81 % · Gió 11 km/h",
        "Cập nhật lúc <time datetime=",
        // The three days after today; a past day is not forecast.
        "Mưa nhẹ<br>23° – 30°",
        "Dông<br>24° – 31°",
        "Trời quang<br>0° – 32°",
    ] {
        assert!(html.contains(shown), "{shown:?} not in {html}");
    }
    assert!(!html.contains("Có mây"), "a fourth day: {html}");
    assert!(html.contains("Thứ Năm 01/01"), "{html}");

    // Again at once: nothing is due, the provider is not asked.
    let asked = p.asked.lock().unwrap().len();
    assert_eq!(web::refresh_weather(&app.state).await, 0);
    assert_eq!(p.asked.lock().unwrap().len(), asked);
    // Once the places were last tried over 30 minutes ago, they are due again.
    age(&app, 1).await;
    assert_eq!(web::refresh_weather(&app.state).await, 2);
}

#[tokio::test]
async fn an_outage_keeps_the_last_reading_for_six_hours_then_hides_the_block() {
    let (p, port) = provider().await;
    let app = app_with(port).await;
    assert_eq!(web::refresh_weather(&app.state).await, 4);
    *p.mode.lock().unwrap() = Mode::Down;

    age(&app, 5).await;
    assert_eq!(web::refresh_weather(&app.state).await, 0);
    let first = so_places(&app).await;
    assert!(first.iter().all(|pl| pl.failing_since != 0), "{first:?}");
    // Five hours old: still shown, with its time.
    let html = block(&app.get(SO, "/").await).expect("the last reading");
    assert!(html.contains("Mưa rào nhẹ"));
    // A second failure is the same run of failures (logged once).
    age(&app, 1).await;
    assert_eq!(web::refresh_weather(&app.state).await, 0);
    let second = so_places(&app).await;
    assert_eq!(
        first.iter().map(|pl| pl.failing_since).collect::<Vec<_>>(),
        second.iter().map(|pl| pl.failing_since).collect::<Vec<_>>()
    );
    // Six hours old: the block hides itself.
    assert!(block(&app.get(SO, "/").await).is_none());
    // The back office says why.
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let admin = Desk::open(&app, SO, "qt.so").await;
    admin
        .get("/quan-tri/thoi-tiet")
        .await
        .assert_contains("máy chủ thời tiết không trả lời), khối đang ẩn");

    // The provider answers again: shown again, no longer failing.
    *p.mode.lock().unwrap() = Mode::Good;
    age(&app, 1).await;
    assert_eq!(web::refresh_weather(&app.state).await, 2);
    assert!(block(&app.get(SO, "/").await).is_some());
    assert!(so_places(&app).await.iter().all(|pl| pl.failing_since == 0));
}

#[tokio::test]
async fn a_slow_provider_never_holds_a_page_and_the_fetch_times_out() {
    let (p, port) = provider().await;
    let app = app_with(port).await;
    assert_eq!(web::refresh_weather(&app.state).await, 4);
    *p.mode.lock().unwrap() = Mode::Slow;
    // Only the department's first place is due.
    let first = so_places(&app).await[0].id;
    sqlx::query("UPDATE weather_places SET tried_at = 0 WHERE id = $1")
        .bind(first)
        .execute(app.store.db_write())
        .await
        .unwrap();

    let state = app.state.clone();
    let started = Instant::now();
    let fetch = tokio::spawn(async move { web::refresh_weather(&state).await });
    // Meanwhile the home page answers with the reading it has.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let page_started = Instant::now();
    let page = app.get(SO, "/").await;
    assert!(block(&page).unwrap().contains("Mưa rào nhẹ"));
    let page_took = page_started.elapsed();
    assert_eq!(fetch.await.unwrap(), 0);
    let fetch_took = started.elapsed();
    // The provider answers after 6 s; the fetch gave up after its 1 s.
    assert!(fetch_took < Duration::from_secs(4), "{fetch_took:?}");
    assert!(
        page_took < fetch_took,
        "the page took {page_took:?}, the fetch {fetch_took:?}"
    );
    let places = so_places(&app).await;
    assert_ne!(places[0].failing_since, 0);
    assert!(places[0].reading.is_some(), "the last reading is kept");
}

#[tokio::test]
async fn a_malformed_answer_is_not_kept() {
    let (p, port) = provider().await;
    let app = app_with(port).await;
    assert_eq!(web::refresh_weather(&app.state).await, 4);
    let before = so_places(&app).await;
    *p.mode.lock().unwrap() = Mode::Malformed;
    age(&app, 1).await;
    assert_eq!(web::refresh_weather(&app.state).await, 0);
    let after = so_places(&app).await;
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.reading, b.reading, "the good reading stays");
        assert_ne!(a.failing_since, 0);
    }
    let html = block(&app.get(SO, "/").await).unwrap();
    assert!(html.contains("25 °C"));
}

#[tokio::test]
async fn places_are_checked_for_vietnams_range_and_kept_as_typed() {
    let (_p, port) = provider().await;
    let app = app_with(port).await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let admin = Desk::open(&app, SO, "qt.so").await;
    let form = admin.get("/quan-tri/thoi-tiet").await;
    form.assert_contains("value=\"TP. Bình An\"");
    form.assert_contains("value=\"10,253700\"");
    let csrf = form.field("csrf");
    let id = form.field("id_0");
    let send = |fields: Vec<(&'static str, String)>| {
        let cookie = admin.cookie.clone();
        let csrf = csrf.clone();
        let app = &app;
        async move {
            let mut all = vec![("csrf", csrf)];
            all.extend(fields);
            let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(SO, "/quan-tri/thoi-tiet", &pairs, &[("cookie", &cookie)])
                .await
        }
    };
    let res = send(vec![
        ("id_0", id.clone()),
        ("name_0", "TP. Bình An".into()),
        ("lat_0", "10,2537".into()),
        ("lon_0", "105.9722".into()),
        ("name_1", "Paris".into()),
        ("lat_1", "48,8566".into()),
        ("lon_1", "2,3522".into()),
    ])
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("“Paris”: vĩ độ “48,8566” phải là một số từ 8 đến 24");
    res.assert_contains("“Paris”: kinh độ “2,3522” phải là một số từ 102 đến 110");
    res.assert_contains("value=\"48,8566\"");

    let res = send(vec![
        ("id_0", id.clone()),
        ("name_0", "TP. Bình An".into()),
        ("lat_0", "10,2537".into()),
        ("lon_0", "105.9722".into()),
        ("name_1", "Côn Đảo".into()),
        ("lat_1", "8,6833".into()),
        ("lon_1", "106,6".into()),
    ])
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let places = so_places(&app).await;
    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["TP. Bình An", "Côn Đảo"]);
    assert_eq!(
        (places[1].lat_e6, places[1].lon_e6),
        (8_683_300, 106_600_000)
    );
    admin
        .get("/quan-tri/nhat-ky")
        .await
        .assert_contains("sửa địa điểm thời tiết");

    let editor = Desk::open(&app, SO, "bt.so").await;
    assert_eq!(
        editor.get("/quan-tri/thoi-tiet").await.status,
        StatusCode::FORBIDDEN
    );
}
