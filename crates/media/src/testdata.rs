//! Files the tests make for themselves: no fixtures from elsewhere.

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};
use std::io::{Cursor, Write};

/// Bytes that stand for a GPS position inside the test EXIF block.
pub const GPS_MARKER: &[u8] = b"HANOI 21.0285N 105.8542E";

fn to_bytes(image: &DynamicImage, f: impl FnOnce(&mut Vec<u8>, &DynamicImage)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out, image);
    out
}

/// A flat graphic: four coloured bands; with `transparent`, the outer frame is
/// fully transparent.
pub fn png(width: u32, height: u32, transparent: bool) -> Vec<u8> {
    let img = RgbaImage::from_fn(width, height, |x, y| {
        let edge =
            x < width / 8 || y < height / 8 || x >= width - width / 8 || y >= height - height / 8;
        if transparent && edge {
            return Rgba([0, 0, 0, 0]);
        }
        match (x * 4 / width.max(1)) % 4 {
            0 => Rgba([200, 30, 30, 255]),
            1 => Rgba([30, 160, 60, 255]),
            2 => Rgba([30, 60, 200, 255]),
            _ => Rgba([240, 200, 40, 255]),
        }
    });
    to_bytes(&DynamicImage::ImageRgba8(img), |out, i| {
        i.write_with_encoder(PngEncoder::new(out)).unwrap()
    })
}

/// A smooth gradient JPEG.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    });
    to_bytes(&DynamicImage::ImageRgb8(img), |out, i| {
        i.write_with_encoder(JpegEncoder::new_with_quality(out, 90))
            .unwrap()
    })
}

/// A JPEG full of fine detail, which is how photos behave for encoders.
pub fn noisy_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut state: u32 = 0x2545_F491;
    let img = RgbImage::from_fn(width, height, |x, y| {
        // xorshift: cheap, deterministic noise.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state & 0x3f) as u8;
        Rgb([
            ((x * 180 / width) as u8).saturating_add(n),
            ((y * 180 / height) as u8).saturating_add(n),
            90u8.saturating_add(n),
        ])
    });
    to_bytes(&DynamicImage::ImageRgb8(img), |out, i| {
        i.write_with_encoder(JpegEncoder::new_with_quality(out, 90))
            .unwrap()
    })
}

/// An opaque GIF.
pub fn gif(width: u32, height: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 255, 255])
        }
    });
    let mut out = Vec::new();
    GifEncoder::new(&mut out)
        .encode(img.as_raw(), width, height, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// An opaque (lossless) WebP.
pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 4) as u8, (y * 4) as u8, 50])
    });
    to_bytes(&DynamicImage::ImageRgb8(img), |out, i| {
        i.write_with_encoder(WebPEncoder::new_lossless(out))
            .unwrap()
    })
}

/// A small but complete one-page PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n"
        .to_vec()
}

/// A one-page PDF whose text layer reads `text`: a Type0 font in Identity-H whose
/// `/ToUnicode` CMap maps one two-byte code per distinct character, as word
/// processors write Vietnamese. Written with lopdf, so it has a real xref table.
pub fn pdf_with_text(text: &str) -> Vec<u8> {
    use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
    let mut chars: Vec<char> = text.chars().collect();
    chars.sort_unstable();
    chars.dedup();
    let code = |c: char| chars.iter().position(|x| *x == c).unwrap_or(0) as u16 + 1;
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for block in chars.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for c in block {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            cmap.push_str(&format!("<{:04X}> <{hex}>\n", code(*c)));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    let codes: Vec<u8> = text.chars().flat_map(|c| code(c).to_be_bytes()).collect();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), cmap.into_bytes()));
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type0".to_vec()));
    font.set("BaseFont", Object::Name(b"Arial".to_vec()));
    font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    font.set("ToUnicode", Object::Reference(to_unicode));
    let font_id = doc.add_object(font);
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font_id));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let resources_id = doc.add_object(resources);
    let mut content = b"BT /F1 12 Tf 20 100 Td ".to_vec();
    let shown = Object::String(codes, StringFormat::Hexadecimal);
    content.extend_from_slice(
        &lopdf::content::Content {
            operations: vec![lopdf::content::Operation::new("Tj", vec![shown])],
        }
        .encode()
        .unwrap_or_default(),
    );
    content.extend_from_slice(b" ET");
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages_id));
    page.set("Contents", Object::Reference(content_id));
    page.set("Resources", Object::Reference(resources_id));
    page.set(
        "MediaBox",
        Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
    );
    let page_id = doc.add_object(page);
    let mut pages = Dictionary::new();
    pages.set("Type", Object::Name(b"Pages".to_vec()));
    pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
    pages.set("Count", Object::Integer(1));
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("a PDF in memory");
    out
}

