//! Writes camera-like JPEG photos for the upload benchmark (bench/gallery-upload.sh):
//! `photo-gen DIR COUNT [WIDTH HEIGHT]` (default 4000 × 3000, quality 90): smooth
//! gradients with fine grain, different in each photo, as a phone's photos are.

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, Rgb, RgbImage};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).map_or("anh", String::as_str));
    let count: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50);
    let width: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(4000);
    let height: u32 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(3000);
    std::fs::create_dir_all(&dir).expect("the output folder");
    for n in 0..count {
        let mut state: u32 = 0x2545_F491 ^ (n.wrapping_mul(0x9E37_79B9));
        let img = RgbImage::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let grain = (state & 0x0f) as u8;
            let fx = x * 200 / width;
            let fy = y * 200 / height;
            Rgb([
                ((fx + n * 7) % 220) as u8 + grain,
                ((fy + n * 13) % 220) as u8 + grain,
                ((fx + fy) / 2 % 220) as u8 + grain,
            ])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .expect("a JPEG");
        std::fs::write(dir.join(format!("anh-{:02}.jpg", n + 1)), out).expect("a file");
    }
}
