//! The import of existing documents (issue 14), shared by the back office
//! (`/quan-tri/van-ban/nhap`) and the command line (`eduportal document import`).
//!
//! A sheet (XLSX, XLS, ODS or CSV, read by `exam::read_table`) lists the documents,
//! one a row, under a header row with Vietnamese column names, marks or not; their
//! files come in a folder or a ZIP and are named in the column "Tệp" (several
//! separated by ";"). [`preview`] reads and checks everything and saves nothing:
//! every bad row is named with its line. [`write`] stores the files and writes the
//! documents in one transaction: all or none.
//!
//! Names of types, issuers, signers and fields that the site's lists do not have yet
//! are added to them (the preview lists them first), as an office that arrives with
//! years of documents expects.

use domain::{DocumentDraft, SafeHtml, SiteId, TermList, UserId, number_key};
use exam::CellValue;
use media::{Kind, Limits};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use store::{DocumentImport, ImportedDocument, ImportedFile, MediaInput, Store, TermIndex};

/// Entries a ZIP may hold.
const MAX_ZIP_ENTRIES: usize = 20_000;
/// Problems listed at most; the rest are counted.
const MAX_PROBLEMS: usize = 500;
/// The longest name of a type, issuer, signer or field.
const MAX_TERM_CHARS: usize = 200;

/// The columns, by field: what their headers may say, folded (no marks, lower case).
const COLUMNS: [(Col, &[&str]); 13] = [
    (
        Col::Number,
        &[
            "so/ky hieu",
            "so ky hieu",
            "so, ky hieu",
            "so hieu",
            "so hieu van ban",
            "so van ban",
            "ky hieu",
            "so",
        ],
    ),
    (
        Col::Summary,
        &["trich yeu", "trich yeu noi dung", "ten van ban", "tieu de"],
    ),
    (
        Col::Kind,
        &["loai van ban", "loai", "hinh thuc van ban", "the loai"],
    ),
    (
        Col::Issuer,
        &[
            "co quan ban hanh",
            "noi ban hanh",
            "co quan",
            "don vi ban hanh",
        ],
    ),
    (Col::Issued, &["ngay ban hanh", "ngay ky", "ngay van ban"]),
    (Col::Signer, &["nguoi ky", "nguoi ky van ban"]),
    (Col::Position, &["chuc vu", "chuc vu nguoi ky", "chuc danh"]),
    (Col::Fields, &["linh vuc", "cac linh vuc"]),
    (
        Col::Effective,
        &["ngay hieu luc", "ngay co hieu luc", "hieu luc tu ngay"],
    ),
    (
        Col::Expires,
        &["ngay het hieu luc", "het hieu luc", "het hieu luc tu ngay"],
    ),
    (
        Col::Replaces,
        &[
            "thay the",
            "van ban thay the",
            "thay the van ban",
            "van ban bi thay the",
            "so van ban bi thay the",
        ],
    ),
    (Col::Body, &["noi dung", "noi dung van ban"]),
    (
        Col::Files,
        &[
            "tep",
            "tep dinh kem",
            "tep tin",
            "file",
            "tai lieu dinh kem",
        ],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Number,
    Summary,
    Kind,
    Issuer,
    Issued,
    Signer,
    Position,
    Fields,
    Effective,
    Expires,
    Replaces,
    Body,
    Files,
}

/// A header as compared: folded, without "*" or ":", single spaces, "số / ký hiệu"
/// as "so/ky hieu".
fn header_key(h: &str) -> String {
    let f = vntext::fold_lower(h).replace(['*', ':'], " ");
    f.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" / ", "/")
        .replace("/ ", "/")
        .replace(" /", "/")
}

/// The files a sheet names: a folder (the command line) or a ZIP.
pub struct FileSet {
    /// By lower-case NFC path with "/": where the bytes are.
    entries: HashMap<String, Source>,
    /// By lower-case file name alone: the paths that end with it.
    names: HashMap<String, Vec<String>>,
    zip: Option<Mutex<zip::ZipArchive<std::io::Cursor<bytes::Bytes>>>>,
    /// What one file may weigh (the documents' limit): reading stops past it.
    per_file: u64,
    /// "thư mục …" or "tệp ZIP …", for the messages.
    label: String,
}

