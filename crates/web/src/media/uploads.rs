//! Files people upload, from the media library's form or pasted into the editor:
//! checked by content (the `media` crate), images turned upright, stripped of
//! their metadata and stored in several sizes, then recorded in the store. Also
//! the step that gives the images of an article body their `srcset`.

use crate::AppState;
use domain::{ImageSize, MediaId, MediaRef, SafeHtml, SiteId, UserId};
use media::{Kind, Refused};
use store::MediaInput;

/// Widths made of every image, besides its full size (capped at 2000 px).
pub(crate) const WIDTHS: [u32; 3] = [480, 960, 1600];
/// How many pasted images one save may carry.
const MAX_INLINE_IMAGES: usize = 40;
/// What the browser is told about the width an image of an article body takes.
const BODY_SIZES: &str = "(max-width: 840px) 100vw, 800px";

/// Why an upload was not kept, as said to the uploader.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UploadError {
    /// The file itself is refused (type, size, broken image).
    #[error("{0}")]
    Refused(#[from] Refused),
    /// Writing the file failed; the cause goes to the log.
    #[error("Không lưu được tệp lên máy chủ; vui lòng thử lại sau ít phút.")]
    Storage(String),
    /// The store failed.
    #[error("Không lưu được tệp lên máy chủ; vui lòng thử lại sau ít phút.")]
    Store(#[from] store::Error),
}

/// An upload that was kept.
pub(crate) struct Uploaded {
    pub id: MediaId,
    /// Path below the media folder of the main file.
    pub path: String,
}

/// Checks a file attached to a message (a citizen's question): by its content,
/// a PDF, Word, Excel file or an image, within the size limit of its kind. The
/// refusal is said for the sender.
pub(crate) fn check_attachment(
    limits: &media::Limits,
    bytes: &[u8],
) -> Result<media::Sniffed, String> {
    let sniffed = media::sniff(bytes).map_err(|e| e.to_string())?;
    if sniffed.kind == Kind::Video {
        return Err("Chỉ nhận tệp PDF, Word (DOC, DOCX), Excel (XLS, XLSX) hoặc ảnh (JPEG, PNG, GIF, WebP).".to_owned());
    }
    limits
        .check(sniffed.kind, bytes.len() as u64)
        .map_err(|e| e.to_string())?;
    Ok(sniffed)
}

/// A file field of a multipart form, read with a limit.
pub(crate) enum FieldBytes {
    /// The whole file.
    Whole(Vec<u8>),
    /// More than the limit: the file's size, read through without being kept.
    TooLarge(u64),
}

/// Reads a multipart file field piece by piece, keeping at most `limit` bytes: a
/// larger file is read to its end (so the fields after it still arrive) but not
/// kept, and comes back as its size. One file at a time is ever held in memory,
/// however many a form carries. An error is the request's body failing (cut off,
/// or over the route's limit for the whole form).
pub(crate) async fn read_field(
    field: &mut axum::extract::multipart::Field<'_>,
    limit: u64,
) -> Result<FieldBytes, axum::extract::multipart::MultipartError> {
    let mut kept = Vec::new();
    let mut size = 0u64;
    while let Some(chunk) = field.chunk().await? {
        size += chunk.len() as u64;
        if size <= limit {
            kept.extend_from_slice(&chunk);
        } else if !kept.is_empty() {
            kept = Vec::new();
        }
    }
    Ok(if size <= limit {
        FieldBytes::Whole(kept)
    } else {
        FieldBytes::TooLarge(size)
    })
}

/// Checks, prepares, writes and records one uploaded file for `site`.
pub(crate) async fn accept(
    state: &AppState,
    site: SiteId,
    site_key: &str,
    by: UserId,
    original_name: &str,
    bytes: Vec<u8>,
) -> Result<Uploaded, UploadError> {
    let limits = state.options.media_limits;
    let media_dir = state.options.media_dir.clone();
    let sub = format!("tai-len/{}", folder_name(site_key));
    // Decoding and encoding images is CPU work: off the async threads.
    let stored = tokio::task::spawn_blocking(move || -> Result<_, UploadError> {
        let sniffed = media::sniff(&bytes)?;
        limits.check(sniffed.kind, bytes.len() as u64)?;
        if sniffed.kind == Kind::Image {
            let image = media::prepare_image(&bytes, &WIDTHS)?;
            let stored = media::store_image(&media_dir, &sub, &image).map_err(storage)?;
            Ok((
                sniffed,
                stored,
                image.width,
                image.height,
                image.main().bytes.len(),
            ))
        } else {
            let stored = media::store_file(&media_dir, &sub, &bytes, sniffed).map_err(storage)?;
            Ok((sniffed, stored, 0, 0, bytes.len()))
        }
    })
    .await
    .map_err(storage)??;
    let (sniffed, stored, width, height, size) = stored;
    let input = MediaInput {
        site_id: site,
        path: stored.main.clone(),
        thumb_path: stored.thumbnail.clone(),
        mime: if sniffed.kind == Kind::Image {
            stored
                .variants
                .iter()
                .find(|v| v.path == stored.main)
                .map(|v| v.mime)
                .unwrap_or(sniffed.mime)
                .to_owned()
        } else {
            sniffed.mime.to_owned()
        },
        width: i64::from(width),
        height: i64::from(height),
        bytes: size as i64,
        kind: kind_name(sniffed.kind).to_owned(),
        original_name: original_name.to_owned(),
        sizes: stored
            .variants
            .iter()
            .map(|v| ImageSize {
                path: v.path.clone(),
                width: i64::from(v.width),
                height: i64::from(v.height),
                mime: v.mime.to_owned(),
            })
            .collect(),
        uploaded_by: Some(by),
    };
    let id = state.store.create_media(&input, crate::now()).await?;
    Ok(Uploaded {
        id,
        path: stored.main,
    })
}

/// Gives the images recorded without sizes (uploads from before sizes were kept,
/// the demo's pictures from before issue 12) their narrower copies, made from the
/// stored file and written beside it, so that their cards and articles get `srcset`
/// too. An image's existing thumbnail counts as one of its sizes. An image whose file
/// is missing or unreadable is left as it is (and logged). Returns how many images
/// got sizes. The server runs this once in the background at start.
pub async fn add_missing_sizes(state: &AppState) -> Result<usize, store::Error> {
    let mut after = MediaId(0);
    let mut done = 0;
    loop {
        let batch = state.store.images_without_sizes(after, 50).await?;
        let Some((last, _)) = batch.last() else {
            return Ok(done);
        };
        after = last.id;
        for (image, mime) in batch {
            let media_dir = state.options.media_dir.clone();
            let (id, path) = (image.id, image.path.clone());
            let made = tokio::task::spawn_blocking(move || sizes_of(&media_dir, &image, &mime))
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r);
            match made {
                Ok(sizes) => {
                    state.store.set_image_sizes(id, &sizes).await?;
                    done += 1;
                }
                Err(e) => {
                    tracing::warn!(media = id.0, %path, error = %e, "no sizes made for an image")
                }
            }
        }
    }
}

