//! Exam results in memory (issue 6): the registry of sessions that lookups are
//! answered from without touching the database,
//! and the files waiting for the admin's confirmation (prepared by
//! [`store::prepare_import`], which the CLI shares).

use domain::{ExamSessionId, SiteId, UserId};
use exam::{Distribution, LoadedSession, SessionBuilder};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};
use store::{ExamSession, Store};

/// One session as the registry holds it.
pub struct ExamEntry {
    /// The stored session (name, shape, publish time, revision).
    pub meta: ExamSession,
    /// Its candidates, for sessions that have a publish time and an import.
    pub loaded: Option<Arc<LoadedSession>>,
    distributions: OnceLock<Vec<Distribution>>,
}

impl ExamEntry {
    /// The score distribution of every subject, counted once per load.
    pub fn distributions(&self) -> &[Distribution] {
        self.distributions.get_or_init(|| match &self.loaded {
            Some(s) => (0..s.spec().subjects.len())
                .filter_map(|i| s.distribution(i))
                .collect(),
            None => Vec::new(),
        })
    }
}

/// Every site's exam sessions, with the candidates of published (or scheduled)
/// ones in memory. Reloaded when a session's revision moves: at once on the
/// instance that made the change, within a background round on the others.
#[derive(Default)]
pub struct Exams {
    sessions: RwLock<HashMap<ExamSessionId, Arc<ExamEntry>>>,
    reloading: tokio::sync::Mutex<()>,
}

impl Exams {
    /// A session by id.
    pub fn get(&self, id: ExamSessionId) -> Option<Arc<ExamEntry>> {
        self.sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    /// A site's sessions that have a publish time, newest first: the public form's list.
    pub fn public_of(&self, site: SiteId) -> Vec<Arc<ExamEntry>> {
        let mut out: Vec<Arc<ExamEntry>> = self
            .sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|e| e.meta.site_id == site && e.meta.publish_at.is_some())
            .cloned()
            .collect();
        out.sort_by_key(|e| std::cmp::Reverse((e.meta.created_at, e.meta.id)));
        out
    }

    /// Reads the sessions whose revision changed since the last call (all of them
    /// the first time). Whether anything changed.
    pub async fn refresh(&self, store: &Store) -> Result<bool, store::Error> {
        let _one_at_a_time = self.reloading.lock().await;
        let revisions = store.exam_revisions().await?;
        let current = self
            .sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let stale: Vec<ExamSessionId> = revisions
            .iter()
            .filter(|(id, rev)| current.get(id).map(|e| e.meta.revision) != Some(*rev))
            .map(|(id, _)| *id)
            .collect();
        let gone = current
            .keys()
            .any(|id| !revisions.iter().any(|(r, _)| r == id));
        if stale.is_empty() && !gone {
            return Ok(false);
        }
        let mut fresh = HashMap::with_capacity(stale.len());
        for id in stale {
            let Some(meta) = store.exam_session(id).await? else {
                continue;
            };
            let old = current.get(&id);
            let loaded = if meta.publish_at.is_none() || meta.candidates == 0 {
                None
            } else if let Some(old_loaded) = old
                .filter(|o| o.meta.last_import == meta.last_import)
                .and_then(|o| o.loaded.as_ref())
            {
                // Only the publish time moved: the candidates are the same.
                Some(Arc::new(
                    LoadedSession::clone(old_loaded).with_publish_at(meta.publish_at),
                ))
            } else {
                let started = Instant::now();
                let mut builder = SessionBuilder::new(meta.spec.clone());
                builder.reserve(usize::try_from(meta.candidates).unwrap_or(0));
                store
                    .exam_candidates_each(&meta, |c| builder.push(&c))
                    .await?;
                let session = builder.finish().with_publish_at(meta.publish_at);
                tracing::info!(
                    session = %id,
                    candidates = session.len(),
                    heap_mb = session.heap_bytes() / 1_048_576,
                    ms = started.elapsed().as_millis() as u64,
                    "exam session loaded"
                );
                Some(Arc::new(session))
            };
            fresh.insert(
                id,
                Arc::new(ExamEntry {
                    meta,
                    loaded,
                    distributions: OnceLock::new(),
                }),
            );
        }
        let mut map = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        map.retain(|id, _| revisions.iter().any(|(r, _)| r == id));
        map.extend(fresh);
        Ok(true)
    }
}

/// How many lookups one address may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupLimit {
    /// Lookups a minute, sustained; 0 turns the limit off.
    pub per_minute: u32,
    /// Lookups in a quick row before the limit applies.
    pub burst: u32,
}

impl Default for LookupLimit {
    fn default() -> Self {
        // Generous: a whole school may be behind one address.
        LookupLimit {
            per_minute: 120,
            burst: 60,
        }
    }
}

/// A file the admin uploaded and has not confirmed yet.
pub(crate) struct PendingFile {
    pub session: ExamSessionId,
    pub user: UserId,
    pub file_name: String,
    pub bytes: Arc<Vec<u8>>,
    pub base_revision: i64,
    at: Instant,
}

/// How long an uploaded file waits for its confirmation.
const PENDING_FOR: Duration = Duration::from_secs(30 * 60);
/// At most this many files wait at once (the oldest goes first).
const MAX_PENDING: usize = 8;

/// Uploaded files waiting for "Xác nhận nhập", by random token.
#[derive(Default)]
pub(crate) struct PendingFiles {
    files: Mutex<HashMap<String, Arc<PendingFile>>>,
}

impl PendingFiles {
    /// Keeps a file; its token.
    pub(crate) fn put(
        &self,
        session: ExamSessionId,
        user: UserId,
        file_name: String,
        bytes: Arc<Vec<u8>>,
        base_revision: i64,
    ) -> String {
        let token = crate::accounts::auth::random_token();
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.retain(|_, f| f.at.elapsed() < PENDING_FOR);
        while files.len() >= MAX_PENDING {
            let Some(oldest) = files
                .iter()
                .min_by_key(|(_, f)| f.at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            files.remove(&oldest);
        }
        files.insert(
            token.clone(),
            Arc::new(PendingFile {
                session,
                user,
                file_name,
                bytes,
                base_revision,
                at: Instant::now(),
            }),
        );
        token
    }

    /// The file of a token, left waiting (the preview of another sheet, a
    /// confirmation still missing its second tick).
    pub(crate) fn peek(
        &self,
        token: &str,
        session: ExamSessionId,
        user: UserId,
    ) -> Option<Arc<PendingFile>> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let f = files.get(token)?;
        (f.session == session && f.user == user && f.at.elapsed() < PENDING_FOR).then(|| f.clone())
    }

    /// Takes the file of a token, if it is still there and was uploaded by `user`
    /// for `session`.
    pub(crate) fn take(
        &self,
        token: &str,
        session: ExamSessionId,
        user: UserId,
    ) -> Option<Arc<PendingFile>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let f = files.get(token)?;
        if f.session != session || f.user != user || f.at.elapsed() >= PENDING_FOR {
            return None;
        }
        files.remove(token)
    }
}
