//! Live counters: item views ("Lượt xem") and site visits ("Đang online",
//! "Hôm nay", "Tổng truy cập").
//!
//! Counting never writes to the database per request. Counts gather in memory and
//! [`Counters::flush`] adds them to the store as deltas every few seconds and on
//! shutdown, so instances sharing one database add up, and a failed write keeps
//! the deltas for the next try.
//!
//! Rules: a reader counts once per item per 30 minutes; a visit is a new
//! visitor or one back after 30 minutes; "online" is the distinct visitors of the
//! last 5 minutes; known bots are not counted but tallied apart. A visitor is the
//! pair (IP address, User-Agent), hashed: no cookie is needed, so cached pages
//! count too.

use domain::{ArticleId, DocumentId, SiteId};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use store::{CountDeltas, DailyDelta, SiteTotals, Store};

/// How long a view or a visit lasts before the same person counts again.
pub const REPEAT_WINDOW: i64 = 30 * 60;
/// "Đang online": seen in the last five minutes.
pub const ONLINE_WINDOW: i64 = 5 * 60;
/// At most this many visitors (and as many item views) are tracked at once.
pub const MAX_TRACKED: usize = 250_000;

/// Who is asking, as far as counting cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Visitor(u64);

impl Visitor {
    /// A visitor from an address and a User-Agent.
    pub fn new(ip: &str, user_agent: &str) -> Visitor {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        ip.hash(&mut h);
        user_agent.hash(&mut h);
        Visitor(h.finish())
    }
}

/// Whether a User-Agent belongs to a crawler, a link previewer or a script.
pub fn is_bot(user_agent: &str) -> bool {
    const MARKS: [&str; 14] = [
        "bot",
        "crawl",
        "spider",
        "slurp",
        "facebookexternalhit",
        "zalo-link",
        "preview",
        "curl/",
        "wget/",
        "python-requests",
        "go-http-client",
        "httpclient",
        "scrapy",
        "monitor",
    ];
    let ua = user_agent.trim().as_bytes();
    ua.is_empty()
        || MARKS.iter().any(|m| {
            ua.windows(m.len())
                .any(|w| w.eq_ignore_ascii_case(m.as_bytes()))
        })
}

/// Something whose readers are counted: an article's views, a document's views
/// and the downloads of its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// An article read.
    Article(ArticleId),
    /// A document's page read.
    Document(DocumentId),
    /// A document's file downloaded.
    Download(DocumentId),
}

impl From<ArticleId> for Item {
    fn from(id: ArticleId) -> Item {
        Item::Article(id)
    }
}

/// What a counted request was.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    /// The site.
    pub site: SiteId,
    /// The item read, if the page was one.
    pub item: Option<Item>,
    /// Who.
    pub visitor: Visitor,
    /// A known bot.
    pub bot: bool,
    /// When, UTC seconds.
    pub at: i64,
}

#[derive(Default)]
struct Inner {
    /// When each visitor was last seen: for "online" and the 30-minute visit rule.
    last_seen: HashMap<(SiteId, Visitor), i64>,
    last_view: HashMap<(Item, Visitor), i64>,
    views: HashMap<Item, i64>,
    daily: HashMap<(SiteId, i64), (i64, i64, i64)>,
    stored: HashMap<SiteId, SiteTotals>,
    stored_day: i64,
    /// The stored views of articles as this instance last knew them: raised by
    /// every flush, and by any fresher read from the store.
    known_views: HashMap<Item, i64>,
    /// "Online" per site, recounted at most once a second.
    online: (i64, HashMap<SiteId, i64>),
}

impl Inner {
    /// One view (or download) of `item` by `visitor` at `at`: counted unless the
    /// same reader had it in the last 30 minutes.
    fn view(&mut self, item: Item, visitor: Visitor, at: i64) {
        let vkey = (item, visitor);
        let last = self.last_view.get(&vkey).copied();
        let new_view = last.is_none_or(|t| at - t >= REPEAT_WINDOW)
            && (last.is_some() || self.last_view.len() < MAX_TRACKED);
        if new_view {
            self.last_view.insert(vkey, at);
            *self.views.entry(item).or_default() += 1;
        }
    }
}

