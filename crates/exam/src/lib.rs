//! Exam results (issue 6), as pure logic: no database, no HTTP.
//!
//! The way of a results file:
//!
//! ```text
//! bytes --read_table--> Table --map_headers--> Mapping (shown in the admin's preview)
//!       --parse_candidates--> Vec<Candidate> or every bad row with its line
//!       --diff against the stored ones--> history of a re-import
//!       --LoadedSession::new--> lookups and distributions from memory
//! ```
//!
//! Text is NFC-normalised on the way in (through `vntext`); scores are hundredths in a
//! `u16`, absent marks stay absent; dates are `jiff` civil dates.

mod aliases;
mod diff;
mod dist;
mod guard;
mod lookup;
mod mapping;
pub mod messages;
mod model;
mod parse;
mod table;

pub use diff::{Change, ChangeField, diff};
pub use dist::{Distribution, DistributionRow, svg_chart};
pub use lookup::{CandidateRef, LoadedSession, LookupOutcome, SessionBuilder, parse_typed_birth};
pub use mapping::{ColumnMapping, Mapping, Target, column_letter, map_headers, spec_from_headers};
pub use model::{
    Candidate, ExtraField, LookupRule, Score, SessionSpec, Subject, format_decimal_vi,
    format_hundredths, normalize_sbd,
};
pub use parse::{
    MAX_EXTRA_CHARS, MAX_NAME_CHARS, MAX_REPORTED_ERRORS, RowError, clean_label, excel_serial_date,
    is_absent_mark, parse_birth_date, parse_candidates, parse_date_text, parse_score,
};
pub use table::{
    CellValue, DEFAULT_MAX_CELLS, FileKind, MAX_COLUMNS, MAX_ROWS, ReadError, ReadOptions, Row,
    Table, detect_kind, read_table, read_table_with,
};

/// A whole import in one call: read, map against `spec`, parse and validate. The
/// preview uses the steps one by one; the CLI and tests use this.
pub fn import(
    bytes: &[u8],
    file_name_hint: &str,
    spec: &SessionSpec,
) -> Result<Vec<Candidate>, Vec<RowError>> {
    let table = read_table(bytes, file_name_hint).map_err(|e| {
        vec![RowError {
            line: 0,
            sbd: String::new(),
            reason_vi: e.to_string(),
        }]
    })?;
    let mapping = map_headers(&table, spec);
    parse_candidates(&table, &mapping, spec)
}
