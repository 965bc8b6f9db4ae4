//! `/quan-tri/nguoi-dung`: the people of a site, for its administrators. They add
//! a person (a new account with a first password shown once, or an account that
//! exists, by login name) with a role, change a role, remove it, and give a new
//! password. A super-administrator does this on any site (a site picker); a site's
//! administrator on the sites they administer, and sees only those sites' people.
//! Who may is `User::may_manage_roles_on` / `may_change_roles_of` /
//! `may_reset_password_of`, checked here on every POST.

use crate::accounts::auth::{generate_password, hash_password};
use crate::accounts::views::{AddTyped, RoleChoice, UserRow, UsersTemplate};
use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::{CsrfForm, Need, SiteRole, csrf_field};
use crate::platform::layout::{AdminChrome, SelectOption};
use crate::platform::site::{CurrentSite, SiteCtx};
use crate::{AppError, AppState, now};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Role, User};
use serde::Deserialize;
use std::sync::Arc;
use store::{AuditNote, SessionInfo};

/// Who may see a site's people, give them roles and new passwords.
pub(crate) struct UsersAdmin;
impl Need for UsersAdmin {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str =
        "Chỉ quản trị viên của trang này mới quản lý người dùng và đặt lại mật khẩu.";
}

/// Asked for a site they do not administer.
const NOT_YOUR_SITE: &str =
    "Bạn chỉ quản lý được người dùng của những trang mà bạn là quản trị viên.";
/// A super-administrator's roles are theirs everywhere.
const NOT_A_SUPER: &str =
    "Không thể cấp, đổi hay gỡ vai trò của quản trị tối cao; việc đó chỉ làm được bằng dòng lệnh.";
/// One's own role.
const NOT_ONESELF: &str =
    "Bạn không thể tự đổi hay gỡ vai trò của chính mình; hãy nhờ một quản trị viên khác của trang.";
/// Someone who is not on the site's list.
const NO_SUCH_PERSON: &str = "Người này không có vai trò trên trang đã chọn.";

/// The site the page is about: the one asked for by key if `me` administers it
/// (else a refusal), or the site of this address.
fn chosen_site(
    state: &AppState,
    here: &CurrentSite,
    me: &User,
    key: &str,
) -> Result<Arc<SiteCtx>, AppError> {
    let key = key.trim();
    if key.is_empty() || key == here.site.key {
        return Ok(here.0.clone());
    }
    match state.sites.by_key(key) {
        Some(s) if me.may_manage_roles_on(s.site.id) => Ok(s),
        _ => Err(AppError::forbidden(NOT_YOUR_SITE)),
    }
}

/// Why `me` may not touch `target`'s roles on `site`, if they may not.
fn refusal(me: &User, target: &User, site: &SiteCtx) -> Option<AppError> {
    if me.may_change_roles_of(target, site.site.id) {
        None
    } else if target.is_super {
        Some(AppError::forbidden(NOT_A_SUPER))
    } else if target.id == me.id {
        Some(AppError::forbidden(NOT_ONESELF))
    } else {
        Some(AppError::forbidden(NOT_YOUR_SITE))
    }
}

/// The role a person has on a site by a role of their own (a super-administrator's
/// power is not a role given here).
fn own_role(user: &User, site: &SiteCtx) -> Option<Role> {
    user.roles
        .iter()
        .find(|(s, _)| *s == site.site.id)
        .map(|(_, r)| *r)
}

/// What the page says after a POST, and what the add form shows.
#[derive(Default)]
struct Screen {
    status: Option<StatusCode>,
    notice: Option<String>,
    error: Option<String>,
    typed: AddTyped,
}

impl Screen {
    fn done(notice: String) -> Screen {
        Screen {
            notice: Some(notice),
            ..Screen::default()
        }
    }

    fn mistake(error: impl Into<String>, typed: AddTyped) -> Screen {
        Screen {
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            error: Some(error.into()),
            typed,
            ..Screen::default()
        }
    }
}

fn role_options(current: &str) -> Vec<SelectOption> {
    Role::ALL
        .iter()
        .map(|r| SelectOption::new(r.as_str().into(), r.label().into(), current))
        .collect()
}

