//! A file of results read into rows of cells, whatever it was: XLSX, XLS, ODS or CSV.
//!
//! Cells are kept compactly and sparsely (one text arena; a cell's column and value,
//! nothing for an empty cell) because a provincial results file has a million rows,
//! and because a cell's address in a file is untrusted: a lone cell at XFD1048576
//! costs one cell, never a padded row. Every row keeps the line number a person sees
//! in Excel or a text editor, so that every message can point at it.
//!
//! What a file may cost is bounded before it is read whole (see [`ReadOptions`]):
//! at most [`MAX_COLUMNS`] columns, at most `max_cells` cells of grid (rows with data
//! times the widest row). XLS and ODS are read by calamine into dense grids, so their
//! grids are measured first from the file itself (`guard`).

use crate::aliases;
use crate::guard;
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible};
use jiff::civil::Date;
use std::io::Cursor;

/// Excel's last column is XFD, the 16,384th; no spreadsheet has a cell beyond it.
pub const MAX_COLUMNS: usize = 16_384;
/// Excel's last row.
pub const MAX_ROWS: u32 = 1_048_576;
/// The grid a file may have unless configured otherwise (`[exams] max_cells`): a
/// million candidates with twenty columns.
pub const DEFAULT_MAX_CELLS: u64 = 20_000_000;

/// How a file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The largest grid (rows with data × the widest row's columns) a file may have.
    pub max_cells: u64,
    /// The sheet to read, by name; the first visible one when `None`. Hidden sheets
    /// are never read.
    pub sheet: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_cells: DEFAULT_MAX_CELLS,
            sheet: None,
        }
    }
}

/// Why a file could not be read at all. Every message is Vietnamese, whatever the
/// library underneath said.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The spreadsheet is damaged (its ZIP, XML or compound file), or locked.
    #[error(
        "Không đọc được tệp {kind}: {why}. Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi tải lên lại"
    )]
    Damaged {
        /// The kind of file ("XLSX", "XLS" …).
        kind: &'static str,
        /// What is wrong, in Vietnamese.
        why: &'static str,
    },
    /// The workbook has no visible worksheet.
    #[error("Tệp không có trang tính nào đang hiện (các trang tính ẩn không được đọc)")]
    NoSheet,
    /// The chosen sheet is not a visible worksheet of the file.
    #[error("Tệp không có trang tính “{name}” đang hiện; các trang tính có thể chọn: {available}")]
    NoSuchSheet {
        /// The name asked for.
        name: String,
        /// The visible sheets, joined.
        available: String,
    },
    /// A cell beyond Excel's last column or row.
    #[error(
        "Dòng {line}: có ô ở ngoài vùng của Excel (quá cột XFD, tức 16.384 cột, hoặc quá dòng 1.048.576); tệp bị hỏng hoặc không do Excel tạo ra"
    )]
    OutOfGrid {
        /// The line of the cell (the last line Excel has when the row is beyond it).
        line: u32,
    },
    /// The grid is larger than the configured maximum.
    #[error(
        "Bảng tính quá lớn: {rows} dòng × {columns} cột ({cells} ô), quá giới hạn {max} ô (mục max_cells trong [exams] của cấu hình). Cột xa nhất có dữ liệu là {last_column} (dòng {line}); hãy xoá các cột, dòng thừa rồi lưu lại tệp"
    )]
    TooManyCells {
        /// Rows with data, formatted.
        rows: String,
        /// The widest row's columns, formatted.
        columns: String,
        /// Their product, formatted.
        cells: String,
        /// The limit, formatted.
        max: String,
        /// The letter of the farthest column.
        last_column: String,
        /// A line with a cell in that column.
        line: u32,
    },
    /// The grid an XLS or ODS sheet would make is larger than the configured maximum.
    #[error(
        "Bảng tính {kind} quá lớn: {cells} ô, quá giới hạn {max} ô (mục max_cells trong [exams] của cấu hình); hãy xoá các cột, dòng thừa rồi lưu lại tệp"
    )]
    GridTooLarge {
        /// The kind of file.
        kind: &'static str,
        /// The grid, formatted.
        cells: String,
        /// The limit, formatted.
        max: String,
    },
    /// Cells spread over a grid far larger than what the file holds (a few cells far
    /// apart, or cells repeated by the thousand): a damaged or hostile file.
    #[error(
        "Tệp {kind} có vùng dữ liệu trải rộng {cells} ô nhưng gần như trống; tệp bị hỏng hoặc có ô ở rất xa (hãy xoá các ô thừa rồi lưu lại)"
    )]
    Sparse {
        /// The kind of file.
        kind: &'static str,
        /// The grid, formatted.
        cells: String,
    },
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

