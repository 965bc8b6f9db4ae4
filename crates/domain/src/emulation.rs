//! Emulation and commendation (thi đua, khen thưởng): who works on it, the
//! statuses a proposal for commendation moves through, and who may move it. The
//! titles, forms and levels of commendation are data the department edits (they
//! change with the rules every few years), so nothing here names them.

use crate::Role;

/// The side of the cycle a person works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmulationSide {
    /// A unit (a school) that registers and proposes: its administrators and its
    /// emulation people.
    School,
    /// The department's emulation people (and super-administrators): they see
    /// every unit's proposals, review them and record decisions.
    Department,
}

/// The side a person works on, on a site: `role` is their role there,
/// `department` whether the site is the department's. On the department's site
/// only the emulation role (or a super-administrator) sees other units'
/// proposals; its plain administrators do not. On a school's site its
/// administrators and emulation people work for the school.
pub fn emulation_side(
    role: Option<Role>,
    is_super: bool,
    department: bool,
) -> Option<EmulationSide> {
    if department {
        (is_super || role == Some(Role::Emulation)).then_some(EmulationSide::Department)
    } else {
        matches!(role, Some(Role::Admin | Role::Emulation)).then_some(EmulationSide::School)
    }
}

/// Where a proposal for commendation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProposalStatus {
    /// Nháp: the school is writing it; the department does not see it.
    Draft,
    /// Đã gửi.
    Sent,
    /// Đã tiếp nhận.
    Received,
    /// Trả lại, with its reason: the school corrects it and sends it again.
    Returned,
    /// Đang xét.
    Reviewing,
    /// Đã khen thưởng.
    Awarded,
    /// Không khen thưởng.
    NotAwarded,
}

impl ProposalStatus {
    /// Every status, in the order of the cycle.
    pub const ALL: [ProposalStatus; 7] = [
        ProposalStatus::Draft,
        ProposalStatus::Sent,
        ProposalStatus::Received,
        ProposalStatus::Returned,
        ProposalStatus::Reviewing,
        ProposalStatus::Awarded,
        ProposalStatus::NotAwarded,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Draft => "nhap",
            ProposalStatus::Sent => "da-gui",
            ProposalStatus::Received => "da-tiep-nhan",
            ProposalStatus::Returned => "tra-lai",
            ProposalStatus::Reviewing => "dang-xet",
            ProposalStatus::Awarded => "da-khen-thuong",
            ProposalStatus::NotAwarded => "khong-khen-thuong",
        }
    }

    /// Reads a stored value.
    pub fn parse(s: &str) -> Option<ProposalStatus> {
        ProposalStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The name shown.
    pub fn label(self) -> &'static str {
        match self {
            ProposalStatus::Draft => "Nháp",
            ProposalStatus::Sent => "Đã gửi",
            ProposalStatus::Received => "Đã tiếp nhận",
            ProposalStatus::Returned => "Trả lại",
            ProposalStatus::Reviewing => "Đang xét",
            ProposalStatus::Awarded => "Đã khen thưởng",
            ProposalStatus::NotAwarded => "Không khen thưởng",
        }
    }

    /// Whether the school may still change who is proposed and the files.
    pub fn editable(self) -> bool {
        matches!(self, ProposalStatus::Draft | ProposalStatus::Returned)
    }
}

/// A move of a proposal from one status to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalMove {
    /// The school sends it (a draft, or a returned proposal corrected).
    Send,
    /// The department receives it.
    Receive,
    /// The department returns it, with a reason.
    Return,
    /// The department's council starts its review.
    Review,
    /// The council's result: commended.
    Award,
    /// The council's result: not commended.
    Decline,
}

impl ProposalMove {
    /// Every move.
    pub const ALL: [ProposalMove; 6] = [
        ProposalMove::Send,
        ProposalMove::Receive,
        ProposalMove::Return,
        ProposalMove::Review,
        ProposalMove::Award,
        ProposalMove::Decline,
    ];

