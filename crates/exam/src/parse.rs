//! Rows into candidates, every bad row reported.

use crate::mapping::{Mapping, Target};
use crate::model::{Candidate, LookupRule, Score, SessionSpec, Subject, format_hundredths};
use crate::table::{CellValue, Row, Table, plain_number};
use jiff::civil::Date;

/// How many problems one import lists before it only counts the rest: a file with a
/// wrong column can have a million, and nobody reads past the first few hundred.
pub const MAX_REPORTED_ERRORS: usize = 2000;

/// A problem with one row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line as the user sees it in Excel (the header's line for a missing column).
    pub line: u32,
    /// The row's candidate number, when it has one.
    pub sbd: String,
    /// What is wrong, in Vietnamese.
    pub reason_vi: String,
}

/// Whether a cell says the candidate was absent: "V", "Vắng", "vắng thi", "VT", "-".
pub fn is_absent_mark(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return true;
    }
    if t.len() > 16 {
        return false;
    }
    matches!(
        vntext::fold_lower(t).as_str(),
        "v" | "vang" | "vang thi" | "vt" | "-" | "--"
    )
}

/// A cell's text as quoted back in a message: trimmed, at most 30 characters.
fn shown(t: &str) -> String {
    let t = t.trim();
    match t.char_indices().nth(30) {
        Some((cut, _)) => format!("{}…", &t[..cut]),
        None => t.to_owned(),
    }
}

/// Why a cell cannot be read whatever the field: a formula without a saved value (it
/// is unknown, never absent), or a spreadsheet error value.
fn unusable(cell: CellValue<'_>) -> Option<String> {
    match cell {
        CellValue::Formula => {
            Some("ô công thức chưa có giá trị; hãy mở và lưu lại tệp trong Excel".to_owned())
        }
        CellValue::Error(code) => Some(format!(
            "ô có lỗi công thức {}; hãy sửa công thức trong Excel",
            shown(code)
        )),
        _ => None,
    }
}

