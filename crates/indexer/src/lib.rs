//! This instance's search index and the indexer that keeps it current: used by
//! the server and by the command line (`eduportal reindex`), with no HTTP.
//!
//! Every change to an article adds a row to the store's outbox in the same
//! transaction. The indexer applies the rows after the last one this index has
//! seen: it asks the store whether each document is public now, and adds or removes
//! it. The position is written next to the index after each commit, so a crash
//! re-applies at most the last batch (adding a document twice replaces it): the
//! index is never left behind for good. Every instance has its own index and its
//! own position, fed from the same outbox.

use search::{Doc, DocKind, SearchIndex};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use store::{SearchArticle, Store};
use tokio::sync::Mutex;

/// Outbox rows applied per commit.
const BATCH: i64 = 500;
/// Outbox rows older than this are forgotten.
const OUTBOX_DAYS: i64 = 14;

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index itself.
    #[error("search index: {0}")]
    Index(#[from] search::Error),
    /// The store.
    #[error("{0}")]
    Store(#[from] store::Error),
    /// The position file.
    #[error("search index position: {0}")]
    Io(#[from] std::io::Error),
}

/// The index and where it stands in the outbox.
pub struct Searcher {
    index: Arc<SearchIndex>,
    dir: Option<PathBuf>,
    position: AtomicI64,
    /// One catch-up at a time.
    running: Mutex<()>,
    /// Failed catch-ups in a row, and when to try again.
    trouble: std::sync::Mutex<Trouble>,
}

/// Failed catch-ups in a row (a full disk, the database away): they are tried again
/// after a growing pause, and logged once, not every second.
#[derive(Default)]
struct Trouble {
    failures: u32,
    /// When the first of them happened (UTC seconds).
    since: Option<i64>,
    retry_at: Option<std::time::Instant>,
}

/// The longest pause between two tries of a failing index.
const MAX_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_secs(60);

/// Where the index stands, for `/healthz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexHealth {
    /// Changes in the outbox the index has not taken in yet.
    pub pending: i64,
    /// Since when the index has failed to take them in (UTC seconds), if it does.
    pub failing_since: Option<i64>,
}

impl Searcher {
    /// Opens the index in `dir` (in memory when `None`). A folder the current
    /// schema cannot read is emptied: everything in it comes from the store.
    pub fn open(dir: Option<&Path>) -> Result<Searcher, SearchError> {
        let index = match dir {
            Some(d) => match SearchIndex::open(d) {
                Ok(i) => i,
                Err(e) => {
                    tracing::warn!(error = %e, dir = %d.display(), "search index unreadable; it is built again");
                    std::fs::remove_dir_all(d)?;
                    SearchIndex::open(d)?
                }
            },
            None => SearchIndex::open_in_ram()?,
        };
        let position = dir
            .and_then(|d| std::fs::read_to_string(d.join(POSITION_FILE)).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(-1);
        Ok(Searcher::with_index(index, dir, position))
    }

    /// A searcher over an index made by the caller (the tests' failing disk), with
    /// no position yet: it is filled from the store at the first catch-up.
    pub fn from_index(index: SearchIndex) -> Searcher {
        Searcher::with_index(index, None, -1)
    }

    fn with_index(index: SearchIndex, dir: Option<&Path>, position: i64) -> Searcher {
        Searcher {
            index: Arc::new(index),
            dir: dir.map(Path::to_path_buf),
            position: AtomicI64::new(position),
            running: Mutex::new(()),
            trouble: std::sync::Mutex::new(Trouble::default()),
        }
    }

    /// How far behind the outbox the index is, and whether it is failing.
    pub async fn health(&self, store: &Store) -> Result<IndexHealth, SearchError> {
        let position = self.position.load(Ordering::Acquire);
        let pending = store.outbox_count_after(position.max(0)).await?;
        let failing_since = self.trouble().since;
        Ok(IndexHealth {
            pending,
            failing_since,
        })
    }

    fn trouble(&self) -> std::sync::MutexGuard<'_, Trouble> {
        self.trouble.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The index, for searches.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Brings the index up to date with the outbox; an index that has never been
    /// filled (no position yet) is built from every public article first.
    ///
    /// The position moves only past changes the index has committed. A failure
    /// (the disk full, the database away) drops the changes not committed, is
    /// logged once, and is tried again after a pause that doubles up to a minute;
    /// until then this returns at once with nothing applied.
    pub async fn catch_up(
        &self,
        store: &Store,
        sites: &impl SiteNames,
    ) -> Result<usize, SearchError> {
        let _turn = self.running.lock().await;
        if self
            .trouble()
            .retry_at
            .is_some_and(|at| std::time::Instant::now() < at)
        {
            return Ok(0);
        }
        let result = self.catch_up_locked(store, sites).await;
        let mut trouble = self.trouble();
        match &result {
            Ok(_) => {
                if trouble.failures > 0 {
                    tracing::info!(
                        failures = trouble.failures,
                        "search index written again; it is up to date"
                    );
                }
                *trouble = Trouble::default();
            }
            Err(e) => {
                // Whatever was added before the failure is dropped: the next try
                // applies it again from the position.
                if let Err(e) = self.index.rollback() {
                    tracing::debug!(error = %e, "search index rollback failed");
                }
                trouble.failures += 1;
                if trouble.failures == 1 {
                    trouble.since = Some(now());
                    tracing::error!(
                        error = %e,
                        "search index could not be updated; new changes are not searchable until it can (tried again with growing pauses; /healthz shows how far behind it is)"
                    );
                }
                let pause = std::time::Duration::from_secs(1 << (trouble.failures - 1).min(6))
                    .min(MAX_RETRY_PAUSE);
                trouble.retry_at = Some(std::time::Instant::now() + pause);
            }
        }
        result
    }

    async fn catch_up_locked(
        &self,
        store: &Store,
        sites: &impl SiteNames,
    ) -> Result<usize, SearchError> {
        if self.position.load(Ordering::Acquire) < 0 {
            self.rebuild_locked(store, sites, |_, _| {}).await?;
        }
        let mut applied = 0;
        loop {
            let after = self.position.load(Ordering::Acquire);
            let entries = store.outbox_after(after, BATCH).await?;
            let Some(last) = entries.last().map(|e| e.id) else {
                break;
            };
            let now = now();
            let mut seen = std::collections::HashSet::new();
            for e in &entries {
                // A document changed several times in the batch is read once.
                let Some(kind) = e.doc_kind() else {
                    continue;
                };
                if !seen.insert((kind, e.doc_id)) {
                    continue;
                }
                if kind == DocKind::Announcement || kind == DocKind::DraftForComment {
                    match notice_or_draft(store, kind, e.doc_id, sites, now).await? {
                        Some(doc) => self.index.upsert(&doc)?,
                        None => self.index.delete(kind, e.doc_id)?,
                    }
                    continue;
                }
                if kind == DocKind::Question {
                    match store
                        .searchable_question(domain::QuestionId(e.doc_id))
                        .await?
                    {
                        Some((site, q)) => self.index.upsert(&question_doc(site, &q, sites))?,
                        None => self.index.delete(DocKind::Question, e.doc_id)?,
                    }
                    continue;
                }
                if kind == DocKind::Document {
                    match store
                        .searchable_document(domain::DocumentId(e.doc_id), now)
                        .await?
                    {
                        Some(d) => {
                            let text = store.document_files_text(d.id).await?;
                            self.index.upsert(&document_doc(&d, &text, sites))?
                        }
                        None => self.index.delete(DocKind::Document, e.doc_id)?,
                    }
                    continue;
                }
                if kind == DocKind::Decision {
                    match store.searchable_decision(e.doc_id).await? {
                        Some(d) => self.index.upsert(&decision_doc(&d, sites))?,
                        None => self.index.delete(DocKind::Decision, e.doc_id)?,
                    }
                    continue;
                }
                if kind != DocKind::Article {
                    continue;
                }
                match store
                    .searchable_article(domain::ArticleId(e.doc_id), now)
                    .await?
                {
                    Some(a) => self.index.upsert(&doc_of(&a, sites))?,
                    None => self.index.delete(DocKind::Article, e.doc_id)?,
                }
            }
            self.commit(last).await?;
            applied += entries.len();
        }
        Ok(applied)
    }

    /// Whether the index holds every change in the outbox, catching up first when
    /// it does not: a list filtered through the index (the documents' words) asks
    /// before trusting it, since a change just made reaches the index only at the
    /// next catch-up, and a page made meanwhile would be kept for the new content
    /// version. False while the index fails to take changes in.
    pub async fn caught_up(
        &self,
        store: &Store,
        sites: &impl SiteNames,
    ) -> Result<bool, SearchError> {
        let head = store.outbox_head().await?;
        if self.position.load(Ordering::Acquire) >= head {
            return Ok(true);
        }
        self.catch_up(store, sites).await?;
        Ok(self.position.load(Ordering::Acquire) >= head)
    }

    /// Empties the index and fills it with every public article (then every
    /// started notice and published draft) again, calling `progress(done, total)`
    /// along the way over the articles; how many articles.
    pub async fn rebuild(
        &self,
        store: &Store,
        sites: &impl SiteNames,
        progress: impl FnMut(usize, usize),
    ) -> Result<usize, SearchError> {
        let _turn = self.running.lock().await;
        self.rebuild_locked(store, sites, progress).await
    }

    async fn rebuild_locked(
        &self,
        store: &Store,
        sites: &impl SiteNames,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize, SearchError> {
        // Changes made while this runs are in the outbox after `head`: the next
        // catch-up applies them.
        let head = store.outbox_head().await?;
        let now = now();
        let total = usize::try_from(store.searchable_article_count(now).await?).unwrap_or(0);
        self.index.clear()?;
        let mut done = 0;
        let mut after = domain::ArticleId(0);
        loop {
            let page = store.searchable_articles(after, now, BATCH).await?;
            let Some(last) = page.last().map(|a| a.id) else {
                break;
            };
            for a in &page {
                self.index.upsert(&doc_of(a, sites))?;
            }
            done += page.len();
            progress(done, total);
            after = last;
        }
        // Announcements, drafts for comment, citizens' questions answered in
        // public, official documents and published decisions of commendation: few, and not counted among the articles the caller reports.
        for n in store.searchable_notices(now).await? {
            self.index.upsert(&notice_doc(&n, sites))?;
        }
        for d in store.searchable_drafts().await? {
            self.index.upsert(&draft_doc(&d, sites))?;
        }
        for id in store.searchable_question_ids().await? {
            if let Some((site, q)) = store.searchable_question(id).await? {
                self.index.upsert(&question_doc(site, &q, sites))?;
            }
        }
        for id in store.searchable_document_ids(now).await? {
            if let Some(d) = store.searchable_document(id, now).await? {
                let text = store.document_files_text(d.id).await?;
                self.index.upsert(&document_doc(&d, &text, sites))?;
            }
        }
        for id in store.searchable_decision_ids().await? {
            if let Some(d) = store.searchable_decision(id).await? {
                self.index.upsert(&decision_doc(&d, sites))?;
            }
        }
        self.commit(head).await?;
        Ok(done)
    }

    /// Commits the index, then records `position` beside it.
    async fn commit(&self, position: i64) -> Result<(), SearchError> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.commit())
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))??;
        if let Some(dir) = &self.dir {
            let tmp = dir.join(format!("{POSITION_FILE}.tmp"));
            std::fs::write(&tmp, position.to_string())?;
            std::fs::rename(&tmp, dir.join(POSITION_FILE))?;
        }
        self.position.store(position, Ordering::Release);
        Ok(())
    }

    /// Forgets outbox rows every instance has long applied.
    pub async fn prune(&self, store: &Store) -> Result<(), SearchError> {
        store.prune_outbox(now() - OUTBOX_DAYS * 86_400).await?;
        Ok(())
    }
}

