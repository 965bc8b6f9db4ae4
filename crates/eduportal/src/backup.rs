//! `eduportal backup DIR` and `eduportal restore SNAPSHOT`.
//!
//! A backup is a folder `DIR/eduportal-YYYYMMDD-HHMMSS` (Vietnamese time) holding
//! a consistent copy of the SQLite database (`VACUUM INTO`, taken while the
//! portal runs), the media folder, and `manifest.json`: program version, schema
//! level, database kind, time, and every file with its size and SHA-256. It is
//! written in a hidden `.eduportal-….partial` folder beside it, synced, and
//! renamed into place only when complete, so an interrupted backup never looks
//! like a good one and never touches an earlier one.
//!
//! A restore checks every file against the manifest and refuses a snapshot
//! newer than this program before it changes anything; then it puts the
//! database and the media folder in place, each by a rename, keeping the old
//! ones beside them. The caller rebuilds the search index.
//!
//! On PostgreSQL the database is not copied: the folder holds the media and the
//! manifest, and the user is told the `pg_dump` (and `pg_restore`) line.

use crate::config::Config;
use anyhow::{Context, bail, ensure};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use store::{Backend, Store, StoreOptions};

/// The manifest's name inside a backup.
const MANIFEST: &str = "manifest.json";
/// The manifest layout this program writes and reads.
const FORMAT: u32 = 1;
/// The copy of a SQLite database inside a backup.
const DATABASE_FILE: &str = "eduportal.db";
/// Where the printed `pg_dump` line writes, inside a backup.
const PG_DUMP_FILE: &str = "database.pgdump";
/// The media folder inside a backup.
const MEDIA: &str = "media";
/// Complete backups are named `eduportal-YYYYMMDD-HHMMSS`.
const PREFIX: &str = "eduportal-";
/// Unfinished ones end so, and start with a dot.
const PARTIAL: &str = ".partial";

/// `manifest.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: u32,
    program: String,
    program_version: String,
    /// The latest migration applied to the database copied.
    schema_version: i64,
    /// "sqlite" or "postgres".
    database: String,
    /// RFC 3339, Vietnamese time.
    created_at: String,
    created_unix: i64,
    files: Vec<FileEntry>,
}

/// One file of a backup; `path` is relative, with `/` between folders.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    path: String,
    size: u64,
    sha256: String,
}

/// What `restore` did, so that the caller knows what is left to do.
pub enum Restored {
    /// `--check`: nothing changed.
    Checked,
    /// The SQLite database was replaced: the search index is to be rebuilt.
    Sqlite,
    /// The media were replaced; the PostgreSQL database is the user's to restore.
    Postgres,
}

