//! Several sites, one login: someone who works on several sites goes from one
//! site's back office to another's without logging in again, although each site
//! has its own host name and so its own cookies.
//!
//! The hand-off, from site A (where the person is signed in) to site B:
//!
//! 1. A's `/quan-tri/chuyen-trang?den=<B>` (a link on the dashboard) checks the
//!    session and the role on B, and sends the browser to B's
//!    `/quan-tri/nhan-phien?tu=<A's host>`.
//! 2. B gives the browser a secret in a short-lived cookie of B's own and sends it
//!    back to A's `/quan-tri/chuyen-trang?den=<B>&kiem=<SHA-256 of the secret>`.
//! 3. A makes a one-time token bound to the user, to B and to that hash (stored
//!    hashed, a minute long, so any instance can redeem it), audits it, and sends
//!    the browser to B's `/quan-tri/nhan-phien?ma=<token>`.
//! 4. B takes the token (deleting it, whatever comes next), checks the time, the
//!    site, the browser's secret against the hash, the account and its role on B,
//!    and opens a session as a login does.
//!
//! Step 2 is what stops login CSRF: a token that someone made for their own
//! account is useless in another person's browser, which lacks the secret that
//! B gave the maker's browser. Every redirect goes to a host that a site claims,
//! with the scheme and port of the request (`Origin::for_host`).

use crate::accounts::auth::{cookie, is_https, random_token, same_token, set_cookie, token_hash};
use crate::accounts::login::open_session;
use crate::accounts::views::{SiteLink, SwitchRefusedTemplate};
use crate::platform::back_office::page;
use crate::platform::extract::{ClientIp, SignedIn};
use crate::platform::layout::{AdminChrome, percent_encode};
use crate::platform::origin::Origin;
use crate::platform::site::{CurrentSite, SiteCtx};
use crate::{AppError, AppState, now};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::User;
use serde::Deserialize;
use std::collections::HashMap;
use store::Handoff;

/// How long a hand-off token works.
pub const HANDOFF_SECONDS: i64 = 60;
/// The target site's cookie with the browser's secret …
const BROWSER_COOKIE: &str = "ep_chuyen";
/// … which lives long enough for the round trip through the other site.
const BROWSER_SECONDS: i64 = 2 * 60;

/// The sites `user` works on, for the list "Trang bạn quản lý", in the
/// installation's order: every site for a super-administrator.
pub(crate) fn my_sites(state: &AppState, here: &SiteCtx, user: &User) -> Vec<SiteLink> {
    state
        .sites
        .all()
        .iter()
        .filter_map(|s| {
            let role = user.role_on(s.site.id)?;
            let current = s.site.id == here.site.id;
            Some(SiteLink {
                name: s.site.settings.name.clone(),
                role: if user.is_super {
                    "Quản trị tối cao"
                } else {
                    role.label()
                },
                href: (!current && !s.site.suspended && s.site.main_host().is_some())
                    .then(|| format!("/quan-tri/chuyen-trang?den={}", percent_encode(&s.site.key))),
                current,
                suspended: s.site.suspended,
            })
        })
        .collect()
}

/// The calm page of a switch that cannot be done.
fn refused(
    status: StatusCode,
    site: &SiteCtx,
    session: Option<&store::SessionInfo>,
    message: String,
) -> Result<Response, AppError> {
    let title = "Chưa chuyển được sang trang này";
    let chrome = match session {
        Some(s) => AdminChrome::new(title, site, s),
        None => AdminChrome {
            title: title.into(),
            site_name: site.site.settings.name.clone(),
            css_url: crate::platform::assets::url("app.css"),
            user_name: None,
            is_super: false,
            csrf: String::new(),
            many_sites: false,
            styles: Vec::new(),
            scripts: Vec::new(),
        },
    };
    page(
        status,
        &SwitchRefusedTemplate {
            chrome,
            message,
            signed_in: session.is_some(),
        },
    )
}

fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Deserialize)]
pub(crate) struct GoQuery {
    /// The site to go to, by key.
    #[serde(default)]
    den: String,
    /// The hash of the secret the target site gave this browser (step 3).
    #[serde(default)]
    kiem: Option<String>,
}

/// `GET /quan-tri/chuyen-trang?den=<site key>[&kiem=<hash>]`: steps 1 and 3.
pub(crate) async fn go(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    ClientIp(ip): ClientIp,
    SignedIn(session): SignedIn,
    Query(q): Query<GoQuery>,
) -> Result<Response, AppError> {
    let user = &session.user;
    let Some(target) = state.sites.by_key(q.den.trim()) else {
        return refused(
            StatusCode::NOT_FOUND,
            &site,
            Some(&session),
            "Không có trang nào mang mã này trong hệ thống.".into(),
        );
    };
    if target.site.id == site.site.id {
        return Ok(see_other("/quan-tri".into()));
    }
    let name = &target.site.settings.name;
    if user.role_on(target.site.id).is_none() {
        return refused(
            StatusCode::FORBIDDEN,
            &site,
            Some(&session),
            format!(
                "Bạn chưa có vai trò trên trang {name}; hãy nhờ quản trị viên của trang đó cấp quyền."
            ),
        );
    }
    if target.site.suspended {
        return refused(
            StatusCode::FORBIDDEN,
            &site,
            Some(&session),
            format!("Trang {name} đang tạm ngừng hoạt động."),
        );
    }
    let Some(main_host) = target.site.main_host() else {
        return refused(
            StatusCode::FORBIDDEN,
            &site,
            Some(&session),
            format!("Trang {name} chưa có tên miền nên chưa thể chuyển sang."),
        );
    };
    let there = |path: String| format!("{}{path}", origin.for_host(main_host));
    let Some(kiem) = q.kiem else {
        // Step 1: ask the other site for this browser's secret; it sends the browser
        // back here, to the host the session's cookie belongs to.
        return Ok(see_other(there(format!(
            "/quan-tri/nhan-phien?tu={}",
            percent_encode(&origin.host())
        ))));
    };
    if !is_hash(&kiem) {
        return refused(
            StatusCode::BAD_REQUEST,
            &site,
            Some(&session),
            "Liên kết chuyển trang không hợp lệ. Hãy bấm lại tên trang trong danh sách “Trang bạn quản lý”.".into(),
        );
    }
    // Step 3.
    let now = now();
    let token = random_token();
    state
        .store
        .create_handoff(
            &token_hash(&token),
            &Handoff {
                user: user.id,
                site: target.site.id,
                from_site: Some(site.site.id),
                browser_hash: kiem.to_ascii_lowercase(),
                expires_at: now + HANDOFF_SECONDS,
            },
            now,
        )
        .await?;
    state
        .store
        .audit(
            Some(site.site.id),
            Some(user.id),
            "chuyển sang trang khác",
            name,
            &ip,
            now,
        )
        .await?;
    Ok(see_other(there(format!("/quan-tri/nhan-phien?ma={token}"))))
}

