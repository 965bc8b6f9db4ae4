//! Citizens' questions (hỏi đáp): the public form's rows, the office's handling
//! (assign, answer, approve, spam, forward to another site), the history of each
//! question, readers' votes, a site's holiday edits and the portal's anonymous
//! satisfaction ratings. Every office action is one transaction with its history
//! row, its audit entry and the site's content version (the public list changes);
//! the asker's e-mail is queued in the same transaction as the approval.

use crate::change::{AuditNote, ContentChange};
use crate::error::on_unique;
use crate::mail::{NewMail, enqueue_mail_in};
use crate::query::{Conditions, Sql};
use crate::{Error, Result, Store};
use domain::calendar::HolidayEdit;
use domain::{DocKind, QuestionDraft, QuestionId, QuestionStatus, SafeHtml, SiteId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A question as the office and the asker see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Id.
    pub id: QuestionId,
    /// Its site.
    pub site: SiteId,
    /// Tracking code.
    pub code: String,
    /// Anh / Chị / … or empty.
    pub salutation: String,
    /// Họ tên.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Address.
    pub address: String,
    /// Title.
    pub title: String,
    /// The question as typed.
    pub body: String,
    /// Field key.
    pub field: String,
    /// The asker allowed publishing.
    pub may_publish: bool,
    /// Status.
    pub status: QuestionStatus,
    /// Who holds it.
    pub assignee: Option<UserId>,
    /// Their name.
    pub assignee_name: String,
    /// The last working day to answer (day number).
    pub due_day: Option<i64>,
    /// The answer (draft or published).
    pub answer: SafeHtml,
    /// Who wrote the answer.
    pub answered_by: Option<UserId>,
    /// Their name.
    pub answerer_name: String,
    /// Show the answerer's name to the public.
    pub show_answerer: bool,
    /// When the answer was submitted.
    pub answered_at: Option<i64>,
    /// When it was approved.
    pub published_at: Option<i64>,
    /// Forwarded here from that question (another site's).
    pub forwarded_from: Option<QuestionId>,
    /// Forwarded from here to that question (another site's).
    pub forwarded_to: Option<QuestionId>,
    /// Readers who found the answer useful, and not.
    pub helpful: (i64, i64),
    /// The asker's attached file: its name and size in bytes.
    pub attachment: Option<(String, i64)>,
    /// Received.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// The file an asker attaches to a question, checked by content before it comes here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionFile {
    /// The asker's file name.
    pub name: String,
    /// MIME type, as the content shows it.
    pub mime: String,
    /// Extension, as the content shows it, without the dot.
    pub extension: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// A line of the office's inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionRow {
    /// Id.
    pub id: QuestionId,
    /// Tracking code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Asker.
    pub name: String,
    /// Field key.
    pub field: String,
    /// Status.
    pub status: QuestionStatus,
    /// Who holds it.
    pub assignee: Option<UserId>,
    /// Their name.
    pub assignee_name: String,
    /// Deadline (day number).
    pub due_day: Option<i64>,
    /// Received.
    pub created_at: i64,
}

/// A line of the history of a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// When.
    pub at: i64,
    /// Who (empty: the asker or the program).
    pub by: String,
    /// What ("Giao cho …").
    pub action: String,
    /// The note that went with it.
    pub note: String,
}

/// A question as the public list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicQuestion {
    /// Id.
    pub id: QuestionId,
    /// Title.
    pub title: String,
    /// The question.
    pub body: String,
    /// Field key.
    pub field: String,
    /// The asker, shortened.
    pub asker: String,
    /// The answer.
    pub answer: SafeHtml,
    /// The answerer's name when the office shows it.
    pub answerer: Option<String>,
    /// Approved at.
    pub published_at: i64,
    /// Votes: useful, not useful.
    pub helpful: (i64, i64),
}

/// An office action on a question.
#[derive(Debug, Clone, Copy)]
pub struct QuestionAct<'a> {
    /// The question's site.
    pub site: SiteId,
    /// The question.
    pub id: QuestionId,
    /// Who acts.
    pub by: UserId,
    /// Their address, for the audit log.
    pub ip: &'a str,
    /// When.
    pub now: i64,
}

/// A question's timing, for deadline counts, reminders and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionTiming {
    /// Id.
    pub id: QuestionId,
    /// Status.
    pub status: QuestionStatus,
    /// Who holds it.
    pub assignee: Option<UserId>,
    /// Deadline (day number).
    pub due_day: Option<i64>,
    /// Received (UTC seconds).
    pub created_at: i64,
    /// Approved (UTC seconds).
    pub published_at: Option<i64>,
    /// The last day a reminder went out.
    pub reminded_day: Option<i64>,
}

/// A month's ratings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// How many ratings gave 1, 2, 3, 4 and 5.
    pub counts: [i64; 5],
}

/// A rating's comment, as the back office lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingComment {
    /// `YYYY-MM`.
    pub month: String,
    /// 1 to 5.
    pub score: i64,
    /// The comment.
    pub comment: String,
}

