//! A published session held in memory for the lookups of results day.
//!
//! Layout, chosen by measurement (see `bench/exam.sh`): one record of 16 bytes per
//! candidate sorted by candidate number, names and numbers in one text arena, scores
//! in one flat `u16` array, extra fields as indexes into one table of distinct values
//! (a province has a few hundred schools, not a million). A `Vec<Candidate>` of the
//! same million candidates takes several times the memory, mostly allocator overhead
//! of small strings and vectors.

use crate::dist::Distribution;
use crate::model::{Candidate, LookupRule, Score, SessionSpec, normalize_sbd};
use jiff::civil::Date;
use std::collections::HashMap;

const ABSENT: u16 = u16::MAX;
/// A packed date no real date has: stands in when no candidate was found, so the
/// comparison of dates is done either way.
const NO_DATE: u32 = 0;

#[derive(Debug, Clone, Copy)]
struct Rec {
    text: usize,
    birth: u32,
    name_len: u16,
    sbd_len: u8,
}

/// What a lookup finds.
#[derive(Debug, Clone, Copy)]
pub enum LookupOutcome<'a> {
    /// The candidate, with the right date of birth when the session asks for it.
    Found(CandidateRef<'a>),
    /// No candidate with this number, or the date of birth does not match: the two
    /// are one answer, so that a wrong date does not tell that the number exists.
    NotFound,
    /// The session's results are not public yet.
    NotPublished,
}

impl LookupOutcome<'_> {
    /// The calm Vietnamese message for the visitor when nothing is shown.
    pub fn message_vi(&self, rule: LookupRule) -> Option<&'static str> {
        match self {
            LookupOutcome::Found(_) => None,
            LookupOutcome::NotPublished => Some(crate::messages::NOT_PUBLISHED),
            LookupOutcome::NotFound => Some(match rule {
                LookupRule::SbdOnly => crate::messages::NOT_FOUND_SBD,
                LookupRule::SbdAndBirthDate => crate::messages::NOT_FOUND_SBD_DOB,
            }),
        }
    }
}

/// One candidate of a [`LoadedSession`], read in place.
#[derive(Debug, Clone, Copy)]
pub struct CandidateRef<'a> {
    session: &'a LoadedSession,
    index: usize,
}

impl<'a> CandidateRef<'a> {
    fn rec(&self) -> Rec {
        self.session.recs[self.index]
    }

    /// The candidate number.
    pub fn sbd(&self) -> &'a str {
        self.session.sbd_of(self.index)
    }

    /// The full name.
    pub fn name(&self) -> &'a str {
        let r = self.rec();
        let start = r.text + usize::from(r.sbd_len);
        &self.session.text[start..start + usize::from(r.name_len)]
    }

    /// The date of birth, if the file had one.
    pub fn birth_date(&self) -> Option<Date> {
        unpack_date(self.rec().birth)
    }

    /// The date of birth as dd/mm/yyyy, or "".
    pub fn birth_date_vi(&self) -> String {
        self.birth_date()
            .map(|d| d.strftime("%d/%m/%Y").to_string())
            .unwrap_or_default()
    }

    /// The score of the session's subject `i`; `None` when absent.
    pub fn score(&self, i: usize) -> Option<Score> {
        let n = self.session.spec.subjects.len();
        match self.session.scores.get(self.index * n + i) {
            Some(&ABSENT) | None => None,
            Some(&h) => Some(Score(h)),
        }
    }

    /// The value of the session's extra field `i` ("" when none).
    pub fn extra(&self, i: usize) -> &'a str {
        let n = self.session.spec.extras.len();
        self.session
            .extras
            .get(self.index * n + i)
            .and_then(|&v| self.session.values.get(v as usize))
            .map_or("", |v| &**v)
    }

    /// The value of the extra field with this key ("Trường": [`crate::ExtraField::SCHOOL`]).
    pub fn extra_by_key(&self, key: &str) -> &'a str {
        self.session
            .spec
            .extra_index(key)
            .map_or("", |i| self.extra(i))
    }

    /// The candidate as an owned value (for the history of a re-import).
    pub fn to_candidate(&self) -> Candidate {
        Candidate {
            sbd: self.sbd().to_owned(),
            name: self.name().to_owned(),
            birth_date: self.birth_date(),
            scores: (0..self.session.spec.subjects.len())
                .map(|i| self.score(i))
                .collect(),
            extras: (0..self.session.spec.extras.len())
                .map(|i| self.extra(i).to_owned())
                .collect(),
        }
    }
}

