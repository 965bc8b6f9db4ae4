//! The `eduportal` command: serves a province's portals, and runs the chores
//! around them. Thin on purpose: it reads the configuration and calls the crates.

mod backup;
mod config;
mod document_cli;
mod exam_cli;
mod site_cli;

/// mimalloc serves the many small, short-lived allocations of request handling
/// faster than the system allocator (measured with bench/pages.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Config;
use std::path::PathBuf;
use store::{Store, StoreOptions};
use tracing_subscriber::EnvFilter;

/// Cổng thông tin điện tử cho ngành giáo dục: one program for a department of
/// education and all its schools, each on its own domain.
#[derive(Parser)]
#[command(name = "eduportal", version, about, long_about = None)]
struct Cli {
    /// The configuration file (TOML). Without it, `eduportal.toml` in the current
    /// folder is read when it exists; every key can also be set by an EDUPORTAL_…
    /// environment variable (see eduportal.example.toml).
    #[arg(long, short, env = "EDUPORTAL_CONFIG", global = true)]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the portal: migrate the database, load the demo into an empty one, and serve.
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080 (default from the configuration: 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Do not load the demo province into an empty database.
        #[arg(long)]
        no_demo: bool,
    },
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Build the search index again from the database, with a progress line.
    Reindex,
    /// Back up the database (SQLite, copied while the portal runs) and the media
    /// folder into a new folder DIR/eduportal-YYYYMMDD-HHMMSS, with a manifest of
    /// versions and SHA-256 checksums. On PostgreSQL, prints the pg_dump line.
    Backup {
        /// Folder that receives the backup (created when missing).
        dir: PathBuf,
    },
    /// Restore a backup folder made by `backup` (stop the server first): checks
    /// every file, replaces the database and the media folder (keeping the old
    /// ones beside them), then rebuilds the search index.
    Restore {
        /// The backup, e.g. /var/backups/eduportal/daily/eduportal-20260614-020000.
        dir: PathBuf,
        /// Only check the backup's files and versions; change nothing.
        #[arg(long)]
        check: bool,
    },
    /// Manage back-office accounts: add, passwd, list.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Exam results: list, create, import, publish.
    Exam {
        #[command(subcommand)]
        action: exam_cli::ExamCommand,
    },
    /// A real install without the demo: the department's site and a
    /// super-administrator (its password printed once), on an empty database.
    Init {
        /// The department's name, e.g. "Sở Giáo dục và Đào tạo tỉnh Bình An".
        #[arg(long)]
        name: String,
        /// The portal's host name; repeat for several (the first is the main one).
        #[arg(long = "host")]
        hosts: Vec<String>,
        /// The super-administrator's login name.
        #[arg(long, default_value = "quantri")]
        username: String,
    },
    /// Sites of the province: list, add, edit (hosts), suspend, resume.
    Site {
        #[command(subcommand)]
        action: site_cli::SiteCommand,
    },
    /// Official documents: import a sheet of them with their files.
    Document {
        #[command(subcommand)]
        action: document_cli::DocumentCommand,
    },
    /// Units of the province: import a sheet of them.
    Unit {
        #[command(subcommand)]
        action: site_cli::UnitCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. Its password is generated and printed once, unless
    /// --password-stdin reads one.
    Add {
        /// Login name: lower-case letters without marks, digits, '.', '-', '_'.
        username: String,
        /// Full name, e.g. "Nguyễn Thị Lan".
        #[arg(long)]
        name: String,
        /// The site (its key, see `user list`) on which to give the role.
        #[arg(long)]
        site: Option<String>,
        /// Role on that site: writer, editor, admin or emulation (thi đua – khen thưởng).
        #[arg(long, default_value = "writer")]
        role: String,
        /// Super-administrator of every site.
        #[arg(long)]
        super_admin: bool,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account a new password (generated and printed, or read with
    /// --password-stdin); every session of the account ends.
    Passwd {
        /// Login name.
        username: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts and their roles.
    List,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("EDUPORTAL_LOG")
                .unwrap_or_else(|_| EnvFilter::new(&config.log.filter)),
        )
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("không khởi động được bộ chạy bất đồng bộ")?;
    runtime.block_on(run(cli.command, config))
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    // Neither may migrate the database first: a backup reads a live one as it
    // is, and a restore replaces the file before anything opens it.
    match &command {
        Command::Backup { dir } => return backup::backup(&config, dir, unix_now()).await,
        Command::Restore { dir, check } => {
            match backup::restore(&config, dir, *check, unix_now()).await? {
                backup::Restored::Sqlite => {}
                backup::Restored::Checked | backup::Restored::Postgres => return Ok(()),
            }
        }
        _ => {}
    }
    let store = Store::connect(&StoreOptions {
        url: config.database.url.clone(),
        max_connections: config.database.max_connections,
    })
    .await
    .with_context(|| format!("không mở được cơ sở dữ liệu {}", config.database.url))?;
    store
        .migrate()
        .await
        .context("không cập nhật được cấu trúc cơ sở dữ liệu")?;
    match command {
        Command::Migrate => {
            println!("Cơ sở dữ liệu đã được cập nhật lên phiên bản mới nhất.");
            Ok(())
        }
        Command::User { action } => user_command(&store, action).await,
        // After a restore: the restored database, migrated, into a fresh index.
        Command::Reindex | Command::Restore { .. } => reindex(store, config).await,
        // Done before the store was opened.
        Command::Backup { .. } => Ok(()),
        Command::Exam { action } => {
            exam_cli::run(&store, action, config.exams.max_cells, unix_now()).await
        }
        Command::Init {
            name,
            hosts,
            username,
        } => {
            let password = site_cli::init(&store, &name, &hosts, &username, unix_now()).await?;
            println!("Đã tạo trang {name}.");
            let host = hosts.first().map_or("localhost:8080", String::as_str);
            site_cli::print_first_admin(&username, &password, &format!("http://{host}"));
            Ok(())
        }
        Command::Site { action } => site_cli::site(&store, action, unix_now()).await,
        Command::Unit { action } => site_cli::unit(&store, action, unix_now()).await,
        Command::Document { action } => {
            let limits = config.media.limits();
            document_cli::run(&store, action, &config.media.dir, limits, unix_now()).await
        }
        Command::Serve { listen, no_demo } => {
            if let Some(listen) = listen {
                config.server.listen = listen;
            }
            if no_demo {
                config.demo.load = false;
            }
            serve(store, config).await
        }
    }
}

/// `eduportal reindex`: every public article into a fresh index, with progress.
async fn reindex(store: Store, config: Config) -> anyhow::Result<()> {
    use std::io::Write;
    let sites: std::collections::HashMap<_, _> = store
        .sites()
        .await?
        .into_iter()
        .map(|s| (s.id, s.settings.name))
        .collect();
    let searcher = indexer::Searcher::open(Some(&config.search.dir)).with_context(|| {
        format!(
            "không mở được chỉ mục tìm kiếm {}",
            config.search.dir.display()
        )
    })?;
    let started = std::time::Instant::now();
    let done = searcher
        .rebuild(&store, &sites, |done, total| {
            let pct = (done * 100).checked_div(total).unwrap_or(100);
            eprint!(
                "\rĐang lập chỉ mục: {}/{} bài ({pct}%)",
                vntext::format_number(done as i64),
                vntext::format_number(total as i64)
            );
            let _ = std::io::stderr().flush();
        })
        .await
        .context("không lập được chỉ mục tìm kiếm")?;
    eprintln!();
    println!(
        "Đã lập chỉ mục {} bài trong {:.1} giây ({}).",
        vntext::format_number(done as i64),
        started.elapsed().as_secs_f64(),
        config.search.dir.display()
    );
    Ok(())
}

async fn serve(store: Store, config: Config) -> anyhow::Result<()> {
    let media_dir = config.media.dir.clone();
    std::fs::create_dir_all(&media_dir)
        .with_context(|| format!("không tạo được thư mục tệp {}", media_dir.display()))?;
    let addr = tokio::net::lookup_host(&config.server.listen)
        .await
        .with_context(|| format!("địa chỉ không hợp lệ: {}", config.server.listen))?
        .next()
        .with_context(|| format!("không tìm thấy địa chỉ {}", config.server.listen))?;
    // SO_REUSEPORT would let a second server (say, an old one still running) share
    // the port silently; a plain bind first makes "address in use" an error again,
    // and turns port 0 into the one port every acceptor then shares.
    let addr = {
        let probe = std::net::TcpListener::bind(addr)
            .with_context(|| port_unavailable(&config.server.listen))?;
        probe.local_addr()?
    };
    let now = unix_now();
    // The port really listened on (port 0 has become one): the demo's links between
    // its sites, and the addresses printed below, use it.
    let port = addr.port();
    if config.demo.load {
        let loaded = demo::load_if_empty(&store, &media_dir, now, port)
            .await
            .context("không nạp được dữ liệu mẫu")?;
        if !loaded.is_empty() {
            println!("Đã nạp dữ liệu mẫu:");
            for site in &loaded {
                let host = site.hosts.last().map(String::as_str).unwrap_or("localhost");
                println!(
                    "  {} ({} bài viết): http://{host}:{port}/",
                    site.name, site.articles
                );
            }
            // An exam session to look up on the first start (only here: the
            // tests' demo stays small).
            if let Some(so) = store.sites().await?.into_iter().find(|s| s.key == "so") {
                demo::exam::load(&store, so.id, now)
                    .await
                    .context("không nạp được kỳ thi mẫu")?;
                demo::republish(&store, now)
                    .await
                    .context("không đăng lại được tin mẫu của các trường")?;
                let (sbd, birth) = demo::exam::TRY;
                println!(
                    "  Tra cứu điểm thi (3.000 thí sinh mẫu): http://localhost:{port}/tra-cuu-diem-thi  số báo danh {sbd}, ngày sinh {birth}"
                );
            }
            let password = domain::password::generate_password();
            store
                .create_user(
                    "quantri",
                    "Quản trị hệ thống",
                    &domain::password::hash_password(&password),
                    true,
                    now,
                )
                .await
                .context("không tạo được tài khoản quản trị mẫu")?;
            println!("Tài khoản quản trị (chỉ hiện lần này; hãy đổi mật khẩu sau khi đăng nhập):");
            println!(
                "  http://localhost:{port}/quan-tri  tên đăng nhập: quantri  mật khẩu: {password}"
            );
        }
    }
    if store.is_empty().await? {
        // A real install started without `init`: the department's site, to be
        // named in Cài đặt, and its super-administrator.
        let password =
            site_cli::init(&store, "Sở Giáo dục và Đào tạo", &[], "quantri", now).await?;
        println!(
            "Đã tạo trang của Sở (chưa có dữ liệu mẫu); đặt tên, logo, thông tin liên hệ ở Quản trị › Cài đặt."
        );
        site_cli::print_first_admin("quantri", &password, &format!("http://localhost:{port}"));
    }
    let options = web::WebOptions {
        trust_forwarded_for: config.server.trust_forwarded_for,
        cache: web::CacheOptions {
            enabled: config.cache.enabled,
            max_entries: config.cache.max_entries,
            max_bytes: config.cache.max_mb.saturating_mul(1_048_576),
            ttl: std::time::Duration::from_secs(config.cache.ttl_seconds),
            data: config.cache.data,
        },
        // Requests past the page cache run on this (multi-threaded) runtime, which
        // owns the database connections; see the acceptors below.
        inner_runtime: Some(tokio::runtime::Handle::current()),
        media_limits: config.media.limits(),
        search_dir: Some(config.search.dir.clone()),
        exam_lookups: web::LookupLimit {
            per_minute: config.exams.lookups_per_minute,
            burst: config.exams.burst,
        },
        exam_file_bytes: config.exams.max_file_mb.saturating_mul(1_048_576),
        exam_max_cells: config.exams.max_cells,
        weather: config.weather.options(config.demo.load),
        spam: config.antispam.limits(),
        mail: config.mail.options()?,
        ..web::WebOptions::new(media_dir)
    };
    let state = web::AppState::new(store, options).await?;
    // Images recorded before sizes were kept (an older demo, early uploads) get
    // their narrower copies, in the background: pages work meanwhile.
    {
        let state = state.clone();
        tokio::spawn(async move {
            match web::add_missing_sizes(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(images = n, "sizes made for images that had none"),
                Err(e) => tracing::warn!(error = %e, "sizes of older images not made"),
            }
        });
    }
    let app = web::service(state.clone());
    // Every connection is an open file: take all the system allows, and size the
    // connection limit to it.
    let open_files = raise_open_files_limit();
    let server_options = config.server.options(open_files);
    tracing::info!(
        open_files,
        max_connections = server_options.max_connections,
        per_address = server_options.max_connections_per_address,
        "connection limits"
    );
    let grace = server_options.grace;
    let connections = web::server::Connections::new(server_options);
    // One signal stops the acceptors (which finish the requests in flight, within
    // the grace time) and then the background chores, which write the last counts.
    let (phase_tx, phase_rx) = tokio::sync::watch::channel(web::server::Phase::Serving);
    // One acceptor per core, each a single-threaded runtime listening on the same
    // port (SO_REUSEPORT): the kernel spreads connections, and a page from the
    // cache is answered without crossing threads. Everything else goes on to this
    // runtime (`inner_runtime`), so database sockets stay with the runtime that
    // opened them. Measured with bench/pages.sh.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let (bound_tx, mut bound_rx) = tokio::sync::mpsc::channel::<anyhow::Result<()>>(threads);
    let mut acceptors = Vec::with_capacity(threads);
    for n in 0..threads {
        let app = app.clone();
        let phase = phase_rx.clone();
        let bound = bound_tx.clone();
        let connections = connections.clone();
        let acceptor = std::thread::Builder::new()
            .name(format!("http-{n}"))
            .spawn(move || -> anyhow::Result<()> {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                rt.block_on(async move {
                    let listener = match listen(addr) {
                        Ok(l) => {
                            let _ = bound.send(Ok(())).await;
                            l
                        }
                        Err(e) => {
                            let _ = bound.send(Err(e)).await;
                            return Ok(());
                        }
                    };
                    web::server::serve(listener, app, connections, phase).await;
                    Ok(())
                })
            })
            .context("không khởi động được luồng phục vụ")?;
        acceptors.push(acceptor);
    }
    drop(bound_tx);
    for _ in 0..threads {
        if let Some(result) = bound_rx.recv().await {
            result.with_context(|| port_unavailable(&config.server.listen))?;
        }
    }
    println!("eduportal đang chạy tại http://{addr}/ (Ctrl-C để dừng)");
    tracing::info!(listen = %addr, threads, "serving");
    let every = std::time::Duration::from_secs(config.counters.flush_seconds.max(1));
    // The background chores stop only after the acceptors have drained, so the
    // last flush includes every request that was still in flight.
    let (bg_stop_tx, mut bg_stop) = tokio::sync::watch::channel(false);
    let background = {
        let state = state.clone();
        tokio::spawn(async move {
            state
                .run_background(every, async move {
                    let _ = bg_stop.wait_for(|s| *s).await;
                })
                .await;
        })
    };
    shutdown_signal().await;
    tracing::info!(
        grace_seconds = grace.as_secs(),
        "stopping: finishing requests in flight"
    );
    let _ = phase_tx.send(web::server::Phase::Draining);
    let joined = tokio::task::spawn_blocking(move || {
        acceptors.into_iter().map(|a| a.join()).collect::<Vec<_>>()
    });
    tokio::pin!(joined);
    let results = match tokio::time::timeout(grace, &mut joined).await {
        Ok(r) => r,
        Err(_) => {
            // Whatever is still open after the grace time (a half-sent request, a
            // slow upload) is cut, so that the counts below are always written.
            tracing::warn!(
                open = connections.open(),
                "grace time over: cutting the connections left"
            );
            let _ = phase_tx.send(web::server::Phase::Cut);
            joined.await
        }
    };
    let mut served = Ok(());
    for r in results.unwrap_or_default() {
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => served = Err(e),
            Err(_) => served = Err(anyhow::anyhow!("a server thread panicked")),
        }
    }
    // The acceptors are gone; the last counts are written on this runtime.
    let _ = bg_stop_tx.send(true);
    let _ = background.await;
    served.context("lỗi khi phục vụ")?;
    tracing::info!("stopped; counters written");
    Ok(())
}

/// Raises the soft limit of open files to the hard one (systemd's usual 1.024
/// would stop the server at a thousand connections); the limit in force.
fn raise_open_files_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "could not raise the open-files limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

fn port_unavailable(listen: &str) -> String {
    format!(
        "không mở được cổng {listen} (có thể một chương trình khác, hoặc một eduportal khác, đang dùng cổng này)"
    )
}

async fn user_command(store: &Store, action: UserCommand) -> anyhow::Result<()> {
    let now = unix_now();
    match action {
        UserCommand::Add {
            username,
            name,
            site,
            role,
            super_admin,
            password_stdin,
        } => {
            let username = domain::normalize_username(&username)?;
            let name = vntext::clean_line(&name);
            anyhow::ensure!(!name.is_empty(), domain::AccountError::MissingName);
            let role = domain::Role::parse(&role).with_context(|| {
                format!("vai trò không hợp lệ: {role} (writer, editor, admin hoặc emulation)")
            })?;
            let site_id = match &site {
                Some(key) => Some(
                    store
                        .sites()
                        .await?
                        .into_iter()
                        .find(|s| &s.key == key)
                        .with_context(|| format!("không có trang nào mang mã {key}"))?
                        .id,
                ),
                None => None,
            };
            anyhow::ensure!(
                super_admin || site_id.is_some(),
                "hãy chọn --site MÃ_TRANG (và --role), hoặc --super-admin"
            );
            let (password, show) = new_password(password_stdin)?;
            let id = match store
                .create_user(
                    &username,
                    &name,
                    &domain::password::hash_password(&password),
                    super_admin,
                    now,
                )
                .await
            {
                Err(store::Error::Conflict(_)) => {
                    anyhow::bail!("tên đăng nhập {username} đã có người dùng")
                }
                other => other?,
            };
            if let Some(site) = site_id {
                store.grant_role(id, site, role).await?;
            }
            store
                .audit(
                    site_id,
                    None,
                    "tạo tài khoản (dòng lệnh)",
                    &username,
                    store::COMMAND_LINE,
                    now,
                )
                .await?;
            println!("Đã tạo tài khoản {username}.");
            if show {
                println!("Mật khẩu (chỉ hiện lần này): {password}");
            }
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let username = domain::normalize_username(&username)?;
            let (user, _) = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("không có tài khoản {username}"))?;
            let (password, show) = new_password(password_stdin)?;
            store
                .set_password_hash(user.id, &domain::password::hash_password(&password), now)
                .await?;
            store
                .audit(
                    None,
                    None,
                    "đặt lại mật khẩu (dòng lệnh)",
                    &username,
                    store::COMMAND_LINE,
                    now,
                )
                .await?;
            println!("Đã đặt mật khẩu mới cho {username}; các phiên đăng nhập cũ đã kết thúc.");
            if show {
                println!("Mật khẩu mới (chỉ hiện lần này): {password}");
            }
        }
        UserCommand::List => {
            let sites = store.sites().await?;
            let key_of = |id| {
                sites
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.key.as_str())
                    .unwrap_or("?")
            };
            for u in store.users().await? {
                let roles: Vec<String> = u
                    .roles
                    .iter()
                    .map(|(s, r)| format!("{}: {}", key_of(*s), r.as_str()))
                    .collect();
                println!(
                    "{:<20} {:<30} {}{}{}",
                    u.username,
                    u.full_name,
                    if u.is_super {
                        "quản trị tối cao; "
                    } else {
                        ""
                    },
                    roles.join(", "),
                    if u.active { "" } else { " (đã khóa)" }
                );
            }
        }
    }
    Ok(())
}

/// A password from standard input (checked), or a generated one to print.
fn new_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((domain::password::generate_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = vntext::nfc(line.trim_end_matches(['\r', '\n']));
    domain::check_password(&password)?;
    Ok((password, false))
}

/// A listening socket that other threads may also bind (SO_REUSEPORT).
fn listen(addr: std::net::SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    #[cfg(unix)]
    socket.set_reuseport(true)?;
    socket.bind(addr)?;
    Ok(socket.listen(4096)?)
}

/// Resolves on Ctrl-C or SIGTERM, so that in-flight requests finish first.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
