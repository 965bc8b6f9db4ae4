//! Results files as departments send them, written by the tests themselves: an XLSX
//! with a title above the headers, CSVs with and without BOM, with ',' and ';', and
//! every kind of bad row.

use exam::{
    Candidate, CellValue, ChangeField, Distribution, ExtraField, FileKind, LoadedSession,
    LookupOutcome, LookupRule, Score, SessionSpec, Subject, Target, diff, map_headers,
    parse_candidates, read_table, spec_from_headers, svg_chart,
};
use jiff::civil::date;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

enum X {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
    Blank,
}

fn xlsx(rows: &[Vec<X>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match *cell {
                X::S(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                X::N(n) => {
                    sheet.write_number(r, c, n).unwrap();
                }
                X::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(y, m, d).unwrap();
                    sheet
                        .write_datetime_with_format(r, c, dt, &date_format)
                        .unwrap();
                }
                X::Blank => {}
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn lop10_spec() -> SessionSpec {
    SessionSpec {
        subjects: vec![
            Subject::new("toan", "Toán"),
            Subject::new("van", "Ngữ văn"),
            Subject::new("anh", "Tiếng Anh"),
        ],
        extras: vec![
            ExtraField::new(ExtraField::SCHOOL, "Trường"),
            ExtraField::new(ExtraField::TOTAL, "Tổng điểm"),
        ],
        lookup: LookupRule::SbdAndBirthDate,
    }
}

fn lop10_xlsx() -> Vec<u8> {
    use X::*;
    xlsx(&[
        vec![S("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH BÌNH AN")],
        vec![S("KẾT QUẢ THI TUYỂN SINH LỚP 10 NĂM HỌC 2026–2027")],
        vec![],
        vec![
            S("STT"),
            S("Số báo danh"),
            S("Họ và tên"),
            S("Ngày sinh"),
            S("Điểm Toán"),
            S("Ngữ văn"),
            S("Tiếng Anh"),
            S("Trường THCS"),
            S("Tổng điểm"),
        ],
        vec![
            N(1.0),
            S("010001"),
            S("Nguyễn Văn An"),
            D(2011, 3, 15),
            S("8,25"),
            N(7.5),
            S("V"),
            S("THCS Nguyễn Du"),
            N(15.75),
        ],
        vec![
            N(2.0),
            S("010002"),
            // Typed on a Mac: decomposed marks.
            S("Tra\u{302}\u{300}n Thi\u{323} Bi\u{301}ch"),
            N(40_725.0),
            N(9.0),
            S("6,75"),
            N(8.5),
            S("THCS Lê Lợi"),
            S("24,25"),
        ],
        vec![
            N(3.0),
            S("010003"),
            S("Lê Hoàng Cường"),
            S("05/09/2010"),
            S("10"),
            S("Vắng"),
            S("4.5"),
            S("THCS Nguyễn Du"),
            Blank,
            S("ghi chú ngoài bảng"),
        ],
    ])
}

#[test]
fn xlsx_with_title_rows_vietnamese_headers_and_excel_dates() {
    let bytes = lop10_xlsx();
    let table = read_table(&bytes, "ket-qua.xlsx").unwrap();
    assert_eq!(table.kind(), FileKind::Xlsx);
    assert_eq!(table.header_line(), 4);
    assert_eq!(table.headers()[1], "Số báo danh");

    let spec = lop10_spec();
    let mapping = map_headers(&table, &spec);
    assert_eq!(mapping.column_of(Target::Sbd), Some(1));
    assert_eq!(mapping.column_of(Target::FullName), Some(2));
    assert_eq!(mapping.column_of(Target::BirthDate), Some(3));
    assert_eq!(mapping.column_of(Target::Subject(0)), Some(4));
    assert_eq!(mapping.column_of(Target::Extra(0)), Some(7));
    assert_eq!(mapping.column_of(Target::Extra(1)), Some(8));
    let unmapped: Vec<&str> = mapping
        .unmapped()
        .iter()
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(unmapped, ["STT"]);
    let shown = mapping.describe(&spec);
    assert!(shown.contains(&(
        "E".to_owned(),
        "Điểm Toán".to_owned(),
        "Điểm Toán".to_owned()
    )));
    assert!(shown.contains(&("A".to_owned(), "STT".to_owned(), "(không dùng)".to_owned())));
    assert!(mapping.missing(&spec).is_empty());

    // The preview: the first rows with their Excel line numbers, as a person reads them.
    let preview = table.preview(2);
    assert_eq!(preview[0].line(), 5);
    assert_eq!(preview[0].display()[3], "15/03/2011");
    assert_eq!(preview[0].display()[5], "7,5");
    assert_eq!(preview[1].get(3), CellValue::Number(40_725.0));

    let c = parse_candidates(&table, &mapping, &spec).unwrap();
    assert_eq!(c.len(), 3);
    assert_eq!(c[0].sbd, "010001", "leading zeros kept");
    assert_eq!(c[0].birth_date, Some(date(2011, 3, 15)));
    assert_eq!(c[0].scores, [Some(Score(825)), Some(Score(750)), None]);
    assert_eq!(c[0].extras, ["THCS Nguyễn Du", "15,75"]);
    assert_eq!(c[1].name, "Trần Thị Bích", "NFC");
    assert_eq!(
        c[1].birth_date,
        Some(date(2011, 7, 1)),
        "Excel serial 40725"
    );
    assert_eq!(
        c[1].scores,
        [Some(Score(900)), Some(Score(675)), Some(Score(850))]
    );
    assert_eq!(c[1].extras[1], "24,25");
    assert_eq!(c[2].birth_date, Some(date(2010, 9, 5)));
    assert_eq!(c[2].scores, [Some(Score(1000)), None, Some(Score(450))]);
    assert_eq!(c[2].extras[1], "");
}

#[test]
fn a_new_session_takes_its_fields_from_the_headers() {
    let table = read_table(&lop10_xlsx(), "ket-qua.xlsx").unwrap();
    let spec = spec_from_headers(&table);
    let subjects: Vec<(&str, &str)> = spec
        .subjects
        .iter()
        .map(|s| (s.key.as_str(), s.name.as_str()))
        .collect();
    assert_eq!(
        subjects,
        [("toan", "Toán"), ("van", "Ngữ văn"), ("anh", "Tiếng Anh")]
    );
    let extras: Vec<&str> = spec.extras.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(extras, ["truong", "tong_diem"]);
    assert_eq!(spec.lookup, LookupRule::SbdAndBirthDate);

    // A subject nobody listed is still a subject when its column holds scores.
    let csv = "SBD,Họ và tên,Điểm Tiếng Khmer,Ghi chú,Phòng thi\n\
               01,Sơn Thị Nga,\"8,5\",,P01\n02,Thạch Văn Bảy,V,miễn,P02\n";
    let table = read_table(csv.as_bytes(), "khmer.csv").unwrap();
    let spec = spec_from_headers(&table);
    assert_eq!(spec.subjects.len(), 1);
    assert_eq!(spec.subjects[0].name, "Tiếng Khmer");
    assert_eq!(spec.subjects[0].key, "tieng_khmer");
    assert_eq!(spec.extras.len(), 1);
    assert_eq!(spec.extras[0].key, "phong_thi");
    assert_eq!(spec.lookup, LookupRule::SbdOnly);
    let c = parse_candidates(&table, &map_headers(&table, &spec), &spec).unwrap();
    assert_eq!(c[0].scores, [Some(Score(850))]);
    assert_eq!(c[1].scores, [None]);
}

#[test]
fn csv_with_bom_and_quoted_comma_decimals() {
    let csv = "\u{feff}SBD,Họ và tên,Ngày sinh,Toán,Văn,Anh,Kết quả\r\n\
               HS0001,Phạm Minh Đức,2011-01-31,\"8,25\",7.5,v,Đỗ\r\n\
               hs0002,  Vũ   Thu  Hà ,1/2/2011,\"6,5\",\"vắng thi\",\"9,75\",Đỗ\r\n";
    let mut spec = lop10_spec();
    spec.extras = vec![ExtraField::new(ExtraField::RESULT, "Kết quả")];
    let table = read_table(csv.as_bytes(), "ket-qua.csv").unwrap();
    assert_eq!(table.kind(), FileKind::Csv);
    assert_eq!(
        table.headers()[0],
        "SBD",
        "the BOM is not part of the header"
    );
    let c = parse_candidates(&table, &map_headers(&table, &spec), &spec).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].sbd, "HS0001");
    assert_eq!(c[0].birth_date, Some(date(2011, 1, 31)));
    assert_eq!(c[0].scores, [Some(Score(825)), Some(Score(750)), None]);
    assert_eq!(c[0].extras, ["Đỗ"]);
    assert_eq!(c[1].sbd, "HS0002", "upper-cased");
    assert_eq!(c[1].name, "Vũ Thu Hà");
    assert_eq!(c[1].birth_date, Some(date(2011, 2, 1)), "d/m/yyyy");
    assert_eq!(c[1].scores, [Some(Score(650)), None, Some(Score(975))]);
}

#[test]
fn semicolon_csv_with_a_title_and_the_name_in_two_columns() {
    let csv = "KẾT QUẢ THI CHỌN HỌC SINH GIỎI TỈNH LỚP 12\n\
               \n\
               Số báo danh;Họ;Tên;Ngày sinh;Toán;Vật lý;Hoá học\n\
               12001;Đặng Quốc;Bảo;03/05/2008;8,25;7;9,5\n\
               12002;Bùi Ngọc;Châu;39757;Vắng;6,75;7,25\n";
    let spec = SessionSpec {
        subjects: vec![
            Subject::new("toan", "Toán"),
            Subject::new("ly", "Vật lí"),
            Subject::new("hoa", "Hóa học"),
        ],
        extras: vec![],
        lookup: LookupRule::SbdAndBirthDate,
    };
    let table = read_table(csv.as_bytes(), "hsg.csv").unwrap();
    assert_eq!(table.header_line(), 3);
    let mapping = map_headers(&table, &spec);
    assert_eq!(mapping.column_of(Target::FamilyName), Some(1));
    assert_eq!(mapping.column_of(Target::GivenName), Some(2));
    assert_eq!(
        mapping.column_of(Target::Subject(1)),
        Some(5),
        "Vật lý = Vật lí"
    );
    assert_eq!(mapping.column_of(Target::Subject(2)), Some(6), "Hoá = Hóa");
    let c = parse_candidates(&table, &mapping, &spec).unwrap();
    assert_eq!(c[0].name, "Đặng Quốc Bảo");
    assert_eq!(
        c[0].scores,
        [Some(Score(825)), Some(Score(700)), Some(Score(950))]
    );
    assert_eq!(c[1].birth_date, Some(date(2008, 11, 5)), "serial as text");
    assert_eq!(c[1].scores[0], None);
}

#[test]
fn merged_name_header_and_two_row_headers() {
    // "Họ và tên" merged over two columns; subject names in a second header row
    // under a merged "Điểm các môn thi".
    let csv = "SBD,Họ và tên,,Ngày sinh,Điểm các môn thi,,\n\
               ,,,,Toán,Ngữ văn,Tiếng Anh\n\
               A01,Nguyễn Thị,Mai,12/12/2010,7,\"8,5\",9\n";
    let spec = lop10_spec();
    let table = read_table(csv.as_bytes(), "ts10.csv").unwrap();
    assert_eq!(table.headers()[4], "Toán");
    let mapping = map_headers(&table, &spec);
    assert_eq!(mapping.column_of(Target::FamilyName), Some(1));
    assert_eq!(mapping.column_of(Target::GivenName), Some(2));
    let c = parse_candidates(&table, &mapping, &spec).unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].name, "Nguyễn Thị Mai");
    assert_eq!(
        c[0].scores,
        [Some(Score(700)), Some(Score(850)), Some(Score(900))]
    );
}

