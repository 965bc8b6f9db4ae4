//! The ids of the documents whose title holds some words: a filter for lists kept
//! in the database (the registry of official documents at `/van-ban`), which then
//! sort and page over these ids instead of reading every row's text.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query as TantivyQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

use crate::analyzer::{self, MAX_WORD_BYTES, Mode};
use crate::index::SearchIndex;
use crate::{DocKind, Result};

impl SearchIndex {
    /// The ids (ascending) of the documents of `kind` on `site` that a list's
    /// words filter keeps: every piece of `text` (split at spaces and commas)
    /// found in the title with or without tone marks, a piece of several words
    /// ("15/2025/TT-BGDĐT", "dạy-thêm") as those words side by side; or, when
    /// `text` is digits alone (two or more), the documents whose body holds those
    /// digits as a word (the indexer writes a document's number's digits there:
    /// "152025" for "15/2025/TT-BGDĐT"). Words are whole syllables: "them" finds
    /// "thêm", not "thêu". `None` when `text` has no word to look for.
    pub fn ids_with_words(&self, kind: DocKind, site: i64, text: &str) -> Result<Option<Vec<i64>>> {
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
            return Ok(None);
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
        let query = BooleanQuery::new(vec![
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
        ]);
        let mut ids = self.reader.searcher().search(&query, &Ids)?;
        ids.sort_unstable();
        ids.dedup();
        Ok(Some(ids))
    }
}

/// Collects the `id` fast field of every match, unscored.
struct Ids;

struct SegmentIds {
    column: Option<Column<i64>>,
    ids: Vec<i64>,
}

impl Collector for Ids {
    type Fruit = Vec<i64>;
    type Child = SegmentIds;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentIds> {
        Ok(SegmentIds {
            column: segment.fast_fields().i64("id").ok(),
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<i64>>) -> tantivy::Result<Vec<i64>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentIds {
    type Fruit = Vec<i64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(id) = self.column.as_ref().and_then(|c| c.first(doc)) {
            self.ids.push(id);
        }
    }

    fn harvest(self) -> Vec<i64> {
        self.ids
    }
}
