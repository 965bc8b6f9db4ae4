//! What a re-import changes, candidate by candidate, for the history.

use crate::model::{Candidate, SessionSpec};
use std::collections::HashMap;

/// Which field of a candidate changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeField {
    /// The candidate is new in this import.
    Added,
    /// The candidate is no longer in the file.
    Removed,
    /// The name.
    Name,
    /// The date of birth.
    BirthDate,
    /// The score of the session's subject with this index.
    Score(usize),
    /// The session's extra field with this index.
    Extra(usize),
}

impl ChangeField {
    /// The field's name as the history shows it.
    pub fn label(&self, spec: &SessionSpec) -> String {
        match *self {
            ChangeField::Added => "Thêm thí sinh".to_owned(),
            ChangeField::Removed => "Bỏ thí sinh".to_owned(),
            ChangeField::Name => "Họ và tên".to_owned(),
            ChangeField::BirthDate => "Ngày sinh".to_owned(),
            ChangeField::Score(i) => spec
                .subjects
                .get(i)
                .map_or_else(|| format!("Môn {}", i + 1), |s| format!("Điểm {}", s.name)),
            ChangeField::Extra(i) => spec
                .extras
                .get(i)
                .map_or_else(|| format!("Trường {}", i + 1), |e| e.name.clone()),
        }
    }
}

/// One change of one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The candidate number.
    pub sbd: String,
    /// What changed.
    pub field: ChangeField,
    /// The value before, as shown ("7,5", "Vắng", "05/09/2010"); `None` for none.
    pub before: Option<String>,
    /// The value after, as shown; `None` for none.
    pub after: Option<String>,
}

fn score_text(c: &Candidate, i: usize) -> String {
    c.scores
        .get(i)
        .copied()
        .flatten()
        .map_or_else(|| "Vắng".to_owned(), |s| s.to_vi())
}

fn date_text(c: &Candidate) -> Option<String> {
    c.birth_date.map(|d| d.strftime("%d/%m/%Y").to_string())
}

/// The changes from `old` to `new` (both of one session, so with the same subjects
/// and extra fields): candidates of `new` in its order, each with the fields that
/// changed, then the candidates `new` no longer has. An added candidate is one
/// `Added` change (its name after); its scores are in the new data itself.
pub fn diff(old: &[Candidate], new: &[Candidate]) -> Vec<Change> {
    let by_sbd: HashMap<&str, &Candidate> = old.iter().map(|c| (c.sbd.as_str(), c)).collect();
    let mut changes = Vec::new();
    let mut push = |sbd: &str, field, before: Option<String>, after: Option<String>| {
        changes.push(Change {
            sbd: sbd.to_owned(),
            field,
            before,
            after,
        })
    };
    for n in new {
        let Some(o) = by_sbd.get(n.sbd.as_str()) else {
            push(&n.sbd, ChangeField::Added, None, Some(n.name.clone()));
            continue;
        };
        if o.name != n.name {
            push(
                &n.sbd,
                ChangeField::Name,
                Some(o.name.clone()),
                Some(n.name.clone()),
            );
        }
        if o.birth_date != n.birth_date {
            push(&n.sbd, ChangeField::BirthDate, date_text(o), date_text(n));
        }
        for i in 0..o.scores.len().max(n.scores.len()) {
            let (before, after) = (score_text(o, i), score_text(n, i));
            if before != after {
                push(&n.sbd, ChangeField::Score(i), Some(before), Some(after));
            }
        }
        for i in 0..o.extras.len().max(n.extras.len()) {
            let before = o.extras.get(i).map_or("", String::as_str);
            let after = n.extras.get(i).map_or("", String::as_str);
            if before != after {
                let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
                push(&n.sbd, ChangeField::Extra(i), some(before), some(after));
            }
        }
    }
    let kept: std::collections::HashSet<&str> = new.iter().map(|c| c.sbd.as_str()).collect();
    for o in old {
        if !kept.contains(o.sbd.as_str()) {
            push(&o.sbd, ChangeField::Removed, Some(o.name.clone()), None);
        }
    }
    changes
}
