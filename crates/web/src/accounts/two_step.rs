//! Two-step login with an authenticator app: turning it on and off
//! (`/quan-tri/xac-thuc-hai-buoc`) and the login's second step
//! (`/quan-tri/dang-nhap/ma-xac-thuc`).
//!
//! After a right password, a user with two-step login gets no session yet: the
//! server keeps a pending login (the SHA-256 of a random token, for five minutes)
//! and the browser the token, in a cookie like the session's. Only the right code,
//! or an unused backup code, turns it into a session, through the same
//! `login::open_session` as a login without a code. Wrong codes are failed logins
//! and count towards the same lockout as wrong passwords.

use crate::accounts::auth::{
    FAILURE_WINDOW, LOCK_AFTER_FAILURES, LOCK_SECONDS, PENDING_COOKIE, PENDING_SECONDS, cookie,
    is_https, random_token, same_token, set_cookie, token_hash, verify_password,
};
use crate::accounts::codes::{
    backup_code_hash, base32_decode, grouped, looks_like_code, matching_step, new_backup_codes,
    new_secret, otpauth_uri, qr_svg,
};
use crate::accounts::login::{locked_until, login_turn, next_query, open_session};
use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::SignedIn;
use crate::platform::extract::{CsrfForm, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::UserId;
use serde::Deserialize;
use std::collections::HashMap;
use store::SessionInfo;

/// An enrolment waiting for its first code, as shown.
pub(crate) struct EnrolmentView {
    /// The QR code, an inline `<svg>` (empty if it could not be drawn).
    pub qr_svg: String,
    /// The `otpauth://` URI, for a link that opens the app on the same phone.
    pub uri: String,
    /// The secret in groups of four.
    pub secret: String,
}

#[derive(Template)]
#[template(path = "accounts/two_step.html")]
pub(crate) struct TotpTemplate {
    pub chrome: AdminChrome,
    pub enabled: bool,
    pub enrolment: Option<EnrolmentView>,
    pub backup_left: i64,
    /// The backup codes, only in the answer that turned two-step login on.
    pub backup_codes: Vec<String>,
    pub error: Option<String>,
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/login_code.html")]
pub(crate) struct CodeTemplate {
    pub chrome: AdminChrome,
    pub error: Option<String>,
    /// Locked out: no form, only the way back.
    pub locked: bool,
    pub next_query: String,
}

/// What a status page says besides the state.
#[derive(Default)]
struct Notes {
    error: Option<String>,
    done: Option<String>,
    backup_codes: Vec<String>,
}

async fn status_page(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    status: StatusCode,
    notes: Notes,
) -> Result<Response, AppError> {
    let user = session.user.id;
    let totp = state.store.totp(user).await?;
    let enabled = totp.as_ref().is_some_and(|t| t.enabled_at.is_some());
    let enrolment = totp.filter(|t| t.enabled_at.is_none()).map(|t| {
        let uri = otpauth_uri(&site.site.settings.name, &session.user.username, &t.secret);
        EnrolmentView {
            qr_svg: qr_svg(&uri).unwrap_or_default(),
            secret: grouped(&t.secret),
            uri,
        }
    });
    let backup_left = if enabled {
        state.store.backup_codes_left(user).await?
    } else {
        0
    };
    page(
        status,
        &TotpTemplate {
            chrome: AdminChrome::new("Xác thực hai bước", site, session),
            enabled,
            enrolment,
            backup_left,
            backup_codes: notes.backup_codes,
            error: notes.error,
            done: notes.done,
        },
    )
}

fn error(message: &str) -> Notes {
    Notes {
        error: Some(message.to_owned()),
        ..Notes::default()
    }
}

fn done(message: &str) -> Notes {
    Notes {
        done: Some(message.to_owned()),
        ..Notes::default()
    }
}

/// `GET /quan-tri/xac-thuc-hai-buoc`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    status_page(&state, &site, &session, StatusCode::OK, Notes::default()).await
}

csrf_field!(TotpForm);

#[derive(Deserialize)]
pub(crate) struct TotpForm {
    #[serde(default)]
    csrf: String,
    /// start | confirm | cancel | disable
    #[serde(default)]
    action: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

/// `POST /quan-tri/xac-thuc-hai-buoc`: begin an enrolment, confirm it with a code,
/// drop an unfinished one, or turn two-step login off (with the password).
pub(crate) async fn submit(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SignedIn(session): SignedIn,
    CsrfForm(f): CsrfForm<TotpForm>,
) -> Result<Response, AppError> {
    let now = now();
    let store = &state.store;
    let user = session.user.id;
    let current = store.totp(user).await?;
    let enabled = current.as_ref().is_some_and(|t| t.enabled_at.is_some());
    let answer = |status, notes| status_page(&state, &site, &session, status, notes);
    match f.action.as_str() {
        "start" => {
            if enabled {
                return answer(
                    StatusCode::CONFLICT,
                    error(
                        "Xác thực hai bước đang bật. Muốn chuyển sang ứng dụng khác, hãy tắt rồi bật lại.",
                    ),
                )
                .await;
            }
            store.start_totp(user, &new_secret()).await?;
            answer(StatusCode::OK, Notes::default()).await
        }
        "confirm" => {
            let Some(pending) = current.filter(|t| t.enabled_at.is_none()) else {
                return answer(
                    StatusCode::CONFLICT,
                    error("Không có lần đăng ký nào đang chờ xác nhận."),
                )
                .await;
            };
            let key = base32_decode(&pending.secret)
                .ok_or_else(|| AppError::Internal(format!("bad TOTP secret of user {}", user.0)))?;
            let Some(step) = matching_step(&key, &f.code, now, pending.last_step) else {
                return answer(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    error(
                        "Mã xác nhận không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực (mỗi mã chỉ dùng được trong 30 giây) rồi thử lại.",
                    ),
                )
                .await;
            };
            let codes = new_backup_codes();
            let hashes: Vec<String> = codes.iter().map(|c| backup_code_hash(c)).collect();
            if !store.enable_totp(user, step, &hashes, now).await? {
                return answer(
                    StatusCode::CONFLICT,
                    error("Không có lần đăng ký nào đang chờ xác nhận."),
                )
                .await;
            }
            store
                .audit(
                    Some(site.site.id),
                    Some(user),
                    "bật xác thực hai bước",
                    "",
                    &ip,
                    now,
                )
                .await?;
            answer(
                StatusCode::OK,
                Notes {
                    done: Some(
                        "Đã bật xác thực hai bước. Từ lần đăng nhập sau, ngoài mật khẩu bạn cần nhập mã trong ứng dụng xác thực."
                            .into(),
                    ),
                    backup_codes: codes,
                    ..Notes::default()
                },
            )
            .await
        }
        "cancel" => {
            if !enabled {
                store.disable_totp(user).await?;
            }
            answer(
                StatusCode::OK,
                done("Đã hủy việc đăng ký ứng dụng xác thực."),
            )
            .await
        }
        "disable" => {
            if !enabled {
                return answer(StatusCode::OK, Notes::default()).await;
            }
            let password_ok = store
                .user_by_username(&session.user.username)
                .await?
                .is_some_and(|(_, hash)| verify_password(&f.password, &hash));
            if !password_ok {
                return answer(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    error("Mật khẩu hiện tại không đúng. Xác thực hai bước vẫn đang bật."),
                )
                .await;
            }
            store.disable_totp(user).await?;
            store
                .audit(
                    Some(site.site.id),
                    Some(user),
                    "tắt xác thực hai bước",
                    "",
                    &ip,
                    now,
                )
                .await?;
            answer(
                StatusCode::OK,
                done("Đã tắt xác thực hai bước. Từ nay chỉ cần mật khẩu để đăng nhập."),
            )
            .await
        }
        _ => {
            answer(
                StatusCode::BAD_REQUEST,
                error("Yêu cầu không hợp lệ. Vui lòng tải lại trang rồi thử lại."),
            )
            .await
        }
    }
}

/// After a right password of a user with two-step login: a pending login and its
/// cookie, and on to the code's page.
pub(super) async fn ask_for_code(
    state: &AppState,
    user: UserId,
    headers: &HeaderMap,
    next_query: &str,
) -> Result<Response, AppError> {
    let now = now();
    let token = random_token();
    state
        .store
        .create_pending_login(
            &token_hash(&token),
            user,
            &random_token(),
            now,
            now + PENDING_SECONDS,
        )
        .await?;
    let mut res = (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            format!("/quan-tri/dang-nhap/ma-xac-thuc{next_query}"),
        )],
    )
        .into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PENDING_COOKIE, &token, PENDING_SECONDS, is_https(headers)),
    );
    Ok(res)
}

