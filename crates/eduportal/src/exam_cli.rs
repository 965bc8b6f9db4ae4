//! `eduportal exam …`: exam sessions from the command line, for files too large to
//! upload through a browser and for scripted set-ups (the benchmark).

use anyhow::Context;
use clap::Subcommand;
use domain::ExamSessionId;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use store::Store;

#[derive(Subcommand)]
pub enum ExamCommand {
    /// List every site's exam sessions.
    List,
    /// Create an exam session (its subjects come from the first imported file).
    Create {
        /// The site (its key, see `user list`).
        #[arg(long)]
        site: String,
        /// The session's name, e.g. "Kỳ thi tuyển sinh lớp 10".
        #[arg(long)]
        name: String,
        /// School year, e.g. 2026-2027.
        #[arg(long, default_value = "")]
        school_year: String,
        /// Kind: tuyen-sinh-10, tot-nghiep-thpt, hoc-sinh-gioi or khac.
        #[arg(long, default_value = "khac")]
        kind: String,
        /// What a lookup needs: sbd-ngay-sinh (the default) or sbd.
        #[arg(long, default_value = "sbd-ngay-sinh")]
        rule: String,
        /// When results become public, "dd/mm/yyyy hh:mm" in Vietnamese time.
        #[arg(long)]
        publish_at: Option<String>,
    },
    /// Import a results file (XLSX, XLS, ODS, CSV) into a session: prints the
    /// column mapping and every bad row; saves all rows or none.
    Import {
        /// The file.
        file: PathBuf,
        /// The session's id (see `exam list`).
        #[arg(long)]
        session: i64,
        /// Import without asking for confirmation.
        #[arg(long)]
        yes: bool,
        /// The worksheet to read (a workbook's first visible one otherwise; hidden
        /// sheets are never read).
        #[arg(long)]
        sheet: Option<String>,
        /// Import even when more than half of the session's candidates would be
        /// removed (their numbers are not in the file).
        #[arg(long)]
        allow_shrink: bool,
    },
    /// Set when a session's results become public ("now" when --at is not given).
    Publish {
        /// The session's id.
        session: i64,
        /// "dd/mm/yyyy hh:mm" in Vietnamese time.
        #[arg(long)]
        at: Option<String>,
        /// Take the session off the public page (no publish time).
        #[arg(long, conflicts_with = "at")]
        clear: bool,
    },
}

fn time(raw: &str) -> anyhow::Result<i64> {
    vntext::parse_local_datetime_any(raw).with_context(|| {
        format!("thời điểm “{raw}” không đọc được (dạng dd/mm/yyyy hh:mm, ví dụ 15/06/2026 08:00)")
    })
}

