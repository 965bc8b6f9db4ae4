//! Migration 0018: the "Liên kết website" entries that sites kept in their
//! settings move into `site_links`, in their order, and leave the settings.
//! Runs on SQLite, and on PostgreSQL with `EDUPORTAL_TEST_DATABASE_URL`.

use domain::SiteSettings;
use sqlx::Row;
use store::testing::fresh_store_before;

#[tokio::test]
async fn the_links_kept_in_settings_move_into_their_own_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_store_before(dir.path(), 18).await.unwrap();
    let settings = SiteSettings {
        name: "Trường THCS Nguyễn Du".into(),
        ..SiteSettings::default()
    };
    let with = store
        .create_site("nd", true, &["nd.localhost".into()], &settings, 1)
        .await
        .unwrap();
    let without = store
        .create_site("lqd", false, &["lqd.localhost".into()], &settings, 1)
        .await
        .unwrap();
    // As sites saved their settings before issue 15.
    sqlx::query("UPDATE sites SET settings = $1 WHERE id = $2")
        .bind(
            r#"{"name":"Trường THCS Nguyễn Du","links":[
                {"title":"Sở Giáo dục và Đào tạo","url":"https://so.binhan.edu.vn"},
                {"title":"Bộ Giáo dục và Đào tạo","url":"https://moet.gov.vn"},
                {"title":"Thông báo","url":"/tin-tuc/thong-bao"}]}"#,
        )
        .bind(with.0)
        .execute(store.db_write())
        .await
        .unwrap();

    store.migrate().await.unwrap();

    let links = store.site_links(with).await.unwrap();
    let seen: Vec<(&str, &str, i64, bool)> = links
        .iter()
        .map(|l| (l.title.as_str(), l.url.as_str(), l.position, l.shared))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "Sở Giáo dục và Đào tạo",
                "https://so.binhan.edu.vn",
                0,
                false
            ),
            ("Bộ Giáo dục và Đào tạo", "https://moet.gov.vn", 1, false),
            ("Thông báo", "/tin-tuc/thong-bao", 2, false),
        ]
    );
    assert!(links.iter().all(|l| l.logo.is_none() && l.shown_at(1)));
    assert!(store.site_links(without).await.unwrap().is_empty());
    // The settings keep the rest, without the links.
    let stored: String = sqlx::query("SELECT settings FROM sites WHERE id = $1")
        .bind(with.0)
        .fetch_one(store.db_read())
        .await
        .unwrap()
        .try_get("settings")
        .unwrap();
    assert!(!stored.contains("links"), "{stored}");
    assert_eq!(
        store.site(with).await.unwrap().unwrap().settings.name,
        "Trường THCS Nguyễn Du"
    );
}
