//! Exam sessions (kỳ thi) and their results: what the back office creates and
//! imports, and what the web layer loads into memory for the lookups.
//!
//! An import replaces a session's candidates in one transaction: the rows, the
//! history of what changed for each candidate, the import's own row, the audit
//! entry and the site's content version all land together, or nothing does.

use crate::change::{AuditNote, ContentChange};
use crate::query::Sql;
use crate::{Error, Result, Store};
use domain::{ExamSessionId, SiteId, UserId};
use exam::{Candidate, ExtraField, LookupRule, Score, SessionSpec, Subject};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Candidates per multi-row INSERT (5 parameters a row). Far below the limits
/// (SQLite 32.766 parameters, PostgreSQL 65.535) on purpose: measured through sqlx's
/// Any driver on SQLite, the cost of a statement grows faster than its rows; 20.000
/// candidates took 6,5 s in statements of 5.000 rows and 0,2 s in statements of 200.
const CANDIDATE_BATCH: usize = 200;
/// History rows per multi-row INSERT (4 parameters a row).
const HISTORY_BATCH: usize = 250;
/// Candidates read per query when loading a session.
const READ_PAGE: i64 = 20_000;

/// The kinds of session the back office offers: stored key and label.
pub const EXAM_KINDS: &[(&str, &str)] = &[
    ("tuyen-sinh-10", "Tuyển sinh lớp 10"),
    ("tot-nghiep-thpt", "Tốt nghiệp THPT"),
    ("hoc-sinh-gioi", "Học sinh giỏi"),
    ("khac", "Khác"),
];

/// The label of a stored kind ("" when unknown).
pub fn exam_kind_label(key: &str) -> &'static str {
    EXAM_KINDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, l)| l)
}

/// The stored form of a lookup rule.
pub fn lookup_rule_key(rule: LookupRule) -> &'static str {
    match rule {
        LookupRule::SbdOnly => "sbd",
        LookupRule::SbdAndBirthDate => "sbd_ngay_sinh",
    }
}

/// A lookup rule from its stored (or posted) form; the stricter rule otherwise.
pub fn parse_lookup_rule(s: &str) -> LookupRule {
    match s {
        "sbd" => LookupRule::SbdOnly,
        _ => LookupRule::SbdAndBirthDate,
    }
}

/// An exam session as stored.
#[derive(Debug, Clone)]
pub struct ExamSession {
    /// Its id.
    pub id: ExamSessionId,
    /// The site it belongs to.
    pub site_id: SiteId,
    /// "Kỳ thi tuyển sinh lớp 10".
    pub name: String,
    /// "2026–2027".
    pub school_year: String,
    /// One of [`EXAM_KINDS`]' keys.
    pub kind: String,
    /// Subjects, extra fields and the lookup rule. No subjects until the first import.
    pub spec: SessionSpec,
    /// When the results become public (UTC seconds); `None`: not scheduled.
    pub publish_at: Option<i64>,
    /// Candidates of the last import.
    pub candidates: i64,
    /// When it was created.
    pub created_at: i64,
    /// Bumped by every change; servers reload a session whose revision moved.
    pub revision: i64,
    /// The last import's id (0: never imported). A change of revision with the same
    /// import is a change of publish time only.
    pub last_import: i64,
}

impl ExamSession {
    /// Whether its results are public at `now`.
    pub fn is_published(&self, now: i64) -> bool {
        self.publish_at.is_some_and(|at| now >= at)
    }
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewExamSession<'a> {
    /// Its site.
    pub site: SiteId,
    /// Its name.
    pub name: &'a str,
    /// Its school year.
    pub school_year: &'a str,
    /// Its kind (a key of [`EXAM_KINDS`]).
    pub kind: &'a str,
    /// What a lookup needs.
    pub lookup: LookupRule,
    /// When results become public.
    pub publish_at: Option<i64>,
    /// Who creates it (none from the CLI).
    pub by: Option<UserId>,
    /// From where, for the audit log.
    pub ip: &'a str,
}

