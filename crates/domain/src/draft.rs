//! Drafts open for public comment ("Lấy ý kiến dự thảo", issue 14; Law on Access
//! to Information art. 17 and 19): a draft has a period for comment; while it is
//! open anyone may comment, on the whole draft or on one of its articles ("Điều
//! 1", "Điều 2" …, read from the body); comments wait for an editor, who
//! publishes, hides or answers them. After the period the office exports them and
//! attaches its summary report ("báo cáo tổng hợp ý kiến").

use crate::{ArticleStatus, SafeHtml, SiteId, UserId};

/// Longest draft title, in characters.
pub const MAX_DRAFT_TITLE_CHARS: usize = 300;
/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// A draft as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Id.
    pub id: i64,
    /// Its site.
    pub site: SiteId,
    /// Words of its address.
    pub slug: String,
    /// Title ("Dự thảo Quy định về dạy thêm, học thêm …").
    pub title: String,
    /// The draft's number ("Dự thảo lần 2", "…/2026/QĐ-UBND").
    pub number: String,
    /// What it is about, in a few lines.
    pub summary: String,
    /// The text, with its articles.
    pub body: SafeHtml,
    /// When comments open (UTC seconds).
    pub opens_at: i64,
    /// When comments close.
    pub closes_at: i64,
    /// Readers see it (its status is published).
    pub published: bool,
    /// Where it stands in the articles' workflow (`crate::next_status`).
    pub status: ArticleStatus,
    /// When it is (or was) published; a scheduled draft is published then.
    pub publish_at: i64,
    /// Who wrote it (none: the program, or an account since deleted).
    pub author: Option<UserId>,
    /// Why an editor sent it back.
    pub reject_reason: String,
    /// The summary of the comments, written after the period.
    pub report: SafeHtml,
    /// Revision, for saves.
    pub revision: i64,
    /// Last saved.
    pub updated_at: i64,
}

/// Where a draft's period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// "Chưa đến thời hạn".
    NotYet,
    /// "Đang lấy ý kiến", with the days left (the last day counts as one).
    Open {
        /// Days left, at least 1.
        days_left: i64,
    },
    /// "Hết hạn lấy ý kiến".
    Closed,
}

impl Period {
    /// What the public page says.
    pub fn label(self) -> String {
        match self {
            Period::NotYet => "Chưa đến thời hạn".to_owned(),
            Period::Open { days_left } => format!("Đang lấy ý kiến (còn {days_left} ngày)"),
            Period::Closed => "Hết hạn lấy ý kiến".to_owned(),
        }
    }

    /// A short key for styles and tests: `chua-mo`, `dang-mo`, `het-han`.
    pub fn key(self) -> &'static str {
        match self {
            Period::NotYet => "chua-mo",
            Period::Open { .. } => "dang-mo",
            Period::Closed => "het-han",
        }
    }
}

impl Draft {
    /// Its period at `now`.
    pub fn period(&self, now: i64) -> Period {
        if now < self.opens_at {
            Period::NotYet
        } else if now < self.closes_at {
            Period::Open {
                days_left: ((self.closes_at - now) + 86_399) / 86_400,
            }
        } else {
            Period::Closed
        }
    }

    /// Its page.
    pub fn path(&self) -> String {
        format!("/du-thao/{}", self.slug)
    }

    /// Its numbered articles.
    pub fn articles(&self) -> Vec<DraftArticle> {
        articles_of(&self.body)
    }
}

/// A numbered article of a draft ("Điều 3. Thời gian dạy thêm").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftArticle {
    /// Its number.
    pub number: i64,
    /// Its heading as written (at most 120 characters).
    pub heading: String,
}

/// A block of sanitised HTML (a paragraph, a heading, an item): where its
/// opening tag ends, and its text.
struct Block {
    open_end: Option<usize>,
    text: String,
}

const BLOCK_TAGS: [&str; 11] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "br",
    "div",
    "blockquote",
];

fn blocks(html: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current = Block {
        open_end: None,
        text: String::new(),
    };
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with('<')
            && let Some(j) = rest.find('>')
        {
            let tag = &rest[1..j];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if BLOCK_TAGS.contains(&name.as_str()) {
                let done = std::mem::replace(
                    &mut current,
                    Block {
                        open_end: (!closing && name != "br").then_some(i + j),
                        text: String::new(),
                    },
                );
                out.push(done);
            } else {
                current.text.push(' ');
            }
            i += j + 1;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        current.text.push(c);
        i += c.len_utf8();
    }
    out.push(current);
    for b in &mut out {
        b.text = vntext::clean_line(&crate::decode_entities(&b.text));
    }
    out
}

