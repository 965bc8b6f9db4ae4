//! Exam results: sessions held in memory for lookups (the registry), the reader's
//! lookup page and JSON, and the back office's import and publishing.

pub(crate) mod admin;
pub(crate) mod public;
pub mod registry;