/// A session's candidates in memory, searchable by candidate number.
#[derive(Debug, Clone)]
pub struct LoadedSession {
    spec: SessionSpec,
    publish_at: Option<i64>,
    text: String,
    recs: Vec<Rec>,
    scores: Vec<u16>,
    extras: Vec<u32>,
    values: Vec<Box<str>>,
    /// Open-addressing table from candidate number to `recs` index + 1 (0: empty),
    /// at most half full: a lookup touches one or two slots, not the twenty of a
    /// binary search through a million candidates.
    slots: Vec<u32>,
}

/// The slot where the search for a candidate number starts (FxHash-style).
fn slot_of(sbd: &str, mask: usize) -> usize {
    let mut h: u64 = 0;
    for &b in sbd.as_bytes() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    (h >> 32) as usize & mask
}

fn pack_date(d: Date) -> u32 {
    // Years before 1 are no birth dates; they pack to "none".
    match u32::try_from(d.year()) {
        Ok(y) if y > 0 => (y << 9) | ((d.month() as u32) << 5) | d.day() as u32,
        _ => NO_DATE,
    }
}

fn unpack_date(p: u32) -> Option<Date> {
    if p == NO_DATE {
        return None;
    }
    Date::new((p >> 9) as i16, ((p >> 5) & 0xF) as i8, (p & 0x1F) as i8).ok()
}

impl LoadedSession {
    /// Builds the in-memory form. Candidates are taken by value and dropped as they are
    /// copied in; when two share a number (an import never lets that happen) the
    /// first one wins.
    pub fn new(spec: SessionSpec, candidates: Vec<Candidate>) -> Self {
        let mut builder = SessionBuilder::new(spec);
        builder.reserve(candidates.len());
        for c in candidates {
            builder.push(&c);
        }
        builder.finish()
    }

    /// Sets the moment (UTC seconds) before which [`LoadedSession::lookup_at`] shows
    /// nothing.
    pub fn with_publish_at(mut self, publish_at: Option<i64>) -> Self {
        self.publish_at = publish_at;
        self
    }

    /// The session's shape.
    pub fn spec(&self) -> &SessionSpec {
        &self.spec
    }

