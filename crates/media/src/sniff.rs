//! What a file is, judged by its bytes.
//!
//! The file's name and the browser's Content-Type are the uploader's claims; a
//! page named `thong-bao.pdf` can be HTML with script in it. So the only input is
//! the content, checked against an allow-list: anything not positively
//! recognised as one of the accepted types is refused.

use crate::Refused;
use std::io::Cursor;

/// The broad family of an accepted file, which decides its size limit and how
/// the web layer shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// JPEG, PNG, GIF or WebP.
    Image,
    /// PDF.
    Pdf,
    /// Word: DOC or DOCX.
    Document,
    /// Excel: XLS or XLSX.
    Spreadsheet,
    /// MP4.
    Video,
}

/// An accepted file's type, as its content shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sniffed {
    /// The broad family.
    pub kind: Kind,
    /// The MIME type to serve it with.
    pub mime: &'static str,
    /// The extension to store it under, without the dot, lower case.
    pub extension: &'static str,
}

impl Sniffed {
    const fn new(kind: Kind, mime: &'static str, extension: &'static str) -> Self {
        Sniffed {
            kind,
            mime,
            extension,
        }
    }
}

pub(crate) const JPEG: Sniffed = Sniffed::new(Kind::Image, "image/jpeg", "jpg");
pub(crate) const PNG: Sniffed = Sniffed::new(Kind::Image, "image/png", "png");
pub(crate) const GIF: Sniffed = Sniffed::new(Kind::Image, "image/gif", "gif");
pub(crate) const WEBP: Sniffed = Sniffed::new(Kind::Image, "image/webp", "webp");
const PDF: Sniffed = Sniffed::new(Kind::Pdf, "application/pdf", "pdf");
const DOC: Sniffed = Sniffed::new(Kind::Document, "application/msword", "doc");
const XLS: Sniffed = Sniffed::new(Kind::Spreadsheet, "application/vnd.ms-excel", "xls");
const DOCX: Sniffed = Sniffed::new(
    Kind::Document,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
);
const XLSX: Sniffed = Sniffed::new(
    Kind::Spreadsheet,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
);
const MP4: Sniffed = Sniffed::new(Kind::Video, "video/mp4", "mp4");

/// The MIME type of a stored file by the extension it was stored under (the one
/// its content showed at upload, or of a size made of it), for serving it; `None`
/// for an extension no accepted file is stored under.
pub fn mime_of_extension(extension: &str) -> Option<&'static str> {
    [JPEG, PNG, GIF, WEBP, PDF, DOC, XLS, DOCX, XLSX, MP4]
        .iter()
        .find(|s| s.extension.eq_ignore_ascii_case(extension))
        .map(|s| s.mime)
        .or_else(|| (extension.eq_ignore_ascii_case("jpeg")).then_some(JPEG.mime))
}

/// Decides what `bytes` is by its content alone.
///
/// Accepts JPEG, PNG, GIF and WebP images, PDF, Word (DOC, DOCX), Excel (XLS,
/// XLSX) and MP4 video. Refuses everything else, naming HTML, SVG, programs,
/// macro-carrying Office files and plain ZIP archives where it can tell, so the
/// uploader learns why.
pub fn sniff(bytes: &[u8]) -> Result<Sniffed, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if is_executable(bytes) {
        return Err(Refused::Executable);
    }
    if infer::image::is_jpeg(bytes) {
        return Ok(JPEG);
    }
    if infer::image::is_png(bytes) {
        return Ok(PNG);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(GIF);
    }
    if infer::image::is_webp(bytes) {
        return Ok(WEBP);
    }
    // Only at the very start: infer also looks 1 KB in, which would let an HTML
    // page with "%PDF" in a comment pass as a PDF.
    if bytes.starts_with(b"%PDF-") {
        return Ok(PDF);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return ole_document(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return ooxml_document(bytes);
    }
    // infer knows the MP4 brands; a bare `ftyp` check would also let HEIC,
    // AVIF and QuickTime files through as "video/mp4".
    if infer::video::is_mp4(bytes) {
        return Ok(MP4);
    }
    Err(text_refusal(bytes))
}

