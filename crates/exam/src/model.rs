//! What an exam session holds: its subjects and extra fields, the lookup rule, and the
//! candidates with their scores.

use jiff::civil::Date;

/// A score in hundredths of a point: 8,25 is `Score(825)`. Two bytes a mark keeps a
/// million candidates with nine subjects small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(pub u16);

impl Score {
    /// The score as a number of points.
    pub fn points(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// The score the Vietnamese way, without useless zeros: "8,25", "7,5", "10".
    pub fn to_vi(self) -> String {
        format_hundredths(u32::from(self.0))
    }
}

/// Hundredths of a point written the Vietnamese way: 825 as "8,25", 750 as "7,5".
pub fn format_hundredths(h: u32) -> String {
    let (whole, frac) = (h / 100, h % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole},{}", f / 10),
        f => format!("{whole},{f:02}"),
    }
}

/// A number the Vietnamese way with at most `decimals` decimals, trailing zeros dropped:
/// 6.75 as "6,75", 1234.5 as "1.234,5".
pub fn format_decimal_vi(v: f64, decimals: u32) -> String {
    let scale = 10f64.powi(decimals as i32);
    let scaled = (v.abs() * scale).round();
    let whole = (scaled / scale).trunc();
    let mut frac = format!(
        "{:0width$}",
        (scaled - whole * scale) as u64,
        width = decimals as usize
    );
    while frac.ends_with('0') {
        frac.pop();
    }
    let sign = if v < 0.0 && scaled > 0.0 { "-" } else { "" };
    let whole = vntext::format_number(whole as i64);
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole},{frac}")
    }
}

/// One subject of a session, with its own scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// A stable ASCII key ("toan", "van"), used in URLs and storage.
    pub key: String,
    /// The name readers see ("Toán", "Ngữ văn").
    pub name: String,
    /// The highest score (usually 10).
    pub max: f64,
    /// The smallest difference between two scores (0,25 for most papers).
    pub step: f64,
}

impl Subject {
    /// A subject marked 0–10 in steps of 0,25, the common case.
    pub fn new(key: &str, name: &str) -> Self {
        Subject {
            key: key.to_owned(),
            name: name.to_owned(),
            max: 10.0,
            step: 0.25,
        }
    }

    /// The highest score in hundredths.
    pub fn max_hundredths(&self) -> u32 {
        to_hundredths(self.max).unwrap_or(1000)
    }

    /// The step in hundredths (at least 1).
    pub fn step_hundredths(&self) -> u32 {
        to_hundredths(self.step).unwrap_or(1).max(1)
    }
}

/// `v` in hundredths when it is a whole number of hundredths in `0..=655.35`.
pub(crate) fn to_hundredths(v: f64) -> Option<u32> {
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let h = (v * 100.0).round();
    ((v * 100.0 - h).abs() < 1e-6 && h <= f64::from(u16::MAX - 1)).then_some(h as u32)
}

/// A column kept as text for the result card: school, class, priority points, total,
/// result, or anything else the department publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraField {
    /// A stable ASCII key: [`ExtraField::SCHOOL`] and the other known keys, or a slug.
    pub key: String,
    /// The label readers see ("Trường", "Tổng điểm").
    pub name: String,
}

impl ExtraField {
    /// Key of the school ("Trường").
    pub const SCHOOL: &'static str = "truong";
    /// Key of the class ("Lớp").
    pub const CLASS: &'static str = "lop";
    /// Key of the priority points ("Điểm ưu tiên").
    pub const PRIORITY: &'static str = "diem_uu_tien";
    /// Key of the total ("Tổng điểm").
    pub const TOTAL: &'static str = "tong_diem";
    /// Key of the result ("Kết quả").
    pub const RESULT: &'static str = "ket_qua";

    /// An extra field with the given key and label.
    pub fn new(key: &str, name: &str) -> Self {
        ExtraField {
            key: key.to_owned(),
            name: name.to_owned(),
        }
    }
}

/// What a visitor has to type to see a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LookupRule {
    /// The candidate number alone.
    SbdOnly,
    /// The candidate number and the date of birth: the default, since candidate numbers
    /// are sequential and easy to guess.
    #[default]
    SbdAndBirthDate,
}

/// The shape of one exam session's results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionSpec {
    /// The subjects, in the order of the result card.
    pub subjects: Vec<Subject>,
    /// The extra text fields, in the order of the result card.
    pub extras: Vec<ExtraField>,
    /// What a lookup needs.
    pub lookup: LookupRule,
}

impl SessionSpec {
    /// The index of the subject with this key.
    pub fn subject_index(&self, key: &str) -> Option<usize> {
        self.subjects.iter().position(|s| s.key == key)
    }

    /// The index of the extra field with this key.
    pub fn extra_index(&self, key: &str) -> Option<usize> {
        self.extras.iter().position(|e| e.key == key)
    }
}

/// One candidate's results, as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The candidate number (số báo danh), trimmed and upper-cased, leading zeros kept.
    pub sbd: String,
    /// The full name, NFC.
    pub name: String,
    /// The date of birth, when the file has one.
    pub birth_date: Option<Date>,
    /// One entry per subject of the session; `None` is absent (vắng), never zero.
    pub scores: Vec<Option<Score>>,
    /// One entry per extra field of the session; empty when the file has none.
    pub extras: Vec<String>,
}

/// A candidate number as the file or a visitor wrote it: NFC, no white space at all,
/// upper case; leading zeros stay.
pub fn normalize_sbd(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_whitespace() {
            out.extend(c.to_uppercase());
        }
    }
    if out.is_ascii() {
        out
    } else {
        vntext::nfc(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_written_the_vietnamese_way() {
        assert_eq!(Score(825).to_vi(), "8,25");
        assert_eq!(Score(750).to_vi(), "7,5");
        assert_eq!(Score(1000).to_vi(), "10");
        assert_eq!(Score(5).to_vi(), "0,05");
        assert_eq!(format_decimal_vi(6.746, 2), "6,75");
        assert_eq!(format_decimal_vi(1234.5, 2), "1.234,5");
        assert_eq!(format_decimal_vi(7.0, 2), "7");
        assert_eq!(to_hundredths(8.25), Some(825));
        assert_eq!(to_hundredths(7.333), None);
        assert_eq!(normalize_sbd(" ab 0123 "), "AB0123");
    }
}
