//! The shared core: what every feature uses and none owns. Nothing here names a
//! feature: features declare what they need from it (routes with their cache
//! policy, fast paths, chores).

pub(crate) mod antispam;
pub(crate) mod assets;
pub(crate) mod back_office;
pub(crate) mod blocks;
pub mod cache;
pub mod counters;
pub(crate) mod encoding;
pub mod error;
pub(crate) mod extract;
pub(crate) mod feeds;
pub(crate) mod files;
pub mod frontdoor;
pub(crate) mod keyed;
pub(crate) mod layout;
pub(crate) mod memo;
pub(crate) mod menu;
pub(crate) mod origin;
pub(crate) mod pages;
pub(crate) mod parts;
pub(crate) mod rate_limit;
pub(crate) mod revisions;
pub mod routes;
pub mod server;
pub mod site;