enum Source {
    Path(PathBuf),
    Zip(usize),
}

fn path_key(name: &str) -> String {
    vntext::nfc(name.trim())
        .replace('\\', "/")
        .trim_start_matches("./")
        .to_lowercase()
}

/// Why a set of files could not be opened, said to the person importing.
pub type Refusal = String;

impl FileSet {
    /// No files: a sheet whose rows name none.
    pub fn empty() -> FileSet {
        FileSet {
            entries: HashMap::new(),
            names: HashMap::new(),
            zip: None,
            per_file: 0,
            label: "tệp ZIP".into(),
        }
    }

    /// The files of a ZIP. Refused whole when an entry's name leads out of the
    /// folder ("..", an absolute path), when it has too many entries, or when what
    /// it says it unpacks to passes `limits.document_bytes` × its files (a zip bomb).
    pub fn zip(bytes: bytes::Bytes, file_name: &str, limits: &Limits) -> Result<FileSet, Refusal> {
        let label = format!("tệp ZIP “{file_name}”");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|_| format!("Không mở được {label}: tệp hỏng hoặc không phải tệp ZIP."))?;
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(format!(
                "{label} có {} mục, quá giới hạn {}; hãy chia thành nhiều lần nhập.",
                vntext::format_number(archive.len() as i64),
                vntext::format_number(MAX_ZIP_ENTRIES as i64)
            ));
        }
        let mut set = FileSet {
            entries: HashMap::new(),
            names: HashMap::new(),
            zip: None,
            per_file: limits.document_bytes,
            label: label.clone(),
        };
        let mut declared = 0u64;
        let mut files = 0u64;
        for i in 0..archive.len() {
            let entry = archive
                .by_index_raw(i)
                .map_err(|_| format!("Không đọc được {label}: mục thứ {} hỏng.", i + 1))?;
            let name = entry
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
            if !is_enclosed(&name) || entry.enclosed_name().is_none() {
                return Err(format!(
                    "{label} có mục “{name}” trỏ ra ngoài thư mục (có “..” hoặc là đường dẫn tuyệt đối); không nhập gì cả."
                ));
            }
            if entry.is_dir() {
                continue;
            }
            files += 1;
            declared = declared.saturating_add(entry.size());
            set.add(&name, Source::Zip(i));
        }
        if declared > limits.document_bytes.saturating_mul(files.max(1)) {
            return Err(format!(
                "{label} giải nén ra quá lớn ({} cho {} tệp); mỗi tệp văn bản tối đa {}.",
                crate::media::admin::human_size(declared as i64),
                files,
                crate::media::admin::human_size(limits.document_bytes as i64)
            ));
        }
        set.zip = Some(Mutex::new(archive));
        Ok(set)
    }

    /// The files of a folder and its subfolders (links are not followed).
    pub fn folder(dir: &Path, limits: &Limits) -> Result<FileSet, Refusal> {
        let label = format!("thư mục “{}”", dir.display());
        let mut set = FileSet {
            entries: HashMap::new(),
            names: HashMap::new(),
            zip: None,
            per_file: limits.document_bytes,
            label: label.clone(),
        };
        let mut stack = vec![dir.to_path_buf()];
        while let Some(at) = stack.pop() {
            let listing =
                std::fs::read_dir(&at).map_err(|e| format!("Không đọc được {label}: {e}."))?;
            for entry in listing.flatten() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file()
                    && let Ok(rel) = path.strip_prefix(dir)
                {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    set.add(&rel, Source::Path(path));
                }
                if set.entries.len() > MAX_ZIP_ENTRIES * 5 {
                    return Err(format!("{label} có quá nhiều tệp."));
                }
            }
        }
        Ok(set)
    }

    fn add(&mut self, path: &str, source: Source) {
        let key = path_key(path);
        let base = key.rsplit('/').next().unwrap_or(&key).to_owned();
        self.names.entry(base).or_default().push(key.clone());
        self.entries.insert(key, source);
    }

    /// The path of the file a sheet names: the path as written, or the file name
    /// alone when one file of the set has it.
    fn find(&self, named: &str) -> Result<String, String> {
        let key = path_key(named);
        if self.entries.contains_key(&key) {
            return Ok(key);
        }
        let base = key.rsplit('/').next().unwrap_or(&key);
        match self.names.get(base).map(Vec::as_slice) {
            Some([one]) => Ok(one.clone()),
            Some(more) if more.len() > 1 => Err(format!(
                "có {} tệp tên “{named}” trong {}; hãy ghi cả thư mục",
                more.len(),
                self.label
            )),
            _ => Err(format!("tệp “{named}” không có trong {}", self.label)),
        }
    }

    /// The bytes of the file at `key` (from [`FileSet::find`]), read no further
    /// than the documents' limit.
    fn read(&self, key: &str) -> Result<Vec<u8>, String> {
        let cap = self.per_file.saturating_add(1);
        let mut out = Vec::new();
        match self.entries.get(key) {
            Some(Source::Path(p)) => {
                std::fs::File::open(p)
                    .and_then(|f| f.take(cap).read_to_end(&mut out))
                    .map_err(|e| format!("không đọc được tệp: {e}"))?;
            }
            Some(Source::Zip(i)) => {
                let zip = self.zip.as_ref().ok_or("tệp ZIP không còn")?;
                let mut archive = zip.lock().unwrap_or_else(|e| e.into_inner());
                let entry = archive
                    .by_index(*i)
                    .map_err(|_| "không giải nén được (hỏng hoặc có mật khẩu)".to_owned())?;
                entry
                    .take(cap)
                    .read_to_end(&mut out)
                    .map_err(|_| "không giải nén được (hỏng)".to_owned())?;
            }
            None => return Err("tệp không còn".into()),
        }
        if out.len() as u64 > self.per_file {
            return Err(format!(
                "tệp quá lớn; mỗi tệp văn bản tối đa {}",
                crate::media::admin::human_size(self.per_file as i64)
            ));
        }
        Ok(out)
    }
}

