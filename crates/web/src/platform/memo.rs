//! Read-through memos of store results, valid for one content version of a site
//! (and at most the cache TTL): the data a page is made of, kept so that a page
//! rendered afresh need not ask the database again. Unlike the page cache they
//! hold data, not HTML; every request still runs the handler and the template.

use domain::SiteId;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

struct Slot<V> {
    version: i64,
    at: Instant,
    value: Arc<V>,
}

/// Values by key, each tagged with the content version of its site.
pub(crate) struct Memo<K, V> {
    slots: RwLock<HashMap<(SiteId, K), Slot<V>>>,
    max: usize,
}

impl<K: Eq + Hash, V> Memo<K, V> {
    pub fn new(max: usize) -> Memo<K, V> {
        Memo {
            slots: RwLock::new(HashMap::new()),
            max,
        }
    }

    /// The value for `key` if it was made under `version` less than `ttl` ago.
    pub fn get(&self, site: SiteId, key: &K, version: i64, ttl: Duration) -> Option<Arc<V>>
    where
        K: Clone,
    {
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        let slot = slots.get(&(site, key.clone()))?;
        (slot.version == version && slot.at.elapsed() < ttl).then(|| slot.value.clone())
    }

    /// Keeps `value`; a full memo starts over rather than grow.
    pub fn put(&self, site: SiteId, key: K, version: i64, value: V) -> Arc<V> {
        let value = Arc::new(value);
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        if slots.len() >= self.max {
            slots.clear();
        }
        slots.insert(
            (site, key),
            Slot {
                version,
                at: Instant::now(),
                value: value.clone(),
            },
        );
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_ttl_decide() {
        let m: Memo<&str, i32> = Memo::new(2);
        let ttl = Duration::from_secs(60);
        m.put(SiteId(1), "a", 3, 10);
        assert_eq!(m.get(SiteId(1), &"a", 3, ttl).as_deref(), Some(&10));
        assert_eq!(m.get(SiteId(1), &"a", 4, ttl), None, "a newer version");
        assert_eq!(m.get(SiteId(2), &"a", 3, ttl), None, "another site");
        assert_eq!(m.get(SiteId(1), &"a", 3, Duration::ZERO), None, "expired");
        m.put(SiteId(1), "b", 3, 11);
        m.put(SiteId(1), "c", 3, 12);
        assert_eq!(m.get(SiteId(1), &"a", 3, ttl), None, "full: started over");
        assert_eq!(m.get(SiteId(1), &"c", 3, ttl).as_deref(), Some(&12));
    }
}
