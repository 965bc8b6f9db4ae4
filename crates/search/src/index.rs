//! The index: writing documents, searching, suggesting.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::columnar::ColumnValues;

use tantivy::collector::{Collector, DocSetCollector, SegmentCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query as TantivyQuery, RangeQuery,
    TermQuery, Weight,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, Index, IndexReader, IndexSettings, IndexSortByField, IndexWriter,
    Order, ReloadPolicy, Score, Searcher, SeekDangerResult, SegmentOrdinal, SegmentReader,
    TERMINATED, TantivyDocument, Term,
};

use crate::analyzer::{self, MAX_PREFIX_CHARS};
use crate::count::Counter;
use crate::highlight::{Snippets, mark_words};
use crate::query::{self, Parsed, Part, Scope};
use crate::schema::{self, Fields, PUBLISHED_AT};
use crate::{Doc, DocKind, Hit, Query, Result, Results, Sort, Suggestion};

/// The index keeps each segment's documents newest first, so that among documents
/// of equal score the first found, which is what tantivy's top-k keeps, is the newest:
/// the best candidates come from block-max WAND, without scoring every match.
fn settings() -> IndexSettings {
    IndexSettings {
        sort_by_field: Some(IndexSortByField {
            field: PUBLISHED_AT.to_owned(),
            order: Order::Desc,
        }),
        docstore_blocksize: 4096,
        ..IndexSettings::default()
    }
}

/// The `k` best-scoring documents, the newest first among equal scores: each
/// segment's best `k` (found with block-max WAND, most matches never scored; the
/// index keeps a segment's documents newest first, so of equals the first found is
/// kept), then the best `k` of those by score and publication time, so the newest of
/// equals stay candidates whichever segment holds them.
struct BestOfEverySegment {
    k: usize,
    /// The best `k`-th score of the segments done: a later segment need not look
    /// below it (documents scoring exactly that are kept, for their dates).
    floor: Mutex<Score>,
}

impl BestOfEverySegment {
    fn new(k: usize) -> BestOfEverySegment {
        BestOfEverySegment {
            k,
            floor: Mutex::new(Score::MIN),
        }
    }
}

impl Collector for BestOfEverySegment {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = BestOfSegment;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<BestOfSegment> {
        Ok(BestOfSegment::new(self.k, ord, segment))
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(Score, i64, DocAddress)>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Score, i64, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        all.truncate(self.k);
        Ok(all
            .into_iter()
            .map(|(score, _, address)| (score, address))
            .collect())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Vec<(Score, i64, DocAddress)>> {
        let mut best = BestOfSegment::new(self.k, ord, segment);
        let floor = *self.floor.lock().unwrap_or_else(|e| e.into_inner());
        // WAND passes on what scores strictly more than the threshold.
        let start = if floor > Score::MIN {
            floor.next_down()
        } else {
            Score::MIN
        };
        let alive = segment.alive_bitset();
        weight.for_each_pruning(start, segment, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                best.collect(doc, score);
            }
            best.threshold().max(start)
        })?;
        if best.heap.len() >= self.k
            && let Some(Reverse(worst)) = best.heap.peek()
        {
            let mut floor = self.floor.lock().unwrap_or_else(|e| e.into_inner());
            *floor = floor.max(worst.score);
        }
        Ok(best.harvest())
    }
}

/// A document in [`BestOfSegment`]'s heap: the least is the lowest score and, among
/// equal scores, the last document.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked {
    score: Score,
    doc: DocId,
}

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.doc.cmp(&self.doc))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// One segment's part of [`BestOfEverySegment`]. Documents come in order; a later one
/// must score strictly more than the worst kept to replace it, so the first of equals
/// (the newest: see [`settings`]) stays.
struct BestOfSegment {
    k: usize,
    ord: SegmentOrdinal,
    heap: BinaryHeap<Reverse<Ranked>>,
    published: Option<Arc<dyn ColumnValues<i64>>>,
}

impl BestOfSegment {
    fn new(k: usize, ord: SegmentOrdinal, segment: &SegmentReader) -> BestOfSegment {
        BestOfSegment {
            k,
            ord,
            heap: BinaryHeap::with_capacity(k + 1),
            published: segment
                .fast_fields()
                .i64(PUBLISHED_AT)
                .ok()
                .map(|c| c.first_or_default_col(0)),
        }
    }

