//! The names Vietnamese result files give their columns, folded (no tone marks, lower
//! case, words separated by single spaces) so that "Hoá học", "Hóa học" and "HOA HOC"
//! are one header.

/// A header cell in comparable form: tone marks and case folded, text in parentheses
/// dropped ("Ngày sinh (dd/mm/yyyy)"), punctuation turned into spaces, one space
/// between words.
pub(crate) fn header_key(s: &str) -> String {
    let folded = vntext::fold_lower(s);
    let mut out = String::with_capacity(folded.len());
    let mut depth = 0u32;
    let mut space = false;
    for c in folded.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
            _ => space = true,
        }
    }
    out
}

/// Folded names of the candidate number column.
pub(crate) const SBD: &[&str] = &[
    "sbd",
    "so bao danh",
    "sbd thi sinh",
    "so bao danh thi sinh",
    "so bd",
    "s b d",
    "ma thi sinh",
];

/// Folded names of a full-name column.
pub(crate) const FULL_NAME: &[&str] = &[
    "ho va ten",
    "ho ten",
    "ho va ten thi sinh",
    "ho ten thi sinh",
    "ho va ten hoc sinh",
    "ho ten hoc sinh",
    "ten thi sinh",
    "thi sinh",
];

/// Folded names of the family-name column when the name is in two columns.
pub(crate) const FAMILY_NAME: &[&str] = &[
    "ho",
    "ho dem",
    "ho va dem",
    "ho va ten dem",
    "ho lot",
    "ho va chu dem",
];

/// Folded names of the given-name column when the name is in two columns.
pub(crate) const GIVEN_NAME: &[&str] = &["ten"];

/// Folded names of the date-of-birth column.
pub(crate) const BIRTH_DATE: &[&str] = &[
    "ngay sinh",
    "ngay thang nam sinh",
    "ngay sinh thi sinh",
    "sinh ngay",
    "ns",
];

/// Columns every export has and nobody publishes: the row number.
pub(crate) const IGNORED: &[&str] = &["stt", "tt", "so tt", "so thu tu", "ghi chu"];