/// A ZIP file with `entries` stored uncompressed, built by hand: local headers,
/// then the central directory, then the end record.
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let len = data.len() as u32;
        // Local file header.
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, stored, time, date
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry.
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&len.to_le_bytes());
        central.extend_from_slice(&len.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// An OLE compound file holding the given streams and storages, as Word 97 and
/// Excel 97 files are.
pub fn ole(streams: &[&str], storages: &[&str]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for storage in storages {
        file.create_storage(storage).unwrap();
    }
    for stream in streams {
        file.create_stream(stream)
            .unwrap()
            .write_all(b"content")
            .unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// A PNG that declares `width` × `height` but carries no real pixel data.
pub fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc_input);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A `width` × `height` JPEG, red on the left half and blue on the right, whose
/// EXIF says orientation 6 (turn 90° clockwise to show) and holds a GPS block.
pub fn jpeg_with_exif_orientation_6_and_gps(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    });
    let plain = to_bytes(&DynamicImage::ImageRgb8(img), |out, i| {
        i.write_with_encoder(JpegEncoder::new_with_quality(out, 95))
            .unwrap()
    });

    // TIFF, little-endian: header, IFD0 (orientation, GPS pointer), GPS IFD.
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II\x2a\x00");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let gps_ifd = 8 + 2 + 2 * 12 + 4;
    let gps_data = gps_ifd + 2 + 2 * 12 + 4;
    ifd_entry_count(&mut tiff, 2);
    ifd_entry(&mut tiff, 0x0112, 3, 1, &6u16.to_le_bytes()); // Orientation = 6
    ifd_entry(&mut tiff, 0x8825, 4, 1, &(gps_ifd as u32).to_le_bytes()); // GPS IFD pointer
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), gps_ifd);
    let mut area = b"ASCII\0\0\0".to_vec();
    area.extend_from_slice(GPS_MARKER);
    ifd_entry_count(&mut tiff, 2);
    ifd_entry(&mut tiff, 0x0000, 1, 4, &[2, 2, 0, 0]); // GPSVersionID
    ifd_entry(
        &mut tiff,
        0x001C,
        7,
        area.len() as u32,
        &(gps_data as u32).to_le_bytes(),
    ); // GPSAreaInformation
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), gps_data);
    tiff.extend_from_slice(&area);

    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);

    // Right after the SOI marker, where cameras put it.
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn ifd_entry_count(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn ifd_entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: &[u8]) {
    out.extend_from_slice(&tag.to_le_bytes());
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    let mut field = [0u8; 4];
    field[..value.len()].copy_from_slice(value);
    out.extend_from_slice(&field);
}

/// A small valid MP4: one H.264 video track of `width` × `height`, one sample a
/// second for `seconds` seconds (the samples are not real pictures: the boxes
/// are what is read). Written with the `mp4` crate.
pub fn mp4(width: u16, height: u16, seconds: u32) -> Vec<u8> {
    use mp4::{
        AvcConfig, FourCC, MediaConfig, Mp4Config, Mp4Sample, Mp4Writer, TrackConfig, TrackType,
    };
    let config = Mp4Config {
        major_brand: FourCC { value: *b"isom" },
        minor_version: 512,
        compatible_brands: vec![
            FourCC { value: *b"isom" },
            FourCC { value: *b"iso2" },
            FourCC { value: *b"avc1" },
            FourCC { value: *b"mp41" },
        ],
        timescale: 1000,
    };
    let mut writer = Mp4Writer::write_start(Cursor::new(Vec::new()), &config).unwrap();
    let track = TrackConfig {
        track_type: TrackType::Video,
        timescale: 1000,
        language: "und".to_owned(),
        media_conf: MediaConfig::AvcConfig(AvcConfig {
            width,
            height,
            seq_param_set: vec![0x67, 0x42, 0xc0, 0x1e, 0xda, 0x02, 0x80, 0xbf, 0xe5],
            pic_param_set: vec![0x68, 0xce, 0x3c, 0x80],
        }),
    };
    writer.add_track(&track).unwrap();
    for i in 0..seconds {
        let sample = Mp4Sample {
            start_time: u64::from(i) * 1000,
            duration: 1000,
            rendering_offset: 0,
            is_sync: true,
            bytes: bytes::Bytes::from(vec![0, 0, 0, 2, 0x65, 0x88]),
        };
        writer.write_sample(1, &sample).unwrap();
    }
    writer.write_end().unwrap();
    writer.into_writer().into_inner()
}