    /// The score to beat: once `k` are kept, the worst of them.
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(Reverse(worst)) if self.heap.len() >= self.k => worst.score,
            _ => Score::MIN,
        }
    }
}

impl SegmentCollector for BestOfSegment {
    type Fruit = Vec<(Score, i64, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.heap.len() < self.k {
            self.heap.push(Reverse(Ranked { score, doc }));
        } else if score > self.threshold()
            && let Some(mut worst) = self.heap.peek_mut()
        {
            *worst = Reverse(Ranked { score, doc });
        }
    }

    fn harvest(self) -> Self::Fruit {
        let ord = self.ord;
        let published = self.published;
        self.heap
            .into_iter()
            .map(|Reverse(r)| {
                let at = published.as_ref().map_or(0, |c| c.get_val(r.doc));
                (r.score, at, DocAddress::new(ord, r.doc))
            })
            .collect()
    }
}

/// How the index writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// Indexing threads (each takes a share of the memory below).
    pub writer_threads: usize,
    /// Memory for documents not yet written out, in bytes (at least 15 MB a thread).
    pub writer_memory_bytes: usize,
}

impl Default for IndexOptions {
    /// One thread and 64 MB: plenty for a portal's trickle of changes.
    fn default() -> Self {
        IndexOptions {
            writer_threads: 1,
            writer_memory_bytes: 64 << 20,
        }
    }
}

/// A search index of a whole installation (every site), safe to share between
/// threads: searches run in parallel, writes take turns.
pub struct SearchIndex {
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    counter: Counter,
}

/// Score granularity below which two results count as equally good, so the newer
/// one goes first.
const TIE: f32 = 0.05;

/// Candidates the first pass of a search hands to the second (more when a deeper
/// page is asked for): five pages' worth.
const RERANK: usize = 50;

