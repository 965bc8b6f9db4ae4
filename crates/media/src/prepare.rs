//! Images made ready for the web: upright, bounded in size, stripped of
//! metadata, and in a few widths for `srcset`.

use crate::{Refused, sniff, sniff::Sniffed};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::error::ImageError;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// The longest side of the main image. Larger photos are scaled down: no page on
/// the portal shows an image wider than this, and phone photos are twice that.
pub const MAX_LONG_SIDE: u32 = 2000;

/// Images with more pixels than this are refused before their pixels are decoded.
/// A small file can declare a huge image (a decompression bomb); 40 million
/// pixels covers every phone camera and takes at most 320 MB to decode.
pub const MAX_MEGAPIXELS: u32 = 40;

/// JPEG quality for photos: visually clean at about a third of quality 95's size.
const JPEG_QUALITY: u8 = 82;

/// The formats the portal serves images in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebFormat {
    /// For photos and anything opaque that compresses better this way.
    Jpeg,
    /// For images with transparency, and opaque graphics that are smaller as PNG.
    Png,
    /// Lossless WebP, kept only when smaller than its JPEG or PNG sibling.
    WebP,
}

impl WebFormat {
    /// The MIME type to serve it with.
    pub fn mime(self) -> &'static str {
        match self {
            WebFormat::Jpeg => "image/jpeg",
            WebFormat::Png => "image/png",
            WebFormat::WebP => "image/webp",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            WebFormat::Jpeg => "jpg",
            WebFormat::Png => "png",
            WebFormat::WebP => "webp",
        }
    }
}

/// One encoded image file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its format.
    pub format: WebFormat,
    /// The file's bytes: no EXIF, no GPS, no comments.
    pub bytes: Vec<u8>,
}

/// An uploaded image decoded, turned upright and re-encoded for the web.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedImage {
    /// Width of the main image in pixels.
    pub width: u32,
    /// Height of the main image in pixels.
    pub height: u32,
    /// The main image's format (JPEG or PNG); narrower variants share it.
    pub format: WebFormat,
    /// Every encoded file. The first is the main image; then, from the widest
    /// down, each narrower variant in `format`, followed by its WebP sibling
    /// when WebP variants were kept.
    pub outputs: Vec<Encoded>,
}

impl PreparedImage {
    /// The main image: full size (up to [`MAX_LONG_SIDE`]) in [`Self::format`].
    pub fn main(&self) -> &Encoded {
        &self.outputs[0]
    }

    /// The narrowest output in the main format, for lists and cards.
    pub fn thumbnail(&self) -> &Encoded {
        self.outputs
            .iter()
            .filter(|o| o.format == self.format)
            .min_by_key(|o| o.width)
            .unwrap_or(self.main())
    }
}