/// What came of a file field of a form that attaches office files (a document's,
/// a notice's, a draft's).
pub(crate) enum Attachment {
    /// Stored and recorded in the media library, under the name it came with.
    Kept { id: MediaId, name: String },
    /// Not kept, said why (the file's name first).
    Refused(String),
    /// No file chosen.
    Empty,
}

/// The body limit of a form that carries up to four office files.
pub(crate) fn attachments_limit(state: &AppState) -> usize {
    usize::try_from(state.options.media_limits.document_bytes.saturating_mul(4))
        .unwrap_or(usize::MAX)
        .saturating_add(1 << 22)
}

/// How long an attached PDF's text layer may take to read.
const PDF_READ_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// Reads one file field of a multipart form and keeps it when it is an office
/// file (PDF, Word DOC/DOCX, Excel XLS/XLSX), judged by its bytes and held to the
/// media limits like the library's uploads. `what` names the content in the
/// refusal ("văn bản", "thông báo", "dự thảo").
pub(crate) async fn accept_attachment(
    state: &AppState,
    site: SiteId,
    site_key: &str,
    by: UserId,
    field: axum::extract::multipart::Field<'_>,
    what: &str,
) -> Result<Attachment, store::Error> {
    let file_name = vntext::clean_line(field.file_name().unwrap_or("tệp"));
    let bytes = match field.bytes().await {
        Ok(b) => b.to_vec(),
        Err(_) => {
            return Ok(Attachment::Refused(format!(
                "{file_name}: tệp quá lớn hoặc gửi lên bị gián đoạn."
            )));
        }
    };
    if bytes.is_empty() {
        return Ok(Attachment::Empty);
    }
    let kind = match media::sniff(&bytes) {
        Ok(s) if matches!(s.kind, Kind::Pdf | Kind::Document | Kind::Spreadsheet) => s.kind,
        Ok(_) => {
            return Ok(Attachment::Refused(format!(
                "{file_name}: {what} chỉ đính kèm tệp PDF, Word (DOC, DOCX) hoặc Excel (XLS, XLSX)."
            )));
        }
        Err(e) => return Ok(Attachment::Refused(format!("{file_name}: {e}"))),
    };
    // The text layer of a PDF, read once now for search. A PDF that takes too
    // long is left unread (no note, no text) rather than holding the form.
    let text = if kind == Kind::Pdf {
        let copy = bytes.clone();
        let read = tokio::task::spawn_blocking(move || media::pdf_text(&copy));
        match tokio::time::timeout(PDF_READ_TIME, read).await {
            Ok(Ok(text)) => Some(text),
            _ => None,
        }
    } else {
        None
    };
    match accept(state, site, site_key, by, &file_name, bytes).await {
        Ok(up) => {
            if let Some(text) = text {
                state.store.set_media_text(up.id.0, text.as_deref()).await?;
            }
            Ok(Attachment::Kept {
                id: up.id,
                name: file_name,
            })
        }
        Err(UploadError::Store(e)) => Err(e),
        Err(e) => Ok(Attachment::Refused(format!("{file_name}: {e}"))),
    }
}