#[test]
fn utf16_tab_separated_from_excel_unicode_text() {
    let text = "SBD\tHọ và tên\tToán\r\n001\tLý Thị Hoa\t8,5\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let spec = SessionSpec {
        subjects: vec![Subject::new("toan", "Toán")],
        extras: vec![],
        lookup: LookupRule::SbdOnly,
    };
    let c = exam::import(&bytes, "ket-qua.txt", &spec).unwrap();
    assert_eq!(c[0].name, "Lý Thị Hoa");
    assert_eq!(c[0].scores, [Some(Score(850))]);
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_nothing_is_kept() {
    let csv = "SBD,Họ và tên,Ngày sinh,Toán,Văn\n\
               HS001,Nguyễn Văn An,15/03/2011,8.25,7.5\n\
               HS002,,15/03/2011,8,7\n\
               HS001,Trần Bình,01/01/2011,5,5\n\
               HS004,Lê Chi,31/02/2011,5,5\n\
               \n\
               HS005,Phạm Dũng,01/01/2011,11,5\n\
               HS006,Võ Em,01/01/2011,5,\"7,3\"\n\
               ,Hồ Phương,01/01/2011,5,5\n\
               HS008,Đỗ Giang,,5,5\n\
               HS009,Ngô Hạnh,01/01/2011,abc,-1\n\
               HS001,Mai Khoa,02/02/2011,6,6\n";
    let spec = SessionSpec {
        subjects: vec![Subject::new("toan", "Toán"), Subject::new("van", "Văn")],
        extras: vec![],
        lookup: LookupRule::SbdAndBirthDate,
    };
    let table = read_table(csv.as_bytes(), "loi.csv").unwrap();
    let errors = parse_candidates(&table, &map_headers(&table, &spec), &spec).unwrap_err();
    let got: Vec<(u32, &str, &str)> = errors
        .iter()
        .map(|e| (e.line, e.sbd.as_str(), e.reason_vi.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "HS002", "Thiếu họ và tên"),
            (4, "HS001", "Trùng số báo danh HS001 với dòng 2"),
            (
                5,
                "HS004",
                "Ngày sinh '31/02/2011' không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/09/2010)"
            ),
            (7, "HS005", "Điểm Toán '11' ngoài thang 0–10"),
            (8, "HS006", "Điểm Văn '7,3' không đúng bước 0,25"),
            (9, "", "Thiếu số báo danh"),
            (
                10,
                "HS008",
                "Thiếu ngày sinh (kỳ thi này tra cứu bằng số báo danh và ngày sinh)"
            ),
            (11, "HS009", "Điểm Toán 'abc' không đọc được"),
            (11, "HS009", "Điểm Văn '-1' ngoài thang 0–10"),
            (12, "HS001", "Trùng số báo danh HS001 với dòng 2"),
        ]
    );
}

