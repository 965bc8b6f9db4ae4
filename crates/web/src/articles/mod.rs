//! Articles: the reader's pages (category, article, print, by date, feeds and
//! sitemap, live figures) and the back office's editor and workflow.

pub(crate) mod admin;
pub(crate) mod by_date;
pub(crate) mod category;
pub(crate) mod diff;
pub(crate) mod feeds;
pub(crate) mod public;
pub(crate) mod stats;

/// How many articles the side block "Tin mới" shows.
pub(crate) const SIDE_LATEST: i64 = 6;
