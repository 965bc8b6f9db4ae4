//! Logging in and out, with the lockout after repeated failures.

use crate::accounts::auth::{
    FAILURE_WINDOW, LOCK_AFTER_FAILURES, LOCK_SECONDS, LOGIN_CSRF_COOKIE, SESSION_SECONDS, cookie,
    dummy_hash, is_https, random_token, safe_next, same_token, set_cookie, token_hash,
    verify_password,
};
use crate::accounts::views::LoginTemplate;
use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::SignedIn;
use crate::platform::extract::{CsrfForm, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, SESSION_COOKIE, now};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::UserId;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub(super) fn next_query(query: &HashMap<String, String>) -> String {
    query
        .get("tiep")
        .map(|t| {
            format!(
                "?tiep={}",
                crate::platform::layout::percent_encode(&safe_next(Some(t)))
            )
        })
        .unwrap_or_default()
}

fn form(
    site: &CurrentSite,
    csrf: &str,
    username: &str,
    error: Option<String>,
    next: String,
) -> LoginTemplate {
    LoginTemplate {
        chrome: AdminChrome {
            title: "Đăng nhập".into(),
            site_name: site.site.settings.name.clone(),
            css_url: crate::platform::assets::url("app.css"),
            user_name: None,
            is_super: false,
            csrf: csrf.to_owned(),
            many_sites: false,
            styles: Vec::new(),
            scripts: Vec::new(),
        },
        error,
        username: username.to_owned(),
        next_query: next,
    }
}

/// `GET /quan-tri/dang-nhap`
pub(crate) async fn show(
    site: CurrentSite,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    // Reuse the browser's form token, or give it one.
    let (token, fresh) = match cookie(&headers, LOGIN_CSRF_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (t.to_owned(), false)
        }
        _ => (random_token(), true),
    };
    let mut res = page(
        StatusCode::OK,
        &form(&site, &token, "", None, next_query(&query)),
    )?;
    if fresh {
        res.headers_mut().insert(
            header::SET_COOKIE,
            set_cookie(LOGIN_CSRF_COOKIE, &token, 3600, is_https(&headers)),
        );
    }
    Ok(res)
}

/// The turn of a login name and of an address: held from the lockout check to the
/// record of the attempt, so that at most [`LOCK_AFTER_FAILURES`] passwords (or
/// codes) are ever checked before the lock, however many requests arrive at once.
/// The name's turn is always taken first, so two attempts never wait on each other.
pub(super) async fn login_turn<'a>(
    state: &'a AppState,
    username: &str,
    ip: &str,
) -> (
    crate::platform::keyed::Turn<'a>,
    crate::platform::keyed::Turn<'a>,
) {
    let name = state.login_turns().turn(format!("u:{username}")).await;
    let address = state.login_turns().turn(format!("ip:{ip}")).await;
    (name, address)
}

/// When the lockout ends for these failure times (newest first), if it is on.
pub(super) fn locked_until(failures: &[i64]) -> Option<i64> {
    failures
        .windows(LOCK_AFTER_FAILURES)
        .filter(|w| w[0] - w[LOCK_AFTER_FAILURES - 1] <= FAILURE_WINDOW)
        .map(|w| w[0] + LOCK_SECONDS)
        .max()
}