/// Decodes an uploaded image, applies its EXIF orientation and re-encodes it.
///
/// Re-encoding is the point: it drops every piece of metadata (EXIF with the
/// camera's GPS position, comments, anything smuggled after the image data), so
/// what the portal serves is pixels only. The main image is at most
/// [`MAX_LONG_SIDE`] on its long side. For each of `widths` narrower than the
/// main image there is a variant of that width, unless it came out no smaller in
/// bytes than a wider one; plus WebP siblings when those turn out smaller (see
/// [`WebFormat::WebP`]).
///
/// Animated GIF and WebP keep their first frame only.
pub fn prepare_image(bytes: &[u8], widths: &[u32]) -> Result<PreparedImage, Refused> {
    let sniffed = sniff(bytes)?;
    let format = image_format(sniffed).ok_or(Refused::NotAnImage)?;
    let mut image = decode(bytes, format)?;

    let (width, height) = fit(image.width(), image.height(), MAX_LONG_SIDE);
    if (width, height) != (image.width(), image.height()) {
        image = image.resize_exact(width, height, FilterType::Lanczos3);
    }
    let transparent = has_transparency(&image);
    image = if transparent {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };

    let main_jpeg;
    let main_png;
    let (main_format, main_bytes) = if transparent {
        (WebFormat::Png, encode(&image, WebFormat::Png)?)
    } else if format == ImageFormat::Jpeg {
        (WebFormat::Jpeg, encode(&image, WebFormat::Jpeg)?)
    } else {
        // Opaque PNG, GIF or WebP: a screenshot or a chart stays sharp and small as
        // PNG, a photo saved as PNG shrinks several times as JPEG. Trying both
        // once at full size settles it for the variants too.
        main_jpeg = encode(&image, WebFormat::Jpeg)?;
        main_png = encode(&image, WebFormat::Png)?;
        if main_png.len() <= main_jpeg.len() {
            (WebFormat::Png, main_png)
        } else {
            (WebFormat::Jpeg, main_jpeg)
        }
    };

    let mut sizes: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < width)
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();

    let mut pairs = vec![(
        Encoded {
            width,
            height,
            format: main_format,
            bytes: main_bytes,
        },
        None,
    )];
    let mut smallest = pairs[0].0.bytes.len();
    for w in sizes {
        let h = scaled_height(width, height, w);
        let small = image.resize_exact(w, h, FilterType::Lanczos3);
        let bytes = encode(&small, main_format)?;
        // Resampling a flat graphic adds in-between colours, so a narrower PNG can
        // weigh more than a wider one; such a variant would only cost bandwidth.
        if bytes.len() >= smallest {
            continue;
        }
        smallest = bytes.len();
        pairs.push((
            Encoded {
                width: w,
                height: h,
                format: main_format,
                bytes,
            },
            Some(small),
        ));
    }

    let mut webps = Vec::with_capacity(pairs.len());
    for (sibling, small) in &pairs {
        let webp = encode(small.as_ref().unwrap_or(&image), WebFormat::WebP)?;
        webps.push(Encoded {
            width: sibling.width,
            height: sibling.height,
            format: WebFormat::WebP,
            bytes: webp,
        });
    }
    // All or none: with only some widths in WebP, a browser that prefers WebP would
    // pick from the WebP widths alone and fetch a larger file than it needs.
    let keep_webp = webps
        .iter()
        .zip(&pairs)
        .all(|(webp, (sibling, _))| webp.bytes.len() < sibling.bytes.len());

    let mut outputs = Vec::with_capacity(pairs.len() * 2);
    let mut webps = webps.into_iter();
    for (sibling, _) in pairs {
        outputs.push(sibling);
        if let Some(webp) = webps.next().filter(|_| keep_webp) {
            outputs.push(webp);
        }
    }
    Ok(PreparedImage {
        width,
        height,
        format: main_format,
        outputs,
    })
}

fn image_format(sniffed: Sniffed) -> Option<ImageFormat> {
    match sniffed {
        crate::sniff::JPEG => Some(ImageFormat::Jpeg),
        crate::sniff::PNG => Some(ImageFormat::Png),
        crate::sniff::GIF => Some(ImageFormat::Gif),
        crate::sniff::WEBP => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// Decodes with the pixel count checked first, from the header alone, and turns
/// the image upright.
fn decode(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, Refused> {
    let mut limits = image::Limits::default();
    // The pixel limit below is the real guard and gives the better message; these
    // stop decoders that honour them before they allocate for absurd sizes.
    limits.max_image_width = Some(u32::from(u16::MAX));
    limits.max_image_height = Some(u32::from(u16::MAX));
    // Four 16-bit channels at the pixel limit, plus room for the decoders' own buffers.
    limits.max_alloc = Some(u64::from(MAX_MEGAPIXELS) * 1_000_000 * 8 + 64 * 1024 * 1024);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Refused::BrokenImage)?;

    let (w, h) = decoder.dimensions();
    let too_many = || Refused::TooManyPixels {
        width: w,
        height: h,
        limit_megapixels: MAX_MEGAPIXELS,
    };
    if u64::from(w) * u64::from(h) > u64::from(MAX_MEGAPIXELS) * 1_000_000 {
        return Err(too_many());
    }
    if w == 0 || h == 0 {
        return Err(Refused::BrokenImage);
    }
    // A broken EXIF block should not cost the upload: show the image as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        ImageError::Limits(_) => too_many(),
        _ => Refused::BrokenImage,
    })?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether any pixel is not fully opaque. An alpha channel alone says little:
/// many tools save every PNG with one.
fn has_transparency(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageRgba8(buf) => buf.pixels().any(|p| p.0[3] < u8::MAX),
        DynamicImage::ImageLumaA8(buf) => buf.pixels().any(|p| p.0[1] < u8::MAX),
        other if other.color().has_alpha() => other.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX),
        _ => false,
    }
}

