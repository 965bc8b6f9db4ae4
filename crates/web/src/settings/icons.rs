//! The site's icon, made from its logo: `/favicon.ico` for browsers' tabs,
//! `/apple-touch-icon.png` for a phone's home screen, and a web app manifest
//! with the site's name and icons. A site without a logo (or with one that cannot
//! be read) gets a plain emblem: a yellow star on red.
//!
//! Icons are drawn once per site, logo and size, and kept in memory; a new logo
//! has a new address, so it is drawn anew.

use crate::AppState;
use crate::platform::site::CurrentSite;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use domain::SiteId;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Mutex;

/// Browsers fetch icons on every new visit; a day is short enough for a new logo.
const LIFETIME: &str = "public, max-age=86400";

/// Which icon: the site, its logo's address, and the shape.
type IconKey = (SiteId, Option<String>, Shape);

/// Drawn icons.
#[derive(Default)]
pub(crate) struct Icons {
    drawn: Mutex<HashMap<IconKey, Bytes>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    /// A 32 px PNG inside an ICO file, with 16 and 48 px beside it.
    Ico,
    /// A square PNG of this many pixels.
    Png(u32),
}

/// Keeps the drawn icons.
pub(crate) fn install(parts: &mut crate::platform::parts::Parts) {
    parts.insert(Icons::default());
}

/// A logo image from the site's own media folder, when its address is one.
fn logo_file(media_dir: &Path, logo_url: &str) -> Option<std::path::PathBuf> {
    let rel = logo_url.strip_prefix("/media/")?;
    // Only plain names inside the folder: no way up or out.
    if rel
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
        || rel.contains('\\')
    {
        return None;
    }
    Some(media_dir.join(rel))
}

/// The plain emblem: a yellow five-pointed star on red, `size` pixels square.
fn emblem(size: u32) -> RgbaImage {
    let red = Rgba([0xc8, 0x10, 0x2e, 0xff]);
    let yellow = Rgba([0xff, 0xd7, 0x00, 0xff]);
    let c = size as f32 / 2.0;
    let outer = size as f32 * 0.38;
    let inner = outer * 0.382;
    let star: Vec<(f32, f32)> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { outer } else { inner };
            let a = std::f32::consts::PI * (i as f32 / 5.0) - std::f32::consts::FRAC_PI_2;
            (c + r * a.cos(), c + r * a.sin() + size as f32 * 0.03)
        })
        .collect();
    RgbaImage::from_fn(size, size, |x, y| {
        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
        // Even-odd rule over the star's edges.
        let mut inside = false;
        for i in 0..star.len() {
            let (x1, y1) = star[i];
            let (x2, y2) = star[(i + 1) % star.len()];
            if (y1 > py) != (y2 > py) && px < x1 + (py - y1) * (x2 - x1) / (y2 - y1) {
                inside = !inside;
            }
        }
        if inside { yellow } else { red }
    })
}

/// The logo fitted into a square of `size` pixels (centred on white, so a wide
/// logo keeps its shape), or the emblem.
fn square(logo: Option<&DynamicImage>, size: u32) -> RgbaImage {
    let Some(logo) = logo else {
        return emblem(size);
    };
    let fitted = logo.resize(size, size, FilterType::Lanczos3).to_rgba8();
    let mut canvas = RgbaImage::from_pixel(size, size, Rgba([255, 255, 255, 255]));
    let x = (size - fitted.width()) / 2;
    let y = (size - fitted.height()) / 2;
    image::imageops::overlay(&mut canvas, &fitted, i64::from(x), i64::from(y));
    canvas
}

