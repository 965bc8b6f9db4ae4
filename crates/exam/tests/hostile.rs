//! Hostile and broken results files (issue 10, items 8 and 10–14), each written here:
//! cells beyond Excel's grid, grids past the limit, hidden sheets, formulas without
//! saved values, CSV quotes left open, cells too long or holding control characters,
//! damaged archives. Every refusal is in Vietnamese and points at its line.

mod common;

use common::{good_rows, n, ods, row, s, xls, xlsx};
use exam::{
    CellValue, LookupRule, ReadOptions, SessionSpec, Subject, map_headers, parse_candidates,
    read_table, read_table_with,
};

fn spec() -> SessionSpec {
    SessionSpec {
        subjects: vec![Subject::new("toan", "Toán")],
        extras: vec![],
        lookup: LookupRule::SbdOnly,
    }
}

fn errors_of(bytes: &[u8], name: &str) -> Vec<String> {
    let table = read_table(bytes, name).unwrap();
    let mapping = map_headers(&table, &spec());
    parse_candidates(&table, &mapping, &spec())
        .unwrap_err()
        .into_iter()
        .map(|e| format!("{}: {}", e.line, e.reason_vi))
        .collect()
}

fn read_error(bytes: &[u8], name: &str) -> String {
    read_table(bytes, name).unwrap_err().to_string()
}

/// No English from a library: the words calamine, zip and quick-xml use.
fn assert_vietnamese(message: &str) {
    for english in [
        "error", "Error", "invalid", "Zip", "archive", "Xml", "expected",
    ] {
        assert!(!message.contains(english), "{english} in {message}");
    }
}

#[test]
fn a_cell_beyond_xfd_is_refused_and_costs_no_row_padding() {
    // XFE is the 16,385th column.
    let beyond = xlsx(&[(
        "Sheet1",
        "visible",
        format!("{}{}", good_rows(), row(4, &[n("XFE4", 1.0)])),
    )]);
    let why = read_error(&beyond, "x.xlsx");
    assert!(why.contains("Dòng 4") && why.contains("XFD"), "{why}");
    assert_vietnamese(&why);

    // A lone cell at XFD1048576 is one cell, not a padded grid; the file reads.
    let far = xlsx(&[(
        "Sheet1",
        "visible",
        format!("{}{}", good_rows(), row(1_048_576, &[n("XFD1048576", 1.0)])),
    )]);
    let table = read_table(&far, "x.xlsx").unwrap();
    assert_eq!(table.headers(), ["SBD", "Họ và tên", "Toán"]);
    let last = table.all_rows().last().unwrap();
    assert_eq!((last.line(), last.len()), (1_048_576, 16_384));
    assert_eq!(last.get(16_383), CellValue::Number(1.0));
    assert_eq!(last.get(5), CellValue::Empty);
}

#[test]
fn a_grid_past_the_limit_is_refused_with_the_farthest_column() {
    // A value in column XFD on 40,000 rows: 655 million cells of grid.
    let rows: String = (2..=40_001)
        .map(|r| row(r, &[n(&format!("XFD{r}"), 1.0)]))
        .collect();
    let hostile = xlsx(&[("Sheet1", "visible", format!("{}{rows}", good_rows()))]);
    assert!(hostile.len() < 200_000, "{}", hostile.len());
    let why = read_error(&hostile, "x.xlsx");
    assert!(why.starts_with("Bảng tính quá lớn"), "{why}");
    assert!(why.contains("Cột xa nhất có dữ liệu là XFD"), "{why}");
    assert!(why.contains("max_cells"), "{why}");

    // The limit is the configured one.
    let small = ReadOptions {
        max_cells: 8,
        ..ReadOptions::default()
    };
    let why = read_table_with(&xlsx(&[("S", "visible", good_rows())]), "x.xlsx", &small)
        .unwrap_err()
        .to_string();
    assert!(
        why.contains("3 dòng × 3 cột (9 ô), quá giới hạn 8 ô"),
        "{why}"
    );

    // A CSV row of more than 16,384 fields.
    let wide = format!("SBD,Họ và tên,Toán\n{}\n", ",".repeat(16_384) + "1");
    let why = read_error(wide.as_bytes(), "x.csv");
    assert!(why.contains("Dòng 2") && why.contains("XFD"), "{why}");
}

