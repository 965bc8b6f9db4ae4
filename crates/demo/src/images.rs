//! Pictures for the demo, drawn rather than shipped: landscapes with a school yard,
//! a logo, a banner and a badge. Deterministic for a given seed, so tests can share them.

use crate::Error;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, Rgb, RgbImage};
use std::path::Path;

/// What to draw.
#[derive(Debug, Clone, Copy)]
pub enum Picture {
    /// A photo-like scene: sky, sun, hills, a school building, people.
    Scene {
        /// Chooses colours and shapes.
        seed: u64,
    },
    /// A round emblem in the site's colour.
    Logo {
        /// The site's colour.
        colour: [u8; 3],
    },
    /// A wide header band in the site's colour.
    Banner {
        /// The site's colour.
        colour: [u8; 3],
    },
    /// A trust badge.
    Badge,
}

/// A picture on disk.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    pub path: String,
    pub thumb_path: Option<String>,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    /// Every stored width, the full size among them, for `srcset` (only scenes
    /// written with [`Picture::ensure_with_sizes`] have more than none).
    pub sizes: Vec<domain::ImageSize>,
}

/// A scene in an article's body or gallery.
pub(crate) const SCENE: (u32, u32) = (800, 450);
/// A cover, the picture of an article's card: wide enough for a card on a phone
/// (up to about 370 CSS px) at 3×; 16:9 in whole pixels at every width.
pub(crate) const COVER: (u32, u32) = (1120, 630);
/// The narrower copies of a cover: a card on a phone at 1× and 2× (and on a
/// computer, 200 px wide, at 1× and 2×).
pub(crate) const COVER_WIDTHS: [u32; 2] = [384, 736];
/// The narrower copy of a photo in an article (its body or gallery): a phone at 1×.
pub(crate) const PHOTO_WIDTHS: [u32; 1] = [384];

impl Picture {
    /// Draws the picture to `media_dir/path` unless a file is there already.
    pub(crate) fn ensure(self, media_dir: &Path, path: &str) -> Result<Written, Error> {
        self.ensure_at(media_dir, path, self.size())
    }

    fn size(self) -> (u32, u32) {
        match self {
            Picture::Scene { .. } => SCENE,
            Picture::Logo { .. } => (120, 120),
            Picture::Banner { .. } => (1200, 140),
            Picture::Badge => (150, 56),
        }
    }

    fn ensure_at(
        self,
        media_dir: &Path,
        path: &str,
        (width, height): (u32, u32),
    ) -> Result<Written, Error> {
        let full = media_dir.join(path);
        // A file from an older demo, drawn at another size, is drawn again.
        if image::image_dimensions(&full).ok() != Some((width, height)) {
            let img = self.draw(width, height);
            save(&img, &full).map_err(|e| Error::Image(path.to_owned(), e))?;
        }
        let bytes = std::fs::metadata(&full)
            .map_err(|e| Error::Image(path.to_owned(), e.to_string()))?
            .len();
        Ok(Written {
            path: path.to_owned(),
            thumb_path: None,
            width: i64::from(width),
            height: i64::from(height),
            bytes: bytes as i64,
            sizes: Vec::new(),
        })
    }

    /// A scene (a JPEG) at `full` size, and narrower copies of it beside it, each
    /// `widths` wide, for `srcset`: the narrowest is the thumbnail (`name-nho.jpg`),
    /// the others carry their width (`name-720.jpg`). Each copy is drawn at its own
    /// size (the scene is laid out in proportions), which is quicker than scaling.
    pub(crate) fn ensure_with_sizes(
        self,
        media_dir: &Path,
        path: &str,
        full: (u32, u32),
        widths: &[u32],
    ) -> Result<Written, Error> {
        let mut written = self.ensure_at(media_dir, path, full)?;
        let (width, height) = full;
        let mut sizes = Vec::new();
        for (i, &w) in widths.iter().enumerate() {
            let h = (height * w + width / 2) / width;
            let name = if i == 0 {
                path.replace(".jpg", "-nho.jpg")
            } else {
                path.replace(".jpg", &format!("-{w}.jpg"))
            };
            self.ensure_at(media_dir, &name, (w, h))?;
            sizes.push(jpeg(&name, w, h));
        }
        sizes.push(jpeg(path, width, height));
        written.thumb_path = widths.first().map(|_| sizes[0].path.clone());
        written.sizes = sizes;
        Ok(written)
    }

    fn draw(self, w: u32, h: u32) -> RgbImage {
        match self {
            Picture::Scene { seed } => scene(seed, w, h),
            Picture::Logo { colour } => logo(colour, w),
            Picture::Banner { colour } => banner(colour, w, h),
            Picture::Badge => badge(w, h),
        }
    }
}

