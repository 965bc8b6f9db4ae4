//! How large an upload may be, by kind.

use crate::{Kind, Refused};

const MB: u64 = 1024 * 1024;

/// Upper bounds on upload size, in bytes, per kind of file.
///
/// The web layer should also cap the request body at the largest of these, so
/// that an oversized upload is stopped while it streams in rather than after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// JPEG, PNG, GIF, WebP.
    pub image_bytes: u64,
    /// PDF, Word and Excel.
    pub document_bytes: u64,
    /// MP4.
    pub video_bytes: u64,
}

impl Default for Limits {
    /// 10 MB for images, 20 MB for documents, 200 MB for video: a phone photo
    /// or a scanned notice fits with room to spare.
    fn default() -> Self {
        Limits {
            image_bytes: 10 * MB,
            document_bytes: 20 * MB,
            video_bytes: 200 * MB,
        }
    }
}

impl Limits {
    /// The limit for one kind of file.
    pub fn for_kind(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Image => self.image_bytes,
            Kind::Pdf | Kind::Document | Kind::Spreadsheet => self.document_bytes,
            Kind::Video => self.video_bytes,
        }
    }

    /// Refuses a file of `size` bytes that is over the limit for its `kind`,
    /// with a message giving both sizes in megabytes.
    pub fn check(&self, kind: Kind, size: u64) -> Result<(), Refused> {
        let limit = self.for_kind(kind);
        if size > limit {
            Err(Refused::TooLarge { size, limit })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_message_speaks_vietnamese_numbers() {
        let limits = Limits::default();
        let err = limits
            .check(Kind::Image, 12 * MB + MB / 2)
            .expect_err("12,5 MB is over the 10 MB image limit");
        assert_eq!(err.code(), "upload_too_large");
        assert_eq!(
            err.to_string(),
            "Tệp quá lớn: 12,5 MB; giới hạn cho loại này là 10 MB."
        );
    }

    #[test]
    fn each_kind_has_its_own_limit() {
        let limits = Limits::default();
        assert_eq!(limits.check(Kind::Image, 10 * MB), Ok(()));
        assert!(limits.check(Kind::Image, 10 * MB + 1).is_err());
        assert_eq!(limits.check(Kind::Pdf, 15 * MB), Ok(()));
        assert_eq!(limits.check(Kind::Spreadsheet, 20 * MB), Ok(()));
        assert!(limits.check(Kind::Document, 21 * MB).is_err());
        assert_eq!(limits.check(Kind::Video, 150 * MB), Ok(()));
        let err = limits.check(Kind::Video, 1234 * MB).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Tệp quá lớn: 1.234 MB; giới hạn cho loại này là 200 MB."
        );
    }
}
