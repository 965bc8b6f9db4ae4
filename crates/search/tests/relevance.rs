//! Relevance: queries that readers of the portal type, and what they must see first.
//!
//! The index holds the demo province's 131 articles (crates/demo/content), read from
//! the TOML files directly. A second, small index holds made-up articles that isolate
//! one rule each (exact marks first, title above body, phrase above scattered words,
//! newer first among equals), where the demo has no clean pair.

use std::collections::HashMap;
use std::sync::LazyLock;

use search::{Doc, DocKind, Query, Results, SearchIndex, Sort};
use serde::Deserialize;

#[derive(Deserialize)]
struct SitesFile {
    sites: Vec<SiteDef>,
}

#[derive(Deserialize)]
struct SiteDef {
    key: String,
    settings: SiteSettings,
    categories: Vec<CategoryDef>,
}

#[derive(Deserialize)]
struct SiteSettings {
    name: String,
}

#[derive(Deserialize)]
struct CategoryDef {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
struct ArticlesFile {
    articles: Vec<ArticleDef>,
}

#[derive(Deserialize)]
struct ArticleDef {
    category: String,
    title: String,
    summary: String,
    published: String,
    body: String,
}

const CONTENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../demo/content");

/// Site ids in the order of sites.toml: so = 1, lqd = 2, nguyendu = 3.
const SO: i64 = 1;
const LQD: i64 = 2;
const NGUYEN_DU: i64 = 3;

struct Demo {
    index: SearchIndex,
    /// (site id, category slug) → category id.
    categories: HashMap<(i64, String), i64>,
}

static DEMO: LazyLock<Demo> = LazyLock::new(|| {
    let (docs, categories) = demo_content();
    let index = SearchIndex::open_in_ram().unwrap();
    for d in &docs {
        index.upsert(d).unwrap();
    }
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 131);
    Demo { index, categories }
});

fn demo_articles() -> Vec<Doc> {
    demo_content().0
}

/// The demo's articles, and (site id, category slug) → category id.
fn demo_content() -> (Vec<Doc>, HashMap<(i64, String), i64>) {
    let read = |name: &str| std::fs::read_to_string(format!("{CONTENT}/{name}")).unwrap();
    let sites: SitesFile = toml::from_str(&read("sites.toml")).unwrap();
    let mut docs = Vec::new();
    let mut categories = HashMap::new();
    let mut article_id = 0;
    for (i, site) in sites.sites.iter().enumerate() {
        let site_id = i as i64 + 1;
        let mut names = HashMap::new();
        for c in &site.categories {
            let id = categories.len() as i64 + 1;
            categories.insert((site_id, c.slug.clone()), id);
            names.insert(c.slug.clone(), (id, c.name.clone()));
        }
        let file: ArticlesFile = toml::from_str(&read(&format!("{}.toml", site.key))).unwrap();
        for a in file.articles {
            article_id += 1;
            let (category_id, category_name) = names[&a.category].clone();
            docs.push(Doc {
                kind: DocKind::Article,
                id: article_id,
                site_id,
                site_name: site.settings.name.clone(),
                category_id,
                category_name,
                url: format!("/tin-tuc/{}/{}", a.category, vntext::slugify(&a.title)),
                title: a.title,
                summary: a.summary,
                body_text: a.body,
                published_at: vntext::parse_local_datetime(&a.published).unwrap(),
                dated: 0,
                tags: Vec::new(),
            });
        }
    }
    (docs, categories)
}

fn search(q: &Query) -> Results {
    DEMO.index.search(q).unwrap()
}

fn titles(r: &Results) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| h.title_html.replace("<mark>", "").replace("</mark>", ""))
        .collect()
}

fn top(text: &str) -> Vec<String> {
    titles(&search(&Query::new(text)))
}

/// `expected` is among the first `n` titles found for `query`.
#[track_caller]
fn assert_in_top(query: &str, n: usize, expected: &str) {
    let found = top(query);
    assert!(
        found.iter().take(n).any(|t| t == expected),
        "{query:?}: expected {expected:?} in the top {n}, got {:#?}",
        &found[..found.len().min(5)]
    );
}

#[track_caller]
fn assert_first(query: &str, expected: &str) {
    assert_in_top(query, 1, expected);
}

// --- Typed without tone marks -------------------------------------------------------

