//! A result file read into rows of cells, whatever it was: XLSX, XLS, ODS or CSV.
//!
//! Cells are kept compactly (one text arena, 16 bytes a cell) because a provincial
//! results file has a million rows; each row keeps the line number a person sees in
//! Excel or a text editor, so that every message can point at it.

use crate::aliases;
use calamine::{Data, DataRef, Reader};
use jiff::civil::Date;
use std::io::Cursor;

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The spreadsheet could not be opened.
    #[error("Không đọc được tệp bảng tính: {0}")]
    Spreadsheet(String),
    /// The workbook has no sheet.
    #[error("Tệp không có trang tính nào")]
    NoSheet,
    /// The CSV is neither UTF-8 nor UTF-16.
    #[error("Tệp CSV không ở mã UTF-8 (dòng {line}); hãy lưu lại bằng \"CSV UTF-8\" trong Excel")]
    NotUtf8 {
        /// Where the first undecodable bytes are.
        line: u64,
    },
    /// The CSV is malformed.
    #[error("Tệp CSV hỏng ở dòng {line}")]
    Csv {
        /// The line of the damage.
        line: u64,
    },
    /// Nothing in the file.
    #[error("Tệp không có dữ liệu")]
    Empty,
    /// More text than one import takes.
    #[error("Tệp quá lớn")]
    TooLarge,
}

/// The kind of file, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel 97–2003 workbook (.xls).
    Xls,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// Comma, semicolon or tab separated text.
    Csv,
}

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellValue<'a> {
    /// Nothing.
    Empty,
    /// Text, as written (CSV cells are always text).
    Text(&'a str),
    /// A number from a spreadsheet.
    Number(f64),
    /// A cell a spreadsheet formatted as a date.
    Date(Date),
}

impl CellValue<'_> {
    /// The cell as a person reads it: numbers with a decimal comma, dates dd/mm/yyyy.
    pub fn display(&self) -> String {
        match *self {
            CellValue::Empty => String::new(),
            CellValue::Text(t) => t.to_owned(),
            CellValue::Number(n) => plain_number(n),
            CellValue::Date(d) => d.strftime("%d/%m/%Y").to_string(),
        }
    }

    /// Whether there is nothing in the cell but white space.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Cell {
    Empty,
    Text { start: u32, len: u32 },
    Number(f64),
    Date(Date),
}

#[derive(Debug, Clone, Copy)]
struct RowMeta {
    line: u32,
    first_cell: u32,
    cells: u32,
}

/// A file's rows, with the header row found.
#[derive(Debug, Clone)]
pub struct Table {
    kind: FileKind,
    text: String,
    cells: Vec<Cell>,
    rows: Vec<RowMeta>,
    header_row: usize,
    header_rows: usize,
    headers: Vec<String>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    meta: RowMeta,
}

impl<'a> Row<'a> {
    /// The line as the user sees it in the file (1-based, like Excel's row numbers).
    pub fn line(&self) -> u32 {
        self.meta.line
    }

    /// The number of cells (trailing empty ones may be missing).
    pub fn len(&self) -> usize {
        self.meta.cells as usize
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.meta.cells == 0
    }

    /// The cell in column `col` (0-based); `Empty` beyond the row's end.
    pub fn get(&self, col: usize) -> CellValue<'a> {
        if col >= self.meta.cells as usize {
            return CellValue::Empty;
        }
        match self.table.cells[self.meta.first_cell as usize + col] {
            Cell::Empty => CellValue::Empty,
            Cell::Text { start, len } => {
                CellValue::Text(&self.table.text[start as usize..(start + len) as usize])
            }
            Cell::Number(n) => CellValue::Number(n),
            Cell::Date(d) => CellValue::Date(d),
        }
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        (0..self.len()).all(|c| self.get(c).is_blank())
    }

    /// Every cell as a person reads it.
    pub fn display(&self) -> Vec<String> {
        (0..self.len()).map(|c| self.get(c).display()).collect()
    }
}

impl Table {
    /// The kind of file the table came from.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The header texts, one per column (NFC, white space folded); a header over two
    /// rows gives the lower row's text where it names a column we know.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The line of the (first) header row.
    pub fn header_line(&self) -> u32 {
        self.rows.get(self.header_row).map_or(1, |r| r.line)
    }