/// How many spam questions are kept: 30 days.
pub const SPAM_KEEP_SECONDS: i64 = 30 * 86_400;

const COLUMNS: &str = "q.id, q.site_id, q.code, q.salutation, q.asker_name, q.email, q.phone, \
     q.address, q.title, q.body, q.field, q.may_publish, q.status, q.assignee_id, q.due_day, \
     q.answer_html, q.answered_by, q.show_answerer, q.answered_at, q.published_at, \
     q.forwarded_from, q.forwarded_to, q.helpful_yes, q.helpful_no, q.created_at, q.updated_at, \
     COALESCE(ua.full_name, '') AS assignee_name, COALESCE(ub.full_name, '') AS answerer_name, \
     qf.name AS file_name, qf.size AS file_size";

const FROM: &str = "FROM questions q LEFT JOIN users ua ON ua.id = q.assignee_id \
     LEFT JOIN users ub ON ub.id = q.answered_by \
     LEFT JOIN question_files qf ON qf.id = q.attachment_id";

fn folded(title: &str, body: &str, answer: &str) -> String {
    vntext::fold_lower(&format!("{title} {body} {answer}"))
}

async fn history(
    conn: &mut AnyConnection,
    id: QuestionId,
    by: Option<UserId>,
    action: &str,
    note: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO question_history (question_id, at, user_id, action, note) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.0)
    .bind(now)
    .bind(by.map(|u| u.0))
    .bind(action)
    .bind(vntext::nfc(note))
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Records a question from the public form with its tracking code and the
    /// asker's file, if any (refused with `Conflict("question_code")` when the
    /// code is taken: make another).
    pub async fn create_question(
        &self,
        site: SiteId,
        draft: &QuestionDraft,
        file: Option<&QuestionFile>,
        code: &str,
        due_day: i64,
        now: i64,
    ) -> Result<QuestionId> {
        let mut tx = self.begin_write().await?;
        let id = insert_question(&mut tx, site, draft, code, None, Some(due_day), now).await?;
        if let Some(f) = file {
            let file_id: i64 = sqlx::query(
                "INSERT INTO question_files (name, mime, extension, size, data, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(vntext::clean_line(&f.name))
            .bind(&f.mime)
            .bind(&f.extension)
            .bind(f.data.len() as i64)
            .bind(f.data.as_slice())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            sqlx::query("UPDATE questions SET attachment_id = $1 WHERE id = $2")
                .bind(file_id)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        history(&mut tx, id, None, "Tiếp nhận câu hỏi", "", now).await?;
        ContentChange::new(site, now).commit(tx).await?;
        Ok(id)
    }

    /// Records a question already answered and published (the demo's), with its
    /// history: received at `asked_at`, answered at `answered_at`.
    pub async fn create_answered_question(
        &self,
        site: SiteId,
        draft: &QuestionDraft,
        code: &str,
        answer: &SafeHtml,
        asked_at: i64,
        answered_at: i64,
    ) -> Result<QuestionId> {
        let mut tx = self.begin_write().await?;
        let id = insert_question(&mut tx, site, draft, code, None, None, asked_at).await?;
        sqlx::query(
            "UPDATE questions SET status = 'published', answer_html = $1, answered_at = $2, \
             published_at = $2, updated_at = $2, folded = $3 WHERE id = $4",
        )
        .bind(answer.as_str())
        .bind(answered_at)
        .bind(folded(&draft.title, &draft.body, &answer.to_plain_text()))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        history(&mut tx, id, None, "Tiếp nhận câu hỏi", "", asked_at).await?;
        history(
            &mut tx,
            id,
            None,
            "Duyệt và công bố câu trả lời",
            "",
            answered_at,
        )
        .await?;
        ContentChange::new(site, answered_at)
            .document(DocKind::Question, id.0)
            .commit(tx)
            .await?;
        Ok(id)
    }

    /// A question of the site.
    pub async fn question(&self, site: SiteId, id: QuestionId) -> Result<Option<Question>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} {FROM} WHERE q.site_id = $1 AND q.id = $2"
        ))
        .bind(site.0)
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(question_from_row).transpose()
    }

    /// The asker's file of a question of the site, if it has one.
    pub async fn question_file(
        &self,
        site: SiteId,
        id: QuestionId,
    ) -> Result<Option<QuestionFile>> {
        let row = sqlx::query(
            "SELECT f.name, f.mime, f.extension, f.data FROM questions q \
             JOIN question_files f ON f.id = q.attachment_id WHERE q.site_id = $1 AND q.id = $2",
        )
        .bind(site.0)
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        row.map(|r| {
            Ok(QuestionFile {
                name: r.try_get("name")?,
                mime: r.try_get("mime")?,
                extension: r.try_get("extension")?,
                data: r.try_get("data")?,
            })
        })
        .transpose()
    }

    /// A question by id, whatever its site (to follow a forward).
    pub async fn question_anywhere(&self, id: QuestionId) -> Result<Option<Question>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE q.id = $1"))
            .bind(id.0)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(question_from_row).transpose()
    }

    /// The question with this tracking code, asked on this site, when `email` is
    /// the asker's (any case). A wrong e-mail finds nothing, like a wrong code.
    pub async fn question_by_code(
        &self,
        site: SiteId,
        code: &str,
        email: &str,
    ) -> Result<Option<Question>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} {FROM} WHERE q.site_id = $1 AND q.code = $2 AND q.email = $3 \
             AND q.status <> 'spam'"
        ))
        .bind(site.0)
        .bind(code)
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(question_from_row).transpose()
    }

    /// One page of the site's inbox, newest first: one status, or every status
    /// but spam (the tab's count is [`Store::question_status_counts`]).
    pub async fn question_inbox(
        &self,
        site: SiteId,
        status: Option<QuestionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<QuestionRow>> {
        let mut sql = Sql::new(
            "SELECT q.id, q.code, q.title, q.asker_name, q.field, q.status, q.assignee_id, \
             q.due_day, q.created_at, COALESCE(u.full_name, '') AS assignee_name \
             FROM questions q LEFT JOIN users u ON u.id = q.assignee_id WHERE q.site_id = ",
        );
        sql.bind(site.0);
        match status {
            Some(s) => {
                sql.push(" AND q.status = ").bind(s.as_str());
            }
            None => {
                sql.push(" AND q.status <> 'spam'");
            }
        }
        sql.push(" ORDER BY q.created_at DESC, q.id DESC LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter()
            .map(|r| {
                Ok(QuestionRow {
                    id: QuestionId(r.try_get("id")?),
                    code: r.try_get("code")?,
                    title: r.try_get("title")?,
                    name: r.try_get("asker_name")?,
                    field: r.try_get("field")?,
                    status: status_of(r)?,
                    assignee: r.try_get::<Option<i64>, _>("assignee_id")?.map(UserId),
                    assignee_name: r.try_get("assignee_name")?,
                    due_day: r.try_get("due_day")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// How many questions of the site have each status.
    pub async fn question_status_counts(&self, site: SiteId) -> Result<Vec<(QuestionStatus, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM questions WHERE site_id = $1 GROUP BY status",
        )
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok((status_of(r)?, r.try_get("n")?)))
            .collect()
    }

    /// A question's history, oldest first.
    pub async fn question_history(&self, id: QuestionId) -> Result<Vec<HistoryEntry>> {
        let rows = sqlx::query(
            "SELECT h.at, h.action, h.note, COALESCE(u.full_name, '') AS by_name \
             FROM question_history h LEFT JOIN users u ON u.id = h.user_id \
             WHERE h.question_id = $1 ORDER BY h.at, h.id",
        )
        .bind(id.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryEntry {
                    at: r.try_get("at")?,
                    by: r.try_get("by_name")?,
                    action: r.try_get("action")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// Gives the question to `assignee` with a deadline (a day number).
    pub async fn assign_question(
        &self,
        act: QuestionAct<'_>,
        assignee: UserId,
        due_day: i64,
        description: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title = open_question(&mut tx, act).await?;
        sqlx::query(
            "UPDATE questions SET assignee_id = $1, due_day = $2, updated_at = $3, \
             reminded_day = NULL, \
             status = CASE WHEN status = 'new' THEN 'assigned' ELSE status END WHERE id = $4",
        )
        .bind(assignee.0)
        .bind(due_day)
        .bind(act.now)
        .bind(act.id.0)
        .execute(&mut *tx)
        .await?;
        history(&mut tx, act.id, Some(act.by), description, "", act.now).await?;
        ContentChange::new(act.site, act.now)
            .audit(note(act, "giao câu hỏi"), format!("{title}: {description}"))
            .commit(tx)
            .await
    }

    /// Saves the answer's draft; `submit` sends it to the editors for approval.
    pub async fn save_answer(
        &self,
        act: QuestionAct<'_>,
        answer: &SafeHtml,
        submit: bool,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title = open_question(&mut tx, act).await?;
        sqlx::query(
            "UPDATE questions SET answer_html = $1, answered_by = $2, updated_at = $3, \
             answered_at = CASE WHEN $4 = 1 THEN $3 ELSE answered_at END, \
             status = CASE WHEN $4 = 1 THEN 'awaiting' \
                           WHEN status = 'new' THEN 'assigned' ELSE status END \
             WHERE id = $5",
        )
        .bind(answer.as_str())
        .bind(act.by.0)
        .bind(act.now)
        .bind(i64::from(submit))
        .bind(act.id.0)
        .execute(&mut *tx)
        .await?;
        let what = if submit {
            "Gửi câu trả lời chờ duyệt"
        } else {
            "Lưu bản nháp câu trả lời"
        };
        history(&mut tx, act.id, Some(act.by), what, "", act.now).await?;
        ContentChange::new(act.site, act.now)
            .audit(note(act, "soạn trả lời câu hỏi"), title)
            .commit(tx)
            .await
    }

    /// Approves the answer: the question is published (public when the asker
    /// allowed it) and the asker's e-mail is queued with it.
    pub async fn approve_answer(
        &self,
        act: QuestionAct<'_>,
        show_answerer: bool,
        mail: &NewMail<'_>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT title, body, answer_html, status FROM questions WHERE id = $1 AND site_id = $2",
        )
        .bind(act.id.0)
        .bind(act.site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("question"))?;
        let status: String = row.try_get("status")?;
        let answer: String = row.try_get("answer_html")?;
        if status != "awaiting" || answer.trim().is_empty() {
            return Err(Error::Stale);
        }
        let title: String = row.try_get("title")?;
        let body: String = row.try_get("body")?;
        sqlx::query(
            "UPDATE questions SET status = 'published', published_at = $1, updated_at = $1, \
             show_answerer = $2, folded = $3 WHERE id = $4",
        )
        .bind(act.now)
        .bind(i64::from(show_answerer))
        .bind(folded(
            &title,
            &body,
            &SafeHtml::from_stored(answer).to_plain_text(),
        ))
        .bind(act.id.0)
        .execute(&mut *tx)
        .await?;
        history(
            &mut tx,
            act.id,
            Some(act.by),
            "Duyệt và công bố câu trả lời",
            "",
            act.now,
        )
        .await?;
        enqueue_mail_in(&mut tx, mail, act.now).await?;
        ContentChange::new(act.site, act.now)
            .document(DocKind::Question, act.id.0)
            .audit(note(act, "duyệt trả lời câu hỏi"), title)
            .commit(tx)
            .await
    }

    /// Sends the answer back to its writer with a note.
    pub async fn return_answer(&self, act: QuestionAct<'_>, why: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title = open_question(&mut tx, act).await?;
        sqlx::query(
            "UPDATE questions SET status = 'assigned', updated_at = $1 WHERE id = $2 \
             AND status = 'awaiting'",
        )
        .bind(act.now)
        .bind(act.id.0)
        .execute(&mut *tx)
        .await?;
        history(
            &mut tx,
            act.id,
            Some(act.by),
            "Trả lại để sửa câu trả lời",
            why,
            act.now,
        )
        .await?;
        ContentChange::new(act.site, act.now)
            .audit(note(act, "trả lại câu trả lời"), title)
            .commit(tx)
            .await
    }

    /// Marks the question spam (kept [`SPAM_KEEP_SECONDS`], then pruned), or takes
    /// it out of spam again (back to new).
    pub async fn mark_spam(&self, act: QuestionAct<'_>, spam: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title: String =
            sqlx::query("SELECT title FROM questions WHERE id = $1 AND site_id = $2")
                .bind(act.id.0)
                .bind(act.site.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound("question"))?
                .try_get("title")?;
        let (status, spam_at, what, audit) = if spam {
            (
                "spam",
                Some(act.now),
                "Đánh dấu là thư rác",
                "đánh dấu thư rác",
            )
        } else {
            ("new", None, "Bỏ đánh dấu thư rác", "bỏ đánh dấu thư rác")
        };
        sqlx::query(
            "UPDATE questions SET status = $1, spam_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(spam_at)
        .bind(act.now)
        .bind(act.id.0)
        .execute(&mut *tx)
        .await?;
        history(&mut tx, act.id, Some(act.by), what, "", act.now).await?;
        ContentChange::new(act.site, act.now)
            .document(DocKind::Question, act.id.0)
            .audit(note(act, audit), title)
            .commit(tx)
            .await
    }

    /// Forwards the question to another site's inbox with a note: a new question
    /// there (with `new_code`), this one closed; both histories say so.
    #[expect(clippy::too_many_arguments, reason = "one forward, said whole")]
    pub async fn forward_question(
        &self,
        act: QuestionAct<'_>,
        due_day: i64,
        to: SiteId,
        to_name: &str,
        from_name: &str,
        new_code: &str,
        why: &str,
    ) -> Result<QuestionId> {
        let mut tx = self.begin_write().await?;
        let title = open_question(&mut tx, act).await?;
        let row = sqlx::query(
            "SELECT salutation, asker_name, email, phone, address, title, body, field, may_publish, \
             attachment_id FROM questions WHERE id = $1",
        )
        .bind(act.id.0)
        .fetch_one(&mut *tx)
        .await?;
        let draft = QuestionDraft {
            salutation: row.try_get("salutation")?,
            name: row.try_get("asker_name")?,
            email: row.try_get("email")?,
            phone: row.try_get("phone")?,
            address: row.try_get("address")?,
            title: row.try_get("title")?,
            body: row.try_get("body")?,
            field: row.try_get("field")?,
            may_publish: row.try_get::<i64, _>("may_publish")? != 0,
        };
        let attachment: Option<i64> = row.try_get("attachment_id")?;
        let created: i64 = sqlx::query("SELECT created_at FROM questions WHERE id = $1")
            .bind(act.id.0)
            .fetch_one(&mut *tx)
            .await?
            .try_get("created_at")?;
        let new_id = insert_question(
            &mut tx,
            to,
            &draft,
            new_code,
            Some(act.id),
            Some(due_day),
            created,
        )
        .await?;
        // The asker's file goes with the question (the same stored file).
        sqlx::query("UPDATE questions SET attachment_id = $1 WHERE id = $2")
            .bind(attachment)
            .bind(new_id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE questions SET status = 'closed', forwarded_to = $1, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(new_id.0)
        .bind(act.now)
        .bind(act.id.0)
        .execute(&mut *tx)
        .await?;
        history(
            &mut tx,
            act.id,
            Some(act.by),
            &format!("Đã chuyển đến {to_name}"),
            why,
            act.now,
        )
        .await?;
        history(
            &mut tx,
            new_id,
            None,
            "Tiếp nhận câu hỏi (ngày gửi ban đầu)",
            "",
            created,
        )
        .await?;
        history(
            &mut tx,
            new_id,
            Some(act.by),
            &format!("Nhận chuyển từ {from_name}"),
            why,
            act.now,
        )
        .await?;
        // The receiving site's content changes too: its inbox has a new question.
        sqlx::query("UPDATE sites SET content_version = content_version + 1 WHERE id = $1")
            .bind(to.0)
            .execute(&mut *tx)
            .await?;
        ContentChange::new(act.site, act.now)
            .audit(note(act, "chuyển câu hỏi"), format!("{title} → {to_name}"))
            .commit(tx)
            .await?;
        Ok(new_id)
    }

    /// Deletes spam marked more than [`SPAM_KEEP_SECONDS`] before `now`, and the
    /// askers' files no question holds any more; how many questions.
    pub async fn prune_spam_questions(&self, now: i64) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM questions WHERE status = 'spam' AND spam_at < $1")
            .bind(now - SPAM_KEEP_SECONDS)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(
            "DELETE FROM question_files WHERE NOT EXISTS \
             (SELECT 1 FROM questions q WHERE q.attachment_id = question_files.id)",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The site's public questions: published and allowed by the asker, newest
    /// first, filtered by field and by every folded word; one page and the total.
    pub async fn public_questions(
        &self,
        site: SiteId,
        field: Option<&str>,
        words: &[String],
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PublicQuestion>, i64)> {
        let mut filter = Conditions::default();
        filter.add("q.site_id = ", site.0);
        if let Some(f) = field {
            filter.add("q.field = ", f);
        }
        for w in words {
            filter.add("q.folded LIKE ", format!("%{w}%"));
        }
        const PUBLIC: &str = " AND q.status = 'published' AND q.may_publish = 1";
        let mut count = Sql::new("SELECT COUNT(*) AS n FROM questions q");
        count.push_where(&filter).push(PUBLIC);
        let mut page = Sql::new(
            "SELECT q.id, q.title, q.body, q.field, q.salutation, q.asker_name, q.address, \
             q.answer_html, q.show_answerer, COALESCE(ub.full_name, '') AS answerer_name, \
             q.published_at, q.helpful_yes, q.helpful_no \
             FROM questions q LEFT JOIN users ub ON ub.id = q.answered_by",
        );
        page.push_where(&filter)
            .push(PUBLIC)
            .push(" ORDER BY q.published_at DESC, q.id DESC LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let total: i64 = count
            .query()
            .fetch_one(self.db_read())
            .await?
            .try_get("n")?;
        let rows = page.query().fetch_all(self.db_read()).await?;
        let list = rows.iter().map(public_from_row).collect::<Result<_>>()?;
        Ok((list, total))
    }

    /// A public question (published and allowed) of the site.
    pub async fn public_question(
        &self,
        site: SiteId,
        id: QuestionId,
    ) -> Result<Option<PublicQuestion>> {
        let row = sqlx::query(
            "SELECT q.id, q.title, q.body, q.field, q.salutation, q.asker_name, q.address, \
             q.answer_html, q.show_answerer, COALESCE(ub.full_name, '') AS answerer_name, \
             q.published_at, q.helpful_yes, q.helpful_no \
             FROM questions q LEFT JOIN users ub ON ub.id = q.answered_by \
             WHERE q.status = 'published' AND q.may_publish = 1 AND q.site_id = $1 AND q.id = $2",
        )
        .bind(site.0)
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(public_from_row).transpose()
    }

    /// A public question for the search index, whatever its site; `None` when it
    /// is not public (any more).
    pub async fn searchable_question(
        &self,
        id: QuestionId,
    ) -> Result<Option<(SiteId, PublicQuestion)>> {
        let row = sqlx::query(
            "SELECT q.id, q.site_id, q.title, q.body, q.field, q.salutation, q.asker_name, \
             q.address, q.answer_html, q.show_answerer, COALESCE(ub.full_name, '') AS answerer_name, \
             q.published_at, q.helpful_yes, q.helpful_no \
             FROM questions q LEFT JOIN users ub ON ub.id = q.answered_by \
             WHERE q.status = 'published' AND q.may_publish = 1 AND q.id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref()
            .map(|r| Ok((SiteId(r.try_get("site_id")?), public_from_row(r)?)))
            .transpose()
    }

    /// Every public question's id (a full reindex).
    pub async fn searchable_question_ids(&self) -> Result<Vec<QuestionId>> {
        let rows = sqlx::query(
            "SELECT id FROM questions WHERE status = 'published' AND may_publish = 1 ORDER BY id",
        )
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok(QuestionId(r.try_get("id")?)))
            .collect()
    }

    /// A reader's vote on a public answer; false when this reader voted already.
    pub async fn vote_on_answer(
        &self,
        site: SiteId,
        id: QuestionId,
        reader: &str,
        helpful: bool,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let public = sqlx::query(
            "SELECT id FROM questions WHERE id = $1 AND site_id = $2 AND status = 'published' \
             AND may_publish = 1",
        )
        .bind(id.0)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?;
        if public.is_none() {
            return Err(Error::NotFound("question"));
        }
        let inserted = sqlx::query(
            "INSERT INTO question_votes (question_id, reader, helpful) VALUES ($1, $2, $3) \
             ON CONFLICT (question_id, reader) DO NOTHING",
        )
        .bind(id.0)
        .bind(reader)
        .bind(i64::from(helpful))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(false);
        }
        let column = if helpful { "helpful_yes" } else { "helpful_no" };
        sqlx::query(&format!(
            "UPDATE questions SET {column} = {column} + 1 WHERE id = $1"
        ))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Whether this reader voted on this answer.
    pub async fn has_voted(&self, id: QuestionId, reader: &str) -> Result<bool> {
        Ok(
            sqlx::query("SELECT 1 AS x FROM question_votes WHERE question_id = $1 AND reader = $2")
                .bind(id.0)
                .bind(reader)
                .fetch_optional(self.db_read())
                .await?
                .is_some(),
        )
    }

    /// The timing of the site's questions received since `since` (every site's
    /// when `site` is `None`) and of every open one.
    pub async fn question_timings(
        &self,
        site: Option<SiteId>,
        since: i64,
    ) -> Result<Vec<(SiteId, QuestionTiming)>> {
        let rows = sqlx::query(
            "SELECT id, site_id, status, assignee_id, due_day, created_at, published_at, \
             reminded_day FROM questions \
             WHERE ($1 = 0 OR site_id = $1) AND status <> 'spam' \
             AND (created_at >= $2 OR status IN ('new', 'assigned', 'awaiting')) \
             ORDER BY id",
        )
        .bind(site.map_or(0, |s| s.0))
        .bind(since)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    SiteId(r.try_get("site_id")?),
                    QuestionTiming {
                        id: QuestionId(r.try_get("id")?),
                        status: status_of(r)?,
                        assignee: r.try_get::<Option<i64>, _>("assignee_id")?.map(UserId),
                        due_day: r.try_get("due_day")?,
                        created_at: r.try_get("created_at")?,
                        published_at: r.try_get("published_at")?,
                        reminded_day: r.try_get("reminded_day")?,
                    },
                ))
            })
            .collect()
    }

    /// The field of each question (for the report), by id.
    pub async fn question_fields(
        &self,
        site: SiteId,
        since: i64,
    ) -> Result<Vec<(QuestionId, String)>> {
        let rows = sqlx::query(
            "SELECT id, field FROM questions WHERE site_id = $1 AND created_at >= $2 \
             AND status <> 'spam'",
        )
        .bind(site.0)
        .bind(since)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok((QuestionId(r.try_get("id")?), r.try_get("field")?)))
            .collect()
    }

    /// Queues reminders and marks the questions reminded on `day`, in one
    /// transaction (a reminder goes out once a day).
    pub async fn send_reminders(
        &self,
        reminded: &[QuestionId],
        mails: &[NewMail<'_>],
        day: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for id in reminded {
            sqlx::query("UPDATE questions SET reminded_day = $1 WHERE id = $2")
                .bind(day)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        for m in mails {
            enqueue_mail_in(&mut tx, m, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A site's changes to the shipped holidays.
    pub async fn holiday_edits(&self, site: SiteId) -> Result<Vec<HolidayEdit>> {
        let rows =
            sqlx::query("SELECT day, name, off FROM holiday_edits WHERE site_id = $1 ORDER BY day")
                .bind(site.0)
                .fetch_all(self.db_read())
                .await?;
        rows.iter()
            .filter_map(|r| {
                let day: String = match r.try_get("day") {
                    Ok(d) => d,
                    Err(e) => return Some(Err(e.into())),
                };
                let day = domain::calendar::parse_iso_day(&day)?;
                Some((|| {
                    Ok(HolidayEdit {
                        day,
                        name: r.try_get("name")?,
                        off: r.try_get::<i64, _>("off")? != 0,
                    })
                })())
            })
            .collect()
    }

    /// Sets (or, with `None`, removes) a site's edit of one day.
    pub async fn set_holiday_edit(
        &self,
        site: SiteId,
        day: i64,
        edit: Option<(&str, bool)>,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let iso = domain::calendar::iso_of(day);
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM holiday_edits WHERE site_id = $1 AND day = $2")
            .bind(site.0)
            .bind(&iso)
            .execute(&mut *tx)
            .await?;
        let detail = match edit {
            Some((name, off)) => {
                sqlx::query(
                    "INSERT INTO holiday_edits (site_id, day, name, off) VALUES ($1, $2, $3, $4)",
                )
                .bind(site.0)
                .bind(&iso)
                .bind(vntext::clean_line(name))
                .bind(i64::from(off))
                .execute(&mut *tx)
                .await?;
                format!(
                    "{}: {}",
                    domain::calendar::vi_date_of(day),
                    if off { "nghỉ" } else { "làm việc" }
                )
            }
            None => format!("{}: theo lịch mặc định", domain::calendar::vi_date_of(day)),
        };
        ContentChange::new(site, now)
            .audit(audit, detail)
            .commit(tx)
            .await
    }

    /// Sets (or, empty, clears) where a person gets reminders.
    pub async fn set_user_mail(&self, user: UserId, email: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM user_mail WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        if !email.trim().is_empty() {
            sqlx::query("INSERT INTO user_mail (user_id, email) VALUES ($1, $2)")
                .bind(user.0)
                .bind(email.trim().to_lowercase())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Where a person gets reminders.
    pub async fn user_mail(&self, user: UserId) -> Result<Option<String>> {
        Ok(
            sqlx::query("SELECT email FROM user_mail WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(self.db_read())
                .await?
                .map(|r| r.try_get("email"))
                .transpose()?,
        )
    }

    /// The people with a role on the site and a reminder address: (user, role, e-mail).
    pub async fn site_mail_people(&self, site: SiteId) -> Result<Vec<(UserId, String, String)>> {
        let rows = sqlx::query(
            "SELECT r.user_id, r.role, m.email FROM user_roles r \
             JOIN user_mail m ON m.user_id = r.user_id \
             JOIN users u ON u.id = r.user_id WHERE r.site_id = $1 AND u.active = 1",
        )
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    UserId(r.try_get("user_id")?),
                    r.try_get("role")?,
                    r.try_get("email")?,
                ))
            })
            .collect()
    }

    /// Records an anonymous rating: the score, the comment and the month only.
    pub async fn add_rating(
        &self,
        site: SiteId,
        score: i64,
        comment: &str,
        month: &str,
        day: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO site_ratings (site_id, score, comment, month, created_day) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(site.0)
        .bind(score)
        .bind(vntext::nfc(comment.trim()))
        .bind(month)
        .bind(day)
        .execute(self.db_write())
        .await?;
        Ok(())
    }

    /// A site's ratings by month, oldest first.
    pub async fn rating_months(&self, site: SiteId) -> Result<Vec<RatingMonth>> {
        let rows = sqlx::query(
            "SELECT month, score, COUNT(*) AS n FROM site_ratings WHERE site_id = $1 \
             GROUP BY month, score ORDER BY month, score",
        )
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        let mut out: Vec<RatingMonth> = Vec::new();
        for r in &rows {
            let month: String = r.try_get("month")?;
            let score: i64 = r.try_get("score")?;
            let n: i64 = r.try_get("n")?;
            if out.last().map(|m| &m.month) != Some(&month) {
                out.push(RatingMonth {
                    month,
                    counts: [0; 5],
                });
            }
            if let (Some(last), Ok(i)) = (out.last_mut(), usize::try_from(score - 1))
                && i < 5
            {
                last.counts[i] = n;
            }
        }
        Ok(out)
    }

    /// A site's newest rating comments.
    pub async fn rating_comments(&self, site: SiteId, limit: i64) -> Result<Vec<RatingComment>> {
        let rows = sqlx::query(
            "SELECT month, score, comment FROM site_ratings WHERE site_id = $1 AND comment <> '' \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(site.0)
        .bind(limit)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RatingComment {
                    month: r.try_get("month")?,
                    score: r.try_get("score")?,
                    comment: r.try_get("comment")?,
                })
            })
            .collect()
    }

    /// Every column of a site's ratings (what the tests check is all there is).
    pub async fn rating_columns(&self) -> Result<Vec<String>> {
        let row = sqlx::query("SELECT * FROM site_ratings LIMIT 1")
            .fetch_optional(self.db_read())
            .await?;
        Ok(row
            .map(|r| {
                use sqlx::Column;
                r.columns().iter().map(|c| c.name().to_owned()).collect()
            })
            .unwrap_or_default())
    }
}

async fn insert_question(
    conn: &mut AnyConnection,
    site: SiteId,
    d: &QuestionDraft,
    code: &str,
    forwarded_from: Option<QuestionId>,
    due_day: Option<i64>,
    now: i64,
) -> Result<QuestionId> {
    let id: i64 = sqlx::query(
        "INSERT INTO questions (site_id, code, salutation, asker_name, email, phone, address, \
         title, body, field, may_publish, status, forwarded_from, folded, due_day, created_at, \
         updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'new', $12, $13, $15, $14, $14) \
         RETURNING id",
    )
    .bind(site.0)
    .bind(code)
    .bind(&d.salutation)
    .bind(vntext::clean_line(&d.name))
    .bind(d.email.trim().to_lowercase())
    .bind(vntext::clean_line(&d.phone))
    .bind(vntext::clean_line(&d.address))
    .bind(vntext::clean_line(&d.title))
    .bind(vntext::nfc(d.body.trim()))
    .bind(&d.field)
    .bind(i64::from(d.may_publish))
    .bind(forwarded_from.map(|q| q.0))
    .bind(folded(&d.title, &d.body, ""))
    .bind(now)
    .bind(due_day)
    .fetch_one(conn)
    .await
    .map_err(on_unique("question_code"))?
    .try_get("id")?;
    Ok(QuestionId(id))
}

/// The title of a question of the site that is still being handled (not
/// published, closed or spam); `NotFound` or `Stale` otherwise.
async fn open_question(conn: &mut AnyConnection, act: QuestionAct<'_>) -> Result<String> {
    let row = sqlx::query("SELECT title, status FROM questions WHERE id = $1 AND site_id = $2")
        .bind(act.id.0)
        .bind(act.site.0)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound("question"))?;
    let status: String = row.try_get("status")?;
    if !QuestionStatus::parse(&status).is_some_and(QuestionStatus::is_open) {
        return Err(Error::Stale);
    }
    Ok(row.try_get("title")?)
}

fn note<'a>(act: QuestionAct<'a>, action: &'a str) -> AuditNote<'a> {
    AuditNote {
        user: Some(act.by),
        action,
        ip: act.ip,
    }
}

fn status_of(r: &AnyRow) -> Result<QuestionStatus> {
    let s: String = r.try_get("status")?;
    QuestionStatus::parse(&s).ok_or_else(|| Error::Corrupt(format!("question status {s}")))
}

fn question_from_row(r: &AnyRow) -> Result<Question> {
    Ok(Question {
        id: QuestionId(r.try_get("id")?),
        site: SiteId(r.try_get("site_id")?),
        code: r.try_get("code")?,
        salutation: r.try_get("salutation")?,
        name: r.try_get("asker_name")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        address: r.try_get("address")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        field: r.try_get("field")?,
        may_publish: r.try_get::<i64, _>("may_publish")? != 0,
        status: status_of(r)?,
        assignee: r.try_get::<Option<i64>, _>("assignee_id")?.map(UserId),
        assignee_name: r.try_get("assignee_name")?,
        due_day: r.try_get("due_day")?,
        answer: SafeHtml::from_stored(r.try_get("answer_html")?),
        answered_by: r.try_get::<Option<i64>, _>("answered_by")?.map(UserId),
        answerer_name: r.try_get("answerer_name")?,
        show_answerer: r.try_get::<i64, _>("show_answerer")? != 0,
        answered_at: r.try_get("answered_at")?,
        published_at: r.try_get("published_at")?,
        forwarded_from: r
            .try_get::<Option<i64>, _>("forwarded_from")?
            .map(QuestionId),
        forwarded_to: r.try_get::<Option<i64>, _>("forwarded_to")?.map(QuestionId),
        helpful: (r.try_get("helpful_yes")?, r.try_get("helpful_no")?),
        attachment: match (
            r.try_get::<Option<String>, _>("file_name")?,
            r.try_get::<Option<i64>, _>("file_size")?,
        ) {
            (Some(name), Some(size)) => Some((name, size)),
            _ => None,
        },
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn public_from_row(r: &AnyRow) -> Result<PublicQuestion> {
    let salutation: String = r.try_get("salutation")?;
    let name: String = r.try_get("asker_name")?;
    let address: String = r.try_get("address")?;
    let answerer: String = r.try_get("answerer_name")?;
    Ok(PublicQuestion {
        id: QuestionId(r.try_get("id")?),
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        field: r.try_get("field")?,
        asker: domain::shortened_name(&salutation, &name, &address),
        answer: SafeHtml::from_stored(r.try_get("answer_html")?),
        answerer: (r.try_get::<i64, _>("show_answerer")? != 0 && !answerer.is_empty())
            .then_some(answerer),
        published_at: r.try_get::<Option<i64>, _>("published_at")?.unwrap_or(0),
        helpful: (r.try_get("helpful_yes")?, r.try_get("helpful_no")?),
    })
}
