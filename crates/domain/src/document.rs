//! Official documents ("Văn bản"): the registry that state portals keep (Law on
//! Access to Information 104/2016 art. 17 and 19). A document has its number
//! ("15/2025/TT-BGDĐT"), its summary (trích yếu), its type and issuer from lists the
//! site's administrators keep, its dates, the documents it replaces or relates to,
//! a rich-text body and attached files. It follows the articles' workflow
//! ([`crate::next_status`]).
//!
//! Its validity ("Tình trạng hiệu lực") is computed from its dates and from the
//! documents that replace it, never stored: [`validity`].

use crate::{ArticleStatus, SafeHtml, SiteId};

/// An official document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(pub i64);

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The longest number (số/ký hiệu), in characters.
pub const MAX_DOCUMENT_NUMBER_CHARS: usize = 80;
/// The longest summary (trích yếu), in characters.
pub const MAX_DOCUMENT_SUMMARY_CHARS: usize = 1000;

/// One of the lists a site's administrators keep for its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermList {
    /// Loại văn bản: "Công văn", "Thông tư", "Quyết định" …
    Type,
    /// Cơ quan ban hành: "Bộ Giáo dục và Đào tạo" …
    Issuer,
    /// Người ký, with their position.
    Signer,
    /// Lĩnh vực: "Giáo dục trung học" … (a document may have several).
    Field,
}

impl TermList {
    /// Every list, in the back office's order.
    pub const ALL: [TermList; 4] = [
        TermList::Type,
        TermList::Issuer,
        TermList::Signer,
        TermList::Field,
    ];

    /// The value stored in the database, and the list's address in the back office.
    pub fn as_str(self) -> &'static str {
        match self {
            TermList::Type => "loai",
            TermList::Issuer => "co-quan",
            TermList::Signer => "nguoi-ky",
            TermList::Field => "linh-vuc",
        }
    }

    /// Reads a stored value.
    pub fn parse(s: &str) -> Option<TermList> {
        TermList::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The list's name as people read it.
    pub fn label(self) -> &'static str {
        match self {
            TermList::Type => "Loại văn bản",
            TermList::Issuer => "Cơ quan ban hành",
            TermList::Signer => "Người ký",
            TermList::Field => "Lĩnh vực",
        }
    }
}

/// An entry of one of a site's lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Id.
    pub id: i64,
    /// Which list.
    pub list: TermList,
    /// The name ("Công văn"; a signer's full name).
    pub name: String,
    /// A signer's position ("Phó Giám đốc"); empty elsewhere.
    pub detail: String,
}

impl Term {
    /// As lists and pages show it: a signer with their position.
    pub fn display(&self) -> String {
        if self.detail.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.detail)
        }
    }
}

/// A document's validity, as readers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Validity {
    /// Before its effect date.
    NotYet,
    /// Between its effect date and its expiry.
    InForce,
    /// From its expiry on.
    Expired,
    /// Another published document replaces it.
    Replaced,
}

impl Validity {
    /// Every validity, as the public list's filter offers them.
    pub const ALL: [Validity; 4] = [
        Validity::InForce,
        Validity::NotYet,
        Validity::Expired,
        Validity::Replaced,
    ];

    /// As readers read it.
    pub fn label(self) -> &'static str {
        match self {
            Validity::NotYet => "Chưa có hiệu lực",
            Validity::InForce => "Còn hiệu lực",
            Validity::Expired => "Hết hiệu lực",
            Validity::Replaced => "Bị thay thế",
        }
    }

    /// Its value in the public list's address (`?tinh-trang=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::NotYet => "chua-co-hieu-luc",
            Validity::InForce => "con-hieu-luc",
            Validity::Expired => "het-hieu-luc",
            Validity::Replaced => "bi-thay-the",
        }
    }

    /// Reads the value of an address.
    pub fn parse(s: &str) -> Option<Validity> {
        Validity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A document's validity on `today` (`YYYY-MM-DD`, Vietnamese calendar day).
///
/// A document without an effect date takes effect on its issue date. Its expiry
/// (`expires_on`) is the first day it no longer applies. A document that another
/// published document replaces is "Bị thay thế", whatever its dates say.
pub fn validity(
    issued_on: &str,
    effective_on: Option<&str>,
    expires_on: Option<&str>,
    replaced: bool,
    today: &str,
) -> Validity {
    if replaced {
        return Validity::Replaced;
    }
    let start = effective_on.unwrap_or(issued_on);
    if today < start {
        Validity::NotYet
    } else if expires_on.is_some_and(|end| today >= end) {
        Validity::Expired
    } else {
        Validity::InForce
    }
}

/// What two numbers are compared by (an import's duplicates, the number a row
/// replaces): "15/2025/TT-BGDĐT" and "15/2025/tt-bgddt " are the same document.
pub fn number_key(number: &str) -> String {
    vntext::fold_lower(&vntext::clean_line(number))
}

/// The digits of a document's number, for search: "15/2025/TT-BGDĐT" is found by
/// "152025" as well as by what was typed.
pub fn number_digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// A file attached to a document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentFile {
    /// Id of the attachment.
    pub id: i64,
    /// The media file.
    pub media_id: i64,
    /// Path below the media folder.
    pub path: String,
    /// The name it was uploaded under.
    pub name: String,
    /// MIME type, checked from the content.
    pub mime: String,
    /// Size in bytes.
    pub bytes: i64,
    /// For a PDF read at upload: whether it has a text layer (search reads it);
    /// `Some(false)` is a scan. `None`: not a PDF, or never read.
    pub text_layer: Option<bool>,
}

