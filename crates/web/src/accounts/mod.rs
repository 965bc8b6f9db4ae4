//! Accounts: passwords and sessions, login with its lockout, two-step login,
//! changing one's password, and a site's people.

pub mod auth;
pub mod codes;
pub(crate) mod login;
pub(crate) mod password;
pub(crate) mod two_step;
pub(crate) mod users;
