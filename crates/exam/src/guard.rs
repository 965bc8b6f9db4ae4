//! The grids XLS and ODS files would make, measured from the files themselves before
//! calamine reads them.
//!
//! calamine reads these two formats into dense ranges (every cell of the rectangle
//! from the first to the last one, 32 bytes each, and as much again for formulas),
//! and it reads every sheet when the file is opened. An address or a repeat count
//! costs a few bytes in the file and gigabytes in such a range: one cell at IV65536
//! of an XLS, or a cell repeated 16,384 times on a row repeated a million times in an
//! ODS. So the grid is measured here first, cheaply (the XLS records are scanned, the
//! ODS XML is streamed), and a file is refused when a sheet's grid is over the limit
//! or far larger than the cells the file really holds.

use crate::table::{FileKind, MAX_COLUMNS, MAX_ROWS, ReadError};
use std::io::{BufReader, Cursor, Read};

/// A sheet's grid may be this many times the cells the file describes, plus
/// [`SPARSE_ALLOWANCE`]: a real table is dense (blank cells inside it are written
/// too), a few cells far apart are not.
const SPARSE_FACTOR: u64 = 4;
/// Grids this small pass whatever they hold.
const SPARSE_ALLOWANCE: u64 = 100_000;

/// The measure of one sheet.
#[derive(Debug, Default)]
struct Extent {
    /// Cells the file describes (records, or XML cells).
    described: u64,
    /// The grid calamine would allocate.
    grid: u64,
}

fn judge(kind: FileKind, extent: &Extent, max_cells: u64) -> Result<(), ReadError> {
    let n = |v: u64| vntext::format_number(i64::try_from(v).unwrap_or(i64::MAX));
    let dense_enough = extent
        .described
        .saturating_mul(SPARSE_FACTOR)
        .saturating_add(SPARSE_ALLOWANCE);
    if extent.grid > dense_enough {
        return Err(ReadError::Sparse {
            kind: kind.label(),
            cells: n(extent.grid),
        });
    }
    if extent.grid > max_cells {
        return Err(ReadError::GridTooLarge {
            kind: kind.label(),
            cells: n(extent.grid),
            max: n(max_cells),
        });
    }
    Ok(())
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// BIFF records from `at`: (type, data). Stops at the end of the stream or at a
/// record that runs past it.
fn records(stream: &[u8], at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = at;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)? as u16;
        let len = u16_at(stream, pos + 2)? as usize;
        let data = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((typ, data))
    })
}

/// The bounding box of one sheet's cells, as `Range::from_sparse` makes it.
#[derive(Default)]
struct Bounds {
    min: Option<(u32, u32)>,
    max: (u32, u32),
    cells: u64,
}

impl Bounds {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        let (r0, c0) = self.min.unwrap_or((row, first_col));
        self.min = Some((r0.min(row), c0.min(first_col)));
        self.max = (self.max.0.max(row), self.max.1.max(last_col));
        self.cells += u64::from(last_col.saturating_sub(first_col)) + 1;
    }

    fn grid(&self) -> u64 {
        self.min.map_or(0, |(r0, c0)| {
            u64::from(self.max.0 - r0 + 1) * u64::from(self.max.1 - c0 + 1)
        })
    }
}

