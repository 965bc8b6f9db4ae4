//! "Tìm kiếm" on the site: typed with or without tone marks, highlighted, filtered,
//! across sites; the index follows every change through the outbox, on this
//! instance at once and on another instance from the same outbox.

mod common;

use axum::http::StatusCode;
use common::{TestApp, add_user, session, site_and_category};
use domain::Role;

const SO: &str = "localhost";

/// The titles of the results, in order, as text (highlights removed).
fn result_titles(body: &str) -> Vec<String> {
    body.split("<h2 class=\"search-title\"><a href=\"")
        .skip(1)
        .map(|s| {
            let inner = s.split_once("\">").unwrap().1.split("</a>").next().unwrap();
            inner.replace("<mark>", "").replace("</mark>", "")
        })
        .collect()
}

#[tokio::test]
async fn toneless_queries_find_and_highlight_the_words_as_written() {
    let app = TestApp::demo().await;
    let res = app.get(SO, "/tim-kiem?q=tuyen+sinh+lop+10").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["cache-control"], "private, max-age=0");
    let titles = result_titles(&res.body);
    // What must hold whatever else the demo holds (articles, documents, answered
    // questions): a title with the whole phrase comes first, and the article is found.
    assert!(titles[0].contains("Tuyển sinh lớp 10"), "{titles:?}");
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Tuyển sinh lớp 10 năm học 2026–2027")),
        "{titles:?}"
    );
    res.assert_contains("<mark>Tuyển</mark> <mark>sinh</mark> <mark>lớp</mark> <mark>10</mark>");
    res.assert_contains("Tìm thấy <strong>");
    // The header's box keeps the query.
    res.assert_contains(
        "id=\"tim-kiem-nhanh\" name=\"q\" type=\"search\" value=\"tuyen sinh lop 10\"",
    );
    // Telex typed with the input method off is read as the words it spells.
    let telex = app.get(SO, "/tim-kiem?q=tuyeenr+sinh").await;
    telex.assert_contains("cho “tuyển sinh”");
    assert!(
        result_titles(&telex.body)[0]
            .to_lowercase()
            .contains("tuyển sinh"),
        "{}",
        telex.body
    );
    // Another query is another answer: nothing comes from the page cache.
    let other = app.get(SO, "/tim-kiem?q=duoi+nuoc").await;
    assert!(
        result_titles(&other.body)[0].contains("đuối nước"),
        "{}",
        other.body
    );
}

#[tokio::test]
async fn hostile_or_empty_queries_get_a_polite_page() {
    let app = TestApp::demo().await;
    let long = "a".repeat(5000);
    for q in [
        "",
        "%22%22%22",
        "AND+OR+NOT+*+%3F+~+%5E2+title%3A",
        "%00%01%1F%7F",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        long.as_str(),
    ] {
        let res = app.get(SO, &format!("/tim-kiem?q={q}&trang=999999")).await;
        assert_eq!(res.status, StatusCode::OK, "{q}: {}", res.body);
        res.assert_lacks("<script>alert(1)");
    }
    let empty = app.get(SO, "/tim-kiem").await;
    empty.assert_contains("Nhập từ khoá để tìm");
    let bad_date = app.get(SO, "/tim-kiem?q=hoc+sinh&tu-ngay=99/99/2026").await;
    bad_date.assert_contains("Ngày “99/99/2026” không đọc được");
}

