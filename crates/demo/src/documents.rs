//! The demo's official documents (issue 14): the department's registry, with its
//! lists of types, issuers, signers and fields, a dozen documents of the school
//! year 2026–2027 (one replacing another, one not yet in force, one expired), shown
//! on every school's site under "Văn bản cấp trên" and found by search.

use domain::{ArticleStatus, DocumentDates, DocumentDraft, DocumentId, SafeHtml, TermList};
use store::{DocumentWrite, Store};

const DAY: i64 = 86_400;

/// (number, trích yếu, type, issuer, signer, fields, issued, effective, expires,
/// replaces the document at this index, content).
type Def = (
    &'static str,
    &'static str,
    usize,
    usize,
    usize,
    &'static [usize],
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<usize>,
    &'static str,
);

const TYPES: [&str; 5] = [
    "Công văn",
    "Kế hoạch",
    "Quyết định",
    "Hướng dẫn",
    "Thông báo",
];
const ISSUERS: [&str; 2] = ["Sở Giáo dục và Đào tạo", "Ủy ban nhân dân tỉnh"];
const SIGNERS: [(&str, &str); 3] = [
    ("Nguyễn Hữu Thành", "Giám đốc"),
    ("Trần Thị Minh Hạnh", "Phó Giám đốc"),
    ("Lê Quang Vinh", "Phó Chủ tịch"),
];
const FIELDS: [&str; 4] = [
    "Giáo dục phổ thông",
    "Thi đua, khen thưởng",
    "Khảo thí và kiểm định chất lượng",
    "Tổ chức cán bộ",
];

const DOCUMENTS: [Def; 12] = [
    (
        "2210/SGDĐT-GDTrH",
        "Về việc hướng dẫn thực hiện nhiệm vụ giáo dục trung học năm học 2026–2027",
        3,
        0,
        1,
        &[0],
        "2026-08-28",
        Some("2026-09-05"),
        None,
        None,
        "<p>Căn cứ hướng dẫn của Bộ Giáo dục và Đào tạo, Sở hướng dẫn các trường trung học thực hiện chương trình giáo dục phổ thông 2018, đổi mới kiểm tra, đánh giá và tăng cường giáo dục kỹ năng sống cho học sinh.</p>",
    ),
    (
        "174/KH-SGDĐT",
        "Kế hoạch tổ chức phong trào thi đua năm học 2026–2027",
        1,
        0,
        0,
        &[1],
        "2026-09-15",
        Some("2026-09-15"),
        Some("2027-06-30"),
        None,
        "<p>Ba phong trào thi đua chính: “Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập”, “Mỗi thầy cô giáo là một tấm gương đạo đức, tự học và sáng tạo”, “Trường học an toàn, thân thiện”.</p>",
    ),
    (
        "215/QĐ-SGDĐT",
        "Quyết định ban hành Quy chế tiếp công dân của Sở Giáo dục và Đào tạo",
        2,
        0,
        0,
        &[3],
        "2026-04-20",
        Some("2026-05-01"),
        None,
        None,
        "<p>Giám đốc Sở tiếp công dân định kỳ vào sáng thứ Năm hằng tuần tại trụ sở Sở.</p>",
    ),
    (
        "98/KH-UBND",
        "Kế hoạch tuyển sinh vào lớp 10 trung học phổ thông năm học 2026–2027",
        1,
        1,
        2,
        &[0, 2],
        "2026-03-10",
        Some("2026-03-10"),
        Some("2026-08-31"),
        None,
        "<p>Tuyển sinh vào lớp 10 bằng hình thức thi tuyển ba môn Ngữ văn, Toán, Tiếng Anh; trường chuyên thi thêm môn chuyên.</p>",
    ),
    (
        "1480/SGDĐT-KTKĐ",
        "Về việc tổ chức kiểm tra định kỳ cuối học kỳ I năm học 2026–2027",
        0,
        0,
        1,
        &[2],
        "2026-11-20",
        Some("2026-12-01"),
        None,
        None,
        "<p>Các trường xây dựng ma trận, đặc tả đề kiểm tra theo hướng dẫn; không tổ chức kiểm tra dồn vào cuối học kỳ.</p>",
    ),
    (
        "1065/SGDĐT-TCCB",
        "Về việc rà soát, thống kê đội ngũ giáo viên các trường trực thuộc",
        0,
        0,
        1,
        &[3],
        "2026-06-12",
        None,
        None,
        None,
        "<p>Các đơn vị báo cáo số lượng giáo viên theo môn, giáo viên còn thiếu và nhu cầu tuyển dụng năm học tới.</p>",
    ),
    (
        "1266/SGDĐT-TCCB",
        "Về việc rà soát, thống kê đội ngũ giáo viên các trường trực thuộc (thay thế Công văn số 1065/SGDĐT-TCCB)",
        0,
        0,
        1,
        &[3],
        "2026-07-08",
        None,
        None,
        Some(5),
        "<p>Bổ sung biểu mẫu thống kê giáo viên dạy môn Khoa học tự nhiên, Lịch sử và Địa lý, Nghệ thuật.</p>",
    ),
    (
        "36/TB-SGDĐT",
        "Thông báo lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2027",
        4,
        0,
        0,
        &[0],
        "2026-12-02",
        None,
        None,
        None,
        "<p>Học sinh, giáo viên các trường được nghỉ Tết từ ngày 04/02/2027 đến hết ngày 14/02/2027.</p>",
    ),
    (
        "302/QĐ-SGDĐT",
        "Quyết định khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong năm học 2025–2026",
        2,
        0,
        0,
        &[1],
        "2026-07-30",
        Some("2026-07-30"),
        None,
        None,
        "<p>Tặng Giấy khen của Giám đốc Sở cho 42 tập thể và 156 cá nhân.</p>",
    ),
    (
        "09/HD-SGDĐT",
        "Hướng dẫn tổ chức dạy học môn Khoa học tự nhiên cấp trung học cơ sở",
        3,
        0,
        1,
        &[0],
        "2026-09-25",
        Some("2026-10-01"),
        None,
        None,
        "<p>Hướng dẫn phân công giáo viên, xây dựng kế hoạch dạy học theo chủ đề và tổ chức thực hành thí nghiệm.</p>",
    ),
    (
        "1590/SGDĐT-GDTrH",
        "Về việc tổ chức Hội khỏe Phù Đổng cấp trường năm học 2026–2027",
        0,
        0,
        1,
        &[0],
        "2026-11-28",
        Some("2027-01-04"),
        None,
        None,
        "<p>Các trường tổ chức Hội khỏe Phù Đổng cấp trường trước ngày 31/3/2027, chọn vận động viên dự thi cấp tỉnh.</p>",
    ),
    (
        "27/KH-SGDĐT",
        "Kế hoạch bồi dưỡng thường xuyên giáo viên năm 2026",
        1,
        0,
        1,
        &[3],
        "2026-02-05",
        Some("2026-02-05"),
        Some("2026-12-31"),
        None,
        "<p>Giáo viên hoàn thành các mô-đun bồi dưỡng thường xuyên theo Thông tư 17/2019/TT-BGDĐT trước ngày 15/12/2026.</p>",
    ),
];

