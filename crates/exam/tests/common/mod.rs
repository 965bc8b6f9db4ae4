//! Spreadsheets written by hand, byte by byte, for the hostile cases: an XLSX zipped
//! from our own XML (addresses, hidden sheets, formulas without values, all as we
//! choose), an ODS likewise, and an XLS compound file with our own BIFF records.

#![allow(dead_code)]

use std::io::{Cursor, Write};

fn zip(files: &[(&str, String)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in files {
        out.start_file(*name, options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// An XLSX of sheets given as (name, state, the XML inside `<sheetData>`); state is
/// "visible", "hidden" or "veryHidden". Strings are inline (`t="inlineStr"`).
pub fn xlsx(sheets: &[(&str, &str, String)]) -> Vec<u8> {
    let mut files = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
    ];
    let mut book = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut sheet_files = Vec::new();
    for (i, (name, state, data)) in sheets.iter().enumerate() {
        let n = i + 1;
        book.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" state="{state}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        sheet_files.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
            ),
        ));
    }
    book.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    files.push(("xl/workbook.xml", book));
    files.push(("xl/_rels/workbook.xml.rels", rels));
    let mut all: Vec<(&str, String)> = files;
    for (name, text) in &sheet_files {
        all.push((name.as_str(), text.clone()));
    }
    zip(&all)
}

/// A text cell at an address.
pub fn s(addr: &str, text: &str) -> String {
    format!(r#"<c r="{addr}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A number cell at an address.
pub fn n(addr: &str, v: f64) -> String {
    format!(r#"<c r="{addr}"><v>{v}</v></c>"#)
}

/// A row of cells.
pub fn row(r: u32, cells: &[String]) -> String {
    format!(r#"<row r="{r}">{}</row>"#, cells.concat())
}

/// The usual header row and two candidates, on lines 1–3.
pub fn good_rows() -> String {
    [
        row(1, &[s("A1", "SBD"), s("B1", "Họ và tên"), s("C1", "Toán")]),
        row(
            2,
            &[s("A2", "010001"), s("B2", "Nguyễn Thị Lan"), n("C2", 8.25)],
        ),
        row(
            3,
            &[s("A3", "010002"), s("B3", "Trần Văn Hùng"), n("C3", 7.0)],
        ),
    ]
    .concat()
}

/// An ODS with one table; `rows` is the XML inside `<table:table>`.
pub fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        (
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet".to_owned(),
        ),
        ("content.xml", content),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.to_owned(),
        ),
    ])
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// An XLS (BIFF8 in a compound file) with one sheet holding numbers at the given
/// (row, column) positions, and a DIMENSIONS record of (rows, columns).
pub fn xls(cells: &[(u16, u16, f64)], dimensions: (u32, u16)) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&kind.to_le_bytes());
        d
    };
    // Globals: BOF, one BoundSheet (its position filled in below), EOF.
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let name = b"Sheet1";
    let mut bound = vec![0u8; 6];
    bound.push(name.len() as u8);
    bound.push(0); // compressed (8-bit) characters
    bound.extend_from_slice(name);
    let bound_at = globals.len() + 4;
    record(&mut globals, 0x0085, &bound);
    record(&mut globals, 0x000A, &[]);
    let sheet_at = globals.len() as u32;
    globals[bound_at..bound_at + 4].copy_from_slice(&sheet_at.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    let mut dim = Vec::new();
    dim.extend_from_slice(&0u32.to_le_bytes());
    dim.extend_from_slice(&dimensions.0.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    dim.extend_from_slice(&dimensions.1.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    record(&mut sheet, 0x0200, &dim);
    for &(r, c, v) in cells {
        let mut d = Vec::new();
        d.extend_from_slice(&r.to_le_bytes());
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&v.to_le_bytes());
        record(&mut sheet, 0x0203, &d);
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend_from_slice(&sheet);
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    {
        let mut stream = file.create_stream("/Workbook").unwrap();
        stream.write_all(&globals).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}