fn backend_of(url: &str) -> anyhow::Result<Backend> {
    if store::sqlite_file(url).is_some() {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        bail!("địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres://")
    }
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// `eduportal backup DIR`.
pub async fn backup(config: &Config, dir: &Path, now: i64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let backend = backend_of(&config.database.url)?;
    if let Some(file) = store::sqlite_file(&config.database.url) {
        ensure!(
            file.is_file(),
            "không có cơ sở dữ liệu {} để sao lưu",
            file.display()
        );
    }
    fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục sao lưu {}", dir.display()))?;
    // A backup inside the media folder would copy itself, without end.
    if let (Ok(inside), Ok(media)) = (dir.canonicalize(), config.media.dir.canonicalize())
        && inside.starts_with(&media)
    {
        let _ = fs::remove_dir(dir); // only if just made, and so empty
        bail!(
            "thư mục sao lưu {} nằm trong thư mục tệp {}; hãy chọn thư mục khác",
            dir.display(),
            config.media.dir.display()
        );
    }
    for left in partial_folders(dir) {
        eprintln!(
            "Lưu ý: {} là phần dở dang của một lần sao lưu bị ngắt (hoặc đang chạy), không phải bản sao lưu; có thể xóa.",
            left.display()
        );
    }
    let name = format!("{PREFIX}{}", vntext::local(now).strftime("%Y%m%d-%H%M%S"));
    let work = dir.join(format!(".{name}-{}{PARTIAL}", std::process::id()));
    fs::create_dir(&work).with_context(|| format!("không tạo được {}", work.display()))?;
    let manifest = match fill(config, backend, &work, now).await {
        Ok(m) => m,
        Err(e) => {
            // Nothing half-written stays behind when the failure is ours; a kill
            // leaves the folder, which the name marks as unfinished.
            let _ = fs::remove_dir_all(&work);
            return Err(e);
        }
    };
    let target = free_name(dir, &name);
    fs::rename(&work, &target).with_context(|| {
        format!(
            "không đổi tên được {} thành {}",
            work.display(),
            target.display()
        )
    })?;
    sync_dir(dir)?;

    let db_bytes: u64 = manifest
        .files
        .iter()
        .filter(|f| f.path == DATABASE_FILE)
        .map(|f| f.size)
        .sum();
    let media: Vec<&FileEntry> = manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with("media/"))
        .collect();
    let media_bytes: u64 = media.iter().map(|f| f.size).sum();
    println!("Đã sao lưu vào {}", target.display());
    if backend == Backend::Sqlite {
        println!("  cơ sở dữ liệu: {}", megabytes(db_bytes));
    }
    println!(
        "  thư mục tệp: {} tệp, {}",
        vntext::format_number(media.len() as i64),
        megabytes(media_bytes)
    );
    println!(
        "  cấu trúc cơ sở dữ liệu số {}; {} giây",
        manifest.schema_version,
        format!("{:.1}", started.elapsed().as_secs_f64()).replace('.', ",")
    );
    if backend == Backend::Postgres {
        let (url, had_password) = without_password(&config.database.url);
        println!(
            "Cơ sở dữ liệu PostgreSQL không nằm trong bản sao lưu này; hãy sao lưu nó bằng pg_dump:"
        );
        println!(
            "  pg_dump --format=custom --file={} {}",
            shell_quote(&target.join(PG_DUMP_FILE).display().to_string()),
            shell_quote(&url)
        );
        if had_password {
            println!("  (mật khẩu: đặt trong ~/.pgpass hoặc biến PGPASSWORD)");
        }
    }
    Ok(())
}

/// Writes the database copy, the media and the manifest into `work`, each file
/// synced, then the folder itself.
async fn fill(
    config: &Config,
    backend: Backend,
    work: &Path,
    now: i64,
) -> anyhow::Result<Manifest> {
    let store = Store::connect(&StoreOptions {
        url: config.database.url.clone(),
        max_connections: 1,
    })
    .await
    .with_context(|| format!("không mở được cơ sở dữ liệu {}", config.database.url))?;
    let mut files = Vec::new();
    let schema_version = match backend {
        Backend::Sqlite => {
            let copy = work.join(DATABASE_FILE);
            let made = store.snapshot_sqlite(&copy).await;
            store.close().await;
            made.context("không sao chép được cơ sở dữ liệu (VACUUM INTO)")?;
            let check = store::check_sqlite_file(&copy)
                .await
                .context("không đọc lại được bản sao cơ sở dữ liệu")?;
            ensure!(
                check.problems.is_empty(),
                "bản sao cơ sở dữ liệu không toàn vẹn: {}",
                check.problems.join("; ")
            );
            let (size, sha256) = hash_file(&copy, true)?;
            files.push(FileEntry {
                path: DATABASE_FILE.into(),
                size,
                sha256,
            });
            check.schema_version
        }
        Backend::Postgres => {
            let version = store.schema_version().await;
            store.close().await;
            version.context("không đọc được phiên bản cấu trúc cơ sở dữ liệu")?
        }
    };
    // After the database: every file it names was written before its copy was
    // taken (uploads are never changed or removed), so the media copy has them.
    let media_dir = &config.media.dir;
    if media_dir.is_dir() {
        copy_tree(media_dir, &work.join(MEDIA), MEDIA, &mut files)?;
    }
    let manifest = Manifest {
        format: FORMAT,
        program: "eduportal".into(),
        program_version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
        database: backend_name(backend).into(),
        created_at: vntext::local(now)
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        created_unix: now,
        files,
    };
    let path = work.join(MANIFEST);
    let mut out =
        File::create_new(&path).with_context(|| format!("không ghi được {}", path.display()))?;
    serde_json::to_writer_pretty(&mut out, &manifest)?;
    out.write_all(b"\n")?;
    out.sync_all()?;
    sync_dir(work)?;
    Ok(manifest)
}

