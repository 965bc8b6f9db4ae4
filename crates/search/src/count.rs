//! Counting the documents that have every word of a search, exactly and quickly.
//!
//! "Giáo dục" is in most articles of an education portal, so the count of a search
//! made of such words is an intersection of two lists of nearly every document. Such
//! dense lists are kept here as bitsets, one per term and segment (segments never
//! change, so neither do their bitsets), and intersected a word of 64 documents at a
//! time; sparse lists are walked as usual, each document looked up in the bitsets.
//! Deleted documents are left out with the segment's alive bitset, kept the same way.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::index::SegmentId;
use tantivy::postings::SegmentPostings;
use tantivy::schema::IndexRecordOption;
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocId, DocSet, Searcher, SegmentReader, TERMINATED, Term};

/// A term is dense in a segment when at least one document in this many has it.
const DENSE: u64 = 16;

/// Memory the bitsets may take; past it they are dropped and made again as needed.
const CACHE_BYTES: usize = 64 << 20;

type Bits = Arc<[u64]>;

/// Counts matches; keeps the bitsets of dense terms between searches.
#[derive(Default)]
pub(crate) struct Counter {
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    terms: HashMap<(SegmentId, Term), Bits>,
    /// Alive documents of segments with deletions, by how many were deleted (a
    /// segment only ever gains deletions, so the number names the set).
    alive: HashMap<(SegmentId, u32), Bits>,
    bytes: usize,
}

impl Cache {
    fn keep(&mut self, bits: &Bits) {
        self.bytes += bits.len() * 8;
        if self.bytes > CACHE_BYTES {
            self.terms.clear();
            self.alive.clear();
            self.bytes = bits.len() * 8;
        }
    }
}

/// The documents of a posting list as a bitset of `max_doc` bits.
fn bits_of(mut postings: SegmentPostings, max_doc: DocId) -> Bits {
    let mut words = vec![0u64; (max_doc as usize).div_ceil(64)];
    let mut buffer = [0; COLLECT_BLOCK_BUFFER_LEN];
    loop {
        let n = postings.fill_buffer(&mut buffer);
        for &doc in &buffer[..n] {
            words[doc as usize / 64] |= 1 << (doc % 64);
        }
        if n < buffer.len() {
            break;
        }
    }
    words.into()
}

fn contains(bits: &[u64], doc: DocId) -> bool {
    bits[doc as usize / 64] & (1 << (doc % 64)) != 0
}

impl Counter {
    fn cache(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets the bitsets of segments the searcher no longer has (merged away).
    pub fn keep_only(&self, searcher: &Searcher) {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        let mut cache = self.cache();
        cache.terms.retain(|(segment, _), _| live.contains(segment));
        cache.alive.retain(|(segment, _), _| live.contains(segment));
        cache.bytes = cache
            .terms
            .values()
            .chain(cache.alive.values())
            .map(|b| b.len() * 8)
            .sum();
    }

    /// How many live documents have every one of `terms` (at least one).
    pub fn count(&self, searcher: &Searcher, terms: &[Term]) -> tantivy::Result<usize> {
        let mut total = 0;
        for segment in searcher.segment_readers() {
            total += self.count_in(segment, terms)?;
        }
        Ok(total)
    }

    fn count_in(&self, segment: &SegmentReader, terms: &[Term]) -> tantivy::Result<usize> {
        let max_doc = segment.max_doc();
        let mut dense: Vec<Bits> = Vec::new();
        let mut sparse: Vec<(u32, SegmentPostings)> = Vec::new();
        for term in terms {
            let inverted = segment.inverted_index(term.field())?;
            let Some(info) = inverted.get_term_info(term)? else {
                return Ok(0);
            };
            if u64::from(info.doc_freq) * DENSE >= u64::from(max_doc) {
                let key = (segment.segment_id(), term.clone());
                let known = self.cache().terms.get(&key).cloned();
                let bits = match known {
                    Some(bits) => bits,
                    None => {
                        let postings = inverted
                            .read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                        let bits = bits_of(postings, max_doc);
                        let mut cache = self.cache();
                        cache.keep(&bits);
                        cache.terms.insert(key, bits.clone());
                        bits
                    }
                };
                dense.push(bits);
            } else {
                let postings =
                    inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                sparse.push((info.doc_freq, postings));
            }
        }
        let alive = self.alive(segment);
        let alive = alive.as_deref();
        if sparse.is_empty() {
            return Ok(count_dense(&dense, alive));
        }
        sparse.sort_by_key(|(freq, _)| *freq);
        let mut lists: Vec<SegmentPostings> = sparse.into_iter().map(|(_, p)| p).collect();
        let (driver, others) = lists.split_first_mut().expect("at least one sparse list");
        let mut count = 0;
        let mut doc = driver.doc();
        'docs: while doc != TERMINATED {
            for other in others.iter_mut() {
                let at = if other.doc() < doc {
                    other.seek(doc)
                } else {
                    other.doc()
                };
                if at == TERMINATED {
                    break 'docs;
                }
                if at > doc {
                    doc = driver.seek(at);
                    continue 'docs;
                }
            }
            if dense.iter().all(|bits| contains(bits, doc))
                && alive.is_none_or(|bits| contains(bits, doc))
            {
                count += 1;
            }
            doc = driver.advance();
        }
        Ok(count)
    }

    /// The alive documents of a segment with deletions.
    fn alive(&self, segment: &SegmentReader) -> Option<Bits> {
        let set = segment.alive_bitset()?;
        let key = (segment.segment_id(), segment.num_deleted_docs());
        if let Some(bits) = self.cache().alive.get(&key) {
            return Some(bits.clone());
        }
        let mut words = vec![0u64; (segment.max_doc() as usize).div_ceil(64)];
        for doc in set.iter_alive() {
            words[doc as usize / 64] |= 1 << (doc % 64);
        }
        let bits: Bits = words.into();
        let mut cache = self.cache();
        cache.keep(&bits);
        cache.alive.insert(key, bits.clone());
        Some(bits)
    }
}

/// Documents in every one of the bitsets (and alive).
fn count_dense(dense: &[Bits], alive: Option<&[u64]>) -> usize {
    let Some((first, rest)) = dense.split_first() else {
        return 0;
    };
    let mut count = 0;
    for (i, &word) in first.iter().enumerate() {
        let mut w = word;
        for bits in rest {
            w &= bits[i];
        }
        if let Some(alive) = alive {
            w &= alive[i];
        }
        count += w.count_ones() as usize;
    }
    count
}
