//! The demo's announcements and a draft open for comment (issue 14): the
//! department's pinned notice, one it addresses to every school (shown in the
//! schools' blocks, marked as the department's), one to the lower-secondary
//! schools only, an expired one (in the archive only), a school's own notice; and
//! the department's draft on extra classes, open for comment, with comments
//! published, answered and waiting.

use domain::{Audience, DraftInput, NewComment, NoticeDraft, SafeHtml, UnitKind};
use store::{AuditNote, Moderation, Store};

const DAY: i64 = 86_400;

/// Loads them; `now` is when the demo is loaded.
pub(crate) async fn load(store: &Store, now: i64) -> Result<(), crate::Error> {
    let sites = store.sites().await?;
    let site = |key: &str| sites.iter().find(|s| s.key == key).map(|s| s.id);
    let (Some(so), Some(lqd)) = (site("so"), site("lqd")) else {
        return Ok(());
    };
    let note = AuditNote {
        user: None,
        action: "nạp dữ liệu mẫu",
        ip: store::COMMAND_LINE,
    };
    let notices = [
        (
            so,
            "Lịch tiếp công dân tháng 12 của Sở GD&ĐT",
            "<p>Giám đốc Sở tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở Sở, số 12 đường Lê Lợi.</p>",
            now - 3 * DAY,
            None,
            true,
            Audience::Site,
        ),
        (
            so,
            "Lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2027",
            "<p>Học sinh, giáo viên các trường được nghỉ Tết từ ngày 04/02/2027 đến hết ngày 14/02/2027.</p>",
            now - 2 * DAY,
            Some(now + 400 * DAY),
            false,
            Audience::AllSchools,
        ),
        (
            so,
            "Tập huấn dạy học môn Khoa học tự nhiên cấp THCS",
            "<p>Các trường THCS cử mỗi trường 02 giáo viên dự tập huấn ngày 10/12/2026.</p>",
            now - DAY,
            Some(now + 400 * DAY),
            false,
            Audience::Kind(UnitKind::LowerSecondary),
        ),
        (
            so,
            "Thu nhận hồ sơ thi giáo viên dạy giỏi cấp tỉnh",
            "<p>Hạn cuối nhận hồ sơ là ngày 15/11/2026.</p>",
            now - 40 * DAY,
            Some(now - 10 * DAY),
            false,
            Audience::Site,
        ),
        (
            lqd,
            "Họp phụ huynh học sinh cuối học kỳ I",
            "<p>Nhà trường tổ chức họp phụ huynh lúc 7 giờ 30 sáng Chủ nhật cuối học kỳ I.</p>",
            now - DAY,
            Some(now + 400 * DAY),
            false,
            Audience::Site,
        ),
    ];
    for (site, title, body, starts_at, expires_at, pinned, audience) in notices {
        let draft = NoticeDraft {
            title: title.to_owned(),
            body: SafeHtml::sanitize(body),
            starts_at,
            expires_at,
            pinned,
            published: true,
            audience,
        };
        store.create_notice(site, &draft, &[], note, now).await?;
    }

    let draft = DraftInput {
        title: "Dự thảo Quy định về dạy thêm, học thêm trên địa bàn tỉnh".to_owned(),
        number: "Dự thảo lần 2".to_owned(),
        summary: "Sở GD&ĐT lấy ý kiến nhân dân, cơ quan, tổ chức về dự thảo Quy định quản lý dạy thêm, học thêm trên địa bàn tỉnh.".to_owned(),
        body: SafeHtml::sanitize(
            "<h2>Chương I. Quy định chung</h2>\
             <p><strong>Điều 1.</strong> Phạm vi điều chỉnh và đối tượng áp dụng</p>\
             <p>Quy định này quy định về dạy thêm, học thêm trong và ngoài nhà trường trên địa bàn tỉnh.</p>\
             <p><strong>Điều 2.</strong> Nguyên tắc dạy thêm, học thêm</p>\
             <p>Hoạt động dạy thêm, học thêm phải xuất phát từ nhu cầu của người học, không ép buộc.</p>\
             <h2>Chương II. Tổ chức dạy thêm</h2>\
             <p><strong>Điều 3.</strong> Thời lượng dạy thêm</p>\
             <p>Mỗi môn học không quá 2 tiết mỗi tuần.</p>\
             <p><strong>Điều 4.</strong> Hiệu lực thi hành</p>\
             <p>Quy định này có hiệu lực kể từ ngày 01/01/2027.</p>",
        ),
        opens_at: now - 5 * DAY,
        closes_at: now + 25 * DAY,
        status: domain::ArticleStatus::Published,
        publish_at: now - 5 * DAY,
        reject_reason: String::new(),
    };
    let id = store.create_draft(so, &draft, &[], note, now).await?;
    let comments = [
        (
            "Nguyễn Thị Lan",
            "lan.nguyen@example.vn",
            "Hội Cha mẹ học sinh Trường THCS Nguyễn Du",
            Some(3),
            "Đề nghị quy định rõ không tổ chức dạy thêm vào buổi tối sau 21 giờ.",
            Some("Ban soạn thảo tiếp thu, sẽ bổ sung vào Điều 3."),
        ),
        (
            "Trần Văn Minh",
            "minh.tran@example.vn",
            "",
            None,
            "Dự thảo cần có quy định về công khai học phí dạy thêm.",
            None,
        ),
        (
            "Lê Hoàng Nam",
            "nam.le@example.vn",
            "Trường THPT Chuyên Lê Quý Đôn",
            Some(4),
            "Nên lùi thời điểm có hiệu lực để các trường kịp chuẩn bị.",
            None,
        ),
    ];
    for (i, (name, email, organisation, article, body, answer)) in comments.into_iter().enumerate()
    {
        let comment = NewComment {
            name: name.to_owned(),
            email: email.to_owned(),
            organisation: organisation.to_owned(),
            body: body.to_owned(),
            article,
        };
        let Ok(cid) = store.add_comment(id, &comment, "", now).await? else {
            continue;
        };
        // The first two are published (the first answered); the last waits.
        if i < 2 {
            store
                .moderate_comment(so, id, cid, &Moderation::Publish, note, now)
                .await?;
        }
        if let Some(answer) = answer {
            store
                .moderate_comment(
                    so,
                    id,
                    cid,
                    &Moderation::Answer(answer.to_owned()),
                    note,
                    now,
                )
                .await?;
        }
    }
    Ok(())
}
