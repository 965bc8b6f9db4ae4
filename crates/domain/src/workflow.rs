//! The editorial workflow: who may move an article from one status to another.
//!
//! ```text
//!   draft ──submit──> submitted ──publish──> published (or scheduled, when its time is ahead)
//!     ^                   │                      │
//!     └──── rejected <─reject                unpublish ──> unpublished ──publish──> …
//! ```
//!
//! Writers write and submit their own articles; editors and administrators edit any
//! article of their site, publish, schedule, reject (with a reason) and unpublish.

use crate::{ArticleStatus, Role};

/// Something a person asks to do with an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleAction {
    /// Save changes to the text, keeping the status.
    Save,
    /// Send to an approver.
    Submit,
    /// Publish now, or at the publish time when that is ahead (scheduled).
    Publish,
    /// Send back to the writer with a reason.
    Reject,
    /// Take off the public site.
    Unpublish,
    /// Remove for good.
    Delete,
}

impl ArticleAction {
    /// Reads the value of a form's action button.
    pub fn parse(s: &str) -> Option<ArticleAction> {
        Some(match s {
            "luu" => ArticleAction::Save,
            "gui-duyet" => ArticleAction::Submit,
            "dang" => ArticleAction::Publish,
            "tra-lai" => ArticleAction::Reject,
            "go-bai" => ArticleAction::Unpublish,
            "xoa" => ArticleAction::Delete,
            _ => return None,
        })
    }

    /// The form value of the action.
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleAction::Save => "luu",
            ArticleAction::Submit => "gui-duyet",
            ArticleAction::Publish => "dang",
            ArticleAction::Reject => "tra-lai",
            ArticleAction::Unpublish => "go-bai",
            ArticleAction::Delete => "xoa",
        }
    }

    /// What the audit log says of it.
    pub fn audit_label(self) -> &'static str {
        match self {
            ArticleAction::Save => "sửa bài viết",
            ArticleAction::Submit => "gửi duyệt bài viết",
            ArticleAction::Publish => "đăng bài viết",
            ArticleAction::Reject => "trả lại bài viết",
            ArticleAction::Unpublish => "gỡ bài viết",
            ArticleAction::Delete => "xoá bài viết",
        }
    }
}

/// Why an action is refused, as said to the person who tried it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The role does not allow it at all.
    #[error("Bạn không có quyền làm việc này với bài viết.")]
    NotAllowed,
    /// A writer touching someone else's article.
    #[error("Người viết chỉ sửa được bài của chính mình.")]
    NotYours,
    /// A writer editing an article that is no longer theirs to change.
    #[error("Bài đã gửi duyệt hoặc đã đăng; chỉ biên tập viên mới sửa được.")]
    Locked,
    /// The move makes no sense from the current status.
    #[error("Không thể làm việc này khi bài viết đang ở trạng thái hiện tại.")]
    WrongStatus,
    /// A rejection needs its reason.
    #[error("Vui lòng ghi lý do trả lại để người viết biết cần sửa gì.")]
    MissingReason,
}

/// What a workflow message speaks of: the kinds of content that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// An article ("bài viết"): the errors' own wording.
    Article,
    /// An official document.
    Document,
    /// An announcement.
    Notice,
    /// A draft for public comment.
    Draft,
    /// A photo album.
    Album,
}

impl Content {
    /// The noun messages use: "văn bản", "thông báo"…
    pub fn noun(self) -> &'static str {
        match self {
            Content::Article => "bài viết",
            Content::Document => "văn bản",
            Content::Notice => "thông báo",
            Content::Draft => "dự thảo",
            Content::Album => "album ảnh",
        }
    }
}

