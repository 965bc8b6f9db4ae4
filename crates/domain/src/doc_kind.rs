//! The kinds of document that search finds. Shared by the store (its search outbox
//! names the kind of each change) and the search index (which keeps it as a number).

/// What kind of thing a document of the index is. Each kind has its own id space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// A news article.
    Article,
    /// An official document (văn bản).
    Document,
    /// An announcement (thông báo).
    Announcement,
    /// A question with its answer (hỏi đáp).
    Question,
    /// A draft open for public comment (dự thảo lấy ý kiến).
    DraftForComment,
    /// A published decision of commendation (quyết định khen thưởng) with the
    /// people and collectives it commends.
    Decision,
}

impl DocKind {
    /// Every kind.
    pub const ALL: [DocKind; 6] = [
        DocKind::Article,
        DocKind::Document,
        DocKind::Announcement,
        DocKind::Question,
        DocKind::DraftForComment,
        DocKind::Decision,
    ];

    /// The number stored in the index.
    pub fn code(self) -> u64 {
        match self {
            DocKind::Article => 1,
            DocKind::Document => 2,
            DocKind::Announcement => 3,
            DocKind::Question => 4,
            DocKind::DraftForComment => 5,
            DocKind::Decision => 7,
        }
    }

    /// The kind of a stored number.
    pub fn from_code(code: u64) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The name stored in the database (`search_outbox.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Article => "article",
            DocKind::Document => "document",
            DocKind::Announcement => "announcement",
            DocKind::Question => "question",
            DocKind::DraftForComment => "draft_for_comment",
            DocKind::Decision => "decision",
        }
    }

    /// The kind of a stored name.
    pub fn parse(name: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_read_back() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::from_code(k.code()), Some(k));
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DocKind::from_code(0), None);
        assert_eq!(DocKind::parse("Article"), None);
        // Written by earlier versions: these must not change.
        assert_eq!(DocKind::Article.code(), 1);
        assert_eq!(DocKind::Article.as_str(), "article");
        assert_eq!(DocKind::Decision.code(), 7);
    }
}