    /// The number of candidates.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// Whether there is no candidate.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Every candidate, in order of candidate number.
    pub fn iter(&self) -> impl Iterator<Item = CandidateRef<'_>> {
        (0..self.recs.len()).map(move |index| CandidateRef {
            session: self,
            index,
        })
    }

    fn sbd_of(&self, i: usize) -> &str {
        let r = self.recs[i];
        &self.text[r.text..r.text + usize::from(r.sbd_len)]
    }

    /// Looks a candidate up by number, and by date of birth when the session's rule
    /// asks for it. The number is compared as typed in the file, after trimming and
    /// upper-casing ("hs0123" finds "HS0123"; "123" does not find "0123"). The date is
    /// read as [`crate::parse_date_text`] reads it; a date that cannot be read, a
    /// missing one, a wrong one and an unknown number all give the same `NotFound`,
    /// after the same work.
    pub fn lookup(&self, sbd: &str, birth: Option<&str>) -> LookupOutcome<'_> {
        let key = normalize_sbd(sbd);
        let found = self.find(&key).ok_or(());
        match self.spec.lookup {
            LookupRule::SbdOnly => match found {
                Ok(index) => LookupOutcome::Found(CandidateRef {
                    session: self,
                    index,
                }),
                Err(_) => LookupOutcome::NotFound,
            },
            LookupRule::SbdAndBirthDate => {
                let typed = birth.and_then(parse_typed_birth).map_or(NO_DATE, pack_date);
                let stored = match found {
                    Ok(i) => self.recs[i].birth,
                    Err(_) => u32::MAX,
                };
                // Both comparisons always run; `&` does not short-circuit.
                let matches = (typed != NO_DATE) & (typed == stored);
                match found {
                    Ok(index) if matches => LookupOutcome::Found(CandidateRef {
                        session: self,
                        index,
                    }),
                    _ => LookupOutcome::NotFound,
                }
            }
        }
    }

    /// The index of a candidate number (normalised) in `recs`.
    fn find(&self, key: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = slot_of(key, mask);
        loop {
            let index = (self.slots[at] as usize).checked_sub(1)?;
            let r = &self.recs[index];
            if &self.text[r.text..r.text + usize::from(r.sbd_len)] == key {
                return Some(index);
            }
            at = (at + 1) & mask;
        }
    }

    /// [`LoadedSession::lookup`], except that before the publish time (UTC seconds)
    /// nothing is looked up at all.
    pub fn lookup_at(&self, sbd: &str, birth: Option<&str>, now: i64) -> LookupOutcome<'_> {
        match self.publish_at {
            Some(at) if now >= at => self.lookup(sbd, birth),
            _ => LookupOutcome::NotPublished,
        }
    }

    /// The score distribution of the session's subject `i` ("phổ điểm").
    pub fn distribution(&self, i: usize) -> Option<Distribution> {
        let subject = self.spec.subjects.get(i)?;
        let n = self.spec.subjects.len();
        let scores = self
            .scores
            .iter()
            .skip(i)
            .step_by(n)
            .map(|&h| (h != ABSENT).then_some(Score(h)));
        Some(Distribution::of(subject, scores))
    }

    /// Roughly how many bytes the session holds on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.recs.capacity() * std::mem::size_of::<Rec>()
            + self.scores.capacity() * 2
            + self.extras.capacity() * 4
            + self.values.iter().map(|v| v.len() + 16).sum::<usize>()
            + self.slots.capacity() * 4
    }
}

/// Builds a [`LoadedSession`] one candidate at a time, so that loading a session from
/// the database never holds every candidate twice.
#[derive(Debug)]
pub struct SessionBuilder {
    session: LoadedSession,
    interned: HashMap<Box<str>, u32>,
}

impl SessionBuilder {
    /// An empty session of this shape.
    pub fn new(spec: SessionSpec) -> Self {
        SessionBuilder {
            session: LoadedSession {
                spec,
                publish_at: None,
                text: String::new(),
                recs: Vec::new(),
                scores: Vec::new(),
                extras: Vec::new(),
                values: Vec::new(),
                slots: Vec::new(),
            },
            interned: HashMap::new(),
        }
    }

    /// Makes room for `n` more candidates.
    pub fn reserve(&mut self, n: usize) {
        let s = &mut self.session;
        s.recs.reserve(n);
        s.scores.reserve(n * s.spec.subjects.len());
        s.extras.reserve(n * s.spec.extras.len());
        s.text.reserve(n * 24);
    }

    /// Adds a candidate (scores and extras beyond the session's are ignored).
    pub fn push(&mut self, c: &Candidate) {
        let s = &mut self.session;
        let sbd = truncate(&c.sbd, 255);
        let name = truncate(&c.name, usize::from(u16::MAX));
        s.recs.push(Rec {
            text: s.text.len(),
            birth: c.birth_date.map_or(NO_DATE, pack_date),
            name_len: name.len() as u16,
            sbd_len: sbd.len() as u8,
        });
        s.text.push_str(sbd);
        s.text.push_str(name);
        for i in 0..s.spec.subjects.len() {
            let score = c.scores.get(i).copied().flatten();
            s.scores.push(score.map_or(ABSENT, |v| v.0.min(ABSENT - 1)));
        }
        for i in 0..s.spec.extras.len() {
            let v = c.extras.get(i).map_or("", String::as_str);
            let id = match self.interned.get(v) {
                Some(&id) => id,
                None => {
                    let id = s.values.len() as u32;
                    s.values.push(v.into());
                    self.interned.insert(v.into(), id);
                    id
                }
            };
            s.extras.push(id);
        }
    }

