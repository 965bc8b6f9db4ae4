//! The accounts' view models: login, password, a site's people.

use crate::platform::layout::*;
use askama::Template;

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub(crate) struct LoginTemplate {
    pub chrome: AdminChrome,
    pub error: Option<String>,
    pub username: String,
    pub next_query: String,
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
pub(crate) struct PasswordTemplate {
    pub chrome: AdminChrome,
    pub error: Option<String>,
    pub done: Option<String>,
}

/// A row of the users page.
pub(crate) struct UserRow {
    pub username: String,
    pub full_name: String,
    /// Their role on the site, as said (or "Quản trị tối cao").
    pub role: String,
    /// The choices of the row's role select, theirs selected.
    pub role_options: Vec<SelectOption>,
    pub active: bool,
    /// Whether the viewer may change and remove their role here.
    pub can_change: bool,
    pub can_reset: bool,
}

/// A role as the add form offers it.
pub(crate) struct RoleChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub duties: &'static str,
    pub checked: bool,
}

/// What the add form shows: as typed, after a mistake.
#[derive(Default)]
pub(crate) struct AddTyped {
    /// An account that exists (else a new one).
    pub existing: bool,
    pub username: String,
    pub full_name: String,
    /// The role's stored value, or empty.
    pub role: String,
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
pub(crate) struct UsersTemplate {
    pub chrome: AdminChrome,
    /// The site whose people are shown.
    pub site_key: String,
    pub site_name: String,
    /// The sites the viewer may choose (when more than one).
    pub sites: Vec<SelectOption>,
    pub users: Vec<UserRow>,
    pub roles: Vec<RoleChoice>,
    pub typed: AddTyped,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// One of the sites a person works on, for the list "Trang bạn quản lý".
pub(crate) struct SiteLink {
    pub name: String,
    pub role: &'static str,
    /// Where to go to work on it: none for the site being looked at (and for a
    /// suspended site, or one without a host name, which cannot be reached).
    pub href: Option<String>,
    pub current: bool,
    pub suspended: bool,
}

/// A hand-off that cannot be done, or a switch that is refused.
#[derive(Template)]
#[template(path = "accounts/switch_refused.html")]
pub(crate) struct SwitchRefusedTemplate {
    pub chrome: AdminChrome,
    pub message: String,
    /// Signed in here (a link back to the dashboard) or not (a link to log in).
    pub signed_in: bool,
}
