//! Citizens' questions (hỏi đáp): what an asker sends, the statuses a question
//! moves through in the office, the fields (lĩnh vực) and the rules of the form.

use crate::site::is_email;

/// A question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuestionId(pub i64);

impl std::fmt::Display for QuestionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a question is in the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionStatus {
    /// Received, nobody holds it yet.
    New,
    /// A person holds it and drafts the answer.
    Assigned,
    /// Answered, waiting for an editor's approval.
    Awaiting,
    /// The answer is approved and sent (public when the asker allowed it).
    Published,
    /// Closed without a public answer (forwarded, withdrawn).
    Closed,
    /// Spam: kept 30 days, then deleted.
    Spam,
}

impl QuestionStatus {
    /// Every status, in the inbox's order.
    pub const ALL: [QuestionStatus; 6] = [
        QuestionStatus::New,
        QuestionStatus::Assigned,
        QuestionStatus::Awaiting,
        QuestionStatus::Published,
        QuestionStatus::Closed,
        QuestionStatus::Spam,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::New => "new",
            QuestionStatus::Assigned => "assigned",
            QuestionStatus::Awaiting => "awaiting",
            QuestionStatus::Published => "published",
            QuestionStatus::Closed => "closed",
            QuestionStatus::Spam => "spam",
        }
    }

    /// The status of a stored name.
    pub fn parse(s: &str) -> Option<QuestionStatus> {
        QuestionStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// As the office reads it.
    pub fn label(self) -> &'static str {
        match self {
            QuestionStatus::New => "Mới",
            QuestionStatus::Assigned => "Đã giao",
            QuestionStatus::Awaiting => "Chờ duyệt trả lời",
            QuestionStatus::Published => "Đã trả lời",
            QuestionStatus::Closed => "Đã đóng",
            QuestionStatus::Spam => "Thư rác",
        }
    }

    /// As the asker reads it on the status page.
    pub fn public_label(self) -> &'static str {
        match self {
            QuestionStatus::New => "Đã tiếp nhận, đang chờ phân công",
            QuestionStatus::Assigned | QuestionStatus::Awaiting => "Đang xử lý",
            QuestionStatus::Published => "Đã trả lời",
            QuestionStatus::Closed | QuestionStatus::Spam => "Đã đóng",
        }
    }

    /// Still waits for an answer: it has a deadline that can pass.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            QuestionStatus::New | QuestionStatus::Assigned | QuestionStatus::Awaiting
        )
    }
}

/// The fields (lĩnh vực) a question is filed under: key and label.
pub const QUESTION_FIELDS: [(&str, &str); 8] = [
    ("tuyen-sinh", "Tuyển sinh"),
    ("hoc-phi", "Học phí, các khoản thu"),
    ("chuyen-truong", "Chuyển trường"),
    ("che-do-giao-vien", "Chế độ, tiền lương giáo viên"),
    ("chuong-trinh", "Chương trình, sách giáo khoa"),
    ("thi-cu", "Thi cử, văn bằng"),
    ("co-so-vat-chat", "Cơ sở vật chất"),
    ("khac", "Lĩnh vực khác"),
];

/// The label of a field key ("" for an unknown key).
pub fn question_field_label(key: &str) -> &'static str {
    QUESTION_FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, l)| l)
}

/// The forms of address an asker may choose ("Chị N.T.L.").
pub const SALUTATIONS: [&str; 5] = ["Anh", "Chị", "Ông", "Bà", "Em"];

/// The longest title, in characters.
pub const MAX_QUESTION_TITLE_CHARS: usize = 200;
/// The longest question, in characters.
pub const MAX_QUESTION_BODY_CHARS: usize = 5000;

/// What the public form sends, cleaned (NFC, single lines trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionDraft {
    /// Anh / Chị / … or empty.
    pub salutation: String,
    /// Họ tên.
    pub name: String,
    /// E-mail, lower case.
    pub email: String,
    /// Điện thoại (optional).
    pub phone: String,
    /// Địa chỉ (optional).
    pub address: String,
    /// Tiêu đề.
    pub title: String,
    /// Nội dung.
    pub body: String,
    /// Lĩnh vực key.
    pub field: String,
    /// The asker allows publishing with the name shortened.
    pub may_publish: bool,
}