/// Characters no field may hold: control characters (NUL and the like; tabs and line
/// breaks are judged apart) and the invisible marks that turn the direction of text.
fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text for a label the import keeps as it is (a header become a subject's name, a
/// file's name): forbidden characters dropped, white space folded, at most `max`
/// characters.
pub fn clean_label(raw: &str, max: usize) -> String {
    let kept: String = raw.chars().filter(|&c| !is_forbidden_char(c)).collect();
    let clean = vntext::clean_line(&kept);
    match clean.char_indices().nth(max) {
        Some((cut, _)) => clean[..cut].trim_end().to_owned(),
        None => clean,
    }
}

/// The longest name kept, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest text of an extra field (school, class, note …), in characters.
pub const MAX_EXTRA_CHARS: usize = 200;
/// The longest candidate number cell, date cell or score cell, in characters.
const MAX_SHORT_CHARS: usize = 40;

/// A field's limits.
#[derive(Clone, Copy)]
struct FieldRule {
    max_chars: usize,
    /// Whether a line break is a bad row (every field but the extras of a
    /// spreadsheet, where Alt+Enter is ordinary and folds into a space).
    single_line: bool,
}

/// Checks a cell against its field's limits: the problem, in Vietnamese, if any.
fn field_problem(
    cell: CellValue<'_>,
    field: &str,
    rule: FieldRule,
    kind: crate::table::FileKind,
) -> Option<String> {
    if let Some(why) = unusable(cell) {
        return Some(format!("{field}: {why}"));
    }
    let CellValue::Text(t) = cell else {
        return None;
    };
    if let Some(c) = t.chars().find(|&c| is_forbidden_char(c)) {
        return Some(format!(
            "{field} có ký tự điều khiển không được phép (U+{:04X}); hãy xoá ký tự đó",
            u32::from(c)
        ));
    }
    if rule.single_line && t.contains(['\n', '\r']) {
        let hint = if kind == crate::table::FileKind::Csv {
            " (thường do một dấu ngoặc kép \" không được đóng, làm nhiều dòng dính vào nhau)"
        } else {
            ""
        };
        return Some(format!("{field} có ô xuống dòng{hint}"));
    }
    let chars = t.chars().count();
    if chars > rule.max_chars {
        return Some(format!(
            "{field} dài {} ký tự, quá {} ký tự cho phép",
            vntext::format_number(chars as i64),
            rule.max_chars
        ));
    }
    None
}

/// Reads one score cell against its subject's scale.
pub fn parse_score(cell: CellValue<'_>, subject: &Subject) -> Result<Option<Score>, String> {
    let (value, raw) = match cell {
        CellValue::Empty => return Ok(None),
        CellValue::Text(t) if is_absent_mark(t) => return Ok(None),
        CellValue::Text(t) => match vntext::parse_decimal(t) {
            Some(v) => (v, shown(t)),
            None => {
                return Err(format!(
                    "Điểm {} '{}' không đọc được",
                    subject.name,
                    shown(t)
                ));
            }
        },
        CellValue::Number(n) => (n, plain_number(n)),
        CellValue::Date(_) => {
            return Err(format!(
                "Điểm {} '{}' không đọc được (ô đang định dạng ngày)",
                subject.name,
                cell.display()
            ));
        }
        CellValue::Formula | CellValue::Error(_) => {
            return Err(format!(
                "Điểm {}: {}",
                subject.name,
                unusable(cell).unwrap_or_default()
            ));
        }
    };
    let max = subject.max_hundredths();
    let step = subject.step_hundredths();
    if value < -1e-9 || value * 100.0 > f64::from(max) + 1e-6 {
        return Err(format!(
            "Điểm {} '{}' ngoài thang 0–{}",
            subject.name,
            raw,
            format_hundredths(max)
        ));
    }
    match crate::model::to_hundredths(value.max(0.0)) {
        Some(h) if h % step == 0 => Ok(Some(Score(h as u16))),
        _ => Err(format!(
            "Điểm {} '{}' không đúng bước {}",
            subject.name,
            raw,
            format_hundredths(step)
        )),
    }
}

/// A date from an Excel serial number in the 1900 date system: 1 is 1 January 1900,
/// and 60 is the 29 February 1900 that Lotus 1-2-3 invented and Excel kept (no date).
pub fn excel_serial_date(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.trunc() as i64;
    let (epoch, days) = match days {
        60 => return None,
        d if d < 60 => (jiff::civil::date(1899, 12, 31), d),
        d => (jiff::civil::date(1899, 12, 30), d),
    };
    epoch.checked_add(jiff::Span::new().days(days)).ok()
}

/// Serials a date of birth can plausibly be: 18 May 1927 (10000) to 2119 (80000).
/// Outside that, a number in the date column is a mistake ("2008" is a year, not
/// 30 June 1905).
const BIRTH_SERIALS: std::ops::RangeInclusive<f64> = 10_000.0..=80_000.0;

/// Reads a date-of-birth cell: a spreadsheet date, an Excel serial number, or text as
/// dd/mm/yyyy, d/m/yyyy (also with '-' or '.'), yyyy-mm-dd, with or without a time.
pub fn parse_birth_date(cell: CellValue<'_>) -> Result<Option<Date>, String> {
    let unreadable = |raw: &str| {
        format!("Ngày sinh '{raw}' không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/09/2010)")
    };
    match cell {
        CellValue::Empty => Ok(None),
        CellValue::Date(d) => Ok(Some(d)),
        CellValue::Number(n) => match excel_serial_date(n) {
            Some(d) if BIRTH_SERIALS.contains(&n) => Ok(Some(d)),
            _ => Err(unreadable(&plain_number(n))),
        },
        CellValue::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            parse_date_text(t)
                .map(Some)
                .ok_or_else(|| unreadable(&shown(t)))
        }
        CellValue::Formula | CellValue::Error(_) => {
            Err(format!("Ngày sinh: {}", unusable(cell).unwrap_or_default()))
        }
    }
}

/// A date typed as text, in any of the forms [`parse_birth_date`] takes.
pub fn parse_date_text(t: &str) -> Option<Date> {
    let t = t.trim();
    if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n: f64 = t.parse().ok()?;
        return excel_serial_date(n).filter(|_| BIRTH_SERIALS.contains(&n));
    }
    // "2008-05-03T00:00:00" from ODS, "03/05/2008 00:00:00" from some exports.
    let date = t.split(['T', ' ']).next().unwrap_or(t);
    vntext::parse_civil_date(date)
}

/// Reads the rows under the header into candidates. Every problem of every row is
/// reported with its line (up to [`MAX_REPORTED_ERRORS`], then a count of the rest);
/// one problem anywhere means no candidate at all, so that an import saves all rows
/// or none. Rows with nothing in the columns read are skipped (blank lines, footers
/// written in a left-out column).
pub fn parse_candidates(
    table: &Table,
    mapping: &Mapping,
    spec: &SessionSpec,
) -> Result<Vec<Candidate>, Vec<RowError>> {
    let missing = mapping.missing(spec);
    if !missing.is_empty() {
        return Err(missing
            .into_iter()
            .map(|reason_vi| RowError {
                line: table.header_line(),
                sbd: String::new(),
                reason_vi,
            })
            .collect());
    }
    let cols = Columns::of(mapping, spec);
    let labels = Labels::of(spec);
    let mut candidates = Vec::new();
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for row in table.data_rows() {
        if cols.all_blank(&row) {
            continue;
        }
        if let Some(c) = read_row(&row, &cols, &labels, spec, &mut errors) {
            candidates.push(c);
            lines.push(row.line());
        }
    }
    duplicates(&candidates, &lines, &mut errors);
    if errors.is_empty() && candidates.is_empty() {
        // Saving it would wipe the session's results.
        return Err(vec![RowError {
            line: table.header_line(),
            sbd: String::new(),
            reason_vi: "Tệp không có thí sinh nào dưới dòng tiêu đề; tệp rỗng không được nhập (sẽ xoá hết kết quả đang có)".to_owned(),
        }]);
    }
    if errors.is_empty() {
        return Ok(candidates);
    }
    errors.sort_by_key(|e| e.line);
    if errors.len() > MAX_REPORTED_ERRORS {
        let rest = errors.len() - MAX_REPORTED_ERRORS;
        errors.truncate(MAX_REPORTED_ERRORS);
        errors.push(RowError {
            line: 0,
            sbd: String::new(),
            reason_vi: format!(
                "… và {} lỗi khác không liệt kê",
                vntext::format_number(rest as i64)
            ),
        });
    }
    Err(errors)
}