/// The names of sites, which documents carry for results across a province.
pub trait SiteNames {
    /// A site's name (empty when unknown).
    fn site_name(&self, site: domain::SiteId) -> String;
}

impl SiteNames for std::collections::HashMap<domain::SiteId, String> {
    fn site_name(&self, site: domain::SiteId) -> String {
        self.get(&site).cloned().unwrap_or_default()
    }
}

/// Now, in UTC seconds.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A notice (started and published) or a draft (published) as the index holds
/// it; none when it is not public (the index drops it).
async fn notice_or_draft(
    store: &Store,
    kind: DocKind,
    id: i64,
    sites: &impl SiteNames,
    now: i64,
) -> Result<Option<Doc>, SearchError> {
    Ok(if kind == DocKind::Announcement {
        store
            .notice_by_id(id)
            .await?
            .filter(|n| n.published && n.starts_at <= now)
            .map(|n| notice_doc(&n, sites))
    } else {
        store
            .draft_by_id(id)
            .await?
            .filter(|d| d.published)
            .map(|d| draft_doc(&d, sites))
    })
}

fn notice_doc(n: &domain::Notice, sites: &impl SiteNames) -> Doc {
    Doc {
        kind: DocKind::Announcement,
        id: n.id,
        site_id: n.site.0,
        site_name: sites.site_name(n.site),
        category_id: 0,
        category_name: "Thông báo".to_owned(),
        url: n.path(),
        title: n.title.clone(),
        summary: String::new(),
        body_text: n.body.to_plain_text(),
        published_at: n.starts_at,
        dated: 0,
        tags: Vec::new(),
    }
}

