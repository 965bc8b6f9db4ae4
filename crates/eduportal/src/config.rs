//! The configuration: typed, with defaults, read from one TOML file and then from
//! `EDUPORTAL_…` environment variables (`EDUPORTAL_DATABASE__URL` sets
//! `[database] url`). `eduportal.example.toml` documents every key.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Everything the binary reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: Server,
    pub database: Database,
    pub media: Media,
    pub search: Search,
    pub demo: Demo,
    pub cache: Cache,
    pub counters: CountersConfig,
    pub exams: Exams,
    pub antispam: AntiSpam,
    pub mail: Mail,
    pub log: Log,
    pub weather: Weather,
}

/// `[weather]`: the "Thời tiết" block's readings, fetched in the background.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weather {
    /// Fetch readings. Unset: on when the demo is on (`[demo] load`, the demo
    /// sets places), off with `--no-demo` or `load = false` (a fresh install; the
    /// machine may have no internet).
    pub enabled: Option<bool>,
    /// The provider's URL, `{lat}` and `{lon}` replaced by a place's decimal
    /// degrees; it must answer in Open-Meteo's JSON format.
    pub url: String,
    /// Seconds one request may take, connecting included.
    pub timeout_seconds: u64,
    /// Minutes between two fetches of a place (30 at least).
    pub every_minutes: u64,
}

impl Default for Weather {
    fn default() -> Self {
        let d = web::WeatherOptions::default();
        Weather {
            enabled: None,
            url: d.url_template,
            timeout_seconds: d.timeout.as_secs(),
            every_minutes: d.every.as_secs() / 60,
        }
    }
}

impl Weather {
    /// The web layer's options, given whether the demo is on.
    pub fn options(&self, demo: bool) -> web::WeatherOptions {
        web::WeatherOptions {
            enabled: self.enabled.unwrap_or(demo),
            url_template: self.url.clone(),
            timeout: std::time::Duration::from_secs(self.timeout_seconds.max(1)),
            every: std::time::Duration::from_secs(self.every_minutes.max(30) * 60),
        }
    }
}

/// Public forms (comments on drafts, citizens' questions) against spam.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AntiSpam {
    /// Posts of public forms an hour per client address; 0: no limit.
    pub posts_per_hour: u32,
    /// Posts in a quick row before the limit applies.
    pub burst: u32,
    /// Zero bits the page's proof of work must find (each doubles its cost).
    pub pow_bits: u8,
    /// Minutes a form's challenge stays valid.
    pub challenge_minutes: u32,
}

impl Default for AntiSpam {
    fn default() -> Self {
        let d = web::SpamLimits::default();
        AntiSpam {
            posts_per_hour: d.posts_per_hour,
            burst: d.burst,
            pow_bits: d.pow_bits,
            challenge_minutes: d.challenge_minutes,
        }
    }
}

