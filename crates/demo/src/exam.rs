//! The demo's exam session: "Kỳ thi tuyển sinh lớp 10 THPT" of the department with
//! 3.000 generated candidates, published, so that "Tra cứu điểm thi" answers on the
//! first start. Names, dates and scores are made from fixed lists and a fixed seed,
//! the same on every machine: candidate 010001 is always born on 08/06/2011.

use crate::Error;
use domain::SiteId;
use std::fmt::Write;
use store::Store;

/// How many candidates.
pub const CANDIDATES: u32 = 3_000;
/// A candidate to try, as the README prints it: (SBD, date of birth).
pub const TRY: (&str, &str) = ("010001", "08/06/2011");

const FAMILY: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
];
const MIDDLE: [&str; 8] = ["Thị", "Văn", "Minh", "Ngọc", "Thu", "Quang", "Gia", "Hoài"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Long", "Mai", "Nam",
    "Phúc", "Quân", "Thảo", "Yến",
];
const SCHOOLS: [&str; 4] = [
    "THCS Nguyễn Du",
    "THCS Lê Lợi",
    "THCS Trần Phú",
    "THCS Tân Phú",
];

/// A score in quarter points from a pseudo-random number, written the Vietnamese way.
fn score(r: u64) -> String {
    let quarters = 8 + (r % 33); // 2,00 to 10,00
    let whole = quarters / 4;
    match quarters % 4 {
        0 => whole.to_string(),
        1 => format!("{whole},25"),
        2 => format!("{whole},5"),
        _ => format!("{whole},75"),
    }
}

/// The results file, as an office's spreadsheet would save it (';' CSV).
fn results_csv() -> String {
    let mut csv = String::from("SBD;Họ và tên;Ngày sinh;Trường THCS;Toán;Ngữ văn;Tiếng Anh\n");
    let mut seed: u64 = 0x2026_1205;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    for i in 1..=CANDIDATES {
        let (a, b, c) = (next(), next(), next());
        let name = format!(
            "{} {} {}",
            FAMILY[(a % 12) as usize],
            MIDDLE[(b % 8) as usize],
            GIVEN[(c % 16) as usize]
        );
        let day = 1 + (i * 7) % 28;
        let month = 1 + (i * 5) % 12;
        let school = SCHOOLS[(i % 4) as usize];
        let _ = writeln!(
            csv,
            "01{i:04};{name};{day:02}/{month:02}/2011;{school};{};{};{}",
            score(next()),
            score(next()),
            score(next())
        );
    }
    csv
}

/// Creates the session on `site`, imports the candidates and publishes them.
pub async fn load(store: &Store, site: SiteId, now: i64) -> Result<(), Error> {
    let id = store
        .create_exam_session(
            &store::NewExamSession {
                site,
                name: "Kỳ thi tuyển sinh lớp 10 THPT",
                school_year: "2026-2027",
                kind: "tuyen-sinh-10",
                lookup: exam::LookupRule::SbdAndBirthDate,
                publish_at: Some(now),
                by: None,
                ip: store::COMMAND_LINE,
            },
            now,
        )
        .await?;
    let session = store
        .exam_session(id)
        .await?
        .ok_or_else(|| Error::Content {
            file: "exam",
            message: "the session just made is missing".into(),
        })?;
    let bytes = results_csv().into_bytes();
    let prepared = store::prepare_import(
        &bytes,
        "ket-qua-tuyen-sinh-10.csv",
        &session,
        &Default::default(),
    )
    .map_err(|message| Error::Content {
        file: "exam",
        message,
    })?;
    let candidates = prepared.outcome.map_err(|errors| Error::Content {
        file: "exam",
        message: format!(
            "{} bad rows, first: {:?}",
            errors.len(),
            errors.first().map(|e| &e.reason_vi)
        ),
    })?;
    store
        .import_exam(
            &store::ExamImport {
                session: id,
                site,
                base_revision: session.revision,
                spec: &prepared.spec,
                candidates: &candidates,
                file_name: "ket-qua-tuyen-sinh-10.csv",
                by: None,
                ip: store::COMMAND_LINE,
                progress: None,
            },
            now,
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_candidate_to_try_is_the_first_line() {
        let csv = results_csv();
        let first = csv.lines().nth(1).unwrap();
        assert!(first.starts_with(&format!("{};", TRY.0)), "{first}");
        assert!(first.contains(&format!(";{};", TRY.1)), "{first}");
        assert_eq!(csv.lines().count(), CANDIDATES as usize + 1);
    }
}
