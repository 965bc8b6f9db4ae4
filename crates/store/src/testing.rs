//! Helpers for the test suites of the crates above: each test gets its own
//! database. Not used by the application itself.

use crate::{Result, Store, StoreOptions};
use sqlx::Executor;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The environment variable that points the suites at PostgreSQL.
pub const TEST_DATABASE_ENV: &str = "EDUPORTAL_TEST_DATABASE_URL";

/// A fresh, migrated store: on PostgreSQL (a new schema in the database named by
/// `EDUPORTAL_TEST_DATABASE_URL`) when that is set, else a new SQLite file in `dir`.
pub async fn fresh_store(dir: &std::path::Path) -> Result<Store> {
    let store = fresh_unmigrated(dir).await?;
    store.migrate().await?;
    Ok(store)
}

async fn fresh_unmigrated(dir: &std::path::Path) -> Result<Store> {
    let url = match fresh_postgres_url().await? {
        Some(url) => url,
        None => format!("sqlite://{}", dir.join("test.db").display()),
    };
    Store::connect(&StoreOptions {
        url,
        max_connections: 4,
    })
    .await
}

/// A fresh store migrated only up to (not including) migration `version`, for
/// tests of what a migration does to data written before it; `Store::migrate`
/// then runs the rest.
pub async fn fresh_store_before(dir: &std::path::Path, version: i64) -> Result<Store> {
    let store = fresh_unmigrated(dir).await?;
    let mut migrator = crate::migrator(store.backend());
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version < version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    migrator.run(store.db_write()).await?;
    Ok(store)
}

/// The URL of a new, empty schema in the PostgreSQL database named by
/// `EDUPORTAL_TEST_DATABASE_URL`, for tests that hand a URL to the program
/// itself; None when that variable is not set.
pub async fn fresh_postgres_url() -> Result<Option<String>> {
    match std::env::var(TEST_DATABASE_ENV) {
        Ok(base) if !base.is_empty() => fresh_postgres_schema(&base).await.map(Some),
        _ => Ok(None),
    }
}

async fn fresh_postgres_schema(base: &str) -> Result<String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    );
    let admin = Store::connect(&StoreOptions {
        url: base.to_owned(),
        max_connections: 1,
    })
    .await?;
    // The name is made of digits and underscores above, never of outside input.
    admin
        .db_write()
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await?;
    admin.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    Ok(format!("{base}{sep}options=-c%20search_path%3D{schema}"))
}

/// Moves an article's publish time, as if the clock had moved on: tests of the
/// scheduler cannot wait for real time to pass.
pub async fn set_publish_time(store: &Store, article: domain::ArticleId, at: i64) -> Result<()> {
    sqlx::query("UPDATE articles SET published_at = $1 WHERE id = $2")
        .bind(at)
        .bind(article.0)
        .execute(store.db_write())
        .await?;
    Ok(())
}

/// Disables (or enables again) an account, as an administrator would: tests of
/// what a disabled account may no longer do.
pub async fn set_user_active(store: &Store, user: domain::UserId, active: bool) -> Result<()> {
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(user.0)
        .execute(store.db_write())
        .await?;
    Ok(())
}
