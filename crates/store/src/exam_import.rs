//! Preparing an import of exam results: a file read, mapped and checked against
//! a session, for the back office's preview and the command line alike (no HTTP),
//! and how many candidates a re-import would remove.

use crate::ExamSession;
use exam::{Candidate, Mapping, RowError, SessionSpec};

/// A file read against a session: what the preview shows and what an import saves.
pub struct PreparedImport {
    /// The session's shape for this import (read off the headers at the first one).
    pub spec: SessionSpec,
    /// Which column is which field.
    pub mapping: Mapping,
    /// The header row's cells.
    pub headers: Vec<String>,
    /// The first data rows: line number and cells as shown.
    pub first_rows: Vec<(u32, Vec<String>)>,
    /// Rows under the header.
    pub data_rows: usize,
    /// The worksheet read (a workbook's first visible one unless chosen).
    pub sheet: Option<String>,
    /// The workbook's visible worksheets, to choose from when there are several.
    pub sheets: Vec<String>,
    /// Every candidate, or every problem (capped by the exam crate).
    pub outcome: Result<Vec<Candidate>, Vec<RowError>>,
}

/// Rows the preview shows.
pub const PREVIEW_ROWS: usize = 10;

/// The longest cell text the preview shows.
const PREVIEW_CELL_CHARS: usize = 60;

/// A cell as the preview shows it: at most [`PREVIEW_CELL_CHARS`] characters (a
/// bad file's megabyte of a name is reported, not printed).
fn preview_cell(text: &str) -> String {
    match text.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Reads, maps and validates a results file for `session`. A session without
/// subjects (never imported) takes them from the file's headers, keeping the
/// lookup rule chosen when it was created. The error is the file's reason, in
/// Vietnamese, when it cannot be read at all.
pub fn prepare_import(
    bytes: &[u8],
    file_name: &str,
    session: &ExamSession,
    options: &exam::ReadOptions,
) -> Result<PreparedImport, String> {
    let table = exam::read_table_with(bytes, file_name, options).map_err(|e| e.to_string())?;
    let spec = if session.spec.subjects.is_empty() {
        SessionSpec {
            lookup: session.spec.lookup,
            ..exam::spec_from_headers(&table)
        }
    } else {
        session.spec.clone()
    };
    let mapping = exam::map_headers(&table, &spec);
    let outcome = exam::parse_candidates(&table, &mapping, &spec);
    Ok(PreparedImport {
        headers: table.headers().to_vec(),
        first_rows: table
            .preview(PREVIEW_ROWS)
            .iter()
            .map(|r| {
                let cells = r.display_first(table.headers().len());
                (r.line(), cells.iter().map(|c| preview_cell(c)).collect())
            })
            .collect(),
        data_rows: table.data_row_count(),
        sheet: table.sheet().map(str::to_owned),
        sheets: table.sheets().to_vec(),
        spec,
        mapping,
        outcome,
    })
}

/// How many of the session's candidates an import of `candidates` would remove:
/// those whose number is not in the file.
pub async fn removed_candidates(
    store: &crate::Store,
    session: &ExamSession,
    candidates: &[Candidate],
) -> Result<i64, crate::Error> {
    if session.candidates == 0 {
        return Ok(0);
    }
    let kept: std::collections::HashSet<&str> = candidates.iter().map(|c| c.sbd.as_str()).collect();
    let mut removed = 0i64;
    store
        .exam_candidates_each(session, |c| {
            if !kept.contains(c.sbd.as_str()) {
                removed += 1;
            }
        })
        .await?;
    Ok(removed)
}

/// Whether removing `removed` of `existing` candidates needs a second, explicit
/// confirmation: more than half of them.
pub fn shrinks_too_much(existing: i64, removed: i64) -> bool {
    removed > 0 && removed * 2 > existing
}