fn jpeg(path: &str, width: u32, height: u32) -> domain::ImageSize {
    domain::ImageSize {
        path: path.to_owned(),
        width: i64::from(width),
        height: i64::from(height),
        mime: "image/jpeg".to_owned(),
    }
}

/// Writes to a temporary name and renames, so a reader never sees half a file and
/// two writers of the same picture do not clash.
fn save(img: &RgbImage, full: &Path) -> Result<(), String> {
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let tmp = full.with_extension(
        format!(
            "tmp{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        )
        .replace(['(', ')'], ""),
    );
    let mut buf = Vec::new();
    if full.extension().is_some_and(|e| e == "png") {
        image::codecs::png::PngEncoder::new(&mut buf)
            .write_image(
                img.as_raw(),
                img.width(),
                img.height(),
                image::ExtendedColorType::Rgb8,
            )
            .map_err(|e| e.to_string())?;
    } else {
        JpegEncoder::new_with_quality(&mut buf, 82)
            .write_image(
                img.as_raw(),
                img.width(),
                img.height(),
                image::ExtendedColorType::Rgb8,
            )
            .map_err(|e| e.to_string())?;
    }
    std::fs::write(&tmp, &buf).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, full).map_err(|e| e.to_string())
}

/// A small deterministic generator (SplitMix64): the demo needs variety, not secrecy.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }
    fn unit(&mut self) -> f32 {
        (self.next() % 10_000) as f32 / 10_000.0
    }
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> Rgb<u8> {
    let t = t.clamp(0.0, 1.0);
    Rgb([0, 1, 2].map(|i| (f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t) as u8))
}

fn fill_rect(img: &mut RgbImage, x0: u32, y0: u32, w: u32, h: u32, c: Rgb<u8>) {
    for y in y0..(y0 + h).min(img.height()) {
        for x in x0..(x0 + w).min(img.width()) {
            img.put_pixel(x, y, c);
        }
    }
}

fn fill_circle(img: &mut RgbImage, cx: i64, cy: i64, r: i64, c: Rgb<u8>) {
    for y in (cy - r).max(0)..(cy + r).min(i64::from(img.height())) {
        for x in (cx - r).max(0)..(cx + r).min(i64::from(img.width())) {
            if (x - cx).pow(2) + (y - cy).pow(2) <= r * r {
                img.put_pixel(x as u32, y as u32, c);
            }
        }
    }
}

const SKIES: [([u8; 3], [u8; 3]); 5] = [
    ([120, 180, 235], [225, 240, 250]),
    ([250, 170, 110], [255, 230, 190]),
    ([90, 140, 200], [200, 225, 245]),
    ([170, 200, 230], [245, 245, 235]),
    ([110, 170, 160], [225, 240, 225]),
];