    /// The rows under the header, blank rows left out.
    pub fn data_rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows[(self.header_row + self.header_rows).min(self.rows.len())..]
            .iter()
            .map(|&meta| Row { table: self, meta })
            .filter(|r| !r.is_blank())
    }

    /// The number of non-blank rows under the header.
    pub fn data_row_count(&self) -> usize {
        self.data_rows().count()
    }

    /// The first `n` rows under the header, for the admin's preview.
    pub fn preview(&self, n: usize) -> Vec<Row<'_>> {
        self.data_rows().take(n).collect()
    }

    /// Every row of the file, title rows included.
    pub fn all_rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|&meta| Row { table: self, meta })
    }

    /// Says which row holds the headers (an index into [`Table::all_rows`]) when the
    /// automatic choice was wrong; the header is then that one row.
    pub fn set_header_row(&mut self, index: usize) {
        self.header_row = index.min(self.rows.len().saturating_sub(1));
        self.header_rows = 1;
        self.headers = self.header_texts(self.header_row, None);
    }

    fn row(&self, i: usize) -> Row<'_> {
        Row {
            table: self,
            meta: self.rows[i],
        }
    }

    fn header_texts(&self, first: usize, second: Option<usize>) -> Vec<String> {
        if self.rows.is_empty() {
            return Vec::new();
        }
        let top = self.row(first);
        let below = second.map(|i| self.row(i));
        let width = top.len().max(below.map_or(0, |b| b.len()));
        (0..width)
            .map(|c| {
                let upper = vntext::clean_line(&top.get(c).display());
                match below {
                    Some(b) => {
                        let lower = vntext::clean_line(&b.get(c).display());
                        if !lower.is_empty()
                            && (upper.is_empty() || !aliases::looks_like_header(&upper))
                        {
                            lower
                        } else {
                            upper
                        }
                    }
                    None => upper,
                }
            })
            .collect()
    }

    /// Finds the header row: among the first rows, the first one with the most cells
    /// that name a known column, so that a title ("KẾT QUẢ THI TUYỂN SINH …") or blank
    /// rows above it do not matter. A header over two rows (a merged "Điểm các môn"
    /// above the subject names) is joined.
    fn find_header(&mut self) -> usize {
        let mut best = (0usize, 0usize);
        for i in 0..self.rows.len().min(30) {
            let row = self.row(i);
            let score = (0..row.len())
                .filter(|&c| match row.get(c) {
                    CellValue::Text(t) => aliases::looks_like_header(t),
                    _ => false,
                })
                .count();
            if score > best.1 {
                best = (i, score);
            }
        }
        let (mut index, score) = best;
        if score < 2 {
            // Nothing recognisable: the first non-blank row is the header.
            index = (0..self.rows.len())
                .find(|&i| !self.row(i).is_blank())
                .unwrap_or(0);
        }
        self.header_row = index;
        self.header_rows = 1;
        let next = index + 1;
        if score >= 2 && next < self.rows.len() {
            let row = self.row(next);
            let known = (0..row.len())
                .filter(|&c| match row.get(c) {
                    CellValue::Text(t) => aliases::looks_like_header(t),
                    _ => false,
                })
                .count();
            if known >= 2 {
                self.header_rows = 2;
                self.headers = self.header_texts(index, Some(next));
                return score + known;
            }
        }
        self.headers = self.header_texts(index, None);
        score
    }
}

/// A spreadsheet number as typed: no thousands separators (a candidate number stays
/// "10234"), a decimal comma ("8,25"), float noise rounded away.
pub(crate) fn plain_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let s = format!("{:.6}", n);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// Builds a table row by row.
struct Builder {
    kind: FileKind,
    text: String,
    cells: Vec<Cell>,
    rows: Vec<RowMeta>,
    row_start: usize,
    line: u32,
}

impl Builder {
    fn new(kind: FileKind) -> Self {
        Builder {
            kind,
            text: String::new(),
            cells: Vec::new(),
            rows: Vec::new(),
            row_start: 0,
            line: 0,
        }
    }

    fn start_row(&mut self, line: u32) {
        self.row_start = self.cells.len();
        self.line = line;
    }

