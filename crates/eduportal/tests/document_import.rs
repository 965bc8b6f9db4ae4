//! `eduportal document import` with the real binary (issue 14): a sheet and a
//! folder of files; a dry run that names every bad row and saves nothing; the
//! import itself, all or nothing, and a second run refused because the numbers
//! are on the site now.
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

/// Runs the binary in `dir`: (success, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_eduportal"))
        .args(args)
        .current_dir(dir)
        .env("EDUPORTAL_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn documents_from_a_sheet_and_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (ok, out, err) = run(
        d,
        &[
            "init",
            "--name",
            "Sở Giáo dục và Đào tạo tỉnh Thử",
            "--host",
            "so.thu.localhost",
        ],
    );
    assert!(ok, "{out}{err}");
    std::fs::create_dir_all(d.join("tep/2025")).unwrap();
    std::fs::write(
        d.join("tep/2025/qd-12.pdf"),
        media::testdata::pdf_with_text("Quyết định khen thưởng"),
    )
    .unwrap();
    std::fs::write(
        d.join("sai.csv"),
        "Số/ký hiệu;Trích yếu;Loại văn bản;Cơ quan ban hành;Ngày ban hành;Tệp\n\
         12/QĐ-SGDĐT;Khen thưởng giáo viên;Quyết định;Sở GDĐT;03/03/2025;qd-12.pdf\n\
         13/QĐ-SGDĐT;Khen thưởng học sinh;Quyết định;Sở GDĐT;3/3;\n\
         14/QĐ-SGDĐT;Khen thưởng tập thể;Quyết định;Sở GDĐT;04/03/2025;khong-co.pdf\n",
    )
    .unwrap();
    let (ok, out, err) = run(
        d,
        &[
            "document",
            "import",
            "--site",
            "so.thu.localhost",
            "sai.csv",
            "--files",
            "tep",
            "--dry-run",
        ],
    );
    assert!(!ok, "{out}{err}");
    assert!(err.contains("Dòng 3: Ngày ban hành “3/3”"), "{err}");
    assert!(
        err.contains("Dòng 4: Tệp “khong-co.pdf” không có trong thư mục"),
        "{err}"
    );
    assert!(!err.contains("Dòng 2"), "{err}");

    std::fs::write(
        d.join("dung.csv"),
        "Số/ký hiệu;Trích yếu;Loại văn bản;Cơ quan ban hành;Ngày ban hành;Tệp\n\
         12/QĐ-SGDĐT;Khen thưởng giáo viên;Quyết định;Sở GDĐT;03/03/2025;qd-12.pdf\n\
         13/QĐ-SGDĐT;Khen thưởng học sinh;Quyết định;Sở GDĐT;03/03/2025;\n",
    )
    .unwrap();
    let args = [
        "document",
        "import",
        "--site",
        "so.thu.localhost",
        "dung.csv",
        "--files",
        "tep",
    ];
    let (ok, out, err) = run(d, &[&args[..], &["--dry-run"]].concat());
    assert!(ok, "{out}{err}");
    assert!(out.contains("2 dòng hợp lệ"), "{out}");
    assert!(
        out.contains("Thêm vào danh mục: Loại văn bản: Quyết định"),
        "{out}"
    );
    assert!(out.contains("--dry-run: chưa lưu gì"), "{out}");
    let (ok, out, err) = run(d, &[&args[..], &["--publish"]].concat());
    assert!(ok, "{out}{err}");
    assert!(out.contains("Đã nhập 2 văn bản (đã đăng)"), "{out}");
    // The file was stored in the media folder.
    let stored = walk(&d.join("data/media"));
    assert!(
        stored.iter().any(|p| std::fs::read(p).ok()
            == Some(media::testdata::pdf_with_text("Quyết định khen thưởng"))),
        "{stored:?}"
    );
    // Once more: the numbers are on the site now; nothing is imported.
    let (ok, _, err) = run(d, &args);
    assert!(!ok);
    assert!(
        err.contains("Dòng 2: Số/ký hiệu “12/QĐ-SGDĐT” đã có trên trang."),
        "{err}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
