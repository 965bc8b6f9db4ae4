//! The real binary, stopped with SIGTERM and started again: no count is lost.
#![cfg(unix)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A plain HTTP/1.1 GET: (status, body).
fn get(port: u16, path: &str, user_agent: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: {user_agent}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

struct Server(Child);

impl Server {
    fn start(dir: &std::path::Path, port: u16) -> Server {
        let media = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("demo-media");
        let child = Command::new(env!("CARGO_BIN_EXE_eduportal"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .current_dir(dir)
            // Only the shutdown may write the counts: the periodic flush waits an hour.
            .env("EDUPORTAL_COUNTERS__FLUSH_SECONDS", "3600")
            .env("EDUPORTAL_MEDIA__DIR", media)
            .env("EDUPORTAL_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("the eduportal binary starts");
        let started = Instant::now();
        while get(port, "/healthz", "test").is_none_or(|(s, _)| s != 200) {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "server did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Server(child)
    }

    fn terminate(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.0.wait().unwrap();
        assert!(exit.success(), "clean exit on SIGTERM, got {exit}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    s.split(start)
        .nth(1)
        .and_then(|r| r.split(end).next())
        .unwrap_or("")
}

#[test]
fn sigterm_writes_the_counts_and_a_restart_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Server::start(dir.path(), port);
    let (_, category) = get(port, "/tin-tuc/tin-giao-duc", "Mozilla/5.0 A").unwrap();
    let article = between(&category, "<h3 class=\"card-title\"><a href=\"", "\"").to_owned();
    let mut id = String::new();
    for reader in ["Mozilla/5.0 A", "Mozilla/5.0 B", "Mozilla/5.0 C"] {
        let (status, page) = get(port, &article, reader).unwrap();
        assert_eq!(status, 200);
        id = between(&page, "data-article=\"", "\"").to_owned();
    }
    let (_, live) = get(port, &format!("/thong-ke.json?bai={id}"), "Mozilla/5.0 A").unwrap();
    assert!(live.contains("\"views\":3"), "{live}");
    server.terminate();

    let port = free_port();
    let _server = Server::start(dir.path(), port);
    let (_, live) = get(port, &format!("/thong-ke.json?bai={id}"), "Mozilla/5.0 D").unwrap();
    assert!(live.contains("\"views\":3"), "after restart: {live}");
    assert!(live.contains("\"total\":3"), "after restart: {live}");
    let (_, page) = get(port, &article, "Mozilla/5.0 D").unwrap();
    assert!(
        page.contains("Lượt xem: <strong data-live=\"views\""),
        "{page}"
    );
    assert_eq!(between(&page, &format!("data-article=\"{id}\">"), "<"), "3");
}