#[test]
fn toneless_queries_find_marked_words() {
    assert_first(
        "dang vien",
        "Chi bộ Trường THCS Nguyễn Du kết nạp đảng viên mới",
    );
    assert_first(
        "tuyen sinh lop 10 chi tieu",
        "Tuyển sinh lớp 10 năm học 2026–2027: gần 14.200 chỉ tiêu vào các trường THPT công lập",
    );
    assert_first(
        "olympic hoa hoc",
        "Em Lâm Bảo Trâm giành huy chương bạc Olympic Hóa học quốc tế năm 2026",
    );
    assert_first(
        "an toan giao thong",
        "Nhà trường và cha mẹ học sinh ký cam kết bảo đảm an toàn giao thông",
    );
    assert_in_top(
        "hoc bong du hoc",
        3,
        "Ba học sinh lớp 12 nhận học bổng toàn phần bậc đại học ở nước ngoài",
    );
    assert_in_top(
        "phong chay chua chay",
        1,
        "Tập huấn phòng cháy, chữa cháy và cứu nạn, cứu hộ cho cán bộ, giáo viên, nhân viên",
    );
    assert_in_top(
        "bua an ban tru",
        1,
        "Mời cha mẹ học sinh tham gia giám sát bữa ăn bán trú",
    );
    let swim = top("day boi mien phi");
    assert!(
        swim[..2]
            .iter()
            .all(|t| t.starts_with("Mở lớp dạy bơi miễn phí")),
        "{swim:#?}"
    );
}

#[test]
fn toneless_word_is_marked_where_it_is_written() {
    let r = search(&Query::new("duoc"));
    assert!(r.total > 20, "{}", r.total);
    assert!(
        r.hits
            .iter()
            .all(|h| h.snippet_html.contains("<mark>được</mark>")
                || h.title_html.contains("<mark>được</mark>")
                || h.snippet_html.contains("<mark>Được</mark>")),
        "{:#?}",
        r.hits.iter().map(|h| &h.snippet_html).collect::<Vec<_>>()
    );
    let r = search(&Query::new("hoa thuan"));
    assert!(
        r.hits[0]
            .title_html
            .contains("<mark>Hòa</mark> <mark>Thuận</mark>")
            || r.hits[0]
                .title_html
                .contains("<mark>Hoà</mark> <mark>Thuận</mark>"),
        "{}",
        r.hits[0].title_html
    );
}

// --- Typed with marks: exact matches first -------------------------------------------

#[test]
fn typed_marks_rank_exact_matches_first() {
    // "đường" and "dương" fold alike; the reader who typed the marks gets "đường".
    let r = search(&Query::new("đường"));
    assert!(
        titles(&r)[0].to_lowercase().contains("đường"),
        "{:#?}",
        titles(&r)
    );
    let r = search(&Query::new("dương"));
    assert!(titles(&r)[0].contains("dương"), "{:#?}", titles(&r));
    // Without marks both are found.
    let both = titles(&search(&Query::new("duong")));
    assert!(
        both.iter().any(|t| t.contains("Đường lên đỉnh")),
        "{both:#?}"
    );
    assert!(both.iter().any(|t| t.contains("Tuyên dương")), "{both:#?}");
    // "thí sinh" (candidates) before "thi" (exam) + "sinh".
    let r = titles(&search(&Query::new("thí sinh")));
    assert!(r[0].contains("thí sinh"), "{r:#?}");
}

// --- Old and new tone placement, NFD and NFC -----------------------------------------

#[test]
fn old_and_new_tone_placement_are_one_word() {
    let old = top("Hòa Thuận");
    let new = top("Hoà Thuận");
    assert_eq!(old, new);
    assert!(
        old.iter().take(5).any(|t| t.contains("xã Hoà Thuận")),
        "{old:#?}"
    );
    assert!(
        old.iter().take(5).any(|t| t.contains("xã Hòa Thuận")),
        "{old:#?}"
    );

    for q in ["An Thụy", "An Thuỵ", "an thuy"] {
        assert_first(
            q,
            "Mở lớp dạy bơi miễn phí cho học sinh vùng sông nước An Thuỵ",
        );
    }
    for q in ["khám sức khỏe", "khám sức khoẻ"] {
        let found = top(q);
        assert!(
            found[..2].contains(&"Khám sức khoẻ đầu năm học cho toàn bộ học sinh".to_owned())
                && found[..2].contains(
                    &"Thông báo về bảo hiểm y tế học sinh và khám sức khỏe đầu năm học 2026–2027"
                        .to_owned()
                ),
            "{q}: {found:#?}"
        );
    }
    assert_first(
        "lan tỏa văn hóa đọc",
        "Ngày hội đọc sách “Thư viện xanh” lan toả văn hoá đọc trong trường học",
    );
}

