//! The mail queue: every e-mail the program sends is first a row here, written in
//! the transaction of the change that causes it, so that none is lost when the
//! mail server is down. The sender (`web`'s mail chore) claims due rows, sends
//! them and marks them sent; a failure is kept with its error and tried again
//! later, after a doubling pause (1 minute to 6 hours). Nothing is ever dropped.

use crate::{Result, Store};
use domain::SiteId;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// An e-mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail<'a> {
    /// The site it is sent for (its name goes in the sender), if any.
    pub site: Option<SiteId>,
    /// One address.
    pub to: &'a str,
    /// Subject line.
    pub subject: &'a str,
    /// Plain-text body.
    pub body: &'a str,
}

/// A queued e-mail, as the sender reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    /// Id.
    pub id: i64,
    /// The site it is sent for.
    pub site: Option<SiteId>,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Tries so far.
    pub attempts: i64,
    /// The last failure ("" when none).
    pub last_error: String,
}

/// What the dashboard says of the queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailQueueCounts {
    /// Not sent yet.
    pub waiting: i64,
    /// Not sent yet and failed at least once.
    pub failing: i64,
    /// Sent since the given time.
    pub sent: i64,
}

/// How long a claimed e-mail is left to its sender before another may try it.
const CLAIM_SECONDS: i64 = 300;

/// The pause before try `attempts + 1`: a minute, doubling, at most six hours.
pub fn retry_delay(attempts: i64) -> i64 {
    (60_i64 << attempts.clamp(0, 10)).min(6 * 3600)
}

/// Queues an e-mail inside the caller's transaction (the change that causes it).
pub async fn enqueue_mail_in(
    conn: &mut AnyConnection,
    mail: &NewMail<'_>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO mail_queue (site_id, to_addr, subject, body, created_at, next_try_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(mail.site.map(|s| s.0))
    .bind(mail.to.trim())
    .bind(vntext::clean_line(mail.subject))
    .bind(vntext::nfc(mail.body))
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")?)
}

impl Store {
    /// Queues an e-mail on its own.
    pub async fn enqueue_mail(&self, mail: &NewMail<'_>, now: i64) -> Result<i64> {
        let mut conn = self.db_write().acquire().await?;
        enqueue_mail_in(&mut conn, mail, now).await
    }

    /// Claims up to `limit` e-mails due at `now`: each is this caller's for a few
    /// minutes (another instance will not send it meanwhile).
    pub async fn claim_mail(&self, now: i64, limit: i64) -> Result<Vec<QueuedMail>> {
        let rows = sqlx::query(
            "SELECT id, site_id, to_addr, subject, body, attempts, last_error, next_try_at \
             FROM mail_queue WHERE sent_at IS NULL AND next_try_at <= $1 \
             ORDER BY next_try_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.db_read())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let was: i64 = r.try_get("next_try_at")?;
            let id: i64 = r.try_get("id")?;
            let claimed = sqlx::query(
                "UPDATE mail_queue SET next_try_at = $1 \
                 WHERE id = $2 AND next_try_at = $3 AND sent_at IS NULL",
            )
            .bind(now + CLAIM_SECONDS)
            .bind(id)
            .bind(was)
            .execute(self.db_write())
            .await?
            .rows_affected();
            if claimed == 1 {
                out.push(mail_from_row(r)?);
            }
        }
        Ok(out)
    }

    /// Marks an e-mail sent.
    pub async fn mail_sent(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE mail_queue SET sent_at = $1, attempts = attempts + 1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(self.db_write())
            .await?;
        Ok(())
    }

    /// Records a failed try; the e-mail is tried again after [`retry_delay`].
    pub async fn mail_failed(&self, id: i64, error: &str, now: i64) -> Result<()> {
        let attempts: i64 = sqlx::query("SELECT attempts FROM mail_queue WHERE id = $1")
            .bind(id)
            .fetch_optional(self.db_read())
            .await?
            .map(|r| r.try_get("attempts"))
            .transpose()?
            .unwrap_or(0);
        let error: String = error.chars().take(500).collect();
        sqlx::query(
            "UPDATE mail_queue SET attempts = attempts + 1, last_error = $1, next_try_at = $2 \
             WHERE id = $3",
        )
        .bind(error)
        .bind(now + retry_delay(attempts))
        .bind(id)
        .execute(self.db_write())
        .await?;
        Ok(())
    }

    /// The queue's figures; `sent` counts e-mails sent since `since`.
    pub async fn mail_queue_counts(&self, since: i64) -> Result<MailQueueCounts> {
        let r = sqlx::query(
            "SELECT \
             COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0) AS waiting, \
             COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts > 0 THEN 1 ELSE 0 END), 0) AS failing, \
             COALESCE(SUM(CASE WHEN sent_at >= $1 THEN 1 ELSE 0 END), 0) AS sent \
             FROM mail_queue",
        )
        .bind(since)
        .fetch_one(self.db_read())
        .await?;
        Ok(MailQueueCounts {
            waiting: r.try_get("waiting")?,
            failing: r.try_get("failing")?,
            sent: r.try_get("sent")?,
        })
    }

    /// Every e-mail to `to`, newest first, with whether it was sent (for tests and
    /// the back office).
    pub async fn mail_to(&self, to: &str) -> Result<Vec<(QueuedMail, bool)>> {
        let rows = sqlx::query(
            "SELECT id, site_id, to_addr, subject, body, attempts, last_error, sent_at \
             FROM mail_queue WHERE to_addr = $1 ORDER BY id DESC",
        )
        .bind(to)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                let sent: Option<i64> = r.try_get("sent_at")?;
                Ok((mail_from_row(r)?, sent.is_some()))
            })
            .collect()
    }
}

fn mail_from_row(r: &AnyRow) -> Result<QueuedMail> {
    Ok(QueuedMail {
        id: r.try_get("id")?,
        site: r.try_get::<Option<i64>, _>("site_id")?.map(SiteId),
        to: r.try_get("to_addr")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
    })
}
