//! The real binary, started on a free port over a folder of its own, and a plain
//! HTTP/1.1 client for it.
#![allow(
    dead_code,
    reason = "each test binary uses its own part of these helpers"
)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A connection to the server from a loopback address of our choice
/// (127.0.0.2 is "another visitor" to a server that sees 127.0.0.1 attack).
pub fn connect_from(source: &str, port: u16) -> std::io::Result<TcpStream> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime
        .block_on(async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind(format!("{source}:0").parse().unwrap())?;
            let stream = socket
                .connect(format!("127.0.0.1:{port}").parse().unwrap())
                .await?;
            stream.into_std()
        })
        .and_then(|s| {
            s.set_nonblocking(false)?;
            Ok(s)
        })
}

/// A plain HTTP/1.1 GET from 127.0.0.1: (status, body).
pub fn get(port: u16, path: &str, user_agent: &str) -> Option<(u16, String)> {
    get_from("127.0.0.1", port, path, user_agent)
}

/// A plain HTTP/1.1 GET from a given loopback address: (status, body).
pub fn get_from(source: &str, port: u16, path: &str, user_agent: &str) -> Option<(u16, String)> {
    let mut s = if source == "127.0.0.1" {
        TcpStream::connect(("127.0.0.1", port)).ok()?
    } else {
        connect_from(source, port).ok()?
    };
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

pub fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    s.split(start)
        .nth(1)
        .and_then(|r| r.split(end).next())
        .unwrap_or("")
}

pub struct Server(pub Child);

impl Server {
    /// The server on `port`, over `dir`, with settings from `env`.
    pub fn start(dir: &Path, port: u16) -> Server {
        Server::start_with(dir, port, &[])
    }

    pub fn start_with(dir: &Path, port: u16, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_eduportal"));
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")]);
        Server::spawn(cmd, dir, port, env)
    }

    /// Starts `cmd` (which runs the server) and waits until it answers.
    pub fn spawn(mut cmd: Command, dir: &Path, port: u16, env: &[(&str, &str)]) -> Server {
        let media = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("demo-media");
        cmd.current_dir(dir)
            // Only the shutdown may write the counts: the periodic flush waits an hour.
            .env("EDUPORTAL_COUNTERS__FLUSH_SECONDS", "3600")
            .env("EDUPORTAL_MEDIA__DIR", media)
            .env("EDUPORTAL_LOG", "warn")
            .stdout(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("the eduportal binary starts");
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

    /// Sends SIGTERM and waits for the exit: (status, how long it took).
    pub fn terminate(mut self) -> (ExitStatus, Duration) {
        let asked = Instant::now();
        let status = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.0.wait().unwrap();
        (exit, asked.elapsed())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
