//! Typed ids, so that a function taking a site and an article cannot swap them.

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A site: the department's portal or one school's.
    SiteId
);
typed_id!(
    /// A news category of one site.
    CategoryId
);
typed_id!(
    /// An article.
    ArticleId
);
typed_id!(
    /// A stored media file (image, document).
    MediaId
);
typed_id!(
    /// An exam session (kỳ thi) whose results are looked up.
    ExamSessionId
);
typed_id!(
    /// A unit of the sector: the department, an office, a commune, a school.
    UnitId
);
typed_id!(
    /// A static page of one site ("Giới thiệu", "Liên hệ").
    PageId
);
