//! The ids of the documents whose title holds some words, in a list's order: the
//! words filter of lists kept in the database (the registry of official documents
//! at `/van-ban`). With words alone the index chooses the page and counts the
//! matches; with other filters too, the database checks those on these ids in
//! order until a page is full, instead of reading every row's text.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query as TantivyQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

use crate::analyzer::{self, MAX_WORD_BYTES, Mode};
use crate::index::SearchIndex;
use crate::{DocKind, Result};

/// The order of a list paged through the index: newest first, the higher id first
/// among equals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    /// By the day the items are dated (`Doc::dated`: an official document's issue
    /// date).
    #[default]
    Dated,
    /// By publication time.
    Published,
}

impl ListOrder {
    fn column(self) -> &'static str {
        match self {
            ListOrder::Dated => crate::schema::DATED,
            ListOrder::Published => crate::schema::PUBLISHED_AT,
        }
    }
}

/// One page of the items a list's words keep, and how many they keep in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdPage {
    /// The page's ids, in the list's order.
    pub ids: Vec<i64>,
    /// How many match.
    pub total: usize,
}

impl SearchIndex {
    /// The ids of the documents of `kind` on `site` that a list's words filter
    /// keeps, in the list's `order`: every piece of `text` (split at spaces and
    /// commas) found in the title with or without tone marks, a piece of several
    /// words ("15/2025/TT-BGDĐT", "dạy-thêm") as those words side by side; or,
    /// when `text` is digits alone (two or more), the documents whose body holds
    /// those digits as a word (the indexer writes a document's number's digits
    /// there: "152025" for "15/2025/TT-BGDĐT"). Words are whole syllables: "them"
    /// finds "thêm", not "thêu". `None` when `text` has no word to look for.
    /// Those that hold every one of `tags` (`Doc::tags`) too.
    pub fn ids_with_words(
        &self,
        kind: DocKind,
        site: i64,
        text: &str,
        tags: &[String],
        order: ListOrder,
    ) -> Result<Option<Vec<i64>>> {
        Ok(self
            .page_with_words(kind, site, text, tags, order, 0, usize::MAX)?
            .map(|p| p.ids))
    }

    /// [`SearchIndex::ids_with_words`], one page of it (`limit` ids after the first
    /// `offset`), and how many match: the list's page is chosen in the index, so a
    /// common word costs no more than a rare one.
    #[expect(clippy::too_many_arguments, reason = "the list's inputs, each plain")]
    pub fn page_with_words(
        &self,
        kind: DocKind,
        site: i64,
        text: &str,
        tags: &[String],
        order: ListOrder,
        offset: usize,
        limit: usize,
    ) -> Result<Option<IdPage>> {
        let Some(query) = self.words_query(kind, site, text, tags) else {
            return Ok(None);
        };
        let (mut keys, total) = self.reader.searcher().search(
            &query,
            &Ordered {
                order,
                keep: offset.saturating_add(limit),
            },
        )?;
        keys.sort_unstable_by(|a, b| b.cmp(a));
        keys.dedup();
        Ok(Some(IdPage {
            ids: keys.into_iter().skip(offset).map(|(_, id)| id).collect(),
            total,
        }))
    }

    fn words_query(
        &self,
        kind: DocKind,
        site: i64,
        text: &str,
        tags: &[String],
    ) -> Option<BooleanQuery> {
        let f = &self.fields;
        let text = vntext::nfc(text);
        let mut pieces: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for piece in text.split(|c: char| c.is_whitespace() || c == ',') {
            let terms: Vec<Term> = analyzer::word_spans(piece)
                .map(|(from, to)| &piece[from..to])
                .filter(|w| w.len() <= MAX_WORD_BYTES)
                .map(|w| Term::from_field_text(f.title_f, &analyzer::term_of(w, Mode::Folded)))
                .collect();
            let q: Box<dyn TantivyQuery> = match terms.len() {
                0 => continue,
                1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
                _ => Box::new(PhraseQuery::new(terms)),
            };
            pieces.push((Occur::Must, q));
        }
        if pieces.is_empty() {
            return None;
        }
        let mut either: Vec<(Occur, Box<dyn TantivyQuery>)> =
            vec![(Occur::Should, Box::new(BooleanQuery::new(pieces)))];
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() >= 2 && digits.chars().all(|c| c.is_ascii_digit()) {
            either.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.body_f, &digits),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let mut all: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.site_term, &site.to_string()),
                    IndexRecordOption::Basic,
                )),
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.kind, kind.code()),
                    IndexRecordOption::Basic,
                )),
            ),
            (Occur::Must, Box::new(BooleanQuery::new(either))),
        ];
        for tag in tags {
            all.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.tags, tag),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Some(BooleanQuery::new(all))
    }
}

/// Collects, unscored, how many match and the `keep` first of them in the list's
/// order, as (order key, id) pairs (unsorted).
struct Ordered {
    order: ListOrder,
    keep: usize,
}

struct SegmentOrdered {
    key: Option<Column<i64>>,
    id: Option<Column<i64>>,
    keep: usize,
    /// The best `keep` so far, the worst on top.
    best: BinaryHeap<Reverse<(i64, i64)>>,
    /// Every match, when all are kept (no heap to order).
    all: Vec<(i64, i64)>,
    count: usize,
}

impl Collector for Ordered {
    type Fruit = (Vec<(i64, i64)>, usize);
    type Child = SegmentOrdered;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentOrdered> {
        let fast = segment.fast_fields();
        Ok(SegmentOrdered {
            key: fast.i64(self.order.column()).ok(),
            id: fast.i64("id").ok(),
            keep: self.keep,
            best: BinaryHeap::new(),
            all: Vec::new(),
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Vec<(i64, i64)>, usize)>,
    ) -> tantivy::Result<(Vec<(i64, i64)>, usize)> {
        let total = fruits.iter().map(|(_, n)| n).sum();
        let mut all: Vec<(i64, i64)> = fruits.into_iter().flat_map(|(k, _)| k).collect();
        if all.len() > self.keep {
            all.select_nth_unstable_by(self.keep, |a, b| b.cmp(a));
            all.truncate(self.keep);
        }
        Ok((all, total))
    }
}

impl SegmentCollector for SegmentOrdered {
    type Fruit = (Vec<(i64, i64)>, usize);

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(id) = self.id.as_ref().and_then(|c| c.first(doc)) else {
            return;
        };
        self.count += 1;
        if self.keep == 0 {
            return;
        }
        let key = (
            self.key.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
            id,
        );
        if self.keep == usize::MAX {
            self.all.push(key);
        } else if self.best.len() < self.keep {
            self.best.push(Reverse(key));
        } else if self.best.peek().is_some_and(|Reverse(worst)| key > *worst) {
            self.best.pop();
            self.best.push(Reverse(key));
        }
    }

    fn harvest(self) -> (Vec<(i64, i64)>, usize) {
        let mut kept = self.all;
        kept.extend(self.best.into_iter().map(|Reverse(k)| k));
        (kept, self.count)
    }
}
