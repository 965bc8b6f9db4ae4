//! Units of the province's education sector: the department (Sở GD&ĐT), its
//! offices, communes, centres and schools, as a tree that is data. Since 1 July
//! 2025 the district offices are gone and schools hang under the department or a
//! commune, so nothing here fixes who sits under whom. A unit may have a site.

use crate::{SiteId, UnitId};

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// Sở Giáo dục và Đào tạo.
    Department,
    /// A professional office of the department (phòng chuyên môn).
    Office,
    /// A commune or ward (xã, phường), under which schools now hang.
    Commune,
    /// Trường mầm non.
    Preschool,
    /// Trường tiểu học.
    Primary,
    /// Trường trung học cơ sở.
    LowerSecondary,
    /// Trường trung học phổ thông.
    UpperSecondary,
    /// Trường liên cấp (several levels).
    MultiLevel,
    /// Trung tâm giáo dục thường xuyên / GDNN-GDTX.
    ContinuingEducation,
    /// Another centre (trung tâm).
    Centre,
    /// Anything else.
    Other,
}

impl UnitKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [UnitKind; 11] = [
        UnitKind::Department,
        UnitKind::Office,
        UnitKind::Commune,
        UnitKind::Preschool,
        UnitKind::Primary,
        UnitKind::LowerSecondary,
        UnitKind::UpperSecondary,
        UnitKind::MultiLevel,
        UnitKind::ContinuingEducation,
        UnitKind::Centre,
        UnitKind::Other,
    ];

    /// The stored key, also accepted by the CLI and the import.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Department => "so",
            UnitKind::Office => "phong",
            UnitKind::Commune => "xa-phuong",
            UnitKind::Preschool => "mam-non",
            UnitKind::Primary => "tieu-hoc",
            UnitKind::LowerSecondary => "thcs",
            UnitKind::UpperSecondary => "thpt",
            UnitKind::MultiLevel => "lien-cap",
            UnitKind::ContinuingEducation => "gdtx",
            UnitKind::Centre => "trung-tam",
            UnitKind::Other => "khac",
        }
    }

    /// The name shown.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Department => "Sở GD&ĐT",
            UnitKind::Office => "Phòng chuyên môn",
            UnitKind::Commune => "Xã, phường",
            UnitKind::Preschool => "Trường mầm non",
            UnitKind::Primary => "Trường tiểu học",
            UnitKind::LowerSecondary => "Trường THCS",
            UnitKind::UpperSecondary => "Trường THPT",
            UnitKind::MultiLevel => "Trường liên cấp",
            UnitKind::ContinuingEducation => "Trung tâm GDNN-GDTX",
            UnitKind::Centre => "Trung tâm",
            UnitKind::Other => "Khác",
        }
    }

    /// Whether it is a school (the units whose news the department gathers).
    pub fn is_school(self) -> bool {
        matches!(
            self,
            UnitKind::Preschool
                | UnitKind::Primary
                | UnitKind::LowerSecondary
                | UnitKind::UpperSecondary
                | UnitKind::MultiLevel
                | UnitKind::ContinuingEducation
        )
    }

    /// The kind for a stored key, or for what a person types in an import sheet:
    /// the key, the label, or the usual words ("THPT", "Mầm non", "Tiểu học"),
    /// with or without tone marks.
    pub fn parse(s: &str) -> Option<UnitKind> {
        let folded = vntext::fold_lower(s.trim());
        let folded = folded.trim();
        if folded.is_empty() {
            return None;
        }
        let words = folded.replace(['-', '_', '&', ','], " ");
        let words: Vec<&str> = words.split_whitespace().collect();
        let joined = words.join(" ");
        let found = UnitKind::ALL.into_iter().find(|k| {
            k.as_str() == folded
                || vntext::fold_lower(k.label()) == folded
                || k.as_str().replace('-', " ") == joined
        });
        if found.is_some() {
            return found;
        }
        let has = |w: &str| joined.contains(w);
        Some(if has("thpt") || has("trung hoc pho thong") {
            UnitKind::UpperSecondary
        } else if has("thcs") || has("trung hoc co so") {
            UnitKind::LowerSecondary
        } else if has("tieu hoc") {
            UnitKind::Primary
        } else if has("mam non") || has("mau giao") || has("nha tre") {
            UnitKind::Preschool
        } else if has("lien cap") {
            UnitKind::MultiLevel
        } else if has("gdtx") || has("thuong xuyen") || has("gdnn") {
            UnitKind::ContinuingEducation
        } else if has("so gd") || has("so giao duc") {
            UnitKind::Department
        } else if has("phong") {
            UnitKind::Office
        } else if has("xa") || has("phuong") || has("dac khu") {
            UnitKind::Commune
        } else if has("trung tam") {
            UnitKind::Centre
        } else if joined == "khac" {
            UnitKind::Other
        } else {
            return None;
        })
    }
}

