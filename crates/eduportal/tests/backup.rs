//! `eduportal backup` and `eduportal restore` with the real binary (issue 10, items
//! 15 and 16): a backup taken while the portal serves comes back whole; a backup
//! killed half-way, or one during which the server is killed, leaves the earlier
//! backup and the database intact and nothing that passes for a backup; a damaged,
//! tampered or newer backup is refused before anything changes.
#![cfg(unix)]

mod common;

use common::{between, free_port, get as get_as};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A portal's working folder (its `data/`: database, media, search index) and the
/// address its configuration listens on. Every command runs there, configured so.
struct Portal {
    dir: tempfile::TempDir,
    port: u16,
    env: Vec<(&'static str, String)>,
}

/// What a finished command printed.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Portal {
    /// An empty folder: a new machine.
    fn empty() -> Portal {
        Portal {
            dir: tempfile::tempdir().unwrap(),
            port: free_port(),
            env: Vec::new(),
        }
    }

    /// A copy of the demo portal, as it stood when [`demo`] backed it up.
    fn demo() -> Portal {
        let portal = Portal::empty();
        copy_all(&demo().data, &portal.data());
        portal
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_eduportal"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env(
                "EDUPORTAL_SERVER__LISTEN",
                format!("127.0.0.1:{}", self.port),
            )
            // The counters write to the database every second while the tests run.
            .env("EDUPORTAL_COUNTERS__FLUSH_SECONDS", "1")
            .env("EDUPORTAL_LOG", "warn")
            .env_remove("RUST_BACKTRACE");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().unwrap();
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `eduportal backup DIR`, which must succeed: the backup made.
    fn backup(&self, dir: &Path) -> PathBuf {
        let run = self.run(&["backup", path_str(dir)]);
        assert!(run.ok, "backup failed: {}{}", run.stdout, run.stderr);
        backup_named_in(&run.stdout)
    }

    fn serve(&self) -> Server {
        let child = self
            .command(&["serve"])
            .stdout(Stdio::null())
            .spawn()
            .expect("the eduportal binary starts");
        let server = Server {
            child,
            port: self.port,
        };
        let started = Instant::now();
        while get(self.port, "/healthz").is_none_or(|(s, _)| s != 200) {
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "server did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// A bigger database (an exam session of 50.000 candidates) and 32 MB more media.
    fn grow(&self) {
        let csv = self.dir.path().join("ket-qua.csv");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        writeln!(out, "SBD,Họ và tên,Ngày sinh,Toán,Ngữ văn,Tiếng Anh").unwrap();
        for i in 0..50_000u32 {
            let (day, month) = (i % 28 + 1, i % 12 + 1);
            let score = |k: u32| f64::from((i * k) % 41) / 4.0;
            writeln!(
                out,
                "{:06},Nguyễn Văn An {i},{day:02}/{month:02}/2011,{},{},{}",
                20_000 + i,
                score(7),
                score(13),
                score(29)
            )
            .unwrap();
        }
        drop(out);
        let made = self.run(&[
            "exam",
            "create",
            "--site",
            "so",
            "--name",
            "Kỳ thi thử",
            "--school-year",
            "2026-2027",
            "--kind",
            "tuyen-sinh-10",
        ]);
        assert!(made.ok, "{}", made.stderr);
        let session = between(&made.stdout, "Đã tạo kỳ thi ", ":").to_owned();
        let imported = self.run(&[
            "exam",
            "import",
            "ket-qua.csv",
            "--session",
            &session,
            "--yes",
        ]);
        assert!(imported.ok, "{}", imported.stderr);
        let big = self.data().join("media/lon");
        std::fs::create_dir_all(&big).unwrap();
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for n in 0..16 {
            let bytes: Vec<u8> = (0..2 << 20)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            std::fs::write(big.join(format!("tep-{n}.bin")), bytes).unwrap();
        }
    }

    /// The exam sessions, as `eduportal exam list` shows them.
    fn exams(&self) -> String {
        let run = self.run(&["exam", "list"]);
        assert!(run.ok, "{}", run.stderr);
        run.stdout
    }
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// SIGTERM, and a clean exit.
    fn stop(mut self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        assert!(self.child.wait().unwrap().success());
    }

    /// SIGKILL: the machine's plug pulled, as far as the database can tell.
    fn kill(mut self) {
        self.child.kill().unwrap();
        let status = self.child.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "{status}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Visitors reading articles until dropped, so the server writes its counters
/// to the database every second while a backup runs.
struct Readers(Arc<AtomicBool>, Option<std::thread::JoinHandle<usize>>);

impl Readers {
    fn start(port: u16, article: String) -> Readers {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut n = 0;
            while !flag.load(Ordering::Relaxed) {
                let _ = get_as(port, &article, &format!("Mozilla/5.0 reader {n}"));
                n += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            n
        });
        Readers(stop, Some(thread))
    }
}

impl Drop for Readers {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        if let Some(t) = self.1.take() {
            let _ = t.join();
        }
    }
}

/// The demo portal made once for this file: served once (which loads the demo),
/// backed up while serving, stopped. Tests copy its data and its backup.
struct Demo {
    data: PathBuf,
    backup: PathBuf,
    article: String,
    article_title: String,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("backup-demo");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let portal = Portal::empty();
        let server = portal.serve();
        let (_, category) = get(portal.port, "/tin-tuc/tin-giao-duc").unwrap();
        let article = between(&category, "<h2 class=\"card-title\"><a href=\"", "\"").to_owned();
        let (status, page) = get(portal.port, &article).unwrap();
        assert_eq!(status, 200, "{article}");
        let article_title = between(&page, "<h1", "</h1>")
            .split_once('>')
            .map(|(_, t)| t.trim().to_owned())
            .unwrap();
        let backup = portal.backup(&root.join("backups"));
        server.stop();
        copy_all(&portal.data(), &root.join("data"));
        Demo {
            data: root.join("data"),
            backup,
            article,
            article_title,
        }
    })
}