/// `(width, height)` scaled down so that the long side is at most `max`.
fn fit(width: u32, height: u32, max: u32) -> (u32, u32) {
    if width.max(height) <= max {
        (width, height)
    } else if width >= height {
        (max, scaled_height(width, height, max))
    } else {
        (scaled_height(height, width, max), max)
    }
}

/// The height that keeps the aspect ratio of `width` × `height` at `new_width`,
/// rounded, and at least one pixel.
fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let h = (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Encodes 8-bit RGB or RGBA pixels. Encoders here write pixels and the bare
/// headers of their format, nothing taken from the upload.
fn encode(image: &DynamicImage, format: WebFormat) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::new();
    let result = match format {
        WebFormat::Jpeg => {
            image.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        }
        WebFormat::Png => image.write_with_encoder(PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Default,
            PngFilter::Adaptive,
        )),
        WebFormat::WebP => image.write_with_encoder(WebPEncoder::new_lossless(&mut out)),
    };
    // Encoding decoded 8-bit pixels into memory does not fail in practice; if it
    // ever does, the upload cannot be served, and saying so beats a server error.
    result.map_err(|_| Refused::BrokenImage)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn exif_orientation_is_applied_and_all_metadata_dropped() {
        // 40 × 20, red on the left half, blue on the right; EXIF says "rotate 90°
        // clockwise to show" (orientation 6) and carries a GPS position.
        let upload = testdata::jpeg_with_exif_orientation_6_and_gps(40, 20);
        assert!(
            contains(&upload, b"Exif\0\0"),
            "the test file must carry EXIF"
        );
        assert!(
            contains(&upload, testdata::GPS_MARKER),
            "and the GPS marker"
        );

        let prepared = prepare_image(&upload, &[10]).unwrap();
        assert_eq!(
            (prepared.width, prepared.height),
            (20, 40),
            "turned upright"
        );
        assert_eq!(prepared.format, WebFormat::Jpeg);

        // Rotating clockwise brings the left (red) half to the top.
        let shown = image::load_from_memory(&prepared.main().bytes)
            .unwrap()
            .to_rgb8();
        let top = shown.get_pixel(10, 5).0;
        let bottom = shown.get_pixel(10, 34).0;
        assert!(
            top[0] > 200 && top[2] < 60,
            "top should be red, got {top:?}"
        );
        assert!(
            bottom[2] > 200 && bottom[0] < 60,
            "bottom should be blue, got {bottom:?}"
        );

        assert!(prepared.outputs.len() >= 2, "main plus the 10 px variant");
        for out in &prepared.outputs {
            assert!(
                !contains(&out.bytes, b"Exif"),
                "{:?} {} keeps EXIF",
                out.format,
                out.width
            );
            assert!(!contains(&out.bytes, testdata::GPS_MARKER), "GPS survived");
            assert!(!contains(&out.bytes, b"II*\0"), "a TIFF header survived");
            let decoded = image::load_from_memory(&out.bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (out.width, out.height));
            assert!(out.height > out.width, "every output is upright");
        }
    }

    #[test]
    fn variants_have_the_requested_widths() {
        let photo = testdata::noisy_jpeg(1200, 800);
        let prepared = prepare_image(&photo, &[1600, 480, 960, 480]).unwrap();
        assert_eq!((prepared.width, prepared.height), (1200, 800));
        assert_eq!(prepared.format, WebFormat::Jpeg);

        let jpeg_sizes: Vec<(u32, u32)> = prepared
            .outputs
            .iter()
            .filter(|o| o.format == WebFormat::Jpeg)
            .map(|o| (o.width, o.height))
            .collect();
        // 1600 is wider than the original and is skipped; 480 asked twice, made once.
        assert_eq!(jpeg_sizes, vec![(1200, 800), (960, 640), (480, 320)]);
        assert_eq!(prepared.main().width, 1200);
        assert_eq!(prepared.thumbnail().width, 480);
        let jpeg_bytes: Vec<usize> = prepared
            .outputs
            .iter()
            .filter(|o| o.format == WebFormat::Jpeg)
            .map(|o| o.bytes.len())
            .collect();
        assert!(
            jpeg_bytes.windows(2).all(|w| w[1] < w[0]),
            "narrower is lighter"
        );
        for out in &prepared.outputs {
            let decoded = image::load_from_memory(&out.bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (out.width, out.height));
            assert_eq!(
                crate::sniff(&out.bytes).unwrap().mime,
                out.format.mime(),
                "bytes match the declared format"
            );
        }
    }

    #[test]
    fn webp_is_kept_only_when_every_one_is_smaller() {
        // Noise is the worst case for lossless WebP against JPEG: dropped.
        let photo = prepare_image(&testdata::noisy_jpeg(600, 400), &[300]).unwrap();
        assert!(photo.outputs.iter().all(|o| o.format != WebFormat::WebP));

        // A flat graphic with transparency: PNG, and lossless WebP beats it.
        let logo = prepare_image(&testdata::png(600, 400, true), &[300, 150]).unwrap();
        assert_eq!(logo.format, WebFormat::Png);
        let webps: Vec<&Encoded> = logo
            .outputs
            .iter()
            .filter(|o| o.format == WebFormat::WebP)
            .collect();
        assert_eq!(
            webps.iter().map(|o| o.width).collect::<Vec<_>>(),
            vec![600, 300, 150]
        );
        for webp in webps {
            let sibling = logo
                .outputs
                .iter()
                .find(|o| o.format == WebFormat::Png && o.width == webp.width)
                .unwrap();
            assert!(webp.bytes.len() < sibling.bytes.len());
            let decoded = image::load_from_memory(&webp.bytes).unwrap();
            assert!(decoded.color().has_alpha(), "transparency survives in WebP");
        }
    }

    #[test]
    fn large_images_are_capped_on_the_long_side() {
        let tall = testdata::noisy_jpeg(1000, 2400);
        let prepared = prepare_image(&tall, &[]).unwrap();
        assert_eq!((prepared.width, prepared.height), (833, 2000));
        assert_eq!(prepared.outputs.len(), 1);
    }

    #[test]
    fn opaque_gif_and_webp_are_served_as_png_or_jpeg() {
        for upload in [testdata::gif(64, 32), testdata::webp(64, 32)] {
            let prepared = prepare_image(&upload, &[32]).unwrap();
            assert_ne!(prepared.format, WebFormat::WebP);
            assert_eq!((prepared.width, prepared.height), (64, 32));
        }
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // A valid PNG header declaring 10 000 × 5 000 pixels, with no pixel data.
        let bomb = testdata::png_header_only(10_000, 5_000);
        let err = prepare_image(&bomb, &[]).unwrap_err();
        assert_eq!(
            err,
            Refused::TooManyPixels {
                width: 10_000,
                height: 5_000,
                limit_megapixels: 40
            }
        );
    }

    #[test]
    fn non_images_and_broken_images_are_refused() {
        assert_eq!(
            prepare_image(&testdata::pdf(), &[]),
            Err(Refused::NotAnImage)
        );
        let mut broken = testdata::jpeg(64, 64);
        broken.truncate(40);
        assert_eq!(prepare_image(&broken, &[]), Err(Refused::BrokenImage));
        assert_eq!(prepare_image(b"<svg/>", &[]), Err(Refused::Svg));
    }

    #[test]
    fn fit_keeps_the_aspect_ratio() {
        assert_eq!(fit(4000, 3000, 2000), (2000, 1500));
        assert_eq!(fit(3000, 4000, 2000), (1500, 2000));
        assert_eq!(fit(800, 600, 2000), (800, 600));
        assert_eq!(fit(100_000, 10, 2000), (2000, 1));
    }
}
