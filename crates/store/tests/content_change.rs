//! A content change is one transaction: when a step fails midway (here the search
//! outbox's insert, after the row and its revision were written), nothing of it
//! stays: no revision, no audit entry, no new content version, the row as it was.
//! The same holds for a category deleted with its articles moved to another.
//! Runs on SQLite, and on PostgreSQL with `EDUPORTAL_TEST_DATABASE_URL`.

use domain::{ArticleDraft, ArticleId, ArticleStatus, NewArticle, SafeHtml, SiteSettings};
use sqlx::Row;
use store::{ArticleSave, AuditNote, Store};

/// What a change of the article touches, as stored.
#[derive(Debug, PartialEq)]
struct Trace {
    articles: i64,
    title: String,
    revision: i64,
    revisions: i64,
    audit: i64,
    version: i64,
}

async fn number(store: &Store, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(store.db_read())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn trace(store: &Store, id: ArticleId) -> Trace {
    let row = sqlx::query("SELECT title, revision FROM articles WHERE id = $1")
        .bind(id.0)
        .fetch_one(store.db_read())
        .await
        .unwrap();
    Trace {
        articles: number(store, "SELECT COUNT(*) FROM articles").await,
        title: row.try_get("title").unwrap(),
        revision: row.try_get("revision").unwrap(),
        revisions: number(store, "SELECT COUNT(*) FROM article_revisions").await,
        audit: number(store, "SELECT COUNT(*) FROM audit_log").await,
        version: number(store, "SELECT content_version FROM sites").await,
    }
}

/// A fresh store with one site.
async fn one_site() -> (tempfile::TempDir, Store, domain::SiteId) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::testing::fresh_store(dir.path()).await.unwrap();
    let site = store
        .create_site(
            "so",
            true,
            &["so.test".to_owned()],
            &SiteSettings::default(),
            0,
        )
        .await
        .unwrap();
    (dir, store, site)
}

async fn outbox_out_of_order(store: &Store, broken: bool) {
    let sql = if broken {
        "ALTER TABLE search_outbox RENAME TO search_outbox_away"
    } else {
        "ALTER TABLE search_outbox_away RENAME TO search_outbox"
    };
    sqlx::query(sql).execute(store.db_write()).await.unwrap();
}

#[tokio::test]
async fn a_change_that_fails_midway_leaves_nothing_behind() {
    let (_dir, store, site) = one_site().await;
    let category = store
        .create_category(site, "tin-tuc", "Tin tức")
        .await
        .unwrap();
    let user = store
        .create_user("bientap", "Biên Tập", "-", false, 0)
        .await
        .unwrap();
    let by = AuditNote {
        user: Some(user),
        action: "tạo bài viết",
        ip: "192.0.2.1",
    };
    let body = SafeHtml::sanitize("<p>Lịch thi tuyển sinh lớp 10.</p>");
    let first = NewArticle::new(site, category, "Lịch thi", "Tóm tắt", body.clone(), 0);
    let id = store
        .create_article_with_audit(&first, by, 10)
        .await
        .unwrap();
    let detail: String = sqlx::query("SELECT detail FROM audit_log")
        .fetch_one(store.db_read())
        .await
        .unwrap()
        .try_get("detail")
        .unwrap();
    assert_eq!(detail, format!("#{id} Lịch thi"));
    let before = trace(&store, id).await;
    assert_eq!((before.revisions, before.audit), (1, 1));

    outbox_out_of_order(&store, true).await;
    let draft = ArticleDraft {
        category_id: Some(category),
        title: "Lịch thi đã sửa".to_owned(),
        body: body.clone(),
        ..ArticleDraft::default()
    };
    let save = ArticleSave {
        site,
        id,
        base_revision: before.revision,
        draft: &draft,
        status: ArticleStatus::Published,
        published_at: 0,
        updated_at: Some(20),
        reject_reason: "",
        by: user,
        note: "sửa bài viết",
        ip: "192.0.2.1",
    };
    let saved = store.save_article(&save, 20).await;
    assert!(matches!(saved, Err(store::Error::Db(_))), "{saved:?}");
    let second = NewArticle::new(site, category, "Bài khác", "", body, 0);
    let created = store.create_article_with_audit(&second, by, 20).await;
    assert!(matches!(created, Err(store::Error::Db(_))), "{created:?}");
    assert_eq!(trace(&store, id).await, before);

    // The same save goes through once the outbox is back: the failure above was the
    // outbox's, and the trace would have shown a save.
    outbox_out_of_order(&store, false).await;
    assert_eq!(
        store.save_article(&save, 30).await.unwrap(),
        before.revision + 1
    );
    let after = trace(&store, id).await;
    assert_eq!(after.title, "Lịch thi đã sửa");
    assert_eq!(after.revisions, before.revisions + 1);
    assert_eq!(after.audit, before.audit + 1);
    assert_eq!(after.version, before.version + 1);
    let kinds: Vec<_> = store
        .outbox_after(0, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| (e.doc_kind(), e.doc_id))
        .collect();
    assert_eq!(kinds, [(Some(domain::DocKind::Article), id.0); 2]);
}