/// `cp -a`: the tests' own copies of folders.
fn copy_all(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "cp -a {} {}",
        from.display(),
        to.display()
    );
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    get_as(port, path, "Mozilla/5.0 test")
}

fn backup_named_in(stdout: &str) -> PathBuf {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Đã sao lưu vào "))
        .unwrap_or_else(|| panic!("no backup named in: {stdout}"));
    PathBuf::from(line.trim())
}

/// The complete backups in `dir` (what a listing or a retention script sees).
fn complete_backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("eduportal-")
        })
        .collect();
    found.sort();
    found
}

/// The unfinished backup folders in `dir`.
fn partial_backups(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().ends_with(".partial"))
                .collect()
        })
        .unwrap_or_default()
}

fn sha256_of(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir`, relative, with its SHA-256: what "unchanged" means.
fn fingerprint(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, sha256_of(&p)));
            }
        }
    }
    out.sort();
    out
}

fn manifest(backup: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(backup.join("manifest.json")).unwrap()).unwrap()
}

/// `PRAGMA integrity_check` and the schema level of a SQLite file.
fn check_database(file: &Path) -> store::SqliteFileCheck {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(store::check_sqlite_file(file))
        .unwrap()
}

/// The portal answers the article, finds it by its title, and serves its media.
fn assert_serves_the_demo(portal: &Portal) {
    let demo = demo();
    let server = portal.serve();
    let (status, page) = get(portal.port, &demo.article).unwrap();
    assert_eq!(status, 200);
    assert!(page.contains(&demo.article_title));
    let query = demo
        .article_title
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    let (status, found) = get(portal.port, &format!("/tim-kiem?q={}", encode(&query))).unwrap();
    assert_eq!(status, 200);
    assert!(
        found.contains(&format!("href=\"{}\"", demo.article)),
        "the search index was rebuilt: {query} finds {}",
        demo.article
    );
    let logo = "/media/demo/so/logo.png";
    let (status, _) = get(portal.port, logo).unwrap();
    assert_eq!(status, 200, "{logo}");
    server.stop();
}

#[test]
fn a_backup_taken_while_serving_lists_every_file_with_its_checksum() {
    let demo = demo();
    let m = manifest(&demo.backup);
    assert_eq!(m["program"], "eduportal");
    assert_eq!(m["program_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["database"], "sqlite");
    assert_eq!(
        m["schema_version"],
        store::latest_schema_version(store::Backend::Sqlite)
    );
    let name = demo.backup.file_name().unwrap().to_string_lossy();
    assert!(
        name.len() == "eduportal-20260614-020000".len() && name.starts_with("eduportal-20"),
        "{name}"
    );
    let files = m["files"].as_array().unwrap();
    assert_eq!(files[0]["path"], "eduportal.db");
    let media = files
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("media/"))
        .count();
    assert_eq!(
        media,
        fingerprint(&demo.data.join("media")).len(),
        "every media file"
    );
    for f in files {
        let path = demo.backup.join(f["path"].as_str().unwrap());
        assert_eq!(f["sha256"], sha256_of(&path), "{}", path.display());
        assert_eq!(f["size"], std::fs::metadata(&path).unwrap().len());
    }
    let copy = check_database(&demo.backup.join("eduportal.db"));
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    assert!(
        !demo.backup.join("eduportal.db-wal").exists(),
        "a copy needs no WAL"
    );
}

#[test]
fn restore_brings_back_the_database_media_and_search_keeping_the_old_beside() {
    let demo = demo();
    let portal = Portal::demo();
    let server = portal.serve();
    let added = portal.run(&[
        "user",
        "add",
        "sau.sao.luu",
        "--name",
        "Sau Sao Lưu",
        "--super-admin",
    ]);
    assert!(added.ok, "{}", added.stderr);
    std::fs::remove_file(portal.data().join("media/demo/so/logo.png")).unwrap();
    server.stop();

    let restored = portal.run(&["restore", path_str(&demo.backup)]);
    assert!(restored.ok, "{}{}", restored.stdout, restored.stderr);
    assert!(
        restored.stdout.contains("Đã khôi phục bản sao lưu"),
        "{}",
        restored.stdout
    );
    assert!(
        restored.stdout.contains("Đã lập chỉ mục"),
        "{}",
        restored.stdout
    );
    let users = portal.run(&["user", "list"]).stdout;
    assert!(users.contains("quantri"), "{users}");
    assert!(
        !users.contains("sau.sao.luu"),
        "the database is the backup's: {users}"
    );
    assert_serves_the_demo(&portal);

    // Nothing of before is lost: the replaced database and media stay beside.
    let kept: Vec<String> = std::fs::read_dir(portal.data())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".before-restore-"))
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    let old_db = kept.iter().find(|n| n.starts_with("eduportal.db")).unwrap();
    assert!(
        check_database(&portal.data().join(old_db))
            .problems
            .is_empty()
    );
    assert!(
        restored.stdout.contains(old_db.as_str()),
        "{}",
        restored.stdout
    );

    // And onto a new machine: an empty folder.
    let fresh = Portal::empty();
    let restored = fresh.run(&["restore", path_str(&demo.backup)]);
    assert!(restored.ok, "{}{}", restored.stdout, restored.stderr);
    // The restore built the index itself (a server would build a missing one too).
    assert!(
        fresh.data().join("search/outbox-position").is_file(),
        "{}",
        restored.stdout
    );
    assert!(
        restored.stdout.contains("Đã lập chỉ mục 133 bài"),
        "every public article of the demo (131, and the two that `serve` re-publishes): {}",
        restored.stdout
    );
    assert_serves_the_demo(&fresh);
}

/// A restore that fails must leave the portal's files exactly as they were.
fn assert_refused(portal: &Portal, backup: &Path, expected: &[&str]) {
    let before = fingerprint(&portal.data());
    let run = portal.run(&["restore", path_str(backup)]);
    assert!(!run.ok, "restored {}: {}", backup.display(), run.stdout);
    for text in expected {
        assert!(
            run.stderr.contains(text),
            "expected {text:?} in: {}",
            run.stderr
        );
    }
    assert_eq!(fingerprint(&portal.data()), before, "nothing changed");
}

#[test]
fn restore_refuses_a_damaged_or_tampered_backup_and_changes_nothing() {
    let demo = demo();
    let portal = Portal::demo();
    let scratch = tempfile::tempdir().unwrap();
    let copy = |name: &str| {
        let to = scratch.path().join(name);
        copy_all(&demo.backup, &to);
        to
    };
    let flip = |file: &Path| {
        let mut bytes = std::fs::read(file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(file, bytes).unwrap();
    };

    let one_byte_in_db = copy("db");
    flip(&one_byte_in_db.join("eduportal.db"));
    assert_refused(
        &portal,
        &one_byte_in_db,
        &[
            "bị hỏng hoặc đã bị sửa",
            "eduportal.db: mã kiểm tra SHA-256 không khớp",
        ],
    );

    let one_byte_in_photo = copy("photo");
    flip(&one_byte_in_photo.join("media/demo/so/logo.png"));
    assert_refused(
        &portal,
        &one_byte_in_photo,
        &["media/demo/so/logo.png: mã kiểm tra SHA-256 không khớp"],
    );

    let cut = copy("cut");
    let logo = cut.join("media/demo/so/logo.png");
    let len = std::fs::metadata(&logo).unwrap().len();
    std::fs::File::options()
        .write(true)
        .open(&logo)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    assert_refused(&portal, &cut, &["media/demo/so/logo.png:", "bản kê ghi"]);

    let missing = copy("missing");
    std::fs::remove_file(missing.join("media/demo/so/logo.png")).unwrap();
    assert_refused(&portal, &missing, &["media/demo/so/logo.png: thiếu tệp"]);

    let escaping = copy("escaping");
    let mut m = manifest(&escaping);
    m["files"][1]["path"] = "../../etc/passwd".into();
    std::fs::write(escaping.join("manifest.json"), m.to_string()).unwrap();
    assert_refused(&portal, &escaping, &["đường dẫn không hợp lệ"]);

    let unfinished = copy(".eduportal-20260614-020000-1234.partial");
    std::fs::remove_file(unfinished.join("manifest.json")).unwrap();
    assert_refused(
        &portal,
        &unfinished,
        &["không phải một bản sao lưu hoàn chỉnh"],
    );
    // The folder of backups itself points at the newest one.
    assert_refused(
        &portal,
        demo.backup.parent().unwrap(),
        &["bản mới nhất là", path_str(&demo.backup)],
    );
}

#[test]
fn restore_refuses_a_backup_newer_than_the_program_or_its_schema() {
    let demo = demo();
    let portal = Portal::demo();
    let scratch = tempfile::tempdir().unwrap();
    let latest = store::latest_schema_version(store::Backend::Sqlite);
    let cases: [(&str, serde_json::Value, String); 3] = [
        (
            "program_version",
            "99.0.0".into(),
            "bản sao lưu được tạo bởi eduportal 99.0.0, mới hơn chương trình này".into(),
        ),
        (
            "schema_version",
            (latest + 1).into(),
            format!(
                "cấu trúc số {}, mới hơn cấu trúc chương trình này biết",
                latest + 1
            ),
        ),
        ("format", 2.into(), "định dạng số 2".into()),
    ];
    for (field, value, message) in cases {
        let backup = scratch.path().join(field);
        copy_all(&demo.backup, &backup);
        let mut m = manifest(&backup);
        m[field] = value;
        std::fs::write(backup.join("manifest.json"), m.to_string()).unwrap();
        // The files still match their checksums: only the versions are refused.
        let check = portal.run(&["restore", "--check", path_str(&backup)]);
        assert!(!check.ok);
        assert!(check.stderr.contains(&message), "{}", check.stderr);
        assert_refused(&portal, &backup, &[&message]);
    }
}

#[test]
fn restore_refuses_while_the_server_runs() {
    let demo = demo();
    let portal = Portal::demo();
    let server = portal.serve();
    let refused = |run: std::process::Output, message: &str| {
        assert!(!run.status.success());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(message), "{stderr}");
        let touched: Vec<String> = std::fs::read_dir(portal.data())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("restore"))
            .collect();
        assert!(touched.is_empty(), "nothing was put in place: {touched:?}");
    };
    refused(
        portal
            .command(&["restore", path_str(&demo.backup)])
            .output()
            .unwrap(),
        "máy chủ eduportal đang chạy",
    );
    // Configured for another address, the restore still finds the database open.
    refused(
        portal
            .command(&["restore", path_str(&demo.backup)])
            .env(
                "EDUPORTAL_SERVER__LISTEN",
                format!("127.0.0.1:{}", free_port()),
            )
            .output()
            .unwrap(),
        "đang được một chương trình khác mở",
    );
    assert_eq!(get(server.port, &demo.article).unwrap().0, 200);
    server.stop();
    assert!(
        check_database(&portal.data().join("eduportal.db"))
            .problems
            .is_empty()
    );
}

/// Waits until `ready` holds for an unfinished backup folder of `dir` (then
/// returns it), failing if the backup ends first.
fn wait_for_partial(dir: &Path, backup: &mut Child, ready: impl Fn(&Path) -> bool) -> PathBuf {
    let started = Instant::now();
    loop {
        if let Some(p) = partial_backups(dir).into_iter().find(|p| ready(p)) {
            return p;
        }
        assert!(
            backup.try_wait().unwrap().is_none(),
            "the backup ended before it could be interrupted"
        );
        assert!(started.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn killing_a_backup_midway_leaves_the_earlier_backup_and_the_database_intact() {
    let demo = demo();
    let portal = Portal::demo();
    let backups = tempfile::tempdir().unwrap();
    let server = portal.serve();
    let readers = Readers::start(portal.port, demo.article.clone());
    let first = portal.backup(backups.path());
    portal.grow();

    // Killed as soon as it starts, and again once the database is copied and the
    // media are on their way.
    type Ready = fn(&Path) -> bool;
    let stages: [(&str, Ready); 2] = [
        ("started", |_| true),
        ("copying media", |p| p.join("media").is_dir()),
    ];
    for (stage, ready) in stages {
        let mut backup = portal
            .command(&["backup", path_str(backups.path())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let partial = wait_for_partial(backups.path(), &mut backup, ready);
        backup.kill().unwrap();
        let status = backup.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "killed while {stage}");
        assert!(
            partial.exists(),
            "{stage}: the unfinished folder stays, named so"
        );
        assert!(!partial.join("manifest.json").exists(), "{stage}");
        assert_eq!(
            complete_backups(backups.path()),
            vec![first.clone()],
            "{stage}: nothing new passes for a backup"
        );
        let check = portal.run(&["restore", "--check", path_str(&partial)]);
        assert!(!check.ok, "{stage}");
        assert!(
            check
                .stderr
                .contains("không phải một bản sao lưu hoàn chỉnh"),
            "{stage}: {}",
            check.stderr
        );
    }

    // The earlier backup is whole.
    let check = portal.run(&["restore", "--check", path_str(&first)]);
    assert!(check.ok, "{}", check.stderr);
    assert!(check.stdout.contains("dùng được"), "{}", check.stdout);

    // The live database went on being served and written.
    assert_eq!(get(portal.port, &demo.article).unwrap().0, 200);
    assert!(portal.exams().contains("50.000 thí sinh"));
    // A later backup works, and names what the killed ones left.
    let again = portal.run(&["backup", path_str(backups.path())]);
    assert!(again.ok, "{}", again.stderr);
    assert!(again.stderr.contains("dở dang"), "{}", again.stderr);
    let second = backup_named_in(&again.stdout);
    assert_eq!(
        complete_backups(backups.path()),
        vec![first.clone(), second]
    );
    drop(readers);
    server.stop();
    let live = check_database(&portal.data().join("eduportal.db"));
    assert!(live.problems.is_empty(), "{:?}", live.problems);

    // The earlier backup restores onto a new machine and serves the demo.
    let elsewhere = Portal::empty();
    let restored = elsewhere.run(&["restore", path_str(&first)]);
    assert!(restored.ok, "{}", restored.stderr);
    assert_serves_the_demo(&elsewhere);
}

#[test]
fn killing_the_server_during_a_backup_leaves_the_backup_and_the_database_intact() {
    let demo = demo();
    let portal = Portal::demo();
    let backups = tempfile::tempdir().unwrap();
    let server = portal.serve();
    let readers = Readers::start(portal.port, demo.article.clone());
    let first = portal.backup(backups.path());
    portal.grow();

    let mut backup = portal
        .command(&["backup", path_str(backups.path())])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The server dies while the database is being copied from under it.
    wait_for_partial(backups.path(), &mut backup, |p| {
        p.join("eduportal.db").exists()
    });
    server.kill();
    drop(readers);
    let out = backup.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the backup finishes without the server: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = backup_named_in(&stdout);
    assert_eq!(
        complete_backups(backups.path()),
        vec![first.clone(), second.clone()]
    );
    assert!(partial_backups(backups.path()).is_empty());
    for b in [&first, &second] {
        let check = portal.run(&["restore", "--check", path_str(b)]);
        assert!(check.ok, "{}: {}", b.display(), check.stderr);
    }

    // The database the server was writing when it died: sound, and it starts.
    let live = check_database(&portal.data().join("eduportal.db"));
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    let server = portal.serve();
    assert_eq!(get(portal.port, &demo.article).unwrap().0, 200);
    assert!(portal.exams().contains("50.000 thí sinh"));
    server.stop();

    // The backup holds the bigger database, and restores it elsewhere.
    let elsewhere = Portal::empty();
    let restored = elsewhere.run(&["restore", path_str(&second)]);
    assert!(restored.ok, "{}", restored.stderr);
    assert!(elsewhere.exams().contains("50.000 thí sinh"));
    assert_serves_the_demo(&elsewhere);
}

#[test]
fn on_postgres_backup_and_restore_carry_the_media_and_name_pg_dump() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = runtime
        .block_on(store::testing::fresh_postgres_url())
        .unwrap()
    else {
        eprintln!("skipped: EDUPORTAL_TEST_DATABASE_URL is not set");
        return;
    };
    let mut portal = Portal::empty();
    portal.env.push(("EDUPORTAL_DATABASE__URL", url));
    assert!(portal.run(&["migrate"]).ok);
    let photo = portal.data().join("media/tai-len/1/2026/06/anh.jpg");
    std::fs::create_dir_all(photo.parent().unwrap()).unwrap();
    std::fs::write(&photo, b"not really a photo").unwrap();
    let backups = tempfile::tempdir().unwrap();

    let run = portal.run(&["backup", path_str(backups.path())]);
    assert!(run.ok, "{}", run.stderr);
    let backup = backup_named_in(&run.stdout);
    let dump_line = format!(
        "pg_dump --format=custom --file='{}/database.pgdump'",
        backup.display()
    );
    assert!(run.stdout.contains(&dump_line), "{}", run.stdout);
    let m = manifest(&backup);
    assert_eq!(m["database"], "postgres");
    assert_eq!(
        m["schema_version"],
        store::latest_schema_version(store::Backend::Postgres)
    );
    let paths: Vec<&str> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["media/tai-len/1/2026/06/anh.jpg"]);

    std::fs::remove_file(&photo).unwrap();
    std::fs::create_dir_all(portal.data().join("search")).unwrap();
    let run = portal.run(&["restore", path_str(&backup)]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("pg_restore --clean --if-exists --no-owner --dbname="),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read(&photo).unwrap(), b"not really a photo");
    assert!(
        !portal.data().join("search").exists(),
        "the index is built again at start"
    );
}