/// A scene `w` × `h` (16:9); its shapes are laid out for 800 × 450 and scaled to
/// the size drawn, so that every size of one seed shows the same picture.
fn scene(seed: u64, w: u32, h: u32) -> RgbImage {
    // Pixels of the 800-wide layout at this width.
    let k = |v: u32| (u64::from(v) * u64::from(w) / 800) as u32;
    let ki = |v: i64| v * i64::from(w) / 800;
    let mut rng = Rng(seed);
    let (top, bottom) = SKIES[(rng.next() % SKIES.len() as u64) as usize];
    let mut img = RgbImage::from_fn(w, h, |_, y| mix(top, bottom, y as f32 / (h as f32 * 0.7)));
    fill_circle(
        &mut img,
        i64::from(k(rng.range(80, 720))),
        i64::from(k(rng.range(45, 150))),
        ki(i64::from(rng.range(20, 45))),
        Rgb([255, 236, 170]),
    );
    // Two ranges of hills.
    for (layer, base) in [(0u8, [96u8, 150, 96]), (1, [60, 120, 70])] {
        let phase = rng.unit() * std::f32::consts::TAU;
        let amp = (15.0 + rng.unit() * 30.0) * w as f32 / 800.0;
        let level = h as f32 * (0.55 + f32::from(layer) * 0.1);
        for x in 0..w {
            let top_y = (level + amp * ((x as f32 / w as f32) * 6.0 + phase).sin()) as u32;
            for y in top_y.min(h)..h {
                img.put_pixel(x, y, mix(base, [30, 70, 40], (y - top_y) as f32 / h as f32));
            }
        }
    }
    // A school building with windows and a flag.
    let bw800 = rng.range(200, 400);
    let (bw, bh) = (k(bw800), k(rng.range(90, 150)));
    let bx = k(rng.range(10, 800 - bw800 - 10));
    let by = h * 3 / 4 - bh;
    let walls = [[240, 200, 90], [235, 225, 200], [210, 120, 90]][(rng.next() % 3) as usize];
    fill_rect(&mut img, bx, by, bw, bh, Rgb(walls));
    fill_rect(
        &mut img,
        bx - k(6),
        by - k(12),
        bw + k(12),
        k(12),
        Rgb([160, 50, 40]),
    );
    let mut wx = bx + k(12);
    while wx + k(18) < bx + bw {
        for row in 0..3 {
            let wy = by + k(14) + row * (bh / 3);
            if wy + k(16) < by + bh {
                fill_rect(&mut img, wx, wy, k(16), k(14), Rgb([70, 110, 150]));
            }
        }
        wx += k(30);
    }
    fill_rect(
        &mut img,
        bx + bw / 2,
        by - k(60),
        k(3),
        k(48),
        Rgb([90, 90, 90]),
    );
    fill_rect(
        &mut img,
        bx + bw / 2 + k(3),
        by - k(60),
        k(30),
        k(20),
        Rgb([218, 37, 29]),
    );
    fill_circle(
        &mut img,
        i64::from(bx + bw / 2 + k(18)),
        i64::from(by - k(50)),
        ki(5),
        Rgb([255, 205, 0]),
    );
    // A yard and a crowd of white shirts and dark trousers.
    fill_rect(&mut img, 0, h * 3 / 4, w, h / 4, Rgb([190, 180, 160]));
    for _ in 0..rng.range(12, 40) {
        let px = k(rng.range(0, 800 - 12));
        let py = k(rng.range(450 * 3 / 4 + 4, 450 - 30));
        fill_circle(
            &mut img,
            i64::from(px + k(5)),
            i64::from(py),
            ki(5),
            Rgb([60, 40, 30]),
        );
        fill_rect(&mut img, px, py + k(5), k(11), k(13), Rgb([248, 248, 248]));
        fill_rect(
            &mut img,
            px + k(1),
            py + k(18),
            k(9),
            k(10),
            Rgb([30, 50, 110]),
        );
    }
    img
}

fn logo(colour: [u8; 3], size: u32) -> RgbImage {
    let mut img = RgbImage::from_pixel(size, size, Rgb([255, 255, 255]));
    let c = i64::from(size / 2);
    fill_circle(&mut img, c, c, c - 2, Rgb(colour));
    fill_circle(&mut img, c, c, c - 10, Rgb([255, 255, 255]));
    fill_circle(&mut img, c, c, c - 16, Rgb(colour));
    // An open book.
    let s = size / 4;
    fill_rect(
        &mut img,
        size / 2 - s,
        size / 2 - s / 3,
        s - 2,
        s,
        Rgb([255, 255, 255]),
    );
    fill_rect(
        &mut img,
        size / 2 + 2,
        size / 2 - s / 3,
        s - 2,
        s,
        Rgb([255, 255, 255]),
    );
    fill_circle(&mut img, c, c - i64::from(s) / 2 - 6, 7, Rgb([255, 205, 0]));
    img
}

fn banner(colour: [u8; 3], w: u32, h: u32) -> RgbImage {
    let light = colour.map(|v| v.saturating_add(70));
    let mut img = RgbImage::from_fn(w, h, |x, _| mix(colour, light, x as f32 / w as f32));
    let mut rng = Rng(u64::from(colour[0]) * 31 + u64::from(colour[2]));
    for _ in 0..18 {
        let r = i64::from(rng.range(20, 70));
        fill_circle(
            &mut img,
            i64::from(rng.range(w / 2, w)),
            i64::from(rng.range(0, h)),
            r,
            mix(colour, [255, 255, 255], 0.25 + rng.unit() * 0.3),
        );
    }
    img
}

fn badge(w: u32, h: u32) -> RgbImage {
    let mut img = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    fill_rect(&mut img, 0, 0, w, 4, Rgb([0, 102, 179]));
    fill_rect(&mut img, 0, h - 4, w, 4, Rgb([0, 102, 179]));
    fill_circle(&mut img, 26, i64::from(h / 2), 18, Rgb([0, 153, 72]));
    fill_circle(&mut img, 26, i64::from(h / 2), 10, Rgb([255, 255, 255]));
    fill_rect(&mut img, 54, h / 2 - 8, 86, 6, Rgb([0, 102, 179]));
    fill_rect(&mut img, 54, h / 2 + 4, 60, 5, Rgb([120, 120, 120]));
    img
}
