//! `/quan-tri/nguoi-dung`: the people of a site, for its administrators, who can
//! give any of them a new password.

use crate::accounts::auth::{generate_password, hash_password};
use crate::accounts::views::{UserRow, UsersTemplate};
use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::{CsrfForm, Need, SiteRole, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Role;
use serde::Deserialize;
use store::SessionInfo;

/// Who may see a site's people and give them new passwords.
pub(crate) struct UsersAdmin;
impl Need for UsersAdmin {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str =
        "Chỉ quản trị viên của trang này mới xem và đặt lại mật khẩu người dùng.";
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let me = &session.user;
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        // Everyone who works on this site (super-administrators work on every site).
        .filter(|u| u.role_on(site.site.id).is_some())
        .map(|u| UserRow {
            can_reset: me.may_reset_password_of(&u, site.site.id),
            role: u
                .role_on(site.site.id)
                .map(|r| {
                    if u.is_super {
                        "Quản trị tối cao"
                    } else {
                        r.label()
                    }
                })
                .unwrap_or("")
                .to_owned(),
            username: u.username,
            full_name: u.full_name,
        })
        .collect();
    page(
        StatusCode::OK,
        &UsersTemplate {
            chrome: AdminChrome::new("Người dùng", site, session),
            users,
            notice,
        },
    )
}

/// `GET /quan-tri/nguoi-dung`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    admin: SiteRole<UsersAdmin>,
) -> Result<Response, AppError> {
    let session = admin.session;
    render(&state, &site, &session, None).await
}

csrf_field!(ResetForm);

#[derive(Deserialize)]
pub(crate) struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
}

/// `POST /quan-tri/nguoi-dung/dat-lai-mat-khau`: a new password, shown once to the
/// administrator to hand over; the user's sessions end.
pub(crate) async fn reset(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    admin: SiteRole<UsersAdmin>,
    CsrfForm(f): CsrfForm<ResetForm>,
) -> Result<Response, AppError> {
    let session = admin.session;
    let Some((target, _)) = state.store.user_by_username(f.username.trim()).await? else {
        return Err(AppError::forbidden(UsersAdmin::REFUSAL));
    };
    if !session.user.may_reset_password_of(&target, site.site.id) {
        return Err(AppError::forbidden(UsersAdmin::REFUSAL));
    }
    let password = generate_password();
    let now = now();
    state
        .store
        .set_password_hash(target.id, &hash_password(&password), now)
        .await?;
    state
        .store
        .audit(
            Some(site.site.id),
            Some(session.user.id),
            "đặt lại mật khẩu",
            &target.username,
            &ip,
            now,
        )
        .await?;
    let notice = format!(
        "Mật khẩu mới của {} (chỉ hiện lần này, hãy trao tận tay): {password}",
        target.username
    );
    render(&state, &site, &session, Some(notice)).await
}
