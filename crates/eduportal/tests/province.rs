//! A province set up without the demo, with the real binary (issue 13): the first
//! start prints a super-administrator's password; `init`, `site …` and
//! `unit import` do the rest from the command line, all or nothing.
#![cfg(unix)]

mod common;

use common::{Server, free_port};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// A GET with a Host of our choice: (status, head, body).
fn get_host(port: u16, host: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

#[test]
fn the_first_start_without_the_demo_makes_the_department_and_prints_its_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_eduportal"))
        .args([
            "serve",
            "--no-demo",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .current_dir(dir.path())
        .env("EDUPORTAL_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    let mut printed = String::new();
    while !printed.contains("mật khẩu:") {
        assert!(started.elapsed() < Duration::from_secs(120), "{printed}");
        match lines.next() {
            Some(Ok(line)) => printed.push_str(&(line + "\n")),
            _ => panic!("the server stopped printing: {printed}"),
        }
    }
    assert!(printed.contains("tên đăng nhập: quantri"), "{printed}");
    let server = Server(child);
    while common::get(port, "/healthz", "test").is_none_or(|(s, _)| s != 200) {
        assert!(started.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, _, home) = get_host(port, "localhost", "/");
    assert_eq!(status, 200);
    assert!(home.contains("Sở Giáo dục và Đào tạo"), "{home}");
    assert!(home.contains("Tin hoạt động"), "it can publish at once");
    drop(server);
    // Not a second time.
    let (ok, _, err) = run(dir.path(), &["init", "--name", "Sở khác"]);
    assert!(!ok);
    assert!(err.contains("chỉ dùng cho lần cài đặt đầu tiên"), "{err}");
}

#[test]
fn sites_and_units_from_the_command_line() {
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
    assert!(out.contains("mật khẩu:"), "{out}");

    // A sheet with bad rows: every one named by its line, nothing saved.
    std::fs::write(
        d.join("sai.csv"),
        "Tên;Mã;Loại;Đơn vị cấp trên;Tên miền\n\
         Phường Bắc Sơn;phuong-bac-son;Phường;so;\n\
         Trường THCS Bắc Sơn;thcs-bac-son;Trường học;Phường Bắc Sơn;thcs-bacson.thu.localhost\n\
         Trường Tiểu học Bắc Sơn;th-bac-son;Tiểu học;Xã Không Có;so.thu.localhost\n",
    )
    .unwrap();
    let (ok, _, err) = run(d, &["unit", "import", "sai.csv"]);
    assert!(!ok);
    assert!(err.contains("Dòng 3: Loại “Trường học” không rõ"), "{err}");
    assert!(
        err.contains("Dòng 4: Không tìm thấy đơn vị cấp trên “Xã Không Có”"),
        "{err}"
    );
    assert!(
        err.contains("Dòng 4: Tên miền “so.thu.localhost” đang thuộc trang"),
        "{err}"
    );
    assert!(err.contains("chưa nhập đơn vị nào"), "{err}");
    let (_, list, _) = run(d, &["site", "list"]);
    assert_eq!(list.lines().count(), 1, "{list}");

    // Corrected: all of it, parents in the same sheet, sites for rows with hosts.
    std::fs::write(
        d.join("dung.csv"),
        "Tên;Mã;Loại;Đơn vị cấp trên;Tên miền\n\
         Trường THCS Bắc Sơn;thcs-bac-son;THCS;Phường Bắc Sơn;thcs-bacson.thu.localhost\n\
         Phường Bắc Sơn;phuong-bac-son;Phường;so;\n\
         Trường Tiểu học Bắc Sơn;th-bac-son;Tiểu học;phuong-bac-son;\n",
    )
    .unwrap();
    let (ok, out, err) = run(d, &["unit", "import", "dung.csv"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("Đã nhập 3 đơn vị, 1 trang."), "{out}");

    let (ok, out, err) = run(
        d,
        &[
            "site",
            "add",
            "--name",
            "Trường THPT Thử",
            "--kind",
            "THPT",
            "--parent",
            "so",
            "--host",
            "thpt.thu.localhost",
            "--host",
            "www.thpt.thu.localhost",
            "--redirect",
            "--admin",
            "qt.thpt",
            "--admin-name",
            "Phạm Văn Quản",
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("qt.thpt, mật khẩu lần đầu"), "{out}");
    let (ok, _, err) = run(
        d,
        &[
            "site",
            "add",
            "--name",
            "Trường trùng",
            "--kind",
            "thpt",
            "--host",
            "thpt.thu.localhost",
        ],
    );
    assert!(!ok);
    assert!(err.contains("đang thuộc trang “Trường THPT Thử”"), "{err}");

    let (ok, out, err) = run(d, &["site", "suspend", "truong-thpt-thu"]);
    assert!(ok, "{out}{err}");
    let (_, list, _) = run(d, &["site", "list"]);
    assert!(list.contains("thcs-bac-son"), "{list}");
    assert!(list.contains("tạm ngừng"), "{list}");

    // What the server makes of it.
    let port = free_port();
    let server = Server::start_with(d, port, &[]);
    let (status, _, body) = get_host(port, "thcs-bacson.thu.localhost", "/");
    assert_eq!(status, 200);
    assert!(body.contains("Trường THCS Bắc Sơn"));
    let (status, _, body) = get_host(port, "thpt.thu.localhost", "/");
    assert_eq!(status, 503);
    assert!(body.contains("tạm ngừng hoạt động"));
    drop(server);
    let (ok, _, _) = run(d, &["site", "resume", "truong-thpt-thu"]);
    assert!(ok);
    let server = Server::start_with(d, port, &[]);
    let (status, head, _) = get_host(
        port,
        &format!("www.thpt.thu.localhost:{port}"),
        "/tin-tuc/thong-bao",
    );
    assert_eq!(status, 301);
    assert!(
        head.to_ascii_lowercase().contains(&format!(
            "location: http://thpt.thu.localhost:{port}/tin-tuc/thong-bao"
        )),
        "{head}"
    );
    drop(server);
}