    fn text(&mut self, s: &str) -> Result<(), ReadError> {
        let s = s.trim();
        if s.is_empty() {
            self.cells.push(Cell::Empty);
            return Ok(());
        }
        let start = u32::try_from(self.text.len()).map_err(|_| ReadError::TooLarge)?;
        let len = u32::try_from(s.len()).map_err(|_| ReadError::TooLarge)?;
        self.text.push_str(s);
        self.cells.push(Cell::Text { start, len });
        Ok(())
    }

    fn push(&mut self, cell: Cell) {
        self.cells.push(cell);
    }

    fn pad_to(&mut self, col: usize) {
        while self.cells.len() - self.row_start < col {
            self.cells.push(Cell::Empty);
        }
    }

    fn end_row(&mut self) -> Result<(), ReadError> {
        // Trailing empty cells are noise of the export.
        while self.cells.len() > self.row_start && matches!(self.cells.last(), Some(Cell::Empty)) {
            self.cells.pop();
        }
        let first_cell = u32::try_from(self.row_start).map_err(|_| ReadError::TooLarge)?;
        self.rows.push(RowMeta {
            line: self.line,
            first_cell,
            cells: (self.cells.len() - self.row_start) as u32,
        });
        Ok(())
    }

    fn finish(self) -> Result<Table, ReadError> {
        let mut table = Table {
            kind: self.kind,
            text: self.text,
            cells: self.cells,
            rows: self.rows,
            header_row: 0,
            header_rows: 1,
            headers: Vec::new(),
        };
        if table.rows.iter().all(|r| r.cells == 0) {
            return Err(ReadError::Empty);
        }
        table.find_header();
        Ok(table)
    }
}

/// Tells the kind of a file from its first bytes, the name's extension breaking ties
/// (a zip is XLSX unless it says it is OpenDocument).
pub fn detect_kind(bytes: &[u8], file_name_hint: &str) -> FileKind {
    let ext = file_name_hint
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(200)];
        let is_ods = head
            .windows(b"opendocument.spreadsheet".len())
            .any(|w| w == b"opendocument.spreadsheet");
        return if is_ods || ext == "ods" {
            FileKind::Ods
        } else if ext == "xlsb" {
            FileKind::Xlsb
        } else {
            FileKind::Xlsx
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return FileKind::Xls;
    }
    FileKind::Csv
}

/// Reads a results file: XLSX, XLS, XLSB or ODS (the first sheet) or CSV (UTF-8 with or
/// without BOM, or UTF-16 with BOM as Excel's "Unicode text"; separated by ',' ';' or
/// tab, whichever makes a header row of known columns).
pub fn read_table(bytes: &[u8], file_name_hint: &str) -> Result<Table, ReadError> {
    match detect_kind(bytes, file_name_hint) {
        FileKind::Csv => read_csv(bytes),
        FileKind::Xlsx => read_xlsx(bytes),
        kind => read_workbook(bytes, kind),
    }
}

fn spreadsheet_error(e: impl std::fmt::Display) -> ReadError {
    ReadError::Spreadsheet(e.to_string())
}

/// A cell of a spreadsheet in our form; dates become calendar dates.
fn push_value(b: &mut Builder, value: &Data) -> Result<(), ReadError> {
    match value {
        Data::Empty | Data::Error(_) => b.push(Cell::Empty),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => b.text(s)?,
        Data::Int(i) => b.push(Cell::Number(*i as f64)),
        Data::Float(f) => b.push(Cell::Number(*f)),
        Data::Bool(v) => b.text(if *v { "TRUE" } else { "FALSE" })?,
        Data::DateTime(dt) => b.push(datetime_cell(dt)),
    }
    Ok(())
}

fn datetime_cell(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() {
        return Cell::Number(dt.as_f64());
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    match (i16::try_from(y), Date::new(y as i16, m as i8, d as i8)) {
        (Ok(_), Ok(date)) => Cell::Date(date),
        _ => Cell::Number(dt.as_f64()),
    }
}

fn read_workbook(bytes: &[u8], kind: FileKind) -> Result<Table, ReadError> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(spreadsheet_error)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ReadError::NoSheet)?
        .map_err(spreadsheet_error)?;
    let mut b = Builder::new(kind);
    let first_row = range.start().map_or(0, |(r, _)| r);
    let first_col = range.start().map_or(0, |(_, c)| c) as usize;
    for (i, row) in range.rows().enumerate() {
        b.start_row(first_row + i as u32 + 1);
        b.pad_to(first_col);
        for value in row {
            push_value(&mut b, value)?;
        }
        b.end_row()?;
    }
    b.finish()
}