fn encode(shape: Shape, logo: Option<&DynamicImage>) -> Result<Bytes, image::ImageError> {
    let mut out = Cursor::new(Vec::new());
    match shape {
        Shape::Png(size) => {
            square(logo, size).write_to(&mut out, ImageFormat::Png)?;
        }
        Shape::Ico => {
            let frames = [16, 32, 48]
                .into_iter()
                .map(|s| {
                    let img = square(logo, s);
                    image::codecs::ico::IcoFrame::as_png(
                        img.as_raw(),
                        s,
                        s,
                        image::ExtendedColorType::Rgba8,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            image::codecs::ico::IcoEncoder::new(&mut out).encode_images(&frames)?;
        }
    }
    Ok(Bytes::from(out.into_inner()))
}

/// The icon of this shape for the site: from memory, or drawn now.
async fn icon(state: &AppState, site: &CurrentSite, shape: Shape) -> Response {
    let logo_url = site.site.settings.logo_url.clone();
    let key = (site.site.id, logo_url.clone(), shape);
    let icons = state.part::<Icons>();
    let kept = icons
        .drawn
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    let bytes = match kept {
        Some(b) => b,
        None => {
            let file = logo_url
                .as_deref()
                .and_then(|u| logo_file(&state.options.media_dir, u));
            let logo_bytes = match file {
                Some(f) => tokio::fs::read(&f).await.ok(),
                None => None,
            };
            let drawn = tokio::task::spawn_blocking(move || {
                let logo = logo_bytes.and_then(|b| image::load_from_memory(&b).ok());
                encode(shape, logo.as_ref())
            })
            .await;
            match drawn {
                Ok(Ok(b)) => {
                    icons
                        .drawn
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(key, b.clone());
                    b
                }
                Ok(Err(e)) => {
                    return crate::AppError::Internal(format!("site icon: {e}")).into_response();
                }
                Err(e) => {
                    return crate::AppError::Internal(format!("site icon: {e}")).into_response();
                }
            }
        }
    };
    let mime = match shape {
        Shape::Ico => "image/x-icon",
        Shape::Png(_) => "image/png",
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CACHE_CONTROL, HeaderValue::from_static(LIFETIME)),
        ],
        bytes,
    )
        .into_response()
}

/// `/favicon.ico`.
pub(crate) async fn favicon(State(state): State<AppState>, site: CurrentSite) -> Response {
    icon(&state, &site, Shape::Ico).await
}

/// `/apple-touch-icon.png`: 180 px, as iPhones ask for it.
pub(crate) async fn apple_touch(State(state): State<AppState>, site: CurrentSite) -> Response {
    icon(&state, &site, Shape::Png(180)).await
}

/// `/icon-192.png`, for the manifest.
pub(crate) async fn icon_192(State(state): State<AppState>, site: CurrentSite) -> Response {
    icon(&state, &site, Shape::Png(192)).await
}

/// `/icon-512.png`, for the manifest.
pub(crate) async fn icon_512(State(state): State<AppState>, site: CurrentSite) -> Response {
    icon(&state, &site, Shape::Png(512)).await
}

/// A short name for a phone's home screen: the usual abbreviations of
/// Vietnamese education bodies ("Sở GD&ĐT Bình An", "THPT Lê Lợi").
fn short_name(name: &str) -> String {
    let mut s = name.to_owned();
    for (long, short) in [
        ("Giáo dục và Đào tạo", "GD&ĐT"),
        ("Trường Trung học phổ thông", "THPT"),
        ("Trường Trung học cơ sở", "THCS"),
        ("Trường Tiểu học", "TH"),
        ("Trường Mầm non", "MN"),
        ("Trung tâm Giáo dục thường xuyên", "TTGDTX"),
        ("tỉnh ", ""),
        ("thành phố ", ""),
    ] {
        s = s.replace(long, short);
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `/manifest.webmanifest`: the site's name and icons, for "Thêm vào màn hình chính".
pub(crate) async fn manifest(site: CurrentSite) -> Response {
    let name = &site.site.settings.name;
    let body = serde_json::json!({
        "name": name,
        "short_name": short_name(name),
        "description": site.site.settings.tagline,
        "lang": "vi",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "icons": [
            { "src": "/icon-192.png", "sizes": "192x192", "type": "image/png" },
            { "src": "/icon-512.png", "sizes": "512x512", "type": "image/png" },
        ],
    });
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/manifest+json; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(LIFETIME)),
        ],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_use_the_usual_abbreviations() {
        assert_eq!(
            short_name("Sở Giáo dục và Đào tạo tỉnh Bình An"),
            "Sở GD&ĐT Bình An"
        );
        assert_eq!(
            short_name("Trường Trung học phổ thông Lê Lợi"),
            "THPT Lê Lợi"
        );
    }

    #[test]
    fn logo_files_stay_inside_the_media_folder() {
        let dir = Path::new("/srv/media");
        assert_eq!(
            logo_file(dir, "/media/so/2026/12/ab.png"),
            Some(dir.join("so/2026/12/ab.png"))
        );
        assert_eq!(logo_file(dir, "/media/../etc/passwd"), None);
        assert_eq!(logo_file(dir, "/media//etc/passwd"), None);
        assert_eq!(logo_file(dir, "https://example.com/logo.png"), None);
    }

    #[test]
    fn the_emblem_is_a_star_on_red() {
        let img = emblem(64);
        assert_eq!(img.get_pixel(1, 1), &Rgba([0xc8, 0x10, 0x2e, 0xff]));
        assert_eq!(img.get_pixel(32, 34), &Rgba([0xff, 0xd7, 0x00, 0xff]));
    }

    #[test]
    fn an_ico_holds_three_sizes() {
        let ico = encode(Shape::Ico, None).unwrap();
        // ICONDIR: reserved 0, type 1 (icon), three images.
        assert_eq!(&ico[..6], &[0, 0, 1, 0, 3, 0]);
        let img = image::load_from_memory_with_format(&ico, ImageFormat::Ico).unwrap();
        assert_eq!(img.width(), 48);
    }
}