impl AntiSpam {
    /// The web layer's limits.
    pub fn limits(&self) -> web::SpamLimits {
        web::SpamLimits {
            posts_per_hour: self.posts_per_hour,
            burst: self.burst,
            pow_bits: self.pow_bits.min(32),
            challenge_minutes: self.challenge_minutes,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Exams {
    /// Exam result lookups a minute per client address (page and JSON); 0: no limit.
    pub lookups_per_minute: u32,
    /// Lookups in a quick row before the limit applies.
    pub burst: u32,
    /// Largest results file the back office takes, in megabytes.
    pub max_file_mb: u64,
    /// Largest grid of a results file, in cells (rows with data × the widest row's
    /// columns); larger files are refused before they cost that memory.
    pub max_cells: u64,
}

impl Default for Exams {
    fn default() -> Self {
        let limit = web::LookupLimit::default();
        Exams {
            lookups_per_minute: limit.per_minute,
            burst: limit.burst,
            max_file_mb: 100,
            max_cells: exam::DEFAULT_MAX_CELLS,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cache {
    /// Serve anonymous pages from memory.
    pub enabled: bool,
    /// Pages kept at most.
    pub max_entries: usize,
    /// Megabytes of pages kept at most (all encodings of a page count).
    pub max_mb: u64,
    /// Seconds before a page is rendered again even if nothing changed.
    pub ttl_seconds: u64,
    /// Keep the data pages are made of per content version (see web::CacheOptions).
    pub data: bool,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            enabled: true,
            max_entries: 20_000,
            max_mb: 256,
            ttl_seconds: 60,
            data: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CountersConfig {
    /// Seconds between writes of the view and visit counters (and checks for
    /// content changed by another instance).
    pub flush_seconds: u64,
}

impl Default for CountersConfig {
    fn default() -> Self {
        CountersConfig { flush_seconds: 5 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Server {
    /// Address and port to listen on.
    pub listen: String,
    /// Take visitors' addresses from X-Forwarded-For (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Seconds for a whole request head to arrive.
    pub header_timeout_seconds: u64,
    /// Seconds an idle connection (or a reader taking nothing) is kept.
    pub keepalive_seconds: u64,
    /// Seconds a request body may send nothing before the request is cut.
    pub body_timeout_seconds: u64,
    /// Open connections at most; 0: as many as the open-files limit allows.
    pub max_connections: usize,
    /// Open connections at most from one address; 0: no limit (always none
    /// with trust_forwarded_for, where every connection comes from the proxy).
    pub max_connections_per_address: usize,
    /// Seconds requests in flight get to finish when the server is stopped.
    pub shutdown_grace_seconds: u64,
}

impl Default for Server {
    fn default() -> Self {
        let d = web::server::ServerOptions::default();
        Server {
            listen: "127.0.0.1:8080".into(),
            trust_forwarded_for: false,
            header_timeout_seconds: d.header_timeout.as_secs(),
            keepalive_seconds: d.keepalive_timeout.as_secs(),
            body_timeout_seconds: d.body_timeout.as_secs(),
            max_connections: 0,
            max_connections_per_address: d.max_connections_per_address,
            shutdown_grace_seconds: d.grace.as_secs(),
        }
    }
}

impl Server {
    /// The server loop's limits, given how many files the process may open.
    pub fn options(&self, open_files: u64) -> web::server::ServerOptions {
        let secs = |s: u64| std::time::Duration::from_secs(s.max(1));
        // Room for the database, the search index and media files beside the sockets.
        let by_files =
            usize::try_from(open_files.saturating_sub(512).max(64)).unwrap_or(usize::MAX);
        web::server::ServerOptions {
            header_timeout: secs(self.header_timeout_seconds),
            keepalive_timeout: secs(self.keepalive_seconds),
            body_timeout: secs(self.body_timeout_seconds),
            max_connections: match self.max_connections {
                0 => by_files,
                n => n.min(by_files),
            },
            max_connections_per_address: if self.trust_forwarded_for {
                0
            } else {
                self.max_connections_per_address
            },
            grace: std::time::Duration::from_secs(self.shutdown_grace_seconds),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Database {
    /// `sqlite://data/eduportal.db` (default) or `postgres://user@host/db`.
    pub url: String,
    /// Connections in the pool.
    pub max_connections: u32,
}

impl Default for Database {
    fn default() -> Self {
        Database {
            url: "sqlite://data/eduportal.db".into(),
            max_connections: 8,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Media {
    /// Folder for uploaded and generated files.
    pub dir: PathBuf,
    /// Largest image upload, in megabytes.
    pub max_image_mb: u64,
    /// Largest PDF, Word or Excel upload, in megabytes.
    pub max_document_mb: u64,
    /// Largest video upload, in megabytes.
    pub max_video_mb: u64,
}

impl Default for Media {
    fn default() -> Self {
        Media {
            dir: PathBuf::from("data/media"),
            max_image_mb: 10,
            max_document_mb: 20,
            max_video_mb: 200,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    /// Folder of this instance's search index (rebuilt from the database when
    /// missing; each instance has its own).
    pub dir: PathBuf,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            dir: PathBuf::from("data/search"),
        }
    }
}

impl Media {
    /// The limits as the web layer takes them.
    pub fn limits(&self) -> media::Limits {
        const MB: u64 = 1_048_576;
        media::Limits {
            image_bytes: self.max_image_mb.saturating_mul(MB),
            document_bytes: self.max_document_mb.saturating_mul(MB),
            video_bytes: self.max_video_mb.saturating_mul(MB),
        }
    }
}

/// The SMTP server of the mail queue (`[mail]`); an empty host: nothing is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mail {
    /// SMTP server host name; empty: no e-mail is sent (it waits in the queue).
    pub host: String,
    /// Port: 587 for STARTTLS, 465 for TLS, 25 for a local relay.
    pub port: u16,
    /// "starttls", "tls" or "none".
    pub tls: String,
    /// Login (empty: none).
    pub user: String,
    /// Password.
    pub password: String,
    /// The sender, "Tên <dia-chi@…>" or an address.
    pub from: String,
}

impl Default for Mail {
    fn default() -> Self {
        Mail {
            host: String::new(),
            port: 587,
            tls: "starttls".into(),
            user: String::new(),
            password: String::new(),
            from: String::new(),
        }
    }
}

impl Mail {
    /// The web layer's options; `None` without a host. A wrong `tls` or a missing
    /// `from` is an error at start, not a queue that silently never empties.
    pub fn options(&self) -> anyhow::Result<Option<web::MailOptions>> {
        if self.host.trim().is_empty() {
            return Ok(None);
        }
        let tls = web::MailTls::parse(&self.tls).ok_or_else(|| {
            anyhow::anyhow!(
                "[mail] tls = {:?}: use \"starttls\", \"tls\" or \"none\"",
                self.tls
            )
        })?;
        if self.from.trim().is_empty() {
            anyhow::bail!("[mail] from is empty: set the sender's address");
        }
        Ok(Some(web::MailOptions {
            host: self.host.trim().to_owned(),
            port: self.port,
            tls,
            user: self.user.clone(),
            password: self.password.clone(),
            from: self.from.trim().to_owned(),
        }))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Demo {
    /// Load the demo province into an empty database.
    pub load: bool,
}

impl Default for Demo {
    fn default() -> Self {
        Demo { load: true }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Log {
    /// tracing filter, e.g. "info" or "web=debug,info"; EDUPORTAL_LOG overrides it.
    pub filter: String,
}

impl Default for Log {
    fn default() -> Self {
        Log {
            filter: "info,sqlx=warn".into(),
        }
    }
}

impl Config {
    /// Defaults, then the file (the named one must exist; `eduportal.toml` may), then
    /// the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "không tìm thấy tệp cấu hình {}",
                    path.display()
                );
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("eduportal.toml")),
        }
        figment
            // Only EDUPORTAL_SECTION__KEY variables are configuration; other EDUPORTAL_
            // names (EDUPORTAL_LOG, EDUPORTAL_CONFIG, the test suite's) are left alone.
            .merge(Env::raw().filter_map(|key| {
                let rest = key.as_str().strip_prefix("EDUPORTAL_")?;
                rest.contains("__").then(|| rest.replace("__", ".").into())
            }))
            .extract()
            .context("cấu hình không hợp lệ")
    }
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "figment's Jail closures must return figment::Error"
)]
mod tests {
    use super::*;

    #[test]
    fn example_file_matches_the_defaults() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eduportal.example.toml");
        let from_file: Config = Figment::new()
            .merge(Toml::file(&example))
            .extract()
            .unwrap();
        let defaults = Config::default();
        // Config has no PartialEq; its Debug form shows every key and value.
        assert_eq!(
            format!("{from_file:?}"),
            format!("{defaults:?}"),
            "eduportal.example.toml must document exactly the defaults"
        );
    }

    #[test]
    fn environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("eduportal.toml", "[database]\nurl = \"sqlite://x.db\"\n")?;
            jail.set_env("EDUPORTAL_DATABASE__URL", "postgres://u@h/db");
            jail.set_env("EDUPORTAL_SERVER__LISTEN", "0.0.0.0:9000");
            jail.set_env("EDUPORTAL_TEST_DATABASE_URL", "postgres://other");
            jail.set_env("EDUPORTAL_CACHE__ENABLED", "false");
            let c = Config::load(None).map_err(|e| format!("{e:#}"))?;
            assert_eq!(c.database.url, "postgres://u@h/db");
            assert_eq!(c.server.listen, "0.0.0.0:9000");
            assert_eq!(c.database.max_connections, 8);
            assert!(!c.cache.enabled);
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("eduportal.toml", "[database]\nurll = \"x\"\n")?;
            assert!(Config::load(None).is_err());
            Ok(())
        });
    }
}
