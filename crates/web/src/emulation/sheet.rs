//! Sheets in and out: a school's registration sheet read with the exam crate's
//! table reader (XLSX, XLS, ODS or CSV), all or nothing with every bad row named;
//! the proposals and the "Dân vận khéo" registry written as XLSX.

use domain::parse_entry_kind;
use exam::CellValue;
use store::{CatalogueItem, DvkModel, Entry, EntryDraft, Proposal};

/// What the columns of a registration sheet are called (folded), by field.
const COLUMNS: [(&str, &[&str]); 6] = [
    ("kind", &["loai", "ca nhan/tap the", "doi tuong"]),
    (
        "title",
        &["danh hieu", "danh hieu dang ky", "danh hieu thi dua"],
    ),
    ("name", &["ho ten", "ho va ten", "ten", "ten tap the"]),
    ("birth", &["ngay sinh"]),
    ("position", &["chuc vu", "chuc danh"]),
    ("unit", &["don vi", "don vi cong tac"]),
];

/// A registration line as typed or read, before it is checked.
#[derive(Clone, Copy)]
pub(crate) struct Typed<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub name: &'a str,
    pub birth: &'a str,
    pub position: &'a str,
    pub unit: &'a str,
}

/// Checks one registration line (typed in the form or read from a sheet): the
/// kind, a title of the catalogue for that kind, the name, and for a person a
/// real date of birth. `school` fills an empty unit.
pub(crate) fn check_entry(
    typed: &Typed<'_>,
    school: &str,
    catalogue: &[CatalogueItem],
) -> Result<EntryDraft, Vec<String>> {
    let Typed {
        kind,
        title,
        name,
        birth,
        position,
        unit,
    } = *typed;
    let mut problems = Vec::new();
    let kind = parse_entry_kind(kind);
    if kind.is_none() {
        problems.push("loại phải là “Cá nhân” hoặc “Tập thể”".to_owned());
    }
    let kind = kind.unwrap_or("ca-nhan");
    let wanted = if kind == "tap-the" {
        "danh-hieu-tap-the"
    } else {
        "danh-hieu-ca-nhan"
    };
    let title = vntext::clean_line(title);
    let found = catalogue
        .iter()
        .find(|c| c.kind == wanted && vntext::fold_lower(&c.name) == vntext::fold_lower(&title));
    if title.is_empty() {
        problems.push("chưa có danh hiệu đăng ký".to_owned());
    } else if found.is_none() {
        let names: Vec<&str> = catalogue
            .iter()
            .filter(|c| c.kind == wanted)
            .map(|c| c.name.as_str())
            .collect();
        problems.push(format!(
            "danh hiệu “{title}” không có trong danh mục ({})",
            names.join(", ")
        ));
    }
    let name = vntext::clean_line(name);
    let mut birth_date = String::new();
    if kind == "ca-nhan" {
        if name.is_empty() {
            problems.push("chưa có họ tên".to_owned());
        }
        match vntext::parse_date_any(birth) {
            Some(d) => birth_date = d,
            None if birth.trim().is_empty() => problems.push("chưa có ngày sinh".to_owned()),
            None => problems.push(format!(
                "ngày sinh “{}” không đúng (viết dd/mm/yyyy)",
                birth.trim()
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let unit = vntext::clean_line(unit);
    Ok(EntryDraft {
        kind: kind.to_owned(),
        title: found.map(|c| c.name.clone()).unwrap_or(title),
        full_name: if name.is_empty() {
            school.to_owned()
        } else {
            name
        },
        birth_date,
        position: vntext::clean_line(position),
        unit_name: if unit.is_empty() {
            school.to_owned()
        } else {
            unit
        },
        achievement: String::new(),
    })
}

fn cell_text(v: CellValue<'_>) -> String {
    match v {
        CellValue::Date(d) => d.strftime("%d/%m/%Y").to_string(),
        other => other.display(),
    }
}

/// Reads a registration sheet: every line, or every problem with its line.
pub(crate) fn read_registrations(
    bytes: &[u8],
    file_name: &str,
    school: &str,
    catalogue: &[CatalogueItem],
) -> Result<Vec<EntryDraft>, Vec<String>> {
    let mut table = exam::read_table(bytes, file_name).map_err(|e| vec![format!("{e}.")])?;
    let is_name = |s: &str| {
        let f = vntext::fold_lower(s).trim().to_owned();
        f == "ho ten" || f == "ho va ten" || f == "danh hieu"
    };
    let Some(header) = table
        .all_rows()
        .position(|r| r.display().iter().any(|c| is_name(c)))
    else {
        return Err(vec![
            "Không thấy dòng tiêu đề: tệp cần các cột Loại, Danh hiệu, Họ tên, Ngày sinh, Chức vụ, Đơn vị.".to_owned(),
        ]);
    };
    table.set_header_row(header);
    let mut at = std::collections::HashMap::new();
    for (i, h) in table.headers().iter().enumerate() {
        let f = vntext::fold_lower(h).trim().to_owned();
        if let Some((field, _)) = COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&f.as_str()))
        {
            at.entry(*field).or_insert(i);
        }
    }
    for needed in ["title", "name"] {
        if !at.contains_key(needed) {
            return Err(vec![format!(
                "Dòng {}: thiếu cột “{}”.",
                table.header_line(),
                if needed == "title" {
                    "Danh hiệu"
                } else {
                    "Họ tên"
                }
            )]);
        }
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for row in table.data_rows() {
        let get = |field: &str| {
            at.get(field)
                .map(|&c| cell_text(row.get(c)))
                .unwrap_or_default()
        };
        let (kind, title, name) = (get("kind"), get("title"), get("name"));
        let (birth, position, unit) = (get("birth"), get("position"), get("unit"));
        let typed = Typed {
            kind: &kind,
            title: &title,
            name: &name,
            birth: &birth,
            position: &position,
            unit: &unit,
        };
        match check_entry(&typed, school, catalogue) {
            Ok(e) => out.push(e),
            Err(p) => problems.push(format!("Dòng {}: {}.", row.line(), p.join("; "))),
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.push("Tệp không có dòng đăng ký nào dưới dòng tiêu đề.".to_owned());
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn result_label(r: &str) -> &'static str {
    match r {
        "khen" => "Khen thưởng",
        "khong" => "Không khen thưởng",
        _ => "",
    }
}

/// The proposals and their people, one line a person or collective, for the
/// council's meeting.
pub(crate) fn proposals_workbook(
    rows: &[(Proposal, Vec<Entry>)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Đề nghị khen thưởng")?;
    let bold = Format::new().set_bold();
    let heads = [
        "STT",
        "Đơn vị đề nghị",
        "Đề nghị",
        "Hình thức",
        "Cấp khen",
        "Trạng thái",
        "Cá nhân/Tập thể",
        "Họ tên",
        "Ngày sinh",
        "Chức vụ",
        "Đơn vị",
        "Tóm tắt thành tích",
        "Kết quả xét",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
    }
    let mut line = 1u32;
    for (p, entries) in rows {
        for e in entries {
            let d = &e.draft;
            let cells = [
                line.to_string(),
                p.unit_name.clone(),
                p.title.clone(),
                p.form.clone(),
                p.level.clone(),
                p.status.label().to_owned(),
                if d.kind == "tap-the" {
                    "Tập thể"
                } else {
                    "Cá nhân"
                }
                .to_owned(),
                d.full_name.clone(),
                vntext::format_iso_date(&d.birth_date).unwrap_or_default(),
                d.position.clone(),
                d.unit_name.clone(),
                d.achievement.clone(),
                result_label(&e.result).to_owned(),
            ];
            for (c, v) in cells.iter().enumerate() {
                sheet.write(line, c as u16, v.as_str())?;
            }
            line += 1;
        }
    }
    sheet.autofit();
    book.save_to_buffer()
}

/// The registry of "Dân vận khéo" models.
pub(crate) fn dvk_workbook(models: &[DvkModel]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Dân vận khéo")?;
    let bold = Format::new().set_bold();
    let heads = [
        "STT",
        "Đơn vị",
        "Tên mô hình",
        "Lĩnh vực",
        "Năm đăng ký",
        "Cấp công nhận",
        "Mô tả",
        "Bài viết",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, m) in models.iter().enumerate() {
        let line = i as u32 + 1;
        sheet.write(line, 0, line)?;
        sheet.write(line, 1, m.unit_name.as_str())?;
        sheet.write(line, 2, m.draft.name.as_str())?;
        sheet.write(line, 3, m.draft.field.as_str())?;
        sheet.write(line, 4, m.draft.year)?;
        sheet.write(line, 5, m.level.as_str())?;
        sheet.write(line, 6, m.draft.description.as_str())?;
        sheet.write(line, 7, m.draft.article_url.as_str())?;
    }
    sheet.autofit();
    book.save_to_buffer()
}