/// The articles of a text: each paragraph or heading that starts with "Điều" and
/// a number, in order, each number once.
pub fn articles_of(body: &SafeHtml) -> Vec<DraftArticle> {
    let mut out: Vec<DraftArticle> = Vec::new();
    for b in blocks(body.as_str()) {
        let Some(n) = article_number(&b.text) else {
            continue;
        };
        if out.iter().any(|a| a.number == n) {
            continue;
        }
        let heading: String = b.text.chars().take(120).collect();
        out.push(DraftArticle { number: n, heading });
    }
    out
}

/// The body with an anchor on each article (`id="dieu-3"`), so that a comment's
/// link leads to it.
pub fn anchored(body: &SafeHtml) -> String {
    let html = body.as_str();
    let mut seen = Vec::new();
    let mut at: Vec<(usize, i64)> = Vec::new();
    for b in blocks(html) {
        if let (Some(end), Some(n)) = (b.open_end, article_number(&b.text))
            && !seen.contains(&n)
        {
            seen.push(n);
            at.push((end, n));
        }
    }
    let mut out = html.to_owned();
    for (end, n) in at.into_iter().rev() {
        out.insert_str(end, &format!(" id=\"dieu-{n}\""));
    }
    out
}

/// The number of a line that starts an article ("Điều 12." → 12).
pub fn article_number(line: &str) -> Option<i64> {
    let rest = line.trim_start().strip_prefix("Điều")?;
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let after = rest[digits.len()..].chars().next();
    if after.is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    digits.parse().ok()
}

/// A draft as the back office sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftInput {
    /// Title.
    pub title: String,
    /// Number.
    pub number: String,
    /// Summary.
    pub summary: String,
    /// Body, sanitised.
    pub body: SafeHtml,
    /// Opening.
    pub opens_at: i64,
    /// Closing.
    pub closes_at: i64,
    /// Its status after the save (`crate::next_status`).
    pub status: ArticleStatus,
    /// When it is published (a time ahead with `Scheduled`).
    pub publish_at: i64,
    /// Why an editor sent it back (with `Rejected`).
    pub reject_reason: String,
}

impl DraftInput {
    /// Readers see it once saved.
    pub fn published(&self) -> bool {
        self.status == ArticleStatus::Published
    }

    /// What is wrong with it, in Vietnamese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.is_empty() {
            out.push("Vui lòng nhập tên dự thảo.".to_owned());
        } else if self.title.chars().count() > MAX_DRAFT_TITLE_CHARS {
            out.push(format!(
                "Tên dự thảo dài quá {MAX_DRAFT_TITLE_CHARS} ký tự; hãy viết gọn lại."
            ));
        }
        if self.closes_at <= self.opens_at {
            out.push("Ngày kết thúc lấy ý kiến phải sau ngày bắt đầu.".to_owned());
        }
        out
    }

    /// Its slug, from the title.
    pub fn slug(&self) -> String {
        let mut s = vntext::slugify(&self.title);
        if s.len() > 90 {
            let cut = s[..90].rfind('-').unwrap_or(90);
            s.truncate(cut);
        }
        s
    }
}

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStatus {
    /// Waiting for an editor.
    Pending,
    /// Shown under the draft.
    Published,
    /// Kept but not shown.
    Hidden,
}

impl CommentStatus {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Pending => "cho-duyet",
            CommentStatus::Published => "da-dang",
            CommentStatus::Hidden => "da-an",
        }
    }

    /// The status of a stored value.
    pub fn parse(s: &str) -> Option<CommentStatus> {
        [
            CommentStatus::Pending,
            CommentStatus::Published,
            CommentStatus::Hidden,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    /// As the back office shows it.
    pub fn label(self) -> &'static str {
        match self {
            CommentStatus::Pending => "Chờ duyệt",
            CommentStatus::Published => "Đã đăng",
            CommentStatus::Hidden => "Đã ẩn",
        }
    }
}