/// Copies the files under `from` into `to`, recording each as `prefix/…`, and
/// syncs every file and folder made. Files an upload is still writing
/// (`.name.part`, renamed when complete) are left out.
fn copy_tree(
    from: &Path,
    to: &Path,
    prefix: &str,
    files: &mut Vec<FileEntry>,
) -> anyhow::Result<()> {
    fs::create_dir(to).with_context(|| format!("không tạo được {}", to.display()))?;
    let mut entries = fs::read_dir(from)
        .with_context(|| format!("không đọc được thư mục {}", from.display()))?
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            bail!(
                "tên tệp không đọc được (không phải UTF-8): {}",
                entry.path().display()
            );
        };
        if name.starts_with('.') && name.ends_with(".part") {
            continue;
        }
        let kind = entry.file_type()?;
        let relative = format!("{prefix}/{name}");
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(name), &relative, files)?;
        } else if kind.is_file() {
            let (size, sha256) = copy_file(&entry.path(), &to.join(name), None)?;
            files.push(FileEntry {
                path: relative,
                size,
                sha256,
            });
        } else {
            eprintln!("Bỏ qua {} (không phải tệp thường).", entry.path().display());
        }
    }
    sync_dir(to)
}

/// Copies one file, hashing it on the way, and syncs the copy. With `expect`,
/// a copy that differs from it is an error (the source changed or is damaged).
fn copy_file(from: &Path, to: &Path, expect: Option<&FileEntry>) -> anyhow::Result<(u64, String)> {
    let mut input =
        File::open(from).with_context(|| format!("không mở được {}", from.display()))?;
    let mut output =
        File::create_new(to).with_context(|| format!("không tạo được {}", to.display()))?;
    let (size, sha256) = hash_stream(&mut input, Some(&mut output))
        .with_context(|| format!("không chép được {} sang {}", from.display(), to.display()))?;
    output.sync_all()?;
    if let Some(entry) = expect {
        ensure!(
            size == entry.size && sha256 == entry.sha256,
            "{} đã thay đổi trong lúc khôi phục (mã kiểm tra SHA-256 không khớp)",
            from.display()
        );
    }
    Ok((size, sha256))
}

/// The size and SHA-256 of a file; with `sync`, also flushed to disk (SQLite
/// leaves the `VACUUM INTO` copy unsynced).
fn hash_file(path: &Path, sync: bool) -> anyhow::Result<(u64, String)> {
    let mut file = File::open(path).with_context(|| format!("không mở được {}", path.display()))?;
    let hashed = hash_stream(&mut file, None)
        .with_context(|| format!("không đọc được {}", path.display()))?;
    if sync {
        file.sync_all()?;
    }
    Ok(hashed)
}

fn hash_stream(input: &mut File, mut output: Option<&mut File>) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if let Some(out) = output.as_deref_mut() {
            out.write_all(&buf[..n])?;
        }
        size += n as u64;
    }
    let digest = hasher.finalize();
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((size, hex))
}

/// Makes a folder's entries (files made or renamed in it) durable.
fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("không ghi được thư mục {} xuống đĩa", dir.display()))
}