/// A unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Id.
    pub id: UnitId,
    /// Short stable key ("thpt-le-loi"), unique in the province.
    pub key: String,
    /// Full name ("Trường THPT Lê Lợi").
    pub name: String,
    /// What it is.
    pub kind: UnitKind,
    /// The unit it hangs under, if any (the department has none).
    pub parent: Option<UnitId>,
    /// Its site, if it has one.
    pub site: Option<SiteId>,
}

/// The units under `root` (any depth), `root` left out, in the order of `units`
/// walked from the root down. A loop in the tree is walked once.
pub fn units_under(units: &[Unit], root: UnitId) -> Vec<&Unit> {
    let mut children: std::collections::HashMap<UnitId, Vec<&Unit>> =
        std::collections::HashMap::new();
    for u in units {
        if let Some(p) = u.parent {
            children.entry(p).or_default().push(u);
        }
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(at) = stack.pop() {
        for c in children.get(&at).into_iter().flatten() {
            if seen.insert(c.id) {
                out.push(*c);
                stack.push(c.id);
            }
        }
    }
    out
}

/// Whether `unit` hangs under `root` (any depth; not `root` itself). A loop in
/// the tree ends the walk.
pub fn is_under(units: &[Unit], unit: &Unit, root: UnitId) -> bool {
    let mut at = unit.parent;
    let mut steps = 0;
    while let Some(p) = at {
        if p == root {
            return true;
        }
        steps += 1;
        if steps > units.len() {
            return false;
        }
        at = units.iter().find(|u| u.id == p).and_then(|u| u.parent);
    }
    false
}

/// Longest unit name accepted, in characters.
pub const MAX_UNIT_NAME_CHARS: usize = 200;

/// What is wrong with a unit's key, as a Vietnamese message.
pub fn check_unit_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("Vui lòng nhập mã đơn vị, ví dụ thpt-le-loi.".to_owned());
    }
    if key.len() > 60
        || !key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || key.starts_with('-')
        || key.ends_with('-')
    {
        return Err(format!(
            "Mã “{key}” chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 60 ký tự), ví dụ thpt-le-loi."
        ));
    }
    Ok(())
}

/// What is wrong with a unit's name, as a Vietnamese message.
pub fn check_unit_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("Vui lòng nhập tên đơn vị.".to_owned());
    }
    if name.chars().count() > MAX_UNIT_NAME_CHARS {
        return Err(format!(
            "Tên đơn vị dài quá {MAX_UNIT_NAME_CHARS} ký tự; hãy rút gọn."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_the_way_people_write_them() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
            assert_eq!(UnitKind::parse(k.label()), Some(k), "{}", k.label());
        }
        assert_eq!(UnitKind::parse("THPT"), Some(UnitKind::UpperSecondary));
        assert_eq!(
            UnitKind::parse("trung học cơ sở"),
            Some(UnitKind::LowerSecondary)
        );
        assert_eq!(UnitKind::parse("Mam non"), Some(UnitKind::Preschool));
        assert_eq!(UnitKind::parse("Tiểu học"), Some(UnitKind::Primary));
        assert_eq!(UnitKind::parse("Phường"), Some(UnitKind::Commune));
        assert_eq!(UnitKind::parse("trường học"), None);
        assert_eq!(UnitKind::parse(""), None);
    }

    #[test]
    fn keys_are_plain() {
        assert!(check_unit_key("thpt-le-loi").is_ok());
        assert!(check_unit_key("").is_err());
        assert!(check_unit_key("THPT").is_err());
        assert!(check_unit_key("lê-lợi").is_err());
        assert!(check_unit_key("-a").is_err());
    }
}
