//! Two-step login: each user's authenticator secret, the steps already used, the
//! one-time backup codes, and logins that wait for their code.
//!
//! Every "use" below is one conditional `UPDATE` or `DELETE` whose row count says
//! whether it happened, so that two requests racing with the same code (on one
//! server or two) cannot both get in.

use crate::accounts::SessionInfo;
use crate::{Error, Result, Store};
use domain::UserId;
use sqlx::Row;

/// A user's authenticator, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpState {
    /// The shared secret, base32.
    pub secret: String,
    /// When two-step login was turned on; `None` while the enrolment awaits its
    /// first code.
    pub enabled_at: Option<i64>,
    /// The last 30-second step a code was accepted for.
    pub last_step: i64,
}

impl Store {
    /// The user's authenticator, if they have begun or finished an enrolment.
    pub async fn totp(&self, user: UserId) -> Result<Option<TotpState>> {
        let Some(row) =
            sqlx::query("SELECT secret, enabled_at, last_step FROM user_totp WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(self.db_read())
                .await?
        else {
            return Ok(None);
        };
        Ok(Some(TotpState {
            secret: row.try_get("secret")?,
            enabled_at: row.try_get("enabled_at")?,
            last_step: row.try_get("last_step")?,
        }))
    }

    /// Begins (or begins again) an enrolment with a new secret. Refused with
    /// [`Error::Conflict`] when two-step login is already on: it must be turned
    /// off first, with the password.
    pub async fn start_totp(&self, user: UserId, secret: &str) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO user_totp (user_id, secret, enabled_at, last_step) VALUES ($1, $2, NULL, 0) \
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = 0 \
             WHERE user_totp.enabled_at IS NULL",
        )
        .bind(user.0)
        .bind(secret)
        .execute(self.db_write())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Conflict("totp"));
        }
        Ok(())
    }

    /// Finishes an enrolment: the code of `step` was right. Turns two-step login on
    /// and replaces the backup codes with these hashes. False if there was no
    /// enrolment waiting (finished meanwhile, or never begun).
    pub async fn enable_totp(
        &self,
        user: UserId,
        step: i64,
        backup_hashes: &[String],
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE user_totp SET enabled_at = $1, last_step = $2 \
             WHERE user_id = $3 AND enabled_at IS NULL AND last_step < $2",
        )
        .bind(now)
        .bind(step)
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM totp_backup_codes WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        for hash in backup_hashes {
            sqlx::query(
                "INSERT INTO totp_backup_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)",
            )
            .bind(user.0)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Takes the code of `step` for a login: true only if two-step login is on and
    /// no code of this step or a later one was taken before.
    pub async fn use_totp_step(&self, user: UserId, step: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE user_totp SET last_step = $1 \
             WHERE user_id = $2 AND enabled_at IS NOT NULL AND last_step < $1",
        )
        .bind(step)
        .bind(user.0)
        .execute(self.db_write())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Uses up a backup code by its hash: true the first time only.
    pub async fn use_backup_code(&self, user: UserId, code_hash: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE totp_backup_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user.0)
        .bind(code_hash)
        .execute(self.db_write())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many backup codes the user has left.
    pub async fn backup_codes_left(&self, user: UserId) -> Result<i64> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM totp_backup_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(self.db_read())
        .await?
        .try_get("n")?)
    }

    /// Turns two-step login off (or drops an unfinished enrolment): the secret,
    /// the backup codes and any login waiting for a code go.
    pub async fn disable_totp(&self, user: UserId) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for sql in [
            "DELETE FROM user_totp WHERE user_id = $1",
            "DELETE FROM totp_backup_codes WHERE user_id = $1",
            "DELETE FROM pending_logins WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(user.0).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Notes a login whose password was right and whose code is still to come.
    /// Only the token's hash is stored; expired ones are swept on the way.
    pub async fn create_pending_login(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query("DELETE FROM pending_logins WHERE expires_at <= $1")
            .bind(now)
            .execute(self.db_write())
            .await?;
        sqlx::query(
            "INSERT INTO pending_logins (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(self.db_write())
        .await?;
        Ok(())
    }

    /// The login waiting for a code under this token hash, if it has not expired
    /// and its user is still active. Shaped like a session: who, and the token the
    /// code form must carry.
    pub async fn pending_login(&self, token_hash: &str, now: i64) -> Result<Option<SessionInfo>> {
        let Some(row) = sqlx::query(
            "SELECT u.id, u.username, u.full_name, u.is_super, u.active, p.csrf_token, p.expires_at \
             FROM pending_logins p JOIN users u ON u.id = p.user_id \
             WHERE p.token_hash = $1 AND p.expires_at > $2 AND u.active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.db_read())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(SessionInfo {
            user: self.user_from_row(&row).await?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    /// Ends a waiting login: true if it was still there, so that only one request
    /// can turn it into a session.
    pub async fn take_pending_login(&self, token_hash: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM pending_logins WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.db_write())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::fresh_store;
    use crate::{Error, Store};
    use domain::UserId;

    async fn store_with_user() -> (Store, UserId, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = fresh_store(dir.path()).await.unwrap();
        let user = store
            .create_user("lan.nguyen", "Nguyễn Thị Lan", "x", false, 0)
            .await
            .unwrap();
        (store, user, dir)
    }

    #[tokio::test]
    async fn enrolment_steps_and_backup_codes_are_single_use() {
        let (store, user, _dir) = store_with_user().await;
        assert_eq!(store.totp(user).await.unwrap(), None);
        assert!(!store.use_totp_step(user, 10).await.unwrap(), "not on yet");
        store.start_totp(user, "AAAA").await.unwrap();
        store.start_totp(user, "BBBB").await.unwrap();
        let t = store.totp(user).await.unwrap().unwrap();
        assert_eq!((t.secret.as_str(), t.enabled_at), ("BBBB", None));
        assert!(!store.use_totp_step(user, 10).await.unwrap(), "not on yet");

        let hashes = vec!["h1".to_owned(), "h2".to_owned()];
        assert!(store.enable_totp(user, 100, &hashes, 5).await.unwrap());
        assert!(!store.enable_totp(user, 101, &hashes, 5).await.unwrap());
        assert!(matches!(
            store.start_totp(user, "CCCC").await,
            Err(Error::Conflict(_))
        ));
        let t = store.totp(user).await.unwrap().unwrap();
        assert_eq!((t.enabled_at, t.last_step), (Some(5), 100));

        assert!(
            !store.use_totp_step(user, 100).await.unwrap(),
            "used at enrolment"
        );
        assert!(!store.use_totp_step(user, 99).await.unwrap(), "older");
        assert!(store.use_totp_step(user, 101).await.unwrap());
        assert!(!store.use_totp_step(user, 101).await.unwrap(), "twice");

        assert_eq!(store.backup_codes_left(user).await.unwrap(), 2);
        assert!(store.use_backup_code(user, "h1", 6).await.unwrap());
        assert!(!store.use_backup_code(user, "h1", 7).await.unwrap());
        assert!(!store.use_backup_code(user, "nope", 7).await.unwrap());
        assert_eq!(store.backup_codes_left(user).await.unwrap(), 1);

        store.disable_totp(user).await.unwrap();
        assert_eq!(store.totp(user).await.unwrap(), None);
        assert_eq!(store.backup_codes_left(user).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn pending_logins_expire_and_are_taken_once() {
        let (store, user, _dir) = store_with_user().await;
        store
            .create_pending_login("p1", user, "csrf", 1000, 1300)
            .await
            .unwrap();
        let p = store.pending_login("p1", 1299).await.unwrap().unwrap();
        assert_eq!((p.user.id, p.csrf_token.as_str()), (user, "csrf"));
        assert!(store.pending_login("p1", 1300).await.unwrap().is_none());
        assert!(store.pending_login("other", 1000).await.unwrap().is_none());
        assert!(store.take_pending_login("p1").await.unwrap());
        assert!(!store.take_pending_login("p1").await.unwrap());
        // A new one sweeps the expired.
        store
            .create_pending_login("p2", user, "csrf", 1000, 1300)
            .await
            .unwrap();
        store
            .create_pending_login("p3", user, "csrf", 2000, 2300)
            .await
            .unwrap();
        assert!(!store.take_pending_login("p2").await.unwrap());
    }
}
