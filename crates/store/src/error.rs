//! The store's error type.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database answered with an error or could not be reached.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A unique key is already taken; the name says which.
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// Someone else saved the row since the caller read it; nothing was written.
    #[error("changed by someone else since it was read")]
    Stale,
    /// A referenced row does not exist.
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// A stored value could not be read back.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The database URL names neither SQLite nor PostgreSQL.
    #[error("the database URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    /// The SQLite folder could not be made.
    #[error("i/o error: {0}")]
    Io(std::io::Error),
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns a unique-constraint violation into [`Error::Conflict`], so that callers can
/// show a form error rather than a 500.
pub(crate) fn on_unique(what: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(what),
        _ => Error::Db(e),
    }
}
