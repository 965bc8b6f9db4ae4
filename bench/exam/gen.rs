//! Writes a provincial results file for the exam benchmark: N candidates (1.000.000 by
//! default) with nine subjects, as a ';'-separated CSV with BOM and comma decimals (what
//! Excel in Vietnamese saves) and as an XLSX with date cells and number cells. The same
//! seed gives the same files.
//!
//! Usage: cargo run --release -p exam --example exam-gen -- <dir> [count]

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::{BufWriter, Write};
use std::time::Instant;

/// A small deterministic generator (xorshift64*): no dependency, same file every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn", "Lâm", "Mai", "Trịnh", "Cao", "Tạ", "Hà",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Minh", "Ngọc", "Thu", "Quốc", "Gia", "Hoàng", "Thanh", "Hữu", "Đức", "Anh",
    "Bảo", "Khánh", "Phương", "Thùy", "Xuân", "Hồng", "Tuấn", "Diệu",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Huy", "Hương",
    "Khang", "Khoa", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngân", "Nhi", "Phúc",
    "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thành", "Trang", "Trí", "Trung", "Tú", "Uyên", "Vy",
    "Yến", "Đạt", "Ánh", "Ân",
];
const SUBJECTS: [&str; 9] = [
    "Toán",
    "Ngữ văn",
    "Tiếng Anh",
    "Vật lí",
    "Hóa học",
    "Sinh học",
    "Lịch sử",
    "Địa lí",
    "GDCD",
];

struct Row {
    sbd: String,
    name: String,
    birth: (u16, u8, u8),
    /// Hundredths; `None` is absent.
    scores: [Option<u16>; 9],
    school: String,
    class: String,
}

fn row(rng: &mut Rng, i: u64) -> Row {
    let name = format!(
        "{} {} {}",
        FAMILY[rng.below(FAMILY.len() as u64) as usize],
        MIDDLE[rng.below(MIDDLE.len() as u64) as usize],
        GIVEN[rng.below(GIVEN.len() as u64) as usize]
    );
    let birth = (2008, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8);
    let mut scores = [None; 9];
    for s in &mut scores {
        if rng.below(100) < 3 {
            continue;
        }
        // A bell-ish curve around 6: the mean of three uniform draws, in quarter points.
        let q = (rng.below(41) + rng.below(41) + rng.below(41) + 1) / 3;
        *s = Some((q * 25) as u16);
    }
    Row {
        sbd: format!("{:08}", 1_000_000 + i),
        name,
        birth,
        scores,
        school: format!("Trường THPT số {}", 1 + rng.below(300)),
        class: format!("12A{}", 1 + rng.below(12)),
    }
}

fn vi(h: u16) -> String {
    exam::format_hundredths(u32::from(h))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "bench/out/exam".into()));
    let count: u64 = args.next().map_or(Ok(1_000_000), |s| s.parse())?;
    std::fs::create_dir_all(&dir)?;

    let started = Instant::now();
    let csv_path = dir.join("ket-qua.csv");
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&csv_path)?);
    out.write_all(
        "\u{feff}KẾT QUẢ KỲ THI TỐT NGHIỆP THPT (dữ liệu sinh tự động)\r\n\r\n".as_bytes(),
    )?;
    write!(out, "STT;Số báo danh;Họ và tên;Ngày sinh")?;
    for s in SUBJECTS {
        write!(out, ";{s}")?;
    }
    write!(out, ";Trường;Lớp\r\n")?;
    let mut rng = Rng(0x5eed_2026);
    for i in 0..count {
        let r = row(&mut rng, i);
        let (y, m, d) = r.birth;
        write!(out, "{};{};{};{d:02}/{m:02}/{y}", i + 1, r.sbd, r.name)?;
        for s in r.scores {
            match s {
                Some(h) => write!(out, ";{}", vi(h))?,
                None => write!(out, ";V")?,
            }
        }
        write!(out, ";{};{}\r\n", r.school, r.class)?;
    }
    out.flush()?;
    drop(out);
    println!(
        "CSV  {count} candidates: {} in {:.1} s",
        csv_path.display(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(
        0,
        0,
        "KẾT QUẢ KỲ THI TỐT NGHIỆP THPT (dữ liệu sinh tự động)",
    )?;
    let headers = ["STT", "Số báo danh", "Họ và tên", "Ngày sinh"]
        .into_iter()
        .chain(SUBJECTS)
        .chain(["Trường", "Lớp"]);
    for (c, h) in headers.enumerate() {
        sheet.write_string(2, c as u16, h)?;
    }
    let mut rng = Rng(0x5eed_2026);
    for i in 0..count {
        let r = row(&mut rng, i);
        let line = 3 + i as u32;
        sheet.write_number(line, 0, (i + 1) as f64)?;
        sheet.write_string(line, 1, &r.sbd)?;
        sheet.write_string(line, 2, &r.name)?;
        let (y, m, d) = r.birth;
        sheet.write_datetime_with_format(
            line,
            3,
            ExcelDateTime::from_ymd(y, m, d)?,
            &date_format,
        )?;
        for (k, s) in r.scores.iter().enumerate() {
            let col = 4 + k as u16;
            match s {
                Some(h) => sheet.write_number(line, col, f64::from(*h) / 100.0)?,
                None => sheet.write_string(line, col, "V")?,
            };
        }
        sheet.write_string(line, 13, &r.school)?;
        sheet.write_string(line, 14, &r.class)?;
    }
    let xlsx_path = dir.join("ket-qua.xlsx");
    book.save(&xlsx_path)?;
    println!(
        "XLSX {count} candidates: {} in {:.1} s",
        xlsx_path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
