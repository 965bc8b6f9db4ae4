//! media: checks uploads by content and prepares images for the web.
//!
//! The web layer hands this crate the bytes of an upload and gets back either a
//! refusal worded for the uploader ([`Refused`]) or files written into the media
//! folder. No database work happens here.
//!
//! The usual path for one upload:
//!
//! 1. [`sniff`] decides the type from the content; the name is never trusted.
//! 2. [`Limits::check`] bounds the size for that kind of file.
//! 3. Images go through [`prepare_image`] (upright, metadata dropped, a few
//!    widths) and [`store_image`]; other files go to [`store_file`] as they are.
//! 4. Pages build `srcset` attributes with [`srcset`].

mod limits;
mod pdf_text;
mod prepare;
mod refused;
mod sniff;
mod store;
/// Files that tests make for themselves (also used by the web layer's tests).
#[doc(hidden)]
pub mod testdata;
mod video;

pub use limits::Limits;
pub use pdf_text::{MAX_PDF_PAGES, MAX_PDF_TEXT_CHARS, pdf_text};
pub use prepare::{
    Encoded, MAX_LONG_SIDE, MAX_MEGAPIXELS, PreparedImage, WebFormat, prepare_image,
};
pub use refused::{Refused, limit_text};
pub use sniff::{Kind, Sniffed, mime_of_extension, sniff};
pub use store::{
    StoreError, Stored, URL_PREFIX, Variant, srcset, store_file, store_image, store_sizes_beside,
};
pub use video::{VideoInfo, video_info};