fn draft_doc(d: &domain::Draft, sites: &impl SiteNames) -> Doc {
    Doc {
        kind: DocKind::DraftForComment,
        id: d.id,
        site_id: d.site.0,
        site_name: sites.site_name(d.site),
        category_id: 0,
        category_name: "Lấy ý kiến dự thảo".to_owned(),
        url: d.path(),
        title: d.title.clone(),
        summary: d.summary.clone(),
        body_text: d.body.to_plain_text(),
        published_at: d.opens_at,
        dated: 0,
        tags: Vec::new(),
    }
}

/// The file beside the index that holds the last outbox position applied.
const POSITION_FILE: &str = "outbox-position";

fn doc_of(a: &SearchArticle, sites: &impl SiteNames) -> Doc {
    Doc {
        kind: DocKind::Article,
        id: a.id.0,
        site_id: a.site_id.0,
        site_name: sites.site_name(a.site_id),
        category_id: a.category_id.0,
        category_name: a.category_name.clone(),
        url: a.path.clone(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        body_text: a.body_text.clone(),
        published_at: a.published_at,
        dated: 0,
        tags: Vec::new(),
    }
}

/// A public question with its answer, as search finds it (`/hoi-dap/<id>`).
fn question_doc(site: domain::SiteId, q: &store::PublicQuestion, sites: &impl SiteNames) -> Doc {
    let answer = q.answer.to_plain_text();
    Doc {
        kind: DocKind::Question,
        id: q.id.0,
        site_id: site.0,
        site_name: sites.site_name(site),
        category_id: 0,
        category_name: domain::question_field_label(&q.field).to_owned(),
        url: format!("/hoi-dap/{}", q.id.0),
        title: q.title.clone(),
        summary: q.body.chars().take(300).collect(),
        body_text: format!("{}\n{}", q.body, answer.trim()),
        published_at: q.published_at,
        dated: 0,
        tags: Vec::new(),
    }
}

/// A public official document as search finds it (`/van-ban/<slug>`): its number
/// leads the title, so it is found as typed and by its digits, and its type
/// ("Công văn") is shown where an article shows its category. Indexed under the
/// site that registered it (department documents shown on schools are a display
/// matter of the schools' lists). `pdf_text` is the text layer of its attached
/// PDFs (read at upload; a scan has none, and is found by the fields only).
fn document_doc(d: &domain::Document, pdf_text: &str, sites: &impl SiteNames) -> Doc {
    Doc {
        kind: DocKind::Document,
        id: d.id.0,
        site_id: d.site_id.0,
        site_name: sites.site_name(d.site_id),
        category_id: 0,
        category_name: d.kind.name.clone(),
        url: d.path(),
        title: format!("{} — {}", d.number, d.summary),
        summary: match &d.signer {
            Some(signer) => format!(
                "{} ban hành ngày {}; người ký: {}",
                d.issuer.name,
                vntext::format_iso_date(&d.issued_on).unwrap_or_default(),
                signer.display()
            ),
            None => format!(
                "{} ban hành ngày {}",
                d.issuer.name,
                vntext::format_iso_date(&d.issued_on).unwrap_or_default()
            ),
        },
        // The number's digits alone ("152025" for "15/2025/TT-BGDĐT"), as readers type it.
        body_text: format!(
            "{}\n{}\n{}",
            d.body.to_plain_text(),
            domain::number_digits(&d.number),
            pdf_text
        ),
        published_at: d.published_at,
        // "2025-03-15" → 20250315: the order of the list's words filter.
        dated: d.issued_on.replace('-', "").parse().unwrap_or(0),
        tags: d
            .list_tags()
            .into_iter()
            .map(domain::ListTag::term)
            .collect(),
    }
}

/// A published decision of commendation as search finds it: its number, form
/// and level lead, the people and collectives (name, position, unit; never a
/// date of birth) are its text, so a name is found with or without tone marks.
/// The result opens the public list narrowed to the decision.
fn decision_doc(d: &store::SearchDecision, sites: &impl SiteNames) -> Doc {
    let day = vntext::format_iso_date(&d.decided_on).unwrap_or_default();
    let people: Vec<String> = d
        .people
        .iter()
        .map(|(name, position, unit)| {
            [name.as_str(), position.as_str(), unit.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    Doc {
        kind: DocKind::Decision,
        id: d.id,
        site_id: d.site.0,
        site_name: sites.site_name(d.site),
        category_id: 0,
        category_name: "Thi đua – Khen thưởng".to_owned(),
        url: format!("/thi-dua-khen-thuong?quyet-dinh={}", d.id),
        title: format!("Quyết định {} — {} của {}", d.number, d.form, d.level),
        summary: format!(
            "Ngày {day}; khen thưởng {}: {}",
            vntext::format_number(d.people.len() as i64),
            d.people
                .iter()
                .take(8)
                .map(|p| p.0.as_str())
                .chain((d.people.len() > 8).then_some("…"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        body_text: format!(
            "{}\n{}",
            people.join("\n"),
            domain::number_digits(&d.number)
        ),
        published_at: vntext::day_bounds(&d.decided_on).map_or(d.created_at, |(start, _)| start),
        dated: 0,
        tags: Vec::new(),
    }
}
