//! Accounts, roles, sessions and login attempts.

use crate::change::{AuditNote, write_audit};
use crate::error::on_unique;
use crate::{Error, Result, Store};
use domain::{Role, SiteId, User, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

/// What a valid session gives: who, and the token their forms must carry.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// The signed-in user.
    pub user: User,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends, UTC seconds.
    pub expires_at: i64,
}

impl Store {
    /// Creates an account; the name must be free.
    pub async fn create_user(
        &self,
        username: &str,
        full_name: &str,
        password_hash: &str,
        is_super: bool,
        now: i64,
    ) -> Result<UserId> {
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, full_name, password_hash, is_super, active, created_at, password_changed_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
        )
        .bind(username)
        .bind(vntext::clean_line(full_name))
        .bind(password_hash)
        .bind(i64::from(is_super))
        .bind(now)
        .fetch_one(self.db_write())
        .await
        .map_err(on_unique("username"))?
        .try_get("id")?;
        Ok(UserId(id))
    }

    /// Gives `user` the `role` on `site`, replacing any role they had there.
    pub async fn grant_role(&self, user: UserId, site: SiteId, role: Role) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_roles (user_id, site_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role",
        )
        .bind(user.0)
        .bind(site.0)
        .bind(role.as_str())
        .execute(self.db_write())
        .await?;
        Ok(())
    }

    /// Creates an account with a role on a site (a site's people page), with its
    /// audit entry: all or nothing. The name must be free ([`Error::Conflict`]).
    #[allow(clippy::too_many_arguments, reason = "one row of each table it writes")]
    pub async fn create_user_with_role(
        &self,
        username: &str,
        full_name: &str,
        password_hash: &str,
        site: SiteId,
        role: Role,
        note: AuditNote<'_>,
        detail: &str,
        now: i64,
    ) -> Result<UserId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, full_name, password_hash, is_super, active, created_at, password_changed_at) \
             VALUES ($1, $2, $3, 0, 1, $4, $4) RETURNING id",
        )
        .bind(username)
        .bind(vntext::clean_line(full_name))
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("username"))?
        .try_get("id")?;
        sqlx::query("INSERT INTO user_roles (user_id, site_id, role) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(site.0)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
        write_audit(&mut tx, Some(site), note, detail, now).await?;
        tx.commit().await?;
        Ok(UserId(id))
    }

    /// Gives `user`, who has no role on `site`, the `role` there, with its audit
    /// entry. A role already there is [`Error::Conflict`] (changing one is
    /// [`Store::change_role`]).
    pub async fn add_role(
        &self,
        user: UserId,
        site: SiteId,
        role: Role,
        note: AuditNote<'_>,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO user_roles (user_id, site_id, role) VALUES ($1, $2, $3)")
            .bind(user.0)
            .bind(site.0)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await
            .map_err(on_unique("role"))?;
        write_audit(&mut tx, Some(site), note, detail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes `user`'s role on `site` from `from` to `to`, with its audit entry.
    /// [`Error::Stale`] when their role there is no longer `from` (changed or
    /// removed meanwhile): nothing is written.
    #[allow(clippy::too_many_arguments, reason = "the change, and who made it")]
    pub async fn change_role(
        &self,
        user: UserId,
        site: SiteId,
        from: Role,
        to: Role,
        note: AuditNote<'_>,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE user_roles SET role = $1 WHERE user_id = $2 AND site_id = $3 AND role = $4",
        )
        .bind(to.as_str())
        .bind(user.0)
        .bind(site.0)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Stale);
        }
        write_audit(&mut tx, Some(site), note, detail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes `user`'s role `from` on `site`, with its audit entry ([`Error::Stale`]
    /// when it is no longer that role). The account stays, with its roles elsewhere.
    pub async fn remove_role(
        &self,
        user: UserId,
        site: SiteId,
        from: Role,
        note: AuditNote<'_>,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND site_id = $2 AND role = $3")
                .bind(user.0)
                .bind(site.0)
                .bind(from.as_str())
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Stale);
        }
        write_audit(&mut tx, Some(site), note, detail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password hash and ends every session of the user.
    pub async fn set_password_hash(&self, user: UserId, hash: &str, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
        )
        .bind(hash)
        .bind(now)
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("user"));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An account by login name, with its password hash.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<(User, String)>> {
        let Some(row) = sqlx::query(
            "SELECT id, username, full_name, is_super, active, password_hash FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(self.db_read())
        .await?
        else {
            return Ok(None);
        };
        let hash: String = row.try_get("password_hash")?;
        Ok(Some((self.user_from_row(&row).await?, hash)))
    }

    /// An account by id.
    pub async fn user_by_id(&self, id: UserId) -> Result<Option<User>> {
        let Some(row) = sqlx::query(
            "SELECT id, username, full_name, is_super, active FROM users WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(self.user_from_row(&row).await?))
    }

    /// Every account, by login name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "SELECT id, username, full_name, is_super, active FROM users ORDER BY username",
        )
        .fetch_all(self.db_read())
        .await?;
        let mut users = Vec::with_capacity(rows.len());
        for row in &rows {
            users.push(self.user_from_row(row).await?);
        }
        Ok(users)
    }

    pub(crate) async fn user_from_row(&self, row: &AnyRow) -> Result<User> {
        let id = UserId(row.try_get("id")?);
        let roles =
            sqlx::query("SELECT site_id, role FROM user_roles WHERE user_id = $1 ORDER BY site_id")
                .bind(id.0)
                .fetch_all(self.db_read())
                .await?
                .iter()
                .map(|r| {
                    let role: String = r.try_get("role")?;
                    Ok((
                        SiteId(r.try_get("site_id")?),
                        Role::parse(&role).ok_or_else(|| Error::Corrupt(format!("role {role}")))?,
                    ))
                })
                .collect::<Result<Vec<_>>>()?;
        Ok(User {
            id,
            username: row.try_get("username")?,
            full_name: row.try_get("full_name")?,
            is_super: row.try_get::<i64, _>("is_super")? != 0,
            active: row.try_get::<i64, _>("active")? != 0,
            roles,
        })
    }

    /// Opens a session. Only the token's hash is stored.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
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

    /// The session with this token hash, if it is still valid and its user active.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionInfo>> {
        let Some(row) = sqlx::query(
            "SELECT u.id, u.username, u.full_name, u.is_super, u.active, s.csrf_token, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
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

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.db_write())
            .await?;
        Ok(())
    }

    /// Notes a login attempt, for the lockout and the audit.
    pub async fn record_login_attempt(
        &self,
        username: &str,
        ip: &str,
        succeeded: bool,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_attempts (username, ip, succeeded, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(ip)
        .bind(i64::from(succeeded))
        .bind(now)
        .execute(self.db_write())
        .await?;
        Ok(())
    }

    /// The times of failed logins since `since`, for a login name and for an address,
    /// newest first (at most `limit` each).
    pub async fn failed_logins_since(
        &self,
        username: &str,
        ip: &str,
        since: i64,
        limit: i64,
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        let mut out = (Vec::new(), Vec::new());
        for (column, value, into) in [("username", username, &mut out.0), ("ip", ip, &mut out.1)] {
            // `column` is one of two constants above, never input.
            let sql = format!(
                "SELECT at FROM login_attempts WHERE {column} = $1 AND succeeded = 0 AND at >= $2 \
                 ORDER BY at DESC LIMIT $3"
            );
            for row in sqlx::query(&sql)
                .bind(value)
                .bind(since)
                .bind(limit)
                .fetch_all(self.db_read())
                .await?
            {
                into.push(row.try_get("at")?);
            }
        }
        Ok(out)
    }
}