/// Whether a ZIP entry's name stays inside the folder it is unpacked into.
fn is_enclosed(name: &str) -> bool {
    let n = name.replace('\\', "/");
    !(n.starts_with('/')
        || n.as_bytes().get(1) == Some(&b':')
        || n.split('/').any(|part| part == ".."))
}

/// Whether a file may be attached to a document, as the document form decides:
/// PDF, Word or Excel by content, within the documents' size limit.
pub(crate) fn attachable(bytes: &[u8], limits: &Limits) -> Result<media::Sniffed, String> {
    let sniffed = media::sniff(bytes).map_err(|e| e.to_string())?;
    if !matches!(sniffed.kind, Kind::Pdf | Kind::Document | Kind::Spreadsheet) {
        return Err(
            "văn bản chỉ đính kèm tệp PDF, Word (DOC, DOCX) hoặc Excel (XLS, XLSX).".to_owned(),
        );
    }
    limits
        .check(sniffed.kind, bytes.len() as u64)
        .map_err(|e| e.to_string())?;
    Ok(sniffed)
}

/// One row as read, before its names become ids.
#[derive(Debug, Clone)]
pub struct PlannedRow {
    /// Line in the sheet.
    pub line: u32,
    /// The checked row, ready for the store (without files).
    pub doc: ImportedDocument,
    /// Its files: the key in the [`FileSet`] and the name readers see.
    pub files: Vec<(String, String)>,
}