#[test]
fn decomposed_queries_are_the_same_as_composed() {
    let nfd = "Gia\u{301}o vie\u{302}n da\u{323}y gio\u{309}i";
    let nfc = "Giáo viên dạy giỏi";
    assert_ne!(nfd, nfc);
    assert_eq!(top(nfd), top(nfc));
    assert_first(
        nfd,
        "Hội thi giáo viên dạy giỏi THPT cấp tỉnh: 58 giáo viên được công nhận",
    );
}

// --- Words of several syllables, names, titles ----------------------------------------

#[test]
fn names_and_phrases_rank_as_units() {
    let r = top("thanh niên tình nguyện");
    assert!(
        r[..2].iter().all(|t| t.contains("Thanh niên tình nguyện")),
        "{r:#?}"
    );
    let r = top("thu vien xanh");
    assert!(r[..2].iter().all(|t| t.contains("Thư viện xanh")), "{r:#?}");
    let r = top("Hồ Chí Minh");
    assert!(r[..2].iter().all(|t| t.contains("Hồ Chí Minh")), "{r:#?}");
    let r = top("dân vận khéo");
    assert!(r[..3].iter().all(|t| t.contains("Dân vận khéo")), "{r:#?}");
    assert_in_top(
        "le quy don khai giang",
        1,
        "Trường THPT Chuyên Lê Quý Đôn long trọng khai giảng năm học 2026–2027",
    );
    assert_first(
        "Đường lên đỉnh Olympia",
        "Em Cao Nhật Minh, lớp 11 Chuyên Lý, giành vòng nguyệt quế cuộc thi tuần Đường lên đỉnh Olympia",
    );
}

#[test]
fn titles_weigh_more_than_bodies() {
    assert_first(
        "bích họa",
        "Mô hình “Dân vận khéo” của Đoàn trường: tuyến đường bích họa xanh ở khu phố 4",
    );
    let r = top("trung thu");
    assert!(r[..3].iter().all(|t| t.contains("Trung thu")), "{r:#?}");
    let r = top("khai giang");
    assert!(r[..3].iter().all(|t| t.contains("khai giảng")), "{r:#?}");
}

// --- Telex and VNI with the input method off --------------------------------------------

#[test]
fn telex_is_read_as_the_words_it_spells() {
    let r = search(&Query::new("ddangr vieen"));
    assert_eq!(r.interpreted.as_deref(), Some("đảng viên"));
    assert_eq!(
        titles(&r)[0],
        "Chi bộ Trường THCS Nguyễn Du kết nạp đảng viên mới"
    );
    let r = search(&Query::new("giaos ducj"));
    assert_eq!(r.interpreted.as_deref(), Some("giáo dục"));
    assert_eq!(titles(&r), top("giáo dục"));
    let r = search(&Query::new("dduwowcj khen thuowngr"));
    assert_eq!(r.interpreted.as_deref(), Some("được khen thưởng"));
    assert!(r.total > 0);
    assert_in_top(
        "hocj boongr",
        3,
        "Ba học sinh lớp 12 nhận học bổng toàn phần bậc đại học ở nước ngoài",
    );
    assert_in_top(
        "khais giangr",
        3,
        "Trường THPT Chuyên Lê Quý Đôn long trọng khai giảng năm học 2026–2027",
    );
}

#[test]
fn vni_is_read_as_the_words_it_spells() {
    let r = search(&Query::new("gia1o du5c"));
    assert_eq!(r.interpreted.as_deref(), Some("giáo dục"));
    assert_eq!(titles(&r), top("giáo dục"));
    let r = search(&Query::new("d9a3ng vie6n"));
    assert_eq!(r.interpreted.as_deref(), Some("đảng viên"));
    assert_eq!(
        titles(&r)[0],
        "Chi bộ Trường THCS Nguyễn Du kết nạp đảng viên mới"
    );
    assert_in_top(
        "ho5c bo63ng",
        3,
        "Ba học sinh lớp 12 nhận học bổng toàn phần bậc đại học ở nước ngoài",
    );
}

#[test]
fn plain_words_are_not_mistaken_for_telex() {
    for q in ["giao duc", "thpt", "lop 10", "stem"] {
        assert_eq!(search(&Query::new(q)).interpreted, None, "{q}");
    }
    assert!(search(&Query::new("stem")).total > 0);
    assert_first(
        "THPT chuyen Le Quy Don long trong",
        "Trường THPT Chuyên Lê Quý Đôn long trọng khai giảng năm học 2026–2027",
    );
}