async fn render(
    state: &AppState,
    here: &CurrentSite,
    session: &SessionInfo,
    site: &SiteCtx,
    screen: Screen,
) -> Result<Response, AppError> {
    let me = &session.user;
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        // Everyone who works on the site (super-administrators work on every site).
        .filter(|u| u.role_on(site.site.id).is_some())
        .map(|u| {
            let role = own_role(&u, site);
            UserRow {
                can_change: role.is_some() && me.may_change_roles_of(&u, site.site.id),
                can_reset: me.may_reset_password_of(&u, site.site.id),
                role: if u.is_super {
                    "Quản trị tối cao".to_owned()
                } else {
                    role.map(Role::label).unwrap_or_default().to_owned()
                },
                role_options: role_options(role.map(Role::as_str).unwrap_or_default()),
                active: u.active,
                username: u.username,
                full_name: u.full_name,
            }
        })
        .collect();
    let sites = state
        .sites
        .all()
        .iter()
        .filter(|s| me.may_manage_roles_on(s.site.id))
        .map(|s| {
            SelectOption::new(
                s.site.key.clone(),
                s.site.settings.name.clone(),
                &site.site.key,
            )
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| RoleChoice {
            value: r.as_str(),
            label: r.label(),
            duties: r.duties(),
            checked: r.as_str() == screen.typed.role,
        })
        .collect();
    page(
        screen.status.unwrap_or(StatusCode::OK),
        &UsersTemplate {
            chrome: AdminChrome::new("Người dùng", here, session),
            site_key: site.site.key.clone(),
            site_name: site.site.settings.name.clone(),
            sites,
            users,
            roles,
            typed: screen.typed,
            notice: screen.notice,
            error: screen.error,
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default, rename = "ma-trang")]
    site: String,
}

/// `GET /quan-tri/nguoi-dung[?ma-trang=<site key>]`
pub(crate) async fn list(
    State(state): State<AppState>,
    here: CurrentSite,
    admin: SiteRole<UsersAdmin>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let session = admin.session;
    let site = chosen_site(&state, &here, &session.user, &q.site)?;
    render(&state, &here, &session, &site, Screen::default()).await
}

csrf_field!(AddForm, RoleForm, ResetForm);

/// The form that adds a person.
#[derive(Deserialize)]
pub(crate) struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "ma-trang")]
    site: String,
    /// "moi": a new account; "co-san": an account that exists.
    #[serde(default)]
    loai: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default, rename = "vai-tro")]
    role: String,
}

/// `POST /quan-tri/nguoi-dung/them`: a new account with a role and a first
/// password shown once, or a role for an account that exists.
pub(crate) async fn add(
    State(state): State<AppState>,
    here: CurrentSite,
    ClientIp(ip): ClientIp,
    admin: SiteRole<UsersAdmin>,
    CsrfForm(f): CsrfForm<AddForm>,
) -> Result<Response, AppError> {
    let session = admin.session;
    let me = &session.user;
    let site = chosen_site(&state, &here, me, &f.site)?;
    if !me.may_manage_roles_on(site.site.id) {
        return Err(AppError::forbidden(NOT_YOUR_SITE));
    }
    let existing = f.loai == "co-san";
    let typed = AddTyped {
        existing,
        username: f.username.trim().to_owned(),
        full_name: vntext::clean_line(&f.full_name),
        role: Role::parse(&f.role)
            .map(Role::as_str)
            .unwrap_or_default()
            .to_owned(),
    };
    let again = |error: String, typed: AddTyped| {
        let (state, here, session, site) = (&state, &here, &session, &site);
        async move { render(state, here, session, site, Screen::mistake(error, typed)).await }
    };
    let Some(role) = Role::parse(&f.role) else {
        return again("Vui lòng chọn vai trò.".into(), typed).await;
    };
    let username = match domain::normalize_username(&f.username) {
        Ok(name) => name,
        Err(e) => return again(e.to_string(), typed).await,
    };
    let now = now();
    let note = |action: &'static str| AuditNote {
        user: Some(me.id),
        action,
        ip: &ip,
    };
    if existing {
        let Some((target, _)) = state.store.user_by_username(&username).await? else {
            return again(
                format!(
                    "Không có tài khoản nào có tên đăng nhập “{username}”. Nếu đây là người mới, hãy chọn “Tài khoản mới”."
                ),
                typed,
            )
            .await;
        };
        if let Some(no) = refusal(me, &target, &site) {
            return Err(no);
        }
        if let Some(had) = own_role(&target, &site) {
            return again(
                format!(
                    "{} ({username}) đã có vai trò {} trên trang này; hãy đổi vai trò ở danh sách bên dưới.",
                    target.full_name,
                    had.label()
                ),
                typed,
            )
            .await;
        }
        match state
            .store
            .add_role(
                target.id,
                site.site.id,
                role,
                note("cấp vai trò"),
                &format!("{username}: {}", role.label()),
                now,
            )
            .await
        {
            Err(store::Error::Conflict(_)) => {
                return again(
                    "Người này vừa được cấp vai trò trên trang này; hãy tải lại trang.".into(),
                    typed,
                )
                .await;
            }
            other => other?,
        }
        let notice = format!(
            "Đã cấp vai trò {} trên trang {} cho {} ({username}).",
            role.label(),
            site.site.settings.name,
            target.full_name
        );
        return render(&state, &here, &session, &site, Screen::done(notice)).await;
    }
    if typed.full_name.is_empty() {
        return again(domain::AccountError::MissingName.to_string(), typed).await;
    }
    let password = generate_password();
    let created = state
        .store
        .create_user_with_role(
            &username,
            &typed.full_name,
            &hash_password(&password),
            site.site.id,
            role,
            note("tạo tài khoản"),
            &format!("{username} ({}): {}", typed.full_name, role.label()),
            now,
        )
        .await;
    match created {
        Err(store::Error::Conflict(_)) => {
            return again(
                format!(
                    "Tên đăng nhập “{username}” đã có người dùng. Hãy chọn tên khác; nếu đó đúng là người bạn muốn thêm, hãy chọn “Tài khoản đã có”."
                ),
                typed,
            )
            .await;
        }
        other => other?,
    };
    let notice = format!(
        "Đã tạo tài khoản {username} ({}) với vai trò {} trên trang {}. Mật khẩu đầu tiên (chỉ hiện lần này, hãy trao tận tay): {password}",
        typed.full_name,
        role.label(),
        site.site.settings.name
    );
    render(&state, &here, &session, &site, Screen::done(notice)).await
}