impl QuestionDraft {
    /// What is wrong with the form, in Vietnamese, one message per mistake.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.is_empty() {
            out.push("Vui lòng nhập họ tên.".to_owned());
        } else if self.name.chars().count() > 100 {
            out.push("Họ tên dài quá 100 ký tự.".to_owned());
        }
        if self.email.is_empty() {
            out.push("Vui lòng nhập địa chỉ e-mail để nhận trả lời.".to_owned());
        } else if !is_email(&self.email) || self.email.len() > 200 {
            out.push(format!(
                "Địa chỉ e-mail “{}” chưa đúng (ví dụ đúng: ten@gmail.com).",
                self.email
            ));
        }
        if !self.phone.is_empty() {
            let digits = self.phone.chars().filter(char::is_ascii_digit).count();
            let allowed = self
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'));
            if !allowed || !(9..=12).contains(&digits) {
                out.push(format!(
                    "Số điện thoại “{}” chưa đúng (9 đến 12 chữ số).",
                    self.phone
                ));
            }
        }
        if self.address.chars().count() > 300 {
            out.push("Địa chỉ dài quá 300 ký tự.".to_owned());
        }
        if self.title.is_empty() {
            out.push("Vui lòng nhập tiêu đề câu hỏi.".to_owned());
        } else if self.title.chars().count() > MAX_QUESTION_TITLE_CHARS {
            out.push(format!("Tiêu đề dài quá {MAX_QUESTION_TITLE_CHARS} ký tự."));
        }
        if self.body.trim().is_empty() {
            out.push("Vui lòng nhập nội dung câu hỏi.".to_owned());
        } else if self.body.chars().count() > MAX_QUESTION_BODY_CHARS {
            out.push(format!(
                "Nội dung dài quá {} ký tự.",
                vntext::format_number(MAX_QUESTION_BODY_CHARS as i64)
            ));
        }
        if question_field_label(&self.field).is_empty() {
            out.push("Vui lòng chọn lĩnh vực của câu hỏi.".to_owned());
        }
        if !self.salutation.is_empty() && !SALUTATIONS.contains(&self.salutation.as_str()) {
            out.push("Danh xưng chưa đúng.".to_owned());
        }
        out
    }
}

/// The asker as the public list names them: initials only, with the form of
/// address and the commune or ward of the address when given
/// ("Chị N.T.L., phường Hòa Bình").
pub fn shortened_name(salutation: &str, name: &str, address: &str) -> String {
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(|c| c.to_uppercase().chain(std::iter::once('.')))
        .collect();
    let mut out = if salutation.is_empty() {
        initials
    } else {
        format!("{salutation} {initials}")
    };
    let place = address.split(',').map(str::trim).find(|part| {
        let lower = part.to_lowercase();
        ["phường", "xã", "thị trấn", "đặc khu"]
            .iter()
            .any(|p| lower.starts_with(p))
    });
    if let Some(place) = place {
        out.push_str(", ");
        out.push_str(place);
    }
    out
}

/// The letters of a tracking code: no 0/O, 1/I/L, so that it can be read aloud
/// and typed from paper.
const CODE_LETTERS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A tracking code ("HD-7K3M-9QXA") from random bytes.
pub fn tracking_code(random: [u8; 8]) -> String {
    let chars: Vec<char> = random
        .iter()
        .map(|b| CODE_LETTERS[usize::from(*b) % CODE_LETTERS.len()] as char)
        .collect();
    format!(
        "HD-{}-{}",
        chars[..4].iter().collect::<String>(),
        chars[4..].iter().collect::<String>()
    )
}

/// A tracking code as typed: upper case, spaces dropped, the dashes put back.
pub fn normalize_tracking_code(s: &str) -> String {
    let letters: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let letters = letters.strip_prefix("HD").unwrap_or(&letters);
    if letters.len() != 8 {
        return letters.to_owned();
    }
    format!("HD-{}-{}", &letters[..4], &letters[4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shortened() {
        assert_eq!(
            shortened_name(
                "Chị",
                "Nguyễn Thị Lan",
                "12 Lê Lợi, phường Hòa Bình, tỉnh Bình An"
            ),
            "Chị N.T.L., phường Hòa Bình"
        );
        assert_eq!(shortened_name("", "đỗ văn an", ""), "Đ.V.A.");
    }

    #[test]
    fn codes_read_back() {
        let code = tracking_code([0, 1, 2, 3, 250, 251, 252, 253]);
        assert!(code.starts_with("HD-"));
        assert_eq!(normalize_tracking_code(&code.to_lowercase()), code);
        assert_eq!(normalize_tracking_code(&code.replace('-', " ")), code);
    }

    #[test]
    fn the_form_says_what_is_missing() {
        let d = QuestionDraft::default();
        let p = d.problems();
        assert!(p.iter().any(|m| m.contains("họ tên")));
        assert!(p.iter().any(|m| m.contains("e-mail")));
        assert!(p.iter().any(|m| m.contains("tiêu đề")));
        assert!(p.iter().any(|m| m.contains("nội dung")));
        assert!(p.iter().any(|m| m.contains("lĩnh vực")));
        let ok = QuestionDraft {
            name: "Nguyễn Thị Lan".into(),
            email: "lan@example.vn".into(),
            phone: "0912 345 678".into(),
            title: "Hồ sơ tuyển sinh lớp 10".into(),
            body: "Xin hỏi hồ sơ gồm những gì?".into(),
            field: "tuyen-sinh".into(),
            ..QuestionDraft::default()
        };
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
    }
}