impl ReadError {
    /// A damaged file of this kind; `detail` (the library's words, in English) only
    /// chooses the Vietnamese reason.
    pub(crate) fn damaged(kind: FileKind, detail: &dyn std::fmt::Debug) -> ReadError {
        let detail = format!("{detail:?}");
        let why = if detail.contains("Password") || detail.contains("Encrypt") {
            "tệp được đặt mật khẩu; hãy bỏ mật khẩu"
        } else if detail.contains("Zip") || detail.contains("zip") {
            "tệp nén (ZIP) bên trong bị hỏng hoặc không trọn vẹn"
        } else if detail.contains("Xml") || detail.contains("xml") {
            "nội dung XML bên trong tệp bị hỏng"
        } else if detail.contains("Cfb") || detail.contains("cfb") {
            "cấu trúc tệp Excel 97–2003 bị hỏng"
        } else if detail.contains("NotAWorksheet") || detail.contains("WorksheetNotFound") {
            "trang tính không đọc được (có thể là biểu đồ hoặc macro)"
        } else {
            "tệp bị hỏng hoặc không đúng định dạng"
        };
        ReadError::Damaged {
            kind: kind.label(),
            why,
        }
    }
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

impl FileKind {
    /// The kind as people name it.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Xlsx => "XLSX",
            FileKind::Xls => "XLS",
            FileKind::Xlsb => "XLSB",
            FileKind::Ods => "ODS",
            FileKind::Csv => "CSV",
        }
    }
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
    /// A formula whose value was never saved (the file was written by a program that
    /// does not calculate): its value is unknown, which is not the same as empty.
    Formula,
    /// A spreadsheet error value ("#N/A", "#REF!" …).
    Error(&'a str),
}