pub async fn run(
    store: &Store,
    command: ExamCommand,
    max_cells: u64,
    now: i64,
) -> anyhow::Result<()> {
    match command {
        ExamCommand::List => {
            let sites = store.sites().await?;
            let sessions = store.exam_sessions(None).await?;
            if sessions.is_empty() {
                println!("Chưa có kỳ thi nào.");
            }
            for s in sessions {
                let site = sites
                    .iter()
                    .find(|x| x.id == s.site_id)
                    .map_or("?", |x| x.key.as_str());
                let publish = match s.publish_at {
                    None => "chưa đặt lịch công bố".to_owned(),
                    Some(t) if t <= now => format!("công bố {}", vntext::format_datetime(t)),
                    Some(t) => format!("sẽ công bố {}", vntext::format_datetime(t)),
                };
                println!(
                    "{:>4}  {:<10} {} ({}) · {} thí sinh · {} môn · {}",
                    s.id.0,
                    site,
                    s.name,
                    s.school_year,
                    vntext::format_number(s.candidates),
                    s.spec.subjects.len(),
                    publish
                );
            }
        }
        ExamCommand::Create {
            site,
            name,
            school_year,
            kind,
            rule,
            publish_at,
        } => {
            let site_id = store
                .sites()
                .await?
                .into_iter()
                .find(|s| s.key == site)
                .with_context(|| format!("không có trang nào mang mã {site}"))?
                .id;
            anyhow::ensure!(
                store::EXAM_KINDS.iter().any(|(k, _)| *k == kind),
                "loại kỳ thi không hợp lệ: {kind}"
            );
            let lookup = match rule.as_str() {
                "sbd" => exam::LookupRule::SbdOnly,
                "sbd-ngay-sinh" | "sbd_ngay_sinh" => exam::LookupRule::SbdAndBirthDate,
                other => {
                    anyhow::bail!("quy tắc tra cứu không hợp lệ: {other} (sbd hoặc sbd-ngay-sinh)")
                }
            };
            let name = vntext::clean_line(&name);
            anyhow::ensure!(!name.is_empty(), "hãy đặt tên kỳ thi (--name)");
            let publish_at = publish_at.as_deref().map(time).transpose()?;
            let id = store
                .create_exam_session(
                    &store::NewExamSession {
                        site: site_id,
                        name: &name,
                        school_year: &school_year,
                        kind: &kind,
                        lookup,
                        publish_at,
                        by: None,
                        ip: store::COMMAND_LINE,
                    },
                    now,
                )
                .await?;
            println!("Đã tạo kỳ thi {id}: {name}");
        }
        ExamCommand::Import {
            file,
            session,
            yes,
            sheet,
            allow_shrink,
        } => {
            let options = exam::ReadOptions { max_cells, sheet };
            let confirm = Confirm { yes, allow_shrink };
            import(store, &file, session, &options, confirm, now).await?
        }
        ExamCommand::Publish { session, at, clear } => {
            let s = store
                .exam_session(ExamSessionId(session))
                .await?
                .with_context(|| format!("không có kỳ thi {session}"))?;
            let at = match (clear, at) {
                (true, _) => None,
                (false, Some(raw)) => Some(time(&raw)?),
                (false, None) => Some(now),
            };
            store
                .set_exam_publish_at(s.id, s.site_id, at, None, "", now)
                .await?;
            match at {
                Some(t) => println!(
                    "Kỳ thi {session} công bố lúc {}.",
                    vntext::format_datetime(t)
                ),
                None => println!("Kỳ thi {session} không còn lịch công bố."),
            }
        }
    }
    Ok(())
}

/// What the command line already agreed to.
#[derive(Clone, Copy)]
struct Confirm {
    yes: bool,
    allow_shrink: bool,
}