/// An import to save: every candidate of the file, already validated.
pub struct ExamImport<'a> {
    /// The session.
    pub session: ExamSessionId,
    /// Its site (checked).
    pub site: SiteId,
    /// The revision the import was prepared against: a session changed since (another
    /// import) refuses it with [`Error::Stale`].
    pub base_revision: i64,
    /// The session's shape from now on (read off the headers at the first import).
    pub spec: &'a SessionSpec,
    /// The candidates.
    pub candidates: &'a [Candidate],
    /// The file's name, for the list of imports.
    pub file_name: &'a str,
    /// Who imports (none from the CLI).
    pub by: Option<UserId>,
    /// From where, for the audit log.
    pub ip: &'a str,
    /// Told (done, total) as candidates are written, for the CLI's progress.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Send + Sync)>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The import's id.
    pub import_id: i64,
    /// Candidates saved.
    pub rows: usize,
    /// Candidates whose results differ from the previous import (added, removed or
    /// changed); 0 on the first import.
    pub changed: usize,
}

/// One import of a session, for the back office's list.
#[derive(Debug, Clone)]
pub struct ExamImportRow {
    /// The import's id.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// Candidates saved.
    pub rows: i64,
    /// Candidates changed from the import before.
    pub changed: i64,
    /// Who imported ("" from the CLI).
    pub by: String,
    /// When.
    pub at: i64,
}

/// One change of one candidate between two imports.
#[derive(Debug, Clone)]
pub struct ExamHistoryRow {
    /// What changed, as shown ("Điểm Toán").
    pub field: String,
    /// The value before, as shown.
    pub before: Option<String>,
    /// The value after, as shown.
    pub after: Option<String>,
    /// When the import was saved.
    pub at: i64,
    /// The imported file's name.
    pub file_name: String,
    /// Who imported it.
    pub by: String,
}

fn spec_json(spec: &SessionSpec) -> String {
    serde_json::json!({
        "subjects": spec.subjects.iter().map(|s| serde_json::json!({
            "key": s.key, "name": s.name, "max": s.max, "step": s.step,
        })).collect::<Vec<_>>(),
        "extras": spec.extras.iter().map(|e| serde_json::json!({
            "key": e.key, "name": e.name,
        })).collect::<Vec<_>>(),
    })
    .to_string()
}

fn spec_from_json(json: &str, rule: &str) -> Result<SessionSpec> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("exam spec: {e}")))?;
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
    let list = |k: &str| v[k].as_array().cloned().unwrap_or_default();
    Ok(SessionSpec {
        subjects: list("subjects")
            .iter()
            .map(|s| Subject {
                key: text(s, "key"),
                name: text(s, "name"),
                max: s["max"].as_f64().unwrap_or(10.0),
                step: s["step"].as_f64().unwrap_or(0.25),
            })
            .collect(),
        extras: list("extras")
            .iter()
            .map(|e| ExtraField::new(&text(e, "key"), &text(e, "name")))
            .collect(),
        lookup: parse_lookup_rule(rule),
    })
}

fn scores_text(scores: &[Option<Score>]) -> String {
    let mut out = String::with_capacity(scores.len() * 4);
    for (i, s) in scores.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if let Some(s) = s {
            out.push_str(&s.0.to_string());
        }
    }
    out
}

fn scores_from_text(s: &str, n: usize) -> Vec<Option<Score>> {
    let mut out: Vec<Option<Score>> = s.split(',').map(|p| p.parse().ok().map(Score)).collect();
    out.resize(n, None);
    out
}

fn session_from_row(r: &AnyRow) -> Result<ExamSession> {
    let spec: String = r.try_get("spec")?;
    let rule: String = r.try_get("lookup_rule")?;
    Ok(ExamSession {
        id: ExamSessionId(r.try_get("id")?),
        site_id: SiteId(r.try_get("site_id")?),
        name: r.try_get("name")?,
        school_year: r.try_get("school_year")?,
        kind: r.try_get("kind")?,
        spec: spec_from_json(&spec, &rule)?,
        publish_at: r.try_get("publish_at")?,
        candidates: r.try_get("candidates")?,
        created_at: r.try_get("created_at")?,
        revision: r.try_get("revision")?,
        last_import: r.try_get("last_import")?,
    })
}

const SESSION_COLUMNS: &str = "s.id, s.site_id, s.name, s.school_year, s.kind, s.spec, \
    s.lookup_rule, s.publish_at, s.candidates, s.created_at, s.revision, \
    COALESCE((SELECT MAX(i.id) FROM exam_imports i WHERE i.session_id = s.id), 0) AS last_import";