/// What an import would do, or why it cannot.
#[derive(Debug, Default)]
pub struct Preview {
    /// Every good row.
    pub rows: Vec<PlannedRow>,
    /// Every problem, "Dòng 7: …" (sheet-wide ones without a line).
    pub problems: Vec<String>,
    /// Names the site's lists will gain: "Loại văn bản: Hướng dẫn".
    pub new_terms: Vec<String>,
    /// Rows read (good and bad).
    pub read: usize,
    /// Files the rows name.
    pub files: usize,
}

impl Preview {
    /// Whether it can be imported: rows, and no problem.
    pub fn is_good(&self) -> bool {
        self.problems.is_empty() && !self.rows.is_empty()
    }
}

fn date_cell(v: CellValue<'_>) -> String {
    match v {
        CellValue::Date(d) => d.strftime("%d/%m/%Y").to_string(),
        CellValue::Number(n) => match exam::excel_serial_date(n) {
            Some(d) => d.strftime("%d/%m/%Y").to_string(),
            None => v.display(),
        },
        CellValue::Text(t) => {
            let t = t.trim();
            if t.is_empty() || vntext::parse_typed_date(t).is_some() {
                t.to_owned()
            } else {
                exam::parse_date_text(t)
                    .map_or_else(|| t.to_owned(), |d| d.strftime("%d/%m/%Y").to_string())
            }
        }
        other => other.display(),
    }
}

fn text_cell(v: CellValue<'_>) -> String {
    vntext::clean_line(&v.display())
}

/// Splits a cell of several values ("Giáo dục; Tài chính").
fn several(cell: &str, separators: &[char]) -> Vec<String> {
    cell.split(separators)
        .map(vntext::clean_line)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads and checks an import; saves nothing. `files` is the folder or ZIP the
/// rows' files are in.
pub async fn preview(
    store: &Store,
    site: SiteId,
    sheet: bytes::Bytes,
    sheet_name: &str,
    files: std::sync::Arc<FileSet>,
    limits: Limits,
) -> Result<Preview, store::Error> {
    let (numbers, slugs) = store.document_numbers(site).await?;
    let terms = store.document_term_index(site).await?;
    let name = sheet_name.to_owned();
    let checked = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_sheet(&sheet, &name, &files, &limits, &numbers, &slugs, &terms)
        }))
    })
    .await;
    Ok(match checked {
        Ok(Ok(p)) => p,
        _ => Preview {
            problems: vec![format!(
                "Không đọc được tệp {sheet_name}; hãy lưu lại bằng Excel (XLSX) rồi thử lần nữa."
            )],
            ..Preview::default()
        },
    })
}