/// The columns the import reads.
struct Columns {
    sbd: usize,
    name: Vec<usize>,
    birth: Option<usize>,
    subjects: Vec<usize>,
    extras: Vec<Option<usize>>,
}

impl Columns {
    fn of(mapping: &Mapping, spec: &SessionSpec) -> Self {
        let name = match mapping.column_of(Target::FullName) {
            Some(c) => vec![c],
            None => [Target::FamilyName, Target::GivenName]
                .iter()
                .filter_map(|t| mapping.column_of(*t))
                .collect(),
        };
        Columns {
            sbd: mapping.column_of(Target::Sbd).unwrap_or(usize::MAX),
            name,
            birth: mapping.column_of(Target::BirthDate),
            subjects: (0..spec.subjects.len())
                .map(|i| mapping.column_of(Target::Subject(i)).unwrap_or(usize::MAX))
                .collect(),
            extras: (0..spec.extras.len())
                .map(|i| mapping.column_of(Target::Extra(i)))
                .collect(),
        }
    }

    fn all_blank(&self, row: &Row<'_>) -> bool {
        std::iter::once(self.sbd)
            .chain(self.name.iter().copied())
            .chain(self.birth)
            .chain(self.subjects.iter().copied())
            .all(|c| row.get(c).is_blank())
    }
}

/// The fields' names as messages give them, one per column read.
struct Labels {
    sbd: String,
    name: String,
    birth: String,
    subjects: Vec<String>,
    extras: Vec<String>,
}

impl Labels {
    fn of(spec: &SessionSpec) -> Self {
        Labels {
            sbd: Target::Sbd.label(spec),
            name: Target::FullName.label(spec),
            birth: Target::BirthDate.label(spec),
            subjects: (0..spec.subjects.len())
                .map(|i| Target::Subject(i).label(spec))
                .collect(),
            extras: (0..spec.extras.len())
                .map(|i| Target::Extra(i).label(spec))
                .collect(),
        }
    }
}

const SHORT: FieldRule = FieldRule {
    max_chars: MAX_SHORT_CHARS,
    single_line: true,
};
const NAME: FieldRule = FieldRule {
    max_chars: MAX_NAME_CHARS,
    single_line: true,
};

