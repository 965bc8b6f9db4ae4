//! What backups and restores need from the database: the schema level, a
//! consistent copy of a live SQLite database, and a check of such a copy.

use crate::{Backend, Error, Result, Store};
use sqlx::Row;
use std::path::{Path, PathBuf};

/// The newest migration this program knows for `backend`: a database at a
/// higher level was written by a newer program.
pub fn latest_schema_version(backend: Backend) -> i64 {
    crate::migrator(backend)
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// The file of a `sqlite:` database URL (None for other databases).
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    crate::sqlite_path(url).map(PathBuf::from)
}

/// What [`check_sqlite_file`] found in a copy of a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteFileCheck {
    /// The latest migration applied in it (0 when none).
    pub schema_version: i64,
    /// What `PRAGMA integrity_check` reported; empty when the file is sound.
    pub problems: Vec<String>,
}

/// The latest successful migration, as recorded by sqlx.
const APPLIED_VERSION: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";

/// Opens a SQLite file that no server uses (a copy made by
/// [`Store::snapshot_sqlite`], or a database whose server was stopped or killed),
/// checks every page and reads its schema level. Never creates the file; reading
/// changes nothing in a copy, which has no WAL.
pub async fn check_sqlite_file(path: &Path) -> Result<SqliteFileCheck> {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await?;
    let mut problems = Vec::new();
    for row in sqlx::raw_sql("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?
    {
        let line: String = row.try_get(0)?;
        if line != "ok" {
            problems.push(line);
        }
    }
    let version: Option<i64> = sqlx::raw_sql(APPLIED_VERSION)
        .fetch_one(&mut conn)
        .await?
        .try_get(0)?;
    conn.close().await?;
    Ok(SqliteFileCheck {
        schema_version: version.unwrap_or(0),
        problems,
    })
}

impl Store {
    /// The latest migration applied to this database.
    pub async fn schema_version(&self) -> Result<i64> {
        let version: Option<i64> = sqlx::raw_sql(APPLIED_VERSION)
            .fetch_one(self.db_read())
            .await?
            .try_get(0)?;
        Ok(version.unwrap_or(0))
    }

    /// Writes a consistent copy of the live SQLite database to `target` (which must
    /// not exist) with `VACUUM INTO`: one read transaction, so the server goes on
    /// writing meanwhile, and the copy is compact and has no WAL. SQLite does not
    /// sync the copy; the caller does before trusting it.
    pub async fn snapshot_sqlite(&self, target: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(Error::Corrupt(
                "VACUUM INTO is for SQLite databases only".into(),
            ));
        }
        let target = target.to_str().ok_or_else(|| {
            Error::Io(std::io::Error::other(format!(
                "not a UTF-8 path: {}",
                target.display()
            )))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(self.db_write())
            .await?;
        Ok(())
    }

    /// Moves everything in a SQLite database's WAL into the database file and
    /// empties the WAL, so that the file alone holds the whole database. Fails
    /// (busy) while another connection reads or writes.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let row = sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(self.db_write())
                .await?;
            let busy: i64 = row.try_get(0)?;
            if busy != 0 {
                return Err(Error::Corrupt(
                    "the WAL checkpoint was blocked by another connection".into(),
                ));
            }
        }
        Ok(())
    }
}