#[test]
fn a_missing_column_stops_the_import_at_the_header() {
    let csv = "Tiêu đề\nSBD,Họ và tên,Toán\n01,An,5\n";
    let spec = lop10_spec();
    let table = read_table(csv.as_bytes(), "x.csv").unwrap();
    let errors = parse_candidates(&table, &map_headers(&table, &spec), &spec).unwrap_err();
    let reasons: Vec<&str> = errors.iter().map(|e| e.reason_vi.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "Không tìm thấy cột Ngày sinh (kỳ thi này tra cứu bằng số báo danh và ngày sinh)",
            "Không tìm thấy cột điểm môn Ngữ văn",
            "Không tìm thấy cột điểm môn Tiếng Anh",
        ]
    );
    assert!(errors.iter().all(|e| e.line == 2));
}

#[test]
fn absent_marks_are_absent_not_zero() {
    let csv = "SBD;Họ và tên;Toán\n1;A;V\n2;B;v\n3;C;Vắng\n4;D;vắng thi\n5;E;\n6;F;0\n7;G;VẮNG\n";
    let spec = SessionSpec {
        subjects: vec![Subject::new("toan", "Toán")],
        extras: vec![],
        lookup: LookupRule::SbdOnly,
    };
    let c = exam::import(csv.as_bytes(), "v.csv", &spec).unwrap();
    let scores: Vec<Option<Score>> = c.iter().map(|c| c.scores[0]).collect();
    assert_eq!(scores, [None, None, None, None, None, Some(Score(0)), None]);
    let d = Distribution::of_candidates(&spec.subjects[0], 0, &c);
    assert_eq!((d.sitting, d.absent), (1, 6));
}