/// A reader's comment.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftComment {
    /// Id.
    pub id: i64,
    /// The draft.
    pub draft: i64,
    /// The article commented on; none: the whole draft.
    pub article: Option<i64>,
    /// Who.
    pub name: String,
    /// Their e-mail address (never shown to readers).
    pub email: String,
    /// Their organisation, if any.
    pub organisation: String,
    /// The comment, plain text.
    pub body: String,
    /// Status.
    pub status: CommentStatus,
    /// The editor's answer (plain text; empty: none).
    pub answer: String,
    /// When it was answered.
    pub answered_at: Option<i64>,
    /// When it was sent.
    pub created_at: i64,
}

/// A comment as a reader sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewComment {
    /// Name (one line, NFC).
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Organisation.
    pub organisation: String,
    /// Text (NFC).
    pub body: String,
    /// The article; none: the whole draft.
    pub article: Option<i64>,
}

impl NewComment {
    /// What is wrong with it, given the draft's articles, in Vietnamese.
    pub fn problems(&self, articles: &[DraftArticle]) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.is_empty() {
            out.push("Vui lòng nhập họ và tên.".to_owned());
        } else if self.name.chars().count() > 120 {
            out.push("Họ và tên dài quá 120 ký tự.".to_owned());
        }
        if self.email.is_empty() {
            out.push("Vui lòng nhập địa chỉ thư điện tử.".to_owned());
        } else if !crate::is_email(&self.email) {
            out.push(format!(
                "Địa chỉ thư điện tử “{}” không hợp lệ; ví dụ: ten@example.vn.",
                self.email
            ));
        }
        if self.organisation.chars().count() > 200 {
            out.push("Tên cơ quan, tổ chức dài quá 200 ký tự.".to_owned());
        }
        if self.body.trim().is_empty() {
            out.push("Vui lòng nhập nội dung góp ý.".to_owned());
        } else if self.body.chars().count() > MAX_COMMENT_CHARS {
            out.push(format!(
                "Nội dung góp ý dài quá {} ký tự; hãy viết gọn lại hoặc gửi thành nhiều góp ý.",
                vntext::format_number(MAX_COMMENT_CHARS as i64)
            ));
        }
        if let Some(n) = self.article
            && !articles.iter().any(|a| a.number == n)
        {
            out.push(format!(
                "Dự thảo không có Điều {n}; hãy chọn lại điều góp ý."
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_read_from_the_body() {
        let body = SafeHtml::sanitize(
            "<h2>Chương I</h2><p><strong>Điều 1.</strong> Phạm vi điều chỉnh</p>\
             <p>Theo Điều 3 của Luật…</p><h3>Điều 2: Đối tượng áp dụng</h3>\
             <p>Điều 2a không phải</p><p>Điều 10. Hiệu lực</p>",
        );
        let a = articles_of(&body);
        let numbers: Vec<i64> = a.iter().map(|a| a.number).collect();
        assert_eq!(numbers, vec![1, 2, 10]);
        assert_eq!(a[0].heading, "Điều 1. Phạm vi điều chỉnh");
        let html = anchored(&body);
        assert!(html.contains("<p id=\"dieu-1\"><strong>Điều 1."), "{html}");
        assert!(html.contains("<h3 id=\"dieu-2\">Điều 2:"), "{html}");
        assert!(html.contains("<p id=\"dieu-10\">Điều 10."), "{html}");
    }

    #[test]
    fn the_period_reads_as_the_page_says() {
        let d = Draft {
            id: 1,
            site: SiteId(1),
            slug: "x".into(),
            title: "X".into(),
            number: String::new(),
            summary: String::new(),
            body: SafeHtml::default(),
            opens_at: 1000,
            closes_at: 1000 + 10 * 86_400,
            published: true,
            status: ArticleStatus::Published,
            publish_at: 0,
            author: None,
            reject_reason: String::new(),
            report: SafeHtml::default(),
            revision: 1,
            updated_at: 0,
        };
        assert_eq!(d.period(999), Period::NotYet);
        assert_eq!(d.period(1000), Period::Open { days_left: 10 });
        assert_eq!(
            d.period(1000 + 9 * 86_400 + 1),
            Period::Open { days_left: 1 }
        );
        assert_eq!(d.period(1000 + 10 * 86_400), Period::Closed);
        assert_eq!(Period::Closed.label(), "Hết hạn lấy ý kiến");
    }
}