/// `POST /quan-tri/dang-nhap`
pub(crate) async fn submit(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = now();
    let store = &state.store;
    let username = f.username.trim().to_ascii_lowercase();
    let next = next_query(&query);
    let token = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("").to_owned();
    if token.is_empty() || !same_token(&token, &f.csrf) {
        let fresh = random_token();
        let mut res = page(
            StatusCode::FORBIDDEN,
            &form(
                &site,
                &fresh,
                &username,
                Some("Biểu mẫu đăng nhập đã hết hạn. Vui lòng đăng nhập lại.".into()),
                next,
            ),
        )?;
        res.headers_mut().insert(
            header::SET_COOKIE,
            set_cookie(LOGIN_CSRF_COOKIE, &fresh, 3600, is_https(&headers)),
        );
        return Ok(res);
    }
    // From here to the record of the attempt, one request at a time per name and
    // per address: otherwise a burst all reads "not locked" before any failure is
    // written, and every one of them gets its password checked.
    let _turn = login_turn(&state, &username, &ip).await;
    let (by_user, by_ip) = store
        .failed_logins_since(&username, &ip, now - FAILURE_WINDOW - LOCK_SECONDS, 50)
        .await?;
    let until = locked_until(&by_user).max(locked_until(&by_ip));
    if let Some(until) = until.filter(|&u| u > now) {
        let minutes = (until - now + 59) / 60;
        store
            .audit(
                Some(site.site.id),
                None,
                "đăng nhập bị chặn",
                &username,
                &ip,
                now,
            )
            .await?;
        let message = format!(
            "Do đăng nhập sai quá {LOCK_AFTER_FAILURES} lần, tài khoản hoặc máy của bạn tạm bị khóa. Vui lòng thử lại sau {minutes} phút."
        );
        return page(
            StatusCode::TOO_MANY_REQUESTS,
            &form(&site, &token, &username, Some(message), next),
        );
    }
    let found = store.user_by_username(&username).await?;
    // Unknown names cost the same time as known ones: no hint which names exist.
    let ok = match &found {
        Some((user, hash)) if user.active => verify_password(&f.password, hash),
        _ => {
            verify_password(&f.password, dummy_hash());
            false
        }
    };
    store.record_login_attempt(&username, &ip, ok, now).await?;
    let user = match (ok, found) {
        (true, Some((user, _))) => user,
        _ => {
            store
                .audit(
                    Some(site.site.id),
                    None,
                    "đăng nhập sai",
                    &username,
                    &ip,
                    now,
                )
                .await?;
            return page(
                StatusCode::UNAUTHORIZED,
                &form(
                    &site,
                    &token,
                    &username,
                    Some("Tên đăng nhập hoặc mật khẩu không đúng.".into()),
                    next,
                ),
            );
        }
    };
    if user.role_on(site.site.id).is_none() {
        return page(
            StatusCode::FORBIDDEN,
            &form(
                &site,
                &token,
                &username,
                Some("Tài khoản của bạn không có quyền quản trị trang này.".into()),
                next,
            ),
        );
    }
    // With two-step login on, a right password only opens the way to the code.
    if store
        .totp(user.id)
        .await?
        .is_some_and(|t| t.enabled_at.is_some())
    {
        return crate::accounts::two_step::ask_for_code(&state, user.id, &headers, &next).await;
    }
    open_session(&state, &site, user.id, &ip, &headers, &query, "").await
}

/// The end of every login (after the password, after the password and the
/// two-step code, or a hand-off from another site, which `detail` then names in
/// the audit log): a new session, its cookie, and on to the page asked for.
pub(super) async fn open_session(
    state: &AppState,
    site: &CurrentSite,
    user: UserId,
    ip: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    detail: &str,
) -> Result<Response, AppError> {
    let now = now();
    let store = &state.store;
    let session = random_token();
    store
        .create_session(
            &token_hash(&session),
            user,
            &random_token(),
            now,
            now + SESSION_SECONDS,
        )
        .await?;
    store
        .audit(Some(site.site.id), Some(user), "đăng nhập", detail, ip, now)
        .await?;
    let secure = is_https(headers);
    let mut res = (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            safe_next(query.get("tiep").map(String::as_str)),
        )],
    )
        .into_response();
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &session, SESSION_SECONDS, secure),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, "", 0, secure),
    );
    Ok(res)
}

/// A form with nothing but its token (logging out).
#[derive(Deserialize)]
pub(crate) struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

csrf_field!(TokenOnly);

/// `POST /quan-tri/dang-xuat`
pub(crate) async fn logout(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<TokenOnly>,
) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(&token_hash(token)).await?;
    }
    state
        .store
        .audit(
            Some(site.site.id),
            Some(session.user.id),
            "đăng xuất",
            "",
            &ip,
            now(),
        )
        .await?;
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, is_https(&headers)),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::locked_until;

    #[test]
    fn five_failures_within_five_minutes_lock_for_fifteen() {
        let t = 1_000_000;
        // Newest first.
        assert_eq!(
            locked_until(&[t, t - 60, t - 120, t - 180, t - 240]),
            Some(t + 900)
        );
        assert_eq!(
            locked_until(&[t, t - 60, t - 120, t - 180]),
            None,
            "four are not enough"
        );
        assert_eq!(
            locked_until(&[t, t - 100, t - 200, t - 300, t - 400]),
            None,
            "spread over more than five minutes"
        );
    }
}