#[test]
fn xls_and_ods_grids_are_measured_before_calamine_reads_them() {
    // An XLS with a cell at A1 and one at IV65536: a dense range of 16.7 million cells.
    let far = xls(&[(0, 0, 1.0), (65_535, 255, 1.0)], (2, 1));
    let why = read_error(&far, "x.xls");
    assert!(
        why.contains("XLS") && why.contains("gần như trống"),
        "{why}"
    );
    // DIMENSIONS claiming a huge sheet (calamine reserves room for it).
    let claims = xls(&[(0, 0, 1.0)], (4_000_000, 256));
    let why = read_error(&claims, "x.xls");
    assert!(why.contains("XLS"), "{why}");
    assert_vietnamese(&why);

    // An ODS with one value repeated over 16,384 columns on 1,000 repeated rows.
    let repeated = ods(
        r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>"#,
    );
    let why = read_error(&repeated, "x.ods");
    assert!(
        why.contains("ODS") && why.contains("gần như trống"),
        "{why}"
    );

    // A plain ODS still reads.
    let plain = ods(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>SBD</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Họ và tên</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Toán</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>010001</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Lê Lan</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="8.5"><text:p>8,5</text:p></table:table-cell></table:table-row>"#,
    );
    let c = exam::import(&plain, "x.ods", &spec()).unwrap();
    assert_eq!(c[0].name, "Lê Lan");
}

#[test]
fn a_file_with_headers_and_no_rows_is_refused() {
    let empty = xlsx(&[(
        "Sheet1",
        "visible",
        row(1, &[s("A1", "SBD"), s("B1", "Họ và tên"), s("C1", "Toán")]),
    )]);
    let errors = errors_of(&empty, "x.xlsx");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("1: Tệp không có thí sinh nào"),
        "{errors:?}"
    );
    let csv = "SBD;Họ và tên;Toán\r\n;;\r\n";
    let errors = errors_of(csv.as_bytes(), "x.csv");
    assert!(errors[0].contains("không có thí sinh nào"), "{errors:?}");
}

#[test]
fn hidden_sheets_are_never_read_and_the_visible_ones_can_be_chosen() {
    let decoy = row(1, &[s("A1", "SBD"), s("B1", "Họ và tên"), s("C1", "Toán")])
        + &row(2, &[s("A2", "999999"), s("B2", "Ẩn"), n("C2", 1.0)]);
    let other = row(1, &[s("A1", "SBD"), s("B1", "Họ và tên"), s("C1", "Toán")])
        + &row(2, &[s("A2", "020001"), s("B2", "Phạm Thu"), n("C2", 9.0)]);
    let book = xlsx(&[
        ("Nháp", "hidden", decoy.clone()),
        ("Kết quả", "visible", good_rows()),
        ("Rất ẩn", "veryHidden", decoy),
        ("Phúc khảo", "visible", other),
    ]);
    let table = read_table(&book, "x.xlsx").unwrap();
    assert_eq!(table.sheet(), Some("Kết quả"));
    assert_eq!(table.sheets(), ["Kết quả", "Phúc khảo"]);
    let c = exam::import(&book, "x.xlsx", &spec()).unwrap();
    assert_eq!(c[0].sbd, "010001");

    let chosen = ReadOptions {
        sheet: Some("Phúc khảo".to_owned()),
        ..ReadOptions::default()
    };
    let table = read_table_with(&book, "x.xlsx", &chosen).unwrap();
    assert_eq!(table.sheet(), Some("Phúc khảo"));
    assert_eq!(table.preview(1)[0].get(1), CellValue::Text("Phạm Thu"));

    // A hidden sheet cannot be asked for by name.
    let hidden = ReadOptions {
        sheet: Some("Nháp".to_owned()),
        ..ReadOptions::default()
    };
    let why = read_table_with(&book, "x.xlsx", &hidden)
        .unwrap_err()
        .to_string();
    assert!(
        why.contains("“Nháp”") && why.contains("Kết quả, Phúc khảo"),
        "{why}"
    );

    let none_visible = xlsx(&[("Nháp", "hidden", good_rows())]);
    assert!(read_error(&none_visible, "x.xlsx").contains("không có trang tính nào đang hiện"));
}