fn candidate(sbd: &str, name: &str, birth: (i16, i8, i8), scores: &[Option<u16>]) -> Candidate {
    Candidate {
        sbd: sbd.to_owned(),
        name: name.to_owned(),
        birth_date: Some(date(birth.0, birth.1, birth.2)),
        scores: scores.iter().map(|s| s.map(Score)).collect(),
        extras: vec!["THCS Nguyễn Du".to_owned()],
    }
}

#[test]
fn re_import_diff_lists_every_change() {
    let old = vec![
        candidate("01", "Nguyễn An", (2011, 1, 1), &[Some(700), Some(800)]),
        candidate("02", "Trần Bình", (2011, 2, 2), &[Some(500), None]),
        candidate("03", "Lê Chi", (2011, 3, 3), &[Some(900), Some(900)]),
    ];
    let mut new = vec![
        candidate("01", "Nguyễn An", (2011, 1, 1), &[Some(725), Some(800)]),
        candidate("02", "Trần Bình", (2011, 2, 20), &[Some(500), Some(650)]),
        candidate("04", "Phạm Dung", (2011, 4, 4), &[Some(600), Some(600)]),
    ];
    new[0].extras[0] = "THCS Lê Lợi".to_owned();
    let changes = diff(&old, &new);
    let got: Vec<(&str, ChangeField, Option<&str>, Option<&str>)> = changes
        .iter()
        .map(|c| {
            (
                c.sbd.as_str(),
                c.field,
                c.before.as_deref(),
                c.after.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("01", ChangeField::Score(0), Some("7"), Some("7,25")),
            (
                "01",
                ChangeField::Extra(0),
                Some("THCS Nguyễn Du"),
                Some("THCS Lê Lợi")
            ),
            (
                "02",
                ChangeField::BirthDate,
                Some("02/02/2011"),
                Some("20/02/2011")
            ),
            ("02", ChangeField::Score(1), Some("Vắng"), Some("6,5")),
            ("04", ChangeField::Added, None, Some("Phạm Dung")),
            ("03", ChangeField::Removed, Some("Lê Chi"), None),
        ]
    );
    let spec = SessionSpec {
        subjects: vec![Subject::new("toan", "Toán"), Subject::new("van", "Ngữ văn")],
        extras: vec![ExtraField::new("truong", "Trường")],
        lookup: LookupRule::SbdAndBirthDate,
    };
    assert_eq!(changes[3].field.label(&spec), "Điểm Ngữ văn");
    assert_eq!(changes[1].field.label(&spec), "Trường");
    assert!(diff(&new, &new).is_empty());
}

#[test]
fn the_date_of_birth_rule_leaks_nothing() {
    let spec = lop10_spec();
    let c = exam::import(&lop10_xlsx(), "ket-qua.xlsx", &spec).unwrap();
    let session = LoadedSession::new(spec.clone(), c);
    assert_eq!(session.len(), 3);

    let LookupOutcome::Found(card) = session.lookup(" 010001 ", Some("15/03/2011")) else {
        panic!("right number and date");
    };
    assert_eq!(card.name(), "Nguyễn Văn An");
    assert_eq!(card.birth_date_vi(), "15/03/2011");
    assert_eq!(card.score(0), Some(Score(825)));
    assert_eq!(card.score(2), None);
    assert_eq!(card.extra_by_key(ExtraField::SCHOOL), "THCS Nguyễn Du");
    assert_eq!(card.extra_by_key(ExtraField::TOTAL), "15,75");
    // Other ways of writing the same date.
    for typed in ["2011-03-15", "15-3-2011", "15.03.2011"] {
        assert!(
            matches!(
                session.lookup("010001", Some(typed)),
                LookupOutcome::Found(_)
            ),
            "{typed}"
        );
    }

    let wrong_date = session.lookup("010001", Some("16/03/2011"));
    let no_date = session.lookup("010001", None);
    let bad_date = session.lookup("010001", Some("hôm qua"));
    let unknown = session.lookup("019999", Some("15/03/2011"));
    let no_zero = session.lookup("10001", Some("15/03/2011"));
    for outcome in [wrong_date, no_date, bad_date, unknown, no_zero] {
        assert!(matches!(outcome, LookupOutcome::NotFound));
        assert_eq!(
            outcome.message_vi(spec.lookup),
            unknown.message_vi(spec.lookup),
            "one message for all"
        );
    }

    // By number alone when the session says so.
    let mut open = spec.clone();
    open.lookup = LookupRule::SbdOnly;
    let session = LoadedSession::new(open, vec![card.to_candidate()]);
    assert!(matches!(
        session.lookup("010001", None),
        LookupOutcome::Found(_)
    ));

    // Before the publish time, nothing at all.
    let session = session.with_publish_at(Some(1_800_000_000));
    assert!(matches!(
        session.lookup_at("010001", None, 1_799_999_999),
        LookupOutcome::NotPublished
    ));
    assert!(matches!(
        session.lookup_at("010001", None, 1_800_000_000),
        LookupOutcome::Found(_)
    ));
    let unpublished = LoadedSession::new(spec, vec![]);
    assert!(matches!(
        unpublished.lookup_at("010001", None, i64::MAX),
        LookupOutcome::NotPublished
    ));
}

#[test]
fn distribution_of_a_small_known_set() {
    let toan = Subject::new("toan", "Toán");
    let scores = [
        Some(500),
        Some(650),
        None,
        Some(650),
        Some(700),
        Some(825),
        None,
        Some(1000),
    ];
    let d = Distribution::of(&toan, scores.iter().map(|s| s.map(Score)));
    assert_eq!(d.counts.len(), 41, "0 to 10 in steps of 0,25");
    assert_eq!((d.sitting, d.absent), (6, 2));
    let nonzero: Vec<(usize, u64)> = d
        .counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(k, c)| (k, *c))
        .collect();
    assert_eq!(nonzero, [(20, 1), (26, 2), (28, 1), (33, 1), (40, 1)]);
    // (5 + 6,5 + 6,5 + 7 + 8,25 + 10) / 6 = 43,25 / 6
    assert!((d.mean.unwrap() - 43.25 / 6.0).abs() < 1e-12);
    assert_eq!(d.mean_vi(), "7,21");
    assert_eq!(d.median, Some(6.75), "mean of 6,5 and 7");
    assert_eq!(d.median_vi(), "6,75");
    let rows = d.rows();
    assert_eq!(rows[26].label, "6,5");
    assert_eq!(rows[26].count, 2);
    assert!((rows[26].percent - 100.0 / 3.0).abs() < 1e-9);

    let odd = Distribution::of(&toan, [500, 700, 900].iter().map(|&h| Some(Score(h))));
    assert_eq!(odd.median, Some(7.0));
    let nobody = Distribution::of(&toan, [None, None].into_iter());
    assert_eq!((nobody.mean, nobody.median, nobody.absent), (None, None, 2));

    // The session computes the same figures from its compact columns.
    let candidates: Vec<Candidate> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| candidate(&format!("{i:02}"), "X", (2011, 1, 1), &[*s, Some(0)]))
        .collect();
    let spec = SessionSpec {
        subjects: vec![toan.clone(), Subject::new("van", "Ngữ văn")],
        extras: vec![],
        lookup: LookupRule::SbdOnly,
    };
    let session = LoadedSession::new(spec, candidates);
    assert_eq!(session.distribution(0).unwrap(), d);
}