/// `dir/name`, or `dir/name-2` … when two backups start within one second.
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{name}-{n}"))
        };
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Unfinished backups in `dir`, left by a backup that was killed.
fn partial_folders(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&format!(".{PREFIX}")) && name.ends_with(PARTIAL)
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Complete backups in `dir`, oldest first.
fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name().to_string_lossy().starts_with(PREFIX) && e.path().join(MANIFEST).is_file()
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// `eduportal restore SNAPSHOT [--check]`.
pub async fn restore(
    config: &Config,
    snapshot: &Path,
    check_only: bool,
    now: i64,
) -> anyhow::Result<Restored> {
    let manifest = read_manifest(snapshot)?;
    verify_files(snapshot, &manifest)?;
    let backend = backend_of(&config.database.url)?;
    check_versions(&manifest)?;
    if check_only {
        println!(
            "Bản sao lưu {} dùng được: {} tệp khớp mã kiểm tra, tạo lúc {} bởi eduportal {}, cơ sở dữ liệu {} ở cấu trúc số {}.",
            snapshot.display(),
            vntext::format_number(manifest.files.len() as i64),
            vntext::format_datetime(manifest.created_unix),
            manifest.program_version,
            manifest.database,
            manifest.schema_version
        );
        return Ok(Restored::Checked);
    }
    ensure!(
        manifest.database == backend_name(backend),
        "bản sao lưu là của cơ sở dữ liệu {}, còn cấu hình đang dùng {}; không khôi phục",
        manifest.database,
        backend_name(backend)
    );
    ensure_server_stopped(config)?;
    let stamp = vntext::local(now).strftime("%Y%m%d-%H%M%S").to_string();
    // Both copies are made and checked before either replaces anything.
    let mut swaps = Vec::new();
    if backend == Backend::Sqlite {
        swaps.push(prepare_database(config, snapshot, &manifest, &stamp).await?);
    }
    match prepare_media(config, snapshot, &manifest, &stamp) {
        Ok(swap) => swaps.push(swap),
        Err(e) => {
            swaps.iter().for_each(Swap::abandon);
            return Err(e);
        }
    }
    let mut kept = Vec::new();
    for swap in &swaps {
        kept.extend(swap.commit()?);
    }
    println!(
        "Đã khôi phục bản sao lưu {} (tạo lúc {}).",
        snapshot.display(),
        vntext::format_datetime(manifest.created_unix)
    );
    for old in &kept {
        println!(
            "  Dữ liệu cũ được giữ ở {} (xóa khi không cần).",
            old.display()
        );
    }
    match backend {
        Backend::Sqlite => Ok(Restored::Sqlite),
        Backend::Postgres => {
            // The index follows the database it was built from; the server builds a
            // missing one at start, from the database pg_restore brings back.
            if config.search.dir.exists() {
                fs::remove_dir_all(&config.search.dir).with_context(|| {
                    format!(
                        "không xóa được chỉ mục tìm kiếm cũ {}",
                        config.search.dir.display()
                    )
                })?;
            }
            let (url, had_password) = without_password(&config.database.url);
            println!(
                "Hãy khôi phục cơ sở dữ liệu PostgreSQL bằng pg_restore, từ bản pg_dump lấy cùng lúc:"
            );
            println!(
                "  pg_restore --clean --if-exists --no-owner --dbname={} {}",
                shell_quote(&url),
                shell_quote(&snapshot.join(PG_DUMP_FILE).display().to_string())
            );
            if had_password {
                println!("  (mật khẩu: đặt trong ~/.pgpass hoặc biến PGPASSWORD)");
            }
            println!("Sau đó khởi động eduportal: chỉ mục tìm kiếm được lập lại khi khởi động.");
            Ok(Restored::Postgres)
        }
    }
}

fn read_manifest(snapshot: &Path) -> anyhow::Result<Manifest> {
    let path = snapshot.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut message = format!(
                "{} không phải một bản sao lưu hoàn chỉnh (không có {MANIFEST}).",
                snapshot.display()
            );
            if let Some(newest) = backups_in(snapshot).last() {
                message.push_str(&format!(
                    " Thư mục này chứa các bản sao lưu; bản mới nhất là {}.",
                    newest.display()
                ));
            }
            bail!(message);
        }
        Err(e) => return Err(e).with_context(|| format!("không đọc được {}", path.display())),
    };
    let manifest: Manifest = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} hỏng hoặc không đúng định dạng; không khôi phục",
            path.display()
        )
    })?;
    ensure!(
        manifest.program == "eduportal",
        "{} không phải bản kê của eduportal",
        path.display()
    );
    ensure!(
        manifest.format <= FORMAT,
        "bản sao lưu dùng định dạng số {}, mới hơn chương trình này (số {FORMAT}); hãy khôi phục bằng phiên bản eduportal mới hơn",
        manifest.format
    );
    for f in &manifest.files {
        ensure!(
            is_plain_relative(&f.path),
            "bản kê có đường dẫn không hợp lệ: {}; không khôi phục",
            f.path
        );
    }
    Ok(manifest)
}