/// A form that may carry office files, read whole (after its token).
pub(crate) struct PostedForm {
    /// The text fields in order; each file kept adds the pair (its field's
    /// name, its media id), as if it had been picked from the library under
    /// that name, so the form shown again has it chosen.
    pub pairs: Vec<(String, String)>,
    /// Files not kept, and a broken form, said why.
    pub refused: Vec<String>,
}

/// Reads a multipart form whose file fields attach office files (see
/// [`accept_attachment`]); text is NFC-normalised.
pub(crate) async fn read_with_attachments(
    state: &AppState,
    site: &crate::platform::site::SiteCtx,
    by: UserId,
    form: &mut axum::extract::Multipart,
    what: &str,
) -> Result<PostedForm, store::Error> {
    let mut posted = PostedForm {
        pairs: Vec::new(),
        refused: Vec::new(),
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                posted.refused.push(format!(
                    "Biểu mẫu gửi lên bị gián đoạn hoặc quá lớn ({}); hãy thử lại.",
                    e.body_text()
                ));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            let (id, key) = (site.site.id, site.site.key.as_str());
            match accept_attachment(state, id, key, by, field, what).await? {
                Attachment::Kept { id, .. } => posted.pairs.push((name, id.0.to_string())),
                Attachment::Refused(why) => posted.refused.push(why),
                Attachment::Empty => {}
            }
            continue;
        }
        let text = vntext::nfc(&field.text().await.unwrap_or_default());
        posted.pairs.push((name, text));
    }
    Ok(posted)
}

/// The sizes of a stored image, the stored file among them: narrower copies made
/// beside it ([`WIDTHS`]), and its thumbnail when that is a file of the same type.
fn sizes_of(
    media_dir: &std::path::Path,
    image: &MediaRef,
    mime: &str,
) -> Result<Vec<ImageSize>, String> {
    let bytes = std::fs::read(media_dir.join(&image.path)).map_err(|e| e.to_string())?;
    let prepared = media::prepare_image(&bytes, &WIDTHS).map_err(|e| e.to_string())?;
    let made = media::store_sizes_beside(media_dir, &image.path, mime, &prepared)
        .map_err(|e| e.to_string())?;
    let mut sizes: Vec<ImageSize> = made
        .into_iter()
        .map(|v| ImageSize {
            path: v.path,
            width: i64::from(v.width),
            height: i64::from(v.height),
            mime: v.mime.to_owned(),
        })
        .collect();
    let thumb_bytes = image
        .thumb_path
        .as_deref()
        .filter(|t| *t != image.path)
        .and_then(|t| std::fs::read(media_dir.join(t)).ok())
        .unwrap_or_default();
    if let Some(thumb) = image.thumb_path.as_deref()
        && media::sniff(&thumb_bytes).is_ok_and(|s| s.mime == mime)
        // Decoded for its size only (a thumbnail is small).
        && let Ok(decoded) = media::prepare_image(&thumb_bytes, &[])
        && sizes.iter().all(|s| s.width != i64::from(decoded.width))
    {
        sizes.push(ImageSize {
            path: thumb.to_owned(),
            width: i64::from(decoded.width),
            height: i64::from(decoded.height),
            mime: mime.to_owned(),
        });
    }
    sizes.push(ImageSize {
        path: image.path.clone(),
        width: image.width,
        height: image.height,
        mime: mime.to_owned(),
    });
    sizes.sort_by_key(|s| s.width);
    Ok(sizes)
}

