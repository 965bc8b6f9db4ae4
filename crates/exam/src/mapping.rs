//! Which column of the file is which field of the session.

use crate::aliases::{self, header_key};
use crate::model::{ExtraField, LookupRule, SessionSpec, Subject};
use crate::table::{CellValue, Table};

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The candidate number.
    Sbd,
    /// The whole name in one column.
    FullName,
    /// The family and middle names, when the name is in two columns.
    FamilyName,
    /// The given name, when the name is in two columns.
    GivenName,
    /// The date of birth.
    BirthDate,
    /// The score of the session's subject with this index.
    Subject(usize),
    /// The session's extra field with this index.
    Extra(usize),
}

impl Target {
    /// The field's name as the admin reads it.
    pub fn label(&self, spec: &SessionSpec) -> String {
        match *self {
            Target::Sbd => "Số báo danh".to_owned(),
            Target::FullName => "Họ và tên".to_owned(),
            Target::FamilyName => "Họ và tên đệm".to_owned(),
            Target::GivenName => "Tên".to_owned(),
            Target::BirthDate => "Ngày sinh".to_owned(),
            Target::Subject(i) => spec
                .subjects
                .get(i)
                .map_or_else(|| "Môn ?".to_owned(), |s| format!("Điểm {}", s.name)),
            Target::Extra(i) => spec
                .extras
                .get(i)
                .map_or_else(|| "?".to_owned(), |e| e.name.clone()),
        }
    }
}

/// One column of the file and what it fills.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMapping {
    /// The column, 0-based (A is 0).
    pub column: usize,
    /// Its header as written in the file.
    pub header: String,
    /// The field it fills; `None` when the column is left out.
    pub target: Option<Target>,
}

impl ColumnMapping {
    /// The column's letter as Excel shows it: A … Z, AA …
    pub fn letter(&self) -> String {
        column_letter(self.column)
    }
}

/// Excel's name of a 0-based column: 0 is "A", 26 is "AA".
pub fn column_letter(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The columns of a file against the fields of a session, for the import and for the
/// admin's preview.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    /// Every column of the header row, in order.
    pub columns: Vec<ColumnMapping>,
}

impl Mapping {
    /// The column that fills `target`.
    pub fn column_of(&self, target: Target) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.target == Some(target))
            .map(|c| c.column)
    }

    /// Columns with a header that fill nothing (shown to the admin as left out).
    pub fn unmapped(&self) -> Vec<&ColumnMapping> {
        self.columns
            .iter()
            .filter(|c| c.target.is_none() && !c.header.is_empty())
            .collect()
    }

    /// The mapping as the preview shows it: column letter, header, field (or
    /// "(không dùng)").
    pub fn describe(&self, spec: &SessionSpec) -> Vec<(String, String, String)> {
        self.columns
            .iter()
            .filter(|c| c.target.is_some() || !c.header.is_empty())
            .map(|c| {
                let field = c
                    .target
                    .map_or_else(|| "(không dùng)".to_owned(), |t| t.label(spec));
                (c.letter(), c.header.clone(), field)
            })
            .collect()
    }

    /// Points a column at a field by hand (the admin's correction); whichever column
    /// filled that field before is left out.
    pub fn assign(&mut self, column: usize, target: Option<Target>) {
        if let Some(t) = target {
            for c in &mut self.columns {
                if c.target == Some(t) {
                    c.target = None;
                }
            }
        }
        if let Some(c) = self.columns.iter_mut().find(|c| c.column == column) {
            c.target = target;
        }
    }

    /// What the import needs and the file lacks, in Vietnamese: an import cannot start
    /// while this is not empty.
    pub fn missing(&self, spec: &SessionSpec) -> Vec<String> {
        let mut out = Vec::new();
        if self.column_of(Target::Sbd).is_none() {
            out.push("Không tìm thấy cột Số báo danh".to_owned());
        }
        let full = self.column_of(Target::FullName).is_some();
        let split = self.column_of(Target::FamilyName).is_some()
            && self.column_of(Target::GivenName).is_some();
        if !full && !split {
            out.push("Không tìm thấy cột Họ và tên".to_owned());
        }
        if spec.lookup == LookupRule::SbdAndBirthDate && self.column_of(Target::BirthDate).is_none()
        {
            out.push(
                "Không tìm thấy cột Ngày sinh (kỳ thi này tra cứu bằng số báo danh và ngày sinh)"
                    .to_owned(),
            );
        }
        for (i, s) in spec.subjects.iter().enumerate() {
            if self.column_of(Target::Subject(i)).is_none() {
                out.push(format!("Không tìm thấy cột điểm môn {}", s.name));
            }
        }
        out
    }
}

/// Whether a folded header names this subject of the session.
fn names_subject(key: &str, subject: &Subject) -> bool {
    let own = header_key(&subject.name);
    let bare = aliases::strip_score_prefix(key);
    if key == own || bare == own || bare == subject.key.replace('_', " ") {
        return true;
    }
    match aliases::known_subject(key) {
        Some(known) => {
            known.key == subject.key
                || aliases::known_subject(&own).is_some_and(|k| k.key == known.key)
        }
        None => false,
    }
}

/// Whether a folded header names this extra field of the session.
fn names_extra(key: &str, extra: &ExtraField) -> bool {
    let own = header_key(&extra.name);
    if key == own {
        return true;
    }
    match aliases::known_extra(key) {
        Some(known) => {
            known.key == extra.key || aliases::known_extra(&own).is_some_and(|k| k.key == known.key)
        }
        None => false,
    }
}

