//! The `eduportal` command: serves a province's portals, and runs the chores
//! around them. Thin on purpose: it reads the configuration and calls the crates.

mod config;

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
        .context("starting the async runtime")?;
    runtime.block_on(run(cli.command, config))
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    let store = Store::connect(&StoreOptions {
        url: config.database.url.clone(),
        max_connections: config.database.max_connections,
    })
    .await
    .with_context(|| format!("opening the database {}", config.database.url))?;
    store.migrate().await.context("migrating the database")?;
    match command {
        Command::Migrate => {
            println!("Cơ sở dữ liệu đã được cập nhật lên phiên bản mới nhất.");
            Ok(())
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

async fn serve(store: Store, config: Config) -> anyhow::Result<()> {
    let media_dir = config.media.dir.clone();
    std::fs::create_dir_all(&media_dir)
        .with_context(|| format!("creating the media folder {}", media_dir.display()))?;
    let now = unix_now();
    let port = config
        .server
        .listen
        .rsplit(':')
        .next()
        .unwrap_or("8080")
        .to_owned();
    if config.demo.load {
        let loaded = demo::load_if_empty(&store, &media_dir, now)
            .await
            .context("loading the demo content")?;
        if !loaded.is_empty() {
            println!("Đã nạp dữ liệu mẫu:");
            for site in &loaded {
                let host = site.hosts.last().map(String::as_str).unwrap_or("localhost");
                println!(
                    "  {} ({} bài viết): http://{host}:{port}/",
                    site.name, site.articles
                );
            }
        }
    }
    if store.is_empty().await? {
        store
            .create_site(
                "mac-dinh",
                true,
                &[],
                &domain::SiteSettings {
                    name: "Cổng thông tin điện tử".into(),
                    ..Default::default()
                },
                now,
            )
            .await?;
        println!("Đã tạo một trang trống làm trang mặc định.");
    }
    let options = web::WebOptions {
        trust_forwarded_for: config.server.trust_forwarded_for,
        cache: web::CacheOptions {
            enabled: config.cache.enabled,
            max_entries: config.cache.max_entries,
            ttl: std::time::Duration::from_secs(config.cache.ttl_seconds),
            data: config.cache.data,
        },
        ..web::WebOptions::new(media_dir)
    };
    let state = web::AppState::new(store, options).await?;
    let app = web::router(state.clone());
    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| format!("listening on {}", config.server.listen))?;
    println!(
        "eduportal đang chạy tại http://{}/ (Ctrl-C để dừng)",
        config.server.listen
    );
    tracing::info!(listen = %config.server.listen, "serving");
    // One signal stops both the server (finishing requests in flight) and the
    // background chores, which then write the last counts.
    let (stop_tx, mut bg_stop) = tokio::sync::watch::channel(false);
    let every = std::time::Duration::from_secs(config.counters.flush_seconds.max(1));
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
    // Small pages go out at once rather than waiting for Nagle's algorithm.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let served = server.await.context("serving");
    let _ = background.await;
    served?;
    tracing::info!("stopped; counters written");
    Ok(())
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