fn is_executable(bytes: &[u8]) -> bool {
    infer::app::is_exe(bytes)
        || bytes.starts_with(b"\x7fELF")
        || infer::app::is_mach(bytes)
        || bytes.starts_with(b"#!")
}

/// Word 97 and Excel 97 files are both OLE compound files; the streams inside say
/// which one it is.
fn ole_document(bytes: &[u8]) -> Result<Sniffed, Refused> {
    let Ok(file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Err(Refused::Unknown);
    };
    // Word keeps VBA in "Macros", Excel in "_VBA_PROJECT_CUR".
    if file.is_storage("/Macros") || file.is_storage("/_VBA_PROJECT_CUR") {
        return Err(Refused::Macros);
    }
    if file.is_stream("/WordDocument") {
        Ok(DOC)
    } else if file.is_stream("/Workbook") || file.is_stream("/Book") {
        Ok(XLS)
    } else {
        // PowerPoint, Outlook messages, installers (MSI) and the like.
        Err(Refused::Unknown)
    }
}

/// DOCX and XLSX are ZIP files. The central directory, at the end, lists every
/// entry reliably; local headers at the front can hide sizes behind data
/// descriptors, and entry order differs between Word, LibreOffice and others.
fn ooxml_document(bytes: &[u8]) -> Result<Sniffed, Refused> {
    let Some(names) = zip_entry_names(bytes) else {
        return Err(Refused::Unknown);
    };
    let lower: Vec<String> = names
        .iter()
        .map(|n| String::from_utf8_lossy(n).to_ascii_lowercase())
        .collect();
    if !lower.iter().any(|n| n == "[content_types].xml") {
        return Err(Refused::Archive);
    }
    if lower.iter().any(|n| n.ends_with("vbaproject.bin")) {
        return Err(Refused::Macros);
    }
    let word = lower.iter().any(|n| n.starts_with("word/"));
    let excel = lower.iter().any(|n| n.starts_with("xl/"));
    match (word, excel) {
        (true, false) => Ok(DOCX),
        (false, true) => Ok(XLSX),
        // PowerPoint and other packages, or a package claiming to be both.
        _ => Err(Refused::Archive),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The names in a ZIP file's central directory, or `None` when it is malformed.
fn zip_entry_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const EOCD_LEN: usize = 22;
    // The end record sits in the last 22 bytes plus at most a 65 535-byte comment.
    let last = bytes.len().checked_sub(EOCD_LEN)?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    let eocd = (first..=last)
        .rev()
        .find(|&i| bytes[i..].starts_with(EOCD))?;

    let mut count = u64::from(u16_at(bytes, eocd + 10)?);
    let mut offset = u64::from(u32_at(bytes, eocd + 16)?);
    if offset == u64::from(u32::MAX) || count == u64::from(u16::MAX) {
        // ZIP64: a locator just before the end record points at the real numbers.
        let locator = eocd.checked_sub(20)?;
        if !bytes[locator..].starts_with(b"PK\x06\x07") {
            return None;
        }
        let record = usize::try_from(u64_at(bytes, locator + 8)?).ok()?;
        if !bytes.get(record..)?.starts_with(b"PK\x06\x06") {
            return None;
        }
        count = u64_at(bytes, record + 32)?;
        offset = u64_at(bytes, record + 48)?;
    }

    let mut at = usize::try_from(offset).ok()?;
    // Each entry takes at least 46 bytes, which bounds a lying count.
    let count = usize::try_from(count).ok()?.min(bytes.len() / 46);
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = usize::from(u16_at(bytes, at + 28)?);
        let extra_len = usize::from(u16_at(bytes, at + 30)?);
        let comment_len = usize::from(u16_at(bytes, at + 32)?);
        names.push(bytes.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// Names the refusal for content that is none of the accepted binary formats.
/// Whatever this returns, the file is refused; the only question is which
/// message helps the uploader most.
fn text_refusal(bytes: &[u8]) -> Refused {
    let head = text_head(bytes);
    if head.starts_with(b"#!") {
        return Refused::Executable;
    }
    if !head.starts_with(b"<") {
        return Refused::Unknown;
    }
    if contains(&head, b"<svg") {
        Refused::Svg
    } else if head.starts_with(b"<?xml") && !contains(&head, b"<html") {
        Refused::Unknown
    } else {
        // Tags, comments, doctypes: browsers sniff all of these as HTML.
        Refused::Html
    }
}

/// The first few kilobytes as lower-case ASCII, with byte-order marks, leading
/// white space and NUL bytes (which makes UTF-16 text readable) taken out.
fn text_head(bytes: &[u8]) -> Vec<u8> {
    let mut head: Vec<u8> = bytes
        .iter()
        .take(4096)
        .filter(|&&b| b != 0)
        .map(u8::to_ascii_lowercase)
        .collect();
    let mut start = 0;
    loop {
        let rest = &head[start..];
        if rest.starts_with(&[0xEF, 0xBB, 0xBF]) {
            start += 3;
        } else if rest.starts_with(&[0xFE, 0xFF]) || rest.starts_with(&[0xFF, 0xFE]) {
            start += 2;
        } else if rest
            .first()
            .is_some_and(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
        {
            start += 1;
        } else {
            break;
        }
    }
    head.drain(..start);
    head
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn a_png_is_a_png_whatever_it_was_called() {
        // The name "report.pdf" never reaches sniff: the content alone decides.
        let png = testdata::png(8, 8, false);
        let got = sniff(&png).unwrap();
        assert_eq!(got.kind, Kind::Image);
        assert_eq!(got.mime, "image/png");
        assert_eq!(got.extension, "png");
    }

    #[test]
    fn the_image_formats_are_told_apart() {
        assert_eq!(sniff(&testdata::jpeg(8, 8)).unwrap(), JPEG);
        assert_eq!(sniff(&testdata::gif(8, 8)).unwrap(), GIF);
        assert_eq!(sniff(&testdata::webp(8, 8)).unwrap(), WEBP);
    }

    #[test]
    fn svg_is_refused_even_dressed_as_xml() {
        let svg = br#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#;
        assert_eq!(sniff(svg), Err(Refused::Svg));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF  <SVG onload=alert(1)>"),
            Err(Refused::Svg)
        );
        assert_eq!(
            sniff(b"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"><svg></svg>"),
            Err(Refused::Svg)
        );
    }

    #[test]
    fn html_is_refused_in_its_disguises() {
        assert_eq!(sniff(b"<!DOCTYPE html><html></html>"), Err(Refused::Html));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF \r\n\t<html><script>x()</script>"),
            Err(Refused::Html)
        );
        assert_eq!(
            sniff(b"<!-- hi --><script>x()</script>"),
            Err(Refused::Html)
        );
        assert_eq!(sniff(b"\n\n<p>Xin chao"), Err(Refused::Html));
        // UTF-16 little-endian with its byte-order mark.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<html>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(sniff(&utf16), Err(Refused::Html));
        assert_eq!(
            Refused::Html.to_string(),
            "Tệp này là trang HTML; hệ thống không nhận loại tệp này."
        );
    }

    #[test]
    fn programs_are_refused() {
        let mut pe = b"MZ\x90\x00".to_vec();
        pe.resize(128, 0);
        assert_eq!(sniff(&pe), Err(Refused::Executable));
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.resize(64, 0);
        assert_eq!(sniff(&elf), Err(Refused::Executable));
        assert_eq!(
            sniff(b"\xcf\xfa\xed\xfe\x07\x00\x00\x01"),
            Err(Refused::Executable)
        );
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /\n"), Err(Refused::Executable));
        assert_eq!(sniff(b"\xEF\xBB\xBF#!/bin/sh\n"), Err(Refused::Executable));
    }

    #[test]
    fn empty_and_unknown_are_refused() {
        assert_eq!(sniff(b""), Err(Refused::Empty));
        assert_eq!(sniff(b"Xin chao, day la van ban."), Err(Refused::Unknown));
        assert_eq!(sniff(&[0u8; 64]), Err(Refused::Unknown));
        assert_eq!(
            Refused::Unknown.to_string(),
            "Không nhận dạng được loại tệp. Chỉ nhận ảnh (JPEG, PNG, GIF, WebP), PDF, Word, Excel và video MP4."
        );
    }

    #[test]
    fn a_minimal_pdf_is_accepted_and_a_late_pdf_marker_is_not() {
        let got = sniff(&testdata::pdf()).unwrap();
        assert_eq!(
            (got.kind, got.mime, got.extension),
            (Kind::Pdf, "application/pdf", "pdf")
        );
        assert_eq!(sniff(b"<html><!-- %PDF-1.4 -->"), Err(Refused::Html));
    }

    #[test]
    fn office_zips_are_accepted_and_other_zips_refused() {
        let docx = testdata::zip(&[
            ("[Content_Types].xml", b"<Types/>".as_slice()),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(sniff(&docx).unwrap(), DOCX);
        assert_eq!(sniff(&docx).unwrap().kind, Kind::Document);

        // LibreOffice and others order entries differently; only the set matters.
        let xlsx = testdata::zip(&[
            ("docProps/app.xml", b"<x/>".as_slice()),
            ("xl/workbook.xml", b"<workbook/>"),
            ("[Content_Types].xml", b"<Types/>"),
        ]);
        assert_eq!(sniff(&xlsx).unwrap(), XLSX);
        assert_eq!(sniff(&xlsx).unwrap().kind, Kind::Spreadsheet);

        let plain = testdata::zip(&[("word/notes.txt", b"hello".as_slice()), ("a.exe", b"MZ")]);
        assert_eq!(sniff(&plain), Err(Refused::Archive));

        let pptx = testdata::zip(&[
            ("[Content_Types].xml", b"<Types/>".as_slice()),
            ("ppt/presentation.xml", b"<p/>"),
        ]);
        assert_eq!(sniff(&pptx), Err(Refused::Archive));

        let docm = testdata::zip(&[
            ("[Content_Types].xml", b"<Types/>".as_slice()),
            ("word/document.xml", b"<w:document/>"),
            ("word/vbaProject.bin", b"\xD0\xCF"),
        ]);
        assert_eq!(sniff(&docm), Err(Refused::Macros));

        // A truncated zip has no central directory to read.
        assert_eq!(sniff(&docx[..docx.len() - 30]), Err(Refused::Unknown));
    }

    #[test]
    fn word_and_excel_97_are_told_apart() {
        assert_eq!(
            sniff(&testdata::ole(&["/WordDocument", "/1Table"], &[])).unwrap(),
            DOC
        );
        assert_eq!(sniff(&testdata::ole(&["/Workbook"], &[])).unwrap(), XLS);
        assert_eq!(
            sniff(&testdata::ole(&["/PowerPoint Document"], &[])),
            Err(Refused::Unknown)
        );
        assert_eq!(
            sniff(&testdata::ole(&["/WordDocument"], &["/Macros"])),
            Err(Refused::Macros)
        );
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            Err(Refused::Unknown)
        );
    }

    #[test]
    fn mp4_is_accepted_but_not_other_iso_media() {
        let mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08free";
        assert_eq!(sniff(mp4).unwrap().kind, Kind::Video);
        assert_eq!(sniff(mp4).unwrap().mime, "video/mp4");
        let heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x00\x08free";
        assert_eq!(sniff(heic), Err(Refused::Unknown));
    }
}
