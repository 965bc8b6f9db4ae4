//! Hand-offs between sites: one-time tokens that open a session on another site of
//! the installation for someone signed in on this one (see `0012_site_handoffs`).
//! Taking a token deletes it in the same statement, so that of two requests with
//! it (on one server or two) only one gets it.

use crate::{Result, Store};
use domain::{SiteId, UserId};
use sqlx::Row;

/// A hand-off as it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    /// Who it is for.
    pub user: UserId,
    /// The site it opens.
    pub site: SiteId,
    /// The site it was made on.
    pub from_site: Option<SiteId>,
    /// SHA-256 of the secret the target site gave the browser that asked for it.
    pub browser_hash: String,
    /// When it stops working, UTC seconds.
    pub expires_at: i64,
}

impl Store {
    /// Notes a hand-off under the hash of its token; expired ones are swept on
    /// the way.
    pub async fn create_handoff(
        &self,
        token_hash: &str,
        handoff: &Handoff,
        now: i64,
    ) -> Result<()> {
        sqlx::query("DELETE FROM site_handoffs WHERE expires_at <= $1")
            .bind(now)
            .execute(self.db_write())
            .await?;
        sqlx::query(
            "INSERT INTO site_handoffs (token_hash, user_id, site_id, from_site_id, browser_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash)
        .bind(handoff.user.0)
        .bind(handoff.site.0)
        .bind(handoff.from_site.map(|s| s.0))
        .bind(&handoff.browser_hash)
        .bind(now)
        .bind(handoff.expires_at)
        .execute(self.db_write())
        .await?;
        Ok(())
    }

    /// Takes the hand-off under this token hash: it is gone afterwards, whether or
    /// not the caller then accepts it (expired, for another site …). None if there
    /// is none (never made, or taken already).
    pub async fn take_handoff(&self, token_hash: &str) -> Result<Option<Handoff>> {
        let Some(row) = sqlx::query(
            "DELETE FROM site_handoffs WHERE token_hash = $1 \
             RETURNING user_id, site_id, from_site_id, browser_hash, expires_at",
        )
        .bind(token_hash)
        .fetch_optional(self.db_write())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(Handoff {
            user: UserId(row.try_get("user_id")?),
            site: SiteId(row.try_get("site_id")?),
            from_site: row.try_get::<Option<i64>, _>("from_site_id")?.map(SiteId),
            browser_hash: row.try_get("browser_hash")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::Handoff;
    use crate::testing::fresh_store;
    use domain::SiteId;

    #[tokio::test]
    async fn a_handoff_is_taken_once_and_expired_ones_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let store = fresh_store(dir.path()).await.unwrap();
        let user = store
            .create_user("lan.nguyen", "Nguyễn Thị Lan", "x", false, 0)
            .await
            .unwrap();
        let site = store
            .create_site("so", true, &[], &Default::default(), 0)
            .await
            .unwrap();
        let handoff = |expires_at| Handoff {
            user,
            site,
            from_site: None,
            browser_hash: "b".repeat(64),
            expires_at,
        };
        store
            .create_handoff("t1", &handoff(1060), 1000)
            .await
            .unwrap();
        assert_eq!(store.take_handoff("t1").await.unwrap(), Some(handoff(1060)));
        assert_eq!(store.take_handoff("t1").await.unwrap(), None, "twice");
        assert_eq!(store.take_handoff("nope").await.unwrap(), None);
        store
            .create_handoff("t2", &handoff(1060), 1000)
            .await
            .unwrap();
        // Made after t2 expired: t2 is swept.
        store
            .create_handoff("t3", &handoff(2060), 2000)
            .await
            .unwrap();
        assert_eq!(store.take_handoff("t2").await.unwrap(), None);
        let t3 = store.take_handoff("t3").await.unwrap().unwrap();
        assert_eq!((t3.site, t3.from_site), (site, None::<SiteId>));
    }
}
