//! The province's units and their sites: the super-administrator's list, a school
//! made with its site and first administrator in one form, hosts (one main, the
//! others 301 to it), suspension; and the public directory of the province's
//! portals ("Cổng thành phần").

pub(crate) mod admin;
pub(crate) mod directory;
pub(crate) mod news;
pub(crate) mod republish;

use crate::platform::routes::{NO_QUERY, Routes};
use axum::routing::get;

/// The home page's "Tin từ các đơn vị" block.
pub(crate) fn install(parts: &mut crate::platform::parts::Parts) {
    parts.home_block(news::block_kind());
}

/// The back office's units and the public directory.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .admin("/quan-tri/don-vi", get(admin::list))
        .admin(
            "/quan-tri/don-vi/moi",
            get(admin::new_form).post(admin::create),
        )
        .admin("/quan-tri/don-vi/{id}", get(admin::edit).post(admin::save))
        .admin(
            "/quan-tri/tin-don-vi",
            get(republish::list).post(republish::act),
        )
        .gathered("/cong-thanh-phan", NO_QUERY, get(directory::show))
        .gathered("/tin-cac-don-vi", &["loai", "xa", "trang"], get(news::show))
}