impl CellValue<'_> {
    /// The cell as a person reads it: numbers with a decimal comma, dates dd/mm/yyyy.
    pub fn display(&self) -> String {
        match *self {
            CellValue::Empty => String::new(),
            CellValue::Text(t) | CellValue::Error(t) => t.to_owned(),
            CellValue::Number(n) => plain_number(n),
            CellValue::Date(d) => d.strftime("%d/%m/%Y").to_string(),
            CellValue::Formula => "(công thức chưa có giá trị)".to_owned(),
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
    Text { start: u32, len: u32 },
    Number(f64),
    Date(Date),
    Formula,
    Error { start: u32, len: u32 },
}

#[derive(Debug, Clone, Copy)]
struct RowMeta {
    line: u32,
    first_cell: u32,
    /// Cells stored (non-empty ones only).
    cells: u32,
    /// The last stored cell's column + 1.
    width: u16,
}

/// A file's rows, with the header row found.
#[derive(Debug, Clone)]
pub struct Table {
    kind: FileKind,
    text: String,
    cells: Vec<Cell>,
    /// The column of each stored cell, ascending within a row.
    columns: Vec<u16>,
    rows: Vec<RowMeta>,
    header_row: usize,
    header_rows: usize,
    headers: Vec<String>,
    sheet: Option<String>,
    sheets: Vec<String>,
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

    /// The kind of file the row comes from.
    pub fn kind(&self) -> FileKind {
        self.table.kind
    }

    /// The number of columns up to the last non-empty cell.
    pub fn len(&self) -> usize {
        usize::from(self.meta.width)
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.meta.cells == 0
    }

    fn stored(&self) -> std::ops::Range<usize> {
        let first = self.meta.first_cell as usize;
        first..first + self.meta.cells as usize
    }

    fn value(&self, index: usize) -> CellValue<'a> {
        let text = |start: u32, len: u32| &self.table.text[start as usize..(start + len) as usize];
        match self.table.cells[index] {
            Cell::Text { start, len } => CellValue::Text(text(start, len)),
            Cell::Error { start, len } => CellValue::Error(text(start, len)),
            Cell::Number(n) => CellValue::Number(n),
            Cell::Date(d) => CellValue::Date(d),
            Cell::Formula => CellValue::Formula,
        }
    }

    /// The cell in column `col` (0-based); `Empty` where the file has none.
    pub fn get(&self, col: usize) -> CellValue<'a> {
        let range = self.stored();
        let columns = &self.table.columns[range.clone()];
        // Most rows are dense: the cell of column c is the c-th one stored.
        if columns.get(col).is_some_and(|&c| usize::from(c) == col) {
            return self.value(range.start + col);
        }
        let Ok(col) = u16::try_from(col) else {
            return CellValue::Empty;
        };
        match columns.binary_search(&col) {
            Ok(i) => self.value(range.start + i),
            Err(_) => CellValue::Empty,
        }
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.stored().all(|i| self.value(i).is_blank())
    }

    /// Every cell as a person reads it.
    pub fn display(&self) -> Vec<String> {
        (0..self.len()).map(|c| self.get(c).display()).collect()
    }

    /// The first `n` cells as a person reads them (the preview shows no more columns
    /// than the header has).
    pub fn display_first(&self, n: usize) -> Vec<String> {
        (0..self.len().min(n))
            .map(|c| self.get(c).display())
            .collect()
    }
}

/// The longest header text kept; a longer one is cut (headers name columns).
const MAX_HEADER_CHARS: usize = 100;