impl DocumentFile {
    /// Whether the browser shows it itself (a PDF).
    pub fn is_pdf(&self) -> bool {
        self.mime == "application/pdf"
    }
}

/// An official document as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Id.
    pub id: DocumentId,
    /// The site that registered it.
    pub site_id: SiteId,
    /// URL slug, unique within the site: the document answers at `/van-ban/<slug>`.
    pub slug: String,
    /// Số/ký hiệu, as written on it.
    pub number: String,
    /// Trích yếu.
    pub summary: String,
    /// Loại văn bản.
    pub kind: Term,
    /// Cơ quan ban hành.
    pub issuer: Term,
    /// Người ký.
    pub signer: Option<Term>,
    /// Lĩnh vực.
    pub fields: Vec<Term>,
    /// Ngày ban hành, `YYYY-MM-DD`.
    pub issued_on: String,
    /// Ngày có hiệu lực, `YYYY-MM-DD`.
    pub effective_on: Option<String>,
    /// Ngày hết hiệu lực, `YYYY-MM-DD`.
    pub expires_on: Option<String>,
    /// The document this one replaces.
    pub replaces: Option<DocumentId>,
    /// Nội dung, sanitised.
    pub body: SafeHtml,
    /// Workflow status (the articles').
    pub status: ArticleStatus,
    /// Posting time (UTC seconds): when it is, or was, published.
    pub published_at: i64,
    /// Revision counter: a save names the one it started from.
    pub revision: i64,
    /// Who registered it.
    pub author_id: Option<i64>,
    /// Why an editor sent it back.
    pub reject_reason: String,
    /// Lượt xem, as last stored.
    pub views: i64,
    /// Lượt tải, as last stored.
    pub downloads: i64,
    /// Attached files, in order.
    pub files: Vec<DocumentFile>,
    /// Related documents (văn bản liên quan).
    pub related: Vec<DocumentId>,
    /// Created, UTC seconds.
    pub created_at: i64,
    /// Last saved, UTC seconds.
    pub updated_at: i64,
}

impl Document {
    /// Its public path.
    pub fn path(&self) -> String {
        document_path(&self.slug)
    }

    /// Whether readers see it at `now`.
    pub fn is_public(&self, now: i64) -> bool {
        self.status == ArticleStatus::Published && self.published_at <= now
    }
}

/// A narrowing of the public list that the search index answers with its words
/// filter: the document holds this term of a list, or was issued in this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListTag {
    /// Loại văn bản.
    Kind(i64),
    /// Cơ quan ban hành.
    Issuer(i64),
    /// Người ký.
    Signer(i64),
    /// One of its lĩnh vực.
    Field(i64),
    /// Năm ban hành.
    Year(i32),
}

impl ListTag {
    /// The tag as one term of the index ("loai:3", "nam:2025").
    pub fn term(self) -> String {
        match self {
            ListTag::Kind(id) => format!("loai:{id}"),
            ListTag::Issuer(id) => format!("co-quan:{id}"),
            ListTag::Signer(id) => format!("nguoi-ky:{id}"),
            ListTag::Field(id) => format!("linh-vuc:{id}"),
            ListTag::Year(y) => format!("nam:{y}"),
        }
    }
}

impl Document {
    /// Every tag of the document's list that it holds.
    pub fn list_tags(&self) -> Vec<ListTag> {
        let mut tags = vec![ListTag::Kind(self.kind.id), ListTag::Issuer(self.issuer.id)];
        tags.extend(self.signer.as_ref().map(|s| ListTag::Signer(s.id)));
        tags.extend(self.fields.iter().map(|f| ListTag::Field(f.id)));
        tags.extend(
            self.issued_on
                .get(..4)
                .and_then(|y| y.parse().ok())
                .map(ListTag::Year),
        );
        tags
    }
}

