//! Citizens' questions (hỏi đáp): the department's answered ones, so that
//! `/hoi-dap` has something to show on the first start, and a few waiting in
//! the inboxes (a new one at the department, one past its deadline at a school).
//! Askers and answers are invented.

use domain::calendar::Calendar;
use domain::{QuestionDraft, SafeHtml, SiteId};
use store::Store;

struct DemoQuestion {
    code: &'static str,
    salutation: &'static str,
    name: &'static str,
    address: &'static str,
    field: &'static str,
    title: &'static str,
    body: &'static str,
    answer: &'static str,
    asked: &'static str,
    answered: &'static str,
}

const QUESTIONS: [DemoQuestion; 3] = [
    DemoQuestion {
        code: "HD-DEMO-0001",
        salutation: "Chị",
        name: "Nguyễn Thị Lan",
        address: "phường Hòa Bình, tỉnh Bình An",
        field: "hoc-phi",
        title: "Học phí năm học 2026–2027 ở trường THCS công lập",
        body: "Con tôi học lớp 7 ở trường THCS công lập trong phường. Xin hỏi năm học này học sinh THCS còn phải đóng học phí không?",
        answer: "<p>Từ năm học 2025–2026, học sinh THCS học tại trường công lập được miễn học phí theo Nghị quyết của Quốc hội. Nhà trường không thu học phí; các khoản thu khác (bảo hiểm y tế, bán trú nếu có) được công khai đầu năm học.</p>",
        asked: "2026-09-08 08:30",
        answered: "2026-09-10 15:00",
    },
    DemoQuestion {
        code: "HD-DEMO-0002",
        salutation: "Anh",
        name: "Trần Văn Minh",
        address: "xã Tân Phú, tỉnh Bình An",
        field: "che-do-giao-vien",
        title: "Phụ cấp cho giáo viên dạy ở xã vùng khó khăn",
        body: "Tôi là giáo viên tiểu học mới được điều động về xã Tân Phú. Xin hỏi tôi được hưởng những phụ cấp nào và nộp hồ sơ ở đâu?",
        answer: "<p>Giáo viên công tác tại xã có điều kiện kinh tế – xã hội đặc biệt khó khăn được hưởng phụ cấp thu hút, phụ cấp công tác lâu năm và trợ cấp lần đầu theo quy định hiện hành.</p><p>Thầy nộp quyết định điều động và bản khai cá nhân cho bộ phận kế toán của trường; trường tổng hợp gửi Phòng Kế hoạch – Tài chính của Sở.</p>",
        asked: "2026-10-05 09:15",
        answered: "2026-10-09 10:30",
    },
    DemoQuestion {
        code: "HD-DEMO-0003",
        salutation: "Ông",
        name: "Lê Hoàng Phúc",
        address: "phường Đông Hải, tỉnh Bình An",
        field: "chuyen-truong",
        title: "Thủ tục chuyển trường giữa năm học cho học sinh lớp 8",
        body: "Gia đình chuyển nơi ở sang tỉnh khác vào tháng 12. Xin hỏi thủ tục chuyển trường cho cháu đang học lớp 8.",
        answer: "<p>Hồ sơ gồm: đơn xin chuyển trường của cha mẹ học sinh, học bạ, giấy giới thiệu chuyển trường do Hiệu trưởng trường đang học cấp. Học sinh chuyển sang tỉnh khác cần thêm giấy giới thiệu của Sở nơi đi.</p><p>Gia đình liên hệ trường đang học để được hướng dẫn và nhận hồ sơ trong 3 ngày làm việc.</p>",
        asked: "2026-11-02 14:00",
        answered: "2026-11-05 16:45",
    },
];

/// A question still waiting in an inbox.
struct Waiting {
    site: &'static str,
    code: &'static str,
    salutation: &'static str,
    name: &'static str,
    address: &'static str,
    field: &'static str,
    title: &'static str,
    body: &'static str,
    /// Received this many days before the demo is loaded.
    days_ago: i64,
}

const WAITING: [Waiting; 2] = [
    Waiting {
        site: "so",
        code: "HD-DEMO-0004",
        salutation: "Chị",
        name: "Phạm Thu Hà",
        address: "phường Hòa Bình, tỉnh Bình An",
        field: "tuyen-sinh",
        title: "Điều kiện tuyển thẳng vào lớp 10 trường chuyên",
        body: "Con tôi đạt giải Ba học sinh giỏi cấp tỉnh môn Toán lớp 9. Xin hỏi cháu có được tuyển thẳng vào lớp 10 trường chuyên không, và cần nộp hồ sơ gì?",
        days_ago: 1,
    },
    Waiting {
        site: "lqd",
        code: "HD-DEMO-0005",
        salutation: "Anh",
        name: "Võ Quốc Bảo",
        address: "phường Đông Hải, tỉnh Bình An",
        field: "hoc-phi",
        title: "Khoản thu học thêm buổi chiều",
        body: "Nhà trường thu tiền học thêm buổi chiều cho lớp 11. Xin hỏi khoản thu này có bắt buộc không, và mức thu được ai phê duyệt?",
        days_ago: 35,
    },
];

/// Writes the department's answered questions and the ones waiting in the
/// inboxes (received `days_ago` before `now`, due 15 working days after).
pub(crate) async fn load_waiting(store: &Store, now: i64) -> Result<(), store::Error> {
    let sites = store.sites().await?;
    let calendar = Calendar::shipped();
    for q in &WAITING {
        let Some(site) = sites.iter().find(|s| s.key == q.site) else {
            continue;
        };
        let draft = QuestionDraft {
            salutation: q.salutation.to_owned(),
            name: q.name.to_owned(),
            email: format!("{}@example.vn", q.code.to_lowercase()),
            phone: String::new(),
            address: q.address.to_owned(),
            title: q.title.to_owned(),
            body: q.body.to_owned(),
            field: q.field.to_owned(),
            may_publish: true,
        };
        let asked = now - q.days_ago * 86_400;
        let due = calendar.add_working_days(vntext::local_day(asked), 15);
        store
            .create_question(site.id, &draft, None, q.code, due, asked)
            .await?;
    }
    Ok(())
}

/// Writes the department's answered questions.
pub(crate) async fn load(store: &Store, site: SiteId) -> Result<(), store::Error> {
    for q in &QUESTIONS {
        let draft = QuestionDraft {
            salutation: q.salutation.to_owned(),
            name: q.name.to_owned(),
            email: format!("{}@example.vn", q.code.to_lowercase()),
            phone: String::new(),
            address: q.address.to_owned(),
            title: q.title.to_owned(),
            body: q.body.to_owned(),
            field: q.field.to_owned(),
            may_publish: true,
        };
        let at = |s: &str| vntext::parse_local_datetime(s).unwrap_or(0);
        store
            .create_answered_question(
                site,
                &draft,
                q.code,
                &SafeHtml::sanitize(q.answer),
                at(q.asked),
                at(q.answered),
            )
            .await?;
    }
    Ok(())
}