// --- Codes of documents -------------------------------------------------------------------

#[test]
fn codes_are_found_as_typed() {
    assert_first(
        "1737/CT-BGDĐT",
        "Giáo viên bước vào đợt bồi dưỡng thường xuyên hè 2026",
    );
    assert_first(
        "1737/ct-bgddt",
        "Giáo viên bước vào đợt bồi dưỡng thường xuyên hè 2026",
    );
    assert_first(
        "Quyết định 215/QĐ-SGDĐT",
        "Thông báo lịch tiếp công dân định kỳ của Giám đốc Sở tháng 5/2026",
    );
    let r = top("29-NQ/TW");
    assert!(r.len() >= 2, "{r:#?}");
    assert!(
        r[..2].contains(&"Hội nghị triển khai nhiệm vụ chuyên môn năm học 2026–2027".to_owned()),
        "{r:#?}"
    );
    let r = search(&Query::new("Thông tư 22/2021/TT-BGDĐT"));
    assert!(r.total >= 7, "{}", r.total);
    assert!(
        r.hits[0]
            .snippet_html
            .contains("<mark>22</mark>/<mark>2021</mark>/<mark>TT</mark>-<mark>BGDĐT</mark>"),
        "{}",
        r.hits[0].snippet_html
    );
}

// --- Filters and order ----------------------------------------------------------------------

#[test]
fn filters_by_site_category_and_date() {
    let mut q = Query::new("khai giang");
    q.site = Some(LQD);
    let r = search(&q);
    assert!(r.hits.iter().all(|h| h.site_id == LQD), "{:#?}", titles(&r));
    assert!(
        titles(&r)[..2].contains(
            &"Trường THPT Chuyên Lê Quý Đôn long trọng khai giảng năm học 2026–2027".to_owned()
        ),
        "{:#?}",
        titles(&r)
    );
    assert_eq!(r.hits[0].site_name, "Trường THPT Chuyên Lê Quý Đôn");

    let mut q = Query::new("hoc sinh");
    q.site = Some(NGUYEN_DU);
    q.category = Some(DEMO.categories[&(NGUYEN_DU, "lien-doi".to_owned())]);
    q.per_page = 50;
    let r = search(&q);
    assert!(r.total > 3);
    assert!(r.hits.iter().all(|h| h.category_name == "Liên đội"));

    let mut q = Query::new("tuyen sinh");
    q.from = vntext::parse_local_datetime("2026-06-01 00:00");
    q.to = vntext::parse_local_datetime("2026-07-01 00:00");
    q.per_page = 50;
    let r = search(&q);
    assert!(r.total >= 3, "{}", r.total);
    assert!(
        r.hits
            .iter()
            .all(|h| h.published_at >= q.from.unwrap() && h.published_at < q.to.unwrap())
    );
    let all = search(&Query::new("tuyen sinh"));
    assert!(all.total > r.total);

    let mut q = Query::new("tuyen sinh");
    q.site = Some(SO);
    q.sort = Sort::Newest;
    q.per_page = 50;
    let r = search(&q);
    assert!(
        r.hits
            .windows(2)
            .all(|w| w[0].published_at >= w[1].published_at)
    );
    assert_eq!(r.hits.len(), r.total);
}

#[test]
fn pages_follow_each_other() {
    let mut q = Query::new("hoc sinh");
    q.per_page = 5;
    let first = search(&q);
    q.page = 2;
    let second = search(&q);
    assert_eq!(first.total, second.total);
    assert_eq!(second.hits.len(), 5);
    let ids: Vec<i64> = first
        .hits
        .iter()
        .chain(&second.hits)
        .map(|h| h.id)
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10);
}

// --- Hostile and odd input ------------------------------------------------------------------