/// A site's figures as the footer shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct SiteFigures {
    /// Distinct visitors in the last five minutes.
    pub online: i64,
    /// Visits today.
    pub today: i64,
    /// Visits since the site began.
    pub total: i64,
}

/// The in-memory counters of one instance.
#[derive(Default)]
pub struct Counters {
    inner: Mutex<Inner>,
}

impl Counters {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts one page request.
    pub fn record(&self, hit: Hit) {
        let day = vntext::local_day(hit.at);
        let mut inner = self.lock();
        if hit.bot {
            inner.daily.entry((hit.site, day)).or_default().2 += 1;
            return;
        }
        let key = (hit.site, hit.visitor);
        let previous = inner.last_seen.get(&key).copied();
        // Memory is bounded: past the cap, unknown visitors are not tracked (their
        // pages count, their visits and views do not). Only a flood gets there.
        let tracked = previous.is_some() || inner.last_seen.len() < MAX_TRACKED;
        if tracked {
            // The window slides with activity: a reader who keeps reading stays one visit.
            inner.last_seen.insert(key, hit.at);
            if previous.is_none_or(|t| hit.at - t >= ONLINE_WINDOW) {
                // Online from now on; the once-a-second recount drops those who left.
                *inner.online.1.entry(hit.site).or_default() += 1;
            }
        }
        let new_visit = tracked && previous.is_none_or(|t| hit.at - t >= REPEAT_WINDOW);
        let counts = inner.daily.entry((hit.site, day)).or_default();
        counts.1 += 1;
        if new_visit {
            counts.0 += 1;
        }
        if let Some(item) = hit.item {
            inner.view(item, hit.visitor, hit.at);
        }
    }

    /// Counts a use of an item that is not a page (a file downloaded): once per
    /// reader per 30 minutes, bots left out.
    pub fn record_item(&self, item: Item, visitor: Visitor, bot: bool, at: i64) {
        if !bot {
            self.lock().view(item, visitor, at);
        }
    }

    /// Views of an item not yet written to the store.
    pub fn pending_views(&self, item: impl Into<Item>) -> i64 {
        self.lock().views.get(&item.into()).copied().unwrap_or(0)
    }

    /// The views to show for an item read from the store (possibly a while ago)
    /// with `stored` views: never less than what this instance has written since.
    pub fn views_to_show(&self, item: impl Into<Item>, stored: i64) -> i64 {
        let item = item.into();
        let mut inner = self.lock();
        if inner.known_views.len() > 100_000 {
            inner.known_views.clear();
        }
        let known = inner.known_views.entry(item).or_insert(stored);
        *known = (*known).max(stored);
        let known = *known;
        known + inner.views.get(&item).copied().unwrap_or(0)
    }

    /// A site's figures: stored totals plus what this instance has not flushed yet.
    pub fn figures(&self, site: SiteId, now: i64) -> SiteFigures {
        let mut inner = self.lock();
        let today = vntext::local_day(now);
        // A full recount at most once a second (visitors leave "online" here).
        if inner.online.0 != now {
            let mut online: HashMap<SiteId, i64> = HashMap::new();
            for ((s, _), &t) in &inner.last_seen {
                if now - t < ONLINE_WINDOW {
                    *online.entry(*s).or_default() += 1;
                }
            }
            inner.online = (now, online);
        }
        let online = inner.online.1.get(&site).copied().unwrap_or(0);
        let pending_today = inner.daily.get(&(site, today)).map(|c| c.0).unwrap_or(0);
        let pending_total: i64 = inner
            .daily
            .iter()
            .filter(|((s, _), _)| *s == site)
            .map(|(_, c)| c.0)
            .sum();
        let stored = inner.stored.get(&site).copied();
        let stored_today = if inner.stored_day == today {
            stored.map(|s| s.today_visits).unwrap_or(0)
        } else {
            0
        };
        SiteFigures {
            online,
            today: stored_today + pending_today,
            total: stored.map(|s| s.total_visits).unwrap_or(0) + pending_total,
        }
    }

