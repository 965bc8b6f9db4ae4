//! A site's settings, its audit log, and the back office's dashboard.

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod chart;
pub(crate) mod dashboard;