fn candidate_from_row(r: &AnyRow, spec: &SessionSpec) -> Result<Candidate> {
    let birth: String = r.try_get("birth_date")?;
    let scores: String = r.try_get("scores")?;
    let extras: String = r.try_get("extras")?;
    let mut extras: Vec<String> =
        serde_json::from_str(&extras).map_err(|e| Error::Corrupt(format!("exam extras: {e}")))?;
    extras.resize(spec.extras.len(), String::new());
    Ok(Candidate {
        sbd: r.try_get("sbd")?,
        name: r.try_get("name")?,
        birth_date: if birth.is_empty() {
            None
        } else {
            exam::parse_date_text(&birth)
        },
        scores: scores_from_text(&scores, spec.subjects.len()),
        extras,
    })
}

/// Reads a session's candidates page by page (by candidate number), handing each to `f`.
async fn each_candidate(
    conn: &mut sqlx::AnyConnection,
    session: ExamSessionId,
    spec: &SessionSpec,
    mut f: impl FnMut(Candidate),
) -> Result<()> {
    // Every candidate number is non-empty, so the first page starts after "".
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT sbd, name, birth_date, scores, extras FROM exam_candidates \
             WHERE session_id = $1 AND sbd > $2 ORDER BY sbd LIMIT $3",
        )
        .bind(session.0)
        .bind(&after)
        .bind(READ_PAGE)
        .fetch_all(&mut *conn)
        .await?;
        let n = rows.len();
        for r in &rows {
            let c = candidate_from_row(r, spec)?;
            after.clone_from(&c.sbd);
            f(c);
        }
        if (n as i64) < READ_PAGE {
            return Ok(());
        }
    }
}

impl Store {
    /// Creates a session (no candidates yet) and writes the audit entry.
    pub async fn create_exam_session(
        &self,
        s: &NewExamSession<'_>,
        now: i64,
    ) -> Result<ExamSessionId> {
        let name = vntext::clean_line(s.name);
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO exam_sessions (site_id, name, school_year, kind, spec, lookup_rule, \
             publish_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(s.site.0)
        .bind(&name)
        .bind(vntext::clean_line(s.school_year))
        .bind(s.kind)
        .bind(spec_json(&SessionSpec::default()))
        .bind(lookup_rule_key(s.lookup))
        .bind(s.publish_at)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let note = AuditNote {
            user: s.by,
            action: "tạo kỳ thi",
            ip: s.ip,
        };
        ContentChange::new(s.site, now)
            .audit(note, format!("#{id} {name}"))
            .commit(tx)
            .await?;
        Ok(ExamSessionId(id))
    }

    /// The sessions of a site (every site's with `None`), newest first.
    pub async fn exam_sessions(&self, site: Option<SiteId>) -> Result<Vec<ExamSession>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM exam_sessions s WHERE ($1 = 0 OR s.site_id = $1) \
             ORDER BY s.created_at DESC, s.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(site.map_or(0, |s| s.0))
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(session_from_row).collect()
    }

    /// One session by id.
    pub async fn exam_session(&self, id: ExamSessionId) -> Result<Option<ExamSession>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM exam_sessions s WHERE s.id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// Every session's revision: the cheap check a server runs every few seconds.
    pub async fn exam_revisions(&self) -> Result<Vec<(ExamSessionId, i64)>> {
        let rows = sqlx::query("SELECT id, revision FROM exam_sessions")
            .fetch_all(self.db_read())
            .await?;
        rows.iter()
            .map(|r| Ok((ExamSessionId(r.try_get("id")?), r.try_get("revision")?)))
            .collect()
    }

    /// Hands every candidate of a session to `f`, in order of candidate number, a
    /// page at a time (a million candidates are never all held as rows).
    pub async fn exam_candidates_each(
        &self,
        session: &ExamSession,
        f: impl FnMut(Candidate),
    ) -> Result<()> {
        let mut conn = self.db_read().acquire().await?;
        each_candidate(&mut conn, session.id, &session.spec, f).await
    }