/// A failure to write, logged with its cause; the uploader gets a calm message.
fn storage(e: impl std::fmt::Display) -> UploadError {
    tracing::error!(error = %e, "could not store an upload");
    UploadError::Storage(e.to_string())
}

/// The stored name of a kind of file.
pub(crate) fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "image",
        Kind::Pdf => "pdf",
        Kind::Document => "document",
        Kind::Spreadsheet => "spreadsheet",
        Kind::Video => "video",
    }
}

/// A site key as a folder name (`[a-z0-9_-]`).
pub(crate) fn folder_name(site_key: &str) -> String {
    let s = vntext::slugify(site_key);
    if s.is_empty() { "trang".to_owned() } else { s }
}

/// Stores the images pasted into a rich-text field (an article's, a page's body)
/// as files of the site and rewrites `body` to name them, so a form shown again
/// carries addresses, not the images' bytes. One message per refused image.
pub(crate) async fn keep_pasted_images(
    state: &AppState,
    site: &crate::platform::site::SiteCtx,
    by: UserId,
    body: &mut String,
) -> Result<Vec<String>, store::Error> {
    let (stored, problems) =
        take_inline_images(state, site.site.id, &site.site.key, by, body).await?;
    *body = stored;
    Ok(problems)
}

/// Stores the images pasted into an article body (`<img src="data:image/…;base64,…">`,
/// as the editor sends them) as files of the site, and points the body at them.
/// Returns the body and one message per image that was refused (those are dropped).
async fn take_inline_images(
    state: &AppState,
    site: SiteId,
    site_key: &str,
    by: UserId,
    body: &str,
) -> Result<(String, Vec<String>), store::Error> {
    use base64::Engine;
    let mut out = String::with_capacity(body.len().min(1 << 20));
    let mut problems = Vec::new();
    let mut rest = body;
    let mut taken = 0usize;
    while let Some(at) = rest.find("data:image/") {
        // Only inside a src attribute: the quote before it.
        let quote = rest[..at].chars().last();
        if !matches!(quote, Some('"') | Some('\'')) {
            out.push_str(&rest[..at + 11]);
            rest = &rest[at + 11..];
            continue;
        }
        let quote = quote.unwrap_or('"');
        let end = rest[at..].find(quote).map(|e| at + e).unwrap_or(rest.len());
        let uri = &rest[at..end];
        out.push_str(&rest[..at]);
        rest = &rest[end..];
        taken += 1;
        let n = taken;
        let Some((_, data)) = uri.split_once(";base64,") else {
            problems.push(format!("Ảnh dán thứ {n} không đọc được; đã bỏ ảnh này."));
            continue;
        };
        if taken > MAX_INLINE_IMAGES {
            problems.push(format!(
                "Mỗi lần lưu nhận tối đa {MAX_INLINE_IMAGES} ảnh dán; ảnh thứ {n} đã bị bỏ. Hãy tải ảnh lên thư viện tệp."
            ));
            continue;
        }
        let bytes = match base64::engine::general_purpose::STANDARD
            .decode(data.trim().replace(['\n', '\r', ' '], ""))
        {
            Ok(b) => b,
            Err(_) => {
                problems.push(format!("Ảnh dán thứ {n} không đọc được; đã bỏ ảnh này."));
                continue;
            }
        };
        match media::sniff(&bytes) {
            Ok(s) if s.kind == Kind::Image => {}
            _ => {
                problems.push(format!(
                    "Ảnh dán thứ {n} không phải ảnh JPEG, PNG, GIF hay WebP; đã bỏ ảnh này."
                ));
                continue;
            }
        }
        match accept(state, site, site_key, by, &format!("anh-dan-{n}"), bytes).await {
            Ok(up) => out.push_str(&format!("/media/{}", up.path)),
            Err(UploadError::Store(e)) => return Err(e),
            Err(e) => problems.push(format!("Ảnh dán thứ {n}: {e} Đã bỏ ảnh này.")),
        }
    }
    out.push_str(rest);
    Ok((out, problems))
}