/// A path that stays inside the backup: relative, no `..`, no root.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Every file of the manifest, read back whole: nothing is changed before all match.
fn verify_files(snapshot: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let mut bad = Vec::new();
    for f in &manifest.files {
        let path = snapshot.join(&f.path);
        match hash_file(&path, false) {
            Err(_) if !path.exists() => bad.push(format!("{}: thiếu tệp", f.path)),
            Err(e) => bad.push(format!("{}: không đọc được ({e:#})", f.path)),
            Ok((size, _)) if size != f.size => bad.push(format!(
                "{}: {} byte, bản kê ghi {} byte",
                f.path,
                vntext::format_number(size as i64),
                vntext::format_number(f.size as i64)
            )),
            Ok((_, sha)) if sha != f.sha256 => {
                bad.push(format!("{}: mã kiểm tra SHA-256 không khớp", f.path))
            }
            Ok(_) => {}
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    let shown = bad.len().min(10);
    let mut message = format!(
        "bản sao lưu {} bị hỏng hoặc đã bị sửa; không khôi phục. {} tệp không khớp:",
        snapshot.display(),
        vntext::format_number(bad.len() as i64)
    );
    for line in &bad[..shown] {
        message.push_str("\n  ");
        message.push_str(line);
    }
    if bad.len() > shown {
        message.push_str(&format!("\n  … và {} tệp khác", bad.len() - shown));
    }
    bail!(message)
}

/// Refuses a backup made by a newer program or of a newer schema.
fn check_versions(manifest: &Manifest) -> anyhow::Result<()> {
    let ours = env!("CARGO_PKG_VERSION");
    let theirs = parse_version(&manifest.program_version).with_context(|| {
        format!(
            "phiên bản không đọc được trong bản kê: {}",
            manifest.program_version
        )
    })?;
    ensure!(
        theirs <= parse_version(ours).unwrap_or_default(),
        "bản sao lưu được tạo bởi eduportal {}, mới hơn chương trình này ({ours}); hãy khôi phục bằng eduportal {} trở lên",
        manifest.program_version,
        manifest.program_version
    );
    let backend = match manifest.database.as_str() {
        "sqlite" => Backend::Sqlite,
        "postgres" => Backend::Postgres,
        other => bail!("loại cơ sở dữ liệu không rõ trong bản kê: {other}"),
    };
    let latest = store::latest_schema_version(backend);
    ensure!(
        manifest.schema_version <= latest,
        "cơ sở dữ liệu trong bản sao lưu ở cấu trúc số {}, mới hơn cấu trúc chương trình này biết (số {latest}); hãy khôi phục bằng phiên bản eduportal mới hơn",
        manifest.schema_version
    );
    Ok(())
}

/// `1.2.3` (anything after `-` or `+` ignored) as numbers to compare.
fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let core = v.trim().split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>());
    let version = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    parts.next().is_none().then_some(version)
}

/// A restore under a running server would be overwritten by it, or pull files
/// from under it: something answering on the configured address is refused.
fn ensure_server_stopped(config: &Config) -> anyhow::Result<()> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
    let Ok(addrs) = config.server.listen.to_socket_addrs() else {
        return Ok(());
    };
    for mut addr in addrs {
        if addr.ip().is_unspecified() {
            addr.set_ip(if addr.is_ipv4() {
                IpAddr::V4(Ipv4Addr::LOCALHOST)
            } else {
                IpAddr::V6(Ipv6Addr::LOCALHOST)
            });
        }
        if std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(500))
            .is_ok()
        {
            bail!(
                "có chương trình đang nhận kết nối ở {}: có lẽ máy chủ eduportal đang chạy. Hãy dừng nó trước khi khôi phục (ví dụ: systemctl stop eduportal).",
                config.server.listen
            );
        }
    }
    Ok(())
}

