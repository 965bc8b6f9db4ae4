//! Who is asking, and whether they may: extractors a handler asks for, so that no
//! handler checks a session, a role or a form's token by hand.
//!
//! - [`ClientIp`]: the client's address.
//! - [`SignedIn`]: a back-office session, or a redirect to the login page.
//! - [`SiteRole<N>`]: a session whose role on this site is at least `N`'s
//!   ([`Writer`], [`Editor`], [`Admin`], or a feature's own need with its own
//!   wording), or a 403 that says why.
//! - [`CsrfForm<T>`] and [`CsrfMultipart`]: a form whose token is the session's,
//!   or the 403 "Biểu mẫu đã hết hạn…".

use crate::accounts::auth::{cookie, same_token, token_hash};
use crate::platform::back_office::BAD_FORM;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, SESSION_COOKIE, now};
use axum::extract::{Form, FromRequest, FromRequestParts, Multipart, OriginalUri, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Role;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use store::SessionInfo;

/// The client's address: the connection's peer, or the first `X-Forwarded-For`
/// entry when the server is configured to trust its proxy.
pub(crate) struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(
            &parts.headers,
            &parts.extensions,
            state.options.trust_forwarded_for,
        ))
    }
}

impl ClientIp {
    /// The client's address from a request's headers and extensions.
    pub(crate) fn of(
        headers: &HeaderMap,
        extensions: &axum::http::Extensions,
        trust_forwarded_for: bool,
    ) -> ClientIp {
        if trust_forwarded_for
            && let Some(client) = crate::platform::origin::forwarded_client(headers)
        {
            return ClientIp(client.to_owned());
        }
        ClientIp(
            extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_default(),
        )
    }
}

/// The signed-in user of a back-office request. Without a valid session the
/// request is sent to the login page, which brings the user back afterwards.
pub struct SignedIn(pub SessionInfo);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Read once per request, however many extractors ask.
        if let Some(s) = parts.extensions.get::<SessionInfo>() {
            return Ok(SignedIn(s.clone()));
        }
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => state
                .store
                .session(&token_hash(token), now())
                .await
                .map_err(|e| AppError::from(e).into_response())?,
            None => None,
        };
        match session {
            Some(s) => {
                parts.extensions.insert(s.clone());
                Ok(SignedIn(s))
            }
            None => {
                let back = parts
                    .extensions
                    .get::<OriginalUri>()
                    .map(|u| u.0.path().to_owned())
                    .unwrap_or_else(|| parts.uri.path().to_owned());
                let to = format!(
                    "/quan-tri/dang-nhap?tiep={}",
                    crate::platform::layout::percent_encode(&back)
                );
                Err((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
            }
        }
    }
}

/// A role a handler needs on the current site, and how a refusal reads.
pub(crate) trait Need {
    /// The least role that may.
    const ROLE: Role;
    /// What a person without it is told.
    const REFUSAL: &'static str;
}

/// Anyone who works on the site.
pub(crate) struct Writer;
impl Need for Writer {
    const ROLE: Role = Role::Writer;
    const REFUSAL: &'static str =
        "Bạn chưa có vai trò trên trang này; hãy nhờ quản trị viên cấp quyền.";
}

/// Editors (who approve and publish) and administrators.
pub(crate) struct Editor;
impl Need for Editor {
    const ROLE: Role = Role::Editor;
    const REFUSAL: &'static str =
        "Chỉ biên tập viên và quản trị viên của trang này mới làm được việc này.";
}

/// The site's administrators (and super-administrators).
pub(crate) struct Admin;
impl Need for Admin {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str = "Chỉ quản trị viên của trang này mới làm được việc này.";
}

/// A signed-in person whose role on the current site is at least `N::ROLE`.
pub(crate) struct SiteRole<N> {
    /// The session.
    pub session: SessionInfo,
    /// Their role on this site (a super-administrator is an administrator).
    pub role: Role,
    need: PhantomData<N>,
}

impl<N: Need> FromRequestParts<AppState> for SiteRole<N> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let SignedIn(session) = SignedIn::from_request_parts(parts, state).await?;
        let Some(site) = parts.extensions.get::<CurrentSite>() else {
            return Err(AppError::NotFound.into_response());
        };
        match session.user.role_on(site.site.id) {
            Some(role) if role >= N::ROLE => Ok(SiteRole {
                session,
                role,
                need: PhantomData,
            }),
            _ => Err(AppError::forbidden(N::REFUSAL).into_response()),
        }
    }
}

/// A signed-in super-administrator: the province's units, sites and hosts are
/// theirs alone.
pub(crate) struct SuperAdmin(pub SessionInfo);

impl FromRequestParts<AppState> for SuperAdmin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let SignedIn(session) = SignedIn::from_request_parts(parts, state).await?;
        if session.user.is_super {
            Ok(SuperAdmin(session))
        } else {
            Err(AppError::forbidden(
                "Chỉ quản trị hệ thống của Sở mới quản lý được các đơn vị, trang và tên miền.",
            )
            .into_response())
        }
    }
}

/// A form that carries the session's CSRF token.
pub(crate) trait HasCsrf {
    /// The token the form sent.
    fn csrf(&self) -> &str;
}

/// Forms whose token is their `csrf` field.
macro_rules! csrf_field {
    ($($form:ty),* $(,)?) => {
        $(impl $crate::platform::extract::HasCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })*
    };
}
pub(crate) use csrf_field;

/// A form read as pairs (the settings, with their repeated rows).
impl HasCsrf for Vec<(String, String)> {
    fn csrf(&self) -> &str {
        self.iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A urlencoded form whose token is the signed-in session's.
pub(crate) struct CsrfForm<T>(pub T);

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + HasCsrf + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let SignedIn(session) = SignedIn::from_request_parts(&mut parts, state).await?;
        let Form(form) = Form::<T>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !same_token(&session.csrf_token, form.csrf()) {
            return Err(AppError::forbidden(BAD_FORM).into_response());
        }
        Ok(CsrfForm(form))
    }
}

/// What a form over its route's limit is told.
const TOO_LARGE: &str = "Lần gửi này quá lớn nên chưa tệp nào được nhận. Hãy chọn ít tệp hơn mỗi lần (hoặc thu nhỏ tệp) rồi gửi lại.";

/// A multipart form (uploads) whose first field is `csrf`, the session's token;
/// the rest of the form is read by the handler, so that no file is read before
/// the token is checked.
pub(crate) struct CsrfMultipart(pub Multipart);

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let SignedIn(session) = SignedIn::from_request_parts(&mut parts, state).await?;
        let mut form = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let sent = match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("csrf") => {
                field.text().await.unwrap_or_default()
            }
            // A body that says at once it is over the route's limit.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::Unprocessable(TOO_LARGE.into()).into_response());
            }
            _ => String::new(),
        };
        if !same_token(&session.csrf_token, &sent) {
            return Err(AppError::forbidden(BAD_FORM).into_response());
        }
        Ok(CsrfMultipart(form))
    }
}