fn read_row(
    row: &Row<'_>,
    cols: &Columns,
    labels: &Labels,
    spec: &SessionSpec,
    errors: &mut Vec<RowError>,
) -> Option<Candidate> {
    let line = row.line();
    let kind = row.kind();
    let problem =
        |col: usize, label: &str, rule: FieldRule| field_problem(row.get(col), label, rule, kind);
    let sbd_problem = problem(cols.sbd, &labels.sbd, SHORT);
    let sbd_raw = row.get(cols.sbd).display();
    let sbd = if sbd_problem.is_none() {
        crate::model::normalize_sbd(&sbd_raw)
    } else {
        String::new()
    };
    let mut fail = |sbd: &str, reason_vi: String| {
        errors.push(RowError {
            line,
            sbd: sbd.to_owned(),
            reason_vi,
        })
    };
    let mut sbd_ok = false;
    if let Some(why) = sbd_problem {
        fail("", why);
    } else if sbd.is_empty() {
        fail("", "Thiếu số báo danh".to_owned());
    } else if sbd.chars().count() > 20
        || !sbd
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '/' | '_'))
    {
        fail(
            "",
            format!("Số báo danh '{}' không hợp lệ", shown(&sbd_raw)),
        );
    } else {
        sbd_ok = true;
    }
    let name_problems: Vec<String> = cols
        .name
        .iter()
        .filter_map(|&c| problem(c, &labels.name, NAME))
        .collect();
    let name = if name_problems.is_empty() {
        match cols.name.as_slice() {
            [one] => vntext::clean_line(&row.get(*one).display()),
            parts => {
                let joined: Vec<String> = parts.iter().map(|&c| row.get(c).display()).collect();
                vntext::clean_line(&joined.join(" "))
            }
        }
    } else {
        String::new()
    };
    if !name_problems.is_empty() {
        for why in name_problems {
            fail(&sbd, why);
        }
    } else if name.is_empty() {
        fail(&sbd, "Thiếu họ và tên".to_owned());
    } else if name.chars().count() > MAX_NAME_CHARS {
        fail(
            &sbd,
            format!(
                "{} dài {} ký tự, quá {} ký tự cho phép",
                labels.name,
                name.chars().count(),
                MAX_NAME_CHARS
            ),
        );
    }
    let mut birth_unreadable = false;
    let birth_date = match cols.birth {
        Some(c) => match problem(c, &labels.birth, SHORT)
            .map_or_else(|| parse_birth_date(row.get(c)), Err)
        {
            Ok(d) => d,
            Err(reason) => {
                fail(&sbd, reason);
                birth_unreadable = true;
                None
            }
        },
        None => None,
    };
    if !birth_unreadable && birth_date.is_none() && spec.lookup == LookupRule::SbdAndBirthDate {
        fail(
            &sbd,
            "Thiếu ngày sinh (kỳ thi này tra cứu bằng số báo danh và ngày sinh)".to_owned(),
        );
    }
    let mut scores = Vec::with_capacity(spec.subjects.len());
    for ((subject, &col), label) in spec
        .subjects
        .iter()
        .zip(&cols.subjects)
        .zip(&labels.subjects)
    {
        match problem(col, label, SHORT).map_or_else(|| parse_score(row.get(col), subject), Err) {
            Ok(s) => scores.push(s),
            Err(reason) => {
                fail(&sbd, reason);
                scores.push(None);
            }
        }
    }
    // A line break in an extra field of a spreadsheet is Alt+Enter and folds into a
    // space; in a CSV it is a quoting accident.
    let extra_rule = FieldRule {
        max_chars: MAX_EXTRA_CHARS,
        single_line: kind == crate::table::FileKind::Csv,
    };
    let mut extras = Vec::with_capacity(cols.extras.len());
    for (c, label) in cols.extras.iter().zip(&labels.extras) {
        let text = match c {
            Some(c) => match problem(*c, label, extra_rule) {
                Some(why) => {
                    fail(&sbd, why);
                    String::new()
                }
                None => vntext::clean_line(&row.get(*c).display()),
            },
            None => String::new(),
        };
        extras.push(text);
    }
    // A row with a good candidate number is kept even when something else is wrong,
    // so that duplicates are still found; the import keeps none when anything failed.
    sbd_ok.then_some(Candidate {
        sbd,
        name,
        birth_date,
        scores,
        extras,
    })
}

fn duplicates(candidates: &[Candidate], lines: &[u32], errors: &mut Vec<RowError>) {
    let mut order: Vec<u32> = (0..candidates.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        candidates[a as usize]
            .sbd
            .cmp(&candidates[b as usize].sbd)
            .then(lines[a as usize].cmp(&lines[b as usize]))
    });
    let mut group = 0;
    for k in 1..order.len() {
        let (first, dup) = (order[group] as usize, order[k] as usize);
        if candidates[first].sbd != candidates[dup].sbd {
            group = k;
            continue;
        }
        // Every repeat points at the first row with this number.
        errors.push(RowError {
            line: lines[dup],
            sbd: candidates[dup].sbd.clone(),
            reason_vi: format!(
                "Trùng số báo danh {} với dòng {}",
                candidates[dup].sbd, lines[first]
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_keep_the_1900_bug() {
        assert_eq!(excel_serial_date(1.0), Some(jiff::civil::date(1900, 1, 1)));
        assert_eq!(
            excel_serial_date(59.0),
            Some(jiff::civil::date(1900, 2, 28))
        );
        assert_eq!(excel_serial_date(60.0), None);
        assert_eq!(excel_serial_date(61.0), Some(jiff::civil::date(1900, 3, 1)));
        assert_eq!(
            excel_serial_date(39_757.0),
            Some(jiff::civil::date(2008, 11, 5))
        );
        assert_eq!(
            excel_serial_date(45_943.5),
            Some(jiff::civil::date(2025, 10, 13))
        );
        assert_eq!(excel_serial_date(0.0), None);
    }

    #[test]
    fn absent_marks() {
        for mark in ["", " ", "V", "v", "Vắng", "vắng thi", "VẮNG THI", "VT", "-"] {
            assert!(is_absent_mark(mark), "{mark}");
        }
        for not in ["0", "Văn", "vang mat lau roi", "8"] {
            assert!(!is_absent_mark(not), "{not}");
        }
    }
}