impl Table {
    /// The kind of file the table came from.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The sheet read, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The workbook's visible worksheets, in order (hidden ones are never listed or
    /// read); empty for a CSV.
    pub fn sheets(&self) -> &[String] {
        &self.sheets
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
        let mut out: Vec<String> = (0..width)
            .map(|c| {
                let upper = header_text(&top.get(c).display());
                match below {
                    Some(b) => {
                        let lower = header_text(&b.get(c).display());
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
            .collect();
        // A stray cell far to the right of the header makes no columns.
        while out.last().is_some_and(String::is_empty) {
            out.pop();
        }
        out
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

/// A header as shown and matched: NFC, white space folded, at most
/// [`MAX_HEADER_CHARS`] characters.
fn header_text(raw: &str) -> String {
    crate::parse::clean_label(raw, MAX_HEADER_CHARS)
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

/// Builds a table row by row, keeping only the cells that hold something, and stops
/// as soon as the grid passes the limit.
struct Builder {
    kind: FileKind,
    text: String,
    cells: Vec<Cell>,
    columns: Vec<u16>,
    rows: Vec<RowMeta>,
    row_start: usize,
    line: u32,
    unsorted: bool,
    max_cells: u64,
    /// The widest row so far: its width and line.
    widest: (u16, u32),
}

impl Builder {
    fn new(kind: FileKind, max_cells: u64) -> Self {
        Builder {
            kind,
            text: String::new(),
            cells: Vec::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            row_start: 0,
            line: 0,
            unsorted: false,
            max_cells,
            widest: (0, 0),
        }
    }

    fn start_row(&mut self, line: u32) {
        self.row_start = self.cells.len();
        self.line = line;
        self.unsorted = false;
    }

    /// Puts a cell in column `col` of the current row. A column beyond Excel's
    /// last is refused: a row's width never comes from an address alone.
    fn put(&mut self, col: usize, cell: Cell) -> Result<(), ReadError> {
        if col >= MAX_COLUMNS {
            return Err(ReadError::OutOfGrid { line: self.line });
        }
        let col = col as u16;
        if self.columns[self.row_start..]
            .last()
            .is_some_and(|&last| col <= last)
        {
            self.unsorted = true;
        }
        self.columns.push(col);
        self.cells.push(cell);
        Ok(())
    }

    fn arena(&mut self, s: &str) -> Result<(u32, u32), ReadError> {
        let start = u32::try_from(self.text.len()).map_err(|_| ReadError::TooLarge)?;
        let len = u32::try_from(s.len()).map_err(|_| ReadError::TooLarge)?;
        start.checked_add(len).ok_or(ReadError::TooLarge)?;
        self.text.push_str(s);
        Ok((start, len))
    }

    fn text(&mut self, col: usize, s: &str) -> Result<(), ReadError> {
        let s = s.trim();
        if s.is_empty() {
            // Still refuse an address beyond Excel's grid.
            return if col >= MAX_COLUMNS {
                Err(ReadError::OutOfGrid { line: self.line })
            } else {
                Ok(())
            };
        }
        let (start, len) = self.arena(s)?;
        self.put(col, Cell::Text { start, len })
    }

    fn error(&mut self, col: usize, code: &str) -> Result<(), ReadError> {
        let (start, len) = self.arena(code)?;
        self.put(col, Cell::Error { start, len })
    }

    fn end_row(&mut self) -> Result<(), ReadError> {
        if self.unsorted {
            // Cells out of order in the file (or one cell twice): in column order,
            // the first of a column kept.
            let mut row: Vec<(u16, Cell)> = self.columns[self.row_start..]
                .iter()
                .copied()
                .zip(self.cells[self.row_start..].iter().copied())
                .collect();
            row.sort_by_key(|&(c, _)| c);
            row.dedup_by_key(|&mut (c, _)| c);
            self.columns.truncate(self.row_start);
            self.cells.truncate(self.row_start);
            for (c, cell) in row {
                self.columns.push(c);
                self.cells.push(cell);
            }
        }
        let first_cell = u32::try_from(self.row_start).map_err(|_| ReadError::TooLarge)?;
        let width = self.columns[self.row_start..].last().map_or(0, |&c| c + 1);
        self.rows.push(RowMeta {
            line: self.line,
            first_cell,
            cells: (self.cells.len() - self.row_start) as u32,
            width,
        });
        if width > self.widest.0 {
            self.widest = (width, self.line);
        }
        self.check_grid()
    }

    fn check_grid(&self) -> Result<(), ReadError> {
        let rows = self.rows.len() as u64;
        let columns = u64::from(self.widest.0);
        if rows.saturating_mul(columns) <= self.max_cells {
            return Ok(());
        }
        let n = |v: u64| vntext::format_number(i64::try_from(v).unwrap_or(i64::MAX));
        Err(ReadError::TooManyCells {
            rows: n(rows),
            columns: n(columns),
            cells: n(rows.saturating_mul(columns)),
            max: n(self.max_cells),
            last_column: crate::mapping::column_letter(usize::from(self.widest.0) - 1),
            line: self.widest.1,
        })
    }

    fn finish(self, sheet: Option<String>, sheets: Vec<String>) -> Result<Table, ReadError> {
        let mut table = Table {
            kind: self.kind,
            text: self.text,
            cells: self.cells,
            columns: self.columns,
            rows: self.rows,
            header_row: 0,
            header_rows: 1,
            headers: Vec::new(),
            sheet,
            sheets,
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

/// Reads a results file with the default options: see [`read_table_with`].
pub fn read_table(bytes: &[u8], file_name_hint: &str) -> Result<Table, ReadError> {
    read_table_with(bytes, file_name_hint, &ReadOptions::default())
}

/// Reads a results file: XLSX, XLS, XLSB or ODS (the first visible worksheet, or the
/// one named in `options`) or CSV (UTF-8 with or without BOM, or UTF-16 with BOM as
/// Excel's "Unicode text"; separated by ',' ';' or tab, whichever makes a header row
/// of known columns). A file beyond `options.max_cells` is refused before it costs
/// more memory than a grid of that size.
pub fn read_table_with(
    bytes: &[u8],
    file_name_hint: &str,
    options: &ReadOptions,
) -> Result<Table, ReadError> {
    let kind = detect_kind(bytes, file_name_hint);
    if kind == FileKind::Csv {
        return read_csv(bytes, options);
    }
    // The spreadsheet readers parse untrusted structure; a panic in one of them
    // (an arithmetic overflow on a crafted address, say) is a damaged file, not a
    // reason to take the server's thread down.
    std::panic::catch_unwind(|| match kind {
        FileKind::Xlsx | FileKind::Xlsb => read_streaming(bytes, kind, options),
        _ => read_workbook(bytes, kind, options),
    })
    .unwrap_or_else(|_| Err(ReadError::damaged(kind, &"panic")))
}

/// The visible worksheets and the one to read.
fn choose_sheet(
    sheets: &[calamine::Sheet],
    wanted: Option<&str>,
) -> Result<(String, Vec<String>), ReadError> {
    let visible: Vec<String> = sheets
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let chosen = match wanted {
        Some(name) => visible
            .iter()
            .find(|v| v.as_str() == name)
            .cloned()
            .ok_or_else(|| ReadError::NoSuchSheet {
                name: name.to_owned(),
                available: visible.join(", "),
            })?,
        None => visible.first().cloned().ok_or(ReadError::NoSheet)?,
    };
    Ok((chosen, visible))
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

/// A cell of a spreadsheet in our form; dates become calendar dates. `formula`
/// says the cell has a formula, so that one without a saved value is told apart
/// from an empty cell.
fn put_value(
    b: &mut Builder,
    col: usize,
    value: DataRef<'_>,
    formula: bool,
) -> Result<(), ReadError> {
    match value {
        DataRef::Empty if formula => b.put(col, Cell::Formula),
        DataRef::Empty => b.text(col, ""),
        DataRef::Error(e) => b.error(col, &e.to_string()),
        DataRef::SharedString(s) => b.text(col, s),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => b.text(col, &s),
        DataRef::Int(i) => b.put(col, Cell::Number(i as f64)),
        DataRef::Float(f) => b.put(col, Cell::Number(f)),
        DataRef::Bool(v) => b.text(col, if v { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(dt) => b.put(col, datetime_cell(&dt)),
    }
}

fn data_ref(value: &Data) -> DataRef<'_> {
    match value {
        Data::Empty => DataRef::Empty,
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::String(s) => DataRef::SharedString(s),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::Bool(v) => DataRef::Bool(*v),
        Data::DateTime(dt) => DataRef::DateTime(*dt),
    }
}

/// Follows the cells of a sheet in file order into the builder: a new row at each
/// change of row number.
struct RowTracker {
    current: Option<u32>,
}

impl RowTracker {
    fn cell(&mut self, b: &mut Builder, row: u32) -> Result<(), ReadError> {
        if row >= MAX_ROWS {
            return Err(ReadError::OutOfGrid { line: MAX_ROWS });
        }
        if self.current != Some(row) {
            if self.current.is_some() {
                b.end_row()?;
            }
            b.start_row(row + 1);
            self.current = Some(row);
        }
        Ok(())
    }

    fn finish(self, b: &mut Builder) -> Result<(), ReadError> {
        if self.current.is_some() {
            b.end_row()?;
        }
        Ok(())
    }
}

/// XLSX and XLSB are read cell by cell from the sheet, without building calamine's
/// whole-sheet range first: for a million rows that halves the memory and the time,
/// and a cell's address costs nothing.
fn read_streaming(bytes: &[u8], kind: FileKind, options: &ReadOptions) -> Result<Table, ReadError> {
    let damaged = |e: &dyn std::fmt::Debug| ReadError::damaged(kind, e);
    let mut b = Builder::new(kind, options.max_cells);
    let mut rows = RowTracker { current: None };
    let (name, visible) = if kind == FileKind::Xlsx {
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
        let (name, visible) = choose_sheet(book.sheets_metadata(), options.sheet.as_deref())?;
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|e| damaged(&e))?;
        while let Some(cell) = reader
            .next_cell_with_formula_metadata()
            .map_err(|e| damaged(&e))?
        {
            let (row, col) = cell.pos;
            rows.cell(&mut b, row)?;
            put_value(&mut b, col as usize, cell.value, cell.formula.is_some())?;
        }
        (name, visible)
    } else {
        let mut book: calamine::Xlsb<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
        let (name, visible) = choose_sheet(book.sheets_metadata(), options.sheet.as_deref())?;
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|e| damaged(&e))?;
        while let Some(cell) = reader.next_cell().map_err(|e| damaged(&e))? {
            let (row, col) = cell.get_position();
            rows.cell(&mut b, row)?;
            put_value(&mut b, col as usize, cell.get_value().clone(), false)?;
        }
        (name, visible)
    };
    rows.finish(&mut b)?;
    b.finish(Some(name), visible)
}

/// XLS and ODS through calamine's whole-sheet ranges, once `guard` has measured
/// the grids they would make.
fn read_workbook(bytes: &[u8], kind: FileKind, options: &ReadOptions) -> Result<Table, ReadError> {
    match kind {
        FileKind::Ods => guard::check_ods(bytes, options.max_cells)?,
        _ => guard::check_xls(bytes, options.max_cells)?,
    }
    let damaged = |e: &dyn std::fmt::Debug| ReadError::damaged(kind, e);
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let (name, visible) = choose_sheet(book.sheets_metadata(), options.sheet.as_deref())?;
    let range = book.worksheet_range(&name).map_err(|e| damaged(&e))?;
    let formulas = book.worksheet_formula(&name).map_err(|e| damaged(&e))?;
    // Formulas with no saved value have no cell in the range of values.
    let mut unsaved: Vec<(u32, u32)> = formulas
        .used_cells()
        .filter(|(_, _, f)| !f.is_empty())
        .filter_map(|(r, c, _)| {
            let (r0, c0) = formulas.start()?;
            let pos = (r0 + r as u32, c0 + c as u32);
            match range.get_value(pos) {
                None | Some(Data::Empty) => Some(pos),
                Some(_) => None,
            }
        })
        .collect();
    unsaved.sort_unstable();
    let mut unsaved = unsaved.into_iter().peekable();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut b = Builder::new(kind, options.max_cells);
    let mut rows = RowTracker { current: None };
    let values = range
        .used_cells()
        .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), Some(v)));
    for ((row, col), value) in merge_sorted(values, &mut unsaved) {
        rows.cell(&mut b, row)?;
        match value {
            Some(v) => put_value(&mut b, col as usize, data_ref(v), false)?,
            None => b.put(col as usize, Cell::Formula)?,
        }
    }
    rows.finish(&mut b)?;
    b.finish(Some(name), visible)
}

/// The cells of `values` (in row order) with the positions of `formulas` (sorted)
/// slotted in, as `None`.
fn merge_sorted<'v>(
    values: impl Iterator<Item = ((u32, u32), Option<&'v Data>)>,
    formulas: &mut std::iter::Peekable<std::vec::IntoIter<(u32, u32)>>,
) -> Vec<((u32, u32), Option<&'v Data>)> {
    let mut out = Vec::new();
    for (pos, v) in values {
        while formulas.peek().is_some_and(|&f| f < pos) {
            out.push((formulas.next().unwrap_or(pos), None));
        }
        out.push((pos, v));
    }
    out.extend(formulas.map(|f| (f, None)));
    out
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

fn read_csv(bytes: &[u8], options: &ReadOptions) -> Result<Table, ReadError> {
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
    let mut b = Builder::new(FileKind::Csv, options.max_cells);
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
        for (col, field) in record.iter().enumerate() {
            b.text(col, field)?;
        }
        b.end_row()?;
    }
    b.finish(None, Vec::new())
}