fn code_page(
    site: &CurrentSite,
    csrf: &str,
    error: Option<String>,
    locked: bool,
    next_query: String,
) -> CodeTemplate {
    CodeTemplate {
        chrome: AdminChrome {
            title: "Xác thực hai bước".into(),
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
        locked,
        next_query,
    }
}

/// The pending login of this browser, if it has one that is still good.
async fn pending(
    state: &AppState,
    headers: &HeaderMap,
    now: i64,
) -> Result<Option<(String, SessionInfo)>, AppError> {
    let Some(token) = cookie(headers, PENDING_COOKIE).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    Ok(state
        .store
        .pending_login(&hash, now)
        .await?
        .map(|p| (hash, p)))
}

/// Back to the password: the pending login is gone or never was.
fn back_to_password(query: &HashMap<String, String>) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            format!("/quan-tri/dang-nhap{}", next_query(query)),
        )],
    )
        .into_response()
}

/// `GET /quan-tri/dang-nhap/ma-xac-thuc`
pub(crate) async fn code_form(
    State(state): State<AppState>,
    site: CurrentSite,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let Some((_, pending)) = pending(&state, &headers, now()).await? else {
        return Ok(back_to_password(&query));
    };
    page(
        StatusCode::OK,
        &code_page(&site, &pending.csrf_token, None, false, next_query(&query)),
    )
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// `POST /quan-tri/dang-nhap/ma-xac-thuc`
pub(crate) async fn code_submit(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    let now = now();
    let store = &state.store;
    let Some((hash, pending)) = pending(&state, &headers, now).await? else {
        return Ok(back_to_password(&query));
    };
    if !same_token(&pending.csrf_token, &f.csrf) {
        return Err(AppError::forbidden(
            "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.",
        ));
    }
    let user = &pending.user;
    let again = |status, message: String, locked| {
        page(
            status,
            &code_page(
                &site,
                &pending.csrf_token,
                Some(message),
                locked,
                next_query(&query),
            ),
        )
    };
    let _turn = login_turn(&state, &user.username, &ip).await;
    let (by_user, by_ip) = store
        .failed_logins_since(&user.username, &ip, now - FAILURE_WINDOW - LOCK_SECONDS, 50)
        .await?;
    if let Some(until) = locked_until(&by_user)
        .max(locked_until(&by_ip))
        .filter(|&u| u > now)
    {
        store.take_pending_login(&hash).await?;
        store
            .audit(
                Some(site.site.id),
                None,
                "đăng nhập bị chặn",
                &user.username,
                &ip,
                now,
            )
            .await?;
        let minutes = (until - now + 59) / 60;
        let mut res = again(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Do đăng nhập sai quá {LOCK_AFTER_FAILURES} lần, tài khoản hoặc máy của bạn tạm bị khóa. Vui lòng thử lại sau {minutes} phút."
            ),
            true,
        )?;
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(PENDING_COOKIE, "", 0, is_https(&headers)),
        );
        return Ok(res);
    }
    let (ok, backup) = if looks_like_code(&f.code) {
        let step = match store.totp(user.id).await? {
            Some(t) if t.enabled_at.is_some() => base32_decode(&t.secret)
                .and_then(|key| matching_step(&key, &f.code, now, t.last_step)),
            _ => None,
        };
        let ok = match step {
            Some(step) => store.use_totp_step(user.id, step).await?,
            None => false,
        };
        (ok, false)
    } else if f.code.chars().any(|c| c.is_ascii_alphanumeric()) {
        let ok = store
            .use_backup_code(user.id, &backup_code_hash(&f.code), now)
            .await?;
        (ok, true)
    } else {
        (false, false)
    };
    if !ok {
        store
            .record_login_attempt(&user.username, &ip, false, now)
            .await?;
        store
            .audit(
                Some(site.site.id),
                Some(user.id),
                "mã xác thực sai",
                "",
                &ip,
                now,
            )
            .await?;
        return again(
            StatusCode::UNAUTHORIZED,
            "Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới đang hiện trong ứng dụng, hoặc một mã dự phòng chưa dùng.".into(),
            false,
        );
    }
    // Only one request turns the pending login into a session.
    if !store.take_pending_login(&hash).await? {
        return Ok(back_to_password(&query));
    }
    if user.role_on(site.site.id).is_none() {
        return Err(AppError::forbidden(
            "Tài khoản của bạn không có quyền quản trị trang này.",
        ));
    }
    if backup {
        let left = store.backup_codes_left(user.id).await?;
        store
            .audit(
                Some(site.site.id),
                Some(user.id),
                "dùng mã dự phòng",
                &format!("còn {left} mã"),
                &ip,
                now,
            )
            .await?;
    }
    let mut res = open_session(&state, &site, user.id, &ip, &headers, &query, "").await?;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PENDING_COOKIE, "", 0, is_https(&headers)),
    );
    Ok(res)
}
