//! A token bucket per client address, in memory: exam lookups and the public
//! forms (`platform::antispam`) each keep one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most addresses remembered; past that, those whose bucket is full again are
/// forgotten (they are as good as new), and if that is not enough, all are.
const MAX_ADDRESSES: usize = 100_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// A token bucket per client address, in memory.
pub(crate) struct RateLimiter {
    /// Tokens a second; 0: no limit.
    rate: f64,
    capacity: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// `events` every `per`, sustained, after a quick row of `burst`; 0 events
    /// turns the limit off.
    pub(crate) fn new(events: u32, per: Duration, burst: u32) -> RateLimiter {
        RateLimiter {
            rate: f64::from(events) / per.as_secs_f64().max(1.0),
            capacity: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token from `who`'s bucket; when it is empty, the seconds until
    /// one is there again.
    pub(crate) fn check(&self, who: &str, now: Instant) -> Result<(), u64> {
        if self.rate == 0.0 {
            return Ok(());
        }
        let (rate, capacity) = (self.rate, self.capacity);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_ADDRESSES && !buckets.contains_key(who) {
            let full_after = Duration::from_secs_f64(capacity / rate);
            buckets.retain(|_, b| now.duration_since(b.at) < full_after);
            if buckets.len() >= MAX_ADDRESSES {
                buckets.clear();
            }
        }
        let b = buckets.entry(who.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * rate).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - b.tokens) / rate).ceil() as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_refill_and_tell_when() {
        let limiter = RateLimiter::new(60, Duration::from_secs(60), 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check("1.2.3.4", t0), Ok(()));
        }
        assert_eq!(limiter.check("1.2.3.4", t0), Err(1));
        assert_eq!(limiter.check("5.6.7.8", t0), Ok(()));
        assert_eq!(
            limiter.check("1.2.3.4", t0 + Duration::from_secs(1)),
            Ok(())
        );
        let off = RateLimiter::new(0, Duration::from_secs(60), 0);
        for _ in 0..1000 {
            assert_eq!(off.check("x", t0), Ok(()));
        }
    }
}