    /// Adds what was counted since the last flush to the store, then reads the
    /// stored totals back (other instances add theirs too). On failure the counts
    /// are kept for the next flush.
    pub async fn flush(&self, store: &Store, now: i64) -> Result<(), store::Error> {
        let (views, daily) = {
            let mut inner = self.lock();
            // Forget what no window can need any more.
            inner.last_seen.retain(|_, t| now - *t < REPEAT_WINDOW);
            inner.last_view.retain(|_, t| now - *t < REPEAT_WINDOW);
            (
                std::mem::take(&mut inner.views),
                std::mem::take(&mut inner.daily),
            )
        };
        let mut documents: Vec<(DocumentId, i64, i64)> = Vec::new();
        for (item, n) in &views {
            let (id, view, download) = match item {
                Item::Article(_) => continue,
                Item::Document(d) => (*d, *n, 0),
                Item::Download(d) => (*d, 0, *n),
            };
            match documents.iter_mut().find(|(x, _, _)| *x == id) {
                Some(row) => {
                    row.1 += view;
                    row.2 += download;
                }
                None => documents.push((id, view, download)),
            }
        }
        documents.sort_by_key(|(d, _, _)| *d);
        let mut deltas = CountDeltas {
            views: views
                .iter()
                .filter_map(|(item, n)| match item {
                    Item::Article(a) => Some((*a, *n)),
                    _ => None,
                })
                .collect(),
            daily: daily
                .iter()
                .map(
                    |(&(site, day), &(visits, page_views, bot_hits))| DailyDelta {
                        site,
                        day: vntext::iso_date_of_day(day),
                        visits,
                        page_views,
                        bot_hits,
                    },
                )
                .collect(),
        };
        // A stable order keeps two instances from locking rows in opposite orders.
        deltas.views.sort_by_key(|(a, _)| *a);
        deltas
            .daily
            .sort_by(|a, b| (a.site, &a.day).cmp(&(b.site, &b.day)));
        // Articles and visits, then documents: what failed is kept for the next
        // flush, and only that (what was written is not counted twice).
        let written = match store.add_counts(&deltas).await {
            Ok(()) => store
                .add_document_counts(&documents)
                .await
                .map_err(|e| (e, false)),
            Err(e) => Err((e, true)),
        };
        if let Err((e, all)) = written {
            let mut inner = self.lock();
            for (item, n) in views {
                if all || !matches!(item, Item::Article(_)) {
                    *inner.views.entry(item).or_default() += n;
                }
            }
            if !all {
                return Err(e);
            }
            for (key, (v, p, b)) in daily {
                let c = inner.daily.entry(key).or_default();
                c.0 += v;
                c.1 += p;
                c.2 += b;
            }
            return Err(e);
        }
        {
            let mut inner = self.lock();
            for (item, n) in &views {
                if let Some(k) = inner.known_views.get_mut(item) {
                    *k += n;
                }
            }
        }
        let today = vntext::local_day(now);
        let totals = store.site_totals(&vntext::iso_date_of_day(today)).await?;
        let mut inner = self.lock();
        inner.stored = totals.into_iter().map(|t| (t.site, t)).collect();
        inner.stored_day = today;
        Ok(())
    }
}

fn forwarded_for(req: &axum::extract::Request, trust_forwarded: bool) -> Option<&str> {
    trust_forwarded
        .then(|| crate::platform::origin::forwarded_client(req.headers()))
        .flatten()
}

/// Who sent a request, as the counters see it; worked out before the request
/// goes on, without allocating (this runs for every page, cached or not).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Who {
    visitor: Visitor,
    bot: bool,
}

impl Who {
    pub(crate) fn of(req: &axum::extract::Request, trust_forwarded: bool) -> Who {
        let ua = req
            .headers()
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mut h = std::collections::hash_map::DefaultHasher::new();
        match forwarded_for(req, trust_forwarded) {
            Some(ip) => ip.hash(&mut h),
            None => req
                .extensions()
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip())
                .hash(&mut h),
        }
        ua.hash(&mut h);
        Who {
            visitor: Visitor(h.finish()),
            bot: is_bot(ua),
        }
    }
}