fn check_sheet(
    bytes: &[u8],
    sheet_name: &str,
    files: &FileSet,
    limits: &Limits,
    numbers: &HashMap<String, domain::DocumentId>,
    slugs: &HashMap<String, domain::DocumentId>,
    terms: &TermIndex,
) -> Preview {
    let mut out = Preview::default();
    let mut table = match exam::read_table(bytes, sheet_name) {
        Ok(t) => t,
        Err(e) => {
            out.problems
                .push(format!("Không đọc được tệp {sheet_name}: {e}."));
            return out;
        }
    };
    let column_of = |h: &str| {
        let k = header_key(h);
        COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&k.as_str()))
            .map(|(c, _)| *c)
    };
    let Some(header) = table.all_rows().position(|r| {
        let cols: Vec<Option<Col>> = r.display().iter().map(|c| column_of(c)).collect();
        cols.contains(&Some(Col::Number)) && cols.contains(&Some(Col::Summary))
    }) else {
        out.problems.push(
            "Không thấy dòng tiêu đề: tệp cần ít nhất các cột Số/ký hiệu, Trích yếu, Loại văn bản, Cơ quan ban hành, Ngày ban hành."
                .to_owned(),
        );
        return out;
    };
    table.set_header_row(header);
    let mut at: HashMap<Col, usize> = HashMap::new();
    for (i, h) in table.headers().iter().enumerate() {
        if let Some(c) = column_of(h) {
            at.entry(c).or_insert(i);
        }
    }
    for (needed, label) in [
        (Col::Kind, "Loại văn bản"),
        (Col::Issuer, "Cơ quan ban hành"),
        (Col::Issued, "Ngày ban hành"),
    ] {
        if !at.contains_key(&needed) {
            out.problems.push(format!(
                "Dòng {}: thiếu cột “{label}”.",
                table.header_line()
            ));
        }
    }
    if !out.problems.is_empty() {
        return out;
    }
    // First the rows' own checks, then those across rows (numbers, replacements).
    let mut sheet_numbers: HashMap<String, u32> = HashMap::new();
    let mut sheet_slugs: HashMap<String, u32> = HashMap::new();
    let mut new_terms: Vec<(TermList, String)> = Vec::new();
    let mut problems: Vec<(u32, Vec<String>)> = Vec::new();
    let mut replaces: Vec<(u32, String, String)> = Vec::new();
    for row in table.data_rows() {
        if row.is_blank() {
            continue;
        }
        out.read += 1;
        let get = |c: Col| at.get(&c).map(|&i| row.get(i)).unwrap_or(CellValue::Empty);
        let line = row.line();
        let mut bad = Vec::new();
        let kind = text_cell(get(Col::Kind));
        let issuer = text_cell(get(Col::Issuer));
        let signer = text_cell(get(Col::Signer));
        let position = text_cell(get(Col::Position));
        let fields = several(&text_cell(get(Col::Fields)), &[';', ',']);
        let replaced = text_cell(get(Col::Replaces));
        let body = get(Col::Body).display();
        let draft = DocumentDraft {
            number: text_cell(get(Col::Number)),
            summary: text_cell(get(Col::Summary)),
            // The lists are named, not chosen: checked below.
            kind_id: 1,
            issuer_id: 1,
            issued_on: date_cell(get(Col::Issued)),
            effective_on: date_cell(get(Col::Effective)),
            expires_on: date_cell(get(Col::Expires)),
            body: SafeHtml::sanitize(&body_html(&body)),
            ..DocumentDraft::default()
        };
        let (dates, checks) = draft.check();
        bad.extend(checks);
        if kind.is_empty() {
            bad.push("Chưa ghi loại văn bản.".to_owned());
        }
        if issuer.is_empty() {
            bad.push("Chưa ghi cơ quan ban hành.".to_owned());
        }
        let mut names = vec![
            (TermList::Type, kind.clone()),
            (TermList::Issuer, issuer.clone()),
        ];
        if !signer.is_empty() {
            names.push((TermList::Signer, signer.clone()));
        } else if !position.is_empty() {
            bad.push("Có chức vụ mà chưa ghi người ký.".to_owned());
        }
        names.extend(fields.iter().map(|f| (TermList::Field, f.clone())));
        for (list, name) in &names {
            if name.chars().count() > MAX_TERM_CHARS {
                bad.push(format!("{} dài quá {MAX_TERM_CHARS} ký tự.", list.label()));
            } else if !name.is_empty()
                && !terms.contains_key(&(*list, vntext::fold_lower(name)))
                && !new_terms
                    .iter()
                    .any(|(l, n)| l == list && vntext::fold_lower(n) == vntext::fold_lower(name))
            {
                new_terms.push((*list, name.clone()));
            }
        }
        if !draft.number.is_empty() {
            let key = number_key(&draft.number);
            if let Some(first) = sheet_numbers.get(&key) {
                bad.push(format!(
                    "Số/ký hiệu “{}” trùng với dòng {first}.",
                    draft.number
                ));
            } else if numbers.contains_key(&key) {
                bad.push(format!("Số/ký hiệu “{}” đã có trên trang.", draft.number));
            } else {
                sheet_numbers.insert(key, line);
                let slug = draft.slug();
                if let Some(first) = sheet_slugs.get(&slug) {
                    bad.push(format!("Trùng số/ký hiệu và trích yếu với dòng {first}."));
                } else if slugs.contains_key(&slug) {
                    bad.push("Trang đã có văn bản cùng số/ký hiệu và trích yếu này.".to_owned());
                } else if !slug.is_empty() {
                    sheet_slugs.insert(slug, line);
                }
            }
        }
        if !replaced.is_empty() {
            replaces.push((line, draft.number.clone(), replaced.clone()));
        }
        let mut row_files = Vec::new();
        for named in several(&text_cell(get(Col::Files)), &[';']) {
            out.files += 1;
            let checked = files.find(&named).and_then(|key| {
                let bytes = files.read(&key)?;
                attachable(&bytes, limits).map_err(|why| format!("tệp “{named}”: {why}"))?;
                Ok(key)
            });
            match checked {
                Ok(key) => {
                    let shown = named
                        .rsplit(['/', '\\'])
                        .next()
                        .unwrap_or(&named)
                        .to_owned();
                    row_files.push((key, shown));
                }
                Err(why) => bad.push(format!("{}.", capitalise(why.trim_end_matches('.')))),
            }
        }
        if bad.is_empty() {
            out.rows.push(PlannedRow {
                line,
                doc: ImportedDocument {
                    line,
                    draft,
                    dates,
                    kind,
                    issuer,
                    signer: (!signer.is_empty()).then_some((signer, position)),
                    fields,
                    replaces: (!replaced.is_empty()).then_some(replaced),
                    files: Vec::new(),
                },
                files: row_files,
            });
        } else {
            problems.push((line, bad));
        }
    }
    for (line, number, replaced) in replaces {
        let key = number_key(&replaced);
        let problem = if key == number_key(&number) {
            Some("Văn bản không thể thay thế chính nó.".to_owned())
        } else if !numbers.contains_key(&key) && !sheet_numbers.contains_key(&key) {
            Some(format!(
                "Văn bản bị thay thế “{replaced}” không có trên trang hay trong tệp."
            ))
        } else {
            None
        };
        if let Some(p) = problem {
            out.rows.retain(|r| r.line != line);
            match problems.iter_mut().find(|(l, _)| *l == line) {
                Some((_, list)) => list.push(p),
                None => problems.push((line, vec![p])),
            }
        }
    }
    problems.sort_by_key(|(l, _)| *l);
    let count = problems.len();
    out.problems.extend(
        problems
            .into_iter()
            .take(MAX_PROBLEMS)
            .map(|(line, list)| format!("Dòng {line}: {}", list.join(" "))),
    );
    if count > MAX_PROBLEMS {
        out.problems.push(format!(
            "… và {} dòng lỗi nữa.",
            vntext::format_number((count - MAX_PROBLEMS) as i64)
        ));
    }
    if out.read == 0 {
        out.problems
            .push("Tệp không có dòng văn bản nào dưới dòng tiêu đề.".to_owned());
    }
    out.new_terms = new_terms
        .into_iter()
        .map(|(l, n)| format!("{}: {n}", l.label()))
        .collect();
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A sheet's "Nội dung" as HTML: each line a paragraph, escaped.
fn body_html(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            format!(
                "<p>{}</p>",
                l.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            )
        })
        .collect()
}