/// A verified copy waiting beside what it replaces.
struct Swap {
    temp: PathBuf,
    live: PathBuf,
    /// The name the replaced file or folder keeps.
    kept: PathBuf,
    /// A SQLite file (its WAL and shared memory go with it), else a folder.
    database: bool,
}

impl Swap {
    /// The names beside `live` (whose folder is made), with no copy left there
    /// by an earlier, interrupted restore.
    fn beside(live: PathBuf, stamp: &str, database: bool) -> anyhow::Result<Swap> {
        let name = live
            .file_name()
            .with_context(|| format!("{} không có tên tệp", live.display()))?;
        let named = |suffix: &str| {
            let mut other = name.to_owned();
            other.push(suffix);
            live.with_file_name(other)
        };
        let swap = Swap {
            temp: named(".restore-tmp"),
            kept: named(&format!(".before-restore-{stamp}")),
            live: live.clone(),
            database,
        };
        if let Some(folder) = live.parent()
            && !folder.as_os_str().is_empty()
        {
            fs::create_dir_all(folder)
                .with_context(|| format!("không tạo được thư mục {}", folder.display()))?;
        }
        swap.abandon();
        Ok(swap)
    }

    /// Puts the copy in place; the database by one rename over the old file
    /// (linked to its kept name first, so the path never lacks a database), the
    /// folder by two renames. What was replaced, if anything, is returned.
    fn commit(&self) -> anyhow::Result<Option<PathBuf>> {
        let existed = self.live.exists();
        if existed {
            let keep = if self.database {
                fs::hard_link(&self.live, &self.kept)
            } else {
                fs::rename(&self.live, &self.kept)
            };
            keep.with_context(|| format!("không giữ lại được {}", self.live.display()))?;
        }
        if self.database {
            // Empty after `settle`; a WAL left beside the new file would be read into it.
            for suffix in ["-wal", "-shm"] {
                let mut side = self.live.as_os_str().to_owned();
                side.push(suffix);
                let _ = fs::remove_file(side);
            }
        }
        fs::rename(&self.temp, &self.live)
            .with_context(|| format!("không thay được {}", self.live.display()))?;
        sync_dir(self.live.parent().unwrap_or(Path::new("")))?;
        Ok(existed.then(|| self.kept.clone()))
    }

    /// Removes the copy (a later step failed).
    fn abandon(&self) {
        let _ = if self.database {
            fs::remove_file(&self.temp)
        } else {
            fs::remove_dir_all(&self.temp)
        };
    }
}

/// The backup's SQLite database, copied and checked beside the configured one,
/// which must be closed by every other program.
async fn prepare_database(
    config: &Config,
    snapshot: &Path,
    manifest: &Manifest,
    stamp: &str,
) -> anyhow::Result<Swap> {
    let entry = manifest
        .files
        .iter()
        .find(|f| f.path == DATABASE_FILE)
        .with_context(|| format!("bản sao lưu không có tệp {DATABASE_FILE}"))?;
    let live =
        store::sqlite_file(&config.database.url).context("cơ sở dữ liệu không phải SQLite")?;
    if live.exists() {
        settle(config, &live).await?;
    }
    let swap = Swap::beside(live, stamp, true)?;
    let copied = copy_checked_database(snapshot, &swap.temp, entry, manifest.schema_version).await;
    if copied.is_err() {
        swap.abandon();
    }
    copied.map(|()| swap)
}

/// Copies the backup's database to `temp` and checks the copy: same bytes as the
/// manifest says, every page sound, the schema level the manifest says.
async fn copy_checked_database(
    snapshot: &Path,
    temp: &Path,
    entry: &FileEntry,
    schema_version: i64,
) -> anyhow::Result<()> {
    copy_file(&snapshot.join(DATABASE_FILE), temp, Some(entry))?;
    let check = store::check_sqlite_file(temp)
        .await
        .context("không mở được cơ sở dữ liệu của bản sao lưu")?;
    ensure!(
        check.problems.is_empty() && check.schema_version == schema_version,
        "cơ sở dữ liệu trong bản sao lưu không toàn vẹn ({}; cấu trúc số {}); không khôi phục",
        check.problems.join("; "),
        check.schema_version
    );
    Ok(())
}