/// Counts a response if it is a page given to someone: an HTML page, or a 304 for one.
pub(crate) fn count(counters: &Counters, site: SiteId, who: Who, res: &axum::response::Response) {
    let is_page = (res.status() == axum::http::StatusCode::OK
        && res
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html")))
        || res
            .extensions()
            .get::<crate::platform::cache::RevalidatedPage>()
            .is_some();
    if is_page {
        counters.record(Hit {
            site,
            item: res
                .extensions()
                .get::<crate::platform::cache::ViewedItem>()
                .map(|v| v.0),
            visitor: who.visitor,
            bot: who.bot,
            at: crate::now(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(visitor: &str, item: Option<i64>, at: i64) -> Hit {
        Hit {
            site: SiteId(1),
            item: item.map(|i| Item::Article(ArticleId(i))),
            visitor: Visitor::new(visitor, "Mozilla/5.0"),
            bot: false,
            at,
        }
    }

    #[test]
    fn a_reader_counts_once_per_item_per_half_hour() {
        let c = Counters::default();
        let t = 1_790_000_000;
        c.record(hit("1.1.1.1", Some(7), t));
        c.record(hit("1.1.1.1", Some(7), t + 60));
        c.record(hit("1.1.1.1", Some(7), t + REPEAT_WINDOW - 1));
        assert_eq!(c.pending_views(ArticleId(7)), 1);
        c.record(hit("1.1.1.1", Some(7), t + REPEAT_WINDOW + 5));
        assert_eq!(c.pending_views(ArticleId(7)), 2);
        c.record(hit("2.2.2.2", Some(7), t + 10));
        assert_eq!(c.pending_views(ArticleId(7)), 3);
        c.record(hit("2.2.2.2", Some(8), t + 10));
        assert_eq!(c.pending_views(ArticleId(8)), 1);
    }

    #[test]
    fn visits_and_online() {
        let c = Counters::default();
        let t = 1_790_000_000;
        c.record(hit("1.1.1.1", None, t));
        c.record(hit("1.1.1.1", None, t + 600));
        c.record(hit("2.2.2.2", None, t + 600));
        let f = c.figures(SiteId(1), t + 600);
        assert_eq!((f.online, f.today, f.total), (2, 2, 2));
        // Back after more than 30 minutes: a new visit.
        c.record(hit("1.1.1.1", None, t + 600 + REPEAT_WINDOW));
        let f = c.figures(SiteId(1), t + 600 + REPEAT_WINDOW);
        assert_eq!((f.online, f.total), (1, 3));
    }

    #[test]
    fn shown_views_never_go_back_after_a_flush() {
        let c = Counters::default();
        c.record(hit("1.1.1.1", Some(7), 1_790_000_000));
        assert_eq!(c.views_to_show(ArticleId(7), 10), 11);
        // What a flush does to the in-memory state, without a store:
        {
            let mut inner = c.lock();
            let n = inner.views.remove(&Item::Article(ArticleId(7))).unwrap();
            *inner
                .known_views
                .get_mut(&Item::Article(ArticleId(7)))
                .unwrap() += n;
        }
        // A page made from an older read (10) still shows 11.
        assert_eq!(c.views_to_show(ArticleId(7), 10), 11);
        // A fresher read that includes other instances' views wins.
        assert_eq!(c.views_to_show(ArticleId(7), 20), 20);
    }

    #[test]
    fn bots_are_tallied_apart() {
        assert!(is_bot(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        ));
        assert!(is_bot("facebookexternalhit/1.1"));
        assert!(is_bot("curl/8.5.0"));
        assert!(is_bot(""));
        assert!(!is_bot(
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36"
        ));
        let c = Counters::default();
        c.record(Hit {
            bot: true,
            ..hit("3.3.3.3", Some(7), 1_790_000_000)
        });
        assert_eq!(c.pending_views(ArticleId(7)), 0);
        assert_eq!(c.figures(SiteId(1), 1_790_000_000), SiteFigures::default());
    }
}