/// Where a category's articles are, as stored: (articles in it, revisions naming it).
async fn held_by(store: &Store, category: domain::CategoryId) -> (i64, i64) {
    let count = |table: &str| {
        format!(
            "SELECT COUNT(*) FROM {table} WHERE category_id = {}",
            category.0
        )
    };
    (
        number(store, &count("articles")).await,
        number(store, &count("article_revisions")).await,
    )
}

#[tokio::test]
async fn a_category_deleted_with_its_articles_moves_them_all_or_nothing() {
    let (_dir, store, site) = one_site().await;
    let old = store
        .create_category(site, "tin-cu", "Tin cũ")
        .await
        .unwrap();
    let news = store
        .create_category(site, "tin-tuc", "Tin tức")
        .await
        .unwrap();
    let body = SafeHtml::sanitize("<p>Nội dung.</p>");
    let mut ids = Vec::new();
    for title in ["Bài một", "Bài hai", "Bài ba"] {
        let a = NewArticle::new(site, old, title, "", body.clone(), 0);
        ids.push(store.create_article(&a, 10).await.unwrap());
    }
    let by = AuditNote {
        user: None,
        action: "xoá chuyên mục",
        ip: "192.0.2.1",
    };
    // Without a category to take the articles, it is refused.
    let refused = store.delete_category(site, old, None, by, 20).await;
    assert!(
        matches!(refused, Err(store::Error::Conflict("category_articles"))),
        "{refused:?}"
    );
    let version = number(&store, "SELECT content_version FROM sites").await;
    let audit = number(&store, "SELECT COUNT(*) FROM audit_log").await;

    // A failure midway (the outbox, written last) leaves everything where it was.
    outbox_out_of_order(&store, true).await;
    let failed = store.delete_category(site, old, Some(news), by, 20).await;
    assert!(matches!(failed, Err(store::Error::Db(_))), "{failed:?}");
    assert_eq!(held_by(&store, old).await, (3, 3));
    assert!(
        store
            .category_by_slug(site, "tin-cu")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.category_redirect(site, "tin-cu").await.unwrap(), None);
    assert_eq!(
        number(&store, "SELECT content_version FROM sites").await,
        version
    );
    assert_eq!(
        number(&store, "SELECT COUNT(*) FROM audit_log").await,
        audit
    );

    outbox_out_of_order(&store, false).await;
    let seen = store.outbox_after(0, 100).await.unwrap().last().unwrap().id;
    let moved = store
        .delete_category(site, old, Some(news), by, 30)
        .await
        .unwrap();
    assert_eq!(moved, 3);
    assert_eq!(held_by(&store, news).await, (3, 3));
    assert!(
        store
            .category_by_slug(site, "tin-cu")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.category_redirect(site, "tin-cu").await.unwrap(),
        Some("tin-tuc".to_owned())
    );
    assert_eq!(
        number(&store, "SELECT content_version FROM sites").await,
        version + 1
    );
    assert_eq!(
        number(&store, "SELECT COUNT(*) FROM audit_log").await,
        audit + 1
    );
    // Search reads the moved articles again (their category changed).
    let mut outbox: Vec<i64> = store
        .outbox_after(seen, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| e.doc_id)
        .collect();
    outbox.sort_unstable();
    assert_eq!(outbox, ids.iter().map(|i| i.0).collect::<Vec<_>>());
}
