//! Statements put together at run time: SQL text with numbered placeholders and
//! the values that go with them, so that no caller counts `$n` by hand.
//!
//! Why not sqlx's `QueryBuilder<Any>`: its placeholders come from
//! `Arguments::format_placeholder`, which `AnyArguments` does not override (sqlx 0.8),
//! so it writes `?` whichever database is behind the pool. SQLite takes `?`;
//! PostgreSQL refuses it (`SELECT ? AS n` through an Any pool on PostgreSQL: error
//! 42601, syntax error at or near "AS"). Every query of the store is written with
//! `$n`, which both accept. Its arguments are also handed over once by `build()`
//! (`AnyArguments` is not `Clone`), while a filter here is often shared by a count
//! and a page query. [`Sql`] keeps plain values, so it can be cloned, extended and
//! checked in tests without a database.

use sqlx::Any;
use sqlx::any::AnyArguments;
use std::borrow::Cow;

/// A value bound to a [`Sql`] statement. The store's columns are integers and text
/// only (see `docs/architecture.md`), so these two, each possibly NULL, are enough.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// An integer (BIGINT on PostgreSQL, INTEGER on SQLite).
    Int(Option<i64>),
    /// Text; borrowed where the caller's data lives long enough (the exam import binds
    /// a thousand values per statement).
    Text(Option<Cow<'a, str>>),
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value<'_> {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Text(Some(Cow::Borrowed(v)))
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Value::Text(v.map(Cow::Borrowed))
    }
}

impl From<String> for Value<'_> {
    fn from(v: String) -> Self {
        Value::Text(Some(Cow::Owned(v)))
    }
}

/// SQL text and its values, placeholders numbered in the order values are bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sql<'a> {
    text: String,
    values: Vec<Value<'a>>,
}

impl<'a> Sql<'a> {
    /// A statement starting with `text` (fixed SQL, never outside input).
    pub(crate) fn new(text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    /// Appends fixed SQL (never outside input: values go through [`Sql::bind`]).
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends the next placeholder (`$1`, `$2`, …) and remembers its value.
    pub(crate) fn bind(&mut self, value: impl Into<Value<'a>>) -> &mut Self {
        self.values.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.values.len().to_string());
        self
    }

    /// Appends ` WHERE a AND b …` for the conditions, nothing when there are none.
    pub(crate) fn push_where(&mut self, conditions: &Conditions<'a>) -> &mut Self {
        for (i, (before, value, after)) in conditions.0.iter().enumerate() {
            self.push(if i == 0 { " WHERE " } else { " AND " });
            self.push(before);
            self.bind(value.clone());
            self.push(after);
        }
        self
    }

    /// The text as it will be sent.
    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The values, in placeholder order.
    #[cfg(test)]
    pub(crate) fn values(&self) -> &[Value<'a>] {
        &self.values
    }

    /// The statement, ready to run.
    pub(crate) fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for v in &self.values {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Text(t) => q.bind(t.as_deref()),
            };
        }
        q
    }
}

/// Conditions joined by AND, each fixed SQL around one value (`"a.status = "` and
/// the status), numbered only when pushed into a [`Sql`]: one filter serves several
/// statements.
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditions<'a>(Vec<(&'static str, Value<'a>, &'static str)>);

impl<'a> Conditions<'a> {
    /// Adds `before` followed by the placeholder of `value`.
    pub(crate) fn add(&mut self, before: &'static str, value: impl Into<Value<'a>>) -> &mut Self {
        self.add_around(before, value, "")
    }

