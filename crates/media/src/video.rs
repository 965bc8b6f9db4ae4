//! What an uploaded MP4 holds: its length and frame size, read from its boxes
//! (`moov`, `mvhd`, `tkhd`) with the `mp4` crate; no ffmpeg, nothing decoded.

use crate::Refused;
use std::io::Cursor;

/// An MP4's duration and the size of its video frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoInfo {
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
}

/// Reads an MP4's duration and frame size; [`Refused::BrokenVideo`] when its
/// boxes do not parse or it has no video track.
pub fn video_info(bytes: &[u8]) -> Result<VideoInfo, Refused> {
    let reader = mp4::Mp4Reader::read_header(Cursor::new(bytes), bytes.len() as u64)
        .map_err(|_| Refused::BrokenVideo)?;
    let video = reader
        .tracks()
        .values()
        .find(|t| matches!(t.track_type(), Ok(mp4::TrackType::Video)))
        .ok_or(Refused::BrokenVideo)?;
    let (width, height) = (u32::from(video.width()), u32::from(video.height()));
    if width == 0 || height == 0 {
        return Err(Refused::BrokenVideo);
    }
    let duration = reader.duration();
    let duration = if duration.is_zero() {
        video.duration()
    } else {
        duration
    };
    Ok(VideoInfo {
        duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_mp4_gives_its_length_and_size() {
        let bytes = crate::testdata::mp4(320, 180, 3);
        assert!(crate::sniff(&bytes).is_ok_and(|s| s.kind == crate::Kind::Video));
        assert_eq!(
            video_info(&bytes),
            Ok(VideoInfo {
                duration_ms: 3000,
                width: 320,
                height: 180
            })
        );
    }

    #[test]
    fn a_broken_mp4_is_refused() {
        let mut bytes = crate::testdata::mp4(320, 180, 1);
        bytes.truncate(40);
        assert_eq!(video_info(&bytes), Err(Refused::BrokenVideo));
        assert_eq!(video_info(b"not a video"), Err(Refused::BrokenVideo));
    }
}
