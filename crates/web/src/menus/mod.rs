//! The main menu's back office (`/quan-tri/menu`): a site's administrators
//! arrange items that lead to what the features offer (categories, pages,
//! modules' pages), links and headings, with one level of dropdown. The public
//! rendering is the shared layout's (`platform::menu` resolves the menu once per
//! change).

pub(crate) mod admin;

use crate::platform::routes::Routes;
use axum::routing::get;

/// The menu's back office.
pub(crate) fn routes() -> Routes {
    Routes::new().admin("/quan-tri/menu", get(admin::show).post(admin::change))
}