impl WorkflowError {
    /// The refusal as said to the person, naming the kind of content it is about
    /// ("Không thể làm việc này khi văn bản đang ở trạng thái hiện tại.").
    pub fn message(self, what: Content) -> String {
        if what == Content::Article {
            return self.to_string();
        }
        let noun = what.noun();
        match self {
            WorkflowError::NotAllowed => format!("Bạn không có quyền làm việc này với {noun}."),
            WorkflowError::NotYours => {
                format!("Người viết chỉ sửa được {noun} của chính mình.")
            }
            WorkflowError::Locked => format!(
                "{} đã gửi duyệt hoặc đã đăng; chỉ biên tập viên mới sửa được.",
                capitalised(noun)
            ),
            WorkflowError::WrongStatus => {
                format!("Không thể làm việc này khi {noun} đang ở trạng thái hiện tại.")
            }
            WorkflowError::MissingReason => self.to_string(),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The status an article gets when `role` (the author when `own`) does `action` on
/// it, or why not. `publish_at` is the article's publish time and `now` the clock.
/// A rejection needs `has_reason`.
pub fn next_status(
    current: ArticleStatus,
    action: ArticleAction,
    role: Role,
    own: bool,
    publish_at: i64,
    now: i64,
    has_reason: bool,
) -> Result<ArticleStatus, WorkflowError> {
    use ArticleStatus as S;
    let approver = role.can_publish();
    let writer_may_edit = matches!(current, S::Draft | S::Rejected);
    match action {
        ArticleAction::Save => {
            if approver {
                Ok(current)
            } else if !own {
                Err(WorkflowError::NotYours)
            } else if writer_may_edit {
                Ok(current)
            } else {
                Err(WorkflowError::Locked)
            }
        }
        ArticleAction::Submit => {
            if !approver && !own {
                return Err(WorkflowError::NotYours);
            }
            match current {
                S::Draft | S::Rejected | S::Unpublished => Ok(S::Submitted),
                _ => Err(WorkflowError::WrongStatus),
            }
        }
        ArticleAction::Publish => {
            if !approver {
                return Err(WorkflowError::NotAllowed);
            }
            if current == S::Published {
                return Err(WorkflowError::WrongStatus);
            }
            Ok(if publish_at > now {
                S::Scheduled
            } else {
                S::Published
            })
        }
        ArticleAction::Reject => {
            if !approver {
                return Err(WorkflowError::NotAllowed);
            }
            if !matches!(current, S::Submitted | S::Scheduled) {
                return Err(WorkflowError::WrongStatus);
            }
            if !has_reason {
                return Err(WorkflowError::MissingReason);
            }
            Ok(S::Rejected)
        }
        ArticleAction::Unpublish => {
            if !approver {
                return Err(WorkflowError::NotAllowed);
            }
            match current {
                S::Published | S::Scheduled => Ok(S::Unpublished),
                _ => Err(WorkflowError::WrongStatus),
            }
        }
        ArticleAction::Delete => {
            if approver {
                Ok(current)
            } else if !own {
                Err(WorkflowError::NotYours)
            } else if writer_may_edit {
                Ok(current)
            } else {
                Err(WorkflowError::Locked)
            }
        }
    }
}

/// The actions to offer on an article's page, in button order.
pub fn offered_actions(current: ArticleStatus, role: Role, own: bool) -> Vec<ArticleAction> {
    [
        ArticleAction::Save,
        ArticleAction::Submit,
        ArticleAction::Publish,
        ArticleAction::Reject,
        ArticleAction::Unpublish,
        ArticleAction::Delete,
    ]
    .into_iter()
    .filter(|a| next_status(current, *a, role, own, 0, 0, true).is_ok())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ArticleAction as A;
    use ArticleStatus as S;

    fn go(current: S, action: A, role: Role, own: bool) -> Result<S, WorkflowError> {
        next_status(current, action, role, own, 100, 200, true)
    }

    #[test]
    fn a_writer_writes_and_submits_but_never_publishes() {
        assert_eq!(go(S::Draft, A::Save, Role::Writer, true), Ok(S::Draft));
        assert_eq!(
            go(S::Draft, A::Submit, Role::Writer, true),
            Ok(S::Submitted)
        );
        assert_eq!(
            go(S::Rejected, A::Submit, Role::Writer, true),
            Ok(S::Submitted)
        );
        assert_eq!(
            go(S::Submitted, A::Publish, Role::Writer, true),
            Err(WorkflowError::NotAllowed)
        );
        assert_eq!(
            go(S::Published, A::Unpublish, Role::Writer, true),
            Err(WorkflowError::NotAllowed)
        );
        assert_eq!(
            go(S::Submitted, A::Save, Role::Writer, true),
            Err(WorkflowError::Locked)
        );
        assert_eq!(
            go(S::Draft, A::Save, Role::Writer, false),
            Err(WorkflowError::NotYours)
        );
    }

    #[test]
    fn an_editor_publishes_schedules_rejects_and_unpublishes() {
        assert_eq!(
            go(S::Submitted, A::Publish, Role::Editor, false),
            Ok(S::Published)
        );
        // A publish time ahead of now schedules.
        assert_eq!(
            next_status(
                S::Submitted,
                A::Publish,
                Role::Editor,
                false,
                300,
                200,
                false
            ),
            Ok(S::Scheduled)
        );
        assert_eq!(
            go(S::Submitted, A::Reject, Role::Editor, false),
            Ok(S::Rejected)
        );
        assert_eq!(
            next_status(S::Submitted, A::Reject, Role::Editor, false, 0, 0, false),
            Err(WorkflowError::MissingReason)
        );
        assert_eq!(
            go(S::Published, A::Unpublish, Role::Admin, false),
            Ok(S::Unpublished)
        );
        assert_eq!(
            go(S::Unpublished, A::Publish, Role::Editor, false),
            Ok(S::Published)
        );
        assert_eq!(
            go(S::Draft, A::Reject, Role::Editor, false),
            Err(WorkflowError::WrongStatus)
        );
    }

    #[test]
    fn buttons_follow_the_rules() {
        assert_eq!(
            offered_actions(S::Draft, Role::Writer, true),
            vec![A::Save, A::Submit, A::Delete]
        );
        assert_eq!(
            offered_actions(S::Submitted, Role::Writer, true),
            Vec::<A>::new()
        );
        assert_eq!(
            offered_actions(S::Submitted, Role::Editor, false),
            vec![A::Save, A::Publish, A::Reject, A::Delete]
        );
        assert_eq!(
            offered_actions(S::Published, Role::Editor, false),
            vec![A::Save, A::Unpublish, A::Delete]
        );
        for a in offered_actions(S::Draft, Role::Admin, false) {
            assert_eq!(ArticleAction::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn refusals_name_the_kind_of_content() {
        let e = go(S::Published, A::Save, Role::Writer, true).unwrap_err();
        assert_eq!(
            e.message(Content::Document),
            "Văn bản đã gửi duyệt hoặc đã đăng; chỉ biên tập viên mới sửa được."
        );
        assert_eq!(e.message(Content::Article), e.to_string());
        let e = go(S::Published, A::Unpublish, Role::Writer, true).unwrap_err();
        assert_eq!(
            e.message(Content::Notice),
            "Bạn không có quyền làm việc này với thông báo."
        );
        let e = go(S::Draft, A::Unpublish, Role::Editor, false).unwrap_err();
        assert_eq!(
            e.message(Content::Draft),
            "Không thể làm việc này khi dự thảo đang ở trạng thái hiện tại."
        );
        assert!(!e.message(Content::Album).contains("bài viết"));
    }
}
