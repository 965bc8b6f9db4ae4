//! The real binary against slow, idle and piled-up connections: each is closed in
//! its time, one address cannot take every place, and another visitor is served.
#![cfg(unix)]

mod common;

use common::{Server, connect_from, free_port, get, get_from};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Reads until the server closes the connection: what it sent, and when it closed
/// (`None` when it was still open after `wait`).
fn until_closed(s: &mut TcpStream, wait: Duration) -> (String, Option<Duration>) {
    let started = Instant::now();
    s.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => {
                return (
                    String::from_utf8_lossy(&got).into_owned(),
                    Some(started.elapsed()),
                );
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
            // A reset is a close too.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (
                    String::from_utf8_lossy(&got).into_owned(),
                    Some(started.elapsed()),
                );
            }
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), None),
        }
        if started.elapsed() > wait {
            return (String::from_utf8_lossy(&got).into_owned(), None);
        }
    }
}

#[test]
fn slow_heads_idle_connections_and_dripping_clients_are_closed_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = Server::start_with(
        dir.path(),
        port,
        &[
            ("EDUPORTAL_SERVER__HEADER_TIMEOUT_SECONDS", "1"),
            ("EDUPORTAL_SERVER__KEEPALIVE_SECONDS", "2"),
        ],
    );
    let wait = Duration::from_secs(15);

    // Connects and says nothing: closed after the head's time.
    let mut silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (_, closed) = until_closed(&mut silent, wait);
    assert!(closed.is_some(), "a silent connection is closed");

    // Half a head, then nothing.
    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: local").unwrap();
    let (_, closed) = until_closed(&mut half, wait);
    assert!(closed.is_some(), "a half-sent head is closed");

    // A head dripped a byte at a time: its time runs from the first byte, so
    // dripping does not keep it open.
    let mut drip = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let started = Instant::now();
    let mut dripped_out = false;
    for b in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Cham: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
        if drip.write_all(&[*b]).is_err() {
            dripped_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let closed_after = started.elapsed();
    if !dripped_out {
        dripped_out = until_closed(&mut drip, wait).1.is_some();
    }
    assert!(dripped_out, "the dripping client is closed");
    assert!(closed_after < Duration::from_secs(12), "{closed_after:?}");

    // A kept-alive connection: answered, then closed once idle.
    let mut kept = TcpStream::connect(("127.0.0.1", port)).unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let (answer, closed) = until_closed(&mut kept, wait);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed.is_some(), "an idle kept-alive connection is closed");

    // Through all this, a normal visitor is served.
    assert_eq!(get(port, "/", "Mozilla/5.0").unwrap().0, 200);
}

#[test]
fn one_address_holding_connections_cannot_keep_another_visitor_out() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = Server::start_with(
        dir.path(),
        port,
        &[
            ("EDUPORTAL_SERVER__MAX_CONNECTIONS_PER_ADDRESS", "50"),
            ("EDUPORTAL_SERVER__HEADER_TIMEOUT_SECONDS", "60"),
        ],
    );
    // 300 connections from 127.0.0.1, each with half a head, held open.
    let mut held = Vec::new();
    for _ in 0..300 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Cham: ");
        held.push(s);
    }
    // Another address is served, every time, while they are held.
    for _ in 0..20 {
        let (status, body) = get_from("127.0.0.2", port, "/", "Mozilla/5.0 khach").unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("</html>"));
    }
    // Those past the address's share were told to come back later, not queued.
    let mut busy = 0;
    for s in &mut held {
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut buf = [0u8; 512];
        if let Ok(n) = s.read(&mut buf) {
            let text = String::from_utf8_lossy(&buf[..n]);
            if text.starts_with("HTTP/1.1 503") {
                assert!(text.contains("Retry-After: 5"), "{text}");
                busy += 1;
            }
        }
    }
    assert!(busy >= 240, "only {busy} of 300 were refused with 503");
    drop(held);
    // The places come back once they are gone.
    let mut s = connect_from("127.0.0.1", port).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let started = Instant::now();
    loop {
        let (answer, _) = until_closed(&mut s, Duration::from_secs(10));
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        // Closing 300 sockets takes the server a moment.
        assert!(started.elapsed() < Duration::from_secs(10), "{answer}");
        std::thread::sleep(Duration::from_millis(100));
        s = connect_from("127.0.0.1", port).unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
    }
}

#[test]
fn the_open_files_limit_is_raised_to_the_hard_limit_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = dir.path().join("server.log");
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c").arg(format!(
        "ulimit -Sn 256 && exec '{}' serve --listen 127.0.0.1:{port} >'{}' 2>&1",
        env!("CARGO_BIN_EXE_eduportal"),
        log.display()
    ));
    let server = Server::spawn(cmd, dir.path(), port, &[("EDUPORTAL_LOG", "info")]);
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.0.id())).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    let numbers: Vec<&str> = line.split_whitespace().skip(3).take(2).collect();
    assert_eq!(
        numbers[0], numbers[1],
        "soft limit raised to the hard one: {line}"
    );
    // Without the colours the log may carry.
    let logged: String = std::fs::read_to_string(&log)
        .unwrap()
        .split('\x1b')
        .map(|part| {
            part.split_once('m')
                .filter(|_| part.starts_with('['))
                .map_or(part, |(_, rest)| rest)
        })
        .collect();
    assert!(
        logged.contains(&format!("open_files={}", numbers[0])),
        "{logged}"
    );
}