    /// The value a form sends.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalMove::Send => "gui",
            ProposalMove::Receive => "tiep-nhan",
            ProposalMove::Return => "tra-lai",
            ProposalMove::Review => "xet",
            ProposalMove::Award => "khen-thuong",
            ProposalMove::Decline => "khong-khen-thuong",
        }
    }

    /// Reads a form's value.
    pub fn parse(s: &str) -> Option<ProposalMove> {
        ProposalMove::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            ProposalMove::Send => "Gửi đề nghị lên Sở",
            ProposalMove::Receive => "Tiếp nhận",
            ProposalMove::Return => "Trả lại",
            ProposalMove::Review => "Đưa ra xét",
            ProposalMove::Award => "Kết luận: khen thưởng",
            ProposalMove::Decline => "Kết luận: không khen thưởng",
        }
    }

    /// Who makes the move.
    pub fn side(self) -> EmulationSide {
        match self {
            ProposalMove::Send => EmulationSide::School,
            _ => EmulationSide::Department,
        }
    }
}

/// Why a move is refused, as a Vietnamese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalRefusal {
    /// The other side makes this move.
    #[error("Việc này do {0} làm, không phải bạn.")]
    NotYours(&'static str),
    /// Not from the current status.
    #[error("Đề nghị đang ở trạng thái “{0}”, không thể làm việc này.")]
    WrongStatus(&'static str),
    /// A return without its reason.
    #[error("Vui lòng ghi lý do trả lại để trường biết cần sửa gì.")]
    MissingReason,
    /// A proposal with nobody proposed.
    #[error("Đề nghị chưa có cá nhân hay tập thể nào; hãy thêm trước khi gửi.")]
    Empty,
}

/// The one rule of the cycle: the status after `mv` made by someone on `side`,
/// from `status`; `note` is the note typed with the move, `entries` how many
/// people and collectives the proposal names.
pub fn next_proposal_status(
    status: ProposalStatus,
    mv: ProposalMove,
    side: EmulationSide,
    note: &str,
    entries: usize,
) -> Result<ProposalStatus, ProposalRefusal> {
    use ProposalMove as M;
    use ProposalStatus as S;
    if mv.side() != side {
        return Err(ProposalRefusal::NotYours(match mv.side() {
            EmulationSide::School => "đơn vị đề nghị",
            EmulationSide::Department => "bộ phận thi đua của Sở",
        }));
    }
    let to = match (mv, status) {
        (M::Send, S::Draft | S::Returned) => S::Sent,
        (M::Receive, S::Sent) => S::Received,
        (M::Return, S::Sent | S::Received | S::Reviewing) => S::Returned,
        (M::Review, S::Received) => S::Reviewing,
        (M::Award, S::Reviewing) => S::Awarded,
        (M::Decline, S::Reviewing) => S::NotAwarded,
        _ => return Err(ProposalRefusal::WrongStatus(status.label())),
    };
    if mv == M::Return && note.trim().is_empty() {
        return Err(ProposalRefusal::MissingReason);
    }
    if mv == M::Send && entries == 0 {
        return Err(ProposalRefusal::Empty);
    }
    Ok(to)
}

/// The moves someone on `side` may offer from `status` (the page's buttons; every
/// POST checks [`next_proposal_status`] again).
pub fn offered_proposal_moves(status: ProposalStatus, side: EmulationSide) -> Vec<ProposalMove> {
    ProposalMove::ALL
        .into_iter()
        .filter(|m| next_proposal_status(status, *m, side, "lý do", 1).is_ok())
        .collect()
}

/// A movement's kind.
pub const MOVEMENT_KINDS: [(&str, &str); 4] = [
    ("thuong-xuyen", "Thường xuyên"),
    ("theo-dot", "Theo đợt (chuyên đề)"),
    ("hang-nam", "Hằng năm"),
    ("5-nam", "5 năm"),
];

/// The name of a movement's kind from its key.
pub fn movement_kind_label(key: &str) -> &'static str {
    MOVEMENT_KINDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, l)| l)
}

/// Whether a movement reaches `unit`: its scope names kinds of unit and parent
/// units, and each list given narrows it (none given: the whole sector). A unit
/// is under a parent at any depth. `units` is the province's tree.
pub fn in_movement_scope(
    kinds: &[String],
    parents: &[crate::UnitId],
    unit: &crate::Unit,
    units: &[crate::Unit],
) -> bool {
    (kinds.is_empty() || kinds.iter().any(|k| k == unit.kind.as_str()))
        && (parents.is_empty()
            || parents
                .iter()
                .any(|p| crate::unit::is_under(units, unit, *p)))
}

/// Whether an entry names a collective or a person.
pub const ENTRY_KINDS: [(&str, &str); 2] = [("ca-nhan", "Cá nhân"), ("tap-the", "Tập thể")];