#[test]
fn hostile_queries_get_an_answer_not_an_error() {
    for q in [
        "",
        "   ",
        "\"\" AND OR NOT (((",
        "title:giáo^2 ~ * ? \\ / [a TO z] {}",
        "'; DROP TABLE articles; --",
        "\u{0}\u{1b}[31m\u{7}",
        "🎓🎓🎓",
        "a",
        "-",
        "/",
        "1737/",
    ] {
        let r = search(&Query::new(q));
        assert!(r.total == r.hits.len() || r.hits.len() == 10, "{q:?}");
    }
    assert_eq!(search(&Query::new("")).total, 0);
    assert_eq!(search(&Query::new("(((\"")).total, 0);
    // Control characters separate words, they do not spoil them.
    let r = search(&Query::new("\u{0}giáo\u{1b}dục\u{7}"));
    assert_eq!(titles(&r), top("giáo dục"));
    // A very long query is cut, and still answered.
    let r = search(&Query::new("giáo dục ".repeat(2000)));
    assert!(r.total > 0);
    // Markup in the query never reaches the page unescaped.
    let r = search(&Query::new("<script>alert(1)</script> học sinh"));
    assert!(r.total > 0);
    assert!(
        r.hits
            .iter()
            .all(|h| !h.title_html.contains("<script") && !h.snippet_html.contains("<script"))
    );
    // Absurd paging is brought back to sense.
    let mut q = Query::new("hoc sinh");
    q.page = usize::MAX;
    q.per_page = usize::MAX;
    assert!(search(&q).hits.len() <= Query::MAX_PER_PAGE);
    q.page = 0;
    q.per_page = 0;
    assert_eq!(search(&q).hits.len(), 1);
}

#[test]
fn words_not_all_found_together_fall_back_to_any() {
    let r = search(&Query::new("đảng viên xyzzyq"));
    assert!(r.partial);
    assert_eq!(
        titles(&r)[0],
        "Chi bộ Trường THCS Nguyễn Du kết nạp đảng viên mới"
    );
    assert!(!search(&Query::new("đảng viên")).partial);
}

// --- Suggestions while typing ---------------------------------------------------------------

#[test]
fn suggestions_complete_the_last_word() {
    let s = DEMO.index.suggest("ket nap dang v", None, 5).unwrap();
    assert_eq!(
        s[0].title,
        "Chi bộ Trường THCS Nguyễn Du kết nạp đảng viên mới"
    );
    assert!(
        s[0].title_html.contains("<mark>viên</mark>"),
        "{}",
        s[0].title_html
    );
    let s = DEMO.index.suggest("khai gi", Some(LQD), 5).unwrap();
    assert!(!s.is_empty());
    assert!(s.iter().all(|s| s.site_id == LQD), "{s:#?}");
    assert!(
        s[..2].iter().all(|s| s.title.contains("khai giảng")),
        "{s:#?}"
    );
    let s = DEMO.index.suggest("Olympia ", None, 5).unwrap();
    assert_eq!(s.len(), 1);
    assert!(DEMO.index.suggest("", None, 5).unwrap().is_empty());
    assert!(DEMO.index.suggest("((", None, 5).unwrap().is_empty());
}

// --- Official documents among the demo's articles ----------------------------------------------

/// An official document as the indexer hands it over: its number leads the title,
/// its type is the label, the issuer, date and signer make the summary.
fn document(id: i64, number: &str, summary: &str, issued: &str, signer: &str, body: &str) -> Doc {
    Doc {
        kind: DocKind::Document,
        id,
        site_id: SO,
        site_name: "Sở Giáo dục và Đào tạo".to_owned(),
        category_id: 0,
        category_name: "Công văn".to_owned(),
        url: format!("/van-ban/{}", vntext::slugify(number)),
        title: format!("{number} — {summary}"),
        summary: format!("Bộ Giáo dục và Đào tạo ban hành ngày {issued}; người ký: {signer}"),
        body_text: format!("{body}\n{}", domain::number_digits(number)),
        published_at: vntext::parse_local_datetime("2026-09-20 08:00").unwrap(),
        dated: issued.split('/').rev().collect::<String>().parse().unwrap(),
        tags: Vec::new(),
    }
}

/// The demo's articles and three documents, one signed by a name whose folded
/// syllables are scattered through the titles of articles ("Phát động phong trào").
static WITH_DOCUMENTS: LazyLock<SearchIndex> = LazyLock::new(|| {
    let index = SearchIndex::open_in_ram().unwrap();
    for d in demo_articles() {
        index.upsert(&d).unwrap();
    }
    for d in [
        document(
            1,
            "3456/BGDĐT-GDTrH",
            "Về việc hướng dẫn thực hiện nhiệm vụ giáo dục trung học năm học 2026-2027",
            "20/08/2026",
            "Thứ trưởng Nguyễn Đông Phong",
            "Căn cứ Chỉ thị của Bộ trưởng, Bộ hướng dẫn các sở thực hiện nhiệm vụ.",
        ),
        document(
            2,
            "174/KH-SGDĐT",
            "Kế hoạch tổ chức phong trào thi đua năm học 2026-2027",
            "15/09/2026",
            "Giám đốc Nguyễn Hữu Thành",
            "Ba phong trào thi đua chính của ngành.",
        ),
        document(
            3,
            "15/2025/TT-BGDĐT",
            "Ban hành Quy định về dạy thêm, học thêm",
            "01/06/2025",
            "Thứ trưởng Phạm Ngọc Thưởng",
            "Quy định về dạy thêm, học thêm trong và ngoài nhà trường.",
        ),
    ] {
        index.upsert(&d).unwrap();
    }
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 134);
    index
});