fn guess(key: &str, spec: &SessionSpec) -> Option<Target> {
    if key.is_empty() || aliases::IGNORED.contains(&key) {
        return None;
    }
    if aliases::SBD.contains(&key) {
        return Some(Target::Sbd);
    }
    if aliases::FULL_NAME.contains(&key) {
        return Some(Target::FullName);
    }
    if aliases::FAMILY_NAME.contains(&key) {
        return Some(Target::FamilyName);
    }
    if aliases::GIVEN_NAME.contains(&key) {
        return Some(Target::GivenName);
    }
    if aliases::BIRTH_DATE.contains(&key) {
        return Some(Target::BirthDate);
    }
    if let Some(i) = spec.subjects.iter().position(|s| names_subject(key, s)) {
        return Some(Target::Subject(i));
    }
    if let Some(i) = spec.extras.iter().position(|e| names_extra(key, e)) {
        return Some(Target::Extra(i));
    }
    None
}

/// Maps the file's headers to the session's fields: Vietnamese names with or without
/// tone marks, in any case, common abbreviations ("Lý", "GDCD", "Ngoại ngữ"), "Điểm …"
/// before a subject, the name in one column or two ("Họ" and "Tên", or "Họ và tên"
/// merged over two columns). Each field takes the first column that names it.
pub fn map_headers(table: &Table, spec: &SessionSpec) -> Mapping {
    let headers = table.headers();
    let mut columns: Vec<ColumnMapping> = Vec::with_capacity(headers.len());
    for (column, header) in headers.iter().enumerate() {
        let mut target = guess(&header_key(header), spec);
        if target.is_some() && columns.iter().any(|c| c.target == target) {
            target = None;
        }
        columns.push(ColumnMapping {
            column,
            header: header.clone(),
            target,
        });
    }
    // "Họ và tên" merged over two columns: family names under it, given names in the
    // column with no header of its own.
    if let Some(i) = columns
        .iter()
        .position(|c| c.target == Some(Target::FullName))
        && let Some(next) = columns.get(i + 1)
        && next.header.is_empty()
        && !columns
            .iter()
            .any(|c| matches!(c.target, Some(Target::FamilyName | Target::GivenName)))
        && table.preview(5).iter().any(|r| !r.get(i + 1).is_blank())
    {
        columns[i].target = Some(Target::FamilyName);
        columns[i + 1].target = Some(Target::GivenName);
    }
    let mut mapping = Mapping { columns };
    // "Tên" alone, or "Họ" alone, is the whole name.
    let family = mapping.column_of(Target::FamilyName);
    let given = mapping.column_of(Target::GivenName);
    if mapping.column_of(Target::FullName).is_none() {
        match (family, given) {
            (Some(col), None) | (None, Some(col)) => {
                mapping.assign(col, Some(Target::FullName));
            }
            _ => {}
        }
    }
    mapping
}

/// Whether most of a column's first values are scores (numbers or absent marks).
fn looks_like_scores(table: &Table, column: usize) -> bool {
    let (mut numbers, mut other) = (0, 0);
    for row in table.preview(50) {
        match row.get(column) {
            CellValue::Number(_) => numbers += 1,
            CellValue::Text(t) if vntext::parse_decimal(t).is_some() => numbers += 1,
            CellValue::Text(t) if crate::parse::is_absent_mark(t) => {}
            CellValue::Empty => {}
            _ => other += 1,
        }
    }
    numbers > 0 && numbers >= other * 4
}

/// A session's fields read off a file's headers, for a new session: every subject it
/// names (known subjects under their usual name; any other column of scores under
/// its header), the extra fields it has (school, class, priority points, total,
/// result …), and the lookup rule: date of birth as well when the file has it.
/// Scales start at 0–10 in steps of 0,25; the admin corrects them.
pub fn spec_from_headers(table: &Table) -> SessionSpec {
    let mut spec = SessionSpec::default();
    let mut has_birth = false;
    for (column, header) in table.headers().iter().enumerate() {
        let key = header_key(header);
        if key.is_empty() || aliases::IGNORED.contains(&key.as_str()) {
            continue;
        }
        let k = key.as_str();
        if aliases::BIRTH_DATE.contains(&k) {
            has_birth = true;
            continue;
        }
        if aliases::SBD.contains(&k)
            || aliases::FULL_NAME.contains(&k)
            || aliases::FAMILY_NAME.contains(&k)
            || aliases::GIVEN_NAME.contains(&k)
        {
            continue;
        }
        if let Some(known) = aliases::known_subject(k) {
            if spec.subject_index(known.key).is_none() {
                spec.subjects.push(Subject::new(known.key, known.name));
            }
        } else if let Some(known) = aliases::known_extra(k) {
            if spec.extra_index(known.key).is_none() {
                spec.extras.push(ExtraField::new(known.key, known.name));
            }
        } else if looks_like_scores(table, column) {
            let name = strip_score_word(header);
            let key = unique_key(&vntext::slugify(&name).replace('-', "_"), &spec);
            spec.subjects.push(Subject::new(&key, &name));
        } else {
            let key = unique_key(&vntext::slugify(header).replace('-', "_"), &spec);
            spec.extras.push(ExtraField::new(&key, header));
        }
    }
    spec.lookup = if has_birth {
        LookupRule::SbdAndBirthDate
    } else {
        LookupRule::SbdOnly
    };
    spec
}

/// "Điểm Tiếng Khmer" is the subject "Tiếng Khmer".
fn strip_score_word(header: &str) -> String {
    let words: Vec<&str> = header.split_whitespace().collect();
    if words.len() > 1 && vntext::fold_lower(words[0]) == "diem" {
        words[1..].join(" ")
    } else {
        header.to_owned()
    }
}

fn unique_key(base: &str, spec: &SessionSpec) -> String {
    let base = if base.is_empty() { "cot" } else { base };
    let taken = |k: &str| spec.subject_index(k).is_some() || spec.extra_index(k).is_some();
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken(k))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