/// The forms of a row: change the role (with `vai-tro`) or remove it.
#[derive(Deserialize)]
pub(crate) struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "ma-trang")]
    site: String,
    #[serde(default)]
    username: String,
    #[serde(default, rename = "vai-tro")]
    role: String,
}

/// The person a row's form is about, their role on the site, once `me` may touch it.
async fn target_of(
    state: &AppState,
    me: &User,
    site: &SiteCtx,
    username: &str,
) -> Result<(User, Role), AppError> {
    let name = username.trim().to_ascii_lowercase();
    let Some((target, _)) = state.store.user_by_username(&name).await? else {
        return Err(AppError::Unprocessable(NO_SUCH_PERSON.into()));
    };
    if let Some(no) = refusal(me, &target, site) {
        return Err(no);
    }
    let Some(role) = own_role(&target, site) else {
        return Err(AppError::Unprocessable(NO_SUCH_PERSON.into()));
    };
    Ok((target, role))
}

/// `POST /quan-tri/nguoi-dung/doi-vai-tro`
pub(crate) async fn change(
    State(state): State<AppState>,
    here: CurrentSite,
    ClientIp(ip): ClientIp,
    admin: SiteRole<UsersAdmin>,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> Result<Response, AppError> {
    let session = admin.session;
    let me = &session.user;
    let site = chosen_site(&state, &here, me, &f.site)?;
    let (target, from) = target_of(&state, me, &site, &f.username).await?;
    let Some(to) = Role::parse(&f.role) else {
        let screen = Screen::mistake("Vui lòng chọn vai trò.", AddTyped::default());
        return render(&state, &here, &session, &site, screen).await;
    };
    let who = format!("{} ({})", target.full_name, target.username);
    if from == to {
        let notice = format!("{who} vẫn là {}; không có gì thay đổi.", to.label());
        return render(&state, &here, &session, &site, Screen::done(notice)).await;
    }
    state
        .store
        .change_role(
            target.id,
            site.site.id,
            from,
            to,
            AuditNote {
                user: Some(me.id),
                action: "đổi vai trò",
                ip: &ip,
            },
            &format!("{}: {} → {}", target.username, from.label(), to.label()),
            now(),
        )
        .await?;
    let notice = format!(
        "Đã đổi vai trò của {who} trên trang {}: {} → {}.",
        site.site.settings.name,
        from.label(),
        to.label()
    );
    render(&state, &here, &session, &site, Screen::done(notice)).await
}

/// `POST /quan-tri/nguoi-dung/go-vai-tro`: the person no longer works on the site
/// (their account and their roles elsewhere stay).
pub(crate) async fn remove(
    State(state): State<AppState>,
    here: CurrentSite,
    ClientIp(ip): ClientIp,
    admin: SiteRole<UsersAdmin>,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> Result<Response, AppError> {
    let session = admin.session;
    let me = &session.user;
    let site = chosen_site(&state, &here, me, &f.site)?;
    let (target, from) = target_of(&state, me, &site, &f.username).await?;
    state
        .store
        .remove_role(
            target.id,
            site.site.id,
            from,
            AuditNote {
                user: Some(me.id),
                action: "gỡ vai trò",
                ip: &ip,
            },
            &format!("{}: {}", target.username, from.label()),
            now(),
        )
        .await?;
    let notice = format!(
        "Đã gỡ vai trò {} của {} ({}) trên trang {}.",
        from.label(),
        target.full_name,
        target.username,
        site.site.settings.name
    );
    render(&state, &here, &session, &site, Screen::done(notice)).await
}

#[derive(Deserialize)]
pub(crate) struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "ma-trang")]
    site: String,
    #[serde(default)]
    username: String,
}

/// `POST /quan-tri/nguoi-dung/dat-lai-mat-khau`: a new password, shown once to the
/// administrator to hand over; the user's sessions end.
pub(crate) async fn reset(
    State(state): State<AppState>,
    here: CurrentSite,
    ClientIp(ip): ClientIp,
    admin: SiteRole<UsersAdmin>,
    CsrfForm(f): CsrfForm<ResetForm>,
) -> Result<Response, AppError> {
    let session = admin.session;
    let site = chosen_site(&state, &here, &session.user, &f.site)?;
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
    render(&state, &here, &session, &site, Screen::done(notice)).await
}