/// Brings everything of the live database's WAL into its file and closes it.
/// Only the last connection to close removes the WAL: one still there means
/// another program has the database open.
async fn settle(config: &Config, live: &Path) -> anyhow::Result<()> {
    let in_use = || {
        anyhow::anyhow!(
            "cơ sở dữ liệu {} đang được một chương trình khác mở (có lẽ máy chủ eduportal); hãy dừng nó trước khi khôi phục",
            live.display()
        )
    };
    let mut wal = live.as_os_str().to_owned();
    wal.push("-wal");
    // The pool's connection is closed on its own thread: the WAL it leaves may
    // outlive `close` for a moment (seen in the tests, under load). Each round
    // opens, checkpoints and closes again; a WAL still there after three rounds of
    // three seconds belongs to another program.
    for _ in 0..3 {
        let store = Store::connect(&StoreOptions {
            url: config.database.url.clone(),
            max_connections: 1,
        })
        .await
        .with_context(|| format!("không mở được cơ sở dữ liệu {}", live.display()))?;
        let checkpoint = store.checkpoint().await;
        store.close().await;
        checkpoint.map_err(|_| in_use())?;
        for _ in 0..60 {
            if !Path::new(&wal).exists() {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    Err(in_use())
}

/// The backup's media, copied and checked into a folder beside the configured one.
fn prepare_media(
    config: &Config,
    snapshot: &Path,
    manifest: &Manifest,
    stamp: &str,
) -> anyhow::Result<Swap> {
    let swap = Swap::beside(config.media.dir.clone(), stamp, false)?;
    let copied = copy_media(snapshot, manifest, &swap.temp);
    if copied.is_err() {
        swap.abandon();
    }
    copied.map(|()| swap)
}

/// The manifest's `media/…` files into `to`, each checked, every folder synced.
fn copy_media(snapshot: &Path, manifest: &Manifest, to: &Path) -> anyhow::Result<()> {
    fs::create_dir(to).with_context(|| format!("không tạo được {}", to.display()))?;
    let mut made = vec![to.to_path_buf()];
    for f in &manifest.files {
        let Some(inner) = f.path.strip_prefix("media/") else {
            continue;
        };
        let target = to.join(inner);
        if let Some(dir) = target.parent()
            && !dir.exists()
        {
            fs::create_dir_all(dir).with_context(|| format!("không tạo được {}", dir.display()))?;
            made.push(dir.to_path_buf());
        }
        copy_file(&snapshot.join(&f.path), &target, Some(f))?;
    }
    for dir in made.iter().rev() {
        sync_dir(dir)?;
    }
    Ok(())
}

/// The URL without its password (printed lines end up in logs), and whether it
/// had one.
fn without_password(url: &str) -> (String, bool) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), false);
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), false);
    };
    match user_info.split_once(':') {
        Some((user, _)) => (format!("{scheme}://{user}@{host}{tail}"), true),
        None => (url.to_owned(), false),
    }
}

/// Quoted for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Bytes as "12,3 MB" (1 MB = 1.048.576 bytes, a decimal comma).
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(parse_version("0.1.0"), Some((0, 1, 0)));
        assert_eq!(parse_version("1.10.2-rc.1"), Some((1, 10, 2)));
        assert!(parse_version("0.10.0") > parse_version("0.9.9"));
        assert_eq!(parse_version("1.2"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
        assert_eq!(parse_version("x"), None);
    }

    #[test]
    fn manifest_paths_stay_inside_the_backup() {
        assert!(is_plain_relative("eduportal.db"));
        assert!(is_plain_relative("media/tai-len/1/2026/06/a.jpg"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "media/../../x",
            "media\\..\\x",
            "./x",
        ] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
    }

    #[test]
    fn passwords_are_left_out_of_printed_urls() {
        assert_eq!(
            without_password("postgres://edu:s3cret@db:5432/edu?sslmode=require"),
            ("postgres://edu@db:5432/edu?sslmode=require".into(), true)
        );
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1/test"),
            ("postgres://postgres@127.0.0.1/test".into(), false)
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
