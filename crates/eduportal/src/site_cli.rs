//! `eduportal init`, `eduportal site …` and `eduportal unit import`: a province set
//! up from the command line, for scripted installs. Every change is audited as
//! made on the command line.

use anyhow::{Context, bail};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use store::{AuditNote, COMMAND_LINE, FirstAdmin, Store, UnitDraft};

#[derive(Subcommand)]
pub enum SiteCommand {
    /// List every site: key, name, hosts, state.
    List,
    /// Add a unit with its site (and, with --admin, its first administrator).
    Add {
        /// The unit's name, e.g. "Trường THPT Lê Lợi".
        #[arg(long)]
        name: String,
        /// Its key (made from the name when not given), e.g. thpt-le-loi.
        #[arg(long, default_value = "")]
        key: String,
        /// Kind: so, phong, xa-phuong, mam-non, tieu-hoc, thcs, thpt, lien-cap,
        /// gdtx, trung-tam, khac (or the usual words: "THPT", "Tiểu học").
        #[arg(long)]
        kind: String,
        /// The unit it hangs under: key or exact name.
        #[arg(long, default_value = "")]
        parent: String,
        /// A host name; repeat for several (the first is the main one).
        #[arg(long = "host", required = true)]
        hosts: Vec<String>,
        /// The other hosts answer 301 to the main one.
        #[arg(long)]
        redirect: bool,
        /// The first administrator's login name (a new account gets a password,
        /// printed once).
        #[arg(long)]
        admin: Option<String>,
        /// The new administrator's full name.
        #[arg(long, default_value = "")]
        admin_name: String,
    },
    /// Replace a site's hosts (the first is the main one).
    Edit {
        /// The site's key.
        key: String,
        /// A host name; repeat for several.
        #[arg(long = "host", required = true)]
        hosts: Vec<String>,
        /// The other hosts answer 301 to the main one.
        #[arg(long)]
        redirect: bool,
    },
    /// Suspend a site: its pages answer "tạm ngừng hoạt động"; nothing is deleted.
    Suspend {
        /// The site's key.
        key: String,
    },
    /// Bring a suspended site back.
    Resume {
        /// The site's key.
        key: String,
    },
}

#[derive(Subcommand)]
pub enum UnitCommand {
    /// Import a sheet of units (XLSX, XLS, ODS or CSV) with the columns tên, mã,
    /// loại, đơn vị cấp trên, tên miền: every bad row is named with its line;
    /// all rows are saved or none. A unit with a host gets its site.
    Import {
        /// The file.
        file: PathBuf,
        /// Check the file only; save nothing.
        #[arg(long)]
        check: bool,
    },
}

fn cli_note() -> AuditNote<'static> {
    AuditNote {
        user: None,
        action: "",
        ip: COMMAND_LINE,
    }
}

/// `eduportal init`: the department's site and a super-administrator on an empty
/// installation; the password is printed once.
pub async fn init(
    store: &Store,
    name: &str,
    hosts: &[String],
    username: &str,
    now: i64,
) -> anyhow::Result<String> {
    if !store.is_empty().await? {
        bail!("Cơ sở dữ liệu đã có trang; `init` chỉ dùng cho lần cài đặt đầu tiên.");
    }
    let mut checked = Vec::new();
    for h in hosts {
        checked.push(domain::check_host(h).map_err(|m| anyhow::anyhow!(m))?);
    }
    let username = domain::normalize_username(username).map_err(|e| anyhow::anyhow!("{e}"))?;
    let password = domain::password::generate_password();
    store
        .first_install(
            name,
            &checked,
            &username,
            "Quản trị hệ thống",
            &domain::password::hash_password(&password),
            now,
        )
        .await
        .context("không tạo được trang đầu tiên")?;
    Ok(password)
}