impl SearchIndex {
    /// Opens the index in `dir`, making the folder and an empty index when there is
    /// none. An index made by an older schema of this crate fails to open; remove the
    /// folder and index again (everything in it comes from the store).
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        SearchIndex::open_with(dir, IndexOptions::default())
    }

    /// [`SearchIndex::open`] with options.
    pub fn open_with(dir: &Path, options: IndexOptions) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let (schema, _) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .open_or_create(MmapDirectory::open(dir)?)?;
        if index.settings().sort_by_field != settings().sort_by_field {
            return Err(crate::Error::Outdated);
        }
        SearchIndex::with_index(index, options)
    }

    /// An index in a tantivy directory of the caller's (the tests' failing disk).
    pub fn open_in_directory(directory: impl tantivy::Directory) -> Result<SearchIndex> {
        let (schema, _) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .open_or_create(directory)?;
        SearchIndex::with_index(index, IndexOptions::default())
    }

    /// An index in memory, for tests.
    pub fn open_in_ram() -> Result<SearchIndex> {
        let (schema, _) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()?;
        SearchIndex::with_index(index, IndexOptions::default())
    }

    fn with_index(index: Index, options: IndexOptions) -> Result<SearchIndex> {
        analyzer::register(&index);
        let (_, fields) = schema::build();
        let writer = index.writer_with_num_threads(
            options.writer_threads.max(1),
            options
                .writer_memory_bytes
                .max(options.writer_threads.max(1) * (16 << 20)),
        )?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            fields,
            reader,
            writer: Mutex::new(writer),
            counter: Counter::default(),
        })
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock leaves the writer usable: uncommitted
        // changes are simply not committed.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn key(kind: DocKind, id: i64) -> String {
        format!("{}:{id}", kind.code())
    }

    /// Adds a document, or replaces the one of the same kind and id. Seen by searches
    /// after the next [`SearchIndex::commit`].
    pub fn upsert(&self, doc: &Doc) -> Result<()> {
        let f = &self.fields;
        let title = vntext::nfc(&doc.title);
        let summary = vntext::nfc(&doc.summary);
        let body = vntext::nfc(&doc.body_text);
        let mut d = TantivyDocument::new();
        d.add_text(f.key, SearchIndex::key(doc.kind, doc.id));
        d.add_u64(f.kind, doc.kind.code());
        d.add_i64(f.id, doc.id);
        d.add_i64(f.site_id, doc.site_id);
        d.add_i64(f.category_id, doc.category_id);
        d.add_text(f.site_term, doc.site_id.to_string());
        d.add_text(f.category_term, doc.category_id.to_string());
        d.add_i64(f.published_at, doc.published_at);
        d.add_i64(f.dated, doc.dated);
        for tag in &doc.tags {
            d.add_text(f.tags, tag);
        }
        d.add_text(f.site_name, &doc.site_name);
        d.add_text(f.category_name, &doc.category_name);
        d.add_text(f.url, &doc.url);
        for (stored, folded, text) in [
            (f.title, f.title_f, &title),
            (f.summary, f.summary_f, &summary),
            (f.body, f.body_f, &body),
        ] {
            d.add_text(stored, text);
            d.add_text(folded, text);
            d.add_text(f.codes, text);
        }
        d.add_text(f.title_x, &title);
        // The first pass weighs the title by repeating it.
        for text in [&title, &title, &title, &summary, &body] {
            d.add_text(f.all_f, text);
            d.add_text(f.all_x, text);
            d.add_text(f.all_p, text);
        }
        d.add_text(f.title_pre, &title);
        let writer = self.writer();
        writer.delete_term(Term::from_field_text(
            f.key,
            &SearchIndex::key(doc.kind, doc.id),
        ));
        writer.add_document(d)?;
        Ok(())
    }

    /// Removes a document (after the next commit). Removing one that is not there is
    /// not an error.
    pub fn delete(&self, kind: DocKind, id: i64) -> Result<()> {
        let term = Term::from_field_text(self.fields.key, &SearchIndex::key(kind, id));
        self.writer().delete_term(term);
        Ok(())
    }

    /// Removes every document (after the next commit), to index everything again.
    pub fn clear(&self) -> Result<()> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Writes the changes made since the last commit and shows them to searches.
    ///
    /// A failed commit (a full disk, say) rolls the writer back to the last commit,
    /// dropping every change since: tantivy's writer is not usable after a failed
    /// commit (its indexing threads are gone, and later commits would "succeed"
    /// with nothing in them), and the caller applies the changes again.
    pub fn commit(&self) -> Result<()> {
        let mut writer = self.writer();
        if let Err(e) = writer.commit() {
            writer.rollback()?;
            return Err(e.into());
        }
        drop(writer);
        self.reader.reload()?;
        self.counter.keep_only(&self.reader.searcher());
        Ok(())
    }

    /// Drops every change since the last commit, with a fresh writer: after any
    /// failed write, so that the changes can be applied again from a known state.
    pub fn rollback(&self) -> Result<()> {
        self.writer().rollback()?;
        Ok(())
    }

    /// How many documents searches see.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// How many segments (files of documents) searches go through; merging keeps
    /// this small.
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// The site and category filters of a query as terms (see [`Fields::site_term`]).
    fn filter_terms(&self, q: &Query) -> Vec<Term> {
        let f = &self.fields;
        let mut out = Vec::new();
        if let Some(site) = q.site {
            out.push(Term::from_field_text(f.site_term, &site.to_string()));
        }
        if let Some(category) = q.category {
            out.push(Term::from_field_text(
                f.category_term,
                &category.to_string(),
            ));
        }
        out
    }

    /// The filters of a query as required clauses: [`SearchIndex::filter_terms`], the
    /// rest scoring nothing.
    fn filters(&self, q: &Query) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
        let f = &self.fields;
        let mut out: Vec<(Occur, Box<dyn TantivyQuery>)> = self
            .filter_terms(q)
            .into_iter()
            .map(|t| -> (Occur, Box<dyn TantivyQuery>) {
                (
                    Occur::Must,
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)),
                )
            })
            .collect();
        if !q.kinds.is_empty() {
            let kinds = q
                .kinds
                .iter()
                .map(|k| -> (Occur, Box<dyn TantivyQuery>) {
                    let term = Term::from_field_u64(f.kind, k.code());
                    let q = TermQuery::new(term, IndexRecordOption::Basic);
                    (Occur::Should, Box::new(q))
                })
                .collect();
            let any = BooleanQuery::new(kinds);
            out.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(any), 0.0)),
            ));
        }
        if q.from.is_some() || q.to.is_some() {
            let bound = |b: Option<i64>, lower: bool| match b {
                None => Bound::Unbounded,
                Some(v) if lower => Bound::Included(Term::from_field_i64(f.published_at, v)),
                Some(v) => Bound::Excluded(Term::from_field_i64(f.published_at, v)),
            };
            let range = RangeQuery::new(bound(q.from, true), bound(q.to, false));
            out.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(range), 0.0)),
            ));
        }
        out
    }

    /// Best first by a score quantised to [`TIE`], the newer of equals first.
    fn top_by_score(
        range: std::ops::Range<usize>,
    ) -> impl Collector<Fruit = Vec<(Key, DocAddress)>> {
        TopDocs::for_doc_range(range).tweak_score(|segment: &SegmentReader| {
            let published = segment
                .fast_fields()
                .i64(PUBLISHED_AT)
                .ok()
                .map(|c| c.first_or_default_col(0));
            move |doc: DocId, score: Score| Key {
                rounded: (score / TIE).round() as i64,
                published: published.as_ref().map_or(0, |c| c.get_val(doc)),
                score,
            }
        })
    }

    /// How many documents have every word of `parsed` and pass the filters.
    fn count_all(&self, searcher: &Searcher, q: &Query, parsed: &Parsed) -> Result<usize> {
        let f = &self.fields;
        if q.kinds.is_empty() && q.from.is_none() && q.to.is_none() {
            let mut terms = query::candidate_terms(parsed, f, Scope::All);
            terms.extend(self.filter_terms(q));
            Ok(self.counter.count(searcher, &terms)?)
        } else {
            let first = self.filtered(q, query::candidates(parsed, f, true, Scope::All));
            Ok(first.count(searcher)?)
        }
    }

    /// `parsed` without the words (and codes) found in no live document at all.
    fn without_unknown_words(&self, searcher: &Searcher, parsed: &Parsed) -> Result<Parsed> {
        let f = &self.fields;
        let known = |w: &query::Word| -> Result<bool> {
            let term = Term::from_field_text(f.all_f, &w.folded);
            // `doc_freq` would count deleted documents too.
            Ok(searcher.doc_freq(&term)? > 0 && self.counter.count(searcher, &[term])? > 0)
        };
        let mut out = Parsed {
            parts: Vec::new(),
            decoded: parsed.decoded,
        };
        for part in &parsed.parts {
            let keep = match part {
                Part::Word(w) => known(w)?,
                Part::Code { words, .. } => {
                    let mut all = true;
                    for w in words {
                        all &= known(w)?;
                    }
                    all
                }
            };
            if keep {
                out.parts.push(part.clone());
            }
        }
        Ok(out)
    }

    /// About the `k` best documents by a quick score, for the second pass to rank
    /// (see [`SearchIndex::search`]).
    fn candidates(
        &self,
        searcher: &Searcher,
        q: &Query,
        parsed: &Parsed,
        all: bool,
        k: usize,
    ) -> Result<Vec<DocAddress>> {
        let f = &self.fields;
        let mut candidates: Vec<DocAddress> = Vec::new();
        // Words side by side first (names, phrases: they score most), then typed
        // marks (exact matches rank first), then any form of the words: each only
        // while there are too few candidates.
        let pairs = query::candidate_terms(parsed, f, Scope::Pairs).len();
        let mut scopes = Vec::new();
        if pairs > 0 {
            scopes.push(Scope::Pairs);
        }
        if query::has_marks(parsed) {
            scopes.push(Scope::AllExact);
        }
        scopes.push(Scope::All);
        let best = BestOfEverySegment::new(k);
        for scope in scopes {
            let first = self.filtered(q, query::candidates(parsed, f, all, scope));
            let found = searcher.search(&first, &best)?;
            candidates.extend(found.into_iter().map(|(_, a)| a));
            if scope == Scope::Pairs && pairs > 1 && candidates.len() < k {
                // Few have every pair ("bà Lê Thảo Uyên" in full): those with the
                // most of them, and every word.
                candidates.extend(self.some_pairs(searcher, q, parsed, all, k)?);
            }
            candidates.sort();
            candidates.dedup();
            if candidates.len() >= k {
                break;
            }
        }
        Ok(candidates)
    }

    /// The documents with the best score for some of the pairs of neighbouring words
    /// (see [`Scope::Pairs`]) that also have every word (when `all`) and pass the
    /// filters. Found among the best of any pair over the whole index, which
    /// block-max WAND finds quickly, then checked; none when kinds or dates filter.
    fn some_pairs(
        &self,
        searcher: &Searcher,
        q: &Query,
        parsed: &Parsed,
        all: bool,
        k: usize,
    ) -> Result<Vec<DocAddress>> {
        if !q.kinds.is_empty() || q.from.is_some() || q.to.is_some() {
            return Ok(Vec::new());
        }
        let f = &self.fields;
        let any = BooleanQuery::new(query::candidates(parsed, f, false, Scope::Pairs));
        let mut found = searcher.search(&any, &BestOfEverySegment::new(4 * k))?;
        found.sort_by_key(|&(_, address)| address);
        let mut required = self.filter_terms(q);
        if all {
            required.extend(query::candidate_terms(parsed, f, Scope::All));
        }
        let mut kept: Vec<(Score, DocAddress)> = Vec::new();
        for segment in found.chunk_by(|a, b| a.1.segment_ord == b.1.segment_ord) {
            let reader = searcher.segment_reader(segment[0].1.segment_ord);
            let mut ok = vec![true; segment.len()];
            for term in &required {
                let inverted = reader.inverted_index(term.field())?;
                let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)?
                else {
                    ok.fill(false);
                    break;
                };
                for (i, &(_, address)) in segment.iter().enumerate() {
                    let doc = address.doc_id;
                    let at = if postings.doc() < doc {
                        postings.seek(doc)
                    } else {
                        postings.doc()
                    };
                    ok[i] &= at == doc;
                }
            }
            kept.extend(
                segment
                    .iter()
                    .zip(ok)
                    .filter(|(_, ok)| *ok)
                    .map(|(hit, _)| *hit),
            );
        }
        kept.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(kept
            .into_iter()
            .take(k)
            .map(|(_, address)| address)
            .collect())
    }

    /// The clauses of a first pass plus the filters, in one flat query: when every
    /// clause is a required term, tantivy counts it as a plain intersection and finds
    /// its best with block-max WAND.
    fn filtered(
        &self,
        q: &Query,
        mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)>,
    ) -> Box<dyn TantivyQuery> {
        if clauses.iter().any(|(occur, _)| *occur == Occur::Should) {
            clauses = vec![(Occur::Must, Box::new(BooleanQuery::new(clauses)))];
        }
        clauses.extend(self.filters(q));
        if clauses.len() == 1 {
            return clauses.remove(0).1;
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Scores `candidates` as the sum of the `leaves` (each scorer moved forward
    /// through the candidates only, never through every match), and reads their
    /// publication time, for [`Key`].
    fn rescore(
        searcher: &Searcher,
        leaves: &[query::Leaf],
        mut candidates: Vec<DocAddress>,
    ) -> Result<Vec<(Key, DocAddress)>> {
        candidates.sort();
        candidates.dedup();
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let weights = leaves
            .iter()
            .map(|(w, q)| Ok((*w, q.weight(scoring)?)))
            .collect::<Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(candidates.len());
        for segment in candidates.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
            let reader = searcher.segment_reader(segment[0].segment_ord);
            let mut scores = vec![0.0f32; segment.len()];
            for (boost, weight) in &weights {
                // A phrase scorer made the plain way first looks for its first match
                // in the whole segment (all of it, for a phrase nobody wrote): this
                // way it starts at the first candidate and only ever checks them.
                let (mut at, mut scorer) =
                    weight.scorer_danger(reader, segment[0].doc_id, *boost)?;
                for (i, address) in segment.iter().enumerate() {
                    let doc = address.doc_id;
                    if i > 0 {
                        match at {
                            SeekDangerResult::SeekLowerBound(TERMINATED) => break,
                            SeekDangerResult::SeekLowerBound(next) if doc < next => continue,
                            _ => at = scorer.seek_danger(doc),
                        }
                    }
                    if at == SeekDangerResult::Found {
                        scores[i] += scorer.score();
                    }
                }
            }
            let published = reader
                .fast_fields()
                .i64(PUBLISHED_AT)
                .ok()
                .map(|c| c.first_or_default_col(0));
            for (&address, score) in segment.iter().zip(scores) {
                let doc = address.doc_id;
                let key = Key {
                    rounded: (score / TIE).round() as i64,
                    published: published.as_ref().map_or(0, |c| c.get_val(doc)),
                    score,
                };
                out.push((key, address));
            }
        }
        out.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        Ok(out)
    }

    /// Searches. Never fails because of what was typed: an empty query, or one with
    /// nothing but punctuation, finds nothing.
    ///
    /// In two passes. The first finds the documents and counts them: every word must
    /// be in the title, summary or body, folded (when that finds nothing, the words
    /// found somewhere, all of them, or else any word, and [`Results::partial`] says
    /// so); see `count` for how common words are counted quickly. It hands about
    /// fifty candidates (more for deeper pages) to the second pass, picked by
    /// tantivy's block-max WAND, which leaves most matches unscored: the best for
    /// the pairs of neighbouring words (names and phrases score most), all of them,
    /// else some of them; when still too few, the best for the words with their
    /// typed marks; then for the words folded. The index keeps documents newest
    /// first (see [`settings`]), so of equal candidates the newest are kept, and
    /// the site and category filters are terms too, so that WAND still applies.
    /// The second pass scores only those candidates, finely (see also
    /// `query::boost`): a word scores BM25 in the folded fields, title ×3, summary
    /// ×1.5, body ×1, and where its typed marks match exactly, BM25 of the texts
    /// together (title thrice) ×3 more; a word decoded from Telex/VNI also scores a
    /// little as typed. Neighbouring words side by side, and the whole query in
    /// order, score again (×2), so "giáo dục" as a phrase beats the two syllables
    /// far apart. Several words typed with marks and found whole, in order, with
    /// those marks, score ×30 (a name beats its syllables folded and scattered, even
    /// in titles). A code found whole scores ×8. Scores within 0.05 of each other
    /// count as equal, and the newer document goes first. Sorted by date, the first
    /// pass alone gives the order.
    ///
    /// `bash bench/search.sh` measures this, and with `BENCH_CHECK=1` compares each
    /// first page with the one made by scoring every match.
    pub fn search(&self, q: &Query) -> Result<Results> {
        self.search_with(q, false)
    }

    /// [`SearchIndex::search`] with every match of the first pass scored by the
    /// second, not only the candidates: the order the candidates approximate, for
    /// checking them (see the search benchmark). Slow on large indexes.
    #[doc(hidden)]
    pub fn search_every_match(&self, q: &Query) -> Result<Results> {
        self.search_with(q, true)
    }

    fn search_with(&self, q: &Query, every_match: bool) -> Result<Results> {
        let mut parsed = query::parse(&q.text);
        let mut results = Results {
            interpreted: parsed.interpreted(),
            ..Results::default()
        };
        if parsed.is_empty() {
            return Ok(results);
        }
        let f = &self.fields;
        let per_page = q.per_page.clamp(1, Query::MAX_PER_PAGE);
        let page = q.page.clamp(1, Query::MAX_PAGE);
        let range = (page - 1) * per_page..page * per_page;
        let searcher = self.reader.searcher();
        let mut all = true;
        let mut total = self.count_all(&searcher, q, &parsed)?;
        if total == 0 && parsed.words().len() > 1 {
            // Some words are nowhere ("and", a typo): the others, all of them…
            let known = self.without_unknown_words(&searcher, &parsed)?;
            if known.words().len() < parsed.words().len() && !known.is_empty() {
                total = self.count_all(&searcher, q, &known)?;
                if total > 0 {
                    parsed = known;
                }
            }
            // …or else any of the words.
            if total == 0 {
                all = false;
                let any = self.filtered(q, query::candidates(&parsed, f, all, Scope::All));
                total = any.count(&searcher)?;
            }
            results.partial = total > 0;
        }
        results.total = total;
        if total <= range.start {
            return Ok(results);
        }
        let page_of: Vec<(f32, DocAddress)> = match q.sort {
            Sort::Newest => {
                let newest = TopDocs::for_doc_range(range)
                    .order_by_fast_field::<i64>(PUBLISHED_AT, Order::Desc);
                let first = self.filtered(q, query::candidates(&parsed, f, all, Scope::All));
                let top = searcher.search(&first, &newest)?;
                top.into_iter().map(|(_, a)| (0.0, a)).collect()
            }
            Sort::Relevance => {
                let k = range.end.max(RERANK);
                let candidates = if every_match {
                    let first = self.filtered(q, query::candidates(&parsed, f, all, Scope::All));
                    searcher
                        .search(&first, &DocSetCollector)?
                        .into_iter()
                        .collect()
                } else {
                    self.candidates(&searcher, q, &parsed, all, k)?
                };
                let leaves = query::leaves(&parsed, f);
                let ranked = Self::rescore(&searcher, &leaves, candidates)?;
                ranked
                    .into_iter()
                    .skip(range.start)
                    .take(per_page)
                    .map(|(k, a)| (k.score, a))
                    .collect()
            }
        };
        let terms = highlight_terms(&parsed);
        let snippets = Snippets::new(terms.iter().cloned());
        for (score, address) in page_of {
            let doc: TantivyDocument = searcher.doc(address)?;
            results
                .hits
                .push(self.hit(&doc, score, &snippets, |t| terms.iter().any(|m| m == t)));
        }
        Ok(results)
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        snippets: &Snippets,
        matched: impl Fn(&str) -> bool,
    ) -> Hit {
        let f = &self.fields;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        let int = |field| doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or(0);
        let kind = doc.get_first(f.kind).and_then(|v| v.as_u64()).unwrap_or(1);
        Hit {
            kind: DocKind::from_code(kind).unwrap_or(DocKind::Article),
            id: int(f.id),
            site_id: int(f.site_id),
            title_html: mark_words(text(f.title), matched),
            snippet_html: snippets.best(&[text(f.body), text(f.summary)]),
            url: text(f.url).to_owned(),
            published_at: int(f.published_at),
            category_name: text(f.category_name).to_owned(),
            site_name: text(f.site_name).to_owned(),
            score,
        }
    }

    /// Titles for what the reader is typing: every finished word must be in the
    /// title (with or without marks, Telex/VNI decoded), the last, unfinished one
    /// begins a word of the title. Best match first, newer first among equals.
    pub fn suggest(
        &self,
        prefix: &str,
        site: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Suggestion>> {
        let parsed = query::parse(prefix);
        let mut words: Vec<query::Word> = parsed.words().into_iter().cloned().collect();
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = &self.fields;
        let finished = prefix.ends_with(char::is_whitespace);
        let last = if finished {
            None
        } else {
            // The unfinished word as typed, folded; too early to decode it.
            words.pop().map(|w| {
                let folded = w.as_typed.unwrap_or(w.folded);
                folded.chars().take(MAX_PREFIX_CHARS).collect::<String>()
            })
        };
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = words
            .iter()
            .map(|w| (Occur::Must, query::title_word_query(w, f)))
            .collect();
        if let Some(last) = &last {
            let term = Term::from_field_text(f.title_pre, last);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        let mut q = Query::new("");
        q.site = site;
        clauses.extend(self.filters(&q));
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &Self::top_by_score(0..limit.min(Query::MAX_PER_PAGE)),
        )?;
        let whole: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
        let matched =
            |t: &str| whole.contains(&t) || last.as_deref().is_some_and(|l| t.starts_with(l));
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
            let int = |field| doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or(0);
            let kind = doc.get_first(f.kind).and_then(|v| v.as_u64()).unwrap_or(1);
            out.push(Suggestion {
                kind: DocKind::from_code(kind).unwrap_or(DocKind::Article),
                id: int(f.id),
                site_id: int(f.site_id),
                title: text(f.title).to_owned(),
                title_html: mark_words(text(f.title), matched),
                url: text(f.url).to_owned(),
            });
        }
        Ok(out)
    }
}

/// The sort key of [`SearchIndex::top_by_score`]: compared field by field.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Key {
    rounded: i64,
    published: i64,
    score: f32,
}

/// The folded words to mark in titles and snippets, each once.
fn highlight_terms(parsed: &Parsed) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for w in parsed.words() {
        if !terms.contains(&w.folded) {
            terms.push(w.folded.clone());
        }
    }
    terms
}
