//! Writing accepted uploads into the media folder.
//!
//! Layout: `<media_dir>/<sub>/<YYYY>/<MM>/<name>[-<width>].<ext>`, where the year
//! and month are Vietnam's at the time of upload and `name` is 16 random hex
//! digits shared by every file of one upload. The uploader's file name is never
//! used: it may be anything, and the random name also keeps URLs unguessable.

use crate::{Kind, PreparedImage, Sniffed};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The URL path under which the web layer serves the media folder.
pub const URL_PREFIX: &str = "/media/";

/// Why an upload could not be written. These are server faults (or caller
/// mistakes), to be logged; the uploader sees a general error page.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `sub` must be lower-case ASCII letters, digits, `-` and `_`, in one or more
    /// segments joined by `/`, so that it can never climb out of the media folder.
    #[error("invalid media sub-folder {0:?}")]
    BadSub(String),
    /// Images must go through [`crate::prepare_image`], which strips their metadata.
    #[error("an image was given to store_file; prepare it with prepare_image and use store_image")]
    UnpreparedImage,
    /// The system's random source failed.
    #[error("no randomness for a file name: {0}")]
    Random(getrandom::Error),
    /// A file or folder could not be written.
    #[error("writing {path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// One stored file of an image, for `srcset` and `<picture>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Path relative to the media folder, with forward slashes.
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// MIME type, e.g. `image/webp`.
    pub mime: &'static str,
}

/// What was written for one upload. Paths are relative to the media folder and
/// use forward slashes, ready to be put after [`URL_PREFIX`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The main file: the full-size image, or the document or video as uploaded.
    pub main: String,
    /// For images, the narrowest file in the main format; `None` for other files.
    pub thumbnail: Option<String>,
    /// For images, every file written, the main one included; empty otherwise.
    pub variants: Vec<Variant>,
}

/// Writes a prepared image, all its outputs, into `media_dir/<sub>/YYYY/MM/`.
///
/// Each file appears whole or not at all; if any file fails, the ones already
/// written for this upload are removed.
pub fn store_image(
    media_dir: &Path,
    sub: &str,
    image: &PreparedImage,
) -> Result<Stored, StoreError> {
    let (year, month) = vietnam_year_month();
    let dir = upload_dir(media_dir, sub, year, month)?;
    let name = fresh_name(&dir, image.format.extension())?;
    store_image_as(media_dir, &dir, &name, image)
}

/// Writes a document or video as it was uploaded into `media_dir/<sub>/YYYY/MM/`,
/// under the extension its content showed.
///
/// Images are refused with [`StoreError::UnpreparedImage`]: stored as uploaded,
/// they would keep their EXIF data, GPS position included.
pub fn store_file(
    media_dir: &Path,
    sub: &str,
    bytes: &[u8],
    sniffed: Sniffed,
) -> Result<Stored, StoreError> {
    if sniffed.kind == Kind::Image {
        return Err(StoreError::UnpreparedImage);
    }
    let (year, month) = vietnam_year_month();
    let dir = upload_dir(media_dir, sub, year, month)?;
    let name = fresh_name(&dir, sniffed.extension)?;
    let file = format!("{name}.{}", sniffed.extension);
    write_all_or_none(&dir, &[(file.as_str(), bytes)])?;
    Ok(Stored {
        main: relative(media_dir, &dir, &file),
        thumbnail: None,
        variants: Vec::new(),
    })
}

