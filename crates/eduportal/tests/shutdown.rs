//! The real binary, stopped with SIGTERM and started again: no count is lost.
#![cfg(unix)]

mod common;

use common::{Server, between, free_port, get};
use std::io::Write;
use std::time::Duration;

#[test]
fn sigterm_writes_the_counts_and_a_restart_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Server::start(dir.path(), port);
    let (_, category) = get(port, "/tin-tuc/tin-giao-duc", "Mozilla/5.0 A").unwrap();
    let article = between(&category, "<h2 class=\"card-title\"><a href=\"", "\"").to_owned();
    let mut id = String::new();
    for reader in ["Mozilla/5.0 A", "Mozilla/5.0 B", "Mozilla/5.0 C"] {
        let (status, page) = get(port, &article, reader).unwrap();
        assert_eq!(status, 200);
        id = between(&page, "data-article=\"", "\"").to_owned();
    }
    let (_, live) = get(port, &format!("/thong-ke.json?bai={id}"), "Mozilla/5.0 A").unwrap();
    assert!(live.contains("\"views\":3"), "{live}");
    let (exit, _) = server.terminate();
    assert!(exit.success(), "clean exit on SIGTERM, got {exit}");

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

#[test]
fn sigterm_with_a_half_sent_request_stops_within_the_grace_time_and_writes_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let env = [
        ("EDUPORTAL_SERVER__SHUTDOWN_GRACE_SECONDS", "2"),
        // Long enough that only the grace time can end the half-sent request.
        ("EDUPORTAL_SERVER__HEADER_TIMEOUT_SECONDS", "600"),
        ("EDUPORTAL_SERVER__KEEPALIVE_SECONDS", "600"),
    ];
    let server = Server::start_with(dir.path(), port, &env);
    let (_, category) = get(port, "/tin-tuc/tin-giao-duc", "Mozilla/5.0 A").unwrap();
    let article = between(&category, "<h2 class=\"card-title\"><a href=\"", "\"").to_owned();
    let (_, page) = get(port, &article, "Mozilla/5.0 B").unwrap();
    let id = between(&page, "data-article=\"", "\"").to_owned();
    // A request whose head never ends, and a form whose body never comes.
    let mut half = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Cham: ")
        .unwrap();
    let mut upload = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    upload
        .write_all(b"POST /quan-tri/dang-nhap HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ncsrf=")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let (exit, took) = server.terminate();
    assert!(exit.success(), "clean exit on SIGTERM, got {exit}");
    assert!(
        took < Duration::from_secs(2 + 8),
        "stopped in {took:?}, past the grace time of 2 s"
    );
    drop((half, upload));

    let port = free_port();
    let _server = Server::start(dir.path(), port);
    let (_, live) = get(port, &format!("/thong-ke.json?bai={id}"), "Mozilla/5.0 C").unwrap();
    assert!(
        live.contains("\"views\":1"),
        "the count was written: {live}"
    );
}