    /// Replaces a session's candidates with an import's, in one transaction (see the
    /// module's notes). History rows record what changed for each candidate since the
    /// previous import; the first import has none.
    pub async fn import_exam(&self, imp: &ExamImport<'_>, now: i64) -> Result<ImportOutcome> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT name, candidates FROM exam_sessions WHERE id = $1 AND site_id = $2",
        )
        .bind(imp.session.0)
        .bind(imp.site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("exam_session"))?;
        let name: String = row.try_get("name")?;
        let had: i64 = row.try_get("candidates")?;
        let updated = sqlx::query(
            "UPDATE exam_sessions SET revision = revision + 1, spec = $1, candidates = $2 \
             WHERE id = $3 AND revision = $4",
        )
        .bind(spec_json(imp.spec))
        .bind(imp.candidates.len() as i64)
        .bind(imp.session.0)
        .bind(imp.base_revision)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(Error::Stale);
        }
        let changes = if had > 0 {
            let mut old = Vec::with_capacity(usize::try_from(had).unwrap_or(0));
            each_candidate(&mut tx, imp.session, imp.spec, |c| old.push(c)).await?;
            exam::diff(&old, imp.candidates)
        } else {
            Vec::new()
        };
        let mut changed_sbds: Vec<&str> = changes.iter().map(|c| c.sbd.as_str()).collect();
        changed_sbds.dedup();
        changed_sbds.sort_unstable();
        changed_sbds.dedup();
        let changed = changed_sbds.len();
        let import_id: i64 = sqlx::query(
            "INSERT INTO exam_imports (session_id, file_name, row_count, changed, by_user, at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(imp.session.0)
        .bind(vntext::clean_line(imp.file_name))
        .bind(imp.candidates.len() as i64)
        .bind(changed as i64)
        .bind(imp.by.map(|u| u.0))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query("DELETE FROM exam_candidates WHERE session_id = $1")
            .bind(imp.session.0)
            .execute(&mut *tx)
            .await?;
        let total = imp.candidates.len();
        let mut done = 0;
        for chunk in imp.candidates.chunks(CANDIDATE_BATCH) {
            let encoded: Vec<(String, String, String)> = chunk
                .iter()
                .map(|c| {
                    (
                        c.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                        scores_text(&c.scores),
                        serde_json::to_string(&c.extras).unwrap_or_else(|_| "[]".into()),
                    )
                })
                .collect();
            // The session id is a number of ours, not outside input: written in.
            let session = format!("({}, ", imp.session.0);
            let mut sql = Sql::new(
                "INSERT INTO exam_candidates (session_id, sbd, name, birth_date, scores, extras) VALUES ",
            );
            for (i, (c, (birth, scores, extras))) in chunk.iter().zip(&encoded).enumerate() {
                if i > 0 {
                    sql.push(",");
                }
                sql.push(&session)
                    .bind(c.sbd.as_str())
                    .push(", ")
                    .bind(c.name.as_str())
                    .push(", ")
                    .bind(birth.as_str())
                    .push(", ")
                    .bind(scores.as_str())
                    .push(", ")
                    .bind(extras.as_str())
                    .push(")");
            }
            sql.query()
                .execute(&mut *tx)
                .await
                .map_err(crate::error::on_unique("exam_candidate_sbd"))?;
            done += chunk.len();
            if let Some(p) = imp.progress {
                p(done, total);
            }
        }
        for chunk in changes.chunks(HISTORY_BATCH) {
            let labels: Vec<String> = chunk.iter().map(|c| c.field.label(imp.spec)).collect();
            // Numbers of ours, not outside input: written in.
            let (session, tail) = (
                format!("({}, ", imp.session.0),
                format!(", {import_id}, {now})"),
            );
            let mut sql = Sql::new(
                "INSERT INTO exam_candidate_history (session_id, sbd, field, old_value, new_value, import_id, at) VALUES ",
            );
            for (i, (c, label)) in chunk.iter().zip(&labels).enumerate() {
                if i > 0 {
                    sql.push(",");
                }
                sql.push(&session)
                    .bind(c.sbd.as_str())
                    .push(", ")
                    .bind(label.as_str())
                    .push(", ")
                    .bind(c.before.as_deref())
                    .push(", ")
                    .bind(c.after.as_deref())
                    .push(&tail);
            }
            sql.query().execute(&mut *tx).await?;
        }
        let detail = if had > 0 {
            format!(
                "#{} {name}: {} thí sinh từ {}, {} thí sinh thay đổi",
                imp.session,
                vntext::format_number(total as i64),
                imp.file_name,
                vntext::format_number(changed as i64)
            )
        } else {
            format!(
                "#{} {name}: {} thí sinh từ {}",
                imp.session,
                vntext::format_number(total as i64),
                imp.file_name
            )
        };
        let note = AuditNote {
            user: imp.by,
            action: "nhập kết quả thi",
            ip: imp.ip,
        };
        ContentChange::new(imp.site, now)
            .audit(note, detail)
            .commit(tx)
            .await?;
        Ok(ImportOutcome {
            import_id,
            rows: total,
            changed,
        })
    }

    /// Sets (or clears) when a session's results become public, with its audit entry.
    pub async fn set_exam_publish_at(
        &self,
        session: ExamSessionId,
        site: SiteId,
        publish_at: Option<i64>,
        by: Option<UserId>,
        ip: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE exam_sessions SET publish_at = $1, revision = revision + 1 \
             WHERE id = $2 AND site_id = $3 RETURNING name",
        )
        .bind(publish_at)
        .bind(session.0)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("exam_session"))?;
        let name: String = row.try_get("name")?;
        let when = publish_at.map_or_else(|| "bỏ lịch công bố".to_owned(), vntext::format_datetime);
        let note = AuditNote {
            user: by,
            action: "đặt thời điểm công bố kết quả thi",
            ip,
        };
        ContentChange::new(site, now)
            .audit(note, format!("#{session} {name}: {when}"))
            .commit(tx)
            .await
    }

    /// The imports of a session, newest first.
    pub async fn exam_imports(&self, session: ExamSessionId) -> Result<Vec<ExamImportRow>> {
        let rows = sqlx::query(
            "SELECT i.id, i.file_name, i.row_count, i.changed, i.at, COALESCE(u.username, '') AS by_name \
             FROM exam_imports i LEFT JOIN users u ON u.id = i.by_user \
             WHERE i.session_id = $1 ORDER BY i.id DESC",
        )
        .bind(session.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExamImportRow {
                    id: r.try_get("id")?,
                    file_name: r.try_get("file_name")?,
                    rows: r.try_get("row_count")?,
                    changed: r.try_get("changed")?,
                    by: r.try_get("by_name")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// What changed for one candidate across imports, oldest first.
    pub async fn exam_history(
        &self,
        session: ExamSessionId,
        sbd: &str,
    ) -> Result<Vec<ExamHistoryRow>> {
        let rows = sqlx::query(
            "SELECT h.field, h.old_value, h.new_value, h.at, i.file_name, \
             COALESCE(u.username, '') AS by_name \
             FROM exam_candidate_history h JOIN exam_imports i ON i.id = h.import_id \
             LEFT JOIN users u ON u.id = i.by_user \
             WHERE h.session_id = $1 AND h.sbd = $2 ORDER BY h.id",
        )
        .bind(session.0)
        .bind(sbd)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExamHistoryRow {
                    field: r.try_get("field")?,
                    before: r.try_get("old_value")?,
                    after: r.try_get("new_value")?,
                    at: r.try_get("at")?,
                    file_name: r.try_get("file_name")?,
                    by: r.try_get("by_name")?,
                })
            })
            .collect()
    }

    /// One candidate of a session as last imported (the back office's history page).
    pub async fn exam_candidate(
        &self,
        session: &ExamSession,
        sbd: &str,
    ) -> Result<Option<Candidate>> {
        let row = sqlx::query(
            "SELECT sbd, name, birth_date, scores, extras FROM exam_candidates \
             WHERE session_id = $1 AND sbd = $2",
        )
        .bind(session.id.0)
        .bind(sbd)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref()
            .map(|r| candidate_from_row(r, &session.spec))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_round_trip_with_absent_marks() {
        let s = vec![Some(Score(825)), None, Some(Score(1000)), None];
        let t = scores_text(&s);
        assert_eq!(t, "825,,1000,");
        assert_eq!(scores_from_text(&t, 4), s);
        assert_eq!(scores_from_text("", 2), vec![None, None]);
    }

    #[test]
    fn specs_round_trip() {
        let spec = SessionSpec {
            subjects: vec![Subject::new("toan", "Toán")],
            extras: vec![ExtraField::new("truong", "Trường")],
            lookup: LookupRule::SbdOnly,
        };
        assert_eq!(spec_from_json(&spec_json(&spec), "sbd").unwrap(), spec);
    }
}