/// The public path of the document with `slug`.
pub fn document_path(slug: &str) -> String {
    format!("/van-ban/{slug}")
}

/// What the document form saves (without its files, which come apart).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentDraft {
    /// Số/ký hiệu, cleaned.
    pub number: String,
    /// Trích yếu, cleaned.
    pub summary: String,
    /// Loại văn bản (a term of the site's list; 0: none chosen).
    pub kind_id: i64,
    /// Cơ quan ban hành (0: none chosen).
    pub issuer_id: i64,
    /// Người ký.
    pub signer_id: Option<i64>,
    /// Lĩnh vực.
    pub field_ids: Vec<i64>,
    /// Ngày ban hành, as typed (dd/mm/yyyy).
    pub issued_on: String,
    /// Ngày có hiệu lực, as typed.
    pub effective_on: String,
    /// Ngày hết hiệu lực, as typed.
    pub expires_on: String,
    /// The document it replaces.
    pub replaces: Option<DocumentId>,
    /// Related documents.
    pub related: Vec<DocumentId>,
    /// Nội dung, sanitised.
    pub body: SafeHtml,
    /// Posting time typed ("dd/mm/yyyy HH:MM"; empty: now).
    pub publish_at: String,
}

/// A draft's dates, read: `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentDates {
    /// Ngày ban hành.
    pub issued_on: String,
    /// Ngày có hiệu lực.
    pub effective_on: Option<String>,
    /// Ngày hết hiệu lực.
    pub expires_on: Option<String>,
}

impl DocumentDraft {
    /// The slug: made from the number and the summary's first words, so that two
    /// documents with the same number ("01/KH-…" each year) differ.
    pub fn slug(&self) -> String {
        let words: Vec<&str> = self.summary.split_whitespace().take(12).collect();
        let mut slug = vntext::slugify(&format!("{} {}", self.number, words.join(" ")));
        slug.truncate(120);
        slug.trim_end_matches('-').to_owned()
    }

    /// Its dates read, and what is wrong with the draft, in Vietnamese.
    pub fn check(&self) -> (DocumentDates, Vec<String>) {
        let mut out = Vec::new();
        if self.number.is_empty() {
            out.push("Vui lòng nhập số/ký hiệu văn bản.".to_owned());
        } else if self.number.chars().count() > MAX_DOCUMENT_NUMBER_CHARS {
            out.push(format!(
                "Số/ký hiệu dài quá {MAX_DOCUMENT_NUMBER_CHARS} ký tự."
            ));
        }
        if self.summary.is_empty() {
            out.push("Vui lòng nhập trích yếu văn bản.".to_owned());
        } else if self.summary.chars().count() > MAX_DOCUMENT_SUMMARY_CHARS {
            out.push(format!(
                "Trích yếu dài quá {MAX_DOCUMENT_SUMMARY_CHARS} ký tự; hãy viết gọn lại."
            ));
        }
        if self.kind_id == 0 {
            out.push("Vui lòng chọn loại văn bản.".to_owned());
        }
        if self.issuer_id == 0 {
            out.push("Vui lòng chọn cơ quan ban hành.".to_owned());
        }
        let date = |typed: &str, label: &str, out: &mut Vec<String>| -> Option<String> {
            if typed.trim().is_empty() {
                return None;
            }
            let read = vntext::parse_typed_date(typed);
            if read.is_none() {
                out.push(format!(
                    "{label} “{}” không phải ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2026.",
                    typed.trim()
                ));
            }
            read
        };
        let issued = date(&self.issued_on, "Ngày ban hành", &mut out);
        if self.issued_on.trim().is_empty() {
            out.push("Vui lòng nhập ngày ban hành.".to_owned());
        }
        let effective = date(&self.effective_on, "Ngày có hiệu lực", &mut out);
        let expires = date(&self.expires_on, "Ngày hết hiệu lực", &mut out);
        let shown = |iso: &str| vntext::format_iso_date(iso).unwrap_or_else(|| iso.to_owned());
        if let (Some(i), Some(e)) = (&issued, &effective)
            && e < i
        {
            out.push(format!(
                "Ngày có hiệu lực ({}) không thể trước ngày ban hành ({}).",
                shown(e),
                shown(i)
            ));
        }
        if let Some(x) = &expires {
            if let Some(i) = &issued
                && x < i
            {
                out.push(format!(
                    "Ngày hết hiệu lực ({}) không thể trước ngày ban hành ({}).",
                    shown(x),
                    shown(i)
                ));
            }
            if let Some(e) = &effective
                && x < e
            {
                out.push(format!(
                    "Ngày hết hiệu lực ({}) không thể trước ngày có hiệu lực ({}).",
                    shown(x),
                    shown(e)
                ));
            }
        }
        if !self.publish_at.trim().is_empty()
            && vntext::parse_local_datetime_any(&self.publish_at).is_none()
        {
            out.push(format!(
                "Thời điểm đăng “{}” không hợp lệ; hãy nhập theo dạng 05/09/2026 07:30.",
                self.publish_at.trim()
            ));
        }
        if !self.number.is_empty() && !self.summary.is_empty() && self.slug().is_empty() {
            out.push("Số/ký hiệu và trích yếu cần có chữ hoặc số.".to_owned());
        }
        let dates = DocumentDates {
            issued_on: issued.unwrap_or_default(),
            effective_on: effective,
            expires_on: expires,
        };
        (dates, out)
    }
}