/// Gives the site's own images in a sanitised body their sizes: `srcset`, `sizes`,
/// width and height, lazy loading, and a WebP `<source>` when one was kept.
pub(crate) async fn enrich_images(
    state: &AppState,
    site: SiteId,
    body: SafeHtml,
) -> Result<SafeHtml, store::Error> {
    let html = body.as_str();
    let paths: Vec<String> = img_tags(html)
        .filter_map(|(_, tag)| attr(tag, "src"))
        .filter_map(|src| src.strip_prefix("/media/").map(str::to_owned))
        .collect();
    if paths.is_empty() {
        return Ok(body);
    }
    let images = state.store.images_by_path(site, &paths).await?;
    let mut out = String::with_capacity(html.len() + 256 * images.len());
    let mut last = 0;
    for (at, tag) in img_tags(html) {
        let src = attr(tag, "src").unwrap_or_default();
        let Some(m) = src
            .strip_prefix("/media/")
            .and_then(|p| images.iter().find(|m| m.path == p))
        else {
            continue;
        };
        out.push_str(&html[last..at]);
        out.push_str(&responsive_img(m, attr(tag, "alt").unwrap_or_default()));
        last = at + tag.len();
    }
    out.push_str(&html[last..]);
    // Only attributes made here from stored paths and numbers were added to
    // sanitised HTML; `alt` is escaped again below.
    Ok(SafeHtml::from_stored(out))
}

/// `<img …>` tags of HTML with their byte offsets.
fn img_tags(html: &str) -> impl Iterator<Item = (usize, &str)> {
    html.match_indices("<img ").filter_map(move |(at, _)| {
        let end = html[at..].find('>')?;
        Some((at, &html[at..=at + end]))
    })
}

/// An attribute's value in a serialised tag (as the sanitiser writes them:
/// double quotes, entities for quotes inside).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

fn responsive_img(m: &MediaRef, alt_escaped: &str) -> String {
    let main = m.srcset(m.main_mime());
    let webp = m.srcset("image/webp");
    let img = format!(
        "<img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\"{}>",
        m.url(),
        alt_escaped,
        m.width,
        m.height,
        if main.is_empty() {
            String::new()
        } else {
            format!(" srcset=\"{main}\" sizes=\"{BODY_SIZES}\"")
        }
    );
    if webp.is_empty() {
        img
    } else {
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{BODY_SIZES}\">{img}</picture>"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_of_sanitised_tags() {
        let tag = r#"<img src="/media/a.jpg" alt="Lễ &quot;khai giảng&quot;">"#;
        assert_eq!(attr(tag, "src"), Some("/media/a.jpg"));
        assert_eq!(attr(tag, "alt"), Some("Lễ &quot;khai giảng&quot;"));
        assert_eq!(attr(tag, "width"), None);
        let html = r#"<p>x</p><img src="/a"><p><img src="/b" alt=""></p>"#;
        let found: Vec<_> = img_tags(html).map(|(_, t)| t).collect();
        assert_eq!(found, vec![r#"<img src="/a">"#, r#"<img src="/b" alt="">"#]);
    }

    #[test]
    fn a_responsive_image_lists_its_sizes() {
        let m = MediaRef {
            id: MediaId(1),
            path: "x/a.jpg".into(),
            thumb_path: Some("x/a-480.jpg".into()),
            width: 1600,
            height: 900,
            sizes: vec![
                ImageSize {
                    path: "x/a.jpg".into(),
                    width: 1600,
                    height: 900,
                    mime: "image/jpeg".into(),
                },
                ImageSize {
                    path: "x/a-480.jpg".into(),
                    width: 480,
                    height: 270,
                    mime: "image/jpeg".into(),
                },
            ],
        };
        let html = responsive_img(&m, "Ảnh");
        assert!(
            html.contains(r#"srcset="/media/x/a-480.jpg 480w, /media/x/a.jpg 1600w""#),
            "{html}"
        );
        assert!(html.contains(r#"width="1600" height="900""#), "{html}");
        assert!(!html.contains("<picture>"), "no WebP kept: no <picture>");
    }
}
