//! eduportal's storage. One query layer (sqlx's `Any` driver, `$n` placeholders)
//! serves both the embedded SQLite default and PostgreSQL; each backend has its
//! own forward-only migrations folder. Queries return `domain` types.

// The shared core, which names no feature: this file (Store, pools, migrations),
// the error type, statements built at run time and the records of a content change.
mod change;
mod error;
mod query;

// One module per feature.
mod accounts;
mod articles;
mod audit;
mod backup;
mod categories;
mod document_import;
mod documents;
mod drafts;
mod emulation;
mod exam_import;
mod exams;
mod gallery;
mod handoffs;
mod layouts;
mod links;
mod mail;
mod media;
mod notices;
mod pages;
mod questions;
mod search_feed;
mod settings;
mod sites;
mod stats;
#[doc(hidden)]
pub mod testing;
mod two_step;
mod units;
mod weather;

pub use accounts::SessionInfo;
pub use articles::ArticleListing;
pub use articles::copies::Republish;
pub use articles::editorial::{ArticleFilter, ArticleSave, EDITING_SECONDS, LastSave};
pub use articles::search::SearchArticle;
pub use audit::{AuditFilter, COMMAND_LINE};
pub use backup::{SqliteFileCheck, check_sqlite_file, latest_schema_version, sqlite_file};
pub use categories::CategoryEdit;
pub use change::AuditNote;
pub use document_import::{DocumentImport, ImportedDocument, ImportedFile, TermIndex};
pub use documents::{
    DocumentDownload, DocumentFileInput, DocumentFilter, DocumentRow, DocumentSiteOptions,
    DocumentSort, DocumentWrite,
};
pub use drafts::{CommentRefused, DraftRevision, Moderation};
pub use emulation::{
    Award, AwardFilter, CATALOGUE_KINDS, CatalogueItem, Decision, DecisionDraft, DvkDraft,
    DvkFilter, DvkModel, EmulationFile, Entry, EntryDraft, Movement, MovementDraft, Proposal,
    ProposalFilter, ProposalStep, SearchDecision,
};
pub use error::{Error, Result};
pub use exam_import::{
    PREVIEW_ROWS, PreparedImport, prepare_import, removed_candidates, shrinks_too_much,
};
pub use exams::{
    EXAM_KINDS, ExamHistoryRow, ExamImport, ExamImportRow, ExamSession, ImportOutcome,
    NewExamSession, exam_kind_label, lookup_rule_key, parse_lookup_rule,
};
pub use gallery::{
    Album, AlbumDraft, AlbumPhoto, AlbumRevision, AlbumSave, PhotoChange, Video, VideoDraft,
    VideoSource,
};
pub use handoffs::Handoff;
pub use layouts::Arranged;
pub use links::{LinkActor, LinkDraft, SiteLink};
pub use mail::{MailQueueCounts, NewMail, QueuedMail, enqueue_mail_in, retry_delay};
pub use media::MediaInput;
pub use notices::{AttachedFile, NoticeRevision};
pub use pages::{PageLink, PageSave};
pub use questions::{
    HistoryEntry, PublicQuestion, Question, QuestionAct, QuestionFile, QuestionRow, QuestionTiming,
    RatingComment, RatingMonth, SPAM_KEEP_SECONDS,
};
pub use search_feed::OutboxEntry;
pub use settings::SettingsSave;
pub use stats::{CountDeltas, DailyDelta, DailyRow, SiteTotals};
pub use two_step::TotpState;
pub use units::{FirstAdmin, NewUnit, UnitDraft, UnitFilter, UnitRow, UnitSite};
pub use weather::{PlaceDraft, WeatherPlace};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite, in WAL mode.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Pool size.
    pub max_connections: u32,
}

/// The database handle that every layer above shares. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// How many rows of each index SQLite's `ANALYZE` reads at most (see
/// [`Store::refresh_statistics`]): about 0,1 s for 50.000 documents.
pub const ANALYSIS_ROWS: u32 = 100_000;

impl Store {
    /// Connects, creating the SQLite file (and its folder) when it does not exist yet.
    pub async fn connect(opts: &StoreOptions) -> Result<Store> {
        install_default_drivers();
        let (backend, url) = if let Some(path) = sqlite_path(&opts.url) {
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(Error::Io)?;
            }
            let sep = if opts.url.contains('?') { '&' } else { '?' };
            let url = if opts.url.contains("mode=") {
                opts.url.clone()
            } else {
                format!("{}{sep}mode=rwc", opts.url)
            };
            (Backend::Sqlite, url)
        } else if opts.url.starts_with("postgres://") || opts.url.starts_with("postgresql://") {
            (Backend::Postgres, opts.url.clone())
        } else {
            return Err(Error::UnsupportedUrl);
        };
        let mut pool = AnyPoolOptions::new()
            .max_connections(opts.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Sqlite {
            pool = pool.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers go on while one writer writes; the busy timeout
                    // makes a second writer wait instead of failing.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = pool.connect(&url).await?;
        Ok(Store { pool, backend })
    }

    /// Brings the schema up to date. Forward-only; safe to run on every start.
    pub async fn migrate(&self) -> Result<()> {
        migrator(self.backend).run(&self.pool).await?;
        self.backfill_folded_titles().await?;
        self.refresh_statistics().await
    }

    /// Lets SQLite's planner know the tables' shapes (`PRAGMA optimize`: the
    /// tables without statistics, or grown much since, are analysed): without
    /// statistics it read every published article for the scheduler's expiry
    /// check and sorted them all for each batch of a reindex, the wrong index
    /// chosen. Up to [`ANALYSIS_ROWS`] rows of each index are read: a sample of
    /// 1.000 told it that a column holding one value for 50.000 documents
    /// (`site_id` on a one-site portal) picks out 1.000, and it sorted a whole
    /// site's documents for each page of a filtered list (0,4 ms → 10 ms). A
    /// limit is kept on purpose: an unlimited pass also writes `sqlite_stat4`,
    /// and with it SQLite prepares a statement again whenever a bound value
    /// changes (the time in every public list), which halved the list's speed.
    /// PostgreSQL's autovacuum keeps its own statistics.
    pub async fn refresh_statistics(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            sqlx::raw_sql(&format!(
                "PRAGMA analysis_limit = {ANALYSIS_ROWS}; PRAGMA optimize = 0x10002;"
            ))
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads. Today the same as [`Store::db_write`]; a read replica
    /// slots in here without touching callers.
    pub fn db_read(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool for writes.
    pub fn db_write(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that writes. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes
    /// fails at once with "database is locked", without waiting, when another
    /// writer committed after its read (WAL cannot move a read snapshot forward),
    /// which two uploads or a background chore beside a form easily do. Taking
    /// the lock first lets the busy timeout make the second writer wait instead.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Closes every connection; later queries fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The embedded migrations of a backend.
pub(crate) fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("migrations/postgres"),
    }
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest))
}

/// Now, UTC seconds (for the few writes whose callers do not pass a time).
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_path("sqlite://data/e.db"), Some("data/e.db"));
        assert_eq!(sqlite_path("sqlite:data/e.db?mode=rwc"), Some("data/e.db"));
        assert_eq!(sqlite_path("postgres://x/y"), None);
    }
}
