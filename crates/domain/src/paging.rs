//! Pagination as readers of Vietnamese portals know it:
//! "Trang đầu 1 2 3 4 5 Trang sau Trang cuối", driven by `?trang=N`.

/// A 1-based page number read from the query string. Anything unreadable is page 1,
/// so a mangled link still shows something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(pub u32);

impl PageNumber {
    /// Reads `?trang=` leniently.
    pub fn parse(raw: Option<&str>) -> PageNumber {
        let n = raw
            .and_then(|s| s.trim().parse::<u32>().ok())
            .filter(|&n| n >= 1)
            .unwrap_or(1);
        PageNumber(n)
    }

    /// Rows to skip for this page.
    pub fn offset(self, per_page: u32) -> i64 {
        i64::from(self.0 - 1) * i64::from(per_page)
    }
}

/// The pagination bar of one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// Current page.
    pub current: u32,
    /// Last page (at least 1).
    pub last: u32,
    /// The numbered pages shown around the current one.
    pub window: Vec<u32>,
}

impl Pager {
    /// How many numbered pages the bar shows.
    pub const WINDOW: u32 = 5;

    /// The bar for `total` items at `per_page`, on page `current`; `None` when the
    /// page is past the end (the caller answers 404).
    pub fn new(total: i64, per_page: u32, current: PageNumber) -> Option<Pager> {
        let per_page = i64::from(per_page.max(1));
        let last = u32::try_from(((total.max(0) + per_page - 1) / per_page).max(1)).ok()?;
        let current = current.0;
        if current > last {
            return None;
        }
        let half = Self::WINDOW / 2;
        let mut start = current.saturating_sub(half).max(1);
        let end = (start + Self::WINDOW - 1).min(last);
        start = end.saturating_sub(Self::WINDOW - 1).max(1);
        Some(Pager {
            current,
            last,
            window: (start..=end).collect(),
        })
    }

    /// Whether the bar is worth showing at all.
    pub fn has_pages(&self) -> bool {
        self.last > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_page_numbers() {
        assert_eq!(PageNumber::parse(None), PageNumber(1));
        assert_eq!(PageNumber::parse(Some("3")), PageNumber(3));
        assert_eq!(PageNumber::parse(Some("0")), PageNumber(1));
        assert_eq!(PageNumber::parse(Some("-2")), PageNumber(1));
        assert_eq!(PageNumber::parse(Some("abc")), PageNumber(1));
        assert_eq!(PageNumber(3).offset(10), 20);
    }

    #[test]
    fn windows_slide_and_clamp() {
        let p = Pager::new(95, 10, PageNumber(1)).unwrap();
        assert_eq!((p.last, p.window.clone()), (10, vec![1, 2, 3, 4, 5]));
        let p = Pager::new(95, 10, PageNumber(6)).unwrap();
        assert_eq!(p.window, vec![4, 5, 6, 7, 8]);
        let p = Pager::new(95, 10, PageNumber(10)).unwrap();
        assert_eq!(p.window, vec![6, 7, 8, 9, 10]);
        let p = Pager::new(25, 10, PageNumber(2)).unwrap();
        assert_eq!(p.window, vec![1, 2, 3]);
        assert!(Pager::new(25, 10, PageNumber(4)).is_none());
    }

    #[test]
    fn empty_lists_have_one_page() {
        let p = Pager::new(0, 10, PageNumber(1)).unwrap();
        assert_eq!(p.last, 1);
        assert!(!p.has_pages());
    }
}