/// Prints how to sign in for the first time.
pub fn print_first_admin(username: &str, password: &str, url: &str) {
    println!("Tài khoản quản trị hệ thống (chỉ hiện lần này; hãy đổi mật khẩu sau khi đăng nhập):");
    println!("  {url}/quan-tri  tên đăng nhập: {username}  mật khẩu: {password}");
}

async fn site_id(store: &Store, key: &str) -> anyhow::Result<domain::SiteId> {
    store
        .sites()
        .await?
        .into_iter()
        .find(|s| s.key == key)
        .map(|s| s.id)
        .with_context(|| format!("không có trang mã “{key}” (xem `eduportal site list`)"))
}

/// `eduportal site …`
pub async fn site(store: &Store, command: SiteCommand, now: i64) -> anyhow::Result<()> {
    match command {
        SiteCommand::List => {
            for s in store.sites().await? {
                let state = if s.suspended {
                    "tạm ngừng"
                } else {
                    "hoạt động"
                };
                println!(
                    "{:<24} {:<10} {}  [{}]{}",
                    s.key,
                    state,
                    s.settings.name,
                    s.hosts.join(", "),
                    if s.redirect_to_main {
                        " (chuyển về tên miền chính)"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
        SiteCommand::Add {
            name,
            key,
            kind,
            parent,
            hosts,
            redirect,
            admin,
            admin_name,
        } => {
            let draft = UnitDraft {
                name,
                key,
                kind,
                parent,
                hosts,
                redirect_to_main: redirect,
            };
            let units = match store.prepare_units(&[draft]).await? {
                Ok(u) => u,
                Err(problems) => {
                    for (_, m) in &problems {
                        eprintln!("  {m}");
                    }
                    bail!("chưa tạo được trang: {} lỗi", problems.len());
                }
            };
            let mut password = None;
            let first_admin = match admin {
                None => None,
                Some(u) => {
                    let u = domain::normalize_username(&u).map_err(|e| anyhow::anyhow!("{e}"))?;
                    match store.user_by_username(&u).await? {
                        Some((user, _)) => Some((u, FirstAdmin::Existing(user.id))),
                        None => {
                            if admin_name.trim().is_empty() {
                                bail!(
                                    "tài khoản “{u}” chưa có: hãy ghi --admin-name \"Họ và tên\""
                                );
                            }
                            let p = domain::password::generate_password();
                            let hash = domain::password::hash_password(&p);
                            password = Some(p);
                            Some((
                                u.clone(),
                                FirstAdmin::New {
                                    username: u,
                                    full_name: admin_name,
                                    password_hash: hash,
                                },
                            ))
                        }
                    }
                }
            };
            store
                .create_units(
                    &units,
                    first_admin.as_ref().map(|(_, a)| a),
                    cli_note(),
                    now,
                )
                .await?;
            let u = &units[0];
            println!(
                "Đã tạo đơn vị {} ({}) với trang http://{}/",
                u.name,
                u.key,
                u.hosts.first().map_or("", String::as_str)
            );
            if let Some((username, _)) = &first_admin {
                match &password {
                    Some(p) => println!(
                        "Quản trị trang: {username}, mật khẩu lần đầu (chỉ hiện lần này): {p}"
                    ),
                    None => println!("Quản trị trang: {username} (tài khoản đã có)"),
                }
            }
            Ok(())
        }
        SiteCommand::Edit {
            key,
            hosts,
            redirect,
        } => {
            let id = site_id(store, &key).await?;
            let hosts = match store.check_hosts(&hosts, Some(id)).await? {
                Ok(h) if !h.is_empty() => h,
                Ok(_) => bail!("trang cần ít nhất một tên miền"),
                Err(problems) => {
                    for m in &problems {
                        eprintln!("  {m}");
                    }
                    bail!("chưa lưu được tên miền");
                }
            };
            store
                .set_site_hosts(id, &hosts, redirect, cli_note(), now)
                .await?;
            println!("Đã lưu tên miền của trang {key}: {}", hosts.join(", "));
            Ok(())
        }
        SiteCommand::Suspend { key } => {
            let id = site_id(store, &key).await?;
            store.set_site_suspended(id, true, cli_note(), now).await?;
            println!("Trang {key} đã tạm ngừng hoạt động; dữ liệu vẫn được giữ.");
            Ok(())
        }
        SiteCommand::Resume { key } => {
            let id = site_id(store, &key).await?;
            store.set_site_suspended(id, false, cli_note(), now).await?;
            println!("Trang {key} đã hoạt động trở lại.");
            Ok(())
        }
    }
}

/// The column a header names, by its words without tone marks.
fn column_of(header: &str) -> Option<&'static str> {
    let h = vntext::fold_lower(header);
    let h = h.trim();
    Some(match h {
        "ten" | "ten don vi" | "ten truong" | "don vi" => "name",
        "ma" | "ma don vi" | "ma truong" => "key",
        "loai" | "loai don vi" | "loai hinh" | "cap hoc" => "kind",
        "don vi cap tren" | "cap tren" | "don vi chu quan" | "truc thuoc" => "parent",
        "ten mien" | "ten mien trang" | "dia chi trang" | "website" => "hosts",
        _ => return None,
    })
}

/// Reads a sheet of units into drafts, each with its line; or why it cannot.
pub fn read_units(path: &Path) -> anyhow::Result<Vec<(u32, UnitDraft)>> {
    let bytes =
        std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let table = exam::read_table(&bytes, name).map_err(|e| anyhow::anyhow!("{e}"))?;
    let columns: Vec<Option<&str>> = table.headers().iter().map(|h| column_of(h)).collect();
    for needed in ["name", "kind"] {
        if !columns.contains(&Some(needed)) {
            bail!(
                "Dòng tiêu đề (dòng {}) thiếu cột “{}”; các cột là: tên, mã, loại, đơn vị cấp trên, tên miền.",
                table.header_line(),
                if needed == "name" { "tên" } else { "loại" }
            );
        }
    }
    let mut out = Vec::new();
    for row in table.data_rows() {
        let mut d = UnitDraft {
            redirect_to_main: true,
            ..Default::default()
        };
        for (i, col) in columns.iter().enumerate() {
            let value = row.get(i).display();
            match col {
                Some("name") => d.name = value,
                Some("key") => d.key = value,
                Some("kind") => d.kind = value,
                Some("parent") => d.parent = value,
                Some("hosts") => {
                    d.hosts = value
                        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                        .filter(|h| !h.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                _ => {}
            }
        }
        out.push((row.line(), d));
    }
    Ok(out)
}

/// `eduportal unit import FILE`: every bad row named with its line; all or none.
pub async fn unit(store: &Store, command: UnitCommand, now: i64) -> anyhow::Result<()> {
    let UnitCommand::Import { file, check } = command;
    let rows = read_units(&file)?;
    if rows.is_empty() {
        bail!("Tệp không có dòng đơn vị nào dưới dòng tiêu đề.");
    }
    let drafts: Vec<UnitDraft> = rows.iter().map(|(_, d)| d.clone()).collect();
    let units = match store.prepare_units(&drafts).await? {
        Ok(u) => u,
        Err(problems) => {
            eprintln!("Tệp có {} lỗi; chưa nhập đơn vị nào:", problems.len());
            for (i, m) in &problems {
                eprintln!("  Dòng {}: {m}", rows[*i].0);
            }
            bail!("không nhập: hãy sửa các dòng trên rồi nhập lại");
        }
    };
    let sites = units.iter().filter(|u| !u.hosts.is_empty()).count();
    if check {
        println!(
            "Tệp hợp lệ: {} đơn vị, {} trang. (--check: chưa lưu gì.)",
            units.len(),
            sites
        );
        return Ok(());
    }
    store.create_units(&units, None, cli_note(), now).await?;
    println!("Đã nhập {} đơn vị, {} trang.", units.len(), sites);
    Ok(())
}
