//! Changing one's own password.

use crate::accounts::auth::{
    SESSION_SECONDS, hash_password, is_https, random_token, set_cookie, token_hash, verify_password,
};
use crate::accounts::views::PasswordTemplate;
use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::SignedIn;
use crate::platform::extract::{CsrfForm, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, SESSION_COOKIE, now};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

fn template(
    site: &CurrentSite,
    user: &domain::User,
    csrf: &str,
    error: Option<String>,
    done: Option<String>,
) -> PasswordTemplate {
    PasswordTemplate {
        chrome: AdminChrome {
            title: "Đổi mật khẩu".into(),
            site_name: site.site.settings.name.clone(),
            css_url: crate::platform::assets::url("app.css"),
            user_name: Some(user.username.clone()),
            is_super: user.is_super,
            csrf: csrf.to_owned(),
            many_sites: crate::platform::layout::works_on_many_sites(user),
            styles: Vec::new(),
            scripts: Vec::new(),
        },
        error,
        done,
    }
}

/// `GET /quan-tri/doi-mat-khau`
pub(crate) async fn show(
    site: CurrentSite,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    page(
        StatusCode::OK,
        &template(&site, &session.user, &session.csrf_token, None, None),
    )
}

csrf_field!(PasswordForm);

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /quan-tri/doi-mat-khau`: every other session of the user ends; this one
/// goes on with a new token.
pub(crate) async fn submit(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let user = &session.user;
    let again = |message: &str| {
        template(
            &site,
            user,
            &session.csrf_token,
            Some(message.to_owned()),
            None,
        )
    };
    let Some((_, hash)) = state.store.user_by_username(&user.username).await? else {
        return page(
            StatusCode::UNAUTHORIZED,
            &again("Tài khoản không còn tồn tại."),
        );
    };
    if !verify_password(&f.current, &hash) {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &again("Mật khẩu hiện tại không đúng."),
        );
    }
    let new = vntext::nfc(&f.new_password);
    if let Err(e) = domain::check_password(&new) {
        return page(StatusCode::UNPROCESSABLE_ENTITY, &again(&e.to_string()));
    }
    if new != vntext::nfc(&f.confirm) {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &again("Hai lần nhập mật khẩu mới không giống nhau."),
        );
    }
    let now = now();
    state
        .store
        .set_password_hash(user.id, &hash_password(&new), now)
        .await?;
    let token = random_token();
    let csrf = random_token();
    state
        .store
        .create_session(
            &token_hash(&token),
            user.id,
            &csrf,
            now,
            now + SESSION_SECONDS,
        )
        .await?;
    state
        .store
        .audit(
            Some(site.site.id),
            Some(user.id),
            "đổi mật khẩu",
            "",
            &ip,
            now,
        )
        .await?;
    let mut res = page(
        StatusCode::OK,
        &template(
            &site,
            user,
            &csrf,
            None,
            Some("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.".into()),
        ),
    )?;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &token, SESSION_SECONDS, is_https(&headers)),
    );
    Ok(res)
}
