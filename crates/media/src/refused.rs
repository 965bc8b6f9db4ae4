//! Why an upload was not taken, said the way the uploader should read it.

use std::fmt;

/// An upload the portal will not keep.
///
/// Every message is meant to be shown as is to the person who uploaded the file:
/// calm Vietnamese that says what the file is and what the portal accepts. None of
/// them is a server fault; a failure to write to disk is [`crate::StoreError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The file has no bytes at all.
    #[error("Tệp rỗng, không có nội dung để tải lên.")]
    Empty,

    /// A web page. Served from our domain it could run script as the portal.
    #[error("Tệp này là trang HTML; hệ thống không nhận loại tệp này.")]
    Html,

    /// An SVG image. SVG can carry script, so SVG uploads are never served.
    #[error(
        "Tệp này là ảnh SVG; hệ thống không nhận ảnh SVG. Hãy lưu ảnh sang PNG hoặc JPEG rồi tải lên lại."
    )]
    Svg,

    /// A program or script (Windows, Linux or macOS executable, `#!` script).
    #[error("Tệp này là chương trình chạy được; hệ thống không nhận loại tệp này.")]
    Executable,

    /// A Word or Excel file carrying macros.
    #[error(
        "Tệp Word/Excel này có chứa macro; hệ thống không nhận. Hãy lưu lại thành tệp .docx hoặc .xlsx thông thường rồi tải lên."
    )]
    Macros,

    /// A ZIP archive that is not a Word or Excel document.
    #[error("Hệ thống không nhận tệp nén (ZIP). Hãy tải lên từng tệp riêng.")]
    Archive,

    /// Nothing we accept.
    #[error(
        "Không nhận dạng được loại tệp. Chỉ nhận ảnh (JPEG, PNG, GIF, WebP), PDF, Word, Excel và video MP4."
    )]
    Unknown,

    /// Larger than [`crate::Limits`] allows for its kind.
    #[error("Tệp quá lớn: {}; giới hạn cho loại này là {}.", Megabytes::over(*.size), Megabytes::under(*.limit))]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit for its kind, in bytes.
        limit: u64,
    },

    /// An image with more pixels than the portal will decode.
    #[error(
        "Ảnh quá lớn: {} × {} điểm ảnh; giới hạn là {} triệu điểm ảnh.",
        vntext::format_number(i64::from(*.width)),
        vntext::format_number(i64::from(*.height)),
        .limit_megapixels
    )]
    TooManyPixels {
        /// Width in pixels, as the file's header says.
        width: u32,
        /// Height in pixels, as the file's header says.
        height: u32,
        /// The limit in millions of pixels.
        limit_megapixels: u32,
    },

    /// Given to [`crate::prepare_image`] but not an image.
    #[error("Tệp này không phải là ảnh.")]
    NotAnImage,

    /// An image whose content could not be decoded.
    #[error("Không đọc được ảnh này; tệp có thể bị hỏng. Hãy mở ảnh, lưu lại rồi tải lên lại.")]
    BrokenImage,

    /// An MP4 whose boxes could not be read, or with no video track.
    #[error(
        "Không đọc được video này (tệp MP4 hỏng hoặc không có hình); hãy xuất lại video ở định dạng MP4 (H.264) rồi tải lên."
    )]
    BrokenVideo,
}

impl Refused {
    /// A stable code for logs, tests and the message catalogue; it never changes
    /// when the wording does.
    pub fn code(&self) -> &'static str {
        match self {
            Refused::Empty => "upload_empty",
            Refused::Html => "upload_html",
            Refused::Svg => "upload_svg",
            Refused::Executable => "upload_executable",
            Refused::Macros => "upload_macros",
            Refused::Archive => "upload_archive",
            Refused::Unknown => "upload_unknown_type",
            Refused::TooLarge { .. } => "upload_too_large",
            Refused::TooManyPixels { .. } => "image_too_many_pixels",
            Refused::NotAnImage => "upload_not_an_image",
            Refused::BrokenImage => "image_broken",
            Refused::BrokenVideo => "video_broken",
        }
    }
}

/// A limit in bytes as the refusals write it ("10 MB", "501 MB"), rounded down.
pub fn limit_text(bytes: u64) -> String {
    Megabytes::under(bytes).to_string()
}

/// A byte count written in megabytes the Vietnamese way: "12,5 MB", "1.024 MB".
///
/// One MB is 1 048 576 bytes because that is how Windows Explorer, which most
/// uploaders look at, measures the file they picked; the numbers then agree.
struct Megabytes {
    tenths: u64,
}

const MB: u64 = 1024 * 1024;

impl Megabytes {
    /// Rounded up: a file just over a 10 MB limit reads "10,1 MB", never "10 MB".
    fn over(bytes: u64) -> Self {
        Megabytes {
            tenths: (u128::from(bytes) * 10).div_ceil(u128::from(MB)) as u64,
        }
    }

    /// Rounded down, so a limit is never shown larger than it is.
    fn under(bytes: u64) -> Self {
        Megabytes {
            tenths: (u128::from(bytes) * 10 / u128::from(MB)) as u64,
        }
    }
}

impl fmt::Display for Megabytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = i64::try_from(self.tenths / 10).unwrap_or(i64::MAX);
        let tenth = self.tenths % 10;
        f.write_str(&vntext::format_number(whole))?;
        if tenth != 0 {
            write!(f, ",{tenth}")?;
        }
        f.write_str(" MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn megabytes_use_a_decimal_comma_and_thousands_dots() {
        assert_eq!(Megabytes::over(12 * MB + MB / 2).to_string(), "12,5 MB");
        assert_eq!(Megabytes::under(10 * MB).to_string(), "10 MB");
        assert_eq!(Megabytes::over(10 * MB + 1).to_string(), "10,1 MB");
        assert_eq!(Megabytes::under(10 * MB - 1).to_string(), "9,9 MB");
        assert_eq!(Megabytes::over(1500 * MB).to_string(), "1.500 MB");
        assert!(Megabytes::over(u64::MAX).to_string().ends_with(" MB"));
    }

    #[test]
    fn pixel_limit_message_is_vietnamese() {
        let e = Refused::TooManyPixels {
            width: 12_000,
            height: 9_000,
            limit_megapixels: 40,
        };
        assert_eq!(
            e.to_string(),
            "Ảnh quá lớn: 12.000 × 9.000 điểm ảnh; giới hạn là 40 triệu điểm ảnh."
        );
    }
}