/// A subject everyone knows, with the names files give it.
pub(crate) struct KnownSubject {
    pub key: &'static str,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

/// The subjects of Vietnamese exams, with their common names and abbreviations.
pub(crate) const SUBJECTS: &[KnownSubject] = &[
    KnownSubject {
        key: "toan",
        name: "Toán",
        aliases: &["toan", "toan hoc"],
    },
    KnownSubject {
        key: "van",
        name: "Ngữ văn",
        aliases: &["ngu van", "van", "van hoc", "tieng viet"],
    },
    KnownSubject {
        key: "anh",
        name: "Tiếng Anh",
        aliases: &["tieng anh", "anh", "anh van", "ngoai ngu", "nn", "ta"],
    },
    KnownSubject {
        key: "ly",
        name: "Vật lí",
        aliases: &["vat li", "vat ly", "li", "ly"],
    },
    KnownSubject {
        key: "hoa",
        name: "Hóa học",
        aliases: &["hoa hoc", "hoa"],
    },
    KnownSubject {
        key: "sinh",
        name: "Sinh học",
        aliases: &["sinh hoc", "sinh"],
    },
    KnownSubject {
        key: "su",
        name: "Lịch sử",
        aliases: &["lich su", "su"],
    },
    KnownSubject {
        key: "dia",
        name: "Địa lí",
        aliases: &["dia li", "dia ly", "dia"],
    },
    KnownSubject {
        key: "gdcd",
        name: "Giáo dục công dân",
        aliases: &["gdcd", "giao duc cong dan", "gd cong dan"],
    },
    KnownSubject {
        key: "ktpl",
        name: "Giáo dục kinh tế và pháp luật",
        aliases: &[
            "giao duc kinh te va phap luat",
            "gd kinh te va phap luat",
            "kinh te va phap luat",
            "kinh te phap luat",
            "gdktpl",
            "ktpl",
        ],
    },
    KnownSubject {
        key: "tin",
        name: "Tin học",
        aliases: &["tin hoc", "tin"],
    },
    KnownSubject {
        key: "cong_nghe",
        name: "Công nghệ",
        aliases: &["cong nghe", "cn"],
    },
    KnownSubject {
        key: "phap",
        name: "Tiếng Pháp",
        aliases: &["tieng phap", "phap"],
    },
    KnownSubject {
        key: "trung",
        name: "Tiếng Trung",
        aliases: &["tieng trung", "trung", "tieng trung quoc"],
    },
    KnownSubject {
        key: "nhat",
        name: "Tiếng Nhật",
        aliases: &["tieng nhat", "nhat"],
    },
    KnownSubject {
        key: "han",
        name: "Tiếng Hàn",
        aliases: &["tieng han", "han"],
    },
    KnownSubject {
        key: "nga",
        name: "Tiếng Nga",
        aliases: &["tieng nga", "nga"],
    },
    KnownSubject {
        key: "duc",
        name: "Tiếng Đức",
        aliases: &["tieng duc", "duc"],
    },
    KnownSubject {
        key: "chuyen",
        name: "Môn chuyên",
        aliases: &["mon chuyen", "chuyen"],
    },
];

/// An extra field everyone knows, with the names files give it.
pub(crate) struct KnownExtra {
    pub key: &'static str,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

/// Extra fields of Vietnamese result files.
pub(crate) const EXTRAS: &[KnownExtra] = &[
    KnownExtra {
        key: "truong",
        name: "Trường",
        aliases: &[
            "truong",
            "ten truong",
            "truong hoc",
            "truong thcs",
            "truong thpt",
            "hoc sinh truong",
            "don vi",
            "don vi dkdt",
        ],
    },
    KnownExtra {
        key: "lop",
        name: "Lớp",
        aliases: &["lop", "lop hoc"],
    },
    KnownExtra {
        key: "diem_uu_tien",
        name: "Điểm ưu tiên",
        aliases: &[
            "diem uu tien",
            "uu tien",
            "diem ut",
            "dut",
            "diem uu tien khuyen khich",
        ],
    },
    KnownExtra {
        key: "diem_khuyen_khich",
        name: "Điểm khuyến khích",
        aliases: &["diem khuyen khich", "khuyen khich", "diem kk"],
    },
    KnownExtra {
        key: "tong_diem",
        name: "Tổng điểm",
        aliases: &[
            "tong diem",
            "tong",
            "tong diem thi",
            "diem xet tuyen",
            "tong diem xet tuyen",
        ],
    },
    KnownExtra {
        key: "ket_qua",
        name: "Kết quả",
        aliases: &["ket qua", "ket qua thi", "ket qua xet tuyen", "do truot"],
    },
    KnownExtra {
        key: "xep_giai",
        name: "Giải",
        aliases: &["giai", "xep giai", "dat giai"],
    },
    KnownExtra {
        key: "phong_thi",
        name: "Phòng thi",
        aliases: &["phong thi", "phong"],
    },
    KnownExtra {
        key: "hoi_dong_thi",
        name: "Hội đồng thi",
        aliases: &["hoi dong thi", "hoi dong", "diem thi"],
    },
    KnownExtra {
        key: "gioi_tinh",
        name: "Giới tính",
        aliases: &["gioi tinh", "gt", "nam nu"],
    },
    KnownExtra {
        key: "noi_sinh",
        name: "Nơi sinh",
        aliases: &["noi sinh"],
    },
];

/// The subject name in a header without the words around it: "Điểm Toán" and
/// "Môn Toán" are "toan".
pub(crate) fn strip_score_prefix(key: &str) -> &str {
    for prefix in ["diem thi mon ", "diem thi ", "diem mon ", "diem ", "mon "] {
        if let Some(rest) = key.strip_prefix(prefix) {
            return rest;
        }
    }
    key
}

/// The known subject a folded header names.
pub(crate) fn known_subject(key: &str) -> Option<&'static KnownSubject> {
    let bare = strip_score_prefix(key);
    SUBJECTS
        .iter()
        .find(|s| s.aliases.contains(&key) || s.aliases.contains(&bare))
}

/// The known extra field a folded header names.
pub(crate) fn known_extra(key: &str) -> Option<&'static KnownExtra> {
    EXTRAS.iter().find(|e| e.aliases.contains(&key))
}

/// Whether a cell reads like the header of some column we know: used to find the
/// header row below a title.
pub(crate) fn looks_like_header(cell: &str) -> bool {
    let key = header_key(cell);
    if key.is_empty() {
        return false;
    }
    let k = key.as_str();
    SBD.contains(&k)
        || FULL_NAME.contains(&k)
        || FAMILY_NAME.contains(&k)
        || GIVEN_NAME.contains(&k)
        || BIRTH_DATE.contains(&k)
        || IGNORED.contains(&k)
        || known_subject(k).is_some()
        || known_extra(k).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_fold_marks_case_and_noise() {
        assert_eq!(header_key("Số báo danh"), "so bao danh");
        assert_eq!(header_key("  HOÁ  HỌC "), "hoa hoc");
        assert_eq!(header_key("Ngày sinh (dd/mm/yyyy)"), "ngay sinh");
        assert_eq!(header_key("Họ và tên\nthí sinh"), "ho va ten thi sinh");
        assert_eq!(header_key("Điểm Toán"), "diem toan");
        assert_eq!(known_subject("diem toan").map(|s| s.key), Some("toan"));
        assert_eq!(known_subject("vat ly").map(|s| s.key), Some("ly"));
        assert!(looks_like_header("Số BD"));
        assert!(!looks_like_header("Nguyễn Văn An"));
    }
}