#[tokio::test]
async fn filters_by_category_and_dates_and_across_sites() {
    let app = TestApp::demo().await;
    let (_, cat) = site_and_category(&app, "so", "van-phong").await;
    let res = app
        .get(
            SO,
            &format!("/tim-kiem?q=tiep+cong+dan&chuyen-muc={}", cat.0),
        )
        .await;
    let titles = result_titles(&res.body);
    assert!(!titles.is_empty());
    assert!(titles[0].contains("tiếp công dân"), "{titles:?}");
    // Every result is of the chosen category.
    let categories: Vec<&str> = res
        .body
        .split("<p class=\"meta\"><span>")
        .skip(1)
        .map(|s| {
            s.split("</span> · <span>")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(categories.len(), titles.len());
    assert!(
        categories.iter().all(|c| *c == "Văn phòng"),
        "{categories:?}"
    );
    let may = app
        .get(
            SO,
            "/tim-kiem?q=thong+bao&tu-ngay=01/05/2026&den-ngay=31/05/2026&sap-xep=moi-nhat",
        )
        .await;
    assert!(
        !may.body.contains("/11/2026</span>"),
        "only May: {}",
        may.body
    );
    // The same dates typed as eight digits, as a phone's number pad lets one type them.
    let may_digits = app
        .get(
            SO,
            "/tim-kiem?q=thong+bao&tu-ngay=01052026&den-ngay=31052026&sap-xep=moi-nhat",
        )
        .await;
    may_digits.assert_lacks("form-error");
    assert!(!result_titles(&may.body).is_empty(), "nothing in May");
    assert_eq!(result_titles(&may_digits.body), result_titles(&may.body));
    // The school's news from the department's site, linked on the school's host.
    let all = app.get(SO, "/tim-kiem?q=le+quy+don&pham-vi=tat-ca").await;
    all.assert_contains("href=\"http://lqd.localhost/tin-tuc/");
    all.assert_contains("<span>Trường THPT Chuyên Lê Quý Đôn</span>");
    let only_here = app.get(SO, "/tim-kiem?q=le+quy+don").await;
    only_here.assert_lacks("href=\"http://lqd.localhost/tin-tuc/");
}

#[tokio::test]
async fn titles_are_suggested_while_typing() {
    let app = TestApp::demo().await;
    let res = app.get(SO, "/tim-kiem/goi-y.json?q=tuyen+si").await;
    assert_eq!(res.status, StatusCode::OK);
    let list: Vec<serde_json::Value> = serde_json::from_str(&res.body).unwrap();
    assert!(
        list.iter().any(|s| s["title"]
            .as_str()
            .unwrap()
            .starts_with("Tuyển sinh lớp 10")),
        "{list:?}"
    );
    assert!(list[0]["url"].as_str().unwrap().starts_with("/tin-tuc/"));
}

async fn titles_for(app: &TestApp, q: &str) -> Vec<String> {
    result_titles(&app.get(SO, &format!("/tim-kiem?q={q}")).await.body)
}

#[tokio::test]
async fn the_index_follows_publishing_editing_and_unpublishing() {
    let app = TestApp::demo().await;
    // A second instance on the same database, with its own index.
    let (second, second_state) = app.another_instance().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cookie = session(&app, SO, "bt.so").await;
    let (_, cat) = site_and_category(&app, "so", "tin-giao-duc").await;
    let form = app
        .get_with(SO, "/quan-tri/bai-viet/moi", &[("cookie", &cookie)])
        .await;
    let created = app
        .post_form(
            SO,
            "/quan-tri/bai-viet/moi",
            &[
                ("csrf", &form.field("csrf")),
                ("action", "dang"),
                ("title", "Hội khoẻ Phù Đổng huyện Ngọc Lặc"),
                ("category", &cat.0.to_string()),
                ("body", "<p>Vận động viên nhí tranh tài sôi nổi.</p>"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    // This instance finds it at once, with the old tone placement typed too.
    assert_eq!(
        titles_for(&app, "hoi+khoe+phu+dong").await[0],
        "Hội khoẻ Phù Đổng huyện Ngọc Lặc"
    );
    assert_eq!(
        titles_for(&app, "H%E1%BB%99i+kh%E1%BB%8Fe").await[0],
        "Hội khoẻ Phù Đổng huyện Ngọc Lặc",
        "khỏe (new placement) finds khoẻ"
    );
    // The other instance, once its indexer has run (every second in the server).
    let before = common::request(&second, SO, "/tim-kiem?q=ngoc+lac", &[]).await;
    assert!(!before.body.contains("Ngọc Lặc</a>"), "not yet");
    second_state.content_changed().await.unwrap();
    let after = common::request(&second, SO, "/tim-kiem?q=ngoc+lac", &[]).await;
    assert!(
        result_titles(&after.body).contains(&"Hội khoẻ Phù Đổng huyện Ngọc Lặc".to_owned()),
        "{}",
        after.body
    );

    // An edit is searchable by its new words; taking it down removes it.
    let edit = created.location().split('?').next().unwrap().to_owned();
    let page = app.get_with(SO, &edit, &[("cookie", &cookie)]).await;
    let revision = page.field("revision");
    let saved = app
        .post_form(
            SO,
            &edit,
            &[
                ("csrf", &page.field("csrf")),
                ("revision", &revision),
                ("action", "go-bai"),
                ("title", "Hội khoẻ Phù Đổng huyện Ngọc Lặc"),
                ("category", &cat.0.to_string()),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        titles_for(&app, "ngoc+lac")
            .await
            .iter()
            .all(|t| !t.contains("Ngọc Lặc"))
    );
    second_state.content_changed().await.unwrap();
    let gone = common::request(&second, SO, "/tim-kiem?q=ngoc+lac", &[]).await;
    assert!(!gone.body.contains("Ngọc Lặc</a>"));
}
