//! Announcements and drafts for comment in the store (issue 14): the round that
//! watches the clock moves each notice once, however many instances run it, and
//! bumps the versions of the sites concerned; a comment is taken only inside its
//! draft's period, by the INSERT itself. SQLite, and PostgreSQL with
//! `EDUPORTAL_TEST_DATABASE_URL`.

use domain::{Audience, DraftInput, NewComment, NoticeDraft, SafeHtml, SiteSettings};
use store::{AuditNote, CommentRefused, Store};

const NOTE: AuditNote<'static> = AuditNote {
    user: None,
    action: "thử",
    ip: "",
};

async fn versions(store: &Store) -> Vec<i64> {
    let mut v: Vec<(domain::SiteId, i64)> = store.content_versions().await.unwrap();
    v.sort_by_key(|(s, _)| s.0);
    v.into_iter().map(|(_, n)| n).collect()
}

#[tokio::test]
async fn the_clock_moves_each_notice_once_and_bumps_the_sites_concerned() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::testing::fresh_store(dir.path()).await.unwrap();
    let settings = SiteSettings::default();
    let so = store
        .create_site("so", true, &["so.test".into()], &settings, 0)
        .await
        .unwrap();
    store
        .create_site("thpt", false, &["thpt.test".into()], &settings, 0)
        .await
        .unwrap();
    let t = 1_800_000_000;
    let notice = |title: &str, audience, expires_at| NoticeDraft {
        title: title.into(),
        body: SafeHtml::sanitize("<p>Nội dung</p>"),
        starts_at: t - 100,
        expires_at: Some(expires_at),
        pinned: false,
        published: true,
        audience,
    };
    store
        .create_notice(so, &notice("Riêng", Audience::Site, t + 10), &[], NOTE, t)
        .await
        .unwrap();
    store
        .create_notice(
            so,
            &notice("Các trường", Audience::AllSchools, t + 20),
            &[],
            NOTE,
            t,
        )
        .await
        .unwrap();
    // Nothing to do while both show.
    let before = versions(&store).await;
    assert_eq!(store.notice_clock(t + 5).await.unwrap(), 0);
    assert_eq!(versions(&store).await, before);
    // The site's own expires: only its site moves.
    assert_eq!(store.notice_clock(t + 15).await.unwrap(), 1);
    let after = versions(&store).await;
    assert_eq!(after[0], before[0] + 1);
    assert_eq!(after[1], before[1]);
    // A second instance running the same round finds nothing left.
    assert_eq!(store.notice_clock(t + 15).await.unwrap(), 0);
    // The one to the schools expires: every site moves.
    assert_eq!(store.notice_clock(t + 25).await.unwrap(), 1);
    let last = versions(&store).await;
    assert!(
        last[0] > after[0] && last[1] > after[1],
        "{after:?} → {last:?}"
    );
    assert_eq!(store.unexpired_notices(t + 25).await.unwrap().len(), 0);
    assert_eq!(store.notices_of_site(so).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_comment_is_taken_only_inside_the_period() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::testing::fresh_store(dir.path()).await.unwrap();
    let so = store
        .create_site("so", true, &["so.test".into()], &SiteSettings::default(), 0)
        .await
        .unwrap();
    let t = 1_800_000_000;
    let draft = DraftInput {
        title: "Dự thảo quy định".into(),
        number: String::new(),
        summary: String::new(),
        body: SafeHtml::sanitize("<p>Điều 1. Phạm vi</p>"),
        opens_at: t,
        closes_at: t + 100,
        status: domain::ArticleStatus::Published,
        publish_at: t,
        reject_reason: String::new(),
    };
    let id = store.create_draft(so, &draft, &[], NOTE, t).await.unwrap();
    let c = NewComment {
        name: "Người góp ý".into(),
        email: "a@example.vn".into(),
        organisation: String::new(),
        body: "Ý kiến".into(),
        article: Some(1),
    };
    assert_eq!(
        store.add_comment(id, &c, "", t - 1).await.unwrap(),
        Err(CommentRefused::NotOpen)
    );
    assert!(store.add_comment(id, &c, "", t).await.unwrap().is_ok());
    assert!(store.add_comment(id, &c, "", t + 99).await.unwrap().is_ok());
    assert_eq!(
        store.add_comment(id, &c, "", t + 100).await.unwrap(),
        Err(CommentRefused::NotOpen)
    );
    let all = store.draft_comments(id).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .all(|c| c.status == domain::CommentStatus::Pending)
    );
    assert!(store.published_comments(id).await.unwrap().is_empty());
}
