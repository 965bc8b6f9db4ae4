//! The demo province's emulation and commendation (issue 17): a movement the
//! department launched, with the article that launched it; the two schools'
//! registrations; a published decision of the department's director with the
//! people and collectives it commends (one with her "Gương điển hình tiên tiến"
//! story); and five recognised "Dân vận khéo" models. All names are invented.

use crate::Error;
use domain::{SiteId, UnitId};
use store::{DecisionDraft, DvkDraft, EntryDraft, MovementDraft, Store};

fn unit(units: &[domain::Unit], key: &str) -> Result<(UnitId, String), Error> {
    units
        .iter()
        .find(|u| u.key == key)
        .map(|u| (u.id, u.name.clone()))
        .ok_or_else(|| Error::Content {
            file: "emulation",
            message: format!("no unit {key}"),
        })
}

fn person(title: &str, name: &str, birth: &str, position: &str, unit: &str) -> EntryDraft {
    EntryDraft {
        kind: "ca-nhan".into(),
        title: title.into(),
        full_name: name.into(),
        birth_date: birth.into(),
        position: position.into(),
        unit_name: unit.into(),
        achievement: String::new(),
    }
}

/// An article of the department's "Thi đua – Khen thưởng" category, by title.
async fn article(
    store: &Store,
    site: SiteId,
    title: &str,
    now: i64,
) -> Result<Option<(i64, String)>, Error> {
    let Some(cat) = store.category_by_slug(site, "thi-dua-khen-thuong").await? else {
        return Ok(None);
    };
    let list = store.category_articles(site, cat.id, now, 200, 0).await?;
    Ok(list
        .items
        .iter()
        .find(|a| a.title.starts_with(title))
        .map(|a| (a.id.0, format!("/tin-tuc/thi-dua-khen-thuong/{}", a.slug))))
}