fn with_documents(text: &str) -> Vec<String> {
    titles(&WITH_DOCUMENTS.search(&Query::new(text)).unwrap())
}

#[test]
fn a_name_typed_with_marks_beats_its_folded_syllables_scattered_in_titles() {
    for q in ["Nguyễn Đông Phong", "nguyễn đông phong"] {
        let r = with_documents(q);
        assert!(r[0].starts_with("3456/BGDĐT-GDTrH"), "{q}: {r:#?}");
    }
}

#[test]
fn documents_are_found_by_number_digits_and_summary_without_marks() {
    for q in [
        "15/2025/TT-BGDĐT",
        "15/2025/tt-bgddt",
        "152025",
        "day them hoc them",
    ] {
        let r = with_documents(q);
        assert!(r[0].starts_with("15/2025/TT-BGDĐT"), "{q}: {r:#?}");
    }
    for q in [
        "3456",
        "3456/BGDĐT-GDTrH",
        "huong dan thuc hien nhiem vu giao duc trung hoc",
    ] {
        let r = with_documents(q);
        assert!(r[0].starts_with("3456/BGDĐT-GDTrH"), "{q}: {r:#?}");
    }
    let r = with_documents("174/KH-SGDĐT");
    assert!(
        r[..2].iter().any(|t| t.starts_with("174/KH-SGDĐT")),
        "{r:#?}"
    );
}

// --- One rule at a time, on made-up articles --------------------------------------------------

fn doc(id: i64, title: &str, body: &str, day: i64) -> Doc {
    Doc {
        kind: DocKind::Article,
        id,
        site_id: 9,
        site_name: "Trường thử".to_owned(),
        category_id: 90,
        category_name: "Tin".to_owned(),
        url: format!("/tin-tuc/tin/{id}"),
        title: title.to_owned(),
        summary: String::new(),
        body_text: body.to_owned(),
        published_at: 1_780_000_000 + day * 86_400,
        dated: 0,
        tags: Vec::new(),
    }
}

static RULES: LazyLock<SearchIndex> = LazyLock::new(|| {
    let index = SearchIndex::open_in_ram().unwrap();
    for d in [
        // Exact marks: the older one has the typed marks.
        doc(
            1,
            "Sửa đường vào điểm trường",
            "Công trình hoàn thành trong tháng.",
            1,
        ),
        doc(
            2,
            "Sửa dương cầm phòng nhạc",
            "Công trình hoàn thành trong tháng.",
            2,
        ),
        // Phrase against scattered syllables.
        doc(
            3,
            "Ghi chép vùng cao",
            "Bàn về giáo dục ở vùng cao, nhiều điều cần làm cho các em nhỏ.",
            3,
        ),
        doc(
            4,
            "Ghi chép vùng cao",
            "Giáo viên vùng cao dạy chữ, các em nhỏ thì thích giờ thể dục.",
            4,
        ),
        // Title against body.
        doc(
            5,
            "Giải bóng rổ học sinh",
            "Các đội thi đấu sôi nổi suốt ba ngày.",
            5,
        ),
        doc(
            6,
            "Tin thể thao tuần này",
            "Bóng rổ, bóng rổ nữ và bóng rổ ba người là các môn đông vận động viên.",
            6,
        ),
        // A name typed with its marks, whole in a body, against its folded syllables
        // scattered in a newer title.
        doc(
            9,
            "Hội nghị tổng kết năm học của ngành",
            "Hội nghị đánh giá kết quả một năm học nhiều đổi mới. Các đơn vị báo cáo \
             việc tuyển sinh, việc tập huấn đội ngũ, việc sửa sang trường lớp và việc \
             chăm lo cho học sinh vùng khó khăn; nhiều ý kiến đề xuất cách làm mới cho \
             năm sau. Phát biểu chỉ đạo, Thứ trưởng Nguyễn Đông Phong ghi nhận những \
             cố gắng của ngành và đề nghị các đơn vị tiếp tục chăm lo cho chất lượng \
             dạy và học, cho sức khỏe của thầy cô và các em.",
            9,
        ),
        doc(
            10,
            "Phát động phong trào thi đua ở Trường Tiểu học Nguyễn Trãi",
            "Học sinh phường Đông Hòa hưởng ứng phong trào sôi nổi.",
            10,
        ),
        // Equal matches, different days; the older is added first.
        doc(7, "Lịch trực Tết Nguyên đán", "Phân công trực Tết.", 7),
        doc(8, "Lịch trực Tết Nguyên đán", "Phân công trực Tết.", 8),
    ] {
        index.upsert(&d).unwrap();
    }
    index.commit().unwrap();
    index
});