/// Measures every sheet of an XLS as calamine will read it: from each BoundSheet's
/// position to its EOF, the cell records' bounding box (values and formulas each make
/// a range of it) and the DIMENSIONS record (calamine reserves room for it).
pub(crate) fn check_xls(bytes: &[u8], max_cells: u64) -> Result<(), ReadError> {
    let kind = FileKind::Xls;
    let damaged = |e: &dyn std::fmt::Debug| ReadError::damaged(kind, e);
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut stream = Vec::new();
    {
        let reader = match file.open_stream("/Workbook") {
            Ok(s) => s,
            Err(_) => file.open_stream("/Book").map_err(|e| damaged(&e))?,
        };
        // A stream is never longer than the file that holds it.
        reader
            .take(bytes.len() as u64 + 1)
            .read_to_end(&mut stream)
            .map_err(|e| damaged(&e))?;
    }
    let mut sheets = Vec::new();
    for (typ, data) in records(&stream, 0) {
        match typ {
            0x0085 => sheets.extend(u32_at(data, 0).map(|p| p as usize)),
            0x000A => break,
            _ => {}
        }
    }
    for start in sheets {
        let mut bounds = Bounds::default();
        let mut reserved = 0u64;
        let (mut seen_bof, mut depth) = (false, 0usize);
        let mut formula_at = None;
        for (typ, data) in records(&stream, start) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |data: &[u8]| Some((u16_at(data, 0)?, u16_at(data, 2)?));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    let (rf, rl, cf, cl) = match data.len() {
                        10 => (
                            u16_at(data, 0),
                            u16_at(data, 2),
                            u16_at(data, 4),
                            u16_at(data, 6),
                        ),
                        14 | 16 => (
                            u32_at(data, 0),
                            u32_at(data, 4),
                            u16_at(data, 8),
                            u16_at(data, 10),
                        ),
                        _ => continue,
                    };
                    let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) else {
                        continue;
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rl >= 1 && cl >= 1 {
                        if rl - 1 < rf {
                            // calamine would subtract and overflow.
                            return Err(damaged(&"dimensions"));
                        }
                        reserved = u64::from(rl - rf) * u64::from(cl - cf);
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let Some((row, col)) = at(data) {
                        bounds.add(row, col, col);
                        if typ == 0x0006 {
                            formula_at = Some((row, col));
                        }
                    }
                }
                0x0207 => {
                    if let Some((row, col)) = formula_at {
                        bounds.add(row, col, col);
                    }
                }
                0x00BD => {
                    if let (Some((row, first)), Some(last)) =
                        (at(data), u16_at(data, data.len().saturating_sub(2)))
                    {
                        bounds.add(row, first, last.max(first));
                    }
                }
                _ => {}
            }
        }
        let extent = Extent {
            described: bounds.cells,
            grid: bounds.grid().max(reserved),
        };
        judge(kind, &extent, max_cells)?;
    }
    Ok(())
}

/// Measures every table of an ODS as calamine will read it: rows repeated by
/// `number-rows-repeated` up to the last one with a value, as wide as the widest
/// row's last value (`number-columns-repeated` counted), both capped where calamine
/// caps them.
pub(crate) fn check_ods(bytes: &[u8], max_cells: u64) -> Result<(), ReadError> {
    use quick_xml::events::{BytesStart, Event};
    let kind = FileKind::Ods;
    let damaged = |e: &dyn std::fmt::Debug| ReadError::damaged(kind, e);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let content = zip.by_name("content.xml").map_err(|e| damaged(&e))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let number = |e: &BytesStart<'_>, name: &str| -> Result<u64, ReadError> {
        match e
            .try_get_attribute(name)
            .map_err(|e| ReadError::damaged(kind, &e))?
        {
            Some(a) => a
                .value
                .trim()
                .parse::<u64>()
                .ok()
                .ok_or_else(|| ReadError::damaged(kind, &"Xml attribute")),
            None => Ok(1),
        }
    };
    let has_value = |e: &BytesStart<'_>| {
        e.attributes().flatten().any(|a| {
            matches!(
                a.key.as_ref(),
                "office:value-type" | "table:formula" | "office:value" | "office:string-value"
            )
        })
    };
    let mut buf = Vec::new();
    let mut extent = Extent::default();
    // The table being read: rows so far (repeats counted), rows up to the last with
    // a value, the widest row; the row being read: its repeats, columns so far, the
    // end of its last value.
    let (mut rows, mut last_row, mut width) = (0u64, 0u64, 0u64);
    let (mut repeats, mut col, mut row_end, mut in_row) = (1u64, 0u64, 0u64, false);
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| damaged(&e))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    (rows, last_row, width) = (0, 0, 0);
                }
                "table:table-row" => {
                    repeats = number(e, "table:number-rows-repeated")?
                        .min(u64::from(MAX_ROWS).saturating_sub(rows));
                    (col, row_end, in_row) = (0, 0, true);
                    if matches!(event, Event::Empty(_)) {
                        rows += repeats;
                        in_row = false;
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if in_row => {
                    let n = number(e, "table:number-columns-repeated")?;
                    col = col.saturating_add(n).min(MAX_COLUMNS as u64);
                    if matches!(event, Event::Start(_)) || has_value(e) {
                        row_end = col;
                        extent.described = extent.described.saturating_add(1);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" if in_row => {
                    in_row = false;
                    rows += repeats;
                    if row_end > 0 {
                        last_row = rows;
                        width = width.max(row_end);
                    }
                    extent.grid = extent.grid.max(last_row.saturating_mul(width));
                    judge(kind, &extent, max_cells)?;
                }
                "table:table" => {
                    extent.grid = extent.grid.max(last_row.saturating_mul(width));
                    judge(kind, &extent, max_cells)?;
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    judge(kind, &extent, max_cells)
}
