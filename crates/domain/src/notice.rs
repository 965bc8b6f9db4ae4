//! Announcements ("Thông báo", issue 14): a short notice shown in the block
//! "Thông báo" of its site from its start until its expiry, pinned ones first.
//! The department may address one to the schools (all, one kind, or those under a
//! unit); it then shows in each of those schools' blocks too.

use crate::{SafeHtml, SiteId, Unit, UnitId, UnitKind};

/// Longest notice title accepted, in characters.
pub const MAX_NOTICE_TITLE_CHARS: usize = 250;

/// Who a notice is for, besides its own site's readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Its own site only.
    Site,
    /// Every school of the province.
    AllSchools,
    /// The schools of one kind.
    Kind(UnitKind),
    /// The schools under a unit (anywhere below it in the tree).
    Under(UnitId),
}

impl Audience {
    /// As stored: `site`, `all`, `kind:<kind>`, `parent:<unit id>`; also the
    /// value of the back office's choice.
    pub fn as_stored(self) -> String {
        match self {
            Audience::Site => "site".to_owned(),
            Audience::AllSchools => "all".to_owned(),
            Audience::Kind(k) => format!("kind:{}", k.as_str()),
            Audience::Under(u) => format!("parent:{}", u.0),
        }
    }

    /// The audience of a stored value.
    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "site" | "" => Some(Audience::Site),
            "all" => Some(Audience::AllSchools),
            _ => {
                if let Some(k) = s.strip_prefix("kind:") {
                    UnitKind::ALL
                        .into_iter()
                        .find(|x| x.as_str() == k)
                        .filter(|k| k.is_school())
                        .map(Audience::Kind)
                } else {
                    s.strip_prefix("parent:")
                        .and_then(|u| u.parse().ok())
                        .map(|u| Audience::Under(UnitId(u)))
                }
            }
        }
    }

    /// Whether a notice so addressed reaches `unit`'s site, `units` being the
    /// whole tree. Only schools are reached; the sender's own site is not
    /// "reached" (it shows its own notices anyway).
    pub fn reaches(self, unit: &Unit, units: &[Unit]) -> bool {
        if !unit.kind.is_school() {
            return false;
        }
        match self {
            Audience::Site => false,
            Audience::AllSchools => true,
            Audience::Kind(k) => unit.kind == k,
            Audience::Under(top) => {
                // Up the tree from the unit; a cycle (bad data) ends the walk.
                let mut at = unit.parent;
                for _ in 0..units.len() {
                    match at {
                        Some(p) if p == top => return true,
                        Some(p) => at = units.iter().find(|u| u.id == p).and_then(|u| u.parent),
                        None => return false,
                    }
                }
                false
            }
        }
    }
}

/// A notice as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Id.
    pub id: i64,
    /// The site that published it.
    pub site: SiteId,
    /// Words of its address, from the title.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: SafeHtml,
    /// When it starts to show (UTC seconds).
    pub starts_at: i64,
    /// When it stops showing in blocks; none: never.
    pub expires_at: Option<i64>,
    /// Kept on top.
    pub pinned: bool,
    /// Readers see it (otherwise a draft).
    pub published: bool,
    /// Who it is for.
    pub audience: Audience,
    /// Revision, for saves.
    pub revision: i64,
    /// Last saved.
    pub updated_at: i64,
}

impl Notice {
    /// Shown in blocks at `now`: published, started and not expired.
    pub fn is_current(&self, now: i64) -> bool {
        self.published && self.starts_at <= now && self.expires_at.is_none_or(|e| now < e)
    }

    /// Expired at `now`.
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }

    /// Its page: `/thong-bao/<id>-<slug>` (ids make the address unique across
    /// the sites whose blocks show it).
    pub fn path(&self) -> String {
        notice_path(self.id, &self.slug)
    }
}

/// The page of a notice.
pub fn notice_path(id: i64, slug: &str) -> String {
    if slug.is_empty() {
        format!("/thong-bao/{id}")
    } else {
        format!("/thong-bao/{id}-{slug}")
    }
}

/// A notice as the back office sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeDraft {
    /// Title (NFC, one line).
    pub title: String,
    /// Body, sanitised.
    pub body: SafeHtml,
    /// Start.
    pub starts_at: i64,
    /// Expiry.
    pub expires_at: Option<i64>,
    /// Pinned.
    pub pinned: bool,
    /// Published.
    pub published: bool,
    /// Audience.
    pub audience: Audience,
}

impl NoticeDraft {
    /// What is wrong with it, in Vietnamese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.is_empty() {
            out.push("Vui lòng nhập tiêu đề thông báo.".to_owned());
        } else if self.title.chars().count() > MAX_NOTICE_TITLE_CHARS {
            out.push(format!(
                "Tiêu đề dài quá {MAX_NOTICE_TITLE_CHARS} ký tự; hãy viết gọn lại."
            ));
        }
        if self.expires_at.is_some_and(|e| e <= self.starts_at) {
            out.push("Ngày hết hạn phải sau ngày bắt đầu hiển thị.".to_owned());
        }
        out
    }

    /// Its slug.
    pub fn slug(&self) -> String {
        let mut s = vntext::slugify(&self.title);
        if s.len() > 80 {
            let cut = s[..80].rfind('-').unwrap_or(80);
            s.truncate(cut);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, kind: UnitKind, parent: Option<i64>) -> Unit {
        Unit {
            id: UnitId(id),
            key: format!("u{id}"),
            name: format!("Đơn vị {id}"),
            kind,
            parent: parent.map(UnitId),
            site: Some(SiteId(id)),
        }
    }

    #[test]
    fn audiences_reach_the_schools_meant() {
        let units = vec![
            unit(1, UnitKind::Department, None),
            unit(2, UnitKind::Commune, Some(1)),
            unit(3, UnitKind::Primary, Some(2)),
            unit(4, UnitKind::UpperSecondary, Some(1)),
            unit(5, UnitKind::Primary, Some(1)),
        ];
        let reached = |a: Audience| -> Vec<i64> {
            units
                .iter()
                .filter(|u| a.reaches(u, &units))
                .map(|u| u.id.0)
                .collect()
        };
        assert_eq!(reached(Audience::Site), Vec::<i64>::new());
        assert_eq!(reached(Audience::AllSchools), vec![3, 4, 5]);
        assert_eq!(reached(Audience::Kind(UnitKind::Primary)), vec![3, 5]);
        assert_eq!(reached(Audience::Under(UnitId(2))), vec![3]);
        for a in [
            Audience::Site,
            Audience::AllSchools,
            Audience::Kind(UnitKind::Primary),
            Audience::Under(UnitId(2)),
        ] {
            assert_eq!(Audience::parse(&a.as_stored()), Some(a));
        }
        assert_eq!(Audience::parse("kind:so"), None);
    }
}