/// Loads it (after the units).
pub(crate) async fn load(store: &Store, now: i64) -> Result<(), Error> {
    let units = store.units().await?;
    let sites = store.sites().await?;
    let Some(so_site) = sites.iter().find(|s| s.key == "so").map(|s| s.id) else {
        return Ok(());
    };
    let (so, _) = unit(&units, "so")?;
    let (lqd, lqd_name) = unit(&units, "lqd")?;
    let (nd, nd_name) = unit(&units, "nguyendu")?;
    let site_of = |key: &str| sites.iter().find(|s| s.key == key).map(|s| s.id);

    let movement = store
        .create_movement(
            so_site,
            &MovementDraft {
                name: "Phong trào thi đua “Đổi mới, sáng tạo trong dạy và học” năm học 2026–2027"
                    .into(),
                slogan: "Mỗi thầy cô giáo là một tấm gương đạo đức, tự học và sáng tạo".into(),
                kind: "hang-nam".into(),
                scope: Vec::new(),
                parents: Vec::new(),
                decision_number: "1856/QĐ-SGDĐT".into(),
                decision_date: "2026-09-08".into(),
                period: "Từ tháng 9/2026 đến tháng 5/2027".into(),
                school_year: "2026-2027".into(),
                content: "Đổi mới phương pháp dạy học, kiểm tra, đánh giá theo Chương trình giáo dục phổ thông 2018; ứng dụng công nghệ thông tin và chuyển đổi số trong nhà trường.".into(),
                criteria: "Hoàn thành xuất sắc nhiệm vụ năm học; có sáng kiến được công nhận; không có cá nhân vi phạm đạo đức nhà giáo.".into(),
                deadline: "2026-10-15".into(),
            },
            None,
            now,
        )
        .await?;
    if let Some((a, _)) = article(
        store,
        so_site,
        "Phát động phong trào thi đua năm học 2026",
        now,
    )
    .await?
    {
        store.tag_movement_article(movement, a, None, now).await?;
    }
    if let Some(site) = site_of("lqd") {
        let mut lines = vec![EntryDraft {
            kind: "tap-the".into(),
            title: "Tập thể lao động xuất sắc".into(),
            full_name: lqd_name.clone(),
            unit_name: lqd_name.clone(),
            ..EntryDraft::default()
        }];
        lines.push(person(
            "Chiến sĩ thi đua cơ sở",
            "Hoàng Thị Mai Anh",
            "1982-04-17",
            "Tổ trưởng tổ Ngữ văn",
            &lqd_name,
        ));
        lines.push(person(
            "Lao động tiên tiến",
            "Vũ Đức Thắng",
            "1988-10-02",
            "Giáo viên Vật lí",
            &lqd_name,
        ));
        store
            .add_registrations(site, movement, lqd, &lines, None, now)
            .await?;
    }
    if let Some(site) = site_of("nguyendu") {
        let lines = vec![person(
            "Lao động tiên tiến",
            "Lương Thị Hải Yến",
            "1990-06-21",
            "Giáo viên Tiếng Anh",
            &nd_name,
        )];
        store
            .add_registrations(site, movement, nd, &lines, None, now)
            .await?;
    }

    let awardee =
        |name: &str, position: &str, unit_name: &str, unit_id: UnitId, achievement: &str| {
            (
                EntryDraft {
                    kind: "ca-nhan".into(),
                    full_name: name.into(),
                    position: position.into(),
                    unit_name: unit_name.into(),
                    achievement: achievement.into(),
                    ..EntryDraft::default()
                },
                Some(unit_id),
            )
        };
    let decision = store
        .create_decision(
            so_site,
            so,
            &DecisionDraft {
                number: "1402/QĐ-SGDĐT".into(),
                decided_on: "2026-07-28".into(),
                level: "Giám đốc Sở Giáo dục và Đào tạo".into(),
                form: "Giấy khen".into(),
                proposal: None,
                awardees: vec![
                    awardee("Hoàng Thị Mai Anh", "Tổ trưởng tổ Ngữ văn", &lqd_name, lqd, "Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026; hướng dẫn học sinh đạt giải Nhất học sinh giỏi quốc gia môn Ngữ văn."),
                    awardee("Phan Quốc Bảo", "Phó Hiệu trưởng", &lqd_name, lqd, "Chỉ đạo chuyển đổi số trong nhà trường."),
                    awardee("Lương Thị Hải Yến", "Giáo viên Tiếng Anh", &nd_name, nd, "Giáo viên dạy giỏi cấp tỉnh."),
                    (
                        EntryDraft {
                            kind: "tap-the".into(),
                            full_name: "Tổ Toán – Tin".into(),
                            unit_name: nd_name.clone(),
                            achievement: "Tập thể lao động xuất sắc năm học 2025–2026.".into(),
                            ..EntryDraft::default()
                        },
                        Some(nd),
                    ),
                ],
            },
            None,
            now,
        )
        .await?;
    store
        .publish_decision(so_site, decision, true, None, now)
        .await?;
    if let Some((story, _)) =
        article(store, so_site, "Tuyên dương 120 nhà giáo tiêu biểu", now).await?
    {
        let first = store.decision_awards(decision).await?;
        if let Some(a) = first.first() {
            store
                .set_award_story(so_site, a.id, Some(story), None, now)
                .await?;
        }
    }

    let models: [(&str, &str, &str, i64, &str, &str); 5] = [
        (
            "lqd",
            "Học sinh chuyên đồng hành cùng học sinh vùng khó",
            "Văn hoá – xã hội",
            2025,
            "Giám đốc Sở Giáo dục và Đào tạo",
            "Mỗi tháng một buổi học trực tuyến miễn phí cho học sinh các xã vùng khó.",
        ),
        (
            "nguyendu",
            "Tủ sách nhân ái",
            "Văn hoá – xã hội",
            2025,
            "Hiệu trưởng",
            "Học sinh góp sách cũ, tặng bạn có hoàn cảnh khó khăn.",
        ),
        (
            "nguyendu",
            "Phụ huynh cùng nhà trường giữ an toàn cổng trường",
            "Quốc phòng – an ninh",
            2026,
            "Giám đốc Sở Giáo dục và Đào tạo",
            "Tổ phụ huynh tình nguyện phân luồng giao thông giờ tan học.",
        ),
        (
            "so",
            "Một cửa tiếp nhận hồ sơ thi đua trực tuyến",
            "Xây dựng hệ thống chính trị",
            2026,
            "Chủ tịch Ủy ban nhân dân tỉnh",
            "Tiếp nhận, trả kết quả hồ sơ thi đua, khen thưởng của các trường qua cổng thông tin.",
        ),
        (
            "lqd",
            "Vườn rau sạch của em",
            "Kinh tế",
            2026,
            "Hiệu trưởng",
            "Học sinh trồng rau sạch, bán gây quỹ học bổng.",
        ),
    ];
    let dvk_article = article(
        store,
        so_site,
        "Sơ kết phong trào thi đua “Dân vận khéo”",
        now,
    )
    .await?;
    for (i, (key, name, field, year, level, description)) in models.into_iter().enumerate() {
        let (u, _) = unit(&units, key)?;
        let Some(site) = site_of(key) else { continue };
        let id = store
            .create_dvk_model(
                site,
                u,
                &DvkDraft {
                    name: name.into(),
                    field: field.into(),
                    year,
                    description: description.into(),
                    // The first model is the one the department's round-up tells.
                    article_url: match (&dvk_article, i) {
                        (Some((_, path)), 0) => path.clone(),
                        _ => String::new(),
                    },
                },
                None,
                now,
            )
            .await?;
        store
            .recognise_dvk_model(so_site, id, level, None, now)
            .await?;
    }
    Ok(())
}