/// `srcset` for the variants of one MIME type, narrowest first:
/// `"/media/a-480.jpg 480w, /media/a.jpg 1200w"`.
///
/// One type at a time because a `srcset` must not mix formats: WebP belongs in
/// a `<source type="image/webp">`, JPEG or PNG in the `<img>`.
pub fn srcset(variants: &[Variant], mime: &str) -> String {
    let mut chosen: Vec<&Variant> = variants.iter().filter(|v| v.mime == mime).collect();
    chosen.sort_by_key(|v| v.width);
    chosen
        .iter()
        .map(|v| format!("{URL_PREFIX}{} {}w", v.path, v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// For an image stored before its sizes were kept: writes the narrower outputs of
/// `image` (prepared from the file at `main`, a path below `media_dir`) beside that
/// file, as `<name>-<width>.<ext>`, and returns them. The stored file itself stays
/// as it is (pages already link to it), and only outputs in its format (`mime`) are
/// kept, so that one `srcset` holds them all. A file already there, from a run that
/// was interrupted, is kept as it is.
pub fn store_sizes_beside(
    media_dir: &Path,
    main: &str,
    mime: &str,
    image: &PreparedImage,
) -> Result<Vec<Variant>, StoreError> {
    let rel = Path::new(main);
    let plain = rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let (Some(stem), Some(parent)) = (rel.file_stem().and_then(|s| s.to_str()), rel.parent())
    else {
        return Err(StoreError::BadSub(main.to_owned()));
    };
    if !plain {
        return Err(StoreError::BadSub(main.to_owned()));
    }
    let dir = media_dir.join(parent);
    let main_width = image.main().width;
    let mut variants = Vec::new();
    let mut to_write: Vec<(String, &[u8])> = Vec::new();
    for out in &image.outputs {
        if out.width >= main_width || out.format.mime() != mime {
            continue;
        }
        let file = format!("{stem}-{}.{}", out.width, out.format.extension());
        if !dir.join(&file).exists() {
            to_write.push((file.clone(), out.bytes.as_slice()));
        }
        variants.push(Variant {
            path: relative(media_dir, &dir, &file),
            width: out.width,
            height: out.height,
            mime: out.format.mime(),
        });
    }
    let borrowed: Vec<(&str, &[u8])> = to_write.iter().map(|(f, b)| (f.as_str(), *b)).collect();
    write_all_or_none(&dir, &borrowed)?;
    Ok(variants)
}

fn store_image_as(
    media_dir: &Path,
    dir: &Path,
    name: &str,
    image: &PreparedImage,
) -> Result<Stored, StoreError> {
    let main_width = image.main().width;
    let files: Vec<(String, &[u8])> = image
        .outputs
        .iter()
        .map(|out| {
            let ext = out.format.extension();
            // The full-size file has the plain name; narrower ones carry their width.
            let file = if out.width == main_width {
                format!("{name}.{ext}")
            } else {
                format!("{name}-{}.{ext}", out.width)
            };
            (file, out.bytes.as_slice())
        })
        .collect();
    let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(f, b)| (f.as_str(), *b)).collect();
    write_all_or_none(dir, &borrowed)?;

    let variants: Vec<Variant> = image
        .outputs
        .iter()
        .zip(&files)
        .map(|(out, (file, _))| Variant {
            path: relative(media_dir, dir, file),
            width: out.width,
            height: out.height,
            mime: out.format.mime(),
        })
        .collect();
    let thumb = image.thumbnail();
    let thumbnail = variants
        .iter()
        .find(|v| v.width == thumb.width && v.mime == thumb.format.mime())
        .map(|v| v.path.clone());
    Ok(Stored {
        main: variants[0].path.clone(),
        thumbnail,
        variants,
    })
}

fn valid_sub(sub: &str) -> bool {
    sub.len() <= 100
        && sub.split('/').all(|seg| {
            !seg.is_empty()
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

fn upload_dir(media_dir: &Path, sub: &str, year: i16, month: i8) -> Result<PathBuf, StoreError> {
    if !valid_sub(sub) {
        return Err(StoreError::BadSub(sub.to_owned()));
    }
    let mut dir = media_dir.to_path_buf();
    dir.extend(sub.split('/'));
    dir.push(format!("{year:04}"));
    dir.push(format!("{month:02}"));
    fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// Year and month on the calendar in Vietnam, so that an upload at 06:00 on the
/// first of the month (23:00 UTC the day before) files under the new month.
fn vietnam_year_month() -> (i16, i8) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let local = vntext::local(now);
    (local.year(), local.month())
}

/// 16 random hex digits not yet used for a main file in `dir`.
fn fresh_name(dir: &Path, ext: &str) -> Result<String, StoreError> {
    loop {
        let mut raw = [0u8; 8];
        getrandom::getrandom(&mut raw).map_err(StoreError::Random)?;
        let name: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        // 64 random bits make a clash practically impossible; checking costs
        // one stat and turns "practically" into "never overwrites".
        if !dir.join(format!("{name}.{ext}")).exists() {
            return Ok(name);
        }
    }
}

/// Writes each `(file name, bytes)` into `dir` through a temporary file and a
/// rename, so that readers never see a half-written file. On any failure the
/// files already written by this call are removed.
fn write_all_or_none(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), StoreError> {
    let mut written: Vec<PathBuf> = Vec::with_capacity(files.len());
    for (file, bytes) in files {
        if let Err(e) = write_one(dir, file, bytes) {
            for path in &written {
                // Best effort: the error being reported is the one that matters.
                let _ = fs::remove_file(path);
            }
            return Err(e);
        }
        written.push(dir.join(file));
    }
    Ok(())
}

fn write_one(dir: &Path, file: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let target = dir.join(file);
    // Same folder, so the rename stays on one file system and is atomic. The dot
    // keeps a half-written file out of listings.
    let temp = dir.join(format!(".{file}.part"));
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io_err(&temp))?;
        f.write_all(bytes).map_err(io_err(&temp))?;
        // On disk before it gets its real name: after a crash the name never points
        // at an empty file.
        f.sync_all().map_err(io_err(&temp))?;
        if target.exists() {
            return Err(StoreError::Io {
                path: target.clone(),
                source: io::Error::from(io::ErrorKind::AlreadyExists),
            });
        }
        fs::rename(&temp, &target).map_err(io_err(&target))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// `dir/file` relative to `media_dir`, with forward slashes on every system.
fn relative(media_dir: &Path, dir: &Path, file: &str) -> String {
    let rel = dir.strip_prefix(media_dir).unwrap_or(dir);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.push(file.to_owned());
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{prepare_image, sniff, testdata};

    fn is_hex16(s: &str) -> bool {
        s.len() == 16
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect()
    }

    #[test]
    fn sizes_are_added_beside_an_image_stored_without_them() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("demo/so");
        fs::create_dir_all(&old).unwrap();
        let bytes = testdata::noisy_jpeg(1200, 675);
        fs::write(old.join("bai-1.jpg"), &bytes).unwrap();
        let prepared = prepare_image(&bytes, &[480, 960, 1600]).unwrap();
        let sizes =
            store_sizes_beside(dir.path(), "demo/so/bai-1.jpg", "image/jpeg", &prepared).unwrap();
        let got: Vec<(&str, u32, u32)> = sizes
            .iter()
            .map(|v| (v.path.as_str(), v.width, v.height))
            .collect();
        assert_eq!(
            got,
            vec![
                ("demo/so/bai-1-960.jpg", 960, 540),
                ("demo/so/bai-1-480.jpg", 480, 270)
            ]
        );
        for v in &sizes {
            let on_disk = image::image_dimensions(dir.path().join(&v.path)).unwrap();
            assert_eq!(on_disk, (v.width, v.height), "{}", v.path);
        }
        // The stored file is left as it was; a second run finds the files there.
        assert_eq!(fs::read(old.join("bai-1.jpg")).unwrap(), bytes);
        let again =
            store_sizes_beside(dir.path(), "demo/so/bai-1.jpg", "image/jpeg", &prepared).unwrap();
        assert_eq!(again, sizes);
        assert!(leftovers(&old).is_empty());
        // Only the stored file's format, and never outside the media folder.
        assert!(
            store_sizes_beside(dir.path(), "demo/so/bai-1.jpg", "image/png", &prepared)
                .unwrap()
                .is_empty()
        );
        assert!(store_sizes_beside(dir.path(), "../bai-1.jpg", "image/jpeg", &prepared).is_err());
        assert!(store_sizes_beside(dir.path(), "/tmp/bai-1.jpg", "image/jpeg", &prepared).is_err());
    }

    #[test]
    fn an_image_is_stored_with_all_its_variants() {
        let media = tempfile::tempdir().unwrap();
        let prepared = prepare_image(&testdata::png(900, 600, true), &[480, 240]).unwrap();
        let stored = store_image(media.path(), "bai-viet/site-3", &prepared).unwrap();

        let (year, month) = vietnam_year_month();
        let folder = format!("bai-viet/site-3/{year:04}/{month:02}/");
        assert!(stored.main.starts_with(&folder), "{}", stored.main);
        let name = stored.main[folder.len()..].strip_suffix(".png").unwrap();
        assert!(is_hex16(name), "random name, got {name}");

        assert_eq!(stored.variants.len(), prepared.outputs.len());
        for (v, out) in stored.variants.iter().zip(&prepared.outputs) {
            assert!(v.path.starts_with(&format!("{folder}{name}")));
            let on_disk = fs::read(media.path().join(&v.path)).unwrap();
            assert_eq!(on_disk, out.bytes, "{} holds its output", v.path);
            assert_eq!(
                (v.width, v.height, v.mime),
                (out.width, out.height, out.format.mime())
            );
        }
        assert_eq!(
            stored.thumbnail.as_deref(),
            Some(format!("{folder}{name}-240.png").as_str())
        );
        assert!(
            leftovers(&media.path().join(&folder)).is_empty(),
            "no temp files"
        );

        assert_eq!(
            srcset(&stored.variants, "image/png"),
            format!(
                "/media/{folder}{name}-240.png 240w, /media/{folder}{name}-480.png 480w, /media/{folder}{name}.png 900w"
            )
        );
        let webp = srcset(&stored.variants, "image/webp");
        assert!(webp.is_empty() || webp.contains(&format!("{name}-240.webp 240w")));
    }

    #[test]
    fn a_document_is_stored_as_uploaded() {
        let media = tempfile::tempdir().unwrap();
        let pdf = testdata::pdf();
        let stored = store_file(media.path(), "van-ban", &pdf, sniff(&pdf).unwrap()).unwrap();
        assert!(stored.main.starts_with("van-ban/") && stored.main.ends_with(".pdf"));
        assert_eq!(
            stored.main.split('/').count(),
            4,
            "van-ban/YYYY/MM/name.pdf"
        );
        assert_eq!(fs::read(media.path().join(&stored.main)).unwrap(), pdf);
        assert_eq!(stored.thumbnail, None);
        assert!(stored.variants.is_empty());
    }

    #[test]
    fn images_cannot_skip_preparation() {
        let media = tempfile::tempdir().unwrap();
        let jpeg = testdata::jpeg(8, 8);
        let err = store_file(media.path(), "anh", &jpeg, sniff(&jpeg).unwrap()).unwrap_err();
        assert!(matches!(err, StoreError::UnpreparedImage));
    }

    #[test]
    fn sub_folders_cannot_escape() {
        let media = tempfile::tempdir().unwrap();
        let pdf = testdata::pdf();
        for bad in ["../etc", "a/../b", "/abs", "", "a//b", "Hoa", "a\\b", "tệp"] {
            let err = store_file(media.path(), bad, &pdf, sniff(&pdf).unwrap()).unwrap_err();
            assert!(matches!(err, StoreError::BadSub(_)), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_failed_upload_leaves_nothing_behind() {
        let media = tempfile::tempdir().unwrap();
        let prepared = prepare_image(&testdata::noisy_jpeg(400, 300), &[200, 100]).unwrap();
        assert!(prepared.outputs.len() >= 3);
        let dir = upload_dir(media.path(), "anh", 2025, 9).unwrap();
        // Something already sits where the second file must go.
        fs::create_dir(dir.join("0123456789abcdef-200.jpg")).unwrap();

        let err = store_image_as(media.path(), &dir, "0123456789abcdef", &prepared).unwrap_err();
        assert!(matches!(err, StoreError::Io { .. }));
        let mut left: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec!["0123456789abcdef-200.jpg"],
            "only the obstacle remains"
        );
    }

    #[test]
    fn srcset_is_narrowest_first_and_one_type_only() {
        let v = |path: &str, width, mime| Variant {
            path: path.to_owned(),
            width,
            height: width / 2,
            mime,
        };
        let variants = [
            v("a/a.jpg", 1600, "image/jpeg"),
            v("a/a.webp", 1600, "image/webp"),
            v("a/a-480.jpg", 480, "image/jpeg"),
        ];
        assert_eq!(
            srcset(&variants, "image/jpeg"),
            "/media/a/a-480.jpg 480w, /media/a/a.jpg 1600w"
        );
        assert_eq!(srcset(&variants, "image/webp"), "/media/a/a.webp 1600w");
        assert_eq!(srcset(&variants, "image/png"), "");
    }
}
