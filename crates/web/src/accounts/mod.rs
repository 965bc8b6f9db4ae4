//! Accounts: passwords and sessions, login with its lockout, two-step login,
//! changing one's password, a site's people and their roles, and moving between
//! the sites one works on without logging in again.

pub mod auth;
pub mod codes;
pub(crate) mod login;
pub(crate) mod password;
pub(crate) mod switch;
pub(crate) mod two_step;
pub(crate) mod users;
pub(crate) mod views;

use crate::AppState;
use crate::platform::keyed::KeyedLocks;
use crate::platform::parts::Parts;
use crate::platform::routes::Routes;
use axum::routing::{get, post};

/// Login, logout, two-step login, one's password, a site's people, switching sites.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .admin("/quan-tri/dang-nhap", get(login::show).post(login::submit))
        .admin(
            "/quan-tri/dang-nhap/ma-xac-thuc",
            get(two_step::code_form).post(two_step::code_submit),
        )
        .admin("/quan-tri/dang-xuat", post(login::logout))
        .admin(
            "/quan-tri/doi-mat-khau",
            get(password::show).post(password::submit),
        )
        .admin(
            "/quan-tri/xac-thuc-hai-buoc",
            get(two_step::show).post(two_step::submit),
        )
        .admin("/quan-tri/nguoi-dung", get(users::list))
        .admin("/quan-tri/nguoi-dung/them", post(users::add))
        .admin("/quan-tri/nguoi-dung/doi-vai-tro", post(users::change))
        .admin("/quan-tri/nguoi-dung/go-vai-tro", post(users::remove))
        .admin("/quan-tri/nguoi-dung/dat-lai-mat-khau", post(users::reset))
        .admin("/quan-tri/chuyen-trang", get(switch::go))
        .admin("/quan-tri/nhan-phien", get(switch::receive))
}

/// Login attempts, one at a time per login name and per address.
struct LoginTurns(KeyedLocks);

/// The accounts' state.
pub(crate) fn install(parts: &mut Parts) {
    parts.insert(LoginTurns(KeyedLocks::default()));
}

impl AppState {
    pub(crate) fn login_turns(&self) -> &KeyedLocks {
        &self.part::<LoginTurns>().0
    }
}