/// Loads them on the department's site; `now` is when the demo is loaded.
pub(crate) async fn load(store: &Store, now: i64) -> Result<(), crate::Error> {
    let sites = store.sites().await?;
    let Some(so) = sites.iter().find(|s| s.key == "so").map(|s| s.id) else {
        return Ok(());
    };
    let mut types = Vec::new();
    for name in TYPES {
        types.push(
            store
                .add_document_term(so, TermList::Type, name, "", None, now)
                .await?,
        );
    }
    let mut issuers = Vec::new();
    for name in ISSUERS {
        issuers.push(
            store
                .add_document_term(so, TermList::Issuer, name, "", None, now)
                .await?,
        );
    }
    let mut signers = Vec::new();
    for (name, position) in SIGNERS {
        signers.push(
            store
                .add_document_term(so, TermList::Signer, name, position, None, now)
                .await?,
        );
    }
    let mut fields = Vec::new();
    for name in FIELDS {
        fields.push(
            store
                .add_document_term(so, TermList::Field, name, "", None, now)
                .await?,
        );
    }
    let mut ids: Vec<DocumentId> = Vec::new();
    for (i, d) in DOCUMENTS.iter().enumerate() {
        let (number, summary, kind, issuer, signer, on, issued, effective, expires, replaces, body) =
            *d;
        let draft = DocumentDraft {
            number: number.into(),
            summary: summary.into(),
            kind_id: types[kind],
            issuer_id: issuers[issuer],
            signer_id: Some(signers[signer]),
            field_ids: on.iter().map(|f| fields[*f]).collect(),
            replaces: replaces.map(|r| ids[r]),
            body: SafeHtml::sanitize(body),
            ..DocumentDraft::default()
        };
        let dates = DocumentDates {
            issued_on: issued.into(),
            effective_on: effective.map(Into::into),
            expires_on: expires.map(Into::into),
        };
        let write = DocumentWrite {
            site: so,
            draft: &draft,
            dates: &dates,
            status: ArticleStatus::Published,
            // Posted in the order of the list, the first a fortnight ago.
            published_at: now - (14 - i as i64) * DAY,
            reject_reason: "",
            files: &[],
            by: None,
            note: "nạp dữ liệu mẫu",
            ip: store::COMMAND_LINE,
        };
        ids.push(store.create_document(&write, now).await?);
    }
    Ok(())
}