/// Where and how an import writes.
pub struct Target<'a> {
    /// The store.
    pub store: &'a Store,
    /// The site and its key (the media folder is named after it).
    pub site: SiteId,
    /// Its key.
    pub site_key: &'a str,
    /// The media folder.
    pub media_dir: &'a Path,
    /// Published now, or drafts.
    pub publish: bool,
    /// Who (none: the command line).
    pub by: Option<UserId>,
    /// The client's address.
    pub ip: &'a str,
    /// The sheet's name, for the audit log.
    pub sheet_name: &'a str,
}

/// Why [`write`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file could not be read again or stored.
    #[error("{0}")]
    File(String),
    /// The store refused or failed.
    #[error("{0}")]
    Store(#[from] store::Error),
}

/// Stores the files of a good preview and writes its documents, all or none;
/// how many. The files written are removed again when the documents are not.
pub async fn write(
    target: &Target<'_>,
    preview: &Preview,
    files: std::sync::Arc<FileSet>,
    now: i64,
) -> Result<usize, WriteError> {
    let rows: Vec<(Vec<(String, String)>, u32)> = preview
        .rows
        .iter()
        .map(|r| (r.files.clone(), r.line))
        .collect();
    let media_dir = target.media_dir.to_path_buf();
    let sub = format!(
        "tai-len/{}",
        crate::media::uploads::folder_name(target.site_key)
    );
    let site = target.site;
    let by = target.by;
    // Files are stored (and PDFs read) off the async threads, one after another.
    let stored = tokio::task::spawn_blocking(move || {
        let mut written: Vec<PathBuf> = Vec::new();
        let mut out = Vec::new();
        for (row_files, line) in rows {
            let mut list = Vec::new();
            for (key, name) in row_files {
                let done = files
                    .read(&key)
                    .and_then(|bytes| {
                        let sniffed = attachable(
                            &bytes,
                            &media::Limits {
                                document_bytes: files.per_file,
                                ..media::Limits::default()
                            },
                        )?;
                        let text = (sniffed.kind == Kind::Pdf).then(|| media::pdf_text(&bytes));
                        let stored = media::store_file(&media_dir, &sub, &bytes, sniffed)
                            .map_err(|e| format!("không lưu được tệp: {e}"))?;
                        written.push(media_dir.join(&stored.main));
                        Ok(ImportedFile {
                            media: MediaInput {
                                site_id: site,
                                path: stored.main,
                                thumb_path: stored.thumbnail,
                                mime: sniffed.mime.to_owned(),
                                width: 0,
                                height: 0,
                                bytes: bytes.len() as i64,
                                kind: crate::media::uploads::kind_name(sniffed.kind).to_owned(),
                                original_name: name.clone(),
                                sizes: Vec::new(),
                                uploaded_by: by,
                            },
                            name,
                            text,
                        })
                    })
                    .map_err(|why| format!("Dòng {line}: {why}"));
                match done {
                    Ok(f) => list.push(f),
                    Err(e) => return (written, Err(e)),
                }
            }
            out.push(list);
        }
        (written, Ok(out))
    })
    .await
    .map_err(|e| WriteError::File(format!("Không lưu được các tệp: {e}")))?;
    let (written, stored) = stored;
    let remove = |paths: &[PathBuf]| {
        for p in paths {
            let _ = std::fs::remove_file(p);
        }
    };
    let stored = match stored {
        Ok(s) => s,
        Err(e) => {
            remove(&written);
            return Err(WriteError::File(e));
        }
    };
    let documents: Vec<ImportedDocument> = preview
        .rows
        .iter()
        .zip(stored)
        .map(|(r, files)| ImportedDocument {
            files,
            ..r.doc.clone()
        })
        .collect();
    let note = format!("nhập từ tệp {}", target.sheet_name);
    let import = DocumentImport {
        site: target.site,
        documents: &documents,
        status: if target.publish {
            domain::ArticleStatus::Published
        } else {
            domain::ArticleStatus::Draft
        },
        published_at: now,
        by: target.by,
        ip: target.ip,
        note: &note,
    };
    match target.store.import_documents(&import, now).await {
        Ok(ids) => Ok(ids.len()),
        Err(e) => {
            remove(&written);
            Err(e.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_with_or_without_marks() {
        assert_eq!(header_key("Số / Ký hiệu *"), "so/ky hieu");
        assert_eq!(header_key("Số/ký hiệu"), "so/ky hieu");
        assert_eq!(header_key("SO KY HIEU"), "so ky hieu");
        assert_eq!(header_key("Trích yếu:"), "trich yeu");
        assert!(is_enclosed("van-ban/a.pdf"));
        assert!(!is_enclosed("../a.pdf"));
        assert!(!is_enclosed("a/../../b.pdf"));
        assert!(!is_enclosed("/etc/passwd"));
        assert!(!is_enclosed("C:\\x.pdf"));
    }
}