    /// Adds `before`, the placeholder of `value`, then `after`.
    pub(crate) fn add_around(
        &mut self,
        before: &'static str,
        value: impl Into<Value<'a>>,
        after: &'static str,
    ) -> &mut Self {
        self.0.push((before, value.into(), after));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    #[test]
    fn placeholders_follow_the_values() {
        let mut sql = Sql::new("SELECT id FROM t WHERE a = ");
        sql.bind(7)
            .push(" AND b = ")
            .bind("x")
            .push(" LIMIT ")
            .bind(10);
        assert_eq!(
            sql.text(),
            "SELECT id FROM t WHERE a = $1 AND b = $2 LIMIT $3"
        );
        assert_eq!(
            sql.values(),
            [Value::from(7), Value::from("x"), Value::from(10)]
        );
    }

    #[test]
    fn conditions_are_numbered_after_what_came_before() {
        let mut filter = Conditions::default();
        filter
            .add("l.user_id = ", 3)
            .add("l.action = ", "đăng bài viết".to_owned())
            .add_around("l.title LIKE ", "%x%", " ESCAPE '\\'")
            .add("l.at >= ", Some(100));
        let mut sql = Sql::new("SELECT ");
        sql.bind(2)
            .push(" AS x FROM audit_log l")
            .push_where(&filter)
            .push(" LIMIT ")
            .bind(5);
        assert_eq!(
            sql.text(),
            "SELECT $1 AS x FROM audit_log l WHERE l.user_id = $2 \
             AND l.action = $3 AND l.title LIKE $4 ESCAPE '\\' AND l.at >= $5 LIMIT $6"
        );
        assert_eq!(
            sql.values(),
            [
                Value::from(2),
                Value::from(3),
                Value::from("đăng bài viết"),
                Value::from("%x%"),
                Value::from(100),
                Value::from(5)
            ]
        );
        // The same filter starts a statement of its own at $1.
        let mut count = Sql::new("SELECT COUNT(*) FROM audit_log l");
        count.push_where(&filter);
        assert_eq!(
            count.text(),
            "SELECT COUNT(*) FROM audit_log l WHERE l.user_id = $1 AND l.action = $2 \
             AND l.title LIKE $3 ESCAPE '\\' AND l.at >= $4"
        );
        assert_eq!(count.values().len(), 4);
    }

    #[test]
    fn no_conditions_add_nothing() {
        let mut sql = Sql::new("SELECT 1 FROM t");
        sql.push_where(&Conditions::default());
        assert_eq!(sql.text(), "SELECT 1 FROM t");
        assert!(sql.values().is_empty());
    }

    #[test]
    fn a_clone_goes_on_numbering_from_the_original() {
        let mut base = Sql::new("SELECT 1 FROM t WHERE a = ");
        base.bind(1);
        let mut page = base.clone();
        page.push(" LIMIT ").bind(20).push(" OFFSET ").bind(40);
        assert_eq!(base.text(), "SELECT 1 FROM t WHERE a = $1");
        assert_eq!(
            page.text(),
            "SELECT 1 FROM t WHERE a = $1 LIMIT $2 OFFSET $3"
        );
    }

    /// The one text runs on SQLite, and on PostgreSQL when the suite is pointed
    /// at it (`EDUPORTAL_TEST_DATABASE_URL`), with the values where they belong.
    #[tokio::test]
    async fn the_same_statement_runs_on_the_backend_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::testing::fresh_store(dir.path()).await.unwrap();
        let none: Option<&str> = None;
        let mut sql = Sql::new("SELECT ");
        sql.bind(40)
            .push(" + ")
            .bind(2)
            .push(" AS n, ")
            .bind("Hà Nội")
            .push(" AS t, COALESCE(")
            .bind(none)
            .push(", 'rỗng') AS e, ")
            .bind(None::<i64>)
            .push(" IS NULL AS z");
        let row = sql.query().fetch_one(store.db_read()).await.unwrap();
        assert_eq!(row.try_get::<i64, _>("n").unwrap(), 42);
        assert_eq!(row.try_get::<String, _>("t").unwrap(), "Hà Nội");
        assert_eq!(row.try_get::<String, _>("e").unwrap(), "rỗng");
        // `IS NULL` is a boolean on PostgreSQL and 0/1 on SQLite.
        let z = row
            .try_get::<bool, _>("z")
            .or_else(|_| row.try_get::<i64, _>("z").map(|v| v != 0))
            .unwrap();
        assert!(z);
    }
}