#[test]
fn the_chart_is_accessible_and_vietnamese() {
    let toan = Subject::new("toan", "Toán");
    let many = std::iter::repeat_n(Some(Score(675)), 1234).chain([Some(Score(700)), None]);
    let d = Distribution::of(&toan, many);
    let svg = svg_chart(&d, "Phổ điểm môn Toán <2026>");
    assert!(svg.starts_with("<svg "));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(
        r#"aria-labelledby="pho-diem-pho-diem-mon-toan-2026-t pho-diem-pho-diem-mon-toan-2026-d""#
    ));
    assert!(svg.contains(
        "<title id=\"pho-diem-pho-diem-mon-toan-2026-t\">Phổ điểm môn Toán &lt;2026&gt;</title>"
    ));
    assert!(svg.contains(
        "<desc id=\"pho-diem-pho-diem-mon-toan-2026-d\">Phổ điểm môn Toán: 1.235 thí sinh dự thi, 1 vắng thi; \
         điểm trung bình 6,75, trung vị 6,75; nhiều thí sinh nhất ở mức 6,75 điểm (1.234 thí sinh).</desc>"
    ));
    assert!(svg.contains("<title>6,75 điểm: 1.234 thí sinh</title>"));
    assert!(svg.contains(">2.000</text>"), "count axis up to 2.000");
    assert_eq!(svg.matches("<rect ").count(), 41);
    assert!(svg.ends_with("</svg>"));
}