#[test]
fn a_formula_without_a_saved_value_is_a_bad_row_never_absent() {
    let rows = good_rows()
        + &row(
            4,
            &[
                s("A4", "010003"),
                s("B4", "Lê Minh"),
                r#"<c r="C4"><f>SUM(C2:C3)</f></c>"#.to_owned(),
            ],
        )
        + &row(
            5,
            &[
                s("A5", "010004"),
                s("B5", "Đỗ Hà"),
                r#"<c r="C5" t="e"><f>1/0</f><v>#DIV/0!</v></c>"#.to_owned(),
            ],
        )
        + &row(
            6,
            &[
                s("A6", "010005"),
                s("B6", "Vũ An"),
                r#"<c r="C6"><f>C2</f><v>8.25</v></c>"#.to_owned(),
            ],
        );
    let errors = errors_of(&xlsx(&[("S", "visible", rows)]), "x.xlsx");
    assert_eq!(
        errors,
        [
            "4: Điểm Toán: ô công thức chưa có giá trị; hãy mở và lưu lại tệp trong Excel",
            "5: Điểm Toán: ô có lỗi công thức #DIV/0!; hãy sửa công thức trong Excel",
        ]
    );
}

#[test]
fn a_stray_quote_in_a_csv_is_a_bad_row_at_the_line_where_it_starts() {
    let mut csv = String::from("SBD,Họ và tên,Toán\n010001,Nguyễn Lan,8\n010002,\"Trần Hùng,7\n");
    for i in 3..10 {
        csv.push_str(&format!("01000{i},Người Thứ {i},6\n"));
    }
    csv.push_str("010010,Lê Cuối\",5\n");
    let errors = errors_of(csv.as_bytes(), "x.csv");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("3: Họ và tên có ô xuống dòng"),
        "{errors:?}"
    );
    assert!(errors[0].contains("dấu ngoặc kép"), "{errors:?}");
}

#[test]
fn every_field_is_bounded_and_control_characters_are_bad_rows() {
    let long_name = "A".repeat(1 << 20);
    let csv = format!(
        "SBD;Họ và tên;Toán;Trường\n\
         010001;{long_name};8;THCS\n\
         010002;Trần\u{0}Hùng;7;THCS\n\
         010003;Lê Lan;{};THCS\n\
         010004;Đỗ Hà;6;{}\n\
         010005;Vũ\u{202E}An;6;THCS\n\
         010006;Phan Minh;6;TH\u{7}CS\n",
        "9".repeat(5000),
        "B".repeat(201),
    );
    let spec = SessionSpec {
        extras: vec![exam::ExtraField::new("truong", "Trường")],
        ..spec()
    };
    let table = read_table(csv.as_bytes(), "x.csv").unwrap();
    let mapping = map_headers(&table, &spec);
    let errors: Vec<String> = parse_candidates(&table, &mapping, &spec)
        .unwrap_err()
        .into_iter()
        .map(|e| format!("{}: {}", e.line, e.reason_vi))
        .collect();
    assert_eq!(
        errors,
        [
            "2: Họ và tên dài 1.048.576 ký tự, quá 100 ký tự cho phép",
            "3: Họ và tên có ký tự điều khiển không được phép (U+0000); hãy xoá ký tự đó",
            "4: Điểm Toán dài 5.000 ký tự, quá 40 ký tự cho phép",
            "5: Trường dài 201 ký tự, quá 200 ký tự cho phép",
            "6: Họ và tên có ký tự điều khiển không được phép (U+202E); hãy xoá ký tự đó",
            "7: Trường có ký tự điều khiển không được phép (U+0007); hãy xoá ký tự đó",
        ]
    );
    // No message quotes more than a short piece of a cell.
    assert!(errors.iter().all(|e| e.len() < 200), "{errors:?}");
}

#[test]
fn damaged_archives_are_told_in_vietnamese() {
    let good = xlsx(&[("S", "visible", good_rows())]);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (good[..good.len() / 2].to_vec(), "cut.xlsx"),
        (b"PK\x03\x04 not a zip at all".to_vec(), "x.xlsx"),
        (b"PK\x03\x04 not a zip at all".to_vec(), "x.ods"),
        (b"PK\x03\x04 not a zip at all".to_vec(), "x.xlsb"),
        (
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0].to_vec(),
            "x.xls",
        ),
        (
            xlsx(&[(
                "S",
                "visible",
                "<row r=\"1\"><c r=\"A1\"><v>1</v></row>".to_owned(),
            )]),
            "bad-xml.xlsx",
        ),
        (
            xlsx(&[(
                "S",
                "visible",
                "<row r=\"1\"><c r=\"AAAAAAAAAAAAAAAAAAAA1\"><v>1</v></c></row>".to_owned(),
            )]),
            "bad-address.xlsx",
        ),
    ];
    for (bytes, name) in cases {
        let why = read_error(&bytes, name);
        assert!(
            why.starts_with("Không đọc được tệp") || why.contains("Dòng"),
            "{name}: {why}"
        );
        assert_vietnamese(&why);
    }
}