fn rule_ids(text: &str) -> Vec<i64> {
    RULES
        .search(&Query::new(text))
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn rule_exact_marks_first() {
    assert_eq!(rule_ids("đường"), [1, 2]);
    assert_eq!(rule_ids("dương"), [2, 1]);
    // Without marks they are equal, so the newer goes first.
    assert_eq!(rule_ids("duong"), [2, 1]);
}

#[test]
fn rule_phrase_beats_scattered_syllables() {
    assert_eq!(rule_ids("giáo dục"), [3, 4]);
    assert_eq!(rule_ids("giao duc"), [3, 4]);
}

#[test]
fn rule_a_phrase_typed_with_marks_beats_folded_syllables_scattered() {
    assert_eq!(rule_ids("Nguyễn Đông Phong"), [9, 10]);
    assert_eq!(rule_ids("nguyễn đông phong"), [9, 10]);
}

#[test]
fn rule_title_beats_body() {
    assert_eq!(rule_ids("bóng rổ"), [5, 6]);
}

#[test]
fn rule_newer_breaks_ties() {
    assert_eq!(rule_ids("lịch trực tết"), [8, 7]);
    assert_eq!(rule_ids("lich truc tet"), [8, 7]);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = SearchIndex::open_in_ram().unwrap();
    index.upsert(&doc(1, "Hội thao", "", 1)).unwrap();
    index.commit().unwrap();
    index.upsert(&doc(1, "Hội diễn văn nghệ", "", 1)).unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 1);
    assert_eq!(index.search(&Query::new("thao")).unwrap().total, 0);
    assert_eq!(index.search(&Query::new("van nghe")).unwrap().total, 1);
    index.delete(DocKind::Article, 1).unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn the_index_lives_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index.upsert(&doc(1, "Hội khoẻ Phù Đổng", "", 1)).unwrap();
        index.commit().unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    let r = index.search(&Query::new("hoi khoe phu dong")).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(
        r.hits[0].title_html,
        "<mark>Hội</mark> <mark>khoẻ</mark> <mark>Phù</mark> <mark>Đổng</mark>"
    );
}

#[test]
fn many_titles_with_every_word_still_count_every_match() {
    // More titles hold the words than the first pass hands on (a hundred), so the
    // candidates come from titles; documents with the words elsewhere still count.
    let index = SearchIndex::open_in_ram().unwrap();
    for i in 0..150 {
        index
            .upsert(&doc(
                i,
                &format!("Hội thao học sinh khối {i}"),
                "Thi đấu sôi nổi.",
                i,
            ))
            .unwrap();
    }
    index
        .upsert(&doc(
            500,
            "Tin vắn",
            "Hội thao học sinh toàn trường đã kết thúc.",
            999,
        ))
        .unwrap();
    index
        .upsert(&doc(
            501,
            "Hội thao giáo viên",
            "Không có học sinh tham gia.",
            998,
        ))
        .unwrap();
    index.commit().unwrap();
    let r = index.search(&Query::new("hoi thao hoc sinh")).unwrap();
    assert_eq!(r.total, 152);
    assert!(r.hits.iter().all(|h| h.id < 150), "{:?}", r.hits);
    // Equal titles: the newest first.
    assert_eq!(r.hits[0].id, 149);
    let mut q = Query::new("hội thao học sinh");
    q.per_page = 50;
    q.page = 4;
    let last = index.search(&q).unwrap();
    assert_eq!(last.hits.len(), 2);
}