/// The kind of an entry as a person types it ("Cá nhân", "tập thể", "ca-nhan").
pub fn parse_entry_kind(s: &str) -> Option<&'static str> {
    let f = vntext::fold_lower(s.trim()).replace('-', " ");
    match f.as_str() {
        "ca nhan" | "" => Some("ca-nhan"),
        "tap the" => Some("tap-the"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EmulationSide::{Department, School};
    use ProposalMove as M;
    use ProposalStatus as S;

    #[test]
    fn only_the_departments_emulation_people_work_on_its_side() {
        assert_eq!(
            emulation_side(Some(Role::Emulation), false, true),
            Some(Department)
        );
        assert_eq!(emulation_side(None, true, true), Some(Department));
        assert_eq!(
            emulation_side(Some(Role::Admin), false, true),
            None,
            "a plain admin"
        );
        assert_eq!(emulation_side(Some(Role::Editor), false, true), None);
        assert_eq!(
            emulation_side(Some(Role::Admin), false, false),
            Some(School)
        );
        assert_eq!(
            emulation_side(Some(Role::Emulation), false, false),
            Some(School)
        );
        assert_eq!(emulation_side(Some(Role::Writer), false, false), None);
        assert_eq!(emulation_side(None, false, false), None);
    }

    #[test]
    fn the_cycle_from_draft_to_award() {
        let mut s = S::Draft;
        for (mv, side, to) in [
            (M::Send, School, S::Sent),
            (M::Receive, Department, S::Received),
            (M::Review, Department, S::Reviewing),
            (M::Award, Department, S::Awarded),
        ] {
            s = next_proposal_status(s, mv, side, "", 2).unwrap();
            assert_eq!(s, to);
        }
        assert_eq!(
            next_proposal_status(S::Reviewing, M::Decline, Department, "", 1),
            Ok(S::NotAwarded)
        );
    }

    #[test]
    fn each_side_makes_its_own_moves() {
        assert_eq!(
            next_proposal_status(S::Draft, M::Send, Department, "", 1),
            Err(ProposalRefusal::NotYours("đơn vị đề nghị"))
        );
        for mv in [M::Receive, M::Return, M::Review, M::Award, M::Decline] {
            assert!(matches!(
                next_proposal_status(S::Sent, mv, School, "lý do", 1),
                Err(ProposalRefusal::NotYours(_))
            ));
        }
    }

    #[test]
    fn a_return_needs_its_reason_and_the_school_sends_again() {
        assert_eq!(
            next_proposal_status(S::Sent, M::Return, Department, "  ", 1),
            Err(ProposalRefusal::MissingReason)
        );
        let back = next_proposal_status(S::Received, M::Return, Department, "Thiếu biên bản", 1);
        assert_eq!(back, Ok(S::Returned));
        assert!(S::Returned.editable());
        assert_eq!(
            next_proposal_status(S::Returned, M::Send, School, "", 1),
            Ok(S::Sent)
        );
    }

    #[test]
    fn no_skipping_and_nothing_after_the_end() {
        assert!(matches!(
            next_proposal_status(S::Sent, M::Award, Department, "", 1),
            Err(ProposalRefusal::WrongStatus("Đã gửi"))
        ));
        assert!(next_proposal_status(S::Draft, M::Receive, Department, "", 1).is_err());
        for mv in ProposalMove::ALL {
            for side in [School, Department] {
                assert!(next_proposal_status(S::Awarded, mv, side, "x", 1).is_err());
                assert!(next_proposal_status(S::NotAwarded, mv, side, "x", 1).is_err());
            }
        }
        assert_eq!(
            next_proposal_status(S::Draft, M::Send, School, "", 0),
            Err(ProposalRefusal::Empty)
        );
    }

    #[test]
    fn buttons_follow_the_rule() {
        assert_eq!(offered_proposal_moves(S::Draft, School), vec![M::Send]);
        assert!(offered_proposal_moves(S::Draft, Department).is_empty());
        assert_eq!(
            offered_proposal_moves(S::Sent, Department),
            vec![M::Receive, M::Return]
        );
        assert_eq!(
            offered_proposal_moves(S::Reviewing, Department),
            vec![M::Return, M::Award, M::Decline]
        );
        for s in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn entry_kinds_read_as_typed() {
        assert_eq!(parse_entry_kind("Tập thể"), Some("tap-the"));
        assert_eq!(parse_entry_kind("ca nhan"), Some("ca-nhan"));
        assert_eq!(parse_entry_kind("nhóm"), None);
    }
}