#[derive(Deserialize)]
pub(crate) struct ReceiveQuery {
    /// The token (step 4).
    #[serde(default)]
    ma: Option<String>,
    /// The host the person comes from (step 2).
    #[serde(default)]
    tu: Option<String>,
}

/// Why a hand-off is not accepted, as the person reads it.
const USED_OR_UNKNOWN: &str = "Liên kết chuyển trang này đã được dùng hoặc không còn hiệu lực. Mỗi liên kết chỉ dùng được một lần, trong một phút.";
const EXPIRED: &str =
    "Liên kết chuyển trang này đã hết hạn (mỗi liên kết chỉ dùng được trong một phút).";
const OTHER_SITE: &str =
    "Liên kết chuyển trang này được tạo cho một trang khác, không dùng được ở đây.";
const OTHER_BROWSER: &str =
    "Liên kết chuyển trang này chỉ dùng được trên trình duyệt đã tạo ra nó.";
const ACCOUNT_LOCKED: &str = "Tài khoản của bạn đã bị khóa.";
const NO_ROLE_HERE: &str = "Tài khoản của bạn không có quyền quản trị trang này.";

/// `GET /quan-tri/nhan-phien?tu=<host>` (step 2) and `?ma=<token>` (step 4).
pub(crate) async fn receive(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<ReceiveQuery>,
) -> Result<Response, AppError> {
    if let Some(token) = q.ma {
        return redeem(&state, &site, &ip, &headers, &token).await;
    }
    let from = q.tu.as_deref().unwrap_or("").trim();
    if from.is_empty() || state.sites.claiming(from).is_none() {
        return refused(StatusCode::BAD_REQUEST, &site, None, USED_OR_UNKNOWN.into());
    }
    let secret = random_token();
    let back = format!(
        "{}/quan-tri/chuyen-trang?den={}&kiem={}",
        origin.for_host(&domain::normalize_host(from)),
        percent_encode(&site.site.key),
        token_hash(&secret)
    );
    let mut res = see_other(back);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(BROWSER_COOKIE, &secret, BROWSER_SECONDS, is_https(&headers)),
    );
    Ok(res)
}

/// Step 4: the token becomes a session here, or a refusal.
async fn redeem(
    state: &AppState,
    site: &CurrentSite,
    ip: &str,
    headers: &HeaderMap,
    token: &str,
) -> Result<Response, AppError> {
    let now = now();
    let store = &state.store;
    let Some(handoff) = store.take_handoff(&token_hash(token.trim())).await? else {
        return refused(StatusCode::FORBIDDEN, site, None, USED_OR_UNKNOWN.into());
    };
    let user = store.user_by_id(handoff.user).await?;
    let who = user.as_ref().map(|u| u.id);
    let secret = cookie(headers, BROWSER_COOKIE).unwrap_or("");
    let accepted = if handoff.expires_at <= now {
        Err(EXPIRED)
    } else if handoff.site != site.site.id {
        Err(OTHER_SITE)
    } else if secret.is_empty() || !same_token(&token_hash(secret), &handoff.browser_hash) {
        Err(OTHER_BROWSER)
    } else {
        match user {
            Some(u) if !u.active => Err(ACCOUNT_LOCKED),
            Some(u) if u.role_on(site.site.id).is_some() => Ok(u),
            _ => Err(NO_ROLE_HERE),
        }
    };
    let user = match accepted {
        Ok(user) => user,
        Err(why) => {
            store
                .audit(
                    Some(site.site.id),
                    who,
                    "chuyển trang bị từ chối",
                    why,
                    ip,
                    now,
                )
                .await?;
            return refused(StatusCode::FORBIDDEN, site, None, why.into());
        }
    };
    let from = handoff
        .from_site
        .and_then(|s| state.sites.name_of(s))
        .unwrap_or_default();
    let mut res = open_session(
        state,
        site,
        user.id,
        ip,
        headers,
        &HashMap::new(),
        &format!("chuyển từ trang {from}"),
    )
    .await?;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(BROWSER_COOKIE, "", 0, is_https(headers)),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_are_sixty_four_hex_digits() {
        assert!(super::is_hash(&"a".repeat(64)));
        assert!(!super::is_hash(&"a".repeat(63)));
        assert!(!super::is_hash(&"g".repeat(64)));
    }
}