#[test]
fn the_newest_of_equals_comes_first_whichever_segment_holds_it() {
    // Three commits, three segments; the newest notice is in the first, among more
    // equal ones than the first pass hands on.
    let index = SearchIndex::open_in_ram().unwrap();
    for batch in 0..3 {
        for i in 0..120 {
            let id = batch * 1000 + i;
            let day = if id == 110 { 900 } else { batch * 120 + i };
            let notice = doc(id, "Thông báo tuyển sinh lớp 10", "Xem tệp kèm theo.", day);
            index.upsert(&notice).unwrap();
        }
        index.commit().unwrap();
    }
    assert!(index.segment_count() > 1);
    let r = index.search(&Query::new("thong bao tuyen sinh")).unwrap();
    assert_eq!(r.total, 360);
    assert_eq!(r.hits[0].id, 110);
    let dates: Vec<i64> = r.hits.iter().map(|h| h.published_at).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    // Then the newest of the last segment.
    assert_eq!(r.hits[1].id, 2119);
}

#[test]
fn counts_stay_exact_with_common_words_rare_words_and_deletions() {
    // "học sinh" is in every article (counted from cached bitsets), "giỏi" in few.
    let index = SearchIndex::open_in_ram().unwrap();
    for i in 0..400 {
        let body = if i % 50 == 0 {
            "Học sinh giỏi cấp tỉnh được khen thưởng."
        } else {
            "Học sinh tham gia ngày hội."
        };
        let mut d = doc(i, &format!("Tin số {i}"), body, i);
        d.site_id = 1 + i % 2;
        index.upsert(&d).unwrap();
    }
    index.commit().unwrap();
    let count = |text: &str, site: Option<i64>| {
        let mut q = Query::new(text);
        q.site = site;
        index.search(&q).unwrap().total
    };
    assert_eq!(count("hoc sinh", None), 400);
    assert_eq!(count("hoc sinh", Some(2)), 200);
    assert_eq!(count("học sinh giỏi", None), 8);
    assert_eq!(count("học sinh giỏi", Some(1)), 8);
    // None in the other site: every word is not found there, some are.
    let mut q = Query::new("học sinh giỏi");
    q.site = Some(2);
    assert!(index.search(&q).unwrap().partial);
    // Delete a hundred, four of them with "giỏi" (0, 100, 200, 250); the counts follow.
    for i in [0, 100].into_iter().chain(200..298) {
        index.delete(DocKind::Article, i).unwrap();
    }
    index.commit().unwrap();
    assert_eq!(count("hoc sinh", None), 300);
    assert_eq!(count("hoc sinh gioi", None), 4);
    assert_eq!(count("hoc sinh gioi", Some(1)), 4);
}

#[test]
fn every_page_is_full_when_the_matches_sit_in_a_small_segment() {
    // A big segment without the word, a small one with every match: the candidates
    // must still cover every page the count promises.
    let index = SearchIndex::open_in_ram().unwrap();
    for i in 0..1000 {
        let d = doc(
            i,
            &format!("Tin vắn số {i}"),
            "Hoạt động của trường.",
            i % 300,
        );
        index.upsert(&d).unwrap();
    }
    index.commit().unwrap();
    for i in 0..30 {
        let d = doc(
            5000 + i,
            "Đội tuyển Olympic tiếng Anh",
            "Kết quả thi.",
            400 + i,
        );
        index.upsert(&d).unwrap();
    }
    index.commit().unwrap();
    assert!(index.segment_count() > 1);
    let mut seen = Vec::new();
    for page in 1..=3 {
        let mut q = Query::new("olympic");
        q.page = page;
        let r = index.search(&q).unwrap();
        assert_eq!(r.total, 30);
        assert_eq!(r.hits.len(), 10, "page {page}");
        seen.extend(r.hits.iter().map(|h| h.id));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 30);
}

#[test]
fn a_word_left_only_in_deleted_articles_is_dropped_like_an_unknown_one() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&doc(1, "Hội thi giáo viên dạy giỏi", "Vòng chung kết.", 1))
        .unwrap();
    index
        .upsert(&doc(2, "Hội chợ sách", "Sách giáo khoa cũ.", 2))
        .unwrap();
    index
        .upsert(&doc(3, "Bài đã gỡ", "Từ lạ zyxwabc chỉ ở đây.", 3))
        .unwrap();
    index.commit().unwrap();
    index.delete(DocKind::Article, 3).unwrap();
    index.commit().unwrap();
    // "zyxwabc" is only in a deleted article: the other words, all of them, are
    // looked for, not any of them (which would bring "Hội chợ sách").
    let r = index.search(&Query::new("hội thi zyxwabc")).unwrap();
    assert!(r.partial);
    let ids: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
    assert_eq!(ids, [1]);
}
