//! The media library: uploads checked by content, and images in articles.

pub(crate) mod admin;
pub(crate) mod uploads;