    /// Sorts by candidate number (the first of equal numbers wins) and hands the
    /// session over.
    pub fn finish(self) -> LoadedSession {
        let mut s = self.session;
        let sbd = |r: &Rec| r.text..r.text + usize::from(r.sbd_len);
        let mut order: Vec<u32> = (0..s.recs.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (ra, rb) = (&s.recs[a as usize], &s.recs[b as usize]);
            s.text[sbd(ra)].cmp(&s.text[sbd(rb)])
        });
        order.dedup_by(|b, a| {
            let (ra, rb) = (&s.recs[*a as usize], &s.recs[*b as usize]);
            s.text[sbd(ra)] == s.text[sbd(rb)]
        });
        let already_sorted =
            order.len() == s.recs.len() && order.iter().enumerate().all(|(i, &o)| i == o as usize);
        if !already_sorted {
            let (ns, ne) = (s.spec.subjects.len(), s.spec.extras.len());
            let mut text = String::with_capacity(s.text.len());
            let mut recs = Vec::with_capacity(order.len());
            let mut scores = Vec::with_capacity(order.len() * ns);
            let mut extras = Vec::with_capacity(order.len() * ne);
            for &o in &order {
                let o = o as usize;
                let r = s.recs[o];
                let len = usize::from(r.sbd_len) + usize::from(r.name_len);
                recs.push(Rec {
                    text: text.len(),
                    ..r
                });
                text.push_str(&s.text[r.text..r.text + len]);
                scores.extend_from_slice(&s.scores[o * ns..(o + 1) * ns]);
                extras.extend_from_slice(&s.extras[o * ne..(o + 1) * ne]);
            }
            s.text = text;
            s.recs = recs;
            s.scores = scores;
            s.extras = extras;
        }
        let mask = (s.recs.len() * 2).next_power_of_two().max(2) - 1;
        s.slots = vec![0; mask + 1];
        for (i, r) in s.recs.iter().enumerate() {
            let mut at = slot_of(&s.text[r.text..r.text + usize::from(r.sbd_len)], mask);
            while s.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            s.slots[at] = i as u32 + 1;
        }
        s.text.shrink_to_fit();
        s.recs.shrink_to_fit();
        s.scores.shrink_to_fit();
        s.extras.shrink_to_fit();
        s.values.shrink_to_fit();
        s
    }
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A date of birth as a reader types it: "06/09/2011", "6/9/2011", "06-09-2011",
/// "06.09.2011", "06 09 2011", or the eight digits "06092011" that a phone's number
/// pad allows (it has no "/"). The day always comes first.
pub fn parse_typed_birth(typed: &str) -> Option<Date> {
    let t = typed.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return crate::parse::parse_date_text(&format!("{}/{}/{}", &t[..2], &t[2..4], &t[4..]));
    }
    let spaced: String = t.split_whitespace().collect::<Vec<_>>().join("/");
    crate::parse::parse_date_text(&spaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_of_birth_is_read_however_a_phone_lets_it_be_typed() {
        let want = Date::new(2011, 9, 6).unwrap();
        for typed in [
            "06/09/2011",
            "6/9/2011",
            "06-09-2011",
            "06.09.2011",
            "06092011",
            " 06 09 2011 ",
        ] {
            assert_eq!(parse_typed_birth(typed), Some(want), "{typed:?}");
        }
        for typed in ["2011096", "32092011", "0609201", "06/09", ""] {
            assert_eq!(parse_typed_birth(typed), None, "{typed:?}");
        }
    }
}