#[test]
fn a_session_is_sorted_and_keeps_the_first_of_a_number() {
    let spec = SessionSpec {
        subjects: vec![Subject::new("toan", "Toán")],
        extras: vec![ExtraField::new(ExtraField::SCHOOL, "Trường")],
        lookup: LookupRule::SbdOnly,
    };
    let session = LoadedSession::new(
        spec,
        vec![
            candidate("B2", "Hai", (2011, 1, 1), &[Some(200)]),
            candidate("A1", "Một", (2011, 1, 1), &[None]),
            candidate("B2", "Hai bis", (2011, 1, 1), &[Some(900)]),
            candidate("C3", "Ba", (2011, 1, 1), &[Some(300)]),
        ],
    );
    let order: Vec<(&str, &str)> = session.iter().map(|c| (c.sbd(), c.name())).collect();
    assert_eq!(order, [("A1", "Một"), ("B2", "Hai"), ("C3", "Ba")]);
    let LookupOutcome::Found(b2) = session.lookup("b2", None) else {
        panic!("B2");
    };
    assert_eq!(b2.score(0), Some(Score(200)));
    assert_eq!(b2.extra(0), "THCS Nguyễn Du");
    assert_eq!(
        b2.to_candidate(),
        candidate("B2", "Hai", (2011, 1, 1), &[Some(200)])
    );
    assert_eq!(session.iter().next().unwrap().score(0), None);
}

