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
    pub role: String,
    pub can_reset: bool,
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
pub(crate) struct UsersTemplate {
    pub chrome: AdminChrome,
    pub users: Vec<UserRow>,
    pub notice: Option<String>,
}