async fn import(
    store: &Store,
    file: &std::path::Path,
    session: i64,
    options: &exam::ReadOptions,
    confirm: Confirm,
    now: i64,
) -> anyhow::Result<()> {
    let s = store
        .exam_session(ExamSessionId(session))
        .await?
        .with_context(|| format!("không có kỳ thi {session} (xem `eduportal exam list`)"))?;
    let started = Instant::now();
    eprintln!("Đang đọc {} …", file.display());
    let bytes =
        std::fs::read(file).with_context(|| format!("không đọc được tệp {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| exam::clean_label(&n.to_string_lossy(), 200))
        .unwrap_or_default();
    let prepared = {
        let (name, s, options) = (name.clone(), s.clone(), options.clone());
        tokio::task::spawn_blocking(move || store::prepare_import(&bytes, &name, &s, &options))
            .await?
    }
    .map_err(|why| anyhow::anyhow!("không đọc được tệp {name}: {why}"))?;
    eprintln!(
        "Đã đọc và kiểm tra {} dòng trong {:.1} s.",
        vntext::format_number(prepared.data_rows as i64),
        started.elapsed().as_secs_f64()
    );
    println!("Kỳ thi {}: {}", s.id, s.name);
    if let Some(sheet) = &prepared.sheet {
        println!("Trang tính: {sheet}");
        if prepared.sheets.len() > 1 {
            println!(
                "Tệp có {} trang tính đang hiện: {} (chọn trang khác bằng --sheet TÊN)",
                prepared.sheets.len(),
                prepared.sheets.join(", ")
            );
        }
    }
    if s.spec.subjects.is_empty() {
        let subjects: Vec<&str> = prepared
            .spec
            .subjects
            .iter()
            .map(|x| x.name.as_str())
            .collect();
        println!("Các môn đọc từ tiêu đề: {}", subjects.join(", "));
    }
    println!("Cột trong tệp:");
    for (letter, header, field) in prepared.mapping.describe(&prepared.spec) {
        println!("  {letter:<3} {header:<30} → {field}");
    }
    let candidates = match prepared.outcome {
        Ok(c) => c,
        Err(errors) => {
            println!("Tệp có {} lỗi; chưa nhập gì:", errors.len());
            for e in &errors {
                match (e.line, e.sbd.is_empty()) {
                    (0, _) => println!("  {}", e.reason_vi),
                    (l, true) => println!("  Dòng {l}: {}", e.reason_vi),
                    (l, false) => println!("  Dòng {l} (SBD {}): {}", e.sbd, e.reason_vi),
                }
            }
            anyhow::bail!("không nhập tệp có lỗi");
        }
    };
    println!(
        "Sẵn sàng nhập {} thí sinh{}.",
        vntext::format_number(candidates.len() as i64),
        if s.candidates > 0 {
            format!(
                " (thay cho {} thí sinh hiện có)",
                vntext::format_number(s.candidates)
            )
        } else {
            String::new()
        }
    );
    let removed = store::removed_candidates(store, &s, &candidates).await?;
    if store::shrinks_too_much(s.candidates, removed) {
        let what = format!(
            "lần nhập này sẽ xoá {} trong số {} thí sinh hiện có (quá một nửa), vì số báo danh của họ không có trong tệp",
            vntext::format_number(removed),
            vntext::format_number(s.candidates)
        );
        anyhow::ensure!(
            confirm.allow_shrink,
            "{what}; chưa nhập gì. Nếu đúng là như vậy, hãy chạy lại lệnh với --allow-shrink"
        );
        println!("Cảnh báo: {what} (đã cho phép bằng --allow-shrink).");
    }
    if !confirm.yes {
        print!("Nhập? [c/K] ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(
            vntext::fold_lower(answer.trim()).as_str(),
            "c" | "co" | "y" | "yes"
        ) {
            println!("Đã hủy; chưa nhập gì.");
            return Ok(());
        }
    }
    let writing = Instant::now();
    let progress = |done: usize, total: usize| {
        eprint!(
            "\rĐang ghi vào cơ sở dữ liệu: {}/{} ({}%)",
            vntext::format_number(done as i64),
            vntext::format_number(total as i64),
            done * 100 / total.max(1)
        );
    };
    let outcome = store
        .import_exam(
            &store::ExamImport {
                session: s.id,
                site: s.site_id,
                base_revision: s.revision,
                spec: &prepared.spec,
                candidates: &candidates,
                file_name: &name,
                by: None,
                ip: store::COMMAND_LINE,
                progress: Some(&progress),
            },
            now,
        )
        .await;
    eprintln!();
    let outcome = match outcome {
        Err(store::Error::Stale) => {
            anyhow::bail!("kỳ thi vừa được nhập từ nơi khác; hãy chạy lại lệnh")
        }
        other => other?,
    };
    eprintln!(
        "Đã ghi trong {:.1} s (tổng {:.1} s).",
        writing.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "Đã nhập {} thí sinh vào kỳ thi {}.",
        vntext::format_number(outcome.rows as i64),
        s.id
    );
    if s.candidates > 0 {
        println!(
            "{} thí sinh có kết quả thay đổi so với lần nhập trước.",
            vntext::format_number(outcome.changed as i64)
        );
    }
    Ok(())
}