/// XLSX is read cell by cell from the sheet's XML, without building calamine's
/// whole-sheet range first: for a million rows that halves the memory and the time.
fn read_xlsx(bytes: &[u8]) -> Result<Table, ReadError> {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(spreadsheet_error)?;
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(ReadError::NoSheet)?;
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(spreadsheet_error)?;
    let mut b = Builder::new(FileKind::Xlsx);
    let mut current: Option<u32> = None;
    while let Some(cell) = reader.next_cell().map_err(spreadsheet_error)? {
        let (row, col) = cell.get_position();
        if current != Some(row) {
            if current.is_some() {
                b.end_row()?;
            }
            b.start_row(row + 1);
            current = Some(row);
        }
        b.pad_to(col as usize);
        if b.cells.len() - b.row_start > col as usize {
            // A cell twice in one row: the file is odd; keep the first.
            continue;
        }
        match cell.get_value() {
            DataRef::Empty | DataRef::Error(_) => b.push(Cell::Empty),
            DataRef::SharedString(s) => b.text(s)?,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => b.text(s)?,
            DataRef::Int(i) => b.push(Cell::Number(*i as f64)),
            DataRef::Float(f) => b.push(Cell::Number(*f)),
            DataRef::Bool(v) => b.text(if *v { "TRUE" } else { "FALSE" })?,
            DataRef::DateTime(dt) => b.push(datetime_cell(dt)),
        }
    }
    if current.is_some() {
        b.end_row()?;
    }
    b.finish()
}

/// The CSV's text: UTF-8 without its BOM, or UTF-16 (with BOM) decoded.
fn csv_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, ReadError> {
    use std::borrow::Cow;
    let utf16 = |le: bool| -> Result<Cow<'_, str>, ReadError> {
        let units = bytes[2..].chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(Cow::Owned)
            .map_err(|_| ReadError::NotUtf8 { line: 1 })
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|e| not_utf8(rest, e)),
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| not_utf8(bytes, e)),
    }
}

fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> ReadError {
    let line = bytes[..e.valid_up_to()]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1;
    ReadError::NotUtf8 { line }
}

fn csv_reader(text: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text)
}

/// How well a separator fits the file: the header score it gives the first rows, then
/// how many columns the best row has.
fn delimiter_fit(text: &[u8], delimiter: u8) -> (usize, usize) {
    let mut reader = csv_reader(text, delimiter);
    let mut record = csv::StringRecord::new();
    let mut best = (0, 0);
    for _ in 0..30 {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let known = record
                    .iter()
                    .filter(|c| aliases::looks_like_header(c))
                    .count();
                best = best.max((known, record.len()));
            }
            _ => break,
        }
    }
    best
}

fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = csv_text(bytes)?;
    let raw = text.as_bytes();
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (delimiter_fit(raw, d), d == b','))
        .unwrap_or(b',');
    let mut reader = csv_reader(raw, delimiter);
    let mut record = csv::StringRecord::new();
    let mut b = Builder::new(FileKind::Csv);
    let (mut line, mut counted_to) = (1u64, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(ReadError::Csv { line });
            }
        }
        // The csv crate's own line count leaves out blank lines; count them from
        // the record's byte offset instead, so that lines match a text editor's.
        // The offset is where the reader stood, before the blank lines it skipped.
        let mut offset = record.position().map_or(counted_to, |p| p.byte() as usize);
        while matches!(raw.get(offset), Some(b'\n' | b'\r')) {
            offset += 1;
        }
        if offset > counted_to {
            line += raw[counted_to..offset.min(raw.len())]
                .iter()
                .filter(|&&c| c == b'\n')
                .count() as u64;
            counted_to = offset;
        }
        b.start_row(u32::try_from(line).map_err(|_| ReadError::TooLarge)?);
        for field in record.iter() {
            b.text(field)?;
        }
        b.end_row()?;
    }
    b.finish()
}