/// One saved version of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRevision {
    /// 1, 2, 3 … per document.
    pub number: i64,
    /// Số/ký hiệu.
    pub doc_number: String,
    /// Trích yếu.
    pub summary: String,
    /// Dates, as "ban hành … hiệu lực … hết hiệu lực …".
    pub dates: String,
    /// Nội dung.
    pub body: SafeHtml,
    /// The files attached then, one a line: "name (media path)".
    pub files: String,
    /// Who saved it (full name; empty when unknown).
    pub saved_by: String,
    /// When.
    pub saved_at: i64,
    /// What happened.
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_follows_the_dates() {
        let v = |today: &str| {
            validity(
                "2026-01-10",
                Some("2026-02-01"),
                Some("2026-12-31"),
                false,
                today,
            )
        };
        assert_eq!(v("2026-01-10"), Validity::NotYet);
        assert_eq!(v("2026-01-31"), Validity::NotYet);
        assert_eq!(v("2026-02-01"), Validity::InForce);
        assert_eq!(v("2026-12-30"), Validity::InForce);
        assert_eq!(v("2026-12-31"), Validity::Expired);
        assert_eq!(v("2030-01-01"), Validity::Expired);
        // No effect date: in force from the issue date; no expiry: for good.
        assert_eq!(
            validity("2026-01-10", None, None, false, "2026-01-09"),
            Validity::NotYet
        );
        assert_eq!(
            validity("2026-01-10", None, None, false, "2026-01-10"),
            Validity::InForce
        );
        assert_eq!(
            validity("2026-01-10", None, None, false, "2099-01-10"),
            Validity::InForce
        );
        // Replaced wins over the dates.
        assert_eq!(
            validity("2026-01-10", None, None, true, "2026-05-01"),
            Validity::Replaced
        );
        for s in Validity::ALL {
            assert_eq!(Validity::parse(s.as_str()), Some(s));
        }
    }

    fn draft() -> DocumentDraft {
        DocumentDraft {
            number: "15/2025/TT-BGDĐT".into(),
            summary: "Ban hành Quy định về dạy thêm, học thêm".into(),
            kind_id: 1,
            issuer_id: 2,
            issued_on: "30/12/2024".into(),
            ..DocumentDraft::default()
        }
    }

    #[test]
    fn the_date_rules_are_refused_in_vietnamese() {
        let (dates, problems) = draft().check();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(dates.issued_on, "2024-12-30");
        let d = DocumentDraft {
            effective_on: "29/12/2024".into(),
            ..draft()
        };
        assert_eq!(
            d.check().1,
            ["Ngày có hiệu lực (29/12/2024) không thể trước ngày ban hành (30/12/2024)."]
        );
        let d = DocumentDraft {
            effective_on: "14/02/2025".into(),
            expires_on: "01/02/2025".into(),
            ..draft()
        };
        assert_eq!(
            d.check().1,
            ["Ngày hết hiệu lực (01/02/2025) không thể trước ngày có hiệu lực (14/02/2025)."]
        );
        let d = DocumentDraft {
            expires_on: "01/12/2024".into(),
            ..draft()
        };
        assert_eq!(
            d.check().1,
            ["Ngày hết hiệu lực (01/12/2024) không thể trước ngày ban hành (30/12/2024)."]
        );
        let d = DocumentDraft {
            issued_on: "31/02/2025".into(),
            ..draft()
        };
        assert_eq!(d.check().1.len(), 1);
        assert!(d.check().1[0].starts_with("Ngày ban hành “31/02/2025”"));
        assert_eq!(DocumentDraft::default().check().1.len(), 5);
    }

    #[test]
    fn numbers_and_slugs() {
        assert_eq!(number_digits("15/2025/TT-BGDĐT"), "152025");
        assert_eq!(number_digits("29-NQ/TW"), "29");
        assert_eq!(
            draft().slug(),
            "15-2025-tt-bgddt-ban-hanh-quy-dinh-ve-day-them-hoc-them"
        );
        for l in TermList::ALL {
            assert_eq!(TermList::parse(l.as_str()), Some(l));
        }
    }
}
