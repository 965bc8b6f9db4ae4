//! `eduportal document import`: a sheet of existing documents with their files in
//! a folder or a ZIP, checked and imported as the back office's
//! `/quan-tri/van-ban/nhap` does (the same code: `web::document_import`). Every
//! bad row is named with its line; all rows are saved or none.

use anyhow::{Context, bail};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use store::Store;
use web::document_import::{self, FileSet, Target};

#[derive(Subcommand)]
pub enum DocumentCommand {
    /// Import a sheet of documents (XLSX, XLS, ODS or CSV) with the columns số/ký
    /// hiệu, trích yếu, loại văn bản, cơ quan ban hành, ngày ban hành (and người
    /// ký, chức vụ, lĩnh vực, ngày hiệu lực, ngày hết hiệu lực, thay thế, nội dung,
    /// tệp). Names missing from the site's lists are added to them.
    Import {
        /// The site: its key or one of its host names.
        #[arg(long)]
        site: String,
        /// The sheet.
        sheet: PathBuf,
        /// The folder holding the files the column "tệp" names.
        #[arg(long, conflicts_with = "zip")]
        files: Option<PathBuf>,
        /// A ZIP holding the files the column "tệp" names.
        #[arg(long)]
        zip: Option<PathBuf>,
        /// Publish the documents now (default: drafts, for editors to review).
        #[arg(long)]
        publish: bool,
        /// Check only and print what would be imported; save nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `eduportal document …`
pub async fn run(
    store: &Store,
    command: DocumentCommand,
    media_dir: &Path,
    limits: media::Limits,
    now: i64,
) -> anyhow::Result<()> {
    let DocumentCommand::Import {
        site,
        sheet,
        files,
        zip,
        publish,
        dry_run,
    } = command;
    let wanted = site.trim().to_lowercase();
    let site = store
        .sites()
        .await?
        .into_iter()
        .find(|s| s.key == wanted || s.hosts.iter().any(|h| h.to_lowercase() == wanted))
        .with_context(|| format!("không có trang “{site}” (xem `eduportal site list`)"))?;
    let sheet_name = file_name(&sheet);
    let bytes =
        std::fs::read(&sheet).with_context(|| format!("không đọc được tệp {}", sheet.display()))?;
    let set = match (&files, &zip) {
        (Some(dir), _) => FileSet::folder(dir, &limits),
        (None, Some(z)) => {
            let zip_bytes =
                std::fs::read(z).with_context(|| format!("không đọc được tệp {}", z.display()))?;
            FileSet::zip(zip_bytes.into(), &file_name(z), &limits)
        }
        (None, None) => Ok(FileSet::empty()),
    }
    .map_err(|why| anyhow::anyhow!(why))?;
    let set = Arc::new(set);
    let preview = document_import::preview(
        store,
        site.id,
        bytes.into(),
        &sheet_name,
        set.clone(),
        limits,
    )
    .await?;
    println!(
        "{sheet_name}: {} dòng văn bản, {} dòng hợp lệ, {} tệp đính kèm được nêu.",
        preview.read,
        preview.rows.len(),
        preview.files
    );
    for t in &preview.new_terms {
        println!("  Thêm vào danh mục: {t}");
    }
    if !preview.is_good() {
        eprintln!("Tệp có lỗi; chưa nhập văn bản nào:");
        for p in &preview.problems {
            eprintln!("  {p}");
        }
        bail!("không nhập: hãy sửa các dòng trên rồi nhập lại");
    }
    if dry_run {
        for r in preview.rows.iter().take(10) {
            println!(
                "  Dòng {}: {} — {}",
                r.line, r.doc.draft.number, r.doc.draft.summary
            );
        }
        println!("Tệp hợp lệ. (--dry-run: chưa lưu gì.)");
        return Ok(());
    }
    std::fs::create_dir_all(media_dir)
        .with_context(|| format!("không tạo được thư mục tệp {}", media_dir.display()))?;
    let target = Target {
        store,
        site: site.id,
        site_key: &site.key,
        media_dir,
        publish,
        by: None,
        ip: store::COMMAND_LINE,
        sheet_name: &sheet_name,
    };
    let n = document_import::write(&target, &preview, set, now)
        .await
        .map_err(|e| anyhow::anyhow!("chưa nhập gì cả: {e}"))?;
    println!(
        "Đã nhập {n} văn bản{} vào trang {}. Máy chủ đang chạy sẽ cập nhật chỉ mục tìm kiếm trong vòng tiếp theo.",
        if publish {
            " (đã đăng)"
        } else {
            " (bản nháp)"
        },
        site.key
    );
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