#[test]
fn every_candidate_of_a_large_session_is_found_and_no_other() {
    let spec = SessionSpec {
        subjects: vec![Subject::new("toan", "Toán")],
        extras: vec![ExtraField::new(ExtraField::SCHOOL, "Trường")],
        lookup: LookupRule::SbdOnly,
    };
    // Numbers as offices write them: zero-padded, with a letter prefix, in no order.
    let sbd = |i: u32| match i % 3 {
        0 => format!("{:08}", i * 7),
        1 => format!("HN{i:06}"),
        _ => format!("{}", 900_000 + i * 13),
    };
    let candidates: Vec<Candidate> = (0..20_000u32)
        .rev()
        .map(|i| {
            candidate(
                &sbd(i),
                &format!("Thí sinh {i}"),
                (2008, 5, 1),
                &[Some(i as u16 % 1000)],
            )
        })
        .collect();
    let session = LoadedSession::new(spec, candidates);
    for i in 0..20_000u32 {
        let LookupOutcome::Found(c) = session.lookup(&sbd(i).to_lowercase(), None) else {
            panic!("{} not found", sbd(i));
        };
        assert_eq!(c.name(), format!("Thí sinh {i}"));
    }
    for missing in [
        "",
        "0",
        "HN",
        "HN0200000",
        "00000001",
        "99999999",
        "HN000001 x",
    ] {
        assert!(
            matches!(session.lookup(missing, None), LookupOutcome::NotFound),
            "{missing:?}"
        );
    }
}
